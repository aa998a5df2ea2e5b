//! The native resources behind `NeonDatabase`: `launchpad:index:NeonProject`
//! (a new project, its default branch, endpoint, role and database) and
//! `launchpad:index:NeonBranch` (a branch of an existing project with its
//! own read-write endpoint, role and database). Each is one resource in the
//! engine's state, whose ID is the project's ID or `<projectId>/<branchId>`,
//! so `pulumi import` takes what the Neon console shows.
//!
//! What each lifecycle call does:
//! - **Check** validates with the same rules as the component and fills in
//!   the defaults, so a diff never flips between "unset" and "default".
//! - **Diff** replaces only what Neon cannot change in place: a project's
//!   region and Postgres version, a branch's project and parent; and a
//!   branch whose recorded expiry has passed while the program still gives
//!   it one, which Neon has deleted or is about to (the old one goes first:
//!   the new one takes its name). Another organization is an update: Neon's
//!   transfer moves the project, data and credentials alike.
//! - **Create** adopts what Neon makes with the project (the default
//!   branch, its endpoint, and the role and database asked for in the same
//!   call) and creates only what is missing; a branch copies its parent's
//!   roles and databases, which are adopted the same way. Once the project or
//!   branch exists, any later failure (or Cancel) returns it as partial
//!   state, so the next `up` finishes the job instead of orphaning it.
//! - **Update** changes names, compute limits and scale-to-zero in place;
//!   a new database name renames the database (its data stays); a new
//!   organization transfers the project (one never recorded is read first).
//! - **Read** reports the live settings as inputs (drift, import); a project
//!   or branch that is gone (404: deleted, or expired) is dropped from the state.
//! - **Delete** removes the project or branch; 404 means already gone. A
//!   branch whose expiry Neon now has later than the state records (kept
//!   longer in the console or by `neon branches set-expiration`) is not
//!   deleted: a refresh shows it first.
//!
//! A branch's expiry is `expiresAt` (a time) or `expiresIn` (a time to
//! live, made a time once, at create, and kept in the `expiresAt` output so
//! later diffs show no change). Both are checked against Neon's rules at
//! Check and again when they are sent: in the future, at most 30 days away.
//!
//! Preview never builds a client, so it needs no API key and calls nothing.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use launchpad_core::catalogue::Diagnostic;
use launchpad_core::custom::{CheckResult, DiffResult, ResourceContext, ResourceError, State};
use launchpad_core::schema::{PropertyDef, ResourceDef, TypeDef};
use launchpad_core::{ArgsReader, InputError, PropertyMap, Value};
use time::OffsetDateTime;

use crate::api::{ConnectionUriQuery, DatabaseUpdate, Endpoint, EndpointSettings};
use crate::args::{DEFAULT_REGION, NeonArgs};
use crate::client::{NeonClient, NeonError};
use crate::errors;
use crate::retry::Timings;

pub(crate) const PROJECT_ID: PropertyDef =
    PropertyDef::new("projectId", TypeDef::String, "The project's ID.").required();
pub(crate) const BRANCH_ID: PropertyDef =
    PropertyDef::new("branchId", TypeDef::String, "The branch's ID.").required();
pub(crate) const ENDPOINT_ID: PropertyDef = PropertyDef::new(
    "endpointId",
    TypeDef::String,
    "The branch's read-write compute endpoint.",
)
.required();
pub(crate) const HOST: PropertyDef =
    PropertyDef::new("host", TypeDef::String, "The endpoint's host name.").required();
