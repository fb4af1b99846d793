//! The admin password at start: hash a plain one, keep the hash, take the plain text out of
//! the config file.
//!
//! Where the hash comes from, first match wins:
//! 1. `admin.password` (plain): hashed with argon2id and a random salt; the hash is saved as
//!    `<data dir>/admin.argon2` (mode 0600) and the config file is rewritten so the line
//!    reads `password_hash = "$argon2id$..."`. If the file cannot be rewritten, a warning in
//!    `/api/v1/status` says the plain password is still in it.
//! 2. `admin.password_hash`: used as it is (and saved in the data directory).
//! 3. `<data dir>/admin.argon2`: the last hash saved (the config file was replaced by one
//!    without a password).
//! 4. Nothing: the admin pages are off and say how to set a password.
//!
//! The plain text is taken out of the [`Config`] (so it is neither kept nor printed),
//! hashed, and dropped; it is never logged.

use std::path::{Path, PathBuf};

use argon2::password_hash::PasswordHasher;
use argon2::{Argon2, PasswordVerifier};

use crate::config::file_rewrite;
use crate::config::{check_password_hash, Config};
use crate::status::Status;

/// The hash file in the data directory.
pub const HASH_FILE: &str = "admin.argon2";

/// Where the admin password came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Source {
    /// `admin.password`, hashed at this start.
    Plain {
        /// Whether the config file now holds the hash instead.
        rewritten: bool,
    },
    /// `admin.password_hash`.
    Hash,
    /// `<data dir>/admin.argon2`.
    DataDir,
}

/// The outcome: the hash to check logins against, if any.
#[derive(Clone, Debug)]
pub struct Password {
    /// The PHC string; `None`: admin pages off.
    pub hash: Option<String>,
    /// Where it came from.
    pub source: Option<Source>,
}

/// Why hashing failed.
#[derive(Debug, thiserror::Error)]
#[error("cannot hash the admin password: {0}")]
pub struct HashError(String);

/// Hash a password with argon2id (default cost: 19 MiB, 2 passes) and a random salt.
pub fn hash(plain: &str) -> Result<String, HashError> {
    Argon2::default()
        .hash_password(plain.as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| HashError(e.to_string()))
}

/// Does `plain` match `hash`? (Slow on purpose: call it from a blocking thread.)
pub fn verify(hash: &str, plain: &str) -> bool {
    match argon2::PasswordHash::new(hash) {
        Ok(parsed) => Argon2::default()
            .verify_password(plain.as_bytes(), &parsed)
            .is_ok(),
        Err(_) => false,
    }
}

/// Work out the admin hash at start (see the module notes). Blocking (argon2, file I/O).
/// Problems go to `status` as warnings; none of them stops the daemon.
pub fn prepare(config: &mut Config, status: &Status) -> Password {
    let data_file = config.data.dir.join(HASH_FILE);
    if let Some(plain) = config.admin.password.take() {
        let hashed = hash(&plain);
        drop(plain);
        let hashed = match hashed {
            Ok(h) => h,
            Err(e) => {
                status.warn(crate::status::StatusWords::new(
                    "admin-off",
                    [("error", e.to_string())],
                ));
                return Password {
                    hash: None,
                    source: None,
                };
            }
        };
        save_hash(&data_file, &hashed, status);
        let rewritten = match &config.source {
            Some(path) => match rewrite(path, &hashed) {
                Ok(()) => {
                    tracing::info!(
                        "admin password hashed; {} now holds admin.password_hash instead",
                        path.display()
                    );
                    true
                }
                Err(e) => {
                    status.warn(crate::status::StatusWords::new(
                        "admin-plain-kept",
                        [
                            ("file", path.display().to_string()),
                            ("hash_file", data_file.display().to_string()),
                            ("error", e.to_string()),
                        ],
                    ));
                    false
                }
            },
            None => false,
        };
        config.admin.password_hash = Some(hashed.clone());
        return Password {
            hash: Some(hashed),
            source: Some(Source::Plain { rewritten }),
        };
    }
    if let Some(h) = config.admin.password_hash.clone() {
        if read_hash(&data_file).as_deref() != Some(h.as_str()) {
            save_hash(&data_file, &h, status);
        }
        return Password {
            hash: Some(h),
            source: Some(Source::Hash),
        };
    }
    if let Some(h) = read_hash(&data_file) {
        match check_password_hash(&h) {
            Ok(()) => {
                tracing::info!("admin password: the hash saved in {}", data_file.display());
                return Password {
                    hash: Some(h),
                    source: Some(Source::DataDir),
                };
            }
            Err(e) => status.warn(crate::status::StatusWords::new(
                "admin-hash-bad",
                [
                    ("file", data_file.display().to_string()),
                    ("error", e.to_string()),
                ],
            )),
        }
    } else {
        tracing::info!("admin pages are off: no admin.password in the config file");
    }
    Password {
        hash: None,
        source: None,
    }
}

