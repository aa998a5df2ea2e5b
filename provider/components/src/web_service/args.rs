//! WebService inputs, decoded and validated into [`WebServiceArgs`]. Every
//! refusal names the property, the value and the valid choices.

use std::collections::BTreeMap;

use launchpad_core::{ArgsReader, ConstructContext, Input, InputError, PropertyMap, Value};

use super::DEFINITION;
use super::size::FargateSize;
use crate::aws_regions;
use crate::container::{env_name, image_reference, secret_variable};

/// CloudWatch Logs retention periods, in days.
pub const LOG_RETENTION_DAYS: [u32; 22] = [
    1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922,
    3288, 3653,
];

/// Validated WebService inputs. Values the planner only passes on stay
/// [`Value`]s (they may be unknown at preview, another resource's output);
/// values it inspects are [`Input`]s, keeping the user's secrecy.
#[derive(Clone, Debug, PartialEq)]
pub struct WebServiceArgs {
    /// The container image.
    pub image: Value,
    /// The container port.
    pub port: Input<f64>,
    /// CPU and memory.
    pub size: FargateSize,
    /// `X86_64` or `ARM64`.
    pub cpu_architecture: Input<String>,
    /// Tasks to run without scaling.
    pub desired_count: Input<f64>,
    /// Plain environment variables (values may be secret or unknown).
    pub environment: BTreeMap<String, Value>,
    /// Environment variables read from Secrets Manager or SSM.
    pub secrets: Vec<SecretRef>,
    /// The list of customer managed KMS key ARNs that encrypt the secrets
    /// (each checked where known), passed on as it came.
    pub secrets_kms_keys: Option<Value>,
    /// The load balancer's health check.
    pub health_check: HealthCheck,
    /// Autoscaling.
    pub scaling: Option<Scaling>,
    /// ACM certificate for HTTPS.
    pub certificate_arn: Option<Value>,
    /// Where the service runs.
    pub network: Network,
    /// The AWS region (from `aws:region`).
    pub region: String,
    /// The AWS partition of the region (`aws`, `aws-cn`, `aws-us-gov`).
    pub partition: &'static str,
    /// Percentage of tasks on Fargate Spot.
    pub spot: u32,
    /// Log retention.
    pub log_retention_days: Input<f64>,
    /// ECS Exec.
    pub enable_execute_command: Input<bool>,
    /// Tags, passed through.
    pub tags: Option<Value>,
}

/// One environment variable read from AWS at task start.
#[derive(Clone, Debug, PartialEq)]
pub struct SecretRef {
    /// The variable's name.
    pub name: String,
    /// What ECS reads (`valueFrom`): an ARN, possibly with a JSON key.
    pub value_from: Value,
    /// What the execution role must be allowed to read.
    pub grant: SecretGrant,
}

/// The permission a secret reference needs.
#[derive(Clone, Debug, PartialEq)]
pub enum SecretGrant {
    /// `secretsmanager:GetSecretValue` on these ARNs.
    SecretsManager(Vec<Value>),
    /// `ssm:GetParameters` on this parameter ARN.
    Ssm(Value),
    /// Not known at preview (another resource's output): both actions on
    /// exactly that ARN.
    Unknown(Value),
}

/// The validated health check.
#[derive(Clone, Debug, PartialEq)]
pub struct HealthCheck {
    /// Path, starting with `/`.
    pub path: Input<String>,
    /// Seconds between checks.
    pub interval: Input<f64>,
    /// Seconds to wait.
    pub timeout: Input<f64>,
    /// Successes to be healthy.
    pub healthy_threshold: Input<f64>,
    /// Failures to be unhealthy.
    pub unhealthy_threshold: Input<f64>,
    /// Healthy HTTP codes.
    pub matcher: Input<String>,
    /// Grace period after start.
    pub grace_period: Input<f64>,
}

