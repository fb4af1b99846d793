//! Support for the daemon's lab tests: start the real `whereflow` binary in the lab's router
//! namespace, talk to its API, and send DNS queries from a device.
#![allow(dead_code)] // each test binary uses a different part

pub mod browser;
pub mod sse;
pub mod wifi;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use anyhow::{bail, Context};
use serde_json::Value;
use whereflow_lab::Lab;

/// The daemon under test, running in the lab's router namespace. Killed on drop.
pub struct Daemon {
    child: Child,
    dir: PathBuf,
    router: String,
}

/// Where a daemon started on `lab` keeps its config and log; its data directory (`data.dir`)
/// is `data/` in it.
pub fn daemon_dir(lab: &Lab) -> PathBuf {
    std::env::temp_dir().join(format!(
        "wf-daemon-{}-{}",
        std::process::id(),
        lab.router().netns
    ))
}

/// Where the tests reach the daemon's web API inside the router namespace.
pub const API: &str = "127.0.0.1:8080";

/// Where the web listener binds: every address of the router, so a browser in a device
/// namespace reaches the pages at `http://192.0.2.1:8080` as a phone on the WiFi would.
pub const WEB_LISTEN: &str = "0.0.0.0:8080";

impl Daemon {
    /// Start `whereflow run` with the lab's upstreams and LAN, plus `extra` TOML appended
    /// (sections not otherwise set, e.g. `[conntrack]` keys; keys before its first section
    /// header land in `[web]`, e.g. `privacy_mode = true`). Waits until the API answers.
    pub fn start(lab: &Lab, extra_toml: &str) -> anyhow::Result<Daemon> {
        Daemon::start_with_upstreams(lab, &lab.upstreams(), extra_toml)
    }

    /// Like [`Daemon::start`] with the given `dns.upstreams` (empty: the system's resolvers,
    /// i.e. the router namespace's `/etc/resolv.conf`).
    pub fn start_with_upstreams(
        lab: &Lab,
        upstreams: &[std::net::SocketAddr],
        extra_toml: &str,
    ) -> anyhow::Result<Daemon> {
        Daemon::start_full(lab, upstreams, "", extra_toml)
    }

    /// Like [`Daemon::start`] with `dns_toml` (lines of `[dns]` keys) added to `[dns]`.
    pub fn start_with_dns(lab: &Lab, dns_toml: &str, extra_toml: &str) -> anyhow::Result<Daemon> {
        Daemon::start_full(lab, &lab.upstreams(), dns_toml, extra_toml)
    }

    fn start_full(
        lab: &Lab,
        upstreams: &[std::net::SocketAddr],
        dns_toml: &str,
        extra_toml: &str,
    ) -> anyhow::Result<Daemon> {
        let dir = daemon_dir(lab);
        std::fs::create_dir_all(&dir)?;
        let upstreams: Vec<String> = upstreams.iter().map(|u| format!("\"{u}\"")).collect();
        let lan: Vec<String> = lab
            .lan_ranges()
            .iter()
            .map(|r| format!("\"{r}\""))
            .collect();
        let config = format!(
            "[dns]\nlisten = [\"192.0.2.1:53\", \"[2001:db8:1::1]:53\"]\nupstreams = [{}]\n\
             upstream_timeout_ms = 500\n{dns_toml}\n\n[correlate]\nlan = [{}]\n\n[data]\ndir = \"{}\"\n\n\
             [web]\nlisten = \"{WEB_LISTEN}\"\n{extra_toml}\n",
            upstreams.join(", "),
            lan.join(", "),
            dir.join("data").display(),
        );
        let config_path = dir.join("config.toml");
        std::fs::write(&config_path, config)?;
        let log = std::fs::File::create(dir.join("daemon.log"))?;
        // WF_DAEMON_WRAPPER="heaptrack -o /tmp/wf" (say) runs the daemon under a profiler.
        let wrapper = std::env::var("WF_DAEMON_WRAPPER").unwrap_or_default();
        let mut words = wrapper.split_whitespace();
        let mut cmd = match words.next() {
            Some(program) => {
                let mut c = lab.command(lab.router(), program);
                c.args(words).arg(env!("CARGO_BIN_EXE_whereflow"));
                c
            }
            None => lab.command(lab.router(), env!("CARGO_BIN_EXE_whereflow")),
        };
        let child = cmd
            .arg("run")
            .arg("--config")
            .arg(&config_path)
            .env("RUST_LOG", "info,whereflow=debug")
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .context("starting whereflow in the router namespace")?;
        let mut d = Daemon {
            child,
            dir,
            router: lab.router().netns.clone(),
        };
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            if let Ok(Some(status)) = d.child.try_wait() {
                bail!("whereflow exited at start ({status}):\n{}", d.log());
            }
            if d.get(lab, "/api/v1/status").is_ok() {
                return Ok(d);
            }
            if Instant::now() > deadline {
                bail!("whereflow API did not come up in 20 s:\n{}", d.log());
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Kill the daemon with SIGKILL (a power cut, as far as it can tell) and keep its data
    /// directory, so a new [`Daemon::start`] on the same lab finds its history.
    pub fn kill_keep_data(mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        // Forget the directory so Drop leaves it; the next daemon on this lab reuses the path.
        self.dir = PathBuf::new();
    }

    /// The daemon's process id (as seen from the host).
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// The daemon's log so far.
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.join("daemon.log")).unwrap_or_default()
    }

    /// GET a path of the API and parse the JSON body.
    pub fn get(&self, lab: &Lab, path: &str) -> anyhow::Result<Value> {
        let path = path.to_owned();
        lab.in_netns(lab.router(), move || http_get_json(API, &path))?
    }

