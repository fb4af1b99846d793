//! The LAN watch: the spoofing detector's feed of "this address is at this hardware
//! address" sightings and of the appliance's own addresses, read on a thread of its own and
//! handed over as [`LanEvent`]s (the detector, `spoofing`, stays pure).
//!
//! Sources: the kernel's neighbour table over rtnetlink (`devices::rtnetlink`: a dump at
//! start and every minute, `RTNLGRP_NEIGH` events), ARP packets (`sys::arp`, with `arp` set)
//! and the interfaces' own addresses (`sys::ifaddr`, read every 10 s).

use std::io;
use std::net::{IpAddr, Ipv4Addr};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use tokio_util::sync::CancellationToken;

use super::spoofing::{LanEvent, OwnAddresses, Settings, Sighting, Source};
use crate::devices::mac::MacAddr;
use crate::devices::neighbours::NeighMessage;
use crate::devices::rtnetlink::{NeighRead, NeighSocket};
use crate::status::Status;
use crate::sys::arp::ArpSocket;
use crate::sys::ifaddr::{self, IfAddr};

/// Most ARP packets read per round of the loop (the rest wait for the next round).
const ARP_PER_ROUND: usize = 256;

/// The appliance's own addresses (in the calling thread's namespace): every interface's IP
/// addresses and unicast hardware addresses, sorted, without repeats.
pub(crate) fn own_addresses() -> io::Result<OwnAddresses> {
    let mut out = OwnAddresses::default();
    for a in ifaddr::interface_addresses()? {
        match a {
            IfAddr::Ip(ip) => out.ips.push(ip),
            IfAddr::Link(bytes) => {
                if let Ok(mac) = MacAddr::from_bytes(&bytes) {
                    if mac.is_unicast() && !out.macs.contains(&mac) {
                        out.macs.push(mac);
                    }
                }
            }
        }
    }
    out.ips.sort();
    out.ips.dedup();
    out.macs.sort();
    Ok(out)
}

/// The sender of an ARP packet (without the Ethernet header), if it is an Ethernet/IPv4
/// ARP packet with a sender address (not a probe from 0.0.0.0).
pub(crate) fn arp_sender(packet: &[u8]) -> Option<(Ipv4Addr, MacAddr)> {
    if packet.len() < 28 {
        return None;
    }
    let htype = u16::from_be_bytes([packet[0], packet[1]]);
    let ptype = u16::from_be_bytes([packet[2], packet[3]]);
    if htype != 1 || ptype != 0x0800 || packet[4] != 6 || packet[5] != 4 {
        return None;
    }
    let mac = MacAddr::from_bytes(&packet[8..14]).ok()?;
    let ip = Ipv4Addr::new(packet[14], packet[15], packet[16], packet[17]);
    (!ip.is_unspecified()).then_some((ip, mac))
}

/// How often the appliance's own addresses are read again, and the neighbour table dumped.
const OWN_REFRESH: Duration = Duration::from_secs(10);
const NEIGHBOUR_DUMP: Duration = Duration::from_secs(60);

/// Open the neighbour socket (and, with `arp`, the ARP packet socket) in the calling thread's
/// network namespace, then read them on a thread of their own until `shutdown`, handing
/// what they show to `send` (which must not block; it returns `false` once nobody listens).
/// What cannot be opened is a warning in `status`; `None` when nothing could be.
pub(crate) fn spawn_watch(
    s: &Settings,
    send: impl Fn(LanEvent) -> bool + Send + 'static,
    status: Arc<Status>,
    shutdown: CancellationToken,
) -> Option<JoinHandle<()>> {
    let neigh = match NeighSocket::open() {
        Ok(n) => Some(n),
        Err(e) => {
            status.warn(crate::status::StatusWords::new(
                "detect-neighbours-unreadable",
                [("error", e.to_string())],
            ));
            None
        }
    };
    let arp = if s.arp {
        match ArpSocket::open() {
            Ok(a) => Some(a),
            Err(e) => {
                status.warn(crate::status::StatusWords::new(
                    "detect-arp-unreadable",
                    [("error", e.to_string())],
                ));
                None
            }
        }
    } else {
        None
    };
    if neigh.is_none() && arp.is_none() {
        return None;
    }
    let run = move || watch(neigh, arp, send, shutdown);
    match std::thread::Builder::new()
        .name("detect-lan".into())
        .spawn(run)
    {
        Ok(h) => Some(h),
        Err(e) => {
            status.warn(crate::status::StatusWords::new(
                "detect-lan-thread",
                [("error", e.to_string())],
            ));
            None
        }
    }
}

fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

fn watch(
    mut neigh: Option<NeighSocket>,
    arp: Option<ArpSocket>,
    send: impl Fn(LanEvent) -> bool,
    shutdown: CancellationToken,
) {
    let mut own = OwnAddresses::default();
    let mut next_own = Instant::now();
    let mut next_dump = Instant::now();
    let mut buf = vec![0u8; 2048];
    while !shutdown.is_cancelled() {
        if Instant::now() >= next_own {
            next_own = Instant::now() + OWN_REFRESH;
            if let Ok(now) = own_addresses() {
                if now != own {
                    own = now;
                    if !send(LanEvent::Own(own.clone())) {
                        return;
                    }
                }
            }
        }
        let mut alive = true;
        match neigh.as_mut() {
            Some(n) => {
                if Instant::now() >= next_dump {
                    next_dump = Instant::now() + NEIGHBOUR_DUMP;
                    let _ = n.request_dump();
                }
                match n.read(Duration::from_millis(100)) {
                    Ok(NeighRead::Messages(msgs)) => {
                        for m in msgs {
                            if let NeighMessage::Entry(e) = m {
                                alive &= send(LanEvent::Seen(Sighting {
                                    ip: e.ip,
                                    mac: e.mac,
                                    source: Source::Neighbour,
                                    at_ms: now_ms(),
                                }));
                            }
                        }
                    }
                    Ok(NeighRead::Overflow) => next_dump = Instant::now(),
                    Ok(NeighRead::Empty) => {}
                    Err(e) => {
                        tracing::debug!("detect: neighbour socket: {e}");
                        std::thread::sleep(Duration::from_millis(100));
                    }
                }
            }
            None => std::thread::sleep(Duration::from_millis(100)),
        }
        if let Some(a) = &arp {
            a.drain(&mut buf, ARP_PER_ROUND, |p| {
                if let Some((ip, mac)) = arp_sender(p) {
                    alive &= send(LanEvent::Seen(Sighting {
                        ip: IpAddr::V4(ip),
                        mac,
                        source: Source::Arp,
                        at_ms: now_ms(),
                    }));
                }
            });
        }
        if !alive {
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mac(last: u8) -> MacAddr {
        MacAddr([0x02, 0x77, 0x66, 0, 0, last])
    }

    #[test]
    fn arp_packets() {
        let mut p = vec![0u8, 1, 8, 0, 6, 4, 0, 2];
        p.extend_from_slice(&mac(11).0);
        p.extend_from_slice(&[192, 0, 2, 1]);
        p.extend_from_slice(&[0xff; 6]);
        p.extend_from_slice(&[192, 0, 2, 1]);
        assert_eq!(arp_sender(&p), Some((Ipv4Addr::new(192, 0, 2, 1), mac(11))));
        assert_eq!(arp_sender(&p[..27]), None);
        let mut probe = p.clone();
        probe[14..18].copy_from_slice(&[0, 0, 0, 0]);
        assert_eq!(arp_sender(&probe), None, "ARP probes claim nothing");
        let mut ipv6ish = p.clone();
        ipv6ish[2] = 0x86;
        assert_eq!(arp_sender(&ipv6ish), None);
    }

    #[test]
    fn own_addresses_include_loopback() {
        let own = own_addresses().unwrap();
        assert!(
            own.ips.contains(&IpAddr::V4(Ipv4Addr::LOCALHOST)),
            "{own:?}"
        );
    }
}
