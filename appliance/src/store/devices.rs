//! Device identities across sessions: MAC address, last DHCP host name and nickname, so a
//! nickname survives restarts (and a new session, when the admin keeps nicknames; otherwise
//! [`Store::clear_nicknames`] starts the new session without them).
//!
//! Table `known_devices` (schema version 3), one row per MAC address. The per-session
//! `devices` rows (one per address) also get the MAC, host name and nickname, for exports.
//!
//! - At start the daemon loads the most recently seen devices ([`Store::known_devices`]) into
//!   the device registry.
//! - While running, the registry's changes come through the writer queue, in order with
//!   everything else: [`StoreOp::Device`] with a MAC (a device identified at an address),
//!   [`StoreOp::DeviceNickname`] and [`StoreOp::ForgetIdentity`]; the writer applies them with
//!   [`apply`] after the batch's device rows, so a forget queued after a sighting wins.
//! - [`Store::save_nickname`] and [`Store::forget_identity`] do the same directly, for tools
//!   and tests (blocking; not from an async worker).

use rusqlite::{params, Connection, OptionalExtension};

use crate::devices::{KnownDevice, MacAddr};
use crate::store::codec::{from_ms, to_ms};
use crate::store::{Store, StoreError, StoreOp};

const UPSERT_KNOWN: &str = "INSERT INTO known_devices (mac, hostname, first_seen, last_seen) \
    VALUES (?1, ?2, ?3, ?3) ON CONFLICT (mac) DO UPDATE SET \
      hostname = coalesce(excluded.hostname, known_devices.hostname), \
      first_seen = min(known_devices.first_seen, excluded.first_seen), \
      last_seen = max(known_devices.last_seen, excluded.last_seen)";

/// A device was identified at an address: remember it by MAC, and give the session's row for
/// the address its MAC, host name and (if it has one) nickname.
fn record_identity(
    conn: &Connection,
    session: i64,
    ip: &str,
    mac: &str,
    hostname: Option<&str>,
    at: i64,
) -> rusqlite::Result<()> {
    conn.prepare_cached(UPSERT_KNOWN)?
        .execute(params![mac, hostname, at])?;
    conn.prepare_cached(
        "UPDATE devices SET mac = ?3, hostname = coalesce(?4, hostname), \
           nickname = (SELECT nickname FROM known_devices WHERE mac = ?3) \
         WHERE session_id = ?1 AND ip = ?2",
    )?
    .execute(params![session, ip, mac, hostname])?;
    Ok(())
}

/// Set (or with `None` clear) the nickname of the device with this MAC, creating its row if
/// needed, here and in every session's rows of it.
fn save_nickname_in(
    conn: &Connection,
    mac: &str,
    nickname: Option<&str>,
    at: i64,
) -> rusqlite::Result<()> {
    conn.prepare_cached(UPSERT_KNOWN)?
        .execute(params![mac, Option::<&str>::None, at])?;
    conn.prepare_cached("UPDATE known_devices SET nickname = ?2 WHERE mac = ?1")?
        .execute(params![mac, nickname])?;
    conn.prepare_cached("UPDATE devices SET nickname = ?2 WHERE mac = ?1")?
        .execute(params![mac, nickname])?;
    Ok(())
}

/// Forget who the device with this MAC is: its row, and the MAC, host name and nickname in
/// every session's rows (the rows themselves, per address, stay with the session's history).
fn forget_identity_in(conn: &Connection, mac: &str) -> rusqlite::Result<()> {
    conn.prepare_cached("DELETE FROM known_devices WHERE mac = ?1")?
        .execute(params![mac])?;
    conn.prepare_cached(
        "UPDATE devices SET mac = NULL, hostname = NULL, nickname = NULL WHERE mac = ?1",
    )?
    .execute(params![mac])?;
    Ok(())
}

/// Apply one queued op's identity part, inside the writer's transaction. Ops without one are
/// left alone.
pub(crate) fn apply(conn: &Connection, session: i64, op: &StoreOp) -> rusqlite::Result<()> {
    match op {
        StoreOp::Device(d) => match &d.mac {
            Some(mac) => record_identity(
                conn,
                session,
                &d.ip.to_string(),
                mac,
                d.hostname.as_deref(),
                to_ms(d.at),
            ),
            None => Ok(()),
        },
        StoreOp::DeviceNickname { mac, nickname, at } => {
            save_nickname_in(conn, mac, nickname.as_deref(), to_ms(*at))
        }
        StoreOp::ForgetIdentity { mac } => forget_identity_in(conn, mac),
        _ => Ok(()),
    }
}

