//! Detectors on the lab: each one triggered by real traffic from a device namespace
//! through the real daemon in the router namespace, and normal traffic that must raise
//! nothing. Alerts are read from `GET /api/v1/alerts` (and the event stream, the webhook, the
//! store after a restart, privacy mode and the admin's temporary ignore).
//!
//! The NFLOG rule the appliance's ruleset carries is added here to the router namespace:
//! `ct state invalid log group 7` in a prerouting chain after conntrack.

mod common;

use std::io::{Read, Write};
use std::net::{Ipv4Addr, SocketAddr, SocketAddrV4, TcpListener, TcpStream};
use std::time::{Duration, Instant};

use common::{get_as_device, http_get, Daemon, API};
use hickory_proto::rr::RecordType;
use serde_json::Value;
use whereflow_lab::{Lab, LabOptions, Zone};

const DNS: &str = "192.0.2.1:53";
const NFLOG_GROUP: u16 = 7;

fn lab(devices: usize, zones: Vec<Zone>) -> Lab {
    Lab::build(LabOptions { devices, zones }).expect("building the lab (needs root)")
}

/// The router's nftables rule that logs what conntrack calls invalid (as the appliance's
/// ruleset does), to NFLOG group 7.
fn add_nflog_rule(lab: &Lab) {
    let rules = format!(
        "table inet wfdetect {{\n\tchain pre {{\n\t\ttype filter hook prerouting priority -150; \
         policy accept;\n\t\tct state invalid log group {NFLOG_GROUP}\n\t}}\n}}\n"
    );
    let mut child = lab
        .command(lab.router(), "nft")
        .args(["-f", "-"])
        .stdin(std::process::Stdio::piped())
        .spawn()
        .expect("nft");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(rules.as_bytes())
        .expect("writing the rules");
    assert!(
        child.wait().expect("nft").success(),
        "nft rejected the rules"
    );
}

fn alerts(d: &Daemon, lab: &Lab) -> Vec<Value> {
    let v = d.get(lab, "/api/v1/alerts").expect("GET /api/v1/alerts");
    v["alerts"].as_array().cloned().unwrap_or_default()
}

/// Poll the alerts until one matches `pick`, for at most `limit`.
fn wait_alert(d: &Daemon, lab: &Lab, limit: Duration, pick: impl Fn(&Value) -> bool) -> Value {
    let deadline = Instant::now() + limit;
    loop {
        let list = alerts(d, lab);
        if let Some(a) = list.iter().find(|a| pick(a)) {
            return a.clone();
        }
        if Instant::now() > deadline {
            panic!(
                "no matching alert within {limit:?}; alerts now:\n{}\nlog:\n{}",
                serde_json::to_string_pretty(&list).unwrap_or_default(),
                d.log()
            );
        }
        std::thread::sleep(Duration::from_millis(200));
    }
}

fn is(a: &Value, rule: &str, device: &str) -> bool {
    a["rule"] == rule && a["device_ip"] == device
}

fn resolve(lab: &Lab, dev: usize, name: &str) {
    lab.query(dev, DNS.parse().expect("addr"), name, RecordType::A, false)
        .expect("query");
}

/// The alert JSON has the fields the API documents.
fn check_fields(a: &Value) {
    for key in [
        "id",
        "kind",
        "rule",
        "device_ip",
        "device_name",
        "remote_ip",
        "domain",
        "first_seen",
        "last_seen",
        "count",
        "message",
    ] {
        assert!(a.get(key).is_some(), "missing {key} in {a}");
    }
    assert!(
        a["message"].as_str().is_some_and(|m| m.len() > 20),
        "a message in words: {a}"
    );
}

/// TCP segments with `flags` from device `dev` to `dst` on each port of `ports` (raw socket:
/// no connection behind them, as a port scanner sends them).
fn send_tcp_probes(lab: &Lab, dev: usize, dst: Ipv4Addr, ports: Vec<u16>, flags: u8) {
    let src = lab.devices()[dev].ipv4;
    lab.in_netns(&lab.devices()[dev], move || -> std::io::Result<()> {
        let s = socket2::Socket::new(
            socket2::Domain::IPV4,
            socket2::Type::RAW,
            Some(socket2::Protocol::TCP),
        )?;
        for (i, port) in ports.into_iter().enumerate() {
            let seg = tcp_segment(src, dst, 41_000 + i as u16, port, flags);
            s.send_to(&seg, &SocketAddrV4::new(dst, 0).into())?;
        }
        Ok(())
    })
    .expect("netns")
    .expect("raw TCP");
}

