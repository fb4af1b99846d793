//! Pipeline benchmark: correlator throughput (in-process) and the daemon's memory with 100
//! devices and 10,000 live flows (real daemon on the namespace lab; needs root).
//!
//! Run: `cargo bench -p whereflow --bench pipeline` (as root for the memory part).
//! Prints figures; record them in docs/BENCHMARKS.md.

#[path = "../tests/common/mod.rs"]
mod common;

mod fixtures;

use fixtures::{answer, device, remote};
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::Utc;
use hickory_proto::rr::RecordType;
use parking_lot::RwLock;
use tokio::sync::{broadcast, mpsc};
use tokio_util::sync::CancellationToken;
use whereflow::config::CorrelateConfig;
use whereflow::conntrack::{ConntrackEvent, Counters, FlowSnapshot, FlowTuple};
use whereflow::correlate::{self, LiveState};
use whereflow::model::{FlowKey, Proto};
use whereflow_lab::{Lab, LabOptions, Zone};

const DEVICES: u32 = 100;
const FLOWS_PER_DEVICE: u32 = 100;

/// Answers then flows (new, two counter updates, close) through `correlate::run`.
fn correlator_throughput() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    let cfg = CorrelateConfig {
        lan: vec!["192.0.2.0/24".parse().unwrap()],
        ..Default::default()
    };
    let flows = DEVICES * FLOWS_PER_DEVICE * 10;
    let mut answers = Vec::new();
    for d in 0..DEVICES {
        for n in 0..250 {
            answers.push(answer(d, n));
        }
    }
    let started = Utc::now() + chrono::Duration::seconds(1);
    let mut events = Vec::new();
    for f in 0..flows {
        let snap = |counters| FlowSnapshot {
            key: FlowKey { id: f, start_ns: 1 },
            tuple: FlowTuple {
                proto: Proto::Tcp,
                src: device(f % DEVICES),
                dst: remote(f / DEVICES),
                src_port: (f % 60_000) as u16,
                dst_port: 443,
            },
            counters,
            started,
        };
        let c = |b| {
            Some(Counters {
                packets_orig: b,
                bytes_orig: b * 100,
                packets_reply: b,
                bytes_reply: b * 1000,
            })
        };
        events.push(ConntrackEvent::Seen(snap(None)));
        events.push(ConntrackEvent::Seen(snap(c(1))));
        events.push(ConntrackEvent::Seen(snap(c(2))));
        events.push(ConntrackEvent::Closed(snap(c(3))));
    }
    let total = answers.len() + events.len();
    let state = Arc::new(RwLock::new(LiveState::new(&cfg, 1_000_000)));
    let (ev_tx, _keep) = broadcast::channel(4096);
    let t = rt.block_on(async move {
        let (dns_tx, dns_rx) = mpsc::channel(65_536);
        let (ct_tx, ct_rx) = mpsc::channel(16_384);
        let out = correlate::Outputs {
            state,
            events: ev_tx,
            // Built-in domain lists, no geo/AS files: the correlator's own cost plus list lookups.
            enricher: Arc::new(whereflow::enrich::Enricher::without_data()),
            store: None,
            devices: None,
        };
        let task = tokio::spawn(correlate::run(
            cfg,
            dns_rx,
            ct_rx,
            out,
            CancellationToken::new(),
        ));
        let start = Instant::now();
        for a in answers {
            dns_tx.send(a).await.unwrap();
        }
        for e in events {
            ct_tx.send(e).await.unwrap();
        }
        drop((dns_tx, ct_tx));
        task.await.unwrap();
        start.elapsed()
    });
    println!(
        "correlator: {total} events ({} answers, {flows} flows x 4 events) in {:.2} s = {:.0} events/s",
        DEVICES * 250,
        t.as_secs_f64(),
        total as f64 / t.as_secs_f64()
    );
}

fn proc_status_kb(pid: u32, key: &str) -> u64 {
    let text = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    text.lines()
        .find(|l| l.starts_with(key))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}

/// The real daemon on a lab with 100 devices, each resolving names and keeping 100 flows.
fn daemon_memory() -> anyhow::Result<()> {
    let mut zone = Zone::new("example.test");
    for n in 0..FLOWS_PER_DEVICE {
        zone = zone.a(&format!("n{n}"), &format!("203.0.113.{}", 1 + n % 250));
    }
    let t = Instant::now();
    let lab = Lab::build(LabOptions {
        devices: DEVICES as usize,
        zones: vec![zone],
    })?;
    println!(
        "lab with {DEVICES} devices built in {:.1} s",
        t.elapsed().as_secs_f64()
    );
    let _udp = lab.udp_server(9000)?;
    let d = common::Daemon::start(&lab, "")?;
    let idle_kb = proc_status_kb(d.pid(), "VmRSS:");
    let server = "192.0.2.1:53".parse()?;
    let t = Instant::now();
    for i in 0..DEVICES as usize {
        for n in 0..FLOWS_PER_DEVICE {
            lab.query(
                i,
                server,
                &format!("n{n}.example.test."),
                RecordType::A,
                false,
            )?;
        }
        // One socket per flow: 100 flows from this device, to the names it resolved.
        lab.in_netns(&lab.devices()[i], move || -> std::io::Result<()> {
            for n in 0..FLOWS_PER_DEVICE {
                let s = std::net::UdpSocket::bind("0.0.0.0:0")?;
                s.send_to(
                    &[0u8; 64],
                    (format!("203.0.113.{}", 1 + n % 250).as_str(), 9000),
                )?;
            }
            Ok(())
        })??;
    }
    println!(
        "{} DNS answers and {} flows generated in {:.1} s",
        DEVICES * FLOWS_PER_DEVICE,
        DEVICES * FLOWS_PER_DEVICE,
        t.elapsed().as_secs_f64()
    );
    let want = u64::from(DEVICES * FLOWS_PER_DEVICE);
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let s = d.get(&lab, "/api/v1/status")?;
        let open = s["flows_open"].as_u64().unwrap_or(0);
        if open >= want {
            // Let a few periodic dumps run at full size before reading the peak.
            std::thread::sleep(Duration::from_secs(5));
            let before_api = proc_status_kb(d.pid(), "VmHWM:");
            let flows = d.flows(&lab)?;
            let named = flows.iter().filter(|f| !f["domain"].is_null()).count();
            println!(
                "peak before listing the flows through the API: {before_api} KiB; the listing is {} KiB of JSON",
                serde_json::to_vec(&flows)?.len() / 1024
            );
            let st = d.get(&lab, "/api/v1/status")?;
            println!("history writer: {}", st["history"]);
            println!(
                "daemon with {DEVICES} devices and {open} live flows ({named} named): \
                 VmRSS idle {} KiB, now {} KiB, peak (VmHWM) {} KiB; RssAnon {} KiB",
                idle_kb,
                proc_status_kb(d.pid(), "VmRSS:"),
                proc_status_kb(d.pid(), "VmHWM:"),
                proc_status_kb(d.pid(), "RssAnon:")
            );
            return Ok(());
        }
        if Instant::now() > deadline {
            anyhow::bail!("only {open} of {want} flows open after 30 s: {s}");
        }
        std::thread::sleep(Duration::from_millis(200));
    }
}

fn main() {
    // `cargo bench` passes --bench; `cargo test --benches` passes nothing and expects speed.
    correlator_throughput();
    if unsafe { libc::geteuid() } != 0 {
        println!("daemon memory: skipped (needs root for the namespace lab)");
        return;
    }
    if let Err(e) = daemon_memory() {
        eprintln!("daemon memory benchmark failed: {e:#}");
        std::process::exit(1);
    }
}
