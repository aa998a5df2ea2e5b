//! The native-resource lifecycle over real gRPC, proven with the test-only
//! mailbox of `launchpad-testbed`: kept in a folder that stands in for a
//! cloud, with outputs computed from its inputs (never an echo).

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use launchpad_protocol::codec::{EncodeOptions, decode_struct, encode_struct};
use launchpad_protocol::error::RpcStatus;
use launchpad_protocol::rpc::{self, resource_provider_client::ResourceProviderClient};
use launchpad_protocol::testing::FakeEngine;
use launchpad_protocol::{PropertyMap, Provider, Value};
use launchpad_testbed::mailbox::Cloud;
use prost::Message;
use tokio::net::TcpListener;
use tonic::transport::Channel;

const TOKEN: &str = "testbed:index:Mailbox";

struct Served {
    client: ResourceProviderClient<Channel>,
    cloud: Cloud,
    dir: PathBuf,
    engine: FakeEngine,
}

async fn serve() -> Served {
    let listener = TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], 0)))
        .await
        .expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let dir =
        std::env::temp_dir().join(format!("launchpad-it-cloud-{}-{port}", std::process::id()));
    let cloud = Cloud::new(&dir);
    let package = launchpad_testbed::package_in(cloud.clone());
    let engine = FakeEngine::start().await;
    tokio::spawn(launchpad_protocol::launch::serve(
        Provider::new(package, Some(engine.endpoint.clone())),
        listener,
        std::future::pending(),
    ));
    let client = ResourceProviderClient::connect(format!("http://127.0.0.1:{port}"))
        .await
        .expect("connect");
    Served {
        client,
        cloud,
        dir,
        engine,
    }
}

fn urn() -> String {
    format!("urn:pulumi:dev::proj::{TOKEN}::inbox")
}

fn props(pairs: Vec<(&str, Value)>) -> Option<prost_types::Struct> {
    let map: PropertyMap = pairs.into_iter().map(|(k, v)| (k.to_string(), v)).collect();
    Some(encode_struct(&map, EncodeOptions::default()))
}

fn secret(s: &str) -> Value {
    Value::Secret(Box::new(Value::string(s)))
}

async fn create(
    c: &mut ResourceProviderClient<Channel>,
    inputs: Vec<(&str, Value)>,
    timeout: f64,
) -> Result<(String, PropertyMap), tonic::Status> {
    let resp = c
        .create(rpc::CreateRequest {
            urn: urn(),
            properties: props(inputs),
            timeout,
            ..Default::default()
        })
        .await?
        .into_inner();
    Ok((
        resp.id,
        decode_struct(resp.properties.as_ref()).expect("decode"),
    ))
}

#[tokio::test]
async fn check_failures_are_answers_not_errors() {
    let mut s = serve().await;
    let resp = s
        .client
        .check(rpc::CheckRequest {
            urn: urn(),
            news: props(vec![("owner", Value::Number(1.0))]),
            ..Default::default()
        })
        .await
        .expect("answered")
        .into_inner();
    assert_eq!(resp.failures.len(), 1);
    assert_eq!(resp.failures[0].property, "owner");
}

