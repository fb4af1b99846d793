//! ctnetlink bytes ⇄ flows: splitting datagrams into netlink messages, decoding conntrack
//! messages into [`WireFlow`]s, and building the dump request and the request that deletes
//! one connection. Pure: no sockets, no clock.
//!
//! Parsing goes through `netlink-packet-netfilter` (tuples, status, protoinfo); the
//! attributes that crate leaves as raw NLAs are decoded here with `netlink-packet-core`'s
//! helpers: `CTA_ID`, `CTA_COUNTERS_ORIG`/`_REPLY`, `CTA_TIMESTAMP`, `CTA_TIMESTAMP_EVENT`
//! and the ICMP parts of the tuple.
//!
//! What the kernel sends (checked on Linux 6.18, see `testdata/`):
//! - NEW events (`IPCTNL_MSG_CT_NEW` with `NLM_F_CREATE|NLM_F_EXCL`) and UPDATE events (NEW
//!   without those flags) carry tuples, id, status, timeout, protoinfo and
//!   `CTA_TIMESTAMP_EVENT`, but neither counters nor `CTA_TIMESTAMP`;
//! - DESTROY events (`IPCTNL_MSG_CT_DELETE`) add counters and `CTA_TIMESTAMP` (start, stop);
//! - dump entries (NEW type, `NLM_F_MULTIPART`) carry counters and `CTA_TIMESTAMP` (start).

use std::net::IpAddr;

use netlink_packet_core::{
    parse_u32_be, parse_u64_be, parse_u8, DefaultNla, NetlinkHeader, NetlinkMessage,
    NetlinkPayload, Nla, NlaBuffer, NlasIterator, NLA_TYPE_MASK, NLM_F_ACK, NLM_F_CREATE,
    NLM_F_DUMP, NLM_F_DUMP_INTR, NLM_F_EXCL, NLM_F_REQUEST,
};
use netlink_packet_netfilter::conntrack::{
    ConntrackAttribute, ConntrackMessage, IPTuple, ProtoTuple, Tuple,
};
use netlink_packet_netfilter::{
    NetfilterHeader, NetfilterMessage, NetfilterMessageInner, NetfilterProtoFamily,
};

use super::flow::{Counters, FlowTuple};
use crate::model::Proto;

// Top-level conntrack attributes the crate does not decode (linux/netfilter/nfnetlink_conntrack.h).
const CTA_COUNTERS_ORIG: u16 = 9;
const CTA_COUNTERS_REPLY: u16 = 10;
const CTA_ID: u16 = 12;
const CTA_TIMESTAMP: u16 = 20;
const CTA_TIMESTAMP_EVENT: u16 = 27;
// Inside CTA_COUNTERS_*.
const CTA_COUNTERS_PACKETS: u16 = 1;
const CTA_COUNTERS_BYTES: u16 = 2;
const CTA_COUNTERS32_PACKETS: u16 = 3;
const CTA_COUNTERS32_BYTES: u16 = 4;
// Inside CTA_TIMESTAMP.
const CTA_TIMESTAMP_START: u16 = 1;
// Inside CTA_TUPLE_PROTO, for ICMP and ICMPv6.
const CTA_PROTO_ICMP_TYPE: u16 = 5;
const CTA_PROTO_ICMP_CODE: u16 = 6;
const CTA_PROTO_ICMPV6_TYPE: u16 = 8;
const CTA_PROTO_ICMPV6_CODE: u16 = 9;
// nlmsg_type: below this, netlink's own messages (NOOP, ERROR, DONE, OVERRUN); above it, a
// netfilter subsystem in the high byte (linux/netfilter/nfnetlink.h).
const NLMSG_MIN_TYPE: u16 = 0x10;
const NFNL_SUBSYS_CTNETLINK: u16 = 1;

/// What a conntrack message says happened to a flow.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FlowChange {
    /// NEW event (`IPCTNL_MSG_CT_NEW` with `NLM_F_CREATE|NLM_F_EXCL`): the flow was just confirmed.
    Created,
    /// `IPCTNL_MSG_CT_NEW` without those flags: an UPDATE event, or an entry of a dump.
    Updated,
    /// `IPCTNL_MSG_CT_DELETE`: the flow is gone (DESTROY event).
    Destroyed,
}

