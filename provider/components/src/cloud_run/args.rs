//! CloudRunService inputs, declared once in [`CloudRunInputs`] (with its
//! nested object types) and validated together into [`CloudRunArgs`].
//! Every refusal names the property, the value and the valid choices.

use std::collections::BTreeMap;

use launchpad_core::schema::TypeDef;
use launchpad_core::{
    ArgsReader, ConstructContext, Input, InputError, Inputs, ObjectInputs, PropertyMap, Value,
};

use super::errors;
use super::size::CloudRunSize;
use super::{INGRESS, VPC_EGRESS};
use crate::container::{env_name, image_reference, secret_variable};
use crate::gcp_regions;

/// Variables Cloud Run sets itself; a service may not set them.
const RESERVED_ENV: [&str; 4] = ["PORT", "K_SERVICE", "K_REVISION", "K_CONFIGURATION"];

/// CloudRunService's inputs, each declared once: its doc comment is its
/// description, its attributes its rules and the child property it feeds.
/// Values only passed on stay [`Value`]s (they may be unknown at preview);
/// inspected ones are [`Input`]s.
#[derive(Inputs, Clone, Debug, PartialEq)]
#[inputs(component)]
pub struct CloudRunInputs {
    /// The container image, for example `us-docker.pkg.dev/my-project/app/api:1.4.2`.
    #[input(check = image_reference, feeds("service.template"))]
    pub image: Value,
    /// The Cloud Run region, for example `europe-west1`. Defaults to the stack's `gcp:region`.
    #[input(feeds("service.location"))]
    pub region: Option<Input<String>>,
    /// The project ID. Defaults to the stack's `gcp:project` (or the provider's).
    #[input(feeds("service.project", "serviceAccount.project"))]
    pub project: Option<Value>,
    /// The port the container listens on; Cloud Run sets `PORT` to it.
    #[input(range = 1..=65535, default = 8080, feeds("service.template"))]
    pub port: Input<f64>,
    /// CPUs per instance: a fraction from "0.08" to "1", or "1", "2", "4", "6" or "8". Below 1,
    /// `concurrency` must be 1.
    #[input(default = "1", feeds("service.template"))]
    pub cpu: Input<String>,
    /// Memory per instance, `Mi` or `Gi`: 512Mi to 32Gi; over 4Gi needs 2 CPUs, over 8Gi 4, over
    /// 16Gi 6, over 24Gi 8.
    #[input(default = "512Mi", feeds("service.template"))]
    pub memory: Input<String>,
    /// Requests one instance serves at once: a whole number from 1 to 1000, and 1 when `cpu` is
    /// below 1.
    // Checked with cpu and memory by `CloudRunSize`, whose message says what to write instead.
    #[input(ty = TypeDef::Integer, default = 80, feeds("service.template"))]
    pub concurrency: Input<f64>,
    /// Instances kept warm; `0` scales to zero and pays nothing when idle.
    #[input(range = 0..=1000, default = 0, feeds("service.template"))]
    pub min_instances: Input<f64>,
    /// Most instances; at least `minInstances`.
    #[input(range = 1..=1000, default = 100, feeds("service.template"))]
    pub max_instances: Input<f64>,
    /// How long a request may take, in seconds.
    #[input(range = 1..=3600, default = 300, feeds("service.template"))]
    pub timeout_seconds: Input<f64>,
    /// Allocate CPU only while a request is served (cheaper); `false` keeps it allocated for
    /// background work.
    #[input(default = true, feeds("service.template"))]
    pub cpu_idle: Input<bool>,
    /// More CPU while an instance starts (faster cold starts).
    #[input(default = false, feeds("service.template"))]
    pub startup_cpu_boost: Input<bool>,
    /// Environment variables. A secret value stays secret in the state; prefer `secrets` for
    /// credentials.
    #[input(read_with = environment, feeds("service.template"))]
    pub environment: BTreeMap<String, Value>,
    /// Environment variables read from Secret Manager: variable name → secret (and version). The
    /// service account may read exactly these secrets.
    #[input(
        read_with = secrets,
        ty = TypeDef::Map(&TypeDef::Object(&<CloudRunSecret as ObjectInputs>::OBJECT)),
        feeds("service.template")
    )]
    pub secrets: BTreeMap<String, CloudRunSecret>,
    /// HTTP startup and liveness probes.
    #[input(feeds("service.template"))]
    pub health_check: Option<CloudRunHealthCheck>,
    /// Let anyone on the internet call the service without authentication (through
    /// `invokerIamDisabled`; whoever runs `pulumi up` needs `run.services.setIamPolicy`, e.g.
    /// `roles/run.admin`). Without it callers need `roles/run.invoker`.
    #[input(default = false, feeds("service.invokerIamDisabled"))]
    pub public: Input<bool>,
    /// Which network sources may reach the service.
    #[input(choices = INGRESS, default = "all", feeds("service.ingress"))]
    pub ingress: Input<String>,
    /// Reach a VPC network through Direct VPC egress.
    #[input(feeds("service.template"))]
    pub vpc_access: Option<CloudRunVpcAccess>,
    /// Refuse to delete (or replace) the service.
    #[input(default = false, feeds("service.deletionProtection"))]
    pub deletion_protection: Input<bool>,
    /// Labels on the service and its revisions.
    #[input(
        read_with = labels,
        ty = TypeDef::Map(&TypeDef::String),
        rule = "At most 64 of them (keys: lower-case letter first, then lower-case letters, digits, `_` and `-`, at most 63; values the same characters, may be empty).",
        feeds("service.labels")
    )]
    pub labels: Option<Value>,
}

