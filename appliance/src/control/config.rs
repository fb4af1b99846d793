//! The `[control]` section of the config file: whether the admin may use the controls, and
//! the nftables table they use. Registered in `config/mod.rs` as `Config::control`; every
//! key is in `docs/config.example.toml`.

use serde::Deserialize;

use crate::config::error::{invalid, ConfigError};

/// `[control]`: DNS blocking, address blocks and ending connections (admin only).
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct ControlConfig {
    /// Allow the controls at all. When false the control endpoints answer `403`, nothing is
    /// blocked and no nftables table is made; a saved state is kept for later.
    pub enabled: bool,
    /// The nftables table (family `inet`) the blocks live in. It belongs to whereflow: it is
    /// made at start and its contents replaced with the saved blocks. It must not be the
    /// appliance's firewall table (`whereflow`).
    pub nft_table: String,
    /// The `nft` program (a name looked up in `PATH`, or a path).
    pub nft_command: String,
    /// Longest wait for one `nft` run, in milliseconds.
    pub nft_timeout_ms: u64,
    /// How long the packets of an ended connection keep being refused (TCP: answered with
    /// a reset), in seconds. Without that the kernel would pick the connection up again
    /// from its next packet (see `control::conntrack_kill`).
    pub kill_reject_secs: u32,
    /// Most addresses in the block sets at once (over all blocks; a country or organization
    /// block adds every address seen for it).
    pub max_blocked_addresses: usize,
}

impl Default for ControlConfig {
    fn default() -> Self {
        ControlConfig {
            enabled: true,
            nft_table: "whereflow_control".into(),
            nft_command: "nft".into(),
            nft_timeout_ms: 5_000,
            kill_reject_secs: 120,
            max_blocked_addresses: 65_536,
        }
    }
}

impl ControlConfig {
    /// Check every value; the first problem names its key.
    pub fn validate(&self) -> Result<(), ConfigError> {
        let t = &self.nft_table;
        if t.is_empty()
            || t.len() > 64
            || !t.starts_with(|c: char| c.is_ascii_alphabetic())
            || !t.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        {
            return Err(invalid("control.nft_table", "config-nft-table-name", []));
        }
        if t == "whereflow" || t == "nat" {
            return Err(invalid(
                "control.nft_table",
                "config-nft-table-own",
                [("table", t.to_string())],
            ));
        }
        if self.nft_command.trim().is_empty() {
            return Err(invalid("control.nft_command", "config-not-empty", []));
        }
        if !(100..=60_000).contains(&self.nft_timeout_ms) {
            return Err(invalid(
                "control.nft_timeout_ms",
                "config-between",
                [("min", "100".into()), ("max", "60000".into())],
            ));
        }
        if !(1..=86_400).contains(&self.kill_reject_secs) {
            return Err(invalid(
                "control.kill_reject_secs",
                "config-between",
                [("min", "1".into()), ("max", "86400".into())],
            ));
        }
        if !(1..=1_000_000).contains(&self.max_blocked_addresses) {
            return Err(invalid(
                "control.max_blocked_addresses",
                "config-between",
                [("min", "1".into()), ("max", "1000000".into())],
            ));
        }
        Ok(())
    }

    /// The `nft` run time limit.
    pub fn nft_timeout(&self) -> std::time::Duration {
        std::time::Duration::from_millis(self.nft_timeout_ms)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_valid_and_bad_values_name_their_key() {
        ControlConfig::default().validate().unwrap();
        type Change = fn(&mut ControlConfig);
        let cases: [(Change, &str); 6] = [
            (|c| c.nft_table = "whereflow".into(), "control.nft_table"),
            (|c| c.nft_table = "a b".into(), "control.nft_table"),
            (|c| c.nft_command = " ".into(), "control.nft_command"),
            (|c| c.nft_timeout_ms = 1, "control.nft_timeout_ms"),
            (|c| c.kill_reject_secs = 0, "control.kill_reject_secs"),
            (
                |c| c.max_blocked_addresses = 0,
                "control.max_blocked_addresses",
            ),
        ];
        for (change, key) in cases {
            let mut c = ControlConfig::default();
            change(&mut c);
            let msg = c.validate().unwrap_err().to_string();
            assert!(msg.contains(key), "{msg} should name {key}");
        }
    }
}
