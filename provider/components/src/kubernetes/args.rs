//! KubernetesService inputs, declared once in [`KubernetesInputs`] (with
//! its nested object types) and validated together into
//! [`KubernetesArgs`]. Names, labels, hosts and quantities are checked by
//! the API server's rules ([`super::names`], [`super::quantity`]); values
//! only passed on (a Secret's name that is another resource's output, say)
//! are checked when known and passed through unknown at preview. Every
//! refusal names the property, the value and the valid choices.

use std::collections::BTreeMap;

use launchpad_core::schema::TypeDef;
use launchpad_core::{
    ArgsReader, ConstructContext, Input, InputError, Inputs, ObjectInputs, PropertyMap, Value,
};

use super::errors;
use super::names;
use super::quantity;
use crate::container::image_reference;

/// The labels the Deployment selects its pods by; `labels` may not set them.
pub const SELECTOR_LABELS: [&str; 2] = ["app.kubernetes.io/name", "app.kubernetes.io/instance"];

/// KubernetesService's inputs, each declared once: its doc comment is its
/// description, its attributes its rules and the child property it feeds.
/// Values only passed on stay [`Value`]s (they may be unknown at preview);
/// inspected ones are [`Input`]s.
#[derive(Inputs, Clone, Debug, PartialEq)]
#[inputs(component)]
pub struct KubernetesInputs {
    /// The container image, for example `ghcr.io/acme/api:1.4.2`. Its tag becomes the
    /// `app.kubernetes.io/version` label when it is a valid label value.
    #[input(check = image_reference, feeds("deployment.metadata", "deployment.spec"))]
    pub image: Value,
    /// The name of every object (Deployment, Service, ...), and so the Service's DNS name.
    /// Defaults to the component's own name.
    #[input(
        check = service_name,
        rule = "A DNS-1035 label: 1-63 lower-case letters, digits and `-`, starting with a letter.",
        feeds(
            "serviceAccount.metadata",
            "deployment.metadata",
            "deployment.spec",
            "service.metadata",
            "service.spec",
            "autoscaler.metadata",
            "autoscaler.spec",
            "disruptionBudget.metadata",
            "disruptionBudget.spec",
            "networkPolicy.metadata",
            "networkPolicy.spec",
            "ingress.metadata",
            "ingress.spec",
            "httpRoute.metadata",
            "httpRoute.spec"
        )
    )]
    pub name: Option<Input<String>>,
    /// The namespace of every object. Without it, the provider's namespace (its `namespace`
    /// setting, else the kubeconfig context's, else `default`).
    #[input(
        check = namespace,
        rule = "A DNS-1123 label: 1-63 lower-case letters, digits and `-`.",
        feeds("*.metadata")
    )]
    pub namespace: Option<Value>,
    /// Create `namespace` too, labelled to enforce the `restricted` Pod Security Standard.
    #[input(default = false, feeds("namespace.metadata"))]
    pub create_namespace: Input<bool>,
    /// Labels on every object and on the pods, beside the `app.kubernetes.io/*` labels the
    /// component sets.
    #[input(
        read_with = labels,
        rule = "Keys are `[prefix/]name` and values at most 63 letters, digits, `-`, `_` and `.`, as the API server requires; `app.kubernetes.io/name` and `app.kubernetes.io/instance` are the selector's and cannot be set.",
        feeds("*.metadata", "deployment.spec")
    )]
    pub labels: BTreeMap<String, Value>,
    /// The port the container listens on (named `http`).
    #[input(
        range = 1..=65535,
        default = 8080,
        feeds("deployment.spec", "networkPolicy.spec")
    )]
    pub port: Input<f64>,
    /// The port of the ClusterIP Service, which forwards to the container's port.
    #[input(range = 1..=65535, default = 80, feeds("service.spec", "httpRoute.spec"))]
    pub service_port: Input<f64>,
    /// The container's entrypoint, replacing the image's `ENTRYPOINT`.
    #[input(ty = TypeDef::Array(&TypeDef::String), feeds("deployment.spec"))]
    pub command: Option<Value>,
    /// Arguments to the entrypoint, replacing the image's `CMD`.
    #[input(ty = TypeDef::Array(&TypeDef::String), feeds("deployment.spec"))]
    pub args: Option<Value>,
    /// CPU the container requests (a Kubernetes quantity: `250m`, `0.5`, `2`): what the
    /// scheduler reserves, and what the autoscaler's `cpuUtilization` is a percentage of.
    #[input(check = quantity::cpu, default = "250m", feeds("deployment.spec"))]
    pub cpu: Input<String>,
    /// Memory the container requests, and its limit (a Kubernetes quantity: `256Mi`, `1Gi`,
    /// `500M`). Request and limit are equal so the pod is never killed for using what it was
    /// given.
    #[input(check = quantity::memory, default = "256Mi", feeds("deployment.spec"))]
    pub memory: Input<String>,
    /// A CPU limit, at least `cpu`. None by default: a CPU limit throttles the container even
    /// when the node has idle CPU, which slows requests without protecting anyone (the request
    /// already guarantees every pod its share).
    #[input(check = quantity::cpu, feeds("deployment.spec"))]
    pub cpu_limit: Option<Input<String>>,
    /// How many pods run when `autoscaling` is off (2 when not set). With autoscaling on it is
    /// never sent, so a deploy never resets the count the autoscaler chose; it must then lie
    /// within `minReplicas` to `maxReplicas`.
    #[input(range = 0..=1000, feeds("deployment.spec"))]
    pub replicas: Option<Input<f64>>,
    /// Environment variables. A secret value stays secret in the state, but is written into the
    /// Deployment in plain text: prefer `secrets` for credentials.
    #[input(read_with = environment, feeds("deployment.spec"))]
    pub environment: BTreeMap<String, Value>,
    /// Environment variables read from keys of existing Secrets: variable name → Secret and key.
    #[input(
        read_with = key_refs,
        ty = TypeDef::Map(&TypeDef::Object(&<KubernetesKeyRef as ObjectInputs>::OBJECT)),
        feeds("deployment.spec")
    )]
    pub secrets: BTreeMap<String, KubernetesKeyRef>,
    /// Environment variables read from keys of existing ConfigMaps: variable name → ConfigMap and
    /// key.
    #[input(
        read_with = key_refs,
        ty = TypeDef::Map(&TypeDef::Object(&<KubernetesKeyRef as ObjectInputs>::OBJECT)),
        feeds("deployment.spec")
    )]
    pub config_maps: BTreeMap<String, KubernetesKeyRef>,
    /// Existing Secrets whose every key becomes an environment variable.
    #[input(
        read_with = object_names,
        ty = TypeDef::Array(&TypeDef::String),
        rule = "Each a DNS-1123 subdomain.",
        feeds("deployment.spec")
    )]
    pub env_from_secrets: Option<Value>,
    /// Existing ConfigMaps whose every key becomes an environment variable.
    #[input(
        read_with = object_names,
        ty = TypeDef::Array(&TypeDef::String),
        rule = "Each a DNS-1123 subdomain.",
        feeds("deployment.spec")
    )]
    pub env_from_config_maps: Option<Value>,
    /// Secrets (of type `kubernetes.io/dockerconfigjson`) holding credentials for a private
    /// registry.
    #[input(
        read_with = object_names,
        ty = TypeDef::Array(&TypeDef::String),
        rule = "Each a DNS-1123 subdomain.",
        feeds("deployment.spec")
    )]
    pub image_pull_secrets: Option<Value>,
    /// The identity the pods run as.
    #[input(feeds("serviceAccount.metadata", "deployment.spec"))]
    pub service_account: KubernetesServiceAccount,
    /// The user ID the container runs as. Needed when the image's `USER` is a name (`USER app`)
    /// or root: the pods must run as non-root, and the kubelet cannot check a name, so it refuses
    /// to start the container (`CreateContainerConfigError`, "image has non-numeric user"). Not 0.
    #[input(range = 1..=2147483647, feeds("deployment.spec"))]
    pub run_as_user: Option<Input<f64>>,
    /// The primary group ID of the container's processes.
    #[input(range = 1..=2147483647, feeds("deployment.spec"))]
    pub run_as_group: Option<Input<f64>>,
    /// A group that owns mounted volumes, so that a non-root user can write them.
    #[input(range = 1..=2147483647, feeds("deployment.spec"))]
    pub fs_group: Option<Input<f64>>,
    /// Mount the image's file system read-only, with a writable `emptyDir` at `/tmp`: what an
    /// attacker could change is then gone on restart.
    #[input(default = true, feeds("deployment.spec"))]
    pub read_only_root_filesystem: Input<bool>,
    /// How long a pod may take to finish its requests after SIGTERM before it is killed.
    #[input(range = 0..=3600, default = 30, feeds("deployment.spec"))]
    pub termination_grace_period_seconds: Input<f64>,
    /// Startup, readiness and liveness probes on the container port.
    #[input(feeds("deployment.spec"))]
    pub health_check: KubernetesHealthCheck,
    /// A HorizontalPodAutoscaler on CPU (and memory) use.
    #[input(feeds("autoscaler.spec", "deployment.spec"))]
    pub autoscaling: KubernetesAutoscaling,
    /// A PodDisruptionBudget of one pod at a time whenever more than one pod can run, so that a
    /// node drain never takes the whole service down.
    #[input(default = true, feeds("disruptionBudget.spec"))]
    pub pod_disruption_budget: Input<bool>,
    /// Which pods may connect to these pods.
    #[input(feeds("networkPolicy.spec"))]
    pub network_policy: KubernetesNetworkPolicy,
    /// Expose the service through an Ingress (the cluster's ingress controller). At most one of
    /// `ingress` and `httpRoute`.
    #[input(feeds("ingress.metadata", "ingress.spec", "networkPolicy.spec"))]
    pub ingress: Option<KubernetesIngress>,
    /// Expose the service through an existing Gateway (Gateway API HTTPRoute). At most one of
    /// `ingress` and `httpRoute`.
    #[input(feeds("httpRoute.spec", "networkPolicy.spec"))]
    pub http_route: Option<KubernetesHttpRoute>,
}

