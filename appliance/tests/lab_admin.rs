//! Sessions and exports with real traffic on the namespace lab: devices resolve through the
//! daemon and connect through NAT; the admin exports the session (CSV and JSON) and finds
//! every flow with its name and byte counts and the per-host report; a new session starts
//! the live view over and files new flows under it, while the old session still exports.
//!
//! WPA3 or WPA2 (issue 14): with the WiFi monitor reading a socket that answers as hostapd's
//! control interface does (the lab has no radio; the QEMU vm-test runs the real hostapd), the
//! login form warns the device that joined with WPA2 (by its address → MAC → station), not
//! the one that joined with WPA3, and the admin's device list says which is which.
//!
//! Needs root (network namespaces, conntrack).

mod admin_support;
mod common;

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use admin_support::Resp;
use common::{find, Daemon, API};
use hickory_proto::rr::RecordType;
use serde_json::Value;
use whereflow_lab::{Lab, LabOptions, Zone};

const PASSWORD: &str = "correct horse battery";

fn dns4() -> SocketAddr {
    "192.0.2.1:53".parse().unwrap()
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

fn u(v: &Value, key: &str) -> u64 {
    v[key].as_u64().unwrap_or(0)
}

/// Poll `f` until it returns `Some`, for at most 10 s.
fn eventually<T>(what: &str, mut f: impl FnMut() -> Option<T>) -> T {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        if let Some(t) = f() {
            return t;
        }
        assert!(Instant::now() < deadline, "{what}: not within 10 s");
        std::thread::sleep(Duration::from_millis(200));
    }
}

