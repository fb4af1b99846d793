//! Off-path DNS poisoning against the daemon in the lab, as unbound resists it: an attacker on
//! the router's uplink (same link as the upstream, its own MAC) floods the router with forged
//! answers, spoofed from the upstream's address and port 53, while a device looks a name up;
//! the upstream is slow for those names (300 ms), so every question is open for long.
//!
//! * A blind attacker (random ports 1024-65535 and ids) and one that knows the query's source
//!   port (it reads the router's traffic; random ids) never get their address to a device, cold
//!   or later from the cache; the forged answers that reach the waiting socket are counted in
//!   `dns_upstream_mismatched`, none as malformed.
//! * Controls that make the test able to fail: an nftables counter in the router proves the
//!   forged packets arrived on `wan0`; an on-path attacker (port, id and letter case read from
//!   the query) does get its address through, so the forged answers are well-formed and the
//!   device-side check sees a poisoned answer when there is one.
//! * A forged answer that matches a question already answered (late) changes nothing; identical
//!   questions from three devices at once go upstream once.
//! * 300 new names leave from at least 280 different source ports (and ids), spread over
//!   1024-65535, with the letter case of the names randomised (0x20).
//!
//! Figures go to stderr (`cargo test --test lab_dns_poison -- --nocapture`).

mod common;

use std::collections::HashSet;
use std::io::Read as _;
use std::net::{Ipv4Addr, SocketAddr, SocketAddrV4, UdpSocket};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use common::Daemon;
use hickory_proto::op::{Edns, Message, MessageType, OpCode, Query};
use hickory_proto::rr::rdata::A;
use hickory_proto::rr::{Name, RData, Record, RecordType};
use socket2::{Domain, Protocol, SockAddr, Socket, Type};
use whereflow_lab::{Host, Lab, LabOptions, Zone, ROUTER_WAN_V4};

/// The address the zones give every name.
const TRUE_ADDR: Ipv4Addr = Ipv4Addr::new(203, 0, 113, 10);
/// The attacker's address.
const FORGED_ADDR: Ipv4Addr = Ipv4Addr::new(203, 0, 113, 66);
/// The slow upstream the daemon asks (in the internet namespace, beside the nsd servers).
const SLOW_UPSTREAM: SocketAddrV4 = SocketAddrV4::new(Ipv4Addr::new(198, 51, 100, 55), 53);
/// How long the slow upstream holds questions for names under `poison.test` (below the lab
/// daemon's 500 ms upstream timeout).
const DELAY: Duration = Duration::from_millis(300);
/// Blind rounds and forged answers per round (20,000 in all).
const BLIND_ROUNDS: usize = 4;
const PER_ROUND: usize = 5_000;
/// Rounds of the attacker that knows the source port.
const PORT_AWARE_ROUNDS: usize = 2;

fn router_dns() -> SocketAddr {
    "192.0.2.1:53".parse().unwrap()
}

fn lab(devices: usize) -> Lab {
    let zones = vec![
        Zone::new("poison.test").a("*", "203.0.113.10").ttl(300),
        Zone::new("spread.test").a("*", "203.0.113.10").ttl(300),
    ];
    Lab::build(LabOptions { devices, zones }).expect("building the lab (needs root)")
}

/// A question the router sent upstream, as seen on the wire.
#[derive(Clone, Debug)]
struct SentQuery {
    port: u16,
    id: u16,
    /// The question name exactly as sent (letter case kept), with a trailing dot.
    name: String,
}

