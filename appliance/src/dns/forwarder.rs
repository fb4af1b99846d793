//! The request handler: one query in, one answer out, one event to the correlator.
//!
//! Answering is split in two so the common case costs no task: [`Forwarder::answer_now`]
//! answers from the appliance's own names or the cache (or rejects bad input) right in the
//! socket's read loop. Questions that need an upstream become a [`Job`]: a UDP one is
//! handed over with [`Forwarder::ask_upstream`] and answered, later, by whichever task reads
//! the upstream's response (the readers and the timeout sweeper run from
//! [`Forwarder::spawn_tasks`]); a TCP client waits for its answer with
//! [`Forwarder::answer_upstream`].
//!
//! Every answer to a real question becomes a [`DnsAnswer`], queued *before* the answer is
//! returned for sending: a device cannot open a connection to an address before it has the
//! answer, so the correlator always has the name first.

use std::borrow::Cow;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Instant;

use chrono::Utc;
use hickory_proto::op::ResponseCode;
use hickory_proto::rr::RecordType;
use tokio::net::UdpSocket;
use tokio::sync::{oneshot, OwnedSemaphorePermit};
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

use super::answer::{AnswerSink, DnsAnswer};
use super::batch::send_all;
use super::batch::{RecvBatch, Replies};
use super::cache::{Cache, Entry};
use super::local::LocalNames;
use super::ratelimit::LogLimiter;
use super::upstream::{Job, ReplyTo, Sends, Step, Upstreams, MAX_UDP_RESPONSE, SWEEP_EVERY};
use super::wire::{self, rcode, Query, Reject};
use crate::dns::DnsBlock;
use crate::model::{DeviceId, Domain};
use crate::status::{bump, Status};

static BAD: LogLimiter = LogLimiter::new();
static NO_UPSTREAM: LogLimiter = LogLimiter::new();

/// Query types that make no sense through a forwarder (zone transfers).
const TYPE_IXFR: u16 = 251;
const TYPE_AXFR: u16 = 252;
const CLASS_IN: u16 = 1;

/// What [`Forwarder::answer_now`] decided.
#[derive(Debug)]
pub enum Now {
    /// Send these bytes.
    Reply(Vec<u8>),
    /// Send nothing.
    Drop,
    /// Ask the upstreams ([`Forwarder::ask_upstream`] or [`Forwarder::answer_upstream`]).
    Upstream,
}

/// What a batch of work has to send: questions to upstreams and UDP answers to clients, by
/// listening socket. Whoever handles a batch of datagrams sends it all at the end
/// ([`Forwarder::flush`]), a system call per socket instead of one per datagram.
#[derive(Default)]
pub struct Outbox {
    up: Sends,
    by_socket: Vec<(Arc<UdpSocket>, Replies)>,
}

impl Outbox {
    /// Queue `bytes` for `to`, from `sock`.
    pub fn push(&mut self, sock: &Arc<UdpSocket>, bytes: Vec<u8>, to: SocketAddr) {
        match self
            .by_socket
            .iter_mut()
            .find(|(s, _)| Arc::ptr_eq(s, sock))
        {
            Some((_, msgs)) => msgs.push((bytes, to)),
            None => self.by_socket.push((sock.clone(), vec![(bytes, to)])),
        }
    }
}

/// Why [`Forwarder::ask_upstream`] did not take a question.
#[derive(Debug)]
pub struct NotAQuery;

/// How the query arrived (decides the size limit of the answer).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Transport {
    /// UDP: answers limited by the client's EDNS size, else truncated.
    Udp,
    /// TCP: answers up to 65535 bytes.
    Tcp,
}

/// Answers queries from local names, the cache and the upstreams.
pub struct Forwarder {
    cache: Cache,
    upstreams: Upstreams,
    local: LocalNames,
    sink: AnswerSink,
    status: Arc<Status>,
    tracker: TaskTracker,
    /// DNS blocking of trackers (`dns::block`); `None`: never blocks.
    block: Option<Arc<DnsBlock>>,
}

impl Forwarder {
    /// Put the parts together.
    pub fn new(
        cache: Cache,
        upstreams: Upstreams,
        local: LocalNames,
        sink: AnswerSink,
        status: Arc<Status>,
        tracker: TaskTracker,
    ) -> Forwarder {
        Forwarder {
            cache,
            upstreams,
            local,
            sink,
            status,
            tracker,
            block: None,
        }
    }