pub(crate) const POOLED_HOST: PropertyDef = PropertyDef::new(
    "pooledHost",
    TypeDef::String,
    "The host name of Neon's connection pooler (PgBouncer) for the endpoint.",
)
.required();
pub(crate) const CONNECTION_URI: PropertyDef = PropertyDef::new(
    "connectionUri",
    TypeDef::String,
    "`postgresql://role:password@host/database?sslmode=require&channel_binding=require`, exactly as Neon returns it: for migrations and sessions. Secret.",
)
.secret();
pub(crate) const ORG_ID: PropertyDef = PropertyDef::new(
    "orgId",
    TypeDef::String,
    "The organization the project belongs to, as Neon reports it.",
);
pub(crate) const EXPIRES_AT: PropertyDef = PropertyDef::new(
    "expiresAt",
    TypeDef::String,
    "When Neon deletes the branch (RFC 3339, UTC): `expiresAt` as Neon keeps it, or the time `expiresIn` was made into when the branch was created. Absent when the branch does not expire.",
);
pub(crate) const POOLED_CONNECTION_URI: PropertyDef = PropertyDef::new(
    "pooledConnectionUri",
    TypeDef::String,
    "The same through the pooler: for serverless functions and many short connections. Secret.",
)
.secret();

/// The outputs both resources compute (besides their inputs).
macro_rules! computed_outputs {
    ($($extra:expr),*) => {
        &[
            BRANCH_ID,
            ENDPOINT_ID,
            HOST,
            POOLED_HOST,
            CONNECTION_URI,
            POOLED_CONNECTION_URI,
            $($extra),*
        ]
    };
}
pub(crate) use computed_outputs;

/// How long a create, update, read or delete may take when the resource's
/// `customTimeouts` say nothing: Neon's operations take seconds, so this
/// only ends a wait for an operation that never finishes.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(20 * 60);

/// `ctx` with [`DEFAULT_TIMEOUT`] unless the request has a deadline.
pub(crate) fn bounded(ctx: &ResourceContext) -> ResourceContext {
    ctx.clone().or_timeout(DEFAULT_TIMEOUT)
}

/// One Neon client per provider process and configuration, so that every
/// resource shares its rate limit. Built on the first call that needs one.
#[derive(Default)]
pub struct Clients {
    current: Mutex<Option<(PropertyMap, Arc<NeonClient>)>>,
    timings: Option<Timings>,
}

impl Clients {
    /// Clients with other timings (tests).
    pub fn with_timings(timings: Timings) -> Clients {
        Clients {
            current: Mutex::default(),
            timings: Some(timings),
        }
    }

    pub(crate) fn get(&self, config: &PropertyMap) -> Result<Arc<NeonClient>, NeonError> {
        let mut current = self.current.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((seen, client)) = current.as_ref()
            && seen == config
        {
            return Ok(client.clone());
        }
        let mut client = NeonClient::from_config(config)?;
        if let Some(t) = self.timings {
            client = client.with_timings(t);
        }
        let client = Arc::new(client);
        *current = Some((config.clone(), client.clone()));
        Ok(client)
    }
}

/// The settings every mode shares, known (Check has run).
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Want {
    pub(crate) name: String,
    pub(crate) min_cu: f64,
    pub(crate) max_cu: f64,
    pub(crate) suspend: i64,
    pub(crate) database: String,
    pub(crate) role: String,
}

impl Want {
    pub(crate) fn of(args: &NeonArgs) -> Want {
        Want {
            name: args
                .name
                .as_ref()
                .map(|n| n.value.clone())
                .unwrap_or_default(),
            min_cu: *args.compute.min_cu,
            max_cu: **args.compute.max_cu_or_min(),
            suspend: *args.compute.suspend_timeout_seconds as i64,
            database: args.compute.database_name.value.clone(),
            role: args.compute.role_name.value.clone(),
        }
    }

    /// Endpoint settings to send: `suspend` 0 (the plan's default) is left
    /// out of a create, sent on an update that goes back to it.
    pub(crate) fn settings(&self, on_create: bool) -> EndpointSettings {
        EndpointSettings {
            autoscaling_limit_min_cu: Some(self.min_cu),
            autoscaling_limit_max_cu: Some(self.max_cu),
            suspend_timeout_seconds: (!on_create || self.suspend != 0).then_some(self.suspend),
        }
    }

    pub(crate) fn compute_differs(&self, other: &Want) -> bool {
        (self.min_cu, self.max_cu, self.suspend) != (other.min_cu, other.max_cu, other.suspend)
    }

    pub(crate) fn endpoint_differs(&self, e: &Endpoint) -> bool {
        e.autoscaling_limit_min_cu != self.min_cu
            || e.autoscaling_limit_max_cu != self.max_cu
            || (self.suspend != 0 && e.suspend_timeout_seconds != Some(self.suspend))
    }
}