/// A key of an existing Secret or ConfigMap.
#[derive(Inputs, Clone, Debug, PartialEq)]
#[inputs(object = "launchpad:index:KubernetesKeyRef")]
pub struct KubernetesKeyRef {
    /// The Secret's or ConfigMap's name, in the service's namespace.
    #[input(check = object_name)]
    pub name: Value,
    /// The key whose value the variable holds.
    #[input(check = data_key)]
    pub key: Value,
}

/// The service account the pods run as.
#[derive(Inputs, Clone, Debug, PartialEq)]
#[inputs(object = "launchpad:index:KubernetesServiceAccount")]
pub struct KubernetesServiceAccount {
    /// Create a service account of the service's own (named as the service unless `name` is
    /// set); `false` runs the pods as the existing one named `name`.
    #[input(default = true)]
    pub create: Input<bool>,
    /// The service account's name: the one to create, or the existing one.
    #[input(check = object_name)]
    pub name: Option<Input<String>>,
    /// Annotations on the service account created, such as `eks.amazonaws.com/role-arn` (IRSA)
    /// or `iam.gke.io/gcp-service-account` (GKE Workload Identity).
    #[input(read_with = annotations)]
    pub annotations: BTreeMap<String, Value>,
    /// Mount the account's API token into the pods; only for an application that calls the
    /// Kubernetes API.
    #[input(default = false)]
    pub automount_token: Input<bool>,
}

