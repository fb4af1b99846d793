//! The admin side of the real `whereflow` binary over real HTTP: the password rewritten as a
//! hash, login and its cookie, CSRF refusals, every admin endpoint refused without a login,
//! wrong passwords slowed down and locked out per device, new sessions, exports (CSV and
//! JSON) of a session whose data was recorded before the start, retention at start, and
//! the settings; failures from many addresses never block a device without failures, the
//! one-time recovery code; `421` for a `Host` that is not the appliance's (DNS rebinding),
//! `web.allowed_hosts`; HTTPS with a `Secure` cookie and a published fingerprint. No root
//! needed: conntrack is off; flows come from a database prepared with the library before the
//! daemon starts.

mod admin_support;

use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::Utc;
use serde_json::Value;
use whereflow::model::{
    Category, DeviceId, DnsLogEntry, Domain, Enrichment, FlowKey, FlowRecord, FlowState, Proto,
};
use whereflow::store::{DeviceSeen, Store, StoreOp};

use admin_support::{free_port, Daemon};

const PASSWORD: &str = "correct horse battery";

fn ago(days: i64) -> chrono::DateTime<Utc> {
    Utc::now() - chrono::Duration::days(days)
}

fn flow(n: u32, dev: &str, remote: &str, domain: &str, up: u64, down: u64) -> StoreOp {
    let key = FlowKey {
        id: n,
        start_ns: 1_800_000_000_000_000_000 + u64::from(n),
    };
    let now = Utc::now();
    StoreOp::Flow(Arc::new(FlowRecord {
        id: format!("{}-{}", key.id, key.start_ns),
        key,
        device_ip: DeviceId(dev.parse().unwrap()),
        remote_ip: remote.parse().unwrap(),
        remote_port: 443,
        local_port: None,
        proto: Proto::Tcp,
        domain: Some(Domain::new(domain).unwrap()),
        candidates: vec![],
        bytes_up: up,
        bytes_down: down,
        packets_up: 3,
        packets_down: 4,
        first_seen: now - chrono::Duration::minutes(5),
        last_seen: now,
        state: FlowState::Closed,
        enrichment: Enrichment {
            registrable_domain: Some(Domain::new(domain).unwrap()),
            org: Some("Example Video Co".into()),
            category: Some(Category::Video),
            tracker: false,
            asn: Some(64_500),
            as_org: Some("EXAMPLE-AS".into()),
            country: Some("NL".into()),
            city: Some("Amsterdam".into()),
            lat: Some(52.37),
            lon: Some(4.89),
            address_range: None,
        },
    }))
}

/// A database with an old ended session (past retention) and a current one with flows,
/// answers and a named device (with a MAC, which exports must not show).
fn prepare_history(data: &Path) -> i64 {
    let store = Store::open(data).unwrap();
    let old = store.current_session().unwrap().id;
    let (w, h) = store.spawn_writer(1_000).unwrap();
    assert!(w.try_send(flow(
        1,
        "192.168.4.20",
        "203.0.113.50",
        "old.example.com",
        1,
        1
    )));
    drop(w);
    h.join().unwrap();
    let current = store.start_session("Monday class").unwrap();
    let (w, h) = store.spawn_writer(1_000).unwrap();
    for op in [
        flow(
            2,
            "192.168.4.20",
            "203.0.113.10",
            "video.example.com",
            1_000,
            50_000,
        ),
        flow(
            3,
            "192.168.4.21",
            "203.0.113.10",
            "video.example.com",
            500,
            20_000,
        ),
        flow(4, "192.168.4.21", "203.0.113.11", "=evil.example.com", 7, 9),
        StoreOp::Dns(std::sync::Arc::new(DnsLogEntry {
            device_ip: DeviceId("192.168.4.20".parse().unwrap()),
            name: Domain::new("video.example.com").unwrap(),
            qtype: "A".into(),
            rcode: "NOERROR".into(),
            chain: vec![],
            addrs: vec!["203.0.113.10".parse().unwrap()],
            ttl: 300,
            at: Utc::now(),
            blocked: false,
            repeats: 1,
        })),
        StoreOp::Device(DeviceSeen {
            ip: "192.168.4.20".parse().unwrap(),
            mac: Some("02:00:5e:10:00:20".into()),
            hostname: Some("annas-phone".into()),
            at: Utc::now(),
        }),
    ] {
        assert!(w.try_send(op));
    }
    drop(w);
    h.join().unwrap();
    drop(store);
    // The old session ended 20 days ago (retention is 7 days).
    let conn = rusqlite::Connection::open(data.join("whereflow.db")).unwrap();
    conn.execute(
        "UPDATE sessions SET started_at = ?2, ended_at = ?3 WHERE id = ?1",
        rusqlite::params![old, ago(21).timestamp_millis(), ago(20).timestamp_millis()],
    )
    .unwrap();
    current.id
}

