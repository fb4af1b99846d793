//! Paths: traffic grouped by device → registrable domain → organization → country/city,
//! the rows every group view (sankey, map, presenter) is drawn from.
//!
//! Two sources are combined:
//! - a time window (last 1/5/15 minutes) is read straight from the live flow table: every
//!   flow active in the window (open, or closed within it) counts with its whole counters;
//! - the whole session is [`PathTable`] — totals of the session's *closed* flows, added once
//!   when each closes — plus the open flows from the live table at read time, so nothing is
//!   counted twice and the memory is one entry per path, not per flow.
//!
//! Privacy mode is applied here too: with a `viewer`, every other device folds into one
//! "others" device before grouping, so a group view can only show aggregates. An aggregate
//! of one or two devices is still their browsing, so the "others" rows are kept only when at
//! least [`PathQuery::min_others`] devices fold into them, and their times are cut to the
//! minute.
//! The teacher's rules ([`Hidden`], from `group_view`) apply too: a hidden device's traffic
//! folds into one "hidden" device and a hidden domain's rows lose their domain and
//! organization (`domain_hidden`), so the totals stay the same.

use std::collections::{HashMap, HashSet};
use std::net::IpAddr;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::model::{Category, DeviceId, DeviceIdentity, Domain, FlowRecord, FlowState};

/// Which device a path row belongs to, as the views see it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PathDevice {
    /// One device.
    Device(DeviceId),
    /// Every device but the viewer (privacy mode).
    Others,
    /// The devices the teacher hid from the group views.
    Hidden,
}

impl Serialize for PathDevice {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            PathDevice::Device(d) => d.serialize(s),
            PathDevice::Others => s.serialize_str("others"),
            PathDevice::Hidden => s.serialize_str("hidden"),
        }
    }
}

/// What a row is grouped by.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct PathKey {
    /// The device.
    pub device: PathDevice,
    /// Registrable domain; `None` when no DNS answer named the flow (or it is hidden).
    pub domain: Option<Domain>,
    /// The domain (and organization) is hidden from the group views.
    pub domain_hidden: bool,
    /// Organization.
    pub org: Option<Arc<str>>,
    /// ISO 3166 alpha-2 country.
    pub country: Option<String>,
    /// City.
    pub city: Option<String>,
}

/// One row: totals of the flows on a path.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PathRow {
    /// The device (its address, or `"others"`).
    pub device: PathDevice,
    /// Registrable domain, `null` for "no DNS seen" or a hidden domain.
    pub domain: Option<Domain>,
    /// The teacher hid the domain (and so its organization) from the group views.
    pub domain_hidden: bool,
    /// Organization.
    pub org: Option<Arc<str>>,
    /// Country.
    pub country: Option<String>,
    /// City.
    pub city: Option<String>,
    /// Latitude of the destination (of the last flow seen on the path).
    pub lat: Option<f64>,
    /// Longitude.
    pub lon: Option<f64>,
    /// Category of the destination.
    pub category: Option<Category>,
    /// Any flow on the path went to a tracker.
    pub tracker: bool,
    /// Bytes from the device.
    pub bytes_up: u64,
    /// Bytes to the device.
    pub bytes_down: u64,
    /// Flows on the path.
    pub connections: u64,
    /// Of which open now.
    pub open: u64,
    /// When a flow on the path last changed.
    pub last_seen: DateTime<Utc>,
}

impl PathRow {
    fn empty(key: PathKey, at: DateTime<Utc>) -> PathRow {
        PathRow {
            device: key.device,
            domain: key.domain,
            domain_hidden: key.domain_hidden,
            org: key.org,
            country: key.country,
            city: key.city,
            lat: None,
            lon: None,
            category: None,
            tracker: false,
            bytes_up: 0,
            bytes_down: 0,
            connections: 0,
            open: 0,
            last_seen: at,
        }
    }

    /// Add one flow's counters.
    fn add_flow(&mut self, f: &FlowRecord) {
        self.add(&PathRow {
            lat: f.enrichment.lat,
            lon: f.enrichment.lon,
            category: f.enrichment.category,
            tracker: f.enrichment.tracker,
            bytes_up: f.bytes_up,
            bytes_down: f.bytes_down,
            connections: 1,
            open: u64::from(f.state == FlowState::Open),
            last_seen: f.last_seen,
            ..PathRow::empty(key_of(f, PathDevice::Device(f.device_ip)), f.last_seen)
        });
    }

