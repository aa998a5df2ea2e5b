//! CloudRunService through the real Construct loop against the fake
//! monitor: the children for each input that changes them, and every refusal.

use std::collections::BTreeMap;
use std::sync::Arc;

use launchpad_core::value::{PropertyMap, Value};
use launchpad_protocol::testing::{ConstructCall, FakeMonitor, FakeMonitorConfig, Registration};

use super::CloudRunService;
use crate::GCP_PROVIDER_VERSION;

fn v(s: &str) -> Value {
    Value::string(s)
}

fn object(pairs: Vec<(&str, Value)>) -> Value {
    Value::Object(pairs.into_iter().map(|(k, v)| (k.to_string(), v)).collect())
}

fn inputs(extra: Vec<(&str, Value)>) -> PropertyMap {
    let mut m = PropertyMap::from([(
        "image".to_string(),
        v("us-docker.pkg.dev/acme/app/api:1.4.2"),
    )]);
    m.extend(extra.into_iter().map(|(k, v)| (k.to_string(), v)));
    m
}

fn call(inputs: PropertyMap) -> ConstructCall {
    let mut c = ConstructCall::new(super::DEFINITION.token, "api", inputs);
    c.config = BTreeMap::from([
        ("gcp:region".to_string(), "europe-west1".to_string()),
        ("gcp:project".to_string(), "acme-prod".to_string()),
    ]);
    c
}

fn deployed() -> FakeMonitorConfig {
    FakeMonitorConfig {
        dry_run: false,
        outputs: Arc::new(|token, name, _| {
            let pairs: Vec<(&str, Value)> = match token {
                "gcp:serviceaccount/account:Account" => {
                    vec![(
                        "email",
                        v(&format!("{name}@acme-prod.iam.gserviceaccount.com")),
                    )]
                }
                "gcp:cloudrunv2/service:Service" => vec![
                    ("uri", v("https://api-abc-ew.a.run.app")),
                    ("latestReadyRevision", v("api-00001-xyz")),
                ],
                _ => vec![],
            };
            pairs.into_iter().map(|(k, v)| (k.to_string(), v)).collect()
        }),
        ..FakeMonitorConfig::default()
    }
}

async fn construct(extra: Vec<(&str, Value)>) -> (FakeMonitor, PropertyMap) {
    let monitor = FakeMonitor::start(deployed()).await;
    let resp = monitor
        .construct(&CloudRunService, &call(inputs(extra)))
        .await
        .expect("construct");
    (monitor, resp.state)
}

fn service(m: &FakeMonitor) -> serde_json::Value {
    Value::Object(m.one("gcp:cloudrunv2/service:Service").inputs)
        .to_json()
        .expect("known")
}

fn grants(m: &FakeMonitor) -> Vec<Registration> {
    m.registrations()
        .into_iter()
        .filter(|r| r.type_token == "gcp:secretmanager/secretIamMember:SecretIamMember")
        .collect()
}

#[tokio::test]
async fn a_private_scale_to_zero_service_runs_as_its_own_account() {
    let (m, state) = construct(vec![]).await;
    let regs = m.registrations();
    assert_eq!(regs[0].type_token, "launchpad:index:CloudRunService");
    for c in &regs[1..] {
        assert_eq!(c.parent, regs[0].urn);
        assert_eq!(c.version, GCP_PROVIDER_VERSION);
    }
    let account = m.one("gcp:serviceaccount/account:Account").inputs;
    let Value::String(id) = &account["accountId"] else {
        panic!("accountId")
    };
    assert!(
        id.starts_with("api-") && (6..=30).contains(&id.len()),
        "{id}"
    );
    let s = service(&m);
    assert_eq!(s["location"], "europe-west1");
    assert_eq!(s["project"], "acme-prod");
    assert_eq!(
        s["deletionProtection"], false,
        "explicit, never the provider's true"
    );
    assert_eq!(s["invokerIamDisabled"], false, "private by default");
    assert_eq!(s["ingress"], "INGRESS_TRAFFIC_ALL");
    let t = &s["template"];
    assert_eq!(
        t["serviceAccount"],
        "api-sa@acme-prod.iam.gserviceaccount.com"
    );
    assert_eq!(t["scaling"]["minInstanceCount"], 0);
    assert_eq!(t["maxInstanceRequestConcurrency"], 80);
    assert_eq!(t["timeout"], "300s");
    let c = &t["containers"][0];
    assert_eq!(c["ports"]["containerPort"], 8080);
    assert_eq!(c["resources"]["limits"]["cpu"], "1");
    assert_eq!(c["resources"]["limits"]["memory"], "512Mi");
    assert_eq!(c["resources"]["cpuIdle"], true);
    assert!(grants(&m).is_empty());
    assert_eq!(state["url"], v("https://api-abc-ew.a.run.app"));
    assert_eq!(state["latestRevision"], v("api-00001-xyz"));
    assert!(
        m.registrations()
            .iter()
            .all(|r| !r.type_token.contains("IamMember") || r.type_token.contains("secret")),
        "no allUsers binding, no invoker binding"
    );
}

