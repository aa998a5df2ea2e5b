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
    ArgsReader, ChildResource, Component, ComponentPlan, ConstructContext, Expr, InputError,
    Package, PropertyMap,
};

use crate::mailbox::{Cloud, MAILBOX, Mailbox};

/// The postbox component: one mailbox.
pub static POSTBOX: ComponentDef = ComponentDef {
    token: "testbed:index:Postbox",
    description: "A component whose one child is a mailbox.",
    inputs: mailbox::INPUTS,
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
    keywords: &[],
    publisher: "launchpad",
    license: "Apache-2.0",
    npm_package: "testbed",
    python_package: "testbed",
    nodejs_pulumi_range: "^3.0.0",
    nodejs_typescript_version: "5.0.0",
    python_pulumi_range: ">=3.0.0",
    config: &[],
    components: &[&POSTBOX],
    resources: &[&MAILBOX],
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
        let mut mailbox =
            ChildResource::new("mailbox", MAILBOX.token, format!("{}-mailbox", ctx.name));
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
