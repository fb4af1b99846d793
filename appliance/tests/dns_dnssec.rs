//! DNSSEC through the forwarder, against real tools: zones signed here with ldns-signzone
//! (one with NSEC3, a child with NSEC and a DS in its parent), served by nsd on loopback;
//! `delv` validates through the forwarder with a trust anchor for the parent, cold and cached;
//! signatures reach only clients that ask for them (DO), CD goes upstream and keeps its own
//! cache entry, and AD (from a validating unbound upstream) reaches only clients that set DO
//! or AD (RFC 6840 5.7, 5.8).

mod dns_support;

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use dns_support::*;
use hickory_proto::op::{Edns, Message, Query, ResponseCode};
use hickory_proto::rr::{Name, RecordType};

/// The parent zone, signed with NSEC3. `bogus*` are altered after signing (their signatures
/// no longer match); `a*` and `nope*` give each check a name nothing asked before.
const PARENT: &str = "$ORIGIN sec.test.
$TTL 300
@       IN SOA ns.sec.test. hostmaster.sec.test. 1 3600 600 86400 60
@       IN NS  ns
ns      IN A   192.0.2.53
www     IN A   192.0.2.10
a1      IN A   192.0.2.11
a2      IN A   192.0.2.12
a3      IN A   192.0.2.13
a4      IN A   192.0.2.14
a5      IN A   192.0.2.15
bogus1  IN A   192.0.2.21
bogus2  IN A   192.0.2.22
bogus3  IN A   192.0.2.23
sub     IN NS  ns.sub
ns.sub  IN A   192.0.2.54
";

/// The child zone, signed with NSEC; its DS goes into [`PARENT`].
const CHILD: &str = "$ORIGIN sub.sec.test.
$TTL 300
@       IN SOA ns.sub.sec.test. hostmaster.sec.test. 1 3600 600 86400 60
@       IN NS  ns
ns      IN A   192.0.2.54
www     IN A   192.0.2.30
";

/// An unsigned zone (insecure: no AD for it, ever).
const UNSIGNED: &str = "$ORIGIN plain.test.
$TTL 300
@       IN SOA ns.plain.test. hostmaster.plain.test. 1 3600 600 86400 60
@       IN NS  ns
ns      IN A   192.0.2.53
www     IN A   192.0.2.40
";

