//! A driver for native resources: a real [`Provider`] serving a package
//! over gRPC on 127.0.0.1:0, called with typed values, so a test of a
//! [`CustomResource`](launchpad_core::CustomResource) says what the engine
//! sends and reads what it gets back without building a protobuf message.
//! What the provider adds on the way (output secrecy, partial state,
//! deadlines, Cancel, engine log) is therefore in the test, as it is for
//! a user. Components have [`FakeMonitor`](super::FakeMonitor) instead.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use launchpad_core::custom::{ChangeKind, CheckResult, Created, PropertyChange, State};
use launchpad_core::log::Severity;
use launchpad_core::{InputError, Package, PropertyMap};
use prost::Message;
use pulumi_gestalt_proto::pulumi::pulumirpc::{
    self as rpc, resource_provider_client::ResourceProviderClient,
};
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tonic::transport::Channel;

use super::FakeEngine;
use crate::codec::{EncodeOptions, decode_struct, encode_struct};
use crate::error::RpcStatus;
use crate::provider::Provider;

/// The project and stack of every URN the driver sends.
const STACK: &str = "dev";
const PROJECT: &str = "proj";

/// One lifecycle call, in typed values; each call reads the fields the
/// engine would send with it.
#[derive(Clone, Debug, Default)]
pub struct ResourceCall {
    /// The resource's logical name, the last part of its URN.
    pub name: String,
    /// Its ID (diff, read, update, delete). `pulumi import` reads with an
    /// ID and an empty `old`.
    pub id: String,
    /// The recorded state: the inputs after the last Check and the outputs
    /// (diff, read, update, delete; check reads its inputs as the olds).
    pub old: State,
    /// The new inputs (check, diff, create, update).
    pub news: PropertyMap,
    /// Create or update during `pulumi preview`.
    pub preview: bool,
    /// The resource's `customTimeouts` for this operation (create, update,
    /// delete); none means no deadline.
    pub timeout: Option<Duration>,
}

impl ResourceCall {
    /// A call on the resource named `name` with new inputs `news`.
    pub fn new(name: &str, news: PropertyMap) -> ResourceCall {
        ResourceCall {
            name: name.to_string(),
            news,
            ..ResourceCall::default()
        }
    }

    /// The same call on the resource with ID `id`, recorded as `old`.
    pub fn on(mut self, id: &str, old: State) -> ResourceCall {
        self.id = id.to_string();
        self.old = old;
        self
    }
}

/// What the engine is told about a change.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DiffVerdict {
    /// Nothing changed.
    Unchanged,
    /// Something changed; the detailed diff says what.
    Changed,
    /// The provider could not tell.
    Unknown,
}

/// Diff's answer, as the engine reads it.
#[derive(Clone, Debug, PartialEq)]
pub struct Diffed {
    /// Whether anything changed.
    pub verdict: DiffVerdict,
    /// The top-level properties whose change forces a replacement.
    pub replaces: Vec<String>,
    /// Create the replacement only after deleting the old resource.
    pub delete_before_replace: bool,
    /// The detailed diff by property path; `None` when none was sent.
    pub detailed: Option<BTreeMap<String, PropertyChange>>,
}

/// A resource Read found.
#[derive(Clone, Debug, PartialEq)]
pub struct Live {
    /// Its ID (on import, the one asked for).
    pub id: String,
    /// The inputs that would produce it and its outputs.
    pub state: State,
}

/// A call that failed, as the engine sees it.
#[derive(Clone, Debug)]
pub struct CallFailure {
    /// The gRPC code.
    pub code: tonic::Code,
    /// The message the user reads.
    pub message: String,
    /// What exists after a create that stopped half-way
    /// (`ErrorResourceInitFailed`), which the engine records.
    pub partial: Option<PartialState>,
}

/// The state a half-done create reported.
#[derive(Clone, Debug, PartialEq)]
pub struct PartialState {
    /// The ID of what exists.
    pub id: String,
    /// Its inputs and its outputs so far.
    pub state: State,
    /// What went wrong.
    pub reasons: Vec<String>,
}

impl From<tonic::Status> for CallFailure {
    fn from(status: tonic::Status) -> CallFailure {
        let partial = RpcStatus::decode(status.details())
            .ok()
            .into_iter()
            .flat_map(|s| s.details)
            .find(|any| any.type_url == "type.googleapis.com/pulumirpc.ErrorResourceInitFailed")
            .and_then(|any| rpc::ErrorResourceInitFailed::decode(any.value.as_slice()).ok())
            .map(|init| PartialState {
                id: init.id,
                state: State {
                    inputs: decoded(init.inputs.as_ref()),
                    outputs: decoded(init.properties.as_ref()),
                },
                reasons: init.reasons,
            });
        CallFailure {
            code: status.code(),
            message: status.message().to_string(),
            partial,
        }
    }
}

