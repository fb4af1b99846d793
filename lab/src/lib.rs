//! Network-namespace test lab for whereflow: a few client devices behind a NAT router, and a
//! dead-end "internet" with authoritative DNS servers and TCP/UDP test servers.
//!
//! One [`Lab`] value is one independent lab; several may exist at once (parallel tests). Every
//! namespace is named `wf<pid>x<n>-<role>` (role `r` router, `i` internet, `d0`, `d1`, ...
//! devices, or the tag given to [`Lab::add_uplink_host`]), so labs of one process and of
//! different processes never collide, and [`cleanup_stale`] can remove what a dead process
//! left behind.
//!
//! ```text
//!  device namespaces          router namespace                      internet namespace
//! +---------------------+    +-------------------------------+    +-------------------------------+
//! | d0: eth0            |    |  d0 -+                        |    |                               |
//! |  192.0.2.10/24      |----|      |  br0 (bridge, the LAN) |    |  eth0 198.51.100.2/24         |
//! |  2001:db8:1::a/64   |    |  d1 -+  192.0.2.1/24          |    |       2001:db8:100::2/64      |
//! +---------------------+    |      |  2001:db8:1::1/64      |    |  nsd #0 198.51.100.53         |
//! | d1: eth0            |----|  d2 -+                        |    |         2001:db8:100::53      |
//! |  192.0.2.11 / ::b   |    |                               |    |  nsd #1 198.51.100.54         |
//! +---------------------+    |  wan0 198.51.100.1/24 --------|----|         2001:db8:100::54      |
//! | d2: eth0            |----|       2001:db8:100::1/64      |    |  local (AnyIP) routes:        |
//! |  192.0.2.12 / ::c   |    |  nft: oifname wan0 masquerade |    |   203.0.113.0/24              |
//! +---------------------+    |  (IPv4 and IPv6)              |    |   2001:db8:2::/64             |
//!   default via router       |  default via 198.51.100.2     |    |  TcpServer / UdpServer on [::]|
//!                            +-------------------------------+    |  NO default route: dead end   |
//!                                                                 +-------------------------------+
//! ```
//!
//! * Device `i` has 192.0.2.(10+i)/24 and 2001:db8:1::(10+i as hex)/64 on `eth0`, MAC
//!   `02:77:66:00:00:xx` (xx = 10+i in hex), default routes via the router's LAN addresses.
//! * The router forwards (IPv4 and IPv6), masquerades everything leaving `wan0`, and has
//!   `nf_conntrack_acct`, `nf_conntrack_timestamp` and `nf_conntrack_events` set to 1 before any
//!   traffic. This is where the whereflow daemon runs in tests (`lab.command(lab.router(), ..)`).
//! * The internet namespace owns all of 203.0.113.0/24 and 2001:db8:2::/64 (local routes on `lo`),
//!   so a server bound to `[::]` answers on any address there; it has routes back to the LAN
//!   ranges (unused while NAT is on) and no other routes. Two nsd instances serve the
//!   [`Zone`]s given in [`LabOptions`].
//! * [`Lab::add_uplink_host`] puts another host on the router's uplink (e.g. an off-path
//!   attacker): a namespace whose `eth0` is a macvlan of the internet host's `eth0`, so it sends
//!   and receives on the same link as the router's `wan0`, with its own MAC and address.
//! * Nothing is connected to the host's own network namespace: no veth end, route or NAT rule
//!   leaves the lab. Only documentation address ranges are used.
//!
//! Everything needs root. [`Lab`]'s `Drop` stops the servers, kills every process in the lab's
//! namespaces (including ones the test started there, such as the daemon), deletes the
//! namespaces and removes the lab's temporary directory, also while a test panics.
//!
//! ```no_run
//! use whereflow_lab::{Lab, LabOptions, Zone};
//! let lab = Lab::build(LabOptions {
//!     devices: 3,
//!     zones: vec![Zone::new("example.test").a("www", "203.0.113.10")],
//! })?;
//! let server = lab.tcp_server(8080)?;
//! // 4-byte header (the reply size) + 1000 bytes up, 5000 bytes down.
//! let x = lab.tcp_exchange(0, "203.0.113.10:8080".parse()?, 1000, 5000)?;
//! assert_eq!((x.sent, x.received), (1004, 5000));
//! assert_eq!(server.received(), 1004);
//! let addrs = lab.resolve(1, lab.upstreams()[0], "www.example.test", "A", false)?;
//! # Ok::<(), anyhow::Error>(())
//! ```

#![warn(missing_docs)]

mod dns;
mod server;
mod sys;
mod zone;

use std::fs::File;
use std::io::{Read, Write};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, TcpStream, UdpSocket};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::str::FromStr;
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::sync::{Arc, Mutex, Once};
use std::time::{Duration, Instant};

