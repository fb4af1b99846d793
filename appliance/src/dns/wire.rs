//! Just enough of the DNS wire format to answer quickly and safely.
//!
//! The hot path (parse a query, find it in the cache, write the answer) works on bytes: a
//! cached answer is kept as the upstream's answer and authority sections, and answering means
//! copying them behind a fresh header and the client's own question, with the TTLs counted
//! down. That is why a cache hit needs no record decoding and only one allocation.
//!
//! Why copying is sound: [`parse_upstream`] lets an answer through only when every name in it
//! is well formed and every compression pointer points strictly backwards, past the header,
//! never into a TTL, and into the question only at the start of one of its labels. So a
//! pointer in the kept sections lands in the question or in the kept sections themselves,
//! never in the additional section we drop or our own OPT record that replaces it. The header
//! is always 12 bytes, and the client's question has the same length and labels as the one
//! sent upstream and differs at most in letter case, so a pointer to one of its labels names
//! the same name in our answer as in the upstream's. (Its bytes are never read from the
//! middle of a label: a letter there, read as a length or a pointer's low byte, would read
//! differently in another case.) TTLs are the only bytes rewritten, hence no pointer may read
//! them.
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
/// Most compression pointers one name may follow. Pointers that only go backwards cannot
/// loop, but a chain of them (each naming the one before) could still cost a step per two
/// bytes of message; a name has at most 127 labels, so no honest name needs more hops.
const MAX_POINTER_HOPS: usize = 127;
/// Smallest record: root owner, type, class, TTL, rdata length.
const MIN_RECORD_LEN: usize = 11;

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
    /// A compression pointer that does not point strictly backwards past the header (which
    /// also rules out loops), that makes a name read a TTL, or one hop too many.
    #[error("bad compression pointer")]
    BadPointer,
    /// A record's data does not have its type's layout (say an SOA with its numbers short).
    #[error("record data does not fit its type")]
    BadRdata,
    /// A well-formed response to some other question: another name, letter case included
    /// (so a forger must guess the random case as well as the id and port), type or class,
    /// or another opcode. Counted apart from the malformed kinds above: it is the sign of a
    /// forgery attempt (or a late answer), not of a broken server.
    #[error("response to another question")]
    Mismatch,
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

