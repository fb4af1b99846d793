//! `nftables.conf`: the firewall and NAT.
//!
//! - Devices on the access point reach the internet through the uplink, masqueraded (the
//!   conntrack reader labels flows with the original, pre-NAT tuple).
//! - From the devices, the appliance accepts DHCP, DNS, the web pages and ICMP.
//! - From the uplink nothing comes in: only answers to the appliance's own connections
//!   (including DHCP for its own address) and IPv6 neighbour discovery; and, when
//!   `metrics.listen` is set, its port (a listener that serves `/metrics` alone, behind a
//!   bearer token) for the school's or district's Prometheus.
//! - Devices cannot reach the uplink's own network except through NAT like any other
//!   destination, and nothing is forwarded towards the devices unless they started it.
//! - A device may send only from the address its DHCP lease gives its MAC: the set `leases`
//!   (MAC . address) is kept in step with the leases by dnsmasq's lease script
//!   (`/usr/libexec/whereflow/lease-bind`), and anything else from the access point is
//!   dropped before conntrack, the DNS forwarder or the web server see it. So one student
//!   cannot get queries recorded (or answers sent) under a classmate's address. Only DHCP
//!   from a device without an address (0.0.0.0) passes unbound.

use crate::system::network::ap_network;

/// The NFLOG group the scan detector reads (`detect.nflog_group`).
pub const NFLOG_GROUP: u16 = 7;

/// Render the ruleset (a file for `nft -f`); `source` names the settings file in the header.
/// Only the table `inet whereflow` is replaced: the daemon's own tables (blocks) stay.
/// `ap`: the access point's interface; `metrics_port`: the port of `metrics.listen`, opened
/// on the uplink.
pub fn render(source: &str, ap: &str, uplink: &str, metrics_port: Option<u16>) -> String {
    let net = ap_network();
    let metrics = match metrics_port {
        Some(p) => format!(
            "\t\t# A Prometheus on the uplink's network: metrics.listen serves /metrics alone.\n\
             \t\tiifname \"{uplink}\" tcp dport {p} accept\n"
        ),
        None => String::new(),
    };
    format!(
        "#!/usr/sbin/nft -f\n\
         # whereflow's firewall and NAT. Rendered at boot by `whereflow setup` from\n\
         # {source}: edit that file, not this one.\n\
         table inet whereflow\n\
         delete table inet whereflow\n\
         \n\
         table inet whereflow {{\n\
         \t# Which device (MAC) holds which address: filled by dnsmasq's lease script.\n\
         \tset leases {{\n\
         \t\ttype ether_addr . ipv4_addr\n\
         \t\tsize 4096\n\
         \t}}\n\
         \n\
         \tchain bind {{\n\
         \t\ttype filter hook prerouting priority -250; policy accept;\n\
         \t\tiifname \"{ap}\" ip saddr 0.0.0.0 udp sport 68 udp dport 67 accept\n\
         \t\tiifname \"{ap}\" meta nfproto ipv4 ether saddr . ip saddr != @leases counter drop\n\
         \t}}\n\
         \n\
         \tchain input {{\n\
         \t\ttype filter hook input priority filter; policy drop;\n\
         \t\tct state invalid drop\n\
         \t\tct state established,related accept\n\
         \t\tiif \"lo\" accept\n\
         \t\t# Devices: DHCP, DNS, the web pages (HTTP, and HTTPS with web.https_listen), ping.\n\
         \t\tiifname \"{ap}\" udp dport {{ 53, 67 }} accept\n\
         \t\tiifname \"{ap}\" tcp dport {{ 53, 80, 443 }} accept\n\
         \t\tiifname \"{ap}\" icmp type echo-request accept\n\
         \t\t# The uplink: DHCP answers for our own address, IPv6 neighbour discovery.\n\
         \t\tiifname \"{uplink}\" udp sport 67 udp dport 68 accept\n\
         \t\ticmpv6 type {{ nd-router-advert, nd-neighbor-solicit, nd-neighbor-advert }} ip6 hoplimit 255 accept\n\
         {metrics}\
         \t}}\n\
         \n\
         \tchain forward {{\n\
         \t\ttype filter hook forward priority filter; policy drop;\n\
         \t\tct state invalid drop\n\
         \t\tct state established,related accept\n\
         \t\tiifname \"{ap}\" oifname \"{uplink}\" ip saddr {net} accept\n\
         \t}}\n\
         \n\
         \tchain postrouting {{\n\
         \t\ttype nat hook postrouting priority srcnat; policy accept;\n\
         \t\toifname \"{uplink}\" ip saddr {net} masquerade\n\
         \t}}\n\
         }}\n"
    )
}

/// Render the scan detector's ruleset (a second file for `nft -f`, loaded apart so that a
/// kernel without NFLOG costs the detector, not the firewall): FIN, Xmas and Null probes belong
/// to no connection, so conntrack calls them invalid; they are logged to [`NFLOG_GROUP`]
/// before the firewall drops them.
pub fn render_detect(source: &str) -> String {
    format!(
        "#!/usr/sbin/nft -f\n\
         # whereflow's scan detector feed (detect.nflog_group = {NFLOG_GROUP}). Rendered at boot by\n\
         # `whereflow setup` from {source}.\n\
         table inet whereflow_detect\n\
         delete table inet whereflow_detect\n\
         \n\
         table inet whereflow_detect {{\n\
         \tchain invalid {{\n\
         \t\ttype filter hook prerouting priority -150; policy accept;\n\
         \t\tct state invalid log group {NFLOG_GROUP}\n\
         \t}}\n\
         }}\n"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masquerade_out_of_the_uplink_only() {
        let t = render("/boot/whereflow-settings.toml", "wlan0", "usb0", None);
        assert!(
            t.contains("oifname \"usb0\" ip saddr 10.42.0.0/24 masquerade"),
            "{t}"
        );
        assert!(t.contains("iifname \"wlan0\" oifname \"usb0\" ip saddr 10.42.0.0/24 accept"));
        assert_eq!(t.matches("policy drop").count(), 2);
    }

    #[test]
    fn the_metrics_port_opens_on_the_uplink_only_when_set() {
        let t = render("/boot/whereflow-settings.toml", "wlan0", "eth0", None);
        assert!(!t.contains("iifname \"eth0\" tcp dport"), "{t}");
        let t = render("/boot/whereflow-settings.toml", "wlan0", "eth0", Some(9100));
        assert!(t.contains("iifname \"eth0\" tcp dport 9100 accept"), "{t}");
        // Still inside the input chain, before its end.
        let input = &t[t.find("chain input").unwrap()..t.find("chain forward").unwrap()];
        assert!(input.contains("dport 9100"), "{input}");
    }

    #[test]
    fn addresses_are_bound_to_their_lease() {
        let t = render("/boot/whereflow-settings.toml", "wlan0", "usb0", None);
        assert!(t.contains("type ether_addr . ipv4_addr"), "{t}");
        assert!(
            t.contains("iifname \"wlan0\" meta nfproto ipv4 ether saddr . ip saddr != @leases counter drop"),
            "{t}"
        );
        // Before conntrack (-200): a forged packet makes no flow either.
        assert!(t.contains("hook prerouting priority -250"), "{t}");
    }
}
