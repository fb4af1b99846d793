//! What the "my device" page and `GET /api/v1/me` show ([`MeView`]): the device's session
//! paths grouped by organization and country, and the names it looked up.

use std::collections::{BTreeSet, HashMap};
use std::net::IpAddr;
use std::sync::Arc;

use serde::Serialize;

use crate::correlate::{paths, PathQuery, PathRow};
use crate::devices::name::NameWords;
use crate::devices::DeviceName;
use crate::enrich::Enricher;
use crate::model::{DeviceId, DnsLogEntry};
use crate::web::alerts::listing::{listing, Listed};
use crate::web::AppState;

/// Most DNS answers the timeline shows (the live log keeps `correlate.max_answers_per_device`).
const TIMELINE_MAX: usize = 200;
/// Most alerts the page lists (the alerts page has them all).
pub const ALERTS_MAX: usize = 50;

/// One organization the device talked to.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct OrgRow {
    /// Organization name.
    pub org: String,
    /// Category id (`advertising`, ...), if known.
    pub category: Option<&'static str>,
    /// The category's plain-words label.
    pub category_label: Option<&'static str>,
    /// Advertising or tracking.
    pub tracker: bool,
    /// Countries its servers were in (alpha-2 codes).
    pub countries: Vec<String>,
    /// Bytes the device sent to it.
    pub bytes_up: u64,
    /// Bytes the device received from it.
    pub bytes_down: u64,
    /// Connections.
    pub connections: u64,
}

/// One country the device's data went to.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CountryRow {
    /// ISO 3166 alpha-2 code.
    pub code: String,
    /// English name.
    pub name: String,
    /// Bytes both ways.
    pub bytes: u64,
    /// Connections.
    pub connections: u64,
}

/// One name the device looked up.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TimelineRow {
    /// When (RFC 3339).
    pub at_iso: String,
    /// When, as a clock time (UTC, `HH:MM:SS`).
    pub at_time: String,
    /// The name asked for.
    pub name: String,
    /// Its registrable domain.
    pub registrable: Option<String>,
    /// Its organization, when the lists know it.
    pub org: Option<String>,
    /// A tracker or ad server.
    pub tracker: bool,
    /// The appliance answered 0.0.0.0 / :: instead (tracker blocking was on).
    pub blocked: bool,
}

/// Everything the "my device" page shows.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct MeView {
    /// The device's address.
    pub ip: String,
    /// Every address of the device (the one asking included), preferred first: one device
    /// across IPv4 and its IPv6 addresses.
    pub addresses: Vec<IpAddr>,
    /// Seen at all this session (a DNS answer or a flow).
    pub known: bool,
    /// Its own name for itself (nickname, else DHCP host name, vendor or address tail),
    /// English in the JSON; `name_words` says a made-up one in the reader's language.
    pub name: DeviceName,
    /// `name` as a message of `views.ftl` when the appliance made it up ("Device .10").
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name_words: Option<NameWords>,
    /// Its pseudonym for the session ("Blue Otter", the stable English form): "You are Blue
    /// Otter".
    pub pseudonym: String,
    /// `pseudonym` as a message of `views.ftl` (`pseudonym`, colour and animal ids), said in
    /// the reader's language ("Blauer Otter").
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pseudonym_words: Option<NameWords>,
    /// The pseudonym's emoji ("🦦").
    pub emoji: String,
    /// What the group views (the big screen) call it: the nickname, else the pseudonym (or
    /// the host name with `web.group_names = "hostname"`), or "Hidden device".
    pub group_name: DeviceName,
    /// `group_name` as a message of `views.ftl` when it is "Hidden device".
    #[serde(skip_serializing_if = "Option::is_none")]
    pub group_name_words: Option<NameWords>,
    /// The nickname its owner set.
    pub nickname: Option<String>,
    /// The teacher locked the nickname: its owner cannot change it this session.
    pub nickname_locked: bool,
    /// Its DHCP host name.
    pub hostname: Option<String>,
    /// Its maker, from the MAC address.
    pub vendor: Option<String>,
    /// Its MAC address is randomised (private WiFi address), so no maker is known.
    pub randomised_mac: bool,
    /// Bytes sent this session.
    pub bytes_up: u64,
    /// Bytes received this session.
    pub bytes_down: u64,
    /// Distinct tracker and ad domains it talked to.
    pub trackers: usize,
    /// Organizations, most bytes first.
    pub orgs: Vec<OrgRow>,
    /// Countries, most bytes first.
    pub countries: Vec<CountryRow>,
    /// Names it looked up, newest first.
    pub timeline: Vec<TimelineRow>,
    /// Privacy mode is on (the page says others cannot see this).
    pub privacy: bool,
    /// The detectors run (`detect.enabled`).
    pub alerts_enabled: bool,
    /// The detectors' alerts about this device, most recently seen first, at most
    /// [`ALERTS_MAX`] (as in `/api/v1/alerts`).
    pub alerts: Vec<Listed>,
}

