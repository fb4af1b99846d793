//! The `[detect]` section of the config file: a preset, thresholds that override it, rules,
//! deny and allow lists, the webhook, the NFLOG group. Registered in `config/mod.rs` as
//! `Config::detect`; every key is in `docs/config.example.toml`.
//!
//! Thresholds left out take the preset's value ([`DetectConfig::resolve`]); a value given
//! overrides the preset whichever preset is chosen. Validation names the key at fault.

use std::net::IpAddr;
use std::path::PathBuf;
use std::time::Duration;

use serde::Deserialize;

use super::rules::{preset_rules, Action, Preset, Rule, RuleSet};
use crate::config::error::{bad_domain, invalid, ConfigError};
use crate::detect::{destinations, dns_tunnel, encrypted_dns, scan, spoofing, upload};
use crate::model::{AlertKind, Domain, HttpUrl};

/// `[detect]`: detectors, rules and alerts.
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct DetectConfig {
    /// Run the detectors at all.
    pub enabled: bool,
    /// `paranoid`, `normal` or `relaxed`: thresholds and expected patterns.
    pub preset: Preset,
    /// Findings of one rule about one device within this many seconds of its alert's first
    /// finding are folded into that alert (preset: 300 / 600 / 1800).
    pub alert_window_secs: Option<u64>,
    /// Alerts kept in memory (the oldest go first; all are in the store).
    pub max_alerts: usize,
    /// New alerts per minute at most, over all rules and devices.
    pub max_alerts_per_minute: u32,
    /// POST each new alert as JSON to this `http://` or `https://` URL (empty: off).
    pub webhook_url: String,
    /// A PEM file of extra trusted root certificates for an `https://` webhook (e.g. the CA
    /// of a receiver on the LAN), besides the compiled-in Mozilla roots.
    pub webhook_ca_file: Option<PathBuf>,
    /// Give up on one webhook POST after this many milliseconds.
    pub webhook_timeout_ms: u64,
    /// The NFLOG group of the ruleset's `ct state invalid log group N` rule (0: off).
    pub nflog_group: u16,
    /// DNS tunnelling.
    pub dns_tunnel: DnsTunnelConfig,
    /// Port and host scans.
    pub scan: ScanConfig,
    /// ARP/neighbour spoofing.
    pub spoofing: SpoofingConfig,
    /// Data leaving.
    pub upload: UploadConfig,
    /// Deny and allow lists.
    pub destinations: DestinationsConfig,
    /// Encrypted-DNS bypass.
    pub encrypted_dns: EncryptedDnsConfig,
    /// Rules (`[[detect.rules]]`), see `detect::rules`.
    pub rules: Vec<Rule>,
}

impl Default for DetectConfig {
    fn default() -> Self {
        DetectConfig {
            enabled: true,
            preset: Preset::Normal,
            alert_window_secs: None,
            max_alerts: 2_000,
            max_alerts_per_minute: 30,
            webhook_url: String::new(),
            webhook_ca_file: None,
            webhook_timeout_ms: 3_000,
            nflog_group: 0,
            dns_tunnel: DnsTunnelConfig::default(),
            scan: ScanConfig::default(),
            spoofing: SpoofingConfig::default(),
            upload: UploadConfig::default(),
            destinations: DestinationsConfig::default(),
            encrypted_dns: EncryptedDnsConfig::default(),
            rules: Vec::new(),
        }
    }
}

/// `[detect.dns_tunnel]` (unset: the preset's).
#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct DnsTunnelConfig {
    /// See [`dns_tunnel::Settings::long_name_chars`].
    pub long_name_chars: Option<usize>,
    /// See [`dns_tunnel::Settings::long_label_chars`].
    pub long_label_chars: Option<usize>,
    /// See [`dns_tunnel::Settings::label_entropy_bits`].
    pub label_entropy_bits: Option<f64>,
    /// See [`dns_tunnel::Settings::long_names_per_minute`].
    pub long_names_per_minute: Option<u32>,
    /// See [`dns_tunnel::Settings::unique_subdomains_per_minute`].
    pub unique_subdomains_per_minute: Option<u32>,
    /// See [`dns_tunnel::Settings::txt_queries_per_minute`].
    pub txt_queries_per_minute: Option<u32>,
}

