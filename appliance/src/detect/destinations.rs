//! Destinations on a deny list, or outside an allow list: countries, organizations, domains.
//!
//! Deny lists are rules ([`super::rules`]): every `alert` rule for `deny_list` (including the
//! `deny_countries`, `deny_orgs` and `deny_domains` shorthands of `[detect.destinations]`) is
//! checked against each new flow, and a match raises `deny_list.<rule name>`. Allow lists
//! (`allow_countries`, `allow_orgs`, `allow_domains`) raise `deny_list.allow_countries` (...)
//! for a flow whose country (organization, domain) is known and not on the list; a flow
//! without that information is not judged.
//!
//! A flow is checked when it appears and, if it had no name then, once more when it gets one.

use super::rules::{under, RuleSet, Subject};
use super::{lru, Lru};
use crate::detect::alerts::Finding;
use crate::model::{AlertKind, AlertWords, DeviceId, Domain, FlowKey, FlowRecord};

/// Allow lists (`[detect.destinations]`; deny lists are rules).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Settings {
    /// Country codes (upper case) flows may go to (empty: any).
    pub allow_countries: Vec<String>,
    /// Organizations (or their first words) flows may go to (empty: any).
    pub allow_orgs: Vec<String>,
    /// Domains (and names under them) flows may go to (empty: any).
    pub allow_domains: Vec<String>,
}

/// Flows checked without a name, waiting for one.
const MAX_UNNAMED: usize = 65_536;

/// The detector.
pub struct Destinations {
    s: Settings,
    unnamed: Lru<FlowKey, ()>,
}

fn describe(f: &FlowRecord) -> String {
    let mut parts = vec![f.remote_ip.to_string()];
    if let Some(org) = &f.enrichment.org {
        if f.domain.as_ref().is_none_or(|d| d.as_str() != &**org) {
            parts.push(org.to_string());
        }
    }
    if let Some(c) = &f.enrichment.country {
        parts.push(c.clone());
    }
    match &f.domain {
        Some(d) => format!("{d} ({})", parts.join(", ")),
        None => parts.join(", "),
    }
}

impl Destinations {
    /// A detector with these allow lists.
    pub fn new(s: Settings) -> Self {
        Destinations {
            s,
            unnamed: lru(MAX_UNNAMED),
        }
    }

