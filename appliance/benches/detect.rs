//! Detector cost: do the detectors keep up with 50,000 conntrack events a
//! second, and what do they cost the correlator?
//!
//! 1. The detectors alone: inputs as the correlator hands them over (flows new, updated
//!    twice, closed; answers; flows to the appliance) through `Detectors::input`, one thread.
//! 2. The correlator as the daemon runs it (`correlate::run_with_detectors`), with and
//!    without the detector task (`detect::start`, every detector on, the LAN and NFLOG feeds
//!    off), fed as fast as it takes: events/s and what the detectors dropped.
//! 3. The same, paced at 50,000 conntrack events/s (plus 5,000 answers/s) for 10 s: did the
//!    detectors see every input, and how far behind were they at the end.
//!
//! 4. The real daemon on the namespace lab (root): a device opens 25,000 new UDP flows a
//!    second for 8 s, ~50,000 conntrack events/s; the detectors' inputs and drops.
//!
//! Run: `cargo bench -p whereflow --bench detect`. Prints figures; record them in
//! docs/BENCHMARKS.md. (The DNS path's cost is measured by `bench/dns/run.sh`, which runs
//! whereflow with and without detectors in one run.)

#[path = "../tests/common/mod.rs"]
mod common;

mod fixtures;

use fixtures::{answer, device, remote};
use std::net::{IpAddr, Ipv4Addr};
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::Utc;
use parking_lot::RwLock;
use tokio::sync::{broadcast, mpsc};
use tokio_util::sync::CancellationToken;
use whereflow::config::CorrelateConfig;
use whereflow::conntrack::{ConntrackEvent, Counters, FlowSnapshot, FlowTuple};
use whereflow::correlate::{self, LiveState};
use whereflow::detect::config::{DetectConfig, SpoofingConfig};
use whereflow::detect::dns_tunnel::DnsSeen;
use whereflow::detect::task::{DetectInput, Detectors};
use whereflow::dns::DnsAnswer;
use whereflow::enrich::Enricher;
use whereflow::model::{
    DeviceId, Domain, Enrichment, FlowKey, FlowRecord, FlowState, LiveEvent, Proto,
};
use whereflow::status::Status;
use whereflow_lab::{Lab, LabOptions};

const DEVICES: u32 = 100;

