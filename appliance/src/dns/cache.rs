//! Answers kept on the wire, and the bounded TTL-honouring cache that holds them.
//!
//! An [`Entry`] is an upstream answer reduced to what a client needs (rcode, answer and
//! authority sections) plus what the correlator needs (CNAME chain, addresses), computed once
//! when the answer arrives. Serving it copies bytes and counts the TTLs down; see
//! [`super::wire`] for why copying is sound.

use std::net::IpAddr;
use std::num::NonZeroUsize;
use std::sync::Arc;
use std::time::{Duration, Instant};

use lru::LruCache;
use parking_lot::Mutex;

use super::wire::{self, Query, RecordPos, UpstreamParts, Want, HEADER_LEN};
use crate::model::Domain;

/// Longest time any answer is kept, whatever its TTL says (one day, as most resolvers do).
const MAX_TTL: u32 = 86_400;
/// Longest time a negative answer is kept (RFC 2308 §5 suggests at most hours).
const MAX_NEGATIVE_TTL: u32 = 3_600;
/// Largest answer worth caching. Bigger ones are rare (huge TXT sets) and would let a few
/// names take a large share of the memory the cache size is meant to bound.
const MAX_ENTRY_BYTES: usize = 4_096;
/// Record type numbers used here.
const TYPE_SOA: u16 = 6;
const TYPE_A: u16 = 1;
const TYPE_CNAME: u16 = 5;
const TYPE_AAAA: u16 = 28;

/// One answer ready to be served.
#[derive(Debug)]
pub struct Entry {
    /// Response code.
    pub rcode: u8,
    /// Whether the upstream set AD (it validated the answer); told only to clients that
    /// may see it ([`Query::may_see_ad`]).
    authentic: bool,
    answers: u16,
    authorities: u16,
    /// Answer and authority sections as received (compression pointers included).
    body: Box<[u8]>,
    /// (offset in `body`, original TTL) of each record.
    ttls: Box<[(u32, u32)]>,
    /// When the answer arrived.
    born: Instant,
    /// Seconds it may be served from the cache (0: never cached).
    pub lifetime: u32,
    /// Whether TTLs count down (upstream answers) or stay fixed (our own names).
    counts_down: bool,
    /// The question's name as a domain, made once for every answer's event (`None`: not a
    /// name anyone visits, e.g. the root).
    pub qname: Option<Domain>,
    /// CNAME targets in answer order.
    pub chain: Vec<Domain>,
    /// A and AAAA addresses in the answer.
    pub addrs: Vec<IpAddr>,
    /// Smallest TTL in the answer section (0 when empty).
    pub min_answer_ttl: u32,
}

impl Entry {
    /// Build an entry from a checked upstream response (or one we encoded ourselves).
    pub fn from_response(resp: &[u8], parts: &UpstreamParts, counts_down: bool) -> Entry {
        let start = parts.body_start;
        let body: Box<[u8]> = resp.get(start..parts.body_end).unwrap_or_default().into();
        let mut ttls = Vec::with_capacity(parts.records.len());
        let mut min_all = u32::MAX;
        let mut min_answer = u32::MAX;
        let mut has_soa = false;
        for (i, RecordPos { ttl_at, rtype, .. }) in parts.records.iter().enumerate() {
            let ttl = wire::ttl_at(resp, *ttl_at).unwrap_or(0);
            // RFC 2181 §8: a TTL with the top bit set is treated as zero.
            let ttl = if ttl > i32::MAX as u32 { 0 } else { ttl };
            ttls.push(((ttl_at - start) as u32, ttl));
            min_all = min_all.min(ttl);
            if i < usize::from(parts.answers) {
                min_answer = min_answer.min(ttl);
            }
            has_soa |= *rtype == TYPE_SOA && i >= usize::from(parts.answers);
        }
        let negative = parts.answers == 0;
        let (chain, addrs, soa_min) = facts_for_events(resp, parts);
        let lifetime = if parts.truncated
            || body.len() > MAX_ENTRY_BYTES
            || !matches!(parts.rcode, wire::rcode::NOERROR | wire::rcode::NXDOMAIN)
            || parts.records.is_empty()
            || (negative && !has_soa)
        {
            // Errors are not cached, nor negative answers without an SOA (RFC 2308 §5:
            // without one there is no TTL to honour).
            0
        } else if negative {
            min_all.min(soa_min.unwrap_or(0)).min(MAX_NEGATIVE_TTL)
        } else {
            min_all.min(MAX_TTL)
        };
        Entry {
            rcode: parts.rcode,
            authentic: resp
                .get(3)
                .is_some_and(|b| u16::from(*b) & wire::flags::AD != 0),
            answers: parts.answers,
            authorities: parts.authorities,
            body,
            ttls: ttls.into(),
            born: Instant::now(),
            lifetime,
            counts_down,
            qname: resp
                .get(wire::HEADER_LEN..start.saturating_sub(4))
                .and_then(|name| Domain::from_wire_text(&wire::name_to_text(name)).ok()),
            chain,
            addrs,
            min_answer_ttl: if min_answer == u32::MAX {
                0
            } else {
                min_answer
            },
        }
    }