/// `[detect.scan]` (unset: the preset's).
#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct ScanConfig {
    /// See [`scan::Settings::ports_per_host`].
    pub ports_per_host: Option<u32>,
    /// See [`scan::Settings::hosts_per_port`].
    pub hosts_per_port: Option<u32>,
    /// See [`scan::Settings::odd_flag_probes`].
    pub odd_flag_probes: Option<u32>,
    /// See [`scan::Settings::window_secs`].
    pub window_secs: Option<u64>,
}

/// `[detect.spoofing]`.
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct SpoofingConfig {
    /// Watch the neighbour table (and ARP) at all.
    pub enabled: bool,
    /// Read ARP packets too (needs CAP_NET_RAW).
    pub arp: bool,
    /// Addresses that count as the gateway besides the appliance's own.
    pub gateway_addresses: Vec<IpAddr>,
    /// See [`spoofing::Settings::conflict_window_secs`] (unset: the preset's).
    pub conflict_window_secs: Option<u64>,
}

impl Default for SpoofingConfig {
    fn default() -> Self {
        SpoofingConfig {
            enabled: true,
            arp: true,
            gateway_addresses: Vec::new(),
            conflict_window_secs: None,
        }
    }
}

/// `[detect.upload]` (unset: the preset's).
#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct UploadConfig {
    /// See [`upload::Settings::sustained_bytes`].
    pub sustained_bytes: Option<u64>,
    /// See [`upload::Settings::sustained_secs`].
    pub sustained_secs: Option<u64>,
    /// See [`upload::Settings::pause_secs`].
    pub pause_secs: Option<u64>,
    /// See [`upload::Settings::sudden_bytes`].
    pub sudden_bytes: Option<u64>,
    /// See [`upload::Settings::sudden_secs`].
    pub sudden_secs: Option<u64>,
}

/// `[detect.destinations]`.
#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct DestinationsConfig {
    /// Alert on flows to these countries (ISO 3166 alpha-2).
    pub deny_countries: Vec<String>,
    /// Alert on flows to these organizations (or their first words).
    pub deny_orgs: Vec<String>,
    /// Alert on flows to these domains and names under them.
    pub deny_domains: Vec<String>,
    /// Alert on flows to any other country (empty: no allow list).
    pub allow_countries: Vec<String>,
    /// Alert on flows to any other organization (empty: no allow list).
    pub allow_orgs: Vec<String>,
    /// Alert on flows to any other domain (empty: no allow list).
    pub allow_domains: Vec<String>,
}

/// `[detect.encrypted_dns]`.
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct EncryptedDnsConfig {
    /// Report flows to port 853 (DNS over TLS / QUIC).
    pub dot: bool,
    /// Report flows to known DNS-over-HTTPS resolvers.
    pub doh: bool,
    /// DoH resolvers' names besides the built-in list.
    pub doh_domains: Vec<String>,
    /// DoH resolvers' addresses besides the built-in list.
    pub doh_addresses: Vec<IpAddr>,
    /// See [`encrypted_dns::Settings::no_dns_flows`].
    pub no_dns_flows: Option<u32>,
    /// See [`encrypted_dns::Settings::no_dns_window_secs`].
    pub no_dns_window_secs: Option<u64>,
    /// See [`encrypted_dns::Settings::no_dns_min_answers`].
    pub no_dns_min_answers: Option<u32>,
    /// See [`encrypted_dns::Settings::no_dns_settle_secs`].
    pub no_dns_settle_secs: Option<u64>,
}

impl Default for EncryptedDnsConfig {
    fn default() -> Self {
        EncryptedDnsConfig {
            dot: true,
            doh: true,
            doh_domains: Vec::new(),
            doh_addresses: Vec::new(),
            no_dns_flows: None,
            no_dns_window_secs: None,
            no_dns_min_answers: None,
            no_dns_settle_secs: None,
        }
    }
}