#[test]
fn sessions_export_real_flows_and_a_new_session_starts_over() {
    let lab = Lab::build(LabOptions {
        devices: 2,
        zones: vec![Zone::new("example.test")
            .a("www", "203.0.113.10")
            .a("later", "203.0.113.11")],
    })
    .expect("building the lab (needs root)");
    let _tcp = lab.tcp_server(8000).unwrap();
    let d = Daemon::start(&lab, &format!("[admin]\npassword = \"{PASSWORD}\"\n")).unwrap();
    let dev = |i: usize| lab.devices()[i].ipv4.to_string();

    // Both devices resolve the same name and download from it.
    for i in 0..2 {
        let r = lab
            .query(i, dns4(), "www.example.test.", RecordType::A, false)
            .unwrap();
        assert_eq!(r.addresses().len(), 1);
        lab.tcp_exchange(i, "203.0.113.10:8000".parse().unwrap(), 10_000, 30_000)
            .unwrap();
    }
    d.wait_for(&lab, Duration::from_secs(10), |flows| {
        (0..2)
            .map(|i| {
                find(flows, &dev(i), "203.0.113.10", 8000)
                    .filter(|f| u(f, "bytes_down") >= 30_000)
                    .cloned()
            })
            .collect::<Option<Vec<_>>>()
    })
    .unwrap();

    let (cookie, csrf) = lab
        .in_netns(lab.router(), || admin_support::login(API, None, PASSWORD))
        .unwrap()
        .unwrap_or_else(|r| panic!("login refused: {r:?}"));
    let auth = [("Cookie", cookie.as_str())];
    let first = http(&lab, "GET", "/api/v1/sessions", &[], "").json()["sessions"][0]["id"]
        .as_i64()
        .unwrap();

    // JSON export: both flows with their name and counts, the answers, the per-host totals
    // (the writer commits within 500 ms and counters come with the dumps: poll).
    let all = eventually("flows with final counters in the export", || {
        let v = http(
            &lab,
            "GET",
            &format!("/api/v1/sessions/{first}/export"),
            &auth,
            "",
        )
        .json();
        let flows = v["flows"].as_array()?;
        let ok = (0..2).all(|i| {
            flows.iter().any(|f| {
                f["device_ip"] == dev(i).as_str()
                    && f["domain"] == "www.example.test"
                    && u(f, "bytes_down") >= 30_000
                    && u(f, "bytes_up") >= 10_004
            })
        });
        (ok && v["dns"].as_array()?.len() >= 2).then_some(v)
    });
    let host = all["hosts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|h| h["remote_ip"] == "203.0.113.10" && h["domain"] == "www.example.test")
        .cloned()
        .unwrap();
    assert_eq!(host["devices"], 2, "{host}");
    assert!(u(&host, "bytes_to_host") >= 2 * 10_004, "{host}");
    assert!(u(&host, "bytes_from_host") >= 2 * 30_000, "{host}");
    assert_eq!(
        all["devices"].as_array().unwrap().len(),
        2,
        "{}",
        all["devices"]
    );

    // The same as CSV, a table a spreadsheet opens.
    let csv = http(
        &lab,
        "GET",
        &format!("/api/v1/sessions/{first}/export?format=csv&part=flows"),
        &auth,
        "",
    )
    .text();
    for i in 0..2 {
        let row = csv
            .lines()
            .find(|l| l.contains(&format!(",{},", dev(i))) && l.contains("203.0.113.10,8000,tcp"))
            .unwrap_or_else(|| panic!("no row for device {i}:\n{csv}"));
        assert!(row.contains(",www.example.test,"), "{row}");
    }
    let report = http(
        &lab,
        "GET",
        &format!("/api/v1/sessions/{first}/report?format=csv"),
        &auth,
        "",
    )
    .text();
    assert!(
        report
            .lines()
            .any(|l| l.starts_with("203.0.113.10,www.example.test,")),
        "{report}"
    );

    // A new session: the live view starts over (answers and totals); flows from now on are
    // the new session's, and the first one still exports whole.
    let write = [("Cookie", cookie.as_str()), ("X-CSRF-Token", csrf.as_str())];
    let r = http(
        &lab,
        "POST",
        "/api/v1/sessions",
        &write,
        r#"{"name": "Second"}"#,
    );
    assert_eq!(r.status, 201, "{r:?}");
    let second = r.json()["session"]["id"].as_i64().unwrap();
    assert!(d.get(&lab, "/api/v1/dns").unwrap()["answers"]
        .as_array()
        .unwrap()
        .is_empty());
    lab.query(0, dns4(), "later.example.test.", RecordType::A, false)
        .unwrap();
    lab.tcp_exchange(0, "203.0.113.11:8000".parse().unwrap(), 100, 5_000)
        .unwrap();
    let v = eventually("the new flow in the new session", || {
        let v = http(
            &lab,
            "GET",
            &format!("/api/v1/sessions/{second}/export"),
            &auth,
            "",
        )
        .json();
        v["flows"]
            .as_array()?
            .iter()
            .any(|f| f["domain"] == "later.example.test" && u(f, "bytes_down") >= 5_000)
            .then_some(v)
    });
    assert!(
        v["dns"]
            .as_array()
            .unwrap()
            .iter()
            .all(|a| a["name"] != "www.example.test"),
        "old answers are not the new session's"
    );
    let old = http(
        &lab,
        "GET",
        &format!("/api/v1/sessions/{first}/export"),
        &auth,
        "",
    )
    .json();
    assert!(old["flows"]
        .as_array()
        .unwrap()
        .iter()
        .all(|f| f["domain"] != "later.example.test"));
    assert!(
        old["flows"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["domain"] == "www.example.test")
            .count()
            >= 2
    );
}

#[test]
fn the_login_form_warns_a_wpa2_device_and_the_admin_sees_how_each_joined() {
    use common::request_as_device;
    use common::wifi::FakeHostapd;
    let lab = Lab::build(LabOptions {
        devices: 2,
        zones: vec![Zone::new("example.test").a("www", "203.0.113.10")],
    })
    .expect("building the lab (needs root)");
    let root = std::env::temp_dir().join(format!("wf-lab-wpa-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    std::fs::create_dir_all(root.join("run/hostapd")).unwrap();
    let stations = vec![
        (lab.devices()[0].mac.clone(), "00-0f-ac-8"),
        (lab.devices()[1].mac.clone(), "00-0f-ac-2"),
    ];
    // In the router's namespace, where the daemon runs: the client's end is an abstract
    // socket, which is per network namespace.
    let path = root.join("run/hostapd/wlan0");
    let _hostapd = lab
        .in_netns(lab.router(), move || {
            FakeHostapd::with_stations(&path, stations)
        })
        .unwrap();
    let d = Daemon::start(
        &lab,
        &format!(
            "[admin]\npassword = \"{PASSWORD}\"\n\n[wifi]\ninterface = \"wlan0\"\n\n\
             [system]\nroot = \"{}\"\n",
            root.display()
        ),
    )
    .unwrap();
    // The devices show themselves (the registry learns their MACs).
    for i in 0..2 {
        lab.query(i, dns4(), "www.example.test.", RecordType::A, false)
            .unwrap();
    }
    let (cookie, _) = lab
        .in_netns(lab.router(), || admin_support::login(API, None, PASSWORD))
        .unwrap()
        .unwrap_or_else(|r| panic!("login refused: {r:?}"));
    let auth = [("Cookie", cookie.as_str())];
    // The admin's device list: WPA3 for device 0, WPA2 for device 1 (the monitor looks every
    // 5 s).
    let of = |v: &Value, i: usize| {
        let ip = lab.devices()[i].ipv4.to_string();
        v["devices"]
            .as_array()
            .and_then(|a| a.iter().find(|d| d["ip"] == ip.as_str()))
            .map(|d| d["wifi_security"].clone())
    };
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let v = http(&lab, "GET", "/api/v1/devices", &auth, "").json();
        if of(&v, 0) == Some(Value::from("wpa3")) && of(&v, 1) == Some(Value::from("wpa2")) {
            break;
        }
        assert!(Instant::now() < deadline, "devices: {v}");
        std::thread::sleep(Duration::from_millis(250));
    }
    // Not for anyone else.
    let v = http(&lab, "GET", "/api/v1/devices", &[], "").json();
    assert!(
        v["devices"][0].get("wifi_security").is_none(),
        "without the login: {v}"
    );
    // The login form, from each device's own namespace, in English and in German.
    for (lang, words) in [("en", "joined the WiFi with WPA2"), ("de", "per WPA2")] {
        let h = [("Accept-Language", lang)];
        let (code, _, wpa2) = request_as_device(&lab, 1, "GET", "/admin", &h, "").unwrap();
        assert_eq!(code, 200);
        assert!(wpa2.contains("id=\"wpa2-warning\""), "{wpa2}");
        assert!(wpa2.contains(words), "{lang}: {wpa2}");
        let (_, _, wpa3) = request_as_device(&lab, 0, "GET", "/admin", &h, "").unwrap();
        assert!(!wpa3.contains("wpa2-warning"), "{wpa3}");
        assert!(wpa3.contains("action=\"/admin/login\""), "{wpa3}");
    }
    // The admin page's WiFi section: a badge per device.
    let page = http(&lab, "GET", "/admin", &auth, "").text();
    assert!(page.contains("class=\"badge wifi-wpa3\">WPA3<"), "{page}");
    assert!(page.contains("class=\"badge wifi-wpa2\">WPA2<"), "{page}");
    // No radio in this sysfs: the monitor's condition, with its words in the API and said in
    // the reader's language on the admin page (not marked English any more).
    let status = http(&lab, "GET", "/api/v1/status", &[], "").json();
    let at = status["warnings_words"]
        .as_array()
        .and_then(|w| w.iter().position(|w| w["id"] == "wifi-radio-gone"))
        .unwrap_or_else(|| panic!("no radio warning: {status}"));
    // The radio as words: its interface, and no bus (only the interface is known).
    let args = &status["warnings_words"][at]["args"];
    assert_eq!(args["interface"], "wlan0", "{status}");
    assert_eq!(args["bus"], "unknown", "{status}");
    assert!(
        status["warnings"][at]
            .as_str()
            .is_some_and(|w| w.starts_with("the WiFi radio wlan0 is gone")),
        "{status}"
    );
    let de = [auth[0], ("Accept-Language", "de")];
    let page = http(&lab, "GET", "/admin", &de, "").text();
    assert!(
        page.contains("<li>Das WLAN-Funkmodul wlan0 ist weg"),
        "{page}"
    );
    assert!(!page.contains("the WiFi radio wlan0 is gone"), "{page}");
    drop(d);
    let _ = std::fs::remove_dir_all(&root);
}
