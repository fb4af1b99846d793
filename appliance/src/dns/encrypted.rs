//! Encrypted upstreams: DNS over TLS (RFC 7858) and DNS over HTTPS (RFC 8484), so the
//! network the appliance is plugged into sees neither the questions nor the answers (only
//! that, how much and when the appliance talks to the upstream).
//!
//! One [`Encrypted`] per `tls://` or `https://` entry of `dns.upstreams`. It opens its
//! connection on the first question, keeps it for the next ones, closes it after
//! [`IDLE_CLOSE`] without questions, and opens a new one when it is gone (the server closed
//! it, or [`STALL_LIMIT`] questions in a row went unanswered). Connecting runs in a task of
//! its own, one attempt at a time, so a question that gives up does not abandon the attempt
//! for the questions behind it; after a failed attempt the next one waits
//! [`RECONNECT_PAUSE`], so a dead server costs one attempt per pause, not one per question.
//! At most [`MAX_OUTSTANDING`] questions wait per upstream.
//!
//! - DNS over TLS: one TLS connection; questions are written as they come (pipelined) with an
//!   id of the connection's own (callers' ids may collide), answers are matched by that id in
//!   whatever order they come, and the caller's id is put back.
//! - DNS over HTTPS: one HTTP/2 connection (ALPN `h2`, hyper); each question is a POST of
//!   `application/dns-message` on a stream of its own, with id 0 on the wire (RFC 8484 §4.1)
//!   and the caller's id put back in the answer.
//!
//! Queries with EDNS are padded to a multiple of [`PAD_BLOCK`] bytes (RFC 7830, RFC 8467), so
//! their length does not give the name away; unbound and the public resolvers then pad their
//! answers too. Answers are at most 65,535 bytes. A certificate that is not valid for the configured name
//! (or not from a trusted root) is refused; there is no switch to accept it. The log says so
//! (at most once a minute per upstream), `/api/v1/status` gets one warning per upstream, and
//! `dns_upstream_tls_errors` counts every failed handshake and HTTP error.
//!
//! Messages are opaque here beyond their id: checking that an answer answers the question
//! is the caller's job (`wire::parse_upstream`), as for plain upstreams.

use std::collections::HashMap;
use std::io;
use std::net::SocketAddr;
use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicU32, AtomicU64, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::Bytes;
use http_body_util::{BodyExt, Full, Limited};
use hyper::client::conn::http2;
use hyper::header::{ACCEPT, CONTENT_TYPE};
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use rustls::pki_types::ServerName;
use rustls::ClientConfig;
use tokio::io::{AsyncReadExt, AsyncWriteExt, ReadHalf, WriteHalf};
use tokio::net::TcpStream;
use tokio::sync::{mpsc, oneshot, Mutex, Semaphore};
use tokio_rustls::client::TlsStream;
use tokio_rustls::TlsConnector;
use tokio_util::sync::CancellationToken;

use super::ratelimit::LogLimiter;
use super::wire::{self, HEADER_LEN};
use super::DnsError;
use crate::config::UpstreamSpec;
use crate::status::{bump, Status};
use crate::tls::{self, HandshakeProblem};

/// Most questions waiting on one upstream at once; more wait for a slot (within their
/// timeout).
pub(crate) const MAX_OUTSTANDING: usize = 128;
/// A connection without questions for this long is closed (servers close theirs after
/// 10–30 s; closing first avoids writing into a connection the server is closing).
pub(crate) const IDLE_CLOSE: Duration = Duration::from_secs(15);
/// After a failed connection attempt, questions fail at once for this long.
pub(crate) const RECONNECT_PAUSE: Duration = Duration::from_millis(500);
/// This many questions in a row given up on a connection, none answered: it is dropped.
pub(crate) const STALL_LIMIT: u32 = 16;
/// Longest one connection attempt (lookup, TCP, TLS, HTTP/2) may take.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// Largest DNS message (its length must fit the TCP framing's 16 bits).
const MAX_MESSAGE: usize = 65_535;
/// How often an idle connection is looked at.
const IDLE_CHECK: Duration = Duration::from_millis(250);
/// The DoH media type (RFC 8484 §6).
const DNS_MESSAGE: &str = "application/dns-message";
/// EDNS queries are padded to a multiple of this many bytes (RFC 8467's block for queries), so
/// their size says little about the name asked; servers then pad their answers too.
const PAD_BLOCK: usize = 128;
/// The EDNS Padding option (RFC 7830).
const OPT_PADDING: u16 = 12;
/// The OPT pseudo-record type.
const TYPE_OPT: u16 = 41;

