//! Data leaving: a device sending a lot to one destination, suddenly or steadily.
//!
//! Per device and destination (the flow's registrable domain, else its name, else the remote
//! address), the bytes sent are summed in one-second buckets from the flows' counters (each
//! periodic conntrack dump, every 2 s by default, and each flow's end bring new counts):
//!
//! - **sudden** (`upload.sudden`): at least `sudden_bytes` within `sudden_secs`;
//! - **sustained** (`upload.sustained`): sending has gone on for at least `sustained_secs`
//!   without a pause of `pause_secs`, and at least `sustained_bytes` were sent in the last
//!   `sustained_secs`.
//!
//! Conntrack counts layer-3 bytes, headers included, and every TCP download sends
//! acknowledgements back (~52 bytes each, one per one or two segments received): a 10 MB
//! download "uploads" about 200 KB of headers. So the upload counted is the payload
//! estimate: bytes minus packets × a typical header size (52 for TCP over IPv4, 72 over
//! IPv6 — 20 or 40 of IP, 32 of TCP with timestamps; 28/48 for UDP; 20/40 for anything else).
//!
//! Expected uploads (video calls, photo backup) are rules' business ([`super::rules`]): the
//! presets ignore them. A series fires each finding at most once a minute.

use std::net::IpAddr;

use super::rules::Preset;
use super::{fmt_bytes, hash_str, lru, Lru};
use crate::detect::alerts::Finding;
use crate::model::{AlertKind, AlertWords, DeviceId, FlowKey, FlowRecord, FlowState, Proto};

/// Thresholds (`[detect.upload]`).
#[derive(Clone, Debug, PartialEq)]
pub struct Settings {
    /// Bytes within `sustained_secs` for a sustained upload (0: off).
    pub sustained_bytes: u64,
    /// How long a sustained upload must last, in seconds.
    pub sustained_secs: u64,
    /// A pause this long (seconds) ends a sustained upload.
    pub pause_secs: u64,
    /// Bytes within `sudden_secs` for a sudden upload (0: off).
    pub sudden_bytes: u64,
    /// The sudden upload's window, in seconds.
    pub sudden_secs: u64,
}

/// Longest window a series keeps (seconds): the bound for `sustained_secs` and `sudden_secs`.
pub const MAX_WINDOW_SECS: u64 = 600;

impl Settings {
    /// The preset's thresholds.
    pub fn for_preset(p: Preset) -> Self {
        let (sustained_bytes, sudden_bytes) = match p {
            Preset::Paranoid => (16 << 10, 50 << 10),
            Preset::Normal => (32 << 10, 100 << 10),
            Preset::Relaxed => (256 << 10, 1 << 20),
        };
        Settings {
            sustained_bytes,
            sustained_secs: 60,
            pause_secs: 15,
            sudden_bytes,
            sudden_secs: 10,
        }
    }
}

/// Flows whose last counters are remembered; device × destination series kept.
const MAX_FLOWS: usize = 65_536;
const MAX_SERIES: usize = 4_096;
const REFIRE_MS: i64 = 60_000;
/// A flow first seen at most this long (or `sudden_secs`) after it began counts from zero.
const NEW_FLOW_SECS: u64 = 10;

/// Bytes sent to one destination by one device, per second.
struct Series {
    /// Ring of per-second sums; slot `sec % len`.
    buckets: Vec<u64>,
    /// The second the newest bucket holds.
    last_sec: i64,
    /// When the current run of sending began, and when bytes last arrived.
    streak_start: i64,
    last_up: i64,
    fired_sudden: i64,
    fired_sustained: i64,
}

impl Series {
    fn new(len: usize, now: i64) -> Self {
        Series {
            buckets: vec![0; len.max(1)],
            last_sec: now.div_euclid(1000),
            streak_start: now,
            last_up: i64::MIN / 2,
            fired_sudden: i64::MIN / 2,
            fired_sustained: i64::MIN / 2,
        }
    }

    /// Move the ring forward to `sec`, clearing the seconds skipped.
    fn advance(&mut self, sec: i64) {
        let len = self.buckets.len() as i64;
        if sec <= self.last_sec {
            return;
        }
        let steps = (sec - self.last_sec).min(len);
        for k in 1..=steps {
            let slot = (self.last_sec + k).rem_euclid(len) as usize;
            self.buckets[slot] = 0;
        }
        self.last_sec = sec;
    }

