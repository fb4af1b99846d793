//! The group rows folded to what the live views draw (`fold=bytes` or `fold=connections` on
//! `/api/v1/events?paths=` and `/api/v1/paths`, see `docs/API.md`): a class of 50 devices × 500 websites is 25,000
//! rows, but the sankey draws at most 40 nodes per column and the map a few dozen places, and
//! a phone that parses and sums 25,000 rows per update misses its 100 ms budget (issue 16).
//!
//! Only the website and company columns are folded (the columns with thousands of keys); the
//! device, the country and the city stay (the map's places and its device counts stay exact;
//! a device filter stays exact: a view filtered to one device is folded from that device's rows, see
//! `web::live_paths`). A website is kept as itself when it is among the [`TOP`] largest (by
//! the view's [`Rank`]: the sankey's metric, ranked as the page ranks); a company also when it
//! is among the [`PLACE_TOP`] largest of its place (the map's list of companies per place).
//! The [`ROWS_KEPT`] largest rows are kept whole (the sankey's table of the biggest paths). Every other row is summed into one row per device,
//! kept website and company, place, category and tracker flag, marked `"other"` with the
//! columns it stands for: bytes, connections, tracker bytes and category bytes stay exact.
//! What was folded away is counted per column ([`Others`]), so the views can still say "455
//! other websites" and count the companies.
//!
//! Unknown ("no DNS", no company) and hidden websites and companies are never folded: each is
//! one key and a node of its own. Pure: no state, unit-tested below.

use std::collections::{HashMap, HashSet};

use serde::Serialize;

use crate::correlate::{PathDevice, PathRow};
use crate::model::{Category, Domain};

/// Keys kept per column by default (`top`): the sankey's most nodes per column.
pub(crate) const TOP: usize = 40;

/// A request's `top` (1 to [`TOP`]; none: [`TOP`]), or why not. A phone's sankey shows 20
/// nodes per column at most and asks for 20; the map draws no websites and asks for 1.
pub(crate) fn parse_top(s: Option<&str>) -> Result<usize, String> {
    match s.map(str::parse::<usize>) {
        None => Ok(TOP),
        Some(Ok(n)) if (1..=TOP).contains(&n) => Ok(n),
        Some(_) => Err(format!("top must be a number from 1 to {TOP}")),
    }
}

/// Companies kept per place (whole view, and each device): the map lists three per place.
pub(crate) const PLACE_TOP: usize = 3;

/// Largest rows kept whole (the sankey's table lists 12).
pub(crate) const ROWS_KEPT: usize = 40;

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
pub(crate) struct Others {
    /// Websites.
    pub domain: usize,
    /// Companies.
    pub org: usize,
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
    r.domain
        .as_ref()
        .map(|d| d.as_str())
        .filter(|d| !d.is_empty())
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
struct OtherKey<'a> {
    device: PathDevice,
    domain: Option<&'a Domain>,
    org: Option<&'a str>,
    country: Option<&'a str>,
    city: Option<&'a str>,
    category: Option<Category>,
    tracker: bool,
    other: Other,
}