/// Everything the detector task needs, checked: the preset with the config's overrides.
#[derive(Clone, Debug)]
pub struct Resolved {
    /// The dedup window.
    pub window: Duration,
    /// DNS tunnelling thresholds.
    pub dns_tunnel: dns_tunnel::Settings,
    /// Scan thresholds.
    pub scan: scan::Settings,
    /// Spoofing settings.
    pub spoofing: spoofing::Settings,
    /// Upload thresholds.
    pub upload: upload::Settings,
    /// Allow lists.
    pub destinations: destinations::Settings,
    /// Encrypted-DNS settings.
    pub encrypted_dns: encrypted_dns::Settings,
    /// Preset, config and deny-list rules.
    pub rules: RuleSet,
    /// The webhook, when set.
    pub webhook: Option<HttpUrl>,
}

fn in_range<T: PartialOrd + std::fmt::Display + Copy>(
    key: &'static str,
    v: Option<T>,
    lo: T,
    hi: T,
) -> Result<(), ConfigError> {
    match v {
        Some(v) if v < lo || v > hi => Err(invalid(
            key,
            "config-between",
            [("min", lo.to_string()), ("max", hi.to_string())],
        )),
        _ => Ok(()),
    }
}

/// `detect.webhook_url` refused for `detail` (the URL parser's or TLS's own words).
fn webhook_url(detail: String) -> ConfigError {
    invalid(
        "detect.webhook_url",
        "config-value-detail",
        [("detail", detail)],
    )
}

fn countries(key: &'static str, list: &[String]) -> Result<Vec<String>, ConfigError> {
    list.iter()
        .map(|c| {
            if c.len() == 2 && c.bytes().all(|b| b.is_ascii_alphabetic()) {
                Ok(c.to_ascii_uppercase())
            } else {
                Err(invalid(
                    key,
                    "config-country-code",
                    [("code", format!("{c:?}"))],
                ))
            }
        })
        .collect()
}

fn domains(key: &'static str, list: &[String]) -> Result<Vec<String>, ConfigError> {
    list.iter()
        .map(|d| {
            Domain::new(d)
                .map(|d| d.as_str().to_owned())
                .map_err(|e| bad_domain(key, &format!("{d:?}"), &e))
        })
        .collect()
}

fn orgs(key: &'static str, list: &[String]) -> Result<Vec<String>, ConfigError> {
    list.iter()
        .map(|o| {
            let o = o.trim();
            if o.is_empty() {
                Err(invalid(key, "config-org-empty", []))
            } else {
                Ok(o.to_owned())
            }
        })
        .collect()
}

impl DetectConfig {
    /// Check every value; the first problem found names its key.
    pub fn validate(&self) -> Result<(), ConfigError> {
        self.resolve().map(|_| ())
    }

    /// The preset's settings with the config's overrides, checked. The sections are checked
    /// in this order; the first problem found names its key.
    pub fn resolve(&self) -> Result<Resolved, ConfigError> {
        let p = self.preset;
        let (window, webhook) = self.alerting()?;
        let dns_tunnel = self.dns_tunnel.resolve(p)?;
        let scan = self.scan.resolve(p)?;
        let spoofing = self.spoofing.resolve(p)?;
        let upload = self.upload.resolve(p)?;
        let (deny, destinations) = self.destinations.resolve()?;
        let encrypted_dns = self.encrypted_dns.resolve(p)?;
        let rules = self.rule_set(deny)?;
        Ok(Resolved {
            window,
            dns_tunnel,
            scan,
            spoofing,
            upload,
            destinations,
            encrypted_dns,
            rules,
            webhook,
        })
    }

