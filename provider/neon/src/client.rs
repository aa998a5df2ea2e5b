//! [`NeonClient`]: typed calls to Neon's HTTP API v2, with the retries,
//! rate limit and operation polling every caller needs.
//!
//! Every call takes the caller's [`ResourceContext`]: its deadline
//! (`customTimeouts`) and Cancel bound all waiting, so Ctrl-C stops a poll
//! or a backoff at once. What is retried, following Neon's API reference:
//! 423 Locked (another operation holds the project) and 503 always; 429
//! after `Retry-After` seconds (or a backoff); 500, 502, 504 and lost answers
//! (connection reset, timeout) are retried as they are except for a `POST`
//! that creates something: it may have been done, so the client first looks
//! for what it was creating (by name) and only sends the `POST` again when
//! nothing is there. Transient failures are retried for at most
//! [`Timings::retry_window`]; operations are waited for until they finish
//! or the context's deadline passes. What an answer means is decided in
//! [`crate::transport`], how long to keep trying in [`crate::retry`]; this
//! module puts the two together around each typed call.
//!
//! The API key never appears in a `Debug` print, a log line or an error
//! message, and neither does a response body: errors quote only Neon's
//! `message` field, and a body that does not parse is described by where it
//! broke, never by its content (it could hold a password).

use std::fmt;
use std::sync::{Mutex, OnceLock};
use std::time::Duration;

use launchpad_core::backoff::Backoff;
use launchpad_core::catalogue::Diagnostic;
use launchpad_core::custom::{Interrupted, ResourceContext, ResourceError};
use launchpad_core::value::{PropertyMap, Value};
use reqwest::header::CONTENT_TYPE;
use reqwest::{Method, StatusCode, Url};
use serde::de::DeserializeOwned;
use tokio::time::Instant;

use super::api::{
    Branch, BranchCreateRequest, BranchEnvelope, BranchSpec, BranchUpdate, BranchUpdateRequest,
    BranchesPage, ConnectionUriEnvelope, ConnectionUriQuery, Database, DatabaseCreateFields,
    DatabaseCreateRequest, DatabaseEnvelope, DatabaseUpdate, DatabaseUpdateRequest,
    DatabasesEnvelope, Endpoint, EndpointEnvelope, EndpointSettings, EndpointUpdateRequest,
    EndpointsEnvelope, NameOnly, Operation, OperationEnvelope, OperationStatus, OperationsPage,
    Page, Project, ProjectCreateRequest, ProjectCreated, ProjectEnvelope, ProjectSpec,
    ProjectUpdate, ProjectUpdateRequest, ProjectsPage, Role, RoleCreateRequest, RoleEnvelope,
    RolesEnvelope, TransferRequest,
};
use crate::errors;
use crate::retry::{Retries, Timings, TokenBucket};
use crate::transport::{self, Answer, Call, Exchange, Reply, decode, retry_after, root_cause};

/// Neon's public API.
pub const DEFAULT_API_URL: &str = "https://console.neon.tech/api/v2";
/// Provider config key of the base URL (`launchpad:neonApiUrl`).
pub const API_URL_CONFIG: &str = "neonApiUrl";
/// Provider config key of the API key (`launchpad:neonApiKey`, a secret).
pub const API_KEY_CONFIG: &str = "neonApiKey";
/// Environment variable read when the config has no API key.
pub const API_KEY_ENV: &str = "NEON_API_KEY";
/// Provider config key of the organization new projects go to
/// (`launchpad:neonOrgId`); a project's `orgId` input wins.
pub const ORG_ID_CONFIG: &str = "neonOrgId";
/// Items asked for per page of a listing (Neon's maximum for projects); a
/// shorter page is the last.
const PAGE_SIZE: usize = 400;
/// Pages of a listing read at most (a cursor that never ends is a bug).
const MAX_PAGES: usize = 100;

/// A string that must never be printed: `Debug` and `Display` show `[secret]`.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wrap `value`.
    pub fn new(value: impl Into<String>) -> Secret {
        Secret(value.into())
    }

    /// The value itself, for the one place that needs it.
    pub fn expose_secret(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[secret]")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[secret]")
    }
}

