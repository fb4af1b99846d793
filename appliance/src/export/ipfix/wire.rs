//! IPFIX messages (RFC 7011) as bytes: the header, the two templates (IPv4 and IPv6
//! destinations) and data records. Pure: no sockets, no clock; the exporter hands in times
//! and sequence numbers.
//!
//! Hand-written because the crates on crates.io that speak IPFIX are parsers
//! (`netflow_parser`, `ipfixrw` reads and writes only with a run-time information-element
//! registry and allocates per field): a record here is a few dozen bytes appended to one
//! buffer, and the layout is fixed at start.

use std::net::IpAddr;

/// IPFIX protocol version in every message header.
const VERSION: u16 = 10;
/// Set id of a template set (RFC 7011 §3.3.2).
const TEMPLATE_SET_ID: u16 = 2;
/// Template id of records whose destination is IPv4.
pub(crate) const TEMPLATE_V4: u16 = 256;
/// Template id of records whose destination is IPv6.
pub(crate) const TEMPLATE_V6: u16 = 257;
/// Field length that announces a variable-length field (RFC 7011 §7).
const VARIABLE: u16 = 65535;
/// RFC 5103's PEN for reverse-direction information elements.
pub(crate) const REVERSE_PEN: u32 = 29305;
/// A string longer than this is cut (at a character boundary), so a record stays well
/// under a datagram: 8 strings × 256 bytes at most.
pub(crate) const MAX_STRING: usize = 253;

/// The IANA (and RFC 5103) information elements used, `(id, length)`.
mod iana {
    pub const OCTET_DELTA_COUNT: u16 = 1;
    pub const PACKET_DELTA_COUNT: u16 = 2;
    pub const PROTOCOL_IDENTIFIER: u16 = 4;
    pub const SOURCE_TRANSPORT_PORT: u16 = 7;
    pub const SOURCE_IPV4_ADDRESS: u16 = 8;
    pub const DESTINATION_TRANSPORT_PORT: u16 = 11;
    pub const DESTINATION_IPV4_ADDRESS: u16 = 12;
    pub const BGP_DESTINATION_AS_NUMBER: u16 = 17;
    pub const SOURCE_IPV6_ADDRESS: u16 = 27;
    pub const DESTINATION_IPV6_ADDRESS: u16 = 28;
    pub const FLOW_END_REASON: u16 = 136;
    pub const FLOW_START_MILLISECONDS: u16 = 152;
    pub const FLOW_END_MILLISECONDS: u16 = 153;
}

/// whereflow's own information elements, under `export.enterprise_number` (docs/IPFIX.md).
/// Numbered from 101: pmacct's nfacctd reads enterprise elements 1 and 2 of any PEN as
/// byte and packet counts (found in `tests/lab_ipfix.rs`), so low numbers are avoided.
pub(crate) mod element {
    /// The name the device asked for (string).
    pub const DNS_NAME: u16 = 101;
    /// Its registrable domain, eTLD+1 (string).
    pub const REGISTRABLE_DOMAIN: u16 = 102;
    /// Who the destination belongs to (string).
    pub const ORGANIZATION: u16 = 103;
    /// What kind of service it is: `ads`, `analytics`, `social`, `cdn`… (string).
    pub const CATEGORY: u16 = 104;
    /// 1 when the destination is a tracker or ad server, else 0 (unsigned8).
    pub const TRACKER: u16 = 105;
    /// ISO 3166 alpha-2 country of the destination (string).
    pub const COUNTRY: u16 = 106;
    /// The destination AS's organization (string).
    pub const AS_ORGANIZATION: u16 = 107;
    /// The device's pseudonym for the session, "Blue Otter" (string).
    pub const DEVICE_PSEUDONYM: u16 = 108;
}

/// Why a record was sent (`flowEndReason`, IANA values).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum EndReason {
    /// A long-lived flow's periodic record: counts since the last one (2, active timeout).
    Active = 2,
    /// The flow ended (3, end of flow detected).
    Ended = 3,
}

