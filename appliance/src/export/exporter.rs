//! The exporter task: flow changes in, IPFIX messages out to every collector.
//!
//! It remembers, per open flow, the counters already exported: a closed flow's record and
//! a long-lived flow's periodic one (every `export.active_timeout_secs`) carry the counts
//! since the flow's previous record (`octetDeltaCount` and friends), so a collector's sums
//! are right however many records a flow had.

use std::net::IpAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;

use super::collector::Collector;
use super::ipfix::wire::{self, EndReason, Layout, Record};
use crate::config::{CollectorUrl, ExportConfig};
use crate::devices::DeviceRegistry;
use crate::model::{FlowKey, FlowRecord, FlowState, Proto};
use crate::status::Status;

/// Open flows remembered; beyond this a flow gets its first record when it closes.
const MAX_OPEN: usize = 65_536;
/// Records are packed into messages up to about this size (one Ethernet frame over UDP).
const MESSAGE_TARGET: usize = 1_400;
/// Devices whose pseudonym is remembered between two clearings.
const MAX_PSEUDONYMS: usize = 4_096;
/// How often the queue is emptied (its size, `export::QUEUE`, holds ~10 ms of a fast burst).
const POLL: Duration = Duration::from_millis(10);

/// What the exporter is started with.
pub(super) struct Parts {
    pub config: ExportConfig,
    pub collectors: Vec<CollectorUrl>,
    pub devices: Option<Arc<DeviceRegistry>>,
    pub status: Arc<Status>,
}

/// An open flow: what was exported of it, and when. Its `Arc<FlowRecord>` is not kept: the
/// correlator updates flows copy-on-write, and a copy held here would make it clone the
/// whole record at every counter change.
struct Tracked {
    sent: Counts,
    last_export: Instant,
}

/// Counters already carried by earlier records.
#[derive(Clone, Copy, Default)]
struct Counts {
    bytes_up: u64,
    packets_up: u64,
    bytes_down: u64,
    packets_down: u64,
}

impl Counts {
    fn of(f: &FlowRecord) -> Counts {
        Counts {
            bytes_up: f.bytes_up,
            packets_up: f.packets_up,
            bytes_down: f.bytes_down,
            packets_down: f.packets_down,
        }
    }
}

/// Data records waiting for the next message, per template.
#[derive(Default)]
struct Pending {
    v4: Vec<u8>,
    v6: Vec<u8>,
    records: u32,
}

struct Exporter {
    layout: Layout,
    domain: u32,
    active: Duration,
    /// The same, as a flow's age.
    active_age: chrono::TimeDelta,
    devices: Option<Arc<DeviceRegistry>>,
    /// Each device's pseudonym, emptied every second: the registry's lookup takes locks and
    /// an HMAC, and a device has many flows. Keyed by an address a device may choose, so
    /// with the standard (keyed) hash; bounded by [`MAX_PSEUDONYMS`].
    pseudonyms: std::collections::HashMap<IpAddr, Arc<str>>,
    /// Keyed by conntrack's own id and start time, not by anything a device chooses, so a
    /// fast non-keyed hash is safe here.
    open: rustc_hash::FxHashMap<FlowKey, Tracked>,
    collectors: Vec<Collector>,
    pending: Pending,
    templates: Vec<u8>,
    message: Vec<u8>,
}

/// Run until `shutdown` (what is pending then is sent) or until the sink is dropped.
pub(super) async fn run(
    parts: Parts,
    mut rx: mpsc::Receiver<Arc<FlowRecord>>,
    shutdown: CancellationToken,
) {
    let mut x = Exporter::new(parts);
    // The queue is emptied every POLL instead of waking this task per flow change: the
    // correlator's `try_send` then never wakes another thread (a wake-up costs more than
    // the send), and records fill whole messages.
    let mut poll = tokio::time::interval(POLL);
    poll.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut last_second = Instant::now();
    let mut open = true;
    while open {
        tokio::select! {
            _ = shutdown.cancelled() => break,
            _ = poll.tick() => {}
        }
        loop {
            match rx.try_recv() {
                Ok(flow) => x.flow(flow).await,
                Err(mpsc::error::TryRecvError::Empty) => break,
                Err(mpsc::error::TryRecvError::Disconnected) => {
                    open = false;
                    break;
                }
            }
        }
        if last_second.elapsed() >= Duration::from_secs(1) {
            last_second = Instant::now();
            // Reconnect waiting TCP collectors; send templates that are due over UDP.
            x.keep_alive().await;
            // Pseudonyms change with a new session or a device's new binding: looked up
            // again at most a second later.
            x.pseudonyms.clear();
        }
        x.flush().await;
        x.send_batches();
    }
    x.flush().await;
    x.send_batches();
}

