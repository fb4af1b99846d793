//! Domain classification speed: a realistic mix of ~10,000 host names (platform hosts, CDN
//! nodes, ad and analytics hosts, tracker-only hosts, unknown names) classified in a loop on
//! one thread with the built-in lists. Prints lookups/s and per-lookup percentiles.
//!
//! Run: `cargo bench -p whereflow --bench enrich_domains`. Target: ≥ 1,000,000 lookups/s.

use std::hint::black_box;
use std::time::{Duration, Instant};

use whereflow::enrich::domains::DomainClassifier;
use whereflow::enrich::suffix::registrable_str;
use whereflow::model::Domain;

const HOSTS: usize = 10_000;
const ROUNDS: usize = 100;
const TARGET_PER_SEC: f64 = 1_000_000.0;

/// A deterministic mix that looks like a classroom's DNS log.
fn host_mix(classifier_lists: &str, trackers: &str) -> Vec<Domain> {
    // Real-looking names the table test also uses, repeated with varied first labels.
    let templates = [
        "www.google.com",
        "clients{}.google.com",
        "rr{}---sn-4g5e6nsz.googlevideo.com",
        "i{}.ytimg.com",
        "lh{}.googleusercontent.com",
        "fonts.gstatic.com",
        "googleads.g.doubleclick.net",
        "www.google-analytics.com",
        "scontent-lhr{}-1.xx.fbcdn.net",
        "graph.facebook.com",
        "edge-mqtt.facebook.com",
        "mmg.whatsapp.net",
        "gateway.icloud.com",
        "is{}-ssl.mzstatic.com",
        "www.apple.com",
        "login.microsoftonline.com",
        "v{}.events.data.microsoft.com",
        "s3.eu-west-{}.amazonaws.com",
        "d{}abcdef.cloudfront.net",
        "p16-sign-va.tiktokcdn.com",
        "api{}-normal-c-useast1a.tiktokv.com",
        "e{}.dscb.akamaiedge.net",
        "ipv4-c{}-lhr001-ix.1.oca.nflxvideo.net",
        "audio-ak-spotify-com.akamaized.net",
        "tr.rbxcdn.com",
        "cdn.discordapp.com",
        "unknown-{}.example.org",
        "host{}.lan",
        "a{}.b.c.d.deep.subdomain.example.net",
    ];
    let mut out = Vec::with_capacity(HOSTS);
    let mut i = 0usize;
    // Two thirds from the templates, one sixth exact list entries, one sixth tracker hosts.
    let list_hosts: Vec<&str> = classifier_lists
        .lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| l.split('\t').next())
        .collect();
    let tracker_hosts: Vec<&str> = trackers.lines().filter(|l| !l.starts_with('#')).collect();
    while out.len() < HOSTS {
        let name = match i % 6 {
            0..=3 => templates[i % templates.len()].replace("{}", &(i % 97).to_string()),
            4 => format!("x{}.{}", i % 13, list_hosts[(i * 7919) % list_hosts.len()]),
            _ => tracker_hosts[(i * 104_729) % tracker_hosts.len()].to_owned(),
        };
        out.push(Domain::new(&name).unwrap());
        i += 1;
    }
    out
}

/// Resident memory of this process in KiB (Linux), 0 elsewhere.
fn rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/statm")
        .ok()
        .and_then(|s| s.split_whitespace().nth(1)?.parse::<u64>().ok())
        .map_or(0, |pages| pages * 4)
}

fn main() {
    let rss_before = rss_kib();
    let t = Instant::now();
    let c = DomainClassifier::builtin().expect("built-in lists");
    let load = t.elapsed();
    let (domains, trackers) = c.counts();
    println!(
        "loaded {domains} domain entries, {trackers} tracker hosts, {} organizations in {load:?}, \
         +{} KiB resident",
        c.org_count(),
        rss_kib().saturating_sub(rss_before)
    );
    let hosts = host_mix(
        whereflow::enrich::domains::BUILTIN_DOMAINS_TSV,
        whereflow::enrich::domains::BUILTIN_TRACKERS,
    );

    // Warm up.
    for h in &hosts {
        black_box(c.classify(black_box(h)));
    }

    // Throughput: the whole mix, ROUNDS times.
    let mut known = 0usize;
    let mut flagged = 0usize;
    let t = Instant::now();
    for _ in 0..ROUNDS {
        for h in &hosts {
            let r = c.classify(black_box(h));
            known += r.org.is_some() as usize;
            flagged += r.tracker as usize;
        }
    }
    let elapsed = t.elapsed();
    let n = (ROUNDS * hosts.len()) as f64;
    let per_sec = n / elapsed.as_secs_f64();
    println!(
        "classify: {n} lookups in {elapsed:?} = {:.2} M lookups/s ({:.0} ns each); {:.0}% known, {:.0}% trackers",
        per_sec / 1e6,
        elapsed.as_nanos() as f64 / n,
        100.0 * known as f64 / n,
        100.0 * flagged as f64 / n
    );

    // Latency percentiles: time batches of 16 lookups (a single lookup is below timer
    // resolution), per-lookup figure = batch / 16.
    const BATCH: usize = 16;
    let mut samples: Vec<Duration> = Vec::with_capacity(hosts.len() / BATCH * 10);
    for _ in 0..10 {
        for chunk in hosts.chunks_exact(BATCH) {
            let t = Instant::now();
            for h in chunk {
                black_box(c.classify(black_box(h)));
            }
            samples.push(t.elapsed() / BATCH as u32);
        }
    }
    samples.sort();
    let pct = |p: f64| samples[((samples.len() - 1) as f64 * p) as usize];
    println!(
        "per lookup (batches of {BATCH}): p50 {:?}, p99 {:?}, max {:?}",
        pct(0.50),
        pct(0.99),
        samples[samples.len() - 1]
    );

    // Registrable domain on the same mix, for comparison (the enricher calls both).
    let t = Instant::now();
    for _ in 0..10 {
        for h in &hosts {
            black_box(registrable_str(black_box(h.as_str())));
        }
    }
    let rd = (10 * hosts.len()) as f64 / t.elapsed().as_secs_f64();
    println!("registrable_domain: {:.2} M lookups/s", rd / 1e6);

    if per_sec < TARGET_PER_SEC {
        println!(
            "BELOW TARGET: {:.2} M lookups/s < {:.1} M",
            per_sec / 1e6,
            TARGET_PER_SEC / 1e6
        );
    }
}
