//! The upstream servers: asking them so that a forged answer is hard to slip in, merging
//! identical questions, failing over, and remembering which servers are down.
//!
//! Every device in the room trusts these answers, and the uplink is often a school network
//! anyone can send packets on. An off-path attacker who wants to poison the cache must send
//! an answer that arrives before the real one and matches, all at once:
//! - the source address and port of the upstream (each question has its own socket,
//!   *connected* to the upstream, so the kernel drops datagrams from anywhere else);
//! - the destination port: each question leaves from a fresh socket on a port drawn at
//!   random from 1024–65535 (about 16 bits), closed as soon as the attempt ends, so late
//!   and extra answers find no one listening;
//! - the 16-bit random id;
//! - the question, byte for byte, including the letter case we sent: the name's letters
//!   are in random case (DNS 0x20), one more bit per letter. An upstream that does not
//!   echo the case is noticed on its first answer (which is dropped and the question asked
//!   again, in lower case, as it is from then on); one that has echoed it once is held to
//!   it, so a wrong-case answer from it is a forgery.
//!
//! Answers that fail those checks are counted (`dns_upstream_mismatched`) and ignored;
//! answers that pass them but are malformed are counted (`dns_upstream_malformed`) and fail
//! the attempt. Neither is ever cached or passed on.
//!
//! Identical questions (same name ignoring case, type, class and DNSSEC wishes) waiting at
//! the same time share one upstream question, a *flight*: the first starts it, the others
//! join ([`Upstreams::join`]) and all are answered when it lands ([`Upstreams::land`]). So a
//! burst of the same name is one chance for a forger, not hundreds.
//!
//! Failover: upstreams are tried in the configured order, each for `upstream_timeout_ms`,
//! and the whole attempt ends after [`TOTAL_BUDGET`] so every client gets an answer (maybe
//! SERVFAIL) within two seconds. An upstream that times out is marked down and skipped,
//! so a dead first upstream costs one timeout, not one per query. A down upstream is probed
//! in the background with a copy of a real question (after 1 s, then doubling up to 30 s)
//! and taken back when it answers. When every upstream is down they are all tried anyway,
//! so service resumes as soon as one returns. Within its time a plain upstream is sent the
//! same datagram again (at most twice) when no answer came within its retransmission timeout
//! ([`RttEstimate`], from its usual answer time): one datagram lost on a busy uplink costs
//! a fraction of a second, not a SERVFAIL.
//!
//! Encrypted upstreams (`tls://`, `https://`, see `encrypted`) are asked over their one
//! authenticated connection instead: nobody off the path can answer there, so neither
//! random ports nor letter case add anything; the answer is checked all the same.
//!
//! What this costs compared with a few long-lived sockets (a socket, a bind and a connect
//! per question): see docs/BENCHMARKS.md.

use std::collections::HashMap;
use std::io;
use std::net::{Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicU8, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use parking_lot::Mutex;
use socket2::{Domain, Protocol, Socket, Type};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpStream, UdpSocket};
use tokio::sync::{oneshot, OwnedSemaphorePermit};
use tokio_util::task::TaskTracker;

use super::cache::{key_of, KEY_LEN};
use super::encrypted::{Encrypted, EncryptedError};
use super::ratelimit::LogLimiter;
use super::rtt::RttEstimate;
use super::wire::{self, rcode, Query, UpstreamParts, Want, HEADER_LEN};
use crate::status::{bump, Status};

/// Longest any client waits for an upstream answer, all upstreams together.
pub const TOTAL_BUDGET: Duration = Duration::from_millis(1_900);
/// First re-probe delay of a down upstream; doubles up to [`MAX_BACKOFF`].
const FIRST_BACKOFF: Duration = Duration::from_secs(1);
/// Longest delay between re-probes.
const MAX_BACKOFF: Duration = Duration::from_secs(30);
/// Most times one plain question is sent to one upstream (the first and two resends).
const MAX_SENDS: u32 = 3;
/// Largest UDP response read whole. We advertise [`wire::EDNS_PAYLOAD`], so longer ones
/// break the protocol; they are asked again over TCP.
pub const MAX_UDP_RESPONSE: usize = 4_096;
/// Most different questions on their way upstream at once. Each holds a socket (a file
/// descriptor) for up to [`TOTAL_BUDGET`]; a room of phones needs a few dozen.
const MAX_FLIGHTS: usize = 1_024;
/// Most clients waiting for one flight; more get SERVFAIL at once (no real room asks the
/// same name this often within two seconds; a flood of it should not grow without bound).
const MAX_WAITERS: usize = 256;
/// Lowest source port drawn for an upstream question (as unbound: everything above the
/// privileged ports).
const FIRST_PORT: u16 = 1024;
/// Ports tried before leaving the choice to the kernel (a port can be in use).
const PORT_TRIES: usize = 16;

