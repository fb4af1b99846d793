//! Alerts: what the detectors found, deduplicated, rate-limited and kept in a bounded book.
//!
//! A detector reports a [`Finding`]; the rules ([`super::rules`]) may ignore it; what is left
//! goes to the [`AlertBook`]:
//!
//! - **One alert per rule, device and window.** A finding whose rule and device (for findings
//!   about no device, the outside host) already have an alert that began less than
//!   `detect.alert_window_secs` ago is folded into it: its `count` grows and `last_seen`
//!   moves, nothing new is announced. After the window the next finding opens a new alert.
//! - **Rate limit.** At most `detect.max_alerts_per_minute` new alerts a minute in all (a
//!   flood of spoofed sources must not flood the page, the store or the webhook); findings
//!   beyond it are counted, not kept.
//! - **Bounded.** At most `detect.max_alerts` alerts are kept; the oldest go first.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
use std::net::IpAddr;
use std::sync::Arc;

use chrono::{DateTime, Utc};

use crate::model::{Alert, AlertKind, AlertWords, Category, DeviceId, Domain};

/// What a detector found. Not yet an alert: rules may ignore it, the book may fold it into an
/// earlier one.
#[derive(Clone, Debug, PartialEq)]
pub struct Finding {
    /// What sort of thing it is.
    pub kind: AlertKind,
    /// The detector's rule that fired (`"upload.sudden"`) or, for deny lists, the list rule's
    /// name (`"deny_list.countries"`). Alerts are deduplicated per rule and device.
    pub rule: Cow<'static, str>,
    /// The device concerned (`None`: an outside host, or a device not known by address).
    pub device: Option<DeviceId>,
    /// The other side: the destination, the probed or probing host.
    pub remote_ip: Option<IpAddr>,
    /// The domain concerned (the flow's name, or the registrable domain looked up).
    pub domain: Option<Domain>,
    /// What happened, in plain words.
    pub message: String,
    /// The same as a catalogue message, for the pages' languages (see [`AlertWords`]).
    pub words: Option<AlertWords>,
    /// The destination's organization (rules match on it).
    pub org: Option<Arc<str>>,
    /// The destination's country, ISO 3166 alpha-2 (rules match on it).
    pub country: Option<String>,
    /// The destination's category (rules match on it).
    pub category: Option<Category>,
    /// The destination port (rules match on it).
    pub port: Option<u16>,
}

impl Finding {
    /// A finding with only kind, rule and message set.
    pub fn new(kind: AlertKind, rule: impl Into<Cow<'static, str>>, message: String) -> Self {
        Finding {
            kind,
            rule: rule.into(),
            device: None,
            remote_ip: None,
            domain: None,
            message,
            words: None,
            org: None,
            country: None,
            category: None,
            port: None,
        }
    }

    /// Who the alert is per: the device, else the outside host.
    fn subject(&self) -> Option<IpAddr> {
        self.device.map(DeviceId::ip).or(self.remote_ip)
    }
}

/// What [`AlertBook::record`] did with a finding.
#[derive(Clone, Debug, PartialEq)]
pub enum Recorded {
    /// A new alert.
    New(Arc<Alert>),
    /// Folded into an alert of the same rule and device within its window.
    Repeat(Arc<Alert>),
    /// Too many new alerts this minute: counted and dropped.
    RateLimited,
}

/// Recent alerts, bounded, with the dedup and rate-limit state.
pub struct AlertBook {
    by_id: BTreeMap<u64, Arc<Alert>>,
    /// The alert each (rule, subject) folds into while its window lasts.
    open: HashMap<(String, Option<IpAddr>), u64>,
    next_id: u64,
    window: chrono::Duration,
    max: usize,
    per_minute: u32,
    minute: Option<(DateTime<Utc>, u32)>,
}

impl AlertBook {
    /// An empty book: alerts of one rule and device fold together for `window`; at most
    /// `max` kept and `per_minute` new ones a minute.
    pub fn new(window: std::time::Duration, max: usize, per_minute: u32) -> Self {
        AlertBook {
            by_id: BTreeMap::new(),
            open: HashMap::new(),
            next_id: 1,
            window: chrono::Duration::from_std(window).unwrap_or(chrono::Duration::MAX),
            max: max.max(1),
            per_minute,
            minute: None,
        }
    }