/// Why a Neon call failed. Each variant displays through its entry of
/// Neon's catalogue ([`crate::errors`], LP650x–LP652x), so the message a
/// user sees is the catalogue's template filled in.
#[derive(Debug, thiserror::Error)]
pub enum NeonError {
    /// Neither the provider config nor the environment holds an API key.
    #[error("{}", errors::missing_api_key())]
    MissingApiKey,
    /// A provider config value (or a constructor argument) is unusable: the
    /// catalogue entry that says which and why (never the value of a secret).
    #[error("{0}")]
    InvalidConfig(Diagnostic),
    /// The HTTP client could not be set up (TLS initialisation).
    #[error("{}", errors::http_client_setup(.0))]
    HttpClient(String),
    /// A request body could not be encoded.
    #[error("{}", errors::request_not_encodable(.endpoint, .reason))]
    Encode {
        /// Method and path.
        endpoint: String,
        /// Why.
        reason: String,
    },
    /// Neon refused the API key: 401 (not valid) or 403 (not allowed).
    #[error("{}", unauthorized(*.status, .endpoint, .message))]
    Unauthorized {
        /// 401 or 403.
        status: u16,
        /// Method and path of the refused call.
        endpoint: String,
        /// Neon's `message`.
        message: String,
    },
    /// A personal API key listed or created projects without naming the
    /// organization: Neon answers 400 `org_id is required`.
    #[error("{}", errors::org_id_required(.endpoint, .message))]
    OrgIdRequired {
        /// Method and path.
        endpoint: String,
        /// Neon's `message` (and request ID).
        message: String,
    },
    /// Neon answered with an error status that retrying cannot fix.
    #[error("{}", errors::api_refused(.endpoint, status_text(*.status), .message))]
    Api {
        /// Method and path.
        endpoint: String,
        /// The HTTP status.
        status: u16,
        /// Neon's `message` (and request ID), or a note that there was none.
        message: String,
    },
    /// Transient failures (423, 429, 5xx, lost answers) went on until the
    /// retry window closed.
    #[error("{}", errors::api_kept_failing(.endpoint, .last, *.attempts))]
    GaveUp {
        /// Method and path.
        endpoint: String,
        /// How many requests were sent.
        attempts: u32,
        /// The last failure.
        last: String,
    },
    /// The answer was not what Neon's API reference documents.
    #[error("{}", errors::unexpected_answer(.endpoint, .expected, .problem))]
    UnexpectedResponse {
        /// Method and path.
        endpoint: String,
        /// What the client expected, for example "a project".
        expected: &'static str,
        /// Where the body broke (never its content).
        problem: String,
    },
    /// Neon cancelled an operation the call was waiting for.
    #[error("{}", errors::operation_cancelled(.action, .id))]
    OperationCancelled {
        /// The operation's ID.
        id: String,
        /// What it did.
        action: String,
    },
    /// Cancel, or the context's deadline, stopped the call while it waited.
    #[error("{}", interruption(.waiting_for, .interrupted, .neon_error))]
    Interrupted {
        /// Cancelled or timed out.
        interrupted: Interrupted,
        /// What the call was waiting for.
        waiting_for: String,
        /// Neon's last error for the awaited operation, when it had failed.
        neon_error: Option<String>,
    },
}

impl NeonError {
    /// Why the call was interrupted, if it was.
    pub fn interrupted(&self) -> Option<Interrupted> {
        match self {
            NeonError::Interrupted { interrupted, .. } => Some(*interrupted),
            _ => None,
        }
    }
}

impl From<NeonError> for ResourceError {
    /// An interruption stays one (the engine reports Cancel and deadlines
    /// its own way) unless Neon had an error to tell, which the message
    /// then carries; everything else is a failure with the full message.
    fn from(e: NeonError) -> ResourceError {
        match e {
            NeonError::Interrupted {
                interrupted,
                neon_error: None,
                ..
            } => ResourceError::Interrupted(interrupted),
            e => ResourceError::Failed(e.to_string()),
        }
    }
}

pub(crate) fn status_text(status: u16) -> String {
    match StatusCode::from_u16(status)
        .ok()
        .and_then(|s| s.canonical_reason())
    {
        Some(reason) => format!("{status} {reason}"),
        None => status.to_string(),
    }
}

/// 403 is a key that may not do this; anything else (401) one Neon does not take.
fn unauthorized(status: u16, endpoint: &str, message: &str) -> Diagnostic {
    if status == 403 {
        errors::api_key_not_allowed(endpoint, status_text(status), message)
    } else {
        errors::api_key_not_valid(status_text(status), message)
    }
}

/// With Neon's last error for the awaited operation when it had failed.
fn interruption(
    waiting_for: &str,
    interrupted: &Interrupted,
    neon_error: &Option<String>,
) -> Diagnostic {
    match neon_error {
        Some(e) => errors::interrupted_after_operation_failed(waiting_for, interrupted, e),
        None => errors::interrupted_while_waiting(waiting_for, interrupted),
    }
}

/// A project just created: the project, its default branch and that
/// branch's endpoints. Passwords are not kept: ask for a connection URI.
#[derive(Clone, Debug, PartialEq)]
pub struct CreatedProject {
    /// The project.
    pub project: Project,
    /// Its default branch.
    pub branch: Branch,
    /// The default branch's endpoints (one read-write endpoint).
    pub endpoints: Vec<Endpoint>,
}

/// A branch just created, with its endpoints.
#[derive(Clone, Debug, PartialEq)]
pub struct CreatedBranch {
    /// The branch.
    pub branch: Branch,
    /// Its endpoints (the read-write endpoint, when one was asked for).
    pub endpoints: Vec<Endpoint>,
}

/// A client of Neon's HTTP API v2. Cheap to make: the HTTP client (TLS set-up)
/// is built on the first request, never before (the plugin's start-up budget).
pub struct NeonClient {
    base_url: Url,
    api_key: Secret,
    timings: Timings,
    http: OnceLock<reqwest::Client>,
    limiter: Mutex<TokenBucket>,
}

impl fmt::Debug for NeonClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("NeonClient")
            .field("base_url", &self.base_url.as_str())
            .field("api_key", &self.api_key)
            .finish_non_exhaustive()
    }
}

impl NeonClient {
    /// A client of the API at `base_url` (for example [`DEFAULT_API_URL`])
    /// using `api_key`. The URL must be https, or http to a loopback address
    /// (tests): the key must not cross a network in clear text.
    pub fn new(
        base_url: impl Into<String>,
        api_key: impl Into<String>,
    ) -> Result<NeonClient, NeonError> {
        let base_url = parse_base_url(&base_url.into())?;
        let api_key = api_key.into();
        if api_key.trim().is_empty() {
            return Err(NeonError::MissingApiKey);
        }
        let timings = Timings::default();
        Ok(NeonClient {
            base_url,
            api_key: Secret(api_key),
            timings,
            http: OnceLock::new(),
            limiter: Mutex::new(TokenBucket::new(&timings)),
        })
    }

    /// A client configured from the provider config: `neonApiUrl` (default
    /// [`DEFAULT_API_URL`]) and `neonApiKey` (may be secret), else the
    /// environment variable `NEON_API_KEY`.
    pub fn from_config(config: &PropertyMap) -> Result<NeonClient, NeonError> {
        NeonClient::from_config_and_env(config, std::env::var(API_KEY_ENV).ok())
    }

