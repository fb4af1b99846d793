//! What the conntrack reader tells the rest of the daemon.

use std::net::IpAddr;

use chrono::{DateTime, Utc};

use crate::model::{FlowKey, Proto};

/// The ORIGINAL-direction tuple: who opened the flow, to where.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct FlowTuple {
    /// Transport protocol.
    pub proto: Proto,
    /// The side that opened the flow (a device, for outgoing flows).
    pub src: IpAddr,
    /// The side it connected to.
    pub dst: IpAddr,
    /// Source port (0 for ICMP).
    pub src_port: u16,
    /// Destination port (for ICMP: type << 8 | code of the request; 0 if unknown).
    pub dst_port: u16,
}

/// Layer-3 counters as conntrack reports them (`nf_conntrack_acct`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counters {
    /// Packets in the original direction (from the side that opened the flow).
    pub packets_orig: u64,
    /// Bytes in the original direction.
    pub bytes_orig: u64,
    /// Packets in the reply direction.
    pub packets_reply: u64,
    /// Bytes in the reply direction.
    pub bytes_reply: u64,
}

/// Everything known about a flow at one moment.
#[derive(Clone, Debug, PartialEq)]
pub struct FlowSnapshot {
    /// Identity.
    pub key: FlowKey,
    /// Original-direction tuple.
    pub tuple: FlowTuple,
    /// Counters, when this message carried them (dumps and DESTROY do, NEW/UPDATE do not).
    pub counters: Option<Counters>,
    /// When the flow started: conntrack's timestamp, or when we first saw it.
    pub started: DateTime<Utc>,
}

/// A change in the table, in the order the reader learned it.
#[derive(Clone, Debug, PartialEq)]
pub enum ConntrackEvent {
    /// A flow exists (new, updated, or seen in a dump). May repeat for the same key.
    Seen(FlowSnapshot),
    /// A flow ended (DESTROY, or missing from a dump after an overflow). Final for that key.
    Closed(FlowSnapshot),
}
