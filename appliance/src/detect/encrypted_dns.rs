//! Encrypted-DNS bypass: a device resolving names without this appliance, so the names it
//! visits cannot be shown.
//!
//! - `encrypted_dns.dot`: a flow to port 853 (DNS over TLS, TCP; DNS over QUIC, UDP).
//! - `encrypted_dns.doh`: a flow to port 443 of a known DNS-over-HTTPS resolver, by name
//!   (`dns.google`, `cloudflare-dns.com`, ... and `doh_domains`) or by address (`8.8.8.8`,
//!   `1.1.1.1`, ... and `doh_addresses`).
//! - `encrypted_dns.no_dns`: a device that uses this appliance's DNS (at least
//!   `no_dns_min_answers` answers in the last `no_dns_window_secs`) opens flows to
//!   `no_dns_flows` different addresses it never looked up here, in the same window. A device
//!   is given `no_dns_settle_secs` after it is first seen, since it may have names cached from
//!   before it joined. NTP (port 123) and flows without ports are not counted.

use std::collections::HashSet;
use std::net::IpAddr;

use rustc_hash::FxBuildHasher;

use super::rules::{under, Preset};
use super::{lru, Lru};
use crate::detect::alerts::Finding;
use crate::model::{AlertKind, AlertWords, DeviceId, FlowRecord, Proto};

/// Public DNS-over-HTTPS resolvers' names (and every name under them).
pub const DOH_DOMAINS: &[&str] = &[
    "dns.google",
    "dns.google.com",
    "cloudflare-dns.com",
    "one.one.one.one",
    "dns.quad9.net",
    "dns9.quad9.net",
    "dns10.quad9.net",
    "dns11.quad9.net",
    "doh.opendns.com",
    "doh.familyshield.opendns.com",
    "dns.nextdns.io",
    "doh.cleanbrowsing.org",
    "dns.adguard-dns.com",
    "dns.adguard.com",
    "doh.mullvad.net",
    "dns.mullvad.net",
    "doh.dns.sb",
    "dns.controld.com",
    "freedns.controld.com",
    "doh.libredns.gr",
    "dns.alidns.com",
    "doh.pub",
    "dns.twnic.tw",
    "doh.applied-privacy.net",
    "dns0.eu",
    "dns.switch.ch",
    "doh.ffmuc.net",
    "odvr.nic.cz",
    "ordns.he.net",
    "doh.xfinity.com",
];

/// Public resolvers' addresses (DNS over HTTPS on 443, over TLS on 853).
pub const DOH_ADDRESSES: &[&str] = &[
    "1.1.1.1",
    "1.0.0.1",
    "1.1.1.2",
    "1.0.0.2",
    "1.1.1.3",
    "1.0.0.3",
    "8.8.8.8",
    "8.8.4.4",
    "9.9.9.9",
    "149.112.112.112",
    "9.9.9.10",
    "9.9.9.11",
    "208.67.222.222",
    "208.67.220.220",
    "94.140.14.14",
    "94.140.15.15",
    "194.242.2.2",
    "185.222.222.222",
    "76.76.2.0",
    "185.228.168.168",
    "193.110.81.0",
    "223.5.5.5",
    "223.6.6.6",
    "2606:4700:4700::1111",
    "2606:4700:4700::1001",
    "2001:4860:4860::8888",
    "2001:4860:4860::8844",
    "2620:fe::fe",
    "2620:fe::9",
    "2620:119:35::35",
    "2620:119:53::53",
    "2a10:50c0::ad1:ff",
    "2a07:e340::2",
];

/// Settings (`[detect.encrypted_dns]`).
#[derive(Clone, Debug, PartialEq)]
pub struct Settings {
    /// Report port 853.
    pub dot: bool,
    /// Report known DoH resolvers.
    pub doh: bool,
    /// DoH resolvers' names besides the built-in ones.
    pub doh_domains: Vec<String>,
    /// DoH resolvers' addresses besides the built-in ones.
    pub doh_addresses: Vec<IpAddr>,
    /// Different addresses opened without DNS in the window before a finding (0: off).
    pub no_dns_flows: u32,
    /// The window, in seconds.
    pub no_dns_window_secs: u64,
    /// Answers from this appliance in the window for a device to count as using it.
    pub no_dns_min_answers: u32,
    /// Seconds after a device is first seen before it is judged.
    pub no_dns_settle_secs: u64,
}

