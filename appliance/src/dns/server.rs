//! UDP and TCP listeners: framing, limits and timeouts around the [`Forwarder`].
//!
//! UDP: each listen address gets one socket per CPU, bound with `SO_REUSEPORT` so the kernel
//! spreads clients over them, and each socket is served by its own thread running its own
//! single-threaded runtime ([`start_udp_thread`]). So the read loops never queue behind the
//! correlator, the detectors or the web server on the daemon's shared runtime, and a
//! question, its upstream socket and its answer stay on one thread. Cache hits are
//! answered inside the read loop; cache misses are sent upstream from it too, and answered
//! by the task that reads the upstream's response. At most [`MAX_UPSTREAM_TASKS`] wait at
//! once (beyond that, queries are dropped and the clients retry).
//!
//! TCP: at most `max_tcp_connections` clients at once, and at most
//! `max_tcp_connections_per_client` from one address (more are closed at once), so one
//! device holding idle connections cannot take the slots everyone else needs; a client
//! must deliver each complete message, and read each answer, within `tcp_idle_timeout_ms`,
//! which bounds what a stalled or trickling client can hold.

use std::collections::HashMap;
use std::io;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use futures::stream::FuturesUnordered;
use futures::{FutureExt, StreamExt};
use socket2::{Domain, Protocol, Socket, Type};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream, UdpSocket};
use tokio::sync::Semaphore;
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

use super::batch::{self, RecvBatch};
use super::forwarder::{Flight, Forwarder, Now, Outbox, Transport};
use super::ratelimit::LogLimiter;
use super::repeats::{self, Repeats};
use super::wire::MAX_REQUEST_LEN;
use crate::status::{bump, Status};

/// Most UDP questions waiting for upstreams at once. With a 1.9 s answer budget this allows
/// thousands of queries per second to a slow upstream while bounding memory.
pub const MAX_UPSTREAM_TASKS: usize = 8_192;
/// Receive buffer asked for on UDP sockets (see [`batch::grow_recv_buffer`]): bursts from
/// many devices at once should queue, not drop.
const UDP_RECV_BUFFER: usize = 4 << 20;

static OVERLOAD: LogLimiter = LogLimiter::new();
static TCP_FULL: LogLimiter = LogLimiter::new();
static SOCKET_ERR: LogLimiter = LogLimiter::new();
static TCP_BAD: LogLimiter = LogLimiter::new();

/// Settings the listeners need.
#[derive(Clone)]
pub struct Limits {
    /// Most TCP clients at once.
    pub max_tcp: usize,
    /// TCP idle / per-message timeout.
    pub tcp_idle: Duration,
    /// Most TCP clients at once from one address.
    pub max_tcp_per_client: usize,
}

/// TCP connections held per client address; an entry lives while its client has one.
#[derive(Default)]
struct PerClient(parking_lot::Mutex<HashMap<IpAddr, usize>>);

impl PerClient {
    /// Take one of `client`'s `limit` slots.
    fn take(self: &Arc<Self>, client: IpAddr, limit: usize) -> Option<ClientSlot> {
        let client = client.to_canonical();
        let mut held = self.0.lock();
        let n = held.entry(client).or_insert(0);
        if *n >= limit {
            return None;
        }
        *n += 1;
        Some(ClientSlot {
            table: self.clone(),
            client,
        })
    }
}

/// One TCP connection's claim on its client's share; given back on drop.
struct ClientSlot {
    table: Arc<PerClient>,
    client: IpAddr,
}

impl Drop for ClientSlot {
    fn drop(&mut self) {
        let mut held = self.table.0.lock();
        if let Some(n) = held.get_mut(&self.client) {
            *n = n.saturating_sub(1);
            if *n == 0 {
                held.remove(&self.client);
            }
        }
    }
}

/// Bind one UDP socket with `SO_REUSEPORT` (so several can share the address). It is
/// registered with a runtime by the thread that serves it ([`start_udp_thread`]).
pub fn bind_udp(addr: SocketAddr) -> io::Result<std::net::UdpSocket> {
    let s = Socket::new(Domain::for_address(addr), Type::DGRAM, Some(Protocol::UDP))?;
    if addr.is_ipv6() {
        // Keep v6 sockets v6-only so `[::]` and `0.0.0.0` can both be listed.
        s.set_only_v6(true)?;
    }
    s.set_reuse_port(true)?;
    batch::grow_recv_buffer(&s, UDP_RECV_BUFFER);
    s.set_nonblocking(true)?;
    s.bind(&addr.into())?;
    Ok(s.into())
}

