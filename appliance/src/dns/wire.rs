//! Just enough of the DNS wire format to answer quickly and safely.
//!
//! The hot path (parse a query, find it in the cache, write the answer) works on bytes: a
//! cached answer is kept as the upstream's answer and authority sections, and answering means
//! copying them behind a fresh header and the client's own question, with the TTLs counted
//! down. That is why a cache hit needs no record decoding and only one allocation.
//!
//! Why copying is sound: every name-compression pointer in those sections points backwards
//! into the same message. The header is always 12 bytes and the client's question has the
//! same length as the upstream's (same name, at most different letter case), so every offset
//! the sections point at holds the same name in our answer as in the upstream's.
//!
//! Everything here checks bounds and returns errors; nothing from the network can panic.

/// Size of the fixed DNS header.
pub const HEADER_LEN: usize = 12;
/// Largest name in wire form (RFC 1035 §2.3.4).
pub const MAX_NAME_LEN: usize = 255;
/// Largest query we accept. Real queries are well under 512 bytes; anything near this size
/// is garbage or an attack, and refusing it keeps per-request work bounded.
pub const MAX_REQUEST_LEN: usize = 4096;
/// UDP payload size we advertise and ask upstreams for (DNS flag day 2020: avoids IP
/// fragmentation, which is both lossy and spoofable).
pub const EDNS_PAYLOAD: u16 = 1232;

/// Record type number of OPT (EDNS).
const TYPE_OPT: u16 = 41;

/// Header flag bits.
pub mod flags {
    /// Message is a response.
    pub const QR: u16 = 0x8000;
    /// Authoritative answer.
    pub const AA: u16 = 0x0400;
    /// Truncated.
    pub const TC: u16 = 0x0200;
    /// Recursion desired.
    pub const RD: u16 = 0x0100;
    /// Recursion available.
    pub const RA: u16 = 0x0080;
    /// Authentic data (DNSSEC: the answer was validated upstream).
    pub const AD: u16 = 0x0020;
    /// Checking disabled (DNSSEC).
    pub const CD: u16 = 0x0010;
}

/// The DO bit ("DNSSEC OK") in the OPT record's flags (RFC 3225).
const EDNS_DO: u16 = 0x8000;

/// Response codes we produce ourselves.
pub mod rcode {
    /// No error.
    pub const NOERROR: u8 = 0;
    /// Format error.
    pub const FORMERR: u8 = 1;
    /// Server failure.
    pub const SERVFAIL: u8 = 2;
    /// Name does not exist.
    pub const NXDOMAIN: u8 = 3;
    /// Not implemented.
    pub const NOTIMP: u8 = 4;
    /// Refused.
    pub const REFUSED: u8 = 5;
}

/// Why bytes are not a usable message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum WireError {
    /// The message ends inside a field.
    #[error("message truncated")]
    Truncated,
    /// A name is malformed (bad label type, too long, pointer where none is allowed).
    #[error("malformed name")]
    BadName,
    /// The message has the wrong shape for its purpose (counts, OPT placement).
    #[error("malformed message: {0}")]
    Shape(&'static str),
}

/// The EDNS (OPT) part of a query that matters to the answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EdnsInfo {
    /// Largest UDP answer the client accepts.
    pub payload: u16,
    /// EDNS version (only 0 exists).
    pub version: u8,
    /// The DO bit: the client wants DNSSEC records (RRSIG, NSEC, ...).
    pub dnssec_ok: bool,
}

/// What a client asked of DNSSEC, which decides what its answer holds: part of the cache key
/// and of what is asked upstream, so a validating client gets signatures and a plain one
/// does not, whatever the other asked first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Want {
    /// DO: signatures and denial-of-existence records wanted.
    pub dnssec_ok: bool,
    /// CD: checking disabled (the client validates itself, even bogus data wanted).
    pub checking_disabled: bool,
}

impl Want {
    /// One byte for keys.
    pub fn bits(self) -> u8 {
        u8::from(self.dnssec_ok) | (u8::from(self.checking_disabled) << 1)
    }
}

