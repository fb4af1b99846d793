//! Scans: a device, or a host outside, probing many ports of one host or one port of many
//! hosts.
//!
//! Two feeds, one counter per source address in windows of `window_secs`:
//!
//! - **conntrack**: every connection attempt the kernel tracks — the SYN of a SYN scan and
//!   a full connect scan look the same there (a new flow per port), whether the port answered
//!   or not. From the correlator: the devices' flows out, and the flows it does not list
//!   (to the appliance itself, from outside).
//! - **NFLOG** (`nflog`): packets conntrack calls invalid and the ruleset logs. FIN, Xmas
//!   (FIN+PSH+URG) and Null (no flag) probes never belong to a connection, so conntrack marks
//!   them invalid and tracks nothing; the log rule is the only way to see them. They count
//!   like attempts, and `odd_flag_probes` of them (different targets) are a scan by themselves.
//!
//! Findings: `scan.ports` (`ports_per_host` different ports on one host), `scan.hosts`
//! (`hosts_per_port` different hosts of one /24 or /64 on the same port, reached without
//! looking their names up; ICMP echo counts as a port), `scan.odd_flags`. Each fires at most
//! once per source and window.

use std::collections::{HashMap, HashSet};
use std::net::IpAddr;

use ipnet::IpNet;
use rustc_hash::FxBuildHasher;

use super::rules::Preset;
use super::{lru, Lru};
use crate::correlate::LanFilter;
use crate::detect::alerts::Finding;
use crate::model::{AlertKind, AlertWords, DeviceId, Proto};

/// Thresholds (`[detect.scan]`).
#[derive(Clone, Debug, PartialEq)]
pub struct Settings {
    /// Different ports of one host in a window (0: off).
    pub ports_per_host: u32,
    /// Different hosts of one /24 (IPv6: /64) on one port in a window (0: off).
    pub hosts_per_port: u32,
    /// FIN/Xmas/Null probes to different ports or hosts in a window (0: off).
    pub odd_flag_probes: u32,
    /// The window, in seconds.
    pub window_secs: u64,
}

impl Settings {
    /// The preset's thresholds.
    pub fn for_preset(p: Preset) -> Self {
        let (ports_per_host, hosts_per_port, odd_flag_probes) = match p {
            Preset::Paranoid => (10, 10, 1),
            Preset::Normal => (20, 20, 3),
            Preset::Relaxed => (50, 50, 10),
        };
        Settings {
            ports_per_host,
            hosts_per_port,
            odd_flag_probes,
            window_secs: 60,
        }
    }
}

/// How a probe looked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ProbeKind {
    /// A connection attempt conntrack tracks (SYN or connect scan, UDP, ICMP echo).
    Connection,
    /// A lone SYN the ruleset logged (e.g. dropped at the firewall).
    Syn,
    /// FIN without ACK.
    Fin,
    /// FIN+PSH+URG without ACK.
    Xmas,
    /// No TCP flag at all.
    Null,
}

impl ProbeKind {
    /// FIN, Xmas and Null: never part of a real connection.
    pub fn is_odd(self) -> bool {
        matches!(self, ProbeKind::Fin | ProbeKind::Xmas | ProbeKind::Null)
    }

    fn name(self) -> &'static str {
        match self {
            ProbeKind::Connection => "connection",
            ProbeKind::Syn => "SYN",
            ProbeKind::Fin => "FIN",
            ProbeKind::Xmas => "Xmas",
            ProbeKind::Null => "Null",
        }
    }
}

/// One probe or connection attempt.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Attempt {
    /// Who sent it.
    pub src: IpAddr,
    /// Where to.
    pub dst: IpAddr,
    /// Destination port (ICMP: 0).
    pub port: u16,
    /// Transport protocol.
    pub proto: Proto,
    /// What it looked like.
    pub kind: ProbeKind,
    /// The device looked the destination up by name first (a flow the correlator named).
    /// A sweep goes through addresses, not names: named attempts do not count towards
    /// `hosts_per_port` (a busy web page reaches many addresses of one CDN network by name).
    pub named: bool,
    /// When, in ms since the epoch.
    pub at_ms: i64,
}

