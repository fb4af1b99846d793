//! The correlator loop: DNS answers and conntrack events in, named flows and live events out.

use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;
use parking_lot::RwLock;
use tokio::sync::{broadcast, mpsc};
use tokio_util::sync::CancellationToken;

use crate::config::CorrelateConfig;
use crate::conntrack::ConntrackEvent;
use crate::correlate::flows::FlowChange;
use crate::correlate::{DnsMemory, LanFilter, LiveState};
use crate::detect::DetectSink;
use crate::devices::DeviceRegistry;
use crate::dns::DnsAnswer;
use crate::enrich::Enricher;
use crate::export::ExportSink;
use crate::model::{DeviceIdentity, DnsLogEntry, LiveEvent};
use crate::store::{StoreOp, StoreWriter};

/// Events handled under one lock; keeps API readers from waiting long behind a burst.
const BATCH: usize = 256;

/// Where the correlator's results go.
pub struct Outputs {
    /// The live view the API reads.
    pub state: Arc<RwLock<LiveState>>,
    /// Live events for event-stream subscribers.
    pub events: broadcast::Sender<Arc<LiveEvent>>,
    /// Lists and databases every flow is enriched from.
    pub enricher: Arc<Enricher>,
    /// The store's writer, when history is saved.
    pub store: Option<StoreWriter>,
    /// Who is behind an address: the DNS memory is kept per device identity (MAC), so a
    /// name asked from one of a device's addresses names its flows from any other. `None`:
    /// every address is its own device.
    pub devices: Option<Arc<DeviceRegistry>>,
}

/// The correlator's private working set.
struct Correlator {
    memory: DnsMemory,
    lan: LanFilter,
    state: Arc<RwLock<LiveState>>,
    events: broadcast::Sender<Arc<LiveEvent>>,
    enricher: Arc<Enricher>,
    store: Option<StoreWriter>,
    detect: Option<DetectSink>,
    /// The IPFIX exporter (`[export]`), handed finished and changed flows; never waited for.
    export: Option<ExportSink>,
    devices: Option<Arc<DeviceRegistry>>,
    /// The registry's binding generation when the bare addresses were last re-checked.
    bindings_seen: u64,
}

impl Correlator {
    /// Send an event to the stream's subscribers and hand the same `Arc` to the detectors
    /// if it is a flow change (neither waits; answers reach the detectors in `dns`).
    fn publish(&self, event: LiveEvent) {
        let event = Arc::new(event);
        if let Some(d) = &self.detect {
            d.live(&event);
        }
        if let Some(x) = &self.export {
            x.live(&event);
        }
        // No subscribers is normal; the error only says so.
        let _ = self.events.send(event);
    }

    /// Drop the names of devices forgotten since the last batch (see
    /// [`LiveState::forget_device`]).
    fn apply_forgets(&mut self, state: &mut LiveState) {
        for d in state.take_forgotten() {
            // Both the device's memory and anything still kept for the bare address.
            self.memory.forget_device(DeviceIdentity::Address(d.ip()));
            let id = self.identity_now(d.ip());
            self.memory.forget_device(id);
        }
    }

    /// Queue a change for the store (never blocks; the store counts what it drops).
    fn persist(&self, op: impl FnOnce() -> StoreOp) {
        if let Some(w) = &self.store {
            w.try_send(op());
        }
    }

    /// The identity behind `ip` now; what was remembered for the bare address before its
    /// device was known moves to the device (late binding).
    fn identity(&mut self, ip: std::net::IpAddr) -> DeviceIdentity {
        let id = self.identity_now(ip);
        self.memory.bind(ip, id);
        id
    }

