//! The one writer: a plain OS thread that drains a bounded queue into SQLite in batches.
//!
//! rusqlite blocks, and an SD card can stall for hundreds of milliseconds, so writes never
//! run on the tokio workers or the DNS path: producers call [`StoreWriter::try_send`], which
//! never waits (a full queue drops the op and counts it in [`WriterStats::dropped`]).
//!
//! A disk that is full or read-only (or a database locked for long) does not lose the batch
//! at hand: the writer holds it and retries, every 2 s at most, with [`WriterStats::failing`]
//! saying why (the daemon shows it in `/api/v1/status`); meanwhile the queue fills and further
//! ops are dropped and counted, and the producers never wait. When writes succeed again the
//! held batch and the queue are written and the warning clears.

// foldhash, not SipHash: the per-batch maps hash every answer's name and addresses, and
// SipHash was the writer's largest cost after SQLite itself (randomly seeded all the same).
use foldhash::{HashMap, HashMapExt, HashSet, HashSetExt};
use std::net::IpAddr;
use std::sync::atomic::{AtomicBool, AtomicI64, AtomicU64, Ordering};
use std::sync::mpsc::{self, Receiver, SyncSender, TryRecvError, TrySendError};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use rusqlite::{params, Connection, TransactionBehavior};

use crate::model::{DeviceId, DnsLogEntry, Domain, FlowRecord};
use crate::store::codec::{enrichment_json, json_strings, proto_text, state_text, to_i64, to_ms};
use crate::store::forget::{forget_in, wipe_wal};
use crate::store::sessions::Deleted;
use crate::store::StoreError;

/// One thing to record. Every op is filed under the session that was current when it was
/// queued; each also marks its device as seen in that session (the `devices` table).
#[derive(Clone, Debug)]
pub enum StoreOp {
    /// A DNS answer (appended).
    Dns(Arc<DnsLogEntry>),
    /// A flow, new or changed: upserted by `FlowRecord::id`. Counters, state, `last_seen`,
    /// and the name with its candidates and enrichment are updated; `first_seen` is kept.
    /// Counters never go down, and a record without a name does not erase a stored one.
    Flow(std::sync::Arc<FlowRecord>),
    /// What is known about a device beyond its address (from DHCP, the neighbour table).
    Device(DeviceSeen),
    /// Delete everything recorded about a device in every session ("forget my device").
    /// The writer commits all ops queued before this one first, so nothing queued earlier
    /// comes back after the delete; ops queued later are new data and are kept. Queue it
    /// with [`StoreWriter::forget_device`].
    ForgetDevice {
        /// The device's address.
        ip: IpAddr,
        /// Where the result goes.
        reply: ForgetReply,
    },
    /// Set (or with `None` clear) the nickname of the device with this MAC address, across
    /// sessions (`store::devices`).
    DeviceNickname {
        /// The device's MAC address (`aa:bb:cc:dd:ee:ff`).
        mac: String,
        /// The new nickname.
        nickname: Option<String>,
        /// When it was set.
        at: DateTime<Utc>,
    },
    /// Forget who the device with this MAC address is: its MAC, host name and nickname,
    /// everywhere (`store::devices`). Its history by address is [`StoreOp::ForgetDevice`]'s.
    ForgetIdentity {
        /// The device's MAC address.
        mac: String,
    },
    /// A detector's alert, new or grown: upserted by its id (`store::alerts`); `count` and
    /// `last_seen` never go down. It does not mark a device as seen.
    Alert(std::sync::Arc<crate::model::Alert>),
    /// Stop: commit everything queued before this, then end the writer thread, whoever
    /// still holds a handle; ops queued later are dropped and counted. Queue it with
    /// [`StoreWriter::close`].
    Close,
}

/// The result of a [`StoreOp::ForgetDevice`]: what was deleted, or why it failed.
pub type ForgetResult = Result<Deleted, String>;

/// Where the writer sends a [`StoreOp::ForgetDevice`]'s result.
#[derive(Clone, Debug)]
pub struct ForgetReply(mpsc::Sender<ForgetResult>);