    /// Seconds since the answer arrived (0 for fixed answers).
    pub fn age(&self, now: Instant) -> u32 {
        if self.counts_down {
            now.saturating_duration_since(self.born).as_secs() as u32
        } else {
            0
        }
    }

    /// Whether the entry may still be served.
    pub fn fresh(&self, now: Instant) -> bool {
        !self.counts_down
            || now.saturating_duration_since(self.born) < Duration::from_secs(self.lifetime.into())
    }

    /// The reply to `q`, or `None` when it does not fit `max_len` (the caller then sends a
    /// truncated reply so the client retries over TCP).
    pub fn reply(&self, q: &Query<'_>, age: u32, max_len: usize) -> Option<Vec<u8>> {
        let opt_len = if q.edns.is_some() { 11 } else { 0 };
        let len = HEADER_LEN + q.question.len() + self.body.len() + opt_len;
        if len > max_len {
            return None;
        }
        let mut out = Vec::with_capacity(len);
        let mut flags = wire::response_flags(q.flags, self.rcode);
        if self.authentic && q.may_see_ad() {
            flags |= wire::flags::AD;
        }
        wire::push_header(
            &mut out,
            q.id,
            flags,
            [
                1,
                self.answers,
                self.authorities,
                u16::from(q.edns.is_some()),
            ],
        );
        out.extend_from_slice(q.question);
        let base = out.len();
        out.extend_from_slice(&self.body);
        for &(at, ttl) in self.ttls.iter() {
            let at = base + at as usize;
            if let Some(slot) = out.get_mut(at..at + 4) {
                slot.copy_from_slice(&ttl.saturating_sub(age).to_be_bytes());
            }
        }
        wire::push_reply_opt(&mut out, q);
        Some(out)
    }
}

/// Pull out what the correlator wants: CNAME targets, addresses, and the SOA minimum.
///
/// Read from the records [`wire::parse_upstream`] found (their positions and names checked),
/// so only fixed-size fields and names are read here. Decoding the whole message with
/// hickory for these few fields was about 5 % of the forwarder's CPU per uncached question.
fn facts_for_events(resp: &[u8], parts: &UpstreamParts) -> (Vec<Domain>, Vec<IpAddr>, Option<u32>) {
    let mut chain = Vec::new();
    let mut addrs = Vec::new();
    let mut soa_min = None;
    let mut name = Vec::with_capacity(wire::MAX_NAME_LEN);
    for (i, r) in parts.records.iter().enumerate() {
        // After the 32-bit TTL: the 16-bit data length, then the data.
        let Some(data) = resp.get(r.ttl_at + 6..r.end) else {
            continue;
        };
        if i < usize::from(parts.answers) {
            match (r.rtype, data.len()) {
                (TYPE_A, 4) => addrs.push(IpAddr::from([data[0], data[1], data[2], data[3]])),
                (TYPE_AAAA, 16) => {
                    let mut a = [0u8; 16];
                    a.copy_from_slice(data);
                    addrs.push(IpAddr::from(a));
                }
                (TYPE_CNAME, _) => {
                    name.clear();
                    if wire::expand_name(resp, r.ttl_at + 6, &mut name).is_ok() {
                        if let Ok(d) = Domain::from_wire_text(&wire::name_to_text(&name)) {
                            chain.push(d);
                        }
                    }
                }
                _ => {}
            }
        } else if r.rtype == TYPE_SOA && soa_min.is_none() && data.len() >= 22 {
            // The minimum is the last of the SOA's five 32-bit numbers.
            soa_min = wire::ttl_at(data, data.len() - 4).ok();
        }
    }
    (chain, addrs, soa_min)
}

