//! Rules: which findings become alerts, which are expected and ignored, and which
//! destinations are denied — one small declarative TOML format for all of it, plus the three
//! presets.
//!
//! ```toml
//! [[detect.rules]]
//! name = "photo backup"        # shown when it ignores something (required)
//! action = "ignore"            # "ignore" (default) or "alert"
//! priority = 10                # higher is tried first (default 0)
//! kinds = ["upload"]           # alert kinds it applies to (empty: all)
//! devices = ["192.168.4.23", "192.168.4.64/26"]
//! domains = ["icloud.com"]     # the name or any name under it
//! orgs = ["Apple"]             # organization, or its first word(s) ("Zoom" = "Zoom Video Comm")
//! countries = ["US"]           # ISO 3166 alpha-2
//! categories = ["platform"]    # advertising, analytics, social, video, cdn, platform, other
//! ports = [443]
//! ```
//!
//! A rule matches a finding when every list it sets contains the finding's value (an unset
//! list matches anything; a finding without that value, e.g. no domain, does not match a rule
//! that sets the list). Rules are tried by priority, highest first, ties in the order given;
//! the first that matches decides: `ignore` drops the finding (counted), `alert` keeps it. No
//! match: it is kept.
//!
//! Order of precedence: temporary ignores set from the UI (they always win, until they
//! expire), then the config's `[[detect.rules]]` (priority 0 unless set), then the preset's
//! own rules (priority −100: any config rule overrides them).
//!
//! Deny lists: an `alert` rule whose `kinds` include `"deny_list"` is also checked against
//! every new flow, and a flow it matches raises a `deny_list` alert named after the rule.
//! `[detect.destinations]`'s `deny_countries`, `deny_orgs` and `deny_domains` are shorthand
//! for such rules.

use std::net::IpAddr;
use std::str::FromStr;

use chrono::{DateTime, Utc};
use ipnet::IpNet;
use serde::{Deserialize, Serialize};

use crate::detect::alerts::Finding;
use crate::model::{AlertKind, Category, Domain};

/// A ready-made set of thresholds and rules.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Preset {
    /// Low thresholds, nothing expected: alerts early, more false alarms.
    Paranoid,
    /// The issue's thresholds; video calls and photo backup are expected uploads.
    #[default]
    Normal,
    /// High thresholds, more expected patterns, no "no DNS seen" check: only loud things.
    Relaxed,
}

impl Preset {
    /// The name in the config.
    pub fn as_str(self) -> &'static str {
        match self {
            Preset::Paranoid => "paranoid",
            Preset::Normal => "normal",
            Preset::Relaxed => "relaxed",
        }
    }

    /// The preset's own rules (priority −100), in the rule format.
    pub fn rules_toml(self) -> &'static str {
        match self {
            Preset::Paranoid => PARANOID_RULES,
            Preset::Normal => NORMAL_RULES,
            Preset::Relaxed => RELAXED_RULES,
        }
    }
}

// The presets' rules, in the same format as `[[detect.rules]]`, built from shared blocks.

/// Antivirus and anti-spam reputation services answer questions encoded in long DNS names
/// (hashes of files or addresses): tunnelling by design, and expected.
macro_rules! reputation_lookups {
    () => {
        r#"
[[rules]]
name = "antivirus reputation lookups"
priority = -100
kinds = ["dns_tunnel"]
domains = ["sophosxl.net", "avqs.mcafee.com", "avts.mcafee.com", "e5.sk", "spamhaus.org", "spamcop.net", "surbl.org", "uribl.com"]
"#
    };
}