/// Runs a program in `dir` and returns its stdout; panics with its stderr on failure.
fn run(dir: &Path, program: &str, args: &[&str]) -> String {
    let out = Command::new(program)
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap_or_else(|e| panic!("{program}: {e} (apt-get install ldnsutils)"));
    assert!(
        out.status.success(),
        "{program} {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

/// A key pair made by ldns-keygen in `dir`: its file base name.
fn keygen(dir: &Path, zone: &str, ksk: bool) -> String {
    let mut args = vec!["-a", "ECDSAP256SHA256"];
    if ksk {
        args.push("-k");
    }
    args.push(zone);
    run(dir, "ldns-keygen", &args)
}

/// The record in a key's `.key` or `.ds` file, without ldns's trailing comment.
fn key_record(dir: &Path, base: &str, ext: &str) -> String {
    let text = std::fs::read_to_string(dir.join(format!("{base}.{ext}"))).unwrap();
    let line = text.lines().next().unwrap_or_default();
    line.split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_string()
}

/// A zone signed with a fresh KSK and ZSK.
struct Signed {
    /// The signed master file.
    text: String,
    /// The KSK's DNSKEY record (master-file syntax).
    dnskey: String,
    /// The KSK's DS record, for the parent.
    ds: String,
}

fn sign(dir: &Path, zone: &str, text: &str, nsec3: bool) -> Signed {
    let ksk = keygen(dir, zone, true);
    let zsk = keygen(dir, zone, false);
    let file = format!("{zone}.zone");
    std::fs::write(dir.join(&file), text).unwrap();
    let mut args = Vec::new();
    if nsec3 {
        args.push("-n");
    }
    args.extend([file.as_str(), ksk.as_str(), zsk.as_str()]);
    run(dir, "ldns-signzone", &args);
    Signed {
        text: std::fs::read_to_string(dir.join(format!("{file}.signed"))).unwrap(),
        dnskey: key_record(dir, &ksk, "key"),
        ds: key_record(dir, &ksk, "ds"),
    }
}

/// A delv trust-anchor file for `zone` with this DNSKEY record.
fn delv_anchor(dir: &Path, name: &str, zone: &str, dnskey: &str) -> PathBuf {
    let f: Vec<&str> = dnskey.split_whitespace().collect();
    let at = f
        .iter()
        .position(|w| *w == "DNSKEY")
        .expect("a DNSKEY record");
    let (flags, proto, alg, key) = (f[at + 1], f[at + 2], f[at + 3], f[at + 4..].join(""));
    let path = dir.join(name);
    std::fs::write(
        &path,
        format!("trust-anchors {{ {zone}. static-key {flags} {proto} {alg} \"{key}\"; }};\n"),
    )
    .unwrap();
    path
}

/// The signed zones, served by nsd, and the trust anchors for `sec.test`.
struct Lab {
    nsd: Nsd,
    /// The parent's KSK (for unbound's `trust-anchor:`).
    dnskey: String,
    /// delv's anchor file with the parent's KSK.
    anchor: PathBuf,
    /// delv's anchor file with a key the zone was not signed with.
    wrong_anchor: PathBuf,
    dir: PathBuf,
}

impl Drop for Lab {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

async fn signed_zones() -> Lab {
    let dir = temp_dir("dnssec-keys");
    let child = sign(&dir, "sub.sec.test", CHILD, false);
    let parent_text = format!("{PARENT}{}\n", child.ds);
    let parent = sign(&dir, "sec.test", &parent_text, true);
    // Alter the bogus records after signing: their RRSIGs no longer match.
    let mut text = parent.text.clone();
    for (from, to) in [
        ("192.0.2.21", "192.0.2.61"),
        ("192.0.2.22", "192.0.2.62"),
        ("192.0.2.23", "192.0.2.63"),
    ] {
        assert!(text.contains(&format!("\tA\t{from}")), "{text}");
        text = text.replace(&format!("\tA\t{from}"), &format!("\tA\t{to}"));
    }
    assert!(text.contains("\tNSEC3\t") && child.text.contains("\tNSEC\t"));
    let nsd = Nsd::serve(&[
        ("sec.test", text),
        ("sub.sec.test", child.text),
        ("plain.test", UNSIGNED.to_string()),
    ])
    .await;
    let anchor = delv_anchor(&dir, "anchor.conf", "sec.test", &parent.dnskey);
    let other = keygen(&dir, "sec.test", true);
    let wrong_anchor = delv_anchor(
        &dir,
        "wrong.conf",
        "sec.test",
        &key_record(&dir, &other, "key"),
    );
    Lab {
        nsd,
        dnskey: parent.dnskey,
        anchor,
        wrong_anchor,
        dir,
    }
}

/// Runs `delv` against `server` with `anchor` as the trust anchor for sec.test; its output.
async fn delv(server: SocketAddr, anchor: &Path, name: &str, qtype: &str) -> String {
    let out = tokio::time::timeout(
        Duration::from_secs(20),
        tokio::process::Command::new("delv")
            .arg(format!("@{}", server.ip()))
            .args(["-p", &server.port().to_string(), "-a"])
            .arg(anchor)
            .args(["+root=sec.test", name, qtype])
            .kill_on_drop(true)
            .output(),
    )
    .await
    .expect("delv finishes")
    .expect("delv runs (apt-get install bind9-dnsutils)");
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// What delv must say for each check: positive and negative answers in the NSEC3 parent and
/// the NSEC child (whose trust comes through the DS in the parent).
const DELV_CASES: [(&str, &str, &str); 6] = [
    ("www.sec.test", "A", "; fully validated"),
    ("nope.sec.test", "A", "; negative response, fully validated"),
    (
        "www.sec.test",
        "AAAA",
        "; negative response, fully validated",
    ),
    ("www.sub.sec.test", "A", "; fully validated"),
    (
        "nope.sub.sec.test",
        "A",
        "; negative response, fully validated",
    ),
    (
        "www.sub.sec.test",
        "TXT",
        "; negative response, fully validated",
    ),
];

async fn delv_validates_all(server: SocketAddr, anchor: &Path, what: &str) {
    for (name, qtype, expect) in DELV_CASES {
        let out = delv(server, anchor, name, qtype).await;
        assert!(
            out.lines().any(|l| l.trim() == expect),
            "{what}: delv {name} {qtype} should say {expect:?}:\n{out}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn delv_validates_through_the_forwarder_cold_and_cached() {
    let lab = signed_zones().await;
    // The zones validate without the forwarder, and a wrong anchor fails (the check can fail).
    delv_validates_all(lab.nsd.addr, &lab.anchor, "nsd directly").await;
    let out = delv(lab.nsd.addr, &lab.wrong_anchor, "www.sec.test", "A").await;
    assert!(
        out.contains("resolution failed") && !out.contains("fully validated"),
        "{out}"
    );

    let relay = Relay::start(lab.nsd.addr).await;
    let f = start(config(vec![relay.addr])).await;
    delv_validates_all(f.v4, &lab.anchor, "whereflow, cold").await;
    let cold = relay.count();
    assert!(cold > 0);
    delv_validates_all(f.v4, &lab.anchor, "whereflow, cached").await;
    assert_eq!(
        relay.count(),
        cold,
        "the second round came from the cache (upstream queries: {cold} then {})",
        relay.count()
    );
    // Negative control through the forwarder: another key for sec.test does not validate.
    let out = delv(f.v4, &lab.wrong_anchor, "www.sub.sec.test", "A").await;
    assert!(
        out.contains("resolution failed") && !out.contains("fully validated"),
        "{out}"
    );
    f.server.shutdown().await;

    // The same through unbound (iterator only, forwarding to the same nsd), for comparison.
    let unbound = Unbound::start(lab.nsd.addr, &[], "www.sec.test.").await;
    delv_validates_all(unbound.addr, &lab.anchor, "unbound").await;
}

/// What a client sets in its query.
#[derive(Clone, Copy, Debug, Default)]
struct Ask {
    /// An OPT record at all.
    edns: bool,
    /// DO (needs `edns`).
    dnssec_ok: bool,
    /// CD in the header.
    cd: bool,
    /// AD in the header.
    ad: bool,
}

const PLAIN: Ask = Ask {
    edns: true,
    dnssec_ok: false,
    cd: false,
    ad: false,
};
const DO: Ask = Ask {
    edns: true,
    dnssec_ok: true,
    cd: false,
    ad: false,
};
const NO_EDNS: Ask = Ask {
    edns: false,
    dnssec_ok: false,
    cd: false,
    ad: false,
};

async fn ask(server: SocketAddr, name: &str, qtype: RecordType, a: Ask) -> Message {
    let mut m = Message::query();
    m.metadata.recursion_desired = true;
    m.metadata.checking_disabled = a.cd;
    m.metadata.authentic_data = a.ad;
    m.add_query(Query::query(Name::from_ascii(name).unwrap(), qtype));
    if a.edns {
        let mut e = Edns::new();
        e.set_max_payload(1232);
        e.set_dnssec_ok(a.dnssec_ok);
        m.set_edns(e);
    }
    let m = try_udp_raw(server, &m.to_vec().unwrap(), 3_000)
        .await
        .unwrap_or_else(|e| panic!("{name} {qtype} {a:?} to {server}: {e}"));
    assert_eq!(
        m.metadata.checking_disabled, a.cd,
        "{name} {qtype} {a:?}: CD copied into the response (RFC 4035 3.2.2)"
    );
    m
}

/// The DNSSEC record types in every section, in order.
fn dnssec_records(m: &Message) -> Vec<RecordType> {
    m.all_sections()
        .map(|r| r.record_type())
        .filter(|t| {
            matches!(
                t,
                RecordType::RRSIG | RecordType::NSEC | RecordType::NSEC3 | RecordType::DNSKEY
            )
        })
        .collect()
}

/// The answer section as text without TTLs, leaving out the RRSIGs.
fn data(m: &Message) -> Vec<String> {
    let mut m = m.clone();
    m.answers.retain(|r| r.record_type() != RecordType::RRSIG);
    answers(&m)
}

fn dnssec_ok(m: &Message) -> bool {
    m.edns.as_ref().is_some_and(|e| e.flags().dnssec_ok)
}

/// Whether the answer section has an RRSIG (and the section a record of `qtype`).
fn signed(m: &Message, qtype: RecordType) -> bool {
    m.answers.iter().any(|r| r.record_type() == qtype)
        && m.answers
            .iter()
            .any(|r| r.record_type() == RecordType::RRSIG)
}

fn nsec_in_authority(m: &Message) -> Vec<RecordType> {
    m.authorities
        .iter()
        .map(|r| r.record_type())
        .filter(|t| matches!(t, RecordType::NSEC | RecordType::NSEC3 | RecordType::RRSIG))
        .collect()
}

fn assert_unsigned(m: &Message, what: &str) {
    assert!(
        dnssec_records(m).is_empty(),
        "{what}: no DNSSEC records for a client without DO: {m:#?}"
    );
    assert!(!dnssec_ok(m), "{what}: DO clear in the response");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn signatures_reach_only_clients_that_ask_and_the_cache_keeps_them_apart() {
    use RecordType::{A, AAAA, DNSKEY, DS, TXT};
    let lab = signed_zones().await;
    let relay = Relay::start(lab.nsd.addr).await;
    let f = start(config(vec![relay.addr])).await;

    // `dig +dnssec` shows the signatures.
    let dig = Command::new("dig")
        .args(["+dnssec", "-p", &f.v4.port().to_string()])
        .arg(format!("@{}", f.v4.ip()))
        .args(["www.sec.test", "A"])
        .output()
        .expect("dig runs (apt-get install bind9-dnsutils)");
    let dig = String::from_utf8_lossy(&dig.stdout);
    assert!(
        dig.lines()
            .any(|l| l.starts_with("www.sec.test.") && l.contains("RRSIG\tA ")),
        "{dig}"
    );
    assert!(dig.contains("; EDNS: version: 0, flags: do;"), "{dig}");

    // DO first, then without DO (from the cache): the DO answer is signed, the others not.
    let m = ask(f.v4, "a1.sec.test.", A, DO).await;
    assert!(signed(&m, A), "{m:#?}");
    assert!(dnssec_ok(&m), "DO copied into the response (RFC 3225)");
    for a in [PLAIN, NO_EDNS] {
        let m = ask(f.v4, "a1.sec.test.", A, a).await;
        assert_eq!(answers(&m), vec!["a1.sec.test. A 192.0.2.11"], "{a:?}");
        assert_unsigned(&m, &format!("a1 A {a:?} after a DO query"));
    }
    // Without DO first, then with DO: the later DO client still gets the signatures.
    for a in [NO_EDNS, PLAIN] {
        let m = ask(f.v4, "a2.sec.test.", A, a).await;
        assert_eq!(answers(&m), vec!["a2.sec.test. A 192.0.2.12"]);
        assert_unsigned(&m, &format!("a2 A {a:?}"));
    }
    let m = ask(f.v4, "a2.sec.test.", A, DO).await;
    assert!(signed(&m, A), "a2 A with DO after a plain query: {m:#?}");
    // And again, each from the cache.
    assert!(signed(&ask(f.v4, "a2.sec.test.", A, DO).await, A));
    assert_unsigned(&ask(f.v4, "a2.sec.test.", A, PLAIN).await, "a2 again");

    // Negative answers: NSEC3 (parent) and NSEC (child) with their RRSIGs for DO only, in
    // both orders.
    for (name, qtype, rcode, proof) in [
        (
            "nope1.sec.test.",
            A,
            ResponseCode::NXDomain,
            RecordType::NSEC3,
        ),
        (
            "www.sec.test.",
            TXT,
            ResponseCode::NoError,
            RecordType::NSEC3,
        ),
        (
            "nope1.sub.sec.test.",
            A,
            ResponseCode::NXDomain,
            RecordType::NSEC,
        ),
        (
            "www.sub.sec.test.",
            AAAA,
            ResponseCode::NoError,
            RecordType::NSEC,
        ),
    ] {
        let m = ask(f.v4, name, qtype, DO).await;
        assert_eq!(m.metadata.response_code, rcode, "{name} {qtype}");
        let auth = nsec_in_authority(&m);
        assert!(
            auth.contains(&proof) && auth.contains(&RecordType::RRSIG),
            "{name} {qtype} with DO: {proof} and RRSIG in authority: {m:#?}"
        );
        let m = ask(f.v4, name, qtype, PLAIN).await;
        assert_eq!(m.metadata.response_code, rcode);
        assert!(m
            .authorities
            .iter()
            .any(|r| r.record_type() == RecordType::SOA));
        assert_unsigned(&m, &format!("{name} {qtype} after a DO query"));
    }
    for (name, proof) in [
        ("nope2.sec.test.", RecordType::NSEC3),
        ("nope2.sub.sec.test.", RecordType::NSEC),
    ] {
        let m = ask(f.v4, name, A, PLAIN).await;
        assert_eq!(m.metadata.response_code, ResponseCode::NXDomain);
        assert_unsigned(&m, name);
        let m = ask(f.v4, name, A, DO).await;
        assert!(
            nsec_in_authority(&m).contains(&proof),
            "{name} with DO after a plain query: {m:#?}"
        );
    }

    // Asked for by type, DNSKEY and DS come to anyone; their RRSIGs only with DO.
    let m = ask(f.v4, "sec.test.", DNSKEY, PLAIN).await;
    assert_eq!(
        m.answers
            .iter()
            .filter(|r| r.record_type() == DNSKEY)
            .count(),
        2,
        "{m:#?}"
    );
    assert!(!m
        .answers
        .iter()
        .any(|r| r.record_type() == RecordType::RRSIG));
    assert!(signed(&ask(f.v4, "sec.test.", DNSKEY, DO).await, DNSKEY));
    let m = ask(f.v4, "sub.sec.test.", DS, PLAIN).await;
    assert!(m.answers.iter().any(|r| r.record_type() == DS), "{m:#?}");
    assert!(!m
        .answers
        .iter()
        .any(|r| r.record_type() == RecordType::RRSIG));
    assert!(signed(&ask(f.v4, "sub.sec.test.", DS, DO).await, DS));

    // DO went upstream: the queries for a1 (asked with DO first) include one with DO.
    let upstream_do: Vec<bool> = relay
        .seen()
        .iter()
        .filter_map(|(_, b)| Message::from_vec(b).ok())
        .filter(|m| {
            m.queries
                .first()
                .is_some_and(|q| q.name().to_ascii().eq_ignore_ascii_case("a1.sec.test."))
        })
        .map(|m| dnssec_ok(&m))
        .collect();
    assert!(upstream_do.contains(&true), "{upstream_do:?}");
    f.server.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cd_goes_upstream_and_has_its_own_cache_entry() {
    use RecordType::A;
    let lab = signed_zones().await;
    let unbound = Unbound::start(
        lab.nsd.addr,
        std::slice::from_ref(&lab.dnskey),
        "www.sec.test.",
    )
    .await;
    // The validating unbound refuses the altered records unless CD is set.
    let m = ask(unbound.addr, "bogus3.sec.test.", A, DO).await;
    assert_eq!(
        m.metadata.response_code,
        ResponseCode::ServFail,
        "unbound validates: {m:#?}\n{}",
        unbound.log()
    );
    let relay = Relay::start(unbound.addr).await;
    let f = start(config(vec![relay.addr])).await;
    let cd = |a: Ask| Ask { cd: true, ..a };

    // CD first: the bogus data; then without CD: SERVFAIL, not the CD answer from the cache.
    let m = ask(f.v4, "bogus1.sec.test.", A, cd(DO)).await;
    assert_eq!(data(&m), vec!["bogus1.sec.test. A 192.0.2.61"], "{m:#?}");
    assert!(!m.metadata.authentic_data);
    for a in [DO, PLAIN] {
        let m = ask(f.v4, "bogus1.sec.test.", A, a).await;
        assert_eq!(
            m.metadata.response_code,
            ResponseCode::ServFail,
            "bogus1 {a:?} after a CD query: {m:#?}"
        );
    }
    // The other order: SERVFAIL, then with CD the data.
    let m = ask(f.v4, "bogus2.sec.test.", A, PLAIN).await;
    assert_eq!(m.metadata.response_code, ResponseCode::ServFail);
    let m = ask(f.v4, "bogus2.sec.test.", A, cd(PLAIN)).await;
    assert_eq!(answers(&m), vec!["bogus2.sec.test. A 192.0.2.62"], "{m:#?}");
    // CD without EDNS too.
    let m = ask(f.v4, "bogus3.sec.test.", A, cd(NO_EDNS)).await;
    assert_eq!(answers(&m), vec!["bogus3.sec.test. A 192.0.2.63"], "{m:#?}");

    // What went upstream: CD exactly when the client set it.
    let seen: Vec<(String, bool)> = relay
        .seen()
        .iter()
        .filter_map(|(_, b)| Message::from_vec(b).ok())
        .filter_map(|m| {
            let q = m.queries.first()?;
            Some((
                q.name().to_ascii().to_ascii_lowercase(),
                m.metadata.checking_disabled,
            ))
        })
        .collect();
    for (name, cd) in [
        ("bogus1.sec.test.", true),
        ("bogus1.sec.test.", false),
        ("bogus2.sec.test.", false),
        ("bogus2.sec.test.", true),
        ("bogus3.sec.test.", true),
    ] {
        assert!(
            seen.contains(&(name.to_string(), cd)),
            "{name} with CD {cd} upstream: {seen:?}"
        );
    }
    f.server.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ad_reaches_only_clients_that_set_do_or_ad() {
    use RecordType::A;
    let lab = signed_zones().await;
    let unbound = Unbound::start(
        lab.nsd.addr,
        std::slice::from_ref(&lab.dnskey),
        "www.sec.test.",
    )
    .await;
    let f = start(config(vec![unbound.addr])).await;
    let ad = |a: Ask| Ask { ad: true, ..a };

    // DO first (cold), then the others from the cache.
    let m = ask(f.v4, "a3.sec.test.", A, DO).await;
    assert!(
        m.metadata.authentic_data,
        "validated by unbound: AD: {m:#?}"
    );
    assert!(
        ask(f.v4, "a3.sec.test.", A, ad(PLAIN))
            .await
            .metadata
            .authentic_data
    );
    assert!(
        ask(f.v4, "a3.sec.test.", A, ad(NO_EDNS))
            .await
            .metadata
            .authentic_data
    );
    for a in [PLAIN, NO_EDNS] {
        let m = ask(f.v4, "a3.sec.test.", A, a).await;
        assert_eq!(answers(&m), vec!["a3.sec.test. A 192.0.2.13"]);
        assert!(
            !m.metadata.authentic_data,
            "a3 {a:?}: no AD without DO or AD"
        );
    }
    // Neither first (cold), then AD and DO from the cache.
    let m = ask(f.v4, "a4.sec.test.", A, PLAIN).await;
    assert!(!m.metadata.authentic_data);
    assert!(
        ask(f.v4, "a4.sec.test.", A, ad(PLAIN))
            .await
            .metadata
            .authentic_data,
        "a4 with AD after a plain query"
    );
    let m = ask(f.v4, "a4.sec.test.", A, DO).await;
    assert!(m.metadata.authentic_data && signed(&m, A), "{m:#?}");
    // AD-only first (cold).
    assert!(
        ask(f.v4, "a5.sec.test.", A, ad(PLAIN))
            .await
            .metadata
            .authentic_data
    );
    assert!(
        !ask(f.v4, "a5.sec.test.", A, PLAIN)
            .await
            .metadata
            .authentic_data
    );
    // Negative answers are validated too.
    let m = ask(f.v4, "nope3.sec.test.", A, DO).await;
    assert_eq!(m.metadata.response_code, ResponseCode::NXDomain);
    assert!(m.metadata.authentic_data, "{m:#?}");
    // An unsigned zone is insecure: no AD for anyone.
    for a in [DO, ad(PLAIN)] {
        let m = ask(f.v4, "www.plain.test.", A, a).await;
        assert_eq!(data(&m), vec!["www.plain.test. A 192.0.2.40"]);
        assert!(!m.metadata.authentic_data, "insecure zone {a:?}: {m:#?}");
    }
    f.server.shutdown().await;

    // Straight to the authoritative server (which validates nothing): the forwarder, not
    // validating either, never sets AD itself.
    let f = start(config(vec![lab.nsd.addr])).await;
    for a in [DO, ad(PLAIN), ad(DO)] {
        let m = ask(f.v4, "www.sec.test.", A, a).await;
        assert_eq!(data(&m), vec!["www.sec.test. A 192.0.2.10"]);
        assert!(!m.metadata.authentic_data, "{a:?} via nsd: {m:#?}");
    }
    f.server.shutdown().await;
}
