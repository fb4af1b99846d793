//! Stage 4 — detectors: what looks like trouble in the traffic, as alerts a person can read.
//!
//! ```text
//!  correlator ──try_send (bounded; full: dropped, counted)──┐
//!    (answers, flows named and enriched, other conntrack     │
//!     flows: to the appliance, from outside)                 │
//!  NFLOG thread (packets conntrack calls invalid) ───────────┼─> task: detectors ─> rules
//!  LAN thread (neighbour table, ARP packets) ────────────────┘        │
//!                                                 AlertBook (dedup, rate limit, bounded)
//!                                                  │        │          │          │
//!                                                web API  store   event stream  webhook
//! ```
//!
//! One module per detector, each pure (inputs and a clock in, [`Finding`]s out) with a table
//! of normal and triggering inputs in its tests: `dns_tunnel`, `scan`, `spoofing`, `upload`,
//! `destinations`, `encrypted_dns`. Around them: `rules` (the rule format, presets, ignore
//! rules), `alerts` (dedup, rate limit, the bounded book), `config` (`[detect]`), `nflog`
//! and `lan_watch` (the two kernel feeds, on threads of their own), `webhook`
//! (bounded HTTP POST) and `task` (how it is fed and where alerts go).
//!
//! Neither the DNS path nor the correlator ever waits for a detector: the correlator hands
//! over the `Arc`s it already made for the event stream with `try_send` into a bounded queue,
//! and a full queue drops the input and counts it ([`DetectStats::dropped`]).

pub(crate) mod alerts;
pub mod config;
pub(crate) mod destinations;
pub mod dns_tunnel;
pub(crate) mod encrypted_dns;
pub(crate) mod lan_watch;
pub(crate) mod nflog;
pub(crate) mod rules;
pub(crate) mod scan;
pub(crate) mod spoofing;
pub mod task;
pub(crate) mod upload;
pub(crate) mod webhook;

use std::hash::{BuildHasher, Hash};
use std::sync::atomic::{AtomicU64, Ordering};

use lru::LruCache;
use rustc_hash::FxBuildHasher;
use serde::Serialize;

pub use alerts::{AlertBook, Finding, Recorded};
pub use config::DetectConfig;
pub use task::{start, DetectHandle, DetectInput, DetectSink, Started};

/// The detectors' counters (served in `/api/v1/alerts` as `stats`).
#[derive(Debug, Default)]
pub struct DetectStats {
    /// Inputs dropped because the detector queue was full.
    pub dropped: AtomicU64,
    /// Inputs handled.
    pub inputs: AtomicU64,
    /// Findings the detectors made.
    pub findings: AtomicU64,
    /// Findings a rule ignored.
    pub ignored: AtomicU64,
    /// Findings folded into an existing alert.
    pub repeats: AtomicU64,
    /// New alerts.
    pub alerts: AtomicU64,
    /// New alerts refused by `detect.max_alerts_per_minute`.
    pub rate_limited: AtomicU64,
    /// Webhook POSTs answered with 2xx.
    pub webhook_sent: AtomicU64,
    /// Webhook POSTs that failed (no answer in time, refused, not 2xx).
    pub webhook_failed: AtomicU64,
    /// Alerts not sent because the webhook queue was full.
    pub webhook_dropped: AtomicU64,
}

/// A copy of [`DetectStats`] for the API.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct StatsSnapshot {
    /// See [`DetectStats::dropped`].
    pub dropped: u64,
    /// See [`DetectStats::inputs`].
    pub inputs: u64,
    /// See [`DetectStats::findings`].
    pub findings: u64,
    /// See [`DetectStats::ignored`].
    pub ignored: u64,
    /// See [`DetectStats::repeats`].
    pub repeats: u64,
    /// See [`DetectStats::alerts`].
    pub alerts: u64,
    /// See [`DetectStats::rate_limited`].
    pub rate_limited: u64,
    /// See [`DetectStats::webhook_sent`].
    pub webhook_sent: u64,
    /// See [`DetectStats::webhook_failed`].
    pub webhook_failed: u64,
    /// See [`DetectStats::webhook_dropped`].
    pub webhook_dropped: u64,
}

