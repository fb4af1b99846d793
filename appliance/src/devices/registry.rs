//! Who is behind an address: the bounded registry of devices, known by MAC address.
//!
//! Two maps, both bounded and least-recently-seen first out:
//!
//! ```text
//!   IP address ──(binding: MAC, since)──> MAC address ──> Device { hostname, vendor,
//!                                                                   nickname, seen times }
//! ```
//!
//! Bindings come from dnsmasq's leases and the kernel's neighbour table ([`Sighting`]s).
//! When the two disagree about an address, the mapping that began most recently wins: each
//! sighting says since when its source has held that mapping, and an older one never
//! replaces a newer one. So the refresher can re-apply everything it knows every few
//! seconds without a stale lease undoing what the neighbour table just learnt, and a
//! forgotten device that is still connected comes back by itself.
//!
//! What the web shows is a [`DeviceInfo`]: names, vendor, whether the address was randomised —
//! never the MAC address, which is a stable identifier of a person's phone.
//!
//! The group views name a device by [`DeviceInfo::group_name`]: its nickname, else its
//! session pseudonym ([`super::pseudonym`], "Blue Otter"), never its host name unless
//! `web.group_names = "hostname"`. [`DeviceRegistry::new_session`] deals new pseudonyms and
//! (unless kept) clears the nicknames.
//!
//! Nicknames are set by the person on their device's page ([`DeviceRegistry::set_nickname`],
//! checked by [`super::nickname`]).
//! They are kept by MAC, so they follow the device when its IP address changes, and saved to
//! the store (through the writer queue, never blocking). When the address has no known MAC yet
//! (no lease, not in the neighbour table: e.g. a device on another subnet, or the very first
//! second after joining), the nickname is kept for the address instead, in memory only, and
//! moves to the device — and then to the store — as soon as a MAC is learnt for that address;
//! [`NicknameSaved`] tells the caller which happened.

use std::collections::HashMap;
use std::net::IpAddr;
use std::num::NonZeroUsize;
use std::sync::atomic::{AtomicU64, Ordering};

use chrono::{DateTime, Utc};
use lru::LruCache;
use parking_lot::{Mutex, RwLock};
use serde::Serialize;

use super::mac::MacAddr;
use super::name::DeviceName;
pub use super::nickname::{validate_nickname, NicknameError};
use super::oui::{self, Vendor};
use super::pseudonym::{Pseudonym, Pseudonyms, StableKey};
use crate::config::GroupNames;
use crate::model::{DeviceIdentity, HardwareKey};
use crate::store::{StoreOp, StoreWriter};

/// Address bindings kept per device slot: a device usually has an IPv4 address, a link-local
/// and one or two global IPv6 addresses.
const BINDINGS_PER_DEVICE: usize = 4;

/// Where [`DeviceRegistry::set_nickname`] put the nickname.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum NicknameSaved {
    /// On the device (known by MAC): it follows the device and survives restarts.
    Device,
    /// The address has no known MAC yet: kept for the address, in memory only, until the
    /// device is identified (then it moves to the device and is saved).
    AddressOnly,
}

/// One device, known by its MAC address.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Device {
    /// Its hardware address (never shown by the API).
    pub mac: MacAddr,
    /// The host name it sent to the DHCP server.
    pub hostname: Option<String>,
    /// Its maker, from the MAC prefix (`None` when unknown or randomised).
    pub vendor: Option<&'static str>,
    /// The MAC address is locally administered (randomised, "private WiFi address").
    pub randomised: bool,
    /// The name its owner gave it.
    pub nickname: Option<String>,
    /// First sign of it.
    pub first_seen: DateTime<Utc>,
    /// Last sign of it.
    pub last_seen: DateTime<Utc>,
}

impl Device {
    /// A device seen for the first time.
    pub fn new(mac: MacAddr, at: DateTime<Utc>) -> Device {
        let v = oui::vendor(mac);
        Device {
            mac,
            hostname: None,
            vendor: v.name(),
            randomised: v == Vendor::Randomised,
            nickname: None,
            first_seen: at,
            last_seen: at,
        }
    }

    /// The name to show: the nickname, else the DHCP host name, else "<vendor> device", else
    /// "Device <address tail>" (`Device .10`, `Device :1a2b`) — never the MAC address.
    pub fn display_name(&self, ip: Option<IpAddr>) -> DeviceName {
        display_name(
            self.nickname.as_deref(),
            self.hostname.as_deref(),
            self.vendor,
            ip,
        )
    }

    fn vendor_label(&self) -> Option<&'static str> {
        if self.randomised {
            Vendor::Randomised.label()
        } else {
            self.vendor
        }
    }
}

/// The naming rule shared by identified and unidentified devices.
fn display_name(
    nickname: Option<&str>,
    hostname: Option<&str>,
    vendor: Option<&'static str>,
    ip: Option<IpAddr>,
) -> DeviceName {
    if let Some(n) = nickname.or(hostname) {
        return DeviceName::Given(n.to_owned());
    }
    if let Some(v) = vendor {
        return DeviceName::Vendor(v);
    }
    match ip {
        Some(ip) => DeviceName::Address(address_tail(ip)),
        None => DeviceName::Plain,
    }
}

/// The part of an address that tells LAN devices apart: the last IPv4 octet (`.10`), or the
/// last IPv6 group in hex (`:1a2b`).
pub fn address_tail(ip: IpAddr) -> String {
    match ip {
        IpAddr::V4(v4) => format!(".{}", v4.octets()[3]),
        IpAddr::V6(v6) => format!(":{:x}", v6.segments()[7]),
    }
}

