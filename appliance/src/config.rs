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
    /// How devices are identified (DHCP leases, neighbour table).
    pub devices: DevicesConfig,
    /// The admin pages' password.
    pub admin: AdminConfig,
    /// How long history is kept and how big it may grow.
    pub history: HistoryConfig,
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
    pub detect: crate::detect::DetectConfig,
    /// Controls: DNS blocking, address blocks, ending connections (the section's types live
    /// in `control::config`).
    pub control: crate::control::ControlConfig,
    /// The file this configuration was read from ([`Config::load`]); `None` for built-in
    /// defaults. The admin password is rewritten there as a hash.
    #[serde(skip)]
    pub source: Option<PathBuf>,
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

/// `[devices]`: devices known by MAC address, named from DHCP, the MAC vendor and nicknames.
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct DevicesConfig {
    /// dnsmasq's lease file (host names from DHCP). Empty: do not read leases. A missing
    /// file is a warning in `/api/v1/status`, not an error.
    pub dnsmasq_leases: PathBuf,
    /// Read the kernel's neighbour table (ARP/NDP) for the MAC address behind each address.
    pub neighbours: bool,
    /// Only neighbours on these interfaces (e.g. `["wlan0"]`); empty: any interface (only
    /// addresses in `correlate.lan` are used either way).
    pub interfaces: Vec<String>,
    /// Most devices remembered (least recently seen forgotten first; nicknames stay saved).
    pub max_devices: usize,
}

impl Default for DevicesConfig {
    fn default() -> Self {
        DevicesConfig {
            dnsmasq_leases: PathBuf::from("/var/lib/misc/dnsmasq.leases"),
            neighbours: true,
            interfaces: Vec::new(),
            max_devices: 1_024,
        }
    }
}

impl DevicesConfig {
    /// The lease file to read, if any.
    pub fn leases_path(&self) -> Option<&Path> {
        (!self.dnsmasq_leases.as_os_str().is_empty()).then_some(self.dnsmasq_leases.as_path())
    }

    /// Check the values; the error names the key.
    pub fn validate(&self) -> Result<(), ConfigError> {
        if let Some(p) = self.leases_path() {
            if !p.is_absolute() {
                return Err(invalid(
                    "devices.dnsmasq_leases",
                    format!(
                        "{}: must be an absolute path (or empty for none)",
                        p.display()
                    ),
                ));
            }
        }
        for name in &self.interfaces {
            // IFNAMSIZ is 16 with the terminating NUL.
            if name.is_empty() || name.len() > 15 || name.contains(['/', ' ', '\0']) {
                return Err(invalid(
                    "devices.interfaces",
                    format!("{name:?} is not an interface name"),
                ));
            }
        }
        if self.max_devices == 0 || self.max_devices > 100_000 {
            return Err(invalid(
                "devices.max_devices",
                "must be between 1 and 100000",
            ));
        }
        Ok(())
    }
}

/// `[admin]`: the password of the admin pages (sessions, export, settings).
///
/// Set `password` in plain text once: at the next start whereflow hashes it (argon2id) and
/// rewrites the file so it holds only `password_hash`. With neither key (and no hash saved in
/// the data directory) the admin pages are off.
#[derive(Clone, Default, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct AdminConfig {
    /// The password in plain text; replaced by `password_hash` at the next start.
    pub password: Option<String>,
    /// The password's argon2 hash (a PHC string, `$argon2id$v=19$...`).
    pub password_hash: Option<String>,
}

impl std::fmt::Debug for AdminConfig {
    /// Never prints the password (`check-config` prints the whole configuration).
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let shown = |v: &Option<String>| if v.is_some() { "<set>" } else { "<not set>" };
        f.debug_struct("AdminConfig")
            .field("password", &shown(&self.password))
            .field("password_hash", &shown(&self.password_hash))
            .finish()
    }
}

/// Most memory (KiB) an argon2 hash from the config may ask for: a Pi has little to spare.
pub const ARGON2_MAX_M_COST_KIB: u32 = 256 * 1024;
/// Most passes an argon2 hash from the config may ask for.
pub const ARGON2_MAX_T_COST: u32 = 16;
/// Most lanes an argon2 hash from the config may ask for.
pub const ARGON2_MAX_P_COST: u32 = 8;