use anyhow::{anyhow, bail, Context, Result};
use hickory_proto::rr::RecordType;

pub use dns::{query, DnsReply};
pub use server::{TcpConnection, TcpServer, UdpServer};
pub use zone::Zone;

/// The LAN's IPv4 prefix.
pub const LAN_V4: &str = "192.0.2.0/24";
/// The LAN's IPv6 prefix.
pub const LAN_V6: &str = "2001:db8:1::/64";
/// The router's LAN IPv4 address (on `br0`).
pub const ROUTER_LAN_V4: Ipv4Addr = Ipv4Addr::new(192, 0, 2, 1);
/// The router's LAN IPv6 address (on `br0`).
pub const ROUTER_LAN_V6: Ipv6Addr = Ipv6Addr::new(0x2001, 0xdb8, 1, 0, 0, 0, 0, 1);
/// The router's WAN IPv4 address (on `wan0`): what servers see as the source after NAT.
pub const ROUTER_WAN_V4: Ipv4Addr = Ipv4Addr::new(198, 51, 100, 1);
/// The router's WAN IPv6 address (on `wan0`): what servers see as the source after NAT66.
pub const ROUTER_WAN_V6: Ipv6Addr = Ipv6Addr::new(0x2001, 0xdb8, 0x100, 0, 0, 0, 0, 1);
/// The internet host's own IPv4 address (on its `eth0`).
pub const INTERNET_V4: Ipv4Addr = Ipv4Addr::new(198, 51, 100, 2);
/// The internet host's own IPv6 address.
pub const INTERNET_V6: Ipv6Addr = Ipv6Addr::new(0x2001, 0xdb8, 0x100, 0, 0, 0, 0, 2);
/// The IPv4 range the internet namespace answers on as a whole (servers, test targets).
pub const SERVERS_V4: &str = "203.0.113.0/24";
/// The IPv6 range the internet namespace answers on as a whole.
pub const SERVERS_V6: &str = "2001:db8:2::/64";
/// Most devices a lab can have (addresses 192.0.2.10 ..= 192.0.2.254).
pub const MAX_DEVICES: usize = 245;

/// How long [`Lab::build`] and [`Lab::start_upstream`] wait for nsd to answer.
const NSD_START_LIMIT: Duration = Duration::from_secs(15);

/// One host of the lab: its namespace and its main addresses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Host {
    /// The network namespace name (for `ip netns exec`, `/run/netns/<name>`).
    pub netns: String,
    /// Main IPv4 address (devices: 192.0.2.(10+i); router: 192.0.2.1; internet: 198.51.100.2).
    pub ipv4: Ipv4Addr,
    /// Main IPv6 address (devices: 2001:db8:1::(10+i); router: 2001:db8:1::1; internet:
    /// 2001:db8:100::2).
    pub ipv6: Ipv6Addr,
    /// MAC address of its main interface (devices `eth0`, router `br0`, internet `eth0`), lower
    /// case with colons.
    pub mac: String,
}

/// What to build.
#[derive(Debug, Clone)]
pub struct LabOptions {
    /// Number of device namespaces (1 ..= [`MAX_DEVICES`]).
    pub devices: usize,
    /// Zones both authoritative servers serve (may be empty: they then answer REFUSED).
    pub zones: Vec<Zone>,
}

impl Default for LabOptions {
    /// Three devices, no zones.
    fn default() -> Self {
        LabOptions {
            devices: 3,
            zones: Vec::new(),
        }
    }
}

/// What [`Lab::tcp_exchange`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TcpExchange {
    /// The client's address inside the device namespace (before NAT).
    pub local: SocketAddr,
    /// Where it connected to.
    pub peer: SocketAddr,
    /// Bytes sent: the 4-byte header plus the `send` filler bytes.
    pub sent: u64,
    /// Bytes received back.
    pub received: u64,
}

/// What [`Lab::udp_exchange`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UdpExchange {
    /// The client's address inside the device namespace (before NAT).
    pub local: SocketAddr,
    /// Where it sent to.
    pub peer: SocketAddr,
    /// Payload bytes sent.
    pub sent: u64,
    /// Payload bytes received back.
    pub received: u64,
    /// Datagrams sent (each was echoed, or the exchange failed).
    pub datagrams: usize,
}

/// One nsd instance.
struct Upstream {
    v4: SocketAddr,
    v6: SocketAddr,
    conf: PathBuf,
    stderr: PathBuf,
    child: Mutex<Option<Child>>,
}

