//! The teacher's group-view rules on the real `whereflow` binary over real HTTP (issue 13,
//! point 4): a hidden device and a hidden website leave the group views (`/api/v1/paths`,
//! `/api/v1/devices`) as "hidden" rows with the totals unchanged, but stay on the device's
//! own page; nicknames hidden by text, cleared, locked (the owner is told why), "names off";
//! undo brings everything back; the admin page's forms work without a script; CSRF and the
//! login are required; a new session starts without rules. Devices are loopback addresses
//! (127.0.0.20, 127.0.0.21): a request from one is that device asking. No root needed:
//! conntrack is off, the session's flows come from a database prepared before the start.
//! The last test runs on the lab (root): live flows through conntrack and their events.

mod admin_support;
mod common;

use std::path::Path;
use std::sync::Arc;

use chrono::Utc;
use serde_json::{json, Value};
use whereflow::model::{
    Category, DeviceId, Domain, Enrichment, FlowKey, FlowRecord, FlowState, Proto,
};
use whereflow::store::{Store, StoreOp};

use admin_support::{http, Daemon};

const PASSWORD: &str = "teacher password";
const ANA: &str = "127.0.0.20";
const BEN: &str = "127.0.0.21";

fn flow(n: u32, dev: &str, domain: &str, org: &str, up: u64, down: u64) -> StoreOp {
    let key = FlowKey {
        id: n,
        start_ns: 1_800_000_000_000_000_000 + u64::from(n),
    };
    let now = Utc::now();
    StoreOp::Flow(Arc::new(FlowRecord {
        id: format!("{}-{}", key.id, key.start_ns),
        key,
        device_ip: DeviceId(dev.parse().unwrap()),
        remote_ip: "203.0.113.10".parse().unwrap(),
        remote_port: 443,
        local_port: None,
        proto: Proto::Tcp,
        domain: Some(Domain::new(&format!("www.{domain}")).unwrap()),
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
            org: Some(org.into()),
            category: Some(Category::Video),
            country: Some("NL".into()),
            ..Enrichment::default()
        },
    }))
}

/// The current session: Ana watched video; Ben watched video and visited a site the teacher
/// will hide.
fn prepare(data: &Path) {
    let store = Store::open(data).unwrap();
    let (w, h) = store.spawn_writer(1_000).unwrap();
    for op in [
        flow(
            1,
            ANA,
            "video.example.com",
            "Example Video Co",
            1_000,
            50_000,
        ),
        flow(2, BEN, "secret-site.org", "Secret Org", 300, 700),
        flow(3, BEN, "video.example.com", "Example Video Co", 500, 20_000),
    ] {
        assert!(w.try_send(op));
    }
    drop(w);
    h.join().unwrap();
}

/// Bytes and connections over every row.
fn totals(paths: &Value) -> (u64, u64) {
    paths["paths"]
        .as_array()
        .unwrap()
        .iter()
        .fold((0, 0), |(b, c), r| {
            (
                b + r["bytes_up"].as_u64().unwrap() + r["bytes_down"].as_u64().unwrap(),
                c + r["connections"].as_u64().unwrap(),
            )
        })
}

fn name_of(paths: &Value, id: &str) -> Option<String> {
    paths["devices"]
        .as_array()?
        .iter()
        .find(|d| d["id"] == id)
        .and_then(|d| d["name"].as_str().map(String::from))
}

struct Teacher<'a> {
    d: &'a Daemon,
    cookie: String,
    csrf: String,
}

