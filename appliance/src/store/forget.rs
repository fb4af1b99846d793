//! "Forget my device": delete everything recorded about one device address, in every session.
//!
//! The writer may still hold queued ops for the device, so the daemon forgets through the
//! writer's queue ([`StoreOp::ForgetDevice`](crate::store::StoreOp::ForgetDevice)): the writer
//! first commits every op queued before it, then deletes, so nothing queued earlier comes
//! back afterwards. [`Store::forget_device`] deletes directly, for when no writer runs.
//!
//! Deleted must mean gone from the files, not only from the queries: every connection runs
//! with `secure_delete` (deleted rows and freed pages are overwritten with zeros, see
//! `store::connect`), and after a forget the WAL, which still holds the pages as they were
//! before the delete, is checkpointed into the database and truncated to zero bytes
//! ([`wipe_wal`]).

use std::net::IpAddr;

use rusqlite::{params, Connection, TransactionBehavior};

use crate::store::sessions::Deleted;
use crate::store::{Store, StoreError};

impl Store {
    /// Delete the device's flows, DNS answers, alerts and device rows in all sessions, in
    /// one transaction. Safe only when no writer holds queued ops for the device; the daemon
    /// uses [`StoreWriter::forget_device`](crate::store::StoreWriter::forget_device).
    pub fn forget_device(&self, ip: IpAddr) -> Result<Deleted, StoreError> {
        let mut conn = self.conn.lock();
        let deleted = forget_in(&mut conn, ip)?;
        if !wipe_wal(&conn)? {
            tracing::info!("store: a reader holds the WAL; the forgotten rows leave it later");
        }
        Ok(deleted)
    }
}

/// The delete itself, on any connection (the writer's or the store's).
pub(crate) fn forget_in(conn: &mut Connection, ip: IpAddr) -> rusqlite::Result<Deleted> {
    let ip = ip.to_string();
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let mut out = Deleted::default();
    {
        let sessions = {
            let mut st = tx.prepare_cached("SELECT id FROM sessions")?;
            let ids = st
                .query_map([], |r| r.get::<_, i64>(0))?
                .collect::<Result<Vec<_>, _>>()?;
            ids
        };
        // Per session: every table has an index that starts (session_id, device_ip).
        for s in sessions {
            out.flows += tx.execute(
                "DELETE FROM flows WHERE session_id = ?1 AND device_ip = ?2",
                params![s, ip],
            )? as u64;
            out.dns_answers += tx.execute(
                "DELETE FROM dns_answers WHERE session_id = ?1 AND device_ip = ?2",
                params![s, ip],
            )? as u64;
            out.devices += tx.execute(
                "DELETE FROM devices WHERE session_id = ?1 AND ip = ?2",
                params![s, ip],
            )? as u64;
        }
        // Alerts are few (one per kind and subject); no index needed.
        out.alerts += tx.execute("DELETE FROM alerts WHERE device_ip = ?1", params![ip])? as u64;
    }
    tx.commit()?;
    Ok(out)
}

/// Copy the WAL into the database and truncate it to zero bytes (`wal_checkpoint(TRUNCATE)`),
/// so the pages from before a delete are nowhere in the files. `false` when a reader kept
/// it from completing (after the busy timeout): try again later.
pub(crate) fn wipe_wal(conn: &Connection) -> rusqlite::Result<bool> {
    let busy: i64 = conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |r| r.get(0))?;
    Ok(busy == 0)
}