/// Reads every IPv4 packet in the router's namespace (an AF_PACKET socket, as tcpdump
/// would) and keeps the DNS questions sent from the uplink address to `upstream`.
struct Sniffer {
    seen: Arc<Mutex<Vec<SentQuery>>>,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

/// Most questions a [`Sniffer`] keeps.
const SNIFFER_KEEPS: usize = 100_000;

impl Sniffer {
    fn start(lab: &Lab, upstream: SocketAddrV4) -> Sniffer {
        let sock = lab
            .in_netns(lab.router(), || {
                // ETH_P_ALL (network byte order): outgoing packets reach only such sockets.
                // DGRAM: without the link header; IPv4 is told apart by its version nibble.
                let all = Protocol::from(i32::from(0x0003u16.to_be()));
                Socket::new(Domain::PACKET, Type::DGRAM, Some(all))
            })
            .unwrap()
            .expect("packet socket in the router namespace");
        sock.set_read_timeout(Some(Duration::from_millis(50)))
            .unwrap();
        let seen = Arc::new(Mutex::new(Vec::new()));
        let stop = Arc::new(AtomicBool::new(false));
        let (s, st) = (seen.clone(), stop.clone());
        let thread = std::thread::spawn(move || {
            let mut buf = vec![0u8; 65_536];
            while !st.load(Ordering::Relaxed) {
                let Ok(n) = (&sock).read(&mut buf) else {
                    continue;
                };
                if let Some(q) = parse_query(&buf[..n], upstream) {
                    let mut s = s.lock().unwrap();
                    if s.len() < SNIFFER_KEEPS {
                        s.push(q);
                    }
                }
            }
        });
        Sniffer {
            seen,
            stop,
            thread: Some(thread),
        }
    }

    fn queries(&self) -> Vec<SentQuery> {
        self.seen.lock().unwrap().clone()
    }

    /// The questions for `name` (any letter case) seen so far.
    fn for_name(&self, name: &str) -> Vec<SentQuery> {
        self.queries()
            .into_iter()
            .filter(|q| q.name.eq_ignore_ascii_case(name))
            .collect()
    }

    /// How many distinct questions (port and id) went out for `name`: a copy sent again
    /// because the slow upstream had not answered yet is the same question.
    fn questions_for(&self, name: &str) -> usize {
        let mut seen: Vec<(u16, u16)> =
            self.for_name(name).iter().map(|q| (q.port, q.id)).collect();
        seen.sort_unstable();
        seen.dedup();
        seen.len()
    }