pub(crate) fn text(map: &PropertyMap, key: &str) -> Option<String> {
    match map.get(key).map(Value::unwrap_top) {
        Some((Some(Value::String(s)), _)) => Some(s.clone()),
        _ => None,
    }
}

/// A failure with nothing to record: always a catalogue entry.
pub(crate) fn failed(d: Diagnostic) -> ResourceError {
    ResourceError::Failed(d.into())
}

/// Check for both resources: this resource's keys only (`def`), its rules
/// (`decode`; an expiry against the clock at `now`), then the defaults
/// filled in. Inputs not known yet (preview) are checked once they are.
pub(crate) fn check(
    def: &'static ResourceDef,
    decode: fn(&PropertyMap) -> Result<NeonArgs, InputError>,
    news: PropertyMap,
    now: OffsetDateTime,
) -> CheckResult {
    let defs = def.inputs;
    let refusal = |e: InputError| CheckResult {
        inputs: news.clone(),
        failures: vec![e],
    };
    if let Err(e) = ArgsReader::new(defs, &news).and_then(|r| {
        for required in defs.iter().filter(|d| d.required) {
            r.raw(required.name)?;
        }
        Ok(())
    }) {
        return refusal(e);
    }
    // Defaults first, so a diff never flips between unset and default,
    // even while some input is not known yet (preview).
    let mut inputs = news.clone();
    inputs.retain(|_, v| !v.is_null());
    if let Ok(r) = ArgsReader::new(defs, &news) {
        for d in defs {
            if let (false, Ok(Some(v))) = (inputs.contains_key(d.name), r.passthrough(d.name)) {
                inputs.insert(d.name.to_string(), v);
            }
        }
    }
    if defs.iter().any(|d| d.name == "region") && !inputs.contains_key("region") {
        inputs.insert("region".into(), Value::string(DEFAULT_REGION));
    }
    if let (None, Some(min)) = (inputs.get("maxCu"), inputs.get("minCu").cloned()) {
        inputs.insert("maxCu".into(), min);
    }
    if has_unknown(&inputs) {
        // Validated once known.
        return CheckResult {
            inputs,
            failures: vec![],
        };
    }
    match decode(&inputs).and_then(|a| a.check_expiry_window(now)) {
        Ok(()) => CheckResult {
            inputs,
            failures: vec![],
        },
        Err(e) => refusal(e),
    }
}

/// Whether any input is not known yet (preview).
pub(crate) fn has_unknown(inputs: &PropertyMap) -> bool {
    inputs.values().any(Value::is_unknown)
}

/// Where the database lives, once it exists.
pub(crate) struct Place<'a> {
    pub(crate) project_id: &'a str,
    pub(crate) branch_id: &'a str,
}

impl Place<'_> {
    pub(crate) fn query(&self, want: &Want, pooled: bool) -> ConnectionUriQuery {
        ConnectionUriQuery {
            project_id: self.project_id.to_string(),
            branch_id: Some(self.branch_id.to_string()),
            database_name: want.database.clone(),
            role_name: want.role.clone(),
            pooled,
        }
    }
}

/// `ep-x-1.us-east-2.aws.neon.tech` → `ep-x-1-pooler.us-east-2.aws.neon.tech`.
pub(crate) fn pooled_host(host: &str) -> String {
    match host.split_once('.') {
        Some((first, rest)) => format!("{first}-pooler.{rest}"),
        None => format!("{host}-pooler"),
    }
}

/// The branch's read-write endpoint, among `known` or listed.
pub(crate) async fn read_write_endpoint(
    client: &NeonClient,
    ctx: &ResourceContext,
    place: &Place<'_>,
    known: Vec<Endpoint>,
) -> Result<Endpoint, ResourceError> {
    let endpoints = if known.iter().any(Endpoint::is_read_write) {
        known
    } else {
        client
            .list_branch_endpoints(ctx, place.project_id, place.branch_id)
            .await?
    };
    endpoints
        .into_iter()
        .find(Endpoint::is_read_write)
        .ok_or_else(|| {
            failed(errors::no_read_write_endpoint(
                place.branch_id,
                place.project_id,
            ))
        })
}

