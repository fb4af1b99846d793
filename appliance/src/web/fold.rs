//! The group rows folded to what the live views draw (`fold=bytes` or `fold=connections` on
//! `/api/v1/events?paths=` and `/api/v1/paths`, see `docs/API.md`): a class of 50 devices × 500 websites is 25,000
//! rows, but the sankey draws at most 40 nodes per column and the map a few dozen places, and
//! a phone that parses and sums 25,000 rows per update misses its 100 ms budget (issue 16).
//!
//! Only the website and company columns are folded (the columns with thousands of keys); the
//! device, the country and the city stay (the map's places, its device counts and every
//! device filter stay exact). A website is kept as itself when it is among the [`TOP`] largest
//! (by the view's [`Rank`]: the sankey's metric, ranked as the page ranks) of the whole view
//! or of its device (the device filter); a company also when it is among the [`PLACE_TOP`]
//! largest of its place (the map's list of companies per place), whole view or device. The
//! [`ROWS_KEPT`] largest rows (and each device's [`DEVICE_ROWS_KEPT`]) are kept whole (the
//! sankey's table of the biggest paths). Every other row is summed into one row per device,
//! kept website and company, place, category and tracker flag, marked `"other"` with the
//! columns it stands for: bytes, connections, tracker bytes and category bytes stay exact.
//! What was folded away is counted per column ([`Others`]), for the whole view and per
//! device, so the views can still say "455 other websites" and count the companies.
//!
//! Unknown ("no DNS", no company) and hidden websites and companies are never folded: each is
//! one key and a node of its own. Pure: no state, unit-tested below.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;

use serde::Serialize;

use crate::correlate::{PathDevice, PathRow};
use crate::model::{Category, Domain};

/// Keys kept per column (whole view, and each device): the sankey's most nodes per column.
pub(crate) const TOP: usize = 40;

/// Companies kept per place (whole view, and each device): the map lists three per place.
pub(crate) const PLACE_TOP: usize = 3;

/// Largest rows kept whole (the sankey's table lists 12; a few more for the device filter).
pub(crate) const ROWS_KEPT: usize = 40;

/// Largest rows of each device kept whole (the table of one device).
pub(crate) const DEVICE_ROWS_KEPT: usize = 12;

/// What the largest are by: the sankey's metric (the map's is bytes).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum Rank {
    /// Bytes both ways (a connection with none counted yet: one).
    Bytes,
    /// Connections.
    Connections,
}

impl Rank {
    /// From a request's `fold` (`bytes` or `connections`), or why not.
    pub(crate) fn parse(s: &str) -> Result<Rank, String> {
        match s {
            "bytes" => Ok(Rank::Bytes),
            "connections" => Ok(Rank::Connections),
            _ => Err(format!(
                "fold must be \"bytes\" or \"connections\"; got {:?}",
                s.chars().take(40).collect::<String>()
            )),
        }
    }

    /// Its name in the API.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Rank::Bytes => "bytes",
            Rank::Connections => "connections",
        }
    }

    fn value(self, r: &PathRow) -> u64 {
        match self {
            Rank::Bytes => by_bytes(r),
            Rank::Connections => r.connections,
        }
    }
}

/// Which of a row's columns stand for folded keys.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub(crate) struct Other {
    /// The website is "other websites" (`domain` is null).
    pub domain: bool,
    /// The company is "other companies" (`org` is null).
    pub org: bool,
}

impl Other {
    /// The row's `"other"` field: the folded columns, or `None` for a row of its own.
    pub(crate) fn columns(self) -> Option<&'static str> {
        match (self.domain, self.org) {
            (false, false) => None,
            (true, false) => Some("[\"domain\"]"),
            (false, true) => Some("[\"org\"]"),
            (true, true) => Some("[\"domain\",\"org\"]"),
        }
    }
}

/// How many websites and companies were folded away (present only in `"other"` rows).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub(crate) struct Counts {
    /// Websites.
    pub domain: usize,
    /// Companies.
    pub org: usize,
}

/// [`Counts`] of the whole view and of each device (by its id as the rows give it).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub(crate) struct Others {
    /// The whole view.
    pub all: Counts,
    /// Each device with something folded away.
    pub devices: BTreeMap<String, Counts>,
}

/// The folded view.
#[derive(Debug)]
pub(crate) struct Folded {
    /// The rows, each with the columns it stands for; largest first.
    pub rows: Vec<(PathRow, Other)>,
    /// What was folded away.
    pub others: Others,
}

