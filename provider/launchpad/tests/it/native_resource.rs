//! Native custom resources dispatched by type token, proven through a small
//! resource that exists only in this test suite, served over real gRPC.

use std::net::SocketAddr;

use launchpad_protocol::codec::{EncodeOptions, decode_struct, encode_struct};
use launchpad_protocol::custom::{
    CheckResult, Created, CustomResource, DiffResult, ResourceContext, ResourceError,
};
use launchpad_protocol::provider::RpcStatus;
use launchpad_protocol::rpc::{self, resource_provider_client::ResourceProviderClient};
use launchpad_protocol::schema::PackageDef;
use launchpad_protocol::value::{PropertyMap, Value};
use launchpad_protocol::{InputError, Package};
use prost::Message;
use tokio::net::TcpListener;
use tonic::transport::Channel;

const TOKEN: &str = "test:index:Echo";

/// Echoes its inputs, adds `computed`, and can fail half-way.
struct Echo;

#[tonic::async_trait]
impl CustomResource for Echo {
    fn token(&self) -> &'static str {
        TOKEN
    }

    async fn check(
        &self,
        _ctx: &ResourceContext,
        _olds: &PropertyMap,
        news: PropertyMap,
    ) -> CheckResult {
        let mut failures = Vec::new();
        if let Some(v) = news.get("size")
            && !matches!(v.unwrap_top().0, Some(Value::Number(_)) | None)
        {
            failures.push(InputError::new("size", "size must be a number"));
        }
        CheckResult {
            inputs: news,
            failures,
        }
    }

    async fn diff(
        &self,
        _ctx: &ResourceContext,
        _id: &str,
        olds: &PropertyMap,
        news: &PropertyMap,
    ) -> Result<DiffResult, ResourceError> {
        Ok(DiffResult::between(olds, news, &["name"]))
    }

    async fn create(
        &self,
        _ctx: &ResourceContext,
        inputs: &PropertyMap,
        preview: bool,
    ) -> Result<Created, ResourceError> {
        let mut outputs = inputs.clone();
        if preview {
            outputs.insert("computed".into(), Value::unknown());
            return Ok(Created {
                id: String::new(),
                outputs,
            });
        }
        outputs.insert("computed".into(), Value::string("done"));
        if inputs.get("failAfterCreate") == Some(&Value::Bool(true)) {
            return Err(ResourceError::PartiallyCreated {
                id: "echo-1".into(),
                outputs,
                inputs: inputs.clone(),
                reasons: vec!["created, but the health check failed".into()],
            });
        }
        Ok(Created {
            id: "echo-1".into(),
            outputs,
        })
    }

    async fn read(
        &self,
        _ctx: &ResourceContext,
        id: &str,
        state: &PropertyMap,
    ) -> Result<Option<PropertyMap>, ResourceError> {
        Ok((id != "gone").then(|| state.clone()))
    }

    async fn update(
        &self,
        _ctx: &ResourceContext,
        _id: &str,
        _olds: &PropertyMap,
        news: &PropertyMap,
        _preview: bool,
    ) -> Result<PropertyMap, ResourceError> {
        Ok(news.clone())
    }

    async fn delete(
        &self,
        _ctx: &ResourceContext,
        _id: &str,
        _state: &PropertyMap,
    ) -> Result<(), ResourceError> {
        Ok(())
    }
}

static TEST_PACKAGE: PackageDef = PackageDef {
    name: "test",
    version: "0.0.1",
    display_name: "test",
    description: "test",
    repository: "",
    keywords: &[],
    publisher: "test",
    license: "Apache-2.0",
    npm_package: "test",
    python_package: "test",
    nodejs_pulumi_range: "^3.0.0",
    nodejs_typescript_version: "5.0.0",
    python_pulumi_range: ">=3.0.0",
    config: &[],
    components: &[],
};

async fn serve() -> ResourceProviderClient<Channel> {
    let listener = TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], 0)))
        .await
        .expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let package = Package {
        def: &TEST_PACKAGE,
        components: vec![],
        resources: vec![Box::new(Echo)],
    };
    tokio::spawn(launchpad_protocol::launch::serve(
        package,
        listener,
        std::future::pending(),
    ));
    ResourceProviderClient::connect(format!("http://127.0.0.1:{port}"))
        .await
        .expect("connect")
}

fn urn() -> String {
    format!("urn:pulumi:dev::proj::{TOKEN}::e")
}

fn props(pairs: Vec<(&str, Value)>) -> Option<prost_types::Struct> {
    let map: PropertyMap = pairs.into_iter().map(|(k, v)| (k.to_string(), v)).collect();
    Some(encode_struct(&map, EncodeOptions::default()))
}

#[tokio::test]
async fn check_failures_are_answers_not_errors() {
    let mut c = serve().await;
    let resp = c
        .check(rpc::CheckRequest {
            urn: urn(),
            news: props(vec![("size", Value::string("big"))]),
            ..Default::default()
        })
        .await
        .expect("answered")
        .into_inner();
    assert_eq!(resp.failures.len(), 1);
    assert_eq!(resp.failures[0].property, "size");
}

