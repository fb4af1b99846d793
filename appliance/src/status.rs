//! Health counters and warnings every stage reports into, served at `/api/v1/status`.
//!
//! Counters are plain atomics so the hot paths (answering DNS, reading conntrack) never lock.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};

use parking_lot::Mutex;
use serde::Serialize;

use crate::i18n::Tr;

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
    warnings: Mutex<Vec<Warning>>,
    /// Warnings that hold only while a condition lasts (e.g. the history cannot be
    /// written), by what they are about; listed after `warnings` until cleared.
    conditions: Mutex<BTreeMap<&'static str, Warning>>,
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
    /// Things the operator should know (missing permissions, sysctls off, ...), in
    /// English. Served beside the counters, not among them.
    #[serde(skip)]
    pub warnings: Vec<String>,
    /// The same warnings, each with its catalogue words when it has them (the pages say
    /// those in the reader's language).
    #[serde(skip)]
    pub warning_list: Vec<Warning>,
}

/// The family of status warnings: `status-<id>` of `pages.ftl`.
#[derive(Debug)]
pub enum Statuses {}

impl crate::i18n::Family for Statuses {
    const PREFIX: &'static str = "status-";
}

/// A status warning as a catalogue message (`status-<id>` in `pages.ftl`) and its
/// arguments, each a string (numbers as digits; names, addresses and other programs' own
/// words as they are). The English `message` of a [`Warning`] is these words said in
/// English, so the two never drift apart.
pub type StatusWords = crate::i18n::Words<Statuses>;

/// The arguments of [`StatusWords`] that are another program's or the OS's own words (an
/// error's text), not names: said as they came, marked as English on the pages.
pub const DETAILS: [&str; 1] = ["error"];

/// One warning of `/api/v1/status`: its English message and its catalogue words.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Warning {
    /// In English.
    pub message: String,
    /// As a catalogue message.
    pub words: StatusWords,
}

impl Warning {
    /// In the language of `tr`.
    pub fn say(&self, tr: Tr) -> String {
        self.words.say(tr)
    }
}

impl From<StatusWords> for Warning {
    fn from(words: StatusWords) -> Self {
        Warning {
            message: words.english(),
            words,
        }
    }
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

    /// Record a warning for the API with its catalogue words (kept once; at most 100 kept).
    pub fn warn(&self, words: StatusWords) {
        self.add_warning(words.into());
    }

    fn add_warning(&self, warning: Warning) {
        tracing::warn!("{}", warning.message);
        let mut w = self.warnings.lock();
        if !w.contains(&warning) && w.len() < 100 {
            w.push(warning);
        }
    }