/// Why a question to an encrypted upstream got no answer.
#[derive(Debug, thiserror::Error)]
pub(crate) enum EncryptedError {
    /// Nothing within the time given.
    #[error("no answer in time")]
    Timeout,
    /// The upstream's host name could not be looked up.
    #[error("cannot look up {host}: {reason}")]
    Resolve {
        /// The name.
        host: String,
        /// Why.
        reason: String,
    },
    /// No TCP connection (refused, unreachable, reset during the handshake).
    #[error("cannot connect: {0}")]
    Connect(#[source] io::Error),
    /// The server's certificate was refused (wrong name, unknown issuer, expired).
    #[error("certificate refused: {0}")]
    Certificate(String),
    /// Another TLS failure (no common version or cipher, alert from the server).
    #[error("TLS failed: {0}")]
    Tls(String),
    /// The DoH server answered with another HTTP status than 200.
    #[error("HTTP status {0}")]
    Http(u16),
    /// HTTP/2 failed (no `h2` offered, stream reset, protocol error).
    #[error("HTTP/2 failed: {0}")]
    Protocol(String),
    /// The DoH answer is not `application/dns-message`.
    #[error("the answer is {0:?}, not application/dns-message")]
    NotDns(String),
    /// The connection closed before the answer came.
    #[error("the connection closed before the answer")]
    Closed,
    /// A message longer than 65,535 bytes.
    #[error("message bigger than 65535 bytes")]
    TooBig,
    /// A message shorter than a DNS header.
    #[error("not a DNS message (shorter than a header)")]
    Malformed,
    /// The last connection attempt failed moments ago; not retried yet.
    #[error("down ({0}); retried after a pause")]
    Down(String),
}

impl EncryptedError {
    /// A TLS or HTTP failure (counted in `dns_upstream_tls_errors`).
    fn is_tls_or_http(&self) -> bool {
        matches!(
            self,
            EncryptedError::Certificate(_)
                | EncryptedError::Tls(_)
                | EncryptedError::Http(_)
                | EncryptedError::Protocol(_)
                | EncryptedError::NotDns(_)
        )
    }
}

/// The TLS client configuration for encrypted upstreams: the compiled-in roots plus those in
/// `dns.tls_ca_file`.
pub(crate) fn client_config(ca_file: Option<&Path>) -> Result<Arc<ClientConfig>, DnsError> {
    tls::client_config(ca_file).map_err(|e| DnsError::Config {
        key: "dns.tls_ca_file",
        reason: e.to_string(),
    })
}

/// One DNS-over-TLS or DNS-over-HTTPS upstream.
pub(crate) struct Encrypted {
    inner: Arc<Inner>,
}

/// What the connecting task shares with the questions.
struct Inner {
    /// As the config writes it (logs, status).
    label: String,
    /// The name the certificate must carry.
    name: String,
    server_name: ServerName<'static>,
    target: Target,
    kind: Kind,
    connector: TlsConnector,
    status: Arc<Status>,
    slots: Semaphore,
    slot: Arc<Mutex<Slot>>,
    connections: AtomicU64,
    idle_close: Duration,
    cert_warned: AtomicBool,
    log: LogLimiter,
}

/// Where to connect.
enum Target {
    Addr(SocketAddr),
    /// A host name, looked up at each connection attempt.
    Host(String, u16),
}

enum Kind {
    Dot,
    /// The URI posted to (`https://name[:port]/path`).
    Doh(hyper::Uri),
}

/// The current connection, or why there is none.
#[derive(Default)]
struct Slot {
    live: Option<Live>,
    failed: Option<(Instant, String)>,
}

#[derive(Clone)]
enum Live {
    Dot(Arc<DotConn>),
    Doh(Arc<DohConn>),
}

impl Live {
    fn health(&self) -> &Health {
        match self {
            Live::Dot(c) => &c.health,
            Live::Doh(c) => &c.health,
        }
    }

    fn is_open(&self) -> bool {
        !self.health().closed.is_cancelled()
            && match self {
                Live::Dot(c) => !c.tx.is_closed(),
                Live::Doh(c) => !c.send.is_closed(),
            }
    }
}

impl Encrypted {
    /// An upstream for `spec` (`tls://` or `https://`). No I/O here; connects lazily on the
    /// first question and again after failures.
    pub(crate) fn new(
        spec: &UpstreamSpec,
        tls: Arc<ClientConfig>,
        status: Arc<Status>,
    ) -> Result<Encrypted, DnsError> {
        let refuse = |reason: String| DnsError::Config {
            key: "dns.upstreams",
            reason,
        };
        let (target, kind, name) = match spec {
            UpstreamSpec::Plain(a) => {
                return Err(refuse(format!(
                    "{a} is a plain upstream, not an encrypted one"
                )))
            }
            UpstreamSpec::Tls { addr, name } => (Target::Addr(*addr), Kind::Dot, name),
            UpstreamSpec::Https { url, name } => {
                let target = match url.host_ip() {
                    Some(ip) => Target::Addr(SocketAddr::new(ip, url.port)),
                    None => Target::Host(url.host.clone(), url.port),
                };
                let authority = crate::model::authority(name, url.port, 443);
                let uri = format!("https://{authority}{}", url.path)
                    .parse::<hyper::Uri>()
                    .map_err(|e| refuse(format!("{spec}: {e}")))?;
                (target, Kind::Doh(uri), name)
            }
        };
        let server_name = tls::server_name(name).map_err(|e| refuse(format!("{spec}: {e}")))?;
        let config = match kind {
            Kind::Dot => tls,
            Kind::Doh(_) => {
                let mut c = (*tls).clone();
                c.alpn_protocols = vec![b"h2".to_vec()];
                Arc::new(c)
            }
        };
        Ok(Encrypted {
            inner: Arc::new(Inner {
                label: spec.to_string(),
                name: name.clone(),
                server_name,
                target,
                kind,
                connector: TlsConnector::from(config),
                status,
                slots: Semaphore::new(MAX_OUTSTANDING),
                slot: Arc::new(Mutex::new(Slot::default())),
                connections: AtomicU64::new(0),
                idle_close: IDLE_CLOSE,
                cert_warned: AtomicBool::new(false),
                log: LogLimiter::every(60),
            }),
        })
    }