/// Check that `hash` is an argon2 PHC string whose cost a Pi can afford to verify.
pub fn check_password_hash(hash: &str) -> Result<(), String> {
    let parsed = argon2::PasswordHash::new(hash)
        .map_err(|e| format!("not an argon2 hash (PHC string \"$argon2id$v=19$...\"): {e}"))?;
    if argon2::Algorithm::try_from(parsed.algorithm.as_str()).is_err() {
        return Err(format!("{} is not argon2", parsed.algorithm));
    }
    let params = argon2::Params::try_from(&parsed).map_err(|e| format!("bad parameters: {e}"))?;
    if params.m_cost() > ARGON2_MAX_M_COST_KIB
        || params.t_cost() > ARGON2_MAX_T_COST
        || params.p_cost() > ARGON2_MAX_P_COST
    {
        return Err(format!(
            "costs m={} t={} p={} are more than this appliance verifies \
             (at most m={ARGON2_MAX_M_COST_KIB} t={ARGON2_MAX_T_COST} p={ARGON2_MAX_P_COST})",
            params.m_cost(),
            params.t_cost(),
            params.p_cost()
        ));
    }
    if parsed.hash.is_none() || parsed.salt.is_none() {
        return Err("the hash or the salt is missing".into());
    }
    Ok(())
}

/// `[history]`: what the store keeps.
#[derive(Clone, Debug, Deserialize, serde::Serialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct HistoryConfig {
    /// Flows, answers and sessions older than this many days are deleted (checked hourly).
    pub retention_days: u32,
    /// Most megabytes the database may use; above it the oldest flows and answers go first
    /// (oldest ended sessions first, never the current session's last hour).
    pub max_db_mb: u64,
    /// When the admin starts a new session, keep the old one (`true`) or delete it.
    pub keep_old_sessions: bool,
}

impl Default for HistoryConfig {
    fn default() -> Self {
        HistoryConfig {
            retention_days: 7,
            // About two million flows (~490 bytes each with their answers): days of a busy
            // classroom, and room to spare on an 8 GB SD card.
            max_db_mb: 1024,
            keep_old_sessions: true,
        }
    }
}

/// Allowed `history.retention_days`.
pub const RETENTION_DAYS: std::ops::RangeInclusive<u32> = 1..=3650;
/// Allowed `history.max_db_mb`.
pub const MAX_DB_MB: std::ops::RangeInclusive<u64> = 16..=1_048_576;

impl HistoryConfig {
    /// Check the values; the error names the key.
    pub fn validate(&self) -> Result<(), ConfigError> {
        if !RETENTION_DAYS.contains(&self.retention_days) {
            return Err(invalid(
                "history.retention_days",
                "must be between 1 and 3650",
            ));
        }
        if !MAX_DB_MB.contains(&self.max_db_mb) {
            return Err(invalid(
                "history.max_db_mb",
                "must be between 16 and 1048576",
            ));
        }
        Ok(())
    }
}

impl AdminConfig {
    /// Check the values; the error names the key (never shows the password).
    pub fn validate(&self) -> Result<(), ConfigError> {
        if let Some(p) = &self.password {
            let n = p.chars().count();
            if n < 8 {
                return Err(invalid(
                    "admin.password",
                    "must be at least 8 characters long",
                ));
            }
            if p.len() > 1024 {
                return Err(invalid("admin.password", "must be at most 1024 bytes"));
            }
        }
        if let Some(h) = &self.password_hash {
            check_password_hash(h).map_err(|e| invalid("admin.password_hash", e))?;
        }
        Ok(())
    }
}

/// `[site]`: what the pages call the appliance, the address people open, and where it stands
/// (the starting point of the lines on the world map).
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct SiteConfig {
    /// Shown in page titles and on the presenter view.
    pub name: String,
    /// The address of the pages as people type or scan it (the presenter's QR code).
    pub url: String,
    /// The appliance's latitude in degrees (north positive). With `longitude`; unset: the map
    /// says the location is not set and draws no lines.
    pub latitude: Option<f64>,
    /// The appliance's longitude in degrees (east positive).
    pub longitude: Option<f64>,
}

impl Default for SiteConfig {
    fn default() -> Self {
        SiteConfig {
            name: "whereflow".into(),
            url: "http://whereflow.lan".into(),
            latitude: None,
            longitude: None,
        }
    }
}

