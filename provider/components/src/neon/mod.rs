//! `launchpad:index:NeonDatabase` — Neon serverless Postgres: a new project,
//! or a branch of an existing one (a database per stack or pull request),
//! scale-to-zero by default, managed natively over Neon's HTTP API v2.
//!
//! The component validates its inputs at preview (declared once in
//! [`launchpad_neon::args::NeonDatabaseInputs`], each with the child input it
//! `feeds`) and registers one native resource of this
//! provider: a `NeonProject` or a `NeonBranch` ([`launchpad_neon::resource`]),
//! each owning its endpoint, role and database. Their connection URIs are
//! secret outputs, and so are the component's. Everything that speaks to
//! Neon (the client, its retries, the resources' lifecycles) is in the crate
//! `launchpad-neon`; this module only plans.

#[cfg(test)]
mod database_tests;

use launchpad_core::schema::{ComponentDef, PropertyDef, TypeDef};
use launchpad_core::{
    ArgsReader, ChildResource, Component, ComponentPlan, ConstructContext, Expr, InputError,
    Inputs, PropertyMap, Value,
};
use time::OffsetDateTime;

use launchpad_neon::args::{Mode, NeonArgs, NeonDatabaseInputs};
use launchpad_neon::branch::BRANCH;
use launchpad_neon::child_key;
use launchpad_neon::project::PROJECT;

use crate::naming::unique_name;

/// What `NeonDatabase` gives back: enough to connect, and the IDs to find it.
static OUTPUTS: &[PropertyDef] = &[
    PropertyDef::new(
        "connectionUri",
        TypeDef::String,
        "`postgresql://role:password@host/database?sslmode=require&channel_binding=require`, exactly as Neon returns it, direct to the compute: for migrations and long sessions. Some drivers refuse `channel_binding` (asyncpg among them): see the README. Secret.",
    )
    .required()
    .secret(),
    PropertyDef::new(
        "pooledConnectionUri",
        TypeDef::String,
        "The same through Neon's connection pooler: for serverless functions and many short connections. Secret.",
    )
    .required()
    .secret(),
    PropertyDef::new("host", TypeDef::String, "The compute endpoint's host name.").required(),
    PropertyDef::new(
        "pooledHost",
        TypeDef::String,
        "The pooler's host name (`<endpoint>-pooler.<region>.aws.neon.tech`).",
    )
    .required(),
    PropertyDef::new("databaseName", TypeDef::String, "The database.").required(),
    PropertyDef::new("roleName", TypeDef::String, "The role the URIs log in as.").required(),
    PropertyDef::new(
        "projectId",
        TypeDef::String,
        "The Neon project: the new one, or the one branched from.",
    )
    .required(),
    PropertyDef::new("branchId", TypeDef::String, "The branch holding the database.").required(),
    PropertyDef::new(
        "endpointId",
        TypeDef::String,
        "The branch's read-write compute endpoint.",
    )
    .required(),
    PropertyDef::new(
        "expiresAt",
        TypeDef::String,
        "Branch mode: when Neon deletes the branch (RFC 3339, UTC), from `expiresAt`, or from `expiresIn` as it was when the branch was created. Absent when the branch does not expire.",
    ),
];

/// The `NeonDatabase` component.
pub static DEFINITION: ComponentDef = ComponentDef {
    token: launchpad_neon::DATABASE_TOKEN,
    description: "A Neon serverless Postgres database: a new project, or (with `projectId`) a branch of an existing project for each stack or pull request. Scales to zero when idle. Its connection URIs are secret outputs. Needs the provider config `launchpad:neonApiKey` (secret) or `NEON_API_KEY` at `pulumi up`, and with a personal API key the organization of a new project (`orgId` or `launchpad:neonOrgId`); `pulumi preview` calls nothing.",
    inputs: NeonDatabaseInputs::PROPERTIES,
    outputs: OUTPUTS,
};

/// Serves [`DEFINITION`].
pub struct NeonDatabase;

impl Component for NeonDatabase {
    fn definition(&self) -> &'static ComponentDef {
        &DEFINITION
    }

    fn plan(
        &self,
        ctx: &ConstructContext,
        inputs: &PropertyMap,
    ) -> Result<ComponentPlan, InputError> {
        let args = NeonArgs::decode(inputs)?;
        // What Neon would refuse of a literal expiry is known now.
        args.check_expiry_window(OffsetDateTime::now_utc())?;
        let r = ArgsReader::new(DEFINITION.inputs, inputs)?;
        let branch = matches!(args.mode, Mode::Branch { .. });
        let token = if branch { BRANCH.token } else { PROJECT.token };
        let key = child_key(token);
        // Unique per stack, so a branch per stack never collides, and a
        // create whose answer was lost is found again by its name.
        let name = r.passthrough("name")?.unwrap_or_else(|| {
            Value::string(unique_name(
                &format!("{}-{}", ctx.stack, ctx.name),
                &ctx.unique_seed(DEFINITION.token),
                63,
            ))
        });
        let mut child = ChildResource::new(key, token, format!("{}-{key}", ctx.name))
            .input("name", name)
            .with_options(|o| o.version = Some(crate::PACKAGE.version.to_string()));
        // Each input goes to the child input it feeds, as it came (unknowns
        // and secrets kept). The inputs of the other mode are refused by
        // `decode`, and feed only the other mode's child.
        let prefix = format!("{key}.");
        for def in DEFINITION.inputs.iter().filter(|d| d.name != "name") {
            for property in def.feeds.iter().filter_map(|f| f.strip_prefix(&prefix)) {
                child = child.input_opt(property, r.passthrough(def.name)?);
            }
        }
        let mut plan = ComponentPlan {
            outputs: OUTPUTS
                .iter()
                .map(|o| (o.name.to_string(), Expr::output(key, o.name)))
                .collect(),
            children: vec![child],
            ..ComponentPlan::default()
        };
        // So that `ignoreChanges`/`replaceOnChanges` on the database reach
        // the child (Construct declares them too; a feed is recorded once).
        plan.declare_feeds(DEFINITION.inputs);
        Ok(plan)
    }
}
