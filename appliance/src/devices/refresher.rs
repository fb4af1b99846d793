//! The thread that keeps the [`DeviceRegistry`] current: dnsmasq's lease file and the
//! kernel's neighbour table in, identity changes out to the store.
//!
//! - Leases: the file's modification time and size are checked every 2 s; when they change
//!   the file is read again (dnsmasq rewrites it whole). A missing file is a warning in
//!   `/api/v1/status`, not an error: names from DHCP are then simply not shown.
//! - Neighbours: a dump of the table at start and every 5 s (and at once after the event
//!   socket overflowed), plus `RTNLGRP_NEIGH` events as they happen. Only entries whose
//!   address is in `correlate.lan` (and, when `devices.interfaces` is set, on one of those
//!   interfaces) are used: the upstream router is a neighbour too, but not a device.
//!
//! Each source keeps its own view (address → MAC, since when) and the whole view is applied
//! to the registry every 2 s; new or changed entries are also applied at once. The registry
//! ignores a mapping older than the one it holds, so re-applying is harmless, and a device
//! someone asked to forget comes back by itself while it is still connected.

use std::collections::{HashMap, HashSet};
use std::net::IpAddr;
use std::path::PathBuf;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant, SystemTime};

use chrono::{DateTime, TimeDelta, Utc};
use ipnet::IpNet;
use tokio_util::sync::CancellationToken;

use super::leases::{self, Lease};
use super::mac::MacAddr;
use super::neighbours::{NeighMessage, NeighState, Neighbour};
use super::registry::{DeviceRegistry, IdentityChange, Sighting};
use super::rtnetlink::{NeighRead, NeighSocket};
use crate::status::{Status, StatusWords};
use crate::store::{DeviceSeen, StoreOp, StoreWriter};

/// How often the lease file's time stamp is checked, and every view re-applied.
pub const LEASE_POLL: Duration = Duration::from_secs(2);
/// How often the neighbour table is dumped (events fill the gaps).
pub const NEIGHBOUR_DUMP: Duration = Duration::from_secs(5);
/// Longest wait for neighbour events, which bounds how late a shutdown is noticed.
const POLL_MAX: Duration = Duration::from_millis(250);
/// A lease file larger than this is not read (dnsmasq's default 1,000 leases take ~100 KB).
const MAX_LEASE_FILE: u64 = 8 << 20;

/// What the refresher reads.
#[derive(Clone, Debug)]
pub struct RefresherOptions {
    /// dnsmasq's lease file; `None`: no leases.
    pub leases: Option<PathBuf>,
    /// Read the kernel's neighbour table.
    pub neighbours: bool,
    /// Only neighbours on these interfaces (empty: any).
    pub interfaces: Vec<String>,
    /// Only neighbours with an address in these ranges (`correlate.lan`).
    pub lan: Vec<IpNet>,
    /// Most entries each source's view holds (4 per device of `devices.max_devices`).
    pub max_entries: usize,
}

/// Start the refresher on its own thread, in the current network namespace. It stops when
/// `shutdown` is cancelled. Problems (no lease file, no neighbour socket) are warnings in
/// `status`; only failing to start the thread is an error.
pub fn spawn(
    options: RefresherOptions,
    registry: Arc<DeviceRegistry>,
    store: Option<StoreWriter>,
    status: Arc<Status>,
    shutdown: CancellationToken,
) -> std::io::Result<JoinHandle<()>> {
    // The socket is opened here, on the caller's thread, so that it is in the caller's
    // network namespace even if the thread were started elsewhere.
    let socket = if options.neighbours {
        match NeighSocket::open() {
            Ok(s) => Some(s),
            Err(e) => {
                status.warn(StatusWords::new(
                    "devices-neighbours-unreadable",
                    [("error", e.to_string())],
                ));
                None
            }
        }
    } else {
        None
    };
    let mut r = Refresher {
        leases: options.leases.clone().map(LeaseView::new),
        neighbours: socket.map(|socket| NeighView {
            socket,
            table: HashMap::new(),
            next_dump: Instant::now(),
            dumping: false,
            allowed: None,
            warned_error: false,
            warned_full: false,
            warned_interfaces: false,
        }),
        options,
        registry,
        store,
        status,
        shutdown,
    };
    std::thread::Builder::new()
        .name("devices".into())
        .spawn(move || r.run())
}

