//! ARP/neighbour spoofing on the LAN: a device claiming an address that is not its own, to
//! get other devices' traffic sent to it (a "man in the middle").
//!
//! Two feeds of "this address is at this hardware address" sightings, read on a thread of
//! their own (`lan_watch`, which hands them over as [`LanEvent`]s; this detector only judges
//! them):
//!
//! - the kernel's neighbour table (ARP for IPv4, NDP for IPv6) over rtnetlink: a dump at
//!   start and every minute, and `RTNLGRP_NEIGH` events as entries change. The socket and the
//!   message decoding are the devices stage's (`devices::rtnetlink`, `devices::neighbours`).
//! - ARP packets the appliance receives (`AF_PACKET`, `ETH_P_ARP`; needs `CAP_NET_RAW`;
//!   `[detect.spoofing] arp`): the kernel never puts its own addresses in its neighbour table,
//!   so a device announcing the appliance's (the gateway's) address is only seen this way.
//!
//! Findings: `spoofing.gateway` when a hardware address that is not the appliance's claims
//! one of the appliance's own addresses (or `gateway_addresses`); `spoofing.ip_conflict` when
//! an address moves to another hardware address less than `conflict_window_secs` after the
//! previous one was last seen with it. The hardware addresses themselves never leave the
//! appliance: messages name devices by their IP address.

use std::net::IpAddr;

use super::rules::Preset;
use super::{lru, Lru};
use crate::detect::alerts::Finding;
use crate::devices::mac::MacAddr;
use crate::model::{AlertKind, AlertWords, DeviceId};

/// Settings (`[detect.spoofing]`).
#[derive(Clone, Debug, PartialEq)]
pub struct Settings {
    /// Watch at all.
    pub enabled: bool,
    /// Also read ARP packets (needed to see the gateway's address claimed).
    pub arp: bool,
    /// Addresses that count as the gateway besides the appliance's own.
    pub gateway_addresses: Vec<IpAddr>,
    /// An address seen at a new hardware address this soon after the old one is a conflict.
    pub conflict_window_secs: u64,
}

impl Settings {
    /// The preset's settings.
    pub fn for_preset(p: Preset) -> Self {
        Settings {
            enabled: true,
            arp: true,
            gateway_addresses: Vec::new(),
            conflict_window_secs: match p {
                Preset::Paranoid => 3_600,
                Preset::Normal => 600,
                Preset::Relaxed => 120,
            },
        }
    }
}

/// Where a sighting came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    /// The kernel's neighbour table.
    Neighbour,
    /// An ARP packet.
    Arp,
}

/// "`ip` is at `mac`", seen at `at_ms`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Sighting {
    /// The address claimed.
    pub ip: IpAddr,
    /// The hardware address claiming it.
    pub mac: MacAddr,
    /// Where it was seen.
    pub source: Source,
    /// When, in ms since the epoch.
    pub at_ms: i64,
}

/// The appliance's own addresses and hardware addresses.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct OwnAddresses {
    /// IP addresses of every interface.
    pub ips: Vec<IpAddr>,
    /// Hardware addresses of every interface.
    pub macs: Vec<MacAddr>,
}

/// What the LAN watch reports.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LanEvent {
    /// A sighting.
    Seen(Sighting),
    /// The appliance's addresses (at start and when they change).
    Own(OwnAddresses),
}

const MAX_ENTRIES: usize = 4_096;

/// The detector.
pub struct Spoofing {
    s: Settings,
    own: OwnAddresses,
    /// Address → (hardware address, last seen).
    by_ip: Lru<IpAddr, (MacAddr, i64)>,
    /// Hardware address → the (non-gateway) address it last had: names the claimer.
    by_mac: Lru<MacAddr, IpAddr>,
}

impl Spoofing {
    /// A detector with these settings.
    pub fn new(s: Settings) -> Self {
        Spoofing {
            s,
            own: OwnAddresses::default(),
            by_ip: lru(MAX_ENTRIES),
            by_mac: lru(MAX_ENTRIES),
        }
    }

    fn is_gateway(&self, ip: IpAddr) -> bool {
        self.own.ips.contains(&ip) || self.s.gateway_addresses.contains(&ip)
    }

    /// Take what the LAN watch reports.
    pub fn on_event(&mut self, e: LanEvent, out: &mut Vec<Finding>) {
        match e {
            LanEvent::Own(own) => self.own = own,
            LanEvent::Seen(s) => self.on_sighting(s, out),
        }
    }

