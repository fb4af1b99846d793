//! `[uplink]`: the appliance's connection to the internet: Ethernet, a phone's USB tethering,
//! or an existing WiFi network (the school's, a phone's hotspot) joined with wpa_supplicant.

use serde::Deserialize;

use super::{invalid, ConfigError};

/// `[uplink]`: how the appliance reaches the internet.
#[derive(Clone, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct UplinkConfig {
    /// The network interface towards the internet: `"eth0"` (Ethernet, the default), `"usb0"`
    /// (a phone's USB tethering) or a WiFi radio (`"wlan0"`, with `wifi_ssid`). It gets its
    /// address by DHCP; the access point's traffic is masqueraded out of it.
    pub interface: String,
    /// With a WiFi `interface`: the name of the network to join (1 to 32 bytes). Empty: the
    /// uplink is not WiFi.
    pub wifi_ssid: String,
    /// Its WPA2/WPA3-Personal passphrase (8 to 63 printable ASCII characters); never logged.
    pub wifi_passphrase: String,
    /// Where the daemon checks that the uplink reaches the internet without a login page: an
    /// `http://` URL that answers `204 No Content`. Any other answer (a redirect, a page) is a
    /// captive portal. Empty: no check.
    pub probe_url: String,
}

impl std::fmt::Debug for UplinkConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("UplinkConfig")
            .field("interface", &self.interface)
            .field("wifi_ssid", &self.wifi_ssid)
            .field(
                "wifi_passphrase",
                &if self.wifi_passphrase.is_empty() {
                    "<not set>"
                } else {
                    "<set>"
                },
            )
            .field("probe_url", &self.probe_url)
            .finish()
    }
}

/// The default captive portal probe (Android's: a plain `204` without a portal).
pub const DEFAULT_PROBE_URL: &str = "http://connectivitycheck.gstatic.com/generate_204";

impl Default for UplinkConfig {
    fn default() -> Self {
        UplinkConfig {
            interface: "eth0".into(),
            wifi_ssid: String::new(),
            wifi_passphrase: String::new(),
            probe_url: DEFAULT_PROBE_URL.into(),
        }
    }
}

/// The access point's interface when nothing else is known (the on-board radio).
pub const AP_INTERFACE: &str = "wlan0";

/// Whether `name` can be a network interface's name here: letters, digits, `_`, `-`, `.`,
/// at most 15 (IFNAMSIZ with its NUL), not starting with `-` or `.` (it also goes into shell
/// and nft files).
pub fn is_interface_name(name: &str) -> bool {
    let ok_chars = name
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'));
    !name.is_empty() && name.len() <= 15 && ok_chars && !name.starts_with(['-', '.'])
}

/// Whether `name` looks like a WiFi interface (`wlan0`, `wlx00c0ca...`, `wlp1s0`).
pub fn is_wifi_name(name: &str) -> bool {
    name.starts_with("wl")
}

impl UplinkConfig {
    /// The uplink joins a WiFi network.
    pub fn is_wifi(&self) -> bool {
        !self.wifi_ssid.is_empty() || is_wifi_name(&self.interface)
    }

