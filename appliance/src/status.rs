//! Health counters and warnings every stage reports into, served at `/api/v1/status`.
//!
//! Counters are plain atomics so the hot paths (answering DNS, reading conntrack) never lock.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};

use parking_lot::Mutex;
use serde::Serialize;

/// Shared health state. Create one per daemon and hand out `Arc`s.
#[derive(Debug, Default)]
pub struct Status {
    /// DNS queries answered (any result).
    pub dns_queries: AtomicU64,
    /// DNS answers that could not be queued for correlation (queue full).
    pub dns_events_dropped: AtomicU64,
    /// Malformed or refused DNS messages.
    pub dns_bad_requests: AtomicU64,
    /// Upstream answers that matched no question waiting for one (wrong id, question or
    /// letter case: late, duplicated or forged); dropped, never cached.
    pub dns_upstream_mismatched: AtomicU64,
    /// Upstream answers to a waiting question that were malformed (truncated, bad names,
    /// compression loops); dropped, never cached or passed on.
    pub dns_upstream_malformed: AtomicU64,
    /// Client questions that joined an identical question already on its way upstream.
    pub dns_upstream_merged: AtomicU64,
    /// Plain upstream questions sent again because no answer came within the upstream's
    /// retransmission timeout (a datagram lost on the uplink, or a slow upstream).
    pub dns_upstream_retransmits: AtomicU64,
    /// Failed connections to encrypted upstreams (TLS handshake, certificate, HTTP errors).
    pub dns_upstream_tls_errors: AtomicU64,
    /// Upstream answers that mapped a public name to a private, loopback or link-local
    /// address, or to the appliance's own (DNS rebinding, `dns::rebind`); refused, never
    /// cached.
    pub dns_rebind_blocked: AtomicU64,
    /// Questions left unanswered because their client was over its answer rate
    /// (`dns.max_answers_per_client_per_sec`, `dns::client_rate`).
    pub dns_rate_limited: AtomicU64,
    /// TCP connections closed at once because their client already held its share
    /// (`dns.max_tcp_connections_per_client`).
    pub dns_tcp_refused_per_client: AtomicU64,
    /// Answers by result (`dns_queries` is their sum: both are counted at one place,
    /// [`Status::dns_answered`]).
    pub dns_answers: DnsAnswerCounts,
    /// Questions answered from the cache.
    pub dns_cache_hits: AtomicU64,
    /// Questions to an upstream server that got no answer (timeout, network error); the
    /// server is marked down and the next one is asked.
    pub dns_upstream_failures: AtomicU64,
    /// How long upstream servers took to answer.
    pub dns_upstream_latency: LatencyHistogram,
    /// Conntrack events and dump entries read.
    pub conntrack_messages: AtomicU64,
    /// Times the event socket overflowed (ENOBUFS) and the table was re-read.
    pub conntrack_overflows: AtomicU64,
    /// Complete dumps read (start, periodic, after overflow).
    pub conntrack_dumps: AtomicU64,
    /// Flows dropped because `conntrack.max_flows` was reached.
    pub conntrack_flows_refused: AtomicU64,
    /// IPFIX data records a collector was sent (counted once per collector; `[export]`).
    pub export_sent: AtomicU64,
    /// IPFIX records dropped: the exporter's queue was full, or a collector was not
    /// connected or could not take them.
    pub export_dropped: AtomicU64,
    /// Failed sends and connections to IPFIX collectors.
    pub export_errors: AtomicU64,
    warnings: Mutex<Vec<String>>,
    /// Warnings that hold only while a condition lasts (e.g. the history cannot be
    /// written), by what they are about; listed after `warnings` until cleared.
    conditions: Mutex<BTreeMap<&'static str, String>>,
    /// On the appliance: the radio serving the room, its devices and the uplink
    /// (`system::wifi_monitor`); `None` elsewhere.
    pub wifi: Mutex<Option<crate::system::wifi_monitor::WifiStatus>>,
}

/// A point-in-time copy of [`Status`] for the API.
#[derive(Debug, Serialize)]
pub struct StatusSnapshot {
    /// See [`Status::dns_queries`].
    pub dns_queries: u64,
    /// See [`Status::dns_events_dropped`].
    pub dns_events_dropped: u64,
    /// See [`Status::dns_bad_requests`].
    pub dns_bad_requests: u64,
    /// See [`Status::dns_upstream_mismatched`].
    pub dns_upstream_mismatched: u64,
    /// See [`Status::dns_upstream_malformed`].
    pub dns_upstream_malformed: u64,
    /// See [`Status::dns_upstream_merged`].
    pub dns_upstream_merged: u64,
    /// See [`Status::dns_upstream_retransmits`].
    pub dns_upstream_retransmits: u64,
    /// See [`Status::dns_upstream_tls_errors`].
    pub dns_upstream_tls_errors: u64,
    /// See [`Status::dns_rebind_blocked`].
    pub dns_rebind_blocked: u64,
    /// See [`Status::dns_rate_limited`].
    pub dns_rate_limited: u64,
    /// See [`Status::dns_tcp_refused_per_client`].
    pub dns_tcp_refused_per_client: u64,
    /// See [`Status::conntrack_messages`].
    pub conntrack_messages: u64,
    /// See [`Status::conntrack_overflows`].
    pub conntrack_overflows: u64,
    /// See [`Status::conntrack_dumps`].
    pub conntrack_dumps: u64,
    /// See [`Status::conntrack_flows_refused`].
    pub conntrack_flows_refused: u64,
    /// See [`Status::export_sent`].
    pub export_sent: u64,
    /// See [`Status::export_dropped`].
    pub export_dropped: u64,
    /// See [`Status::export_errors`].
    pub export_errors: u64,
    /// Things the operator should know (missing permissions, sysctls off, ...). Served
    /// beside the counters, not among them.
    #[serde(skip)]
    pub warnings: Vec<String>,
}

