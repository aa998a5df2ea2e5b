//! # launchpad-testbed — TEST ONLY, never shipped
//!
//! A tiny package built on launchpad's protocol layer, so that tests can
//! drive native-resource lifecycles through the real `pulumi` CLI before
//! launchpad itself has a native resource:
//!
//! - [`mailbox::Mailbox`] (`testbed:index:Mailbox`), a native resource kept
//!   in a folder that stands in for a cloud ([`mailbox::Cloud`]): its outputs
//!   are computed from its inputs, becoming ready takes `readySeconds`
//!   (interrupted by Cancel and by `customTimeouts`), and `read` reports
//!   what the folder holds (drift, import);
//! - `testbed:index:Postbox`, a component whose one child is a mailbox.
//!
//! The cloud folder is `$TESTBED_CLOUD` (a temporary folder when unset).

pub mod mailbox;

use launchpad_core::schema::{ComponentDef, PackageDef, PropertyDef, TypeDef};
use launchpad_core::{
    ArgsReader, ChildAlias, ChildResource, Component, ComponentPlan, ConstructContext, Expr,
    InputError, Package, PropertyMap, Value,
};

use crate::mailbox::{Cloud, MAILBOX, Mailbox};

/// The postbox component: one mailbox, whose name a test may change as a
/// later version of a component would (keeping the old one as an alias).
pub static POSTBOX: ComponentDef = ComponentDef {
    token: "testbed:index:Postbox",
    description: "A component whose one child is a mailbox.",
    inputs: &[
        PropertyDef::new("owner", TypeDef::String, "Owner.").required(),
        PropertyDef::new("password", TypeDef::String, "Password."),
        PropertyDef::new("readySeconds", TypeDef::Number, "Time to become ready."),
        PropertyDef::new(
            "mailboxName",
            TypeDef::String,
            "The child's logical name (default `<name>-mailbox`).",
        ),
        PropertyDef::new(
            "mailboxAliases",
            TypeDef::Array(&TypeDef::String),
            "Earlier logical names of the child.",
        ),
    ],
    outputs: &[PropertyDef::new(
        "address",
        TypeDef::String,
        "The mailbox's address.",
    )],
};

/// The package's definitions.
pub static PACKAGE: PackageDef = PackageDef {
    name: "testbed",
    version: "0.0.1",
    display_name: "testbed",
    description: "Test only.",
    repository: "",
    plugin_download_url: "",
    keywords: &[],
    publisher: "launchpad",
    logo_url: "",
    license: "Apache-2.0",
    npm_package: "testbed",
    python_package: "testbed",
    nodejs_pulumi_range: "^3.0.0",
    nodejs_typescript_version: "5.0.0",
    python_pulumi_range: ">=3.0.0",
    config: &[],
};

struct Postbox;

impl Component for Postbox {
    fn definition(&self) -> &'static ComponentDef {
        &POSTBOX
    }

    fn plan(
        &self,
        ctx: &ConstructContext,
        inputs: &PropertyMap,
    ) -> Result<ComponentPlan, InputError> {
        let r = ArgsReader::new(POSTBOX.inputs, inputs)?;
        let name = match r.string("mailboxName")? {
            Some(n) => n.value,
            None => format!("{}-mailbox", ctx.name),
        };
        let aliases = match r.raw("mailboxAliases")?.map(Value::strip) {
            Some(Value::Array(items)) => items
                .into_iter()
                .filter_map(|i| match i {
                    Value::String(s) => Some(ChildAlias {
                        name: Some(s),
                        type_token: None,
                    }),
                    _ => None,
                })
                .collect(),
            _ => Vec::new(),
        };
        let mut mailbox = ChildResource::new("mailbox", MAILBOX.token, name)
            .with_options(|o| o.aliases = aliases);
        for input in ["owner", "password", "readySeconds"] {
            mailbox = mailbox.input_opt(input, r.passthrough(input)?);
        }
        Ok(ComponentPlan {
            children: vec![mailbox],
            outputs: [("address".to_string(), Expr::output("mailbox", "address"))].into(),
            ..ComponentPlan::default()
        })
    }
}

/// Everything the testbed plugin serves, with the cloud in `$TESTBED_CLOUD`.
pub fn package() -> Package {
    let dir = std::env::var_os("TESTBED_CLOUD")
        .map(Into::into)
        .unwrap_or_else(|| std::env::temp_dir().join("launchpad-testbed-cloud"));
    package_in(Cloud::new(dir))
}

/// Everything the testbed plugin serves, with the cloud in `cloud`.
pub fn package_in(cloud: Cloud) -> Package {
    Package {
        def: &PACKAGE,
        components: vec![Box::new(Postbox)],
        resources: vec![Box::new(Mailbox { cloud })],
    }
}