impl Exporter {
    fn new(p: Parts) -> Exporter {
        let layout = Layout {
            enterprise: p.config.enterprise_number,
            device_address: p.config.include_device_address,
        };
        let refresh = Duration::from_secs(p.config.template_refresh_secs);
        let mut templates = Vec::new();
        wire::push_templates(&mut templates, layout);
        Exporter {
            layout,
            domain: p.config.observation_domain,
            active: Duration::from_secs(p.config.active_timeout_secs),
            active_age: super::active_age(&p.config),
            devices: p.devices,
            pseudonyms: std::collections::HashMap::new(),
            open: rustc_hash::FxHashMap::default(),
            collectors: p
                .collectors
                .into_iter()
                .map(|u| Collector::new(u, refresh, p.status.clone()))
                .collect(),
            pending: Pending::default(),
            templates,
            message: Vec::with_capacity(MESSAGE_TARGET * 2),
        }
    }

    /// A flow changed: a closed one gets its final record; an open one at least
    /// `export.active_timeout_secs` old gets its first periodic record, and then one each
    /// time its last record is that old, of what it carried since. (An open flow changes at
    /// each conntrack dump while it moves bytes, so its periodic record is at most one dump
    /// interval late, and a flow that moved nothing needs none.) The sink passes on only
    /// open flows that old; the age is checked here again so the rule is in one place.
    async fn flow(&mut self, flow: Arc<FlowRecord>) {
        match flow.state {
            FlowState::Closed => {
                let sent = self
                    .open
                    .remove(&flow.key)
                    .map(|t| t.sent)
                    .unwrap_or_default();
                self.record(&flow, sent, EndReason::Ended).await;
            }
            FlowState::Open => {
                let before = match self.open.get_mut(&flow.key) {
                    Some(t) => {
                        if t.last_export.elapsed() < self.active {
                            return;
                        }
                        t.last_export = Instant::now();
                        std::mem::replace(&mut t.sent, Counts::of(&flow))
                    }
                    None => {
                        // Beyond MAX_OPEN a flow gets its first record when it ends.
                        if !super::old_enough(&flow, self.active_age) || self.open.len() >= MAX_OPEN
                        {
                            return;
                        }
                        let t = Tracked {
                            sent: Counts::of(&flow),
                            last_export: Instant::now(),
                        };
                        self.open.insert(flow.key, t);
                        Counts::default()
                    }
                };
                self.record(&flow, before, EndReason::Active).await;
            }
        }
    }

    /// Encode one record of `flow` (counts since `before`) into the pending message.
    async fn record(&mut self, flow: &FlowRecord, before: Counts, reason: EndReason) {
        let pseudonym = self.pseudonym(flow.device_ip.ip());
        let e = &flow.enrichment;
        let protocol = match flow.proto {
            Proto::Tcp => 6,
            Proto::Udp => 17,
            Proto::Icmp if flow.remote_ip.is_ipv6() => 58,
            Proto::Icmp => 1,
            Proto::Other(n) => n,
        };
        let rec = Record {
            device: flow.device_ip.ip(),
            remote: flow.remote_ip,
            device_port: flow.local_port.unwrap_or(0),
            remote_port: flow.remote_port,
            protocol,
            start_ms: millis(flow.first_seen),
            end_ms: millis(flow.last_seen),
            octets_up: flow.bytes_up.saturating_sub(before.bytes_up),
            packets_up: flow.packets_up.saturating_sub(before.packets_up),
            octets_down: flow.bytes_down.saturating_sub(before.bytes_down),
            packets_down: flow.packets_down.saturating_sub(before.packets_down),
            asn: e.asn.unwrap_or(0),
            reason,
            dns_name: flow.domain.as_ref().map_or("", |d| d.as_str()),
            registrable_domain: e.registrable_domain.as_ref().map_or("", |d| d.as_str()),
            organization: e.org.as_deref().unwrap_or(""),
            category: e.category.map_or("", |c| c.as_str()),
            tracker: e.tracker,
            country: e.country.as_deref().unwrap_or(""),
            as_organization: e.as_org.as_deref().unwrap_or(""),
            pseudonym: pseudonym.as_deref().unwrap_or(""),
        };
        let set = match wire::template_of(&rec) {
            wire::TEMPLATE_V4 => &mut self.pending.v4,
            _ => &mut self.pending.v6,
        };
        wire::push_record(set, self.layout, &rec);
        self.pending.records += 1;
        if self.pending.v4.len() + self.pending.v6.len() >= MESSAGE_TARGET {
            self.flush().await;
        }
    }

    /// The device's pseudonym (none without a registry), from the cache when it has it.
    fn pseudonym(&mut self, ip: IpAddr) -> Option<Arc<str>> {
        let devices = self.devices.as_ref()?;
        if let Some(p) = self.pseudonyms.get(&ip) {
            return Some(Arc::clone(p));
        }
        if self.pseudonyms.len() >= MAX_PSEUDONYMS {
            self.pseudonyms.clear();
        }
        let p: Arc<str> = Arc::from(devices.describe(ip).pseudonym.to_string());
        self.pseudonyms.insert(ip, Arc::clone(&p));
        Some(p)
    }

    /// Send what the collectors hold in their UDP batches.
    fn send_batches(&mut self) {
        for c in &mut self.collectors {
            c.send_batch();
        }
    }