/// One flow as one message described it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WireFlow {
    /// `CTA_ID`.
    pub id: u32,
    /// The ORIGINAL tuple.
    pub tuple: FlowTuple,
    /// `CTA_TIMESTAMP_START`, ns since the epoch (dumps and DESTROY, with timestamps on).
    pub start_ns: Option<u64>,
    /// `CTA_TIMESTAMP_EVENT`, ns since the epoch (events, on kernels that send it).
    pub event_ns: Option<u64>,
    /// `CTA_COUNTERS_ORIG` and `_REPLY` (dumps and DESTROY, with accounting on).
    pub counters: Option<Counters>,
}

/// One netlink message, decoded as far as the reader cares.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Message {
    /// A conntrack message describing a flow.
    Flow {
        /// What happened.
        change: FlowChange,
        /// The flow.
        flow: WireFlow,
    },
    /// A conntrack message that could not be used (missing id or tuple, or undecodable).
    Unusable(String),
    /// `NLMSG_DONE`: the end of a dump.
    Done,
    /// `NLMSG_ERROR`: 0 is an acknowledgement, anything else a negative errno.
    Error(i32),
    /// Anything else (other subsystems, `NLMSG_NOOP`, ...).
    Ignored,
}

/// One message of a datagram, with the header fields the reader needs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Envelope {
    /// `nlmsg_seq`: matches a dump reply to its request (0 for events).
    pub seq: u32,
    /// `NLM_F_DUMP_INTR` was set: the kernel says the dump may be inconsistent.
    pub dump_interrupted: bool,
    /// The decoded message.
    pub message: Message,
}

/// Split a received datagram into its netlink messages and decode each one. A datagram
/// whose framing is broken yields the messages before the break and then an `Unusable`.
pub fn parse_datagram(buf: &[u8]) -> Vec<Envelope> {
    crate::netlink::frames(buf)
        .map(|frame| match frame {
            Ok(msg) => parse_message(msg),
            Err(why) => Envelope {
                seq: 0,
                dump_interrupted: false,
                message: Message::Unusable(why),
            },
        })
        .collect()
}

/// Decode one netlink message (header included).
pub fn parse_message(bytes: &[u8]) -> Envelope {
    let seq = if bytes.len() >= 12 {
        u32::from_ne_bytes([bytes[8], bytes[9], bytes[10], bytes[11]])
    } else {
        0
    };
    let unusable = |why: String| Envelope {
        seq,
        dump_interrupted: false,
        message: Message::Unusable(why),
    };
    if !decodable(bytes) {
        return Envelope {
            seq,
            dump_interrupted: false,
            message: Message::Ignored,
        };
    }
    let msg = match NetlinkMessage::<NetfilterMessage>::deserialize(bytes) {
        Ok(m) => m,
        Err(e) => return unusable(format!("undecodable netlink message: {e}")),
    };
    let flags = msg.header.flags;
    let message = match msg.payload {
        NetlinkPayload::Done(_) => Message::Done,
        NetlinkPayload::Error(e) => Message::Error(e.raw_code()),
        NetlinkPayload::InnerMessage(NetfilterMessage {
            inner: NetfilterMessageInner::Conntrack(ct),
            ..
        }) => {
            let (change, attrs) = match ct {
                ConntrackMessage::New(a) if flags & (NLM_F_CREATE | NLM_F_EXCL) != 0 => {
                    (FlowChange::Created, a)
                }
                ConntrackMessage::New(a) => (FlowChange::Updated, a),
                ConntrackMessage::Delete(a) => (FlowChange::Destroyed, a),
                _ => return unusable("conntrack message of an unexpected type".into()),
            };
            match flow_from_attributes(&attrs) {
                Ok(flow) => Message::Flow { change, flow },
                Err(why) => Message::Unusable(why),
            }
        }
        _ => Message::Ignored,
    };
    Envelope {
        seq,
        dump_interrupted: flags & NLM_F_DUMP_INTR != 0,
        message,
    }
}

