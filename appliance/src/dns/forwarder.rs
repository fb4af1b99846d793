//! The request handler: one query in, one answer out, one event to the correlator.
//!
//! Answering is split in two so the common case costs no task: [`Forwarder::answer_now`]
//! answers from the appliance's own names or the cache (or rejects bad input) right in the
//! socket's read loop. A question that needs an upstream joins the flight for the same
//! question, or starts one (`upstream`): a [`Flight`] that asks the upstreams; when it lands,
//! [`Forwarder::land`] caches the answer and answers every client that joined. A UDP client
//! is handed over with [`Forwarder::ask_upstream`], and the flights it starts are polled by
//! the socket's own read loop (no task each, no wake-up of another thread; the answers of
//! flights that land together leave in one system call); a TCP client waits for its answer
//! with [`Forwarder::answer_upstream`], its flight in a task of its own.
//!
//! Every answer to a real question becomes a [`DnsAnswer`], queued *before* the answer is
//! returned for sending: a device cannot open a connection to an address before it has the
//! answer, so the correlator always has the name first.

use std::future::Future;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Instant;

use chrono::Utc;
use hickory_proto::op::ResponseCode;
use hickory_proto::rr::RecordType;
use tokio::net::UdpSocket;
use tokio::sync::{oneshot, OwnedSemaphorePermit};
use tokio_util::task::TaskTracker;

use super::answer::{AnswerSink, DnsAnswer};
use super::batch::{send_all, Replies};
use super::cache::{Cache, Entry};
use super::client_rate::{ClientRate, Verdict};
use super::local::LocalNames;
use super::ratelimit::LogLimiter;
use super::rebind::RebindGuard;
use super::repeats::{Folded, Repeats};
use super::upstream::{Answer, Ask, Joined, ReplyTo, Upstreams, Waiter};
use super::wire::{self, rcode, Query, Reject};
use crate::dns::DnsBlock;
use crate::model::{DeviceId, Domain};
use crate::status::{bump, DnsResult, Status};

static BAD: LogLimiter = LogLimiter::new();
static NO_UPSTREAM: LogLimiter = LogLimiter::new();
static REBIND: LogLimiter = LogLimiter::new();
static OVER_RATE: LogLimiter = LogLimiter::new();

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

/// What a batch of work has to send: UDP answers to clients, by listening socket. Whoever
/// handles a batch of datagrams sends it all at the end ([`Forwarder::flush`]), a system
/// call per socket instead of one per datagram.
#[derive(Default)]
pub struct Outbox {
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
    /// Answers mapping public names to addresses inside the room are refused.
    rebind: RebindGuard,
    /// UDP answers per client per second.
    rate: ClientRate,
}

/// What an answer said, for its event.
struct Said<'a> {
    rcode: u8,
    /// The question's name, when already made (a cache entry's).
    qname: Option<&'a Domain>,
    /// CNAME targets in answer order.
    chain: &'a [Domain],
    /// A and AAAA addresses.
    addrs: &'a [std::net::IpAddr],
    /// Smallest TTL of the answer section, seconds.
    ttl: u32,
}

impl Said<'_> {
    /// An answer with no records.
    fn nothing(rcode: u8) -> Said<'static> {
        Said {
            rcode,
            qname: None,
            chain: &[],
            addrs: &[],
            ttl: 0,
        }
    }
}

/// A question on its way to the upstreams, started by [`Forwarder::ask_upstream`]: whoever
/// started it polls it and hands its end to [`Forwarder::land`].
pub type Flight = Pin<Box<dyn Future<Output = Landed> + Send>>;