impl StoreOp {
    /// Ops the writer runs on their own, after committing what was queued before them.
    fn is_control(&self) -> bool {
        matches!(self, StoreOp::ForgetDevice { .. } | StoreOp::Close)
    }
}

/// A device sighting with optional identity details; unknown (`None`) details keep the
/// stored values.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeviceSeen {
    /// The device's address.
    pub ip: IpAddr,
    /// Its MAC address, if known.
    pub mac: Option<String>,
    /// Its DHCP host name, if known.
    pub hostname: Option<String>,
    /// When it was seen.
    pub at: DateTime<Utc>,
}

/// How long the writer sleeps between drains of the queue while it collects a batch: the
/// most a control op (a forget, the close) waits beyond the batch it follows. The queue
/// (10,000 ops) holds well over this long of a busy room's answers.
const COLLECT_NAP: Duration = Duration::from_millis(10);

/// How the writer batches.
#[derive(Clone, Debug)]
pub struct WriterConfig {
    /// Ops the queue holds before [`StoreWriter::try_send`] starts dropping.
    pub capacity: usize,
    /// Commit once a batch has this many ops.
    pub max_ops: usize,
    /// Commit at the latest this long after the first op of a batch arrived: the most a
    /// queued op waits for the disk, and so (with `synchronous=NORMAL`) about the most a
    /// power cut loses.
    pub max_delay: Duration,
}

impl Default for WriterConfig {
    /// 10,000 queued ops; a commit every 500 ms or 2,000 ops.
    fn default() -> Self {
        WriterConfig {
            capacity: 10_000,
            max_ops: 2_000,
            max_delay: Duration::from_millis(500),
        }
    }
}

/// The writer's counters, for the status API.
#[derive(Debug, Default)]
pub struct WriterStats {
    /// Ops refused because the queue was full (or the writer had stopped).
    pub dropped: AtomicU64,
    /// Ops committed.
    pub written: AtomicU64,
    /// Transactions committed.
    pub batches: AtomicU64,
    /// Ops lost because their batch failed to commit (logged).
    pub failed: AtomicU64,
    /// Ops discarded because their session had been deleted meanwhile.
    pub discarded: AtomicU64,
    /// Commits tried again after the disk refused them (full, read-only, busy).
    pub retries: AtomicU64,
    /// Ops in the queue now (see [`WriterStats::queued`]). Counted up after a send and down
    /// after a receive, so it may dip below zero for an instant.
    in_queue: AtomicI64,
    /// Why the last commit failed; `None` once one succeeds.
    failing: parking_lot::Mutex<Option<String>>,
    /// Set by [`StoreWriter::close`]: stop retrying, the daemon is stopping.
    closing: AtomicBool,
}

impl WriterStats {
    /// Ops waiting in the queue now (at most the queue's capacity).
    pub fn queued(&self) -> u64 {
        u64::try_from(self.in_queue.load(Ordering::Relaxed)).unwrap_or(0)
    }

    fn sent(&self) {
        self.in_queue.fetch_add(1, Ordering::Relaxed);
    }

    fn received(&self) {
        self.in_queue.fetch_sub(1, Ordering::Relaxed);
    }

    /// Why writing fails now (`None`: the last commit succeeded, or none failed yet).
    pub fn failing(&self) -> Option<String> {
        self.failing.lock().clone()
    }
}

/// The first wait before a refused commit is tried again; it doubles up to [`RETRY_MAX`].
const RETRY_FIRST: Duration = Duration::from_millis(250);

/// The longest wait between tries: how late the history resumes once space is back.
const RETRY_MAX: Duration = Duration::from_secs(2);

/// How long after a failed WAL wipe (a reader held it) it is tried again.
const WIPE_RETRY: Duration = Duration::from_secs(10);

/// Boxed: `sync_channel` reserves every slot up front, and a flow is ~350 bytes inline, so a
/// 16,384-op queue would hold 5.7 MB of empty slots; boxed it holds 128 KB.
type Queued = Box<(i64, StoreOp)>;

