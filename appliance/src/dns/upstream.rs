//! The upstream servers: asking them, failing over, and remembering which are down.
//!
//! Each upstream gets a few long-lived connected UDP sockets. Long-lived sockets save the
//! bind/close system calls a socket per query would cost (that is most of a forwarder's
//! work when nothing is cached). The price is less source-port randomness against spoofing:
//! responses must still come from the upstream's address (the sockets are connected), match
//! a random 16-bit id, and echo the question, so a blind attacker has to guess id and port
//! among [`SOCKETS_PER_UPSTREAM`] while racing a nearby upstream.
//!
//! No task waits for an answer. A question becomes a [`Job`] parked in the asking socket's
//! table under its upstream id; whoever reads that socket's response (see
//! [`Upstreams::on_response`]) takes the job out and either finishes it or moves it on to
//! the next upstream, and a periodic sweep ([`Upstreams::sweep`], every [`SWEEP_EVERY`])
//! does the same for jobs whose attempt timed out. A cache miss therefore costs no task, no
//! channel and no wake-up besides the socket's own: that was most of a miss's cost when each
//! question had a task of its own waiting on a oneshot.
//!
//! Failover: upstreams are tried in the configured order, each for `upstream_timeout_ms`,
//! and the whole attempt ends after [`TOTAL_BUDGET`] so every client gets an answer (maybe
//! SERVFAIL) within two seconds. An upstream that times out is marked down and skipped,
//! so a dead first upstream costs one timeout, not one per query. A down upstream is probed
//! in the background with a copy of a real query (after 1 s, then doubling up to 30 s) and
//! taken back when it answers. When every upstream is down they are all tried anyway, so
//! service resumes as soon as one returns.

use std::borrow::Cow;
use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use parking_lot::Mutex;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpStream, UdpSocket};
use tokio::sync::{oneshot, Notify, OwnedSemaphorePermit};
use tokio_util::task::TaskTracker;

use super::batch;
use super::ratelimit::LogLimiter;
use super::wire::{self, rcode, HEADER_LEN};
use super::DnsError;

/// Sockets per upstream: more add source-port entropy against spoofing, fewer make bigger
/// `recvmmsg` batches and fewer wake-ups. With 8, uncached throughput was about 10-15 %
/// lower than with 4 (bench/dns/run.sh); 2 was no faster than 4.
pub const SOCKETS_PER_UPSTREAM: usize = 4;
/// Longest any client waits for an upstream answer, all upstreams together.
pub const TOTAL_BUDGET: Duration = Duration::from_millis(1_900);
/// How often timed-out attempts are looked for. An attempt may run this much past its
/// timeout, which [`TOTAL_BUDGET`] leaves room for within the two seconds promised.
pub const SWEEP_EVERY: Duration = Duration::from_millis(20);
/// First re-probe delay of a down upstream; doubles up to [`MAX_BACKOFF`].
const FIRST_BACKOFF: Duration = Duration::from_secs(1);
/// Longest delay between re-probes.
const MAX_BACKOFF: Duration = Duration::from_secs(30);
/// Most queries waiting on one socket (ids are 16 bits; leave room to find a free one).
const MAX_PENDING_PER_SOCKET: usize = 16_384;
/// Receive buffer asked for on each upstream socket.
const UPSTREAM_RECV_BUFFER: usize = 1 << 20;
/// Largest UDP response read whole. We advertise [`wire::EDNS_PAYLOAD`], so longer ones
/// break the protocol; they are asked again over TCP.
pub const MAX_UDP_RESPONSE: usize = 4_096;

static LATE: LogLimiter = LogLimiter::new();
static DOWN: LogLimiter = LogLimiter::new();
static SEND_ERR: LogLimiter = LogLimiter::new();

/// Where a job's answer goes.
#[derive(Debug)]
pub enum ReplyTo {
    /// Send it from this listening socket to the job's client.
    Udp(Arc<UdpSocket>),
    /// Hand it to a task waiting for it (TCP clients).
    Wait(oneshot::Sender<Vec<u8>>),
    /// Nowhere: a background probe of a down upstream.
    Probe,
}

