//! Alerts in the store: one row per alert, written when it is raised and updated in
//! place as it grows (`count`, `last_seen`); the current session's alerts come back after a
//! restart.
//!
//! The row's `id` is the alert's id, so ids stay unique across restarts: the daemon continues
//! after [`Store::max_alert_id`].

use std::sync::Arc;

use rusqlite::{params, Connection, OptionalExtension};

#[cfg(test)]
use crate::model::AlertWords;
use crate::model::{Alert, AlertKind, DeviceId, Domain};
use crate::store::codec::{from_ms, to_i64, to_ms};
use crate::store::{limit_param, Store, StoreError};

const UPSERT_ALERT: &str = "INSERT INTO alerts \
    (id, session_id, kind, rule, device_ip, remote_ip, domain, first_seen, last_seen, count, message, words) \
    VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12) \
    ON CONFLICT(id) DO UPDATE SET \
      last_seen = max(alerts.last_seen, excluded.last_seen), \
      count = max(alerts.count, excluded.count)";

const ALERT_COLUMNS: &str =
    "id, kind, rule, device_ip, remote_ip, domain, first_seen, last_seen, count, message, words";

/// Write the newest version of each alert in `ops` (session, alert), inside the writer's
/// transaction.
pub(crate) fn write<'a>(
    conn: &Connection,
    ops: impl DoubleEndedIterator<Item = (i64, &'a Arc<Alert>)>,
) -> rusqlite::Result<()> {
    let mut done = std::collections::HashSet::new();
    let mut st = conn.prepare_cached(UPSERT_ALERT)?;
    for (session, a) in ops.rev() {
        if !done.insert(a.id) {
            continue;
        }
        st.execute(params![
            to_i64(a.id),
            session,
            a.kind.as_str(),
            a.rule,
            a.device_ip.map(|d| d.to_string()),
            a.remote_ip.map(|ip| ip.to_string()),
            a.domain.as_ref().map(Domain::as_str),
            to_ms(a.first_seen),
            to_ms(a.last_seen),
            to_i64(a.count),
            a.message,
            a.words.as_ref().and_then(|w| serde_json::to_string(w).ok()),
        ])?;
    }
    Ok(())
}

fn alert_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Option<Alert>> {
    let kind: String = r.get(1)?;
    let Ok(kind) = kind.parse::<AlertKind>() else {
        return Ok(None);
    };
    let ip = |s: Option<String>| s.and_then(|s| s.parse().ok());
    Ok(Some(Alert {
        id: u64::try_from(r.get::<_, i64>(0)?).unwrap_or(0),
        kind,
        rule: r.get(2)?,
        device_ip: ip(r.get(3)?).map(DeviceId),
        remote_ip: ip(r.get(4)?),
        domain: r
            .get::<_, Option<String>>(5)?
            .and_then(|d| Domain::new(&d).ok()),
        first_seen: from_ms(r.get(6)?),
        last_seen: from_ms(r.get(7)?),
        count: u64::try_from(r.get::<_, i64>(8)?).unwrap_or(1),
        message: r.get(9)?,
        // Rows from before schema version 9 have none, and a row that no longer decodes
        // shows its English message rather than being lost.
        words: r
            .get::<_, Option<String>>(10)?
            .and_then(|w| serde_json::from_str(&w).ok()),
    }))
}

impl Store {
    /// The `limit` most recently seen alerts of a session, newest first. Rows that no longer
    /// decode are skipped.
    pub fn session_alerts(&self, session: i64, limit: usize) -> Result<Vec<Alert>, StoreError> {
        let conn = self.conn.lock();
        let mut st = conn.prepare_cached(&format!(
            "SELECT {ALERT_COLUMNS} FROM alerts WHERE session_id = ?1 \
             ORDER BY last_seen DESC, id DESC LIMIT ?2"
        ))?;
        let rows = st.query_map(params![session, limit_param(limit)], alert_from_row)?;
        let mut out = Vec::new();
        for r in rows {
            if let Some(a) = r? {
                out.push(a);
            }
        }
        Ok(out)
    }

