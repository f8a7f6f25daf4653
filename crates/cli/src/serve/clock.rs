//! The bridge's clock: the process's monotonic time mapped onto
//! [`SimTime`], zero when `lanlab serve` started.
//!
//! Engines never read a clock (DESIGN.md); only this file of the CLI does.

use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use lanlab_proto::SimTime;

/// Monotonic time since start, as the engines' [`SimTime`].
#[derive(Clone, Copy, Debug)]
pub struct Clock {
    start: Instant,
    start_unix: u64,
}

impl Clock {
    /// A clock whose zero is now.
    pub fn start() -> Self {
        Clock {
            start: Instant::now(),
            start_unix: SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map_or(0, |d| d.as_secs()),
        }
    }

    /// Wall-clock Unix seconds at virtual time zero (for `Date:` headers
    /// and mail timestamps).
    pub fn start_unix(&self) -> u64 {
        self.start_unix
    }

    /// The current virtual time.
    pub fn now(&self) -> SimTime {
        SimTime::from_micros(u64::try_from(self.start.elapsed().as_micros()).unwrap_or(u64::MAX))
    }

    /// How long to wait from now until `deadline` (at most `cap`, at least 1 ms,
    /// since a zero read timeout means "block forever").
    pub fn wait_until(&self, deadline: Option<SimTime>, cap: Duration) -> Duration {
        let wait = deadline.map_or(cap, |t| t.saturating_since(self.now()).min(cap));
        wait.max(Duration::from_millis(1))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn starts_at_zero_and_moves_forward() {
        let c = Clock::start();
        let a = c.now();
        assert!(a < SimTime::from_secs(1));
        std::thread::sleep(Duration::from_millis(2));
        assert!(c.now() > a);
        assert!(c.start_unix() > 1_700_000_000);
        let cap = Duration::from_millis(200);
        assert_eq!(c.wait_until(None, cap), cap);
        assert_eq!(
            c.wait_until(Some(SimTime::ZERO), cap),
            Duration::from_millis(1)
        );
        assert_eq!(c.wait_until(Some(SimTime::MAX), cap), cap);
    }
}
