//! The appliance's memory: sessions, devices, DNS answers, flows and alerts in SQLite.
//!
//! ```text
//!   correlator ──try_send(StoreOp)──> bounded channel ──> writer thread ──> whereflow.db
//!   web API / restart restore  <──────────── Store (read connection) ────────┘
//! ```
//!
//! * [`Store::open`] opens (creating if needed) `<data dir>/whereflow.db`, applies the
//!   [`schema`] migrations and makes sure a session is open.
//! * [`Store::spawn_writer`] starts the one writer: a plain OS thread with its own
//!   connection, fed through a bounded channel. [`StoreWriter::try_send`] never blocks, so
//!   neither the DNS path nor the tokio workers ever wait on the disk; when the queue is
//!   full the op is dropped and counted.
//! * The writer commits one transaction per batch: every [`WriterConfig::max_delay`]
//!   (500 ms) or [`WriterConfig::max_ops`] (2,000) ops, whichever comes first.
//!
//! Durability: the database runs in WAL mode with `synchronous=NORMAL`. A commit then
//! appends to the WAL without an fsync (the fsync happens at checkpoints). A power cut can
//! lose the last commits that had not reached the disk yet, but it cannot corrupt the
//! database: on the next open SQLite replays the WAL up to the last complete commit. With
//! batches every 500 ms that is typically the last half second, at most about 2 s;
//! `synchronous=FULL` would fsync each batch, twice a second, for little gain and more SD
//! card wear. A killed process (SIGKILL) loses nothing that was committed: the WAL is in
//! the OS page cache.
//!
//! [`Store`]'s methods block on SQLite: call them from `tokio::task::spawn_blocking` (or
//! at startup), not directly on an async worker.

mod alerts;
mod codec;
mod devices;
pub(crate) mod export;
mod forget;
mod group_view;
mod marks;
mod paths;
mod pseudonym_key;
pub(crate) mod retention;
pub(crate) mod schema;
pub(crate) mod sessions;
mod snapshots;
mod writer;

use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::{DateTime, Utc};
use parking_lot::Mutex;
use rusqlite::{params, Connection, OptionalExtension, TransactionBehavior};
use serde::Serialize;

use crate::model::{DnsLogEntry, FlowRecord};

pub use export::{DeviceRow, ExportError, FlowRow, HostRow, SessionReader};
pub use group_view::StoredRule;
pub use marks::{ReplayFrame, Timeline, TimelineSeries};
pub use retention::{DbSize, HistorySettings, RetentionPolicy, RetentionReport};
pub use sessions::Deleted;
pub use snapshots::CounterSnapshot;
pub use writer::{DeviceSeen, ForgetReply, StoreOp, StoreWriter, WriterConfig, WriterStats};

/// The database file's name inside the data directory.
pub const DB_FILE: &str = "whereflow.db";

/// How long a connection waits for another one's write lock before giving up.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// Why the store could not do something.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The data directory could not be created.
    #[error("cannot create data directory {}: {source}", path.display())]
    CreateDir {
        /// The directory.
        path: PathBuf,
        /// What the OS said.
        source: std::io::Error,
    },
    /// The database file could not be opened or set up.
    #[error("cannot open database {}: {source}", path.display())]
    Open {
        /// The database file.
        path: PathBuf,
        /// What SQLite said.
        source: rusqlite::Error,
    },
    /// The database was written by a newer whereflow.
    #[error(
        "database schema version {found} is newer than this whereflow knows ({known}): \
         run a newer whereflow or move the data directory aside"
    )]
    TooNew {
        /// The database's version.
        found: u32,
        /// The newest version this build knows.
        known: u32,
    },
    /// A migration step failed (and was rolled back).
    #[error("database migration to schema version {to} failed: {source}")]
    Migration {
        /// The version the step would have reached.
        to: u32,
        /// What SQLite said.
        source: rusqlite::Error,
    },
    /// A query failed.
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// The writer thread could not be started.
    #[error("cannot start the store writer thread: {0}")]
    Spawn(std::io::Error),
    /// No session has this id.
    #[error("there is no session {0}")]
    NoSuchSession(i64),
    /// The current session cannot be deleted.
    #[error("session {0} is the current session: start a new session before deleting it")]
    CurrentSession(i64),
    /// The session has as many marks as it may keep.
    #[error("this session already has {0} marks, the most one session keeps")]
    TooManyMarks(usize),
    /// The writer thread has stopped (or its queue stayed full).
    #[error("the store writer is not running or too busy: {0}")]
    Writer(String),
}

/// One class or workshop: everything recorded between its start and the next one's.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Session {
    /// Database id (used in `/api/v1/sessions/{id}`).
    pub id: i64,
    /// What the admin called it; empty when they gave no name (the pages then say "Session
    /// of <date>" in the reader's language).
    pub name: String,
    /// When it started.
    pub started_at: DateTime<Utc>,
    /// When it ended; `None` for the current session.
    pub ended_at: Option<DateTime<Utc>>,
}

