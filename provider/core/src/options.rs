//! Resource options: those a program gave the component ([`ComponentOptions`],
//! from the Construct request) and those a planner gives one child
//! ([`ChildOptions`]). [`ChildOptions::effective`] is the one place that
//! decides what a child inherits from its component.

use std::collections::BTreeMap;
use std::time::Duration;

/// `customTimeouts`: how long the engine lets each operation take.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CustomTimeouts {
    /// Create.
    pub create: Option<Duration>,
    /// Update.
    pub update: Option<Duration>,
    /// Delete.
    pub delete: Option<Duration>,
}

impl CustomTimeouts {
    /// Each operation's own timeout, else `fallback`'s.
    pub fn or(&self, fallback: &CustomTimeouts) -> CustomTimeouts {
        CustomTimeouts {
            create: self.create.or(fallback.create),
            update: self.update.or(fallback.update),
            delete: self.delete.or(fallback.delete),
        }
    }

    /// Whether no operation has a timeout.
    pub fn is_empty(&self) -> bool {
        self.create.is_none() && self.update.is_none() && self.delete.is_none()
    }
}

/// An earlier identity of a child, so that a child renamed (or retyped) in a
/// later launchpad version keeps its cloud resource instead of being replaced.
/// It is looked for under the same parent.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ChildAlias {
    /// The earlier logical name, if it changed.
    pub name: Option<String>,
    /// The earlier type token, if it changed.
    pub type_token: Option<String>,
}

/// The resource options a program gave the component, as the engine passed
/// them to Construct. URNs and provider references are the engine's strings.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ComponentOptions {
    /// `protect`.
    pub protect: Option<bool>,
    /// `retainOnDelete`.
    pub retain_on_delete: Option<bool>,
    /// `deleteBeforeReplace`.
    pub delete_before_replace: Option<bool>,
    /// `deletedWith`: URN of the resource whose deletion makes ours unnecessary.
    pub deleted_with: Option<String>,
    /// `dependsOn`: URNs of resources that must be done first.
    pub dependencies: Vec<String>,
    /// `customTimeouts`.
    pub custom_timeouts: CustomTimeouts,
    /// `providers` (and `provider`): package name → provider reference (`urn::id`).
    pub providers: BTreeMap<String, String>,
    /// `ignoreChanges`, naming the component's own inputs.
    pub ignore_changes: Vec<String>,
    /// `replaceOnChanges`, naming the component's own inputs.
    pub replace_on_changes: Vec<String>,
}

/// The resource options of one child, mirroring what the engine's
/// `RegisterResource` accepts. Empty fields mean "as the component says"
/// where a child inherits the option (see [`ChildOptions::effective`]), and
/// the engine's default otherwise. Child references are plan keys.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ChildOptions {
    /// The provider plugin version to use (pinned by the planner).
    pub version: Option<String>,
    /// Children that must exist first, beyond those the inputs read.
    pub depends_on: Vec<String>,
    /// A component child to nest under, instead of the component itself.
    pub parent: Option<String>,
    /// A provider child (e.g. `pulumi:providers:aws` for another region) to
    /// use instead of the program's provider for the package.
    pub provider: Option<String>,
    /// Override the component's `protect`.
    pub protect: Option<bool>,
    /// Override the component's `retainOnDelete`.
    pub retain_on_delete: Option<bool>,
    /// Override the component's `deleteBeforeReplace`.
    pub delete_before_replace: Option<bool>,
    /// A child whose deletion deletes this one (so no delete call is made);
    /// overrides the component's `deletedWith`.
    pub deleted_with: Option<String>,
    /// Inputs whose change replaces the child.
    pub replace_on_changes: Vec<String>,
    /// Inputs whose later changes are ignored (fixed at creation).
    pub ignore_changes: Vec<String>,
    /// Outputs the engine must treat as secret.
    pub additional_secret_outputs: Vec<String>,
    /// Earlier identities of this child.
    pub aliases: Vec<ChildAlias>,
    /// Per-operation timeouts; each overrides the component's.
    pub custom_timeouts: CustomTimeouts,
}

/// The options a child is registered with once inheritance is applied;
/// child references are still plan keys, the component's are URNs.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct EffectiveOptions {
    /// `protect`.
    pub protect: Option<bool>,
    /// `retainOnDelete`.
    pub retain_on_delete: Option<bool>,
    /// `deleteBeforeReplace`.
    pub delete_before_replace: Option<bool>,
    /// `deletedWith`.
    pub deleted_with: Option<Reference>,
    /// URNs every child waits for (the component's `dependsOn`).
    pub dependencies: Vec<String>,
    /// The provider to use.
    pub provider: Option<Reference>,
    /// `customTimeouts`.
    pub custom_timeouts: CustomTimeouts,
}

