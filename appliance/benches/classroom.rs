//! A classroom on the lab (issue 16): `DEVICES` devices browsing (each, every second, a DNS
//! look-up and a short connection to one of its usual sites) and `VIEWERS` phones watching
//! the live views, speaking the views' real protocol: the page (`/sankey` or `/map`, and the
//! map's `/api/v1/site`), then the event stream `/api/v1/events?paths=300&fold=bytes` (`FOLD=0`:
//! without `fold`, as before the server folded the views' rows), whose `paths` / `paths_delta`
//! events are all they read. Run by `bench/classroom.sh` (as root: the lab). Folded, a probe's
//! website (one small connection) is in the view by name only while the view has at most 40
//! websites; after that a viewer has it when the view's `paths_total` (its rows before
//! folding, in every `paths` and `paths_delta` event) counts it: the class's own paths are
//! counted once after the warm-up (`base`), and probe k (the k-th new path since) is there
//! when `paths_total` > base + k. The class browses only its usual sites, so no other path
//! is new; a path leaving the window would only make a probe look later, never earlier.
//!
//! Phases of `SECONDS` each: no viewer; the viewers; and (`LEGACY=1`, the default) the same
//! viewers speaking the protocol before issue 16 (the plain event stream, re-reading
//! `/api/v1/paths?window=300` 120 ms after a new flow and 400 ms after other flow events, at
//! most every 600 ms, as `lib/live.js` did). For each it prints the daemon's CPU (% of one
//! core, from `/proc/<pid>/stat`), the machine's load, and with viewers: the time from a new
//! connection (a probe: a device's first look-up and connection to a new site, every 2 s) to
//! every viewer having it (p50/p95/max), bytes received per viewer per minute. Peak RSS is
//! the daemon's `VmHWM` at the end.

#[path = "../tests/common/mod.rs"]
mod common;

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use common::sse::{Opened, SseStream};
use common::Daemon;
use hickory_proto::rr::RecordType;
use whereflow_lab::{Lab, LabOptions, Zone};

const WEB: &str = "192.0.2.1:8080";
const SITES: usize = 40;
const SITES_PER_DEVICE: usize = 12;
const PROBES: usize = 1_000;
const PROBE_EVERY: Duration = Duration::from_secs(2);

fn env(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// The daemon's CPU seconds so far (user + system).
fn cpu_secs(pid: u32) -> f64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    // Fields after the command name (which may hold spaces): state is field 3.
    let rest = stat.rsplit_once(')').map(|(_, r)| r).unwrap_or("");
    let f: Vec<&str> = rest.split_whitespace().collect();
    let ticks = |i: usize| f.get(i).and_then(|v| v.parse::<f64>().ok()).unwrap_or(0.0);
    // utime and stime are fields 14 and 15 (1-based), i.e. 11 and 12 after the state, in
    // USER_HZ ticks (100 a second on Linux).
    (ticks(11) + ticks(12)) / 100.0
}

fn peak_rss_kib(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .unwrap_or_default()
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.split_whitespace().next()?.parse().ok())
        .unwrap_or(0)
}

fn loadavg() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .unwrap_or_default()
        .split_whitespace()
        .take(3)
        .collect::<Vec<_>>()
        .join(" ")
}

/// When each probe was made, and when each viewer first had it.
#[derive(Default)]
struct Probes {
    made: Mutex<HashMap<usize, Instant>>,
    /// (viewer, probe) → first seen.
    seen: Mutex<HashMap<(usize, usize), Instant>>,
    /// Folded streams: the view's paths before the first probe (see the module's doc).
    base: Option<usize>,
}

