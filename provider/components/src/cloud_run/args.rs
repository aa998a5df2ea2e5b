//! CloudRunService inputs, decoded and validated into [`CloudRunArgs`].
//! Every refusal names the property, the value and the valid choices.

use std::collections::BTreeMap;

use launchpad_core::{ArgsReader, ConstructContext, Input, InputError, PropertyMap, Value};

use super::DEFINITION;
use super::size::CloudRunSize;
use crate::container::{env_name, image_reference, secret_variable};
use crate::gcp_regions;

/// Variables Cloud Run sets itself; a service may not set them.
const RESERVED_ENV: [&str; 4] = ["PORT", "K_SERVICE", "K_REVISION", "K_CONFIGURATION"];

/// Validated CloudRunService inputs. Values only passed on stay [`Value`]s
/// (they may be unknown at preview); inspected ones are [`Input`]s.
#[derive(Clone, Debug, PartialEq)]
pub struct CloudRunArgs {
    /// The container image.
    pub image: Value,
    /// The Cloud Run region.
    pub region: Input<String>,
    /// The project, when set (else the provider's).
    pub project: Option<Value>,
    /// The container port.
    pub port: Input<f64>,
    /// CPU, memory and concurrency.
    pub size: CloudRunSize,
    /// Warm instances.
    pub min_instances: Input<f64>,
    /// Most instances.
    pub max_instances: Input<f64>,
    /// Request timeout.
    pub timeout_seconds: Input<f64>,
    /// CPU only during requests.
    pub cpu_idle: Input<bool>,
    /// Startup CPU boost.
    pub startup_cpu_boost: Input<bool>,
    /// Plain environment variables.
    pub environment: BTreeMap<String, Value>,
    /// Variables read from Secret Manager.
    pub secrets: Vec<SecretEnv>,
    /// Startup probe path.
    pub startup_path: Option<Input<String>>,
    /// Liveness probe path.
    pub liveness_path: Option<Input<String>>,
    /// Unauthenticated access.
    pub public: Input<bool>,
    /// Cloud Run's ingress setting (`INGRESS_TRAFFIC_…`).
    pub ingress: Value,
    /// Direct VPC egress.
    pub vpc_access: Option<VpcAccess>,
    /// Deletion protection.
    pub deletion_protection: Input<bool>,
    /// Labels.
    pub labels: Option<Value>,
}

/// An environment variable read from Secret Manager.
#[derive(Clone, Debug, PartialEq)]
pub struct SecretEnv {
    /// The variable.
    pub name: String,
    /// The secret's ID or full name.
    pub secret: Value,
    /// `latest` or a version number.
    pub version: Value,
}

/// Direct VPC egress.
#[derive(Clone, Debug, PartialEq)]
pub struct VpcAccess {
    /// The network, when set.
    pub network: Option<Value>,
    /// The subnetwork.
    pub subnetwork: Value,
    /// `ALL_TRAFFIC` or `PRIVATE_RANGES_ONLY`.
    pub egress: Value,
}

impl CloudRunArgs {
    /// Decode and validate raw inputs.
    pub fn decode(
        ctx: &ConstructContext,
        inputs: &PropertyMap,
    ) -> Result<CloudRunArgs, InputError> {
        let r = ArgsReader::new(DEFINITION.inputs, inputs)?;
        let image = r
            .string_or_unknown("image", image_reference)?
            .ok_or_else(|| r.missing_error("image"))?;
        let region = match r.string("region")? {
            Some(region) => region,
            None => match ctx.config("gcp:region").map(|v| v.strip()) {
                Some(Value::String(s)) => Input::plain(s),
                _ => {
                    return Err(InputError::new(
                        "region",
                        "region is not set and the stack has no `gcp:region`: set `region` (for example \"europe-west1\") or run `pulumi config set gcp:region <region>`",
                    ));
                }
            },
        };
        if !gcp_regions::is_cloud_run_region(&region) {
            return Err(gcp_regions::unknown_region("region", &region));
        }
        let project = match r.passthrough("project")? {
            Some(p) => Some(p),
            None => ctx.config("gcp:project"),
        };
        let cpu = r.required_string("cpu")?;
        let memory = r.required_string("memory")?;
        let concurrency = r
            .number("concurrency")?
            .ok_or_else(|| r.missing_error("concurrency"))?;
        let size = CloudRunSize::new(&cpu, &memory, *concurrency)?;
        let cpu_idle = r.required_bool("cpuIdle")?;
        if size.is_fractional() && !*cpu_idle {
            return Err(InputError::new(
                "cpuIdle",
                format!(
                    "cpuIdle=false (CPU always allocated) needs cpu of at least 1, got cpu={:?}; set cpuIdle=true or cpu=\"1\"",
                    size.cpu
                ),
            ));
        }
        let min_instances = r.integer("minInstances", 0, 1000)?;
        let max_instances = r.integer("maxInstances", 1, 1000)?;
        if *min_instances > *max_instances {
            return Err(InputError::new(
                "minInstances",
                format!(
                    "minInstances={} is more than maxInstances={}",
                    min_instances.shown_number(),
                    max_instances.shown_number()
                ),
            ));
        }
        let environment = r.entries("environment")?.unwrap_or_default();
        for name in environment.keys() {
            env_name("environment", name)?;
            reserved("environment", name)?;
        }
        let secrets = secret_envs(&r, &environment)?;
        let (startup_path, liveness_path) = match r.object("healthCheck")? {
            Some(h) => (
                probe_path(h.string("startupPath")?, "healthCheck.startupPath")?,
                probe_path(h.string("livenessPath")?, "healthCheck.livenessPath")?,
            ),
            None => (None, None),
        };
        let ingress = r.required_string("ingress")?;
        let ingress = Value::from(&ingress.map(|i| match i.as_str() {
            "internal" => "INGRESS_TRAFFIC_INTERNAL_ONLY".to_string(),
            "internal-and-cloud-load-balancing" => {
                "INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER".to_string()
            }
            _ => "INGRESS_TRAFFIC_ALL".to_string(),
        }));
        let vpc_access = match r.object("vpcAccess")? {
            Some(v) => Some(VpcAccess {
                network: v.passthrough("network")?,
                subnetwork: v
                    .passthrough("subnetwork")?
                    .ok_or_else(|| v.missing_error("subnetwork"))?,
                egress: Value::from(&v.required_string("egress")?.map(|e| {
                    if e == "all-traffic" {
                        "ALL_TRAFFIC"
                    } else {
                        "PRIVATE_RANGES_ONLY"
                    }
                    .to_string()
                })),
            }),
            None => None,
        };
        let labels = r.entries("labels")?;
        if let Some(labels) = &labels {
            check_labels(labels)?;
        }
        Ok(CloudRunArgs {
            image,
            region,
            project,
            port: r.integer("port", 1, 65535)?,
            size,
            min_instances,
            max_instances,
            timeout_seconds: r.integer("timeoutSeconds", 1, 3600)?,
            cpu_idle,
            startup_cpu_boost: r.required_bool("startupCpuBoost")?,
            environment,
            secrets,
            startup_path,
            liveness_path,
            public: r.required_bool("public")?,
            ingress,
            vpc_access,
            deletion_protection: r.required_bool("deletionProtection")?,
            labels: r.passthrough("labels")?,
        })
    }
}