/// Every admin endpoint, and whether it changes state (then it needs the CSRF token).
fn admin_endpoints(session: i64) -> Vec<(&'static str, String, bool)> {
    vec![
        ("GET", "/api/v1/admin".into(), false),
        ("GET", format!("/api/v1/sessions/{session}/export"), false),
        (
            "GET",
            format!("/api/v1/sessions/{session}/export?format=csv&part=devices"),
            false,
        ),
        ("GET", format!("/api/v1/sessions/{session}/report"), false),
        ("GET", "/api/v1/settings".into(), false),
        ("POST", "/api/v1/sessions".into(), true),
        ("DELETE", format!("/api/v1/sessions/{session}"), true),
        ("POST", "/api/v1/settings".into(), true),
        ("POST", "/admin/logout".into(), true),
        ("POST", "/admin/sessions".into(), true),
        ("POST", format!("/admin/sessions/{session}/delete"), true),
        ("POST", "/admin/settings".into(), true),
        ("GET", "/api/v1/controls".into(), false),
        ("POST", "/api/v1/controls/dns-block".into(), true),
        ("POST", "/api/v1/controls/block".into(), true),
        ("DELETE", "/api/v1/controls/block/1".into(), true),
        ("POST", "/api/v1/flows/1-1/kill".into(), true),
        ("POST", "/admin/controls/dns-block".into(), true),
        ("POST", "/admin/controls/block".into(), true),
        ("POST", "/admin/controls/block/1/delete".into(), true),
        ("POST", "/admin/controls/kill/1-1".into(), true),
        ("GET", "/api/v1/backup".into(), false),
        ("GET", "/api/v1/backup?secrets=1".into(), false),
        ("POST", "/api/v1/backup".into(), true),
        ("POST", "/admin/backup/restore".into(), true),
    ]
}

