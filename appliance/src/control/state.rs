//! What survives a restart: `controls.json` in the data directory (DNS blocking and the
//! blocks with their addresses). Written whole after every change: to a temporary file,
//! flushed, then renamed over the old one, so a power cut leaves the old or the new file,
//! never half of one. Ended connections are not kept (they are one-off).

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::blocks::Block;
use crate::dns::DnsBlockState;

/// The file's name in the data directory.
pub const FILE_NAME: &str = "controls.json";

/// The file's contents.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Saved {
    /// Format version (1).
    pub version: u32,
    /// Who DNS blocking applies to.
    pub dns_block: DnsBlockState,
    /// The blocks, oldest first.
    pub blocks: Vec<Block>,
    /// The id the next block gets.
    pub next_id: u64,
}

/// Why the file could not be read or written.
#[derive(Debug, thiserror::Error)]
pub enum StateError {
    /// Reading or writing failed.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The file is not what we write.
    #[error("{path}: not a controls file: {source}")]
    Format {
        /// The file.
        path: PathBuf,
        /// Why.
        source: serde_json::Error,
    },
}

/// Read the saved state; `Ok(None)` when there is no file.
pub fn load(path: &Path) -> Result<Option<Saved>, StateError> {
    let text = match std::fs::read(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(source) => {
            return Err(StateError::Io {
                path: path.to_owned(),
                source,
            })
        }
    };
    serde_json::from_slice(&text)
        .map(Some)
        .map_err(|source| StateError::Format {
            path: path.to_owned(),
            source,
        })
}

/// Write the state (atomically and durably, see [`crate::sys::fs::write_atomic`]).
pub fn save(path: &Path, state: &Saved) -> Result<(), StateError> {
    let io = |source| StateError::Io {
        path: path.to_owned(),
        source,
    };
    let bytes = serde_json::to_vec_pretty(state).map_err(|e| io(std::io::Error::other(e)))?;
    // The data directory's files are the daemon's alone.
    crate::sys::fs::write_atomic_mode(path, &bytes, 0o600).map_err(io)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::control::blocks::BlockKind;

    #[test]
    fn saves_and_loads() {
        let dir = std::env::temp_dir().join(format!("wf-controls-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join(FILE_NAME);
        let _ = std::fs::remove_file(&path);
        assert_eq!(load(&path).unwrap(), None);
        let s = Saved {
            version: 1,
            dns_block: DnsBlockState {
                all: true,
                devices: vec!["192.0.2.10".parse().unwrap()],
            },
            blocks: vec![Block {
                id: 3,
                kind: BlockKind::Country,
                value: "NL".into(),
                created: chrono::Utc::now(),
                addresses: ["203.0.113.5".parse().unwrap()].into(),
            }],
            next_id: 4,
        };
        save(&path, &s).unwrap();
        assert_eq!(load(&path).unwrap(), Some(s));
        assert!(!path.with_extension("json.tmp").exists());
        std::fs::write(&path, "{ not json").unwrap();
        assert!(matches!(load(&path), Err(StateError::Format { .. })));
        let _ = std::fs::remove_dir_all(&dir);
    }
}
