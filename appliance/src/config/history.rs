//! `[history]`: how long the store keeps history and how big it may grow.

use serde::Deserialize;

use super::{invalid, ConfigError};

/// `[history]`: what the store keeps.
#[derive(Clone, Debug, Deserialize, serde::Serialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct HistoryConfig {
    /// Flows, answers and sessions older than this many days are deleted (checked hourly).
    pub retention_days: u32,
    /// Most megabytes the database may use; above it the oldest flows and answers go first
    /// (oldest ended sessions first, never the current session's last hour).
    pub max_db_mb: u64,
    /// When the admin starts a new session, keep the old one (`true`) or delete it.
    pub keep_old_sessions: bool,
}

impl Default for HistoryConfig {
    fn default() -> Self {
        HistoryConfig {
            retention_days: 7,
            // About two million flows (~490 bytes each with their answers): days of a busy
            // classroom, and room to spare on an 8 GB SD card.
            max_db_mb: 1024,
            keep_old_sessions: true,
        }
    }
}

/// Allowed `history.retention_days`.
pub const RETENTION_DAYS: std::ops::RangeInclusive<u32> = 1..=3650;
/// Allowed `history.max_db_mb`.
pub const MAX_DB_MB: std::ops::RangeInclusive<u64> = 16..=1_048_576;

impl HistoryConfig {
    /// Check the values; the error names the key.
    pub fn validate(&self) -> Result<(), ConfigError> {
        if !RETENTION_DAYS.contains(&self.retention_days) {
            return Err(invalid(
                "history.retention_days",
                "config-between",
                [("min", "1".into()), ("max", "3650".into())],
            ));
        }
        if !MAX_DB_MB.contains(&self.max_db_mb) {
            return Err(invalid(
                "history.max_db_mb",
                "config-between",
                [("min", "16".into()), ("max", "1048576".into())],
            ));
        }
        Ok(())
    }
}
