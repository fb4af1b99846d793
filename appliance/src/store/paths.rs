//! The session's path totals (device → registrable domain → organization → place) rebuilt
//! from the closed flows on disk, so "whole session" views are whole after a restart.

use std::net::IpAddr;
use std::sync::Arc;

use rusqlite::params;

use crate::correlate::{PathDevice, PathRow};
use crate::model::{Category, DeviceId, Domain};
use crate::store::{codec, Store, StoreError};

/// Rows one restore reads at most (the live path table is bounded well below this).
const MAX_ROWS: i64 = 200_000;

impl Store {
    /// Totals of a session's closed flows grouped by path, largest first. Rows that do not
    /// decode (an address that no longer parses) are skipped.
    pub fn session_paths(&self, session: i64) -> Result<Vec<PathRow>, StoreError> {
        let conn = self.conn.lock();
        // The enrichment is a JSON object per flow (schema v1); SQLite's JSON functions
        // group by its fields without decoding every row in Rust.
        let mut st = conn.prepare_cached(
            "SELECT device_ip,
                    json_extract(enrichment, '$.registrable_domain') AS dom,
                    json_extract(enrichment, '$.org') AS org,
                    json_extract(enrichment, '$.country') AS country,
                    json_extract(enrichment, '$.city') AS city,
                    max(json_extract(enrichment, '$.lat')), max(json_extract(enrichment, '$.lon')),
                    max(json_extract(enrichment, '$.category')),
                    max(coalesce(json_extract(enrichment, '$.tracker'), 0)),
                    sum(bytes_up), sum(bytes_down), count(*), 0, max(last_seen)
             FROM flows WHERE session_id = ?1 AND state = 'closed'
             GROUP BY device_ip, dom, org, country, city
             ORDER BY sum(bytes_up) + sum(bytes_down) DESC
             LIMIT ?2",
        )?;
        let rows = st.query_map(params![session, MAX_ROWS], path_row)?;
        let mut out = Vec::new();
        for r in rows {
            if let Some(row) = r? {
                out.push(row);
            }
        }
        Ok(out)
    }
}

/// One path row from a query whose columns are, in order: device address, registrable
/// domain, organization, country, city, latitude, longitude, category, tracker (0/1), bytes
/// up, bytes down, connections, open connections, last seen (ms). `None` when the address no
/// longer parses (the row is skipped).
pub(super) fn path_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Option<PathRow>> {
    let ip: String = r.get(0)?;
    let Ok(ip) = ip.parse::<IpAddr>() else {
        return Ok(None);
    };
    let domain: Option<String> = r.get(1)?;
    let category: Option<String> = r.get(7)?;
    let tracker: i64 = r.get(8)?;
    // SQLite sums are signed; a negative one (never expected) reads as nothing.
    let n = |v: i64| u64::try_from(v).unwrap_or(0);
    Ok(Some(PathRow {
        device: PathDevice::Device(DeviceId(ip)),
        domain: domain.and_then(|d| Domain::new(&d).ok()),
        domain_hidden: false,
        org: r.get::<_, Option<String>>(2)?.map(Arc::from),
        country: r.get(3)?,
        city: r.get(4)?,
        lat: r.get(5)?,
        lon: r.get(6)?,
        category: category.and_then(|c| c.parse::<Category>().ok()),
        tracker: tracker != 0,
        bytes_up: n(r.get(9)?),
        bytes_down: n(r.get(10)?),
        connections: n(r.get(11)?),
        open: n(r.get(12)?),
        last_seen: codec::from_ms(r.get(13)?),
    }))
}
