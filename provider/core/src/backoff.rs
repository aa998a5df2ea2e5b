//! Exponential backoff with jitter, for the clients that wait on a service:
//! Neon's API (retries, operations; `launchpad-neon`) and CloudFront's
//! invalidations in progress (`launchpad-site-sync`). Here, below both, so
//! there is one policy and neither client crate depends on the other. It only
//! computes waits: sleeping, and deciding when to stop, is the caller's.
//! Jitter keeps many waiters (parallel deploys, CI jobs) from asking again
//! in step.

use std::time::Duration;

use tokio::time::Instant;

/// Each wait is between half and all of the current step, which doubles up
/// to the maximum.
pub struct Backoff {
    step: Duration,
    max: Duration,
}

impl Backoff {
    /// Waits from about `first` up to `max`.
    pub fn new(first: Duration, max: Duration) -> Backoff {
        Backoff {
            step: first,
            max: max.max(first),
        }
    }

    /// The next wait.
    pub fn next_wait(&mut self) -> Duration {
        let step = self.step;
        self.step = (self.step * 2).min(self.max);
        step / 2 + step.mul_f64(random_fraction() / 2.0)
    }
}

/// A number in [0, 1) that differs between calls (jitter needs no more).
fn random_fraction() -> f64 {
    use std::hash::BuildHasher;
    let bits = std::collections::hash_map::RandomState::new().hash_one(Instant::now());
    (bits >> 11) as f64 / (1u64 << 53) as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waits_double_up_to_the_maximum_each_between_half_and_all_of_its_step() {
        let mut b = Backoff::new(Duration::from_secs(2), Duration::from_secs(10));
        for step in [2, 4, 8, 10, 10] {
            let wait = b.next_wait();
            let step = Duration::from_secs(step);
            assert!(
                wait >= step / 2 && wait <= step,
                "{wait:?} for a step of {step:?}"
            );
        }
    }
}