/// Probes on the container's `http` port: an HTTP GET of `path`, or a TCP connection without it.
/// Readiness and liveness start only once the startup probe has succeeded.
#[derive(Inputs, Clone, Debug, PartialEq)]
#[inputs(object = "launchpad:index:KubernetesHealthCheck")]
pub struct KubernetesHealthCheck {
    /// A path that answers 2xx or 3xx while the container is healthy, for example `/healthz`.
    /// Without it, the probes only open a TCP connection to the port.
    #[input(check = path, rule = "Starts with `/`, no spaces.")]
    pub path: Option<Input<String>>,
    /// How long a container may take to start (the startup probe checks every 5 seconds until
    /// then), so slow starters are not killed. The Deployment's `progressDeadlineSeconds` and
    /// pulumi-kubernetes' wait for the rollout (`pulumi.com/timeoutSeconds`) are this plus 600.
    #[input(range = 5..=3600, default = 300)]
    pub startup_timeout_seconds: Input<f64>,
    /// Seconds between readiness and liveness checks.
    #[input(range = 1..=300, default = 10)]
    pub period_seconds: Input<f64>,
    /// Failed checks in a row before a pod leaves the Service (readiness) or is restarted
    /// (liveness).
    #[input(range = 1..=30, default = 3)]
    pub failure_threshold: Input<f64>,
}