/// The name at `pos` with its compression pointers followed, in plain wire form (lower case
/// not applied), appended to `out`. For messages [`parse_upstream`] accepted, whose pointers
/// are checked; still bounded here on its own: pointers must point backwards, at most
/// [`MAX_POINTER_HOPS`] of them, the name at most [`MAX_NAME_LEN`] bytes.
pub fn expand_name(b: &[u8], mut pos: usize, out: &mut Vec<u8>) -> Result<(), WireError> {
    let start = out.len();
    let mut hops = 0;
    loop {
        let l = *b.get(pos).ok_or(WireError::Truncated)? as usize;
        match l & 0xC0 {
            0x00 => {
                let label = b.get(pos..pos + 1 + l).ok_or(WireError::Truncated)?;
                if out.len() - start + label.len() > MAX_NAME_LEN {
                    return Err(WireError::BadName);
                }
                out.extend_from_slice(label);
                if l == 0 {
                    return Ok(());
                }
                pos += 1 + l;
            }
            0xC0 => {
                let low = *b.get(pos + 1).ok_or(WireError::Truncated)? as usize;
                let to = ((l & 0x3F) << 8) | low;
                hops += 1;
                if to >= pos || to < HEADER_LEN || hops > MAX_POINTER_HOPS {
                    return Err(WireError::BadPointer);
                }
                pos = to;
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
/// do not serve) offers no recursion for it either: RA clear, as unbound answers; and CD,
/// defined for QUERY only, is not echoed (ISC's compliance test flags it).
pub fn error_reply(id: u16, req_flags: u16, rcode: u8) -> Vec<u8> {
    let mut fl = response_flags(req_flags, rcode);
    if rcode == rcode::NOTIMP {
        fl &= !(flags::RA | flags::CD);
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
/// `random` gives 64 random bits at a time (the caller's generator: this file is also
/// compiled alone, by the fuzz targets).
pub fn randomize_case(name: &mut [u8], mut random: impl FnMut() -> u64) {
    let mut bits = 0u64;
    let mut left = 0;
    for c in name.iter_mut().filter(|c| c.is_ascii_alphabetic()) {
        if left == 0 {
            bits = random();
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
    /// Response code ([`parse_upstream`] refuses answers with an extended one).
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

/// Check that `resp` is a response to exactly `question` (the bytes sent upstream, letter
/// case included) and that all of it is safe to copy to clients byte for byte; locate its
/// sections.
///
/// Checked, in order: the header (a response, opcode QUERY, one question); the question,
/// byte for byte ([`WireError::Mismatch`] when it differs); then every record of all three
/// sections: owner names and the names in the rdata of the types that may carry compressed
/// names (see [`rdata_layout`]) are well formed, with pointers as the module doc requires;
/// that rdata has exactly its type's layout; no record runs past the message. OPT may appear
/// only in the additional section, at most once, with the root as owner, well-formed options
/// and no extended rcode (we never send what could earn one, so one is a failure).
///
/// Bytes after the last counted record are ignored, as unbound does: nothing reads them and
/// they are never copied (the kept part ends with the authority section).
///
/// Cost: one pass over the message plus, per pointer followed, one binary search over the
/// kept records; the only allocation is the returned `records`.
pub fn parse_upstream(resp: &[u8], question: &[u8]) -> Result<UpstreamParts, WireError> {
    if resp.len() < HEADER_LEN {
        return Err(WireError::Truncated);
    }
    let fl = u16_at(resp, 2)?;
    if fl & flags::QR == 0 {
        return Err(WireError::Shape("not a response"));
    }
    if (fl >> 11) & 0xF != 0 {
        return Err(WireError::Mismatch);
    }
    if u16_at(resp, 4)? != 1 {
        return Err(WireError::Shape("question count is not 1"));
    }
    let q = resp
        .get(HEADER_LEN..HEADER_LEN + question.len())
        .ok_or(WireError::Truncated)?;
    if q != question {
        return Err(WireError::Mismatch);
    }
    let answers = u16_at(resp, 6)?;
    let authorities = u16_at(resp, 8)?;
    let additionals = u16_at(resp, 10)?;
    let body_start = HEADER_LEN + question.len();
    // Room for the additional records too (they are walked, then dropped), but counts come
    // from the sender: never more than the bytes could hold.
    let claimed = usize::from(answers) + usize::from(authorities);
    let room = claimed + usize::from(additionals);
    let mut records = Vec::with_capacity(room.min((resp.len() - body_start) / MIN_RECORD_LEN));
    let qlabels = QuestionLabels::of(question);
    let mut pos = body_start;
    for _ in 0..claimed {
        let r = check_record(resp, pos, &mut records, &qlabels)?;
        if r.rtype == TYPE_OPT {
            return Err(WireError::Shape("OPT outside the additional section"));
        }
        pos = r.end;
    }
    let body_end = pos;
    let kept = records.len();
    let mut opt = None;
    for _ in 0..additionals {
        let r = check_record(resp, pos, &mut records, &qlabels)?;
        if r.rtype == TYPE_OPT {
            if opt.is_some() || resp[r.start] != 0 {
                return Err(WireError::Shape("OPT repeated or not owned by the root"));
            }
            opt = Some(r);
        }
        pos = r.end;
    }
    // Additional records were walked (with the kept ones' TTLs to check their pointers
    // against); they are not part of the answer.
    records.truncate(kept);
    if let Some(r) = opt {
        check_opt(resp, &r)?;
    }
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

/// Where the labels of the question's name start in the message: the only places in the
/// question a pointer may name (see the module doc). The common pointer, to the question or
/// one of its suffixes, is so checked without walking the labels: that name is the one we
/// sent, plain labels checked when the client's query was parsed.
#[derive(Debug, Clone, Copy)]
struct QuestionLabels {
    /// Bit `i`: a label starts at `HEADER_LEN + i`.
    starts: [u64; 4],
    /// Length of the name in wire form (0 when the question is not a plain name: then no
    /// pointer may name any of it).
    name_len: usize,
    /// Offset just after the question (its type and class).
    end: usize,
}

impl QuestionLabels {
    /// The labels of `question`, a plain name then type and class.
    fn of(question: &[u8]) -> QuestionLabels {
        let none = QuestionLabels {
            starts: [0; 4],
            name_len: 0,
            end: HEADER_LEN + question.len(),
        };
        let mut q = none;
        let mut at = 0;
        while let Some(&l) = question.get(at) {
            if l > 63 || at >= MAX_NAME_LEN {
                return none;
            }
            q.starts[at / 64] |= 1 << (at % 64);
            at += 1 + usize::from(l);
            if l == 0 {
                q.name_len = at;
                return q;
            }
        }
        none
    }

    /// The length of the question's suffix that starts at message offset `at`, if one does.
    fn suffix_len(&self, at: usize) -> Option<usize> {
        let i = at.checked_sub(HEADER_LEN).filter(|&i| i < self.name_len)?;
        (self.starts[i / 64] & (1 << (i % 64)) != 0).then(|| self.name_len - i)
    }
}

/// One field of a record's data, as far as checking it goes.
#[derive(Debug, Clone, Copy)]
enum Field {
    /// So many bytes of anything.
    Fixed(usize),
    /// A name, possibly compressed.
    Name,
    /// A length byte and that many bytes.
    Text,
}

/// The layout of `rtype`'s rdata in `class`, and whether opaque bytes may follow the fields;
/// `None` for types whose rdata is opaque to us.
///
/// Names are checked in the RFC 1035 types, where RFC 3597 §4 lets senders compress them,
/// and in the types it tells receivers they should decompress (RP, AFSDB, RT, SIG, PX, NXT,
/// NAPTR, SRV): a client may follow a pointer there too, so it must be as sound as any
/// other. Every other type's names are never compressed, so its rdata is only copied. A and
/// AAAA are checked for length in class IN (other classes define A differently).
fn rdata_layout(rtype: u16, class: u16) -> Option<(&'static [Field], bool)> {
    use Field::{Fixed, Name, Text};
    const IN: u16 = 1;
    Some(match rtype {
        1 if class == IN => (&[Fixed(4)], false),
        28 if class == IN => (&[Fixed(16)], false),
        // NS, MD, MF, CNAME, MB, MG, MR, PTR
        2..=5 | 7..=9 | 12 => (&[Name], false),
        // SOA: MNAME, RNAME, then serial, refresh, retry, expire, minimum
        6 => (&[Name, Name, Fixed(20)], false),
        // MINFO, RP
        14 | 17 => (&[Name, Name], false),
        // MX, AFSDB, RT: a 16-bit number and a name
        15 | 18 | 21 => (&[Fixed(2), Name], false),
        // SIG: fixed fields, signer, then the signature
        24 => (&[Fixed(18), Name], true),
        // PX
        26 => (&[Fixed(2), Name, Name], false),
        // NXT: next name, then the type bitmap
        30 => (&[Name], true),
        // SRV: priority, weight, port, target
        33 => (&[Fixed(6), Name], false),
        // NAPTR: order, preference, flags, services, regexp, replacement
        35 => (&[Fixed(4), Text, Text, Text, Name], false),
        _ => return None,
    })
}

/// Check the record at `pos` (see [`parse_upstream`]) and append its position to `records`,
/// the records before it, whose TTLs its pointers must not read. Returns its position.
fn check_record(
    b: &[u8],
    pos: usize,
    records: &mut Vec<RecordPos>,
    question: &QuestionLabels,
) -> Result<RecordPos, WireError> {
    let after_owner = check_name(b, pos, records, question)?;
    let rtype = u16_at(b, after_owner)?;
    let class = u16_at(b, after_owner + 2)?;
    let rdata = after_owner + 10;
    let end = rdata + usize::from(u16_at(b, after_owner + 8)?);
    if end > b.len() {
        return Err(WireError::Truncated);
    }
    let r = RecordPos {
        start: pos,
        ttl_at: after_owner + 4,
        rtype,
        end,
    };
    // Before the rdata is checked: a name in it must not read this record's own TTL either.
    records.push(r);
    if let Some((fields, rest)) = rdata_layout(rtype, class) {
        let mut at = rdata;
        for f in fields {
            at = match f {
                Field::Fixed(n) => at + n,
                Field::Name if at < end => check_name(b, at, records, question)?,
                Field::Name => return Err(WireError::BadRdata),
                Field::Text => at + 1 + usize::from(*b.get(at).ok_or(WireError::BadRdata)?),
            };
            if at > end {
                return Err(WireError::BadRdata);
            }
        }
        if at != end && !rest {
            return Err(WireError::BadRdata);
        }
    }
    Ok(r)
}

/// Check a name that may be compressed; returns the position after it where it sits.
///
/// Each run of labels reached through a pointer must start below the run that led to it
/// (past the header) and end, its own pointer or root included, before the pointer that led
/// to it. So everything read lies before the name's first pointer, which is what copying
/// needs (the bytes read are copied too, or are the question), and every hop lands lower
/// than the last, so chains end. Nor may those labels touch a TTL of `records` (sorted by
/// position). Into the question, a pointer may only name one of its labels. At most [`MAX_POINTER_HOPS`] hops; at most [`MAX_NAME_LEN`] bytes in wire
/// form; label types 00 and 11 only.
fn check_name(
    b: &[u8],
    start: usize,
    records: &[RecordPos],
    question: &QuestionLabels,
) -> Result<usize, WireError> {
    let mut at = start;
    // Start of the current run of labels, and the pointer that led to it (none for the
    // labels in place).
    let mut run = start;
    let mut from: Option<usize> = None;
    // Where the name ends in place: after its first pointer, or after the root.
    let mut end = None;
    let mut len = 0usize;
    let mut hops = 0usize;
    // A run that ends at `to` (exclusive) is sound if it ends before the pointer that led
    // to it and reads no TTL.
    let run_ok = |run: usize, to: usize, from: Option<usize>| match from {
        None => true,
        Some(p) => to <= p && !reads_ttl(records, run, to),
    };
    loop {
        let l = *b.get(at).ok_or(WireError::Truncated)?;
        match l & 0xC0 {
            0x00 => {
                len += usize::from(l) + 1;
                if len > MAX_NAME_LEN {
                    return Err(WireError::BadName);
                }
                if l == 0 {
                    if !run_ok(run, at + 1, from) {
                        return Err(WireError::BadPointer);
                    }
                    return Ok(end.unwrap_or(at + 1));
                }
                at += usize::from(l) + 1;
            }
            0xC0 => {
                let low = *b.get(at + 1).ok_or(WireError::Truncated)?;
                let target = (usize::from(l & 0x3F) << 8) | usize::from(low);
                hops += 1;
                if target < HEADER_LEN
                    || target >= run
                    || hops > MAX_POINTER_HOPS
                    || !run_ok(run, at + 2, from)
                {
                    return Err(WireError::BadPointer);
                }
                end = end.or(Some(at + 2));
                // Into the question: only to one of its labels, whose suffix is known good and
                // lies before every pointer and TTL.
                if target < question.end {
                    let rest = question.suffix_len(target).ok_or(WireError::BadPointer)?;
                    if len + rest > MAX_NAME_LEN {
                        return Err(WireError::BadName);
                    }
                    return Ok(end.unwrap_or(at + 2));
                }
                from = Some(at);
                run = target;
                at = target;
            }
            _ => return Err(WireError::BadName),
        }
    }
}

/// Whether bytes `from..to` overlap the TTL of one of `records` (sorted by position). TTLs are
/// rewritten when an answer is served from the cache, so a name must never be read from one.
fn reads_ttl(records: &[RecordPos], from: usize, to: usize) -> bool {
    // Most pointers name the question, before every TTL: no search then.
    if records.first().is_none_or(|r| to <= r.ttl_at) {
        return false;
    }
    let i = records.partition_point(|r| r.ttl_at + 4 <= from);
    records.get(i).is_some_and(|r| r.ttl_at < to)
}

/// Check the upstream's OPT record: options that exactly fill its data, no extended rcode.
fn check_opt(b: &[u8], r: &RecordPos) -> Result<(), WireError> {
    if b[r.ttl_at] != 0 {
        return Err(WireError::Shape("extended rcode"));
    }
    let mut at = r.ttl_at + 6;
    while at < r.end {
        at += 4 + usize::from(u16_at(b, at + 2)?);
    }
    if at != r.end {
        return Err(WireError::BadRdata);
    }
    Ok(())
}

/// Test support, public only because the fuzz targets see public items alone: whether an
/// answer [`parse_upstream`] accepts stays sound when copied the way the cache copies it.
///
/// The copy gets another header, the question in the other letter case, other TTLs and an
/// OPT record of ours; it must pass the same checks with the same layout, and each record's
/// names must read the same, ignoring case. `Ok` when `parse_upstream` refuses `resp`.
#[doc(hidden)]
pub fn check_copy(resp: &[u8], question: &[u8]) -> Result<(), String> {
    let Ok(parts) = parse_upstream(resp, question) else {
        return Ok(());
    };
    let layout_ok = parts.body_start <= parts.body_end
        && parts.body_end <= resp.len()
        && parts.records.len() == usize::from(parts.answers) + usize::from(parts.authorities)
        && parts.records.windows(2).all(|w| w[0].end == w[1].start)
        && parts
            .records
            .first()
            .is_none_or(|r| r.start == parts.body_start)
        && parts.records.last().map_or(parts.body_start, |r| r.end) == parts.body_end
        && parts
            .records
            .iter()
            .all(|r| r.start < r.ttl_at && r.ttl_at + 6 <= r.end);
    if !layout_ok {
        return Err(format!("inconsistent layout: {parts:?}"));
    }
    let name_len = question.len().saturating_sub(4);
    let mut flipped = question.to_vec();
    for c in &mut flipped[..name_len] {
        if c.is_ascii_alphabetic() {
            *c ^= 0x20;
        }
    }
    let mut copy = Vec::with_capacity(parts.body_end + 11);
    push_header(
        &mut copy,
        !u16_at(resp, 0).unwrap_or(0),
        flags::QR | flags::RD | flags::RA | u16::from(parts.rcode),
        [1, parts.answers, parts.authorities, 1],
    );
    copy.extend_from_slice(&flipped);
    copy.extend_from_slice(&resp[parts.body_start..parts.body_end]);
    for r in &parts.records {
        let ttl = !u32_at(resp, r.ttl_at).unwrap_or(0);
        copy[r.ttl_at..r.ttl_at + 4].copy_from_slice(&ttl.to_be_bytes());
    }
    // Our OPT: root owner, type 41, payload, no extended rcode, flags, no options.
    copy.extend_from_slice(&[0, 0, 41, 0x04, 0xD0, 0, 0, 0, 0, 0, 0]);
    let again = parse_upstream(&copy, &flipped).map_err(|e| format!("copy refused: {e}"))?;
    if again.records != parts.records || again.body_end != parts.body_end {
        return Err(format!("copy laid out differently: {again:?} vs {parts:?}"));
    }
    let (mut a, mut b) = (Vec::new(), Vec::new());
    for r in &parts.records {
        let mut names = vec![r.start];
        let after_owner = r.ttl_at - 4;
        let class = u16_at(resp, after_owner + 2).unwrap_or(0);
        if let Some((fields, _)) = rdata_layout(r.rtype, class) {
            let mut at = after_owner + 10;
            for f in fields {
                match f {
                    Field::Fixed(n) => at += n,
                    Field::Text => at += 1 + usize::from(resp[at]),
                    Field::Name => {
                        names.push(at);
                        at = check_name(resp, at, &[], &QuestionLabels::of(question))
                            .map_err(|e| e.to_string())?;
                    }
                }
            }
        }
        for at in names {
            read_name(resp, at, &mut a);
            read_name(&copy, at, &mut b);
            if !a.eq_ignore_ascii_case(&b) {
                return Err(format!("name at {at} reads {a:?}, in the copy {b:?}"));
            }
        }
    }
    Ok(())
}

/// The name at `pos` uncompressed, into `out` (for [`check_copy`]; bounded, never loops).
fn read_name(b: &[u8], mut pos: usize, out: &mut Vec<u8>) {
    out.clear();
    for _ in 0..MAX_NAME_LEN + MAX_POINTER_HOPS {
        let Some(&l) = b.get(pos) else { return };
        if l & 0xC0 == 0xC0 {
            pos = (usize::from(l & 0x3F) << 8) | usize::from(b.get(pos + 1).copied().unwrap_or(0));
            continue;
        }
        let label = b.get(pos..pos + 1 + usize::from(l)).unwrap_or_default();
        out.extend_from_slice(label);
        if l == 0 || label.is_empty() {
            return;
        }
        pos += label.len();
    }
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

    #[test]
    fn expand_name_follows_backward_pointers_only() {
        let mut msg = vec![0u8; HEADER_LEN];
        msg.extend_from_slice(&[3, b'c', b'o', b'm', 0]); // 12: "com"
        msg.extend_from_slice(&[1, b'A', 0xC0, 12]); // 17: "A.com"
        msg.extend_from_slice(&[0xC0, 17]); // 21: -> "A.com"
        msg.extend_from_slice(&[0xC0, 23]); // 23: points at itself
        msg.extend_from_slice(&[0xC0, 27, 0, 0]); // 25: points forwards
        let mut out = Vec::new();
        expand_name(&msg, 21, &mut out).unwrap();
        assert_eq!(out, [1, b'A', 3, b'c', b'o', b'm', 0]);
        for at in [23, 25] {
            assert_eq!(
                expand_name(&msg, at, &mut Vec::new()),
                Err(WireError::BadPointer)
            );
        }
        assert_eq!(
            expand_name(&msg, msg.len(), &mut Vec::new()),
            Err(WireError::Truncated)
        );
        // 5 labels of 63 bytes: longer than a name may be.
        let mut long = vec![0u8; HEADER_LEN];
        for _ in 0..5 {
            long.push(63);
            long.extend_from_slice(&[b'x'; 63]);
        }
        long.push(0);
        assert_eq!(
            expand_name(&long, HEADER_LEN, &mut Vec::new()),
            Err(WireError::BadName)
        );
    }

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
            randomize_case(&mut n, rand::random);
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
        let with_cd = error_reply(1, req | flags::CD, rcode::NOTIMP);
        let fl_cd = u16::from_be_bytes([with_cd[2], with_cd[3]]);
        assert_eq!(
            fl_cd & flags::CD,
            0,
            "CD not echoed: defined for QUERY only"
        );
        assert_eq!(fl & 0x0400, 0, "no AA");
        assert_eq!(fl & 0x0F, u16::from(rcode::NOTIMP));
        // Other errors still say recursion is available.
        let f = error_reply(1, flags::RD, rcode::FORMERR);
        assert_ne!(u16::from_be_bytes([f[2], f[3]]) & flags::RA, 0);
    }

    #[test]
    fn random_bytes_never_panic() {
        // A cheap deterministic generator: the point is coverage of odd shapes, not quality.
        let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
        for len in 0..2000usize {
            let mut b: Vec<u8> = (0..len).map(|_| rng.byte()).collect();
            if len > 5 {
                b[2] &= 0x7F; // mostly queries, so parsing goes deeper
                b[4] = 0;
                b[5] = 1;
            }
            let _ = parse_query(&b);
            let _ = name_to_text(&b);
            // The same bytes as an answer, to questions of every length they could hold.
            if len > 5 {
                b[2] |= 0x80;
            }
            for qlen in [0, 5, 17, len.saturating_sub(HEADER_LEN)] {
                let q = b.get(HEADER_LEN..HEADER_LEN + qlen).unwrap_or_default();
                check_copy(&b, q).unwrap();
            }
        }
    }

    /// xorshift64: deterministic, and enough to reach odd shapes.
    struct Rng(u64);

    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }
        fn byte(&mut self) -> u8 {
            self.next() as u8
        }
        fn below(&mut self, n: usize) -> usize {
            (self.next() % n.max(1) as u64) as usize
        }
    }

    /// The question of the hand-made answers: www.example.com A IN. In a message, its name is
    /// at 12, `example.com` at 16 and `com` at 24; the answer section starts at 33.
    const Q: &[u8] = b"\x03www\x07example\x03com\x00\x00\x01\x00\x01";
    const BODY: usize = HEADER_LEN + Q.len();
    const TYPE_A: u16 = 1;
    const TYPE_CNAME: u16 = 5;
    const TYPE_SOA: u16 = 6;
    const TYPE_NULL: u16 = 10;
    const TYPE_MX: u16 = 15;

    /// A record of class IN, TTL 300.
    fn rr(owner: &[u8], rtype: u16, rdata: &[u8]) -> Vec<u8> {
        let mut r = owner.to_vec();
        r.extend_from_slice(&rtype.to_be_bytes());
        r.extend_from_slice(&1u16.to_be_bytes());
        r.extend_from_slice(&300u32.to_be_bytes());
        r.extend_from_slice(&(rdata.len() as u16).to_be_bytes());
        r.extend_from_slice(rdata);
        r
    }

    /// An answer to [`Q`] with these section counts and records.
    fn answer(counts: [u16; 3], records: &[Vec<u8>]) -> Vec<u8> {
        let mut out = Vec::new();
        let fl = flags::QR | flags::RD | flags::RA;
        push_header(&mut out, 0x1234, fl, [1, counts[0], counts[1], counts[2]]);
        out.extend_from_slice(Q);
        for r in records {
            out.extend_from_slice(r);
        }
        out
    }

    fn opt(ext_rcode: u8, options: &[u8]) -> Vec<u8> {
        let mut r = vec![0, 0, 41, 0x04, 0xD0, ext_rcode, 0, 0, 0];
        r.extend_from_slice(&(options.len() as u16).to_be_bytes());
        r.extend_from_slice(options);
        r
    }

    fn soa_rdata(numbers: usize) -> Vec<u8> {
        let mut d = b"\x02ns\xC0\x10\x0ahostmaster\xC0\x10".to_vec();
        d.extend(std::iter::repeat_n(7u8, numbers));
        d
    }

    /// A CNAME to cdn.example.com, its A record, the zone's SOA and an OPT, all compressed.
    fn good_answer() -> Vec<u8> {
        answer(
            [2, 1, 1],
            &[
                rr(&[0xC0, 12], TYPE_CNAME, b"\x03cdn\xC0\x10"), // rdata at 45
                rr(&[0xC0, 45], TYPE_A, &[192, 0, 2, 7]),
                rr(&[0xC0, 16], TYPE_SOA, &soa_rdata(20)),
                opt(0, b"\x00\x0a\x00\x02\xAB\xCD"),
            ],
        )
    }

    fn parse(b: &[u8]) -> Result<UpstreamParts, WireError> {
        let r = parse_upstream(b, Q);
        check_copy(b, Q).unwrap();
        r
    }

    #[test]
    fn accepts_a_compressed_answer_and_locates_its_sections() {
        let b = good_answer();
        let p = parse(&b).unwrap();
        assert_eq!((p.answers, p.authorities, p.rcode), (2, 1, 0));
        assert_eq!(p.body_start, BODY);
        assert_eq!(p.records.len(), 3, "the OPT is not kept");
        assert_eq!(p.records[1].rtype, TYPE_A);
        assert_eq!(
            p.body_end,
            b.len() - opt(0, b"\x00\x0a\x00\x02\xAB\xCD").len()
        );
        let m = hickory_proto::op::Message::from_vec(&b).unwrap();
        assert_eq!(m.answers[1].name.to_ascii(), "cdn.example.com.");
    }

    #[test]
    fn the_question_must_match_byte_for_byte() {
        let mut b = good_answer();
        assert_eq!(
            parse_upstream(&b, b"\x03WWW\x07example\x03com\x00\x00\x01\x00\x01"),
            Err(WireError::Mismatch),
            "letter case"
        );
        b[HEADER_LEN + 1] = b'W';
        assert_eq!(parse(&b), Err(WireError::Mismatch));
        let mut b = good_answer();
        b[BODY - 3] = 28; // AAAA
        assert_eq!(parse(&b), Err(WireError::Mismatch), "type");
        let mut b = good_answer();
        b[2] |= 0x10; // opcode 2
        assert_eq!(parse(&b), Err(WireError::Mismatch), "opcode");
        let mut b = good_answer();
        b[2] &= 0x7F;
        assert!(matches!(parse(&b), Err(WireError::Shape(_))), "a query");
        let mut b = good_answer();
        b[5] = 2;
        assert!(
            matches!(parse(&b), Err(WireError::Shape(_))),
            "two questions"
        );
    }

    #[test]
    fn refuses_bad_pointers() {
        let cases: [(&str, Vec<u8>); 6] = [
            (
                "to itself",
                answer([1, 0, 0], &[rr(&[0xC0, BODY as u8], TYPE_A, &[1; 4])]),
            ),
            (
                "loop through a label",
                answer(
                    [1, 0, 0],
                    &[rr(&[1, b'a', 0xC0, BODY as u8], TYPE_A, &[1; 4])],
                ),
            ),
            (
                "forward",
                answer(
                    [2, 0, 0],
                    &[rr(&[0xC0, 60], TYPE_A, &[1; 4]), rr(&[0], TYPE_A, &[1; 4])],
                ),
            ),
            (
                "into the header",
                answer([1, 0, 0], &[rr(&[0xC0, 5], TYPE_A, &[1; 4])]),
            ),
            (
                "past the end",
                answer([1, 0, 0], &[rr(&[0xFF, 0xFF], TYPE_A, &[1; 4])]),
            ),
            // The first A's TTL is at 37..41; 38 holds 0, the root, until the TTL counts down.
            (
                "into a TTL",
                answer(
                    [2, 0, 0],
                    &[
                        rr(&[0xC0, 12], TYPE_A, &[1; 4]),
                        rr(&[0xC0, 38], TYPE_A, &[1; 4]),
                    ],
                ),
            ),
        ];
        for (what, b) in cases {
            assert_eq!(parse(&b), Err(WireError::BadPointer), "{what}");
        }
        // Two pointers that point at each other, reached from a third name.
        let mut null = vec![0xC0, 0, 0xC0, 0];
        let at = BODY as u8 + 11; // rdata of the first record
        null[1] = at + 2;
        null[3] = at;
        let b = answer(
            [2, 0, 0],
            &[
                rr(&[0], TYPE_NULL, &null),
                rr(&[0xC0, at + 2], TYPE_A, &[1; 4]),
            ],
        );
        assert_eq!(parse(&b), Err(WireError::BadPointer), "two-pointer loop");
        // A pointer to a label that swallows the pointer itself and so reads on into the
        // next record (its TTL here): found by the mutation test below.
        let b = answer(
            [2, 0, 0],
            &[
                rr(&[0xC0, 12], TYPE_MX, b"\x00\x0a\x02mx\xC0\x2e"),
                rr(&[0xC0, 47], TYPE_A, &[1; 4]),
            ],
        );
        assert_eq!(
            parse(&b),
            Err(WireError::BadPointer),
            "run past its pointer"
        );
        // A pointer in the rdata of a type that holds names: same rules.
        let b = answer([1, 0, 0], &[rr(&[0xC0, 12], TYPE_CNAME, &[0xC0, 200])]);
        assert_eq!(parse(&b), Err(WireError::BadPointer), "forward, in rdata");
    }

    #[test]
    fn pointers_into_the_question_name_its_labels_only() {
        // Into the middle of a question label whose data holds `C0 0C` (found by fuzzing:
        // the labels that pointer leads to ran past it), or `C0 41`: a pointer whose low
        // byte is a letter, `A` here and maybe `a` in the client's question.
        for q in [
            &b"\x03www\x05a\xC0\x0Cbc\x00\x00\x01\x00\x01"[..],
            &b"\x03www\x05a\xC0\x41bc\x00\x00\x01\x00\x01"[..],
        ] {
            let mut b = Vec::new();
            push_header(&mut b, 1, flags::QR, [1, 1, 0, 0]);
            b.extend_from_slice(q);
            b.extend_from_slice(&rr(&[0xC0, 18], TYPE_A, &[1; 4]));
            assert_eq!(parse_upstream(&b, q), Err(WireError::BadPointer), "{q:?}");
            check_copy(&b, q).unwrap();
        }
        // Into the question's type (its first byte, 0, reads as the root).
        let b = answer([1, 0, 0], &[rr(&[0xC0, BODY as u8 - 4], TYPE_A, &[1; 4])]);
        assert_eq!(parse(&b), Err(WireError::BadPointer));
        // To its labels: fine.
        for at in [12, 16, 24] {
            assert!(parse(&answer([1, 0, 0], &[rr(&[0xC0, at], TYPE_A, &[1; 4])])).is_ok());
        }
    }

    #[test]
    fn bounds_pointer_chains() {
        // Opaque rdata holding the root and then 130 pointers, each to the one before it.
        let base = BODY + 1 + 10;
        let mut chain = vec![0u8];
        for i in 0..130 {
            let to = if i == 0 { base } else { base + 1 + 2 * (i - 1) };
            chain.extend_from_slice(&[0xC0 | (to >> 8) as u8, to as u8]);
        }
        let via = |j: usize| {
            let at = base + 1 + 2 * j;
            answer(
                [2, 0, 0],
                &[
                    rr(&[0], TYPE_NULL, &chain),
                    rr(&[0xC0 | (at >> 8) as u8, at as u8], TYPE_A, &[1; 4]),
                ],
            )
        };
        // The owner's own pointer, then elements j down to 0: j + 2 hops.
        assert!(parse(&via(MAX_POINTER_HOPS - 2)).is_ok());
        assert_eq!(
            parse(&via(MAX_POINTER_HOPS - 1)),
            Err(WireError::BadPointer)
        );
    }

    #[test]
    fn refuses_bad_names() {
        let label = |n: usize| {
            let mut l = vec![n as u8];
            l.extend(std::iter::repeat_n(b'x', n));
            l
        };
        let name = |labels: &[usize]| {
            let mut n: Vec<u8> = labels.iter().flat_map(|&l| label(l)).collect();
            n.push(0);
            n
        };
        assert!(
            parse(&answer(
                [1, 0, 0],
                &[rr(&name(&[63, 63, 63, 61]), TYPE_A, &[1; 4])]
            ))
            .is_ok(),
            "255 bytes"
        );
        assert_eq!(
            parse(&answer(
                [1, 0, 0],
                &[rr(&name(&[63, 63, 63, 62]), TYPE_A, &[1; 4])]
            )),
            Err(WireError::BadName)
        );
        // Too long only once decompressed: 128 bytes of labels in place, then a pointer to
        // 193 more kept in an opaque record before.
        let target = BODY + 11;
        let mut owner = [label(63), label(63)].concat();
        owner.extend_from_slice(&[0xC0 | (target >> 8) as u8, target as u8]);
        let b = answer(
            [2, 0, 0],
            &[
                rr(&[0], TYPE_NULL, &name(&[63, 63, 63])),
                rr(&owner, TYPE_A, &[1; 4]),
            ],
        );
        assert_eq!(parse(&b), Err(WireError::BadName));
        for l in [0x40, 0x80] {
            assert_eq!(
                parse(&answer([1, 0, 0], &[rr(&[l, 0], TYPE_A, &[1; 4])])),
                Err(WireError::BadName),
                "label type {l:#x}"
            );
        }
    }

    #[test]
    fn rdata_must_fit_its_type() {
        let bad: [(&str, u16, Vec<u8>); 7] = [
            ("SOA numbers short", TYPE_SOA, soa_rdata(19)),
            ("SOA with a byte more", TYPE_SOA, soa_rdata(21)),
            (
                "CNAME with a byte more",
                TYPE_CNAME,
                b"\x03cdn\xC0\x10\x00".to_vec(),
            ),
            ("MX without its name", TYPE_MX, vec![0, 10]),
            ("A of five bytes", TYPE_A, vec![1; 5]),
            (
                "NAPTR text past the end",
                35,
                b"\x00\x01\x00\x01\x01u\x07E2U+sip\x09".to_vec(),
            ),
            ("SRV without a target", 33, vec![0; 6]),
        ];
        for (what, t, d) in bad {
            let b = answer([1, 0, 0], &[rr(&[0xC0, 12], t, &d)]);
            assert_eq!(parse(&b), Err(WireError::BadRdata), "{what}");
        }
        // An MX whose name runs on past the rdata into the next record.
        let mut mx = rr(&[0xC0, 12], TYPE_MX, b"\x00\x0a\x03cdn\xC0\x10");
        let len = mx.len();
        mx[len - 9] = 4; // rdata length 4: the name would end 4 bytes past it
        mx.extend_from_slice(&rr(&[0], TYPE_NULL, &[]));
        assert!(parse(&answer([2, 0, 0], &[mx])).is_err());
        let good: [(u16, Vec<u8>); 4] = [
            (TYPE_MX, b"\x00\x0a\x02mx\xC0\x10".to_vec()),
            (33, b"\x00\x01\x00\x02\x01\xBB\x03sip\xC0\x10".to_vec()),
            (35, b"\x00\x01\x00\x01\x01u\x07E2U+sip\x00\xC0\x10".to_vec()),
            // Opaque types are only copied, whatever they hold.
            (TYPE_NULL, vec![0xC0, 0xFF, 0x40]),
        ];
        for (t, d) in good {
            assert!(
                parse(&answer([1, 0, 0], &[rr(&[0xC0, 12], t, &d)])).is_ok(),
                "type {t}"
            );
        }
    }

    #[test]
    fn refuses_truncated_answers() {
        let b = good_answer();
        for cut in 0..b.len() {
            assert!(parse(&b[..cut]).is_err(), "cut at {cut}");
        }
        // Counts that claim one record more than there is.
        let mut b = good_answer();
        b[11] = 2;
        assert_eq!(parse(&b), Err(WireError::Truncated));
        // Huge counts in a short message fail without reserving room for them.
        let mut b = good_answer();
        b[6..12].fill(0xFF);
        assert!(parse(&b).is_err());
        // A record length past the end.
        let mut b = answer([1, 0, 0], &[rr(&[0xC0, 12], TYPE_A, &[1; 4])]);
        b.truncate(b.len() - 1);
        assert_eq!(parse(&b), Err(WireError::Truncated));
    }

    #[test]
    fn checks_the_opt_record() {
        let a = rr(&[0xC0, 12], TYPE_A, &[1; 4]);
        assert!(parse(&answer([1, 0, 1], &[a.clone(), opt(0, &[])])).is_ok());
        let shape = [
            (
                "twice",
                answer([1, 0, 2], &[a.clone(), opt(0, &[]), opt(0, &[])]),
            ),
            (
                "in the answer",
                answer([2, 0, 0], &[a.clone(), opt(0, &[])]),
            ),
            (
                "not owned by the root",
                answer(
                    [1, 0, 1],
                    &[a.clone(), [&[0xC0, 12][..], &opt(0, &[])[1..]].concat()],
                ),
            ),
            (
                "extended rcode (BADVERS)",
                answer([1, 0, 1], &[a.clone(), opt(1, &[])]),
            ),
        ];
        for (what, b) in shape {
            assert!(matches!(parse(&b), Err(WireError::Shape(_))), "{what}");
        }
        let b = answer([1, 0, 1], &[a.clone(), opt(0, b"\x00\x0a\x00\x09\xAB")]);
        assert_eq!(parse(&b), Err(WireError::BadRdata), "option past its end");
        // Additional records are walked with the same rules, and dropped.
        let b = answer([1, 0, 1], &[a, rr(&[0xC0, 250], TYPE_A, &[1; 4])]);
        assert_eq!(parse(&b), Err(WireError::BadPointer));
    }

    #[test]
    fn ignores_bytes_after_the_counted_records() {
        let mut b = good_answer();
        let p = parse(&b).unwrap();
        // Garbage, or a whole record the counts do not include: never read, never copied.
        b.extend_from_slice(&[0xC0, 0xFF, 0x40, 1, 2]);
        assert_eq!(parse(&b).unwrap(), p);
        let mut b = good_answer();
        b.extend_from_slice(&rr(&[0xC0, 12], TYPE_A, &[6, 6, 6, 6]));
        assert_eq!(parse(&b).unwrap(), p);
    }

    #[test]
    fn a_valid_64_kib_answer_passes() {
        let records: Vec<Vec<u8>> = (0..4_000u32)
            .map(|i| rr(&[0xC0, 12], TYPE_A, &i.to_be_bytes()))
            .collect();
        let b = answer([4_000, 0, 0], &records);
        assert!(b.len() > 64_000 && b.len() <= 65_535, "{}", b.len());
        let p = parse(&b).unwrap();
        assert_eq!(p.records.len(), 4_000);
        assert_eq!(p.body_end, b.len());
    }

    #[test]
    fn hickory_encoded_answers_pass() {
        use hickory_proto::op::{Message, OpCode, Query as HQuery};
        use hickory_proto::rr::rdata::{A, AAAA, CNAME, MX, NS, PTR, SOA, SRV, TXT};
        use hickory_proto::rr::{Name, RData, Record, RecordType};
        let n = |s: &str| Name::from_ascii(s).unwrap();
        let mut m = Message::response(9, OpCode::Query);
        m.add_query(HQuery::query(n("Www.Example.com."), RecordType::ANY));
        let recs = [
            RData::CNAME(CNAME(n("cdn.example.com."))),
            RData::A(A::new(192, 0, 2, 1)),
            RData::AAAA(AAAA::new(0x2001, 0xdb8, 0, 0, 0, 0, 0, 1)),
            RData::MX(MX::new(10, n("mx.example.com."))),
            RData::SRV(SRV::new(1, 2, 443, n("cdn.example.com."))),
            RData::PTR(PTR(n("www.example.com."))),
            RData::TXT(TXT::new(vec!["hello".into(), "world".into()])),
        ];
        m.add_answers(
            recs.into_iter()
                .map(|d| Record::from_rdata(n("www.example.com."), 60, d)),
        );
        let zone = n("example.com.");
        m.add_authority(Record::from_rdata(
            zone.clone(),
            60,
            RData::NS(NS(n("ns.example.com."))),
        ));
        m.add_authority(Record::from_rdata(
            zone.clone(),
            60,
            RData::SOA(SOA::new(
                n("ns.example.com."),
                n("h.example.com."),
                1,
                2,
                3,
                4,
                5,
            )),
        ));
        m.add_additional(Record::from_rdata(
            n("ns.example.com."),
            60,
            RData::A(A::new(192, 0, 2, 53)),
        ));
        let b = m.to_vec().unwrap();
        let q = &b[HEADER_LEN..HEADER_LEN + 21];
        let p = parse_upstream(&b, q).unwrap();
        assert_eq!((p.answers, p.authorities), (7, 2));
        check_copy(&b, q).unwrap();
    }

    #[test]
    fn mutated_answers_never_panic_and_what_passes_copies_soundly() {
        let seeds = [
            good_answer(),
            answer(
                [2, 0, 0],
                &[
                    rr(&[0xC0, 12], TYPE_MX, b"\x00\x0a\x02mx\xC0\x10"),
                    rr(&[0xC0, 47], TYPE_A, &[1; 4]),
                ],
            ),
            answer(
                [1, 1, 0],
                &[
                    rr(&[0xC0, 12], TYPE_NULL, &[0, 0xC0, 12]),
                    rr(&[0xC0, 16], TYPE_SOA, &soa_rdata(20)),
                ],
            ),
        ];
        let mut rng = Rng(0x2545_F491_4F6C_DD1D);
        let mut passed = 0;
        for seed in &seeds {
            for _ in 0..20_000 {
                let mut b = seed.clone();
                for _ in 0..1 + rng.below(4) {
                    let i = rng.below(b.len());
                    match rng.below(6) {
                        0 => b[i] ^= 1 << rng.below(8),
                        1 => b[i] = rng.byte(),
                        // Pointers are where parsers go wrong: aim them anywhere.
                        2 if i + 1 < b.len() => {
                            b[i] = 0xC0;
                            b[i + 1] = rng.byte();
                        }
                        3 => b.truncate(i),
                        4 => b.insert(i, rng.byte()),
                        _ => {
                            b.remove(i);
                        }
                    }
                    if b.is_empty() {
                        break;
                    }
                }
                // `check_copy` runs `parse_upstream` and, when it accepts, checks the copy.
                check_copy(&b, Q).unwrap_or_else(|e| panic!("{e}: {b:02x?}"));
                passed += usize::from(parse_upstream(&b, Q).is_ok());
            }
        }
        // Some mutants are valid answers (an A record's address changed...): the copy check
        // above ran on them.
        assert!(passed > 100, "{passed}");
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