    /// Add another row's totals (same key).
    fn add(&mut self, o: &PathRow) {
        self.bytes_up += o.bytes_up;
        self.bytes_down += o.bytes_down;
        self.connections += o.connections;
        self.open += o.open;
        self.tracker |= o.tracker;
        if o.last_seen >= self.last_seen || self.lat.is_none() {
            self.lat = o.lat.or(self.lat);
            self.lon = o.lon.or(self.lon);
        }
        self.category = self.category.or(o.category);
        self.last_seen = self.last_seen.max(o.last_seen);
    }

    fn key(&self) -> PathKey {
        PathKey {
            device: self.device,
            domain: self.domain.clone(),
            domain_hidden: self.domain_hidden,
            org: self.org.clone(),
            country: self.country.clone(),
            city: self.city.clone(),
        }
    }
}

fn key_of(f: &FlowRecord, device: PathDevice) -> PathKey {
    PathKey {
        device,
        domain: f.enrichment.registrable_domain.clone(),
        domain_hidden: false,
        org: f.enrichment.org.clone(),
        country: f.enrichment.country.clone(),
        city: f.enrichment.city.clone(),
    }
}

/// Totals of the current session's closed flows, one entry per path, bounded.
pub struct PathTable {
    closed: HashMap<PathKey, PathRow>,
    max_paths: usize,
    folded: u64,
}

impl PathTable {
    /// At most `max_paths` paths; a flow on a new path beyond that is folded into its
    /// device's "unknown destination" path (counted in [`PathTable::folded`]).
    pub fn new(max_paths: usize) -> Self {
        PathTable {
            closed: HashMap::new(),
            max_paths: max_paths.max(1),
            folded: 0,
        }
    }

    /// A flow closed: add its final counters.
    pub fn flow_closed(&mut self, f: &FlowRecord) {
        let mut row = PathRow::empty(key_of(f, PathDevice::Device(f.device_ip)), f.last_seen);
        row.add_flow(f);
        row.open = 0;
        self.add_row(row);
    }

    /// Add a row of totals (closed flows restored from the store after a restart).
    pub fn add_row(&mut self, mut row: PathRow) {
        let mut key = row.key();
        if !self.closed.contains_key(&key) && self.closed.len() >= self.max_paths {
            self.folded += row.connections;
            key = PathKey {
                device: row.device,
                domain: None,
                domain_hidden: false,
                org: None,
                country: None,
                city: None,
            };
            row.domain = None;
            row.org = None;
            row.country = None;
            row.city = None;
            row.lat = None;
            row.lon = None;
        }
        match self.closed.get_mut(&key) {
            Some(r) => r.add(&row),
            None => {
                self.closed.insert(key, row);
            }
        }
    }

    /// Flows folded into an "unknown destination" path because the table was full.
    pub fn folded(&self) -> u64 {
        self.folded
    }

    /// Paths held.
    pub fn len(&self) -> usize {
        self.closed.len()
    }

    /// No paths held.
    pub fn is_empty(&self) -> bool {
        self.closed.is_empty()
    }

    /// Drop one device's totals ("forget my device").
    pub fn forget_device(&mut self, device: DeviceId) {
        self.closed
            .retain(|k, _| k.device != PathDevice::Device(device));
    }

    /// Drop everything (a new session).
    pub fn clear(&mut self) {
        self.closed.clear();
        self.folded = 0;
    }
}

/// What a view asks for.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PathQuery {
    /// Only flows active since then; `None`: the whole session.
    pub since: Option<DateTime<Utc>>,
    /// Only this device.
    pub device: Option<DeviceId>,
    /// Privacy mode: every device but this one is folded into [`PathDevice::Others`].
    /// `Some(None)`: privacy mode for a viewer that is not a device (everything folds).
    pub private_to: Option<Option<DeviceId>>,
    /// Privacy mode: the [`PathDevice::Others`] rows are left out unless at least this many
    /// devices fold into them (`web.privacy_min_devices`).
    pub min_others: usize,
}

/// Which addresses are one device: each bound address → its device's preferred address
/// (IPv4 first). Built from the devices registry at read time, so late bindings apply to
/// what was recorded before; an address not in it is its own device.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SameDevice(pub HashMap<IpAddr, IpAddr>);