/// A row as a response shows it: its own fields, and `"other"` (the folded columns) if any.
#[derive(Serialize)]
pub(crate) struct Shown<'a> {
    #[serde(skip_serializing_if = "Vec::is_empty")]
    other: Vec<&'static str>,
    #[serde(flatten)]
    row: &'a PathRow,
}

impl<'a> Shown<'a> {
    /// `row`, standing for the `other` columns.
    pub(crate) fn new(row: &'a PathRow, other: Other) -> Self {
        let mut cols = Vec::new();
        if other.domain {
            cols.push("domain");
        }
        if other.org {
            cols.push("org");
        }
        Shown { other: cols, row }
    }
}

/// A device's id as the rows (and the `devices` list) give it.
pub(crate) fn device_id(d: PathDevice) -> String {
    match d {
        PathDevice::Device(d) => d.ip().to_string(),
        PathDevice::Others => "others".into(),
        PathDevice::Hidden => "hidden".into(),
    }
}

fn bytes(r: &PathRow) -> u64 {
    r.bytes_up.saturating_add(r.bytes_down)
}

/// The sankey's "bytes" value of a row (lib/graph.js `metricValue`: a connection with no
/// bytes counted yet is one byte).
fn by_bytes(r: &PathRow) -> u64 {
    match bytes(r) {
        0 if r.connections > 0 => 1,
        b => b,
    }
}

/// A foldable website of `r` (named, not hidden).
fn domain_of(r: &PathRow) -> Option<&str> {
    if r.domain_hidden {
        return None;
    }
    r.domain.as_ref().map(|d| d.as_str()).filter(|d| !d.is_empty())
}

/// A foldable company of `r` (named, not hidden).
fn org_of(r: &PathRow) -> Option<&str> {
    if r.domain_hidden {
        return None;
    }
    r.org.as_deref().filter(|o| !o.is_empty())
}

/// A place of the map: city (or country alone).
type Place<'a> = (Option<&'a str>, Option<&'a str>);

fn place_of(r: &PathRow) -> Place<'_> {
    (r.country.as_deref(), r.city.as_deref())
}

/// Sums per key, for ranking.
type Sums<'a> = HashMap<&'a str, u64>;

/// The `n` largest keys of `sums` (ties by name, as the pages sort) into `keep`.
fn top_into<'a>(sums: &HashMap<&'a str, u64>, n: usize, keep: &mut HashSet<&'a str>) {
    if sums.len() <= n {
        keep.extend(sums.keys().copied());
        return;
    }
    let mut all: Vec<(&'a str, u64)> = sums.iter().map(|(k, v)| (*k, *v)).collect();
    let cmp = |a: &(&str, u64), b: &(&str, u64)| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0));
    all.select_nth_unstable_by(n - 1, cmp);
    keep.extend(all[..n].iter().map(|(k, _)| *k));
}

/// What an "other" row is grouped by.
#[derive(Clone, PartialEq, Eq, Hash)]
struct OtherKey {
    device: PathDevice,
    domain: Option<Domain>,
    org: Option<Arc<str>>,
    country: Option<String>,
    city: Option<String>,
    category: Option<Category>,
    tracker: bool,
    other: Other,
}