    /// The largest alert id ever stored (0 when none): new alerts continue after it.
    pub fn max_alert_id(&self) -> Result<u64, StoreError> {
        let conn = self.conn.lock();
        let id: Option<i64> = conn
            .query_row("SELECT max(id) FROM alerts", [], |r| r.get(0))
            .optional()?
            .flatten();
        Ok(id.and_then(|i| u64::try_from(i).ok()).unwrap_or(0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::StoreOp;
    use chrono::{DateTime, Utc};
    use std::time::Duration;

    fn alert(id: u64, count: u64, last: i64) -> Arc<Alert> {
        Arc::new(Alert {
            id,
            kind: AlertKind::Upload,
            rule: "upload.sudden".into(),
            device_ip: Some(DeviceId("192.0.2.10".parse().unwrap())),
            remote_ip: Some("203.0.113.10".parse().unwrap()),
            domain: Some(Domain::new("files.example.test").unwrap()),
            first_seen: DateTime::<Utc>::from_timestamp(1_794_000_000, 0).unwrap(),
            last_seen: DateTime::<Utc>::from_timestamp(1_794_000_000 + last, 0).unwrap(),
            count,
            message: "192.0.2.10 sent 150 KB".into(),
            words: None,
        })
    }

    #[test]
    fn alerts_are_upserted_and_restored() {
        let dir = std::env::temp_dir().join(format!("wf-store-alerts-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let store = Store::open(&dir).unwrap();
        assert_eq!(store.max_alert_id().unwrap(), 0);
        let session = store.current_session().unwrap().id;
        let (w, thread) = store
            .spawn_writer_with(crate::store::WriterConfig {
                capacity: 100,
                max_ops: 100,
                max_delay: Duration::from_millis(10),
            })
            .unwrap();
        // A new alert, then grown twice (the last version wins), and a second alert; one
        // with no device.
        for a in [
            alert(7, 1, 0),
            alert(7, 2, 5),
            alert(7, 3, 9),
            alert(9, 1, 3),
        ] {
            assert!(w.try_send(StoreOp::Alert(a)));
        }
        let mut outside = (*alert(10, 1, 1)).clone();
        outside.kind = AlertKind::Scan;
        outside.device_ip = None;
        outside.domain = None;
        assert!(w.try_send(StoreOp::Alert(Arc::new(outside))));
        drop(w);
        thread.join().unwrap();
        let got = store.session_alerts(session, 10).unwrap();
        assert_eq!(got.len(), 3);
        assert_eq!((got[0].id, got[0].count), (7, 3), "newest first");
        assert_eq!(got[0], *alert(7, 3, 9));
        assert_eq!(got[2].device_ip, None);
        assert_eq!(store.max_alert_id().unwrap(), 10);
        assert_eq!(store.session_alerts(session, 1).unwrap().len(), 1);
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn an_alerts_words_come_back_after_a_restart_in_each_language() {
        use crate::i18n::{Lang, Tr};
        use crate::web::alerts::listing::message;
        let dir = std::env::temp_dir().join(format!("wf-store-words-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let session = {
            let store = Store::open(&dir).unwrap();
            let session = store.current_session().unwrap().id;
            let (w, thread) = store.spawn_writer(10).unwrap();
            let mut a = (*alert(3, 1, 0)).clone();
            a.words = Some(AlertWords::new(
                "upload-sudden",
                [
                    ("device", "Device .10".to_string()),
                    ("bytes", "150 kB".to_string()),
                    ("to", "files.example.test".to_string()),
                    ("seconds", "30".to_string()),
                ],
            ));
            assert!(w.try_send(StoreOp::Alert(Arc::new(a))));
            drop(w);
            thread.join().unwrap();
            session
        };
        // The daemon restarted: a new Store on the same file.
        let store = Store::open(&dir).unwrap();
        let got = store.session_alerts(session, 10).unwrap();
        assert_eq!(got.len(), 1);
        let words = got[0].words.as_ref().expect("the words were stored");
        assert_eq!(words.id, "upload-sudden");
        assert_eq!(words.args["seconds"], "30");
        let de = message(&got[0], Tr::new(Lang::De));
        assert!(de.contains("150 kB") && de.contains("30"), "{de}");
        assert!(
            !de.contains("sent") && !de.contains("within"),
            "still English: {de}"
        );
        assert!(!de.contains('⟦'), "{de}");
        assert_ne!(de, message(&got[0], Tr::new(Lang::En)));
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn alerts_stored_before_the_words_show_their_english_message() {
        use crate::store::schema;
        let dir = std::env::temp_dir().join(format!("wf-store-old-alert-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        {
            // A database of schema version 8 with one alert, as the last release wrote it.
            let mut conn = Connection::open(dir.join(crate::store::DB_FILE)).unwrap();
            schema::apply(&mut conn, &schema::MIGRATIONS[..8]).unwrap();
            conn.execute(
                "INSERT INTO sessions (id, name, started_at) VALUES (1, 'Old', 1)",
                [],
            )
            .unwrap();
            conn.execute(
                "INSERT INTO alerts (id, session_id, kind, rule, device_ip, first_seen, \
                 last_seen, count, message) VALUES (5, 1, 'upload', 'upload.sudden', \
                 '192.0.2.10', 1, 2, 1, '192.0.2.10 sent 150 KB')",
                [],
            )
            .unwrap();
        }
        let store = Store::open(&dir).unwrap();
        let got = store.session_alerts(1, 10).unwrap();
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].words, None);
        let de = crate::web::alerts::listing::message(
            &got[0],
            crate::i18n::Tr::new(crate::i18n::Lang::De),
        );
        assert_eq!(de, "192.0.2.10 sent 150 KB");
        let _ = std::fs::remove_dir_all(&dir);
    }
}
