//! DNS blocking of trackers and ads: a live switch for everyone or for single devices, read
//! by the DNS forwarder for every query.
//!
//! When blocking applies to the asking device and the name is an ad or tracking host (the
//! enricher's lists: the same `tracker` flag the flows carry, [`Enricher::is_tracker_host`]),
//! the forwarder answers itself: A `0.0.0.0`, AAAA `::`, no records for other types, with a
//! short TTL ([`BLOCKED_TTL`]) so that switching off takes effect quickly. The answer is
//! built for the query (never cached), the check comes before the cache (a device that is
//! blocked never gets a cached real answer), and a cached or upstream answer whose CNAME
//! chain leads to a tracker is blocked too (CNAME cloaking). Each blocked answer is counted
//! and becomes a DNS event with `blocked: true`.
//!
//! Cost on the hot path: with blocking off for everyone, one relaxed atomic load per query.
//! With blocking on, one read of a small set (per-device blocking) and a walk of the name's
//! labels, one hash lookup each, on a copy in a stack buffer (no allocation). See
//! `docs/BENCHMARKS.md` ("DNS blocking").
//!
//! What blocking cannot do: a device keeps using real answers it got before blocking was
//! switched on until their TTL runs out (its own cache), and connections already open stay
//! open (end them with `conntrack_kill`, or block the addresses with `nft`).

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;

use parking_lot::RwLock;
use rustc_hash::FxHashSet;
use serde::Serialize;

use crate::dns::wire::{self, Query};
use crate::enrich::Enricher;
use crate::model::Domain;

/// TTL of a blocked answer, in seconds: short, so a device asks again soon after blocking is
/// switched off.
pub const BLOCKED_TTL: u32 = 10;

const TYPE_A: u16 = 1;
const TYPE_AAAA: u16 = 28;
const CLASS_IN: u16 = 1;

/// Who DNS blocking applies to now.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct DnsBlockState {
    /// Blocking for every device.
    pub all: bool,
    /// Devices blocked one by one (in addition to `all`), sorted.
    pub devices: Vec<IpAddr>,
}

/// The live switch. Cheap to read from every DNS thread at once.
pub struct DnsBlock {
    /// Anything on at all (everyone or a device): the only check when nothing is.
    active: AtomicBool,
    /// On for everyone.
    all: AtomicBool,
    /// Devices it is on for (canonical addresses: IPv4-mapped IPv6 as IPv4).
    devices: RwLock<FxHashSet<IpAddr>>,
    /// The lists that say what a tracker is.
    enricher: Arc<Enricher>,
    /// Queries answered as blocked.
    blocked: AtomicU64,
}

impl std::fmt::Debug for DnsBlock {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DnsBlock")
            .field("state", &self.state())
            .field("blocked", &self.blocked_queries())
            .finish()
    }
}

impl DnsBlock {
    /// Off for everyone; trackers as `enricher`'s lists say.
    pub fn new(enricher: Arc<Enricher>) -> DnsBlock {
        DnsBlock {
            active: AtomicBool::new(false),
            all: AtomicBool::new(false),
            devices: RwLock::new(FxHashSet::default()),
            enricher,
            blocked: AtomicU64::new(0),
        }
    }

    /// Whether blocking is on for anyone (one atomic load: the forwarder's first check).
    #[inline]
    pub fn active(&self) -> bool {
        self.active.load(Ordering::Relaxed)
    }

    /// Whether blocking applies to `device`.
    pub fn applies_to(&self, device: IpAddr) -> bool {
        if !self.active() {
            return false;
        }
        if self.all.load(Ordering::Relaxed) {
            return true;
        }
        self.devices.read().contains(&device.to_canonical())
    }

    /// Switch blocking for everyone.
    pub fn set_all(&self, on: bool) {
        // Under the write lock, so `active` never disagrees with the set for long.
        let devices = self.devices.write();
        self.all.store(on, Ordering::Relaxed);
        self.active
            .store(on || !devices.is_empty(), Ordering::Relaxed);
    }

    /// Switch blocking for one device; returns whether that changed anything.
    pub fn set_device(&self, device: IpAddr, on: bool) -> bool {
        let device = device.to_canonical();
        let mut devices = self.devices.write();
        let changed = if on {
            devices.insert(device)
        } else {
            devices.remove(&device)
        };
        self.active.store(
            self.all.load(Ordering::Relaxed) || !devices.is_empty(),
            Ordering::Relaxed,
        );
        changed
    }

    /// Replace the whole state (at start, from the saved state).
    pub fn restore(&self, state: &DnsBlockState) {
        let mut devices = self.devices.write();
        *devices = state.devices.iter().map(|d| d.to_canonical()).collect();
        self.all.store(state.all, Ordering::Relaxed);
        self.active
            .store(state.all || !devices.is_empty(), Ordering::Relaxed);
    }

    /// Who blocking applies to now.
    pub fn state(&self) -> DnsBlockState {
        let devices = self.devices.read();
        let mut list: Vec<IpAddr> = devices.iter().copied().collect();
        list.sort();
        DnsBlockState {
            all: self.all.load(Ordering::Relaxed),
            devices: list,
        }
    }

