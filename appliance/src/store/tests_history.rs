//! Sessions, export, retention, size cap and forgetting, on real SQLite files.

use std::net::IpAddr;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};

use super::*;
use crate::model::{DeviceId, Domain, Enrichment, FlowKey, FlowState, Proto};
use crate::store::sessions::DELETE_CHUNK;

/// A fresh directory under the system temp dir, removed on drop.
struct TempDir(PathBuf);

impl TempDir {
    fn new() -> TempDir {
        static N: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
        let p = std::env::temp_dir().join(format!(
            "whereflow-history-{}-{}",
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

fn ip(s: &str) -> IpAddr {
    s.parse().unwrap()
}

struct F<'a> {
    n: u32,
    dev: &'a str,
    remote: &'a str,
    domain: Option<&'a str>,
    up: u64,
    down: u64,
    at: DateTime<Utc>,
}

fn flow(f: F<'_>) -> StoreOp {
    let key = FlowKey {
        id: f.n,
        start_ns: 1_800_000_000_000_000_000,
    };
    StoreOp::Flow(Arc::new(FlowRecord {
        id: format!("{}-{}", key.id, key.start_ns),
        key,
        device_ip: DeviceId(ip(f.dev)),
        remote_ip: ip(f.remote),
        remote_port: 443,
        local_port: None,
        proto: Proto::Tcp,
        domain: f.domain.map(|d| Domain::new(d).unwrap()),
        candidates: vec![],
        bytes_up: f.up,
        bytes_down: f.down,
        packets_up: 1,
        packets_down: 1,
        first_seen: f.at,
        last_seen: f.at,
        state: FlowState::Closed,
        enrichment: Enrichment {
            registrable_domain: f.domain.map(|d| Domain::new(d).unwrap()),
            org: Some(Arc::from("Example Org")),
            tracker: f.domain.is_some_and(|d| d.starts_with("ads")),
            asn: Some(64_500),
            country: Some("NL".into()),
            city: Some("Amsterdam".into()),
            ..Enrichment::default()
        },
    }))
}

fn simple(n: u32, dev: &str, at: DateTime<Utc>) -> StoreOp {
    flow(F {
        n,
        dev,
        remote: "203.0.113.5",
        domain: Some("www.example.com"),
        up: 10,
        down: 100,
        at,
    })
}

fn answer(dev: &str, name: &str, at: DateTime<Utc>) -> StoreOp {
    StoreOp::Dns(std::sync::Arc::new(DnsLogEntry {
        device_ip: DeviceId(ip(dev)),
        name: Domain::new(name).unwrap(),
        qtype: "A".into(),
        rcode: "NOERROR".into(),
        chain: vec![],
        addrs: vec![ip("203.0.113.5")],
        ttl: 60,
        at,
        blocked: false,
        repeats: 1,
    }))
}

fn writer(store: &Store) -> (StoreWriter, std::thread::JoinHandle<()>) {
    store
        .spawn_writer_with(WriterConfig {
            max_delay: Duration::from_secs(30),
            capacity: 50_000,
            ..WriterConfig::default()
        })
        .unwrap()
}

fn write_all(store: &Store, ops: impl IntoIterator<Item = StoreOp>) {
    let (w, h) = writer(store);
    for op in ops {
        assert!(w.try_send(op));
    }
    drop(w);
    h.join().unwrap();
}

fn count(store: &Store, sql: &str) -> i64 {
    store.conn.lock().query_row(sql, [], |r| r.get(0)).unwrap()
}

fn ago(d: chrono::Duration) -> DateTime<Utc> {
    Utc::now() - d
}

/// Move a session's start and end into the past (sessions are stamped with the real time).
fn backdate(store: &Store, id: i64, started: DateTime<Utc>, ended: Option<DateTime<Utc>>) {
    store
        .conn
        .lock()
        .execute(
            "UPDATE sessions SET started_at = ?2, ended_at = ?3 WHERE id = ?1",
            params![id, codec::to_ms(started), ended.map(codec::to_ms)],
        )
        .unwrap();
}

#[test]
fn new_database_has_incremental_vacuum_and_device_index() {
    let dir = TempDir::new();
    let store = Store::open(&dir.0).unwrap();
    assert_eq!(count(&store, "PRAGMA auto_vacuum"), 2);
    assert_eq!(
        count(
            &store,
            "SELECT count(*) FROM sqlite_master WHERE name = 'flows_session_device'"
        ),
        1
    );
    // A device's flows are found through the index, not a scan.
    let plan: String = store
        .conn
        .lock()
        .query_row(
            "EXPLAIN QUERY PLAN DELETE FROM flows WHERE session_id = 1 AND device_ip = 'x'",
            [],
            |r| r.get(3),
        )
        .unwrap();
    assert!(plan.contains("flows_session_device"), "{plan}");
}

#[test]
fn version_1_database_is_migrated_and_converted_keeping_its_rows() {
    let dir = TempDir::new();
    std::fs::create_dir_all(&dir.0).unwrap();
    {
        let mut conn = Connection::open(dir.0.join(DB_FILE)).unwrap();
        schema::apply(&mut conn, &schema::MIGRATIONS[..1]).unwrap();
        conn.execute(
            "INSERT INTO sessions (name, started_at) VALUES ('Old', 1)",
            [],
        )
        .unwrap();
        assert_eq!(
            conn.query_row("PRAGMA auto_vacuum", [], |r| r.get::<_, i64>(0))
                .unwrap(),
            0
        );
    }
    let store = Store::open(&dir.0).unwrap();
    assert_eq!(count(&store, "PRAGMA auto_vacuum"), 2);
    assert_eq!(
        count(&store, "PRAGMA user_version"),
        i64::from(schema::current_version())
    );
    assert_eq!(store.current_session().unwrap().name, "Old");
}

#[test]
fn delete_session_in_chunks_and_never_the_current_one() {
    let dir = TempDir::new();
    let store = Store::open(&dir.0).unwrap();
    let first = store.current_session().unwrap().id;
    let n = DELETE_CHUNK as u32 * 2 + 17;
    let now = Utc::now();
    write_all(
        &store,
        (0..n)
            .map(|i| simple(i, "10.0.0.2", now))
            .chain([answer("10.0.0.2", "a.example", now)]),
    );
    assert!(matches!(
        store.delete_session(first),
        Err(StoreError::CurrentSession(_))
    ));
    let second = store.start_session("Second").unwrap().id;
    write_all(&store, [simple(1, "10.0.0.3", now)]);
    let d = store.delete_session(first).unwrap();
    assert_eq!(
        (d.sessions, d.flows, d.dns_answers, d.devices),
        (1, u64::from(n), 1, 1)
    );
    assert!(store.session(first).unwrap().is_none());
    assert!(matches!(
        store.delete_session(first),
        Err(StoreError::NoSuchSession(_))
    ));
    assert!(matches!(
        store.delete_session(second),
        Err(StoreError::CurrentSession(_))
    ));
    assert_eq!(count(&store, "SELECT count(*) FROM flows"), 1);
    assert_eq!(store.integrity_check().unwrap(), "ok");
}

#[test]
fn writer_discards_ops_of_a_session_deleted_while_they_were_queued() {
    let dir = TempDir::new();
    let store = Store::open(&dir.0).unwrap();
    let first = store.current_session().unwrap().id;
    let (w, h) = writer(&store);
    let now = Utc::now();
    assert!(w.try_send(simple(1, "10.0.0.2", now)));
    let second = store.start_session("Second").unwrap().id;
    store.delete_session(first).unwrap();
    assert!(w.try_send(simple(2, "10.0.0.2", now)));
    let stats = w.stats();
    drop(w);
    h.join().unwrap();
    assert_eq!(stats.discarded.load(Ordering::Relaxed), 1);
    assert_eq!(
        stats.failed.load(Ordering::Relaxed),
        0,
        "the batch was saved"
    );
    assert_eq!(stats.written.load(Ordering::Relaxed), 1);
    assert_eq!(
        count(
            &store,
            &format!("SELECT count(*) FROM flows WHERE session_id = {second}")
        ),
        1
    );
    assert_eq!(count(&store, "SELECT count(*) FROM flows"), 1);
}

#[test]
fn forget_through_the_writer_deletes_what_was_queued_before_and_keeps_what_came_after() {
    let dir = TempDir::new();
    let store = Store::open(&dir.0).unwrap();
    let now = Utc::now();
    let (w, h) = writer(&store);
    // Session 1: both devices. Session 2: the device again, still queued when forgotten.
    for op in [
        simple(1, "10.0.0.2", now),
        simple(2, "10.0.0.3", now),
        answer("10.0.0.2", "a.example", now),
        answer("10.0.0.3", "b.example", now),
    ] {
        assert!(w.try_send(op));
    }
    store.start_session("Second").unwrap();
    assert!(w.try_send(simple(3, "10.0.0.2", now)));
    assert!(w.try_send(answer("10.0.0.2", "c.example", now)));
    let rx = w.forget_device(ip("10.0.0.2")).unwrap();
    // After the forget: new data, kept.
    assert!(w.try_send(answer("10.0.0.2", "after.example", now)));
    // The writer's 30 s batch delay does not hold the forget back.
    let done = rx.recv_timeout(Duration::from_secs(5)).unwrap().unwrap();
    assert_eq!(
        (done.flows, done.dns_answers, done.devices),
        (2, 2, 2),
        "{done:?}"
    );
    drop(w);
    h.join().unwrap();
    let left = |sql: &str| count(&store, sql);
    assert_eq!(
        left("SELECT count(*) FROM flows WHERE device_ip = '10.0.0.2'"),
        0
    );
    assert_eq!(
        left("SELECT count(*) FROM dns_answers WHERE device_ip = '10.0.0.2'"),
        1,
        "the answer queued after the forget is kept"
    );
    assert_eq!(
        left("SELECT count(*) FROM flows WHERE device_ip = '10.0.0.3'"),
        1
    );
    assert_eq!(
        left("SELECT count(*) FROM dns_answers WHERE device_ip = '10.0.0.3'"),
        1
    );
}

#[test]
fn forget_directly_without_a_writer() {
    let dir = TempDir::new();
    let store = Store::open(&dir.0).unwrap();
    let now = Utc::now();
    write_all(
        &store,
        [
            simple(1, "2001:db8::2", now),
            answer("2001:db8::2", "a.example", now),
            simple(2, "10.0.0.3", now),
        ],
    );
    let d = store.forget_device(ip("2001:db8::2")).unwrap();
    assert_eq!((d.flows, d.dns_answers, d.devices), (1, 1, 1));
    assert_eq!(count(&store, "SELECT count(*) FROM flows"), 1);
    assert_eq!(
        store.forget_device(ip("2001:db8::2")).unwrap(),
        Deleted::default()
    );
}

#[test]
fn export_reads_devices_flows_answers_and_hosts_of_one_session() {
    let dir = TempDir::new();
    let store = Store::open(&dir.0).unwrap();
    let now = Utc::now();
    let s1 = store.current_session().unwrap().id;
    let f = |n, dev, remote, domain, up, down| {
        flow(F {
            n,
            dev,
            remote,
            domain,
            up,
            down,
            at: now,
        })
    };
    write_all(
        &store,
        [
            f(
                1,
                "10.0.0.2",
                "203.0.113.5",
                Some("www.example.com"),
                100,
                1000,
            ),
            f(
                2,
                "10.0.0.3",
                "203.0.113.5",
                Some("www.example.com"),
                50,
                500,
            ),
            f(3, "10.0.0.2", "203.0.113.9", Some("ads.tracker.test"), 7, 9),
            f(4, "10.0.0.2", "198.51.100.1", None, 1, 2),
            answer("10.0.0.2", "www.example.com", now),
            StoreOp::Device(DeviceSeen {
                ip: ip("10.0.0.2"),
                mac: Some("02:00:00:00:00:02".into()),
                hostname: Some("annas-phone".into()),
                at: now,
            }),
        ],
    );
    // The phone's IPv6 address: the same MAC, so the same device of the export.
    write_all(
        &store,
        [
            f(5, "2001:db8::2", "198.51.100.1", None, 1, 1),
            StoreOp::Device(DeviceSeen {
                ip: ip("2001:db8::2"),
                mac: Some("02:00:00:00:00:02".into()),
                hostname: None,
                at: now,
            }),
        ],
    );
    // Another session's rows are not part of this export.
    store.start_session("Other").unwrap();
    write_all(&store, [f(9, "10.0.0.9", "203.0.113.5", None, 5, 5)]);

    let r = store.session_reader().unwrap();
    assert_eq!(r.session(s1).unwrap().unwrap().name, "");
    let mut devices = vec![];
    r.devices(s1, |d| {
        devices.push(d);
        Ok(())
    })
    .unwrap();
    assert_eq!(devices.len(), 3);
    let d2 = &devices[0];
    assert_eq!(d2.ip, ip("10.0.0.2"));
    // One device, its addresses together; the other device apart.
    assert_eq!(
        devices
            .iter()
            .map(|d| (d.device.as_str(), d.ip.to_string()))
            .collect::<Vec<_>>(),
        [
            ("device-1", "10.0.0.2".to_string()),
            ("device-1", "2001:db8::2".to_string()),
            ("device-2", "10.0.0.3".to_string()),
        ]
    );
    assert_eq!(d2.name.as_deref(), Some("annas-phone"));
    assert_eq!(
        (d2.flows, d2.bytes_up, d2.bytes_down, d2.dns_answers),
        (3, 108, 1011, 1)
    );

    let mut flows = vec![];
    r.flows(s1, |f| {
        flows.push(f);
        Ok(())
    })
    .unwrap();
    assert_eq!(flows.len(), 5);
    let named = flows.iter().find(|f| f.flow.key.id == 1).unwrap();
    assert_eq!(named.device_name.as_deref(), Some("annas-phone"));
    let json = serde_json::to_value(named).unwrap();
    assert_eq!(json["domain"], "www.example.com");
    assert_eq!(json["org"], "Example Org");
    assert_eq!(json["country"], "NL");
    assert_eq!(json["device_name"], "annas-phone");
    assert!(json.get("mac").is_none());

    let mut answers = vec![];
    r.dns(s1, |a| {
        answers.push(a);
        Ok(())
    })
    .unwrap();
    assert_eq!(answers.len(), 1);

    let mut hosts = vec![];
    r.hosts(s1, |h| {
        hosts.push(h);
        Ok(())
    })
    .unwrap();
    assert_eq!(hosts.len(), 3);
    let top = &hosts[0];
    assert_eq!(
        (top.remote_ip.as_str(), top.domain.as_deref()),
        ("203.0.113.5", Some("www.example.com"))
    );
    assert_eq!(
        (
            top.bytes_to_host,
            top.bytes_from_host,
            top.flows,
            top.devices
        ),
        (150, 1500, 2, 2)
    );
    assert_eq!(top.org.as_deref(), Some("Example Org"));
    assert_eq!(
        (top.country.as_deref(), top.asn),
        (Some("NL"), Some(64_500))
    );
    assert!(hosts
        .iter()
        .any(|h| h.tracker && h.domain.as_deref() == Some("ads.tracker.test")));
    assert!(hosts.iter().any(|h| h.domain.is_none()));

    // The callback can stop an export.
    let stopped = r.flows(s1, |_| Err(std::io::Error::other("client went away")));
    assert!(matches!(stopped, Err(ExportError::Sink(_))));
}

#[test]
fn export_sees_one_snapshot_while_the_writer_goes_on() {
    let dir = TempDir::new();
    let store = Store::open(&dir.0).unwrap();
    let s = store.current_session().unwrap().id;
    let now = Utc::now();
    write_all(&store, (0..10).map(|i| simple(i, "10.0.0.2", now)));
    let r = store.session_reader().unwrap();
    let mut first = 0;
    r.flows(s, |_| {
        first += 1;
        Ok(())
    })
    .unwrap();
    write_all(&store, (10..20).map(|i| simple(i, "10.0.0.2", now)));
    let mut hosts = vec![];
    r.hosts(s, |h| {
        hosts.push(h);
        Ok(())
    })
    .unwrap();
    assert_eq!(first, 10);
    assert_eq!(hosts[0].flows, 10, "same snapshot as the flows part");
}

#[test]
fn retention_deletes_old_sessions_and_old_rows_and_keeps_the_rest() {
    let dir = TempDir::new();
    let store = Store::open(&dir.0).unwrap();
    let old = store.current_session().unwrap().id;
    let days = chrono::Duration::days;
    write_all(
        &store,
        [
            simple(1, "10.0.0.2", ago(days(20))),
            answer("10.0.0.2", "old.example", ago(days(20))),
        ],
    );
    let recent_ended = store.start_session("Last week").unwrap().id;
    write_all(&store, [simple(2, "10.0.0.2", ago(days(3)))]);
    let current = store.start_session("Today").unwrap().id;
    backdate(&store, old, ago(days(20)), Some(ago(days(19))));
    backdate(&store, recent_ended, ago(days(4)), Some(ago(days(2))));
    backdate(&store, current, ago(days(10)), None);
    // The current session has been running for 10 days: its first days go, the rest stays.
    write_all(
        &store,
        [
            simple(3, "10.0.0.2", ago(days(9))),
            answer("10.0.0.2", "nine.example", ago(days(9))),
            simple(4, "10.0.0.2", ago(chrono::Duration::minutes(1))),
            answer("10.0.0.2", "now.example", Utc::now()),
        ],
    );
    let policy = RetentionPolicy {
        retention: days(7),
        max_db_bytes: 1 << 30,
        protect_recent: chrono::Duration::hours(1),
    };
    let r = store.enforce_retention(&policy, Utc::now()).unwrap();
    assert_eq!(r.expired.sessions, 1, "{r:?}");
    assert_eq!(r.expired.flows, 2, "{r:?}");
    assert_eq!(r.expired.dns_answers, 2, "{r:?}");
    assert!(!r.over_cap);
    let ids: Vec<i64> = store.sessions().unwrap().iter().map(|s| s.id).collect();
    assert_eq!(ids, [current, recent_ended]);
    assert_eq!(count(&store, "SELECT count(*) FROM flows"), 2);
    assert_eq!(count(&store, "SELECT count(*) FROM dns_answers"), 1);
    // Again: nothing more to do.
    let r = store.enforce_retention(&policy, Utc::now()).unwrap();
    assert_eq!(r.expired, Deleted::default());
}

#[test]
fn size_cap_deletes_oldest_ended_sessions_first_keeps_the_last_hour_and_shrinks_the_file() {
    let dir = TempDir::new();
    let store = Store::open(&dir.0).unwrap();
    let hours = chrono::Duration::hours;
    let big = |range: std::ops::Range<u32>, at: DateTime<Utc>| {
        range.map(move |i| {
            flow(F {
                n: i,
                dev: "10.0.0.2",
                remote: "203.0.113.5",
                domain: Some("a-rather-long-name.cdn.example.com"),
                up: 1,
                down: 1,
                at: at + chrono::Duration::milliseconds(i64::from(i)),
            })
        })
    };
    let oldest = store.current_session().unwrap().id;
    write_all(&store, big(0..20_000, ago(hours(30))));
    let middle = store.start_session("Middle").unwrap().id;
    write_all(&store, big(0..20_000, ago(hours(20))));
    let current = store.start_session("Current").unwrap().id;
    write_all(&store, big(0..20_000, ago(hours(5))));
    write_all(
        &store,
        big(20_000..30_000, ago(chrono::Duration::minutes(30))),
    );
    store.reclaim_space().unwrap();
    let before = store.db_size().unwrap();
    // Room for about half of it.
    let cap = before.used_bytes() / 2;
    let policy = RetentionPolicy {
        retention: chrono::Duration::days(7),
        max_db_bytes: cap,
        protect_recent: hours(1),
    };
    let r = store.enforce_retention(&policy, Utc::now()).unwrap();
    assert!(!r.over_cap, "{r:?}");
    assert!(r.after.used_bytes() <= cap, "{r:?}");
    assert!(
        r.after.file_bytes < before.file_bytes * 3 / 4,
        "space was given back: {r:?}"
    );
    assert_eq!(r.after.free_bytes, 0, "{r:?}");
    let in_session = |id: i64| {
        count(
            &store,
            &format!("SELECT count(*) FROM flows WHERE session_id = {id}"),
        )
    };
    assert!(
        store.session(oldest).unwrap().is_none(),
        "oldest emptied and gone"
    );
    assert_eq!(in_session(current), 30_000, "current session untouched");
    assert!(in_session(middle) < 20_000);
    assert_eq!(store.integrity_check().unwrap(), "ok");

    // Only the current session's last hour left, and a cap below it: reported, kept.
    store.delete_session(middle).unwrap();
    let tiny = RetentionPolicy {
        max_db_bytes: 4096,
        ..policy
    };
    let r = store.enforce_retention(&tiny, Utc::now()).unwrap();
    assert!(r.over_cap, "{r:?}");
    assert_eq!(in_session(current), 10_000, "only the last hour is left");
    let last_hour = codec::to_ms(ago(hours(1)));
    assert_eq!(
        count(
            &store,
            &format!("SELECT count(*) FROM flows WHERE last_seen < {last_hour}")
        ),
        0
    );
}
