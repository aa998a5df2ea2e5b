//! The gRPC `ResourceProvider` service: every RPC answered deliberately,
//! components dispatched to [`construct`], native resources to their
//! [`CustomResource`] by type token — with the request's deadline, the
//! provider's cancellation, and output secrecy handled here, once.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, OnceLock, RwLock};
use std::time::Duration;

use launchpad_core::custom::{ChangeKind, DiffResult, ResourceContext, State};
use launchpad_core::log::ResourceLog;
use launchpad_core::schema::ResourceDef;
use launchpad_core::{CustomResource, Package, PropertyMap, Value};
use pulumi_gestalt_proto::pulumi::pulumirpc::{
    self as rpc, resource_provider_server::ResourceProvider,
};
use tokio_util::sync::CancellationToken;
use tonic::{Request, Response, Status};

use crate::codec::{EncodeOptions, decode_struct, encode_struct};
use crate::construct::{ConstructEnv, Monitors, construct};
use crate::engine::EngineLogger;
use crate::error::ProtocolError;

/// Configuration keys the engine adds to every provider's configuration.
const ENGINE_CONFIG_KEYS: [&str; 3] = ["version", "pluginDownloadURL", "pluginChecksums"];

/// How long an interrupted native operation may take to report what it
/// did before the provider stops waiting for it.
const INTERRUPT_GRACE: Duration = Duration::from_secs(5);

/// The `ResourceProvider` implementation.
pub struct Provider {
    package: Arc<Package>,
    config: RwLock<Arc<PropertyMap>>,
    // Built on first GetSchema, never at start-up.
    schema: OnceLock<String>,
    log: Arc<EngineLogger>,
    // Fired by Cancel: every native operation in flight stops.
    cancel: CancellationToken,
    monitors: Arc<Monitors>,
}

impl Provider {
    /// A provider serving `package`, talking to the engine at
    /// `engine_address` (the launch argument) for logs.
    pub fn new(package: Package, engine_address: Option<String>) -> Provider {
        Provider {
            package: Arc::new(package),
            config: RwLock::new(Arc::new(PropertyMap::new())),
            schema: OnceLock::new(),
            log: Arc::new(EngineLogger::new(engine_address)),
            cancel: CancellationToken::new(),
            monitors: Arc::default(),
        }
    }

    /// The program's directory: the engine starts plugins there.
    fn program_directory() -> Option<PathBuf> {
        std::env::current_dir().ok()
    }

    /// The native resource a URN names, and the context of one call with
    /// `timeout` seconds (0: none).
    fn resource(
        &self,
        urn: &str,
        timeout: f64,
    ) -> Result<(&dyn CustomResource, ResourceContext), Status> {
        let (token, _) = launchpad_core::value::parse_urn(urn);
        let resource = self
            .package
            .resource(token)
            .ok_or_else(|| self.unknown_type(token))?;
        let config = self
            .config
            .read()
            .map(|c| Arc::clone(&c))
            .unwrap_or_default();
        let timeout =
            (timeout.is_finite() && timeout > 0.0).then(|| Duration::from_secs_f64(timeout));
        let ctx = ResourceContext::new(
            urn,
            config,
            ResourceLog::new(self.log.clone(), urn),
            self.cancel.child_token(),
            timeout,
        )
        .with_program_directory(Self::program_directory());
        Ok((resource, ctx))
    }

    fn unknown_type(&self, token: &str) -> Status {
        ProtocolError::UnknownType {
            token: token.to_string(),
            known: self.package.tokens(),
        }
        .to_status()
    }
}

/// Run a native operation; once it is interrupted (Cancel, deadline) it
/// has [`INTERRUPT_GRACE`] to return what it did, then it is dropped.
async fn supervised<T>(
    ctx: &ResourceContext,
    work: impl Future<Output = Result<T, launchpad_core::custom::ResourceError>>,
) -> Result<T, Status> {
    tokio::pin!(work);
    let result = tokio::select! {
        r = &mut work => r,
        interrupted = ctx.interrupted() => {
            match tokio::time::timeout(INTERRUPT_GRACE, &mut work).await {
                Ok(r) => r,
                Err(_) => Err(interrupted.into()),
            }
        }
    };
    result.map_err(|e| ProtocolError::from(e).to_status())
}

fn encode(map: &PropertyMap) -> Option<prost_types::Struct> {
    Some(encode_struct(map, EncodeOptions::PLAIN))
}

fn decode(s: Option<&prost_types::Struct>) -> Result<PropertyMap, Status> {
    decode_struct(s).map_err(|e| ProtocolError::from(e).to_status())
}

