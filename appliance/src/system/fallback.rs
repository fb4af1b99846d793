//! The safe access point that runs while the settings file has problems.
//!
//! Never an open network: anyone nearby could join and watch. Instead WPA2 with the network
//! name `whereflow-setup` and a passphrase made at random on first need and kept on the data
//! partition (so it stays the same across reboots until the settings are fixed). The
//! passphrase is printed on the console and written into the problems file on the boot
//! partition, which the person reads on the laptop they fix the settings with. Channel 6 on
//! 2.4 GHz with no country: allowed everywhere (the world regulatory domain).

use std::path::Path;

use rand::RngExt as _;

use crate::system::console::SetupWords;
use crate::system::hostapd::{AccessPoint, ApSecurity};
use crate::system::regdomain::Band;

/// The fallback network's name.
pub const SSID: &str = "whereflow-setup";

/// Letters and digits that cannot be mistaken for one another (no 0/o, 1/l/i).
const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";

/// A new passphrase: three groups of four (`abcd-efgh-jkmn`), ~59 bits, easy to type on a
/// phone.
pub fn new_passphrase() -> String {
    let mut rng = rand::rng();
    let mut out = String::with_capacity(14);
    for i in 0..12 {
        if i > 0 && i % 4 == 0 {
            out.push('-');
        }
        out.push(char::from(ALPHABET[rng.random_range(0..ALPHABET.len())]));
    }
    out
}

/// Whether `p` is a passphrase [`new_passphrase`] could have made.
fn is_ours(p: &str) -> bool {
    p.len() == 14
        && p.bytes().enumerate().all(|(i, b)| {
            if i % 5 == 4 {
                b == b'-'
            } else {
                ALPHABET.contains(&b)
            }
        })
}

/// The fallback passphrase kept in `file`, or a new one saved there (mode 0600). If it cannot
/// be saved (no data partition) the new one is used for this boot, and the reason returned
/// (for the console).
pub fn passphrase(file: &Path) -> (String, Option<SetupWords>) {
    if let Ok(text) = std::fs::read_to_string(file) {
        let p = text.trim();
        if is_ours(p) {
            return (p.to_owned(), None);
        }
    }
    let p = new_passphrase();
    let saved = (|| -> std::io::Result<()> {
        if let Some(dir) = file.parent() {
            std::fs::create_dir_all(dir)?;
        }
        crate::sys::fs::write_atomic_mode(file, format!("{p}\n").as_bytes(), 0o600)
    })();
    let err = saved.err().map(|e| {
        SetupWords::new(
            "passphrase-unsaved",
            [
                ("file", file.display().to_string()),
                ("error", e.to_string()),
            ],
        )
    });
    (p, err)
}

/// The fallback access point with `passphrase`.
pub fn access_point(passphrase: &str, interface: &str) -> AccessPoint {
    AccessPoint {
        interface: interface.into(),
        ssid: SSID.into(),
        passphrase: passphrase.into(),
        security: ApSecurity::Wpa2 { pmf: false },
        country: None,
        band: Band::Ghz2_4,
        channel: 6,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passphrases_are_random_and_typeable() {
        let a = new_passphrase();
        let b = new_passphrase();
        assert_ne!(a, b);
        assert!(is_ours(&a), "{a}");
        assert!(!is_ours("abcd-efgh-jkm0"));
        assert!(!is_ours("short"));
    }

    #[test]
    fn the_passphrase_is_kept_across_boots() {
        let dir = std::env::temp_dir().join(format!("wf-fallback-{}", std::process::id()));
        let file = dir.join("setup-passphrase");
        let (p1, e1) = passphrase(&file);
        assert_eq!(e1, None);
        let (p2, _) = passphrase(&file);
        assert_eq!(p1, p2);
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&file).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
        let _ = std::fs::remove_dir_all(&dir);
        let (_, e) = passphrase(Path::new("/proc/nonexistent/dir/p"));
        assert!(e.unwrap().english().contains("changes at every boot"));
    }
}
