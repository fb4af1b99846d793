//! The error every config check returns, and the helpers that build it. Nearly a leaf: it
//! uses only the catalogues (`i18n`), so every section (here, in `detect::config`, in
//! `control::config`) can name the key at fault the same way, and the reasons a person fixes
//! on the SD card can be said in `site.language` (the boot problems file).

use std::path::PathBuf;

/// A configuration problem, naming the key at fault.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The file could not be read.
    #[error("cannot read config file {path}: {source}")]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The file is not valid TOML or a key is unknown or has the wrong type.
    #[error("config file {path}: {message}")]
    Parse {
        /// The file.
        path: PathBuf,
        /// The parser's message (it names the key and the line), English.
        message: String,
        /// The line at fault (1 is the first), when the parser says: the translated lead of
        /// the boot problems file names it.
        line: Option<usize>,
    },
    /// A value is well-formed but not usable.
    #[error("config key `{key}`: {reason}")]
    Invalid {
        /// Dotted key, e.g. `dns.listen`.
        key: &'static str,
        /// Why the value is refused (English: the console, the API, the logs).
        reason: String,
        /// The same as a message of the catalogues (`settings.ftl`), so the boot problems
        /// file can say it in `site.language`.
        words: Words,
    },
}

/// A message of the catalogues (`settings.ftl`) and its arguments (names, numbers as
/// strings).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Words {
    /// The message id.
    pub id: &'static str,
    /// Its arguments by name.
    pub args: Vec<(&'static str, String)>,
}

impl Words {
    /// The message in the language of `tr`.
    pub fn say(&self, tr: crate::i18n::Tr) -> String {
        tr.said(self.id, self.args.iter().map(|(k, v)| (k, v)))
    }
}

/// The value of `key` is refused for the reason the catalogue message `id` (`settings.ftl`)
/// with `args` says; its English text is the `reason`. The only way to build the error, so
/// every reason has its words in every language (a catalogue test checks the keys).
pub(crate) fn invalid<const N: usize>(
    key: &'static str,
    id: &'static str,
    args: [(&'static str, String); N],
) -> ConfigError {
    let words = Words {
        id,
        args: args.into_iter().collect(),
    };
    ConfigError::Invalid {
        key,
        reason: words.say(crate::i18n::Tr::new(crate::i18n::Lang::En)),
        words,
    }
}

/// `value` refused for `e` (a domain name's check).
pub(crate) fn bad_domain(
    key: &'static str,
    value: &str,
    e: &crate::model::DomainError,
) -> ConfigError {
    use crate::model::DomainError as E;
    let id = match e {
        E::Empty => "config-domain-empty",
        E::TooLong => "config-domain-too-long",
        E::BadLabel => "config-domain-bad-label",
    };
    invalid(key, id, [("value", value.to_owned())])
}