/// A handle for queueing ops. Clone it freely; the writer stops at [`StoreWriter::close`]
/// (or after the last clone is dropped).
#[derive(Clone, Debug)]
pub struct StoreWriter {
    tx: SyncSender<Queued>,
    session: Arc<AtomicI64>,
    stats: Arc<WriterStats>,
}

impl StoreWriter {
    /// Queue an op without waiting. `false` (and one more [`WriterStats::dropped`]) when
    /// the queue is full or the writer has stopped.
    pub fn try_send(&self, op: StoreOp) -> bool {
        let session = self.session.load(Ordering::Acquire);
        match self.tx.try_send(Box::new((session, op))) {
            Ok(()) => {
                self.stats.sent();
                true
            }
            Err(TrySendError::Full(_) | TrySendError::Disconnected(_)) => {
                self.stats.dropped.fetch_add(1, Ordering::Relaxed);
                false
            }
        }
    }

    /// Queue [`StoreOp::ForgetDevice`] without waiting and return where its result will
    /// arrive (`recv_timeout` it from a blocking thread). Fails when the queue is full or
    /// the writer has stopped: try again a moment later.
    pub fn forget_device(&self, ip: IpAddr) -> Result<mpsc::Receiver<ForgetResult>, StoreError> {
        let (tx, rx) = mpsc::channel();
        let op = StoreOp::ForgetDevice {
            ip,
            reply: ForgetReply(tx),
        };
        let session = self.session.load(Ordering::Acquire);
        match self.tx.try_send(Box::new((session, op))) {
            Ok(()) => {
                self.stats.sent();
                Ok(rx)
            }
            Err(TrySendError::Full(_)) => Err(StoreError::Writer("queue full".into())),
            Err(TrySendError::Disconnected(_)) => Err(StoreError::Writer("stopped".into())),
        }
    }

    /// Stop the writer: everything queued so far is committed, then its thread ends (join
    /// it to know when). Waits for room in the queue, so call it from a blocking thread.
    pub fn close(&self) {
        // A batch held for retrying is given up, so the close gets through.
        self.stats.closing.store(true, Ordering::Release);
        let session = self.session.load(Ordering::Acquire);
        // A writer that has already stopped has nothing left to commit.
        if self.tx.send(Box::new((session, StoreOp::Close))).is_ok() {
            self.stats.sent();
        }
    }

    /// Ops dropped so far.
    pub fn dropped(&self) -> u64 {
        self.stats.dropped.load(Ordering::Relaxed)
    }

    /// The writer's counters (shared with the thread).
    pub fn stats(&self) -> Arc<WriterStats> {
        self.stats.clone()
    }
}

/// The queue alone, without a thread (the thread's half is returned).
fn channel(capacity: usize, session: Arc<AtomicI64>) -> (StoreWriter, Receiver<Queued>) {
    let (tx, rx) = mpsc::sync_channel(capacity);
    let writer = StoreWriter {
        tx,
        session,
        stats: Arc::default(),
    };
    (writer, rx)
}

pub(super) fn spawn(
    conn: Connection,
    config: WriterConfig,
    session: Arc<AtomicI64>,
) -> Result<(StoreWriter, JoinHandle<()>), StoreError> {
    let (writer, rx) = channel(config.capacity, session);
    let stats = writer.stats();
    let handle = std::thread::Builder::new()
        .name("store-writer".into())
        .spawn(move || run(conn, rx, &config, &stats))
        .map_err(StoreError::Spawn)?;
    Ok((writer, handle))
}

