//! How fast the store writer takes flows, and how big they are on disk. Ignored by
//! default (it measures, it does not check); run it with
//! `cargo test --release -p whereflow --test store_rate -- --ignored --nocapture`.

use std::time::{Duration, Instant};

use chrono::Utc;
use whereflow::model::{DeviceId, Domain, Enrichment, FlowKey, FlowRecord, FlowState, Proto};
use whereflow::store::{Store, StoreOp};

const FLOWS: u32 = 200_000;
const DEVICES: u32 = 100;

#[test]
#[ignore = "measurement; run by hand"]
fn flow_insert_rate() {
    let dir = std::env::temp_dir().join(format!("whereflow-rate-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let store = Store::open(&dir).unwrap();
    let (writer, thread) = store.spawn_writer(10_000).unwrap();
    let domains: Vec<Domain> = (0..500)
        .map(|i| Domain::new(&format!("host{i}.example{}.com", i % 50)).unwrap())
        .collect();
    let enrichment = Enrichment {
        org: Some("Example Org".into()),
        asn: Some(64_500),
        as_org: Some("EXAMPLE-AS".into()),
        country: Some("NL".into()),
        city: Some("Amsterdam".into()),
        lat: Some(52.37),
        lon: Some(4.89),
        ..Enrichment::default()
    };
    let start = Instant::now();
    let mut blocked = 0u64;
    for n in 0..FLOWS {
        let now = Utc::now();
        let key = FlowKey {
            id: n,
            start_ns: 1_800_000_000_000_000_000,
        };
        let d = n % DEVICES;
        let op = StoreOp::Flow(std::sync::Arc::new(FlowRecord {
            id: format!("{}-{}", key.id, key.start_ns),
            key,
            device_ip: DeviceId(format!("10.0.{}.{}", d / 250, d % 250 + 2).parse().unwrap()),
            remote_ip: format!("203.0.113.{}", n % 250).parse().unwrap(),
            remote_port: 443,
            local_port: None,
            proto: Proto::Tcp,
            domain: Some(domains[(n % 500) as usize].clone()),
            candidates: vec![],
            bytes_up: u64::from(n) * 10,
            bytes_down: u64::from(n) * 100,
            packets_up: 10,
            packets_down: 20,
            first_seen: now,
            last_seen: now,
            state: FlowState::Closed,
            enrichment: enrichment.clone(),
        }));
        // Measure the writer, not the queue: wait when it is full.
        loop {
            let before = writer.dropped();
            if writer.try_send(op.clone()) {
                break;
            }
            assert!(writer.dropped() > before);
            blocked += 1;
            std::thread::sleep(Duration::from_micros(200));
        }
    }
    let stats = writer.stats();
    drop(writer);
    thread.join().unwrap();
    let secs = start.elapsed().as_secs_f64();
    let wal_peak: u64 = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok()?.metadata().ok())
        .map(|m| m.len())
        .sum();
    drop(store); // the last connection: checkpoints and removes the WAL
    let bytes = std::fs::metadata(dir.join(whereflow::store::DB_FILE))
        .unwrap()
        .len();
    println!(
        "{FLOWS} flows in {secs:.2} s: {:.0} flows/s, {} batches, {} waits on a full queue; \
         {:.1} MB database ({:.0} bytes/flow), {:.1} MB with the WAL before closing",
        f64::from(FLOWS) / secs,
        stats.batches.load(std::sync::atomic::Ordering::Relaxed),
        blocked,
        bytes as f64 / 1e6,
        bytes as f64 / f64::from(FLOWS),
        wal_peak as f64 / 1e6,
    );
    let _ = std::fs::remove_dir_all(&dir);
}
