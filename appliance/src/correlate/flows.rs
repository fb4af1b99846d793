//! The flows people see: live ones and those closed recently, with the name each was for.

use std::collections::{HashMap, VecDeque};
use std::net::IpAddr;
use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};
use ipnet::IpNet;

use crate::conntrack::{Counters, FlowSnapshot};
use crate::correlate::Attribution;
use crate::enrich::Enricher;
use crate::model::{DeviceId, FlowKey, FlowRecord, FlowState};

/// Decides which conntrack flows are a device's traffic out to the world.
#[derive(Clone, Debug)]
pub struct LanFilter {
    lan: Vec<IpNet>,
}

impl LanFilter {
    /// Devices are the hosts in these ranges.
    pub fn new(lan: Vec<IpNet>) -> Self {
        LanFilter { lan }
    }

    /// Is this address a device?
    pub fn is_device(&self, ip: IpAddr) -> bool {
        self.lan.iter().any(|n| n.contains(&ip))
    }

    /// A flow opened by a device towards somewhere outside the LAN. Traffic to the appliance
    /// itself or between devices, and multicast/broadcast, is not "where data flows".
    pub fn is_outgoing(&self, src: IpAddr, dst: IpAddr) -> bool {
        self.is_device(src) && !self.is_device(dst) && !is_local_only(dst)
    }
}

fn is_local_only(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            v4.is_multicast() || v4.is_broadcast() || v4.is_link_local() || v4.is_loopback()
        }
        IpAddr::V6(v6) => {
            v6.is_multicast() || v6.is_loopback() || (v6.segments()[0] & 0xffc0) == 0xfe80
        }
    }
}

impl FlowRecord {
    fn new(
        snap: &FlowSnapshot,
        attribution: Attribution,
        now: DateTime<Utc>,
        enricher: &Enricher,
    ) -> Self {
        let enrichment = enricher.flow(attribution.domain.as_ref(), snap.tuple.dst);
        let mut rec = FlowRecord {
            id: format!("{}-{}", snap.key.id, snap.key.start_ns),
            key: snap.key,
            device_ip: DeviceId(snap.tuple.src),
            remote_ip: snap.tuple.dst,
            remote_port: snap.tuple.dst_port,
            local_port: Some(snap.tuple.src_port),
            proto: snap.tuple.proto,
            domain: attribution.domain,
            candidates: attribution.candidates,
            bytes_up: 0,
            bytes_down: 0,
            packets_up: 0,
            packets_down: 0,
            first_seen: snap.started.min(now),
            last_seen: now,
            state: FlowState::Open,
            enrichment,
        };
        if let Some(c) = snap.counters {
            rec.set_counters(c);
        }
        rec
    }

    /// Would applying `c` change anything? (Counters never go backwards.)
    fn counters_would_change(&self, c: &Counters) -> bool {
        c.bytes_orig > self.bytes_up
            || c.bytes_reply > self.bytes_down
            || c.packets_orig > self.packets_up
            || c.packets_reply > self.packets_down
    }

    /// Apply counters; returns whether anything changed. Counters never go backwards.
    fn set_counters(&mut self, c: Counters) -> bool {
        let new = (
            self.bytes_up.max(c.bytes_orig),
            self.bytes_down.max(c.bytes_reply),
            self.packets_up.max(c.packets_orig),
            self.packets_down.max(c.packets_reply),
        );
        let old = (
            self.bytes_up,
            self.bytes_down,
            self.packets_up,
            self.packets_down,
        );
        (
            self.bytes_up,
            self.bytes_down,
            self.packets_up,
            self.packets_down,
        ) = new;
        new != old
    }
}

/// What applying a conntrack event did to the table.
#[derive(Clone, Debug, PartialEq)]
pub enum FlowChange {
    /// A flow appeared.
    New(Arc<FlowRecord>),
    /// Counters or attribution changed.
    Updated(Arc<FlowRecord>),
    /// A flow ended.
    Closed(Arc<FlowRecord>),
}