/// A parsed query: borrowed views into the request bytes.
#[derive(Debug, Clone, Copy)]
pub struct Query<'a> {
    /// Message id.
    pub id: u16,
    /// Raw header flags.
    pub flags: u16,
    /// The whole question: name, type and class, as the client wrote them.
    pub question: &'a [u8],
    /// Length of the name part of `question`.
    pub qname_len: usize,
    /// Query type.
    pub qtype: u16,
    /// Query class.
    pub qclass: u16,
    /// The client's EDNS, if any.
    pub edns: Option<EdnsInfo>,
}

impl Query<'_> {
    /// The name in wire form.
    pub fn qname(&self) -> &[u8] {
        &self.question[..self.qname_len]
    }

    /// What the client asked of DNSSEC.
    pub fn want(&self) -> Want {
        Want {
            dnssec_ok: self.dnssec_ok(),
            checking_disabled: self.flags & flags::CD != 0,
        }
    }

    /// Whether the client set DO.
    pub fn dnssec_ok(&self) -> bool {
        self.edns.is_some_and(|e| e.dnssec_ok)
    }

    /// Whether the client may be told AD (RFC 6840 §5.8: only when it set DO or AD, so that
    /// old stubs and middleboxes never see it).
    pub fn may_see_ad(&self) -> bool {
        self.dnssec_ok() || self.flags & flags::AD != 0
    }

    /// Largest answer that may go back over UDP.
    pub fn max_udp_len(&self) -> usize {
        match self.edns {
            // Honour the client's limit but never beyond what we advertise: bigger answers go
            // over TCP, which is reliable and not spoofable.
            Some(e) => usize::from(e.payload.clamp(512, EDNS_PAYLOAD)),
            None => 512,
        }
    }
}

/// What to do with a request that is not a usable query.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reject {
    /// No reply at all: too short to carry an id, or a response (replying to responses
    /// would let anyone bounce traffic between two servers).
    Drop,
    /// Reply with this rcode (header only, id and opcode copied).
    Reply {
        /// The request's id.
        id: u16,
        /// The request's flags (opcode and RD are copied).
        flags: u16,
        /// The rcode to send.
        rcode: u8,
    },
}

fn u16_at(b: &[u8], pos: usize) -> Result<u16, WireError> {
    match b.get(pos..pos + 2) {
        Some(s) => Ok(u16::from_be_bytes([s[0], s[1]])),
        None => Err(WireError::Truncated),
    }
}

fn u32_at(b: &[u8], pos: usize) -> Result<u32, WireError> {
    match b.get(pos..pos + 4) {
        Some(s) => Ok(u32::from_be_bytes([s[0], s[1], s[2], s[3]])),
        None => Err(WireError::Truncated),
    }
}

/// Skip a name that may end in a compression pointer; returns the position after it.
pub fn skip_name(b: &[u8], mut pos: usize) -> Result<usize, WireError> {
    let mut len = 0usize;
    loop {
        let l = *b.get(pos).ok_or(WireError::Truncated)? as usize;
        match l & 0xC0 {
            0x00 if l == 0 => return Ok(pos + 1),
            0x00 => {
                len += l + 1;
                if len > MAX_NAME_LEN {
                    return Err(WireError::BadName);
                }
                pos += l + 1;
            }
            // A pointer ends the name; where it points does not matter for skipping.
            0xC0 => {
                b.get(pos + 1).ok_or(WireError::Truncated)?;
                return Ok(pos + 2);
            }
            _ => return Err(WireError::BadName),
        }
    }
}

/// Read an uncompressed name (as a question's must be); returns its end.
fn read_plain_name(b: &[u8], mut pos: usize) -> Result<usize, WireError> {
    let start = pos;
    loop {
        let l = *b.get(pos).ok_or(WireError::Truncated)? as usize;
        if l == 0 {
            return Ok(pos + 1);
        }
        // Compression in a question is legal but no real client uses it; refusing it keeps
        // the question self-contained, which the answer-copying scheme relies on.
        if l > 63 {
            return Err(WireError::BadName);
        }
        pos += l + 1;
        if pos - start >= MAX_NAME_LEN {
            return Err(WireError::BadName);
        }
    }
}

