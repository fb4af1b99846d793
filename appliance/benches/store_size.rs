//! History store at classroom scale: 1,000,000 flows from 100 devices with realistic names
//! and full enrichment (plus one DNS answer per four flows) through the real writer thread;
//! then the database's size, bytes per flow, the insert rate, reading it all back for an
//! export, the per-host report, and what the size cap does (time, rows deleted, space given
//! back).
//!
//! Run: `cargo bench -p whereflow --bench store_size` (`-- 200000` for fewer flows).
//! Prints figures; record them in docs/BENCHMARKS.md.

use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::Utc;
use whereflow::model::{
    Category, DeviceId, DnsLogEntry, Domain, Enrichment, FlowKey, FlowRecord, FlowState, Proto,
};
use whereflow::store::{RetentionPolicy, Store, StoreOp, StoreWriter, WriterConfig};

const DEVICES: u32 = 100;

/// (host prefix, registrable domain, organization, category, tracker, AS, AS name, country,
/// city, lat, lon): the kind of places phones talk to.
type Site = (
    &'static str,
    &'static str,
    &'static str,
    Category,
    bool,
    u32,
    &'static str,
    &'static str,
    &'static str,
    f64,
    f64,
);

const SITES: &[Site] = &[
    (
        "www",
        "google.com",
        "Google",
        Category::Platform,
        false,
        15169,
        "GOOGLE",
        "US",
        "Mountain View",
        37.42,
        -122.08,
    ),
    (
        "fonts",
        "gstatic.com",
        "Google",
        Category::Cdn,
        false,
        15169,
        "GOOGLE",
        "NL",
        "Groningen",
        53.22,
        6.57,
    ),
    (
        "rr3---sn-4g5e6nzz",
        "googlevideo.com",
        "YouTube",
        Category::Video,
        false,
        15169,
        "GOOGLE",
        "DE",
        "Frankfurt am Main",
        50.11,
        8.68,
    ),
    (
        "securepubads.g",
        "doubleclick.net",
        "Google Ads",
        Category::Advertising,
        true,
        15169,
        "GOOGLE",
        "US",
        "Council Bluffs",
        41.26,
        -95.86,
    ),
    (
        "firebaseinstallations",
        "googleapis.com",
        "Google",
        Category::Platform,
        false,
        15169,
        "GOOGLE",
        "BE",
        "Brussels",
        50.85,
        4.35,
    ),
    (
        "graph",
        "facebook.com",
        "Meta",
        Category::Social,
        true,
        32934,
        "FACEBOOK",
        "IE",
        "Dublin",
        53.35,
        -6.26,
    ),
    (
        "scontent-ams2-1.xx",
        "fbcdn.net",
        "Meta",
        Category::Cdn,
        false,
        32934,
        "FACEBOOK",
        "NL",
        "Amsterdam",
        52.37,
        4.89,
    ),
    (
        "i",
        "instagram.com",
        "Meta",
        Category::Social,
        false,
        32934,
        "FACEBOOK",
        "NL",
        "Amsterdam",
        52.37,
        4.89,
    ),
    (
        "mmg",
        "whatsapp.net",
        "Meta",
        Category::Social,
        false,
        32934,
        "FACEBOOK",
        "DE",
        "Frankfurt am Main",
        50.11,
        8.68,
    ),
    (
        "gateway.icloud",
        "apple.com",
        "Apple",
        Category::Platform,
        false,
        714,
        "APPLE-ENGINEERING",
        "US",
        "Cupertino",
        37.32,
        -122.03,
    ),
    (
        "p45-caldav",
        "icloud.com",
        "Apple",
        Category::Platform,
        false,
        714,
        "APPLE-ENGINEERING",
        "NL",
        "Amsterdam",
        52.37,
        4.89,
    ),
    (
        "login",
        "microsoftonline.com",
        "Microsoft",
        Category::Platform,
        false,
        8075,
        "MICROSOFT-CORP-MSN-AS-BLOCK",
        "NL",
        "Amsterdam",
        52.37,
        4.89,
    ),
    (
        "v10.events.data",
        "microsoft.com",
        "Microsoft",
        Category::Analytics,
        true,
        8075,
        "MICROSOFT-CORP-MSN-AS-BLOCK",
        "US",
        "Boydton",
        36.67,
        -78.39,
    ),
    (
        "ipv4-c001-ams001-ix.1",
        "oca.nflxvideo.net",
        "Netflix",
        Category::Video,
        false,
        2906,
        "AS-SSI",
        "NL",
        "Amsterdam",
        52.37,
        4.89,
    ),
    (
        "audio-ak-spotify-com.akamaized",
        "akamaized.net",
        "Akamai",
        Category::Cdn,
        false,
        20940,
        "Akamai International B.V.",
        "NL",
        "Amsterdam",
        52.37,
        4.89,
    ),
    (
        "d3c33hcgiwev3",
        "cloudfront.net",
        "Amazon",
        Category::Cdn,
        false,
        16509,
        "AMAZON-02",
        "DE",
        "Frankfurt am Main",
        50.11,
        8.68,
    ),
    (
        "v16-webapp-prime.tiktok",
        "tiktokcdn.com",
        "ByteDance",
        Category::Video,
        false,
        396986,
        "BYTEDANCE",
        "GB",
        "London",
        51.51,
        -0.13,
    ),
    (
        "mon.tiktokv",
        "tiktokv.com",
        "ByteDance",
        Category::Analytics,
        true,
        396986,
        "BYTEDANCE",
        "US",
        "Ashburn",
        39.04,
        -77.49,
    ),
    (
        "app-measurement",
        "google-analytics.com",
        "Google Analytics",
        Category::Analytics,
        true,
        15169,
        "GOOGLE",
        "US",
        "Council Bluffs",
        41.26,
        -95.86,
    ),
    (
        "sdk",
        "branch.io",
        "Branch",
        Category::Analytics,
        true,
        16509,
        "AMAZON-02",
        "US",
        "Ashburn",
        39.04,
        -77.49,
    ),
    (
        "api2",
        "amplitude.com",
        "Amplitude",
        Category::Analytics,
        true,
        16509,
        "AMAZON-02",
        "US",
        "Boardman",
        45.84,
        -119.70,
    ),
    (
        "ads",
        "mopub.com",
        "Twitter",
        Category::Advertising,
        true,
        13414,
        "TWITTERINC",
        "US",
        "Sacramento",
        38.58,
        -121.49,
    ),
    (
        "www",
        "bbc.co.uk",
        "BBC",
        Category::Other,
        false,
        2818,
        "BBC",
        "GB",
        "London",
        51.51,
        -0.13,
    ),
    (
        "en",
        "wikipedia.org",
        "Wikimedia",
        Category::Other,
        false,
        14907,
        "WIKIMEDIA",
        "NL",
        "Amsterdam",
        52.37,
        4.89,
    ),
    (
        "discord",
        "discord.com",
        "Discord",
        Category::Social,
        false,
        13335,
        "CLOUDFLARENET",
        "NL",
        "Amsterdam",
        52.37,
        4.89,
    ),
];