/// Live flows plus a bounded, time-limited tail of closed ones.
pub struct FlowTable {
    // Shared, copy-on-write: the event stream, the store queue and API listings hold the same
    // record instead of copies; a change copies only a record someone still holds.
    live: HashMap<FlowKey, Arc<FlowRecord>>,
    /// Flows restored as open from the store after a restart, not yet confirmed by conntrack.
    /// Keyed by conntrack id: after a restart the reader may key the same flow with a slightly
    /// different start time (a dump's start stamp instead of the NEW event's), so restored flows
    /// are matched by id and tuple, see [`FlowTable::adopt_restored`].
    unconfirmed: HashMap<u32, FlowKey>,
    closed: VecDeque<Arc<FlowRecord>>,
    max_live: usize,
    max_closed: usize,
    retention: Duration,
}

impl FlowTable {
    /// At most `max_live` open flows; closed flows kept for `retention`, at most `max_closed`.
    pub fn new(max_live: usize, max_closed: usize, retention: std::time::Duration) -> Self {
        FlowTable {
            live: HashMap::new(),
            unconfirmed: HashMap::new(),
            closed: VecDeque::new(),
            max_live,
            max_closed,
            retention: Duration::from_std(retention).unwrap_or(Duration::zero()),
        }
    }

    /// Put back what the store remembered of this session (newest first, as the store returns
    /// it). Closed flows rejoin the closed list; open ones rejoin the live table with their names,
    /// to be confirmed by conntrack's next dump or closed by [`FlowTable::close_unconfirmed`].
    pub fn restore(&mut self, mut records: Vec<FlowRecord>) {
        records.reverse();
        for rec in records {
            match rec.state {
                FlowState::Open if self.live.len() < self.max_live => {
                    self.unconfirmed.insert(rec.key.id, rec.key);
                    self.live.insert(rec.key, Arc::new(rec));
                }
                FlowState::Open => {}
                FlowState::Closed => {
                    self.closed.push_back(Arc::new(rec));
                    if self.closed.len() > self.max_closed {
                        self.closed.pop_front();
                    }
                }
            }
        }
    }

    /// If `snap` is a restored, not yet confirmed flow under another start stamp (same conntrack
    /// id, same tuple, start within a second), file the record under `snap`'s key. The record
    /// keeps its `id`, so the store goes on updating the same row.
    fn adopt_restored(&mut self, snap: &FlowSnapshot) {
        let Some(&old) = self.unconfirmed.get(&snap.key.id) else {
            return;
        };
        if old == snap.key {
            return;
        }
        let same = self.live.get(&old).is_some_and(|r| {
            r.device_ip == DeviceId(snap.tuple.src)
                && r.remote_ip == snap.tuple.dst
                && r.remote_port == snap.tuple.dst_port
                && r.proto == snap.tuple.proto
                && old.start_ns.abs_diff(snap.key.start_ns) < 1_000_000_000
        });
        if !same {
            return;
        }
        if let Some(mut shared) = self.live.remove(&old) {
            let rec = Arc::make_mut(&mut shared);
            rec.key = snap.key;
            // The store does not keep the device's port; conntrack has it.
            rec.local_port = Some(snap.tuple.src_port);
            self.live.insert(snap.key, shared);
            self.unconfirmed.insert(snap.key.id, snap.key);
        }
    }

    /// Close restored flows conntrack did not confirm (they ended while the daemon was down).
    pub fn close_unconfirmed(&mut self, now: DateTime<Utc>) -> Vec<Arc<FlowRecord>> {
        let mut out = Vec::new();
        for key in std::mem::take(&mut self.unconfirmed).into_values() {
            if let Some(mut shared) = self.live.remove(&key) {
                let rec = Arc::make_mut(&mut shared);
                rec.state = FlowState::Closed;
                rec.last_seen = now;
                self.closed.push_back(Arc::clone(&shared));
                out.push(shared);
            }
        }
        while self.closed.len() > self.max_closed {
            self.closed.pop_front();
        }
        out
    }

    /// Is this flow live and still without a name?
    pub fn needs_name(&self, key: &FlowKey) -> bool {
        self.live.get(key).is_some_and(|r| r.domain.is_none())
    }