/// A country's English name from its alpha-2 code (the code itself when unknown).
pub fn country_name(code: &str) -> String {
    // The names people say, for the few whose formal names do not fit a phone screen.
    const SHORT: &[(&str, &str)] = &[
        ("GB", "United Kingdom"),
        ("US", "United States"),
        ("KR", "South Korea"),
        ("KP", "North Korea"),
    ];
    if let Some((_, n)) = SHORT.iter().find(|(c, _)| c.eq_ignore_ascii_case(code)) {
        return (*n).to_string();
    }
    celes::Country::from_alpha2(code)
        .map(|c| c.long_name.trim_start_matches("The ").to_string())
        .unwrap_or_else(|_| code.to_string())
}

/// What the device's session paths add up to.
#[derive(Default)]
struct Totals {
    up: u64,
    down: u64,
    orgs: HashMap<String, OrgRow>,
    countries: HashMap<String, CountryRow>,
    /// Distinct tracker and ad domains (registrable domains from the timeline too).
    tracker_domains: BTreeSet<String>,
}

impl Totals {
    fn of(rows: &[PathRow]) -> Totals {
        let mut t = Totals::default();
        for r in rows {
            t.add(r);
        }
        t
    }

    /// Count one path in its organization and its country.
    fn add(&mut self, r: &PathRow) {
        self.up += r.bytes_up;
        self.down += r.bytes_down;
        let org_name = r
            .org
            .as_deref()
            .map(str::to_string)
            .or_else(|| r.domain.as_ref().map(|d| d.to_string()))
            .unwrap_or_else(|| "Unknown (no DNS seen)".into());
        let o = self.orgs.entry(org_name.clone()).or_insert_with(|| OrgRow {
            org: org_name,
            category: r.category.map(|c| c.as_str()),
            category_label: r.category.map(|c| c.label()),
            tracker: false,
            countries: Vec::new(),
            bytes_up: 0,
            bytes_down: 0,
            connections: 0,
        });
        o.tracker |= r.tracker;
        o.bytes_up += r.bytes_up;
        o.bytes_down += r.bytes_down;
        o.connections += r.connections;
        if let Some(c) = &r.country {
            if !o.countries.contains(c) {
                o.countries.push(c.clone());
            }
            let cr = self
                .countries
                .entry(c.clone())
                .or_insert_with(|| CountryRow {
                    code: c.clone(),
                    name: country_name(c),
                    bytes: 0,
                    connections: 0,
                });
            cr.bytes += r.bytes_up + r.bytes_down;
            cr.connections += r.connections;
        }
        if r.tracker {
            if let Some(d) = &r.domain {
                self.tracker_domains.insert(d.to_string());
            }
        }
    }

    /// Organizations, most bytes first.
    fn orgs_by_bytes(&mut self) -> Vec<OrgRow> {
        let mut orgs: Vec<OrgRow> = std::mem::take(&mut self.orgs).into_values().collect();
        orgs.sort_by(|a, b| {
            (b.bytes_up + b.bytes_down)
                .cmp(&(a.bytes_up + a.bytes_down))
                .then_with(|| a.org.cmp(&b.org))
        });
        orgs
    }

    /// Countries, most bytes first.
    fn countries_by_bytes(&mut self) -> Vec<CountryRow> {
        let mut countries: Vec<CountryRow> =
            std::mem::take(&mut self.countries).into_values().collect();
        countries.sort_by(|a, b| b.bytes.cmp(&a.bytes).then_with(|| a.code.cmp(&b.code)));
        countries
    }
}

