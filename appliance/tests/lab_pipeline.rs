//! The whole pipeline on the namespace lab: real devices resolve through the real daemon,
//! connect through real NAT, and the daemon's API must name and count every flow.
//!
//! Needs root (network namespaces, conntrack). Each test builds its own lab.

mod common;

use std::net::{IpAddr, SocketAddr};
use std::time::{Duration, Instant};

use common::{find, Daemon};
use hickory_proto::op::ResponseCode;
use hickory_proto::rr::RecordType;
use serde_json::Value;
use whereflow_lab::{Lab, LabOptions, Zone};

const DNS4: &str = "192.0.2.1:53";
const DNS6: &str = "[2001:db8:1::1]:53";

fn dns4() -> SocketAddr {
    DNS4.parse().unwrap()
}

fn zone() -> Zone {
    Zone::new("example.test")
        .a("www", "203.0.113.10")
        .aaaa("www6", "2001:db8:2::12")
        .a("udp", "203.0.113.11")
        .a("a", "203.0.113.20")
        .a("b", "203.0.113.20")
        .cname("alias", "mid.example.test.")
        .cname("mid", "target.example.test.")
        .a("target", "203.0.113.21")
        .a("tcpname", "203.0.113.22")
        .a("before", "203.0.113.30")
}

fn lab(devices: usize) -> Lab {
    Lab::build(LabOptions {
        devices,
        zones: vec![zone()],
    })
    .expect("building the lab (needs root)")
}

fn u(v: &Value, key: &str) -> u64 {
    v[key].as_u64().unwrap_or(0)
}

/// Layer-3 counts include IP and transport headers: the count must cover the payload and
/// not exceed it by more than a generous per-packet header allowance.
fn assert_counted(flow: &Value, dir: &str, payload: u64) {
    let bytes = u(flow, &format!("bytes_{dir}"));
    let packets = u(flow, &format!("packets_{dir}"));
    assert!(
        payload <= bytes && bytes <= payload + packets * 100,
        "bytes_{dir} = {bytes} ({packets} packets) for {payload} payload bytes: {flow}"
    );
}

#[test]
fn three_devices_tcp_udp_ipv6_at_once_are_named_and_counted() {
    let lab = lab(3);
    let _tcp = lab.tcp_server(8000).unwrap();
    let _udp = lab.udp_server(9000).unwrap();
    let d = Daemon::start(&lab, "").unwrap();

    // Each device resolves through whereflow, then connects, all three at once.
    let lab_ref = &lab;
    std::thread::scope(|s| {
        let h0 = s.spawn(move || {
            let r = lab_ref
                .query(0, dns4(), "www.example.test.", RecordType::A, false)
                .unwrap();
            assert_eq!(
                r.addresses(),
                vec!["203.0.113.10".parse::<IpAddr>().unwrap()]
            );
            lab_ref
                .tcp_exchange(0, "203.0.113.10:8000".parse().unwrap(), 10_000, 20_000)
                .unwrap()
        });
        let h1 = s.spawn(move || {
            let r = lab_ref
                .query(1, dns4(), "udp.example.test.", RecordType::A, false)
                .unwrap();
            assert_eq!(r.addresses().len(), 1);
            lab_ref
                .udp_exchange(1, "203.0.113.11:9000".parse().unwrap(), &[100, 200, 300])
                .unwrap()
        });
        let h2 = s.spawn(move || {
            let r = lab_ref
                .query(
                    2,
                    DNS6.parse().unwrap(),
                    "www6.example.test.",
                    RecordType::AAAA,
                    false,
                )
                .unwrap();
            assert_eq!(
                r.addresses(),
                vec!["2001:db8:2::12".parse::<IpAddr>().unwrap()]
            );
            lab_ref
                .tcp_exchange(2, "[2001:db8:2::12]:8000".parse().unwrap(), 5_000, 7_000)
                .unwrap()
        });
        h0.join().unwrap();
        h1.join().unwrap();
        h2.join().unwrap();
    });

    let dev = |i: usize| lab.devices()[i].ipv4.to_string();
    let dev6 = lab.devices()[2].ipv6.to_string();
    // Counters come with the periodic dump (2 s) or the DESTROY.
    let (tcp4, udp4, tcp6) = d
        .wait_for(&lab, Duration::from_secs(10), |flows| {
            let t4 = find(flows, &dev(0), "203.0.113.10", 8000)
                .filter(|f| u(f, "bytes_down") >= 20_000)?;
            let u4 =
                find(flows, &dev(1), "203.0.113.11", 9000).filter(|f| u(f, "packets_down") >= 3)?;
            let t6 = find(flows, &dev6, "2001:db8:2::12", 8000)
                .filter(|f| u(f, "bytes_down") >= 7_000)?;
            Some((t4.clone(), u4.clone(), t6.clone()))
        })
        .unwrap();

    assert_eq!(tcp4["domain"], "www.example.test");
    assert_eq!(tcp4["proto"], "tcp");
    // The client sends a 4-byte reply size before its payload.
    assert_counted(&tcp4, "up", 10_004);
    assert_counted(&tcp4, "down", 20_000);

    assert_eq!(udp4["domain"], "udp.example.test");
    assert_eq!(udp4["proto"], "udp");
    assert_counted(&udp4, "up", 600);
    assert_counted(&udp4, "down", 600);
    assert_eq!(u(&udp4, "packets_up"), 3);

    assert_eq!(tcp6["domain"], "www6.example.test");
    assert_counted(&tcp6, "up", 5_004);
    assert_counted(&tcp6, "down", 7_000);

    // The DNS answers are listed per device, and the devices are known.
    let dns = d
        .get(&lab, &format!("/api/v1/dns?device={}", dev(0)))
        .unwrap();
    let names: Vec<&str> = dns["answers"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|a| a["name"].as_str())
        .collect();
    assert!(names.contains(&"www.example.test"), "{dns}");
    let devices = d.get(&lab, "/api/v1/devices").unwrap();
    assert!(
        devices["devices"].as_array().unwrap().len() >= 3,
        "{devices}"
    );
}

