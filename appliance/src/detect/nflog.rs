//! The NFLOG feed: packets the nftables ruleset logs to a netlink group, read here as scan
//! probes.
//!
//! FIN, Xmas and Null probes belong to no connection, so conntrack calls them invalid and
//! tracks nothing; only a log rule lets the appliance see them. In the router's network
//! namespace (on the appliance the rendered ruleset has it; the lab tests add it):
//!
//! ```text
//! table inet whereflow_detect {
//!     chain invalid {
//!         type filter hook prerouting priority -150; policy accept;   # after conntrack (-200)
//!         ct state invalid log group 7
//!     }
//! }
//! ```
//!
//! with `detect.nflog_group = 7`. Packets the ruleset drops from outside may be logged to the
//! same group (`log group 7 drop`): a lone SYN counts as a probe too. Only the first 128
//! bytes of each packet are copied (`NFULNL_COPY_PACKET`, enough for the IP and TCP headers),
//! and the kernel batches them (up to 64, or 100 ms).
//!
//! Parsing uses `netlink-packet-netfilter`'s `nflog` messages; the IP and TCP/UDP headers in
//! the payload are read here. A TCP packet with ACK or RST set is a stray packet of an old
//! connection (common, harmless) and is not a probe.

use std::io;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

use netlink_packet_core::{NetlinkMessage, NetlinkPayload};
use netlink_packet_netfilter::nflog::{
    config_request, ConfigCmd, ConfigMode, ConfigNla, PacketNla, Timeout, ULogMessage,
};
use netlink_packet_netfilter::{NetfilterMessage, NetfilterMessageInner, NetfilterProtoFamily};
use netlink_sys::{protocols::NETLINK_NETFILTER, Socket, SocketAddr};
use tokio_util::sync::CancellationToken;

use super::scan::{Attempt, ProbeKind};
use crate::model::Proto;
use crate::status::Status;
use crate::sys::poll::wait_readable;
use crate::sys::socket;

/// Bytes of each packet the kernel copies to us.
const COPY_RANGE: u32 = 128;
const RCVBUF: usize = 1 << 20;

const FIN: u8 = 0x01;
const SYN: u8 = 0x02;
const RST: u8 = 0x04;
const PSH: u8 = 0x08;
const ACK: u8 = 0x10;
const URG: u8 = 0x20;

/// What a probe looks like from its TCP flags; `None` for stray packets (ACK or RST set).
pub fn classify_tcp(flags: u8) -> Option<ProbeKind> {
    let f = flags & (FIN | SYN | RST | PSH | ACK | URG);
    if f & (ACK | RST) != 0 {
        return None;
    }
    Some(if f == 0 {
        ProbeKind::Null
    } else if f & (FIN | PSH | URG) == FIN | PSH | URG {
        ProbeKind::Xmas
    } else if f & FIN != 0 {
        ProbeKind::Fin
    } else if f & SYN != 0 {
        ProbeKind::Syn
    } else {
        // PSH and/or URG alone: as odd as a Null probe.
        ProbeKind::Null
    })
}

