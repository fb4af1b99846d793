//! Who a flow or an answer belongs to.

use std::fmt;
use std::net::IpAddr;

use serde::{Serialize, Serializer};

/// A device on the LAN, by IP address. Who is behind an address (MAC-based identity from DHCP
/// leases and the neighbour table, names, nickname) is `devices::DeviceRegistry`'s to say.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DeviceId(pub IpAddr);

impl DeviceId {
    /// The device's address.
    pub fn ip(self) -> IpAddr {
        self.0
    }
}

impl fmt::Display for DeviceId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl Serialize for DeviceId {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(&self.0)
    }
}

/// An opaque key for a device's hardware address: the same MAC gives the same key for the
/// life of the process, and the key cannot be turned back into the MAC (a keyed hash with a
/// key drawn at start), so it may be shown by the API. Made by `devices` (which owns MACs).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct HardwareKey(pub u64);

/// Who a device is across its addresses: one phone with an IPv4 address, a link-local and a
/// few (temporary) IPv6 addresses is one identity. Keyed by its MAC address when the devices
/// registry knows the MAC behind the address (DHCP lease, neighbour table); until then (no
/// neighbour entry yet, a routed network) the address itself is the identity.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum DeviceIdentity {
    /// Known by its hardware address.
    Hardware(HardwareKey),
    /// Only its address is known.
    Address(IpAddr),
}

impl DeviceIdentity {
    /// Whether the device is known by its hardware address.
    pub fn is_hardware(self) -> bool {
        matches!(self, DeviceIdentity::Hardware(_))
    }
}

impl fmt::Display for DeviceIdentity {
    /// `hw-<16 hex digits>` or `ip-<address>`: stable, opaque, safe in URLs and JSON.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DeviceIdentity::Hardware(k) => write!(f, "hw-{:016x}", k.0),
            DeviceIdentity::Address(ip) => write!(f, "ip-{ip}"),
        }
    }
}

impl Serialize for DeviceIdentity {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identity_prints_opaque_and_distinct() {
        let hw = DeviceIdentity::Hardware(HardwareKey(0xab));
        let ip = DeviceIdentity::Address("2001:db8::1".parse().unwrap());
        assert_eq!(hw.to_string(), "hw-00000000000000ab");
        assert_eq!(ip.to_string(), "ip-2001:db8::1");
        assert!(hw.is_hardware() && !ip.is_hardware());
        assert_eq!(serde_json::to_value(hw).unwrap(), "hw-00000000000000ab");
    }
}