#[test]
fn names_follow_the_device_that_asked() {
    let lab = lab(3);
    let _tcp = lab.tcp_server(8000).unwrap();

    // A connection opened before the daemon starts is picked up by the first dump.
    let before = lab
        .in_netns(&lab.devices()[0], || {
            std::net::TcpStream::connect("203.0.113.30:8000")
        })
        .unwrap()
        .unwrap();

    let d = Daemon::start(&lab, "").unwrap();
    let dev = |i: usize| lab.devices()[i].ipv4.to_string();
    let ask = |i, name: &str, tcp| {
        let r = lab.query(i, dns4(), name, RecordType::A, tcp).unwrap();
        assert_eq!(r.rcode(), ResponseCode::NoError, "{name}");
        assert!(!r.addresses().is_empty(), "{name}: no address");
    };
    let connect = |i: usize, to: &str| {
        lab.tcp_exchange(i, to.parse().unwrap(), 100, 100).unwrap();
    };

    // Two devices, two names, one address: each flow carries its own device's name.
    ask(0, "a.example.test.", false);
    ask(1, "b.example.test.", false);
    connect(0, "203.0.113.20:8000");
    connect(1, "203.0.113.20:8000");
    // One device, two names for one address: the most recent wins, the other is a candidate.
    ask(2, "a.example.test.", false);
    ask(2, "b.example.test.", false);
    connect(2, "203.0.113.20:8000");
    // A CNAME chain: the flow carries the name asked, not the target.
    ask(0, "alias.example.test.", false);
    connect(0, "203.0.113.21:8000");
    // Never resolved by this device (device 0 did): no domain.
    connect(1, "203.0.113.21:8000");
    // DNS over TCP.
    ask(2, "tcpname.example.test.", true);
    connect(2, "203.0.113.22:8000");

    let flows = d
        .wait_for(&lab, Duration::from_secs(5), |flows| {
            let want = [
                (dev(0), "203.0.113.20"),
                (dev(1), "203.0.113.20"),
                (dev(2), "203.0.113.20"),
                (dev(0), "203.0.113.21"),
                (dev(1), "203.0.113.21"),
                (dev(2), "203.0.113.22"),
                (dev(0), "203.0.113.30"),
            ];
            want.iter()
                .all(|(d, ip)| find(flows, d, ip, 8000).is_some())
                .then(|| flows.to_vec())
        })
        .unwrap();
    let domain = |d: String, ip| find(&flows, &d, ip, 8000).unwrap()["domain"].clone();
    assert_eq!(domain(dev(0), "203.0.113.20"), "a.example.test");
    assert_eq!(domain(dev(1), "203.0.113.20"), "b.example.test");
    assert_eq!(domain(dev(2), "203.0.113.20"), "b.example.test");
    let f = find(&flows, &dev(2), "203.0.113.20", 8000).unwrap();
    assert_eq!(f["candidates"], serde_json::json!(["a.example.test"]));
    assert_eq!(domain(dev(0), "203.0.113.21"), "alias.example.test");
    assert_eq!(domain(dev(1), "203.0.113.21"), Value::Null);
    assert_eq!(domain(dev(2), "203.0.113.22"), "tcpname.example.test");
    let pre = find(&flows, &dev(0), "203.0.113.30", 8000).unwrap();
    assert_eq!(pre["domain"], Value::Null);
    assert_eq!(pre["state"], "open");
    drop(before);

    // The CNAME chain is in the DNS log.
    let dns = d
        .get(&lab, &format!("/api/v1/dns?device={}", dev(0)))
        .unwrap();
    let alias = dns["answers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["name"] == "alias.example.test")
        .cloned();
    let alias = alias.expect("alias answer logged");
    assert_eq!(
        alias["chain"],
        serde_json::json!(["mid.example.test", "target.example.test"])
    );
}

#[test]
fn upstream_failover_servfail_and_recovery() {
    let lab = lab(1);
    let d = Daemon::start(&lab, "").unwrap();
    let ask = || {
        lab.query(0, dns4(), "www.example.test.", RecordType::A, false)
            .unwrap()
    };
    assert_eq!(ask().rcode(), ResponseCode::NoError);

    // First upstream down: the second answers (a name not in the cache).
    lab.stop_upstream(0).unwrap();
    let r = lab
        .query(0, dns4(), "udp.example.test.", RecordType::A, false)
        .unwrap();
    assert_eq!(r.rcode(), ResponseCode::NoError);
    assert!(r.elapsed < Duration::from_secs(2), "{r:?}");

    // Every upstream down: SERVFAIL within 2 s.
    lab.stop_upstream(1).unwrap();
    let r = lab
        .query(0, dns4(), "a.example.test.", RecordType::A, false)
        .unwrap();
    assert_eq!(r.rcode(), ResponseCode::ServFail, "{r:?}");
    assert!(
        r.elapsed < Duration::from_secs(2),
        "SERVFAIL took {:?}",
        r.elapsed
    );

    // One comes back: answers again.
    lab.start_upstream(1).unwrap();
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let r = lab
            .query(0, dns4(), "b.example.test.", RecordType::A, false)
            .unwrap();
        if r.rcode() == ResponseCode::NoError {
            assert_eq!(r.addresses().len(), 1);
            break;
        }
        assert!(
            Instant::now() < deadline,
            "no recovery after upstream returned: {}",
            d.log()
        );
        std::thread::sleep(Duration::from_millis(200));
    }
}

