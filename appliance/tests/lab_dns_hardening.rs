//! The DNS forwarder against a curious student, on the lab (issue 19):
//!
//! * **Rebinding**: a public name (`*.rebind.example.com`) answering with a private address or
//!   the appliance's own is refused (REFUSED), never cached, and counted; public addresses,
//!   names that are not public (`.test`) and domains in `dns.rebind_allow` pass.
//! * **Answer rate per client**: a device that floods over UDP gets its burst answered, then
//!   alternately truncated answers (so it can retry over TCP, which does answer) and nothing;
//!   another device is answered throughout; counted in `dns_rate_limited`.
//! * **TCP slots per client**: one device opening 300 idle TCP connections keeps only its
//!   share (16); another device's query over TCP is answered within 2 s.

mod common;

use std::io::Read;
use std::net::{SocketAddr, TcpStream, UdpSocket};
use std::time::{Duration, Instant};

use common::Daemon;
use hickory_proto::op::{Message, Query, ResponseCode};
use hickory_proto::rr::{Name, RecordType};
use whereflow_lab::{Lab, LabOptions, Zone};

const DNS: &str = "192.0.2.1:53";

fn dns() -> SocketAddr {
    DNS.parse().expect("addr")
}

fn lab() -> Lab {
    let zones = vec![
        Zone::new("rebind.example.com")
            .a("www", "10.9.8.7")
            .a("me", "192.0.2.1")
            .aaaa("v6", "fd00::7")
            .a("ok", "203.0.113.10"),
        Zone::new("intranet.example.org").a("wiki", "10.1.2.3"),
        Zone::new("corp.test").a("db", "10.1.2.3"),
        Zone::new("flood.test").a("*", "203.0.113.20"),
    ];
    Lab::build(LabOptions { devices: 2, zones }).expect("building the lab (needs root)")
}

fn counter(d: &Daemon, lab: &Lab, name: &str) -> u64 {
    let s = d.get(lab, "/api/v1/status").expect("status");
    s["counters"][name]
        .as_u64()
        .unwrap_or_else(|| panic!("no counter {name} in {s}"))
}

#[test]
fn public_names_answering_inside_addresses_are_refused() {
    let lab = lab();
    let d = Daemon::start_with_dns(&lab, "rebind_allow = [\"intranet.example.org\"]", "")
        .expect("daemon");
    let ask = |name: &str, qtype: RecordType| {
        lab.query(0, dns(), name, qtype, false)
            .unwrap_or_else(|e| panic!("{name}: {e:#}"))
    };
    for round in 0..2 {
        for (name, qtype) in [
            ("www.rebind.example.com.", RecordType::A),
            ("me.rebind.example.com.", RecordType::A),
            ("v6.rebind.example.com.", RecordType::AAAA),
        ] {
            let r = ask(name, qtype);
            assert_eq!(r.rcode(), ResponseCode::Refused, "{name} (round {round})");
            assert!(r.addresses().is_empty(), "{name}: {:?}", r.addresses());
        }
    }
    // Asked twice each and refused twice: never cached.
    assert_eq!(counter(&d, &lab, "dns_rebind_blocked"), 6);
    let ok = ask("ok.rebind.example.com.", RecordType::A);
    assert_eq!(
        ok.addresses(),
        vec!["203.0.113.10".parse::<std::net::IpAddr>().unwrap()]
    );
    let wiki = ask("wiki.intranet.example.org.", RecordType::A);
    assert_eq!(
        wiki.addresses(),
        vec!["10.1.2.3".parse::<std::net::IpAddr>().unwrap()]
    );
    let db = ask("db.corp.test.", RecordType::A);
    assert_eq!(
        db.addresses(),
        vec!["10.1.2.3".parse::<std::net::IpAddr>().unwrap()]
    );
    assert_eq!(counter(&d, &lab, "dns_rebind_blocked"), 6);
    // The device's log says what it got.
    let log = d.get(&lab, "/api/v1/dns").expect("dns");
    let refused = log["answers"]
        .as_array()
        .map(|l| {
            l.iter()
                .filter(|e| e["name"] == "www.rebind.example.com" && e["rcode"] == "Query Refused")
                .count()
        })
        .unwrap_or_default();
    assert!(refused >= 1, "{log}");
}

/// What a flood of `n` UDP questions from one device got back.
#[derive(Debug, Default)]
struct Flood {
    answered: usize,
    truncated: usize,
}