    fn add(&mut self, sec: i64, bytes: u64) {
        self.advance(sec);
        let len = self.buckets.len() as i64;
        // Late counts (clock steps) go to the newest second.
        let slot = sec.min(self.last_sec).rem_euclid(len) as usize;
        self.buckets[slot] += bytes;
    }

    /// Bytes in the last `secs` seconds up to the newest.
    fn sum(&self, secs: u64) -> u64 {
        let len = self.buckets.len() as i64;
        let n = (secs as i64).clamp(1, len);
        (0..n)
            .map(|k| self.buckets[(self.last_sec - k).rem_euclid(len) as usize])
            .sum()
    }
}

/// The detector.
pub struct Upload {
    s: Settings,
    flows: Lru<FlowKey, (u64, u64)>,
    series: Lru<(IpAddr, u64), Series>,
}

/// Typical IP + transport header bytes per packet.
fn header_bytes(proto: Proto, remote: IpAddr) -> u64 {
    let ip = if remote.is_ipv4() { 20 } else { 40 };
    ip + match proto {
        Proto::Tcp => 32,
        Proto::Udp => 8,
        _ => 0,
    }
}

impl Upload {
    /// A detector with these thresholds.
    pub fn new(s: Settings) -> Self {
        Upload {
            s,
            flows: lru(MAX_FLOWS),
            series: lru(MAX_SERIES),
        }
    }

    /// A flow appeared, changed or ended (at `now_ms`).
    pub fn on_flow(&mut self, f: &FlowRecord, now_ms: i64, out: &mut Vec<Finding>) {
        if self.s.sudden_bytes == 0 && self.s.sustained_bytes == 0 {
            return;
        }
        let Some(payload) = self.new_payload(f, now_ms) else {
            return;
        };
        let dest = f
            .enrichment
            .registrable_domain
            .as_ref()
            .or(f.domain.as_ref())
            .map(|d| d.as_str().to_owned());
        let dest_hash = match &dest {
            Some(d) => hash_str(d),
            None => hash_str(&f.remote_ip.to_string()),
        };
        let s = &self.s;
        let len = s
            .sustained_secs
            .max(s.sudden_secs)
            .clamp(1, MAX_WINDOW_SECS) as usize;
        let series = self
            .series
            .get_or_insert_mut((f.device_ip.ip(), dest_hash), || Series::new(len, now_ms));
        if now_ms - series.last_up > (s.pause_secs as i64) * 1000 {
            series.streak_start = now_ms;
        }
        series.last_up = now_ms;
        series.add(now_ms.div_euclid(1000), payload);
        let sudden = s.sudden_bytes > 0
            && series.sum(s.sudden_secs) >= s.sudden_bytes
            && now_ms - series.fired_sudden >= REFIRE_MS;
        let sustained = s.sustained_bytes > 0
            && now_ms - series.streak_start >= (s.sustained_secs as i64) * 1000
            && series.sum(s.sustained_secs) >= s.sustained_bytes
            && now_ms - series.fired_sustained >= REFIRE_MS;
        if sudden {
            series.fired_sudden = now_ms;
        }
        if sustained {
            series.fired_sustained = now_ms;
        }
        let fired = Fired { sudden, sustained };
        report(f, dest.as_deref(), series, s, now_ms, fired, out);
    }

    /// Payload bytes the device sent on `f` since its last report (estimated from
    /// conntrack's counters less the packets' headers); `None` when there is nothing new
    /// or no baseline to count from.
    fn new_payload(&mut self, f: &FlowRecord, now_ms: i64) -> Option<u64> {
        let current = (f.bytes_up, f.packets_up);
        let before = if f.state == FlowState::Closed {
            self.flows.pop(&f.key)
        } else {
            self.flows.put(f.key, current)
        };
        let (b0, p0) = match before {
            Some(b) => b,
            // A flow that began moments ago counts from nothing; one seen first in mid-life
            // (in the first dump after a start, or after a lost event) is only a baseline.
            None if now_ms - f.first_seen.timestamp_millis()
                <= (self.s.sudden_secs.max(NEW_FLOW_SECS) as i64) * 1000 =>
            {
                (0, 0)
            }
            None => return None,
        };
        let bytes = current.0.saturating_sub(b0);
        let packets = current.1.saturating_sub(p0);
        let payload = bytes.saturating_sub(packets * header_bytes(f.proto, f.remote_ip));
        (payload > 0).then_some(payload)
    }
}

