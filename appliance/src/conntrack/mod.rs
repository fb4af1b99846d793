//! Stage 1b — the kernel's connection tracking table, read over netlink.
//!
//! One dump at start, then NEW/UPDATE/DESTROY events, plus a periodic dump for live byte
//! counters (only dumps and DESTROY carry them). When the event socket overflows (ENOBUFS)
//! the table is dumped again and reconciled with what we knew, so no flow is lost or
//! counted twice. A flow is keyed by its conntrack id and start time ([`FlowKey`]) and
//! labelled with its ORIGINAL tuple (NAT rewrites the reply direction).
//!
//! Modules: `flow` (the types other stages see).

pub mod flow;

pub use flow::{ConntrackEvent, Counters, FlowKey, FlowSnapshot, FlowTuple};