    /// Put back alerts saved before a restart (newest or oldest first, either), and continue
    /// ids after `max_id` (the largest id the store ever gave out).
    pub fn restore(&mut self, alerts: Vec<Alert>, max_id: u64, now: DateTime<Utc>) {
        for a in alerts {
            self.next_id = self.next_id.max(a.id + 1);
            if now - a.first_seen < self.window {
                let key = (
                    a.rule.clone(),
                    a.device_ip.map(DeviceId::ip).or(a.remote_ip),
                );
                let keep = self.open.get(&key).is_none_or(|&id| id < a.id);
                if keep {
                    self.open.insert(key, a.id);
                }
            }
            self.by_id.insert(a.id, Arc::new(a));
        }
        self.next_id = self.next_id.max(max_id + 1);
        self.evict();
    }

    /// Record a finding made at `now`.
    pub fn record(&mut self, f: Finding, now: DateTime<Utc>) -> Recorded {
        let subject = f.subject();
        let key = (f.rule.into_owned(), subject);
        let window = self.window;
        if let Some(&id) = self.open.get(&key) {
            if let Some(a) = self
                .by_id
                .get_mut(&id)
                .filter(|a| now - a.first_seen < window)
            {
                let m = Arc::make_mut(a);
                m.count += 1;
                m.last_seen = m.last_seen.max(now);
                return Recorded::Repeat(Arc::clone(a));
            }
        }
        // A new alert: within this minute's allowance?
        match &mut self.minute {
            Some((start, n)) if now - *start < chrono::Duration::seconds(60) => {
                if *n >= self.per_minute {
                    return Recorded::RateLimited;
                }
                *n += 1;
            }
            m => *m = Some((now, 1)),
        }
        let id = self.next_id;
        self.next_id += 1;
        let alert = Arc::new(Alert {
            id,
            kind: f.kind,
            rule: key.0.clone(),
            device_ip: f.device,
            remote_ip: f.remote_ip,
            domain: f.domain,
            first_seen: now,
            last_seen: now,
            count: 1,
            message: f.message,
            words: f.words,
        });
        self.open.insert(key, id);
        self.by_id.insert(id, Arc::clone(&alert));
        self.evict();
        Recorded::New(alert)
    }

    /// Drop alerts beyond the bound (oldest first) and dedup entries whose window is over.
    fn evict(&mut self) {
        while self.by_id.len() > self.max {
            self.by_id.pop_first();
        }
        if self.open.len() > self.by_id.len() {
            let by_id = &self.by_id;
            self.open.retain(|_, id| by_id.contains_key(id));
        }
    }

    /// Forget dedup entries whose window is over (call now and then).
    pub fn prune(&mut self, now: DateTime<Utc>) {
        let (by_id, window) = (&self.by_id, self.window);
        self.open
            .retain(|_, id| by_id.get(id).is_some_and(|a| now - a.first_seen < window));
    }

    /// One alert by id.
    pub fn get(&self, id: u64) -> Option<&Arc<Alert>> {
        self.by_id.get(&id)
    }

    /// Alerts about `device` (all when `None`), most recently seen first, at most `limit`.
    pub fn list(&self, device: Option<DeviceId>, limit: usize) -> Vec<Arc<Alert>> {
        let mut out: Vec<Arc<Alert>> = self
            .by_id
            .values()
            .filter(|a| device.is_none() || a.device_ip == device)
            .cloned()
            .collect();
        out.sort_by(|a, b| b.last_seen.cmp(&a.last_seen).then(b.id.cmp(&a.id)));
        out.truncate(limit);
        out
    }

    /// How many alerts are kept, per kind (every kind listed, in [`AlertKind::ALL`]'s order).
    pub fn count_by_kind(&self) -> [(AlertKind, usize); AlertKind::ALL.len()] {
        let mut counts = AlertKind::ALL.map(|k| (k, 0));
        for a in self.by_id.values() {
            if let Some(c) = counts.iter_mut().find(|(k, _)| *k == a.kind) {
                c.1 += 1;
            }
        }
        counts
    }

    /// How many alerts are kept.
    pub fn len(&self) -> usize {
        self.by_id.len()
    }

    /// No alert kept.
    pub fn is_empty(&self) -> bool {
        self.by_id.is_empty()
    }

    /// Drop every alert (a new session begins); ids continue.
    pub fn clear(&mut self) {
        self.by_id.clear();
        self.open.clear();
        self.minute = None;
    }

