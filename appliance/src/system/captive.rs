//! Is there a captive portal on the uplink? An HTTP GET to a probe URL that answers
//! `204 No Content` on the open internet (Android's `generate_204` by default,
//! `uplink.probe_url`). A redirect or a page instead means something in between wants a
//! login first ("the school network wants a login").
//!
//! Plain blocking HTTP/1.1 on a std socket with every step bounded: one request a minute
//! from the appliance's monitor thread needs no client library.

use std::fmt;
use std::io::{Read, Write};
use std::net::{TcpStream, ToSocketAddrs};
use std::time::Duration;

use serde::Serialize;

/// A parsed `http://host[:port]/path` probe URL.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProbeUrl {
    /// Host name or address (no brackets for IPv6).
    pub host: String,
    /// Port (80 unless given).
    pub port: u16,
    /// Path and query, starting with `/`.
    pub path: String,
}

impl ProbeUrl {
    /// Parse a plain `http://` URL; `None` for anything else (https, user info, spaces).
    pub fn parse(url: &str) -> Option<ProbeUrl> {
        let rest = url.strip_prefix("http://")?;
        let (authority, path) = match rest.find('/') {
            Some(i) => (&rest[..i], &rest[i..]),
            None => (rest, "/"),
        };
        if authority.is_empty()
            || authority.contains('@')
            || path.chars().any(|c| c.is_whitespace() || c.is_control())
        {
            return None;
        }
        let (host, port) = if let Some(v6) = authority.strip_prefix('[') {
            let (h, after) = v6.split_once(']')?;
            let port = match after.strip_prefix(':') {
                Some(p) => p.parse().ok()?,
                None if after.is_empty() => 80,
                None => return None,
            };
            (h.to_owned(), port)
        } else {
            match authority.split_once(':') {
                Some((h, p)) => (h.to_owned(), p.parse().ok()?),
                None => (authority.to_owned(), 80),
            }
        };
        let host_ok = !host.is_empty()
            && host
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '_'));
        (host_ok && port != 0).then(|| ProbeUrl {
            host,
            port,
            path: path.to_owned(),
        })
    }
}

/// What the probe found.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum Portal {
    /// `204`: the uplink reaches the internet.
    Open,
    /// Something answered in the probe's place: a login page.
    #[serde(rename = "captive_portal")]
    Captive {
        /// What came back, for the admin ("a redirect (302) to http://login.school/", "a
        /// page (200) …" in the JSON).
        answer: PortalAnswer,
    },
    /// No answer (no route, no DNS, timeout): not a portal, no internet either.
    Unreachable {
        /// Why.
        why: String,
    },
}

/// What answered the probe in the internet's place. In English in the JSON
/// ([`fmt::Display`]); the pages say it with [`PortalAnswer::args`] (`portal-answer`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PortalAnswer {
    /// A redirect (`3xx` with a `Location`), to a login page.
    Redirect {
        /// The status code.
        code: u16,
        /// Where to (at most 200 characters).
        to: String,
    },
    /// A page (`2xx`) instead of the empty `204`.
    Page {
        /// The status code.
        code: u16,
    },
    /// Any other status.
    Status {
        /// The status code.
        code: u16,
    },
}

impl PortalAnswer {
    /// Its catalogue arguments (`kind`: `redirect`, `page` or `status`; `code`; `to`).
    pub fn args(&self) -> Vec<(&'static str, String)> {
        match self {
            PortalAnswer::Redirect { code, to } => vec![
                ("kind", "redirect".into()),
                ("code", code.to_string()),
                ("to", to.clone()),
            ],
            PortalAnswer::Page { code } => {
                vec![("kind", "page".into()), ("code", code.to_string())]
            }
            PortalAnswer::Status { code } => {
                vec![("kind", "status".into()), ("code", code.to_string())]
            }
        }
    }
}

impl fmt::Display for PortalAnswer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PortalAnswer::Redirect { code, to } => write!(f, "a redirect ({code}) to {to}"),
            PortalAnswer::Page { code } => {
                write!(f, "a page ({code}) instead of the empty 204 answer")
            }
            PortalAnswer::Status { code } => write!(f, "status {code} instead of 204"),
        }
    }
}

