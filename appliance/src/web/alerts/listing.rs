//! What the pages and the API show of an alert: the alerts listed with their device's name
//! ([`Listed`], [`listing`]), the temporary ignores made from them, and one alert formatted
//! for a page ([`AlertRow`]: the `/alerts` page, the device's own page).

use std::collections::HashMap;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::devices::name::NameWords;
use crate::devices::DeviceName;
use crate::group_view::Censor;
use crate::i18n::{Clock, Tr};
use crate::model::{Alert, AlertKind, DeviceId};
use crate::web::page::kind_icon;
use crate::web::AppState;

/// When, as the pages show it on the reader's `clock` in the language of `tr`: the time for
/// today (the reader's day), else the date too.
pub fn alert_time(clock: Clock, tr: Tr, t: DateTime<Utc>, now: DateTime<Utc>) -> String {
    if clock.day(t) == clock.day(now) {
        clock.time_secs(t)
    } else {
        clock.date_time(tr, t)
    }
}

/// "once", "2 times" in the language of `tr`.
pub fn count_words(tr: Tr, n: u64) -> String {
    tr.tn("alert-count", "n", n)
}

/// What happened, in the language of `tr` when the detector gave the words for it
/// ([`crate::model::AlertWords`]), else the alert's English message.
pub fn message(a: &Alert, tr: Tr) -> String {
    match &a.words {
        Some(w) => tr.said(&format!("alert-msg-{}", w.id), &w.args),
        None => a.message.clone(),
    }
}

/// One alert as the pages show it.
#[derive(Clone, Debug, PartialEq)]
pub struct AlertRow {
    /// The alert's id.
    pub id: u64,
    /// Kind id (`upload`, ...), for CSS and filters.
    pub kind: &'static str,
    /// The kind in plain words.
    pub label: String,
    /// The kind's symbol.
    pub icon: &'static str,
    /// The device's address (empty for an outside host), for the scripts only.
    pub device_ip: String,
    /// How the views name the device, or "An outside host".
    pub device_name: String,
    /// The other side: "name (address)", the name, the address, or empty.
    pub remote: String,
    /// First finding, RFC 3339 and as shown.
    pub first_iso: String,
    /// First finding as shown.
    pub first_time: String,
    /// Latest finding, RFC 3339.
    pub last_iso: String,
    /// Latest finding as shown.
    pub last_time: String,
    /// Findings folded in.
    pub count: u64,
    /// "once", "3 times".
    pub count_words: String,
    /// What happened, in plain words.
    pub message: String,
    /// An admin's temporary ignore made from this alert is in force until then (as shown).
    pub ignored_until: Option<String>,
}

impl AlertRow {
    /// Format `l` for a page rendered at `now` in the language of `tr`.
    pub fn new(
        l: &Listed,
        now: DateTime<Utc>,
        ignored_until: Option<DateTime<Utc>>,
        tr: Tr,
    ) -> Self {
        let a = &l.alert;
        let clock = crate::web::language::current().clock;
        let iso = |t: DateTime<Utc>| t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
        let remote = match (&a.domain, a.remote_ip) {
            (Some(d), Some(ip)) => format!("{d} ({ip})"),
            (Some(d), None) => d.to_string(),
            (None, Some(ip)) => ip.to_string(),
            (None, None) => String::new(),
        };
        AlertRow {
            id: a.id,
            kind: a.kind.as_str(),
            label: tr.t(&format!("alert-kind-{}", a.kind.as_str())),
            icon: kind_icon(a.kind),
            device_ip: a.device_ip.map(|d| d.to_string()).unwrap_or_default(),
            device_name: l
                .device_name
                .as_ref()
                .map_or_else(|| tr.t("alert-outside-host"), |n| n.say(tr)),
            remote,
            first_iso: iso(a.first_seen),
            first_time: alert_time(clock, tr, a.first_seen, now),
            last_iso: iso(a.last_seen),
            last_time: alert_time(clock, tr, a.last_seen, now),
            count: a.count,
            count_words: count_words(tr, a.count),
            message: message(a, tr),
            ignored_until: ignored_until.map(|t| alert_time(clock, tr, t, now)),
        }
    }
}