impl Teacher<'_> {
    fn add(&self, kind: &str, target: &str, action: &str) -> (u16, Value) {
        let body = json!({ "kind": kind, "target": target, "action": action }).to_string();
        let r = self.d.req(
            "POST",
            "/api/v1/group-view",
            &[("Cookie", &self.cookie), ("X-CSRF-Token", &self.csrf)],
            &body,
        );
        (r.status, r.json())
    }

    fn hide(&self, kind: &str, target: &str, action: &str) -> u64 {
        let (status, v) = self.add(kind, target, action);
        assert_eq!(status, 201, "{kind} {target} {action}: {v}");
        v["rule"]["id"].as_u64().unwrap()
    }

    fn undo(&self, id: u64) {
        let r = self.d.req(
            "DELETE",
            &format!("/api/v1/group-view/{id}"),
            &[("Cookie", &self.cookie), ("X-CSRF-Token", &self.csrf)],
            "",
        );
        assert_eq!(r.status, 200, "{}", r.text());
    }

    fn rules(&self) -> Value {
        self.d
            .get("/api/v1/group-view", &[("Cookie", &self.cookie)])
            .json()
    }
}

/// A GET as the device at `from`.
fn get_as(d: &Daemon, from: &str, path: &str) -> (u16, String) {
    let r = http(&d.web, Some(from), "GET", path, &[], b"");
    (r.status, r.text())
}

fn json_as(d: &Daemon, from: &str, path: &str) -> Value {
    let (status, body) = get_as(d, from, path);
    assert_eq!(status, 200, "{path}: {body}");
    serde_json::from_str(&body).unwrap()
}

/// `POST /me/nickname` as the device at `from` (with its page's double-submit token).
fn set_nickname(d: &Daemon, from: &str, nickname: &str) -> (u16, String) {
    let page = http(&d.web, Some(from), "GET", "/me", &[], b"");
    let cookie = page
        .headers("set-cookie")
        .into_iter()
        .find(|v| v.starts_with("whereflow_form="))
        .and_then(|v| v.split(';').next())
        .expect("the form cookie")
        .to_owned();
    let body = page.text();
    let at = body.find("name=\"csrf\"").expect("csrf field");
    let v = body[at..].find("value=\"").unwrap() + at + 7;
    let token = body[v..].split('"').next().unwrap().to_owned();
    // Form encoding: every byte but letters and digits as `%XX`.
    let encoded: String = nickname
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    let form = format!("nickname={encoded}&csrf={token}");
    let r = http(
        &d.web,
        Some(from),
        "POST",
        "/me/nickname",
        &[
            ("Content-Type", "application/x-www-form-urlencoded"),
            ("Cookie", &cookie),
        ],
        form.as_bytes(),
    );
    (r.status, r.text())
}

