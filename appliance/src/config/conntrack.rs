//! `[conntrack]`: reading the kernel's connection table.

use std::time::Duration;

use serde::Deserialize;

use super::{invalid, ConfigError};

/// `[conntrack]`: the kernel's connection table.
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct ConntrackConfig {
    /// Read conntrack at all (off: DNS only, e.g. without root).
    pub enabled: bool,
    /// How often to dump the table for live byte counters, in milliseconds.
    pub dump_interval_ms: u64,
    /// Event socket receive buffer in bytes (set with `SO_RCVBUFFORCE`).
    pub receive_buffer_bytes: usize,
    /// Most flows tracked at once.
    pub max_flows: usize,
    /// Set `nf_conntrack_acct`, `_timestamp` and `_events` at start (needs root).
    pub set_sysctls: bool,
}

impl Default for ConntrackConfig {
    fn default() -> Self {
        ConntrackConfig {
            enabled: true,
            dump_interval_ms: 2_000,
            receive_buffer_bytes: 8 << 20,
            max_flows: 65_536,
            set_sysctls: true,
        }
    }
}

impl ConntrackConfig {
    /// Check the values; the error names the key.
    pub(crate) fn validate(&self) -> Result<(), ConfigError> {
        if !(100..=60_000).contains(&self.dump_interval_ms) {
            return Err(invalid(
                "conntrack.dump_interval_ms",
                "config-between",
                [("min", "100".into()), ("max", "60000".into())],
            ));
        }
        if !(4096..=256 << 20).contains(&self.receive_buffer_bytes) {
            return Err(invalid(
                "conntrack.receive_buffer_bytes",
                "config-between",
                [("min", "4096".into()), ("max", "268435456".into())],
            ));
        }
        if self.max_flows == 0 || self.max_flows > 4_000_000 {
            return Err(invalid(
                "conntrack.max_flows",
                "config-between",
                [("min", "1".into()), ("max", "4000000".into())],
            ));
        }
        Ok(())
    }

    /// Interval between counter dumps.
    pub fn dump_interval(&self) -> Duration {
        Duration::from_millis(self.dump_interval_ms)
    }
}
