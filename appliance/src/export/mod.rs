//! Flow export: the correlator's finished and long-lived flows, with the names and owners
//! whereflow knows, as IPFIX records (RFC 7011) to collectors such as pmacct's `nfacctd`.
//!
//! - `ipfix::wire`: messages, templates and records as bytes (pure).
//! - `exporter`: the task: open flows' last exported counters, periodic records, batching
//!   into messages, fed by [`ExportSink`].
//! - `collector`: one collector's socket: UDP datagrams, or a TCP connection with
//!   reconnection and backoff; templates on schedule (UDP) or per connection (TCP).
//!
//! The correlator only hands over the `Arc` it built for the event stream, with `try_send`
//! into a bounded queue: a slow or absent collector costs dropped records (counted in
//! `export_dropped`), never a stalled pipeline. Encoding happens in the exporter's task.

mod collector;
mod exporter;
pub(crate) mod ipfix;

use std::sync::Arc;

use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;

use crate::config::ExportConfig;
use crate::devices::DeviceRegistry;
use crate::model::{FlowRecord, LiveEvent};
use crate::status::{bump, Status};

/// Flow changes waiting for the exporter; beyond this they are dropped and counted.
const QUEUE: usize = 16_384;

/// The correlator's handle: hands flow changes to the exporter without waiting.
#[derive(Clone)]
pub struct ExportSink {
    tx: mpsc::Sender<Arc<FlowRecord>>,
    status: Arc<Status>,
    /// `export.active_timeout_secs`: an open flow younger than this needs no record yet.
    active: chrono::TimeDelta,
}

impl ExportSink {
    /// Pass on a flow change from the event stream: every closed flow, and changes of open
    /// flows old enough for a periodic record. Most flows end before the active timeout, so
    /// they cost the correlator one `try_send` (and the exporter one record), not one per
    /// counter change; the exporter decides when a long-lived flow's record is due. Other
    /// events are not exported (a new flow has carried nothing worth a record yet).
    pub fn live(&self, event: &LiveEvent) {
        let flow = match event {
            LiveEvent::FlowClosed { flow } => flow,
            LiveEvent::FlowUpdate { flow } if old_enough(flow, self.active) => flow,
            _ => return,
        };
        if self.tx.try_send(Arc::clone(flow)).is_err() {
            bump(&self.status.export_dropped);
        }
    }
}

impl ExportSink {
    /// Flow changes waiting in the queue now (for the benchmark's pacing).
    pub fn queued(&self) -> usize {
        self.tx.max_capacity() - self.tx.capacity()
    }
}

/// [`start`] with a device registry of its own, for the export benchmark: each record then
/// takes its device's pseudonym from a registry as on the appliance (no device is bound to
/// a MAC there, so each address has its own pseudonym).
#[doc(hidden)]
pub fn start_with_own_registry(
    config: &ExportConfig,
    status: Arc<Status>,
    shutdown: CancellationToken,
) -> Option<Started> {
    start(
        config,
        Some(Arc::new(DeviceRegistry::new(1_024))),
        status,
        shutdown,
    )
}

/// Whether an open flow has lived `active` or longer (its first periodic record may be due).
fn old_enough(flow: &FlowRecord, active: chrono::TimeDelta) -> bool {
    flow.last_seen.signed_duration_since(flow.first_seen) >= active
}

/// A running exporter.
pub struct Started {
    /// What the correlator feeds.
    pub sink: ExportSink,
    /// The task; it sends what it holds when `shutdown` fires.
    pub task: tokio::task::JoinHandle<()>,
}

/// Start the exporter when `export.ipfix` names collectors; `None` when export is off.
pub fn start(
    config: &ExportConfig,
    devices: Option<Arc<DeviceRegistry>>,
    status: Arc<Status>,
    shutdown: CancellationToken,
) -> Option<Started> {
    let collectors = config.collectors();
    if collectors.is_empty() {
        return None;
    }
    let (tx, rx) = mpsc::channel(QUEUE);
    let active = active_age(config);
    let task = tokio::spawn(exporter::run(
        exporter::Parts {
            config: config.clone(),
            collectors,
            devices,
            status: status.clone(),
        },
        rx,
        shutdown,
    ));
    Some(Started {
        sink: ExportSink { tx, status, active },
        task,
    })
}

/// `export.active_timeout_secs` as a flow's age.
fn active_age(config: &ExportConfig) -> chrono::TimeDelta {
    // Validated to 1–3600 s, so it always fits.
    chrono::TimeDelta::try_seconds(i64::try_from(config.active_timeout_secs).unwrap_or(3600))
        .unwrap_or(chrono::TimeDelta::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{DeviceId, Enrichment, FlowKey, FlowState, Proto};

    fn flow(age_secs: i64, state: FlowState) -> Arc<FlowRecord> {
        let t = chrono::Utc::now();
        Arc::new(FlowRecord {
            id: "1-1".into(),
            key: FlowKey { id: 1, start_ns: 1 },
            device_ip: DeviceId("192.0.2.10".parse().unwrap()),
            remote_ip: "203.0.113.5".parse().unwrap(),
            remote_port: 443,
            local_port: Some(40_000),
            proto: Proto::Tcp,
            domain: None,
            candidates: Vec::new(),
            bytes_up: 1,
            bytes_down: 1,
            packets_up: 1,
            packets_down: 1,
            first_seen: t - chrono::TimeDelta::seconds(age_secs),
            last_seen: t,
            state,
            enrichment: Enrichment::default(),
        })
    }

    #[test]
    fn the_sink_passes_closed_flows_and_open_ones_old_enough_for_a_record() {
        let (tx, mut rx) = mpsc::channel(8);
        let sink = ExportSink {
            tx,
            status: Arc::new(Status::default()),
            active: active_age(&ExportConfig::default()),
        };
        let young = flow(59, FlowState::Open);
        let old = flow(60, FlowState::Open);
        let ended = flow(1, FlowState::Closed);
        sink.live(&LiveEvent::FlowNew { flow: old.clone() });
        sink.live(&LiveEvent::FlowUpdate { flow: young });
        assert!(
            rx.try_recv().is_err(),
            "new flows and young open ones stay out"
        );
        sink.live(&LiveEvent::FlowUpdate { flow: old.clone() });
        sink.live(&LiveEvent::FlowClosed {
            flow: ended.clone(),
        });
        assert!(Arc::ptr_eq(&rx.try_recv().unwrap(), &old));
        assert!(Arc::ptr_eq(&rx.try_recv().unwrap(), &ended));
    }
}