    /// The upstream as the config writes it.
    pub(crate) fn label(&self) -> &str {
        &self.inner.label
    }

    /// Connections opened so far.
    #[cfg(test)]
    pub(crate) fn connections(&self) -> u64 {
        self.inner.connections.load(Ordering::Relaxed)
    }

    /// Send one complete DNS query message (id chosen by the caller) and return the
    /// response message, whose id is the query's; within `timeout`.
    pub(crate) async fn ask(
        &self,
        query: &[u8],
        timeout: Duration,
    ) -> Result<Vec<u8>, EncryptedError> {
        if query.len() < HEADER_LEN {
            return Err(EncryptedError::Malformed);
        }
        if query.len() > MAX_MESSAGE {
            return Err(EncryptedError::TooBig);
        }
        let inner = &self.inner;
        let mut answer = tokio::time::timeout(timeout, inner.ask(query))
            .await
            .unwrap_or(Err(EncryptedError::Timeout))?;
        answer[..2].copy_from_slice(&query[..2]);
        Ok(answer)
    }

    #[cfg(test)]
    fn set_idle_close(&mut self, idle: Duration) {
        if let Some(inner) = Arc::get_mut(&mut self.inner) {
            inner.idle_close = idle;
        }
    }
}

impl Inner {
    /// Ask on the current connection; once more on a new one if a reused connection closed
    /// under the question (the server may close an idle connection at any moment).
    async fn ask(self: &Arc<Self>, query: &[u8]) -> Result<Vec<u8>, EncryptedError> {
        let _permit = self
            .slots
            .acquire()
            .await
            .map_err(|_| EncryptedError::Closed)?;
        let mut retried = false;
        loop {
            let (live, fresh) = self.live().await?;
            let r = match &live {
                Live::Dot(c) => c.ask(query).await,
                Live::Doh(c) => match &self.kind {
                    Kind::Doh(uri) => c.ask(query, uri).await,
                    Kind::Dot => Err(EncryptedError::Closed),
                },
            };
            match r {
                Err(EncryptedError::Closed) if !fresh && !retried => retried = true,
                Err(e) => {
                    match &e {
                        EncryptedError::TooBig | EncryptedError::Malformed => {
                            bump(&self.status.dns_upstream_malformed)
                        }
                        e if e.is_tls_or_http() => self.note(e),
                        _ => {}
                    }
                    return Err(e);
                }
                Ok(a) => return Ok(a),
            }
        }
    }

    /// The open connection, or a new one (`true`: opened for this question).
    async fn live(self: &Arc<Self>) -> Result<(Live, bool), EncryptedError> {
        let mut slot = self.slot.clone().lock_owned().await;
        if let Some(l) = slot.live.as_ref().filter(|l| l.is_open()) {
            return Ok((l.clone(), false));
        }
        slot.live = None;
        if let Some((at, why)) = &slot.failed {
            if at.elapsed() < RECONNECT_PAUSE {
                return Err(EncryptedError::Down(why.clone()));
            }
        }
        // The attempt holds the slot, so questions arriving meanwhile wait for its result.
        let (tx, rx) = oneshot::channel();
        let this = self.clone();
        tokio::spawn(async move {
            let r = tokio::time::timeout(CONNECT_TIMEOUT, this.connect())
                .await
                .unwrap_or_else(|_| {
                    Err(EncryptedError::Connect(io::Error::new(
                        io::ErrorKind::TimedOut,
                        format!("no connection within {} s", CONNECT_TIMEOUT.as_secs()),
                    )))
                });
            match &r {
                Ok(l) => {
                    slot.failed = None;
                    slot.live = Some(l.clone());
                }
                Err(e) => {
                    this.note(e);
                    slot.failed = Some((Instant::now(), e.to_string()));
                }
            }
            drop(slot);
            let _ = tx.send(r);
        });
        match rx.await {
            Ok(r) => r.map(|l| (l, true)),
            Err(_) => Err(EncryptedError::Closed),
        }
    }

    /// Log a failure, count TLS and HTTP ones, and warn once in the status about a refused
    /// certificate. TLS and HTTP failures are configuration problems worth a warning (at most
    /// one a minute per upstream); an unreachable server is the failover's business (debug).
    fn note(&self, e: &EncryptedError) {
        if !e.is_tls_or_http() {
            tracing::debug!(upstream = %self.label, error = %e, "DNS: encrypted upstream failed");
            return;
        }
        bump(&self.status.dns_upstream_tls_errors);
        let held = self.log.check();
        match e {
            // The status warning is logged too: the first refusal is logged once, plainly.
            EncryptedError::Certificate(reason)
                if !self.cert_warned.swap(true, Ordering::Relaxed) =>
            {
                self.status.warn(crate::status::StatusWords::new(
                    "dns-cert-refused",
                    [
                        ("upstream", self.label.to_string()),
                        ("name", self.name.to_string()),
                        ("error", reason.to_string()),
                    ],
                ))
            }
            _ => {
                if let Some(held_back) = held {
                    tracing::warn!(
                        upstream = %self.label,
                        error = %e,
                        held_back,
                        "DNS: encrypted upstream failed"
                    );
                }
            }
        }
    }

