//! `[devices]`: how devices are identified (DHCP leases, the neighbour table).

use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::{invalid, ConfigError};

/// `[devices]`: devices known by MAC address, named from DHCP, the MAC vendor and nicknames.
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct DevicesConfig {
    /// dnsmasq's lease file (host names from DHCP). Empty: do not read leases. A missing
    /// file is a warning in `/api/v1/status`, not an error.
    pub dnsmasq_leases: PathBuf,
    /// Read the kernel's neighbour table (ARP/NDP) for the MAC address behind each address.
    pub neighbours: bool,
    /// Only neighbours on these interfaces (e.g. `["wlan0"]`); empty: any interface (only
    /// addresses in `correlate.lan` are used either way).
    pub interfaces: Vec<String>,
    /// Most devices known by MAC address (name, vendor, up to four addresses each; least
    /// recently seen forgotten first). Nicknames stay saved; at most this many are read back
    /// at start. Not `correlate.max_devices`, which bounds the correlator's state per device
    /// address.
    pub max_devices: usize,
}

impl Default for DevicesConfig {
    fn default() -> Self {
        DevicesConfig {
            dnsmasq_leases: PathBuf::from("/var/lib/misc/dnsmasq.leases"),
            neighbours: true,
            interfaces: Vec::new(),
            max_devices: 1_024,
        }
    }
}

impl DevicesConfig {
    /// The lease file to read, if any.
    pub fn leases_path(&self) -> Option<&Path> {
        (!self.dnsmasq_leases.as_os_str().is_empty()).then_some(self.dnsmasq_leases.as_path())
    }

    /// Check the values; the error names the key.
    pub fn validate(&self) -> Result<(), ConfigError> {
        if let Some(p) = self.leases_path() {
            if !p.is_absolute() {
                return Err(invalid(
                    "devices.dnsmasq_leases",
                    "config-absolute-path",
                    [("path", p.display().to_string())],
                ));
            }
        }
        for name in &self.interfaces {
            // IFNAMSIZ is 16 with the terminating NUL.
            if name.is_empty() || name.len() > 15 || name.contains(['/', ' ', '\0']) {
                return Err(invalid(
                    "devices.interfaces",
                    "config-interface-name",
                    [("name", format!("{name:?}"))],
                ));
            }
        }
        if self.max_devices == 0 || self.max_devices > 100_000 {
            return Err(invalid(
                "devices.max_devices",
                "config-between",
                [("min", "1".into()), ("max", "100000".into())],
            ));
        }
        Ok(())
    }
}
