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
use crate::devices::{DeviceRegistry, KnownDevice, RefresherOptions};
use crate::dns::{AnswerSink, DnsServer};
use crate::enrich::Enricher;
use crate::status::Status;
use crate::store::{HistorySettings, Store, StoreWriter};
use crate::web::admin::{Admin, AdminParts};
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
    retention: Option<tokio::task::JoinHandle<()>>,
    admin: Arc<Admin>,
    devices: Arc<DeviceRegistry>,
    devices_thread: Option<std::thread::JoinHandle<()>>,
    detect: Option<crate::detect::Started>,
    controls_task: Option<tokio::task::JoinHandle<()>>,
    /// Health counters and warnings.
    pub status: Arc<Status>,
}

impl Daemon {
    /// Start every stage with a validated `config`.
    pub async fn start(config: Config) -> anyhow::Result<Daemon> {
        let status = Arc::new(Status::default());
        let shutdown = CancellationToken::new();

        // On the appliance: what `whereflow setup` found wrong in the settings file.
        if let Some(path) = &config.system.problems_file {
            for w in crate::system::problems::read_warnings(path) {
                status.warn(w);
            }
        }

        std::fs::create_dir_all(&config.data.dir).with_context(|| {
            format!(
                "cannot create data directory {} (data.dir / --data-dir)",
                config.data.dir.display()
            )
        })?;

        // The admin password: a plain one is hashed (argon2, slow on purpose) and replaced by
        // its hash in the config file; the plain text leaves the config here.
        let (config, password) = {
            let status = status.clone();
            tokio::task::spawn_blocking(move || {
                let mut config = config;
                let password = crate::config::password::prepare(&mut config, &status);
                (config, password)
            })
            .await
            .context("preparing the admin password")?
        };

        // History: this session's flows and answers come back after a restart. A store that
        // cannot be opened costs the history, not the service.
        let mut history_store = None;
        let (store_writer, store_thread) = match open_store(&config) {
            Ok((writer, thread, restored)) => {
                history_store = Some(restored.store.clone());
                tracing::info!(
                    "history: session {:?}, {} flows and {} answers restored",
                    restored.session,
                    restored.flows,
                    restored.answers
                );
                (
                    Some(writer),
                    Some((thread, (restored.state, restored.known_devices))),
                )
            }
            Err(e) => {
                status.warn(format!(
                    "history is not being saved (data.dir {}): {e:#}",
                    config.data.dir.display()
                ));
                (None, None)
            }
        };
        let (store_thread, restored_state, known_devices) = match store_thread {
            Some((t, st)) => (Some(t), Some(st.0), st.1),
            None => (None, None, Vec::new()),
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

        // Devices by MAC: names from DHCP leases, the neighbour table and saved nicknames.
        let devices = Arc::new(DeviceRegistry::new(config.devices.max_devices));
        devices.restore(known_devices);
        if let Some(w) = &store_writer {
            devices.attach_store(w.clone());
        }
        tracing::info!(
            "data: {}",
            crate::devices::oui::OuiTable::builtin().describe()
        );
        let devices_thread = match crate::devices::spawn_refresher(
            RefresherOptions {
                leases: config.devices.leases_path().map(Into::into),
                neighbours: config.devices.neighbours,
                interfaces: config.devices.interfaces.clone(),
                lan: config.correlate.lan.clone(),
                max_entries: config.devices.max_devices.saturating_mul(4),
            },
            devices.clone(),
            store_writer.clone(),
            status.clone(),
            shutdown.clone(),
        ) {
            Ok(h) => Some(h),
            Err(e) => {
                status.warn(format!(
                    "devices are known by address only: the device thread did not start: {e}"
                ));
                None
            }
        };

        // Retention and the size cap (`[history]`), at start and then hourly.
        let history_settings = Arc::new(HistorySettings::new(&config.history));
        let retention = history_store.as_ref().map(|store| {
            crate::store::retention::spawn(
                store.clone(),
                history_settings.clone(),
                status.clone(),
                shutdown.clone(),
            )
        });
        // Detectors (`[detect]`): fed by the correlator, the NFLOG group and the LAN watch;
        // the current session's alerts come back from the store.
        let detect = if config.detect.enabled {
            let restored = history_store
                .as_deref()
                .map(|s| restore_alerts(s, config.detect.max_alerts))
                .unwrap_or_default();
            let started = crate::detect::start(
                &config.detect,
                config.correlate.lan.clone(),
                restored,
                events.clone(),
                store_writer.clone(),
                status.clone(),
                shutdown.clone(),
            )
            .context("starting the detectors ([detect])")?;
            Some(started)
        } else {
            None
        };

        let admin = Arc::new(Admin::new(AdminParts {
            password_hash: password.hash,
            store: history_store,
            writer: store_writer.clone(),
            fresh_live: {
                let (correlate, max_flows) = (config.correlate.clone(), config.conntrack.max_flows);
                Box::new(move || LiveState::new(&correlate, max_flows))
            },
            settings: history_settings,
            config_file: config.source.clone(),
        }));

        let outputs = correlate::Outputs {
            state: live.clone(),
            events: events.clone(),
            enricher: enricher.clone(),
            store: store_writer,
        };
        let correlator = tokio::spawn(correlate::run_with_detectors(
            config.correlate.clone(),
            dns_rx,
            ct_rx,
            outputs,
            detect.as_ref().map(|d| d.sink.clone()),
            shutdown.clone(),
        ));

        // Controls (`[control]`): the DNS blocking switch the forwarder reads, the saved
        // blocks put back in place, the watcher that blocks new destinations of blocked
        // countries and organizations.
        let (controls, controls_task) =
            crate::control::Controls::start(crate::control::ControlParts {
                config: config.control.clone(),
                data_dir: config.data.dir.clone(),
                enricher: enricher.clone(),
                live: live.clone(),
                events: events.clone(),
                status: status.clone(),
                shutdown: shutdown.clone(),
            })
            .await;

        let dns =
            DnsServer::start_with_block(&config.dns, sink, status.clone(), controls.dns_block())
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
            devices: devices.clone(),
            privacy: config.web.privacy_mode,
            paths_cache: Default::default(),
            site: Arc::new(config.site.clone()),
            wifi: Arc::new(config.wifi.clone()),
            admin: admin.clone(),
            detect: detect.as_ref().map(|d| d.handle.clone()),
            controls,
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
            retention,
            admin,
            devices,
            devices_thread,
            detect,
            controls_task,
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
        // The detectors hold a store handle too; their threads notice the shutdown within
        // 200 ms.
        if let Some(h) = self.controls_task {
            // It stops at the shutdown, saving what changed.
            if tokio::time::timeout(Duration::from_secs(3), h)
                .await
                .is_err()
            {
                tracing::warn!("controls watcher did not stop within 3 s");
            }
        }
        if let Some(d) = self.detect {
            d.join(Duration::from_secs(3)).await;
        }
        // The device thread notices the shutdown within 250 ms. With it and the registry's
        // handle gone (a web task that outlived its join may still hold the registry), the
        // correlator held the last store handle.
        if let Some(h) = self.devices_thread {
            let _ = tokio::task::spawn_blocking(move || h.join()).await;
        }
        self.devices.detach_store();
        // The admin side's writer handle too (a web task may outlive its join).
        self.admin.release_writer();
        if let Some(h) = self.retention {
            // It stops at the shutdown; a run in progress finishes its chunk first.
            if tokio::time::timeout(Duration::from_secs(5), h)
                .await
                .is_err()
            {
                tracing::warn!("history retention did not stop within 5 s");
            }
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

/// The current session's alerts (at most `max`, newest first) and the largest alert id ever
/// stored. What cannot be read costs the old alerts, not the detectors.
fn restore_alerts(store: &Store, max: usize) -> (Vec<crate::detect::Alert>, u64) {
    let alerts = store
        .current_session()
        .and_then(|s| store.session_alerts(s.id, max));
    let alerts = alerts.unwrap_or_else(|e| {
        tracing::warn!("detect: saved alerts could not be read: {e}");
        Vec::new()
    });
    let max_id = store.max_alert_id().unwrap_or_else(|e| {
        tracing::warn!("detect: the largest saved alert id could not be read: {e}");
        // Far above anything saved: a new alert must not overwrite an old row.
        1 << 40
    });
    tracing::info!("detect: {} alerts restored", alerts.len());
    (alerts, max_id)
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
    /// The store (reads, sessions, export, retention).
    store: Arc<Store>,
    /// Devices saved by MAC (with their nicknames), most recently seen first.
    known_devices: Vec<KnownDevice>,
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
    // Losing saved nicknames costs names, not the history: say so and go on.
    let known_devices = store
        .known_devices(config.devices.max_devices)
        .unwrap_or_else(|e| {
            tracing::warn!("devices: saved nicknames could not be read: {e}");
            Vec::new()
        });
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
            store: Arc::new(store),
            known_devices,
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