impl Store {
    /// The `limit` most recently seen devices, newest first, for the registry at start. Rows
    /// whose MAC no longer parses are skipped.
    pub fn known_devices(&self, limit: usize) -> Result<Vec<KnownDevice>, StoreError> {
        let conn = self.conn.lock();
        let mut st = conn.prepare_cached(
            "SELECT mac, hostname, nickname, first_seen, last_seen FROM known_devices \
             ORDER BY last_seen DESC LIMIT ?1",
        )?;
        let rows = st.query_map(params![i64::try_from(limit).unwrap_or(i64::MAX)], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, Option<String>>(1)?,
                r.get::<_, Option<String>>(2)?,
                r.get::<_, i64>(3)?,
                r.get::<_, i64>(4)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (mac, hostname, nickname, first, last) = row?;
            match mac.parse::<MacAddr>() {
                Ok(mac) => out.push(KnownDevice {
                    mac,
                    hostname,
                    nickname,
                    first_seen: from_ms(first),
                    last_seen: from_ms(last),
                }),
                Err(_) => tracing::debug!("store: skipped a known device that does not decode"),
            }
        }
        Ok(out)
    }

    /// Set or clear a device's nickname directly (blocking).
    pub fn save_nickname(&self, mac: MacAddr, nickname: Option<&str>) -> Result<(), StoreError> {
        let conn = self.conn.lock();
        save_nickname_in(&conn, &mac.to_string(), nickname, to_ms(chrono::Utc::now()))?;
        Ok(())
    }

    /// Clear every saved nickname (a new session whose nicknames start fresh; blocking).
    /// The rows of past sessions keep theirs, for their exports.
    pub fn clear_nicknames(&self) -> Result<(), StoreError> {
        let conn = self.conn.lock();
        conn.execute("UPDATE known_devices SET nickname = NULL", [])?;
        Ok(())
    }

    /// Forget a device's identity directly (blocking).
    pub fn forget_identity(&self, mac: MacAddr) -> Result<(), StoreError> {
        let conn = self.conn.lock();
        forget_identity_in(&conn, &mac.to_string())?;
        Ok(())
    }

    /// The nickname stored for a MAC address (tests and tools).
    pub fn nickname(&self, mac: MacAddr) -> Result<Option<String>, StoreError> {
        let conn = self.conn.lock();
        let n = conn
            .query_row(
                "SELECT nickname FROM known_devices WHERE mac = ?1",
                params![mac.to_string()],
                |r| r.get::<_, Option<String>>(0),
            )
            .optional()?;
        Ok(n.flatten())
    }
}

#[cfg(test)]
mod tests {
    use std::net::IpAddr;
    use std::time::Duration;

    use chrono::{DateTime, Utc};

    use super::*;
    use crate::store::{DeviceSeen, WriterConfig};

