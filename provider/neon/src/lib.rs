//! # launchpad-neon
//!
//! Neon serverless Postgres over Neon's HTTP API v2: the client, the
//! validated Neon inputs, and this provider's native resources
//! `launchpad:index:NeonProject` and `launchpad:index:NeonBranch`
//! ([`resource`]). The `NeonDatabase` component (in `launchpad-components`)
//! plans one of these resources and validates with [`args`].
//!
//! Real-service rules the code follows, each checked against tests/fakeneon
//! (whose README links Neon's pages): compute sizes, branch expiry (at most
//! 30 days ahead, never on a default or protected branch), personal API keys
//! naming the organization (`orgId`, `launchpad:neonOrgId`), connection
//! URIs kept exactly as Neon returns them.
//!
//! [`client::NeonClient`] owns everything between a typed call and the wire:
//! the API key (never printed), what each answer means ([`transport`]: 423
//! Locked, 429 with `Retry-After` and 5xx are transient, 404 on delete is
//! done), how long to keep trying ([`retry`]: jittered backoff, a retry
//! window, a client-side rate limit), waiting for the operations each
//! mutating call starts (`failed` is not terminal: Neon retries it), and
//! never creating a thing twice when an answer is lost on the network.
//! [`api`] holds the request and response shapes. Deadlines and Cancel come
//! from the caller's [`launchpad_core::custom::ResourceContext`].
//! Every message a user can see is an entry of [`errors`] (LP6xxx), the
//! catalogue `pulumi-resource-launchpad --messages` prints.
//!
//! It must not know about protobuf, gRPC or the component's plan: it depends
//! on `launchpad-core` only. Start reading at [`resource`], then
//! [`client::NeonClient`]. The tests play Neon with `wiremock`, faults
//! included; their response bodies are in `tests/neon/`.

pub mod api;
pub mod args;
pub mod branch;
pub mod client;
#[cfg(test)]
mod client_tests;
pub mod errors;
// Not API: how an answer is read, for the fuzz targets (tests/fuzz-bodies). Always built, so
// that the workspace's test build and `make build` share one launchpad-neon.
#[doc(hidden)]
pub mod fuzz_hooks;
pub mod project;
pub mod resource;
#[cfg(test)]
mod resource_tests;
pub mod retry;
#[cfg(test)]
mod test_support;
mod transport;

use launchpad_core::schema::{PropertyDef, TypeDef};

pub use client::{NeonClient, NeonError, Secret};
pub use retry::Timings;

/// The token of the `NeonDatabase` component, whose child a NeonProject or
/// NeonBranch often is: its import command puts it back under it.
pub const DATABASE_TOKEN: &str = "launchpad:index:NeonDatabase";

/// The key of a `NeonDatabase`'s one child of type `token` (`project` or
/// `branch`), which also ends the child's name (`<db>-<key>`): what an
/// import command reads back from the child's URN ([`resource`]).
pub fn child_key(token: &str) -> &'static str {
    if token == project::PROJECT.token {
        "project"
    } else {
        "branch"
    }
}

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
