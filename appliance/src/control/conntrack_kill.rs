//! Ending a live connection: its conntrack entry deleted over netlink.
//!
//! A flow is known to the API by its conntrack id (`CTA_ID`), device, destination, port and
//! protocol, but deleting needs the whole ORIGINAL tuple (the device's port too, and for
//! ICMP the id), and a delete request without a tuple would flush the whole table. So
//! [`find`] dumps the table (`IPCTNL_MSG_CT_GET`, the same request the reader sends) and
//! picks the entry with that id and those addresses, keeping its tuple exactly as the
//! kernel wrote it; [`delete`] sends `IPCTNL_MSG_CT_DELETE` with that `CTA_TUPLE_ORIG` and
//! `CTA_ID` (the kernel refuses with ENOENT when the id no longer matches) and waits for
//! the acknowledgement.
//!
//! What the kernel does after the delete (checked on Linux 6.18 in the lab, masquerade NAT):
//! the entry and its NAT mapping are gone and the reader sees a DESTROY event, so the flow
//! shows closed. Nothing is sent to either end. The next packet of the connection is
//! tracked again from the middle (`nf_conntrack_tcp_loose`, on by default) and, with the
//! same masquerade port still free, the connection would simply go on as a new flow. That
//! is why `control` first adds the connection's tuple, both directions, to the `killed`
//! sets of its nftables table (`nft::Nft::kill`) for `control.kill_reject_secs`: the
//! device's next TCP packet is then answered with a reset (its socket reports "connection
//! reset"), a UDP datagram with ICMP port unreachable. The server's next packet, no longer
//! translated back, is addressed to the appliance itself: its firewall drops it (in the test
//! lab, which has none, the router's kernel answers it with a reset). A client that sends
//! nothing learns of it only when it next sends.

use std::net::IpAddr;
use std::time::{Duration, Instant};

use netlink_packet_netfilter::conntrack::Tuple;
use netlink_sys::{protocols::NETLINK_NETFILTER, Socket, SocketAddr};

use crate::conntrack::wire::{self, Message};
use crate::conntrack::FlowTuple;
use crate::model::Proto;
use crate::sys::{poll, socket};

/// Longest time a dump and a delete may take together.
const DEADLINE: Duration = Duration::from_secs(3);
/// Receive buffer for one dump batch (the kernel sends at most 32 KiB at a time).
const RECV_BUF: usize = 64 * 1024;

/// Why a connection could not be ended.
#[derive(Debug, thiserror::Error)]
pub enum KillError {
    /// The kernel has no such connection (it ended already, or the id was reused).
    #[error("the connection is not in the kernel's table any more (it has ended)")]
    NotFound,
    /// Not allowed (the daemon lacks CAP_NET_ADMIN).
    #[error("not allowed to change the connection table (needs CAP_NET_ADMIN): {0}")]
    PermissionDenied(std::io::Error),
    /// The kernel refused the delete with this errno.
    #[error("the kernel refused to delete the connection: {0}")]
    Refused(std::io::Error),
    /// The socket failed, or the kernel did not answer within the deadline.
    #[error("talking to the kernel's connection table: {0}")]
    Io(std::io::Error),
}

impl KillError {
    fn from_io(e: std::io::Error) -> KillError {
        match e.raw_os_error() {
            Some(libc::EPERM) | Some(libc::EACCES) => KillError::PermissionDenied(e),
            _ => KillError::Io(e),
        }
    }
}

/// The connection to end, as the flow list knows it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Target {
    /// `CTA_ID`.
    pub id: u32,
    /// Transport protocol.
    pub proto: Proto,
    /// The device (original source).
    pub device: IpAddr,
    /// The destination (original destination, before NAT).
    pub remote: IpAddr,
    /// The destination port (0 for ICMP: not compared).
    pub remote_port: u16,
}

impl Target {
    /// Whether a dumped entry is this connection.
    pub fn matches(&self, id: u32, t: &FlowTuple) -> bool {
        id == self.id
            && t.proto == self.proto
            && t.src.to_canonical() == self.device.to_canonical()
            && t.dst.to_canonical() == self.remote.to_canonical()
            && (matches!(self.proto, Proto::Icmp) || t.dst_port == self.remote_port)
    }
}

/// A connection found in the table: its tuple as we read it, and as the kernel wrote it.
#[derive(Clone, Debug)]
pub struct Found {
    /// `CTA_ID`.
    pub id: u32,
    /// The ORIGINAL tuple (the device's port included).
    pub tuple: FlowTuple,
    /// `CTA_TUPLE_ORIG` exactly as dumped, sent back in the delete.
    raw_tuple: Vec<Tuple>,
}

/// An open ctnetlink socket for one request at a time.
struct CtRequest {
    socket: Socket,
    buf: Vec<u8>,
    deadline: Instant,
}

impl CtRequest {
    fn open() -> Result<CtRequest, KillError> {
        let mut socket = Socket::new(NETLINK_NETFILTER).map_err(KillError::from_io)?;
        socket
            .bind(&SocketAddr::new(0, 0))
            .map_err(KillError::from_io)?;
        Ok(CtRequest {
            socket,
            buf: vec![0; RECV_BUF],
            deadline: Instant::now() + DEADLINE,
        })
    }

    fn send(&self, bytes: &[u8]) -> Result<(), KillError> {
        let n = self.socket.send(bytes, 0).map_err(KillError::from_io)?;
        if n != bytes.len() {
            return Err(KillError::Io(std::io::Error::other(
                "short send on netlink socket",
            )));
        }
        Ok(())
    }

