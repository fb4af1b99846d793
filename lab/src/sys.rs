//! Low-level helpers: entering network namespaces, running `ip`/`nft`, sysctls, and killing the
//! processes that live in a namespace.

use std::fs::File;
use std::io::Write;
use std::os::fd::AsRawFd;
use std::os::unix::fs::MetadataExt;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{anyhow, bail, Context, Result};

/// Where `ip netns` keeps its named namespaces.
pub(crate) const NETNS_DIR: &str = "/run/netns";

/// Runs `f` on a new thread whose network namespace is the named one (see [`crate::in_netns`]).
pub(crate) fn in_netns<T: Send + 'static>(
    netns: &str,
    f: impl FnOnce() -> T + Send + 'static,
) -> Result<T> {
    let path = Path::new(NETNS_DIR).join(netns);
    let file = File::open(&path).with_context(|| format!("opening {}", path.display()))?;
    let handle = std::thread::Builder::new()
        .name(format!("netns-{netns}"))
        .spawn(move || {
            // SAFETY: `file` is an open nsfs file; setns(2) only changes this thread's namespace.
            let rc = unsafe { libc::setns(file.as_raw_fd(), libc::CLONE_NEWNET) };
            if rc != 0 {
                return Err(std::io::Error::last_os_error());
            }
            drop(file);
            Ok(f())
        })
        .context("spawning a thread")?;
    match handle.join() {
        Ok(Ok(v)) => Ok(v),
        Ok(Err(e)) => Err(anyhow!("setns into {netns}: {e}")),
        Err(panic) => {
            let msg = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "(non-string panic)".into());
            Err(anyhow!("closure in netns {netns} panicked: {msg}"))
        }
    }
}

/// Runs a command, feeding `stdin`; fails with its stderr if it does not exit 0.
pub(crate) fn run(cmd: &mut Command, stdin: Option<&str>) -> Result<String> {
    let desc = format!("{cmd:?}");
    cmd.stdin(if stdin.is_some() {
        Stdio::piped()
    } else {
        Stdio::null()
    })
    .stdout(Stdio::piped())
    .stderr(Stdio::piped());
    let mut child = cmd.spawn().with_context(|| format!("spawning {desc}"))?;
    if let Some(input) = stdin {
        let mut pipe = child.stdin.take().context("stdin was piped")?;
        pipe.write_all(input.as_bytes())
            .with_context(|| format!("writing stdin of {desc}"))?;
    }
    let out = child
        .wait_with_output()
        .with_context(|| format!("waiting for {desc}"))?;
    if !out.status.success() {
        bail!(
            "{desc} failed ({}): {}{}",
            out.status,
            String::from_utf8_lossy(&out.stderr).trim(),
            stdin
                .map(|s| format!("\ninput was:\n{s}"))
                .unwrap_or_default()
        );
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// Runs `ip -n <netns> -batch -` with the given lines.
pub(crate) fn ip_batch(netns: &str, lines: &[String]) -> Result<()> {
    let script = lines.join("\n") + "\n";
    run(
        Command::new("ip").args(["-n", netns, "-batch", "-"]),
        Some(&script),
    )
    .map(|_| ())
}

/// Runs `ip netns exec <netns> <args..>` and returns its stdout.
pub(crate) fn netns_exec(netns: &str, args: &[&str], stdin: Option<&str>) -> Result<String> {
    run(
        Command::new("ip").args(["netns", "exec", netns]).args(args),
        stdin,
    )
}

/// Writes sysctls (`("net.ipv4.ip_forward", "1")`) inside a namespace.
pub(crate) fn sysctls(netns: &str, settings: &[(&str, &str)]) -> Result<()> {
    let settings: Vec<(String, String)> = settings
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    in_netns(netns, move || -> Result<()> {
        for (key, value) in settings {
            let path = format!("/proc/sys/{}", key.replace('.', "/"));
            std::fs::write(&path, &value).with_context(|| format!("writing {value} to {path}"))?;
        }
        Ok(())
    })?
}

/// The (device, inode) that identifies a namespace file.
fn ns_id(path: &Path) -> Option<(u64, u64)> {
    std::fs::metadata(path).ok().map(|m| (m.dev(), m.ino()))
}

/// Process ids whose (main thread's) network namespace is the named one; never our own pid.
pub(crate) fn pids_in_netns(netns: &str) -> Vec<i32> {
    let Some(target) = ns_id(&Path::new(NETNS_DIR).join(netns)) else {
        return Vec::new();
    };
    let me = std::process::id() as i32;
    let Ok(dir) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    dir.filter_map(|e| e.ok())
        .filter_map(|e| e.file_name().to_str()?.parse::<i32>().ok())
        .filter(|&pid| pid != me)
        .filter(|&pid| ns_id(Path::new(&format!("/proc/{pid}/ns/net"))) == Some(target))
        .collect()
}

/// SIGKILLs every process in the namespace and waits (bounded) until they are gone.
pub(crate) fn kill_netns_processes(netns: &str) {
    let deadline = Instant::now() + Duration::from_secs(3);
    loop {
        let pids = pids_in_netns(netns);
        if pids.is_empty() || Instant::now() > deadline {
            return;
        }
        for pid in pids {
            // SAFETY: plain kill(2) on a pid we found in the namespace.
            unsafe { libc::kill(pid, libc::SIGKILL) };
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Deletes a named namespace (after killing what runs in it); errors are reported, not fatal.
pub(crate) fn delete_netns(netns: &str) -> Result<()> {
    kill_netns_processes(netns);
    let path = Path::new(NETNS_DIR).join(netns);
    if !path.exists() {
        return Ok(());
    }
    if let Err(e) = run(Command::new("ip").args(["netns", "del", netns]), None) {
        // Fall back to what `ip netns del` does.
        let c = std::ffi::CString::new(path.as_os_str().to_string_lossy().as_bytes())?;
        // SAFETY: valid C string; umount2 of our own bind mount.
        unsafe { libc::umount2(c.as_ptr(), libc::MNT_DETACH) };
        std::fs::remove_file(&path).map_err(|e2| anyhow!("{e}; removing file: {e2}"))?;
    }
    Ok(())
}

/// Sends `sig` to the process group `pgid` (ignores errors such as ESRCH).
pub(crate) fn kill_group(pgid: u32, sig: i32) {
    // SAFETY: kill(2) on a negative pid addresses a process group we created.
    unsafe { libc::kill(-(pgid as i32), sig) };
}

/// Whether a process with this pid exists.
pub(crate) fn pid_alive(pid: u32) -> bool {
    Path::new(&format!("/proc/{pid}")).exists()
}
