//! Addresses that are not on the public internet: private networks, carrier-grade NAT,
//! loopback, link-local, multicast, documentation ranges and the other entries of IANA's
//! special-purpose address registries (IPv4: RFC 6890 and its updates; IPv6: the same
//! registry plus the IPv6 address-space registry). Such an address is labelled, never looked
//! up in the geo or AS databases: it has no owner or place on the map.
//!
//! An entry that IANA marks "globally reachable" (AS112, AMT, the PCP and TURN anycast
//! addresses, Teredo, ORCHIDv2) is not special here: it is a real destination on the
//! internet. IPv4-mapped IPv6 (`::ffff:a.b.c.d`) and the NAT64 well-known prefix
//! (`64:ff9b::a.b.c.d`, RFC 6052) are judged by the IPv4 address they carry, see
//! [`canonical_ip`].

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use crate::model::SpecialRange;

/// The special-purpose range `ip` belongs to, or `None` for an ordinary internet address.
pub fn special_range(ip: IpAddr) -> Option<SpecialRange> {
    match canonical_ip(ip) {
        IpAddr::V4(v4) => special_v4(v4),
        IpAddr::V6(v6) => special_v6(v6),
    }
}

/// The address to judge and look up: an IPv4-mapped IPv6 address (`::ffff:a.b.c.d`) or a
/// NAT64 well-known-prefix address (`64:ff9b::a.b.c.d`) becomes the IPv4 address it
/// carries; anything else is returned unchanged.
pub fn canonical_ip(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => {
            let s = v6.segments();
            if s[..6] == [0, 0, 0, 0, 0, 0xffff] || s[..6] == [0x64, 0xff9b, 0, 0, 0, 0] {
                let o = v6.octets();
                IpAddr::V4(Ipv4Addr::new(o[12], o[13], o[14], o[15]))
            } else {
                ip
            }
        }
        v4 => v4,
    }
}

fn in_v4(ip: u32, net: [u8; 4], len: u32) -> bool {
    let net = u32::from_be_bytes(net);
    let mask = if len == 0 { 0 } else { u32::MAX << (32 - len) };
    ip & mask == net
}

fn special_v4(ip: Ipv4Addr) -> Option<SpecialRange> {
    use SpecialRange::*;
    let n = u32::from(ip);
    let table: &[([u8; 4], u32, Option<SpecialRange>)] = &[
        // Most specific entries first.
        ([0, 0, 0, 0], 32, Some(Unspecified)),
        ([255, 255, 255, 255], 32, Some(Broadcast)),
        // Globally reachable IETF assignments inside 192.0.0.0/24: PCP and TURN anycast.
        ([192, 0, 0, 9], 32, None),
        ([192, 0, 0, 10], 32, None),
        ([0, 0, 0, 0], 8, Some(Reserved)),
        ([10, 0, 0, 0], 8, Some(Private)),
        ([100, 64, 0, 0], 10, Some(Cgnat)),
        ([127, 0, 0, 0], 8, Some(Loopback)),
        ([169, 254, 0, 0], 16, Some(LinkLocal)),
        ([172, 16, 0, 0], 12, Some(Private)),
        ([192, 0, 0, 0], 24, Some(Reserved)),
        ([192, 0, 2, 0], 24, Some(Documentation)),
        ([192, 88, 99, 0], 24, Some(Reserved)),
        ([192, 168, 0, 0], 16, Some(Private)),
        ([198, 18, 0, 0], 15, Some(Reserved)),
        ([198, 51, 100, 0], 24, Some(Documentation)),
        ([203, 0, 113, 0], 24, Some(Documentation)),
        ([224, 0, 0, 0], 4, Some(Multicast)),
        ([240, 0, 0, 0], 4, Some(Reserved)),
    ];
    table
        .iter()
        .find(|(net, len, _)| in_v4(n, *net, *len))
        .and_then(|(_, _, kind)| *kind)
}

fn in_v6(ip: u128, net: Ipv6Addr, len: u32) -> bool {
    let mask = if len == 0 {
        0
    } else {
        u128::MAX << (128 - len)
    };
    ip & mask == u128::from(net)
}

const fn v6(s: [u16; 8]) -> Ipv6Addr {
    Ipv6Addr::new(s[0], s[1], s[2], s[3], s[4], s[5], s[6], s[7])
}

