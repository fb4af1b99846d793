//! The settings file on the boot partition (`whereflow-settings.toml`): read, and checked for
//! everything the appliance needs, with every problem listed in plain words.
//!
//! It has the daemon's configuration format ([`Config`]): the few keys a person sets after
//! flashing (`[wifi]`, `[site]`, `[admin]`, `[dns] upstreams`, `[uplink]`), and any other key
//! of the daemon's configuration for those who need it. Unlike the daemon, which stops at the
//! first bad value, setup lists them all, so that one round of editing fixes the file.

use std::path::Path;

use toml_edit::DocumentMut;

use crate::config::{Config, ConfigError, WifiSecurity};
use crate::i18n::{Lang, Tr};

/// One problem with the settings, naming the key and saying why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// Dotted key (`wifi.passphrase`), or the file's name when the file as a whole is at fault.
    pub key: String,
    /// Why, in plain English words, on one line (`/api/v1/status`, the console).
    pub message: String,
    /// The same as a message of the catalogues (`pages.ftl`, `settings.ftl`) and its
    /// arguments, so the problems file can say it in `site.language`; `None`: only the English
    /// `message` (a reason given in words on setup's command line, `--fallback-reason`).
    pub words: Option<ProblemWords>,
}

/// A problem's message as a catalogue message (`problem-...` in `pages.ftl`, `config-...` in
/// `settings.ftl`) and its arguments (text from deeper down, names, numbers as strings).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProblemWords {
    /// The message id.
    pub id: &'static str,
    /// Its arguments by name.
    pub args: Vec<(&'static str, String)>,
    /// A message said inside this one, as its argument `why` in the same language (the
    /// reason a value is refused, inside "... with the appliance's own defaults added").
    pub why: Option<Box<ProblemWords>>,
}

impl ProblemWords {
    /// The message in the language of `tr`, on one line.
    pub fn say(&self, tr: Tr) -> String {
        let why = self.why.as_ref().map(|w| w.say(tr));
        one_line(
            &tr.ta(
                self.id,
                self.args
                    .iter()
                    .map(|(k, v)| (*k, v.as_str()))
                    .chain(why.as_deref().map(|w| ("why", w)))
                    .map(|(k, v)| (k, fluent_bundle::FluentValue::from(v))),
            ),
        )
    }
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.key, self.message)
    }
}

impl Problem {
    /// A problem with `key`.
    pub fn new(key: impl Into<String>, message: impl Into<String>) -> Problem {
        Problem {
            key: key.into(),
            message: one_line(&message.into()),
            words: None,
        }
    }