    /// Queries answered as blocked since start.
    pub fn blocked_queries(&self) -> u64 {
        self.blocked.load(Ordering::Relaxed)
    }

    /// Whether a name in wire form is an ad or tracking host. Names with bytes no listed
    /// host has (anything but letters, digits, `-`, `_`) are not.
    pub fn is_tracker_wire(&self, qname: &[u8]) -> bool {
        let mut buf = [0u8; wire::MAX_NAME_LEN];
        match wire_to_lower_text(qname, &mut buf) {
            Some(text) => self.enricher.is_tracker_host(text),
            None => false,
        }
    }

    /// Whether a CNAME chain leads to an ad or tracking host.
    pub fn chain_is_tracker(&self, chain: &[Domain]) -> bool {
        chain
            .iter()
            .any(|d| self.enricher.is_tracker_host(d.as_str()))
    }

    /// Whether to block this query for `device`, given the CNAME chain of the answer it
    /// would get (empty when not known yet).
    pub fn blocks(&self, device: IpAddr, q: &Query<'_>, chain: &[Domain]) -> bool {
        q.qclass == CLASS_IN
            && self.applies_to(device)
            && (self.is_tracker_wire(q.qname()) || self.chain_is_tracker(chain))
    }

    /// The blocked answer to `q` (and count it): A `0.0.0.0`, AAAA `::`, otherwise no
    /// records, TTL [`BLOCKED_TTL`]; with the addresses it carries, for the event.
    pub fn reply(&self, q: &Query<'_>) -> (Vec<u8>, Vec<IpAddr>) {
        self.blocked.fetch_add(1, Ordering::Relaxed);
        blocked_reply(q)
    }
}

/// The name of `wire` (uncompressed, as in a question) as lower-case dotted text in `buf`;
/// `None` for the root name or bytes a listed host cannot have.
fn wire_to_lower_text<'b>(wire: &[u8], buf: &'b mut [u8; wire::MAX_NAME_LEN]) -> Option<&'b str> {
    let mut pos = 0usize;
    let mut out = 0usize;
    while let Some(&l) = wire.get(pos) {
        let l = usize::from(l);
        if l == 0 {
            break;
        }
        if l > 63 {
            return None;
        }
        if out > 0 {
            *buf.get_mut(out)? = b'.';
            out += 1;
        }
        for &c in wire.get(pos + 1..pos + 1 + l)? {
            let c = match c {
                b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' => c,
                b'A'..=b'Z' => c.to_ascii_lowercase(),
                _ => return None,
            };
            *buf.get_mut(out)? = c;
            out += 1;
        }
        pos += 1 + l;
    }
    if out == 0 {
        return None;
    }
    // Only ASCII was written.
    std::str::from_utf8(&buf[..out]).ok()
}