impl Settings {
    /// The preset's settings.
    pub fn for_preset(p: Preset) -> Self {
        let (no_dns_flows, no_dns_min_answers, no_dns_settle_secs) = match p {
            Preset::Paranoid => (3, 3, 120),
            Preset::Normal => (10, 5, 300),
            Preset::Relaxed => (0, 5, 300),
        };
        Settings {
            dot: true,
            doh: true,
            doh_domains: Vec::new(),
            doh_addresses: Vec::new(),
            no_dns_flows,
            no_dns_window_secs: 300,
            no_dns_min_answers,
            no_dns_settle_secs,
        }
    }
}

const MAX_DEVICES: usize = 4_096;
const BUCKETS: usize = 10;

/// Per device: since when it is known, its answers per tenth of the window, the addresses it
/// opened without DNS.
struct DeviceState {
    first: i64,
    answers: [u32; BUCKETS],
    bucket: i64,
    no_dns: Vec<(IpAddr, i64)>,
    fired: i64,
}

impl DeviceState {
    fn new(now: i64) -> Self {
        DeviceState {
            first: now,
            answers: [0; BUCKETS],
            bucket: 0,
            no_dns: Vec::new(),
            fired: i64::MIN / 2,
        }
    }

    /// Move the answer buckets forward to `now` (each `step` ms long).
    fn advance(&mut self, now: i64, step: i64) {
        let b = now.div_euclid(step.max(1));
        if b > self.bucket {
            let n = (b - self.bucket).min(BUCKETS as i64);
            for k in 1..=n {
                self.answers[(self.bucket + k).rem_euclid(BUCKETS as i64) as usize] = 0;
            }
            self.bucket = b;
        }
    }
}

/// The detector.
pub struct EncryptedDns {
    s: Settings,
    domains: Vec<String>,
    addresses: HashSet<IpAddr, FxBuildHasher>,
    devices: Lru<IpAddr, DeviceState>,
}

impl EncryptedDns {
    /// A detector with these settings.
    pub fn new(s: Settings) -> Self {
        let mut domains: Vec<String> = DOH_DOMAINS.iter().map(|d| (*d).to_owned()).collect();
        domains.extend(s.doh_domains.iter().map(|d| d.to_ascii_lowercase()));
        let mut addresses: HashSet<IpAddr, FxBuildHasher> = DOH_ADDRESSES
            .iter()
            .filter_map(|a| a.parse().ok())
            .collect();
        addresses.extend(s.doh_addresses.iter().copied());
        EncryptedDns {
            s,
            domains,
            addresses,
            devices: lru(MAX_DEVICES),
        }
    }

    fn step_ms(&self) -> i64 {
        (self.s.no_dns_window_secs as i64 * 1000 / BUCKETS as i64).max(1)
    }

    /// A device got an answer from this appliance (at `now`, ms since the epoch).
    pub fn on_answer(&mut self, device: DeviceId, now: i64) {
        if self.s.no_dns_flows == 0 {
            return;
        }
        let step = self.step_ms();
        let d = self
            .devices
            .get_or_insert_mut(device.ip(), || DeviceState::new(now));
        d.advance(now, step);
        d.answers[d.bucket.rem_euclid(BUCKETS as i64) as usize] += 1;
    }