/// The database. Cheap to share behind an `Arc`; reads go through one connection (behind a
/// mutex), writes of live data through the [`StoreWriter`] from [`Store::spawn_writer`].
pub struct Store {
    path: PathBuf,
    conn: Mutex<Connection>,
    /// The current session's id, shared with writer handles so each op is filed under the
    /// session that was current when it was queued.
    current: std::sync::Arc<std::sync::atomic::AtomicI64>,
}

/// Open a connection with the settings every connection needs.
fn connect(path: &Path) -> Result<Connection, StoreError> {
    let open = |source| StoreError::Open {
        path: path.to_owned(),
        source,
    };
    let conn = Connection::open(path).map_err(open)?;
    conn.busy_timeout(BUSY_TIMEOUT).map_err(open)?;
    // "Forget my device" must leave no trace in the file: deleted rows and freed pages are
    // overwritten with zeros (per connection, not kept in the file; see `forget`).
    conn.pragma_update(None, "secure_delete", true)
        .map_err(open)?;
    // Persistent in the file; returns the mode in force.
    let mode: String = conn
        .query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))
        .map_err(open)?;
    if !mode.eq_ignore_ascii_case("wal") {
        tracing::warn!("database {} is in {mode} mode, not WAL", path.display());
    }
    conn.pragma_update(None, "synchronous", "NORMAL")
        .map_err(open)?;
    // 1 MiB page cache per connection (SQLite's default is 2 MiB): the writer appends and the
    // reader restores once at start; the appliance's memory is better spent on live flows.
    conn.pragma_update(None, "cache_size", -1024)?;
    conn.pragma_update(None, "foreign_keys", true)
        .map_err(open)?;
    Ok(conn)
}

