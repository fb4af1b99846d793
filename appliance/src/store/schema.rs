//! The database layout and its versioned migrations.
//!
//! The schema version lives in the database header (`PRAGMA user_version`). [`MIGRATIONS`]
//! holds one SQL step per version; step `n` (0-based) takes a database from version `n` to
//! `n + 1`. Each step and its version bump run in one transaction, so a power cut during a
//! migration leaves the database at the old version or the new one, never in between.
//! Steps are only ever appended: a released step is never edited.
//!
//! Times are integer milliseconds since the Unix epoch (UTC), not RFC 3339 text: 8 bytes
//! instead of ~30 per column (flows have two, over a million rows a day), compared and
//! indexed as numbers (retention and "newest first" are range scans), and no ambiguity
//! about offsets or fraction digits in string comparisons. Millisecond precision is all
//! the API shows.

use rusqlite::Connection;

use crate::store::StoreError;

/// Schema version 1: sessions, devices, DNS answers, flows, alerts.
const V1: &str = "
CREATE TABLE sessions (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL,
    started_at  INTEGER NOT NULL,
    ended_at    INTEGER
);

-- One row per device address per session. MAC-based identity fills
-- `mac`/`hostname`; `nickname` is set by the person on their device's page.
CREATE TABLE devices (
    id          INTEGER PRIMARY KEY,
    session_id  INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    ip          TEXT NOT NULL,
    mac         TEXT,
    hostname    TEXT,
    nickname    TEXT,
    first_seen  INTEGER NOT NULL,
    last_seen   INTEGER NOT NULL,
    UNIQUE (session_id, ip)
);
CREATE INDEX devices_session_last_seen ON devices (session_id, last_seen);

-- `chain` and `addrs` are JSON arrays of strings.
CREATE TABLE dns_answers (
    id          INTEGER PRIMARY KEY,
    session_id  INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    device_ip   TEXT NOT NULL,
    name        TEXT NOT NULL,
    qtype       TEXT NOT NULL,
    rcode       TEXT NOT NULL,
    chain       TEXT NOT NULL,
    addrs       TEXT NOT NULL,
    ttl         INTEGER NOT NULL,
    at          INTEGER NOT NULL
);
CREATE INDEX dns_answers_session_at ON dns_answers (session_id, at);
CREATE INDEX dns_answers_session_device_at ON dns_answers (session_id, device_ip, at);

-- One row per flow per session, updated in place (upsert on `flow_key`, the
-- `FlowRecord::id`). `candidates` is a JSON array of names; `enrichment` a JSON object
-- with the `Enrichment` fields.
CREATE TABLE flows (
    id            INTEGER PRIMARY KEY,
    session_id    INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    flow_key      TEXT NOT NULL,
    device_ip     TEXT NOT NULL,
    remote_ip     TEXT NOT NULL,
    remote_port   INTEGER NOT NULL,
    proto         TEXT NOT NULL,
    domain        TEXT,
    candidates    TEXT NOT NULL,
    enrichment    TEXT NOT NULL,
    bytes_up      INTEGER NOT NULL,
    bytes_down    INTEGER NOT NULL,
    packets_up    INTEGER NOT NULL,
    packets_down  INTEGER NOT NULL,
    first_seen    INTEGER NOT NULL,
    last_seen     INTEGER NOT NULL,
    state         TEXT NOT NULL,
    UNIQUE (session_id, flow_key)
);
CREATE INDEX flows_session_last_seen ON flows (session_id, last_seen);

-- Detector findings: one row per kind and subject, counted while it repeats.
CREATE TABLE alerts (
    id          INTEGER PRIMARY KEY,
    session_id  INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    kind        TEXT NOT NULL,
    device_ip   TEXT,
    remote_ip   TEXT,
    domain      TEXT,
    first_seen  INTEGER NOT NULL,
    last_seen   INTEGER NOT NULL,
    count       INTEGER NOT NULL DEFAULT 1,
    message     TEXT NOT NULL
);
CREATE INDEX alerts_session_last_seen ON alerts (session_id, last_seen);
";

/// Schema version 2 (export, retention, forget a device): a device's flows by
/// session, so forgetting a device, exporting per-device totals and deleting a session in
/// chunks are index lookups instead of scans of the whole flows table (~20 bytes a flow).
/// The database's `auto_vacuum = INCREMENTAL` (space given back after retention deletes)
/// cannot be set inside a transaction; `Store::open` switches it on (see `store::retention`).
const V2: &str = "
CREATE INDEX flows_session_device ON flows (session_id, device_ip);
";

