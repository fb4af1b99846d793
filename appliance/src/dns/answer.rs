//! The structured event each DNS answer becomes, and the bounded queue it travels in.

use std::net::IpAddr;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use hickory_proto::op::ResponseCode;
use hickory_proto::rr::RecordType;
use tokio::sync::mpsc;

use crate::model::{DeviceId, Domain};
use crate::status::{bump, Status};

/// One answer the forwarder gave a device.
#[derive(Clone, Debug, PartialEq)]
pub struct DnsAnswer {
    /// The device that asked (source address of the query).
    pub device: DeviceId,
    /// The name it asked for.
    pub qname: Domain,
    /// The record type it asked for.
    pub qtype: RecordType,
    /// The response code sent back.
    pub rcode: ResponseCode,
    /// CNAME targets in the order the answer lists them (empty when none).
    pub chain: Vec<Domain>,
    /// A and AAAA addresses in the answer.
    pub addrs: Vec<IpAddr>,
    /// Smallest TTL among the answer's records, in seconds (0 when it has none).
    pub ttl: u32,
    /// When the answer was sent.
    pub at: DateTime<Utc>,
    /// The name was blocked (`dns::block`): the device got 0.0.0.0 / `::` (or no
    /// records for other types) instead of the real answer.
    pub blocked: bool,
    /// How many identical answers this event stands for: 1, or more when the forwarder
    /// folded a device's repeated look-ups into one event (`dns::repeats`).
    pub repeats: u32,
}

/// The sending end of the answer queue. Never blocks: a full queue drops the event and
/// counts it in [`Status::dns_events_dropped`].
#[derive(Clone, Debug)]
pub struct AnswerSink {
    tx: mpsc::Sender<DnsAnswer>,
    status: Arc<Status>,
}

impl AnswerSink {
    /// A queue holding at most `capacity` answers, and its receiving end.
    pub fn channel(capacity: usize, status: Arc<Status>) -> (Self, mpsc::Receiver<DnsAnswer>) {
        let (tx, rx) = mpsc::channel(capacity);
        (AnswerSink { tx, status }, rx)
    }

    /// Queue an answer without waiting.
    pub fn send(&self, answer: DnsAnswer) {
        if self.tx.try_send(answer).is_err() {
            bump(&self.status.dns_events_dropped);
        }
    }
}