    /// Answer trackers and ads as blocked while `block` says so (`dns::block`).
    pub fn with_block(mut self, block: Option<Arc<DnsBlock>>) -> Forwarder {
        self.block = block;
        self
    }

    /// The blocking switch, when it is on for anyone (one atomic load otherwise).
    #[inline]
    fn blocking(&self) -> Option<&DnsBlock> {
        self.block.as_deref().filter(|b| b.active())
    }

    /// Start the tasks that read upstream responses and time out unanswered questions.
    /// After `shutdown` they keep going until every question still waiting is answered
    /// (at most [`super::upstream::TOTAL_BUDGET`]).
    pub fn spawn_tasks(self: &Arc<Self>, shutdown: &CancellationToken) {
        for (server, sock) in self.upstreams.socket_ids() {
            self.tracker
                .spawn(self.clone().read_upstream(server, sock, shutdown.clone()));
        }
        self.tracker.spawn(self.clone().sweep(shutdown.clone()));
    }

    /// Read one upstream socket, finishing or moving on the job each response belongs to.
    async fn read_upstream(
        self: Arc<Self>,
        server: usize,
        sock: usize,
        shutdown: CancellationToken,
    ) {
        let Some(s) = self.upstreams.socket(server, sock) else {
            return;
        };
        // One byte more than the largest response read whole, so a longer one is noticed.
        let mut batch = RecvBatch::new(MAX_UDP_RESPONSE + 1);
        let mut out = Outbox::default();
        let mut stopping = false;
        loop {
            let n = tokio::select! {
                _ = shutdown.cancelled(), if !stopping => {
                    stopping = true;
                    continue;
                }
                // Once stopping, look now and then whether everything is answered.
                _ = tokio::time::sleep(SWEEP_EVERY), if stopping => {
                    if self.upstreams.parked() == 0 {
                        return;
                    }
                    continue;
                }
                r = batch.recv(&s.sock) => match r {
                    Ok(n) => n,
                    // ICMP errors (upstream port closed) surface here on connected sockets;
                    // the waiting query times out and fails over, so just keep reading.
                    Err(_) => continue,
                },
            };
            for i in 0..n {
                let Some((resp, _)) = batch.get(i) else {
                    continue;
                };
                let step =
                    self.upstreams
                        .on_response(server, sock, resp, batch.cut(i), &mut out.up);
                self.step(step, &mut out);
            }
            self.flush(&mut out).await;
        }
    }

    /// Time out upstream attempts, every [`SWEEP_EVERY`] while any are waiting.
    async fn sweep(self: Arc<Self>, shutdown: CancellationToken) {
        let mut stopping = false;
        let mut out = Outbox::default();
        loop {
            if self.upstreams.parked() == 0 {
                if stopping {
                    return;
                }
                tokio::select! {
                    _ = shutdown.cancelled() => stopping = true,
                    _ = self.upstreams.work_arrived() => {}
                }
                continue;
            }
            tokio::select! {
                _ = shutdown.cancelled(), if !stopping => stopping = true,
                _ = tokio::time::sleep(SWEEP_EVERY) => {}
            }
            let mut up = Sends::default();
            self.upstreams
                .sweep(Instant::now(), &mut up, |step| self.step(step, &mut out));
            out.up.append(&mut up);
            self.flush(&mut out).await;
        }
    }

    /// Send everything in `out` (and empty it), following up on questions an upstream
    /// socket refused.
    pub async fn flush(self: &Arc<Self>, out: &mut Outbox) {
        while !out.up.is_empty() {
            for step in self.upstreams.flush(&mut out.up) {
                self.step(step, out);
            }
        }
        for (sock, msgs) in &mut out.by_socket {
            send_all(sock, msgs).await;
        }
    }

    /// Carry out what [`Upstreams`] decided for a job; UDP answers go into `out`.
    fn step(self: &Arc<Self>, step: Step<'_>, out: &mut Outbox) {
        match step {
            Step::Pending => {}
            Step::Done(job, resp) => self.finish(job, resp, out),
            Step::Tcp(job) => {
                let fwd = self.clone();
                self.tracker.spawn(async move {
                    let r = fwd.upstreams.ask_tcp(&job).await;
                    let mut out = Outbox::default();
                    let step = fwd.upstreams.after_tcp(job, r, &mut out.up);
                    fwd.step(step, &mut out);
                    fwd.flush(&mut out).await;
                });
            }
        }
    }