    /// Waits (at most 3 s) for the first question for `name`.
    fn wait_for(&self, name: &str) -> SentQuery {
        let deadline = Instant::now() + Duration::from_secs(3);
        loop {
            if let Some(q) = self.for_name(name).into_iter().next() {
                return q;
            }
            assert!(
                Instant::now() < deadline,
                "no upstream question for {name} seen; seen: {:?}",
                self.queries()
            );
            std::thread::sleep(Duration::from_millis(1));
        }
    }
}

impl Drop for Sniffer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// A DNS question in an IPv4/UDP packet from the router's uplink address to `upstream`.
fn parse_query(p: &[u8], upstream: SocketAddrV4) -> Option<SentQuery> {
    if p.len() < 20 || p[0] >> 4 != 4 || p[9] != 17 {
        return None;
    }
    let ihl = usize::from(p[0] & 0x0f) * 4;
    let src = Ipv4Addr::new(p[12], p[13], p[14], p[15]);
    let dst = Ipv4Addr::new(p[16], p[17], p[18], p[19]);
    let udp = p.get(ihl..ihl + 8)?;
    let sport = u16::from_be_bytes([udp[0], udp[1]]);
    let dport = u16::from_be_bytes([udp[2], udp[3]]);
    if src != ROUTER_WAN_V4 || dst != *upstream.ip() || dport != upstream.port() {
        return None;
    }
    let dns = p.get(ihl + 8..)?;
    if dns.len() < 12 || dns[2] & 0x80 != 0 {
        return None;
    }
    let mut name = String::new();
    let mut at = 12;
    loop {
        let len = usize::from(*dns.get(at)?);
        if len == 0 {
            break;
        }
        let label = dns.get(at + 1..at + 1 + len)?;
        name.push_str(&String::from_utf8_lossy(label));
        name.push('.');
        at += 1 + len;
    }
    Some(SentQuery {
        port: sport,
        id: u16::from_be_bytes([dns[0], dns[1]]),
        name,
    })
}

/// A DNS server in the internet namespace at [`SLOW_UPSTREAM`] that relays to nsd, holding
/// questions for names under `poison.test` for [`DELAY`] first (the real answer comes late, so
/// the attacker's window is wide).
struct SlowUpstream {
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

/// Most questions a [`SlowUpstream`] holds at once.
const SLOW_MAX_PENDING: usize = 64;

impl SlowUpstream {
    fn start(lab: &Lab) -> SlowUpstream {
        let out = lab
            .command(lab.internet(), "ip")
            .args(["addr", "add", "198.51.100.55/24", "dev", "eth0"])
            .output()
            .unwrap();
        assert!(out.status.success(), "{out:?}");
        let nsd = lab.upstreams()[0];
        let stop = Arc::new(AtomicBool::new(false));
        let st = stop.clone();
        // The loop thread starts inside the namespace, so the threads it starts are in it too.
        let thread = lab
            .in_netns(lab.internet(), move || {
                let sock = UdpSocket::bind(SLOW_UPSTREAM).expect("bind the slow upstream");
                sock.set_read_timeout(Some(Duration::from_millis(50)))
                    .unwrap();
                std::thread::spawn(move || slow_loop(sock, nsd, st))
            })
            .unwrap();
        SlowUpstream {
            stop,
            thread: Some(thread),
        }
    }
}

fn slow_loop(sock: UdpSocket, nsd: SocketAddr, stop: Arc<AtomicBool>) {
    let pending = Arc::new(AtomicUsize::new(0));
    let mut buf = vec![0u8; 65_536];
    while !stop.load(Ordering::Relaxed) {
        let Ok((n, from)) = sock.recv_from(&mut buf) else {
            continue;
        };
        let Ok(msg) = Message::from_vec(&buf[..n]) else {
            continue;
        };
        let slow = msg.queries.first().is_some_and(|q| {
            q.name()
                .to_ascii()
                .to_ascii_lowercase()
                .ends_with(".poison.test.")
        });
        if pending.fetch_add(1, Ordering::SeqCst) >= SLOW_MAX_PENDING {
            pending.fetch_sub(1, Ordering::SeqCst);
            continue;
        }
        let (query, back, pending) = (
            buf[..n].to_vec(),
            sock.try_clone().unwrap(),
            pending.clone(),
        );
        std::thread::spawn(move || {
            if slow {
                std::thread::sleep(DELAY);
            }
            let relay = || -> std::io::Result<()> {
                let out = UdpSocket::bind("0.0.0.0:0")?;
                out.connect(nsd)?;
                out.set_read_timeout(Some(Duration::from_secs(2)))?;
                out.send(&query)?;
                let mut b = vec![0u8; 65_536];
                let n = out.recv(&mut b)?;
                back.send_to(&b[..n], from)?;
                Ok(())
            };
            let _ = relay();
            pending.fetch_sub(1, Ordering::SeqCst);
        });
    }
}

impl Drop for SlowUpstream {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// The attacker: a host on the uplink that sends UDP from the upstream's address and port 53
/// (IP_TRANSPARENT and IP_FREEBIND let a socket use an address it does not own).
struct Attacker {
    host: Host,
    sock: Socket,
    sent: usize,
}

impl Attacker {
    fn start(lab: &mut Lab) -> Attacker {
        let host = lab.add_uplink_host("a", 66).expect("attacker namespace");
        let sock = lab
            .in_netns(&host, || -> std::io::Result<Socket> {
                let s = Socket::new(Domain::IPV4, Type::DGRAM, Some(Protocol::UDP))?;
                s.set_ip_transparent_v4(true)?;
                s.set_freebind_v4(true)?;
                s.bind(&SockAddr::from(SLOW_UPSTREAM))?;
                Ok(s)
            })
            .unwrap()
            .expect("spoofing socket");
        Attacker {
            host,
            sock,
            sent: 0,
        }
    }

    /// Sends one forged answer for `name` (exactly this spelling) with `id` to the router's
    /// uplink address at `port`.
    fn send(&mut self, port: u16, id: u16, name: &str) {
        let to = SockAddr::from(SocketAddrV4::new(ROUTER_WAN_V4, port));
        self.sock
            .send_to(&forged_answer(id, name), &to)
            .expect("send a forged answer");
        self.sent += 1;
    }