/// A built lab: namespaces, links, NAT and two running nsd servers. See the crate docs.
///
/// Dropping it kills everything it started (and every process still in its namespaces), deletes
/// its namespaces and removes its temporary directory.
pub struct Lab {
    name: String,
    namespaces: Vec<String>,
    devices: Vec<Host>,
    router: Host,
    internet: Host,
    dir: PathBuf,
    upstreams: Vec<Upstream>,
    stop: Arc<AtomicBool>,
}

static LAB_COUNTER: AtomicU32 = AtomicU32::new(0);
static CLEANUP: Once = Once::new();

/// The MAC address used for `02:77:66:00:<a>:<b>`.
fn mac(a: u8, b: u8) -> String {
    format!("02:77:66:00:{a:02x}:{b:02x}")
}

/// Fails unless running as root, with a message that says so.
pub fn require_root() -> Result<()> {
    // SAFETY: geteuid has no preconditions.
    if unsafe { libc::geteuid() } != 0 {
        bail!(
            "whereflow-lab needs root (it creates network namespaces, veth links and nftables \
             rules); run the tests as root, e.g. `sudo -E cargo test`"
        );
    }
    Ok(())
}

/// Runs `f` on a new thread inside the named network namespace and returns its result.
///
/// Sockets created in `f` stay in that namespace, even when used from other threads later.
/// See [`Lab::in_netns`] for what else does and does not follow the namespace.
pub fn in_netns<T: Send + 'static>(
    netns: &str,
    f: impl FnOnce() -> T + Send + 'static,
) -> Result<T> {
    sys::in_netns(netns, f)
}

/// Removes labs left behind by processes that no longer exist: namespaces named
/// `wf<pid>x<n>-...` (after killing what runs in them) and temporary directories
/// `whereflow-lab-<pid>-<n>`. [`Lab::build`] calls it once per process.
pub fn cleanup_stale() {
    let dead = |pid: &str| {
        pid.parse::<u32>()
            .map(|p| !sys::pid_alive(p))
            .unwrap_or(false)
    };
    if let Ok(dir) = std::fs::read_dir(sys::NETNS_DIR) {
        for entry in dir.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            let Some(rest) = name.strip_prefix("wf") else {
                continue;
            };
            let Some((pid, tail)) = rest.split_once('x') else {
                continue;
            };
            if tail.contains('-') && dead(pid) {
                if let Err(e) = sys::delete_netns(&name) {
                    eprintln!("whereflow-lab: removing stale namespace {name}: {e:#}");
                }
            }
        }
    }
    if let Ok(dir) = std::fs::read_dir(std::env::temp_dir()) {
        for entry in dir.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if let Some(pid) = name
                .strip_prefix("whereflow-lab-")
                .and_then(|r| r.split_once('-'))
                .map(|(p, _)| p)
            {
                if dead(pid) {
                    let _ = std::fs::remove_dir_all(entry.path());
                }
            }
        }
    }
}

impl Lab {
    /// Builds a lab: namespaces, links, addresses, routes, sysctls, NAT; writes the zones and
    /// starts both nsd servers, waiting (bounded) until each answers on IPv4 and IPv6.
    ///
    /// Fails with a clear message when not root, on a bad zone (nsd-checkzone's output), or when
    /// nsd does not come up (its stderr). Whatever was built so far is removed on failure.
    pub fn build(opts: LabOptions) -> Result<Lab> {
        require_root()?;
        if opts.devices == 0 || opts.devices > MAX_DEVICES {
            bail!(
                "LabOptions::devices must be 1..={MAX_DEVICES}, not {}",
                opts.devices
            );
        }
        for z in &opts.zones {
            z.validate()?;
        }
        CLEANUP.call_once(cleanup_stale);

        let pid = std::process::id();
        let n = LAB_COUNTER.fetch_add(1, Ordering::SeqCst);
        let name = format!("wf{pid}x{n}");
        let dir = std::env::temp_dir().join(format!("whereflow-lab-{pid}-{n}"));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;

        let router = Host {
            netns: format!("{name}-r"),
            ipv4: ROUTER_LAN_V4,
            ipv6: ROUTER_LAN_V6,
            mac: mac(0, 1),
        };
        let internet = Host {
            netns: format!("{name}-i"),
            ipv4: INTERNET_V4,
            ipv6: INTERNET_V6,
            mac: mac(1, 2),
        };
        let devices = (0..opts.devices)
            .map(|i| {
                let host = 10 + i as u16;
                Host {
                    netns: format!("{name}-d{i}"),
                    ipv4: Ipv4Addr::new(192, 0, 2, host as u8),
                    ipv6: Ipv6Addr::new(0x2001, 0xdb8, 1, 0, 0, 0, 0, host),
                    mac: mac(0, host as u8),
                }
            })
            .collect();
        // From here on, Drop cleans up whatever exists if a step fails.
        let mut lab = Lab {
            name,
            namespaces: Vec::new(),
            devices,
            router,
            internet,
            dir,
            upstreams: Vec::new(),
            stop: Arc::new(AtomicBool::new(false)),
        };
        lab.build_network()?;
        lab.start_dns(&opts.zones)?;
        Ok(lab)
    }