#[test]
fn admin_logs_in_exports_starts_sessions_and_everything_else_is_refused() {
    let dir = Daemon::dir("main");
    let monday = prepare_history(&dir.join("data"));
    let d = Daemon::start(
        dir,
        &format!("[admin]\n# set by the teacher\npassword = \"{PASSWORD}\"\n\n[history]\nretention_days = 7\n"),
        false,
    );

    // The plain password left the config file; the hash is there and in the data dir.
    let config = std::fs::read_to_string(&d.config).unwrap();
    assert!(!config.contains(PASSWORD), "{config}");
    assert!(
        config.contains("# set by the teacher\npassword_hash = \"$argon2id$v=19$"),
        "{config}"
    );
    let saved = d.dir.join("data/admin.argon2");
    use std::os::unix::fs::PermissionsExt;
    assert_eq!(
        std::fs::metadata(&saved).unwrap().permissions().mode() & 0o777,
        0o600
    );
    assert!(!d.log().contains(PASSWORD), "never logged");
    let status = d.get("/api/v1/status", &[]).json();
    assert!(!status.to_string().contains("plain text"), "{status}");

    // The public list; the old session went at start (ended 20 days ago, retention 7).
    let deadline = Instant::now() + Duration::from_secs(10);
    let sessions = loop {
        let s = d.get("/api/v1/sessions", &[]).json();
        if s["sessions"].as_array().unwrap().len() == 1 {
            break s;
        }
        assert!(Instant::now() < deadline, "old session not deleted: {s}");
        std::thread::sleep(Duration::from_millis(100));
    };
    assert_eq!(sessions["sessions"][0]["id"], monday);
    assert_eq!(sessions["sessions"][0]["name"], "Monday class");
    assert_eq!(sessions["sessions"][0]["current"], true);

    // Every admin endpoint refuses without a login.
    for (method, path, _) in admin_endpoints(monday) {
        let r = d.req(method, &path, &[], "");
        assert_eq!(r.status, 401, "{method} {path}: {}", r.text());
    }
    // A made-up cookie is no login either.
    let fake = format!("whereflow_admin={}", "ab".repeat(32));
    for (method, path, _) in admin_endpoints(monday) {
        let r = d.req(method, &path, &[("Cookie", &fake)], "");
        assert_eq!(r.status, 401, "{method} {path} with a made-up cookie");
    }
    let page = d.get("/admin", &[]);
    assert_eq!(page.status, 200);
    assert!(page.text().contains("name=\"password\""), "login form");

    // Log in: the cookie's flags.
    let r = d.req(
        "POST",
        "/admin/login",
        &[("Content-Type", "application/x-www-form-urlencoded")],
        &format!("password={}", PASSWORD.replace(' ', "+")),
    );
    assert_eq!(r.status, 303, "{}", r.text());
    assert_eq!(r.header("location"), Some("/admin"));
    let set = r.header("set-cookie").unwrap();
    for flag in ["HttpOnly", "SameSite=Strict", "Path=/", "Max-Age=43200"] {
        assert!(set.contains(flag), "{flag} missing: {set}");
    }
    let token = set
        .split(';')
        .next()
        .unwrap()
        .strip_prefix("whereflow_admin=")
        .unwrap();
    assert_eq!(token.len(), 64, "256 bits in hex: {token}");
    assert!(token.bytes().all(|b| b.is_ascii_hexdigit()));
    let cookie = format!("whereflow_admin={token}");
    let csrf = d.get("/api/v1/admin", &[("Cookie", &cookie)]).json()["csrf_token"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_ne!(csrf, token, "the CSRF token is not the cookie");

    // Logged in, state changes without the CSRF token (or with a wrong one, or from another
    // site) are refused.
    let wrong = "cd".repeat(32);
    for (method, path, writes) in admin_endpoints(monday).into_iter().filter(|e| e.2) {
        assert!(writes);
        let form = ("Content-Type", "application/x-www-form-urlencoded");
        for (headers, body) in [
            (vec![("Cookie", cookie.as_str())], String::new()),
            (vec![("Cookie", cookie.as_str()), form], "name=x".to_owned()),
            (
                vec![
                    ("Cookie", cookie.as_str()),
                    ("X-CSRF-Token", wrong.as_str()),
                ],
                String::new(),
            ),
            (
                vec![("Cookie", cookie.as_str()), form],
                format!("csrf={wrong}&name=x"),
            ),
            (
                vec![
                    ("Cookie", cookie.as_str()),
                    ("X-CSRF-Token", csrf.as_str()),
                    ("Origin", "http://evil.example"),
                    form,
                ],
                format!("csrf={csrf}"),
            ),
        ] {
            let r = d.req(method, &path, &headers, &body);
            assert_eq!(
                r.status,
                403,
                "{method} {path} {headers:?} {body}: {}",
                r.text()
            );
        }
    }
    // Nothing changed.
    assert_eq!(
        d.get("/api/v1/sessions", &[]).json()["sessions"]
            .as_array()
            .unwrap()
            .len(),
        1
    );

    // A DNS answer in the current session (the appliance's own name).
    use hickory_proto::op::{Message, MessageType, OpCode, Query};
    let mut q = Message::new(4242, MessageType::Query, OpCode::Query);
    q.add_query(Query::query(
        hickory_proto::rr::Name::from_ascii("whereflow.lan.").unwrap(),
        hickory_proto::rr::RecordType::A,
    ));
    let udp = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
    udp.set_read_timeout(Some(Duration::from_secs(3))).unwrap();
    udp.send_to(&q.to_vec().unwrap(), d.dns).unwrap();
    let mut buf = [0u8; 1500];
    udp.recv(&mut buf).unwrap();

    // The admin page.
    let auth = [("Cookie", cookie.as_str())];
    let page = d.get("/admin", &auth);
    assert_eq!(page.status, 200);
    assert_eq!(page.header("cache-control"), Some("no-store"));
    let html = page.text();
    for want in [
        "Monday class",
        &format!("/api/v1/sessions/{monday}/report?format=csv"),
        &format!("name=\"csrf\" value=\"{csrf}\""),
        "Start new session",
        "retention_days",
    ] {
        assert!(html.contains(want), "{want} missing from the admin page");
    }

    // JSON export: everything of the session; no MAC anywhere.
    let deadline = Instant::now() + Duration::from_secs(5);
    let all = loop {
        let r = d.get(
            &format!("/api/v1/sessions/{monday}/export?format=json"),
            &auth,
        );
        assert_eq!(r.status, 200, "{}", r.text());
        assert!(r
            .header("content-disposition")
            .unwrap()
            .contains(&format!("whereflow-session-{monday}-all.json")));
        let v = r.json();
        // The DNS answer above reaches the database within the writer's 500 ms.
        if v["dns"].as_array().unwrap().len() == 2 {
            break v;
        }
        assert!(Instant::now() < deadline, "answer not stored: {v}");
        std::thread::sleep(Duration::from_millis(100));
    };
    assert!(
        !all.to_string().contains("02:00:5e"),
        "MAC in export: {all}"
    );
    assert_eq!(all["session"]["name"], "Monday class");
    assert_eq!(all["session"]["current"], true);
    let flows = all["flows"].as_array().unwrap();
    assert_eq!(flows.len(), 3);
    let f = flows
        .iter()
        .find(|f| f["device_ip"] == "192.168.4.20")
        .unwrap();
    assert_eq!(
        (&f["domain"], &f["org"], &f["country"], &f["device_name"]),
        (
            &Value::from("video.example.com"),
            &Value::from("Example Video Co"),
            &Value::from("NL"),
            &Value::from("annas-phone")
        )
    );
    let devices = all["devices"].as_array().unwrap();
    let anna = devices.iter().find(|d| d["ip"] == "192.168.4.20").unwrap();
    assert_eq!(anna["name"], "annas-phone");
    assert_eq!(anna["bytes_down"], 50_000);
    assert!(all["dns"]
        .as_array()
        .unwrap()
        .iter()
        .any(|a| a["name"] == "whereflow.lan"));
    let top = &all["hosts"][0];
    assert_eq!(
        (
            &top["remote_ip"],
            &top["domain"],
            &top["bytes_to_host"],
            &top["bytes_from_host"]
        ),
        (
            &Value::from("203.0.113.10"),
            &Value::from("video.example.com"),
            &Value::from(1_500),
            &Value::from(70_000)
        )
    );
    assert_eq!(top["devices"], 2);

    // CSV: one table per file, for a spreadsheet.
    let csv_of = |path: &str| {
        let r = d.get(path, &auth);
        assert_eq!(r.status, 200, "{path}: {}", r.text());
        assert_eq!(r.header("content-type"), Some("text/csv; charset=utf-8"));
        let text = r.text();
        let text = text
            .strip_prefix('\u{feff}')
            .expect("byte-order mark")
            .to_owned();
        text
    };
    let flows_csv = csv_of(&format!(
        "/api/v1/sessions/{monday}/export?format=csv&part=flows"
    ));
    let mut lines = flows_csv.lines();
    let header = lines.next().unwrap();
    assert!(header.starts_with("id,device_ip,device_name,remote_ip,remote_port,proto,domain"));
    assert!(header.contains("first_seen_utc"));
    assert_eq!(lines.clone().count(), 3);
    assert!(flows_csv.contains("annas-phone,203.0.113.10,443,tcp,video.example.com"));
    assert!(
        flows_csv.contains(",'=evil.example.com,"),
        "formula defused:\n{flows_csv}"
    );
    let devices_csv = csv_of(&format!(
        "/api/v1/sessions/{monday}/export?format=csv&part=devices"
    ));
    assert!(devices_csv.starts_with("ip,name,hostname,nickname,first_seen_utc"));
    assert!(devices_csv
        .lines()
        .next()
        .unwrap()
        .ends_with(",bytes_down,device"));
    assert!(devices_csv.contains(",device-1\r\n") || devices_csv.contains(",device-1\n"));
    assert!(devices_csv.contains("192.168.4.20,annas-phone,annas-phone,,"));
    assert!(!devices_csv.contains("02:00:5e"));
    let dns_csv = csv_of(&format!(
        "/api/v1/sessions/{monday}/export?format=csv&part=dns"
    ));
    assert!(dns_csv.contains(",192.168.4.20,video.example.com,A,NOERROR,,203.0.113.10,300"));
    let report = csv_of(&format!("/api/v1/sessions/{monday}/report?format=csv"));
    let mut rows = report.lines();
    assert_eq!(
        rows.next().unwrap(),
        "remote_ip,domain,registrable_domain,org,category,tracker,asn,as_org,country,city,\
         bytes_to_host,bytes_from_host,flows,devices,first_seen_utc,last_seen_utc"
    );
    assert!(rows.next().unwrap().starts_with(
        "203.0.113.10,video.example.com,video.example.com,Example Video Co,video,no,64500,\
         EXAMPLE-AS,NL,Amsterdam,1500,70000,2,2,"
    ));
    for bad in ["?format=xml", "?part=macs", "?format=csv&part=nope"] {
        let r = d.get(&format!("/api/v1/sessions/{monday}/export{bad}"), &auth);
        assert_eq!(r.status, 400, "{bad}");
    }
    assert_eq!(d.get("/api/v1/sessions/999/export", &auth).status, 404);

    // A new session through the JSON API: the live view starts empty.
    assert!(!d.get("/api/v1/dns", &[]).json()["answers"]
        .as_array()
        .unwrap()
        .is_empty());
    let write = [("Cookie", cookie.as_str()), ("X-CSRF-Token", csrf.as_str())];
    let r = d.req(
        "POST",
        "/api/v1/sessions",
        &write,
        r#"{"name": "Tuesday class", "keep_old": true}"#,
    );
    assert_eq!(r.status, 201, "{}", r.text());
    let tuesday = r.json()["session"]["id"].as_i64().unwrap();
    assert_eq!(r.json()["previous"], monday);
    assert!(d.get("/api/v1/dns", &[]).json()["answers"]
        .as_array()
        .unwrap()
        .is_empty());
    let list = d.get("/api/v1/sessions", &[]).json();
    assert_eq!(list["sessions"][0]["id"], tuesday);
    assert_eq!(list["sessions"][0]["current"], true);
    assert_eq!(list["sessions"][1]["current"], false);
    assert!(list["sessions"][1]["ended_at"].is_string());
    let empty = d
        .get(&format!("/api/v1/sessions/{tuesday}/export"), &auth)
        .json();
    assert_eq!(empty["flows"].as_array().unwrap().len(), 0);
    // Monday is still there to export.
    let again = d.get(
        &format!("/api/v1/sessions/{monday}/export?part=flows"),
        &auth,
    );
    assert_eq!(again.json()["flows"].as_array().unwrap().len(), 3);
    assert!(again.json().get("dns").is_none(), "part= keeps one list");
    assert_eq!(
        d.req(
            "POST",
            "/api/v1/sessions",
            &write,
            r#"{"name": "x", "bogus": 1}"#
        )
        .status,
        400
    );

    // The current session cannot be deleted; an old one can.
    let r = d.req("DELETE", &format!("/api/v1/sessions/{tuesday}"), &write, "");
    assert_eq!(r.status, 409, "{}", r.text());
    let r = d.req("DELETE", &format!("/api/v1/sessions/{monday}"), &write, "");
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.json()["deleted"]["flows"], 3);
    assert_eq!(
        d.req("DELETE", &format!("/api/v1/sessions/{monday}"), &write, "")
            .status,
        404
    );

    // The page's form: a new session, deleting the old one.
    let form = [
        ("Cookie", cookie.as_str()),
        ("Content-Type", "application/x-www-form-urlencoded"),
    ];
    let r = d.req(
        "POST",
        "/admin/sessions",
        &form,
        &format!("csrf={csrf}&name=Class+7B&old=delete"),
    );
    assert_eq!(r.status, 303, "{}", r.text());
    assert_eq!(r.header("location"), Some("/admin?done=started"));
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let list = d.get("/api/v1/sessions", &[]).json();
        let names: Vec<&str> = list["sessions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["name"].as_str().unwrap())
            .collect();
        if names == ["Class 7B"] {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "old session not deleted: {names:?}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    assert!(d
        .get("/admin?done=started", &auth)
        .text()
        .contains("A new session has started."));

    // Settings: shown, changed (and saved in the config file), refused when out of range.
    let s = d.get("/api/v1/settings", &auth).json();
    assert_eq!(s["retention_days"], 7);
    assert_eq!(s["max_db_mb"], 1024);
    assert!(s["database"]["file_bytes"].as_u64().unwrap() > 0);
    let r = d.req(
        "POST",
        "/api/v1/settings",
        &write,
        r#"{"retention_days": 30}"#,
    );
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.json()["persisted"], true, "{}", r.text());
    assert_eq!(r.json()["settings"]["retention_days"], 30);
    let config = std::fs::read_to_string(&d.config).unwrap();
    assert!(config.contains("retention_days = 30"), "{config}");
    assert!(
        config.contains("# set by the teacher"),
        "comments kept: {config}"
    );
    let r = d.req(
        "POST",
        "/api/v1/settings",
        &write,
        r#"{"retention_days": 0}"#,
    );
    assert_eq!(r.status, 400);
    assert!(r.text().contains("history.retention_days"), "{}", r.text());
    let r = d.req(
        "POST",
        "/admin/settings",
        &form,
        &format!("csrf={csrf}&retention_days=14&max_db_mb=512&old=keep"),
    );
    assert_eq!(r.status, 303, "{}", r.text());
    let s = d.get("/api/v1/settings", &auth).json();
    assert_eq!(
        (&s["retention_days"], &s["max_db_mb"]),
        (&Value::from(14), &Value::from(512))
    );

    // Log out: the cookie is cleared and no longer works.
    let r = d.req("POST", "/admin/logout", &form, &format!("csrf={csrf}"));
    assert_eq!(r.status, 303);
    assert!(r.header("set-cookie").unwrap().contains("Max-Age=0"));
    assert_eq!(d.get("/api/v1/admin", &auth).status, 401);
}