/// Sources followed at once; hosts, sweeps and odd probes followed per source and window.
const MAX_SOURCES: usize = 4_096;
const MAX_TARGETS: usize = 256;

const FIRED_PORTS: u8 = 1;
const FIRED_HOSTS: u8 = 2;
const FIRED_ODD: u8 = 4;

struct SourceWindow {
    start: i64,
    /// Ports tried per host.
    ports: HashMap<IpAddr, HashSet<u16, FxBuildHasher>, FxBuildHasher>,
    /// Hosts tried per (protocol, port, network).
    hosts: HashMap<(u8, u16, IpNet), HashSet<IpAddr, FxBuildHasher>, FxBuildHasher>,
    /// Odd probes' targets, and which kinds were seen (bit per kind).
    odd: HashSet<(IpAddr, u16), FxBuildHasher>,
    odd_kinds: Vec<ProbeKind>,
    fired: u8,
}

impl SourceWindow {
    fn new(start: i64) -> Self {
        SourceWindow {
            start,
            ports: HashMap::default(),
            hosts: HashMap::default(),
            odd: HashSet::default(),
            odd_kinds: Vec::new(),
            fired: 0,
        }
    }
}

impl SourceWindow {
    /// Ports tried on the destination: the count once it reaches `limit` (0: off).
    fn count_port(&mut self, a: &Attempt, limit: u32) -> Option<usize> {
        let tcp_or_udp = matches!(a.proto, Proto::Tcp | Proto::Udp);
        if limit == 0 || !tcp_or_udp || self.fired & FIRED_PORTS != 0 {
            return None;
        }
        let n = self.ports.len();
        let set = match self.ports.get_mut(&a.dst) {
            Some(set) => set,
            None if n < MAX_TARGETS => self.ports.entry(a.dst).or_default(),
            None => return None,
        };
        set.insert(a.port);
        (set.len() >= limit as usize).then_some(set.len())
    }

    /// Hosts of the destination's network tried on the same protocol and port (named
    /// attempts aside): the count once it reaches `limit` (0: off).
    fn count_host(&mut self, a: &Attempt, limit: u32) -> Option<usize> {
        let sweepable = matches!(a.proto, Proto::Tcp | Proto::Udp | Proto::Icmp) && !a.named;
        if limit == 0 || !sweepable || self.fired & FIRED_HOSTS != 0 {
            return None;
        }
        let key = (proto_number(a.proto), a.port, network_of(a.dst));
        let n = self.hosts.len();
        let set = match self.hosts.get_mut(&key) {
            Some(set) => set,
            None if n < MAX_TARGETS => self.hosts.entry(key).or_default(),
            None => return None,
        };
        set.insert(a.dst);
        (set.len() >= limit as usize).then_some(set.len())
    }

    /// Odd-flag probes: whether they reached `limit` (0: off).
    fn count_odd(&mut self, a: &Attempt, limit: u32) -> bool {
        if limit == 0 || !a.kind.is_odd() || self.fired & FIRED_ODD != 0 {
            return false;
        }
        if self.odd.len() < MAX_TARGETS {
            self.odd.insert((a.dst, a.port));
        }
        if !self.odd_kinds.contains(&a.kind) {
            self.odd_kinds.push(a.kind);
        }
        self.odd.len() >= limit as usize
    }
}

/// Which rules one attempt made fire, with the counts they reached.
struct Hit {
    ports: Option<usize>,
    hosts: Option<usize>,
    odd: bool,
}

impl Hit {
    fn fired(&self) -> u8 {
        let mut f = 0;
        if self.ports.is_some() {
            f |= FIRED_PORTS;
        }
        if self.hosts.is_some() {
            f |= FIRED_HOSTS;
        }
        if self.odd {
            f |= FIRED_ODD;
        }
        f
    }
}

