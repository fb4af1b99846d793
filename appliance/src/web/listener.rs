//! The web listeners' accept loop (plain HTTP on `web.listen`, HTTPS on `web.https_listen`),
//! hardened against slow and greedy clients in a room that shares the WiFi passphrase:
//!
//! - a connection gets a slot from [`Slots`] before anything is read: at most
//!   `web.max_connections_per_device` per device (by MAC on the appliance, else by address
//!   or IPv6 /64) and `web.max_connections` in all; over either it is closed at once, so
//!   one device holding a thousand half-open connections leaves the rest of the room (and
//!   the file-descriptor limit) alone;
//! - the request head must arrive within `web.header_timeout_secs` (hyper's header read
//!   timeout, also between keep-alive requests), the TLS handshake too;
//! - a connection that moves no byte either way for `web.idle_timeout_secs` is closed (the
//!   event stream writes a keep-alive every 15 s, so it stays open).
//!
//! Each request carries [`ConnMeta`] (the local address, for the `Host` check, and whether
//! it came over HTTPS, for `Secure` cookies) and axum's `ConnectInfo` (the peer, for the
//! viewer and the login throttle).

use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use axum::extract::ConnectInfo;
use axum::Router;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::time::Instant;
use tokio_rustls::TlsAcceptor;
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

use crate::devices::DeviceRegistry;
use crate::web::clients::{Full, Slot, Slots};

/// What a request knows about its connection.
#[derive(Clone, Copy, Debug)]
pub struct ConnMeta {
    /// The address the connection came in on (one of the appliance's).
    pub local: SocketAddr,
    /// It came over HTTPS.
    pub https: bool,
}

/// The time limits of a connection.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Timeouts {
    /// For the request head (and a TLS handshake).
    pub(crate) header: Duration,
    /// Without a byte either way.
    pub(crate) idle: Duration,
}

/// How long a connection may take to finish its request at shutdown.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(2);
/// After a failed accept (out of file descriptors, say), wait this long before the next.
const ACCEPT_BACKOFF: Duration = Duration::from_millis(50);

/// What every connection of a listener shares.
#[derive(Clone)]
pub(crate) struct Shared {
    pub(crate) router: Router,
    pub(crate) timeouts: Timeouts,
    /// Connection slots, shared by the HTTP and HTTPS listeners.
    pub(crate) connections: Arc<Slots>,
    pub(crate) devices: Arc<DeviceRegistry>,
    pub(crate) tracker: TaskTracker,
    pub(crate) shutdown: CancellationToken,
}

/// Accept connections on `tcp` (TLS first when `tls` is set) until shutdown.
pub(crate) async fn accept_loop(tcp: TcpListener, tls: Option<TlsAcceptor>, shared: Shared) {
    let mut refused: u64 = 0;
    loop {
        let accepted = tokio::select! {
            _ = shared.shutdown.cancelled() => break,
            a = tcp.accept() => a,
        };
        let (stream, peer) = match accepted {
            Ok(a) => a,
            Err(e) => {
                // EMFILE and the like: the listener stays; a moment later there may be room.
                tracing::warn!("web listener: accept failed: {e}");
                tokio::time::sleep(ACCEPT_BACKOFF).await;
                continue;
            }
        };
        let slot = match shared.connections.take_for(peer.ip(), &shared.devices) {
            Ok(slot) => slot,
            Err(full) => {
                refused += 1;
                // One line per thousand, not one per connection: a flood must not flood the log.
                if refused % 1_000 == 1 {
                    let why = match full {
                        Full::Client => "web.max_connections_per_device",
                        Full::Total => "web.max_connections",
                    };
                    tracing::warn!(
                        "web listener: closed a connection from {} over {why} ({refused} so far)",
                        peer.ip()
                    );
                }
                drop(stream);
                continue;
            }
        };
        let tls = tls.clone();
        let shared2 = shared.clone();
        shared
            .tracker
            .spawn(connection(stream, peer, slot, tls, shared2));
    }
}

async fn connection(
    stream: TcpStream,
    peer: SocketAddr,
    slot: Slot,
    tls: Option<TlsAcceptor>,
    shared: Shared,
) {
    let _slot = slot;
    let _ = stream.set_nodelay(true);
    let Ok(local) = stream.local_addr() else {
        return;
    };
    let activity = Arc::new(Activity::new());
    let meta = ConnMeta {
        local,
        https: tls.is_some(),
    };
    let io = Tracked {
        inner: stream,
        activity: activity.clone(),
    };
    match tls {
        None => serve(io, peer, meta, activity, &shared).await,
        Some(acceptor) => {
            let handshake = tokio::time::timeout(shared.timeouts.header, acceptor.accept(io));
            match handshake.await {
                Ok(Ok(tls_io)) => serve(tls_io, peer, meta, activity, &shared).await,
                Ok(Err(e)) => tracing::debug!("web: TLS handshake with {peer} failed: {e}"),
                Err(_) => tracing::debug!("web: TLS handshake with {peer} timed out"),
            }
        }
    }
}

async fn serve<I>(io: I, peer: SocketAddr, meta: ConnMeta, activity: Arc<Activity>, shared: &Shared)
where
    I: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let router = shared.router.clone();
    let service = hyper::service::service_fn(move |mut req: hyper::Request<Incoming>| {
        req.extensions_mut().insert(ConnectInfo(peer));
        req.extensions_mut().insert(meta);
        let mut router = router.clone();
        async move { tower_service::Service::call(&mut router, req).await }
    });
    let conn = http1::Builder::new()
        .timer(TokioTimer::new())
        .header_read_timeout(shared.timeouts.header)
        .serve_connection(TokioIo::new(io), service);
    tokio::pin!(conn);
    tokio::select! {
        r = conn.as_mut() => {
            if let Err(e) = r {
                tracing::debug!("web: connection from {peer} ended: {e}");
            }
        }
        _ = activity.idle_for(shared.timeouts.idle) => {
            tracing::debug!("web: closed a connection from {peer} idle for {:?}", shared.timeouts.idle);
        }
        _ = shared.shutdown.cancelled() => {
            conn.as_mut().graceful_shutdown();
            let _ = tokio::time::timeout(SHUTDOWN_GRACE, conn).await;
        }
    }
}