/// Whether an upstream echoes the letter case of our questions (DNS 0x20).
const CASE_UNKNOWN: u8 = 0;
const CASE_KEPT: u8 = 1;
const CASE_LOST: u8 = 2;

static DOWN: LogLimiter = LogLimiter::new();
static CASE: LogLimiter = LogLimiter::new();

/// Where a client's answer goes.
#[derive(Debug)]
pub enum ReplyTo {
    /// Send it from this listening socket to the client.
    Udp(Arc<UdpSocket>),
    /// Hand it to a task waiting for it (TCP clients).
    Wait(oneshot::Sender<Vec<u8>>),
}

/// One client waiting for an upstream answer.
#[derive(Debug)]
pub struct Waiter {
    /// The client's request as received (one plain question, checked by `parse_query`).
    pub req: Box<[u8]>,
    /// Who asked.
    pub client: SocketAddr,
    /// Where the answer goes.
    pub to: ReplyTo,
    /// Holds a place among the bounded number of clients waiting for upstreams.
    pub _slot: Option<OwnedSemaphorePermit>,
}

/// A question for the upstreams: the name, type and class as the first client wrote them,
/// and what it wants of DNSSEC.
#[derive(Debug, Clone)]
pub struct Ask {
    /// Name (wire form), type and class.
    pub question: Box<[u8]>,
    /// DO and CD, passed upstream.
    pub want: Want,
    /// The flight's key (see [`key_of`]).
    key: Box<[u8]>,
}

/// A checked upstream answer: the bytes and where their sections are.
#[derive(Debug)]
pub struct Answer {
    /// The response as the upstream sent it (its question in the case we sent).
    pub bytes: Vec<u8>,
    /// Its parts.
    pub parts: UpstreamParts,
}

/// What [`Upstreams::join`] did with a waiter.
#[derive(Debug)]
pub enum Joined {
    /// A new flight: the caller must run [`Upstreams::resolve`] for it, then
    /// [`Upstreams::land`] it.
    Started(Ask),
    /// Joined a flight already on its way.
    Merged,
    /// No room (too many flights, or too many waiting for this one): answer it SERVFAIL.
    Full(Waiter),
}

/// Why one upstream gave no usable answer.
#[derive(Debug, thiserror::Error)]
pub enum AskError {
    /// No answer in time.
    #[error("no answer in time")]
    Timeout,
    /// The socket or connection failed (ICMP port unreachable included).
    #[error("the socket or connection failed")]
    Io,
    /// The answer was malformed.
    #[error("malformed answer")]
    Invalid,
    /// An encrypted upstream failed (connection, certificate, HTTP).
    #[error("{0}")]
    Encrypted(EncryptedError),
}

/// How an upstream is reached.
pub enum Link {
    /// Plain DNS over UDP (TCP after a truncated answer).
    Plain(SocketAddr),
    /// DNS over TLS or HTTPS.
    Encrypted(Encrypted),
}

struct Upstream {
    link: Link,
    /// The upstream as the config writes it, for logs.
    label: String,
    down: AtomicBool,
    /// Milliseconds since `epoch` when the next background probe may start.
    next_probe_ms: AtomicU64,
    backoff_ms: AtomicU64,
    /// `CASE_*`: does it echo the letter case of the question?
    case: AtomicU8,
    /// Its answer times, for when to send a plain question again.
    rtt: RttEstimate,
}

/// The set of upstream servers and the questions on their way to them.
pub struct Upstreams {
    servers: Vec<Arc<Upstream>>,
    timeout: Duration,
    epoch: Instant,
    tracker: TaskTracker,
    status: Arc<Status>,
    /// Clients waiting, by flight key.
    flights: Mutex<HashMap<Box<[u8]>, Vec<Waiter>>>,
}

