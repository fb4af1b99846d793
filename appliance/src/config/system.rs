//! `[system]`: files `whereflow setup` leaves for the daemon.

use std::path::PathBuf;

use serde::Deserialize;

/// `[system]`: files `whereflow setup` writes for the daemon on the appliance.
#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct SystemConfig {
    /// The problems `whereflow setup` found in the settings file (plain words, one `- `
    /// line each). The daemon reads it at start and shows each problem as a warning in
    /// `/api/v1/status`. A missing file means no problems.
    pub problems_file: Option<PathBuf>,
    /// What `whereflow setup` found about the WiFi radios that is not a problem but worth
    /// knowing (which radio serves the room and why, an adapter left unused). Shown as
    /// warnings in `/api/v1/status`.
    pub notes: Vec<String>,
    /// Where the WiFi monitor (`wifi.interface` set) reads the system: `sys/` (the radio),
    /// `run/hostapd/` and `run/wpa_supplicant/` (their control sockets) and `lib/firmware/`
    /// below it. Unset: `/`. The tests give a tree of their own.
    pub root: Option<PathBuf>,
}