    /// If any address changed identity since the last look, move what was remembered for
    /// bare addresses now known to belong to a device into the device's memory: an answer
    /// asked over IPv6 before its MAC was known names the device's later IPv4 flow.
    fn rebind(&mut self) {
        let Some(devices) = &self.devices else {
            return;
        };
        let generation = devices.binding_generation();
        if generation == self.bindings_seen {
            return;
        }
        self.bindings_seen = generation;
        let bare = self.memory.bare_addresses();
        let ids = devices.identities(bare.iter().copied());
        for (ip, id) in bare.into_iter().zip(ids) {
            self.memory.bind(ip, id);
        }
    }

    fn identity_now(&self, ip: std::net::IpAddr) -> DeviceIdentity {
        match &self.devices {
            Some(d) => d.identity(ip),
            None => DeviceIdentity::Address(ip),
        }
    }

    fn dns(&mut self, state: &mut LiveState, answer: DnsAnswer) {
        let id = self.identity(answer.device.ip());
        self.memory.record(id, &answer);
        // One copy, shared by the live log, the store's queue and the live event.
        let entry = Arc::new(DnsLogEntry::from(&answer));
        state
            .device_totals
            .dns_answer(answer.device, answer.at, answer.repeats);
        state.dns.push(entry.clone());
        self.persist(|| StoreOp::Dns(entry.clone()));
        if let Some(d) = &self.detect {
            d.dns(&answer);
        }
        self.publish(LiveEvent::Dns { answer: entry });
    }

    fn conntrack(&mut self, state: &mut LiveState, event: ConntrackEvent) {
        let now = Utc::now();
        let change = match event {
            ConntrackEvent::Seen(snap) => {
                if !self.lan.is_outgoing(snap.tuple.src, snap.tuple.dst) {
                    // Not listed, but a scan of the appliance (or from outside) shows here.
                    if let Some(d) = &self.detect {
                        d.conn(snap.tuple, now);
                    }
                    return;
                }
                let needs = !state.flows.is_live(&snap.key) || state.flows.needs_name(&snap.key);
                let attribution = needs.then(|| {
                    let id = self.identity(snap.tuple.src);
                    self.memory.attribute(id, snap.tuple.dst, snap.started)
                });
                match state.flows.seen(&snap, attribution, now, &self.enricher) {
                    Some(c) => c,
                    None => return,
                }
            }
            ConntrackEvent::Closed(snap) => {
                if !self.lan.is_outgoing(snap.tuple.src, snap.tuple.dst) {
                    return;
                }
                let was_open = state.flows.is_live(&snap.key);
                let id = self.identity(snap.tuple.src);
                let attribution = self.memory.attribute(id, snap.tuple.dst, snap.started);
                let change = state.flows.closed(&snap, attribution, now, &self.enricher);
                if let FlowChange::Closed(rec) = &change {
                    state.device_totals.flow_closed(rec, was_open);
                    state.paths.flow_closed(rec);
                }
                change
            }
        };
        self.persist(|| match &change {
            FlowChange::New(f) | FlowChange::Updated(f) | FlowChange::Closed(f) => {
                StoreOp::Flow(Arc::clone(f))
            }
        });
        let event = match change {
            FlowChange::New(flow) => {
                state.device_totals.flow_opened(&flow);
                LiveEvent::FlowNew { flow }
            }
            FlowChange::Updated(flow) => LiveEvent::FlowUpdate { flow },
            FlowChange::Closed(flow) => LiveEvent::FlowClosed { flow },
        };
        self.publish(event);
    }
}

/// Run the correlator until `shutdown` or until both inputs close.
///
/// Ordering matters: the forwarder queues an answer before the device receives it, so any
/// answer that could name a flow is already queued when that flow's conntrack event is
/// read. Pending answers are therefore always applied before the next conntrack event.
pub async fn run(
    cfg: CorrelateConfig,
    dns_rx: mpsc::Receiver<DnsAnswer>,
    ct_rx: mpsc::Receiver<ConntrackEvent>,
    out: Outputs,
    shutdown: CancellationToken,
) {
    run_with_detectors(cfg, dns_rx, ct_rx, out, None, shutdown).await
}

