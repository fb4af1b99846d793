//! A way back in for a locked-out admin: a one-time recovery code.
//!
//! While an admin password is set there is always one code: made at start, logged on the
//! console and written to the problems file on the boot partition (`whereflow-problems.txt`,
//! below its notes marker), so whoever holds the appliance (its SD card or its console) can
//! read it and nobody on the WiFi can. Typed into the login form instead of the password it
//! logs in without the throttle's waits, clears every lock-out, and is replaced by a new
//! code (published the same way): each code works once.
//!
//! 16 characters from a 32-letter alphabet (80 bits): guessing it over the network is
//! hopeless even unthrottled. Compared in constant time.

use std::path::PathBuf;

use parking_lot::Mutex;
use subtle::ConstantTimeEq;

/// Letters and digits that cannot be mistaken for each other (no 0/O, 1/I).
const ALPHABET: &[u8; 32] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
/// Characters in a code (without the dashes).
const LEN: usize = 16;
/// The note's label in the problems file (a message of the catalogues).
pub(crate) const NOTE: &str = "note-recovery";

/// The current code and where it is published.
pub(crate) struct Recovery {
    code: Mutex<String>,
    /// The problems file and the language of its notes.
    problems_file: Option<(PathBuf, crate::i18n::Lang)>,
}

impl Recovery {
    /// Make the first code and publish it.
    pub(crate) fn new(problems_file: Option<(PathBuf, crate::i18n::Lang)>) -> Recovery {
        let r = Recovery {
            code: Mutex::new(new_code()),
            problems_file,
        };
        r.publish(&r.code.lock());
        r
    }

    /// Is `given` the current code (dashes, spaces and case do not matter)? If so it is used
    /// up: a new one is made and published.
    pub(crate) fn try_use(&self, given: &str) -> bool {
        let given = normalize(given);
        let mut code = self.code.lock();
        if given.len() != LEN || !bool::from(given.as_bytes().ct_eq(normalize(&code).as_bytes())) {
            return false;
        }
        *code = new_code();
        self.publish(&code);
        true
    }

    fn publish(&self, code: &str) {
        tracing::warn!(
            "admin recovery code (for a locked-out admin: type it as the password, works once): {code}"
        );
        if let Some((path, lang)) = &self.problems_file {
            if let Err(e) = crate::system::problems::set_note_said(path, *lang, NOTE, &[], code) {
                tracing::warn!(
                    "the admin recovery code was not written to {}: {e}",
                    path.display()
                );
            }
        }
    }

    /// The current code (tests).
    #[cfg(test)]
    pub(crate) fn current(&self) -> String {
        self.code.lock().clone()
    }
}

fn new_code() -> String {
    let mut raw = [0u8; LEN];
    rand::fill(&mut raw[..]);
    let mut out = String::with_capacity(LEN + LEN / 4);
    for (i, b) in raw.iter().enumerate() {
        if i > 0 && i % 4 == 0 {
            out.push('-');
        }
        out.push(char::from(ALPHABET[usize::from(b & 31)]));
    }
    out
}

fn normalize(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_uppercase())
        .take(LEN + 1)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_code_works_once_in_any_case_and_is_written_to_the_problems_file() {
        let dir = std::env::temp_dir().join(format!("wf-recovery-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("whereflow-problems.txt");
        // Written in the site's language (here German), labelled by the catalogue.
        let lang = crate::i18n::Lang::De;
        let r = Recovery::new(Some((file.clone(), lang)));
        let code = r.current();
        assert_eq!(code.len(), 19, "{code}");
        let text = std::fs::read_to_string(&file).unwrap();
        let label = crate::i18n::Tr::new(lang).t(NOTE);
        assert!(label.starts_with("Admin-Wiederherstellungscode"), "{label}");
        assert!(text.contains(&format!("{label}: {code}")), "{text}");
        assert!(!r.try_use("AAAA-AAAA-AAAA-AAAA"));
        assert!(!r.try_use(""));
        assert!(r.try_use(&code.to_lowercase().replace('-', " ")));
        assert!(!r.try_use(&code), "used up");
        let next = r.current();
        assert_ne!(next, code);
        let text = std::fs::read_to_string(&file).unwrap();
        assert!(text.contains(&next) && !text.contains(&code), "{text}");
        let _ = std::fs::remove_dir_all(&dir);
    }
}
