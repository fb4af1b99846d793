//! How the forwarder asks its upstream, seen from the upstream's side: a scripted upstream
//! on loopback records every question (source port, id, bytes) and answers as the test
//! says: late, after forgeries, or not at all. Checks: a random port and letter case per
//! question, identical questions merged into one, answers that do not match the question
//! ignored and counted, DNSSEC wishes passed upstream, a lost question sent again soon.

mod dns_support;

use std::collections::HashSet;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Duration;

use dns_support::*;
use hickory_proto::op::{Edns, Message, Query};
use hickory_proto::rr::{Name, RData, RecordType};
use parking_lot::Mutex;
use tokio::net::UdpSocket;

/// One question as the upstream received it.
#[derive(Clone, Debug)]
struct Seen {
    port: u16,
    bytes: Vec<u8>,
}

/// What the scripted upstream does with each question.
#[derive(Clone, Copy)]
struct Script {
    /// Wait this long before the real answer.
    delay: Duration,
    /// For names starting "victim", first send forgeries: a wrong id, another name, and the
    /// right id with the name in another letter case, each carrying `FORGED`.
    forge_first: bool,
    /// Answer with the question in lower case, as some resolvers do.
    fold_case: bool,
    /// Ignore the first copy of each question (as if lost on the way), answer the next.
    drop_first: bool,
}

const REAL: Ipv4Addr = Ipv4Addr::new(192, 0, 2, 80);
const FORGED: Ipv4Addr = Ipv4Addr::new(203, 0, 113, 66);

/// An A answer to `query` (the question copied byte for byte unless `question` is given).
fn answer(query: &[u8], id: u16, question: Option<&[u8]>, addr: Ipv4Addr) -> Vec<u8> {
    let qend = 12 + query[12..].iter().position(|&b| b == 0).unwrap() + 1 + 4;
    let mut out = id.to_be_bytes().to_vec();
    out.extend_from_slice(&[0x81, 0x80, 0, 1, 0, 1, 0, 0, 0, 0]);
    out.extend_from_slice(question.unwrap_or(&query[12..qend]));
    out.extend_from_slice(&[0xC0, 12, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4]);
    out.extend_from_slice(&addr.octets());
    out
}

async fn scripted(script: Script) -> (SocketAddr, Arc<Mutex<Vec<Seen>>>) {
    let sock = Arc::new(UdpSocket::bind("127.0.0.1:0").await.unwrap());
    let addr = sock.local_addr().unwrap();
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = seen.clone();
    tokio::spawn(async move {
        let mut buf = vec![0u8; 4096];
        let mut dropped = HashSet::new();
        while let Ok((n, from)) = sock.recv_from(&mut buf).await {
            let q = buf[..n].to_vec();
            log.lock().push(Seen {
                port: from.port(),
                bytes: q.clone(),
            });
            if script.drop_first && dropped.insert(q.clone()) {
                continue;
            }
            let sock = sock.clone();
            tokio::spawn(async move {
                let id = u16::from_be_bytes([q[0], q[1]]);
                let victim = q[13..].to_ascii_lowercase().starts_with(b"victim");
                if script.forge_first && victim {
                    let qend = 12 + q[12..].iter().position(|&b| b == 0).unwrap() + 1 + 4;
                    let mut other = q[12..qend].to_vec();
                    other[1] ^= 0x01; // another name
                    let mut recased = q[12..qend].to_vec();
                    for c in recased.iter_mut().filter(|c| c.is_ascii_alphabetic()) {
                        *c ^= 0x20; // every letter in the other case
                    }
                    for forged in [
                        answer(&q, id.wrapping_add(1), None, FORGED),
                        answer(&q, id, Some(&other), FORGED),
                        answer(&q, id, Some(&recased), FORGED),
                    ] {
                        let _ = sock.send_to(&forged, from).await;
                    }
                }
                tokio::time::sleep(script.delay).await;
                let mut real = answer(&q, id, None, REAL);
                if script.fold_case {
                    let qend = 12 + q[12..].iter().position(|&b| b == 0).unwrap();
                    real[12..qend].make_ascii_lowercase();
                }
                let _ = sock.send_to(&real, from).await;
            });
        }
    });
    (addr, seen)
}

fn addresses(m: &Message) -> Vec<Ipv4Addr> {
    m.answers
        .iter()
        .filter_map(|r| match &r.data {
            RData::A(a) => Some(a.0),
            _ => None,
        })
        .collect()
}