/// Fold `rows` (one view's rows, as `paths::aggregate` gives them), the largest by `rank`.
pub(crate) fn fold(rows: Vec<PathRow>, rank: Rank) -> Folded {
    // Rank: websites and companies of the whole view and of each device, companies of each
    // place (whole view and device), rows by bytes.
    let (keep_domain, keep_org, keep_row) = {
        let mut domains: Sums = Sums::default();
        let mut orgs: Sums = Sums::default();
        let mut dev_domains: HashMap<PathDevice, Sums> = HashMap::new();
        let mut dev_orgs: HashMap<PathDevice, Sums> = HashMap::new();
        let mut place_orgs: HashMap<Place, HashMap<&str, u64>> = HashMap::new();
        let mut dev_place_orgs: HashMap<(PathDevice, Place), HashMap<&str, u64>> = HashMap::new();
        for r in &rows {
            let v = rank.value(r);
            if let Some(d) = domain_of(r) {
                *domains.entry(d).or_default() += v;
                *dev_domains.entry(r.device).or_default().entry(d).or_default() += v;
            }
            if let Some(o) = org_of(r) {
                *orgs.entry(o).or_default() += v;
                *dev_orgs.entry(r.device).or_default().entry(o).or_default() += v;
                *place_orgs
                    .entry(place_of(r))
                    .or_default()
                    .entry(o)
                    .or_default() += bytes(r);
                *dev_place_orgs
                    .entry((r.device, place_of(r)))
                    .or_default()
                    .entry(o)
                    .or_default() += bytes(r);
            }
        }
        // Kept per scope: (device or none, key). A key kept for the whole view is kept in
        // every row.
        let mut all_domains = HashSet::new();
        top_into(&domains, TOP, &mut all_domains);
        let mut all_orgs = HashSet::new();
        top_into(&orgs, TOP, &mut all_orgs);
        let mut keep_domain: HashMap<PathDevice, HashSet<&str>> = HashMap::new();
        for (dev, s) in &dev_domains {
            let mut k = all_domains.clone();
            top_into(s, TOP, &mut k);
            keep_domain.insert(*dev, k);
        }
        let mut keep_org: HashMap<(PathDevice, Place), HashSet<&str>> = HashMap::new();
        let mut dev_kept: HashMap<PathDevice, HashSet<&str>> = HashMap::new();
        for (dev, s) in &dev_orgs {
            let mut k = all_orgs.clone();
            top_into(s, TOP, &mut k);
            dev_kept.insert(*dev, k);
        }
        let mut place_kept: HashMap<Place, HashSet<&str>> = HashMap::new();
        for (place, s) in &place_orgs {
            let mut k = HashSet::new();
            top_into(s, PLACE_TOP, &mut k);
            place_kept.insert(*place, k);
        }
        for ((dev, place), s) in &dev_place_orgs {
            let mut k = dev_kept.get(dev).cloned().unwrap_or_default();
            k.extend(place_kept.get(place).into_iter().flatten().copied());
            top_into(s, PLACE_TOP, &mut k);
            keep_org.insert((*dev, *place), k);
        }
        // The largest rows, whole (the input is largest first, but by what it was sorted
        // is the aggregate's business: sorted again here).
        let mut order: Vec<usize> = (0..rows.len()).collect();
        order.sort_by(|a, b| bytes(&rows[*b]).cmp(&bytes(&rows[*a])).then(a.cmp(b)));
        let mut keep_row = vec![false; rows.len()];
        let mut per_device: HashMap<PathDevice, usize> = HashMap::new();
        for (rank, i) in order.into_iter().enumerate() {
            let n = per_device.entry(rows[i].device).or_default();
            if rank < ROWS_KEPT || *n < DEVICE_ROWS_KEPT {
                keep_row[i] = true;
            }
            *n += 1;
        }
        let keep_domain: Vec<bool> = rows
            .iter()
            .map(|r| {
                domain_of(r).is_none_or(|d| {
                    keep_domain.get(&r.device).is_some_and(|k| k.contains(d))
                })
            })
            .collect();
        let keep_org: Vec<bool> = rows
            .iter()
            .map(|r| {
                org_of(r).is_none_or(|o| {
                    keep_org
                        .get(&(r.device, place_of(r)))
                        .is_some_and(|k| k.contains(o))
                })
            })
            .collect();
        (keep_domain, keep_org, keep_row)
    };

    // Count what is folded away: keys present in a scope's rows only inside "other" rows.
    let mut seen: Scopes = Scopes::default();
    let mut folded: Scopes = Scopes::default();
    let mut out: Vec<(PathRow, Other)> = Vec::new();
    let mut groups: HashMap<OtherKey, usize> = HashMap::new();
    for (i, r) in rows.into_iter().enumerate() {
        let other = Other {
            domain: !keep_row[i] && !keep_domain[i],
            org: !keep_row[i] && !keep_org[i],
        };
        let dev = device_id(r.device);
        if let Some(d) = domain_of(&r) {
            let to = if other.domain { &mut folded } else { &mut seen };
            to.add(&dev, 0, d);
        }
        if let Some(o) = org_of(&r) {
            let to = if other.org { &mut folded } else { &mut seen };
            to.add(&dev, 1, o);
        }
        if other == Other::default() {
            out.push((r, other));
            continue;
        }
        let key = OtherKey {
            device: r.device,
            domain: if other.domain { None } else { r.domain.clone() },
            org: if other.org { None } else { r.org.clone() },
            country: r.country.clone(),
            city: r.city.clone(),
            category: r.category,
            tracker: r.tracker,
            other,
        };
        match groups.get(&key) {
            Some(&at) => add(&mut out[at].0, &r),
            None => {
                groups.insert(key, out.len());
                let mut row = r;
                if other.domain {
                    row.domain = None;
                }
                if other.org {
                    row.org = None;
                }
                out.push((row, other));
            }
        }
    }
    out.sort_by_key(|(r, _)| std::cmp::Reverse(bytes(r)));
    Folded {
        rows: out,
        others: folded.minus(&seen),
    }
}