    /// Look up, connect, shake hands.
    async fn connect(self: &Arc<Self>) -> Result<Live, EncryptedError> {
        let tls = self.connect_tls().await?;
        self.connections.fetch_add(1, Ordering::Relaxed);
        let live = match &self.kind {
            Kind::Dot => Live::Dot(DotConn::start(tls, self.status.clone(), self.idle_close)),
            Kind::Doh(_) => Live::Doh(DohConn::start(tls, self.idle_close).await?),
        };
        tracing::debug!(upstream = %self.label, "DNS: connected to the encrypted upstream");
        Ok(live)
    }

    async fn connect_tls(&self) -> Result<TlsStream<TcpStream>, EncryptedError> {
        let addrs: Vec<SocketAddr> = match &self.target {
            Target::Addr(a) => vec![*a],
            Target::Host(host, port) => tokio::net::lookup_host((host.as_str(), *port))
                .await
                .map_err(|e| EncryptedError::Resolve {
                    host: host.clone(),
                    reason: e.to_string(),
                })?
                .collect(),
        };
        let mut last = io::Error::new(io::ErrorKind::NotFound, "the name has no address");
        let mut tcp = None;
        for a in addrs {
            match TcpStream::connect(a).await {
                Ok(s) => {
                    tcp = Some(s);
                    break;
                }
                Err(e) => last = e,
            }
        }
        let tcp = tcp.ok_or(EncryptedError::Connect(last))?;
        // Questions are small and each one waits for its answer: no Nagle delay.
        let _ = tcp.set_nodelay(true);
        self.connector
            .connect(self.server_name.clone(), tcp)
            .await
            .map_err(|e| match tls::handshake_problem(&e) {
                HandshakeProblem::Certificate(r) => EncryptedError::Certificate(r),
                HandshakeProblem::Tls(r) => EncryptedError::Tls(r),
                HandshakeProblem::Io => EncryptedError::Connect(e),
            })
    }
}

/// What the tasks of one connection and its questions share.
struct Health {
    closed: CancellationToken,
    born: Instant,
    /// Milliseconds after `born` of the last question.
    last_used_ms: AtomicU64,
    in_flight: AtomicUsize,
    /// Questions given up in a row since the last answer.
    abandoned: AtomicU32,
}

impl Health {
    fn new() -> Arc<Health> {
        Arc::new(Health {
            closed: CancellationToken::new(),
            born: Instant::now(),
            last_used_ms: AtomicU64::new(0),
            in_flight: AtomicUsize::new(0),
            abandoned: AtomicU32::new(0),
        })
    }

    fn begin(&self) -> InFlight<'_> {
        self.in_flight.fetch_add(1, Ordering::Relaxed);
        self.last_used_ms
            .store(self.born.elapsed().as_millis() as u64, Ordering::Relaxed);
        InFlight {
            health: self,
            answered: false,
        }
    }

    fn idle_for(&self) -> Option<Duration> {
        if self.in_flight.load(Ordering::Relaxed) > 0 {
            return None;
        }
        let last = Duration::from_millis(self.last_used_ms.load(Ordering::Relaxed));
        Some(self.born.elapsed().saturating_sub(last))
    }
}

/// One question on a connection; dropped unanswered it counts towards [`STALL_LIMIT`].
struct InFlight<'a> {
    health: &'a Health,
    answered: bool,
}

impl InFlight<'_> {
    fn answered(&mut self) {
        self.answered = true;
        self.health.abandoned.store(0, Ordering::Relaxed);
    }
}

impl Drop for InFlight<'_> {
    fn drop(&mut self) {
        self.health.in_flight.fetch_sub(1, Ordering::Relaxed);
        if !self.answered
            && self.health.abandoned.fetch_add(1, Ordering::Relaxed) + 1 >= STALL_LIMIT
        {
            self.health.closed.cancel();
        }
    }
}

/// A DNS-over-TLS connection: a writer task sends the framed questions as they come, a reader
/// task hands each answer to the question with its id.
struct DotConn {
    tx: mpsc::Sender<Vec<u8>>,
    health: Arc<Health>,
    waiters: Arc<parking_lot::Mutex<Waiters>>,
}

/// Questions waiting for an answer, by the id used on the wire.
#[derive(Default)]
struct Waiters {
    by_id: HashMap<u16, oneshot::Sender<Vec<u8>>>,
    next: u16,
}

impl DotConn {
    fn start(tls: TlsStream<TcpStream>, status: Arc<Status>, idle_close: Duration) -> Arc<DotConn> {
        let (rd, wr) = tokio::io::split(tls);
        // Never full: the upstream's slots bound the questions in flight.
        let (tx, rx) = mpsc::channel(MAX_OUTSTANDING);
        let health = Health::new();
        let waiters = Arc::new(parking_lot::Mutex::new(Waiters::default()));
        tokio::spawn(dot_writer(
            wr,
            rx,
            health.clone(),
            waiters.clone(),
            idle_close,
        ));
        tokio::spawn(dot_reader(rd, health.clone(), waiters.clone(), status));
        Arc::new(DotConn {
            tx,
            health,
            waiters,
        })
    }