impl Serialize for PortalAnswer {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// Most bytes of the answer read: the status line and headers are all that count.
const MAX_ANSWER: usize = 8 * 1024;

/// Probe `url`, each step (name lookup aside, which the system resolver bounds) at most
/// `timeout`.
pub fn probe(url: &ProbeUrl, timeout: Duration) -> Portal {
    let unreachable = |why: String| Portal::Unreachable { why };
    let addrs = match (url.host.as_str(), url.port).to_socket_addrs() {
        Ok(a) => a.take(4).collect::<Vec<_>>(),
        Err(e) => return unreachable(format!("cannot look up {}: {e}", url.host)),
    };
    let mut last = String::from("no address");
    let mut stream = None;
    for a in addrs {
        match TcpStream::connect_timeout(&a, timeout) {
            Ok(s) => {
                stream = Some(s);
                break;
            }
            Err(e) => last = format!("cannot connect to {a}: {e}"),
        }
    }
    let Some(mut s) = stream else {
        return unreachable(last);
    };
    let host_header = if url.host.contains(':') {
        format!("[{}]", url.host)
    } else {
        url.host.clone()
    };
    let request = format!(
        "GET {} HTTP/1.1\r\nHost: {host_header}\r\nUser-Agent: whereflow\r\n\
         Accept: */*\r\nConnection: close\r\n\r\n",
        url.path
    );
    let io = (|| -> std::io::Result<Vec<u8>> {
        s.set_read_timeout(Some(timeout))?;
        s.set_write_timeout(Some(timeout))?;
        s.write_all(request.as_bytes())?;
        let mut buf = Vec::new();
        (&mut s).take(MAX_ANSWER as u64).read_to_end(&mut buf)?;
        Ok(buf)
    })();
    match io {
        Ok(buf) => classify(&String::from_utf8_lossy(&buf)),
        Err(e) if buf_is_timeout(&e) => unreachable(format!("no answer within {timeout:?}")),
        Err(e) => unreachable(e.to_string()),
    }
}

fn buf_is_timeout(e: &std::io::Error) -> bool {
    matches!(
        e.kind(),
        std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
    )
}

/// Read an HTTP answer: `204` is the open internet; a redirect or any other answer is a
/// portal.
pub fn classify(answer: &str) -> Portal {
    let mut lines = answer.split("\r\n");
    let status_line = lines.next().unwrap_or("");
    let mut parts = status_line.split_whitespace();
    let (Some(proto), Some(code)) = (parts.next(), parts.next()) else {
        return Portal::Unreachable {
            why: "the answer was not HTTP".into(),
        };
    };
    let Ok(code) = code.parse::<u16>() else {
        return Portal::Unreachable {
            why: "the answer was not HTTP".into(),
        };
    };
    if !proto.starts_with("HTTP/") {
        return Portal::Unreachable {
            why: "the answer was not HTTP".into(),
        };
    }
    if code == 204 {
        return Portal::Open;
    }
    let location = lines
        .take_while(|l| !l.is_empty())
        .filter_map(|l| l.split_once(':'))
        .find(|(k, _)| k.trim().eq_ignore_ascii_case("location"))
        .map(|(_, v)| v.trim().chars().take(200).collect::<String>());
    let answer = match (code, location) {
        (300..=399, Some(to)) => PortalAnswer::Redirect { code, to },
        (200..=299, _) => PortalAnswer::Page { code },
        _ => PortalAnswer::Status { code },
    };
    Portal::Captive { answer }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::TcpListener;

    #[test]
    fn probe_urls_are_plain_http() {
        assert_eq!(
            ProbeUrl::parse("http://connectivitycheck.gstatic.com/generate_204"),
            Some(ProbeUrl {
                host: "connectivitycheck.gstatic.com".into(),
                port: 80,
                path: "/generate_204".into()
            })
        );
        assert_eq!(
            ProbeUrl::parse("http://[::1]:8080").map(|u| (u.host, u.port, u.path)),
            Some(("::1".into(), 8080, "/".into()))
        );
        for bad in [
            "https://x/",
            "http://",
            "http://u@x/",
            "http://x:0/",
            "http://x/a b",
            "ftp://x",
            "http://x:99999/",
        ] {
            assert_eq!(ProbeUrl::parse(bad), None, "{bad}");
        }
    }

    /// A one-answer HTTP server on loopback; the URL to probe it.
    fn serve(answer: &'static str) -> (ProbeUrl, std::thread::JoinHandle<String>) {
        let l = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = l.local_addr().unwrap().port();
        let t = std::thread::spawn(move || {
            let (mut s, _) = l.accept().unwrap();
            let mut req = Vec::new();
            let mut buf = [0u8; 1024];
            while !req.windows(4).any(|w| w == b"\r\n\r\n") {
                let n = s.read(&mut buf).unwrap();
                if n == 0 {
                    break;
                }
                req.extend_from_slice(&buf[..n]);
            }
            s.write_all(answer.as_bytes()).unwrap();
            String::from_utf8_lossy(&req).into_owned()
        });
        let url = ProbeUrl::parse(&format!("http://127.0.0.1:{port}/generate_204")).unwrap();
        (url, t)
    }

    #[test]
    fn a_204_is_open_a_redirect_or_a_page_is_a_portal() {
        let t = Duration::from_secs(5);
        let (url, server) = serve("HTTP/1.1 204 No Content\r\nContent-Length: 0\r\n\r\n");
        assert_eq!(probe(&url, t), Portal::Open);
        let req = server.join().unwrap();
        assert!(
            req.starts_with("GET /generate_204 HTTP/1.1\r\nHost: 127.0.0.1\r\n"),
            "{req}"
        );

        let (url, server) = serve(
            "HTTP/1.1 302 Found\r\nLocation: http://login.school.example/portal?x=1\r\n\
             Content-Length: 0\r\n\r\n",
        );
        assert_eq!(
            probe(&url, t),
            Portal::Captive {
                answer: PortalAnswer::Redirect {
                    code: 302,
                    to: "http://login.school.example/portal?x=1".into()
                }
            }
        );
        server.join().unwrap();

        let (url, server) = serve(
            "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n<html><body>Please log in</body></html>",
        );
        assert_eq!(
            probe(&url, t),
            Portal::Captive {
                answer: PortalAnswer::Page { code: 200 }
            }
        );
        server.join().unwrap();
    }

    #[test]
    fn nobody_listening_is_unreachable_not_a_portal() {
        let l = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = l.local_addr().unwrap().port();
        drop(l);
        let url = ProbeUrl::parse(&format!("http://127.0.0.1:{port}/")).unwrap();
        assert!(matches!(
            probe(&url, Duration::from_secs(2)),
            Portal::Unreachable { .. }
        ));
        assert!(matches!(classify("garbage"), Portal::Unreachable { .. }));
    }
}