#[tokio::test]
async fn public_means_invoker_iam_disabled_not_an_all_users_binding() {
    let (m, _) = construct(vec![("public", Value::Bool(true))]).await;
    assert_eq!(service(&m)["invokerIamDisabled"], true);
    assert!(
        !m.registrations()
            .iter()
            .any(|r| r.inputs.values().any(|v| *v == v_all_users()))
    );
}

fn v_all_users() -> Value {
    v("allUsers")
}

#[tokio::test]
async fn secrets_are_env_refs_and_the_account_may_read_exactly_those() {
    let (m, _) = construct(vec![
        (
            "secrets",
            object(vec![
                ("DATABASE_URL", object(vec![("secret", v("db-url"))])),
                (
                    "DB_COPY",
                    object(vec![("secret", v("db-url")), ("version", v("3"))]),
                ),
                (
                    "API_KEY",
                    object(vec![("secret", v("projects/shared/secrets/api-key"))]),
                ),
            ]),
        ),
        ("environment", object(vec![("LOG_LEVEL", v("info"))])),
    ])
    .await;
    let envs = service(&m)["template"]["containers"][0]["envs"].clone();
    assert_eq!(
        envs[0],
        serde_json::json!({"name": "LOG_LEVEL", "value": "info"})
    );
    let refs: Vec<(String, String)> = envs
        .as_array()
        .expect("envs")
        .iter()
        .filter_map(|e| {
            let r = &e["valueSource"]["secretKeyRef"];
            Some((
                r["secret"].as_str()?.to_string(),
                r["version"].as_str()?.to_string(),
            ))
        })
        .collect();
    assert!(refs.contains(&("db-url".into(), "latest".into())));
    assert!(refs.contains(&("db-url".into(), "3".into())));
    let g = grants(&m);
    let secrets: Vec<Value> = g.iter().map(|r| r.inputs["secretId"].clone()).collect();
    // A full name carries its own project; an ID is in the service's.
    let projects: Vec<Option<Value>> = g.iter().map(|r| r.inputs.get("project").cloned()).collect();
    assert_eq!(projects, vec![None, Some(v("acme-prod"))]);
    assert_eq!(
        secrets,
        vec![v("projects/shared/secrets/api-key"), v("db-url")]
    );
    for r in &g {
        assert_eq!(r.inputs["role"], v("roles/secretmanager.secretAccessor"));
        assert_eq!(
            r.inputs["member"],
            v("serviceAccount:api-sa@acme-prod.iam.gserviceaccount.com")
        );
    }
    let service = m.one("gcp:cloudrunv2/service:Service");
    for r in &g {
        assert!(
            service.dependencies.contains(&r.urn),
            "the revision waits for its grants"
        );
    }
}

#[tokio::test]
async fn vpc_access_probes_and_ingress_reach_the_service() {
    let (m, _) = construct(vec![
        (
            "vpcAccess",
            object(vec![
                ("subnetwork", v("apps")),
                ("egress", v("all-traffic")),
            ]),
        ),
        (
            "healthCheck",
            object(vec![
                ("startupPath", v("/ready")),
                ("livenessPath", v("/healthz")),
            ]),
        ),
        ("ingress", v("internal-and-cloud-load-balancing")),
        ("cpu", v("2")),
        ("memory", v("4Gi")),
    ])
    .await;
    let s = service(&m);
    assert_eq!(s["ingress"], "INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER");
    let vpc = &s["template"]["vpcAccess"];
    assert_eq!(vpc["egress"], "ALL_TRAFFIC");
    assert_eq!(vpc["networkInterfaces"][0]["subnetwork"], "apps");
    let c = &s["template"]["containers"][0];
    assert_eq!(c["startupProbe"]["httpGet"]["path"], "/ready");
    // 24 × 10 s: the 240 s Cloud Run's default TCP probe allows a slow starter.
    assert_eq!(c["startupProbe"]["failureThreshold"], 24);
    assert_eq!(c["startupProbe"]["periodSeconds"], 10);
    assert_eq!(c["livenessProbe"]["httpGet"]["path"], "/healthz");
    assert_eq!(c["resources"]["limits"]["memory"], "4Gi");
}

/// Extra inputs, the property a refusal names, and what its message says.
type Refusal<'a> = (Vec<(&'a str, Value)>, &'a str, &'a str);

