//! The DNS blocking switch on the forwarder's hot path (`dns::block`), per query:
//! the "off" check, the "on for everyone" and "on for some devices" checks, and the tracker
//! check of a name in wire form (built-in lists), on one thread and on four at once (the
//! forwarder reads on up to four sockets in parallel). Prints ns per query.
//!
//! Run: `cargo bench -p whereflow --bench dns_block`. The end-to-end cost is measured with
//! `bench/dns/run.sh` (docs/BENCHMARKS.md, "DNS blocking").

use std::hint::black_box;
use std::net::IpAddr;
use std::sync::Arc;
use std::time::Instant;

use whereflow::dns::wire;
use whereflow::dns::DnsBlock;
use whereflow::enrich::Enricher;

const ROUNDS: usize = 2_000_000;

fn per_query(label: &str, threads: usize, f: impl Fn(usize) -> bool + Sync) {
    let t = Instant::now();
    std::thread::scope(|s| {
        for k in 0..threads {
            let f = &f;
            s.spawn(move || {
                let mut hits = 0usize;
                for i in 0..ROUNDS {
                    hits += usize::from(f(black_box(i + k)));
                }
                black_box(hits);
            });
        }
    });
    let ns = t.elapsed().as_nanos() as f64 / ROUNDS as f64;
    println!("{label:<58} {threads} thread(s): {ns:7.1} ns per query (wall, per thread)");
}

fn main() {
    let block = DnsBlock::new(Arc::new(Enricher::without_data()));
    let devices: Vec<IpAddr> = (0..64u8)
        .map(|i| IpAddr::from([10, 42, 0, 10 + i]))
        .collect();
    let names: Vec<Vec<u8>> = (0..1_000)
        .map(|i| wire::text_to_name(&format!("n{i:05}.bench.test")).unwrap())
        .collect();
    let trackers: Vec<Vec<u8>> = [
        "googleads.g.doubleclick.net",
        "www.google-analytics.com",
        "pixel.facebook.com",
        "stats.g.doubleclick.net",
    ]
    .iter()
    .map(|n| wire::text_to_name(n).unwrap())
    .collect();
    let real: Vec<Vec<u8>> = [
        "www.google.com",
        "scontent-lhr8-1.xx.fbcdn.net",
        "rr3---sn-4g5e6nsz.googlevideo.com",
        "gateway.icloud.com",
        "www.bbc.co.uk",
    ]
    .iter()
    .map(|n| wire::text_to_name(n).unwrap())
    .collect();
    let dev = |i: usize| devices[i % devices.len()];

    for threads in [1, 4] {
        per_query("off: the forwarder's check", threads, |i| {
            block.active() && block.applies_to(dev(i))
        });
    }
    block.set_all(true);
    for threads in [1, 4] {
        per_query("on for everyone: applies_to", threads, |i| {
            block.applies_to(dev(i))
        });
        per_query(
            "on for everyone: + tracker check, bench names",
            threads,
            |i| block.applies_to(dev(i)) && block.is_tracker_wire(&names[i % names.len()]),
        );
        per_query(
            "on for everyone: + tracker check, real names",
            threads,
            |i| block.applies_to(dev(i)) && block.is_tracker_wire(&real[i % real.len()]),
        );
        per_query(
            "on for everyone: + tracker check, tracker names",
            threads,
            |i| block.applies_to(dev(i)) && block.is_tracker_wire(&trackers[i % trackers.len()]),
        );
    }
    block.set_all(false);
    for d in devices.iter().step_by(2) {
        block.set_device(*d, true);
    }
    for threads in [1, 4] {
        per_query(
            "on for 32 of 64 devices: applies_to (RwLock'd set)",
            threads,
            |i| block.applies_to(dev(i)),
        );
    }
}
