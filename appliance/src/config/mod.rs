//! The one configuration file (TOML), its built-in defaults and its validation.
//!
//! Every section and key has a default, so `whereflow run` works with no file at all on a
//! plain Linux laptop. Unknown keys are rejected (a typo must not be silently ignored), and
//! [`Config::validate`] checks values so that an error names the key and says why.

use std::path::{Path, PathBuf};

use serde::Deserialize;

mod admin;
mod conntrack;
mod correlate;
mod data;
mod devices;
mod dns;
mod enrich;
pub(crate) mod error;
mod export;
pub(crate) mod file_rewrite;
mod history;
pub(crate) mod metrics;
pub(crate) mod password;
mod site;
mod system;
mod uplink;
mod web;
mod wifi;

pub use admin::{
    check_password_hash, AdminConfig, ARGON2_MAX_M_COST_KIB, ARGON2_MAX_P_COST, ARGON2_MAX_T_COST,
};
pub use conntrack::ConntrackConfig;
pub use correlate::CorrelateConfig;
pub use data::DataConfig;
pub use devices::DevicesConfig;
pub use dns::{DnsConfig, UpstreamSpec};
pub use enrich::EnrichConfig;
pub(crate) use error::invalid;
pub use error::ConfigError;
pub use export::{CollectorUrl, ExportConfig, Transport, DEFAULT_ENTERPRISE_NUMBER};
pub use history::{HistoryConfig, MAX_DB_MB, RETENTION_DAYS};
pub use metrics::{MetricsConfig, MetricsToken};
pub use site::SiteConfig;
pub use system::SystemConfig;
pub use uplink::{is_interface_name, UplinkConfig, AP_INTERFACE, DEFAULT_PROBE_URL};
pub use web::{GroupNames, WebConfig};
pub use wifi::{WifiConfig, WifiSecurity, AUTO_INTERFACE};

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
    /// How devices are identified (DHCP leases, neighbour table).
    pub devices: DevicesConfig,
    /// The admin pages' password.
    pub admin: AdminConfig,
    /// How long history is kept and how big it may grow.
    pub history: HistoryConfig,
    /// The Prometheus endpoint `GET /metrics` and its bearer token (off without one).
    pub metrics: MetricsConfig,
    /// Flow records to IPFIX collectors (off without a collector).
    pub export: ExportConfig,
    /// The appliance's name, address and place on the map.
    pub site: SiteConfig,
    /// The WiFi network people join (for the presenter's QR code; on the appliance also the
    /// access point's radio settings, see `whereflow setup`).
    pub wifi: WifiConfig,
    /// The appliance's connection to the internet (used by `whereflow setup`).
    pub uplink: UplinkConfig,
    /// Files `whereflow setup` leaves for the daemon.
    pub system: SystemConfig,
    /// Detectors, rules and alerts (the section's types live in `detect::config`).
    pub detect: crate::detect::config::DetectConfig,
    /// Controls: DNS blocking, address blocks, ending connections (the section's types live
    /// in `control::config`).
    pub control: crate::control::config::ControlConfig,
    /// The file this configuration was read from ([`Config::load`]); `None` for built-in
    /// defaults. The admin password is rewritten there as a hash.
    #[serde(skip)]
    pub source: Option<PathBuf>,
}

impl Config {
    /// Read and validate a file.
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
            path: path.to_owned(),
            source,
        })?;
        let mut config = Config::parse(&text, path)?;
        config.source = Some(path.to_owned());
        Ok(config)
    }

    /// Parse TOML text (the path is only for messages). Does not validate.
    pub fn parse(text: &str, path: &Path) -> Result<Config, ConfigError> {
        toml::from_str(text).map_err(|e: toml::de::Error| ConfigError::Parse {
            path: path.to_owned(),
            message: e.to_string(),
            line: e.span().map(|s| line_of(text, s.start)),
        })
    }

    /// Check every value; the first problem found is returned. The sections are checked in
    /// this order, each naming its own keys.
    pub fn validate(&self) -> Result<(), ConfigError> {
        self.dns.validate()?;
        self.conntrack.validate()?;
        self.correlate.validate()?;
        self.enrich.validate()?;
        self.web.validate()?;
        self.data.validate()?;
        self.admin.validate()?;
        self.history.validate()?;
        self.metrics.validate()?;
        self.export.validate()?;
        self.site.validate()?;
        self.wifi.validate()?;
        self.devices.validate()?;
        self.uplink.validate()?;
        self.check_radios()?;
        self.detect.validate()?;
        self.control.validate()?;
        Ok(())
    }
}