impl SameDevice {
    /// The address `d`'s device is shown under.
    pub fn of(&self, d: DeviceId) -> DeviceId {
        self.0.get(&d.ip()).map_or(d, |ip| DeviceId(*ip))
    }
}

/// What a group view leaves out (the teacher's rules, resolved to addresses for one read by
/// `group_view`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Hidden {
    /// Every address of a hidden device.
    pub devices: HashSet<DeviceId>,
    /// The hidden devices.
    pub identities: HashSet<DeviceIdentity>,
    /// Hidden registrable domains.
    pub domains: HashSet<Domain>,
}

impl Hidden {
    /// Nothing hidden (the device's own page, the admin).
    pub fn nothing() -> Hidden {
        Hidden::default()
    }

    /// The device (any of its addresses) is hidden.
    pub fn device(&self, d: DeviceId) -> bool {
        self.devices.contains(&d)
    }

    /// The domain is hidden.
    pub fn domain(&self, d: Option<&Domain>) -> bool {
        d.is_some_and(|d| self.domains.contains(d))
    }
}

/// Group flows (and, for the whole session, the closed totals) into rows, largest first;
/// the addresses of one device (`same`) are one device; what the teacher hid (`hidden`;
/// [`Hidden::nothing`] for a device's own page) is folded as the module says. In privacy
/// mode the viewer's own device is never folded into "hidden".
pub fn aggregate<'a>(
    table: &PathTable,
    flows: impl Iterator<Item = &'a FlowRecord>,
    q: &PathQuery,
    same: &SameDevice,
    hidden: &Hidden,
) -> Vec<PathRow> {
    let q = &PathQuery {
        since: q.since,
        device: q.device.map(|d| same.of(d)),
        private_to: q.private_to.map(|v| v.map(|d| same.of(d))),
        min_others: q.min_others,
    };
    // The devices folded into "others", counted for `min_others`.
    let folded = std::cell::RefCell::new(HashSet::new());
    let fold = |d: DeviceId| match q.private_to {
        Some(viewer) if viewer != Some(d) => {
            folded.borrow_mut().insert(d);
            PathDevice::Others
        }
        None if hidden.device(d) => PathDevice::Hidden,
        _ => PathDevice::Device(d),
    };
    let censor = |mut row: PathRow| {
        if hidden.domain(row.domain.as_ref()) {
            row.domain = None;
            row.org = None;
            row.domain_hidden = true;
        }
        row
    };
    let wanted = |d: DeviceId| q.device.is_none_or(|w| w == d);
    let mut out: HashMap<PathKey, PathRow> = HashMap::new();
    let mut put = |row: PathRow| {
        let row = censor(row);
        let key = row.key();
        match out.get_mut(&key) {
            Some(r) => r.add(&row),
            None => {
                out.insert(key, row);
            }
        }
    };
    match q.since {
        Some(since) => {
            for f in flows.filter(|f| f.last_seen >= since || f.state == FlowState::Open) {
                let d = same.of(f.device_ip);
                if !wanted(d) {
                    continue;
                }
                let mut row = PathRow::empty(key_of(f, fold(d)), f.last_seen);
                row.add_flow(f);
                row.device = fold(d);
                put(row);
            }
        }
        None => {
            for r in table.closed.values() {
                let PathDevice::Device(d) = r.device else {
                    continue;
                };
                let d = same.of(d);
                if !wanted(d) {
                    continue;
                }
                let mut row = r.clone();
                row.device = fold(d);
                put(row);
            }
            for f in flows.filter(|f| f.state == FlowState::Open) {
                let d = same.of(f.device_ip);
                if !wanted(d) {
                    continue;
                }
                let mut row = PathRow::empty(key_of(f, fold(d)), f.last_seen);
                row.add_flow(f);
                row.device = fold(d);
                put(row);
            }
        }
    }
    let enough_others = folded.borrow().len() >= q.min_others;
    let mut rows: Vec<PathRow> = out
        .into_values()
        .filter(|r| r.device != PathDevice::Others || enough_others)
        .map(|mut r| {
            if r.device == PathDevice::Others {
                r.last_seen = to_minute(r.last_seen);
            }
            r
        })
        .collect();
    rows.sort_by(|a, b| {
        (b.bytes_up + b.bytes_down)
            .cmp(&(a.bytes_up + a.bytes_down))
            .then_with(|| b.connections.cmp(&a.connections))
            .then_with(|| a.device.cmp(&b.device))
            .then_with(|| a.domain.cmp(&b.domain))
    });
    rows
}