/// The findings for the rules `hit` fired, in plain words.
fn report(
    a: &Attempt,
    device: Option<DeviceId>,
    hit: &Hit,
    w: &SourceWindow,
    secs: u64,
    out: &mut Vec<Finding>,
) {
    let odd_kinds: Vec<&str> = w.odd_kinds.iter().map(|k| k.name()).collect();
    let who = match device {
        Some(d) => d.to_string(),
        None => format!("An outside host, {},", a.src),
    };
    let how = if !odd_kinds.is_empty() {
        format!("{} probes", odd_kinds.join("/"))
    } else if a.kind == ProbeKind::Connection {
        "connection attempts (a SYN or connect scan)".to_owned()
    } else {
        format!("{} probes", a.kind.name())
    };
    // The catalogue's words (`alert-msg-scan-*`): who, how and the numbers.
    let common = [
        (
            "who",
            device.map_or_else(|| a.src.to_string(), |d| d.to_string()),
        ),
        (
            "outside",
            if device.is_some() { "no" } else { "yes" }.to_string(),
        ),
        (
            "how",
            if odd_kinds.is_empty() && a.kind == ProbeKind::Connection {
                "connection"
            } else {
                "probes"
            }
            .to_string(),
        ),
        (
            "probes",
            if odd_kinds.is_empty() {
                a.kind.name().to_string()
            } else {
                odd_kinds.join("/")
            },
        ),
        ("seconds", secs.to_string()),
    ];
    let mut push = |rule: &'static str,
                    message: String,
                    port: Option<u16>,
                    words: (&'static str, Vec<(&'static str, String)>)| {
        let mut f = Finding::new(AlertKind::Scan, rule, message);
        f.device = device;
        f.remote_ip = Some(if device.is_some() { a.dst } else { a.src });
        f.port = port;
        f.words = Some(AlertWords::new(
            words.0,
            common.iter().cloned().chain(words.1),
        ));
        out.push(f);
    };
    if let Some(ports_hit) = hit.ports {
        push(
            "scan.ports",
            format!(
                "{who} tried {ports_hit} different ports on {} within {secs} seconds \
                 ({how}): a port scan looks for services to break into.",
                a.dst
            ),
            None,
            (
                "scan-ports",
                vec![
                    ("ports", ports_hit.to_string()),
                    ("target", a.dst.to_string()),
                ],
            ),
        );
    }
    if let Some(hosts_hit) = hit.hosts {
        let what = if a.proto == Proto::Icmp {
            "pinged".to_owned()
        } else {
            format!("tried port {} on", a.port)
        };
        push(
            "scan.hosts",
            format!(
                "{who} {what} {hosts_hit} different hosts of {} within {secs} seconds \
                 ({how}): a sweep looks for machines to attack.",
                network_of(a.dst)
            ),
            Some(a.port),
            (
                "scan-hosts",
                vec![
                    ("hosts", hosts_hit.to_string()),
                    ("network", network_of(a.dst).to_string()),
                    (
                        "icmp",
                        if a.proto == Proto::Icmp { "yes" } else { "no" }.to_string(),
                    ),
                    ("port", a.port.to_string()),
                ],
            ),
        );
    }
    if hit.odd {
        push(
            "scan.odd_flags",
            format!(
                "{who} sent {} {} probes to {} within {secs} seconds: packets with \
                 flag combinations no normal connection uses, made to sneak a port scan \
                 past firewalls.",
                w.odd.len(),
                odd_kinds.join("/"),
                a.dst
            ),
            None,
            (
                "scan-odd",
                vec![
                    ("n", w.odd.len().to_string()),
                    ("target", a.dst.to_string()),
                ],
            ),
        );
    }
}

/// The detector.
pub struct Scan {
    s: Settings,
    lan: LanFilter,
    sources: Lru<IpAddr, SourceWindow>,
}

fn network_of(ip: IpAddr) -> IpNet {
    let prefix = if ip.is_ipv4() { 24 } else { 64 };
    IpNet::new(ip, prefix)
        .map(|n| n.trunc())
        .unwrap_or_else(|_| IpNet::from(ip))
}

