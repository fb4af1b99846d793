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