/// An alert as listed: the alert and how the views name its device.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Listed {
    /// The alert.
    #[serde(flatten)]
    pub alert: Arc<Alert>,
    /// How the views name its device (never a MAC address), English in the JSON; `None`
    /// for an outside host.
    pub device_name: Option<DeviceName>,
    /// `device_name` as a message of `views.ftl` when the appliance made it up ("Hidden
    /// device"), so the scripts can say it in their language.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub device_name_words: Option<NameWords>,
}

/// The alerts about `device` (all when `None`) of `kind` (any when `None`), most recently
/// seen first, at most `limit`, and how many there are in all; `None` when the detectors are
/// off. `device` stands for every address of the device behind it. The caller has applied
/// privacy mode (`Viewer::restrict`); `censor` applies the teacher's rules (a hidden device
/// asked for by name lists nothing: its alerts would say whose the hidden ones are).
pub fn listing(
    app: &AppState,
    censor: &Censor,
    device: Option<DeviceId>,
    kind: Option<AlertKind>,
    limit: usize,
) -> Option<(Vec<Listed>, usize)> {
    let detect = app.detect.as_ref()?;
    if let Some(d) = device {
        if !censor.hides_nothing() && censor.hides_device(app.devices.identity(d.ip()), d) {
            return Some((Vec::new(), 0));
        }
    }
    let mut alerts = match device {
        None => detect.alerts.read().list(None, usize::MAX),
        // One device across its addresses: the alerts about any of them.
        Some(d) => {
            let all = detect.alerts.read().list(None, usize::MAX);
            let want = app.devices.identity(d.ip());
            let ids = app
                .devices
                .identities(all.iter().map(|a| a.device_ip.map_or(d.ip(), |x| x.ip())));
            all.into_iter()
                .zip(ids)
                .filter(|(a, id)| a.device_ip.is_some() && *id == want)
                .map(|(a, _)| a)
                .collect()
        }
    };
    alerts.retain(|a| kind.is_none_or(|k| a.kind == k));
    let total = alerts.len();
    alerts.truncate(limit);
    let listed = alerts
        .into_iter()
        .map(|a| {
            let id = a.device_ip.map(|d| app.devices.identity(d.ip()));
            let device_name = a.device_ip.map(|d| app.device_name_of(d));
            Listed {
                device_name_words: device_name.as_ref().and_then(DeviceName::words),
                device_name,
                alert: if censor.hides_nothing() {
                    a
                } else {
                    censor.alert(id, &a)
                },
            }
        })
        .collect();
    Some((listed, total))
}

