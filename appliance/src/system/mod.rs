//! The appliance's system files, rendered from the one settings file on the boot partition.
//!
//! ```text
//!  /boot/whereflow-settings.toml ──> settings (parse, check every value, list every problem)
//!        │                               │ any problem: fallback (WPA2 "whereflow-setup")
//!        ▼                               ▼
//!  whereflow setup ──> hostapd.conf, dnsmasq.conf (DHCP only), nftables.conf (+ -detect),
//!                      daemon.toml (the daemon's runtime config), system.env (for the
//!                      init scripts) in /run/whereflow; problems in /boot/whereflow-problems.txt
//! ```
//!
//! - `regdomain`: which channels an access point may use in which country (wireless-regdb).
//! - `network`: the access point's fixed network (wlan0, 10.42.0.1/24) and file locations.
//! - `settings`: reading and checking the settings file; every problem in plain words.
//! - `fallback`: the safe access point used while the settings have problems.
//! - `radio`: what the WiFi chip can do (`iw phy`), and the security `wifi.security` gets.
//! - `hostapd`, `dnsmasq`, `nftables`, `runtime`: one rendered file each.
//! - `problems`: the problems file (written by setup, read by the daemon).
//! - `setup`: `whereflow setup`, which does all of the above.

pub(crate) mod dnsmasq;
pub(crate) mod fallback;
pub(crate) mod hostapd;
pub(crate) mod network;
pub(crate) mod nftables;
pub(crate) mod problems;
pub(crate) mod radio;
pub(crate) mod regdomain;
mod regdomain_table;
pub(crate) mod runtime;
pub(crate) mod settings;
pub(crate) mod setup;

pub use settings::Problem;
pub use setup::{run as setup, SetupError, SetupOptions, SetupReport};