    /// Is this flow already known as live?
    pub fn is_live(&self, key: &FlowKey) -> bool {
        self.live.contains_key(key)
    }

    /// A flow was seen (new, update, or dump). `attribution` is used when the flow is new,
    /// or when it had no name yet and now has one (the answer was queued behind the flow).
    pub fn seen(
        &mut self,
        snap: &FlowSnapshot,
        attribution: Option<Attribution>,
        now: DateTime<Utc>,
        enricher: &Enricher,
    ) -> Option<FlowChange> {
        self.adopt_restored(snap);
        if let Some(slot) = self.live.get_mut(&snap.key) {
            self.unconfirmed.remove(&snap.key.id);
            let counters = snap.counters.filter(|c| slot.counters_would_change(c));
            let name = attribution.filter(|a| a.domain.is_some() && slot.domain.is_none());
            if counters.is_none() && name.is_none() {
                return None;
            }
            let rec = Arc::make_mut(slot);
            if let Some(c) = counters {
                rec.set_counters(c);
            }
            if let Some(a) = name {
                rec.domain = a.domain;
                rec.candidates = a.candidates;
                rec.enrichment = enricher.flow(rec.domain.as_ref(), rec.remote_ip);
            }
            rec.last_seen = now;
            return Some(FlowChange::Updated(Arc::clone(slot)));
        }
        if self.live.len() >= self.max_live {
            return None;
        }
        let rec = Arc::new(FlowRecord::new(
            snap,
            attribution.unwrap_or_default(),
            now,
            enricher,
        ));
        self.live.insert(snap.key, Arc::clone(&rec));
        Some(FlowChange::New(rec))
    }

    /// A flow ended. A flow we never saw open is recorded too (it may have lived entirely
    /// between two reads), with the name it would have had.
    pub fn closed(
        &mut self,
        snap: &FlowSnapshot,
        attribution: Attribution,
        now: DateTime<Utc>,
        enricher: &Enricher,
    ) -> FlowChange {
        self.adopt_restored(snap);
        self.unconfirmed.remove(&snap.key.id);
        let mut shared = match self.live.remove(&snap.key) {
            Some(rec) => rec,
            None => Arc::new(FlowRecord::new(snap, attribution, now, enricher)),
        };
        let rec = Arc::make_mut(&mut shared);
        if let Some(c) = snap.counters {
            rec.set_counters(c);
        }
        rec.state = FlowState::Closed;
        rec.last_seen = now;
        self.closed.push_back(Arc::clone(&shared));
        let rec = shared;
        while self.closed.len() > self.max_closed {
            self.closed.pop_front();
        }
        FlowChange::Closed(rec)
    }

    /// Forget a device's flows, live and closed ("forget my device"); returns how many.
    /// Its connections still open in the kernel come back at the next conntrack dump, as
    /// new flows.
    pub fn forget_device(&mut self, device: DeviceId) -> usize {
        let before = self.live.len() + self.closed.len();
        self.live.retain(|_, r| r.device_ip != device);
        let live = &self.live;
        self.unconfirmed.retain(|_, k| live.contains_key(k));
        self.closed.retain(|r| r.device_ip != device);
        before - (self.live.len() + self.closed.len())
    }

    /// Drop closed flows older than the retention window.
    pub fn prune(&mut self, now: DateTime<Utc>) {
        while self
            .closed
            .front()
            .is_some_and(|r| r.last_seen + self.retention < now)
        {
            self.closed.pop_front();
        }
    }

    /// Live flows then closed ones (newest closed last).
    pub fn iter(&self) -> impl Iterator<Item = &FlowRecord> {
        self.shared().map(|r| r.as_ref())
    }

    /// The same records as shared handles (cheap to clone out from under a lock).
    pub fn shared(&self) -> impl Iterator<Item = &Arc<FlowRecord>> {
        self.live.values().chain(self.closed.iter())
    }

    /// Number of live flows.
    pub fn live_count(&self) -> usize {
        self.live.len()
    }

