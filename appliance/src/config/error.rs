//! The error every config check returns, and the one helper that builds it. A leaf: it uses
//! nothing of the crate, so every section (here, in `detect::config`, in `control::config`)
//! can name the key at fault the same way.

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
        /// Why the value is refused.
        reason: String,
    },
}

/// The value of `key` is refused, for `reason`.
pub(crate) fn invalid(key: &'static str, reason: impl Into<String>) -> ConfigError {
    ConfigError::Invalid {
        key,
        reason: reason.into(),
    }
}
