//! Test doubles for the Pulumi side of the wire, so tests speak typed
//! values, never protobuf. For components, an in-process fake
//! `ResourceMonitor` (a real gRPC server on port 0) that records every
//! registration: [`FakeMonitor::construct`] with a [`ConstructCall`]. For
//! native resources, a real provider driven as the engine would:
//! [`ResourceDriver`] with a [`ResourceCall`]. Enabled by the `testing`
//! feature; never part of the shipped binary.

mod custom_resource;

pub use custom_resource::{
    CallFailure, DiffVerdict, Diffed, EngineMessage, Live, PartialState, ResourceCall,
    ResourceDriver,
};

use std::collections::{BTreeMap, BTreeSet};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use launchpad_core::log::{EngineLog, Severity};
use launchpad_core::{Component, ComponentOptions, PropertyMap, Value};

use pulumi_gestalt_proto::pulumi::pulumirpc::{
    self as rpc,
    engine_server::{Engine, EngineServer},
    resource_monitor_server::{ResourceMonitor, ResourceMonitorServer},
};
use tokio::net::TcpListener;
use tokio::sync::{Notify, oneshot};
use tonic::transport::server::TcpIncoming;
use tonic::{Request, Response, Status};

use crate::codec::{EncodeOptions, decode_struct, encode_struct};
use crate::construct::{ConstructEnv, go_duration};
use crate::error::ProtocolError;

/// Computes a custom child's outputs from its type token, name and inputs.
pub type OutputsFn = Arc<dyn Fn(&str, &str, &PropertyMap) -> PropertyMap + Send + Sync>;

/// How the fake behaves.
#[derive(Clone)]
pub struct FakeMonitorConfig {
    /// Project for URNs.
    pub project: String,
    /// Stack for URNs.
    pub stack: String,
    /// Preview: custom children get no ID and their outputs are unknown.
    pub dry_run: bool,
    /// Whether to claim the `outputValues` feature.
    pub output_values: bool,
    /// Outputs per child beyond its echoed inputs.
    pub outputs: OutputsFn,
    /// `(a, b)`: the registration of `a` is answered only once `b` has been
    /// registered — to prove that independent children do not wait for
    /// each other.
    pub hold: Vec<(String, String)>,
    /// Components that exist before the one under test, URN → outputs: the
    /// engine's `getResource` answers with them (as it does with the outputs
    /// of every component registered here), so a component test can take a
    /// Function without constructing one. See [`component_reference`].
    pub components: BTreeMap<String, PropertyMap>,
    /// A busy engine: answer RegisterResource one call at a time, in the
    /// order they arrived — so a plugin with many Constructs has them all in
    /// flight at once, as it does under a CLI whose engine works through a
    /// long queue of steps. `false` (the default) answers every call as soon
    /// as it arrives.
    pub serial_answers: bool,
}

impl Default for FakeMonitorConfig {
    fn default() -> Self {
        FakeMonitorConfig {
            project: "proj".into(),
            stack: "dev".into(),
            dry_run: true,
            output_values: true,
            outputs: Arc::new(|_, _, _| PropertyMap::new()),
            hold: Vec::new(),
            components: BTreeMap::new(),
            serial_answers: false,
        }
    }
}

/// A Construct call as a program makes it, in typed values.
#[derive(Clone, Debug, Default)]
pub struct ConstructCall {
    /// The component's type token.
    pub token: String,
    /// Its logical name.
    pub name: String,
    /// Its inputs.
    pub inputs: PropertyMap,
    /// The resource options the program gave.
    pub options: ComponentOptions,
    /// The `additionalSecretOutputs` option.
    pub additional_secret_outputs: Vec<String>,
    /// The stack's configuration (`aws:region` → value).
    pub config: BTreeMap<String, String>,
    /// The program's directory.
    pub program_directory: Option<PathBuf>,
}

impl ConstructCall {
    /// A call with no resource options.
    pub fn new(token: &str, name: &str, inputs: PropertyMap) -> ConstructCall {
        ConstructCall {
            token: token.to_string(),
            name: name.to_string(),
            inputs,
            ..ConstructCall::default()
        }
    }
}

