//! The teacher's group-view rules, per session (see `group_view`): read back at start,
//! added and removed one at a time by the admin (blocking, on the caller's pool). The store
//! keeps them as text; `group_view` checks them on the way in and out.

use rusqlite::params;

use super::codec::{from_ms, to_ms};
use super::{Store, StoreError};

/// A rule as saved.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredRule {
    /// Its number in the session.
    pub id: u64,
    /// `device`, `nickname`, `domain` or `names`.
    pub kind: String,
    /// What it is about.
    pub target: String,
    /// `hide`, `clear` or `lock`.
    pub action: String,
    /// When it was made.
    pub created_at: chrono::DateTime<chrono::Utc>,
}

/// Most rules read back (the module's bound; more would be a damaged file).
const MAX_READ: i64 = 1_024;

impl Store {
    /// The current session's rules, oldest first.
    pub fn group_view_rules(&self) -> Result<Vec<StoredRule>, StoreError> {
        let session = self.current_session_id();
        let conn = self.conn.lock();
        let mut stmt = conn.prepare_cached(
            "SELECT id, kind, target, action, created_at FROM group_view_rules \
             WHERE session_id = ?1 ORDER BY id LIMIT ?2",
        )?;
        let rows = stmt.query_map(params![session, MAX_READ], |r| {
            Ok(StoredRule {
                id: u64::try_from(r.get::<_, i64>(0)?).unwrap_or(0),
                kind: r.get(1)?,
                target: r.get(2)?,
                action: r.get(3)?,
                created_at: from_ms(r.get(4)?),
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Save a rule under the current session.
    pub fn add_group_view_rule(&self, rule: &StoredRule) -> Result<(), StoreError> {
        let session = self.current_session_id();
        let conn = self.conn.lock();
        conn.prepare_cached(
            "INSERT OR REPLACE INTO group_view_rules \
             (session_id, id, kind, target, action, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        )?
        .execute(params![
            session,
            i64::try_from(rule.id).unwrap_or(i64::MAX),
            rule.kind,
            rule.target,
            rule.action,
            to_ms(rule.created_at)
        ])?;
        Ok(())
    }

    /// Remove a rule of the current session (undo).
    pub fn delete_group_view_rule(&self, id: u64) -> Result<(), StoreError> {
        let session = self.current_session_id();
        let conn = self.conn.lock();
        conn.prepare_cached("DELETE FROM group_view_rules WHERE session_id = ?1 AND id = ?2")?
            .execute(params![session, i64::try_from(id).unwrap_or(i64::MAX)])?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_are_kept_per_session() {
        let dir = std::env::temp_dir().join(format!("whereflow-gv-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let store = Store::open(&dir).unwrap();
        let rule = StoredRule {
            id: 1,
            kind: "domain".into(),
            target: "example.com".into(),
            action: "hide".into(),
            created_at: from_ms(1_800_000_000_000),
        };
        store.add_group_view_rule(&rule).unwrap();
        drop(store);
        let store = Store::open(&dir).unwrap();
        assert_eq!(store.group_view_rules().unwrap(), vec![rule.clone()]);
        store.start_session("next").unwrap();
        assert!(store.group_view_rules().unwrap().is_empty());
        store
            .add_group_view_rule(&StoredRule { id: 1, ..rule })
            .unwrap();
        store.delete_group_view_rule(1).unwrap();
        assert!(store.group_view_rules().unwrap().is_empty());
        drop(store);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
