//! How the detectors are fed, and where their alerts go.
//!
//! Inputs ([`DetectInput`]) arrive through one bounded queue ([`DETECT_QUEUE`]): from the
//! correlator — flow changes as the `Arc`s it already built for the event stream
//! ([`DetectSink::live`]), the conntrack flows it does not list ([`DetectSink::conn`]) and DNS
//! answers as a compact copy ([`DetectSink::dns`], [`DnsSeen`]) — from the NFLOG thread and
//! from the LAN watch thread. A hand-over is a push under an uncontended lock. Nobody ever
//! waits on it: a full queue drops the input and counts it.
//!
//! Two choices keep the DNS path's cost down (measured with `bench/dns/run.sh` and `perf`,
//! docs/BENCHMARKS.md). The queue is a vector the task swaps out every [`DRAIN_EVERY`]
//! (10 ms), not a channel: a channel wakes its receiver for each item that finds it idle,
//! ~100,000 times a second on the DNS path. And answers travel without heap memory (names up
//! to 38 bytes inline): when the detector task held the last reference to the answer's
//! `Arc`, each answer's four allocations were freed on another thread than the one that made
//! them, and the allocator's slow cross-thread path cost more than the detectors' own work.
//! Alerts come at most 10 ms later for it.
//!
//! The task runs the detectors on each batch, lets the rules decide, and records what is
//! left in the [`AlertBook`]. A new alert goes at once to the store (one row, updated
//! in place), the event stream (`alert`) and the webhook; an alert that grows (`count`,
//! `last_seen`) is written and streamed (`alert_update`) at most once a second.

use std::collections::BTreeSet;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use ipnet::IpNet;
use parking_lot::{Mutex, RwLock};
use tokio::sync::broadcast;
use tokio_util::sync::CancellationToken;

use super::config::{DetectConfig, Resolved};
use super::destinations::Destinations;
use super::dns_tunnel::{DnsSeen, DnsTunnel};
use super::encrypted_dns::EncryptedDns;
use super::rules::{Decision, RuleSet, Subject, TempIgnores};
use super::scan::{Attempt, ProbeKind, Scan};
use super::spoofing::{LanEvent, Spoofing};
use super::upload::Upload;
use super::webhook::Webhook;
use super::DetectStats;
use crate::config::ConfigError;
use crate::conntrack::FlowTuple;
use crate::correlate::LanFilter;
use crate::detect::alerts::{AlertBook, Finding, Recorded};
use crate::dns::answer::DnsAnswer;
use crate::model::{Alert, FlowRecord, LiveEvent, Proto};
use crate::status::Status;
use crate::store::{StoreOp, StoreWriter};

/// Depth of the detector queue: inputs waiting for the next drain. At 50,000 conntrack
/// events/s a drain takes ~500, at the DNS path's ~200,000 answers/s ~2,000; the rest is
/// slack for bursts. Each entry is a pointer-sized `Arc` or a small tuple (~56 bytes), and
/// the two vectors grow only as far as they are used: at most ~1.8 MB together.
pub const DETECT_QUEUE: usize = 16_384;

/// How often the task takes what was queued.
pub const DRAIN_EVERY: Duration = Duration::from_millis(10);

/// One thing for the detectors to look at.
#[derive(Clone, Debug)]
pub enum DetectInput {
    /// A DNS answer the forwarder gave (compact: no allocation for most names).
    Dns(DnsSeen),
    /// A flow change the correlator published.
    Live(Arc<LiveEvent>),
    /// A conntrack flow the correlator does not list (to the appliance itself, from outside,
    /// between LAN hosts through the appliance), seen at `at_ms`.
    Conn(FlowTuple, i64),
    /// A packet the ruleset logged (NFLOG).
    Probe(Attempt),
    /// A neighbour-table or ARP sighting, or the appliance's own addresses.
    Lan(LanEvent),
}