    fn build_network(&mut self) -> Result<()> {
        let r = self.router.netns.clone();
        let i = self.internet.netns.clone();
        let all: Vec<String> = [r.clone(), i.clone()]
            .into_iter()
            .chain(self.devices.iter().map(|d| d.netns.clone()))
            .collect();
        for ns in &all {
            sys::run(Command::new("ip").args(["netns", "add", ns]), None)?;
            self.namespaces.push(ns.clone());
            // Before any interface exists, so every interface skips DAD and ignores RAs.
            sys::sysctls(
                ns,
                &[
                    ("net.ipv6.conf.all.accept_dad", "0"),
                    ("net.ipv6.conf.default.accept_dad", "0"),
                    ("net.ipv6.conf.all.accept_ra", "0"),
                    ("net.ipv6.conf.default.accept_ra", "0"),
                ],
            )?;
        }
        // Conntrack settings before any traffic (whereflow reads byte counts and timestamps).
        sys::sysctls(
            &r,
            &[
                ("net.netfilter.nf_conntrack_acct", "1"),
                ("net.netfilter.nf_conntrack_timestamp", "1"),
                ("net.netfilter.nf_conntrack_events", "1"),
            ],
        )?;

        // Router: the LAN bridge, the WAN link, one veth per device.
        let mut lines = vec![
            "link set lo up".to_string(),
            "link add br0 type bridge forward_delay 0 stp_state 0 mcast_snooping 0".into(),
            format!("link set br0 address {}", self.router.mac),
            format!("addr add {ROUTER_LAN_V4}/24 dev br0"),
            format!("addr add {ROUTER_LAN_V6}/64 dev br0 nodad"),
            "link set br0 up".into(),
            format!("link add wan0 type veth peer name eth0 netns {i}"),
            format!("link set wan0 address {}", mac(1, 1)),
            format!("addr add {ROUTER_WAN_V4}/24 dev wan0"),
            format!("addr add {ROUTER_WAN_V6}/64 dev wan0 nodad"),
            "link set wan0 up".into(),
            format!("route add default via {INTERNET_V4}"),
            format!("route add default via {INTERNET_V6}"),
        ];
        for (k, d) in self.devices.iter().enumerate() {
            lines.push(format!(
                "link add d{k} type veth peer name eth0 netns {}",
                d.netns
            ));
            lines.push(format!("link set d{k} master br0"));
            lines.push(format!("link set d{k} up"));
        }
        sys::ip_batch(&r, &lines)?;
        sys::sysctls(
            &r,
            &[
                ("net.ipv4.ip_forward", "1"),
                ("net.ipv6.conf.all.forwarding", "1"),
            ],
        )?;
        sys::netns_exec(
            &r,
            &["nft", "-f", "-"],
            Some(
                "table inet nat {\n\
                 \tchain postrouting {\n\
                 \t\ttype nat hook postrouting priority srcnat; policy accept;\n\
                 \t\toifname \"wan0\" masquerade\n\
                 \t}\n\
                 }\n",
            ),
        )?;

        // Internet: its own addresses, the DNS servers' addresses, AnyIP ranges, return routes.
        let lines = vec![
            "link set lo up".to_string(),
            format!("link set eth0 address {}", self.internet.mac),
            "link set eth0 up".into(),
            format!("addr add {INTERNET_V4}/24 dev eth0"),
            format!("addr add {INTERNET_V6}/64 dev eth0 nodad"),
            "addr add 198.51.100.53/24 dev eth0".into(),
            "addr add 198.51.100.54/24 dev eth0".into(),
            "addr add 2001:db8:100::53/64 dev eth0 nodad".into(),
            "addr add 2001:db8:100::54/64 dev eth0 nodad".into(),
            format!("route add local {SERVERS_V4} dev lo"),
            format!("route add local {SERVERS_V6} dev lo"),
            format!("route add {LAN_V4} via {ROUTER_WAN_V4}"),
            format!("route add {LAN_V6} via {ROUTER_WAN_V6}"),
        ];
        sys::ip_batch(&i, &lines)?;

        for d in &self.devices {
            let lines = vec![
                "link set lo up".to_string(),
                format!("link set eth0 address {}", d.mac),
                "link set eth0 up".into(),
                format!("addr add {}/24 dev eth0", d.ipv4),
                format!("addr add {}/64 dev eth0 nodad", d.ipv6),
                format!("route add default via {ROUTER_LAN_V4}"),
                format!("route add default via {ROUTER_LAN_V6}"),
            ];
            sys::ip_batch(&d.netns, &lines)?;
        }
        Ok(())
    }