/// What the templates hold, fixed at start.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Layout {
    /// The Private Enterprise Number of whereflow's own elements.
    pub enterprise: u32,
    /// Whether records carry the device's address (`sourceIPv4Address`/`sourceIPv6Address`);
    /// without it the device is named by its pseudonym only.
    pub device_address: bool,
}

/// One data record's values. Counts are deltas since the flow's previous record. Up =
/// from the device (the forward direction), down = the reverse one.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Record<'a> {
    /// The device's address (written only with [`Layout::device_address`]; zeros when its
    /// family differs from the destination's).
    pub device: IpAddr,
    /// Where the flow goes.
    pub remote: IpAddr,
    /// The device's own (source) port (0 for ICMP, or when not known).
    pub device_port: u16,
    /// Destination port (0 for ICMP).
    pub remote_port: u16,
    /// IP protocol number.
    pub protocol: u8,
    /// When the flow began, ms since the epoch.
    pub start_ms: u64,
    /// When it last changed or ended, ms since the epoch.
    pub end_ms: u64,
    /// Bytes from the device.
    pub octets_up: u64,
    /// Packets from the device.
    pub packets_up: u64,
    /// Bytes to the device.
    pub octets_down: u64,
    /// Packets to the device.
    pub packets_down: u64,
    /// Destination AS number, 0 if unknown.
    pub asn: u32,
    /// Why this record is sent.
    pub reason: EndReason,
    /// The name asked for ("" when none).
    pub dns_name: &'a str,
    /// Registrable domain.
    pub registrable_domain: &'a str,
    /// Organization.
    pub organization: &'a str,
    /// Category.
    pub category: &'a str,
    /// Tracker or ad server.
    pub tracker: bool,
    /// Country code.
    pub country: &'a str,
    /// AS organization.
    pub as_organization: &'a str,
    /// The device's pseudonym.
    pub pseudonym: &'a str,
}

/// A field of a template: IANA element, or enterprise element with its PEN.
#[derive(Clone, Copy)]
struct Field {
    id: u16,
    len: u16,
    pen: Option<u32>,
}

const fn iana(id: u16, len: u16) -> Field {
    Field { id, len, pen: None }
}

/// The fields of a template, in record order.
fn fields(layout: Layout, v6: bool) -> Vec<Field> {
    let addr = if v6 { 16 } else { 4 };
    let pen = |id: u16, len: u16| Field {
        id,
        len,
        pen: Some(layout.enterprise),
    };
    let mut f = Vec::with_capacity(24);
    if layout.device_address {
        let id = if v6 {
            iana::SOURCE_IPV6_ADDRESS
        } else {
            iana::SOURCE_IPV4_ADDRESS
        };
        f.push(iana(id, addr));
    }
    let dst = if v6 {
        iana::DESTINATION_IPV6_ADDRESS
    } else {
        iana::DESTINATION_IPV4_ADDRESS
    };
    f.extend([
        iana(dst, addr),
        iana(iana::SOURCE_TRANSPORT_PORT, 2),
        iana(iana::DESTINATION_TRANSPORT_PORT, 2),
        iana(iana::PROTOCOL_IDENTIFIER, 1),
        iana(iana::FLOW_START_MILLISECONDS, 8),
        iana(iana::FLOW_END_MILLISECONDS, 8),
        iana(iana::OCTET_DELTA_COUNT, 8),
        iana(iana::PACKET_DELTA_COUNT, 8),
        Field {
            id: iana::OCTET_DELTA_COUNT,
            len: 8,
            pen: Some(REVERSE_PEN),
        },
        Field {
            id: iana::PACKET_DELTA_COUNT,
            len: 8,
            pen: Some(REVERSE_PEN),
        },
        iana(iana::BGP_DESTINATION_AS_NUMBER, 4),
        iana(iana::FLOW_END_REASON, 1),
        pen(element::TRACKER, 1),
        pen(element::DNS_NAME, VARIABLE),
        pen(element::REGISTRABLE_DOMAIN, VARIABLE),
        pen(element::ORGANIZATION, VARIABLE),
        pen(element::CATEGORY, VARIABLE),
        pen(element::COUNTRY, VARIABLE),
        pen(element::AS_ORGANIZATION, VARIABLE),
        pen(element::DEVICE_PSEUDONYM, VARIABLE),
    ]);
    f
}