    /// Send the pending records to every collector, as one message each.
    async fn flush(&mut self) {
        if self.pending.records == 0 {
            return;
        }
        let pending = std::mem::take(&mut self.pending);
        for i in 0..self.collectors.len() {
            let c = &mut self.collectors[i];
            if !c.ensure().await {
                c.send(&[], pending.records, false).await;
                continue;
            }
            let with_templates = c.needs_templates();
            build(
                &mut self.message,
                (export_secs(), c.sequence, self.domain),
                with_templates.then_some(self.templates.as_slice()),
                &pending,
            );
            c.send(&self.message, pending.records, with_templates).await;
        }
        // Keep the buffers' capacity for the next message.
        let Pending { mut v4, mut v6, .. } = pending;
        v4.clear();
        v6.clear();
        self.pending = Pending { v4, v6, records: 0 };
    }

    /// Between records: connect collectors that are down, and send UDP templates that are
    /// due on their own so a collector learns them before the next record arrives.
    async fn keep_alive(&mut self) {
        for c in &mut self.collectors {
            if c.ensure().await && c.needs_templates() {
                build(
                    &mut self.message,
                    (export_secs(), c.sequence, self.domain),
                    Some(&self.templates),
                    &Pending::default(),
                );
                c.send(&self.message, 0, true).await;
            }
        }
    }
}

/// One message: header, templates if given, then a data set per template that has records.
fn build(
    msg: &mut Vec<u8>,
    (secs, sequence, domain): (u32, u32, u32),
    templates: Option<&[u8]>,
    pending: &Pending,
) {
    wire::start_message(msg, secs, sequence, domain);
    if let Some(t) = templates {
        msg.extend_from_slice(t);
    }
    for (id, records) in [
        (wire::TEMPLATE_V4, &pending.v4),
        (wire::TEMPLATE_V6, &pending.v6),
    ] {
        if !records.is_empty() {
            let at = wire::open_set(msg, id);
            msg.extend_from_slice(records);
            wire::close_set(msg, at);
        }
    }
    wire::finish_message(msg);
}

fn millis(t: chrono::DateTime<chrono::Utc>) -> u64 {
    u64::try_from(t.timestamp_millis()).unwrap_or(0)
}

fn export_secs() -> u32 {
    u32::try_from(chrono::Utc::now().timestamp()).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{DeviceId, Enrichment};

    /// An exporter with no collector: what it would send stays in `pending`.
    fn exporter(active_secs: u64) -> Exporter {
        Exporter::new(Parts {
            config: ExportConfig {
                active_timeout_secs: active_secs,
                ..ExportConfig::default()
            },
            collectors: Vec::new(),
            devices: None,
            status: Arc::new(Status::default()),
        })
    }

    fn flow(up: u64, down: u64, state: FlowState) -> Arc<FlowRecord> {
        let t = chrono::Utc::now();
        Arc::new(FlowRecord {
            id: "1-1".into(),
            key: FlowKey { id: 1, start_ns: 1 },
            device_ip: DeviceId("192.0.2.10".parse().unwrap()),
            remote_ip: "203.0.113.5".parse().unwrap(),
            remote_port: 443,
            local_port: Some(40000),
            proto: Proto::Tcp,
            domain: None,
            candidates: Vec::new(),
            bytes_up: up,
            bytes_down: down,
            packets_up: up / 100,
            packets_down: down / 100,
            first_seen: t,
            last_seen: t,
            state,
            enrichment: Enrichment::default(),
        })
    }

    /// `(octets up, octets down, end reason)` of each pending IPv4 record (no device address;
    /// every string empty, so each record is 70 bytes: see `wire`).
    fn pending(x: &Exporter) -> Vec<(u64, u64, u8)> {
        let u64_at = |b: &[u8], at: usize| u64::from_be_bytes(b[at..at + 8].try_into().unwrap());
        x.pending
            .v4
            .chunks(70)
            .map(|r| (u64_at(r, 25), u64_at(r, 41), r[61]))
            .collect()
    }

    #[tokio::test]
    async fn records_carry_deltas_periodically_and_at_the_end() {
        let mut x = exporter(3600);
        x.flow(flow(1_000, 5_000, FlowState::Open)).await;
        x.flow(flow(1_200, 6_000, FlowState::Open)).await;
        assert!(pending(&x).is_empty(), "not due yet: an open flow waits");
        assert!(
            x.open.is_empty(),
            "a flow younger than the timeout is not tracked"
        );
        x.active = Duration::ZERO;
        x.active_age = chrono::TimeDelta::zero();
        x.flow(flow(1_500, 9_000, FlowState::Open)).await;
        assert_eq!(pending(&x), [(1_500, 9_000, 2)]);
        x.flow(flow(1_600, 9_100, FlowState::Open)).await;
        assert_eq!(
            pending(&x)[1],
            (100, 100, 2),
            "the change since the last record"
        );
        x.flow(flow(1_700, 9_200, FlowState::Closed)).await;
        assert_eq!(pending(&x)[2], (100, 100, 3));
        assert!(x.open.is_empty());
        // A flow never seen open gets all of its counts when it ends.
        x.flow(flow(700, 800, FlowState::Closed)).await;
        assert_eq!(pending(&x)[3], (700, 800, 3));
    }
}