/// What the web may know about the device behind an address. No MAC address.
///
/// `name` (with the host name, vendor and address tail) is for the device itself and the
/// admin; the group views use [`DeviceInfo::group_name`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DeviceInfo {
    /// The name to show the device itself and the admin (see [`Device::display_name`]):
    /// serialised in English, said in a reader's language with [`DeviceName::say`].
    pub name: DeviceName,
    /// Its pseudonym for the session ("Blue Otter", see [`super::pseudonym`]).
    pub pseudonym: Pseudonym,
    /// The pseudonym's emoji ("🦦"), shown next to any of its names in the group views.
    pub emoji: &'static str,
    /// The DHCP host name.
    pub hostname: Option<String>,
    /// The maker, `"randomised"` for a randomised MAC address, or `None` when unknown.
    pub vendor: Option<&'static str>,
    /// The device uses a randomised ("private") MAC address.
    pub randomised_mac: bool,
    /// The name its owner gave it.
    pub nickname: Option<String>,
    /// The device is known by its MAC address (from DHCP or the neighbour table); `false`
    /// when only a nickname for the address is known.
    pub identified: bool,
    /// First sign of the device (of the address, when not identified).
    pub first_seen: Option<DateTime<Utc>>,
    /// Last sign of the device.
    pub last_seen: Option<DateTime<Utc>>,
}

impl DeviceInfo {
    /// The name the group views (sankey, map, presenter, device lists) show: the nickname,
    /// else the pseudonym — or with `web.group_names = "hostname"`, the nickname, else the
    /// DHCP host name, else the pseudonym. Never a MAC address or an IP address.
    pub fn group_name(&self, names: GroupNames) -> DeviceName {
        if let Some(n) = &self.nickname {
            return DeviceName::Given(n.clone());
        }
        match (&self.hostname, names) {
            (Some(h), GroupNames::Hostname) => DeviceName::Given(h.clone()),
            _ => DeviceName::Pseudonym(self.pseudonym),
        }
    }

    /// The admin's name for it: its own name and the pseudonym the group views show
    /// ("alice-laptop (🦦 Blue Otter)"), so the teacher can tell who is who on the projector.
    pub fn admin_name(&self) -> String {
        format!("{} ({} {})", self.name, self.emoji, self.pseudonym)
    }

    fn of(device: &Device, ip: IpAddr, pseudonym: Pseudonym) -> DeviceInfo {
        DeviceInfo {
            name: device.display_name(Some(ip)),
            pseudonym,
            emoji: pseudonym.emoji(),
            hostname: device.hostname.clone(),
            vendor: device.vendor_label(),
            randomised_mac: device.randomised,
            nickname: device.nickname.clone(),
            identified: true,
            first_seen: Some(device.first_seen),
            last_seen: Some(device.last_seen),
        }
    }

    /// An address nothing is known about: named "Device <address tail>".
    fn unknown(ip: IpAddr, pseudonym: Pseudonym) -> DeviceInfo {
        DeviceInfo {
            name: display_name(None, None, None, Some(ip)),
            pseudonym,
            emoji: pseudonym.emoji(),
            hostname: None,
            vendor: None,
            randomised_mac: false,
            nickname: None,
            identified: false,
            first_seen: None,
            last_seen: None,
        }
    }
}

/// A device with a current address, for listings.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PresentDevice {
    /// Its addresses, preferred first (IPv4, then the most recently bound).
    pub ips: Vec<IpAddr>,
    /// What may be shown.
    pub info: DeviceInfo,
}

/// One source's evidence that `ip` is at `mac`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Sighting<'a> {
    /// The address.
    pub ip: IpAddr,
    /// The hardware address behind it.
    pub mac: MacAddr,
    /// The DHCP host name, when the source is a lease that has one.
    pub hostname: Option<&'a str>,
    /// Since when the source has held this mapping (a newer mapping for the same address
    /// replaces an older one, never the other way round).
    pub since: DateTime<Utc>,
    /// When the device was last confirmed present, if the source knows (a lease granted or
    /// renewed, a neighbour confirmed by the kernel).
    pub seen: Option<DateTime<Utc>>,
}

/// What a sighting changed about a device's identity (to be saved).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IdentityChange {
    /// The address.
    pub ip: IpAddr,
    /// The device now behind it.
    pub mac: MacAddr,
    /// Its host name (as now known).
    pub hostname: Option<String>,
    /// When.
    pub at: DateTime<Utc>,
}

/// A device as saved in the store, brought back at start.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KnownDevice {
    /// Its hardware address.
    pub mac: MacAddr,
    /// Its last DHCP host name.
    pub hostname: Option<String>,
    /// Its nickname.
    pub nickname: Option<String>,
    /// First sign of it.
    pub first_seen: DateTime<Utc>,
    /// Last sign of it.
    pub last_seen: DateTime<Utc>,
}

#[derive(Clone, Copy, Debug)]
struct Binding {
    mac: MacAddr,
    since: DateTime<Utc>,
}

struct Inner {
    by_ip: LruCache<IpAddr, Binding>,
    by_mac: LruCache<MacAddr, Device>,
    /// Nicknames set for addresses without a known MAC.
    ip_nicknames: LruCache<IpAddr, String>,
}

/// Counters for `/api/v1/status`.
#[derive(Debug, Default)]
pub struct RegistryStats {
    /// Times the lease file was (re-)read.
    pub lease_reads: AtomicU64,
    /// Lease lines skipped because they did not parse (in the last read).
    pub lease_bad_lines: AtomicU64,
    /// Leases in the last read.
    pub leases: AtomicU64,
    /// Neighbour table dumps completed.
    pub neighbour_dumps: AtomicU64,
    /// Neighbour messages read (dumps and events).
    pub neighbour_messages: AtomicU64,
    /// Times the neighbour event socket overflowed (a dump follows).
    pub neighbour_overflows: AtomicU64,
    /// Identity changes queued for the store.
    pub identity_changes: AtomicU64,
}