/// One resource record's position: where its TTL sits, its type and where it ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RecordPos {
    /// Offset of the record's owner name.
    pub start: usize,
    /// Offset of the record's 32-bit TTL.
    pub ttl_at: usize,
    /// Record type.
    pub rtype: u16,
    /// Offset just after the record.
    pub end: usize,
}

/// Walk `count` records starting at `pos`.
pub fn walk_records(
    b: &[u8],
    mut pos: usize,
    count: u16,
    out: &mut Vec<RecordPos>,
) -> Result<usize, WireError> {
    for _ in 0..count {
        let start = pos;
        pos = skip_name(b, pos)?;
        let rtype = u16_at(b, pos)?;
        let rdlen = usize::from(u16_at(b, pos + 8)?);
        let end = pos + 10 + rdlen;
        if end > b.len() {
            return Err(WireError::Truncated);
        }
        out.push(RecordPos {
            start,
            ttl_at: pos + 4,
            rtype,
            end,
        });
        pos = end;
    }
    Ok(pos)
}

/// Parse a query. Anything that is not one plain question gets a [`Reject`].
pub fn parse_query(b: &[u8]) -> Result<Query<'_>, Reject> {
    if b.len() < HEADER_LEN {
        return Err(Reject::Drop);
    }
    let id = u16::from_be_bytes([b[0], b[1]]);
    let fl = u16::from_be_bytes([b[2], b[3]]);
    if fl & flags::QR != 0 {
        return Err(Reject::Drop);
    }
    let reply = |rcode| Reject::Reply {
        id,
        flags: fl,
        rcode,
    };
    if b.len() > MAX_REQUEST_LEN {
        return Err(reply(rcode::FORMERR));
    }
    let opcode = (fl >> 11) & 0xF;
    if opcode != 0 {
        return Err(reply(rcode::NOTIMP));
    }
    let count = |i: usize| u16::from_be_bytes([b[4 + 2 * i], b[5 + 2 * i]]);
    let (qd, an, ns, ar) = (count(0), count(1), count(2), count(3));
    if qd != 1 {
        return Err(reply(rcode::FORMERR));
    }
    let qend = read_plain_name(b, HEADER_LEN).map_err(|_| reply(rcode::FORMERR))?;
    let qtype = u16_at(b, qend).map_err(|_| reply(rcode::FORMERR))?;
    let qclass = u16_at(b, qend + 2).map_err(|_| reply(rcode::FORMERR))?;
    let question = &b[HEADER_LEN..qend + 4];
    // Queries rarely carry answer or authority records, but skipping them properly is what
    // finds the OPT record; counts that claim more records than the bytes hold fail here.
    let mut recs = Vec::new();
    let pos = walk_records(b, qend + 4, an.saturating_add(ns), &mut recs)
        .map_err(|_| reply(rcode::FORMERR))?;
    recs.clear();
    walk_records(b, pos, ar, &mut recs).map_err(|_| reply(rcode::FORMERR))?;
    let mut edns = None;
    for r in &recs {
        if r.rtype == TYPE_OPT {
            // RFC 6891 §6.1.1: more than one OPT is a FORMERR; its owner must be the root.
            if edns.is_some() || b[r.start] != 0 {
                return Err(reply(rcode::FORMERR));
            }
            let payload = u16_at(b, r.ttl_at - 2).map_err(|_| reply(rcode::FORMERR))?;
            let version = b[r.ttl_at + 1];
            let ednsflags = u16_at(b, r.ttl_at + 2).map_err(|_| reply(rcode::FORMERR))?;
            edns = Some(EdnsInfo {
                payload,
                version,
                dnssec_ok: ednsflags & EDNS_DO != 0,
            });
        }
    }
    Ok(Query {
        id,
        flags: fl,
        question,
        qname_len: question.len() - 4,
        qtype,
        qclass,
        edns,
    })
}

/// Flags of a response to a query with flags `req`: opcode, RD and CD copied, RA set.
pub fn response_flags(req: u16, rcode: u8) -> u16 {
    flags::QR | (req & (0x7800 | flags::RD | flags::CD)) | flags::RA | u16::from(rcode & 0x0F)
}

