//! The reader's live table: which flows exist, what key each was given, and the rules that
//! turn events and dumps into `Seen`/`Closed` exactly once per key. Pure: no sockets; the
//! caller passes the time and collects the [`ConntrackEvent`]s.
//!
//! # Identity
//! The kernel names a flow by `CTA_ID`. NEW/UPDATE events do not carry `CTA_TIMESTAMP`
//! (only dumps and DESTROY do), so the [`FlowKey`] is fixed when the reader first learns of
//! a flow and kept for its whole life: `start_ns` is `CTA_TIMESTAMP_START` when that first
//! message has it (dump, DESTROY), otherwise `CTA_TIMESTAMP_EVENT` of the NEW event (the
//! kernel stamps it within microseconds of the start), otherwise 0 (timestamps off).
//! Messages are matched to a known flow by id + ORIGINAL tuple (+ start time when both
//! sides know it); the same id with another tuple or start means the kernel reused the id,
//! so the old flow is over.
//!
//! # Closing
//! `Closed` comes from a DESTROY event, or from a complete dump that lacks the flow. The
//! rule for the latter, with dumps numbered 1, 2, ... as they start: when dump D completes
//! — and after the event socket has been drained, so every DESTROY the kernel sent before
//! the end of the dump has been applied — a held flow is closed if it was not in dump D
//! AND no event about it was read after dump D started. A flow confirmed before the dump
//! started and still alive is always in the dump (ctnetlink may repeat an entry after a
//! concurrent delete, it does not skip live ones), so its absence means it ended and its
//! DESTROY was lost (overflow) or never sent (events off). A flow created during the dump
//! may be missing from it; its NEW event was read after the dump started, so it is kept
//! and judged by the next dump.
//!
//! Closed flows leave a tombstone (id, tuple, start) for two more dumps: a dump started
//! before the DESTROY may still deliver the flow afterwards, and an UPDATE generated on
//! another CPU may trail the DESTROY; both are stale and dropped instead of reviving the
//! flow (which would close it twice). A NEW event always means a new flow.
//!
//! Expired entries not yet reaped by the kernel are skipped by dumps: such a flow is
//! closed by the dump with its last dumped counters, and the DESTROY that follows is
//! dropped as stale (expiry needs the flow idle for its timeout, ≥ 10 s by default, so the
//! last dump already had the final counters when `dump_interval` is shorter than that).

use std::collections::HashMap;

use chrono::{DateTime, Utc};

use super::wire::{FlowChange, WireFlow};
use crate::conntrack::flow::{ConntrackEvent, Counters, FlowSnapshot, FlowTuple};
use crate::model::FlowKey;

/// Result of feeding one message to the table, for the reader's counters.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Applied {
    /// Used (events may or may not have been emitted).
    Ok,
    /// A new flow arrived while `max_flows` flows were held: not tracked.
    Refused,
    /// A message about a flow already closed: dropped.
    Stale,
}

#[derive(Clone, Debug)]
struct Entry {
    key: FlowKey,
    tuple: FlowTuple,
    /// `CTA_TIMESTAMP_START` once any message told us.
    kernel_start: Option<u64>,
    started: DateTime<Utc>,
    /// Latest counters any message carried.
    counters: Option<Counters>,
    /// Counters of the last `Seen` that carried counters.
    emitted: Option<Counters>,
    /// Number of the last dump this flow was in (0: none).
    last_dump: u64,
    /// `dumps_started` when the last event about this flow was read.
    event_epoch: u64,
}

#[derive(Clone, Debug)]
struct Tomb {
    tuple: FlowTuple,
    kernel_start: Option<u64>,
    /// `dumps_started` when the flow was closed.
    epoch: u64,
}

fn same_flow(t1: &FlowTuple, s1: Option<u64>, t2: &FlowTuple, s2: Option<u64>) -> bool {
    t1 == t2 && (s1.is_none() || s2.is_none() || s1 == s2)
}