#[test]
fn burst_of_5000_new_flows_loses_none() {
    const FLOWS: u16 = 5_000;
    let lab = lab(1);
    // A tiny event buffer makes the kernel drop events (ENOBUFS): the reader must re-dump.
    let d = Daemon::start(&lab, "[conntrack]\nreceive_buffer_bytes = 4096\n").unwrap();
    let started = Instant::now();
    let sent = lab
        .in_netns(&lab.devices()[0], move || -> std::io::Result<u16> {
            let s = std::net::UdpSocket::bind("0.0.0.0:0")?;
            for port in 20_000..20_000 + FLOWS {
                s.send_to(b"x", ("203.0.113.40", port))?;
            }
            Ok(FLOWS)
        })
        .unwrap()
        .unwrap();
    let took = started.elapsed();
    assert_eq!(sent, FLOWS);
    assert!(
        took < Duration::from_secs(1),
        "burst took {took:?}, not within one second"
    );

    let dev = lab.devices()[0].ipv4.to_string();
    let ports = d
        .wait_for(&lab, Duration::from_secs(20), |flows| {
            let mut ports: Vec<u64> = flows
                .iter()
                .filter(|f| f["device_ip"] == dev.as_str() && f["remote_ip"] == "203.0.113.40")
                .filter_map(|f| f["remote_port"].as_u64())
                .collect();
            (ports.len() >= FLOWS as usize).then(|| {
                ports.sort_unstable();
                ports
            })
        })
        .unwrap();
    let mut distinct = ports.clone();
    distinct.dedup();
    if std::env::var_os("WF_SHOW_LOG").is_some() {
        eprintln!("{}", d.log());
    }
    if ports.len() != FLOWS as usize {
        // Show the doubled ones whole: which keys, states and times.
        let flows = d.flows(&lab).unwrap_or_default();
        let twice: Vec<&Value> = flows
            .iter()
            .filter(|f| {
                let p = &f["remote_port"];
                flows.iter().filter(|g| &g["remote_port"] == p).count() > 1
            })
            .collect();
        panic!(
            "a flow is listed twice: {} rows for {FLOWS} flows; doubled:\n{}\nlog:\n{}",
            ports.len(),
            serde_json::to_string_pretty(&twice).unwrap_or_default(),
            d.log()
        );
    }
    assert_eq!(distinct.len(), FLOWS as usize);
    let status = d.get(&lab, "/api/v1/status").unwrap();
    assert!(
        status["counters"]["conntrack_overflows"]
            .as_u64()
            .unwrap_or(0)
            >= 1,
        "the overflow path was not exercised: {status}"
    );
}