    /// Sends `count` forged answers for `name` (lower case), each to a port from `ports` with
    /// a random id, and returns how long it took.
    fn flood(&mut self, name: &str, count: usize, mut ports: impl FnMut() -> u16) -> Duration {
        let mut wire = forged_answer(0, name);
        let t = Instant::now();
        for _ in 0..count {
            wire[..2].copy_from_slice(&rand::random::<u16>().to_be_bytes());
            let to = SockAddr::from(SocketAddrV4::new(ROUTER_WAN_V4, ports()));
            self.sock.send_to(&wire, &to).expect("send a forged answer");
        }
        self.sent += count;
        t.elapsed()
    }
}

/// An answer to `name` A with [`FORGED_ADDR`], as a real server would write it (RD, RA, EDNS).
fn forged_answer(id: u16, name: &str) -> Vec<u8> {
    let mut m = Message::new(id, MessageType::Response, OpCode::Query);
    m.metadata.recursion_desired = true;
    m.metadata.recursion_available = true;
    let n = Name::from_ascii(name).unwrap();
    m.add_query(Query::query(n.clone(), RecordType::A));
    m.add_answer(Record::from_rdata(n, 3600, RData::A(A(FORGED_ADDR))));
    let mut e = Edns::new();
    e.set_max_payload(1232);
    m.set_edns(e);
    m.to_vec().unwrap()
}

/// Counts, in the router, the packets from the attacker's MAC that claim to come from the
/// upstream (nftables, before anything else sees them).
fn count_forged_arrivals(lab: &Lab, attacker: &Host) {
    let rules = format!(
        "table inet wfpoison {{\n\
         \tchain pre {{\n\
         \t\ttype filter hook prerouting priority -300; policy accept;\n\
         \t\tiifname \"wan0\" ether saddr {} ip saddr {} udp sport 53 counter\n\
         \t}}\n\
         }}\n",
        attacker.mac,
        SLOW_UPSTREAM.ip()
    );
    let path = lab.dir().join("wfpoison.nft");
    std::fs::write(&path, rules).unwrap();
    let out = lab
        .command(lab.router(), "nft")
        .arg("-f")
        .arg(&path)
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
}

fn forged_arrivals(lab: &Lab) -> u64 {
    let out = lab
        .command(lab.router(), "nft")
        .args(["list", "table", "inet", "wfpoison"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    text.split("counter packets ")
        .nth(1)
        .and_then(|t| t.split_whitespace().next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no counter in:\n{text}"))
}

/// The router namespace's UDP counters (`/proc/net/snmp`): NoPorts, RcvbufErrors.
fn udp_counters(lab: &Lab) -> (u64, u64) {
    lab.in_netns(lab.router(), || {
        let text = std::fs::read_to_string("/proc/thread-self/net/snmp").unwrap();
        let udp: Vec<Vec<&str>> = text
            .lines()
            .filter(|l| l.starts_with("Udp:"))
            .map(|l| l.split_whitespace().collect())
            .collect();
        let get = |key: &str| -> u64 {
            let i = udp[0].iter().position(|k| *k == key).unwrap();
            udp[1][i].parse().unwrap()
        };
        (get("NoPorts"), get("RcvbufErrors"))
    })
    .unwrap()
}

fn counter(d: &Daemon, lab: &Lab, name: &str) -> u64 {
    let v = d.get(lab, "/api/v1/status").expect("status");
    v["counters"][name]
        .as_u64()
        .unwrap_or_else(|| panic!("no counter {name} in {v}"))
}

/// Device `dev` looks `name` up through the router; the A addresses it got.
fn lookup(lab: &Lab, dev: usize, name: &str) -> Vec<std::net::IpAddr> {
    lab.query(dev, router_dns(), name, RecordType::A, false)
        .unwrap_or_else(|e| panic!("device {dev} looking up {name}: {e:#}"))
        .addresses()
}

/// While device 0 looks `name` up, `attack` runs once the question is on its way upstream
/// (a real attacker triggers the lookup itself and knows when). The device's addresses.
fn attacked_lookup(
    lab: &Lab,
    sniffer: &Sniffer,
    name: &str,
    attack: impl FnOnce(&SentQuery),
) -> Vec<std::net::IpAddr> {
    std::thread::scope(|s| {
        let device = s.spawn(|| lookup(lab, 0, name));
        let q = sniffer.wait_for(name);
        attack(&q);
        device.join().expect("device lookup")
    })
}

#[test]
fn forged_answer_floods_never_reach_a_device() {
    let mut lab = lab(1);
    let mut attacker = Attacker::start(&mut lab);
    let _slow = SlowUpstream::start(&lab);
    let sniffer = Sniffer::start(&lab, SLOW_UPSTREAM);
    count_forged_arrivals(&lab, &attacker.host);
    let d =
        Daemon::start_with_upstreams(&lab, &[SocketAddr::V4(SLOW_UPSTREAM)], "").expect("daemon");
    let mismatched0 = counter(&d, &lab, "dns_upstream_mismatched");
    let malformed0 = counter(&d, &lab, "dns_upstream_malformed");
    let (noports0, rcvbuf0) = udp_counters(&lab);

    // Blind: random ports and ids.
    let mut names = Vec::new();
    let mut flood_time = Duration::ZERO;
    for round in 0..BLIND_ROUNDS {
        let name = format!("www{round}.poison.test.");
        let got = attacked_lookup(&lab, &sniffer, &name, |_| {
            flood_time += attacker.flood(&name, PER_ROUND, || rand::random_range(1024..=65535));
        });
        assert_eq!(got, vec![TRUE_ADDR], "{name} (blind round {round})");
        names.push(name);
    }
    let blind_sent = attacker.sent;
    let blind_arrived = forged_arrivals(&lab);
    let (noports1, rcvbuf1) = udp_counters(&lab);
    let blind_mismatched = counter(&d, &lab, "dns_upstream_mismatched") - mismatched0;

    // Knowing the source port (read off the wire): random ids.
    for round in 0..PORT_AWARE_ROUNDS {
        let name = format!("port{round}.poison.test.");
        let got = attacked_lookup(&lab, &sniffer, &name, |q| {
            let port = q.port;
            attacker.flood(&name, PER_ROUND, || port);
        });
        assert_eq!(got, vec![TRUE_ADDR], "{name} (port-aware round {round})");
        names.push(name);
    }
    let (noports2, rcvbuf2) = udp_counters(&lab);
    let mismatched = counter(&d, &lab, "dns_upstream_mismatched") - mismatched0;
    let aware_mismatched = mismatched - blind_mismatched;

    // Later, from the cache: still the true address.
    for name in &names {
        assert_eq!(lookup(&lab, 0, name), vec![TRUE_ADDR], "{name} again");
    }
    let arrived = forged_arrivals(&lab);
    eprintln!(
        "blind: {blind_sent} forged answers sent in {flood_time:?} over {BLIND_ROUNDS} rounds, \
         {blind_arrived} arrived on wan0, {} to closed ports (NoPorts), {} dropped by full \
         receive buffers, {blind_mismatched} counted as mismatched (hit a waiting socket)",
        noports1 - noports0,
        rcvbuf1 - rcvbuf0,
    );
    eprintln!(
        "port-aware: {} sent to the question's own port over {PORT_AWARE_ROUNDS} rounds, \
         {} to closed ports (the question was answered), {} dropped by full receive buffers, \
         {aware_mismatched} counted as mismatched",
        attacker.sent - blind_sent,
        noports2 - noports1,
        rcvbuf2 - rcvbuf1,
    );
    // Control: the forged packets did reach the router (the test could have been fooled by
    // an attacker that never got through).
    assert!(
        arrived * 100 >= attacker.sent as u64 * 99,
        "only {arrived} of {} forged answers arrived on wan0",
        attacker.sent
    );
    assert!(
        aware_mismatched > 0,
        "forged answers to the waiting socket are counted as mismatched \
         ({aware_mismatched}); daemon log:\n{}",
        d.log()
    );
    assert_eq!(
        counter(&d, &lab, "dns_upstream_malformed"),
        malformed0,
        "the forged answers are well-formed: mismatched, not malformed"
    );
}

#[test]
fn on_path_forgery_gets_through_late_answers_do_not_and_questions_merge() {
    let mut lab = lab(3);
    let mut attacker = Attacker::start(&mut lab);
    let _slow = SlowUpstream::start(&lab);
    let sniffer = Sniffer::start(&lab, SLOW_UPSTREAM);
    let d =
        Daemon::start_with_upstreams(&lab, &[SocketAddr::V4(SLOW_UPSTREAM)], "").expect("daemon");

    // Control: an attacker that reads the question (port, id, letter case) wins, so the forged
    // answers are ones the daemon would take and the device-side check does see a forgery.
    let name = "onpath.poison.test.";
    let got = attacked_lookup(&lab, &sniffer, name, |q| {
        attacker.send(q.port, q.id, &q.name);
    });
    assert_eq!(
        got,
        vec![FORGED_ADDR],
        "on-path forgery: {:?}",
        sniffer.for_name(name)
    );

    // Late: a matching answer after the real one changes nothing, now or from the cache.
    let name = "late.poison.test.";
    assert_eq!(lookup(&lab, 0, name), vec![TRUE_ADDR]);
    let q = sniffer.wait_for(name);
    for _ in 0..3 {
        attacker.send(q.port, q.id, &q.name);
    }
    std::thread::sleep(Duration::from_millis(100));
    assert_eq!(
        lookup(&lab, 0, name),
        vec![TRUE_ADDR],
        "after a late forged answer"
    );
    assert_eq!(
        sniffer.questions_for(name),
        1,
        "the second lookup was cached"
    );

    // Three devices ask the same question at once: one upstream question, two merged.
    let merged0 = counter(&d, &lab, "dns_upstream_merged");
    let name = "merge.poison.test.";
    let got: Vec<Vec<std::net::IpAddr>> = std::thread::scope(|s| {
        let asks: Vec<_> = (0..3)
            .map(|dev| {
                let lab = &lab;
                s.spawn(move || lookup(lab, dev, name))
            })
            .collect();
        asks.into_iter().map(|h| h.join().unwrap()).collect()
    });
    assert!(got.iter().all(|a| a == &vec![TRUE_ADDR]), "{got:?}");
    assert_eq!(
        sniffer.questions_for(name),
        1,
        "one upstream question: {:?}",
        sniffer.for_name(name)
    );
    assert_eq!(counter(&d, &lab, "dns_upstream_merged") - merged0, 2);
}

#[test]
fn new_names_leave_from_many_ports_with_random_ids_and_letter_case() {
    let lab = lab(1);
    let upstream = lab.upstreams()[0];
    let SocketAddr::V4(up4) = upstream else {
        panic!("IPv4 upstream expected")
    };
    let sniffer = Sniffer::start(&lab, up4);
    let _d = Daemon::start_with_upstreams(&lab, &[upstream], "").expect("daemon");
    let n = 300;
    for i in 0..n {
        let name = format!("h{i}.spread.test.");
        assert_eq!(lookup(&lab, 0, &name), vec![TRUE_ADDR], "{name}");
    }
    let qs: Vec<SentQuery> = sniffer
        .queries()
        .into_iter()
        .filter(|q| q.name.to_ascii_lowercase().ends_with(".spread.test."))
        .collect();
    assert_eq!(qs.len(), n, "one upstream question per new name");
    let ports: HashSet<u16> = qs.iter().map(|q| q.port).collect();
    let ids: HashSet<u16> = qs.iter().map(|q| q.id).collect();
    let recased = qs
        .iter()
        .filter(|q| q.name != q.name.to_ascii_lowercase())
        .count();
    let (min, max) = (
        qs.iter().map(|q| q.port).min().unwrap(),
        qs.iter().map(|q| q.port).max().unwrap(),
    );
    let low = qs.iter().filter(|q| q.port < 32_768).count();
    eprintln!(
        "{n} new names: {} distinct source ports ({min}..={max}, {low} below 32768), {} \
         distinct ids, {recased} with a letter case other than the device's",
        ports.len(),
        ids.len()
    );
    assert!(ports.len() >= 280, "{} distinct source ports", ports.len());
    assert!(ids.len() >= 280, "{} distinct ids", ids.len());
    assert!(min >= 1024, "no privileged source ports: {min}");
    // 1024-65535, not only the kernel's ephemeral range (32768-60999 by default).
    assert!(low >= 50, "{low} of {n} ports below 32768");
    // 11 letters per name: all lower case by chance once in 2048.
    assert!(recased >= 280, "0x20: {recased} of {n} names re-cased");
}