#[test]
fn the_teacher_hides_things_from_the_projector_and_undoes_it() {
    let dir = Daemon::dir("group-view");
    prepare(&dir.join("data"));
    let d = Daemon::start(dir, &format!("[admin]\npassword = \"{PASSWORD}\"\n"), false);
    let session = "/api/v1/paths?window=session";
    let before = d.get(session, &[]).json();
    let (bytes, connections) = totals(&before);
    assert_eq!((bytes, connections), (72_500, 3), "{before}");
    assert!(name_of(&before, ANA).is_some(), "{before}");
    assert!(before.to_string().contains("secret-site.org"));

    // Only the admin, and only with the CSRF token.
    assert!(matches!(d.get("/api/v1/group-view", &[]).status, 401 | 403));
    let (cookie, csrf) = d.login(None, PASSWORD).expect("login");
    let t = Teacher {
        d: &d,
        cookie,
        csrf,
    };
    let r = d.req(
        "POST",
        "/api/v1/group-view",
        &[("Cookie", &t.cookie)],
        r#"{"kind":"device","target":"127.0.0.20","action":"hide"}"#,
    );
    assert_eq!(r.status, 403, "{}", r.text());
    assert_eq!(t.add("person", "x", "hide").0, 400);
    assert_eq!(t.add("domain", "example.com", "lock").0, 400);
    assert_eq!(t.add("domain", "not a domain", "hide").0, 400);
    assert_eq!(t.add("device", "nobody", "hide").0, 400);
    assert_eq!(t.add("nickname", &"x".repeat(300), "hide").0, 400);

    // Hide Ana's device and the secret site.
    let hide_ana = t.hide("device", ANA, "hide");
    let (status, v) = t.add("domain", "www.Secret-Site.org", "hide");
    assert_eq!(status, 201, "{v}");
    assert_eq!(v["rule"]["target"], "secret-site.org");
    let hide_site = v["rule"]["id"].as_u64().unwrap();
    assert_eq!(t.add("device", ANA, "hide").0, 409, "the same rule twice");

    let after = d.get(session, &[]).json();
    assert_eq!(
        totals(&after),
        (bytes, connections),
        "totals unchanged: {after}"
    );
    let text = after.to_string();
    assert!(!text.contains("secret-site.org"), "{text}");
    assert!(!text.contains("Secret Org"), "{text}");
    assert!(!text.contains(ANA), "{text}");
    assert_eq!(name_of(&after, "hidden").as_deref(), Some("Hidden devices"));
    let rows = after["paths"].as_array().unwrap();
    let hidden_site = rows.iter().find(|r| r["domain_hidden"] == true).unwrap();
    assert_eq!(
        (hidden_site["domain"].clone(), hidden_site["org"].clone()),
        (Value::Null, Value::Null)
    );
    assert_eq!(hidden_site["bytes_up"], 300);
    let hidden_dev = rows.iter().find(|r| r["device"] == "hidden").unwrap();
    assert_eq!(hidden_dev["bytes_down"], 50_000);

    // The device list: Ana is one "hidden" row for everyone else, herself for herself.
    let list = d.get("/api/v1/devices", &[]).json();
    let devices = list["devices"].as_array().unwrap();
    assert!(!list.to_string().contains(ANA), "{list}");
    let hidden = devices.iter().find(|r| r["device"] == "hidden").unwrap();
    assert_eq!(hidden["bytes_down"], 50_000);
    assert_eq!(hidden["count"], 1);
    let own = json_as(&d, ANA, "/api/v1/devices");
    assert!(own.to_string().contains(ANA), "{own}");

    // The device's own page is not censored: Ana sees her video, Ben his secret site.
    let ana = json_as(&d, ANA, "/api/v1/me");
    assert!(ana.to_string().contains("Example Video Co"), "{ana}");
    assert_eq!(
        ana["group_name"], "Hidden device",
        "what the big screen shows: {ana}"
    );
    let ben = json_as(&d, BEN, "/api/v1/me");
    assert!(ben.to_string().contains("Secret Org"), "{ben}");
    let (_, page) = get_as(&d, BEN, "/me");
    assert!(page.contains("Secret Org"), "{page}");

    // The admin sees the rules, with the device named.
    let rules = t.rules();
    assert_eq!(rules["rules"].as_array().unwrap().len(), 2, "{rules}");
    assert!(rules["rules"][0]["target"]
        .as_str()
        .unwrap()
        .starts_with("ip-"));

    // Undo: everything is back.
    t.undo(hide_ana);
    t.undo(hide_site);
    let back = d.get(session, &[]).json();
    assert_eq!(totals(&back), (bytes, connections));
    assert!(name_of(&back, ANA).is_some(), "{back}");
    assert!(back.to_string().contains("secret-site.org"));
    let r = d.req(
        "DELETE",
        &format!("/api/v1/group-view/{hide_ana}"),
        &[("Cookie", &t.cookie), ("X-CSRF-Token", &t.csrf)],
        "",
    );
    assert_eq!(r.status, 404, "undone already");

    // Nicknames: Ben names himself; the teacher hides the name (by its text), clears it,
    // locks it; names off shows pseudonyms only. Ben's own page keeps his nickname.
    assert_eq!(set_nickname(&d, BEN, "Alice Smith").0, 303);
    let name = |d: &Daemon| name_of(&d.get(session, &[]).json(), BEN).unwrap();
    assert_eq!(name(&d), "Alice Smith");
    let pseudonym = json_as(&d, BEN, "/api/v1/me")["pseudonym"]
        .as_str()
        .unwrap()
        .to_owned();
    let by_text = t.hide("nickname", "  alice   SMITH ", "hide");
    assert_eq!(name(&d), pseudonym);
    let list = d.get("/api/v1/devices", &[]).json();
    assert!(!list.to_string().contains("Alice Smith"), "{list}");
    assert!(json_as(&d, BEN, "/api/v1/devices")
        .to_string()
        .contains("Alice Smith"));
    t.undo(by_text);
    assert_eq!(name(&d), "Alice Smith");
    let clear = t.hide("device", BEN, "clear");
    assert_eq!(name(&d), pseudonym);
    assert_eq!(json_as(&d, BEN, "/api/v1/me")["nickname"], "Alice Smith");
    let lock = t.hide("device", BEN, "lock");
    let (status, body) = set_nickname(&d, BEN, "Another name");
    assert_eq!(status, 403, "{body}");
    assert!(body.contains("locked"), "{body}");
    let (_, page) = get_as(&d, BEN, "/me");
    assert!(page.contains("me-nickname-locked"), "the page says so");
    t.undo(lock);
    t.undo(clear);
    // What a nickname may hold: emoji and punctuation yes; invisible, direction-changing or
    // stacking characters no.
    for bad in [
        "Ben\u{200b}",
        "a\u{061c}b",
        "Z\u{334}\u{351}\u{30c}\u{335}algo",
    ] {
        let (status, body) = set_nickname(&d, BEN, bad);
        assert_eq!(status, 400, "{bad:?}: {body}");
    }
    assert_eq!(set_nickname(&d, BEN, "Zoë 👩‍💻 (7B)!").0, 303);
    assert_eq!(name(&d), "Zoë 👩‍💻 (7B)!");
    assert_eq!(set_nickname(&d, BEN, "Ben's phone").0, 303);
    assert_eq!(name(&d), "Ben's phone");
    let names_off = t.hide("names", "", "hide");
    assert_eq!(name(&d), pseudonym);
    assert_eq!(t.rules()["names_off"], true);
    t.undo(names_off);
    assert_eq!(name(&d), "Ben's phone");

    // The admin page's forms, no script: hide a website, see the rule, undo it.
    let form = [
        ("Cookie", t.cookie.as_str()),
        ("Content-Type", "application/x-www-form-urlencoded"),
    ];
    let r = d.req(
        "POST",
        "/admin/group-view",
        &form,
        &format!(
            "csrf={}&kind=domain&target=secret-site.org&action=hide",
            t.csrf
        ),
    );
    assert_eq!(r.status, 303, "{}", r.text());
    assert_eq!(r.header("location"), Some("/admin?done=group-view"));
    let r = d.req(
        "POST",
        "/admin/group-view",
        &form,
        "csrf=wrong&kind=domain&target=other.org&action=hide",
    );
    assert_eq!(r.status, 403);
    let page = d.get("/admin", &[("Cookie", &t.cookie)]).text();
    assert!(page.contains("Hidden: website secret-site.org"), "{page}");
    assert!(page.contains("id=\"names-off\""), "{page}");
    let id = t.rules()["rules"][0]["id"].as_u64().unwrap();
    assert!(!d.get(session, &[]).text().contains("secret-site.org"));
    let r = d.req(
        "POST",
        &format!("/admin/group-view/{id}/undo"),
        &form,
        &format!("csrf={}", t.csrf),
    );
    assert_eq!(r.status, 303, "{}", r.text());
    assert!(d.get(session, &[]).text().contains("secret-site.org"));

    // Rules belong to the session: a new one starts without them.
    t.hide("domain", "secret-site.org", "hide");
    let r = d.req(
        "POST",
        "/api/v1/sessions",
        &[("Cookie", &t.cookie), ("X-CSRF-Token", &t.csrf)],
        r#"{"name": "Next class", "keep_old": true}"#,
    );
    assert_eq!(r.status, 201, "{}", r.text());
    assert_eq!(t.rules()["rules"], json!([]));
    // ... and without nicknames (the admin did not keep them).
    assert_eq!(json_as(&d, BEN, "/api/v1/me")["nickname"], Value::Null);
    assert!(!d.log().contains(PASSWORD));
}

