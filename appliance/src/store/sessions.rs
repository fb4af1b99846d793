//! Sessions beyond starting one: look one up, delete one, and the chunked deletes that
//! retention and forgetting share.
//!
//! A session of a busy classroom holds a million flows. Deleting them in one statement
//! would hold SQLite's write lock for seconds (minutes on an SD card), long enough for the
//! writer thread's busy timeout to expire and a batch of live data to be lost. So rows go in
//! chunks of [`DELETE_CHUNK`], each its own short transaction, with the read connection's
//! mutex released between chunks.

use rusqlite::{params, OptionalExtension};
use serde::Serialize;

use crate::store::{session_from_row, Session, Store, StoreError, SESSION_COLUMNS};

/// Rows one delete statement removes at most.
pub const DELETE_CHUNK: i64 = 5_000;

/// What deleting removed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Deleted {
    /// Session rows deleted.
    pub sessions: u64,
    /// Flow rows deleted (their counter snapshots go with them).
    pub flows: u64,
    /// DNS answer rows deleted.
    pub dns_answers: u64,
    /// Device rows (one per device per session).
    pub devices: u64,
    /// Alert rows deleted.
    pub alerts: u64,
}

impl Deleted {
    /// Add another count.
    pub fn add(&mut self, o: Deleted) {
        self.sessions += o.sessions;
        self.flows += o.flows;
        self.dns_answers += o.dns_answers;
        self.devices += o.devices;
        self.alerts += o.alerts;
    }
}

/// The tables holding a session's rows, with the column each is aged by.
pub(crate) const SESSION_TABLES: [(&str, &str); 4] = [
    ("flows", "last_seen"),
    ("dns_answers", "at"),
    ("devices", "last_seen"),
    ("alerts", "last_seen"),
];

impl Deleted {
    pub(crate) fn count_mut(&mut self, table: &str) -> &mut u64 {
        match table {
            "flows" => &mut self.flows,
            "dns_answers" => &mut self.dns_answers,
            "devices" => &mut self.devices,
            _ => &mut self.alerts,
        }
    }
}

impl Store {
    /// The current session's id, as the writer files new ops under it. No database access.
    pub fn current_session_id(&self) -> i64 {
        self.current.load(std::sync::atomic::Ordering::Acquire)
    }

    /// One session by id.
    pub fn session(&self, id: i64) -> Result<Option<Session>, StoreError> {
        let conn = self.conn.lock();
        let mut st = conn.prepare_cached(&format!(
            "SELECT {SESSION_COLUMNS} FROM sessions WHERE id = ?1"
        ))?;
        Ok(st.query_row(params![id], session_from_row).optional()?)
    }

    /// Delete an ended session and everything recorded in it, in chunks (see the module
    /// notes). The current session cannot be deleted: start a new one first.
    pub fn delete_session(&self, id: i64) -> Result<Deleted, StoreError> {
        let Some(session) = self.session(id)? else {
            return Err(StoreError::NoSuchSession(id));
        };
        if session.ended_at.is_none() || id == self.current_session_id() {
            return Err(StoreError::CurrentSession(id));
        }
        self.delete_session_rows(id)
    }

    /// Delete a session's rows chunk by chunk, then the session itself. Ops still queued for
    /// it are discarded by the writer (it checks that their session exists).
    pub(crate) fn delete_session_rows(&self, id: i64) -> Result<Deleted, StoreError> {
        let mut out = Deleted::default();
        for (table, _) in SESSION_TABLES {
            *out.count_mut(table) += self.delete_chunked(
                &format!(
                    "DELETE FROM {table} WHERE id IN \
                     (SELECT id FROM {table} WHERE session_id = ?1 LIMIT ?2)"
                ),
                id,
                None,
            )?;
        }
        let conn = self.conn.lock();
        out.sessions = conn.execute("DELETE FROM sessions WHERE id = ?1", params![id])? as u64;
        Ok(out)
    }

    /// Run `sql` (parameters: `?1` = `key`, `?2` = the chunk size, `?3` = `bound` if given)
    /// until it deletes fewer rows than a chunk. The connection's mutex is taken per chunk,
    /// so readers and the writer get their turn in between.
    pub(crate) fn delete_chunked(
        &self,
        sql: &str,
        key: i64,
        bound: Option<i64>,
    ) -> Result<u64, StoreError> {
        let mut total = 0u64;
        loop {
            let n = {
                let conn = self.conn.lock();
                let mut st = conn.prepare_cached(sql)?;
                match bound {
                    Some(b) => st.execute(params![key, DELETE_CHUNK, b])?,
                    None => st.execute(params![key, DELETE_CHUNK])?,
                }
            };
            total += n as u64;
            if (n as i64) < DELETE_CHUNK {
                return Ok(total);
            }
        }
    }
}