/// A Secret Manager secret whose value an environment variable holds.
#[derive(Inputs, Clone, Debug, PartialEq)]
#[inputs(object = "launchpad:index:CloudRunSecret")]
pub struct CloudRunSecret {
    /// The secret's ID (`db-url`) in the service's project, or its full name
    /// (`projects/<project>/secrets/<id>`).
    #[input(check = secret_id)]
    pub secret: Value,
    /// The version: `latest`, a version number or a version alias.
    #[input(check = secret_version, default = "latest")]
    pub version: Value,
}

/// HTTP probes on the container port. Without them Cloud Run only waits for the port to open.
#[derive(Inputs, Clone, Debug, PartialEq)]
#[inputs(object = "launchpad:index:CloudRunHealthCheck")]
pub struct CloudRunHealthCheck {
    /// Path that answers 2xx/3xx once the container has started, for example `/ready`.
    #[input(check = probe_path)]
    pub startup_path: Option<Input<String>>,
    /// Path that answers 2xx/3xx while the container is healthy; Cloud Run restarts it otherwise.
    #[input(check = probe_path)]
    pub liveness_path: Option<Input<String>>,
}

/// Direct VPC egress: the service reaches a VPC network (a database on a private IP, say)
/// without a connector.
#[derive(Inputs, Clone, Debug, PartialEq)]
#[inputs(object = "launchpad:index:CloudRunVpcAccess")]
pub struct CloudRunVpcAccess {
    /// The VPC network's name or ID. Defaults to the subnetwork's network.
    pub network: Option<Value>,
    /// The subnetwork's name or ID, in the service's region.
    pub subnetwork: Value,
    /// Which outbound traffic goes through the VPC.
    #[input(choices = VPC_EGRESS, default = "private-ranges-only")]
    pub egress: Input<String>,
}

impl CloudRunInputs {
    /// Cloud Run's ingress setting (`INGRESS_TRAFFIC_…`) for `ingress`.
    pub fn cloud_run_ingress(&self) -> Value {
        Value::from(&self.ingress.clone().map(|i| match i.as_str() {
            "internal" => "INGRESS_TRAFFIC_INTERNAL_ONLY".to_string(),
            "internal-and-cloud-load-balancing" => {
                "INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER".to_string()
            }
            _ => "INGRESS_TRAFFIC_ALL".to_string(),
        }))
    }
}

impl CloudRunVpcAccess {
    /// Cloud Run's egress setting (`ALL_TRAFFIC` or `PRIVATE_RANGES_ONLY`) for `egress`.
    pub fn cloud_run_egress(&self) -> Value {
        Value::from(&self.egress.clone().map(|e| {
            if e == "all-traffic" {
                "ALL_TRAFFIC"
            } else {
                "PRIVATE_RANGES_ONLY"
            }
            .to_string()
        }))
    }
}

/// Validated CloudRunService inputs: the declared inputs, checked together
/// and against the stack's configuration, and what derives from several of them.
#[derive(Clone, Debug, PartialEq)]
pub struct CloudRunArgs {
    /// The inputs as declared.
    pub inputs: CloudRunInputs,
    /// The Cloud Run region: `region`, else the stack's `gcp:region`.
    pub region: Input<String>,
    /// The project: `project`, else the stack's `gcp:project`; else the provider's.
    pub project: Option<Value>,
    /// CPU, memory and concurrency, checked together.
    pub size: CloudRunSize,
}

impl CloudRunArgs {
    /// Decode and validate raw inputs.
    pub fn decode(
        ctx: &ConstructContext,
        inputs: &PropertyMap,
    ) -> Result<CloudRunArgs, InputError> {
        let inputs = CloudRunInputs::decode(inputs)?;
        let region = match &inputs.region {
            Some(region) => region.clone(),
            None => match ctx.config("gcp:region").map(|v| v.strip()) {
                Some(Value::String(s)) => Input::plain(s),
                _ => return Err(errors::no_region()),
            },
        };
        if !gcp_regions::is_cloud_run_region(&region) {
            return Err(gcp_regions::unknown_region("region", &region));
        }
        let project = match &inputs.project {
            Some(p) => Some(p.clone()),
            None => ctx.config("gcp:project"),
        };
        let size = CloudRunSize::new(&inputs.cpu, &inputs.memory, *inputs.concurrency)?;
        if size.is_fractional() && !*inputs.cpu_idle {
            return Err(errors::always_on_cpu_needs_whole_cpu(format!(
                "{:?}",
                size.cpu
            )));
        }
        if *inputs.min_instances > *inputs.max_instances {
            return Err(errors::min_instances_above_max(
                inputs.min_instances.shown_number(),
                inputs.max_instances.shown_number(),
            ));
        }
        for name in inputs.secrets.keys() {
            secret_variable(name, &inputs.environment)?;
        }
        Ok(CloudRunArgs {
            inputs,
            region,
            project,
            size,
        })
    }
}

