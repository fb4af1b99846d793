//! The take-home summary on the lab, over real HTTP from the devices' own namespaces: a
//! device gets its page, JSON and CSV with its own flows and no one else's; another device's
//! summary is refused (403) unless the admin, logged in, asks for it.
//!
//! Needs root (network namespaces, conntrack). Nothing leaves the lab.

mod admin_support;
mod common;

use std::time::Duration;

use common::{find, request_as_device, Daemon, API};
use hickory_proto::rr::RecordType;
use serde_json::Value;
use whereflow_lab::{Lab, LabOptions, Zone};

const PASSWORD: &str = "correct horse battery";
/// Google's ad server (advertising, a tracker), for device 0.
const ADS: &str = "googleads.g.doubleclick.net.";
const ADS_IP: &str = "203.0.113.52";
/// A plain name, device 0 too. (A name starting with `-`, which a spreadsheet would read as
/// a formula, cannot be asked through the lab's resolver library, which refuses such labels:
/// the defusing and quoting are tested in `web/me/download.rs`.)
const DASH: &str = "shop.test.";
const DASH_IP: &str = "203.0.113.60";
/// Device 1's only destination.
const OTHER: &str = "www.google.com.";
const OTHER_IP: &str = "203.0.113.50";

fn get(lab: &Lab, dev: usize, path: &str) -> (u16, String, String) {
    request_as_device(lab, dev, "GET", path, &[], "").expect("GET")
}