/// Which rules fired for one flow change.
#[derive(Clone, Copy)]
struct Fired {
    sudden: bool,
    sustained: bool,
}

/// The findings for the rules that fired, in plain words.
fn report(
    f: &FlowRecord,
    dest: Option<&str>,
    series: &Series,
    s: &Settings,
    now_ms: i64,
    fired: Fired,
    out: &mut Vec<Finding>,
) {
    if !(fired.sudden || fired.sustained) {
        return;
    }
    let to = match (dest, &f.domain) {
        (_, Some(name)) => format!("{name} ({})", f.remote_ip),
        (Some(d), None) => format!("{d} ({})", f.remote_ip),
        (None, None) => f.remote_ip.to_string(),
    };
    let dev = f.device_ip;
    let finding = |rule: &'static str, message: String| {
        let mut x = Finding::new(AlertKind::Upload, rule, message);
        x.device = Some(DeviceId(dev.ip()));
        x.remote_ip = Some(f.remote_ip);
        x.domain = f
            .domain
            .clone()
            .or_else(|| f.enrichment.registrable_domain.clone());
        x.org = f.enrichment.org.clone();
        x.country = f.enrichment.country.clone();
        x.category = f.enrichment.category;
        x.port = Some(f.remote_port);
        x
    };
    if fired.sudden {
        let bytes = fmt_bytes(series.sum(s.sudden_secs));
        let mut x = finding(
            "upload.sudden",
            format!(
                "{dev} sent {bytes} to {to} within {} seconds: much more than it received. \
                 Files, photos or recordings may be leaving the device.",
                s.sudden_secs
            ),
        );
        x.words = Some(AlertWords::new(
            "upload-sudden",
            [
                ("device", dev.to_string()),
                ("bytes", bytes),
                ("to", to.clone()),
                ("seconds", s.sudden_secs.to_string()),
            ],
        ));
        out.push(x);
    }
    if fired.sustained {
        let secs = (now_ms - series.streak_start) / 1000;
        let bytes = fmt_bytes(series.sum(s.sustained_secs));
        let mut x = finding(
            "upload.sustained",
            format!(
                "{dev} has been sending data to {to} for {secs} seconds without a break \
                 ({bytes} in the last {} seconds). Something on the device keeps sending: a \
                 backup, a call, a camera — or data leaving without anyone noticing.",
                s.sustained_secs
            ),
        );
        x.words = Some(AlertWords::new(
            "upload-sustained",
            [
                ("device", dev.to_string()),
                ("to", to.clone()),
                ("seconds", secs.to_string()),
                ("bytes", bytes),
                ("window", s.sustained_secs.to_string()),
            ],
        ));
        out.push(x);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Domain;
    use crate::model::Enrichment;
    use chrono::{DateTime, Utc};

    fn flow(id: u32, started: i64, bytes_up: u64, packets_up: u64, closed: bool) -> FlowRecord {
        FlowRecord {
            id: format!("{id}-1"),
            key: FlowKey { id, start_ns: 1 },
            device_ip: DeviceId("192.0.2.10".parse().unwrap()),
            remote_ip: "203.0.113.10".parse().unwrap(),
            remote_port: 443,
            local_port: None,
            proto: Proto::Tcp,
            domain: Some(Domain::new("files.example.test").unwrap()),
            candidates: vec![],
            bytes_up,
            bytes_down: 0,
            packets_up,
            packets_down: 0,
            first_seen: DateTime::<Utc>::from_timestamp(1_794_000_000 + started, 0).unwrap(),
            last_seen: DateTime::<Utc>::from_timestamp(1_794_000_000, 0).unwrap(),
            state: if closed {
                FlowState::Closed
            } else {
                FlowState::Open
            },
            enrichment: Enrichment {
                registrable_domain: Some(Domain::new("example.test").unwrap()),
                ..Enrichment::default()
            },
        }
    }

    /// One step: at second `t`, flow `id` has sent `bytes` in `packets` (counters so far).
    type Step = (i64, u32, u64, u64, bool);

    /// Flows begin at their first step, except flow 8, which began an hour before.
    fn run(s: Settings, steps: &[Step]) -> Vec<String> {
        let mut d = Upload::new(s);
        let mut out = Vec::new();
        let mut started = std::collections::HashMap::new();
        for &(t, id, bytes, packets, closed) in steps {
            let start = *started
                .entry(id)
                .or_insert(if id == 8 { t - 3600 } else { t });
            d.on_flow(
                &flow(id, start, bytes, packets, closed),
                1_794_000_000_000 + t * 1000,
                &mut out,
            );
        }
        out.into_iter().map(|f| f.rule.into_owned()).collect()
    }

    /// A flow sending `rate` payload bytes a second from `from` to `to`, counters every 2 s.
    fn steady(id: u32, from: i64, to: i64, rate: u64) -> Vec<Step> {
        let mut v = vec![(from, id, 0, 0, false)];
        let mut t = from + 2;
        while t <= to {
            let secs = (t - from) as u64;
            let packets = secs * 4;
            v.push((t, id, rate * secs + packets * 52, packets, false));
            t += 2;
        }
        v
    }

    #[test]
    fn traffic_table() {
        let normal = || Settings::for_preset(Preset::Normal);
        // A 150 KB upload in 3 s, in 110 packets.
        let burst: Vec<Step> = vec![(0, 1, 0, 0, false), (3, 1, 150_000 + 110 * 52, 110, true)];
        // A 10 MB download: ~7,000 ACKs up, 360 KB of headers, no payload.
        let download: Vec<Step> = vec![(0, 2, 0, 0, false), (4, 2, 7_000 * 52, 7_000, true)];
        // 600 B/s for 90 s: 36 KB a minute, never pausing.
        let trickle = steady(3, 0, 90, 600);
        // The same, but for 40 s only.
        let short = steady(4, 0, 40, 600);
        // 600 B/s for 50 s, a 20 s pause, 600 B/s for 50 s: never 60 s in one go.
        let mut paused = steady(5, 0, 50, 600);
        paused.extend(steady(6, 70, 120, 600));
        // 100 B/s for 120 s: steady, but too little.
        let chatter = steady(7, 0, 120, 100);
        // Seen first in mid-life (after a restart) with 5 MB already sent: a baseline.
        let restored: Vec<Step> = vec![
            (0, 8, 5_000_000, 4_000, false),
            (2, 8, 5_000_100, 4_001, false),
        ];
        let cases: Vec<(&str, Settings, Vec<Step>, Vec<&str>)> = vec![
            (
                "150 KB in 3 s",
                normal(),
                burst.clone(),
                vec!["upload.sudden"],
            ),
            (
                "150 KB in 3 s, relaxed",
                Settings::for_preset(Preset::Relaxed),
                burst.clone(),
                vec![],
            ),
            ("10 MB download", normal(), download, vec![]),
            (
                "36 KB/min for 90 s",
                normal(),
                trickle.clone(),
                vec!["upload.sustained"],
            ),
            ("36 KB/min for 40 s", normal(), short, vec![]),
            ("with a 20 s pause", normal(), paused, vec![]),
            ("6 KB/min", normal(), chatter, vec![]),
            ("restored flow", normal(), restored, vec![]),
            (
                "sudden off",
                Settings {
                    sudden_bytes: 0,
                    ..normal()
                },
                burst,
                vec![],
            ),
        ];
        for (what, s, steps, want) in cases {
            assert_eq!(run(s, &steps), want, "{what}");
        }
        // Still going after 5 minutes: once a minute, not every dump.
        let long = steady(9, 0, 300, 600);
        let fired = run(normal(), &long);
        assert!((4..=5).contains(&fired.len()), "{fired:?}");
    }

    #[test]
    fn ring_sums() {
        let mut s = Series::new(10, 0);
        s.add(0, 5);
        s.add(3, 7);
        assert_eq!(s.sum(10), 12);
        assert_eq!(s.sum(1), 7);
        s.add(12, 1);
        assert_eq!(s.sum(10), 8, "second 0 fell out, 3 is still in");
        s.add(100, 2);
        assert_eq!(s.sum(10), 2);
    }
}