    fn start_dns(&mut self, zones: &[Zone]) -> Result<()> {
        let zdir = self.dir.join("zones");
        std::fs::create_dir_all(&zdir)?;
        let mut zone_conf = String::new();
        for (k, z) in zones.iter().enumerate() {
            let file = format!("zone{k}.zone");
            let path = zdir.join(&file);
            std::fs::write(&path, z.to_zone_file())?;
            let out = Command::new("nsd-checkzone")
                .arg(z.conf_name())
                .arg(&path)
                .output()
                .context("running nsd-checkzone (is nsd installed?)")?;
            if !out.status.success() {
                bail!(
                    "zone {} does not load: {}{}\nzone file:\n{}",
                    z.origin(),
                    String::from_utf8_lossy(&out.stdout),
                    String::from_utf8_lossy(&out.stderr),
                    z.to_zone_file()
                );
            }
            zone_conf.push_str(&format!(
                "zone:\n\tname: \"{}\"\n\tzonefile: \"{}\"\n",
                z.conf_name(),
                file
            ));
        }
        for k in 0..2u8 {
            let ndir = self.dir.join(format!("nsd{k}"));
            std::fs::create_dir_all(ndir.join("xfr"))?;
            let v4 = Ipv4Addr::new(198, 51, 100, 53 + k);
            let v6: Ipv6Addr = format!("2001:db8:100::{}", 53 + k).parse()?;
            let conf = format!(
                "server:\n\
                 \tip-address: {v4}\n\
                 \tip-address: {v6}\n\
                 \tport: 53\n\
                 \tserver-count: 1\n\
                 \tusername: \"\"\n\
                 \tchroot: \"\"\n\
                 \tzonesdir: \"{zdir}\"\n\
                 \tdatabase: \"\"\n\
                 \tzonelistfile: \"{n}/zone.list\"\n\
                 \txfrdfile: \"{n}/xfrd.state\"\n\
                 \txfrdir: \"{n}/xfr\"\n\
                 \tpidfile: \"{n}/nsd.pid\"\n\
                 \tverbosity: 1\n\
                 \thide-version: no\n\
                 \trefuse-any: no\n\
                 \ttcp-count: 200\n\
                 \ttcp-timeout: 10\n\
                 remote-control:\n\
                 \tcontrol-enable: no\n\
                 {zone_conf}",
                zdir = zdir.display(),
                n = ndir.display(),
            );
            let conf_path = ndir.join("nsd.conf");
            std::fs::write(&conf_path, conf)?;
            sys::run(Command::new("nsd-checkconf").arg(&conf_path), None)
                .context("nsd-checkconf rejected the generated nsd.conf")?;
            self.upstreams.push(Upstream {
                v4: SocketAddr::new(v4.into(), 53),
                v6: SocketAddr::new(v6.into(), 53),
                conf: conf_path,
                stderr: ndir.join("stderr.log"),
                child: Mutex::new(None),
            });
        }
        for k in 0..self.upstreams.len() {
            self.start_upstream(k)?;
        }
        Ok(())
    }

    /// The lab's name prefix (`wf<pid>x<n>`); every namespace name starts with it.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The lab's temporary directory (removed on drop): a place for test files, e.g. a daemon's
    /// config. nsd's files live under `zones/`, `nsd0/` and `nsd1/` in it.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The device hosts, in order (device `i` has 192.0.2.(10+i)).
    pub fn devices(&self) -> &[Host] {
        &self.devices
    }

    /// Gives device `i`'s `eth0` another MAC address (`aa:bb:cc:dd:ee:ff`), e.g. one with a
    /// real vendor prefix instead of the lab's locally administered `02:77:66:...`, and records
    /// it in [`Host::mac`]. Do it before the device sends traffic (neighbours cache the old one).
    pub fn set_device_mac(&mut self, i: usize, mac: &str) -> Result<()> {
        let valid = mac.len() == 17
            && mac.split(':').count() == 6
            && mac
                .split(':')
                .all(|b| b.len() == 2 && b.chars().all(|c| c.is_ascii_hexdigit()));
        if !valid {
            bail!("{mac:?} is not a MAC address (aa:bb:cc:dd:ee:ff)");
        }
        let mac = mac.to_ascii_lowercase();
        let netns = self.device(i)?.netns.clone();
        sys::ip_batch(&netns, &[format!("link set eth0 address {mac}")])?;
        if let Some(d) = self.devices.get_mut(i) {
            d.mac = mac;
        }
        Ok(())
    }

    /// The router (LAN addresses 192.0.2.1 / 2001:db8:1::1; WAN addresses are
    /// [`ROUTER_WAN_V4`] / [`ROUTER_WAN_V6`]).
    pub fn router(&self) -> &Host {
        &self.router
    }