/// The devices on the LAN by MAC address, and which address each one has. Share it as an
/// `Arc`; every method takes `&self` and holds the internal lock briefly.
pub struct DeviceRegistry {
    inner: RwLock<Inner>,
    store: Mutex<Option<StoreWriter>>,
    /// The session's pseudonyms; locked after `inner` when both are.
    pseudonyms: Mutex<Pseudonyms>,
    max_devices: usize,
    /// Counters the refresher keeps.
    pub stats: RegistryStats,
    /// Bumped whenever an address is bound to another (or a first) MAC or bindings are
    /// forgotten, so the correlator can tell cheaply when to re-check the identities of
    /// addresses it remembered answers for.
    generation: AtomicU64,
}

impl DeviceRegistry {
    /// A registry remembering at most `max_devices` devices (and up to four addresses each).
    pub fn new(max_devices: usize) -> DeviceRegistry {
        let n = NonZeroUsize::new(max_devices).unwrap_or(NonZeroUsize::MIN);
        let ips =
            n.saturating_mul(NonZeroUsize::new(BINDINGS_PER_DEVICE).unwrap_or(NonZeroUsize::MIN));
        DeviceRegistry {
            inner: RwLock::new(Inner {
                by_ip: LruCache::new(ips),
                by_mac: LruCache::new(n),
                ip_nicknames: LruCache::new(n),
            }),
            store: Mutex::new(None),
            pseudonyms: Mutex::new(Pseudonyms::new(ips.get().saturating_add(n.get()))),
            max_devices: n.get(),
            stats: RegistryStats::default(),
            generation: AtomicU64::new(0),
        }
    }

    /// The bound it was created with.
    pub fn max_devices(&self) -> usize {
        self.max_devices
    }

    /// Save nickname changes and forgotten devices through this writer from now on.
    pub fn attach_store(&self, writer: StoreWriter) {
        *self.store.lock() = Some(writer);
    }

    fn persist(&self, op: StoreOp) {
        if let Some(w) = self.store.lock().as_ref() {
            if !w.try_send(op) {
                tracing::warn!("devices: store queue full; a nickname change was not saved");
            }
        }
    }

    /// Bring back devices saved in the store (oldest first, so the newest stay when there are
    /// more than the bound). They have no address until a lease or the neighbour table says.
    pub fn restore(&self, mut known: Vec<KnownDevice>) {
        known.sort_by_key(|k| k.last_seen);
        let mut inner = self.inner.write();
        for k in known {
            let mut d = Device::new(k.mac, k.first_seen);
            // Checked again: a row saved by an older version (or edited by hand) may break
            // today's rules; such a name is dropped rather than shown.
            d.hostname = k.hostname.and_then(|h| super::leases::clean_hostname(&h));
            d.nickname = k.nickname.and_then(|n| validate_nickname(&n).ok());
            d.last_seen = k.last_seen.max(k.first_seen);
            inner.by_mac.put(k.mac, d);
        }
    }

    /// Apply one source's evidence. Returns what changed about the identity behind the
    /// address (a new device, another device at the address, a new host name), to be saved;
    /// `None` when nothing did or the sighting is older than what is known.
    pub fn observe(&self, s: &Sighting<'_>) -> Option<IdentityChange> {
        if !s.mac.is_unicast() {
            return None;
        }
        let mut guard = self.inner.write();
        let inner = &mut *guard;
        let previous = inner.by_ip.peek(&s.ip).copied();
        if let Some(b) = previous {
            if b.mac != s.mac && b.since > s.since {
                return None;
            }
        }
        let rebound = previous.map(|b| b.mac) != Some(s.mac);
        if rebound {
            self.generation.fetch_add(1, Ordering::Relaxed);
        }
        let since = match previous {
            Some(b) if !rebound => b.since.max(s.since),
            _ => s.since,
        };
        inner.by_ip.put(s.ip, Binding { mac: s.mac, since });
        if previous.is_none() {
            // The name people saw for the address stays the device's.
            self.pseudonyms
                .lock()
                .adopt(StableKey::Ip(s.ip), StableKey::Mac(s.mac));
        }

        let first = s.seen.map_or(s.since, |t| t.min(s.since));
        let last = s.seen.map_or(s.since, |t| t.max(s.since));
        let mut changed = rebound;
        let mut moved_nickname = None;
        let is_new = !inner.by_mac.contains(&s.mac);
        if is_new {
            inner.by_mac.put(s.mac, Device::new(s.mac, first));
            changed = true;
        }
        let device = inner.by_mac.get_mut(&s.mac)?;
        device.first_seen = device.first_seen.min(first);
        device.last_seen = device.last_seen.max(last);
        if let Some(h) = s.hostname {
            if device.hostname.as_deref() != Some(h) {
                device.hostname = Some(h.to_owned());
                changed = true;
            }
        }
        // A nickname given to the address before the device was known moves to the device.
        if let Some(n) = inner.ip_nicknames.pop(&s.ip) {
            if device.nickname.is_none() {
                device.nickname = Some(n.clone());
                moved_nickname = Some(n);
            }
        }
        let change = changed.then(|| IdentityChange {
            ip: s.ip,
            mac: s.mac,
            hostname: device.hostname.clone(),
            at: last,
        });
        drop(guard);
        if let Some(n) = moved_nickname {
            self.persist(StoreOp::DeviceNickname {
                mac: s.mac.to_string(),
                nickname: Some(n),
                at: Utc::now(),
            });
        }
        change
    }

    /// What may be shown about the device behind `ip`: `None` when nothing is known (no MAC
    /// for the address and no nickname set for it).
    pub fn lookup(&self, ip: IpAddr) -> Option<DeviceInfo> {
        let inner = self.inner.read();
        if let Some(b) = inner.by_ip.peek(&ip) {
            if let Some(d) = inner.by_mac.peek(&b.mac) {
                let p = self.pseudonyms.lock().get(StableKey::Mac(d.mac));
                return Some(DeviceInfo::of(d, ip, p));
            }
        }
        inner.ip_nicknames.peek(&ip).map(|n| DeviceInfo {
            name: DeviceName::Given(n.clone()),
            nickname: Some(n.clone()),
            ..DeviceInfo::unknown(ip, self.pseudonyms.lock().get(StableKey::Ip(ip)))
        })
    }

