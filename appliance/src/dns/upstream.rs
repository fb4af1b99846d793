//! The upstream servers: asking them, failing over, and remembering which are down.
//!
//! Each upstream gets a few long-lived connected UDP sockets; one task per socket reads
//! responses and hands each to the query waiting for its id. Long-lived sockets save the
//! bind/close system calls a socket per query would cost (that is most of a forwarder's
//! work when nothing is cached). The price is less source-port randomness against spoofing:
//! responses must still come from the upstream's address (the sockets are connected), match
//! a random 16-bit id, and echo the question, so a blind attacker has to guess id and port
//! among [`SOCKETS_PER_UPSTREAM`] while racing a nearby upstream.
//!
//! Failover: upstreams are tried in the configured order, each for `upstream_timeout_ms`,
//! and the whole attempt ends after [`TOTAL_BUDGET`] so every client gets an answer (maybe
//! SERVFAIL) within two seconds. An upstream that times out is marked down and skipped,
//! so a dead first upstream costs one timeout, not one per query. A down upstream is probed
//! in the background with a copy of a real query (after 1 s, then doubling up to 30 s) and
//! taken back when it answers. When every upstream is down they are all tried anyway, so
//! service resumes as soon as one returns.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use parking_lot::Mutex;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpStream, UdpSocket};
use tokio::sync::oneshot;
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

use super::ratelimit::LogLimiter;
use super::wire::{self, rcode};
use super::DnsError;

/// Sockets per upstream (spreads load over the runtime's threads and adds port entropy).
pub const SOCKETS_PER_UPSTREAM: usize = 8;
/// Longest any client waits for an upstream answer, all upstreams together.
pub const TOTAL_BUDGET: Duration = Duration::from_millis(1_900);
/// First re-probe delay of a down upstream; doubles up to [`MAX_BACKOFF`].
const FIRST_BACKOFF: Duration = Duration::from_secs(1);
/// Longest delay between re-probes.
const MAX_BACKOFF: Duration = Duration::from_secs(30);
/// Most queries waiting on one socket (ids are 16 bits; leave room to find a free one).
const MAX_PENDING_PER_SOCKET: usize = 16_384;
/// Largest response accepted (the UDP and TCP maximum).
const MAX_RESPONSE: usize = 65_535;

static LATE: LogLimiter = LogLimiter::new();
static DOWN: LogLimiter = LogLimiter::new();

type Waiters = Mutex<HashMap<u16, oneshot::Sender<Vec<u8>>>>;

struct UpSocket {
    sock: UdpSocket,
    waiting: Waiters,
}

struct Upstream {
    addr: SocketAddr,
    sockets: Vec<Arc<UpSocket>>,
    next: AtomicUsize,
    down: AtomicBool,
    /// Milliseconds since `epoch` when the next background probe may start.
    next_probe_ms: AtomicU64,
    backoff_ms: AtomicU64,
}

/// Why one upstream gave no usable answer.
#[derive(Debug)]
enum AskError {
    Timeout,
    Io,
    Invalid,
    Busy,
}

/// The set of upstream servers.
pub struct Upstreams {
    servers: Vec<Arc<Upstream>>,
    timeout: Duration,
    epoch: Instant,
    tracker: TaskTracker,
}

impl Upstreams {
    /// Open sockets to every upstream and start their readers.
    pub async fn connect(
        addrs: &[SocketAddr],
        timeout: Duration,
        shutdown: CancellationToken,
        tracker: TaskTracker,
    ) -> Result<Upstreams, DnsError> {
        let mut servers = Vec::with_capacity(addrs.len());
        for &addr in addrs {
            let mut sockets = Vec::with_capacity(SOCKETS_PER_UPSTREAM);
            for _ in 0..SOCKETS_PER_UPSTREAM {
                let local: SocketAddr = if addr.is_ipv4() {
                    (std::net::Ipv4Addr::UNSPECIFIED, 0).into()
                } else {
                    (std::net::Ipv6Addr::UNSPECIFIED, 0).into()
                };
                let sock = UdpSocket::bind(local)
                    .await
                    .map_err(|source| DnsError::Upstream { addr, source })?;
                sock.connect(addr)
                    .await
                    .map_err(|source| DnsError::Upstream { addr, source })?;
                let s = Arc::new(UpSocket {
                    sock,
                    waiting: Mutex::new(HashMap::new()),
                });
                tracker.spawn(read_responses(s.clone(), shutdown.clone()));
                sockets.push(s);
            }
            servers.push(Arc::new(Upstream {
                addr,
                sockets,
                next: AtomicUsize::new(0),
                down: AtomicBool::new(false),
                next_probe_ms: AtomicU64::new(0),
                backoff_ms: AtomicU64::new(FIRST_BACKOFF.as_millis() as u64),
            }));
        }
        Ok(Upstreams {
            servers,
            timeout,
            epoch: Instant::now(),
            tracker,
        })
    }

