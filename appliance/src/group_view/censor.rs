//! The one place the teacher's rules are applied to the row-by-row outputs (issue 13, point
//! 4): `/api/v1/flows`, `/api/v1/dns`, `/api/v1/alerts` (and the `/alerts` page) and the
//! event stream's `flow_*`, `dns` and `alert*` events. (`/api/v1/paths` and `/api/v1/devices`
//! fold hidden rows while they aggregate, through the same [`Hidden`] set.)
//!
//! What a censored row looks like, so totals and counts stay the same:
//!
//! - a hidden device's row keeps its counters and its destination, but loses who it is:
//!   `device_ip` is `null`, `device` is `"hidden"`, `device_hidden` is `true` (its identity
//!   key would give its address away: `ip-192.0.2.10`);
//! - a hidden domain's row keeps its counters and place, but loses every name and what
//!   points at it: `domain`, `registrable_domain`, `org`, `as_org`, `asn`, `remote_ip` are
//!   `null`, `candidates` and a DNS answer's `chain` and `addrs` empty, `domain_hidden` is
//!   `true`; a hidden name among the other candidates of a visible flow is just left out;
//! - an alert about a hidden device or domain keeps its kind, time and count; its device,
//!   domain, other side and message (which names them) are dropped.
//!
//! Never censored: the viewer's own device (its own rows, whatever the rules; its own page
//! uses [`Censor::nothing`]) and the logged-in admin ([`Censor::nothing`]). Nicknames and
//! "names off" are not here: these outputs carry no device names (alerts carry the group
//! views' name, [`super::Grouping::group_name`], already ruled).

use std::net::IpAddr;
use std::sync::Arc;

use serde::{Serialize, Serializer};
use serde_json::{json, Value};

use crate::correlate::paths::Hidden;
use crate::group_view::Grouping;
use crate::model::{Alert, DeviceId, DeviceIdentity, DnsLogEntry, Domain, FlowRecord};

/// What an alert about hidden things says instead of its message (which names them).
pub const HIDDEN_ALERT_MESSAGE: &str = "Details hidden from the group views by the teacher.";

/// The rules resolved for one request or event stream (a snapshot: a stream builds a new one
/// when the rules change, see [`Censor::generation`]).
#[derive(Clone, Debug, Default)]
pub struct Censor {
    hidden: Hidden,
    /// The viewer's own device: never censored.
    owner: Option<DeviceIdentity>,
    /// The rules' generation this was resolved at (`None`: nothing censored, ever).
    generation: Option<u64>,
}

/// A record as a viewer may see it: unchanged, or a censored copy.
#[derive(Debug)]
pub enum Shown<'a, T> {
    /// Nothing to hide.
    AsIs(&'a T),
    /// The censored copy (the record's JSON with the module's changes).
    Censored(Value),
}

impl<T: Serialize> Serialize for Shown<'_, T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Shown::AsIs(t) => t.serialize(s),
            Shown::Censored(v) => v.serialize(s),
        }
    }
}

impl Censor {
    /// Nothing hidden: the admin, and a device's own page.
    pub fn nothing() -> Censor {
        Censor::default()
    }

    /// The teacher's hide rules for a viewer whose device is `owner`; `addresses` gives a
    /// device's current addresses (the registry's).
    pub fn new(
        rules: &Grouping,
        addresses: impl Fn(DeviceIdentity) -> Vec<IpAddr>,
        owner: DeviceIdentity,
    ) -> Censor {
        Censor {
            hidden: rules.resolve(addresses),
            owner: Some(owner),
            generation: Some(rules.generation()),
        }
    }

    /// The rules' generation this was made at; `None` for [`Censor::nothing`] (never stale).
    pub fn generation(&self) -> Option<u64> {
        self.generation
    }

    /// Nothing is hidden (no need to look up who a row's device is).
    pub fn hides_nothing(&self) -> bool {
        self.hidden.identities.is_empty()
            && self.hidden.devices.is_empty()
            && self.hidden.domains.is_empty()
    }

    /// The device `id` (at address `ip`) is hidden from this viewer.
    pub fn hides_device(&self, id: DeviceIdentity, ip: DeviceId) -> bool {
        self.owner != Some(id) && (self.hidden.identities.contains(&id) || self.hidden.device(ip))
    }

    /// The name `d` (or its registrable domain) is hidden.
    pub fn hides_name(&self, d: &Domain) -> bool {
        if self.hidden.domains.is_empty() {
            return false;
        }
        self.hidden.domains.contains(d)
            || crate::enrich::suffix::registrable_domain(d)
                .is_some_and(|r| self.hidden.domains.contains(&r))
    }

