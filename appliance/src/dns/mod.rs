//! Stage 1a — the DNS forwarder every device uses.
//!
//! Each query is answered from the appliance's own names, the cache, or the upstream servers
//! (in order, with failover), and every answer becomes a [`DnsAnswer`] event. The forwarder
//! sees its own answers: there is no log parsing anywhere.
//!
//! Answering never waits on the rest of the pipeline: events go through a bounded queue
//! ([`AnswerSink`]) and are counted and dropped when it is full.
//!
//! Modules: `answer` (the event and its queue), `forwarder` (the request handler: local
//! names, cache, upstream, events), `upstream` (asking upstreams safely: a random port,
//! id and letter case per question, identical questions merged, failover, health),
//! `encrypted` (DNS over TLS and over HTTPS upstreams), `cache` (answers kept on the wire,
//! bounded LRU with TTLs), `local`
//! (names answered locally), `server` (UDP/TCP listeners, limits, timeouts), `batch` (many
//! datagrams per system call), `wire` (the little of the DNS wire format the hot path
//! needs), `ratelimit` (log lines that cannot flood), `repeats` (a device's repeated
//! look-ups folded into one event), `client_rate` (answers per client per second, so forged
//! queries cannot flood a classmate), `rebind` (public names must not answer addresses
//! inside the room).
//!
//! Where the time goes is mostly the kernel, per datagram and per wake-up, so the client
//! side is built to do few of both: cache hits answered in the read loop, datagrams read
//! and sent in batches (`recvmmsg`/`sendmmsg`). Towards the upstreams safety comes first:
//! each question has its own socket on a random port, as unbound does (see `upstream` and
//! docs/BENCHMARKS.md for what that costs).
//!
//! Why not hickory-server's `Server` and `RequestHandler`: it has no TCP connection limit,
//! never tells the handler about malformed requests (so they cannot be counted), spawns a
//! task per UDP datagram without bound, logs every request at `info`, and sends all of a
//! socket's answers through one task. The listeners here keep its behaviour (FORMERR for
//! unparsable queries with a readable header, silence for shorter ones and for responses,
//! TCP timeouts) and add those limits. hickory-proto still encodes our own answers;
//! hickory-resolver reads `/etc/resolv.conf`.

pub(crate) mod answer;
pub(crate) mod batch;
pub(crate) mod block;
pub(crate) mod cache;
pub(crate) mod client_rate;
pub(crate) mod encrypted;
pub(crate) mod forwarder;
pub(crate) mod local;
pub(crate) mod ratelimit;
pub(crate) mod rebind;
pub(crate) mod repeats;
pub(crate) mod rtt;
pub(crate) mod server;
pub(crate) mod upstream;
pub mod wire;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::Semaphore;
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

pub use answer::{AnswerSink, DnsAnswer};
pub use block::{DnsBlock, DnsBlockState};

use crate::config::DnsConfig;
use crate::status::Status;

/// Longest [`DnsServer::shutdown`] waits for answers in flight (every question waiting for
/// an upstream is answered within [`upstream::TOTAL_BUDGET`], so this is enough for all).
const SHUTDOWN_WAIT: Duration = Duration::from_secs(3);

/// Why the forwarder could not start.
#[derive(Debug, thiserror::Error)]
pub enum DnsError {
    /// A listening socket could not be bound (permission denied on port 53, address in
    /// use, address not on this host).
    #[error("cannot listen for DNS on {proto} {addr}: {source}")]
    Bind {
        /// The address.
        addr: SocketAddr,
        /// `udp` or `tcp`.
        proto: &'static str,
        /// Why.
        source: std::io::Error,
    },
    /// A socket towards an upstream could not be opened.
    #[error("cannot open a socket to upstream DNS server {addr}: {source}")]
    Upstream {
        /// The upstream.
        addr: SocketAddr,
        /// Why.
        source: std::io::Error,
    },
    /// A setting is unusable.
    #[error("config key `{key}`: {reason}")]
    Config {
        /// Dotted key.
        key: &'static str,
        /// Why.
        reason: String,
    },
}

/// The running forwarder. Dropping it stops it too (without waiting).
pub struct DnsServer {
    addrs: Vec<SocketAddr>,
    shutdown: CancellationToken,
    tracker: TaskTracker,
}

impl DnsServer {
    /// Bind every `config.listen` address (UDP and TCP) and start answering. Binding errors
    /// (e.g. permission denied on port 53, address in use) come back here with the address
    /// named.
    pub async fn start(
        config: &DnsConfig,
        sink: AnswerSink,
        status: Arc<Status>,
    ) -> Result<DnsServer, DnsError> {
        DnsServer::start_with_block(config, sink, status, None).await
    }

