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
use crate::store::{Store, StoreWriter};
use crate::web::{AppState, WebServer};

/// Depth of the DNS answer queue. At 100k answers/s this is over half a second of slack.
const DNS_QUEUE: usize = 65_536;
/// Depth of the conntrack event queue; when it is full the reader waits and the kernel
/// socket buffer takes the rest (overflow there triggers a resync, nothing is lost).
const CONNTRACK_QUEUE: usize = 4_096;
/// Changes queued for the store's writer thread. It commits every 500 ms and writes well over
/// 100,000 flows/s, so this only absorbs bursts; each queued change holds a flow's copy
/// (~400 bytes), so the bound is also a memory bound. Overflow is counted in `/api/v1/status`.
const STORE_QUEUE: usize = 16_384;
/// Live events buffered per event-stream subscriber (each holds a flow's copy). A subscriber
/// further behind gets a `lagged` notice and re-reads the list.
const EVENT_BUFFER: usize = 1_024;

/// A running daemon; [`Daemon::stop`] shuts it down.
pub struct Daemon {
    shutdown: CancellationToken,
    dns: DnsServer,
    web: WebServer,
    correlator: tokio::task::JoinHandle<()>,
    conntrack: Option<std::thread::JoinHandle<()>>,
    store_thread: Option<std::thread::JoinHandle<()>>,
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

        // History: this session's flows and answers come back after a restart. A store that
        // cannot be opened costs the history, not the service.
        let (store_writer, store_thread) = match open_store(&config) {
            Ok((writer, thread, restored)) => {
                tracing::info!(
                    "history: session {:?}, {} flows and {} answers restored",
                    restored.session,
                    restored.flows,
                    restored.answers
                );
                (Some(writer), Some((thread, restored.state)))
            }
            Err(e) => {
                status.warn(format!(
                    "history is not being saved (data.dir {}): {e:#}",
                    config.data.dir.display()
                ));
                (None, None)
            }
        };
        let (store_thread, restored_state) = match store_thread {
            Some((t, st)) => (Some(t), Some(st)),
            None => (None, None),
        };

        let (sink, dns_rx) = AnswerSink::channel(DNS_QUEUE, status.clone());
        let (ct_tx, ct_rx) = mpsc::channel(CONNTRACK_QUEUE);
        let (events, _) = broadcast::channel(EVENT_BUFFER);
        let live = Arc::new(RwLock::new(
            restored_state.unwrap_or_else(|| empty_live_state(&config)),
        ));
        let store_stats = store_writer.as_ref().map(|w| w.stats());

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

        let outputs = correlate::Outputs {
            state: live.clone(),
            events: events.clone(),
            enricher: enricher.clone(),
            store: store_writer,
        };
        let correlator = tokio::spawn(correlate::run(
            config.correlate.clone(),
            dns_rx,
            ct_rx,
            outputs,
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
            store_stats,
            events,
            event_slots: Arc::new(Semaphore::new(config.web.max_event_clients)),
            privacy: config.web.privacy_mode,
        };
        let web = WebServer::start(config.web.listen, app, shutdown.clone()).await?;
        tracing::info!("web API on http://{}/api/v1/flows", web.local_addr());

        Ok(Daemon {
            shutdown,
            dns,
            web,
            correlator,
            conntrack,
            store_thread,
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
        // The correlator held the only store handle: its end lets the writer commit and stop.
        if let Some(h) = self.store_thread {
            let _ = tokio::task::spawn_blocking(move || h.join()).await;
        }
        if let Some(h) = self.conntrack {
            // The reader polls its shutdown token a few times a second.
            let _ = tokio::task::spawn_blocking(move || h.join()).await;
        }
        tracing::info!("stopped");
    }
}

/// An empty live state with the configured bounds.
fn empty_live_state(config: &Config) -> LiveState {
    LiveState::new(&config.correlate, config.conntrack.max_flows)
}

/// What was brought back from the store.
struct Restored {
    session: String,
    flows: usize,
    answers: usize,
    state: LiveState,
}

/// Open the store in `data.dir`, restore the current session's flows and answers into a live
/// state with the configured bounds, and start the writer.
fn open_store(
    config: &Config,
) -> anyhow::Result<(StoreWriter, std::thread::JoinHandle<()>, Restored)> {
    let store = Store::open(&config.data.dir)?;
    let session = store.current_session()?;
    let mut state = empty_live_state(config);
    let flows = store.recent_flows(session.id, config.correlate.max_closed_flows)?;
    let answers = store.recent_dns(session.id, config.correlate.max_answers_per_device)?;
    let (n_flows, n_answers) = (flows.len(), answers.len());
    for a in answers {
        state.devices.dns_answer(a.device_ip, a.at);
        state.dns.push(a);
    }
    for f in &flows {
        match f.state {
            crate::correlate::FlowState::Open => state.devices.flow_opened(f),
            crate::correlate::FlowState::Closed => state.devices.flow_closed(f, false),
        }
    }
    state.flows.restore(flows);
    for row in store.session_paths(session.id)? {
        state.paths.add_row(row);
    }
    // Each queued op holds a flow's copy (~500 bytes): the queue is sized for a burst of
    // 10,000 new flows at once without dropping history (measured: a 1,024 queue dropped 5,320
    // of 30,000 ops in that burst). A dirty-set design would bound memory without copies.
    let (writer, thread) = store.spawn_writer_with(crate::store::WriterConfig {
        capacity: STORE_QUEUE,
        max_ops: 2_000,
        max_delay: Duration::from_millis(500),
    })?;
    Ok((
        writer,
        thread,
        Restored {
            session: session.name,
            flows: n_flows,
            answers: n_answers,
            state,
        },
    ))
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