/// Serve one UDP socket on a thread of its own, with its own single-threaded runtime, until
/// `shutdown`. Returns once the thread is serving; `tracker` waits for it to end. Tasks the
/// forwarder spawns from there (connections to encrypted upstreams) run on that thread too.
pub async fn start_udp_thread(
    index: usize,
    sock: std::net::UdpSocket,
    fwd: Arc<Forwarder>,
    upstream_slots: Arc<Semaphore>,
    shutdown: CancellationToken,
    tracker: &TaskTracker,
) -> io::Result<()> {
    let (ready_tx, ready_rx) = tokio::sync::oneshot::channel();
    // Keeps `tracker.wait()` pending until the thread has stopped serving.
    let token = tracker.token();
    std::thread::Builder::new()
        .name(format!("dns-udp-{index}"))
        .spawn(move || {
            let runtime = match tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
            {
                Ok(rt) => rt,
                Err(e) => {
                    let _ = ready_tx.send(Err(e));
                    return;
                }
            };
            // This thread answers in batches and releases each batch's events together.
            super::answer::AnswerSink::hold_on_this_thread();
            runtime.block_on(async move {
                let sock = match UdpSocket::from_std(sock) {
                    Ok(s) => s,
                    Err(e) => {
                        let _ = ready_tx.send(Err(e));
                        return;
                    }
                };
                let _ = ready_tx.send(Ok(()));
                serve_udp(Arc::new(sock), fwd, upstream_slots, shutdown).await;
            });
            drop(runtime);
            drop(token);
        })?;
    ready_rx
        .await
        .unwrap_or_else(|_| Err(io::Error::other("the DNS thread stopped while starting")))
}

/// Bind a TCP listener.
pub fn bind_tcp(addr: SocketAddr) -> io::Result<TcpListener> {
    let s = Socket::new(Domain::for_address(addr), Type::STREAM, Some(Protocol::TCP))?;
    if addr.is_ipv6() {
        s.set_only_v6(true)?;
    }
    s.set_reuse_address(true)?;
    s.set_nonblocking(true)?;
    s.bind(&addr.into())?;
    s.listen(1024)?;
    TcpListener::from_std(s.into())
}

/// Read datagrams on one socket until shutdown.
pub async fn serve_udp(
    sock: Arc<UdpSocket>,
    fwd: Arc<Forwarder>,
    upstream_slots: Arc<Semaphore>,
    shutdown: CancellationToken,
) {
    // One byte more than the largest query accepted, so a longer one is seen as such.
    let mut batch = RecvBatch::new(MAX_REQUEST_LEN + 1);
    let mut out = Outbox::default();
    // The flights this socket's questions started, polled here (bounded by `upstream_slots`).
    let mut flights: FuturesUnordered<Flight> = FuturesUnordered::new();
    // Repeated look-ups are counted here and leave as one event per period.
    let mut repeats = Repeats::default();
    let mut period = tokio::time::interval(repeats::PERIOD);
    period.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        let n = tokio::select! {
            _ = shutdown.cancelled() => {
                fwd.flush_repeats(&mut repeats);
                return;
            }
            _ = period.tick() => {
                if !repeats.is_empty() {
                    fwd.flush_repeats(&mut repeats);
                }
                continue;
            }
            Some(landed) = flights.next(), if !flights.is_empty() => {
                fwd.land(landed, &mut out);
                // Others that landed meanwhile: their answers leave in the same call.
                while let Some(Some(landed)) = flights.next().now_or_never() {
                    fwd.land(landed, &mut out);
                }
                fwd.flush(&mut out).await;
                continue;
            }
            r = batch.recv(&sock) => match r {
                Ok(n) => n,
                Err(error) => {
                    if let Some(suppressed) = SOCKET_ERR.check() {
                        tracing::warn!(%error, suppressed, "UDP receive failed");
                    }
                    continue;
                }
            },
        };
        for i in 0..n {
            let Some((req, src)) = batch.get(i) else {
                continue;
            };
            match fwd.answer_now(req, src, Transport::Udp, Some(&mut repeats)) {
                Now::Drop => {}
                Now::Reply(bytes) => out.push(&sock, bytes, src),
                Now::Upstream => {
                    let Ok(permit) = upstream_slots.clone().try_acquire_owned() else {
                        if let Some(suppressed) = OVERLOAD.check() {
                            tracing::warn!(
                                suppressed,
                                "too many queries waiting for upstreams; dropping"
                            );
                        }
                        continue;
                    };
                    // `answer_now` checked it is a query, so this cannot fail.
                    if let Ok(Some(flight)) = fwd.ask_upstream(req, src, &sock, permit, &mut out) {
                        flights.push(flight);
                    }
                }
            }
        }
        fwd.flush(&mut out).await;
    }
}

