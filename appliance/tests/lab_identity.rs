//! One device, one identity across its addresses (issue 13), on the namespace lab: a device
//! that asks for a name over IPv4 and connects over IPv6 (and the reverse) has its flow named
//! and is listed once, with its addresses; a new IPv6 address mid-session keeps the device;
//! two devices (two MACs) that ask for the same name stay apart; in privacy mode a device sees
//! its own data from any of its addresses and nobody else's through a second address.
//!
//! The daemon learns which addresses belong to which MAC from the kernel's neighbour table
//! (the lab's devices have distinct MACs, `02:77:66:00:00:0a` and `…:0b`). Needs root.

mod common;

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use common::{forget_me, get_as_device, Daemon};
use hickory_proto::rr::RecordType;
use serde_json::Value;
use whereflow_lab::{Lab, LabOptions, Zone};

const DEV0_V4: &str = "192.0.2.10";
const DEV0_V6: &str = "2001:db8:1::a";
const DEV1_V4: &str = "192.0.2.11";
const DEV1_V6: &str = "2001:db8:1::b";

fn dns4() -> SocketAddr {
    "192.0.2.1:53".parse().unwrap()
}
fn dns6() -> SocketAddr {
    "[2001:db8:1::1]:53".parse().unwrap()
}

fn lab() -> Lab {
    let zones = vec![Zone::new("example.test")
        .a("dual", "203.0.113.40")
        .aaaa("dual", "2001:db8:2::40")
        .a("rev", "203.0.113.41")
        .aaaa("rev", "2001:db8:2::41")
        .aaaa("moved", "2001:db8:2::42")];
    Lab::build(LabOptions { devices: 2, zones }).expect("building the lab (needs root)")
}

/// Make the router's neighbour table know device `i` on both families.
fn ping_router(lab: &Lab, i: usize) {
    let d = lab.devices()[i].clone();
    for (ping, to) in [("ping", "192.0.2.1"), ("ping6", "2001:db8:1::1")] {
        let out = lab
            .command(&d, "busybox")
            .args([ping, "-c", "1", "-W", "2", to])
            .output()
            .expect("busybox ping (scripts/install-deps.sh)");
        assert!(out.status.success(), "{ping} {to} from device {i}: {out:?}");
    }
}

fn query(lab: &Lab, dev: usize, server: SocketAddr, name: &str, t: RecordType) {
    let r = lab.query(dev, server, name, t, false).expect("query");
    assert!(!r.addresses().is_empty(), "no answer for {name}");
}

fn get(d: &Daemon, lab: &Lab, path: &str) -> Value {
    d.get(lab, path).expect("GET")
}

/// Poll `path` until `ok` holds, for at most 20 s.
fn wait_until(d: &Daemon, lab: &Lab, path: &str, what: &str, ok: impl Fn(&Value) -> bool) -> Value {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let v = get(d, lab, path);
        if ok(&v) {
            return v;
        }
        assert!(
            Instant::now() < deadline,
            "{what} not within 20 s:\n{}\nlog:\n{}",
            serde_json::to_string_pretty(&v).unwrap_or_default(),
            d.log()
        );
        std::thread::sleep(Duration::from_millis(200));
    }
}

fn flow<'a>(v: &'a Value, src: &str, dst: &str) -> Option<&'a Value> {
    v["flows"]
        .as_array()?
        .iter()
        .find(|f| f["device_ip"] == src && f["remote_ip"] == dst)
}

