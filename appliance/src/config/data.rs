//! `[data]`: the data directory.

use std::path::PathBuf;

use serde::Deserialize;

use super::{invalid, ConfigError};

/// `[data]`: persistent files.
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct DataConfig {
    /// The data directory (created if missing).
    pub dir: PathBuf,
}

impl Default for DataConfig {
    fn default() -> Self {
        DataConfig {
            dir: PathBuf::from("whereflow-data"),
        }
    }
}

impl DataConfig {
    /// Check the values; the error names the key.
    pub(crate) fn validate(&self) -> Result<(), ConfigError> {
        if self.dir.as_os_str().is_empty() {
            return Err(invalid("data.dir", "config-not-empty", []));
        }
        Ok(())
    }
}
