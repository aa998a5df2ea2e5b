//! Every component of the registry ([`crate::package`]) says which child
//! inputs its own inputs become (`#[input(feeds(...))]` on its inputs
//! struct), so that `ignoreChanges` and `replaceOnChanges` given to the
//! component reach its children. An input that feeds no child and is not
//! marked `feeds_none = "why"`, or a declared feed no sample reaches, fails here.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use launchpad_core::{ConstructContext, PropertyMap, Value};

fn s(v: &str) -> Value {
    Value::string(v)
}

fn object(pairs: &[(&str, Value)]) -> Value {
    Value::Object(
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.clone()))
            .collect(),
    )
}

fn map(pairs: &[(&str, Value)]) -> PropertyMap {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.clone()))
        .collect()
}

/// A built site folder for StaticSite's `path`.
fn site_folder() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("launchpad-feeds-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("mkdir");
    std::fs::write(dir.join("index.html"), "<h1>hi</h1>").expect("write");
    std::fs::write(dir.join("404.html"), "gone").expect("write");
    dir
}

/// A launchpad component given as an input, with the outputs Construct
/// would have read for it.
fn component(token: &str, name: &str, outputs: &[(&str, Value)]) -> Value {
    Value::ResourceReference(launchpad_core::value::ResourceReference {
        urn: format!("urn:pulumi:dev::p::{token}::{name}"),
        id: None,
        package_version: String::new(),
        outputs: Some(map(outputs)),
    })
}