fn device_row<'a>(v: &'a Value, ip: &str) -> Vec<&'a Value> {
    v["devices"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter(|d| {
                    d["ips"]
                        .as_array()
                        .is_some_and(|ips| ips.iter().any(|x| x == ip))
                })
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn asked_over_one_family_connected_over_the_other_is_one_named_device() {
    let lab = lab();
    let _tcp = lab.tcp_server(8000).unwrap();
    let d = Daemon::start(&lab, "").unwrap();
    ping_router(&lab, 0);
    ping_router(&lab, 1);

    // Device 0: AAAA asked over IPv4, connection over IPv6; A asked over IPv6, connection
    // over IPv4.
    query(&lab, 0, dns4(), "dual.example.test.", RecordType::AAAA);
    lab.tcp_exchange(0, "[2001:db8:2::40]:8000".parse().unwrap(), 1000, 2000)
        .unwrap();
    query(&lab, 0, dns6(), "rev.example.test.", RecordType::A);
    lab.tcp_exchange(0, "203.0.113.41:8000".parse().unwrap(), 1000, 2000)
        .unwrap();
    // Device 1 (another MAC) asks the same name the same way and connects too; and it
    // connects to the address only device 0 asked for, without asking.
    query(&lab, 1, dns4(), "dual.example.test.", RecordType::AAAA);
    lab.tcp_exchange(1, "[2001:db8:2::40]:8000".parse().unwrap(), 500, 500)
        .unwrap();
    lab.tcp_exchange(1, "203.0.113.41:8000".parse().unwrap(), 500, 500)
        .unwrap();

    let flows = wait_until(&d, &lab, "/api/v1/flows", "all four flows named", |v| {
        let named = |src, dst| flow(v, src, dst).is_some_and(|f| f["domain"].is_string());
        named(DEV0_V6, "2001:db8:2::40")
            && named(DEV0_V4, "203.0.113.41")
            && named(DEV1_V6, "2001:db8:2::40")
            && flow(v, DEV1_V4, "203.0.113.41").is_some()
    });
    let f06 = flow(&flows, DEV0_V6, "2001:db8:2::40").unwrap();
    let f04 = flow(&flows, DEV0_V4, "203.0.113.41").unwrap();
    let f16 = flow(&flows, DEV1_V6, "2001:db8:2::40").unwrap();
    let f14 = flow(&flows, DEV1_V4, "203.0.113.41").unwrap();
    assert_eq!(f06["domain"], "dual.example.test");
    assert_eq!(f04["domain"], "rev.example.test");
    assert_eq!(f16["domain"], "dual.example.test");
    assert_eq!(
        f14["domain"],
        Value::Null,
        "device 0's answer named device 1's flow: {f14}"
    );
    // One identity per device, the same on its two addresses, not the other's.
    assert!(f06["device"].as_str().unwrap().starts_with("hw-"), "{f06}");
    assert_eq!(f06["device"], f04["device"]);
    assert_eq!(f16["device"], f14["device"]);
    assert_ne!(f06["device"], f16["device"]);

    // `/devices`: each device once, with both addresses and both flows counted.
    let devices = wait_until(&d, &lab, "/api/v1/devices", "devices grouped", |v| {
        device_row(v, DEV0_V6)
            .first()
            .is_some_and(|r| r["flows_total"] == 2)
    });
    for (v4, v6) in [(DEV0_V4, DEV0_V6), (DEV1_V4, DEV1_V6)] {
        let rows = device_row(&devices, v6);
        assert_eq!(rows.len(), 1, "{v6}: {devices}");
        assert_eq!(device_row(&devices, v4), rows, "{v4} and {v6} one row");
        let row = rows[0];
        assert_eq!(row["ip"], v4, "IPv4 first: {row}");
        assert_eq!(row["flows_total"], 2, "{row}");
        assert_eq!(
            row["dns_answers"],
            if v4 == DEV0_V4 { 2 } else { 1 },
            "{row}"
        );
    }

    // The group views (paths) show each device once, under its IPv4 address.
    let paths = get(&d, &lab, "/api/v1/paths?window=900");
    let mut shown: Vec<&str> = paths["paths"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|r| r["device"].as_str())
        .collect();
    shown.sort();
    shown.dedup();
    assert_eq!(shown, [DEV0_V4, DEV1_V4], "{paths}");

    // `?device=` with either address gives the device's flows from both.
    for a in [DEV0_V4, DEV0_V6] {
        let v = get(&d, &lab, &format!("/api/v1/flows?device={a}"));
        let mut srcs: Vec<&str> = v["flows"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|f| f["device_ip"].as_str())
            .collect();
        srcs.sort();
        srcs.dedup();
        assert_eq!(srcs, [DEV0_V4, DEV0_V6], "?device={a}");
        let dns = get(&d, &lab, &format!("/api/v1/dns?device={a}"));
        assert_eq!(dns["answers"].as_array().map(Vec::len), Some(2), "{dns}");
    }
    me_counts_both_families(&lab);

    // "Forget my device", asked over IPv4, forgets what it did over IPv6 too; device 1 stays.
    let (code, head) = forget_me(&lab, 0);
    assert_eq!(code, 303, "{head}");
    let flows = get(&d, &lab, "/api/v1/flows");
    let srcs: Vec<&str> = flows["flows"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|f| f["device_ip"].as_str())
        .collect();
    assert!(
        !srcs.contains(&DEV0_V4) && !srcs.contains(&DEV0_V6),
        "device 0 not forgotten on both addresses: {srcs:?}"
    );
    assert!(srcs.contains(&DEV1_V6), "device 1 forgotten too: {srcs:?}");
}

/// `/me` of a device asking over IPv4 includes what it did over IPv6.
fn me_counts_both_families(lab: &Lab) {
    let (code, body) = get_as_device(lab, 0, "/api/v1/me").expect("GET /me");
    assert_eq!(code, 200, "{body}");
    let me: Value = serde_json::from_str(&body).expect("JSON");
    assert_eq!(me["ip"], DEV0_V4);
    let addresses = me["addresses"].as_array().expect("addresses");
    assert_eq!(addresses.first(), Some(&Value::from(DEV0_V4)), "{me}");
    assert!(addresses.contains(&Value::from(DEV0_V6)), "{me}");
    let text = me.to_string();
    assert!(
        text.contains("dual.example.test") && text.contains("rev.example.test"),
        "/me misses a family: {text}"
    );
}

#[test]
fn a_new_ipv6_address_mid_session_stays_the_same_device() {
    let lab = lab();
    let _tcp = lab.tcp_server(8000).unwrap();
    let d = Daemon::start(&lab, "").unwrap();
    ping_router(&lab, 0);
    query(&lab, 0, dns4(), "dual.example.test.", RecordType::AAAA);
    lab.tcp_exchange(0, "[2001:db8:2::40]:8000".parse().unwrap(), 100, 100)
        .unwrap();
    let before = wait_until(&d, &lab, "/api/v1/flows", "first flow", |v| {
        flow(v, DEV0_V6, "2001:db8:2::40")
            .is_some_and(|f| f["device"].as_str().is_some_and(|s| s.starts_with("hw-")))
    });
    let id = flow(&before, DEV0_V6, "2001:db8:2::40").unwrap()["device"].clone();

    // A new (temporary) address replaces the old one.
    const NEW: &str = "2001:db8:1::7e57";
    let d0 = lab.devices()[0].clone();
    for args in [
        vec![
            "-6",
            "addr",
            "add",
            "2001:db8:1::7e57/64",
            "dev",
            "eth0",
            "nodad",
        ],
        vec!["-6", "addr", "del", "2001:db8:1::a/64", "dev", "eth0"],
    ] {
        let out = lab.command(&d0, "ip").args(&args).output().unwrap();
        assert!(out.status.success(), "ip {args:?}: {out:?}");
    }
    // Asked over IPv4 before the new address is known to the router, connected from it.
    query(&lab, 0, dns4(), "moved.example.test.", RecordType::AAAA);
    lab.tcp_exchange(0, "[2001:db8:2::42]:8000".parse().unwrap(), 100, 100)
        .unwrap();
    let after = wait_until(
        &d,
        &lab,
        "/api/v1/flows",
        "the new address' flow named",
        |v| flow(v, NEW, "2001:db8:2::42").is_some_and(|f| f["domain"] == "moved.example.test"),
    );
    assert_eq!(flow(&after, NEW, "2001:db8:2::42").unwrap()["device"], id);
    let devices = wait_until(
        &d,
        &lab,
        "/api/v1/devices",
        "one device, three addresses",
        |v| {
            device_row(v, NEW).len() == 1
                && device_row(v, DEV0_V6) == device_row(v, NEW)
                && device_row(v, DEV0_V4) == device_row(v, NEW)
        },
    );
    let row = device_row(&devices, NEW)[0];
    assert_eq!(row["device"], id);
    assert_eq!(row["ip"], DEV0_V4, "{row}");
    assert_eq!(row["flows_total"], 2, "{row}");
}

#[test]
fn privacy_mode_is_by_identity() {
    let lab = lab();
    let _tcp = lab.tcp_server(8000).unwrap();
    let d = Daemon::start(&lab, "privacy_mode = true\n").unwrap();
    ping_router(&lab, 0);
    ping_router(&lab, 1);
    query(&lab, 0, dns4(), "dual.example.test.", RecordType::AAAA);
    lab.tcp_exchange(0, "[2001:db8:2::40]:8000".parse().unwrap(), 100, 100)
        .unwrap();
    query(&lab, 1, dns4(), "rev.example.test.", RecordType::AAAA);
    lab.tcp_exchange(1, "[2001:db8:2::41]:8000".parse().unwrap(), 100, 100)
        .unwrap();
    let json = |dev: usize, path: &str| -> (u16, Value) {
        let (code, body) = get_as_device(&lab, dev, path).expect("GET");
        (code, serde_json::from_str(&body).unwrap_or(Value::Null))
    };
    // Each device (asking over IPv4) waits for its own IPv6 flow, named.
    for (dev, own6, remote) in [
        (0, DEV0_V6, "2001:db8:2::40"),
        (1, DEV1_V6, "2001:db8:2::41"),
    ] {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let (_, v) = json(dev, "/api/v1/flows");
            if flow(&v, own6, remote).is_some_and(|f| f["domain"].is_string()) {
                break;
            }
            assert!(
                Instant::now() < deadline,
                "device {dev} does not see its IPv6 flow: {v}\nlog:\n{}",
                d.log()
            );
            std::thread::sleep(Duration::from_millis(200));
        }
    }
    for (dev, own6, other4, other6) in [
        (0, DEV0_V6, DEV1_V4, DEV1_V6),
        (1, DEV1_V6, DEV0_V4, DEV0_V6),
    ] {
        // The device asks over IPv4 and sees the flow it made over IPv6, and only that.
        let (code, flows) = json(dev, "/api/v1/flows");
        assert_eq!(code, 200);
        let srcs: Vec<&Value> = flows["flows"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| &f["device_ip"])
            .collect();
        assert_eq!(srcs, [own6], "device {dev}: {flows}");
        let (code, _) = json(dev, &format!("/api/v1/flows?device={own6}"));
        assert_eq!(code, 200, "its own second address");
        let (code, devices) = json(dev, "/api/v1/devices");
        assert_eq!(code, 200);
        assert_eq!(
            devices["devices"].as_array().map(Vec::len),
            Some(1),
            "{devices}"
        );
        let text = devices.to_string();
        assert!(!text.contains(other4) && !text.contains(other6), "{text}");
        // Another device's data is refused through any of its addresses.
        for other in [other4, other6] {
            for path in ["flows", "dns", "paths"] {
                let (code, _) = json(dev, &format!("/api/v1/{path}?device={other}"));
                assert_eq!(code, 403, "device {dev} asked /{path} of {other}");
            }
        }
    }
}