    /// A problem with `key` whose message is the catalogue message `id` with `args`.
    pub fn said<const N: usize>(
        key: impl Into<String>,
        id: &'static str,
        args: [(&'static str, String); N],
    ) -> Problem {
        let words = ProblemWords {
            id,
            args: args.into_iter().collect(),
            why: None,
        };
        Problem {
            key: key.into(),
            message: words.say(Tr::new(Lang::En)),
            words: Some(words),
        }
    }

    /// The same problem said inside the catalogue message `id`, whose argument `why` is this
    /// problem's reason (in each language).
    pub fn within(self, id: &'static str) -> Problem {
        let words = ProblemWords {
            id,
            args: match &self.words {
                Some(_) => Vec::new(),
                None => vec![("why", self.message.clone())],
            },
            why: self.words.map(Box::new),
        };
        Problem {
            key: self.key,
            message: words.say(Tr::new(Lang::En)),
            words: Some(words),
        }
    }

    /// The problem's line (`key: why`) in the language of `tr`.
    pub fn say(&self, tr: Tr) -> String {
        match &self.words {
            Some(w) => format!("{}: {}", self.key, w.say(tr)),
            None => self.to_string(),
        }
    }

    /// The problem a configuration error describes; `file` names the file for errors about
    /// the whole file.
    pub fn from_config_error(e: &ConfigError, file: &str) -> Problem {
        match e {
            ConfigError::Invalid { key, reason, words } => Problem {
                words: Some(ProblemWords {
                    id: words.id,
                    args: words.args.clone(),
                    why: None,
                }),
                ..Problem::new(*key, reason.clone())
            },
            ConfigError::Parse { message, line, .. } => parse_problem(file, message, *line),
            ConfigError::Read { source, .. } => {
                Problem::said(file, "problem-unreadable", [("why", source.to_string())])
            }
        }
    }
}

/// The problem of a file the TOML parser refused: its `message` (English, it names the line
/// and the key) after a lead in the reader's language naming the `line`.
fn parse_problem(file: &str, message: &str, line: Option<usize>) -> Problem {
    match line {
        Some(n) => Problem::said(
            file,
            "config-parse-line",
            [("line", n.to_string()), ("detail", message.to_owned())],
        ),
        None => Problem::said(file, "config-parse", [("detail", message.to_owned())]),
    }
}

/// A multi-line message (the TOML parser's, with its excerpt of the file) on one line: the
/// excerpt lines (`5 | band = "6"`, `  |        ^`) are dropped, the others joined with
/// "; ". The key of the excerpt's line is kept (`at band = ...`), never its value (it could be
/// the passphrase).
fn one_line(message: &str) -> String {
    let mut kept: Vec<String> = Vec::new();
    let mut key: Option<String> = None;
    for l in message.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let digits = l.trim_start_matches(|c: char| c.is_ascii_digit());
        let rest = digits.trim_start();
        if let Some(src) = rest.strip_prefix('|') {
            if digits.len() < l.len() && key.is_none() {
                key = src
                    .split_once('=')
                    .map(|(k, _)| k.trim().to_owned())
                    .filter(|k| !k.is_empty());
            }
            continue;
        }
        kept.push(l.to_owned());
    }
    if let (Some(k), Some(first)) = (key, kept.first_mut()) {
        first.push_str(&format!(" (at `{k} = ...`)"));
    }
    kept.join("; ")
}

/// The settings file, read and checked.
#[derive(Debug)]
pub struct Settings {
    /// The settings as the daemon would read them; `None` when the file is missing or not
    /// valid TOML in the configuration's format.
    pub config: Option<Config>,
    /// The file as a TOML document (the person's keys and comments, kept as written).
    pub document: Option<DocumentMut>,
    /// Every problem found, in the order of the file's sections.
    pub problems: Vec<Problem>,
    /// `site.language`, read leniently (also from a file with problems, see [`language`]):
    /// the language of the problems file.
    pub language: Lang,
}

/// Read and check the settings file at `path`.
pub fn read(path: &Path) -> Settings {
    match std::fs::read_to_string(path) {
        Ok(text) => check(&text, path),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Settings {
            config: None,
            document: None,
            problems: vec![Problem::said(
                file_name(path),
                "problem-missing",
                [("path", path.display().to_string())],
            )],
            language: Lang::En,
        },
        Err(e) => Settings {
            config: None,
            document: None,
            problems: vec![Problem::said(
                file_name(path),
                "problem-unreadable",
                [("why", e.to_string())],
            )],
            language: Lang::En,
        },
    }
}

/// The name the problems file uses for the settings file itself.
pub fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}

/// Check settings text (`path` is only for messages).
pub fn check(text: &str, path: &Path) -> Settings {
    let file = file_name(path);
    let lang = language(text);
    let config = match Config::parse(text, path) {
        Ok(c) => c,
        Err(e) => {
            return Settings {
                config: None,
                document: text.parse::<DocumentMut>().ok(),
                problems: vec![Problem::from_config_error(&e, &file)],
                language: lang,
            }
        }
    };
    let document = match text.parse::<DocumentMut>() {
        Ok(d) => d,
        Err(e) => {
            return Settings {
                config: None,
                document: None,
                problems: vec![parse_problem(
                    &file,
                    &e.to_string(),
                    e.span().map(|s| crate::config::line_of(text, s.start)),
                )],
                language: lang,
            }
        }
    };
    let problems = appliance_problems(&config, &file);
    Settings {
        config: Some(config),
        document: Some(document),
        problems,
        language: lang,
    }
}

