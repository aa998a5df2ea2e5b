//! The trait a native custom resource of this provider implements (site
//! content, Neon objects). The provider service dispatches Check, Diff,
//! Create, Read, Update and Delete to it by type token.
//!
//! The lifecycle, as the engine drives it:
//! - `check` validates new inputs (failures, never errors);
//! - `diff` compares the old [`State`] with the new inputs;
//! - `create` / `update` / `delete` do the work, with `preview` touching
//!   nothing; a create that stops half-way returns
//!   [`ResourceError::PartiallyCreated`] so the engine records what exists;
//! - `read` returns the live [`State`] (outputs *and* the inputs that would
//!   produce them), so `pulumi refresh` shows drift and `pulumi import`
//!   gets inputs from an ID alone.
//!
//! Every call gets a [`ResourceContext`]: long work checks
//! [`ResourceContext::interrupted`] (Ctrl-C or the request's deadline from
//! `customTimeouts`) and stops promptly, reporting what it did; progress
//! goes to the user through [`ResourceContext::log`]. Output secrecy is not
//! the resource's business: the protocol layer makes an output secret when
//! the schema says so or when it derives from a secret input.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use tokio::time::Instant;
use tokio_util::sync::CancellationToken;

use crate::args::InputError;
use crate::log::ResourceLog;
use crate::schema::ResourceDef;
use crate::value::PropertyMap;

/// Why an operation stopped before it was done.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Interrupted {
    /// The user cancelled the update (Ctrl-C); the engine called Cancel.
    #[error("{}", crate::errors::cancelled())]
    Cancelled,
    /// The operation's deadline (`customTimeouts`) passed.
    #[error("{}", crate::errors::timed_out(format!("{:?}", .0)))]
    DeadlineExceeded(Duration),
}

/// What every lifecycle call knows.
#[derive(Clone, Debug)]
pub struct ResourceContext {
    /// The resource's URN.
    pub urn: String,
    /// Its logical name.
    pub name: String,
    /// The provider's configuration (from Configure).
    pub config: Arc<PropertyMap>,
    /// The program's directory (relative paths start there), when known.
    pub program_directory: Option<PathBuf>,
    /// Messages for the user about this resource.
    pub log: ResourceLog,
    cancel: CancellationToken,
    timeout: Option<Duration>,
    deadline: Option<Instant>,
}

impl ResourceContext {
    /// A context for one call: `cancel` fires on Cancel; `timeout` (none or
    /// zero: no deadline) starts now.
    pub fn new(
        urn: impl Into<String>,
        config: Arc<PropertyMap>,
        log: ResourceLog,
        cancel: CancellationToken,
        timeout: Option<Duration>,
    ) -> ResourceContext {
        let urn = urn.into();
        let timeout = timeout.filter(|t| !t.is_zero());
        ResourceContext {
            name: crate::value::urn_name(&urn).to_string(),
            urn,
            config,
            program_directory: None,
            log,
            cancel,
            deadline: timeout.map(|t| Instant::now() + t),
            timeout,
        }
    }

    /// Set the program's directory.
    pub fn with_program_directory(mut self, dir: Option<PathBuf>) -> ResourceContext {
        self.program_directory = dir;
        self
    }

    /// The same context with a deadline `timeout` from now when the request
    /// set none (no `customTimeouts`): a resource's own default.
    pub fn or_timeout(mut self, timeout: Duration) -> ResourceContext {
        if self.timeout.is_none() && !timeout.is_zero() {
            self.timeout = Some(timeout);
            self.deadline = Some(Instant::now() + timeout);
        }
        self
    }

    /// `Err` once the operation was cancelled or its deadline passed: check
    /// it between steps of long work.
    pub fn check_interrupted(&self) -> Result<(), Interrupted> {
        if self.cancel.is_cancelled() {
            return Err(Interrupted::Cancelled);
        }
        match (self.deadline, self.timeout) {
            (Some(d), Some(t)) if Instant::now() >= d => Err(Interrupted::DeadlineExceeded(t)),
            _ => Ok(()),
        }
    }

    /// Completes when the operation is cancelled or its deadline passes.
    pub async fn interrupted(&self) -> Interrupted {
        let deadline = async {
            match (self.deadline, self.timeout) {
                (Some(d), Some(t)) => {
                    tokio::time::sleep_until(d).await;
                    Interrupted::DeadlineExceeded(t)
                }
                _ => std::future::pending().await,
            }
        };
        tokio::select! {
            () = self.cancel.cancelled() => Interrupted::Cancelled,
            i = deadline => i,
        }
    }

