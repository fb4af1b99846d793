//! Wires the stages together, runs them, and shuts them down cleanly.
//!
//! ```text
//!  DnsServer ──AnswerSink (bounded, never blocks)──┐
//!                                                   ├─> correlate::run ─> LiveState ─> web
//!  conntrack reader thread ──mpsc (bounded)────────┘            └─> broadcast ─> /api/v1/events
//! ```
//!
//! What cannot start for lack of privileges (conntrack without CAP_NET_ADMIN) is reported as a
//! warning in the log and in `/api/v1/status`, and the rest keeps running. What the user asked
//! for and cannot have (a DNS or web address that cannot be bound) stops the start with an
//! error naming the config key.

use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use parking_lot::RwLock;
use tokio::sync::{broadcast, mpsc, Semaphore};
use tokio_util::sync::CancellationToken;

use crate::config::Config;
use crate::correlate::{self, LiveState};
use crate::dns::{AnswerSink, DnsServer};
use crate::enrich::Enricher;
use crate::status::Status;
use crate::web::{AppState, WebServer};

/// Depth of the DNS answer queue. At 100k answers/s this is over half a second of slack.
const DNS_QUEUE: usize = 65_536;
/// Depth of the conntrack event queue; when it is full the reader waits and the kernel
/// socket buffer takes the rest (overflow there triggers a resync, nothing is lost).
const CONNTRACK_QUEUE: usize = 16_384;
/// Live events buffered per event-stream subscriber.
const EVENT_BUFFER: usize = 4_096;

/// A running daemon; [`Daemon::stop`] shuts it down.
pub struct Daemon {
    shutdown: CancellationToken,
    dns: DnsServer,
    web: WebServer,
    correlator: tokio::task::JoinHandle<()>,
    conntrack: Option<std::thread::JoinHandle<()>>,
    /// Health counters and warnings.
    pub status: Arc<Status>,
}

impl Daemon {
    /// Start every stage with a validated `config`.
    pub async fn start(config: Config) -> anyhow::Result<Daemon> {
        let status = Arc::new(Status::default());
        let shutdown = CancellationToken::new();

        std::fs::create_dir_all(&config.data.dir).with_context(|| {
            format!(
                "cannot create data directory {} (data.dir / --data-dir)",
                config.data.dir.display()
            )
        })?;

        let (sink, dns_rx) = AnswerSink::channel(DNS_QUEUE, status.clone());
        let (ct_tx, ct_rx) = mpsc::channel(CONNTRACK_QUEUE);
        let (events, _) = broadcast::channel(EVENT_BUFFER);
        let live = Arc::new(RwLock::new(LiveState::new(
            &config.correlate,
            config.conntrack.max_flows,
        )));

        // Conntrack first: flows that exist now are in its first dump.
        let conntrack = if config.conntrack.enabled {
            crate::conntrack::prepare_sysctls(config.conntrack.set_sysctls, &status);
            match crate::conntrack::spawn(
                &config.conntrack,
                ct_tx,
                status.clone(),
                shutdown.clone(),
            ) {
                Ok(handle) => Some(handle),
                Err(e) => {
                    status.warn(format!(
                        "conntrack reader not started, so no flows will be shown: {e}"
                    ));
                    None
                }
            }
        } else {
            status.warn("conntrack is disabled in the config: DNS only, no flows");
            drop(ct_tx);
            None
        };

        // Opened before anything answers, so every flow is enriched from the first one.
        let enricher = Arc::new(Enricher::open(&config.enrich, &status));
        for line in enricher.describe() {
            tracing::info!("data: {line}");
        }

        let correlator = tokio::spawn(correlate::run(
            config.correlate.clone(),
            dns_rx,
            ct_rx,
            live.clone(),
            events.clone(),
            enricher.clone(),
            shutdown.clone(),
        ));

        let dns = DnsServer::start(&config.dns, sink, status.clone())
            .await
            .context("starting the DNS forwarder (dns.listen / --dns-listen)")?;
        for addr in dns.local_addrs() {
            tracing::info!("DNS forwarder listening on {addr} (UDP and TCP)");
        }

        let app = AppState {
            live,
            status: status.clone(),
            enricher,
            events,
            event_slots: Arc::new(Semaphore::new(config.web.max_event_clients)),
        };
        let web = WebServer::start(config.web.listen, app, shutdown.clone()).await?;
        tracing::info!("web API on http://{}/api/v1/flows", web.local_addr());

        Ok(Daemon {
            shutdown,
            dns,
            web,
            correlator,
            conntrack,
            status,
        })
    }

    /// The web listener's bound address.
    pub fn web_addr(&self) -> std::net::SocketAddr {
        self.web.local_addr()
    }

    /// Stop accepting work, let in-flight requests finish (bounded), and join every stage.
    pub async fn stop(self) {
        self.shutdown.cancel();
        self.dns.shutdown().await;
        self.web.join(Duration::from_secs(3)).await;
        if tokio::time::timeout(Duration::from_secs(3), self.correlator)
            .await
            .is_err()
        {
            tracing::warn!("correlator did not stop within 3 s");
        }
        if let Some(h) = self.conntrack {
            // The reader polls its shutdown token a few times a second.
            let _ = tokio::task::spawn_blocking(move || h.join()).await;
        }
        tracing::info!("stopped");
    }
}

/// Run until SIGINT or SIGTERM, then stop cleanly.
pub async fn run_until_signal(config: Config) -> anyhow::Result<()> {
    let daemon = Daemon::start(config).await?;
    let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        .context("installing the SIGTERM handler")?;
    tokio::select! {
        _ = tokio::signal::ctrl_c() => tracing::info!("SIGINT: stopping"),
        _ = term.recv() => tracing::info!("SIGTERM: stopping"),
    }
    daemon.stop().await;
    Ok(())
}