    /// A flow appeared (`new`) or changed.
    pub fn on_flow(&mut self, f: &FlowRecord, new: bool, rules: &RuleSet, out: &mut Vec<Finding>) {
        if !new {
            // Only a flow checked without a name is checked again, when it has one.
            if f.domain.is_none() || self.unnamed.pop(&f.key).is_none() {
                return;
            }
        } else if f.domain.is_none() {
            self.unnamed.put(f.key, ());
        }
        let subject = Subject {
            kind: Some(AlertKind::DenyList),
            device: Some(f.device_ip.ip()),
            domain: f.domain.as_ref().map(Domain::as_str),
            org: f.enrichment.org.as_deref(),
            country: f.enrichment.country.as_deref(),
            category: f.enrichment.category,
            port: Some(f.remote_port),
        };
        let dev = f.device_ip;
        let finding = |rule: String, message: String| {
            let mut x = Finding::new(AlertKind::DenyList, rule, message);
            x.device = Some(DeviceId(dev.ip()));
            x.remote_ip = Some(f.remote_ip);
            x.domain = f.domain.clone();
            x.org = f.enrichment.org.clone();
            x.country = f.enrichment.country.clone();
            x.category = f.enrichment.category;
            x.port = Some(f.remote_port);
            x
        };
        if let Some(r) = rules.deny_rules().find(|r| r.matches(&subject)) {
            let mut x = finding(
                format!("deny_list.{}", r.name()),
                format!(
                    "{dev} connected to {}, a destination on the deny list \"{}\".",
                    describe(f),
                    r.name()
                ),
            );
            x.words = Some(AlertWords::new(
                "deny-list",
                [
                    ("device", dev.to_string()),
                    ("to", describe(f)),
                    ("list", r.name().to_string()),
                ],
            ));
            out.push(x);
        }
        let s = &self.s;
        if let Some(c) = &f.enrichment.country {
            if !s.allow_countries.is_empty()
                && !s.allow_countries.iter().any(|a| a.eq_ignore_ascii_case(c))
            {
                let mut x = finding(
                    "deny_list.allow_countries".into(),
                    format!(
                        "{dev} connected to {}: the country {c} is not on the allow list.",
                        describe(f)
                    ),
                );
                x.words = Some(AlertWords::new(
                    "allow-countries",
                    [
                        ("device", dev.to_string()),
                        ("to", describe(f)),
                        ("country", c.clone()),
                    ],
                ));
                out.push(x);
            }
        }
        if let Some(o) = &f.enrichment.org {
            let allowed = |a: &String| {
                o.len() >= a.len()
                    && o.as_bytes()[..a.len()].eq_ignore_ascii_case(a.as_bytes())
                    && (o.len() == a.len() || o.as_bytes()[a.len()] == b' ')
            };
            if !s.allow_orgs.is_empty() && !s.allow_orgs.iter().any(allowed) {
                let mut x = finding(
                    "deny_list.allow_orgs".into(),
                    format!(
                        "{dev} connected to {}: the organization {o} is not on the allow list.",
                        describe(f)
                    ),
                );
                x.words = Some(AlertWords::new(
                    "allow-orgs",
                    [
                        ("device", dev.to_string()),
                        ("to", describe(f)),
                        ("org", o.to_string()),
                    ],
                ));
                out.push(x);
            }
        }
        if let Some(d) = &f.domain {
            if !s.allow_domains.is_empty() && !s.allow_domains.iter().any(|a| under(d.as_str(), a))
            {
                let mut x = finding(
                    "deny_list.allow_domains".into(),
                    format!(
                        "{dev} connected to {}: the domain is not on the allow list.",
                        describe(f)
                    ),
                );
                x.words = Some(AlertWords::new(
                    "allow-domains",
                    [("device", dev.to_string()), ("to", describe(f))],
                ));
                out.push(x);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::detect::rules::Rule;
    use crate::model::Category;
    use crate::model::Enrichment;
    use crate::model::FlowState;
    use crate::model::Proto;
    use chrono::{DateTime, Utc};

    fn flow(id: u32, domain: Option<&str>, org: &str, country: Option<&str>) -> FlowRecord {
        FlowRecord {
            id: format!("{id}-1"),
            key: FlowKey { id, start_ns: 1 },
            device_ip: DeviceId("192.0.2.10".parse().unwrap()),
            remote_ip: "203.0.113.10".parse().unwrap(),
            remote_port: 443,
            local_port: None,
            proto: Proto::Tcp,
            domain: domain.map(|d| Domain::new(d).unwrap()),
            candidates: vec![],
            bytes_up: 0,
            bytes_down: 0,
            packets_up: 0,
            packets_down: 0,
            first_seen: DateTime::<Utc>::from_timestamp(1_794_000_000, 0).unwrap(),
            last_seen: DateTime::<Utc>::from_timestamp(1_794_000_000, 0).unwrap(),
            state: FlowState::Open,
            enrichment: Enrichment {
                org: Some(org.into()),
                country: country.map(str::to_owned),
                category: Some(Category::Social),
                ..Enrichment::default()
            },
        }
    }

    fn rules(text: &str) -> RuleSet {
        #[derive(serde::Deserialize)]
        struct F {
            rules: Vec<Rule>,
        }
        let f: F = toml::from_str(text).unwrap();
        RuleSet::new(f.rules.iter().map(|r| r.compile().unwrap()).collect())
    }

    #[test]
    fn flows_table() {
        let deny = rules(
            r#"
[[rules]]
name = "countries"
action = "alert"
kinds = ["deny_list"]
countries = ["RU"]

[[rules]]
name = "social"
action = "alert"
kinds = ["deny_list"]
orgs = ["Meta"]

[[rules]]
name = "domains"
action = "alert"
kinds = ["deny_list"]
domains = ["denied.example.test"]

[[rules]]
name = "quiet tablet"
priority = 5
kinds = ["deny_list"]
devices = ["192.0.2.99"]
"#,
        );
        let none = Settings::default();
        let allow = Settings {
            allow_countries: vec!["DE".into(), "FR".into()],
            allow_orgs: vec![],
            allow_domains: vec!["example.test".into()],
        };
        let cases: Vec<(&str, Settings, FlowRecord, Vec<&str>)> = vec![
            (
                "ordinary",
                none.clone(),
                flow(1, Some("www.example.test"), "Example", Some("DE")),
                vec![],
            ),
            (
                "denied country",
                none.clone(),
                flow(2, None, "Hoster", Some("RU")),
                vec!["deny_list.countries"],
            ),
            (
                "denied org",
                none.clone(),
                flow(3, Some("www.facebook.com"), "Meta", Some("IE")),
                vec!["deny_list.social"],
            ),
            (
                "denied domain",
                none.clone(),
                flow(
                    4,
                    Some("x.denied.example.test"),
                    "denied.example.test",
                    None,
                ),
                vec!["deny_list.domains"],
            ),
            (
                "allowed",
                allow.clone(),
                flow(5, Some("www.example.test"), "Example", Some("FR")),
                vec![],
            ),
            (
                "outside allow lists",
                allow.clone(),
                flow(6, Some("www.elsewhere.test"), "Elsewhere", Some("US")),
                vec!["deny_list.allow_countries", "deny_list.allow_domains"],
            ),
            (
                "unknown country is not judged",
                allow,
                flow(7, Some("a.example.test"), "Example", None),
                vec![],
            ),
        ];
        for (what, s, f, want) in cases {
            let mut d = Destinations::new(s);
            let mut out = Vec::new();
            d.on_flow(&f, true, &deny, &mut out);
            let got: Vec<String> = out.iter().map(|x| x.rule.to_string()).collect();
            assert_eq!(got, want, "{what}");
        }
    }

    #[test]
    fn unnamed_flows_are_checked_again_once_named() {
        let deny = rules(
            "[[rules]]\nname = \"domains\"\naction = \"alert\"\nkinds = [\"deny_list\"]\n\
             domains = [\"denied.example.test\"]\n",
        );
        let mut d = Destinations::new(Settings::default());
        let mut out = Vec::new();
        d.on_flow(&flow(1, None, "x", None), true, &deny, &mut out);
        assert!(out.is_empty());
        let named = flow(1, Some("denied.example.test"), "x", None);
        d.on_flow(&named, false, &deny, &mut out);
        assert_eq!(out.len(), 1);
        // An update of a flow already checked with its name is not checked again.
        d.on_flow(&named, false, &deny, &mut out);
        assert_eq!(out.len(), 1);
        assert!(
            out[0].message.contains("denied.example.test"),
            "{}",
            out[0].message
        );
    }
}
