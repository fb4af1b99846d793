//! Who made a device, from the first three bytes of its MAC address (the OUI).
//!
//! The table is `blocklists/generated/oui.tsv` (IEEE MA-L registry via Debian's `ieee-data`,
//! built by `blocklists/tools/build_oui.py`), compiled into the binary: ~32,000 lines of
//! `AABBCC<TAB>Vendor`, sorted, ~600 KB of read-only text. On first use it is indexed once into
//! one sorted `Vec<u64>` (prefix in the high 32 bits, byte offset of the name in the low 32):
//! 8 bytes per prefix, ~260 KB of heap ([`OuiTable::heap_bytes`]). A lookup is a binary search
//! and returns a slice of the compiled-in text: no allocation.
//!
//! Locally administered addresses (phones' and laptops' "private" or randomised addresses)
//! carry no vendor prefix: [`vendor`] says [`Vendor::Randomised`] for them without looking.

use std::sync::OnceLock;

use super::mac::MacAddr;

/// `blocklists/generated/oui.tsv` as built into the binary.
pub const BUILTIN_OUI_TSV: &str = include_str!("../../../blocklists/generated/oui.tsv");

/// What the MAC address says about who made the device.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Vendor {
    /// The IEEE registry names this maker (short form, e.g. "Apple", "Raspberry Pi").
    Known(&'static str),
    /// A locally administered (randomised, "private") address: no maker can be told.
    Randomised,
    /// A vendor address whose prefix is not in the table (or is held by the IEEE for smaller
    /// blocks).
    Unknown,
}

impl Vendor {
    /// The maker's name, if known.
    pub fn name(self) -> Option<&'static str> {
        match self {
            Vendor::Known(n) => Some(n),
            _ => None,
        }
    }

    /// What to show: the maker, `"randomised"`, or nothing.
    pub fn label(self) -> Option<&'static str> {
        match self {
            Vendor::Known(n) => Some(n),
            Vendor::Randomised => Some("randomised"),
            Vendor::Unknown => None,
        }
    }
}

/// A prefix → vendor table over text in the `build_oui.py` format.
#[derive(Debug)]
pub struct OuiTable {
    text: &'static str,
    /// `prefix << 32 | offset of the name in text`, sorted by prefix.
    index: Vec<u64>,
    /// Lines that did not parse (0 for the compiled-in file; a unit test checks).
    bad_lines: usize,
}

impl OuiTable {
    /// Index `text` (`AABBCC<TAB>name` lines; `#` comments and blank lines ignored). Bad lines
    /// are skipped and counted; a prefix listed twice keeps its first name.
    pub fn parse(text: &'static str) -> OuiTable {
        let mut index = Vec::with_capacity(text.len() / 18);
        let mut bad_lines = 0;
        let mut offset = 0usize;
        for line in text.split_inclusive('\n') {
            let start = offset;
            offset += line.len();
            let line = line.trim_end_matches(['\n', '\r']);
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let Some((hex, name)) = line.split_once('\t') else {
                bad_lines += 1;
                continue;
            };
            let prefix = match u32::from_str_radix(hex, 16) {
                Ok(p) if hex.len() == 6 && !name.trim().is_empty() => p,
                _ => {
                    bad_lines += 1;
                    continue;
                }
            };
            let Ok(name_at) = u32::try_from(start + hex.len() + 1) else {
                bad_lines += 1;
                continue;
            };
            index.push(u64::from(prefix) << 32 | u64::from(name_at));
        }
        // Stable: the first of duplicate prefixes stays first and is kept by dedup.
        index.sort_by_key(|e| e >> 32);
        index.dedup_by_key(|e| *e >> 32);
        index.shrink_to_fit();
        OuiTable {
            text,
            index,
            bad_lines,
        }
    }

    /// The compiled-in table, indexed on first use.
    pub fn builtin() -> &'static OuiTable {
        static TABLE: OnceLock<OuiTable> = OnceLock::new();
        TABLE.get_or_init(|| OuiTable::parse(BUILTIN_OUI_TSV))
    }

    /// The vendor registered for a 24-bit prefix.
    pub fn lookup(&self, oui: u32) -> Option<&'static str> {
        let i = self
            .index
            .binary_search_by_key(&oui, |e| (e >> 32) as u32)
            .ok()?;
        let at = (self.index[i] & 0xffff_ffff) as usize;
        let rest = self.text.get(at..)?;
        let end = rest.find(['\n', '\r']).unwrap_or(rest.len());
        Some(rest[..end].trim())
    }

    /// Number of prefixes.
    pub fn len(&self) -> usize {
        self.index.len()
    }

    /// Heap memory of the index (the text itself is part of the binary).
    pub fn heap_bytes(&self) -> usize {
        self.index.capacity() * std::mem::size_of::<u64>()
    }

    /// Size of the text the table reads from.
    pub fn text_bytes(&self) -> usize {
        self.text.len()
    }

    /// One line for `/api/v1/status` and the log.
    pub fn describe(&self) -> String {
        format!(
            "MAC vendors: {} prefixes (IEEE MA-L via Debian ieee-data), {} KB compiled in, \
             {} KB index, {} bad lines skipped",
            self.len(),
            self.text_bytes() / 1024,
            self.heap_bytes() / 1024,
            self.bad_lines
        )
    }
}