    /// The keys about alerts themselves, checked: the dedup window (the preset's unless set)
    /// and the webhook, if any.
    fn alerting(&self) -> Result<(Duration, Option<HttpUrl>), ConfigError> {
        in_range(
            "detect.alert_window_secs",
            self.alert_window_secs,
            10,
            86_400,
        )?;
        in_range("detect.max_alerts", Some(self.max_alerts), 1, 100_000)?;
        in_range(
            "detect.max_alerts_per_minute",
            Some(self.max_alerts_per_minute),
            1,
            10_000,
        )?;
        in_range(
            "detect.webhook_timeout_ms",
            Some(self.webhook_timeout_ms),
            100,
            60_000,
        )?;
        let webhook = if self.webhook_url.is_empty() {
            None
        } else {
            let url = HttpUrl::parse(&self.webhook_url).map_err(|e| webhook_url(e.to_string()))?;
            if url.https {
                crate::tls::server_name(&url.host).map_err(|e| webhook_url(e.to_string()))?;
            }
            Some(url)
        };
        if self
            .webhook_ca_file
            .as_ref()
            .is_some_and(|p| p.as_os_str().is_empty())
        {
            return Err(invalid(
                "detect.webhook_ca_file",
                "config-empty-path-none",
                [],
            ));
        }
        let window = self.alert_window_secs.unwrap_or(match self.preset {
            Preset::Paranoid => 300,
            Preset::Normal => 600,
            Preset::Relaxed => 1_800,
        });
        Ok((Duration::from_secs(window), webhook))
    }

    /// The preset's rules, then the config's `[[detect.rules]]`, then one rule per deny list
    /// that is not empty.
    fn rule_set(&self, deny: DenyLists) -> Result<RuleSet, ConfigError> {
        let mut rules = preset_rules(self.preset)
            .map_err(|e| invalid("detect.preset", "config-built-in-rules", [("detail", e)]))?;
        for (i, r) in self.rules.iter().enumerate() {
            let compiled = r.compile().map_err(|e| {
                invalid(
                    "detect.rules",
                    "config-rule",
                    [
                        ("n", (i + 1).to_string()),
                        ("name", format!("{:?}", r.name)),
                        ("detail", e),
                    ],
                )
            })?;
            rules.push(compiled);
        }
        for (name, key, countries, orgs, domains) in [
            (
                "countries",
                "detect.destinations.deny_countries",
                deny.countries,
                vec![],
                vec![],
            ),
            (
                "organizations",
                "detect.destinations.deny_orgs",
                vec![],
                deny.orgs,
                vec![],
            ),
            (
                "domains",
                "detect.destinations.deny_domains",
                vec![],
                vec![],
                deny.domains,
            ),
        ] {
            if countries.is_empty() && orgs.is_empty() && domains.is_empty() {
                continue;
            }
            let r = Rule {
                name: name.into(),
                action: Action::Alert,
                kinds: vec![AlertKind::DenyList],
                countries,
                orgs,
                domains,
                ..Rule::default()
            };
            rules.push(
                r.compile()
                    .map_err(|e| invalid(key, "config-value-detail", [("detail", e)]))?,
            );
        }
        Ok(RuleSet::new(rules))
    }
}

impl DnsTunnelConfig {
    /// The preset's DNS-tunnel thresholds with the values set here, checked.
    fn resolve(&self, p: Preset) -> Result<dns_tunnel::Settings, ConfigError> {
        in_range(
            "detect.dns_tunnel.long_name_chars",
            self.long_name_chars,
            20,
            253,
        )?;
        in_range(
            "detect.dns_tunnel.long_label_chars",
            self.long_label_chars,
            8,
            63,
        )?;
        if let Some(b) = self.label_entropy_bits {
            if !(0.0..=8.0).contains(&b) {
                return Err(invalid(
                    "detect.dns_tunnel.label_entropy_bits",
                    "config-entropy-bits",
                    [("min", "0".into()), ("max", "8".into())],
                ));
            }
        }
        for (key, v) in [
            (
                "detect.dns_tunnel.long_names_per_minute",
                self.long_names_per_minute,
            ),
            (
                "detect.dns_tunnel.unique_subdomains_per_minute",
                self.unique_subdomains_per_minute,
            ),
            (
                "detect.dns_tunnel.txt_queries_per_minute",
                self.txt_queries_per_minute,
            ),
        ] {
            in_range(key, v, 0, 100_000)?;
        }
        let mut dt = dns_tunnel::Settings::for_preset(p);
        dt.long_name_chars = self.long_name_chars.unwrap_or(dt.long_name_chars);
        dt.long_label_chars = self.long_label_chars.unwrap_or(dt.long_label_chars);
        dt.label_entropy_bits = self.label_entropy_bits.unwrap_or(dt.label_entropy_bits);
        dt.long_names_per_minute = self
            .long_names_per_minute
            .unwrap_or(dt.long_names_per_minute);
        dt.unique_subdomains_per_minute = self
            .unique_subdomains_per_minute
            .unwrap_or(dt.unique_subdomains_per_minute);
        dt.txt_queries_per_minute = self
            .txt_queries_per_minute
            .unwrap_or(dt.txt_queries_per_minute);
        Ok(dt)
    }
}

