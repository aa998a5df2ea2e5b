//! Waiting for CloudFront to have room for an invalidation.
//!
//! CloudFront's limits — 3,000 file paths and 15 wildcard paths — count
//! every invalidation in progress on the distribution, not each request:
//! another deploy's, a CI job's, one made in the console
//! (<https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/InvalidationLimits.html>).
//! So a request that fits on its own may still be refused with
//! `TooManyInvalidationsInProgress` until some of those finish, usually
//! within minutes. The deploy then asks again, with backoff and the same
//! caller reference (a repeat is never a second invalidation), until it goes
//! through, the user cancels, or the resource's deadline (`customTimeouts`;
//! [`MAX_WAIT`] from the first request when it sets none) passes. Whatever
//! stops it, the paths stay
//! owed and the next deploy invalidates them. Keeping each request small
//! enough is the planner's part ([`super::sync`]).

use std::time::Duration;

use launchpad_core::custom::{Interrupted, ResourceContext};

use crate::aws::Aws;
use crate::errors::SyncError;
use launchpad_core::backoff::Backoff;

/// How long a deploy without a deadline of its own waits for room.
const MAX_WAIT: Duration = Duration::from_secs(15 * 60);
/// The first wait after a refusal; they double up to [`LONGEST_WAIT`].
const FIRST_WAIT: Duration = Duration::from_secs(2);
const LONGEST_WAIT: Duration = Duration::from_secs(60);

/// One invalidation of `paths` on `distribution`, waiting while CloudFront
/// has too many in progress; its ID.
pub async fn invalidate_when_room(
    ctx: &ResourceContext,
    aws: &Aws,
    distribution: &str,
    paths: &[String],
    reference: &str,
) -> Result<String, SyncError> {
    // A longer customTimeouts is honoured; none means MAX_WAIT.
    let ctx = &ctx.clone().or_timeout(MAX_WAIT);
    let mut backoff = Backoff::new(FIRST_WAIT, LONGEST_WAIT);
    // CloudFront's last refusal, once it has said it has no room.
    let mut refused = None;
    let interrupted = loop {
        let refusal = match ctx
            .run(aws.invalidate(distribution, paths, reference))
            .await
        {
            Ok(Ok(id)) => return Ok(id),
            Ok(Err(refusal @ SyncError::TooManyInvalidations { .. })) => refusal,
            Ok(Err(e)) => return Err(e),
            Err(interrupted) => break interrupted,
        };
        let wait = backoff.next_wait();
        ctx.log.progress(&format!(
            "CloudFront has too many invalidations in progress on {distribution}; asking again in {}s",
            wait.as_secs().max(1)
        ));
        refused = Some(refusal);
        if let Err(interrupted) = ctx.run(tokio::time::sleep(wait)).await {
            break interrupted;
        }
    };
    Err(stopped(refused, interrupted))
}

/// A wait that stopped: after CloudFront's `last` refusal, or before it
/// answered at all.
fn stopped(last: Option<SyncError>, interrupted: Interrupted) -> SyncError {
    match last {
        Some(last) => SyncError::StoppedWaiting {
            last: Box::new(last),
            interrupted,
        },
        None => SyncError::Interrupted {
            step: "invalidating",
            interrupted,
        },
    }
}