/// One client question on its way through the upstreams.
#[derive(Debug)]
pub struct Job {
    /// The client's request as received (one plain question, checked by `parse_query`).
    pub req: Box<[u8]>,
    /// Who asked.
    pub client: SocketAddr,
    /// Where the answer goes.
    pub to: ReplyTo,
    /// End of the question in `req`.
    question_end: usize,
    /// When the client must have its answer, whatever happens.
    deadline: Instant,
    /// When the current attempt times out.
    attempt_deadline: Instant,
    /// The upstream being asked.
    server: usize,
    /// Whether every upstream was down when the question arrived (then all are tried).
    all_down: bool,
    /// A SERVFAIL/REFUSED/NOTIMP answer from an earlier upstream, used if no other answers.
    fallback: Option<Vec<u8>>,
    /// Holds a place among the bounded number of questions waiting for upstreams.
    _slot: Option<OwnedSemaphorePermit>,
}

impl Job {
    /// A job for `req`, which must have passed `parse_query` (else `None`).
    pub fn new(
        req: &[u8],
        client: SocketAddr,
        to: ReplyTo,
        slot: Option<OwnedSemaphorePermit>,
    ) -> Option<Job> {
        let q = wire::parse_query(req).ok()?;
        let now = Instant::now();
        Some(Job {
            question_end: HEADER_LEN + q.question.len(),
            req: req.into(),
            client,
            to,
            deadline: now + TOTAL_BUDGET,
            attempt_deadline: now,
            server: 0,
            all_down: false,
            fallback: None,
            _slot: slot,
        })
    }

    /// The question part of the request (name, type, class).
    pub fn question(&self) -> &[u8] {
        self.req
            .get(HEADER_LEN..self.question_end)
            .unwrap_or_default()
    }
}

/// What became of a job after something happened to it.
#[derive(Debug)]
pub enum Step<'a> {
    /// Nothing to do now: it waits for an upstream (or was a probe, or was unknown).
    Pending,
    /// Finished: answer the client with this checked upstream response (any rcode), or
    /// SERVFAIL when there is none.
    Done(Job, Option<Cow<'a, [u8]>>),
    /// The upstream's UDP answer was truncated: ask it again over TCP
    /// ([`Upstreams::ask_tcp`]) and pass the result to [`Upstreams::after_tcp`].
    Tcp(Job),
}

/// Questions parked and waiting to be sent, so that one `sendmmsg` sends a batch's
/// worth ([`Upstreams::flush`]).
#[derive(Debug, Default)]
pub struct Sends(Vec<Queued>);

#[derive(Debug)]
struct Queued {
    server: usize,
    sock: usize,
    id: u16,
    query: Vec<u8>,
}

impl Sends {
    /// Whether nothing waits to be sent.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Move everything from `other` into this one.
    pub fn append(&mut self, other: &mut Sends) {
        self.0.append(&mut other.0);
    }
}

impl batch::Datagram for Queued {
    fn bytes(&self) -> &[u8] {
        &self.query
    }
    fn to(&self) -> Option<SocketAddr> {
        None
    }
}

/// Whether [`Upstreams::park`] parked a job.
enum Parked {
    Yes,
    No(Job, AskError),
}

/// Why one upstream gave no usable answer.
#[derive(Debug)]
pub enum AskError {
    /// No answer in time.
    Timeout,
    /// The socket or connection failed.
    Io,
    /// The answer does not answer the question.
    Invalid,
    /// Too many questions waiting on that upstream already.
    Busy,
}

/// One socket towards an upstream, and the jobs waiting for its answers by id.
pub struct UpSocket {
    /// The connected socket.
    pub sock: Arc<UdpSocket>,
    waiting: Mutex<HashMap<u16, Job>>,
}

struct Upstream {
    addr: SocketAddr,
    sockets: Vec<UpSocket>,
    next: AtomicUsize,
    down: AtomicBool,
    /// Milliseconds since `epoch` when the next background probe may start.
    next_probe_ms: AtomicU64,
    backoff_ms: AtomicU64,
}

/// The set of upstream servers.
pub struct Upstreams {
    servers: Vec<Upstream>,
    timeout: Duration,
    epoch: Instant,
    tracker: TaskTracker,
    /// Jobs in all the tables together (lets the sweeper sleep when there are none).
    parked: AtomicUsize,
    /// Woken when a job is parked, for the sweeper.
    work: Notify,
}