fn args_flows() -> u32 {
    std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with('-'))
        .find_map(|a| a.parse().ok())
        .unwrap_or(1_000_000)
}

fn rss_peak_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        })
        .unwrap_or(0)
}

/// Queue an op, waiting (not dropping) when the queue is full: this measures the writer.
fn send(w: &StoreWriter, op: StoreOp, waits: &mut u64) {
    let mut op = Some(op);
    while let Some(o) = op.take() {
        let before = w.dropped();
        if !w.try_send(o.clone()) {
            assert!(w.dropped() > before);
            *waits += 1;
            std::thread::sleep(Duration::from_micros(200));
            op = Some(o);
        }
    }
}

fn main() {
    let flows = args_flows();
    let dir = std::env::temp_dir().join(format!("whereflow-size-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let store = Store::open(&dir).unwrap();
    let first_session = store.current_session().unwrap().id;
    let (writer, thread) = store
        .spawn_writer_with(WriterConfig {
            capacity: 16_384,
            ..WriterConfig::default()
        })
        .unwrap();
    // 10 hostnames per site (prefix + a number), so ~250 names; 20 addresses per site.
    let names: Vec<Vec<Domain>> = SITES
        .iter()
        .map(|s| {
            (0..10)
                .map(|i| Domain::new(&format!("{}{i}.{}", s.0, s.1)).unwrap())
                .collect()
        })
        .collect();
    let enrich: Vec<Enrichment> = SITES
        .iter()
        .map(|s| Enrichment {
            registrable_domain: Some(Domain::new(s.1).unwrap()),
            org: Some(Arc::from(s.2)),
            category: Some(s.3),
            tracker: s.4,
            asn: Some(s.5),
            as_org: Some(s.6.into()),
            country: Some(s.7.into()),
            city: Some(s.8.into()),
            lat: Some(s.9),
            lon: Some(s.10),
            address_range: None,
        })
        .collect();
    // Flows spread over the last 10 hours; the first half in an earlier, ended session.
    let span = chrono::Duration::hours(10);
    let t0 = Utc::now() - span;
    let start = Instant::now();
    let mut waits = 0u64;
    let mut answers = 0u64;
    for n in 0..flows {
        if n == flows / 2 {
            store.start_session("Second half").unwrap();
        }
        let at =
            t0 + span * i32::try_from(n).unwrap_or(i32::MAX) / i32::try_from(flows).unwrap_or(1);
        let site = (n as usize * 7 + n as usize / 13) % SITES.len();
        let name = &names[site][n as usize % 10];
        let d = n % DEVICES;
        let device = DeviceId(
            format!("192.168.{}.{}", 4 + d / 200, 20 + d % 200)
                .parse()
                .unwrap(),
        );
        let remote = format!(
            "203.0.{}.{}",
            113 + site / 10,
            (site * 20 + n as usize % 20) % 250
        )
        .parse()
        .unwrap();
        if n % 4 == 0 {
            answers += 1;
            send(
                &writer,
                StoreOp::Dns(std::sync::Arc::new(DnsLogEntry {
                    device_ip: device,
                    name: name.clone(),
                    qtype: "A".into(),
                    rcode: "NOERROR".into(),
                    chain: vec![],
                    addrs: vec![remote],
                    ttl: 300,
                    at,
                    blocked: false,
                    repeats: 1,
                })),
                &mut waits,
            );
        }
        let key = FlowKey {
            id: n,
            start_ns: 1_800_000_000_000_000_000 + u64::from(n),
        };
        let op = StoreOp::Flow(Arc::new(FlowRecord {
            id: format!("{}-{}", key.id, key.start_ns),
            key,
            device_ip: device,
            remote_ip: remote,
            remote_port: 443,
            local_port: None,
            proto: Proto::Tcp,
            domain: Some(name.clone()),
            candidates: vec![],
            bytes_up: 1_000 + u64::from(n % 5_000),
            bytes_down: 20_000 + u64::from(n % 90_000) * 10,
            packets_up: 12,
            packets_down: 30,
            first_seen: at,
            last_seen: at + chrono::Duration::seconds(30),
            state: FlowState::Closed,
            enrichment: enrich[site].clone(),
        }));
        send(&writer, op, &mut waits);
    }
    let stats = writer.stats();
    drop(writer);
    thread.join().unwrap();
    let secs = start.elapsed().as_secs_f64();
    store.reclaim_space().unwrap();
    let size = store.db_size().unwrap();
    println!(
        "insert: {flows} flows + {answers} answers from {DEVICES} devices in {secs:.1} s: \
         {:.0} flows/s ({:.0} ops/s), {} batches, {} waits on a full queue, {} failed",
        f64::from(flows) / secs,
        (f64::from(flows) + answers as f64) / secs,
        stats.batches.load(Ordering::Relaxed),
        waits,
        stats.failed.load(Ordering::Relaxed),
    );
    println!(
        "size: {:.1} MB database, {:.0} bytes per flow (answers included), WAL {:.1} MB",
        size.file_bytes as f64 / 1e6,
        size.file_bytes as f64 / f64::from(flows),
        size.wal_bytes as f64 / 1e6
    );

    // Reading it back: what an export of the larger session costs.
    let current = store.current_session_id();
    let rss_before = rss_peak_kib();
    let r = store.session_reader().unwrap();
    let t = Instant::now();
    let mut n = 0u64;
    let mut bytes = 0usize;
    r.flows(current, |f| {
        n += 1;
        bytes += serde_json::to_vec(&f).map(|v| v.len()).unwrap_or(0);
        Ok(())
    })
    .unwrap();
    let read_secs = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let mut hosts = 0u64;
    r.hosts(current, |_| {
        hosts += 1;
        Ok(())
    })
    .unwrap();
    let report_secs = t.elapsed().as_secs_f64();
    drop(r);
    println!(
        "export: {n} flows read and serialised in {read_secs:.1} s ({:.0} flows/s, {:.0} MB of \
         JSON); per-host report ({hosts} hosts) in {report_secs:.1} s; peak RSS {} -> {} MiB",
        n as f64 / read_secs,
        bytes as f64 / 1e6,
        rss_before / 1024,
        rss_peak_kib() / 1024
    );

    // The admin's replay of the larger session (issue 16): one frame (the 5 minutes before a
    // moment, as the replay page reads) early, midway and late, and the session's timeline.
    // A phone reads only these, never the session.
    let session = store.session(current).unwrap().unwrap();
    let (from, to) = (session.started_at, Utc::now());
    for share in [10, 50, 90] {
        let at = from + (to - from) * share / 100;
        let t = Instant::now();
        let frame = store
            .replay_frame(current, at - chrono::Duration::seconds(300), at)
            .unwrap();
        let ms = t.elapsed().as_secs_f64() * 1e3;
        let json = serde_json::to_vec(&frame.paths)
            .map(|v| v.len())
            .unwrap_or(0);
        println!(
            "replay frame at {share}% of the session: {ms:.1} ms, {} rows, {json} bytes of JSON",
            frame.paths.len()
        );
    }
    let t = Instant::now();
    let (step, _) = whereflow::store::Timeline::step_for((to - from).num_milliseconds());
    let cells = store.timeline_cells(current, from, step).unwrap();
    println!(
        "timeline of the session: {} cells in {:.1} ms",
        cells.len(),
        t.elapsed().as_secs_f64() * 1e3
    );

    // The cap: room for about half of it.
    let cap = size.used_bytes() / 2;
    let policy = RetentionPolicy {
        retention: chrono::Duration::days(7),
        max_db_bytes: cap,
        protect_recent: chrono::Duration::hours(1),
    };
    let report = store.enforce_retention(&policy, Utc::now()).unwrap();
    let left: i64 = {
        let mut n = 0i64;
        let r = store.session_reader().unwrap();
        for s in store.sessions().unwrap() {
            r.flows(s.id, |_| {
                n += 1;
                Ok(())
            })
            .unwrap();
        }
        n
    };
    println!(
        "cap {:.0} MB: deleted {} flows and {} answers (first session gone: {}) in {:.1} s; \
         database {:.1} -> {:.1} MB ({:.1} MB used), {left} flows left, still over: {}",
        cap as f64 / 1e6,
        report.for_size.flows,
        report.for_size.dns_answers,
        store.session(first_session).unwrap().is_none(),
        report.took_ms as f64 / 1000.0,
        report.before.file_bytes as f64 / 1e6,
        report.after.file_bytes as f64 / 1e6,
        report.after.used_bytes() as f64 / 1e6,
        report.over_cap,
    );
    assert_eq!(store.integrity_check().unwrap(), "ok");
    drop(store);
    let _ = std::fs::remove_dir_all(&dir);
}