    /// [`NeonClient::from_config`] with the environment's key given.
    pub(crate) fn from_config_and_env(
        config: &PropertyMap,
        env_key: Option<String>,
    ) -> Result<NeonClient, NeonError> {
        let url = config_string(config, API_URL_CONFIG)?
            .filter(|u| !u.trim().is_empty())
            .unwrap_or_else(|| DEFAULT_API_URL.to_string());
        let key = config_string(config, API_KEY_CONFIG)?
            .filter(|k| !k.trim().is_empty())
            .or(env_key.filter(|k| !k.trim().is_empty()))
            .ok_or(NeonError::MissingApiKey)?;
        NeonClient::new(url, key)
    }

    /// The same client with other timings.
    pub fn with_timings(mut self, timings: Timings) -> NeonClient {
        self.timings = timings;
        self.limiter = Mutex::new(TokenBucket::new(&timings));
        self
    }

    /// The API's base URL.
    pub fn base_url(&self) -> &str {
        self.base_url.as_str()
    }

    // ---- projects ----

    /// Create a project and wait for its operations. If the answer is lost
    /// (connection reset, timeout, 500/502/504), the project is looked up
    /// by name (and region) before the `POST` is sent again, so it is never
    /// created twice; a project found that way is waited for the same way.
    pub async fn create_project(
        &self,
        ctx: &ResourceContext,
        spec: &ProjectSpec,
    ) -> Result<CreatedProject, NeonError> {
        let (created, operations) = self.start_project(ctx, spec).await?;
        self.wait_for_operations(ctx, &operations).await?;
        Ok(created)
    }

    /// [`NeonClient::create_project`] without the wait: the project and the
    /// operations it started, so a caller that is interrupted while waiting
    /// still knows what exists.
    pub async fn start_project(
        &self,
        ctx: &ResourceContext,
        spec: &ProjectSpec,
    ) -> Result<(CreatedProject, Vec<Operation>), NeonError> {
        let call = Call::post(&["projects"], &ProjectCreateRequest { project: spec })?;
        let label = call.label();
        self.create_once(
            ctx,
            &call,
            || self.recover_project(ctx, spec),
            |body| {
                let created: ProjectCreated = decode(
                    &label,
                    "a project with its branch, endpoints and operations",
                    body,
                )?;
                Ok((
                    CreatedProject {
                        project: created.project,
                        branch: created.branch,
                        endpoints: created.endpoints,
                    },
                    created.operations,
                ))
            },
        )
        .await
    }

    async fn recover_project(
        &self,
        ctx: &ResourceContext,
        spec: &ProjectSpec,
    ) -> Result<Option<(CreatedProject, Vec<Operation>)>, NeonError> {
        let found = self
            .list_projects(ctx, Some(&spec.name), spec.org_id.as_deref())
            .await?
            .into_iter()
            .find(|p| {
                p.name == spec.name && spec.region_id.as_ref().is_none_or(|r| *r == p.region_id)
            });
        let Some(project) = found else {
            return Ok(None);
        };
        let branch = self
            .list_branches(ctx, &project.id, None)
            .await?
            .into_iter()
            .find(|b| b.default)
            .ok_or_else(|| NeonError::UnexpectedResponse {
                endpoint: format!("GET /projects/{}/branches", project.id),
                expected: "the project's default branch",
                problem: "no branch is marked default".to_string(),
            })?;
        let endpoints = self
            .list_branch_endpoints(ctx, &project.id, &branch.id)
            .await?;
        let operations = self.pending_operations(ctx, &project.id, None).await?;
        Ok(Some((
            CreatedProject {
                project,
                branch,
                endpoints,
            },
            operations,
        )))
    }

    /// The project `project_id`; `None` when it does not exist.
    pub async fn get_project(
        &self,
        ctx: &ResourceContext,
        project_id: &str,
    ) -> Result<Option<Project>, NeonError> {
        let call = Call::get(&["projects", project_id]);
        Ok(self
            .fetch::<ProjectEnvelope>(ctx, &call, "a project")
            .await?
            .map(|e| e.project))
    }

    /// Every project whose name or ID contains `search` (all when `None`),
    /// of organization `org_id` when given; follows the pagination.
    pub async fn list_projects(
        &self,
        ctx: &ResourceContext,
        search: Option<&str>,
        org_id: Option<&str>,
    ) -> Result<Vec<Project>, NeonError> {
        let mut call = Call::get(&["projects"]);
        if let Some(search) = search {
            call = call.query("search", search);
        }
        if let Some(org_id) = org_id {
            call = call.query("org_id", org_id);
        }
        self.list_all::<ProjectsPage>(ctx, call, "a list of projects")
            .await
    }

    /// The project named exactly `name` (of organization `org_id` when given).
    pub async fn find_project_by_name(
        &self,
        ctx: &ResourceContext,
        name: &str,
        org_id: Option<&str>,
    ) -> Result<Option<Project>, NeonError> {
        Ok(self
            .list_projects(ctx, Some(name), org_id)
            .await?
            .into_iter()
            .find(|p| p.name == name))
    }

    /// Change a project and wait for the operations that starts.
    pub async fn update_project(
        &self,
        ctx: &ResourceContext,
        project_id: &str,
        update: &ProjectUpdate,
    ) -> Result<Project, NeonError> {
        let call = Call::with_body(
            Method::PATCH,
            &["projects", project_id],
            &ProjectUpdateRequest { project: update },
        )?;
        let envelope: ProjectEnvelope = self.fetch_found(ctx, &call, "a project").await?;
        self.wait_for_operations(ctx, &envelope.operations).await?;
        Ok(envelope.project)
    }

