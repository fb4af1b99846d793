//! DNS tunnelling: data hidden in the names a device looks up (or in TXT answers).
//!
//! Tools such as iodine or dnscat2 encode data into the labels of names under a domain whose
//! name server they run, so every lookup carries a chunk out (and TXT answers a chunk back).
//! Three signs, each counted per device and registrable domain in windows of one minute
//! (from the first lookup of the window):
//!
//! - **over-long names**: longer than `long_name_chars`, or with a label of at least
//!   `long_label_chars` whose character entropy is at least `label_entropy_bits` (random-looking
//!   data rather than a word or a repeated character); alert at `long_names_per_minute`;
//! - **many different names** under one domain: `unique_subdomains_per_minute`;
//! - **TXT-heavy**: `txt_queries_per_minute` TXT (or NULL) lookups.
//!
//! A threshold of 0 turns that sign off. Each sign raises at most one finding per window.

use std::collections::HashSet;
use std::net::IpAddr;

use rustc_hash::FxBuildHasher;

use super::rules::Preset;
use super::{hash_str, lru, Lru};
use crate::detect::alerts::Finding;
use crate::dns::answer::DnsAnswer;
use crate::enrich::suffix::registrable_str;
use crate::model::{AlertKind, AlertWords, DeviceId, DnsLogEntry, Domain};

/// Thresholds (`[detect.dns_tunnel]`).
#[derive(Clone, Debug, PartialEq)]
pub struct Settings {
    /// A name longer than this (in characters, without the final dot) is over-long.
    pub long_name_chars: usize,
    /// A label at least this long counts when its entropy is high enough.
    pub long_label_chars: usize,
    /// Shannon entropy (bits per character) of such a label that looks like data.
    pub label_entropy_bits: f64,
    /// Over-long names per device and domain in a minute before a finding (0: off).
    pub long_names_per_minute: u32,
    /// Different names per device and domain in a minute before a finding (0: off).
    pub unique_subdomains_per_minute: u32,
    /// TXT/NULL lookups per device and domain in a minute before a finding (0: off).
    pub txt_queries_per_minute: u32,
}

impl Settings {
    /// The preset's thresholds.
    pub fn for_preset(p: Preset) -> Self {
        match p {
            Preset::Paranoid => Settings {
                long_name_chars: 80,
                long_label_chars: 30,
                label_entropy_bits: 3.2,
                long_names_per_minute: 1,
                unique_subdomains_per_minute: 40,
                txt_queries_per_minute: 8,
            },
            Preset::Normal => Settings {
                long_name_chars: 100,
                long_label_chars: 40,
                label_entropy_bits: 3.5,
                long_names_per_minute: 3,
                unique_subdomains_per_minute: 100,
                txt_queries_per_minute: 20,
            },
            Preset::Relaxed => Settings {
                long_name_chars: 150,
                long_label_chars: 52,
                label_entropy_bits: 4.0,
                long_names_per_minute: 10,
                unique_subdomains_per_minute: 300,
                txt_queries_per_minute: 60,
            },
        }
    }
}

/// Names up to this long travel inside [`DnsSeen`] itself.
const INLINE: usize = 38;

/// The name of a [`DnsSeen`]: inline when short (most names), else on the heap.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Name {
    Inline { len: u8, bytes: [u8; INLINE] },
    Heap(Box<str>),
}

/// One answer as the DNS detectors need it. Names up to 38 bytes (most) are kept inline, so
/// handing one from the correlator to the detector task allocates nothing and leaves nothing
/// for the other thread to free (cross-thread frees were most of the detectors' cost on the
/// DNS path; `docs/BENCHMARKS.md`).
#[derive(Clone, PartialEq, Eq)]
pub struct DnsSeen {
    /// The device that asked.
    pub device: DeviceId,
    name: Name,
    /// The record type asked for (16 TXT, 10 NULL, ...).
    pub qtype: u16,
    /// When it was answered, in ms since the epoch.
    pub at_ms: i64,
}