/// `environment`: names valid and not Cloud Run's own; values passed on as they came.
fn environment(r: &ArgsReader<'_>, name: &str) -> Result<BTreeMap<String, Value>, InputError> {
    let environment = r.entries(name)?.unwrap_or_default();
    for key in environment.keys() {
        env_name(name, key)?;
        reserved(name, key)?;
    }
    Ok(environment)
}

/// `secrets`: each entry read as a [`CloudRunSecret`] (as secret as its entry),
/// not named as a variable Cloud Run sets itself.
fn secrets(r: &ArgsReader<'_>, name: &str) -> Result<BTreeMap<String, CloudRunSecret>, InputError> {
    let mut secrets = BTreeMap::new();
    for (key, value) in r.entries(name)?.unwrap_or_default() {
        reserved(name, &key)?;
        // Always there: `entries` just listed it.
        let Some(entry) = r.object_entry(name, &key)? else {
            continue;
        };
        let mut secret = CloudRunSecret::read(&entry)?;
        // A default version is as secret as the entry that leaves it out.
        secret.version = secret.version.secret_if(value.unwrap_top().1.secret);
        secrets.insert(key, secret);
    }
    Ok(secrets)
}

/// `labels`: checked where known, passed on as they came.
fn labels(r: &ArgsReader<'_>, name: &str) -> Result<Option<Value>, InputError> {
    if let Some(labels) = r.entries(name)? {
        check_labels(&labels)?;
    }
    r.passthrough(name)
}

/// Refuse a variable Cloud Run sets itself.
fn reserved(property: &str, name: &str) -> Result<(), InputError> {
    if RESERVED_ENV.contains(&name) {
        return Err(errors::reserved_variable(
            &format!("{property}.{name}"),
            RESERVED_ENV.join(", "),
        ));
    }
    Ok(())
}

/// A probe path: starts with `/`, no spaces.
fn probe_path(property: &str, p: Input<String>) -> Result<Input<String>, InputError> {
    if !p.starts_with('/') || p.chars().any(char::is_whitespace) {
        return Err(errors::invalid_probe_path(property, p.shown()));
    }
    Ok(p)
}

/// A secret's ID, or its full name `projects/<project>/secrets/<id>`.
fn secret_id(property: &str, id: Input<String>) -> Result<Input<String>, InputError> {
    let short = id.rsplit('/').next().unwrap_or(&id);
    let full_ok = !id.contains('/')
        || (id.starts_with("projects/")
            && id.split('/').count() == 4
            && id.split('/').nth(2) == Some("secrets"));
    if !full_ok
        || short.is_empty()
        || short.len() > 255
        || !short
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    {
        return Err(errors::invalid_secret_id(property, id.shown()));
    }
    Ok(id)
}

/// A secret's version: `latest`, a number or an alias.
fn secret_version(property: &str, v: Input<String>) -> Result<Input<String>, InputError> {
    if v.is_empty()
        || !v
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    {
        // `[secret]` when the entry was sent secret: a message never quotes a secret.
        return Err(errors::invalid_secret_version(property, v.shown()));
    }
    Ok(v)
}

/// GCP's label rules: at most 64; keys 1-63 characters starting with a
/// lower-case letter; keys and values of lower-case letters, digits, `_`, `-`.
fn check_labels(labels: &BTreeMap<String, Value>) -> Result<(), InputError> {
    if labels.len() > 64 {
        return Err(errors::too_many_labels(labels.len()));
    }
    let allowed = |s: &str| {
        s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-')
    };
    for (key, value) in labels {
        if key.is_empty()
            || key.len() > 63
            || !key.starts_with(|c: char| c.is_ascii_lowercase())
            || !allowed(key)
        {
            return Err(errors::invalid_label_key(
                &format!("labels.{key}"),
                format!("{key:?}"),
            ));
        }
        if let (Some(Value::String(v)), taint) = value.unwrap_top()
            && (v.len() > 63 || !allowed(v))
        {
            let shown = if taint.secret {
                "[secret]".to_string()
            } else {
                format!("{v:?}")
            };
            return Err(errors::invalid_label_value(&format!("labels.{key}"), shown));
        }
    }
    Ok(())
}
