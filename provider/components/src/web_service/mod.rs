//! `launchpad:index:WebService` — a container on ECS Fargate behind an
//! Application Load Balancer.
//!
//! Least privilege by default: the load balancer accepts only its listener
//! ports, tasks accept traffic only from the load balancer on the container
//! port, the execution role may read exactly the secrets the service names,
//! and logs are kept for `logRetentionDays`. Every size, port, ARN and
//! network mistake fails at preview, and preview needs no AWS credentials:
//! without `network`, availability zones come from a built-in table.
//! Read [`args`] for the inputs and their validation, [`size`] for the
//! Fargate sizes, [`plan`] for the children (split by concern: network,
//! load balancer, IAM, service, scaling).

pub mod args;
pub mod plan;
pub mod size;
#[cfg(test)]
mod tests;

use launchpad_core::schema::{
    ComponentDef, DefaultValue, EnumDef, ObjectTypeDef, PropertyDef, TypeDef,
};
use launchpad_core::{Component, ComponentPlan, ConstructContext, InputError, PropertyMap};

/// CPU architectures Fargate runs.
pub static CPU_ARCHITECTURE: EnumDef = EnumDef {
    token: "launchpad:index:CpuArchitecture",
    description: "The CPU architecture of the container image.",
    values: &[
        ("X86_64", "Intel/AMD 64-bit."),
        (
            "ARM64",
            "AWS Graviton (cheaper per vCPU; needs an arm64 image).",
        ),
    ],
};

/// The load balancer's health check of each task.
pub static HEALTH_CHECK: ObjectTypeDef = ObjectTypeDef {
    token: "launchpad:index:HealthCheck",
    description: "How the load balancer decides a task is healthy.",
    properties: &[
        PropertyDef::new(
            "path",
            TypeDef::String,
            "HTTP path requested on the container port. Defaults to `/`.",
        )
        .default(DefaultValue::String("/")),
        PropertyDef::new(
            "intervalSeconds",
            TypeDef::Integer,
            "Seconds between checks (5-300). Defaults to 30.",
        )
        .default(DefaultValue::Number(30.0)),
        PropertyDef::new(
            "timeoutSeconds",
            TypeDef::Integer,
            "Seconds to wait for an answer (2-120), less than `intervalSeconds`. Defaults to 5.",
        )
        .default(DefaultValue::Number(5.0)),
        PropertyDef::new(
            "healthyThreshold",
            TypeDef::Integer,
            "Consecutive successes before a task is healthy (2-10). Defaults to 3.",
        )
        .default(DefaultValue::Number(3.0)),
        PropertyDef::new(
            "unhealthyThreshold",
            TypeDef::Integer,
            "Consecutive failures before a task is unhealthy (2-10). Defaults to 3.",
        )
        .default(DefaultValue::Number(3.0)),
        PropertyDef::new(
            "matcher",
            TypeDef::String,
            "HTTP codes that mean healthy: a code, a list (`200,204`) or a range (`200-399`). Defaults to `200-399`.",
        )
        .default(DefaultValue::String("200-399")),
        PropertyDef::new(
            "gracePeriodSeconds",
            TypeDef::Integer,
            "Seconds after a task starts during which failed checks are ignored (0-2147483647), for slow starters. Defaults to 60.",
        )
        .default(DefaultValue::Number(60.0)),
    ],
};

/// Target-tracking autoscaling.
pub static SCALING: ObjectTypeDef = ObjectTypeDef {
    token: "launchpad:index:Scaling",
    description: "Autoscale the number of tasks between `minCount` and `maxCount`, tracking one or more targets. Updates never reset the autoscaled count.",
    properties: &[
        PropertyDef::new(
            "minCount",
            TypeDef::Integer,
            "Fewest tasks (1-5000: target tracking needs a running task to measure). Defaults to 1.",
        )
        .default(DefaultValue::Number(1.0)),
        PropertyDef::new(
            "maxCount",
            TypeDef::Integer,
            "Most tasks: at least `minCount`, at most 5000.",
        )
        .required(),
        PropertyDef::new(
            "cpuTargetPercent",
            TypeDef::Number,
            "Keep the average CPU use of the tasks near this percentage (1-100).",
        ),
        PropertyDef::new(
            "memoryTargetPercent",
            TypeDef::Number,
            "Keep the average memory use of the tasks near this percentage (1-100).",
        ),
        PropertyDef::new(
            "requestsPerTarget",
            TypeDef::Number,
            "Keep the load balancer's requests per task per minute near this number.",
        ),
        PropertyDef::new(
            "scaleInCooldownSeconds",
            TypeDef::Integer,
            "Seconds after a scale-in before another. Defaults to 300.",
        )
        .default(DefaultValue::Number(300.0)),
        PropertyDef::new(
            "scaleOutCooldownSeconds",
            TypeDef::Integer,
            "Seconds after a scale-out before another. Defaults to 60.",
        )
        .default(DefaultValue::Number(60.0)),
    ],
};