/// A message the provider sent the user through the engine's `Log` RPC.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EngineMessage {
    /// How it is shown.
    pub severity: Severity,
    /// The resource it is about.
    pub urn: String,
    /// The text.
    pub message: String,
    /// A status line that the next one replaces (progress).
    pub ephemeral: bool,
}

/// A package's provider, served on 127.0.0.1:0 with a [`FakeEngine`] for
/// its messages, driving resources of one type token; stops when the last
/// clone drops.
#[derive(Clone)]
pub struct ResourceDriver {
    client: ResourceProviderClient<Channel>,
    token: String,
    engine: Arc<FakeEngine>,
    _stop: Arc<oneshot::Sender<()>>,
}

impl ResourceDriver {
    /// Serve `package` and drive its resources of type `token`.
    pub async fn start(package: Package, token: &str) -> ResourceDriver {
        let listener = TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], 0)))
            .await
            .expect("bind 127.0.0.1:0");
        let port = listener.local_addr().expect("local addr").port();
        let engine = FakeEngine::start().await;
        let (stop, stopped) = oneshot::channel::<()>();
        tokio::spawn(crate::launch::serve(
            Provider::new(package, Some(engine.endpoint.clone())),
            listener,
            async {
                let _ = stopped.await;
            },
        ));
        let client = ResourceProviderClient::connect(format!("http://127.0.0.1:{port}"))
            .await
            .expect("connect to the provider");
        ResourceDriver {
            client,
            token: token.to_string(),
            engine: Arc::new(engine),
            _stop: Arc::new(stop),
        }
    }

    /// The same provider, driving resources of type `token` instead.
    pub fn of_type(&self, token: &str) -> ResourceDriver {
        ResourceDriver {
            token: token.to_string(),
            ..self.clone()
        }
    }

    /// The URN of the resource named `name`.
    pub fn urn(&self, name: &str) -> String {
        format!("urn:pulumi:{STACK}::{PROJECT}::{}::{name}", self.token)
    }

    /// Configure the provider as the engine does before any call, with
    /// the provider's configuration (`neonApiKey` → value, no package prefix).
    pub async fn configure(&self, config: &PropertyMap) -> Result<(), CallFailure> {
        self.client
            .clone()
            .configure(rpc::ConfigureRequest {
                args: encoded(config),
                accept_secrets: true,
                accept_resources: true,
                ..Default::default()
            })
            .await?;
        Ok(())
    }

    /// Check `call.news` against `call.old.inputs`.
    pub async fn check(&self, call: &ResourceCall) -> Result<CheckResult, CallFailure> {
        let resp = self
            .client
            .clone()
            .check(rpc::CheckRequest {
                urn: self.urn(&call.name),
                olds: encoded(&call.old.inputs),
                news: encoded(&call.news),
                ..Default::default()
            })
            .await?
            .into_inner();
        Ok(CheckResult {
            inputs: decoded(resp.inputs.as_ref()),
            failures: resp
                .failures
                .into_iter()
                .map(|f| InputError::new(f.property, f.reason))
                .collect(),
        })
    }

    /// Diff `call.old` against `call.news`.
    pub async fn diff(&self, call: &ResourceCall) -> Result<Diffed, CallFailure> {
        use rpc::diff_response::DiffChanges;
        let resp = self
            .client
            .clone()
            .diff(rpc::DiffRequest {
                urn: self.urn(&call.name),
                id: call.id.clone(),
                olds: encoded(&call.old.outputs),
                old_inputs: encoded(&call.old.inputs),
                news: encoded(&call.news),
                ..Default::default()
            })
            .await?
            .into_inner();
        let verdict = match DiffChanges::try_from(resp.changes) {
            Ok(DiffChanges::DiffNone) => DiffVerdict::Unchanged,
            Ok(DiffChanges::DiffSome) => DiffVerdict::Changed,
            _ => DiffVerdict::Unknown,
        };
        let detailed = resp.has_detailed_diff.then(|| {
            resp.detailed_diff
                .into_iter()
                .filter_map(|(path, d)| property_change(d.kind).map(|c| (path, c)))
                .collect()
        });
        Ok(Diffed {
            verdict,
            replaces: resp.replaces,
            delete_before_replace: resp.delete_before_replace,
            detailed,
        })
    }

    /// Create from `call.news` (a preview when `call.preview`).
    pub async fn create(&self, call: &ResourceCall) -> Result<Created, CallFailure> {
        let resp = self
            .client
            .clone()
            .create(rpc::CreateRequest {
                urn: self.urn(&call.name),
                properties: encoded(&call.news),
                timeout: seconds(call.timeout),
                preview: call.preview,
                ..Default::default()
            })
            .await?
            .into_inner();
        Ok(Created {
            id: resp.id,
            outputs: decoded(resp.properties.as_ref()),
        })
    }

    /// Read `call.id`, recorded as `call.old` (empty: `pulumi import`);
    /// `None` when the provider says it is gone.
    pub async fn read(&self, call: &ResourceCall) -> Result<Option<Live>, CallFailure> {
        let resp = self
            .client
            .clone()
            .read(rpc::ReadRequest {
                urn: self.urn(&call.name),
                id: call.id.clone(),
                properties: encoded(&call.old.outputs),
                inputs: encoded(&call.old.inputs),
                ..Default::default()
            })
            .await?
            .into_inner();
        // An empty ID tells the engine the resource is gone.
        Ok((!resp.id.is_empty()).then(|| Live {
            id: resp.id,
            state: State {
                inputs: decoded(resp.inputs.as_ref()),
                outputs: decoded(resp.properties.as_ref()),
            },
        }))
    }

    /// Update `call.id` from `call.old` to `call.news`; returns the outputs.
    pub async fn update(&self, call: &ResourceCall) -> Result<PropertyMap, CallFailure> {
        let resp = self
            .client
            .clone()
            .update(rpc::UpdateRequest {
                urn: self.urn(&call.name),
                id: call.id.clone(),
                olds: encoded(&call.old.outputs),
                old_inputs: encoded(&call.old.inputs),
                news: encoded(&call.news),
                timeout: seconds(call.timeout),
                preview: call.preview,
                ..Default::default()
            })
            .await?
            .into_inner();
        Ok(decoded(resp.properties.as_ref()))
    }

    /// Delete `call.id`, recorded as `call.old`.
    pub async fn delete(&self, call: &ResourceCall) -> Result<(), CallFailure> {
        self.client
            .clone()
            .delete(rpc::DeleteRequest {
                urn: self.urn(&call.name),
                id: call.id.clone(),
                properties: encoded(&call.old.outputs),
                old_inputs: encoded(&call.old.inputs),
                timeout: seconds(call.timeout),
                ..Default::default()
            })
            .await?;
        Ok(())
    }

    /// Cancel, as the engine does on Ctrl-C: every operation in flight stops.
    pub async fn cancel(&self) -> Result<(), CallFailure> {
        self.client.clone().cancel(()).await?;
        Ok(())
    }

    /// Every message the provider has sent the user so far. Delivery is
    /// asynchronous: poll (with a hang guard) when waiting for one.
    pub fn messages(&self) -> Vec<EngineMessage> {
        self.engine
            .logs()
            .into_iter()
            .map(|l| EngineMessage {
                severity: match rpc::LogSeverity::try_from(l.severity) {
                    Ok(rpc::LogSeverity::Debug) => Severity::Debug,
                    Ok(rpc::LogSeverity::Info) => Severity::Info,
                    Ok(rpc::LogSeverity::Warning) => Severity::Warning,
                    Ok(rpc::LogSeverity::Error) => Severity::Error,
                    Err(_) => panic!("the provider sent log severity {}", l.severity),
                },
                urn: l.urn,
                message: l.message,
                ephemeral: l.ephemeral,
            })
            .collect()
    }
}

