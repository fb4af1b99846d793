//! Forged and malformed upstream answers: a fake upstream (UDP and TCP sockets in the test)
//! answers the forwarder's questions with crafted bytes, chosen by the question's first label.
//! Clients get SERVFAIL (or the valid part), never the bad bytes; nothing bad is cached; the
//! status counters tell malformed answers from mismatched ones.
//!
//! The fake upstream echoes the question exactly as it received it, letter case included, so
//! it answers correctly whatever case the forwarder asks in.

mod dns_support;

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex};

use dns_support::*;
use hickory_proto::op::{Message, ResponseCode};
use hickory_proto::rr::RecordType;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, UdpSocket};

/// Records in the big TCP answer: 4000 A records of 16 bytes make it just under 64 KiB.
const BIG_RECORDS: u16 = 4_000;

/// Questions the fake upstream was asked, by first label and transport ("loop/udp").
type Asked = Arc<Mutex<HashMap<String, u32>>>;

/// A fake upstream on 127.0.0.1, UDP and TCP on the same port.
struct FakeUpstream {
    addr: SocketAddr,
    asked: Asked,
}

impl FakeUpstream {
    async fn start() -> FakeUpstream {
        let (udp, tcp) = loop {
            let udp = UdpSocket::bind("127.0.0.1:0").await.unwrap();
            let addr = udp.local_addr().unwrap();
            if let Ok(tcp) = TcpListener::bind(addr).await {
                break (udp, tcp);
            }
        };
        let addr = udp.local_addr().unwrap();
        let asked = Asked::default();
        let a = asked.clone();
        tokio::spawn(async move {
            let mut buf = vec![0u8; 65_536];
            while let Ok((n, from)) = udp.recv_from(&mut buf).await {
                if let Some(reply) = craft(&buf[..n], false, &a) {
                    let _ = udp.send_to(&reply, from).await;
                }
            }
        });
        let a = asked.clone();
        tokio::spawn(async move {
            while let Ok((mut c, _)) = tcp.accept().await {
                let a = a.clone();
                tokio::spawn(async move {
                    let Ok(len) = c.read_u16().await else { return };
                    let mut q = vec![0u8; usize::from(len)];
                    if c.read_exact(&mut q).await.is_err() {
                        return;
                    }
                    if let Some(reply) = craft(&q, true, &a) {
                        let mut framed = (reply.len() as u16).to_be_bytes().to_vec();
                        framed.extend_from_slice(&reply);
                        let _ = c.write_all(&framed).await;
                    }
                });
            }
        });
        FakeUpstream { addr, asked }
    }

    /// Times the upstream was asked about `label` over `transport` ("udp" or "tcp").
    fn asked(&self, label: &str, transport: &str) -> u32 {
        let asked = self.asked.lock().unwrap();
        asked
            .get(&format!("{label}/{transport}"))
            .copied()
            .unwrap_or(0)
    }
}

fn header(id: [u8; 2], flags: u16, counts: [u16; 4]) -> Vec<u8> {
    let mut h = id.to_vec();
    h.extend_from_slice(&flags.to_be_bytes());
    for c in counts {
        h.extend_from_slice(&c.to_be_bytes());
    }
    h
}

/// An A record, class IN, TTL 300.
fn a_record(owner: &[u8], addr: [u8; 4]) -> Vec<u8> {
    let mut r = owner.to_vec();
    r.extend_from_slice(&[0, 1, 0, 1, 0, 0, 1, 44, 0, 4]);
    r.extend_from_slice(&addr);
    r
}

/// A compression pointer to `offset`.
fn pointer(offset: usize) -> [u8; 2] {
    [0xC0 | (offset >> 8) as u8, offset as u8]
}

/// Response flags: QR, RD, RA.
const RESPONSE: u16 = 0x8180;
/// The same with TC.
const TRUNCATED: u16 = 0x8380;
/// Where the question's name starts in a message.
const QNAME: usize = 12;

