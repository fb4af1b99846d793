//! The webhook: each new alert POSTed as JSON to `detect.webhook_url`.
//!
//! A minimal HTTP/1.1 client on a tokio `TcpStream`, for `http://` URLs only: the appliance's
//! tree has no TLS stack, and a webhook receiver on the LAN (Home Assistant, ntfy, a
//! script) is the use case. Bounded in every way: one request at a time, at most
//! [`QUEUE`] alerts waiting (more are dropped and counted), each request (name lookup,
//! connect, send, status line) within `detect.webhook_timeout_ms`, no redirects followed, no
//! other address ever contacted, at most 4 KiB of the answer read.
//!
//! The request: `POST <path> HTTP/1.1`, `Content-Type: application/json`, the alert object as
//! `/api/v1/alerts` lists it (without `device_name`) as the body, `Connection: close`. Any
//! 2xx status is success.

use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;

use super::DetectStats;
use crate::model::Alert;

/// Alerts waiting to be sent.
pub const QUEUE: usize = 64;

/// Where to POST: `http://host[:port][/path]`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WebhookUrl {
    /// Host name or address (IPv6 without brackets).
    pub host: String,
    /// Port (80 by default).
    pub port: u16,
    /// Path and query (`/` by default).
    pub path: String,
}

impl WebhookUrl {
    /// Parse; the error says what is wrong.
    pub fn parse(url: &str) -> Result<WebhookUrl, String> {
        let rest = match url.strip_prefix("http://") {
            Some(r) => r,
            None if url.starts_with("https://") => {
                return Err(
                    "https is not supported (no TLS client on the appliance): use an http:// \
                     receiver on the LAN"
                        .into(),
                )
            }
            None => return Err("must start with http://".into()),
        };
        let (authority, path) = match rest.find(['/', '?']) {
            Some(i) if rest.as_bytes()[i] == b'/' => (&rest[..i], rest[i..].to_owned()),
            Some(i) => (&rest[..i], format!("/{}", &rest[i..])),
            None => (rest, "/".to_owned()),
        };
        if authority.contains('@') {
            return Err("user names and passwords in the URL are not supported".into());
        }
        if path.bytes().any(|b| b <= b' ' || b == 0x7f) {
            return Err("the path must not contain spaces or control characters".into());
        }
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
            None => 80,
            Some(p) => match p.parse::<u16>() {
                Ok(0) | Err(_) => return Err(format!("{p:?} is not a port")),
                Ok(n) => n,
            },
        };
        Ok(WebhookUrl { host, port, path })
    }

    fn host_header(&self) -> String {
        let host = if self.host.contains(':') {
            format!("[{}]", self.host)
        } else {
            self.host.clone()
        };
        if self.port == 80 {
            host
        } else {
            format!("{host}:{}", self.port)
        }
    }
}

/// POST `body` and return the status code; everything within `timeout`.
pub async fn post(url: &WebhookUrl, body: &[u8], timeout: Duration) -> Result<u16, String> {
    let work = async {
        let mut stream = TcpStream::connect((url.host.as_str(), url.port))
            .await
            .map_err(|e| format!("connecting to {}:{}: {e}", url.host, url.port))?;
        let head = format!(
            "POST {} HTTP/1.1\r\nHost: {}\r\nUser-Agent: whereflow/{}\r\n\
             Content-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
            url.path,
            url.host_header(),
            env!("CARGO_PKG_VERSION"),
            body.len()
        );
        stream
            .write_all(head.as_bytes())
            .await
            .map_err(|e| format!("sending: {e}"))?;
        stream
            .write_all(body)
            .await
            .map_err(|e| format!("sending: {e}"))?;
        let mut buf = vec![0u8; 4096];
        let mut got = 0;
        loop {
            let n = stream
                .read(&mut buf[got..])
                .await
                .map_err(|e| format!("reading the answer: {e}"))?;
            got += n;
            if n == 0 || buf[..got].contains(&b'\n') || got == buf.len() {
                break;
            }
        }
        let line = String::from_utf8_lossy(&buf[..got]);
        let line = line.lines().next().unwrap_or("");
        let mut words = line.split_whitespace();
        match (
            words.next(),
            words.next().and_then(|c| c.parse::<u16>().ok()),
        ) {
            (Some(v), Some(code)) if v.starts_with("HTTP/1.") => Ok(code),
            _ => Err(format!("not an HTTP answer: {line:?}")),
        }
    };
    tokio::time::timeout(timeout, work)
        .await
        .map_err(|_| format!("no answer within {} ms", timeout.as_millis()))?
}

/// The queue in front of the sender.
#[derive(Clone, Debug)]
pub struct Webhook {
    tx: mpsc::Sender<Arc<Alert>>,
    stats: Arc<DetectStats>,
}