/// One DNS answer as the timeline shows it; a tracker's registrable domain goes into
/// `tracker_domains`.
fn timeline_row(
    a: &DnsLogEntry,
    enricher: &Enricher,
    tracker_domains: &mut BTreeSet<String>,
) -> TimelineRow {
    let addr = a
        .addrs
        .first()
        .copied()
        .unwrap_or(IpAddr::from([0, 0, 0, 0]));
    let e = enricher.flow(Some(&a.name), addr);
    if e.tracker {
        if let Some(d) = &e.registrable_domain {
            tracker_domains.insert(d.to_string());
        }
    }
    TimelineRow {
        at_iso: a.at.to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
        at_time: crate::web::language::current().clock.time_secs(a.at),
        name: a.name.to_string(),
        registrable: e.registrable_domain.map(|d| d.to_string()),
        // The org from a domain list only: an address-based org would be the
        // answer's network, not what the name is.
        org: e
            .org
            .filter(|_| e.category.is_some())
            .map(|o| Arc::<str>::clone(&o).to_string()),
        tracker: e.tracker,
        blocked: a.blocked,
    }
}

/// The names looked up, newest first, at most [`TIMELINE_MAX`].
fn timeline(
    answers: &[&DnsLogEntry],
    enricher: &Enricher,
    tracker_domains: &mut BTreeSet<String>,
) -> Vec<TimelineRow> {
    let mut timeline: Vec<TimelineRow> = answers
        .iter()
        .map(|a| timeline_row(a, enricher, tracker_domains))
        .collect();
    timeline.sort_by(|a, b| b.at_iso.cmp(&a.at_iso));
    timeline.truncate(TIMELINE_MAX);
    timeline
}

/// Build the view from the device's session paths and its DNS answers (pure; unit-tested).
pub fn build_view(
    device: DeviceId,
    name: DeviceName,
    rows: &[PathRow],
    answers: &[&DnsLogEntry],
    enricher: &Enricher,
    privacy: bool,
) -> MeView {
    let mut totals = Totals::of(rows);
    let timeline = timeline(answers, enricher, &mut totals.tracker_domains);
    MeView {
        ip: device.to_string(),
        addresses: vec![device.ip()],
        known: !rows.is_empty() || !answers.is_empty(),
        name_words: name.words(),
        name,
        pseudonym: String::new(),
        pseudonym_words: None,
        emoji: String::new(),
        group_name: DeviceName::Given(String::new()),
        group_name_words: None,
        nickname_locked: false,
        nickname: None,
        hostname: None,
        vendor: None,
        randomised_mac: false,
        bytes_up: totals.up,
        bytes_down: totals.down,
        trackers: totals.tracker_domains.len(),
        orgs: totals.orgs_by_bytes(),
        countries: totals.countries_by_bytes(),
        timeline,
        privacy,
        alerts_enabled: false,
        alerts: Vec::new(),
    }
}