/// Make outputs as secret as the inputs they come from: an output is secret
/// when its definition says so, when an input it derives from (or the
/// input of its own name) is secret, or — for an output the definition
/// does not declare — when any input is.
pub fn seal_outputs(def: &ResourceDef, inputs: &PropertyMap, outputs: PropertyMap) -> PropertyMap {
    let secret_input = |name: &str| inputs.get(name).is_some_and(|v| v.taint().secret);
    let any_secret = inputs.values().any(|v| v.taint().secret);
    outputs
        .into_iter()
        .map(|(name, value)| {
            let secret = match def.outputs.iter().find(|o| o.name == name) {
                Some(o) => {
                    o.secret
                        || secret_input(&name)
                        || o.derived_from.iter().any(|i| secret_input(i))
                }
                None => any_secret,
            };
            (name, value.secret_if(secret))
        })
        .collect()
}

#[tonic::async_trait]
impl ResourceProvider for Provider {
    async fn handshake(
        &self,
        request: Request<rpc::ProviderHandshakeRequest>,
    ) -> Result<Response<rpc::ProviderHandshakeResponse>, Status> {
        self.log.set_address(&request.into_inner().engine_address);
        Ok(Response::new(rpc::ProviderHandshakeResponse {
            accept_secrets: true,
            accept_resources: true,
            accept_outputs: true,
            supports_autonaming_configuration: false,
        }))
    }

    async fn parameterize(
        &self,
        _request: Request<rpc::ParameterizeRequest>,
    ) -> Result<Response<rpc::ParameterizeResponse>, Status> {
        Err(Status::unimplemented(format!(
            "the {} provider takes no parameters",
            self.package.def.name
        )))
    }

    async fn get_schema(
        &self,
        request: Request<rpc::GetSchemaRequest>,
    ) -> Result<Response<rpc::GetSchemaResponse>, Status> {
        let req = request.into_inner();
        if !req.subpackage_name.is_empty() {
            return Err(Status::not_found(format!(
                "the {} provider has no subpackage `{}`",
                self.package.def.name, req.subpackage_name
            )));
        }
        let schema = self.schema.get_or_init(|| self.package.schema_text());
        Ok(Response::new(rpc::GetSchemaResponse {
            schema: schema.clone(),
        }))
    }

    async fn check_config(
        &self,
        request: Request<rpc::CheckRequest>,
    ) -> Result<Response<rpc::CheckResponse>, Status> {
        let req = request.into_inner();
        let news = decode(req.news.as_ref())?;
        let declared = self.package.def.config;
        let failures = news
            .keys()
            .filter(|key| {
                !ENGINE_CONFIG_KEYS.contains(&key.as_str())
                    && !declared.iter().any(|c| c.name == key.as_str())
            })
            .map(|key| {
                let valid = declared.iter().map(|c| c.name).collect::<Vec<_>>();
                let valid = if valid.is_empty() {
                    "none (this provider takes no configuration)".to_string()
                } else {
                    valid.join(", ")
                };
                rpc::CheckFailure {
                    property: key.clone(),
                    reason: format!(
                        "unknown configuration key `{}:{key}`; valid: {valid}",
                        self.package.def.name
                    ),
                }
            })
            .collect();
        Ok(Response::new(rpc::CheckResponse {
            inputs: req.news,
            failures,
        }))
    }

    async fn diff_config(
        &self,
        request: Request<rpc::DiffRequest>,
    ) -> Result<Response<rpc::DiffResponse>, Status> {
        let req = request.into_inner();
        let olds = decode(req.old_inputs.as_ref().or(req.olds.as_ref()))?;
        let news = decode(req.news.as_ref())?;
        // Configuration changes never replace the provider (and so never its resources).
        let diff = DiffResult::between(&olds, &news, &[]);
        Ok(Response::new(diff_response(&diff)))
    }

    async fn configure(
        &self,
        request: Request<rpc::ConfigureRequest>,
    ) -> Result<Response<rpc::ConfigureResponse>, Status> {
        let req = request.into_inner();
        let mut config = decode(req.args.as_ref())?;
        if req.args.is_none() {
            // Older engines send config as `package:key` → JSON-ish strings.
            for (k, v) in req.variables {
                let key = k.rsplit(':').next().unwrap_or(&k).to_string();
                config.insert(key, Value::String(v));
            }
        }
        if let Ok(mut c) = self.config.write() {
            *c = Arc::new(config);
        }
        Ok(Response::new(rpc::ConfigureResponse {
            accept_secrets: true,
            supports_preview: true,
            accept_resources: true,
            accept_outputs: true,
            supports_autonaming_configuration: false,
        }))
    }

