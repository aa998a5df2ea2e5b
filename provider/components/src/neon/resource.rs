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

use launchpad_core::custom::{
    ChangeKind, CheckResult, Created, CustomResource, DiffResult, PropertyChange, ResourceContext,
    ResourceError, State,
};
use launchpad_core::schema::{PropertyDef, ResourceDef, TypeDef};
use launchpad_core::{ArgsReader, InputError, PropertyMap, Value};
use time::OffsetDateTime;

use super::api::{
    Branch, BranchSpec, BranchUpdate, ConnectionUriQuery, DatabaseUpdate, Endpoint,
    EndpointSettings, ProjectBranchSpec, ProjectSpec, ProjectUpdate,
};
use super::args::{
    BRANCH_INPUTS, DEFAULT_REGION, Expiry, INPUTS, KNOWN_PG_VERSIONS, Mode, NeonArgs,
    PROJECT_INPUTS, parse_rfc3339, rfc3339,
};
use super::client::{NeonClient, NeonError, Timings, org_id_from_config};

const PROJECT_ID: PropertyDef =
    PropertyDef::new("projectId", TypeDef::String, "The project's ID.").required();
const BRANCH_ID: PropertyDef =
    PropertyDef::new("branchId", TypeDef::String, "The branch's ID.").required();
const ENDPOINT_ID: PropertyDef = PropertyDef::new(
    "endpointId",
    TypeDef::String,
    "The branch's read-write compute endpoint.",
)
.required();
const HOST: PropertyDef =
    PropertyDef::new("host", TypeDef::String, "The endpoint's host name.").required();