/// Fold `rows` (one view's rows, as `paths::aggregate` gives them), the largest by `rank`.
/// `top`: websites and companies kept (at most [`TOP`]).
pub(crate) fn fold(rows: Vec<PathRow>, rank: Rank, top: usize) -> Folded {
    // Rank: websites and companies of the view, companies of each place, rows by bytes.
    let (keep_domain, keep_org, keep_row) = {
        let mut domains: Sums = Sums::default();
        let mut orgs: Sums = Sums::default();
        let mut place_orgs: HashMap<Place, Sums> = HashMap::new();
        for r in &rows {
            let v = rank.value(r);
            if let Some(d) = domain_of(r) {
                *domains.entry(d).or_default() += v;
            }
            if let Some(o) = org_of(r) {
                *orgs.entry(o).or_default() += v;
                *place_orgs
                    .entry(place_of(r))
                    .or_default()
                    .entry(o)
                    .or_default() += bytes(r);
            }
        }
        let mut kept_domains = HashSet::new();
        top_into(&domains, top, &mut kept_domains);
        let mut kept_orgs = HashSet::new();
        top_into(&orgs, top, &mut kept_orgs);
        let mut place_kept: HashMap<Place, HashSet<&str>> = HashMap::new();
        for (place, s) in &place_orgs {
            let mut k = HashSet::new();
            top_into(s, PLACE_TOP, &mut k);
            place_kept.insert(*place, k);
        }
        // The largest rows, whole (sorted here: by what the input is sorted is the
        // aggregate's business).
        let mut order: Vec<usize> = (0..rows.len()).collect();
        let by_size = |a: &usize, b: &usize| bytes(&rows[*b]).cmp(&bytes(&rows[*a])).then(a.cmp(b));
        if order.len() > ROWS_KEPT {
            // Only which are the largest matters, not their order: no sort of every row.
            order.select_nth_unstable_by(ROWS_KEPT - 1, by_size);
        }
        let mut keep_row = vec![false; rows.len()];
        for i in order.into_iter().take(ROWS_KEPT) {
            keep_row[i] = true;
        }
        let keep_domain: Vec<bool> = rows
            .iter()
            .map(|r| domain_of(r).is_none_or(|d| kept_domains.contains(d)))
            .collect();
        let keep_org: Vec<bool> = rows
            .iter()
            .map(|r| {
                org_of(r).is_none_or(|o| {
                    kept_orgs.contains(o)
                        || place_kept.get(&place_of(r)).is_some_and(|k| k.contains(o))
                })
            })
            .collect();
        (keep_domain, keep_org, keep_row)
    };

    let others: Vec<Other> = (0..rows.len())
        .map(|i| Other {
            domain: !keep_row[i] && !keep_domain[i],
            org: !keep_row[i] && !keep_org[i],
        })
        .collect();
    // Count what is folded away: keys present only in "other" rows.
    let counts = {
        let mut seen: [HashSet<&str>; 2] = Default::default();
        let mut folded: [HashSet<&str>; 2] = Default::default();
        for (r, other) in rows.iter().zip(&others) {
            if let Some(d) = domain_of(r) {
                let to = if other.domain { &mut folded } else { &mut seen };
                to[0].insert(d);
            }
            if let Some(o) = org_of(r) {
                let to = if other.org { &mut folded } else { &mut seen };
                to[1].insert(o);
            }
        }
        Others {
            domain: folded[0].difference(&seen[0]).count(),
            org: folded[1].difference(&seen[1]).count(),
        }
    };
    // Each folded row's group, by what it keeps (borrowed: no copy per row).
    let group: Vec<Option<usize>> = {
        let mut groups: HashMap<OtherKey, usize> = HashMap::new();
        rows.iter()
            .zip(&others)
            .map(|(r, other)| {
                if *other == Other::default() {
                    return None;
                }
                let key = OtherKey {
                    device: r.device,
                    domain: if other.domain {
                        None
                    } else {
                        r.domain.as_ref()
                    },
                    org: if other.org { None } else { r.org.as_deref() },
                    country: r.country.as_deref(),
                    city: r.city.as_deref(),
                    category: r.category,
                    tracker: r.tracker,
                    other: *other,
                };
                let n = groups.len();
                Some(*groups.entry(key).or_insert(n))
            })
            .collect()
    };
    let mut out: Vec<(PathRow, Other)> = Vec::new();
    // Where each group's row is in `out`.
    let mut at: HashMap<usize, usize> = HashMap::new();
    for ((r, other), g) in rows.into_iter().zip(others).zip(group) {
        let Some(g) = g else {
            out.push((r, other));
            continue;
        };
        match at.get(&g) {
            Some(&i) => add(&mut out[i].0, &r),
            None => {
                at.insert(g, out.len());
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
        others: counts,
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::DeviceId;

    fn row(dev: u8, domain: &str, org: &str, city: &str, bytes: u64) -> PathRow {
        PathRow {
            device: PathDevice::Device(DeviceId([10, 0, 0, dev].into())),
            domain: (!domain.is_empty()).then(|| Domain::new(domain).expect("domain")),
            domain_hidden: false,
            org: (!org.is_empty()).then(|| std::sync::Arc::from(org)),
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
    fn sums(
        rows: &[(PathRow, Other)],
        col: fn(&PathRow) -> Option<String>,
    ) -> HashMap<String, u64> {
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
        let f = fold(rows.clone(), Rank::Bytes, TOP);
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
                rows.push(row(
                    dev,
                    &format!("s{k}.test"),
                    &org,
                    "London",
                    (k + 1) * 10,
                ));
            }
        }
        // Device 3 also has a website nobody else uses, small against the whole view but
        // its own biggest: folded here, kept in its device's own view (its filter).
        // (In ten places: no row of it among the largest.)
        for c in 0..10 {
            rows.push(row(3, "own.test", "Own", &format!("C{c}"), 101));
        }
        let own: Vec<PathRow> = rows
            .iter()
            .filter(|r| r.device == PathDevice::Device(DeviceId([10, 0, 0, 3].into())))
            .cloned()
            .collect();
        let before_total: u64 = rows.iter().map(bytes).sum();
        let domains_before = sums(
            &rows
                .iter()
                .cloned()
                .map(|r| (r, Other::default()))
                .collect::<Vec<_>>(),
            |r| r.domain.as_ref().map(|d| d.as_str().to_string()),
        );
        let f = fold(rows, Rank::Bytes, TOP);
        // Bytes are kept whole.
        assert_eq!(
            f.rows.iter().map(|(r, _)| bytes(r)).sum::<u64>(),
            before_total
        );
        // The 40 biggest websites (s60 … s99) are rows of their own with their exact sums.
        let after = sums(&f.rows, |r| {
            r.domain.as_ref().map(|d| d.as_str().to_string())
        });
        for k in 60..100 {
            let d = format!("s{k}.test");
            assert_eq!(after.get(&d), domains_before.get(&d), "{d}");
        }
        assert!(!after.contains_key("own.test") && !after.contains_key("s0.test"));
        // Folded rows: one per device and company (ten companies of which the top-40 by
        // bytes and each place's top 3 are all kept: only the website is folded).
        let folded: Vec<_> = f.rows.iter().filter(|(_, o)| o.domain).collect();
        assert!(folded.iter().all(|(r, o)| r.domain.is_none() && !o.org));
        assert_eq!(
            folded.len(),
            3 * 6 + 10,
            "devices × the companies of s0…s59, Own's places"
        );
        assert!(f.rows.len() < 3 * 100 / 2, "{} rows", f.rows.len());
        // 61 websites folded away.
        assert_eq!(f.others, Others { domain: 61, org: 0 });
        // One device's view: its own top.
        let f = fold(own, Rank::Bytes, TOP);
        let after = sums(&f.rows, |r| {
            r.domain.as_ref().map(|d| d.as_str().to_string())
        });
        assert_eq!(after.get("own.test"), Some(&1010));
        assert_eq!(f.others, Others { domain: 60, org: 0 });
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
            let f = fold(rows.clone(), rank, TOP);
            // The row without DNS is its own.
            assert!(f.rows.iter().any(|(r, o)| r.domain.is_none() && !o.domain));
            assert_eq!(
                f.others,
                Others {
                    domain: folded,
                    org: 0
                },
                "{rank:?}"
            );
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
        assert_eq!(parse_top(None), Ok(TOP));
        assert_eq!(parse_top(Some("20")), Ok(20));
        assert!(parse_top(Some("0")).is_err() && parse_top(Some("41")).is_err());
        // Fewer kept, more folded: by connections s0…s9, and the 40 largest rows.
        assert_eq!(fold(rows.clone(), Rank::Connections, 10).others.domain, 50);
    }

    #[test]
    fn companies_beyond_the_top_are_folded_but_each_places_top_three_stay() {
        // 60 companies, one website each, in London; one small company is the biggest of Paris.
        let mut rows: Vec<PathRow> = (0..60u64)
            .map(|k| {
                row(
                    1,
                    &format!("s{k}.test"),
                    &format!("Org{k}"),
                    "London",
                    100 + k,
                )
            })
            .collect();
        rows.push(row(1, "paris.test", "ParisOrg", "Paris", 5));
        let f = fold(rows, Rank::Bytes, TOP);
        let orgs: HashSet<String> = f
            .rows
            .iter()
            .filter_map(|(r, _)| r.org.as_deref().map(str::to_string))
            .collect();
        assert!(orgs.contains("ParisOrg"), "a place's top company is kept");
        assert!(orgs.contains("Org59") && !orgs.contains("Org0"));
        assert_eq!(f.others.org, 60 - 40);
        // Every folded row says which columns it stands for.
        for (r, o) in &f.rows {
            assert_eq!(o.org, r.org.is_none(), "{r:?}");
        }
    }
}