impl ScanConfig {
    /// The preset's scan thresholds with the values set here, checked.
    fn resolve(&self, p: Preset) -> Result<scan::Settings, ConfigError> {
        in_range("detect.scan.ports_per_host", self.ports_per_host, 0, 65_535)?;
        in_range("detect.scan.hosts_per_port", self.hosts_per_port, 0, 65_535)?;
        in_range("detect.scan.odd_flag_probes", self.odd_flag_probes, 0, 256)?;
        in_range("detect.scan.window_secs", self.window_secs, 1, 3_600)?;
        let mut sc = scan::Settings::for_preset(p);
        sc.ports_per_host = self.ports_per_host.unwrap_or(sc.ports_per_host);
        sc.hosts_per_port = self.hosts_per_port.unwrap_or(sc.hosts_per_port);
        sc.odd_flag_probes = self.odd_flag_probes.unwrap_or(sc.odd_flag_probes);
        sc.window_secs = self.window_secs.unwrap_or(sc.window_secs);
        Ok(sc)
    }
}

impl SpoofingConfig {
    /// The preset's spoofing settings with the values set here, checked.
    fn resolve(&self, p: Preset) -> Result<spoofing::Settings, ConfigError> {
        in_range(
            "detect.spoofing.conflict_window_secs",
            self.conflict_window_secs,
            1,
            86_400,
        )?;
        let mut sp = spoofing::Settings::for_preset(p);
        sp.enabled = self.enabled;
        sp.arp = self.arp;
        sp.gateway_addresses = self.gateway_addresses.clone();
        sp.conflict_window_secs = self.conflict_window_secs.unwrap_or(sp.conflict_window_secs);
        Ok(sp)
    }
}

impl UploadConfig {
    /// The preset's upload thresholds with the values set here, checked.
    fn resolve(&self, p: Preset) -> Result<upload::Settings, ConfigError> {
        in_range(
            "detect.upload.sustained_bytes",
            self.sustained_bytes,
            0,
            1 << 40,
        )?;
        in_range("detect.upload.sudden_bytes", self.sudden_bytes, 0, 1 << 40)?;
        let max = upload::MAX_WINDOW_SECS;
        in_range("detect.upload.sustained_secs", self.sustained_secs, 1, max)?;
        in_range("detect.upload.pause_secs", self.pause_secs, 1, max)?;
        in_range("detect.upload.sudden_secs", self.sudden_secs, 1, max)?;
        let mut up = upload::Settings::for_preset(p);
        up.sustained_bytes = self.sustained_bytes.unwrap_or(up.sustained_bytes);
        up.sustained_secs = self.sustained_secs.unwrap_or(up.sustained_secs);
        up.pause_secs = self.pause_secs.unwrap_or(up.pause_secs);
        up.sudden_bytes = self.sudden_bytes.unwrap_or(up.sudden_bytes);
        up.sudden_secs = self.sudden_secs.unwrap_or(up.sudden_secs);
        Ok(up)
    }
}