impl SiteConfig {
    /// Check the values; the error names the key.
    pub fn validate(&self) -> Result<(), ConfigError> {
        let name = self.name.trim();
        if name.is_empty() || name.chars().count() > 64 {
            return Err(invalid("site.name", "must be 1 to 64 characters"));
        }
        if self.name.chars().any(char::is_control) {
            return Err(invalid("site.name", "must not contain control characters"));
        }
        let u = &self.url;
        let rest = u
            .strip_prefix("http://")
            .or_else(|| u.strip_prefix("https://"));
        match rest {
            Some(r) if !r.is_empty() && !r.starts_with('/') => {}
            _ => {
                return Err(invalid(
                    "site.url",
                    format!("{u:?} is not an http:// or https:// address"),
                ))
            }
        }
        if u.len() > 200 || u.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(invalid(
                "site.url",
                "must be at most 200 characters, without spaces",
            ));
        }
        match (self.latitude, self.longitude) {
            (None, None) => {}
            (Some(_), None) => {
                return Err(invalid("site.longitude", "is needed with site.latitude"))
            }
            (None, Some(_)) => {
                return Err(invalid("site.latitude", "is needed with site.longitude"))
            }
            (Some(lat), Some(lon)) => {
                if !(-90.0..=90.0).contains(&lat) {
                    return Err(invalid("site.latitude", "must be between -90 and 90"));
                }
                if !(-180.0..=180.0).contains(&lon) {
                    return Err(invalid("site.longitude", "must be between -180 and 180"));
                }
            }
        }
        Ok(())
    }
}

/// How the WiFi network is secured (`wifi.security`).
#[derive(Clone, Copy, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum WifiSecurity {
    /// WPA2-Personal (a passphrase).
    #[default]
    Wpa2,
    /// WPA3-Personal (SAE; a passphrase).
    Wpa3,
    /// WPA2 and WPA3 at once (transition mode: WPA3 devices use SAE, older ones WPA2).
    #[serde(rename = "wpa2-wpa3")]
    Wpa2Wpa3,
    /// No password.
    Open,
}

/// `[wifi]`: the network people join. For now only the presenter's "join the WiFi" QR code
/// uses it.
#[derive(Clone, Default, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct WifiConfig {
    /// The network name. Empty: not set (the presenter view shows no WiFi QR code).
    pub ssid: String,
    /// The passphrase (WPA2/WPA3: 8 to 63 printable ASCII characters; open: empty).
    pub passphrase: String,
    /// `"wpa2"`, `"wpa3"`, `"wpa2-wpa3"` (transition) or `"open"`.
    pub security: WifiSecurity,
    /// The country the access point is in (ISO 3166 alpha-2, e.g. `"DE"`, one wireless-regdb
    /// knows): it decides the allowed channels and power. Empty: not set (the world domain:
    /// 2.4 GHz channels 1 to 11 only). `whereflow setup` needs it.
    pub country: String,
    /// `"2.4"` or `"5"` (GHz).
    pub band: crate::system::regdomain::Band,
    /// The channel (20 MHz). Unset: 6 on 2.4 GHz, 36 on 5 GHz. Allowed: those an access
    /// point may use in `country` without radar detection (see `system::regdomain`).
    pub channel: Option<u16>,
}

impl std::fmt::Debug for WifiConfig {
    /// The passphrase is shown on the projector, but not in logs or `check-config`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WifiConfig")
            .field("ssid", &self.ssid)
            .field(
                "passphrase",
                &if self.passphrase.is_empty() {
                    "<not set>"
                } else {
                    "<set>"
                },
            )
            .field("security", &self.security)
            .field("country", &self.country)
            .field("band", &self.band)
            .field("channel", &self.channel)
            .finish()
    }
}

impl WifiConfig {
    /// Check the values; the error names the key (never shows the passphrase).
    pub fn validate(&self) -> Result<(), ConfigError> {
        if let Some(e) = self.radio_problems().into_iter().next() {
            return Err(e);
        }
        if self.ssid.len() > 32 {
            return Err(invalid("wifi.ssid", "must be at most 32 bytes"));
        }
        if self.ssid.chars().any(char::is_control) {
            return Err(invalid("wifi.ssid", "must not contain control characters"));
        }
        if self.ssid.is_empty() {
            if !self.passphrase.is_empty() {
                return Err(invalid(
                    "wifi.ssid",
                    "is empty, but wifi.passphrase is set: name the network too",
                ));
            }
            return Ok(());
        }
        match self.security {
            WifiSecurity::Open => {
                if !self.passphrase.is_empty() {
                    return Err(invalid(
                        "wifi.passphrase",
                        "must be empty when wifi.security is \"open\"",
                    ));
                }
            }
            WifiSecurity::Wpa2 | WifiSecurity::Wpa3 | WifiSecurity::Wpa2Wpa3 => {
                let n = self.passphrase.chars().count();
                if !(8..=63).contains(&n) {
                    return Err(invalid(
                        "wifi.passphrase",
                        format!("must be 8 to 63 characters for WPA2/WPA3 (it has {n})"),
                    ));
                }
                if !self.passphrase.chars().all(|c| (' '..='~').contains(&c)) {
                    return Err(invalid(
                        "wifi.passphrase",
                        "must be printable ASCII characters only (letters, digits, spaces, \
                         punctuation)",
                    ));
                }
            }
        }
        Ok(())
    }

