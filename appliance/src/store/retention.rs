//! Keeping the database within its age and size limits (`[history]`).
//!
//! * Age: sessions that ended more than `retention_days` ago are deleted, and in every
//!   session flows, answers, devices and alerts last seen before then.
//! * Size: when the database uses more than `max_db_mb`, the oldest flows and answers are
//!   deleted first (oldest ended sessions first; an ended session left empty goes too), down
//!   to 90% of the cap. The current session's last hour is never deleted, so the cap can be
//!   exceeded by what one hour records; that is reported in `/api/v1/status`.
//! * Space: the database runs with `auto_vacuum = INCREMENTAL`; after deleting, freed pages
//!   are handed back to the file system a few megabytes at a time and the WAL is truncated.
//!
//! Every delete is chunked ([`DELETE_CHUNK`] rows per transaction), so the writer thread
//! never waits long for the write lock. [`spawn`] runs it at start, every hour, and when an
//! admin changes the settings; the size is checked every ten minutes.

use std::sync::atomic::{AtomicBool, AtomicU32, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use parking_lot::Mutex;
use rusqlite::{params, OptionalExtension};
use serde::Serialize;
use tokio::sync::Notify;
use tokio_util::sync::CancellationToken;

use crate::config::HistoryConfig;
use crate::status::Status;
use crate::store::sessions::{Deleted, DELETE_CHUNK, SESSION_TABLES};
use crate::store::{codec, Store, StoreError};

/// The cap is enforced down to this share of it, so it is not hit again at once.
const CAP_TARGET_PERCENT: u64 = 90;
/// Pages handed back to the file system per step of the incremental vacuum (16 MB of 4 KiB
/// pages); each step is one short write transaction.
const VACUUM_STEP_PAGES: i64 = 4_096;
/// How often the size is checked.
const SIZE_CHECK: Duration = Duration::from_secs(600);
/// How often old rows are deleted.
const AGE_CHECK: Duration = Duration::from_secs(3_600);

/// The `[history]` settings as they are now; the admin can change them at runtime.
#[derive(Debug)]
pub struct HistorySettings {
    retention_days: AtomicU32,
    max_db_mb: AtomicU64,
    keep_old_sessions: AtomicBool,
    changed: Notify,
    last: Mutex<Option<RetentionReport>>,
}

impl HistorySettings {
    /// From the config file.
    pub fn new(c: &HistoryConfig) -> Self {
        HistorySettings {
            retention_days: AtomicU32::new(c.retention_days),
            max_db_mb: AtomicU64::new(c.max_db_mb),
            keep_old_sessions: AtomicBool::new(c.keep_old_sessions),
            changed: Notify::new(),
            last: Mutex::new(None),
        }
    }

    /// The settings as a config section.
    pub fn get(&self) -> HistoryConfig {
        HistoryConfig {
            retention_days: self.retention_days.load(Ordering::Relaxed),
            max_db_mb: self.max_db_mb.load(Ordering::Relaxed),
            keep_old_sessions: self.keep_old_sessions.load(Ordering::Relaxed),
        }
    }

    /// Replace the settings (validate first) and run retention soon.
    pub fn set(&self, c: &HistoryConfig) {
        self.retention_days
            .store(c.retention_days, Ordering::Relaxed);
        self.max_db_mb.store(c.max_db_mb, Ordering::Relaxed);
        self.keep_old_sessions
            .store(c.keep_old_sessions, Ordering::Relaxed);
        self.changed.notify_one();
    }

    /// The policy to enforce now.
    pub fn policy(&self) -> RetentionPolicy {
        let c = self.get();
        RetentionPolicy {
            retention: chrono::Duration::days(i64::from(c.retention_days)),
            max_db_bytes: c.max_db_mb.saturating_mul(1 << 20),
            protect_recent: chrono::Duration::hours(1),
        }
    }

    /// What the last run did.
    pub fn last_report(&self) -> Option<RetentionReport> {
        self.last.lock().clone()
    }
}

/// What to keep.
#[derive(Clone, Debug)]
pub struct RetentionPolicy {
    /// Rows last seen longer ago than this are deleted.
    pub retention: chrono::Duration,
    /// The database may use this many bytes.
    pub max_db_bytes: u64,
    /// The current session's rows this recent are never deleted for size.
    pub protect_recent: chrono::Duration,
}

/// The database file's size.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct DbSize {
    /// Bytes of the main file (pages × page size).
    pub file_bytes: u64,
    /// Of which free pages (given back by the next vacuum step).
    pub free_bytes: u64,
    /// The write-ahead log's size.
    pub wal_bytes: u64,
}