/// Collect a batch (waiting for its first op as long as it takes), commit it, repeat; at
/// [`StoreOp::Close`], or after the last sender is gone, commit what is left and return.
///
/// After a device is forgotten (its rows, or its identity by MAC) the WAL is checkpointed
/// and truncated, so the deleted rows leave it at once rather than at some later checkpoint.
fn run(mut conn: Connection, rx: Receiver<Queued>, config: &WriterConfig, stats: &WriterStats) {
    let max_ops = config.max_ops.max(1);
    let mut batch = Vec::with_capacity(max_ops);
    let mut open = true;
    // When a WAL wipe is due (a forget happened; a reader may have blocked the last try).
    let mut wipe_due: Option<Instant> = None;
    while open {
        match rx.recv() {
            Ok(op) => {
                stats.received();
                batch.push(op);
            }
            Err(_) => break,
        }
        open = collect_batch(&rx, &mut batch, max_ops, config.max_delay, stats);
        // Data ops in runs between control ops, in queue order.
        for run in batch.split_inclusive(|q| q.1.is_control()) {
            let (data, control) = match run.split_last() {
                Some((last, data)) if last.1.is_control() => (data, Some(&last.1)),
                _ => (run, None),
            };
            if !data.is_empty() {
                commit_counted(&mut conn, data, stats);
                if data
                    .iter()
                    .any(|q| matches!(q.1, StoreOp::ForgetIdentity { .. }))
                {
                    wipe_due = Some(Instant::now());
                }
            }
            match control {
                Some(StoreOp::ForgetDevice { ip, reply }) => {
                    let result = forget_in(&mut conn, *ip).map_err(|e| e.to_string());
                    match &result {
                        Ok(_) => wipe_due = Some(Instant::now()),
                        Err(e) => tracing::warn!("store: forgetting a device failed: {e}"),
                    }
                    // Wiped before the reply: when the asker hears "forgotten", it is.
                    if wipe_due.take().is_some() {
                        wipe_due = try_wipe(&conn);
                    }
                    // The asker may have given up waiting; the delete is done either way.
                    let _ = reply.0.send(result);
                }
                Some(StoreOp::Close) => open = false,
                _ => {}
            }
        }
        batch.clear();
        if wipe_due.is_some_and(|d| d <= Instant::now()) {
            wipe_due = try_wipe(&conn);
        }
    }
    tracing::debug!("store writer stopped");
}

/// Wipe the WAL; when it cannot be done now, when to try again.
fn try_wipe(conn: &Connection) -> Option<Instant> {
    match wipe_wal(conn) {
        Ok(true) => None,
        Ok(false) => {
            tracing::info!("store: a reader holds the WAL; emptying it again in 10 s");
            Some(Instant::now() + WIPE_RETRY)
        }
        Err(e) => {
            tracing::warn!("store: the WAL could not be emptied after a forget: {e}");
            Some(Instant::now() + WIPE_RETRY)
        }
    }
}

/// Add ops to `batch` until it is full, `max_delay` has passed since its first op, or a
/// control op ends it (it runs as soon as what came before is committed). `false` when
/// every sender is gone.
///
/// Between drains the writer naps for [`COLLECT_NAP`] instead of waiting on the queue: a
/// waiting receiver is woken by every send, and at tens of thousands of DNS answers a
/// second those wake-ups (a context switch each) cost more CPU than writing the rows.
fn collect_batch(
    rx: &Receiver<Queued>,
    batch: &mut Vec<Queued>,
    max_ops: usize,
    max_delay: Duration,
    stats: &WriterStats,
) -> bool {
    let deadline = Instant::now() + max_delay;
    loop {
        while batch.len() < max_ops && !batch.last().is_some_and(|q| q.1.is_control()) {
            match rx.try_recv() {
                Ok(op) => {
                    stats.received();
                    batch.push(op);
                }
                Err(TryRecvError::Empty) => break,
                Err(TryRecvError::Disconnected) => return false,
            }
        }
        let left = deadline.saturating_duration_since(Instant::now());
        if batch.len() >= max_ops
            || batch.last().is_some_and(|q| q.1.is_control())
            || left.is_zero()
        {
            return true;
        }
        std::thread::sleep(left.min(COLLECT_NAP));
    }
}