    /// Whether there is any upstream at all.
    pub fn is_empty(&self) -> bool {
        self.servers.is_empty()
    }

    fn now_ms(&self) -> u64 {
        self.epoch.elapsed().as_millis() as u64
    }

    /// Ask the upstreams for `question` (client's bytes). Returns a checked response (any
    /// rcode), or `None` when no upstream answered in time.
    pub async fn resolve(&self, question: &[u8]) -> Option<Vec<u8>> {
        let deadline = Instant::now() + TOTAL_BUDGET.max(self.timeout);
        let all_down = self.servers.iter().all(|s| s.down.load(Ordering::Relaxed));
        let mut fallback = None;
        for s in &self.servers {
            if !all_down && s.down.load(Ordering::Relaxed) {
                self.maybe_probe(s, question);
                continue;
            }
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                break;
            }
            match ask(s, question, self.timeout.min(left)).await {
                Ok(resp) => {
                    self.mark_up(s);
                    match wire::response_rcode(&resp) {
                        // The server is alive but could not answer this one; another might.
                        Some(rcode::SERVFAIL | rcode::REFUSED | rcode::NOTIMP) => {
                            fallback = Some(resp);
                        }
                        _ => return Some(resp),
                    }
                }
                Err(AskError::Busy) => {}
                Err(e) => self.mark_down(s, &e),
            }
        }
        fallback
    }

    fn mark_up(&self, s: &Upstream) {
        if s.down.swap(false, Ordering::Relaxed) {
            tracing::info!(upstream = %s.addr, "upstream answers again");
        }
        s.backoff_ms
            .store(FIRST_BACKOFF.as_millis() as u64, Ordering::Relaxed);
    }

    fn mark_down(&self, s: &Upstream, e: &AskError) {
        if !s.down.swap(true, Ordering::Relaxed) {
            let backoff = s.backoff_ms.load(Ordering::Relaxed);
            s.next_probe_ms
                .store(self.now_ms() + backoff, Ordering::Relaxed);
            if let Some(suppressed) = DOWN.check() {
                tracing::warn!(upstream = %s.addr, error = ?e, suppressed, "upstream marked down");
            }
        }
    }

    /// Start one background probe of a down upstream if one is due.
    fn maybe_probe(&self, s: &Arc<Upstream>, question: &[u8]) {
        let now = self.now_ms();
        let due = s.next_probe_ms.load(Ordering::Relaxed);
        if now < due {
            return;
        }
        let backoff = s.backoff_ms.load(Ordering::Relaxed);
        // Only the caller that moves the probe time forward sends the probe.
        if s.next_probe_ms
            .compare_exchange(due, now + backoff, Ordering::Relaxed, Ordering::Relaxed)
            .is_err()
        {
            return;
        }
        let s = s.clone();
        let question = question.to_vec();
        let timeout = self.timeout;
        self.tracker.spawn(async move {
            match ask(&s, &question, timeout).await {
                Ok(_) => {
                    s.down.store(false, Ordering::Relaxed);
                    s.backoff_ms
                        .store(FIRST_BACKOFF.as_millis() as u64, Ordering::Relaxed);
                    tracing::info!(upstream = %s.addr, "upstream answers again");
                }
                Err(_) => {
                    let next = (backoff * 2).min(MAX_BACKOFF.as_millis() as u64);
                    s.backoff_ms.store(next, Ordering::Relaxed);
                }
            }
        });
    }
}

/// One question to one upstream: UDP, then TCP if the answer was truncated.
async fn ask(s: &Upstream, question: &[u8], timeout: Duration) -> Result<Vec<u8>, AskError> {
    let deadline = Instant::now() + timeout;
    let i = s.next.fetch_add(1, Ordering::Relaxed) % s.sockets.len().max(1);
    let sock = s.sockets.get(i).ok_or(AskError::Busy)?;
    let (tx, rx) = oneshot::channel();
    let id = {
        let mut w = sock.waiting.lock();
        if w.len() >= MAX_PENDING_PER_SOCKET {
            return Err(AskError::Busy);
        }
        let mut id = rand::random::<u16>();
        while w.contains_key(&id) {
            id = rand::random::<u16>();
        }
        w.insert(id, tx);
        id
    };
    let query = wire::upstream_query(id, question);
    let result = async {
        sock.sock.send(&query).await.map_err(|_| AskError::Io)?;
        match tokio::time::timeout_at(deadline.into(), rx).await {
            Ok(Ok(resp)) => Ok(resp),
            Ok(Err(_)) => Err(AskError::Io),
            Err(_) => Err(AskError::Timeout),
        }
    }
    .await;
    if result.is_err() {
        sock.waiting.lock().remove(&id);
    }
    let resp = result?;
    let parts = wire::parse_upstream(&resp, question).map_err(|_| AskError::Invalid)?;
    if !parts.truncated {
        return Ok(resp);
    }
    let left = deadline.saturating_duration_since(Instant::now());
    match tokio::time::timeout(left, ask_tcp(s.addr, question)).await {
        Ok(r) => r,
        Err(_) => Err(AskError::Timeout),
    }
}