#[tokio::test]
async fn create_in_preview_returns_unknown_outputs_and_no_id() {
    let mut c = serve().await;
    let resp = c
        .create(rpc::CreateRequest {
            urn: urn(),
            properties: props(vec![("name", Value::string("a"))]),
            preview: true,
            ..Default::default()
        })
        .await
        .expect("create")
        .into_inner();
    assert_eq!(resp.id, "");
    let out = decode_struct(resp.properties.as_ref()).expect("decode");
    assert_eq!(out["computed"], Value::unknown());
}

#[tokio::test]
async fn secrets_survive_a_round_trip_through_the_provider() {
    let mut c = serve().await;
    let resp = c
        .create(rpc::CreateRequest {
            urn: urn(),
            properties: props(vec![(
                "password",
                Value::Secret(Box::new(Value::string("pw"))),
            )]),
            ..Default::default()
        })
        .await
        .expect("create")
        .into_inner();
    let out = decode_struct(resp.properties.as_ref()).expect("decode");
    assert_eq!(
        out["password"],
        Value::Secret(Box::new(Value::string("pw")))
    );
}

#[tokio::test]
async fn partial_create_carries_error_resource_init_failed() {
    let mut c = serve().await;
    let status = c
        .create(rpc::CreateRequest {
            urn: urn(),
            properties: props(vec![("failAfterCreate", Value::Bool(true))]),
            ..Default::default()
        })
        .await
        .expect_err("partial failure");
    assert!(status.message().contains("health check failed"));
    let details = RpcStatus::decode(status.details()).expect("google.rpc.Status");
    let any = &details.details[0];
    assert_eq!(
        any.type_url,
        "type.googleapis.com/pulumirpc.ErrorResourceInitFailed"
    );
    let init = rpc::ErrorResourceInitFailed::decode(any.value.as_slice()).expect("detail");
    assert_eq!(init.id, "echo-1");
    let state = decode_struct(init.properties.as_ref()).expect("decode");
    assert_eq!(state["computed"], Value::string("done"));
}

#[tokio::test]
async fn diff_reports_replacements_and_a_detailed_diff() {
    let mut c = serve().await;
    let resp = c
        .diff(rpc::DiffRequest {
            urn: urn(),
            id: "echo-1".into(),
            olds: props(vec![
                ("name", Value::string("a")),
                ("size", Value::Number(1.0)),
            ]),
            news: props(vec![
                ("name", Value::string("b")),
                ("size", Value::Number(2.0)),
            ]),
            ..Default::default()
        })
        .await
        .expect("diff")
        .into_inner();
    assert_eq!(
        resp.changes,
        rpc::diff_response::DiffChanges::DiffSome as i32
    );
    assert_eq!(resp.replaces, vec!["name".to_string()]);
    assert!(resp.has_detailed_diff);
    assert_eq!(
        resp.detailed_diff["name"].kind,
        rpc::property_diff::Kind::UpdateReplace as i32
    );
    assert_eq!(
        resp.detailed_diff["size"].kind,
        rpc::property_diff::Kind::Update as i32
    );
}

#[tokio::test]
async fn read_of_a_vanished_resource_returns_no_id() {
    let mut c = serve().await;
    let resp = c
        .read(rpc::ReadRequest {
            urn: urn(),
            id: "gone".into(),
            ..Default::default()
        })
        .await
        .expect("read")
        .into_inner();
    assert_eq!(resp.id, "");
    let resp = c
        .read(rpc::ReadRequest {
            urn: urn(),
            id: "echo-1".into(),
            properties: props(vec![("a", Value::Bool(true))]),
            ..Default::default()
        })
        .await
        .expect("read")
        .into_inner();
    assert_eq!(resp.id, "echo-1");
}

#[tokio::test]
async fn update_and_delete_are_dispatched_and_other_tokens_refused() {
    let mut c = serve().await;
    let resp = c
        .update(rpc::UpdateRequest {
            urn: urn(),
            id: "echo-1".into(),
            news: props(vec![("size", Value::Number(3.0))]),
            ..Default::default()
        })
        .await
        .expect("update")
        .into_inner();
    assert_eq!(
        decode_struct(resp.properties.as_ref()).expect("decode")["size"],
        Value::Number(3.0)
    );
    c.delete(rpc::DeleteRequest {
        urn: urn(),
        id: "echo-1".into(),
        ..Default::default()
    })
    .await
    .expect("delete");
    let e = c
        .delete(rpc::DeleteRequest {
            urn: "urn:pulumi:dev::proj::test:index:Other::o".into(),
            ..Default::default()
        })
        .await
        .expect_err("unknown token");
    assert_eq!(e.code(), tonic::Code::NotFound);
    assert!(e.message().contains(TOKEN));
}