    /// Raise (`Some`) or clear (`None`) the warning about `about`, a condition that can end
    /// (unlike [`Status::warn`]'s, which stay): logged (in English) when it starts, changes
    /// or ends.
    pub fn set_condition(&self, about: &'static str, words: Option<StatusWords>) {
        let mut c = self.conditions.lock();
        match words {
            Some(w) => {
                if c.get(about).map(|c| &c.words) != Some(&w) {
                    let w = Warning::from(w);
                    tracing::warn!("{}", w.message);
                    c.insert(about, w);
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
        let mut list = self.warnings.lock().clone();
        list.extend(self.conditions.lock().values().cloned());
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
            warnings: list.iter().map(|w| w.message.clone()).collect(),
            warning_list: list,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;

    #[test]
    fn a_condition_is_listed_until_cleared() {
        let s = Status::default();
        s.warn(StatusWords::new("conntrack-disabled", []));
        let words = || StatusWords::new("history-failing", [("error", "disk full".into())]);
        s.set_condition("history", Some(words()));
        s.set_condition("history", Some(words()));
        let kept = StatusWords::new("conntrack-disabled", []).english();
        assert_eq!(s.snapshot().warnings, [kept.clone(), words().english()]);
        s.set_condition("history", None);
        assert_eq!(s.snapshot().warnings, [kept]);
    }

    /// Every status message with the arguments its producer gives.
    fn every_condition() -> Vec<StatusWords> {
        let w = |id, args: &[(&'static str, &str)]| {
            StatusWords::new(id, args.iter().map(|(k, v)| (*k, (*v).to_owned())))
        };
        let room = [
            ("associated", "15"),
            ("interface", "wlan0"),
            ("driver", "brcmfmac"),
            ("bus", "sdio"),
            ("capacity", "15"),
        ];
        vec![
            w("history-off", &[("dir", "/data"), ("error", "EROFS")]),
            w("history-failing", &[("error", "disk full")]),
            w(
                "export-unreachable",
                &[("url", "udp://10.0.0.1:4739"), ("error", "refused")],
            ),
            w("wifi-monitor-off", &[("error", "EAGAIN")]),
            w(
                "wifi-radio-gone",
                &[
                    ("interface", "wlan1"),
                    ("driver", "mt76x2u"),
                    ("bus", "usb"),
                ],
            ),
            w(
                "wifi-ap-stopped",
                &[
                    ("interface", "wlan0"),
                    ("driver", "brcmfmac"),
                    ("bus", "sdio"),
                    ("state", "COUNTRY_UPDATE"),
                ],
            ),
            w(
                "wifi-ap-silent",
                &[("interface", "wlan0"), ("error", "refused")],
            ),
            w("wifi-room-full", &room),
            w("wifi-room-nearly", &room),
            w("uplink-wrong-key", &[("ssid", "School")]),
            w("uplink-not-found", &[("ssid", "School")]),
            w("uplink-conn-failed", &[("ssid", "School")]),
            w(
                "uplink-disabled",
                &[("ssid", "School"), ("reason", "AUTH_FAILED")],
            ),
            w("uplink-disconnected", &[("ssid", "School")]),
            w(
                "uplink-portal",
                &[
                    ("uplink", "wlan0"),
                    ("kind", "redirect"),
                    ("code", "302"),
                    ("to", "http://login.school/"),
                ],
            ),
            w(
                "uplink-wpa-silent",
                &[("uplink", "wlan0"), ("error", "refused")],
            ),
            w(
                "setup-problem",
                &[("problem", "wifi.country: \"XX\" is no country")],
            ),
            w(
                "setup-unreadable",
                &[("file", "/boot/whereflow-problems.txt"), ("error", "EIO")],
            ),
            w(
                "setup-see-file",
                &[("file", "/boot/whereflow-problems.txt")],
            ),
            w("setup-network", &[("ssid", "whereflow-setup")]),
            w("admin-off", &[("error", "out of memory")]),
            w(
                "admin-plain-kept",
                &[
                    ("file", "/etc/whereflow.toml"),
                    ("hash_file", "/data/admin-hash"),
                    ("error", "EROFS"),
                ],
            ),
            w(
                "admin-hash-bad",
                &[("file", "/data/admin-hash"), ("error", "bad PHC")],
            ),
            w(
                "admin-hash-unsaved",
                &[("file", "/data/admin-hash"), ("error", "EROFS")],
            ),
            w("conntrack-disabled", &[]),
            w("conntrack-not-started", &[("error", "EPERM")]),
            w("devices-not-started", &[("error", "EAGAIN")]),
            w("detect-neighbours-unreadable", &[("error", "EPERM")]),
            w("detect-arp-unreadable", &[("error", "EPERM")]),
            w("detect-lan-thread", &[("error", "EAGAIN")]),
            w("detect-nflog-unreadable", &[("error", "EPERM")]),
            w("detect-nflog-thread", &[("error", "EAGAIN")]),
            w("controls-saved-unreadable", &[("error", "bad JSON")]),
            w(
                "controls-table-left",
                &[("table", "inet whereflow"), ("error", "EPERM")],
            ),
            w(
                "controls-not-enforced",
                &[("count", "3"), ("error", "EPERM")],
            ),
            w("controls-unsaved", &[("error", "ENOSPC")]),
            w("dns-no-upstreams", &[]),
            w(
                "dns-cert-refused",
                &[
                    ("upstream", "tls://9.9.9.9@dns.quad9.net"),
                    ("name", "dns.quad9.net"),
                    ("error", "expired"),
                ],
            ),
            w("conntrack-dump-slow", &[]),
            w("conntrack-dump-request", &[("error", "ENOBUFS")]),
            w("conntrack-dump-denied", &[("error", "EPERM")]),
            w("conntrack-dump-failed", &[("error", "EINVAL")]),
            w("conntrack-full", &[("max", "50000")]),
            w("conntrack-skipped", &[("error", "short attribute")]),
            w(
                "conntrack-small-buffer",
                &[("wanted", "8388608"), ("got", "212992"), ("error", "EPERM")],
            ),
            w(
                "sysctl-unreadable",
                &[
                    ("knob", "nf_conntrack_acct"),
                    ("file", "/proc/sys/net/netfilter/nf_conntrack_acct"),
                    ("error", "ENOENT"),
                ],
            ),
            w(
                "sysctl-was-off",
                &[
                    ("knob", "nf_conntrack_timestamp"),
                    ("key", "net.netfilter.nf_conntrack_timestamp"),
                    ("value", "0"),
                ],
            ),
            w(
                "sysctl-unset",
                &[
                    ("knob", "nf_conntrack_events"),
                    ("key", "net.netfilter.nf_conntrack_events"),
                    ("value", "0"),
                    ("error", "EACCES"),
                ],
            ),
            w(
                "sysctl-off",
                &[
                    ("knob", "nf_conntrack_acct"),
                    ("key", "net.netfilter.nf_conntrack_acct"),
                    ("value", "0"),
                ],
            ),
            w("history-over-cap", &[("max_mb", "512")]),
            w("domains-unusable", &[("error", "bad list")]),
            w("geo-none", &[]),
            w("asn-none", &[]),
            w("db-directory", &[("kind", "geo"), ("file", "/data/geo")]),
            w(
                "db-unreadable",
                &[
                    ("kind", "as"),
                    ("file", "/data/asn.mmdb"),
                    ("error", "ENOENT"),
                ],
            ),
            w(
                "db-invalid",
                &[
                    ("kind", "geo"),
                    ("file", "/data/geo.mmdb"),
                    ("error", "bad"),
                ],
            ),
            w(
                "db-wrong-kind",
                &[
                    ("kind", "as"),
                    ("file", "/data/x.mmdb"),
                    ("type", "DBIP-City"),
                ],
            ),
            w("devices-neighbours-unreadable", &[("error", "EPERM")]),
            w(
                "devices-leases-unreadable",
                &[
                    ("file", "/var/lib/misc/dnsmasq.leases"),
                    ("error", "EACCES"),
                ],
            ),
            w(
                "devices-leases-too-big",
                &[
                    ("file", "/var/lib/misc/dnsmasq.leases"),
                    ("size", "9000000"),
                    ("max", "4194304"),
                ],
            ),
            w("devices-no-interface", &[("name", "wlan9")]),
            w("devices-neighbours-failed", &[("error", "ENOBUFS")]),
            w(
                "radio-no-ap",
                &[
                    ("interface", "wlan1"),
                    ("driver", "rtl8xxxu"),
                    ("bus", "usb"),
                ],
            ),
            w("fine-again", &[]),
            w(
                "radio-usb-many",
                &[
                    ("count", "2"),
                    ("radios", "wlan1, wlan2"),
                    ("radio", "wlan1"),
                ],
            ),
        ]
    }

    #[test]
    fn every_condition_is_said_in_every_language() {
        let all = every_condition();
        // Every status message of the catalogue is in the list (a new one gets checked too).
        let english = include_str!("../locales/en/pages.ftl");
        let ids: Vec<&str> = english
            .lines()
            .filter_map(|l| l.strip_prefix("status-")?.split_once(" = "))
            .map(|(id, _)| id)
            .collect();
        assert_eq!(ids.len(), all.len(), "{ids:?}");
        for id in ids {
            assert!(all.iter().any(|w| w.id == id), "status-{id} is not checked");
        }
        for words in &all {
            let mut said = std::collections::BTreeSet::new();
            for lang in Lang::ALL {
                let text = words.say(Tr::new(lang));
                assert!(!text.contains('⟦'), "{lang}: {text}");
                // A missing or misspelt argument shows as `{$name}`.
                assert!(!text.contains('{'), "{lang}: {text}");
                // Every argument is said (`kind` only chooses the words).
                for (k, v) in &words.args {
                    let said = text.contains(v.as_str()) || ["kind", "bus"].contains(k);
                    assert!(said, "{lang} drops {v}: {text}");
                }
                // As HTML: escaped, and only an error's own words marked as English.
                let html = crate::web::page::status_html(words, Tr::new(lang));
                assert_eq!(
                    html.matches("<code lang=\"en\">").count(),
                    usize::from(words.args.contains_key("error")),
                    "{html}"
                );
                assert!(!html.contains('\u{E000}'), "{html}");
                said.insert(text);
            }
            assert_eq!(said.len(), Lang::ALL.len(), "not translated: {said:?}");
        }
        let s = Status::default();
        s.set_condition("uplink-portal", Some(all[14].clone()));
        let snap = s.snapshot();
        assert!(snap.warnings[0].starts_with("the school network wants a login"));
        assert!(snap.warning_list[0]
            .say(Tr::new(Lang::De))
            .starts_with("Das Schulnetz verlangt eine Anmeldung"));
        // A stage's warning is said in the reader's language too, its OS error marked.
        s.warn(StatusWords::new(
            "db-unreadable",
            [
                ("kind", "geo".into()),
                ("file", "/data/<geo>.mmdb".into()),
                ("error", "No such file or directory (os error 2)".into()),
            ],
        ));
        let w = &s.snapshot().warning_list[0];
        assert!(w.message.starts_with("the geo database /data/<geo>.mmdb"));
        assert_eq!(
            crate::web::page::status_html(&w.words, Tr::new(Lang::De)),
            "Die Geo-Datenbank /data/&lt;geo&gt;.mmdb lässt sich nicht lesen (<code lang=\"en\">\
             No such file or directory (os error 2)</code>)."
        );
        assert!(w
            .say(Tr::new(Lang::Es))
            .contains("base de datos geográfica"));
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
