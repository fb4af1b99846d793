//! When to ask a plain upstream again: a retransmission timeout from the upstream's answer
//! times (RFC 6298's smoothed estimator, as unbound keeps one per server).
//!
//! A UDP question or its answer lost on the uplink (a busy school WiFi) would otherwise cost
//! the whole `upstream_timeout_ms` and end in SERVFAIL; with this the question is sent again
//! after about the upstream's usual answer time. Only answers to questions sent once are
//! sampled (Karn's rule: after a resend it is unknown which copy was answered).

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

/// Wait before the first resend while nothing is known of the upstream (unbound: 376 ms).
/// Recursive resolvers take a few hundred milliseconds for names they must look up.
pub const INITIAL_RTO: Duration = Duration::from_millis(500);
/// Shortest wait before a resend, however fast the upstream usually is: a recursive
/// upstream's cached answers come back in a millisecond, its uncached ones in tens to
/// hundreds, and each resend is one more question for it.
pub const MIN_RTO: Duration = Duration::from_millis(200);

/// One upstream's answer-time estimate, shared by every thread asking it.
#[derive(Debug, Default)]
pub struct RttEstimate {
    /// Smoothed answer time (high 32 bits) and its mean deviation (low 32 bits), both in
    /// microseconds; 0: no sample yet. One word, so readers never see half an update.
    packed: AtomicU64,
}

impl RttEstimate {
    /// No samples yet.
    pub fn new() -> RttEstimate {
        RttEstimate::default()
    }

    /// How long to wait for an answer before sending the question again.
    pub fn rto(&self) -> Duration {
        let packed = self.packed.load(Ordering::Relaxed);
        if packed == 0 {
            return INITIAL_RTO;
        }
        let (srtt, rttvar) = (packed >> 32, packed & u64::from(u32::MAX));
        Duration::from_micros(srtt + 4 * rttvar).max(MIN_RTO)
    }

    /// Take in the answer time of a question that was sent once.
    pub fn sample(&self, rtt: Duration) {
        let r = u64::try_from(rtt.as_micros())
            .unwrap_or(u64::MAX)
            .clamp(1, u64::from(u32::MAX / 4));
        let packed = self.packed.load(Ordering::Relaxed);
        let (srtt, rttvar) = if packed == 0 {
            (r, r / 2)
        } else {
            let (srtt, rttvar) = (packed >> 32, packed & u64::from(u32::MAX));
            // RFC 6298 2.3: beta = 1/4, alpha = 1/8.
            let rttvar = (3 * rttvar + srtt.abs_diff(r)) / 4;
            let srtt = (7 * srtt + r) / 8;
            (srtt.max(1), rttvar)
        };
        // Lost updates from racing threads only drop a sample.
        self.packed.store((srtt << 32) | rttvar, Ordering::Relaxed);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MS: Duration = Duration::from_millis(1);

    #[test]
    fn unknown_upstream_waits_the_initial_time() {
        assert_eq!(RttEstimate::new().rto(), INITIAL_RTO);
    }

    #[test]
    fn first_sample_gives_three_times_the_answer_time() {
        let e = RttEstimate::new();
        e.sample(200 * MS);
        // srtt 200 + 4 * 100.
        assert_eq!(e.rto(), 600 * MS);
    }

    #[test]
    fn a_fast_upstream_is_never_resent_to_sooner_than_the_floor() {
        let e = RttEstimate::new();
        for _ in 0..50 {
            e.sample(Duration::from_micros(150));
        }
        assert_eq!(e.rto(), MIN_RTO);
    }

    #[test]
    fn steady_answers_bring_the_wait_down_and_a_slow_one_raises_it() {
        let e = RttEstimate::new();
        e.sample(300 * MS);
        let first = e.rto();
        for _ in 0..30 {
            e.sample(150 * MS);
        }
        let steady = e.rto();
        assert!(steady < first, "{steady:?} < {first:?}");
        assert!(steady >= 150 * MS, "{steady:?}");
        e.sample(900 * MS);
        assert!(e.rto() > steady + 400 * MS, "{:?}", e.rto());
    }

    #[test]
    fn absurd_times_do_not_overflow() {
        let e = RttEstimate::new();
        e.sample(Duration::from_secs(u64::MAX / 2));
        e.sample(Duration::ZERO);
        assert!(e.rto() >= MIN_RTO);
    }
}
