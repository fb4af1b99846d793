//! Flows: a device's connection to somewhere, as conntrack identifies it and as people see it.

use std::net::IpAddr;

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::model::{DeviceId, Domain, Enrichment, Proto};

/// A flow's identity: conntrack's id plus its start time (ids are reused after a flow ends).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FlowKey {
    /// `CTA_ID`.
    pub id: u32,
    /// When the flow started, in nanoseconds since the epoch, fixed when the reader first
    /// learns of the flow: `CTA_TIMESTAMP_START` if that message carried it (dump, DESTROY),
    /// else the NEW event's `CTA_TIMESTAMP_EVENT` (NEW events carry no `CTA_TIMESTAMP`; the
    /// event stamp is within microseconds of the start). 0 when timestamps are off.
    pub start_ns: u64,
}

/// Whether a flow is still live.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FlowState {
    /// In the kernel's table.
    Open,
    /// Ended (DESTROY seen, or gone from the table).
    Closed,
}

/// One flow as the API shows it. Up = from the device.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct FlowRecord {
    /// Stable identifier for matching updates on the event stream (`<ct id>-<start ns>`).
    pub id: String,
    #[serde(skip)]
    /// Conntrack identity.
    pub key: FlowKey,
    /// The device that opened the flow.
    pub device_ip: DeviceId,
    /// Where it goes.
    pub remote_ip: IpAddr,
    /// Destination port (0 for ICMP).
    pub remote_port: u16,
    /// The device's own (source) port, as conntrack's original tuple has it (0 for ICMP).
    /// `None` when not known: a flow read back from the history store, which does not keep
    /// it (the API then leaves the key out).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub local_port: Option<u16>,
    /// Transport protocol.
    pub proto: Proto,
    /// The name the device asked for, or `None` when no answer explains this flow.
    pub domain: Option<Domain>,
    /// Other names this device was given for the remote address.
    pub candidates: Vec<Domain>,
    /// Layer-3 bytes from the device, as conntrack counts them.
    pub bytes_up: u64,
    /// Layer-3 bytes to the device.
    pub bytes_down: u64,
    /// Packets from the device.
    pub packets_up: u64,
    /// Packets to the device.
    pub packets_down: u64,
    /// When the flow began.
    pub first_seen: DateTime<Utc>,
    /// When it last changed (counters, state).
    pub last_seen: DateTime<Utc>,
    /// Open or closed.
    pub state: FlowState,
    /// Organization, category, tracker flag, network and place of the destination.
    #[serde(flatten)]
    pub enrichment: Enrichment,
}

impl FlowRecord {
    /// Total bytes both ways.
    pub fn bytes_total(&self) -> u64 {
        self.bytes_up + self.bytes_down
    }
}