/// The answer the fake upstream gives to `query` (over TCP when `tcp`), by the first label
/// of its question; `None` for silence.
fn craft(query: &[u8], tcp: bool, asked: &Asked) -> Option<Vec<u8>> {
    let id = [*query.first()?, *query.get(1)?];
    // The question exactly as sent: plain labels, then type and class.
    let mut end = QNAME;
    while *query.get(end)? != 0 {
        end += 1 + usize::from(query[end]);
    }
    let question = query.get(QNAME..end + 5)?;
    let first = question.get(1..1 + usize::from(question[0]))?;
    let label = String::from_utf8_lossy(first).to_lowercase();
    let transport = if tcp { "tcp" } else { "udp" };
    *asked
        .lock()
        .unwrap()
        .entry(format!("{label}/{transport}"))
        .or_default() += 1;
    let body = QNAME + question.len();
    let good = |id: [u8; 2], question: &[u8]| {
        let mut m = header(id, RESPONSE, [1, 1, 0, 0]);
        m.extend_from_slice(question);
        m.extend_from_slice(&a_record(&pointer(QNAME), [192, 0, 2, 1]));
        m
    };
    let with = |counts: [u16; 4], records: &[u8]| {
        let mut m = header(id, RESPONSE, counts);
        m.extend_from_slice(question);
        m.extend_from_slice(records);
        m
    };
    let tc_only = || {
        let mut m = header(id, TRUNCATED, [1, 0, 0, 0]);
        m.extend_from_slice(question);
        m
    };
    Some(match label.as_str() {
        "good" => good(id, question),
        // The answer's owner name points at itself.
        "loop" => with([1, 1, 0, 0], &a_record(&pointer(body), [192, 0, 2, 1])),
        // Its owner name points past itself (at its own rdata).
        "forward" => with([1, 1, 0, 0], &a_record(&pointer(body + 12), [192, 0, 2, 1])),
        // Two bytes of the address missing.
        "truncrec" => {
            let mut m = good(id, question);
            m.truncate(m.len() - 2);
            m
        }
        "wrongid" => good([!id[0], id[1]], question),
        // An answer to another name of the same length.
        "wrongq" => {
            let mut other = question.to_vec();
            other[1..1 + first.len()].fill(b'z');
            good(id, &other)
        }
        // The question in the other letter case.
        "wrongcase" => {
            let mut other = question.to_vec();
            for c in &mut other[..question.len() - 4] {
                if c.is_ascii_alphabetic() {
                    *c ^= 0x20;
                }
            }
            good(id, &other)
        }
        // A valid answer, then a record the counts do not include.
        "extra" => {
            let mut m = good(id, question);
            m.extend_from_slice(&a_record(&pointer(QNAME), [6, 6, 6, 6]));
            m
        }
        // Too big for UDP: a valid 64 KiB answer over TCP.
        "big" if !tcp => tc_only(),
        "big" => {
            let records: Vec<u8> = (0..u32::from(BIG_RECORDS))
                .flat_map(|i| {
                    a_record(
                        &pointer(QNAME),
                        [10, (i >> 16) as u8, (i >> 8) as u8, i as u8],
                    )
                })
                .collect();
            with([1, BIG_RECORDS, 0, 0], &records)
        }
        // A compression loop over TCP.
        "tcploop" if !tcp => tc_only(),
        "tcploop" => with([1, 1, 0, 0], &a_record(&pointer(body), [192, 0, 2, 1])),
        _ => return None,
    })
}

/// A forwarder using only `up` as its upstream.
async fn forwarder(up: &FakeUpstream) -> Running {
    start(config(vec![up.addr])).await
}