/// Append a template set holding both templates.
pub(crate) fn push_templates(buf: &mut Vec<u8>, layout: Layout) {
    let set = buf.len();
    put16(buf, TEMPLATE_SET_ID);
    put16(buf, 0);
    for (id, v6) in [(TEMPLATE_V4, false), (TEMPLATE_V6, true)] {
        let f = fields(layout, v6);
        put16(buf, id);
        put16(buf, f.len() as u16);
        for field in f {
            match field.pen {
                None => put16(buf, field.id),
                Some(_) => put16(buf, field.id | 0x8000),
            }
            put16(buf, field.len);
            if let Some(pen) = field.pen {
                buf.extend_from_slice(&pen.to_be_bytes());
            }
        }
    }
    patch_len(buf, set);
}

/// The template a record uses: by the destination's family.
pub(crate) fn template_of(rec: &Record<'_>) -> u16 {
    match rec.remote {
        IpAddr::V4(_) => TEMPLATE_V4,
        IpAddr::V6(_) => TEMPLATE_V6,
    }
}

/// Append one data record (the caller has opened a set for [`template_of`]).
pub(crate) fn push_record(buf: &mut Vec<u8>, layout: Layout, rec: &Record<'_>) {
    if layout.device_address {
        match (rec.remote, rec.device) {
            (IpAddr::V4(_), IpAddr::V4(d)) => buf.extend_from_slice(&d.octets()),
            (IpAddr::V6(_), IpAddr::V6(d)) => buf.extend_from_slice(&d.octets()),
            (IpAddr::V4(_), IpAddr::V6(_)) => buf.extend_from_slice(&[0; 4]),
            (IpAddr::V6(_), IpAddr::V4(_)) => buf.extend_from_slice(&[0; 16]),
        }
    }
    match rec.remote {
        IpAddr::V4(a) => buf.extend_from_slice(&a.octets()),
        IpAddr::V6(a) => buf.extend_from_slice(&a.octets()),
    }
    put16(buf, rec.device_port);
    put16(buf, rec.remote_port);
    buf.push(rec.protocol);
    for v in [
        rec.start_ms,
        rec.end_ms,
        rec.octets_up,
        rec.packets_up,
        rec.octets_down,
        rec.packets_down,
    ] {
        buf.extend_from_slice(&v.to_be_bytes());
    }
    buf.extend_from_slice(&rec.asn.to_be_bytes());
    buf.push(rec.reason as u8);
    buf.push(u8::from(rec.tracker));
    for s in [
        rec.dns_name,
        rec.registrable_domain,
        rec.organization,
        rec.category,
        rec.country,
        rec.as_organization,
        rec.pseudonym,
    ] {
        push_string(buf, s);
    }
}

/// A variable-length string (RFC 7011 §7): one length byte below 255, else 255 and two
/// length bytes. Cut to [`MAX_STRING`] bytes at a character boundary.
fn push_string(buf: &mut Vec<u8>, s: &str) {
    let mut end = s.len().min(MAX_STRING);
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    push_bytes(buf, &s.as_bytes()[..end]);
}

/// RFC 7011 §7's length prefix and the bytes.
fn push_bytes(buf: &mut Vec<u8>, bytes: &[u8]) {
    if bytes.len() < 255 {
        buf.push(bytes.len() as u8);
    } else {
        buf.push(255);
        put16(buf, bytes.len() as u16);
    }
    buf.extend_from_slice(bytes);
}