/// What a client's question got, for [`DnsAnswerCounts`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DnsResult {
    /// NOERROR (with or without records).
    NoError,
    /// NXDOMAIN: no such name.
    NxDomain,
    /// SERVFAIL: no upstream could answer.
    ServFail,
    /// REFUSED (zone transfers, rebinding answers, an upstream's refusal).
    Refused,
    /// Blocked by DNS blocking (answered 0.0.0.0 / `::`).
    Blocked,
    /// Any other response code (NOTIMP, BADVERS, ...).
    Other,
}

impl DnsResult {
    /// Every result, in the order of [`DnsAnswerCounts`]' slots.
    pub const ALL: [DnsResult; 6] = [
        DnsResult::NoError,
        DnsResult::NxDomain,
        DnsResult::ServFail,
        DnsResult::Refused,
        DnsResult::Blocked,
        DnsResult::Other,
    ];

    /// The result of an answer with response code `rcode` (the header's 4 bits, or an
    /// extended code).
    pub fn of_rcode(rcode: u16) -> DnsResult {
        match rcode {
            0 => DnsResult::NoError,
            2 => DnsResult::ServFail,
            3 => DnsResult::NxDomain,
            5 => DnsResult::Refused,
            _ => DnsResult::Other,
        }
    }

    /// Its name in metrics (`result="nxdomain"`).
    pub fn as_str(self) -> &'static str {
        match self {
            DnsResult::NoError => "noerror",
            DnsResult::NxDomain => "nxdomain",
            DnsResult::ServFail => "servfail",
            DnsResult::Refused => "refused",
            DnsResult::Blocked => "blocked",
            DnsResult::Other => "other",
        }
    }
}

/// Answers counted by [`DnsResult`].
#[derive(Debug, Default)]
pub struct DnsAnswerCounts([AtomicU64; DnsResult::ALL.len()]);

impl DnsAnswerCounts {
    /// How many answers had `result`.
    pub fn get(&self, result: DnsResult) -> u64 {
        self.0[result as usize].load(Ordering::Relaxed)
    }
}

/// Upper bounds (milliseconds) of [`LatencyHistogram`]'s buckets: a LAN upstream answers in
/// one or two, a distant one in tens, a struggling one in hundreds.
pub const LATENCY_BOUNDS_MS: [u64; 11] = [1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 2500];

/// A fixed-bucket histogram of durations in atomics (the hot path never locks).
#[derive(Debug, Default)]
pub struct LatencyHistogram {
    /// Counts per bucket of [`LATENCY_BOUNDS_MS`] (not cumulative), then the overflow.
    buckets: [AtomicU64; LATENCY_BOUNDS_MS.len() + 1],
    /// Sum of all durations, in microseconds.
    sum_us: AtomicU64,
}

/// A copy of a [`LatencyHistogram`] in Prometheus' terms.
#[derive(Clone, Debug, PartialEq)]
pub struct LatencySnapshot {
    /// Sum of the durations, in seconds.
    pub sum_secs: f64,
    /// Durations observed.
    pub count: u64,
    /// (upper bound in seconds, durations at most that long), cumulative.
    pub buckets: Vec<(f64, u64)>,
}

impl LatencyHistogram {
    /// Count one duration.
    pub fn observe(&self, d: std::time::Duration) {
        let ms = d.as_millis();
        let i = LATENCY_BOUNDS_MS
            .iter()
            .position(|&b| ms <= u128::from(b))
            .unwrap_or(LATENCY_BOUNDS_MS.len());
        self.buckets[i].fetch_add(1, Ordering::Relaxed);
        let us = u64::try_from(d.as_micros()).unwrap_or(u64::MAX);
        self.sum_us.fetch_add(us, Ordering::Relaxed);
    }