/// The live table.
#[derive(Debug)]
pub struct Table {
    max_flows: usize,
    live: HashMap<u32, Entry>,
    tombs: HashMap<u32, Tomb>,
    dumps_started: u64,
    dump: Option<u64>,
}

impl Table {
    /// An empty table holding at most `max_flows` flows.
    pub fn new(max_flows: usize) -> Self {
        Table {
            max_flows: max_flows.max(1),
            live: HashMap::new(),
            tombs: HashMap::new(),
            dumps_started: 0,
            dump: None,
        }
    }

    /// Flows held.
    pub fn len(&self) -> usize {
        self.live.len()
    }

    /// Tombstones held (closed flows remembered to drop stale messages).
    pub fn tombstones(&self) -> usize {
        self.tombs.len()
    }

    /// A dump request is about to be sent: returns its number. Any dump in progress is
    /// abandoned (not reconciled).
    pub fn begin_dump(&mut self) -> u64 {
        self.dumps_started += 1;
        self.dump = Some(self.dumps_started);
        self.dumps_started
    }

    /// The dump in progress was cut short (error, interrupted): nothing is concluded from it.
    pub fn abort_dump(&mut self) {
        self.dump = None;
    }

    /// Apply one event (from the event socket).
    pub fn apply_event(
        &mut self,
        change: FlowChange,
        flow: &WireFlow,
        now: DateTime<Utc>,
        out: &mut Vec<ConntrackEvent>,
    ) -> Applied {
        self.apply(Source::Event(change), flow, now, out)
    }

    /// Apply one entry of the dump in progress. Entries arriving with no dump in progress
    /// (a late reply of an abandoned dump) update flows but mark nothing as dumped.
    pub fn apply_dump_entry(
        &mut self,
        flow: &WireFlow,
        now: DateTime<Utc>,
        out: &mut Vec<ConntrackEvent>,
    ) -> Applied {
        self.apply(Source::Dump, flow, now, out)
    }

    /// The dump in progress completed and the event socket has been drained since: close
    /// the flows it proved gone (see the module docs) and forget old tombstones.
    /// Returns how many flows it closed.
    pub fn finish_dump(&mut self, out: &mut Vec<ConntrackEvent>) -> usize {
        let Some(d) = self.dump.take() else {
            return 0;
        };
        let gone: Vec<u32> = self
            .live
            .iter()
            .filter(|(_, e)| e.last_dump != d && e.event_epoch < d)
            .map(|(id, _)| *id)
            .collect();
        let closed = gone.len();
        for id in gone {
            if let Some(e) = self.live.remove(&id) {
                let snap = snapshot(&e, e.counters);
                self.bury(id, &e);
                out.push(ConntrackEvent::Closed(snap));
            }
        }
        // A tombstone made while dump k was the latest started is no longer needed once a
        // dump started after it (k+1) has completed; keep one more for margin.
        self.tombs.retain(|_, t| t.epoch + 2 > d);
        closed
    }

    fn bury(&mut self, id: u32, e: &Entry) {
        let cap = self.max_flows.saturating_mul(4).max(4096);
        if self.tombs.len() >= cap {
            // Dumps are not completing (or closes are extraordinarily fast): drop the oldest.
            if let Some(oldest) = self.tombs.values().map(|t| t.epoch).min() {
                self.tombs.retain(|_, t| t.epoch > oldest);
            }
        }
        self.tombs.insert(
            id,
            Tomb {
                tuple: e.tuple,
                kernel_start: e.kernel_start,
                epoch: self.dumps_started,
            },
        );
    }

