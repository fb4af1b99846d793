//! The problems file on the boot partition (`whereflow-problems.txt`): what `whereflow setup`
//! found wrong in the settings, in plain words, for the person who fixes them on a laptop.
//!
//! Setup writes it (and removes it once the settings are good); the daemon reads it at start
//! and shows each problem (`- ` lines) as a warning in `/api/v1/status`.
//!
//! It is written in the settings' `site.language`; in another language than English the
//! English text follows below a marker line ([`ENGLISH_MARKER`]), for support, and the
//! warnings are read from that part (the API stays English).
//!
//! The running daemon adds notes for whoever holds the SD card below a marker line
//! ([`set_note`]: the admin's one-time recovery code, the HTTPS certificate's fingerprint).
//! They are not problems: [`read_warnings`] ignores everything below the marker, so they
//! never reach `/api/v1/status`.

use std::path::Path;

use crate::i18n::{Lang, Tr};
use crate::status::StatusWords;
use crate::system::fallback;
use crate::system::hostapd::AccessPoint;
use crate::system::network::AP_ADDRESS;
use crate::system::settings::Problem;

/// The start of every problem line.
const ITEM: &str = "- ";

/// The line above the English text of a problems file in another language.
pub const ENGLISH_MARKER: &str = "--- the same in English, for support ---";

/// The problems file's text in the language of `tr` (and in English below it when that is
/// another). `fallback` is the access point that runs instead.
pub fn render(settings_file: &str, problems: &[Problem], fallback: &AccessPoint, tr: Tr) -> String {
    let mut out = render_in(settings_file, problems, fallback, tr);
    if tr.lang() != Lang::En {
        out.push('\n');
        out.push_str(ENGLISH_MARKER);
        out.push_str("\n\n");
        out.push_str(&render_in(
            settings_file,
            problems,
            fallback,
            Tr::new(Lang::En),
        ));
    }
    out
}

fn render_in(settings_file: &str, problems: &[Problem], fallback: &AccessPoint, tr: Tr) -> String {
    let mut out = tr.t1("problems-title", "file", settings_file);
    out.push_str("\n\n");
    out.push_str(&tr.t("problems-heading"));
    out.push('\n');
    for p in problems {
        out.push_str(ITEM);
        out.push_str(&p.say(tr));
        out.push('\n');
    }
    // The name of the file as found (a card edited following older instructions has it
    // under the older name, see S20setup).
    let name = Path::new(settings_file)
        .file_name()
        .map_or_else(|| settings_file.into(), |n| n.to_string_lossy());
    out.push('\n');
    out.push_str(&tr.t("problems-fallback"));
    out.push('\n');
    // The two values aligned under each other, whatever the labels' lengths.
    let labels = [tr.t("problems-ssid"), tr.t("problems-passphrase")];
    let width = labels.iter().map(|l| l.chars().count()).max().unwrap_or(0) + 1;
    for (label, value) in labels.iter().zip([&fallback.ssid, &fallback.passphrase]) {
        out.push_str(&format!("  {label:<width$}{value}\n"));
    }
    out.push('\n');
    out.push_str(&tr.ta(
        "problems-fix",
        [
            (
                "status",
                format!("http://{AP_ADDRESS}/api/v1/status").into(),
            ),
            ("file", name.to_string().into()),
        ],
    ));
    out.push('\n');
    debug_assert_eq!(fallback.ssid, fallback::SSID);
    out
}

/// Most warnings taken from the file, and most characters of each.
const MAX_WARNINGS: usize = 50;
const MAX_CHARS: usize = 500;