    /// The cumulative buckets, count and sum.
    pub fn snapshot(&self) -> LatencySnapshot {
        let mut total = 0;
        let mut buckets = Vec::with_capacity(LATENCY_BOUNDS_MS.len() + 1);
        for (i, b) in self.buckets.iter().enumerate() {
            total += b.load(Ordering::Relaxed);
            let bound = LATENCY_BOUNDS_MS
                .get(i)
                .map_or(f64::INFINITY, |&ms| ms as f64 / 1000.0);
            buckets.push((bound, total));
        }
        LatencySnapshot {
            sum_secs: self.sum_us.load(Ordering::Relaxed) as f64 / 1e6,
            count: total,
            buckets,
        }
    }
}

/// Add one to a counter.
pub fn bump(counter: &AtomicU64) {
    counter.fetch_add(1, Ordering::Relaxed);
}

/// Add `n` to a counter.
pub fn add(counter: &AtomicU64, n: u32) {
    counter.fetch_add(u64::from(n), Ordering::Relaxed);
}

impl Status {
    /// Count an answer to a client's question: `dns_queries` and its result.
    pub fn dns_answered(&self, result: DnsResult) {
        bump(&self.dns_queries);
        bump(&self.dns_answers.0[result as usize]);
    }

    /// Record a warning for the API (kept once; at most 100 kept).
    pub fn warn(&self, message: impl Into<String>) {
        let message = message.into();
        tracing::warn!("{message}");
        let mut w = self.warnings.lock();
        if !w.contains(&message) && w.len() < 100 {
            w.push(message);
        }
    }

    /// Raise (`Some`) or clear (`None`) the warning about `about`, a condition that can end
    /// (unlike [`Status::warn`]'s, which stay): logged when it starts, changes or ends.
    pub fn set_condition(&self, about: &'static str, message: Option<String>) {
        let mut c = self.conditions.lock();
        match message {
            Some(m) => {
                if c.get(about) != Some(&m) {
                    tracing::warn!("{m}");
                    c.insert(about, m);
                }
            }
            None => {
                if c.remove(about).is_some() {
                    tracing::info!("{about}: no longer a problem");
                }
            }
        }
    }

    /// Copy the current values.
    pub fn snapshot(&self) -> StatusSnapshot {
        let g = |c: &AtomicU64| c.load(Ordering::Relaxed);
        StatusSnapshot {
            dns_queries: g(&self.dns_queries),
            dns_events_dropped: g(&self.dns_events_dropped),
            dns_bad_requests: g(&self.dns_bad_requests),
            dns_upstream_mismatched: g(&self.dns_upstream_mismatched),
            dns_upstream_malformed: g(&self.dns_upstream_malformed),
            dns_upstream_merged: g(&self.dns_upstream_merged),
            dns_upstream_retransmits: g(&self.dns_upstream_retransmits),
            dns_upstream_tls_errors: g(&self.dns_upstream_tls_errors),
            dns_rebind_blocked: g(&self.dns_rebind_blocked),
            dns_rate_limited: g(&self.dns_rate_limited),
            dns_tcp_refused_per_client: g(&self.dns_tcp_refused_per_client),
            conntrack_messages: g(&self.conntrack_messages),
            conntrack_overflows: g(&self.conntrack_overflows),
            conntrack_dumps: g(&self.conntrack_dumps),
            conntrack_flows_refused: g(&self.conntrack_flows_refused),
            export_sent: g(&self.export_sent),
            export_dropped: g(&self.export_dropped),
            export_errors: g(&self.export_errors),
            warnings: {
                let mut w = self.warnings.lock().clone();
                w.extend(self.conditions.lock().values().cloned());
                w
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_condition_is_listed_until_cleared() {
        let s = Status::default();
        s.warn("kept");
        s.set_condition("history", Some("cannot write".into()));
        s.set_condition("history", Some("cannot write".into()));
        assert_eq!(s.snapshot().warnings, ["kept", "cannot write"]);
        s.set_condition("history", None);
        assert_eq!(s.snapshot().warnings, ["kept"]);
    }

    #[test]
    fn answers_by_result_add_up_to_the_queries() {
        let s = Status::default();
        s.dns_answered(DnsResult::of_rcode(3));
        s.dns_answered(DnsResult::Blocked);
        s.dns_answered(DnsResult::of_rcode(0));
        assert_eq!(s.dns_answers.get(DnsResult::NxDomain), 1);
        let sum: u64 = DnsResult::ALL.iter().map(|&r| s.dns_answers.get(r)).sum();
        assert_eq!(sum, s.dns_queries.load(Ordering::Relaxed));
    }

    #[test]
    fn latency_buckets_are_cumulative() {
        let h = LatencyHistogram::default();
        h.observe(std::time::Duration::from_micros(500));
        h.observe(std::time::Duration::from_millis(30));
        h.observe(std::time::Duration::from_secs(9));
        let s = h.snapshot();
        assert_eq!(s.count, 3);
        assert_eq!(s.buckets[0], (0.001, 1));
        assert_eq!(s.buckets[4], (0.025, 1));
        assert_eq!(s.buckets[5], (0.05, 2));
        assert_eq!(*s.buckets.last().unwrap(), (f64::INFINITY, 3));
        assert!((s.sum_secs - 9.0305).abs() < 1e-9);
    }
}
