//! WebService inputs, decoded and validated into [`WebServiceArgs`]. Every
//! refusal names the property, the value and the valid choices.

use std::collections::BTreeMap;

use launchpad_core::schema::TypeDef;
use launchpad_core::{ArgsReader, ConstructContext, Input, InputError, Inputs, PropertyMap, Value};

use super::CPU_ARCHITECTURE;
use super::errors;
use super::size::FargateSize;
use crate::aws_regions;
use crate::aws_secrets::{SecretRef, SecretRules, arn_parts, kms_key_list, partition, secret_refs};
use crate::cloudwatch_logs::LogRetentionInputs;
use crate::container::{environment, image_reference};

/// WebService's inputs, each declared once: its doc comment is its
/// description, its attributes its rules and the child property it feeds.
#[derive(Inputs, Clone, Debug, PartialEq)]
#[inputs(component)]
pub struct WebServiceInputs {
    /// The container image, for example `ghcr.io/acme/api:1.4.2` or an ECR image URI (pin a
    /// tag or a digest).
    // Passed on as it came: it may be another resource's output at preview.
    #[input(check = image_reference, feeds("taskDefinition.containerDefinitions"))]
    pub image: Value,
    /// The port the container listens on.
    #[input(
        range = 1..=65535,
        default = 8080,
        feeds("taskDefinition.containerDefinitions", "targetGroup.port")
    )]
    pub port: Input<f64>,
    /// CPU units per task: 256, 512, 1024, 2048, 4096, 8192 or 16384 (1024 = 1 vCPU).
    #[input(integer, default = 256, feeds("taskDefinition.cpu"))]
    pub cpu: Input<f64>,
    /// Memory per task in MiB, valid for `cpu` (256: 512, 1024 or 2048; 512: 1024-4096; 1024:
    /// 2048-8192; 2048: 4096-16384; 4096: 8192-30720, in 1024 steps; 8192: 16384-61440 in 4096
    /// steps; 16384: 32768-122880 in 8192 steps).
    #[input(integer, default = 512, feeds("taskDefinition.memory"))]
    pub memory: Input<f64>,
    /// The image's CPU architecture.
    #[input(
        choices = CPU_ARCHITECTURE,
        default = "X86_64",
        feeds("taskDefinition.runtimePlatform")
    )]
    pub cpu_architecture: Input<String>,
    /// How many tasks run without `scaling`; by default one per availability zone.
    #[input(range = 0..=5000, default = 2, feeds("service.desiredCount"))]
    pub desired_count: Input<f64>,
    /// Environment variables. A secret value keeps the whole task definition secret in the
    /// state; prefer `secrets` for credentials.
    // Values may be secret or unknown.
    #[input(read_with = environment, feeds("taskDefinition.containerDefinitions"))]
    pub environment: BTreeMap<String, Value>,
    /// Environment variables read at start from AWS: variable name → the ARN of a Secrets
    /// Manager secret (optionally `<arn>:<json-key>::` for one key of a JSON secret) or of an
    /// SSM parameter. The task's execution role may read exactly these.
    // Checked against `environment` into [`WebServiceArgs::secrets`].
    #[input(feeds("taskDefinition.containerDefinitions"))]
    pub secrets: BTreeMap<String, Value>,
    /// The customer managed KMS keys that encrypt the `secrets` (a Secrets Manager secret or an
    /// SSM SecureString parameter under a key of your own), by key ARN:
    /// `arn:aws:kms:<region>:<account>:key/<key-id>` (an alias ARN cannot grant the key's use).
    /// The execution role may then decrypt with exactly these keys, and only through Secrets
    /// Manager or Systems Manager. Not needed for the AWS managed keys `aws/secretsmanager` and
    /// `aws/ssm`. Only with `secrets`.
    // Checked against the region's partition into [`WebServiceArgs::secrets_kms_keys`].
    #[input(
        ty = TypeDef::Array(&TypeDef::String),
        feeds("executionSecretsPolicy.policy")
    )]
    pub secrets_kms_key_arns: Option<Value>,
    /// How the load balancer checks each task. Defaults to `GET /` on the container port
    /// expecting 200-399.
    #[input(feeds("targetGroup.healthCheck", "service.healthCheckGracePeriodSeconds"))]
    pub health_check: HealthCheck,
    /// Autoscale the number of tasks. Without it `desiredCount` tasks run.
    #[input(feeds(
        "scalingTarget.minCapacity",
        "scalingTarget.maxCapacity",
        "scaleOn*.targetTrackingScalingPolicyConfiguration"
    ))]
    pub scaling: Option<Scaling>,
    /// An ACM certificate (in the service's region) for HTTPS: the load balancer then listens
    /// on 443 with a modern TLS policy and redirects HTTP to HTTPS.
    // Checked against the region in [`WebServiceArgs::decode`].
    #[input(feeds("httpsListener.certificateArn"))]
    pub certificate_arn: Option<Value>,
    /// Run in an existing VPC. Without it a VPC with two public subnets (no NAT gateway: tasks
    /// get public IPs, reachable only through the load balancer's security group) is created.
    #[input(feeds(
        "service.networkConfiguration",
        "loadBalancer.subnets",
        "targetGroup.vpcId",
        "loadBalancerSecurityGroup.vpcId",
        "taskSecurityGroup.vpcId"
    ))]
    pub network: Option<ExistingNetwork>,
    /// Two availability zone names for the new VPC's subnets, for example `["eu-west-1a",
    /// "eu-west-1b"]`. Defaults to two zones of the stack's `aws:region` from a built-in table
    /// of zone IDs, which name the same zones in every account (no AWS call at preview). Not
    /// allowed with `network`.
    // A zone is named by name or by ID (`use1-az1`): both are its subnet's.
    #[input(feeds("subnet*.availabilityZone", "subnet*.availabilityZoneId"))]
    pub availability_zones: Option<Vec<Input<String>>>,
    /// Percentage of tasks on Fargate Spot (up to 70% cheaper, may be interrupted with two
    /// minutes' notice). One task always stays on regular Fargate unless this is 100. X86_64
    /// only.
    #[input(range = 0..=100, default = 0, feeds("service.capacityProviderStrategies"))]
    pub spot: Input<f64>,
    /// `logRetentionDays`.
    #[input(flatten)]
    pub logs: LogRetentionInputs,
    /// Allow `aws ecs execute-command` into running tasks (grants the task role the SSM
    /// messages permissions it needs).
    #[input(default = false, feeds("service.enableExecuteCommand"))]
    pub enable_execute_command: Input<bool>,
    /// Tags applied to every child resource that supports tags.
    #[input(ty = TypeDef::Map(&TypeDef::String), feeds("*.tags"))]
    pub tags: Option<Value>,
}

