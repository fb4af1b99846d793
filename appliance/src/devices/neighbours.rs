//! rtnetlink bytes ⇄ the kernel's neighbour table (ARP for IPv4, NDP for IPv6): building the
//! `RTM_GETNEIGH` dump request and decoding `RTM_NEWNEIGH`/`RTM_DELNEIGH` messages (dump
//! entries and `RTNLGRP_NEIGH` events have the same shape). Pure: no sockets, no clock; the
//! socket is in `rtnetlink`.
//!
//! Decoding goes through `netlink-packet-route`. Only IPv4 and IPv6 entries with a unicast
//! Ethernet address in a usable state become [`Neighbour`]s; what the kernel could not resolve
//! (`INCOMPLETE`, `FAILED`) and deletions become [`NeighMessage::Gone`]; multicast, `NOARP`
//! (loopback, point-to-point links) and bridge forwarding entries (family `AF_BRIDGE`, which
//! the kernel sends to the same event group) are [`NeighMessage::Ignored`].

use std::net::IpAddr;
use std::time::Duration;

use netlink_packet_core::{
    NetlinkHeader, NetlinkMessage, NetlinkPayload, NLM_F_DUMP, NLM_F_REQUEST,
};
use netlink_packet_route::neighbour::{
    NeighbourAddress, NeighbourAttribute, NeighbourMessage, NeighbourState,
};
use netlink_packet_route::{AddressFamily, RouteNetlinkMessage};

use super::mac::MacAddr;

/// `RTNLGRP_NEIGH` (linux/rtnetlink.h): the neighbour event group.
pub const RTNLGRP_NEIGH: u32 = 3;

/// The kernel reports cache ages in `USER_HZ` ticks (`jiffies_to_clock_t`), 100 a second on
/// every Linux architecture.
const USER_HZ: u64 = 100;

/// How sure the kernel is of an entry.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NeighState {
    /// Confirmed recently (traffic from the device, or an answer to a probe).
    Reachable,
    /// Known, not confirmed lately (the kernel will probe it when it is used).
    Stale,
    /// Used recently, waiting for confirmation.
    Delay,
    /// Being probed.
    Probe,
    /// Set by hand (`ip neigh add ... permanent`).
    Permanent,
}

/// One usable entry: this IP address is at this MAC address.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Neighbour {
    /// The device's address.
    pub ip: IpAddr,
    /// Its hardware address.
    pub mac: MacAddr,
    /// The interface the kernel saw it on.
    pub ifindex: u32,
    /// How sure the kernel is.
    pub state: NeighState,
    /// How long ago the kernel last confirmed the entry (`ndm_confirmed`), if it said.
    pub confirmed_ago: Option<Duration>,
}

/// One netlink message, decoded as far as the device registry cares.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NeighMessage {
    /// A usable entry (dump or event).
    Entry(Neighbour),
    /// The kernel no longer has a MAC for this address on this interface (deleted, failed,
    /// or being resolved again).
    Gone {
        /// The address.
        ip: IpAddr,
        /// The interface.
        ifindex: u32,
    },
    /// A neighbour message that cannot be used (undecodable, no address); says why.
    Unusable(String),
    /// `NLMSG_DONE`: the end of a dump.
    Done,
    /// `NLMSG_ERROR`: 0 is an acknowledgement, anything else a negative errno.
    Error(i32),
    /// Not about a device: other families, multicast, `NOARP`, other message types.
    Ignored,
}

/// The dump request for the whole neighbour table, IPv4 and IPv6 (`AF_UNSPEC`).
pub fn dump_request(seq: u32) -> Vec<u8> {
    let mut header = NetlinkHeader::default();
    header.flags = NLM_F_REQUEST | NLM_F_DUMP;
    header.sequence_number = seq;
    let mut packet = NetlinkMessage::new(
        header,
        NetlinkPayload::from(RouteNetlinkMessage::GetNeighbour(
            NeighbourMessage::default(),
        )),
    );
    packet.finalize();
    let mut buf = vec![0; packet.buffer_len()];
    packet.serialize(&mut buf);
    buf
}

/// Split a datagram into its netlink messages and decode each one. Broken framing ends the
/// datagram with an [`NeighMessage::Unusable`].
pub fn parse_datagram(buf: &[u8]) -> Vec<NeighMessage> {
    crate::netlink::frames(buf)
        .map(|frame| match frame {
            Ok(msg) => parse_message(msg),
            Err(why) => NeighMessage::Unusable(why),
        })
        .collect()
}

