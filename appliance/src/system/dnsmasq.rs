//! `dnsmasq.conf`: DHCP only, on the access point (whereflow itself answers DNS).
//!
//! Devices get an address in the access point's network, and the appliance as their router
//! and DNS server. The lease file is on the data partition, so a device keeps its address
//! across reboots, and the daemon reads it for device names (`[devices] dnsmasq_leases`).

use crate::system::network::{ap_network, AP_ADDRESS, DHCP_LEASE, DHCP_RANGE, LEASE_FILE};

/// Render `dnsmasq.conf`; `source` names the settings file in the header, `ap` is the access
/// point's interface, `uplink` the interface dnsmasq must never serve.
pub fn render(source: &str, ap: &str, uplink: &str) -> String {
    let net = ap_network();
    let (first, last) = DHCP_RANGE;
    let max = u32::from(last) - u32::from(first) + 1;
    format!(
        "# dnsmasq.conf: DHCP for whereflow's access point; DNS is whereflow's own (port=0).\n\
         # Rendered at boot by `whereflow setup` from {source}: edit that file, not this one.\n\
         port=0\n\
         interface={ap}\n\
         no-dhcp-interface={uplink}\n\
         dhcp-range={first},{last},{mask},{DHCP_LEASE}\n\
         dhcp-option=option:router,{AP_ADDRESS}\n\
         dhcp-option=option:dns-server,{AP_ADDRESS}\n\
         dhcp-option=option:domain-name,lan\n\
         dhcp-authoritative\n\
         dhcp-lease-max={max}\n\
         # No ping before an offer: dnsmasq waits 3 s for an echo reply per new address, deaf\n\
         # to DHCP meanwhile, and a class joining at once queues behind it. The network is\n\
         # the appliance's own, every address in it handed out here.\n\
         no-ping\n\
         dhcp-leasefile={LEASE_FILE}\n\
         # Binds each address to its device's MAC in the firewall (nftables.conf, chain bind).\n\
         dhcp-script=/usr/libexec/whereflow/lease-bind\n\
         user=nobody\n\
         pid-file=/run/dnsmasq.pid\n",
        mask = net.netmask(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dhcp_only_with_the_appliance_as_dns() {
        let t = render("/boot/whereflow-settings.toml", "wlan0", "eth0");
        assert!(t.contains("\nport=0\n"));
        assert!(t.contains("\ndhcp-range=10.42.0.10,10.42.0.250,255.255.255.0,12h\n"));
        assert!(t.contains("\ndhcp-option=option:dns-server,10.42.0.1\n"));
        assert!(t.contains("\ndhcp-lease-max=241\n"));
        assert!(t.contains("\nno-ping\n"));
        assert!(t.contains("\nno-dhcp-interface=eth0\n"));
        assert!(t.contains("\ndhcp-script=/usr/libexec/whereflow/lease-bind\n"));
    }
}