/// What Construct returned, decoded.
#[derive(Clone, Debug)]
pub struct Constructed {
    /// The component's URN.
    pub urn: String,
    /// Its outputs.
    pub state: PropertyMap,
    /// The URNs each output depends on.
    pub state_dependencies: BTreeMap<String, BTreeSet<String>>,
}

/// One recorded registration, decoded.
#[derive(Clone, Debug)]
pub struct Registration {
    /// Type token.
    pub type_token: String,
    /// Logical name.
    pub name: String,
    /// The URN the fake assigned.
    pub urn: String,
    /// Parent URN.
    pub parent: String,
    /// Custom or component.
    pub custom: bool,
    /// Decoded inputs.
    pub inputs: PropertyMap,
    /// Resource-level dependencies.
    pub dependencies: BTreeSet<String>,
    /// Per-property dependencies.
    pub property_dependencies: BTreeMap<String, BTreeSet<String>>,
    /// Provider reference.
    pub provider: String,
    /// Requested package version.
    pub version: String,
    /// Protect flag.
    pub protect: Option<bool>,
    /// Retain-on-delete flag.
    pub retain_on_delete: Option<bool>,
    /// `deletedWith` URN ("" for none).
    pub deleted_with: String,
    /// The raw request, for anything else.
    pub raw: rpc::RegisterResourceRequest,
}

#[derive(Default)]
struct Recorded {
    registrations: Vec<Registration>,
    outputs: Vec<(String, PropertyMap)>,
    resource_reads: Vec<String>,
}

struct Service {
    config: FakeMonitorConfig,
    recorded: Arc<Mutex<Recorded>>,
    registered: Arc<Notify>,
    /// Held while one registration is answered, with `serial_answers` (fair:
    /// waiters are served first come, first served).
    answering: tokio::sync::Mutex<()>,
    /// No registration is answered before this many have arrived (in all);
    /// see [`FakeMonitor::hold_answers_until`].
    gate: Arc<AtomicUsize>,
}

/// Messages sent to the user, recorded: `(severity, urn, message)`.
#[derive(Default)]
pub struct RecordingLog(Mutex<Vec<(Severity, String, String)>>);

impl EngineLog for RecordingLog {
    fn log(&self, severity: Severity, urn: &str, message: &str, _ephemeral: bool) {
        if let Ok(mut m) = self.0.lock() {
            m.push((severity, urn.to_string(), message.to_string()));
        }
    }
}

impl RecordingLog {
    /// Every message so far.
    pub fn messages(&self) -> Vec<(Severity, String, String)> {
        self.0.lock().map(|m| m.clone()).unwrap_or_default()
    }
}

/// A running fake monitor; stops when dropped.
pub struct FakeMonitor {
    /// `127.0.0.1:<port>`.
    pub endpoint: String,
    project: String,
    stack: String,
    dry_run: bool,
    recorded: Arc<Mutex<Recorded>>,
    log: Arc<RecordingLog>,
    gate: Arc<AtomicUsize>,
    _stop: oneshot::Sender<()>,
}

impl FakeMonitor {
    /// Start a fake monitor on an ephemeral port.
    pub async fn start(config: FakeMonitorConfig) -> FakeMonitor {
        let recorded = Arc::new(Mutex::new(Recorded::default()));
        let gate = Arc::new(AtomicUsize::new(0));
        let (project, stack, dry_run) =
            (config.project.clone(), config.stack.clone(), config.dry_run);
        let service = Service {
            config,
            recorded: Arc::clone(&recorded),
            registered: Arc::new(Notify::new()),
            answering: tokio::sync::Mutex::new(()),
            gate: Arc::clone(&gate),
        };
        let (endpoint, stop) = serve_locally(
            tonic::transport::Server::builder().add_service(ResourceMonitorServer::new(service)),
        )
        .await;
        FakeMonitor {
            endpoint,
            project,
            stack,
            dry_run,
            recorded,
            log: Arc::new(RecordingLog::default()),
            gate,
            _stop: stop,
        }
    }