impl Upstreams {
    /// The upstreams, asked in this order. Opens nothing yet: every plain question gets its
    /// own socket, and encrypted upstreams connect when first asked.
    pub fn new(
        links: Vec<Link>,
        timeout: Duration,
        status: Arc<Status>,
        tracker: TaskTracker,
    ) -> Upstreams {
        let servers = links
            .into_iter()
            .map(|link| {
                Arc::new(Upstream {
                    label: match &link {
                        Link::Plain(addr) => addr.to_string(),
                        Link::Encrypted(e) => e.label().to_owned(),
                    },
                    link,
                    down: AtomicBool::new(false),
                    next_probe_ms: AtomicU64::new(0),
                    backoff_ms: AtomicU64::new(FIRST_BACKOFF.as_millis() as u64),
                    case: AtomicU8::new(CASE_UNKNOWN),
                    rtt: RttEstimate::new(),
                })
            })
            .collect();
        Upstreams {
            servers,
            timeout,
            epoch: Instant::now(),
            tracker,
            status,
            flights: Mutex::new(HashMap::new()),
        }
    }

    /// Whether there is any upstream at all.
    pub fn is_empty(&self) -> bool {
        self.servers.is_empty()
    }

    /// Add `waiter` (asking `q`) to the flight for the same question, or start one.
    pub fn join(&self, q: &Query<'_>, waiter: Waiter) -> Joined {
        let want = q.want();
        let mut buf = [0u8; KEY_LEN];
        let n = key_of(q.question, want, &mut buf);
        let key = &buf[..n];
        let mut flights = self.flights.lock();
        if let Some(waiting) = flights.get_mut(key) {
            if waiting.len() >= MAX_WAITERS {
                return Joined::Full(waiter);
            }
            waiting.push(waiter);
            bump(&self.status.dns_upstream_merged);
            return Joined::Merged;
        }
        if flights.len() >= MAX_FLIGHTS {
            return Joined::Full(waiter);
        }
        let key: Box<[u8]> = key.into();
        flights.insert(key.clone(), vec![waiter]);
        Joined::Started(Ask {
            question: q.question.into(),
            want,
            key,
        })
    }

    /// The clients waiting for `ask`'s flight, which ends here: a question arriving from now
    /// on starts a new one (or finds the answer in the cache, if the caller put it there
    /// first).
    pub fn land(&self, ask: &Ask) -> Vec<Waiter> {
        self.flights.lock().remove(&ask.key).unwrap_or_default()
    }

    /// Ask the upstreams in order until one answers, within [`TOTAL_BUDGET`]. `None`: no
    /// usable answer (the clients get SERVFAIL). An answer may carry any rcode; a SERVFAIL,
    /// REFUSED or NOTIMP is returned only when no later upstream does better.
    pub async fn resolve(&self, ask: &Ask) -> Option<Answer> {
        let deadline = Instant::now() + TOTAL_BUDGET;
        let all_down = self.servers.iter().all(|s| s.down.load(Ordering::Relaxed));
        let mut fallback = None;
        for s in &self.servers {
            if !all_down && s.down.load(Ordering::Relaxed) {
                self.maybe_probe(s, ask);
                continue;
            }
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                break;
            }
            let asked = Instant::now();
            match s.ask(ask, self.timeout.min(left), &self.status).await {
                Ok(answer) => {
                    self.status.dns_upstream_latency.observe(asked.elapsed());
                    self.mark_up(s);
                    match answer.parts.rcode {
                        // The server is alive but could not answer this one; another might.
                        rcode::SERVFAIL | rcode::REFUSED | rcode::NOTIMP => {
                            fallback = Some(answer);
                        }
                        _ => return Some(answer),
                    }
                }
                Err(e) => {
                    bump(&self.status.dns_upstream_failures);
                    self.mark_down(s, &e);
                }
            }
        }
        fallback
    }

    fn now_ms(&self) -> u64 {
        self.epoch.elapsed().as_millis() as u64
    }

    fn mark_up(&self, s: &Upstream) {
        if s.down.swap(false, Ordering::Relaxed) {
            tracing::info!(upstream = %s.label, "upstream answers again");
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
                tracing::warn!(upstream = %s.label, error = %e, suppressed, "upstream marked down");
            }
        }
    }

    /// Ask down upstream `s` a copy of `ask` in the background, if a probe is due.
    fn maybe_probe(&self, s: &Arc<Upstream>, ask: &Ask) {
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
        let (s, ask, status, timeout) = (s.clone(), ask.clone(), self.status.clone(), self.timeout);
        self.tracker.spawn(async move {
            if s.ask(&ask, timeout, &status).await.is_ok() {
                s.down.store(false, Ordering::Relaxed);
                s.backoff_ms
                    .store(FIRST_BACKOFF.as_millis() as u64, Ordering::Relaxed);
                tracing::info!(upstream = %s.label, "upstream answers again");
            } else {
                let next =
                    (s.backoff_ms.load(Ordering::Relaxed) * 2).min(MAX_BACKOFF.as_millis() as u64);
                s.backoff_ms.store(next, Ordering::Relaxed);
            }
        });
    }
}