/// A logged IP packet as a probe: source, destination, protocol, destination port and what
/// it looked like. `None` for what is not a probe (stray TCP, other protocols, fragments).
pub fn parse_packet(p: &[u8], at_ms: i64) -> Option<Attempt> {
    let (src, dst, proto, l4) = match p.first()? >> 4 {
        4 => {
            if p.len() < 20 {
                return None;
            }
            let ihl = usize::from(p[0] & 0x0f) * 4;
            let frag = u16::from_be_bytes([p[6], p[7]]) & 0x1fff;
            if ihl < 20 || p.len() < ihl || frag != 0 {
                return None;
            }
            let src = Ipv4Addr::new(p[12], p[13], p[14], p[15]);
            let dst = Ipv4Addr::new(p[16], p[17], p[18], p[19]);
            (IpAddr::V4(src), IpAddr::V4(dst), p[9], &p[ihl..])
        }
        6 => {
            if p.len() < 40 {
                return None;
            }
            let src = Ipv6Addr::from(<[u8; 16]>::try_from(&p[8..24]).ok()?);
            let dst = Ipv6Addr::from(<[u8; 16]>::try_from(&p[24..40]).ok()?);
            let mut next = p[6];
            let mut rest = &p[40..];
            // Skip hop-by-hop, routing and destination options headers.
            for _ in 0..4 {
                match next {
                    0 | 43 | 60 if rest.len() >= 8 => {
                        let len = (usize::from(rest[1]) + 1) * 8;
                        if rest.len() < len {
                            return None;
                        }
                        next = rest[0];
                        rest = &rest[len..];
                    }
                    _ => break,
                }
            }
            (IpAddr::V6(src), IpAddr::V6(dst), next, rest)
        }
        _ => return None,
    };
    let (port, kind) = match proto {
        6 => {
            if l4.len() < 14 {
                return None;
            }
            (u16::from_be_bytes([l4[2], l4[3]]), classify_tcp(l4[13])?)
        }
        17 => {
            if l4.len() < 4 {
                return None;
            }
            (u16::from_be_bytes([l4[2], l4[3]]), ProbeKind::Connection)
        }
        _ => return None,
    };
    Some(Attempt {
        src,
        dst,
        port,
        proto: Proto::from_number(proto),
        kind,
        named: false,
        at_ms,
    })
}

/// The IP payloads of the NFLOG packet messages in one datagram; acknowledgements' error
/// codes go to `acks`.
pub fn parse_datagram(buf: &[u8], acks: &mut Vec<i32>) -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    for msg in crate::netlink::frames(buf).map_while(Result::ok) {
        match NetlinkMessage::<NetfilterMessage>::deserialize(msg) {
            Ok(m) => match m.payload {
                NetlinkPayload::Error(e) => acks.push(e.raw_code()),
                NetlinkPayload::InnerMessage(NetfilterMessage {
                    inner: NetfilterMessageInner::ULog(ULogMessage::Packet(nlas)),
                    ..
                }) => {
                    for nla in nlas {
                        if let PacketNla::Payload(p) = nla {
                            out.push(p);
                        }
                    }
                }
                _ => {}
            },
            Err(e) => tracing::debug!("detect: undecodable NFLOG message: {e}"),
        }
    }
    out
}

fn send_config(socket: &Socket, group: u16, nlas: Vec<ConfigNla>) -> io::Result<()> {
    let msg = config_request(NetfilterProtoFamily::Unspec, group, nlas);
    let mut buf = vec![0; msg.buffer_len()];
    msg.serialize(&mut buf);
    socket.send(&buf, 0)?;
    Ok(())
}

/// Receive one datagram without waiting: `Ok(None)` when nothing is queued.
fn recv(socket: &Socket, buf: &mut [u8]) -> io::Result<Option<usize>> {
    match socket::recv(socket, buf, libc::MSG_DONTWAIT) {
        Ok(n) => Ok(Some(n)),
        Err(e) => match e.raw_os_error() {
            Some(libc::EAGAIN) | Some(libc::EINTR) => Ok(None),
            _ => Err(e),
        },
    }
}