    /// Number of closed flows kept.
    pub fn closed_count(&self) -> usize {
        self.closed.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::conntrack::FlowTuple;
    use crate::model::{Domain, Proto};

    fn snap(id: u32, counters: Option<Counters>) -> FlowSnapshot {
        FlowSnapshot {
            key: FlowKey { id, start_ns: 7 },
            tuple: FlowTuple {
                proto: Proto::Tcp,
                src: "192.0.2.10".parse().unwrap(),
                dst: "203.0.113.5".parse().unwrap(),
                src_port: 40000,
                dst_port: 443,
            },
            counters,
            started: DateTime::from_timestamp(1_800_000_000, 0).unwrap(),
        }
    }
    fn now(s: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_800_000_000 + s, 0).unwrap()
    }
    fn c(b_up: u64, b_down: u64) -> Counters {
        Counters {
            packets_orig: 1,
            bytes_orig: b_up,
            packets_reply: 1,
            bytes_reply: b_down,
        }
    }
    fn en() -> Enricher {
        Enricher::without_data()
    }
    fn named(n: &str) -> Attribution {
        Attribution {
            domain: Some(Domain::new(n).unwrap()),
            candidates: vec![],
        }
    }

    #[test]
    fn lan_filter() {
        let f = LanFilter::new(vec!["192.0.2.0/24".parse().unwrap()]);
        let ip = |s: &str| s.parse::<IpAddr>().unwrap();
        assert!(f.is_outgoing(ip("192.0.2.10"), ip("203.0.113.5")));
        assert!(
            !f.is_outgoing(ip("192.0.2.10"), ip("192.0.2.1")),
            "to the appliance"
        );
        assert!(
            !f.is_outgoing(ip("198.51.100.1"), ip("203.0.113.5")),
            "not a device"
        );
        assert!(
            !f.is_outgoing(ip("192.0.2.10"), ip("224.0.0.251")),
            "multicast"
        );
        assert!(!f.is_outgoing(ip("192.0.2.10"), ip("255.255.255.255")));
    }

    #[test]
    fn new_update_close_lifecycle() {
        let mut t = FlowTable::new(10, 10, std::time::Duration::from_secs(60));
        let ch = t.seen(&snap(1, None), Some(named("a.example")), now(1), &en());
        assert!(matches!(ch, Some(FlowChange::New(ref r)) if r.domain.is_some()));
        assert_eq!(
            t.seen(&snap(1, None), None, now(2), &en()),
            None,
            "nothing changed"
        );
        let ch = t.seen(&snap(1, Some(c(100, 2000))), None, now(3), &en());
        assert!(matches!(ch, Some(FlowChange::Updated(ref r)) if r.bytes_up == 100));
        // A later dump with lower counters (never happens in the kernel) does not go back.
        assert_eq!(t.seen(&snap(1, Some(c(50, 10))), None, now(4), &en()), None);
        let FlowChange::Closed(r) =
            t.closed(&snap(1, Some(c(150, 2500))), named("x"), now(5), &en())
        else {
            panic!("not closed")
        };
        assert_eq!(
            (r.bytes_up, r.bytes_down, r.state),
            (150, 2500, FlowState::Closed)
        );
        assert_eq!(
            r.domain.as_ref().unwrap().as_str(),
            "a.example",
            "the name it had stays"
        );
        assert_eq!((t.live_count(), t.closed_count()), (0, 1));
    }

    #[test]
    fn late_answer_names_a_flow_once() {
        let mut t = FlowTable::new(10, 10, std::time::Duration::from_secs(60));
        t.seen(&snap(1, None), Some(Attribution::default()), now(1), &en());
        assert!(t.needs_name(&snap(1, None).key));
        let ch = t.seen(&snap(1, None), Some(named("a.example")), now(2), &en());
        assert!(matches!(ch, Some(FlowChange::Updated(_))));
        assert!(!t.needs_name(&snap(1, None).key));
        assert_eq!(
            t.seen(&snap(1, None), Some(named("b.example")), now(3), &en()),
            None
        );
    }

    #[test]
    fn close_of_unknown_flow_is_recorded() {
        let mut t = FlowTable::new(10, 10, std::time::Duration::from_secs(60));
        let FlowChange::Closed(r) =
            t.closed(&snap(9, Some(c(1, 2))), named("z.example"), now(1), &en())
        else {
            panic!()
        };
        assert_eq!(r.domain.as_ref().unwrap().as_str(), "z.example");
    }

