//! The sankey and the map on a cheap phone (issue 16): headless Chromium (npm `playwright-core`,
//! `web-templates/e2e/throttle.mjs`) with its CPU slowed 4 times (DevTools
//! `Emulation.setCPUThrottlingRate`), in a lab device's namespace, against the real daemon
//! holding 50 devices × 500 domains.
//!
//! The traffic is real and as cheap as it can be made: 50 lab devices (namespaces, the
//! lab's most expensive part, about 0.1 s each) each ask the daemon's DNS for the same 500
//! names (`s0.test` … `s499.test`, served by the lab's nsd, 500 distinct addresses in ranges
//! MaxMind's test databases place in four countries), then send one UDP datagram from one
//! socket to each of the 500 addresses, port 443 (a QUIC-like flow: the lab's echo server
//! answers it); conntrack sees 25,000 flows, the daemon names each by the device's own DNS
//! answer: 25,000 distinct device → domain paths. While the pages are open every device keeps
//! sending to 12 of its addresses every half second (all 500 every 21 s), so the counters move
//! and the live stream brings an update about every second (`conntrack.dump_interval_ms` =
//! 1000; faster than the 1.5 s below which the views do not animate). The view has 25,000
//! rows; the pages ask for it folded to what they draw (`fold=views`: the top websites and
//! companies, the rest summed per device and place, docs/API.md), so each gets a few thousand
//! rows at most that stand for all 25,000.
//!
//! Checked, on `/sankey` and `/map`, each at a phone's size (390 × 844): every update's render
//! (the page's own `wf-render` measure: graph, layout and drawing; the first render, with a
//! cold JIT, is reported beside them) within 100 ms, no long
//! task over 200 ms once the first render is done (the page stays responsive while updates
//! arrive), no console error, no request to another host. Animations: no update that came
//! under 1.4 s after the one before animates or finds a transition running (at least one
//! such update is needed); with `prefers-reduced-motion:
//! reduce` none ever does, while without it the first render does (so the check can fail).
//! The figures (p50, p95, max, the long tasks) are printed and saved with the screenshots in
//! `target/browser-throttle/`. Needs root, the built front end and `scripts/fetch-test-data.sh`.
//! Each page waits for 8 updates (5 with reduced motion), at most 45 s: the debug daemon
//! recomputes the 25,000-flow view every tick and on a busy machine sends updates 0.3–8 s
//! apart, and at least one must come fast.
//!
//! Figures: docs/BENCHMARKS.md, "The sankey and the map on a CPU-throttled phone (issue 16)".
//!
//! On this 2-core machine with nothing else running (2026-12-07, after the graph stopped
//! being built twice on the first update) it passed 5 runs of 5: sankey updates max 40–76 ms,
//! map max 18–29 ms, long tasks after the first render at most 101 ms. With other builds
//! beside it (load 6–10) it fails often, mostly because no update comes fast enough.

mod common;

use std::net::{Ipv4Addr, SocketAddr, UdpSocket};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use common::browser::{
    assert_clean_page, fresh_out_dir, internet_answers, node_script, report, test_db,
};
use common::Daemon;
use hickory_proto::rr::RecordType;
use whereflow_lab::{Lab, LabOptions, Zone};

const DEVICES: usize = 50;
const DOMAINS: usize = 500;
/// The UDP port of every flow.
const PORT: u16 = 443;

/// Domain `k`'s address: in Changchun (CN), 67.43.156.0/24, London (GB) or Linköping (SE) by
/// MaxMind's test databases.
fn address(k: usize) -> Ipv4Addr {
    match k {
        0..250 => Ipv4Addr::new(175, 16, 199, 1 + k as u8),
        250..450 => Ipv4Addr::new(67, 43, 156, 1 + (k - 250) as u8),
        450..478 => Ipv4Addr::new(81, 2, 69, 161 + (k - 450) as u8),
        _ => Ipv4Addr::new(89, 160, 20, 129 + (k - 478) as u8),
    }
}

/// The ranges the lab's internet answers for (on top of its own).
const RANGES: [&str; 4] = [
    "175.16.199.0/24",
    "67.43.156.0/24",
    "81.2.69.160/27",
    "89.160.20.128/25",
];

fn name(k: usize) -> String {
    format!("s{k}.test")
}

/// Datagram sizes differ by domain, so the paths differ in size as real ones do.
fn payload(k: usize) -> Vec<u8> {
    vec![0x5a; 60 + (k * 37) % 1100]
}