/// A flight at its end: the question and what the upstreams answered (`None`: nothing usable
/// in time).
pub struct Landed {
    ask: Ask,
    answer: Option<Answer>,
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
            rebind: RebindGuard::default(),
            rate: ClientRate::new(0),
        }
    }

    /// Refuse rebinding answers as `guard` says (`dns::rebind`).
    pub fn with_rebind_guard(mut self, guard: RebindGuard) -> Forwarder {
        self.rebind = guard;
        self
    }

    /// Limit UDP answers per client (`dns::client_rate`).
    pub fn with_client_rate(mut self, rate: ClientRate) -> Forwarder {
        self.rate = rate;
        self
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

    /// Send everything in `out` (and empty it), after queueing the events of those answers
    /// (held on a UDP read loop's thread, see [`AnswerSink`]).
    pub async fn flush(&self, out: &mut Outbox) {
        self.sink.release();
        for (sock, msgs) in &mut out.by_socket {
            send_all(sock, msgs).await;
        }
        out.by_socket.clear();
    }

    /// Add a client's question to its flight; the flight to start, if there was none.
    fn launch(self: &Arc<Self>, q: &Query<'_>, waiter: Waiter, out: &mut Outbox) -> Option<Flight> {
        match self.upstreams.join(q, waiter) {
            Joined::Merged => None,
            Joined::Started(ask) => Some(self.clone().flight(ask)),
            Joined::Full(waiter) => {
                self.answer(waiter, None, rcode::SERVFAIL, out);
                None
            }
        }
    }

    /// Ask the upstreams `ask`; the flight ends with what they said.
    fn flight(self: Arc<Self>, ask: Ask) -> Flight {
        Box::pin(async move {
            let answer = self.upstreams.resolve(&ask).await;
            Landed { ask, answer }
        })
    }

    /// Cache what a flight brought and answer everyone who joined it (into `out`).
    pub fn land(&self, landed: Landed, out: &mut Outbox) {
        let Landed { ask, answer } = landed;
        let entry = answer.map(|a| Arc::new(Entry::from_response(&a.bytes, &a.parts, true)));
        let rebind = entry
            .as_ref()
            .is_some_and(|e| self.rebind.is_rebind(e.qname.as_ref(), &e.addrs));
        if rebind {
            bump(&self.status.dns_rebind_blocked);
            if let Some(suppressed) = REBIND.check() {
                let name = entry.as_ref().and_then(|e| e.qname.as_ref());
                tracing::warn!(name = ?name.map(Domain::as_str), suppressed, "possible DNS rebinding: a public name answered with an address inside the network; refused");
            }
        }
        let entry = entry.filter(|_| !rebind);
        if let Some(entry) = &entry {
            // Cached before the flight lands: a question arriving in between finds it.
            self.cache.put(&ask.question, ask.want, entry.clone());
        }
        let none_rcode = if rebind {
            rcode::REFUSED
        } else {
            rcode::SERVFAIL
        };
        for waiter in self.upstreams.land(&ask) {
            self.answer(waiter, entry.as_deref(), none_rcode, out);
        }
    }

    /// Hand a UDP question that [`Forwarder::answer_now`] left for the upstreams to its
    /// flight; its answer goes out from `sock` when it comes. `slot` bounds the clients
    /// waiting at once. A SERVFAIL for a question that finds no room goes into `out`: the
    /// caller must [`Forwarder::flush`] it. A flight this question starts is returned: the
    /// caller polls it to its end and hands the result to [`Forwarder::land`].
    pub fn ask_upstream(
        self: &Arc<Self>,
        req: &[u8],
        src: SocketAddr,
        sock: &Arc<UdpSocket>,
        slot: OwnedSemaphorePermit,
        out: &mut Outbox,
    ) -> Result<Option<Flight>, NotAQuery> {
        let q = wire::parse_query(req).map_err(|_| NotAQuery)?;
        let waiter = Waiter {
            req: req.into(),
            client: src,
            to: ReplyTo::Udp(sock.clone()),
            _slot: Some(slot),
        };
        Ok(self.launch(&q, waiter, out))
    }

    /// Answer without waiting, if possible. A cache hit that repeats one `src` got this
    /// period is only counted in `repeats` (UDP read loops pass theirs; see `dns::repeats`
    /// and [`Forwarder::flush_repeats`]).
    pub fn answer_now(
        &self,
        req: &[u8],
        src: SocketAddr,
        transport: Transport,
        repeats: Option<&mut Repeats>,
    ) -> Now {
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
        let now = Instant::now();
        if transport == Transport::Udp {
            match self.rate.check(src.ip(), now) {
                Verdict::Answer => {}
                over => {
                    bump(&self.status.dns_rate_limited);
                    if let Some(suppressed) = OVER_RATE.check() {
                        tracing::info!(client = %src, suppressed, "DNS client over its answer rate (dns.max_answers_per_client_per_sec)");
                    }
                    return match over {
                        // No records, no bigger than the question: a real client asks
                        // again over TCP.
                        Verdict::Slip => Now::Reply(wire::empty_reply(&q, rcode::NOERROR, true)),
                        _ => Now::Drop,
                    };
                }
            }
        }
        if q.edns.is_some_and(|e| e.version > 0) {
            self.status.dns_answered(DnsResult::Other);
            return Now::Reply(wire::badvers_reply(&q));
        }
        if let Some(entry) = self.local.lookup(&q) {
            return Now::Reply(self.serve(&q, &entry, src, transport, now, false));
        }
        if q.qclass != CLASS_IN || matches!(q.qtype, TYPE_AXFR | TYPE_IXFR) {
            self.status.dns_answered(DnsResult::Refused);
            return Now::Reply(wire::empty_reply(&q, rcode::REFUSED, false));
        }
        // Blocking comes before the cache: a blocked device never gets a cached real answer.
        let block = self.blocking().filter(|b| b.applies_to(src.ip()));
        if let Some(b) = block {
            if b.is_tracker_wire(q.qname()) {
                return Now::Reply(self.serve_blocked(b, &q, src));
            }
        }
        if let Some(entry) = self.cache.get(q.question, q.want(), now) {
            bump(&self.status.dns_cache_hits);
            if let Some(b) = block.filter(|b| b.chain_is_tracker(&entry.chain)) {
                return Now::Reply(self.serve_blocked(b, &q, src));
            }
            let folded = repeats.is_some_and(|r| r.fold(src.ip(), q.qtype, &entry));
            return Now::Reply(self.serve(&q, &entry, src, transport, now, folded));
        }
        if self.upstreams.is_empty() {
            if let Some(suppressed) = NO_UPSTREAM.check() {
                tracing::warn!(
                    suppressed,
                    "no upstream DNS server configured; answering SERVFAIL"
                );
            }
            return Now::Reply(self.fail(&q, src, rcode::SERVFAIL));
        }
        Now::Upstream
    }

    /// Answer a query that [`Forwarder::answer_now`] sent upstream, waiting for it (TCP).
    pub async fn answer_upstream(self: &Arc<Self>, req: &[u8], src: SocketAddr) -> Option<Vec<u8>> {
        let q = wire::parse_query(req).ok()?;
        let (tx, rx) = oneshot::channel();
        let waiter = Waiter {
            req: req.into(),
            client: src,
            to: ReplyTo::Wait(tx),
            _slot: None,
        };
        let mut out = Outbox::default();
        if let Some(flight) = self.launch(&q, waiter, &mut out) {
            let fwd = self.clone();
            self.tracker.spawn(async move {
                let landed = flight.await;
                let mut out = Outbox::default();
                fwd.land(landed, &mut out);
                fwd.flush(&mut out).await;
            });
        }
        // Every flight lands within the budget (or is dropped at shutdown).
        rx.await.ok()
    }

    /// Answer a waiting client: from the flight's answer, or an empty answer with
    /// `none_rcode` without one. The event is queued before the answer leaves.
    fn answer(&self, waiter: Waiter, entry: Option<&Entry>, none_rcode: u8, out: &mut Outbox) {
        let Ok(q) = wire::parse_query(&waiter.req) else {
            return;
        };
        let transport = match waiter.to {
            ReplyTo::Udp(_) => Transport::Udp,
            ReplyTo::Wait(_) => Transport::Tcp,
        };
        let bytes = match entry {
            // Blocking may have been switched on while the question was out; the real
            // answer is cached for the devices it does not apply to.
            Some(entry) => match self
                .blocking()
                .filter(|b| b.blocks(waiter.client.ip(), &q, &entry.chain))
            {
                Some(b) => self.serve_blocked(b, &q, waiter.client),
                None => self.serve(&q, entry, waiter.client, transport, Instant::now(), false),
            },
            None => self.fail(&q, waiter.client, none_rcode),
        };
        match waiter.to {
            ReplyTo::Udp(sock) => out.push(&sock, bytes, waiter.client),
            ReplyTo::Wait(tx) => {
                // The TCP client may have gone; nothing to do then.
                let _ = tx.send(bytes);
            }
        }
    }

    /// An empty answer with `rcode` (SERVFAIL, or REFUSED for a rebinding answer), recorded
    /// like any other answer.
    fn fail(&self, q: &Query<'_>, src: SocketAddr, rcode: u8) -> Vec<u8> {
        self.status.dns_answered(DnsResult::of_rcode(rcode.into()));
        self.emit(q, src, &Said::nothing(rcode));
        wire::empty_reply(q, rcode, false)
    }

    /// The blocked answer (0.0.0.0 / `::`), recorded as a blocked answer. Never cached.
    fn serve_blocked(&self, block: &DnsBlock, q: &Query<'_>, src: SocketAddr) -> Vec<u8> {
        self.status.dns_answered(DnsResult::Blocked);
        let (bytes, addrs) = block.reply(q);
        let ttl = crate::dns::block::BLOCKED_TTL;
        let said = Said {
            addrs: &addrs,
            ttl,
            ..Said::nothing(rcode::NOERROR)
        };
        if let Some(mut event) = self.event(q, src, &said) {
            event.blocked = true;
            self.sink.send(event);
        }
        bytes
    }

    /// The answer from `entry`, and its event unless `folded` (counted as a repeat).
    fn serve(
        &self,
        q: &Query<'_>,
        entry: &Entry,
        src: SocketAddr,
        transport: Transport,
        now: Instant,
        folded: bool,
    ) -> Vec<u8> {
        self.status
            .dns_answered(DnsResult::of_rcode(entry.rcode.into()));
        let age = entry.age(now);
        let max = match transport {
            Transport::Udp => q.max_udp_len(),
            Transport::Tcp => usize::from(u16::MAX),
        };
        match entry.reply(q, age, max) {
            Some(bytes) => {
                let said = Said {
                    rcode: entry.rcode,
                    qname: entry.qname.as_ref(),
                    chain: &entry.chain,
                    addrs: &entry.addrs,
                    ttl: entry.min_answer_ttl.saturating_sub(age),
                };
                if !folded {
                    self.emit(q, src, &said);
                }
                bytes
            }
            // Too big for UDP: the client retries over TCP, and that answer is the one
            // recorded (this one carries no addresses).
            None => wire::empty_reply(q, entry.rcode, true),
        }
    }

    /// End a period of `repeats`: each device's repeated answers leave as one event.
    pub fn flush_repeats(&self, repeats: &mut Repeats) {
        let now = Instant::now();
        for Folded {
            device,
            qtype,
            entry,
            repeats,
        } in repeats.drain()
        {
            // Only entries with a name were folded (`serve` sent their first event).
            let Some(qname) = entry.qname.clone() else {
                continue;
            };
            self.sink.send(DnsAnswer {
                device: DeviceId(device.to_canonical()),
                qname,
                qtype: RecordType::from(qtype),
                rcode: ResponseCode::from(0, entry.rcode),
                chain: entry.chain.clone(),
                addrs: entry.addrs.clone(),
                ttl: entry.min_answer_ttl.saturating_sub(entry.age(now)),
                at: Utc::now(),
                blocked: false,
                repeats,
            });
        }
        self.sink.release();
    }

    fn emit(&self, q: &Query<'_>, src: SocketAddr, said: &Said<'_>) {
        if let Some(event) = self.event(q, src, said) {
            self.sink.send(event);
        }
    }

    /// The event for an answer; `None` for names that are not domains.
    fn event(&self, q: &Query<'_>, src: SocketAddr, said: &Said<'_>) -> Option<DnsAnswer> {
        // The root name (".") and names with odd bytes are not domains anyone visits. A cache
        // entry knows its name already (same for every letter case asked).
        let qname = match said.qname {
            Some(d) => d.clone(),
            None => Domain::from_wire_text(&wire::name_to_text(q.qname())).ok()?,
        };
        Some(DnsAnswer {
            device: DeviceId(src.ip().to_canonical()),
            qname,
            qtype: RecordType::from(q.qtype),
            rcode: ResponseCode::from(0, said.rcode),
            chain: said.chain.to_vec(),
            addrs: said.addrs.to_vec(),
            ttl: said.ttl,
            at: Utc::now(),
            blocked: false,
            repeats: 1,
        })
    }
}