/// Bring the endpoint to `want`'s compute settings when it differs, or
/// when `changed` (the inputs changed, as from a timeout back to the plan's
/// default, which the endpoint cannot show).
pub(crate) async fn settle_endpoint(
    client: &NeonClient,
    ctx: &ResourceContext,
    place: &Place<'_>,
    endpoint: Endpoint,
    want: &Want,
    changed: bool,
) -> Result<Endpoint, ResourceError> {
    if !changed && !want.endpoint_differs(&endpoint) {
        return Ok(endpoint);
    }
    ctx.log.progress(&format!(
        "setting compute {}-{} CU on endpoint {}",
        want.min_cu, want.max_cu, endpoint.id
    ));
    Ok(client
        .update_endpoint(ctx, place.project_id, &endpoint.id, &want.settings(false))
        .await?)
}

/// Make `want`'s role and database exist on the branch, adopting what is
/// there: a missing role is created; a database of the old name
/// (`previous`) is renamed, keeping its data; a database is created only
/// when neither exists. An old role is left alone: it may own objects.
pub(crate) async fn settle_database(
    client: &NeonClient,
    ctx: &ResourceContext,
    place: &Place<'_>,
    want: &Want,
    previous: Option<&str>,
) -> Result<(), ResourceError> {
    let (project, branch) = (place.project_id, place.branch_id);
    let roles = client.list_roles(ctx, project, branch).await?;
    if !roles.iter().any(|r| r.name == want.role) {
        ctx.log.progress(&format!("creating role {}", want.role));
        client.create_role(ctx, project, branch, &want.role).await?;
    }
    let databases = client.list_databases(ctx, project, branch).await?;
    let existing = databases.iter().find(|d| d.name == want.database);
    let renamed = previous.and_then(|old| databases.iter().find(|d| d.name == old));
    let (name, update) = match (existing, renamed) {
        (Some(db), _) if db.owner_name == want.role => return Ok(()),
        (Some(db), _) => (
            &db.name,
            DatabaseUpdate {
                name: None,
                owner_name: Some(want.role.clone()),
            },
        ),
        (None, Some(db)) => (
            &db.name,
            DatabaseUpdate {
                name: Some(want.database.clone()),
                owner_name: (db.owner_name != want.role).then(|| want.role.clone()),
            },
        ),
        (None, None) => {
            ctx.log
                .progress(&format!("creating database {}", want.database));
            client
                .create_database(ctx, project, branch, &want.database, &want.role)
                .await?;
            return Ok(());
        }
    };
    ctx.log.progress(&format!("updating database {name}"));
    client
        .update_database(ctx, project, branch, name, &update)
        .await?;
    Ok(())
}

/// The computed outputs of a database that exists, connection URIs included.
pub(crate) async fn connection_outputs(
    client: &NeonClient,
    ctx: &ResourceContext,
    place: &Place<'_>,
    endpoint: &Endpoint,
    want: &Want,
) -> Result<PropertyMap, ResourceError> {
    let direct = client
        .connection_uri(ctx, &place.query(want, false))
        .await?;
    let pooled = client.connection_uri(ctx, &place.query(want, true)).await?;
    let secret = |s: &str| Value::Secret(Box::new(Value::string(s)));
    let mut outputs = ids(place, Some(endpoint));
    outputs.insert("connectionUri".into(), secret(direct.expose_secret()));
    outputs.insert("pooledConnectionUri".into(), secret(pooled.expose_secret()));
    Ok(outputs)
}

/// The IDs and hosts known so far.
pub(crate) fn ids(place: &Place<'_>, endpoint: Option<&Endpoint>) -> PropertyMap {
    let mut outputs = PropertyMap::from([
        ("projectId".into(), Value::string(place.project_id)),
        ("branchId".into(), Value::string(place.branch_id)),
    ]);
    if let Some(e) = endpoint {
        outputs.insert("endpointId".into(), Value::string(&e.id));
        outputs.insert("host".into(), Value::string(&e.host));
        outputs.insert("pooledHost".into(), Value::string(pooled_host(&e.host)));
    }
    outputs
}

