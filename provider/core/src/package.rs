//! Everything a provider binary serves: the schema definitions, the
//! components and the native resources.

use crate::component::Component;
use crate::custom::CustomResource;
use crate::schema::PackageDef;

/// Everything a provider binary serves: the one registry of its
/// components and native resources, from which the schema is rendered.
pub struct Package {
    /// The package's own metadata (name, version, SDK settings, config).
    pub def: &'static PackageDef,
    /// Its components.
    pub components: Vec<Box<dyn Component>>,
    /// Its native custom resources.
    pub resources: Vec<Box<dyn CustomResource>>,
}

impl Package {
    /// The schema JSON text (pretty, newline-terminated: the committed form).
    pub fn schema_text(&self) -> String {
        let components: Vec<_> = self.components.iter().map(|c| c.definition()).collect();
        let resources: Vec<_> = self.resources.iter().map(|r| r.definition()).collect();
        let schema = self.def.schema(&components, &resources);
        let mut text = serde_json::to_string_pretty(&schema).unwrap_or_default();
        text.push('\n');
        text
    }

    /// The component with type token `token`.
    pub fn component(&self, token: &str) -> Option<&dyn Component> {
        self.components
            .iter()
            .find(|c| c.definition().token == token)
            .map(|c| c.as_ref())
    }

    /// The native resource with type token `token`.
    pub fn resource(&self, token: &str) -> Option<&dyn CustomResource> {
        self.resources
            .iter()
            .find(|r| r.definition().token == token)
            .map(|r| r.as_ref())
    }

    /// Every type token served, comma separated (for "unknown type" messages).
    pub fn tokens(&self) -> String {
        self.components
            .iter()
            .map(|c| c.definition().token)
            .chain(self.resources.iter().map(|r| r.definition().token))
            .collect::<Vec<_>>()
            .join(", ")
    }
}