/// The validated autoscaling settings.
#[derive(Clone, Debug, PartialEq)]
pub struct Scaling {
    /// Fewest tasks.
    pub min: Input<f64>,
    /// Most tasks.
    pub max: Input<f64>,
    /// Target CPU %.
    pub cpu_target: Option<Input<f64>>,
    /// Target memory %.
    pub memory_target: Option<Input<f64>>,
    /// Target requests per task per minute.
    pub requests_per_target: Option<Input<f64>>,
    /// Cooldown after scaling in.
    pub scale_in_cooldown: Input<f64>,
    /// Cooldown after scaling out.
    pub scale_out_cooldown: Input<f64>,
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
    Existing {
        /// The VPC.
        vpc_id: Value,
        /// Public subnets for the load balancer (and the tasks without `task_subnet_ids`).
        subnet_ids: Value,
        /// Private subnets for the tasks.
        task_subnet_ids: Option<Value>,
    },
}

impl WebServiceArgs {
    /// Decode and validate raw inputs.
    pub fn decode(
        ctx: &ConstructContext,
        inputs: &PropertyMap,
    ) -> Result<WebServiceArgs, InputError> {
        let r = ArgsReader::new(DEFINITION.inputs, inputs)?;
        let image = r
            .string_or_unknown("image", image_reference)?
            .ok_or_else(|| r.missing_error("image"))?;
        let port = r.integer("port", 1, 65535)?;
        let cpu = r.integer("cpu", 0, u32::MAX)?;
        let memory = r.integer("memory", 0, u32::MAX)?;
        let size = FargateSize::new(*cpu, *memory)?;
        let cpu_architecture = r.required_string("cpuArchitecture")?;
        let spot = r.integer("spot", 0, 100)?;
        if *spot > 0.0 && cpu_architecture.as_str() == "ARM64" {
            return Err(InputError::new(
                "spot",
                format!(
                    "spot={} cannot be used with cpuArchitecture=\"ARM64\": Fargate Spot runs X86_64 only; set spot=0 or cpuArchitecture=\"X86_64\"",
                    spot.shown_number()
                ),
            ));
        }
        let log_retention_days = r.integer("logRetentionDays", 1, 3653)?;
        if !LOG_RETENTION_DAYS.contains(&(*log_retention_days as u32)) {
            let days = *log_retention_days as u32;
            let nearest = LOG_RETENTION_DAYS
                .iter()
                .min_by_key(|d| d.abs_diff(days))
                .copied()
                .unwrap_or(30);
            return Err(InputError::new(
                "logRetentionDays",
                format!(
                    "logRetentionDays={} is not a CloudWatch Logs retention (nearest: {nearest}); valid: {}",
                    log_retention_days.shown_number(),
                    LOG_RETENTION_DAYS.map(|d| d.to_string()).join(", ")
                ),
            ));
        }
        let environment = r.entries("environment")?.unwrap_or_default();
        for name in environment.keys() {
            env_name("environment", name)?;
        }
        let secrets = secret_refs(&r, &environment)?;
        let region = region(ctx)?;
        let secrets_kms_keys = kms_key_list(&r, partition(&region))?;
        if secrets.is_empty() && secrets_kms_keys.is_some() {
            return Err(InputError::new(
                "secretsKmsKeyArns",
                "secretsKmsKeyArns names the keys that encrypt the service's `secrets`, but `secrets` is empty: add the secrets they encrypt or remove secretsKmsKeyArns",
            ));
        }
        let network = network(&r, &region)?;
        let certificate_arn = r.string_or_unknown("certificateArn", |arn| {
            let parts = arn_of(&arn, "certificateArn", "acm", "certificate/")?;
            // A load balancer takes certificates of its own region only.
            if parts[3] != region {
                return Err(InputError::new(
                    "certificateArn",
                    format!(
                        "certificateArn is in {} but the service runs in {region}: a load balancer takes an ACM certificate of its own region (a CloudFront certificate lives in us-east-1); request one in {region}",
                        parts[3]
                    ),
                ));
            }
            Ok(arn)
        })?;
        Ok(WebServiceArgs {
            image,
            port,
            size,
            cpu_architecture,
            desired_count: r.integer("desiredCount", 0, 5000)?,
            environment,
            secrets,
            secrets_kms_keys,
            health_check: health_check(&r)?,
            scaling: scaling(&r)?,
            certificate_arn,
            network,
            partition: partition(&region),
            region,
            spot: *spot as u32,
            log_retention_days,
            enable_execute_command: r.required_bool("enableExecuteCommand")?,
            tags: r.passthrough("tags")?,
        })
    }
}

