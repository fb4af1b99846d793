use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::{Duration, Instant};

use super::*;
use crate::model::{DeviceId, Domain, Enrichment, FlowKey, FlowState, Proto};

/// A fresh directory under the system temp dir, removed on drop.
struct TempDir(PathBuf);

impl TempDir {
    fn new() -> TempDir {
        static N: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
        let p = std::env::temp_dir().join(format!(
            "whereflow-store-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = std::fs::remove_dir_all(&p);
        TempDir(p)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn t(s: i64) -> DateTime<Utc> {
    DateTime::from_timestamp_millis(1_800_000_000_000 + s * 1000).unwrap()
}

fn flow(n: u32, bytes_up: u64, first: i64, last: i64) -> FlowRecord {
    let key = FlowKey {
        id: n,
        start_ns: 1_800_000_000_000_000_000,
    };
    FlowRecord {
        id: format!("{}-{}", key.id, key.start_ns),
        key,
        device_ip: DeviceId("192.0.2.10".parse().unwrap()),
        remote_ip: "203.0.113.5".parse().unwrap(),
        remote_port: 443,
        local_port: None,
        proto: Proto::Tcp,
        domain: None,
        candidates: vec![],
        bytes_up,
        bytes_down: bytes_up * 10,
        packets_up: 1,
        packets_down: 2,
        first_seen: t(first),
        last_seen: t(last),
        state: FlowState::Open,
        enrichment: Enrichment::default(),
    }
}

fn answer(dev: &str, name: &str, at: i64) -> DnsLogEntry {
    DnsLogEntry {
        device_ip: DeviceId(dev.parse().unwrap()),
        name: Domain::new(name).unwrap(),
        qtype: "A".into(),
        rcode: "NOERROR".into(),
        chain: vec![Domain::new("cdn.example").unwrap()],
        addrs: vec![
            "203.0.113.5".parse().unwrap(),
            "2001:db8::1".parse().unwrap(),
        ],
        ttl: 60,
        at: t(at),
        blocked: false,
        repeats: 1,
    }
}

/// Queue ops through a writer with a long delay and wait for its final commit.
fn write_all(store: &Store, ops: Vec<StoreOp>) {
    let (w, h) = store
        .spawn_writer_with(WriterConfig {
            max_delay: Duration::from_secs(30),
            ..WriterConfig::default()
        })
        .unwrap();
    for op in ops {
        assert!(w.try_send(op));
    }
    drop(w);
    h.join().unwrap();
}

fn count(store: &Store, table: &str) -> i64 {
    store
        .conn
        .lock()
        .query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))
        .unwrap()
}

#[test]
fn open_creates_database_and_first_session_once() {
    let dir = TempDir::new();
    let store = Store::open(&dir.0.join("nested")).unwrap();
    assert!(store.path().ends_with("nested/whereflow.db"));
    let s1 = store.current_session().unwrap();
    assert_eq!((s1.name.as_str(), s1.ended_at), ("", None));
    let mode: String = store
        .conn
        .lock()
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
    drop(store);
    // Reopen: migrations are not re-applied (they would fail), same session.
    let store = Store::open(&dir.0.join("nested")).unwrap();
    assert_eq!(store.current_session().unwrap(), s1);
    assert_eq!(
        schema::version(&store.conn.lock()).unwrap(),
        schema::current_version()
    );
    assert_eq!(store.sessions().unwrap().len(), 1);
    assert_eq!(store.integrity_check().unwrap(), "ok");
}

#[test]
fn open_refuses_a_newer_database() {
    let dir = TempDir::new();
    drop(Store::open(&dir.0).unwrap());
    let conn = Connection::open(dir.0.join(DB_FILE)).unwrap();
    conn.pragma_update(None, "user_version", 99).unwrap();
    drop(conn);
    let err = Store::open(&dir.0)
        .err()
        .expect("a newer database must be refused");
    assert!(matches!(err, StoreError::TooNew { found: 99, .. }), "{err}");
    assert!(err.to_string().contains("newer"));
}

#[test]
fn start_session_ends_the_current_one_and_files_new_ops_under_it() {
    let dir = TempDir::new();
    let store = Store::open(&dir.0).unwrap();
    let s1 = store.current_session().unwrap();
    write_all(
        &store,
        vec![StoreOp::Flow(std::sync::Arc::new(flow(1, 1, 0, 1)))],
    );
    let s2 = store.start_session("Year 9 science").unwrap();
    assert_ne!(s1.id, s2.id);
    assert_eq!(store.current_session().unwrap(), s2);
    let all = store.sessions().unwrap();
    assert_eq!(all[0], s2);
    assert!(all[1].ended_at.is_some(), "old session ended");
    write_all(
        &store,
        vec![StoreOp::Flow(std::sync::Arc::new(flow(2, 1, 0, 1)))],
    );
    let ids = |s: i64| -> Vec<String> {
        store
            .recent_flows(s, 10)
            .unwrap()
            .into_iter()
            .map(|f| f.id)
            .collect()
    };
    assert_eq!(ids(s1.id), [flow(1, 1, 0, 1).id]);
    assert_eq!(ids(s2.id), [flow(2, 1, 0, 1).id]);
}

#[test]
fn flow_round_trips() {
    let dir = TempDir::new();
    let store = Store::open(&dir.0).unwrap();
    let mut f = flow(7, 1234, 0, 5);
    f.domain = Some(Domain::new("www.example.com").unwrap());
    f.candidates = vec![Domain::new("example.net").unwrap()];
    f.proto = Proto::Other(132);
    f.state = FlowState::Closed;
    f.enrichment = Enrichment {
        org: Some("Example".into()),
        country: Some("NL".into()),
        lat: Some(52.37),
        tracker: true,
        ..Enrichment::default()
    };
    write_all(&store, vec![StoreOp::Flow(std::sync::Arc::new(f.clone()))]);
    let session = store.current_session().unwrap().id;
    assert_eq!(store.recent_flows(session, 10).unwrap(), [f]);
}

#[test]
fn flow_upsert_updates_counters_and_keeps_first_seen() {
    let dir = TempDir::new();
    let store = Store::open(&dir.0).unwrap();
    let session = store.current_session().unwrap().id;
    let mut named = flow(1, 100, 0, 1);
    named.domain = Some(Domain::new("a.example").unwrap());
    named.enrichment.org = Some("A".into());
    write_all(&store, vec![StoreOp::Flow(std::sync::Arc::new(named))]);

    // Later: more bytes, closed, a later first_seen (must not move), no name (must not erase).
    let mut later = flow(1, 500, 3, 9);
    later.state = FlowState::Closed;
    write_all(&store, vec![StoreOp::Flow(std::sync::Arc::new(later))]);
    let got = store.recent_flows(session, 10).unwrap();
    assert_eq!(got.len(), 1);
    let g = &got[0];
    assert_eq!((g.bytes_up, g.bytes_down), (500, 5000));
    assert_eq!((g.first_seen, g.last_seen), (t(0), t(9)));
    assert_eq!(g.state, FlowState::Closed);
    assert_eq!(g.domain.as_ref().map(Domain::as_str), Some("a.example"));
    assert_eq!(g.enrichment.org.as_deref(), Some("A"));

    // Counters never go down; several versions in one batch: the last wins.
    write_all(
        &store,
        vec![
            StoreOp::Flow(std::sync::Arc::new(flow(1, 50, 0, 10))),
            StoreOp::Flow(std::sync::Arc::new(flow(1, 700, 0, 11))),
        ],
    );
    let g = &store.recent_flows(session, 10).unwrap()[0];
    assert_eq!(
        (g.bytes_up, g.last_seen, g.state),
        (700, t(11), FlowState::Open)
    );
    assert_eq!(count(&store, "flows"), 1);
}

#[test]
fn recent_flows_are_newest_first_and_limited() {
    let dir = TempDir::new();
    let store = Store::open(&dir.0).unwrap();
    let session = store.current_session().unwrap().id;
    write_all(
        &store,
        (0..10)
            .map(|i| StoreOp::Flow(std::sync::Arc::new(flow(i, 1, 0, i64::from(i)))))
            .collect(),
    );
    let got: Vec<u32> = store
        .recent_flows(session, 3)
        .unwrap()
        .iter()
        .map(|f| f.key.id)
        .collect();
    assert_eq!(got, [9, 8, 7]);
}

#[test]
fn dns_round_trips_and_recent_keeps_per_device() {
    let dir = TempDir::new();
    let store = Store::open(&dir.0).unwrap();
    let session = store.current_session().unwrap().id;
    let mut ops = vec![];
    for i in 0..5 {
        ops.push(StoreOp::Dns(Arc::new(answer(
            "10.0.0.1",
            &format!("n{i}.example"),
            i,
        ))));
        ops.push(StoreOp::Dns(Arc::new(answer(
            "10.0.0.2",
            &format!("m{i}.example"),
            i * 2,
        ))));
    }
    write_all(&store, ops);
    let got = store.recent_dns(session, 2).unwrap();
    let names: Vec<_> = got.iter().map(|e| e.name.as_str()).collect();
    // Oldest first across devices: n3@3, n4@4, m3@6, m4@8.
    assert_eq!(
        names,
        ["n3.example", "n4.example", "m3.example", "m4.example"]
    );
    assert_eq!(got[1], answer("10.0.0.1", "n4.example", 4));
    assert_eq!(count(&store, "devices"), 2);
}

#[test]
fn devices_are_upserted_with_details() {
    let dir = TempDir::new();
    let store = Store::open(&dir.0).unwrap();
    write_all(
        &store,
        vec![
            StoreOp::Dns(Arc::new(answer("10.0.0.1", "a.example", 5))),
            StoreOp::Device(DeviceSeen {
                ip: "10.0.0.1".parse().unwrap(),
                mac: Some("02:00:00:00:00:01".into()),
                hostname: Some("tablet".into()),
                at: t(2),
            }),
        ],
    );
    write_all(
        &store,
        vec![StoreOp::Device(DeviceSeen {
            ip: "10.0.0.1".parse().unwrap(),
            mac: None,
            hostname: None,
            at: t(9),
        })],
    );
    let row: (String, String, i64, i64) = store
        .conn
        .lock()
        .query_row(
            "SELECT mac, hostname, first_seen, last_seen FROM devices",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .unwrap();
    assert_eq!(
        row,
        (
            "02:00:00:00:00:01".into(),
            "tablet".into(),
            codec::to_ms(t(2)),
            codec::to_ms(t(9))
        )
    );
}

/// Poll until `table` has `n` rows; how long that took.
fn wait_rows(store: &Store, table: &str, n: i64, limit: Duration) -> Duration {
    let start = Instant::now();
    while count(store, table) < n {
        assert!(
            start.elapsed() < limit,
            "{table}: not {n} rows after {limit:?}"
        );
        std::thread::sleep(Duration::from_millis(5));
    }
    start.elapsed()
}

#[test]
fn batch_commits_after_the_delay() {
    let dir = TempDir::new();
    let store = Store::open(&dir.0).unwrap();
    let (w, h) = store
        .spawn_writer_with(WriterConfig {
            max_delay: Duration::from_millis(300),
            ..WriterConfig::default()
        })
        .unwrap();
    assert!(w.try_send(StoreOp::Dns(Arc::new(answer("10.0.0.1", "a.example", 0)))));
    let took = wait_rows(&store, "dns_answers", 1, Duration::from_secs(3));
    assert!(
        took >= Duration::from_millis(200),
        "committed after {took:?}, before the delay"
    );
    assert!(took < Duration::from_millis(1000), "took {took:?}");
    // The writer is idle again: the next op again waits for its own delay.
    assert!(w.try_send(StoreOp::Dns(Arc::new(answer("10.0.0.1", "b.example", 1)))));
    let took = wait_rows(&store, "dns_answers", 2, Duration::from_secs(3));
    assert!(took < Duration::from_millis(1000), "took {took:?}");
    drop(w);
    h.join().unwrap();
}

#[test]
fn batch_commits_when_full() {
    let dir = TempDir::new();
    let store = Store::open(&dir.0).unwrap();
    let (w, h) = store
        .spawn_writer_with(WriterConfig {
            max_ops: 100,
            max_delay: Duration::from_secs(60),
            ..WriterConfig::default()
        })
        .unwrap();
    for i in 0..100 {
        let name = format!("a{i}.example");
        assert!(w.try_send(StoreOp::Dns(Arc::new(answer("10.0.0.1", &name, i)))));
    }
    wait_rows(&store, "dns_answers", 100, Duration::from_secs(5));
    let stats = w.stats();
    assert_eq!(stats.batches.load(Ordering::Relaxed), 1);
    assert_eq!(stats.written.load(Ordering::Relaxed), 100);
    drop(w);
    h.join().unwrap();
}

#[test]
fn identical_answers_of_a_batch_are_one_row_with_a_count() {
    let dir = TempDir::new();
    let store = Store::open(&dir.0).unwrap();
    let mut ops: Vec<StoreOp> = (0..5)
        .map(|i| StoreOp::Dns(Arc::new(answer("10.0.0.1", "a.example", i))))
        .collect();
    // Another device, another name, another answer: rows of their own.
    ops.push(StoreOp::Dns(Arc::new(answer("10.0.0.2", "a.example", 1))));
    ops.push(StoreOp::Dns(Arc::new(answer("10.0.0.1", "b.example", 2))));
    let mut other = answer("10.0.0.1", "a.example", 3);
    other.addrs.pop();
    ops.push(StoreOp::Dns(Arc::new(other)));
    write_all(&store, ops);
    assert_eq!(count(&store, "dns_answers"), 4);
    let (repeats, at): (i64, i64) = store
        .conn
        .lock()
        .query_row(
            "SELECT repeats, at FROM dns_answers WHERE device_ip = '10.0.0.1' \
             AND name = 'a.example' ORDER BY id LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(
        (repeats, at),
        (5, codec::to_ms(t(0))),
        "the first one's time is kept"
    );
    let total: i64 = store
        .conn
        .lock()
        .query_row("SELECT sum(repeats) FROM dns_answers", [], |r| r.get(0))
        .unwrap();
    assert_eq!(total, 8, "every answer is counted");
}

#[test]
fn dropping_the_last_handle_commits_and_stops() {
    let dir = TempDir::new();
    let store = Store::open(&dir.0).unwrap();
    let (w, h) = store
        .spawn_writer_with(WriterConfig {
            max_delay: Duration::from_secs(60),
            ..WriterConfig::default()
        })
        .unwrap();
    let w2 = w.clone();
    assert!(w.try_send(StoreOp::Dns(Arc::new(answer("10.0.0.1", "a.example", 0)))));
    drop(w);
    assert!(w2.try_send(StoreOp::Dns(Arc::new(answer("10.0.0.1", "b.example", 0)))));
    let stats = w2.stats();
    drop(w2);
    let start = Instant::now();
    h.join().unwrap();
    assert!(
        start.elapsed() < Duration::from_secs(5),
        "did not wait for the delay"
    );
    assert_eq!(count(&store, "dns_answers"), 2);
    assert_eq!(stats.written.load(Ordering::Relaxed), 2);
}

#[test]
fn full_queue_drops_and_counts() {
    let (w, rx) = writer::test_channel(2);
    let op = || StoreOp::Dns(Arc::new(answer("10.0.0.1", "a.example", 0)));
    assert!(w.try_send(op()));
    assert!(w.try_send(op()));
    assert!(!w.try_send(op()), "queue full: dropped, not blocked");
    assert!(!w.try_send(op()));
    assert_eq!(w.dropped(), 2);
    assert_eq!(w.stats().queued(), 2, "the two accepted wait in the queue");
    drop(rx);
    assert!(!w.try_send(op()), "writer gone: dropped");
    assert_eq!(w.dropped(), 3);
}

#[test]
fn failed_batch_is_counted_not_fatal() {
    let dir = TempDir::new();
    let store = Store::open(&dir.0).unwrap();
    let (w, h) = store
        .spawn_writer_with(WriterConfig {
            max_delay: Duration::from_millis(50),
            ..WriterConfig::default()
        })
        .unwrap();
    // The table is gone (renamed away): the batch fails.
    store
        .conn
        .lock()
        .execute_batch("ALTER TABLE dns_answers RENAME TO dns_answers_away")
        .unwrap();
    assert!(w.try_send(StoreOp::Dns(Arc::new(answer("10.0.0.1", "a.example", 0)))));
    let stats = w.stats();
    let start = Instant::now();
    while stats.failed.load(Ordering::Relaxed) == 0 {
        assert!(start.elapsed() < Duration::from_secs(3));
        std::thread::sleep(Duration::from_millis(5));
    }
    // The writer carries on.
    store
        .conn
        .lock()
        .execute_batch("ALTER TABLE dns_answers_away RENAME TO dns_answers")
        .unwrap();
    assert!(w.try_send(StoreOp::Dns(Arc::new(answer("10.0.0.1", "b.example", 0)))));
    wait_rows(&store, "dns_answers", 1, Duration::from_secs(3));
    drop(w);
    h.join().unwrap();
}

#[test]
fn flows_keep_a_counter_snapshot_a_minute_and_one_at_close() {
    let dir = TempDir::new();
    let store = Store::open(&dir.0).unwrap();
    let session = store.current_session().unwrap().id;
    let at = |bytes: u64, last: i64, closed: bool| {
        let mut f = flow(1, bytes, 0, last);
        if closed {
            f.state = FlowState::Closed;
        }
        StoreOp::Flow(std::sync::Arc::new(f))
    };
    // Each write_all is its own batch, as the writer's commits every 500 ms would be.
    write_all(
        &store,
        vec![StoreOp::Flow(std::sync::Arc::new(flow(2, 0, 0, 0)))],
    );
    write_all(&store, vec![at(100, 0, false)]);
    write_all(&store, vec![at(200, 10, false)]);
    write_all(&store, vec![at(300, 70, false)]);
    write_all(&store, vec![at(400, 80, true)]);
    let key = flow(1, 0, 0, 0).id;
    let snaps = store.flow_snapshots(session, &key).unwrap();
    let seen: Vec<(i64, u64)> = snaps
        .iter()
        .map(|s| ((s.at - t(0)).num_seconds(), s.bytes_up))
        .collect();
    assert_eq!(seen, [(0, 100), (70, 300), (80, 400)]);
    assert_eq!(snaps[2].bytes_down, 4000);
    // A flow with no counts yet has no snapshot.
    assert!(store
        .flow_snapshots(session, &flow(2, 0, 0, 0).id)
        .unwrap()
        .is_empty());
    // They go with their flow.
    store.forget_device("192.0.2.10".parse().unwrap()).unwrap();
    assert_eq!(count(&store, "flow_snapshots"), 0);
}

#[test]
fn close_commits_what_was_queued_and_stops_while_other_handles_live() {
    let dir = TempDir::new();
    let store = Store::open(&dir.0).unwrap();
    let (w, h) = store
        .spawn_writer_with(WriterConfig {
            max_delay: Duration::from_secs(30),
            ..WriterConfig::default()
        })
        .unwrap();
    // A handle some stage still holds at shutdown must not keep the writer running.
    let other = w.clone();
    assert!(w.try_send(StoreOp::Dns(Arc::new(answer("10.0.0.1", "a.example", 0)))));
    assert!(w.try_send(StoreOp::Dns(Arc::new(answer("10.0.0.2", "b.example", 1)))));
    w.close();
    h.join().unwrap();
    assert_eq!(count(&store, "dns_answers"), 2);
    // After the close, ops are refused and counted, not lost silently.
    assert!(!other.try_send(StoreOp::Dns(Arc::new(answer("10.0.0.3", "c.example", 2)))));
    assert_eq!(other.dropped(), 1);
}

#[test]
fn marks_timeline_and_replay_from_the_snapshots() {
    use crate::model::MAX_MARKS_PER_SESSION;
    let dir = TempDir::new();
    let store = Store::open(&dir.0).unwrap();
    let session = store.current_session().unwrap();
    // Marks: numbered per session, bounded, kept across a reopen.
    let m = store.add_mark(session.id, t(1), "Now open TikTok").unwrap();
    assert_eq!((m.id, m.label.as_str()), (1, "Now open TikTok"));
    assert!(matches!(
        store.add_mark(9_999, t(1), "x"),
        Err(StoreError::NoSuchSession(9_999))
    ));
    // One flow: 1,100 bytes by 10 s, 3,300 at its close at 130 s (two batches: two snapshots).
    let mut f = flow(1, 100, 0, 10);
    f.enrichment.org = Some("Example Org".into());
    write_all(&store, vec![StoreOp::Flow(Arc::new(f.clone()))]);
    f.bytes_up = 300;
    f.bytes_down = 3_000;
    f.last_seen = t(130);
    f.state = FlowState::Closed;
    write_all(&store, vec![StoreOp::Flow(Arc::new(f))]);
    let cells = store.timeline_cells(session.id, t(0), 60_000).unwrap();
    let tl = Timeline::fold(t(0), 60_000, 3, &cells, |_| false);
    assert_eq!(tl.series.len(), 1, "{tl:?}");
    assert_eq!(tl.series[0].org, "Example Org");
    assert_eq!(tl.series[0].bytes, vec![1_100, 0, 2_200]);
    // Replay: nothing before the flow started; its growth in each window after.
    let before = store.replay_frame(session.id, t(-60), t(-1)).unwrap();
    assert!(before.paths.is_empty(), "{before:?}");
    let early = store.replay_frame(session.id, t(0), t(60)).unwrap();
    assert_eq!(early.paths.len(), 1);
    assert_eq!(early.paths[0].bytes_up + early.paths[0].bytes_down, 1_100);
    assert_eq!(early.paths[0].open, 1);
    let late = store.replay_frame(session.id, t(60), t(200)).unwrap();
    assert_eq!(late.paths[0].bytes_up + late.paths[0].bytes_down, 2_200);
    assert_eq!(late.paths[0].open, 0);
    drop(store);
    let store = Store::open(&dir.0).unwrap();
    assert_eq!(store.marks(session.id).unwrap(), vec![m]);
    for i in 1..MAX_MARKS_PER_SESSION {
        store.add_mark(session.id, t(2), &format!("m{i}")).unwrap();
    }
    assert!(matches!(
        store.add_mark(session.id, t(3), "one too many"),
        Err(StoreError::TooManyMarks(_))
    ));
}