/// The name of a recorded question, as sent (case kept).
fn sent_name(s: &Seen) -> String {
    Message::from_vec(&s.bytes).unwrap().queries[0]
        .name()
        .to_ascii()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_question_has_its_own_random_port_and_letter_case() {
    let (up, seen) = scripted(Script {
        delay: Duration::ZERO,
        forge_first: false,
        fold_case: false,
        drop_first: false,
    })
    .await;
    let f = start(config(vec![up])).await;
    for i in 0..120 {
        let m = udp(
            f.v4,
            &format!("name{i}.abcdefghij.example.test."),
            RecordType::A,
        )
        .await;
        assert_eq!(addresses(&m), vec![REAL]);
    }
    let seen = seen.lock().clone();
    assert_eq!(seen.len(), 120, "one upstream question per new name");
    let ports: HashSet<u16> = seen.iter().map(|s| s.port).collect();
    // 120 draws from ~64,500 ports: a repeat or two at most. (Before: 4 ports in all.)
    assert!(ports.len() >= 115, "{} distinct ports", ports.len());
    assert!(ports.iter().any(|&p| p < 32_768) && ports.iter().any(|&p| p > 32_768));
    let ids: HashSet<u16> = seen
        .iter()
        .map(|s| u16::from_be_bytes([s.bytes[0], s.bytes[1]]))
        .collect();
    assert!(ids.len() >= 115, "{} distinct ids", ids.len());
    // 0x20: the letters come in mixed case, differently each time.
    let mixed = seen
        .iter()
        .filter(|s| {
            let n = sent_name(s);
            n.chars().any(|c| c.is_ascii_uppercase()) && n.chars().any(|c| c.is_ascii_lowercase())
        })
        .count();
    assert!(mixed >= 110, "{mixed} of 120 in mixed case");
    // The client still sees its own question's case.
    let m = udp(f.v4, "Name7.ABCDEFGHIJ.example.test.", RecordType::A).await;
    assert_eq!(
        m.queries[0].name().to_ascii(),
        "Name7.ABCDEFGHIJ.example.test."
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn identical_questions_in_flight_are_merged_into_one() {
    let (up, seen) = scripted(Script {
        delay: Duration::from_millis(300),
        forge_first: false,
        fold_case: false,
        drop_first: false,
    })
    .await;
    let f = start(config(vec![up])).await;
    let clients = 40;
    let mut tasks = Vec::new();
    for i in 0..clients {
        let server = f.v4;
        // Same name, type and class; letter case varies by client.
        let name = if i % 2 == 0 {
            "slow.example.test."
        } else {
            "SLOW.Example.TEST."
        };
        tasks.push(tokio::spawn(async move {
            try_udp(server, name, RecordType::A, 3_000).await
        }));
    }
    for t in tasks {
        let m = t.await.unwrap().expect("every client answered");
        assert_eq!(addresses(&m), vec![REAL]);
    }
    assert_eq!(
        seen.lock().len(),
        1,
        "one question upstream for all {clients}"
    );
    assert_eq!(
        f.status.dns_upstream_merged.load(Ordering::Relaxed),
        clients - 1
    );
    // A different type is another question.
    let _ = udp(f.v4, "slow.example.test.", RecordType::AAAA).await;
    assert_eq!(seen.lock().len(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn answers_that_do_not_match_are_ignored_counted_and_never_cached() {
    let (up, seen) = scripted(Script {
        delay: Duration::from_millis(50),
        forge_first: true,
        fold_case: false,
        drop_first: false,
    })
    .await;
    let f = start(config(vec![up])).await;
    // A wrong-case answer before the upstream has shown it keeps case could come from an
    // upstream that folds case: it is dropped and the question asked again in lower case.
    // A clean first answer shows this one keeps case.
    let _ = udp(f.v4, "warmup.example.test.", RecordType::A).await;
    seen.lock().clear();
    let names: Vec<String> = (0..20)
        .map(|i| format!("victim{i}.bank.example.test."))
        .collect();
    for name in &names {
        for _ in 0..2 {
            let m = udp(f.v4, name, RecordType::A).await;
            assert_eq!(
                addresses(&m),
                vec![REAL],
                "{name}: never the forged address"
            );
        }
    }
    assert_eq!(
        seen.lock().len(),
        20,
        "the second ask of each came from the cache"
    );
    let mismatched = f.status.dns_upstream_mismatched.load(Ordering::Relaxed);
    // Per question: the wrong id, the other name and the wrong case.
    assert_eq!(mismatched, 3 * 20);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dnssec_wishes_go_upstream_and_are_cached_apart() {
    let (up, seen) = scripted(Script {
        delay: Duration::ZERO,
        forge_first: false,
        fold_case: false,
        drop_first: false,
    })
    .await;
    let f = start(config(vec![up])).await;
    let ask = |dnssec_ok: bool, cd: bool| {
        let mut m = Message::query();
        m.metadata.recursion_desired = true;
        m.metadata.checking_disabled = cd;
        m.add_query(Query::query(
            Name::from_ascii("signed.example.test.").unwrap(),
            RecordType::A,
        ));
        let mut e = Edns::new();
        e.set_max_payload(1232);
        e.set_dnssec_ok(dnssec_ok);
        m.set_edns(e);
        m.to_vec().unwrap()
    };
    for (dnssec_ok, cd) in [(false, false), (true, false), (true, true), (true, false)] {
        let m = try_udp_raw(f.v4, &ask(dnssec_ok, cd), 3_000).await.unwrap();
        assert_eq!(addresses(&m), vec![REAL]);
        assert_eq!(
            m.edns.as_ref().unwrap().flags().dnssec_ok,
            dnssec_ok,
            "DO echoed"
        );
        assert_eq!(m.metadata.checking_disabled, cd, "CD echoed");
    }
    let seen = seen.lock().clone();
    assert_eq!(
        seen.len(),
        3,
        "plain, DO and DO+CD asked apart; the last DO from cache"
    );
    let wishes: Vec<(bool, bool)> = seen
        .iter()
        .map(|s| {
            let m = Message::from_vec(&s.bytes).unwrap();
            (
                m.edns.as_ref().unwrap().flags().dnssec_ok,
                m.metadata.checking_disabled,
            )
        })
        .collect();
    assert_eq!(wishes, vec![(false, false), (true, false), (true, true)]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_upstream_that_folds_case_is_asked_in_lower_case() {
    let (up, seen) = scripted(Script {
        delay: Duration::ZERO,
        forge_first: false,
        fold_case: true,
        drop_first: false,
    })
    .await;
    let f = start(config(vec![up])).await;
    for i in 0..10 {
        let m = udp(f.v4, &format!("Host{i}.example.test."), RecordType::A).await;
        assert_eq!(addresses(&m), vec![REAL]);
    }
    let seen = seen.lock().clone();
    // The first answer in the wrong case is dropped and that question asked again in lower
    // case; every later question goes in lower case at once.
    assert_eq!(seen.len(), 11, "one extra question in all");
    assert!(seen[1..]
        .iter()
        .all(|s| !sent_name(s).chars().any(|c| c.is_ascii_uppercase())));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_lost_question_is_sent_again_long_before_the_timeout() {
    let (up, seen) = scripted(Script {
        delay: Duration::ZERO,
        forge_first: false,
        fold_case: false,
        drop_first: true,
    })
    .await;
    let mut c = config(vec![up]);
    // Without resending, every question here would end in SERVFAIL after 3 s.
    c.upstream_timeout_ms = 3_000;
    let f = start(c).await;
    for (i, within) in [(0, 1_500), (1, 600), (2, 600)] {
        let name = format!("lost{i}.example.test.");
        let t0 = std::time::Instant::now();
        let m = try_udp(f.v4, &name, RecordType::A, 2_500)
            .await
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        let took = t0.elapsed();
        assert_eq!(addresses(&m), vec![REAL], "{name}");
        // The first waits the initial 500 ms; once the upstream's answer time is known
        // (a millisecond here) the wait before a resend is the 200 ms floor.
        assert!(
            took < Duration::from_millis(within),
            "{name} answered after {took:?}"
        );
        let copies: Vec<Seen> = seen
            .lock()
            .iter()
            .filter(|s| sent_name(s).eq_ignore_ascii_case(&name))
            .cloned()
            .collect();
        assert_eq!(copies.len(), 2, "{name}: sent once and once again");
        assert_eq!(
            copies[0].bytes, copies[1].bytes,
            "the same id and case again"
        );
        assert_eq!(copies[0].port, copies[1].port, "from the same port");
    }
    assert_eq!(f.status.dns_upstream_retransmits.load(Ordering::Relaxed), 3);
}