struct Refresher {
    options: RefresherOptions,
    leases: Option<LeaseView>,
    neighbours: Option<NeighView>,
    registry: Arc<DeviceRegistry>,
    store: Option<StoreWriter>,
    status: Arc<Status>,
    shutdown: CancellationToken,
}

/// One lease as the refresher tracks it.
struct LeaseEntry {
    mac: MacAddr,
    hostname: Option<String>,
    expires: Option<DateTime<Utc>>,
    /// Since when the file has said this address is this MAC's.
    since: DateTime<Utc>,
    /// When the lease was last granted or renewed (its expiry changed), as far as we saw.
    seen: Option<DateTime<Utc>>,
}

struct LeaseView {
    path: PathBuf,
    /// Modification time and size at the last read.
    stamp: Option<(SystemTime, u64)>,
    entries: HashMap<IpAddr, LeaseEntry>,
    warned: bool,
    first_read: bool,
}

struct NeighEntry {
    mac: MacAddr,
    ifindex: u32,
    since: DateTime<Utc>,
    seen: Option<DateTime<Utc>>,
}

struct NeighView {
    socket: NeighSocket,
    table: HashMap<IpAddr, NeighEntry>,
    next_dump: Instant,
    dumping: bool,
    /// Interface indexes allowed (resolved from the names at each dump); `None`: any.
    allowed: Option<HashSet<u32>>,
    warned_error: bool,
    warned_full: bool,
    warned_interfaces: bool,
}

impl LeaseView {
    fn new(path: PathBuf) -> LeaseView {
        LeaseView {
            path,
            stamp: None,
            entries: HashMap::new(),
            warned: false,
            first_read: true,
        }
    }
}

impl LeaseView {
    /// The file's bytes when it changed since the last read (by modification time and
    /// size); `None` when it did not, or cannot be read (said once in `status`).
    fn read_if_changed(&mut self, status: &Status) -> Option<Vec<u8>> {
        let meta = match std::fs::metadata(&self.path) {
            Ok(m) => m,
            Err(e) => {
                if !self.warned {
                    self.warned = true;
                    status.warn(StatusWords::new(
                        "devices-leases-unreadable",
                        [
                            ("file", self.path.display().to_string()),
                            ("error", e.to_string()),
                        ],
                    ));
                }
                return None;
            }
        };
        let stamp = (
            meta.modified().unwrap_or(SystemTime::UNIX_EPOCH),
            meta.len(),
        );
        if self.stamp == Some(stamp) {
            return None;
        }
        if meta.len() > MAX_LEASE_FILE {
            if !self.warned {
                self.warned = true;
                status.warn(StatusWords::new(
                    "devices-leases-too-big",
                    [
                        ("file", self.path.display().to_string()),
                        ("size", meta.len().to_string()),
                        ("max", MAX_LEASE_FILE.to_string()),
                    ],
                ));
            }
            self.stamp = Some(stamp);
            return None;
        }
        let bytes = match std::fs::read(&self.path) {
            Ok(b) => b,
            Err(e) => {
                if !self.warned {
                    self.warned = true;
                    status.warn(StatusWords::new(
                        "devices-leases-unreadable",
                        [
                            ("file", self.path.display().to_string()),
                            ("error", e.to_string()),
                        ],
                    ));
                }
                return None;
            }
        };
        self.stamp = Some(stamp);
        Some(bytes)
    }

    /// The leases just read become the entries; a lease seen before keeps when it began.
    fn take(&mut self, leases: Vec<Lease>) {
        let now = Utc::now();
        let first = std::mem::replace(&mut self.first_read, false);
        let mut entries = HashMap::with_capacity(leases.len());
        for Lease {
            expires,
            mac,
            ip,
            hostname,
        } in leases
        {
            let Some(mac) = mac else { continue };
            let old = self.entries.get(&ip).filter(|o| o.mac == mac);
            let (since, seen) = match old {
                Some(o) if o.expires == expires => (o.since, o.seen),
                // Renewed: same device, new expiry.
                Some(o) => (o.since, Some(now)),
                // At start we cannot tell when a lease was granted: not "seen now".
                None if first => (now, None),
                None => (now, Some(now)),
            };
            entries.insert(
                ip,
                LeaseEntry {
                    mac,
                    hostname,
                    expires,
                    since,
                    seen,
                },
            );
        }
        self.entries = entries;
    }
}