/// How the load balancer decides a task is healthy.
#[derive(Inputs, Clone, Debug, PartialEq)]
#[inputs(object = "launchpad:index:HealthCheck")]
pub struct HealthCheck {
    /// HTTP path requested on the container port.
    #[input(
        default = "/",
        check = health_check_path,
        rule = "It starts with `/` and has no spaces."
    )]
    pub path: Input<String>,
    /// Seconds between checks.
    #[input(range = 5..=300, default = 30)]
    pub interval_seconds: Input<f64>,
    /// Seconds to wait for an answer, less than `intervalSeconds`.
    #[input(range = 2..=120, default = 5)]
    pub timeout_seconds: Input<f64>,
    /// Consecutive successes before a task is healthy.
    #[input(range = 2..=10, default = 3)]
    pub healthy_threshold: Input<f64>,
    /// Consecutive failures before a task is unhealthy.
    #[input(range = 2..=10, default = 3)]
    pub unhealthy_threshold: Input<f64>,
    /// HTTP codes that mean healthy: a code, a list (`200,204`) or a range (`200-399`), of
    /// codes from 200 to 499.
    #[input(default = "200-399", check = health_check_matcher)]
    pub matcher: Input<String>,
    /// Seconds after a task starts during which failed checks are ignored, for slow starters.
    #[input(range = 0..=2147483647, default = 60)]
    pub grace_period_seconds: Input<f64>,
}

