//! The history's files on the lab, through the real daemon: "forget my device" leaves none of
//! the device's names in the database, WAL or shared-memory file (before and after a
//! restart), the files are the daemon's alone; and a data directory that fills up (a small
//! tmpfs) raises a warning in `/api/v1/status` while DNS and the views go on, and the warning
//! clears and the history resumes once space is back.

mod common;

use std::io::Write;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use common::{daemon_dir, forget_me, form_token, get_as_device, request_as_device, Daemon};
use hickory_proto::rr::RecordType;
use serde_json::Value;
use whereflow_lab::{Lab, LabOptions, Zone};

const DB_FILES: [&str; 3] = ["whereflow.db", "whereflow.db-wal", "whereflow.db-shm"];

/// The files of `DB_FILES` in `data` whose bytes contain `needle` (what `strings | grep`
/// would find; a missing file contains nothing).
fn files_with(data: &Path, needle: &str) -> Vec<&'static str> {
    DB_FILES
        .into_iter()
        .filter(|f| {
            std::fs::read(data.join(f))
                .map(|b| b.windows(needle.len()).any(|w| w == needle.as_bytes()))
                .unwrap_or(false)
        })
        .collect()
}

/// Poll `cond` every 100 ms for at most `limit`; how long it took.
fn within(limit: Duration, mut cond: impl FnMut() -> bool) -> Option<Duration> {
    let start = Instant::now();
    while start.elapsed() < limit {
        if cond() {
            return Some(start.elapsed());
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    None
}

fn query(lab: &Lab, dev: usize, name: &str) -> anyhow::Result<()> {
    lab.query(dev, "192.0.2.1:53".parse()?, name, RecordType::A, false)
        .map(|_| ())
}

fn mode(p: &Path) -> u32 {
    std::fs::metadata(p)
        .map(|m| m.permissions().mode() & 0o777)
        .unwrap_or(0)
}

#[test]
fn forget_leaves_no_names_in_the_files() {
    let zones = vec![Zone::new("test")
        .a("forgetme-q7x.example", "203.0.113.10")
        .a("keepme-k2v.example", "203.0.113.11")];
    let lab = Lab::build(LabOptions { devices: 2, zones }).expect("building the lab (needs root)");
    let _tcp = lab.tcp_server(443).expect("tcp server");
    let data = daemon_dir(&lab).join("data");
    let d = Daemon::start(&lab, "").expect("daemon");
    for (dev, name, ip) in [
        (0, "forgetme-q7x.example.test.", "203.0.113.10"),
        (1, "keepme-k2v.example.test.", "203.0.113.11"),
    ] {
        query(&lab, dev, name).expect("query");
        lab.tcp_exchange(dev, format!("{ip}:443").parse().expect("addr"), 1000, 4000)
            .expect("exchange");
    }
    let (cookie, token, _) = form_token(&lab, 0);
    let (code, head, _) = request_as_device(
        &lab,
        0,
        "POST",
        "/me/nickname",
        &[
            ("Content-Type", "application/x-www-form-urlencoded"),
            ("Cookie", &cookie),
        ],
        &format!("nickname=Zorblax+phone&csrf={token}"),
    )
    .expect("POST nickname");
    assert_eq!(code, 303, "{head}");
    // The search finds what is there: both devices' names reach the files first.
    let took = within(Duration::from_secs(10), || {
        !files_with(&data, "forgetme-q7x").is_empty() && !files_with(&data, "keepme-k2v").is_empty()
    });
    assert!(took.is_some(), "names never written:\n{}", d.log());
    println!(
        "before the forget: forgetme-q7x in {:?}, Zorblax in {:?}",
        files_with(&data, "forgetme-q7x"),
        files_with(&data, "Zorblax")
    );

    let (code, head) = forget_me(&lab, 0);
    assert_eq!(code, 303, "{head}");
    let gone =
        || files_with(&data, "forgetme-q7x").is_empty() && files_with(&data, "Zorblax").is_empty();
    // The identity (nickname) is forgotten after the rows, in the writer's next batch.
    let took = within(Duration::from_secs(5), gone);
    assert!(
        took.is_some(),
        "after the forget: forgetme-q7x in {:?}, Zorblax in {:?}; wal {} bytes",
        files_with(&data, "forgetme-q7x"),
        files_with(&data, "Zorblax"),
        std::fs::metadata(data.join("whereflow.db-wal")).map_or(0, |m| m.len())
    );
    println!("forgotten from the files {took:?} after the answer");
    assert!(
        !files_with(&data, "keepme-k2v").is_empty(),
        "the other device's names went too"
    );

    // A power cut and a restart bring nothing back.
    d.kill_keep_data();
    let d = Daemon::start(&lab, "").expect("daemon again");
    query(&lab, 1, "keepme-k2v.example.test.").expect("query after the restart");
    std::thread::sleep(Duration::from_secs(2));
    assert!(
        gone(),
        "after the restart: forgetme-q7x in {:?}, Zorblax in {:?}",
        files_with(&data, "forgetme-q7x"),
        files_with(&data, "Zorblax")
    );
    // The data are the daemon's alone (checked last, after the names).
    assert_eq!(mode(&data), 0o700, "data directory");
    for f in DB_FILES {
        assert_eq!(mode(&data.join(f)), 0o600, "{f}");
    }
    for e in std::fs::read_dir(&data).expect("data dir").flatten() {
        assert_eq!(mode(&e.path()) & 0o077, 0, "{}", e.path().display());
    }
    let (_, dns) = get_as_device(&lab, 1, "/api/v1/dns").expect("GET");
    assert!(!dns.contains("forgetme-q7x"), "{dns}");
    drop(d);
}

/// A tmpfs mounted over the daemon's data directory, unmounted (and the directory removed)
/// on drop.
struct SmallDisk(PathBuf);

impl SmallDisk {
    fn mount(dir: &Path, size: &str) -> SmallDisk {
        std::fs::create_dir_all(dir).expect("data dir");
        let ok = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(dir)
            .status()
            .expect("mount")
            .success();
        assert!(ok, "mount tmpfs on {}", dir.display());
        SmallDisk(dir.to_owned())
    }

    /// Fill it with a file until the disk says no more.
    fn fill(&self) -> u64 {
        let mut f = std::fs::File::create(self.0.join("filler")).expect("filler");
        let chunk = vec![0xa5u8; 16 * 1024];
        let mut n = 0u64;
        while f.write_all(&chunk).is_ok() {
            n += chunk.len() as u64;
        }
        // The last partial chunk's bytes: the file's size.
        while f.write_all(&chunk[..512]).is_ok() {}
        let _ = f.sync_all();
        std::fs::metadata(self.0.join("filler")).map_or(n, |m| m.len())
    }

    fn free(&self) {
        std::fs::remove_file(self.0.join("filler")).expect("remove filler");
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.0).status();
        let _ = std::fs::remove_dir_all(self.0.parent().unwrap_or(&self.0));
    }
}

fn history_warning(d: &Daemon, lab: &Lab) -> Option<String> {
    let s = d.get(lab, "/api/v1/status").ok()?;
    s["warnings"]
        .as_array()?
        .iter()
        .filter_map(Value::as_str)
        .find(|w| w.starts_with("history is not being saved"))
        .map(String::from)
}

#[test]
fn a_full_disk_warns_keeps_serving_and_recovers() {
    let zones = vec![Zone::new("test").a("a.example", "203.0.113.10")];
    let lab = Lab::build(LabOptions { devices: 1, zones }).expect("building the lab (needs root)");
    let _tcp = lab.tcp_server(443).expect("tcp server");
    let data = daemon_dir(&lab).join("data");
    let disk = SmallDisk::mount(&data, "4m");
    let d = Daemon::start(&lab, "").expect("daemon");
    query(&lab, 0, "a.example.test.").expect("query");
    lab.tcp_exchange(0, "203.0.113.10:443".parse().expect("addr"), 1000, 4000)
        .expect("exchange");
    d.wait_for(&lab, Duration::from_secs(10), |f| {
        (!f.is_empty()).then_some(())
    })
    .expect("a flow");
    assert_eq!(history_warning(&d, &lab), None);

    let filled = disk.fill();
    println!("filler: {filled} bytes");
    // Answers keep coming (each one a row to write) until the writer is refused.
    let start = Instant::now();
    let mut asked = 0;
    let mut warned = None;
    while start.elapsed() < Duration::from_secs(30) {
        for _ in 0..20 {
            query(&lab, 0, &format!("full-{asked}.example.test.")).expect("DNS while full");
            asked += 1;
        }
        if let Some(w) = history_warning(&d, &lab) {
            warned = Some((start.elapsed(), w));
            break;
        }
    }
    let (after, warning) = warned.unwrap_or_else(|| {
        panic!(
            "no warning in 30 s ({asked} answers):\n{}",
            serde_json::to_string_pretty(&d.get(&lab, "/api/v1/status").unwrap_or_default())
                .unwrap_or_default()
        )
    });
    println!("warned {after:?} after filling ({asked} answers asked): {warning}");
    // DNS and the views go on while it lasts.
    let t = Instant::now();
    for i in 0..50 {
        query(&lab, 0, &format!("still-{i}.example.test.")).expect("DNS while full");
    }
    println!("50 answers while full in {:?}", t.elapsed());
    for path in [
        "/api/v1/flows",
        "/api/v1/dns",
        "/api/v1/paths?window=900",
        "/",
    ] {
        let (code, _) = get_as_device(&lab, 0, path).expect("GET");
        assert_eq!(code, 200, "{path} while the disk is full");
    }
    let status = d.get(&lab, "/api/v1/status").expect("status");
    println!("history while full: {}", status["history"]);
    // The same warning as catalogue words, for the pages in their readers' languages.
    let words = status["warnings_words"]
        .as_array()
        .and_then(|w| w.iter().find(|w| w["id"] == "history-failing"))
        .unwrap_or_else(|| panic!("no words for the history warning: {status}"));
    assert!(words["args"]["error"].is_string(), "{words}");

    disk.free();
    let cleared = within(Duration::from_secs(10), || {
        history_warning(&d, &lab).is_none()
    });
    assert!(
        cleared.is_some(),
        "the warning stayed after space came back:\n{}",
        d.log()
    );
    println!("cleared {cleared:?} after freeing");
    query(&lab, 0, "after-space.example.test.").expect("query");
    let saved = within(Duration::from_secs(5), || {
        !files_with(&data, "after-space").is_empty()
    });
    assert!(saved.is_some(), "history did not resume:\n{}", d.log());
    // The ops held while the disk was full were written once it was not.
    let held = (0..asked)
        .filter(|i| !files_with(&data, &format!("full-{i}.example")).is_empty())
        .count();
    let status = d.get(&lab, "/api/v1/status").expect("status");
    println!(
        "after: {held} of {asked} answers asked while full were saved; history {}",
        status["history"]
    );
    assert!(held > 0, "the held batch was lost");
    assert_eq!(status["history"]["failed"], 0, "{}", status["history"]);
    drop(d);
}
