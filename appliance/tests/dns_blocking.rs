//! DNS blocking of trackers in the forwarder itself (no root): a real upstream (nsd), lists
//! that make `www.example.test` a tracker, and the switch flipped while it runs. Blocked
//! answers come before the cache (a cached real answer is not served), from the upstream's
//! answer when its CNAME chain leads to a tracker, per device, and are marked in the events.

mod dns_support;

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use dns_support::{answers, drain, query, Nsd, Relay};
use hickory_proto::op::{Message, ResponseCode};
use hickory_proto::rr::RecordType;
use tokio::net::UdpSocket;
use whereflow::dns::DnsBlock;
use whereflow::dns::{AnswerSink, DnsServer};
use whereflow::enrich::asn::AsnDb;
use whereflow::enrich::domains::DomainClassifier;
use whereflow::enrich::geo::GeoDb;
use whereflow::enrich::Enricher;
use whereflow::status::Status;

/// Ask `server` from `from` (a loopback address: another "device").
async fn ask(server: SocketAddr, from: &str, name: &str, qtype: RecordType) -> Message {
    let s = UdpSocket::bind(format!("{from}:0")).await.unwrap();
    s.send_to(&query(name, qtype, true), server).await.unwrap();
    let mut buf = vec![0u8; 4096];
    let n = tokio::time::timeout(Duration::from_secs(3), s.recv(&mut buf))
        .await
        .unwrap_or_else(|_| panic!("{name} from {from}: timeout"))
        .unwrap();
    Message::from_vec(&buf[..n]).unwrap()
}

fn addrs(m: &Message) -> Vec<String> {
    answers(m)
        .into_iter()
        .filter_map(|a| {
            let mut w = a.split_whitespace();
            let (_, t, d) = (w.next()?, w.next()?, w.next()?);
            matches!(t, "A" | "AAAA").then(|| d.to_owned())
        })
        .collect()
}

#[tokio::test]
async fn trackers_are_answered_as_blocked_while_the_switch_is_on() {
    let nsd = Nsd::start().await;
    let relay = Relay::start(nsd.addr).await;
    // `www.example.test` is a tracker by these lists; `alias` is a CNAME chain to it.
    let classifier =
        DomainClassifier::from_text("mx.example.test\tExample\tother\n", "www.example.test\n")
            .unwrap();
    let status = Arc::new(Status::default());
    let enricher = Enricher::from_parts(
        classifier,
        GeoDb::open(&[], &status),
        AsnDb::open(&[], &status),
    );
    let block = Arc::new(DnsBlock::new(Arc::new(enricher)));
    let (sink, mut events) = AnswerSink::channel(10_000, status.clone());
    let mut config = dns_support::config(vec![relay.addr]);
    config.listen.truncate(1);
    let server = DnsServer::start_with_block(&config, sink, status.clone(), Some(block.clone()))
        .await
        .unwrap();
    let dns = server.local_addrs()[0];

    // Off: the real answer, now in the cache.
    let m = ask(dns, "127.0.0.1", "www.example.test.", RecordType::A).await;
    assert_eq!(addrs(&m), vec!["192.0.2.10"]);
    let asked = relay.count();

    // On for everyone: the cached real answer is not served; nothing is asked upstream.
    block.set_all(true);
    let m = ask(dns, "127.0.0.1", "www.example.test.", RecordType::A).await;
    assert_eq!(m.metadata.response_code, ResponseCode::NoError);
    assert_eq!(addrs(&m), vec!["0.0.0.0"]);
    assert!(m.answers[0].ttl <= 10);
    let m = ask(dns, "127.0.0.1", "www.example.test.", RecordType::AAAA).await;
    assert_eq!(addrs(&m), vec!["::"]);
    let m = ask(dns, "127.0.0.1", "www.example.test.", RecordType::HTTPS).await;
    assert!(m.answers.is_empty(), "no records for other types");
    assert_eq!(relay.count(), asked, "answered without the upstream");
    // A name whose CNAME chain leads to the tracker: blocked from the upstream's answer,
    // then from the cache.
    for _ in 0..2 {
        let m = ask(dns, "127.0.0.1", "alias.example.test.", RecordType::A).await;
        assert_eq!(addrs(&m), vec!["0.0.0.0"], "CNAME cloaking");
    }
    // Other names are answered as usual.
    let m = ask(dns, "127.0.0.1", "mx.example.test.", RecordType::A).await;
    assert_eq!(addrs(&m), vec!["192.0.2.25"]);
    assert!(block.blocked_queries() >= 5);

    // One device only: 127.0.0.2 is blocked, 127.0.0.1 gets the cached real answers.
    block.set_all(false);
    block.set_device("127.0.0.2".parse().unwrap(), true);
    let m = ask(dns, "127.0.0.2", "www.example.test.", RecordType::A).await;
    assert_eq!(addrs(&m), vec!["0.0.0.0"]);
    let m = ask(dns, "127.0.0.1", "www.example.test.", RecordType::A).await;
    assert_eq!(addrs(&m), vec!["192.0.2.10"]);
    let m = ask(dns, "127.0.0.1", "alias.example.test.", RecordType::A).await;
    assert_eq!(
        addrs(&m),
        vec!["192.0.2.10"],
        "the real answer was cached meanwhile"
    );

    // Off: the real answer again.
    block.set_device("127.0.0.2".parse().unwrap(), false);
    let m = ask(dns, "127.0.0.2", "www.example.test.", RecordType::A).await;
    assert_eq!(addrs(&m), vec!["192.0.2.10"]);

    // The events say which answers were blocked.
    tokio::time::sleep(Duration::from_millis(50)).await;
    let evs = drain(&mut events);
    let blocked: Vec<(IpAddr, String, Vec<IpAddr>)> = evs
        .iter()
        .filter(|e| e.blocked)
        .map(|e| (e.device.ip(), e.qname.to_string(), e.addrs.clone()))
        .collect();
    let local: IpAddr = "127.0.0.1".parse().unwrap();
    let other: IpAddr = "127.0.0.2".parse().unwrap();
    let zero: IpAddr = "0.0.0.0".parse().unwrap();
    assert!(blocked.contains(&(local, "www.example.test".into(), vec![zero])));
    assert!(blocked.contains(&(local, "alias.example.test".into(), vec![zero])));
    assert!(blocked.contains(&(other, "www.example.test".into(), vec![zero])));
    assert!(evs
        .iter()
        .filter(|e| e.qname.as_str() == "mx.example.test")
        .all(|e| !e.blocked));
    assert_eq!(
        evs.iter().filter(|e| e.blocked).count() as u64,
        block.blocked_queries()
    );
    server.shutdown().await;
}
