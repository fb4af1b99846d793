//! dnsmasq's lease file: which address it gave to which MAC address, and the host name the
//! device sent.
//!
//! dnsmasq rewrites the whole file (default `/var/lib/misc/dnsmasq.leases`) whenever a lease
//! changes. Lines, as `lease.c` writes them:
//!
//! ```text
//! 1732180000 b8:27:eb:12:34:56 192.168.4.23 alice-phone 01:b8:27:eb:12:34:56
//! 0 00:11:22:33:44:55 192.168.4.7 * *
//! duid 00:01:00:01:2c:5f:aa:bb:b8:27:eb:00:00:01
//! 1732180000 1234567 2001:db8:1::23 alice-phone 00:01:00:01:2c:5f:aa:bb:b8:27:eb:12:34:56
//! ```
//!
//! - DHCPv4: `<expiry> <hardware address> <IPv4> <host name or *> <client id or *>`. Expiry is
//!   seconds since the epoch, 0 for an infinite lease. Non-Ethernet hardware is written as
//!   `<type>-<bytes>` and has no usable MAC.
//! - `duid <server DUID>`: starts the DHCPv6 part.
//! - DHCPv6: `<expiry> [T]<IAID> <IPv6> <host name or *> <client DUID or *>`. No MAC: one is
//!   taken from the DUID when it is a DUID-LLT or DUID-LL of Ethernet hardware (types 1 and 3).
//!
//! The file is input from another program (and host names from the devices themselves): a line
//! that does not parse is skipped and counted, never fatal, and host names are checked.

use std::net::IpAddr;

use chrono::{DateTime, Utc};

use super::mac::MacAddr;

/// Longest host name kept (a DNS label); longer ones are cut.
pub const MAX_HOSTNAME: usize = 63;

/// One lease.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Lease {
    /// When it ends; `None` for an infinite lease.
    pub expires: Option<DateTime<Utc>>,
    /// The device's MAC address: from the line (DHCPv4) or the client's DUID (DHCPv6). `None`
    /// for other hardware or DUID types.
    pub mac: Option<MacAddr>,
    /// The leased address.
    pub ip: IpAddr,
    /// The host name the device sent (or a `dhcp-host` gave it), checked.
    pub hostname: Option<String>,
}

/// Why a line was skipped.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LeaseLineError {
    /// Fewer than the five fields.
    #[error("expected 5 fields, found {0}")]
    Fields(usize),
    /// The expiry is not a number of seconds.
    #[error("bad expiry time")]
    Expiry,
    /// The address field is not an IP address.
    #[error("bad IP address")]
    Address,
    /// An IPv4 lease whose hardware address is not `aa:bb:cc:dd:ee:ff` nor `<type>-<bytes>`.
    #[error("bad hardware address")]
    Hardware,
    /// The `duid` line has no value.
    #[error("empty duid line")]
    Duid,
}

/// A whole file, parsed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LeaseFile {
    /// The leases, in file order.
    pub leases: Vec<Lease>,
    /// The server's DUID (the `duid` line), if any.
    pub server_duid: Option<String>,
    /// Lines that could not be read and were skipped.
    pub bad_lines: usize,
    /// The first skipped line's number (1-based) and why, for a log message.
    pub first_error: Option<(usize, LeaseLineError)>,
}

/// Parse the text of a lease file. At most `max` leases are kept (the rest are counted as
/// bad lines): the file is bounded by dnsmasq's `dhcp-lease-max`, but we do not rely on it.
pub fn parse(text: &str, max: usize) -> LeaseFile {
    let mut out = LeaseFile::default();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        match parse_line(line) {
            Ok(Line::Duid(d)) => out.server_duid = Some(d),
            Ok(Line::Lease(l)) if out.leases.len() < max => out.leases.push(l),
            Ok(Line::Lease(_)) => out.bad_lines += 1,
            Err(e) => {
                out.bad_lines += 1;
                if out.first_error.is_none() {
                    out.first_error = Some((n + 1, e));
                }
            }
        }
    }
    out
}

enum Line {
    Duid(String),
    Lease(Lease),
}