/// With no upstream configured the daemon uses the system's resolvers. `ip netns exec` shows a
/// namespace its own `/etc/netns/<name>/resolv.conf` as `/etc/resolv.conf`, so the router gets
/// one naming the lab's second nsd, and nothing else.
#[test]
fn system_resolvers_are_used_when_no_upstream_is_configured() {
    let lab = lab(1);
    let etc = std::path::PathBuf::from("/etc/netns").join(&lab.router().netns);
    struct RemoveOnDrop(std::path::PathBuf);
    impl Drop for RemoveOnDrop {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }
    std::fs::create_dir_all(&etc).unwrap();
    let _cleanup = RemoveOnDrop(etc.clone());
    std::fs::write(etc.join("resolv.conf"), "nameserver 198.51.100.54\n").unwrap();
    // The first nsd is down, so an answer can only have come through the resolv.conf server.
    lab.stop_upstream(0).unwrap();

    let d = Daemon::start_with_upstreams(&lab, &[], "").unwrap();
    let r = lab
        .query(0, dns4(), "www.example.test.", RecordType::A, false)
        .unwrap();
    assert_eq!(r.rcode(), ResponseCode::NoError, "{}", d.log());
    assert_eq!(
        r.addresses(),
        vec!["203.0.113.10".parse::<IpAddr>().unwrap()]
    );
    assert!(
        d.log().contains("198.51.100.54"),
        "the log names the resolver used:\n{}",
        d.log()
    );
}

/// The current session's history is back in the API after the daemon is killed (SIGKILL, no
/// chance to flush) and started again.
#[test]
fn history_survives_sigkill_and_restart() {
    let lab = lab(1);
    let _tcp = lab.tcp_server(8000).unwrap();
    let dev = lab.devices()[0].ipv4.to_string();
    let d = Daemon::start(&lab, "").unwrap();
    let r = lab
        .query(0, dns4(), "www.example.test.", RecordType::A, false)
        .unwrap();
    assert_eq!(r.rcode(), ResponseCode::NoError);
    lab.tcp_exchange(0, "203.0.113.10:8000".parse().unwrap(), 1_000, 2_000)
        .unwrap();
    d.wait_for(&lab, Duration::from_secs(5), |flows| {
        find(flows, &dev, "203.0.113.10", 8000)
            .filter(|f| u(f, "bytes_down") >= 2_000)
            .cloned()
    })
    .unwrap();
    // The writer commits every 500 ms; give it two rounds.
    std::thread::sleep(Duration::from_millis(1_200));
    d.kill_keep_data();

    let d = Daemon::start(&lab, "").unwrap();
    let flows = d.flows(&lab).unwrap();
    let f = find(&flows, &dev, "203.0.113.10", 8000)
        .unwrap_or_else(|| panic!("flow lost: {flows:?}\n{}", d.log()));
    assert_eq!(f["domain"], "www.example.test");
    assert!(u(f, "bytes_down") >= 2_000, "{f}");
    // Wait past a conntrack dump: the reader re-keys the flow from the dump, and it must stay
    // one named flow, not become two.
    std::thread::sleep(Duration::from_millis(2_500));
    let flows = d.flows(&lab).unwrap();
    let same: Vec<_> = flows
        .iter()
        .filter(|f| f["device_ip"] == dev.as_str() && f["remote_ip"] == "203.0.113.10")
        .collect();
    assert_eq!(same.len(), 1, "{same:?}");
    assert_eq!(same[0]["domain"], "www.example.test");
    let dns = d.get(&lab, &format!("/api/v1/dns?device={dev}")).unwrap();
    assert!(
        dns["answers"].to_string().contains("www.example.test"),
        "{dns}"
    );
    let status = d.get(&lab, "/api/v1/status").unwrap();
    assert!(status["history"]["failed"] == 0, "{status}");
}