/// [`run`], also handing every answer, flow change and unlisted conntrack flow to the
/// detectors (`detect`; never waiting for them).
pub async fn run_with_detectors(
    cfg: CorrelateConfig,
    dns_rx: mpsc::Receiver<DnsAnswer>,
    ct_rx: mpsc::Receiver<ConntrackEvent>,
    out: Outputs,
    detect: Option<DetectSink>,
    shutdown: CancellationToken,
) {
    run_with_sinks(cfg, (dns_rx, ct_rx), out, (detect, None), shutdown).await
}

/// [`run_with_detectors`], also handing flow changes to the IPFIX exporter (`export`).
pub async fn run_with_sinks(
    cfg: CorrelateConfig,
    (mut dns_rx, mut ct_rx): (mpsc::Receiver<DnsAnswer>, mpsc::Receiver<ConntrackEvent>),
    out: Outputs,
    (detect, export): (Option<DetectSink>, Option<ExportSink>),
    shutdown: CancellationToken,
) {
    let mut c = Correlator::new(&cfg, out, detect);
    c.export = export;
    // Flows restored as open from the store are closed if the first conntrack dumps (every
    // `dump_interval`, 2 s by default) have not confirmed them by then.
    let confirm = tokio::time::sleep(Duration::from_secs(10));
    tokio::pin!(confirm);
    let mut confirmed = false;
    let mut prune = tokio::time::interval(Duration::from_secs(5));
    let (mut dns_open, mut ct_open) = (true, true);
    while dns_open || ct_open {
        tokio::select! {
            biased;
            _ = shutdown.cancelled() => break,
            a = dns_rx.recv(), if dns_open => match a {
                Some(a) => c.dns_batch(a, &mut dns_rx),
                None => dns_open = false,
            },
            e = ct_rx.recv(), if ct_open => match e {
                Some(e) => c.conntrack_batch(e, &mut ct_rx, &mut dns_rx),
                None => ct_open = false,
            },
            _ = prune.tick() => c.prune(),
            _ = &mut confirm, if !confirmed => {
                confirmed = true;
                c.close_unconfirmed();
            }
        }
    }
}

impl Correlator {
    fn new(cfg: &CorrelateConfig, out: Outputs, detect: Option<DetectSink>) -> Correlator {
        let Outputs {
            state,
            events,
            enricher,
            store,
            devices,
        } = out;
        Correlator {
            memory: DnsMemory::new(
                cfg.max_devices,
                cfg.max_addresses_per_device,
                Duration::from_secs(cfg.grace_secs),
            ),
            lan: LanFilter::new(cfg.lan.clone()),
            state,
            events,
            enricher,
            store,
            detect,
            export: None,
            devices,
            bindings_seen: 0,
        }
    }

    /// `first` and up to [`BATCH`] more answers already queued, under one lock.
    fn dns_batch(&mut self, first: DnsAnswer, dns_rx: &mut mpsc::Receiver<DnsAnswer>) {
        let state = self.state.clone();
        let mut st = state.write();
        self.apply_forgets(&mut st);
        self.rebind();
        self.dns(&mut st, first);
        for _ in 1..BATCH {
            match dns_rx.try_recv() {
                Ok(a) => self.dns(&mut st, a),
                Err(_) => break,
            }
        }
    }

    /// `first` and up to [`BATCH`] more conntrack events already queued, under one lock;
    /// before each, the answers queued so far (they may name it).
    fn conntrack_batch(
        &mut self,
        first: ConntrackEvent,
        ct_rx: &mut mpsc::Receiver<ConntrackEvent>,
        dns_rx: &mut mpsc::Receiver<DnsAnswer>,
    ) {
        let state = self.state.clone();
        let mut st = state.write();
        self.apply_forgets(&mut st);
        self.rebind();
        let mut next = Some(first);
        let mut n = 0;
        while let Some(e) = next.take() {
            while let Ok(a) = dns_rx.try_recv() {
                self.dns(&mut st, a);
            }
            self.conntrack(&mut st, e);
            n += 1;
            if n < BATCH {
                next = ct_rx.try_recv().ok();
            }
        }
    }

