//! The one call the correlator makes: everything known about a flow's destination.

use std::net::IpAddr;
use std::path::PathBuf;
use std::sync::Arc;

use crate::config::EnrichConfig;
use crate::enrich::asn::AsnDb;
use crate::enrich::bundled;
use crate::enrich::domains::DomainClassifier;
use crate::enrich::geo::GeoDb;
use crate::enrich::orgname;
use crate::enrich::special::special_range;
use crate::enrich::suffix::registrable_domain;
use crate::model::{Domain, Enrichment};
use crate::status::{Status, StatusWords};

/// The loaded lists and databases. Cheap to share (`Arc`); lookups take `&self`.
pub struct Enricher {
    classifier: Option<DomainClassifier>,
    geo: GeoDb,
    asn: AsnDb,
}

impl Enricher {
    /// Load the built-in lists and the configured databases. Problems (a missing or broken
    /// database) become warnings in `status`; the daemon runs with what it has.
    pub fn open(cfg: &EnrichConfig, status: &Status) -> Enricher {
        let classifier = match DomainClassifier::builtin() {
            Ok(c) => Some(c),
            Err(e) => {
                // The lists are compiled in and tested; this only happens to a broken build.
                status.warn(StatusWords::new(
                    "domains-unusable",
                    [("error", e.to_string())],
                ));
                None
            }
        };
        // The configured files, else (enrich.bundled) the ones the build carries. Configuring
        // either list takes control of both: no bundled file is mixed into a chosen set.
        let bundled = if cfg.bundled && cfg.geo_dbs.is_empty() && cfg.asn_dbs.is_empty() {
            bundled::find(&bundled::dirs())
        } else {
            bundled::Bundled::default()
        };
        let pick = |configured: &Vec<PathBuf>, found: Vec<PathBuf>, what: &str| {
            if configured.is_empty() && !found.is_empty() {
                tracing::info!("using the bundled {what} data: {found:?}");
                found
            } else {
                configured.clone()
            }
        };
        let geo_dbs = pick(&cfg.geo_dbs, bundled.geo, "geo");
        let asn_dbs = pick(&cfg.asn_dbs, bundled.asn, "AS");
        let geo = GeoDb::open(&geo_dbs, status);
        let asn = AsnDb::open(&asn_dbs, status);
        if geo_dbs.is_empty() {
            status.warn(StatusWords::new("geo-none", []));
        }
        if asn_dbs.is_empty() {
            status.warn(StatusWords::new("asn-none", []));
        }
        Enricher {
            classifier,
            geo,
            asn,
        }
    }

    /// An enricher with the built-in domain lists only (no geo or AS database): tests.
    pub fn without_data() -> Enricher {
        Enricher {
            classifier: DomainClassifier::builtin().ok(),
            geo: GeoDb::open(&[], &Status::default()),
            asn: AsnDb::open(&[], &Status::default()),
        }
    }

    /// An enricher from given parts (tests, benchmarks).
    pub fn from_parts(classifier: DomainClassifier, geo: GeoDb, asn: AsnDb) -> Enricher {
        Enricher {
            classifier: Some(classifier),
            geo,
            asn,
        }
    }

    /// Descriptions of the loaded databases, for the status API.
    pub fn describe(&self) -> Vec<String> {
        let (domains, trackers) = self.classifier.as_ref().map_or((0, 0), |c| c.counts());
        let mut out = vec![format!(
            "domain lists: {domains} organization entries, {trackers} tracker hosts"
        )];
        out.extend(self.geo.describe());
        out.extend(self.asn.describe());
        out
    }

    /// Whether the lists mark `host` (lower case, no trailing dot) as an ad or tracking host,
    /// as a flow's `tracker` flag would (the DNS blocker's question).
    pub fn is_tracker_host(&self, host: &str) -> bool {
        self.classifier.as_ref().is_some_and(|c| c.is_tracker(host))
    }

    /// Everything known about a flow to `ip` for `domain` (the name the device asked, if any).
    pub fn flow(&self, domain: Option<&Domain>, ip: IpAddr) -> Enrichment {
        let mut e = Enrichment::default();
        if let Some(d) = domain {
            e.registrable_domain = registrable_domain(d);
            if let Some(c) = self.classifier.as_ref().map(|c| c.classify(d)) {
                e.org = c.org;
                e.category = c.category;
                e.tracker = c.tracker;
            }
        }
        e.address_range = special_range(ip);
        if e.address_range.is_none() {
            if let Some(a) = self.asn.lookup(ip) {
                e.asn = Some(a.asn);
                e.as_org = Some(a.org);
            }
            if let Some(g) = self.geo.lookup(ip) {
                e.country = g.country;
                e.city = g.city;
                e.lat = g.lat;
                e.lon = g.lon;
            }
        }
        if e.org.is_none() {
            e.org = e
                .as_org
                .as_deref()
                .and_then(orgname::normalise)
                .or_else(|| e.registrable_domain.as_ref().map(|d| d.to_string()))
                .or_else(|| Some(ip.to_string()))
                .map(Arc::from);
        }
        e
    }
}
