//! What the real-browser tests share (`browser_views`, `browser_marks`, `browser_throttle`):
//! where things are, running a script of `web-templates/e2e/` with node in a lab device's
//! namespace, and reading the one JSON report it prints.

use std::path::PathBuf;
use std::process::{Command, Output};

use serde_json::Value;
use whereflow_lab::{Host, Lab};

use super::Daemon;

/// The repository's root.
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// One of MaxMind's test databases (`scripts/fetch-test-data.sh` fetches them).
pub fn test_db(name: &str) -> PathBuf {
    let p = repo().join("target/test-data/maxmind").join(name);
    assert!(
        p.exists(),
        "test database {} is missing: run scripts/fetch-test-data.sh",
        p.display()
    );
    p
}

/// `target/NAME/`, emptied: the screenshots and the report of one browser test.
pub fn fresh_out_dir(name: &str) -> PathBuf {
    let dir = repo().join("target").join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("output directory");
    dir
}

/// The lab's internet answers on every address of `prefix` (a local route there: its
/// servers, bound to `[::]`, answer for them), e.g. the ranges MaxMind's test databases place.
pub fn internet_answers(lab: &Lab, prefix: &str) {
    let out = lab
        .command(lab.internet(), "ip")
        .args(["route", "add", "local", prefix, "dev", "lo"])
        .output()
        .expect("ip route");
    assert!(
        out.status.success(),
        "{prefix}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The strings of a JSON array (others left out).
pub fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .map(|a| {
            a.iter()
                .filter_map(|s| s.as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default()
}

/// Whether one of the strings of `v` contains `what`.
pub fn has(v: &Value, what: &str) -> bool {
    strings(v).iter().any(|s| s.contains(what))
}

/// `node web-templates/e2e/SCRIPT` in `host`'s namespace (a phone on the WiFi), run from
/// `web-templates/` (its `node_modules`); the caller adds the arguments.
pub fn node_script(lab: &Lab, host: &Host, script: &str) -> Command {
    let mut c = lab.command(host, "node");
    c.arg(repo().join("web-templates/e2e").join(script))
        .current_dir(repo().join("web-templates"));
    c
}

/// The report a script printed (its last line of output), also saved as `out/report.json`
/// and printed; fails the test with the script's output and the daemon's log when the
/// script failed.
pub fn report(run: &Output, d: &Daemon, out: &std::path::Path) -> Value {
    let stdout = String::from_utf8_lossy(&run.stdout);
    assert!(
        run.status.success(),
        "browser script failed:\n{}\n{}\ndaemon log:\n{}",
        stdout,
        String::from_utf8_lossy(&run.stderr),
        d.log()
    );
    let report: Value =
        serde_json::from_str(stdout.lines().last().unwrap_or("")).expect("report JSON");
    let pretty = serde_json::to_string_pretty(&report).unwrap_or_default();
    std::fs::write(out.join("report.json"), &pretty).expect("saving the report");
    eprintln!("browser report: {pretty}");
    report
}

/// The script's page entry had no console error, no request to another host and no failed
/// request (`what` names it in the failure).
pub fn assert_clean_page(p: &Value, what: &str) {
    for (key, words) in [
        ("console_errors", "console errors"),
        ("foreign_requests", "requests to other hosts"),
        ("failed_requests", "failed requests"),
    ] {
        assert_eq!(p[key], serde_json::json!([]), "{what}: {words}");
    }
}
