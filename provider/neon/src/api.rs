//! The shapes of Neon's HTTP API v2 that launchpad uses: request bodies we
//! send and the parts of responses we read.
//!
//! Requests never carry a field the user did not set (`Option` +
//! `skip_serializing_if`): plan limits differ, and Neon's own defaults are the
//! right ones for anything left out. Responses are tolerant: unknown fields
//! are ignored and only the fields launchpad reads are declared, so a new
//! field from Neon never breaks us, and secrets Neon returns along the way
//! (role passwords, `connection_uris`) are never even deserialized.

use serde::{Deserialize, Serialize};

/// Autoscaling and scale-to-zero settings of a compute endpoint: a project's
/// `default_endpoint_settings`, a new branch's endpoint, or an endpoint update.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct EndpointSettings {
    /// Minimum compute units (≥ 0.25).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub autoscaling_limit_min_cu: Option<f64>,
    /// Maximum compute units.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub autoscaling_limit_max_cu: Option<f64>,
    /// Seconds of inactivity before the compute suspends: -1 never, 0 Neon's
    /// default, or 60–604800.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub suspend_timeout_seconds: Option<i64>,
}

impl EndpointSettings {
    /// Whether no setting is given (the object is then left out entirely).
    pub fn is_empty(&self) -> bool {
        self.autoscaling_limit_min_cu.is_none()
            && self.autoscaling_limit_max_cu.is_none()
            && self.suspend_timeout_seconds.is_none()
    }
}

/// A new project (`POST /projects`, under the `project` key).
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct ProjectSpec {
    /// The project name. Required here (Neon would generate one) because it
    /// is how a create whose answer was lost is found again: make it unique.
    pub name: String,
    /// Region, for example `aws-us-east-1`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub region_id: Option<String>,
    /// Postgres major version (14–18).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pg_version: Option<u32>,
    /// The organization that owns the project: a personal API key must name
    /// it (Neon answers `org_id is required` otherwise); an organization key
    /// need not.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub org_id: Option<String>,
    /// Settings of the computes of the project's branches.
    #[serde(skip_serializing_if = "EndpointSettings::is_empty")]
    pub default_endpoint_settings: EndpointSettings,
    /// How long the shared history is kept, in seconds (plan-limited).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub history_retention_seconds: Option<u32>,
    /// The role and database the default branch is created with (Neon's
    /// `neondb_owner` and `neondb` when absent).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub branch: Option<ProjectBranchSpec>,
}

/// The default branch's role and database, created with the project.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct ProjectBranchSpec {
    /// The role that owns the database.
    pub role_name: String,
    /// The database.
    pub database_name: String,
}

/// Changes to a database (`PATCH …/databases/{name}`, under the `database` key).
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct DatabaseUpdate {
    /// A new name (the data stays).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// A new owner (an existing role).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub owner_name: Option<String>,
}

/// Changes to a project (`PATCH /projects/{id}`, under the `project` key).
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct ProjectUpdate {
    /// A new name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// New compute defaults.
    #[serde(skip_serializing_if = "EndpointSettings::is_empty")]
    pub default_endpoint_settings: EndpointSettings,
    /// New history retention, in seconds.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub history_retention_seconds: Option<u32>,
}

/// A new branch (`POST /projects/{id}/branches`).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct BranchSpec {
    /// The branch name. Required here because it is how a create whose
    /// answer was lost is found again: make it unique within the project.
    pub name: String,
    /// The parent branch's ID (the project's default branch when absent).
    pub parent_id: Option<String>,
    /// Branch from this LSN of the parent instead of its head.
    pub parent_lsn: Option<String>,
    /// Branch from this point in time (RFC 3339) of the parent.
    pub parent_timestamp: Option<String>,
    /// When Neon deletes the branch by itself (RFC 3339, seconds precision).
    pub expires_at: Option<String>,
    /// A read-write compute endpoint to create with the branch (none when absent).
    pub read_write_endpoint: Option<EndpointSettings>,
}

/// Changes to a branch (`PATCH /projects/{id}/branches/{branch_id}`).
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct BranchUpdate {
    /// A new name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// `Some(Some(t))` sets the expiry, `Some(None)` removes it (sent as `null`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expires_at: Option<Option<String>>,
}

