//! A minimal DNS stub client (one question, UDP or TCP), enough to check what servers answer.
//!
//! The wire format is `hickory-proto`'s; only the transport (retries, timeouts, TCP framing) is
//! ours.

use std::io::{Read, Write};
use std::net::{IpAddr, SocketAddr, TcpStream, UdpSocket};
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};
use hickory_proto::op::{Message, MessageType, OpCode, Query, ResponseCode};
use hickory_proto::rr::{Name, RData, RecordType};

/// What a DNS server answered to one query.
#[derive(Debug, Clone)]
pub struct DnsReply {
    /// The decoded response message (header flags, every section).
    pub message: Message,
    /// Time from the first send of the query (for TCP: from the start of the connect) until the
    /// reply that was accepted arrived, retries included.
    pub elapsed: Duration,
}

impl DnsReply {
    /// The response code (NOERROR, NXDOMAIN, SERVFAIL, REFUSED, ...).
    pub fn rcode(&self) -> ResponseCode {
        self.message.metadata.response_code
    }

    /// The A and AAAA addresses of the answer section, in order.
    pub fn addresses(&self) -> Vec<IpAddr> {
        self.message
            .answers
            .iter()
            .filter_map(|r| match &r.data {
                RData::A(a) => Some(IpAddr::V4(a.0)),
                RData::AAAA(a) => Some(IpAddr::V6(a.0)),
                _ => None,
            })
            .collect()
    }
}

/// Sends one query (RD set, no EDNS) from the calling thread's network namespace and waits for
/// the reply.
///
/// UDP: up to three tries, `timeout / 3` each, ignoring datagrams that are not a response with
/// the query's id. TCP: one connection with a two-byte length prefix (RFC 1035 4.2.2).
pub fn query(
    server: SocketAddr,
    name: &str,
    qtype: RecordType,
    tcp: bool,
    timeout: Duration,
) -> Result<DnsReply> {
    let what = format!(
        "{qtype} {name} @{server} over {}",
        if tcp { "TCP" } else { "UDP" }
    );
    let mut qname = Name::from_ascii(name).with_context(|| format!("bad name {name:?}"))?;
    qname.set_fqdn(true);
    let mut msg = Message::query();
    msg.metadata.recursion_desired = true;
    msg.add_query(Query::query(qname, qtype));
    let id = msg.metadata.id;
    let wire = msg
        .to_vec()
        .with_context(|| format!("encoding query {what}"))?;
    let (message, elapsed) = if tcp {
        query_tcp(server, &wire, id, timeout)
    } else {
        query_udp(server, &wire, id, timeout)
    }
    .with_context(|| format!("query {what}"))?;
    Ok(DnsReply { message, elapsed })
}

/// Decodes `buf` and checks that it is the response to query `id`.
fn decode_reply(buf: &[u8], id: u16) -> Result<Message> {
    let m = Message::from_vec(buf).context("undecodable reply")?;
    if m.metadata.id != id {
        bail!("reply has id {}, not {id}", m.metadata.id);
    }
    if m.metadata.message_type != MessageType::Response {
        bail!("reply is not a response");
    }
    if m.metadata.op_code != OpCode::Query {
        bail!("reply has opcode {:?}", m.metadata.op_code);
    }
    Ok(m)
}

fn query_udp(
    server: SocketAddr,
    msg: &[u8],
    id: u16,
    timeout: Duration,
) -> Result<(Message, Duration)> {
    let bind: SocketAddr = if server.is_ipv4() {
        "0.0.0.0:0".parse()?
    } else {
        "[::]:0".parse()?
    };
    let sock = UdpSocket::bind(bind)?;
    sock.connect(server)?;
    let per_try = timeout / 3;
    let mut buf = vec![0u8; 65535];
    let mut ignored: Option<anyhow::Error> = None;
    let start = Instant::now();
    for _ in 0..3 {
        sock.send(msg)?;
        let deadline = Instant::now() + per_try;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                break;
            }
            sock.set_read_timeout(Some(left))?;
            match sock.recv(&mut buf) {
                Ok(n) => match decode_reply(&buf[..n], id) {
                    Ok(m) => return Ok((m, start.elapsed())),
                    Err(e) => ignored = Some(e),
                },
                Err(e)
                    if e.kind() == std::io::ErrorKind::WouldBlock
                        || e.kind() == std::io::ErrorKind::TimedOut =>
                {
                    break
                }
                // ECONNREFUSED (ICMP port unreachable) and the like: wait for the next try.
                Err(_) => std::thread::sleep(left.min(Duration::from_millis(100))),
            }
        }
    }
    match ignored {
        Some(e) => bail!("no reply within {timeout:?} (ignored a datagram: {e:#})"),
        None => bail!("no reply within {timeout:?}"),
    }
}

fn query_tcp(
    server: SocketAddr,
    msg: &[u8],
    id: u16,
    timeout: Duration,
) -> Result<(Message, Duration)> {
    let len = u16::try_from(msg.len()).context("query too long for TCP framing")?;
    let start = Instant::now();
    let mut s = TcpStream::connect_timeout(&server, timeout)?;
    s.set_read_timeout(Some(timeout))?;
    s.set_write_timeout(Some(timeout))?;
    let mut framed = len.to_be_bytes().to_vec();
    framed.extend_from_slice(msg);
    s.write_all(&framed)?;
    let mut len = [0u8; 2];
    s.read_exact(&mut len)?;
    let mut body = vec![0u8; u16::from_be_bytes(len) as usize];
    s.read_exact(&mut body)?;
    let elapsed = start.elapsed();
    Ok((decode_reply(&body, id)?, elapsed))
}

#[cfg(test)]
mod tests {
    use super::*;
    use hickory_proto::rr::rdata::{A, CNAME};
    use hickory_proto::rr::Record;
    use std::str::FromStr;

    #[test]
    fn addresses_follow_answer_order_and_skip_other_types() {
        let www = Name::from_str("www.example.test.").unwrap();
        let alias = Name::from_str("alias.example.test.").unwrap();
        let mut m = Message::new(7, MessageType::Response, OpCode::Query);
        m.metadata.authoritative = true;
        m.add_query(Query::query(alias.clone(), RecordType::A));
        m.add_answer(Record::from_rdata(
            alias,
            60,
            RData::CNAME(CNAME(www.clone())),
        ));
        m.add_answer(Record::from_rdata(
            www,
            60,
            RData::A(A::new(203, 0, 113, 10)),
        ));
        let wire = m.to_vec().unwrap();
        let r = DnsReply {
            message: decode_reply(&wire, 7).unwrap(),
            elapsed: Duration::ZERO,
        };
        assert!(r.message.metadata.authoritative);
        assert_eq!(r.rcode(), ResponseCode::NoError);
        assert_eq!(r.addresses(), vec![IpAddr::from([203, 0, 113, 10])]);
        assert!(decode_reply(&wire, 8).is_err());
    }
}