/// Inputs and computed outputs together: what the engine records.
pub(crate) fn with_inputs(inputs: &PropertyMap, computed: PropertyMap) -> PropertyMap {
    let mut outputs = inputs.clone();
    outputs.extend(computed);
    outputs
}

/// Preview of a create: the inputs, every computed output unknown.
pub(crate) fn preview_outputs(def: &ResourceDef, inputs: &PropertyMap) -> PropertyMap {
    let mut outputs = inputs.clone();
    for o in def.outputs {
        if !inputs.contains_key(o.name) {
            outputs.insert(o.name.to_string(), Value::unknown());
        }
    }
    outputs
}

/// Preview of an update: the recorded outputs with the new inputs; the
/// connection URIs unknown when the database or role may change.
pub(crate) fn preview_update(old: &State, news: &PropertyMap) -> PropertyMap {
    let mut outputs = with_inputs(&old.outputs, news.clone());
    let same = |k: &str| {
        let new = news.get(k).map(Value::strip);
        !matches!(new, Some(Value::Unknown(_))) && old.inputs.get(k).map(Value::strip) == new
    };
    if !(same("databaseName") && same("roleName")) {
        for uri in ["connectionUri", "pooledConnectionUri"] {
            outputs.insert(uri.into(), Value::unknown());
        }
    }
    outputs
}

/// After the project or branch exists: what went wrong becomes partial
/// state, so the engine records the ID and the next `up` finishes.
pub(crate) fn partially_created(
    id: String,
    inputs: &PropertyMap,
    so_far: PropertyMap,
    e: ResourceError,
) -> ResourceError {
    ResourceError::PartiallyCreated {
        id,
        outputs: with_inputs(inputs, so_far),
        inputs: inputs.clone(),
        reasons: vec![errors::unfinished(e).into()],
    }
}

/// The database and role a branch holds, as Read reports them: the recorded
/// ones while they exist; on import, the first database and its owner.
pub(crate) async fn live_database(
    client: &NeonClient,
    ctx: &ResourceContext,
    place: &Place<'_>,
    old: &PropertyMap,
) -> Result<Option<(String, String)>, ResourceError> {
    let databases = client
        .list_databases(ctx, place.project_id, place.branch_id)
        .await?;
    Ok(match text(old, "databaseName") {
        Some(recorded) => databases
            .into_iter()
            .find(|d| d.name == recorded)
            .map(|d| (d.name, d.owner_name)),
        None => databases.into_iter().next().map(|d| (d.name, d.owner_name)),
    })
}

/// Read's view of a branch: its endpoint's settings and its database as
/// inputs (on top of `inputs`), and the computed outputs.
pub(crate) async fn read_branch_state(
    client: &NeonClient,
    ctx: &ResourceContext,
    place: &Place<'_>,
    old: &State,
    mut inputs: PropertyMap,
) -> Result<State, ResourceError> {
    let endpoint = read_write_endpoint(client, ctx, place, vec![]).await?;
    inputs.insert(
        "minCu".into(),
        Value::Number(endpoint.autoscaling_limit_min_cu),
    );
    inputs.insert(
        "maxCu".into(),
        Value::Number(endpoint.autoscaling_limit_max_cu),
    );
    inputs.insert(
        "suspendTimeoutSeconds".into(),
        Value::Number(endpoint.suspend_timeout_seconds.unwrap_or(0) as f64),
    );
    let computed = match live_database(client, ctx, place, &old.inputs).await? {
        Some((database, role)) => {
            inputs.insert("databaseName".into(), Value::string(&database));
            inputs.insert("roleName".into(), Value::string(&role));
            let want = Want {
                name: String::new(),
                min_cu: endpoint.autoscaling_limit_min_cu,
                max_cu: endpoint.autoscaling_limit_max_cu,
                suspend: 0,
                database,
                role,
            };
            connection_outputs(client, ctx, place, &endpoint, &want).await?
        }
        // The database is gone: the next `up` sees it missing and creates it.
        None => ids(place, Some(&endpoint)),
    };
    Ok(State {
        outputs: with_inputs(&inputs, computed),
        inputs,
    })
}