    /// Answer no registration until `total` have arrived since the start
    /// (the ones held included): with `total` = those so far plus one per
    /// Construct about to be sent, every one of those Constructs is in
    /// flight at once, as under an engine still busy with the program's
    /// first steps.
    pub fn hold_answers_until(&self, total: usize) {
        self.gate.store(total, Ordering::SeqCst);
    }

    /// The Construct request a program would send for `call`, aimed at this
    /// monitor, in its project, stack and preview mode.
    pub fn request(&self, call: &ConstructCall) -> rpc::ConstructRequest {
        rpc::ConstructRequest {
            project: self.project.clone(),
            stack: self.stack.clone(),
            dry_run: self.dry_run,
            monitor_endpoint: self.endpoint.clone(),
            r#type: call.token.clone(),
            name: call.name.clone(),
            parent: format!(
                "urn:pulumi:{}::{}::pulumi:pulumi:Stack::{}-{}",
                self.stack, self.project, self.project, self.stack
            ),
            inputs: Some(encode_struct(&call.inputs, EncodeOptions::default())),
            config: call.config.clone().into_iter().collect(),
            providers: call.options.providers.clone().into_iter().collect(),
            protect: call.options.protect,
            retain_on_delete: call.options.retain_on_delete,
            delete_before_replace: call.options.delete_before_replace,
            deleted_with: call.options.deleted_with.clone().unwrap_or_default(),
            dependencies: call.options.dependencies.clone(),
            ignore_changes: call.options.ignore_changes.clone(),
            replace_on_changes: call.options.replace_on_changes.clone(),
            custom_timeouts: (!call.options.custom_timeouts.is_empty()).then(|| {
                let t = &call.options.custom_timeouts;
                rpc::construct_request::CustomTimeouts {
                    create: go_duration(t.create),
                    update: go_duration(t.update),
                    delete: go_duration(t.delete),
                }
            }),
            additional_secret_outputs: call.additional_secret_outputs.clone(),
            ..Default::default()
        }
    }

    /// Run Construct for `call` against this monitor and decode the result.
    pub async fn construct(
        &self,
        component: &dyn Component,
        call: &ConstructCall,
    ) -> Result<Constructed, ProtocolError> {
        let env = ConstructEnv {
            program_directory: call.program_directory.clone(),
            log: self.log.clone(),
            monitors: Arc::default(),
        };
        let resp = crate::construct::construct(component, self.request(call), &env).await?;
        Ok(Constructed {
            state: decode_struct(resp.state.as_ref())?,
            state_dependencies: resp
                .state_dependencies
                .into_iter()
                .map(|(k, v)| (k, v.urns.into_iter().collect()))
                .collect(),
            urn: resp.urn,
        })
    }

    /// Every registration so far, in order.
    pub fn registrations(&self) -> Vec<Registration> {
        self.recorded.lock().expect("lock").registrations.clone()
    }

    /// Messages Construct sent to the user.
    pub fn logs(&self) -> Vec<(Severity, String, String)> {
        self.log.messages()
    }

    /// Registered outputs by URN.
    pub fn outputs(&self) -> Vec<(String, PropertyMap)> {
        self.recorded.lock().expect("lock").outputs.clone()
    }

    /// The URNs `getResource` was asked for, in order.
    pub fn resource_reads(&self) -> Vec<String> {
        self.recorded.lock().expect("lock").resource_reads.clone()
    }

    /// The registration with logical name `name`; panics if there is none.
    pub fn named(&self, name: &str) -> Registration {
        self.registrations()
            .into_iter()
            .find(|r| r.name == name)
            .unwrap_or_else(|| panic!("no registration named {name}"))
    }

    /// The registration of `type_token`; panics if there is not exactly one.
    pub fn one(&self, type_token: &str) -> Registration {
        let all: Vec<_> = self
            .registrations()
            .into_iter()
            .filter(|r| r.type_token == type_token)
            .collect();
        assert_eq!(all.len(), 1, "expected exactly one {type_token}");
        all.into_iter().next().expect("one")
    }
}

/// A component as a program passes it to another: a reference carrying its
/// URN alone (see [`FakeMonitorConfig::components`] for its outputs).
pub fn component_reference(urn: &str) -> Value {
    Value::ResourceReference(launchpad_core::value::ResourceReference {
        urn: urn.to_string(),
        id: None,
        package_version: String::new(),
        outputs: None,
    })
}