/// The view of `device` from the live state.
pub fn me_view(app: &AppState, device: DeviceId) -> MeView {
    let query = PathQuery {
        since: None,
        device: Some(device),
        private_to: None,
        min_others: 0,
    };
    // One device across its addresses: its flows and answers from any of them.
    let same = paths::SameDevice(app.devices.representatives());
    let mine = same.of(device);
    let addresses: Vec<DeviceId> = std::iter::once(device)
        .chain(
            same.0
                .iter()
                .filter(|(_, rep)| DeviceId(**rep) == mine)
                .map(|(ip, _)| DeviceId(*ip)),
        )
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    let mut listed: Vec<IpAddr> = addresses.iter().map(|d| d.ip()).collect();
    listed.sort_by_key(|ip| (*ip != mine.ip(), ip.is_ipv6(), *ip));
    let live = app.live.read();
    // The device's own page is never censored for its owner.
    let rows = paths::aggregate(
        &live.paths,
        live.flows.iter(),
        &query,
        &same,
        &crate::group_view::Hidden::nothing(),
    );
    let answers: Vec<&DnsLogEntry> = addresses
        .iter()
        .flat_map(|d| live.dns.entries(Some(*d)))
        .collect();
    let mut view = build_view(
        device,
        DeviceName::Given(String::new()),
        &rows,
        &answers,
        &app.enricher,
        app.privacy,
    );
    drop(live);
    view.addresses = listed;
    let info = app.devices.describe(device.ip());
    // What the big screen shows, the teacher's rules applied (the page itself is not).
    view.group_name = app.device_name_of(device);
    view.group_name_words = view.group_name.words();
    view.nickname_locked = app
        .group_view
        .read()
        .locked(app.devices.identity(device.ip()));
    view.pseudonym = info.pseudonym.to_string();
    view.pseudonym_words = Some(info.pseudonym.words());
    view.emoji = info.emoji.to_owned();
    view.name_words = info.name.words();
    view.name = info.name;
    view.nickname = info.nickname;
    view.hostname = info.hostname;
    // The registry says "randomised" for a private WiFi address; the page says that its own way.
    view.vendor = info
        .vendor
        .filter(|_| !info.randomised_mac)
        .map(str::to_string);
    view.randomised_mac = info.randomised_mac;
    if let Some((alerts, _)) = listing(
        app,
        &crate::group_view::Censor::nothing(),
        Some(device),
        None,
        ALERTS_MAX,
    ) {
        view.alerts_enabled = true;
        view.alerts = alerts;
    }
    view
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::correlate::PathDevice;
    use crate::model::Category;
    use crate::model::Domain;
    use chrono::{TimeZone, Utc};

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap_or(IpAddr::from([0, 0, 0, 0]))
    }

    fn row(dom: &str, org: &str, country: &str, bytes: u64, tracker: bool) -> PathRow {
        PathRow {
            device: PathDevice::Device(DeviceId(ip("192.0.2.10"))),
            domain: Domain::new(dom).ok(),
            domain_hidden: false,
            org: Some(Arc::from(org)),
            country: Some(country.into()),
            city: None,
            lat: None,
            lon: None,
            category: Some(if tracker {
                Category::Advertising
            } else {
                Category::Other
            }),
            tracker,
            bytes_up: bytes / 4,
            bytes_down: bytes - bytes / 4,
            connections: 2,
            open: 0,
            last_seen: Utc
                .timestamp_opt(1_800_000_000, 0)
                .single()
                .unwrap_or_default(),
        }
    }

    #[test]
    fn orgs_countries_and_trackers_are_grouped() {
        let rows = vec![
            row("bbc.co.uk", "BBC", "GB", 1000, false),
            row("bbci.co.uk", "BBC", "GB", 500, false),
            row("doubleclick.net", "Google", "US", 300, true),
            row("googlesyndication.com", "Google", "IE", 100, true),
        ];
        let v = build_view(
            DeviceId(ip("192.0.2.10")),
            DeviceName::Given("Ana".into()),
            &rows,
            &[],
            &Enricher::without_data(),
            false,
        );
        assert!(v.known);
        assert_eq!(v.bytes_up + v.bytes_down, 1900);
        assert_eq!(v.orgs.len(), 2);
        assert_eq!(v.orgs[0].org, "BBC");
        assert_eq!(v.orgs[0].connections, 4);
        assert!(v.orgs[1].tracker);
        assert_eq!(v.orgs[1].countries, ["US", "IE"]);
        assert_eq!(v.trackers, 2);
        let names: Vec<_> = v.countries.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names[0], "United Kingdom");
        assert_eq!(v.countries.len(), 3);
    }

    #[test]
    fn timeline_is_newest_first_and_bounded() {
        let entries: Vec<DnsLogEntry> = (0..250)
            .map(|i| DnsLogEntry {
                device_ip: DeviceId(ip("192.0.2.10")),
                name: Domain::new(&format!("n{i}.example.com")).unwrap_or_else(|_| unreachable!()),
                qtype: "A".into(),
                rcode: "NOERROR".into(),
                chain: vec![],
                addrs: vec![ip("203.0.113.1")],
                ttl: 60,
                at: Utc
                    .timestamp_opt(1_800_000_000 + i, 0)
                    .single()
                    .unwrap_or_default(),
                blocked: false,
                repeats: 1,
            })
            .collect();
        let refs: Vec<&DnsLogEntry> = entries.iter().collect();
        let v = build_view(
            DeviceId(ip("192.0.2.10")),
            DeviceName::Given("x".into()),
            &[],
            &refs,
            &Enricher::without_data(),
            true,
        );
        assert_eq!(v.timeline.len(), TIMELINE_MAX);
        assert_eq!(v.timeline[0].name, "n249.example.com");
        assert_eq!(v.timeline[0].registrable.as_deref(), Some("example.com"));
        assert!(v.known && v.privacy);
    }

    #[test]
    fn unknown_country_code_is_kept() {
        assert_eq!(country_name("ZZ"), "ZZ");
        assert_eq!(country_name("FR"), "France");
        assert_eq!(country_name("NL"), "Netherlands");
    }
}
