//! `launchpad:index:CloudRunService` — a container on Google Cloud Run (v2),
//! scale-to-zero and safe by default.
//!
//! Each service runs as its own service account (never the default compute
//! account, which is Editor on the whole project), which may read exactly
//! the secrets the service names. It is private unless `public` is set,
//! and then public through `invokerIamDisabled` rather than an `allUsers`
//! binding that domain-restricted-sharing org policies refuse. Deletion
//! protection is explicit and off by default, so a replacement is never
//! blocked. Every cpu/memory/concurrency combination Cloud Run would refuse
//! fails at preview. Read [`args`] for the inputs, [`size`] for the
//! size rules, [`plan`] for the children.

pub mod args;
pub mod plan;
pub mod size;
#[cfg(test)]
mod tests;

use launchpad_core::schema::{
    ComponentDef, DefaultValue, EnumDef, ObjectTypeDef, PropertyDef, TypeDef,
};
use launchpad_core::{Component, ComponentPlan, ConstructContext, InputError, PropertyMap};

/// Where requests may come from.
pub static INGRESS: EnumDef = EnumDef {
    token: "launchpad:index:CloudRunIngress",
    description: "Which network sources may reach the service.",
    values: &[
        ("all", "The internet and the project's networks."),
        (
            "internal",
            "Only the project's VPC networks (and Shared VPC).",
        ),
        (
            "internal-and-cloud-load-balancing",
            "Internal sources and an external Application Load Balancer.",
        ),
    ],
};

/// Which egress goes through the VPC.
pub static VPC_EGRESS: EnumDef = EnumDef {
    token: "launchpad:index:CloudRunVpcEgress",
    description: "Which outbound traffic goes through the VPC.",
    values: &[
        (
            "private-ranges-only",
            "Only traffic to private (RFC 1918) addresses.",
        ),
        (
            "all-traffic",
            "All outbound traffic (for a static egress IP through Cloud NAT).",
        ),
    ],
};

/// One secret an environment variable is read from.
pub static SECRET_REF: ObjectTypeDef = ObjectTypeDef {
    token: "launchpad:index:CloudRunSecret",
    description: "A Secret Manager secret whose value an environment variable holds.",
    properties: &[
        PropertyDef::new(
            "secret",
            TypeDef::String,
            "The secret's ID (`db-url`) in the service's project, or its full name (`projects/<project>/secrets/<id>`).",
        )
        .required(),
        PropertyDef::new(
            "version",
            TypeDef::String,
            "The version: `latest`, a version number or a version alias. Defaults to `latest`.",
        )
        .default(DefaultValue::String("latest")),
    ],
};

/// HTTP probes.
pub static HEALTH_CHECK: ObjectTypeDef = ObjectTypeDef {
    token: "launchpad:index:CloudRunHealthCheck",
    description: "HTTP probes on the container port. Without them Cloud Run only waits for the port to open.",
    properties: &[
        PropertyDef::new(
            "startupPath",
            TypeDef::String,
            "Path that answers 2xx/3xx once the container has started, for example `/ready`.",
        ),
        PropertyDef::new(
            "livenessPath",
            TypeDef::String,
            "Path that answers 2xx/3xx while the container is healthy; Cloud Run restarts it otherwise.",
        ),
    ],
};

/// Direct VPC egress.
pub static VPC_ACCESS: ObjectTypeDef = ObjectTypeDef {
    token: "launchpad:index:CloudRunVpcAccess",
    description: "Direct VPC egress: the service reaches a VPC network (a database on a private IP, say) without a connector.",
    properties: &[
        PropertyDef::new(
            "network",
            TypeDef::String,
            "The VPC network's name or ID. Defaults to the subnetwork's network.",
        ),
        PropertyDef::new(
            "subnetwork",
            TypeDef::String,
            "The subnetwork's name or ID, in the service's region.",
        )
        .required(),
        PropertyDef::new(
            "egress",
            TypeDef::Enum(&VPC_EGRESS),
            "Which outbound traffic goes through the VPC. Defaults to `private-ranges-only`.",
        )
        .default(DefaultValue::String("private-ranges-only")),
    ],
};

