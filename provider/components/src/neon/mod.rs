//! Neon serverless Postgres, spoken to over Neon's HTTP API v2: the client
//! the `NeonDatabase` resources (a later change) are built on.
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
#[cfg(test)]
mod tests;

pub use client::{NeonClient, NeonError, Secret, Timings};
