//! A small HTTP/1.0 client for the admin tests (status, headers, body; cookies by hand).
#![allow(dead_code)] // each test binary uses a different part

use std::io::{Read, Write};
use std::net::SocketAddr;
use std::time::Duration;

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