/// Build the conntrack table dump request (`IPCTNL_MSG_CT_GET` with `NLM_F_DUMP`), for
/// every address family (`AF_UNSPEC`: IPv4 and IPv6 in one dump).
pub fn dump_request(seq: u32) -> Vec<u8> {
    let mut header = NetlinkHeader::default();
    header.flags = NLM_F_REQUEST | NLM_F_DUMP;
    header.sequence_number = seq;
    let mut packet = NetlinkMessage::new(
        header,
        NetlinkPayload::from(NetfilterMessage::new(
            NetfilterHeader::new(NetfilterProtoFamily::Unspec, 0, 0),
            ConntrackMessage::Get(vec![]),
        )),
    );
    packet.finalize();
    let mut buf = vec![0; packet.buffer_len()];
    packet.serialize(&mut buf);
    buf
}

/// The request that deletes one connection (`IPCTNL_MSG_CT_DELETE`, acknowledged): its
/// `CTA_TUPLE_ORIG` exactly as the kernel dumped it (`raw_tuple`, see [`raw_tuple`]; `tuple`
/// is the same as read, for the address family) and its `CTA_ID`, which the kernel compares
/// (ENOENT when the entry now has another id).
pub fn delete_request(tuple: &FlowTuple, raw_tuple: &[Tuple], id: u32, seq: u32) -> Vec<u8> {
    let family = match tuple.src {
        IpAddr::V4(_) => NetfilterProtoFamily::IPv4,
        IpAddr::V6(_) => NetfilterProtoFamily::IPv6,
    };
    let mut header = NetlinkHeader::default();
    header.flags = NLM_F_REQUEST | NLM_F_ACK;
    header.sequence_number = seq;
    let mut packet = NetlinkMessage::new(
        header,
        NetlinkPayload::from(NetfilterMessage::new(
            NetfilterHeader::new(family, 0, 0),
            ConntrackMessage::Delete(vec![
                ConntrackAttribute::CtaTupleOrig(raw_tuple.to_vec()),
                ConntrackAttribute::Other(DefaultNla::new(CTA_ID, id.to_be_bytes().to_vec())),
            ]),
        )),
    );
    packet.finalize();
    let mut buf = vec![0; packet.buffer_len()];
    packet.serialize(&mut buf);
    buf
}

/// The `CTA_TUPLE_ORIG` of one conntrack message as the crate decodes it, to be sent back
/// unchanged in a [`delete_request`]; `None` for other messages.
pub fn raw_tuple(bytes: &[u8]) -> Option<Vec<Tuple>> {
    if !decodable(bytes) {
        return None;
    }
    let msg = NetlinkMessage::<NetfilterMessage>::deserialize(bytes).ok()?;
    let NetlinkPayload::InnerMessage(NetfilterMessage {
        inner: NetfilterMessageInner::Conntrack(ConntrackMessage::New(attrs)),
        ..
    }) = msg.payload
    else {
        return None;
    };
    attrs.into_iter().find_map(|a| match a {
        ConntrackAttribute::CtaTupleOrig(parts) => Some(parts),
        _ => None,
    })
}

/// Whether the crate may decode this message: netlink's own and conntrack's only. Its
/// decoders of the other subsystems (nftables, ...) are of no use here, and the fuzzer found
/// ones that panic on short attributes (`fuzz/`, target `conntrack_message`).
fn decodable(bytes: &[u8]) -> bool {
    let kind = bytes
        .get(4..6)
        .map_or(0, |t| u16::from_ne_bytes([t[0], t[1]]));
    kind < NLMSG_MIN_TYPE || kind >> 8 == NFNL_SUBSYS_CTNETLINK
}

/// The value of a raw NLA the crate kept as `DefaultNla`, and its type without flag bits.
fn raw(nla: &DefaultNla) -> (u16, Vec<u8>) {
    let mut value = vec![0; nla.value_len()];
    nla.emit_value(&mut value);
    (nla.kind() & NLA_TYPE_MASK, value)
}

