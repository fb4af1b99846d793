//! The DNS forwarder against a real authoritative server (nsd) on loopback: answers, negative
//! answers, events, cache, local names, failover and recovery.

mod dns_support;

use std::net::IpAddr;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use dns_support::*;
use hickory_proto::op::ResponseCode;
use hickory_proto::rr::{RData, RecordType};
use whereflow::model::Domain;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn answers_match_the_authoritative_server_over_udp_and_tcp_v4_and_v6() {
    let nsd = Nsd::start().await;
    let f = start(config(vec![nsd.addr])).await;
    let cases = [
        ("www.example.test.", RecordType::A),
        ("www.example.test.", RecordType::AAAA),
        ("ext.example.test.", RecordType::A),
        ("alias.example.test.", RecordType::AAAA),
        ("svc.example.test.", RecordType::HTTPS),
        ("_svc._tcp.example.test.", RecordType::SVCB),
        ("10.2.0.192.in-addr.arpa.", RecordType::PTR),
        ("txt.example.test.", RecordType::TXT),
        ("mail.example.test.", RecordType::MX),
    ];
    for (name, qtype) in cases {
        let direct = udp(nsd.addr, name, qtype).await;
        assert!(!direct.answers.is_empty(), "{name} {qtype}: zone answers");
        for server in [f.v4, f.v6] {
            // Twice over UDP: the second comes from the cache.
            for round in 0..2 {
                let m = udp(server, name, qtype).await;
                assert_eq!(m.metadata.response_code, ResponseCode::NoError);
                assert_eq!(
                    answers(&m),
                    answers(&direct),
                    "{name} {qtype} via {server} round {round}"
                );
                assert!(m.metadata.recursion_available);
            }
            let m = tcp(server, name, qtype).await;
            assert_eq!(
                answers(&m),
                answers(&direct),
                "{name} {qtype} via TCP {server}"
            );
        }
    }
    // The CNAME chain is complete and in order (2 hops, then the address).
    let m = udp(f.v4, "alias.example.test.", RecordType::A).await;
    assert_eq!(
        answers(&m),
        vec![
            "alias.example.test. CNAME alias2.example.test.",
            "alias2.example.test. CNAME www.example.test.",
            "www.example.test. A 192.0.2.10",
        ]
    );
    f.server.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nxdomain_and_nodata_carry_the_soa() {
    let nsd = Nsd::start().await;
    let f = start(config(vec![nsd.addr])).await;
    for (name, qtype, rcode) in [
        ("nope.example.test.", RecordType::A, ResponseCode::NXDomain),
        (
            "nodata.example.test.",
            RecordType::AAAA,
            ResponseCode::NoError,
        ),
    ] {
        for round in 0..2 {
            for m in [udp(f.v4, name, qtype).await, tcp(f.v6, name, qtype).await] {
                assert_eq!(m.metadata.response_code, rcode, "{name} round {round}");
                assert!(m.answers.is_empty());
                let soa = m
                    .authorities
                    .iter()
                    .find(|r| r.record_type() == RecordType::SOA)
                    .unwrap_or_else(|| panic!("{name} round {round}: no SOA"));
                assert_eq!(soa.name.to_ascii(), "example.test.");
                assert!(
                    soa.ttl <= 60,
                    "negative TTL from the SOA minimum: {}",
                    soa.ttl
                );
            }
        }
    }
    f.server.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_answer_becomes_an_event() {
    let nsd = Nsd::start().await;
    let mut f = start(config(vec![nsd.addr])).await;
    let before = chrono::Utc::now();
    udp(f.v4, "Alias.Example.TEST.", RecordType::A).await;
    udp(f.v4, "nope.example.test.", RecordType::AAAA).await;
    tcp(f.v6, "www.example.test.", RecordType::AAAA).await;
    let ev = drain(&mut f.events);
    assert_eq!(ev.len(), 3, "{ev:#?}");
    let a = &ev[0];
    assert_eq!(a.device.ip(), "127.0.0.1".parse::<IpAddr>().unwrap());
    assert_eq!(a.qname, Domain::new("alias.example.test").unwrap());
    assert_eq!(a.qtype, RecordType::A);
    assert_eq!(a.rcode, ResponseCode::NoError);
    assert_eq!(
        a.chain,
        vec![
            Domain::new("alias2.example.test").unwrap(),
            Domain::new("www.example.test").unwrap()
        ]
    );
    assert_eq!(a.addrs, vec!["192.0.2.10".parse::<IpAddr>().unwrap()]);
    assert!(a.ttl > 290 && a.ttl <= 300, "{}", a.ttl);
    assert!(a.at >= before && a.at <= chrono::Utc::now());
    let nx = &ev[1];
    assert_eq!(nx.rcode, ResponseCode::NXDomain);
    assert!(nx.addrs.is_empty() && nx.chain.is_empty());
    assert_eq!(nx.qtype, RecordType::AAAA);
    let v6 = &ev[2];
    assert_eq!(v6.device.ip(), "::1".parse::<IpAddr>().unwrap());
    assert_eq!(v6.addrs, vec!["2001:db8::10".parse::<IpAddr>().unwrap()]);
    assert_eq!(f.status.dns_queries.load(Ordering::Relaxed), 3);
    f.server.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cache_asks_upstream_once_and_counts_ttl_down() {
    let nsd = Nsd::start().await;
    let relay = Relay::start(nsd.addr).await;
    let mut f = start(config(vec![relay.addr])).await;
    let first = udp(f.v4, "www.example.test.", RecordType::A).await;
    assert_eq!(first.answers[0].ttl, 300);
    assert_eq!(relay.count(), 1);
    tokio::time::sleep(Duration::from_millis(1_100)).await;
    let second = udp(f.v4, "WWW.example.test.", RecordType::A).await;
    let third = tcp(f.v6, "www.example.test.", RecordType::A).await;
    assert_eq!(relay.count(), 1, "served from the cache");
    for m in [&second, &third] {
        assert!(
            m.answers[0].ttl < 300 && m.answers[0].ttl >= 298,
            "{}",
            m.answers[0].ttl
        );
        assert_eq!(answers(m), answers(&first));
    }
    // The client's spelling is echoed in the question.
    assert_eq!(second.queries[0].name().to_ascii(), "WWW.example.test.");
    let ev = drain(&mut f.events);
    assert_eq!(ev.len(), 3, "cached answers are recorded too");
    assert!(ev[1].ttl < 300);
    // Another type of the same name is a different question.
    udp(f.v4, "www.example.test.", RecordType::AAAA).await;
    assert_eq!(relay.count(), 2);
    f.server.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn own_name_and_canary_names() {
    let nsd = Nsd::start().await;
    let relay = Relay::start(nsd.addr).await;
    let f = start(config(vec![relay.addr])).await;
    let m = udp(f.v4, "WhereFlow.lan.", RecordType::A).await;
    assert_eq!(answers(&m), vec!["whereflow.lan. A 192.0.2.1"]);
    let m = tcp(f.v6, "whereflow.lan.", RecordType::AAAA).await;
    assert_eq!(answers(&m), vec!["whereflow.lan. AAAA 2001:db8::1"]);
    let m = udp(f.v4, "whereflow.lan.", RecordType::MX).await;
    assert_eq!(m.metadata.response_code, ResponseCode::NoError);
    assert!(m.answers.is_empty());
    assert!(matches!(
        m.authorities.first().map(|r| &r.data),
        Some(RData::SOA(_))
    ));
    for name in [
        "use-application-dns.net.",
        "mask.icloud.com.",
        "mask-h2.icloud.com.",
    ] {
        for qtype in [RecordType::A, RecordType::AAAA, RecordType::HTTPS] {
            let m = udp(f.v4, name, qtype).await;
            assert_eq!(m.metadata.response_code, ResponseCode::NXDomain, "{name}");
        }
    }
    assert_eq!(relay.count(), 0, "none of these went upstream");
    f.server.shutdown().await;

    // Switched off, the canaries are forwarded like any name (nsd refuses them).
    let mut c = config(vec![relay.addr]);
    c.block_use_application_dns = false;
    c.block_icloud_private_relay = false;
    c.local_name = "box.home.arpa".into();
    let f = start(c).await;
    for name in ["use-application-dns.net.", "mask.icloud.com."] {
        let m = udp(f.v4, name, RecordType::A).await;
        assert_ne!(m.metadata.response_code, ResponseCode::NXDomain, "{name}");
    }
    assert_eq!(relay.count(), 2);
    let m = udp(f.v4, "box.home.arpa.", RecordType::A).await;
    assert_eq!(answers(&m), vec!["box.home.arpa. A 192.0.2.1"]);
    f.server.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn big_answers_truncate_over_udp_and_arrive_over_tcp() {
    let nsd = Nsd::start().await;
    let f = start(config(vec![nsd.addr])).await;
    // nsd truncates over UDP; the forwarder fetches it over TCP and caches nothing too big.
    let m = tcp(f.v4, "big.example.test.", RecordType::TXT).await;
    assert_eq!(m.answers.len(), 1);
    let m = udp(f.v4, "big.example.test.", RecordType::TXT).await;
    assert!(m.metadata.truncation, "too big for UDP: TC set");
    assert!(m.answers.is_empty());
    f.server.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dead_first_upstream_fails_over_and_is_remembered() {
    let nsd = Nsd::start().await;
    let silent = tokio::net::UdpSocket::bind("127.0.0.1:0").await.unwrap();
    let f = start(config(vec![silent.local_addr().unwrap(), nsd.addr])).await;
    let t = Instant::now();
    let m = udp(f.v4, "www.example.test.", RecordType::A).await;
    assert_eq!(answers(&m), vec!["www.example.test. A 192.0.2.10"]);
    assert!(t.elapsed() < Duration::from_secs(2), "{:?}", t.elapsed());
    // The dead one is skipped now: no timeout for the next question.
    let t = Instant::now();
    let m = udp(f.v4, "www.example.test.", RecordType::AAAA).await;
    assert_eq!(m.answers.len(), 1);
    assert!(
        t.elapsed() < Duration::from_millis(300),
        "{:?}",
        t.elapsed()
    );
    f.server.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn servfail_within_two_seconds_when_all_are_down_then_recovery() {
    let nsd = Nsd::start().await;
    let r1 = Relay::start(nsd.addr).await;
    let r2 = Relay::start(nsd.addr).await;
    r1.alive.store(false, Ordering::SeqCst);
    r2.alive.store(false, Ordering::SeqCst);
    let mut f = start(config(vec![r1.addr, r2.addr])).await;
    let t = Instant::now();
    let m = udp(f.v4, "www.example.test.", RecordType::A).await;
    assert_eq!(m.metadata.response_code, ResponseCode::ServFail);
    assert!(t.elapsed() < Duration::from_secs(2), "{:?}", t.elapsed());
    let ev = drain(&mut f.events);
    assert_eq!(ev.last().map(|e| e.rcode), Some(ResponseCode::ServFail));
    // The second comes back: answers again on the next question.
    r2.alive.store(true, Ordering::SeqCst);
    let t = Instant::now();
    let m = udp(f.v4, "www.example.test.", RecordType::A).await;
    assert_eq!(answers(&m), vec!["www.example.test. A 192.0.2.10"]);
    assert!(t.elapsed() < Duration::from_secs(2), "{:?}", t.elapsed());
    // SERVFAIL was not cached, and now the live one is preferred.
    let t = Instant::now();
    let m = tcp(f.v4, "mail.example.test.", RecordType::MX).await;
    assert_eq!(m.answers.len(), 1);
    assert!(
        t.elapsed() < Duration::from_millis(300),
        "{:?}",
        t.elapsed()
    );
    // The first comes back too: a background probe takes it back, and it is preferred again.
    r1.alive.store(true, Ordering::SeqCst);
    tokio::time::sleep(Duration::from_millis(1_100)).await;
    udp(f.v4, "txt.example.test.", RecordType::TXT).await; // triggers the probe
    tokio::time::sleep(Duration::from_millis(100)).await;
    let before = r1.count();
    udp(f.v4, "ns.example.test.", RecordType::A).await;
    assert_eq!(r1.count(), before + 1, "first upstream preferred again");
    f.server.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn binding_errors_name_the_address_and_shutdown_frees_it() {
    let nsd = Nsd::start().await;
    let f = start(config(vec![nsd.addr])).await;
    let taken = f.v4;
    let mut c = config(vec![nsd.addr]);
    c.listen = vec![taken];
    let status = std::sync::Arc::new(whereflow::status::Status::default());
    let (sink, _rx) = whereflow::dns::AnswerSink::channel(10, status.clone());
    let err = match whereflow::dns::DnsServer::start(&c, sink.clone(), status.clone()).await {
        Ok(_) => panic!("second server on the same port must fail"),
        Err(e) => e.to_string(),
    };
    assert!(err.contains(&taken.to_string()), "{err}");
    let t = Instant::now();
    f.server.shutdown().await;
    assert!(t.elapsed() < Duration::from_secs(3));
    let again = whereflow::dns::DnsServer::start(&c, sink, status).await;
    assert!(again.is_ok(), "port free after shutdown: {:?}", again.err());
}