impl Refresher {
    fn run(&mut self) {
        tracing::info!(
            "devices: refresher started (leases: {}, neighbour table: {})",
            self.leases
                .as_ref()
                .map_or("off".to_string(), |l| l.path.display().to_string()),
            if self.neighbours.is_some() {
                "on"
            } else {
                "off"
            }
        );
        let mut next_poll = Instant::now();
        while !self.shutdown.is_cancelled() {
            let now = Instant::now();
            if now >= next_poll {
                self.poll_leases();
                self.apply_all();
                next_poll = now + LEASE_POLL;
            }
            let wait = POLL_MAX.min(next_poll.saturating_duration_since(Instant::now()));
            if self.neighbours.is_some() {
                self.read_neighbours(wait);
            } else {
                std::thread::sleep(wait);
            }
        }
        tracing::info!("devices: refresher stopped");
    }

    /// Re-read the lease file if it changed.
    fn poll_leases(&mut self) {
        let Some(view) = self.leases.as_mut() else {
            return;
        };
        let Some(bytes) = view.read_if_changed(&self.status) else {
            return;
        };
        let text = String::from_utf8_lossy(&bytes);
        let file = leases::parse(&text, self.options.max_entries);
        let stats = &self.registry.stats;
        stats.lease_reads.fetch_add(1, Ordering::Relaxed);
        stats
            .lease_bad_lines
            .store(file.bad_lines as u64, Ordering::Relaxed);
        stats
            .leases
            .store(file.leases.len() as u64, Ordering::Relaxed);
        if let Some((line, e)) = &file.first_error {
            tracing::warn!(
                "devices: {} of {} skipped {} line(s); first, line {line}: {e}",
                view.path.display(),
                file.leases.len() + file.bad_lines,
                file.bad_lines
            );
        }
        view.take(file.leases);
        tracing::debug!("devices: {} leases read", view.entries.len());
    }

    /// Apply every view to the registry.
    fn apply_all(&mut self) {
        let now = Utc::now();
        let mut changes = Vec::new();
        if let Some(view) = &self.leases {
            for (ip, l) in &view.entries {
                if l.expires.is_some_and(|e| e <= now) {
                    continue;
                }
                changes.extend(self.registry.observe(&Sighting {
                    ip: *ip,
                    mac: l.mac,
                    hostname: l.hostname.as_deref(),
                    since: l.since,
                    seen: l.seen,
                }));
            }
        }
        if let Some(view) = &self.neighbours {
            for (ip, n) in &view.table {
                changes.extend(self.registry.observe(&Sighting {
                    ip: *ip,
                    mac: n.mac,
                    hostname: None,
                    since: n.since,
                    seen: n.seen,
                }));
            }
        }
        for c in changes {
            self.save(c);
        }
    }

    fn save(&self, c: IdentityChange) {
        tracing::debug!(
            "devices: {} is now {} ({})",
            c.ip,
            self.registry.describe(c.ip).name,
            if c.hostname.is_some() {
                "DHCP name"
            } else {
                "no DHCP name"
            }
        );
        self.registry
            .stats
            .identity_changes
            .fetch_add(1, Ordering::Relaxed);
        if let Some(store) = &self.store {
            store.try_send(StoreOp::Device(DeviceSeen {
                ip: c.ip,
                mac: Some(c.mac.to_string()),
                hostname: c.hostname,
                at: c.at,
            }));
        }
    }