/// Refuse a variable Cloud Run sets itself.
fn reserved(property: &str, name: &str) -> Result<(), InputError> {
    if RESERVED_ENV.contains(&name) {
        return Err(InputError::new(
            format!("{property}.{name}"),
            format!(
                "{property}.{name} is set by Cloud Run itself ({}); use another name (the container port is the `port` input)",
                RESERVED_ENV.join(", ")
            ),
        ));
    }
    Ok(())
}

/// A probe path: starts with `/`, no spaces.
fn probe_path(
    path: Option<Input<String>>,
    property: &str,
) -> Result<Option<Input<String>>, InputError> {
    match path {
        Some(p) if !p.starts_with('/') || p.chars().any(char::is_whitespace) => {
            Err(InputError::new(
                property,
                format!(
                    "{property}={} must start with `/` and have no spaces, for example \"/ready\"",
                    p.shown()
                ),
            ))
        }
        other => Ok(other),
    }
}

/// The `secrets` map: valid names, not also in `environment`, each a secret
/// ID or full name and a version (`latest` or a number).
fn secret_envs(
    r: &ArgsReader<'_>,
    environment: &BTreeMap<String, Value>,
) -> Result<Vec<SecretEnv>, InputError> {
    let mut envs = Vec::new();
    for (name, value) in r.entries("secrets")?.unwrap_or_default() {
        reserved("secrets", &name)?;
        let property = secret_variable(&name, environment)?;
        let (plain, taint) = value.unwrap_top();
        let Some(Value::Object(fields)) = plain else {
            return Err(InputError::new(
                &property,
                format!(
                    "`{property}` must be known when the program runs; it is computed from another resource's output"
                ),
            ));
        };
        let wrap = |v: &Value| v.clone().secret_if(taint.secret);
        let secret = fields
            .get("secret")
            .filter(|v| !v.is_null())
            .ok_or_else(|| {
                InputError::new(
                    format!("{property}.secret"),
                    format!("missing required property `{property}.secret`"),
                )
            })?;
        if let (Some(Value::String(id)), t) = secret.unwrap_top() {
            let short = id.rsplit('/').next().unwrap_or(id);
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
                let shown = if t.secret || taint.secret {
                    "[secret]".to_string()
                } else {
                    format!("{id:?}")
                };
                return Err(InputError::new(
                    format!("{property}.secret"),
                    format!(
                        "{property}.secret={shown} is not a Secret Manager secret; give its ID (letters, digits, `_` and `-`, for example \"db-url\") or its full name \"projects/<project>/secrets/<id>\""
                    ),
                ));
            }
        }
        let version = fields
            .get("version")
            .filter(|v| !v.is_null())
            .cloned()
            .unwrap_or_else(|| Value::string("latest"));
        if let (Some(Value::String(v)), _) = version.unwrap_top()
            && (v.is_empty()
                || !v
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-'))
        {
            return Err(InputError::new(
                format!("{property}.version"),
                format!(
                    "{property}.version={v:?} is not valid; use \"latest\", a version number such as \"3\", or a version alias (letters, digits, `_`, `-`)"
                ),
            ));
        }
        envs.push(SecretEnv {
            name,
            secret: wrap(secret),
            version: wrap(&version),
        });
    }
    Ok(envs)
}

/// GCP's label rules: at most 64; keys 1-63 characters starting with a
/// lower-case letter; keys and values of lower-case letters, digits, `_`, `-`.
fn check_labels(labels: &BTreeMap<String, Value>) -> Result<(), InputError> {
    if labels.len() > 64 {
        return Err(InputError::new(
            "labels",
            format!("labels has {} entries; GCP allows at most 64", labels.len()),
        ));
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
            return Err(InputError::new(
                format!("labels.{key}"),
                format!(
                    "labels key {key:?} is not valid: 1-63 characters, a lower-case letter first, then lower-case letters, digits, `_` or `-` (for example \"team\")"
                ),
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
            return Err(InputError::new(
                format!("labels.{key}"),
                format!(
                    "labels.{key}={shown} is not valid: at most 63 lower-case letters, digits, `_` or `-` (no capitals, no dots)"
                ),
            ));
        }
    }
    Ok(())
}