    /// [`DnsServer::start`], answering trackers and ads as blocked while `block` says so
    /// (`dns::block`).
    pub async fn start_with_block(
        config: &DnsConfig,
        sink: AnswerSink,
        status: Arc<Status>,
        block: Option<Arc<crate::dns::DnsBlock>>,
    ) -> Result<DnsServer, DnsError> {
        // Every question on its way upstream holds a socket (see `upstream`).
        match crate::sys::limits::raise_open_files() {
            Ok(n) if n < 4_096 => tracing::warn!(
                limit = n,
                "the open-files limit is low: under heavy load some DNS questions may fail"
            ),
            Ok(n) => tracing::info!(limit = n, "open-files limit raised to the hard limit"),
            Err(error) => tracing::warn!(%error, "cannot read or raise the open-files limit"),
        }
        let shutdown = CancellationToken::new();
        let tracker = TaskTracker::new();
        // If anything below fails, the tasks already started must stop with us.
        let guard = shutdown.clone().drop_guard();

        let local = local::LocalNames::new(config)?;
        let links = if config.upstreams.is_empty() {
            let found = upstream::system_upstreams(&config.listen);
            if found.is_empty() {
                status.warn(crate::status::StatusWords::new("dns-no-upstreams", []));
            } else {
                tracing::info!(upstreams = ?found, "DNS: using the system's resolvers");
            }
            found.into_iter().map(upstream::Link::Plain).collect()
        } else {
            upstream_links(config, &status)?
        };
        let upstreams = upstream::Upstreams::new(
            links,
            config.upstream_timeout(),
            status.clone(),
            tracker.clone(),
        );
        let fwd = Arc::new(
            forwarder::Forwarder::new(
                cache::Cache::new(config.cache_size),
                upstreams,
                local,
                sink,
                status.clone(),
                tracker.clone(),
            )
            .with_block(block)
            .with_rebind_guard(rebind::RebindGuard::new(
                config.rebind_protection,
                config
                    .rebind_allow_domains()
                    .map_err(|e| DnsError::Config {
                        key: "dns.rebind_allow",
                        reason: e.to_string(),
                    })?,
                config.own_addresses(),
            ))
            .with_client_rate(client_rate::ClientRate::new(
                config.max_answers_per_client_per_sec,
            )),
        );
        let limits = server::Limits {
            max_tcp: config.max_tcp_connections.max(1),
            tcp_idle: Duration::from_millis(config.tcp_idle_timeout_ms),
            max_tcp_per_client: config.max_tcp_connections_per_client.max(1),
        };
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get().clamp(1, 4));
        let upstream_slots = Arc::new(Semaphore::new(server::MAX_UPSTREAM_TASKS));

        let mut addrs = Vec::with_capacity(config.listen.len());
        for &want in &config.listen {
            let (tcp, udp) = bind_pair(want)?;
            let actual = udp.local_addr().map_err(|source| DnsError::Bind {
                addr: want,
                proto: "udp",
                source,
            })?;
            let mut udps = vec![udp];
            for _ in 1..threads {
                udps.push(server::bind_udp(actual).map_err(|source| DnsError::Bind {
                    addr: actual,
                    proto: "udp",
                    source,
                })?);
            }
            for (i, u) in udps.into_iter().enumerate() {
                server::start_udp_thread(
                    i,
                    u,
                    fwd.clone(),
                    upstream_slots.clone(),
                    shutdown.clone(),
                    &tracker,
                )
                .await
                .map_err(|source| DnsError::Bind {
                    addr: actual,
                    proto: "udp",
                    source,
                })?;
            }
            tracker.spawn(server::serve_tcp(
                tcp,
                fwd.clone(),
                status.clone(),
                limits.clone(),
                tracker.clone(),
                shutdown.clone(),
            ));
            tracing::info!(addr = %actual, "DNS: listening (UDP and TCP)");
            addrs.push(actual);
        }
        guard.disarm();
        Ok(DnsServer {
            addrs,
            shutdown,
            tracker,
        })
    }

    /// The addresses actually bound (useful with port 0 in tests).
    pub fn local_addrs(&self) -> Vec<SocketAddr> {
        self.addrs.clone()
    }

    /// Stop listening and wait for in-flight requests to finish (bounded wait).
    pub async fn shutdown(self) {
        self.shutdown.cancel();
        self.tracker.close();
        if tokio::time::timeout(SHUTDOWN_WAIT, self.tracker.wait())
            .await
            .is_err()
        {
            tracing::warn!("DNS: some requests were still running at shutdown");
        }
    }
}

impl Drop for DnsServer {
    fn drop(&mut self) {
        self.shutdown.cancel();
    }
}

/// The configured upstreams, encrypted ones sharing one TLS client configuration.
fn upstream_links(
    config: &DnsConfig,
    status: &Arc<Status>,
) -> Result<Vec<upstream::Link>, DnsError> {
    let mut tls = None;
    let mut links = Vec::with_capacity(config.upstreams.len());
    for spec in &config.upstreams {
        if let Some(addr) = spec.plain() {
            links.push(upstream::Link::Plain(addr));
            continue;
        }
        let tls = match &tls {
            Some(t) => Arc::clone(t),
            None => tls
                .insert(encrypted::client_config(config.tls_ca_file.as_deref())?)
                .clone(),
        };
        links.push(upstream::Link::Encrypted(encrypted::Encrypted::new(
            spec,
            tls,
            status.clone(),
        )?));
    }
    Ok(links)
}

/// Bind TCP and UDP on the same address. TCP goes first and without `SO_REUSEPORT`, so a
/// second daemon on the same port fails here (UDP with `SO_REUSEPORT` alone would silently
/// share the port). With port 0 the kernel's TCP port is reused for UDP, retrying if that
/// UDP port is taken.
fn bind_pair(want: SocketAddr) -> Result<(tokio::net::TcpListener, std::net::UdpSocket), DnsError> {
    let err = |proto, source| DnsError::Bind {
        addr: want,
        proto,
        source,
    };
    let mut tries = 0;
    loop {
        let tcp = server::bind_tcp(want).map_err(|e| err("tcp", e))?;
        let port = tcp.local_addr().map_err(|e| err("tcp", e))?.port();
        match server::bind_udp(SocketAddr::new(want.ip(), port)) {
            Ok(udp) => return Ok((tcp, udp)),
            Err(e) if want.port() == 0 && tries < 20 => {
                tries += 1;
                tracing::debug!(error = %e, port, "UDP port taken; trying another");
            }
            Err(e) => return Err(err("udp", e)),
        }
    }
}
