//! Construct: validate a component's inputs, register the component and its
//! children with the engine's resource monitor, and return its outputs.
//!
//! The planner decides *what* to register; this module is the dumb loop that
//! registers it. Each child is registered as soon as the children it reads
//! from (or names in its options) are, so independent chains — a
//! certificate's validation, a VPC, a service waiting for steady state —
//! proceed side by side.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::future::Future;
use std::path::PathBuf;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use futures_util::stream::{FuturesUnordered, StreamExt};
use launchpad_core::log::{EngineLog, Severity};
use launchpad_core::options::{ChildAlias, ComponentOptions, CustomTimeouts, Reference};
use launchpad_core::plan::{ChildResource, Registered, resolve};
use launchpad_core::schema::PropertyDef;
use launchpad_core::value::{ResourceReference, UnknownKind, join_path};
use launchpad_core::{Component, ConstructContext, InputError, PropertyMap, Value};
use pulumi_gestalt_proto::pulumi::pulumirpc::{
    self, ConstructRequest, ConstructResponse, RegisterResourceOutputsRequest,
    RegisterResourceRequest, ResourceInvokeRequest, SupportsFeatureRequest, alias,
    construct_response, register_resource_request, resource_monitor_client::ResourceMonitorClient,
};
use tonic::transport::Channel;

use crate::codec::{EncodeOptions, decode_struct, encode_struct};
use crate::error::ProtocolError;

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
        let channel = Channel::from_shared(crate::engine::engine_uri(endpoint))
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
        let request = RegisterResourceOutputsRequest {
            urn: urn.to_string(),
            outputs: Some(encode_struct(outputs, EncodeOptions::PLAIN)),
        };
        let mut client = self.client.clone();
        boxed_call(async move { client.register_resource_outputs(request).await })
            .await
            .map(|_| ())
            .map_err(register_error(name, token))
    }

    /// The outputs of the component at `urn`, as the engine recorded them
    /// in this deployment (the `getResource` builtin the SDKs use to
    /// hydrate a resource reference).
    async fn component_outputs(&self, urn: &str) -> Result<PropertyMap, String> {
        let args = PropertyMap::from([("urn".to_string(), Value::string(urn))]);
        let request = ResourceInvokeRequest {
            tok: GET_RESOURCE.to_string(),
            args: Some(encode_struct(&args, EncodeOptions::PLAIN)),
            accept_resources: true,
            ..Default::default()
        };
        let mut client = self.client.clone();
        let answer = boxed_call(async move { client.invoke(request).await })
            .await
            .map_err(|s| s.message().to_string())?
            .into_inner();
        if let Some(f) = answer.failures.first() {
            return Err(format!("{}: {}", f.property, f.reason));
        }
        let fields = decode_struct(answer.r#return.as_ref()).map_err(|e| e.to_string())?;
        // Only the wrapper around `state` goes: an output the component keeps
        // secret (`additionalSecretOutputs`) stays secret in what reads it.
        let Some((Some(Value::Object(outputs)), taint)) =
            fields.get("state").map(Value::unwrap_top)
        else {
            return Err("the engine's answer has no `state`".to_string());
        };
        Ok(outputs
            .iter()
            .map(|(k, v)| (k.clone(), v.clone().secret_if(taint.secret)))
            .collect())
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
        let mut client = self.client.clone();
        boxed_call(async move { client.register_resource(req).await })
            .await
            .map(|r| r.into_inner())
            .map_err(refused)
    }
}