/// Bind NFLOG `group` in the calling thread's network namespace; the error says why not.
fn open(group: u16) -> Result<Socket, String> {
    let mut socket =
        Socket::new(NETLINK_NETFILTER).map_err(|e| format!("opening a netlink socket: {e}"))?;
    socket
        .bind(&SocketAddr::new(0, 0))
        .map_err(|e| format!("binding the netlink socket: {e}"))?;
    // Best effort: a smaller buffer only loses probes in bursts.
    let _ = socket::set_recv_buffer(&socket, RCVBUF);
    send_config(&socket, group, vec![ConfigNla::Cmd(ConfigCmd::Bind)])
        .map_err(|e| format!("binding NFLOG group {group}: {e}"))?;
    send_config(
        &socket,
        group,
        vec![
            ConfigNla::Mode(ConfigMode::new_packet(COPY_RANGE)),
            ConfigNla::Timeout(Timeout::new(10)),
            ConfigNla::QThresh(64),
        ],
    )
    .map_err(|e| format!("configuring NFLOG group {group}: {e}"))?;
    // Two acknowledgements, each 0 or a negative errno.
    let mut buf = vec![0u8; 8192];
    let mut acks = Vec::new();
    while acks.len() < 2 {
        if !wait_readable(&socket, Duration::from_secs(2))
            .map_err(|e| format!("waiting for the kernel: {e}"))?
        {
            return Err("the kernel did not acknowledge the NFLOG binding".into());
        }
        if let Some(n) = recv(&socket, &mut buf).map_err(|e| format!("reading: {e}"))? {
            parse_datagram(&buf[..n], &mut acks);
        }
    }
    for code in acks {
        if code != 0 {
            let e = io::Error::from_raw_os_error(-code);
            let hint = match -code {
                libc::EBUSY => " (another program, e.g. ulogd, reads this group)",
                libc::EPERM => " (needs CAP_NET_ADMIN)",
                _ => "",
            };
            return Err(format!("NFLOG group {group}: {e}{hint}"));
        }
    }
    Ok(socket)
}