fn tcp_segment(src: Ipv4Addr, dst: Ipv4Addr, sport: u16, dport: u16, flags: u8) -> Vec<u8> {
    let mut seg = vec![0u8; 20];
    seg[0..2].copy_from_slice(&sport.to_be_bytes());
    seg[2..4].copy_from_slice(&dport.to_be_bytes());
    seg[4..8].copy_from_slice(&0x1234_5678u32.to_be_bytes());
    seg[12] = 5 << 4;
    seg[13] = flags;
    seg[14..16].copy_from_slice(&1024u16.to_be_bytes());
    let mut sum: u32 = 0;
    let mut add = |b: &[u8]| {
        for c in b.chunks(2) {
            sum += u32::from(u16::from_be_bytes([c[0], *c.get(1).unwrap_or(&0)]));
        }
    };
    add(&src.octets());
    add(&dst.octets());
    add(&[0, 6, 0, 20]);
    add(&seg);
    while sum > 0xffff {
        sum = (sum & 0xffff) + (sum >> 16);
    }
    seg[16..18].copy_from_slice(&(!(sum as u16)).to_be_bytes());
    seg
}

/// From device `dev`: broadcast gratuitous ARP replies "`claim` is at my MAC" on its `eth0`.
fn arp_announce(lab: &Lab, dev: usize, claim: Ipv4Addr) {
    let mac: Vec<u8> = lab.devices()[dev]
        .mac
        .split(':')
        .map(|h| u8::from_str_radix(h, 16).expect("hex"))
        .collect();
    lab.in_netns(&lab.devices()[dev], move || -> std::io::Result<()> {
        let proto = (libc::ETH_P_ARP as u16).to_be();
        // SAFETY: plain socket(2); checked below.
        let fd = unsafe { libc::socket(libc::AF_PACKET, libc::SOCK_DGRAM, i32::from(proto)) };
        if fd < 0 {
            return Err(std::io::Error::last_os_error());
        }
        // SAFETY: a NUL-terminated interface name.
        let ifindex = unsafe { libc::if_nametoindex(c"eth0".as_ptr()) };
        // SAFETY: sockaddr_ll is plain data.
        let mut to: libc::sockaddr_ll = unsafe { std::mem::zeroed() };
        to.sll_family = libc::AF_PACKET as u16;
        to.sll_protocol = proto;
        to.sll_ifindex = ifindex as i32;
        to.sll_halen = 6;
        to.sll_addr[..6].copy_from_slice(&[0xff; 6]);
        let mut p = vec![0u8, 1, 8, 0, 6, 4, 0, 2];
        p.extend_from_slice(&mac);
        p.extend_from_slice(&claim.octets());
        p.extend_from_slice(&[0xff; 6]);
        p.extend_from_slice(&claim.octets());
        for _ in 0..3 {
            // SAFETY: valid buffer and address for the call.
            let n = unsafe {
                libc::sendto(
                    fd,
                    p.as_ptr().cast(),
                    p.len(),
                    0,
                    (&to as *const libc::sockaddr_ll).cast(),
                    std::mem::size_of::<libc::sockaddr_ll>() as u32,
                )
            };
            if n < 0 {
                let e = std::io::Error::last_os_error();
                // SAFETY: our descriptor.
                unsafe { libc::close(fd) };
                return Err(e);
            }
            std::thread::sleep(Duration::from_millis(300));
        }
        // SAFETY: our descriptor.
        unsafe { libc::close(fd) };
        Ok(())
    })
    .expect("netns")
    .expect("ARP");
}