/// Who made the device with this address, from the compiled-in table.
pub fn vendor(mac: MacAddr) -> Vendor {
    if mac.is_locally_administered() {
        return Vendor::Randomised;
    }
    match OuiTable::builtin().lookup(mac.oui()) {
        Some(name) => Vendor::Known(name),
        None => Vendor::Unknown,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mac(s: &str) -> MacAddr {
        s.parse().unwrap()
    }

    #[test]
    fn builtin_table_is_whole_and_small() {
        let t = OuiTable::builtin();
        assert_eq!(t.bad_lines, 0, "generated/oui.tsv has malformed lines");
        assert!(t.len() > 30_000, "only {} prefixes", t.len());
        // 8 bytes a prefix: the index stays well under half a megabyte.
        assert!(t.heap_bytes() <= t.len() * 8 + 64, "{}", t.heap_bytes());
        assert!(t.heap_bytes() < 400 * 1024, "{}", t.heap_bytes());
        println!("{}", t.describe());
    }

    #[test]
    fn known_vendors() {
        assert_eq!(
            vendor(mac("b8:27:eb:12:34:56")),
            Vendor::Known("Raspberry Pi")
        );
        assert_eq!(
            vendor(mac("dc:a6:32:12:34:56")),
            Vendor::Known("Raspberry Pi")
        );
        assert_eq!(vendor(mac("f0:18:98:00:00:01")), Vendor::Known("Apple"));
        assert_eq!(vendor(mac("00:1a:11:00:00:01")), Vendor::Known("Google"));
        assert_eq!(vendor(mac("f4:bd:9e:00:00:01")), Vendor::Known("Cisco"));
        // First and last lines of the file.
        assert_eq!(OuiTable::builtin().lookup(0x000000), Some("Xerox"));
        let last = BUILTIN_OUI_TSV.lines().last().unwrap();
        let (hex, name) = last.split_once('\t').unwrap();
        let p = u32::from_str_radix(hex, 16).unwrap();
        assert_eq!(OuiTable::builtin().lookup(p), Some(name));
    }

    #[test]
    fn randomised_and_unknown() {
        // 02:... (the lab's addresses) and a phone's private address.
        assert_eq!(vendor(mac("02:77:66:00:00:0a")), Vendor::Randomised);
        assert_eq!(vendor(mac("da:a1:19:aa:bb:cc")), Vendor::Randomised);
        assert_eq!(Vendor::Randomised.label(), Some("randomised"));
        assert_eq!(Vendor::Randomised.name(), None);
        // IEEE-held block (MA-M/MA-S parent) and "Private" are left out of the table.
        assert_eq!(vendor(mac("ac:de:48:00:00:01")), Vendor::Unknown);
        assert_eq!(Vendor::Unknown.label(), None);
    }

    #[test]
    fn manifest_describes_the_compiled_in_table() {
        let manifest: toml::Value =
            toml::from_str(include_str!("../../../blocklists/sources.toml")).unwrap();
        let sources = manifest["source"].as_array().unwrap();
        let oui = sources
            .iter()
            .find(|s| s["name"].as_str() == Some("ieee-oui"))
            .expect("blocklists/sources.toml lists ieee-oui");
        assert_eq!(oui["generated"].as_str(), Some("generated/oui.tsv"));
        assert_eq!(
            oui["entries"].as_integer(),
            Some(OuiTable::builtin().len() as i64)
        );
        let version = oui["version"].as_str().unwrap();
        assert!(
            BUILTIN_OUI_TSV
                .lines()
                .take(3)
                .any(|l| l.contains(&format!("ieee-data {version}"))),
            "generated/oui.tsv was built from another ieee-data than sources.toml says"
        );
        assert!(!oui["licence"].as_str().unwrap_or("").is_empty());
        assert!(crate::enrich::attribution::sources()
            .unwrap()
            .iter()
            .any(|s| s.name == "ieee-oui"));
    }

    #[test]
    fn bad_lines_are_counted_not_fatal() {
        let t = OuiTable::parse(
            "# comment\n\nB827EB\tRaspberry Pi\nnot a line\nZZZZZZ\tBad hex\n12345\tShort\n\
             001122\t \n001122\tFirst\n001122\tSecond\r\nAABBCC\tLast",
        );
        assert_eq!(t.bad_lines, 4);
        assert_eq!(t.len(), 3);
        assert_eq!(t.lookup(0xb827eb), Some("Raspberry Pi"));
        assert_eq!(t.lookup(0x001122), Some("First"));
        assert_eq!(t.lookup(0xaabbcc), Some("Last"));
        assert_eq!(t.lookup(0x000001), None);
    }
}
