//! The conntrack reader against the real kernel, each test in its own network namespace
//! (needs root, `ip` and `nft`). Traffic only ever goes over the namespace's loopback.
//!
//! Tests are independent (own namespace, own sysctls) and may run in parallel.

use std::collections::{HashMap, HashSet};
use std::fs::File;
use std::io::{Read, Write};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, TcpListener, TcpStream, UdpSocket};
use std::os::fd::AsRawFd;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;
use whereflow::config::ConntrackConfig;
use whereflow::conntrack::{self, ConntrackEvent, FlowSnapshot, FlowTuple};
use whereflow::model::{FlowKey, Proto};
use whereflow::status::Status;

const LO4: IpAddr = IpAddr::V4(Ipv4Addr::LOCALHOST);
const LO6: IpAddr = IpAddr::V6(Ipv6Addr::LOCALHOST);

/// Conntrack only tracks a namespace's traffic once a hook that uses it is registered there.
const RULESET: &str = "table inet wfct {
  chain out { type filter hook output priority 0; ct state new counter; }
  chain in { type filter hook input priority 0; ct state new counter; }
}
";

static NEXT: AtomicUsize = AtomicUsize::new(0);

fn run(cmd: &str, args: &[&str], stdin: Option<&str>) {
    let mut child = Command::new(cmd)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("{cmd}: {e}"));
    if let Some(text) = stdin {
        child
            .stdin
            .take()
            .unwrap()
            .write_all(text.as_bytes())
            .unwrap();
    }
    drop(child.stdin.take());
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{cmd} {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A network namespace that is deleted when dropped (also when the test fails).
struct Netns {
    name: String,
}

impl Netns {
    /// A fresh namespace with `lo` up, conntrack hooks, and the reader's sysctls on (set by
    /// `prepare_sysctls` from inside it). `extra` are more netfilter sysctls to write.
    fn new(extra: &[(&str, &str)]) -> Netns {
        let name = format!(
            "wfct-{}-{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        );
        run("ip", &["netns", "add", &name], None);
        let ns = Netns { name };
        run("ip", &["-n", &ns.name, "link", "set", "lo", "up"], None);
        run(
            "ip",
            &["netns", "exec", &ns.name, "nft", "-f", "-"],
            Some(RULESET),
        );
        let extra: Vec<(String, String)> = extra
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        let warnings = ns.run(move || {
            let status = Status::default();
            conntrack::prepare_sysctls(true, &status);
            std::fs::write("/proc/sys/net/ipv4/ping_group_range", "0 2147483647").unwrap();
            let read = |k: &str| {
                std::fs::read_to_string(format!("/proc/sys/net/netfilter/{k}"))
                    .unwrap()
                    .trim()
                    .to_owned()
            };
            assert_eq!(read("nf_conntrack_acct"), "1");
            assert_eq!(read("nf_conntrack_timestamp"), "1");
            assert!(["1", "2"].contains(&read("nf_conntrack_events").as_str()));
            for (k, v) in extra {
                std::fs::write(format!("/proc/sys/net/netfilter/{k}"), v).unwrap();
            }
            status.snapshot().warnings
        });
        // A fresh namespace starts with acct and timestamps off: `prepare_sysctls` says so.
        assert!(
            warnings.iter().any(|w| w.contains("nf_conntrack_acct")),
            "{warnings:?}"
        );
        ns
    }

    /// Run `f` on a thread that has entered this namespace.
    fn run<T: Send>(&self, f: impl FnOnce() -> T + Send) -> T {
        let path = format!("/var/run/netns/{}", self.name);
        std::thread::scope(|s| {
            s.spawn(|| {
                let file = File::open(&path).unwrap();
                // SAFETY: a valid namespace fd; only this thread changes namespace.
                let r = unsafe { libc::setns(file.as_raw_fd(), libc::CLONE_NEWNET) };
                assert_eq!(r, 0, "setns: {}", std::io::Error::last_os_error());
                f()
            })
            .join()
            .unwrap()
        })
    }
}

impl Drop for Netns {
    fn drop(&mut self) {
        let _ = Command::new("ip")
            .args(["netns", "del", &self.name])
            .status();
    }
}

/// A running reader and everything it has reported so far.
struct Reader {
    rx: mpsc::Receiver<ConntrackEvent>,
    log: Vec<ConntrackEvent>,
    status: Arc<Status>,
    shutdown: CancellationToken,
    thread: Option<JoinHandle<()>>,
    rt: tokio::runtime::Runtime,
}

impl Reader {
    fn start(ns: &Netns, config: ConntrackConfig) -> Reader {
        let (tx, rx) = mpsc::channel(100_000);
        let status = Arc::new(Status::default());
        let shutdown = CancellationToken::new();
        let (s, t) = (status.clone(), shutdown.clone());
        let thread = ns.run(move || conntrack::spawn(&config, tx, s, t).expect("spawn"));
        Reader {
            rx,
            log: Vec::new(),
            status,
            shutdown,
            thread: Some(thread),
            rt: tokio::runtime::Builder::new_current_thread()
                .enable_time()
                .build()
                .unwrap(),
        }
    }

    /// Read events until one (new or already logged) satisfies `pred`, or `within` passes.
    fn wait_for(
        &mut self,
        within: Duration,
        pred: impl Fn(&ConntrackEvent) -> bool,
    ) -> Option<ConntrackEvent> {
        if let Some(e) = self.log.iter().find(|e| pred(e)) {
            return Some(e.clone());
        }
        let deadline = Instant::now() + within;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let rx = &mut self.rx;
            let got = self
                .rt
                .block_on(async { tokio::time::timeout(left, rx.recv()).await });
            match got {
                Ok(Some(e)) => {
                    self.log.push(e.clone());
                    if pred(&e) {
                        return Some(e);
                    }
                }
                _ => return None,
            }
        }
    }

    /// Take whatever has arrived (without waiting).
    fn drain(&mut self) {
        while let Ok(e) = self.rx.try_recv() {
            self.log.push(e);
        }
    }

    /// Closed at most once per key, and nothing Seen after its Closed.
    fn check_consistency(&mut self) {
        self.drain();
        let mut closed: HashSet<FlowKey> = HashSet::new();
        for e in &self.log {
            match e {
                ConntrackEvent::Seen(s) => {
                    assert!(!closed.contains(&s.key), "Seen after Closed: {s:?}")
                }
                ConntrackEvent::Closed(s) => {
                    assert!(closed.insert(s.key), "Closed twice: {s:?}")
                }
            }
        }
    }

    fn stop(&mut self) -> Duration {
        let t0 = Instant::now();
        self.shutdown.cancel();
        self.thread.take().unwrap().join().unwrap();
        t0.elapsed()
    }
}

impl Drop for Reader {
    fn drop(&mut self) {
        self.shutdown.cancel();
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

fn config(dump_interval_ms: u64) -> ConntrackConfig {
    ConntrackConfig {
        dump_interval_ms,
        ..ConntrackConfig::default()
    }
}

fn seen(e: &ConntrackEvent) -> Option<&FlowSnapshot> {
    match e {
        ConntrackEvent::Seen(s) => Some(s),
        _ => None,
    }
}

fn closed(e: &ConntrackEvent) -> Option<&FlowSnapshot> {
    match e {
        ConntrackEvent::Closed(s) => Some(s),
        _ => None,
    }
}

fn tuple(proto: Proto, src: SocketAddr, dst: SocketAddr) -> FlowTuple {
    FlowTuple {
        proto,
        src: src.ip(),
        dst: dst.ip(),
        src_port: src.port(),
        dst_port: dst.port(),
    }
}

/// bytes_orig is the layer-3 size: payload plus IP and transport headers of each packet.
fn assert_bytes(s: &FlowSnapshot, payload: u64, header_per_packet: u64) {
    let c = s.counters.expect("counters");
    assert!(
        c.bytes_orig >= payload && c.bytes_orig <= payload + c.packets_orig * header_per_packet,
        "bytes_orig {} for payload {payload} in {} packets: {s:?}",
        c.bytes_orig,
        c.packets_orig
    );
}

/// Send one UDP datagram of `len` bytes from a fresh socket to a bound receiver.
fn udp_flow(ip: IpAddr, len: usize) -> (FlowTuple, UdpSocket) {
    let rx = UdpSocket::bind(SocketAddr::new(ip, 0)).unwrap();
    let tx = UdpSocket::bind(SocketAddr::new(ip, 0)).unwrap();
    tx.send_to(&vec![7u8; len], rx.local_addr().unwrap())
        .unwrap();
    let mut buf = vec![0u8; len + 1];
    rx.set_read_timeout(Some(Duration::from_secs(2))).unwrap();
    assert_eq!(rx.recv(&mut buf).unwrap(), len);
    (
        tuple(
            Proto::Udp,
            tx.local_addr().unwrap(),
            rx.local_addr().unwrap(),
        ),
        rx,
    )
}

#[test]
fn first_dump_finds_flows_that_existed_before() {
    let ns = Netns::new(&[]);
    // The flows exist (and are counted) before the reader starts.
    let flows = ns.run(|| [udp_flow(LO4, 100), udp_flow(LO6, 300)]);
    let mut r = Reader::start(&ns, config(60_000));
    for ((t, _), (payload, hdr)) in flows.iter().zip([(100, 28), (300, 48)]) {
        let e = r
            .wait_for(Duration::from_secs(5), |e| {
                seen(e).is_some_and(|s| s.tuple == *t && s.counters.is_some())
            })
            .unwrap_or_else(|| panic!("no Seen with counters for {t:?}: {:?}", r.log));
        let s = seen(&e).unwrap();
        assert_bytes(s, payload, hdr);
        assert_eq!(s.counters.unwrap().packets_orig, 1);
        // Timestamps are on, so the key carries conntrack's start time, and `started` too.
        assert_ne!(s.key.start_ns, 0);
        assert_eq!(s.started.timestamp_nanos_opt(), Some(s.key.start_ns as i64));
    }
    assert!(r.status.snapshot().conntrack_dumps >= 1);
    assert!(r.status.snapshot().conntrack_messages >= 2);
    r.check_consistency();
}

#[test]
fn tcp_ipv4_ipv6_counted_while_open_and_closed_once() {
    // Short TCP close timeouts, so that the flows end (and DESTROY comes) within the test.
    let ns = Netns::new(&[
        ("nf_conntrack_tcp_timeout_time_wait", "1"),
        ("nf_conntrack_tcp_timeout_fin_wait", "1"),
        ("nf_conntrack_tcp_timeout_close_wait", "1"),
        ("nf_conntrack_tcp_timeout_last_ack", "1"),
        ("nf_conntrack_tcp_timeout_close", "1"),
    ]);
    let mut r = Reader::start(&ns, config(200));
    const N: usize = 100_000;
    for (ip, hdr) in [(LO4, 20 + 40), (LO6, 40 + 40)] {
        let (client, server, t) = ns.run(|| {
            let l = TcpListener::bind(SocketAddr::new(ip, 0)).unwrap();
            let c = TcpStream::connect(l.local_addr().unwrap()).unwrap();
            let (s, _) = l.accept().unwrap();
            let t = tuple(Proto::Tcp, c.local_addr().unwrap(), l.local_addr().unwrap());
            (c, s, t)
        });
        // The NEW event.
        let first = r
            .wait_for(Duration::from_secs(3), |e| {
                seen(e).is_some_and(|s| s.tuple == t)
            })
            .unwrap_or_else(|| panic!("no Seen for {t:?}"));
        let key = seen(&first).unwrap().key;
        assert_ne!(key.start_ns, 0);
        // Send N bytes; a periodic dump reports them while the connection is still open.
        let (mut client, mut server) = (client, server);
        client.write_all(&vec![1u8; N]).unwrap();
        let mut got = vec![0u8; N];
        server.read_exact(&mut got).unwrap();
        let live = r
            .wait_for(Duration::from_secs(3), |e| {
                seen(e).is_some_and(|s| {
                    s.key == key && s.counters.is_some_and(|c| c.bytes_orig >= N as u64)
                })
            })
            .unwrap_or_else(|| panic!("no live counters for {t:?}: {:?}", r.log));
        assert_bytes(seen(&live).unwrap(), N as u64, hdr);
        // The client is still open here: this came from a dump, not from a DESTROY.
        assert!(r.log.iter().all(|e| closed(e).is_none_or(|s| s.key != key)));
        drop(client);
        drop(server);
        let end = r
            .wait_for(Duration::from_secs(10), |e| {
                closed(e).is_some_and(|s| s.key == key)
            })
            .unwrap_or_else(|| panic!("no Closed for {t:?}"));
        let end = closed(&end).unwrap();
        assert_eq!(end.tuple, t);
        assert_bytes(end, N as u64, hdr);
        assert!(end.counters.unwrap().bytes_reply > 0);
    }
    assert!(r.status.snapshot().conntrack_dumps >= 2);
    r.check_consistency();
    let took = r.stop();
    assert!(took < Duration::from_millis(400), "shutdown took {took:?}");
}

#[test]
fn udp_and_icmp_ipv4_ipv6_tuples_and_closing() {
    let ns = Netns::new(&[
        ("nf_conntrack_udp_timeout", "1"),
        ("nf_conntrack_udp_timeout_stream", "1"),
        ("nf_conntrack_icmp_timeout", "1"),
        ("nf_conntrack_icmpv6_timeout", "1"),
    ]);
    let mut r = Reader::start(&ns, config(300));
    let mut expect = Vec::new();
    ns.run(|| {
        for (ip, hdr) in [(LO4, 28), (LO6, 48)] {
            let (t, _rx) = udp_flow(ip, 200);
            expect.push((t, 200u64, hdr, 0));
        }
        for (ip, ty, hdr) in [(LO4, 8u8, 28), (LO6, 128u8, 48)] {
            use socket2::{Domain, Protocol, Socket, Type};
            let (domain, proto) = if ip.is_ipv4() {
                (Domain::IPV4, Protocol::ICMPV4)
            } else {
                (Domain::IPV6, Protocol::ICMPV6)
            };
            // Unprivileged ping socket: the kernel fills in the id and checksum.
            let s = Socket::new(domain, Type::DGRAM, Some(proto)).unwrap();
            let mut pkt = vec![ty, 0, 0, 0, 0, 0, 0, 1];
            pkt.extend_from_slice(&[0xab; 56]);
            s.send_to(&pkt, &SocketAddr::new(ip, 0).into()).unwrap();
            let mut reply = [std::mem::MaybeUninit::new(0u8); 256];
            s.set_read_timeout(Some(Duration::from_secs(2))).unwrap();
            s.recv(&mut reply).expect("echo reply");
            let t = FlowTuple {
                proto: Proto::Icmp,
                src: ip,
                dst: ip,
                src_port: 0,
                dst_port: u16::from(ty) << 8,
            };
            expect.push((t, 64, hdr - 8, 1));
        }
    });
    for (t, payload, hdr, replies) in expect {
        let e = r
            .wait_for(Duration::from_secs(3), |e| {
                seen(e).is_some_and(|s| s.tuple == t)
            })
            .unwrap_or_else(|| panic!("no Seen for {t:?}: {:?}", r.log));
        let key = seen(&e).unwrap().key;
        // The flow times out after 1 s; its DESTROY closes it, with final counters.
        let e = r
            .wait_for(Duration::from_secs(10), |e| {
                closed(e).is_some_and(|s| s.key == key)
            })
            .unwrap_or_else(|| panic!("no Closed for {t:?}: {:?}", r.log));
        let s = closed(&e).unwrap();
        assert_bytes(s, payload, hdr);
        assert_eq!(s.counters.unwrap().packets_orig, 1);
        assert_eq!(s.counters.unwrap().packets_reply, replies, "{t:?}");
    }
    r.check_consistency();
}

#[test]
fn overflow_resync_reports_every_flow_once() {
    const FLOWS: u16 = 5_000;
    const BASE: u16 = 20_000;
    let ns = Netns::new(&[]);
    let mut cfg = config(60_000); // no periodic dump during the test: only the resync
    cfg.receive_buffer_bytes = 4096;
    let mut r = Reader::start(&ns, cfg);
    // Wait for the first dump, so that what follows is found by the overflow's re-dump.
    let t0 = Instant::now();
    while r.status.snapshot().conntrack_dumps < 1 {
        assert!(t0.elapsed() < Duration::from_secs(5), "no first dump");
        std::thread::sleep(Duration::from_millis(10));
    }
    let (src, took) = ns.run(|| {
        let s = UdpSocket::bind("127.0.0.1:0").unwrap();
        let t = Instant::now();
        for p in BASE..BASE + FLOWS {
            s.send_to(b"x", ("127.0.0.1", p)).unwrap();
        }
        (s.local_addr().unwrap().port(), t.elapsed())
    });
    eprintln!("{FLOWS} new UDP flows sent in {took:?}");
    let mut keys: HashMap<u16, HashSet<FlowKey>> = HashMap::new();
    let deadline = Instant::now() + Duration::from_secs(20);
    let want = |s: &FlowSnapshot| {
        s.tuple.proto == Proto::Udp
            && s.tuple.src_port == src
            && (BASE..BASE + FLOWS).contains(&s.tuple.dst_port)
    };
    while keys.len() < FLOWS as usize && Instant::now() < deadline {
        r.wait_for(Duration::from_millis(200), |_| true);
        for e in r.log.drain(..) {
            match e {
                ConntrackEvent::Seen(s) if want(&s) => {
                    keys.entry(s.tuple.dst_port).or_default().insert(s.key);
                }
                ConntrackEvent::Closed(s) if want(&s) => panic!("closed: {s:?}"),
                _ => {}
            }
        }
    }
    let st = r.status.snapshot();
    eprintln!(
        "overflows {}, dumps {}, messages {}",
        st.conntrack_overflows, st.conntrack_dumps, st.conntrack_messages
    );
    assert!(
        st.conntrack_overflows >= 1,
        "the 8 KiB buffer never overflowed"
    );
    assert!(st.conntrack_dumps >= 2, "no re-dump after the overflow");
    assert_eq!(keys.len(), FLOWS as usize, "flows reported");
    for (port, k) in &keys {
        assert_eq!(k.len(), 1, "port {port} reported under keys {k:?}");
    }
    let distinct: HashSet<FlowKey> = keys.values().flatten().copied().collect();
    assert_eq!(distinct.len(), FLOWS as usize);
    r.check_consistency();
}

#[test]
fn timestamps_off_keys_have_zero_start_and_first_seen_time() {
    let ns = Netns::new(&[("nf_conntrack_timestamp", "0")]);
    let mut r = Reader::start(&ns, config(200));
    let before = chrono::Utc::now();
    let (t, _rx) = ns.run(|| udp_flow(LO4, 50));
    let e = r
        .wait_for(Duration::from_secs(3), |e| {
            seen(e).is_some_and(|s| s.tuple == t)
        })
        .expect("Seen");
    let s = seen(&e).unwrap();
    assert_eq!(s.key.start_ns, 0);
    assert!(s.started >= before && s.started <= chrono::Utc::now());
    // Later dumps (with counters) keep the same key and start time.
    let e = r
        .wait_for(Duration::from_secs(3), |e| {
            seen(e).is_some_and(|x| x.tuple == t && x.counters.is_some())
        })
        .expect("Seen with counters");
    assert_eq!(seen(&e).unwrap().key, s.key);
    assert_eq!(seen(&e).unwrap().started, s.started);
    r.check_consistency();
}

#[test]
fn shutdown_is_prompt_and_a_closed_receiver_stops_the_reader() {
    let ns = Netns::new(&[]);
    let mut r = Reader::start(&ns, config(60_000));
    std::thread::sleep(Duration::from_millis(150));
    let took = r.stop();
    assert!(took < Duration::from_millis(300), "shutdown took {took:?}");

    // Dropping the receiver ends the reader at its next event.
    let (tx, rx) = mpsc::channel(1);
    drop(rx);
    let status = Arc::new(Status::default());
    let t = ns.run(|| {
        conntrack::spawn(&config(100), tx, status.clone(), CancellationToken::new()).unwrap()
    });
    ns.run(|| udp_flow(LO4, 10));
    let t0 = Instant::now();
    while !t.is_finished() {
        assert!(
            t0.elapsed() < Duration::from_secs(3),
            "reader outlived its receiver"
        );
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// A rough end-to-end rate: how fast the reader turns kernel NEW events into `Seen`s.
/// Run with `cargo test --release --test conntrack_reader -- --ignored --nocapture`.
#[test]
#[ignore]
fn measure_event_rate() {
    const FLOWS: u32 = 60_000;
    let ns = Netns::new(&[]);
    let mut r = Reader::start(&ns, config(60_000));
    let t0 = Instant::now();
    while r.status.snapshot().conntrack_dumps < 1 {
        assert!(t0.elapsed() < Duration::from_secs(5));
        std::thread::sleep(Duration::from_millis(10));
    }
    let before = r.status.snapshot().conntrack_messages;
    let start = Instant::now();
    let gen = ns.run(|| {
        // Several source sockets x many ports: FLOWS distinct tuples, sent as fast as possible.
        let socks: Vec<UdpSocket> = (0..4)
            .map(|_| UdpSocket::bind("127.0.0.1:0").unwrap())
            .collect();
        let t = Instant::now();
        for i in 0..FLOWS {
            let s = &socks[(i % 4) as usize];
            s.send_to(b"x", ("127.0.0.1", 10_000 + (i / 4) as u16))
                .unwrap();
        }
        t.elapsed()
    });
    let mut n = 0u32;
    while n < FLOWS {
        if r.wait_for(Duration::from_secs(10), |_| true).is_none() {
            break;
        }
        n += r.log.drain(..).filter(|e| seen(e).is_some()).count() as u32;
    }
    let took = start.elapsed();
    let st = r.status.snapshot();
    eprintln!(
        "generated {FLOWS} flows in {gen:?} ({:.0}/s); reader delivered {n} Seen in {took:?} \
         ({:.0}/s); messages {}, overflows {}",
        f64::from(FLOWS) / gen.as_secs_f64(),
        f64::from(n) / took.as_secs_f64(),
        st.conntrack_messages - before,
        st.conntrack_overflows
    );
}
