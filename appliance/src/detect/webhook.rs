//! The webhook: each new alert POSTed as JSON to `detect.webhook_url`.
//!
//! A minimal HTTP/1.1 client on a tokio `TcpStream`, for `http://` and `https://` URLs. With
//! `https://` the connection is TLS (the appliance's one TLS client, `crate::tls`: Mozilla's
//! roots compiled in plus `detect.webhook_ca_file`, e.g. the CA of a receiver on the LAN with
//! a certificate of its own), and the receiver's certificate must be valid for the URL's host
//! (a name, or an address the certificate lists). Bounded in every way: one request at a
//! time, at most [`QUEUE`] alerts waiting (more are dropped and counted), each request (name
//! lookup, connect, TLS handshake, send, status line) within `detect.webhook_timeout_ms`, no
//! redirects followed, no other address ever contacted, at most 4 KiB of the answer read.
//!
//! The request: `POST <path> HTTP/1.1`, `Content-Type: application/json`, the alert object as
//! `/api/v1/alerts` lists it (without `device_name`) as the body, `Connection: close`. Any
//! 2xx status is success.

use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::sync::mpsc;
use tokio_rustls::TlsConnector;
use tokio_util::sync::CancellationToken;

use super::DetectStats;
use crate::model::{Alert, HttpUrl};
use crate::tls::HandshakeProblem;

/// Alerts waiting to be sent.
pub const QUEUE: usize = 64;

/// The TLS client for an `https://` webhook (`None` for `http://`).
pub type WebhookTls = Option<Arc<rustls::ClientConfig>>;

/// POST `body` and return the status code; everything within `timeout`. `tls` is needed
/// for `https://` URLs.
pub async fn post(
    url: &HttpUrl,
    tls: Option<&Arc<rustls::ClientConfig>>,
    body: &[u8],
    timeout: Duration,
) -> Result<u16, String> {
    let work = async {
        let tcp = TcpStream::connect((url.host.as_str(), url.port))
            .await
            .map_err(|e| format!("connecting to {}: {e}", url.authority()))?;
        if !url.https {
            return exchange(tcp, url, body).await;
        }
        let config = tls.ok_or("https:// without a TLS client")?;
        let name = crate::tls::server_name(&url.host)?;
        let stream = TlsConnector::from(config.clone())
            .connect(name, tcp)
            .await
            .map_err(|e| match crate::tls::handshake_problem(&e) {
                HandshakeProblem::Certificate(r) => {
                    format!("the certificate of {} is refused: {r}", url.host)
                }
                HandshakeProblem::Tls(r) => format!("TLS with {} failed: {r}", url.host),
                HandshakeProblem::Io => format!("TLS with {}: {e}", url.host),
            })?;
        exchange(stream, url, body).await
    };
    tokio::time::timeout(timeout, work)
        .await
        .map_err(|_| format!("no answer within {} ms", timeout.as_millis()))?
}

/// Send the request and read the status line.
async fn exchange<S: AsyncRead + AsyncWrite + Unpin>(
    mut stream: S,
    url: &HttpUrl,
    body: &[u8],
) -> Result<u16, String> {
    let head = format!(
        "POST {} HTTP/1.1\r\nHost: {}\r\nUser-Agent: whereflow/{}\r\n\
         Content-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        url.path,
        url.authority(),
        env!("CARGO_PKG_VERSION"),
        body.len()
    );
    // One write: head and body in one TLS record / segment where they fit.
    let mut request = head.into_bytes();
    request.extend_from_slice(body);
    stream
        .write_all(&request)
        .await
        .map_err(|e| format!("sending: {e}"))?;
    stream.flush().await.map_err(|e| format!("sending: {e}"))?;
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
}

/// The queue in front of the sender.
#[derive(Clone, Debug)]
pub struct Webhook {
    tx: mpsc::Sender<Arc<Alert>>,
    stats: Arc<DetectStats>,
}

