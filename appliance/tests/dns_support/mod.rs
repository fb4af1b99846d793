//! Shared pieces of the DNS forwarder tests: a real authoritative server (nsd) on loopback,
//! a counting relay in front of it that can "die", and small query helpers.
//!
//! Each test binary uses a different subset, hence the allowance.
#![allow(dead_code)]

pub mod tls;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use hickory_proto::op::{Edns, Message, Query};
use hickory_proto::rr::{Name, RecordType};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpStream, UdpSocket};
use whereflow::config::{DnsConfig, UpstreamSpec};
use whereflow::dns::{AnswerSink, DnsAnswer, DnsServer};
use whereflow::status::Status;

/// The test zones. TTLs differ so tests can tell records apart.
pub const ZONE: &str = r#"$ORIGIN example.test.
$TTL 300
@        IN SOA  ns.example.test. hostmaster.example.test. 1 3600 600 86400 60
@        IN NS   ns
ns       IN A    192.0.2.53
www      IN A    192.0.2.10
www      IN AAAA 2001:db8::10
alias    IN CNAME alias2
alias2   IN CNAME www.example.test.
ext      IN CNAME alias
svc      IN HTTPS 1 . alpn="h2,h3"
_svc._tcp IN SVCB 1 svc.example.test. port=8443
txt      IN TXT  "hello world"
mail     IN MX   10 mx.example.test.
mx       IN A    192.0.2.25
nodata   IN A    192.0.2.12
"#;

/// Reverse zone for PTR.
pub const REVERSE: &str = r#"$ORIGIN 2.0.192.in-addr.arpa.
$TTL 300
@   IN SOA ns.example.test. hostmaster.example.test. 1 3600 600 86400 60
@   IN NS  ns.example.test.
10  IN PTR www.example.test.
"#;

/// A running nsd serving the test zones on 127.0.0.1.
pub struct Nsd {
    child: Child,
    dir: PathBuf,
    /// Where it answers (UDP and TCP).
    pub addr: SocketAddr,
}

impl Drop for Nsd {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn free_port() -> u16 {
    // Both protocols must be free; ask for a TCP port and check UDP on it.
    for _ in 0..50 {
        let t = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = t.local_addr().unwrap().port();
        if std::net::UdpSocket::bind(("127.0.0.1", port)).is_ok() {
            return port;
        }
    }
    panic!("no free port");
}

impl Nsd {
    /// Start nsd with the test zones plus a big TXT record (bigger than a UDP answer).
    pub async fn start() -> Nsd {
        let big: String = (0..12)
            .map(|i| format!(" \"{}\"", format!("{i:02}").repeat(100)))
            .collect();
        Nsd::serve(&[
            ("example.test", format!("{ZONE}big IN TXT{big}\n")),
            ("2.0.192.in-addr.arpa", REVERSE.to_string()),
        ])
        .await
    }