    /// The country code in capitals, if set.
    pub fn country_code(&self) -> Option<String> {
        let c = self.country.trim();
        (!c.is_empty()).then(|| c.to_ascii_uppercase())
    }

    /// The channel in use: `channel`, or the band's default.
    pub fn channel_or_default(&self) -> u16 {
        self.channel.unwrap_or(self.band.default_channel())
    }

    /// Every problem with `country`, `band` and `channel` (all of them, for the problems file
    /// of `whereflow setup`; [`WifiConfig::validate`] returns the first).
    pub fn radio_problems(&self) -> Vec<ConfigError> {
        use crate::system::regdomain;
        let mut out = Vec::new();
        let country = self.country_code();
        if let Some(c) = &country {
            if !regdomain::is_known_country(c) {
                out.push(invalid(
                    "wifi.country",
                    format!(
                        "{:?} is not a country code wireless-regdb knows: use the two-letter \
                         ISO 3166 code of the country the appliance is in (e.g. DE, FR, GB, US)",
                        self.country
                    ),
                ));
                return out;
            }
        }
        if let Some(p) =
            regdomain::channel_problem(country.as_deref(), self.band, self.channel_or_default())
        {
            let key = if self.channel.is_some() {
                "wifi.channel"
            } else {
                "wifi.band"
            };
            out.push(invalid(key, p));
        }
        out
    }
}

/// `[uplink]`: how the appliance reaches the internet.
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct UplinkConfig {
    /// The network interface towards the internet: `"eth0"` (Ethernet, the default) or
    /// `"usb0"` (a phone's USB tethering). It gets its address by DHCP; the access point's
    /// traffic is masqueraded out of it.
    pub interface: String,
}

impl Default for UplinkConfig {
    fn default() -> Self {
        UplinkConfig {
            interface: "eth0".into(),
        }
    }
}

/// The access point's interface, which cannot also be the uplink.
pub const AP_INTERFACE: &str = "wlan0";

impl UplinkConfig {
    /// Check the values; the error names the key.
    pub fn validate(&self) -> Result<(), ConfigError> {
        let i = &self.interface;
        // IFNAMSIZ is 16 with the terminating NUL; the name also goes into shell and nft files.
        let ok_chars = i
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'));
        if i.is_empty() || i.len() > 15 || !ok_chars || i.starts_with(['-', '.']) {
            return Err(invalid(
                "uplink.interface",
                format!(
                    "{i:?} is not an interface name (letters, digits, '_', '-', '.'; at most \
                     15): use \"eth0\" for Ethernet or \"usb0\" for a phone's USB tethering"
                ),
            ));
        }
        if i == AP_INTERFACE || i == "lo" {
            return Err(invalid(
                "uplink.interface",
                format!(
                    "{i:?} cannot be the uplink (wlan0 is the access point): use \"eth0\" or \
                     \"usb0\""
                ),
            ));
        }
        Ok(())
    }
}

/// `[system]`: files `whereflow setup` writes for the daemon on the appliance.
#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct SystemConfig {
    /// The problems `whereflow setup` found in the settings file (plain words, one `- `
    /// line each). The daemon reads it at start and shows each problem as a warning in
    /// `/api/v1/status`. A missing file means no problems.
    pub problems_file: Option<PathBuf>,
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
        self.admin.validate()?;
        self.history.validate()?;
        self.site.validate()?;
        self.wifi.validate()?;
        self.devices.validate()?;
        self.uplink.validate()?;
        self.detect.validate()?;
        self.control.validate()?;
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
        let text = include_str!("../../docs/config.example.toml");
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