impl DetectStats {
    /// Copy the counters.
    pub fn snapshot(&self) -> StatsSnapshot {
        let g = |c: &AtomicU64| c.load(Ordering::Relaxed);
        StatsSnapshot {
            dropped: g(&self.dropped),
            inputs: g(&self.inputs),
            findings: g(&self.findings),
            ignored: g(&self.ignored),
            repeats: g(&self.repeats),
            alerts: g(&self.alerts),
            rate_limited: g(&self.rate_limited),
            webhook_sent: g(&self.webhook_sent),
            webhook_failed: g(&self.webhook_failed),
            webhook_dropped: g(&self.webhook_dropped),
        }
    }
}

/// A fast (non-cryptographic) hash of a string, for bounded per-key state.
pub(crate) fn hash_str(s: &str) -> u64 {
    FxBuildHasher.hash_one(s)
}

/// An LRU map of at most `cap` entries with the fast hasher. Unlike a bounded `LruCache`,
/// it allocates as it fills, not for `cap` entries up front: the detectors' bounds are for
/// the worst case and most of them are never reached.
pub(crate) struct Lru<K: Hash + Eq, V> {
    inner: LruCache<K, V, FxBuildHasher>,
    cap: usize,
}

impl<K: Hash + Eq, V> Lru<K, V> {
    /// Make room for one more key, unless `k` is there already.
    fn room_for(&mut self, k: &K) {
        if self.inner.len() >= self.cap && !self.inner.contains(k) {
            self.inner.pop_lru();
        }
    }

    /// The value for `k` (made by `f` if missing), now the most recently used.
    pub(crate) fn get_or_insert_mut(&mut self, k: K, f: impl FnOnce() -> V) -> &mut V {
        self.room_for(&k);
        self.inner.get_or_insert_mut(k, f)
    }

    /// Set `k` (most recently used); the value it had.
    pub(crate) fn put(&mut self, k: K, v: V) -> Option<V> {
        self.room_for(&k);
        self.inner.put(k, v)
    }

    /// Remove `k`.
    pub(crate) fn pop(&mut self, k: &K) -> Option<V> {
        self.inner.pop(k)
    }

    /// The value for `k`, leaving the order alone.
    pub(crate) fn peek(&self, k: &K) -> Option<&V> {
        self.inner.peek(k)
    }

    /// Entries held.
    pub(crate) fn len(&self) -> usize {
        self.inner.len()
    }

    /// None held.
    pub(crate) fn is_empty(&self) -> bool {
        self.inner.is_empty()
    }
}

/// An empty [`Lru`] of at most `cap` entries.
pub(crate) fn lru<K: Hash + Eq, V>(cap: usize) -> Lru<K, V> {
    Lru {
        inner: LruCache::unbounded_with_hasher(FxBuildHasher),
        cap: cap.max(1),
    }
}

/// Bytes in words people read ("146 KB", "3.2 MB").
pub(crate) fn fmt_bytes(n: u64) -> String {
    match n {
        n if n < 1_000 => format!("{n} bytes"),
        n if n < 1_000_000 => format!("{} KB", n / 1_000),
        n => format!("{:.1} MB", n as f64 / 1e6),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lru_is_bounded_and_evicts_the_least_recent() {
        let mut l = lru::<u32, u32>(3);
        for k in 0..3 {
            l.put(k, k);
        }
        *l.get_or_insert_mut(0, || 99) += 10; // 0 is now the most recent
        l.put(3, 3); // evicts 1
        assert_eq!(l.len(), 3);
        assert_eq!(l.peek(&1), None);
        assert_eq!(l.peek(&0), Some(&10));
        assert_eq!(l.pop(&2), Some(2));
        assert!(!l.is_empty());
    }

    #[test]
    fn bytes_in_words() {
        assert_eq!(fmt_bytes(512), "512 bytes");
        assert_eq!(fmt_bytes(150_000), "150 KB");
        assert_eq!(fmt_bytes(3_200_000), "3.2 MB");
    }
}