/// The deny lists, checked and normalized; they become rules ([`DetectConfig::rule_set`]).
struct DenyLists {
    countries: Vec<String>,
    orgs: Vec<String>,
    domains: Vec<String>,
}

impl DestinationsConfig {
    /// The deny lists (for rules) and the allow lists (for the detector), checked.
    fn resolve(&self) -> Result<(DenyLists, destinations::Settings), ConfigError> {
        let deny = DenyLists {
            countries: countries("detect.destinations.deny_countries", &self.deny_countries)?,
            orgs: orgs("detect.destinations.deny_orgs", &self.deny_orgs)?,
            domains: domains("detect.destinations.deny_domains", &self.deny_domains)?,
        };
        let allow = destinations::Settings {
            allow_countries: countries(
                "detect.destinations.allow_countries",
                &self.allow_countries,
            )?,
            allow_orgs: orgs("detect.destinations.allow_orgs", &self.allow_orgs)?,
            allow_domains: domains("detect.destinations.allow_domains", &self.allow_domains)?,
        };
        Ok((deny, allow))
    }
}

impl EncryptedDnsConfig {
    /// The preset's encrypted-DNS settings with the values set here, checked.
    fn resolve(&self, p: Preset) -> Result<encrypted_dns::Settings, ConfigError> {
        in_range(
            "detect.encrypted_dns.no_dns_flows",
            self.no_dns_flows,
            0,
            256,
        )?;
        in_range(
            "detect.encrypted_dns.no_dns_window_secs",
            self.no_dns_window_secs,
            10,
            86_400,
        )?;
        in_range(
            "detect.encrypted_dns.no_dns_min_answers",
            self.no_dns_min_answers,
            0,
            1_000_000,
        )?;
        in_range(
            "detect.encrypted_dns.no_dns_settle_secs",
            self.no_dns_settle_secs,
            0,
            86_400,
        )?;
        let mut ed = encrypted_dns::Settings::for_preset(p);
        ed.dot = self.dot;
        ed.doh = self.doh;
        ed.doh_domains = domains("detect.encrypted_dns.doh_domains", &self.doh_domains)?;
        ed.doh_addresses = self.doh_addresses.clone();
        ed.no_dns_flows = self.no_dns_flows.unwrap_or(ed.no_dns_flows);
        ed.no_dns_window_secs = self.no_dns_window_secs.unwrap_or(ed.no_dns_window_secs);
        ed.no_dns_min_answers = self.no_dns_min_answers.unwrap_or(ed.no_dns_min_answers);
        ed.no_dns_settle_secs = self.no_dns_settle_secs.unwrap_or(ed.no_dns_settle_secs);
        Ok(ed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct File {
        #[serde(default)]
        detect: DetectConfig,
    }

    fn parse(text: &str) -> Result<Resolved, String> {
        let f: File = toml::from_str(text).map_err(|e| e.to_string())?;
        f.detect.resolve().map_err(|e| e.to_string())
    }

    #[test]
    fn defaults_and_presets() {
        let r = parse("").unwrap();
        assert_eq!(r.window, Duration::from_secs(600));
        assert_eq!(r.upload.sudden_bytes, 100 << 10);
        assert_eq!(r.upload.sustained_bytes, 32 << 10);
        assert!(r.webhook.is_none());
        let r = parse("[detect]\npreset = \"paranoid\"\n").unwrap();
        assert_eq!(r.window, Duration::from_secs(300));
        assert_eq!(r.scan.ports_per_host, 10);
        // A value given overrides the preset's.
        let r =
            parse("[detect]\npreset = \"relaxed\"\n[detect.scan]\nports_per_host = 7\n").unwrap();
        assert_eq!((r.scan.ports_per_host, r.scan.hosts_per_port), (7, 50));
        assert!(parse("[detect]\npreset = \"strict\"\n")
            .unwrap_err()
            .contains("strict"));
    }

    #[test]
    fn deny_lists_become_rules() {
        let r = parse(
            "[detect.destinations]\ndeny_countries = [\"ru\"]\ndeny_domains = [\"x.test\"]\n\
             [[detect.rules]]\nname = \"no social\"\naction = \"alert\"\nkinds = [\"deny_list\"]\n\
             categories = [\"social\"]\n",
        )
        .unwrap();
        let names: Vec<&str> = r.rules.deny_rules().map(|r| r.name()).collect();
        assert_eq!(names, ["no social", "countries", "domains"]);
    }

    #[test]
    fn bad_values_name_their_key() {
        let cases = [
            (
                "[detect]\nalert_window_secs = 1",
                "detect.alert_window_secs",
            ),
            ("[detect]\nmax_alerts = 0", "detect.max_alerts"),
            (
                "[detect]\nmax_alerts_per_minute = 0",
                "detect.max_alerts_per_minute",
            ),
            (
                "[detect]\nwebhook_url = \"https://x..test/\"",
                "detect.webhook_url",
            ),
            ("[detect]\nwebhook_ca_file = \"\"", "detect.webhook_ca_file"),
            ("[detect]\nwebhook_url = \"x.test\"", "detect.webhook_url"),
            (
                "[detect]\nwebhook_timeout_ms = 5",
                "detect.webhook_timeout_ms",
            ),
            (
                "[detect.dns_tunnel]\nlong_name_chars = 500",
                "detect.dns_tunnel.long_name_chars",
            ),
            (
                "[detect.dns_tunnel]\nlong_label_chars = 64",
                "detect.dns_tunnel.long_label_chars",
            ),
            (
                "[detect.dns_tunnel]\nlabel_entropy_bits = 9.5",
                "detect.dns_tunnel.label_entropy_bits",
            ),
            ("[detect.scan]\nwindow_secs = 0", "detect.scan.window_secs"),
            (
                "[detect.scan]\nodd_flag_probes = 1000",
                "detect.scan.odd_flag_probes",
            ),
            (
                "[detect.spoofing]\nconflict_window_secs = 0",
                "detect.spoofing.conflict_window_secs",
            ),
            (
                "[detect.upload]\nsudden_secs = 0",
                "detect.upload.sudden_secs",
            ),
            (
                "[detect.upload]\nsustained_secs = 3600",
                "detect.upload.sustained_secs",
            ),
            (
                "[detect.destinations]\ndeny_countries = [\"Germany\"]",
                "detect.destinations.deny_countries",
            ),
            (
                "[detect.destinations]\nallow_domains = [\"a..b\"]",
                "detect.destinations.allow_domains",
            ),
            (
                "[detect.destinations]\ndeny_orgs = [\" \"]",
                "detect.destinations.deny_orgs",
            ),
            (
                "[detect.encrypted_dns]\ndoh_domains = [\"a..b\"]",
                "detect.encrypted_dns.doh_domains",
            ),
            (
                "[detect.encrypted_dns]\nno_dns_window_secs = 1",
                "detect.encrypted_dns.no_dns_window_secs",
            ),
            (
                "[[detect.rules]]\nname = \"x\"\ncountries = [\"XYZ\"]",
                "detect.rules",
            ),
        ];
        for (text, key) in cases {
            let msg = parse(text).unwrap_err();
            assert!(msg.contains(key), "{text:?} gave {msg:?}, wanted {key}");
        }
        let msg = parse("[detect.scan]\nport_per_host = 3").unwrap_err();
        assert!(msg.contains("port_per_host"), "{msg}");
    }

    /// Every key is documented in the example file; uncommented, the `[detect]` part of it
    /// is a valid configuration.
    /// The example file's `[detect]` part, up to the next section that is not `detect`'s.
    fn example_detect_part() -> String {
        let text = include_str!("../../../docs/config.example.toml");
        let start = text
            .find("\n[detect]")
            .expect("a [detect] section in the example");
        let mut part = String::new();
        for line in text[start + 1..].lines().skip(1) {
            if line.starts_with('[')
                && !line.starts_with("[detect")
                && !line.starts_with("[[detect")
            {
                break;
            }
            part.push_str(line);
            part.push('\n');
        }
        part
    }

    /// `part` split into (subsection name, text) pairs, uncommenting `# key = value` lines.
    fn uncommented_sections(part: &str) -> Vec<(String, String)> {
        let mut sections: Vec<(String, String)> = vec![(String::new(), String::new())];
        for line in part.lines() {
            let l = line.trim();
            let l = l.strip_prefix("# ").filter(|r| {
                r.starts_with('[')
                    || r.split_once(" = ").is_some_and(|(k, _)| {
                        !k.is_empty() && k.bytes().all(|b| b.is_ascii_lowercase() || b == b'_')
                    })
            });
            let l = match l {
                Some(uncommented) => uncommented,
                None if line.trim_start().starts_with('#') => continue,
                None => line.trim(),
            };
            if let Some(name) = l
                .strip_prefix("[[detect.")
                .or_else(|| l.strip_prefix("[detect."))
                .map(|n| n.trim_end_matches(']'))
            {
                sections.push((name.to_owned(), format!("{l}\n")));
            } else if let Some(last) = sections.last_mut() {
                last.1.push_str(l);
                last.1.push('\n');
            }
        }
        sections
    }

    #[test]
    fn example_documents_every_key() {
        let keys = [
            ("", "enabled"),
            ("", "preset"),
            ("", "alert_window_secs"),
            ("", "max_alerts"),
            ("", "max_alerts_per_minute"),
            ("", "webhook_url"),
            ("", "webhook_ca_file"),
            ("", "webhook_timeout_ms"),
            ("", "nflog_group"),
            ("dns_tunnel", "long_name_chars"),
            ("dns_tunnel", "long_label_chars"),
            ("dns_tunnel", "label_entropy_bits"),
            ("dns_tunnel", "long_names_per_minute"),
            ("dns_tunnel", "unique_subdomains_per_minute"),
            ("dns_tunnel", "txt_queries_per_minute"),
            ("scan", "ports_per_host"),
            ("scan", "hosts_per_port"),
            ("scan", "odd_flag_probes"),
            ("scan", "window_secs"),
            ("spoofing", "enabled"),
            ("spoofing", "arp"),
            ("spoofing", "gateway_addresses"),
            ("spoofing", "conflict_window_secs"),
            ("upload", "sustained_bytes"),
            ("upload", "sustained_secs"),
            ("upload", "pause_secs"),
            ("upload", "sudden_bytes"),
            ("upload", "sudden_secs"),
            ("destinations", "deny_countries"),
            ("destinations", "deny_orgs"),
            ("destinations", "deny_domains"),
            ("destinations", "allow_countries"),
            ("destinations", "allow_orgs"),
            ("destinations", "allow_domains"),
            ("encrypted_dns", "dot"),
            ("encrypted_dns", "doh"),
            ("encrypted_dns", "doh_domains"),
            ("encrypted_dns", "doh_addresses"),
            ("encrypted_dns", "no_dns_flows"),
            ("encrypted_dns", "no_dns_window_secs"),
            ("encrypted_dns", "no_dns_min_answers"),
            ("encrypted_dns", "no_dns_settle_secs"),
            ("rules", "name"),
            ("rules", "action"),
            ("rules", "priority"),
            ("rules", "kinds"),
            ("rules", "devices"),
            ("rules", "domains"),
            ("rules", "orgs"),
            ("rules", "countries"),
            ("rules", "categories"),
            ("rules", "ports"),
        ];
        let sections = uncommented_sections(&example_detect_part());
        for (section, key) in keys {
            let found = sections.iter().any(|(s, body)| {
                s == section && body.lines().any(|l| l.starts_with(&format!("{key} =")))
            });
            assert!(
                found,
                "detect.{section}.{key} is not in docs/config.example.toml"
            );
        }
        let toml_text: String = sections
            .iter()
            .map(|(s, body)| {
                if s.is_empty() {
                    format!("[detect]\n{body}")
                } else {
                    body.clone()
                }
            })
            .collect();
        let r = parse(&toml_text);
        assert!(r.is_ok(), "{r:?}\n{toml_text}");
    }
}