/// A resource an option points at: another child of the plan, or a
/// resource the engine named for the component.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Reference {
    /// A child, by plan key.
    Child(String),
    /// A URN or provider reference, as the engine gave it.
    Engine(String),
}

impl ChildOptions {
    /// What the child is registered with. A component's `protect`,
    /// `retainOnDelete`, `deleteBeforeReplace`, `deletedWith`,
    /// `customTimeouts` and `dependsOn` are meant for everything it creates,
    /// so every child inherits them unless its own options say otherwise
    /// (`dependsOn` adds up); the provider is the child's own, else the
    /// program's for the child's package. `ignoreChanges` and
    /// `replaceOnChanges` name the component's inputs, not the child's, and
    /// are never inherited.
    pub fn effective(&self, component: &ComponentOptions, package: &str) -> EffectiveOptions {
        EffectiveOptions {
            protect: self.protect.or(component.protect),
            retain_on_delete: self.retain_on_delete.or(component.retain_on_delete),
            delete_before_replace: self
                .delete_before_replace
                .or(component.delete_before_replace),
            deleted_with: match &self.deleted_with {
                Some(key) => Some(Reference::Child(key.clone())),
                None => component.deleted_with.clone().map(Reference::Engine),
            },
            dependencies: component.dependencies.clone(),
            provider: match &self.provider {
                Some(key) => Some(Reference::Child(key.clone())),
                None => component
                    .providers
                    .get(package)
                    .cloned()
                    .map(Reference::Engine),
            },
            custom_timeouts: self.custom_timeouts.or(&component.custom_timeouts),
        }
    }

    /// The children these options point at (they must be registered first).
    pub fn children(&self) -> impl Iterator<Item = &String> {
        self.depends_on
            .iter()
            .chain(&self.parent)
            .chain(&self.provider)
            .chain(&self.deleted_with)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn component() -> ComponentOptions {
        ComponentOptions {
            protect: Some(true),
            retain_on_delete: Some(true),
            delete_before_replace: Some(true),
            deleted_with: Some("urn:db".into()),
            dependencies: vec!["urn:migration".into()],
            custom_timeouts: CustomTimeouts {
                create: Some(Duration::from_secs(420)),
                update: Some(Duration::from_secs(60)),
                delete: None,
            },
            providers: BTreeMap::from([("aws".into(), "urn:east::id".into())]),
            ignore_changes: vec!["image".into()],
            replace_on_changes: vec!["port".into()],
        }
    }

    #[test]
    fn children_inherit_what_the_component_was_given() {
        let e = ChildOptions::default().effective(&component(), "aws");
        assert_eq!(e.protect, Some(true));
        assert_eq!(e.retain_on_delete, Some(true));
        assert_eq!(e.delete_before_replace, Some(true));
        assert_eq!(e.deleted_with, Some(Reference::Engine("urn:db".into())));
        assert_eq!(e.dependencies, vec!["urn:migration".to_string()]);
        assert_eq!(e.provider, Some(Reference::Engine("urn:east::id".into())));
        assert_eq!(e.custom_timeouts.create, Some(Duration::from_secs(420)));
        // Another package's child uses that package's default provider.
        assert_eq!(
            ChildOptions::default()
                .effective(&component(), "gcp")
                .provider,
            None
        );
    }

    #[test]
    fn a_child_overrides_what_it_sets() {
        let child = ChildOptions {
            protect: Some(false),
            delete_before_replace: Some(false),
            deleted_with: Some("bucket".into()),
            provider: Some("east".into()),
            custom_timeouts: CustomTimeouts {
                update: Some(Duration::from_secs(5)),
                ..CustomTimeouts::default()
            },
            ..ChildOptions::default()
        };
        let e = child.effective(&component(), "aws");
        assert_eq!(e.protect, Some(false));
        assert_eq!(e.retain_on_delete, Some(true));
        assert_eq!(e.delete_before_replace, Some(false));
        assert_eq!(e.deleted_with, Some(Reference::Child("bucket".into())));
        assert_eq!(e.provider, Some(Reference::Child("east".into())));
        assert_eq!(e.custom_timeouts.create, Some(Duration::from_secs(420)));
        assert_eq!(e.custom_timeouts.update, Some(Duration::from_secs(5)));
        let keys: Vec<_> = child.children().collect();
        assert_eq!(keys, ["east", "bucket"]);
    }
}