/// Video calls send as much as they receive; photo backup sends a lot at once.
macro_rules! expected_uploads {
    () => {
        r#"
[[rules]]
name = "video calls"
priority = -100
kinds = ["upload"]
domains = ["zoom.us", "zoom.com", "zoomgov.com", "teams.microsoft.com", "teams.live.com", "skype.com", "meet.google.com", "webex.com", "whatsapp.net", "discord.gg", "discord.media", "facetime.apple.com", "jitsi.net", "8x8.vc", "gotomeeting.com"]

[[rules]]
name = "video calls (by network)"
priority = -100
kinds = ["upload"]
orgs = ["Zoom"]

[[rules]]
name = "photo backup"
priority = -100
kinds = ["upload"]
domains = ["photos.googleapis.com", "photoslibrary.googleapis.com", "icloud.com", "icloud-content.com", "dropbox.com", "dropboxapi.com", "onedrive.com", "onedrive.live.com", "storage.live.com", "amazonphotos.com", "drive.amazonaws.com", "flickr.com", "content.googleapis.com"]
"#
    };
}

const PARANOID_RULES: &str = reputation_lookups!();

const NORMAL_RULES: &str = concat!(reputation_lookups!(), expected_uploads!());

const RELAXED_RULES: &str = concat!(
    reputation_lookups!(),
    expected_uploads!(),
    r#"
[[rules]]
name = "big platforms' own services"
priority = -100
kinds = ["upload", "encrypted_dns"]
orgs = ["Google", "Apple", "Microsoft", "Amazon", "Meta"]
"#
);

/// What a matching rule does.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Action {
    /// Drop the finding.
    #[default]
    Ignore,
    /// Keep it (and, for `deny_list` rules, raise it for matching flows).
    Alert,
}

/// One rule as written in the config (`[[detect.rules]]`) or a preset.
#[derive(Clone, Debug, Default, PartialEq, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct Rule {
    /// Shown in the API when it ignores something, and in `deny_list` alerts' rule.
    pub name: String,
    /// `ignore` or `alert`.
    pub action: Action,
    /// Higher is tried first.
    pub priority: i32,
    /// Alert kinds it applies to (empty: all).
    pub kinds: Vec<AlertKind>,
    /// Device addresses or ranges (`192.168.4.23`, `192.168.4.0/24`).
    pub devices: Vec<String>,
    /// Domains: the name or any name under it.
    pub domains: Vec<String>,
    /// Organizations, or their first word(s), any case.
    pub orgs: Vec<String>,
    /// ISO 3166 alpha-2 country codes, any case.
    pub countries: Vec<String>,
    /// Categories (`advertising`, `analytics`, `social`, `video`, `cdn`, `platform`, `other`).
    pub categories: Vec<String>,
    /// Destination ports.
    pub ports: Vec<u16>,
}

/// A rule, checked and ready to match.
#[derive(Clone, Debug, PartialEq)]
pub struct CompiledRule {
    /// The rule as written.
    pub source: Rule,
    devices: Vec<IpNet>,
    domains: Vec<String>,
    orgs: Vec<String>,
    countries: Vec<String>,
    categories: Vec<Category>,
}

/// What rules are matched against: a finding, or a flow for the deny lists.
#[derive(Clone, Copy, Debug, Default)]
pub struct Subject<'a> {
    /// The finding's kind (`DenyList` for flows).
    pub kind: Option<AlertKind>,
    /// The device.
    pub device: Option<IpAddr>,
    /// The domain.
    pub domain: Option<&'a str>,
    /// The organization.
    pub org: Option<&'a str>,
    /// The country code.
    pub country: Option<&'a str>,
    /// The category.
    pub category: Option<Category>,
    /// The destination port.
    pub port: Option<u16>,
}

impl<'a> Subject<'a> {
    /// What rules see of a finding.
    pub fn of(f: &'a Finding) -> Self {
        Subject {
            kind: Some(f.kind),
            device: f.device.map(|d| d.ip()),
            domain: f.domain.as_ref().map(Domain::as_str),
            org: f.org.as_deref(),
            country: f.country.as_deref(),
            category: f.category,
            port: f.port,
        }
    }
}

/// `name` is `zone` or a name under it.
pub fn under(name: &str, zone: &str) -> bool {
    name == zone
        || (name.len() > zone.len()
            && name.ends_with(zone)
            && name.as_bytes()[name.len() - zone.len() - 1] == b'.')
}