#[test]
fn wrong_passwords_are_slowed_then_locked_out_for_that_device_only() {
    let d = Daemon::start(
        Daemon::dir("throttle"),
        &format!("[admin]\npassword = \"{PASSWORD}\"\n"),
        false,
    );
    // Four wrong passwords: refused, each answered later than the one before (250 ms more
    // per failure; only lower bounds are checked).
    for n in 1..=4u32 {
        let t = Instant::now();
        let r = d.login(None, "wrong password").unwrap_err();
        let took = t.elapsed();
        assert_eq!(r.status, 401, "attempt {n}");
        assert!(r.text().contains("Wrong password"), "attempt {n}");
        assert!(
            took >= Duration::from_millis(250) * n,
            "attempt {n} answered after {took:?}"
        );
    }
    // The fifth locks this device out: even the right password is refused, unchecked.
    assert_eq!(d.login(None, "wrong again").unwrap_err().status, 401);
    let t = Instant::now();
    let r = d.login(None, PASSWORD).unwrap_err();
    assert_eq!(r.status, 429, "{}", r.text());
    let retry: u64 = r.header("retry-after").unwrap().parse().unwrap();
    assert!((20..=30).contains(&retry), "Retry-After {retry}");
    assert!(
        t.elapsed() < Duration::from_secs(1),
        "refused without waiting"
    );
    assert!(r.text().contains("Too many wrong passwords"));
    // Another device (another loopback address) logs in fine.
    let (cookie, _) = d.login(Some("127.0.0.2"), PASSWORD).unwrap();
    assert_eq!(d.get("/api/v1/admin", &[("Cookie", &cookie)]).status, 200);
    assert!(!d.log().contains(PASSWORD));
}

