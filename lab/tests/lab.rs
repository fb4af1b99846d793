//! Integration tests of the lab itself. They need root (network namespaces) and fail, not skip,
//! without it.

use std::net::{IpAddr, SocketAddr};
use std::path::Path;
use std::process::Command;
use std::time::Duration;

use hickory_proto::op::ResponseCode;
use hickory_proto::rr::rdata::TXT;
use hickory_proto::rr::{RData, RecordType};
use whereflow_lab::{Lab, LabOptions, Zone, ROUTER_WAN_V4, ROUTER_WAN_V6};

fn zones() -> Vec<Zone> {
    vec![
        Zone::new("example.test")
            .a("www", "203.0.113.10")
            .aaaa("www", "2001:db8:2::10")
            .cname("alias", "www.example.test.")
            .txt("t", "hello")
            .mx("@", 10, "mail")
            .a("mail", "203.0.113.25")
            .ttl(120),
        Zone::new("com").a("video", "203.0.113.80"),
    ]
}

fn lab() -> Lab {
    whereflow_lab::require_root().expect("these tests need root");
    Lab::build(LabOptions {
        devices: 3,
        zones: zones(),
    })
    .expect("building the lab")
}

fn ip(s: &str) -> IpAddr {
    s.parse().unwrap()
}

fn output(cmd: &mut Command) -> String {
    let out = cmd.output().expect("running a command");
    assert!(out.status.success(), "{cmd:?}: {:?}", out);
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn devices_resolve_through_both_upstreams_over_udp_and_tcp() {
    let lab = lab();
    assert_eq!(lab.devices().len(), 3);
    let ups = lab.upstreams();
    assert_eq!(
        ups,
        vec![
            "198.51.100.53:53".parse::<SocketAddr>().unwrap(),
            "198.51.100.54:53".parse().unwrap()
        ]
    );
    for d in 0..3 {
        for &up in &ups {
            for tcp in [false, true] {
                let a = lab.resolve(d, up, "www.example.test", "A", tcp).unwrap();
                assert_eq!(a, vec![ip("203.0.113.10")], "device {d} via {up} tcp={tcp}");
            }
        }
    }
    assert_eq!(
        lab.resolve(0, ups[0], "www.example.test", "AAAA", false)
            .unwrap(),
        vec![ip("2001:db8:2::10")]
    );
    assert_eq!(
        lab.resolve(1, ups[1], "alias.example.test", "A", false)
            .unwrap(),
        vec![ip("203.0.113.10")]
    );
    assert_eq!(
        lab.resolve(2, ups[0], "video.com", "A", true).unwrap(),
        vec![ip("203.0.113.80")]
    );
    // NXDOMAIN and NODATA give no addresses.
    let nx = lab
        .query(0, ups[0], "nope.example.test", RecordType::A, false)
        .unwrap();
    assert_eq!(nx.rcode(), ResponseCode::NXDomain);
    assert!(nx.message.metadata.authoritative);
    assert!(nx.addresses().is_empty());
    assert!(nx.elapsed < Duration::from_secs(2), "{:?}", nx.elapsed);
    assert!(lab
        .resolve(0, ups[0], "t.example.test", "A", false)
        .unwrap()
        .is_empty());
    let txt = lab
        .query(0, ups[0], "t.example.test", RecordType::TXT, false)
        .unwrap();
    assert_eq!(txt.rcode(), ResponseCode::NoError);
    let rec = &txt.message.answers[0];
    assert_eq!(rec.data, RData::TXT(TXT::new(vec!["hello".to_string()])));
    assert_eq!(rec.ttl, 120);
    assert!(lab
        .resolve(0, ups[0], "www.example.test", "NOTATYPE", false)
        .is_err());
    // The upstreams also answer on IPv6 through the router.
    let v6 = lab.upstreams_v6();
    assert_eq!(
        lab.resolve(0, v6[1], "www.example.test", "A", false)
            .unwrap(),
        vec![ip("203.0.113.10")]
    );
}

#[test]
fn tcp_through_nat_counts_bytes_at_both_ends() {
    let lab = lab();
    let server = lab.tcp_server(8080).unwrap();
    let a = lab
        .tcp_exchange(0, "203.0.113.10:8080".parse().unwrap(), 1000, 50_000)
        .unwrap();
    assert_eq!((a.sent, a.received), (1004, 50_000));
    assert_eq!(a.local.ip(), ip("192.0.2.10"));
    let b = lab
        .tcp_exchange(2, "203.0.113.77:8080".parse().unwrap(), 300_000, 4)
        .unwrap();
    assert_eq!((b.sent, b.received), (300_004, 4));
    assert_eq!(b.local.ip(), ip("192.0.2.12"));
    assert_eq!(server.connections(), 2);
    assert_eq!(server.received(), 301_008);
    // The server saw the router's WAN address (NAT), on the address the client dialled.
    let done = server.finished();
    assert_eq!(done.len(), 2);
    for c in &done {
        assert_eq!(c.peer.ip(), IpAddr::V4(ROUTER_WAN_V4));
    }
    assert!(done
        .iter()
        .any(|c| c.local == "203.0.113.77:8080".parse().unwrap() && c.received == 300_004));
}

#[test]
fn udp_echo_through_nat() {
    let lab = lab();
    let server = lab.udp_server(5353).unwrap();
    let x = lab
        .udp_exchange(1, "203.0.113.20:5353".parse().unwrap(), &[10, 1200, 0, 500])
        .unwrap();
    assert_eq!((x.sent, x.received, x.datagrams), (1710, 1710, 4));
    assert_eq!(x.local.ip(), ip("192.0.2.11"));
    assert_eq!(server.datagrams(), 4);
    assert_eq!(server.received(), 1710);
}

#[test]
fn ipv6_through_the_router_with_nat66() {
    let lab = lab();
    let tcp = lab.tcp_server(443).unwrap();
    let udp = lab.udp_server(443).unwrap();
    let x = lab
        .tcp_exchange(1, "[2001:db8:2::10]:443".parse().unwrap(), 5000, 7000)
        .unwrap();
    assert_eq!((x.sent, x.received), (5004, 7000));
    assert_eq!(x.local.ip(), ip("2001:db8:1::b"));
    let u = lab
        .udp_exchange(2, "[2001:db8:2::99]:443".parse().unwrap(), &[100, 200])
        .unwrap();
    assert_eq!(u.received, 300);
    assert_eq!(tcp.received(), 5004);
    assert_eq!(udp.datagrams(), 2);
    let seen = tcp.finished();
    assert_eq!(seen.len(), 1);
    assert_eq!(seen[0].peer.ip(), IpAddr::V6(ROUTER_WAN_V6), "masqueraded");
}

#[test]
fn stop_and_start_upstream() {
    let lab = lab();
    let ups = lab.upstreams();
    lab.stop_upstream(0).unwrap();
    let err = lab
        .resolve(0, ups[0], "www.example.test", "A", false)
        .unwrap_err();
    assert!(format!("{err:#}").contains("no reply"), "{err:#}");
    // The other one still answers.
    assert_eq!(
        lab.resolve(0, ups[1], "www.example.test", "A", false)
            .unwrap(),
        vec![ip("203.0.113.10")]
    );
    lab.stop_upstream(0).unwrap(); // idempotent
    lab.start_upstream(0).unwrap();
    lab.start_upstream(0).unwrap(); // idempotent
    assert_eq!(
        lab.resolve(0, ups[0], "www.example.test", "A", true)
            .unwrap(),
        vec![ip("203.0.113.10")]
    );
}

#[test]
fn lab_is_a_dead_end() {
    let lab = lab();
    let inet = lab.internet().clone();
    // The internet namespace has no default route, v4 or v6.
    for fam in ["-4", "-6"] {
        let routes = output(
            lab.command(&inet, "ip")
                .args([fam, "route", "show", "default"]),
        );
        assert!(
            routes.trim().is_empty(),
            "internet {fam} default route: {routes}"
        );
    }
    // An address outside the lab is unreachable from every namespace (route lookup only).
    let mut hosts = vec![lab.router().clone(), inet.clone()];
    hosts.extend(lab.devices().iter().cloned());
    for h in &hosts {
        let out = lab
            .command(h, "ip")
            .args(["route", "get", "10.255.255.1"])
            .output()
            .unwrap();
        let reached_internet = h.netns == inet.netns;
        if reached_internet {
            assert!(!out.status.success(), "internet ns routes outside: {out:?}");
        }
        // Each namespace has only the lab's interfaces.
        let links = output(lab.command(h, "ip").args(["-o", "link", "show"]));
        for line in links.lines() {
            let name = line.split(": ").nth(1).unwrap().split('@').next().unwrap();
            assert!(
                ["lo", "eth0", "br0", "wan0"].contains(&name)
                    || (name.starts_with('d') && name[1..].parse::<u32>().is_ok()),
                "unexpected interface {name} in {}",
                h.netns
            );
        }
    }
    // From a device, a connection attempt to an outside address fails at once.
    let err = lab
        .tcp_exchange(0, "10.255.255.1:80".parse().unwrap(), 0, 0)
        .unwrap_err();
    let msg = format!("{err:#}");
    assert!(
        msg.contains("unreachable") || msg.contains("refused") || msg.contains("timed out"),
        "{msg}"
    );
    // No lab interface in the host's namespace.
    let host_links = output(Command::new("ip").args(["-o", "link", "show"]));
    assert!(!host_links.contains(lab.name()), "{host_links}");
}

#[test]
fn drop_removes_namespaces_and_processes() {
    let lab = lab();
    let names: Vec<String> = lab
        .devices()
        .iter()
        .chain([lab.router(), lab.internet()])
        .map(|h| h.netns.clone())
        .collect();
    let dir = lab.dir().to_path_buf();
    // A process the test started itself in the router is killed too.
    let mut sleeper = lab
        .command(lab.router(), "sleep")
        .arg("600")
        .spawn()
        .unwrap();
    for n in &names {
        assert!(Path::new("/run/netns").join(n).exists());
    }
    assert!(dir.exists());
    let _tcp = lab.tcp_server(9000).unwrap();
    drop(lab);
    for n in &names {
        assert!(!Path::new("/run/netns").join(n).exists(), "{n} still there");
    }
    assert!(!dir.exists());
    let status = sleeper.wait().unwrap();
    assert!(!status.success(), "sleep was not killed");
}

#[test]
fn drop_cleans_up_after_a_panic() {
    let names = std::sync::Arc::new(std::sync::Mutex::new(Vec::<String>::new()));
    let n2 = names.clone();
    let r = std::thread::spawn(move || {
        let lab = lab();
        *n2.lock().unwrap() = vec![lab.router().netns.clone(), lab.internet().netns.clone()];
        panic!("a test failing with the lab alive");
    })
    .join();
    assert!(r.is_err());
    for n in names.lock().unwrap().iter() {
        assert!(!Path::new("/run/netns").join(n).exists(), "{n} still there");
    }
}

#[test]
fn bad_zone_fails_build_clearly() {
    whereflow_lab::require_root().expect("these tests need root");
    let err = Lab::build(LabOptions {
        devices: 1,
        zones: vec![Zone::new("bad.test").record("x", "MX", "not-a-number")],
    })
    .err()
    .expect("should fail");
    assert!(format!("{err:#}").contains("bad.test"), "{err:#}");
}

#[test]
fn cleanup_stale_removes_namespaces_of_dead_processes() {
    whereflow_lab::require_root().expect("these tests need root");
    let mut child = Command::new("true").spawn().unwrap();
    let dead = child.id();
    child.wait().unwrap();
    let stale = format!("wf{dead}x0-r");
    let live = format!("wf{}x999-r", std::process::id());
    output(Command::new("ip").args(["netns", "add", &live]));
    // Another test process's cleanup may remove the stale one while it is being added.
    let _ = Command::new("ip").args(["netns", "add", &stale]).output();
    whereflow_lab::cleanup_stale();
    assert!(!Path::new("/run/netns").join(&stale).exists());
    assert!(
        Path::new("/run/netns").join(&live).exists(),
        "ours was removed"
    );
    output(Command::new("ip").args(["netns", "del", &live]));
}

#[test]
fn an_uplink_host_shares_the_routers_uplink_and_is_removed_with_the_lab() {
    let mut lab = lab();
    assert!(lab.add_uplink_host("i", 66).is_err(), "the internet's tag");
    assert!(lab.add_uplink_host("a", 53).is_err(), "an nsd address");
    let host = lab.add_uplink_host("a", 66).unwrap();
    assert!(lab.add_uplink_host("a", 67).is_err(), "the same tag twice");
    assert_eq!(host.netns, format!("{}-a", lab.name()));
    assert_eq!(
        host.ipv4,
        "198.51.100.66".parse::<std::net::Ipv4Addr>().unwrap()
    );
    assert_eq!(
        host.ipv6,
        "2001:db8:100::66".parse::<std::net::Ipv6Addr>().unwrap()
    );
    let link = output(Command::new("ip").args(["-n", &host.netns, "link", "show", "eth0"]));
    assert!(link.contains(&host.mac), "{link}");
    // A datagram from the uplink host reaches the router's wan0 address directly (same link),
    // from the host's own MAC.
    let rx = lab
        .in_netns(lab.router(), || {
            std::net::UdpSocket::bind((ROUTER_WAN_V4, 0))
        })
        .unwrap()
        .unwrap();
    rx.set_read_timeout(Some(Duration::from_secs(3))).unwrap();
    let to = rx.local_addr().unwrap();
    lab.in_netns(&host, move || {
        let s = std::net::UdpSocket::bind("0.0.0.0:0").unwrap();
        s.send_to(b"hello", to).unwrap();
    })
    .unwrap();
    let mut buf = [0u8; 16];
    let (n, from) = rx
        .recv_from(&mut buf)
        .expect("datagram from the uplink host");
    assert_eq!((&buf[..n], from.ip()), (&b"hello"[..], ip("198.51.100.66")));
    let neigh = output(Command::new("ip").args([
        "-n",
        &lab.router().netns,
        "neigh",
        "show",
        "dev",
        "wan0",
    ]));
    assert!(neigh.contains(&host.mac), "{neigh}");
    let netns = host.netns.clone();
    drop(lab);
    assert!(!Path::new("/run/netns").join(&netns).exists());
}