    /// A flow of device `id`, as this viewer may see it.
    pub fn flow<'a>(&self, id: DeviceIdentity, f: &'a FlowRecord) -> Shown<'a, FlowRecord> {
        if self.owner == Some(id) {
            return Shown::AsIs(f);
        }
        let device = self.hides_device(id, f.device_ip);
        let domain = f.domain.as_ref().is_some_and(|d| self.hides_name(d))
            || f.enrichment
                .registrable_domain
                .as_ref()
                .is_some_and(|d| self.hides_name(d));
        let candidate = f.candidates.iter().any(|d| self.hides_name(d));
        if !device && !domain && !candidate {
            return Shown::AsIs(f);
        }
        let Ok(Value::Object(mut v)) = serde_json::to_value(f) else {
            // A record that does not serialise is shown as nothing rather than in full.
            return Shown::Censored(json!({ "device_hidden": device, "domain_hidden": true }));
        };
        if device {
            hide_device(&mut v);
        }
        if domain {
            for key in [
                "domain",
                "registrable_domain",
                "org",
                "as_org",
                "asn",
                "remote_ip",
            ] {
                v.insert(key.into(), Value::Null);
            }
            v.insert("candidates".into(), json!([]));
            v.insert("domain_hidden".into(), json!(true));
        } else if candidate {
            let kept: Vec<&Domain> = f
                .candidates
                .iter()
                .filter(|d| !self.hides_name(d))
                .collect();
            v.insert("candidates".into(), json!(kept));
        }
        Shown::Censored(v.into())
    }

    /// A DNS answer of device `id`, as this viewer may see it: the name is hidden when it,
    /// or any name of its CNAME chain, is.
    pub fn answer<'a>(&self, id: DeviceIdentity, a: &'a DnsLogEntry) -> Shown<'a, DnsLogEntry> {
        if self.owner == Some(id) {
            return Shown::AsIs(a);
        }
        let device = self.hides_device(id, a.device_ip);
        let name = self.hides_name(&a.name) || a.chain.iter().any(|d| self.hides_name(d));
        if !device && !name {
            return Shown::AsIs(a);
        }
        let Ok(Value::Object(mut v)) = serde_json::to_value(a) else {
            return Shown::Censored(json!({ "device_hidden": device, "domain_hidden": true }));
        };
        if device {
            hide_device(&mut v);
        }
        if name {
            v.insert("name".into(), Value::Null);
            v.insert("chain".into(), json!([]));
            v.insert("addrs".into(), json!([]));
            v.insert("domain_hidden".into(), json!(true));
        }
        Shown::Censored(v.into())
    }

    /// An alert about device `id` (`None`: an outside host), as this viewer may see it. Its
    /// message is dropped also when it merely mentions a hidden domain or device address.
    pub fn alert(&self, id: Option<DeviceIdentity>, a: &Arc<Alert>) -> Arc<Alert> {
        if id.is_some() && self.owner == id {
            return Arc::clone(a);
        }
        let device = match (id, a.device_ip) {
            (Some(id), Some(ip)) => self.hides_device(id, ip),
            _ => false,
        };
        let domain = a.domain.as_ref().is_some_and(|d| self.hides_name(d));
        let mentions = self
            .hidden
            .domains
            .iter()
            .any(|d| a.message.contains(d.as_str()))
            || self
                .hidden
                .devices
                .iter()
                .any(|d| a.message.contains(&d.ip().to_string()));
        if !device && !domain && !mentions {
            return Arc::clone(a);
        }
        let mut c = Alert::clone(a);
        if device {
            c.device_ip = None;
        }
        if domain {
            c.domain = None;
            c.remote_ip = None;
        }
        c.message = HIDDEN_ALERT_MESSAGE.into();
        Arc::new(c)
    }
}

