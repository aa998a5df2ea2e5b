//! How long a Neon call keeps trying, apart from what an answer means
//! ([`crate::transport`]): the [`Timings`], one call's budget ([`Retries`]:
//! jittered backoff from [`launchpad_core::backoff`], a retry window, the
//! server's `Retry-After`, few tries when nothing connects), and the
//! client-side rate limit ([`TokenBucket`]) every request passes. Sleeping
//! (under the caller's deadline and Cancel) is the client's.

use std::time::Duration;

use launchpad_core::backoff::Backoff;
use tokio::time::Instant;

/// Network failures before any connection is made (DNS, refused, TLS) are
/// retried only this often: a wrong `neonApiUrl` should fail in seconds.
pub(crate) const CONNECT_ATTEMPTS: u32 = 5;
/// How long to wait between tries, and how long to keep trying.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Timings {
    /// First backoff (retries and operation polls), doubled each time.
    pub first_backoff: Duration,
    /// Largest backoff. Each wait is jittered to between half and all of it.
    pub max_backoff: Duration,
    /// One request, from sending to the last byte of the answer.
    pub request_timeout: Duration,
    /// How long one call keeps retrying transient failures (the context's
    /// deadline, when sooner, wins).
    pub retry_window: Duration,
    /// Client-side rate limit: requests per minute (Neon allows 700)...
    pub requests_per_minute: u32,
    /// ...with bursts of this many (Neon allows 40 per second per route).
    pub burst: u32,
}

impl Default for Timings {
    fn default() -> Timings {
        Timings {
            first_backoff: Duration::from_millis(100),
            max_backoff: Duration::from_secs(5),
            request_timeout: Duration::from_secs(30),
            retry_window: Duration::from_secs(600),
            requests_per_minute: 700,
            burst: 40,
        }
    }
}

/// One call's retries: how many tries so far, and the wait before the
/// next, within [`Timings::retry_window`] from the first.
pub(crate) struct Retries {
    started: Instant,
    backoff: Backoff,
    window: Duration,
    /// Tries so far.
    pub(crate) attempts: u32,
    connect_failures: u32,
}

impl Retries {
    pub(crate) fn new(timings: &Timings) -> Retries {
        Retries {
            started: Instant::now(),
            backoff: Backoff::new(timings.first_backoff, timings.max_backoff),
            window: timings.retry_window,
            attempts: 0,
            connect_failures: 0,
        }
    }

    /// The wait before the next try: `told_wait` when the server gave one,
    /// else the backoff's; `None` when it would end past the retry window.
    pub(crate) fn next_wait(&mut self, told_wait: Option<Duration>) -> Option<Duration> {
        let delay = told_wait.unwrap_or_else(|| self.backoff.next_wait());
        (self.started.elapsed() + delay <= self.window).then_some(delay)
    }

    /// Count a failure to connect at all; whether that was the last one
    /// allowed ([`CONNECT_ATTEMPTS`]).
    pub(crate) fn connect_failed(&mut self) -> bool {
        self.connect_failures += 1;
        self.connect_failures >= CONNECT_ATTEMPTS
    }
}

/// A token bucket: `burst` requests at once, refilled at the per-minute
/// rate. A request takes a token, borrowing one ahead when there is none
/// and waiting for it: callers queue up in the order they asked.
pub(crate) struct TokenBucket {
    capacity: f64,
    per_second: f64,
    tokens: f64,
    at: Option<Instant>,
}

impl TokenBucket {
    pub(crate) fn new(timings: &Timings) -> TokenBucket {
        let capacity = f64::from(timings.burst.max(1));
        TokenBucket {
            capacity,
            per_second: f64::from(timings.requests_per_minute.max(1)) / 60.0,
            tokens: capacity,
            at: None,
        }
    }

    /// Take a token at `now`; how long to wait before sending.
    pub(crate) fn reserve(&mut self, now: Instant) -> Duration {
        if let Some(at) = self.at {
            let elapsed = now.saturating_duration_since(at).as_secs_f64();
            self.tokens = (self.tokens + elapsed * self.per_second).min(self.capacity);
        }
        self.at = Some(now);
        self.tokens -= 1.0;
        if self.tokens >= 0.0 {
            Duration::ZERO
        } else {
            Duration::from_secs_f64(-self.tokens / self.per_second)
        }
    }
}