/// Bind NFLOG `group` (in the calling thread's namespace) and read it on a thread of its own
/// until `shutdown`, handing each probe to `send` (which must not block; `false`: stop).
/// A group that cannot be bound is a warning in `status`.
pub fn spawn(
    group: u16,
    send: impl Fn(Attempt) -> bool + Send + 'static,
    status: Arc<Status>,
    shutdown: CancellationToken,
) -> Option<JoinHandle<()>> {
    let socket = match open(group) {
        Ok(s) => s,
        Err(e) => {
            status.warn(crate::status::StatusWords::new(
                "detect-nflog-unreadable",
                [("error", e.to_string())],
            ));
            return None;
        }
    };
    let thread = std::thread::Builder::new()
        .name("detect-nflog".into())
        .spawn(move || {
            let mut buf = vec![0u8; 64 * 1024];
            let mut acks = Vec::new();
            while !shutdown.is_cancelled() {
                match wait_readable(&socket, Duration::from_millis(200)) {
                    Ok(true) => {}
                    Ok(false) => continue,
                    Err(e) => {
                        tracing::warn!("detect: NFLOG socket: {e}");
                        return;
                    }
                }
                loop {
                    match recv(&socket, &mut buf) {
                        Ok(Some(n)) => {
                            let now = chrono::Utc::now().timestamp_millis();
                            acks.clear();
                            for p in parse_datagram(&buf[..n], &mut acks) {
                                if let Some(a) = parse_packet(&p, now) {
                                    if !send(a) {
                                        return;
                                    }
                                }
                            }
                        }
                        Ok(None) => break,
                        Err(e) if e.raw_os_error() == Some(libc::ENOBUFS) => {
                            tracing::debug!("detect: NFLOG socket overflowed; packets lost");
                        }
                        Err(e) => {
                            tracing::warn!("detect: NFLOG socket: {e}");
                            return;
                        }
                    }
                }
            }
        });
    match thread {
        Ok(h) => Some(h),
        Err(e) => {
            status.warn(crate::status::StatusWords::new(
                "detect-nflog-thread",
                [("error", e.to_string())],
            ));
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ipv4_tcp(flags: u8, dport: u16) -> Vec<u8> {
        let mut p = vec![0x45, 0, 0, 40, 0, 0, 0x40, 0, 64, 6, 0, 0];
        p.extend_from_slice(&[192, 0, 2, 10, 203, 0, 113, 7]);
        let mut tcp = vec![0u8; 20];
        tcp[0..2].copy_from_slice(&40000u16.to_be_bytes());
        tcp[2..4].copy_from_slice(&dport.to_be_bytes());
        tcp[12] = 5 << 4;
        tcp[13] = flags;
        p.extend(tcp);
        p
    }

    #[test]
    fn flags_table() {
        let cases: &[(u8, Option<ProbeKind>)] = &[
            (SYN, Some(ProbeKind::Syn)),
            (FIN, Some(ProbeKind::Fin)),
            (FIN | PSH | URG, Some(ProbeKind::Xmas)),
            (0, Some(ProbeKind::Null)),
            (FIN | SYN, Some(ProbeKind::Fin)),
            (PSH, Some(ProbeKind::Null)),
            (SYN | ACK, None),
            (FIN | ACK, None),
            (ACK, None),
            (RST, None),
            (RST | ACK, None),
            (FIN | PSH | ACK, None),
        ];
        for &(flags, want) in cases {
            assert_eq!(classify_tcp(flags), want, "flags {flags:#04x}");
        }
    }

    #[test]
    fn packets() {
        let a = parse_packet(&ipv4_tcp(FIN | PSH | URG, 22), 5).unwrap();
        assert_eq!(a.src, "192.0.2.10".parse::<IpAddr>().unwrap());
        assert_eq!(a.dst, "203.0.113.7".parse::<IpAddr>().unwrap());
        assert_eq!(
            (a.port, a.proto, a.kind, a.at_ms),
            (22, Proto::Tcp, ProbeKind::Xmas, 5)
        );
        assert_eq!(parse_packet(&ipv4_tcp(ACK, 22), 0), None);
        // Truncated, fragmented, not IP.
        assert_eq!(parse_packet(&ipv4_tcp(FIN, 22)[..30], 0), None);
        let mut frag = ipv4_tcp(FIN, 22);
        frag[7] = 1;
        assert_eq!(parse_packet(&frag, 0), None);
        assert_eq!(parse_packet(&[], 0), None);
        assert_eq!(parse_packet(&[0x20; 60], 0), None);
        // IPv6 with a destination-options header before TCP.
        let mut v6 = vec![0x60, 0, 0, 0, 0, 28, 60, 64];
        v6.extend_from_slice(&"2001:db8:1::a".parse::<Ipv6Addr>().unwrap().octets());
        v6.extend_from_slice(&"2001:db8:2::7".parse::<Ipv6Addr>().unwrap().octets());
        v6.extend_from_slice(&[6, 0, 1, 4, 0, 0, 0, 0]);
        v6.extend_from_slice(&ipv4_tcp(0, 443)[20..]);
        let a = parse_packet(&v6, 0).unwrap();
        assert_eq!((a.port, a.kind), (443, ProbeKind::Null));
        assert_eq!(a.dst, "2001:db8:2::7".parse::<IpAddr>().unwrap());
        // Every truncation of a good packet is handled.
        let good = ipv4_tcp(FIN, 22);
        for cut in 0..good.len() {
            let _ = parse_packet(&good[..cut], 0);
        }
    }

    /// An NFLOG packet message as the kernel sends it, built with the crate, parsed back.
    #[test]
    fn netlink_messages() {
        use netlink_packet_core::NetlinkHeader;
        use netlink_packet_netfilter::NetfilterHeader;
        let payload = ipv4_tcp(0, 80);
        let mut msg = NetlinkMessage::new(
            NetlinkHeader::default(),
            NetlinkPayload::from(NetfilterMessage::new(
                NetfilterHeader::new(NetfilterProtoFamily::IPv4, 0, 7),
                ULogMessage::Packet(vec![
                    PacketNla::IfIndexInDev(3),
                    PacketNla::Payload(payload.clone()),
                ]),
            )),
        );
        msg.finalize();
        let mut buf = vec![0; msg.buffer_len()];
        msg.serialize(&mut buf);
        let two = [buf.clone(), buf].concat();
        let mut acks = Vec::new();
        let got = parse_datagram(&two, &mut acks);
        assert_eq!(got, vec![payload.clone(), payload]);
        assert!(acks.is_empty());
        assert!(parse_datagram(&two[..20], &mut acks).is_empty());
    }
}