#[test]
fn sankey_and_map_on_a_cpu_throttled_phone_with_50_devices_and_500_domains() {
    let t0 = Instant::now();
    let zone = (0..DOMAINS).fold(Zone::new("test"), |z, k| {
        z.a(&format!("s{k}"), &address(k).to_string())
    });
    let lab = Lab::build(LabOptions {
        devices: DEVICES,
        zones: vec![zone],
    })
    .expect("building the lab (needs root)");
    for prefix in RANGES {
        internet_answers(&lab, prefix);
    }
    let _udp = lab.udp_server(PORT).expect("udp server");
    let built = t0.elapsed();
    // Counters read every second (an update about every second), no DNS rate limit for 500
    // questions a device in a few seconds.
    let extra = format!(
        "max_event_clients_per_device = 16\n\n\
         [enrich]\ngeo_dbs = [\"{}\"]\nasn_dbs = [\"{}\"]\n\n\
         [site]\nname = \"Lab classroom\"\nlatitude = 52.2053\nlongitude = 0.1218\n\n\
         [conntrack]\ndump_interval_ms = 1000\n",
        test_db("GeoIP2-City-Test.mmdb").display(),
        test_db("GeoLite2-ASN-Test.mmdb").display()
    );
    let d =
        Daemon::start_with_dns(&lab, "max_answers_per_client_per_sec = 0", &extra).expect("daemon");

    // Every device: the 500 names from the daemon's DNS, then a datagram to each address;
    // then it keeps sending to 12 of them every half second until `stop` (each address every
    // 21 s: within UDP's 30 s conntrack timeout, so no flow closes).
    let stop = Arc::new(AtomicBool::new(false));
    let (ready_tx, ready_rx) = std::sync::mpsc::channel::<Result<usize, String>>();
    let mut senders = Vec::new();
    for host in lab.devices() {
        let netns = host.netns.clone();
        let stop = stop.clone();
        let ready = ready_tx.clone();
        senders.push(std::thread::spawn(move || {
            whereflow_lab::in_netns(&netns, move || {
                let dns: SocketAddr = "192.0.2.1:53".parse().expect("addr");
                let mut named = 0;
                for k in 0..DOMAINS {
                    let r = whereflow_lab::query(
                        dns,
                        &name(k),
                        RecordType::A,
                        false,
                        Duration::from_secs(3),
                    );
                    match r {
                        Ok(r) if r.addresses().contains(&address(k).into()) => named += 1,
                        other => {
                            let _ = ready.send(Err(format!("{}: {other:?}", name(k))));
                            return;
                        }
                    }
                }
                let sock = match UdpSocket::bind("0.0.0.0:0") {
                    Ok(s) => s,
                    Err(e) => {
                        let _ = ready.send(Err(format!("bind: {e}")));
                        return;
                    }
                };
                let _ = sock.set_nonblocking(true);
                let mut buf = [0u8; 2048];
                let drain = |s: &UdpSocket, buf: &mut [u8]| while s.recv(buf).is_ok() {};
                for k in 0..DOMAINS {
                    let _ = sock.send_to(&payload(k), (address(k), PORT));
                    if k % 50 == 49 {
                        drain(&sock, &mut buf);
                        std::thread::sleep(Duration::from_millis(2));
                    }
                }
                let _ = ready.send(Ok(named));
                let mut next = 0;
                while !stop.load(Ordering::Relaxed) {
                    std::thread::sleep(Duration::from_millis(500));
                    drain(&sock, &mut buf);
                    for _ in 0..12 {
                        let _ = sock.send_to(&payload(next), (address(next), PORT));
                        next = (next + 1) % DOMAINS;
                    }
                }
            })
        }));
    }
    drop(ready_tx);
    let mut named = 0;
    for _ in 0..DEVICES {
        match ready_rx.recv_timeout(Duration::from_secs(60)) {
            Ok(Ok(n)) => named += n,
            Ok(Err(e)) => panic!("a device's traffic failed: {e}\n{}", d.log()),
            Err(e) => panic!("the devices' traffic did not start: {e}"),
        }
    }
    assert_eq!(named, DEVICES * DOMAINS, "DNS answers");
    let sent = t0.elapsed();

    // The daemon holds them all: 25,000 flows, and the view of the last 5 minutes has the
    // 20,000 largest paths of more.
    let deadline = Instant::now() + Duration::from_secs(60);
    let (flows, rows, distinct) = loop {
        let flows = d
            .get(&lab, "/api/v1/flows?limit=1")
            .map(|v| v["total"].as_u64().unwrap_or(0))
            .unwrap_or(0);
        if flows >= (DEVICES * DOMAINS) as u64 {
            let v = d.get(&lab, "/api/v1/paths?window=300").expect("paths");
            let paths = v["paths"].as_array().cloned().unwrap_or_default();
            let distinct: std::collections::HashSet<(String, String)> = paths
                .iter()
                .filter(|p| p["domain"].as_str().is_some_and(|s| s.ends_with(".test")))
                .map(|p| (p["device"].to_string(), p["domain"].to_string()))
                .collect();
            if v["truncated"] == true && distinct.len() >= 20_000 {
                break (flows, paths.len(), distinct.len());
            }
        }
        assert!(
            Instant::now() < deadline,
            "the daemon has {flows} flows of {}\n{}",
            DEVICES * DOMAINS,
            d.log()
        );
        std::thread::sleep(Duration::from_millis(500));
    };
    let held = t0.elapsed();
    eprintln!(
        "lab of {DEVICES} devices in {built:?}; {named} names and datagrams sent by {sent:?}; \
         daemon holds {flows} flows, the view {rows} rows ({distinct} distinct device → \
         domain paths) by {held:?}"
    );

    let out = fresh_out_dir("browser-throttle");
    let run = node_script(&lab, &lab.devices()[0], "throttle.mjs")
        .args(["--base", "http://192.0.2.1:8080", "--rate", "4"])
        .args(["--updates", "8", "--wait-ms", "45000"])
        .arg("--out")
        .arg(&out)
        .output()
        .expect("running node (scripts/install-deps.sh installs it)");
    stop.store(true, Ordering::Relaxed);
    for s in senders {
        let _ = s.join();
    }
    let report = report(&run, &d, &out);

    let runs = report["runs"].as_array().expect("runs");
    assert_eq!(
        runs.len(),
        4,
        "sankey and map, with and without reduced motion"
    );
    for r in runs {
        eprintln!(
            "{} reduced motion {}: first render {} ms; updates' renders {}; long tasks after \
             the first render (ms) {:?}",
            r["route"],
            r["reduced_motion"],
            r["renders"][0]["ms"],
            r["update_render_ms"],
            r["long_tasks_after_first_render"]
                .as_array()
                .map(|a| a.iter().map(|t| t["duration"].clone()).collect::<Vec<_>>())
                .unwrap_or_default()
        );
    }
    for r in runs {
        let what = format!(
            "{} (reduced motion: {})",
            r["route"].as_str().unwrap_or(""),
            r["reduced_motion"]
        );
        assert_clean_page(r, &what);
        assert_eq!(r["throttle_rate"], 4, "{what}: CPU throttling");
        let renders = r["renders"].as_array().expect("renders");
        assert!(
            renders.len() >= 3,
            "{what}: only {} renders (updates did not arrive): {r}",
            renders.len()
        );
        // Every update drew the whole view (its 25,000 rows, folded by the server: `paths`
        // is what the rows stand for, `rows` what the page received).
        let paths = renders
            .iter()
            .map(|x| x["paths"].as_u64().unwrap_or(0))
            .max()
            .unwrap_or(0);
        assert!(
            paths >= 20_000,
            "{what}: renders stood for at most {paths} rows"
        );
        let rows = renders
            .iter()
            .map(|x| x["rows"].as_u64().unwrap_or(u64::MAX))
            .max()
            .unwrap_or(u64::MAX);
        assert!(
            rows <= 2_000,
            "{what}: the page received {rows} rows (folded: at most a few thousand)"
        );
        // Every update's render (the first render, the page's first paint of the data with a
        // cold JIT, is reported beside it).
        let max = r["update_render_ms"]["max"].as_f64().expect("max");
        assert!(
            max <= 100.0,
            "{what}: an update's render took {max} ms at 4x CPU throttling (target ≤ 100): \
             updates {}, first {} ms",
            r["update_render_ms"],
            r["renders"][0]["ms"]
        );
        let long: Vec<f64> = r["long_tasks_after_first_render"]
            .as_array()
            .map(|a| a.iter().filter_map(|t| t["duration"].as_f64()).collect())
            .unwrap_or_default();
        assert!(
            long.iter().all(|&ms| ms <= 200.0),
            "{what}: long tasks while updates arrived {long:?} (target none over 200 ms)"
        );
        // The updates that came fast (under 1.4 s apart): none animated, no transition ran.
        assert!(
            r["fast_updates"].as_u64().unwrap_or(0) >= 1,
            "{what}: no update came fast: gaps {}",
            r["gaps_ms"]
        );
        assert_eq!(
            r["fast_animated"], 0,
            "{what}: updates animated on a fast stream: {r}"
        );
        assert_eq!(
            r["fast_transitions"], 0,
            "{what}: transitions running on a fast stream: {r}"
        );
        if r["reduced_motion"] == true {
            assert_eq!(r["animated_renders"], 0, "{what}: animated: {r}");
            assert_eq!(r["animating_seen"], false, "{what}: data-animating: {r}");
        } else {
            // Without reduced motion the first render fades the chart in (grows the map's
            // circles): the checks above can tell.
            assert_eq!(
                r["renders"][0]["animated"], true,
                "{what}: the first render did not animate: {r}"
            );
            assert_eq!(r["animating_seen"], true, "{what}: {r}");
        }
    }
    eprintln!("test wall time {:?}", t0.elapsed());
}