    /// Move a project to another organization (Neon's transfer: the same
    /// project, IDs and credentials). Neon answers 200 with `{}`: nothing
    /// to wait for.
    pub async fn transfer_project(
        &self,
        ctx: &ResourceContext,
        project_id: &str,
        source_org_id: &str,
        destination_org_id: &str,
    ) -> Result<(), NeonError> {
        let call = Call::post(
            &["organizations", source_org_id, "projects", "transfer"],
            &TransferRequest {
                destination_org_id,
                project_ids: [project_id],
            },
        )?;
        match self.send(ctx, &call).await? {
            Reply::Body(_) => Ok(()),
            Reply::NotFound(message) => Err(NeonError::Api {
                endpoint: call.label(),
                status: 404,
                message,
            }),
        }
    }

    /// Delete a project (with all its branches and data). One already gone
    /// is success.
    pub async fn delete_project(
        &self,
        ctx: &ResourceContext,
        project_id: &str,
    ) -> Result<(), NeonError> {
        // Neon answers with the project and no operations: nothing to wait for.
        let call = Call::new(Method::DELETE, &["projects", project_id]);
        self.send(ctx, &call).await.map(|_| ())
    }

    // ---- branches ----

    /// Create a branch (with a read-write endpoint when the spec asks for
    /// one) and wait for its operations. A lost answer is handled as in
    /// [`NeonClient::create_project`], looking the branch up by name.
    pub async fn create_branch(
        &self,
        ctx: &ResourceContext,
        project_id: &str,
        spec: &BranchSpec,
    ) -> Result<CreatedBranch, NeonError> {
        let (created, operations) = self.start_branch(ctx, project_id, spec).await?;
        self.wait_for_operations(ctx, &operations).await?;
        Ok(created)
    }

    /// [`NeonClient::create_branch`] without the wait (see
    /// [`NeonClient::start_project`]).
    pub async fn start_branch(
        &self,
        ctx: &ResourceContext,
        project_id: &str,
        spec: &BranchSpec,
    ) -> Result<(CreatedBranch, Vec<Operation>), NeonError> {
        let call = Call::post(
            &["projects", project_id, "branches"],
            &BranchCreateRequest::new(spec),
        )?;
        let label = call.label();
        self.create_once(
            ctx,
            &call,
            || self.recover_branch(ctx, project_id, &spec.name),
            |body| {
                let e: BranchEnvelope =
                    decode(&label, "a branch with its endpoints and operations", body)?;
                Ok((
                    CreatedBranch {
                        branch: e.branch,
                        endpoints: e.endpoints,
                    },
                    e.operations,
                ))
            },
        )
        .await
    }

    async fn recover_branch(
        &self,
        ctx: &ResourceContext,
        project_id: &str,
        name: &str,
    ) -> Result<Option<(CreatedBranch, Vec<Operation>)>, NeonError> {
        let Some(branch) = self.find_branch_by_name(ctx, project_id, name).await? else {
            return Ok(None);
        };
        let endpoints = self
            .list_branch_endpoints(ctx, project_id, &branch.id)
            .await?;
        let operations = self
            .pending_operations(ctx, project_id, Some(&branch.id))
            .await?;
        Ok(Some((CreatedBranch { branch, endpoints }, operations)))
    }

    /// The branch `branch_id`; `None` when it does not exist.
    pub async fn get_branch(
        &self,
        ctx: &ResourceContext,
        project_id: &str,
        branch_id: &str,
    ) -> Result<Option<Branch>, NeonError> {
        let call = Call::get(&["projects", project_id, "branches", branch_id]);
        Ok(self
            .fetch::<BranchEnvelope>(ctx, &call, "a branch")
            .await?
            .map(|e| e.branch))
    }

    /// The project's branches whose name or ID contains `search` (all when
    /// `None`); follows the pagination.
    pub async fn list_branches(
        &self,
        ctx: &ResourceContext,
        project_id: &str,
        search: Option<&str>,
    ) -> Result<Vec<Branch>, NeonError> {
        let mut call = Call::get(&["projects", project_id, "branches"]);
        if let Some(search) = search {
            call = call.query("search", search);
        }
        self.list_all::<BranchesPage>(ctx, call, "a list of branches")
            .await
    }

    /// The project's branch named exactly `name`.
    pub async fn find_branch_by_name(
        &self,
        ctx: &ResourceContext,
        project_id: &str,
        name: &str,
    ) -> Result<Option<Branch>, NeonError> {
        Ok(self
            .list_branches(ctx, project_id, Some(name))
            .await?
            .into_iter()
            .find(|b| b.name == name))
    }

    /// Change a branch and wait for the operations that starts.
    pub async fn update_branch(
        &self,
        ctx: &ResourceContext,
        project_id: &str,
        branch_id: &str,
        update: &BranchUpdate,
    ) -> Result<Branch, NeonError> {
        let call = Call::with_body(
            Method::PATCH,
            &["projects", project_id, "branches", branch_id],
            &BranchUpdateRequest { branch: update },
        )?;
        let envelope: BranchEnvelope = self.fetch_found(ctx, &call, "a branch").await?;
        self.wait_for_operations(ctx, &envelope.operations).await?;
        Ok(envelope.branch)
    }

    /// Delete a branch and wait for its operations. One already gone is success.
    pub async fn delete_branch(
        &self,
        ctx: &ResourceContext,
        project_id: &str,
        branch_id: &str,
    ) -> Result<(), NeonError> {
        let call = Call::new(
            Method::DELETE,
            &["projects", project_id, "branches", branch_id],
        );
        self.delete_and_wait(ctx, &call).await
    }

