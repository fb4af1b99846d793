//! The forwarder with encrypted upstreams: DNS over TLS and DNS over HTTPS to a real unbound
//! on loopback (certificate from a test CA made here, trusted through `dns.tls_ca_file`),
//! which asks nsd for the test zone. Answers arrive; a certificate for another name gives
//! SERVFAIL, a count and a warning; a dead encrypted upstream fails over like a plain one.

mod dns_support;

use std::sync::atomic::Ordering;

use dns_support::tls::{EncryptedDnsServer, ServerOptions, TestCa};
use dns_support::*;
use hickory_proto::op::ResponseCode;
use hickory_proto::rr::RecordType;
use whereflow::config::{DnsConfig, UpstreamSpec};

/// A forwarder config asking `upstreams` (as `dns.upstreams` writes them), trusting the
/// server's test CA.
fn encrypted_config(upstreams: &[String], server: &EncryptedDnsServer) -> DnsConfig {
    let mut c = config(Vec::new());
    c.upstreams = upstreams
        .iter()
        .map(|u| u.parse::<UpstreamSpec>().unwrap())
        .collect();
    c.tls_ca_file = Some(server.ca_file.clone());
    c.upstream_timeout_ms = 1_500;
    c
}

fn dot(server: &EncryptedDnsServer, name: &str) -> String {
    format!("tls://{}@{name}", server.dot)
}

fn doh(server: &EncryptedDnsServer, name: &str) -> String {
    format!("https://{}/dns-query@{name}", server.doh)
}

async fn start_servers(ca: &TestCa) -> (Nsd, EncryptedDnsServer) {
    let nsd = Nsd::start().await;
    let server = EncryptedDnsServer::start(
        ca,
        ServerOptions {
            zone: Some(nsd.addr),
            ..ServerOptions::default()
        },
    )
    .await;
    (nsd, server)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn answers_come_over_dns_over_tls_and_over_https() {
    let ca = TestCa::new();
    let (nsd, server) = start_servers(&ca).await;
    for upstream in [dot(&server, "test-name"), doh(&server, "test-name")] {
        let f = start(encrypted_config(std::slice::from_ref(&upstream), &server)).await;
        for (name, qtype) in [
            ("www.example.test.", RecordType::A),
            ("alias.example.test.", RecordType::AAAA),
            ("txt.example.test.", RecordType::TXT),
            ("10.2.0.192.in-addr.arpa.", RecordType::PTR),
        ] {
            let direct = udp(nsd.addr, name, qtype).await;
            let m = udp(f.v4, name, qtype).await;
            assert_eq!(
                m.metadata.response_code,
                ResponseCode::NoError,
                "{upstream}"
            );
            assert_eq!(
                answers(&m),
                answers(&direct),
                "{name} {qtype} via {upstream}"
            );
            let m = tcp(f.v6, name, qtype).await;
            assert_eq!(
                answers(&m),
                answers(&direct),
                "{name} {qtype} via {upstream}"
            );
        }
        let m = udp(f.v4, "nope.example.test.", RecordType::A).await;
        assert_eq!(m.metadata.response_code, ResponseCode::NXDomain);
        assert_eq!(f.status.dns_upstream_tls_errors.load(Ordering::Relaxed), 0);
        assert!(f.status.snapshot().warnings.is_empty());
        f.server.shutdown().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_certificate_for_another_name_gives_servfail_a_count_and_a_warning() {
    let ca = TestCa::new();
    let (_nsd, server) = start_servers(&ca).await;
    for upstream in [dot(&server, "wrong-name"), doh(&server, "wrong-name")] {
        let f = start(encrypted_config(std::slice::from_ref(&upstream), &server)).await;
        let m = udp(f.v4, "www.example.test.", RecordType::A).await;
        assert_eq!(
            m.metadata.response_code,
            ResponseCode::ServFail,
            "{upstream}"
        );
        assert!(m.answers.is_empty());
        let s = f.status.snapshot();
        assert!(s.dns_upstream_tls_errors > 0, "{upstream}");
        assert!(
            s.warnings
                .iter()
                .any(|w| w.contains(&upstream) && w.contains("certificate")),
            "{upstream}: {:?}",
            s.warnings
        );
        f.server.shutdown().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn encrypted_upstreams_fail_over_like_plain_ones() {
    let ca = TestCa::new();
    let (_nsd, server) = start_servers(&ca).await;
    // Nothing listens on the first (connection refused), the second presents a certificate
    // for another name, the third answers.
    let dead = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let dead_port = dead.local_addr().unwrap().port();
    drop(dead);
    let ups = [
        format!("tls://127.0.0.1:{dead_port}@test-name"),
        dot(&server, "wrong-name"),
        doh(&server, "test-name"),
    ];
    let f = start(encrypted_config(&ups, &server)).await;
    let m = udp(f.v4, "www.example.test.", RecordType::A).await;
    assert_eq!(answers(&m), vec!["www.example.test. A 192.0.2.10"]);
    assert!(f.status.dns_upstream_tls_errors.load(Ordering::Relaxed) > 0);
    f.server.shutdown().await;
}