    /// Start a dump when one is due, then wait up to `wait` for neighbour messages and apply
    /// what came.
    fn read_neighbours(&mut self, wait: Duration) {
        let Some(view) = self.neighbours.as_mut() else {
            return;
        };
        if !view.dumping && Instant::now() >= view.next_dump {
            view.allowed = resolve_interfaces(&self.options.interfaces, |name| {
                if !view.warned_interfaces {
                    self.status.warn(StatusWords::new(
                        "devices-no-interface",
                        [("name", name.to_string())],
                    ));
                }
            });
            view.warned_interfaces |= view
                .allowed
                .as_ref()
                .is_some_and(|a| a.len() < self.options.interfaces.len());
            match view.socket.request_dump() {
                Ok(()) => view.dumping = true,
                Err(e) => warn_once(&mut view.warned_error, &self.status, e),
            }
            view.next_dump = Instant::now() + NEIGHBOUR_DUMP;
        }
        let messages = match view.socket.read(wait) {
            Ok(NeighRead::Messages(m)) => m,
            Ok(NeighRead::Empty) => return,
            Ok(NeighRead::Overflow) => {
                self.registry
                    .stats
                    .neighbour_overflows
                    .fetch_add(1, Ordering::Relaxed);
                // Dump again as soon as the current one (if any) is over.
                view.next_dump = Instant::now();
                return;
            }
            Err(e) => {
                warn_once(&mut view.warned_error, &self.status, e);
                std::thread::sleep(wait);
                return;
            }
        };
        let stats = &self.registry.stats;
        let now = Utc::now();
        let mut fresh = Vec::new();
        for m in messages {
            stats.neighbour_messages.fetch_add(1, Ordering::Relaxed);
            match m {
                NeighMessage::Entry(n) => {
                    if !self.options.lan.iter().any(|net| net.contains(&n.ip))
                        || view
                            .allowed
                            .as_ref()
                            .is_some_and(|a| !a.contains(&n.ifindex))
                    {
                        continue;
                    }
                    if let Some(e) = upsert(view, &n, now, self.options.max_entries) {
                        fresh.push((n.ip, e));
                    }
                }
                NeighMessage::Gone { ip, ifindex } => {
                    if view.table.get(&ip).is_some_and(|e| e.ifindex == ifindex) {
                        view.table.remove(&ip);
                    }
                }
                NeighMessage::Done => {
                    view.dumping = false;
                    stats.neighbour_dumps.fetch_add(1, Ordering::Relaxed);
                }
                NeighMessage::Error(0) => {}
                NeighMessage::Error(code) => {
                    view.dumping = false;
                    warn_once(
                        &mut view.warned_error,
                        &self.status,
                        std::io::Error::from_raw_os_error(-code),
                    );
                }
                NeighMessage::Unusable(why) => tracing::debug!("devices: {why}"),
                NeighMessage::Ignored => {}
            }
        }
        let mut changes = Vec::new();
        for (ip, (mac, since, seen)) in fresh {
            changes.extend(self.registry.observe(&Sighting {
                ip,
                mac,
                hostname: None,
                since,
                seen,
            }));
        }
        for c in changes {
            self.save(c);
        }
    }
}

/// Record a neighbour in the view. Returns what to apply now when the entry is new or
/// changed (or newly confirmed).
fn upsert(
    view: &mut NeighView,
    n: &Neighbour,
    now: DateTime<Utc>,
    max_entries: usize,
) -> Option<(MacAddr, DateTime<Utc>, Option<DateTime<Utc>>)> {
    // Only a REACHABLE entry's confirmation time is real: the kernel backdates a new,
    // unconfirmed entry's by twice the base reachable time (60 s) so it is probed before use.
    let seen = match (n.state, n.confirmed_ago) {
        (NeighState::Reachable, Some(ago)) => TimeDelta::from_std(ago).ok().map(|d| now - d),
        _ => None,
    };
    if let Some(e) = view.table.get_mut(&n.ip) {
        if e.mac == n.mac {
            let newer = seen.is_some_and(|s| e.seen.is_none_or(|old| s > old));
            e.ifindex = n.ifindex;
            if newer {
                e.seen = seen;
                return Some((e.mac, e.since, e.seen));
            }
            return None;
        }
        *e = NeighEntry {
            mac: n.mac,
            ifindex: n.ifindex,
            since: now,
            seen,
        };
        return Some((n.mac, now, seen));
    }
    if view.table.len() >= max_entries {
        if !view.warned_full {
            view.warned_full = true;
            tracing::warn!(
                "devices: more than {max_entries} neighbours; newer ones are not tracked until \
                 some go away"
            );
        }
        return None;
    }
    view.table.insert(
        n.ip,
        NeighEntry {
            mac: n.mac,
            ifindex: n.ifindex,
            since: now,
            seen,
        },
    );
    Some((n.mac, now, seen))
}