/// A HorizontalPodAutoscaler (autoscaling/v2) on the pods' CPU and memory use, relative to what
/// they request. It needs the cluster's metrics server to scale on use; without one it still
/// keeps the count within its range.
#[derive(Inputs, Clone, Debug, PartialEq)]
#[inputs(object = "launchpad:index:KubernetesAutoscaling")]
pub struct KubernetesAutoscaling {
    /// Scale with an autoscaler; `false` runs `replicas` pods.
    #[input(default = true)]
    pub enabled: Input<bool>,
    /// The fewest pods.
    #[input(range = 1..=1000, default = 2)]
    pub min_replicas: Input<f64>,
    /// The most pods; at least `minReplicas`.
    #[input(range = 1..=1000, default = 10)]
    pub max_replicas: Input<f64>,
    /// Target average CPU use, in percent of `cpu`.
    #[input(range = 1..=100, default = 70)]
    pub cpu_utilization: Input<f64>,
    /// Target average memory use, in percent of `memory`; not a target unless set.
    #[input(range = 1..=100)]
    pub memory_utilization: Option<Input<f64>>,
}

/// A NetworkPolicy that denies every connection to the pods except TCP to the container port
/// from the namespaces allowed here (and from the ingress controller's or Gateway's).
#[derive(Inputs, Clone, Debug, PartialEq)]
#[inputs(object = "launchpad:index:KubernetesNetworkPolicy")]
pub struct KubernetesNetworkPolicy {
    /// Create the policy. Without it, any pod of the cluster can connect to these pods.
    #[input(default = true)]
    pub enabled: Input<bool>,
    /// Allow the pods of the service's own namespace.
    #[input(default = true)]
    pub allow_same_namespace: Input<bool>,
    /// Namespaces whose pods may connect.
    #[input(
        read_with = namespaces,
        ty = TypeDef::Array(&TypeDef::String),
        rule = "Each a DNS-1123 label."
    )]
    pub allow_from_namespaces: Option<Value>,
}