/// The parts of a known ARN of `service` whose resource starts with
/// `resource_prefix`; refuses anything else, naming `property`.
fn arn_of<'a>(
    arn: &'a Input<String>,
    property: &str,
    service: &str,
    resource_prefix: &str,
) -> Result<Vec<&'a str>, InputError> {
    let parts: Vec<&str> = arn.splitn(6, ':').collect();
    let ok = parts.len() == 6
        && parts[0] == "arn"
        && parts[1].starts_with("aws")
        && parts[2] == service
        && !parts[3].is_empty()
        && parts[4].len() == 12
        && parts[4].chars().all(|c| c.is_ascii_digit())
        && parts[5].starts_with(resource_prefix)
        && parts[5].len() > resource_prefix.len();
    if ok {
        Ok(parts)
    } else {
        Err(InputError::new(
            property,
            format!(
                "{property}={} is not an ARN of {service} `{resource_prefix}…`; it looks like \"arn:aws:{service}:us-east-1:123456789012:{resource_prefix}…\"",
                arn.shown()
            ),
        ))
    }
}

/// The `secrets` map: each value a Secrets Manager secret (optionally with
/// a JSON key) or an SSM parameter ARN; names valid and not also in
/// `environment`.
fn secret_refs(
    r: &ArgsReader<'_>,
    environment: &BTreeMap<String, Value>,
) -> Result<Vec<SecretRef>, InputError> {
    let mut refs = Vec::new();
    for (name, value) in r.entries("secrets")?.unwrap_or_default() {
        let property = secret_variable(&name, environment)?;
        let grant = match value.unwrap_top() {
            (Some(Value::String(s)), _) => {
                let arn = Input::plain(s.clone());
                match s.split(':').nth(2) {
                    Some("ssm") => {
                        let parts = arn_of(&arn, &property, "ssm", "parameter/")?;
                        // Parameter Store's window onto Secrets Manager reads the secret
                        // with secretsmanager:GetSecretValue, which a parameter grant
                        // lacks (https://docs.aws.amazon.com/systems-manager/latest/userguide/integration-ps-secretsmanager.html);
                        // the secret's own ARN is what ECS reads and we grant exactly.
                        if parts[5].starts_with("parameter/aws/reference/secretsmanager/") {
                            return Err(InputError::new(
                                &property,
                                format!(
                                    "{property} reads a Secrets Manager secret through Parameter Store (`/aws/reference/secretsmanager/`); give the secret's own ARN instead (\"arn:aws:secretsmanager:<region>:<account>:secret:<name>\"), which ECS reads directly"
                                ),
                            ));
                        }
                        SecretGrant::Ssm(value.replace_plain(Value::string(s)))
                    }
                    _ => {
                        let parts: Vec<&str> = s.split(':').collect();
                        let base = parts.iter().take(7).copied().collect::<Vec<_>>().join(":");
                        arn_of(
                            &Input::plain(base.clone()),
                            &property,
                            "secretsmanager",
                            "secret:",
                        )?;
                        if parts.len() > 7 && parts.len() != 10 {
                            return Err(InputError::new(
                                &property,
                                format!(
                                    "{property} has a JSON key but not in ECS's form; write `<secret ARN>:<json-key>::` (version stage and ID may follow the key)"
                                ),
                            ));
                        }
                        SecretGrant::SecretsManager(
                            secret_arns(&base)
                                .into_iter()
                                .map(|a| value.replace_plain(Value::string(a)))
                                .collect(),
                        )
                    }
                }
            }
            _ => SecretGrant::Unknown(value.clone()),
        };
        refs.push(SecretRef {
            name,
            value_from: value,
            grant,
        });
    }
    Ok(refs)
}