/// Autoscale the number of tasks between `minCount` and `maxCount`, tracking one or more
/// targets. Updates never reset the autoscaled count.
#[derive(Inputs, Clone, Debug, PartialEq)]
#[inputs(object = "launchpad:index:Scaling")]
pub struct Scaling {
    /// Fewest tasks (target tracking needs a running task to measure).
    #[input(range = 1..=5000, default = 1)]
    pub min_count: Input<f64>,
    /// Most tasks: at least `minCount`.
    #[input(range = 1..=5000)]
    pub max_count: Input<f64>,
    /// Keep the average CPU use of the tasks near this percentage. When no target is given,
    /// CPU at 70%.
    #[input(check = percentage, rule = "Above 0 and at most 100.")]
    pub cpu_target_percent: Option<Input<f64>>,
    /// Keep the average memory use of the tasks near this percentage.
    #[input(check = percentage, rule = "Above 0 and at most 100.")]
    pub memory_target_percent: Option<Input<f64>>,
    /// Keep the load balancer's requests per task per minute near this number.
    #[input(check = positive, rule = "More than 0.")]
    pub requests_per_target: Option<Input<f64>>,
    /// Seconds after a scale-in before another.
    #[input(range = 0..=86400, default = 300)]
    pub scale_in_cooldown_seconds: Input<f64>,
    /// Seconds after a scale-out before another.
    #[input(range = 0..=86400, default = 60)]
    pub scale_out_cooldown_seconds: Input<f64>,
}

/// An existing VPC to run in, instead of a new one.
#[derive(Inputs, Clone, Debug, PartialEq)]
#[inputs(object = "launchpad:index:Network")]
pub struct ExistingNetwork {
    /// The VPC's ID (`vpc-…`).
    #[input(check = vpc_id)]
    pub vpc_id: Value,
    /// Public subnets (with a route to an internet gateway) for the load balancer, in at least
    /// two availability zones. Tasks run here too, with public IPs, unless `taskSubnetIds` is
    /// set.
    // Checked when known, passed on as it came.
    #[input(read_with = subnet_ids, ty = TypeDef::Array(&TypeDef::String))]
    pub subnet_ids: Value,
    /// Private subnets for the tasks (no public IPs). They need a NAT gateway or VPC endpoints
    /// to pull images and read secrets.
    #[input(read_with = task_subnet_ids, ty = TypeDef::Array(&TypeDef::String))]
    pub task_subnet_ids: Option<Value>,
}

/// Validated WebService inputs: the declared inputs, checked together and
/// against the stack's region, and what the planner derives from them.
#[derive(Clone, Debug, PartialEq)]
pub struct WebServiceArgs {
    /// The inputs as declared.
    pub inputs: WebServiceInputs,
    /// CPU and memory, a Fargate size.
    pub size: FargateSize,
    /// Environment variables read from Secrets Manager or SSM.
    pub secrets: Vec<SecretRef>,
    /// `secretsKmsKeyArns` checked where known, passed on as it came;
    /// `None` for an empty list.
    pub secrets_kms_keys: Option<Value>,
    /// Where the service runs.
    pub network: Network,
    /// The AWS region (from `aws:region`).
    pub region: String,
    /// The AWS partition of the region (`aws`, `aws-cn`, `aws-us-gov`).
    pub partition: &'static str,
}

/// An availability zone, as a subnet takes it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Zone {
    /// A zone name the user gave (`eu-west-1a`; names map to zones per account).
    Name(String),
    /// A zone ID from the built-in table (`use1-az1`: the same zone in every account).
    Id(String),
}

/// Where the service runs.
#[derive(Clone, Debug, PartialEq)]
pub enum Network {
    /// A new VPC with two public subnets in these zones.
    New {
        /// Two availability zones.
        zones: [Zone; 2],
    },
    /// An existing VPC.
    Existing(ExistingNetwork),
}

