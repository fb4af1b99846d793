//! AS number and AS organization of an internet address, from local MaxMind DB files.
//!
//! The record layout is MaxMind's GeoLite2-ASN (`autonomous_system_number`,
//! `autonomous_system_organization`); the project's own AS database, built from npm
//! `@ip-location-db/asn` by `blocklists/tools/build_asn_mmdb.py`, uses the same field names,
//! and so do GeoIP2-ISP files, so one reader serves all of them. Files are opened, probed and
//! queried like the geo files (see [`super::geo`]): a bad file is skipped with a warning, a
//! broken record gives no answer, nothing panics.

use std::fmt;
use std::net::IpAddr;
use std::path::PathBuf;

use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize};

use super::mmdb::{Kind, MmdbSet};
use super::special::canonical_ip;
use crate::status::Status;

/// Who routes an address.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct AsnInfo {
    /// Autonomous system number.
    pub asn: u32,
    /// The AS organization as registered (empty when the database has no name for it).
    pub org: String,
}

/// Any number of AS databases; the first file (in the order given) that knows an address
/// answers.
pub struct AsnDb {
    files: MmdbSet,
}

impl AsnDb {
    /// Open every file (memory-mapped). A missing, unreadable or corrupt file, or one without
    /// AS records, is skipped with a warning through `status.warn`; never panics.
    pub fn open(paths: &[PathBuf], status: &Status) -> AsnDb {
        AsnDb {
            files: MmdbSet::open(paths, ASN, status),
        }
    }

    /// The AS of `ip` (IPv4-mapped and NAT64 addresses as the IPv4 address they carry).
    pub fn lookup(&self, ip: IpAddr) -> Option<AsnInfo> {
        let ip = canonical_ip(ip);
        self.files.iter().find_map(|f| {
            let rec = f.lookup::<AsnRecord<'_>>(ip)?;
            Some(AsnInfo {
                asn: rec.autonomous_system_number?.0,
                org: rec
                    .autonomous_system_organization
                    .unwrap_or_default()
                    .to_owned(),
            })
        })
    }

    /// Descriptions of the loaded databases (path, database type, build date, IP versions,
    /// lookup errors) for the status API.
    pub fn describe(&self) -> Vec<String> {
        self.files.describe()
    }

    /// Number of databases loaded.
    pub fn len(&self) -> usize {
        self.files.len()
    }

    /// True when no database is loaded (every lookup answers `None`).
    pub fn is_empty(&self) -> bool {
        self.files.len() == 0
    }

    /// Lookups that failed on a corrupt record, over all files.
    pub fn errors(&self) -> u64 {
        self.files.errors()
    }
}

/// What a usable AS record holds.
const ASN: Kind = Kind {
    noun: "AS",
    usable: usable_asn,
};

fn usable_asn(
    r: &maxminddb::LookupResult<'_, maxminddb::Mmap>,
) -> Result<bool, maxminddb::MaxMindDbError> {
    Ok(r.decode::<AsnRecord<'_>>()?
        .is_some_and(|a| a.autonomous_system_number.is_some()))
}

/// One AS record; strings borrowed from the map.
#[derive(Deserialize)]
pub(crate) struct AsnRecord<'a> {
    pub(crate) autonomous_system_number: Option<AsNumber>,
    #[serde(borrow)]
    pub(crate) autonomous_system_organization: Option<&'a str>,
}

/// An AS number stored as any unsigned integer type (GeoLite2 uses uint32; other writers
/// pick the smallest type that fits).
pub(crate) struct AsNumber(u32);

impl<'de> Deserialize<'de> for AsNumber {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = AsNumber;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an AS number")
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<AsNumber, E> {
                u32::try_from(v)
                    .map(AsNumber)
                    .map_err(|_| E::custom("AS number out of range"))
            }
            fn visit_u128<E: de::Error>(self, v: u128) -> Result<AsNumber, E> {
                u32::try_from(v)
                    .map(AsNumber)
                    .map_err(|_| E::custom("AS number out of range"))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<AsNumber, E> {
                u32::try_from(v)
                    .map(AsNumber)
                    .map_err(|_| E::custom("AS number out of range"))
            }
        }
        d.deserialize_any(V)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn as_numbers_of_any_width() {
        use de::value::{Error, U16Deserializer, U64Deserializer};
        let n = AsNumber::deserialize(U16Deserializer::<Error>::new(13335)).unwrap();
        assert_eq!(n.0, 13335);
        let n = AsNumber::deserialize(U64Deserializer::<Error>::new(4_294_967_294)).unwrap();
        assert_eq!(n.0, 4_294_967_294);
        assert!(AsNumber::deserialize(U64Deserializer::<Error>::new(1 << 40)).is_err());
    }

    #[test]
    fn missing_file_warns() {
        let status = Status::default();
        let db = AsnDb::open(&[PathBuf::from("/nonexistent/asn.mmdb")], &status);
        assert!(db.is_empty());
        assert_eq!(db.lookup("8.8.8.8".parse().unwrap()), None);
        assert!(status.snapshot().warnings[0].contains("/nonexistent/asn.mmdb"));
    }
}
