//! Privacy mode on the lab: each device sees only its own flows, answers and devices entry;
//! the group rows fold everyone else into one aggregate, shown only when it holds at least
//! `web.privacy_min_devices` devices, with times to the minute; asking for another device is
//! refused.
//! Requests come from the devices' own namespaces, as phones on the WiFi would make them.

mod common;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use common::{get_as_device, Daemon};
use hickory_proto::rr::RecordType;
use serde_json::Value;
use whereflow_lab::{Lab, LabOptions, Zone};

fn json(lab: &Lab, dev: usize, path: &str) -> Value {
    let (code, body) = get_as_device(lab, dev, path).expect("GET");
    assert_eq!(code, 200, "GET {path} as device {dev}: {body}");
    serde_json::from_str(&body).expect("JSON")
}

/// Device `dev` sees a flow of its own.
fn has_flows(lab: &Lab, dev: usize) -> bool {
    json(lab, dev, "/api/v1/flows")["flows"]
        .as_array()
        .is_some_and(|f| !f.is_empty())
}

fn devices_in(list: &Value, key: &str) -> Vec<String> {
    let mut v: Vec<String> = list
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|x| x[key].as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v.dedup();
    v
}

#[test]
fn each_device_sees_only_itself_and_group_rows_are_aggregates() {
    let zones = vec![Zone::new("test")
        .a("a.example", "203.0.113.10")
        .a("b.example", "203.0.113.11")];
    let lab = Lab::build(LabOptions { devices: 2, zones }).expect("building the lab (needs root)");
    let _tcp = lab.tcp_server(443).expect("tcp server");
    let d = Daemon::start(&lab, "privacy_mode = true\n").expect("daemon");
    // Device 1 listens to the event stream while both devices make traffic.
    let mut stream = lab
        .in_netns(&lab.devices()[1], || -> std::io::Result<TcpStream> {
            let mut s = TcpStream::connect("192.0.2.1:8080")?;
            s.write_all(b"GET /api/v1/events HTTP/1.0\r\nHost: whereflow\r\n\r\n")?;
            s.set_read_timeout(Some(Duration::from_millis(200)))?;
            Ok(s)
        })
        .expect("netns")
        .expect("event stream");
    for (dev, name, ip) in [
        (0, "a.example.test.", "203.0.113.10"),
        (1, "b.example.test.", "203.0.113.11"),
    ] {
        lab.query(
            dev,
            "192.0.2.1:53".parse().expect("addr"),
            name,
            RecordType::A,
            false,
        )
        .expect("query");
        lab.tcp_exchange(dev, format!("{ip}:443").parse().expect("addr"), 1000, 5000)
            .expect("exchange");
    }
    // Each device waits for its own flow (it sees no one else's).
    d.wait_for(&lab, Duration::from_secs(10), |_| {
        (0..2).all(|dev| has_flows(&lab, dev)).then_some(())
    })
    .expect("both devices' flows");

    // Its own events in full; the other device's only as content-free `changed` events.
    let mut seen = Vec::new();
    let until = std::time::Instant::now() + Duration::from_secs(3);
    let mut buf = [0u8; 16384];
    while std::time::Instant::now() < until {
        if let Ok(n) = stream.read(&mut buf) {
            seen.extend_from_slice(&buf[..n]);
        }
    }
    let seen = String::from_utf8_lossy(&seen);
    assert!(seen.contains("event: changed"), "no changed event:\n{seen}");
    assert!(
        seen.contains("\"device_ip\":\"192.0.2.11\""),
        "own events missing:\n{seen}"
    );
    assert!(
        !seen.contains("192.0.2.10"),
        "device 0 leaked to device 1:\n{seen}"
    );

    for (dev, me, other) in [
        (0, "192.0.2.10", "192.0.2.11"),
        (1, "192.0.2.11", "192.0.2.10"),
    ] {
        let flows = json(&lab, dev, "/api/v1/flows");
        assert_eq!(
            devices_in(&flows["flows"], "device_ip"),
            [me],
            "flows seen by {me}"
        );
        let dns = json(&lab, dev, "/api/v1/dns");
        assert_eq!(
            devices_in(&dns["answers"], "device_ip"),
            [me],
            "answers seen by {me}"
        );
        let devices = json(&lab, dev, "/api/v1/devices");
        assert_eq!(
            devices_in(&devices["devices"], "ip"),
            [me],
            "devices seen by {me}"
        );
        let (code, _) =
            get_as_device(&lab, dev, &format!("/api/v1/flows?device={other}")).expect("GET");
        assert_eq!(code, 403, "{me} asked for {other}'s flows");
        let (code, _) =
            get_as_device(&lab, dev, &format!("/api/v1/paths?device={other}")).expect("GET");
        assert_eq!(code, 403, "{me} asked for {other}'s paths");

        let paths = json(&lab, dev, "/api/v1/paths?window=900");
        assert_eq!(paths["privacy"], true);
        assert_eq!(paths["you"], me);
        // One other device is fewer than `web.privacy_min_devices` (3): no "others" rows,
        // they would be its browsing.
        let ids = devices_in(&paths["paths"], "device");
        assert_eq!(ids, [me], "{paths}");
        let text = paths.to_string();
        assert!(!text.contains(other), "{me} sees {other} in {text}");
        let mine = json(&lab, dev, "/api/v1/me");
        assert_eq!(mine["ip"], me);
        assert_eq!(mine["privacy"], true);
    }
}