    fn apply(
        &mut self,
        source: Source,
        flow: &WireFlow,
        now: DateTime<Utc>,
        out: &mut Vec<ConntrackEvent>,
    ) -> Applied {
        let id = flow.id;
        // A held flow under this id that is not this one: the id was reused, the old flow ended.
        let reused = self
            .live
            .get(&id)
            .is_some_and(|e| !same_flow(&e.tuple, e.kernel_start, &flow.tuple, flow.start_ns));
        if reused {
            if let Some(e) = self.live.remove(&id) {
                tracing::debug!(
                    "conntrack: id {id} now names {:?} (start {:?}), not {:?} (start {:?}): \
                     the old flow is over",
                    flow.tuple,
                    flow.start_ns,
                    e.tuple,
                    e.kernel_start
                );
                out.push(ConntrackEvent::Closed(snapshot(&e, e.counters)));
                self.bury(id, &e);
            }
        }
        if let Some(e) = self.live.get_mut(&id) {
            if flow.start_ns.is_some() {
                e.kernel_start = flow.start_ns;
            }
            if flow.counters.is_some() {
                e.counters = flow.counters;
            }
            match source {
                Source::Event(FlowChange::Destroyed) => {
                    if let Some(e) = self.live.remove(&id) {
                        let snap = snapshot(&e, flow.counters.or(e.counters));
                        self.bury(id, &e);
                        out.push(ConntrackEvent::Closed(snap));
                    }
                }
                Source::Event(_) => {
                    e.event_epoch = self.dumps_started;
                    out.push(ConntrackEvent::Seen(snapshot(e, flow.counters)));
                }
                Source::Dump => {
                    if let Some(d) = self.dump {
                        e.last_dump = d;
                    }
                    // Only news: a dump repeats every idle flow every interval.
                    if flow.counters.is_some() && flow.counters != e.emitted {
                        e.emitted = flow.counters;
                        out.push(ConntrackEvent::Seen(snapshot(e, flow.counters)));
                    }
                }
            }
            return Applied::Ok;
        }
        // Not held. A message about a flow we already closed is stale — except a NEW event,
        // which the kernel sends only for a freshly confirmed flow.
        if let Some(t) = self.tombs.get(&id) {
            if source == Source::Event(FlowChange::Created) {
                self.tombs.remove(&id);
            } else if same_flow(&t.tuple, t.kernel_start, &flow.tuple, flow.start_ns) {
                return Applied::Stale;
            }
        }
        let start_ns = flow.start_ns.or(flow.event_ns).unwrap_or(0);
        let started = if start_ns != 0 {
            DateTime::from_timestamp_nanos(start_ns as i64)
        } else {
            now
        };
        let mut e = Entry {
            key: FlowKey { id, start_ns },
            tuple: flow.tuple,
            kernel_start: flow.start_ns,
            started,
            counters: flow.counters,
            emitted: flow.counters,
            last_dump: 0,
            event_epoch: 0,
        };
        if source == Source::Event(FlowChange::Destroyed) {
            // Born and gone while we were not looking (before start, or in an overflow).
            let snap = snapshot(&e, flow.counters);
            out.push(ConntrackEvent::Seen(snap.clone()));
            out.push(ConntrackEvent::Closed(snap));
            self.bury(id, &e);
            return Applied::Ok;
        }
        if self.live.len() >= self.max_flows {
            return Applied::Refused;
        }
        match source {
            Source::Dump => e.last_dump = self.dump.unwrap_or(0),
            Source::Event(_) => e.event_epoch = self.dumps_started,
        }
        out.push(ConntrackEvent::Seen(snapshot(&e, flow.counters)));
        self.live.insert(id, e);
        Applied::Ok
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Source {
    Event(FlowChange),
    Dump,
}

fn snapshot(e: &Entry, counters: Option<Counters>) -> FlowSnapshot {
    FlowSnapshot {
        key: e.key,
        tuple: e.tuple,
        counters,
        started: e.started,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Proto;
    use std::net::{IpAddr, Ipv4Addr};

    fn t(port: u16) -> FlowTuple {
        FlowTuple {
            proto: Proto::Udp,
            src: IpAddr::V4(Ipv4Addr::new(10, 0, 0, 2)),
            dst: IpAddr::V4(Ipv4Addr::new(192, 0, 2, 1)),
            src_port: 40000,
            dst_port: port,
        }
    }

    fn c(bytes: u64) -> Option<Counters> {
        Some(Counters {
            packets_orig: 1,
            bytes_orig: bytes,
            packets_reply: 0,
            bytes_reply: 0,
        })
    }

    /// A NEW event: no start, an event timestamp, no counters.
    fn ev(id: u32, port: u16) -> WireFlow {
        WireFlow {
            id,
            tuple: t(port),
            start_ns: None,
            event_ns: Some(1_000 + u64::from(id)),
            counters: None,
        }
    }

    /// A dump entry or DESTROY: start and counters.
    fn full(id: u32, port: u16, bytes: u64) -> WireFlow {
        WireFlow {
            id,
            tuple: t(port),
            start_ns: Some(999 + u64::from(id)),
            event_ns: None,
            counters: c(bytes),
        }
    }

    fn now() -> DateTime<Utc> {
        DateTime::from_timestamp(1_700_000_000, 0).unwrap()
    }

    fn kinds(out: &[ConntrackEvent]) -> Vec<(char, u32)> {
        out.iter()
            .map(|e| match e {
                ConntrackEvent::Seen(s) => ('S', s.key.id),
                ConntrackEvent::Closed(s) => ('C', s.key.id),
            })
            .collect()
    }

    #[test]
    fn event_lifecycle_keeps_one_key_and_final_counters() {
        let mut tb = Table::new(10);
        let mut out = Vec::new();
        tb.apply_event(FlowChange::Created, &ev(1, 53), now(), &mut out);
        tb.apply_event(FlowChange::Updated, &ev(1, 53), now(), &mut out);
        tb.begin_dump();
        tb.apply_dump_entry(&full(1, 53, 100), now(), &mut out);
        tb.finish_dump(&mut out);
        tb.apply_event(FlowChange::Destroyed, &full(1, 53, 150), now(), &mut out);
        assert_eq!(kinds(&out), [('S', 1), ('S', 1), ('S', 1), ('C', 1)]);
        let keys: Vec<FlowKey> = out
            .iter()
            .map(|e| match e {
                ConntrackEvent::Seen(s) | ConntrackEvent::Closed(s) => s.key,
            })
            .collect();
        assert!(keys.iter().all(|k| *k == keys[0]), "{keys:?}");
        assert_eq!(
            keys[0].start_ns, 1_001,
            "key from the NEW event's timestamp"
        );
        let ConntrackEvent::Closed(last) = &out[3] else {
            unreachable!()
        };
        assert_eq!(last.counters, c(150));
        // The started time comes from the event timestamp (ns since the epoch).
        assert_eq!(last.started.timestamp_nanos_opt(), Some(1_001));
    }

    #[test]
    fn dump_first_flow_keyed_by_kernel_start() {
        let mut tb = Table::new(10);
        let mut out = Vec::new();
        tb.begin_dump();
        tb.apply_dump_entry(&full(7, 80, 10), now(), &mut out);
        tb.finish_dump(&mut out);
        let ConntrackEvent::Seen(s) = &out[0] else {
            panic!()
        };
        assert_eq!(
            s.key,
            FlowKey {
                id: 7,
                start_ns: 1_006
            }
        );
        assert_eq!(s.counters, c(10));
    }

    #[test]
    fn unchanged_counters_in_dumps_are_not_repeated() {
        let mut tb = Table::new(10);
        let mut out = Vec::new();
        for bytes in [10, 10, 20] {
            tb.begin_dump();
            tb.apply_dump_entry(&full(7, 80, bytes), now(), &mut out);
            tb.finish_dump(&mut out);
        }
        assert_eq!(kinds(&out), [('S', 7), ('S', 7)]);
    }

    #[test]
    fn absent_from_complete_dump_closes_once() {
        let mut tb = Table::new(10);
        let mut out = Vec::new();
        tb.apply_event(FlowChange::Created, &ev(1, 53), now(), &mut out);
        tb.apply_event(FlowChange::Created, &ev(2, 54), now(), &mut out);
        tb.begin_dump();
        tb.apply_dump_entry(&full(2, 54, 5), now(), &mut out);
        tb.finish_dump(&mut out);
        assert_eq!(kinds(&out), [('S', 1), ('S', 2), ('S', 2), ('C', 1)]);
        // A late DESTROY of the flow the dump closed is stale, and so is a stale dump entry.
        out.clear();
        let a = tb.apply_event(FlowChange::Destroyed, &full(1, 53, 9), now(), &mut out);
        assert_eq!(a, Applied::Stale);
        tb.begin_dump();
        tb.apply_dump_entry(&full(2, 54, 5), now(), &mut out);
        tb.finish_dump(&mut out);
        assert!(out.is_empty(), "{out:?}");
    }

    #[test]
    fn flow_created_during_dump_is_not_closed_by_it() {
        let mut tb = Table::new(10);
        let mut out = Vec::new();
        tb.begin_dump();
        tb.apply_event(FlowChange::Created, &ev(3, 53), now(), &mut out);
        tb.finish_dump(&mut out);
        assert_eq!(kinds(&out), [('S', 3)]);
        // ... but a later complete dump without it does close it.
        tb.begin_dump();
        tb.finish_dump(&mut out);
        assert_eq!(kinds(&out), [('S', 3), ('C', 3)]);
    }

    #[test]
    fn aborted_dump_closes_nothing() {
        let mut tb = Table::new(10);
        let mut out = Vec::new();
        tb.apply_event(FlowChange::Created, &ev(1, 53), now(), &mut out);
        tb.begin_dump();
        tb.abort_dump();
        tb.finish_dump(&mut out);
        assert_eq!(kinds(&out), [('S', 1)]);
        assert_eq!(tb.len(), 1);
    }

    #[test]
    fn destroyed_then_dumped_is_stale() {
        // The dump read the flow before the kernel deleted it, but we read the DESTROY first.
        let mut tb = Table::new(10);
        let mut out = Vec::new();
        tb.apply_event(FlowChange::Created, &ev(1, 53), now(), &mut out);
        tb.begin_dump();
        tb.apply_event(FlowChange::Destroyed, &full(1, 53, 7), now(), &mut out);
        let a = tb.apply_dump_entry(&full(1, 53, 7), now(), &mut out);
        assert_eq!(a, Applied::Stale);
        // A trailing UPDATE (generated on another CPU before the delete) is stale too.
        let a = tb.apply_event(FlowChange::Updated, &ev(1, 53), now(), &mut out);
        assert_eq!(a, Applied::Stale);
        tb.finish_dump(&mut out);
        tb.begin_dump();
        tb.finish_dump(&mut out);
        assert_eq!(kinds(&out), [('S', 1), ('C', 1)]);
        assert_eq!(tb.len(), 0);
    }

    #[test]
    fn tombstones_expire_after_two_dumps() {
        let mut tb = Table::new(10);
        let mut out = Vec::new();
        tb.apply_event(FlowChange::Destroyed, &full(1, 53, 7), now(), &mut out);
        assert_eq!(tb.tombstones(), 1);
        tb.begin_dump();
        tb.finish_dump(&mut out);
        assert_eq!(tb.tombstones(), 1);
        tb.begin_dump();
        tb.finish_dump(&mut out);
        assert_eq!(tb.tombstones(), 0);
    }

    #[test]
    fn new_event_after_destroy_is_a_new_flow() {
        let mut tb = Table::new(10);
        let mut out = Vec::new();
        tb.apply_event(FlowChange::Created, &ev(1, 53), now(), &mut out);
        tb.apply_event(FlowChange::Destroyed, &full(1, 53, 7), now(), &mut out);
        let mut again = ev(1, 53);
        again.event_ns = Some(5_000);
        tb.apply_event(FlowChange::Created, &again, now(), &mut out);
        assert_eq!(kinds(&out), [('S', 1), ('C', 1), ('S', 1)]);
        let ConntrackEvent::Seen(s) = &out[2] else {
            panic!()
        };
        assert_eq!(s.key.start_ns, 5_000, "a new key for the new flow");
    }

    #[test]
    fn reused_id_with_other_tuple_closes_the_old_flow() {
        let mut tb = Table::new(10);
        let mut out = Vec::new();
        tb.begin_dump();
        tb.apply_dump_entry(&full(1, 53, 7), now(), &mut out);
        tb.finish_dump(&mut out);
        tb.begin_dump();
        tb.apply_dump_entry(&full(1, 99, 3), now(), &mut out);
        tb.finish_dump(&mut out);
        assert_eq!(kinds(&out), [('S', 1), ('C', 1), ('S', 1)]);
        assert_eq!(tb.len(), 1);
    }

    #[test]
    fn unknown_destroy_is_seen_then_closed() {
        let mut tb = Table::new(10);
        let mut out = Vec::new();
        tb.apply_event(FlowChange::Destroyed, &full(4, 53, 7), now(), &mut out);
        assert_eq!(kinds(&out), [('S', 4), ('C', 4)]);
    }

    #[test]
    fn max_flows_refuses_new_flows() {
        let mut tb = Table::new(2);
        let mut out = Vec::new();
        for id in 1..=3 {
            let a = tb.apply_event(
                FlowChange::Created,
                &ev(id, 50 + id as u16),
                now(),
                &mut out,
            );
            assert_eq!(a == Applied::Refused, id == 3);
        }
        assert_eq!(tb.len(), 2);
        assert_eq!(kinds(&out), [('S', 1), ('S', 2)]);
    }

    #[test]
    fn timestamps_off_key_has_zero_start_and_first_seen_time() {
        let mut tb = Table::new(2);
        let mut out = Vec::new();
        let mut f = ev(1, 53);
        f.event_ns = None;
        tb.apply_event(FlowChange::Created, &f, now(), &mut out);
        let ConntrackEvent::Seen(s) = &out[0] else {
            panic!()
        };
        assert_eq!(s.key.start_ns, 0);
        assert_eq!(s.started, now());
    }

    /// Parse + table cost per message, on captured NEW and DESTROY events with distinct ids.
    /// `cargo test --release -p whereflow --lib measure_parse_and_apply -- --ignored --nocapture`
    #[test]
    #[ignore]
    fn measure_parse_and_apply_rate() {
        use super::super::wire::{parse_datagram, Message};
        const NEW: &[u8] = include_bytes!("testdata/new_tcp4.bin");
        const DESTROY: &[u8] = include_bytes!("testdata/destroy_tcp4.bin");
        const ID_AT: usize = 128; // value of CTA_ID in both captures
        const N: u32 = 200_000;
        let mut msgs = Vec::with_capacity(2 * N as usize);
        for i in 0..N {
            for base in [NEW, DESTROY] {
                let mut m = base.to_vec();
                m[ID_AT..ID_AT + 4].copy_from_slice(&i.to_be_bytes());
                msgs.push(m);
            }
        }
        let mut tb = Table::new(1 << 20);
        let mut out = Vec::new();
        let t = std::time::Instant::now();
        let mut n = 0u64;
        for m in &msgs {
            for env in parse_datagram(m) {
                if let Message::Flow { change, flow } = env.message {
                    tb.apply_event(change, &flow, now(), &mut out);
                    n += 1;
                }
            }
            out.clear();
        }
        let took = t.elapsed();
        assert_eq!(n, 2 * u64::from(N));
        eprintln!(
            "{n} messages parsed and applied in {took:?}: {:.0} messages/s",
            n as f64 / took.as_secs_f64()
        );
    }
}