impl DbSize {
    /// Bytes holding data.
    pub fn used_bytes(&self) -> u64 {
        self.file_bytes.saturating_sub(self.free_bytes)
    }
}

/// What one run did.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct RetentionReport {
    /// When it ran.
    pub at: DateTime<Utc>,
    /// Deleted for age.
    pub expired: Deleted,
    /// Deleted for size.
    pub for_size: Deleted,
    /// Size before.
    pub before: DbSize,
    /// Size after (and after the vacuum).
    pub after: DbSize,
    /// Still over the cap: only the current session's last hour is left to delete.
    pub over_cap: bool,
    /// How long it took, in milliseconds.
    pub took_ms: u64,
}

/// Make sure the database runs with `auto_vacuum = INCREMENTAL`. A database created
/// before (schema v1) is converted once with a `VACUUM`, which rewrites the file: it needs
/// free space of about the database's size and takes a while on a large one, so it is
/// logged. A failure (no space) leaves the database as it was, without space reclaim.
pub(crate) fn ensure_incremental_vacuum(
    conn: &rusqlite::Connection,
    path: &std::path::Path,
) -> Result<(), StoreError> {
    let mode: i64 = conn.query_row("PRAGMA auto_vacuum", [], |r| r.get(0))?;
    if mode == 2 {
        return Ok(());
    }
    tracing::info!(
        "history: converting {} to incremental auto-vacuum (once)",
        path.display()
    );
    conn.pragma_update(None, "auto_vacuum", "INCREMENTAL")?;
    if let Err(e) = conn.execute_batch("VACUUM") {
        tracing::warn!(
            "history: {} could not be converted to incremental auto-vacuum ({e}); deleted \
             rows will be reused but the file will not shrink",
            path.display()
        );
    }
    Ok(())
}

impl Store {
    /// The database's size now.
    pub fn db_size(&self) -> Result<DbSize, StoreError> {
        let conn = self.conn.lock();
        let page_size: i64 = conn.query_row("PRAGMA page_size", [], |r| r.get(0))?;
        let pages: i64 = conn.query_row("PRAGMA page_count", [], |r| r.get(0))?;
        let free: i64 = conn.query_row("PRAGMA freelist_count", [], |r| r.get(0))?;
        let wal = std::fs::metadata(self.path.with_extension("db-wal"))
            .map(|m| m.len())
            .unwrap_or(0);
        let b = |p: i64| u64::try_from(p.saturating_mul(page_size)).unwrap_or(0);
        Ok(DbSize {
            file_bytes: b(pages),
            free_bytes: b(free),
            wal_bytes: wal,
        })
    }

