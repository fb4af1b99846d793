//! The take-home summary of one device's session ([`TakeHome`]): the companies and countries
//! it talked to, its trackers with a plain-words line each, its busiest minutes, the names it
//! looked up and its flows. The page (`takehome_page`) and the downloads (`download`) draw
//! from it; [`resolve`] decides whose summary a request may have.
//!
//! Everything comes from what the appliance holds in memory for the session (live and
//! recently closed flows, the recent DNS log, the session's path totals): nothing is fetched.

use std::collections::{BTreeMap, BTreeSet};
use std::net::IpAddr;

use chrono::{DateTime, TimeZone, Utc};
use serde::{Deserialize, Serialize};

use crate::model::{Category, DeviceId, DnsLogEntry, FlowRecord};
use crate::web::auth::login::{AdminRejection, AdminSession};
use crate::web::me::view::{country_name, me_view, CountryRow, MeView, OrgRow, TimelineRow};
use crate::web::viewer::Viewer;
use crate::web::AppState;

/// Most flows a download lists (the flow table is bounded too; this bounds the answer).
pub(super) const MAX_FLOWS: usize = 20_000;
/// How many busiest minutes the summary shows.
const BUSIEST: usize = 5;
/// A flow longer than this spreads its bytes over this many minutes only (bounds the work).
const MAX_SPREAD_MINUTES: i64 = 24 * 60;

/// The English words of the downloads (JSON, CSV: data, not a page, so one language); the
/// page and its refusals take theirs from the catalogues (`th-*`).
pub(super) mod words {
    pub const NOT_YOURS: &str = "This is another device's take-home summary. Only that device \
        itself, or the teacher logged in on the admin page, can open it.";
    pub const BAD_DEVICE: &str = "The device= value is not an address.";
    /// The plain-words line of a host on the tracker lists whose company is not in an ad or
    /// analytics category (the lists say it tracks; its company does other things too).
    pub const LISTED_TRACKER: &str = "Listed as an ad or tracking server by the public block \
        lists (EasyList, EasyPrivacy): it collects what you do, often across many apps and \
        websites.";
}

/// One tracker company with what it does, in plain words.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TrackerRow {
    /// The company.
    pub org: String,
    /// Its kind's label ("Advertising").
    pub kind: &'static str,
    /// One or two plain sentences (the category's explanation).
    pub explain: &'static str,
    /// Countries its servers were in (names).
    pub countries: Vec<String>,
    /// The same countries' alpha-2 codes (the page names them in its language).
    #[serde(skip)]
    pub country_codes: Vec<String>,
    /// Its ad or analytics category; `None`: a host the block lists name whose company
    /// does other things too (the page words it with `th-listed-*`).
    #[serde(skip)]
    pub category: Option<Category>,
    /// Bytes both ways.
    pub bytes: u64,
}

/// One minute of the session.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct MinuteRow {
    /// The minute's start (RFC 3339, UTC).
    pub minute: String,
    /// `HH:MM` (UTC).
    pub time: String,
    /// Bytes both ways, a long connection's bytes spread evenly over its minutes.
    pub bytes: u64,
    /// Connections that started in it.
    pub connections: u64,
    /// Names looked up in it.
    pub lookups: u64,
}

/// A mark the teacher set in the lesson ("Now open TikTok"), so the student can match the
/// busiest minutes to what the class was doing.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct MarkRow {
    /// When it was set (RFC 3339, UTC).
    pub at: String,
    /// `HH:MM` (UTC).
    pub time: String,
    /// What the teacher called it.
    pub label: String,
}

/// One flow of the device, as the downloads list it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct FlowRow {
    /// First seen (RFC 3339).
    pub first_seen: DateTime<Utc>,
    /// Last seen (RFC 3339).
    pub last_seen: DateTime<Utc>,
    /// The name the device asked for (the network's words: untrusted text).
    pub name: Option<String>,
    /// Its registrable domain.
    pub domain: Option<String>,
    /// Company.
    pub org: Option<String>,
    /// Category id.
    pub category: Option<&'static str>,
    /// Ad or tracking server.
    pub tracker: bool,
    /// Country code.
    pub country: Option<String>,
    /// The network (AS organization) the server is in.
    pub network: Option<String>,
    /// The server's address.
    pub remote_ip: IpAddr,
    /// The server's port.
    pub remote_port: u16,
    /// `tcp`, `udp`, `icmp` or a protocol number.
    pub proto: String,
    /// Bytes the device sent.
    pub bytes_up: u64,
    /// Bytes the device received.
    pub bytes_down: u64,
}