/// An Ingress routing `hosts` to the service, through the cluster's ingress controller.
#[derive(Inputs, Clone, Debug, PartialEq)]
#[inputs(object = "launchpad:index:KubernetesIngress")]
pub struct KubernetesIngress {
    /// The host names routed to the service, for example `api.example.com`; `*.` may start one.
    /// The first one is the `url` output's.
    #[input(
        read_with = ingress_hosts,
        rule = "At least one; each a lower-case DNS name of at most 253 characters."
    )]
    pub hosts: Vec<Input<String>>,
    /// The path prefix routed to the service.
    #[input(
        check = route_path,
        rule = "Starts with `/`; no spaces, `//`, `/./`, `/../`, `%2f`, `%2F` or `#`, and not ending in `/.` or `/..`.",
        default = "/"
    )]
    pub path: Input<String>,
    /// The IngressClass, for example `nginx`; without it, the cluster's default class.
    #[input(check = object_name)]
    pub class_name: Option<Value>,
    /// A Secret of type `kubernetes.io/tls` with the hosts' certificate. Defaults to
    /// `<name>-tls` when `certManagerClusterIssuer` is set; without either, no TLS.
    #[input(check = object_name)]
    pub tls_secret_name: Option<Value>,
    /// A cert-manager ClusterIssuer (for example `letsencrypt-prod`) that issues the certificate
    /// into `tlsSecretName` (annotation `cert-manager.io/cluster-issuer`).
    #[input(check = object_name)]
    pub cert_manager_cluster_issuer: Option<Value>,
    /// More annotations on the Ingress, for the ingress controller.
    #[input(read_with = annotations)]
    pub annotations: BTreeMap<String, Value>,
    /// The namespace the ingress controller's pods run in, for example `ingress-nginx`: the
    /// NetworkPolicy lets them in. Required while the NetworkPolicy is on.
    #[input(check = namespace)]
    pub controller_namespace: Option<Value>,
}

/// A Gateway API HTTPRoute attaching the service to an existing Gateway.
#[derive(Inputs, Clone, Debug, PartialEq)]
#[inputs(object = "launchpad:index:KubernetesHttpRoute")]
pub struct KubernetesHttpRoute {
    /// The Gateway's name.
    #[input(check = object_name)]
    pub gateway_name: Value,
    /// The Gateway's namespace; the NetworkPolicy lets its pods in. Defaults to the service's.
    #[input(check = namespace)]
    pub gateway_namespace: Option<Value>,
    /// One listener of the Gateway to attach to; without it, every listener that accepts the
    /// route.
    #[input(check = object_name)]
    pub section_name: Option<Value>,
    /// Host names the route matches (each a DNS name, `*.` may start one); without them, the
    /// Gateway's listeners decide. The first one is the `url` output's.
    #[input(read_with = hostnames, rule = "Each a lower-case DNS name of at most 253 characters.")]
    pub hostnames: Vec<Input<String>>,
    /// The path prefix routed to the service.
    #[input(
        check = route_path,
        rule = "Starts with `/`; no spaces, `//`, `/./`, `/../`, `%2f`, `%2F` or `#`, and not ending in `/.` or `/..`.",
        default = "/"
    )]
    pub path: Input<String>,
}

/// Validated KubernetesService inputs: the declared inputs, checked
/// together, and what derives from several of them.
#[derive(Clone, Debug, PartialEq)]
pub struct KubernetesArgs {
    /// The inputs as declared.
    pub inputs: KubernetesInputs,
    /// Every object's `metadata.name`: `name`, else the component's name.
    pub name: String,
    /// The image's tag, when it is a valid label value (`app.kubernetes.io/version`).
    pub version_label: Option<String>,
}