    /// Drop every alert about a device ("forget my device"); returns how many.
    pub fn forget_device(&mut self, device: DeviceId) -> usize {
        let before = self.by_id.len();
        self.by_id.retain(|_, a| a.device_ip != Some(device));
        self.open.retain(|k, _| k.1 != Some(device.ip()));
        before - self.by_id.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn at(s: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_794_000_000 + s, 0).unwrap()
    }

    fn finding(rule: &'static str, dev: &str) -> Finding {
        let mut f = Finding::new(AlertKind::Scan, rule, format!("{rule} by {dev}"));
        f.device = Some(DeviceId(dev.parse().unwrap()));
        f
    }

    #[test]
    fn kinds_round_trip() {
        for k in AlertKind::ALL {
            assert_eq!(k.as_str().parse::<AlertKind>().unwrap(), k);
            assert_eq!(
                serde_json::to_string(&k).unwrap(),
                format!("\"{}\"", k.as_str())
            );
        }
        assert!("tunnel".parse::<AlertKind>().is_err());
    }

    /// Table: (second, rule, device, expected outcome) with a 600 s window.
    #[test]
    fn one_alert_per_rule_device_and_window() {
        let mut book = AlertBook::new(Duration::from_secs(600), 100, 100);
        let cases: &[(i64, &'static str, &str, &str)] = &[
            (0, "scan.ports", "192.0.2.10", "new"),
            (5, "scan.ports", "192.0.2.10", "repeat"),
            (5, "scan.ports", "192.0.2.11", "new"), // another device
            (6, "scan.hosts", "192.0.2.10", "new"), // another rule
            (599, "scan.ports", "192.0.2.10", "repeat"),
            (600, "scan.ports", "192.0.2.10", "new"), // window over
            (601, "scan.ports", "192.0.2.10", "repeat"),
        ];
        for &(s, rule, dev, want) in cases {
            let got = match book.record(finding(rule, dev), at(s)) {
                Recorded::New(_) => "new",
                Recorded::Repeat(_) => "repeat",
                Recorded::RateLimited => "limited",
            };
            assert_eq!(got, want, "{s} {rule} {dev}");
        }
        let all = book.list(None, 10);
        assert_eq!(all.len(), 4);
        let first = book.get(1).unwrap();
        assert_eq!((first.count, first.last_seen), (3, at(599)));
        assert_eq!(book.get(4).unwrap().count, 2);
        let dev11 = book.list(Some(DeviceId("192.0.2.11".parse().unwrap())), 10);
        assert_eq!(dev11.len(), 1);
    }

    #[test]
    fn rate_limit_and_bound() {
        let mut book = AlertBook::new(Duration::from_secs(600), 5, 3);
        let mut outcomes = Vec::new();
        for i in 0..5 {
            let dev = format!("192.0.2.{}", 10 + i);
            let f = finding("scan.ports", Box::leak(dev.into_boxed_str()));
            outcomes.push(matches!(book.record(f, at(i)), Recorded::New(_)));
        }
        assert_eq!(outcomes, [true, true, true, false, false]);
        // Next minute: allowed again; the book keeps at most 5.
        for i in 0..6 {
            let dev = format!("192.0.2.{}", 100 + i);
            let f = finding("scan.ports", Box::leak(dev.into_boxed_str()));
            book.record(f, at(60 * (i + 1)));
        }
        assert_eq!(book.len(), 5);
        assert!(book.get(1).is_none(), "oldest evicted");
    }

    #[test]
    fn restore_continues_ids_and_windows() {
        let mut book = AlertBook::new(Duration::from_secs(600), 100, 100);
        let saved = Alert {
            id: 41,
            kind: AlertKind::Scan,
            rule: "scan.ports".into(),
            device_ip: Some(DeviceId("192.0.2.10".parse().unwrap())),
            remote_ip: None,
            domain: None,
            first_seen: at(0),
            last_seen: at(10),
            count: 2,
            message: "m".into(),
            words: None,
        };
        book.restore(vec![saved], 57, at(20));
        // Same rule and device within the window: folded into the restored alert.
        match book.record(finding("scan.ports", "192.0.2.10"), at(30)) {
            Recorded::Repeat(a) => assert_eq!((a.id, a.count), (41, 3)),
            other => panic!("{other:?}"),
        }
        match book.record(finding("scan.hosts", "192.0.2.10"), at(30)) {
            Recorded::New(a) => assert_eq!(a.id, 58),
            other => panic!("{other:?}"),
        }
        assert_eq!(
            book.forget_device(DeviceId("192.0.2.10".parse().unwrap())),
            2
        );
        assert!(book.is_empty());
    }
}