/// The warnings to show for the problems file at `path`: one per problem line, prefixed
/// with the file's name. A missing file has none; an unreadable one is a warning itself.
/// Each problem line is an argument of its warning as the file has it in English (the pages
/// say the rest in their reader's language).
pub fn read_warnings(path: &Path) -> Vec<StatusWords> {
    let text = match std::fs::read_to_string(path) {
        // The English part of a file in another language: the API stays English.
        Ok(t) => {
            let problems = split_notes(&t).0;
            problems
                .split_once(ENGLISH_MARKER)
                .map_or(problems, |(_, english)| english)
                .to_owned()
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Vec::new(),
        Err(e) => {
            return vec![StatusWords::new(
                "setup-unreadable",
                [
                    ("file", path.display().to_string()),
                    ("error", e.to_string()),
                ],
            )]
        }
    };
    let mut out: Vec<StatusWords> = text
        .lines()
        .filter_map(|l| l.strip_prefix(ITEM))
        .take(MAX_WARNINGS)
        .map(|l| {
            let l: String = l.chars().take(MAX_CHARS).collect();
            StatusWords::new("setup-problem", [("problem", l)])
        })
        .collect();
    if out.is_empty() && !text.trim().is_empty() {
        out.push(StatusWords::new(
            "setup-see-file",
            [("file", path.display().to_string())],
        ));
    }
    if !out.is_empty() {
        out.push(StatusWords::new(
            "setup-network",
            [("ssid", fallback::SSID.to_owned())],
        ));
    }
    out
}

/// A note's words for the problems file: in the language of `tr`, and after it in English
/// when that is another (support reads the English, as below the file's problems).
pub fn note_text(words: &StatusWords, tr: Tr) -> String {
    let said = words.say(tr);
    if tr.lang() == Lang::En {
        said
    } else {
        format!("{said} | English: {}", words.english())
    }
}

/// The line above the daemon's notes.
const NOTES_MARKER: &str = "--- notes from the running appliance (not problems) ---";

/// The problems part and the notes part of the file's text.
fn split_notes(text: &str) -> (&str, &str) {
    match text.find(NOTES_MARKER) {
        Some(i) => (&text[..i], &text[i + NOTES_MARKER.len()..]),
        None => (text, ""),
    }
}

/// Set a note (one line, `label: value`) below the marker of the problems file at `path`,
/// keeping setup's problems above it and the other notes. Its label is the catalogues' message
/// `label_id` (`note-*` of pages.ftl, with `args`) in `lang`; the same note in any language is
/// replaced (a changed `site.language` leaves no note twice). The file holds secrets for
/// whoever has the SD card (the recovery code): it gets mode 0600 where permissions exist.
pub fn set_note_said(
    path: &Path,
    lang: Lang,
    label_id: &str,
    args: &[(&'static str, &str)],
    value: &str,
) -> std::io::Result<()> {
    let label = |l: Lang| {
        Tr::new(l).ta(
            label_id,
            args.iter()
                .map(|(k, v)| (*k, fluent_bundle::FluentValue::from(*v))),
        )
    };
    let every: Vec<String> = Lang::ALL.into_iter().map(label).collect();
    write_note(path, &label(lang), &every, value)
}

/// Write the note `label: value`, dropping the lines of the notes labelled `replaces`.
fn write_note(path: &Path, label: &str, replaces: &[String], value: &str) -> std::io::Result<()> {
    // One writer at a time: the daemon's threads (the recovery code at start, the WiFi
    // monitor) each read, change and replace the file, and would lose each other's notes.
    static WRITING: std::sync::Mutex<()> = std::sync::Mutex::new(());
    let _one = WRITING
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let old = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(e) => return Err(e),
    };
    let (problems, notes) = split_notes(&old);
    let prefix = format!("{label}: ");
    let gone: Vec<String> = replaces.iter().map(|l| format!("{l}: ")).collect();
    let mut out = problems.trim_end().to_owned();
    if !out.is_empty() {
        out.push_str("\n\n");
    }
    out.push_str(NOTES_MARKER);
    out.push('\n');
    for line in notes.lines().filter(|l| !l.trim().is_empty()) {
        if !gone.iter().any(|p| line.starts_with(p.as_str())) {
            out.push_str(line);
            out.push('\n');
        }
    }
    out.push_str(&prefix);
    out.push_str(value);
    out.push('\n');
    // A FAT boot partition has no permissions to set: then plainly.
    crate::sys::fs::write_atomic_mode(path, &out, 0o600)
        .or_else(|_| crate::sys::fs::write_atomic(path, &out))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `text` written as a problems file in a directory of its own (`name`, the process id),
    /// and the warnings the daemon reads back from it, in English.
    fn written_and_read_back(name: &str, text: &str) -> (std::path::PathBuf, Vec<String>) {
        let dir = std::env::temp_dir().join(format!("{name}-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("whereflow-problems.txt");
        std::fs::write(&path, text).unwrap();
        let w = read_warnings(&path)
            .iter()
            .map(StatusWords::english)
            .collect();
        (path, w)
    }

    #[test]
    fn written_problems_read_back_as_warnings_without_the_passphrase() {
        let problems = vec![
            Problem::new("wifi.country", "\"XX\" is not a country code"),
            Problem::new("wifi.passphrase", "must be 8 to 63 characters (it has 5)"),
        ];
        let ap = fallback::access_point("abcd-efgh-jkmn", "wlan0");
        let text = render(
            "/boot/whereflow-settings.toml",
            &problems,
            &ap,
            Tr::new(Lang::En),
        );
        assert!(!text.contains(ENGLISH_MARKER));
        let (path, w) = written_and_read_back("wf-problems", &text);
        assert_eq!(w.len(), 3, "{w:?}");
        assert_eq!(
            w[0],
            "settings file (whereflow-settings.toml): wifi.country: \"XX\" is not a country code"
        );
        assert!(w[2].contains("whereflow-setup"));
        assert!(!w.concat().contains("abcd-efgh-jkmn"));
        // The daemon's notes are kept apart and never become warnings.
        let note = |id, lang, value| set_note_said(&path, lang, id, &[], value).unwrap();
        note("note-recovery", Lang::En, "AAAA");
        note("note-https", Lang::En, "ab:cd");
        // The site's language changed: the note is replaced, in the new language.
        note("note-recovery", Lang::Fr, "BBBB");
        let again: Vec<String> = read_warnings(&path)
            .iter()
            .map(StatusWords::english)
            .collect();
        assert_eq!(again, w);
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.starts_with(text.split(NOTES_MARKER).next().unwrap()));
        assert!(text.contains("wifi.country"), "{text}");
        assert!(
            text.contains("Code de secours d’administration (à taper comme mot de passe ; valable une fois): BBBB\n"),
            "{text}"
        );
        assert!(!text.contains("AAAA"), "{text}");
        assert!(
            text.contains("HTTPS certificate fingerprint (SHA-256): ab:cd\n"),
            "{text}"
        );
        std::fs::remove_file(&path).unwrap();
        assert!(read_warnings(&path).is_empty());
        // Notes alone are no problem.
        note("note-https", Lang::En, "ab:cd");
        assert!(read_warnings(&path).is_empty());
        std::fs::remove_file(&path).unwrap();
        let _ = std::fs::remove_dir_all(path.parent().unwrap());
    }

    /// The bad sample settings file rendered as setup would, in `site.language`.
    fn bad_sample_in(lang: &str) -> (Vec<Problem>, String) {
        let path =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/settings/bad.toml");
        let text = std::fs::read_to_string(&path)
            .unwrap()
            .replace("[site]\n", &format!("[site]\nlanguage = \"{lang}\"\n"));
        let settings = crate::system::settings::check(&text, &path);
        let mut problems = settings.problems.clone();
        // The problems setup itself finds, keyed (a missing radio, WPA3 refused).
        problems.push(Problem::said(
            "wifi.interface",
            "problem-radio-missing",
            [("name", "\"wlan1\"".into()), ("found", "wlan0".into())],
        ));
        problems.push(Problem::said(
            "wifi.security",
            "problem-wpa3-unsupported",
            [],
        ));
        let ap = fallback::access_point("abcd-efgh-jkmn", "wlan0");
        let tr = Tr::new(settings.language);
        let out = render("/boot/whereflow-settings.toml", &problems, &ap, tr);
        (problems, out)
    }

    #[test]
    fn a_problems_file_in_german_has_no_english_template_and_english_below() {
        let (problems, text) = bad_sample_in("de");
        let (german, english) = text.split_once(ENGLISH_MARKER).expect("English below");
        assert!(german.contains("kann seine Einstellungsdatei"), "{german}");
        assert!(german.contains("Einrichtungs-WLAN"), "{german}");
        assert!(
            german.contains("es gibt keinen WLAN-Adapter \"wlan1\""),
            "{german}"
        );
        assert!(german.contains("abcd-efgh-jkmn"), "{german}");
        // None of the English template's sentences, nor the English of a keyed problem.
        let en = Tr::new(Lang::En);
        for id in [
            "problems-title",
            "problems-heading",
            "problems-fallback",
            "problems-fix",
        ] {
            for line in en.t(id).lines() {
                let line = line.split('{').next().unwrap().trim();
                if line.len() > 8 {
                    assert!(!german.contains(line), "English {line:?} in {german}");
                }
            }
        }
        // The sample's problems are all ones a person fixes on the card: every one keyed.
        assert!(problems.iter().all(|p| p.words.is_some()), "{problems:?}");
        for p in &problems {
            assert!(!german.contains(&p.message), "{p:?} in English: {german}");
        }
        for phrase in [
            "Problems:",
            "Until they are fixed",
            "network name",
            "  passphrase:",
        ] {
            assert!(!german.contains(phrase), "{phrase:?} in {german}");
        }
        assert!(!german.contains('⟦'), "{german}");
        // Support reads the English below; the status warnings come from it.
        assert!(
            english.contains("whereflow cannot use its settings file"),
            "{english}"
        );
        assert!(
            english.contains("there is no WiFi radio \"wlan1\""),
            "{english}"
        );
        let (path, w) = written_and_read_back("wf-problems-de", &text);
        assert_eq!(w.len(), problems.len() + 1, "{w:?}");
        assert!(
            w.iter().any(|l| l.contains("there is no WiFi radio")),
            "{w:?}"
        );
        assert!(!w.concat().contains("WLAN-Adapter"), "{w:?}");
        let _ = std::fs::remove_dir_all(path.parent().unwrap());
    }

    #[test]
    fn every_language_renders_without_missing_messages_and_english_stays_alone() {
        for lang in ["en", "de", "fr", "es", "klingon"] {
            let (_, text) = bad_sample_in(lang);
            assert!(!text.contains('⟦'), "{lang}: {text}");
            assert_eq!(
                text.contains(ENGLISH_MARKER),
                lang != "en" && lang != "klingon",
                "{lang}"
            );
        }
    }
}