/// Properties as the engine sends them: secrets and unknowns marked.
fn encoded(map: &PropertyMap) -> Option<prost_types::Struct> {
    Some(encode_struct(map, EncodeOptions::default()))
}

/// A provider's answer, decoded; a test about the values fails on the
/// values, so an undecodable answer is a panic here.
fn decoded(s: Option<&prost_types::Struct>) -> PropertyMap {
    decode_struct(s).expect("the provider's answer decodes")
}

/// The engine's `timeout` field: seconds, 0 for none.
fn seconds(timeout: Option<Duration>) -> f64 {
    timeout.map_or(0.0, |t| t.as_secs_f64())
}

/// A detailed diff's kind, back as the change a resource reported.
fn property_change(kind: i32) -> Option<PropertyChange> {
    use rpc::property_diff::Kind;
    let (kind, replace) = match Kind::try_from(kind).ok()? {
        Kind::Add => (ChangeKind::Add, false),
        Kind::AddReplace => (ChangeKind::Add, true),
        Kind::Update => (ChangeKind::Update, false),
        Kind::UpdateReplace => (ChangeKind::Update, true),
        Kind::Delete => (ChangeKind::Delete, false),
        Kind::DeleteReplace => (ChangeKind::Delete, true),
    };
    Some(PropertyChange { kind, replace })
}