impl KubernetesArgs {
    /// Decode and validate raw inputs.
    pub fn decode(
        ctx: &ConstructContext,
        inputs: &PropertyMap,
    ) -> Result<KubernetesArgs, InputError> {
        let inputs = KubernetesInputs::decode(inputs)?;
        let name = match &inputs.name {
            Some(name) => name.value.clone(),
            None if names::is_dns1035_label(&ctx.name) => ctx.name.clone(),
            None => {
                return Err(errors::component_name_not_a_label(format!(
                    "{:?}",
                    ctx.name
                )));
            }
        };
        if let Some(limit) = &inputs.cpu_limit {
            let below = matches!(
                (quantity::value(limit), quantity::value(&inputs.cpu)),
                (Some(l), Some(c)) if l < c
            );
            if below {
                return Err(errors::cpu_limit_below_request(
                    limit.shown(),
                    inputs.cpu.shown(),
                ));
            }
        }
        let scaling = &inputs.autoscaling;
        if *scaling.min_replicas > *scaling.max_replicas {
            return Err(errors::min_replicas_above_max(
                scaling.min_replicas.shown_number(),
                scaling.max_replicas.shown_number(),
            ));
        }
        if let Some(replicas) = &inputs.replicas
            && *scaling.enabled
            && !(*scaling.min_replicas..=*scaling.max_replicas).contains(&replicas.value)
        {
            return Err(errors::replicas_outside_autoscaling(
                replicas.shown_number(),
                scaling.min_replicas.shown_number(),
                scaling.max_replicas.shown_number(),
            ));
        }
        if *inputs.create_namespace && inputs.namespace.is_none() {
            return Err(errors::namespace_to_create_not_named());
        }
        if inputs.ingress.is_some() && inputs.http_route.is_some() {
            return Err(errors::two_exposures());
        }
        if let Some(ingress) = &inputs.ingress
            && *inputs.network_policy.enabled
            && ingress.controller_namespace.is_none()
        {
            return Err(errors::controller_namespace_required());
        }
        if !*inputs.service_account.create && inputs.service_account.name.is_none() {
            return Err(errors::service_account_name_required());
        }
        // A variable is set by one map only: environment, then secrets, then configMaps.
        for (map, names) in [
            ("secrets", inputs.secrets.keys().collect::<Vec<_>>()),
            ("configMaps", inputs.config_maps.keys().collect()),
        ] {
            for name in names {
                let first = if inputs.environment.contains_key(name) {
                    Some("environment")
                } else if map == "configMaps" && inputs.secrets.contains_key(name) {
                    Some("secrets")
                } else {
                    None
                };
                if let Some(first) = first {
                    return Err(errors::variable_set_twice(
                        &format!("{map}.{name}"),
                        name,
                        first,
                        map,
                    ));
                }
            }
        }
        let version_label = image_tag(&inputs.image).filter(|t| names::is_label_value(t));
        Ok(KubernetesArgs {
            inputs,
            name,
            version_label,
        })
    }

    /// Whether a HorizontalPodAutoscaler owns the pod count.
    pub fn autoscaled(&self) -> bool {
        *self.inputs.autoscaling.enabled
    }

    /// The most pods that can run: the autoscaler's maximum, else `replicas`.
    pub fn most_replicas(&self) -> f64 {
        if self.autoscaled() {
            *self.inputs.autoscaling.max_replicas
        } else {
            self.replicas()
        }
    }

    /// The pod count sent without autoscaling: `replicas`, 2 when not set.
    pub fn replicas(&self) -> f64 {
        self.inputs
            .replicas
            .as_ref()
            .map_or(DEFAULT_REPLICAS, |r| r.value)
    }

    /// The service account the pods run as: the one named, else the service's own name.
    pub fn service_account_name(&self) -> Value {
        match &self.inputs.service_account.name {
            Some(name) => Value::from(name),
            None => Value::string(&self.name),
        }
    }
}

/// Pods without autoscaling when `replicas` is not set: two, so one can go
/// while the other serves.
const DEFAULT_REPLICAS: f64 = 2.0;

/// The tag of a known image reference (`1.4.2` of `ghcr.io/acme/api:1.4.2@sha256:…`).
fn image_tag(image: &Value) -> Option<String> {
    let Some(Value::String(text)) = image.unwrap_top().0 else {
        return None;
    };
    let without_digest = text.split('@').next().unwrap_or(text);
    let last = without_digest.rsplit('/').next().unwrap_or(without_digest);
    last.split_once(':').map(|(_, tag)| tag.to_string())
}

/// `name`: a DNS-1035 label, as Service names are.
fn service_name(_property: &str, name: Input<String>) -> Result<Input<String>, InputError> {
    if names::is_dns1035_label(&name) {
        Ok(name)
    } else {
        Err(errors::invalid_name(name.shown()))
    }
}

