//! `launchpad:index:NeonDatabase` — Neon serverless Postgres: a new project,
//! or a branch of an existing one (a database per stack or pull request),
//! scale-to-zero by default, managed natively over Neon's HTTP API v2.
//!
//! Real-service rules the code follows, each checked against tests/fakeneon
//! (whose README links Neon's pages): compute sizes, branch expiry (at most
//! 30 days ahead, never on a default or protected branch), personal API keys
//! naming the organization (`orgId`, `launchpad:neonOrgId`), connection
//! URIs kept exactly as Neon returns them.
//!
//! The component validates its inputs at preview ([`args`]) and registers
//! one native resource of this provider ([`resource`]): a `NeonProject` or a
//! `NeonBranch`, each owning its endpoint, role and database. Their
//! connection URIs are secret outputs, and so are the component's.
//!
//! [`client::NeonClient`] owns everything between a typed call and the wire:
//! the API key (never printed), retries (423 Locked, 429 with `Retry-After`,
//! 5xx) with jittered backoff, a client-side rate limit, waiting for the
//! operations each mutating call starts (`failed` is not terminal: Neon
//! retries it), and never creating a thing twice when an answer is lost on
//! the network. [`api`] holds the request and response shapes. Deadlines and
//! Cancel come from the caller's [`launchpad_core::custom::ResourceContext`].
//! The tests play Neon with `wiremock`, faults included; their response
//! bodies are in `tests/neon/`.

pub mod api;
pub mod args;
pub mod client;
pub mod resource;
#[cfg(test)]
mod resource_tests;
#[cfg(test)]
mod test_support;
#[cfg(test)]
mod tests;

use launchpad_core::schema::{ComponentDef, PropertyDef, TypeDef};
use launchpad_core::{
    ArgsReader, ChildResource, Component, ComponentPlan, ConstructContext, Expr, InputError,
    PropertyMap, Value,
};
use time::OffsetDateTime;

pub use client::{NeonClient, NeonError, Secret, Timings};

use crate::naming::unique_name;
use args::{INPUTS, Mode, NeonArgs};
use resource::{BRANCH, PROJECT};

/// The provider configuration the Neon resources read.
pub static CONFIG: &[PropertyDef] = &[
    PropertyDef::new(
        client::API_KEY_CONFIG,
        TypeDef::String,
        "The Neon API key (`pulumi config set --secret launchpad:neonApiKey <key>`); the environment variable `NEON_API_KEY` when unset. Needed by `pulumi up`, never by `pulumi preview`.",
    )
    .secret(),
    PropertyDef::new(
        client::API_URL_CONFIG,
        TypeDef::String,
        "The Neon API's base URL. Defaults to `https://console.neon.tech/api/v2`; https, or http to a loopback address (tests).",
    ),
    PropertyDef::new(
        client::ORG_ID_CONFIG,
        TypeDef::String,
        "The Neon organization new projects go to (`org-...`) when their `orgId` is not set (`pulumi config set launchpad:neonOrgId org-...`). A personal API key needs it (Neon refuses `org_id is required` otherwise); an organization key does not. Find it in the Neon console under your organization's Settings, or with `neon orgs list`. Changing it never moves or replaces an existing project.",
    ),
];

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

/// The key of the component's one child of type `token` (`project` or
/// `branch`), which also ends the child's name (`<db>-<key>`): what an
/// import command reads back from the child's URN ([`resource`]).
fn child_key(token: &str) -> &'static str {
    if token == PROJECT.token {
        "project"
    } else {
        "branch"
    }
}

/// The `NeonDatabase` component.
pub static DEFINITION: ComponentDef = ComponentDef {
    token: "launchpad:index:NeonDatabase",
    description: "A Neon serverless Postgres database: a new project, or (with `projectId`) a branch of an existing project for each stack or pull request. Scales to zero when idle. Its connection URIs are secret outputs. Needs the provider config `launchpad:neonApiKey` (secret) or `NEON_API_KEY` at `pulumi up`, and with a personal API key the organization of a new project (`orgId` or `launchpad:neonOrgId`); `pulumi preview` calls nothing.",
    inputs: INPUTS,
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
        let r = ArgsReader::new(INPUTS, inputs)?;
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
        for input in resource::child_inputs(branch).filter(|n| *n != "name") {
            child = child.input_opt(input, r.passthrough(input)?);
        }
        let mut plan = ComponentPlan {
            outputs: OUTPUTS
                .iter()
                .map(|o| (o.name.to_string(), Expr::output(key, o.name)))
                .collect(),
            children: vec![child],
            ..ComponentPlan::default()
        };
        // Every input is the child's input of the same name, so
        // `ignoreChanges`/`replaceOnChanges` on the database reach it. (The
        // inputs of the other mode are refused by `decode`.)
        for input in resource::child_inputs(branch) {
            plan.feeds(input, key, input);
        }
        Ok(plan)
    }
}