/// Serve `router` on 127.0.0.1:0 until the returned sender is dropped;
/// returns `127.0.0.1:<port>`.
async fn serve_locally(router: tonic::transport::server::Router) -> (String, oneshot::Sender<()>) {
    let listener = TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], 0)))
        .await
        .expect("bind 127.0.0.1:0");
    let endpoint = listener.local_addr().expect("local addr").to_string();
    let (stop, stopped) = oneshot::channel::<()>();
    tokio::spawn(async move {
        let _ = router
            .serve_with_incoming_shutdown(
                TcpIncoming::from(listener).with_nodelay(Some(true)),
                async {
                    let _ = stopped.await;
                },
            )
            .await;
    });
    (endpoint, stop)
}

fn qualified_type(parent: &str, token: &str) -> String {
    let parent_type = parent.split("::").nth(2).unwrap_or_default();
    if parent.is_empty() || parent_type == "pulumi:pulumi:Stack" {
        token.to_string()
    } else {
        format!("{parent_type}${token}")
    }
}

impl Service {
    fn has(&self, name: &str) -> bool {
        self.recorded
            .lock()
            .map(|r| r.registrations.iter().any(|x| x.name == name))
            .unwrap_or(false)
    }

    /// Wait until `ready` holds, checked again after every registration;
    /// `limit` is a hang guard.
    async fn wait_until(
        &self,
        limit: Duration,
        ready: impl Fn() -> bool,
    ) -> Result<(), tokio::time::error::Elapsed> {
        tokio::time::timeout(limit, async {
            loop {
                let notified = self.registered.notified();
                if ready() {
                    return;
                }
                notified.await;
            }
        })
        .await
    }

    /// Wait (at most 60 s) until as many registrations have arrived as the
    /// gate says.
    async fn wait_for_gate(&self) -> Result<(), Status> {
        let arrived = || {
            self.recorded
                .lock()
                .map(|r| r.registrations.len())
                .unwrap_or(0)
        };
        let gate = || self.gate.load(Ordering::SeqCst);
        self.wait_until(Duration::from_secs(60), || arrived() >= gate())
            .await
            .map_err(|_| {
                Status::deadline_exceeded(format!(
                    "answers were held until {} registrations arrived; {} did",
                    gate(),
                    arrived()
                ))
            })
    }

    /// Wait (at most 10 s) until `name` is registered.
    async fn wait_for(&self, name: &str) -> Result<(), tokio::time::error::Elapsed> {
        self.wait_until(Duration::from_secs(10), || self.has(name))
            .await
    }
}

#[tonic::async_trait]
impl ResourceMonitor for Service {
    async fn supports_feature(
        &self,
        request: Request<rpc::SupportsFeatureRequest>,
    ) -> Result<Response<rpc::SupportsFeatureResponse>, Status> {
        let id = request.into_inner().id;
        let has_support = match id.as_str() {
            "outputValues" => self.config.output_values,
            "secrets" | "resourceReferences" => true,
            _ => false,
        };
        Ok(Response::new(rpc::SupportsFeatureResponse { has_support }))
    }

    /// Only the engine's `pulumi:pulumi:getResource`, answered as the
    /// engine does (builtins.go): the outputs a component registered last,
    /// or the ones seeded in the config.
    async fn invoke(
        &self,
        request: Request<rpc::ResourceInvokeRequest>,
    ) -> Result<Response<rpc::InvokeResponse>, Status> {
        let req = request.into_inner();
        if req.tok != "pulumi:pulumi:getResource" {
            return Err(Status::unimplemented(format!(
                "fake monitor: invoke {}",
                req.tok
            )));
        }
        let args = decode_struct(req.args.as_ref())
            .map_err(|e| Status::invalid_argument(e.to_string()))?;
        let Some(Value::String(urn)) = args.get("urn") else {
            return Err(Status::invalid_argument("missing required property 'urn'"));
        };
        let mut recorded = self
            .recorded
            .lock()
            .map_err(|_| Status::internal("poisoned"))?;
        recorded.resource_reads.push(urn.clone());
        let registered = recorded
            .outputs
            .iter()
            .rev()
            .find(|(u, _)| u == urn)
            .map(|(_, o)| o.clone());
        drop(recorded);
        let Some(state) = registered.or_else(|| self.config.components.get(urn).cloned()) else {
            return Err(Status::unknown(format!("unknown resource {urn}")));
        };
        let answer = PropertyMap::from([
            ("urn".to_string(), Value::string(urn.as_str())),
            ("id".to_string(), Value::string("")),
            ("provider".to_string(), Value::string("")),
            ("state".to_string(), Value::Object(state)),
        ]);
        Ok(Response::new(rpc::InvokeResponse {
            r#return: Some(encode_struct(&answer, EncodeOptions::PLAIN)),
            failures: Vec::new(),
        }))
    }