/// What `GET /projects/{id}/connection_uri` is asked for.
#[derive(Clone, Debug, PartialEq)]
pub struct ConnectionUriQuery {
    /// The project.
    pub project_id: String,
    /// The branch (the project's default branch when absent).
    pub branch_id: Option<String>,
    /// The database to connect to.
    pub database_name: String,
    /// The role to connect as.
    pub role_name: String,
    /// Through Neon's connection pooler (`-pooler` host).
    pub pooled: bool,
}

// ---- request envelopes (private: callers build the specs above) ----

#[derive(Serialize)]
pub(crate) struct ProjectCreateRequest<'a> {
    pub project: &'a ProjectSpec,
}

#[derive(Serialize)]
pub(crate) struct ProjectUpdateRequest<'a> {
    pub project: &'a ProjectUpdate,
}

#[derive(Serialize)]
pub(crate) struct BranchCreateRequest<'a> {
    pub branch: BranchCreateFields<'a>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub endpoints: Vec<EndpointCreate<'a>>,
}

#[derive(Serialize)]
pub(crate) struct BranchCreateFields<'a> {
    pub name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parent_id: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parent_lsn: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parent_timestamp: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expires_at: Option<&'a str>,
}

#[derive(Serialize)]
pub(crate) struct EndpointCreate<'a> {
    #[serde(rename = "type")]
    pub kind: &'static str,
    #[serde(flatten)]
    pub settings: &'a EndpointSettings,
}

impl<'a> BranchCreateRequest<'a> {
    pub(crate) fn new(spec: &'a BranchSpec) -> BranchCreateRequest<'a> {
        BranchCreateRequest {
            branch: BranchCreateFields {
                name: &spec.name,
                parent_id: spec.parent_id.as_deref(),
                parent_lsn: spec.parent_lsn.as_deref(),
                parent_timestamp: spec.parent_timestamp.as_deref(),
                expires_at: spec.expires_at.as_deref(),
            },
            endpoints: spec
                .read_write_endpoint
                .iter()
                .map(|settings| EndpointCreate {
                    kind: "read_write",
                    settings,
                })
                .collect(),
        }
    }
}

/// `POST /organizations/{source_org_id}/projects/transfer`
/// (<https://neon.com/docs/reference/api/organizations/transfer-projects-from-org-to-org>).
#[derive(Serialize)]
pub(crate) struct TransferRequest<'a> {
    pub destination_org_id: &'a str,
    pub project_ids: [&'a str; 1],
}

#[derive(Serialize)]
pub(crate) struct BranchUpdateRequest<'a> {
    pub branch: &'a BranchUpdate,
}

#[derive(Serialize)]
pub(crate) struct EndpointUpdateRequest<'a> {
    pub endpoint: &'a EndpointSettings,
}

#[derive(Serialize)]
pub(crate) struct RoleCreateRequest<'a> {
    pub role: NameOnly<'a>,
}

#[derive(Serialize)]
pub(crate) struct NameOnly<'a> {
    pub name: &'a str,
}

#[derive(Serialize)]
pub(crate) struct DatabaseUpdateRequest<'a> {
    pub database: &'a DatabaseUpdate,
}

#[derive(Serialize)]
pub(crate) struct DatabaseCreateRequest<'a> {
    pub database: DatabaseCreateFields<'a>,
}

#[derive(Serialize)]
pub(crate) struct DatabaseCreateFields<'a> {
    pub name: &'a str,
    pub owner_name: &'a str,
}

// ---- responses ----

/// A Neon project.
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct Project {
    /// Its ID, for example `floral-king-961888`.
    pub id: String,
    /// Its name.
    pub name: String,
    /// Its region.
    pub region_id: String,
    /// Its Postgres major version.
    pub pg_version: u32,
    /// The organization that owns it, if any.
    #[serde(default)]
    pub org_id: Option<String>,
    /// Compute defaults (only those that were set).
    #[serde(default)]
    pub default_endpoint_settings: Option<EndpointSettingsState>,
    /// History retention, in seconds.
    #[serde(default)]
    pub history_retention_seconds: Option<u32>,
}

/// Compute settings as Neon reports them.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
pub struct EndpointSettingsState {
    /// Minimum compute units.
    #[serde(default)]
    pub autoscaling_limit_min_cu: Option<f64>,
    /// Maximum compute units.
    #[serde(default)]
    pub autoscaling_limit_max_cu: Option<f64>,
    /// Scale-to-zero timeout.
    #[serde(default)]
    pub suspend_timeout_seconds: Option<i64>,
}

