//! The session's pseudonym key ([`crate::devices::pseudonym`]), kept next to the database so a
//! restart in the middle of a class deals everyone the same pseudonyms again; a new session
//! writes a new key. File `pseudonym.key` (mode 0600): `<session id> <64 hex digits>`.
//!
//! Losing the file costs only stable pseudonyms across that restart, so reading never fails:
//! a missing, unreadable or other session's file is `None` (and the caller saves its own).

use std::path::PathBuf;

use crate::store::Store;

const FILE: &str = "pseudonym.key";

impl Store {
    fn pseudonym_key_path(&self) -> PathBuf {
        self.path.with_file_name(FILE)
    }

    /// The current session's pseudonym key, if one was saved for it.
    pub fn pseudonym_key(&self) -> Option<[u8; 32]> {
        let text = std::fs::read_to_string(self.pseudonym_key_path()).ok()?;
        let (session, hex) = text.trim().split_once(' ')?;
        if session.parse::<i64>().ok()? != self.current_session_id() || hex.len() != 64 {
            return None;
        }
        let mut key = [0u8; 32];
        for (i, b) in key.iter_mut().enumerate() {
            *b = u8::from_str_radix(hex.get(2 * i..2 * i + 2)?, 16).ok()?;
        }
        Some(key)
    }

    /// Save `key` as the current session's pseudonym key (owner-only permissions).
    pub fn save_pseudonym_key(&self, key: &[u8; 32]) -> std::io::Result<()> {
        let hex: String = key.iter().map(|b| format!("{b:02x}")).collect();
        let text = format!("{} {hex}\n", self.current_session_id());
        crate::sys::fs::write_atomic_mode(self.pseudonym_key_path(), text, 0o600)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kept_for_its_session_only() {
        let dir = std::env::temp_dir().join(format!("wf-pkey-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let store = Store::open(&dir).unwrap();
        assert_eq!(store.pseudonym_key(), None);
        let key = [7u8; 32];
        store.save_pseudonym_key(&key).unwrap();
        assert_eq!(store.pseudonym_key(), Some(key));
        drop(store);
        let store = Store::open(&dir).unwrap();
        assert_eq!(store.pseudonym_key(), Some(key), "after a restart");
        store.start_session("Next").unwrap();
        assert_eq!(store.pseudonym_key(), None, "another session's key");
        std::fs::write(dir.join(FILE), "garbage").unwrap();
        assert_eq!(store.pseudonym_key(), None);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