    /// Like [`DeviceRegistry::lookup`], but always an answer: an unknown address is
    /// "Device <address tail>" (to itself and the admin) with a pseudonym of its own.
    pub fn describe(&self, ip: IpAddr) -> DeviceInfo {
        self.lookup(ip).unwrap_or_else(|| {
            DeviceInfo::unknown(ip, self.pseudonyms.lock().get(StableKey::Ip(ip)))
        })
    }

    /// The session's pseudonym key, to be saved so a restart keeps the pseudonyms.
    pub fn pseudonym_secret(&self) -> [u8; 32] {
        self.pseudonyms.lock().secret()
    }

    /// Deal pseudonyms under a saved key from now on (at start, within the same session).
    pub fn use_pseudonym_secret(&self, secret: [u8; 32]) {
        let mut p = self.pseudonyms.lock();
        *p = Pseudonyms::with_secret(p.capacity(), secret);
    }

    /// A new session: new pseudonyms for everyone, and (unless `keep_nicknames`) no
    /// nicknames, here; the caller clears the saved ones ([`crate::store::Store::clear_nicknames`]).
    pub fn new_session(&self, keep_nicknames: bool) {
        let mut inner = self.inner.write();
        if !keep_nicknames {
            inner.ip_nicknames.clear();
            for (_, d) in inner.by_mac.iter_mut() {
                d.nickname = None;
            }
        }
        self.pseudonyms.lock().new_session();
    }

    /// Give the device behind `ip` a nickname (checked with [`validate_nickname`]). Kept by
    /// MAC and saved when the device is known, else kept for the address until it is; see
    /// [`NicknameSaved`].
    pub fn set_nickname(&self, ip: IpAddr, raw: &str) -> Result<NicknameSaved, NicknameError> {
        let name = validate_nickname(raw)?;
        let mut guard = self.inner.write();
        let inner = &mut *guard;
        let mac = inner.by_ip.peek(&ip).map(|b| b.mac);
        if let Some(d) = mac.and_then(|m| inner.by_mac.get_mut(&m)) {
            d.nickname = Some(name.clone());
            let mac = d.mac;
            drop(guard);
            self.persist(StoreOp::DeviceNickname {
                mac: mac.to_string(),
                nickname: Some(name),
                at: Utc::now(),
            });
            return Ok(NicknameSaved::Device);
        }
        inner.ip_nicknames.put(ip, name);
        Ok(NicknameSaved::AddressOnly)
    }

    /// Every device's nickname by MAC (a backup's `nicknames`), in MAC order.
    pub fn nicknames(&self) -> Vec<(MacAddr, String)> {
        let inner = self.inner.read();
        let mut out: Vec<(MacAddr, String)> = inner
            .by_mac
            .iter()
            .filter_map(|(mac, d)| Some((*mac, d.nickname.clone()?)))
            .collect();
        out.sort_by_key(|(mac, _)| mac.0);
        out
    }

    /// Give the device with this MAC a nickname (checked with [`validate_nickname`]), making
    /// it known if it is not yet (a restored backup: the device may join later), and save it.
    pub fn set_nickname_of(&self, mac: MacAddr, raw: &str) -> Result<(), NicknameError> {
        let name = validate_nickname(raw)?;
        let now = Utc::now();
        {
            let mut inner = self.inner.write();
            if !inner.by_mac.contains(&mac) {
                inner.by_mac.put(mac, Device::new(mac, now));
            }
            if let Some(d) = inner.by_mac.get_mut(&mac) {
                d.nickname = Some(name.clone());
            }
        }
        self.persist(StoreOp::DeviceNickname {
            mac: mac.to_string(),
            nickname: Some(name),
            at: now,
        });
        Ok(())
    }

    /// Remove the nickname of the device behind `ip` (and of the address). `true` if there
    /// was one.
    pub fn clear_nickname(&self, ip: IpAddr) -> bool {
        let mut guard = self.inner.write();
        let inner = &mut *guard;
        let mut had = inner.ip_nicknames.pop(&ip).is_some();
        let mac = inner.by_ip.peek(&ip).map(|b| b.mac);
        let mut cleared = None;
        if let Some(d) = mac.and_then(|m| inner.by_mac.get_mut(&m)) {
            if d.nickname.take().is_some() {
                had = true;
                cleared = Some(d.mac);
            }
        }
        drop(guard);
        if let Some(mac) = cleared {
            self.persist(StoreOp::DeviceNickname {
                mac: mac.to_string(),
                nickname: None,
                at: Utc::now(),
            });
        }
        had
    }

    /// Forget the device behind `ip`: its identity (MAC, host name, every address bound to
    /// it) and nickname, here and in the store. `true` if anything was known.
    ///
    /// A device that is still connected is recognised again from its lease or the neighbour
    /// table within seconds — as a new device, without the nickname.
    pub fn forget(&self, ip: IpAddr) -> bool {
        self.generation.fetch_add(1, Ordering::Relaxed);
        let mut guard = self.inner.write();
        let inner = &mut *guard;
        let mut found = inner.ip_nicknames.pop(&ip).is_some();
        let mac = inner.by_ip.pop(&ip).map(|b| b.mac);
        if let Some(mac) = mac {
            found = true;
            inner.by_mac.pop(&mac);
            let other: Vec<IpAddr> = inner
                .by_ip
                .iter()
                .filter(|(_, b)| b.mac == mac)
                .map(|(ip, _)| *ip)
                .collect();
            for ip in other {
                inner.by_ip.pop(&ip);
            }
        }
        drop(guard);
        let mut pseudonyms = self.pseudonyms.lock();
        pseudonyms.remove(StableKey::Ip(ip));
        if let Some(mac) = mac {
            pseudonyms.remove(StableKey::Mac(mac));
        }
        drop(pseudonyms);
        if let Some(mac) = mac {
            self.persist(StoreOp::ForgetIdentity {
                mac: mac.to_string(),
            });
        }
        found
    }