    /// Start nsd serving these zones (name, master-file text) on a free loopback port; waits
    /// until it answers the first zone's SOA.
    pub async fn serve(zones: &[(&str, String)]) -> Nsd {
        let nsd = "/usr/sbin/nsd";
        assert!(
            std::path::Path::new(nsd).exists(),
            "these tests need nsd (apt-get install nsd)"
        );
        let dir = temp_dir("dns-test");
        let mut zone_conf = String::new();
        for (k, (name, text)) in zones.iter().enumerate() {
            std::fs::write(dir.join(format!("zone{k}.zone")), text).unwrap();
            zone_conf.push_str(&format!(
                "zone:\n  name: {name}\n  zonefile: zone{k}.zone\n"
            ));
        }
        let port = free_port();
        let d = dir.display();
        let conf = format!(
            "server:\n  ip-address: 127.0.0.1@{port}\n  username: \"\"\n  chroot: \"\"\n  \
             zonesdir: \"{d}\"\n  database: \"\"\n  pidfile: \"{d}/nsd.pid\"\n  \
             xfrdfile: \"{d}/xfrd.state\"\n  xfrdir: \"{d}\"\n  zonelistfile: \"{d}/zone.list\"\n  \
             logfile: \"{d}/nsd.log\"\n  server-count: 1\n  verbosity: 0\n\
             remote-control:\n  control-enable: no\n{zone_conf}"
        );
        std::fs::write(dir.join("nsd.conf"), conf).unwrap();
        let child = Command::new(nsd)
            .arg("-d")
            .arg("-c")
            .arg(dir.join("nsd.conf"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start nsd");
        let addr: SocketAddr = ([127, 0, 0, 1], port).into();
        let nsd = Nsd { child, dir, addr };
        let probe = format!("{}.", zones[0].0.trim_end_matches('.'));
        wait_answering(addr, &probe, RecordType::SOA, "nsd").await;
        nsd
    }
}

/// A fresh directory under the system's temporary directory, unique to this process and call.
pub fn temp_dir(what: &str) -> PathBuf {
    static N: AtomicU64 = AtomicU64::new(0);
    let dir = std::env::temp_dir().join(format!(
        "whereflow-{what}-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Wait (at most 10 s) until `addr` answers `name`/`qtype` with a non-empty answer section.
pub async fn wait_answering(addr: SocketAddr, name: &str, qtype: RecordType, what: &str) {
    let start = Instant::now();
    loop {
        if let Ok(m) = try_udp(addr, name, qtype, 200).await {
            if !m.answers.is_empty() {
                return;
            }
        }
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "{what} on {addr} did not answer {name} {qtype}"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// A UDP relay in front of an upstream that counts queries and can play dead.
pub struct Relay {
    /// Where the forwarder should send queries.
    pub addr: SocketAddr,
    /// Queries relayed (not counting those dropped while dead).
    pub queries: Arc<AtomicU64>,
    /// When false, queries are swallowed (a dead upstream).
    pub alive: Arc<AtomicBool>,
    /// The queries relayed, as they arrived (source address and bytes), at most
    /// [`RELAY_KEEPS`].
    seen: Arc<Mutex<Vec<Relayed>>>,
}

/// A query a [`Relay`] passed on: where it came from and its bytes.
pub type Relayed = (SocketAddr, Vec<u8>);

/// Most queries a [`Relay`] keeps for [`Relay::seen`].
pub const RELAY_KEEPS: usize = 10_000;

impl Relay {
    /// Start relaying to `upstream`.
    pub async fn start(upstream: SocketAddr) -> Relay {
        let sock = Arc::new(UdpSocket::bind("127.0.0.1:0").await.unwrap());
        let addr = sock.local_addr().unwrap();
        let queries = Arc::new(AtomicU64::new(0));
        let alive = Arc::new(AtomicBool::new(true));
        let seen = Arc::new(Mutex::new(Vec::new()));
        let (q, a, s) = (queries.clone(), alive.clone(), seen.clone());
        tokio::spawn(async move {
            let mut buf = vec![0u8; 65_536];
            while let Ok((n, from)) = sock.recv_from(&mut buf).await {
                if !a.load(Ordering::SeqCst) {
                    continue;
                }
                let msg = buf[..n].to_vec();
                {
                    let mut s = s.lock().unwrap();
                    if s.len() < RELAY_KEEPS {
                        s.push((from, msg.clone()));
                    }
                }
                q.fetch_add(1, Ordering::SeqCst);
                let sock = sock.clone();
                tokio::spawn(async move {
                    let out = UdpSocket::bind("127.0.0.1:0").await.unwrap();
                    out.send_to(&msg, upstream).await.unwrap();
                    let mut b = vec![0u8; 65_536];
                    if let Ok(Ok(n)) =
                        tokio::time::timeout(Duration::from_secs(2), out.recv(&mut b)).await
                    {
                        let _ = sock.send_to(&b[..n], from).await;
                    }
                });
            }
        });
        Relay {
            addr,
            queries,
            alive,
            seen,
        }
    }

    /// Queries relayed so far.
    pub fn count(&self) -> u64 {
        self.queries.load(Ordering::SeqCst)
    }

    /// The queries relayed so far (source address and bytes), oldest first.
    pub fn seen(&self) -> Vec<Relayed> {
        self.seen.lock().unwrap().clone()
    }
}

/// A forwarder config on loopback with ephemeral ports (v4 and v6) and these upstreams.
pub fn config(upstreams: Vec<SocketAddr>) -> DnsConfig {
    DnsConfig {
        listen: vec!["127.0.0.1:0".parse().unwrap(), "[::1]:0".parse().unwrap()],
        upstreams: upstreams.into_iter().map(UpstreamSpec::Plain).collect(),
        local_addresses: vec!["192.0.2.1".parse().unwrap(), "2001:db8::1".parse().unwrap()],
        upstream_timeout_ms: 800,
        max_tcp_connections: 4,
        tcp_idle_timeout_ms: 500,
        ..DnsConfig::default()
    }
}

/// A started forwarder with its event queue and status.
pub struct Running {
    /// The server.
    pub server: DnsServer,
    /// Events it queued.
    pub events: tokio::sync::mpsc::Receiver<DnsAnswer>,
    /// Its counters.
    pub status: Arc<Status>,
    /// Its IPv4 address.
    pub v4: SocketAddr,
    /// Its IPv6 address.
    pub v6: SocketAddr,
}

/// Start a forwarder.
pub async fn start(config: DnsConfig) -> Running {
    let status = Arc::new(Status::default());
    let (sink, events) = AnswerSink::channel(10_000, status.clone());
    let server = DnsServer::start(&config, sink, status.clone())
        .await
        .expect("forwarder starts");
    let addrs = server.local_addrs();
    Running {
        v4: addrs[0],
        v6: addrs[1],
        server,
        events,
        status,
    }
}

/// A query message for `name`/`qtype`, with EDNS when `edns`.
pub fn query(name: &str, qtype: RecordType, edns: bool) -> Vec<u8> {
    let mut m = Message::query();
    m.metadata.recursion_desired = true;
    m.add_query(Query::query(Name::from_ascii(name).unwrap(), qtype));
    if edns {
        let mut e = Edns::new();
        e.set_max_payload(1232);
        m.set_edns(e);
    }
    m.to_vec().unwrap()
}

/// Ask over UDP (with EDNS), waiting at most `ms`.
pub async fn try_udp(
    server: SocketAddr,
    name: &str,
    qtype: RecordType,
    ms: u64,
) -> Result<Message, String> {
    try_udp_raw(server, &query(name, qtype, true), ms).await
}

/// Send raw bytes over UDP and decode the reply.
pub async fn try_udp_raw(server: SocketAddr, bytes: &[u8], ms: u64) -> Result<Message, String> {
    let b = try_udp_bytes(server, bytes, ms).await?;
    Message::from_vec(&b).map_err(|e| e.to_string())
}

/// Send raw bytes over UDP; the reply's bytes if one comes within `ms`.
pub async fn try_udp_bytes(server: SocketAddr, bytes: &[u8], ms: u64) -> Result<Vec<u8>, String> {
    let local: SocketAddr = if server.is_ipv4() {
        "127.0.0.1:0".parse().unwrap()
    } else {
        "[::1]:0".parse().unwrap()
    };
    let s = UdpSocket::bind(local).await.map_err(|e| e.to_string())?;
    s.send_to(bytes, server).await.map_err(|e| e.to_string())?;
    let mut buf = vec![0u8; 65_536];
    let n = tokio::time::timeout(Duration::from_millis(ms), s.recv(&mut buf))
        .await
        .map_err(|_| "timeout".to_string())?
        .map_err(|e| e.to_string())?;
    buf.truncate(n);
    Ok(buf)
}

/// Ask over UDP and insist on an answer within 3 s.
pub async fn udp(server: SocketAddr, name: &str, qtype: RecordType) -> Message {
    try_udp(server, name, qtype, 3_000)
        .await
        .unwrap_or_else(|e| panic!("{name} {qtype} over UDP to {server}: {e}"))
}

/// Ask over TCP (one connection per query).
pub async fn tcp(server: SocketAddr, name: &str, qtype: RecordType) -> Message {
    let b = tcp_raw(server, &query(name, qtype, false))
        .await
        .unwrap_or_else(|e| panic!("{name} over TCP to {server}: {e}"));
    Message::from_vec(&b).unwrap()
}

/// Send raw bytes over TCP (one connection) and return the reply's bytes, within 3 s.
pub async fn tcp_raw(server: SocketAddr, q: &[u8]) -> Result<Vec<u8>, String> {
    let mut c = tokio::time::timeout(Duration::from_secs(3), TcpStream::connect(server))
        .await
        .map_err(|_| "connect: timeout".to_string())?
        .map_err(|e| format!("connect: {e}"))?;
    let mut framed = (q.len() as u16).to_be_bytes().to_vec();
    framed.extend_from_slice(q);
    c.write_all(&framed).await.map_err(|e| e.to_string())?;
    let read = async {
        let len = c.read_u16().await?;
        let mut b = vec![0u8; usize::from(len)];
        c.read_exact(&mut b).await?;
        Ok::<_, std::io::Error>(b)
    };
    tokio::time::timeout(Duration::from_secs(3), read)
        .await
        .map_err(|_| "timeout".to_string())?
        .map_err(|e| e.to_string())
}

/// The answer section as comparable text, TTLs left out.
pub fn answers(m: &Message) -> Vec<String> {
    m.answers
        .iter()
        .map(|r| {
            format!(
                "{} {} {}",
                r.name.to_ascii().to_lowercase(),
                r.record_type(),
                r.data
            )
        })
        .collect()
}

/// Collect the events queued so far.
pub fn drain(events: &mut tokio::sync::mpsc::Receiver<DnsAnswer>) -> Vec<DnsAnswer> {
    let mut out = Vec::new();
    while let Ok(e) = events.try_recv() {
        out.push(e);
    }
    out
}

/// A running unbound that forwards every name to one upstream, on a free loopback port.
pub struct Unbound {
    child: Child,
    dir: PathBuf,
    /// Where it answers (UDP and TCP).
    pub addr: SocketAddr,
}

impl Drop for Unbound {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

impl Unbound {
    /// Start unbound forwarding everything to `upstream`. Without `trust_anchors` it only
    /// iterates (module-config "iterator", as bench/dns/run.sh runs it); with them (DNSKEY or
    /// DS records in master-file syntax) it validates below those anchors. Waits until it
    /// answers `probe` (a name with an A record).
    pub async fn start(upstream: SocketAddr, trust_anchors: &[String], probe: &str) -> Unbound {
        let dir = temp_dir("unbound");
        let port = free_port();
        let modules = if trust_anchors.is_empty() {
            "iterator"
        } else {
            "validator iterator"
        };
        let anchors: String = trust_anchors
            .iter()
            .map(|a| format!("  trust-anchor: \"{a}\"\n"))
            .collect();
        let d = dir.display();
        let conf = format!(
            "server:\n  interface: 127.0.0.1@{port}\n  port: {port}\n  do-not-query-localhost: no\n  \
             username: \"\"\n  chroot: \"\"\n  directory: \"{d}\"\n  pidfile: \"{d}/unbound.pid\"\n  \
             use-syslog: no\n  logfile: \"{d}/unbound.log\"\n  verbosity: 1\n  num-threads: 1\n  \
             access-control: 127.0.0.0/8 allow\n  module-config: \"{modules}\"\n  \
             qname-minimisation: no\n  prefetch: no\n  val-log-level: 2\n  \
             local-zone: \"test.\" nodefault\n{anchors}\
             remote-control:\n  control-enable: no\n\
             forward-zone:\n  name: \".\"\n  forward-addr: {}@{}\n",
            upstream.ip(),
            upstream.port()
        );
        std::fs::write(dir.join("unbound.conf"), conf).unwrap();
        let child = Command::new("unbound")
            .arg("-d")
            .arg("-c")
            .arg(dir.join("unbound.conf"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start unbound (apt-get install unbound)");
        let addr: SocketAddr = ([127, 0, 0, 1], port).into();
        let unbound = Unbound { child, dir, addr };
        wait_answering(addr, probe, RecordType::A, "unbound").await;
        unbound
    }

    /// Its log so far (for assertion messages).
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.join("unbound.log")).unwrap_or_default()
    }
}
