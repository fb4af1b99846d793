//! The access point's network and the appliance's file locations: fixed, not settings.
//!
//! Devices join `wlan0` and get an address in 10.42.0.0/24 by DHCP; the appliance is
//! 10.42.0.1 on that network (DNS, web, gateway) and masquerades their traffic out of the
//! uplink. 10.42.0.0/24 is private and rarely used by home routers or phone tethering
//! (192.168.x.0/24, 172.20.10.0/28), so it does not clash with the uplink's network.

use std::net::Ipv4Addr;

use ipnet::Ipv4Net;

/// The access point's interface.
pub const AP_INTERFACE: &str = crate::config::AP_INTERFACE;

/// The appliance's address on the access point's network.
pub const AP_ADDRESS: Ipv4Addr = Ipv4Addr::new(10, 42, 0, 1);

/// The access point's network prefix length.
pub const AP_PREFIX: u8 = 24;

/// First and last address DHCP hands out (room for 241 devices).
pub const DHCP_RANGE: (Ipv4Addr, Ipv4Addr) =
    (Ipv4Addr::new(10, 42, 0, 10), Ipv4Addr::new(10, 42, 0, 250));

/// How long a DHCP lease lasts.
pub const DHCP_LEASE: &str = "12h";

/// The access point's network.
pub fn ap_network() -> Ipv4Net {
    // The constant address and prefix are a valid network.
    Ipv4Net::new(AP_ADDRESS, AP_PREFIX)
        .map(|n| n.trunc())
        .unwrap_or_default()
}

/// The daemon's data directory (history database, device names), on the data partition.
pub const DATA_DIR: &str = "/data/whereflow";

/// dnsmasq's lease file, on the data partition so that devices keep their address (and so
/// their history) across reboots. The daemon reads it for device names.
pub const LEASE_FILE: &str = "/data/dnsmasq.leases";

/// Where the DNS forwarder listens: the appliance's address, port 53.
pub fn dns_listen() -> std::net::SocketAddr {
    std::net::SocketAddr::from((AP_ADDRESS, 53))
}

/// Where the web pages listen: every address, port 80 (the firewall admits only wlan0).
pub fn web_listen() -> std::net::SocketAddr {
    std::net::SocketAddr::from((Ipv4Addr::UNSPECIFIED, 80))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_network_holds_the_appliance_and_the_dhcp_range() {
        let net = ap_network();
        assert_eq!(net.to_string(), "10.42.0.0/24");
        assert!(net.contains(&AP_ADDRESS));
        assert!(net.contains(&DHCP_RANGE.0) && net.contains(&DHCP_RANGE.1));
        assert!(DHCP_RANGE.0 > AP_ADDRESS);
    }
}