#[test]
fn without_a_password_the_admin_pages_say_how_to_set_one() {
    let d = Daemon::start(Daemon::dir("off"), "", false);
    let page = d.get("/admin", &[]);
    assert_eq!(page.status, 200);
    let html = page.text();
    assert!(html.contains("The admin pages are off"), "{html}");
    assert!(html.contains("password = "), "{html}");
    let r = d.login(None, "anything at all").unwrap_err();
    assert_eq!(r.status, 401);
    let r = d.get("/api/v1/settings", &[]);
    assert_eq!(r.status, 401);
    assert!(r.text().contains("admin.password"), "{}", r.text());
    // The public list still works.
    assert_eq!(d.get("/api/v1/sessions", &[]).status, 200);
}

#[test]
fn a_config_file_that_cannot_be_rewritten_is_reported_and_the_password_still_works() {
    if unsafe { libc::geteuid() } != 0 {
        eprintln!("skipped: needs root to run the daemon as nobody");
        return;
    }
    let d = Daemon::start(
        Daemon::dir("ro"),
        &format!("[admin]\npassword = \"{PASSWORD}\"\n"),
        true,
    );
    let status = d.get("/api/v1/status", &[]).json();
    let warnings = status["warnings"].to_string();
    assert!(warnings.contains("plain text"), "{status}");
    assert!(warnings.contains("admin.password"), "{status}");
    assert!(!warnings.contains(PASSWORD), "{status}");
    assert!(std::fs::read_to_string(&d.config)
        .unwrap()
        .contains(PASSWORD));
    let (cookie, _) = d.login(None, PASSWORD).unwrap();
    assert_eq!(d.get("/api/v1/admin", &[("Cookie", &cookie)]).status, 200);
}