    /// The internet host (198.51.100.2 / 2001:db8:100::2).
    pub fn internet(&self) -> &Host {
        &self.internet
    }

    /// Adds a host on the router's uplink, beside the internet host: namespace
    /// `<lab name>-<tag>`, whose `eth0` (a macvlan on the internet host's `eth0`, MAC
    /// `02:77:66:00:02:xx`) has `198.51.100.<octet>/24` and `2001:db8:100::<octet>/64` (the
    /// octet's decimal digits read as hex, as for the DNS servers' `::53`). It reaches the router's
    /// `wan0` (and other uplink hosts) at layer 2, but not the internet host itself: a macvlan
    /// does not talk to its lower device. No routes besides the link's. Removed with the lab.
    ///
    /// `tag`: 1 to 4 lower-case letters other than `r`, `i` and `d`; `octet`: 3 to 250, not
    /// one of the lab's own (53, 54) nor another uplink host's.
    pub fn add_uplink_host(&mut self, tag: &str, octet: u8) -> Result<Host> {
        let tag_ok = (1..=4).contains(&tag.len())
            && tag.chars().all(|c| c.is_ascii_lowercase())
            && !["r", "i"].contains(&tag)
            && !tag.starts_with('d');
        if !tag_ok {
            bail!("uplink host tag {tag:?}: 1 to 4 lower-case letters, not r, i or d...");
        }
        let netns = format!("{}-{tag}", self.name);
        let ipv4 = Ipv4Addr::new(198, 51, 100, octet);
        if !(3..=250).contains(&octet) || octet == 53 || octet == 54 {
            bail!("uplink host address {ipv4}: the octet must be 3..=250 and not 53 or 54");
        }
        if self.namespaces.contains(&netns) {
            bail!("an uplink host {tag:?} exists already");
        }
        let ipv6: Ipv6Addr = format!("2001:db8:100::{octet}")
            .parse()
            .context("uplink host IPv6 address")?;
        let host = Host {
            netns: netns.clone(),
            ipv4,
            ipv6,
            mac: mac(2, octet),
        };
        sys::run(Command::new("ip").args(["netns", "add", &netns]), None)?;
        self.namespaces.push(netns.clone());
        sys::sysctls(
            &netns,
            &[
                ("net.ipv6.conf.all.accept_dad", "0"),
                ("net.ipv6.conf.default.accept_dad", "0"),
                ("net.ipv6.conf.all.accept_ra", "0"),
                ("net.ipv6.conf.default.accept_ra", "0"),
            ],
        )?;
        let link = format!("up-{tag}");
        sys::ip_batch(
            &self.internet.netns,
            &[
                format!("link add link eth0 name {link} type macvlan mode bridge"),
                format!("link set {link} netns {netns}"),
            ],
        )?;
        sys::ip_batch(
            &netns,
            &[
                "link set lo up".to_string(),
                format!("link set {link} name eth0"),
                format!("link set eth0 address {}", host.mac),
                format!("addr add {ipv4}/24 dev eth0"),
                format!("addr add {ipv6}/64 dev eth0 nodad"),
                "link set eth0 up".into(),
            ],
        )?;
        Ok(host)
    }

    /// The LAN prefixes: `["192.0.2.0/24", "2001:db8:1::/64"]`.
    pub fn lan_ranges(&self) -> [&'static str; 2] {
        [LAN_V4, LAN_V6]
    }

    /// The two authoritative servers' IPv4 addresses, in order: 198.51.100.53:53, 198.51.100.54:53.
    pub fn upstreams(&self) -> Vec<SocketAddr> {
        self.upstreams.iter().map(|u| u.v4).collect()
    }

    /// The two authoritative servers' IPv6 addresses, in order: `[2001:db8:100::53]:53`,
    /// `[2001:db8:100::54]:53`.
    pub fn upstreams_v6(&self) -> Vec<SocketAddr> {
        self.upstreams.iter().map(|u| u.v6).collect()
    }

    /// Kills nsd number `i` (0 or 1) and waits until it is gone; a no-op if it is not running.
    pub fn stop_upstream(&self, i: usize) -> Result<()> {
        let up = self.upstream(i)?;
        let mut guard = up
            .child
            .lock()
            .map_err(|_| anyhow!("upstream lock poisoned"))?;
        if let Some(child) = guard.take() {
            stop_child(child, Duration::from_secs(3));
        }
        Ok(())
    }

