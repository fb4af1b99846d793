//! ARP/neighbour spoofing on the LAN: a device claiming an address that is not its own, to
//! get other devices' traffic sent to it (a "man in the middle").
//!
//! Two feeds of "this address is at this hardware address" sightings, read on a thread of
//! their own ([`spawn_watch`]):
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

use std::io;
use std::net::{IpAddr, Ipv4Addr};
use std::os::fd::AsRawFd;
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use tokio_util::sync::CancellationToken;

use super::rules::Preset;
use super::{lru, Lru};
use crate::detect::alerts::Finding;
use crate::devices::mac::MacAddr;
use crate::devices::neighbours::NeighMessage;
use crate::devices::rtnetlink::{NeighRead, NeighSocket};
use crate::model::{AlertKind, DeviceId};
use crate::status::Status;

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
            f.device = Some(DeviceId(s.ip));
            if let Some(ip) = other.filter(|&ip| ip != s.ip) {
                f.remote_ip = Some(ip);
            }
            out.push(f);
        }
    }
}

/// The appliance's own addresses, from `getifaddrs` (in the calling thread's namespace).
pub fn own_addresses() -> io::Result<OwnAddresses> {
    let mut out = OwnAddresses::default();
    let mut head: *mut libc::ifaddrs = std::ptr::null_mut();
    // SAFETY: getifaddrs fills `head` with a list we free below.
    if unsafe { libc::getifaddrs(&mut head) } != 0 {
        return Err(io::Error::last_os_error());
    }
    let mut cur = head;
    while !cur.is_null() {
        // SAFETY: `cur` is a node of the list getifaddrs returned, valid until freeifaddrs.
        let ifa = unsafe { &*cur };
        cur = ifa.ifa_next;
        if ifa.ifa_addr.is_null() {
            continue;
        }
        // SAFETY: `ifa_addr` points to a sockaddr whose family says its real type.
        let family = i32::from(unsafe { (*ifa.ifa_addr).sa_family });
        match family {
            libc::AF_INET => {
                // SAFETY: family AF_INET: a sockaddr_in.
                let sin = unsafe { &*(ifa.ifa_addr as *const libc::sockaddr_in) };
                out.ips.push(IpAddr::V4(Ipv4Addr::from(u32::from_be(
                    sin.sin_addr.s_addr,
                ))));
            }
            libc::AF_INET6 => {
                // SAFETY: family AF_INET6: a sockaddr_in6.
                let sin6 = unsafe { &*(ifa.ifa_addr as *const libc::sockaddr_in6) };
                out.ips.push(IpAddr::from(sin6.sin6_addr.s6_addr));
            }
            libc::AF_PACKET => {
                // SAFETY: family AF_PACKET: a sockaddr_ll.
                let sll = unsafe { &*(ifa.ifa_addr as *const libc::sockaddr_ll) };
                if sll.sll_halen == 6 {
                    if let Ok(mac) = MacAddr::from_bytes(&sll.sll_addr[..6]) {
                        if mac.is_unicast() && !out.macs.contains(&mac) {
                            out.macs.push(mac);
                        }
                    }
                }
            }
            _ => {}
        }
    }
    // SAFETY: `head` came from getifaddrs and is freed once.
    unsafe { libc::freeifaddrs(head) };
    out.ips.sort();
    out.ips.dedup();
    out.macs.sort();
    Ok(out)
}

/// The sender of an ARP packet (without the Ethernet header), if it is an Ethernet/IPv4
/// ARP packet with a sender address (not a probe from 0.0.0.0).
pub fn arp_sender(packet: &[u8]) -> Option<(Ipv4Addr, MacAddr)> {
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

/// A packet socket receiving every ARP packet on every interface.
struct ArpSocket {
    fd: std::os::fd::OwnedFd,
}

impl ArpSocket {
    fn open() -> io::Result<ArpSocket> {
        let proto = (libc::ETH_P_ARP as u16).to_be();
        // SAFETY: plain socket(2) call; the result is checked.
        let fd = unsafe {
            libc::socket(
                libc::AF_PACKET,
                libc::SOCK_DGRAM | libc::SOCK_NONBLOCK | libc::SOCK_CLOEXEC,
                i32::from(proto),
            )
        };
        if fd < 0 {
            return Err(io::Error::last_os_error());
        }
        // SAFETY: a fresh descriptor we own.
        let fd = unsafe { <std::os::fd::OwnedFd as std::os::fd::FromRawFd>::from_raw_fd(fd) };
        Ok(ArpSocket { fd })
    }

    /// Read what is queued (without waiting), calling `f` for each packet not sent by us.
    fn drain(&self, buf: &mut [u8], mut f: impl FnMut(&[u8])) {
        for _ in 0..256 {
            // SAFETY: sockaddr_ll is plain data; zeroes are a valid value.
            let mut from: libc::sockaddr_ll = unsafe { std::mem::zeroed() };
            let mut len = std::mem::size_of::<libc::sockaddr_ll>() as libc::socklen_t;
            // SAFETY: `buf` and `from` are valid for writes of their sizes for the call.
            let n = unsafe {
                libc::recvfrom(
                    self.fd.as_raw_fd(),
                    buf.as_mut_ptr().cast(),
                    buf.len(),
                    libc::MSG_DONTWAIT,
                    (&mut from as *mut libc::sockaddr_ll).cast(),
                    &mut len,
                )
            };
            if n <= 0 {
                return;
            }
            if from.sll_pkttype == libc::PACKET_OUTGOING {
                continue;
            }
            f(&buf[..n as usize]);
        }
    }
}

/// How often the appliance's own addresses are read again, and the neighbour table dumped.
const OWN_REFRESH: Duration = Duration::from_secs(10);
const NEIGHBOUR_DUMP: Duration = Duration::from_secs(60);

/// Open the neighbour socket (and, with `arp`, the ARP packet socket) in the calling thread's
/// network namespace, then read them on a thread of their own until `shutdown`, handing
/// what they show to `send` (which must not block; it returns `false` once nobody listens).
/// What cannot be opened is a warning in `status`; `None` when nothing could be.
pub fn spawn_watch(
    s: &Settings,
    send: impl Fn(LanEvent) -> bool + Send + 'static,
    status: Arc<Status>,
    shutdown: CancellationToken,
) -> Option<JoinHandle<()>> {
    let neigh = match NeighSocket::open() {
        Ok(n) => Some(n),
        Err(e) => {
            status.warn(format!(
                "detect: cannot read the neighbour table ({e}); address conflicts on the LAN \
                 are not detected"
            ));
            None
        }
    };
    let arp = if s.arp {
        match ArpSocket::open() {
            Ok(a) => Some(a),
            Err(e) => {
                status.warn(format!(
                    "detect: cannot read ARP packets ({e}; needs CAP_NET_RAW); a device claiming \
                     the gateway's address is not detected"
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
            status.warn(format!("detect: cannot start the LAN watch thread: {e}"));
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
            a.drain(&mut buf, |p| {
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
