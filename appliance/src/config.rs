//! The one configuration file (TOML), its built-in defaults and its validation.
//!
//! Every section and key has a default, so `whereflow run` works with no file at all on a
//! plain Linux laptop. Unknown keys are rejected (a typo must not be silently ignored), and
//! [`Config::validate`] checks values so that an error names the key and says why.

use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::time::Duration;

use ipnet::IpNet;
use serde::Deserialize;

use crate::model::Domain;

/// A configuration problem, naming the key at fault.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The file could not be read.
    #[error("cannot read config file {path}: {source}")]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The file is not valid TOML or a key is unknown or has the wrong type.
    #[error("config file {path}: {message}")]
    Parse {
        /// The file.
        path: PathBuf,
        /// The parser's message (it names the key and the line).
        message: String,
    },
    /// A value is well-formed but not usable.
    #[error("config key `{key}`: {reason}")]
    Invalid {
        /// Dotted key, e.g. `dns.listen`.
        key: &'static str,
        /// Why the value is refused.
        reason: String,
    },
}

fn invalid(key: &'static str, reason: impl Into<String>) -> ConfigError {
    ConfigError::Invalid {
        key,
        reason: reason.into(),
    }
}

/// The whole configuration.
#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// The DNS forwarder.
    pub dns: DnsConfig,
    /// The conntrack reader.
    pub conntrack: ConntrackConfig,
    /// Which addresses are devices, and how long DNS answers are remembered.
    pub correlate: CorrelateConfig,
    /// Local databases that turn addresses into organizations and places.
    pub enrich: EnrichConfig,
    /// The web listener.
    pub web: WebConfig,
    /// Where data is kept.
    pub data: DataConfig,
}

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

/// `[conntrack]`: the kernel's connection table.
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct ConntrackConfig {
    /// Read conntrack at all (off: DNS only, e.g. without root).
    pub enabled: bool,
    /// How often to dump the table for live byte counters, in milliseconds.
    pub dump_interval_ms: u64,
    /// Event socket receive buffer in bytes (set with `SO_RCVBUFFORCE`).
    pub receive_buffer_bytes: usize,
    /// Most flows tracked at once.
    pub max_flows: usize,
    /// Set `nf_conntrack_acct`, `_timestamp` and `_events` at start (needs root).
    pub set_sysctls: bool,
}

impl Default for ConntrackConfig {
    fn default() -> Self {
        ConntrackConfig {
            enabled: true,
            dump_interval_ms: 2_000,
            receive_buffer_bytes: 8 << 20,
            max_flows: 65_536,
            set_sysctls: true,
        }
    }
}

impl ConntrackConfig {
    /// Interval between counter dumps.
    pub fn dump_interval(&self) -> Duration {
        Duration::from_millis(self.dump_interval_ms)
    }
}

/// `[correlate]`: matching flows to the names devices asked for.
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct CorrelateConfig {
    /// Address ranges whose hosts are devices (flows from elsewhere are ignored).
    pub lan: Vec<IpNet>,
    /// How long past its TTL an answer still names a new flow, in seconds (devices cache
    /// answers longer than they should).
    pub grace_secs: u64,
    /// Most remote addresses remembered per device.
    pub max_addresses_per_device: usize,
    /// Most devices remembered.
    pub max_devices: usize,
    /// How long closed flows stay in the live view, in seconds.
    pub closed_retention_secs: u64,
    /// Most closed flows kept in the live view.
    pub max_closed_flows: usize,
    /// Most DNS answers kept for `/api/v1/dns`, per device.
    pub max_answers_per_device: usize,
}

impl Default for CorrelateConfig {
    fn default() -> Self {
        CorrelateConfig {
            lan: ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "fc00::/7"]
                .iter()
                .filter_map(|s| s.parse().ok())
                .collect(),
            grace_secs: 300,
            max_addresses_per_device: 4_096,
            max_devices: 1_024,
            closed_retention_secs: 900,
            max_closed_flows: 20_000,
            max_answers_per_device: 200,
        }
    }
}