/// Commit `batch`; when the disk refuses it (full, read-only, busy), hold it and try again
/// until it goes through or the writer is closing. Other errors (a bug, a corrupt file)
/// cost the batch, counted in [`WriterStats::failed`], not the writer.
fn commit_counted(conn: &mut Connection, batch: &[Queued], stats: &WriterStats) {
    let n = batch.len() as u64;
    let mut wait = RETRY_FIRST;
    loop {
        match commit(conn, batch) {
            Ok(discarded) => {
                stats.written.fetch_add(n - discarded, Ordering::Relaxed);
                stats.discarded.fetch_add(discarded, Ordering::Relaxed);
                stats.batches.fetch_add(1, Ordering::Relaxed);
                if stats.failing.lock().take().is_some() {
                    tracing::info!("store: writing again");
                }
                return;
            }
            Err(e) => {
                let retry = may_pass(&e) && !stats.closing.load(Ordering::Acquire);
                let first = stats.failing.lock().replace(e.to_string()).is_none();
                if !retry {
                    stats.failed.fetch_add(n, Ordering::Relaxed);
                    tracing::warn!("store: a batch of {n} ops was not saved: {e}");
                    return;
                }
                if first {
                    tracing::warn!("store: cannot write ({e}); holding {n} ops and retrying");
                }
                stats.retries.fetch_add(1, Ordering::Relaxed);
                std::thread::sleep(wait);
                wait = (wait * 2).min(RETRY_MAX);
            }
        }
    }
}

/// An error of the disk or of a lock, which goes away by itself (space freed, the file
/// system remounted, the other writer done): worth retrying the same batch.
fn may_pass(e: &StoreError) -> bool {
    use rusqlite::ErrorCode as C;
    let StoreError::Sqlite(e) = e else {
        return false;
    };
    matches!(
        e.sqlite_error_code(),
        Some(
            C::DiskFull
                | C::ReadOnly
                | C::SystemIoFailure
                | C::CannotOpen
                | C::DatabaseBusy
                | C::DatabaseLocked
        )
    )
}

/// First and last sighting, and details, of one device in one batch.
struct DeviceTouch<'a> {
    first: i64,
    last: i64,
    mac: Option<&'a str>,
    hostname: Option<&'a str>,
}

impl<'a> DeviceTouch<'a> {
    fn seen<'m>(
        map: &'m mut HashMap<(i64, IpAddr), DeviceTouch<'a>>,
        session: i64,
        ip: IpAddr,
        first: i64,
        last: i64,
    ) -> &'m mut DeviceTouch<'a> {
        let d = map.entry((session, ip)).or_insert(DeviceTouch {
            first,
            last,
            mac: None,
            hostname: None,
        });
        d.first = d.first.min(first);
        d.last = d.last.max(last);
        d
    }
}

const INSERT_DNS: &str = "INSERT INTO dns_answers \
    (session_id, device_ip, name, qtype, rcode, chain, addrs, ttl, at, repeats) \
    VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)";

/// What makes two answers in one batch the same row (the first one's time and TTL are kept).
type SameAnswer<'a> = (
    i64,
    DeviceId,
    &'a str,
    &'a str,
    &'a str,
    &'a [Domain],
    &'a [IpAddr],
);

const UPSERT_FLOW: &str = "INSERT INTO flows \
    (session_id, flow_key, device_ip, remote_ip, remote_port, proto, domain, candidates, \
     enrichment, bytes_up, bytes_down, packets_up, packets_down, first_seen, last_seen, state) \
    VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16) \
    ON CONFLICT (session_id, flow_key) DO UPDATE SET \
      candidates = CASE WHEN excluded.domain IS NULL AND flows.domain IS NOT NULL \
                   THEN flows.candidates ELSE excluded.candidates END, \
      enrichment = CASE WHEN excluded.domain IS NULL AND flows.domain IS NOT NULL \
                   THEN flows.enrichment ELSE excluded.enrichment END, \
      domain = coalesce(excluded.domain, flows.domain), \
      bytes_up = max(flows.bytes_up, excluded.bytes_up), \
      bytes_down = max(flows.bytes_down, excluded.bytes_down), \
      packets_up = max(flows.packets_up, excluded.packets_up), \
      packets_down = max(flows.packets_down, excluded.packets_down), \
      last_seen = max(flows.last_seen, excluded.last_seen), \
      state = excluded.state";

/// How often an active flow's counters are kept as a snapshot (besides the one at its close).
pub const SNAPSHOT_EVERY_MS: i64 = 60_000;