/// The `secretsKmsKeyArns` list: each known item a key ARN (not an alias:
/// IAM matches a `Resource` against the key ARN only) in the service's
/// partition, none twice; `None` for an empty list.
fn kms_key_list(r: &ArgsReader<'_>, partition: &str) -> Result<Option<Value>, InputError> {
    let Some(value) = r.passthrough("secretsKmsKeyArns")? else {
        return Ok(None);
    };
    let (Some(Value::Array(items)), _) = value.unwrap_top() else {
        // Another resource's output during preview: checked when it is known.
        return Ok(Some(value));
    };
    if items.is_empty() {
        return Ok(None);
    }
    let mut seen: Vec<&str> = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let path = format!("secretsKmsKeyArns[{i}]");
        let (arn, taint) = match item.unwrap_top() {
            (Some(Value::String(arn)), taint) => (arn, taint),
            // Another resource's output during preview: checked when it is known.
            (None, _) => continue,
            // The type check lets only a null through.
            (Some(_), _) => {
                return Err(InputError::new(
                    &path,
                    format!("{path} is null; list key ARNs only"),
                ));
            }
        };
        let shown = if taint.secret {
            "[secret]".to_string()
        } else {
            format!("{arn:?}")
        };
        kms_key_arn(arn, partition).map_err(|why| {
            InputError::new(
                &path,
                format!(
                    "{path}={shown} {why}; a key ARN looks like \"arn:{partition}:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab\""
                ),
            )
        })?;
        if seen.contains(&arn.as_str()) {
            return Err(InputError::new(
                "secretsKmsKeyArns",
                format!("secretsKmsKeyArns lists {shown} twice; list each key once"),
            ));
        }
        seen.push(arn);
    }
    Ok(Some(value))
}

/// Why `arn` is not the ARN of a KMS key in `partition`, if it is not.
fn kms_key_arn(arn: &str, partition: &str) -> Result<(), String> {
    let parts: Vec<&str> = arn.splitn(6, ':').collect();
    let [prefix, arn_partition, service, region, account, resource] = parts.as_slice() else {
        return Err("is not a KMS key ARN".into());
    };
    if *prefix != "arn" || *service != "kms" || region.is_empty() {
        return Err("is not a KMS key ARN".into());
    }
    if account.len() != 12 || !account.chars().all(|c| c.is_ascii_digit()) {
        return Err(format!("has no 12-digit account ID ({account:?})"));
    }
    if resource.starts_with("alias/") {
        // https://docs.aws.amazon.com/kms/latest/developerguide/cmks-in-iam-policies.html
        return Err("is an alias ARN: in an IAM policy an alias ARN names the alias, not its key, so it cannot grant kms:Decrypt; give the key's ARN (`aws kms describe-key --key-id alias/<name>` prints it)".into());
    }
    let id = resource.strip_prefix("key/").unwrap_or_default();
    if id.is_empty() || !id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
        return Err("is not a KMS key ARN (the resource must be `key/<key-id>`)".into());
    }
    if *arn_partition != partition {
        return Err(format!(
            "is a key of partition {arn_partition:?} but the service runs in {partition:?}; a task can only use keys of its own partition"
        ));
    }
    Ok(())
}

/// IAM resources for a secret ARN: as written, and with `-??????`, the six
/// characters Secrets Manager appends — an ARN written with the name only
/// cannot be told apart from a complete one (a name may end in `-abcdef`).
fn secret_arns(arn: &str) -> Vec<String> {
    vec![arn.to_string(), format!("{arn}-??????")]
}

/// The AWS partition a region belongs to (for ARNs of AWS-managed policies).
pub fn partition(region: &str) -> &'static str {
    if region.starts_with("cn-") {
        "aws-cn"
    } else if region.starts_with("us-gov-") {
        "aws-us-gov"
    } else {
        "aws"
    }
}

