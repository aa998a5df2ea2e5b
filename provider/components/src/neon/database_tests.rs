//! The `NeonDatabase` component through the real Construct loop against the
//! fake monitor, which answers for its child as a deployed NeonProject or
//! NeonBranch would: what it registers, what it refuses before registering
//! anything, and that its connection URIs stay secret. The child resources'
//! own lifecycles are tested in `launchpad-neon`.

use std::sync::Arc;

use launchpad_core::value::{PropertyMap, Value};
use launchpad_protocol::ProtocolError;
use launchpad_protocol::testing::{ConstructCall, FakeMonitor, FakeMonitorConfig};

use super::NeonDatabase;

const PROJECT_ID: &str = "floral-king-961888";
/// The project's default branch, `main`.
const MAIN: &str = "br-bitter-sound-247814";
const MAIN_ENDPOINT: &str = "ep-dark-snowflake-942567";
/// The branch `preview-pr-42` made from `main`.
const PREVIEW: &str = "br-wispy-meadow-118737";
const DIRECT_URI: &str = "postgresql://app:npg_Qx7vR2mWk9Lp@ep-dark-snowflake-942567.us-east-2.aws.neon.tech/app?sslmode=require&channel_binding=require";
const POOLED_URI: &str = "postgresql://app:npg_Qx7vR2mWk9Lp@ep-dark-snowflake-942567-pooler.us-east-2.aws.neon.tech/app?sslmode=require&channel_binding=require";
/// The password in the connection URIs: it must never show.
const PASSWORD: &str = "npg_Qx7vR2mWk9Lp";

/// No password in `text`.
fn assert_clean(text: &str) {
    assert!(!text.contains(PASSWORD), "a password leaked: {text}");
}

fn s(v: &str) -> Value {
    Value::string(v)
}

fn n(v: f64) -> Value {
    Value::Number(v)
}

fn secret(v: &str) -> Value {
    Value::Secret(Box::new(Value::string(v)))
}

fn props(pairs: &[(&str, Value)]) -> PropertyMap {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.clone()))
        .collect()
}

fn deployed() -> FakeMonitorConfig {
    FakeMonitorConfig {
        dry_run: false,
        outputs: Arc::new(|token, _, _| {
            let mut o = props(&[
                ("projectId", s(PROJECT_ID)),
                ("endpointId", s(MAIN_ENDPOINT)),
                (
                    "host",
                    s("ep-dark-snowflake-942567.us-east-2.aws.neon.tech"),
                ),
                (
                    "pooledHost",
                    s("ep-dark-snowflake-942567-pooler.us-east-2.aws.neon.tech"),
                ),
                // As the engine hands a secret output back.
                ("connectionUri", secret(DIRECT_URI)),
                ("pooledConnectionUri", secret(POOLED_URI)),
            ]);
            let branch = if token == "launchpad:index:NeonBranch" {
                PREVIEW
            } else {
                MAIN
            };
            o.insert("branchId".into(), s(branch));
            o
        }),
        ..FakeMonitorConfig::default()
    }
}

fn database_call(inputs: PropertyMap) -> ConstructCall {
    ConstructCall::new(super::DEFINITION.token, "db", inputs)
}

/// The one NeonProject the component registered, and its name.
async fn derived_name(config: FakeMonitorConfig) -> String {
    let m = FakeMonitor::start(config).await;
    m.construct(&NeonDatabase, &database_call(PropertyMap::new()))
        .await
        .expect("construct");
    let regs = m.registrations();
    assert_eq!(regs.len(), 2, "the component and one child: {regs:?}");
    assert_eq!(regs[0].type_token, super::DEFINITION.token);
    let child = m.one("launchpad:index:NeonProject");
    assert!(child.custom);
    assert_eq!(child.parent, regs[0].urn);
    assert_eq!(child.inputs["pgVersion"], n(17.0));
    let Value::String(name) = &child.inputs["name"] else {
        panic!("name: {:?}", child.inputs["name"]);
    };
    name.clone()
}