    /// Starts nsd number `i` (0 or 1) and waits until it answers on IPv4 and IPv6; a no-op if it
    /// runs already. Fails with nsd's stderr if it exits or does not answer within 15 s.
    pub fn start_upstream(&self, i: usize) -> Result<()> {
        let up = self.upstream(i)?;
        let mut guard = up
            .child
            .lock()
            .map_err(|_| anyhow!("upstream lock poisoned"))?;
        if let Some(child) = guard.as_mut() {
            if child.try_wait()?.is_none() {
                return Ok(());
            }
            *guard = None;
        }
        let log = File::create(&up.stderr)
            .with_context(|| format!("creating {}", up.stderr.display()))?;
        let child = Command::new("ip")
            .args(["netns", "exec", &self.internet.netns, "nsd", "-d", "-c"])
            .arg(&up.conf)
            .stdin(Stdio::null())
            .stdout(log.try_clone()?)
            .stderr(log)
            .process_group(0)
            .spawn()
            .context("starting nsd (is nsd installed?)")?;
        *guard = Some(child);
        let child = guard.as_mut().context("nsd child just stored")?;
        let deadline = Instant::now() + NSD_START_LIMIT;
        let mut pending = vec![up.v4, up.v6];
        while let Some(&target) = pending.first() {
            if let Some(status) = child.try_wait()? {
                let stderr = std::fs::read_to_string(&up.stderr).unwrap_or_default();
                *guard = None;
                bail!("nsd #{i} exited ({status}) before answering; its output:\n{stderr}");
            }
            let answered = sys::in_netns(&self.internet.netns, move || {
                query(
                    target,
                    "probe.lab.invalid",
                    RecordType::SOA,
                    false,
                    Duration::from_millis(300),
                )
            })?
            .is_ok();
            if answered {
                pending.remove(0);
            } else if Instant::now() > deadline {
                let stderr = std::fs::read_to_string(&up.stderr).unwrap_or_default();
                let child = guard.take().context("nsd child running")?;
                stop_child(child, Duration::from_secs(1));
                bail!(
                    "nsd #{i} did not answer on {target} within {NSD_START_LIMIT:?}; its output:\n{stderr}"
                );
            }
        }
        Ok(())
    }

    fn upstream(&self, i: usize) -> Result<&Upstream> {
        self.upstreams
            .get(i)
            .ok_or_else(|| anyhow!("no upstream {i}: the lab has {}", self.upstreams.len()))
    }

    fn device(&self, i: usize) -> Result<&Host> {
        self.devices
            .get(i)
            .ok_or_else(|| anyhow!("no device {i}: the lab has {}", self.devices.len()))
    }

    /// `ip netns exec <host's netns> <program>`: add arguments and run it. Processes still in a
    /// lab namespace when the lab drops are killed.
    pub fn command(&self, host: &Host, program: &str) -> Command {
        let mut c = Command::new("ip");
        c.args(["netns", "exec", &host.netns, program]);
        c
    }

    /// Runs `f` on a new thread after setns(2) into `host`'s network namespace and returns what
    /// it returned (an error if it panicked). Sockets created in `f` stay in that namespace.
    ///
    /// Only the network namespace changes: inside `f`, `/proc/sys/net/...` and netlink sockets
    /// follow `host`, but `/proc/self/net/...` (and `/proc/net`) still show the
    /// process's main thread, so read `/proc/thread-self/net/...` instead; `/sys/class/net` is
    /// the root namespace's (use [`Lab::command`] with `ip` for that).
    pub fn in_netns<T: Send + 'static>(
        &self,
        host: &Host,
        f: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T> {
        sys::in_netns(&host.netns, f)
    }

    /// Starts a [`TcpServer`] in the internet namespace on `[::]:port` (port 0 picks one; see
    /// [`TcpServer::port`]).
    pub fn tcp_server(&self, port: u16) -> Result<TcpServer> {
        TcpServer::start(&self.internet.netns, port, self.stop.clone())
    }

    /// Starts a [`UdpServer`] (echo) in the internet namespace on `[::]:port`.
    pub fn udp_server(&self, port: u16) -> Result<UdpServer> {
        UdpServer::start(&self.internet.netns, port, self.stop.clone())
    }

    /// From device `device`: connects to `to` (a [`TcpServer`]), sends the 4-byte big-endian
    /// `reply` header followed by `send` filler bytes (so `send + 4` bytes in all), shuts down
    /// sending, and reads until EOF (the server answers with `reply` bytes).
    pub fn tcp_exchange(
        &self,
        device: usize,
        to: SocketAddr,
        send: usize,
        reply: u32,
    ) -> Result<TcpExchange> {
        let host = self.device(device)?;
        let r = self.in_netns(host, move || -> Result<TcpExchange> {
            let mut s = TcpStream::connect_timeout(&to, Duration::from_secs(3))
                .with_context(|| format!("connecting to {to}"))?;
            s.set_read_timeout(Some(Duration::from_secs(10)))?;
            s.set_write_timeout(Some(Duration::from_secs(10)))?;
            let local = s.local_addr()?;
            let mut data = vec![0xa5u8; send + 4];
            data[..4].copy_from_slice(&reply.to_be_bytes());
            s.write_all(&data).context("sending")?;
            s.shutdown(std::net::Shutdown::Write)?;
            let mut received = 0u64;
            let mut buf = vec![0u8; 64 * 1024];
            loop {
                match s.read(&mut buf) {
                    Ok(0) => break,
                    Ok(n) => received += n as u64,
                    Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                    Err(e) => return Err(e).context("receiving"),
                }
            }
            Ok(TcpExchange {
                local,
                peer: to,
                sent: send as u64 + 4,
                received,
            })
        });
        r?.with_context(|| format!("tcp_exchange from device {device} to {to}"))
    }