/// When a connection last moved a byte (milliseconds since `start`).
struct Activity {
    start: Instant,
    last_ms: AtomicU64,
}

impl Activity {
    fn new() -> Activity {
        Activity {
            start: Instant::now(),
            last_ms: AtomicU64::new(0),
        }
    }

    fn touch(&self) {
        let ms = u64::try_from(self.start.elapsed().as_millis()).unwrap_or(u64::MAX);
        self.last_ms.store(ms, Ordering::Relaxed);
    }

    /// Resolves once no byte has moved for `limit`.
    async fn idle_for(&self, limit: Duration) {
        loop {
            let last = self.start + Duration::from_millis(self.last_ms.load(Ordering::Relaxed));
            let deadline = last + limit;
            if Instant::now() >= deadline {
                return;
            }
            tokio::time::sleep_until(deadline).await;
        }
    }
}

/// A stream that notes when bytes move.
struct Tracked<S> {
    inner: S,
    activity: Arc<Activity>,
}

impl<S: AsyncRead + Unpin> AsyncRead for Tracked<S> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        let before = buf.filled().len();
        let r = Pin::new(&mut self.inner).poll_read(cx, buf);
        if matches!(r, Poll::Ready(Ok(()))) && buf.filled().len() > before {
            self.activity.touch();
        }
        r
    }
}

impl<S: AsyncWrite + Unpin> AsyncWrite for Tracked<S> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        let r = Pin::new(&mut self.inner).poll_write(cx, buf);
        if matches!(r, Poll::Ready(Ok(n)) if n > 0) {
            self.activity.touch();
        }
        r
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[std::io::IoSlice<'_>],
    ) -> Poll<std::io::Result<usize>> {
        let r = Pin::new(&mut self.inner).poll_write_vectored(cx, bufs);
        if matches!(r, Poll::Ready(Ok(n)) if n > 0) {
            self.activity.touch();
        }
        r
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::routing::get;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    /// Serve a router with `timeouts` and a cap of 2 connections per client on loopback.
    async fn serve_test(timeouts: Timeouts) -> (SocketAddr, CancellationToken) {
        let router = Router::new()
            .route("/", get(|| async { "ok" }))
            // A response that starts and then sends nothing: only the idle timeout ends it.
            .route(
                "/hang",
                get(|| async {
                    let stream = futures::stream::pending::<Result<bytes::Bytes, std::io::Error>>();
                    axum::body::Body::from_stream(stream)
                }),
            );
        let tcp = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = tcp.local_addr().unwrap();
        let shutdown = CancellationToken::new();
        let shared = Shared {
            router,
            timeouts,
            connections: Slots::new(10, 2),
            devices: Arc::new(DeviceRegistry::new(16)),
            tracker: TaskTracker::new(),
            shutdown: shutdown.clone(),
        };
        tokio::spawn(accept_loop(tcp, None, shared));
        (addr, shutdown)
    }

    /// Read until the server closes; how long that took.
    async fn until_closed(s: &mut TcpStream) -> Duration {
        let t = Instant::now();
        let mut buf = [0u8; 1024];
        while let Ok(n) = s.read(&mut buf).await {
            if n == 0 {
                break;
            }
        }
        t.elapsed()
    }

    #[tokio::test]
    async fn silent_slow_and_idle_connections_are_closed_and_the_cap_holds() {
        let (addr, shutdown) = serve_test(Timeouts {
            header: Duration::from_millis(500),
            idle: Duration::from_millis(1_500),
        })
        .await;
        // A connection that sends nothing, and one that never ends its head: the header
        // timeout closes both.
        let mut silent = TcpStream::connect(addr).await.unwrap();
        let mut partial = TcpStream::connect(addr).await.unwrap();
        partial
            .write_all(b"GET / HTTP/1.1\r\nHost: x\r\n")
            .await
            .unwrap();
        // A third from the same client is over the cap of 2: closed at once.
        let mut third = TcpStream::connect(addr).await.unwrap();
        assert!(until_closed(&mut third).await < Duration::from_millis(300));
        for s in [&mut silent, &mut partial] {
            let took = until_closed(s).await;
            assert!(
                took < Duration::from_millis(1_200),
                "header timeout: {took:?}"
            );
        }
        // Slots free again: a request is answered.
        let mut ok = TcpStream::connect(addr).await.unwrap();
        ok.write_all(b"GET / HTTP/1.0\r\nHost: x\r\n\r\n")
            .await
            .unwrap();
        let mut text = String::new();
        ok.read_to_string(&mut text).await.unwrap();
        assert!(
            text.starts_with("HTTP/1.0 200") && text.ends_with("ok"),
            "{text}"
        );
        // A response that moves no byte for the idle timeout is cut.
        let mut hang = TcpStream::connect(addr).await.unwrap();
        hang.write_all(b"GET /hang HTTP/1.1\r\nHost: x\r\n\r\n")
            .await
            .unwrap();
        let took = until_closed(&mut hang).await;
        assert!(
            took >= Duration::from_millis(1_200) && took < Duration::from_millis(3_000),
            "idle timeout: {took:?}"
        );
        shutdown.cancel();
    }
}