/// A long-label TXT burst: data hidden in names under one domain, as a tunnel sends it.
#[test]
fn long_label_txt_burst_is_dns_tunnelling() {
    let lab = lab(1, vec![Zone::new("tunnel.test").a("ns", "203.0.113.53")]);
    let d = Daemon::start(&lab, "").expect("daemon");
    // The event stream, opened before the burst, must carry the alert.
    let mut stream = lab
        .in_netns(lab.router(), || -> std::io::Result<TcpStream> {
            let mut s = TcpStream::connect(API)?;
            s.write_all(b"GET /api/v1/events HTTP/1.0\r\nHost: whereflow\r\n\r\n")?;
            s.set_read_timeout(Some(Duration::from_millis(200)))?;
            Ok(s)
        })
        .expect("netns")
        .expect("event stream");
    const A: &[u8] = b"abcdefghijklmnopqrstuvwxyz234567";
    let mut x = 0x2545_f491_4f6c_dd1du64;
    for i in 0..12 {
        let chunk: String = (0..60)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                A[(x % 32) as usize] as char
            })
            .collect();
        let name = format!("{chunk}.{}.t.tunnel.test.", &chunk[..40]);
        let _ = lab.query(0, DNS.parse().expect("addr"), &name, RecordType::TXT, false);
        let _ = i;
    }
    let a = wait_alert(&d, &lab, Duration::from_secs(10), |a| {
        is(a, "dns_tunnel.long_names", "192.0.2.10")
    });
    check_fields(&a);
    assert_eq!(a["kind"], "dns_tunnel");
    assert_eq!(a["domain"], "tunnel.test");
    let mut seen = String::new();
    let until = Instant::now() + Duration::from_secs(5);
    let mut buf = [0u8; 16384];
    while Instant::now() < until && !seen.contains("event: alert") {
        match stream.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => seen.push_str(&String::from_utf8_lossy(&buf[..n])),
            Err(_) => {}
        }
    }
    let line = seen
        .lines()
        .skip_while(|l| *l != "event: alert")
        .nth(1)
        .unwrap_or_default()
        .to_owned();
    assert!(line.contains("\"type\":\"alert\""), "{seen}");
    assert!(line.contains("dns_tunnel.long_names"), "{line}");
}

/// The same tunnel with binary labels: 50 raw bytes per label, so the escaped name (`\200`…)
/// is longer than 63 characters per label and 253 in all. Such names were forwarded but never
/// recorded; now they are recorded escaped and count for the detector.
#[test]
fn binary_label_names_are_recorded_and_raise_tunnelling() {
    let lab = lab(1, vec![Zone::new("tunnel.test").a("ns", "203.0.113.53")]);
    let d = Daemon::start(&lab, "").expect("daemon");
    let mut x = 0x9e37_79b9_7f4a_7c15u64;
    let mut label = || -> Vec<u8> {
        (0..50)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                // Bytes 128-255: never a host-name character.
                128 + (x % 128) as u8
            })
            .collect()
    };
    // Written on the wire by hand: resolver libraries refuse such names.
    let queries: Vec<Vec<u8>> = (0..12u16)
        .map(|id| {
            let mut q = id.to_be_bytes().to_vec();
            q.extend_from_slice(&[0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0]);
            for l in [label(), label()] {
                q.push(l.len() as u8);
                q.extend_from_slice(&l);
            }
            for l in ["t", "tunnel", "test"] {
                q.push(l.len() as u8);
                q.extend_from_slice(l.as_bytes());
            }
            q.extend_from_slice(&[0, 0, 16, 0, 1]); // root, TXT, IN
            q
        })
        .collect();
    let answered = lab
        .in_netns(
            &lab.devices()[0].clone(),
            move || -> std::io::Result<usize> {
                let sock = std::net::UdpSocket::bind("0.0.0.0:0")?;
                sock.connect(DNS)?;
                sock.set_read_timeout(Some(Duration::from_secs(2)))?;
                let mut n = 0;
                let mut buf = [0u8; 4096];
                for q in &queries {
                    sock.send(q)?;
                    if sock
                        .recv(&mut buf)
                        .is_ok_and(|len| len >= 12 && buf[..2] == q[..2])
                    {
                        n += 1;
                    }
                }
                Ok(n)
            },
        )
        .expect("netns")
        .expect("queries");
    assert_eq!(answered, 12);
    let a = wait_alert(&d, &lab, Duration::from_secs(10), |a| {
        is(a, "dns_tunnel.long_names", "192.0.2.10")
    });
    assert_eq!(a["domain"], "tunnel.test");
    let dns = d.get(&lab, "/api/v1/dns").expect("GET /api/v1/dns");
    let names: Vec<&str> = dns["answers"]
        .as_array()
        .map(|l| l.iter().filter_map(|e| e["name"].as_str()).collect())
        .unwrap_or_default();
    let binary: Vec<&&str> = names
        .iter()
        .filter(|n| n.ends_with(".t.tunnel.test") && n.contains('\\'))
        .collect();
    assert_eq!(binary.len(), 12, "recorded names: {names:?}");
    assert!(binary.iter().all(|n| n.len() > 253), "{binary:?}");
}