/// A call to the monitor, its future on the heap for as long as the call
/// lasts. A tonic call's future is large (kilobytes: the channel, the
/// request, the encoder and the pending response), and a Construct awaits
/// one for its own registration, one per child in flight and one per
/// `RegisterResourceOutputs`. Inline, each such size would be reserved in
/// every Construct's future, and in the `FuturesUnordered` of its children
/// (whose stub task is as large as one of them), for the Construct's whole
/// life; with hundreds of Constructs in flight that reservation was most of
/// the plugin's memory.
fn boxed_call<T>(
    call: impl Future<Output = Result<T, tonic::Status>> + Send + 'static,
) -> Pin<Box<dyn Future<Output = Result<T, tonic::Status>> + Send>> {
    Box::pin(call)
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

/// The engine's builtin function that returns a registered resource's state.
const GET_RESOURCE: &str = "pulumi:pulumi:getResource";

/// Call `visit` with every component reference in `value` (a resource
/// reference without an ID) and the property path it sits at.
fn each_component_reference(
    value: &mut Value,
    path: &str,
    visit: &mut impl FnMut(&str, &mut ResourceReference),
) {
    match value {
        Value::ResourceReference(r) if r.id.is_none() => visit(path, r),
        Value::Secret(inner) => each_component_reference(inner, path, visit),
        Value::Output(o) => {
            if let Some(inner) = &mut o.value {
                each_component_reference(inner, path, visit);
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter_mut().enumerate() {
                each_component_reference(item, &format!("{path}[{i}]"), visit);
            }
        }
        Value::Object(map) => {
            for (k, v) in map.iter_mut() {
                each_component_reference(v, &join_path(path, k), visit);
            }
        }
        _ => {}
    }
}

/// A component passed as an input reaches Construct as its URN alone: read
/// each one's outputs from the engine (each URN once, all at the same
/// time), so that the planner sees them. Only inputs whose type may hold a
/// resource are looked at: a reference anywhere else is a wrong type, which
/// the planner's decoding reports. Nothing to do, and no connection made,
/// when those inputs hold no component.
async fn hydrate_component_references(
    defs: &[PropertyDef],
    inputs: &mut PropertyMap,
    monitors: &Monitors,
    endpoint: &str,
) -> Result<(), ProtocolError> {
    let may_hold_resource = |key: &str| defs.iter().any(|d| d.name == key && d.ty.holds_resource());
    // Each URN not read yet, with the first path it sits at (for the error).
    let mut unread: BTreeMap<String, String> = BTreeMap::new();
    for (key, value) in inputs.iter_mut().filter(|(k, _)| may_hold_resource(k)) {
        each_component_reference(value, key, &mut |path, r| {
            if r.outputs.is_none() {
                unread
                    .entry(r.urn.clone())
                    .or_insert_with(|| path.to_string());
            }
        });
    }
    if unread.is_empty() {
        return Ok(());
    }
    let monitor = monitors.get(endpoint).await?;
    let reads = unread.into_iter().map(|(urn, path)| {
        let monitor = monitor.clone();
        async move {
            match monitor.component_outputs(&urn).await {
                Ok(outputs) => Ok((urn, outputs)),
                Err(reason) => Err(crate::errors::outputs_unreadable(&path, &urn, reason)),
            }
        }
    });
    let outputs: HashMap<String, PropertyMap> = futures_util::future::try_join_all(reads)
        .await?
        .into_iter()
        .collect();
    for (key, value) in inputs.iter_mut().filter(|(k, _)| may_hold_resource(k)) {
        each_component_reference(value, key, &mut |_, r| {
            if let Some(o) = outputs.get(&r.urn) {
                r.outputs = Some(o.clone());
            }
        });
    }
    Ok(())
}

/// What Construct needs from the provider beyond the request.
#[derive(Clone)]
pub struct ConstructEnv {
    /// The program's directory. The engine starts a plugin in the program's
    /// working directory (the handshake's `programDirectory` is the plugin
    /// binary's folder), so this is the provider's working directory.
    pub program_directory: Option<PathBuf>,
    /// Where warnings for the user go.
    pub log: Arc<dyn EngineLog>,
    /// Connections to resource monitors, shared by every Construct.
    pub monitors: Arc<Monitors>,
}

/// One connection per resource-monitor endpoint, reused by every Construct
/// of a deployment (a program with a hundred components would otherwise
/// open a hundred connections and ask a hundred times what it supports).
#[derive(Default)]
pub struct Monitors(tokio::sync::Mutex<HashMap<String, Monitor>>);

impl Monitors {
    /// The connection to `endpoint`, made on first use.
    pub async fn get(&self, endpoint: &str) -> Result<Monitor, ProtocolError> {
        let mut known = self.0.lock().await;
        if let Some(m) = known.get(endpoint) {
            return Ok(m.clone());
        }
        let m = Monitor::connect(endpoint).await?;
        known.insert(endpoint.to_string(), m.clone());
        Ok(m)
    }
}

/// Run Construct for `component`.
pub async fn construct(
    component: &dyn Component,
    req: ConstructRequest,
    env: &ConstructEnv,
) -> Result<ConstructResponse, ProtocolError> {
    let def = component.definition();
    let mut inputs = decode_struct(req.inputs.as_ref())?;
    attach_input_dependencies(&mut inputs, &req.input_dependencies);
    hydrate_component_references(
        def.inputs,
        &mut inputs,
        &env.monitors,
        &req.monitor_endpoint,
    )
    .await?;
    let ctx = ConstructContext {
        name: req.name.clone(),
        project: req.project.clone(),
        stack: req.stack.clone(),
        organization: req.organization.clone(),
        parent: req.parent.clone(),
        dry_run: req.dry_run,
        config: req.config.clone().into_iter().collect(),
        secret_config_keys: req.config_secret_keys.iter().cloned().collect(),
        program_directory: env.program_directory.clone(),
        options: component_options(&req)?,
    };
    // Validate before registering anything: bad input fails with nothing half-made.
    let mut plan = component.plan(&ctx, &inputs)?;
    plan.validate()?;
    plan.declare_feeds(def.inputs);
    plan.apply_component_options(&ctx.options);
    // Nothing below reads them, and a Construct is in flight as long as the
    // engine takes to answer its children: hold only what it still needs.
    drop(inputs);
    plan.input_targets = BTreeMap::new();
    tracing::debug!(token = def.token, name = %req.name, children = plan.children.len(), "construct");

    let monitor = env.monitors.get(&req.monitor_endpoint).await?;
    let component_urn = monitor
        .register(RegisterResourceRequest {
            r#type: def.token.to_string(),
            name: req.name.clone(),
            parent: req.parent.clone(),
            custom: false,
            object: Some(prost_types::Struct::default()),
            // The component's own registration carries every option it was
            // given, so the engine records them as it would for a component
            // written in TypeScript.
            protect: req.protect,
            dependencies: req.dependencies.clone(),
            providers: req.providers.clone(),
            aliases: req.aliases.clone(),
            alias_specs: true,
            retain_on_delete: req.retain_on_delete,
            deleted_with: req.deleted_with.clone(),
            delete_before_replace: req.delete_before_replace.unwrap_or(false),
            delete_before_replace_defined: req.delete_before_replace.is_some(),
            ignore_changes: req.ignore_changes.clone(),
            replace_on_changes: req.replace_on_changes.clone(),
            replace_with: req.replace_with.clone(),
            custom_timeouts: req.custom_timeouts.as_ref().map(|t| {
                register_resource_request::CustomTimeouts {
                    create: t.create.clone(),
                    update: t.update.clone(),
                    delete: t.delete.clone(),
                }
            }),
            hooks: req.resource_hooks.as_ref().map(hooks),
            parent_stack_trace_handle: req.stack_trace_handle.clone(),
            accept_secrets: true,
            accept_resources: true,
            ..Default::default()
        })
        .await?
        .urn;
    for warning in &plan.warnings {
        env.log
            .log(Severity::Warning, &component_urn, warning, false);
    }

    let children = std::mem::take(&mut plan.children);
    let (registered, children) =
        register_children(&monitor, children, &ctx, &req, &component_urn).await?;

    let mut state = PropertyMap::new();
    let mut state_dependencies = HashMap::new();
    for (name, expr) in &plan.outputs {
        let r = resolve(expr, &registered, req.dry_run).map_err(|e| ProtocolError::Expr {
            child: def.token.to_string(),
            property: name.clone(),
            message: e.0,
        })?;
        // Secret by definition, or because the program asked (`additionalSecretOutputs`).
        let secret = def.outputs.iter().any(|o| o.name == name && o.secret)
            || req.additional_secret_outputs.contains(name);
        state.insert(name.clone(), r.value.secret_if(secret));
        state_dependencies.insert(
            name.clone(),
            construct_response::PropertyDependencies {
                urns: r.dependencies.into_iter().collect(),
            },
        );
    }
    // Component children are complete once everything is registered.
    for child in children.iter().filter(|c| !c.custom) {
        if let Some(r) = registered.get(&child.key) {
            monitor
                .register_outputs(&child.name, &child.type_token, &r.urn, &PropertyMap::new())
                .await?;
        }
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

/// The options the program gave the component, typed.
fn component_options(req: &ConstructRequest) -> Result<ComponentOptions, InputError> {
    let timeouts = match &req.custom_timeouts {
        None => CustomTimeouts::default(),
        Some(t) => CustomTimeouts {
            create: duration("customTimeouts.create", &t.create)?,
            update: duration("customTimeouts.update", &t.update)?,
            delete: duration("customTimeouts.delete", &t.delete)?,
        },
    };
    Ok(ComponentOptions {
        protect: req.protect,
        retain_on_delete: req.retain_on_delete,
        delete_before_replace: req.delete_before_replace,
        deleted_with: Some(req.deleted_with.clone()).filter(|d| !d.is_empty()),
        dependencies: req.dependencies.clone(),
        custom_timeouts: timeouts,
        providers: req
            .providers
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect(),
        ignore_changes: req.ignore_changes.clone(),
        replace_on_changes: req.replace_on_changes.clone(),
    })
}

/// A Go duration as the engine writes `customTimeouts` ("1h30m", "90s",
/// "500ms"); empty means none.
fn duration(option: &str, text: &str) -> Result<Option<Duration>, InputError> {
    if text.is_empty() {
        return Ok(None);
    }
    let bad = || crate::errors::not_a_duration(option, format!("{text:?}"));
    let mut rest = text;
    let mut total = 0f64;
    while !rest.is_empty() {
        let digits = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .ok_or_else(bad)?;
        let number: f64 = rest[..digits].parse().map_err(|_| bad())?;
        rest = &rest[digits..];
        let unit_len = rest
            .find(|c: char| c.is_ascii_digit() || c == '.')
            .unwrap_or(rest.len());
        let seconds = match &rest[..unit_len] {
            "ns" => 1e-9,
            "us" | "µs" => 1e-6,
            "ms" => 1e-3,
            "s" => 1.0,
            "m" => 60.0,
            "h" => 3600.0,
            _ => return Err(bad()),
        };
        total += number * seconds;
        rest = &rest[unit_len..];
    }
    Ok(Some(Duration::from_secs_f64(total)))
}

/// A duration as the engine reads it back.
pub(crate) fn go_duration(d: Option<Duration>) -> String {
    match d {
        None => String::new(),
        Some(d) if d.subsec_nanos() == 0 => format!("{}s", d.as_secs()),
        Some(d) => format!("{}ms", d.as_millis()),
    }
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
        *v = v.depending_on(&d.urns, false);
    }
}

/// Register every child as soon as its prerequisites are registered. Each
/// child's inputs are dropped once its request is built: a Construct waits
/// for the engine as long as its slowest child, and holding every child's
/// inputs until then was most of what it held (the children come back
/// without them, for what is done after).
async fn register_children(
    monitor: &Monitor,
    children: Vec<ChildResource>,
    ctx: &ConstructContext,
    req: &ConstructRequest,
    component_urn: &str,
) -> Result<(BTreeMap<String, Registered>, Vec<ChildResource>), ProtocolError> {
    let mut registered = BTreeMap::new();
    let mut waiting = children;
    let mut sent = Vec::with_capacity(waiting.len());
    let mut in_flight = FuturesUnordered::new();
    loop {
        let (ready, rest): (Vec<_>, Vec<_>) = waiting
            .into_iter()
            .partition(|c| c.prerequisites().iter().all(|p| registered.contains_key(p)));
        waiting = rest;
        for mut child in ready {
            // Build the request now (it reads what is registered), send it concurrently.
            let request = child_request(monitor, &child, &registered, ctx, req, component_urn)?;
            in_flight.push(register_child(
                monitor,
                child.key.clone(),
                request,
                req.dry_run,
            ));
            child.inputs = BTreeMap::new();
            sent.push(child);
        }
        match in_flight.next().await {
            Some(done) => {
                let (key, r) = done?;
                registered.insert(key, r);
            }
            // `validate` refused plans whose children wait on each other.
            None => break,
        }
    }
    Ok((registered, sent))
}

/// The registration of `child`, its inputs resolved against what is registered.
fn child_request(
    monitor: &Monitor,
    child: &ChildResource,
    registered: &BTreeMap<String, Registered>,
    ctx: &ConstructContext,
    req: &ConstructRequest,
    component_urn: &str,
) -> Result<RegisterResourceRequest, ProtocolError> {
    let mut object = PropertyMap::new();
    let mut property_dependencies = HashMap::new();
    let mut dependencies = BTreeSet::new();
    for (key, expr) in &child.inputs {
        let r = resolve(expr, registered, req.dry_run).map_err(|e| ProtocolError::Expr {
            child: child.key.clone(),
            property: key.clone(),
            message: e.0,
        })?;
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
    let urn = |key: &String| registered.get(key).map(|r| r.urn.clone());
    dependencies.extend(child.options.depends_on.iter().filter_map(urn));
    let options = child.options.effective(&ctx.options, child.package());
    // `dependsOn` on the component: nothing it creates starts before those.
    dependencies.extend(options.dependencies.iter().cloned());
    let reference = |r: &Reference, as_provider: bool| match r {
        Reference::Engine(s) => s.clone(),
        Reference::Child(key) => match registered.get(key) {
            Some(p) if as_provider => format!("{}::{}", p.urn, provider_id(&p.id)),
            Some(p) => p.urn.clone(),
            None => String::new(),
        },
    };
    let timeouts = &options.custom_timeouts;
    Ok(RegisterResourceRequest {
        r#type: child.type_token.clone(),
        name: child.name.clone(),
        parent: match &child.options.parent {
            Some(key) => urn(key).unwrap_or_else(|| component_urn.to_string()),
            None => component_urn.to_string(),
        },
        custom: child.custom,
        object: Some(encode_struct(&object, monitor.encode())),
        protect: options.protect,
        retain_on_delete: options.retain_on_delete,
        delete_before_replace: options.delete_before_replace.unwrap_or(false),
        delete_before_replace_defined: options.delete_before_replace.is_some(),
        deleted_with: options
            .deleted_with
            .as_ref()
            .map(|r| reference(r, false))
            .unwrap_or_default(),
        dependencies: dependencies.into_iter().collect(),
        property_dependencies,
        provider: match &options.provider {
            Some(r) if child.custom && !child.is_provider() => reference(r, true),
            _ => String::new(),
        },
        // A component child passes the program's providers on to its children.
        providers: if child.custom {
            HashMap::new()
        } else {
            req.providers.clone()
        },
        version: child.options.version.clone().unwrap_or_default(),
        additional_secret_outputs: child.options.additional_secret_outputs.clone(),
        ignore_changes: child.options.ignore_changes.clone(),
        replace_on_changes: child.options.replace_on_changes.clone(),
        aliases: child.options.aliases.iter().map(alias_spec).collect(),
        alias_specs: true,
        custom_timeouts: (!timeouts.is_empty()).then(|| {
            register_resource_request::CustomTimeouts {
                create: go_duration(timeouts.create),
                update: go_duration(timeouts.update),
                delete: go_duration(timeouts.delete),
            }
        }),
        parent_stack_trace_handle: req.stack_trace_handle.clone(),
        accept_secrets: true,
        accept_resources: true,
        supports_partial_values: true,
        ..Default::default()
    })
}

/// A provider child's ID in a provider reference: unknown during preview.
fn provider_id(id: &Value) -> String {
    match id {
        Value::String(s) if !s.is_empty() => s.clone(),
        _ => UnknownKind::String.sentinel().to_string(),
    }
}

/// An earlier name or type of a child, under its current parent.
fn alias_spec(a: &ChildAlias) -> pulumirpc::Alias {
    pulumirpc::Alias {
        alias: Some(alias::Alias::Spec(alias::Spec {
            name: a.name.clone().unwrap_or_default(),
            r#type: a.type_token.clone().unwrap_or_default(),
            stack: String::new(),
            project: String::new(),
            parent: None,
        })),
    }
}

async fn register_child(
    monitor: &Monitor,
    key: String,
    request: RegisterResourceRequest,
    dry_run: bool,
) -> Result<(String, Registered), ProtocolError> {
    let resp = monitor.register(request).await?;
    let id = if resp.id.is_empty() && dry_run {
        Value::unknown()
    } else {
        Value::String(resp.id)
    };
    Ok((
        key,
        Registered {
            urn: resp.urn,
            id,
            outputs: decode_struct(resp.object.as_ref())?,
        },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn go_durations_parse_as_the_engine_writes_them() {
        let d = |s: &str| duration("customTimeouts.create", s);
        assert_eq!(d(""), Ok(None));
        assert_eq!(d("7m"), Ok(Some(Duration::from_secs(420))));
        assert_eq!(d("1h30m"), Ok(Some(Duration::from_secs(5400))));
        assert_eq!(d("1.5s"), Ok(Some(Duration::from_millis(1500))));
        assert_eq!(d("250ms"), Ok(Some(Duration::from_millis(250))));
        let e = d("7 minutes").expect_err("refused");
        assert_eq!(e.property, "customTimeouts.create");
        assert!(e.message.contains("\"30m\""), "{}", e.message);
        assert_eq!(go_duration(Some(Duration::from_secs(420))), "420s");
        assert_eq!(go_duration(Some(Duration::from_millis(1500))), "1500ms");
    }
}