/// The whole summary of one device's session.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TakeHome {
    /// When it was made.
    pub generated_at: DateTime<Utc>,
    /// `site.name`.
    pub site: String,
    /// The device's own name for itself (English in the JSON download).
    pub name: crate::devices::DeviceName,
    /// Its pseudonym and emoji for the session (English: the download's stable form).
    pub pseudonym: String,
    /// `pseudonym` as catalogue words (the page says it in its language; not downloaded).
    #[serde(skip)]
    pub pseudonym_words: Option<crate::devices::name::NameWords>,
    /// The pseudonym's emoji.
    pub emoji: String,
    /// The device's address (the one the summary was asked for).
    pub ip: String,
    /// Bytes sent.
    pub bytes_up: u64,
    /// Bytes received.
    pub bytes_down: u64,
    /// Companies, most bytes first.
    pub companies: Vec<OrgRow>,
    /// Countries, most bytes first.
    pub countries: Vec<CountryRow>,
    /// Tracker companies, most bytes first, each with a plain-words line.
    pub trackers: Vec<TrackerRow>,
    /// The busiest minutes, most bytes first.
    pub busiest_minutes: Vec<MinuteRow>,
    /// The lesson's marks, oldest first (at most the session's bound on marks).
    pub marks: Vec<MarkRow>,
    /// Names looked up, newest first (bounded like the device's page).
    pub lookups: Vec<TimelineRow>,
    /// Flows, oldest first, at most [`MAX_FLOWS`].
    pub flows: Vec<FlowRow>,
}

/// `?device=` on the take-home routes: whose summary (default: the device asking).
#[derive(Debug, Default, Deserialize)]
pub(super) struct WhoQuery {
    /// An address of the device (admin, or the device itself through another address).
    #[serde(default)]
    pub device: Option<String>,
}

/// Why a request does not get the summary it asked for.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Refusal {
    /// `device=` is not an address: 400.
    BadDevice,
    /// Another device's, and no admin login: 403.
    NotYours,
}

/// The device whose summary this request may have: its own without `device=` (or with an
/// address of itself); anyone's for the logged-in admin; otherwise refused.
pub(super) fn resolve(
    app: &AppState,
    viewer: &Viewer,
    admin: &Result<AdminSession, AdminRejection>,
    query: &WhoQuery,
) -> Result<DeviceId, Refusal> {
    let Some(asked) = query.device.as_deref().filter(|s| !s.is_empty()) else {
        return Ok(viewer.device);
    };
    let ip: IpAddr = asked.trim().parse().map_err(|_| Refusal::BadDevice)?;
    let device = DeviceId(ip.to_canonical());
    let own = device == viewer.device || app.devices.identity(device.ip()) == viewer.identity;
    if own || admin.is_ok() {
        Ok(device)
    } else {
        Err(Refusal::NotYours)
    }
}

/// The summary of `device` from the live state.
pub(super) fn take_home(app: &AppState, device: DeviceId) -> TakeHome {
    let me = me_view(app, device);
    let addresses: BTreeSet<IpAddr> = me.addresses.iter().copied().collect();
    let live = app.live.read();
    let mut flows: Vec<&FlowRecord> = live
        .flows
        .iter()
        .filter(|f| addresses.contains(&f.device_ip.ip()))
        .collect();
    flows.sort_by_key(|f| f.first_seen);
    let answers: Vec<&DnsLogEntry> = addresses
        .iter()
        .flat_map(|ip| live.dns.entries(Some(DeviceId(*ip))))
        .collect();
    let busiest = busiest_minutes(&flows, &answers);
    let flow_rows: Vec<FlowRow> = flows.iter().take(MAX_FLOWS).map(|f| flow_row(f)).collect();
    drop(live);
    let marks = app
        .marks
        .read()
        .iter()
        .map(|m| MarkRow {
            at: m.at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            time: crate::web::language::current().clock.time(m.at),
            label: m.label.clone(),
        })
        .collect();
    build(
        app.site.name.clone(),
        me,
        busiest,
        marks,
        flow_rows,
        Utc::now(),
    )
}

