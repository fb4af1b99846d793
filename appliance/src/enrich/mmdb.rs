//! Opening, probing and querying MaxMind DB (`.mmdb`) files, memory-mapped: the one place
//! the geo (`geo`) and AS (`asn`) readers share. Each reader says what a usable record of
//! its own looks like ([`Kind`]); a file of another kind is recognised when it is opened.

use std::fmt;
use std::net::{IpAddr, Ipv4Addr};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use maxminddb::{LookupResult, MaxMindDbError, Mmap, Reader, WithinOptions};
use serde::Deserialize;

use crate::status::{Status, StatusWords};

/// Which reader a file is opened for: decides what a usable record must contain.
#[derive(Clone, Copy)]
pub(crate) struct Kind {
    /// The database in words (`geo`, `AS`), for messages.
    pub(crate) noun: &'static str,
    /// Does this record hold what the reader needs? `Err` when it does not decode at all.
    pub(crate) usable: fn(&LookupResult<'_, Mmap>) -> Result<bool, MaxMindDbError>,
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
        let noun = kind.noun;
        let opened = catch_unwind(AssertUnwindSafe(|| Self::open_checked(path, kind)));
        match opened {
            Ok(Ok(file)) => {
                tracing::info!("{noun} database loaded: {file}");
                Some(file)
            }
            Ok(Err(why)) => {
                status.warn(why.words(kind, path));
                None
            }
            Err(_) => {
                status.warn(Unusable::ReaderFailed.words(kind, path));
                None
            }
        }
    }

    fn open_checked(path: &Path, kind: Kind) -> Result<MmdbFile, Unusable> {
        if path.is_dir() {
            return Err(Unusable::Directory);
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
            if (kind.usable)(&found).map_err(|e| corrupt_or_io(&e))? {
                usable += 1;
            }
        }
        if seen > 0 && usable == 0 {
            return Err(Unusable::WrongKind(reader.metadata().database_type.clone()));
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

/// Why a database file is not used.
#[derive(Debug)]
enum Unusable {
    Directory,
    /// Reading or mapping it failed (the OS's words).
    Io(String),
    /// Not a MaxMind DB file (the reader's words).
    Invalid(String),
    /// Its records lack this kind's fields (its database type).
    WrongKind(String),
    /// The reader panicked on its contents.
    ReaderFailed,
}

impl Unusable {
    /// The status warning (`status-db-*`; `kind` is `geo` or `as`).
    fn words(&self, kind: Kind, path: &Path) -> StatusWords {
        let (id, detail) = match self {
            Unusable::Directory => ("db-directory", None),
            Unusable::Io(e) => ("db-unreadable", Some(("error", e.clone()))),
            Unusable::Invalid(e) => ("db-invalid", Some(("error", e.clone()))),
            Unusable::WrongKind(t) => ("db-wrong-kind", Some(("type", t.clone()))),
            Unusable::ReaderFailed => ("db-invalid", Some(("error", "panic".to_owned()))),
        };
        let kind = if kind.noun == "AS" { "as" } else { "geo" };
        StatusWords::new(
            id,
            [
                ("kind", kind.to_owned()),
                ("file", path.display().to_string()),
            ]
            .into_iter()
            .chain(detail),
        )
    }
}

fn corrupt_or_io(e: &maxminddb::MaxMindDbError) -> Unusable {
    use maxminddb::MaxMindDbError as E;
    match e {
        E::Io(io) | E::Mmap(io) => Unusable::Io(io.to_string()),
        other => Unusable::Invalid(other.to_string()),
    }
}
