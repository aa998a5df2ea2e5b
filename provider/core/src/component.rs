//! The trait a component implements: validated inputs in, a plan out.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use crate::args::InputError;
use crate::options::ComponentOptions;
use crate::plan::ComponentPlan;
use crate::schema::ComponentDef;
use crate::value::{PropertyMap, Value};

/// Facts about the Construct call a planner may use to decide without a
/// cloud call: who the component is, the stack's configuration, where the
/// program lives, and the options it was given.
#[derive(Clone, Debug, Default)]
pub struct ConstructContext {
    /// The component's logical name.
    pub name: String,
    /// The Pulumi project.
    pub project: String,
    /// The stack.
    pub stack: String,
    /// The organization ("" with a local backend).
    pub organization: String,
    /// The parent's URN ("" for the stack).
    pub parent: String,
    /// Whether this is a preview.
    pub dry_run: bool,
    /// The stack's configuration, `package:key` → value as set
    /// (structured values as JSON text).
    pub config: BTreeMap<String, String>,
    /// Configuration keys whose values are secret.
    pub secret_config_keys: BTreeSet<String>,
    /// The program's directory, which relative paths in its inputs are
    /// relative to (`None` when the engine did not say).
    pub program_directory: Option<PathBuf>,
    /// The resource options the program gave the component.
    pub options: ComponentOptions,
}

impl ConstructContext {
    /// A string unique to this component instance across stacks and
    /// projects, to derive physical names from.
    pub fn unique_seed(&self, token: &str) -> String {
        format!(
            "{}/{}/{}/{}/{}/{}",
            self.organization, self.project, self.stack, self.parent, token, self.name
        )
    }

    /// A stack configuration value (`aws:region`), secret when the stack
    /// keeps it secret.
    pub fn config(&self, key: &str) -> Option<Value> {
        let value = Value::string(self.config.get(key)?);
        Some(if self.secret_config_keys.contains(key) {
            Value::Secret(Box::new(value))
        } else {
            value
        })
    }

    /// `path` as the program means it: relative paths start at the
    /// program's directory, not at the plugin's working directory.
    pub fn resolve_path(&self, path: &str) -> PathBuf {
        match &self.program_directory {
            Some(dir) => dir.join(path),
            None => Path::new(path).to_path_buf(),
        }
    }
}

/// A component resource of this provider.
pub trait Component: Send + Sync {
    /// Its schema definition (token, inputs, outputs).
    fn definition(&self) -> &'static ComponentDef;

    /// Validate the raw inputs and plan the children. Pure: no I/O beyond
    /// reading local files the inputs name.
    fn plan(
        &self,
        ctx: &ConstructContext,
        inputs: &PropertyMap,
    ) -> Result<ComponentPlan, InputError>;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_config_stays_secret_and_paths_start_at_the_program() {
        let ctx = ConstructContext {
            config: BTreeMap::from([
                ("aws:region".into(), "eu-west-1".into()),
                ("app:token".into(), "t0k".into()),
            ]),
            secret_config_keys: BTreeSet::from(["app:token".into()]),
            program_directory: Some(PathBuf::from("/src/app")),
            ..ConstructContext::default()
        };
        assert_eq!(ctx.config("aws:region"), Some(Value::string("eu-west-1")));
        assert_eq!(
            ctx.config("app:token"),
            Some(Value::Secret(Box::new(Value::string("t0k"))))
        );
        assert_eq!(ctx.config("gcp:project"), None);
        assert_eq!(ctx.resolve_path("./dist"), PathBuf::from("/src/app/./dist"));
        assert_eq!(ctx.resolve_path("/abs"), PathBuf::from("/abs"));
    }
}
