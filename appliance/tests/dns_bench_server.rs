//! Not a test: a stand-in for `whereflow run` used by `bench/dns/run.sh` until the daemon's
//! command line exists (`WHEREFLOW_BENCH_HARNESS=test`). Ignored unless asked for.
//!
//! Starts the forwarder on `WHEREFLOW_BENCH_LISTEN` with `WHEREFLOW_BENCH_UPSTREAM`, drains
//! every answer event like the correlator would, and stops when the file named by
//! `WHEREFLOW_BENCH_STOP` appears (or after ten minutes).

use std::sync::Arc;
use std::time::{Duration, Instant};

use whereflow::config::DnsConfig;
use whereflow::dns::{AnswerSink, DnsServer};
use whereflow::status::Status;

#[tokio::test(flavor = "multi_thread")]
#[ignore = "benchmark harness, run by bench/dns/run.sh"]
async fn dns_bench_server() {
    let env = |k: &str| std::env::var(k).unwrap_or_else(|_| panic!("{k} not set"));
    let config = DnsConfig {
        listen: vec![env("WHEREFLOW_BENCH_LISTEN").parse().unwrap()],
        upstreams: vec![env("WHEREFLOW_BENCH_UPSTREAM").parse().unwrap()],
        cache_size: 10_000,
        ..DnsConfig::default()
    };
    let stop = std::path::PathBuf::from(env("WHEREFLOW_BENCH_STOP"));
    let status = Arc::new(Status::default());
    let (sink, mut rx) = AnswerSink::channel(65_536, status.clone());
    let server = DnsServer::start(&config, sink, status.clone())
        .await
        .unwrap();
    let drain = tokio::spawn(async move {
        let mut n = 0u64;
        while rx.recv().await.is_some() {
            n += 1;
        }
        n
    });
    let t = Instant::now();
    while !stop.exists() && t.elapsed() < Duration::from_secs(600) {
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    server.shutdown().await;
    let events = drain.await.unwrap();
    let s = status.snapshot();
    println!(
        "whereflow-bench: queries={} events={} events_dropped={}",
        s.dns_queries, events, s.dns_events_dropped
    );
}