    /// The next datagram, waiting at most until the deadline.
    fn recv(&mut self) -> Result<&[u8], KillError> {
        loop {
            let left = self.deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return Err(KillError::Io(std::io::Error::new(
                    std::io::ErrorKind::TimedOut,
                    "no answer from the kernel within 3 s",
                )));
            }
            match poll::wait_readable(&self.socket, left.min(DEADLINE)) {
                Ok(true) => {}
                Ok(false) => continue,
                Err(e) => return Err(KillError::Io(e)),
            }
            let n = match socket::recv(&self.socket, &mut self.buf, libc::MSG_DONTWAIT) {
                Ok(n) => n,
                Err(e) => match e.raw_os_error() {
                    Some(libc::EAGAIN) | Some(libc::EINTR) => continue,
                    _ => return Err(KillError::Io(e)),
                },
            };
            return Ok(&self.buf[..n.min(self.buf.len())]);
        }
    }
}

/// Split a datagram into its netlink messages (bytes each).
fn messages(datagram: &[u8]) -> impl Iterator<Item = &[u8]> {
    crate::netlink::frames(datagram).map_while(Result::ok)
}

/// Look the connection up in the kernel's table (a dump, in the calling thread's network
/// namespace). Blocking: call it from a blocking thread.
pub fn find(target: &Target) -> Result<Found, KillError> {
    let mut req = CtRequest::open()?;
    let seq = 0x5743_4b00; // "WCK\0": any value; replies carry it back.
    req.send(&wire::dump_request(seq))?;
    let mut found = None;
    loop {
        let datagram = req.recv()?;
        let mut done = false;
        for bytes in messages(datagram) {
            let env = wire::parse_message(bytes);
            match env.message {
                Message::Flow { flow, .. }
                    if found.is_none() && target.matches(flow.id, &flow.tuple) =>
                {
                    if let Some(raw) = wire::raw_tuple(bytes) {
                        found = Some(Found {
                            id: flow.id,
                            tuple: flow.tuple,
                            raw_tuple: raw,
                        });
                    }
                }
                Message::Done => done = true,
                Message::Error(code) if code != 0 => {
                    return Err(KillError::from_io(std::io::Error::from_raw_os_error(-code)))
                }
                _ => {}
            }
        }
        if done {
            break;
        }
    }
    found.ok_or(KillError::NotFound)
}

/// Delete a found connection's entry and wait for the kernel's answer. Blocking.
pub fn delete(found: &Found) -> Result<(), KillError> {
    let mut req = CtRequest::open()?;
    let seq = 0x5743_4b01;
    req.send(&wire::delete_request(
        &found.tuple,
        &found.raw_tuple,
        found.id,
        seq,
    ))?;
    loop {
        let datagram = req.recv()?;
        for bytes in messages(datagram) {
            let env = wire::parse_message(bytes);
            if env.seq != seq {
                continue;
            }
            match env.message {
                Message::Error(0) => return Ok(()),
                Message::Error(code) if -code == libc::ENOENT => return Err(KillError::NotFound),
                Message::Error(code) => {
                    let e = std::io::Error::from_raw_os_error(-code);
                    return Err(match -code {
                        libc::EPERM | libc::EACCES => KillError::PermissionDenied(e),
                        _ => KillError::Refused(e),
                    });
                }
                _ => {}
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use netlink_packet_netfilter::conntrack::{IPTuple, ProtoTuple, Protocol};

    fn found() -> Found {
        Found {
            id: 0xDEAD_BEEF,
            tuple: FlowTuple {
                proto: Proto::Tcp,
                src: "192.0.2.10".parse().unwrap(),
                dst: "203.0.113.5".parse().unwrap(),
                src_port: 40_000,
                dst_port: 443,
            },
            raw_tuple: vec![
                Tuple::Ip(vec![
                    IPTuple::SourceAddress("192.0.2.10".parse().unwrap()),
                    IPTuple::DestinationAddress("203.0.113.5".parse().unwrap()),
                ]),
                Tuple::Proto(vec![
                    ProtoTuple::Protocol(Protocol::Tcp),
                    ProtoTuple::SourcePort(40_000),
                    ProtoTuple::DestinationPort(443),
                ]),
            ],
        }
    }

    #[test]
    fn targets_match_id_addresses_port_and_protocol() {
        let f = found();
        let t = Target {
            id: f.id,
            proto: Proto::Tcp,
            device: f.tuple.src,
            remote: f.tuple.dst,
            remote_port: 443,
        };
        assert!(t.matches(f.id, &f.tuple));
        assert!(!t.matches(f.id + 1, &f.tuple));
        assert!(!Target {
            remote_port: 80,
            ..t
        }
        .matches(f.id, &f.tuple));
        assert!(!Target {
            proto: Proto::Udp,
            ..t
        }
        .matches(f.id, &f.tuple));
        assert!(!Target {
            device: "192.0.2.11".parse().unwrap(),
            ..t
        }
        .matches(f.id, &f.tuple));
    }

    #[test]
    fn datagrams_split_into_messages() {
        let f = found();
        let a = wire::delete_request(&f.tuple, &f.raw_tuple, f.id, 1);
        let b = wire::delete_request(&f.tuple, &f.raw_tuple, f.id, 2);
        let mut d = a.clone();
        d.extend_from_slice(&b);
        let parts: Vec<&[u8]> = messages(&d).collect();
        assert_eq!(parts, vec![&a[..], &b[..]]);
        assert_eq!(messages(&d[..10]).count(), 0);
    }
}