/// A third device, neither hidden nor the admin: what the projector and the class see.
const CAROL: &str = "127.0.0.22";

/// One DNS question for `name` (type A) from the device at `from`; waits for the answer
/// (SERVFAIL here: the test's upstream is a closed port), so it is in the log.
fn ask(dns: std::net::SocketAddr, from: &str, name: &str) {
    let s = std::net::UdpSocket::bind((from, 0)).unwrap();
    s.set_read_timeout(Some(std::time::Duration::from_secs(5)))
        .unwrap();
    let mut q = vec![0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0];
    for label in name.split('.') {
        q.push(label.len() as u8);
        q.extend_from_slice(label.as_bytes());
    }
    q.extend_from_slice(&[0, 0, 1, 0, 1]);
    s.send_to(&q, dns).unwrap();
    let mut buf = [0u8; 512];
    let _ = s.recv_from(&mut buf);
}

/// Subscribe to the event stream as the device at `from` (with `cookie`, if any) and read
/// what comes for `secs` seconds, on a thread.
fn listen(
    web: &str,
    from: &'static str,
    cookie: Option<String>,
    secs: u64,
) -> std::thread::JoinHandle<String> {
    use std::io::{Read, Write};
    let web = web.to_owned();
    std::thread::spawn(move || {
        let target: std::net::SocketAddr = web.parse().unwrap();
        let sock =
            socket2::Socket::new(socket2::Domain::IPV4, socket2::Type::STREAM, None).unwrap();
        let local: std::net::SocketAddr = format!("{from}:0").parse().unwrap();
        sock.bind(&local.into()).unwrap();
        sock.connect(&target.into()).unwrap();
        let mut s: std::net::TcpStream = sock.into();
        s.set_read_timeout(Some(std::time::Duration::from_millis(200)))
            .unwrap();
        let cookie = cookie
            .map(|c| format!("Cookie: {c}\r\n"))
            .unwrap_or_default();
        write!(
            s,
            "GET /api/v1/events HTTP/1.0\r\nHost: {web}\r\n{cookie}\r\n"
        )
        .unwrap();
        let end = std::time::Instant::now() + std::time::Duration::from_secs(secs);
        let mut got = Vec::new();
        let mut buf = [0u8; 4096];
        while std::time::Instant::now() < end {
            match s.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => got.extend_from_slice(&buf[..n]),
                Err(_) => continue,
            }
        }
        String::from_utf8_lossy(&got).into_owned()
    })
}