/// Start a message: the header with its length left to [`finish_message`].
pub(crate) fn start_message(buf: &mut Vec<u8>, export_secs: u32, sequence: u32, domain: u32) {
    buf.clear();
    put16(buf, VERSION);
    put16(buf, 0);
    buf.extend_from_slice(&export_secs.to_be_bytes());
    buf.extend_from_slice(&sequence.to_be_bytes());
    buf.extend_from_slice(&domain.to_be_bytes());
}

/// Open a data set for `template`; returns where it starts, for [`close_set`].
pub(crate) fn open_set(buf: &mut Vec<u8>, template: u16) -> usize {
    let at = buf.len();
    put16(buf, template);
    put16(buf, 0);
    at
}

/// Write a set's length once its records are in.
pub(crate) fn close_set(buf: &mut [u8], at: usize) {
    patch_len(buf, at);
}

/// Write the message's length into its header.
pub(crate) fn finish_message(buf: &mut [u8]) {
    let len = buf.len() as u16;
    buf[2..4].copy_from_slice(&len.to_be_bytes());
}

fn patch_len(buf: &mut [u8], at: usize) {
    let len = (buf.len() - at) as u16;
    buf[at + 2..at + 4].copy_from_slice(&len.to_be_bytes());
}

fn put16(buf: &mut Vec<u8>, v: u16) {
    buf.extend_from_slice(&v.to_be_bytes());
}

#[cfg(test)]
mod tests {
    use super::*;

    const LAYOUT: Layout = Layout {
        enterprise: 32473,
        device_address: false,
    };

