//! The structured event each DNS answer becomes, and the bounded queue it travels in.

use std::cell::RefCell;
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

thread_local! {
    /// Events a UDP read loop holds until its batch of datagrams is answered
    /// ([`AnswerSink::hold_on_this_thread`]); `None` on every other thread.
    static HELD: RefCell<Option<Vec<DnsAnswer>>> = const { RefCell::new(None) };
}

/// The sending end of the answer queue. Never blocks: a full queue drops the event and
/// counts it in [`Status::dns_events_dropped`].
///
/// On a UDP read loop's thread, events are held while a batch of datagrams is answered and
/// queued together just before the answers leave ([`AnswerSink::release`]): the correlator,
/// on another thread, is then woken once per batch instead of once per answer (a wake-up
/// is a system call on each side, which was a good part of the forwarder's CPU per query).
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

    /// Queue an answer without waiting (held until [`AnswerSink::release`] on a thread that
    /// holds).
    pub fn send(&self, answer: DnsAnswer) {
        let unheld = HELD.with(|h| match h.borrow_mut().as_mut() {
            Some(held) => {
                held.push(answer);
                None
            }
            None => Some(answer),
        });
        if let Some(answer) = unheld {
            self.queue(answer);
        }
    }

    /// From now on, hold this thread's events until [`AnswerSink::release`]. For threads
    /// that call `release` before every answer they send (the UDP read loops).
    pub fn hold_on_this_thread() {
        HELD.with(|h| *h.borrow_mut() = Some(Vec::with_capacity(64)));
    }

    /// Queue the events this thread holds (nothing on a thread that does not hold).
    pub fn release(&self) {
        let held = HELD.with(|h| h.borrow_mut().as_mut().map(std::mem::take));
        for answer in held.into_iter().flatten() {
            self.queue(answer);
        }
    }

    fn queue(&self, answer: DnsAnswer) {
        if self.tx.try_send(answer).is_err() {
            bump(&self.status.dns_events_dropped);
        }
    }
}