    /// The flows the API lists now.
    pub fn flows(&self, lab: &Lab) -> anyhow::Result<Vec<Value>> {
        let v = self.get(lab, "/api/v1/flows")?;
        Ok(v["flows"].as_array().cloned().unwrap_or_default())
    }

    /// Poll the flows until `pick` returns `Some`, for at most `limit`.
    pub fn wait_for<T>(
        &self,
        lab: &Lab,
        limit: Duration,
        mut pick: impl FnMut(&[Value]) -> Option<T>,
    ) -> anyhow::Result<T> {
        let deadline = Instant::now() + limit;
        loop {
            let flows = self.flows(lab)?;
            if let Some(t) = pick(&flows) {
                return Ok(t);
            }
            if Instant::now() > deadline {
                bail!(
                    "condition not met within {limit:?}; flows now:\n{}\nlog:\n{}",
                    serde_json::to_string_pretty(&flows).unwrap_or_default(),
                    self.log()
                );
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

impl Drop for Daemon {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        if !self.dir.as_os_str().is_empty() {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}

/// A minimal HTTP/1.0 GET: the status code and the body (tests only).
pub fn http_get(addr: &str, path: &str) -> anyhow::Result<(u16, String)> {
    let mut s = TcpStream::connect(addr)?;
    s.set_read_timeout(Some(Duration::from_secs(10)))?;
    write!(s, "GET {path} HTTP/1.0\r\nHost: whereflow\r\n\r\n")?;
    let mut buf = Vec::new();
    s.read_to_end(&mut buf)?;
    let text = String::from_utf8(buf)?;
    let (head, body) = text.split_once("\r\n\r\n").context("no HTTP header end")?;
    let code = head
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .context("no HTTP status")?;
    Ok((code, body.to_string()))
}

/// A minimal HTTP/1.0 GET returning the parsed JSON body of a 200 answer (tests only).
pub fn http_get_json(addr: &str, path: &str) -> anyhow::Result<Value> {
    let (code, body) = http_get(addr, path)?;
    if code != 200 {
        bail!("GET {path}: status {code}: {body}");
    }
    Ok(serde_json::from_str(&body)?)
}

/// A raw HTTP/1.0 request as device `i` of the lab (its own namespace) to the web listener:
/// returns the status code, the response head (for `Set-Cookie`, `Location`) and the body.
pub fn request_as_device(
    lab: &Lab,
    i: usize,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> anyhow::Result<(u16, String, String)> {
    let mut req = format!("{method} {path} HTTP/1.0\r\nHost: 192.0.2.1:8080\r\n");
    for (k, v) in headers {
        req.push_str(&format!("{k}: {v}\r\n"));
    }
    if !body.is_empty() || method == "POST" {
        req.push_str(&format!("Content-Length: {}\r\n", body.len()));
    }
    req.push_str("\r\n");
    req.push_str(body);
    lab.in_netns(
        &lab.devices()[i],
        move || -> anyhow::Result<(u16, String, String)> {
            let mut s = TcpStream::connect("192.0.2.1:8080")?;
            s.set_read_timeout(Some(Duration::from_secs(30)))?;
            s.write_all(req.as_bytes())?;
            let mut buf = Vec::new();
            s.read_to_end(&mut buf)?;
            let text = String::from_utf8_lossy(&buf).into_owned();
            let (head, body) = text.split_once("\r\n\r\n").context("no HTTP header end")?;
            let code = head
                .split_whitespace()
                .nth(1)
                .and_then(|c| c.parse().ok())
                .context("no HTTP status")?;
            Ok((code, head.to_string(), body.to_string()))
        },
    )?
}

/// The device form's cookie and hidden token from `GET /me`, and the page.
pub fn form_token(lab: &Lab, dev: usize) -> (String, String, String) {
    let (code, head, body) = request_as_device(lab, dev, "GET", "/me", &[], "").expect("GET /me");
    assert_eq!(code, 200, "{head}");
    let cookie = head
        .lines()
        .filter_map(|l| l.split_once(':'))
        .filter(|(k, _)| k.eq_ignore_ascii_case("set-cookie"))
        .map(|(_, v)| v.trim())
        .find(|v| v.starts_with("whereflow_form="))
        .and_then(|v| v.split(';').next())
        .expect("the page sets the form cookie")
        .to_string();
    let at = body.find("name=\"csrf\"").expect("hidden csrf field");
    let tail = &body[at..];
    let v = tail.find("value=\"").expect("csrf value") + 7;
    let token = tail[v..].split('"').next().unwrap_or("").to_string();
    (cookie, token, body)
}

/// "Forget my device" from device `dev`'s own page, confirmed: the status and head.
pub fn forget_me(lab: &Lab, dev: usize) -> (u16, String) {
    let (cookie, token, _) = form_token(lab, dev);
    let (code, head, _) = request_as_device(
        lab,
        dev,
        "POST",
        "/me/forget",
        &[
            ("Content-Type", "application/x-www-form-urlencoded"),
            ("Cookie", &cookie),
        ],
        &format!("confirm=yes&csrf={token}"),
    )
    .expect("POST /me/forget");
    (code, head)
}

/// GET `path` from the web listener as device `i` of the lab would (its own namespace).
pub fn get_as_device(lab: &Lab, i: usize, path: &str) -> anyhow::Result<(u16, String)> {
    let path = path.to_owned();
    lab.in_netns(&lab.devices()[i], move || http_get("192.0.2.1:8080", &path))?
}

/// Find the flow of `device` to `remote:port`.
pub fn find<'a>(flows: &'a [Value], device: &str, remote: &str, port: u16) -> Option<&'a Value> {
    flows
        .iter()
        .find(|f| f["device_ip"] == device && f["remote_ip"] == remote && f["remote_port"] == port)
}