/// `org` is `want` or starts with `want` and a space, ignoring case.
fn org_matches(org: &str, want: &str) -> bool {
    org.len() >= want.len()
        && org.as_bytes()[..want.len()].eq_ignore_ascii_case(want.as_bytes())
        && (org.len() == want.len() || org.as_bytes()[want.len()] == b' ')
}

impl Rule {
    /// Check the rule and make it ready to match; the error says what is wrong with which
    /// entry.
    pub fn compile(&self) -> Result<CompiledRule, String> {
        if self.name.trim().is_empty() {
            return Err("every rule needs a name".into());
        }
        let mut devices = Vec::new();
        for d in &self.devices {
            let net = match d.parse::<IpNet>() {
                Ok(n) => n.trunc(),
                Err(_) => IpNet::from(
                    d.parse::<IpAddr>()
                        .map_err(|_| format!("{d:?} is not an address or a range"))?,
                ),
            };
            devices.push(net);
        }
        let mut domains = Vec::new();
        for d in &self.domains {
            let dom = Domain::new(d).map_err(|e| format!("domain {d:?}: {e}"))?;
            domains.push(dom.as_str().to_owned());
        }
        let mut countries = Vec::new();
        for c in &self.countries {
            if c.len() != 2 || !c.bytes().all(|b| b.is_ascii_alphabetic()) {
                return Err(format!(
                    "country {c:?} is not a two-letter ISO 3166 code (like \"DE\")"
                ));
            }
            countries.push(c.to_ascii_uppercase());
        }
        let mut categories = Vec::new();
        for c in &self.categories {
            categories.push(Category::from_str(c).map_err(|_| {
                format!(
                    "unknown category {c:?} (known: {})",
                    Category::ALL.map(|c| c.as_str()).join(", ")
                )
            })?);
        }
        let orgs: Vec<String> = self.orgs.iter().map(|o| o.trim().to_owned()).collect();
        if orgs.iter().any(String::is_empty) {
            return Err("an empty organization name matches nothing".into());
        }
        if self.ports.contains(&0) {
            return Err("port 0 is not a port".into());
        }
        let rule = CompiledRule {
            source: self.clone(),
            devices,
            domains,
            orgs,
            countries,
            categories,
        };
        if rule.is_deny_rule() && !rule.names_destinations() {
            return Err(
                "an alert rule for deny_list needs domains, orgs, countries, categories or \
                 ports: as written it would alert on every flow"
                    .into(),
            );
        }
        Ok(rule)
    }
}

impl CompiledRule {
    /// Does the rule match?
    pub fn matches(&self, s: &Subject<'_>) -> bool {
        let src = &self.source;
        (src.kinds.is_empty() || s.kind.is_some_and(|k| src.kinds.contains(&k)))
            && (self.devices.is_empty()
                || s.device
                    .is_some_and(|d| self.devices.iter().any(|n| n.contains(&d))))
            && (self.domains.is_empty()
                || s.domain
                    .is_some_and(|d| self.domains.iter().any(|z| under(d, z))))
            && (self.orgs.is_empty()
                || s.org
                    .is_some_and(|o| self.orgs.iter().any(|w| org_matches(o, w))))
            && (self.countries.is_empty()
                || s.country
                    .is_some_and(|c| self.countries.iter().any(|w| w.eq_ignore_ascii_case(c))))
            && (self.categories.is_empty()
                || s.category.is_some_and(|c| self.categories.contains(&c)))
            && (src.ports.is_empty() || s.port.is_some_and(|p| src.ports.contains(&p)))
    }

    /// An `alert` rule for `deny_list`: checked against every new flow.
    pub fn is_deny_rule(&self) -> bool {
        self.source.action == Action::Alert && self.source.kinds.contains(&AlertKind::DenyList)
    }

