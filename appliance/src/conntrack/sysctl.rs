//! The three conntrack sysctls the reader depends on, in the current network namespace.

use std::path::Path;

use crate::status::{Status, StatusWords};

/// Where the current network namespace's netfilter sysctls live.
pub const SYSCTL_DIR: &str = "/proc/sys/net/netfilter";

/// One sysctl: its name and the values that are fine (what is lost without it is said by
/// the catalogues' `status-sysctl-*` messages, by name).
struct Knob {
    name: &'static str,
    /// Values that are good enough (`nf_conntrack_events=2` means "on when someone listens").
    ok: &'static [&'static str],
}

const KNOBS: [Knob; 3] = [
    Knob {
        name: "nf_conntrack_acct",
        ok: &["1"],
    },
    Knob {
        name: "nf_conntrack_timestamp",
        ok: &["1"],
    },
    Knob {
        name: "nf_conntrack_events",
        ok: &["1", "2"],
    },
];

/// See [`super::prepare_sysctls`]; `dir` is the sysctl directory (a test can point it elsewhere).
pub fn prepare_in(dir: &Path, set: bool, status: &Status) {
    for k in &KNOBS {
        let path = dir.join(k.name);
        let key = format!("net.netfilter.{}", k.name);
        let current = match std::fs::read_to_string(&path) {
            Ok(v) => v.trim().to_owned(),
            Err(e) => {
                status.warn(StatusWords::new(
                    "sysctl-unreadable",
                    [
                        ("knob", k.name.to_owned()),
                        ("file", path.display().to_string()),
                        ("error", e.to_string()),
                    ],
                ));
                continue;
            }
        };
        if k.ok.contains(&current.as_str()) {
            continue;
        }
        if set {
            match std::fs::write(&path, "1\n") {
                Ok(()) => {
                    tracing::info!("set {key}=1 (was {current})");
                    if k.name != "nf_conntrack_events" {
                        status.warn(StatusWords::new(
                            "sysctl-was-off",
                            [
                                ("knob", k.name.to_owned()),
                                ("key", key),
                                ("value", current),
                            ],
                        ));
                    }
                }
                Err(e) => status.warn(StatusWords::new(
                    "sysctl-unset",
                    [
                        ("knob", k.name.to_owned()),
                        ("key", key),
                        ("value", current),
                        ("error", e.to_string()),
                    ],
                )),
            }
        } else {
            status.warn(StatusWords::new(
                "sysctl-off",
                [
                    ("knob", k.name.to_owned()),
                    ("key", key),
                    ("value", current),
                ],
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dir(name: &str, values: [&str; 3]) -> std::path::PathBuf {
        let d = std::env::temp_dir().join(format!("wf-sysctl-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(&d).unwrap();
        for (k, v) in KNOBS.iter().zip(values) {
            std::fs::write(d.join(k.name), format!("{v}\n")).unwrap();
        }
        d
    }

    #[test]
    fn check_only_explains_what_is_off() {
        let d = dir("check", ["0", "1", "2"]);
        let status = Status::default();
        prepare_in(&d, false, &status);
        let w = status.snapshot().warnings;
        assert_eq!(w.len(), 1, "{w:?}");
        assert!(w[0].contains("nf_conntrack_acct is 0"), "{w:?}");
        assert!(w[0].contains("net.netfilter.nf_conntrack_acct=1"), "{w:?}");
        assert_eq!(
            std::fs::read_to_string(d.join("nf_conntrack_acct")).unwrap(),
            "0\n"
        );
        std::fs::remove_dir_all(&d).unwrap();
    }

    #[test]
    fn set_turns_them_on() {
        let d = dir("set", ["0", "0", "0"]);
        let status = Status::default();
        prepare_in(&d, true, &status);
        for k in &KNOBS {
            assert_eq!(std::fs::read_to_string(d.join(k.name)).unwrap(), "1\n");
        }
        // Counters and timestamps only apply to flows that begin afterwards: say so.
        assert_eq!(status.snapshot().warnings.len(), 2);
        std::fs::remove_dir_all(&d).unwrap();
    }

    #[test]
    fn missing_files_warn_and_do_not_fail() {
        let status = Status::default();
        prepare_in(Path::new("/nonexistent/whereflow"), true, &status);
        assert_eq!(status.snapshot().warnings.len(), 3);
    }
}
