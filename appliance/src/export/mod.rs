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
}

impl ExportSink {
    /// Pass on a flow change from the event stream (other events are not exported; a new
    /// flow has carried nothing worth a record yet).
    pub fn live(&self, event: &LiveEvent) {
        let flow = match event {
            LiveEvent::FlowUpdate { flow } | LiveEvent::FlowClosed { flow } => flow,
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
        sink: ExportSink { tx, status },
        task,
    })
}