fn remote_ips(v: &Value) -> Vec<String> {
    v["flows"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|f| f["remote_ip"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn a_device_takes_its_own_summary_home_and_no_one_elses() {
    let zones = vec![
        Zone::new("net").a("googleads.g.doubleclick", ADS_IP),
        Zone::new("com").a("www.google", OTHER_IP),
        Zone::new("test").a("shop", DASH_IP),
    ];
    let lab = Lab::build(LabOptions { devices: 2, zones }).expect("building the lab (needs root)");
    let _tcp = lab.tcp_server(443).expect("tcp server");
    let d = Daemon::start(&lab, &format!("[admin]\npassword = \"{PASSWORD}\"\n")).expect("daemon");
    let visits = [(0, ADS, ADS_IP), (0, DASH, DASH_IP), (1, OTHER, OTHER_IP)];
    for (dev, name, ip) in visits {
        let r = lab
            .query(
                dev,
                "192.0.2.1:53".parse().expect("addr"),
                name,
                RecordType::A,
                false,
            )
            .expect("query");
        assert_eq!(
            r.addresses(),
            vec![ip.parse::<std::net::IpAddr>().expect("ip")],
            "{name}"
        );
        lab.tcp_exchange(dev, format!("{ip}:443").parse().expect("addr"), 3000, 9000)
            .expect("exchange");
    }
    let (dev0, dev1) = (
        lab.devices()[0].ipv4.to_string(),
        lab.devices()[1].ipv4.to_string(),
    );
    // Each flow with its bytes counted (conntrack's counters arrive after the connection).
    let counted = |f: &[Value], dev: &str, ip: &str| {
        find(f, dev, ip, 443).is_some_and(|f| {
            f["bytes_up"].as_u64().unwrap_or(0) + f["bytes_down"].as_u64().unwrap_or(0) >= 12_000
        })
    };
    d.wait_for(&lab, Duration::from_secs(15), |f| {
        (counted(f, &dev0, ADS_IP) && counted(f, &dev0, DASH_IP) && counted(f, &dev1, OTHER_IP))
            .then_some(())
    })
    .expect("three flows with their bytes");

    // The device's own page: companies, a tracker with its plain words, busiest minutes,
    // the downloads; nothing from another host.
    let (code, head, page) = get(&lab, 0, "/me/takehome");
    assert_eq!(code, 200, "{head}\n{page}");
    assert!(page.contains("Where my data went"), "{page}");
    assert!(page.contains("id=\"takehome-trackers\""), "{page}");
    assert!(page.contains("⚠ Google"), "{page}");
    assert!(
        page.contains("To pick an ad for you they collect"),
        "the plain words: {page}"
    );
    assert!(page.contains("id=\"takehome-minutes\""), "{page}");
    assert!(page.contains("href=\"/me/takehome.csv\""), "{page}");
    assert!(head
        .to_ascii_lowercase()
        .contains("content-security-policy: default-src 'self'"));
    for attr in ["src=\"http", "href=\"//", "src=\"//"] {
        assert!(!page.contains(attr), "{attr} in {page}");
    }

    // Its JSON: its own flows only.
    let (code, head, body) = get(&lab, 0, "/me/takehome.json");
    assert_eq!(code, 200, "{head}");
    assert!(
        head.contains("attachment; filename=\"whereflow-192.0.2.10.json\""),
        "{head}"
    );
    let v: Value = serde_json::from_str(&body).expect("JSON");
    let mut ips = remote_ips(&v);
    ips.sort();
    assert_eq!(ips, [ADS_IP, DASH_IP], "{v}");
    assert!(
        v["trackers"]
            .as_array()
            .is_some_and(|t| t.iter().any(|t| t["org"] == "Google")),
        "{v}"
    );
    let minutes = v["busiest_minutes"].as_array().cloned().unwrap_or_default();
    let bytes: u64 = minutes.iter().filter_map(|m| m["bytes"].as_u64()).sum();
    assert!(
        bytes >= 2 * 12_000,
        "the exchanges' bytes are in the minutes: {v}"
    );
    assert!(
        v["lookups"]
            .to_string()
            .contains("googleads.g.doubleclick.net"),
        "{v}"
    );

    // Its CSV: a header, one row per flow, no one else's flow.
    let (code, head, csv) = get(&lab, 0, "/me/takehome.csv");
    assert_eq!(code, 200, "{head}");
    assert!(head.contains("text/csv"), "{head}");
    let csv = csv.trim_start_matches('\u{feff}');
    let mut r = csv::Reader::from_reader(csv.as_bytes());
    let names: Vec<String> = r
        .records()
        .filter_map(Result::ok)
        .map(|rec| rec.get(2).unwrap_or_default().to_owned())
        .collect();
    assert!(names.contains(&"shop.test".to_owned()), "{csv}");
    assert!(
        csv.starts_with("first_seen_utc,last_seen_utc,name,"),
        "{csv}"
    );
    assert!(
        names.contains(&"googleads.g.doubleclick.net".to_owned()),
        "{csv}"
    );
    assert_eq!(names.len(), 2, "{csv}");
    assert!(!csv.contains(OTHER_IP), "{csv}");

    // Another device's: refused with a reason, in every form; its own through device= is fine.
    for path in ["/me/takehome", "/me/takehome.json", "/me/takehome.csv"] {
        let (code, _, body) = get(&lab, 0, &format!("{path}?device={dev1}"));
        assert_eq!(code, 403, "{path}: {body}");
        assert!(body.contains("Only that device"), "{path}: {body}");
        assert!(!body.contains(OTHER_IP), "{path}: {body}");
    }
    let (code, _, _) = get(&lab, 0, &format!("/me/takehome.json?device={dev0}"));
    assert_eq!(code, 200);
    let (code, _, _) = get(&lab, 0, "/me/takehome.json?device=not-an-address");
    assert_eq!(code, 400);

    // The admin, logged in, gets any device's.
    let (cookie, csrf) = lab
        .in_netns(lab.router(), || admin_support::login(API, None, PASSWORD))
        .expect("netns")
        .unwrap_or_else(|r| panic!("login refused: {r:?}"));
    let admin_get = |path: String| {
        let cookie = cookie.clone();
        lab.in_netns(lab.router(), move || {
            admin_support::http(API, None, "GET", &path, &[("Cookie", cookie.as_str())], b"")
        })
        .expect("netns")
    };
    let r = admin_get(format!("/me/takehome.json?device={dev1}"));
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(remote_ips(&r.json()), [OTHER_IP]);
    let r = admin_get(format!("/me/takehome?device={dev1}"));
    assert_eq!(r.status, 200, "{}", r.text());
    assert!(r
        .text()
        .contains(&format!("href=\"/me/takehome.csv?device={dev1}\"")));
    // Without the login, the same request from the router is not the device's: refused.
    let r = lab
        .in_netns(lab.router(), move || {
            admin_support::http(
                API,
                None,
                "GET",
                &format!("/me/takehome.csv?device={dev1}"),
                &[],
                b"",
            )
        })
        .expect("netns");
    assert_eq!(r.status, 403, "{}", r.text());

    // The teacher marks a moment of the lesson: the student's summary lists it, on the page
    // (in the device's language) and in the JSON download.
    let r = lab
        .in_netns(lab.router(), move || {
            admin_support::http(
                API,
                None,
                "POST",
                "/api/v1/marks",
                &[
                    ("Cookie", cookie.as_str()),
                    ("X-CSRF-Token", csrf.as_str()),
                    ("Content-Type", "application/json"),
                ],
                br#"{"label": "Now open <your> chat app"}"#,
            )
        })
        .expect("netns");
    assert_eq!(r.status, 201, "{}", r.text());
    let (code, _, page) = get(&lab, 0, "/me/takehome");
    assert_eq!(code, 200, "{page}");
    assert!(page.contains("id=\"takehome-marks\""), "{page}");
    assert!(page.contains("The marks of the lesson"), "{page}");
    assert!(
        page.contains("Now open &lt;your&gt; chat app")
            || page.contains("Now open &#60;your&#62; chat app"),
        "the label, escaped: {page}"
    );
    let (_, _, body) = get(&lab, 0, "/me/takehome.json");
    let v: Value = serde_json::from_str(&body).expect("JSON");
    assert_eq!(v["marks"][0]["label"], "Now open <your> chat app", "{v}");
}