/// `[enrich]`: local geo and AS databases (the domain lists are built in).
#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct EnrichConfig {
    /// Country or city databases in MaxMind format: MaxMind GeoIP2/GeoLite2 City or Country,
    /// or the DB-IP / ip-location-db layout (IPv4 and IPv6 may be separate files). A missing or
    /// broken file is reported in `/api/v1/status` and skipped.
    pub geo_dbs: Vec<PathBuf>,
    /// AS databases in the GeoLite2-ASN layout (the image builds one from `@ip-location-db/asn`).
    pub asn_dbs: Vec<PathBuf>,
}

/// `[web]`: the API and pages.
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct WebConfig {
    /// Address of the HTTP listener.
    pub listen: SocketAddr,
    /// Most event-stream subscribers at once.
    pub max_event_clients: usize,
    /// Privacy mode: each device sees only its own flows, names and answers; the group
    /// views (sankey, map, presenter) show everyone else only as one aggregate.
    pub privacy_mode: bool,
}

impl Default for WebConfig {
    fn default() -> Self {
        WebConfig {
            listen: SocketAddr::from(([127, 0, 0, 1], 8080)),
            max_event_clients: 64,
            privacy_mode: false,
        }
    }
}

/// `[data]`: persistent files.
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct DataConfig {
    /// The data directory (created if missing).
    pub dir: PathBuf,
}

impl Default for DataConfig {
    fn default() -> Self {
        DataConfig {
            dir: PathBuf::from("whereflow-data"),
        }
    }
}