    /// Run `work` unless it is interrupted first (then it is dropped).
    pub async fn run<T>(&self, work: impl Future<Output = T>) -> Result<T, Interrupted> {
        tokio::select! {
            biased;
            i = self.interrupted() => Err(i),
            t = work => Ok(t),
        }
    }
}

/// A resource's recorded state: the inputs it was made from and its outputs.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct State {
    /// Inputs (after Check).
    pub inputs: PropertyMap,
    /// Outputs.
    pub outputs: PropertyMap,
}

/// Result of Check: the inputs to use and any failures (never an RPC error).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CheckResult {
    /// Inputs after defaults.
    pub inputs: PropertyMap,
    /// Problems, each naming its property.
    pub failures: Vec<InputError>,
}

/// How one property changes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChangeKind {
    /// Newly set.
    Add,
    /// Changed.
    Update,
    /// Removed.
    Delete,
}

/// One property's change.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PropertyChange {
    /// The kind of change.
    pub kind: ChangeKind,
    /// Whether it forces a replacement.
    pub replace: bool,
}

/// Result of Diff.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct DiffResult {
    /// Changed properties by path (top-level name or a deeper path such as `files["a.html"]`).
    pub changes: BTreeMap<String, PropertyChange>,
    /// Create the replacement only after deleting the old resource.
    pub delete_before_replace: bool,
}

impl DiffResult {
    /// Compare two input maps key by key; keys in `replace_on` force replacement.
    pub fn between(olds: &PropertyMap, news: &PropertyMap, replace_on: &[&str]) -> DiffResult {
        let mut changes = BTreeMap::new();
        let keys: std::collections::BTreeSet<&String> = olds.keys().chain(news.keys()).collect();
        for key in keys {
            let kind = match (olds.get(key), news.get(key)) {
                (None, Some(n)) if !n.is_null() => ChangeKind::Add,
                (Some(o), None) if !o.is_null() => ChangeKind::Delete,
                (Some(o), Some(n)) if n.is_unknown() || o.strip() != n.strip() => {
                    ChangeKind::Update
                }
                _ => continue,
            };
            changes.insert(
                key.clone(),
                PropertyChange {
                    kind,
                    replace: replace_on.contains(&key.as_str()),
                },
            );
        }
        DiffResult {
            changes,
            delete_before_replace: false,
        }
    }
}

/// The ID and output properties of a created resource.
#[derive(Clone, Debug, PartialEq)]
pub struct Created {
    /// Its ID (empty during preview).
    pub id: String,
    /// Its output properties.
    pub outputs: PropertyMap,
}

