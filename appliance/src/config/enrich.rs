//! `[enrich]`: the geo and AS databases.

use std::path::PathBuf;

use serde::Deserialize;

use super::{invalid, ConfigError};

/// `[enrich]`: local geo and AS databases (the domain lists are built in).
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct EnrichConfig {
    /// Country or city databases in MaxMind format: MaxMind GeoIP2/GeoLite2 City or Country,
    /// or the DB-IP / ip-location-db layout (IPv4 and IPv6 may be separate files). A missing or
    /// broken file is reported in `/api/v1/status` and skipped.
    pub geo_dbs: Vec<PathBuf>,
    /// AS databases in the GeoLite2-ASN layout (the image builds one from `@ip-location-db/asn`).
    pub asn_dbs: Vec<PathBuf>,
    /// When neither `geo_dbs` nor `asn_dbs` lists a file: use the databases the build
    /// carries (`geo-data/` beside the binary's folder, see `enrich/bundled.rs`). Default on.
    pub bundled: bool,
}

impl Default for EnrichConfig {
    fn default() -> Self {
        EnrichConfig {
            geo_dbs: Vec::new(),
            asn_dbs: Vec::new(),
            bundled: true,
        }
    }
}

impl EnrichConfig {
    /// Check the values; the error names the key.
    pub(crate) fn validate(&self) -> Result<(), ConfigError> {
        for (key, paths) in [
            ("enrich.geo_dbs", &self.geo_dbs),
            ("enrich.asn_dbs", &self.asn_dbs),
        ] {
            if paths.iter().any(|p| p.as_os_str().is_empty()) {
                return Err(invalid(key, "config-empty-path", []));
            }
        }
        Ok(())
    }
}