/// Accept TCP clients until shutdown.
pub async fn serve_tcp(
    listener: TcpListener,
    fwd: Arc<Forwarder>,
    status: Arc<Status>,
    limits: Limits,
    tracker: TaskTracker,
    shutdown: CancellationToken,
) {
    let slots = Arc::new(Semaphore::new(limits.max_tcp));
    let per_client = Arc::new(PerClient::default());
    loop {
        let (stream, peer) = tokio::select! {
            _ = shutdown.cancelled() => return,
            r = listener.accept() => match r {
                Ok(x) => x,
                Err(error) => {
                    if let Some(suppressed) = SOCKET_ERR.check() {
                        tracing::warn!(%error, suppressed, "TCP accept failed");
                    }
                    // Typically out of file descriptors: give others a moment to close.
                    tokio::time::sleep(Duration::from_millis(10)).await;
                    continue;
                }
            },
        };
        let Ok(permit) = slots.clone().try_acquire_owned() else {
            if let Some(suppressed) = TCP_FULL.check() {
                tracing::warn!(client = %peer, limit = limits.max_tcp, suppressed, "too many TCP DNS clients; closing new connection");
            }
            drop(stream);
            continue;
        };
        let Some(client_slot) = per_client.take(peer.ip(), limits.max_tcp_per_client) else {
            bump(&status.dns_tcp_refused_per_client);
            if let Some(suppressed) = TCP_FULL.check() {
                tracing::warn!(client = %peer, limit = limits.max_tcp_per_client, suppressed, "this client holds its share of TCP DNS connections; closing new connection");
            }
            drop(stream);
            continue;
        };
        let (fwd, status, limits, shutdown) = (
            fwd.clone(),
            status.clone(),
            limits.clone(),
            shutdown.clone(),
        );
        tracker.spawn(async move {
            serve_tcp_client(stream, peer, &fwd, &status, &limits, &shutdown).await;
            drop(client_slot);
            drop(permit);
        });
    }
}

/// Answer one TCP client's queries, one after the other, until it goes quiet or misbehaves.
async fn serve_tcp_client(
    mut stream: TcpStream,
    peer: SocketAddr,
    fwd: &Arc<Forwarder>,
    status: &Status,
    limits: &Limits,
    shutdown: &CancellationToken,
) {
    let _ = stream.set_nodelay(true);
    let mut buf = Vec::new();
    loop {
        let read = async {
            let len = usize::from(stream.read_u16().await?);
            if len == 0 || len > MAX_REQUEST_LEN {
                return Err(io::Error::new(io::ErrorKind::InvalidData, "bad length"));
            }
            buf.resize(len, 0);
            stream.read_exact(&mut buf).await?;
            Ok::<_, io::Error>(())
        };
        let got = tokio::select! {
            _ = shutdown.cancelled() => return,
            r = tokio::time::timeout(limits.tcp_idle, read) => r,
        };
        match got {
            Ok(Ok(())) => {}
            // Idle past the timeout, or the client closed: both normal endings.
            Err(_) => return,
            Ok(Err(e)) if e.kind() == io::ErrorKind::UnexpectedEof => return,
            Ok(Err(error)) => {
                if error.kind() == io::ErrorKind::InvalidData {
                    bump(&status.dns_bad_requests);
                }
                if let Some(suppressed) = TCP_BAD.check() {
                    tracing::info!(client = %peer, %error, suppressed, "closing TCP DNS client");
                }
                return;
            }
        }
        let answer = match fwd.answer_now(&buf, peer, Transport::Tcp, None) {
            Now::Reply(bytes) => bytes,
            // Not a query: the stream cannot be trusted to be in step any more.
            Now::Drop => return,
            Now::Upstream => match fwd.answer_upstream(&buf, peer).await {
                Some(bytes) => bytes,
                None => return,
            },
        };
        let Ok(len) = u16::try_from(answer.len()) else {
            return;
        };
        let mut framed = Vec::with_capacity(answer.len() + 2);
        framed.extend_from_slice(&len.to_be_bytes());
        framed.extend_from_slice(&answer);
        // A client that does not read its answers must not hold the slot forever either.
        match tokio::time::timeout(limits.tcp_idle, stream.write_all(&framed)).await {
            Ok(Ok(())) => {}
            _ => return,
        }
    }
}