/// An existing network to run in.
pub static NETWORK: ObjectTypeDef = ObjectTypeDef {
    token: "launchpad:index:Network",
    description: "An existing VPC to run in, instead of a new one.",
    properties: &[
        PropertyDef::new("vpcId", TypeDef::String, "The VPC's ID (`vpc-…`).").required(),
        PropertyDef::new(
            "subnetIds",
            TypeDef::Array(&TypeDef::String),
            "Public subnets (with a route to an internet gateway) for the load balancer, in at least two availability zones. Tasks run here too, with public IPs, unless `taskSubnetIds` is set.",
        )
        .required(),
        PropertyDef::new(
            "taskSubnetIds",
            TypeDef::Array(&TypeDef::String),
            "Private subnets for the tasks (no public IPs). They need a NAT gateway or VPC endpoints to pull images and read secrets.",
        ),
    ],
};

/// The component's schema definition; [`args::WebServiceArgs`] decodes against it.
pub static DEFINITION: ComponentDef = ComponentDef {
    token: "launchpad:index:WebService",
    description: "A container image served on ECS Fargate behind an Application Load Balancer, secure by default.\n\nThe load balancer accepts only its listener ports; tasks accept traffic only from the load balancer on the container port; the execution role may read exactly the secrets the service names; a deployment that fails its health checks rolls back. Without `network`, a small VPC with two public subnets and no NAT gateway is created, and preview needs no AWS credentials.",
    inputs: &[
        PropertyDef::new(
            "image",
            TypeDef::String,
            "The container image, for example `ghcr.io/acme/api:1.4.2` or an ECR image URI (pin a tag or a digest).",
        )
        .required(),
        PropertyDef::new(
            "port",
            TypeDef::Integer,
            "The port the container listens on (1-65535). Defaults to 8080.",
        )
        .default(DefaultValue::Number(8080.0)),
        PropertyDef::new(
            "cpu",
            TypeDef::Integer,
            "CPU units per task: 256, 512, 1024, 2048, 4096, 8192 or 16384 (1024 = 1 vCPU). Defaults to 256.",
        )
        .default(DefaultValue::Number(256.0)),
        PropertyDef::new(
            "memory",
            TypeDef::Integer,
            "Memory per task in MiB, valid for `cpu` (256: 512, 1024 or 2048; 512: 1024-4096; 1024: 2048-8192; 2048: 4096-16384; 4096: 8192-30720, in 1024 steps; 8192: 16384-61440 in 4096 steps; 16384: 32768-122880 in 8192 steps). Defaults to 512.",
        )
        .default(DefaultValue::Number(512.0)),
        PropertyDef::new(
            "cpuArchitecture",
            TypeDef::Enum(&CPU_ARCHITECTURE),
            "The image's CPU architecture. Defaults to `X86_64`.",
        )
        .default(DefaultValue::String("X86_64")),
        PropertyDef::new(
            "desiredCount",
            TypeDef::Integer,
            "How many tasks run (0-5000, without `scaling`). Defaults to 2, one per availability zone.",
        )
        .default(DefaultValue::Number(2.0)),
        PropertyDef::new(
            "environment",
            TypeDef::Map(&TypeDef::String),
            "Environment variables. A secret value keeps the whole task definition secret in the state; prefer `secrets` for credentials.",
        ),
        PropertyDef::new(
            "secrets",
            TypeDef::Map(&TypeDef::String),
            "Environment variables read at start from AWS: variable name → the ARN of a Secrets Manager secret (optionally `<arn>:<json-key>::` for one key of a JSON secret) or of an SSM parameter. The task's execution role may read exactly these.",
        ),
        PropertyDef::new(
            "secretsKmsKeyArns",
            TypeDef::Array(&TypeDef::String),
            "The customer managed KMS keys that encrypt the `secrets` (a Secrets Manager secret or an SSM SecureString parameter under a key of your own), by key ARN: `arn:aws:kms:<region>:<account>:key/<key-id>` (an alias ARN cannot grant the key's use). The execution role may then decrypt with exactly these keys, and only through Secrets Manager or Systems Manager. Not needed for the AWS managed keys `aws/secretsmanager` and `aws/ssm`. Only with `secrets`.",
        ),
        PropertyDef::new(
            "healthCheck",
            TypeDef::Object(&HEALTH_CHECK),
            "How the load balancer checks each task. Defaults to `GET /` on the container port expecting 200-399.",
        ),
        PropertyDef::new(
            "scaling",
            TypeDef::Object(&SCALING),
            "Autoscale the number of tasks. Without it `desiredCount` tasks run.",
        ),
        PropertyDef::new(
            "certificateArn",
            TypeDef::String,
            "An ACM certificate (in the service's region) for HTTPS: the load balancer then listens on 443 with a modern TLS policy and redirects HTTP to HTTPS.",
        ),
        PropertyDef::new(
            "network",
            TypeDef::Object(&NETWORK),
            "Run in an existing VPC. Without it a VPC with two public subnets (no NAT gateway: tasks get public IPs, reachable only through the load balancer's security group) is created.",
        ),
        PropertyDef::new(
            "availabilityZones",
            TypeDef::Array(&TypeDef::String),
            "Two availability zone names for the new VPC's subnets, for example `[\"eu-west-1a\", \"eu-west-1b\"]`. Defaults to two zones of the stack's `aws:region` from a built-in table of zone IDs, which name the same zones in every account (no AWS call at preview). Not allowed with `network`.",
        ),
        PropertyDef::new(
            "spot",
            TypeDef::Integer,
            "Percentage of tasks on Fargate Spot (0-100; up to 70% cheaper, may be interrupted with two minutes' notice). One task always stays on regular Fargate unless this is 100. X86_64 only. Defaults to 0.",
        )
        .default(DefaultValue::Number(0.0)),
        PropertyDef::new(
            "logRetentionDays",
            TypeDef::Integer,
            "Days the container logs are kept (a CloudWatch Logs retention: 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288 or 3653). Defaults to 30.",
        )
        .default(DefaultValue::Number(30.0)),
        PropertyDef::new(
            "enableExecuteCommand",
            TypeDef::Boolean,
            "Allow `aws ecs execute-command` into running tasks (grants the task role the SSM messages permissions it needs). Defaults to false.",
        )
        .default(DefaultValue::Bool(false)),
        PropertyDef::new(
            "tags",
            TypeDef::Map(&TypeDef::String),
            "Tags applied to every child resource that supports tags.",
        ),
    ],
    outputs: &[
        PropertyDef::new(
            "url",
            TypeDef::String,
            "The service's URL on the load balancer (`https://` with `certificateArn`: point your domain at `loadBalancerDnsName`).",
        )
        .required(),
        PropertyDef::new("loadBalancerDnsName", TypeDef::String, "The load balancer's DNS name.")
            .required(),
        PropertyDef::new("loadBalancerArn", TypeDef::String, "The load balancer's ARN.")
            .required(),
        PropertyDef::new("serviceName", TypeDef::String, "The ECS service's name.").required(),
        PropertyDef::new("clusterName", TypeDef::String, "The ECS cluster's name.").required(),
        PropertyDef::new(
            "logGroupName",
            TypeDef::String,
            "The CloudWatch log group of the container's output.",
        )
        .required(),
        PropertyDef::new("vpcId", TypeDef::String, "The VPC the service runs in.").required(),
        PropertyDef::new(
            "securityGroupId",
            TypeDef::String,
            "The tasks' security group (allow it in a database's security group, for example).",
        )
        .required(),
        PropertyDef::new(
            "taskRoleArn",
            TypeDef::String,
            "The role the container runs as: grant it what the application needs.",
        )
        .required(),
    ],
};

/// The WebService component.
pub struct WebService;

impl Component for WebService {
    fn definition(&self) -> &'static ComponentDef {
        &DEFINITION
    }

    fn plan(
        &self,
        ctx: &ConstructContext,
        inputs: &PropertyMap,
    ) -> Result<ComponentPlan, InputError> {
        let args = args::WebServiceArgs::decode(ctx, inputs)?;
        Ok(plan::plan(ctx, &args))
    }
}