    /// Devices that have an address now, each once with all its addresses (preferred first).
    pub fn present(&self) -> Vec<PresentDevice> {
        let inner = self.inner.read();
        let mut by_mac: HashMap<MacAddr, Vec<(IpAddr, DateTime<Utc>)>> = HashMap::new();
        for (ip, b) in inner.by_ip.iter() {
            if inner.by_mac.contains(&b.mac) {
                by_mac.entry(b.mac).or_default().push((*ip, b.since));
            }
        }
        let mut out: Vec<PresentDevice> = by_mac
            .into_iter()
            .filter_map(|(mac, mut ips)| {
                ips.sort_by_key(|(ip, since)| (ip.is_ipv6(), std::cmp::Reverse(*since)));
                let d = inner.by_mac.peek(&mac)?;
                let ips: Vec<IpAddr> = ips.into_iter().map(|(ip, _)| ip).collect();
                let p = self.pseudonyms.lock().get(StableKey::Mac(mac));
                Some(PresentDevice {
                    info: DeviceInfo::of(d, ips[0], p),
                    ips,
                })
            })
            .collect();
        out.sort_by_key(|p| p.ips[0]);
        out
    }

    /// Number of devices known by MAC.
    pub fn len(&self) -> usize {
        self.inner.read().by_mac.len()
    }
}

/// Identity across addresses (issue 13): which device an address belongs to.
impl DeviceRegistry {
    /// The identity behind `ip`: its device's [`HardwareKey`] when a MAC is bound to the
    /// address, else the address itself. One short read lock; never waits on I/O.
    pub fn identity(&self, ip: IpAddr) -> DeviceIdentity {
        identity_in(&self.inner.read(), ip)
    }

    /// Changes whenever a binding does (see the field); equal values mean no address has
    /// changed identity in between.
    pub fn binding_generation(&self) -> u64 {
        self.generation.load(Ordering::Relaxed)
    }

    /// The MAC address bound to `ip`, for rules that must follow the device across its
    /// addresses and restarts (`group_view`); it stays inside the appliance.
    pub fn mac_behind(&self, ip: IpAddr) -> Option<MacAddr> {
        self.inner.read().by_ip.peek(&ip).map(|b| b.mac)
    }

    /// [`DeviceRegistry::identity`] of many addresses under one read lock.
    pub fn identities(&self, ips: impl IntoIterator<Item = IpAddr>) -> Vec<DeviceIdentity> {
        let inner = self.inner.read();
        ips.into_iter().map(|ip| identity_in(&inner, ip)).collect()
    }

    /// The addresses bound now to the device `id` (for an address identity: the address),
    /// IPv4 first, then the most recently bound.
    pub fn addresses(&self, id: DeviceIdentity) -> Vec<IpAddr> {
        let DeviceIdentity::Hardware(key) = id else {
            return match id {
                DeviceIdentity::Address(ip) => vec![ip],
                DeviceIdentity::Hardware(_) => Vec::new(),
            };
        };
        let inner = self.inner.read();
        let mut ips: Vec<(IpAddr, DateTime<Utc>)> = inner
            .by_ip
            .iter()
            .filter(|(_, b)| hardware_key(b.mac) == key)
            .map(|(ip, b)| (*ip, b.since))
            .collect();
        ips.sort_by_key(|(ip, since)| (ip.is_ipv6(), std::cmp::Reverse(*since)));
        ips.into_iter().map(|(ip, _)| ip).collect()
    }

    /// Every bound address → the preferred address of its device (IPv4 first, then the most
    /// recently bound), under one read lock: views that group by device show the addresses
    /// of one device under one address.
    pub fn representatives(&self) -> HashMap<IpAddr, IpAddr> {
        let inner = self.inner.read();
        let mut best: HashMap<MacAddr, (IpAddr, DateTime<Utc>)> = HashMap::new();
        for (ip, b) in inner.by_ip.iter() {
            let better = |(cur, since): &(IpAddr, DateTime<Utc>)| {
                (ip.is_ipv6(), std::cmp::Reverse(b.since))
                    < (cur.is_ipv6(), std::cmp::Reverse(*since))
            };
            match best.get(&b.mac) {
                Some(c) if !better(c) => {}
                _ => {
                    best.insert(b.mac, (*ip, b.since));
                }
            }
        }
        inner
            .by_ip
            .iter()
            .filter_map(|(ip, b)| Some((*ip, best.get(&b.mac)?.0)))
            .collect()
    }
}

fn identity_in(inner: &Inner, ip: IpAddr) -> DeviceIdentity {
    match inner.by_ip.peek(&ip) {
        Some(b) => DeviceIdentity::Hardware(hardware_key(b.mac)),
        None => DeviceIdentity::Address(ip),
    }
}

