//! What `GET /metrics` shows: the numbers the stages already keep ([`Status`], the store
//! writer's and the detectors' counters, the live state), read once per scrape into a
//! [`Scrape`] and written in the Prometheus text format by `prometheus-client`.
//!
//! Nothing here counts anything: a scrape reads the same atomics `/api/v1/status` reads, so
//! the two never disagree and the hot paths pay for one count, not two.

use std::sync::atomic::{AtomicU64, Ordering};

use prometheus_client::collector::Collector;
use prometheus_client::encoding::{DescriptorEncoder, EncodeMetric, NoLabelSet};
use prometheus_client::metrics::counter::ConstCounter;
use prometheus_client::metrics::gauge::ConstGauge;
use prometheus_client::metrics::MetricType;
use prometheus_client::registry::Registry;

use crate::model::{AlertKind, Category};
use crate::status::{DnsResult, LatencySnapshot, Status};
use crate::web::AppState;

/// Every series' name starts with this (`whereflow_dns_queries_total`).
pub(crate) const PREFIX: &str = "whereflow";

/// A counter or gauge, with its labels' values when it has some.
#[derive(Debug)]
enum Value {
    Counter(u64),
    Gauge(u64),
}

/// One metric: name (without prefix and `_total`), help, and its series (label pairs and
/// value; no pairs for a metric without labels).
#[derive(Debug)]
struct Metric {
    name: &'static str,
    help: &'static str,
    series: Vec<(Vec<(&'static str, &'static str)>, Value)>,
}

/// The numbers of one scrape, copied out of the shared state (so encoding holds no lock).
#[derive(Debug)]
pub(crate) struct Scrape {
    metrics: Vec<Metric>,
    upstream_latency: LatencySnapshot,
}

impl Scrape {
    /// Read every number now.
    pub(crate) fn read(app: &AppState) -> Scrape {
        let mut metrics = Vec::new();
        dns(&app.status, &mut metrics);
        conntrack(&app.status, &mut metrics);
        export(&app.status, &mut metrics);
        live(app, &mut metrics);
        alerts(app, &mut metrics);
        store(app, &mut metrics);
        Scrape {
            metrics,
            upstream_latency: app.status.dns_upstream_latency.snapshot(),
        }
    }

    /// The Prometheus text exposition (version 0.0.4).
    pub(crate) fn encode(self) -> Result<String, std::fmt::Error> {
        let mut registry = Registry::with_prefix(PREFIX);
        registry.register_collector(Box::new(self));
        let mut out = String::new();
        prometheus_client::encoding::prometheus_text::encode(&mut out, &registry)?;
        Ok(out)
    }
}

impl Collector for Scrape {
    fn encode(&self, mut encoder: DescriptorEncoder) -> Result<(), std::fmt::Error> {
        for m in &self.metrics {
            let kind = match m.series.first() {
                Some((_, Value::Gauge(_))) => MetricType::Gauge,
                _ => MetricType::Counter,
            };
            let mut e = encoder.encode_descriptor(m.name, m.help, None, kind)?;
            match m.series.as_slice() {
                [(labels, value)] if labels.is_empty() => encode_value(value, e)?,
                series => {
                    for (labels, value) in series {
                        encode_value(value, e.encode_family(labels)?)?;
                    }
                }
            }
        }
        let l = &self.upstream_latency;
        encoder
            .encode_descriptor(
                "dns_upstream_latency_seconds",
                "Time upstream DNS servers took to answer a question.",
                None,
                MetricType::Histogram,
            )?
            .encode_histogram::<NoLabelSet>(l.sum_secs, l.count, &l.buckets, None)
    }
}

fn encode_value(
    value: &Value,
    e: prometheus_client::encoding::MetricEncoder<'_>,
) -> Result<(), std::fmt::Error> {
    match *value {
        Value::Counter(v) => ConstCounter::new(v).encode(e),
        Value::Gauge(v) => ConstGauge::new(v).encode(e),
    }
}

fn load(c: &AtomicU64) -> u64 {
    c.load(Ordering::Relaxed)
}

/// A metric with one unlabelled series.
fn single(name: &'static str, help: &'static str, value: Value) -> Metric {
    Metric {
        name,
        help,
        series: vec![(Vec::new(), value)],
    }
}

fn count(n: usize) -> u64 {
    u64::try_from(n).unwrap_or(u64::MAX)
}

