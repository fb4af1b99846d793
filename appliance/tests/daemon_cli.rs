//! The `whereflow` binary as a user meets it: config errors, flags, a daemon on loopback that
//! answers DNS and the API, survives garbage on every port, streams events, and stops cleanly.
//! Needs no root (conntrack is switched off here; the lab tests cover it).

mod admin_support;
mod common;

use common::wifi::{captive_portal, pi4_radio_in_sysfs, FakeHostapd, FakeWpa, Uplink};

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream, UdpSocket};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::http_get_json;
use hickory_proto::op::{Message, MessageType, OpCode, Query, ResponseCode};
use hickory_proto::rr::{Name, RData, RecordType};

const BIN: &str = env!("CARGO_BIN_EXE_whereflow");

fn temp_file(name: &str, text: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("wf-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

fn check_config(args: &[&str]) -> (bool, String, String) {
    let out = Command::new(BIN)
        .arg("check-config")
        .args(args)
        .output()
        .unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn bad_values_and_unknown_keys_are_named() {
    let f = temp_file("bad1.toml", "[dns]\ncache_size = 0\n");
    let (ok, _, err) = check_config(&["--config", f.to_str().unwrap()]);
    assert!(!ok);
    assert!(err.contains("dns.cache_size"), "{err}");
    let f = temp_file("bad2.toml", "[dns]\nlisten_on = []\n");
    let (ok, _, err) = check_config(&["--config", f.to_str().unwrap()]);
    assert!(!ok);
    assert!(err.contains("listen_on"), "{err}");
    let (ok, _, err) = check_config(&["--config", "/nonexistent/daemon.toml"]);
    assert!(!ok);
    assert!(err.contains("/nonexistent/daemon.toml"), "{err}");
}

#[test]
fn example_config_is_valid_and_flags_override_it() {
    let example = concat!(env!("CARGO_MANIFEST_DIR"), "/../docs/config.example.toml");
    let (ok, out, err) = check_config(&[
        "--config",
        example,
        "--dns-listen",
        "127.0.0.1:5454",
        "--upstream",
        "192.0.2.53:53",
        "--lan",
        "192.0.2.0/24",
        "--web-listen",
        "127.0.0.1:8181",
        "--data-dir",
        "/tmp/wf-data",
    ]);
    assert!(ok, "{err}");
    for want in [
        "127.0.0.1:5454",
        "192.0.2.53:53",
        "192.0.2.0/24",
        "127.0.0.1:8181",
        "/tmp/wf-data",
    ] {
        assert!(out.contains(want), "{want} missing from\n{out}");
    }
    assert!(
        !out.contains("10.0.0.0/8"),
        "--lan replaces the file's list\n{out}"
    );
}

fn free_port() -> u16 {
    // Free for TCP and UDP at the moment of asking; good enough for a test.
    loop {
        let t = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = t.local_addr().unwrap().port();
        if UdpSocket::bind(("127.0.0.1", port)).is_ok() {
            return port;
        }
    }
}

fn ask(server: SocketAddr, name: &str) -> Message {
    let mut msg = Message::new(4242, MessageType::Query, OpCode::Query);
    msg.add_query(Query::query(Name::from_ascii(name).unwrap(), RecordType::A));
    let s = UdpSocket::bind("127.0.0.1:0").unwrap();
    s.set_read_timeout(Some(Duration::from_secs(3))).unwrap();
    s.send_to(&msg.to_vec().unwrap(), server).unwrap();
    let mut buf = [0u8; 4096];
    let n = s.recv(&mut buf).unwrap();
    Message::from_vec(&buf[..n]).unwrap()
}

/// A daemon on loopback ports with a dead upstream (nothing is sent off the machine).
struct LoopbackDaemon {
    dns: SocketAddr,
    web: String,
    log: std::path::PathBuf,
    dir: std::path::PathBuf,
    child: std::process::Child,
}

impl Drop for LoopbackDaemon {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

impl LoopbackDaemon {
    /// Start with `extra` TOML sections; `as_nobody` drops to uid/gid 65534 with no
    /// capabilities first (only possible when the test runs as root).
    fn start(extra: &str, as_nobody: bool) -> LoopbackDaemon {
        let (dns_port, web_port) = (free_port(), free_port());
        let dns: SocketAddr = format!("127.0.0.1:{dns_port}").parse().unwrap();
        let web = format!("127.0.0.1:{web_port}");
        let dir = std::env::temp_dir().join(format!("wf-cli-{}-{dns_port}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        // World-writable so a daemon running as nobody can create its data directory.
        std::fs::set_permissions(&dir, std::os::unix::fs::PermissionsExt::from_mode(0o777))
            .unwrap();
        let cfg = dir.join("run.toml");
        std::fs::write(
            &cfg,
            format!(
                "[dns]\nlisten = [\"{dns}\"]\nupstreams = [\"127.0.0.1:9\"]\nupstream_timeout_ms = 200\n\
                 [web]\nlisten = \"{web}\"\n[data]\ndir = \"{}\"\n{extra}",
                dir.join("data").display()
            ),
        )
        .unwrap();
        let log = dir.join("run.log");
        let mut cmd = if as_nobody {
            let mut c = Command::new("setpriv");
            c.args([
                "--reuid=65534",
                "--regid=65534",
                "--clear-groups",
                "--inh-caps=-all",
                BIN,
            ]);
            c
        } else {
            Command::new(BIN)
        };
        let child = cmd
            .args(["run", "--config", cfg.to_str().unwrap()])
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(&log).unwrap())
            .spawn()
            .unwrap();
        let deadline = Instant::now() + Duration::from_secs(10);
        while http_get_json(&web, "/api/v1/status").is_err() {
            assert!(
                Instant::now() < deadline,
                "no API: {}",
                std::fs::read_to_string(&log).unwrap()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        LoopbackDaemon {
            dns,
            web,
            log,
            dir,
            child,
        }
    }
}

#[test]
fn without_privileges_it_says_what_it_cannot_do() {
    // As root, drop to nobody; as a normal user the daemon is unprivileged already.
    let root = unsafe { libc::geteuid() } == 0;
    let d = LoopbackDaemon::start("", root);
    let status = http_get_json(&d.web, "/api/v1/status").unwrap();
    let warnings = status["warnings"].to_string();
    assert!(warnings.contains("CAP_NET_ADMIN"), "{status}");
    assert!(warnings.contains("no flows will be shown"), "{status}");
    // DNS still works: the appliance's own name.
    assert_eq!(
        ask(d.dns, "whereflow.lan.").metadata.response_code,
        ResponseCode::NoError
    );
    let log = std::fs::read_to_string(&d.log).unwrap();
    assert!(log.contains("CAP_NET_ADMIN"), "the log says it too:\n{log}");
}

#[test]
fn daemon_serves_survives_garbage_streams_events_and_stops_on_sigterm() {
    let mut d = LoopbackDaemon::start("[conntrack]\nenabled = false\n", false);
    let (dns, web, log) = (d.dns, d.web.clone(), d.log.clone());
    let child = &mut d.child;

    // Subscribe to the event stream before anything happens.
    let mut sse = TcpStream::connect(&web).unwrap();
    sse.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    write!(
        sse,
        "GET /api/v1/events HTTP/1.1\r\nHost: localhost\r\nAccept: text/event-stream\r\n\r\n"
    )
    .unwrap();
    let mut sse = BufReader::new(sse);
    // The subscription is live once the response head is out; without this wait a
    // loaded machine answers the look-up below before the stream exists.
    let mut head = String::new();
    while sse.read_line(&mut head).unwrap_or(0) > 0 && !head.ends_with("\r\n\r\n") {}
    assert!(head.starts_with("HTTP/1.1 200"), "event stream: {head}");

    // Garbage on every port: UDP and TCP DNS, and the web port.
    let g = UdpSocket::bind("127.0.0.1:0").unwrap();
    for junk in [
        &b"\x00"[..],
        b"hello world, not dns",
        &[0xffu8; 12][..],
        &vec![0x41u8; 60_000][..],
    ] {
        g.send_to(junk, dns).unwrap();
    }
    let mut t = TcpStream::connect(dns).unwrap();
    t.write_all(&[0x00, 0x05, 1, 2, 3, 4, 5, 0xff, 0xff, 9])
        .unwrap();
    let mut w = TcpStream::connect(&web).unwrap();
    w.write_all(b"\x16\x03\x01 garbage \r\n\r\n").unwrap();
    let mut resp = Vec::new();
    w.set_read_timeout(Some(Duration::from_secs(3))).unwrap();
    let _ = w.read_to_end(&mut resp);
    assert!(
        !String::from_utf8_lossy(&resp).starts_with("HTTP/1.1 200"),
        "garbage got a 200"
    );

    // Still serving: the appliance's own name, answered locally.
    let m = ask(dns, "whereflow.lan.");
    assert_eq!(m.metadata.response_code, ResponseCode::NoError);
    let addrs: Vec<_> = m
        .answers
        .iter()
        .filter_map(|r| match &r.data {
            RData::A(a) => Some(a.0.to_string()),
            _ => None,
        })
        .collect();
    assert_eq!(addrs, ["127.0.0.1"]);
    // Canary names keep browsers and phones on this resolver.
    for canary in [
        "use-application-dns.net.",
        "mask.icloud.com.",
        "mask-h2.icloud.com.",
    ] {
        assert_eq!(
            ask(dns, canary).metadata.response_code,
            ResponseCode::NXDomain,
            "{canary}"
        );
    }
    // The only upstream is dead: SERVFAIL, quickly.
    let start = Instant::now();
    assert_eq!(
        ask(dns, "example.com.").metadata.response_code,
        ResponseCode::ServFail
    );
    assert!(start.elapsed() < Duration::from_secs(2));

    // The answer to whereflow.lan arrived on the event stream.
    let deadline = Instant::now() + Duration::from_secs(5);
    let mut saw_dns = false;
    let mut line = String::new();
    while Instant::now() < deadline && !saw_dns {
        line.clear();
        if sse.read_line(&mut line).unwrap_or(0) == 0 {
            break;
        }
        saw_dns = line.starts_with("data:") && line.contains("\"name\":\"whereflow.lan\"");
    }
    assert!(saw_dns, "no dns event for whereflow.lan on /api/v1/events");

    // The status says what is not running and why; bad queries are refused clearly.
    let status = http_get_json(&web, "/api/v1/status").unwrap();
    let warnings = status["warnings"].to_string();
    assert!(warnings.contains("conntrack"), "{status}");
    assert!(
        status["counters"]["dns_bad_requests"].as_u64().unwrap() >= 1,
        "{status}"
    );
    assert!(http_get_json(&web, "/api/v1/flows?state=bogus")
        .unwrap_err()
        .to_string()
        .contains("400"));

    // The category legend and the data attributions are served for the UI.
    let cats = http_get_json(&web, "/api/v1/categories").unwrap();
    let ids: Vec<&str> = cats["categories"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|c| c["id"].as_str())
        .collect();
    assert!(
        ids.contains(&"advertising") && ids.contains(&"cdn"),
        "{cats}"
    );
    assert!(cats["categories"]
        .as_array()
        .unwrap()
        .iter()
        .all(|c| !c["explain"].as_str().unwrap_or("").is_empty()));
    let attribution = http_get_json(&web, "/api/v1/attribution").unwrap();
    assert!(
        attribution["sources"]
            .to_string()
            .contains("IP Geolocation by DB-IP"),
        "{attribution}"
    );

    // SIGTERM: a clean, prompt exit.
    unsafe { libc::kill(child.id() as i32, libc::SIGTERM) };
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            assert!(
                status.success(),
                "exit {status}: {}",
                std::fs::read_to_string(&log).unwrap()
            );
            break;
        }
        assert!(
            Instant::now() < deadline,
            "did not stop within 5 s of SIGTERM"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// The problems file once it holds every one of `needles` (the monitor writes its note just
/// after the status changes), at most 10 s; then as it is.
fn wait_note(path: &std::path::Path, needles: &[&str]) -> String {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let text = std::fs::read_to_string(path).unwrap_or_default();
        if needles.iter().all(|n| text.contains(n)) || Instant::now() >= deadline {
            return text;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn a_full_room_and_a_captive_portal_reach_the_status_admin_and_presenter() {
    let root = std::env::temp_dir().join(format!("wf-wifi-root-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    pi4_radio_in_sysfs(&root);
    std::fs::create_dir_all(root.join("run/hostapd")).unwrap();
    let hostapd = FakeHostapd::start(&root.join("run/hostapd/wlan0"), 10);
    let portal = captive_portal();
    let problems = root.join("whereflow-problems.txt");
    let password = "a wifi test password";
    let d = LoopbackDaemon::start(
        &format!(
            "[admin]\npassword = \"{password}\"\n\
             [wifi]\ninterface = \"wlan0\"\n\
             [uplink]\nprobe_url = \"http://{portal}/generate_204\"\n\
             [system]\nroot = \"{}\"\nproblems_file = \"{}\"\n",
            root.display(),
            problems.display()
        ),
        false,
    );
    let wait_for = |what: &str, ok: &dyn Fn(&serde_json::Value) -> bool| {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let s = http_get_json(&d.web, "/api/v1/status").unwrap();
            if ok(&s["wifi"]) {
                return s;
            }
            assert!(
                Instant::now() < deadline,
                "{what}: {}\n{}",
                s["wifi"],
                std::fs::read_to_string(&d.log).unwrap_or_default()
            );
            std::thread::sleep(Duration::from_millis(200));
        }
    };

    // Ten devices on a radio that admits about ten: full, counted from hostapd.
    let s = wait_for("a full room and the portal", &|w| {
        w["fill"] == "full" && w["uplink"]["portal"]["state"] == "captive_portal"
    });
    let w = &s["wifi"];
    assert_eq!(w["interface"], "wlan0");
    assert_eq!(w["present"], true);
    assert_eq!(w["radio"]["driver"], "brcmfmac");
    assert_eq!(w["radio"]["bus"], "sdio");
    assert_eq!(w["radio"]["chip"], "0xa9bf");
    assert_eq!(w["hostapd_state"], "ENABLED");
    assert_eq!(w["associated"], 10, "{w}");
    assert_eq!(w["authorized"], 9, "{w}");
    assert_eq!(w["capacity"]["stations"], 10, "{w}");
    assert!(
        w["uplink"]["portal"]["answer"]
            .as_str()
            .unwrap()
            .contains("login.school.example"),
        "{w}"
    );
    let warnings = s["warnings"].to_string();
    assert!(
        warnings.contains("the room is full: 10 devices"),
        "{warnings}"
    );
    assert!(
        warnings.contains("the school network wants a login"),
        "{warnings}"
    );
    let notes = wait_note(
        &problems,
        &[
            "WiFi (wifi-capacity): the room is full",
            "WiFi (uplink-portal): the school network wants a login",
        ],
    );
    assert!(
        notes.contains("WiFi (wifi-capacity): the room is full"),
        "{notes}"
    );
    assert!(
        notes.contains("WiFi (uplink-portal): the school network wants a login"),
        "{notes}"
    );

    // The presenter view, as the projector opens it (in English and in German).
    let (code, html) = common::http_get(&d.web, "/presenter").unwrap();
    assert_eq!(code, 200);
    assert!(html.contains("data-room=\"room-full\""), "{html}");
    assert!(
        html.contains("Room full: 10 devices are on this WiFi"),
        "{html}"
    );
    assert!(html.contains("data-room=\"uplink-login\""), "{html}");
    assert!(html.contains("The school network wants a login"), "{html}");
    let de = admin_support::http(
        &d.web,
        None,
        "GET",
        "/presenter",
        &[("Cookie", "wf_lang=de")],
        b"",
    );
    assert!(de.text().contains("Raum voll: 10 Geräte"), "{de:?}");
    assert!(
        de.text().contains("Das Schulnetz verlangt eine Anmeldung"),
        "{de:?}"
    );

    // The admin page's WiFi section.
    let (cookie, _) = admin_support::login(&d.web, None, password).unwrap();
    let admin = admin_support::http(&d.web, None, "GET", "/admin", &[("Cookie", &cookie)], b"");
    let page = admin.text();
    assert!(page.contains("<section id=\"wifi\">"), "{page}");
    assert!(
        page.contains("wlan0 (brcmfmac, on-board (SDIO)), chip 0xa9bf"),
        "{page}"
    );
    assert!(
        page.contains("10 (9 with the WPA handshake done; from hostapd)"),
        "{page}"
    );
    assert!(
        page.contains("about 10 (CYW43455 with the standard firmware"),
        "{page}"
    );
    assert!(page.contains("Full: 10 devices"), "{page}");
    assert!(
        page.contains("the school network wants a login (the check got"),
        "{page}"
    );

    // Two leave: 8 of 10 is the 80 % warning, no longer "room full".
    hostapd
        .stations
        .store(8, std::sync::atomic::Ordering::Relaxed);
    let s = wait_for("nearly full", &|w| w["fill"] == "nearly");
    assert_eq!(s["wifi"]["associated"], 8);
    let warnings = s["warnings"].to_string();
    assert!(warnings.contains("nearly full: 8 devices"), "{warnings}");
    assert!(!warnings.contains("the room is full"), "{warnings}");
    let (_, html) = common::http_get(&d.web, "/presenter").unwrap();
    assert!(
        html.contains("Nearly full: 8 of about 10 devices"),
        "{html}"
    );
    assert!(!html.contains("data-room=\"room-full\""), "{html}");

    // The radio refuses the country: hostapd stays in COUNTRY_UPDATE; said, with the key.
    hostapd
        .enabled
        .store(false, std::sync::atomic::Ordering::Relaxed);
    let s = wait_for("the country refused", &|w| {
        w["hostapd_state"] == "COUNTRY_UPDATE"
    });
    let warnings = s["warnings"].to_string();
    assert!(
        warnings.contains("the access point on wlan0 (brcmfmac, on-board (SDIO)) is not running")
            && warnings.contains("wifi.country"),
        "{warnings}"
    );
    let notes = wait_note(&problems, &["WiFi (wifi-ap): the access point on wlan0"]);
    assert!(
        notes.contains("WiFi (wifi-ap): the access point on wlan0"),
        "{notes}"
    );
    hostapd
        .enabled
        .store(true, std::sync::atomic::Ordering::Relaxed);

    // The radio unplugged: said, and the pages keep being served.
    std::fs::remove_dir_all(root.join("sys/class/net/wlan0")).unwrap();
    let s = wait_for("the radio gone", &|w| w["present"] == false);
    assert!(
        s["warnings"]
            .to_string()
            .contains("the WiFi radio wlan0 (brcmfmac, on-board (SDIO)) is gone"),
        "{}",
        s["warnings"]
    );
    assert_eq!(common::http_get(&d.web, "/presenter").unwrap().0, 200);
    drop(hostapd);
    drop(d);
    let _ = std::fs::remove_dir_all(&root);
}

#[test]
fn a_wifi_uplink_not_there_or_refusing_the_passphrase_is_said_while_the_room_is_served() {
    let root = std::env::temp_dir().join(format!("wf-uplink-root-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    pi4_radio_in_sysfs(&root);
    for d in ["run/hostapd", "run/wpa_supplicant"] {
        std::fs::create_dir_all(root.join(d)).unwrap();
    }
    let _hostapd = FakeHostapd::start(&root.join("run/hostapd/wlan0"), 3);
    let wpa = FakeWpa::start(
        &root.join("run/wpa_supplicant/wlan1"),
        "School",
        Uplink::NotThere,
    );
    let problems = root.join("whereflow-problems.txt");
    let d = LoopbackDaemon::start(
        &format!(
            "[wifi]\ninterface = \"wlan0\"\n\
             [uplink]\ninterface = \"wlan1\"\nwifi_ssid = \"School\"\n\
             wifi_passphrase = \"not the school's\"\nprobe_url = \"\"\n\
             [system]\nroot = \"{}\"\nproblems_file = \"{}\"\n",
            root.display(),
            problems.display()
        ),
        false,
    );
    let wait_for = |what: &str, ok: &dyn Fn(&serde_json::Value) -> bool| {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let s = http_get_json(&d.web, "/api/v1/status").unwrap();
            if ok(&s) {
                return s;
            }
            assert!(
                Instant::now() < deadline,
                "{what}: {s}\n{}",
                std::fs::read_to_string(&d.log).unwrap_or_default()
            );
            std::thread::sleep(Duration::from_millis(200));
        }
    };
    let problem = |s: &serde_json::Value| s["wifi"]["uplink"]["problem"].as_str().map(String::from);

    // Not in range: said in plain words; the room's access point is still counted.
    let s = wait_for("not there", &|s| {
        problem(s).is_some_and(|p| p.contains("not in range"))
    });
    let u = &s["wifi"]["uplink"];
    assert_eq!(u["interface"], "wlan1");
    assert_eq!(u["wifi"], true);
    assert_eq!(u["ssid"], "School");
    assert_eq!(u["wpa_state"], "SCANNING");
    assert_eq!(u["portal"], serde_json::Value::Null, "the check is off");
    assert_eq!(s["wifi"]["associated"], 3);
    assert_eq!(s["wifi"]["fill"], "ok");
    assert!(
        s["warnings"]
            .to_string()
            .contains("the uplink WiFi network \\\"School\\\" is not in range"),
        "{}",
        s["warnings"]
    );
    let notes = wait_note(
        &problems,
        &["WiFi (uplink-wifi): the uplink WiFi network \"School\" is not in range"],
    );
    assert!(
        notes.contains("WiFi (uplink-wifi): the uplink WiFi network \"School\" is not in range"),
        "{notes}"
    );

    // A wrong passphrase.
    *wpa.state.lock().unwrap() = Uplink::WrongKey;
    let s = wait_for("wrong key", &|s| {
        problem(s).is_some_and(|p| p.contains("refused the passphrase"))
    });
    assert!(
        problem(&s)
            .unwrap()
            .contains("check uplink.wifi_passphrase"),
        "{s}"
    );
    assert_eq!(
        s["wifi"]["hostapd_state"], "ENABLED",
        "the access point keeps running"
    );
    // The pages are served meanwhile.
    assert_eq!(common::http_get(&d.web, "/presenter").unwrap().0, 200);

    // Joined: the problem and its warning go, the note says fine again.
    *wpa.state.lock().unwrap() = Uplink::Joined;
    let s = wait_for("joined", &|s| {
        s["wifi"]["uplink"]["wpa_state"] == "COMPLETED" && problem(s).is_none()
    });
    assert!(
        !s["warnings"].to_string().contains("uplink WiFi network"),
        "{}",
        s["warnings"]
    );
    let notes = wait_note(&problems, &["WiFi (uplink-wifi): fine again"]);
    assert!(notes.contains("WiFi (uplink-wifi): fine again"), "{notes}");
    drop(d);
    let _ = std::fs::remove_dir_all(&root);
}
