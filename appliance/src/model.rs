//! The shared vocabulary of the data flow: the small types every stage passes along.
//!
//! Each stage owns its own richer types (`dns::DnsAnswer`, `conntrack::FlowSnapshot`,
//! `correlate::FlowRecord`); what lives here is what more than one stage must agree on.

use std::fmt;
use std::net::IpAddr;

use serde::{Serialize, Serializer};

/// A device on the LAN, by IP address. Who is behind an address (MAC-based identity from DHCP
/// leases and the neighbour table, names, nickname) is `devices::DeviceRegistry`'s to say.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DeviceId(pub IpAddr);

impl DeviceId {
    /// The device's address.
    pub fn ip(self) -> IpAddr {
        self.0
    }
}

impl fmt::Display for DeviceId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl Serialize for DeviceId {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(&self.0)
    }
}

/// Why a string is not a usable domain name.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum DomainError {
    /// Nothing left after trimming the root dot.
    #[error("empty domain name")]
    Empty,
    /// Longer than DNS allows (253 characters in text form).
    #[error("domain name longer than 253 characters")]
    TooLong,
    /// A label is empty (`a..b`) or longer than 63 characters.
    #[error("domain label empty or longer than 63 characters")]
    BadLabel,
}

/// A domain name as people read it: lower case ASCII (IDNs in punycode), no trailing dot.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Domain(String);

impl Domain {
    /// Normalise and check a name (`WWW.Example.COM.` becomes `www.example.com`).
    pub fn new(name: &str) -> Result<Self, DomainError> {
        let trimmed = name.strip_suffix('.').unwrap_or(name);
        if trimmed.is_empty() {
            return Err(DomainError::Empty);
        }
        if trimmed.len() > 253 {
            return Err(DomainError::TooLong);
        }
        if trimmed.split('.').any(|l| l.is_empty() || l.len() > 63) {
            return Err(DomainError::BadLabel);
        }
        Ok(Domain(trimmed.to_ascii_lowercase()))
    }

    /// The name as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Domain {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Serialize for Domain {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

/// Transport protocol of a flow, as the API names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Proto {
    /// TCP (IP protocol 6).
    Tcp,
    /// UDP (IP protocol 17).
    Udp,
    /// ICMP or ICMPv6 (IP protocols 1 and 58).
    Icmp,
    /// Anything else, by IP protocol number.
    #[serde(untagged)]
    Other(u8),
}

impl Proto {
    /// Map an IP protocol number.
    pub fn from_number(n: u8) -> Self {
        match n {
            6 => Proto::Tcp,
            17 => Proto::Udp,
            1 | 58 => Proto::Icmp,
            n => Proto::Other(n),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn domain_normalises_case_and_root_dot() {
        assert_eq!(
            Domain::new("WWW.Example.COM.").unwrap().as_str(),
            "www.example.com"
        );
    }

    #[test]
    fn domain_rejects_bad_names() {
        assert_eq!(Domain::new("."), Err(DomainError::Empty));
        assert_eq!(Domain::new("a..b"), Err(DomainError::BadLabel));
        assert_eq!(Domain::new(&"a".repeat(64)), Err(DomainError::BadLabel));
        let long = vec!["abcdefghi"; 30].join(".");
        assert_eq!(Domain::new(&long), Err(DomainError::TooLong));
    }

    #[test]
    fn proto_numbers() {
        assert_eq!(Proto::from_number(6), Proto::Tcp);
        assert_eq!(Proto::from_number(58), Proto::Icmp);
        assert_eq!(serde_json::to_string(&Proto::Udp).unwrap(), "\"udp\"");
        assert_eq!(serde_json::to_string(&Proto::Other(132)).unwrap(), "132");
    }
}
