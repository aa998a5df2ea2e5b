//! The gRPC `ResourceProvider` service: every RPC answered deliberately,
//! components dispatched to [`construct`], native resources to their
//! [`CustomResource`] by type token.

use std::collections::HashMap;
use std::sync::{Arc, OnceLock, RwLock};

use prost::Message;
use pulumi_gestalt_proto::pulumi::pulumirpc::{
    self as rpc, resource_provider_server::ResourceProvider,
};
use tonic::{Request, Response, Status};

use crate::codec::{EncodeOptions, decode_struct, encode_struct};
use crate::component::Component;
use crate::construct::construct;
use crate::custom::{ChangeKind, CustomResource, ResourceContext, ResourceError};
use crate::error::ProtocolError;
use crate::schema::PackageDef;
use crate::value::PropertyMap;

/// Everything a provider binary serves.
pub struct Package {
    /// The schema definitions.
    pub def: &'static PackageDef,
    /// Its components.
    pub components: Vec<Box<dyn Component>>,
    /// Its native custom resources.
    pub resources: Vec<Box<dyn CustomResource>>,
}

impl Package {
    /// The schema JSON text (pretty, newline-terminated: the committed form).
    pub fn schema_text(&self) -> String {
        let mut text = serde_json::to_string_pretty(&self.def.schema()).unwrap_or_default();
        text.push('\n');
        text
    }
}

/// The `ResourceProvider` implementation.
pub struct Provider {
    package: Arc<Package>,
    config: RwLock<Arc<PropertyMap>>,
    // Built on first GetSchema, never at start-up.
    schema: OnceLock<String>,
}

impl Provider {
    /// A provider serving `package`.
    pub fn new(package: Package) -> Provider {
        Provider {
            package: Arc::new(package),
            config: RwLock::new(Arc::new(PropertyMap::new())),
            schema: OnceLock::new(),
        }
    }

    fn resource(&self, urn: &str) -> Result<(&dyn CustomResource, ResourceContext), Status> {
        let (token, name) = parse_urn(urn);
        let resource = self
            .package
            .resources
            .iter()
            .find(|r| r.token() == token)
            .ok_or_else(|| self.unknown_type(token))?;
        let config = self
            .config
            .read()
            .map(|c| Arc::clone(&c))
            .unwrap_or_default();
        let ctx = ResourceContext {
            urn: urn.to_string(),
            name: name.to_string(),
            config,
        };
        Ok((resource.as_ref(), ctx))
    }

    fn unknown_type(&self, token: &str) -> Status {
        let known = self
            .package
            .components
            .iter()
            .map(|c| c.definition().token)
            .chain(self.package.resources.iter().map(|r| r.token()))
            .collect::<Vec<_>>()
            .join(", ");
        ProtocolError::UnknownType {
            token: token.to_string(),
            known,
        }
        .to_status()
    }
}

/// `(type token, logical name)` of a URN
/// (`urn:pulumi:<stack>::<project>::<parent$type>::<name>`).
pub fn parse_urn(urn: &str) -> (&str, &str) {
    let mut parts = urn.splitn(4, "::");
    let _stack = parts.next();
    let _project = parts.next();
    let qualified = parts.next().unwrap_or_default();
    let name = parts.next().unwrap_or_default();
    (qualified.rsplit('$').next().unwrap_or_default(), name)
}

fn encode(map: &PropertyMap) -> Option<prost_types::Struct> {
    Some(encode_struct(map, EncodeOptions::PLAIN))
}

fn decode(s: Option<&prost_types::Struct>) -> Result<PropertyMap, Status> {
    decode_struct(s).map_err(|e| ProtocolError::from(e).to_status())
}

/// `google.rpc.Status`: the encoding of a gRPC status's details, which is
/// how `ErrorResourceInitFailed` reaches the engine.
#[derive(Clone, PartialEq, Message)]
pub struct RpcStatus {
    /// The gRPC code.
    #[prost(int32, tag = "1")]
    pub code: i32,
    /// The message.
    #[prost(string, tag = "2")]
    pub message: String,
    /// Typed details.
    #[prost(message, repeated, tag = "3")]
    pub details: Vec<prost_types::Any>,
}

/// Map a lifecycle error to a status; partial creates carry what exists.
fn resource_status(e: ResourceError) -> Status {
    match e {
        ResourceError::Input(i) => ProtocolError::Input(i).to_status(),
        ResourceError::Failed(m) => Status::unknown(m),
        ResourceError::PartiallyCreated {
            id,
            outputs,
            inputs,
            reasons,
        } => {
            let message = reasons.join("; ");
            let detail = rpc::ErrorResourceInitFailed {
                id,
                properties: encode(&outputs),
                reasons,
                inputs: encode(&inputs),
                refresh_before_update: false,
            };
            let status = RpcStatus {
                code: tonic::Code::Unknown as i32,
                message: message.clone(),
                details: vec![prost_types::Any {
                    type_url: "type.googleapis.com/pulumirpc.ErrorResourceInitFailed".into(),
                    value: detail.encode_to_vec(),
                }],
            };
            Status::with_details(tonic::Code::Unknown, message, status.encode_to_vec().into())
        }
    }
}

