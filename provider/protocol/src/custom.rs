//! The trait a native custom resource of this provider implements (site
//! content, Neon objects). The provider service dispatches Check, Diff,
//! Create, Read, Update and Delete to it by type token.

use std::collections::BTreeMap;
use std::sync::Arc;

use crate::args::InputError;
use crate::value::{PropertyMap, Value};

/// What every lifecycle call knows.
#[derive(Clone, Debug)]
pub struct ResourceContext {
    /// The resource's URN.
    pub urn: String,
    /// Its logical name.
    pub name: String,
    /// The provider's configuration (from Configure).
    pub config: Arc<PropertyMap>,
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
                (Some(o), Some(n))
                    if o.strip() != n.strip() || matches!(n.strip(), Value::Unknown(_)) =>
                {
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
    /// The resource exists but is not fully set up; the engine records it.
    #[error("{}", reasons.join("; "))]
    PartiallyCreated {
        /// The ID of what exists.
        id: String,
        /// Its state so far.
        outputs: PropertyMap,
        /// The inputs it was created from.
        inputs: PropertyMap,
        /// What went wrong.
        reasons: Vec<String>,
    },
}

/// A native custom resource.
#[tonic::async_trait]
pub trait CustomResource: Send + Sync {
    /// The type token, e.g. `launchpad:index:SiteContent`.
    fn token(&self) -> &'static str;

    /// Validate `news` (olds are the previous inputs, empty on create).
    async fn check(
        &self,
        ctx: &ResourceContext,
        olds: &PropertyMap,
        news: PropertyMap,
    ) -> CheckResult;

    /// Compare old state with new inputs.
    async fn diff(
        &self,
        ctx: &ResourceContext,
        id: &str,
        olds: &PropertyMap,
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

    /// Read the live state of `id`; `None` when it no longer exists.
    async fn read(
        &self,
        ctx: &ResourceContext,
        id: &str,
        state: &PropertyMap,
    ) -> Result<Option<PropertyMap>, ResourceError>;

    /// Update in place. With `preview`, touch nothing.
    async fn update(
        &self,
        ctx: &ResourceContext,
        id: &str,
        olds: &PropertyMap,
        news: &PropertyMap,
        preview: bool,
    ) -> Result<PropertyMap, ResourceError>;

    /// Delete; a resource that is already gone is success.
    async fn delete(
        &self,
        ctx: &ResourceContext,
        id: &str,
        state: &PropertyMap,
    ) -> Result<(), ResourceError>;
}

#[cfg(test)]
mod tests {
    use super::*;

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