/// Put the parts together (pure; unit-tested).
fn build(
    site: String,
    me: MeView,
    busiest_minutes: Vec<MinuteRow>,
    marks: Vec<MarkRow>,
    flows: Vec<FlowRow>,
    now: DateTime<Utc>,
) -> TakeHome {
    let trackers = me
        .orgs
        .iter()
        .filter(|o| o.tracker)
        .map(tracker_row)
        .collect();
    TakeHome {
        generated_at: now,
        site,
        name: me.name,
        pseudonym: me.pseudonym,
        pseudonym_words: me.pseudonym_words,
        emoji: me.emoji,
        ip: me.ip,
        bytes_up: me.bytes_up,
        bytes_down: me.bytes_down,
        companies: me.orgs,
        countries: me.countries,
        trackers,
        busiest_minutes,
        marks,
        lookups: me.timeline,
        flows,
    }
}

/// A tracker company and the plain words of its kind (an ad or analytics company's own
/// category; the block lists' words for a host they list whose company does other things).
fn tracker_row(o: &OrgRow) -> TrackerRow {
    let category = o
        .category
        .and_then(|c| c.parse::<Category>().ok())
        .filter(|c| c.is_tracking());
    TrackerRow {
        org: o.org.clone(),
        kind: category.map_or("Ads or tracking", Category::label),
        explain: category.map_or(words::LISTED_TRACKER, Category::explain),
        countries: o.countries.iter().map(|c| country_name(c)).collect(),
        country_codes: o.countries.clone(),
        category,
        bytes: o.bytes_up + o.bytes_down,
    }
}

fn flow_row(f: &FlowRecord) -> FlowRow {
    let e = &f.enrichment;
    FlowRow {
        first_seen: f.first_seen,
        last_seen: f.last_seen,
        name: f.domain.as_ref().map(|d| d.to_string()),
        domain: e.registrable_domain.as_ref().map(|d| d.to_string()),
        org: e.org.as_deref().map(str::to_owned),
        category: e.category.map(Category::as_str),
        tracker: e.tracker,
        country: e.country.clone(),
        network: e.as_org.clone().filter(|s| !s.is_empty()),
        remote_ip: f.remote_ip,
        remote_port: f.remote_port,
        proto: match serde_json::to_value(f.proto) {
            Ok(serde_json::Value::String(s)) => s,
            Ok(v) => v.to_string(),
            Err(_) => String::new(),
        },
        bytes_up: f.bytes_up,
        bytes_down: f.bytes_down,
    }
}

/// The minute a time falls in, as minutes since 1970.
fn minute_of(t: DateTime<Utc>) -> i64 {
    t.timestamp().div_euclid(60)
}