    /// Delete what the policy does not keep, then give the space back. `now` is passed in
    /// so tests can age data.
    pub fn enforce_retention(
        &self,
        policy: &RetentionPolicy,
        now: DateTime<Utc>,
    ) -> Result<RetentionReport, StoreError> {
        let started = std::time::Instant::now();
        let before = self.db_size()?;
        let expired = self.delete_expired(now - policy.retention)?;
        let (for_size, over_cap) = self.enforce_cap(policy, now)?;
        self.reclaim_space()?;
        Ok(RetentionReport {
            at: now,
            expired,
            for_size,
            before,
            after: self.db_size()?,
            over_cap,
            took_ms: u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX),
        })
    }

    /// Delete sessions that ended before `cutoff`, and rows last seen before it.
    fn delete_expired(&self, cutoff: DateTime<Utc>) -> Result<Deleted, StoreError> {
        let cutoff = codec::to_ms(cutoff);
        let current = self.current_session_id();
        let (ended, all) = {
            let conn = self.conn.lock();
            let mut st = conn.prepare_cached(
                "SELECT id FROM sessions WHERE ended_at IS NOT NULL AND ended_at < ?1",
            )?;
            let ended = st
                .query_map(params![cutoff], |r| r.get::<_, i64>(0))?
                .collect::<Result<Vec<_>, _>>()?;
            let mut st = conn.prepare_cached("SELECT id FROM sessions")?;
            let all = st
                .query_map([], |r| r.get::<_, i64>(0))?
                .collect::<Result<Vec<_>, _>>()?;
            (ended, all)
        };
        let mut out = Deleted::default();
        for id in ended.iter().copied().filter(|&id| id != current) {
            out.add(self.delete_session_rows(id)?);
        }
        for id in all
            .into_iter()
            .filter(|id| !ended.contains(id) || *id == current)
        {
            for (table, column) in SESSION_TABLES {
                // The (session_id, <time>) indexes find the old rows without a scan.
                *out.count_mut(table) += self.delete_chunked(
                    &format!(
                        "DELETE FROM {table} WHERE id IN (SELECT id FROM {table} \
                         WHERE session_id = ?1 AND {column} < ?3 LIMIT ?2)"
                    ),
                    id,
                    Some(cutoff),
                )?;
            }
        }
        Ok(out)
    }

    /// Delete the oldest flows and answers while the database uses more than the cap.
    /// Returns what was deleted and whether it is still over (only protected rows left).
    fn enforce_cap(
        &self,
        policy: &RetentionPolicy,
        now: DateTime<Utc>,
    ) -> Result<(Deleted, bool), StoreError> {
        let mut out = Deleted::default();
        if self.db_size()?.used_bytes() <= policy.max_db_bytes {
            return Ok((out, false));
        }
        let target = policy.max_db_bytes / 100 * CAP_TARGET_PERCENT;
        let current = self.current_session_id();
        // Oldest first; the current session last.
        let mut order: Vec<i64> = {
            let conn = self.conn.lock();
            let mut st = conn.prepare_cached("SELECT id FROM sessions ORDER BY started_at, id")?;
            let ids = st
                .query_map([], |r| r.get::<_, i64>(0))?
                .collect::<Result<Vec<_>, _>>()?;
            ids
        };
        order.retain(|&id| id != current);
        order.push(current);
        let protect_from = codec::to_ms(now - policy.protect_recent);
        for id in order {
            let is_current = id == current;
            loop {
                if self.db_size()?.used_bytes() <= target {
                    return Ok((out, false));
                }
                let limit = is_current.then_some(protect_from);
                let Some(upto) = self.oldest_chunk_end(id, limit)? else {
                    break;
                };
                let d = self.delete_upto(id, upto)?;
                let none = d.flows == 0 && d.dns_answers == 0;
                out.add(d);
                if none {
                    break;
                }
            }
            if !is_current {
                // Emptied by the cap: the session goes (with its devices and alerts).
                out.add(self.delete_session_rows(id)?);
            }
        }
        Ok((out, self.db_size()?.used_bytes() > target))
    }

    /// The time up to which deleting removes about one chunk of the session's oldest flows
    /// and answers (whichever are older), at most `limit`. `None`: nothing to delete.
    fn oldest_chunk_end(
        &self,
        session: i64,
        limit: Option<i64>,
    ) -> Result<Option<i64>, StoreError> {
        let conn = self.conn.lock();
        let bound = limit.unwrap_or(i64::MAX);
        let nth = |table: &str, column: &str| -> Result<Option<i64>, StoreError> {
            let mut st = conn.prepare_cached(&format!(
                "SELECT max({column}) FROM (SELECT {column} FROM {table} \
                 WHERE session_id = ?1 AND {column} < ?3 ORDER BY {column} LIMIT ?2)"
            ))?;
            Ok(st
                .query_row(params![session, DELETE_CHUNK, bound], |r| {
                    r.get::<_, Option<i64>>(0)
                })
                .optional()?
                .flatten())
        };
        let f = nth("flows", "last_seen")?;
        let d = nth("dns_answers", "at")?;
        Ok(match (f, d) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        })
    }

    /// Delete a session's flows and answers last seen at or before `upto`.
    fn delete_upto(&self, session: i64, upto: i64) -> Result<Deleted, StoreError> {
        let mut out = Deleted::default();
        for (table, column) in [("flows", "last_seen"), ("dns_answers", "at")] {
            *out.count_mut(table) += self.delete_chunked(
                &format!(
                    "DELETE FROM {table} WHERE id IN (SELECT id FROM {table} \
                     WHERE session_id = ?1 AND {column} <= ?3 LIMIT ?2)"
                ),
                session,
                Some(upto),
            )?;
        }
        Ok(out)
    }

    /// Give free pages back to the file system ([`VACUUM_STEP_PAGES`] per step) and
    /// truncate the WAL. Returns the bytes given back.
    pub fn reclaim_space(&self) -> Result<u64, StoreError> {
        let before = self.db_size()?;
        if before.free_bytes > 0 {
            let mut last_free = i64::MAX;
            loop {
                let free: i64 = {
                    let conn = self.conn.lock();
                    // PRAGMA arguments cannot be bound; this one is a constant.
                    let mut st = conn.prepare_cached(&format!(
                        "PRAGMA incremental_vacuum({VACUUM_STEP_PAGES})"
                    ))?;
                    let mut rows = st.query([])?;
                    while rows.next()?.is_some() {}
                    drop(rows);
                    conn.query_row("PRAGMA freelist_count", [], |r| r.get(0))?
                };
                // auto_vacuum off (a database that could not be converted): nothing moves.
                if free == 0 || free >= last_free {
                    break;
                }
                last_free = free;
            }
        }
        {
            let conn = self.conn.lock();
            // The file shrinks when the WAL is copied back; TRUNCATE also empties the WAL.
            // Busy (a reader is mid-way) is fine: the next checkpoint does it.
            let _busy: (i64, i64, i64) =
                conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |r| {
                    Ok((r.get(0)?, r.get(1)?, r.get(2)?))
                })?;
        }
        let after = self.db_size()?;
        Ok(before.file_bytes.saturating_sub(after.file_bytes))
    }
}