/// Input sets that, together, make every child a component can have.
fn samples(token: &str) -> Option<Vec<PropertyMap>> {
    let tags = object(&[("team", s("web"))]);
    Some(match token {
        "launchpad:index:StaticSite" => {
            let path = s(&site_folder().display().to_string());
            vec![
                map(&[
                    ("path", path.clone()),
                    ("spa", Value::Bool(false)),
                    ("indexDocument", s("index.html")),
                    ("errorDocument", s("404.html")),
                    ("priceClass", s("PriceClass_100")),
                    ("uploadConcurrency", Value::Number(4.0)),
                    ("keepPreviousDeploys", Value::Number(1.0)),
                    ("tags", tags.clone()),
                    (
                        "domain",
                        object(&[
                            ("name", s("www.example.com")),
                            ("zoneId", s("Z0123456789ABCDEFGHIJ")),
                        ]),
                    ),
                    (
                        "cacheControl",
                        Value::Array(vec![object(&[
                            ("pattern", s("*.woff2")),
                            ("value", s("public, max-age=31536000, immutable")),
                        ])]),
                    ),
                    (
                        "securityHeaders",
                        object(&[("customHeaders", object(&[("X-Team", s("web"))]))]),
                    ),
                ]),
                // A single-page app with routes: its fallback function, a
                // function's permissions, a service's origin.
                map(&[
                    ("path", path.clone()),
                    (
                        "routes",
                        Value::Array(vec![
                            object(&[
                                ("path", s("/api/*")),
                                (
                                    "function",
                                    component(
                                        "launchpad:index:Function",
                                        "api",
                                        &[
                                            ("functionName", s("api-1234")),
                                            ("aliasName", s("live")),
                                            ("url", s("https://abc.lambda-url.eu-west-1.on.aws/")),
                                            ("urlAuthType", s("AWS_IAM")),
                                            ("timeout", Value::Number(20.0)),
                                        ],
                                    ),
                                ),
                            ]),
                            object(&[
                                ("path", s("/app/*")),
                                (
                                    "webService",
                                    component(
                                        "launchpad:index:WebService",
                                        "app",
                                        &[("httpsListener", Value::Bool(true))],
                                    ),
                                ),
                                ("originDomain", s("app.example.com")),
                            ]),
                        ]),
                    ),
                ]),
            ]
        }
        "launchpad:index:WebService" => vec![
            // The new VPC's subnets in zones named by name.
            map(&[
                ("image", s("ghcr.io/acme/api:1.4.2")),
                (
                    "availabilityZones",
                    Value::Array(vec![s("eu-west-1a"), s("eu-west-1b")]),
                ),
            ]),
            map(&[
                ("image", s("ghcr.io/acme/api:1.4.2")),
                ("port", Value::Number(8000.0)),
                ("cpu", Value::Number(512.0)),
                ("memory", Value::Number(1024.0)),
                ("environment", object(&[("MODE", s("prod"))])),
                (
                    "secrets",
                    object(&[(
                        "DB",
                        s("arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-AbC123"),
                    )]),
                ),
                ("healthCheck", object(&[("path", s("/health"))])),
                (
                    "scaling",
                    object(&[
                        ("maxCount", Value::Number(4.0)),
                        ("cpuTargetPercent", Value::Number(60.0)),
                    ]),
                ),
                (
                    "certificateArn",
                    s("arn:aws:acm:eu-west-1:123456789012:certificate/0a1b2c3d"),
                ),
                ("logRetentionDays", Value::Number(7.0)),
                ("enableExecuteCommand", Value::Bool(true)),
                ("tags", tags.clone()),
            ]),
        ],
        "launchpad:index:CloudRunService" => vec![map(&[
            ("image", s("us-docker.pkg.dev/acme/app/api:1.4.2")),
            ("port", Value::Number(8000.0)),
            ("environment", object(&[("MODE", s("prod"))])),
            ("public", Value::Bool(true)),
            ("labels", object(&[("team", s("web"))])),
        ])],
        "launchpad:index:KubernetesService" => {
            let names = |items: &[&str]| Value::Array(items.iter().map(|i| s(i)).collect());
            let key_ref = |name: &str| object(&[("name", s(name)), ("key", s("value"))]);
            let service = |exposure: (&str, Value)| {
                map(&[
                    ("image", s("ghcr.io/acme/api:1.4.2")),
                    ("name", s("api")),
                    ("namespace", s("shop")),
                    ("createNamespace", Value::Bool(true)),
                    ("labels", object(&[("team", s("web"))])),
                    ("port", Value::Number(8000.0)),
                    ("servicePort", Value::Number(8080.0)),
                    ("command", names(&["/app/server"])),
                    ("args", names(&["--verbose"])),
                    ("cpu", s("500m")),
                    ("memory", s("512Mi")),
                    ("cpuLimit", s("1")),
                    ("replicas", Value::Number(3.0)),
                    ("environment", object(&[("MODE", s("prod"))])),
                    ("secrets", object(&[("DB", key_ref("db"))])),
                    ("configMaps", object(&[("FLAGS", key_ref("flags"))])),
                    ("envFromSecrets", names(&["env"])),
                    ("envFromConfigMaps", names(&["config"])),
                    ("imagePullSecrets", names(&["registry"])),
                    (
                        "serviceAccount",
                        object(&[("automountToken", Value::Bool(true))]),
                    ),
                    ("runAsUser", Value::Number(10001.0)),
                    ("runAsGroup", Value::Number(10001.0)),
                    ("fsGroup", Value::Number(10001.0)),
                    ("readOnlyRootFilesystem", Value::Bool(true)),
                    ("terminationGracePeriodSeconds", Value::Number(60.0)),
                    ("healthCheck", object(&[("path", s("/healthz"))])),
                    (
                        "autoscaling",
                        object(&[("maxReplicas", Value::Number(5.0))]),
                    ),
                    ("podDisruptionBudget", Value::Bool(true)),
                    (
                        "networkPolicy",
                        object(&[("allowFromNamespaces", names(&["monitoring"]))]),
                    ),
                    exposure,
                ])
            };
            vec![
                service((
                    "ingress",
                    object(&[
                        ("hosts", names(&["api.example.com"])),
                        ("controllerNamespace", s("ingress-nginx")),
                    ]),
                )),
                service((
                    "httpRoute",
                    object(&[
                        ("gatewayName", s("public")),
                        ("gatewayNamespace", s("gateways")),
                    ]),
                )),
            ]
        }
        "launchpad:index:NeonDatabase" => vec![
            map(&[
                ("orgId", s("org-cool-breeze-12345678")),
                ("region", s("aws-eu-central-1")),
                ("maxCu", Value::Number(2.0)),
                ("historyRetentionSeconds", Value::Number(86400.0)),
            ]),
            map(&[
                ("projectId", s("floral-king-961888")),
                ("parentBranch", s("main")),
                ("maxCu", Value::Number(2.0)),
                ("expiresIn", s("7d")),
            ]),
            map(&[
                ("projectId", s("floral-king-961888")),
                (
                    "expiresAt",
                    s(&launchpad_neon::args::rfc3339(
                        time::OffsetDateTime::now_utc() + time::Duration::days(7),
                    )),
                ),
            ]),
        ],
        "launchpad:index:Function" => {
            let path = s(&site_folder().display().to_string());
            vec![
                // A zip function with everything that adds a child.
                map(&[
                    ("path", path),
                    ("runtime", s("nodejs24.x")),
                    ("handler", s("index.handler")),
                    ("architecture", s("x86_64")),
                    ("memory", Value::Number(1024.0)),
                    ("timeout", Value::Number(30.0)),
                    ("ephemeralStorage", Value::Number(1024.0)),
                    ("environment", object(&[("STAGE", s("prod"))])),
                    (
                        "secrets",
                        object(&[(
                            "DB",
                            s("arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-AbC123"),
                        )]),
                    ),
                    (
                        "secretsKmsKeyArns",
                        Value::Array(vec![s(
                            "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab",
                        )]),
                    ),
                    (
                        "vpc",
                        object(&[
                            ("subnetIds", Value::Array(vec![s("subnet-0a")])),
                            ("securityGroupIds", Value::Array(vec![s("sg-0a")])),
                        ]),
                    ),
                    ("reservedConcurrency", Value::Number(5.0)),
                    ("logRetentionDays", Value::Number(14.0)),
                    ("logFormat", s("JSON")),
                    ("logLevel", s("WARN")),
                    (
                        "url",
                        object(&[(
                            "cors",
                            object(&[("allowOrigins", Value::Array(vec![s("https://a.example")]))]),
                        )]),
                    ),
                    ("schedule", object(&[("expression", s("rate(1 hour)"))])),
                    ("description", s("the API")),
                    ("tags", tags.clone()),
                ]),
                // An image function.
                map(&[(
                    "image",
                    s("123456789012.dkr.ecr.eu-west-1.amazonaws.com/api:1.0"),
                )]),
            ]
        }
        _ => return None,
    })
}

