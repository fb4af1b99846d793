//! The admin's controls on the namespace lab: DNS blocking of trackers for everyone and for
//! one device (and after a restart), blocking an address, an organization and a country
//! with nftables, and ending a live TCP connection through NAT. Each one needs a login
//! (401 without) and the login's CSRF token (403 without), and each one is undone. Blocks
//! carried by a backup to a fresh appliance are enforced there.
//!
//! Needs root (network namespaces, nftables, conntrack) and, for the country block,
//! `scripts/fetch-test-data.sh` (MaxMind's test databases). Nothing leaves the lab.

mod admin_support;
mod common;

use std::io::{ErrorKind, Read, Write};
use std::net::{IpAddr, SocketAddr, TcpStream};
use std::path::PathBuf;
use std::time::{Duration, Instant};

use admin_support::Resp;
use common::{find, Daemon, API};
use hickory_proto::rr::{RData, RecordType};
use serde_json::{json, Value};
use whereflow_lab::{Lab, LabOptions, Zone};

const PASSWORD: &str = "correct horse battery";
/// Google's ad server (advertising, a tracker) and a Google name that is not one.
const ADS: &str = "googleads.g.doubleclick.net.";
const ADS_IP: &str = "203.0.113.52";
const PLAIN: &str = "www.google.com.";
const PLAIN_IP: &str = "203.0.113.50";
/// Meta (social), by the lists.
const META_IP: &str = "203.0.113.51";
const META_NEW_IP: &str = "203.0.113.54";
/// London in GeoIP2-City-Test (country GB).
const LONDON: &str = "81.2.69.142";

fn dns4() -> SocketAddr {
    "192.0.2.1:53".parse().unwrap()
}

fn ip(s: &str) -> IpAddr {
    s.parse().unwrap()
}

/// A request to the daemon's API inside the router namespace.
fn http(lab: &Lab, method: &str, path: &str, headers: &[(&str, &str)], body: &str) -> Resp {
    let (method, path, body) = (method.to_owned(), path.to_owned(), body.to_owned());
    let headers: Vec<(String, String)> = headers
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
    lab.in_netns(lab.router(), move || {
        let h: Vec<(&str, &str)> = headers
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        admin_support::http(API, None, &method, &path, &h, body.as_bytes())
    })
    .unwrap()
}

/// A logged-in admin: the `Cookie` value and the CSRF token.
struct Admin {
    cookie: String,
    csrf: String,
}

impl Admin {
    fn login(lab: &Lab) -> Admin {
        let (cookie, csrf) = lab
            .in_netns(lab.router(), || admin_support::login(API, None, PASSWORD))
            .unwrap()
            .unwrap_or_else(|r| panic!("login refused: {r:?}"));
        Admin { cookie, csrf }
    }

    /// A JSON request with the login and its token.
    fn send(&self, lab: &Lab, method: &str, path: &str, body: Value) -> Resp {
        http(
            lab,
            method,
            path,
            &[
                ("Cookie", &self.cookie),
                ("X-CSRF-Token", &self.csrf),
                ("Content-Type", "application/json"),
            ],
            &body.to_string(),
        )
    }

    fn controls(&self, lab: &Lab) -> Value {
        let r = http(
            lab,
            "GET",
            "/api/v1/controls",
            &[("Cookie", &self.cookie)],
            "",
        );
        assert_eq!(r.status, 200, "{r:?}");
        r.json()
    }

    /// Every control refuses a request without a login (401) and one without the CSRF token
    /// (403), and changes nothing.
    fn check_refusals(&self, lab: &Lab, method: &str, path: &str, body: Value) {
        let r = http(lab, method, path, &[], &body.to_string());
        assert_eq!(r.status, 401, "{method} {path} without a login: {r:?}");
        let r = http(
            lab,
            method,
            path,
            &[("Cookie", &self.cookie)],
            &body.to_string(),
        );
        assert_eq!(r.status, 403, "{method} {path} without the token: {r:?}");
        let r = http(
            lab,
            method,
            path,
            &[("Cookie", &self.cookie), ("X-CSRF-Token", &"ab".repeat(32))],
            &body.to_string(),
        );
        assert_eq!(r.status, 403, "{method} {path} with a wrong token: {r:?}");
    }
}

