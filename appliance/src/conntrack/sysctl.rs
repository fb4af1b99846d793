//! The three conntrack sysctls the reader depends on, in the current network namespace.

use std::path::Path;

use crate::status::Status;

/// Where the current network namespace's netfilter sysctls live.
pub const SYSCTL_DIR: &str = "/proc/sys/net/netfilter";

/// One sysctl: its name and what is lost without it.
struct Knob {
    name: &'static str,
    /// Values that are good enough (`nf_conntrack_events=2` means "on when someone listens").
    ok: &'static [&'static str],
    without: &'static str,
}

const KNOBS: [Knob; 3] = [
    Knob {
        name: "nf_conntrack_acct",
        ok: &["1"],
        without: "byte and packet counters will be missing",
    },
    Knob {
        name: "nf_conntrack_timestamp",
        ok: &["1"],
        without: "flow start times will be when whereflow first saw a flow, not when it began",
    },
    Knob {
        name: "nf_conntrack_events",
        ok: &["1", "2"],
        without: "no NEW/DESTROY events: flows are only found by the periodic dump and short \
                  ones are missed",
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
                status.warn(format!(
                    "cannot read {} ({e}): is conntrack (nf_conntrack) loaded? If {} is off, {}",
                    path.display(),
                    k.name,
                    k.without
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
                        status.warn(format!(
                            "{key} was {current}; set it to 1 now. Flows that began before keep \
                             without it ({})",
                            k.without
                        ));
                    }
                }
                Err(e) => status.warn(format!(
                    "{} is {current} and could not be set ({e}): {}; set {key}=1 (needs root)",
                    k.name, k.without
                )),
            }
        } else {
            status.warn(format!(
                "{} is {current}: {}; set {key}=1",
                k.name, k.without
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