#[test]
fn every_component_feeds_its_inputs_to_its_children() {
    let ctx = ConstructContext {
        name: "app".into(),
        project: "p".into(),
        stack: "dev".into(),
        config: BTreeMap::from([
            ("aws:region".to_string(), "eu-west-1".to_string()),
            ("gcp:region".to_string(), "europe-west1".to_string()),
            ("gcp:project".to_string(), "acme-prod".to_string()),
        ]),
        ..ConstructContext::default()
    };
    let package = crate::package();
    assert!(!package.components.is_empty());
    let mut problems = Vec::new();
    for component in &package.components {
        let def = component.definition();
        let Some(samples) = samples(def.token) else {
            problems.push(format!(
                "{}: no sample inputs here to plan it with; add them to `samples`",
                def.token
            ));
            continue;
        };
        let mut fed = BTreeSet::new();
        // Every (child, property) some input feeds, and every input each
        // child is given in some sample: a fed property must be one of them.
        let mut targets_seen = BTreeSet::new();
        let mut child_inputs: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for inputs in &samples {
            let mut plan = match component.plan(&ctx, inputs) {
                Ok(plan) => plan,
                Err(e) => panic!(
                    "{}: the sample does not plan: {}: {}",
                    def.token, e.property, e.message
                ),
            };
            // As Construct does: the feeds the input definitions declare.
            plan.declare_feeds(def.inputs);
            for child in &plan.children {
                child_inputs
                    .entry(child.key.clone())
                    .or_default()
                    .extend(child.inputs.keys().cloned());
            }
            for (input, targets) in &plan.input_targets {
                for (child, property) in targets {
                    assert!(
                        plan.child(child).is_some(),
                        "{}: `{input}` feeds {child}.{property}, but there is no child `{child}`",
                        def.token
                    );
                    targets_seen.insert((input.clone(), child.clone(), property.clone()));
                }
                if !targets.is_empty() {
                    fed.insert(input.clone());
                }
            }
        }
        for (input, child, property) in &targets_seen {
            let known = child_inputs
                .get(child)
                .is_some_and(|names| names.contains(property));
            if !known {
                problems.push(format!(
                    "{}: `{input}` feeds {child}.{property}, but no sample gives {child} an input `{property}` (a typo, or a sample to add here)",
                    def.token
                ));
            }
        }
        if fed.is_empty() {
            problems.push(format!(
                "{}: declares no feeds, so `ignoreChanges`/`replaceOnChanges` on it reach no child",
                def.token
            ));
        }
        for input in def.inputs {
            // A declared feed some sample never reaches is a typo or a sample to add.
            for feed in input.feeds {
                let (child, property) = feed.split_once('.').unwrap_or((feed, ""));
                let reached = targets_seen.iter().any(|(i, c, p)| {
                    i == input.name
                        && p == property
                        && match child.strip_suffix('*') {
                            Some(prefix) => c.starts_with(prefix),
                            None => c == child,
                        }
                });
                if !reached {
                    problems.push(format!(
                        "{}: `{}` declares it feeds {feed}, but no sample plans a child `{child}` with `{property}`",
                        def.token, input.name
                    ));
                }
            }
            match (fed.contains(input.name), input.feeds_none) {
                (true, Some(why)) => problems.push(format!(
                    "{}: `{}` feeds a child but is marked `feeds_none` ({why})",
                    def.token, input.name
                )),
                (false, Some(why)) if why.trim().is_empty() => problems.push(format!(
                    "{}: `{}` is marked `feeds_none` without a reason",
                    def.token, input.name
                )),
                (false, None) => problems.push(format!(
                    "{}: `{}` feeds no child; declare `feeds(\"child.property\")` on it, or `feeds_none = \"why\"`",
                    def.token, input.name
                )),
                _ => {}
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