    // ---- endpoints ----

    /// The endpoints of a branch.
    pub async fn list_branch_endpoints(
        &self,
        ctx: &ResourceContext,
        project_id: &str,
        branch_id: &str,
    ) -> Result<Vec<Endpoint>, NeonError> {
        let call = Call::get(&["projects", project_id, "branches", branch_id, "endpoints"]);
        let envelope: EndpointsEnvelope =
            self.fetch_found(ctx, &call, "a list of endpoints").await?;
        Ok(envelope.endpoints)
    }

    /// The endpoint `endpoint_id`; `None` when it does not exist.
    pub async fn get_endpoint(
        &self,
        ctx: &ResourceContext,
        project_id: &str,
        endpoint_id: &str,
    ) -> Result<Option<Endpoint>, NeonError> {
        let call = Call::get(&["projects", project_id, "endpoints", endpoint_id]);
        Ok(self
            .fetch::<EndpointEnvelope>(ctx, &call, "an endpoint")
            .await?
            .map(|e| e.endpoint))
    }

    /// Change an endpoint's autoscaling or scale-to-zero settings and wait
    /// for the operations that starts.
    pub async fn update_endpoint(
        &self,
        ctx: &ResourceContext,
        project_id: &str,
        endpoint_id: &str,
        settings: &EndpointSettings,
    ) -> Result<Endpoint, NeonError> {
        let call = Call::with_body(
            Method::PATCH,
            &["projects", project_id, "endpoints", endpoint_id],
            &EndpointUpdateRequest { endpoint: settings },
        )?;
        let envelope: EndpointEnvelope = self.fetch_found(ctx, &call, "an endpoint").await?;
        self.wait_for_operations(ctx, &envelope.operations).await?;
        Ok(envelope.endpoint)
    }

    // ---- roles ----

    /// Create a Postgres role and wait for its operations. Neon generates
    /// its password; read it through [`NeonClient::connection_uri`].
    pub async fn create_role(
        &self,
        ctx: &ResourceContext,
        project_id: &str,
        branch_id: &str,
        name: &str,
    ) -> Result<Role, NeonError> {
        let call = Call::post(
            &["projects", project_id, "branches", branch_id, "roles"],
            &RoleCreateRequest {
                role: NameOnly { name },
            },
        )?;
        let label = call.label();
        let (role, operations) = self
            .create_once(
                ctx,
                &call,
                || async {
                    let found = self
                        .list_roles(ctx, project_id, branch_id)
                        .await?
                        .into_iter()
                        .find(|r| r.name == name);
                    self.with_pending_operations(ctx, project_id, branch_id, found)
                        .await
                },
                |body| {
                    let e: RoleEnvelope = decode(&label, "a role with its operations", body)?;
                    Ok((e.role, e.operations))
                },
            )
            .await?;
        self.wait_for_operations(ctx, &operations).await?;
        Ok(role)
    }

    /// The roles of a branch.
    pub async fn list_roles(
        &self,
        ctx: &ResourceContext,
        project_id: &str,
        branch_id: &str,
    ) -> Result<Vec<Role>, NeonError> {
        let call = Call::get(&["projects", project_id, "branches", branch_id, "roles"]);
        let envelope: RolesEnvelope = self.fetch_found(ctx, &call, "a list of roles").await?;
        Ok(envelope.roles)
    }

    /// Delete a role and wait for its operations. One already gone is success.
    pub async fn delete_role(
        &self,
        ctx: &ResourceContext,
        project_id: &str,
        branch_id: &str,
        name: &str,
    ) -> Result<(), NeonError> {
        let call = Call::new(
            Method::DELETE,
            &["projects", project_id, "branches", branch_id, "roles", name],
        );
        self.delete_and_wait(ctx, &call).await
    }

    // ---- databases ----

    /// Create a database owned by `owner` and wait for its operations.
    pub async fn create_database(
        &self,
        ctx: &ResourceContext,
        project_id: &str,
        branch_id: &str,
        name: &str,
        owner: &str,
    ) -> Result<Database, NeonError> {
        let call = Call::post(
            &["projects", project_id, "branches", branch_id, "databases"],
            &DatabaseCreateRequest {
                database: DatabaseCreateFields {
                    name,
                    owner_name: owner,
                },
            },
        )?;
        let label = call.label();
        let (database, operations) = self
            .create_once(
                ctx,
                &call,
                || async {
                    let found = self
                        .list_databases(ctx, project_id, branch_id)
                        .await?
                        .into_iter()
                        .find(|d| d.name == name);
                    self.with_pending_operations(ctx, project_id, branch_id, found)
                        .await
                },
                |body| {
                    let e: DatabaseEnvelope =
                        decode(&label, "a database with its operations", body)?;
                    Ok((e.database, e.operations))
                },
            )
            .await?;
        self.wait_for_operations(ctx, &operations).await?;
        Ok(database)
    }

    /// The databases of a branch.
    pub async fn list_databases(
        &self,
        ctx: &ResourceContext,
        project_id: &str,
        branch_id: &str,
    ) -> Result<Vec<Database>, NeonError> {
        let call = Call::get(&["projects", project_id, "branches", branch_id, "databases"]);
        let envelope: DatabasesEnvelope =
            self.fetch_found(ctx, &call, "a list of databases").await?;
        Ok(envelope.databases)
    }

