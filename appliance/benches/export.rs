//! IPFIX export cost: what does export cost the correlator per flow, and how many records a
//! second does the exporter send?
//!
//! 1. The correlator as the daemon runs it (`correlate::run_with_sinks`), fed 200,000 flows
//!    (new, two counter updates, closed: 800,000 conntrack events, plus 50,000 answers) as
//!    fast as it takes, without and with the exporter (one UDP collector on loopback: a
//!    separate Python process that reads and counts the datagrams, so its CPU is not ours).
//!    CPU time of this process (user + system, `getrusage`, so the exporter's task and the
//!    kernel's sending of its datagrams are in it) per flow. `WF_EXPORT_ROUNDS` rounds (11 by
//!    default), each one run off and one on, the order swapped every round so a drift of
//!    the machine's load favours neither; reported: each round's on/off ratio and their
//!    median, and the median of each side.
//! 2. The exporter alone: 1,000,000 closed flows handed to its sink as fast as its queue
//!    takes them; records/s sent to the collector (three runs, the median).
//!
//! The enricher has no data here (`Enricher::without_data`) and there is no store, so the
//! correlator's own cost per flow is lower than on the appliance and export's share is
//! overstated, not hidden. The exporter takes each record's pseudonym from a device
//! registry (`export::start_with_own_registry`) as on the appliance.
//!
//! Run: `cargo bench -p whereflow --bench export` (or bench/export.sh). Record the figures
//! in docs/BENCHMARKS.md.

#[path = "../tests/common/mod.rs"]
mod common;

mod fixtures;

use fixtures::{answer, device, remote};
use std::io::Read;

use std::process::{Child, Command, Stdio};
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::Utc;
use parking_lot::RwLock;
use tokio::sync::{broadcast, mpsc};
use tokio_util::sync::CancellationToken;
use whereflow::config::{CorrelateConfig, ExportConfig};
use whereflow::conntrack::{ConntrackEvent, Counters, FlowSnapshot, FlowTuple};
use whereflow::correlate::{self, LiveState};
use whereflow::enrich::Enricher;
use whereflow::model::{
    DeviceId, Domain, Enrichment, FlowKey, FlowRecord, FlowState, LiveEvent, Proto,
};
use whereflow::status::Status;

const DEVICES: u32 = 100;
const FLOWS: u32 = 200_000;

/// Flow `f`'s four conntrack events: new, two counter updates, close.
fn flow_events(f: u32, out: &mut Vec<ConntrackEvent>) {
    let started = Utc::now();
    let dst = remote(f / DEVICES);
    let snap = |counters| FlowSnapshot {
        key: FlowKey { id: f, start_ns: 1 },
        tuple: FlowTuple {
            proto: Proto::Tcp,
            src: device(f % DEVICES),
            dst,
            src_port: (f % 60_000) as u16,
            dst_port: 443,
        },
        counters,
        started,
    };
    let c = |b: u64| {
        Some(Counters {
            packets_orig: b * 10,
            bytes_orig: b * 2_000,
            packets_reply: b * 20,
            bytes_reply: b * 30_000,
        })
    };
    out.push(ConntrackEvent::Seen(snap(None)));
    out.push(ConntrackEvent::Seen(snap(c(1))));
    out.push(ConntrackEvent::Seen(snap(c(2))));
    out.push(ConntrackEvent::Closed(snap(c(3))));
}

/// A UDP collector in its own process: counts datagrams and bytes until 1 s passes without
/// one, then prints `datagrams bytes`.
struct Collector {
    child: Child,
    port: u16,
}

impl Collector {
    /// On loopback, any free port.
    fn start() -> Collector {
        Collector::start_with(Command::new("python3"), "127.0.0.1", 0, 1)
    }

    /// `python3` run by `python`, listening on `addr`:`port`; done after `idle` seconds
    /// without a datagram.
    fn start_with(mut python: Command, addr: &str, port: u16, idle: u32) -> Collector {
        let script = format!(
            "import socket,sys\n\
            s=socket.socket(socket.AF_INET,socket.SOCK_DGRAM)\n\
            s.setsockopt(socket.SOL_SOCKET,socket.SO_RCVBUF,8<<20)\n\
            s.bind(('{addr}',{port}))\n\
            print(s.getsockname()[1],flush=True)\n\
            n=b=0\n\
            s.settimeout(30)\n\
            while True:\n\
            \x20   try:\n\
            \x20       d=s.recv(65536)\n\
            \x20   except socket.timeout:\n\
            \x20       break\n\
            \x20   n+=1;b+=len(d);s.settimeout({idle})\n\
            print(n,b,flush=True)\n"
        );
        let mut child = python
            .args(["-c", &script])
            .stdout(Stdio::piped())
            .spawn()
            .expect("python3");
        let mut line = Vec::new();
        let out = child.stdout.as_mut().unwrap();
        let mut byte = [0u8; 1];
        while out.read(&mut byte).unwrap() == 1 && byte[0] != b'\n' {
            line.push(byte[0]);
        }
        let port = String::from_utf8(line).unwrap().trim().parse().unwrap();
        Collector { child, port }
    }

