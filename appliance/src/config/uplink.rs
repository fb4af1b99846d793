//! `[uplink]`: the appliance's connection to the internet.

use serde::Deserialize;

use super::{invalid, ConfigError};

/// `[uplink]`: how the appliance reaches the internet.
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct UplinkConfig {
    /// The network interface towards the internet: `"eth0"` (Ethernet, the default) or
    /// `"usb0"` (a phone's USB tethering). It gets its address by DHCP; the access point's
    /// traffic is masqueraded out of it.
    pub interface: String,
}

impl Default for UplinkConfig {
    fn default() -> Self {
        UplinkConfig {
            interface: "eth0".into(),
        }
    }
}

/// The access point's interface, which cannot also be the uplink.
pub const AP_INTERFACE: &str = "wlan0";

impl UplinkConfig {
    /// Check the values; the error names the key.
    pub fn validate(&self) -> Result<(), ConfigError> {
        let i = &self.interface;
        // IFNAMSIZ is 16 with the terminating NUL; the name also goes into shell and nft files.
        let ok_chars = i
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'));
        if i.is_empty() || i.len() > 15 || !ok_chars || i.starts_with(['-', '.']) {
            return Err(invalid(
                "uplink.interface",
                format!(
                    "{i:?} is not an interface name (letters, digits, '_', '-', '.'; at most \
                     15): use \"eth0\" for Ethernet or \"usb0\" for a phone's USB tethering"
                ),
            ));
        }
        if i == AP_INTERFACE || i == "lo" {
            return Err(invalid(
                "uplink.interface",
                format!(
                    "{i:?} cannot be the uplink (wlan0 is the access point): use \"eth0\" or \
                     \"usb0\""
                ),
            ));
        }
        Ok(())
    }
}
