//! The CloudRunService planner: validated args → a service account, the
//! Cloud Run service, and the secret grants.

use launchpad_core::{ChildResource, ComponentPlan, ConstructContext, Expr, Input, Value};

use super::args::CloudRunArgs;
use crate::GCP_PROVIDER_VERSION;
use crate::naming::{dns_label, short_hash, truncate};

/// Child keys, one place.
pub mod key {
    #![allow(missing_docs)]
    pub const ACCOUNT: &str = "serviceAccount";
    pub const SERVICE: &str = "service";
    pub const SECRET_ACCESS: &str = "secretAccess";
}

/// The container's name in the revision.
const CONTAINER: &str = "app";
/// Cloud Run service names are at most 49 characters.
const SERVICE_NAME_MAX: usize = 49;
/// Service account IDs are 6-30 characters.
const ACCOUNT_ID_MAX: usize = 30;

/// A name starting with a letter, ending with a letter or digit, of
/// `[a-z0-9-]`, within `max`: the readable label, then a hash of `seed`.
pub fn gcp_name(name: &str, seed: &str, max: usize) -> String {
    let hash = short_hash(seed);
    let mut label = dns_label(name);
    if !label.starts_with(|c: char| c.is_ascii_lowercase()) {
        label = format!("run-{label}");
    }
    let label = truncate(&label, max.saturating_sub(hash.len() + 1));
    format!("{}-{hash}", label.trim_end_matches('-'))
}

/// Whether a secret is given by ID (in the service's project), not by full name.
fn short_id(secret: &Value) -> bool {
    !matches!(secret.unwrap_top(), (Some(Value::String(s)), _) if s.starts_with("projects/"))
}

fn gcp(key: &str, token: &str, name: String) -> ChildResource {
    ChildResource::new(key, token, name)
        .with_options(|o| o.version = Some(GCP_PROVIDER_VERSION.to_string()))
}

/// The Secret Manager role that lets the service's account read a secret.
const SECRET_ACCESSOR_ROLE: &str = "roles/secretmanager.secretAccessor";