/// `site.language` of settings text, read leniently: from the TOML when it parses (whatever
/// else is wrong), else from a `language = "de"` line in the `[site]` section, so a file
/// with a syntax error elsewhere still gets its problems in its language. English when
/// unset or not one of the four.
pub fn language(text: &str) -> Lang {
    if let Ok(doc) = text.parse::<DocumentMut>() {
        return doc
            .get("site")
            .and_then(|s| s.get("language"))
            .and_then(|l| l.as_str())
            .and_then(|l| l.parse().ok())
            .unwrap_or(Lang::En);
    }
    let mut in_site = false;
    for line in text.lines().map(str::trim) {
        if line.starts_with('[') {
            in_site = line.trim_start_matches('[').trim_end_matches(']').trim() == "site";
            continue;
        }
        let found = if in_site {
            line.strip_prefix("language")
        } else {
            line.strip_prefix("site.language")
        };
        let Some((_, value)) = found.and_then(|r| r.split_once('=')) else {
            continue;
        };
        let value = value.split('#').next().unwrap_or_default().trim();
        return value
            .trim_matches(|c| c == '"' || c == '\'')
            .parse()
            .unwrap_or(Lang::En);
    }
    Lang::En
}

/// Every problem that keeps the appliance from using `config`: what the appliance needs
/// (a named, protected network in a known country) and every value the daemon would refuse.
/// One problem per key at most.
pub fn appliance_problems(config: &Config, file: &str) -> Vec<Problem> {
    let mut out: Vec<Problem> = Vec::new();
    let mut push = |p: Problem| {
        if !out.iter().any(|q| q.key == p.key) {
            out.push(p);
        }
    };
    let w = &config.wifi;
    if w.ssid.trim().is_empty() {
        push(Problem::said("wifi.ssid", "problem-ssid-unset", []));
    }
    match w.security {
        WifiSecurity::Open => push(Problem::said("wifi.security", "problem-security-open", [])),
        _ if w.passphrase.is_empty() => push(Problem::said(
            "wifi.passphrase",
            "problem-passphrase-unset",
            [],
        )),
        _ => {}
    }
    if w.country_code().is_none() {
        push(Problem::said("wifi.country", "problem-country-unset", []));
    }
    for e in w.radio_problems() {
        push(Problem::from_config_error(&e, file));
    }
    // The network name and passphrase, checked apart from the radio (listed above).
    let network_only = crate::config::WifiConfig {
        country: String::new(),
        band: Default::default(),
        channel: None,
        ..w.clone()
    };
    let sections: [Result<(), ConfigError>; 6] = [
        network_only.validate(),
        config.site.validate(),
        config.admin.validate(),
        config.uplink.validate(),
        config.devices.validate(),
        config.history.validate(),
    ];
    for r in sections {
        if let Err(e) = r {
            push(Problem::from_config_error(&e, file));
        }
    }
    if let Err(e) = config.validate() {
        push(Problem::from_config_error(&e, file));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problems(text: &str) -> Vec<String> {
        check(text, Path::new("/boot/whereflow-settings.toml"))
            .problems
            .iter()
            .map(ToString::to_string)
            .collect()
    }

    const GOOD: &str = "[wifi]\nssid = \"Room 4\"\npassphrase = \"correct horse\"\n\
                        country = \"DE\"\n";

    #[test]
    fn a_good_file_has_no_problems() {
        assert_eq!(problems(GOOD), Vec::<String>::new());
        let s = check(GOOD, Path::new("x.toml"));
        assert!(s.config.is_some() && s.document.is_some());
    }

    #[test]
    fn every_problem_is_listed_with_its_key() {
        let p = problems(
            "[wifi]\nssid = \"Room 4\"\npassphrase = \"short\"\ncountry = \"XX\"\n\
             [site]\nlatitude = 100.0\nlongitude = 0.0\n[uplink]\ninterface = \"wlan0\"\n",
        );
        assert_eq!(p.len(), 4, "{p:#?}");
        assert!(
            p[0].starts_with("wifi.country: \"XX\" is not a country code"),
            "{p:?}"
        );
        assert!(
            p[1].starts_with("wifi.passphrase: must be 8 to 63"),
            "{p:?}"
        );
        assert!(p[2].starts_with("site.latitude:"), "{p:?}");
        assert!(p[3].starts_with("uplink.interface:"), "{p:?}");
        assert!(
            !p.join("").contains("short"),
            "the passphrase is never shown"
        );
    }

    #[test]
    fn an_empty_file_asks_for_the_network() {
        let p = problems("");
        assert_eq!(p.len(), 3, "{p:#?}");
        assert!(p[0].starts_with("wifi.ssid: not set"));
        assert!(p[1].starts_with("wifi.passphrase: not set"));
        assert!(p[2].starts_with("wifi.country: not set"));
    }

    #[test]
    fn channels_are_checked_per_band_and_country() {
        let p = problems(&format!("{GOOD}channel = 13\n"));
        assert!(p.is_empty(), "{p:?}");
        let p = problems(&format!("{}channel = 13\n", GOOD.replace("DE", "US")));
        assert!(
            p[0].starts_with("wifi.channel: channel 13 is not allowed"),
            "{p:?}"
        );
        let p = problems(&format!("{GOOD}band = \"5\"\nchannel = 6\n"));
        assert!(p[0].contains("not a 5 GHz channel"), "{p:?}");
        let p = problems(&format!("{GOOD}band = 5\nchannel = 100\n"));
        assert!(p[0].contains("radar"), "{p:?}");
        let p = problems(&format!("{GOOD}band = \"5\"\n"));
        assert!(p.is_empty(), "{p:?}");
        let p = problems(&format!("{GOOD}band = 2.4\n"));
        assert!(p.is_empty(), "{p:?}");
        let p = problems(&format!("{GOOD}band = \"6\"\n"));
        assert!(p[0].contains("(at `band = ...`)"), "{p:?}");
        let p = problems("[wifi]\npassphrase = \"secret\n");
        assert!(p[0].contains("(at `passphrase = ...`)"), "{p:?}");
        assert!(!p[0].contains("secret"), "{p:?}");
    }

    #[test]
    fn open_networks_and_parse_errors_are_refused() {
        let p = problems("[wifi]\nssid = \"x\"\nsecurity = \"open\"\ncountry = \"FR\"\n");
        assert_eq!(p.len(), 1, "{p:?}");
        assert!(
            p[0].starts_with("wifi.security: \"open\" is not offered"),
            "{p:?}"
        );
        let p = problems("[wifi]\nssid = \n");
        assert_eq!(p.len(), 1, "{p:?}");
        assert!(
            p[0].starts_with("whereflow-settings.toml: TOML parse error at line 2"),
            "{p:?}"
        );
        assert!(!p[0].contains('\n'), "{p:?}");
        let p = problems("[wifi]\nsid = \"x\"\n");
        assert!(p[0].contains("sid"), "{p:?}");
    }

    #[test]
    fn a_missing_file_is_a_problem() {
        let s = read(Path::new("/nonexistent/whereflow-settings.toml"));
        assert_eq!(s.problems.len(), 1);
        assert!(s.problems[0].message.starts_with("is missing"));
    }

    #[test]
    fn the_language_is_read_leniently() {
        assert_eq!(language("[site]\nlanguage = \"de\"\n"), Lang::De);
        assert_eq!(language("site.language = 'fr'\n"), Lang::Fr);
        // A syntax error elsewhere: the line is still found.
        let broken = "[wifi]\nssid = \"unclosed\n[site]\nlanguage = \"es\" # Spanish\n";
        assert!(broken.parse::<DocumentMut>().is_err());
        assert_eq!(language(broken), Lang::Es);
        // Only in [site]; unknown or unset: English.
        assert_eq!(language("[wifi\nlanguage = \"de\"\n"), Lang::En);
        assert_eq!(language("[site]\nlanguage = \"klingon\"\n"), Lang::En);
        assert_eq!(language("[wifi]\nlanguage = \"de\"\n"), Lang::En);
        assert_eq!(language(""), Lang::En);
    }
}