/// Ask over UDP; the reply within 4 s (the forwarder gives up on an upstream within 2 s).
async fn ask(server: SocketAddr, name: &str) -> Message {
    try_udp(server, name, RecordType::A, 4_000)
        .await
        .unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// A SERVFAIL that carries nothing of the upstream's answer.
fn assert_bare_servfail(m: &Message, what: &str) {
    assert_eq!(m.metadata.response_code, ResponseCode::ServFail, "{what}");
    assert!(
        m.answers.is_empty() && m.authorities.is_empty() && m.additionals.is_empty(),
        "{what}: {m:?}"
    );
}

/// Each bad answer gets the client a bare SERVFAIL, and asking again asks the upstream again.
async fn servfail_and_not_cached(f: &Running, up: &FakeUpstream, label: &str) {
    let name = format!("{label}.bad.test.");
    let m = ask(f.v4, &name).await;
    assert_bare_servfail(&m, &name);
    let before = up.asked(label, "udp");
    assert!(before >= 1, "{name} reached the upstream");
    let m = ask(f.v4, &name).await;
    assert_bare_servfail(&m, &format!("{name} again"));
    assert!(
        up.asked(label, "udp") > before,
        "{name}: the second question went upstream (nothing cached)"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn malformed_answers_never_reach_clients_nor_the_cache() {
    let up = FakeUpstream::start().await;
    let f = forwarder(&up).await;
    for label in ["loop", "forward", "truncrec"] {
        servfail_and_not_cached(&f, &up, label).await;
    }
    // Over TCP too.
    let m = tcp(f.v4, "loop.bad.test.", RecordType::A).await;
    assert_bare_servfail(&m, "loop over TCP");
    // And the forwarder still serves a good answer.
    let m = ask(f.v4, "good.bad.test.").await;
    assert_eq!(answers(&m), vec!["good.bad.test. A 192.0.2.1"]);
    f.server.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mismatched_answers_never_reach_clients_nor_the_cache() {
    let up = FakeUpstream::start().await;
    let f = forwarder(&up).await;
    for label in ["wrongid", "wrongq", "wrongcase"] {
        servfail_and_not_cached(&f, &up, label).await;
    }
    f.server.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bytes_after_the_counted_records_are_not_passed_on() {
    let up = FakeUpstream::start().await;
    let f = forwarder(&up).await;
    let q = query("extra.bad.test.", RecordType::A, true);
    for round in 0..2 {
        let reply = try_udp_bytes(f.v4, &q, 4_000).await.unwrap();
        let m = Message::from_vec(&reply).unwrap();
        assert_eq!(
            answers(&m),
            vec!["extra.bad.test. A 192.0.2.1"],
            "round {round}"
        );
        // Header, question, one A record behind a pointer, our OPT: nothing else.
        let question_len = q.len() - 12 - 11;
        assert_eq!(reply.len(), 12 + question_len + 16 + 11, "round {round}");
    }
    assert_eq!(up.asked("extra", "udp"), 1, "the valid part was cached");
    f.server.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_64_kib_tcp_answer_reaches_tcp_clients_and_is_not_cached() {
    let up = FakeUpstream::start().await;
    let f = forwarder(&up).await;
    // Over UDP the client is told to retry over TCP.
    let m = ask(f.v4, "big.bad.test.").await;
    assert!(m.metadata.truncation, "{:?}", m.metadata);
    assert!(m.answers.is_empty());
    for round in 1..=2 {
        let reply = tcp_raw(f.v4, &query("big.bad.test.", RecordType::A, false))
            .await
            .unwrap();
        assert!(reply.len() > 64_000, "round {round}: {} bytes", reply.len());
        let m = Message::from_vec(&reply).unwrap();
        assert_eq!(m.metadata.response_code, ResponseCode::NoError);
        assert_eq!(m.answers.len(), usize::from(BIG_RECORDS), "round {round}");
        assert_eq!(
            up.asked("big", "tcp"),
            round + 1,
            "round {round}: asked again"
        );
    }
    // A malformed answer over TCP is refused like one over UDP.
    let m = tcp(f.v4, "tcploop.bad.test.", RecordType::A).await;
    assert_bare_servfail(&m, "tcploop");
    f.server.shutdown().await;
}

/// The counters: malformed and mismatched answers are counted apart, good ones not at all.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_answers_are_counted_by_kind() {
    let up = FakeUpstream::start().await;
    let f = forwarder(&up).await;
    let (malformed, mismatched) = (
        || f.status.dns_upstream_malformed.load(Ordering::SeqCst),
        || f.status.dns_upstream_mismatched.load(Ordering::SeqCst),
    );
    ask(f.v4, "good.bad.test.").await;
    assert_eq!((malformed(), mismatched()), (0, 0), "a good answer");
    for label in ["loop", "forward", "truncrec"] {
        ask(f.v4, &format!("{label}.bad.test.")).await;
    }
    tcp(f.v4, "tcploop.bad.test.", RecordType::A).await;
    assert!(malformed() >= 4, "malformed: {}", malformed());
    assert_eq!(mismatched(), 0, "malformed answers are not mismatched ones");
    for label in ["wrongid", "wrongq", "wrongcase"] {
        ask(f.v4, &format!("{label}.bad.test.")).await;
    }
    assert!(mismatched() >= 3, "mismatched: {}", mismatched());
    f.server.shutdown().await;
}