/// A branch of a project.
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct Branch {
    /// Its ID, for example `br-wispy-meadow-12345`.
    pub id: String,
    /// The project it belongs to.
    pub project_id: String,
    /// Its name.
    pub name: String,
    /// The branch it was made from (none for a root branch).
    #[serde(default)]
    pub parent_id: Option<String>,
    /// Whether it is the project's default branch.
    #[serde(default)]
    pub default: bool,
    /// Whether it is protected (it then cannot expire).
    #[serde(default)]
    pub protected: bool,
    /// `init`, `ready`, …
    #[serde(default)]
    pub current_state: Option<String>,
    /// When Neon deletes it by itself.
    #[serde(default)]
    pub expires_at: Option<String>,
}

/// A compute endpoint.
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct Endpoint {
    /// Its ID, for example `ep-cool-darkness-123456`.
    pub id: String,
    /// The project it belongs to.
    pub project_id: String,
    /// The branch it serves.
    pub branch_id: String,
    /// The host name to connect to.
    pub host: String,
    /// `read_write` or `read_only`.
    #[serde(rename = "type")]
    pub kind: String,
    /// Minimum compute units.
    pub autoscaling_limit_min_cu: f64,
    /// Maximum compute units.
    pub autoscaling_limit_max_cu: f64,
    /// Scale-to-zero timeout.
    #[serde(default)]
    pub suspend_timeout_seconds: Option<i64>,
    /// `init`, `active`, `idle`.
    #[serde(default)]
    pub current_state: Option<String>,
}

impl Endpoint {
    /// Whether this is the branch's read-write endpoint.
    pub fn is_read_write(&self) -> bool {
        self.kind == "read_write"
    }
}

/// A Postgres role. Its password (in create responses) is never read: the
/// connection URI is the one place a password is fetched.
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct Role {
    /// The branch it lives in.
    pub branch_id: String,
    /// Its name.
    pub name: String,
    /// Whether Neon protects it (system roles).
    #[serde(default)]
    pub protected: bool,
}

/// A Postgres database.
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct Database {
    /// Its numeric ID.
    pub id: i64,
    /// The branch it lives in.
    pub branch_id: String,
    /// Its name.
    pub name: String,
    /// The role that owns it.
    pub owner_name: String,
}

/// A control-plane operation started by a request.
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct Operation {
    /// Its ID (a UUID).
    pub id: String,
    /// The project it runs in.
    pub project_id: String,
    /// The branch it concerns, if any.
    #[serde(default)]
    pub branch_id: Option<String>,
    /// The endpoint it concerns, if any.
    #[serde(default)]
    pub endpoint_id: Option<String>,
    /// What it does (`create_timeline`, `start_compute`, `apply_config`, …).
    pub action: String,
    /// Where it is.
    pub status: OperationStatus,
    /// Neon's description of the last failure, if any.
    #[serde(default)]
    pub error: Option<String>,
    /// How often it failed so far (Neon retries failed operations).
    #[serde(default)]
    pub failures_count: u32,
}

/// Where an operation is. Only `finished`, `skipped` and `cancelled` are
/// terminal: Neon retries a `failed` operation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OperationStatus {
    /// Waiting to run.
    Scheduling,
    /// Running.
    Running,
    /// Done.
    Finished,
    /// Failed this time; Neon retries it.
    Failed,
    /// Errored; treated like `failed` (not documented as terminal).
    Error,
    /// Being cancelled.
    Cancelling,
    /// Cancelled (terminal).
    Cancelled,
    /// Not needed (terminal, like finished).
    Skipped,
    /// A status this client does not know; treated as still in progress.
    #[serde(other)]
    Unknown,
}

impl OperationStatus {
    /// Whether the operation will not change any more.
    pub fn is_terminal(self) -> bool {
        matches!(
            self,
            OperationStatus::Finished | OperationStatus::Skipped | OperationStatus::Cancelled
        )
    }

    /// The status as Neon spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            OperationStatus::Scheduling => "scheduling",
            OperationStatus::Running => "running",
            OperationStatus::Finished => "finished",
            OperationStatus::Failed => "failed",
            OperationStatus::Error => "error",
            OperationStatus::Cancelling => "cancelling",
            OperationStatus::Cancelled => "cancelled",
            OperationStatus::Skipped => "skipped",
            OperationStatus::Unknown => "unknown",
        }
    }
}

// ---- response envelopes ----