    /// Let closed flows past their retention go.
    fn prune(&mut self) {
        let state = self.state.clone();
        let mut st = state.write();
        self.apply_forgets(&mut st);
        self.rebind();
        st.flows.prune(Utc::now());
    }

    /// Close the flows restored as open that conntrack has not confirmed.
    fn close_unconfirmed(&mut self) {
        let closed = {
            let mut st = self.state.write();
            let closed = st.flows.close_unconfirmed(Utc::now());
            for flow in &closed {
                // Restored as open: counted as opened then, their bytes only now.
                st.device_totals.flow_closed(flow, true);
                st.paths.flow_closed(flow);
            }
            closed
        };
        for flow in closed {
            self.persist(|| StoreOp::Flow(Arc::clone(&flow)));
            self.publish(LiveEvent::FlowClosed { flow });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::conntrack::{Counters, FlowSnapshot, FlowTuple};
    use crate::correlate::LiveForgotten;
    use crate::enrich::Enricher;
    use crate::model::{DeviceId, Domain, FlowKey, Proto};
    use hickory_proto::op::ResponseCode;
    use hickory_proto::rr::RecordType;

    fn answer(dev: &str, name: &str, ip: &str) -> DnsAnswer {
        DnsAnswer {
            device: DeviceId(dev.parse().unwrap()),
            qname: Domain::new(name).unwrap(),
            qtype: RecordType::A,
            rcode: ResponseCode::NoError,
            chain: vec![],
            addrs: vec![ip.parse().unwrap()],
            ttl: 60,
            at: Utc::now(),
            blocked: false,
            repeats: 1,
        }
    }
    fn flow(id: u32, dev: &str, ip: &str) -> FlowSnapshot {
        FlowSnapshot {
            key: FlowKey { id, start_ns: 1 },
            tuple: FlowTuple {
                proto: Proto::Tcp,
                src: dev.parse().unwrap(),
                dst: ip.parse().unwrap(),
                src_port: 1234,
                dst_port: 443,
            },
            counters: Some(Counters {
                packets_orig: 1,
                bytes_orig: 60,
                packets_reply: 1,
                bytes_reply: 60,
            }),
            started: Utc::now() + chrono::Duration::milliseconds(5),
        }
    }

    /// Forgetting a device clears it from the live view at once and from the correlator's
    /// name memory before its next event: a flow after the forget has no name, while other
    /// devices keep theirs. Starting over keeps a forget the correlator has not taken yet.
    #[tokio::test]
    async fn forgotten_device_loses_its_names_and_live_data() {
        let cfg = CorrelateConfig {
            lan: vec!["192.0.2.0/24".parse().unwrap()],
            ..Default::default()
        };
        let state = Arc::new(RwLock::new(LiveState::new(&cfg, 100)));
        let (dns_tx, dns_rx) = mpsc::channel(10);
        let (ct_tx, ct_rx) = mpsc::channel(10);
        let out = Outputs {
            state: state.clone(),
            events: broadcast::channel(100).0,
            enricher: Arc::new(Enricher::without_data()),
            store: None,
            devices: Some(Arc::new(DeviceRegistry::new(10))),
        };
        let task = tokio::spawn(run(
            cfg.clone(),
            dns_rx,
            ct_rx,
            out,
            CancellationToken::new(),
        ));
        let wait = |n: usize| {
            let state = state.clone();
            async move {
                for _ in 0..500 {
                    let seen = {
                        let st = state.read();
                        st.dns.entries(None).len() + st.flows.iter().count()
                    };
                    if seen >= n {
                        return;
                    }
                    tokio::time::sleep(std::time::Duration::from_millis(5)).await;
                }
                panic!("correlator did not catch up");
            }
        };
        for (dev, name) in [("192.0.2.10", "a.example"), ("192.0.2.11", "b.example")] {
            dns_tx.send(answer(dev, name, "203.0.113.5")).await.unwrap();
        }
        ct_tx
            .send(ConntrackEvent::Seen(flow(1, "192.0.2.10", "203.0.113.5")))
            .await
            .unwrap();
        wait(3).await;
        let gone = DeviceId("192.0.2.10".parse().unwrap());
        let forgot = state.write().forget_device(gone);
        assert_eq!(
            forgot,
            LiveForgotten {
                flows: 1,
                dns_answers: 1,
                device: true
            }
        );
        // A forget the correlator has not taken yet survives starting over.
        {
            let mut st = state.write();
            st.forget_device(gone);
            st.start_over(LiveState::new(&cfg, 100));
            assert_eq!(st.forget_pending, vec![gone]);
            assert_eq!(st.flows.iter().count(), 0);
        }
        ct_tx
            .send(ConntrackEvent::Seen(flow(2, "192.0.2.10", "203.0.113.5")))
            .await
            .unwrap();
        ct_tx
            .send(ConntrackEvent::Seen(flow(3, "192.0.2.11", "203.0.113.5")))
            .await
            .unwrap();
        wait(2).await;
        {
            let st = state.read();
            let name = |id: u32| {
                st.flows
                    .iter()
                    .find(|f| f.key.id == id)
                    .map(|f| f.domain.as_ref().map(|d| d.to_string()))
            };
            assert_eq!(name(2), Some(None), "forgotten: no name any more");
            assert_eq!(name(3), Some(Some("b.example".into())));
            assert!(st.forget_pending.is_empty(), "taken by the correlator");
        }
        drop((dns_tx, ct_tx));
        task.await.unwrap();
    }

    /// An answer asked from an address no MAC was known for yet names the device's later
    /// flow from its other address once both are known to be one device (late binding),
    /// and never another device's flow.
    #[tokio::test]
    async fn answers_follow_the_device_across_its_addresses() {
        use crate::devices::registry::Sighting;
        let cfg = CorrelateConfig {
            lan: vec![
                "192.0.2.0/24".parse().unwrap(),
                "2001:db8:1::/64".parse().unwrap(),
            ],
            ..Default::default()
        };
        let registry = Arc::new(DeviceRegistry::new(10));
        let state = Arc::new(RwLock::new(LiveState::new(&cfg, 100)));
        let (dns_tx, dns_rx) = mpsc::channel(10);
        let (ct_tx, ct_rx) = mpsc::channel(10);
        let out = Outputs {
            state: state.clone(),
            events: broadcast::channel(100).0,
            enricher: Arc::new(Enricher::without_data()),
            store: None,
            devices: Some(registry.clone()),
        };
        let task = tokio::spawn(run(cfg, dns_rx, ct_rx, out, CancellationToken::new()));
        let wait = |n: usize| {
            let state = state.clone();
            async move {
                for _ in 0..500 {
                    let seen = {
                        let st = state.read();
                        st.dns.entries(None).len() + st.flows.iter().count()
                    };
                    if seen >= n {
                        return;
                    }
                    tokio::time::sleep(std::time::Duration::from_millis(5)).await;
                }
                panic!("correlator did not catch up");
            }
        };
        dns_tx
            .send(answer("2001:db8:1::a", "late.example", "203.0.113.5"))
            .await
            .unwrap();
        wait(1).await;
        // Now the neighbour table says whose addresses these are.
        for (ip, mac) in [
            ("192.0.2.10", "02:00:00:00:00:01"),
            ("2001:db8:1::a", "02:00:00:00:00:01"),
            ("192.0.2.11", "02:00:00:00:00:02"),
        ] {
            registry.observe(&Sighting {
                ip: ip.parse().unwrap(),
                mac: mac.parse().unwrap(),
                hostname: None,
                since: Utc::now(),
                seen: None,
            });
        }
        for (id, dev) in [(1, "192.0.2.10"), (2, "192.0.2.11")] {
            ct_tx
                .send(ConntrackEvent::Seen(flow(id, dev, "203.0.113.5")))
                .await
                .unwrap();
        }
        wait(3).await;
        {
            let st = state.read();
            let name = |id: u32| {
                st.flows
                    .iter()
                    .find(|f| f.key.id == id)
                    .map(|f| f.domain.as_ref().map(|d| d.to_string()))
            };
            assert_eq!(name(1), Some(Some("late.example".into())));
            assert_eq!(name(2), Some(None), "another device's answer");
        }
        drop((dns_tx, ct_tx));
        task.await.unwrap();
    }

    /// Answers and flows queued at once: the answer is applied first even though the
    /// conntrack receiver is polled in the same wake-up.
    #[tokio::test]
    async fn answers_queued_before_a_flow_name_it() {
        let cfg = CorrelateConfig {
            lan: vec!["192.0.2.0/24".parse().unwrap()],
            ..Default::default()
        };
        let state = Arc::new(RwLock::new(LiveState::new(&cfg, 100)));
        let (dns_tx, dns_rx) = mpsc::channel(10);
        let (ct_tx, ct_rx) = mpsc::channel(10);
        let (ev_tx, mut ev_rx) = broadcast::channel(100);
        dns_tx
            .send(answer("192.0.2.10", "a.example", "203.0.113.5"))
            .await
            .unwrap();
        ct_tx
            .send(ConntrackEvent::Seen(flow(1, "192.0.2.10", "203.0.113.5")))
            .await
            .unwrap();
        // Not a device: ignored.
        ct_tx
            .send(ConntrackEvent::Seen(flow(2, "198.51.100.1", "203.0.113.5")))
            .await
            .unwrap();
        ct_tx
            .send(ConntrackEvent::Closed(flow(1, "192.0.2.10", "203.0.113.5")))
            .await
            .unwrap();
        drop((dns_tx, ct_tx));
        let out = Outputs {
            state: state.clone(),
            events: ev_tx,
            enricher: Arc::new(Enricher::without_data()),
            store: None,
            devices: Some(Arc::new(DeviceRegistry::new(10))),
        };
        run(cfg, dns_rx, ct_rx, out, CancellationToken::new()).await;
        let names: Vec<&str> = std::iter::from_fn(|| ev_rx.try_recv().ok())
            .map(|e| e.name())
            .collect::<Vec<_>>();
        assert_eq!(names, ["dns", "flow_new", "flow_closed"]);
        let st = state.read();
        let flows: Vec<_> = st.flows.iter().collect();
        assert_eq!(flows.len(), 1);
        assert_eq!(
            flows[0].domain.as_ref().map(|d| d.as_str()),
            Some("a.example")
        );
        let devs = st.device_totals.summaries(st.flows.iter());
        assert_eq!(devs.len(), 1);
        assert_eq!(
            (devs[0].flows_total, devs[0].bytes_up, devs[0].dns_answers),
            (1, 60, 1)
        );
        let json = serde_json::to_value(flows[0]).unwrap();
        for key in [
            "device_ip",
            "remote_ip",
            "remote_port",
            "proto",
            "domain",
            "candidates",
            "bytes_up",
            "bytes_down",
            "packets_up",
            "packets_down",
            "first_seen",
            "last_seen",
            "state",
        ] {
            assert!(json.get(key).is_some(), "missing {key} in {json}");
        }
        assert_eq!(json["state"], "closed");
        assert_eq!(json["proto"], "tcp");
        // Enrichment is flattened into the flow; a documentation address is labelled, not
        // looked up, and the org falls back to the registrable domain.
        for key in [
            "registrable_domain",
            "org",
            "category",
            "tracker",
            "asn",
            "as_org",
            "country",
            "city",
            "lat",
            "lon",
        ] {
            assert!(json.get(key).is_some(), "missing {key} in {json}");
        }
        assert_eq!(json["address_range"], "documentation");
        assert_eq!(json["org"], "a.example");
    }
}