fn rewrite(path: &Path, hashed: &str) -> Result<(), file_rewrite::RewriteError> {
    let old = std::fs::read_to_string(path)?;
    let new = file_rewrite::replace_password(&old, hashed)?;
    file_rewrite::write_checked(path, &old, &new, |c| {
        c.admin.password = None;
        c.admin.password_hash = Some(hashed.to_owned());
    })
}

fn read_hash(path: &Path) -> Option<String> {
    let text = std::fs::read_to_string(path).ok()?;
    let h = text.trim();
    (!h.is_empty()).then(|| h.to_owned())
}

/// Save the hash readable by this user only (0600), atomically.
fn save_hash(path: &PathBuf, hashed: &str, status: &Status) {
    let line = format!("{hashed}\n");
    if let Err(e) = crate::sys::fs::write_atomic_mode(path, line.as_bytes(), 0o600) {
        status.warn(crate::status::StatusWords::new(
            "admin-hash-unsaved",
            [
                ("file", path.display().to_string()),
                ("error", e.to_string()),
            ],
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Dir(PathBuf);
    impl Dir {
        fn new(tag: &str) -> Dir {
            let p = std::env::temp_dir().join(format!("wf-pw-{tag}-{}", std::process::id()));
            let _ = std::fs::remove_dir_all(&p);
            std::fs::create_dir_all(p.join("data")).unwrap();
            Dir(p)
        }
    }
    impl Drop for Dir {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }

    fn load(dir: &Dir, text: &str) -> (PathBuf, Config) {
        let path = dir.0.join("config.toml");
        let text = format!(
            "{text}\n[data]\ndir = \"{}\"\n",
            dir.0.join("data").display()
        );
        std::fs::write(&path, text).unwrap();
        let c = Config::load(&path).unwrap();
        c.validate().unwrap();
        (path, c)
    }

    #[test]
    fn plain_password_is_hashed_saved_and_taken_out_of_the_file() {
        let dir = Dir::new("plain");
        let (path, mut c) = load(
            &dir,
            "# admin\n[admin]\n# the teacher's\npassword = \"correct horse\"\n",
        );
        let status = Status::default();
        let p = prepare(&mut c, &status);
        let h = p.hash.clone().unwrap();
        assert!(h.starts_with("$argon2id$v=19$"), "{h}");
        assert_eq!(p.source, Some(Source::Plain { rewritten: true }));
        assert!(verify(&h, "correct horse"));
        assert!(!verify(&h, "correct horsE"));
        assert_eq!(c.admin.password, None, "plain text not kept");
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(!text.contains("correct horse"), "{text}");
        assert!(text.contains(&format!("# the teacher's\npassword_hash = \"{h}\"")));
        let saved = dir.0.join("data").join(HASH_FILE);
        assert_eq!(std::fs::read_to_string(&saved).unwrap().trim(), h);
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&saved).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
        assert!(status.snapshot().warnings.is_empty());
        // Next start: the file holds the hash.
        let mut again = Config::load(&path).unwrap();
        again.validate().unwrap();
        let p2 = prepare(&mut again, &status);
        assert_eq!((p2.hash, p2.source), (Some(h), Some(Source::Hash)));
    }

    #[test]
    fn two_hashes_of_one_password_differ() {
        assert_ne!(
            hash("same password").unwrap(),
            hash("same password").unwrap()
        );
    }

    #[test]
    fn read_only_file_keeps_the_password_and_says_so() {
        let dir = Dir::new("ro");
        let (path, mut c) = load(&dir, "[admin]\npassword = \"correct horse\"\n");
        // Make the rewrite fail: the config "file" is now in a directory that is gone.
        c.source = Some(dir.0.join("gone").join("config.toml"));
        let status = Status::default();
        let p = prepare(&mut c, &status);
        assert_eq!(p.source, Some(Source::Plain { rewritten: false }));
        assert!(verify(p.hash.as_deref().unwrap(), "correct horse"));
        let w = status.snapshot().warnings.join("\n");
        assert!(w.contains("plain text"), "{w}");
        assert!(w.contains("admin.password"), "{w}");
        assert!(
            !w.contains("correct horse"),
            "never shows the password: {w}"
        );
        assert!(std::fs::read_to_string(path)
            .unwrap()
            .contains("correct horse"));
    }

    #[test]
    fn saved_hash_is_used_when_the_file_has_none_and_nothing_means_off() {
        let dir = Dir::new("saved");
        let (_, mut c) = load(&dir, "");
        let status = Status::default();
        assert!(prepare(&mut c, &status).hash.is_none());
        let h = hash("correct horse").unwrap();
        std::fs::write(dir.0.join("data").join(HASH_FILE), format!("{h}\n")).unwrap();
        let p = prepare(&mut c, &status);
        assert_eq!((p.hash, p.source), (Some(h), Some(Source::DataDir)));
        std::fs::write(dir.0.join("data").join(HASH_FILE), "junk\n").unwrap();
        assert!(prepare(&mut c, &status).hash.is_none());
        assert!(status.snapshot().warnings.join("").contains("admin.argon2"));
    }
}