/// The forwarder's counters (`dns/`).
fn dns(s: &Status, out: &mut Vec<Metric>) {
    let c = |a: &AtomicU64| Value::Counter(load(a));
    out.push(single(
        "dns_queries",
        "DNS questions answered, any result.",
        c(&s.dns_queries),
    ));
    out.push(Metric {
        name: "dns_answers",
        help: "DNS answers by result (they add up to dns_queries).",
        series: DnsResult::ALL
            .iter()
            .map(|&r| {
                (
                    vec![("result", r.as_str())],
                    Value::Counter(s.dns_answers.get(r)),
                )
            })
            .collect(),
    });
    out.push(single(
        "dns_cache_hits",
        "DNS questions answered from the cache.",
        c(&s.dns_cache_hits),
    ));
    out.push(single(
        "dns_upstream_failures",
        "Questions an upstream DNS server did not answer (timeout, network error).",
        c(&s.dns_upstream_failures),
    ));
    for (name, help, a) in [
        (
            "dns_upstream_mismatched",
            "Upstream answers that matched no waiting question (late, duplicated or forged).",
            &s.dns_upstream_mismatched,
        ),
        (
            "dns_upstream_retransmits",
            "Questions sent to an upstream again because its answer was late (RFC 6298 timer).",
            &s.dns_upstream_retransmits,
        ),
        (
            "dns_upstream_malformed",
            "Malformed upstream answers, dropped.",
            &s.dns_upstream_malformed,
        ),
        (
            "dns_upstream_tls_errors",
            "Failed connections to encrypted upstreams.",
            &s.dns_upstream_tls_errors,
        ),
        (
            "dns_bad_requests",
            "Malformed or refused DNS messages from clients.",
            &s.dns_bad_requests,
        ),
        (
            "dns_rate_limited",
            "Questions left unanswered because the client was over its answer rate.",
            &s.dns_rate_limited,
        ),
        (
            "dns_rebind_blocked",
            "Upstream answers refused as DNS rebinding.",
            &s.dns_rebind_blocked,
        ),
        (
            "dns_events_dropped",
            "DNS answers not passed to the correlator (queue full).",
            &s.dns_events_dropped,
        ),
    ] {
        out.push(single(name, help, c(a)));
    }
}

/// The conntrack reader's counters (`conntrack/`).
fn conntrack(s: &Status, out: &mut Vec<Metric>) {
    for (name, help, a) in [
        (
            "conntrack_events",
            "Conntrack events and dump entries read.",
            &s.conntrack_messages,
        ),
        (
            "conntrack_overflows",
            "Times the conntrack event socket overflowed (ENOBUFS); each is followed by a resync.",
            &s.conntrack_overflows,
        ),
        (
            "conntrack_dumps",
            "Complete conntrack table reads: at start, periodic, and resyncs after an overflow.",
            &s.conntrack_dumps,
        ),
        (
            "conntrack_flows_refused",
            "Flows not followed because conntrack.max_flows was reached.",
            &s.conntrack_flows_refused,
        ),
    ] {
        out.push(single(name, help, Value::Counter(load(a))));
    }
}

/// The IPFIX exporter's counters (`export/`).
fn export(s: &Status, out: &mut Vec<Metric>) {
    for (name, help, a) in [
        (
            "export_sent",
            "IPFIX records sent to the collectors.",
            &s.export_sent,
        ),
        (
            "export_dropped",
            "Flow changes not exported because the exporter's queue was full.",
            &s.export_dropped,
        ),
        (
            "export_errors",
            "Failed sends or connections to IPFIX collectors.",
            &s.export_errors,
        ),
    ] {
        out.push(single(name, help, Value::Counter(load(a))));
    }
}