impl Webhook {
    /// Start the sender task for `url` (`tls` for `https://`); it stops at `shutdown` or
    /// when every [`Webhook`] is dropped.
    pub fn spawn(
        url: HttpUrl,
        tls: WebhookTls,
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
                    r = post(&url, tls.as_ref(), &body, timeout) => r,
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
                            tracing::warn!("detect: webhook POST to {url} failed: {why}");
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
    use crate::test_tls::TestCa;

    #[test]
    fn urls() {
        // The parsing itself is `HttpUrl`'s; both schemes are webhooks.
        let u = HttpUrl::parse("https://ha.lan/api/webhook/wf").unwrap();
        assert!(u.https && u.port == 443);
        assert!(HttpUrl::parse("http://ha.lan").is_ok());
        assert!(HttpUrl::parse("ftp://ha.lan").is_err());
    }

    /// Read a request up to the end of the body `{"id":N}`.
    async fn read_request<S: AsyncRead + Unpin>(s: &mut S) -> String {
        let mut req = Vec::new();
        let mut buf = [0u8; 1024];
        while !String::from_utf8_lossy(&req).contains("\"id\":1}") {
            let n = s.read(&mut buf).await.unwrap();
            assert!(n > 0);
            req.extend_from_slice(&buf[..n]);
        }
        String::from_utf8(req).unwrap()
    }

    #[tokio::test]
    async fn posts_and_times_out() {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let server = tokio::spawn(async move {
            let (mut s, _) = listener.accept().await.unwrap();
            let req = read_request(&mut s).await;
            s.write_all(b"HTTP/1.1 204 No Content\r\n\r\n")
                .await
                .unwrap();
            (listener, req)
        });
        let url = HttpUrl::parse(&format!("http://127.0.0.1:{port}/hook?k=v")).unwrap();
        let code = post(&url, None, b"{\"id\":1}", Duration::from_secs(2))
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
        let e = post(&url, None, b"{}", Duration::from_millis(300))
            .await
            .unwrap_err();
        assert!(e.contains("300 ms"), "{e}");
        assert!(t.elapsed() < Duration::from_secs(2));
        silent.abort();
        let refused = HttpUrl::parse("http://127.0.0.1:1/").unwrap();
        assert!(post(&refused, None, b"{}", Duration::from_secs(1))
            .await
            .is_err());
    }

    /// A TLS receiver presenting a certificate for `names` from `ca`, answering `201` to
    /// `rounds` requests and returning them.
    async fn tls_receiver(
        ca: &TestCa,
        names: &[&str],
        rounds: usize,
    ) -> (u16, tokio::task::JoinHandle<Vec<String>>) {
        let acceptor = tokio_rustls::TlsAcceptor::from(ca.issue(names).server_config(&[]));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let task = tokio::spawn(async move {
            let mut reqs = Vec::new();
            for _ in 0..rounds {
                let (tcp, _) = listener.accept().await.unwrap();
                // A refused handshake ends this connection; the next one is served.
                let Ok(mut s) = acceptor.accept(tcp).await else {
                    continue;
                };
                reqs.push(read_request(&mut s).await);
                s.write_all(b"HTTP/1.1 201 Created\r\nContent-Length: 0\r\n\r\n")
                    .await
                    .unwrap();
                let _ = s.shutdown().await;
            }
            reqs
        });
        (port, task)
    }

    #[tokio::test]
    async fn https_posts_to_a_receiver_with_a_valid_certificate_only() {
        let ca = TestCa::new();
        let dir = std::env::temp_dir().join(format!("wf-webhook-tls-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let with_ca = crate::tls::client_config(Some(&ca.write(&dir))).unwrap();
        let t = Duration::from_secs(3);

        // The certificate carries the URL's address: posted, over TLS.
        let (port, server) = tls_receiver(&ca, &["127.0.0.1"], 1).await;
        let url = HttpUrl::parse(&format!("https://127.0.0.1:{port}/hook")).unwrap();
        assert_eq!(post(&url, Some(&with_ca), b"{\"id\":1}", t).await, Ok(201));
        let reqs = server.await.unwrap();
        assert!(reqs[0].starts_with("POST /hook HTTP/1.1\r\n"), "{reqs:?}");
        assert!(reqs[0].ends_with("\r\n\r\n{\"id\":1}"), "{reqs:?}");

        // A certificate for another name: refused, nothing sent.
        let (port, server) = tls_receiver(&ca, &["other.test"], 1).await;
        let url = HttpUrl::parse(&format!("https://127.0.0.1:{port}/hook")).unwrap();
        let e = post(&url, Some(&with_ca), b"{\"id\":1}", t)
            .await
            .unwrap_err();
        assert!(e.contains("certificate") && e.contains("127.0.0.1"), "{e}");
        assert!(server.await.unwrap().is_empty());

        // The right name from an authority not trusted (no CA file): refused.
        let (port, server) = tls_receiver(&ca, &["127.0.0.1"], 1).await;
        let url = HttpUrl::parse(&format!("https://127.0.0.1:{port}/hook")).unwrap();
        let without = crate::tls::client_config(None).unwrap();
        let e = post(&url, Some(&without), b"{\"id\":1}", t)
            .await
            .unwrap_err();
        assert!(e.contains("certificate"), "{e}");
        assert!(server.await.unwrap().is_empty());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