    async fn invoke(
        &self,
        request: Request<rpc::InvokeRequest>,
    ) -> Result<Response<rpc::InvokeResponse>, Status> {
        Err(ProtocolError::Unsupported(format!(
            "unknown function `{}`; the {} provider defines no functions",
            request.into_inner().tok,
            self.package.def.name
        ))
        .into())
    }

    async fn call(
        &self,
        request: Request<rpc::CallRequest>,
    ) -> Result<Response<rpc::CallResponse>, Status> {
        Err(ProtocolError::Unsupported(format!(
            "unknown method `{}`; the {} provider's components have no methods",
            request.into_inner().tok,
            self.package.def.name
        ))
        .into())
    }

    async fn check(
        &self,
        request: Request<rpc::CheckRequest>,
    ) -> Result<Response<rpc::CheckResponse>, Status> {
        let req = request.into_inner();
        let (resource, ctx) = self.resource(&req.urn, 0.0)?;
        let olds = decode(req.olds.as_ref())?;
        let news = decode(req.news.as_ref())?;
        let result = resource.check(&ctx, &olds, news).await;
        Ok(Response::new(rpc::CheckResponse {
            inputs: encode(&result.inputs),
            failures: result
                .failures
                .into_iter()
                .map(|f| rpc::CheckFailure {
                    property: f.property,
                    reason: f.message,
                })
                .collect(),
        }))
    }

    async fn diff(
        &self,
        request: Request<rpc::DiffRequest>,
    ) -> Result<Response<rpc::DiffResponse>, Status> {
        let req = request.into_inner();
        let (resource, ctx) = self.resource(&req.urn, 0.0)?;
        let old = State {
            inputs: decode(req.old_inputs.as_ref())?,
            outputs: decode(req.olds.as_ref())?,
        };
        let news = decode(req.news.as_ref())?;
        let diff = supervised(&ctx, resource.diff(&ctx, &req.id, &old, &news)).await?;
        Ok(Response::new(diff_response(&diff)))
    }

    async fn create(
        &self,
        request: Request<rpc::CreateRequest>,
    ) -> Result<Response<rpc::CreateResponse>, Status> {
        let req = request.into_inner();
        let (resource, ctx) = self.resource(&req.urn, req.timeout)?;
        let inputs = decode(req.properties.as_ref())?;
        let created = supervised(&ctx, resource.create(&ctx, &inputs, req.preview)).await?;
        let outputs = seal_outputs(resource.definition(), &inputs, created.outputs);
        Ok(Response::new(rpc::CreateResponse {
            id: created.id,
            properties: encode(&outputs),
            refresh_before_update: false,
        }))
    }

    async fn read(
        &self,
        request: Request<rpc::ReadRequest>,
    ) -> Result<Response<rpc::ReadResponse>, Status> {
        let req = request.into_inner();
        let (resource, ctx) = self.resource(&req.urn, 0.0)?;
        // On import both are empty: the resource reads everything from its ID.
        let old = State {
            inputs: decode(req.inputs.as_ref())?,
            outputs: decode(req.properties.as_ref())?,
        };
        let live = supervised(&ctx, resource.read(&ctx, &req.id, &old)).await?;
        Ok(Response::new(match live {
            // An empty ID tells the engine the resource is gone.
            None => rpc::ReadResponse::default(),
            Some(live) => {
                // Inputs the user kept secret stay secret when read back.
                let inputs: PropertyMap = live
                    .inputs
                    .into_iter()
                    .map(|(k, v)| {
                        let was_secret = old.inputs.get(&k).is_some_and(|o| o.taint().secret);
                        (k, v.secret_if(was_secret))
                    })
                    .collect();
                let outputs = seal_outputs(resource.definition(), &inputs, live.outputs);
                rpc::ReadResponse {
                    id: req.id,
                    properties: encode(&outputs),
                    inputs: encode(&inputs),
                    refresh_before_update: false,
                }
            }
        }))
    }

