//! Careful edits of the user's config file: replace the plain admin password by its hash,
//! and save the `[history]` settings changed on the admin page. `toml_edit` keeps every
//! other line, comment and blank line as it was; the new file is checked to mean the same
//! configuration (apart from the edit) and replaces the old one atomically (write beside,
//! fsync, rename), keeping its permissions.

use std::path::Path;

use toml_edit::{DocumentMut, Item, Key, Table, Value};

use crate::config::{Config, HistoryConfig};

/// Why the file was not rewritten.
#[derive(Debug, thiserror::Error)]
pub enum RewriteError {
    /// Reading or writing the file failed.
    #[error("{0}")]
    Io(#[from] std::io::Error),
    /// The file is not TOML this editor understands.
    #[error("cannot edit it: {0}")]
    Toml(String),
    /// The key to replace was not found where expected.
    #[error("{0}")]
    NotFound(&'static str),
    /// The rewritten file would not mean the same configuration (a bug; nothing written).
    #[error("the rewritten file would change other settings; left as it was")]
    Changed,
}

/// The user's file as an editable document.
fn parse(text: &str) -> Result<DocumentMut, RewriteError> {
    text.parse()
        .map_err(|e: toml_edit::TomlError| RewriteError::Toml(e.to_string()))
}

/// Replace `[admin] password = "..."` by `password_hash = "<hash>"` at the same place, with
/// the same comments; an existing `password_hash` is dropped. Handles `[admin]` tables,
/// dotted keys (`admin.password = ...`) and inline tables (`admin = { password = ... }`).
pub fn replace_password(text: &str, hash: &str) -> Result<String, RewriteError> {
    let mut doc = parse(text)?;
    let admin = doc
        .as_table_mut()
        .get_mut("admin")
        .ok_or(RewriteError::NotFound("no [admin] section"))?;
    match admin {
        Item::Table(t) => replace_in_table(t, hash)?,
        Item::Value(Value::InlineTable(t)) => {
            let order: Vec<String> = t.iter().map(|(k, _)| k.to_owned()).collect();
            let (key, old) = t
                .remove_entry("password")
                .ok_or(RewriteError::NotFound("no admin.password"))?;
            t.remove("password_hash");
            let mut value = Value::from(hash);
            *value.decor_mut() = old.decor().clone();
            t.insert_formatted(&renamed(&key), value);
            t.sort_values_by(|a, _, b, _| position(&order, a).cmp(&position(&order, b)));
        }
        _ => return Err(RewriteError::NotFound("admin is not a table")),
    }
    Ok(doc.to_string())
}

fn replace_in_table(t: &mut Table, hash: &str) -> Result<(), RewriteError> {
    let order: Vec<String> = t.iter().map(|(k, _)| k.to_owned()).collect();
    let (key, old) = t
        .remove_entry("password")
        .ok_or(RewriteError::NotFound("no admin.password"))?;
    t.remove("password_hash");
    let mut value = Value::from(hash);
    if let Item::Value(v) = &old {
        *value.decor_mut() = v.decor().clone();
    }
    t.insert_formatted(&renamed(&key), Item::Value(value));
    t.sort_values_by(|a, _, b, _| position(&order, a).cmp(&position(&order, b)));
    Ok(())
}

/// `password_hash` with the decor (comments above, spacing) of the `password` key.
fn renamed(key: &Key) -> Key {
    Key::new("password_hash")
        .with_leaf_decor(key.leaf_decor().clone())
        .with_dotted_decor(key.dotted_decor().clone())
}

/// Where a key was in the original order; the new `password_hash` takes `password`'s place.
fn position(order: &[String], key: &Key) -> usize {
    let name = if key.get() == "password_hash" {
        "password"
    } else {
        key.get()
    };
    order.iter().position(|k| k == name).unwrap_or(usize::MAX)
}

/// Set the `[history]` keys to `h`, creating the section (or keys) if missing and keeping
/// the comments of keys that exist.
pub fn set_history(text: &str, h: &HistoryConfig) -> Result<String, RewriteError> {
    let mut doc = parse(text)?;
    set_keys(
        &mut doc,
        "history",
        [
            ("retention_days", Value::from(i64::from(h.retention_days))),
            (
                "max_db_mb",
                Value::from(i64::try_from(h.max_db_mb).unwrap_or(i64::MAX)),
            ),
            ("keep_old_sessions", Value::from(h.keep_old_sessions)),
        ],
    )?;
    Ok(doc.to_string())
}

/// Secrets a restored backup brings (`None`: left as they are).
#[derive(Clone, Copy, Default)]
pub struct SecretKeys<'a> {
    /// `admin.password_hash` (an `admin.password` beside it is dropped).
    pub admin_password_hash: Option<&'a str>,
    /// `metrics.token`.
    pub metrics_token: Option<&'a str>,
    /// `wifi.passphrase`.
    pub wifi_passphrase: Option<&'a str>,
}

/// Set the secrets given, creating sections or keys if missing and keeping the comments of
/// keys that exist.
pub fn set_secrets(text: &str, s: SecretKeys<'_>) -> Result<String, RewriteError> {
    let mut doc = parse(text)?;
    if let Some(h) = s.admin_password_hash {
        set_keys(&mut doc, "admin", [("password_hash", Value::from(h))])?;
        if let Some(admin) = doc.get_mut("admin").and_then(Item::as_table_like_mut) {
            admin.remove("password");
        }
    }
    if let Some(t) = s.metrics_token {
        set_keys(&mut doc, "metrics", [("token", Value::from(t))])?;
    }
    if let Some(p) = s.wifi_passphrase {
        set_keys(&mut doc, "wifi", [("passphrase", Value::from(p))])?;
    }
    Ok(doc.to_string())
}

/// Set `keys` in `[section]` (a table, dotted keys or an inline table), creating what is
/// missing; a key that exists keeps its comments and place.
fn set_keys<const N: usize>(
    doc: &mut DocumentMut,
    section: &'static str,
    keys: [(&str, Value); N],
) -> Result<(), RewriteError> {
    let entry = doc
        .as_table_mut()
        .entry(section)
        .or_insert(Item::Table(Table::new()));
    let table = entry
        .as_table_like_mut()
        .ok_or(RewriteError::NotFound("a section is not a table"))?;
    for (k, v) in keys {
        match table.get_mut(k) {
            Some(Item::Value(old)) => {
                let decor = old.decor().clone();
                *old = v;
                *old.decor_mut() = decor;
            }
            _ => {
                table.insert(k, Item::Value(v));
            }
        }
    }
    Ok(())
}

/// Check that `new` means `old`'s configuration with `edit` applied, then write it in
/// place of `path`.
pub fn write_checked(
    path: &Path,
    old: &str,
    new: &str,
    edit: impl FnOnce(&mut Config),
) -> Result<(), RewriteError> {
    let mut want = Config::parse(old, path).map_err(|e| RewriteError::Toml(e.to_string()))?;
    edit(&mut want);
    let got = Config::parse(new, path).map_err(|e| RewriteError::Toml(e.to_string()))?;
    if got != want {
        return Err(RewriteError::Changed);
    }
    write_atomically(path, new.as_bytes())
}

/// Write beside `path`, fsync, rename over it, fsync the directory. The new file gets the
/// old one's permissions (a FAT boot partition has none to keep).
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), RewriteError> {
    Ok(crate::sys::fs::write_atomic(path, bytes)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    const HASH: &str =
        "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$ZX2Y5zy1AbSgGiHzsO4YGq5cJ2eLeGd1U3ZS4XqN9Ck";

    #[test]
    fn password_becomes_hash_in_place_keeping_everything_else() {
        let text = "\
# whereflow on the boot partition
[wifi]
ssid = \"class\"   # the network

[admin]
# Set once; whereflow hashes it.
password = \"correct horse battery\"  # temporary
# after the password

[history]
retention_days = 3
";
        let out = replace_password(text, HASH).unwrap();
        let want = text.replace(
            "password = \"correct horse battery\"",
            &format!("password_hash = \"{HASH}\""),
        );
        assert_eq!(out, want);
        assert!(!out.contains("correct horse"));
    }

    #[test]
    fn an_old_hash_is_replaced_and_order_kept() {
        let text = "[admin]\npassword_hash = \"$argon2id$old\"\npassword = 'new one!'\n";
        let out = replace_password(text, HASH).unwrap();
        assert_eq!(out, format!("[admin]\npassword_hash = \"{HASH}\"\n"));
        let text = "[admin]\npassword = \"p1234567\"\nother = 1\npassword_hash = \"x\"\n";
        let out = replace_password(text, HASH).unwrap();
        assert_eq!(
            out,
            format!("[admin]\npassword_hash = \"{HASH}\"\nother = 1\n")
        );
    }

    #[test]
    fn dotted_and_inline_forms_are_handled() {
        let out = replace_password("admin.password = \"p1234567\" # x\n", HASH).unwrap();
        assert_eq!(out, format!("admin.password_hash = \"{HASH}\" # x\n"));
        let out = replace_password("admin = { password = \"p1234567\" }\n", HASH).unwrap();
        assert_eq!(out, format!("admin = {{ password_hash = \"{HASH}\" }}\n"));
    }

    #[test]
    fn missing_password_or_bad_toml_is_an_error() {
        assert!(matches!(
            replace_password("[web]\n", HASH),
            Err(RewriteError::NotFound(_))
        ));
        assert!(matches!(
            replace_password("[admin]\npassword_hash = \"x\"\n", HASH),
            Err(RewriteError::NotFound(_))
        ));
        assert!(matches!(
            replace_password("[admin\n", HASH),
            Err(RewriteError::Toml(_))
        ));
    }

    #[test]
    fn rewritten_example_file_means_the_same_config() {
        let example = include_str!("../../../docs/config.example.toml").replace(
            "# password = \"change me please\"",
            "password = \"change me please\"",
        );
        let out = replace_password(&example, HASH).unwrap();
        let dir = std::env::temp_dir().join(format!("wf-rewrite-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("config.toml");
        std::fs::write(&path, &example).unwrap();
        write_checked(&path, &example, &out, |c| {
            c.admin.password = None;
            c.admin.password_hash = Some(HASH.into());
        })
        .unwrap();
        let back = Config::load(&path).unwrap();
        assert_eq!(back.admin.password, None);
        assert_eq!(back.admin.password_hash.as_deref(), Some(HASH));
        back.validate().unwrap();
        // Everything but that one line is unchanged.
        let changed: Vec<_> = example
            .lines()
            .zip(out.lines())
            .filter(|(a, b)| a != b)
            .collect();
        assert_eq!(changed.len(), 1, "{changed:?}");
        // A rewrite that would change something else is refused, the file left alone.
        let err = write_checked(&path, &example, &out, |_| {}).unwrap_err();
        assert!(matches!(err, RewriteError::Changed));
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn history_is_set_in_place_or_added() {
        let h = HistoryConfig {
            retention_days: 30,
            max_db_mb: 2048,
            keep_old_sessions: false,
        };
        let text = "[history]\n# days\nretention_days = 7 # a week\n\n[data]\ndir = \"d\"\n";
        let out = set_history(text, &h).unwrap();
        assert!(
            out.starts_with("[history]\n# days\nretention_days = 30 # a week\n"),
            "{out}"
        );
        let c = Config::parse(&out, Path::new("t")).unwrap();
        assert_eq!(c.history, h);
        assert_eq!(c.data.dir, Path::new("d"));
        let out = set_history("[web]\nlisten = \"127.0.0.1:80\"\n", &h).unwrap();
        assert_eq!(Config::parse(&out, Path::new("t")).unwrap().history, h);
    }

    #[test]
    fn unwritable_place_is_an_error_and_leaves_nothing() {
        let dir = std::env::temp_dir().join(format!("wf-rewrite-ro-{}", std::process::id()));
        let err = write_atomically(&dir.join("missing/config.toml"), b"x").unwrap_err();
        assert!(matches!(err, RewriteError::Io(_)));
    }

    #[test]
    fn secrets_are_set_in_place_or_added() {
        let text = "\
[wifi]
ssid = \"class\"
passphrase = \"old passphrase\" # the room's

[admin]
# Set once.
password = \"plain one\"
";
        let out = set_secrets(
            text,
            SecretKeys {
                admin_password_hash: Some(HASH),
                metrics_token: Some("0123456789abcdef0123"),
                wifi_passphrase: Some("new passphrase"),
            },
        )
        .unwrap();
        assert!(
            out.contains("passphrase = \"new passphrase\" # the room's"),
            "{out}"
        );
        assert!(
            out.contains(&format!("# Set once.\npassword_hash = \"{HASH}\""))
                || out.contains(&format!("password_hash = \"{HASH}\"")),
            "{out}"
        );
        assert!(!out.contains("plain one"), "{out}");
        assert!(
            out.contains("[metrics]\ntoken = \"0123456789abcdef0123\""),
            "{out}"
        );
        let c = Config::parse(&out, Path::new("t.toml")).unwrap();
        assert_eq!(c.wifi.passphrase, "new passphrase");
        // Nothing given: nothing changes.
        assert_eq!(set_secrets(text, SecretKeys::default()).unwrap(), text);
        // Inline and dotted forms.
        let out = set_secrets(
            "metrics = { listen = \"0.0.0.0:9100\" }\nwifi.ssid = \"x\"\n",
            SecretKeys {
                metrics_token: Some("0123456789abcdef0123"),
                wifi_passphrase: Some("12345678"),
                ..SecretKeys::default()
            },
        )
        .unwrap();
        assert!(out.contains("token = \"0123456789abcdef0123\""), "{out}");
        assert!(out.contains("wifi.passphrase = \"12345678\""), "{out}");
    }
}