impl Upstreams {
    /// Open sockets to every upstream. Nothing reads them until someone calls
    /// [`Upstreams::on_response`] with what arrives on [`Upstreams::socket`].
    pub async fn connect(
        addrs: &[SocketAddr],
        timeout: Duration,
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
                // Hundreds of answers can arrive at once; one dropped for want of room costs
                // its client a timeout and a SERVFAIL.
                batch::grow_recv_buffer(&sock, UPSTREAM_RECV_BUFFER);
                sockets.push(UpSocket {
                    sock: Arc::new(sock),
                    waiting: Mutex::new(HashMap::new()),
                });
            }
            servers.push(Upstream {
                addr,
                sockets,
                next: AtomicUsize::new(0),
                down: AtomicBool::new(false),
                next_probe_ms: AtomicU64::new(0),
                backoff_ms: AtomicU64::new(FIRST_BACKOFF.as_millis() as u64),
            });
        }
        Ok(Upstreams {
            servers,
            timeout,
            epoch: Instant::now(),
            tracker,
            parked: AtomicUsize::new(0),
            work: Notify::new(),
        })
    }

    /// Whether there is any upstream at all.
    pub fn is_empty(&self) -> bool {
        self.servers.is_empty()
    }

    /// Every (upstream, socket) pair, for the readers.
    pub fn socket_ids(&self) -> Vec<(usize, usize)> {
        let mut out = Vec::new();
        for (i, s) in self.servers.iter().enumerate() {
            out.extend((0..s.sockets.len()).map(|j| (i, j)));
        }
        out
    }

    /// Socket `sock` of upstream `server`.
    pub fn socket(&self, server: usize, sock: usize) -> Option<&UpSocket> {
        self.servers.get(server)?.sockets.get(sock)
    }

    /// Jobs waiting for an upstream answer right now.
    pub fn parked(&self) -> usize {
        self.parked.load(Ordering::Relaxed)
    }

    /// Resolves when a job may have been parked since the last call (for the sweeper).
    pub async fn work_arrived(&self) {
        self.work.notified().await;
    }

    fn now_ms(&self) -> u64 {
        self.epoch.elapsed().as_millis() as u64
    }

    /// Start a job: send it to the first upstream that takes it.
    /// The question goes into `out`, for [`Upstreams::flush`].
    pub fn submit(&self, mut job: Job, out: &mut Sends) -> Step<'static> {
        job.all_down = self.servers.iter().all(|s| s.down.load(Ordering::Relaxed));
        self.dispatch(job, 0, out)
    }

    /// Ask upstreams from `from` on, in order; returns `Done` when none is left to ask.
    fn dispatch(&self, mut job: Job, from: usize, out: &mut Sends) -> Step<'static> {
        for (i, s) in self.servers.iter().enumerate().skip(from) {
            if !job.all_down && s.down.load(Ordering::Relaxed) {
                self.maybe_probe(i, &job, out);
                continue;
            }
            let now = Instant::now();
            let left = job.deadline.saturating_duration_since(now);
            if left.is_zero() {
                break;
            }
            job.server = i;
            job.attempt_deadline = now + self.timeout.min(left);
            match self.park(job, out) {
                Parked::Yes => return Step::Pending,
                Parked::No(back, e) => {
                    job = back;
                    if !matches!(e, AskError::Busy) {
                        self.mark_down(i, &e);
                    }
                }
            }
        }
        let fallback = job.fallback.take().map(Cow::Owned);
        Step::Done(job, fallback)
    }

    /// Park `job` in one of its upstream's sockets under a fresh id, and queue its question
    /// in `out`.
    fn park(&self, job: Job, out: &mut Sends) -> Parked {
        let server = job.server;
        let Some(s) = self.servers.get(server) else {
            return Parked::No(job, AskError::Busy);
        };
        let j = s.next.fetch_add(1, Ordering::Relaxed) % s.sockets.len().max(1);
        let Some(sock) = s.sockets.get(j) else {
            return Parked::No(job, AskError::Busy);
        };
        {
            let mut w = sock.waiting.lock();
            if w.len() >= MAX_PENDING_PER_SOCKET {
                return Parked::No(job, AskError::Busy);
            }
            let mut id = rand::random::<u16>();
            while w.contains_key(&id) {
                id = rand::random::<u16>();
            }
            out.0.push(Queued {
                server,
                sock: j,
                id,
                query: wire::upstream_query(id, job.question()),
            });
            w.insert(id, job);
            // Counted before the lock is released, so before anyone can take it out (and
            // count it out).
            if self.parked.fetch_add(1, Ordering::Relaxed) == 0 {
                self.work.notify_one();
            }
        }
        Parked::Yes
    }

    /// Send the questions queued in `out`, a socket's worth per system call. A question the
    /// socket refuses fails over at once, like a timeout would; what became of those jobs
    /// comes back (their own questions, if any, are sent too).
    pub fn flush(&self, out: &mut Sends) -> Vec<Step<'static>> {
        let mut steps = Vec::new();
        while !out.0.is_empty() {
            let mut queued = std::mem::take(&mut out.0);
            queued.sort_by_key(|q| (q.server, q.sock));
            let mut failed = Vec::new();
            for group in queued.chunk_by(|a, b| (a.server, a.sock) == (b.server, b.sock)) {
                let Some(first) = group.first() else {
                    continue;
                };
                let Some(sock) = self.socket(first.server, first.sock) else {
                    continue;
                };
                let done = batch::send_now(&sock.sock, group, |i, error| {
                    if let Some(q) = group.get(i) {
                        if let Some(suppressed) = SEND_ERR.check() {
                            tracing::debug!(upstream = ?self.servers.get(q.server).map(|s| s.addr), %error, suppressed, "upstream send failed");
                        }
                        failed.push((q.server, q.sock, q.id));
                    }
                });
                // The socket's send buffer is full (a burst): wait for room off the hot
                // path. The jobs stay parked, so their timeouts still apply.
                let rest: Vec<Vec<u8>> = group.iter().skip(done).map(|q| q.query.clone()).collect();
                if !rest.is_empty() {
                    let sock = sock.sock.clone();
                    self.tracker.spawn(async move {
                        for query in rest {
                            // Failing here is like a lost datagram: the timeout deals with it.
                            let _ = sock.send(&query).await;
                        }
                    });
                }
            }
            for (server, sock, id) in failed {
                let Some(s) = self.socket(server, sock) else {
                    continue;
                };
                // Gone already only if it was answered, which a datagram never sent cannot be.
                if let Some(job) = self.take(s, id) {
                    steps.push(self.failed(job, AskError::Io, out));
                }
            }
        }
        steps
    }

    /// Take the job parked under `id` on `sock`.
    fn take(&self, sock: &UpSocket, id: u16) -> Option<Job> {
        let job = sock.waiting.lock().remove(&id);
        if job.is_some() {
            self.parked.fetch_sub(1, Ordering::Relaxed);
        }
        job
    }

    /// A datagram arrived on socket `sock` of upstream `server`: move its job on. `cut`: it
    /// was longer than the reader's buffer, and `resp` is only its beginning.
    pub fn on_response<'a>(
        &self,
        server: usize,
        sock: usize,
        resp: &'a [u8],
        cut: bool,
        out: &mut Sends,
    ) -> Step<'a> {
        let Some(s) = self.socket(server, sock) else {
            return Step::Pending;
        };
        let job = match resp.get(0..2) {
            Some(b) => self.take(s, u16::from_be_bytes([b[0], b[1]])),
            None => None,
        };
        let Some(job) = job else {
            if let Some(suppressed) = LATE.check() {
                tracing::debug!(
                    suppressed,
                    "upstream response nobody waits for (late or spoofed)"
                );
            }
            return Step::Pending;
        };
        if cut {
            // Longer than we asked for (we advertise EDNS_PAYLOAD): get it whole over TCP.
            return Step::Tcp(job);
        }
        match wire::parse_upstream(resp, job.question()) {
            Err(_) => self.failed(job, AskError::Invalid, out),
            Ok(parts) if parts.truncated && !matches!(job.to, ReplyTo::Probe) => Step::Tcp(job),
            Ok(_) => self.answered(job, Cow::Borrowed(resp), out),
        }
    }

    /// The result of [`Upstreams::ask_tcp`] for a job.
    pub fn after_tcp(
        &self,
        job: Job,
        result: Result<Vec<u8>, AskError>,
        out: &mut Sends,
    ) -> Step<'static> {
        match result {
            Ok(resp) => self.answered(job, Cow::Owned(resp), out),
            Err(e) => self.failed(job, e, out),
        }
    }

    /// Time out every attempt past its deadline; `each` gets what became of each job.
    pub fn sweep(&self, now: Instant, out: &mut Sends, mut each: impl FnMut(Step<'static>)) {
        let mut expired = Vec::new();
        for s in &self.servers {
            for sock in &s.sockets {
                let mut w = sock.waiting.lock();
                if w.is_empty() {
                    continue;
                }
                expired.extend(
                    w.extract_if(|_, job| job.attempt_deadline <= now)
                        .map(|(_, j)| j),
                );
            }
        }
        self.parked.fetch_sub(expired.len(), Ordering::Relaxed);
        for job in expired {
            each(self.failed(job, AskError::Timeout, out));
        }
    }

    /// A checked response (any rcode) for `job` from its upstream.
    fn answered<'a>(&self, mut job: Job, resp: Cow<'a, [u8]>, out: &mut Sends) -> Step<'a> {
        let Some(s) = self.servers.get(job.server) else {
            return Step::Done(job, Some(resp));
        };
        if matches!(job.to, ReplyTo::Probe) {
            s.down.store(false, Ordering::Relaxed);
            s.backoff_ms
                .store(FIRST_BACKOFF.as_millis() as u64, Ordering::Relaxed);
            tracing::info!(upstream = %s.addr, "upstream answers again");
            return Step::Pending;
        }
        self.mark_up(s);
        match wire::response_rcode(&resp) {
            // The server is alive but could not answer this one; another might.
            Some(rcode::SERVFAIL | rcode::REFUSED | rcode::NOTIMP) => {
                job.fallback = Some(resp.into_owned());
                let next = job.server + 1;
                self.dispatch(job, next, out)
            }
            _ => Step::Done(job, Some(resp)),
        }
    }

    /// `job`'s upstream gave no usable answer.
    fn failed(&self, job: Job, e: AskError, out: &mut Sends) -> Step<'static> {
        if matches!(job.to, ReplyTo::Probe) {
            if let Some(s) = self.servers.get(job.server) {
                let next =
                    (s.backoff_ms.load(Ordering::Relaxed) * 2).min(MAX_BACKOFF.as_millis() as u64);
                s.backoff_ms.store(next, Ordering::Relaxed);
            }
            return Step::Pending;
        }
        if !matches!(e, AskError::Busy) {
            self.mark_down(job.server, &e);
        }
        let next = job.server + 1;
        self.dispatch(job, next, out)
    }

    fn mark_up(&self, s: &Upstream) {
        if s.down.swap(false, Ordering::Relaxed) {
            tracing::info!(upstream = %s.addr, "upstream answers again");
        }
        s.backoff_ms
            .store(FIRST_BACKOFF.as_millis() as u64, Ordering::Relaxed);
    }

    fn mark_down(&self, server: usize, e: &AskError) {
        let Some(s) = self.servers.get(server) else {
            return;
        };
        if !s.down.swap(true, Ordering::Relaxed) {
            let backoff = s.backoff_ms.load(Ordering::Relaxed);
            s.next_probe_ms
                .store(self.now_ms() + backoff, Ordering::Relaxed);
            if let Some(suppressed) = DOWN.check() {
                tracing::warn!(upstream = %s.addr, error = ?e, suppressed, "upstream marked down");
            }
        }
    }

    /// Send one background probe of down upstream `server` (a copy of `job`'s question) if
    /// one is due.
    fn maybe_probe(&self, server: usize, job: &Job, out: &mut Sends) {
        let Some(s) = self.servers.get(server) else {
            return;
        };
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
        let start = Instant::now();
        let probe = Job {
            req: job.req.clone(),
            client: job.client,
            to: ReplyTo::Probe,
            question_end: job.question_end,
            deadline: start + self.timeout,
            attempt_deadline: start + self.timeout,
            server,
            all_down: false,
            fallback: None,
            _slot: None,
        };
        if let Parked::No(probe, e) = self.park(probe, out) {
            self.failed(probe, e, out);
        }
    }

    /// Ask `job`'s upstream over a fresh TCP connection (after a truncated UDP answer),
    /// within the job's attempt deadline.
    pub async fn ask_tcp(&self, job: &Job) -> Result<Vec<u8>, AskError> {
        let addr = self
            .servers
            .get(job.server)
            .map(|s| s.addr)
            .ok_or(AskError::Io)?;
        let left = job
            .attempt_deadline
            .saturating_duration_since(Instant::now());
        match tokio::time::timeout(left, ask_tcp(addr, job.question())).await {
            Ok(r) => r,
            Err(_) => Err(AskError::Timeout),
        }
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