fn special_v6(ip: Ipv6Addr) -> Option<SpecialRange> {
    use SpecialRange::*;
    let n = u128::from(ip);
    let table: &[(Ipv6Addr, u32, Option<SpecialRange>)] = &[
        // Most specific entries first.
        (Ipv6Addr::UNSPECIFIED, 128, Some(Unspecified)),
        (Ipv6Addr::LOCALHOST, 128, Some(Loopback)),
        // Inside the IETF protocol assignments 2001::/23, the globally reachable ones:
        // PCP, TURN and DNS-SD SRP anycast, AS112-v6, Teredo, AMT, ORCHIDv2, DRIP.
        (v6([0x2001, 1, 0, 0, 0, 0, 0, 1]), 128, None),
        (v6([0x2001, 1, 0, 0, 0, 0, 0, 2]), 128, None),
        (v6([0x2001, 1, 0, 0, 0, 0, 0, 3]), 128, None),
        (v6([0x2001, 4, 0x112, 0, 0, 0, 0, 0]), 48, None),
        (v6([0x2001, 0, 0, 0, 0, 0, 0, 0]), 32, None),
        (v6([0x2001, 3, 0, 0, 0, 0, 0, 0]), 32, None),
        (v6([0x2001, 0x20, 0, 0, 0, 0, 0, 0]), 28, None),
        (v6([0x2001, 0x30, 0, 0, 0, 0, 0, 0]), 28, None),
        (v6([0x2001, 0, 0, 0, 0, 0, 0, 0]), 23, Some(Reserved)),
        (
            v6([0x2001, 0xdb8, 0, 0, 0, 0, 0, 0]),
            32,
            Some(Documentation),
        ),
        (v6([0x3fff, 0, 0, 0, 0, 0, 0, 0]), 20, Some(Documentation)),
        // Global unicast: an internet address.
        (v6([0x2000, 0, 0, 0, 0, 0, 0, 0]), 3, None),
        (v6([0xfc00, 0, 0, 0, 0, 0, 0, 0]), 7, Some(Private)),
        (v6([0xfe80, 0, 0, 0, 0, 0, 0, 0]), 10, Some(LinkLocal)),
        (v6([0xff00, 0, 0, 0, 0, 0, 0, 0]), 8, Some(Multicast)),
        // Everything else (discard-only 100::/64, site-local fec0::/10, local-use NAT64
        // 64:ff9b:1::/48, SRv6 5f00::/16, unassigned space) is not a public destination.
        (Ipv6Addr::UNSPECIFIED, 0, Some(Reserved)),
    ];
    table
        .iter()
        .find(|(net, len, _)| in_v6(n, *net, *len))
        .and_then(|(_, _, kind)| *kind)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(ip: &str) -> Option<SpecialRange> {
        special_range(ip.parse().unwrap())
    }

    #[test]
    fn special_ranges_table() {
        use SpecialRange::*;
        let cases: &[(&str, Option<SpecialRange>)] = &[
            ("10.1.2.3", Some(Private)),
            ("172.16.0.1", Some(Private)),
            ("172.31.255.255", Some(Private)),
            ("172.32.0.1", None),
            ("192.168.1.1", Some(Private)),
            ("100.64.1.1", Some(Cgnat)),
            ("100.127.255.254", Some(Cgnat)),
            ("100.128.0.1", None),
            ("127.0.0.1", Some(Loopback)),
            ("169.254.1.1", Some(LinkLocal)),
            ("224.0.0.251", Some(Multicast)),
            ("239.255.255.250", Some(Multicast)),
            ("192.0.2.1", Some(Documentation)),
            ("198.51.100.1", Some(Documentation)),
            ("203.0.113.1", Some(Documentation)),
            ("0.0.0.0", Some(Unspecified)),
            ("0.1.2.3", Some(Reserved)),
            ("255.255.255.255", Some(Broadcast)),
            ("240.0.0.1", Some(Reserved)),
            ("198.18.0.1", Some(Reserved)),
            ("198.19.255.255", Some(Reserved)),
            ("192.0.0.8", Some(Reserved)),
            ("192.0.0.9", None),
            ("192.88.99.1", Some(Reserved)),
            ("192.31.196.1", None),
            ("8.8.8.8", None),
            ("1.1.1.1", None),
            ("81.2.69.142", None),
            ("::", Some(Unspecified)),
            ("::1", Some(Loopback)),
            ("2001:db8::1", Some(Documentation)),
            ("3fff::1", Some(Documentation)),
            ("fe80::1", Some(LinkLocal)),
            ("ff02::1", Some(Multicast)),
            ("fd00::1", Some(Private)),
            ("fc00::1", Some(Private)),
            ("fec0::1", Some(Reserved)),
            ("100::1", Some(Reserved)),
            ("2001:2::1", Some(Reserved)),
            ("2001:10::1", Some(Reserved)),
            ("2001::1", None),
            ("2001:4:112::1", None),
            ("2001:1::1", None),
            ("2001:1::4", Some(Reserved)),
            ("2606:4700::1111", None),
            ("2a00:1450:4001::1", None),
            ("::ffff:10.0.0.1", Some(Private)),
            ("::ffff:8.8.8.8", None),
            ("::ffff:127.0.0.1", Some(Loopback)),
            ("64:ff9b::8.8.8.8", None),
            ("64:ff9b::192.168.0.1", Some(Private)),
            ("64:ff9b:1::1", Some(Reserved)),
            ("::10.0.0.1", Some(Reserved)),
        ];
        for (ip, want) in cases {
            assert_eq!(check(ip), *want, "{ip}");
        }
    }

    #[test]
    fn labels_are_plain_words() {
        assert_eq!(SpecialRange::Cgnat.label(), "carrier-grade NAT");
        assert_eq!(
            serde_json::to_string(&SpecialRange::LinkLocal).unwrap(),
            "\"link_local\""
        );
    }

    #[test]
    fn canonical_unwraps_mapped_and_nat64() {
        let c = |s: &str| canonical_ip(s.parse().unwrap()).to_string();
        assert_eq!(c("::ffff:1.2.3.4"), "1.2.3.4");
        assert_eq!(c("64:ff9b::1.2.3.4"), "1.2.3.4");
        assert_eq!(c("2001:db8::1"), "2001:db8::1");
        assert_eq!(c("1.2.3.4"), "1.2.3.4");
    }
}
