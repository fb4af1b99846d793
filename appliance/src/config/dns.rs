//! `[dns]`: the forwarder every device uses.

use std::net::{IpAddr, SocketAddr};
use std::time::Duration;

use serde::Deserialize;

use super::{invalid, ConfigError};
use crate::model::Domain;

/// `[dns]`: the forwarder every device uses.
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct DnsConfig {
    /// Addresses to answer on, UDP and TCP (IPv4 and IPv6).
    pub listen: Vec<SocketAddr>,
    /// Upstream servers, tried in order with failover. Empty: the system's resolvers
    /// from `/etc/resolv.conf`.
    pub upstreams: Vec<SocketAddr>,
    /// The appliance's own name, answered locally.
    pub local_name: String,
    /// Addresses answered for `local_name`. Empty: the specific `listen` addresses.
    pub local_addresses: Vec<IpAddr>,
    /// Answer NXDOMAIN for `use-application-dns.net`, so Firefox keeps using this resolver.
    pub block_use_application_dns: bool,
    /// Answer NXDOMAIN for `mask.icloud.com` and `mask-h2.icloud.com` (iCloud Private Relay),
    /// so Apple devices keep using this resolver.
    pub block_icloud_private_relay: bool,
    /// How many answers the cache keeps.
    pub cache_size: usize,
    /// How long to wait for one upstream before trying the next, in milliseconds.
    pub upstream_timeout_ms: u64,
    /// Most TCP clients served at once; more are refused.
    pub max_tcp_connections: usize,
    /// A TCP client that sends nothing for this long is dropped, in milliseconds.
    pub tcp_idle_timeout_ms: u64,
}

impl Default for DnsConfig {
    fn default() -> Self {
        DnsConfig {
            listen: vec![SocketAddr::from(([127, 0, 0, 1], 5353))],
            upstreams: Vec::new(),
            local_name: "whereflow.lan".into(),
            local_addresses: Vec::new(),
            block_use_application_dns: true,
            block_icloud_private_relay: true,
            cache_size: 10_000,
            upstream_timeout_ms: 800,
            max_tcp_connections: 256,
            tcp_idle_timeout_ms: 5_000,
        }
    }
}

impl DnsConfig {
    /// Check the values; the error names the key.
    pub(crate) fn validate(&self) -> Result<(), ConfigError> {
        if self.listen.is_empty() {
            return Err(invalid("dns.listen", "at least one address is needed"));
        }
        for (i, a) in self.listen.iter().enumerate() {
            if a.port() == 0 {
                return Err(invalid("dns.listen", format!("{a}: port 0 is not a port")));
            }
            if self.listen[..i].contains(a) {
                return Err(invalid("dns.listen", format!("{a} is listed twice")));
            }
        }
        for u in &self.upstreams {
            if u.port() == 0 || u.ip().is_unspecified() {
                return Err(invalid(
                    "dns.upstreams",
                    format!("{u}: not a server address"),
                ));
            }
            if self.listen.contains(u) {
                return Err(invalid(
                    "dns.upstreams",
                    format!("{u} is one of our own dns.listen addresses (it would loop)"),
                ));
            }
        }
        self.local_domain()?;
        if self.cache_size == 0 || self.cache_size > 1_000_000 {
            return Err(invalid("dns.cache_size", "must be between 1 and 1000000"));
        }
        if !(50..=10_000).contains(&self.upstream_timeout_ms) {
            return Err(invalid(
                "dns.upstream_timeout_ms",
                "must be between 50 and 10000",
            ));
        }
        if self.max_tcp_connections == 0 || self.max_tcp_connections > 65_536 {
            return Err(invalid(
                "dns.max_tcp_connections",
                "must be between 1 and 65536",
            ));
        }
        if !(100..=120_000).contains(&self.tcp_idle_timeout_ms) {
            return Err(invalid(
                "dns.tcp_idle_timeout_ms",
                "must be between 100 and 120000",
            ));
        }
        Ok(())
    }

    /// The appliance's own name, checked.
    pub fn local_domain(&self) -> Result<Domain, ConfigError> {
        Domain::new(&self.local_name).map_err(|e| invalid("dns.local_name", e.to_string()))
    }

    /// Addresses to answer for the appliance's own name.
    pub fn own_addresses(&self) -> Vec<IpAddr> {
        if !self.local_addresses.is_empty() {
            return self.local_addresses.clone();
        }
        let mut out: Vec<IpAddr> = Vec::new();
        for a in &self.listen {
            if !a.ip().is_unspecified() && !out.contains(&a.ip()) {
                out.push(a.ip());
            }
        }
        out
    }

    /// Per-upstream timeout.
    pub fn upstream_timeout(&self) -> Duration {
        Duration::from_millis(self.upstream_timeout_ms)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn own_addresses_skip_unspecified() {
        let d = DnsConfig {
            listen: vec![
                "0.0.0.0:53".parse().unwrap(),
                "192.168.4.1:53".parse().unwrap(),
            ],
            ..DnsConfig::default()
        };
        assert_eq!(
            d.own_addresses(),
            vec!["192.168.4.1".parse::<IpAddr>().unwrap()]
        );
    }
}
