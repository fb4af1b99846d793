//! Log lines that cannot flood: at most one per second (or per chosen period) per kind.
//!
//! Garbage on a port arrives as fast as an attacker can send it; logging each packet would
//! turn a nuisance into a full disk and a busy CPU. Each kind of complaint has its own
//! limiter, and the line that does get logged says how many were held back.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

/// Allows one event per period (a second by default) and counts the rest.
#[derive(Debug)]
pub struct LogLimiter {
    last_sec: AtomicU64,
    suppressed: AtomicU64,
    period_secs: u64,
}

impl LogLimiter {
    /// A limiter that allows the first event at once, then one per second.
    pub const fn new() -> Self {
        LogLimiter::every(1)
    }

    /// A limiter that allows the first event at once, then one per `period_secs` (at least 1).
    pub const fn every(period_secs: u64) -> Self {
        LogLimiter {
            last_sec: AtomicU64::new(0),
            suppressed: AtomicU64::new(0),
            period_secs: if period_secs == 0 { 1 } else { period_secs },
        }
    }

    /// `Some(number held back since the last line)` when a line may be logged now.
    pub fn check(&self) -> Option<u64> {
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(1, |d| d.as_secs().max(1));
        let last = self.last_sec.load(Ordering::Relaxed);
        if now >= last.saturating_add(self.period_secs)
            && self
                .last_sec
                .compare_exchange(last, now, Ordering::Relaxed, Ordering::Relaxed)
                .is_ok()
        {
            return Some(self.suppressed.swap(0, Ordering::Relaxed));
        }
        self.suppressed.fetch_add(1, Ordering::Relaxed);
        None
    }
}

impl Default for LogLimiter {
    fn default() -> Self {
        Self::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_line_per_second() {
        let l = LogLimiter::new();
        assert_eq!(l.check(), Some(0));
        let allowed = (0..1000).filter(|_| l.check().is_some()).count();
        // At most one more if the second ticked over during the loop.
        assert!(allowed <= 1, "{allowed}");
    }

    #[test]
    fn one_line_per_period() {
        let l = LogLimiter::every(3600);
        assert_eq!(l.check(), Some(0));
        assert_eq!(l.check(), None);
        assert_eq!(l.check(), None);
    }
}