/// A namespace: a DNS-1123 label.
fn namespace(property: &str, ns: Input<String>) -> Result<Input<String>, InputError> {
    if names::is_dns1123_label(&ns) {
        Ok(ns)
    } else {
        Err(errors::invalid_namespace(property, ns.shown()))
    }
}

/// An object's name: a DNS-1123 subdomain.
fn object_name(property: &str, name: Input<String>) -> Result<Input<String>, InputError> {
    if names::is_dns1123_subdomain(&name) {
        Ok(name)
    } else {
        Err(errors::invalid_kubernetes_object_name(
            property,
            name.shown(),
        ))
    }
}

/// A Secret's or ConfigMap's key: `[-._a-zA-Z0-9]+`, at most 253, not `.` or `..`.
fn data_key(property: &str, key: Input<String>) -> Result<Input<String>, InputError> {
    let valid = !key.is_empty()
        && key.len() <= 253
        && key
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-._".contains(&b))
        && key.as_str() != "."
        && key.as_str() != "..";
    if valid {
        Ok(key)
    } else {
        Err(errors::invalid_data_key(property, key.shown()))
    }
}

/// A URL path prefix: starts with `/`, no spaces.
fn path(property: &str, p: Input<String>) -> Result<Input<String>, InputError> {
    if p.starts_with('/') && !p.chars().any(char::is_whitespace) {
        Ok(p)
    } else {
        Err(errors::invalid_path(property, p.shown()))
    }
}

/// What a routed path prefix may not contain: the API server's for an Ingress
/// `Prefix` path (`invalidPathSequences`), and `#` too for an HTTPRoute
/// `PathPrefix` (the CRD's validation rules).
const ROUTE_PATH_SEQUENCES: [&str; 6] = ["//", "/./", "/../", "%2f", "%2F", "#"];
/// What a routed path prefix may not end with (`invalidPathSuffixes`).
const ROUTE_PATH_SUFFIXES: [&str; 2] = ["/..", "/."];
/// The longest HTTPRoute path match value.
const ROUTE_PATH_MAX: usize = 1024;

/// An Ingress or HTTPRoute path prefix: a [`path`] the API server (or the
/// HTTPRoute CRD) accepts as a prefix.
fn route_path(property: &str, p: Input<String>) -> Result<Input<String>, InputError> {
    let p = path(property, p)?;
    let refused = ROUTE_PATH_SEQUENCES
        .iter()
        .find(|s| p.contains(**s))
        .map(|s| format!("contain {s:?}"))
        .or_else(|| {
            ROUTE_PATH_SUFFIXES
                .iter()
                .find(|s| p.ends_with(**s))
                .map(|s| format!("end with {s:?}"))
        })
        .or_else(|| {
            (p.len() > ROUTE_PATH_MAX)
                .then(|| format!("be longer than {ROUTE_PATH_MAX} characters"))
        });
    match refused {
        None => Ok(p),
        Some(what) => Err(errors::invalid_route_path(property, p.shown(), what)),
    }
}

/// An environment variable's name as Kubernetes has long required it:
/// `[-._a-zA-Z][-._a-zA-Z0-9]*`. (API servers from 1.34 accept any printable
/// ASCII but `=`; older ones and most shells do not.)
fn env_name(map: &str, name: &str) -> Result<(), InputError> {
    let valid = name.starts_with(|c: char| c.is_ascii_alphabetic() || "-._".contains(c))
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-._".contains(c));
    if valid {
        Ok(())
    } else {
        Err(errors::invalid_kubernetes_env_name(
            &format!("{map}.{name}"),
            map,
            format!("{name:?}"),
        ))
    }
}

/// `environment`: names valid; values passed on as they came.
fn environment(r: &ArgsReader<'_>, name: &str) -> Result<BTreeMap<String, Value>, InputError> {
    let environment = r.entries(name)?.unwrap_or_default();
    for key in environment.keys() {
        env_name(name, key)?;
    }
    Ok(environment)
}