/// How an answer's question compares with the one sent.
#[derive(Debug, PartialEq, Eq)]
enum Echo {
    /// Byte for byte.
    Exact,
    /// Same but for letter case.
    CaseOnly,
    /// Another question (or none).
    Other,
}

fn echo_of(resp: &[u8], sent: &[u8]) -> Echo {
    let count_ok = resp.get(4..6) == Some(&[0, 1][..]);
    match resp.get(HEADER_LEN..HEADER_LEN + sent.len()) {
        Some(q) if count_ok && q == sent => Echo::Exact,
        Some(q) if count_ok && q.eq_ignore_ascii_case(sent) => Echo::CaseOnly,
        _ => Echo::Other,
    }
}

/// What to make of one datagram that arrived for a question.
enum Verdict {
    /// Not the answer to it (late, duplicated or forged): keep waiting.
    Ignore,
    /// The answer, checked.
    Good(Answer),
    /// The answer, but truncated: ask over TCP.
    Truncated,
    /// The answer in another letter case from an upstream not known to keep it: ask again
    /// in lower case.
    Recase,
    /// Malformed: the attempt failed.
    Bad,
}

impl Upstream {
    /// Ask this upstream once, within `limit`.
    async fn ask(&self, ask: &Ask, limit: Duration, status: &Status) -> Result<Answer, AskError> {
        let asked = match &self.link {
            // Times itself: it resends within the limit.
            Link::Plain(addr) => Ok(self.ask_udp(*addr, ask, limit, status).await),
            Link::Encrypted(e) => {
                tokio::time::timeout(limit, self.ask_encrypted(e, ask, limit, status)).await
            }
        };
        asked.unwrap_or(Err(AskError::Timeout))
    }

    /// One question over the upstream's encrypted connection, in lower case.
    async fn ask_encrypted(
        &self,
        e: &Encrypted,
        ask: &Ask,
        limit: Duration,
        status: &Status,
    ) -> Result<Answer, AskError> {
        let mut question = ask.question.to_vec();
        let name_len = question.len().saturating_sub(4);
        question[..name_len].make_ascii_lowercase();
        let id = rand::random::<u16>();
        let query = wire::upstream_query(id, &question, ask.want);
        let resp = e.ask(&query, limit).await.map_err(|e| match e {
            EncryptedError::Timeout => AskError::Timeout,
            e => AskError::Encrypted(e),
        })?;
        self.whole(id, &question, resp, status)
    }

    /// The question to send: random letter case, or lower case for an upstream that does
    /// not keep it; with a fresh id.
    fn question(&self, ask: &Ask) -> (u16, Vec<u8>, Vec<u8>) {
        let mut question = ask.question.to_vec();
        let name_len = question.len().saturating_sub(4);
        if self.case.load(Ordering::Relaxed) == CASE_LOST {
            question[..name_len].make_ascii_lowercase();
        } else {
            wire::randomize_case(&mut question[..name_len], rand::random);
        }
        let id = rand::random::<u16>();
        let query = wire::upstream_query(id, &question, ask.want);
        (id, question, query)
    }