/// The database and its `-wal` and `-shm` files readable by the daemon's user only: they
/// hold every device's history. A new database file is made `0600` before SQLite opens it
/// (SQLite gives the `-wal` and `-shm` files the database's mode); files of an older
/// install are set to `0600`.
fn private_files(db: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
    // An empty file is a new database to SQLite.
    std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(false)
        .mode(0o600)
        .open(db)?;
    for suffix in ["", "-wal", "-shm"] {
        let mut name = db.as_os_str().to_owned();
        name.push(suffix);
        match std::fs::metadata(&name) {
            Ok(m) if m.permissions().mode() & 0o077 != 0 => std::fs::set_permissions(
                &name,
                std::fs::Permissions::from_mode(m.permissions().mode() & 0o700),
            )?,
            Ok(_) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

fn session_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Session> {
    Ok(Session {
        id: r.get(0)?,
        name: r.get(1)?,
        started_at: codec::from_ms(r.get(2)?),
        ended_at: r.get::<_, Option<i64>>(3)?.map(codec::from_ms),
    })
}

const SESSION_COLUMNS: &str = "id, name, started_at, ended_at";

impl Store {
    /// Open `dir/whereflow.db`, creating the directory and the database if needed, apply
    /// migrations, and make sure a session is open (the first start creates one with no name).
    pub fn open(dir: &Path) -> Result<Store, StoreError> {
        crate::sys::fs::create_private_dir(dir).map_err(|source| StoreError::CreateDir {
            path: dir.to_owned(),
            source,
        })?;
        let path = dir.join(DB_FILE);
        private_files(&path).map_err(|source| StoreError::CreateDir {
            path: dir.to_owned(),
            source,
        })?;
        let mut conn = connect(&path)?;
        // Takes effect on a new, empty database; an older one is converted below.
        conn.pragma_update(None, "auto_vacuum", "INCREMENTAL")
            .map_err(|source| StoreError::Open {
                path: path.clone(),
                source,
            })?;
        schema::migrate(&mut conn)?;
        retention::ensure_incremental_vacuum(&conn, &path)?;
        let store = Store {
            path,
            conn: Mutex::new(conn),
            current: Default::default(),
        };
        store.current_session()?;
        Ok(store)
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The open session; if there is none (first start), one is created.
    pub fn current_session(&self) -> Result<Session, StoreError> {
        let mut conn = self.conn.lock();
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let open = tx
            .query_row(
                &format!(
                    "SELECT {SESSION_COLUMNS} FROM sessions WHERE ended_at IS NULL \
                     ORDER BY id DESC LIMIT 1"
                ),
                [],
                session_from_row,
            )
            .optional()?;
        let session = match open {
            Some(s) => s,
            None => insert_session(&tx, "", Utc::now())?,
        };
        tx.commit()?;
        self.set_current(session.id);
        Ok(session)
    }

    /// End the current session and start a new one called `name` (empty: no name). Ops queued from now on
    /// are filed under the new session.
    pub fn start_session(&self, name: &str) -> Result<Session, StoreError> {
        let mut conn = self.conn.lock();
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let now = Utc::now();
        tx.execute(
            "UPDATE sessions SET ended_at = ?1 WHERE ended_at IS NULL",
            params![codec::to_ms(now)],
        )?;
        let session = insert_session(&tx, name, now)?;
        tx.commit()?;
        self.set_current(session.id);
        Ok(session)
    }

    /// All sessions, newest first.
    pub fn sessions(&self) -> Result<Vec<Session>, StoreError> {
        let conn = self.conn.lock();
        let mut st = conn.prepare_cached(&format!(
            "SELECT {SESSION_COLUMNS} FROM sessions ORDER BY id DESC"
        ))?;
        let rows = st.query_map([], session_from_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    fn set_current(&self, id: i64) {
        self.current.store(id, std::sync::atomic::Ordering::Release);
    }

    /// Start the writer thread with the default batching ([`WriterConfig::default`]) and a
    /// queue of `capacity` ops. The thread makes a final commit and ends when every
    /// [`StoreWriter`] clone has been dropped; join the handle to wait for that.
    pub fn spawn_writer(
        &self,
        capacity: usize,
    ) -> Result<(StoreWriter, std::thread::JoinHandle<()>), StoreError> {
        self.spawn_writer_with(WriterConfig {
            capacity,
            ..WriterConfig::default()
        })
    }

    /// [`Store::spawn_writer`] with explicit batching.
    pub fn spawn_writer_with(
        &self,
        config: WriterConfig,
    ) -> Result<(StoreWriter, std::thread::JoinHandle<()>), StoreError> {
        let conn = connect(&self.path)?;
        writer::spawn(conn, config, self.current.clone())
    }

    /// The `limit` most recently changed flows of a session, newest first: what the live
    /// view shows again after a restart. Rows that no longer decode are skipped.
    pub fn recent_flows(&self, session: i64, limit: usize) -> Result<Vec<FlowRecord>, StoreError> {
        let conn = self.conn.lock();
        let mut st = conn.prepare_cached(&format!(
            "SELECT {} FROM flows WHERE session_id = ?1 ORDER BY last_seen DESC, id DESC LIMIT ?2",
            codec::FLOW_COLUMNS
        ))?;
        let rows = st.query_map(params![session, limit_param(limit)], codec::flow_from_row)?;
        let mut out = Vec::new();
        for r in rows {
            match r? {
                Some(f) => out.push(f),
                None => tracing::debug!("store: skipped a flow row that does not decode"),
            }
        }
        Ok(out)
    }

    /// The last `per_device` DNS answers of each device of a session, oldest first across
    /// all devices: pushing them in order into a `DnsLog` rebuilds it as it was (the most
    /// recently active devices last). Rows that no longer decode are skipped.
    pub fn recent_dns(
        &self,
        session: i64,
        per_device: usize,
    ) -> Result<Vec<DnsLogEntry>, StoreError> {
        let conn = self.conn.lock();
        // Per device through the (session_id, device_ip, at) index: cost follows what is
        // returned, not the size of the session.
        let mut devices =
            conn.prepare_cached("SELECT DISTINCT ip FROM devices WHERE session_id = ?1")?;
        let ips = devices
            .query_map(params![session], |r| r.get::<_, String>(0))?
            .collect::<Result<Vec<_>, _>>()?;
        let mut st = conn.prepare_cached(&format!(
            "SELECT {}, id FROM dns_answers WHERE session_id = ?1 AND device_ip = ?2 \
             ORDER BY at DESC, id DESC LIMIT ?3",
            codec::DNS_COLUMNS
        ))?;
        let mut out = Vec::new();
        for ip in ips {
            let rows = st.query_map(params![session, ip, limit_param(per_device)], |r| {
                Ok((codec::dns_from_row(r)?, r.get::<_, i64>(9)?))
            })?;
            for r in rows {
                match r? {
                    (Some(e), id) => out.push((e, id)),
                    (None, _) => tracing::debug!("store: skipped a DNS row that does not decode"),
                }
            }
        }
        out.sort_by_key(|(e, id)| (e.at, *id));
        Ok(out.into_iter().map(|(e, _)| e).collect())
    }

    /// `PRAGMA integrity_check`: `"ok"`, or SQLite's list of problems (one per line).
    pub fn integrity_check(&self) -> Result<String, StoreError> {
        let conn = self.conn.lock();
        let mut st = conn.prepare("PRAGMA integrity_check")?;
        let lines = st
            .query_map([], |r| r.get::<_, String>(0))?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(lines.join("\n"))
    }
}

fn insert_session(
    tx: &rusqlite::Transaction<'_>,
    name: &str,
    now: DateTime<Utc>,
) -> Result<Session, StoreError> {
    let started = codec::to_ms(now);
    tx.execute(
        "INSERT INTO sessions (name, started_at) VALUES (?1, ?2)",
        params![name, started],
    )?;
    Ok(Session {
        id: tx.last_insert_rowid(),
        name: name.to_owned(),
        started_at: codec::from_ms(started),
        ended_at: None,
    })
}

/// SQLite's LIMIT is an i64.
fn limit_param(n: usize) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

/// A writer handle whose queue the test reads itself (no thread, no database).
#[cfg(test)]
pub(crate) fn test_writer_channel(
    capacity: usize,
) -> (StoreWriter, std::sync::mpsc::Receiver<Box<(i64, StoreOp)>>) {
    writer::test_channel(capacity)
}

#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_history;
