//! The native-resource lifecycle over real gRPC, proven with the test-only
//! mailbox of `launchpad-testbed`: kept in a folder that stands in for a
//! cloud, with outputs computed from its inputs (never an echo). The
//! provider is driven through `protocol::testing::ResourceDriver`, as the
//! engine would drive it.

use std::path::PathBuf;
use std::time::Duration;

use launchpad_core::custom::{ChangeKind, PropertyChange, State};
use launchpad_core::log::Severity;
use launchpad_protocol::testing::{CallFailure, DiffVerdict, ResourceCall, ResourceDriver};
use launchpad_protocol::{PropertyMap, Value};
use launchpad_testbed::mailbox::Cloud;

const TOKEN: &str = "testbed:index:Mailbox";
/// The mailbox every test works on.
const NAME: &str = "inbox";

struct Served {
    driver: ResourceDriver,
    cloud: Cloud,
    dir: PathBuf,
}

/// A fresh cloud folder per test: the process ID and a counter keep
/// tests running in parallel apart.
fn cloud_dir() -> PathBuf {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    std::env::temp_dir().join(format!(
        "launchpad-it-cloud-{}-{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    ))
}

async fn serve() -> Served {
    let dir = cloud_dir();
    let cloud = Cloud::new(&dir);
    let package = launchpad_testbed::package_in(cloud.clone());
    Served {
        driver: ResourceDriver::start(package, TOKEN).await,
        cloud,
        dir,
    }
}

fn props(pairs: Vec<(&str, Value)>) -> PropertyMap {
    pairs.into_iter().map(|(k, v)| (k.to_string(), v)).collect()
}

fn secret(s: &str) -> Value {
    Value::Secret(Box::new(Value::string(s)))
}

/// A create of the mailbox from `inputs`, with `customTimeouts.create` of `timeout`.
fn creating(inputs: Vec<(&str, Value)>, timeout: Option<Duration>) -> ResourceCall {
    ResourceCall {
        timeout,
        ..ResourceCall::new(NAME, props(inputs))
    }
}

async fn create(
    d: &ResourceDriver,
    inputs: Vec<(&str, Value)>,
    timeout: Option<Duration>,
) -> Result<(String, PropertyMap), CallFailure> {
    let created = d.create(&creating(inputs, timeout)).await?;
    Ok((created.id, created.outputs))
}

#[tokio::test]
async fn check_failures_are_answers_not_errors() {
    let s = serve().await;
    let checked = s
        .driver
        .check(&ResourceCall::new(
            NAME,
            props(vec![("owner", Value::Number(1.0))]),
        ))
        .await
        .expect("answered");
    assert_eq!(checked.failures.len(), 1);
    assert_eq!(checked.failures[0].property, "owner");
}

#[tokio::test]
async fn outputs_derived_from_secret_inputs_are_secret_and_others_are_not() {
    let s = serve().await;
    let (_, out) = create(
        &s.driver,
        vec![
            ("owner", Value::string("ann")),
            ("password", secret("hunter2")),
        ],
        None,
    )
    .await
    .expect("create");
    // Computed from the secret password: secret, though the resource returned it plain.
    assert_eq!(out["passwordHint"], secret("h"));
    // Not declared in the schema, and some input is secret: secret to be safe.
    assert_eq!(out["length"], Value::Secret(Box::new(Value::Number(7.0))));
    // Declared secret whatever the inputs.
    assert_eq!(out["apiKey"], secret("key-ann"));
    // Computed from the plain owner only: stays readable.
    assert_eq!(out["address"], Value::string("ann@test"));

    let (_, out) = create(&s.driver, vec![("owner", secret("bob"))], None)
        .await
        .expect("create");
    assert_eq!(out["address"], secret("bob@test"));
    assert_eq!(
        out["passwordHint"],
        Value::string(""),
        "no secret input behind it"
    );
}

#[tokio::test]
async fn preview_touches_nothing() {
    let s = serve().await;
    let created = s
        .driver
        .create(&ResourceCall {
            preview: true,
            ..creating(vec![("owner", Value::string("ann"))], None)
        })
        .await
        .expect("create");
    assert_eq!(created.id, "");
    assert!(!s.dir.exists(), "nothing was created");
}

#[tokio::test]
async fn update_gets_the_old_outputs_and_the_old_inputs() {
    let s = serve().await;
    let (id, created) = create(&s.driver, vec![("owner", Value::string("ann"))], None)
        .await
        .expect("create");
    let old = State {
        inputs: props(vec![("owner", Value::string("ann"))]),
        outputs: created,
    };
    let out = s
        .driver
        .update(&ResourceCall::new(NAME, props(vec![("owner", Value::string("bob"))])).on(&id, old))
        .await
        .expect("update");
    assert_eq!(out["revision"], Value::Number(1.0), "from the old outputs");
    assert_eq!(
        out["previousOwner"],
        Value::string("ann"),
        "from the old inputs"
    );
    assert_eq!(out["address"], Value::string("bob@test"));
    assert_eq!(s.cloud.get(&id).expect("exists").0, "bob");
}

#[tokio::test]
async fn read_shows_drift_imports_from_an_id_and_reports_what_is_gone() {
    let s = serve().await;
    let inputs = vec![("owner", Value::string("ann")), ("password", secret("pw"))];
    let (id, created) = create(&s.driver, inputs.clone(), None)
        .await
        .expect("create");
    // Someone changes the mailbox outside Pulumi.
    s.cloud.put(&id, "eve", "pw").expect("put");
    let old = State {
        inputs: props(inputs),
        outputs: created,
    };
    let live = s
        .driver
        .read(&ResourceCall::new(NAME, PropertyMap::new()).on(&id, old))
        .await
        .expect("read")
        .expect("still there");
    assert_eq!(
        live.state.inputs["owner"],
        Value::string("eve"),
        "refresh shows the drift"
    );
    assert_eq!(
        live.state.inputs["password"],
        secret("pw"),
        "a secret input stays secret"
    );
    assert_eq!(live.state.outputs["address"], Value::string("eve@test"));
    assert_eq!(live.state.outputs["passwordHint"], secret("p"));

    // `pulumi import`: only the ID; inputs and outputs come from the cloud.
    s.cloud.put("mbx-zed", "zed", "").expect("put");
    let imported = s
        .driver
        .read(&ResourceCall::new(NAME, PropertyMap::new()).on("mbx-zed", State::default()))
        .await
        .expect("import")
        .expect("found");
    assert_eq!(imported.id, "mbx-zed");
    assert_eq!(
        imported.state.inputs,
        PropertyMap::from([("owner".into(), Value::string("zed"))])
    );

    let gone = s
        .driver
        .read(&ResourceCall::new(NAME, PropertyMap::new()).on("mbx-nobody", State::default()))
        .await
        .expect("read");
    assert_eq!(gone, None, "an empty ID tells the engine it is gone");
}

#[tokio::test]
async fn a_create_past_its_deadline_stops_and_records_what_exists() {
    let s = serve().await;
    // customTimeouts.create of 0.2 s; the mailbox needs an hour to be ready.
    let failure = create(
        &s.driver,
        vec![
            ("owner", Value::string("ann")),
            ("readySeconds", Value::Number(3600.0)),
        ],
        Some(Duration::from_millis(200)),
    )
    .await
    .expect_err("interrupted");
    assert!(failure.message.contains("timed out"), "{}", failure.message);
    let partial = failure.partial.expect("ErrorResourceInitFailed");
    assert_eq!(partial.id, "mbx-ann");
    assert_eq!(partial.state.outputs["address"], Value::string("ann@test"));
}

#[tokio::test]
async fn cancel_stops_a_create_in_flight() {
    let s = serve().await;
    let other = s.driver.clone();
    let create = tokio::spawn(async move {
        create(
            &other,
            vec![
                ("owner", Value::string("ann")),
                ("readySeconds", Value::Number(3600.0)),
            ],
            None,
        )
        .await
    });
    // Cancel once the create is under way (the mailbox exists).
    while s.cloud.get("mbx-ann").is_none() {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    s.driver.cancel().await.expect("cancel answered");
    // A hang guard, not a timing assertion.
    let result = tokio::time::timeout(Duration::from_secs(10), create)
        .await
        .expect("create returned after Cancel")
        .expect("task");
    let failure = result.expect_err("cancelled");
    assert!(failure.message.contains("cancelled"), "{}", failure.message);
    assert_eq!(
        failure.partial.expect("ErrorResourceInitFailed").id,
        "mbx-ann"
    );
}

#[tokio::test]
async fn progress_reaches_the_engine_as_an_ephemeral_message_on_the_resource() {
    let s = serve().await;
    create(&s.driver, vec![("owner", Value::string("ann"))], None)
        .await
        .expect("create");
    // Delivery is asynchronous; poll with a hang guard.
    let mut messages = Vec::new();
    for _ in 0..200 {
        messages = s.driver.messages();
        if !messages.is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let message = messages.first().expect("a log message");
    assert_eq!(message.urn, s.driver.urn(NAME));
    assert!(message.ephemeral);
    assert_eq!(message.severity, Severity::Info);
    assert!(message.message.contains("ready"), "{}", message.message);
}

#[tokio::test]
async fn diff_reports_a_detailed_diff_and_delete_is_dispatched() {
    let s = serve().await;
    let old = State {
        inputs: props(vec![("owner", Value::string("ann"))]),
        outputs: PropertyMap::new(),
    };
    let diffed = s
        .driver
        .diff(
            &ResourceCall::new(NAME, props(vec![("owner", Value::string("bob"))]))
                .on("mbx-ann", old),
        )
        .await
        .expect("diff");
    assert_eq!(diffed.verdict, DiffVerdict::Changed);
    let detailed = diffed.detailed.expect("a detailed diff");
    assert_eq!(
        detailed["owner"],
        PropertyChange {
            kind: ChangeKind::Update,
            replace: false
        }
    );
    let (id, _) = create(&s.driver, vec![("owner", Value::string("ann"))], None)
        .await
        .expect("create");
    s.driver
        .delete(&ResourceCall::new(NAME, PropertyMap::new()).on(&id, State::default()))
        .await
        .expect("delete");
    assert!(s.cloud.get(&id).is_none());
    let e = s
        .driver
        .of_type("test:index:Other")
        .delete(&ResourceCall::new("o", PropertyMap::new()))
        .await
        .expect_err("unknown token");
    assert_eq!(e.code, tonic::Code::NotFound);
    assert!(e.message.contains(TOKEN));
}