const POOLED_HOST: PropertyDef = PropertyDef::new(
    "pooledHost",
    TypeDef::String,
    "The host name of Neon's connection pooler (PgBouncer) for the endpoint.",
)
.required();
const CONNECTION_URI: PropertyDef = PropertyDef::new(
    "connectionUri",
    TypeDef::String,
    "`postgresql://role:password@host/database?sslmode=require&channel_binding=require`, exactly as Neon returns it: for migrations and sessions. Secret.",
)
.secret();
const ORG_ID: PropertyDef = PropertyDef::new(
    "orgId",
    TypeDef::String,
    "The organization the project belongs to, as Neon reports it.",
);
const EXPIRES_AT: PropertyDef = PropertyDef::new(
    "expiresAt",
    TypeDef::String,
    "When Neon deletes the branch (RFC 3339, UTC): `expiresAt` as Neon keeps it, or the time `expiresIn` was made into when the branch was created. Absent when the branch does not expire.",
);
const POOLED_CONNECTION_URI: PropertyDef = PropertyDef::new(
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

/// `launchpad:index:NeonProject`.
pub static PROJECT: ResourceDef = ResourceDef {
    token: "launchpad:index:NeonProject",
    description: "A new Neon project with its default branch, read-write endpoint, role and database (what `NeonDatabase` creates without `projectId`). Its ID is the project's ID. With a personal API key, Neon needs its organization: `orgId` or the provider config `launchpad:neonOrgId`. Another `orgId` later moves the project by Neon's transfer (same project and connection URIs); `replaceOnChanges: [\"orgId\"]` makes a new one instead.",
    inputs: PROJECT_INPUTS,
    outputs: computed_outputs!(PROJECT_ID, ORG_ID),
};

/// `launchpad:index:NeonBranch`.
pub static BRANCH: ResourceDef = ResourceDef {
    token: "launchpad:index:NeonBranch",
    description: "A branch of an existing Neon project with its own read-write endpoint, role and database (what `NeonDatabase` creates with `projectId`). Its ID is `<projectId>/<branchId>`. With `expiresAt` or `expiresIn` Neon deletes it when its time comes; `pulumi refresh` then drops it from the state, and the next `pulumi up` makes a new one.",
    inputs: BRANCH_INPUTS,
    outputs: computed_outputs!(
        EXPIRES_AT,
        PropertyDef::new(
            "parentBranchId",
            TypeDef::String,
            "The ID of the branch this one was copied from.",
        ),
        PropertyDef::new(
            "parentBranchName",
            TypeDef::String,
            "The name of the branch this one was copied from.",
        )
    ),
};

/// How long a create, update, read or delete may take when the resource's
/// `customTimeouts` say nothing: Neon's operations take seconds, so this
/// only ends a wait for an operation that never finishes.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(20 * 60);

/// `ctx` with [`DEFAULT_TIMEOUT`] unless the request has a deadline.
fn bounded(ctx: &ResourceContext) -> ResourceContext {
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

    fn get(&self, config: &PropertyMap) -> Result<Arc<NeonClient>, NeonError> {
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
struct Want {
    name: String,
    min_cu: f64,
    max_cu: f64,
    suspend: i64,
    database: String,
    role: String,
}

impl Want {
    fn of(args: &NeonArgs) -> Want {
        Want {
            name: args
                .name
                .as_ref()
                .map(|n| n.value.clone())
                .unwrap_or_default(),
            min_cu: *args.min_cu,
            max_cu: *args.max_cu,
            suspend: *args.suspend_timeout_seconds as i64,
            database: args.database_name.value.clone(),
            role: args.role_name.value.clone(),
        }
    }

    /// Endpoint settings to send: `suspend` 0 (the plan's default) is left
    /// out of a create, sent on an update that goes back to it.
    fn settings(&self, on_create: bool) -> EndpointSettings {
        EndpointSettings {
            autoscaling_limit_min_cu: Some(self.min_cu),
            autoscaling_limit_max_cu: Some(self.max_cu),
            suspend_timeout_seconds: (!on_create || self.suspend != 0).then_some(self.suspend),
        }
    }

    fn compute_differs(&self, other: &Want) -> bool {
        (self.min_cu, self.max_cu, self.suspend) != (other.min_cu, other.max_cu, other.suspend)
    }

    fn endpoint_differs(&self, e: &Endpoint) -> bool {
        e.autoscaling_limit_min_cu != self.min_cu
            || e.autoscaling_limit_max_cu != self.max_cu
            || (self.suspend != 0 && e.suspend_timeout_seconds != Some(self.suspend))
    }
}

fn decode(inputs: &PropertyMap) -> Result<NeonArgs, ResourceError> {
    Ok(NeonArgs::decode(inputs)?)
}

fn text(map: &PropertyMap, key: &str) -> Option<String> {
    match map.get(key).map(Value::unwrap_top) {
        Some((Some(Value::String(s)), _)) => Some(s.clone()),
        _ => None,
    }
}

fn failed(message: String) -> ResourceError {
    ResourceError::Failed(message)
}

/// Check for both resources: this resource's keys only, the component's
/// rules (an expiry against the clock at `now`), then the defaults filled
/// in. Inputs not known yet (preview) are checked once they are.
fn check(defs: &'static [PropertyDef], news: PropertyMap, now: OffsetDateTime) -> CheckResult {
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
    match NeonArgs::decode(&inputs).and_then(|a| a.check_expiry_window(now)) {
        Ok(()) => CheckResult {
            inputs,
            failures: vec![],
        },
        Err(e) => refusal(e),
    }
}

/// Whether any input is not known yet (preview).
fn has_unknown(inputs: &PropertyMap) -> bool {
    inputs
        .values()
        .any(|v| matches!(v.strip(), Value::Unknown(_)))
}

/// Where the database lives, once it exists.
struct Place<'a> {
    project_id: &'a str,
    branch_id: &'a str,
}

impl Place<'_> {
    fn query(&self, want: &Want, pooled: bool) -> ConnectionUriQuery {
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
fn pooled_host(host: &str) -> String {
    match host.split_once('.') {
        Some((first, rest)) => format!("{first}-pooler.{rest}"),
        None => format!("{host}-pooler"),
    }
}

/// The branch's read-write endpoint, among `known` or listed.
async fn read_write_endpoint(
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
            failed(format!(
                "branch {} of Neon project {} has no read-write endpoint, so it has no compute; add one in the Neon console or delete the branch",
                place.branch_id, place.project_id
            ))
        })
}

/// Bring the endpoint to `want`'s compute settings when it differs, or
/// when `changed` (the inputs changed, as from a timeout back to the plan's
/// default, which the endpoint cannot show).
async fn settle_endpoint(
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
async fn settle_database(
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
async fn connection_outputs(
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
fn ids(place: &Place<'_>, endpoint: Option<&Endpoint>) -> PropertyMap {
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
fn with_inputs(inputs: &PropertyMap, computed: PropertyMap) -> PropertyMap {
    let mut outputs = inputs.clone();
    outputs.extend(computed);
    outputs
}

/// Preview of a create: the inputs, every computed output unknown.
fn preview_outputs(def: &ResourceDef, inputs: &PropertyMap) -> PropertyMap {
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
fn preview_update(old: &State, news: &PropertyMap) -> PropertyMap {
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
fn partially_created(
    id: String,
    inputs: &PropertyMap,
    so_far: PropertyMap,
    e: ResourceError,
) -> ResourceError {
    ResourceError::PartiallyCreated {
        id,
        outputs: with_inputs(inputs, so_far),
        inputs: inputs.clone(),
        reasons: vec![format!("{e}; the next `pulumi up` finishes setting it up")],
    }
}

/// The database and role a branch holds, as Read reports them: the recorded
/// ones while they exist; on import, the first database and its owner.
async fn live_database(
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
async fn read_branch_state(
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

/// Which recorded inputs a change of replaces the resource.
fn diff(old: &State, news: &PropertyMap, replace_on: &[&str]) -> DiffResult {
    DiffResult::between(&old.inputs, news, replace_on)
}

/// `launchpad:index:NeonProject`.
pub struct NeonProject {
    /// The shared clients.
    pub clients: Arc<Clients>,
}

/// `launchpad:index:NeonBranch`.
pub struct NeonBranch {
    /// The shared clients.
    pub clients: Arc<Clients>,
}

/// A 4xx refusal of a Postgres version launchpad does not know names `pgVersion`.
fn pg_version_refused(pg_version: u32, e: NeonError) -> ResourceError {
    match &e {
        NeonError::Api { status, .. }
            if (400..500).contains(status) && !KNOWN_PG_VERSIONS.contains(&pg_version) =>
        {
            failed(format!(
                "pgVersion={pg_version} was refused by Neon ({e}); versions launchpad knows: {}",
                KNOWN_PG_VERSIONS.map(|v| v.to_string()).join(", ")
            ))
        }
        _ => e.into(),
    }
}

#[async_trait::async_trait]
impl CustomResource for NeonProject {
    fn definition(&self) -> &'static ResourceDef {
        &PROJECT
    }

    async fn check(&self, _: &ResourceContext, _: &PropertyMap, news: PropertyMap) -> CheckResult {
        check(PROJECT_INPUTS, news, OffsetDateTime::now_utc())
    }

    async fn diff(
        &self,
        _: &ResourceContext,
        _: &str,
        old: &State,
        news: &PropertyMap,
    ) -> Result<DiffResult, ResourceError> {
        let mut d = diff(old, news, &["region", "pgVersion"]);
        // Another organization is never a new project (that would delete
        // this one and its data): Update moves it with Neon's transfer.
        // Leaving `orgId` out, or naming the organization the project is
        // already in (as when it moves from `launchpad:neonOrgId` to the
        // input), changes nothing. With no organization recorded (a
        // project from before `orgId`), or one not known yet (preview), it
        // is an update, which reads the project's organization first.
        let recorded = recorded_organization(old);
        let unchanged = match news.get("orgId").map(Value::strip) {
            None | Some(Value::Null) => true,
            Some(Value::String(new)) => recorded.as_deref() == Some(new.as_str()),
            Some(_) => false,
        };
        if unchanged {
            d.changes.remove("orgId");
        } else {
            d.changes.insert(
                "orgId".into(),
                PropertyChange {
                    kind: ChangeKind::Update,
                    replace: false,
                },
            );
        }
        Ok(d)
    }

    async fn create(
        &self,
        ctx: &ResourceContext,
        inputs: &PropertyMap,
        preview: bool,
    ) -> Result<Created, ResourceError> {
        // Check has validated what is known; the rest is known at `up`.
        if preview {
            return Ok(Created {
                id: String::new(),
                outputs: preview_outputs(&PROJECT, inputs),
            });
        }
        let args = decode(inputs)?;
        let want = Want::of(&args);
        let Mode::Project {
            region,
            pg_version,
            history_retention_seconds,
            org_id,
        } = &args.mode
        else {
            return Err(failed("a NeonProject takes no `projectId`".into()));
        };
        // The input wins over the provider config.
        let org_id = match org_id.as_ref().map(Value::strip) {
            Some(Value::String(id)) => Some(id),
            _ => org_id_from_config(&ctx.config)?,
        };
        let (client, ctx) = (self.clients.get(&ctx.config)?, &bounded(ctx));
        let pg_version = **pg_version as u32;
        let spec = ProjectSpec {
            name: want.name.clone(),
            region_id: Some(region.value.clone()),
            pg_version: Some(pg_version),
            default_endpoint_settings: want.settings(true),
            history_retention_seconds: history_retention_seconds.as_ref().map(|h| **h as u32),
            branch: Some(ProjectBranchSpec {
                role_name: want.role.clone(),
                database_name: want.database.clone(),
            }),
            org_id: org_id.clone(),
        };
        // Neon allows two projects of one name; launchpad never makes one
        // twice. One already there is most likely from an `up` stopped
        // while its create was on the wire: hand it to the user, never
        // adopt it silently (it could be someone else's).
        if let Some(existing) = client
            .find_project_by_name(ctx, &want.name, org_id.as_deref())
            .await?
        {
            return Err(failed(format!(
                "a Neon project named \"{}\" already exists ({}), perhaps from an interrupted `pulumi up`; import it with `{}`, delete it, or set another `name`",
                want.name,
                existing.id,
                import_command(ctx, PROJECT.token, &existing.id)
            )));
        }
        ctx.log
            .progress(&format!("creating Neon project {}", want.name));
        let (created, operations) = client
            .start_project(ctx, &spec)
            .await
            .map_err(|e| pg_version_refused(pg_version, e))?;
        let place = Place {
            project_id: &created.project.id,
            branch_id: &created.branch.id,
        };
        let finish = async {
            client.wait_for_operations(ctx, &operations).await?;
            let endpoint =
                read_write_endpoint(&client, ctx, &place, created.endpoints.clone()).await?;
            let endpoint = settle_endpoint(&client, ctx, &place, endpoint, &want, false).await?;
            settle_database(&client, ctx, &place, &want, None).await?;
            connection_outputs(&client, ctx, &place, &endpoint, &want).await
        };
        let mut org = PropertyMap::new();
        if let Some(id) = created.project.org_id.clone().or(org_id) {
            org.insert("orgId".into(), Value::string(id));
        }
        match finish.await {
            Ok(computed) => Ok(Created {
                id: created.project.id.clone(),
                outputs: with_inputs(&with_inputs(inputs, org), computed),
            }),
            Err(e) => Err(partially_created(
                created.project.id.clone(),
                inputs,
                with_inputs(&org, ids(&place, None)),
                e,
            )),
        }
    }

    async fn read(
        &self,
        ctx: &ResourceContext,
        id: &str,
        old: &State,
    ) -> Result<Option<State>, ResourceError> {
        let (client, ctx) = (self.clients.get(&ctx.config)?, &bounded(ctx));
        let Some(project) = client.get_project(ctx, id).await? else {
            return Ok(None);
        };
        let recorded = match text(&old.outputs, "branchId") {
            Some(b) => client.get_branch(ctx, id, &b).await?,
            None => None,
        };
        let branch = match recorded {
            Some(b) => b,
            None => client
                .list_branches(ctx, id, None)
                .await?
                .into_iter()
                .find(|b| b.default)
                .ok_or_else(|| failed(format!("Neon project {id} has no default branch")))?,
        };
        let mut inputs = PropertyMap::from([
            ("name".into(), Value::string(&project.name)),
            ("region".into(), Value::string(&project.region_id)),
            (
                "pgVersion".into(),
                Value::Number(f64::from(project.pg_version)),
            ),
        ]);
        // The organization is the program's to name (or the config's):
        // reported as an input only when the program named it.
        if old.inputs.contains_key("orgId")
            && let Some(org) = &project.org_id
        {
            inputs.insert("orgId".into(), Value::string(org));
        }
        // Sent only when set, so reported only when it was.
        if old.inputs.contains_key("historyRetentionSeconds") {
            inputs.insert(
                "historyRetentionSeconds".into(),
                project
                    .history_retention_seconds
                    .map_or(Value::Null, |h| Value::Number(f64::from(h))),
            );
        }
        let place = Place {
            project_id: &project.id,
            branch_id: &branch.id,
        };
        let mut state = read_branch_state(&client, ctx, &place, old, inputs).await?;
        if let Some(org) = &project.org_id {
            state.outputs.insert("orgId".into(), Value::string(org));
        }
        Ok(Some(state))
    }

    async fn update(
        &self,
        ctx: &ResourceContext,
        id: &str,
        old: &State,
        news: &PropertyMap,
        preview: bool,
    ) -> Result<PropertyMap, ResourceError> {
        if preview {
            return Ok(preview_update(old, news));
        }
        let (old_args, args) = (decode(&old.inputs)?, decode(news)?);
        let (old_want, want) = (Want::of(&old_args), Want::of(&args));
        let (client, ctx) = (self.clients.get(&ctx.config)?, &bounded(ctx));
        let org = settle_organization(&client, ctx, id, old, news).await?;
        let history = |a: &NeonArgs| match &a.mode {
            Mode::Project {
                history_retention_seconds,
                ..
            } => history_retention_seconds.as_ref().map(|h| **h as u32),
            Mode::Branch { .. } => None,
        };
        let update = ProjectUpdate {
            name: (want.name != old_want.name).then(|| want.name.clone()),
            default_endpoint_settings: if want.compute_differs(&old_want) {
                want.settings(false)
            } else {
                EndpointSettings::default()
            },
            history_retention_seconds: history(&args).filter(|h| Some(*h) != history(&old_args)),
        };
        if update != ProjectUpdate::default() {
            client.update_project(ctx, id, &update).await?;
        }
        let branch_id = text(&old.outputs, "branchId").ok_or_else(|| {
            failed(format!(
                "the recorded state of Neon project {id} has no branchId; run `pulumi refresh`"
            ))
        })?;
        let place = Place {
            project_id: id,
            branch_id: &branch_id,
        };
        let outputs = update_branch_database(&client, ctx, &place, &old_want, &want, news).await?;
        let kept: PropertyMap = org
            .map(|o| ("orgId".to_string(), Value::string(o)))
            .into_iter()
            .collect();
        Ok(with_inputs(&outputs, kept))
    }

    async fn delete(
        &self,
        ctx: &ResourceContext,
        id: &str,
        _: &State,
    ) -> Result<(), ResourceError> {
        let (client, ctx) = (self.clients.get(&ctx.config)?, &bounded(ctx));
        ctx.log.progress(&format!("deleting Neon project {id}"));
        Ok(client.delete_project(ctx, id).await?)
    }
}

/// The organization the state records for a project: Neon's answer (an
/// output) or, before one was recorded, the program's input. Diff and Update
/// must agree on it, or a diff would promise a transfer Update never makes.
fn recorded_organization(old: &State) -> Option<String> {
    text(&old.outputs, "orgId").or_else(|| text(&old.inputs, "orgId"))
}

/// The organization the project is in once the update is done. A new
/// `orgId` moves the project there with Neon's transfer (the same project,
/// data and connection URIs); with none recorded (a project made before
/// `orgId` existed) the project is read first, and naming the organization
/// it is already in only records it.
async fn settle_organization(
    client: &NeonClient,
    ctx: &ResourceContext,
    project_id: &str,
    old: &State,
    news: &PropertyMap,
) -> Result<Option<String>, ResourceError> {
    let recorded = recorded_organization(old);
    let Some(wanted) = text(news, "orgId") else {
        return Ok(recorded);
    };
    if recorded.as_deref() == Some(wanted.as_str()) {
        return Ok(recorded);
    }
    let live = client.get_project(ctx, project_id).await?.ok_or_else(|| {
        failed(format!(
            "Neon project {project_id} no longer exists; run `pulumi refresh` to drop it from the state, and `pulumi up` creates a new one"
        ))
    })?;
    let Some(current) = live.org_id else {
        return Err(failed(format!(
            "orgId=\"{wanted}\": Neon reports no organization for project {project_id}, so launchpad cannot move it there; move it in the Neon console (the project's Settings → Transfer), then run `pulumi refresh`"
        )));
    };
    if current == wanted {
        return Ok(Some(current));
    }
    ctx.log.progress(&format!(
        "moving Neon project {project_id} from organization {current} to {wanted}"
    ));
    if let Err(e) = client
        .transfer_project(ctx, project_id, &current, &wanted)
        .await
    {
        // An answer lost after Neon moved it: the project says where it is.
        let moved = client.get_project(ctx, project_id).await.ok().flatten();
        if moved.and_then(|p| p.org_id).as_deref() == Some(wanted.as_str()) {
            return Ok(Some(wanted));
        }
        return Err(transfer_refused(project_id, &current, &wanted, e));
    }
    Ok(Some(wanted))
}

/// Neon refused to move a project (a general 403 for the roles, 406 for the
/// destination's plan, 422 for an integration): say what the transfer
/// needs and how to do it by hand. Other failures (network, Cancel) stay
/// what they are.
fn transfer_refused(project_id: &str, from: &str, to: &str, e: NeonError) -> ResourceError {
    let (status, neon_says) = match &e {
        NeonError::Unauthorized {
            status: 403,
            message,
            ..
        } => (403, message),
        NeonError::Api {
            status, message, ..
        } if (400..500).contains(status) => (*status, message),
        _ => return e.into(),
    };
    let why = match status {
        406 => "the destination organization's plan cannot take it",
        422 => "it has a GitHub or Vercel integration, which Neon does not transfer",
        403 => "the API key may not move it",
        _ => "Neon refused the transfer",
    };
    failed(format!(
        "orgId=\"{to}\": cannot move Neon project {project_id} from organization {from} to {to}: {why} (Neon answered {status}: {neon_says}). A transfer needs the Admin role in {from} and at least the Member role in {to}, and no GitHub or Vercel integration on the project. Move it yourself in the Neon console (the project's Settings → Transfer), then run `pulumi refresh`; or set `orgId` back to {from}; for a new, empty project in {to} instead, set `replaceOnChanges: [\"orgId\"]`"
    ))
}

/// The `pulumi import` that adopts `id` as this very resource: its own
/// name, under its own parent. A NeonDatabase's child is `<db>-project` or
/// `<db>-branch` under the component; imported at the root instead, the
/// next `up` would meet the same name again
/// (<https://www.pulumi.com/docs/iac/cli/commands/pulumi_import/>).
fn import_command(ctx: &ResourceContext, token: &str, id: &str) -> String {
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
pub(super) enum Parent {
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
pub(super) fn parent_of(urn: &str) -> Parent {
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
    let suffix = format!("-{}", super::child_key(own_type));
    let database = (parent_type == super::DEFINITION.token)
        .then(|| name.strip_suffix(suffix.as_str()))
        .flatten()
        .filter(|db| !db.is_empty());
    match database {
        Some(db) => Parent::Known(format!("{stack}::{project}::{parent_types}::{db}")),
        None => Parent::Named(parent_type.to_string()),
    }
}

/// `word` as one shell word: as it is when it is plain, else single-quoted.
fn shell_word(word: &str) -> String {
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
async fn update_branch_database(
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

/// `<projectId>/<branchId>`, split.
fn branch_id_parts(id: &str) -> Result<(&str, &str), ResourceError> {
    id.split_once('/')
        .filter(|(p, b)| !p.is_empty() && !b.is_empty())
        .ok_or_else(|| {
            failed(format!(
                "`{id}` is not a NeonBranch ID; it is `<projectId>/<branchId>`, for example `floral-king-961888/br-wispy-meadow-12345`"
            ))
        })
}

#[async_trait::async_trait]
impl CustomResource for NeonBranch {
    fn definition(&self) -> &'static ResourceDef {
        &BRANCH
    }

    async fn check(&self, _: &ResourceContext, _: &PropertyMap, news: PropertyMap) -> CheckResult {
        check(BRANCH_INPUTS, news, OffsetDateTime::now_utc())
    }

    async fn diff(
        &self,
        _: &ResourceContext,
        _: &str,
        old: &State,
        news: &PropertyMap,
    ) -> Result<DiffResult, ResourceError> {
        let mut d = diff(old, news, &["projectId", "parentBranch"]);
        // The parent named by ID where it was named by name (or the other
        // way round, as after an import) is the same parent.
        if let Some(new) = text(news, "parentBranch")
            && ["parentBranchId", "parentBranchName"]
                .iter()
                .any(|k| text(&old.outputs, k).as_deref() == Some(new.as_str()))
        {
            d.changes.remove("parentBranch");
        }
        expired_is_replaced(&mut d, old, news, OffsetDateTime::now_utc());
        Ok(d)
    }

    async fn create(
        &self,
        ctx: &ResourceContext,
        inputs: &PropertyMap,
        preview: bool,
    ) -> Result<Created, ResourceError> {
        // Check has validated what is known; the rest is known at `up`.
        if preview {
            return Ok(Created {
                id: String::new(),
                outputs: preview_outputs(&BRANCH, inputs),
            });
        }
        let args = decode(inputs)?;
        let want = Want::of(&args);
        let Mode::Branch {
            project_id,
            parent,
            expiry,
        } = &args.mode
        else {
            return Err(failed("a NeonBranch needs `projectId`".into()));
        };
        // Checked at preview; time has passed since.
        let now = OffsetDateTime::now_utc();
        args.check_expiry_window(now)?;
        let expires_at = expiry.as_ref().map(|e| rfc3339(e.deadline(now)));
        let known = |v: Option<&Value>, name: &str| match v.map(Value::strip) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s)),
            Some(_) => Err(failed(format!("`{name}` must be a string"))),
        };
        let project_id = known(Some(project_id), "projectId")?.unwrap_or_default();
        let parent = known(parent.as_ref(), "parentBranch")?;
        let (client, ctx) = (self.clients.get(&ctx.config)?, &bounded(ctx));
        let parent = match parent {
            None => None,
            Some(p) => {
                let branches = client.list_branches(ctx, &project_id, None).await?;
                match branches.iter().find(|b| b.id == p || b.name == p) {
                    Some(b) => Some(b.clone()),
                    None => {
                        let names: Vec<&str> = branches.iter().map(|b| b.name.as_str()).collect();
                        return Err(failed(format!(
                            "parentBranch=\"{p}\" is not a branch of Neon project {project_id}; its branches: {}",
                            names.join(", ")
                        )));
                    }
                }
            }
        };
        // Neon makes no child of an expiring branch (its default branch never expires).
        if let Some(Branch {
            name,
            expires_at: Some(t),
            ..
        }) = &parent
        {
            return Err(failed(format!(
                "parentBranch=\"{name}\" expires at {t}, and Neon makes no branch from an expiring branch; branch from another one, or remove its expiry"
            )));
        }
        let spec = BranchSpec {
            name: want.name.clone(),
            parent_id: parent.as_ref().map(|b| b.id.clone()),
            expires_at: expires_at.clone(),
            read_write_endpoint: Some(want.settings(true)),
            ..BranchSpec::default()
        };
        ctx.log.progress(&format!(
            "creating branch {} of Neon project {project_id}",
            want.name
        ));
        let (created, operations) = match client.start_branch(ctx, &project_id, &spec).await {
            Err(e @ NeonError::Api { status: 409, .. }) => {
                return Err(branch_exists(&client, ctx, &project_id, &want.name, &e).await);
            }
            answer => answer?,
        };
        let id = format!("{project_id}/{}", created.branch.id);
        let place = Place {
            project_id: &project_id,
            branch_id: &created.branch.id,
        };
        let mut branch_outputs = PropertyMap::new();
        // The expiry as Neon keeps it: stable under diff, and what a later
        // Diff compares with the clock.
        if let Some(t) = created.branch.expires_at.clone().or(expires_at) {
            branch_outputs.insert("expiresAt".into(), Value::string(t));
        }
        if let Some(parent_id) = &created.branch.parent_id {
            branch_outputs.insert("parentBranchId".into(), Value::string(parent_id));
            let parent_name = match &parent {
                Some(p) => Some(p.name.clone()),
                None => client
                    .get_branch(ctx, &project_id, parent_id)
                    .await
                    .ok()
                    .flatten()
                    .map(|b| b.name),
            };
            if let Some(name) = parent_name {
                branch_outputs.insert("parentBranchName".into(), Value::string(name));
            }
        }
        let finish = async {
            client.wait_for_operations(ctx, &operations).await?;
            let endpoint =
                read_write_endpoint(&client, ctx, &place, created.endpoints.clone()).await?;
            let endpoint = settle_endpoint(&client, ctx, &place, endpoint, &want, false).await?;
            settle_database(&client, ctx, &place, &want, None).await?;
            connection_outputs(&client, ctx, &place, &endpoint, &want).await
        };
        match finish.await {
            Ok(computed) => Ok(Created {
                id,
                outputs: with_inputs(&with_inputs(inputs, branch_outputs), computed),
            }),
            Err(e) => {
                let so_far = with_inputs(&branch_outputs, ids(&place, None));
                Err(partially_created(id, inputs, so_far, e))
            }
        }
    }

    async fn read(
        &self,
        ctx: &ResourceContext,
        id: &str,
        old: &State,
    ) -> Result<Option<State>, ResourceError> {
        let (project_id, branch_id) = branch_id_parts(id)?;
        let (client, ctx) = (self.clients.get(&ctx.config)?, &bounded(ctx));
        let Some(branch) = client.get_branch(ctx, project_id, branch_id).await? else {
            return Ok(None);
        };
        let mut inputs = PropertyMap::from([
            ("name".into(), Value::string(&branch.name)),
            ("projectId".into(), Value::string(project_id)),
        ]);
        let mut branch_outputs = PropertyMap::new();
        if let Some(parent_id) = &branch.parent_id {
            branch_outputs.insert("parentBranchId".into(), Value::string(parent_id));
            if let Some(parent) = client.get_branch(ctx, project_id, parent_id).await? {
                branch_outputs.insert("parentBranchName".into(), Value::string(&parent.name));
                // As the program wrote it; on import, by name unless it is
                // the default (which a program leaves out).
                match old.inputs.get("parentBranch") {
                    Some(p) => {
                        inputs.insert("parentBranch".into(), p.clone());
                    }
                    None if old.inputs.is_empty() && !parent.default => {
                        inputs.insert("parentBranch".into(), Value::string(&parent.name));
                    }
                    None => {}
                }
            }
        }
        match (&branch.expires_at, old.inputs.get("expiresIn")) {
            // A time to live stays the program's while the branch expires:
            // the time it was made into is an output (a change in the
            // console shows there).
            (Some(_), Some(ttl)) => {
                inputs.insert("expiresIn".into(), ttl.clone());
            }
            // Neon no longer expires it (removed in the console): the input
            // goes, so the drift shows and the next `up` sets a new window.
            (None, Some(_)) => {}
            (Some(t), None) => {
                // Neon may write the time its own way: keep the program's
                // spelling while it names the same second.
                let recorded = text(&old.inputs, "expiresAt")
                    .filter(|r| same_time(r, t))
                    .unwrap_or_else(|| t.clone());
                inputs.insert("expiresAt".into(), Value::string(recorded));
            }
            (None, None) => {}
        }
        if let Some(t) = &branch.expires_at {
            branch_outputs.insert("expiresAt".into(), Value::string(t));
        }
        let place = Place {
            project_id,
            branch_id,
        };
        let mut state = read_branch_state(&client, ctx, &place, old, inputs).await?;
        state.outputs.extend(branch_outputs);
        Ok(Some(state))
    }

    async fn update(
        &self,
        ctx: &ResourceContext,
        id: &str,
        old: &State,
        news: &PropertyMap,
        preview: bool,
    ) -> Result<PropertyMap, ResourceError> {
        let (project_id, branch_id) = branch_id_parts(id)?;
        if preview {
            // Inputs may not be known yet: compare them as they are.
            let mut outputs = preview_update(old, news);
            let same =
                |k: &str| old.inputs.get(k).map(Value::strip) == news.get(k).map(Value::strip);
            if !(same("expiresAt") && same("expiresIn")) {
                if news.contains_key("expiresAt") || news.contains_key("expiresIn") {
                    outputs.insert("expiresAt".into(), Value::unknown());
                } else {
                    outputs.remove("expiresAt");
                }
            }
            return Ok(outputs);
        }
        let (old_args, args) = (decode(&old.inputs)?, decode(news)?);
        let (old_want, want) = (Want::of(&old_args), Want::of(&args));
        let kept = |o: &PropertyMap| {
            ["parentBranchId", "parentBranchName", "expiresAt"]
                .iter()
                .filter_map(|k| o.get(*k).map(|v| (k.to_string(), v.clone())))
                .collect::<PropertyMap>()
        };
        let mut kept = kept(&old.outputs);
        let (client, ctx) = (self.clients.get(&ctx.config)?, &bounded(ctx));
        let Some(live) = client.get_branch(ctx, project_id, branch_id).await? else {
            return Err(failed(format!(
                "branch {branch_id} of Neon project {project_id} no longer exists (Neon deletes a branch once it expires); run `pulumi refresh` (or `pulumi up --refresh`) to drop it from the state, and `pulumi up` creates a new one"
            )));
        };
        // A new expiry: `expiresIn` starts a new window from now.
        let now = OffsetDateTime::now_utc();
        let expires_at = match expiry_change(&old_args, &args) {
            None => None,
            Some(None) => {
                kept.remove("expiresAt");
                Some(None)
            }
            Some(Some(e)) => {
                e.check_window(now)?;
                if live.default || live.protected {
                    let kind = if live.default { "default" } else { "protected" };
                    return Err(failed(format!(
                        "{}: branch {} is the project's {kind} branch, and Neon lets no {kind} branch expire; remove `{}`",
                        e.property(),
                        live.name,
                        e.property()
                    )));
                }
                let t = rfc3339(e.deadline(now));
                kept.insert("expiresAt".into(), Value::string(&t));
                Some(Some(t))
            }
        };
        let update = BranchUpdate {
            name: (want.name != old_want.name).then(|| want.name.clone()),
            expires_at,
        };
        if update != BranchUpdate::default() {
            let updated = client
                .update_branch(ctx, project_id, branch_id, &update)
                .await?;
            if let Some(t) = updated.expires_at {
                kept.insert("expiresAt".into(), Value::string(t));
            }
        }
        let place = Place {
            project_id,
            branch_id,
        };
        let outputs = update_branch_database(&client, ctx, &place, &old_want, &want, news).await?;
        Ok(with_inputs(&outputs, kept))
    }

    async fn delete(
        &self,
        ctx: &ResourceContext,
        id: &str,
        old: &State,
    ) -> Result<(), ResourceError> {
        let (project_id, branch_id) = branch_id_parts(id)?;
        let (client, ctx) = (self.clients.get(&ctx.config)?, &bounded(ctx));
        let Some(live) = client.get_branch(ctx, project_id, branch_id).await? else {
            // Deleted already (by Neon on expiry, or by someone).
            return Ok(());
        };
        // Kept longer in Neon than the state knows (a reset from the
        // parent re-arms the expiry; the console or `neon branches
        // set-expiration` move it): whoever did wants it, and the plan
        // that deletes it was made from a stale time.
        if let Some(now) = expiry_extended(old, &live) {
            return Err(failed(format!(
                "branch {} ({branch_id}) of Neon project {project_id} was not deleted: the branch's expiry changed since the last refresh (now {now}; the state has {}); run `pulumi refresh`, then try again",
                live.name,
                text(&old.outputs, "expiresAt").unwrap_or_default()
            )));
        }
        ctx.log.progress(&format!(
            "deleting branch {branch_id} of Neon project {project_id}"
        ));
        Ok(client.delete_branch(ctx, project_id, branch_id).await?)
    }
}

/// How the expiry changes from the recorded inputs to the new ones: `None`
/// when it does not (the same `expiresAt` or `expiresIn` as before: the
/// window stays), `Some(None)` when it is removed, `Some(Some(e))` when set.
fn expiry_change(before: &NeonArgs, after: &NeonArgs) -> Option<Option<Expiry>> {
    let same = match (before.expiry(), after.expiry()) {
        (None, None) => true,
        // The same time, however it is written.
        (Some(Expiry::At { time: b, .. }), Some(Expiry::At { time: a, .. })) => a == b,
        // A new `expiresIn` (even "168h" for "7d") starts a new window.
        (Some(Expiry::In { text: b, .. }), Some(Expiry::In { text: a, .. })) => a.value == b.value,
        _ => false,
    };
    (!same).then(|| after.expiry().cloned())
}

/// A branch whose recorded expiry has passed is gone, or about to be (Neon
/// deletes it in a background job): the next `up` replaces it, deleting
/// it first (gone is fine) so the new one can take its name. Only while the
/// program still gives it an expiry: one removed from the program is how a
/// user keeps the branch (the update removes the expiry in Neon), and the
/// recorded time may be stale anyway (a reset from the parent or the
/// console re-arms it) — Delete checks Neon's time before it deletes.
fn expired_is_replaced(d: &mut DiffResult, old: &State, news: &PropertyMap, now: OffsetDateTime) {
    let Some(t) = text(&old.outputs, "expiresAt").and_then(|t| parse_rfc3339(&t)) else {
        return;
    };
    let set = |k: &str| news.get(k).is_some_and(|v| !v.is_null());
    if t > now || !(set("expiresIn") || set("expiresAt")) {
        return;
    }
    let property = if set("expiresIn") {
        "expiresIn"
    } else {
        "expiresAt"
    };
    d.changes.insert(
        property.to_string(),
        PropertyChange {
            kind: ChangeKind::Update,
            replace: true,
        },
    );
    d.delete_before_replace = true;
}

/// Neon refused a branch name (409, as
/// <https://github.com/neondatabase/neon-pkgs/pull/307> shows): most likely
/// the branch of an `up` that was stopped while its create was on the wire.
/// Hand it to the user with the command that adopts it as this resource
/// (under its NeonDatabase when it has one), never adopt it silently.
async fn branch_exists(
    client: &NeonClient,
    ctx: &ResourceContext,
    project_id: &str,
    name: &str,
    refusal: &NeonError,
) -> ResourceError {
    match client.find_branch_by_name(ctx, project_id, name).await {
        Ok(Some(b)) => {
            let id = format!("{project_id}/{}", b.id);
            failed(format!(
                "a branch named \"{name}\" already exists in Neon project {project_id} ({id}), perhaps from an interrupted `pulumi up`; import it with `{}`, delete it, or set another `name`",
                import_command(ctx, BRANCH.token, &id)
            ))
        }
        Ok(None) => failed(format!(
            "Neon refused the branch name \"{name}\" as taken ({refusal}), but lists no branch of that name in project {project_id}: perhaps one deleted moments ago, whose name Neon may hold while it can be recovered; run `pulumi up` again later, or set another `name`"
        )),
        Err(e) => failed(format!(
            "Neon refused the branch name \"{name}\" as taken ({refusal}), and listing the branches of project {project_id} to find it failed ({e}); find it in the Neon console and import it with `{}`, delete it, or set another `name`",
            import_command(
                ctx,
                BRANCH.token,
                &format!("{project_id}/<branch ID from the console>")
            )
        )),
    }
}

/// Neon's expiry of `live` when it is later than the one `old` records, or
/// `never` when Neon no longer expires a branch the state says expires.
fn expiry_extended(old: &State, live: &Branch) -> Option<String> {
    let recorded = text(&old.outputs, "expiresAt").and_then(|t| parse_rfc3339(&t))?;
    match &live.expires_at {
        None => Some("never".to_string()),
        Some(t) => parse_rfc3339(t)
            .filter(|l| *l > recorded)
            .map(|_| t.clone()),
    }
}

/// Whether two RFC 3339 times name the same second (Neon keeps seconds;
/// `Z` and `+00:00` and other offsets alike).
fn same_time(a: &str, b: &str) -> bool {
    let second = |t: &str| parse_rfc3339(t).map(|t| t.replace_nanosecond(0).unwrap_or(t));
    second(a).is_some() && second(a) == second(b)
}

/// Every input name the component passes on to its child.
pub fn child_inputs(branch: bool) -> impl Iterator<Item = &'static str> {
    let defs = if branch {
        BRANCH_INPUTS
    } else {
        PROJECT_INPUTS
    };
    defs.iter()
        .map(|d| d.name)
        .filter(|n| INPUTS.iter().any(|d| d.name == *n))
}