/// The `"paths_total"` of a folded `paths` / `paths_delta` event or `/api/v1/paths` body.
fn paths_total(text: &str) -> Option<usize> {
    const TAG: &str = "\"paths_total\":";
    let at = text.find(TAG)? + TAG.len();
    let digits: String = text[at..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    digits.parse().ok()
}

impl Probes {
    /// Note the probes `text` names (`"domain":"probe<k>.test"`) or counts (its
    /// `paths_total` past `base`), seen by `viewer` now.
    fn note(&self, viewer: usize, text: &str) {
        const TAG: &str = "\"domain\":\"probe";
        let now = Instant::now();
        // The same order as `delays`: made, then seen.
        let made = self.made.lock().expect("lock");
        let mut seen = self.seen.lock().expect("lock");
        if let (Some(base), Some(total)) = (self.base, paths_total(text)) {
            for k in made.keys().filter(|k| base + **k < total) {
                seen.entry((viewer, *k)).or_insert(now);
            }
        }
        for (at, _) in text.match_indices(TAG) {
            let digits: String = text[at + TAG.len()..]
                .chars()
                .take_while(char::is_ascii_digit)
                .collect();
            if let Ok(k) = digits.parse() {
                seen.entry((viewer, k)).or_insert(now);
            }
        }
    }

    /// Per probe made at least `settle` ago: the time until the last of `viewers` that
    /// `sees(viewer, probe)` had it (`None`: some viewer never did).
    fn delays(
        &self,
        viewers: usize,
        settle: Duration,
        sees: impl Fn(usize, usize) -> bool,
    ) -> Vec<Option<Duration>> {
        let made = self.made.lock().expect("lock");
        let seen = self.seen.lock().expect("lock");
        made.iter()
            .filter(|(_, t)| t.elapsed() >= settle)
            .map(|(k, t0)| {
                (0..viewers)
                    .filter(|v| sees(*v, *k))
                    .map(|v| seen.get(&(v, *k)).map(|t| t.saturating_duration_since(*t0)))
                    .try_fold(Duration::ZERO, |m, d| d.map(|d| m.max(d)))
            })
            .collect()
    }
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

/// A plain GET from `dev`'s namespace: the body's length and text.
fn get(lab: &Lab, dev: usize, path: &str) -> Option<String> {
    let path = path.to_owned();
    lab.in_netns(&lab.devices()[dev], move || common::http_get(WEB, &path))
        .ok()?
        .ok()
        .map(|(_, body)| body)
}

/// One viewer of the live views (new protocol) until `stop`.
fn viewer(lab: &Lab, v: usize, dev: usize, probes: &Probes, bytes: &AtomicU64, stop: &AtomicBool) {
    let page = if v.is_multiple_of(2) {
        "/sankey"
    } else {
        "/map"
    };
    if let Some(b) = get(lab, dev, page) {
        bytes.fetch_add(b.len() as u64, Ordering::Relaxed);
    }
    if page == "/map" {
        if let Some(b) = get(lab, dev, "/api/v1/site") {
            bytes.fetch_add(b.len() as u64, Ordering::Relaxed);
        }
    }
    // As the pages ask since the server folds their rows (`FOLD=0`: as they asked before).
    let path = if env("FOLD", 1) == 1 {
        "/api/v1/events?paths=300&fold=bytes"
    } else {
        "/api/v1/events?paths=300"
    };
    let opened = lab.in_netns(&lab.devices()[dev], || SseStream::open(WEB, path));
    let mut s = match opened {
        Ok(Ok(Opened::Stream(s))) => s,
        Ok(Ok(Opened::Refused(code, body))) => {
            eprintln!("viewer {v}: refused {code} {body}");
            return;
        }
        _ => {
            eprintln!("viewer {v}: cannot connect");
            return;
        }
    };
    let mut counted = 0;
    while !stop.load(Ordering::Relaxed) {
        match s.next(Duration::from_millis(200)) {
            Ok(Some(ev)) => probes.note(v, &ev.data),
            Ok(None) => {}
            Err(e) => {
                eprintln!("viewer {v}: {e}");
                return;
            }
        }
        bytes.fetch_add((s.received - counted) as u64, Ordering::Relaxed);
        counted = s.received;
    }
}

/// One viewer speaking the protocol before issue 16 until `stop`.
fn legacy_viewer(
    lab: &Lab,
    v: usize,
    dev: usize,
    probes: &Probes,
    bytes: &AtomicU64,
    stop: &AtomicBool,
) {
    let opened = lab.in_netns(&lab.devices()[dev], || {
        SseStream::open(WEB, "/api/v1/events")
    });
    let Ok(Ok(Opened::Stream(mut s))) = opened else {
        eprintln!("legacy viewer {v}: no stream");
        return;
    };
    let mut counted = 0;
    let mut due: Option<Instant> = None;
    let mut last_read = Instant::now() - Duration::from_secs(10);
    while !stop.load(Ordering::Relaxed) {
        if let Ok(Some(ev)) = s.next(Duration::from_millis(20)) {
            let delay = match ev.name.as_str() {
                "flow_new" => Some(Duration::from_millis(120)),
                "flow_update" | "flow_closed" | "changed" | "lagged" => {
                    Some(Duration::from_millis(400))
                }
                _ => None,
            };
            if let Some(d) = delay {
                let at = (Instant::now() + d).max(last_read + Duration::from_millis(600));
                due = Some(due.map_or(at, |t| t.min(at)));
            }
        }
        bytes.fetch_add((s.received - counted) as u64, Ordering::Relaxed);
        counted = s.received;
        if due.is_some_and(|t| Instant::now() >= t)
            || last_read.elapsed() >= Duration::from_secs(10)
        {
            due = None;
            last_read = Instant::now();
            if let Some(body) = get(lab, dev, "/api/v1/paths?window=300") {
                bytes.fetch_add(body.len() as u64, Ordering::Relaxed);
                probes.note(v, &body);
            }
        }
    }
}

struct Phase {
    name: &'static str,
    cpu_pct: f64,
    load: String,
    viewers: usize,
    per_viewer_per_min: f64,
    delays: Vec<Option<Duration>>,
}

fn main() -> anyhow::Result<()> {
    whereflow_lab::require_root()?;
    let devices = env("DEVICES", 30) as usize;
    let viewers = env("VIEWERS", 60) as usize;
    let seconds = env("SECONDS", 60);
    let legacy = env("LEGACY", 1) == 1;
    // PRIVACY=1: `web.privacy_mode`, every device its own view (one feed per device).
    let privacy = env("PRIVACY", 0) == 1;
    let mut zone = Zone::new("test");
    for i in 0..SITES {
        zone = zone.a(&format!("site{i}"), &format!("203.0.113.{}", 10 + i));
    }
    for k in 0..PROBES {
        zone = zone.a(&format!("probe{k}"), "203.0.113.200");
    }
    let lab = Lab::build(LabOptions {
        devices,
        zones: vec![zone],
    })?;
    let _tcp = lab.tcp_server(443)?;
    let daemon = Daemon::start(&lab, if privacy { "privacy_mode = true\n" } else { "" })?;
    let pid = daemon.pid();
    println!(
        "classroom: {devices} devices browsing, {viewers} viewers, {seconds} s per phase, \
         privacy mode {privacy}; {} CPUs; load at start {}",
        std::thread::available_parallelism().map_or(0, |n| n.get()),
        loadavg()
    );
    let probes_next = AtomicU64::new(0);
    let stop_all = AtomicBool::new(false);
    let mut phases = Vec::new();
    std::thread::scope(|scope| -> anyhow::Result<()> {
        // The class browses for the whole run.
        for dev in 0..devices {
            let (lab, stop) = (&lab, &stop_all);
            scope.spawn(move || {
                let mut j = 0usize;
                while !stop.load(Ordering::Relaxed) {
                    let t = Instant::now();
                    let site = (dev * 7 + j % SITES_PER_DEVICE) % SITES;
                    j += 1;
                    let _ = lab.query(
                        dev,
                        "192.0.2.1:53".parse().expect("addr"),
                        &format!("site{site}.test."),
                        RecordType::A,
                        false,
                    );
                    let _ = lab.tcp_exchange(
                        dev,
                        format!("203.0.113.{}:443", 10 + site)
                            .parse()
                            .expect("addr"),
                        500,
                        20_000,
                    );
                    std::thread::sleep(Duration::from_secs(1).saturating_sub(t.elapsed()));
                }
            });
        }
        // Warm up: every device's sites in the window.
        std::thread::sleep(Duration::from_secs(15));
        // Folded (and not private: a private feed counts one device's paths), the class's
        // paths before the first probe.
        let base = if env("FOLD", 1) == 1 && !privacy {
            get(&lab, 0, "/api/v1/paths?window=300&fold=bytes").and_then(|b| paths_total(&b))
        } else {
            None
        };
        println!(
            "paths in the view before the first probe: {base:?} (the class's usual sites: {})",
            devices * SITES_PER_DEVICE
        );
        let plan: Vec<(&'static str, usize)> = if legacy {
            vec![("none", 0), ("live views", viewers), ("legacy", viewers)]
        } else {
            vec![("none", 0), ("live views", viewers)]
        };
        for (name, v) in plan {
            let probes = Probes {
                base,
                ..Probes::default()
            };
            let bytes = AtomicU64::new(0);
            let stop = AtomicBool::new(false);
            std::thread::scope(|inner| {
                for i in 0..v {
                    let (lab, probes, bytes, stop) = (&lab, &probes, &bytes, &stop);
                    let dev = i % devices;
                    inner.spawn(move || {
                        if name == "legacy" {
                            legacy_viewer(lab, i, dev, probes, bytes, stop);
                        } else {
                            viewer(lab, i, dev, probes, bytes, stop);
                        }
                    });
                }
                // Let the viewers connect and settle.
                std::thread::sleep(Duration::from_secs(3));
                let bytes0 = bytes.load(Ordering::Relaxed);
                let cpu0 = cpu_secs(pid);
                let t0 = Instant::now();
                let load_before = loadavg();
                // Probes: a device's first connection to a new site, every 2 s.
                while t0.elapsed() < Duration::from_secs(seconds) {
                    let k = probes_next.fetch_add(1, Ordering::Relaxed) as usize % PROBES;
                    let dev = k % devices;
                    let _ = lab.query(
                        dev,
                        "192.0.2.1:53".parse().expect("addr"),
                        &format!("probe{k}.test."),
                        RecordType::A,
                        false,
                    );
                    probes.made.lock().expect("lock").insert(k, Instant::now());
                    let _ = lab.tcp_exchange(
                        dev,
                        "203.0.113.200:443".parse().expect("addr"),
                        200,
                        2_000,
                    );
                    std::thread::sleep(PROBE_EVERY);
                }
                let wall = t0.elapsed().as_secs_f64();
                let cpu = cpu_secs(pid) - cpu0;
                let got = bytes.load(Ordering::Relaxed) - bytes0;
                // The last probes get a moment to arrive.
                std::thread::sleep(Duration::from_secs(3));
                // In privacy mode a viewer sees only its own device's probes.
                let delays = probes.delays(v, Duration::from_secs(3), |viewer, probe| {
                    !privacy || viewer % devices == probe % devices
                });
                stop.store(true, Ordering::Relaxed);
                phases.push(Phase {
                    name,
                    cpu_pct: cpu / wall * 100.0,
                    load: format!("{load_before} → {}", loadavg()),
                    viewers: v,
                    per_viewer_per_min: if v == 0 {
                        0.0
                    } else {
                        got as f64 / v as f64 / (wall / 60.0)
                    },
                    delays,
                });
            });
        }
        stop_all.store(true, Ordering::Relaxed);
        Ok(())
    })?;
    let rss = peak_rss_kib(pid);
    let base = phases.first().map_or(0.0, |p| p.cpu_pct);
    println!(
        "| phase | viewers | daemon CPU (% of a core) | added by viewers | new connection → every viewer p50 / p95 / max (probes, missed) | bytes per viewer per minute | load 1/5/15 min (before → after) |"
    );
    println!("|---|---|---|---|---|---|---|");
    for p in &phases {
        let mut got: Vec<Duration> = p.delays.iter().flatten().copied().collect();
        got.sort();
        let missed = p.delays.iter().filter(|d| d.is_none()).count();
        let lat = if p.viewers == 0 {
            "—".to_string()
        } else {
            format!(
                "{:.2} / {:.2} / {:.2} s ({}, {missed})",
                percentile(&got, 0.5).as_secs_f64(),
                percentile(&got, 0.95).as_secs_f64(),
                got.last().copied().unwrap_or_default().as_secs_f64(),
                p.delays.len()
            )
        };
        println!(
            "| {} | {} | {:.1} | {:+.1} | {lat} | {:.0} KB | {} |",
            p.name,
            p.viewers,
            p.cpu_pct,
            p.cpu_pct - base,
            p.per_viewer_per_min / 1000.0,
            p.load
        );
    }
    println!("daemon peak RSS (VmHWM): {:.1} MB", rss as f64 / 1024.0);
    drop(daemon);
    Ok(())
}