    /// A flow appeared (at `now_ms`).
    pub fn on_new_flow(&mut self, f: &FlowRecord, now_ms: i64, out: &mut Vec<Finding>) {
        let dev = f.device_ip;
        let finding = |rule: &'static str, message: String| {
            let mut x = Finding::new(AlertKind::EncryptedDns, rule, message);
            x.device = Some(DeviceId(dev.ip()));
            x.remote_ip = Some(f.remote_ip);
            x.domain = f.domain.clone();
            x.org = f.enrichment.org.clone();
            x.country = f.enrichment.country.clone();
            x.category = f.enrichment.category;
            x.port = Some(f.remote_port);
            x
        };
        let tcp_or_udp = matches!(f.proto, Proto::Tcp | Proto::Udp);
        let to = match &f.domain {
            Some(d) => format!("{d} ({})", f.remote_ip),
            None => f.remote_ip.to_string(),
        };
        if self.s.dot && tcp_or_udp && f.remote_port == 853 {
            let how = if f.proto == Proto::Udp {
                "DNS over QUIC"
            } else {
                "DNS over TLS"
            };
            let mut x = finding(
                "encrypted_dns.dot",
                format!(
                    "{dev} opened an encrypted DNS connection ({how}, port 853) to {to}. Its \
                     lookups go around this appliance, so the names it visits are not shown."
                ),
            );
            x.words = Some(AlertWords::new(
                "encrypted-dns-dot",
                [
                    ("device", dev.to_string()),
                    ("how", how.to_string()),
                    ("to", to.clone()),
                ],
            ));
            out.push(x);
        } else if self.s.doh
            && f.remote_port == 443
            && (self.addresses.contains(&f.remote_ip)
                || f.domain
                    .as_ref()
                    .is_some_and(|d| self.domains.iter().any(|z| under(d.as_str(), z))))
        {
            let mut x = finding(
                "encrypted_dns.doh",
                format!(
                    "{dev} connected to {to}, a public DNS-over-HTTPS resolver. Its lookups go \
                     around this appliance, encrypted, so the names it visits are not shown."
                ),
            );
            x.words = Some(AlertWords::new(
                "encrypted-dns-doh",
                [("device", dev.to_string()), ("to", to.clone())],
            ));
            out.push(x);
        }
        if self.s.no_dns_flows == 0
            || f.domain.is_some()
            || !tcp_or_udp
            || f.remote_port == 123
            || f.remote_port == 0
        {
            return;
        }
        let step = self.step_ms();
        let window = self.s.no_dns_window_secs as i64 * 1000;
        let s = &self.s;
        let d = self
            .devices
            .get_or_insert_mut(dev.ip(), || DeviceState::new(now_ms));
        d.advance(now_ms, step);
        let answers: u32 = d.answers.iter().sum();
        if now_ms - d.first < s.no_dns_settle_secs as i64 * 1000 || answers < s.no_dns_min_answers {
            return;
        }
        d.no_dns.retain(|&(_, t)| now_ms - t < window);
        let full = d.no_dns.len() >= 256;
        match d.no_dns.iter_mut().find(|(ip, _)| *ip == f.remote_ip) {
            Some(e) => e.1 = now_ms,
            None if !full => d.no_dns.push((f.remote_ip, now_ms)),
            None => {}
        }
        let n = d.no_dns.len();
        if n >= s.no_dns_flows as usize && now_ms - d.fired >= window {
            d.fired = now_ms;
            let minutes = s.no_dns_window_secs.div_ceil(60);
            let mut x = finding(
                "encrypted_dns.no_dns",
                format!(
                    "{dev} looks names up through this appliance, yet within {minutes} minutes \
                     it opened connections to {n} addresses it never looked up here (the \
                     latest: {}). It may resolve names another way (encrypted DNS built into an \
                     app or browser), or use addresses written into an app.",
                    f.remote_ip
                ),
            );
            x.words = Some(AlertWords::new(
                "encrypted-dns-no-dns",
                [
                    ("device", dev.to_string()),
                    ("minutes", minutes.to_string()),
                    ("n", n.to_string()),
                    ("latest", f.remote_ip.to_string()),
                ],
            ));
            out.push(x);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Domain;
    use crate::model::Enrichment;
    use crate::model::FlowKey;
    use crate::model::{DnsLogEntry, FlowState};
    use chrono::{DateTime, Utc};

    const T0: i64 = 1_794_000_000_000;

    fn flow(id: u32, ip: &str, port: u16, proto: Proto, domain: Option<&str>) -> FlowRecord {
        FlowRecord {
            id: format!("{id}-1"),
            key: FlowKey { id, start_ns: 1 },
            device_ip: DeviceId("192.0.2.10".parse().unwrap()),
            remote_ip: ip.parse().unwrap(),
            remote_port: port,
            local_port: None,
            proto,
            domain: domain.map(|d| Domain::new(d).unwrap()),
            candidates: vec![],
            bytes_up: 0,
            bytes_down: 0,
            packets_up: 0,
            packets_down: 0,
            first_seen: DateTime::<Utc>::from_timestamp(1_794_000_000, 0).unwrap(),
            last_seen: DateTime::<Utc>::from_timestamp(1_794_000_000, 0).unwrap(),
            state: FlowState::Open,
            enrichment: Enrichment::default(),
        }
    }

    fn answer(s: i64) -> DnsLogEntry {
        DnsLogEntry {
            device_ip: DeviceId("192.0.2.10".parse().unwrap()),
            name: Domain::new("www.example.test").unwrap(),
            qtype: "A".into(),
            rcode: "NOERROR".into(),
            chain: vec![],
            addrs: vec![],
            ttl: 60,
            at: DateTime::<Utc>::from_timestamp_millis(T0 + s * 1000).unwrap(),
            blocked: false,
            repeats: 1,
        }
    }

    enum Ev {
        Answer(i64),
        Flow(i64, Box<FlowRecord>),
    }

    fn run(s: Settings, evs: Vec<Ev>) -> Vec<String> {
        let mut d = EncryptedDns::new(s);
        let mut out = Vec::new();
        for e in evs {
            match e {
                Ev::Answer(t) => {
                    let a = answer(t);
                    d.on_answer(a.device_ip, a.at.timestamp_millis())
                }
                Ev::Flow(t, f) => d.on_new_flow(&f, T0 + t * 1000, &mut out),
            }
        }
        out.into_iter().map(|f| f.rule.into_owned()).collect()
    }

    /// An answer at 0 s and 20 in the minute before `t`, then at `t` 12 flows without DNS to
    /// 12 addresses.
    fn no_dns_at(t: i64, named: bool) -> Vec<Ev> {
        let mut v = vec![Ev::Answer(0)];
        v.extend((0..20).map(|i| Ev::Answer(t - 60 + i)));
        v.extend((0..12).map(|i| {
            let d = named.then_some("www.example.test");
            let f = flow(
                i as u32,
                &format!("203.0.113.{}", 10 + i),
                443,
                Proto::Tcp,
                d,
            );
            Ev::Flow(t + i, Box::new(f))
        }));
        v
    }

    #[test]
    fn flows_table() {
        use Proto::*;
        let normal = || Settings::for_preset(Preset::Normal);
        let one = |f: FlowRecord| vec![Ev::Flow(0, Box::new(f))];
        let cases: Vec<(&str, Settings, Vec<Ev>, Vec<&str>)> = vec![
            (
                "https by name",
                normal(),
                one(flow(1, "203.0.113.10", 443, Tcp, Some("www.example.test"))),
                vec![],
            ),
            (
                "DoT",
                normal(),
                one(flow(1, "203.0.113.53", 853, Tcp, None)),
                vec!["encrypted_dns.dot"],
            ),
            (
                "DoQ",
                normal(),
                one(flow(1, "203.0.113.53", 853, Udp, None)),
                vec!["encrypted_dns.dot"],
            ),
            (
                "DoT off",
                Settings {
                    dot: false,
                    ..normal()
                },
                one(flow(1, "203.0.113.53", 853, Tcp, None)),
                vec![],
            ),
            (
                "DoH by name",
                normal(),
                one(flow(1, "203.0.113.53", 443, Tcp, Some("dns.google"))),
                vec!["encrypted_dns.doh"],
            ),
            (
                "DoH by name, under",
                normal(),
                one(flow(
                    1,
                    "203.0.113.53",
                    443,
                    Tcp,
                    Some("mozilla.cloudflare-dns.com"),
                )),
                vec!["encrypted_dns.doh"],
            ),
            (
                "DoH by address",
                normal(),
                one(flow(1, "1.1.1.1", 443, Udp, None)),
                vec!["encrypted_dns.doh"],
            ),
            (
                "DoH, configured",
                Settings {
                    doh_domains: vec!["doh.example.test".into()],
                    ..normal()
                },
                one(flow(1, "203.0.113.9", 443, Tcp, Some("doh.example.test"))),
                vec!["encrypted_dns.doh"],
            ),
            (
                "port 80 to 1.1.1.1",
                normal(),
                one(flow(1, "1.1.1.1", 80, Tcp, None)),
                vec![],
            ),
            (
                "12 no-DNS flows after settling",
                normal(),
                no_dns_at(400, false),
                vec!["encrypted_dns.no_dns"],
            ),
            ("12 named flows", normal(), no_dns_at(400, true), vec![]),
            (
                "12 no-DNS flows while settling",
                normal(),
                no_dns_at(100, false),
                vec![],
            ),
            (
                "12 no-DNS flows, relaxed",
                Settings::for_preset(Preset::Relaxed),
                no_dns_at(400, false),
                vec![],
            ),
            (
                "no-DNS flows long after the last answer",
                normal(),
                {
                    let mut v = no_dns_at(400, false);
                    // Move the flows 10 minutes past the answers.
                    for e in &mut v {
                        if let Ev::Flow(t, _) = e {
                            *t += 600;
                        }
                    }
                    v
                },
                vec![],
            ),
            (
                "a device that never uses our DNS",
                normal(),
                (0..30)
                    .map(|i| {
                        let f = flow(i as u32, &format!("203.0.113.{i}"), 443, Tcp, None);
                        Ev::Flow(400 + i, Box::new(f))
                    })
                    .collect(),
                vec![],
            ),
        ];
        for (what, s, evs, want) in cases {
            assert_eq!(run(s, evs), want, "{what}");
        }
    }
}