    /// Wait for its count: `(datagrams, bytes)`.
    fn finish(mut self) -> (u64, u64) {
        let mut text = String::new();
        self.child
            .stdout
            .as_mut()
            .unwrap()
            .read_to_string(&mut text)
            .unwrap();
        let _ = self.child.wait();
        let mut it = text.split_whitespace().map(|s| s.parse().unwrap_or(0));
        (it.next().unwrap_or(0), it.next().unwrap_or(0))
    }
}

fn cpu() -> Duration {
    // SAFETY: getrusage fills the struct it is given.
    let mut u: libc::rusage = unsafe { std::mem::zeroed() };
    unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut u) };
    let tv = |t: libc::timeval| Duration::new(t.tv_sec as u64, t.tv_usec as u32 * 1_000);
    tv(u.ru_utime) + tv(u.ru_stime)
}

fn export_config(port: u16) -> ExportConfig {
    ExportConfig {
        ipfix: vec![format!("udp://127.0.0.1:{port}")],
        ..ExportConfig::default()
    }
}

struct Run {
    wall: Duration,
    cpu: Duration,
    sent: u64,
    dropped: u64,
}

/// Part 1: the correlator fed every flow's events, with the exporter when `port` is given.
fn pipeline(port: Option<u16>) -> Run {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let cfg = CorrelateConfig {
        lan: vec!["192.0.2.0/24".parse().unwrap()],
        ..Default::default()
    };
    let mut events = Vec::with_capacity(FLOWS as usize * 4);
    let mut answers = Vec::with_capacity(FLOWS as usize / 4);
    for f in 0..FLOWS {
        flow_events(f, &mut events);
        if f.is_multiple_of(4) {
            answers.push(answer(f % DEVICES, f % 5_000));
        }
    }
    rt.block_on(async move {
        let shutdown = CancellationToken::new();
        let status = Arc::new(Status::default());
        let state = Arc::new(RwLock::new(LiveState::new(&cfg, 1_000_000)));
        let (ev_tx, _keep) = broadcast::channel(4096);
        let export = port.and_then(|p| {
            whereflow::export::start_with_own_registry(
                &export_config(p),
                status.clone(),
                shutdown.clone(),
            )
        });
        let (dns_tx, dns_rx) = mpsc::channel(65_536);
        let (ct_tx, ct_rx) = mpsc::channel(4_096);
        let out = correlate::Outputs {
            state,
            events: ev_tx,
            enricher: Arc::new(Enricher::without_data()),
            store: None,
            devices: None,
        };
        let c0 = cpu();
        let t = Instant::now();
        let task = tokio::spawn(correlate::run_with_sinks(
            cfg,
            (dns_rx, ct_rx),
            out,
            (None, export.as_ref().map(|x| x.sink.clone())),
            shutdown.clone(),
        ));
        let per_answer = (events.len() / answers.len().max(1)).max(1);
        let mut answers = answers.into_iter();
        for (i, e) in events.into_iter().enumerate() {
            if i.is_multiple_of(per_answer) {
                if let Some(a) = answers.next() {
                    dns_tx.send(a).await.unwrap();
                }
            }
            ct_tx.send(e).await.unwrap();
        }
        drop((dns_tx, ct_tx));
        task.await.unwrap();
        if let Some(x) = export {
            // Until the exporter has sent (or dropped) what it was given.
            let done = |s: &Status| {
                s.export_sent.load(Ordering::Relaxed) + s.export_dropped.load(Ordering::Relaxed)
            };
            let mut last = u64::MAX;
            while done(&status) != last {
                last = done(&status);
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
            shutdown.cancel();
            let _ = x.task.await;
        }
        let wall = t.elapsed().saturating_sub(if port.is_some() {
            Duration::from_millis(20)
        } else {
            Duration::ZERO
        });
        Run {
            wall,
            cpu: cpu() - c0,
            sent: status.export_sent.load(Ordering::Relaxed),
            dropped: status.export_dropped.load(Ordering::Relaxed),
        }
    })
}

fn closed(f: u32) -> Arc<LiveEvent> {
    Arc::new(LiveEvent::FlowClosed {
        flow: Arc::new(FlowRecord {
            id: format!("{f}-1"),
            key: FlowKey { id: f, start_ns: 1 },
            device_ip: DeviceId(device(f % DEVICES)),
            remote_ip: remote(f / DEVICES),
            remote_port: 443,
            local_port: Some((f % 60_000) as u16),
            proto: Proto::Tcp,
            domain: Some(Domain::new(&format!("www.n{}.example.test", f % 250)).unwrap()),
            candidates: vec![],
            bytes_up: 2_000,
            bytes_down: 30_000,
            packets_up: 10,
            packets_down: 20,
            first_seen: Utc::now(),
            last_seen: Utc::now(),
            state: FlowState::Closed,
            enrichment: Enrichment {
                registrable_domain: Some(Domain::new("example.test").unwrap()),
                org: Some("Example Org".into()),
                category: Some(whereflow::model::Category::Advertising),
                tracker: true,
                country: Some("US".into()),
                as_org: Some("EXAMPLE-AS".into()),
                ..Enrichment::default()
            },
        }),
    })
}

/// Part 2: the exporter alone.
fn exporter_alone(port: u16) -> (u64, u64, Duration) {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let n = 1_000_000u32;
    let events: Vec<Arc<LiveEvent>> = (0..n).map(closed).collect();
    rt.block_on(async move {
        let shutdown = CancellationToken::new();
        let status = Arc::new(Status::default());
        let x = whereflow::export::start_with_own_registry(
            &export_config(port),
            status.clone(),
            shutdown.clone(),
        )
        .unwrap();
        let t = Instant::now();
        for e in &events {
            while x.sink.queued() > 8_192 {
                tokio::task::yield_now().await;
            }
            x.sink.live(e);
        }
        let done = |s: &Status| {
            s.export_sent.load(Ordering::Relaxed) + s.export_dropped.load(Ordering::Relaxed)
        };
        while done(&status) < u64::from(n) {
            tokio::time::sleep(Duration::from_millis(1)).await;
        }
        let el = t.elapsed();
        shutdown.cancel();
        let _ = x.task.await;
        (
            status.export_sent.load(Ordering::Relaxed),
            status.export_dropped.load(Ordering::Relaxed),
            el,
        )
    })
}

/// Part 3: the whole daemon. `whereflow run` on the namespace lab (its conntrack reader,
/// correlator, history store, everything as shipped), `DAEMON_FLOWS` UDP flows from
/// `DAEMON_DEVICES` devices at a steady rate, each ending a second after its one datagram
/// (`nf_conntrack_udp_timeout = 1`); the daemon's own CPU time (all its threads, from
/// `/proc`) from before the first flow until the API shows none open, per flow. With
/// export on, a UDP collector (python3) listens in the lab's internet namespace.
mod daemon {
    use super::common::Daemon;
    use super::Collector;
    use std::time::{Duration, Instant};
    use whereflow_lab::{Lab, LabOptions, INTERNET_V4};

    pub const DAEMON_DEVICES: usize = 4;
    pub const DAEMON_FLOWS: usize = 20_000;
    /// Flows a second from each device (4,000/s in all: a busy school's peak, not a flood
    /// that overflows conntrack's event socket).
    const RATE: u64 = 1_000;

    pub fn lab() -> Lab {
        let lab = Lab::build(LabOptions {
            devices: DAEMON_DEVICES,
            zones: Vec::new(),
        })
        .expect("building the lab (needs root)");
        let out = lab
            .command(lab.router(), "sysctl")
            .args(["-w", "net.netfilter.nf_conntrack_udp_timeout=1"])
            .output()
            .expect("sysctl");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        lab
    }

    /// The daemon's CPU time so far: utime + stime of all its threads, living and ended
    /// (`/proc/PID/stat`, clock ticks of 10 ms).
    fn cpu(pid: u32) -> Duration {
        let text = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
        // The command name (field 2) is in parentheses and may hold spaces.
        let rest = text.rsplit_once(')').map_or("", |(_, r)| r);
        let f: Vec<u64> = rest
            .split_whitespace()
            .map(|w| w.parse().unwrap_or(0))
            .collect();
        // Fields 14 and 15 of the line; `rest` starts at field 3.
        let ticks = f.get(11).copied().unwrap_or(0) + f.get(12).copied().unwrap_or(0);
        // SAFETY: sysconf has no preconditions.
        let hz = unsafe { libc::sysconf(libc::_SC_CLK_TCK) }.max(1) as u64;
        Duration::from_nanos(ticks * 1_000_000_000 / hz)
    }

    /// One run: `(CPU per flow, flows the API shows closed, records sent, dropped)`.
    pub fn run(lab: &Lab, export: bool) -> (Duration, u64, u64, u64) {
        let collector = export.then(|| {
            Collector::start_with(
                lab.command(lab.internet(), "python3"),
                &INTERNET_V4.to_string(),
                4739,
                // Flows end in bursts as conntrack's garbage collector finds them: a second
                // without records is no sign of the end here.
                10,
            )
        });
        let toml = if export {
            format!("[export]\nipfix = [\"udp://{INTERNET_V4}:4739\"]\n")
        } else {
            String::new()
        };
        let d = Daemon::start(lab, &toml).expect("daemon");
        std::thread::sleep(Duration::from_secs(1));
        let c0 = cpu(d.pid());
        let per_device = DAEMON_FLOWS / DAEMON_DEVICES;
        let senders: Vec<_> = lab
            .devices()
            .iter()
            .enumerate()
            .map(|(i, dev)| {
                let netns = dev.netns.clone();
                std::thread::spawn(move || {
                    whereflow_lab::in_netns(&netns, move || {
                        let t = Instant::now();
                        for n in 0..per_device {
                            // Paced: flow n leaves at n / RATE seconds.
                            let due = Duration::from_micros(n as u64 * 1_000_000 / RATE);
                            if let Some(wait) = due.checked_sub(t.elapsed()) {
                                std::thread::sleep(wait);
                            }
                            let s = std::net::UdpSocket::bind("0.0.0.0:0").unwrap();
                            let to =
                                format!("203.0.113.{}:{}", 1 + (n + i) % 250, 9_000 + n % 1_000);
                            let _ = s.send_to(&[0u8; 64], to.as_str());
                        }
                    })
                    .unwrap()
                })
            })
            .collect();
        for s in senders {
            s.join().unwrap();
        }
        // Every flow ended (conntrack's timeout, then its garbage collector) and handled.
        let deadline = Instant::now() + Duration::from_secs(60);
        let status = loop {
            std::thread::sleep(Duration::from_millis(500));
            let s = d.get(lab, "/api/v1/status").expect("status");
            if s["flows_open"].as_u64() == Some(0) || Instant::now() > deadline {
                break s;
            }
        };
        let per_flow = (cpu(d.pid()) - c0) / DAEMON_FLOWS as u32;
        let closed = d
            .flows(lab)
            .map(|f| f.iter().filter(|f| f["state"] == "closed").count() as u64)
            .unwrap_or(0);
        let counter = |k: &str| status["counters"][k].as_u64().unwrap_or(0);
        let (sent, dropped) = (counter("export_sent"), counter("export_dropped"));
        if dropped > 0 {
            println!(
                "  dropped records; the daemon's warnings: {}",
                status["warnings"]
            );
        }
        drop(d);
        if let Some(c) = collector {
            let _ = c.finish();
        }
        (per_flow, closed, sent, dropped)
    }
}

fn median(v: &[f64]) -> f64 {
    let mut v = v.to_vec();
    v.sort_by(|a, b| a.total_cmp(b));
    v[v.len() / 2]
}

/// One pipeline run with export off (`None`) or on: CPU ns per flow, and with export on the
/// records sent and dropped and the datagrams the collector got.
fn round(on: bool) -> (f64, String) {
    if !on {
        let r = pipeline(None);
        let ns = r.cpu.as_nanos() as f64 / f64::from(FLOWS);
        return (
            ns,
            format!(
                "off: {:.2} s wall, {ns:.0} ns CPU/flow",
                r.wall.as_secs_f64()
            ),
        );
    }
    let c = Collector::start();
    let r = pipeline(Some(c.port));
    let got = c.finish();
    let ns = r.cpu.as_nanos() as f64 / f64::from(FLOWS);
    (
        ns,
        format!(
            "on:  {:.2} s wall, {ns:.0} ns CPU/flow; {} records sent, {} dropped; collector got {} datagrams",
            r.wall.as_secs_f64(),
            r.sent,
            r.dropped,
            got.0
        ),
    )
}

fn main() {
    let rounds: usize = std::env::var("WF_EXPORT_ROUNDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(11);
    let (mut off, mut on, mut ratio) = (Vec::new(), Vec::new(), Vec::new());
    for n in 0..rounds {
        // Swapped every round: a machine getting busier or quieter favours neither side.
        let order = if n % 2 == 0 {
            [false, true]
        } else {
            [true, false]
        };
        let mut pair = [0.0; 2];
        for exporting in order {
            let (ns, line) = round(exporting);
            println!("round {n} export {line}");
            pair[usize::from(exporting)] = ns;
        }
        off.push(pair[0]);
        on.push(pair[1]);
        ratio.push(pair[1] / pair[0]);
    }
    let pct = |r: f64| (r - 1.0) * 100.0;
    let mut sorted = ratio.clone();
    sorted.sort_by(|a, b| a.total_cmp(b));
    println!(
        "correlator, {FLOWS} flows, {rounds} rounds: export off median {:.0} ns CPU/flow (range {:.0}-{:.0}), on median {:.0} ns CPU/flow (range {:.0}-{:.0}); on/off per round: {}; median {:+.1} %",
        median(&off),
        off.iter().copied().fold(f64::MAX, f64::min),
        off.iter().copied().fold(0.0, f64::max),
        median(&on),
        on.iter().copied().fold(f64::MAX, f64::min),
        on.iter().copied().fold(0.0, f64::max),
        sorted
            .iter()
            .map(|r| format!("{:+.1} %", pct(*r)))
            .collect::<Vec<_>>()
            .join(", "),
        pct(median(&ratio)),
    );
    let mut rates = Vec::new();
    for _ in 0..3 {
        let c = Collector::start();
        let (sent, dropped, el) = exporter_alone(c.port);
        let got = c.finish();
        let rate = sent as f64 / el.as_secs_f64();
        println!(
            "exporter alone: {sent} records sent, {dropped} dropped in {:.2} s = {rate:.0} records/s; collector got {} datagrams, {} bytes ({:.0} bytes/record)",
            el.as_secs_f64(),
            got.0,
            got.1,
            got.1 as f64 / sent.max(1) as f64
        );
        rates.push(rate);
    }
    println!(
        "exporter alone, median of 3: {:.0} records/s",
        median(&rates)
    );
    // SAFETY: geteuid has no preconditions.
    if unsafe { libc::geteuid() } != 0 {
        println!("whole daemon: skipped (needs root for the namespace lab)");
        return;
    }
    let lab = daemon::lab();
    // ~25 s a pair: 5 by default keeps the bench short; more pairs narrow the interval below.
    let pairs: usize = std::env::var("WF_EXPORT_DAEMON_PAIRS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(5)
        .max(2);
    let (mut off, mut on, mut ratio) = (Vec::new(), Vec::new(), Vec::new());
    for n in 0..pairs {
        let order = if n % 2 == 0 {
            [false, true]
        } else {
            [true, false]
        };
        let mut pair = [0.0; 2];
        for exporting in order {
            let (cpu, closed, sent, dropped) = daemon::run(&lab, exporting);
            let us = cpu.as_nanos() as f64 / 1_000.0;
            println!(
                "whole daemon round {n} export {}: {us:.1} µs CPU/flow; {closed} flows closed in the API; {sent} records sent, {dropped} dropped",
                if exporting { "on " } else { "off" }
            );
            pair[usize::from(exporting)] = us;
        }
        off.push(pair[0]);
        on.push(pair[1]);
        ratio.push(pair[1] / pair[0]);
    }
    let mut sorted = ratio.clone();
    sorted.sort_by(|a, b| a.total_cmp(b));
    println!(
        "whole daemon, {} flows a round: export off median {:.1} µs CPU/flow, on median {:.1} µs CPU/flow; on/off per round: {}; median {:+.1} %",
        daemon::DAEMON_FLOWS,
        median(&off),
        median(&on),
        sorted
            .iter()
            .map(|r| format!("{:+.1} %", pct(*r)))
            .collect::<Vec<_>>()
            .join(", "),
        pct(median(&ratio)),
    );
    // Mean of the per-pair ratios with a 95 % interval (normal approximation): the bound the
    // issue's "at most 5 %" is judged by, since single pairs swing by ±15 % on a shared machine.
    let n = ratio.len() as f64;
    let mean = ratio.iter().sum::<f64>() / n;
    let sd = (ratio.iter().map(|r| (r - mean).powi(2)).sum::<f64>() / (n - 1.0)).sqrt();
    let half = 1.96 * sd / n.sqrt();
    println!(
        "whole daemon, {} pairs: on/off mean {:+.1} %, 95 % interval {:+.1} … {:+.1} %; total CPU on / off {:+.1} %",
        ratio.len(),
        pct(mean),
        pct(mean - half),
        pct(mean + half),
        pct(on.iter().sum::<f64>() / off.iter().sum::<f64>()),
    );
}