/// The queue between the feeds and the task.
#[derive(Debug)]
struct Queue {
    items: Mutex<Vec<DetectInput>>,
    capacity: usize,
    /// The receiving end is gone.
    closed: AtomicBool,
}

/// The sending end of the detector queue. Never blocks (the lock is held for a push).
#[derive(Clone, Debug)]
pub struct DetectSink {
    q: Arc<Queue>,
    stats: Arc<DetectStats>,
}

/// The receiving end: the task swaps the queued inputs out.
#[derive(Debug)]
pub struct DetectReceiver {
    q: Arc<Queue>,
    batch: Vec<DetectInput>,
}

impl DetectReceiver {
    /// Everything queued since the last call, in order (the vector is reused).
    pub fn take(&mut self) -> &mut Vec<DetectInput> {
        self.batch.clear();
        std::mem::swap(&mut *self.q.items.lock(), &mut self.batch);
        &mut self.batch
    }

    /// Every sender has been dropped.
    pub fn senders_gone(&self) -> bool {
        Arc::strong_count(&self.q) == 1
    }
}

impl Drop for DetectReceiver {
    fn drop(&mut self) {
        self.q.closed.store(true, Ordering::Release);
    }
}

impl DetectSink {
    /// A queue holding at most `capacity` inputs, and its receiving end.
    pub fn channel(capacity: usize, stats: Arc<DetectStats>) -> (DetectSink, DetectReceiver) {
        let q = Arc::new(Queue {
            items: Mutex::new(Vec::new()),
            capacity,
            closed: AtomicBool::new(false),
        });
        let rx = DetectReceiver {
            q: q.clone(),
            batch: Vec::new(),
        };
        (DetectSink { q, stats }, rx)
    }

    /// Queue an input without waiting; a full queue drops it (counted). `false` once the
    /// detector task has stopped.
    pub fn send(&self, input: DetectInput) -> bool {
        if self.q.closed.load(Ordering::Acquire) {
            return false;
        }
        let mut items = self.q.items.lock();
        if items.len() < self.q.capacity {
            items.push(input);
        } else {
            drop(items);
            self.stats.dropped.fetch_add(1, Ordering::Relaxed);
        }
        true
    }

    /// Hand over a flow change the correlator publishes (answers go through
    /// [`DetectSink::dns`]; alerts, which come from here, are not fed back).
    pub fn live(&self, ev: &Arc<LiveEvent>) {
        if matches!(
            **ev,
            LiveEvent::FlowNew { .. } | LiveEvent::FlowUpdate { .. } | LiveEvent::FlowClosed { .. }
        ) {
            self.send(DetectInput::Live(Arc::clone(ev)));
        }
    }

    /// Hand over a DNS answer.
    pub fn dns(&self, answer: &DnsAnswer) {
        self.send(DetectInput::Dns(DnsSeen::from(answer)));
    }

    /// Hand over a conntrack flow the correlator does not list.
    pub fn conn(&self, tuple: FlowTuple, at: DateTime<Utc>) {
        self.send(DetectInput::Conn(tuple, at.timestamp_millis()));
    }
}

/// What the web API needs: the alerts, the temporary ignores, the counters.
#[derive(Clone)]
pub struct DetectHandle {
    /// Recent alerts.
    pub alerts: Arc<RwLock<AlertBook>>,
    /// Ignore rules set from the UI.
    pub ignores: Arc<Mutex<TempIgnores>>,
    /// Counters.
    pub stats: Arc<DetectStats>,
}

/// All the detectors and the rules, fed one input at a time.
pub struct Detectors {
    dns_tunnel: DnsTunnel,
    scan: Scan,
    spoofing: Spoofing,
    upload: Upload,
    destinations: Destinations,
    encrypted_dns: EncryptedDns,
    /// The config's, the preset's and the deny lists' rules.
    pub rules: RuleSet,
}