fn warn_once(warned: &mut bool, status: &Status, e: impl std::fmt::Display) {
    if !*warned {
        *warned = true;
        status.warn(StatusWords::new(
            "devices-neighbours-failed",
            [("error", e.to_string())],
        ));
    }
}

/// Interface names → indexes in this network namespace; `None` when no filter is set.
/// `missing` is called with each name that has no interface.
fn resolve_interfaces(names: &[String], mut missing: impl FnMut(&str)) -> Option<HashSet<u32>> {
    if names.is_empty() {
        return None;
    }
    let mut out = HashSet::new();
    for name in names {
        match crate::sys::ifaddr::interface_index(name) {
            Some(index) => {
                out.insert(index);
            }
            None => missing(name),
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refresher(path: PathBuf) -> (Refresher, Arc<DeviceRegistry>, Arc<Status>) {
        let registry = Arc::new(DeviceRegistry::new(16));
        let status = Arc::new(Status::default());
        let r = Refresher {
            options: RefresherOptions {
                leases: Some(path.clone()),
                neighbours: false,
                interfaces: Vec::new(),
                lan: Vec::new(),
                max_entries: 64,
            },
            leases: Some(LeaseView::new(path)),
            neighbours: None,
            registry: registry.clone(),
            store: None,
            status: status.clone(),
            shutdown: CancellationToken::new(),
        };
        (r, registry, status)
    }

    fn temp_file(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("wf-refresher-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        dir.join(name)
    }

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn lease_file_changes_are_picked_up() {
        let path = temp_file("leases-changes");
        let later = Utc::now().timestamp() + 3600;
        std::fs::write(
            &path,
            format!("{later} b8:27:eb:00:00:01 192.168.4.10 kitchen-pi *\n0 garbage\n"),
        )
        .unwrap();
        let (mut r, registry, _) = refresher(path.clone());
        let (w, rx) = crate::store::test_writer_channel(16);
        r.store = Some(w);
        r.poll_leases();
        r.apply_all();
        assert_eq!(registry.describe(ip("192.168.4.10")).name, "kitchen-pi");
        assert_eq!(registry.stats.lease_bad_lines.load(Ordering::Relaxed), 1);
        // Unchanged: not read again, and nothing new to save.
        r.poll_leases();
        r.apply_all();
        assert_eq!(registry.stats.lease_reads.load(Ordering::Relaxed), 1);
        // Another device got the address; an expired lease is ignored.
        std::fs::write(
            &path,
            format!(
                "{later} da:a1:19:00:00:02 192.168.4.10 android-7 *\n\
                 1000 b8:27:eb:00:00:03 192.168.4.11 old-lease *\n"
            ),
        )
        .unwrap();
        r.poll_leases();
        r.apply_all();
        let info = registry.describe(ip("192.168.4.10"));
        assert_eq!(info.name, "android-7");
        assert!(info.randomised_mac);
        assert_eq!(registry.lookup(ip("192.168.4.11")), None);
        let saved: Vec<_> = rx.try_iter().map(|q| format!("{:?}", q.1)).collect();
        assert_eq!(saved.len(), 2, "{saved:?}");
        assert!(saved[0].contains("kitchen-pi") && saved[1].contains("android-7"));
        let _ = std::fs::remove_file(&path);
    }

    #[test]
    fn missing_lease_file_warns_once() {
        let (mut r, registry, status) = refresher(temp_file("does-not-exist"));
        r.poll_leases();
        r.poll_leases();
        r.apply_all();
        assert_eq!(registry.len(), 0);
        let w = status.snapshot().warnings;
        assert_eq!(w.len(), 1, "{w:?}");
        assert!(w[0].contains("devices.dnsmasq_leases"), "{w:?}");
    }

    #[test]
    fn interface_names_resolve() {
        assert_eq!(resolve_interfaces(&[], |_| panic!()), None);
        let mut missing = Vec::new();
        let got = resolve_interfaces(&["lo".into(), "no-such-if0".into()], |n| {
            missing.push(n.to_owned())
        });
        assert_eq!(got.map(|s| s.len()), Some(1));
        assert_eq!(missing, ["no-such-if0"]);
    }
}