#[tonic::async_trait]
impl ResourceProvider for Provider {
    async fn handshake(
        &self,
        _request: Request<rpc::ProviderHandshakeRequest>,
    ) -> Result<Response<rpc::ProviderHandshakeResponse>, Status> {
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
        let mut failures = Vec::new();
        for key in news.keys() {
            // The engine adds `version`; everything else must be declared.
            if key != "version" && !self.package.def.config.iter().any(|c| c.name == key) {
                let valid = self
                    .package
                    .def
                    .config
                    .iter()
                    .map(|c| c.name)
                    .collect::<Vec<_>>();
                failures.push(rpc::CheckFailure {
                    property: key.clone(),
                    reason: format!(
                        "unknown configuration key `{}:{key}`; valid: {}",
                        self.package.def.name,
                        valid.join(", ")
                    ),
                });
            }
        }
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
        let diff = crate::custom::DiffResult::between(&olds, &news, &[]);
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
                config.insert(key, crate::value::Value::String(v));
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
        Err(Status::unimplemented(format!(
            "unknown function `{}`; the {} provider defines no functions",
            request.into_inner().tok,
            self.package.def.name
        )))
    }

    async fn call(
        &self,
        request: Request<rpc::CallRequest>,
    ) -> Result<Response<rpc::CallResponse>, Status> {
        Err(Status::unimplemented(format!(
            "unknown method `{}`; the {} provider's components have no methods",
            request.into_inner().tok,
            self.package.def.name
        )))
    }

    async fn check(
        &self,
        request: Request<rpc::CheckRequest>,
    ) -> Result<Response<rpc::CheckResponse>, Status> {
        let req = request.into_inner();
        let (resource, ctx) = self.resource(&req.urn)?;
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
        let (resource, ctx) = self.resource(&req.urn)?;
        // Compare inputs with inputs; the old state also holds computed outputs.
        let olds = decode(req.old_inputs.as_ref().or(req.olds.as_ref()))?;
        let news = decode(req.news.as_ref())?;
        let diff = resource
            .diff(&ctx, &req.id, &olds, &news)
            .await
            .map_err(resource_status)?;
        Ok(Response::new(diff_response(&diff)))
    }

    async fn create(
        &self,
        request: Request<rpc::CreateRequest>,
    ) -> Result<Response<rpc::CreateResponse>, Status> {
        let req = request.into_inner();
        let (resource, ctx) = self.resource(&req.urn)?;
        let inputs = decode(req.properties.as_ref())?;
        let created = resource
            .create(&ctx, &inputs, req.preview)
            .await
            .map_err(resource_status)?;
        Ok(Response::new(rpc::CreateResponse {
            id: created.id,
            properties: encode(&created.outputs),
            refresh_before_update: false,
        }))
    }

    async fn read(
        &self,
        request: Request<rpc::ReadRequest>,
    ) -> Result<Response<rpc::ReadResponse>, Status> {
        let req = request.into_inner();
        let (resource, ctx) = self.resource(&req.urn)?;
        let state = decode(req.properties.as_ref())?;
        let live = resource
            .read(&ctx, &req.id, &state)
            .await
            .map_err(resource_status)?;
        Ok(Response::new(match live {
            // An empty ID tells the engine the resource is gone.
            None => rpc::ReadResponse::default(),
            Some(props) => rpc::ReadResponse {
                id: req.id,
                properties: encode(&props),
                inputs: req.inputs,
                refresh_before_update: false,
            },
        }))
    }

    async fn update(
        &self,
        request: Request<rpc::UpdateRequest>,
    ) -> Result<Response<rpc::UpdateResponse>, Status> {
        let req = request.into_inner();
        let (resource, ctx) = self.resource(&req.urn)?;
        let olds = decode(req.old_inputs.as_ref().or(req.olds.as_ref()))?;
        let news = decode(req.news.as_ref())?;
        let outputs = resource
            .update(&ctx, &req.id, &olds, &news, req.preview)
            .await
            .map_err(resource_status)?;
        Ok(Response::new(rpc::UpdateResponse {
            properties: encode(&outputs),
            refresh_before_update: false,
        }))
    }

    async fn delete(&self, request: Request<rpc::DeleteRequest>) -> Result<Response<()>, Status> {
        let req = request.into_inner();
        let (resource, ctx) = self.resource(&req.urn)?;
        let state = decode(req.properties.as_ref())?;
        resource
            .delete(&ctx, &req.id, &state)
            .await
            .map_err(resource_status)?;
        Ok(Response::new(()))
    }

    async fn construct(
        &self,
        request: Request<rpc::ConstructRequest>,
    ) -> Result<Response<rpc::ConstructResponse>, Status> {
        let req = request.into_inner();
        let component = self
            .package
            .components
            .iter()
            .find(|c| c.definition().token == req.r#type)
            .ok_or_else(|| self.unknown_type(&req.r#type))?;
        let resp = construct(component.as_ref(), req)
            .await
            .map_err(|e| e.to_status())?;
        Ok(Response::new(resp))
    }

    async fn cancel(&self, _request: Request<()>) -> Result<Response<()>, Status> {
        // Nothing long-running survives a cancelled RPC; the engine then exits us.
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

fn diff_response(diff: &crate::custom::DiffResult) -> rpc::DiffResponse {
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
    fn parses_urns_with_parents_and_colons_in_names() {
        assert_eq!(
            parse_urn(
                "urn:pulumi:dev::proj::launchpad:index:StaticSite$launchpad:index:SiteContent::site::x"
            ),
            ("launchpad:index:SiteContent", "site::x")
        );
        assert_eq!(parse_urn("urn:pulumi:dev::proj::t:m:R::n"), ("t:m:R", "n"));
    }

    #[test]
    fn top_level_of_paths() {
        assert_eq!(top_level("files[\"a.html\"]"), "files");
        assert_eq!(top_level("a.b"), "a");
    }
}