    /// Send a UDP question that [`Forwarder::answer_now`] left for the upstreams; its answer
    /// goes out from `sock` when it comes. `slot` bounds the questions waiting at once.
    /// The question to the upstream, or its SERVFAIL if no upstream takes it, goes into
    /// `out`: the caller must [`Forwarder::flush`] it.
    pub fn ask_upstream(
        self: &Arc<Self>,
        req: &[u8],
        src: SocketAddr,
        sock: &Arc<UdpSocket>,
        slot: OwnedSemaphorePermit,
        out: &mut Outbox,
    ) -> Result<(), NotAQuery> {
        let job = Job::new(req, src, ReplyTo::Udp(sock.clone()), Some(slot)).ok_or(NotAQuery)?;
        let step = self.upstreams.submit(job, &mut out.up);
        self.step(step, out);
        Ok(())
    }

    /// Answer without waiting, if possible.
    pub fn answer_now(&self, req: &[u8], src: SocketAddr, transport: Transport) -> Now {
        let q = match wire::parse_query(req) {
            Ok(q) => q,
            Err(reject) => {
                bump(&self.status.dns_bad_requests);
                if let Some(suppressed) = BAD.check() {
                    tracing::info!(client = %src, len = req.len(), ?reject, suppressed, "bad DNS request");
                }
                return match reject {
                    Reject::Drop => Now::Drop,
                    Reject::Reply { id, flags, rcode } => {
                        Now::Reply(wire::error_reply(id, flags, rcode))
                    }
                };
            }
        };
        if q.edns.is_some_and(|e| e.version > 0) {
            bump(&self.status.dns_queries);
            return Now::Reply(wire::badvers_reply(&q));
        }
        if let Some(entry) = self.local.lookup(&q) {
            return Now::Reply(self.serve(&q, &entry, src, transport, Instant::now()));
        }
        if q.qclass != CLASS_IN || matches!(q.qtype, TYPE_AXFR | TYPE_IXFR) {
            bump(&self.status.dns_queries);
            return Now::Reply(wire::empty_reply(&q, rcode::REFUSED, false));
        }
        // Blocking comes before the cache: a blocked device never gets a cached real answer.
        let block = self.blocking().filter(|b| b.applies_to(src.ip()));
        if let Some(b) = block {
            if b.is_tracker_wire(q.qname()) {
                return Now::Reply(self.serve_blocked(b, &q, src));
            }
        }
        let now = Instant::now();
        if let Some(entry) = self.cache.get(q.question, now) {
            if let Some(b) = block.filter(|b| b.chain_is_tracker(&entry.chain)) {
                return Now::Reply(self.serve_blocked(b, &q, src));
            }
            return Now::Reply(self.serve(&q, &entry, src, transport, now));
        }
        if self.upstreams.is_empty() {
            if let Some(suppressed) = NO_UPSTREAM.check() {
                tracing::warn!(
                    suppressed,
                    "no upstream DNS server configured; answering SERVFAIL"
                );
            }
            return Now::Reply(self.fail(&q, src));
        }
        Now::Upstream
    }

    /// Answer a query that [`Forwarder::answer_now`] sent upstream, waiting for it (TCP).
    pub async fn answer_upstream(self: &Arc<Self>, req: &[u8], src: SocketAddr) -> Option<Vec<u8>> {
        let (tx, rx) = oneshot::channel();
        let job = Job::new(req, src, ReplyTo::Wait(tx), None)?;
        let mut out = Outbox::default();
        let step = self.upstreams.submit(job, &mut out.up);
        self.step(step, &mut out);
        self.flush(&mut out).await;
        // Every job ends in `finish` within the budget (or is dropped at shutdown).
        rx.await.ok()
    }