/// `t` cut down to its minute: an aggregate's time must not tell its devices' clicks apart.
fn to_minute(t: DateTime<Utc>) -> DateTime<Utc> {
    let s = t.timestamp();
    DateTime::from_timestamp(s - s.rem_euclid(60), 0).unwrap_or(t)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Enrichment;
    use crate::model::FlowKey;
    use crate::model::Proto;
    use chrono::TimeZone;

    fn at(s: i64) -> DateTime<Utc> {
        Utc.timestamp_opt(1_800_000_000 + s, 0)
            .single()
            .unwrap_or_default()
    }

    fn flow(
        id: u32,
        dev: &str,
        dom: Option<&str>,
        org: &str,
        bytes: u64,
        closed_at: Option<i64>,
    ) -> FlowRecord {
        FlowRecord {
            id: id.to_string(),
            key: FlowKey { id, start_ns: 1 },
            device_ip: DeviceId(
                dev.parse()
                    .unwrap_or(std::net::Ipv4Addr::UNSPECIFIED.into()),
            ),
            remote_ip: "203.0.113.1"
                .parse()
                .unwrap_or(std::net::Ipv4Addr::UNSPECIFIED.into()),
            remote_port: 443,
            local_port: None,
            proto: Proto::Tcp,
            domain: dom.and_then(|d| Domain::new(d).ok()),
            candidates: vec![],
            bytes_up: bytes / 10,
            bytes_down: bytes - bytes / 10,
            packets_up: 1,
            packets_down: 1,
            first_seen: at(0),
            last_seen: at(closed_at.unwrap_or(100)),
            state: if closed_at.is_some() {
                FlowState::Closed
            } else {
                FlowState::Open
            },
            enrichment: Enrichment {
                registrable_domain: dom.and_then(|d| Domain::new(d).ok()),
                org: Some(Arc::from(org)),
                country: Some("GB".into()),
                tracker: org == "Tracker Inc",
                lat: Some(51.5),
                lon: Some(-0.1),
                ..Enrichment::default()
            },
        }
    }

    fn all() -> PathQuery {
        PathQuery {
            since: None,
            device: None,
            private_to: None,
            min_others: 0,
        }
    }

    #[test]
    fn session_totals_add_closed_and_open_once() {
        let mut t = PathTable::new(100);
        let closed = flow(1, "192.0.2.10", Some("bbc.co.uk"), "BBC", 1000, Some(50));
        t.flow_closed(&closed);
        let open = flow(2, "192.0.2.10", Some("bbc.co.uk"), "BBC", 500, None);
        // The live table still lists the closed flow: it must not count twice.
        let rows = aggregate(
            &t,
            [&closed, &open].into_iter(),
            &all(),
            &SameDevice::default(),
            &Hidden::nothing(),
        );
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].bytes_up + rows[0].bytes_down, 1500);
        assert_eq!((rows[0].connections, rows[0].open), (2, 1));
    }

    #[test]
    fn window_counts_only_flows_active_in_it() {
        let t = PathTable::new(100);
        let old = flow(1, "192.0.2.10", Some("a.example"), "A", 1000, Some(10));
        let recent = flow(2, "192.0.2.10", Some("b.example"), "B", 300, Some(90));
        let open = flow(3, "192.0.2.11", None, "C", 50, None);
        let q = PathQuery {
            since: Some(at(60)),
            ..all()
        };
        let rows = aggregate(
            &t,
            [&old, &recent, &open].into_iter(),
            &q,
            &SameDevice::default(),
            &Hidden::nothing(),
        );
        let names: Vec<_> = rows
            .iter()
            .map(|r| r.org.as_deref().unwrap_or(""))
            .collect();
        assert_eq!(names, ["B", "C"]);
        assert_eq!(rows[1].domain, None, "no DNS seen stays null");
    }

    #[test]
    fn device_filter_and_privacy_fold() {
        let t = PathTable::new(100);
        let a = flow(1, "192.0.2.10", Some("x.example"), "X", 100, None);
        let b = flow(2, "192.0.2.11", Some("x.example"), "X", 200, None);
        let c = flow(3, "192.0.2.12", Some("x.example"), "X", 300, None);
        let me = DeviceId(
            "192.0.2.10"
                .parse()
                .unwrap_or(std::net::Ipv4Addr::UNSPECIFIED.into()),
        );
        let q = PathQuery {
            private_to: Some(Some(me)),
            ..all()
        };
        let rows = aggregate(
            &t,
            [&a, &b, &c].into_iter(),
            &q,
            &SameDevice::default(),
            &Hidden::nothing(),
        );
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].device, PathDevice::Others);
        assert_eq!(rows[0].bytes_up + rows[0].bytes_down, 500);
        assert_eq!(rows[1].device, PathDevice::Device(me));
        // The aggregate's time to the minute; the viewer's own to the second.
        assert_eq!(rows[0].last_seen, at(60));
        assert_eq!(rows[1].last_seen, at(100));
        // Two other devices: enough for k = 2, not for k = 3 (only the viewer's rows stay).
        let k2 = PathQuery { min_others: 2, ..q };
        let rows = aggregate(
            &t,
            [&a, &b, &c].into_iter(),
            &k2,
            &SameDevice::default(),
            &Hidden::nothing(),
        );
        assert_eq!(rows.len(), 2);
        let k3 = PathQuery { min_others: 3, ..q };
        let rows = aggregate(
            &t,
            [&a, &b, &c].into_iter(),
            &k3,
            &SameDevice::default(),
            &Hidden::nothing(),
        );
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].device, PathDevice::Device(me));
        let only = PathQuery {
            device: Some(me),
            ..all()
        };
        assert_eq!(
            aggregate(
                &t,
                [&a, &b, &c].into_iter(),
                &only,
                &SameDevice::default(),
                &Hidden::nothing()
            )
            .len(),
            1
        );
        let nobody = PathQuery {
            private_to: Some(None),
            ..all()
        };
        assert!(aggregate(
            &t,
            [&a, &b].into_iter(),
            &nobody,
            &SameDevice::default(),
            &Hidden::nothing()
        )
        .iter()
        .all(|r| r.device == PathDevice::Others));
    }

    #[test]
    fn table_is_bounded_and_folds_new_paths() {
        let mut t = PathTable::new(2);
        for (i, d) in ["a.example", "b.example", "c.example", "d.example"]
            .iter()
            .enumerate()
        {
            t.flow_closed(&flow(i as u32, "192.0.2.10", Some(d), d, 100, Some(5)));
        }
        assert!(t.len() <= 3, "two paths plus the fold path");
        assert_eq!(t.folded(), 2);
        let rows = aggregate(
            &t,
            std::iter::empty(),
            &all(),
            &SameDevice::default(),
            &Hidden::nothing(),
        );
        let total: u64 = rows.iter().map(|r| r.bytes_up + r.bytes_down).sum();
        assert_eq!(total, 400, "nothing lost, only folded");
        t.forget_device(DeviceId(
            "192.0.2.10"
                .parse()
                .unwrap_or(std::net::Ipv4Addr::UNSPECIFIED.into()),
        ));
        assert!(t.is_empty());
    }

    #[test]
    fn tracker_flag_and_serialisation() {
        let mut t = PathTable::new(10);
        t.flow_closed(&flow(
            1,
            "192.0.2.10",
            Some("t.example"),
            "Tracker Inc",
            10,
            Some(1),
        ));
        let rows = aggregate(
            &t,
            std::iter::empty(),
            &all(),
            &SameDevice::default(),
            &Hidden::nothing(),
        );
        assert!(rows[0].tracker);
        let v = serde_json::to_value(&rows[0]).unwrap_or_default();
        assert_eq!(v["device"], "192.0.2.10");
        assert_eq!(v["domain"], "t.example");
        assert_eq!(v["org"], "Tracker Inc");
        assert_eq!(v["connections"], 1);
        let others = serde_json::to_value(PathDevice::Others).unwrap_or_default();
        assert_eq!(others, "others");
    }

    #[test]
    fn addresses_of_one_device_are_one_device() {
        let mut t = PathTable::new(100);
        let v4 = flow(1, "192.0.2.10", Some("bbc.co.uk"), "BBC", 1000, Some(50));
        let v6 = flow(2, "2001:db8:1::a", Some("bbc.co.uk"), "BBC", 500, None);
        let other = flow(3, "192.0.2.11", Some("bbc.co.uk"), "BBC", 100, None);
        t.flow_closed(&v4);
        let same = SameDevice(
            [
                ("2001:db8:1::a", "192.0.2.10"),
                ("192.0.2.10", "192.0.2.10"),
            ]
            .iter()
            .map(|(a, b)| (a.parse().unwrap(), b.parse().unwrap()))
            .collect(),
        );
        let flows = [&v4, &v6, &other];
        let rows = aggregate(&t, flows.into_iter(), &all(), &same, &Hidden::nothing());
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].device, PathDevice::Device(v4.device_ip));
        assert_eq!(
            (rows[0].connections, rows[0].bytes_up + rows[0].bytes_down),
            (2, 1500)
        );
        // Asking for (or being, in privacy mode) the IPv6 address is asking for the device.
        let q = PathQuery {
            device: Some(v6.device_ip),
            ..all()
        };
        assert_eq!(
            aggregate(&t, flows.into_iter(), &q, &same, &Hidden::nothing()).len(),
            1
        );
        let private = PathQuery {
            private_to: Some(Some(v6.device_ip)),
            ..all()
        };
        let rows = aggregate(&t, flows.into_iter(), &private, &same, &Hidden::nothing());
        assert_eq!(rows[0].device, PathDevice::Device(v4.device_ip));
        assert_eq!(rows[1].device, PathDevice::Others);
    }

    /// Hidden devices fold into one "hidden" device and hidden domains lose their domain
    /// and organization; the totals stay; in privacy mode the viewer stays itself.
    #[test]
    fn hidden_devices_and_domains_fold_with_totals_kept() {
        let t = PathTable::new(100);
        let a = flow(1, "192.0.2.10", Some("bbc.co.uk"), "BBC", 1000, None);
        let b = flow(2, "192.0.2.11", Some("bbc.co.uk"), "BBC", 500, None);
        let c = flow(3, "192.0.2.12", Some("secret.example"), "Secret", 200, None);
        let d = flow(4, "192.0.2.13", None, "X", 100, None);
        let mut hidden = Hidden::nothing();
        hidden.devices.insert(a.device_ip);
        hidden.devices.insert(b.device_ip);
        hidden
            .domains
            .insert(Domain::new("secret.example").unwrap());
        let flows = [&a, &b, &c, &d];
        let plain = aggregate(
            &t,
            flows.into_iter(),
            &all(),
            &SameDevice::default(),
            &Hidden::nothing(),
        );
        let rows = aggregate(
            &t,
            flows.into_iter(),
            &all(),
            &SameDevice::default(),
            &hidden,
        );
        let total = |rows: &[PathRow]| rows.iter().map(|r| r.bytes_up + r.bytes_down).sum::<u64>();
        assert_eq!(total(&rows), total(&plain));
        assert_eq!(rows[0].device, PathDevice::Hidden);
        assert_eq!(rows[0].connections, 2);
        assert!(!rows
            .iter()
            .any(|r| r.device == PathDevice::Device(a.device_ip)));
        let secret = rows.iter().find(|r| r.domain_hidden).unwrap();
        assert_eq!(
            (secret.domain.as_ref(), secret.org.as_deref()),
            (None, None)
        );
        assert_eq!(secret.device, PathDevice::Device(c.device_ip));
        // "no DNS seen" stays apart from a hidden domain.
        assert!(rows.iter().any(|r| r.domain.is_none() && !r.domain_hidden));
        let private = PathQuery {
            private_to: Some(Some(a.device_ip)),
            ..all()
        };
        let rows = aggregate(
            &t,
            flows.into_iter(),
            &private,
            &SameDevice::default(),
            &hidden,
        );
        assert!(rows
            .iter()
            .any(|r| r.device == PathDevice::Device(a.device_ip)));
        assert!(!rows.iter().any(|r| r.device == PathDevice::Hidden));
        assert_eq!(
            serde_json::to_value(PathDevice::Hidden).unwrap_or_default(),
            "hidden"
        );
    }
}