/// The opaque key of a MAC address: a SipHash keyed once per process, so the API can show
/// which addresses are one device without showing (or letting anyone derive) the MAC.
pub fn hardware_key(mac: MacAddr) -> HardwareKey {
    use std::hash::BuildHasher;
    static KEY: std::sync::OnceLock<std::hash::RandomState> = std::sync::OnceLock::new();
    HardwareKey(KEY.get_or_init(std::hash::RandomState::new).hash_one(mac.0))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeDelta;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }
    fn mac(s: &str) -> MacAddr {
        s.parse().unwrap()
    }
    fn t(secs: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_800_000_000 + secs, 0).unwrap()
    }
    fn sight<'a>(a: &str, m: &str, host: Option<&'a str>, since: i64) -> Sighting<'a> {
        Sighting {
            ip: ip(a),
            mac: mac(m),
            hostname: host,
            since: t(since),
            seen: None,
        }
    }

    const PI: &str = "b8:27:eb:00:00:01";
    const PHONE: &str = "da:a1:19:00:00:02";

    #[test]
    fn a_restored_nickname_waits_for_its_device() {
        let r = DeviceRegistry::new(10);
        r.set_nickname(ip("192.0.2.11"), "by address").unwrap();
        assert!(r.nicknames().is_empty(), "an address' nickname has no MAC");
        r.set_nickname_of(mac(PHONE), " Anna's phone ").unwrap();
        assert!(r.set_nickname_of(mac(PI), "").is_err());
        assert_eq!(
            r.nicknames(),
            vec![(mac(PHONE), "Anna's phone".to_string())]
        );
        // The device joins later at another address: it has the nickname.
        r.observe(&sight("192.0.2.12", PHONE, None, 0));
        assert_eq!(r.describe(ip("192.0.2.12")).name, "Anna's phone");
    }

    #[test]
    fn names_follow_the_rule() {
        let r = DeviceRegistry::new(10);
        r.observe(&sight("192.0.2.10", PI, None, 0));
        r.observe(&sight("192.0.2.11", PHONE, None, 0));
        let pi = r.lookup(ip("192.0.2.10")).unwrap();
        assert_eq!(pi.name, "Raspberry Pi device");
        assert_eq!(pi.vendor, Some("Raspberry Pi"));
        assert!(!pi.randomised_mac);
        let phone = r.lookup(ip("192.0.2.11")).unwrap();
        assert_eq!(phone.name, "Device .11");
        assert_eq!(phone.vendor, Some("randomised"));
        assert!(phone.randomised_mac);
        // Host name beats vendor, nickname beats host name.
        r.observe(&sight("192.0.2.10", PI, Some("kitchen-pi"), 0));
        assert_eq!(r.describe(ip("192.0.2.10")).name, "kitchen-pi");
        assert_eq!(
            r.set_nickname(ip("192.0.2.10"), "  Bob's Pi "),
            Ok(NicknameSaved::Device)
        );
        let pi = r.describe(ip("192.0.2.10"));
        assert_eq!(pi.name, "Bob's Pi");
        assert_eq!(pi.hostname.as_deref(), Some("kitchen-pi"));
        // Unknown addresses, IPv6 tails.
        assert_eq!(r.lookup(ip("192.0.2.99")), None);
        assert_eq!(r.describe(ip("192.0.2.99")).name, "Device .99");
        assert_eq!(r.describe(ip("2001:db8:1::1a2b")).name, "Device :1a2b");
        // Never the MAC, in any form.
        let json = serde_json::to_string(&r.present()[0].info).unwrap()
            + &serde_json::to_string(&phone).unwrap();
        for m in [PI, PHONE] {
            assert!(!json.contains(m), "{json}");
            assert!(!json.to_lowercase().contains(&m.replace(':', "")), "{json}");
        }
    }

    #[test]
    fn group_views_get_a_pseudonym_never_the_host_name() {
        let r = DeviceRegistry::new(10);
        r.observe(&sight("192.0.2.10", PI, Some("alice-laptop"), 0));
        let info = r.describe(ip("192.0.2.10"));
        let p = info.pseudonym.to_string();
        assert_eq!(info.group_name(GroupNames::Pseudonym), p);
        assert!(!p.contains("alice") && !p.contains("192") && !p.contains(".10"));
        assert_eq!(info.group_name(GroupNames::Hostname), "alice-laptop");
        assert_eq!(
            info.name, "alice-laptop",
            "its own name for itself and the admin"
        );
        // Stable, and its own: another device, an unknown address get others.
        assert_eq!(r.describe(ip("192.0.2.10")).pseudonym, info.pseudonym);
        r.observe(&sight("192.0.2.11", PHONE, None, 0));
        let other = r.describe(ip("192.0.2.11"));
        assert_ne!(other.pseudonym, info.pseudonym);
        assert_eq!(
            other.group_name(GroupNames::Hostname),
            other.pseudonym.to_string()
        );
        assert_ne!(r.describe(ip("192.0.2.99")).pseudonym, info.pseudonym);
        // A nickname wins in both modes.
        r.set_nickname(ip("192.0.2.10"), "Ana 📱").unwrap();
        let info = r.describe(ip("192.0.2.10"));
        assert_eq!(info.group_name(GroupNames::Pseudonym), "Ana 📱");
        assert_eq!(info.group_name(GroupNames::Hostname), "Ana 📱");
    }

    #[test]
    fn an_address_keeps_its_pseudonym_when_identified() {
        let r = DeviceRegistry::new(10);
        let before = r.describe(ip("192.0.2.20")).pseudonym;
        r.observe(&sight("192.0.2.20", PHONE, None, 0));
        assert!(r.describe(ip("192.0.2.20")).identified);
        assert_eq!(r.describe(ip("192.0.2.20")).pseudonym, before);
        // Its other addresses are the same device, the same pseudonym.
        r.observe(&sight("2001:db8:1::20", PHONE, None, 0));
        assert_eq!(r.describe(ip("2001:db8:1::20")).pseudonym, before);
    }

    #[test]
    fn a_new_session_deals_new_pseudonyms_and_clears_nicknames_unless_kept() {
        let r = DeviceRegistry::new(40);
        let ips: Vec<IpAddr> = (0..20u8)
            .map(|i| IpAddr::from([192, 0, 2, 100 + i]))
            .collect();
        for (i, a) in ips.iter().enumerate() {
            r.observe(&Sighting {
                ip: *a,
                mac: MacAddr([0x02, 0, 0, 0, 0, i as u8 + 1]),
                hostname: None,
                since: t(0),
                seen: None,
            });
        }
        let before: Vec<_> = ips.iter().map(|a| r.describe(*a).pseudonym).collect();
        r.set_nickname(ips[0], "Kept").unwrap();
        r.set_nickname(ip("198.51.100.1"), "By address").unwrap();
        r.new_session(true);
        assert_eq!(r.describe(ips[0]).nickname.as_deref(), Some("Kept"));
        let after: Vec<_> = ips.iter().map(|a| r.describe(*a).pseudonym).collect();
        assert_ne!(before, after, "a new key deals new names");
        r.new_session(false);
        assert_eq!(r.describe(ips[0]).nickname, None);
        assert_eq!(r.lookup(ip("198.51.100.1")), None);
    }

    #[test]
    fn most_recent_mapping_wins() {
        let r = DeviceRegistry::new(10);
        assert!(r
            .observe(&sight("192.0.2.10", PI, Some("pi"), 10))
            .is_some());
        // The same again: nothing new to save.
        assert!(r
            .observe(&sight("192.0.2.10", PI, Some("pi"), 10))
            .is_none());
        // Another device took the address later: it wins.
        let c = r.observe(&sight("192.0.2.10", PHONE, None, 20)).unwrap();
        assert_eq!(c.mac, mac(PHONE));
        assert!(r.describe(ip("192.0.2.10")).randomised_mac);
        // The old mapping re-applied (a stale lease) does not undo it.
        assert!(r
            .observe(&sight("192.0.2.10", PI, Some("pi"), 10))
            .is_none());
        assert!(r.describe(ip("192.0.2.10")).randomised_mac);
        // The first device comes back with a newer mapping.
        assert!(r
            .observe(&sight("192.0.2.10", PI, Some("pi"), 30))
            .is_some());
        assert_eq!(r.describe(ip("192.0.2.10")).name, "pi");
        // A new host name is a change.
        let c = r
            .observe(&sight("192.0.2.10", PI, Some("pi2"), 30))
            .unwrap();
        assert_eq!(c.hostname.as_deref(), Some("pi2"));
    }

    #[test]
    fn nickname_follows_the_device_to_a_new_address() {
        let r = DeviceRegistry::new(10);
        r.observe(&sight("192.0.2.10", PI, None, 0));
        r.set_nickname(ip("192.0.2.10"), "Lab Pi").unwrap();
        r.observe(&sight("192.0.2.77", PI, None, 5));
        assert_eq!(r.describe(ip("192.0.2.77")).name, "Lab Pi");
        let present = r.present();
        assert_eq!(present.len(), 1);
        assert_eq!(present[0].ips, vec![ip("192.0.2.77"), ip("192.0.2.10")]);
    }

    #[test]
    fn nickname_by_address_until_identified() {
        let r = DeviceRegistry::new(10);
        assert_eq!(
            r.set_nickname(ip("192.0.2.10"), "Mystery"),
            Ok(NicknameSaved::AddressOnly)
        );
        let info = r.lookup(ip("192.0.2.10")).unwrap();
        assert_eq!(info.name, "Mystery");
        assert!(!info.identified);
        r.observe(&sight("192.0.2.10", PHONE, Some("android-1"), 0));
        let info = r.lookup(ip("192.0.2.10")).unwrap();
        assert!(info.identified);
        assert_eq!(info.nickname.as_deref(), Some("Mystery"));
        assert_eq!(info.name, "Mystery");
    }

    #[test]
    fn nickname_validation() {
        assert_eq!(validate_nickname("  Alice  "), Ok("Alice".into()));
        assert_eq!(validate_nickname("   "), Err(NicknameError::Empty));
        assert_eq!(validate_nickname(&"é".repeat(32)), Ok("é".repeat(32)));
        assert_eq!(
            validate_nickname(&"é".repeat(33)),
            Err(NicknameError::TooLong)
        );
        assert_eq!(
            validate_nickname("a\nb"),
            Err(NicknameError::ControlCharacter)
        );
        assert_eq!(
            validate_nickname("a\u{7f}"),
            Err(NicknameError::ControlCharacter)
        );
        assert_eq!(
            validate_nickname("evil\u{202e}gnp"),
            Err(NicknameError::ControlCharacter)
        );
        assert_eq!(validate_nickname("Zoë's 📱"), Ok("Zoë's 📱".into()));
        let r = DeviceRegistry::new(4);
        assert_eq!(
            r.set_nickname(ip("192.0.2.1"), ""),
            Err(NicknameError::Empty)
        );
        assert!(NicknameError::TooLong.to_string().contains("32"));
    }

    #[test]
    fn forget_removes_identity_and_nickname() {
        let r = DeviceRegistry::new(10);
        r.observe(&sight("192.0.2.10", PI, Some("pi"), 0));
        r.observe(&sight("2001:db8:1::10", PI, None, 0));
        r.set_nickname(ip("192.0.2.10"), "Mine").unwrap();
        assert!(r.forget(ip("192.0.2.10")));
        assert_eq!(r.lookup(ip("192.0.2.10")), None);
        assert_eq!(
            r.lookup(ip("2001:db8:1::10")),
            None,
            "every address of the device"
        );
        assert_eq!(r.len(), 0);
        assert!(!r.forget(ip("192.0.2.10")));
        // Still connected: recognised again, without the nickname.
        r.observe(&sight("192.0.2.10", PI, Some("pi"), 0));
        assert_eq!(r.describe(ip("192.0.2.10")).name, "pi");
        // An address-only nickname is forgotten too.
        r.set_nickname(ip("192.0.2.50"), "X").unwrap();
        assert!(r.forget(ip("192.0.2.50")));
        assert_eq!(r.lookup(ip("192.0.2.50")), None);
        assert!(!r.clear_nickname(ip("192.0.2.10")));
    }

    #[test]
    fn bounded() {
        let r = DeviceRegistry::new(3);
        for i in 0..10u8 {
            let m = MacAddr([0x02, 0, 0, 0, 0, i + 1]);
            r.observe(&Sighting {
                ip: IpAddr::from([192, 0, 2, 10 + i]),
                mac: m,
                hostname: None,
                since: t(i64::from(i)),
                seen: Some(t(i64::from(i))),
            });
        }
        assert_eq!(r.len(), 3);
        assert!(r.lookup(ip("192.0.2.19")).is_some());
        assert!(r.lookup(ip("192.0.2.10")).is_none());
        assert_eq!(r.present().len(), 3);
        for i in 0..10u8 {
            r.set_nickname(IpAddr::from([10, 0, 0, i]), "n").unwrap();
        }
        assert_eq!(r.inner.read().ip_nicknames.len(), 3);
        assert!(r.inner.read().by_ip.len() <= 12);
    }

    #[test]
    fn restored_devices_get_their_names_back() {
        let r = DeviceRegistry::new(10);
        r.restore(vec![KnownDevice {
            mac: mac(PHONE),
            hostname: Some("old-name".into()),
            nickname: Some("Zoë".into()),
            first_seen: t(-1000),
            last_seen: t(-10),
        }]);
        assert_eq!(r.len(), 1);
        assert!(r.present().is_empty(), "no address yet");
        r.observe(&Sighting {
            seen: Some(t(5)),
            ..sight("192.0.2.30", PHONE, None, 0)
        });
        let info = r.describe(ip("192.0.2.30"));
        assert_eq!(info.name, "Zoë");
        assert_eq!(info.hostname.as_deref(), Some("old-name"));
        assert_eq!(info.first_seen, Some(t(-1000)));
        assert_eq!(info.last_seen, Some(t(5)));
        assert!(info.last_seen.unwrap() - info.first_seen.unwrap() > TimeDelta::zero());
    }

    #[test]
    fn restored_names_that_break_the_rules_are_dropped() {
        let r = DeviceRegistry::new(10);
        r.restore(vec![KnownDevice {
            mac: mac(PHONE),
            hostname: Some("<script>x</script>".into()),
            nickname: Some("evil\u{202e}gnp".into()),
            first_seen: t(0),
            last_seen: t(1),
        }]);
        r.observe(&sight("192.0.2.30", PHONE, None, 2));
        let info = r.describe(ip("192.0.2.30"));
        assert_eq!((info.hostname, info.nickname), (None, None));
    }

    #[test]
    fn nickname_and_forget_are_saved_through_the_writer() {
        let (w, rx) = crate::store::test_writer_channel(16);
        let r = DeviceRegistry::new(10);
        r.attach_store(w);
        r.observe(&sight("192.0.2.10", PI, None, 0));
        r.set_nickname(ip("192.0.2.10"), "Pi").unwrap();
        r.clear_nickname(ip("192.0.2.10"));
        r.forget(ip("192.0.2.10"));
        // Address-only nicknames are not saved until the device is known.
        r.set_nickname(ip("192.0.2.11"), "Later").unwrap();
        r.observe(&sight("192.0.2.11", PHONE, None, 0));
        drop(r);
        let ops: Vec<_> = rx.try_iter().map(|q| q.1.clone()).collect();
        let text = format!("{ops:?}");
        assert_eq!(ops.len(), 4, "{text}");
        assert!(matches!(&ops[0], StoreOp::DeviceNickname { nickname: Some(n), .. } if n == "Pi"));
        assert!(matches!(
            &ops[1],
            StoreOp::DeviceNickname { nickname: None, .. }
        ));
        assert!(matches!(&ops[2], StoreOp::ForgetIdentity { mac } if mac == PI));
        assert!(
            matches!(&ops[3], StoreOp::DeviceNickname { nickname: Some(n), mac, .. } if n == "Later" && mac == PHONE)
        );
    }

    #[test]
    fn one_identity_owns_all_its_addresses() {
        let r = DeviceRegistry::new(10);
        let v4 = ip("192.0.2.10");
        let v6 = ip("2001:db8:1::a");
        let temp = ip("2001:db8:1::dead");
        // Unknown address: the address is the identity.
        assert_eq!(r.identity(v6), DeviceIdentity::Address(v6));
        r.observe(&sight("192.0.2.10", PI, None, 0));
        r.observe(&sight("2001:db8:1::a", PI, None, 1));
        r.observe(&sight("192.0.2.11", PHONE, None, 0));
        let pi = r.identity(v4);
        assert!(pi.is_hardware());
        assert_eq!(r.identity(v6), pi);
        assert_ne!(r.identity(ip("192.0.2.11")), pi);
        // A new temporary address joins the same identity.
        r.observe(&sight("2001:db8:1::dead", PI, None, 5));
        assert_eq!(r.identities([temp, v4]), vec![pi, pi]);
        assert_eq!(r.addresses(pi), vec![v4, temp, v6]);
        assert_eq!(
            r.addresses(DeviceIdentity::Address(v4)),
            vec![v4],
            "an address identity is its address"
        );
        // The key is not the MAC in any spelling.
        let shown = pi.to_string();
        assert!(
            !shown.contains("b827eb") && !shown.contains("b8:27"),
            "{shown}"
        );
        assert_eq!(hardware_key(mac(PI)), hardware_key(mac(PI)));
        let reps = r.representatives();
        assert_eq!(reps.get(&temp), Some(&v4));
        assert_eq!(reps.get(&v6), Some(&v4));
        assert_eq!(reps.get(&ip("192.0.2.11")), Some(&ip("192.0.2.11")));
    }
}
