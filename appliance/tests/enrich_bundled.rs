//! The data every build carries (`scripts/fetch-default-data.sh`: DB-IP country lite and the
//! AS database built from `@ip-location-db/asn`), found where the daemon looks by default
//! (`geo-data/` beside the folder of the `whereflow` binary), answers for a well-known public
//! address: 8.8.8.8 has a country (DB-IP places this anycast address by its own method: CA in
//! the pinned version) and is Google's AS 15169; RIPE NCC's 193.0.6.139 is in the Netherlands.
//!
//! The files are ~19 MB and fetched by `cargo build --release` or by hand; when they are not
//! there this test says so and passes, unless `WHEREFLOW_REQUIRE_BUNDLED=1` (then it fails).

use std::net::IpAddr;
use std::path::Path;

use whereflow::enrich::asn::AsnDb;
use whereflow::enrich::bundled;
use whereflow::enrich::domains::DomainClassifier;
use whereflow::enrich::geo::GeoDb;
use whereflow::enrich::Enricher;
use whereflow::status::Status;

#[test]
fn the_default_data_directory_knows_8_8_8_8() {
    let bin = Path::new(env!("CARGO_BIN_EXE_whereflow"));
    let dir = bundled::beside_binary(bin).expect("the binary has a folder");
    let found = bundled::find(std::slice::from_ref(&dir));
    if found.geo.is_empty() || found.asn.is_empty() {
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
        return;
    }
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