/// The component's schema definition; [`args::CloudRunArgs`] decodes against it.
pub static DEFINITION: ComponentDef = ComponentDef {
    token: "launchpad:index:CloudRunService",
    description: "A container image served by Google Cloud Run (v2): scale-to-zero, private by default, with its own service account.\n\nThe service account may read exactly the secrets the service names. `public: true` opens it to unauthenticated requests through `invokerIamDisabled` (works under domain-restricted-sharing org policies, unlike an `allUsers` binding). Deletion protection is off unless set, so a replacement is never blocked.",
    inputs: &[
        PropertyDef::new(
            "image",
            TypeDef::String,
            "The container image, for example `us-docker.pkg.dev/my-project/app/api:1.4.2`.",
        )
        .required(),
        PropertyDef::new(
            "region",
            TypeDef::String,
            "The Cloud Run region, for example `europe-west1`. Defaults to the stack's `gcp:region`.",
        ),
        PropertyDef::new(
            "project",
            TypeDef::String,
            "The project ID. Defaults to the stack's `gcp:project` (or the provider's).",
        ),
        PropertyDef::new(
            "port",
            TypeDef::Integer,
            "The port the container listens on (1-65535; Cloud Run sets `PORT` to it). Defaults to 8080.",
        )
        .default(DefaultValue::Number(8080.0)),
        PropertyDef::new(
            "cpu",
            TypeDef::String,
            "CPUs per instance: a fraction from \"0.08\" to \"1\", or \"1\", \"2\", \"4\", \"6\" or \"8\". Below 1, `concurrency` must be 1. Defaults to \"1\".",
        )
        .default(DefaultValue::String("1")),
        PropertyDef::new(
            "memory",
            TypeDef::String,
            "Memory per instance, `Mi` or `Gi`: 512Mi to 32Gi; over 4Gi needs 2 CPUs, over 8Gi 4, over 16Gi 6, over 24Gi 8. Defaults to \"512Mi\".",
        )
        .default(DefaultValue::String("512Mi")),
        PropertyDef::new(
            "concurrency",
            TypeDef::Integer,
            "Requests one instance serves at once (1-1000). Defaults to 80.",
        )
        .default(DefaultValue::Number(80.0)),
        PropertyDef::new(
            "minInstances",
            TypeDef::Integer,
            "Instances kept warm (0-1000). Defaults to 0: scale to zero, pay nothing when idle.",
        )
        .default(DefaultValue::Number(0.0)),
        PropertyDef::new(
            "maxInstances",
            TypeDef::Integer,
            "Most instances: at least `minInstances`, at most 1000. Defaults to 100.",
        )
        .default(DefaultValue::Number(100.0)),
        PropertyDef::new(
            "timeoutSeconds",
            TypeDef::Integer,
            "How long a request may take (1-3600 seconds). Defaults to 300.",
        )
        .default(DefaultValue::Number(300.0)),
        PropertyDef::new(
            "cpuIdle",
            TypeDef::Boolean,
            "Allocate CPU only while a request is served (cheaper); `false` keeps it allocated for background work. Defaults to true.",
        )
        .default(DefaultValue::Bool(true)),
        PropertyDef::new(
            "startupCpuBoost",
            TypeDef::Boolean,
            "More CPU while an instance starts (faster cold starts). Defaults to false.",
        )
        .default(DefaultValue::Bool(false)),
        PropertyDef::new(
            "environment",
            TypeDef::Map(&TypeDef::String),
            "Environment variables. A secret value stays secret in the state; prefer `secrets` for credentials.",
        ),
        PropertyDef::new(
            "secrets",
            TypeDef::Map(&TypeDef::Object(&SECRET_REF)),
            "Environment variables read from Secret Manager: variable name → secret (and version). The service account may read exactly these secrets.",
        ),
        PropertyDef::new(
            "healthCheck",
            TypeDef::Object(&HEALTH_CHECK),
            "HTTP startup and liveness probes.",
        ),
        PropertyDef::new(
            "public",
            TypeDef::Boolean,
            "Let anyone on the internet call the service without authentication (through `invokerIamDisabled`; whoever runs `pulumi up` needs `run.services.setIamPolicy`, e.g. `roles/run.admin`). Defaults to false: callers need `roles/run.invoker`.",
        )
        .default(DefaultValue::Bool(false)),
        PropertyDef::new(
            "ingress",
            TypeDef::Enum(&INGRESS),
            "Which network sources may reach the service. Defaults to `all`.",
        )
        .default(DefaultValue::String("all")),
        PropertyDef::new(
            "vpcAccess",
            TypeDef::Object(&VPC_ACCESS),
            "Reach a VPC network through Direct VPC egress.",
        ),
        PropertyDef::new(
            "deletionProtection",
            TypeDef::Boolean,
            "Refuse to delete (or replace) the service. Defaults to false.",
        )
        .default(DefaultValue::Bool(false)),
        PropertyDef::new(
            "labels",
            TypeDef::Map(&TypeDef::String),
            "At most 64 labels on the service and its revisions (keys: lower-case letter first, then lower-case letters, digits, `_` and `-`, at most 63; values the same characters, may be empty).",
        ),
    ],
    outputs: &[
        PropertyDef::new("url", TypeDef::String, "The service's HTTPS URL.").required(),
        PropertyDef::new("serviceName", TypeDef::String, "The Cloud Run service's name.").required(),
        PropertyDef::new(
            "serviceAccountEmail",
            TypeDef::String,
            "The service account the service runs as: grant it what the application needs.",
        )
        .required(),
        PropertyDef::new(
            "latestRevision",
            TypeDef::String,
            "The latest revision that is ready to serve.",
        )
        .required(),
    ],
};

/// The CloudRunService component.
pub struct CloudRunService;

impl Component for CloudRunService {
    fn definition(&self) -> &'static ComponentDef {
        &DEFINITION
    }

    fn plan(
        &self,
        ctx: &ConstructContext,
        inputs: &PropertyMap,
    ) -> Result<ComponentPlan, InputError> {
        let args = args::CloudRunArgs::decode(ctx, inputs)?;
        Ok(plan::plan(ctx, &args))
    }
}