#[tokio::test]
async fn bad_inputs_fail_before_anything_is_registered_naming_the_property() {
    let n = Value::Number;
    let cases: Vec<Refusal> = vec![
        (
            vec![("cpu", v("0.5")), ("concurrency", n(80.0))],
            "concurrency",
            "concurrency=80",
        ),
        (
            vec![("cpu", v("1")), ("memory", v("8Gi"))],
            "memory",
            "memory",
        ),
        (vec![("cpu", v("3"))], "cpu", "cpu=\"3\""),
        (
            vec![
                ("cpu", v("0.5")),
                ("concurrency", n(1.0)),
                ("cpuIdle", Value::Bool(false)),
            ],
            "cpuIdle",
            "cpuIdle=false (CPU always allocated) needs cpu of at least 1",
        ),
        (vec![("memory", v("512MB"))], "memory", "memory=\"512MB\""),
        (
            vec![("concurrency", n(2000.0))],
            "concurrency",
            "concurrency",
        ),
        (
            vec![("timeoutSeconds", n(4000.0))],
            "timeoutSeconds",
            "timeoutSeconds=4000 is not valid; it must be a whole number from 1 to 3600",
        ),
        (
            vec![("minInstances", n(5.0)), ("maxInstances", n(2.0))],
            "minInstances",
            "minInstances=5 is more than maxInstances=2",
        ),
        (vec![("region", v("us-centrl1"))], "region", "us-central1"),
        (
            vec![("environment", object(vec![("PORT", v("80"))]))],
            "environment.PORT",
            "set by Cloud Run itself",
        ),
        (
            vec![
                ("environment", object(vec![("DB", v("x"))])),
                (
                    "secrets",
                    object(vec![("DB", object(vec![("secret", v("db"))]))]),
                ),
            ],
            "secrets.DB",
            "DB is set in both `environment` and `secrets`",
        ),
        (
            vec![(
                "secrets",
                object(vec![("DB", object(vec![("secret", v("db/url"))]))]),
            )],
            "secrets.DB.secret",
            "is not a Secret Manager secret",
        ),
        (
            vec![(
                "secrets",
                object(vec![(
                    "DB",
                    object(vec![("secret", v("db")), ("version", v("new est"))]),
                )]),
            )],
            "secrets.DB.version",
            "use \"latest\", a version number",
        ),
        (
            // A secret entry's version is never quoted.
            vec![(
                "secrets",
                object(vec![(
                    "DB",
                    Value::Secret(Box::new(object(vec![
                        ("secret", v("db")),
                        ("version", v("new est")),
                    ]))),
                )]),
            )],
            "secrets.DB.version",
            "secrets.DB.version=[secret] is not valid",
        ),
        (
            vec![("labels", object(vec![("Team", v("a"))]))],
            "labels.Team",
            "labels key \"Team\" is not valid",
        ),
        (
            vec![("labels", object(vec![("team", v("A.B"))]))],
            "labels.team",
            "is not valid: at most 63 lower-case letters",
        ),
        (
            vec![("image", v("Acme/API"))],
            "image",
            "is not a valid image reference",
        ),
        (
            vec![("healthCheck", object(vec![("startupPath", v("ready"))]))],
            "healthCheck.startupPath",
            "must start with `/`",
        ),
        (
            vec![("ingress", v("public"))],
            "ingress",
            "valid: all, internal, internal-and-cloud-load-balancing",
        ),
    ];
    for (extra, property, message) in cases {
        let monitor = FakeMonitor::start(FakeMonitorConfig::default()).await;
        let e = monitor
            .construct(&CloudRunService, &call(inputs(extra)))
            .await
            .expect_err("refused");
        let launchpad_protocol::ProtocolError::Input(i) = e else {
            panic!("{property}: expected an input error, got {e}");
        };
        assert_eq!(i.property, property, "{}", i.message);
        assert!(
            i.message.contains(message),
            "{property}: {:?} should contain {message:?}",
            i.message
        );
        assert!(
            monitor.registrations().is_empty(),
            "{property}: nothing registered"
        );
    }
    // No region anywhere.
    let monitor = FakeMonitor::start(FakeMonitorConfig::default()).await;
    let mut c = call(inputs(vec![]));
    c.config.clear();
    let e = monitor
        .construct(&CloudRunService, &c)
        .await
        .expect_err("refused");
    assert!(
        e.to_string().contains("pulumi config set gcp:region"),
        "{e}"
    );
}

proptest::proptest! {
    #[test]
    fn service_account_ids_and_service_names_are_valid_for_any_name(name in "\\PC{1,200}", seed in "[a-z]{1,20}") {
        for (max, min) in [(30usize, 6usize), (49, 1)] {
            let id = super::plan::gcp_name(&name, &seed, max);
            proptest::prop_assert!(id.len() >= min && id.len() <= max, "{id}");
            proptest::prop_assert!(id.starts_with(|c: char| c.is_ascii_lowercase()), "{id}");
            proptest::prop_assert!(id.ends_with(|c: char| c.is_ascii_lowercase() || c.is_ascii_digit()), "{id}");
            proptest::prop_assert!(id.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'), "{id}");
        }
    }
}
