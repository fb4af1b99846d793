//! What the event stream pushes to the views.

use std::sync::Arc;

use serde::Serialize;

use crate::model::{Alert, DeviceId, DnsLogEntry, FlowRecord, Mark};

/// One change pushed to event-stream subscribers.
#[derive(Clone, Debug, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum LiveEvent {
    /// A flow appeared.
    FlowNew {
        /// The flow as it is now (shared with the live table, not copied).
        flow: Arc<FlowRecord>,
    },
    /// A flow's counters or name changed.
    FlowUpdate {
        /// The flow as it is now (shared with the live table, not copied).
        flow: Arc<FlowRecord>,
    },
    /// A flow ended.
    FlowClosed {
        /// The flow as it is now (shared with the live table, not copied).
        flow: Arc<FlowRecord>,
    },
    /// A device got a DNS answer.
    Dns {
        /// The answer as `/api/v1/dns` lists it.
        answer: std::sync::Arc<DnsLogEntry>,
    },
    /// A detector raised a new alert (`detect`).
    Alert {
        /// The alert as `/api/v1/alerts` lists it.
        alert: Arc<Alert>,
    },
    /// An alert grew: more findings folded into it (`count`, `last_seen`).
    AlertUpdate {
        /// The alert as `/api/v1/alerts` lists it, with its new count.
        alert: Arc<Alert>,
    },
    /// The teacher set a mark ("since the mark" views start from it).
    Mark {
        /// The mark as `/api/v1/marks` lists it.
        mark: Arc<Mark>,
    },
}

impl LiveEvent {
    /// The event's name on the stream (`flow_new`, `flow_update`, `flow_closed`, `dns`,
    /// `alert`, `alert_update`, `mark`).
    pub fn name(&self) -> &'static str {
        match self {
            LiveEvent::FlowNew { .. } => "flow_new",
            LiveEvent::FlowUpdate { .. } => "flow_update",
            LiveEvent::FlowClosed { .. } => "flow_closed",
            LiveEvent::Dns { .. } => "dns",
            LiveEvent::Alert { .. } => "alert",
            LiveEvent::AlertUpdate { .. } => "alert_update",
            LiveEvent::Mark { .. } => "mark",
        }
    }

    /// The device the event is about; `None` for an alert about no device (an outside host
    /// probing the appliance), which in privacy mode is nobody's own.
    pub fn device(&self) -> Option<DeviceId> {
        match self {
            LiveEvent::FlowNew { flow }
            | LiveEvent::FlowUpdate { flow }
            | LiveEvent::FlowClosed { flow } => Some(flow.device_ip),
            LiveEvent::Dns { answer } => Some(answer.device_ip),
            LiveEvent::Alert { alert } | LiveEvent::AlertUpdate { alert } => alert.device_ip,
            LiveEvent::Mark { .. } => None,
        }
    }
}