/// What the live state holds now: flows, bytes per category, devices, viewers.
fn live(app: &AppState, out: &mut Vec<Metric>) {
    // One pass under the read lock, sums only; bounded by the flow table's own limits.
    let mut bytes = [[0u64; 2]; Category::ALL.len() + 1];
    let (open, closed) = {
        let l = app.live.read();
        for f in l.flows.iter() {
            let i = f
                .enrichment
                .category
                .and_then(|c| Category::ALL.iter().position(|&k| k == c))
                .unwrap_or(Category::ALL.len());
            bytes[i][0] = bytes[i][0].saturating_add(f.bytes_up);
            bytes[i][1] = bytes[i][1].saturating_add(f.bytes_down);
        }
        (l.flows.live_count(), l.flows.closed_count())
    };
    out.push(single(
        "flows_open",
        "Flows open now.",
        Value::Gauge(count(open)),
    ));
    out.push(single(
        "flows_closed_kept",
        "Closed flows still held in memory.",
        Value::Gauge(count(closed)),
    ));
    let label = |i: usize| Category::ALL.get(i).map_or("unknown", |c| c.as_str());
    out.push(Metric {
        name: "flow_bytes",
        help: "Bytes of the flows held in memory (open and recently closed), by the destination's category and direction.",
        series: bytes
            .iter()
            .enumerate()
            .flat_map(|(i, [up, down])| {
                [
                    (
                        vec![("category", label(i)), ("direction", "up")],
                        Value::Gauge(*up),
                    ),
                    (
                        vec![("category", label(i)), ("direction", "down")],
                        Value::Gauge(*down),
                    ),
                ]
            })
            .collect(),
    });
    out.push(single(
        "devices",
        "Devices the registry knows now.",
        Value::Gauge(count(app.devices.len())),
    ));
    out.push(single(
        "viewers",
        "Clients following the live event stream (/api/v1/events) now.",
        Value::Gauge(count(app.event_slots.0.in_use())),
    ));
}

/// The detectors' alerts (`detect/`), when they run.
fn alerts(app: &AppState, out: &mut Vec<Metric>) {
    let Some(d) = &app.detect else {
        return;
    };
    let by_kind = d.alerts.read().count_by_kind();
    out.push(Metric {
        name: "alerts",
        help: "Alerts held now, by kind.",
        series: by_kind
            .iter()
            .map(|(k, n)| {
                (
                    vec![("kind", AlertKind::as_str(*k))],
                    Value::Gauge(count(*n)),
                )
            })
            .collect(),
    });
    out.push(single(
        "alerts_raised",
        "New alerts raised since start.",
        Value::Counter(load(&d.stats.alerts)),
    ));
    out.push(single(
        "detect_inputs_dropped",
        "Inputs the detectors missed because their queue was full.",
        Value::Counter(load(&d.stats.dropped)),
    ));
}

/// The store writer's counters (`store/`), when history is saved.
fn store(app: &AppState, out: &mut Vec<Metric>) {
    let Some(w) = &app.store_stats else {
        return;
    };
    for (name, help, a) in [
        (
            "store_written",
            "Records committed to the history database.",
            &w.written,
        ),
        (
            "store_queue_full",
            "Records refused because the store's queue was full.",
            &w.dropped,
        ),
        (
            "store_write_errors",
            "Records lost because their transaction failed to commit.",
            &w.failed,
        ),
        (
            "store_retries",
            "Commits tried again after the disk refused them.",
            &w.retries,
        ),
    ] {
        out.push(single(name, help, Value::Counter(load(a))));
    }
    out.push(single(
        "store_queued",
        "Records waiting in the store's queue now (it drops new ones when full).",
        Value::Gauge(w.queued()),
    ));
    out.push(single(
        "store_failing",
        "1 while writing the history fails, else 0.",
        Value::Gauge(u64::from(w.failing().is_some())),
    ));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn series_come_out_in_the_prometheus_text_format() {
        let status = Status::default();
        status.dns_answered(DnsResult::NxDomain);
        status
            .dns_upstream_latency
            .observe(std::time::Duration::from_millis(3));
        let mut metrics = Vec::new();
        dns(&status, &mut metrics);
        conntrack(&status, &mut metrics);
        let text = Scrape {
            metrics,
            upstream_latency: status.dns_upstream_latency.snapshot(),
        }
        .encode()
        .unwrap();
        for line in [
            "# TYPE whereflow_dns_queries_total counter",
            "whereflow_dns_queries_total 1",
            "whereflow_dns_answers_total{result=\"nxdomain\"} 1",
            "whereflow_dns_answers_total{result=\"noerror\"} 0",
            "whereflow_conntrack_overflows_total 0",
            "whereflow_dns_upstream_latency_seconds_bucket{le=\"0.005\"} 1",
            "whereflow_dns_upstream_latency_seconds_count 1",
        ] {
            assert!(
                text.lines().any(|l| l == line),
                "{line} missing in:\n{text}"
            );
        }
    }
}