/// Record types that carry data back (TXT, NULL).
const TXT: u16 = 16;
const NULL: u16 = 10;

impl DnsSeen {
    /// An answer to `device` for `name`.
    pub fn new(device: DeviceId, name: &str, qtype: u16, at_ms: i64) -> Self {
        let name = if name.len() <= INLINE {
            let mut bytes = [0u8; INLINE];
            bytes[..name.len()].copy_from_slice(name.as_bytes());
            Name::Inline {
                len: name.len() as u8,
                bytes,
            }
        } else {
            Name::Heap(name.into())
        };
        DnsSeen {
            device,
            name,
            qtype,
            at_ms,
        }
    }

    /// The name asked for.
    pub fn name(&self) -> &str {
        match &self.name {
            // Whole `&str`s were copied in, so the bytes are UTF-8.
            Name::Inline { len, bytes } => {
                std::str::from_utf8(&bytes[..usize::from(*len)]).unwrap_or_default()
            }
            Name::Heap(s) => s,
        }
    }
}

impl std::fmt::Debug for DnsSeen {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DnsSeen")
            .field("device", &self.device)
            .field("name", &self.name())
            .field("qtype", &self.qtype)
            .field("at_ms", &self.at_ms)
            .finish()
    }
}

impl From<&DnsAnswer> for DnsSeen {
    fn from(a: &DnsAnswer) -> Self {
        DnsSeen::new(
            a.device,
            a.qname.as_str(),
            u16::from(a.qtype),
            a.at.timestamp_millis(),
        )
    }
}

impl From<&DnsLogEntry> for DnsSeen {
    fn from(e: &DnsLogEntry) -> Self {
        let qtype = e
            .qtype
            .parse::<hickory_proto::rr::RecordType>()
            .map(u16::from)
            .unwrap_or(0);
        DnsSeen::new(e.device_ip, e.name.as_str(), qtype, e.at.timestamp_millis())
    }
}

const WINDOW_MS: i64 = 60_000;
/// Device × domain windows kept (~100 bytes each plus the name set while it fills).
const MAX_WINDOWS: usize = 8_192;

const FIRED_LONG: u8 = 1;
const FIRED_UNIQUE: u8 = 2;
const FIRED_TXT: u8 = 4;

/// One device's lookups under one domain in the current minute.
struct Window {
    start: i64,
    long: u32,
    longest: usize,
    txt: u32,
    /// Hashes of the different names, up to the threshold.
    names: HashSet<u64, FxBuildHasher>,
    fired: u8,
}

impl Window {
    fn new(start: i64) -> Self {
        Window {
            start,
            long: 0,
            longest: 0,
            txt: 0,
            names: HashSet::default(),
            fired: 0,
        }
    }
}

/// The detector.
pub struct DnsTunnel {
    s: Settings,
    windows: Lru<(IpAddr, u64), Window>,
}

/// Shannon entropy of `label`'s bytes, in bits per character.
pub fn entropy_bits(label: &[u8]) -> f64 {
    if label.is_empty() {
        return 0.0;
    }
    let mut counts = [0u16; 256];
    for &b in label {
        counts[usize::from(b.to_ascii_lowercase())] += 1;
    }
    let n = label.len() as f64;
    counts
        .iter()
        .filter(|&&c| c > 0)
        .map(|&c| {
            let p = f64::from(c) / n;
            -p * p.log2()
        })
        .sum()
}

impl DnsTunnel {
    /// A detector with these thresholds.
    pub fn new(s: Settings) -> Self {
        DnsTunnel {
            s,
            windows: lru(MAX_WINDOWS),
        }
    }

    /// Is this name over-long (by length, or by a long random-looking label)?
    pub fn is_long(&self, name: &str) -> bool {
        if name.len() > self.s.long_name_chars {
            return true;
        }
        if name.len() < self.s.long_label_chars {
            return false;
        }
        name.split('.').any(|l| {
            l.len() >= self.s.long_label_chars
                && entropy_bits(l.as_bytes()) >= self.s.label_entropy_bits
        })
    }