/// The stack's AWS region: `aws:region`, else the environment's.
fn region(ctx: &ConstructContext) -> Result<String, InputError> {
    let from_config = ctx.config("aws:region").and_then(|v| match v.strip() {
        Value::String(s) => Some(s),
        _ => None,
    });
    let region = from_config
        .or_else(|| std::env::var("AWS_REGION").ok())
        .or_else(|| std::env::var("AWS_DEFAULT_REGION").ok())
        .filter(|r| !r.is_empty());
    region.ok_or_else(|| {
        InputError::new(
            "aws:region",
            "a WebService needs the stack's AWS region (for its availability zones and its logs): run `pulumi config set aws:region <region>`, for example us-east-1",
        )
    })
}

/// The new VPC's zones, or the existing network.
fn network(r: &ArgsReader<'_>, region: &str) -> Result<Network, InputError> {
    let zones = r.strings("availabilityZones")?;
    if let Some(n) = r.object("network")? {
        if zones.is_some() {
            return Err(InputError::new(
                "availabilityZones",
                "availabilityZones is for the new VPC a WebService creates; with `network` the subnets decide the zones: remove one of the two",
            ));
        }
        let vpc_id = n
            .string_or_unknown("vpcId", |id| prefixed_id(id, "network.vpcId", "vpc-"))?
            .ok_or_else(|| n.missing_error("vpcId"))?;
        let subnet_ids =
            subnet_list(&n, "subnetIds", 2)?.ok_or_else(|| n.missing_error("subnetIds"))?;
        let task_subnet_ids = subnet_list(&n, "taskSubnetIds", 1)?;
        return Ok(Network::Existing {
            vpc_id,
            subnet_ids,
            task_subnet_ids,
        });
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
                    return Err(InputError::new(
                        "availabilityZones",
                        format!(
                            "availabilityZones: {z:?} is not a zone of the stack's region {region}; zones look like \"{region}a\""
                        ),
                    ));
                }
            }
            Ok(Network::New {
                zones: [Zone::Name(a.clone()), Zone::Name(b.clone())],
            })
        }
        _ => Err(InputError::new(
            "availabilityZones",
            format!(
                "availabilityZones needs two different zones (an Application Load Balancer spans two; the new VPC has one public subnet in each), got {names:?}; for example [\"{region}a\", \"{region}b\"]"
            ),
        )),
    }
}

/// An AWS ID with its prefix (`vpc-…`, `subnet-…`).
fn prefixed_id(
    id: Input<String>,
    property: &str,
    prefix: &str,
) -> Result<Input<String>, InputError> {
    let rest = id.strip_prefix(prefix).unwrap_or_default();
    if rest.is_empty() || !rest.chars().all(|c| c.is_ascii_alphanumeric()) {
        return Err(InputError::new(
            property,
            format!(
                "{property}={} is not an ID of the form \"{prefix}0123456789abcdef0\"",
                id.shown()
            ),
        ));
    }
    Ok(id)
}

/// A list of subnet IDs: checked when known, passed on as it came.
fn subnet_list(
    n: &ArgsReader<'_>,
    name: &str,
    at_least: usize,
) -> Result<Option<Value>, InputError> {
    let Some(value) = n.passthrough(name)? else {
        return Ok(None);
    };
    let path = n.path(name);
    if let (Some(Value::Array(items)), _) = value.unwrap_top() {
        let mut seen = Vec::new();
        for (i, item) in items.iter().enumerate() {
            if let (Some(Value::String(s)), taint) = item.unwrap_top() {
                let shown = Input::plain(s.clone());
                prefixed_id(shown, &format!("{path}[{i}]"), "subnet-").map_err(|e| {
                    if taint.secret {
                        InputError::new(e.property, format!("{path}[{i}] is not a subnet ID"))
                    } else {
                        e
                    }
                })?;
                if seen.contains(s) {
                    return Err(InputError::new(&path, format!("{path} lists {s} twice")));
                }
                seen.push(s.clone());
            }
        }
        if items.len() < at_least {
            return Err(InputError::new(
                &path,
                format!(
                    "{path} needs at least {at_least} subnet{}, got {}{}",
                    if at_least == 1 { "" } else { "s" },
                    items.len(),
                    if at_least > 1 {
                        " (an Application Load Balancer spans two availability zones)"
                    } else {
                        ""
                    }
                ),
            ));
        }
    }
    Ok(Some(value))
}