fn flow_from_attributes(attrs: &[ConntrackAttribute]) -> Result<WireFlow, String> {
    let mut id = None;
    let mut tuple = None;
    let mut start_ns = None;
    let mut event_ns = None;
    let mut orig: Option<(u64, u64)> = None;
    let mut reply: Option<(u64, u64)> = None;
    for attr in attrs {
        match attr {
            ConntrackAttribute::CtaTupleOrig(parts) => tuple = Some(tuple_from_parts(parts)?),
            ConntrackAttribute::Other(nla) => {
                let (kind, value) = raw(nla);
                match kind {
                    CTA_ID => id = Some(parse_u32_be(&value).map_err(|e| format!("CTA_ID: {e}"))?),
                    CTA_COUNTERS_ORIG => orig = Some(parse_counters(&value)?),
                    CTA_COUNTERS_REPLY => reply = Some(parse_counters(&value)?),
                    CTA_TIMESTAMP => start_ns = parse_timestamp_start(&value)?,
                    CTA_TIMESTAMP_EVENT => {
                        event_ns = Some(
                            parse_u64_be(&value)
                                .map_err(|e| format!("CTA_TIMESTAMP_EVENT: {e}"))?,
                        )
                    }
                    _ => {}
                }
            }
            _ => {}
        }
    }
    let id = id.ok_or("conntrack message without CTA_ID")?;
    let tuple = tuple.ok_or("conntrack message without CTA_TUPLE_ORIG")?;
    let counters = match (orig, reply) {
        (None, None) => None,
        (o, r) => {
            let (packets_orig, bytes_orig) = o.unwrap_or_default();
            let (packets_reply, bytes_reply) = r.unwrap_or_default();
            Some(Counters {
                packets_orig,
                bytes_orig,
                packets_reply,
                bytes_reply,
            })
        }
    };
    Ok(WireFlow {
        id,
        tuple,
        // A zero start means "not recorded" (the flow began before timestamps were on).
        start_ns: start_ns.filter(|&s| s != 0),
        event_ns: event_ns.filter(|&s| s != 0),
        counters,
    })
}

fn tuple_from_parts(parts: &[Tuple]) -> Result<FlowTuple, String> {
    let mut src: Option<IpAddr> = None;
    let mut dst: Option<IpAddr> = None;
    let mut proto = None;
    let mut src_port = 0u16;
    let mut dst_port = 0u16;
    let mut icmp_type: Option<u8> = None;
    let mut icmp_code: Option<u8> = None;
    for part in parts {
        match part {
            Tuple::Ip(ips) => {
                for ip in ips {
                    match ip {
                        IPTuple::SourceAddress(a) => src = Some(*a),
                        IPTuple::DestinationAddress(a) => dst = Some(*a),
                        _ => {}
                    }
                }
            }
            Tuple::Proto(protos) => {
                for p in protos {
                    match p {
                        ProtoTuple::Protocol(n) => proto = Some(u8::from(*n)),
                        ProtoTuple::SourcePort(n) => src_port = *n,
                        ProtoTuple::DestinationPort(n) => dst_port = *n,
                        ProtoTuple::Other(nla) => {
                            let (kind, value) = raw(nla);
                            match kind {
                                CTA_PROTO_ICMP_TYPE | CTA_PROTO_ICMPV6_TYPE => {
                                    icmp_type = parse_u8(&value).ok()
                                }
                                CTA_PROTO_ICMP_CODE | CTA_PROTO_ICMPV6_CODE => {
                                    icmp_code = parse_u8(&value).ok()
                                }
                                _ => {}
                            }
                        }
                        _ => {}
                    }
                }
            }
            _ => {}
        }
    }
    let src = src.ok_or("tuple without source address")?;
    let dst = dst.ok_or("tuple without destination address")?;
    let proto = proto.ok_or("tuple without protocol number")?;
    let proto = Proto::from_number(proto);
    if proto == Proto::Icmp {
        src_port = 0;
        dst_port = match icmp_type {
            Some(t) => (u16::from(t) << 8) | u16::from(icmp_code.unwrap_or(0)),
            None => 0,
        };
    }
    Ok(FlowTuple {
        proto,
        src,
        dst,
        src_port,
        dst_port,
    })
}