/// Run retention at start, hourly, and when the settings change; check the size every ten
/// minutes. Results go to the log, `settings.last_report()`, and warnings to `status`.
pub fn spawn(
    store: Arc<Store>,
    settings: Arc<HistorySettings>,
    status: Arc<Status>,
    shutdown: CancellationToken,
) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut size_tick =
            tokio::time::interval_at(tokio::time::Instant::now() + SIZE_CHECK, SIZE_CHECK);
        let mut last_full: Option<tokio::time::Instant> = None;
        loop {
            let full = last_full.is_none_or(|t| t.elapsed() >= AGE_CHECK);
            let run = {
                let (store, settings) = (store.clone(), settings.clone());
                tokio::task::spawn_blocking(
                    move || -> Result<Option<RetentionReport>, StoreError> {
                        let policy = settings.policy();
                        if !full && store.db_size()?.used_bytes() <= policy.max_db_bytes {
                            return Ok(None);
                        }
                        store.enforce_retention(&policy, Utc::now()).map(Some)
                    },
                )
            };
            match run.await {
                Ok(Ok(Some(report))) => {
                    if full {
                        last_full = Some(tokio::time::Instant::now());
                    }
                    log_report(&report, &status, &settings);
                    *settings.last.lock() = Some(report);
                }
                Ok(Ok(None)) => {}
                Ok(Err(e)) => tracing::warn!("history: retention failed: {e}"),
                Err(e) => tracing::warn!("history: retention task failed: {e}"),
            }
            tokio::select! {
                _ = shutdown.cancelled() => return,
                _ = size_tick.tick() => {}
                _ = settings.changed.notified() => last_full = None,
            }
        }
    })
}

fn log_report(r: &RetentionReport, status: &Status, settings: &HistorySettings) {
    let gone = |d: &Deleted| d.flows + d.dns_answers + d.sessions;
    if gone(&r.expired) + gone(&r.for_size) > 0 || r.after.file_bytes < r.before.file_bytes {
        tracing::info!(
            "history: deleted {} sessions, {} flows, {} answers past {} days and {} flows, {} \
             answers for size; database {} -> {} MB in {} ms",
            r.expired.sessions,
            r.expired.flows,
            r.expired.dns_answers,
            settings.get().retention_days,
            r.for_size.flows,
            r.for_size.dns_answers,
            r.before.file_bytes >> 20,
            r.after.file_bytes >> 20,
            r.took_ms
        );
    }
    if r.over_cap {
        status.warn(crate::status::StatusWords::new(
            "history-over-cap",
            [("max_mb", settings.get().max_db_mb.to_string())],
        ));
    }
}