/// SYN (raw) and connect scans from two devices are seen through conntrack; FIN, Xmas and
/// Null probes from a third only through the NFLOG rule.
#[test]
fn syn_connect_and_fin_xmas_null_scans() {
    let lab = lab(3, vec![]);
    add_nflog_rule(&lab);
    let d =
        Daemon::start(&lab, &format!("[detect]\nnflog_group = {NFLOG_GROUP}\n")).expect("daemon");
    let target = Ipv4Addr::new(203, 0, 113, 7);
    // Device 0: raw SYNs to 40 ports.
    send_tcp_probes(&lab, 0, target, (1000..1040).collect(), 0x02);
    // Device 1: full connects to 30 closed ports (refused at once).
    lab.in_netns(&lab.devices()[1], move || {
        for port in 2000..2030u16 {
            let _ = TcpStream::connect_timeout(
                &SocketAddr::from((target, port)),
                Duration::from_millis(500),
            );
        }
    })
    .expect("netns");
    // Device 2: FIN, Xmas and Null probes.
    send_tcp_probes(&lab, 2, target, vec![21, 22, 23], 0x01);
    send_tcp_probes(&lab, 2, target, vec![24, 25, 26], 0x29);
    send_tcp_probes(&lab, 2, target, vec![27, 28, 29], 0x00);
    for (rule, dev) in [
        ("scan.ports", "192.0.2.10"),
        ("scan.ports", "192.0.2.11"),
        ("scan.odd_flags", "192.0.2.12"),
    ] {
        let a = wait_alert(&d, &lab, Duration::from_secs(15), |a| is(a, rule, dev));
        check_fields(&a);
        assert_eq!(a["kind"], "scan");
        assert_eq!(a["remote_ip"], "203.0.113.7", "{a}");
    }
    let odd = wait_alert(&d, &lab, Duration::from_secs(1), |a| {
        is(a, "scan.odd_flags", "192.0.2.12")
    });
    let msg = odd["message"].as_str().unwrap_or_default();
    assert!(msg.contains("FIN"), "{msg}");
}

/// A device announcing the gateway's address, and another device's address, on the LAN.
#[test]
fn gateway_claim_and_address_conflict_are_spoofing() {
    let lab = lab(2, vec![Zone::new("example.test").a("www", "203.0.113.10")]);
    let d = Daemon::start(&lab, "").expect("daemon");
    // Both devices talk to the router first, so it knows who is where.
    for dev in 0..2 {
        resolve(&lab, dev, "www.example.test.");
    }
    std::thread::sleep(Duration::from_millis(500));
    arp_announce(&lab, 1, Ipv4Addr::new(192, 0, 2, 1));
    let a = wait_alert(&d, &lab, Duration::from_secs(10), |a| {
        a["rule"] == "spoofing.gateway"
    });
    check_fields(&a);
    assert_eq!(a["kind"], "spoofing");
    assert_eq!(a["device_ip"], "192.0.2.11", "the claimer, by address: {a}");
    assert_eq!(a["remote_ip"], "192.0.2.1");
    assert!(
        !a["message"].as_str().unwrap_or_default().contains("02:77"),
        "no MAC: {a}"
    );
    arp_announce(&lab, 1, Ipv4Addr::new(192, 0, 2, 10));
    let a = wait_alert(&d, &lab, Duration::from_secs(10), |a| {
        is(a, "spoofing.ip_conflict", "192.0.2.10")
    });
    assert_eq!(a["remote_ip"], "192.0.2.11", "{a}");
}