    /// Sets at least one list that describes a destination.
    fn names_destinations(&self) -> bool {
        !(self.domains.is_empty()
            && self.orgs.is_empty()
            && self.countries.is_empty()
            && self.categories.is_empty()
            && self.source.ports.is_empty())
    }

    /// The rule's name.
    pub fn name(&self) -> &str {
        &self.source.name
    }
}

/// An ignore rule set from the UI, until it expires.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TempIgnore {
    /// Id (for removing it early).
    pub id: u64,
    /// The rule.
    pub rule: Rule,
    /// The alert it was made from, if any.
    pub alert_id: Option<u64>,
    /// When it was set.
    pub created: DateTime<Utc>,
    /// When it stops applying.
    pub expires: DateTime<Utc>,
    #[serde(skip)]
    compiled: Option<CompiledRule>,
}

/// Most temporary ignores at once.
pub const MAX_TEMP_IGNORES: usize = 256;

/// The temporary ignores (shared between the web, which adds and removes, and the detector
/// task, which consults them).
#[derive(Debug, Default)]
pub struct TempIgnores {
    list: Vec<TempIgnore>,
    next_id: u64,
}

impl TempIgnores {
    /// Add an ignore rule until `expires`; fails when the rule does not compile or too many
    /// are set.
    pub fn add(
        &mut self,
        mut rule: Rule,
        alert_id: Option<u64>,
        now: DateTime<Utc>,
        expires: DateTime<Utc>,
    ) -> Result<TempIgnore, String> {
        self.expire(now);
        if self.list.len() >= MAX_TEMP_IGNORES {
            return Err(format!(
                "{MAX_TEMP_IGNORES} temporary ignores are set already; remove one first"
            ));
        }
        rule.action = Action::Ignore;
        let compiled = rule.compile()?;
        self.next_id += 1;
        let t = TempIgnore {
            id: self.next_id,
            rule,
            alert_id,
            created: now,
            expires,
            compiled: Some(compiled),
        };
        self.list.push(t.clone());
        Ok(t)
    }

    /// Remove one early; `false` if there is none with this id.
    pub fn remove(&mut self, id: u64) -> bool {
        let before = self.list.len();
        self.list.retain(|t| t.id != id);
        self.list.len() != before
    }

    /// Drop the expired ones.
    pub fn expire(&mut self, now: DateTime<Utc>) {
        self.list.retain(|t| t.expires > now);
    }

    /// The ones in force at `now`.
    pub fn active(&self, now: DateTime<Utc>) -> impl Iterator<Item = &TempIgnore> {
        self.list.iter().filter(move |t| t.expires > now)
    }

    /// The first one in force that matches.
    fn matching(&self, s: &Subject<'_>, now: DateTime<Utc>) -> Option<&TempIgnore> {
        self.active(now)
            .find(|t| t.compiled.as_ref().is_some_and(|c| c.matches(s)))
    }
}

/// What the rules decided about a finding.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Decision {
    /// Keep it.
    Alert,
    /// Drop it; the rule's name.
    Ignore(String),
}

/// The config's and the preset's rules, in the order they are tried.
#[derive(Clone, Debug, Default)]
pub struct RuleSet {
    rules: Vec<CompiledRule>,
}

/// The preset file format (`[[rules]]`).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PresetFile {
    rules: Vec<Rule>,
}

/// The rules of a preset, compiled.
pub fn preset_rules(p: Preset) -> Result<Vec<CompiledRule>, String> {
    let file: PresetFile =
        toml::from_str(p.rules_toml()).map_err(|e| format!("preset {}: {e}", p.as_str()))?;
    file.rules
        .iter()
        .map(|r| {
            r.compile()
                .map_err(|e| format!("preset {}: {e}", p.as_str()))
        })
        .collect()
}

impl RuleSet {
    /// Config rules and preset rules, sorted by priority (highest first, stable).
    pub fn new(mut rules: Vec<CompiledRule>) -> Self {
        rules.sort_by_key(|r| std::cmp::Reverse(r.source.priority));
        RuleSet { rules }
    }

