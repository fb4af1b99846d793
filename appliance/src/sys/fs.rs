//! Replacing a file atomically and durably: readers see the old contents or the new, never
//! a mix, and after a power cut the file is one of the two. And the data directory, made
//! private.

use std::fs::{File, OpenOptions, Permissions};
use std::io::{self, Write};
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};

/// Replace `path` with `bytes` (like `std::fs::write`, but safely): write a temporary file in the same directory, fsync it,
/// rename it over `path`, fsync the directory. A file that existed keeps its permissions
/// (best effort: a FAT boot partition has none); a new one gets the default (umask).
pub(crate) fn write_atomic(path: impl AsRef<Path>, bytes: impl AsRef<[u8]>) -> io::Result<()> {
    let path = path.as_ref();
    let keep = std::fs::metadata(path).ok().map(|m| m.permissions());
    replace(path, bytes.as_ref(), Mode::Keep(keep))
}

/// [`write_atomic`] with exactly these permission bits (e.g. `0o600` for secrets): the
/// temporary file has them before anything is written to it.
pub(crate) fn write_atomic_mode(
    path: impl AsRef<Path>,
    bytes: impl AsRef<[u8]>,
    mode: u32,
) -> io::Result<()> {
    replace(path.as_ref(), bytes.as_ref(), Mode::Exact(mode))
}

enum Mode {
    /// The old file's permissions, if any; failing to set them is not an error.
    Keep(Option<Permissions>),
    /// These bits; failing to set them is an error.
    Exact(u32),
}

fn replace(path: &Path, bytes: &[u8], mode: Mode) -> io::Result<()> {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let tmp = temporary(dir, path)?;
    let result = write_and_rename(&tmp, path, bytes, &mode);
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
        return result;
    }
    // The rename is only durable once the directory is. Some file systems refuse to fsync a
    // directory; the new contents are in place by now, so that is not worth failing for.
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
    Ok(())
}

/// `.<name>.whereflow-new` beside `path`: hidden, and on the same file system (a rename
/// cannot cross one).
fn temporary(dir: &Path, path: &Path) -> io::Result<PathBuf> {
    let name = path.file_name().ok_or_else(|| {
        io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("{} names no file", path.display()),
        )
    })?;
    Ok(dir.join(format!(".{}.whereflow-new", name.to_string_lossy())))
}

fn write_and_rename(tmp: &Path, path: &Path, bytes: &[u8], mode: &Mode) -> io::Result<()> {
    let mut opts = OpenOptions::new();
    opts.write(true).create(true).truncate(true);
    if let Mode::Exact(bits) = mode {
        opts.mode(*bits);
    }
    let mut f = opts.open(tmp)?;
    // A leftover temporary file keeps its mode on open: set it before writing.
    match mode {
        Mode::Exact(bits) => f.set_permissions(Permissions::from_mode(*bits))?,
        Mode::Keep(Some(p)) => {
            let _ = f.set_permissions(p.clone());
        }
        Mode::Keep(None) => {}
    }
    f.write_all(bytes)?;
    f.sync_all()?;
    drop(f);
    std::fs::rename(tmp, path)
}

/// Create `dir` (and its parents) readable by the owner only (`0700`), or take the group's
/// and others' access away from an existing one: the data directory holds every device's
/// history, the admin password's hash and the pseudonym key.
pub(crate) fn create_private_dir(dir: impl AsRef<Path>) -> io::Result<()> {
    use std::os::unix::fs::DirBuilderExt;
    let dir = dir.as_ref();
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)?;
    let mode = std::fs::metadata(dir)?.permissions().mode();
    if mode & 0o077 != 0 {
        match std::fs::set_permissions(dir, Permissions::from_mode(mode & 0o700)) {
            // Someone else's directory we may write in (made for us by an installer, say):
            // ours to use, not to change; the files in it are still made private.
            Err(e) if e.kind() == io::ErrorKind::PermissionDenied => tracing::warn!(
                "{} is open to other users (mode {:o}) and not ours to change: {e}",
                dir.display(),
                mode & 0o777
            ),
            other => other?,
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Dir(PathBuf);
    impl Dir {
        fn new(tag: &str) -> Dir {
            let p = std::env::temp_dir().join(format!("wf-sysfs-{tag}-{}", std::process::id()));
            let _ = std::fs::remove_dir_all(&p);
            std::fs::create_dir_all(&p).unwrap();
            Dir(p)
        }
    }
    impl Drop for Dir {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }

    fn mode(p: &Path) -> u32 {
        std::fs::metadata(p).unwrap().permissions().mode() & 0o777
    }

    fn leftovers(dir: &Path) -> Vec<String> {
        std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".whereflow-new"))
            .collect()
    }

    #[test]
    fn replaces_and_keeps_the_old_permissions() {
        let d = Dir::new("keep");
        let p = d.0.join("a.toml");
        write_atomic(&p, b"one").unwrap();
        assert_eq!(std::fs::read(&p).unwrap(), b"one");
        std::fs::set_permissions(&p, Permissions::from_mode(0o640)).unwrap();
        write_atomic(&p, b"two").unwrap();
        assert_eq!(std::fs::read(&p).unwrap(), b"two");
        assert_eq!(mode(&p), 0o640);
        assert!(leftovers(&d.0).is_empty());
    }

    #[test]
    fn private_dir_is_made_or_tightened() {
        let d = Dir::new("private");
        let new = d.0.join("a/b");
        create_private_dir(&new).unwrap();
        assert_eq!(mode(&new), 0o700);
        std::fs::set_permissions(&new, Permissions::from_mode(0o755)).unwrap();
        create_private_dir(&new).unwrap();
        assert_eq!(mode(&new), 0o700);
    }

    #[test]
    fn exact_mode_even_over_a_leftover_temporary_file() {
        let d = Dir::new("mode");
        let p = d.0.join("secret");
        let tmp = d.0.join(".secret.whereflow-new");
        std::fs::write(&tmp, "stale").unwrap();
        std::fs::set_permissions(&tmp, Permissions::from_mode(0o666)).unwrap();
        write_atomic_mode(&p, b"hash\n", 0o600).unwrap();
        assert_eq!(std::fs::read(&p).unwrap(), b"hash\n");
        assert_eq!(mode(&p), 0o600);
        assert!(leftovers(&d.0).is_empty());
    }

    #[test]
    fn a_missing_directory_is_an_error_and_leaves_nothing() {
        let d = Dir::new("missing");
        let err = write_atomic(d.0.join("no/such.toml"), b"x").unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::NotFound);
        assert!(write_atomic(Path::new("/"), b"x").is_err());
        assert!(leftovers(&d.0).is_empty());
    }
}
