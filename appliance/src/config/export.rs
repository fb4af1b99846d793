//! `[export]`: flow records sent to collectors over IPFIX (RFC 7011). Off by default.

use std::fmt;

use serde::Deserialize;

use super::{invalid, ConfigError};

/// IANA's Private Enterprise Number reserved for documentation and examples (RFC 5612):
/// the default until a district registers its own (docs/IPFIX.md says how to change it).
pub const DEFAULT_ENTERPRISE_NUMBER: u32 = 32473;

/// At most this many collectors.
pub const MAX_COLLECTORS: usize = 8;

/// How records travel to a collector.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Transport {
    /// One message per datagram; templates re-sent every `export.template_refresh_secs`.
    Udp,
    /// One connection; templates at its start; reconnected with backoff.
    Tcp,
}

/// One collector, from `udp://host:port` or `tcp://host:port`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CollectorUrl {
    /// UDP or TCP.
    pub transport: Transport,
    /// Host name or address (IPv6 without brackets); resolved at each (re)connection.
    pub host: String,
    /// Port (IPFIX's is 4739).
    pub port: u16,
}

impl CollectorUrl {
    /// Parse `udp://host:port` / `tcp://host:port` (`[v6]:port` for IPv6 addresses).
    pub fn parse(url: &str) -> Result<CollectorUrl, String> {
        let (transport, rest) = if let Some(r) = url.strip_prefix("udp://") {
            (Transport::Udp, r)
        } else if let Some(r) = url.strip_prefix("tcp://") {
            (Transport::Tcp, r)
        } else {
            return Err(format!(
                "{url:?} must start with udp:// or tcp:// (e.g. \"udp://collector:4739\")"
            ));
        };
        let (host, port) = rest
            .rsplit_once(':')
            .ok_or_else(|| format!("{url:?} needs a port (IPFIX's is 4739)"))?;
        let host = host
            .strip_prefix('[')
            .and_then(|h| h.strip_suffix(']'))
            .unwrap_or(host);
        let port: u16 = port
            .parse()
            .ok()
            .filter(|&p| p != 0)
            .ok_or_else(|| format!("{url:?}: {port:?} is not a port (1-65535)"))?;
        let name_ok = |h: &str| {
            !h.is_empty()
                && h.len() <= 253
                && h.chars()
                    .all(|c| c.is_ascii_alphanumeric() || "-.".contains(c))
        };
        if host.parse::<std::net::IpAddr>().is_err() && !name_ok(host) {
            return Err(format!("{url:?}: {host:?} is not a host name or address"));
        }
        Ok(CollectorUrl {
            transport,
            host: host.to_owned(),
            port,
        })
    }
}

impl fmt::Display for CollectorUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let scheme = match self.transport {
            Transport::Udp => "udp",
            Transport::Tcp => "tcp",
        };
        if self.host.contains(':') {
            write!(f, "{scheme}://[{}]:{}", self.host, self.port)
        } else {
            write!(f, "{scheme}://{}:{}", self.host, self.port)
        }
    }
}

/// `[export]`: IPFIX flow export.
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct ExportConfig {
    /// Collectors (`export.ipfix`), e.g. `["udp://collector:4739"]`; empty: export is off.
    pub ipfix: Vec<String>,
    /// A flow still open gets a record of what it carried since its last one this often
    /// (`export.active_timeout_secs`, 1–3600; default 60).
    pub active_timeout_secs: u64,
    /// Over UDP the templates are sent again this often (`export.template_refresh_secs`,
    /// 1–3600; default 60), so a collector started later learns them.
    pub template_refresh_secs: u64,
    /// The Private Enterprise Number of whereflow's own information elements
    /// (`export.enterprise_number`; default 32473, IANA's documentation number).
    pub enterprise_number: u32,
    /// Send the device's address as the source address (`export.include_device_address`;
    /// default false: records name the device by its session pseudonym only).
    pub include_device_address: bool,
    /// IPFIX observation domain id in every message header (`export.observation_domain`),
    /// to tell several appliances apart at one collector.
    pub observation_domain: u32,
}

impl Default for ExportConfig {
    fn default() -> Self {
        ExportConfig {
            ipfix: Vec::new(),
            active_timeout_secs: 60,
            template_refresh_secs: 60,
            enterprise_number: DEFAULT_ENTERPRISE_NUMBER,
            include_device_address: false,
            observation_domain: 0,
        }
    }
}

impl ExportConfig {
    /// The collectors, parsed (validated by [`ExportConfig::validate`]; a bad one is skipped).
    pub fn collectors(&self) -> Vec<CollectorUrl> {
        self.ipfix
            .iter()
            .filter_map(|u| CollectorUrl::parse(u).ok())
            .collect()
    }

    /// Check the values; the error names the key.
    pub(crate) fn validate(&self) -> Result<(), ConfigError> {
        if self.ipfix.len() > MAX_COLLECTORS {
            return Err(invalid(
                "export.ipfix",
                "config-at-most-collectors",
                [("max", MAX_COLLECTORS.to_string())],
            ));
        }
        for url in &self.ipfix {
            CollectorUrl::parse(url)
                .map_err(|e| invalid("export.ipfix", "config-value-detail", [("detail", e)]))?;
        }
        if !(1..=3600).contains(&self.active_timeout_secs) {
            return Err(invalid(
                "export.active_timeout_secs",
                "config-between-seconds",
                [("min", "1".into()), ("max", "3600".into())],
            ));
        }
        if !(1..=3600).contains(&self.template_refresh_secs) {
            return Err(invalid(
                "export.template_refresh_secs",
                "config-between-seconds",
                [("min", "1".into()), ("max", "3600".into())],
            ));
        }
        if self.enterprise_number == 0 {
            return Err(invalid(
                "export.enterprise_number",
                "config-enterprise-number",
                [],
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn off_by_default_and_urls_parse() {
        ExportConfig::default().validate().unwrap();
        assert!(ExportConfig::default().collectors().is_empty());
        let c = CollectorUrl::parse("tcp://[2001:db8::1]:4739").unwrap();
        assert_eq!(
            (c.transport, c.host.as_str(), c.port),
            (Transport::Tcp, "2001:db8::1", 4739)
        );
        assert_eq!(c.to_string(), "tcp://[2001:db8::1]:4739");
        let c = CollectorUrl::parse("udp://collector.example:4739").unwrap();
        assert_eq!(c.transport, Transport::Udp);
    }

    #[test]
    fn bad_values_are_refused_naming_the_key() {
        for bad in [
            "collector:4739",
            "http://c:4739",
            "udp://c",
            "udp://c:0",
            "udp://c:99999",
            "udp://:4739",
            "udp://a b:4739",
        ] {
            let c = ExportConfig {
                ipfix: vec![bad.into()],
                ..ExportConfig::default()
            };
            let e = c.validate().unwrap_err().to_string();
            assert!(e.contains("export.ipfix"), "{bad}: {e}");
        }
        let c = ExportConfig {
            active_timeout_secs: 0,
            ..ExportConfig::default()
        };
        assert!(c
            .validate()
            .unwrap_err()
            .to_string()
            .contains("export.active_timeout_secs"));
        let c = ExportConfig {
            enterprise_number: 0,
            ..ExportConfig::default()
        };
        assert!(c
            .validate()
            .unwrap_err()
            .to_string()
            .contains("export.enterprise_number"));
    }
}