/// The recovery code last published in the daemon's log.
fn recovery_code(d: &Daemon) -> String {
    let log = d.log();
    let line = log
        .lines()
        .rfind(|l| l.contains("admin recovery code"))
        .unwrap_or_else(|| panic!("no recovery code in the log:\n{log}"));
    line.rsplit(": ").next().unwrap().trim().to_owned()
}

#[test]
fn failures_from_many_addresses_never_block_a_device_without_failures() {
    let d = Daemon::start(
        Daemon::dir("ceiling"),
        &format!("[admin]\npassword = \"{PASSWORD}\"\n"),
        false,
    );
    // One "student" guesses from 40 addresses (127.0.0.10 ..= 127.0.0.49), two wrong
    // passwords each, all at once: 80 failures, far over the global ceiling (30 at once).
    let t = Instant::now();
    let web = d.web.clone();
    let guessers: Vec<_> = (10..50)
        .map(|i| {
            let web = web.clone();
            std::thread::spawn(move || {
                let from = format!("127.0.0.{i}");
                (0..2)
                    .map(|_| match admin_support::login(&web, Some(&from), "guess") {
                        Ok(_) => 200,
                        Err(r) => r.status,
                    })
                    .collect::<Vec<u16>>()
            })
        })
        .collect();
    let codes: Vec<u16> = guessers
        .into_iter()
        .flat_map(|g| g.join().unwrap())
        .collect();
    let refused = codes.iter().filter(|c| **c == 429).count();
    let wrong = codes.iter().filter(|c| **c == 401).count();
    eprintln!(
        "80 guesses from 40 addresses in {:?}: {wrong} checked and wrong, {refused} refused (429)",
        t.elapsed()
    );
    assert_eq!(wrong + refused, 80, "{codes:?}");
    assert!(wrong >= 30, "{codes:?}");
    // An address that already failed is now held back by the global ceiling ...
    let r = d.login(Some("127.0.0.10"), PASSWORD).unwrap_err();
    assert_eq!(r.status, 429, "{}", r.text());
    assert!(r.text().contains("recovery code"), "{}", r.text());
    // ... while the teacher's device, with no failures of its own, logs in at once.
    let t = Instant::now();
    let (cookie, _) = d.login(Some("127.0.0.200"), PASSWORD).unwrap();
    assert_eq!(d.get("/api/v1/admin", &[("Cookie", &cookie)]).status, 200);
    eprintln!("the teacher logged in after {:?}", t.elapsed());
    // The teacher mistyping once is then held back too: the one-time recovery code (console
    // and problems file) lets them in and clears every lock-out.
    assert_eq!(
        d.login(Some("127.0.0.201"), "typo").unwrap_err().status,
        401
    );
    assert_eq!(
        d.login(Some("127.0.0.201"), PASSWORD).unwrap_err().status,
        429
    );
    let code = recovery_code(&d);
    assert_eq!(code.len(), 19, "{code}");
    let (cookie, _) = d.login(Some("127.0.0.201"), &code.to_lowercase()).unwrap();
    assert_eq!(d.get("/api/v1/admin", &[("Cookie", &cookie)]).status, 200);
    let (cookie, _) = d.login(Some("127.0.0.10"), PASSWORD).unwrap();
    assert_eq!(d.get("/api/v1/admin", &[("Cookie", &cookie)]).status, 200);
    // The code worked once: a new one was published.
    assert_eq!(d.login(Some("127.0.0.202"), &code).unwrap_err().status, 401);
    assert_ne!(recovery_code(&d), code);
}