/// 150 KB sent in one go to one destination.
#[test]
fn sudden_upload() {
    let lab = lab(
        1,
        vec![Zone::new("example.test").a("files", "203.0.113.20")],
    );
    let _server = lab.tcp_server(9100).expect("tcp server");
    let d = Daemon::start(&lab, "").expect("daemon");
    resolve(&lab, 0, "files.example.test.");
    let x = lab
        .tcp_exchange(0, "203.0.113.20:9100".parse().expect("addr"), 150_000, 100)
        .expect("upload");
    assert_eq!(x.sent, 150_004);
    let a = wait_alert(&d, &lab, Duration::from_secs(10), |a| {
        is(a, "upload.sudden", "192.0.2.10")
    });
    check_fields(&a);
    assert_eq!(a["kind"], "upload");
    assert_eq!(a["remote_ip"], "203.0.113.20");
    assert_eq!(a["domain"], "files.example.test");
}

/// A steady upload on one connection: 8 KB a second for 9 s (72 KB), no pause. With the
/// thresholds shortened in the config (32 KB over 6 s, a 3 s pause ends it) so the test takes
/// seconds, not the preset's minute; the sudden rule is set out of reach so only the sustained
/// one can fire.
#[test]
fn sustained_upload() {
    let lab = lab(
        1,
        vec![Zone::new("example.test").a("backup", "203.0.113.21")],
    );
    let _server = lab.tcp_server(9100).expect("tcp server");
    let d = Daemon::start(
        &lab,
        "[conntrack]\ndump_interval_ms = 1000\n\n[detect.upload]\nsustained_bytes = 32000\n\
         sustained_secs = 6\npause_secs = 3\nsudden_bytes = 100000000\nsudden_secs = 10\n",
    )
    .expect("daemon");
    resolve(&lab, 0, "backup.example.test.");
    let sent = lab
        .in_netns(&lab.devices()[0], || -> std::io::Result<u64> {
            let mut s = TcpStream::connect("203.0.113.21:9100")?;
            // The lab's server reads a 4-byte reply size, then everything until EOF.
            s.write_all(&100u32.to_be_bytes())?;
            let mut sent = 0;
            for _ in 0..9 {
                s.write_all(&[0x5a; 8000])?;
                sent += 8000;
                std::thread::sleep(Duration::from_secs(1));
            }
            s.shutdown(std::net::Shutdown::Write)?;
            let mut reply = Vec::new();
            s.read_to_end(&mut reply)?;
            Ok(sent)
        })
        .expect("netns")
        .expect("upload");
    assert_eq!(sent, 72_000);
    let a = wait_alert(&d, &lab, Duration::from_secs(10), |a| {
        is(a, "upload.sustained", "192.0.2.10")
    });
    check_fields(&a);
    assert_eq!(a["kind"], "upload");
    assert_eq!(a["remote_ip"], "203.0.113.21");
    assert_eq!(a["domain"], "backup.example.test");
    let all = d.get(&lab, "/api/v1/alerts").expect("alerts");
    assert!(
        !all.to_string().contains("upload.sudden"),
        "the sudden rule fired: {all}"
    );
}

/// DNS over TLS (port 853), a DoH resolver by name, and flows to addresses never looked up.
#[test]
fn encrypted_dns_and_flows_without_dns() {
    let lab = lab(
        2,
        vec![
            Zone::new("example.test").a("www", "203.0.113.10"),
            Zone::new("dns.google").a("@", "203.0.113.54"),
        ],
    );
    let _dot = lab.tcp_server(853).expect("tcp server 853");
    let _https = lab.tcp_server(443).expect("tcp server 443");
    let _udp = lab.udp_server(9000).expect("udp server");
    let d = Daemon::start(
        &lab,
        "[detect.encrypted_dns]\nno_dns_flows = 4\nno_dns_min_answers = 1\nno_dns_settle_secs = 0\n",
    )
    .expect("daemon");
    // Device 0: DoT to an address, DoH to dns.google.
    lab.tcp_exchange(0, "203.0.113.53:853".parse().expect("addr"), 100, 100)
        .expect("DoT");
    resolve(&lab, 0, "dns.google.");
    lab.tcp_exchange(0, "203.0.113.54:443".parse().expect("addr"), 100, 100)
        .expect("DoH");
    // Device 1 uses our DNS, then talks to 5 addresses it never looked up.
    resolve(&lab, 1, "www.example.test.");
    for host in 30..35 {
        lab.udp_exchange(
            1,
            format!("203.0.113.{host}:9000").parse().expect("addr"),
            &[64],
        )
        .expect("udp");
    }
    for (rule, dev) in [
        ("encrypted_dns.dot", "192.0.2.10"),
        ("encrypted_dns.doh", "192.0.2.10"),
        ("encrypted_dns.no_dns", "192.0.2.11"),
    ] {
        let a = wait_alert(&d, &lab, Duration::from_secs(10), |a| is(a, rule, dev));
        check_fields(&a);
        assert_eq!(a["kind"], "encrypted_dns");
    }
}