    /// Decide about a finding.
    pub fn decide(&self, s: &Subject<'_>, temp: &TempIgnores, now: DateTime<Utc>) -> Decision {
        if let Some(t) = temp.matching(s, now) {
            return Decision::Ignore(t.rule.name.clone());
        }
        match self.rules.iter().find(|r| r.matches(s)) {
            Some(r) if r.source.action == Action::Ignore => Decision::Ignore(r.name().to_owned()),
            _ => Decision::Alert,
        }
    }

    /// The `alert` rules for `deny_list`, in priority order.
    pub fn deny_rules(&self) -> impl Iterator<Item = &CompiledRule> {
        self.rules.iter().filter(|r| r.is_deny_rule())
    }

    /// Every rule, in the order tried.
    pub fn rules(&self) -> &[CompiledRule] {
        &self.rules
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::DeviceId;

    fn rule(toml_text: &str) -> CompiledRule {
        let r: Rule = toml::from_str(toml_text).unwrap();
        r.compile().unwrap()
    }

    fn finding(kind: AlertKind, dev: &str, domain: Option<&str>) -> Finding {
        let mut f = Finding::new(kind, "test", String::new());
        f.device = Some(DeviceId(dev.parse().unwrap()));
        f.domain = domain.map(|d| Domain::new(d).unwrap());
        f
    }

    #[test]
    fn every_preset_compiles() {
        for p in [Preset::Paranoid, Preset::Normal, Preset::Relaxed] {
            let rules = preset_rules(p).unwrap();
            assert!(!rules.is_empty());
            assert!(rules.iter().all(|r| r.source.priority == -100));
            assert!(rules
                .iter()
                .any(|r| r.name() == "antivirus reputation lookups"));
        }
    }

    /// Table: (rule, finding, matches?).
    #[test]
    fn matching_table() {
        let mut upload = finding(
            AlertKind::Upload,
            "192.168.4.23",
            Some("p01.icloud-content.com"),
        );
        upload.org = Some("Apple".into());
        upload.country = Some("US".into());
        upload.category = Some(Category::Platform);
        upload.port = Some(443);
        let mut zoom = finding(AlertKind::Upload, "192.168.4.30", None);
        zoom.org = Some("Zoom Video Comm".into());
        let tunnel = finding(AlertKind::DnsTunnel, "192.168.4.23", Some("t.tunnel.test"));
        let cases: &[(&str, &Finding, bool)] = &[
            ("name = \"a\"", &upload, true),
            ("name = \"a\"\nkinds = [\"upload\"]", &upload, true),
            ("name = \"a\"\nkinds = [\"scan\"]", &upload, false),
            ("name = \"a\"\ndevices = [\"192.168.4.23\"]", &upload, true),
            (
                "name = \"a\"\ndevices = [\"192.168.4.0/24\"]",
                &upload,
                true,
            ),
            (
                "name = \"a\"\ndevices = [\"192.168.5.0/24\"]",
                &upload,
                false,
            ),
            (
                "name = \"a\"\ndomains = [\"icloud-content.com\"]",
                &upload,
                true,
            ),
            ("name = \"a\"\ndomains = [\"content.com\"]", &upload, false),
            (
                "name = \"a\"\ndomains = [\"ICLOUD-content.com.\"]",
                &upload,
                true,
            ),
            ("name = \"a\"\ndomains = [\"icloud.com\"]", &zoom, false),
            ("name = \"a\"\norgs = [\"apple\"]", &upload, true),
            ("name = \"a\"\norgs = [\"Zoom\"]", &zoom, true),
            ("name = \"a\"\norgs = [\"Zoo\"]", &zoom, false),
            ("name = \"a\"\ncountries = [\"us\"]", &upload, true),
            ("name = \"a\"\ncountries = [\"DE\"]", &upload, false),
            ("name = \"a\"\ncountries = [\"DE\"]", &zoom, false),
            ("name = \"a\"\ncategories = [\"platform\"]", &upload, true),
            ("name = \"a\"\ncategories = [\"video\"]", &upload, false),
            ("name = \"a\"\nports = [443]", &upload, true),
            ("name = \"a\"\nports = [80]", &upload, false),
            (
                "name = \"a\"\nkinds = [\"dns_tunnel\"]\ndomains = [\"tunnel.test\"]",
                &tunnel,
                true,
            ),
            (
                "name = \"a\"\nkinds = [\"upload\"]\ndomains = [\"tunnel.test\"]",
                &tunnel,
                false,
            ),
        ];
        for (text, f, want) in cases {
            assert_eq!(
                rule(text).matches(&Subject::of(f)),
                *want,
                "{text} vs {f:?}"
            );
        }
    }

    #[test]
    fn bad_rules_say_why() {
        let cases = [
            ("name = \"\"", "name"),
            ("name = \"a\"\ndevices = [\"nowhere\"]", "nowhere"),
            ("name = \"a\"\ndomains = [\"a..b\"]", "a..b"),
            ("name = \"a\"\ncountries = [\"Germany\"]", "Germany"),
            ("name = \"a\"\ncategories = [\"games\"]", "games"),
            ("name = \"a\"\nports = [0]", "port 0"),
            (
                "name = \"a\"\naction = \"alert\"\nkinds = [\"deny_list\"]",
                "every flow",
            ),
        ];
        for (text, want) in cases {
            let r: Rule = toml::from_str(text).unwrap();
            let e = r.compile().unwrap_err();
            assert!(e.contains(want), "{text}: {e}");
        }
        assert!(toml::from_str::<Rule>("name = \"a\"\nkinds = [\"tunnel\"]").is_err());
        assert!(toml::from_str::<Rule>("name = \"a\"\nhost = \"x\"").is_err());
    }

    #[test]
    fn priorities_and_temporary_ignores() {
        let now = DateTime::from_timestamp(1_794_000_000, 0).unwrap();
        let preset = preset_rules(Preset::Normal).unwrap();
        let mine = rule(
            "name = \"watch the tablet\"\naction = \"alert\"\npriority = 5\n\
             devices = [\"192.168.4.30\"]",
        );
        let set = RuleSet::new(preset.into_iter().chain([mine]).collect());
        let mut temp = TempIgnores::default();
        let mut zoom_30 = finding(AlertKind::Upload, "192.168.4.30", Some("us04web.zoom.us"));
        zoom_30.port = Some(443);
        let zoom_31 = finding(AlertKind::Upload, "192.168.4.31", Some("us04web.zoom.us"));
        let scan_31 = finding(AlertKind::Scan, "192.168.4.31", None);
        // The preset expects video calls; the config's alert rule outranks it for .30.
        assert_eq!(
            set.decide(&Subject::of(&zoom_30), &temp, now),
            Decision::Alert
        );
        assert_eq!(
            set.decide(&Subject::of(&zoom_31), &temp, now),
            Decision::Ignore("video calls".into())
        );
        assert_eq!(
            set.decide(&Subject::of(&scan_31), &temp, now),
            Decision::Alert
        );
        // A temporary ignore beats every rule until it expires.
        let r = Rule {
            name: "from the alerts page".into(),
            kinds: vec![AlertKind::Upload],
            devices: vec!["192.168.4.30".into()],
            ..Rule::default()
        };
        let t = temp
            .add(r, Some(7), now, now + chrono::Duration::minutes(60))
            .unwrap();
        assert_eq!(
            set.decide(&Subject::of(&zoom_30), &temp, now),
            Decision::Ignore("from the alerts page".into())
        );
        let later = now + chrono::Duration::minutes(61);
        assert_eq!(
            set.decide(&Subject::of(&zoom_30), &temp, later),
            Decision::Alert
        );
        assert!(temp.remove(t.id));
        assert!(!temp.remove(t.id));
    }
}