    /// One question from its own random port; waits up to `limit` for the datagram that
    /// answers it, sending the same datagram again (same port, id and case: no new chance
    /// for a forger) when none came within the upstream's retransmission timeout.
    async fn ask_udp(
        &self,
        addr: SocketAddr,
        ask: &Ask,
        limit: Duration,
        status: &Status,
    ) -> Result<Answer, AskError> {
        let started = tokio::time::Instant::now();
        let deadline = started + limit;
        let (mut id, mut question, mut query) = self.question(ask);
        let sock = random_port_socket(addr, &query).map_err(|_| AskError::Io)?;
        let mut sends = 1u32;
        let mut rto = self.rtt.rto();
        let mut resend_at = started + rto;
        // One byte more than the largest response read whole, so a longer one is noticed.
        let mut buf = vec![0u8; MAX_UDP_RESPONSE + 1];
        loop {
            let wake = if sends < MAX_SENDS {
                resend_at.min(deadline)
            } else {
                deadline
            };
            // ICMP errors (upstream port closed) surface here on a connected socket.
            let n = match tokio::time::timeout_at(wake, sock.recv(&mut buf)).await {
                Ok(got) => got.map_err(|_| AskError::Io)?,
                Err(_) if wake >= deadline => return Err(AskError::Timeout),
                Err(_) => {
                    sock.send(&query).await.map_err(|_| AskError::Io)?;
                    bump(&status.dns_upstream_retransmits);
                    sends += 1;
                    rto *= 2;
                    resend_at = tokio::time::Instant::now() + rto;
                    continue;
                }
            };
            let resp = buf.get(..n).unwrap_or_default();
            let verdict = if n > MAX_UDP_RESPONSE {
                // Longer than we asked for: if it is ours at all, get it whole over TCP.
                if resp.get(0..2) == Some(&id.to_be_bytes()[..]) {
                    Verdict::Truncated
                } else {
                    bump(&status.dns_upstream_mismatched);
                    Verdict::Ignore
                }
            } else {
                self.check(id, &question, resp, status)
            };
            match verdict {
                Verdict::Ignore => continue,
                Verdict::Good(answer) => {
                    if sends == 1 {
                        self.rtt.sample(started.elapsed());
                    }
                    return Ok(answer);
                }
                Verdict::Bad => return Err(AskError::Invalid),
                Verdict::Truncated => {
                    let tcp = self.ask_tcp(addr, id, &question, &query, status);
                    return tokio::time::timeout_at(deadline, tcp)
                        .await
                        .unwrap_or(Err(AskError::Timeout));
                }
                Verdict::Recase => {
                    (id, question, query) = self.question(ask);
                    sock.send(&query).await.map_err(|_| AskError::Io)?;
                }
            }
        }
    }

    /// Check a datagram against the question it may answer.
    fn check(&self, id: u16, sent: &[u8], resp: &[u8], status: &Status) -> Verdict {
        if resp.get(0..2) != Some(&id.to_be_bytes()[..]) {
            bump(&status.dns_upstream_mismatched);
            return Verdict::Ignore;
        }
        match echo_of(resp, sent) {
            Echo::Exact => {
                if sent.iter().any(u8::is_ascii_uppercase) {
                    let _ = self.case.compare_exchange(
                        CASE_UNKNOWN,
                        CASE_KEPT,
                        Ordering::Relaxed,
                        Ordering::Relaxed,
                    );
                }
            }
            Echo::CaseOnly => {
                // An upstream that has echoed our case before does not forget how, and one
                // asked in lower case echoes lower case: this is a forgery that guessed
                // port and id but not the case.
                if self.case.load(Ordering::Relaxed) != CASE_UNKNOWN {
                    bump(&status.dns_upstream_mismatched);
                    return Verdict::Ignore;
                }
                // Not taken either way: if this upstream folds case, the lower-case question
                // that follows gets the real answer; if this was a forgery, it is dropped.
                bump(&status.dns_upstream_mismatched);
                if self.case.swap(CASE_LOST, Ordering::Relaxed) != CASE_LOST {
                    if let Some(suppressed) = CASE.check() {
                        tracing::info!(upstream = %self.label, suppressed, "upstream does not keep the letter case of questions; asking it in lower case");
                    }
                }
                return Verdict::Recase;
            }
            Echo::Other => {
                bump(&status.dns_upstream_mismatched);
                return Verdict::Ignore;
            }
        }
        match wire::parse_upstream(resp, sent) {
            Ok(parts) if parts.truncated => Verdict::Truncated,
            Ok(parts) => Verdict::Good(Answer {
                bytes: resp.to_vec(),
                parts,
            }),
            // Another opcode: not an answer to what was sent, like a wrong question.
            Err(wire::WireError::Mismatch) => {
                bump(&status.dns_upstream_mismatched);
                Verdict::Ignore
            }
            Err(_) => {
                bump(&status.dns_upstream_malformed);
                Verdict::Bad
            }
        }
    }

    /// The question again over a fresh TCP connection (after a truncated UDP answer).
    async fn ask_tcp(
        &self,
        addr: SocketAddr,
        id: u16,
        sent: &[u8],
        query: &[u8],
        status: &Status,
    ) -> Result<Answer, AskError> {
        let mut conn = TcpStream::connect(addr).await.map_err(|_| AskError::Io)?;
        let len = u16::try_from(query.len()).map_err(|_| AskError::Invalid)?;
        let mut framed = Vec::with_capacity(query.len() + 2);
        framed.extend_from_slice(&len.to_be_bytes());
        framed.extend_from_slice(query);
        conn.write_all(&framed).await.map_err(|_| AskError::Io)?;
        let len = usize::from(conn.read_u16().await.map_err(|_| AskError::Io)?);
        let mut resp = vec![0u8; len];
        conn.read_exact(&mut resp).await.map_err(|_| AskError::Io)?;
        self.whole(id, sent, resp, status)
    }