/// A record's device taken out (see the module's doc).
fn hide_device(v: &mut serde_json::Map<String, Value>) {
    v.insert("device_ip".into(), Value::Null);
    v.insert("device".into(), json!("hidden"));
    v.insert("device_hidden".into(), json!(true));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::group_view::{DeviceTarget, Rule, RuleAction, Target};
    use crate::model::{Enrichment, FlowKey, FlowState, Proto};
    use chrono::Utc;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    fn flow(dev: &str, name: &str, candidates: &[&str]) -> FlowRecord {
        let d = Domain::new(name).unwrap();
        FlowRecord {
            id: "1-1".into(),
            key: FlowKey { id: 1, start_ns: 1 },
            device_ip: DeviceId(ip(dev)),
            remote_ip: ip("203.0.113.10"),
            remote_port: 443,
            local_port: None,
            proto: Proto::Tcp,
            domain: Some(d.clone()),
            candidates: candidates.iter().map(|c| Domain::new(c).unwrap()).collect(),
            bytes_up: 10,
            bytes_down: 20,
            packets_up: 1,
            packets_down: 1,
            first_seen: Utc::now(),
            last_seen: Utc::now(),
            state: FlowState::Open,
            enrichment: Enrichment {
                registrable_domain: crate::enrich::suffix::registrable_domain(&d),
                org: Some("Secret Org".into()),
                as_org: Some("SECRET-AS".into()),
                country: Some("NL".into()),
                ..Enrichment::default()
            },
        }
    }

    fn rules() -> Grouping {
        let mut g = Grouping::default();
        let at = Utc::now();
        for t in [
            Target::Device(DeviceTarget::Address(ip("192.0.2.10"))),
            Target::domain("secret.example").unwrap(),
        ] {
            g.add(Rule::new(t, RuleAction::Hide, at).unwrap()).unwrap();
        }
        g
    }

    fn text<T: Serialize>(s: &Shown<'_, T>) -> String {
        serde_json::to_string(s).unwrap()
    }

    #[test]
    fn hidden_devices_and_domains_leave_flows_and_answers_with_counters_kept() {
        let g = rules();
        let ana = DeviceIdentity::Address(ip("192.0.2.10"));
        let ben = DeviceIdentity::Address(ip("192.0.2.11"));
        let other = DeviceIdentity::Address(ip("192.0.2.12"));
        let c = Censor::new(&g, |_| Vec::new(), other);

        let f = flow("192.0.2.10", "www.video.example", &[]);
        let shown = text(&c.flow(ana, &f));
        assert!(!shown.contains("192.0.2.10"), "{shown}");
        assert!(shown.contains("\"device_hidden\":true"), "{shown}");
        assert!(shown.contains("www.video.example"), "what stays: {shown}");
        assert!(shown.contains("\"bytes_down\":20"), "{shown}");

        let f = flow("192.0.2.11", "cdn.secret.example", &[]);
        let shown = text(&c.flow(ben, &f));
        for gone in ["secret", "Secret", "SECRET", "203.0.113.10"] {
            assert!(!shown.contains(gone), "{gone}: {shown}");
        }
        assert!(shown.contains("192.0.2.11") && shown.contains("\"bytes_up\":10"));
        assert!(shown.contains("\"domain_hidden\":true"), "{shown}");

        // A hidden name among the candidates of a visible flow is left out.
        let f = flow(
            "192.0.2.11",
            "www.video.example",
            &["secret.example", "b.example"],
        );
        let shown = text(&c.flow(ben, &f));
        assert!(
            !shown.contains("secret") && shown.contains("b.example"),
            "{shown}"
        );

        // Answers: by name or by a name of the CNAME chain.
        let mut a = DnsLogEntry {
            device_ip: DeviceId(ip("192.0.2.11")),
            name: Domain::new("www.shop.example").unwrap(),
            qtype: "A".into(),
            rcode: "NOERROR".into(),
            chain: vec![Domain::new("edge.secret.example").unwrap()],
            addrs: vec![ip("203.0.113.10")],
            ttl: 60,
            at: Utc::now(),
            blocked: false,
            repeats: 1,
        };
        let shown = text(&c.answer(ben, &a));
        assert!(
            !shown.contains("secret") && !shown.contains("shop"),
            "{shown}"
        );
        a.chain.clear();
        assert!(matches!(c.answer(ben, &a), Shown::AsIs(_)));
        a.device_ip = DeviceId(ip("192.0.2.10"));
        let shown = text(&c.answer(ana, &a));
        assert!(
            !shown.contains("192.0.2.10") && shown.contains("shop"),
            "{shown}"
        );

        // The owner and the admin see everything.
        let own = Censor::new(&g, |_| Vec::new(), ana);
        assert!(matches!(own.answer(ana, &a), Shown::AsIs(_)));
        let f = flow("192.0.2.11", "cdn.secret.example", &[]);
        assert!(matches!(Censor::nothing().flow(ben, &f), Shown::AsIs(_)));
    }

    #[test]
    fn alerts_about_hidden_things_lose_their_details() {
        let g = rules();
        let ana = DeviceIdentity::Address(ip("192.0.2.10"));
        let c = Censor::new(
            &g,
            |_| Vec::new(),
            DeviceIdentity::Address(ip("192.0.2.12")),
        );
        let a = Arc::new(Alert {
            id: 1,
            kind: crate::model::AlertKind::Upload,
            rule: "upload.bytes".into(),
            device_ip: Some(DeviceId(ip("192.0.2.11"))),
            remote_ip: Some(ip("203.0.113.10")),
            domain: Some(Domain::new("files.secret.example").unwrap()),
            first_seen: Utc::now(),
            last_seen: Utc::now(),
            count: 2,
            message: "192.0.2.11 sent 1 MB to files.secret.example".into(),
            words: None,
        });
        let shown = c.alert(Some(DeviceIdentity::Address(ip("192.0.2.11"))), &a);
        assert_eq!((shown.domain.clone(), shown.remote_ip), (None, None));
        assert_eq!(shown.message, HIDDEN_ALERT_MESSAGE);
        assert_eq!(shown.count, 2);
        let about_ana = Arc::new(Alert {
            device_ip: Some(DeviceId(ip("192.0.2.10"))),
            domain: None,
            message: "192.0.2.10 scanned 40 ports".into(),
            words: None,
            ..Alert::clone(&a)
        });
        let shown = c.alert(Some(ana), &about_ana);
        assert_eq!(shown.device_ip, None);
        assert!(!serde_json::to_string(&*shown)
            .unwrap()
            .contains("192.0.2.10"));
        let own = Censor::new(&g, |_| Vec::new(), ana);
        assert!(Arc::ptr_eq(&own.alert(Some(ana), &about_ana), &about_ana));
    }
}