impl WebServiceArgs {
    /// Decode and validate raw inputs.
    pub fn decode(
        ctx: &ConstructContext,
        inputs: &PropertyMap,
    ) -> Result<WebServiceArgs, InputError> {
        let mut inputs = WebServiceInputs::decode(inputs)?;
        let size = FargateSize::new(*inputs.cpu, *inputs.memory)?;
        let spot = &inputs.spot;
        if **spot > 0.0 && inputs.cpu_architecture.as_str() == "ARM64" {
            return Err(errors::spot_on_arm(spot.shown_number()));
        }
        let secrets = secret_refs(&inputs.secrets, &inputs.environment, &SECRET_RULES)?;
        let region = aws_regions::stack_region(ctx, errors::no_aws_region)?;
        let secrets_kms_keys =
            kms_key_list(inputs.secrets_kms_key_arns.as_ref(), partition(&region))?;
        if secrets.is_empty() && secrets_kms_keys.is_some() {
            return Err(errors::kms_keys_without_secrets());
        }
        let network = network(&inputs, &region)?;
        if let Some(arn) = inputs.certificate_arn.as_ref().and_then(Input::known) {
            let parts = arn_parts(&arn, "acm", "certificate/")
                .ok_or_else(|| errors::not_a_certificate_arn(arn.shown()))?;
            // A load balancer takes certificates of its own region only.
            if parts[3] != region {
                return Err(errors::certificate_in_another_region(parts[3], &region));
            }
        }
        health_check_timing(&inputs.health_check)?;
        if let Some(s) = &mut inputs.scaling {
            scaling(s)?;
        }
        Ok(WebServiceArgs {
            inputs,
            size,
            secrets,
            secrets_kms_keys,
            network,
            partition: partition(&region),
            region,
        })
    }
}

/// ECS reads `<arn>:<json-key>::` itself.
const SECRET_RULES: SecretRules = SecretRules {
    json_key_refused: None,
};

/// The new VPC's zones, or the existing network.
fn network(inputs: &WebServiceInputs, region: &str) -> Result<Network, InputError> {
    let zones = inputs.availability_zones.clone();
    if let Some(n) = &inputs.network {
        if zones.is_some() {
            return Err(errors::zones_with_network());
        }
        return Ok(Network::Existing(n.clone()));
    }
    let Some(names) = zones else {
        // Zone names differ between accounts; zone IDs do not.
        let ids = aws_regions::availability_zone_ids(region)
            .ok_or_else(|| aws_regions::unknown_region("aws:region", region))?;
        return match ids {
            [a, b, ..] => Ok(Network::New {
                zones: [Zone::Id(a.to_string()), Zone::Id(b.to_string())],
            }),
            _ => Err(aws_regions::unknown_region("aws:region", region)),
        };
    };
    let names: Vec<String> = names.into_iter().map(|i| i.value).collect();
    match names.as_slice() {
        [a, b] if a != b => {
            for z in [a, b] {
                if !z.starts_with(region) || z.len() <= region.len() {
                    return Err(errors::zone_not_in_region(format!("{z:?}"), region));
                }
            }
            Ok(Network::New {
                zones: [Zone::Name(a.clone()), Zone::Name(b.clone())],
            })
        }
        _ => Err(errors::zones_not_two(format!("{names:?}"), region)),
    }
}

/// `network.vpcId`, checked when known.
fn vpc_id(property: &str, id: Input<String>) -> Result<Input<String>, InputError> {
    // The entry names its property; this check serves no other.
    debug_assert_eq!(property, "network.vpcId");
    if !is_prefixed_id(&id, "vpc-") {
        return Err(errors::invalid_vpc_id(id.shown()));
    }
    Ok(id)
}

/// `network.subnetIds`: two subnets at least, for the load balancer.
fn subnet_ids(n: &ArgsReader<'_>, name: &str) -> Result<Value, InputError> {
    subnet_list(n, name, (2, errors::too_few_subnets))?.ok_or_else(|| n.missing_error(name))
}

/// `network.taskSubnetIds`: one subnet at least, when given.
fn task_subnet_ids(n: &ArgsReader<'_>, name: &str) -> Result<Option<Value>, InputError> {
    subnet_list(n, name, (1, errors::no_task_subnets))
}

/// Whether `id` is an AWS ID with its prefix (`vpc-…`, `subnet-…`).
fn is_prefixed_id(id: &str, prefix: &str) -> bool {
    let rest = id.strip_prefix(prefix).unwrap_or_default();
    !rest.is_empty() && rest.chars().all(|c| c.is_ascii_alphanumeric())
}