    fn on_sighting(&mut self, s: Sighting, out: &mut Vec<Finding>) {
        if !s.mac.is_unicast() || self.own.macs.contains(&s.mac) {
            return;
        }
        if self.is_gateway(s.ip) {
            let claimer = self.by_mac.peek(&s.mac).copied();
            let who = match claimer {
                Some(ip) => format!("The device at {ip}"),
                None => "A device the appliance does not know yet".to_owned(),
            };
            let mut f = Finding::new(
                AlertKind::Spoofing,
                "spoofing.gateway",
                format!(
                    "{who} claims the address of the gateway, {}, on the local network. Devices \
                     that believe it send it their traffic instead of the appliance: someone may \
                     be trying to read or change other people's traffic (ARP spoofing).",
                    s.ip
                ),
            );
            f.words = Some(AlertWords::new(
                "spoofing-gateway",
                [
                    (
                        "known",
                        if claimer.is_some() { "yes" } else { "no" }.to_string(),
                    ),
                    ("who", claimer.map(|ip| ip.to_string()).unwrap_or_default()),
                    ("gateway", s.ip.to_string()),
                ],
            ));
            f.device = claimer.map(DeviceId);
            f.remote_ip = Some(s.ip);
            out.push(f);
            return;
        }
        let window_ms = (self.s.conflict_window_secs as i64).saturating_mul(1000);
        let previous = self.by_ip.put(s.ip, (s.mac, s.at_ms));
        let other = self.by_mac.peek(&s.mac).copied();
        let conflict =
            previous.filter(|&(old_mac, last)| old_mac != s.mac && s.at_ms - last <= window_ms);
        if conflict.is_none() {
            // Only an uncontested address names the card (a claimer keeps its own).
            self.by_mac.put(s.mac, s.ip);
        }
        if let Some((_, last)) = conflict {
            let also = match other {
                Some(ip) if ip != s.ip => format!(" (the device at {ip})"),
                _ => String::new(),
            };
            let ago = ((s.at_ms - last).max(0) + 999) / 1000;
            let mut f = Finding::new(
                AlertKind::Spoofing,
                "spoofing.ip_conflict",
                format!(
                    "Two devices claim the address {}: another network card{also} took it \
                         over {ago} seconds after the first was last seen with it. Either two \
                         devices were given the same address, or one is pretending to be the \
                         other to receive its traffic (ARP spoofing).",
                    s.ip
                ),
            );
            let also = other.filter(|&ip| ip != s.ip);
            f.words = Some(AlertWords::new(
                "spoofing-conflict",
                [
                    ("address", s.ip.to_string()),
                    (
                        "other",
                        if also.is_some() { "yes" } else { "no" }.to_string(),
                    ),
                    ("device", also.map(|ip| ip.to_string()).unwrap_or_default()),
                    ("seconds", ago.to_string()),
                ],
            ));
            f.device = Some(DeviceId(s.ip));
            if let Some(ip) = other.filter(|&ip| ip != s.ip) {
                f.remote_ip = Some(ip);
            }
            out.push(f);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mac(last: u8) -> MacAddr {
        MacAddr([0x02, 0x77, 0x66, 0, 0, last])
    }

    fn seen(ip: &str, m: u8, s: i64) -> LanEvent {
        LanEvent::Seen(Sighting {
            ip: ip.parse().unwrap(),
            mac: mac(m),
            source: Source::Arp,
            at_ms: 1_794_000_000_000 + s * 1000,
        })
    }

    fn own() -> LanEvent {
        LanEvent::Own(OwnAddresses {
            ips: vec![
                "192.0.2.1".parse().unwrap(),
                "198.51.100.1".parse().unwrap(),
            ],
            macs: vec![mac(1)],
        })
    }

    fn run(events: Vec<LanEvent>) -> Vec<Finding> {
        let mut d = Spoofing::new(Settings::for_preset(Preset::Normal));
        let mut out = Vec::new();
        for e in events {
            d.on_event(e, &mut out);
        }
        out
    }

    #[test]
    fn sightings_table() {
        let cases: Vec<(&str, Vec<LanEvent>, Vec<&str>)> = vec![
            (
                "devices and the gateway as they are",
                vec![
                    own(),
                    seen("192.0.2.10", 10, 0),
                    seen("192.0.2.11", 11, 1),
                    seen("192.0.2.1", 1, 2),
                    seen("192.0.2.10", 10, 30),
                    seen("192.0.2.11", 11, 3000),
                ],
                vec![],
            ),
            (
                "an address handed to a new device an hour later",
                vec![
                    own(),
                    seen("192.0.2.10", 10, 0),
                    seen("192.0.2.10", 12, 3600),
                ],
                vec![],
            ),
            (
                "a device claims the gateway",
                vec![own(), seen("192.0.2.11", 11, 0), seen("192.0.2.1", 11, 5)],
                vec!["spoofing.gateway"],
            ),
            (
                "a device claims another's address",
                vec![
                    own(),
                    seen("192.0.2.10", 10, 0),
                    seen("192.0.2.11", 11, 1),
                    seen("192.0.2.10", 11, 20),
                ],
                vec!["spoofing.ip_conflict"],
            ),
            (
                "broadcast and zero hardware addresses are not claims",
                vec![
                    own(),
                    LanEvent::Seen(Sighting {
                        ip: "192.0.2.1".parse().unwrap(),
                        mac: MacAddr([0xff; 6]),
                        source: Source::Neighbour,
                        at_ms: 0,
                    }),
                ],
                vec![],
            ),
        ];
        for (what, events, want) in cases {
            let got: Vec<String> = run(events).iter().map(|f| f.rule.to_string()).collect();
            assert_eq!(got, want, "{what}");
        }
        let f = &run(vec![
            own(),
            seen("192.0.2.11", 11, 0),
            seen("192.0.2.1", 11, 5),
        ])[0];
        assert_eq!(f.device, Some(DeviceId("192.0.2.11".parse().unwrap())));
        assert!(f.message.contains("192.0.2.1,"), "{}", f.message);
        assert!(
            !f.message.contains("02:77"),
            "no MAC in messages: {}",
            f.message
        );
        let f = &run(vec![
            own(),
            seen("192.0.2.10", 10, 0),
            seen("192.0.2.11", 11, 1),
            seen("192.0.2.10", 11, 20),
        ])[0];
        assert_eq!(f.device, Some(DeviceId("192.0.2.10".parse().unwrap())));
        assert_eq!(f.remote_ip, Some("192.0.2.11".parse().unwrap()));
    }
}