/// Decode one netlink message (header included).
pub fn parse_message(bytes: &[u8]) -> NeighMessage {
    let msg = match NetlinkMessage::<RouteNetlinkMessage>::deserialize(bytes) {
        Ok(m) => m,
        Err(e) => return NeighMessage::Unusable(format!("undecodable rtnetlink message: {e}")),
    };
    match msg.payload {
        NetlinkPayload::Done(_) => NeighMessage::Done,
        NetlinkPayload::Error(e) => NeighMessage::Error(e.raw_code()),
        NetlinkPayload::InnerMessage(RouteNetlinkMessage::NewNeighbour(m)) => {
            from_neighbour(&m, false)
        }
        NetlinkPayload::InnerMessage(RouteNetlinkMessage::DelNeighbour(m)) => {
            from_neighbour(&m, true)
        }
        _ => NeighMessage::Ignored,
    }
}

fn from_neighbour(m: &NeighbourMessage, deleted: bool) -> NeighMessage {
    if !matches!(m.header.family, AddressFamily::Inet | AddressFamily::Inet6) {
        return NeighMessage::Ignored;
    }
    let mut ip = None;
    let mut lladdr = None;
    let mut confirmed_ago = None;
    for a in &m.attributes {
        match a {
            NeighbourAttribute::Destination(NeighbourAddress::Inet(v4)) => {
                ip = Some(IpAddr::V4(*v4))
            }
            NeighbourAttribute::Destination(NeighbourAddress::Inet6(v6)) => {
                ip = Some(IpAddr::V6(*v6))
            }
            NeighbourAttribute::LinkLayerAddress(bytes) => lladdr = Some(bytes.as_slice()),
            NeighbourAttribute::CacheInfo(ci) => {
                confirmed_ago = Some(Duration::from_millis(
                    u64::from(ci.confirmed) * 1000 / USER_HZ,
                ));
            }
            _ => {}
        }
    }
    let Some(ip) = ip else {
        return NeighMessage::Unusable("neighbour message without a destination address".into());
    };
    let ifindex = m.header.ifindex;
    if ip.is_multicast() || ip.is_unspecified() || ip.is_loopback() {
        return NeighMessage::Ignored;
    }
    if deleted {
        return NeighMessage::Gone { ip, ifindex };
    }
    let state = match m.header.state {
        NeighbourState::Reachable => NeighState::Reachable,
        NeighbourState::Stale => NeighState::Stale,
        NeighbourState::Delay => NeighState::Delay,
        NeighbourState::Probe => NeighState::Probe,
        NeighbourState::Permanent => NeighState::Permanent,
        NeighbourState::Incomplete | NeighbourState::Failed | NeighbourState::None => {
            return NeighMessage::Gone { ip, ifindex }
        }
        // NOARP (no resolution on this link) and unknown combinations.
        _ => return NeighMessage::Ignored,
    };
    let mac = match lladdr.map(MacAddr::from_bytes) {
        Some(Ok(mac)) if mac.is_unicast() => mac,
        Some(Ok(_)) => return NeighMessage::Ignored,
        Some(Err(e)) => return NeighMessage::Unusable(format!("neighbour {ip}: {e}")),
        None => return NeighMessage::Gone { ip, ifindex },
    };
    NeighMessage::Entry(Neighbour {
        ip,
        mac,
        ifindex,
        state,
        confirmed_ago,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use netlink_packet_core::{DoneMessage, NetlinkDeserializable, NLM_F_MULTIPART};
    use netlink_packet_route::neighbour::NeighbourCacheInfo;

    fn message(
        del: bool,
        family: AddressFamily,
        state: NeighbourState,
        attrs: Vec<NeighbourAttribute>,
    ) -> Vec<u8> {
        let mut n = NeighbourMessage::default();
        n.header.family = family;
        n.header.ifindex = 7;
        n.header.state = state;
        n.attributes = attrs;
        let inner = if del {
            RouteNetlinkMessage::DelNeighbour(n)
        } else {
            RouteNetlinkMessage::NewNeighbour(n)
        };
        let mut header = NetlinkHeader::default();
        header.flags = NLM_F_MULTIPART;
        let mut packet = NetlinkMessage::new(header, NetlinkPayload::from(inner));
        packet.finalize();
        let mut buf = vec![0; packet.buffer_len()];
        packet.serialize(&mut buf);
        buf
    }

    fn v4(s: &str) -> NeighbourAttribute {
        NeighbourAttribute::Destination(NeighbourAddress::Inet(s.parse().unwrap()))
    }

    fn ll(b: [u8; 6]) -> NeighbourAttribute {
        NeighbourAttribute::LinkLayerAddress(b.to_vec())
    }

    const MAC: [u8; 6] = [0xb8, 0x27, 0xeb, 1, 2, 3];

    #[test]
    fn dump_request_is_a_getneigh_dump() {
        let req = dump_request(42);
        let msg = NetlinkMessage::<RouteNetlinkMessage>::deserialize(&req).unwrap();
        assert_eq!(msg.header.sequence_number, 42);
        assert_eq!(msg.header.flags, NLM_F_REQUEST | NLM_F_DUMP);
        assert_eq!(msg.header.message_type, 30, "RTM_GETNEIGH");
        assert!(matches!(
            msg.payload,
            NetlinkPayload::InnerMessage(RouteNetlinkMessage::GetNeighbour(_))
        ));
        assert_eq!(req.len(), 16 + 12);
    }

    #[test]
    fn usable_entries() {
        let mut raw = [0u8; 16];
        raw[..4].copy_from_slice(&250u32.to_ne_bytes());
        let cache = NeighbourAttribute::CacheInfo(NeighbourCacheInfo::parse(&raw).unwrap());
        let mut dgram = message(
            false,
            AddressFamily::Inet,
            NeighbourState::Reachable,
            vec![v4("192.0.2.10"), ll(MAC), cache],
        );
        let v6 = NeighbourAttribute::Destination(NeighbourAddress::Inet6(
            "2001:db8:1::a".parse().unwrap(),
        ));
        dgram.extend(message(
            false,
            AddressFamily::Inet6,
            NeighbourState::Stale,
            vec![v6, ll(MAC)],
        ));
        let mut done = NetlinkMessage::new(
            NetlinkHeader::default(),
            NetlinkPayload::<RouteNetlinkMessage>::Done(DoneMessage::default()),
        );
        done.finalize();
        let mut buf = vec![0; done.buffer_len()];
        done.serialize(&mut buf);
        dgram.extend(buf);

        let got = parse_datagram(&dgram);
        assert_eq!(got.len(), 3, "{got:?}");
        let NeighMessage::Entry(a) = &got[0] else {
            panic!("{got:?}")
        };
        assert_eq!(a.ip, "192.0.2.10".parse::<IpAddr>().unwrap());
        assert_eq!(a.mac, MacAddr(MAC));
        assert_eq!(a.ifindex, 7);
        assert_eq!(a.state, NeighState::Reachable);
        assert_eq!(a.confirmed_ago, Some(Duration::from_millis(2500)));
        let NeighMessage::Entry(b) = &got[1] else {
            panic!("{got:?}")
        };
        assert_eq!(b.state, NeighState::Stale);
        assert_eq!(b.confirmed_ago, None);
        assert_eq!(got[2], NeighMessage::Done);
    }

    #[test]
    fn gone_and_ignored() {
        let ip: IpAddr = "192.0.2.10".parse().unwrap();
        let gone = NeighMessage::Gone { ip, ifindex: 7 };
        let cases = [
            (
                message(
                    true,
                    AddressFamily::Inet,
                    NeighbourState::Stale,
                    vec![v4("192.0.2.10"), ll(MAC)],
                ),
                gone.clone(),
            ),
            (
                message(
                    false,
                    AddressFamily::Inet,
                    NeighbourState::Failed,
                    vec![v4("192.0.2.10")],
                ),
                gone.clone(),
            ),
            (
                message(
                    false,
                    AddressFamily::Inet,
                    NeighbourState::Incomplete,
                    vec![v4("192.0.2.10")],
                ),
                gone.clone(),
            ),
            (
                message(
                    false,
                    AddressFamily::Inet,
                    NeighbourState::Noarp,
                    vec![v4("192.0.2.10"), ll(MAC)],
                ),
                NeighMessage::Ignored,
            ),
            (
                message(
                    false,
                    AddressFamily::Inet,
                    NeighbourState::Permanent,
                    vec![v4("224.0.0.251"), ll(MAC)],
                ),
                NeighMessage::Ignored,
            ),
            (
                message(
                    false,
                    AddressFamily::Inet,
                    NeighbourState::Reachable,
                    vec![v4("192.0.2.10"), ll([0xff; 6])],
                ),
                NeighMessage::Ignored,
            ),
            (
                message(
                    false,
                    AddressFamily::Bridge,
                    NeighbourState::Reachable,
                    vec![ll(MAC)],
                ),
                NeighMessage::Ignored,
            ),
        ];
        for (bytes, want) in cases {
            assert_eq!(parse_datagram(&bytes), vec![want]);
        }
        let no_dst = message(
            false,
            AddressFamily::Inet,
            NeighbourState::Reachable,
            vec![ll(MAC)],
        );
        assert!(matches!(
            parse_datagram(&no_dst)[..],
            [NeighMessage::Unusable(_)]
        ));
        let short_ll = message(
            false,
            AddressFamily::Inet,
            NeighbourState::Reachable,
            vec![
                v4("192.0.2.10"),
                NeighbourAttribute::LinkLayerAddress(vec![1, 2, 3]),
            ],
        );
        assert!(matches!(
            parse_datagram(&short_ll)[..],
            [NeighMessage::Unusable(_)]
        ));
    }

    /// `ip -4 neighbour show` as captured by the netlink-packet-route authors (their test),
    /// with a netlink header put in front: 172.17.2.1 at 1c:69:7a:07:c3:36, REACHABLE.
    #[test]
    fn real_kernel_bytes() {
        let body: [u8; 60] = [
            0x02, 0x00, 0x00, 0x00, 0x03, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x01, 0x08, 0x00,
            0x01, 0x00, 0xac, 0x11, 0x02, 0x01, 0x0a, 0x00, 0x02, 0x00, 0x1c, 0x69, 0x7a, 0x07,
            0xc3, 0x36, 0x00, 0x00, 0x08, 0x00, 0x04, 0x00, 0x01, 0x00, 0x00, 0x00, 0x14, 0x00,
            0x03, 0x00, 0x71, 0x01, 0x00, 0x00, 0xcb, 0x0d, 0x1f, 0x00, 0xcb, 0x0d, 0x1f, 0x00,
            0x01, 0x00, 0x00, 0x00,
        ];
        let mut bytes = Vec::new();
        bytes.extend_from_slice(&(16u32 + 60).to_ne_bytes());
        bytes.extend_from_slice(&28u16.to_ne_bytes()); // RTM_NEWNEIGH
        bytes.extend_from_slice(&2u16.to_ne_bytes()); // NLM_F_MULTI
        bytes.extend_from_slice(&[0; 8]);
        bytes.extend_from_slice(&body);
        let got = parse_datagram(&bytes);
        let [NeighMessage::Entry(n)] = &got[..] else {
            panic!("{got:?}")
        };
        assert_eq!(n.ip, "172.17.2.1".parse::<IpAddr>().unwrap());
        assert_eq!(n.mac.to_string(), "1c:69:7a:07:c3:36");
        assert_eq!(n.ifindex, 3);
        assert_eq!(n.confirmed_ago, Some(Duration::from_millis(3690)));
    }

    #[test]
    fn broken_bytes_do_not_panic() {
        assert!(parse_datagram(&[]).is_empty());
        let mut bytes = message(
            false,
            AddressFamily::Inet,
            NeighbourState::Reachable,
            vec![v4("192.0.2.10"), ll(MAC)],
        );
        // Claims more than there is.
        bytes[0] = 200;
        assert!(matches!(
            parse_datagram(&bytes)[..],
            [NeighMessage::Unusable(_)]
        ));
        // Every truncation and every single-byte corruption of a good message.
        let good = message(
            false,
            AddressFamily::Inet,
            NeighbourState::Reachable,
            vec![v4("192.0.2.10"), ll(MAC)],
        );
        for cut in 0..good.len() {
            let _ = parse_datagram(&good[..cut]);
            let mut b = good.clone();
            b[cut] ^= 0xff;
            let _ = parse_datagram(&b);
        }
        // Deserialising an unknown rtnetlink type directly is an error, not a panic.
        let _ = RouteNetlinkMessage::deserialize(&NetlinkHeader::default(), &[1, 2, 3]);
    }
}