/// Longest key: a question (name of at most 255 bytes, type, class) and the [`Want`] byte.
pub const KEY_LEN: usize = wire::MAX_NAME_LEN + 5;

/// The key of a question and what it wants of DNSSEC: the question's bytes with the name in
/// lower case, then [`Want::bits`]. Written into `buf`; returns the length used. Identical
/// questions in flight upstream are merged by the same key.
pub fn key_of(question: &[u8], want: Want, buf: &mut [u8; KEY_LEN]) -> usize {
    let n = question.len().min(buf.len() - 1);
    // Only the name: type and class bytes are numbers (type 65, HTTPS, is an `A` byte).
    let name = question.len().saturating_sub(4).min(n);
    for (i, (d, s)) in buf.iter_mut().zip(&question[..n]).enumerate() {
        *d = if i < name { s.to_ascii_lowercase() } else { *s };
    }
    buf[n] = want.bits();
    n + 1
}

/// One shard: entries by lower-case question.
type Shard = Mutex<LruCache<Box<[u8]>, Arc<Entry>>>;

/// A bounded LRU cache split into shards so that worker threads rarely wait on each other.
pub struct Cache {
    shards: Box<[Shard]>,
}

impl Cache {
    /// A cache holding at most about `capacity` entries.
    pub fn new(capacity: usize) -> Cache {
        let capacity = capacity.max(1);
        let n = capacity.clamp(1, 16);
        let per = NonZeroUsize::new(capacity.div_ceil(n)).unwrap_or(NonZeroUsize::MIN);
        Cache {
            shards: (0..n).map(|_| Mutex::new(LruCache::new(per))).collect(),
        }
    }

    fn shard(&self, key: &[u8]) -> &Shard {
        // FNV-1a: cheap, and the shard choice needs no protection against crafted keys
        // (the LRU inside has its own hasher).
        let mut h: u32 = 0x811C_9DC5;
        for &b in key {
            h = (h ^ u32::from(b)).wrapping_mul(0x0100_0193);
        }
        &self.shards[h as usize % self.shards.len()]
    }

    /// A fresh entry for the question, if any.
    pub fn get(&self, question: &[u8], want: Want, now: Instant) -> Option<Arc<Entry>> {
        let mut buf = [0u8; KEY_LEN];
        let n = key_of(question, want, &mut buf);
        let key = &buf[..n];
        let mut shard = self.shard(key).lock();
        let e = shard.get(key)?;
        if e.fresh(now) {
            return Some(e.clone());
        }
        shard.pop(key);
        None
    }

    /// Keep an entry (only if it has a lifetime).
    pub fn put(&self, question: &[u8], want: Want, entry: Arc<Entry>) {
        if entry.lifetime == 0 {
            return;
        }
        let mut buf = [0u8; KEY_LEN];
        let n = key_of(question, want, &mut buf);
        let key: Box<[u8]> = buf[..n].into();
        self.shard(&key).lock().put(key, entry);
    }

    /// Number of entries held (the tests check the bound).
    #[cfg(test)]
    fn len(&self) -> usize {
        self.shards.iter().map(|s| s.lock().len()).sum()
    }
}