/// Why a lifecycle call failed.
#[derive(Debug, thiserror::Error)]
pub enum ResourceError {
    /// The inputs are invalid.
    #[error("{0}")]
    Input(#[from] InputError),
    /// The call failed and changed nothing that needs recording.
    #[error("{0}")]
    Failed(String),
    /// The call stopped before it changed anything that needs recording.
    #[error("{0}")]
    Interrupted(#[from] Interrupted),
    /// The ID is not of the resource's form: the user's input (typed in
    /// `pulumi import`, or edited into the state), refused before any call
    /// to the cloud.
    #[error("{}", crate::errors::malformed_id(id, resource, form))]
    MalformedId {
        /// The ID as given.
        id: String,
        /// The resource's type name (`NeonBranch`).
        resource: &'static str,
        /// What an ID of this type looks like, with an example.
        form: &'static str,
    },
    /// The resource exists but is not fully set up (a create or an update
    /// that stopped); the engine records it, and its next `up` updates it
    /// even when Diff finds no change. The engine keeps `outputs`, but not
    /// `inputs`: a stopped Create is recorded with the goal's inputs and a
    /// stopped Update with the old ones (pulumi/pulumi#2011), so what the
    /// next deploy must know goes into `outputs`.
    #[error("{}", reasons.join("; "))]
    PartiallyCreated {
        /// The ID of what exists.
        id: String,
        /// Its state so far.
        outputs: PropertyMap,
        /// The inputs it was created from (sent, but not what the engine records).
        inputs: PropertyMap,
        /// What went wrong.
        reasons: Vec<String>,
    },
}

/// A native custom resource.
#[async_trait::async_trait]
pub trait CustomResource: Send + Sync {
    /// Its schema definition: token, inputs, and outputs (which of them are
    /// secret, and which inputs each derives from).
    fn definition(&self) -> &'static ResourceDef;

    /// Validate `news` (olds are the previous inputs, empty on create).
    async fn check(
        &self,
        ctx: &ResourceContext,
        olds: &PropertyMap,
        news: PropertyMap,
    ) -> CheckResult;

    /// Compare the recorded state with new inputs.
    async fn diff(
        &self,
        ctx: &ResourceContext,
        id: &str,
        old: &State,
        news: &PropertyMap,
    ) -> Result<DiffResult, ResourceError>;

    /// Create. With `preview`, touch nothing and return the expected outputs
    /// (unknown where not known).
    async fn create(
        &self,
        ctx: &ResourceContext,
        inputs: &PropertyMap,
        preview: bool,
    ) -> Result<Created, ResourceError>;

    /// Read the live state of `id`: its outputs and the inputs that would
    /// produce them; `None` when it no longer exists. On `pulumi import`
    /// the recorded state is empty.
    async fn read(
        &self,
        ctx: &ResourceContext,
        id: &str,
        old: &State,
    ) -> Result<Option<State>, ResourceError>;

    /// Update in place from the recorded state to `news`; returns the new
    /// outputs. With `preview`, touch nothing.
    async fn update(
        &self,
        ctx: &ResourceContext,
        id: &str,
        old: &State,
        news: &PropertyMap,
        preview: bool,
    ) -> Result<PropertyMap, ResourceError>;

    /// Delete; a resource that is already gone is success.
    async fn delete(
        &self,
        ctx: &ResourceContext,
        id: &str,
        old: &State,
    ) -> Result<(), ResourceError>;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::log::{NoLog, ResourceLog};
    use crate::value::Value;

    fn context(timeout: Option<Duration>) -> (ResourceContext, CancellationToken) {
        let cancel = CancellationToken::new();
        let urn = "urn:pulumi:dev::p::t:m:R::r";
        let log = ResourceLog::new(Arc::new(NoLog), urn);
        let ctx = ResourceContext::new(urn, Arc::default(), log, cancel.child_token(), timeout);
        (ctx, cancel)
    }

    #[tokio::test]
    async fn a_deadline_interrupts_long_work_and_says_how_long_it_was() {
        let (ctx, _cancel) = context(Some(Duration::from_millis(50)));
        assert_eq!(ctx.name, "r");
        assert_eq!(ctx.check_interrupted(), Ok(()));
        let r = ctx.run(tokio::time::sleep(Duration::from_secs(3600))).await;
        let interrupted = r.expect_err("interrupted");
        assert_eq!(
            interrupted,
            Interrupted::DeadlineExceeded(Duration::from_millis(50))
        );
        assert!(
            interrupted.to_string().starts_with("timed out after 50ms"),
            "{interrupted}"
        );
        assert_eq!(ctx.check_interrupted(), Err(interrupted));
    }

    #[tokio::test]
    async fn a_default_timeout_applies_only_when_the_request_set_none() {
        let (ctx, _cancel) = context(None);
        let bounded = ctx.clone().or_timeout(Duration::from_millis(20));
        let r = bounded
            .run(tokio::time::sleep(Duration::from_secs(3600)))
            .await;
        assert_eq!(
            r,
            Err(Interrupted::DeadlineExceeded(Duration::from_millis(20)))
        );
        let (ctx, _cancel) = context(Some(Duration::from_secs(3600)));
        let kept = ctx.or_timeout(Duration::from_millis(1));
        assert_eq!(kept.run(async { 7 }).await, Ok(7));
        assert_eq!(kept.check_interrupted(), Ok(()));
    }

    #[tokio::test]
    async fn cancel_interrupts_and_no_timeout_means_no_deadline() {
        let (ctx, cancel) = context(Some(Duration::ZERO));
        assert_eq!(ctx.run(async { 7 }).await, Ok(7));
        cancel.cancel();
        assert_eq!(ctx.check_interrupted(), Err(Interrupted::Cancelled));
        assert_eq!(ctx.interrupted().await, Interrupted::Cancelled);
    }

    #[test]
    fn diff_between_reports_adds_updates_deletes_and_replaces() {
        let olds = PropertyMap::from([
            ("a".to_string(), Value::string("1")),
            ("b".to_string(), Value::string("x")),
        ]);
        let news = PropertyMap::from([
            ("a".to_string(), Value::string("2")),
            ("c".to_string(), Value::Bool(true)),
        ]);
        let d = DiffResult::between(&olds, &news, &["a"]);
        assert_eq!(
            d.changes["a"],
            PropertyChange {
                kind: ChangeKind::Update,
                replace: true
            }
        );
        assert_eq!(d.changes["b"].kind, ChangeKind::Delete);
        assert_eq!(d.changes["c"].kind, ChangeKind::Add);
        assert!(DiffResult::between(&olds, &olds, &[]).changes.is_empty());
    }
}
