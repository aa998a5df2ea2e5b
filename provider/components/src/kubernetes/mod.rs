//! `launchpad:index:KubernetesService` — a production service on any
//! Kubernetes cluster, through pulumi-kubernetes: what a platform team would
//! otherwise write as 300 lines of YAML per service, with the defaults that
//! are easy to get wrong set right.
//!
//! The pods pass the `restricted` Pod Security Standard (non-root, seccomp
//! `RuntimeDefault`, no privilege escalation, every capability dropped, a
//! read-only root file system with a writable `/tmp`), request CPU and
//! memory (memory limit = request, no CPU limit), and have startup,
//! readiness and liveness probes with a startup budget slow starters
//! survive. Rollouts never drop below the current count and spread over
//! zones and nodes. An autoscaler owns the count (so `replicas` is never
//! sent while it does), a disruption budget keeps drains from taking the
//! service down, and a NetworkPolicy lets in only the namespaces named. The
//! service is exposed through an Ingress or a Gateway API HTTPRoute, or not
//! at all. Every name, label, host and quantity the API server would refuse
//! fails at preview; nothing at preview needs a cluster.
//!
//! Read [`args`] for the inputs, [`plan`] for the objects, [`names`] and
//! [`quantity`] for the API server's rules.

pub mod args;
pub mod errors;
pub mod names;
pub mod plan;
pub mod quantity;
#[cfg(test)]
mod tests;

use launchpad_core::schema::{ComponentDef, PropertyDef, TypeDef};
use launchpad_core::{Component, ComponentPlan, ConstructContext, InputError, Inputs, PropertyMap};

/// The component's schema definition; its inputs are [`args::KubernetesInputs`].
pub static DEFINITION: ComponentDef = ComponentDef {
    token: "launchpad:index:KubernetesService",
    description: "A production service on any Kubernetes cluster: a Deployment, its Service, an autoscaler, a disruption budget, a default-deny NetworkPolicy and an Ingress or Gateway API HTTPRoute, secure by default.\n\nThe pods pass the restricted Pod Security Standard, request CPU and memory, and have startup, readiness and liveness probes; rolling updates never drop below the current count and spread over zones and nodes. With the HorizontalPodAutoscaler (on by default) the Deployment's `replicas` is never sent, so a deploy never resets the count it chose. The objects go through the kubernetes provider: pass one in `providers` to pick the cluster, or one with `renderYamlToDirectory` to write the manifests for Argo CD or Flux instead. Every object is named `name` (fixed: the Service's DNS name must not change), so a replacement deletes the old object first.",
    inputs: <args::KubernetesInputs as Inputs>::PROPERTIES,
    outputs: &[
        PropertyDef::new(
            "name",
            TypeDef::String,
            "The name of every object the service is made of.",
        )
        .required(),
        PropertyDef::new(
            "namespace",
            TypeDef::String,
            "The namespace the objects are in, as the cluster reports it; `default` for manifests written without one (a provider with `renderYamlToDirectory` reports none: they go where they are applied, `default` unless the applier says otherwise).",
        )
        .required(),
        PropertyDef::new(
            "serviceName",
            TypeDef::String,
            "The ClusterIP Service's name.",
        )
        .required(),
        PropertyDef::new(
            "clusterDns",
            TypeDef::String,
            "The Service's DNS name inside the cluster, `<name>.<namespace>.svc.cluster.local`, for other services to call.",
        )
        .required(),
        PropertyDef::new(
            "url",
            TypeDef::String,
            "`https://<first host><path>` of the Ingress (`http://` without TLS) or HTTPRoute (whose Gateway is assumed to terminate TLS); absent for a service not exposed, or exposed only under wildcard hosts.",
        ),
        PropertyDef::new(
            "deploymentName",
            TypeDef::String,
            "The Deployment's name (`kubectl rollout status deployment/<name>`).",
        )
        .required(),
    ],
};

/// The KubernetesService component.
pub struct KubernetesService;

impl Component for KubernetesService {
    fn definition(&self) -> &'static ComponentDef {
        &DEFINITION
    }

    fn plan(
        &self,
        ctx: &ConstructContext,
        inputs: &PropertyMap,
    ) -> Result<ComponentPlan, InputError> {
        let args = args::KubernetesArgs::decode(ctx, inputs)?;
        Ok(plan::plan(ctx, &args))
    }
}