    async fn ask(&self, query: &[u8]) -> Result<Vec<u8>, EncryptedError> {
        let mut flight = self.health.begin();
        let (tx, rx) = oneshot::channel();
        let id = {
            let mut w = self.waiters.lock();
            // At most MAX_OUTSTANDING ids are taken, so a free one is near.
            let mut id = w.next;
            while w.by_id.contains_key(&id) {
                id = id.wrapping_add(1);
            }
            w.next = id.wrapping_add(1);
            w.by_id.insert(id, tx);
            id
        };
        let _forget = Forget {
            waiters: &self.waiters,
            id,
        };
        let padded = padded(query);
        let query = padded.as_deref().unwrap_or(query);
        let mut framed = Vec::with_capacity(query.len() + 2);
        framed.extend_from_slice(&(query.len() as u16).to_be_bytes());
        framed.extend_from_slice(&id.to_be_bytes());
        framed.extend_from_slice(&query[2..]);
        self.tx
            .send(framed)
            .await
            .map_err(|_| EncryptedError::Closed)?;
        let answer = tokio::select! {
            a = rx => a.map_err(|_| EncryptedError::Closed)?,
            _ = self.health.closed.cancelled() => return Err(EncryptedError::Closed),
        };
        flight.answered();
        Ok(answer)
    }
}

/// Removes a question's waiter when the question ends (answered, timed out or dropped).
struct Forget<'a> {
    waiters: &'a parking_lot::Mutex<Waiters>,
    id: u16,
}

impl Drop for Forget<'_> {
    fn drop(&mut self) {
        self.waiters.lock().by_id.remove(&self.id);
    }
}

async fn dot_writer(
    mut wr: WriteHalf<TlsStream<TcpStream>>,
    mut rx: mpsc::Receiver<Vec<u8>>,
    health: Arc<Health>,
    waiters: Arc<parking_lot::Mutex<Waiters>>,
    idle_close: Duration,
) {
    loop {
        tokio::select! {
            _ = health.closed.cancelled() => break,
            m = rx.recv() => {
                let Some(first) = m else { break };
                // Everything queued goes out before one flush.
                let mut ok = wr.write_all(&first).await.is_ok();
                while ok {
                    match rx.try_recv() {
                        Ok(more) => ok = wr.write_all(&more).await.is_ok(),
                        Err(_) => break,
                    }
                }
                if !ok || wr.flush().await.is_err() {
                    break;
                }
            }
            _ = tokio::time::sleep(IDLE_CHECK) => {
                if health.idle_for().is_some_and(|d| d >= idle_close) {
                    break;
                }
            }
        }
    }
    health.closed.cancel();
    waiters.lock().by_id.clear();
    // A polite close (TLS close_notify), not waited for long.
    let _ = tokio::time::timeout(Duration::from_secs(1), wr.shutdown()).await;
}

async fn dot_reader(
    mut rd: ReadHalf<TlsStream<TcpStream>>,
    health: Arc<Health>,
    waiters: Arc<parking_lot::Mutex<Waiters>>,
    status: Arc<Status>,
) {
    loop {
        let frame = tokio::select! {
            _ = health.closed.cancelled() => break,
            f = read_frame(&mut rd) => f,
        };
        let Ok(msg) = frame else { break };
        if msg.len() < HEADER_LEN {
            bump(&status.dns_upstream_malformed);
            continue;
        }
        let id = u16::from_be_bytes([msg[0], msg[1]]);
        let waiter = waiters.lock().by_id.remove(&id);
        match waiter {
            Some(w) => {
                let _ = w.send(msg);
            }
            // Late (its question gave up) or never asked.
            None => bump(&status.dns_upstream_mismatched),
        }
    }
    health.closed.cancel();
    waiters.lock().by_id.clear();
}

/// One length-prefixed message (RFC 1035 §4.2.2).
async fn read_frame(rd: &mut ReadHalf<TlsStream<TcpStream>>) -> io::Result<Vec<u8>> {
    let len = usize::from(rd.read_u16().await?);
    let mut msg = vec![0u8; len];
    rd.read_exact(&mut msg).await?;
    Ok(msg)
}

/// A DNS-over-HTTPS connection: HTTP/2, one stream per question.
struct DohConn {
    send: http2::SendRequest<Full<Bytes>>,
    health: Arc<Health>,
}

impl DohConn {
    async fn start(
        tls: TlsStream<TcpStream>,
        idle_close: Duration,
    ) -> Result<Arc<DohConn>, EncryptedError> {
        if tls.get_ref().1.alpn_protocol() != Some(b"h2") {
            return Err(EncryptedError::Protocol(
                "the server does not offer HTTP/2 (ALPN h2)".into(),
            ));
        }
        let (send, conn) = http2::Builder::new(TokioExecutor::new())
            .timer(TokioTimer::new())
            // Notice a dead connection while questions wait on it.
            .keep_alive_interval(Duration::from_secs(10))
            .keep_alive_timeout(Duration::from_secs(5))
            .max_header_list_size(16 * 1024)
            .handshake(TokioIo::new(tls))
            .await
            .map_err(|e| EncryptedError::Protocol(e.to_string()))?;
        let health = Health::new();
        let h = health.clone();
        tokio::spawn(async move {
            tokio::pin!(conn);
            loop {
                tokio::select! {
                    r = &mut conn => {
                        if let Err(e) = r {
                            tracing::debug!(error = %e, "DNS: HTTP/2 connection ended");
                        }
                        break;
                    }
                    _ = h.closed.cancelled() => break,
                    _ = tokio::time::sleep(IDLE_CHECK) => {
                        if h.idle_for().is_some_and(|d| d >= idle_close) {
                            break;
                        }
                    }
                }
            }
            h.closed.cancel();
        });
        Ok(Arc::new(DohConn { send, health }))
    }