#[tokio::test]
async fn outputs_derived_from_secret_inputs_are_secret_and_others_are_not() {
    let mut s = serve().await;
    let (_, out) = create(
        &mut s.client,
        vec![
            ("owner", Value::string("ann")),
            ("password", secret("hunter2")),
        ],
        0.0,
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

    let (_, out) = create(&mut s.client, vec![("owner", secret("bob"))], 0.0)
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
    let mut s = serve().await;
    let resp = s
        .client
        .create(rpc::CreateRequest {
            urn: urn(),
            properties: props(vec![("owner", Value::string("ann"))]),
            preview: true,
            ..Default::default()
        })
        .await
        .expect("create")
        .into_inner();
    assert_eq!(resp.id, "");
    assert!(!s.dir.exists(), "nothing was created");
}

#[tokio::test]
async fn update_gets_the_old_outputs_and_the_old_inputs() {
    let mut s = serve().await;
    let (id, created) = create(&mut s.client, vec![("owner", Value::string("ann"))], 0.0)
        .await
        .expect("create");
    let resp = s
        .client
        .update(rpc::UpdateRequest {
            urn: urn(),
            id: id.clone(),
            olds: Some(encode_struct(&created, EncodeOptions::PLAIN)),
            old_inputs: props(vec![("owner", Value::string("ann"))]),
            news: props(vec![("owner", Value::string("bob"))]),
            ..Default::default()
        })
        .await
        .expect("update")
        .into_inner();
    let out = decode_struct(resp.properties.as_ref()).expect("decode");
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
    let mut s = serve().await;
    let (id, created) = create(
        &mut s.client,
        vec![("owner", Value::string("ann")), ("password", secret("pw"))],
        0.0,
    )
    .await
    .expect("create");
    // Someone changes the mailbox outside Pulumi.
    s.cloud.put(&id, "eve", "pw").expect("put");
    let resp = s
        .client
        .read(rpc::ReadRequest {
            urn: urn(),
            id: id.clone(),
            properties: Some(encode_struct(&created, EncodeOptions::PLAIN)),
            inputs: props(vec![
                ("owner", Value::string("ann")),
                ("password", secret("pw")),
            ]),
            ..Default::default()
        })
        .await
        .expect("read")
        .into_inner();
    let inputs = decode_struct(resp.inputs.as_ref()).expect("decode");
    let outputs = decode_struct(resp.properties.as_ref()).expect("decode");
    assert_eq!(
        inputs["owner"],
        Value::string("eve"),
        "refresh shows the drift"
    );
    assert_eq!(
        inputs["password"],
        secret("pw"),
        "a secret input stays secret"
    );
    assert_eq!(outputs["address"], Value::string("eve@test"));
    assert_eq!(outputs["passwordHint"], secret("p"));

    // `pulumi import`: only the ID; inputs and outputs come from the cloud.
    s.cloud.put("mbx-zed", "zed", "").expect("put");
    let resp = s
        .client
        .read(rpc::ReadRequest {
            urn: urn(),
            id: "mbx-zed".into(),
            ..Default::default()
        })
        .await
        .expect("import")
        .into_inner();
    assert_eq!(resp.id, "mbx-zed");
    let inputs = decode_struct(resp.inputs.as_ref()).expect("decode");
    assert_eq!(
        inputs,
        PropertyMap::from([("owner".into(), Value::string("zed"))])
    );

    let resp = s
        .client
        .read(rpc::ReadRequest {
            urn: urn(),
            id: "mbx-nobody".into(),
            ..Default::default()
        })
        .await
        .expect("read")
        .into_inner();
    assert_eq!(resp.id, "", "an empty ID tells the engine it is gone");
}

/// The partial state an interrupted create reported.
fn partial_state(status: &tonic::Status) -> (String, PropertyMap) {
    let details = RpcStatus::decode(status.details()).expect("google.rpc.Status");
    let any = &details.details[0];
    assert_eq!(
        any.type_url,
        "type.googleapis.com/pulumirpc.ErrorResourceInitFailed"
    );
    let init = rpc::ErrorResourceInitFailed::decode(any.value.as_slice()).expect("detail");
    (
        init.id,
        decode_struct(init.properties.as_ref()).expect("decode"),
    )
}

#[tokio::test]
async fn a_create_past_its_deadline_stops_and_records_what_exists() {
    let mut s = serve().await;
    // customTimeouts.create of 0.2 s; the mailbox needs an hour to be ready.
    let status = create(
        &mut s.client,
        vec![
            ("owner", Value::string("ann")),
            ("readySeconds", Value::Number(3600.0)),
        ],
        0.2,
    )
    .await
    .expect_err("interrupted");
    assert!(
        status.message().contains("timed out"),
        "{}",
        status.message()
    );
    let (id, outputs) = partial_state(&status);
    assert_eq!(id, "mbx-ann");
    assert_eq!(outputs["address"], Value::string("ann@test"));
}

#[tokio::test]
async fn cancel_stops_a_create_in_flight() {
    let mut s = serve().await;
    let mut other = s.client.clone();
    let create = tokio::spawn(async move {
        create(
            &mut other,
            vec![
                ("owner", Value::string("ann")),
                ("readySeconds", Value::Number(3600.0)),
            ],
            0.0,
        )
        .await
    });
    // Cancel once the create is under way (the mailbox exists).
    while s.cloud.get("mbx-ann").is_none() {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    s.client.cancel(()).await.expect("cancel answered");
    // A hang guard, not a timing assertion.
    let result = tokio::time::timeout(Duration::from_secs(10), create)
        .await
        .expect("create returned after Cancel")
        .expect("task");
    let status = result.expect_err("cancelled");
    assert!(
        status.message().contains("cancelled"),
        "{}",
        status.message()
    );
    assert_eq!(partial_state(&status).0, "mbx-ann");
}

#[tokio::test]
async fn progress_reaches_the_engine_as_an_ephemeral_message_on_the_resource() {
    let mut s = serve().await;
    create(&mut s.client, vec![("owner", Value::string("ann"))], 0.0)
        .await
        .expect("create");
    // Delivery is asynchronous; poll with a hang guard.
    let mut logs = Vec::new();
    for _ in 0..200 {
        logs = s.engine.logs();
        if !logs.is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let log = logs.first().expect("a log message");
    assert_eq!(log.urn, urn());
    assert!(log.ephemeral);
    assert_eq!(log.severity, rpc::LogSeverity::Info as i32);
    assert!(log.message.contains("ready"), "{}", log.message);
}

#[tokio::test]
async fn diff_reports_a_detailed_diff_and_delete_is_dispatched() {
    let mut s = serve().await;
    let resp = s
        .client
        .diff(rpc::DiffRequest {
            urn: urn(),
            id: "mbx-ann".into(),
            old_inputs: props(vec![("owner", Value::string("ann"))]),
            news: props(vec![("owner", Value::string("bob"))]),
            ..Default::default()
        })
        .await
        .expect("diff")
        .into_inner();
    assert_eq!(
        resp.changes,
        rpc::diff_response::DiffChanges::DiffSome as i32
    );
    assert!(resp.has_detailed_diff);
    assert_eq!(
        resp.detailed_diff["owner"].kind,
        rpc::property_diff::Kind::Update as i32
    );
    let (id, _) = create(&mut s.client, vec![("owner", Value::string("ann"))], 0.0)
        .await
        .expect("create");
    s.client
        .delete(rpc::DeleteRequest {
            urn: urn(),
            id: id.clone(),
            ..Default::default()
        })
        .await
        .expect("delete");
    assert!(s.cloud.get(&id).is_none());
    let e = s
        .client
        .delete(rpc::DeleteRequest {
            urn: "urn:pulumi:dev::proj::test:index:Other::o".into(),
            ..Default::default()
        })
        .await
        .expect_err("unknown token");
    assert_eq!(e.code(), tonic::Code::NotFound);
    assert!(e.message().contains(TOKEN));
}
