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
pub mod errors;
pub mod plan;
pub mod size;
#[cfg(test)]
mod tests;

use launchpad_core::schema::{ComponentDef, EnumDef, PropertyDef, TypeDef};
use launchpad_core::{Component, ComponentPlan, ConstructContext, InputError, Inputs, PropertyMap};

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

/// The component's schema definition; its inputs are [`args::WebServiceInputs`].
pub static DEFINITION: ComponentDef = ComponentDef {
    token: "launchpad:index:WebService",
    description: "A container image served on ECS Fargate behind an Application Load Balancer, secure by default.\n\nThe load balancer accepts only its listener ports; tasks accept traffic only from the load balancer on the container port; the execution role may read exactly the secrets the service names; a deployment that fails its health checks rolls back. Without `network`, a small VPC with two public subnets and no NAT gateway is created, and preview needs no AWS credentials.",
    inputs: <args::WebServiceInputs as Inputs>::PROPERTIES,
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
        PropertyDef::new(
            "httpsListener",
            TypeDef::Boolean,
            "Whether the load balancer has its HTTPS listener (true with `certificateArn`): a StaticSite route to this service needs it. Known at preview.",
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