impl Detectors {
    /// Detectors with resolved settings; `lan` tells devices from outside hosts.
    pub fn new(r: &Resolved, lan: Vec<IpNet>) -> Self {
        Detectors {
            dns_tunnel: DnsTunnel::new(r.dns_tunnel.clone()),
            scan: Scan::new(r.scan.clone(), LanFilter::new(lan)),
            spoofing: Spoofing::new(r.spoofing.clone()),
            upload: Upload::new(r.upload.clone()),
            destinations: Destinations::new(r.destinations.clone()),
            encrypted_dns: EncryptedDns::new(r.encrypted_dns.clone()),
            rules: r.rules.clone(),
        }
    }

    fn flow_attempt(f: &FlowRecord, at_ms: i64) -> Attempt {
        Attempt {
            src: f.device_ip.ip(),
            dst: f.remote_ip,
            port: f.remote_port,
            proto: f.proto,
            kind: ProbeKind::Connection,
            named: f.domain.is_some(),
            at_ms,
        }
    }

    /// Look at one input (made at `now_ms` where it carries no time of its own).
    pub fn input(&mut self, input: &DetectInput, now_ms: i64, out: &mut Vec<Finding>) {
        match input {
            DetectInput::Dns(a) => {
                self.dns_tunnel.on_answer(a, out);
                self.encrypted_dns.on_answer(a.device, a.at_ms);
            }
            DetectInput::Live(ev) => match &**ev {
                // Answers come as `DetectInput::Dns`.
                LiveEvent::Dns { .. } => {}
                LiveEvent::FlowNew { flow } => {
                    self.scan.on_attempt(Self::flow_attempt(flow, now_ms), out);
                    self.upload.on_flow(flow, now_ms, out);
                    self.destinations.on_flow(flow, true, &self.rules, out);
                    self.encrypted_dns.on_new_flow(flow, now_ms, out);
                }
                LiveEvent::FlowUpdate { flow } => {
                    self.upload.on_flow(flow, now_ms, out);
                    self.destinations.on_flow(flow, false, &self.rules, out);
                }
                LiveEvent::FlowClosed { flow } => self.upload.on_flow(flow, now_ms, out),
                LiveEvent::Alert { .. }
                | LiveEvent::AlertUpdate { .. }
                | LiveEvent::Mark { .. } => {}
            },
            // The appliance's DHCP server answering a device (dnsmasq sends offers and acks
            // to the new address): a class joining at once is not a sweep of port 68.
            DetectInput::Conn(t, _) if is_dhcp_reply(t) => {}
            DetectInput::Conn(t, at_ms) => self.scan.on_attempt(
                Attempt {
                    src: t.src,
                    dst: t.dst,
                    port: t.dst_port,
                    proto: t.proto,
                    kind: ProbeKind::Connection,
                    named: false,
                    at_ms: *at_ms,
                },
                out,
            ),
            DetectInput::Probe(a) => self.scan.on_attempt(*a, out),
            DetectInput::Lan(e) => self.spoofing.on_event(e.clone(), out),
        }
    }
}

/// A DHCP server's answer to a client (UDP 67 to 68): never a probe.
fn is_dhcp_reply(t: &FlowTuple) -> bool {
    t.proto == Proto::Udp && t.src_port == 67 && t.dst_port == 68
}

/// Where alerts go besides the book.
pub struct Outputs {
    /// The event stream.
    pub events: broadcast::Sender<Arc<LiveEvent>>,
    /// The store's writer, when history is saved.
    pub store: Option<StoreWriter>,
    /// The webhook, when configured.
    pub webhook: Option<Webhook>,
}

struct Sinks {
    handle: DetectHandle,
    out: Outputs,
    /// Alerts grown since the last flush.
    dirty: BTreeSet<u64>,
}

impl Sinks {
    fn persist(&self, a: &Arc<Alert>) {
        if let Some(w) = &self.out.store {
            w.try_send(StoreOp::Alert(Arc::clone(a)));
        }
    }

