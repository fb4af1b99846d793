//! Enrichment end to end on the namespace lab: names of real services, served by the lab's own
//! authoritative servers onto the lab's own addresses, come out of `/api/v1/flows` with the
//! right organization, category, tracker flag, network and place.
//!
//! Needs root and `scripts/fetch-test-data.sh` (MaxMind's test databases). The addresses the
//! geo and AS checks use are ones MaxMind's test databases list, owned by the lab's "internet"
//! namespace; nothing leaves the lab.

mod common;

use std::path::PathBuf;
use std::time::Duration;

use common::{find, Daemon};
use hickory_proto::rr::RecordType;
use serde_json::Value;
use whereflow_lab::{Lab, LabOptions, Zone};

fn test_db(name: &str) -> PathBuf {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../target/test-data/maxmind")
        .join(name);
    assert!(
        p.exists(),
        "test database {} is missing: run scripts/fetch-test-data.sh",
        p.display()
    );
    p
}

#[test]
fn real_service_names_get_organization_category_tracker_network_and_place() {
    // London in GeoIP2-City-Test; Telstra (AS1221) in GeoLite2-ASN-Test.
    const LONDON: &str = "81.2.69.142";
    const TELSTRA: &str = "1.128.0.1";
    let zones = vec![
        Zone::new("com")
            .a("www.google", "203.0.113.50")
            .a("graph.facebook", "203.0.113.51")
            .a("www.apple", "203.0.113.53"),
        Zone::new("net").a("googleads.g.doubleclick", "203.0.113.52"),
        Zone::new("uk").a("www.bbc.co", LONDON),
        Zone::new("au").a("www.example.com", TELSTRA),
    ];
    let lab = Lab::build(LabOptions { devices: 1, zones }).expect("building the lab (needs root)");
    for ip in [LONDON, TELSTRA] {
        let out = lab
            .command(lab.internet(), "ip")
            .args(["route", "add", "local", &format!("{ip}/32"), "dev", "lo"])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let _tcp = lab.tcp_server(443).unwrap();
    let enrich = format!(
        "[enrich]\ngeo_dbs = [\"{}\", \"/nonexistent/dbip-city-ipv6.mmdb\"]\nasn_dbs = [\"{}\"]\n",
        test_db("GeoIP2-City-Test.mmdb").display(),
        test_db("GeoLite2-ASN-Test.mmdb").display()
    );
    let d = Daemon::start(&lab, &enrich).unwrap();

    let names = [
        ("www.google.com", "203.0.113.50"),
        ("graph.facebook.com", "203.0.113.51"),
        ("googleads.g.doubleclick.net", "203.0.113.52"),
        ("www.apple.com", "203.0.113.53"),
        ("www.bbc.co.uk", LONDON),
        ("www.example.com.au", TELSTRA),
    ];
    for (name, ip) in names {
        let r = lab
            .query(
                0,
                "192.0.2.1:53".parse().unwrap(),
                &format!("{name}."),
                RecordType::A,
                false,
            )
            .unwrap();
        assert_eq!(
            r.addresses(),
            vec![ip.parse::<std::net::IpAddr>().unwrap()],
            "{name}"
        );
        lab.tcp_exchange(0, format!("{ip}:443").parse().unwrap(), 10, 10)
            .unwrap();
    }
    let dev = lab.devices()[0].ipv4.to_string();
    let flows = d
        .wait_for(&lab, Duration::from_secs(5), |flows| {
            names
                .iter()
                .all(|(_, ip)| find(flows, &dev, ip, 443).is_some())
                .then(|| flows.to_vec())
        })
        .unwrap();
    let flow = |ip: &str| find(&flows, &dev, ip, 443).unwrap().clone();
    let check = |ip: &str, org: &str, category: &str, tracker: bool| {
        let f = flow(ip);
        assert_eq!(
            (
                f["org"].as_str(),
                f["category"].as_str(),
                f["tracker"].as_bool()
            ),
            (Some(org), Some(category), Some(tracker)),
            "{f}"
        );
    };
    check("203.0.113.50", "Google", "platform", false);
    check("203.0.113.51", "Meta", "social", false);
    check("203.0.113.52", "Google", "advertising", true);
    check("203.0.113.53", "Apple", "platform", false);

    let f = flow("203.0.113.50");
    assert_eq!(f["registrable_domain"], "google.com");
    assert_eq!(
        f["address_range"], "documentation",
        "documentation addresses are labelled, not looked up"
    );
    assert_eq!(
        (f["country"].clone(), f["asn"].clone()),
        (Value::Null, Value::Null)
    );

    let bbc = flow(LONDON);
    assert_eq!(bbc["registrable_domain"], "bbc.co.uk");
    assert_eq!(
        (bbc["country"].as_str(), bbc["city"].as_str()),
        (Some("GB"), Some("London")),
        "{bbc}"
    );
    let (lat, lon) = (bbc["lat"].as_f64().unwrap(), bbc["lon"].as_f64().unwrap());
    assert!(
        (lat - 51.5).abs() < 0.1 && (lon + 0.09).abs() < 0.1,
        "{bbc}"
    );
    assert_eq!(bbc["address_range"], Value::Null);

    // No list knows this name: the organization comes from the AS, normalised.
    let au = flow(TELSTRA);
    assert_eq!(au["asn"], 1221, "{au}");
    assert!(
        au["as_org"].as_str().unwrap_or("").starts_with("Telstra"),
        "{au}"
    );
    assert_eq!(au["org"], "Telstra", "{au}");

    // The missing database is reported, and the attribution DB-IP's licence requires is served.
    let status = d.get(&lab, "/api/v1/status").unwrap();
    assert!(
        status["warnings"]
            .to_string()
            .contains("/nonexistent/dbip-city-ipv6.mmdb"),
        "{status}"
    );
    let attribution = d.get(&lab, "/api/v1/attribution").unwrap();
    let text = attribution["sources"].to_string();
    assert!(
        text.contains("IP Geolocation by DB-IP") && text.contains("https://db-ip.com"),
        "{attribution}"
    );
}