#[tokio::test]
async fn without_a_project_id_the_component_registers_a_project_with_a_stable_derived_name() {
    let name = derived_name(deployed()).await;

    let (prefix, hash) = name.rsplit_once('-').expect("a hash suffix");
    assert_eq!(prefix, "dev-db", "{name}");
    assert_eq!(hash.len(), 8, "{name}");
    assert!(
        hash.chars()
            .all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase()),
        "{name}"
    );
    assert_eq!(derived_name(deployed()).await, name, "stable");
    let other_stack = derived_name(FakeMonitorConfig {
        stack: "prod".into(),
        ..deployed()
    })
    .await;
    let (other_prefix, other_hash) = other_stack.rsplit_once('-').expect("a hash suffix");
    assert_eq!(other_prefix, "prod-db", "{other_stack}");
    assert_ne!(other_hash, hash, "another stack, another name");
}

#[tokio::test]
async fn with_a_project_id_the_component_registers_a_branch() {
    let m = FakeMonitor::start(deployed()).await;
    let inputs = props(&[
        ("projectId", s(PROJECT_ID)),
        ("parentBranch", s("main")),
        ("maxCu", n(2.0)),
    ]);

    let resp = m
        .construct(&NeonDatabase, &database_call(inputs))
        .await
        .expect("construct");

    let child = m.one("launchpad:index:NeonBranch");
    assert!(
        m.registrations()
            .iter()
            .all(|r| r.type_token != "launchpad:index:NeonProject")
    );
    assert_eq!(child.inputs["projectId"], s(PROJECT_ID));
    assert_eq!(child.inputs["parentBranch"], s("main"));
    assert_eq!(child.inputs["maxCu"], n(2.0));
    assert!(!child.inputs.contains_key("region"));
    assert!(!child.inputs.contains_key("pgVersion"));
    assert_eq!(resp.state["branchId"], s(PREVIEW));
}

#[tokio::test]
async fn an_impossible_compute_range_is_refused_before_anything_is_registered() {
    let m = FakeMonitor::start(deployed()).await;
    let inputs = props(&[("minCu", n(0.25)), ("maxCu", n(10.0))]);

    let e = m
        .construct(&NeonDatabase, &database_call(inputs))
        .await
        .expect_err("refused");

    let ProtocolError::Input(i) = e else {
        panic!("expected an input error, got {e}");
    };
    assert_eq!(i.property, "maxCu", "{}", i.message);
    assert!(
        i.message.contains("autoscaling spans at most 8 CU"),
        "{}",
        i.message
    );
    assert!(m.registrations().is_empty(), "nothing registered");
}

#[tokio::test]
async fn the_components_connection_uris_are_secret_and_never_logged() {
    let m = FakeMonitor::start(deployed()).await;

    let resp = m
        .construct(&NeonDatabase, &database_call(PropertyMap::new()))
        .await
        .expect("construct");

    let state = &resp.state;
    assert_eq!(state["connectionUri"], secret(DIRECT_URI));
    assert_eq!(state["pooledConnectionUri"], secret(POOLED_URI));
    assert_eq!(
        state["host"],
        s("ep-dark-snowflake-942567.us-east-2.aws.neon.tech")
    );
    assert_eq!(state["databaseName"], s("app"));
    assert_eq!(state["roleName"], s("app"));
    for (_, _, line) in m.logs() {
        assert_clean(&line);
    }
}

#[test]
fn ignore_changes_and_replace_on_changes_on_the_database_reach_its_child() {
    use launchpad_core::{Component, ComponentOptions, ConstructContext};
    for (inputs, key) in [
        (PropertyMap::new(), "project"),
        (props(&[("projectId", s(PROJECT_ID))]), "branch"),
    ] {
        let ctx = ConstructContext {
            name: "db".into(),
            stack: "dev".into(),
            ..ConstructContext::default()
        };
        let mut plan = NeonDatabase.plan(&ctx, &inputs).expect("plan");
        plan.apply_component_options(&ComponentOptions {
            ignore_changes: vec!["maxCu".into(), "name".into()],
            replace_on_changes: vec!["databaseName".into()],
            ..ComponentOptions::default()
        });
        assert!(plan.warnings.is_empty(), "{key}: {:?}", plan.warnings);
        let child = plan.child(key).expect("the child");
        assert_eq!(child.options.ignore_changes, ["maxCu", "name"], "{key}");
        assert_eq!(child.options.replace_on_changes, ["databaseName"], "{key}");
    }
}