    async fn ask(&self, query: &[u8], uri: &hyper::Uri) -> Result<Vec<u8>, EncryptedError> {
        let mut flight = self.health.begin();
        let mut body = padded(query).unwrap_or_else(|| query.to_vec());
        // RFC 8484 §4.1: id 0, so that identical questions are identical requests.
        body[..2].fill(0);
        let req = hyper::Request::post(uri.clone())
            .header(CONTENT_TYPE, DNS_MESSAGE)
            .header(ACCEPT, DNS_MESSAGE)
            .body(Full::new(Bytes::from(body)))
            .map_err(|e| EncryptedError::Protocol(e.to_string()))?;
        let mut send = self.send.clone();
        send.ready().await.map_err(hyper_error)?;
        let resp = send.send_request(req).await.map_err(hyper_error)?;
        if resp.status() != hyper::StatusCode::OK {
            return Err(EncryptedError::Http(resp.status().as_u16()));
        }
        let ctype = resp
            .headers()
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        if !ctype.eq_ignore_ascii_case(DNS_MESSAGE) {
            return Err(EncryptedError::NotDns(ctype.chars().take(60).collect()));
        }
        let body = Limited::new(resp.into_body(), MAX_MESSAGE)
            .collect()
            .await
            .map_err(|e| {
                if e.is::<http_body_util::LengthLimitError>() {
                    EncryptedError::TooBig
                } else {
                    EncryptedError::Protocol(e.to_string())
                }
            })?
            .to_bytes();
        flight.answered();
        if body.len() < HEADER_LEN {
            return Err(EncryptedError::Malformed);
        }
        Ok(body.to_vec())
    }
}

/// `query` with an EDNS Padding option that makes it a multiple of [`PAD_BLOCK`] bytes, when
/// its last record is an OPT record without padding; `None` otherwise (a query without EDNS
/// is sent as it is: adding EDNS would change what it asks for).
fn padded(query: &[u8]) -> Option<Vec<u8>> {
    let count = |at: usize| u16::from_be_bytes([query[at], query[at + 1]]);
    let (questions, records) = (count(4), count(6) + count(8) + count(10));
    let mut pos = HEADER_LEN;
    for _ in 0..questions {
        pos = wire::skip_name(query, pos).ok()? + 4;
    }
    let mut found = Vec::new();
    let end = wire::walk_records(query, pos, records, &mut found).ok()?;
    let opt = found
        .last()
        .filter(|r| r.rtype == TYPE_OPT && end == query.len())?;
    // RDLENGTH follows TTL; the options follow RDLENGTH.
    let rdlen_at = opt.ttl_at + 4;
    let mut o = rdlen_at + 2;
    while o + 4 <= opt.end {
        if count(o) == OPT_PADDING {
            return None;
        }
        o += 4 + usize::from(count(o + 2));
    }
    let unpadded = query.len() + 4;
    let pad = (PAD_BLOCK - unpadded % PAD_BLOCK) % PAD_BLOCK;
    let rdlen = u16::try_from(opt.end - rdlen_at - 2 + 4 + pad).ok()?;
    if unpadded + pad > MAX_MESSAGE {
        return None;
    }
    let mut out = Vec::with_capacity(unpadded + pad);
    out.extend_from_slice(query);
    out[rdlen_at..rdlen_at + 2].copy_from_slice(&rdlen.to_be_bytes());
    out.extend_from_slice(&OPT_PADDING.to_be_bytes());
    out.extend_from_slice(&(pad as u16).to_be_bytes());
    out.resize(unpadded + pad, 0);
    Some(out)
}

fn hyper_error(e: hyper::Error) -> EncryptedError {
    if e.is_closed() || e.is_canceled() {
        EncryptedError::Closed
    } else {
        EncryptedError::Protocol(e.to_string())
    }
}

#[cfg(test)]
mod tests {
    use std::net::Ipv4Addr;

    use hickory_proto::op::{Message, Query};
    use hickory_proto::rr::{Name, RData, RecordType};

    use super::*;
    use crate::test_tls::{EncryptedDnsServer, ServerOptions, TestCa};

    const T: Duration = Duration::from_secs(3);

    fn query(id: u16, name: &str) -> Vec<u8> {
        let mut m = Message::query();
        m.metadata.id = id;
        m.metadata.recursion_desired = true;
        m.add_query(Query::query(Name::from_ascii(name).unwrap(), RecordType::A));
        m.to_vec().unwrap()
    }

    fn first_a(answer: &[u8]) -> Option<Ipv4Addr> {
        let m = Message::from_vec(answer).unwrap();
        m.answers.iter().find_map(|r| match &r.data {
            RData::A(a) => Some(a.0),
            _ => None,
        })
    }