#[cfg(test)]
impl Entry {
    /// An empty NOERROR answer for `example.com`, for tests that only need an entry.
    pub fn for_tests() -> Entry {
        Entry {
            rcode: 0,
            authentic: false,
            answers: 0,
            authorities: 0,
            body: Box::default(),
            ttls: Box::default(),
            born: Instant::now(),
            lifetime: 60,
            counts_down: true,
            qname: Domain::new("example.com").ok(),
            chain: Vec::new(),
            addrs: Vec::new(),
            min_answer_ttl: 60,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use hickory_proto::op::{Message, OpCode, Query as HQuery};
    use hickory_proto::rr::rdata::{A, CNAME, SOA};
    use hickory_proto::rr::{Name, RData, Record, RecordType};

    fn response(rcode: u8, answers: Vec<Record>, soa: bool) -> (Vec<u8>, Vec<u8>) {
        let name = Name::from_ascii("www.example.com.").unwrap();
        let mut m = Message::response(9, OpCode::Query);
        m.metadata.response_code = hickory_proto::op::ResponseCode::from(0, rcode);
        m.add_query(HQuery::query(name.clone(), RecordType::A));
        m.add_answers(answers);
        if soa {
            let zone = Name::from_ascii("example.com.").unwrap();
            let s = SOA::new(zone.clone(), zone.clone(), 1, 2, 3, 4, 30);
            m.add_authority(Record::from_rdata(zone, 300, RData::SOA(s)));
        }
        let b = m.to_vec().unwrap();
        let q = b[HEADER_LEN..HEADER_LEN + 21].to_vec();
        (b, q)
    }

    fn cname_a() -> Vec<Record> {
        let www = Name::from_ascii("www.example.com.").unwrap();
        let cdn = Name::from_ascii("cdn.Example.net.").unwrap();
        vec![
            Record::from_rdata(www, 120, RData::CNAME(CNAME(cdn.clone()))),
            Record::from_rdata(cdn, 60, RData::A(A::new(192, 0, 2, 7))),
        ]
    }

    #[test]
    fn entry_keeps_chain_addresses_and_ttls() {
        let (b, q) = response(0, cname_a(), false);
        let parts = wire::parse_upstream(&b, &q).unwrap();
        let e = Entry::from_response(&b, &parts, true);
        assert_eq!(e.chain, vec![Domain::new("cdn.example.net").unwrap()]);
        assert_eq!(e.addrs, vec!["192.0.2.7".parse::<IpAddr>().unwrap()]);
        assert_eq!(e.min_answer_ttl, 60);
        assert_eq!(e.lifetime, 60);
        // Serve it 10 s later to a client with another id: TTLs counted down, same records.
        let mut req = Vec::new();
        wire::push_header(&mut req, 77, wire::flags::RD, [1, 0, 0, 0]);
        req.extend_from_slice(&q);
        let cq = wire::parse_query(&req).unwrap();
        let out = e.reply(&cq, 10, 512).unwrap();
        let m = Message::from_vec(&out).unwrap();
        assert_eq!(m.metadata.id, 77);
        assert_eq!(m.answers.len(), 2);
        assert_eq!(m.answers[0].ttl, 110);
        assert_eq!(m.answers[1].ttl, 50);
        assert_eq!(m.answers[1].name.to_ascii(), "cdn.Example.net.");
        assert!(
            e.reply(&cq, 0, 40).is_none(),
            "does not fit: caller truncates"
        );
    }

    /// The old way, hickory's whole-message decoder: what `facts_for_events` must agree with.
    fn decoded_by_hickory(resp: &[u8]) -> (Vec<Domain>, Vec<IpAddr>, Option<u32>) {
        let msg = Message::from_vec(resp).unwrap();
        let mut chain = Vec::new();
        let mut addrs = Vec::new();
        for r in &msg.answers {
            match &r.data {
                RData::CNAME(c) => chain.push(Domain::new(&c.0.to_ascii()).unwrap()),
                RData::A(a) => addrs.push(IpAddr::V4(a.0)),
                RData::AAAA(a) => addrs.push(IpAddr::V6(a.0)),
                _ => {}
            }
        }
        let soa_min = msg.authorities.iter().find_map(|r| match &r.data {
            RData::SOA(s) => Some(s.minimum),
            _ => None,
        });
        (chain, addrs, soa_min)
    }

    #[test]
    fn facts_for_events_agree_with_a_full_decoder() {
        use hickory_proto::rr::rdata::{AAAA, TXT};
        let www = Name::from_ascii("www.example.com.").unwrap();
        let a = Name::from_ascii("a.Example.NET.").unwrap();
        let b = Name::from_ascii("edge.a.example.net.").unwrap();
        let chained = vec![
            Record::from_rdata(www, 120, RData::CNAME(CNAME(a.clone()))),
            // Compressed against the CNAME target above (a pointer into rdata).
            Record::from_rdata(a.clone(), 60, RData::CNAME(CNAME(b.clone()))),
            Record::from_rdata(b.clone(), 60, RData::A(A::new(192, 0, 2, 7))),
            Record::from_rdata(
                b.clone(),
                60,
                RData::AAAA(AAAA::new(0x2001, 0xdb8, 0, 0, 0, 0, 0, 1)),
            ),
            Record::from_rdata(b, 60, RData::TXT(TXT::new(vec!["not an address".into()]))),
        ];
        for (rcode, answers, soa) in [
            (0, chained, false),
            (0, cname_a(), true),
            (3, vec![], true),
            (0, vec![], false),
        ] {
            let (resp, q) = response(rcode, answers, soa);
            let parts = wire::parse_upstream(&resp, &q).unwrap();
            assert_eq!(facts_for_events(&resp, &parts), decoded_by_hickory(&resp));
        }
    }

    #[test]
    fn negative_lifetime_needs_soa() {
        let (b, q) = response(3, vec![], true);
        let e = Entry::from_response(&b, &wire::parse_upstream(&b, &q).unwrap(), true);
        assert_eq!(e.lifetime, 30, "min(SOA TTL, SOA minimum)");
        let (b, q) = response(3, vec![], false);
        let e = Entry::from_response(&b, &wire::parse_upstream(&b, &q).unwrap(), true);
        assert_eq!(e.lifetime, 0);
        let (b, q) = response(2, vec![], true);
        let e = Entry::from_response(&b, &wire::parse_upstream(&b, &q).unwrap(), true);
        assert_eq!(e.lifetime, 0, "SERVFAIL is not cached");
    }

    #[test]
    fn dnssec_wishes_are_kept_apart_and_ad_told_only_to_who_may_see_it() {
        let (mut b, q) = response(0, cname_a(), false);
        b[3] |= wire::flags::AD as u8;
        let parts = wire::parse_upstream(&b, &q).unwrap();
        let cache = Cache::new(10);
        let signed = Want {
            dnssec_ok: true,
            checking_disabled: false,
        };
        cache.put(&q, signed, Arc::new(Entry::from_response(&b, &parts, true)));
        let now = Instant::now();
        assert!(
            cache.get(&q, Want::default(), now).is_none(),
            "a DO answer is not a plain one"
        );
        let checking_off = Want {
            dnssec_ok: true,
            checking_disabled: true,
        };
        assert!(cache.get(&q, checking_off, now).is_none(), "nor a CD one");
        let e = cache.get(&q, signed, now).unwrap();
        // A client without DO or AD never sees AD (RFC 6840 §5.8); one with AD does.
        let mut req = Vec::new();
        wire::push_header(&mut req, 5, wire::flags::RD, [1, 0, 0, 0]);
        req.extend_from_slice(&q);
        let out = e.reply(&wire::parse_query(&req).unwrap(), 0, 512).unwrap();
        assert_eq!(u16::from(out[3]) & wire::flags::AD, 0);
        req[3] |= wire::flags::AD as u8;
        let out = e.reply(&wire::parse_query(&req).unwrap(), 0, 512).unwrap();
        assert_ne!(u16::from(out[3]) & wire::flags::AD, 0);
    }

    #[test]
    fn key_folds_the_name_only() {
        let mut a = [0u8; KEY_LEN];
        let mut b = [0u8; KEY_LEN];
        // Type 65 (HTTPS) and type 97 differ only in bit 0x20 of a byte that reads as `A`/`a`.
        let n = key_of(b"\x01X\x00\x00\x41\x00\x01", Want::default(), &mut a);
        key_of(b"\x01x\x00\x00\x61\x00\x01", Want::default(), &mut b);
        assert_ne!(a[..n], b[..n]);
        key_of(b"\x01x\x00\x00\x41\x00\x01", Want::default(), &mut b);
        assert_eq!(a[..n], b[..n]);
    }

    #[test]
    fn cache_is_bounded_case_blind_and_expires() {
        let (b, q) = response(0, cname_a(), false);
        let parts = wire::parse_upstream(&b, &q).unwrap();
        let cache = Cache::new(3);
        let mut upper = q.clone();
        upper[1] = b'W';
        cache.put(
            &q,
            Want::default(),
            Arc::new(Entry::from_response(&b, &parts, true)),
        );
        let now = Instant::now();
        assert!(cache.get(&upper, Want::default(), now).is_some());
        assert!(cache
            .get(&upper, Want::default(), now + Duration::from_secs(61))
            .is_none());
        assert_eq!(cache.len(), 0, "an expired entry is removed when met");
        for i in 0..10u8 {
            let mut k = q.clone();
            k[2] = b'a' + i;
            cache.put(
                &k,
                Want::default(),
                Arc::new(Entry::from_response(&b, &parts, true)),
            );
        }
        assert!(cache.len() <= 3, "{}", cache.len());
    }
}