/// One question over a fresh TCP connection (used after a truncated UDP answer).
async fn ask_tcp(addr: SocketAddr, question: &[u8]) -> Result<Vec<u8>, AskError> {
    let id = rand::random::<u16>();
    let query = wire::upstream_query(id, question);
    let mut conn = TcpStream::connect(addr).await.map_err(|_| AskError::Io)?;
    let mut framed = Vec::with_capacity(query.len() + 2);
    framed.extend_from_slice(&(query.len() as u16).to_be_bytes());
    framed.extend_from_slice(&query);
    conn.write_all(&framed).await.map_err(|_| AskError::Io)?;
    let len = usize::from(conn.read_u16().await.map_err(|_| AskError::Io)?);
    let mut resp = vec![0u8; len];
    conn.read_exact(&mut resp).await.map_err(|_| AskError::Io)?;
    if resp.get(0..2) != Some(&id.to_be_bytes()[..]) {
        return Err(AskError::Invalid);
    }
    wire::parse_upstream(&resp, question).map_err(|_| AskError::Invalid)?;
    Ok(resp)
}

/// Read responses on one socket and hand each to the query waiting for its id.
async fn read_responses(s: Arc<UpSocket>, shutdown: CancellationToken) {
    let mut buf = vec![0u8; MAX_RESPONSE];
    loop {
        let n = tokio::select! {
            _ = shutdown.cancelled() => return,
            r = s.sock.recv(&mut buf) => match r {
                Ok(n) => n,
                // ICMP errors (upstream port closed) surface here on connected sockets;
                // the waiting query times out and fails over, so just keep reading.
                Err(_) => continue,
            },
        };
        let Some(id) = buf.get(0..2).map(|b| u16::from_be_bytes([b[0], b[1]])) else {
            continue;
        };
        let waiter = s.waiting.lock().remove(&id);
        match waiter {
            Some(tx) => {
                let _ = tx.send(buf[..n].to_vec());
            }
            None => {
                if let Some(suppressed) = LATE.check() {
                    tracing::debug!(
                        id,
                        suppressed,
                        "upstream response nobody waits for (late or spoofed)"
                    );
                }
            }
        }
    }
}

/// The system's resolvers (from `/etc/resolv.conf`), minus our own listening addresses.
pub fn system_upstreams(listen: &[SocketAddr]) -> Vec<SocketAddr> {
    let Ok((conf, _)) = hickory_resolver::system_conf::read_system_conf() else {
        return Vec::new();
    };
    let mut out: Vec<SocketAddr> = Vec::new();
    for ns in conf.name_servers() {
        let port = ns
            .connections
            .iter()
            .find(|c| matches!(c.protocol, hickory_resolver::config::ProtocolConfig::Udp))
            .map_or(53, |c| c.port);
        let addr = SocketAddr::new(ns.ip, port);
        if is_ourselves(addr, listen) || out.contains(&addr) {
            continue;
        }
        out.push(addr);
    }
    out
}

/// Whether asking `addr` would ask ourselves (and loop).
pub fn is_ourselves(addr: SocketAddr, listen: &[SocketAddr]) -> bool {
    listen.iter().any(|l| {
        l.port() == addr.port()
            && (l.ip() == addr.ip()
                // Bound to every address: a loopback upstream on our port is us. (Other local
                // addresses would be too, but resolv.conf lists loopback stubs in practice.)
                || (l.ip().is_unspecified() && addr.ip().is_loopback()))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn own_addresses_are_not_upstreams() {
        let listen: Vec<SocketAddr> = vec!["0.0.0.0:53".parse().unwrap()];
        assert!(is_ourselves("127.0.0.53:53".parse().unwrap(), &listen));
        assert!(!is_ourselves("9.9.9.9:5353".parse().unwrap(), &listen));
        assert!(!is_ourselves("9.9.9.9:53".parse().unwrap(), &listen));
        let listen: Vec<SocketAddr> = vec!["192.168.4.1:53".parse().unwrap()];
        assert!(is_ourselves("192.168.4.1:53".parse().unwrap(), &listen));
        assert!(!is_ourselves("192.168.4.2:53".parse().unwrap(), &listen));
    }
}