    /// Rename a database or give it another owner (its data stays) and wait
    /// for the operations that starts.
    pub async fn update_database(
        &self,
        ctx: &ResourceContext,
        project_id: &str,
        branch_id: &str,
        name: &str,
        update: &DatabaseUpdate,
    ) -> Result<Database, NeonError> {
        let call = Call::with_body(
            Method::PATCH,
            &[
                "projects",
                project_id,
                "branches",
                branch_id,
                "databases",
                name,
            ],
            &DatabaseUpdateRequest { database: update },
        )?;
        let envelope: DatabaseEnvelope = self.fetch_found(ctx, &call, "a database").await?;
        self.wait_for_operations(ctx, &envelope.operations).await?;
        Ok(envelope.database)
    }

    /// Delete a database and wait for its operations. One already gone is success.
    pub async fn delete_database(
        &self,
        ctx: &ResourceContext,
        project_id: &str,
        branch_id: &str,
        name: &str,
    ) -> Result<(), NeonError> {
        let call = Call::new(
            Method::DELETE,
            &[
                "projects",
                project_id,
                "branches",
                branch_id,
                "databases",
                name,
            ],
        );
        self.delete_and_wait(ctx, &call).await
    }

    // ---- connection ----

    /// The connection URI (with the role's password) for a database:
    /// direct, or through Neon's pooler when `query.pooled`.
    pub async fn connection_uri(
        &self,
        ctx: &ResourceContext,
        query: &ConnectionUriQuery,
    ) -> Result<Secret, NeonError> {
        let mut call = Call::get(&["projects", &query.project_id, "connection_uri"]);
        if let Some(branch_id) = &query.branch_id {
            call = call.query("branch_id", branch_id);
        }
        let call = call
            .query("database_name", &query.database_name)
            .query("role_name", &query.role_name)
            .query("pooled", if query.pooled { "true" } else { "false" });
        let envelope: ConnectionUriEnvelope =
            self.fetch_found(ctx, &call, "a connection URI").await?;
        Ok(Secret(envelope.uri))
    }

    // ---- operations ----

    /// Wait until every operation is done: `finished` or `skipped`. A
    /// `failed` operation is waited for too (Neon retries it); the context's
    /// deadline ends the wait, with Neon's last error for it in the message.
    pub async fn wait_for_operations(
        &self,
        ctx: &ResourceContext,
        operations: &[Operation],
    ) -> Result<(), NeonError> {
        for operation in operations {
            self.wait_for_operation(ctx, operation.clone()).await?;
        }
        Ok(())
    }

    async fn wait_for_operation(
        &self,
        ctx: &ResourceContext,
        mut op: Operation,
    ) -> Result<(), NeonError> {
        let mut backoff = Backoff::new(self.timings.first_backoff, self.timings.max_backoff);
        let mut reported: Option<(OperationStatus, u32)> = None;
        loop {
            match op.status {
                OperationStatus::Finished | OperationStatus::Skipped => return Ok(()),
                // Neon cancels a pending suspend when the compute is wanted again.
                OperationStatus::Cancelled if op.action == "suspend_compute" => return Ok(()),
                OperationStatus::Cancelled => {
                    return Err(NeonError::OperationCancelled {
                        id: op.id,
                        action: op.action,
                    });
                }
                _ => {}
            }
            if reported != Some((op.status, op.failures_count)) {
                reported = Some((op.status, op.failures_count));
                ctx.log.progress(&progress_line(&op));
            }
            let waiting_for = format!("waiting for the Neon operation {} ({})", op.action, op.id);
            if let Err(interrupted) = ctx.run(tokio::time::sleep(backoff.next_wait())).await {
                return Err(NeonError::Interrupted {
                    interrupted,
                    waiting_for,
                    neon_error: op.error,
                });
            }
            let call = Call::get(&["projects", &op.project_id, "operations", &op.id]);
            op = match self
                .fetch_found::<OperationEnvelope>(ctx, &call, "an operation")
                .await
            {
                Ok(envelope) => envelope.operation,
                Err(NeonError::Interrupted { interrupted, .. }) => {
                    return Err(NeonError::Interrupted {
                        interrupted,
                        waiting_for,
                        neon_error: op.error,
                    });
                }
                Err(e) => return Err(e),
            };
        }
    }

    /// The project's operations not yet done (of one branch when given):
    /// what a create found after a lost answer still has to wait for.
    async fn pending_operations(
        &self,
        ctx: &ResourceContext,
        project_id: &str,
        branch_id: Option<&str>,
    ) -> Result<Vec<Operation>, NeonError> {
        let call = Call::get(&["projects", project_id, "operations"]).query("limit", "100");
        let page: OperationsPage = self.fetch_found(ctx, &call, "a list of operations").await?;
        Ok(page
            .operations
            .into_iter()
            .filter(|o| !o.status.is_terminal())
            .filter(|o| branch_id.is_none_or(|b| o.branch_id.as_deref() == Some(b)))
            .collect())
    }

    async fn with_pending_operations<T>(
        &self,
        ctx: &ResourceContext,
        project_id: &str,
        branch_id: &str,
        found: Option<T>,
    ) -> Result<Option<(T, Vec<Operation>)>, NeonError> {
        match found {
            None => Ok(None),
            Some(found) => {
                let operations = self
                    .pending_operations(ctx, project_id, Some(branch_id))
                    .await?;
                Ok(Some((found, operations)))
            }
        }
    }

    // ---- the request machinery ----