fn proto_number(p: Proto) -> u8 {
    match p {
        Proto::Tcp => 6,
        Proto::Udp => 17,
        Proto::Icmp => 1,
        Proto::Other(n) => n,
    }
}

impl Scan {
    /// A detector; `lan` tells devices from outside hosts.
    pub fn new(s: Settings, lan: LanFilter) -> Self {
        Scan {
            s,
            lan,
            sources: lru(MAX_SOURCES),
        }
    }

    /// Count one attempt.
    pub fn on_attempt(&mut self, a: Attempt, out: &mut Vec<Finding>) {
        let s = &self.s;
        let window_ms = (s.window_secs as i64).saturating_mul(1000);
        let w = self
            .sources
            .get_or_insert_mut(a.src, || SourceWindow::new(a.at_ms));
        if a.at_ms - w.start >= window_ms || a.at_ms < w.start {
            *w = SourceWindow::new(a.at_ms);
        }
        let hit = Hit {
            ports: w.count_port(&a, s.ports_per_host),
            hosts: w.count_host(&a, s.hosts_per_port),
            odd: w.count_odd(&a, s.odd_flag_probes),
        };
        let fired = hit.fired();
        if fired == 0 {
            return;
        }
        w.fired |= fired;
        let device = self.lan.is_device(a.src).then_some(DeviceId(a.src));
        report(&a, device, &hit, w, s.window_secs, out);
    }

