//! The trait a component implements: validated inputs in, a plan out.

use crate::args::InputError;
use crate::plan::ComponentPlan;
use crate::schema::ComponentDef;
use crate::value::PropertyMap;

/// Facts about the Construct call a planner may use.
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