/// `secrets` or `configMaps`: variable name → a key of a Secret or ConfigMap,
/// each entry as secret as it came.
fn key_refs(
    r: &ArgsReader<'_>,
    name: &str,
) -> Result<BTreeMap<String, KubernetesKeyRef>, InputError> {
    let mut refs = BTreeMap::new();
    for key in r.entries(name)?.unwrap_or_default().keys() {
        env_name(name, key)?;
        // Always there: `entries` just listed it.
        let Some(entry) = r.object_entry(name, key)? else {
            continue;
        };
        refs.insert(key.clone(), KubernetesKeyRef::read(&entry)?);
    }
    Ok(refs)
}

/// `labels`: keys and known values as the API server requires, none of the
/// selector's.
fn labels(r: &ArgsReader<'_>, name: &str) -> Result<BTreeMap<String, Value>, InputError> {
    let labels = annotations(r, name)?;
    for (key, value) in &labels {
        let property = format!("{}.{key}", r.path(name));
        if SELECTOR_LABELS.contains(&key.as_str()) {
            return Err(errors::selector_label(&property));
        }
        if let Some(v) = Input::known(value)
            && !names::is_label_value(&v)
        {
            return Err(errors::invalid_kubernetes_label_value(&property, v.shown()));
        }
    }
    Ok(labels)
}

/// A map of annotations (or labels): keys `[prefix/]name`; values passed on.
fn annotations(r: &ArgsReader<'_>, name: &str) -> Result<BTreeMap<String, Value>, InputError> {
    let entries = r.entries(name)?.unwrap_or_default();
    if let Some(key) = entries.keys().find(|k| !names::is_label_key(k)) {
        return Err(errors::invalid_kubernetes_label_key(
            &format!("{}.{key}", r.path(name)),
            format!("{key:?}"),
        ));
    }
    Ok(entries)
}

/// A list of object names, each checked when known, passed on as it came.
fn object_names(r: &ArgsReader<'_>, name: &str) -> Result<Option<Value>, InputError> {
    known_items(r, name, object_name)
}

/// A list of namespaces, each checked when known, passed on as it came.
fn namespaces(r: &ArgsReader<'_>, name: &str) -> Result<Option<Value>, InputError> {
    known_items(r, name, namespace)
}

/// A list passed on as it came, `check` run on each item that is a known string.
fn known_items(
    r: &ArgsReader<'_>,
    name: &str,
    check: fn(&str, Input<String>) -> Result<Input<String>, InputError>,
) -> Result<Option<Value>, InputError> {
    let Some(list) = r.passthrough(name)? else {
        return Ok(None);
    };
    if let (Some(Value::Array(items)), taint) = list.unwrap_top() {
        for (i, item) in items.iter().enumerate() {
            let item = item.clone().secret_if(taint.secret);
            if let Some(text) = Input::known(&item) {
                check(&format!("{}[{i}]", r.path(name)), text)?;
            }
        }
    }
    Ok(Some(list))
}

/// `ingress.hosts`: at least one, each a host name.
fn ingress_hosts(r: &ArgsReader<'_>, name: &str) -> Result<Vec<Input<String>>, InputError> {
    let hosts = hostnames(r, name)?;
    if hosts.is_empty() {
        return Err(errors::no_hosts());
    }
    Ok(hosts)
}

/// A list of host names (known now: the first is the `url` output's).
fn hostnames(r: &ArgsReader<'_>, name: &str) -> Result<Vec<Input<String>>, InputError> {
    let hosts = r.strings(name)?.unwrap_or_default();
    for (i, host) in hosts.iter().enumerate() {
        if !names::is_host(host) {
            return Err(errors::invalid_host(
                &format!("{}[{i}]", r.path(name)),
                host.shown(),
            ));
        }
    }
    Ok(hosts)
}