    /// Check an answer that came over a connection of our own (TCP, TLS, HTTPS).
    fn whole(
        &self,
        id: u16,
        sent: &[u8],
        resp: Vec<u8>,
        status: &Status,
    ) -> Result<Answer, AskError> {
        match self.check(id, sent, &resp, status) {
            // A stream's answer is whole; TC here means the upstream cannot do better.
            Verdict::Good(answer) => Ok(answer),
            Verdict::Truncated => match wire::parse_upstream(&resp, sent) {
                Ok(parts) => Ok(Answer { bytes: resp, parts }),
                Err(_) => Err(AskError::Invalid),
            },
            // On a connection of our own nobody else can answer: any mismatch is the
            // upstream's fault.
            Verdict::Ignore | Verdict::Bad | Verdict::Recase => Err(AskError::Invalid),
        }
    }
}

/// A UDP socket connected to `to`, bound to a port drawn at random from 1024–65535 (as
/// unbound does; the kernel's own choice covers only its smaller ephemeral range). Taken
/// ports are skipped; after [`PORT_TRIES`] the kernel chooses. `first` is sent from it.
fn random_port_socket(to: SocketAddr, first: &[u8]) -> io::Result<UdpSocket> {
    let s = Socket::new(
        Domain::for_address(to),
        Type::DGRAM.nonblocking(),
        Some(Protocol::UDP),
    )?;
    let any = |port| -> SocketAddr {
        if to.is_ipv4() {
            (Ipv4Addr::UNSPECIFIED, port).into()
        } else {
            (Ipv6Addr::UNSPECIFIED, port).into()
        }
    };
    let mut bound = false;
    for _ in 0..PORT_TRIES {
        let port = rand::random_range(FIRST_PORT..=u16::MAX);
        match s.bind(&any(port).into()) {
            Ok(()) => {
                bound = true;
                break;
            }
            Err(e) if e.kind() == io::ErrorKind::AddrInUse => continue,
            Err(e) => return Err(e),
        }
    }
    if !bound {
        s.bind(&any(0).into())?;
    }
    s.connect(&to.into())?;
    // Sent before the socket joins the runtime: a new socket is always writable, and
    // waiting for the runtime to say so would cost every question a round through it.
    match s.send(first) {
        Ok(_) => {}
        // A full send buffer (rare): the caller's resend timer sends it again.
        Err(e) if e.kind() == io::ErrorKind::WouldBlock => {}
        Err(e) => return Err(e),
    }
    UdpSocket::from_std(s.into())
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

    #[test]
    fn echo_needs_the_exact_case() {
        let mut resp = vec![0u8; HEADER_LEN];
        resp[5] = 1;
        resp.extend_from_slice(b"\x03WwW\x00\x00\x01\x00\x01");
        assert_eq!(echo_of(&resp, b"\x03WwW\x00\x00\x01\x00\x01"), Echo::Exact);
        assert_eq!(
            echo_of(&resp, b"\x03www\x00\x00\x01\x00\x01"),
            Echo::CaseOnly
        );
        assert_eq!(echo_of(&resp, b"\x03wwx\x00\x00\x01\x00\x01"), Echo::Other);
        resp[5] = 2;
        assert_eq!(echo_of(&resp, b"\x03WwW\x00\x00\x01\x00\x01"), Echo::Other);
    }

    #[tokio::test]
    async fn ports_are_spread_and_sockets_connected() {
        let up: SocketAddr = "127.0.0.1:9".parse().unwrap();
        let mut ports = std::collections::HashSet::new();
        for _ in 0..200 {
            let s = random_port_socket(up, b"").unwrap();
            assert_eq!(s.peer_addr().unwrap(), up);
            ports.insert(s.local_addr().unwrap().port());
        }
        // 200 draws from ~64,500 ports: a handful of repeats at most.
        assert!(ports.len() >= 190, "{}", ports.len());
        assert!(
            ports.iter().any(|&p| p < 32_768),
            "below the kernel's range too"
        );
    }
}