#[test]
fn requests_naming_another_host_are_refused_with_421() {
    let d = Daemon::start(
        Daemon::dir("host"),
        &format!(
            "[admin]\npassword = \"{PASSWORD}\"\n\n[site]\nurl = \"http://classroom.example.org/\"\n"
        ),
        false,
    );
    let form = ("Content-Type", "application/x-www-form-urlencoded");
    // A public name rebound to the appliance's address: its pages and forms get nothing.
    for host in [
        "evil.example",
        "evil.example:80",
        "whereflow.lan.evil.example",
    ] {
        for (method, path, body) in [
            ("GET", "/api/v1/me", ""),
            ("GET", "/me", ""),
            ("POST", "/me/nickname", "nickname=pwned&csrf=x"),
            ("POST", "/me/forget", "csrf=x"),
            ("POST", "/admin/login", "password=x"),
            ("GET", "/api/v1/flows", ""),
            ("GET", "/no-such-page", ""),
        ] {
            let r = d.req(method, path, &[("Host", host), form], body);
            assert_eq!(r.status, 421, "{method} {path} Host: {host}: {r:?}");
            assert!(r.text().contains("web.allowed_hosts"), "{}", r.text());
        }
    }
    // The appliance's names and addresses pass.
    let port = d.web.rsplit(':').next().unwrap().to_owned();
    for host in [
        "whereflow.lan".to_owned(),
        format!("whereflow.lan:{port}"),
        "whereflow".to_owned(),
        "classroom.example.org".to_owned(),
        format!("localhost:{port}"),
        d.web.clone(),
    ] {
        let r = d.get("/api/v1/me", &[("Host", &host)]);
        assert_ne!(r.status, 421, "Host: {host}: {r:?}");
        assert_eq!(d.get("/", &[("Host", &host)]).status, 200, "Host: {host}");
    }
    // HTTP/1.0 without Host (not a browser) passes.
    let mut s = std::net::TcpStream::connect(&d.web).unwrap();
    use std::io::{Read, Write};
    s.write_all(b"GET /api/v1/status HTTP/1.0\r\n\r\n").unwrap();
    let mut out = String::new();
    s.read_to_string(&mut out).unwrap();
    assert!(
        out.starts_with("HTTP/1.0 200") || out.starts_with("HTTP/1.1 200"),
        "{out}"
    );
}

#[test]
fn a_name_in_web_allowed_hosts_is_accepted() {
    let d = Daemon::start_with(
        Daemon::dir("allowed"),
        "allowed_hosts = [\"wf.school.example\"]\n",
        "",
        false,
    );
    assert_eq!(d.get("/", &[("Host", "wf.school.example")]).status, 200);
    assert_eq!(d.get("/", &[("Host", "WF.School.Example.:80")]).status, 200);
    assert_eq!(d.get("/", &[("Host", "evil.example")]).status, 421);
}