    async fn call(
        &self,
        _r: Request<rpc::ResourceCallRequest>,
    ) -> Result<Response<rpc::CallResponse>, Status> {
        Err(Status::unimplemented("fake monitor: call"))
    }

    async fn read_resource(
        &self,
        _r: Request<rpc::ReadResourceRequest>,
    ) -> Result<Response<rpc::ReadResourceResponse>, Status> {
        Err(Status::unimplemented("fake monitor: read"))
    }

    async fn register_resource(
        &self,
        request: Request<rpc::RegisterResourceRequest>,
    ) -> Result<Response<rpc::RegisterResourceResponse>, Status> {
        let req = request.into_inner();
        let inputs = decode_struct(req.object.as_ref())
            .map_err(|e| Status::invalid_argument(e.to_string()))?;
        let urn = format!(
            "urn:pulumi:{}::{}::{}::{}",
            self.config.stack,
            self.config.project,
            qualified_type(&req.parent, &req.r#type),
            req.name
        );
        let mut object = PropertyMap::new();
        let mut id = String::new();
        if req.custom {
            // As the engine does: an output named like a secret input is secret.
            object = inputs
                .iter()
                .map(|(k, v)| (k.clone(), v.strip().secret_if(v.taint().secret)))
                .collect();
            for (k, v) in (self.config.outputs)(&req.r#type, &req.name, &inputs) {
                let v = if self.config.dry_run {
                    Value::unknown()
                } else {
                    v
                };
                object.insert(k, v);
            }
            for k in &req.additional_secret_outputs {
                if let Some(v) = object.remove(k) {
                    object.insert(k.clone(), v.secret_if(true));
                }
            }
            if !self.config.dry_run {
                id = format!("{}-id", req.name);
            }
        }
        let registration = Registration {
            type_token: req.r#type.clone(),
            name: req.name.clone(),
            urn: urn.clone(),
            parent: req.parent.clone(),
            custom: req.custom,
            inputs,
            dependencies: req.dependencies.iter().cloned().collect(),
            property_dependencies: req
                .property_dependencies
                .iter()
                .map(|(k, v)| (k.clone(), v.urns.iter().cloned().collect()))
                .collect(),
            provider: req.provider.clone(),
            version: req.version.clone(),
            protect: req.protect,
            retain_on_delete: req.retain_on_delete,
            deleted_with: req.deleted_with.clone(),
            raw: req,
        };
        let name = registration.name.clone();
        self.recorded
            .lock()
            .map_err(|_| Status::internal("poisoned"))?
            .registrations
            .push(registration);
        self.registered.notify_waiters();
        self.wait_for_gate().await?;
        let _turn = if self.config.serial_answers {
            Some(self.answering.lock().await)
        } else {
            None
        };
        for (held, until) in self.config.hold.iter().filter(|(h, _)| *h == name) {
            self.wait_for(until).await.map_err(|_| {
                Status::deadline_exceeded(format!(
                    "`{held}` was held until `{until}` registered, which never happened"
                ))
            })?;
        }
        Ok(Response::new(rpc::RegisterResourceResponse {
            urn,
            id,
            object: Some(encode_struct(&object, EncodeOptions::PLAIN)),
            ..Default::default()
        }))
    }

    async fn register_resource_outputs(
        &self,
        request: Request<rpc::RegisterResourceOutputsRequest>,
    ) -> Result<Response<()>, Status> {
        let req = request.into_inner();
        let outputs = decode_struct(req.outputs.as_ref())
            .map_err(|e| Status::invalid_argument(e.to_string()))?;
        self.recorded
            .lock()
            .map_err(|_| Status::internal("poisoned"))?
            .outputs
            .push((req.urn, outputs));
        Ok(Response::new(()))
    }

    async fn register_stack_transform(
        &self,
        _r: Request<rpc::Callback>,
    ) -> Result<Response<()>, Status> {
        Err(Status::unimplemented("fake monitor: transforms"))
    }

    async fn register_stack_invoke_transform(
        &self,
        _r: Request<rpc::Callback>,
    ) -> Result<Response<()>, Status> {
        Err(Status::unimplemented("fake monitor: transforms"))
    }

    async fn register_resource_hook(
        &self,
        _r: Request<rpc::RegisterResourceHookRequest>,
    ) -> Result<Response<()>, Status> {
        Err(Status::unimplemented("fake monitor: hooks"))
    }

    async fn register_error_hook(
        &self,
        _r: Request<rpc::RegisterErrorHookRequest>,
    ) -> Result<Response<()>, Status> {
        Err(Status::unimplemented("fake monitor: hooks"))
    }

    async fn register_package(
        &self,
        _r: Request<rpc::RegisterPackageRequest>,
    ) -> Result<Response<rpc::RegisterPackageResponse>, Status> {
        Err(Status::unimplemented("fake monitor: packages"))
    }

    async fn signal_and_wait_for_shutdown(&self, _r: Request<()>) -> Result<Response<()>, Status> {
        Ok(Response::new(()))
    }
}

/// A fake engine `Engine` service (its `Log` RPC), recording what a
/// provider tells the user; stops when dropped.
pub struct FakeEngine {
    /// `127.0.0.1:<port>`, to give the provider as its engine address.
    pub endpoint: String,
    logs: Arc<Mutex<Vec<rpc::LogRequest>>>,
    _stop: oneshot::Sender<()>,
}

struct EngineService {
    logs: Arc<Mutex<Vec<rpc::LogRequest>>>,
}

impl FakeEngine {
    /// Start on an ephemeral port.
    pub async fn start() -> FakeEngine {
        let logs = Arc::new(Mutex::new(Vec::new()));
        let service = EngineService {
            logs: Arc::clone(&logs),
        };
        let (endpoint, stop) = serve_locally(
            tonic::transport::Server::builder().add_service(EngineServer::new(service)),
        )
        .await;
        FakeEngine {
            endpoint,
            logs,
            _stop: stop,
        }
    }