/// Device `i` asks for `name`: the addresses and the answer's smallest TTL.
fn resolve(lab: &Lab, i: usize, name: &str, qtype: RecordType, tcp: bool) -> (Vec<IpAddr>, u32) {
    let r = lab.query(i, dns4(), name, qtype, tcp).unwrap();
    let ttl = r
        .message
        .answers
        .iter()
        .filter(|a| matches!(a.data, RData::A(_) | RData::AAAA(_)))
        .map(|a| a.ttl)
        .min()
        .unwrap_or(0);
    (r.addresses(), ttl)
}

fn a(lab: &Lab, i: usize, name: &str) -> Vec<IpAddr> {
    resolve(lab, i, name, RecordType::A, false).0
}

/// Poll `f` until it returns `Some`, for at most 10 s.
fn eventually<T>(what: &str, mut f: impl FnMut() -> Option<T>) -> T {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        if let Some(t) = f() {
            return t;
        }
        assert!(Instant::now() < deadline, "{what}: not within 10 s");
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn dns_blocking_of_trackers_for_everyone_and_for_one_device() {
    let lab = Lab::build(LabOptions {
        devices: 2,
        zones: vec![
            Zone::new("net").a("googleads.g.doubleclick", ADS_IP),
            Zone::new("com").a("www.google", PLAIN_IP),
        ],
    })
    .expect("building the lab (needs root)");
    let admin_toml = format!("[admin]\npassword = \"{PASSWORD}\"\n");
    let d = Daemon::start(&lab, &admin_toml).unwrap();
    let admin = Admin::login(&lab);

    // Off: the real answer (and it is cached now).
    assert_eq!(a(&lab, 0, ADS), vec![ip(ADS_IP)]);
    let v = admin.controls(&lab);
    assert_eq!(v["enabled"], true, "{v}");
    assert_eq!(v["dns_block"]["all"], false, "{v}");

    // Only with a login and its token.
    admin.check_refusals(
        &lab,
        "POST",
        "/api/v1/controls/dns-block",
        json!({"scope": "all", "on": true}),
    );
    assert_eq!(
        a(&lab, 0, ADS),
        vec![ip(ADS_IP)],
        "the refusals changed nothing"
    );
    let r = admin.send(
        &lab,
        "POST",
        "/api/v1/controls/dns-block",
        json!({"scope": "everyone", "on": true}),
    );
    assert_eq!(r.status, 400, "{r:?}");

    // On for everyone: the tracker gets 0.0.0.0 / :: with a short TTL, over UDP and TCP, on
    // both devices, although the real answer is in the cache; other names still resolve.
    let r = admin.send(
        &lab,
        "POST",
        "/api/v1/controls/dns-block",
        json!({"scope": "all", "on": true}),
    );
    assert_eq!(r.status, 200, "{r:?}");
    assert_eq!(r.json()["dns_block"]["all"], true);
    for i in 0..2 {
        let (addrs, ttl) = resolve(&lab, i, ADS, RecordType::A, false);
        assert_eq!(addrs, vec![ip("0.0.0.0")], "device {i}");
        assert!(ttl <= 10, "short TTL, got {ttl}");
        let (addrs, _) = resolve(&lab, i, ADS, RecordType::AAAA, true);
        assert_eq!(addrs, vec![ip("::")], "device {i} over TCP");
        assert_eq!(a(&lab, i, PLAIN), vec![ip(PLAIN_IP)], "device {i}");
    }
    // Counted, and in the answer log marked as blocked (the views can show it).
    let v = admin.controls(&lab);
    assert!(
        v["dns_block"]["blocked_queries"].as_u64().unwrap() >= 4,
        "{v}"
    );
    let dns = d.get(&lab, "/api/v1/dns?device=192.0.2.10").unwrap();
    let answers = dns["answers"].as_array().unwrap();
    let blocked: Vec<&Value> = answers.iter().filter(|a| a["blocked"] == true).collect();
    assert!(
        blocked
            .iter()
            .any(|a| a["name"] == "googleads.g.doubleclick.net" && a["addrs"] == json!(["0.0.0.0"])),
        "{dns}"
    );
    assert!(
        answers
            .iter()
            .all(|a| a["name"] != "www.google.com" || a.get("blocked").is_none()),
        "{dns}"
    );

    // Off: the real answer again, at once.
    let r = admin.send(
        &lab,
        "POST",
        "/api/v1/controls/dns-block",
        json!({"scope": "all", "on": false}),
    );
    assert_eq!(r.status, 200, "{r:?}");
    assert_eq!(a(&lab, 0, ADS), vec![ip(ADS_IP)]);
    assert_eq!(a(&lab, 1, ADS), vec![ip(ADS_IP)]);

    // One device only: device 1 is blocked, device 0 is not.
    let r = admin.send(
        &lab,
        "POST",
        "/api/v1/controls/dns-block",
        json!({"scope": "device", "device": "192.0.2.11", "on": true}),
    );
    assert_eq!(r.status, 200, "{r:?}");
    assert_eq!(r.json()["dns_block"]["devices"], json!(["192.0.2.11"]));
    assert_eq!(a(&lab, 1, ADS), vec![ip("0.0.0.0")]);
    assert_eq!(a(&lab, 0, ADS), vec![ip(ADS_IP)]);
    assert_eq!(a(&lab, 1, PLAIN), vec![ip(PLAIN_IP)]);

    // The admin page's form does the same (no script needed).
    let form = |on: &str| {
        http(
            &lab,
            "POST",
            "/admin/controls/dns-block",
            &[
                ("Cookie", &admin.cookie),
                ("Content-Type", "application/x-www-form-urlencoded"),
            ],
            &format!("csrf={}&scope=all&on={on}", admin.csrf),
        )
    };
    let r = form("on");
    assert_eq!(r.status, 303, "{r:?}");
    assert_eq!(r.header("location"), Some("/admin?done=dns-block"));
    assert_eq!(
        a(&lab, 0, ADS),
        vec![ip("0.0.0.0")],
        "on for everyone by the form"
    );
    let page = http(&lab, "GET", "/admin", &[("Cookie", &admin.cookie)], "");
    assert!(page.text().contains("On for everyone."), "{page:?}");
    assert_eq!(form("off").status, 303);
    assert_eq!(a(&lab, 0, ADS), vec![ip(ADS_IP)]);

    // Kept across a restart (controls.json in the data directory).
    d.kill_keep_data();
    let d = Daemon::start(&lab, &admin_toml).unwrap();
    assert_eq!(a(&lab, 1, ADS), vec![ip("0.0.0.0")], "after a restart");
    assert_eq!(a(&lab, 0, ADS), vec![ip(ADS_IP)], "after a restart");
    let admin = Admin::login(&lab);
    let r = admin.send(
        &lab,
        "POST",
        "/api/v1/controls/dns-block",
        json!({"scope": "device", "device": "192.0.2.11", "on": false}),
    );
    assert_eq!(r.status, 200, "{r:?}");
    assert_eq!(a(&lab, 1, ADS), vec![ip(ADS_IP)], "undone");
    let v = admin.controls(&lab);
    assert_eq!(v["dns_block"]["devices"], json!([]), "{v}");
    drop(d);
}

fn test_db(name: &str) -> PathBuf {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../target/test-data/maxmind")
        .join(name);
    assert!(
        p.exists(),
        "test database {} is missing: run scripts/fetch-test-data.sh",
        p.display()
    );
    p
}

/// Device 0 connects to `to:443` and exchanges a few bytes: `Ok`, or the error text.
fn connect(lab: &Lab, to: &str) -> Result<(), String> {
    lab.tcp_exchange(0, format!("{to}:443").parse().unwrap(), 10, 10)
        .map(|_| ())
        .map_err(|e| format!("{e:#}"))
}

fn refused(lab: &Lab, to: &str) {
    let t = Instant::now();
    let e = connect(lab, to).expect_err(&format!("{to} should be blocked"));
    assert!(e.contains("refused"), "{to}: {e}");
    // Refused at once (a TCP reset), not timed out.
    assert!(
        t.elapsed() < Duration::from_secs(2),
        "{to}: {:?}",
        t.elapsed()
    );
}

#[test]
fn blocking_an_address_an_organization_and_a_country() {
    let lab = Lab::build(LabOptions {
        devices: 1,
        zones: vec![
            Zone::new("com")
                .a("www.google", PLAIN_IP)
                .a("graph.facebook", META_IP)
                .a("www.facebook", META_NEW_IP),
            Zone::new("uk").a("www.bbc.co", LONDON),
        ],
    })
    .expect("building the lab (needs root)");
    let out = lab
        .command(lab.internet(), "ip")
        .args([
            "route",
            "add",
            "local",
            &format!("{LONDON}/32"),
            "dev",
            "lo",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let _tcp = lab.tcp_server(443).unwrap();
    let d = Daemon::start(
        &lab,
        &format!(
            "[admin]\npassword = \"{PASSWORD}\"\n\n[enrich]\ngeo_dbs = [\"{}\"]\n",
            test_db("GeoIP2-City-Test.mmdb").display()
        ),
    )
    .unwrap();
    let admin = Admin::login(&lab);
    let dev = lab.devices()[0].ipv4.to_string();

    // Before: everything is reachable, and each flow is listed with its organization and
    // country. No table of ours exists yet.
    for (name, to) in [
        ("www.google.com.", PLAIN_IP),
        ("graph.facebook.com.", META_IP),
        ("www.bbc.co.uk.", LONDON),
    ] {
        assert_eq!(a(&lab, 0, name), vec![ip(to)]);
        connect(&lab, to).unwrap();
    }
    d.wait_for(&lab, Duration::from_secs(5), |flows| {
        (find(flows, &dev, META_IP, 443).is_some_and(|f| f["org"] == "Meta")
            && find(flows, &dev, LONDON, 443).is_some_and(|f| f["country"] == "GB"))
        .then_some(())
    })
    .unwrap();
    let nft = |args: &[&str]| {
        let out = lab
            .command(lab.router(), "nft")
            .args(args)
            .output()
            .unwrap();
        (
            out.status.success(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
        )
    };
    assert!(
        !nft(&["list", "table", "inet", "whereflow_control"]).0,
        "made only when needed"
    );

    admin.check_refusals(
        &lab,
        "POST",
        "/api/v1/controls/block",
        json!({"kind": "ip", "value": PLAIN_IP}),
    );
    connect(&lab, PLAIN_IP).expect("the refusals changed nothing");
    for (body, status) in [
        (json!({"kind": "ip", "value": "not an address"}), 400),
        (json!({"kind": "asn", "value": "64500"}), 400),
        (json!({"kind": "country", "value": "Netherlands"}), 400),
    ] {
        let r = admin.send(&lab, "POST", "/api/v1/controls/block", body.clone());
        assert_eq!(r.status, status, "{body}: {r:?}");
    }

    // An address: refused at once; others are not; undone, reachable again.
    let r = admin.send(
        &lab,
        "POST",
        "/api/v1/controls/block",
        json!({"kind": "ip", "value": PLAIN_IP}),
    );
    assert_eq!(r.status, 201, "{r:?}");
    let block = r.json()["block"].clone();
    assert_eq!(block["addresses"], json!([PLAIN_IP]), "{block}");
    let (ok, table) = nft(&["list", "table", "inet", "whereflow_control"]);
    assert!(ok && table.contains(PLAIN_IP), "{table}");
    refused(&lab, PLAIN_IP);
    connect(&lab, META_IP).unwrap();
    let r = admin.send(
        &lab,
        "POST",
        "/api/v1/controls/block",
        json!({"kind": "ip", "value": PLAIN_IP}),
    );
    assert_eq!(r.status, 409, "the same block twice: {r:?}");
    let id = block["id"].as_u64().unwrap();
    admin.check_refusals(
        &lab,
        "DELETE",
        &format!("/api/v1/controls/block/{id}"),
        json!({}),
    );
    let r = admin.send(
        &lab,
        "DELETE",
        &format!("/api/v1/controls/block/{id}"),
        json!({}),
    );
    assert_eq!(r.status, 200, "{r:?}");
    assert_eq!(r.json()["warning"], Value::Null, "{r:?}");
    connect(&lab, PLAIN_IP).unwrap();
    let r = admin.send(
        &lab,
        "DELETE",
        &format!("/api/v1/controls/block/{id}"),
        json!({}),
    );
    assert_eq!(r.status, 404, "{r:?}");

    // An organization: the address seen for it now, and a new one as soon as a device
    // connects to it (that first connection is let through until its flow is reported).
    let r = admin.send(
        &lab,
        "POST",
        "/api/v1/controls/block",
        json!({"kind": "org", "value": "meta"}),
    );
    assert_eq!(r.status, 201, "{r:?}");
    let meta = r.json()["block"].clone();
    assert_eq!(meta["addresses"], json!([META_IP]), "{meta}");
    refused(&lab, META_IP);
    connect(&lab, PLAIN_IP).unwrap();
    assert_eq!(a(&lab, 0, "www.facebook.com."), vec![ip(META_NEW_IP)]);
    let _ = connect(&lab, META_NEW_IP);
    let id = meta["id"].as_u64().unwrap();
    eventually("the new Meta address is blocked", || {
        let v = admin.controls(&lab);
        let b = v["blocks"]
            .as_array()
            .unwrap()
            .iter()
            .find(|b| b["id"] == id)
            .cloned()
            .unwrap();
        (b["addresses"] == json!([META_IP, META_NEW_IP])).then_some(())
    });
    // The list shows the book; the set follows within one `nft` run.
    eventually("the new Meta address is refused", || {
        connect(&lab, META_NEW_IP).is_err().then_some(())
    });
    refused(&lab, META_NEW_IP);
    let r = admin.send(
        &lab,
        "DELETE",
        &format!("/api/v1/controls/block/{id}"),
        json!({}),
    );
    assert_eq!(r.status, 200, "{r:?}");
    connect(&lab, META_IP).unwrap();
    connect(&lab, META_NEW_IP).unwrap();

    // A country: the London address (GB in the test database); the documentation addresses
    // have no country and stay reachable.
    let r = admin.send(
        &lab,
        "POST",
        "/api/v1/controls/block",
        json!({"kind": "country", "value": "gb"}),
    );
    assert_eq!(r.status, 201, "{r:?}");
    let gb = r.json()["block"].clone();
    assert_eq!(
        (gb["value"].as_str(), gb["addresses"].clone()),
        (Some("GB"), json!([LONDON]))
    );
    refused(&lab, LONDON);
    connect(&lab, PLAIN_IP).unwrap();
    let listed = admin.controls(&lab);
    assert_eq!(listed["blocks"].as_array().unwrap().len(), 1, "{listed}");
    assert_eq!(listed["nft"]["installed"], true, "{listed}");
    let id = gb["id"].as_u64().unwrap();
    let r = admin.send(
        &lab,
        "DELETE",
        &format!("/api/v1/controls/block/{id}"),
        json!({}),
    );
    assert_eq!(r.status, 200, "{r:?}");
    connect(&lab, LONDON).unwrap();
    let (_, table) = nft(&["list", "table", "inet", "whereflow_control"]);
    assert!(
        !table.contains(LONDON) && !table.contains(META_IP),
        "{table}"
    );
}

#[test]
fn ending_a_live_tcp_connection() {
    let lab = Lab::build(LabOptions {
        devices: 1,
        zones: vec![Zone::new("example.test").a("www", "203.0.113.10")],
    })
    .expect("building the lab (needs root)");
    let _tcp = lab.tcp_server(443).unwrap();
    let d = Daemon::start(&lab, &format!("[admin]\npassword = \"{PASSWORD}\"\n")).unwrap();
    let admin = Admin::login(&lab);
    let dev = lab.devices()[0].ipv4.to_string();

    // The device holds a connection open (the lab's server waits for the end of its input).
    assert_eq!(a(&lab, 0, "www.example.test."), vec![ip("203.0.113.10")]);
    let mut stream = lab
        .in_netns(&lab.devices()[0], || {
            TcpStream::connect_timeout(&"203.0.113.10:443".parse().unwrap(), Duration::from_secs(3))
        })
        .unwrap()
        .unwrap();
    stream.write_all(&[0, 0, 0, 100, 1, 2, 3]).unwrap();
    let local_port = stream.local_addr().unwrap().port();
    let id = d
        .wait_for(&lab, Duration::from_secs(5), |flows| {
            find(flows, &dev, "203.0.113.10", 443)
                .filter(|f| f["state"] == "open")
                .map(|f| f["id"].as_str().unwrap().to_owned())
        })
        .unwrap();
    let path = format!("/api/v1/flows/{id}/kill");
    admin.check_refusals(&lab, "POST", &path, json!({}));
    let r = admin.send(&lab, "POST", "/api/v1/flows/0-0/kill", json!({}));
    assert_eq!(r.status, 404, "{r:?}");

    let r = admin.send(&lab, "POST", &path, json!({}));
    assert_eq!(r.status, 200, "{r:?}");
    let killed = r.json()["killed"].clone();
    assert_eq!(killed["flow_id"], id.as_str(), "{killed}");
    assert_eq!(killed["local_port"], local_port, "{killed}");
    assert!(killed["refused_until"].is_string(), "{killed}");

    // The flow shows closed (conntrack's DESTROY event).
    d.wait_for(&lab, Duration::from_secs(5), |flows| {
        flows
            .iter()
            .find(|f| f["id"] == id.as_str())
            .filter(|f| f["state"] == "closed")
            .map(|_| ())
    })
    .unwrap();
    // What the client sees: its next segment is answered with a reset, so the socket
    // reports "connection reset" (instead of the connection carrying on as a new flow).
    stream
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    stream.write_all(b"more").unwrap();
    let mut buf = [0u8; 16];
    let got = stream.read(&mut buf);
    match got {
        Err(e) => assert_eq!(e.kind(), ErrorKind::ConnectionReset, "{e}"),
        Ok(n) => panic!("read {n} bytes after the connection was ended"),
    }
    // No flow came back for that connection.
    std::thread::sleep(Duration::from_millis(500));
    let flows = d.flows(&lab).unwrap();
    assert!(
        !flows
            .iter()
            .any(|f| f["remote_ip"] == "203.0.113.10" && f["state"] == "open"),
        "{flows:?}"
    );
    // Ended already: 409. Listed among the controls.
    let r = admin.send(&lab, "POST", &path, json!({}));
    assert_eq!(r.status, 409, "{r:?}");
    let v = admin.controls(&lab);
    assert_eq!(v["kills"][0]["flow_id"], id.as_str(), "{v}");
    // A new connection to the same server works (only that connection was refused).
    lab.tcp_exchange(0, "203.0.113.10:443".parse().unwrap(), 10, 10)
        .unwrap();
}

#[test]
fn blocks_restored_from_a_backup_are_enforced_on_another_appliance() {
    let lab = Lab::build(LabOptions {
        devices: 1,
        zones: vec![Zone::new("com")
            .a("www.google", PLAIN_IP)
            .a("graph.facebook", META_IP)],
    })
    .expect("building the lab (needs root)");
    let _tcp = lab.tcp_server(443).unwrap();
    let config = format!("[admin]\npassword = \"{PASSWORD}\"\n");
    let dev = lab.devices()[0].ipv4.to_string();

    // Appliance A blocks an address and an organization, and the admin downloads a backup.
    let a_daemon = Daemon::start(&lab, &config).unwrap();
    let admin = Admin::login(&lab);
    assert_eq!(a(&lab, 0, "graph.facebook.com."), vec![ip(META_IP)]);
    connect(&lab, META_IP).unwrap();
    a_daemon
        .wait_for(&lab, Duration::from_secs(5), |flows| {
            find(flows, &dev, META_IP, 443)
                .is_some_and(|f| f["org"] == "Meta")
                .then_some(())
        })
        .unwrap();
    for body in [
        json!({"kind": "ip", "value": PLAIN_IP}),
        json!({"kind": "org", "value": "Meta"}),
    ] {
        let r = admin.send(&lab, "POST", "/api/v1/controls/block", body);
        assert_eq!(r.status, 201, "{r:?}");
    }
    refused(&lab, PLAIN_IP);
    refused(&lab, META_IP);
    let r = http(
        &lab,
        "GET",
        "/api/v1/backup",
        &[("Cookie", &admin.cookie)],
        "",
    );
    assert_eq!(r.status, 200, "{r:?}");
    let backup = r.json();
    assert_eq!(
        backup["controls"]["blocks"].as_array().map(Vec::len),
        Some(2),
        "{backup}"
    );
    drop(a_daemon);

    // Appliance B, fresh (the table A left is replaced by B's empty one): nothing blocked
    // until the backup is restored; then the address at once, and Meta's address as soon as
    // a device's flow to it is seen.
    let b_daemon = Daemon::start(&lab, &config).unwrap();
    connect(&lab, PLAIN_IP).expect("a fresh appliance blocks nothing");
    let admin = Admin::login(&lab);
    admin.check_refusals(&lab, "POST", "/api/v1/backup", backup.clone());
    connect(&lab, PLAIN_IP).expect("the refusals changed nothing");
    let r = admin.send(&lab, "POST", "/api/v1/backup", backup);
    assert_eq!(r.status, 200, "{r:?}");
    let restored = r.json();
    assert_eq!(restored["restored"]["blocks"], 2, "{restored}");
    assert_eq!(restored["restored"]["problems"], json!([]), "{restored}");
    refused(&lab, PLAIN_IP);
    assert_eq!(a(&lab, 0, "graph.facebook.com."), vec![ip(META_IP)]);
    let _ = connect(&lab, META_IP);
    eventually("Meta's address is refused on B", || {
        connect(&lab, META_IP).is_err().then_some(())
    });
    refused(&lab, META_IP);
    let listed = admin.controls(&lab);
    assert_eq!(listed["nft"]["installed"], true, "{listed}");
    drop(b_daemon);
}