/// Append a header.
pub fn push_header(out: &mut Vec<u8>, id: u16, fl: u16, counts: [u16; 4]) {
    out.extend_from_slice(&id.to_be_bytes());
    out.extend_from_slice(&fl.to_be_bytes());
    for c in counts {
        out.extend_from_slice(&c.to_be_bytes());
    }
}

/// Append our OPT record (payload [`EDNS_PAYLOAD`], DO clear) with an extended rcode byte.
pub fn push_opt(out: &mut Vec<u8>, ext_rcode: u8) {
    push_opt_do(out, ext_rcode, false);
}

/// Append our OPT record with DO as given: a reply's DO copies the query's (RFC 3225 §3).
pub fn push_opt_do(out: &mut Vec<u8>, ext_rcode: u8, dnssec_ok: bool) {
    out.push(0); // root owner
    out.extend_from_slice(&TYPE_OPT.to_be_bytes());
    out.extend_from_slice(&EDNS_PAYLOAD.to_be_bytes());
    out.extend_from_slice(&[ext_rcode, 0]);
    out.extend_from_slice(&(if dnssec_ok { EDNS_DO } else { 0 }).to_be_bytes());
    out.extend_from_slice(&[0, 0]);
}

/// Append the OPT record of a reply to `q`, if `q` had one.
pub fn push_reply_opt(out: &mut Vec<u8>, q: &Query<'_>) {
    if q.edns.is_some() {
        push_opt_do(out, 0, q.dnssec_ok());
    }
}

/// A header-only error reply (used for FORMERR, NOTIMP and the like). A NOTIMP (an opcode we
/// do not serve) offers no recursion for it either: RA clear, as unbound answers.
pub fn error_reply(id: u16, req_flags: u16, rcode: u8) -> Vec<u8> {
    let mut fl = response_flags(req_flags, rcode);
    if rcode == rcode::NOTIMP {
        fl &= !flags::RA;
    }
    let mut out = Vec::with_capacity(HEADER_LEN);
    push_header(&mut out, id, fl, [0; 4]);
    out
}

/// A reply to a parsed query with no records: the question echoed, OPT if the client used
/// EDNS. `truncated` sets TC (the answer did not fit; the client should retry over TCP).
pub fn empty_reply(q: &Query<'_>, rcode: u8, truncated: bool) -> Vec<u8> {
    let mut out = Vec::with_capacity(HEADER_LEN + q.question.len() + 11);
    let mut fl = response_flags(q.flags, rcode);
    if truncated {
        fl |= flags::TC;
    }
    let ar = u16::from(q.edns.is_some());
    push_header(&mut out, q.id, fl, [1, 0, 0, ar]);
    out.extend_from_slice(q.question);
    push_reply_opt(&mut out, q);
    out
}

/// The reply for a query with an EDNS version we do not speak (RFC 6891 §6.1.3).
pub fn badvers_reply(q: &Query<'_>) -> Vec<u8> {
    let mut out = Vec::with_capacity(HEADER_LEN + q.question.len() + 11);
    push_header(&mut out, q.id, response_flags(q.flags, 0), [1, 0, 0, 1]);
    out.extend_from_slice(q.question);
    // BADVERS is 16: upper eight bits (1) in the OPT, lower four (0) in the header.
    push_opt_do(&mut out, 1, q.dnssec_ok());
    out
}

/// The query we send upstream for a client's question: recursion desired, EDNS with our
/// payload size, DO and CD as the client asked (we do not validate, so a client that does
/// gets what it needs to), and AD set: RFC 6840 §5.7, we understand AD, and the upstream's
/// verdict is passed to clients that may see it ([`Query::may_see_ad`]).
pub fn upstream_query(id: u16, question: &[u8], want: Want) -> Vec<u8> {
    let mut out = Vec::with_capacity(HEADER_LEN + question.len() + 11);
    let mut fl = flags::RD | flags::AD;
    if want.checking_disabled {
        fl |= flags::CD;
    }
    push_header(&mut out, id, fl, [1, 0, 0, 1]);
    out.extend_from_slice(question);
    push_opt_do(&mut out, 0, want.dnssec_ok);
    out
}

