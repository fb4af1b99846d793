//! [`HttpUrl`]: an `http://` or `https://` URL, split into what a client needs.
//!
//! Used by the webhook (`detect.webhook_url`) and by DNS-over-HTTPS upstreams
//! (`dns.upstreams`). Deliberately small: no user names, no fragments, no percent-decoding
//! (the path is sent as written), hosts in ASCII only.

use std::fmt;
use std::net::IpAddr;

/// An `http://` or `https://` URL, checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HttpUrl {
    /// `https://` (TLS) rather than `http://`.
    pub https: bool,
    /// Host name or address (IPv6 without brackets).
    pub host: String,
    /// Port (80 or 443 by default).
    pub port: u16,
    /// Path and query (`/` by default).
    pub path: String,
}

impl HttpUrl {
    /// Parse; the error says what is wrong.
    pub fn parse(url: &str) -> Result<HttpUrl, String> {
        let (https, rest) = if let Some(r) = url.strip_prefix("http://") {
            (false, r)
        } else if let Some(r) = url.strip_prefix("https://") {
            (true, r)
        } else {
            return Err("must start with http:// or https://".into());
        };
        let (authority, path) = match rest.find(['/', '?']) {
            Some(i) if rest.as_bytes()[i] == b'/' => (&rest[..i], rest[i..].to_owned()),
            Some(i) => (&rest[..i], format!("/{}", &rest[i..])),
            None => (rest, "/".to_owned()),
        };
        if authority.contains('@') {
            return Err("user names and passwords in the URL are not supported".into());
        }
        if path.bytes().any(|b| b <= b' ' || b == 0x7f || b == b'#') {
            return Err(
                "the path must not contain spaces, control characters or a #fragment".into(),
            );
        }
        let (host, port) = split_authority(authority)?;
        let port = match port {
            None if https => 443,
            None => 80,
            Some(p) => p,
        };
        Ok(HttpUrl {
            https,
            host,
            port,
            path,
        })
    }

    /// The host when it is an address literal.
    pub fn host_ip(&self) -> Option<IpAddr> {
        self.host.parse().ok()
    }

    /// `host[:port]` as the `Host` header wants it: IPv6 in brackets, the scheme's default
    /// port left out.
    pub fn authority(&self) -> String {
        authority(&self.host, self.port, if self.https { 443 } else { 80 })
    }
}

impl fmt::Display for HttpUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let scheme = if self.https { "https" } else { "http" };
        write!(f, "{scheme}://{}{}", self.authority(), self.path)
    }
}

/// `host[:port]` with IPv6 in brackets and `default_port` left out.
pub fn authority(host: &str, port: u16, default_port: u16) -> String {
    let host = if host.contains(':') {
        format!("[{host}]")
    } else {
        host.to_owned()
    };
    if port == default_port {
        host
    } else {
        format!("{host}:{port}")
    }
}

/// Split `host`, `host:port`, `[v6]` or `[v6]:port`; the host is checked to be an address or
/// made of the characters of host names, the port to be a port.
fn split_authority(authority: &str) -> Result<(String, Option<u16>), String> {
    let (host, port) = if let Some(v6) = authority.strip_prefix('[') {
        let (h, after) = v6.split_once(']').ok_or("unclosed [ in the host")?;
        let port = match after.strip_prefix(':') {
            Some(p) => Some(p),
            None if after.is_empty() => None,
            None => return Err("unexpected text after ]".into()),
        };
        h.parse::<std::net::Ipv6Addr>()
            .map_err(|_| format!("{h:?} is not an IPv6 address"))?;
        (h.to_owned(), port)
    } else {
        match authority.rsplit_once(':') {
            Some((h, p)) => (h.to_owned(), Some(p)),
            None => (authority.to_owned(), None),
        }
    };
    if host.is_empty() {
        return Err("no host".into());
    }
    if !host
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b"-._:".contains(&b))
    {
        return Err(format!("{host:?} is not a host name or address"));
    }
    let port = match port {
        None => None,
        Some(p) => match p.parse::<u16>() {
            Ok(0) | Err(_) => return Err(format!("{p:?} is not a port")),
            Ok(n) => Some(n),
        },
    };
    Ok((host, port))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_table() {
        let ok = |https: bool, host: &str, port: u16, path: &str| {
            Ok(HttpUrl {
                https,
                host: host.into(),
                port,
                path: path.into(),
            })
        };
        let cases: Vec<(&str, Result<HttpUrl, String>)> = vec![
            (
                "http://192.168.4.2:8123/api/webhook/wf",
                ok(false, "192.168.4.2", 8123, "/api/webhook/wf"),
            ),
            ("http://ha.lan", ok(false, "ha.lan", 80, "/")),
            ("http://ha.lan?x=1", ok(false, "ha.lan", 80, "/?x=1")),
            (
                "http://[2001:db8::5]:8080/hook",
                ok(false, "2001:db8::5", 8080, "/hook"),
            ),
            ("https://ha.lan/hook", ok(true, "ha.lan", 443, "/hook")),
            (
                "https://[2001:db8::5]/dns-query",
                ok(true, "2001:db8::5", 443, "/dns-query"),
            ),
        ];
        for (text, want) in cases {
            assert_eq!(HttpUrl::parse(text), want, "{text}");
        }
        for bad in [
            "ftp://x",
            "http://",
            "https://",
            "http://user:pw@ha.lan/",
            "http://ha.lan:0/",
            "http://ha.lan:99999/",
            "http://ha.lan/a b",
            "http://ha.lan/a#b",
            "http://[2001:db8::5/",
            "http://h\u{e9}.lan/",
        ] {
            assert!(HttpUrl::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn display_and_authority() {
        for (text, authority) in [
            ("http://ha.lan/", "ha.lan"),
            ("http://ha.lan:8123/x?y", "ha.lan:8123"),
            ("https://[2001:db8::5]:8443/dns-query", "[2001:db8::5]:8443"),
            ("https://dns.example/dns-query", "dns.example"),
        ] {
            let u = HttpUrl::parse(text).unwrap();
            assert_eq!(u.authority(), authority);
            assert_eq!(u.to_string(), text);
        }
    }
}
