//! MaxMind databases read through a memory mapping (the geo and AS files: tens of MB that
//! are looked up at random, so mapped rather than read into memory).

use std::path::Path;

use maxminddb::{MaxMindDbError, Mmap, Reader};

/// Map the database at `path` read-only.
///
/// A mapped file that shrinks or changes in place under the reader would fault or change
/// memory the reader holds references into. The rule for these files (see `enrich::geo`) is
/// that a new file is renamed into place, never an old one rewritten, which leaves an
/// existing mapping of the old file intact.
pub(crate) fn open_mmdb(path: &Path) -> Result<Reader<Mmap>, MaxMindDbError> {
    // SAFETY: the mapping is read-only, and the file is never modified in place while
    // mapped, only replaced by rename (the rule above).
    unsafe { Reader::open_mmap(path) }
}