/// A counter snapshot of the flow just upserted, unless it has one from the last minute (the
/// final one, at close, is always kept). `?1` session, `?2` flow key, `?3` at, `?4`..`?7`
/// counters, `?8` closed, `?9` [`SNAPSHOT_EVERY_MS`]. A flow with no counts yet has none.
const SNAPSHOT_FLOW: &str = "INSERT OR IGNORE INTO flow_snapshots \
    (flow_id, at, bytes_up, bytes_down, packets_up, packets_down) \
    SELECT f.id, ?3, ?4, ?5, ?6, ?7 FROM flows f WHERE f.session_id = ?1 AND f.flow_key = ?2 \
      AND ?4 + ?5 > 0 \
      AND (?8 OR NOT EXISTS (SELECT 1 FROM flow_snapshots s \
                             WHERE s.flow_id = f.id AND s.at > ?3 - ?9))";

const UPSERT_DEVICE: &str = "INSERT INTO devices \
    (session_id, ip, mac, hostname, first_seen, last_seen) VALUES (?1, ?2, ?3, ?4, ?5, ?6) \
    ON CONFLICT (session_id, ip) DO UPDATE SET \
      mac = coalesce(excluded.mac, devices.mac), \
      hostname = coalesce(excluded.hostname, devices.hostname), \
      first_seen = min(devices.first_seen, excluded.first_seen), \
      last_seen = max(devices.last_seen, excluded.last_seen)";

/// Write one batch in one transaction. Within a batch only the last version of each flow
/// is written, and each device is touched once. Ops filed under a session that no longer
/// exists (deleted while they were queued) are skipped; returns how many.
fn commit(conn: &mut Connection, batch: &[Queued]) -> Result<u64, StoreError> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    // Checked inside the write transaction: a session cannot go between check and insert.
    let gone = deleted_sessions(&tx, batch)?;
    let live: Vec<&(i64, StoreOp)> = batch
        .iter()
        .map(|q| &**q)
        .filter(|q| !gone.contains(&q.0))
        .collect();
    let discarded = (batch.len() - live.len()) as u64;
    let devices = write_answers(&tx, &live)?;
    write_flows(&tx, &live)?;
    super::alerts::write(
        &tx,
        live.iter().filter_map(|(session, op)| match op {
            StoreOp::Alert(a) => Some((*session, a)),
            _ => None,
        }),
    )?;
    write_devices(&tx, &devices)?;
    // Identities by MAC, in queue order, after the rows they update exist.
    for (session, op) in batch.iter().map(|q| &**q) {
        if !(matches!(op, StoreOp::Device(_)) && gone.contains(session)) {
            super::devices::apply(&tx, *session, op)?;
        }
    }
    tx.commit()?;
    Ok(discarded)
}

/// The sessions of `batch` that no longer exist.
fn deleted_sessions(tx: &Connection, batch: &[Queued]) -> Result<HashSet<i64>, StoreError> {
    let mut gone = HashSet::new();
    let mut exists = tx.prepare_cached("SELECT 1 FROM sessions WHERE id = ?1")?;
    let mut checked = HashSet::new();
    for (session, _) in batch.iter().map(|q| &**q) {
        if checked.insert(*session) && !exists.exists(params![session])? {
            gone.insert(*session);
        }
    }
    Ok(gone)
}