    /// Sources followed (the tests check the bound).
    #[cfg(test)]
    fn len(&self) -> usize {
        self.sources.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lan() -> LanFilter {
        LanFilter::new(vec!["192.0.2.0/24".parse().unwrap()])
    }

    fn att(src: &str, dst: &str, port: u16, proto: Proto, kind: ProbeKind, ms: i64) -> Attempt {
        Attempt {
            src: src.parse().unwrap(),
            dst: dst.parse().unwrap(),
            port,
            proto,
            kind,
            named: false,
            at_ms: 1_794_000_000_000 + ms,
        }
    }

    fn run(s: Settings, attempts: &[Attempt]) -> Vec<Finding> {
        let mut d = Scan::new(s, lan());
        let mut out = Vec::new();
        for a in attempts {
            d.on_attempt(*a, &mut out);
        }
        out
    }

    #[test]
    fn traffic_table() {
        use ProbeKind::*;
        use Proto::*;
        let dev = "192.0.2.10";
        // A busy web page: 60 hosts on 443 in many networks, a few ports each at most.
        let browsing: Vec<Attempt> = (0..300)
            .map(|i| {
                let host = format!("203.0.{}.{}", 100 + i % 30, 1 + i % 2);
                att(
                    dev,
                    &host,
                    [443, 443, 443, 80][i % 4],
                    Tcp,
                    Connection,
                    i as i64 * 50,
                )
            })
            .collect();
        let quic_and_dns: Vec<Attempt> = (0..200)
            .map(|i| {
                let (host, port) = if i % 2 == 0 {
                    (format!("198.51.{}.7", i % 100), 443)
                } else {
                    ("192.0.2.1".into(), 53)
                };
                att(dev, &host, port, Udp, Connection, i as i64 * 100)
            })
            .collect();
        let syn_scan: Vec<Attempt> = (0..100)
            .map(|p| att(dev, "203.0.113.7", 1000 + p, Tcp, Connection, p as i64 * 5))
            .collect();
        let slow_scan: Vec<Attempt> = (0..100)
            .map(|p| {
                att(
                    dev,
                    "203.0.113.7",
                    1000 + p,
                    Tcp,
                    Connection,
                    p as i64 * 5_000,
                )
            })
            .collect();
        let sweep: Vec<Attempt> = (0..30)
            .map(|h| {
                att(
                    dev,
                    &format!("203.0.113.{}", 10 + h),
                    22,
                    Tcp,
                    Connection,
                    h as i64,
                )
            })
            .collect();
        // 30 addresses of one CDN network on 443, each looked up by name first.
        let cdn: Vec<Attempt> = (0..30)
            .map(|h| Attempt {
                named: true,
                ..att(
                    dev,
                    &format!("151.101.1.{}", 10 + h),
                    443,
                    Tcp,
                    Connection,
                    h as i64,
                )
            })
            .collect();
        let ping_sweep: Vec<Attempt> = (0..30)
            .map(|h| {
                att(
                    dev,
                    &format!("203.0.113.{}", 10 + h),
                    0,
                    Icmp,
                    Connection,
                    h as i64,
                )
            })
            .collect();
        let fin_scan: Vec<Attempt> = (0..4)
            .map(|p| {
                att(
                    dev,
                    "203.0.113.7",
                    20 + p,
                    Tcp,
                    [Fin, Xmas, Null, Fin][p as usize],
                    0,
                )
            })
            .collect();
        let outside: Vec<Attempt> = (0..25)
            .map(|p| att("198.51.100.2", "198.51.100.1", 1 + p, Tcp, Syn, p as i64))
            .collect();
        let normal = || Settings::for_preset(Preset::Normal);
        let cases: Vec<(&str, Settings, &[Attempt], Vec<&str>)> = vec![
            ("browsing", normal(), &browsing, vec![]),
            (
                "browsing, paranoid",
                Settings::for_preset(Preset::Paranoid),
                &browsing,
                vec![],
            ),
            ("QUIC and DNS", normal(), &quic_and_dns, vec![]),
            (
                "100 ports in 0.5 s",
                normal(),
                &syn_scan,
                vec!["scan.ports"],
            ),
            ("100 ports in 500 s", normal(), &slow_scan, vec![]),
            (
                "100 ports, relaxed",
                Settings::for_preset(Preset::Relaxed),
                &syn_scan,
                vec!["scan.ports"],
            ),
            ("30 hosts on port 22", normal(), &sweep, vec!["scan.hosts"]),
            ("ping sweep", normal(), &ping_sweep, vec!["scan.hosts"]),
            ("30 CDN hosts by name", normal(), &cdn, vec![]),
            ("FIN/Xmas/Null", normal(), &fin_scan, vec!["scan.odd_flags"]),
            ("outside host", normal(), &outside, vec!["scan.ports"]),
            (
                "ports check off",
                Settings {
                    ports_per_host: 0,
                    ..normal()
                },
                &syn_scan,
                vec![],
            ),
        ];
        for (what, s, attempts, want) in cases {
            let got: Vec<String> = run(s, attempts)
                .iter()
                .map(|f| f.rule.to_string())
                .collect();
            assert_eq!(got, want, "{what}");
        }
        let f = &run(normal(), &fin_scan)[0];
        assert_eq!(f.device, Some(DeviceId(dev.parse().unwrap())));
        assert!(f.message.contains("FIN/Xmas/Null"), "{}", f.message);
        let f = &run(normal(), &outside)[0];
        assert_eq!(f.device, None);
        assert_eq!(f.remote_ip, Some("198.51.100.2".parse().unwrap()));
        assert!(
            f.message.starts_with("An outside host, 198.51.100.2,"),
            "{}",
            f.message
        );
    }

    #[test]
    fn bounded() {
        let mut d = Scan::new(Settings::for_preset(Preset::Normal), lan());
        let mut out = Vec::new();
        for i in 0..20_000u32 {
            let src = IpAddr::from(std::net::Ipv4Addr::from(0xc633_0000u32 + i));
            let a = Attempt {
                src,
                dst: "198.51.100.1".parse().unwrap(),
                port: 22,
                proto: Proto::Tcp,
                kind: ProbeKind::Syn,
                named: false,
                at_ms: i64::from(i),
            };
            d.on_attempt(a, &mut out);
        }
        assert_eq!(d.len(), MAX_SOURCES);
        assert!(out.is_empty());
    }
}