/// The line (1 is the first) of byte `offset` in `text`.
pub(crate) fn line_of(text: &str, offset: usize) -> usize {
    let end = offset.min(text.len());
    text.as_bytes()[..end]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

impl Config {
    /// The access point and a WiFi uplink need two radios: the same interface cannot be both.
    pub fn check_radios(&self) -> Result<(), ConfigError> {
        if self.uplink.interface == self.wifi.interface {
            return Err(invalid(
                "uplink.interface",
                "config-radio-both",
                [("interface", format!("{:?}", self.uplink.interface))],
            ));
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
        let text = include_str!("../../../docs/config.example.toml");
        parse(text).unwrap();
    }

    #[test]
    fn unknown_key_is_named() {
        let e = parse("[dns]\nlisten = [\"127.0.0.1:53\"]\nupstream = []\n").unwrap_err();
        let msg = e.to_string();
        assert!(msg.contains("upstream"), "{msg}");
    }

    #[test]
    fn group_names_are_checked() {
        assert_eq!(parse("").unwrap().web.group_names, GroupNames::Pseudonym);
        let c = parse("[web]\ngroup_names = \"hostname\"\n").unwrap();
        assert_eq!(c.web.group_names, GroupNames::Hostname);
        let msg = parse("[web]\ngroup_names = \"hostnames\"\n")
            .unwrap_err()
            .to_string();
        assert!(msg.contains("group_names"), "{msg}");
        assert!(
            msg.contains("pseudonym") && msg.contains("hostname"),
            "{msg}"
        );
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
            ("[web]\nprivacy_min_devices = 0", "web.privacy_min_devices"),
            ("[enrich]\ngeo_dbs = [\"\"]", "enrich.geo_dbs"),
        ];
        for (text, key) in cases {
            let msg = parse(text).unwrap_err().to_string();
            assert!(msg.contains(key), "{text:?} gave {msg:?}, wanted {key}");
        }
    }

    #[test]
    fn admin_and_history_values_name_their_key() {
        let cases = [
            ("[admin]\npassword = \"tiny7\"", "admin.password"),
            ("[admin]\npassword_hash = \"secret\"", "admin.password_hash"),
            (
                "[admin]\npassword_hash = \"$pbkdf2-sha256$i=1000$c2FsdHNhbHQ$aGFzaA\"",
                "admin.password_hash",
            ),
            // 4 GiB of memory per login would take the appliance down.
            (
                "[admin]\npassword_hash = \"$argon2id$v=19$m=4194304,t=2,p=1$c2FsdHNhbHQ$\
                 ZX2Y5zy1AbSgGiHzsO4YGq5cJ2eLeGd1U3ZS4XqN9Ck\"",
                "admin.password_hash",
            ),
            ("[history]\nretention_days = 0", "history.retention_days"),
            ("[history]\nmax_db_mb = 1", "history.max_db_mb"),
        ];
        for (text, key) in cases {
            let msg = parse(text).unwrap_err().to_string();
            assert!(msg.contains(key), "{text:?} gave {msg:?}, wanted {key}");
            assert!(!msg.contains("tiny7"), "the password is never shown: {msg}");
        }
        let ok = parse(
            "[admin]\npassword_hash = \"$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$\
             ZX2Y5zy1AbSgGiHzsO4YGq5cJ2eLeGd1U3ZS4XqN9Ck\"\n[history]\nretention_days = 30\n",
        )
        .unwrap();
        assert_eq!(ok.history.retention_days, 30);
        let c = parse("[admin]\npassword = \"correct horse\"").unwrap();
        let shown = format!("{c:?}");
        assert!(!shown.contains("correct horse"), "{shown}");
        assert!(shown.contains("<set>"), "{shown}");
    }

    #[test]
    fn devices_values_name_their_key() {
        let cases = [
            (
                "[devices]\ndnsmasq_leases = \"leases\"",
                "devices.dnsmasq_leases",
            ),
            ("[devices]\ninterfaces = [\"\"]", "devices.interfaces"),
            (
                "[devices]\ninterfaces = [\"a-very-long-interface\"]",
                "devices.interfaces",
            ),
            ("[devices]\nmax_devices = 0", "devices.max_devices"),
            ("[devices]\nleases = \"/x\"", "leases"),
        ];
        for (text, key) in cases {
            let msg = parse(text).unwrap_err().to_string();
            assert!(msg.contains(key), "{text:?} gave {msg:?}, wanted {key}");
        }
        let c = parse("[devices]\ndnsmasq_leases = \"\"\nneighbours = false\n").unwrap();
        assert_eq!(c.devices.leases_path(), None);
        assert!(!c.devices.neighbours);
        assert_eq!(
            Config::default().devices.leases_path(),
            Some(Path::new("/var/lib/misc/dnsmasq.leases"))
        );
    }

    #[test]
    fn load_remembers_the_file() {
        let dir = std::env::temp_dir().join(format!("wf-config-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("c.toml");
        std::fs::write(&path, "[history]\nkeep_old_sessions = false\n").unwrap();
        let c = Config::load(&path).unwrap();
        assert_eq!(c.source.as_deref(), Some(path.as_path()));
        assert!(!c.history.keep_old_sessions);
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn site_and_wifi_values_name_their_key() {
        let cases = [
            ("[site]\nname = \"\"", "site.name"),
            ("[site]\nurl = \"whereflow.lan\"", "site.url"),
            ("[site]\nurl = \"http://\"", "site.url"),
            ("[site]\nurl = \"http://a b\"", "site.url"),
            ("[site]\nlatitude = 51.5", "site.longitude"),
            ("[site]\nlongitude = 0.1", "site.latitude"),
            ("[site]\nlatitude = 91.0\nlongitude = 0.0", "site.latitude"),
            (
                "[site]\nlatitude = 0.0\nlongitude = -181.0",
                "site.longitude",
            ),
            (
                "[wifi]\nssid = \"class\"\npassphrase = \"short77\"",
                "wifi.passphrase",
            ),
            (
                "[wifi]\nssid = \"class\"\nsecurity = \"wpa3\"\npassphrase = \"\"",
                "wifi.passphrase",
            ),
            (
                "[wifi]\nssid = \"class\"\npassphrase = \"ünïcödé-pass\"",
                "wifi.passphrase",
            ),
            (
                "[wifi]\nssid = \"class\"\nsecurity = \"open\"\npassphrase = \"secret123\"",
                "wifi.passphrase",
            ),
            ("[wifi]\npassphrase = \"secret123\"", "wifi.ssid"),
            (
                "[wifi]\nssid = \"a-very-long-network-name-of-33-by\"",
                "wifi.ssid",
            ),
            ("[wifi]\nsecurity = \"wep\"", "security"),
        ];
        for (text, key) in cases {
            let msg = parse(text).unwrap_err().to_string();
            assert!(msg.contains(key), "{text:?} gave {msg:?}, wanted {key}");
            assert!(
                !msg.contains("secret123"),
                "never shows the passphrase: {msg}"
            );
        }
        let long = "x".repeat(63);
        let c = parse(&format!(
            "[site]\nname = \"Room 4\"\nurl = \"http://10.0.0.1\"\nlatitude = 51.5\n\
             longitude = -0.12\n[wifi]\nssid = \"whereflow\"\npassphrase = \"{long}\"\n\
             security = \"wpa3\"\n"
        ))
        .unwrap();
        assert_eq!(c.site.latitude, Some(51.5));
        assert_eq!(c.wifi.security, WifiSecurity::Wpa3);
        assert!(
            !format!("{c:?}").contains(&long),
            "Debug hides the passphrase"
        );
        parse("[wifi]\nssid = \"open class\"\nsecurity = \"open\"").unwrap();
        assert_eq!(Config::default().site.url, "http://whereflow.lan");
        // "auto" is the default; setup decides it from the radio.
        assert_eq!(Config::default().wifi.security, WifiSecurity::Auto);
        let c = parse("[wifi]\nssid = \"class\"\npassphrase = \"secret123\"\nsecurity = \"auto\"")
            .unwrap();
        assert_eq!(c.wifi.security, WifiSecurity::Auto);
    }
}
