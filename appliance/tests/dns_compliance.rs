//! Protocol corners, judged the way ISC's DNS compliance test (`genreport` from
//! DNS-Compliance-Testing, in recursive mode, `-R -f -c` plus some type tests) judges them, with
//! unbound as the reference: whereflow and an unbound, both forwarding to the same nsd, get
//! the same queries, and every problem found in whereflow's answer must also be found in
//! unbound's. (genreport itself is not built by the tests: its source is only on GitHub,
//! which CI cannot reach. Run by hand against both servers, it agreed with this test.)
//!
//! Each case is one of genreport's tests: SOA of the zone with header flags set (AA, AD, CD,
//! RA, TC, Z), unknown opcodes, an unknown type, EDNS with version 1, a small buffer, unknown
//! options and flags, DO, over TCP. The checks are genreport's (`process()`), written anew.

mod dns_support;

use std::net::SocketAddr;

use dns_support::*;
use hickory_proto::op::Message;
use whereflow::dns::wire;

const SOA: u16 = 6;
const DNSKEY: u16 = 48;
const OPT: u16 = 41;
const RRSIG: u16 = 46;
const NOTIMP: u16 = 4;
const BADVERS: u16 = 16;
const BADCOOKIE: u16 = 23;
/// The zone asked about.
const ZONE: &str = "example.test";

/// One genreport test: the query's header flags, EDNS and type.
#[derive(Clone, Copy)]
struct Case {
    name: &'static str,
    /// EDNS UDP payload size; 0: no EDNS.
    udpsize: u16,
    /// EDNS flags (DO is 0x8000).
    eflags: u16,
    version: u8,
    options: &'static [u8],
    tcp: bool,
    /// The query carries a client cookie (BADCOOKIE is then acceptable).
    cookie: bool,
    /// Do not retry a truncated answer over TCP; the answer must fit the buffer instead.
    ignore_tc: bool,
    tc: bool,
    ra: bool,
    cd: bool,
    ad: bool,
    aa: bool,
    z: bool,
    opcode: u8,
    qtype: u16,
}

const DNS: Case = Case {
    name: "dns",
    udpsize: 0,
    eflags: 0,
    version: 0,
    options: &[],
    tcp: false,
    cookie: false,
    ignore_tc: false,
    tc: false,
    ra: false,
    cd: false,
    ad: false,
    aa: false,
    z: false,
    opcode: 0,
    qtype: SOA,
};
const EDNS: Case = Case {
    name: "edns",
    udpsize: 4096,
    ..DNS
};
const COOKIE: &[u8] = b"\x00\x0a\x00\x08\x01\x02\x03\x04\x05\x06\x07\x08";
const NSID: &[u8] = b"\x00\x03\x00\x00";
const EXPIRE: &[u8] = b"\x00\x09\x00\x00";
const SUBNET: &[u8] = b"\x00\x08\x00\x04\x00\x01\x00\x00";
/// An option code nobody knows (100).
const UNKNOWN_OPTION: &[u8] = b"\x00\x64\x00\x00";
const OPTLIST: &[u8] = b"\x00\x03\x00\x00\x00\x08\x00\x04\x00\x01\x00\x00\x00\x09\x00\x00\x00\x0a\x00\x08\x01\x02\x03\x04\x05\x06\x07\x08";

