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
        /// The parser's message (it names the key and the line).
        message: String,
    },
    /// A value is well-formed but not usable.
    #[error("config key `{key}`: {reason}")]
    Invalid {
        /// Dotted key, e.g. `dns.listen`.
        key: &'static str,
        /// Why the value is refused (English).
        reason: String,
        /// The same as a message of `pages.ftl`, for the reasons the boot problems file says
        /// in `site.language`; `None`: English only.
        words: Option<Words>,
    },
}

/// A message of the catalogues (`pages.ftl`) and its arguments (names, numbers as strings).
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
        tr.ta(
            self.id,
            self.args
                .iter()
                .map(|(k, v)| (*k, fluent_bundle::FluentValue::from(v.as_str()))),
        )
    }
}

/// The value of `key` is refused, for `reason`.
pub(crate) fn invalid(key: &'static str, reason: impl Into<String>) -> ConfigError {
    ConfigError::Invalid {
        key,
        reason: reason.into(),
        words: None,
    }
}

/// The value of `key` is refused for the reason the catalogue message `id` with `args` says
/// (its English text is the `reason`).
pub(crate) fn invalid_said<const N: usize>(
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
        words: Some(words),
    }
}