/// A list of subnet IDs: checked when known, passed on as it came.
/// `at_least` is the fewest the list may hold, with the error for fewer.
fn subnet_list(
    n: &ArgsReader<'_>,
    name: &str,
    at_least: (usize, fn(usize) -> InputError),
) -> Result<Option<Value>, InputError> {
    let Some(value) = n.passthrough(name)? else {
        return Ok(None);
    };
    let path = n.path(name);
    if let (Some(Value::Array(items)), _) = value.unwrap_top() {
        let mut seen = Vec::new();
        for (i, item) in items.iter().enumerate() {
            if let (Some(Value::String(s)), taint) = item.unwrap_top() {
                if !is_prefixed_id(s, "subnet-") {
                    let at = format!("{path}[{i}]");
                    return Err(if taint.secret {
                        errors::invalid_secret_subnet_id(&at)
                    } else {
                        errors::invalid_subnet_id(&at, Input::plain(s.clone()).shown())
                    });
                }
                if seen.contains(s) {
                    return Err(errors::subnet_listed_twice(&path, s));
                }
                seen.push(s.clone());
            }
        }
        let (fewest, too_few) = at_least;
        if items.len() < fewest {
            return Err(too_few(items.len()));
        }
    }
    Ok(Some(value))
}

/// `healthCheck.path`: a path on the container port.
fn health_check_path(property: &str, path: Input<String>) -> Result<Input<String>, InputError> {
    // The entry names its property; this check serves no other.
    debug_assert_eq!(property, "healthCheck.path");
    if !path.starts_with('/') || path.chars().any(char::is_whitespace) {
        return Err(errors::invalid_health_check_path(path.shown()));
    }
    Ok(path)
}

/// `healthCheck.matcher`: codes from 200 to 499, one, a list or a range.
fn health_check_matcher(
    property: &str,
    matcher: Input<String>,
) -> Result<Input<String>, InputError> {
    let code = |c: &str| c.parse::<u16>().is_ok_and(|n| (200..=499).contains(&n));
    let valid = matcher.split(',').all(|part| match part.split_once('-') {
        Some((a, b)) => code(a) && code(b) && a < b,
        None => code(part),
    });
    // The entry names its property; this check serves no other.
    debug_assert_eq!(property, "healthCheck.matcher");
    if !valid {
        return Err(errors::invalid_health_check_matcher(matcher.shown()));
    }
    Ok(matcher)
}

/// A check must time out before the next one starts.
fn health_check_timing(h: &HealthCheck) -> Result<(), InputError> {
    let (interval, timeout) = (&h.interval_seconds, &h.timeout_seconds);
    if **timeout >= **interval {
        return Err(errors::health_check_timeout_not_below_interval(
            timeout.shown_number(),
            interval.shown_number(),
        ));
    }
    Ok(())
}

/// Default target when `scaling` names none.
const DEFAULT_CPU_TARGET: f64 = 70.0;

/// `scaling`: `minCount` at most `maxCount`; CPU at 70% when no target is named.
fn scaling(s: &mut Scaling) -> Result<(), InputError> {
    let (min, max) = (&s.min_count, &s.max_count);
    if **min > **max {
        return Err(errors::scaling_min_above_max(
            min.shown_number(),
            max.shown_number(),
        ));
    }
    if s.cpu_target_percent.is_none()
        && s.memory_target_percent.is_none()
        && s.requests_per_target.is_none()
    {
        s.cpu_target_percent = Some(Input::plain(DEFAULT_CPU_TARGET));
    }
    Ok(())
}

/// A target percentage: above 0, at most 100.
fn percentage(property: &str, p: Input<f64>) -> Result<Input<f64>, InputError> {
    if *p <= 0.0 || *p > 100.0 {
        return Err(errors::target_not_a_percentage(property, p.shown_number()));
    }
    Ok(p)
}

/// A target count: more than 0.
fn positive(property: &str, n: Input<f64>) -> Result<Input<f64>, InputError> {
    if *n <= 0.0 {
        return Err(errors::target_not_positive(property, n.shown_number()));
    }
    Ok(n)
}