/// genreport's EDNS and FULL groups (its default tests plus `-f`), its COMMON group (`-c`),
/// and some of its TYPE group (`-t`).
fn cases() -> Vec<Case> {
    let mut v = vec![
        DNS,
        Case {
            name: "aa",
            aa: true,
            ..DNS
        },
        Case {
            name: "ad",
            ad: true,
            ..DNS
        },
        Case {
            name: "cd",
            cd: true,
            ..DNS
        },
        Case {
            name: "ra",
            ra: true,
            ..DNS
        },
        Case { name: "rd", ..DNS },
        Case {
            name: "tc",
            tc: true,
            ..DNS
        },
        Case {
            name: "zflag",
            z: true,
            ..DNS
        },
        Case {
            name: "opcode",
            opcode: 15,
            qtype: 0,
            ..DNS
        },
        Case {
            name: "opcodeflg",
            opcode: 15,
            qtype: 0,
            tc: true,
            ra: true,
            cd: true,
            ad: true,
            aa: true,
            z: true,
            ..DNS
        },
        Case {
            name: "type666",
            qtype: 666,
            ..DNS
        },
        Case {
            name: "tcp",
            tcp: true,
            ..DNS
        },
        EDNS,
        Case {
            name: "edns1",
            version: 1,
            ..EDNS
        },
        Case {
            name: "edns@512",
            udpsize: 512,
            ignore_tc: true,
            qtype: DNSKEY,
            eflags: 0x8000,
            ..EDNS
        },
        Case {
            name: "ednsopt",
            options: UNKNOWN_OPTION,
            ..EDNS
        },
        Case {
            name: "edns1opt",
            options: UNKNOWN_OPTION,
            version: 1,
            ..EDNS
        },
        Case {
            name: "do",
            eflags: 0x8000,
            ..EDNS
        },
        Case {
            name: "docd",
            eflags: 0x8000,
            cd: true,
            ..EDNS
        },
        Case {
            name: "edns1do",
            eflags: 0x8000,
            version: 1,
            ..EDNS
        },
        Case {
            name: "ednsflags",
            eflags: 0x0080,
            ..EDNS
        },
        Case {
            name: "optlist",
            options: OPTLIST,
            cookie: true,
            ..EDNS
        },
        Case {
            name: "ednsnsid",
            options: NSID,
            ..EDNS
        },
        Case {
            name: "ednscookie",
            options: COOKIE,
            cookie: true,
            ..EDNS
        },
        Case {
            name: "ednsexpire",
            options: EXPIRE,
            ..EDNS
        },
        Case {
            name: "ednssubnet",
            options: SUBNET,
            ..EDNS
        },
        Case {
            name: "edns1nsid",
            options: NSID,
            version: 1,
            ..EDNS
        },
        Case {
            name: "edns1cookie",
            options: COOKIE,
            cookie: true,
            version: 1,
            ..EDNS
        },
        Case {
            name: "edns1expire",
            options: EXPIRE,
            version: 1,
            ..EDNS
        },
        Case {
            name: "edns1subnet",
            options: SUBNET,
            version: 1,
            ..EDNS
        },
        Case {
            name: "ednstcp",
            udpsize: 512,
            eflags: 0x8000,
            tcp: true,
            qtype: DNSKEY,
            ..EDNS
        },
        Case {
            name: "bind11",
            options: COOKIE,
            cookie: true,
            eflags: 0x8000,
            ..EDNS
        },
        Case {
            name: "dig11",
            options: COOKIE,
            cookie: true,
            ad: true,
            ..EDNS
        },
    ];
    // Type tests: plain queries for records the zone has, has not, or nobody knows.
    for (name, qtype) in [
        ("A", 1),
        ("NS", 2),
        ("CNAME", 5),
        ("PTR", 12),
        ("MX", 15),
        ("TXT", 16),
        ("AAAA", 28),
        ("SRV", 33),
        ("NAPTR", 35),
        ("DS", 43),
        ("RRSIG", RRSIG),
        ("NSEC", 47),
        ("DNSKEY", DNSKEY),
        ("NSEC3PARAM", 51),
        ("HTTPS", 65),
        ("CAA", 257),
        ("TYPE1000", 1000),
    ] {
        v.push(Case { name, qtype, ..DNS });
    }
    v
}

/// The query for a case (recursive mode: RD always set).
fn query(c: &Case, id: u16) -> Vec<u8> {
    let mut fl: u16 = 0x0100 | (u16::from(c.opcode) << 11);
    for (on, bit) in [
        (c.tc, 0x0200),
        (c.aa, 0x0400),
        (c.ra, 0x0080),
        (c.z, 0x0040),
        (c.ad, 0x0020),
        (c.cd, 0x0010),
    ] {
        if on {
            fl |= bit;
        }
    }
    let mut q = Vec::new();
    // Other opcodes: the header alone (genreport zeroes the question section).
    let questions = u16::from(c.opcode == 0);
    let edns = c.udpsize > 0 && c.opcode == 0;
    wire::push_header(&mut q, id, fl, [questions, 0, 0, u16::from(edns)]);
    if c.opcode == 0 {
        q.extend_from_slice(&wire::text_to_name(ZONE).unwrap());
        q.extend_from_slice(&c.qtype.to_be_bytes());
        q.extend_from_slice(&1u16.to_be_bytes());
    }
    if edns {
        q.push(0);
        q.extend_from_slice(&OPT.to_be_bytes());
        q.extend_from_slice(&c.udpsize.to_be_bytes());
        let ttl = (u32::from(c.version) << 16) | u32::from(c.eflags);
        q.extend_from_slice(&ttl.to_be_bytes());
        q.extend_from_slice(&(c.options.len() as u16).to_be_bytes());
        q.extend_from_slice(c.options);
    }
    q
}