fn parse_line(line: &str) -> Result<Line, LeaseLineError> {
    let fields: Vec<&str> = line.split_ascii_whitespace().collect();
    if fields.first() == Some(&"duid") {
        return match fields.get(1) {
            Some(d) => Ok(Line::Duid((*d).to_owned())),
            None => Err(LeaseLineError::Duid),
        };
    }
    if fields.len() < 5 {
        return Err(LeaseLineError::Fields(fields.len()));
    }
    let secs: i64 = fields[0].parse().map_err(|_| LeaseLineError::Expiry)?;
    let expires = match secs {
        0 => None,
        s => Some(DateTime::from_timestamp(s, 0).ok_or(LeaseLineError::Expiry)?),
    };
    let ip: IpAddr = fields[2].parse().map_err(|_| LeaseLineError::Address)?;
    let mac = match ip {
        IpAddr::V4(_) => hardware_address(fields[1])?,
        // Field 1 is the IAID (decimal, `T` for temporary addresses): no MAC there.
        IpAddr::V6(_) => mac_from_duid(fields[4]),
    };
    Ok(Line::Lease(Lease {
        expires,
        mac,
        ip,
        hostname: clean_hostname(fields[3]),
    }))
}

/// `aa:bb:cc:dd:ee:ff` → the MAC; `<type>-<hex:bytes>` (non-Ethernet, as dnsmasq writes it)
/// → `None`; anything else is an error.
fn hardware_address(field: &str) -> Result<Option<MacAddr>, LeaseLineError> {
    if let Ok(mac) = field.parse::<MacAddr>() {
        return Ok(Some(mac));
    }
    let other_type = field.split_once('-').is_some_and(|(t, rest)| {
        !t.is_empty()
            && t.chars().all(|c| c.is_ascii_hexdigit())
            && rest
                .split(':')
                .all(|b| b.len() == 2 && b.chars().all(|c| c.is_ascii_hexdigit()))
    });
    // A hex string of other length (InfiniBand's 20 bytes) is not an error either.
    let long_hex = field
        .split(':')
        .all(|b| b.len() == 2 && b.chars().all(|c| c.is_ascii_hexdigit()));
    if other_type || long_hex {
        Ok(None)
    } else {
        Err(LeaseLineError::Hardware)
    }
}

/// The Ethernet MAC inside a DUID-LLT (`00:01`, hardware type, time, address) or DUID-LL
/// (`00:03`, hardware type, address) with hardware type 1; otherwise `None`.
fn mac_from_duid(field: &str) -> Option<MacAddr> {
    if field == "*" {
        return None;
    }
    let bytes: Vec<u8> = field
        .split(':')
        .map(|b| u8::from_str_radix(b, 16))
        .collect::<Result<_, _>>()
        .ok()?;
    let (kind, hw) = (bytes.get(0..2)?, bytes.get(2..4)?);
    if hw != [0, 1] {
        return None;
    }
    let mac = match kind {
        [0, 1] => bytes.get(8..)?,
        [0, 3] => bytes.get(4..)?,
        _ => return None,
    };
    MacAddr::from_bytes(mac).ok().filter(|m| m.is_unicast())
}