/// Build the blocked answer to `q` and the addresses it carries.
pub fn blocked_reply(q: &Query<'_>) -> (Vec<u8>, Vec<IpAddr>) {
    let (rdata, addr): (&[u8], Option<IpAddr>) = match q.qtype {
        TYPE_A => (&[0; 4], Some(IpAddr::V4(Ipv4Addr::UNSPECIFIED))),
        TYPE_AAAA => (&[0; 16], Some(IpAddr::V6(Ipv6Addr::UNSPECIFIED))),
        _ => (&[], None),
    };
    let answers = u16::from(addr.is_some());
    let mut out = Vec::with_capacity(wire::HEADER_LEN + q.question.len() + 28 + 11);
    wire::push_header(
        &mut out,
        q.id,
        wire::response_flags(q.flags, wire::rcode::NOERROR),
        [1, answers, 0, u16::from(q.edns.is_some())],
    );
    out.extend_from_slice(q.question);
    if addr.is_some() {
        // The owner is the question's name (a pointer to offset 12).
        out.extend_from_slice(&[0xC0, wire::HEADER_LEN as u8]);
        out.extend_from_slice(&q.qtype.to_be_bytes());
        out.extend_from_slice(&CLASS_IN.to_be_bytes());
        out.extend_from_slice(&BLOCKED_TTL.to_be_bytes());
        out.extend_from_slice(&(rdata.len() as u16).to_be_bytes());
        out.extend_from_slice(rdata);
    }
    wire::push_reply_opt(&mut out, q);
    (out, addr.into_iter().collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::enrich::domains::DomainClassifier;
    use crate::enrich::Enricher;
    use hickory_proto::op::Message;
    use hickory_proto::rr::RData;

    fn query(name: &str, qtype: u16, edns: bool) -> Vec<u8> {
        let mut q = wire::text_to_name(name).unwrap();
        q.extend_from_slice(&qtype.to_be_bytes());
        q.extend_from_slice(&1u16.to_be_bytes());
        let mut out = Vec::new();
        wire::push_header(
            &mut out,
            0x4242,
            wire::flags::RD,
            [1, 0, 0, u16::from(edns)],
        );
        out.extend_from_slice(&q);
        if edns {
            wire::push_opt(&mut out, 0);
        }
        out
    }

    fn block() -> DnsBlock {
        let c = DomainClassifier::from_text(
            "doubleclick.net\tGoogle\tadvertising\ngoogle.com\tGoogle\tplatform\n",
            "metrics.example.org\n",
        )
        .unwrap();
        let e = Enricher::from_parts(
            c,
            crate::enrich::geo::GeoDb::open(&[], &Default::default()),
            crate::enrich::asn::AsnDb::open(&[], &Default::default()),
        );
        DnsBlock::new(Arc::new(e))
    }

    #[test]
    fn switch_for_everyone_and_per_device() {
        let b = block();
        let a: IpAddr = "192.0.2.10".parse().unwrap();
        let other: IpAddr = "192.0.2.11".parse().unwrap();
        assert!(!b.active() && !b.applies_to(a));
        assert!(b.set_device(a, true));
        assert!(!b.set_device(a, true), "already on");
        assert!(b.active() && b.applies_to(a) && !b.applies_to(other));
        // The IPv4-mapped form of the same device.
        assert!(b.applies_to("::ffff:192.0.2.10".parse().unwrap()));
        b.set_all(true);
        assert!(b.applies_to(other));
        b.set_all(false);
        assert!(!b.applies_to(other) && b.applies_to(a));
        assert!(b.set_device(a, false));
        assert!(!b.active());
        b.restore(&DnsBlockState {
            all: false,
            devices: vec![other],
        });
        assert_eq!(
            b.state(),
            DnsBlockState {
                all: false,
                devices: vec![other]
            }
        );
        assert!(b.active() && b.applies_to(other) && !b.applies_to(a));
    }

    #[test]
    fn trackers_by_name_and_by_cname_chain() {
        let b = block();
        b.set_all(true);
        let dev: IpAddr = "192.0.2.10".parse().unwrap();
        for (name, tracker) in [
            ("googleads.g.doubleclick.net", true),
            ("GoogleAds.G.DoubleClick.NET", true),
            ("a.metrics.example.org", true),
            ("www.google.com", false),
            ("example.org", false),
            ("odd\\.name.doubleclick.net", false),
        ] {
            let bytes = query(name, TYPE_A, false);
            let q = wire::parse_query(&bytes).unwrap();
            assert_eq!(b.blocks(dev, &q, &[]), tracker, "{name}");
        }
        let bytes = query("www.shop.test", TYPE_A, false);
        let q = wire::parse_query(&bytes).unwrap();
        let cloaked = [Domain::new("shop.metrics.example.org").unwrap()];
        assert!(b.blocks(dev, &q, &cloaked), "CNAME cloaking");
        b.set_all(false);
        assert!(!b.blocks(dev, &q, &cloaked), "off");
    }

    #[test]
    fn blocked_answers_decode_with_hickory() {
        let b = block();
        for (qtype, edns, want) in [
            (TYPE_A, false, Some("0.0.0.0")),
            (TYPE_AAAA, true, Some("::")),
            (65, true, None), // HTTPS: no records
        ] {
            let bytes = query("ads.doubleclick.net", qtype, edns);
            let q = wire::parse_query(&bytes).unwrap();
            let (reply, addrs) = b.reply(&q);
            let m = Message::from_vec(&reply).unwrap();
            assert_eq!(m.metadata.id, 0x4242);
            assert_eq!(
                m.metadata.response_code,
                hickory_proto::op::ResponseCode::NoError
            );
            assert!(m.metadata.recursion_available);
            assert_eq!(m.queries[0].name().to_ascii(), "ads.doubleclick.net.");
            assert_eq!(m.edns.is_some(), edns);
            match want {
                Some(ip) => {
                    assert_eq!(m.answers.len(), 1);
                    assert_eq!(m.answers[0].ttl, BLOCKED_TTL);
                    let got = match &m.answers[0].data {
                        RData::A(a) => IpAddr::V4(a.0),
                        RData::AAAA(a) => IpAddr::V6(a.0),
                        other => panic!("{other:?}"),
                    };
                    assert_eq!(got, ip.parse::<IpAddr>().unwrap());
                    assert_eq!(addrs, vec![got]);
                }
                None => {
                    assert!(m.answers.is_empty());
                    assert!(addrs.is_empty());
                }
            }
        }
        assert_eq!(b.blocked_queries(), 3);
    }

    #[test]
    fn wire_names_become_lower_case_text() {
        let mut buf = [0u8; wire::MAX_NAME_LEN];
        let w = wire::text_to_name("A.Example-1.ORG").unwrap();
        assert_eq!(wire_to_lower_text(&w, &mut buf), Some("a.example-1.org"));
        assert_eq!(wire_to_lower_text(&[0], &mut buf), None);
        assert_eq!(
            wire_to_lower_text(&[3, b'a', b'.', b'b', 0], &mut buf),
            None
        );
        assert_eq!(wire_to_lower_text(&[5, b'a'], &mut buf), None, "truncated");
    }
}
