//! # launchpad-site-sync
//!
//! `launchpad:index:SiteContent` — a site folder kept in an S3 bucket, with
//! one CloudFront invalidation per deploy. A native resource of this
//! provider: `StaticSite` registers one, and it works on its own.
//!
//! - **Check** walks `path` (relative to the program's folder) and records a
//!   [`manifest`] in the inputs: key → content hash, size, Content-Type,
//!   Cache-Control; a file unchanged since the last scan keeps its hash from
//!   the [`hash_cache`] without being read. **Diff** compares manifests key by key, so `pulumi
//!   preview --diff` lists the files that change, and an unchanged folder is
//!   no change at all: no API call.
//! - **Create/Update** follow a [`sync::Plan`]: changed files only, many at
//!   once (`uploadConcurrency`), large ones in parts, assets before HTML so no
//!   page goes out before what it loads; then stale keys are deleted — except
//!   the previous deploy's fingerprinted assets, kept for open tabs
//!   (`keepPreviousDeploys`) — and one invalidation covers exactly the
//!   changed paths, waiting while CloudFront has too many in progress
//!   ([`invalidation`]). A deploy that stops (error, Cancel, deadline)
//!   records what went up, so the next `pulumi up` finishes the job. A file
//!   counts as up only once S3 said so, with the ETag it gave it.
//! - **Read** (`pulumi refresh`) lists the bucket under the deployed keys
//!   and compares sizes and ETags ([`drift`]): a file deleted or changed
//!   behind Pulumi's back shows as drift, and the next `up` restores it.
//! - **Delete** removes exactly the keys this resource put there.
//! - Preview never calls AWS; [`aws`] builds no client before its first call.
//!   Small files go up as signed requests of their own once the SDK has
//!   shown where and how (`direct`), and through the SDK when anything fails.
//!
//! The S3 + CloudFront sync engine lives here so that the AWS SDK stays out
//! of the planners' crate: it must not know about protobuf, gRPC or any
//! component (it depends on `launchpad-core` only). Start reading at
//! [`args`] (the inputs and Check), then [`deploy`] and [`sync`]; every
//! message a user sees is an entry of [`errors`], and the engine's calls
//! fail with its one error type, [`SyncError`].

pub mod args;
pub mod aws;
pub mod deploy;
mod direct;
pub mod drift;
pub mod errors;
pub mod hash_cache;
pub mod invalidation;
pub mod manifest;
pub mod sync;

pub use args::{CacheControlRule, DEFINITION, SiteContentInputs};
pub use deploy::SiteContent;
pub use errors::SyncError;

/// A mutex's guard, even if a task panicked holding it: what they guard
/// (keys in flight, a learnt endpoint) stays meaningful.
pub(crate) fn lock<T>(m: &std::sync::Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}