/// The [`BUSIEST`] minutes with the most bytes. A connection's bytes are spread evenly over
/// the minutes from its first to its last packet (the live table keeps only its totals).
fn busiest_minutes(flows: &[&FlowRecord], answers: &[&DnsLogEntry]) -> Vec<MinuteRow> {
    #[derive(Default)]
    struct Minute {
        bytes: u64,
        connections: u64,
        lookups: u64,
    }
    let mut minutes: BTreeMap<i64, Minute> = BTreeMap::new();
    for f in flows {
        let first = minute_of(f.first_seen);
        let last = minute_of(f.last_seen).clamp(first, first + MAX_SPREAD_MINUTES - 1);
        let span = u64::try_from(last - first + 1).unwrap_or(1).max(1);
        let total = f.bytes_up.saturating_add(f.bytes_down);
        let (share, rest) = (total / span, total % span);
        for (i, m) in (first..=last).enumerate() {
            // The remainder goes to the first minutes so the minutes add up to the total.
            let extra = u64::from((i as u64) < rest);
            minutes.entry(m).or_default().bytes += share + extra;
        }
        minutes.entry(first).or_default().connections += 1;
    }
    for a in answers {
        minutes.entry(minute_of(a.at)).or_default().lookups += u64::from(a.repeats.max(1));
    }
    let mut rows: Vec<(i64, Minute)> = minutes
        .into_iter()
        .filter(|(_, m)| m.bytes > 0 || m.connections > 0)
        .collect();
    rows.sort_by(|a, b| b.1.bytes.cmp(&a.1.bytes).then(a.0.cmp(&b.0)));
    rows.truncate(BUSIEST);
    rows.into_iter()
        .map(|(m, v)| {
            let start = Utc
                .timestamp_opt(m.saturating_mul(60), 0)
                .single()
                .unwrap_or_default();
            MinuteRow {
                minute: start.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
                time: crate::web::language::current().clock.time(start),
                bytes: v.bytes,
                connections: v.connections,
                lookups: v.lookups,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Domain, Enrichment, FlowKey, FlowState, Proto};
    use std::sync::Arc;

    fn at(s: i64) -> DateTime<Utc> {
        Utc.timestamp_opt(1_800_000_000 + s, 0)
            .single()
            .unwrap_or_default()
    }

    fn flow(first: i64, last: i64, bytes: u64) -> FlowRecord {
        FlowRecord {
            id: format!("f{first}"),
            key: FlowKey { id: 1, start_ns: 0 },
            device_ip: DeviceId(IpAddr::from([192, 0, 2, 10])),
            remote_ip: IpAddr::from([203, 0, 113, 1]),
            remote_port: 443,
            local_port: None,
            proto: Proto::Tcp,
            domain: Domain::new("a.example.com").ok(),
            candidates: vec![],
            bytes_up: bytes / 2,
            bytes_down: bytes - bytes / 2,
            packets_up: 1,
            packets_down: 1,
            first_seen: at(first),
            last_seen: at(last),
            state: FlowState::Closed,
            enrichment: Enrichment {
                org: Some(Arc::from("Example")),
                ..Enrichment::default()
            },
        }
    }

    #[test]
    fn busiest_minutes_spread_long_flows_and_keep_the_total() {
        // 1,800,000,000 s is minute 30,000,000 exactly: second 0 of a minute.
        let long = flow(0, 299, 1000); // five minutes, 200 each
        let burst = flow(120, 125, 900); // all in the third minute
        let rows = busiest_minutes(&[&long, &burst], &[]);
        assert_eq!(rows.len(), 5);
        assert_eq!(rows[0].bytes, 1100, "{rows:?}");
        assert_eq!(rows[0].connections, 1);
        assert_eq!(rows.iter().map(|r| r.bytes).sum::<u64>(), 1900);
        assert!(rows[0].minute.ends_with(":02:00Z"), "{}", rows[0].minute);
        let odd = flow(0, 179, 10); // 10 over 3 minutes: 4 + 3 + 3
        let rows = busiest_minutes(&[&odd], &[]);
        assert_eq!(rows.iter().map(|r| r.bytes).collect::<Vec<_>>(), [4, 3, 3]);
    }

    #[test]
    fn a_flow_of_days_is_spread_over_one_day_at_most() {
        let long = flow(0, 10 * 86_400, 1_000_000);
        let rows = busiest_minutes(&[&long], &[]);
        assert_eq!(rows.len(), BUSIEST);
        assert!(rows.iter().all(|r| r.bytes == 1_000_000 / 1440 + 1));
    }

    #[test]
    fn trackers_get_their_kinds_plain_words() {
        let org = |name: &str, category: Option<&'static str>, tracker| OrgRow {
            org: name.into(),
            category,
            category_label: None,
            tracker,
            countries: vec!["US".into()],
            bytes_up: 1,
            bytes_down: 2,
            connections: 1,
        };
        let ads = tracker_row(&org("AdCo", Some("advertising"), true));
        assert_eq!(ads.explain, Category::Advertising.explain());
        assert_eq!(ads.countries, ["United States"]);
        let listed = tracker_row(&org("Big Platform", Some("platform"), true));
        assert_eq!(listed.explain, words::LISTED_TRACKER);
        assert_eq!(listed.bytes, 3);
    }
}
