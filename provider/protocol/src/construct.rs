//! Construct: validate a component's inputs, register the component and its
//! children with the engine's resource monitor, and return its outputs.
//!
//! The planner decides *what* to register; this module is the dumb loop that
//! registers it, in waves of children whose prerequisites already exist.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use pulumi_gestalt_proto::pulumi::pulumirpc::{
    self, ConstructRequest, ConstructResponse, RegisterResourceOutputsRequest,
    RegisterResourceRequest, SupportsFeatureRequest, construct_response, register_resource_request,
    resource_monitor_client::ResourceMonitorClient,
};
use tonic::transport::Channel;

use crate::codec::{EncodeOptions, decode_struct, encode_struct};
use crate::component::{Component, ConstructContext};
use crate::error::ProtocolError;
use crate::plan::{ChildResource, ComponentPlan, Registered, resolve};
use crate::value::{OutputValue, PropertyMap, Value};

/// A connection to the engine's `ResourceMonitor`.
#[derive(Clone)]
pub struct Monitor {
    client: ResourceMonitorClient<Channel>,
    output_values: bool,
}

impl Monitor {
    /// Connect to `endpoint` (`host:port`) and ask which features it supports.
    pub async fn connect(endpoint: &str) -> Result<Monitor, ProtocolError> {
        let fail = |reason: String| ProtocolError::MonitorConnect {
            endpoint: endpoint.to_string(),
            reason,
        };
        let uri = if endpoint.contains("://") {
            endpoint.to_string()
        } else {
            format!("http://{endpoint}")
        };
        let channel = Channel::from_shared(uri)
            .map_err(|e| fail(e.to_string()))?
            .connect()
            .await
            .map_err(|e| fail(e.to_string()))?;
        // State can be large (file manifests); the engine allows 400 MiB too.
        let mut client = ResourceMonitorClient::new(channel)
            .max_decoding_message_size(400 << 20)
            .max_encoding_message_size(400 << 20);
        let output_values = client
            .supports_feature(SupportsFeatureRequest {
                id: "outputValues".into(),
            })
            .await
            .map(|r| r.into_inner().has_support)
            .unwrap_or(false);
        Ok(Monitor {
            client,
            output_values,
        })
    }

    async fn register_outputs(
        &self,
        name: &str,
        token: &str,
        urn: &str,
        outputs: &PropertyMap,
    ) -> Result<(), ProtocolError> {
        self.client
            .clone()
            .register_resource_outputs(RegisterResourceOutputsRequest {
                urn: urn.to_string(),
                outputs: Some(encode_struct(outputs, EncodeOptions::PLAIN)),
            })
            .await
            .map(|_| ())
            .map_err(register_error(name, token))
    }

    fn encode(&self) -> EncodeOptions {
        EncodeOptions {
            output_values: self.output_values,
        }
    }