/// Sum of both byte counters over a `/flows` listing.
fn flow_bytes(v: &Value) -> u64 {
    v["flows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["bytes_up"].as_u64().unwrap() + f["bytes_down"].as_u64().unwrap())
        .sum()
}

/// The row-by-row outputs (issue 13, point 4): with Ana's device hidden, the secret site
/// hidden, Ben's nickname hidden and names off, a third device finds no trace of them in
/// `/api/v1/flows`, `/api/v1/dns`, `/api/v1/alerts`, `/api/v1/devices`, `/api/v1/paths` or
/// the event stream (totals kept, the rows marked hidden) and cannot reach the exports; Ana
/// and Ben see their own rows in full; the logged-in admin sees everything.
#[test]
fn hidden_things_leave_flows_dns_events_and_exports() {
    let dir = Daemon::dir("censor");
    prepare(&dir.join("data"));
    let d = Daemon::start(dir, &format!("[admin]\npassword = \"{PASSWORD}\"\n"), false);
    assert_eq!(set_nickname(&d, BEN, "Alice Smith").0, 303);
    // Before the rules, Ana asked a name of her own (it stays; only who asked goes).
    ask(d.dns, ANA, "ana-homework.example");
    ask(d.dns, BEN, "www.secret-site.org");
    let (cookie, csrf) = d.login(None, PASSWORD).expect("login");
    let t = Teacher {
        d: &d,
        cookie,
        csrf,
    };
    let admin = [("Cookie", t.cookie.as_str())];
    let all_flows = d.get("/api/v1/flows", &admin).json();
    assert_eq!(all_flows["total"], 3, "{all_flows}");
    let bytes = flow_bytes(&all_flows);
    assert_eq!(bytes, 72_500);

    t.hide("device", ANA, "hide");
    t.hide("domain", "secret-site.org", "hide");
    t.hide("nickname", "Alice Smith", "hide");
    t.hide("names", "", "hide");

    // The event stream, as Carol and as the admin, while Ana and Ben ask names.
    let carol_events = listen(&d.web, CAROL, None, 4);
    let admin_events = listen(&d.web, "127.0.0.1", Some(t.cookie.clone()), 4);
    std::thread::sleep(std::time::Duration::from_millis(500));
    ask(d.dns, ANA, "ana-homework.example");
    ask(d.dns, BEN, "cdn.secret-site.org");
    ask(d.dns, BEN, "visible.example");
    let carol_events = carol_events.join().unwrap();
    let admin_events = admin_events.join().unwrap();

    let leaks = ["127.0.0.20", "secret-site", "Secret Org", "Alice Smith"];
    let check = |what: &str, text: &str| {
        for l in leaks {
            assert!(!text.contains(l), "{what} shows {l:?} to Carol: {text}");
        }
    };

    // Flows: every row and byte still there, Ana's as "hidden", the secret site nameless.
    let flows = json_as(&d, CAROL, "/api/v1/flows");
    check("/api/v1/flows", &flows.to_string());
    assert_eq!(flows["total"], 3, "{flows}");
    assert_eq!(flow_bytes(&flows), bytes, "totals kept: {flows}");
    let rows = flows["flows"].as_array().unwrap();
    assert!(
        rows.iter()
            .any(|f| f["device"] == "hidden" && f["device_hidden"] == true),
        "{flows}"
    );
    assert!(
        rows.iter()
            .any(|f| f["domain_hidden"] == true && f["domain"].is_null()),
        "{flows}"
    );
    let (status, body) = get_as(&d, CAROL, "/api/v1/flows?device=127.0.0.20");
    assert_eq!(status, 403, "{body}");

    // DNS answers: the same count, censored.
    let dns = json_as(&d, CAROL, "/api/v1/dns");
    check("/api/v1/dns", &dns.to_string());
    let answers = dns["answers"].as_array().unwrap();
    let admin_dns = d.get("/api/v1/dns", &admin).json();
    assert_eq!(
        answers.len(),
        admin_dns["answers"].as_array().unwrap().len(),
        "{dns}"
    );
    assert!(answers.len() >= 5, "{dns}");
    assert!(answers
        .iter()
        .any(|a| a["device_hidden"] == true && a["name"] == "ana-homework.example"));
    assert!(answers
        .iter()
        .any(|a| a["domain_hidden"] == true && a["name"].is_null()));
    let (status, _) = get_as(&d, CAROL, "/api/v1/dns?device=127.0.0.20");
    assert_eq!(status, 403);

    // The event stream: the answers arrive, censored.
    check("the event stream", &carol_events);
    assert!(carol_events.contains("visible.example"), "{carol_events}");
    assert!(
        carol_events.contains("\"device_hidden\":true"),
        "{carol_events}"
    );
    assert!(
        carol_events.contains("\"domain_hidden\":true"),
        "{carol_events}"
    );

    // The group views and the rest of the API.
    for path in [
        "/api/v1/alerts",
        "/api/v1/devices",
        "/api/v1/paths?window=session",
        "/alerts",
        "/presenter",
    ] {
        let (status, body) = get_as(&d, CAROL, path);
        assert_eq!(status, 200, "{path}: {body}");
        check(path, &body);
    }

    // The exports are the admin's only.
    let sessions = d.get("/api/v1/sessions", &admin).json();
    let id = sessions["sessions"][0]["id"].as_i64().unwrap();
    for path in [
        format!("/api/v1/sessions/{id}/export?format=csv&part=flows"),
        format!("/api/v1/sessions/{id}/export?format=json"),
        format!("/api/v1/sessions/{id}/report?format=csv"),
    ] {
        let (status, body) = get_as(&d, CAROL, &path);
        assert_eq!(status, 401, "{path}: {body}");
        check(&path, &body);
    }
    let export = d
        .get(&format!("/api/v1/sessions/{id}/export?format=json"), &admin)
        .text();
    assert!(export.contains("secret-site.org"), "{export}");

    // Ana and Ben see their own rows in full.
    let own = json_as(&d, ANA, "/api/v1/flows");
    assert!(own.to_string().contains("127.0.0.20"), "{own}");
    assert!(json_as(&d, ANA, "/api/v1/me")
        .to_string()
        .contains("Example Video Co"));
    assert!(json_as(&d, ANA, "/api/v1/dns")
        .to_string()
        .contains("127.0.0.20"));
    let ben = json_as(&d, BEN, "/api/v1/dns").to_string();
    assert!(ben.contains("secret-site.org"), "{ben}");
    assert!(json_as(&d, BEN, "/api/v1/flows")
        .to_string()
        .contains("secret-site.org"));
    assert_eq!(json_as(&d, BEN, "/api/v1/me")["nickname"], "Alice Smith");

    // The admin sees everything, on the lists and the stream.
    let all = d.get("/api/v1/flows", &admin).text();
    assert!(
        all.contains("127.0.0.20") && all.contains("Secret Org"),
        "{all}"
    );
    let all = d.get("/api/v1/dns", &admin).text();
    assert!(all.contains("127.0.0.20") && all.contains("cdn.secret-site.org"));
    assert!(
        admin_events.contains("127.0.0.20") && admin_events.contains("cdn.secret-site.org"),
        "{admin_events}"
    );
}

/// The event stream opened as device `dev` of the lab (with `cookie`, if any).
fn lab_listen(
    lab: &whereflow_lab::Lab,
    dev: usize,
    cookie: Option<String>,
) -> std::io::Result<std::net::TcpStream> {
    use std::io::Write;
    let cookie = cookie
        .map(|c| format!("Cookie: {c}\r\n"))
        .unwrap_or_default();
    lab.in_netns(
        &lab.devices()[dev],
        move || -> std::io::Result<std::net::TcpStream> {
            let mut s = std::net::TcpStream::connect("192.0.2.1:8080")?;
            write!(
                s,
                "GET /api/v1/events HTTP/1.0\r\nHost: 192.0.2.1:8080\r\n{cookie}\r\n"
            )?;
            s.set_read_timeout(Some(std::time::Duration::from_millis(200)))?;
            Ok(s)
        },
    )
    .map_err(std::io::Error::other)?
}

/// Read what `s` has for `secs` seconds.
fn drain(s: &mut std::net::TcpStream, secs: u64) -> String {
    use std::io::Read;
    let end = std::time::Instant::now() + std::time::Duration::from_secs(secs);
    let mut got = Vec::new();
    let mut buf = [0u8; 16384];
    while std::time::Instant::now() < end {
        match s.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => got.extend_from_slice(&buf[..n]),
            Err(_) => continue,
        }
    }
    String::from_utf8_lossy(&got).into_owned()
}