/// Schema version 3 (devices known by MAC): one row per device across sessions, so
/// a nickname survives restarts and new sessions (see `store::devices`); the per-session
/// `devices` rows are found by MAC to copy a nickname or forget an identity.
const V3: &str = "
CREATE TABLE known_devices (
    mac         TEXT PRIMARY KEY,
    hostname    TEXT,
    nickname    TEXT,
    first_seen  INTEGER NOT NULL,
    last_seen   INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX known_devices_last_seen ON known_devices (last_seen);
CREATE INDEX devices_mac ON devices (mac) WHERE mac IS NOT NULL;
";

/// Schema version 4 (detectors): the rule that raised an alert (`scan.ports`,
/// `deny_list.countries`, ...): alerts are kept one per rule, device and window, and the
/// API shows the rule.
const V4: &str = "
ALTER TABLE alerts ADD COLUMN rule TEXT NOT NULL DEFAULT '';
";

/// Schema version 5 (flows with counter snapshots): a flow's counters over time, so
/// a long flow's bytes can be placed in time (the `flows` row holds only the latest). The
/// writer adds one when a flow's counters change and its last snapshot is a minute old, and
/// one when it closes: a 10-minute flow costs ~11 rows of ~40 bytes. They go with their flow
/// (retention, session delete, forget a device).
const V5: &str = "
CREATE TABLE flow_snapshots (
    flow_id       INTEGER NOT NULL REFERENCES flows(id) ON DELETE CASCADE,
    at            INTEGER NOT NULL,
    bytes_up      INTEGER NOT NULL,
    bytes_down    INTEGER NOT NULL,
    packets_up    INTEGER NOT NULL,
    packets_down  INTEGER NOT NULL,
    PRIMARY KEY (flow_id, at)
) WITHOUT ROWID;
";

/// Schema version 6 (repeated answers): identical answers to one device in one write batch
/// (the same question, rcode, chain and addresses, within the writer's half second) are one
/// row with a count. A phone re-asks the same name constantly; a row each cost the SD card a
/// write and the DNS path 40 % of its CPU on cached answers (docs/BENCHMARKS.md).
const V6: &str = "
ALTER TABLE dns_answers ADD COLUMN repeats INTEGER NOT NULL DEFAULT 1;
";

/// Schema version 7 (the teacher's group-view rules): what is hidden from the projector,
/// per session (a new session starts with none), so a restart keeps them. `kind` is
/// `device`, `nickname`, `domain` or `names`; `action` `hide`, `clear` or `lock`; `target`
/// as `group_view::Target::stored` writes it (at most 256 characters; 1,024 rules a
/// session, checked by `group_view`).
const V7: &str = "
CREATE TABLE group_view_rules (
    session_id  INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    id          INTEGER NOT NULL,
    kind        TEXT NOT NULL,
    target      TEXT NOT NULL,
    action      TEXT NOT NULL,
    created_at  INTEGER NOT NULL,
    PRIMARY KEY (session_id, id)
) WITHOUT ROWID;
";

/// Schema version 8 (marks): the moments the teacher named in a session ("Now open
/// TikTok"), so "since the mark", the timeline and the take-home page survive a restart.
/// `id` counts from 1 per session; `label` is at most 80 characters and a session keeps at
/// most 200 marks (checked by `model::Mark` and `Store::add_mark`).
const V8: &str = "
CREATE TABLE marks (
    session_id  INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    id          INTEGER NOT NULL,
    at          INTEGER NOT NULL,
    label       TEXT NOT NULL,
    PRIMARY KEY (session_id, id)
) WITHOUT ROWID;
";

/// Schema version 9 (alerts in the reader's language after a restart): an alert's message
/// as a catalogue message id and its arguments (`model::AlertWords` as JSON), so alerts read
/// back from the store are still said in each page's language. Rows written before have
/// none (NULL) and show their stored English `message`.
const V9: &str = "
ALTER TABLE alerts ADD COLUMN words TEXT;
";

/// Schema version 10 (session names in the reader's language): a session the admin did not
/// name is stored with an empty name, and the pages say "Session of <date>" in each reader's
/// language. Names that earlier versions made up in English ("Session 3", "Session of
/// 2026-12-07 09:15 UTC") become empty too.
const V10: &str = "
UPDATE sessions SET name = ''
 WHERE (name GLOB 'Session [1-9]*' AND substr(name, 9) NOT GLOB '*[^0-9]*')
    OR name GLOB 'Session of [0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9] [0-9][0-9]:[0-9][0-9] UTC';
";

/// The migration steps, in order; the schema version is the number of steps applied.
pub const MIGRATIONS: &[&str] = &[V1, V2, V3, V4, V5, V6, V7, V8, V9, V10];

/// The schema version this build writes.
#[cfg(test)]
pub(crate) fn current_version() -> u32 {
    MIGRATIONS.len() as u32
}

/// The database's schema version (`PRAGMA user_version`).
pub fn version(conn: &Connection) -> Result<u32, StoreError> {
    let v: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    Ok(u32::try_from(v).unwrap_or(u32::MAX))
}

/// Bring the database up to the version this build writes (one per step in [`MIGRATIONS`]). Returns the version found before.
pub fn migrate(conn: &mut Connection) -> Result<u32, StoreError> {
    apply(conn, MIGRATIONS)
}

/// Apply the steps the database does not have yet, one transaction each. A database newer
/// than `steps` is refused untouched.
pub(crate) fn apply(conn: &mut Connection, steps: &[&str]) -> Result<u32, StoreError> {
    let known = steps.len() as u32;
    let found = version(conn)?;
    if found > known {
        return Err(StoreError::TooNew { found, known });
    }
    for (i, step) in steps.iter().enumerate().skip(found as usize) {
        let to = i as u32 + 1;
        let fail = |source| StoreError::Migration { to, source };
        // IMMEDIATE: take the write lock up front, so two processes opening the same
        // directory cannot both apply a step.
        let tx = conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .map_err(fail)?;
        // Another connection may have migrated while we waited for the lock.
        let now: i64 = tx
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .map_err(fail)?;
        if now >= i64::from(to) {
            continue;
        }
        tx.execute_batch(step).map_err(fail)?;
        tx.pragma_update(None, "user_version", to).map_err(fail)?;
        tx.commit().map_err(fail)?;
    }
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tables(conn: &Connection) -> Vec<String> {
        let mut st = conn
            .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
            .unwrap();
        st.query_map([], |r| r.get(0))
            .unwrap()
            .map(|r| r.unwrap())
            .collect()
    }

    #[test]
    fn migrations_apply_once() {
        let mut conn = Connection::open_in_memory().unwrap();
        assert_eq!(migrate(&mut conn).unwrap(), 0);
        assert_eq!(version(&conn).unwrap(), current_version());
        assert_eq!(
            tables(&conn),
            [
                "alerts",
                "devices",
                "dns_answers",
                "flow_snapshots",
                "flows",
                "group_view_rules",
                "known_devices",
                "marks",
                "sessions"
            ]
        );
        // Again: nothing to do, nothing fails (CREATE TABLE would if re-run).
        assert_eq!(migrate(&mut conn).unwrap(), current_version());
        assert_eq!(version(&conn).unwrap(), current_version());
    }

    #[test]
    fn later_steps_apply_on_top() {
        let mut conn = Connection::open_in_memory().unwrap();
        apply(&mut conn, &[V1]).unwrap();
        let v2 = "ALTER TABLE devices ADD COLUMN vendor TEXT;";
        assert_eq!(apply(&mut conn, &[V1, v2]).unwrap(), 1);
        assert_eq!(version(&conn).unwrap(), 2);
        conn.execute_batch("SELECT vendor FROM devices").unwrap();
    }

    #[test]
    fn failed_step_rolls_back_whole() {
        let mut conn = Connection::open_in_memory().unwrap();
        let bad = "CREATE TABLE a (x); CREATE TABLE a (x);";
        let err = apply(&mut conn, &[bad]).unwrap_err();
        assert!(matches!(err, StoreError::Migration { to: 1, .. }), "{err}");
        assert_eq!(version(&conn).unwrap(), 0);
        assert!(tables(&conn).is_empty(), "half a step was left behind");
    }

    #[test]
    fn made_up_english_session_names_become_empty() {
        let mut conn = Connection::open_in_memory().unwrap();
        apply(&mut conn, &MIGRATIONS[..9]).unwrap();
        for name in [
            "Session 1",
            "Session 12",
            "Session of 2026-12-07 09:15 UTC",
            "Session 1b",
            "Session 0",
            "Session of Monday",
            "Class 7B",
            "Sitzung 1",
        ] {
            conn.execute(
                "INSERT INTO sessions (name, started_at) VALUES (?1, 1)",
                [name],
            )
            .unwrap();
        }
        migrate(&mut conn).unwrap();
        let mut st = conn
            .prepare("SELECT name FROM sessions ORDER BY id")
            .unwrap();
        let names: Vec<String> = st
            .query_map([], |r| r.get(0))
            .unwrap()
            .map(|r| r.unwrap())
            .collect();
        assert_eq!(
            names,
            [
                "",
                "",
                "",
                "Session 1b",
                "Session 0",
                "Session of Monday",
                "Class 7B",
                "Sitzung 1"
            ]
        );
    }

    #[test]
    fn newer_database_is_refused() {
        let mut conn = Connection::open_in_memory().unwrap();
        conn.pragma_update(None, "user_version", current_version() + 1)
            .unwrap();
        let err = migrate(&mut conn).unwrap_err();
        assert!(matches!(err, StoreError::TooNew { .. }));
        let msg = err.to_string();
        assert!(msg.contains("newer"), "{msg}");
        assert!(msg.contains(&(current_version() + 1).to_string()), "{msg}");
    }
}