/// Plan the children of a CloudRunService named `ctx.name`.
pub fn plan(ctx: &ConstructContext, args: &CloudRunArgs) -> ComponentPlan {
    let seed = ctx.unique_seed(super::DEFINITION.token);
    let name = &ctx.name;
    let project = args.project.clone().map(Expr::Value);

    let grants = secret_grants(name, args, project.clone());
    let grant_keys: Vec<String> = grants.iter().map(|g| g.key.clone()).collect();
    let mut children = vec![service_account(name, &seed, project.clone())];
    children.extend(grants);
    children.push(service(name, &seed, args, project, grant_keys));

    ComponentPlan {
        children,
        outputs: [
            ("url", Expr::output(key::SERVICE, "uri")),
            ("serviceName", Expr::output(key::SERVICE, "name")),
            ("serviceAccountEmail", account_email()),
            (
                "latestRevision",
                Expr::output(key::SERVICE, "latestReadyRevision"),
            ),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect(),
        ..ComponentPlan::default()
    }
}

/// The service's own account: the identity its revisions run as.
fn service_account(name: &str, seed: &str, project: Option<Expr>) -> ChildResource {
    gcp(
        key::ACCOUNT,
        "gcp:serviceaccount/account:Account",
        format!("{name}-sa"),
    )
    .input("accountId", gcp_name(name, seed, ACCOUNT_ID_MAX))
    .input(
        "displayName",
        truncate(&format!("launchpad CloudRunService {name}"), 100),
    )
    .input(
        "description",
        "Runs one Cloud Run service; granted only what it needs.",
    )
    .input_opt("project", project)
    // The ID follows the component's name: a rename (with an alias) keeps the account.
    .with_options(|o| o.ignore_changes = vec!["accountId".into(), "displayName".into()])
}

/// The account's email, once the account exists.
fn account_email() -> Expr {
    Expr::output(key::ACCOUNT, "email")
}

/// One accessor grant per secret, however many variables read it, each to
/// the service's own account.
fn secret_grants(name: &str, args: &CloudRunArgs, project: Option<Expr>) -> Vec<ChildResource> {
    let mut grants: Vec<ChildResource> = Vec::new();
    let mut granted: Vec<&Value> = Vec::new();
    for s in args.inputs.secrets.values() {
        if granted.contains(&&s.secret) {
            continue;
        }
        granted.push(&s.secret);
        grants.push(
            gcp(
                &format!("{}{}", key::SECRET_ACCESS, grants.len()),
                "gcp:secretmanager/secretIamMember:SecretIamMember",
                format!("{name}-secret-{}", grants.len() + 1),
            )
            .input("secretId", Expr::Value(s.secret.clone()))
            .input("role", SECRET_ACCESSOR_ROLE)
            .input(
                "member",
                Expr::Concat(vec!["serviceAccount:".into(), account_email()]),
            )
            // A full name (`projects/<p>/secrets/<id>`) carries its own project.
            .input_opt(
                "project",
                short_id(&s.secret).then(|| project.clone()).flatten(),
            ),
        );
    }
    grants
}

/// The Cloud Run service; its revisions wait for the grants in `grant_keys`.
fn service(
    name: &str,
    seed: &str,
    args: &CloudRunArgs,
    project: Option<Expr>,
    grant_keys: Vec<String>,
) -> ChildResource {
    gcp(
        key::SERVICE,
        "gcp:cloudrunv2/service:Service",
        format!("{name}-service"),
    )
    .input("name", gcp_name(name, seed, SERVICE_NAME_MAX))
    .input("location", Value::from(&args.region))
    .input_opt("project", project)
    .input("ingress", Expr::Value(args.inputs.cloud_run_ingress()))
    // Public without an `allUsers` binding, which domain-restricted-sharing policies refuse.
    .input("invokerIamDisabled", Value::from(&args.inputs.public))
    // Explicit: the provider's default (true) blocks every replacement.
    .input(
        "deletionProtection",
        Value::from(&args.inputs.deletion_protection),
    )
    .input("template", template(args))
    .input_opt("labels", args.inputs.labels.clone().map(Expr::Value))
    .with_options(|o| {
        // A revision that reads a secret must be allowed to first.
        o.depends_on = grant_keys;
        o.ignore_changes = vec!["name".into()];
    })
}

/// The revision template: who runs it, its one container, scaling and network.
fn template(args: &CloudRunArgs) -> Expr {
    let mut template = vec![
        ("serviceAccount", account_email()),
        ("containers", Expr::Array(vec![container(args)])),
        (
            "scaling",
            Expr::object([
                (
                    "minInstanceCount",
                    Value::from(&args.inputs.min_instances).into(),
                ),
                (
                    "maxInstanceCount",
                    Value::from(&args.inputs.max_instances).into(),
                ),
            ]),
        ),
        (
            "maxInstanceRequestConcurrency",
            f64::from(args.size.concurrency).into(),
        ),
        (
            "timeout",
            Value::from(&args.inputs.timeout_seconds.clone().map(|t| format!("{t}s"))).into(),
        ),
    ];
    if let Some(labels) = &args.inputs.labels {
        template.push(("labels", Expr::Value(labels.clone())));
    }
    if let Some(v) = &args.inputs.vpc_access {
        let mut interface = vec![("subnetwork", Expr::Value(v.subnetwork.clone()))];
        if let Some(n) = &v.network {
            interface.push(("network", Expr::Value(n.clone())));
        }
        template.push((
            "vpcAccess",
            Expr::object([
                (
                    "networkInterfaces",
                    Expr::Array(vec![Expr::object(interface)]),
                ),
                ("egress", Expr::Value(v.cloud_run_egress())),
            ]),
        ));
    }
    Expr::object(template)
}

/// The container: image, port, size, environment and probes.
fn container(args: &CloudRunArgs) -> Expr {
    let mut container = vec![
        ("name", Expr::from(CONTAINER)),
        ("image", Expr::Value(args.inputs.image.clone())),
        (
            "ports",
            Expr::object([("containerPort", Value::from(&args.inputs.port).into())]),
        ),
        (
            "resources",
            Expr::object([
                (
                    "limits",
                    Expr::object([
                        ("cpu", args.size.cpu.as_str().into()),
                        ("memory", args.size.memory.as_str().into()),
                    ]),
                ),
                ("cpuIdle", Value::from(&args.inputs.cpu_idle).into()),
                (
                    "startupCpuBoost",
                    Value::from(&args.inputs.startup_cpu_boost).into(),
                ),
            ]),
        ),
        ("envs", Expr::Array(environment(args))),
    ];
    let health_check = args.inputs.health_check.as_ref();
    if let Some(p) = health_check.and_then(|h| h.startup_path.as_ref()) {
        container.push(("startupProbe", probe(args, p, true)));
    }
    if let Some(p) = health_check.and_then(|h| h.liveness_path.as_ref()) {
        container.push(("livenessProbe", probe(args, p, false)));
    }
    Expr::object(container)
}

/// The container's variables: plain values first, then secret references.
fn environment(args: &CloudRunArgs) -> Vec<Expr> {
    let plain = args.inputs.environment.iter().map(|(k, v)| {
        Expr::object([
            ("name", k.as_str().into()),
            ("value", Expr::Value(v.clone())),
        ])
    });
    let secret = args.inputs.secrets.iter().map(|(name, s)| {
        Expr::object([
            ("name", name.as_str().into()),
            (
                "valueSource",
                Expr::object([(
                    "secretKeyRef",
                    Expr::object([
                        ("secret", Expr::Value(s.secret.clone())),
                        ("version", Expr::Value(s.version.clone())),
                    ]),
                )]),
            ),
        ])
    });
    plain.chain(secret).collect()
}

/// An HTTP probe of `path` on the container's port. With Cloud Run's
/// defaults an HTTP probe allows ~30 s to start (the default TCP probe
/// allows 240 s): a startup probe keeps the 240 s budget for slow starters.
fn probe(args: &CloudRunArgs, path: &Input<String>, startup: bool) -> Expr {
    let mut p = vec![(
        "httpGet",
        Expr::object([
            ("path", Value::from(path).into()),
            ("port", Value::from(&args.inputs.port).into()),
        ]),
    )];
    if startup {
        p.extend([
            ("periodSeconds", 10.0.into()),
            ("timeoutSeconds", 5.0.into()),
            ("failureThreshold", 24.0.into()),
        ]);
    }
    Expr::object(p)
}