/// A denied destination: the alert, its webhook POST, the admin's temporary ignore, and the
/// alert again after the daemon is killed and restarted.
#[test]
fn deny_list_webhook_ignore_and_restart() {
    const PASSWORD: &str = "correct horse battery";
    let lab = lab(
        1,
        vec![Zone::new("example.test")
            .a("www", "203.0.113.10")
            .a("denied", "203.0.113.66")],
    );
    let _https = lab.tcp_server(443).expect("tcp server");
    // The webhook receiver, in the router namespace with the daemon.
    let listener = lab
        .in_netns(lab.router(), || TcpListener::bind("127.0.0.1:18099"))
        .expect("netns")
        .expect("listener");
    let receiver = std::thread::spawn(move || {
        let (mut s, _) = listener.accept().expect("webhook POST");
        s.set_read_timeout(Some(Duration::from_secs(5)))
            .expect("timeout");
        let mut req = Vec::new();
        let mut buf = [0u8; 4096];
        while !String::from_utf8_lossy(&req).ends_with('}') {
            match s.read(&mut buf) {
                Ok(0) | Err(_) => break,
                Ok(n) => req.extend_from_slice(&buf[..n]),
            }
        }
        let _ = s.write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
        String::from_utf8_lossy(&req).into_owned()
    });
    let extra = format!(
        "[detect]\nwebhook_url = \"http://127.0.0.1:18099/whereflow\"\n\
         [detect.destinations]\ndeny_domains = [\"denied.example.test\"]\n\
         [admin]\npassword = \"{PASSWORD}\"\n"
    );
    let d = Daemon::start(&lab, &extra).expect("daemon");
    resolve(&lab, 0, "www.example.test.");
    lab.tcp_exchange(0, "203.0.113.10:443".parse().expect("addr"), 100, 100)
        .expect("allowed");
    resolve(&lab, 0, "denied.example.test.");
    lab.tcp_exchange(0, "203.0.113.66:443".parse().expect("addr"), 100, 100)
        .expect("denied");
    let a = wait_alert(&d, &lab, Duration::from_secs(10), |a| {
        is(a, "deny_list.domains", "192.0.2.10")
    });
    check_fields(&a);
    assert_eq!(a["kind"], "deny_list");
    assert_eq!(a["domain"], "denied.example.test");
    assert_eq!(alerts(&d, &lab).len(), 1, "the allowed flow raised nothing");
    let posted = receiver.join().expect("receiver");
    assert!(
        posted.starts_with("POST /whereflow HTTP/1.1\r\n"),
        "{posted}"
    );
    assert!(
        posted.contains("\"rule\":\"deny_list.domains\""),
        "{posted}"
    );

    // The admin ignores it for an hour: the next finding is dropped, the alert does not grow.
    let id = a["id"].as_u64().expect("id");
    let (cookie, csrf) = lab
        .in_netns(lab.router(), move || admin_login(PASSWORD))
        .expect("netns");
    let path = format!("/api/v1/alerts/{id}/ignore");
    let (code, body) = lab
        .in_netns(lab.router(), {
            let (cookie, path) = (cookie.clone(), path.clone());
            move || request("POST", &path, &[("Cookie", &cookie)], "{\"minutes\":60}")
        })
        .expect("netns");
    assert_eq!(code, 403, "no CSRF token: refused: {body}");
    let (code, body) = lab
        .in_netns(lab.router(), move || {
            request(
                "POST",
                &path,
                &[("Cookie", &cookie), ("X-CSRF-Token", &csrf)],
                "{\"minutes\":60}",
            )
        })
        .expect("netns");
    assert_eq!(code, 201, "{body}");
    assert!(body.contains("\"domains\":[\"example.test\"]"), "{body}");
    lab.tcp_exchange(0, "203.0.113.66:443".parse().expect("addr"), 100, 100)
        .expect("denied again");
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let v = d.get(&lab, "/api/v1/alerts").expect("alerts");
        if v["stats"]["ignored"].as_u64() >= Some(1) {
            assert_eq!(v["alerts"][0]["count"], 1, "{v}");
            break;
        }
        assert!(Instant::now() < deadline, "not ignored: {v}");
        std::thread::sleep(Duration::from_millis(200));
    }

    // Killed and started again: the session's alert is back, with its id. (The writer
    // commits every 500 ms.)
    std::thread::sleep(Duration::from_secs(1));
    d.kill_keep_data();
    let d = Daemon::start(&lab, &extra).expect("daemon again");
    let back = alerts(&d, &lab);
    assert_eq!(back.len(), 1, "{back:?}");
    assert_eq!(back[0]["id"], a["id"]);
    assert_eq!(back[0]["rule"], "deny_list.domains");
    assert_eq!(back[0]["message"], a["message"]);
}