    /// Answer a job's client: from the upstream response, or SERVFAIL without one. The event
    /// is queued before the answer leaves.
    fn finish(&self, job: Job, resp: Option<Cow<'_, [u8]>>, out: &mut Outbox) {
        let Ok(q) = wire::parse_query(&job.req) else {
            return;
        };
        let transport = match job.to {
            ReplyTo::Udp(_) => Transport::Udp,
            ReplyTo::Wait(_) => Transport::Tcp,
            ReplyTo::Probe => return,
        };
        let bytes = match resp
            .as_deref()
            .and_then(|r| Some((r, wire::parse_upstream(r, q.question).ok()?)))
        {
            Some((resp, parts)) => {
                let entry = Arc::new(Entry::from_response(resp, &parts, true));
                self.cache.put(q.question, entry.clone());
                // Blocking may have been switched on while the question was out; the real
                // answer is cached for the devices it does not apply to.
                match self
                    .blocking()
                    .filter(|b| b.blocks(job.client.ip(), &q, &entry.chain))
                {
                    Some(b) => self.serve_blocked(b, &q, job.client),
                    None => self.serve(&q, &entry, job.client, transport, Instant::now()),
                }
            }
            None => self.fail(&q, job.client),
        };
        match job.to {
            ReplyTo::Udp(sock) => out.push(&sock, bytes, job.client),
            ReplyTo::Wait(tx) => {
                // The TCP client may have gone; nothing to do then.
                let _ = tx.send(bytes);
            }
            ReplyTo::Probe => {}
        }
    }

    /// SERVFAIL, recorded like any other answer.
    fn fail(&self, q: &Query<'_>, src: SocketAddr) -> Vec<u8> {
        bump(&self.status.dns_queries);
        self.emit(q, src, rcode::SERVFAIL, &[], &[], 0);
        wire::empty_reply(q, rcode::SERVFAIL, false)
    }

    /// The blocked answer (0.0.0.0 / `::`), recorded as a blocked answer. Never cached.
    fn serve_blocked(&self, block: &DnsBlock, q: &Query<'_>, src: SocketAddr) -> Vec<u8> {
        bump(&self.status.dns_queries);
        let (bytes, addrs) = block.reply(q);
        let ttl = crate::dns::block::BLOCKED_TTL;
        if let Some(mut event) = self.event(q, src, rcode::NOERROR, &[], &addrs, ttl) {
            event.blocked = true;
            self.sink.send(event);
        }
        bytes
    }

    fn serve(
        &self,
        q: &Query<'_>,
        entry: &Entry,
        src: SocketAddr,
        transport: Transport,
        now: Instant,
    ) -> Vec<u8> {
        bump(&self.status.dns_queries);
        let age = entry.age(now);
        let max = match transport {
            Transport::Udp => q.max_udp_len(),
            Transport::Tcp => usize::from(u16::MAX),
        };
        match entry.reply(q, age, max) {
            Some(bytes) => {
                self.emit(
                    q,
                    src,
                    entry.rcode,
                    &entry.chain,
                    &entry.addrs,
                    entry.min_answer_ttl.saturating_sub(age),
                );
                bytes
            }
            // Too big for UDP: the client retries over TCP, and that answer is the one
            // recorded (this one carries no addresses).
            None => wire::empty_reply(q, entry.rcode, true),
        }
    }

    fn emit(
        &self,
        q: &Query<'_>,
        src: SocketAddr,
        rcode: u8,
        chain: &[Domain],
        addrs: &[std::net::IpAddr],
        ttl: u32,
    ) {
        if let Some(event) = self.event(q, src, rcode, chain, addrs, ttl) {
            self.sink.send(event);
        }
    }

    /// The event for an answer; `None` for names that are not domains.
    fn event(
        &self,
        q: &Query<'_>,
        src: SocketAddr,
        rcode: u8,
        chain: &[Domain],
        addrs: &[std::net::IpAddr],
        ttl: u32,
    ) -> Option<DnsAnswer> {
        // The root name (".") and names with odd bytes are not domains anyone visits.
        let qname = Domain::new(&wire::name_to_text(q.qname())).ok()?;
        Some(DnsAnswer {
            device: DeviceId(src.ip().to_canonical()),
            qname,
            qtype: RecordType::from(q.qtype),
            rcode: ResponseCode::from(0, rcode),
            chain: chain.to_vec(),
            addrs: addrs.to_vec(),
            ttl,
            at: Utc::now(),
            blocked: false,
        })
    }
}
