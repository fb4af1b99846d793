//! `[wifi]`: the network people join, and the access point's radio settings.

use serde::Deserialize;

use super::{invalid, ConfigError};

/// How the WiFi network is secured (`wifi.security`).
#[derive(Clone, Copy, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum WifiSecurity {
    /// Decided by `whereflow setup` from what the radio can do: WPA2/WPA3 transition with
    /// protected management frames where it can, else WPA2 (with them where it can). The
    /// daemon's runtime file always holds what setup chose, never `auto`.
    #[default]
    Auto,
    /// WPA2-Personal (a passphrase).
    Wpa2,
    /// WPA3-Personal (SAE; a passphrase).
    Wpa3,
    /// WPA2 and WPA3 at once (transition mode: WPA3 devices use SAE, older ones WPA2).
    #[serde(rename = "wpa2-wpa3")]
    Wpa2Wpa3,
    /// No password.
    Open,
}

/// `[wifi]`: the network people join. For now only the presenter's "join the WiFi" QR code
/// uses it.
#[derive(Clone, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct WifiConfig {
    /// The network name. Empty: not set (the presenter view shows no WiFi QR code).
    pub ssid: String,
    /// The passphrase (WPA2/WPA3: 8 to 63 printable ASCII characters; open: empty).
    pub passphrase: String,
    /// `"auto"` (the default: the best the radio can do), `"wpa2"`, `"wpa3"`, `"wpa2-wpa3"`
    /// (transition) or `"open"`.
    pub security: WifiSecurity,
    /// The country the access point is in (ISO 3166 alpha-2, e.g. `"DE"`, one wireless-regdb
    /// knows): it decides the allowed channels and power. Empty: not set (the world domain:
    /// 2.4 GHz channels 1 to 11 only). `whereflow setup` needs it.
    pub country: String,
    /// `"2.4"` or `"5"` (GHz).
    pub band: crate::system::regdomain::Band,
    /// The channel (20 MHz). Unset: 6 on 2.4 GHz, 36 on 5 GHz. Allowed: those an access
    /// point may use in `country` without radar detection (see `system::regdomain`).
    pub channel: Option<u16>,
    /// The radio the access point runs on: `"auto"` (the default: a USB adapter that can be
    /// an access point when one is plugged in, else the on-board radio; see
    /// `system::radios`) or an interface name (`"wlan1"`). In the daemon's runtime file
    /// setup writes the interface it chose.
    pub interface: String,
}

/// `wifi.interface`'s default: choose the radio at setup.
pub const AUTO_INTERFACE: &str = "auto";

impl Default for WifiConfig {
    fn default() -> Self {
        WifiConfig {
            ssid: String::new(),
            passphrase: String::new(),
            security: WifiSecurity::default(),
            country: String::new(),
            band: Default::default(),
            channel: None,
            interface: AUTO_INTERFACE.into(),
        }
    }
}

impl std::fmt::Debug for WifiConfig {
    /// The passphrase is shown on the projector, but not in logs or `check-config`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WifiConfig")
            .field("ssid", &self.ssid)
            .field(
                "passphrase",
                &if self.passphrase.is_empty() {
                    "<not set>"
                } else {
                    "<set>"
                },
            )
            .field("security", &self.security)
            .field("country", &self.country)
            .field("band", &self.band)
            .field("channel", &self.channel)
            .field("interface", &self.interface)
            .finish()
    }
}

impl WifiConfig {
    /// Check the values; the error names the key (never shows the passphrase).
    pub fn validate(&self) -> Result<(), ConfigError> {
        if let Some(e) = self.radio_problems().into_iter().next() {
            return Err(e);
        }
        self.validate_interface()?;
        if self.ssid.len() > 32 {
            return Err(invalid(
                "wifi.ssid",
                "config-at-most-bytes",
                [("max", "32".into())],
            ));
        }
        if self.ssid.chars().any(char::is_control) {
            return Err(invalid("wifi.ssid", "config-control-chars", []));
        }
        if self.ssid.is_empty() {
            if !self.passphrase.is_empty() {
                return Err(invalid("wifi.ssid", "config-ssid-empty", []));
            }
            return Ok(());
        }
        match self.security {
            WifiSecurity::Open => {
                if !self.passphrase.is_empty() {
                    return Err(invalid("wifi.passphrase", "config-passphrase-open", []));
                }
            }
            WifiSecurity::Auto
            | WifiSecurity::Wpa2
            | WifiSecurity::Wpa3
            | WifiSecurity::Wpa2Wpa3 => {
                let n = self.passphrase.chars().count();
                if !(8..=63).contains(&n) {
                    return Err(invalid(
                        "wifi.passphrase",
                        "config-passphrase-length",
                        [("n", n.to_string())],
                    ));
                }
                if !self.passphrase.chars().all(|c| (' '..='~').contains(&c)) {
                    return Err(invalid("wifi.passphrase", "config-printable-ascii", []));
                }
            }
        }
        Ok(())
    }

    /// Check `interface`: `"auto"` or a WiFi interface's name.
    pub fn validate_interface(&self) -> Result<(), ConfigError> {
        let i = &self.interface;
        if i == AUTO_INTERFACE {
            return Ok(());
        }
        if !super::uplink::is_interface_name(i) || !super::uplink::is_wifi_name(i) {
            return Err(invalid(
                "wifi.interface",
                "config-wifi-interface",
                [("interface", format!("{i:?}"))],
            ));
        }
        Ok(())
    }

    /// The explicitly chosen radio, `None` for `"auto"`.
    pub fn explicit_interface(&self) -> Option<&str> {
        (self.interface != AUTO_INTERFACE).then_some(self.interface.as_str())
    }

    /// The country code in capitals, if set.
    pub fn country_code(&self) -> Option<String> {
        let c = self.country.trim();
        (!c.is_empty()).then(|| c.to_ascii_uppercase())
    }

    /// The channel in use: `channel`, or the band's default.
    pub fn channel_or_default(&self) -> u16 {
        self.channel.unwrap_or(self.band.default_channel())
    }

    /// Every problem with `country`, `band` and `channel` (all of them, for the problems file
    /// of `whereflow setup`; [`WifiConfig::validate`] returns the first).
    pub fn radio_problems(&self) -> Vec<ConfigError> {
        use crate::system::regdomain;
        let mut out = Vec::new();
        let country = self.country_code();
        if let Some(c) = &country {
            if !regdomain::is_known_country(c) {
                out.push(invalid(
                    "wifi.country",
                    "config-country-unknown",
                    [("code", format!("{:?}", self.country))],
                ));
                return out;
            }
        }
        let key = if self.channel.is_some() {
            "wifi.channel"
        } else {
            "wifi.band"
        };
        out.extend(regdomain::channel_problem(
            key,
            country.as_deref(),
            self.band,
            self.channel_or_default(),
        ));
        out
    }
}