    fn record(remote: &str) -> Record<'static> {
        Record {
            device: "10.42.0.10".parse().unwrap(),
            remote: remote.parse().unwrap(),
            device_port: 51_234,
            remote_port: 443,
            protocol: 6,
            start_ms: 1_700_000_000_000,
            end_ms: 1_700_000_001_500,
            octets_up: 1200,
            packets_up: 10,
            octets_down: 54_000,
            packets_down: 40,
            asn: 15169,
            reason: EndReason::Ended,
            dns_name: "www.example.com",
            registrable_domain: "example.com",
            organization: "Example Inc",
            category: "ads",
            tracker: true,
            country: "US",
            as_organization: "GOOGLE",
            pseudonym: "Blue Otter",
        }
    }

    fn u16_at(b: &[u8], at: usize) -> u16 {
        u16::from_be_bytes([b[at], b[at + 1]])
    }

    /// A template's field as read back: `(id, length, PEN)`.
    type ReadField = (u16, u16, Option<u32>);

    /// A tiny independent reader of the template set: `(template id, fields)`.
    fn read_templates(b: &[u8]) -> Vec<(u16, Vec<ReadField>)> {
        assert_eq!(u16_at(b, 0), 2);
        assert_eq!(u16_at(b, 2) as usize, b.len());
        let mut at = 4;
        let mut out = Vec::new();
        while at < b.len() {
            let (id, n) = (u16_at(b, at), u16_at(b, at + 2));
            at += 4;
            let mut f = Vec::new();
            for _ in 0..n {
                let (fid, len) = (u16_at(b, at), u16_at(b, at + 2));
                at += 4;
                let pen = (fid & 0x8000 != 0).then(|| {
                    at += 4;
                    u32::from_be_bytes(b[at - 4..at].try_into().unwrap())
                });
                f.push((fid & 0x7fff, len, pen));
            }
            out.push((id, f));
        }
        out
    }

    #[test]
    fn templates_list_iana_reverse_and_enterprise_elements() {
        let mut b = Vec::new();
        push_templates(&mut b, LAYOUT);
        let t = read_templates(&b);
        assert_eq!(t.len(), 2);
        let (id, v4) = &t[0];
        assert_eq!(*id, TEMPLATE_V4);
        // No source address unless asked for: the destination comes first.
        assert_eq!(v4[0], (12, 4, None));
        assert_eq!(
            v4[1],
            (7, 2, None),
            "sourceTransportPort: the device's port"
        );
        assert_eq!(v4[2], (11, 2, None));
        assert!(v4.contains(&(1, 8, Some(REVERSE_PEN))));
        assert!(v4.contains(&(element::DNS_NAME, 65535, Some(32473))));
        assert!(v4.contains(&(element::DEVICE_PSEUDONYM, 65535, Some(32473))));
        assert_eq!(t[1].1[0], (28, 16, None));

        let mut b = Vec::new();
        push_templates(
            &mut b,
            Layout {
                enterprise: 99,
                device_address: true,
            },
        );
        let t = read_templates(&b);
        assert_eq!(t[0].1[0], (8, 4, None));
        assert_eq!(t[1].1[0], (27, 16, None));
        assert!(t[0].1.contains(&(element::ORGANIZATION, 65535, Some(99))));
    }

    #[test]
    fn a_record_is_laid_out_as_its_template_says() {
        let mut b = Vec::new();
        let rec = record("93.184.216.34");
        push_record(&mut b, LAYOUT, &rec);
        assert_eq!(&b[0..4], &[93, 184, 216, 34]);
        assert_eq!(u16_at(&b, 4), 51_234);
        assert_eq!(u16_at(&b, 6), 443);
        assert_eq!(b[8], 6);
        let u64_at = |at: usize| u64::from_be_bytes(b[at..at + 8].try_into().unwrap());
        assert_eq!(u64_at(9), 1_700_000_000_000);
        assert_eq!(u64_at(25), 1200);
        assert_eq!(u64_at(41), 54_000);
        assert_eq!(&b[57..61], &15169u32.to_be_bytes());
        assert_eq!((b[61], b[62]), (3, 1));
        assert_eq!(b[63] as usize, "www.example.com".len());
        assert_eq!(&b[64..79], b"www.example.com");
        assert!(b.ends_with(b"\x0aBlue Otter"));
    }

    #[test]
    fn long_strings_use_three_length_bytes_and_are_cut_at_a_character() {
        let mut b = Vec::new();
        push_string(&mut b, &"a".repeat(300));
        assert_eq!(b[0], 253);
        assert_eq!(b.len(), 254);
        let mut b = Vec::new();
        push_string(&mut b, "");
        assert_eq!(b, [0]);
        // 'é' is two bytes: a cut must not split it.
        let s = "é".repeat(200);
        let mut b = Vec::new();
        push_string(&mut b, &s);
        assert_eq!(b[0], 252);
        assert!(std::str::from_utf8(&b[1..]).is_ok());
    }

    #[test]
    fn the_three_length_form_is_used_from_255_bytes() {
        // MAX_STRING keeps exported strings below 255, but the encoder follows RFC 7011
        // §7 for any length it is given.
        let mut b = Vec::new();
        push_bytes(&mut b, &[b'b'; 254]);
        assert_eq!((b[0], b.len()), (254, 255));
        let mut b = Vec::new();
        push_bytes(&mut b, &[b'b'; 300]);
        assert_eq!(&b[..3], &[255, 1, 44]);
        assert_eq!(b.len(), 303);
    }

    #[test]
    fn a_message_has_header_sets_and_lengths() {
        let mut b = Vec::new();
        start_message(&mut b, 1_700_000_002, 7, 1);
        push_templates(&mut b, LAYOUT);
        let at = open_set(&mut b, TEMPLATE_V6);
        let rec = record("2001:db8::1");
        assert_eq!(template_of(&rec), TEMPLATE_V6);
        push_record(&mut b, LAYOUT, &rec);
        close_set(&mut b, at);
        finish_message(&mut b);
        assert_eq!(u16_at(&b, 0), 10);
        assert_eq!(u16_at(&b, 2) as usize, b.len());
        assert_eq!(&b[8..12], &7u32.to_be_bytes());
        assert_eq!(u16_at(&b, at), TEMPLATE_V6);
        assert_eq!(u16_at(&b, at + 2) as usize, b.len() - at);
    }
}