    /// Look at one answer the forwarder gave.
    pub fn on_answer(&mut self, a: &DnsSeen, out: &mut Vec<Finding>) {
        let s = &self.s;
        if s.long_names_per_minute == 0
            && s.unique_subdomains_per_minute == 0
            && s.txt_queries_per_minute == 0
        {
            return;
        }
        let name = a.name();
        let now = a.at_ms;
        let zone = registrable_str(name).unwrap_or(name);
        let long = s.long_names_per_minute > 0 && self.is_long(name);
        let txt = s.txt_queries_per_minute > 0 && (a.qtype == TXT || a.qtype == NULL);
        let key = (a.device.ip(), hash_str(zone));
        let w = self.windows.get_or_insert_mut(key, || Window::new(now));
        if now - w.start >= WINDOW_MS || now < w.start {
            *w = Window::new(now);
        }
        let mut fired = 0u8;
        if long {
            w.long += 1;
            w.longest = w.longest.max(name.len());
            if w.long >= s.long_names_per_minute && w.fired & FIRED_LONG == 0 {
                fired |= FIRED_LONG;
            }
        }
        if txt {
            w.txt += 1;
            if w.txt >= s.txt_queries_per_minute && w.fired & FIRED_TXT == 0 {
                fired |= FIRED_TXT;
            }
        }
        let limit = s.unique_subdomains_per_minute as usize;
        if limit > 0 && w.fired & FIRED_UNIQUE == 0 {
            w.names.insert(hash_str(name));
            if w.names.len() >= limit {
                fired |= FIRED_UNIQUE;
                // The set has done its job for this window.
                w.names = HashSet::default();
            }
        }
        if fired == 0 {
            return;
        }
        w.fired |= fired;
        let (n_long, longest, n_txt) = (w.long, w.longest, w.txt);
        let dev = a.device;
        let zone_dom = Domain::new(zone).ok();
        let mut push = |rule: &'static str, message: String, words: AlertWords| {
            let mut f = Finding::new(AlertKind::DnsTunnel, rule, message);
            f.device = Some(dev);
            f.domain = zone_dom.clone();
            f.words = Some(words);
            out.push(f);
        };
        if fired & FIRED_LONG != 0 {
            push(
                "dns_tunnel.long_names",
                format!(
                    "{dev} looked up {n_long} unusually long, random-looking names under \
                     {zone} within a minute (the longest has {longest} characters). Data can be \
                     smuggled out hidden in DNS lookups like these (DNS tunnelling)."
                ),
                AlertWords::new(
                    "dns-tunnel-long",
                    [
                        ("device", dev.to_string()),
                        ("n", n_long.to_string()),
                        ("zone", zone.to_string()),
                        ("longest", longest.to_string()),
                    ],
                ),
            );
        }
        if fired & FIRED_UNIQUE != 0 {
            push(
                "dns_tunnel.unique_subdomains",
                format!(
                    "{dev} looked up {limit} different names under {zone} within a minute. \
                     Hiding data in ever-new names is how DNS tunnelling works."
                ),
                AlertWords::new(
                    "dns-tunnel-unique",
                    [
                        ("device", dev.to_string()),
                        ("n", limit.to_string()),
                        ("zone", zone.to_string()),
                    ],
                ),
            );
        }
        if fired & FIRED_TXT != 0 {
            push(
                "dns_tunnel.txt",
                format!(
                    "{dev} asked for {n_txt} TXT records under {zone} within a minute. TXT \
                     answers can carry data back in (DNS tunnelling); ordinary browsing needs \
                     few."
                ),
                AlertWords::new(
                    "dns-tunnel-txt",
                    [
                        ("device", dev.to_string()),
                        ("n", n_txt.to_string()),
                        ("zone", zone.to_string()),
                    ],
                ),
            );
        }
    }

    /// Device × domain windows held.
    pub fn len(&self) -> usize {
        self.windows.len()
    }

    /// None held.
    pub fn is_empty(&self) -> bool {
        self.windows.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::DeviceId;
    use chrono::{DateTime, Utc};

    fn answer(dev: &str, name: &str, qtype: &str, ms: i64) -> DnsLogEntry {
        DnsLogEntry {
            device_ip: DeviceId(dev.parse().unwrap()),
            name: Domain::new(name).unwrap(),
            qtype: qtype.into(),
            rcode: "NOERROR".into(),
            chain: vec![],
            addrs: vec![],
            ttl: 60,
            at: DateTime::<Utc>::from_timestamp_millis(1_794_000_000_000 + ms).unwrap(),
            blocked: false,
            repeats: 1,
        }
    }

    /// 63 characters of base32-looking data (changes with `i`).
    fn chunk(i: usize) -> String {
        const A: &[u8] = b"abcdefghijklmnopqrstuvwxyz234567";
        let mut x = 0x9e37_79b9_7f4a_7c15u64 ^ (i as u64 + 1);
        (0..63)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                A[(x % 32) as usize] as char
            })
            .collect()
    }

    #[test]
    fn names_inline_and_on_the_heap() {
        let dev = DeviceId("192.0.2.10".parse().unwrap());
        for name in [
            "a.test",
            &"x".repeat(38),
            &"x".repeat(39),
            &format!("{}.test", "y".repeat(60)),
        ] {
            let seen = DnsSeen::new(dev, name, 16, 5);
            assert_eq!(seen.name(), name);
            assert_eq!(seen.name.clone(), seen.name);
        }
        let e = answer("192.0.2.10", "www.example.test", "TXT", 7);
        let seen = DnsSeen::from(&e);
        assert_eq!((seen.qtype, seen.name()), (TXT, "www.example.test"));
        assert!(std::mem::size_of::<DnsSeen>() <= 72);
    }

    #[test]
    fn entropy_of_labels() {
        assert_eq!(entropy_bits(b""), 0.0);
        assert_eq!(entropy_bits(b"aaaaaaaa"), 0.0);
        assert!((entropy_bits(b"abab") - 1.0).abs() < 1e-9);
        assert!(entropy_bits(chunk(1).as_bytes()) > 4.0);
    }

    /// Table: which single names count as over-long with the normal thresholds.
    #[test]
    fn long_name_table() {
        let d = DnsTunnel::new(Settings::for_preset(Preset::Normal));
        let cases: &[(String, bool)] = &[
            ("www.example.com".into(), false),
            ("rr3---sn-4g5e6nz7.googlevideo.com".into(), false),
            ("xn--bcher-kva.example".into(), false),
            ("d1a2b3c4d5e6f7.cloudfront.net".into(), false),
            // 63 repeated characters: long, but no information in it.
            (format!("{}.example.com", "w".repeat(63)), false),
            (format!("{}.t.tunnel.test", chunk(1)), true),
            (
                format!("{}.{}.t.tunnel.test", &chunk(2)[..30], &chunk(3)[..30]),
                false,
            ),
            (
                format!(
                    "{}.{}.{}.t.tunnel.test",
                    &chunk(2)[..35],
                    &chunk(3)[..35],
                    &chunk(4)[..35]
                ),
                true,
            ),
        ];
        for (name, want) in cases {
            assert_eq!(d.is_long(name), *want, "{name}");
        }
    }

    fn run(s: Settings, answers: &[DnsLogEntry]) -> Vec<Finding> {
        let mut d = DnsTunnel::new(s);
        let mut out = Vec::new();
        for a in answers {
            d.on_answer(&DnsSeen::from(a), &mut out);
        }
        out
    }

    /// Table of traffic patterns: (what, answers, rules expected to fire).
    #[test]
    fn traffic_table() {
        let dev = "192.0.2.10";
        let browsing: Vec<DnsLogEntry> = (0..300)
            .map(|i| {
                let site = ["bbc.co.uk", "example.com", "wikipedia.org", "google.com"][i % 4];
                let host = ["www", "static", "img", "api", "cdn"][i % 5];
                answer(
                    dev,
                    &format!("{host}.{site}"),
                    ["A", "AAAA", "HTTPS"][i % 3],
                    i as i64 * 100,
                )
            })
            .collect();
        let long_burst: Vec<DnsLogEntry> = (0..5)
            .map(|i| {
                answer(
                    dev,
                    &format!("{}.t.tunnel.test", chunk(i)),
                    "TXT",
                    i as i64 * 10,
                )
            })
            .collect();
        let unique: Vec<DnsLogEntry> = (0..150)
            .map(|i| answer(dev, &format!("n{i}.bench.test"), "A", i as i64 * 100))
            .collect();
        let unique_slow: Vec<DnsLogEntry> = (0..150)
            .map(|i| answer(dev, &format!("n{i}.bench.test"), "A", i as i64 * 1_000))
            .collect();
        let txt: Vec<DnsLogEntry> = (0..25)
            .map(|i| answer(dev, "_cfg.tunnel.test", "TXT", i as i64 * 100))
            .collect();
        let txt_spread: Vec<DnsLogEntry> = (0..25)
            .map(|i| answer(dev, "_cfg.tunnel.test", "TXT", i as i64 * 5_000))
            .collect();
        let two_devices: Vec<DnsLogEntry> = (0..150)
            .map(|i| {
                let d = if i % 2 == 0 {
                    "192.0.2.10"
                } else {
                    "192.0.2.11"
                };
                answer(d, &format!("n{i}.bench.test"), "A", i as i64 * 100)
            })
            .collect();
        let normal = || Settings::for_preset(Preset::Normal);
        let cases: Vec<(&str, Settings, &[DnsLogEntry], Vec<&str>)> = vec![
            ("browsing", normal(), &browsing, vec![]),
            (
                "browsing, paranoid",
                Settings::for_preset(Preset::Paranoid),
                &browsing,
                vec![],
            ),
            (
                "long-label TXT burst",
                normal(),
                &long_burst,
                vec!["dns_tunnel.long_names"],
            ),
            (
                "150 names in 15 s",
                normal(),
                &unique,
                vec!["dns_tunnel.unique_subdomains"],
            ),
            ("150 names in 150 s", normal(), &unique_slow, vec![]),
            (
                "150 names, relaxed",
                Settings::for_preset(Preset::Relaxed),
                &unique,
                vec![],
            ),
            ("25 TXT in 2.5 s", normal(), &txt, vec!["dns_tunnel.txt"]),
            ("25 TXT in 2 minutes", normal(), &txt_spread, vec![]),
            (
                "75 names each from two devices",
                normal(),
                &two_devices,
                vec![],
            ),
            (
                "checks off",
                Settings {
                    long_names_per_minute: 0,
                    unique_subdomains_per_minute: 0,
                    txt_queries_per_minute: 0,
                    ..normal()
                },
                &long_burst,
                vec![],
            ),
        ];
        for (what, s, answers, want) in cases {
            let got: Vec<String> = run(s, answers).iter().map(|f| f.rule.to_string()).collect();
            assert_eq!(got, want, "{what}");
        }
        // What a finding says.
        let f = &run(normal(), &long_burst)[0];
        assert_eq!(f.device, Some(DeviceId(dev.parse().unwrap())));
        assert_eq!(f.domain.as_ref().map(Domain::as_str), Some("tunnel.test"));
        assert!(f.message.contains("tunnel.test"), "{}", f.message);
        assert!(f.message.contains("DNS tunnelling"), "{}", f.message);
    }

    /// Windows restart after a minute, so a steady stream fires once a minute, not once.
    #[test]
    fn fires_once_per_window() {
        let answers: Vec<DnsLogEntry> = (0..600)
            .map(|i| {
                answer(
                    "192.0.2.10",
                    &format!("n{i}.bench.test"),
                    "A",
                    i as i64 * 200,
                )
            })
            .collect();
        let got = run(Settings::for_preset(Preset::Normal), &answers);
        assert_eq!(got.len(), 2, "{got:?}");
    }
}