    fn t(s: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_800_000_000 + s, 0).unwrap()
    }

    const PI: &str = "b8:27:eb:00:00:01";

    fn seen(ip: &str, mac: &str, host: Option<&str>, at: i64) -> StoreOp {
        StoreOp::Device(DeviceSeen {
            ip: ip.parse::<IpAddr>().unwrap(),
            mac: Some(mac.into()),
            hostname: host.map(Into::into),
            at: t(at),
        })
    }

    fn write(store: &Store, ops: Vec<StoreOp>) {
        let (w, h) = store
            .spawn_writer_with(WriterConfig {
                capacity: 100,
                max_ops: 100,
                max_delay: Duration::from_millis(10),
            })
            .unwrap();
        for op in ops {
            assert!(w.try_send(op));
        }
        drop(w);
        h.join().unwrap();
    }

    fn session_row(store: &Store, ip: &str) -> (Option<String>, Option<String>, Option<String>) {
        let conn = store.conn.lock();
        conn.query_row(
            "SELECT mac, hostname, nickname FROM devices WHERE ip = ?1 ORDER BY session_id DESC",
            params![ip],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap()
    }

    #[test]
    fn nickname_survives_reopen_and_new_sessions() {
        let dir = tempdir();
        let pi: MacAddr = PI.parse().unwrap();
        {
            let store = Store::open(dir.path()).unwrap();
            write(
                &store,
                vec![
                    seen("192.0.2.10", PI, Some("kitchen-pi"), 0),
                    StoreOp::DeviceNickname {
                        mac: PI.into(),
                        nickname: Some("Bob's Pi".into()),
                        at: t(1),
                    },
                    seen("192.0.2.10", PI, None, 5),
                ],
            );
            assert_eq!(
                session_row(&store, "192.0.2.10"),
                (
                    Some(PI.into()),
                    Some("kitchen-pi".into()),
                    Some("Bob's Pi".into())
                )
            );
        }
        let store = Store::open(dir.path()).unwrap();
        let known = store.known_devices(10).unwrap();
        assert_eq!(known.len(), 1);
        assert_eq!(known[0].mac, pi);
        assert_eq!(known[0].hostname.as_deref(), Some("kitchen-pi"));
        assert_eq!(known[0].nickname.as_deref(), Some("Bob's Pi"));
        assert_eq!((known[0].first_seen, known[0].last_seen), (t(0), t(5)));
        // A new session: the device's row there gets the nickname when it is identified.
        store.start_session("Next class").unwrap();
        write(&store, vec![seen("192.0.2.44", PI, None, 100)]);
        assert_eq!(
            session_row(&store, "192.0.2.44").2.as_deref(),
            Some("Bob's Pi")
        );
        // Fresh nicknames for the session after: the saved one goes, the past rows keep it.
        store.clear_nicknames().unwrap();
        assert_eq!(store.nickname(pi).unwrap(), None);
        assert!(store.known_devices(10).unwrap()[0].nickname.is_none());
        assert_eq!(
            session_row(&store, "192.0.2.44").2.as_deref(),
            Some("Bob's Pi")
        );
        store.save_nickname(pi, None).unwrap();
        assert_eq!(store.nickname(pi).unwrap(), None);
        assert_eq!(session_row(&store, "192.0.2.44").2, None);
    }

    #[test]
    fn forget_removes_identity_everywhere_in_queue_order() {
        let dir = tempdir();
        let store = Store::open(dir.path()).unwrap();
        write(
            &store,
            vec![
                seen("192.0.2.10", PI, Some("kitchen-pi"), 0),
                StoreOp::DeviceNickname {
                    mac: PI.into(),
                    nickname: Some("Mine".into()),
                    at: t(1),
                },
                StoreOp::ForgetIdentity { mac: PI.into() },
            ],
        );
        assert!(store.known_devices(10).unwrap().is_empty());
        assert_eq!(session_row(&store, "192.0.2.10"), (None, None, None));
        // Identified again afterwards (still connected): back, without the nickname.
        write(&store, vec![seen("192.0.2.10", PI, Some("kitchen-pi"), 9)]);
        let known = store.known_devices(10).unwrap();
        assert_eq!(known.len(), 1);
        assert_eq!(known[0].nickname, None);
        store.forget_identity(PI.parse().unwrap()).unwrap();
        assert!(store.known_devices(10).unwrap().is_empty());
    }

    #[test]
    fn bad_rows_are_skipped_and_limit_holds() {
        let dir = tempdir();
        let store = Store::open(dir.path()).unwrap();
        let ops = (0..5)
            .map(|i| {
                seen(
                    &format!("192.0.2.{}", 10 + i),
                    &format!("02:00:00:00:00:0{i}"),
                    None,
                    i,
                )
            })
            .collect();
        write(&store, ops);
        store
            .conn
            .lock()
            .execute(
                "INSERT INTO known_devices (mac, first_seen, last_seen) VALUES ('nonsense', 0, 99999999999999)",
                [],
            )
            .unwrap();
        let known = store.known_devices(3).unwrap();
        assert_eq!(known.len(), 2, "the bad row took a slot and was skipped");
        assert_eq!(known[0].mac.to_string(), "02:00:00:00:00:04");
    }

    /// A temporary directory removed on drop.
    struct TempDir(std::path::PathBuf);
    impl TempDir {
        fn path(&self) -> &std::path::Path {
            &self.0
        }
    }
    impl Drop for TempDir {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }
    fn tempdir() -> TempDir {
        use std::sync::atomic::{AtomicU32, Ordering};
        static N: AtomicU32 = AtomicU32::new(0);
        let p = std::env::temp_dir().join(format!(
            "wf-store-devices-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::SeqCst)
        ));
        let _ = std::fs::remove_dir_all(&p);
        std::fs::create_dir_all(&p).unwrap();
        TempDir(p)
    }
}
