//! DNS rebinding protection: a public name must not answer with an address inside the room.
//!
//! A web page a student opens can make its own name (`evil.example.com`, TTL 1) answer with
//! the appliance's address, and then read the appliance's pages *as that student* from
//! script, because the browser sees one origin. The web server checks `Host` too; this is the
//! DNS half, as dnsmasq's `stop-dns-rebind`: an upstream answer that maps a name under a
//! public suffix to a private, loopback, link-local or unspecified address, or to one of the
//! appliance's own addresses, is refused and never cached. Names that are not public (single
//! labels, `.lan`, `.local`, `.home.arpa`, `.internal`, `.test`: not on the public suffix
//! list) may answer anything, and so may names under `dns.rebind_allow` (a school intranet
//! with a real domain and private addresses).

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use crate::model::Domain;

/// What the forwarder refuses.
#[derive(Debug, Clone, Default)]
pub struct RebindGuard {
    /// Off: every answer passes (`dns.rebind_protection = false`).
    enabled: bool,
    /// Names under these may answer private addresses.
    allow: Vec<Domain>,
    /// The appliance's own addresses (public ones too: a public-addressed appliance is still
    /// the thing to protect).
    own: Vec<IpAddr>,
}

impl RebindGuard {
    /// A guard; `allow` are domains whose names (and subdomains) may answer anything.
    pub fn new(enabled: bool, allow: Vec<Domain>, own: Vec<IpAddr>) -> RebindGuard {
        RebindGuard {
            enabled,
            allow,
            own: own.into_iter().map(|a| a.to_canonical()).collect(),
        }
    }

    /// Whether an answer for `name` with `addrs` is a rebinding attempt.
    pub fn is_rebind(&self, name: Option<&Domain>, addrs: &[IpAddr]) -> bool {
        if !self.enabled || addrs.is_empty() {
            return false;
        }
        let Some(name) = name else {
            return false;
        };
        if !addrs.iter().any(|a| self.is_inside(*a)) {
            return false;
        }
        is_public(name.as_str()) && !self.allowed(name.as_str())
    }

    fn is_inside(&self, addr: IpAddr) -> bool {
        let addr = addr.to_canonical();
        self.own.contains(&addr) || is_internal(addr)
    }

    fn allowed(&self, name: &str) -> bool {
        self.allow.iter().any(|d| {
            let d = d.as_str();
            name == d || name.strip_suffix(d).is_some_and(|p| p.ends_with('.'))
        })
    }
}

/// Whether `name` ends in a suffix on the public suffix list (ICANN or private section).
/// `.arpa` is on the list but holds infrastructure and `home.arpa` (RFC 8375: a home
/// network's own names), not public names.
fn is_public(name: &str) -> bool {
    name.contains('.')
        && !name.ends_with(".arpa")
        && psl::suffix(name.as_bytes()).is_some_and(|s| s.is_known())
}

/// Addresses that only make sense inside a site: private, loopback, link-local, unspecified,
/// unique-local; IPv4-mapped IPv6 addresses as their IPv4 address.
fn is_internal(addr: IpAddr) -> bool {
    match addr {
        IpAddr::V4(a) => is_internal_v4(a),
        IpAddr::V6(a) => match a.to_ipv4_mapped() {
            Some(v4) => is_internal_v4(v4),
            None => is_internal_v6(a),
        },
    }
}

fn is_internal_v4(a: Ipv4Addr) -> bool {
    a.is_private() || a.is_loopback() || a.is_link_local() || a.is_broadcast() || a.octets()[0] == 0
}

fn is_internal_v6(a: Ipv6Addr) -> bool {
    let first = a.segments()[0];
    a.is_loopback()
        || a.is_unspecified()
        || (first & 0xffc0) == 0xfe80 // link-local fe80::/10
        || (first & 0xfe00) == 0xfc00 // unique local fc00::/7
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Domain {
        Domain::new(s).unwrap()
    }

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    fn guard() -> RebindGuard {
        RebindGuard::new(
            true,
            vec![d("intranet.school.example.org")],
            vec![ip("192.0.2.1"), ip("2001:db8::1")],
        )
    }

    #[test]
    fn public_names_to_internal_addresses_are_rebinding() {
        let g = guard();
        for a in [
            "10.77.0.1",
            "192.168.1.1",
            "172.16.5.4",
            "127.0.0.1",
            "169.254.1.1",
            "0.0.0.0",
            "::1",
            "::",
            "fe80::1",
            "fd00::5",
            "::ffff:10.0.0.1",
            // The appliance's own addresses, even when public.
            "192.0.2.1",
            "2001:db8::1",
        ] {
            assert!(g.is_rebind(Some(&d("evil.example.com")), &[ip(a)]), "{a}");
        }
        // One internal address among public ones is enough.
        assert!(g.is_rebind(Some(&d("evil.co.uk")), &[ip("203.0.113.5"), ip("10.0.0.1")]));
    }

    #[test]
    fn public_addresses_private_names_and_allowed_domains_pass() {
        let g = guard();
        assert!(!g.is_rebind(Some(&d("www.example.com")), &[ip("203.0.113.5")]));
        assert!(!g.is_rebind(Some(&d("www.example.com")), &[ip("2001:db8:5::1")]));
        assert!(!g.is_rebind(Some(&d("printer.lan")), &[ip("10.0.0.9")]));
        assert!(!g.is_rebind(Some(&d("nas.home.arpa")), &[ip("192.168.1.2")]));
        assert!(!g.is_rebind(Some(&d("router")), &[ip("192.168.1.1")]));
        assert!(!g.is_rebind(Some(&d("db.example.test")), &[ip("10.0.0.1")]));
        assert!(!g.is_rebind(
            Some(&d("wiki.intranet.school.example.org")),
            &[ip("10.1.2.3")]
        ));
        assert!(!g.is_rebind(Some(&d("intranet.school.example.org")), &[ip("10.1.2.3")]));
        // Not a suffix match on a label boundary.
        assert!(g.is_rebind(Some(&d("xintranet.school.example.org")), &[ip("10.1.2.3")]));
        assert!(!g.is_rebind(None, &[ip("10.1.2.3")]));
        let off = RebindGuard::new(false, vec![], vec![]);
        assert!(!off.is_rebind(Some(&d("evil.example.com")), &[ip("10.0.0.1")]));
    }
}