/// `name` (wire form, no compression) with the case of its letters chosen at random (DNS
/// 0x20, draft-vixie-dnsext-dns0x20): an upstream echoes the question exactly, so every
/// letter is one more bit a forger must guess. Length bytes are below 64 and never letters.
pub fn randomize_case(name: &mut [u8]) {
    let mut bits = 0u64;
    let mut left = 0;
    for c in name.iter_mut().filter(|c| c.is_ascii_alphabetic()) {
        if left == 0 {
            bits = rand::random();
            left = 64;
        }
        if bits & 1 == 1 {
            *c = c.to_ascii_uppercase();
        } else {
            *c = c.to_ascii_lowercase();
        }
        bits >>= 1;
        left -= 1;
    }
}

/// The parts of a checked upstream response that a cache entry is made of.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UpstreamParts {
    /// Response code (lower four bits; extended codes are treated as failures upstream).
    pub rcode: u8,
    /// Whether the upstream set TC.
    pub truncated: bool,
    /// Answer record count.
    pub answers: u16,
    /// Authority record count.
    pub authorities: u16,
    /// Offset where the answer section starts (just after the question).
    pub body_start: usize,
    /// Offset where the authority section ends (additional records are not kept).
    pub body_end: usize,
    /// Each kept record's position.
    pub records: Vec<RecordPos>,
}

/// Check that `resp` answers `question` (same name ignoring case, type and class) and
/// locate its sections.
pub fn parse_upstream(resp: &[u8], question: &[u8]) -> Result<UpstreamParts, WireError> {
    if resp.len() < HEADER_LEN {
        return Err(WireError::Truncated);
    }
    let fl = u16_at(resp, 2)?;
    if fl & flags::QR == 0 {
        return Err(WireError::Shape("not a response"));
    }
    if u16_at(resp, 4)? != 1 {
        return Err(WireError::Shape("question count is not 1"));
    }
    let q = resp
        .get(HEADER_LEN..HEADER_LEN + question.len())
        .ok_or(WireError::Truncated)?;
    // Label length bytes are below 64, so ASCII case folding only touches letters.
    if !q.eq_ignore_ascii_case(question) {
        return Err(WireError::Shape("question does not match"));
    }
    let answers = u16_at(resp, 6)?;
    let authorities = u16_at(resp, 8)?;
    let body_start = HEADER_LEN + question.len();
    let mut records = Vec::with_capacity(usize::from(answers) + usize::from(authorities));
    let mid = walk_records(resp, body_start, answers, &mut records)?;
    let body_end = walk_records(resp, mid, authorities, &mut records)?;
    Ok(UpstreamParts {
        rcode: (fl & 0x000F) as u8,
        truncated: fl & flags::TC != 0,
        answers,
        authorities,
        body_start,
        body_end,
        records,
    })
}

/// Read a 32-bit TTL at `pos`.
pub fn ttl_at(b: &[u8], pos: usize) -> Result<u32, WireError> {
    u32_at(b, pos)
}

/// The rcode of a response.
pub fn response_rcode(resp: &[u8]) -> Option<u8> {
    resp.get(3).map(|b| b & 0x0F)
}

/// A name in wire form as text: lower case, labels joined by dots, unusual bytes as `\DDD`.
/// The root name is "".
pub fn name_to_text(wire: &[u8]) -> String {
    let mut out = String::with_capacity(wire.len());
    let mut pos = 0usize;
    while let Some(&l) = wire.get(pos) {
        let l = usize::from(l);
        if l == 0 || l > 63 {
            break;
        }
        if !out.is_empty() {
            out.push('.');
        }
        for &c in wire.get(pos + 1..pos + 1 + l).unwrap_or(&[]) {
            match c {
                b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' => out.push(c as char),
                b'A'..=b'Z' => out.push(c.to_ascii_lowercase() as char),
                _ => {
                    out.push('\\');
                    out.push_str(&format!("{c:03}"));
                }
            }
        }
        pos += 1 + l;
    }
    out
}

