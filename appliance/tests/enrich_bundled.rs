//! The data every build carries (`scripts/fetch-default-data.sh`: DB-IP country lite and the
//! AS database built from `@ip-location-db/asn`), found where the daemon looks by default
//! (`geo-data/` beside the folder of the `whereflow` binary), answers for a well-known public
//! address: 8.8.8.8 has a country (DB-IP places this anycast address by its own method: CA in
//! the pinned version) and is Google's AS 15169; RIPE NCC's 193.0.6.139 is in the Netherlands.
//!
//! And the real daemon, run with no database configured, opens them (its `/api/v1/status`
//! lists them); with `enrich.bundled = false`, or with a database configured, it does not.
//!
//! The files are ~19 MB and fetched by `cargo build --release` or by hand; when they are not
//! there these tests say so and pass, unless `WHEREFLOW_REQUIRE_BUNDLED=1` (then they fail).

mod common;

use std::net::{IpAddr, TcpListener, UdpSocket};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::http_get_json;

use whereflow::enrich::asn::AsnDb;
use whereflow::enrich::bundled;
use whereflow::enrich::domains::DomainClassifier;
use whereflow::enrich::geo::GeoDb;
use whereflow::enrich::Enricher;
use whereflow::status::Status;

const BIN: &str = env!("CARGO_BIN_EXE_whereflow");

/// The bundled files where the daemon looks, or `None` (said, or a failure when required).
fn bundled_files() -> Option<bundled::Bundled> {
    let dir = bundled::beside_binary(Path::new(BIN)).expect("the binary has a folder");
    let found = bundled::find(std::slice::from_ref(&dir));
    if !found.geo.is_empty() && !found.asn.is_empty() {
        return Some(found);
    }
    let msg = format!(
        "no bundled data in {} (run scripts/fetch-default-data.sh {})",
        dir.display(),
        dir.display()
    );
    assert!(
        std::env::var_os("WHEREFLOW_REQUIRE_BUNDLED").is_none(),
        "{msg}"
    );
    eprintln!("skipped: {msg}");
    None
}

#[test]
fn the_default_data_directory_knows_8_8_8_8() {
    let Some(found) = bundled_files() else {
        return;
    };
    let status = Status::default();
    let geo = GeoDb::open(&found.geo, &status);
    let asn = AsnDb::open(&found.asn, &status);
    assert!(
        status.snapshot().warnings.is_empty(),
        "{:?}",
        status.snapshot().warnings
    );
    let classifier = DomainClassifier::builtin().expect("built-in lists");
    let e = Enricher::from_parts(classifier, geo, asn);
    let ip: IpAddr = "8.8.8.8".parse().expect("ip");
    let f = e.flow(None, ip);
    assert!(
        f.country
            .as_deref()
            .is_some_and(|c| c.len() == 2 && c.bytes().all(|b| b.is_ascii_uppercase())),
        "{f:?}"
    );
    assert_eq!(f.asn, Some(15169), "{f:?}");
    assert!(
        f.as_org
            .as_deref()
            .is_some_and(|o| o.to_lowercase().contains("google")),
        "{f:?}"
    );
    assert_eq!(
        f.org.as_deref(),
        Some("Google"),
        "the AS name as people know it: {f:?}"
    );
    let ripe = e.flow(None, "193.0.6.139".parse().expect("ip"));
    assert_eq!(ripe.country.as_deref(), Some("NL"), "{ripe:?}");
    assert_eq!(ripe.asn, Some(3333), "{ripe:?}");
    // An IPv6 address too: both files cover both.
    let v6 = e.flow(None, "2001:4860:4860::8888".parse().expect("ip"));
    assert!(v6.country.is_some(), "{v6:?}");
    assert_eq!(v6.asn, Some(15169), "{v6:?}");
}

fn free_port() -> u16 {
    loop {
        let t = TcpListener::bind("127.0.0.1:0").expect("bind");
        let port = t.local_addr().expect("addr").port();
        if UdpSocket::bind(("127.0.0.1", port)).is_ok() {
            return port;
        }
    }
}

/// `/api/v1/status`'s `data` lines of a daemon run on loopback with `enrich` (TOML lines).
fn status_data(enrich: &str) -> Vec<String> {
    let (dns, web) = (free_port(), free_port());
    let dir: PathBuf =
        std::env::temp_dir().join(format!("wf-bundled-{}-{dns}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let cfg = dir.join("run.toml");
    std::fs::write(
        &cfg,
        format!(
            "[dns]\nlisten = [\"127.0.0.1:{dns}\"]\nupstreams = [\"127.0.0.1:9\"]\n\
             [web]\nlisten = \"127.0.0.1:{web}\"\n[data]\ndir = \"{}\"\n\
             [conntrack]\nenabled = false\n[enrich]\n{enrich}\n",
            dir.join("data").display()
        ),
    )
    .expect("config");
    let mut child = Command::new(BIN)
        .args(["run", "--config"])
        .arg(&cfg)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn");
    let addr = format!("127.0.0.1:{web}");
    let deadline = Instant::now() + Duration::from_secs(15);
    let status = loop {
        if let Ok(v) = http_get_json(&addr, "/api/v1/status") {
            break v;
        }
        assert!(Instant::now() < deadline, "the daemon's API did not answer");
        std::thread::sleep(Duration::from_millis(100));
    };
    let _ = child.kill();
    let _ = child.wait();
    let _ = std::fs::remove_dir_all(&dir);
    status["data"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|l| l.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn the_daemon_uses_the_bundled_data_when_nothing_is_configured() {
    let Some(found) = bundled_files() else {
        return;
    };
    let data = status_data("");
    for file in found.geo.iter().chain(&found.asn) {
        let path = file.display().to_string();
        assert!(
            data.iter().any(|l| l.starts_with(&path)),
            "{path} not in {data:?}"
        );
    }
    let data = status_data("bundled = false");
    assert!(!data.iter().any(|l| l.contains(".mmdb")), "{data:?}");
    // A configured database takes control of both lists: no bundled AS file mixed in.
    let data = status_data("geo_dbs = [\"/nonexistent/city.mmdb\"]");
    assert!(!data.iter().any(|l| l.contains("geo-data")), "{data:?}");
}