    async fn update(
        &self,
        request: Request<rpc::UpdateRequest>,
    ) -> Result<Response<rpc::UpdateResponse>, Status> {
        let req = request.into_inner();
        let (resource, ctx) = self.resource(&req.urn, req.timeout)?;
        let old = State {
            inputs: decode(req.old_inputs.as_ref())?,
            outputs: decode(req.olds.as_ref())?,
        };
        let news = decode(req.news.as_ref())?;
        let outputs = supervised(
            &ctx,
            resource.update(&ctx, &req.id, &old, &news, req.preview),
        )
        .await?;
        let outputs = seal_outputs(resource.definition(), &news, outputs);
        Ok(Response::new(rpc::UpdateResponse {
            properties: encode(&outputs),
            refresh_before_update: false,
        }))
    }

    async fn delete(&self, request: Request<rpc::DeleteRequest>) -> Result<Response<()>, Status> {
        let req = request.into_inner();
        let (resource, ctx) = self.resource(&req.urn, req.timeout)?;
        let old = State {
            inputs: decode(req.old_inputs.as_ref())?,
            outputs: decode(req.properties.as_ref())?,
        };
        supervised(&ctx, resource.delete(&ctx, &req.id, &old)).await?;
        Ok(Response::new(()))
    }

    async fn construct(
        &self,
        request: Request<rpc::ConstructRequest>,
    ) -> Result<Response<rpc::ConstructResponse>, Status> {
        let req = request.into_inner();
        let component = self
            .package
            .component(&req.r#type)
            .ok_or_else(|| self.unknown_type(&req.r#type))?;
        let env = ConstructEnv {
            program_directory: Self::program_directory(),
            log: self.log.clone(),
            monitors: Arc::clone(&self.monitors),
        };
        let resp = construct(component, req, &env).await?;
        Ok(Response::new(resp))
    }

    async fn cancel(&self, _request: Request<()>) -> Result<Response<()>, Status> {
        // Advisory and prompt: every native operation in flight sees its
        // context interrupted and returns what it did.
        self.cancel.cancel();
        Ok(Response::new(()))
    }

    async fn get_plugin_info(
        &self,
        _request: Request<()>,
    ) -> Result<Response<rpc::PluginInfo>, Status> {
        Ok(Response::new(rpc::PluginInfo {
            version: self.package.def.version.to_string(),
        }))
    }

    async fn attach(&self, _request: Request<rpc::PluginAttach>) -> Result<Response<()>, Status> {
        Ok(Response::new(()))
    }

    async fn get_mapping(
        &self,
        _request: Request<rpc::GetMappingRequest>,
    ) -> Result<Response<rpc::GetMappingResponse>, Status> {
        // No Terraform mappings: this is not a bridged provider.
        Ok(Response::new(rpc::GetMappingResponse::default()))
    }

    async fn get_mappings(
        &self,
        _request: Request<rpc::GetMappingsRequest>,
    ) -> Result<Response<rpc::GetMappingsResponse>, Status> {
        Ok(Response::new(rpc::GetMappingsResponse::default()))
    }
}

fn diff_response(diff: &DiffResult) -> rpc::DiffResponse {
    use rpc::property_diff::Kind;
    let mut detailed_diff = HashMap::new();
    let mut replaces = Vec::new();
    let mut diffs = Vec::new();
    for (path, change) in &diff.changes {
        let kind = match (change.kind, change.replace) {
            (ChangeKind::Add, false) => Kind::Add,
            (ChangeKind::Add, true) => Kind::AddReplace,
            (ChangeKind::Update, false) => Kind::Update,
            (ChangeKind::Update, true) => Kind::UpdateReplace,
            (ChangeKind::Delete, false) => Kind::Delete,
            (ChangeKind::Delete, true) => Kind::DeleteReplace,
        };
        detailed_diff.insert(
            path.clone(),
            rpc::PropertyDiff {
                kind: kind as i32,
                input_diff: true,
            },
        );
        let top = top_level(path);
        if change.replace && !replaces.contains(&top) {
            replaces.push(top.clone());
        }
        if !diffs.contains(&top) {
            diffs.push(top);
        }
    }
    rpc::DiffResponse {
        replaces,
        stables: Vec::new(),
        delete_before_replace: diff.delete_before_replace,
        changes: if diff.changes.is_empty() {
            rpc::diff_response::DiffChanges::DiffNone as i32
        } else {
            rpc::diff_response::DiffChanges::DiffSome as i32
        },
        diffs,
        detailed_diff,
        has_detailed_diff: true,
    }
}

/// `files["a.html"]` → `files`; `a.b` → `a`.
fn top_level(path: &str) -> String {
    path.split(['.', '[']).next().unwrap_or(path).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn top_level_of_paths() {
        assert_eq!(top_level("files[\"a.html\"]"), "files");
        assert_eq!(top_level("a.b"), "a");
    }
}