    /// From device `device`: sends one datagram per entry of `payloads` (its size) to `to` (a
    /// [`UdpServer`]) from one socket, waiting up to 2 s for each echo; fails on a missing or
    /// wrong-sized echo.
    pub fn udp_exchange(
        &self,
        device: usize,
        to: SocketAddr,
        payloads: &[usize],
    ) -> Result<UdpExchange> {
        let host = self.device(device)?;
        let payloads = payloads.to_vec();
        let r = self.in_netns(host, move || -> Result<UdpExchange> {
            let bind: SocketAddr = if to.is_ipv4() {
                "0.0.0.0:0".parse()?
            } else {
                "[::]:0".parse()?
            };
            let s = UdpSocket::bind(bind)?;
            s.connect(to)?;
            s.set_read_timeout(Some(Duration::from_secs(2)))?;
            let local = s.local_addr()?;
            let mut buf = vec![0u8; 65536];
            let (mut sent, mut received) = (0u64, 0u64);
            for (k, &size) in payloads.iter().enumerate() {
                let data = vec![(k % 251) as u8; size];
                s.send(&data)
                    .with_context(|| format!("sending datagram {k}"))?;
                sent += size as u64;
                let n = s
                    .recv(&mut buf)
                    .with_context(|| format!("waiting for the echo of datagram {k}"))?;
                if n != size {
                    bail!("echo of datagram {k} has {n} bytes, sent {size}");
                }
                received += n as u64;
            }
            Ok(UdpExchange {
                local,
                peer: to,
                sent,
                received,
                datagrams: payloads.len(),
            })
        });
        r?.with_context(|| format!("udp_exchange from device {device} to {to}"))
    }

    /// From device `device`: asks `server` for `name`/`qtype` (`"A"`, `"AAAA"`, ...) over UDP or
    /// TCP and returns the A/AAAA addresses of the answer (empty for NXDOMAIN/NODATA). Fails on
    /// timeout (3 s) or an unparsable reply.
    pub fn resolve(
        &self,
        device: usize,
        server: SocketAddr,
        name: &str,
        qtype: &str,
        tcp: bool,
    ) -> Result<Vec<IpAddr>> {
        let qtype = RecordType::from_str(qtype)
            .map_err(|e| anyhow!("unknown query type {qtype:?}: {e}"))?;
        Ok(self.query(device, server, name, qtype, tcp)?.addresses())
    }

    /// Like [`Lab::resolve`], but takes a [`RecordType`] and returns the whole [`DnsReply`]
    /// (the decoded message and the round-trip time).
    pub fn query(
        &self,
        device: usize,
        server: SocketAddr,
        name: &str,
        qtype: RecordType,
        tcp: bool,
    ) -> Result<DnsReply> {
        let host = self.device(device)?;
        let name = name.to_string();
        self.in_netns(host, move || {
            query(server, &name, qtype, tcp, Duration::from_secs(3))
        })?
    }
}

/// SIGTERMs a child's process group, SIGKILLs it after `grace`, and reaps it.
fn stop_child(mut child: Child, grace: Duration) {
    let pgid = child.id();
    sys::kill_group(pgid, libc::SIGTERM);
    let deadline = Instant::now() + grace;
    while Instant::now() < deadline {
        if let Ok(Some(_)) = child.try_wait() {
            break;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    // Also takes nsd's forked children if they outlived the main process.
    sys::kill_group(pgid, libc::SIGKILL);
    let _ = child.wait();
}

impl Drop for Lab {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        for up in &self.upstreams {
            let child = match up.child.lock() {
                Ok(mut g) => g.take(),
                Err(poisoned) => poisoned.into_inner().take(),
            };
            if let Some(child) = child {
                stop_child(child, Duration::ZERO);
            }
        }
        for ns in self.namespaces.iter().rev() {
            if let Err(e) = sys::delete_netns(ns) {
                eprintln!("whereflow-lab: deleting namespace {ns}: {e:#}");
            }
        }
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