impl Webhook {
    /// Start the sender task for `url`; it stops at `shutdown` or when every [`Webhook`] is
    /// dropped.
    pub fn spawn(
        url: WebhookUrl,
        timeout: Duration,
        stats: Arc<DetectStats>,
        shutdown: CancellationToken,
    ) -> (Webhook, tokio::task::JoinHandle<()>) {
        let (tx, mut rx) = mpsc::channel::<Arc<Alert>>(QUEUE);
        let task_stats = stats.clone();
        let task = tokio::spawn(async move {
            loop {
                let alert = tokio::select! {
                    _ = shutdown.cancelled() => return,
                    a = rx.recv() => match a {
                        Some(a) => a,
                        None => return,
                    },
                };
                let body = match serde_json::to_vec(&*alert) {
                    Ok(b) => b,
                    Err(_) => continue,
                };
                let result = tokio::select! {
                    _ = shutdown.cancelled() => return,
                    r = post(&url, &body, timeout) => r,
                };
                match result {
                    Ok(code) if (200..300).contains(&code) => {
                        task_stats.webhook_sent.fetch_add(1, Ordering::Relaxed);
                    }
                    other => {
                        let n = task_stats.webhook_failed.fetch_add(1, Ordering::Relaxed);
                        let why = match other {
                            Ok(code) => format!("status {code}"),
                            Err(e) => e,
                        };
                        // The first failure and every 100th after it.
                        if n.is_multiple_of(100) {
                            tracing::warn!(
                                "detect: webhook POST to http://{}:{}{} failed: {why}",
                                url.host,
                                url.port,
                                url.path
                            );
                        }
                    }
                }
            }
        });
        (Webhook { tx, stats }, task)
    }

    /// Queue an alert without waiting (a full queue drops it and counts it).
    pub fn send(&self, alert: Arc<Alert>) {
        if self.tx.try_send(alert).is_err() {
            self.stats.webhook_dropped.fetch_add(1, Ordering::Relaxed);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_table() {
        let ok = |host: &str, port: u16, path: &str| {
            Ok(WebhookUrl {
                host: host.into(),
                port,
                path: path.into(),
            })
        };
        let cases: Vec<(&str, Result<WebhookUrl, String>)> = vec![
            (
                "http://192.168.4.2:8123/api/webhook/wf",
                ok("192.168.4.2", 8123, "/api/webhook/wf"),
            ),
            ("http://ha.lan", ok("ha.lan", 80, "/")),
            ("http://ha.lan?x=1", ok("ha.lan", 80, "/?x=1")),
            (
                "http://[2001:db8::5]:8080/hook",
                ok("2001:db8::5", 8080, "/hook"),
            ),
        ];
        for (text, want) in cases {
            assert_eq!(WebhookUrl::parse(text), want, "{text}");
        }
        for bad in [
            "https://ha.lan/",
            "ftp://x",
            "http://",
            "http://user:pw@ha.lan/",
            "http://ha.lan:0/",
            "http://ha.lan:99999/",
            "http://ha.lan/a b",
            "http://[2001:db8::5/",
            "http://h\u{e9}.lan/",
        ] {
            assert!(WebhookUrl::parse(bad).is_err(), "{bad}");
        }
        assert!(WebhookUrl::parse("https://x/")
            .unwrap_err()
            .contains("https"));
    }

    #[tokio::test]
    async fn posts_and_times_out() {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let server = tokio::spawn(async move {
            let (mut s, _) = listener.accept().await.unwrap();
            let mut req = Vec::new();
            let mut buf = [0u8; 1024];
            while !String::from_utf8_lossy(&req).contains("\"id\":1}") {
                let n = s.read(&mut buf).await.unwrap();
                assert!(n > 0);
                req.extend_from_slice(&buf[..n]);
            }
            s.write_all(b"HTTP/1.1 204 No Content\r\n\r\n")
                .await
                .unwrap();
            (listener, String::from_utf8(req).unwrap())
        });
        let url = WebhookUrl::parse(&format!("http://127.0.0.1:{port}/hook?k=v")).unwrap();
        let code = post(&url, b"{\"id\":1}", Duration::from_secs(2))
            .await
            .unwrap();
        assert_eq!(code, 204);
        let (listener, req) = server.await.unwrap();
        assert!(req.starts_with("POST /hook?k=v HTTP/1.1\r\n"), "{req}");
        assert!(
            req.contains(&format!("Host: 127.0.0.1:{port}\r\n")),
            "{req}"
        );
        assert!(req.contains("Content-Type: application/json\r\n"), "{req}");
        assert!(req.contains("Content-Length: 8\r\n"), "{req}");
        // A receiver that never answers: given up after the timeout.
        let silent = tokio::spawn(async move {
            let (_s, _) = listener.accept().await.unwrap();
            tokio::time::sleep(Duration::from_secs(5)).await;
        });
        let t = std::time::Instant::now();
        let e = post(&url, b"{}", Duration::from_millis(300))
            .await
            .unwrap_err();
        assert!(e.contains("300 ms"), "{e}");
        assert!(t.elapsed() < Duration::from_secs(2));
        silent.abort();
        let refused = WebhookUrl::parse("http://127.0.0.1:1/").unwrap();
        assert!(post(&refused, b"{}", Duration::from_secs(1)).await.is_err());
    }
}
