//! A small HTTP/1.0 client for the admin tests (status, headers, body; cookies by hand).
#![allow(dead_code)] // each test binary uses a different part

use std::io::{Read, Write};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

/// An HTTP response.
pub struct Resp {
    pub status: u16,
    pub head: String,
    pub body: Vec<u8>,
}

impl std::fmt::Debug for Resp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}\n\n{}", self.head, self.text())
    }
}

impl Resp {
    pub fn headers(&self, name: &str) -> Vec<&str> {
        self.head
            .lines()
            .skip(1)
            .filter_map(|l| l.split_once(':'))
            .filter(|(k, _)| k.trim().eq_ignore_ascii_case(name))
            .map(|(_, v)| v.trim())
            .collect()
    }
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers(name).first().copied()
    }
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text()))
    }
}

/// One HTTP/1.0 request (the server answers close-delimited, streamed bodies included),
/// optionally from a given local address (another "device" on loopback).
pub fn http(
    addr: &str,
    from: Option<&str>,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> Resp {
    let target: SocketAddr = addr.parse().unwrap();
    let sock = socket2::Socket::new(socket2::Domain::IPV4, socket2::Type::STREAM, None).unwrap();
    if let Some(from) = from {
        let local: SocketAddr = format!("{from}:0").parse().unwrap();
        sock.bind(&local.into()).unwrap();
    }
    sock.connect(&target.into()).unwrap();
    let mut s: std::net::TcpStream = sock.into();
    s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    // The address as `Host` (the appliance accepts its own addresses) unless one is given.
    let mut req = format!(
        "{method} {path} HTTP/1.0\r\nContent-Length: {}\r\n",
        body.len()
    );
    if !headers.iter().any(|(k, _)| k.eq_ignore_ascii_case("host")) {
        req.push_str(&format!("Host: {addr}\r\n"));
    }
    for (k, v) in headers {
        req.push_str(&format!("{k}: {v}\r\n"));
    }
    req.push_str("\r\n");
    s.write_all(req.as_bytes()).unwrap();
    s.write_all(body).unwrap();
    let mut buf = Vec::new();
    s.read_to_end(&mut buf).unwrap();
    let split = buf
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("no header end");
    let head = String::from_utf8_lossy(&buf[..split]).into_owned();
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    Resp {
        status,
        head,
        body: buf[split + 4..].to_vec(),
    }
}

/// Log in with the admin form at `addr`; returns the `Cookie` value and the CSRF token, or
/// the refusal.
pub fn login(addr: &str, from: Option<&str>, password: &str) -> Result<(String, String), Resp> {
    let body = format!("password={}", password.replace(' ', "+"));
    let r = http(
        addr,
        from,
        "POST",
        "/admin/login",
        &[("Content-Type", "application/x-www-form-urlencoded")],
        body.as_bytes(),
    );
    if r.status != 303 {
        return Err(r);
    }
    let set = r.header("set-cookie").unwrap_or_default();
    let cookie = set.split(';').next().unwrap_or_default().to_owned();
    let me = http(
        addr,
        None,
        "GET",
        "/api/v1/admin",
        &[("Cookie", &cookie)],
        b"",
    );
    if me.status != 200 {
        return Err(me);
    }
    let csrf = me.json()["csrf_token"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    Ok((cookie, csrf))
}

const BIN: &str = env!("CARGO_BIN_EXE_whereflow");

/// A loopback port free for both TCP and UDP.
pub fn free_port() -> u16 {
    loop {
        let t = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = t.local_addr().unwrap().port();
        if std::net::UdpSocket::bind(("127.0.0.1", port)).is_ok() {
            return port;
        }
    }
}

/// The real `whereflow` binary with its own data directory and configuration, killed (and
/// its directory removed) on drop.
pub struct Daemon {
    pub web: String,
    pub dns: SocketAddr,
    pub dir: PathBuf,
    pub config: PathBuf,
    child: Child,
}

impl Drop for Daemon {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

impl Daemon {
    pub fn dir(tag: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("wf-admin-{tag}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("data")).unwrap();
        dir
    }

    /// Start with `extra` TOML; `as_nobody` runs it as user nobody (the config file then
    /// cannot be rewritten).
    pub fn start(dir: PathBuf, extra: &str, as_nobody: bool) -> Daemon {
        Daemon::start_with(dir, "", extra, as_nobody)
    }

    /// [`Daemon::start`] with `web_extra` lines in `[web]`.
    pub fn start_with(dir: PathBuf, web_extra: &str, extra: &str, as_nobody: bool) -> Daemon {
        let (dns_port, web_port) = (free_port(), free_port());
        let dns: SocketAddr = format!("127.0.0.1:{dns_port}").parse().unwrap();
        let web = format!("127.0.0.1:{web_port}");
        let config = dir.join("config.toml");
        std::fs::write(
            &config,
            format!(
                "# the settings file\n[dns]\nlisten = [\"{dns}\"]\nupstreams = [\"127.0.0.1:9\"]\n\
                 upstream_timeout_ms = 200\n\n[conntrack]\nenabled = false\n\n\
                 [web]\nlisten = \"{web}\"\n{web_extra}\n[data]\ndir = \"{}\"\n\n{extra}",
                dir.join("data").display()
            ),
        )
        .unwrap();
        let mut cmd = if as_nobody {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&dir, PermissionsExt::from_mode(0o755)).unwrap();
            std::fs::set_permissions(&config, PermissionsExt::from_mode(0o644)).unwrap();
            std::fs::set_permissions(dir.join("data"), PermissionsExt::from_mode(0o777)).unwrap();
            let mut c = Command::new("setpriv");
            c.args([
                "--reuid=65534",
                "--regid=65534",
                "--clear-groups",
                "--inh-caps=-all",
                BIN,
            ]);
            c
        } else {
            Command::new(BIN)
        };
        let child = cmd
            .args(["run", "--config", config.to_str().unwrap()])
            .env("RUST_LOG", "info,whereflow=debug")
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(dir.join("run.log")).unwrap())
            .spawn()
            .unwrap();
        let d = Daemon {
            web,
            dns,
            dir,
            config,
            child,
        };
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            if std::net::TcpStream::connect(&d.web).is_ok()
                && d.get("/api/v1/status", &[]).status == 200
            {
                return d;
            }
            assert!(Instant::now() < deadline, "no API:\n{}", d.log());
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.join("run.log")).unwrap_or_default()
    }

    pub fn get(&self, path: &str, headers: &[(&str, &str)]) -> Resp {
        http(&self.web, None, "GET", path, headers, b"")
    }

    pub fn req(&self, method: &str, path: &str, headers: &[(&str, &str)], body: &str) -> Resp {
        http(&self.web, None, method, path, headers, body.as_bytes())
    }

    /// Log in with the form; returns the `Cookie` header value and the CSRF token.
    pub fn login(&self, from: Option<&str>, password: &str) -> Result<(String, String), Resp> {
        login(&self.web, from, password)
    }
}