    async fn register(
        &self,
        req: RegisterResourceRequest,
    ) -> Result<pulumirpc::RegisterResourceResponse, ProtocolError> {
        let refused = register_error(&req.name, &req.r#type);
        self.client
            .clone()
            .register_resource(req)
            .await
            .map(|r| r.into_inner())
            .map_err(refused)
    }
}

/// How a refusal by the monitor reads: naming the resource it was about.
fn register_error(name: &str, token: &str) -> impl FnOnce(tonic::Status) -> ProtocolError + use<> {
    let (name, token) = (name.to_string(), token.to_string());
    move |s| ProtocolError::Register {
        name,
        token,
        message: s.message().to_string(),
    }
}

/// Run Construct for `component`.
pub async fn construct(
    component: &dyn Component,
    req: ConstructRequest,
) -> Result<ConstructResponse, ProtocolError> {
    let def = component.definition();
    let mut inputs = decode_struct(req.inputs.as_ref())?;
    attach_input_dependencies(&mut inputs, &req.input_dependencies);
    let ctx = ConstructContext {
        name: req.name.clone(),
        project: req.project.clone(),
        stack: req.stack.clone(),
        organization: req.organization.clone(),
        parent: req.parent.clone(),
        dry_run: req.dry_run,
    };
    // Validate before registering anything: bad input fails with nothing half-made.
    let plan = component.plan(&ctx, &inputs)?;
    tracing::debug!(token = def.token, name = %req.name, children = plan.children.len(), "construct");

    let monitor = Monitor::connect(&req.monitor_endpoint).await?;
    let component_urn = monitor
        .register(RegisterResourceRequest {
            r#type: def.token.to_string(),
            name: req.name.clone(),
            parent: req.parent.clone(),
            custom: false,
            object: Some(prost_types::Struct::default()),
            protect: req.protect,
            dependencies: req.dependencies.clone(),
            providers: req.providers.clone(),
            aliases: req.aliases.clone(),
            retain_on_delete: req.retain_on_delete,
            deleted_with: req.deleted_with.clone(),
            hooks: req.resource_hooks.as_ref().map(hooks),
            parent_stack_trace_handle: req.stack_trace_handle.clone(),
            accept_secrets: true,
            accept_resources: true,
            ..Default::default()
        })
        .await?
        .urn;

    let registered = register_children(&monitor, &plan, &req, &component_urn).await?;

    let mut state = PropertyMap::new();
    let mut state_dependencies = HashMap::new();
    for (name, expr) in &plan.outputs {
        let r = resolve(expr, &registered, req.dry_run);
        // Secret by definition, or because the program asked (`additionalSecretOutputs`).
        let secret = def.outputs.iter().any(|o| o.name == name && o.secret)
            || req.additional_secret_outputs.contains(name);
        let value = if secret && !matches!(r.value, Value::Secret(_)) {
            Value::Secret(Box::new(r.value))
        } else {
            r.value
        };
        state.insert(name.clone(), value);
        state_dependencies.insert(
            name.clone(),
            construct_response::PropertyDependencies {
                urns: r.dependencies.into_iter().collect(),
            },
        );
    }
    monitor
        .register_outputs(&req.name, def.token, &component_urn, &state)
        .await?;
    Ok(ConstructResponse {
        urn: component_urn,
        state: Some(encode_struct(&state, EncodeOptions::PLAIN)),
        state_dependencies,
    })
}

/// The component's resource hooks, as a registration carries them.
fn hooks(
    h: &pulumirpc::construct_request::ResourceHooksBinding,
) -> register_resource_request::ResourceHooksBinding {
    register_resource_request::ResourceHooksBinding {
        before_create: h.before_create.clone(),
        after_create: h.after_create.clone(),
        before_update: h.before_update.clone(),
        after_update: h.after_update.clone(),
        before_delete: h.before_delete.clone(),
        after_delete: h.after_delete.clone(),
        on_error: h.on_error.clone(),
    }
}

/// Carry `inputDependencies` inside the values as output values, so that one
/// representation flows to the children.
fn attach_input_dependencies(
    inputs: &mut PropertyMap,
    deps: &HashMap<String, pulumirpc::construct_request::PropertyDependencies>,
) {
    for (key, d) in deps {
        let Some(v) = inputs.get_mut(key) else {
            continue;
        };
        if d.urns.is_empty() {
            continue;
        }
        let (plain, taint) = v.unwrap_top();
        let mut dependencies = taint.dependencies;
        for u in &d.urns {
            if !dependencies.contains(u) {
                dependencies.push(u.clone());
            }
        }
        *v = Value::Output(OutputValue {
            value: plain.cloned().map(Box::new),
            secret: taint.secret,
            dependencies,
        });
    }
}

async fn register_children(
    monitor: &Monitor,
    plan: &ComponentPlan,
    req: &ConstructRequest,
    parent: &str,
) -> Result<BTreeMap<String, Registered>, ProtocolError> {
    let mut registered = BTreeMap::new();
    let mut pending: Vec<&ChildResource> = plan.children.iter().collect();
    while !pending.is_empty() {
        let (ready, rest): (Vec<_>, Vec<_>) = pending
            .into_iter()
            .partition(|c| c.prerequisites().iter().all(|p| registered.contains_key(p)));
        if ready.is_empty() {
            let stuck = rest
                .iter()
                .map(|c| c.key.as_str())
                .collect::<Vec<_>>()
                .join(", ");
            return Err(ProtocolError::Failed(format!(
                "internal planning error: children wait on each other or on a missing child: {stuck}"
            )));
        }
        let wave = ready
            .iter()
            .map(|child| register_child(monitor, child, &registered, req, parent));
        for (child, done) in ready
            .iter()
            .zip(futures_util::future::try_join_all(wave).await?)
        {
            registered.insert(child.key.clone(), done);
        }
        pending = rest;
    }
    Ok(registered)
}

async fn register_child(
    monitor: &Monitor,
    child: &ChildResource,
    registered: &BTreeMap<String, Registered>,
    req: &ConstructRequest,
    parent: &str,
) -> Result<Registered, ProtocolError> {
    let mut object = PropertyMap::new();
    let mut property_dependencies = HashMap::new();
    let mut dependencies = BTreeSet::new();
    for (key, expr) in &child.inputs {
        let r = resolve(expr, registered, req.dry_run);
        if r.value.is_null() {
            // Never send what nobody set: provider defaults differ from null.
            continue;
        }
        dependencies.extend(r.dependencies.iter().cloned());
        property_dependencies.insert(
            key.clone(),
            register_resource_request::PropertyDependencies {
                urns: r.dependencies.into_iter().collect(),
            },
        );
        object.insert(key.clone(), r.value);
    }
    for key in &child.depends_on {
        if let Some(r) = registered.get(key) {
            dependencies.insert(r.urn.clone());
        }
    }
    let resp = monitor
        .register(RegisterResourceRequest {
            r#type: child.type_token.clone(),
            name: child.name.clone(),
            parent: parent.to_string(),
            custom: true,
            object: Some(encode_struct(&object, monitor.encode())),
            // Children inherit protection from their component, as in the SDKs.
            protect: req.protect,
            dependencies: dependencies.into_iter().collect(),
            property_dependencies,
            provider: req
                .providers
                .get(child.package())
                .cloned()
                .unwrap_or_default(),
            version: child.version.clone().unwrap_or_default(),
            additional_secret_outputs: child.additional_secret_outputs.clone(),
            ignore_changes: child.ignore_changes.clone(),
            // The component's timeouts are meant for what it creates.
            custom_timeouts: req.custom_timeouts.as_ref().map(|t| {
                register_resource_request::CustomTimeouts {
                    create: t.create.clone(),
                    update: t.update.clone(),
                    delete: t.delete.clone(),
                }
            }),
            parent_stack_trace_handle: req.stack_trace_handle.clone(),
            accept_secrets: true,
            accept_resources: true,
            supports_partial_values: true,
            ..Default::default()
        })
        .await?;
    let id = if resp.id.is_empty() && req.dry_run {
        Value::unknown()
    } else {
        Value::String(resp.id)
    };
    Ok(Registered {
        urn: resp.urn,
        id,
        outputs: decode_struct(resp.object.as_ref())?,
    })
}