fn flood(lab: &Lab, dev: usize, n: u16) -> Flood {
    let host = lab.devices()[dev].clone();
    lab.in_netns(&host, move || -> std::io::Result<Flood> {
        let sock = UdpSocket::bind("0.0.0.0:0")?;
        sock.connect(DNS)?;
        for id in 0..n {
            let mut m = Message::query();
            m.metadata.id = id;
            m.metadata.recursion_desired = true;
            let name = Name::from_ascii(format!("n{}.flood.test.", id % 20)).expect("name");
            m.add_query(Query::query(name, RecordType::A));
            sock.send(&m.to_vec().expect("encode"))?;
        }
        sock.set_read_timeout(Some(Duration::from_millis(1500)))?;
        let mut got = Flood::default();
        let mut buf = [0u8; 4096];
        while let Ok(len) = sock.recv(&mut buf) {
            let Ok(m) = Message::from_vec(&buf[..len]) else {
                continue;
            };
            if m.metadata.truncation {
                assert!(m.answers.is_empty());
                got.truncated += 1;
            } else if !m.answers.is_empty() {
                got.answered += 1;
            }
        }
        Ok(got)
    })
    .expect("netns")
    .expect("flood")
}

#[test]
fn a_flooding_device_is_limited_and_others_are_not() {
    let lab = lab();
    let d =
        Daemon::start_with_dns(&lab, "max_answers_per_client_per_sec = 20", "").expect("daemon");
    let start = Instant::now();
    let f = flood(&lab, 0, 400);
    let took = start.elapsed();
    eprintln!("flood of 400 in {took:?}: {f:?}");
    // A burst of 4 s × 20, plus what refills while the flood and its answers last.
    let refill = (took.as_secs_f64() * 20.0) as usize;
    assert!(
        f.answered >= 80 && f.answered <= 80 + refill + 2,
        "{f:?} (refill {refill})"
    );
    let limited = 400 - f.answered;
    assert!(
        f.truncated + 1 >= limited / 2 && f.truncated <= limited / 2 + 1,
        "{f:?}"
    );
    assert!(counter(&d, &lab, "dns_rate_limited") >= limited as u64 - 2);
    // The limited device still gets answers over TCP.
    let tcp = lab
        .query(0, dns(), "n1.flood.test.", RecordType::A, true)
        .expect("TCP");
    assert_eq!(tcp.addresses().len(), 1);
    // Another device is answered at once.
    let other = lab
        .query(1, dns(), "n2.flood.test.", RecordType::A, false)
        .expect("other device");
    assert_eq!(other.addresses().len(), 1);
    // And the first recovers as its budget refills.
    std::thread::sleep(Duration::from_millis(1200));
    let again = lab
        .query(0, dns(), "n3.flood.test.", RecordType::A, false)
        .expect("after a pause");
    assert_eq!(again.addresses().len(), 1);
}

#[test]
fn one_device_cannot_take_every_tcp_slot() {
    let lab = lab();
    let d = Daemon::start(&lab, "").expect("daemon");
    let hog = lab.devices()[0].clone();
    // 300 idle connections, held open by this thread's sockets.
    let held = lab
        .in_netns(&hog, || -> std::io::Result<Vec<TcpStream>> {
            (0..300)
                .map(|_| {
                    TcpStream::connect_timeout(&DNS.parse().expect("addr"), Duration::from_secs(2))
                })
                .collect()
        })
        .expect("netns")
        .expect("connections");
    std::thread::sleep(Duration::from_millis(300));
    // The ones the daemon closed at once read end-of-file.
    let mut open = 0;
    for mut s in held.iter() {
        s.set_read_timeout(Some(Duration::from_millis(20)))
            .expect("timeout");
        let mut b = [0u8; 1];
        match s.read(&mut b) {
            Ok(0) => {}
            Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset => {}
            _ => open += 1,
        }
    }
    assert_eq!(open, 16, "connections the hog kept open");
    // Another device's question over TCP is answered well within 2 s.
    let start = Instant::now();
    let r = lab
        .query(1, dns(), "ok.rebind.example.com.", RecordType::A, true)
        .expect("TCP from another device");
    assert_eq!(r.addresses().len(), 1);
    assert!(
        start.elapsed() < Duration::from_secs(2),
        "{:?}",
        start.elapsed()
    );
    assert!(counter(&d, &lab, "dns_tcp_refused_per_client") >= 284);
    drop(held);
}