    #[test]
    fn bounded_and_pruned() {
        let mut t = FlowTable::new(3, 2, std::time::Duration::from_secs(60));
        for i in 0..5 {
            t.seen(&snap(i, None), None, now(0), &en());
        }
        assert_eq!(t.live_count(), 3);
        for i in 0..3 {
            t.closed(
                &snap(i, None),
                Attribution::default(),
                now(i64::from(i)),
                &en(),
            );
        }
        assert_eq!(t.closed_count(), 2);
        t.prune(now(63));
        assert_eq!(t.closed_count(), 0);
    }

    #[test]
    fn forget_device_drops_its_live_closed_and_restored_flows_only() {
        let mut t = FlowTable::new(10, 10, std::time::Duration::from_secs(60));
        let mut other = snap(3, None);
        other.tuple.src = "192.0.2.11".parse().unwrap();
        t.seen(&snap(1, None), None, now(1), &en());
        t.seen(&other, None, now(1), &en());
        t.closed(&snap(2, None), Attribution::default(), now(2), &en());
        let restored = FlowRecord::new(&snap(4, None), named("r.example"), now(0), &en());
        t.restore(vec![restored]);
        assert_eq!((t.live_count(), t.closed_count()), (3, 1));
        let dev = DeviceId("192.0.2.10".parse().unwrap());
        assert_eq!(t.forget_device(dev), 3);
        assert_eq!((t.live_count(), t.closed_count()), (1, 0));
        assert!(t.iter().all(|f| f.device_ip != dev));
        assert!(
            t.close_unconfirmed(now(3)).is_empty(),
            "restored one gone too"
        );
        assert_eq!(t.forget_device(dev), 0);
    }

    #[test]
    fn restored_flows_are_confirmed_by_conntrack_or_closed() {
        let mut t = FlowTable::new(10, 10, std::time::Duration::from_secs(60));
        let mut a = FlowRecord::new(&snap(1, None), named("a.example"), now(0), &en());
        let b = FlowRecord::new(&snap(2, None), named("b.example"), now(0), &en());
        a.bytes_up = 10;
        let mut old = FlowRecord::new(&snap(3, None), named("c.example"), now(0), &en());
        old.state = FlowState::Closed;
        t.restore(vec![a, b, old]);
        assert_eq!((t.live_count(), t.closed_count()), (2, 1));
        // Conntrack still has flow 1: it is the same flow, named as before, counters go on.
        let ch = t.seen(&snap(1, Some(c(50, 60))), None, now(1), &en());
        let Some(FlowChange::Updated(r)) = ch else {
            panic!("{ch:?}")
        };
        assert_eq!(
            (r.domain.as_ref().unwrap().as_str(), r.bytes_up),
            ("a.example", 50)
        );
        // Flow 2 ended while the daemon was down.
        let closed = t.close_unconfirmed(now(10));
        assert_eq!(closed.len(), 1);
        assert_eq!(closed[0].key.id, 2);
        assert_eq!((t.live_count(), t.closed_count()), (1, 2));
        assert!(t.close_unconfirmed(now(11)).is_empty());

        // After a restart the reader may stamp the same flow (same id and tuple) a little
        // differently: it is still the restored flow, not a new unnamed one.
        let mut t = FlowTable::new(10, 10, std::time::Duration::from_secs(60));
        t.restore(vec![FlowRecord::new(
            &snap(5, None),
            named("e.example"),
            now(0),
            &en(),
        )]);
        let mut again = snap(5, Some(c(9, 9)));
        again.key.start_ns += 1_500;
        let ch = t.seen(&again, Some(Attribution::default()), now(1), &en());
        let Some(FlowChange::Updated(r)) = ch else {
            panic!("{ch:?}")
        };
        assert_eq!(r.domain.as_ref().map(|d| d.as_str()), Some("e.example"));
        assert_eq!(t.live_count(), 1);
        assert!(t.close_unconfirmed(now(10)).is_empty(), "confirmed");
    }
}