    fn http(&self) -> Result<&reqwest::Client, NeonError> {
        if let Some(client) = self.http.get() {
            return Ok(client);
        }
        let client = reqwest::Client::builder()
            .user_agent(concat!("launchpad/", env!("CARGO_PKG_VERSION")))
            .connect_timeout(self.timings.request_timeout)
            // Neon does not redirect; following one could send the key elsewhere.
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| NeonError::HttpClient(root_cause(&e)))?;
        Ok(self.http.get_or_init(|| client))
    }

    fn url(&self, call: &Call) -> Url {
        let mut url = self.base_url.clone();
        // `new` made sure the base URL can have path segments.
        if let Ok(mut segments) = url.path_segments_mut() {
            segments.pop_if_empty().extend(&call.segments);
        }
        if !call.query.is_empty() {
            url.query_pairs_mut()
                .extend_pairs(call.query.iter().map(|(k, v)| (*k, v.as_str())));
        }
        url
    }

    /// A GET whose 404 means "none".
    async fn fetch<T: DeserializeOwned>(
        &self,
        ctx: &ResourceContext,
        call: &Call,
        expected: &'static str,
    ) -> Result<Option<T>, NeonError> {
        match self.send(ctx, call).await? {
            Reply::Body(body) => decode(&call.label(), expected, &body).map(Some),
            Reply::NotFound(_) => Ok(None),
        }
    }

    /// Every item of a paginated listing, following its cursor (at most
    /// [`MAX_PAGES`] pages of [`PAGE_SIZE`]).
    async fn list_all<P: Page>(
        &self,
        ctx: &ResourceContext,
        call: Call,
        expected: &'static str,
    ) -> Result<Vec<P::Item>, NeonError> {
        let call = call.query("limit", &PAGE_SIZE.to_string());
        let mut items = Vec::new();
        let mut cursor: Option<String> = None;
        for _ in 0..MAX_PAGES {
            let page_call = match &cursor {
                Some(c) => call.clone().query("cursor", c),
                None => call.clone(),
            };
            let (page, next) = self
                .fetch_found::<P>(ctx, &page_call, expected)
                .await?
                .into_parts();
            let done = page.len() < PAGE_SIZE || next.is_none() || next == cursor;
            items.extend(page);
            if done {
                break;
            }
            cursor = next;
        }
        Ok(items)
    }

    /// A call whose 404 is an error.
    async fn fetch_found<T: DeserializeOwned>(
        &self,
        ctx: &ResourceContext,
        call: &Call,
        expected: &'static str,
    ) -> Result<T, NeonError> {
        match self.send(ctx, call).await? {
            Reply::Body(body) => decode(&call.label(), expected, &body),
            Reply::NotFound(message) => Err(NeonError::Api {
                endpoint: call.label(),
                status: 404,
                message,
            }),
        }
    }

    /// A DELETE: 404 is success; the operations it started are waited for.
    async fn delete_and_wait(&self, ctx: &ResourceContext, call: &Call) -> Result<(), NeonError> {
        #[derive(serde::Deserialize)]
        struct Operations {
            #[serde(default)]
            operations: Vec<Operation>,
        }
        match self.send(ctx, call).await? {
            Reply::NotFound(_) => Ok(()),
            Reply::Body(body) if body.iter().all(u8::is_ascii_whitespace) => Ok(()),
            Reply::Body(body) => {
                let ops: Operations = decode(&call.label(), "operations", &body)?;
                self.wait_for_operations(ctx, &ops.operations).await
            }
        }
    }

    /// Send a `POST` that creates something at most once: when its answer is
    /// lost, `find_existing` looks for what it creates, and only when that
    /// finds nothing is the `POST` sent again. A 2xx whose body does not
    /// parse says the thing was made without saying what it is: it is looked
    /// for too (else it would be orphaned, and the next `up` would refuse its
    /// name), but never created again, as Neon said it was done.
    async fn create_once<T, F>(
        &self,
        ctx: &ResourceContext,
        call: &Call,
        find_existing: impl Fn() -> F,
        parse: impl Fn(&[u8]) -> Result<T, NeonError>,
    ) -> Result<T, NeonError>
    where
        F: Future<Output = Result<Option<T>, NeonError>>,
    {
        let label = call.label();
        let mut retries = Retries::new(&self.timings);
        loop {
            retries.attempts += 1;
            let lost = match self.exchange(ctx, call, true).await? {
                Exchange::Done(Reply::Body(body)) => {
                    return match parse(&body) {
                        Err(unreadable @ NeonError::UnexpectedResponse { .. }) => {
                            ctx.log.progress(&format!(
                                "could not read the Neon API's answer to {label}; looking for what it made"
                            ));
                            find_existing().await?.ok_or(unreadable)
                        }
                        parsed => parsed,
                    };
                }
                Exchange::Done(Reply::NotFound(message)) => {
                    return Err(NeonError::Api {
                        endpoint: label,
                        status: 404,
                        message,
                    });
                }
                Exchange::Lost(reason) => reason,
            };
            ctx.log.progress(&format!(
                "lost the Neon API's answer to {label} ({lost}); checking whether it was done"
            ));
            if let Some(found) = find_existing().await? {
                return Ok(found);
            }
            let Some(delay) = retries.next_wait(None) else {
                return Err(NeonError::GaveUp {
                    endpoint: label,
                    attempts: retries.attempts,
                    last: lost,
                });
            };
            ctx.log.progress(&format!(
                "{label} was not done; sending it again in {}",
                show(delay)
            ));
            self.pause(ctx, delay, &label).await?;
        }
    }

    /// Send `call`, retrying whatever is safe to retry.
    async fn send(&self, ctx: &ResourceContext, call: &Call) -> Result<Reply, NeonError> {
        match self.exchange(ctx, call, false).await? {
            Exchange::Done(reply) => Ok(reply),
            // Only reported when asked for (creates).
            Exchange::Lost(reason) => Err(NeonError::GaveUp {
                endpoint: call.label(),
                attempts: 1,
                last: reason,
            }),
        }
    }

    /// Send `call` until it gets an answer that retrying cannot change.
    /// With `report_lost`, an answer that may hide a done `POST` is returned
    /// as [`Exchange::Lost`] instead of being retried.
    async fn exchange(
        &self,
        ctx: &ResourceContext,
        call: &Call,
        report_lost: bool,
    ) -> Result<Exchange, NeonError> {
        let label = call.label();
        let http = self.http()?;
        let mut retries = Retries::new(&self.timings);
        loop {
            retries.attempts += 1;
            let wait = self
                .limiter
                .lock()
                .map(|mut bucket| bucket.reserve(Instant::now()))
                .unwrap_or_default();
            if !wait.is_zero() {
                self.pause(ctx, wait, &label).await?;
            }
            let mut request = http
                .request(call.method.clone(), self.url(call))
                .bearer_auth(self.api_key.expose_secret())
                .timeout(self.timings.request_timeout);
            if let Some(body) = &call.body {
                request = request
                    .header(CONTENT_TYPE, "application/json")
                    .body(body.clone());
            }
            let answer = ctx
                .run(async {
                    let response = request.send().await?;
                    let status = response.status();
                    let retry_after = retry_after(response.headers());
                    let body = response.bytes().await?;
                    Ok::<_, reqwest::Error>((status, retry_after, body))
                })
                .await
                .map_err(|interrupted| NeonError::Interrupted {
                    interrupted,
                    waiting_for: format!("waiting for the Neon API to answer {label}"),
                    neon_error: None,
                })?;
            let (failure, told_wait) = match answer {
                Ok((status, retry_after, body)) => {
                    match transport::classify(&label, status, retry_after, &body) {
                        Answer::Final(reply) => return reply.map(Exchange::Done),
                        Answer::Again { failure, told_wait } => (failure, told_wait),
                        Answer::MaybeDone(failure) => {
                            if report_lost {
                                return Ok(Exchange::Lost(failure));
                            }
                            (failure, None)
                        }
                    }
                }
                Err(e) if e.is_connect() => {
                    // Nothing reached Neon: always safe to retry, but not for long.
                    let failure = format!("cannot connect: {}", root_cause(&e));
                    if retries.connect_failed() {
                        return Err(NeonError::GaveUp {
                            endpoint: label,
                            attempts: retries.attempts,
                            last: failure,
                        });
                    }
                    (failure, None)
                }
                Err(e) => {
                    let failure = if e.is_timeout() {
                        format!("no answer within {}", show(self.timings.request_timeout))
                    } else {
                        format!("connection lost: {}", root_cause(&e))
                    };
                    if report_lost {
                        return Ok(Exchange::Lost(failure));
                    }
                    (failure, None)
                }
            };
            let Some(delay) = retries.next_wait(told_wait) else {
                return Err(NeonError::GaveUp {
                    endpoint: label,
                    attempts: retries.attempts,
                    last: failure,
                });
            };
            ctx.log.progress(&format!(
                "Neon API {label}: {failure}; retrying in {}",
                show(delay)
            ));
            self.pause(ctx, delay, &label).await?;
        }
    }

    async fn pause(
        &self,
        ctx: &ResourceContext,
        delay: Duration,
        label: &str,
    ) -> Result<(), NeonError> {
        ctx.run(tokio::time::sleep(delay))
            .await
            .map_err(|interrupted| NeonError::Interrupted {
                interrupted,
                waiting_for: format!("waiting to retry {label}"),
                neon_error: None,
            })
    }
}