/// Live flows on the lab (conntrack, the event stream's `flow_*` events): device 0 hidden,
/// the website `hush.test` hidden. Device 1 (a classmate) gets every flow event, censored;
/// the teacher's laptop (device 2, logged in) gets them in full.
#[test]
fn live_flow_events_are_censored_for_the_class() {
    use hickory_proto::rr::RecordType;
    use whereflow_lab::{Lab, LabOptions, Zone};
    let zones = vec![Zone::new("test")
        .a("a.example", "203.0.113.10")
        .a("secret.hush", "203.0.113.11")];
    let lab = Lab::build(LabOptions { devices: 3, zones }).expect("building the lab (needs root)");
    let _tcp = lab.tcp_server(443).expect("tcp server");
    let d = common::Daemon::start(&lab, &format!("[admin]\npassword = \"{PASSWORD}\"\n"))
        .expect("daemon");
    // The teacher logs in from device 2 and hides device 0 and the website.
    let body = format!("password={}", PASSWORD.replace(' ', "+"));
    let form = [("Content-Type", "application/x-www-form-urlencoded")];
    let (code, head, _) =
        common::request_as_device(&lab, 2, "POST", "/admin/login", &form, &body).expect("login");
    assert_eq!(code, 303, "{head}");
    let cookie = head
        .lines()
        .filter_map(|l| l.split_once(':'))
        .find(|(k, _)| k.eq_ignore_ascii_case("set-cookie"))
        .and_then(|(_, v)| v.trim().split(';').next())
        .expect("login cookie")
        .to_owned();
    let (_, _, me) =
        common::request_as_device(&lab, 2, "GET", "/api/v1/admin", &[("Cookie", &cookie)], "")
            .expect("whoami");
    let csrf = serde_json::from_str::<Value>(&me).unwrap()["csrf_token"]
        .as_str()
        .unwrap()
        .to_owned();
    let hidden_ip = lab.devices()[0].ipv4.to_string();
    for rule in [
        json!({ "kind": "device", "target": hidden_ip, "action": "hide" }),
        json!({ "kind": "domain", "target": "hush.test", "action": "hide" }),
    ] {
        let (code, _, body) = common::request_as_device(
            &lab,
            2,
            "POST",
            "/api/v1/group-view",
            &[("Cookie", &cookie), ("X-CSRF-Token", &csrf)],
            &rule.to_string(),
        )
        .expect("rule");
        assert_eq!(code, 201, "{body}");
    }
    let mut class = lab_listen(&lab, 1, None).expect("class stream");
    let mut teacher = lab_listen(&lab, 2, Some(cookie.clone())).expect("teacher stream");
    std::thread::sleep(std::time::Duration::from_millis(300));
    let dns: std::net::SocketAddr = "192.0.2.1:53".parse().unwrap();
    for (dev, name, ip) in [
        (0, "a.example.test.", "203.0.113.10"),
        (2, "secret.hush.test.", "203.0.113.11"),
    ] {
        lab.query(dev, dns, name, RecordType::A, false)
            .expect("query");
        lab.tcp_exchange(dev, format!("{ip}:443").parse().unwrap(), 1000, 5000)
            .expect("exchange");
    }
    d.wait_for(&lab, std::time::Duration::from_secs(10), |f| {
        (f.len() >= 2).then_some(())
    })
    .expect("both flows");
    let seen = drain(&mut class, 3);
    let full = drain(&mut teacher, 1);
    assert!(seen.contains("event: flow_new"), "{seen}");
    for leak in [hidden_ip.as_str(), "hush", "203.0.113.11"] {
        assert!(!seen.contains(leak), "the class sees {leak:?}:\n{seen}");
    }
    assert!(seen.contains("\"device_hidden\":true"), "{seen}");
    assert!(seen.contains("\"domain_hidden\":true"), "{seen}");
    assert!(seen.contains("a.example.test"), "what stays: {seen}");
    assert!(
        full.contains(&hidden_ip) && full.contains("secret.hush.test"),
        "the admin sees all:\n{full}"
    );
    // The same on the lists, as the class and as the admin.
    let (_, flows) = common::get_as_device(&lab, 1, "/api/v1/flows").expect("flows");
    for leak in [hidden_ip.as_str(), "hush"] {
        assert!(!flows.contains(leak), "{leak:?} in {flows}");
    }
    let (_, _, all) =
        common::request_as_device(&lab, 2, "GET", "/api/v1/flows", &[("Cookie", &cookie)], "")
            .expect("flows");
    assert!(all.contains(&hidden_ip) && all.contains("hush"), "{all}");
}
