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
pub mod errors;
pub mod plan;
pub mod size;
#[cfg(test)]
mod tests;

use launchpad_core::schema::{ComponentDef, EnumDef, PropertyDef, TypeDef};
use launchpad_core::{Component, ComponentPlan, ConstructContext, InputError, Inputs, PropertyMap};

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

/// The component's schema definition; its inputs are [`args::CloudRunInputs`].
pub static DEFINITION: ComponentDef = ComponentDef {
    token: "launchpad:index:CloudRunService",
    description: "A container image served by Google Cloud Run (v2): scale-to-zero, private by default, with its own service account.\n\nThe service account may read exactly the secrets the service names. `public: true` opens it to unauthenticated requests through `invokerIamDisabled` (works under domain-restricted-sharing org policies, unlike an `allUsers` binding). Deletion protection is off unless set, so a replacement is never blocked.",
    inputs: <args::CloudRunInputs as Inputs>::PROPERTIES,
    outputs: &[
        PropertyDef::new("url", TypeDef::String, "The service's HTTPS URL.").required(),
        PropertyDef::new(
            "serviceName",
            TypeDef::String,
            "The Cloud Run service's name.",
        )
        .required(),
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