/// A name in text form (`whereflow.lan`) in wire form, lower case; `None` if unusable.
pub fn text_to_name(text: &str) -> Option<Vec<u8>> {
    let text = text.strip_suffix('.').unwrap_or(text);
    let mut out = Vec::with_capacity(text.len() + 2);
    if !text.is_empty() {
        for label in text.split('.') {
            if label.is_empty() || label.len() > 63 {
                return None;
            }
            out.push(label.len() as u8);
            out.extend(label.bytes().map(|c| c.to_ascii_lowercase()));
        }
    }
    out.push(0);
    (out.len() <= MAX_NAME_LEN).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn query(name: &str, qtype: u16, edns: bool) -> Vec<u8> {
        let mut q = text_to_name(name).unwrap();
        q.extend_from_slice(&qtype.to_be_bytes());
        q.extend_from_slice(&1u16.to_be_bytes());
        let mut out = Vec::new();
        push_header(&mut out, 0x1234, flags::RD, [1, 0, 0, u16::from(edns)]);
        out.extend_from_slice(&q);
        if edns {
            push_opt(&mut out, 0);
        }
        out
    }

    #[test]
    fn parses_a_plain_query() {
        let b = query("Www.Example.com", 1, false);
        let q = parse_query(&b).unwrap();
        assert_eq!(q.id, 0x1234);
        assert_eq!(q.qtype, 1);
        assert_eq!(q.qclass, 1);
        assert_eq!(q.edns, None);
        assert_eq!(q.max_udp_len(), 512);
        assert_eq!(name_to_text(q.qname()), "www.example.com");
    }

    #[test]
    fn parses_edns() {
        let b = query("example.com", 28, true);
        let q = parse_query(&b).unwrap();
        assert_eq!(
            q.edns,
            Some(EdnsInfo {
                payload: EDNS_PAYLOAD,
                version: 0,
                dnssec_ok: false,
            })
        );
        assert_eq!(q.want(), Want::default());
        assert!(!q.may_see_ad());
    }

    #[test]
    fn dnssec_wishes_are_read_and_passed_upstream() {
        let mut b = query("example.com", 1, false);
        let fl = u16::from_be_bytes([b[2], b[3]]) | flags::CD;
        b[2..4].copy_from_slice(&fl.to_be_bytes());
        b[11] = 1;
        push_opt_do(&mut b, 0, true);
        let q = parse_query(&b).unwrap();
        let want = q.want();
        assert!(want.dnssec_ok && want.checking_disabled);
        assert!(q.may_see_ad());
        let up = upstream_query(9, q.question, want);
        let m = hickory_proto::op::Message::from_vec(&up).unwrap();
        assert!(m.metadata.checking_disabled);
        assert!(m.metadata.authentic_data, "AD set upstream (RFC 6840 §5.7)");
        assert!(m.edns.as_ref().is_some_and(|e| e.flags().dnssec_ok));
        // A reply echoes DO (RFC 3225 §3); a plain one has none.
        let r = empty_reply(&q, rcode::NOERROR, false);
        let m = hickory_proto::op::Message::from_vec(&r).unwrap();
        assert!(m.edns.as_ref().is_some_and(|e| e.flags().dnssec_ok));
        let plain = query("example.com", 1, true);
        let r = empty_reply(&parse_query(&plain).unwrap(), rcode::NOERROR, false);
        let m = hickory_proto::op::Message::from_vec(&r).unwrap();
        assert!(m.edns.as_ref().is_some_and(|e| !e.flags().dnssec_ok));
    }

    #[test]
    fn case_is_randomized_only_on_letters() {
        let mut n = text_to_name("abcdefghijklmnopqrstuvwxyz.example.com-1").unwrap();
        let orig = n.clone();
        let mut seen_upper = false;
        for _ in 0..4 {
            n.clone_from(&orig);
            randomize_case(&mut n);
            assert!(n.eq_ignore_ascii_case(&orig));
            assert_eq!(n.len(), orig.len());
            seen_upper |= n.iter().any(u8::is_ascii_uppercase);
        }
        assert!(seen_upper);
    }

    #[test]
    fn hickory_agrees_on_our_messages() {
        let b = upstream_query(7, &query("a.b.c", 16, false)[HEADER_LEN..], Want::default());
        let m = hickory_proto::op::Message::from_vec(&b).unwrap();
        assert_eq!(m.queries.len(), 1);
        assert_eq!(m.queries[0].name().to_ascii(), "a.b.c.");
        assert_eq!(m.edns.as_ref().map(|e| e.max_payload()), Some(EDNS_PAYLOAD));
    }

    #[test]
    fn rejects_garbage() {
        assert_eq!(parse_query(&[1, 2, 3]).unwrap_err(), Reject::Drop);
        // A response is dropped, never answered.
        let mut b = query("x", 1, false);
        b[2] |= 0x80;
        assert_eq!(parse_query(&b).unwrap_err(), Reject::Drop);
        // 65535 questions claimed, one present.
        let mut b = query("x", 1, false);
        b[4] = 0xFF;
        b[5] = 0xFF;
        assert!(matches!(
            parse_query(&b).unwrap_err(),
            Reject::Reply { rcode: 1, .. }
        ));
        // Many additional records claimed, none present.
        let mut b = query("x", 1, false);
        b[10] = 0xFF;
        assert!(matches!(
            parse_query(&b).unwrap_err(),
            Reject::Reply { rcode: 1, .. }
        ));
        // Truncated in the middle of the name.
        let b = query("example.com", 1, false);
        assert!(matches!(
            parse_query(&b[..16]).unwrap_err(),
            Reject::Reply { rcode: 1, .. }
        ));
        // Compression pointer in the question.
        let mut b = Vec::new();
        push_header(&mut b, 1, 0, [1, 0, 0, 0]);
        b.extend_from_slice(&[0xC0, 12, 0, 1, 0, 1]);
        assert!(matches!(
            parse_query(&b).unwrap_err(),
            Reject::Reply { rcode: 1, .. }
        ));
        // Another opcode.
        let mut b = query("x", 1, false);
        b[2] |= 0x10; // opcode 2 (status)
        assert!(matches!(
            parse_query(&b).unwrap_err(),
            Reject::Reply { rcode: 4, .. }
        ));
    }

    #[test]
    fn notimp_has_no_ra_aa_or_question_and_keeps_opcode_and_rd() {
        let req = 0x1000 | flags::RD; // opcode 2 (status), RD
        let r = error_reply(0xBEEF, req, rcode::NOTIMP);
        assert_eq!(
            r.len(),
            HEADER_LEN,
            "header only: the question is not answered"
        );
        let fl = u16::from_be_bytes([r[2], r[3]]);
        assert_eq!(fl & flags::QR, flags::QR);
        assert_eq!((fl >> 11) & 0xF, 2, "opcode copied");
        assert_eq!(fl & flags::RD, flags::RD, "RD copied");
        assert_eq!(fl & flags::RA, 0, "no RA");
        assert_eq!(fl & 0x0400, 0, "no AA");
        assert_eq!(fl & 0x0F, u16::from(rcode::NOTIMP));
        // Other errors still say recursion is available.
        let f = error_reply(1, flags::RD, rcode::FORMERR);
        assert_ne!(u16::from_be_bytes([f[2], f[3]]) & flags::RA, 0);
    }

    #[test]
    fn random_bytes_never_panic() {
        // A cheap deterministic generator: the point is coverage of odd shapes, not quality.
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        for len in 0..600 {
            let mut b = Vec::with_capacity(len);
            for _ in 0..len {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                b.push(x as u8);
            }
            if len > 5 {
                b[2] &= 0x7F; // mostly queries, so parsing goes deeper
                b[4] = 0;
                b[5] = 1;
            }
            let _ = parse_query(&b);
            let _ = parse_upstream(&b, &b[HEADER_LEN.min(b.len())..]);
            let _ = name_to_text(&b);
        }
    }

    #[test]
    fn names_round_trip() {
        assert_eq!(
            name_to_text(&text_to_name("WhereFlow.LAN.").unwrap()),
            "whereflow.lan"
        );
        assert_eq!(text_to_name("").unwrap(), vec![0]);
        assert_eq!(text_to_name("a..b"), None);
        assert_eq!(name_to_text(&[3, b'a', b'.', 0xFF, 0]), "a\\046\\255");
    }
}
