//! A flow's counters over time (schema v5): read back for exports and for placing a long
//! flow's bytes in time. Written by the writer (see `writer::SNAPSHOT_EVERY_MS`).

use chrono::{DateTime, Utc};
use rusqlite::params;
use serde::Serialize;

use crate::store::{codec, Store, StoreError};

/// Most snapshots one read returns (a flow a day old has ~1,440).
const MAX_SNAPSHOTS: i64 = 10_000;

/// A flow's counters at one moment. Up = from the device.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CounterSnapshot {
    /// When the counters were read.
    pub at: DateTime<Utc>,
    /// Bytes from the device so far.
    pub bytes_up: u64,
    /// Bytes to the device so far.
    pub bytes_down: u64,
    /// Packets from the device so far.
    pub packets_up: u64,
    /// Packets to the device so far.
    pub packets_down: u64,
}

impl Store {
    /// The snapshots of flow `flow_key` (its `FlowRecord::id`) in `session`, oldest first.
    pub fn flow_snapshots(
        &self,
        session: i64,
        flow_key: &str,
    ) -> Result<Vec<CounterSnapshot>, StoreError> {
        let conn = self.conn.lock();
        let mut st = conn.prepare_cached(
            "SELECT s.at, s.bytes_up, s.bytes_down, s.packets_up, s.packets_down
             FROM flow_snapshots s JOIN flows f ON f.id = s.flow_id
             WHERE f.session_id = ?1 AND f.flow_key = ?2 ORDER BY s.at LIMIT ?3",
        )?;
        let n = |v: i64| u64::try_from(v).unwrap_or(0);
        let rows = st.query_map(params![session, flow_key, MAX_SNAPSHOTS], |r| {
            Ok(CounterSnapshot {
                at: codec::from_ms(r.get(0)?),
                bytes_up: n(r.get(1)?),
                bytes_down: n(r.get(2)?),
                packets_up: n(r.get(3)?),
                packets_down: n(r.get(4)?),
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}