/// One HTTP/1.0 request to the API (from the calling thread's namespace): status and body.
fn request(method: &str, path: &str, headers: &[(&str, &str)], body: &str) -> (u16, String) {
    let mut s = TcpStream::connect(API).expect("connect");
    s.set_read_timeout(Some(Duration::from_secs(30)))
        .expect("timeout");
    let mut req = format!(
        "{method} {path} HTTP/1.0\r\nHost: {API}\r\nContent-Length: {}\r\n",
        body.len()
    );
    for (k, v) in headers {
        req.push_str(&format!("{k}: {v}\r\n"));
    }
    if !body.is_empty() && !body.starts_with("password=") {
        req.push_str("Content-Type: application/json\r\n");
    }
    req.push_str("\r\n");
    req.push_str(body);
    s.write_all(req.as_bytes()).expect("send");
    let mut buf = Vec::new();
    let _ = s.read_to_end(&mut buf);
    let text = String::from_utf8_lossy(&buf).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let code = head
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    (code, format!("{head}\r\n\r\n{body}"))
}

/// Log in as admin: the `Cookie` header value and the CSRF token.
fn admin_login(password: &str) -> (String, String) {
    let body = format!("password={}", password.replace(' ', "+"));
    let mut s = TcpStream::connect(API).expect("connect");
    s.set_read_timeout(Some(Duration::from_secs(60)))
        .expect("timeout");
    write!(
        s,
        "POST /admin/login HTTP/1.0\r\nHost: {API}\r\nContent-Type: \
         application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )
    .expect("send");
    let mut buf = Vec::new();
    let _ = s.read_to_end(&mut buf);
    let text = String::from_utf8_lossy(&buf).into_owned();
    let cookie = text
        .lines()
        .find_map(|l| {
            l.strip_prefix("set-cookie: ")
                .or_else(|| l.strip_prefix("Set-Cookie: "))
        })
        .and_then(|v| v.split(';').next())
        .unwrap_or_else(|| panic!("no login cookie: {text}"))
        .to_owned();
    let (code, me) = request("GET", "/api/v1/admin", &[("Cookie", &cookie)], "");
    assert_eq!(code, 200, "{me}");
    let json = me.split_once("\r\n\r\n").map(|x| x.1).unwrap_or_default();
    let v: Value = serde_json::from_str(json).expect("JSON");
    let csrf = v["csrf_token"].as_str().expect("csrf_token").to_owned();
    (cookie, csrf)
}

/// Privacy mode: a device sees its own alerts only, and asking for another's is refused.
#[test]
fn privacy_mode_shows_each_device_its_own_alerts() {
    let lab = lab(2, vec![]);
    let _dot = lab.tcp_server(853).expect("tcp server 853");
    let _d = Daemon::start(&lab, "privacy_mode = true\n").expect("daemon");
    lab.tcp_exchange(0, "203.0.113.53:853".parse().expect("addr"), 100, 100)
        .expect("DoT");
    let deadline = Instant::now() + Duration::from_secs(10);
    let own = loop {
        let (code, body) = get_as_device(&lab, 0, "/api/v1/alerts").expect("GET");
        assert_eq!(code, 200, "{body}");
        let v: Value = serde_json::from_str(&body).expect("JSON");
        if v["total"] == 1 {
            break v;
        }
        assert!(Instant::now() < deadline, "no alert for device 0: {v}");
        std::thread::sleep(Duration::from_millis(200));
    };
    assert_eq!(own["alerts"][0]["device_ip"], "192.0.2.10");
    let (code, body) = get_as_device(&lab, 1, "/api/v1/alerts").expect("GET");
    assert_eq!(code, 200);
    let v: Value = serde_json::from_str(&body).expect("JSON");
    assert_eq!(
        v["total"], 0,
        "device 1 sees none of device 0's alerts: {v}"
    );
    let (code, _) = get_as_device(&lab, 1, "/api/v1/alerts?device=192.0.2.10").expect("GET");
    assert_eq!(code, 403);
}

/// Ordinary use by three devices for a while — names looked up, pages and files fetched,
/// a form posted, a video streamed, a game's UDP — raises no alert, with every detector on
/// (the NFLOG rule too).
#[test]
fn normal_traffic_raises_nothing() {
    let mut zone = Zone::new("example.test");
    for n in 0..12 {
        zone = zone
            .a(&format!("www{n}"), &format!("203.0.113.{}", 10 + n))
            .aaaa(&format!("www{n}"), &format!("2001:db8:2::{}", 10 + n));
    }
    zone = zone
        .a("video", "203.0.113.40")
        .a("game", "203.0.113.41")
        .txt("_config", "v=1");
    let lab = lab(3, vec![zone]);
    add_nflog_rule(&lab);
    let _https = lab.tcp_server(443).expect("tcp server");
    let _udp = lab.udp_server(9000).expect("udp server");
    let d =
        Daemon::start(&lab, &format!("[detect]\nnflog_group = {NFLOG_GROUP}\n")).expect("daemon");
    let server: SocketAddr = DNS.parse().expect("addr");
    for round in 0..3 {
        for dev in 0..3 {
            for n in 0..12 {
                for qtype in [RecordType::A, RecordType::AAAA] {
                    lab.query(dev, server, &format!("www{n}.example.test."), qtype, false)
                        .expect("query");
                }
            }
            lab.query(dev, server, "_config.example.test.", RecordType::TXT, false)
                .expect("TXT");
            // Pages: small requests, bigger answers.
            for n in (dev..12).step_by(3) {
                let to = format!("203.0.113.{}:443", 10 + n).parse().expect("addr");
                lab.tcp_exchange(dev, to, 600, 40_000).expect("page");
            }
            // A form with a photo attached: 20 KB up.
            let to = format!("203.0.113.{}:443", 10 + dev).parse().expect("addr");
            lab.tcp_exchange(dev, to, 20_000, 2_000).expect("form");
            lab.query(dev, server, "video.example.test.", RecordType::A, false)
                .expect("query");
            lab.query(dev, server, "game.example.test.", RecordType::A, false)
                .expect("query");
            if round == 0 {
                // A video: 3 MB down (its acknowledgements go up).
                lab.tcp_exchange(
                    dev,
                    "203.0.113.40:443".parse().expect("addr"),
                    300,
                    3_000_000,
                )
                .expect("video");
            }
            lab.udp_exchange(dev, "203.0.113.41:9000".parse().expect("addr"), &[120; 20])
                .expect("game");
        }
        std::thread::sleep(Duration::from_secs(1));
    }
    // A few counter dumps later.
    std::thread::sleep(Duration::from_secs(5));
    let v = d.get(&lab, "/api/v1/alerts").expect("alerts");
    assert_eq!(v["enabled"], true);
    assert_eq!(
        v["total"],
        0,
        "normal traffic raised alerts: {}",
        serde_json::to_string_pretty(&v).unwrap_or_default()
    );
    assert!(v["stats"]["inputs"].as_u64().unwrap_or(0) > 300, "{v}");
    assert_eq!(v["stats"]["dropped"], 0, "{v}");
    // And the API answers plain GETs from a device too.
    let (code, _) = lab
        .in_netns(&lab.devices()[0], || {
            http_get("192.0.2.1:8080", "/api/v1/alerts")
        })
        .expect("netns")
        .expect("GET");
    assert_eq!(code, 200);
}
