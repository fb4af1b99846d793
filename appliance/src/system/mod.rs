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
//! - `radios`: which radio serves the room (`wifi.interface`, USB before on-board), and
//!   about how many devices it admits.
//! - `wpa_supplicant`: the WiFi uplink's file; `wpa_ctrl`: hostapd's and wpa_supplicant's
//!   control sockets; `captive`: the uplink's captive portal check.
//! - `wifi_monitor`: in the daemon, watches the radio, its stations and the uplink for
//!   `/api/v1/status`.
//! - `hostapd`, `dnsmasq`, `nftables`, `runtime`: one rendered file each.
//! - `problems`: the problems file (written by setup, read by the daemon).
//! - `console`: what setup says on the console, in the settings' language.
//! - `setup`: `whereflow setup`, which does all of the above.

pub(crate) mod captive;
pub(crate) mod console;
pub(crate) mod dnsmasq;
pub(crate) mod fallback;
pub(crate) mod hostapd;
pub(crate) mod network;
pub(crate) mod nftables;
pub(crate) mod problems;
pub use problems::ENGLISH_MARKER;
pub(crate) mod radio;
pub(crate) mod radios;
pub(crate) mod regdomain;
mod regdomain_table;
pub(crate) mod runtime;
pub(crate) mod settings;
pub(crate) mod setup;
pub(crate) mod wifi_monitor;
pub(crate) mod wpa_ctrl;
pub(crate) mod wpa_supplicant;

pub use console::{ConsoleLine, SetupWords};
pub use settings::Problem;
pub use setup::{run as setup, FallbackReason, SetupError, SetupFailed, SetupOptions, SetupReport};
