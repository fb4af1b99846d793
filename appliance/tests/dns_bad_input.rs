//! Bad input on every listening port: garbage, truncated and oversized messages, stalled and
//! silent TCP clients, more TCP clients than allowed. In every case another client is served
//! meanwhile and nothing panics.

mod dns_support;

use std::net::SocketAddr;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use dns_support::*;
use hickory_proto::op::ResponseCode;
use hickory_proto::rr::RecordType;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpStream, UdpSocket};

/// A normal client is answered promptly (from the cache: the point is the server's health,
/// not the upstream's).
async fn still_serving(server: SocketAddr) {
    let t = Instant::now();
    let m = udp(server, "www.example.test.", RecordType::A).await;
    assert_eq!(answers(&m), vec!["www.example.test. A 192.0.2.10"]);
    let m = tcp(server, "www.example.test.", RecordType::A).await;
    assert_eq!(m.answers.len(), 1);
    assert!(
        t.elapsed() < Duration::from_millis(500),
        "{:?}",
        t.elapsed()
    );
}

/// Send raw bytes over UDP; the reply if one comes within 300 ms.
async fn raw_udp(server: SocketAddr, bytes: &[u8]) -> Option<Vec<u8>> {
    try_udp_bytes(server, bytes, 300).await.ok()
}

fn rcode_of(reply: &[u8]) -> u8 {
    reply[3] & 0x0F
}

