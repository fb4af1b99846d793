//! `[system]`: files `whereflow setup` leaves for the daemon.

use std::collections::BTreeMap;
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
    /// knowing (an adapter left unused or without AP mode), each a status message by id
    /// with its arguments. Shown as warnings in `/api/v1/status`, in each reader's language.
    pub notes: Vec<SystemNote>,
    /// Where the WiFi monitor (`wifi.interface` set) reads the system: `sys/` (the radio),
    /// `run/hostapd/` and `run/wpa_supplicant/` (their control sockets) and `lib/firmware/`
    /// below it. Unset: `/`. The tests give a tree of their own.
    pub root: Option<PathBuf>,
}

/// One note of `system.notes`: `{ id = "radio-no-ap", radio = "wlan1 (rtl8xxxu, USB)" }`, a
/// status message (`status-<id>`) and its arguments.
#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
pub struct SystemNote {
    /// The message id (`system::radios::NOTES`).
    pub id: String,
    /// Its arguments by name.
    #[serde(flatten)]
    pub args: BTreeMap<String, String>,
}