fn health_check(r: &ArgsReader<'_>) -> Result<HealthCheck, InputError> {
    let h = r.object_or_defaults("healthCheck")?;
    let path = h.required_string("path")?;
    if !path.starts_with('/') || path.chars().any(char::is_whitespace) {
        return Err(InputError::new(
            "healthCheck.path",
            format!(
                "healthCheck.path={} must start with `/` and have no spaces, for example \"/health\"",
                path.shown()
            ),
        ));
    }
    let interval = h.integer("intervalSeconds", 5, 300)?;
    let timeout = h.integer("timeoutSeconds", 2, 120)?;
    if *timeout >= *interval {
        return Err(InputError::new(
            "healthCheck.timeoutSeconds",
            format!(
                "healthCheck.timeoutSeconds={} must be less than healthCheck.intervalSeconds={}",
                timeout.shown_number(),
                interval.shown_number()
            ),
        ));
    }
    let matcher = h.required_string("matcher")?;
    let code = |c: &str| c.parse::<u16>().is_ok_and(|n| (200..=499).contains(&n));
    let valid = matcher.split(',').all(|part| match part.split_once('-') {
        Some((a, b)) => code(a) && code(b) && a < b,
        None => code(part),
    });
    if !valid {
        return Err(InputError::new(
            "healthCheck.matcher",
            format!(
                "healthCheck.matcher={} is not valid; use HTTP codes from 200 to 499: one (\"200\"), a list (\"200,204\") or a range (\"200-399\")",
                matcher.shown()
            ),
        ));
    }
    Ok(HealthCheck {
        path,
        interval,
        timeout,
        healthy_threshold: h.integer("healthyThreshold", 2, 10)?,
        unhealthy_threshold: h.integer("unhealthyThreshold", 2, 10)?,
        matcher,
        grace_period: h.integer("gracePeriodSeconds", 0, i32::MAX as u32)?,
    })
}

/// Default target when `scaling` names none.
const DEFAULT_CPU_TARGET: f64 = 70.0;

fn scaling(r: &ArgsReader<'_>) -> Result<Option<Scaling>, InputError> {
    let Some(s) = r.object("scaling")? else {
        return Ok(None);
    };
    // Target tracking needs a running task to measure: from zero it never scales out.
    let min = s.integer("minCount", 1, 5000)?;
    let max = s.integer("maxCount", 1, 5000)?;
    if *min > *max {
        return Err(InputError::new(
            "scaling.minCount",
            format!(
                "scaling.minCount={} is more than scaling.maxCount={}",
                min.shown_number(),
                max.shown_number()
            ),
        ));
    }
    let percent = |name: &str| -> Result<Option<Input<f64>>, InputError> {
        match s.number(name)? {
            Some(p) if *p <= 0.0 || *p > 100.0 => {
                let path = s.path(name);
                Err(InputError::new(
                    &path,
                    format!(
                        "{path}={} must be a percentage above 0 and at most 100",
                        p.shown_number()
                    ),
                ))
            }
            other => Ok(other),
        }
    };
    let cpu_target = percent("cpuTargetPercent")?;
    let memory_target = percent("memoryTargetPercent")?;
    let requests_per_target = match s.number("requestsPerTarget")? {
        Some(n) if *n <= 0.0 => {
            return Err(InputError::new(
                "scaling.requestsPerTarget",
                format!(
                    "scaling.requestsPerTarget={} must be more than 0",
                    n.shown_number()
                ),
            ));
        }
        other => other,
    };
    let none = cpu_target.is_none() && memory_target.is_none() && requests_per_target.is_none();
    Ok(Some(Scaling {
        min,
        max,
        cpu_target: if none {
            Some(Input::plain(DEFAULT_CPU_TARGET))
        } else {
            cpu_target
        },
        memory_target,
        requests_per_target,
        scale_in_cooldown: s.integer("scaleInCooldownSeconds", 0, 86400)?,
        scale_out_cooldown: s.integer("scaleOutCooldownSeconds", 0, 86400)?,
    }))
}