    /// Every `Log` request so far.
    pub fn logs(&self) -> Vec<rpc::LogRequest> {
        self.logs.lock().map(|l| l.clone()).unwrap_or_default()
    }
}

#[tonic::async_trait]
impl Engine for EngineService {
    async fn log(&self, request: Request<rpc::LogRequest>) -> Result<Response<()>, Status> {
        self.logs
            .lock()
            .map_err(|_| Status::internal("poisoned"))?
            .push(request.into_inner());
        Ok(Response::new(()))
    }

    async fn get_root_resource(
        &self,
        _r: Request<rpc::GetRootResourceRequest>,
    ) -> Result<Response<rpc::GetRootResourceResponse>, Status> {
        Ok(Response::new(rpc::GetRootResourceResponse::default()))
    }

    async fn set_root_resource(
        &self,
        _r: Request<rpc::SetRootResourceRequest>,
    ) -> Result<Response<rpc::SetRootResourceResponse>, Status> {
        Ok(Response::new(rpc::SetRootResourceResponse::default()))
    }

    async fn start_debugging(
        &self,
        _r: Request<rpc::StartDebuggingRequest>,
    ) -> Result<Response<()>, Status> {
        Err(Status::unimplemented("fake engine: debugging"))
    }

    async fn require_pulumi_version(
        &self,
        _r: Request<rpc::RequirePulumiVersionRequest>,
    ) -> Result<Response<rpc::RequirePulumiVersionResponse>, Status> {
        Ok(Response::new(rpc::RequirePulumiVersionResponse::default()))
    }
}
