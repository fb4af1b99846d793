//! Test zones for the lab's authoritative servers, rendered as RFC 1035 master files for nsd.

use std::fmt::Write as _;

/// One DNS zone served by both of the lab's authoritative servers.
///
/// Names are relative to the origin (`"www"`, `"@"` or `""` for the apex) or absolute with a
/// trailing dot (`"www.example.test."`). SOA and NS records are generated; the NS names are
/// `ns1.lab.invalid.` and `ns2.lab.invalid.` (outside the zone, so no glue is needed).
///
/// ```
/// use whereflow_lab::Zone;
/// let zone = Zone::new("example.test")
///     .a("www", "203.0.113.10")
///     .aaaa("www", "2001:db8:2::10")
///     .cname("alias", "www.example.test.")
///     .txt("t", "hello")
///     .mx("@", 10, "mail")
///     .ttl(300);
/// assert_eq!(zone.origin(), "example.test.");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Zone {
    origin: String,
    ttl: u32,
    negative_ttl: u32,
    records: Vec<Record>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Record {
    name: String,
    ttl: Option<u32>,
    rtype: String,
    rdata: String,
}

impl Zone {
    /// A new zone with this origin (`"example.test"`, `"com"`, `"."`; a trailing dot is optional).
    /// Default TTL 60 s, negative-answer TTL 60 s.
    pub fn new(origin: &str) -> Zone {
        let origin = origin.trim_end_matches('.');
        let origin = if origin.is_empty() {
            ".".to_string()
        } else {
            format!("{origin}.")
        };
        Zone {
            origin,
            ttl: 60,
            negative_ttl: 60,
            records: Vec::new(),
        }
    }

    /// The origin, absolute with a trailing dot (`"example.test."`; `"."` for the root).
    pub fn origin(&self) -> &str {
        &self.origin
    }

    /// Adds an A record (`addr` must be an IPv4 address; checked when the lab builds).
    pub fn a(self, name: &str, addr: &str) -> Zone {
        self.record(name, "A", addr)
    }

    /// Adds an AAAA record.
    pub fn aaaa(self, name: &str, addr: &str) -> Zone {
        self.record(name, "AAAA", addr)
    }

    /// Adds a CNAME record; `target` is relative to the origin unless it ends with a dot.
    pub fn cname(self, name: &str, target: &str) -> Zone {
        self.record(name, "CNAME", target)
    }

    /// Adds a TXT record with one character-string (quoted and escaped here).
    pub fn txt(self, name: &str, text: &str) -> Zone {
        let escaped = text.replace('\\', "\\\\").replace('"', "\\\"");
        self.record(name, "TXT", &format!("\"{escaped}\""))
    }

    /// Adds an MX record.
    pub fn mx(self, name: &str, preference: u16, exchange: &str) -> Zone {
        self.record(name, "MX", &format!("{preference} {exchange}"))
    }

    /// Adds a PTR record (e.g. in a zone `"113.0.203.in-addr.arpa"`: `.ptr("10", "www.example.test.")`).
    pub fn ptr(self, name: &str, target: &str) -> Zone {
        self.record(name, "PTR", target)
    }

    /// Adds any record in master-file syntax: `.record("srv", "SRV", "0 5 80 www")`.
    pub fn record(mut self, name: &str, rtype: &str, rdata: &str) -> Zone {
        self.records.push(Record {
            name: owner(name),
            ttl: None,
            rtype: rtype.to_string(),
            rdata: rdata.to_string(),
        });
        self
    }

    /// Adds any record with its own TTL.
    pub fn record_with_ttl(mut self, name: &str, ttl: u32, rtype: &str, rdata: &str) -> Zone {
        self.records.push(Record {
            name: owner(name),
            ttl: Some(ttl),
            rtype: rtype.to_string(),
            rdata: rdata.to_string(),
        });
        self
    }

    /// Sets the default TTL of every record of the zone that has no TTL of its own.
    pub fn ttl(mut self, seconds: u32) -> Zone {
        self.ttl = seconds;
        self
    }

    /// Sets the TTL of negative answers (the SOA minimum field, RFC 2308).
    pub fn negative_ttl(mut self, seconds: u32) -> Zone {
        self.negative_ttl = seconds;
        self
    }

    /// The zone name as nsd.conf wants it (`"example.test"`, `"."` for the root).
    pub(crate) fn conf_name(&self) -> &str {
        if self.origin == "." {
            "."
        } else {
            self.origin.trim_end_matches('.')
        }
    }

    /// Checks the address records so mistakes fail the build with a clear message.
    pub(crate) fn validate(&self) -> anyhow::Result<()> {
        for r in &self.records {
            let ok = match r.rtype.as_str() {
                "A" => r.rdata.parse::<std::net::Ipv4Addr>().is_ok(),
                "AAAA" => r.rdata.parse::<std::net::Ipv6Addr>().is_ok(),
                _ => true,
            };
            if !ok {
                anyhow::bail!(
                    "zone {}: {} record {:?} has a bad address {:?}",
                    self.origin,
                    r.rtype,
                    r.name,
                    r.rdata
                );
            }
        }
        Ok(())
    }

    /// The master file text.
    pub fn to_zone_file(&self) -> String {
        let mut s = String::new();
        let _ = writeln!(s, "$ORIGIN {}", self.origin);
        let _ = writeln!(s, "$TTL {}", self.ttl);
        let _ = writeln!(
            s,
            "@ IN SOA ns1.lab.invalid. hostmaster.lab.invalid. 1 3600 600 86400 {}",
            self.negative_ttl
        );
        let _ = writeln!(s, "@ IN NS ns1.lab.invalid.");
        let _ = writeln!(s, "@ IN NS ns2.lab.invalid.");
        for r in &self.records {
            let ttl = r.ttl.map(|t| format!("{t} ")).unwrap_or_default();
            let _ = writeln!(s, "{} {}IN {} {}", r.name, ttl, r.rtype, r.rdata);
        }
        s
    }
}

/// The owner field of a record: `@` for the apex, otherwise as given.
fn owner(name: &str) -> String {
    if name.is_empty() {
        "@".into()
    } else {
        name.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_records() {
        let z = Zone::new("example.test.")
            .a("www", "203.0.113.10")
            .txt("t", "say \"hi\"")
            .record_with_ttl("", 5, "A", "203.0.113.1")
            .ttl(30);
        let f = z.to_zone_file();
        assert!(f.starts_with("$ORIGIN example.test.\n$TTL 30\n"));
        assert!(f.contains("www IN A 203.0.113.10\n"));
        assert!(f.contains("t IN TXT \"say \\\"hi\\\"\"\n"));
        assert!(f.contains("@ 5 IN A 203.0.113.1\n"));
        assert_eq!(z.conf_name(), "example.test");
        assert_eq!(Zone::new(".").conf_name(), ".");
        assert!(Zone::new("x").a("a", "2001:db8::1").validate().is_err());
    }
}