    fn upstream(spec: &str, ca_file: Option<&Path>) -> (Encrypted, Arc<Status>) {
        let status = Arc::new(Status::default());
        let spec: UpstreamSpec = spec.parse().unwrap();
        let e = Encrypted::new(&spec, client_config(ca_file).unwrap(), status.clone()).unwrap();
        (e, status)
    }

    fn specs(s: &EncryptedDnsServer, name: &str) -> [String; 2] {
        [
            format!("tls://{}@{name}", s.dot),
            format!("https://{}/dns-query@{name}", s.doh),
        ]
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn many_questions_share_one_connection_and_keep_their_ids() {
        let ca = TestCa::new();
        let server = EncryptedDnsServer::start(&ca, ServerOptions::default()).await;
        // By name, and by the address the certificate also carries.
        let mut all = specs(&server, "test-name").to_vec();
        all.push(format!("tls://{}", server.dot));
        all.push(format!("https://{}/dns-query", server.doh));
        // A host name, looked up with the system's resolver (/etc/hosts here).
        all.push(format!(
            "https://localhost:{}/dns-query@test-name",
            server.doh.port()
        ));
        for spec in all {
            let (up, status) = upstream(&spec, Some(&server.ca_file));
            // More at once than MAX_OUTSTANDING: the rest wait for a slot. The same id
            // several times: ids are the callers' business.
            let n = MAX_OUTSTANDING * 2 + 44;
            let asks = (0..n).map(|i| {
                let q = query(
                    (i % 200) as u16,
                    &format!("q{}.example.test.", i % crate::test_tls::LOCAL_NAMES),
                );
                let up = &up;
                async move { (i, up.ask(&q, T).await) }
            });
            for (i, r) in futures::future::join_all(asks).await {
                let a = r.unwrap_or_else(|e| panic!("{spec} question {i}: {e}"));
                assert_eq!(u16::from_be_bytes([a[0], a[1]]), (i % 200) as u16, "{spec}");
                let want = Ipv4Addr::new(198, 51, 100, (i % crate::test_tls::LOCAL_NAMES) as u8);
                assert_eq!(first_a(&a), Some(want), "{spec} question {i}");
            }
            assert_eq!(up.connections(), 1, "{spec}: one connection for all");
            assert_eq!(status.dns_upstream_tls_errors.load(Ordering::Relaxed), 0);
            assert!(status.snapshot().warnings.is_empty());
        }
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_certificate_for_another_name_is_refused() {
        let ca = TestCa::new();
        let server = EncryptedDnsServer::start(&ca, ServerOptions::default()).await;
        for spec in specs(&server, "wrong-name") {
            let (up, status) = upstream(&spec, Some(&server.ca_file));
            let e = up.ask(&query(7, "www.example.test."), T).await.unwrap_err();
            let EncryptedError::Certificate(reason) = &e else {
                panic!("{spec}: {e}")
            };
            assert!(reason.contains("wrong-name"), "{spec}: {reason}");
            assert_eq!(status.dns_upstream_tls_errors.load(Ordering::Relaxed), 1);
            let warnings = status.snapshot().warnings;
            assert_eq!(warnings.len(), 1, "{warnings:?}");
            assert!(
                warnings[0].contains(&spec) && warnings[0].contains("certificate"),
                "{warnings:?}"
            );
            // Right after, the failure is not retried: no new handshake, no new count.
            let e = up.ask(&query(8, "www.example.test."), T).await.unwrap_err();
            assert!(matches!(e, EncryptedError::Down(_)), "{e}");
            // After the pause it is retried, refused again, counted again, warned once.
            tokio::time::sleep(RECONNECT_PAUSE).await;
            let e = up.ask(&query(9, "www.example.test."), T).await.unwrap_err();
            assert!(matches!(e, EncryptedError::Certificate(_)), "{e}");
            assert_eq!(status.dns_upstream_tls_errors.load(Ordering::Relaxed), 2);
            assert_eq!(status.snapshot().warnings.len(), 1);
            assert_eq!(up.connections(), 0);
        }
        // A certificate from an authority not trusted (no tls_ca_file): refused too.
        for spec in specs(&server, "test-name") {
            let (up, status) = upstream(&spec, None);
            let e = up.ask(&query(7, "www.example.test."), T).await.unwrap_err();
            assert!(
                matches!(&e, EncryptedError::Certificate(r) if r.contains("trusted authority")),
                "{spec}: {e}"
            );
            assert_eq!(status.dns_upstream_tls_errors.load(Ordering::Relaxed), 1);
        }
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn connections_closed_by_the_server_are_opened_again() {
        let ca = TestCa::new();
        // unbound closes connections idle for 200 ms.
        let mut server = EncryptedDnsServer::start(
            &ca,
            ServerOptions {
                idle_ms: 200,
                ..ServerOptions::default()
            },
        )
        .await;
        let ups: Vec<_> = specs(&server, "test-name")
            .iter()
            .map(|s| upstream(s, Some(&server.ca_file)).0)
            .collect();
        for up in &ups {
            up.ask(&query(1, "www.example.test."), T).await.unwrap();
            tokio::time::sleep(Duration::from_millis(800)).await;
            let a = up.ask(&query(2, "www.example.test."), T).await.unwrap();
            assert_eq!(first_a(&a), Some(Ipv4Addr::new(192, 0, 2, 10)));
            assert_eq!(up.connections(), 2, "{}", up.label());
        }
        // The server goes away and comes back on the same port.
        server.stop();
        for up in &ups {
            assert!(up.ask(&query(3, "www.example.test."), T).await.is_err());
        }
        server.restart().await;
        tokio::time::sleep(RECONNECT_PAUSE).await;
        for up in &ups {
            let a = up.ask(&query(4, "www.example.test."), T).await.unwrap();
            assert_eq!(u16::from_be_bytes([a[0], a[1]]), 4);
            assert_eq!(up.connections(), 3, "{}", up.label());
        }
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn idle_connections_are_closed_by_us() {
        let ca = TestCa::new();
        let server = EncryptedDnsServer::start(&ca, ServerOptions::default()).await;
        for spec in specs(&server, "test-name") {
            let (mut up, _) = upstream(&spec, Some(&server.ca_file));
            up.set_idle_close(Duration::from_millis(300));
            up.ask(&query(1, "www.example.test."), T).await.unwrap();
            let live = up.inner.slot.lock().await.live.clone().unwrap();
            tokio::time::sleep(Duration::from_millis(1_200)).await;
            assert!(!live.is_open(), "{spec}: closed after 300 ms idle");
            up.ask(&query(2, "www.example.test."), T).await.unwrap();
            assert_eq!(up.connections(), 2);
        }
    }

    fn edns_query(id: u16, name: &str) -> Vec<u8> {
        let mut question = wire::text_to_name(name).unwrap();
        question.extend_from_slice(&[0, 1, 0, 1]);
        wire::upstream_query(id, &question, wire::Want::default())
    }

    #[test]
    fn edns_queries_are_padded_to_the_block() {
        let long = format!("{}end", "y.".repeat(100));
        for name in ["a.test", "www.example.test", &"x".repeat(60), &long] {
            let q = edns_query(9, name);
            let p = padded(&q).unwrap();
            assert_eq!(p.len() % PAD_BLOCK, 0, "{name}");
            assert!(p.len() >= q.len() + 4);
            let m = Message::from_vec(&p).unwrap();
            assert_eq!(m.metadata.id, 9);
            assert_eq!(m.queries[0].name().to_ascii(), format!("{name}."));
            let edns = m.edns.unwrap();
            assert_eq!(edns.max_payload(), wire::EDNS_PAYLOAD);
            assert!(
                edns.options()
                    .as_ref()
                    .iter()
                    .any(|(code, _)| *code == hickory_proto::rr::rdata::opt::EdnsCode::Padding),
                "{name}"
            );
            // Padded once only.
            assert_eq!(padded(&p), None);
        }
        // Without EDNS, nothing is added.
        assert_eq!(padded(&query(1, "www.example.test.")), None);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn padded_questions_get_padded_answers() {
        let ca = TestCa::new();
        let server = EncryptedDnsServer::start(&ca, ServerOptions::default()).await;
        for spec in specs(&server, "test-name") {
            let (up, _) = upstream(&spec, Some(&server.ca_file));
            let a = up.ask(&edns_query(5, "www.example.test"), T).await.unwrap();
            assert_eq!(first_a(&a), Some(Ipv4Addr::new(192, 0, 2, 10)), "{spec}");
            // unbound pads its DoT answers to padded questions to 468 bytes (RFC 8467); its
            // DoH answers it does not pad (1.17).
            if spec.starts_with("tls://") {
                assert_eq!(a.len() % 468, 0, "{spec}: {} bytes", a.len());
            }
        }
    }

    /// A DoT server of our own that answers a batch of questions in reverse order (unbound
    /// answers in order when it can), echoing each question with QR set.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn answers_out_of_order_reach_their_questions() {
        let ca = TestCa::new();
        let leaf = ca.issue(&["test-name"]);
        let acceptor = tokio_rustls::TlsAcceptor::from(leaf.server_config(&[]));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        const BATCH: usize = 5;
        let server = tokio::spawn(async move {
            let (tcp, _) = listener.accept().await.unwrap();
            let mut s = acceptor.accept(tcp).await.unwrap();
            let mut got = Vec::new();
            while got.len() < BATCH {
                let len = s.read_u16().await.unwrap();
                let mut q = vec![0u8; usize::from(len)];
                s.read_exact(&mut q).await.unwrap();
                got.push(q);
            }
            for mut q in got.into_iter().rev() {
                q[2] |= 0x80;
                s.write_all(&(q.len() as u16).to_be_bytes()).await.unwrap();
                s.write_all(&q).await.unwrap();
            }
            s.flush().await.unwrap();
            // Keep the connection open until the test ends.
            let _ = s.read_u16().await;
        });
        let dir = std::env::temp_dir().join(format!("wf-ooo-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let ca_file = ca.write(&dir);
        let (up, _) = upstream(&format!("tls://{addr}@test-name"), Some(&ca_file));
        let asks = (0..BATCH).map(|i| {
            let q = query(1000 + i as u16, &format!("n{i}.example.test."));
            let up = &up;
            async move { (i, up.ask(&q, T).await.unwrap()) }
        });
        for (i, a) in futures::future::join_all(asks).await {
            let m = Message::from_vec(&a).unwrap();
            assert_eq!(m.metadata.id, 1000 + i as u16);
            assert_eq!(
                m.queries[0].name().to_ascii(),
                format!("n{i}.example.test.")
            );
        }
        server.abort();
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