/// Send a case's query to `server` as genreport does (a truncated UDP answer is retried over
/// TCP unless the case ignores TC); the answer's bytes, or why there is none.
async fn ask(server: SocketAddr, c: &Case, id: u16) -> Result<Vec<u8>, String> {
    let q = query(c, id);
    if c.tcp {
        return tcp_raw(server, &q).await;
    }
    let b = try_udp_bytes(server, &q, 3_000).await?;
    let tc = b.get(2).is_some_and(|f| f & 0x02 != 0);
    if tc && !c.ignore_tc {
        return tcp_raw(server, &q).await;
    }
    Ok(b)
}

fn u16_at(b: &[u8], at: usize) -> u16 {
    u16::from_be_bytes([b[at], b[at + 1]])
}

/// The problems genreport would report for this answer (recursive mode); empty: "ok".
fn judge(c: &Case, reply: Result<Vec<u8>, String>) -> Vec<String> {
    let b = match reply {
        Ok(b) => b,
        Err(e) => return vec![e],
    };
    let Ok(m) = Message::from_vec(&b) else {
        return vec!["malformed".into()];
    };
    if b.len() < wire::HEADER_LEN {
        return vec!["malformed".into()];
    }
    let mut tags = Vec::new();
    let mut tag = |t: &str| tags.push(t.to_string());
    let (f2, f3) = (b[2], b[3]);
    let opcode = (f2 >> 3) & 0x0F;
    let (aa, rd) = (f2 & 0x04 != 0, f2 & 0x01 != 0);
    let (ra, z, ad, cd) = (
        f3 & 0x80 != 0,
        f3 & 0x40 != 0,
        f3 & 0x20 != 0,
        f3 & 0x10 != 0,
    );
    let counts: Vec<u16> = (0..4).map(|i| u16_at(&b, 4 + 2 * i)).collect();

    // Walk the message as genreport does; bytes after the last record are "malformed".
    let mut pos = wire::HEADER_LEN;
    for _ in 0..counts[0] {
        let Ok(end) = wire::skip_name(&b, pos) else {
            return vec!["malformed".into()];
        };
        pos = end + 4;
    }
    let mut records = Vec::new();
    let Ok(end) = wire::walk_records(&b, pos, counts[1] + counts[2] + counts[3], &mut records)
    else {
        return vec!["malformed".into()];
    };
    if end != b.len() {
        return vec!["malformed".into()];
    }
    if c.opcode != 0 && counts[0] != 0 {
        tag("non-empty-question-section");
    }
    if c.opcode != 0 && counts[1] != 0 {
        tag("non-empty-answer-section");
    }
    if c.opcode == 0 {
        let asked = m
            .queries
            .first()
            .map(|q| (q.name().to_ascii(), u16::from(q.query_type())));
        if asked != Some((format!("{ZONE}."), c.qtype)) {
            return vec![format!("mismatch {asked:?}")];
        }
    }
    // The OPT record: its TTL holds the extended rcode, version and flags.
    let opts: Vec<_> = records.iter().filter(|r| r.rtype == OPT).collect();
    if opts.len() > 1 {
        return vec!["malformed".into()];
    }
    let seen_opt = !opts.is_empty();
    let ednsttl = opts
        .first()
        .map_or(0, |r| wire::ttl_at(&b, r.ttl_at).unwrap());
    let mut seen_echo = false;
    if let Some(r) = opts.first() {
        let mut at = r.ttl_at + 6;
        while at + 4 <= r.end {
            seen_echo |= u16_at(&b, at) == 100;
            at += 4 + usize::from(u16_at(&b, at + 2));
        }
        if at != r.end {
            return vec!["malformed".into()];
        }
    }
    let rcode = u16::from(f3 & 0x0F) + (((ednsttl >> 24) as u16) << 4);
    let answers = &records[..usize::from(counts[1])];
    let seen_soa = m.answers.iter().any(|r| {
        u16::from(r.record_type()) == SOA && r.name.to_ascii().eq_ignore_ascii_case("example.test.")
    });
    let seen_rrsig = answers.iter().any(|r| r.rtype == RRSIG);
    let do_asked = c.eflags & 0x8000 != 0;
    let do_answered = ednsttl & 0x8000 != 0;

    if opcode != c.opcode {
        tag(&format!("opcode{opcode}"));
    }
    if c.version == 0 {
        let cookie_ok = c.cookie && rcode == BADCOOKIE;
        if c.opcode == 0 && rcode != 0 && !cookie_ok {
            tag(&format!("rcode{rcode}"));
        }
        if c.opcode != 0 && rcode != NOTIMP {
            tag(&format!("rcode{rcode}"));
        }
    } else if rcode != BADVERS {
        tag(&format!("rcode{rcode}"));
    }
    let version = (ednsttl >> 16) & 0xFF;
    if seen_opt && version != 0 {
        tag("version-not-zero");
    }
    let asked_version = u32::from(c.version);
    if seen_opt
        && ((version < asked_version && rcode != BADVERS)
            || (version >= asked_version && rcode == BADVERS))
    {
        tag("badversion");
    }
    let edns_asked = c.udpsize > 0 && c.opcode == 0;
    if !seen_opt && edns_asked {
        tag("noopt");
    }
    if seen_opt && !edns_asked {
        tag("opt");
    }
    if c.qtype == SOA && c.version == 0 && !c.ignore_tc && !seen_soa && rcode == 0 {
        tag("nosoa");
    }
    if c.qtype == SOA && seen_soa && (c.version != 0 || rcode != 0) {
        tag("soa");
    }
    if seen_echo {
        tag("echoed");
    }
    if seen_opt && do_asked && !do_answered && seen_rrsig {
        tag("nodo");
    }
    if seen_opt && do_asked && c.cd && do_answered && !cd && seen_rrsig {
        tag("nocd");
    }
    // Recursive mode: AA is wrong in any answer.
    if aa {
        tag("aa");
    }
    if ra && c.opcode != 0 {
        tag("ra");
    }
    if !rd && c.opcode == 0 {
        tag("nord");
    }
    if ad && (c.opcode != 0 || (!c.ad && !do_asked)) {
        tag("ad");
    }
    if cd && (c.opcode != 0 || !c.cd) {
        tag("cd");
    }
    if z {
        tag("z");
    }
    if ednsttl & 0x7FFF != 0 {
        tag("mbz");
    }
    let limit = if c.udpsize > 0 { c.udpsize } else { 512 };
    if c.ignore_tc && b.len() > usize::from(limit) {
        tag("toobig");
    }
    tags
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn whereflow_fails_no_compliance_check_that_unbound_passes() {
    let nsd = Nsd::start().await;
    let unbound = Unbound::start(nsd.addr, &[], "www.example.test.").await;
    let f = start(config(vec![nsd.addr])).await;
    let mut report = Vec::new();
    let mut worse = Vec::new();
    for (i, c) in cases().iter().enumerate() {
        let id = 0x5000 + i as u16;
        let reference = judge(c, ask(unbound.addr, c, id).await);
        let ours = judge(c, ask(f.v4, c, id).await);
        let show = |t: &[String]| {
            if t.is_empty() {
                "ok".to_string()
            } else {
                t.join(",")
            }
        };
        report.push(format!(
            "{}: whereflow={} unbound={}",
            c.name,
            show(&ours),
            show(&reference)
        ));
        let extra: Vec<&String> = ours.iter().filter(|t| !reference.contains(t)).collect();
        if !extra.is_empty() {
            worse.push(format!(
                "{}: {extra:?} (unbound: {})",
                c.name,
                show(&reference)
            ));
        }
    }
    println!("{}", report.join("\n"));
    assert!(
        worse.is_empty(),
        "whereflow fails where unbound does not:\n{}",
        worse.join("\n")
    );
    // The checks can fail: unbound, like every resolver, gets "aa" in a plain answer with AA
    // forced on, as genreport would say.
    let mut forged = ask(unbound.addr, &DNS, 1).await.unwrap();
    forged[2] |= 0x04;
    assert_eq!(judge(&DNS, Ok(forged)), vec!["aa".to_string()]);
    f.server.shutdown().await;
}