/// The changes from the recorded inputs; a change of an input `def` marks
/// `replace_on_changes` replaces the resource.
pub(crate) fn diff(def: &ResourceDef, old: &State, news: &PropertyMap) -> DiffResult {
    DiffResult::between(&old.inputs, news, &def.replace_on_changes())
}

/// The `pulumi import` that adopts `id` as this very resource: its own
/// name, under its own parent. A NeonDatabase's child is `<db>-project` or
/// `<db>-branch` under the component; imported at the root instead, the
/// next `up` would meet the same name again
/// (<https://www.pulumi.com/docs/iac/cli/commands/pulumi_import/>).
pub(crate) fn import_command(ctx: &ResourceContext, token: &str, id: &str) -> String {
    let parent = match parent_of(&ctx.urn) {
        Parent::Root => String::new(),
        Parent::Known(urn) => format!(" --parent {}", shell_word(&format!("parent={urn}"))),
        // Its parent's name is not in the URN; `pulumi stack --show-urns` has it.
        Parent::Named(kind) => format!(
            " --parent 'parent=<URN of the {kind} that is its parent, from pulumi stack --show-urns>'"
        ),
    };
    format!(
        "pulumi import {token} {} {id}{parent} --generate-code=false",
        shell_word(&ctx.name)
    )
}

/// A resource's parent, as its URN tells it.
#[derive(Debug, PartialEq)]
pub(crate) enum Parent {
    /// None but the stack.
    Root,
    /// This URN.
    Known(String),
    /// Of this type, whose name the URN does not carry.
    Named(String),
}

/// The parent of the resource `urn` names. A URN is
/// `urn:pulumi:<stack>::<project>::<parent types$...$type>::<name>`: it
/// carries the parent's type chain (everything before the last `$`) but not
/// its name. A NeonDatabase names its child `<db>-project` or
/// `<db>-branch`, so under one the parent's URN is known whole.
pub(crate) fn parent_of(urn: &str) -> Parent {
    let mut parts = urn.splitn(4, "::");
    let (Some(stack), Some(project), Some(types), Some(name)) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Parent::Root;
    };
    let Some((parent_types, own_type)) = types.rsplit_once('$') else {
        return Parent::Root;
    };
    let parent_type = parent_types.rsplit('$').next().unwrap_or(parent_types);
    // The component names its child `<db>-<key>`.
    let suffix = format!("-{}", crate::child_key(own_type));
    let database = (parent_type == crate::DATABASE_TOKEN)
        .then(|| name.strip_suffix(suffix.as_str()))
        .flatten()
        .filter(|db| !db.is_empty());
    match database {
        Some(db) => Parent::Known(format!("{stack}::{project}::{parent_types}::{db}")),
        None => Parent::Named(parent_type.to_string()),
    }
}

/// `word` as one shell word: as it is when it is plain, else single-quoted.
pub(crate) fn shell_word(word: &str) -> String {
    let plain = !word.is_empty()
        && word
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_.:/=@+,".contains(c));
    if plain {
        word.to_string()
    } else {
        format!("'{}'", word.replace('\'', r"'\''"))
    }
}

/// The part of an update both resources share: compute settings, then the
/// role and database, then the outputs as they now are.
pub(crate) async fn update_branch_database(
    client: &NeonClient,
    ctx: &ResourceContext,
    place: &Place<'_>,
    old_want: &Want,
    want: &Want,
    news: &PropertyMap,
) -> Result<PropertyMap, ResourceError> {
    let endpoint = read_write_endpoint(client, ctx, place, vec![]).await?;
    let endpoint = settle_endpoint(
        client,
        ctx,
        place,
        endpoint,
        want,
        want.compute_differs(old_want),
    )
    .await?;
    settle_database(client, ctx, place, want, Some(&old_want.database)).await?;
    let computed = connection_outputs(client, ctx, place, &endpoint, want).await?;
    Ok(with_inputs(news, computed))
}