/// The temporary ignores in force that were made from an alert: alert id -> until when.
pub fn ignored_alerts(app: &AppState, now: DateTime<Utc>) -> HashMap<u64, DateTime<Utc>> {
    let mut out: HashMap<u64, DateTime<Utc>> = HashMap::new();
    if let Some(detect) = &app.detect {
        for t in detect.ignores.lock().active(now) {
            if let Some(id) = t.alert_id {
                let until = out.entry(id).or_insert(t.expires);
                *until = (*until).max(t.expires);
            }
        }
    }
    out
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use chrono::TimeZone;
    use std::net::IpAddr;

    /// A formatted alert for page tests.
    pub(crate) fn row(
        id: u64,
        kind: AlertKind,
        device: Option<&str>,
        ignored: Option<&str>,
    ) -> AlertRow {
        AlertRow {
            id,
            kind: kind.as_str(),
            label: Tr::new(crate::i18n::Lang::En).t(&format!("alert-kind-{}", kind.as_str())),
            icon: kind_icon(kind),
            device_ip: device.map(|_| "192.0.2.10".to_string()).unwrap_or_default(),
            device_name: device.unwrap_or("An outside host").to_string(),
            remote: "files.example.test (203.0.113.20)".into(),
            first_iso: "2026-11-21T10:02:03.120Z".into(),
            first_time: "10:02:03".into(),
            last_iso: "2026-11-21T10:04:41.002Z".into(),
            last_time: "10:04:41".into(),
            count: 3,
            count_words: "3 times".into(),
            message: "192.0.2.10 sent 150 KB to <files>.example.test".into(),
            ignored_until: ignored.map(str::to_string),
        }
    }

    fn at(h: u32, m: u32, s: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 21, h, m, s)
            .single()
            .unwrap_or_default()
    }

    fn alert(
        kind: AlertKind,
        device: Option<&str>,
        domain: Option<&str>,
        remote: Option<&str>,
    ) -> Alert {
        Alert {
            id: 12,
            kind,
            rule: "upload.sudden".into(),
            device_ip: device.map(|d| DeviceId(d.parse().unwrap_or(IpAddr::from([0, 0, 0, 0])))),
            remote_ip: remote.and_then(|r| r.parse().ok()),
            domain: domain.and_then(|d| crate::model::Domain::new(d).ok()),
            first_seen: at(10, 2, 3),
            last_seen: at(10, 4, 41),
            count: 3,
            message: "192.0.2.10 sent 150 KB to files.example.test.".into(),
            words: None,
        }
    }

    #[test]
    fn times_and_counts_read_plainly() {
        let en = Tr::new(crate::i18n::Lang::En);
        let utc = Clock::utc();
        assert_eq!(
            alert_time(utc, en, at(10, 2, 3), at(23, 59, 0)),
            "10:02:03 UTC"
        );
        let yesterday = at(10, 2, 3) - chrono::Duration::days(1);
        assert_eq!(
            alert_time(utc, en, yesterday, at(9, 0, 0)),
            "2026-11-20 10:02 UTC"
        );
        // In Berlin, 23:59 UTC is tomorrow already: the date is said.
        let berlin = Clock::from_minutes_east("60").unwrap();
        assert_eq!(
            alert_time(
                berlin,
                Tr::new(crate::i18n::Lang::De),
                at(10, 2, 3),
                at(23, 59, 0)
            ),
            "21.11.2026, 11:02"
        );
        assert_eq!(
            alert_time(berlin, en, at(10, 2, 3), at(20, 0, 0)),
            "11:02:03"
        );
        let en = Tr::new(crate::i18n::Lang::En);
        assert_eq!(count_words(en, 1), "once");
        assert_eq!(count_words(en, 3), "3 times");
        let de = Tr::new(crate::i18n::Lang::De);
        assert_eq!(count_words(de, 3), "3-mal");
    }

    #[test]
    fn a_row_names_the_device_and_the_other_side() {
        let l = Listed {
            alert: Arc::new(alert(
                AlertKind::Upload,
                Some("192.0.2.10"),
                Some("files.example.test"),
                Some("203.0.113.20"),
            )),
            device_name: Some("Anna's phone".into()),
            device_name_words: None,
        };
        let en = Tr::new(crate::i18n::Lang::En);
        let r = AlertRow::new(&l, at(11, 0, 0), Some(at(12, 0, 0)), en);
        assert_eq!(r.kind, "upload");
        assert_eq!(r.label, "Large upload");
        assert_eq!(r.device_name, "Anna's phone");
        assert_eq!(r.device_ip, "192.0.2.10");
        assert_eq!(r.remote, "files.example.test (203.0.113.20)");
        assert_eq!(r.first_time, "10:02:03 UTC");
        assert_eq!(r.last_time, "10:04:41 UTC");
        assert_eq!(r.last_iso, "2026-11-21T10:04:41.000Z");
        assert_eq!(r.count_words, "3 times");
        assert_eq!(r.ignored_until.as_deref(), Some("12:00:00 UTC"));

        let outside = Listed {
            alert: Arc::new(alert(AlertKind::Scan, None, None, Some("198.51.100.7"))),
            device_name: None,
            device_name_words: None,
        };
        let r = AlertRow::new(&outside, at(11, 0, 0), None, en);
        assert_eq!(r.device_name, "An outside host");
        let fr = AlertRow::new(&outside, at(11, 0, 0), None, Tr::new(crate::i18n::Lang::Fr));
        assert_eq!(fr.device_name, "Un hôte extérieur");
        assert_eq!(fr.label, "Balayage");
        assert_eq!(r.device_ip, "");
        assert_eq!(r.remote, "198.51.100.7");
        assert_eq!(r.ignored_until, None);
    }

    #[test]
    fn a_detectors_words_are_said_in_the_pages_language() {
        let mut a = alert(AlertKind::Upload, Some("192.0.2.10"), None, None);
        assert_eq!(message(&a, Tr::new(crate::i18n::Lang::De)), a.message);
        a.words = Some(crate::model::AlertWords::new(
            "upload-sudden",
            [
                ("device", "192.0.2.10".to_string()),
                ("bytes", "150 KB".to_string()),
                ("to", "files.example.test (203.0.113.20)".to_string()),
                ("seconds", "10".to_string()),
            ],
        ));
        let fr = message(&a, Tr::new(crate::i18n::Lang::Fr));
        assert!(
            fr.starts_with(
                "192.0.2.10 a envoyé 150 KB à files.example.test (203.0.113.20) en 10 secondes"
            ),
            "{fr}"
        );
        let en = message(&a, Tr::new(crate::i18n::Lang::En));
        assert!(en.starts_with("192.0.2.10 sent 150 KB to"), "{en}");
        // The scan and spoofing sentences choose their words by their arguments.
        a.words = Some(crate::model::AlertWords::new(
            "scan-ports",
            [
                ("who", "198.51.100.7".to_string()),
                ("outside", "yes".to_string()),
                ("how", "connection".to_string()),
                ("probes", "SYN".to_string()),
                ("seconds", "10".to_string()),
                ("ports", "40".to_string()),
                ("target", "192.0.2.1".to_string()),
            ],
        ));
        let de = message(&a, Tr::new(crate::i18n::Lang::De));
        assert_eq!(
            de,
            "Ein Rechner von außen (198.51.100.7) hat innerhalb von 10 Sekunden 40 verschiedene \
             Ports auf 192.0.2.1 ausprobiert (Verbindungsversuche, ein SYN- oder Connect-Scan): \
             Ein Portscan sucht nach Diensten, in die man einbrechen kann."
        );
        a.words = Some(crate::model::AlertWords::new(
            "spoofing-conflict",
            [
                ("address", "192.0.2.10".to_string()),
                ("other", "no".to_string()),
                ("device", String::new()),
                ("seconds", "3".to_string()),
            ],
        ));
        let en = message(&a, Tr::new(crate::i18n::Lang::En));
        assert!(
            en.starts_with("Two devices claim the address 192.0.2.10: another network card took it over 3 seconds"),
            "{en}"
        );
        a.words = Some(crate::model::AlertWords::new(
            "upload-sudden",
            [
                ("device", "192.0.2.10".to_string()),
                ("bytes", "150 KB".to_string()),
                ("to", "files.example.test (203.0.113.20)".to_string()),
                ("seconds", "10".to_string()),
            ],
        ));
        let v = serde_json::to_value(&a).unwrap_or_default();
        assert_eq!(v["words"]["id"], "upload-sudden");
        assert_eq!(v["words"]["args"]["seconds"], "10");
    }

    #[test]
    fn listed_alerts_serialise_flat_with_the_device_name() {
        let l = Listed {
            alert: Arc::new(alert(AlertKind::Upload, Some("192.0.2.10"), None, None)),
            device_name: Some("Anna's phone".into()),
            device_name_words: None,
        };
        let v = serde_json::to_value(&l).unwrap_or_default();
        assert_eq!(v["id"], 12);
        assert_eq!(v["kind"], "upload");
        assert_eq!(v["device_ip"], "192.0.2.10");
        assert_eq!(v["device_name"], "Anna's phone");
    }
}