/// A host name as sent by a device: `*` means none; otherwise letters, digits, `-`, `_` and
/// `.` are kept (dnsmasq has already checked it, but the file is not ours), cut to
/// [`MAX_HOSTNAME`] characters. `None` when nothing usable is left.
pub fn clean_hostname(raw: &str) -> Option<String> {
    if raw == "*" {
        return None;
    }
    if !raw
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
    {
        return None;
    }
    let name: String = raw.trim_matches('.').chars().take(MAX_HOSTNAME).collect();
    (!name.is_empty()).then_some(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = "\
1732180000 b8:27:eb:12:34:56 192.168.4.23 alice-phone 01:b8:27:eb:12:34:56
0 02:11:22:33:44:55 192.168.4.7 * *
duid 00:01:00:01:2c:5f:aa:bb:b8:27:eb:00:00:01
1732180000 1234567 2001:db8:1::23 alice-phone 00:01:00:01:2c:5f:aa:bb:b8:27:eb:12:34:56
1732180000 T42 2001:db8:1::24 * 00:03:00:01:f0:18:98:00:00:01
1732180000 99 2001:db8:1::25 laptop 00:02:00:00:ab:11:01:02:03:04
";

    #[test]
    fn good_file() {
        let f = parse(GOOD, 100);
        assert_eq!(f.bad_lines, 0, "{:?}", f.first_error);
        assert_eq!(
            f.server_duid.as_deref(),
            Some("00:01:00:01:2c:5f:aa:bb:b8:27:eb:00:00:01")
        );
        assert_eq!(f.leases.len(), 5);
        let a = &f.leases[0];
        assert_eq!(a.ip, "192.168.4.23".parse::<IpAddr>().unwrap());
        assert_eq!(a.mac, Some("b8:27:eb:12:34:56".parse().unwrap()));
        assert_eq!(a.hostname.as_deref(), Some("alice-phone"));
        assert_eq!(a.expires, DateTime::from_timestamp(1_732_180_000, 0));
        let b = &f.leases[1];
        assert_eq!(b.expires, None, "0 is an infinite lease");
        assert_eq!(b.hostname, None);
        // DHCPv6: MAC from DUID-LLT and DUID-LL, none from DUID-EN.
        assert_eq!(f.leases[2].mac, a.mac);
        assert_eq!(f.leases[2].hostname.as_deref(), Some("alice-phone"));
        assert_eq!(f.leases[3].mac, Some("f0:18:98:00:00:01".parse().unwrap()));
        assert_eq!(f.leases[4].mac, None);
        assert_eq!(f.leases[4].hostname.as_deref(), Some("laptop"));
    }

    #[test]
    fn bad_lines_are_skipped_and_counted() {
        let text = "\
garbage
1732180000 b8:27:eb:12:34:56 192.168.4.23 alice-phone
soon b8:27:eb:12:34:56 192.168.4.23 alice-phone *
1732180000 b8:27:eb:12:34:56 192.168.4.300 alice-phone *
1732180000 zz:27:eb:12:34:56 192.168.4.23 alice-phone *
99999999999999999 b8:27:eb:12:34:56 192.168.4.23 alice-phone *
duid
1732180000 20-01:02:03:04:05:06:07:08:09:0a 192.168.4.30 ib-host *
1732180000 00:11:22:33:44:55 192.168.4.31 bad\u{7}name *
\u{0}\u{ff}\u{feff} 1 2 3 4 5
1732180000 00:11:22:33:44:56 192.168.4.32 ok *
";
        let f = parse(text, 100);
        assert_eq!(f.bad_lines, 8);
        assert_eq!(f.first_error, Some((1, LeaseLineError::Fields(1))));
        assert_eq!(f.leases.len(), 3);
        // Non-Ethernet hardware: a lease, without a MAC.
        assert_eq!(f.leases[0].mac, None);
        assert_eq!(f.leases[0].hostname.as_deref(), Some("ib-host"));
        // A host name with a control character is dropped, the lease kept.
        assert_eq!(f.leases[1].hostname, None);
        assert!(f.leases[1].mac.is_some());
        assert_eq!(f.leases[2].hostname.as_deref(), Some("ok"));
    }

    #[test]
    fn bounded() {
        let f = parse(GOOD, 2);
        assert_eq!(f.leases.len(), 2);
        assert_eq!(f.bad_lines, 3);
    }

    #[test]
    fn never_panics_on_arbitrary_bytes() {
        let mut seed = 0x9e37_79b9_u32;
        for _ in 0..2_000 {
            let len = (seed % 90) as usize;
            let mut s = String::new();
            for _ in 0..len {
                seed ^= seed << 13;
                seed ^= seed >> 17;
                seed ^= seed << 5;
                let alphabet = b" 0123456789abcdef:.-*T\nduid";
                s.push(alphabet[seed as usize % alphabet.len()] as char);
            }
            let _ = parse(&s, 10);
        }
    }

    #[test]
    fn hostnames() {
        assert_eq!(clean_hostname("*"), None);
        assert_eq!(clean_hostname("Bobs-iPad"), Some("Bobs-iPad".into()));
        assert_eq!(clean_hostname("a b"), None);
        assert_eq!(clean_hostname("..."), None);
        assert_eq!(clean_hostname(&"x".repeat(100)).map(|h| h.len()), Some(63));
    }
}
