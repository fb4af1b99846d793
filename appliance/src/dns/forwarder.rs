//! The request handler: one query in, one answer out, one event to the correlator.
//!
//! Answering is split in two so the common case costs no task: [`Forwarder::answer_now`]
//! answers from the appliance's own names or the cache (or rejects bad input) right in the
//! socket's read loop, and only questions that need an upstream go to
//! [`Forwarder::answer_upstream`], which the caller runs as a task.
//!
//! Every answer to a real question becomes a [`DnsAnswer`], queued *before* the answer is
//! returned for sending: a device cannot open a connection to an address before it has the
//! answer, so the correlator always has the name first.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Instant;

use chrono::Utc;
use hickory_proto::op::ResponseCode;
use hickory_proto::rr::RecordType;

use super::answer::{AnswerSink, DnsAnswer};
use super::cache::{Cache, Entry};
use super::local::LocalNames;
use super::ratelimit::LogLimiter;
use super::upstream::Upstreams;
use super::wire::{self, rcode, Query, Reject};
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
    /// Ask the upstreams ([`Forwarder::answer_upstream`]).
    Upstream,
}

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
}

impl Forwarder {
    /// Put the parts together.
    pub fn new(
        cache: Cache,
        upstreams: Upstreams,
        local: LocalNames,
        sink: AnswerSink,
        status: Arc<Status>,
    ) -> Forwarder {
        Forwarder {
            cache,
            upstreams,
            local,
            sink,
            status,
        }
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
        let now = Instant::now();
        if let Some(entry) = self.cache.get(q.question, now) {
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

    /// Answer a query that [`Forwarder::answer_now`] sent upstream.
    pub async fn answer_upstream(
        &self,
        req: &[u8],
        src: SocketAddr,
        transport: Transport,
    ) -> Option<Vec<u8>> {
        let q = wire::parse_query(req).ok()?;
        let Some(resp) = self.upstreams.resolve(q.question).await else {
            return Some(self.fail(&q, src));
        };
        let Ok(parts) = wire::parse_upstream(&resp, q.question) else {
            return Some(self.fail(&q, src));
        };
        let entry = Arc::new(Entry::from_response(&resp, &parts, true));
        self.cache.put(q.question, entry.clone());
        Some(self.serve(&q, &entry, src, transport, Instant::now()))
    }

    /// SERVFAIL, recorded like any other answer.
    fn fail(&self, q: &Query<'_>, src: SocketAddr) -> Vec<u8> {
        bump(&self.status.dns_queries);
        self.emit(q, src, rcode::SERVFAIL, &[], &[], 0);
        wire::empty_reply(q, rcode::SERVFAIL, false)
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
        // The root name (".") and names with odd bytes are not domains anyone visits.
        let Ok(qname) = Domain::new(&wire::name_to_text(q.qname())) else {
            return;
        };
        self.sink.send(DnsAnswer {
            device: DeviceId(src.ip().to_canonical()),
            qname,
            qtype: RecordType::from(q.qtype),
            rcode: ResponseCode::from(0, rcode),
            chain: chain.to_vec(),
            addrs: addrs.to_vec(),
            ttl,
            at: Utc::now(),
        });
    }
}