#[derive(Deserialize)]
pub(crate) struct ProjectCreated {
    pub project: Project,
    pub branch: Branch,
    #[serde(default)]
    pub endpoints: Vec<Endpoint>,
    #[serde(default)]
    pub operations: Vec<Operation>,
}

#[derive(Deserialize)]
pub(crate) struct ProjectEnvelope {
    pub project: Project,
    #[serde(default)]
    pub operations: Vec<Operation>,
}

#[derive(Deserialize)]
pub(crate) struct ProjectsPage {
    pub projects: Vec<Project>,
    #[serde(default)]
    pub pagination: Option<ProjectsPagination>,
}

/// One page of a listing: its items and the cursor of the next page.
pub(crate) trait Page: serde::de::DeserializeOwned {
    /// What the page lists.
    type Item;
    /// The items, and the cursor of the next page if there is one.
    fn into_parts(self) -> (Vec<Self::Item>, Option<String>);
}

impl Page for ProjectsPage {
    type Item = Project;
    fn into_parts(self) -> (Vec<Project>, Option<String>) {
        (self.projects, self.pagination.and_then(|p| p.cursor))
    }
}

impl Page for BranchesPage {
    type Item = Branch;
    fn into_parts(self) -> (Vec<Branch>, Option<String>) {
        (self.branches, self.pagination.and_then(|p| p.next))
    }
}

#[derive(Deserialize)]
pub(crate) struct ProjectsPagination {
    #[serde(default)]
    pub cursor: Option<String>,
}

#[derive(Deserialize)]
pub(crate) struct BranchEnvelope {
    pub branch: Branch,
    #[serde(default)]
    pub endpoints: Vec<Endpoint>,
    #[serde(default)]
    pub operations: Vec<Operation>,
}

#[derive(Deserialize)]
pub(crate) struct BranchesPage {
    pub branches: Vec<Branch>,
    #[serde(default)]
    pub pagination: Option<CursorPagination>,
}

#[derive(Deserialize)]
pub(crate) struct CursorPagination {
    #[serde(default)]
    pub next: Option<String>,
}

#[derive(Deserialize)]
pub(crate) struct EndpointEnvelope {
    pub endpoint: Endpoint,
    #[serde(default)]
    pub operations: Vec<Operation>,
}

#[derive(Deserialize)]
pub(crate) struct EndpointsEnvelope {
    pub endpoints: Vec<Endpoint>,
}

#[derive(Deserialize)]
pub(crate) struct RoleEnvelope {
    pub role: Role,
    #[serde(default)]
    pub operations: Vec<Operation>,
}

#[derive(Deserialize)]
pub(crate) struct RolesEnvelope {
    pub roles: Vec<Role>,
}

#[derive(Deserialize)]
pub(crate) struct DatabaseEnvelope {
    pub database: Database,
    #[serde(default)]
    pub operations: Vec<Operation>,
}

#[derive(Deserialize)]
pub(crate) struct DatabasesEnvelope {
    pub databases: Vec<Database>,
}

#[derive(Deserialize)]
pub(crate) struct OperationEnvelope {
    pub operation: Operation,
}

#[derive(Deserialize)]
pub(crate) struct OperationsPage {
    pub operations: Vec<Operation>,
}

#[derive(Deserialize)]
pub(crate) struct ConnectionUriEnvelope {
    pub uri: String,
}

/// Neon's error body. Only `message` is shown (with the request ID, which
/// Neon support asks for), or, for the refusals whose body is their own (a
/// transfer's 406 and 422), the limits or projects they name; the rest of
/// an error body is never echoed.
#[derive(Deserialize)]
pub(crate) struct ErrorBody {
    #[serde(default)]
    pub message: Option<String>,
    #[serde(default)]
    pub request_id: Option<String>,
    /// 406 of a transfer: the destination's plan limits it would break.
    #[serde(default)]
    pub limits: Vec<UnsatisfiedLimit>,
    /// 422 of a transfer: the projects with an integration (GitHub, Vercel).
    #[serde(default)]
    pub projects: Vec<IntegratedProject>,
}

/// A plan limit a transfer would break (`projects_count`, `subscription_type`, `project_region`).
#[derive(Deserialize)]
pub(crate) struct UnsatisfiedLimit {
    pub name: String,
    #[serde(default)]
    pub expected: String,
    #[serde(default)]
    pub actual: String,
}

/// A project that cannot be transferred because of an integration.
#[derive(Deserialize)]
pub(crate) struct IntegratedProject {
    pub id: String,
    #[serde(default)]
    pub integration: String,
}