fn progress_line(op: &Operation) -> String {
    match (&op.error, op.status) {
        (Some(error), OperationStatus::Failed | OperationStatus::Error) => format!(
            "Neon operation {} failed ({} so far): {error}; Neon retries it",
            op.action,
            plural(op.failures_count, "failure")
        ),
        _ => format!("Neon operation {}: {}", op.action, op.status.as_str()),
    }
}

fn plural(n: u32, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

/// A duration as a person reads it: `1s`, `250ms`.
fn show(d: Duration) -> String {
    format!("{:?}", Duration::from_millis(d.as_millis() as u64))
}

/// The provider config's organization for new projects
/// (`launchpad:neonOrgId`), when it is set.
pub fn org_id_from_config(config: &PropertyMap) -> Result<Option<String>, NeonError> {
    Ok(config_string(config, ORG_ID_CONFIG)?.filter(|id| !id.trim().is_empty()))
}

fn config_string(config: &PropertyMap, key: &str) -> Result<Option<String>, NeonError> {
    match config.get(key).map(Value::unwrap_top) {
        None | Some((Some(Value::Null), _)) => Ok(None),
        Some((Some(Value::String(s)), _)) => Ok(Some(s.clone())),
        Some(_) => Err(NeonError::InvalidConfig(errors::config_not_a_string(key))),
    }
}

fn parse_base_url(url: &str) -> Result<Url, NeonError> {
    let shown = format!("{url:?}");
    let parsed = Url::parse(url.trim())
        .map_err(|e| NeonError::InvalidConfig(errors::api_url_not_a_url(&shown, e)))?;
    let loopback = parsed.host_str().is_some_and(|host| {
        host == "localhost"
            || host
                .trim_start_matches('[')
                .trim_end_matches(']')
                .parse::<std::net::IpAddr>()
                .is_ok_and(|ip| ip.is_loopback())
    });
    match parsed.scheme() {
        "https" => {}
        "http" if loopback => {}
        _ => return Err(NeonError::InvalidConfig(errors::api_url_not_https(&shown))),
    }
    if parsed.cannot_be_a_base() || parsed.query().is_some() {
        return Err(NeonError::InvalidConfig(errors::api_url_not_a_base(&shown)));
    }
    Ok(parsed)
}

#[cfg(test)]
impl NeonClient {
    /// Whether the HTTP client has been built yet.
    pub(crate) fn http_is_built(&self) -> bool {
        self.http.get().is_some()
    }
}
