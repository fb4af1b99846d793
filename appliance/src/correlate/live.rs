//! What the API reads: everything the correlator has built, behind one lock.

use std::time::Duration;

use serde::Serialize;

use crate::config::CorrelateConfig;
use crate::correlate::{DeviceTotals, DnsLog, FlowTable, PathTable};
use crate::model::DeviceId;

/// Most distinct paths (device × domain × organization × place) the session totals keep
/// (~250 bytes each); beyond that new paths fold into their device's "unknown" path.
const MAX_PATHS: usize = 20_000;

/// What the API reads: everything the correlator has built.
pub struct LiveState {
    /// Live and recently closed flows.
    pub flows: FlowTable,
    /// Recent answers per device.
    pub dns: DnsLog,
    /// Per-device totals.
    pub device_totals: DeviceTotals,
    /// The session's closed-flow totals per path (device → domain → org → place).
    pub paths: PathTable,
    /// Devices whose names the correlator's private memory must forget; it takes them at
    /// its next batch, under the same lock, before it handles anything else.
    pub(super) forget_pending: Vec<DeviceId>,
}

/// Devices forgotten in a row before the correlator catches up; more are not queued (their
/// names then fade from its memory by TTL and LRU instead).
const MAX_PENDING_FORGETS: usize = 1_024;

/// What [`LiveState::forget_device`] removed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct LiveForgotten {
    /// Flows, live and closed.
    pub flows: usize,
    /// DNS answers removed from the recent log.
    pub dns_answers: usize,
    /// Whether the device had totals.
    pub device: bool,
}

impl LiveState {
    /// Empty state with the configured bounds.
    pub fn new(cfg: &CorrelateConfig, max_flows: usize) -> Self {
        LiveState {
            flows: FlowTable::new(
                max_flows,
                cfg.max_closed_flows,
                Duration::from_secs(cfg.closed_retention_secs),
            ),
            dns: DnsLog::new(cfg.max_devices, cfg.max_answers_per_device),
            device_totals: DeviceTotals::new(cfg.max_devices),
            paths: PathTable::new(MAX_PATHS),
            forget_pending: Vec::new(),
        }
    }

    /// Forget a device ("forget my device"): its flows, answers, totals and paths go now,
    /// the names the correlator remembers for it at the correlator's next batch. Call it
    /// under the write lock, and queue the store's delete under the same lock
    /// ([`crate::store::StoreWriter::forget_device`]) so both see the same moment.
    pub fn forget_device(&mut self, device: DeviceId) -> LiveForgotten {
        let out = LiveForgotten {
            flows: self.flows.forget_device(device),
            dns_answers: self.dns.forget_device(device),
            device: self.device_totals.forget_device(device),
        };
        self.paths.forget_device(device);
        if !self.forget_pending.contains(&device) && self.forget_pending.len() < MAX_PENDING_FORGETS
        {
            self.forget_pending.push(device);
        }
        out
    }

    /// Start over for a new session: everything is replaced by `fresh` (an empty state with
    /// the configured bounds). Forgets the correlator has not taken yet are kept.
    pub fn start_over(&mut self, fresh: LiveState) {
        let pending = std::mem::take(&mut self.forget_pending);
        *self = fresh;
        self.forget_pending = pending;
    }

    /// The devices forgotten since the last call (for the correlator's name memory).
    pub(super) fn take_forgotten(&mut self) -> Vec<DeviceId> {
        std::mem::take(&mut self.forget_pending)
    }
}