/// Flow `f`'s four conntrack events (new, two counter updates, close), each uploading and
/// downloading a little, plus one flow of the device's to the appliance's DNS (not listed
/// by the correlator; the scan detector sees it) every 4 flows.
fn flow_events(f: u32, out: &mut Vec<ConntrackEvent>) {
    let started = Utc::now();
    let snap = |counters, dst: IpAddr, port: u16, id: u32| FlowSnapshot {
        key: FlowKey { id, start_ns: 1 },
        tuple: FlowTuple {
            proto: Proto::Tcp,
            src: device(f % DEVICES),
            dst,
            src_port: (f % 60_000) as u16,
            dst_port: port,
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
    let dst = remote(f / DEVICES);
    out.push(ConntrackEvent::Seen(snap(None, dst, 443, f)));
    out.push(ConntrackEvent::Seen(snap(c(1), dst, 443, f)));
    out.push(ConntrackEvent::Seen(snap(c(2), dst, 443, f)));
    out.push(ConntrackEvent::Closed(snap(c(3), dst, 443, f)));
    if f.is_multiple_of(4) {
        let router = IpAddr::V4(Ipv4Addr::new(192, 0, 2, 1));
        out.push(ConntrackEvent::Seen(snap(None, router, 53, f | 1 << 31)));
    }
}

fn detect_config() -> DetectConfig {
    DetectConfig {
        // No sockets in a bench: the LAN watch and NFLOG feeds are off (nflog_group 0).
        spoofing: SpoofingConfig {
            enabled: false,
            ..SpoofingConfig::default()
        },
        ..DetectConfig::default()
    }
}

fn record(f: u32, up: u64, state: FlowState) -> Arc<FlowRecord> {
    Arc::new(FlowRecord {
        id: format!("{f}-1"),
        key: FlowKey { id: f, start_ns: 1 },
        device_ip: DeviceId(device(f % DEVICES)),
        remote_ip: remote(f / DEVICES),
        remote_port: 443,
        local_port: None,
        proto: Proto::Tcp,
        domain: Some(Domain::new(&format!("n{}.example.test", f % 250)).unwrap()),
        candidates: vec![],
        bytes_up: up * 2_000,
        bytes_down: up * 30_000,
        packets_up: up * 10,
        packets_down: up * 20,
        first_seen: Utc::now(),
        last_seen: Utc::now(),
        state,
        enrichment: Enrichment {
            registrable_domain: Some(Domain::new("example.test").unwrap()),
            ..Enrichment::default()
        },
    })
}

/// Part 1: the detectors alone, on one thread.
fn detectors_alone() {
    let resolved = detect_config().resolve().unwrap();
    let mut d = Detectors::new(&resolved, vec!["192.0.2.0/24".parse().unwrap()]);
    let flows = 250_000u32;
    let mut inputs = Vec::with_capacity(flows as usize * 5);
    for f in 0..flows {
        inputs.push(DetectInput::Live(Arc::new(LiveEvent::FlowNew {
            flow: record(f, 0, FlowState::Open),
        })));
        for up in 1..=2 {
            inputs.push(DetectInput::Live(Arc::new(LiveEvent::FlowUpdate {
                flow: record(f, up, FlowState::Open),
            })));
        }
        inputs.push(DetectInput::Live(Arc::new(LiveEvent::FlowClosed {
            flow: record(f, 3, FlowState::Closed),
        })));
        if f.is_multiple_of(4) {
            let a = answer(f % DEVICES, f % 5_000);
            inputs.push(DetectInput::Dns(DnsSeen::from(&a)));
        }
    }
    let mut findings = Vec::new();
    let n = inputs.len();
    let now = Utc::now().timestamp_millis();
    let t = Instant::now();
    for (i, input) in inputs.iter().enumerate() {
        // The clock moves 1 ms every 50 inputs: 50,000 inputs a second.
        d.input(input, now + (i / 50) as i64, &mut findings);
    }
    let el = t.elapsed();
    println!(
        "detectors alone: {n} inputs in {:.2} s = {:.0} inputs/s on one thread ({} findings)",
        el.as_secs_f64(),
        n as f64 / el.as_secs_f64(),
        findings.len()
    );
}

struct Run {
    elapsed: Duration,
    events: usize,
    inputs: u64,
    dropped: u64,
    behind: Duration,
}

/// Parts 2 and 3: the correlator (with the detector task when `detect`) fed `flows` flows'
/// events and a quarter as many answers; `rate` paces the conntrack events (events/s).
fn pipeline(detect: bool, flows: u32, rate: Option<f64>) -> Run {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    let cfg = CorrelateConfig {
        lan: vec!["192.0.2.0/24".parse().unwrap()],
        ..Default::default()
    };
    let mut events = Vec::with_capacity(flows as usize * 5);
    let mut answers = Vec::with_capacity(flows as usize / 4);
    for f in 0..flows {
        flow_events(f, &mut events);
        if f.is_multiple_of(4) {
            answers.push(answer(f % DEVICES, f % 5_000));
        }
    }
    let n_events = events.len() + answers.len();
    rt.block_on(async move {
        let shutdown = CancellationToken::new();
        let state = Arc::new(RwLock::new(LiveState::new(&cfg, 1_000_000)));
        let (ev_tx, _keep) = broadcast::channel(4096);
        let started = detect.then(|| {
            whereflow::detect::start(
                &detect_config(),
                cfg.lan.clone(),
                (Vec::new(), 0),
                ev_tx.clone(),
                None,
                Arc::new(Status::default()),
                shutdown.clone(),
            )
            .unwrap()
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
        let task = tokio::spawn(correlate::run_with_detectors(
            cfg,
            dns_rx,
            ct_rx,
            out,
            started.as_ref().map(|s| s.sink.clone()),
            shutdown.clone(),
        ));
        let t = Instant::now();
        let per_answer = (events.len() / answers.len().max(1)).max(1);
        let mut answers = answers.into_iter();
        for (i, e) in events.into_iter().enumerate() {
            if i.is_multiple_of(per_answer) {
                if let Some(a) = answers.next() {
                    dns_tx.send(a).await.unwrap();
                }
            }
            ct_tx.send(e).await.unwrap();
            if let Some(rate) = rate {
                // Pace in 1 ms steps.
                if i.is_multiple_of(50) {
                    let due = Duration::from_secs_f64(i as f64 / rate);
                    if let Some(wait) = due.checked_sub(t.elapsed()) {
                        tokio::time::sleep(wait).await;
                    }
                }
            }
        }
        drop((dns_tx, ct_tx));
        task.await.unwrap();
        let elapsed = t.elapsed();
        let (mut inputs, mut dropped, mut behind) = (0, 0, Duration::ZERO);
        if let Some(s) = started {
            // Wait until the detectors have taken everything queued.
            let stats = s.handle.stats.clone();
            let mut last = u64::MAX;
            loop {
                let now = stats.inputs.load(Ordering::Relaxed);
                if now == last {
                    break;
                }
                last = now;
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
            behind = t
                .elapsed()
                .saturating_sub(elapsed + Duration::from_millis(50));
            inputs = stats.inputs.load(Ordering::Relaxed);
            dropped = stats.dropped.load(Ordering::Relaxed);
            shutdown.cancel();
            s.join(Duration::from_secs(2)).await;
        }
        Run {
            elapsed,
            events: n_events,
            inputs,
            dropped,
            behind,
        }
    })
}

/// Part 1b: DNS answers alone through the detectors (the DNS path's share of their work):
/// 20,000 names under one domain from 100 devices, as the DNS benchmark's (a) asks them.
fn answers_alone() {
    let resolved = detect_config().resolve().unwrap();
    let mut d = Detectors::new(&resolved, vec!["192.0.2.0/24".parse().unwrap()]);
    let inputs: Vec<DetectInput> = (0..1_000_000u32)
        .map(|i| {
            let a = DnsAnswer {
                qname: Domain::new(&format!("n{:05}.bench.test", i % 20_000)).unwrap(),
                ..answer(i % DEVICES, 0)
            };
            DetectInput::Dns(DnsSeen::from(&a))
        })
        .collect();
    let mut findings = Vec::new();
    let t = Instant::now();
    for input in &inputs {
        d.input(input, 0, &mut findings);
    }
    let el = t.elapsed();
    println!(
        "detectors alone, DNS answers: {} in {:.2} s = {:.0} answers/s on one thread ({:.0} ns each)",
        inputs.len(),
        el.as_secs_f64(),
        inputs.len() as f64 / el.as_secs_f64(),
        el.as_nanos() as f64 / inputs.len() as f64
    );
}

fn status_counter(d: &common::Daemon, lab: &Lab, key: &str) -> u64 {
    d.get(lab, "/api/v1/status")
        .ok()
        .and_then(|v| v["counters"][key].as_u64())
        .unwrap_or(0)
}

/// Part 4: the real daemon on the lab. A device opens 25,000 new UDP flows a second for 8 s
/// (each a NEW event, then a counter update from the next dump: ~50,000 conntrack events/s);
/// do the detectors take every flow?
fn daemon_flood() -> anyhow::Result<()> {
    const RATE: u32 = 25_000;
    const SECS: u32 = 8;
    let lab = Lab::build(LabOptions {
        devices: 1,
        zones: vec![],
    })?;
    let d = common::Daemon::start(&lab, "[conntrack]\nmax_flows = 400000\n")?;
    let before = status_counter(&d, &lab, "conntrack_messages");
    let t = Instant::now();
    lab.in_netns(&lab.devices()[0], move || -> std::io::Result<()> {
        let s = std::net::UdpSocket::bind("0.0.0.0:0")?;
        let start = Instant::now();
        for i in 0..RATE * SECS {
            let host = 1 + i % 250;
            let port = 1024 + (i / 250) as u16;
            let _ = s.send_to(&[0u8; 16], (Ipv4Addr::new(203, 0, 113, host as u8), port));
            if i % 250 == 0 {
                let due = Duration::from_secs_f64(f64::from(i) / f64::from(RATE));
                if let Some(wait) = due.checked_sub(start.elapsed()) {
                    std::thread::sleep(wait);
                }
            }
        }
        Ok(())
    })??;
    let sent = t.elapsed();
    // Let the reader, the next dumps and the detectors catch up.
    std::thread::sleep(Duration::from_secs(5));
    let messages = status_counter(&d, &lab, "conntrack_messages") - before;
    let refused = status_counter(&d, &lab, "conntrack_flows_refused");
    let overflows = status_counter(&d, &lab, "conntrack_overflows");
    let alerts = d.get(&lab, "/api/v1/alerts")?;
    println!(
        "daemon on the lab: {} new UDP flows in {:.1} s; conntrack messages read {messages} \
         ({:.0}/s over the sending time), overflows {overflows}, flows refused {refused}; \
         detectors: inputs {}, dropped {}, alerts {} ({})",
        RATE * SECS,
        sent.as_secs_f64(),
        messages as f64 / sent.as_secs_f64(),
        alerts["stats"]["inputs"],
        alerts["stats"]["dropped"],
        alerts["total"],
        alerts["alerts"]
            .as_array()
            .map(|a| a
                .iter()
                .map(|x| x["rule"].to_string())
                .collect::<Vec<_>>()
                .join(", "))
            .unwrap_or_default()
    );
    println!(
        "daemon peak RSS (VmHWM): {} KiB",
        std::fs::read_to_string(format!("/proc/{}/status", d.pid()))
            .unwrap_or_default()
            .lines()
            .find(|l| l.starts_with("VmHWM:"))
            .and_then(|l| l.split_whitespace().nth(1))
            .unwrap_or("?")
    );
    Ok(())
}

fn main() {
    detectors_alone();
    answers_alone();
    let flows = 100_000;
    for round in 1..=3 {
        let off = pipeline(false, flows, None);
        let on = pipeline(true, flows, None);
        let rate = |r: &Run| r.events as f64 / r.elapsed.as_secs_f64();
        println!(
            "round {round}: correlator alone {:.0} events/s; with detectors {:.0} events/s \
             ({:.0} %); detectors took {} inputs, dropped {}, finished {:?} after the correlator",
            rate(&off),
            rate(&on),
            100.0 * rate(&on) / rate(&off),
            on.inputs,
            on.dropped,
            on.behind
        );
    }
    // 50,000 conntrack events/s for 10 s (100,000 flows x 5 events).
    let paced = pipeline(true, 100_000, Some(50_000.0));
    println!(
        "paced at 50,000 conntrack events/s: {} events (and answers) in {:.2} s; detectors took \
         {} inputs, dropped {}, finished {:?} after the correlator",
        paced.events,
        paced.elapsed.as_secs_f64(),
        paced.inputs,
        paced.dropped,
        paced.behind
    );
    // SAFETY: geteuid has no preconditions.
    if unsafe { libc::geteuid() } != 0 {
        println!("daemon on the lab: skipped (needs root for the namespace lab)");
        return;
    }
    if let Err(e) = daemon_flood() {
        eprintln!("daemon flood benchmark failed: {e:#}");
        std::process::exit(1);
    }
}