/// Five devices, `privacy_min_devices = 4`: each device's "others" rows hold four devices and
/// are shown, their times to the minute; with `privacy_min_devices = 5` they are left out.
#[test]
fn group_rows_need_enough_devices_and_show_minutes() {
    let zones = vec![Zone::new("test").a("a.example", "203.0.113.10")];
    let lab = Lab::build(LabOptions { devices: 5, zones }).expect("building the lab (needs root)");
    let _tcp = lab.tcp_server(443).expect("tcp server");
    let ips = [
        "192.0.2.10",
        "192.0.2.11",
        "192.0.2.12",
        "192.0.2.13",
        "192.0.2.14",
    ];
    for (k, others_shown) in [(4, true), (5, false)] {
        let d = Daemon::start(
            &lab,
            &format!("privacy_mode = true\nprivacy_min_devices = {k}\n"),
        )
        .expect("daemon");
        for dev in 0..ips.len() {
            lab.query(
                dev,
                "192.0.2.1:53".parse().expect("addr"),
                "a.example.test.",
                RecordType::A,
                false,
            )
            .expect("query");
            lab.tcp_exchange(dev, "203.0.113.10:443".parse().expect("addr"), 1000, 5000)
                .expect("exchange");
        }
        d.wait_for(&lab, Duration::from_secs(10), |_| {
            (0..ips.len()).all(|dev| has_flows(&lab, dev)).then_some(())
        })
        .expect("every device's flow");
        let paths = json(&lab, 0, "/api/v1/paths?window=900");
        let ids = devices_in(&paths["paths"], "device");
        let rows = paths["paths"].as_array().cloned().unwrap_or_default();
        if others_shown {
            assert_eq!(ids, ["192.0.2.10", "others"], "k = {k}: {paths}");
            let others = rows
                .iter()
                .find(|r| r["device"] == "others")
                .expect("others row");
            assert_eq!(others["connections"], 4, "{others}");
            let at: chrono::DateTime<chrono::Utc> = others["last_seen"]
                .as_str()
                .and_then(|s| s.parse().ok())
                .expect("last_seen");
            assert_eq!(at.timestamp() % 60, 0, "others' time to the minute: {at}");
            assert_eq!(at.timestamp_subsec_nanos(), 0, "{at}");
        } else {
            assert_eq!(ids, ["192.0.2.10"], "k = {k}: {paths}");
        }
        for ip in &ips[1..] {
            assert!(!paths.to_string().contains(ip), "{ip} in {paths}");
        }
    }
}