    fn findings(&mut self, rules: &RuleSet, findings: &mut Vec<Finding>, now: DateTime<Utc>) {
        let stats = &self.handle.stats;
        for f in findings.drain(..) {
            stats.findings.fetch_add(1, Ordering::Relaxed);
            let decision = {
                let temp = self.handle.ignores.lock();
                rules.decide(&Subject::of(&f), &temp, now)
            };
            if let Decision::Ignore(rule) = decision {
                tracing::debug!("detect: {} ignored by rule {rule:?}: {}", f.rule, f.message);
                stats.ignored.fetch_add(1, Ordering::Relaxed);
                continue;
            }
            let recorded = self.handle.alerts.write().record(f, now);
            match recorded {
                Recorded::New(a) => {
                    stats.alerts.fetch_add(1, Ordering::Relaxed);
                    tracing::info!("alert {} ({}): {}", a.id, a.rule, a.message);
                    self.persist(&a);
                    if let Some(w) = &self.out.webhook {
                        w.send(Arc::clone(&a));
                    }
                    let _ = self
                        .out
                        .events
                        .send(Arc::new(LiveEvent::Alert { alert: a }));
                }
                Recorded::Repeat(a) => {
                    stats.repeats.fetch_add(1, Ordering::Relaxed);
                    self.dirty.insert(a.id);
                }
                Recorded::RateLimited => {
                    stats.rate_limited.fetch_add(1, Ordering::Relaxed);
                }
            }
        }
    }

    /// Write and stream the alerts that grew.
    fn flush(&mut self) {
        if self.dirty.is_empty() {
            return;
        }
        let grown: Vec<Arc<Alert>> = {
            let book = self.handle.alerts.read();
            self.dirty
                .iter()
                .filter_map(|id| book.get(*id).cloned())
                .collect()
        };
        self.dirty.clear();
        for a in grown {
            self.persist(&a);
            let _ = self
                .out
                .events
                .send(Arc::new(LiveEvent::AlertUpdate { alert: a }));
        }
    }
}

/// Run the detectors until `shutdown` or until every sender is gone.
pub async fn run(
    mut detectors: Detectors,
    mut rx: DetectReceiver,
    handle: DetectHandle,
    out: Outputs,
    shutdown: CancellationToken,
) {
    let mut sinks = Sinks {
        handle,
        out,
        dirty: BTreeSet::new(),
    };
    let mut findings = Vec::new();
    let mut tick = tokio::time::interval(DRAIN_EVERY);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut last_flush = Instant::now();
    let mut last_prune = Instant::now();
    loop {
        tokio::select! {
            biased;
            _ = shutdown.cancelled() => break,
            _ = tick.tick() => {}
        }
        let gone = rx.senders_gone();
        let batch = rx.take();
        let n = batch.len();
        if n > 0 {
            let now = Utc::now();
            let now_ms = now.timestamp_millis();
            for input in batch.drain(..) {
                detectors.input(&input, now_ms, &mut findings);
            }
            sinks
                .handle
                .stats
                .inputs
                .fetch_add(n as u64, Ordering::Relaxed);
            if !findings.is_empty() {
                sinks.findings(&detectors.rules, &mut findings, now);
            }
        }
        if last_flush.elapsed() >= Duration::from_secs(1) {
            last_flush = Instant::now();
            sinks.flush();
        }
        if last_prune.elapsed() >= Duration::from_secs(60) {
            last_prune = Instant::now();
            let now = Utc::now();
            sinks.handle.alerts.write().prune(now);
            sinks.handle.ignores.lock().expire(now);
        }
        if gone && n == 0 {
            break;
        }
    }
    sinks.flush();
}

/// The running detectors.
pub struct Started {
    /// Where the correlator hands inputs over.
    pub sink: DetectSink,
    /// What the web reads.
    pub handle: DetectHandle,
    task: tokio::task::JoinHandle<()>,
    webhook: Option<tokio::task::JoinHandle<()>>,
    threads: Vec<std::thread::JoinHandle<()>>,
}