/// `o`'s figures added to `r` (an "other" row: the same device, place, category, tracker).
fn add(r: &mut PathRow, o: &PathRow) {
    r.bytes_up = r.bytes_up.saturating_add(o.bytes_up);
    r.bytes_down = r.bytes_down.saturating_add(o.bytes_down);
    r.connections = r.connections.saturating_add(o.connections);
    r.open = r.open.saturating_add(o.open);
    if o.last_seen >= r.last_seen || r.lat.is_none() {
        r.lat = o.lat.or(r.lat);
        r.lon = o.lon.or(r.lon);
    }
    r.last_seen = r.last_seen.max(o.last_seen);
}

/// Keys per column (0: websites, 1: companies), of the whole view and of each device.
#[derive(Default)]
struct Scopes {
    all: [HashSet<String>; 2],
    devices: HashMap<String, [HashSet<String>; 2]>,
}

impl Scopes {
    fn add(&mut self, device: &str, column: usize, key: &str) {
        if !self.all[column].contains(key) {
            self.all[column].insert(key.to_string());
        }
        let d = self.devices.entry(device.to_string()).or_default();
        if !d[column].contains(key) {
            d[column].insert(key.to_string());
        }
    }

    /// How many of each scope's keys `seen` does not have.
    fn minus(&self, seen: &Scopes) -> Others {
        let count = |mine: &[HashSet<String>; 2], theirs: Option<&[HashSet<String>; 2]>| Counts {
            domain: mine[0]
                .iter()
                .filter(|k| !theirs.is_some_and(|t| t[0].contains(*k)))
                .count(),
            org: mine[1]
                .iter()
                .filter(|k| !theirs.is_some_and(|t| t[1].contains(*k)))
                .count(),
        };
        Others {
            all: count(&self.all, Some(&seen.all)),
            devices: self
                .devices
                .iter()
                .map(|(d, keys)| (d.clone(), count(keys, seen.devices.get(d))))
                .filter(|(_, c)| *c != Counts::default())
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::DeviceId;

    fn row(dev: u8, domain: &str, org: &str, city: &str, bytes: u64) -> PathRow {
        PathRow {
            device: PathDevice::Device(DeviceId([10, 0, 0, dev].into())),
            domain: (!domain.is_empty()).then(|| Domain::new(domain).expect("domain")),
            domain_hidden: false,
            org: (!org.is_empty()).then(|| Arc::from(org)),
            country: Some("GB".into()),
            city: Some(city.into()),
            lat: Some(51.5),
            lon: Some(-0.1),
            category: None,
            tracker: false,
            bytes_up: bytes,
            bytes_down: 0,
            // More bytes, more connections: both rankings agree.
            connections: bytes / 10 + 1,
            open: 0,
            last_seen: chrono::DateTime::from_timestamp(1_800_000_000, 0).expect("time"),
        }
    }

    /// Sums per key of a column over rows (folded ones under "").
    fn sums(rows: &[(PathRow, Other)], col: fn(&PathRow) -> Option<String>) -> HashMap<String, u64> {
        let mut m = HashMap::new();
        for (r, _) in rows {
            *m.entry(col(r).unwrap_or_default()).or_default() += bytes(r);
        }
        m
    }

    #[test]
    fn a_small_view_is_left_as_it_is() {
        let rows: Vec<PathRow> = (0..5)
            .map(|k| row(1, &format!("s{k}.test"), "Org", "London", 100 + k))
            .collect();
        let f = fold(rows.clone(), Rank::Bytes);
        assert_eq!(f.rows.len(), 5);
        assert!(f.rows.iter().all(|(_, o)| *o == Other::default()));
        assert_eq!(f.others, Others::default());
    }

    #[test]
    fn the_top_websites_stay_the_rest_is_summed_per_device_and_counted() {
        // 3 devices × 100 websites, website k of size k+1 (the same on every device) and one
        // company per ten websites.
        let mut rows = Vec::new();
        for dev in 1..=3u8 {
            for k in 0..100u64 {
                let org = format!("Org{}", k / 10);
                rows.push(row(dev, &format!("s{k}.test"), &org, "London", (k + 1) * 10));
            }
        }
        // Device 3 also has a website nobody else uses, small against the whole view but
        // its own biggest: kept for it (its device filter shows it).
        rows.push(row(3, "own.test", "Own", "London", 995));
        let before_total: u64 = rows.iter().map(bytes).sum();
        let domains_before = sums(
            &rows.iter().cloned().map(|r| (r, Other::default())).collect::<Vec<_>>(),
            |r| r.domain.as_ref().map(|d| d.as_str().to_string()),
        );
        let f = fold(rows, Rank::Bytes);
        // Bytes are kept whole.
        assert_eq!(f.rows.iter().map(|(r, _)| bytes(r)).sum::<u64>(), before_total);
        // The 40 biggest websites (s60 … s99) are rows of their own with their exact sums.
        let after = sums(&f.rows, |r| r.domain.as_ref().map(|d| d.as_str().to_string()));
        for k in 60..100 {
            let d = format!("s{k}.test");
            assert_eq!(after.get(&d), domains_before.get(&d), "{d}");
        }
        assert_eq!(after.get("own.test"), Some(&995));
        assert!(!after.contains_key("s0.test"), "folded");
        // Folded rows: one per device and company (ten companies of which the top-40 by
        // bytes and each place's top 3 are all kept: only the website is folded).
        let folded: Vec<_> = f.rows.iter().filter(|(_, o)| o.domain).collect();
        assert!(folded.iter().all(|(r, o)| r.domain.is_none() && !o.org));
        assert_eq!(folded.len(), 3 * 6, "devices × the companies of s0…s59");
        assert!(f.rows.len() < 3 * 100 / 2, "{} rows", f.rows.len());
        // 60 websites folded away on each device and in the whole view.
        assert_eq!(f.others.all, Counts { domain: 60, org: 0 });
        assert_eq!(f.others.devices["10.0.0.1"], Counts { domain: 60, org: 0 });
        assert_eq!(f.others.devices.len(), 3);
        // Largest first.
        assert!(f.rows.windows(2).all(|w| bytes(&w[0].0) >= bytes(&w[1].0)));
    }

    #[test]
    fn ranked_by_the_views_metric_and_unknown_websites_are_never_folded() {
        let mut rows = Vec::new();
        for k in 0..100u64 {
            let mut r = row(1, &format!("s{k}.test"), "", "London", 1000 + k);
            // The smallest by bytes have the most connections.
            r.connections = 200 - k;
            rows.push(r);
        }
        let mut none = row(1, "", "", "London", 1);
        none.connections = 1;
        rows.push(none);
        let kept = |rank, folded| {
            let f = fold(rows.clone(), rank);
            // The row without DNS is its own.
            assert!(f.rows.iter().any(|(r, o)| r.domain.is_none() && !o.domain));
            assert_eq!(f.others.all, Counts { domain: folded, org: 0 }, "{rank:?}");
            f.rows
                .iter()
                .filter_map(|(r, _)| r.domain.as_ref().map(|d| d.as_str().to_string()))
                .collect::<HashSet<String>>()
        };
        // By bytes: s60…s99.
        let by_bytes = kept(Rank::Bytes, 60);
        assert!(by_bytes.contains("s60.test") && !by_bytes.contains("s59.test"));
        // By connections: s0…s39, and the 40 largest rows by bytes (the table) whole.
        let by_connections = kept(Rank::Connections, 20);
        assert!(by_connections.contains("s0.test") && !by_connections.contains("s40.test"));
        assert!(by_connections.contains("s99.test"));
        assert_eq!(Rank::parse("connections"), Ok(Rank::Connections));
        assert!(Rank::parse("views").is_err());
    }

    #[test]
    fn companies_beyond_the_top_are_folded_but_each_places_top_three_stay() {
        // 60 companies, one website each, in London; one small company is the biggest of Paris.
        let mut rows: Vec<PathRow> = (0..60u64)
            .map(|k| row(1, &format!("s{k}.test"), &format!("Org{k}"), "London", 100 + k))
            .collect();
        rows.push(row(1, "paris.test", "ParisOrg", "Paris", 5));
        let f = fold(rows, Rank::Bytes);
        let orgs: HashSet<String> = f
            .rows
            .iter()
            .filter_map(|(r, _)| r.org.as_deref().map(str::to_string))
            .collect();
        assert!(orgs.contains("ParisOrg"), "a place's top company is kept");
        assert!(orgs.contains("Org59") && !orgs.contains("Org0"));
        assert_eq!(f.others.all.org, 60 - 40);
        // Every folded row says which columns it stands for.
        for (r, o) in &f.rows {
            assert_eq!(o.org, r.org.is_none(), "{r:?}");
        }
    }
}