impl Config {
    /// Read and validate a file.
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
            path: path.to_owned(),
            source,
        })?;
        Config::parse(&text, path)
    }

    /// Parse TOML text (the path is only for messages). Does not validate.
    pub fn parse(text: &str, path: &Path) -> Result<Config, ConfigError> {
        toml::from_str(text).map_err(|e| ConfigError::Parse {
            path: path.to_owned(),
            message: e.to_string(),
        })
    }

    /// Check every value; the first problem found is returned.
    pub fn validate(&self) -> Result<(), ConfigError> {
        let d = &self.dns;
        if d.listen.is_empty() {
            return Err(invalid("dns.listen", "at least one address is needed"));
        }
        for (i, a) in d.listen.iter().enumerate() {
            if a.port() == 0 {
                return Err(invalid("dns.listen", format!("{a}: port 0 is not a port")));
            }
            if d.listen[..i].contains(a) {
                return Err(invalid("dns.listen", format!("{a} is listed twice")));
            }
        }
        for u in &d.upstreams {
            if u.port() == 0 || u.ip().is_unspecified() {
                return Err(invalid(
                    "dns.upstreams",
                    format!("{u}: not a server address"),
                ));
            }
            if d.listen.contains(u) {
                return Err(invalid(
                    "dns.upstreams",
                    format!("{u} is one of our own dns.listen addresses (it would loop)"),
                ));
            }
        }
        d.local_domain()?;
        if d.cache_size == 0 || d.cache_size > 1_000_000 {
            return Err(invalid("dns.cache_size", "must be between 1 and 1000000"));
        }
        if !(50..=10_000).contains(&d.upstream_timeout_ms) {
            return Err(invalid(
                "dns.upstream_timeout_ms",
                "must be between 50 and 10000",
            ));
        }
        if d.max_tcp_connections == 0 || d.max_tcp_connections > 65_536 {
            return Err(invalid(
                "dns.max_tcp_connections",
                "must be between 1 and 65536",
            ));
        }
        if !(100..=120_000).contains(&d.tcp_idle_timeout_ms) {
            return Err(invalid(
                "dns.tcp_idle_timeout_ms",
                "must be between 100 and 120000",
            ));
        }
        let c = &self.conntrack;
        if !(100..=60_000).contains(&c.dump_interval_ms) {
            return Err(invalid(
                "conntrack.dump_interval_ms",
                "must be between 100 and 60000",
            ));
        }
        if !(4096..=256 << 20).contains(&c.receive_buffer_bytes) {
            return Err(invalid(
                "conntrack.receive_buffer_bytes",
                "must be between 4096 and 268435456",
            ));
        }
        if c.max_flows == 0 || c.max_flows > 4_000_000 {
            return Err(invalid(
                "conntrack.max_flows",
                "must be between 1 and 4000000",
            ));
        }
        let r = &self.correlate;
        if r.lan.is_empty() {
            return Err(invalid("correlate.lan", "at least one range is needed"));
        }
        if r.grace_secs > 86_400 {
            return Err(invalid(
                "correlate.grace_secs",
                "must be at most 86400 (one day)",
            ));
        }
        for (key, v) in [
            (
                "correlate.max_addresses_per_device",
                r.max_addresses_per_device,
            ),
            ("correlate.max_devices", r.max_devices),
            ("correlate.max_closed_flows", r.max_closed_flows),
            ("correlate.max_answers_per_device", r.max_answers_per_device),
        ] {
            if v == 0 || v > 10_000_000 {
                return Err(invalid(key, "must be between 1 and 10000000"));
            }
        }
        for (key, paths) in [
            ("enrich.geo_dbs", &self.enrich.geo_dbs),
            ("enrich.asn_dbs", &self.enrich.asn_dbs),
        ] {
            if paths.iter().any(|p| p.as_os_str().is_empty()) {
                return Err(invalid(key, "an empty path is not a file"));
            }
        }
        if self.web.listen.port() == 0 {
            return Err(invalid("web.listen", "port 0 is not a port"));
        }
        if self.web.max_event_clients == 0 || self.web.max_event_clients > 10_000 {
            return Err(invalid(
                "web.max_event_clients",
                "must be between 1 and 10000",
            ));
        }
        if self.data.dir.as_os_str().is_empty() {
            return Err(invalid("data.dir", "must not be empty"));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Config, ConfigError> {
        let c = Config::parse(text, Path::new("test.toml"))?;
        c.validate()?;
        Ok(c)
    }

    #[test]
    fn defaults_are_valid() {
        Config::default().validate().unwrap();
        assert_eq!(parse("").unwrap(), Config::default());
    }

    #[test]
    fn example_file_is_valid() {
        let text = include_str!("../../docs/whereflow.example.toml");
        parse(text).unwrap();
    }

    #[test]
    fn unknown_key_is_named() {
        let e = parse("[dns]\nlisten = [\"127.0.0.1:53\"]\nupstream = []\n").unwrap_err();
        let msg = e.to_string();
        assert!(msg.contains("upstream"), "{msg}");
    }

    #[test]
    fn wrong_type_is_named() {
        let msg = parse("[web]\nlisten = 8080\n").unwrap_err().to_string();
        assert!(msg.contains("listen"), "{msg}");
    }

    #[test]
    fn bad_values_name_their_key() {
        let cases = [
            ("[dns]\nlisten = []", "dns.listen"),
            ("[dns]\nlisten = [\"127.0.0.1:0\"]", "dns.listen"),
            ("[dns]\nupstreams = [\"127.0.0.1:5353\"]", "dns.upstreams"),
            ("[dns]\nlocal_name = \"a..b\"", "dns.local_name"),
            ("[dns]\ncache_size = 0", "dns.cache_size"),
            ("[dns]\nupstream_timeout_ms = 1", "dns.upstream_timeout_ms"),
            (
                "[conntrack]\ndump_interval_ms = 5",
                "conntrack.dump_interval_ms",
            ),
            (
                "[conntrack]\nreceive_buffer_bytes = 10",
                "conntrack.receive_buffer_bytes",
            ),
            ("[correlate]\nlan = []", "correlate.lan"),
            ("[correlate]\nmax_devices = 0", "correlate.max_devices"),
            ("[web]\nlisten = \"127.0.0.1:0\"", "web.listen"),
            ("[enrich]\ngeo_dbs = [\"\"]", "enrich.geo_dbs"),
        ];
        for (text, key) in cases {
            let msg = parse(text).unwrap_err().to_string();
            assert!(msg.contains(key), "{text:?} gave {msg:?}, wanted {key}");
        }
    }

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