/// Whether the server closes the connection within `within` (reads EOF or a reset).
async fn closed_within(c: &mut TcpStream, within: Duration) -> bool {
    let mut b = [0u8; 64];
    match tokio::time::timeout(within, c.read(&mut b)).await {
        Ok(Ok(0)) | Ok(Err(_)) => true,
        Ok(Ok(_)) => panic!("unexpected data"),
        Err(_) => false,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn udp_garbage_is_answered_formerr_or_dropped() {
    let nsd = Nsd::start().await;
    let f = start(config(vec![nsd.addr])).await;
    let server = f.v4;
    still_serving(server).await;

    // Too short to carry a header: silence.
    assert_eq!(raw_udp(server, &[0xAB, 0xCD, 1, 0, 0]).await, None);
    // A header claiming 65535 questions, padded to 512 bytes: FORMERR with the id.
    let mut b = vec![0u8; 512];
    b[0] = 0x12;
    b[1] = 0x34;
    b[4] = 0xFF;
    b[5] = 0xFF;
    let r = raw_udp(server, &b).await.expect("FORMERR reply");
    assert_eq!(&r[..2], &[0x12, 0x34]);
    assert_eq!(rcode_of(&r), 1);
    // A query cut in the middle of its name.
    let q = query("www.example.test.", RecordType::A, false);
    let r = raw_udp(server, &q[..18]).await.expect("FORMERR reply");
    assert_eq!(rcode_of(&r), 1);
    // An opcode we do not serve (2, STATUS): NOTIMP, header only, no RA and no AA.
    let mut q2 = query("www.example.test.", RecordType::A, false);
    q2[2] |= 0x10;
    let r = raw_udp(server, &q2).await.expect("NOTIMP reply");
    assert_eq!(rcode_of(&r), 4);
    assert_eq!(r.len(), 12, "the question is not answered: {r:?}");
    assert_eq!(r[3] & 0x80, 0, "no RA: {r:?}");
    assert_eq!(r[2] & 0x04, 0, "no AA: {r:?}");
    assert_eq!((r[2] >> 3) & 0x0F, 2, "opcode copied: {r:?}");
    // Oversized (65000 bytes): FORMERR or nothing, never an answer.
    let mut big = q.clone();
    big.resize(65_000, 0x41);
    if let Some(r) = raw_udp(server, &big).await {
        assert_eq!(rcode_of(&r), 1);
    }
    // A response sent to us is never answered (no reflection loops).
    let mut resp = q.clone();
    resp[2] |= 0x80;
    assert_eq!(raw_udp(server, &resp).await, None);
    // Random garbage of many sizes, v4 and v6.
    let mut x: u64 = 0x1234_5678_9ABC_DEF1;
    for len in (0..1500).step_by(7) {
        let b: Vec<u8> = (0..len)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                x as u8
            })
            .collect();
        for s in [f.v4, f.v6] {
            let sock = UdpSocket::bind(if s.is_ipv4() {
                "127.0.0.1:0"
            } else {
                "[::1]:0"
            })
            .await
            .unwrap();
            sock.send_to(&b, s).await.unwrap();
        }
    }
    still_serving(f.v4).await;
    still_serving(f.v6).await;
    assert!(f.status.dns_bad_requests.load(Ordering::Relaxed) >= 5);
    f.server.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tcp_garbage_and_stalls_do_not_block_others() {
    let nsd = Nsd::start().await;
    let f = start(config(vec![nsd.addr])).await;
    let server = f.v4;
    still_serving(server).await;

    // Length prefix 65535 then nothing: closed at once (longer than any query).
    let mut c = TcpStream::connect(server).await.unwrap();
    c.write_all(&[0xFF, 0xFF, 1, 2, 3]).await.unwrap();
    assert!(closed_within(&mut c, Duration::from_millis(300)).await);

    // A plausible length, then a stall mid-message: others are served; closed after the
    // idle timeout (500 ms in the test config).
    let mut stalled = TcpStream::connect(server).await.unwrap();
    stalled.write_all(&[0x00, 0x40, 1, 2, 3]).await.unwrap();
    // A client that connects and says nothing.
    let mut silent = TcpStream::connect(server).await.unwrap();
    still_serving(server).await;
    let t = Instant::now();
    assert!(closed_within(&mut stalled, Duration::from_secs(2)).await);
    assert!(closed_within(&mut silent, Duration::from_secs(2)).await);
    assert!(
        t.elapsed() < Duration::from_millis(900),
        "{:?}",
        t.elapsed()
    );

    // Garbage in a well-framed message: FORMERR, then the connection is still usable or
    // closed, never hung.
    let mut c = TcpStream::connect(server).await.unwrap();
    let mut junk = vec![0x00, 0x20];
    junk.extend((0..32u8).map(|i| i.wrapping_mul(37)));
    junk[4] &= 0x7F; // a query, not a response
    c.write_all(&junk).await.unwrap();
    let mut len = [0u8; 2];
    if tokio::time::timeout(Duration::from_secs(1), c.read_exact(&mut len))
        .await
        .expect("reply or close in time")
        .is_ok()
    {
        let mut body = vec![0u8; usize::from(u16::from_be_bytes(len))];
        c.read_exact(&mut body).await.unwrap();
        assert_ne!(rcode_of(&body), 0);
    }
    still_serving(server).await;
    f.server.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn more_stalled_tcp_clients_than_allowed() {
    let nsd = Nsd::start().await;
    let f = start(config(vec![nsd.addr])).await; // max_tcp_connections = 4
    let server = f.v4;
    still_serving(server).await;
    let mut stalled = Vec::new();
    for _ in 0..4 {
        stalled.push(TcpStream::connect(server).await.unwrap());
    }
    tokio::time::sleep(Duration::from_millis(50)).await;
    // A fifth is closed at once; UDP clients are served meanwhile.
    let mut extra = TcpStream::connect(server).await.unwrap();
    assert!(closed_within(&mut extra, Duration::from_millis(300)).await);
    let m = udp(server, "www.example.test.", RecordType::A).await;
    assert_eq!(m.metadata.response_code, ResponseCode::NoError);
    // Once the stalled ones time out, TCP works again.
    for c in &mut stalled {
        assert!(closed_within(c, Duration::from_secs(2)).await);
    }
    still_serving(server).await;
    f.server.shutdown().await;
}