    /// Check the values; the error names the key (never shows the passphrase).
    pub fn validate(&self) -> Result<(), ConfigError> {
        let i = &self.interface;
        if !is_interface_name(i) {
            return Err(invalid(
                "uplink.interface",
                "config-uplink-interface",
                [("interface", format!("{i:?}"))],
            ));
        }
        if i == "lo" {
            return Err(invalid("uplink.interface", "config-uplink-lo", []));
        }
        if is_wifi_name(i) && self.wifi_ssid.is_empty() {
            return Err(invalid(
                "uplink.interface",
                "config-uplink-wifi-radio",
                [("interface", format!("{i:?}"))],
            ));
        }
        if !self.wifi_ssid.is_empty() {
            if !is_wifi_name(i) {
                return Err(invalid(
                    "uplink.wifi_ssid",
                    "config-uplink-ssid-not-radio",
                    [("interface", format!("{i:?}"))],
                ));
            }
            if self.wifi_ssid.len() > 32 {
                return Err(invalid(
                    "uplink.wifi_ssid",
                    "config-at-most-bytes",
                    [("max", "32".into())],
                ));
            }
            if self.wifi_ssid.chars().any(char::is_control) {
                return Err(invalid("uplink.wifi_ssid", "config-control-chars", []));
            }
            let n = self.wifi_passphrase.chars().count();
            if !(8..=63).contains(&n) {
                return Err(invalid(
                    "uplink.wifi_passphrase",
                    "config-uplink-passphrase-length",
                    [("n", n.to_string())],
                ));
            }
            if !self
                .wifi_passphrase
                .chars()
                .all(|c| (' '..='~').contains(&c))
            {
                return Err(invalid(
                    "uplink.wifi_passphrase",
                    "config-printable-ascii",
                    [],
                ));
            }
        } else if !self.wifi_passphrase.is_empty() {
            return Err(invalid(
                "uplink.wifi_passphrase",
                "config-uplink-passphrase-alone",
                [],
            ));
        }
        if !self.probe_url.is_empty()
            && crate::system::captive::ProbeUrl::parse(&self.probe_url).is_none()
        {
            return Err(invalid(
                "uplink.probe_url",
                "config-probe-url",
                [
                    ("url", format!("{:?}", self.probe_url)),
                    ("example", format!("{DEFAULT_PROBE_URL:?}")),
                ],
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(toml: &str) -> Result<(), String> {
        let u: UplinkConfig = toml::from_str(toml).map_err(|e| e.to_string())?;
        u.validate().map_err(|e| e.to_string())
    }

    #[test]
    fn wifi_uplink_keys_are_checked_naming_the_key() {
        assert_eq!(check(""), Ok(()));
        assert_eq!(check("interface = \"usb0\""), Ok(()));
        let ok = "interface = \"wlan0\"\nwifi_ssid = \"School\"\nwifi_passphrase = \"12345678\"";
        assert_eq!(check(ok), Ok(()));
        let e = check("interface = \"wlan0\"").unwrap_err();
        assert!(
            e.contains("uplink.interface") && e.contains("wifi_ssid"),
            "{e}"
        );
        let e = check("interface = \"wlan0\"\nwifi_ssid = \"School\"\nwifi_passphrase = \"1234\"")
            .unwrap_err();
        assert!(
            e.contains("uplink.wifi_passphrase") && e.contains("it has 4"),
            "{e}"
        );
        assert!(!e.contains("1234\""), "{e}");
        let e = check(&format!(
            "interface = \"wlan0\"\nwifi_ssid = \"{}\"\nwifi_passphrase = \"12345678\"",
            "x".repeat(33)
        ))
        .unwrap_err();
        assert!(
            e.contains("uplink.wifi_ssid") && e.contains("32 bytes"),
            "{e}"
        );
        let e =
            check("interface = \"eth0\"\nwifi_ssid = \"School\"\nwifi_passphrase = \"12345678\"")
                .unwrap_err();
        assert!(
            e.contains("uplink.wifi_ssid") && e.contains("not a WiFi radio"),
            "{e}"
        );
        let e = check("wifi_passphrase = \"12345678\"").unwrap_err();
        assert!(e.contains("uplink.wifi_passphrase"), "{e}");
        let e = check("interface = \"wlan0;rm\"").unwrap_err();
        assert!(e.contains("not an interface name"), "{e}");
        let e = check("probe_url = \"https://x/generate_204\"").unwrap_err();
        assert!(e.contains("uplink.probe_url"), "{e}");
        assert_eq!(check("probe_url = \"\""), Ok(()));
        assert_eq!(check("probe_url = \"http://10.0.0.1:8080/check\""), Ok(()));
    }

    #[test]
    fn the_passphrase_is_not_in_debug_output() {
        let u = UplinkConfig {
            wifi_passphrase: "secret-pass".into(),
            ..UplinkConfig::default()
        };
        assert!(!format!("{u:?}").contains("secret-pass"));
    }
}