/// Append the DNS answers; return every device the batch saw, with when and what is known.
fn write_answers<'a>(
    tx: &Connection,
    live: &[&'a (i64, StoreOp)],
) -> Result<HashMap<(i64, IpAddr), DeviceTouch<'a>>, StoreError> {
    let mut devices: HashMap<(i64, IpAddr), DeviceTouch<'a>> = HashMap::new();
    // Identical answers of the batch become one row with a count, in order of first sight.
    let mut rows: Vec<(i64, &DnsLogEntry, u32)> = Vec::new();
    let mut row_of: HashMap<SameAnswer<'a>, usize> = HashMap::new();
    for (session, op) in live.iter().copied() {
        match op {
            StoreOp::Dns(e) => {
                let key = (
                    *session,
                    e.device_ip,
                    e.name.as_str(),
                    e.qtype.as_str(),
                    e.rcode.as_str(),
                    e.chain.as_slice(),
                    e.addrs.as_slice(),
                );
                match row_of.entry(key) {
                    std::collections::hash_map::Entry::Occupied(i) => {
                        let repeats = &mut rows[*i.get()].2;
                        *repeats = repeats.saturating_add(e.repeats);
                    }
                    std::collections::hash_map::Entry::Vacant(v) => {
                        v.insert(rows.len());
                        rows.push((*session, e, e.repeats));
                    }
                }
                let at = to_ms(e.at);
                DeviceTouch::seen(&mut devices, *session, e.device_ip.ip(), at, at);
            }
            StoreOp::Flow(f) => {
                let (first, last) = (to_ms(f.first_seen), to_ms(f.last_seen));
                DeviceTouch::seen(&mut devices, *session, f.device_ip.ip(), first, last);
            }
            StoreOp::Device(d) => {
                let at = to_ms(d.at);
                let t = DeviceTouch::seen(&mut devices, *session, d.ip, at, at);
                t.mac = d.mac.as_deref().or(t.mac);
                t.hostname = d.hostname.as_deref().or(t.hostname);
            }
            // Run by `run` between batches, never part of one.
            StoreOp::ForgetDevice { .. } | StoreOp::Close => {}
            // Applied after the device rows, by `commit`.
            StoreOp::DeviceNickname { .. } | StoreOp::ForgetIdentity { .. } => {}
            // Written by `commit`, newest version of each.
            StoreOp::Alert(_) => {}
        }
    }
    let mut dns = tx.prepare_cached(INSERT_DNS)?;
    for (session, e, repeats) in rows {
        dns.execute(params![
            session,
            e.device_ip.to_string(),
            e.name.as_str(),
            e.qtype,
            e.rcode,
            json_strings(&e.chain),
            json_strings(&e.addrs),
            e.ttl,
            to_ms(e.at),
            repeats,
        ])?;
    }
    Ok(devices)
}

/// Upsert the newest version of each flow of the batch, with its counter snapshot.
fn write_flows(tx: &Connection, live: &[&(i64, StoreOp)]) -> Result<(), StoreError> {
    // Walk back, keep the first seen per key.
    let mut done = HashSet::new();
    let mut flow = tx.prepare_cached(UPSERT_FLOW)?;
    let mut snapshot = tx.prepare_cached(SNAPSHOT_FLOW)?;
    for (session, op) in live.iter().rev().copied() {
        let StoreOp::Flow(f) = op else { continue };
        if !done.insert((*session, f.id.as_str())) {
            continue;
        }
        let enrichment = enrichment_json(&f.enrichment);
        flow.execute(params![
            session,
            f.id,
            f.device_ip.to_string(),
            f.remote_ip.to_string(),
            f.remote_port,
            proto_text(f.proto),
            f.domain.as_ref().map(|d| d.as_str()),
            json_strings(&f.candidates),
            enrichment,
            to_i64(f.bytes_up),
            to_i64(f.bytes_down),
            to_i64(f.packets_up),
            to_i64(f.packets_down),
            to_ms(f.first_seen),
            to_ms(f.last_seen),
            state_text(f.state),
        ])?;
        snapshot.execute(params![
            session,
            f.id,
            to_ms(f.last_seen),
            to_i64(f.bytes_up),
            to_i64(f.bytes_down),
            to_i64(f.packets_up),
            to_i64(f.packets_down),
            f.state == crate::model::FlowState::Closed,
            SNAPSHOT_EVERY_MS,
        ])?;
    }
    Ok(())
}

/// One row per device and session the batch saw.
fn write_devices(
    tx: &Connection,
    devices: &HashMap<(i64, IpAddr), DeviceTouch<'_>>,
) -> Result<(), StoreError> {
    let mut device = tx.prepare_cached(UPSERT_DEVICE)?;
    for ((session, ip), d) in devices {
        device.execute(params![
            session,
            ip.to_string(),
            d.mac,
            d.hostname,
            d.first,
            d.last
        ])?;
    }
    Ok(())
}

#[cfg(test)]
pub(super) fn test_channel(capacity: usize) -> (StoreWriter, Receiver<Queued>) {
    channel(capacity, Arc::new(AtomicI64::new(1)))
}