/// `(packets, bytes)` from the inside of `CTA_COUNTERS_ORIG`/`_REPLY`.
fn parse_counters(value: &[u8]) -> Result<(u64, u64), String> {
    let mut packets = 0;
    let mut bytes = 0;
    for nla in NlasIterator::new(value) {
        let nla: NlaBuffer<&[u8]> = nla.map_err(|e| format!("CTA_COUNTERS: {e}"))?;
        let v = nla.value();
        let n = match nla.kind() {
            CTA_COUNTERS_PACKETS | CTA_COUNTERS_BYTES => parse_u64_be(v).ok(),
            CTA_COUNTERS32_PACKETS | CTA_COUNTERS32_BYTES => parse_u32_be(v).ok().map(u64::from),
            _ => continue,
        }
        .ok_or_else(|| {
            format!(
                "CTA_COUNTERS: attribute {} of {} bytes",
                nla.kind(),
                v.len()
            )
        })?;
        match nla.kind() {
            CTA_COUNTERS_PACKETS | CTA_COUNTERS32_PACKETS => packets = n,
            _ => bytes = n,
        }
    }
    Ok((packets, bytes))
}

fn parse_timestamp_start(value: &[u8]) -> Result<Option<u64>, String> {
    for nla in NlasIterator::new(value) {
        let nla: NlaBuffer<&[u8]> = nla.map_err(|e| format!("CTA_TIMESTAMP: {e}"))?;
        if nla.kind() == CTA_TIMESTAMP_START {
            return parse_u64_be(nla.value())
                .map(Some)
                .map_err(|e| format!("CTA_TIMESTAMP_START: {e}"));
        }
    }
    Ok(None)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::{Ipv4Addr, Ipv6Addr};

    const NEW_TCP4: &[u8] = include_bytes!("testdata/new_tcp4.bin");
    const UPDATE_TCP4: &[u8] = include_bytes!("testdata/update_tcp4.bin");
    const NEW_UDP6: &[u8] = include_bytes!("testdata/new_udp6.bin");
    const NEW_ICMP4: &[u8] = include_bytes!("testdata/new_icmp4.bin");
    const NEW_ICMP6: &[u8] = include_bytes!("testdata/new_icmp6.bin");
    const DUMP_MIXED: &[u8] = include_bytes!("testdata/dump_mixed.bin");
    const DUMP_DONE: &[u8] = include_bytes!("testdata/dump_done.bin");
    const DESTROY_TCP4: &[u8] = include_bytes!("testdata/destroy_tcp4.bin");
    const DESTROY_UDP6: &[u8] = include_bytes!("testdata/destroy_udp6.bin");

    const LO4: IpAddr = IpAddr::V4(Ipv4Addr::LOCALHOST);
    const LO6: IpAddr = IpAddr::V6(Ipv6Addr::LOCALHOST);

    fn one(buf: &[u8]) -> (FlowChange, WireFlow) {
        let mut all = parse_datagram(buf);
        assert_eq!(all.len(), 1, "{all:?}");
        match all.remove(0).message {
            Message::Flow { change, flow } => (change, flow),
            other => panic!("not a flow: {other:?}"),
        }
    }

    fn tcp4_tuple() -> FlowTuple {
        FlowTuple {
            proto: Proto::Tcp,
            src: LO4,
            dst: LO4,
            src_port: 0xb0e8,
            dst_port: 0xbea3,
        }
    }

    #[test]
    fn new_event_tcp_ipv4() {
        let (change, flow) = one(NEW_TCP4);
        assert_eq!(change, FlowChange::Created);
        assert_eq!(flow.tuple, tcp4_tuple());
        assert_eq!(flow.id, 0x5891_cc5b);
        assert_eq!(flow.counters, None, "events carry no counters");
        assert_eq!(flow.start_ns, None, "events carry no CTA_TIMESTAMP");
        assert!(flow.event_ns.is_some());
    }

    #[test]
    fn update_event_is_not_a_creation() {
        let (change, flow) = one(UPDATE_TCP4);
        assert_eq!(change, FlowChange::Updated);
        assert_eq!(flow.tuple, tcp4_tuple());
        assert_eq!(flow.id, 0x5891_cc5b);
    }

    #[test]
    fn new_event_udp_ipv6() {
        let (change, flow) = one(NEW_UDP6);
        assert_eq!(change, FlowChange::Created);
        assert_eq!(
            flow.tuple,
            FlowTuple {
                proto: Proto::Udp,
                src: LO6,
                dst: LO6,
                src_port: 0xa1e2,
                dst_port: 9999,
            }
        );
    }

    #[test]
    fn icmp_type_and_code_become_the_destination_port() {
        let (_, f4) = one(NEW_ICMP4);
        assert_eq!(f4.tuple.proto, Proto::Icmp);
        assert_eq!((f4.tuple.src_port, f4.tuple.dst_port), (0, 8 << 8));
        assert_eq!(f4.tuple.dst, LO4);
        let (_, f6) = one(NEW_ICMP6);
        assert_eq!(f6.tuple.proto, Proto::Icmp);
        assert_eq!((f6.tuple.src_port, f6.tuple.dst_port), (0, 128 << 8));
        assert_eq!(f6.tuple.dst, LO6);
    }

    #[test]
    fn destroy_carries_counters_and_start() {
        let (change, flow) = one(DESTROY_TCP4);
        assert_eq!(change, FlowChange::Destroyed);
        assert_eq!(flow.tuple, tcp4_tuple());
        assert_eq!(flow.id, 0x5891_cc5b);
        assert_eq!(
            flow.counters,
            Some(Counters {
                packets_orig: 3,
                bytes_orig: 1164,
                packets_reply: 2,
                bytes_reply: 112,
            })
        );
        assert_eq!(flow.start_ns, Some(0x18e9_ffdd_7934_209b));
        let (change, flow) = one(DESTROY_UDP6);
        assert_eq!(change, FlowChange::Destroyed);
        assert_eq!(flow.tuple.proto, Proto::Udp);
        assert!(flow.counters.unwrap().bytes_orig >= 100);
    }

    #[test]
    fn dump_datagram_has_all_families_then_done() {
        let all = parse_datagram(DUMP_MIXED);
        assert_eq!(all.len(), 4);
        let mut protos = Vec::new();
        for e in &all {
            assert_eq!(e.seq, 1);
            assert!(!e.dump_interrupted);
            match &e.message {
                Message::Flow { change, flow } => {
                    assert_eq!(*change, FlowChange::Updated);
                    assert!(flow.counters.is_some());
                    assert!(flow.start_ns.is_some());
                    protos.push((flow.tuple.proto, flow.tuple.src.is_ipv6()));
                }
                other => panic!("{other:?}"),
            }
        }
        assert_eq!(
            protos,
            vec![
                (Proto::Icmp, true),
                (Proto::Icmp, false),
                (Proto::Udp, true),
                (Proto::Tcp, false)
            ]
        );
        // The TCP entry is the same flow as the events above, with its start time.
        let Message::Flow { flow, .. } = &all[3].message else {
            unreachable!()
        };
        assert_eq!(flow.id, 0x5891_cc5b);
        assert_eq!(flow.start_ns, Some(0x18e9_ffdd_7934_209b));
        let done = parse_datagram(DUMP_DONE);
        assert_eq!(done.len(), 1);
        assert_eq!(done[0].message, Message::Done);
    }

    #[test]
    fn dump_request_matches_conntrack_tools() {
        // What `conntrack -L -f unspec` sends: len 20, type 0x0101, flags REQUEST|DUMP.
        let req = dump_request(7);
        assert_eq!(
            req,
            vec![20, 0, 0, 0, 1, 1, 1, 3, 7, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]
        );
    }

    fn killed() -> (FlowTuple, Vec<Tuple>) {
        let tuple = FlowTuple {
            proto: Proto::Tcp,
            src: "192.0.2.10".parse().unwrap(),
            dst: "203.0.113.5".parse().unwrap(),
            src_port: 40_000,
            dst_port: 443,
        };
        let orig = vec![
            Tuple::Ip(vec![
                IPTuple::SourceAddress(tuple.src),
                IPTuple::DestinationAddress(tuple.dst),
            ]),
            Tuple::Proto(vec![
                ProtoTuple::Protocol(netlink_packet_netfilter::conntrack::Protocol::Tcp),
                ProtoTuple::SourcePort(40_000),
                ProtoTuple::DestinationPort(443),
            ]),
        ];
        (tuple, orig)
    }

    #[test]
    fn the_delete_request_decodes_to_the_tuple_and_id() {
        let (tuple, orig) = killed();
        let bytes = delete_request(&tuple, &orig, 0xDEAD_BEEF, 7);
        let msg = NetlinkMessage::<NetfilterMessage>::deserialize(&bytes).unwrap();
        assert_eq!(msg.header.flags, NLM_F_REQUEST | NLM_F_ACK);
        assert_eq!(msg.header.sequence_number, 7);
        let NetlinkPayload::InnerMessage(nf) = msg.payload else {
            panic!("not a netfilter message");
        };
        assert_eq!(nf.header.family, NetfilterProtoFamily::IPv4);
        let NetfilterMessageInner::Conntrack(ConntrackMessage::Delete(attrs)) = nf.inner else {
            panic!("not a delete: {:?}", nf.inner);
        };
        assert!(attrs.contains(&ConntrackAttribute::CtaTupleOrig(orig)));
        let id = attrs.iter().find_map(|a| match a {
            ConntrackAttribute::Other(n) if raw(n).0 == CTA_ID => {
                let v = raw(n).1;
                Some(u32::from_be_bytes([v[0], v[1], v[2], v[3]]))
            }
            _ => None,
        });
        assert_eq!(id, Some(0xDEAD_BEEF));
        // The reader's decoder sees the same flow in it (the message type aside).
        match parse_message(&bytes).message {
            Message::Flow { flow, .. } => {
                assert_eq!(flow.id, 0xDEAD_BEEF);
                assert_eq!(flow.tuple, tuple);
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn the_dumped_tuple_is_kept_as_written() {
        let (tuple, orig) = killed();
        let all = parse_datagram(DUMP_MIXED);
        let first = crate::netlink::frames(DUMP_MIXED).next().unwrap().unwrap();
        assert!(matches!(all[0].message, Message::Flow { .. }));
        assert!(raw_tuple(first).is_some_and(|t| !t.is_empty()));
        assert_eq!(raw_tuple(&dump_request(1)), None);
        // A delete request is not a NEW message: nothing to take back from it.
        assert_eq!(raw_tuple(&delete_request(&tuple, &orig, 1, 1)), None);
    }

    #[test]
    fn missing_attributes_are_unusable_not_panics() {
        // Drop CTA_ID from a real event by truncating the message after the two tuples.
        let mut bytes = NEW_TCP4.to_vec();
        // header 16 + nfgenmsg 4 + tuple orig 0x34 + tuple reply 0x34
        let cut = 16 + 4 + 0x34 + 0x34;
        bytes.truncate(cut);
        bytes[0..4].copy_from_slice(&(cut as u32).to_ne_bytes());
        let all = parse_datagram(&bytes);
        assert!(
            matches!(&all[0].message, Message::Unusable(w) if w.contains("CTA_ID")),
            "{all:?}"
        );
        // Every prefix of every fixture, with a fixed-up length, decodes without panicking.
        for fixture in [NEW_TCP4, NEW_ICMP6, DESTROY_TCP4, DUMP_MIXED] {
            for n in 0..fixture.len() {
                let mut b = fixture[..n].to_vec();
                if b.len() >= 4 {
                    b[0..4].copy_from_slice(&(n as u32).to_ne_bytes());
                }
                let _ = parse_datagram(&b);
                let _ = parse_datagram(&fixture[..n]);
            }
        }
        // Garbage framing.
        let all = parse_datagram(&[0xff; 40]);
        assert!(matches!(all[0].message, Message::Unusable(_)));
    }

    #[test]
    fn other_subsystems_are_ignored_not_decoded() {
        // Found by the fuzzer: an nftables message (subsystem 10) with a 1-byte attribute
        // made the crate's nftables decoder panic (`length - 4` overflowed).
        let crash: [u8; 44] = [
            30, 0, 0, 0, 11, 10, 128, 5, 0, 1, 0, 0, 0, 0, 2, 128, 20, 0, 1, 128, 8, 0, 17, 0, 0,
            0, 15, 0, 0, 0, 18, 0, 1, 0, 127, 0, 15, 0, 127, 0, 15, 255, 15, 0,
        ];
        let env = parse_datagram(&crash);
        assert!(env.iter().all(|e| e.message != Message::Done), "{env:?}");
        assert_eq!(env[0].message, Message::Ignored);
    }
}