impl Started {
    /// Wait (at most `limit`) for the task and the threads to end after shutdown was
    /// requested.
    pub async fn join(self, limit: Duration) {
        let Started {
            sink,
            task,
            webhook,
            threads,
            ..
        } = self;
        drop(sink);
        if tokio::time::timeout(limit, task).await.is_err() {
            tracing::warn!("detectors did not stop within {limit:?}");
        }
        if let Some(w) = webhook {
            w.abort();
        }
        for t in threads {
            let _ = tokio::task::spawn_blocking(move || t.join()).await;
        }
    }
}

/// Start the detectors: the task, and (in the calling thread's network namespace) the NFLOG
/// and LAN watch threads. `restored` are alerts saved before a restart and the largest id
/// ever given. Problems with a feed are warnings in `status`; only a config that does not
/// resolve is an error.
#[allow(clippy::too_many_arguments)]
pub fn start(
    cfg: &DetectConfig,
    lan: Vec<IpNet>,
    restored: (Vec<Alert>, u64),
    events: broadcast::Sender<Arc<LiveEvent>>,
    store: Option<StoreWriter>,
    status: Arc<Status>,
    shutdown: CancellationToken,
) -> Result<Started, ConfigError> {
    let resolved = cfg.resolve()?;
    let stats = Arc::new(DetectStats::default());
    let mut book = AlertBook::new(resolved.window, cfg.max_alerts, cfg.max_alerts_per_minute);
    book.restore(restored.0, restored.1, Utc::now());
    let handle = DetectHandle {
        alerts: Arc::new(RwLock::new(book)),
        ignores: Arc::new(Mutex::new(TempIgnores::default())),
        stats: stats.clone(),
    };
    let (sink, rx) = DetectSink::channel(DETECT_QUEUE, stats.clone());
    let (webhook, webhook_task) = match &resolved.webhook {
        Some(url) => {
            let tls = if url.https {
                let ca = cfg.webhook_ca_file.as_deref();
                Some(crate::tls::client_config(ca).map_err(|e| {
                    crate::config::invalid(
                        "detect.webhook_ca_file",
                        "config-value-detail",
                        [("detail", e.to_string())],
                    )
                })?)
            } else {
                None
            };
            let (w, t) = Webhook::spawn(
                url.clone(),
                tls,
                Duration::from_millis(cfg.webhook_timeout_ms),
                stats.clone(),
                shutdown.clone(),
            );
            (Some(w), Some(t))
        }
        None => (None, None),
    };
    let mut threads = Vec::new();
    if cfg.nflog_group != 0 {
        let s = sink.clone();
        if let Some(t) = super::nflog::spawn(
            cfg.nflog_group,
            move |a| s.send(DetectInput::Probe(a)),
            status.clone(),
            shutdown.clone(),
        ) {
            threads.push(t);
        }
    }
    if resolved.spoofing.enabled {
        let s = sink.clone();
        if let Some(t) = super::lan_watch::spawn_watch(
            &resolved.spoofing,
            move |e| s.send(DetectInput::Lan(e)),
            status,
            shutdown.clone(),
        ) {
            threads.push(t);
        }
    }
    let detectors = Detectors::new(&resolved, lan);
    let task = tokio::spawn(run(
        detectors,
        rx,
        handle.clone(),
        Outputs {
            events,
            store,
            webhook,
        },
        shutdown,
    ));
    Ok(Started {
        sink,
        handle,
        task,
        webhook: webhook_task,
        threads,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::DeviceId;
    use std::net::IpAddr;

    fn answer(dev: &str, name: &str) -> DetectInput {
        let txt = u16::from(hickory_proto::rr::RecordType::TXT);
        let at = Utc::now().timestamp_millis();
        DetectInput::Dns(DnsSeen::new(DeviceId(dev.parse().unwrap()), name, txt, at))
    }

    /// Inputs in, through detectors, rules and the book, out to the store, the event stream
    /// and the book; an ignore rule drops a finding; the queue drops (and counts) what does
    /// not fit.
    #[tokio::test]
    async fn inputs_to_alerts_everywhere() {
        let cfg: DetectConfig = toml::from_str(
            "[[rules]]\nname = \"lab device\"\nkinds = [\"scan\"]\ndevices = [\"192.0.2.12\"]\n",
        )
        .unwrap();
        let shutdown = CancellationToken::new();
        let (store, store_rx) = crate::store::test_writer_channel(100);
        let (events, mut ev_rx) = broadcast::channel(100);
        let started = start(
            &DetectConfig {
                spoofing: super::super::config::SpoofingConfig {
                    enabled: false,
                    ..Default::default()
                },
                ..cfg
            },
            vec!["192.0.2.0/24".parse().unwrap()],
            (Vec::new(), 0),
            events,
            Some(store),
            Arc::new(Status::default()),
            shutdown.clone(),
        )
        .unwrap();
        // 30 TXT lookups under one domain: one alert, then repeats.
        for i in 0..30 {
            started
                .sink
                .send(answer("192.0.2.10", &format!("q{i}.tunnel.test")));
        }
        // The appliance's DHCP server answering 30 devices joining at once: no sweep.
        for host in 100..130u8 {
            let t = FlowTuple {
                proto: Proto::Udp,
                src: "192.0.2.1".parse().unwrap(),
                dst: IpAddr::from([192, 0, 2, host]),
                src_port: 67,
                dst_port: 68,
            };
            started.sink.conn(t, Utc::now());
        }
        // A port scan by .11 (alert) and by .12 (ignored by the rule).
        for dev in ["192.0.2.11", "192.0.2.12"] {
            for port in 1..=25u16 {
                let t = FlowTuple {
                    proto: Proto::Tcp,
                    src: dev.parse().unwrap(),
                    dst: "192.0.2.1".parse().unwrap(),
                    src_port: 40000,
                    dst_port: port,
                };
                started.sink.conn(t, Utc::now());
            }
        }
        let handle = started.handle.clone();
        for _ in 0..200 {
            if handle.stats.inputs.load(Ordering::Relaxed) >= 110 {
                break;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        // The once-a-second flush writes the grown TXT alert.
        tokio::time::sleep(Duration::from_millis(1200)).await;
        let alerts = handle.alerts.read().list(None, 10);
        let rules: Vec<&str> = alerts.iter().map(|a| a.rule.as_str()).collect();
        assert_eq!(alerts.len(), 2, "{rules:?}");
        assert!(rules.contains(&"dns_tunnel.txt"), "{rules:?}");
        assert!(rules.contains(&"scan.ports"), "{rules:?}");
        let scan = alerts.iter().find(|a| a.rule == "scan.ports").unwrap();
        assert_eq!(
            scan.device_ip,
            Some(DeviceId("192.0.2.11".parse().unwrap()))
        );
        let s = handle.stats.snapshot();
        assert_eq!((s.alerts, s.ignored, s.dropped), (2, 1, 0), "{s:?}");
        let names: Vec<&str> = std::iter::from_fn(|| ev_rx.try_recv().ok())
            .map(|e| e.name())
            .collect();
        assert_eq!(
            names.iter().filter(|n| **n == "alert").count(),
            2,
            "{names:?}"
        );
        let ops: Vec<_> = store_rx.try_iter().collect();
        assert!(
            ops.iter()
                .filter(|q| matches!(q.1, StoreOp::Alert(_)))
                .count()
                >= 2,
            "{}",
            ops.len()
        );
        shutdown.cancel();
        started.join(Duration::from_secs(2)).await;
    }

    #[test]
    fn a_full_queue_drops_and_counts() {
        let stats = Arc::new(DetectStats::default());
        let (sink, rx) = DetectSink::channel(2, stats.clone());
        for _ in 0..5 {
            assert!(sink.send(DetectInput::Lan(LanEvent::Own(Default::default()))));
        }
        assert_eq!(stats.dropped.load(Ordering::Relaxed), 3);
        drop(rx);
        assert!(!sink.send(DetectInput::Lan(LanEvent::Own(Default::default()))));
    }
}