/// One HTTP/1.0 request over TLS to 127.0.0.1:`port`, trusting only `cert_pem` for the name
/// `whereflow.lan`; returns the head and the body.
fn https_request(
    port: u16,
    cert_pem: &str,
    method: &str,
    path: &str,
    body: &str,
) -> (String, String) {
    use rustls::pki_types::pem::PemObject;
    use std::io::{Read, Write};
    let cert = rustls::pki_types::CertificateDer::from_pem_slice(cert_pem.as_bytes()).unwrap();
    let mut roots = rustls::RootCertStore::empty();
    roots.add(cert).unwrap();
    // ring, as the appliance uses (deprecated only for lacking post-quantum key exchange).
    #[allow(deprecated)]
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_root_certificates(roots)
        .with_no_client_auth();
    let name = rustls::pki_types::ServerName::try_from("whereflow.lan").unwrap();
    let conn = rustls::ClientConnection::new(Arc::new(config), name).unwrap();
    let tcp = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
    tcp.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    let mut tls = rustls::StreamOwned::new(conn, tcp);
    write!(
        tls,
        "{method} {path} HTTP/1.0\r\nHost: whereflow.lan:{port}\r\nContent-Type: \
         application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut out = Vec::new();
    // The server may end without close_notify; what was read is enough.
    let _ = tls.read_to_end(&mut out);
    let text = String::from_utf8_lossy(&out).into_owned();
    let (head, body) = text
        .split_once("\r\n\r\n")
        .expect("an HTTP answer over TLS");
    (head.to_owned(), body.to_owned())
}

#[test]
fn https_serves_the_admin_login_with_a_secure_cookie_and_a_published_fingerprint() {
    use std::os::unix::fs::PermissionsExt;
    let https_port = free_port();
    let dir = Daemon::dir("https");
    let problems = dir.join("whereflow-problems.txt");
    let d = Daemon::start_with(
        dir.clone(),
        &format!("https_listen = \"127.0.0.1:{https_port}\"\n"),
        &format!(
            "[admin]\npassword = \"{PASSWORD}\"\n\n[system]\nproblems_file = \"{}\"\n",
            problems.display()
        ),
        false,
    );
    // The certificate and key were made in the data directory, readable by root only.
    let cert_path = dir.join("data/https-cert.pem");
    for f in [&cert_path, &dir.join("data/https-key.pem")] {
        let mode = std::fs::metadata(f).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "{}", f.display());
    }
    let cert_pem = std::fs::read_to_string(&cert_path).unwrap();
    let der = {
        use rustls::pki_types::pem::PemObject;
        rustls::pki_types::CertificateDer::from_pem_slice(cert_pem.as_bytes()).unwrap()
    };
    let fp = ring::digest::digest(&ring::digest::SHA256, der.as_ref())
        .as_ref()
        .iter()
        .map(|b| format!("{b:02X}"))
        .collect::<Vec<_>>()
        .join(":");
    // Its fingerprint: in the log, the problems file and on the presenter, not in the status.
    assert!(d.log().contains(&fp), "{}", d.log());
    let notes = std::fs::read_to_string(&problems).unwrap();
    assert!(notes.contains(&fp), "{notes}");
    assert!(notes.contains(&recovery_code(&d)), "{notes}");
    let presenter = d.get("/presenter", &[]).text();
    assert!(presenter.contains(&fp), "{presenter}");
    let status = d.get("/api/v1/status", &[]).text();
    assert!(
        !status.contains(&fp) && !status.contains(&recovery_code(&d)),
        "{status}"
    );

    // Over plain HTTP the login form warns and points to HTTPS; the cookie is not Secure.
    let page = d.get("/admin", &[]).text();
    assert!(page.contains("came over plain HTTP"), "{page}");
    assert!(
        page.contains(&format!("https://whereflow.lan:{https_port}/admin")),
        "{page}"
    );
    let plain = d.req(
        "POST",
        "/admin/login",
        &[("Content-Type", "application/x-www-form-urlencoded")],
        &format!("password={}", PASSWORD.replace(' ', "+")),
    );
    assert_eq!(plain.status, 303);
    assert!(!plain.header("set-cookie").unwrap().contains("Secure"));

    // Over HTTPS (the certificate checked against the one in the data directory): no
    // warning, and the login cookie is Secure.
    let (head, page) = https_request(https_port, &cert_pem, "GET", "/admin", "");
    assert!(head.contains(" 200 "), "{head}");
    assert!(!page.contains("came over plain HTTP"), "{page}");
    let (head, _) = https_request(
        https_port,
        &cert_pem,
        "POST",
        "/admin/login",
        &format!("password={}", PASSWORD.replace(' ', "+")),
    );
    assert!(head.contains(" 303 "), "{head}");
    let cookie = head
        .lines()
        .find(|l| l.to_ascii_lowercase().starts_with("set-cookie:"))
        .unwrap_or_default();
    assert!(cookie.contains("; Secure"), "{head}");
    assert!(cookie.contains("HttpOnly"), "{head}");
    // The Host check holds over HTTPS too.
    let (head, _) = https_request(https_port, &cert_pem, "GET", "/api/v1/me", "");
    assert!(!head.contains(" 421 "), "{head}");
}
