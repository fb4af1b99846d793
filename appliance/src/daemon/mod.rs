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
//!
//! [`Daemon::start`] is one short step per stage, in the order the data needs them (the
//! store's restored state before the correlator, conntrack before anything answers, the
//! forwarder and the web last). [`Daemon::stop`] gives the one shutdown signal and then
//! waits for each stage to report that it has finished, producers before the store's
//! writer, which is closed explicitly (`stages`). `history` opens and restores the store.

mod history;
mod stages;

use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use parking_lot::RwLock;
use tokio::sync::{broadcast, mpsc};
use tokio_util::sync::CancellationToken;

use crate::config::Config;
use crate::conntrack::ConntrackEvent;
use crate::control::{ControlParts, Controls};
use crate::correlate::{self, LiveState};
use crate::detect::DetectSink;
use crate::devices::{DeviceRegistry, KnownDevice, RefresherOptions};
use crate::dns::{AnswerSink, DnsAnswer, DnsServer};
use crate::enrich::Enricher;
use crate::model::LiveEvent;
use crate::status::Status;
use crate::store::{HistorySettings, StoreWriter};
use crate::web::admin::{Admin, AdminParts};
use crate::web::{AppState, EventSlots, HttpsInfo, WebOptions, WebServer};

use history::{empty_live_state, History};
use stages::{finished, finished_if, Running};

/// Depth of the DNS answer queue. At 100k answers/s this is over half a second of slack.
const DNS_QUEUE: usize = 65_536;
/// Depth of the conntrack event queue; when it is full the reader waits and the kernel
/// socket buffer takes the rest (overflow there triggers a resync, nothing is lost).
const CONNTRACK_QUEUE: usize = 4_096;
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
    store_writer: Option<StoreWriter>,
    store_thread: Option<std::thread::JoinHandle<()>>,
    retention: Option<tokio::task::JoinHandle<()>>,
    devices_thread: Option<std::thread::JoinHandle<()>>,
    wifi_monitor: Option<std::thread::JoinHandle<()>>,
    detect: Option<crate::detect::Started>,
    controls_task: Option<tokio::task::JoinHandle<()>>,
    export_task: Option<tokio::task::JoinHandle<()>>,
    /// Health counters and warnings.
    pub status: Arc<Status>,
}

/// The queues between the stages.
struct Channels {
    dns: (AnswerSink, mpsc::Receiver<DnsAnswer>),
    conntrack: (mpsc::Sender<ConntrackEvent>, mpsc::Receiver<ConntrackEvent>),
    events: broadcast::Sender<Arc<LiveEvent>>,
}

impl Daemon {
    /// Start every stage with a validated `config`.
    pub async fn start(config: Config) -> anyhow::Result<Daemon> {
        let status = Arc::new(Status::default());
        let shutdown = CancellationToken::new();
        report_setup_problems(&config, &status);
        raise_open_files();
        create_data_dir(&config)?;
        let (config, password_hash) = prepare_admin_password(config, status.clone()).await?;
        let mut history = History::open(&config, &status);
        history::watch_writer(&history, status.clone(), shutdown.clone());
        let Channels {
            dns: (sink, dns_rx),
            conntrack: (ct_tx, ct_rx),
            events,
        } = Channels::new(&status);
        let live = Arc::new(RwLock::new(
            history
                .live
                .take()
                .unwrap_or_else(|| empty_live_state(&config)),
        ));
        // Conntrack first: flows that exist now are in its first dump.
        let conntrack = start_conntrack(&config, ct_tx, &status, &shutdown);
        // Opened before anything answers, so every flow is enriched from the first one.
        let enricher = open_enricher(&config, &status);
        let (devices, devices_thread) = start_devices(&config, &mut history, &status, &shutdown);
        let wifi_monitor = start_wifi_monitor(&config, &status, &shutdown);
        let history_settings = Arc::new(HistorySettings::new(&config.history));
        let retention = start_retention(&history, &history_settings, &status, &shutdown);
        let detect = start_detectors(&config, &history, &events, &status, &shutdown)?;
        let admin = Arc::new(admin(&config, password_hash, &history, history_settings));
        // IPFIX export (`[export]`): fed by the correlator, never waited for.
        let export = crate::export::start(
            &config.export,
            Some(devices.clone()),
            status.clone(),
            shutdown.clone(),
        );
        let correlator = start_correlator(
            &config,
            (dns_rx, ct_rx),
            correlate::Outputs {
                state: live.clone(),
                events: events.clone(),
                enricher: enricher.clone(),
                store: history.writer.clone(),
                devices: Some(devices.clone()),
            },
            (
                detect.as_ref().map(|d| d.sink.clone()),
                export.as_ref().map(|x| x.sink.clone()),
            ),
            &shutdown,
        );
        // Controls (`[control]`): the DNS blocking switch the forwarder reads, the saved
        // blocks put back in place, the watcher that blocks new destinations of blocked
        // countries and organizations.
        let (controls, controls_task) = Controls::start(ControlParts {
            config: config.control.clone(),
            data_dir: config.data.dir.clone(),
            enricher: enricher.clone(),
            live: live.clone(),
            events: events.clone(),
            status: status.clone(),
            shutdown: shutdown.clone(),
        })
        .await;
        let dns = start_dns(&config, sink, &status, &controls).await?;
        let hosts = crate::web::host::AllowedHosts::from_config(&config);
        let cert = https_certificate(&config, &hosts)?;
        let app = AppState {
            live,
            status: status.clone(),
            enricher,
            store_stats: history.writer.as_ref().map(|w| w.stats()),
            events,
            event_slots: Arc::new(EventSlots::new(
                config.web.max_event_clients,
                config.web.max_event_clients_per_device,
            )),
            hosts: Arc::new(hosts),
            https: config.web.https_listen.zip(cert.as_ref()).map(|(a, c)| {
                Arc::new(HttpsInfo {
                    port: a.port(),
                    fingerprint: c.fingerprint.clone(),
                })
            }),
            devices,
            privacy: config.web.privacy_mode,
            privacy_min_devices: config.web.privacy_min_devices,
            group_names: config.web.group_names,
            paths_cache: Default::default(),
            timeline_cache: Default::default(),
            path_feeds: Default::default(),
            site: Arc::new(config.site.clone()),
            wifi: Arc::new(config.wifi.clone()),
            admin,
            detect: detect.as_ref().map(|d| d.handle.clone()),
            controls,
            group_view: group_view(&history),
            marks: Arc::new(RwLock::new(
                history
                    .store
                    .as_ref()
                    .map(|s| crate::session::restore_marks(s))
                    .unwrap_or_default(),
            )),
            metrics_token: crate::web::metrics::Guard::new(config.metrics.token.clone()),
        };
        let web = WebServer::start(
            WebOptions::from_config(&config.web, &config.metrics, cert),
            app,
            shutdown.clone(),
        )
        .await?;
        tracing::info!("web API on http://{}/api/v1/flows", web.local_addr());
        if let Some(a) = web.https_addr() {
            tracing::info!("admin pages over HTTPS on https://{a}/admin");
        }
        Ok(Daemon {
            shutdown,
            dns,
            web,
            correlator,
            conntrack,
            store_writer: history.writer,
            store_thread: history.thread,
            retention,
            devices_thread,
            wifi_monitor,
            detect,
            controls_task,
            export_task: export.map(|x| x.task),
            status,
        })
    }

    /// The web listener's bound address.
    pub fn web_addr(&self) -> std::net::SocketAddr {
        self.web.local_addr()
    }

    /// Give the shutdown signal, let in-flight requests finish (bounded), and wait for every
    /// stage to finish: first those that produce work for the store, then the store's
    /// writer, closed explicitly so it commits what was queued and stops even if a handle
    /// to it is still held somewhere (a web task that outlived its join, say).
    pub async fn stop(self) {
        const LIMIT: Duration = Duration::from_secs(3);
        self.shutdown.cancel();
        self.dns.shutdown().await;
        self.web.join(LIMIT).await;
        finished("correlator", Running::Task(self.correlator), LIMIT).await;
        // It saves what changed before it ends.
        finished_if(
            "controls watcher",
            self.controls_task.map(Running::Task),
            LIMIT,
        )
        .await;
        if let Some(d) = self.detect {
            d.join(LIMIT).await;
        }
        // It sends what it holds first.
        finished_if("IPFIX exporter", self.export_task.map(Running::Task), LIMIT).await;
        // It notices the shutdown within 250 ms.
        finished_if(
            "device thread",
            self.devices_thread.map(Running::Thread),
            LIMIT,
        )
        .await;
        // It looks at the shutdown signal four times a second (a request in flight: 1 s).
        finished_if(
            "WiFi monitor",
            self.wifi_monitor.map(Running::Thread),
            LIMIT,
        )
        .await;
        // A run in progress finishes its chunk first.
        let retention = self.retention.map(Running::Task);
        finished_if("history retention", retention, Duration::from_secs(5)).await;
        if let Some(w) = self.store_writer {
            let _ = tokio::task::spawn_blocking(move || w.close()).await;
        }
        // An SD card can stall for seconds; what the writer commits now is not lost.
        let writer = self.store_thread.map(Running::Thread);
        finished_if("store writer", writer, Duration::from_secs(30)).await;
        // The reader polls the shutdown signal a few times a second.
        finished_if(
            "conntrack reader",
            self.conntrack.map(Running::Thread),
            LIMIT,
        )
        .await;
        tracing::info!("stopped");
    }
}

impl Channels {
    fn new(status: &Arc<Status>) -> Channels {
        Channels {
            dns: AnswerSink::channel(DNS_QUEUE, status.clone()),
            conntrack: mpsc::channel(CONNTRACK_QUEUE),
            events: broadcast::channel(EVENT_BUFFER).0,
        }
    }
}

/// On the appliance: what `whereflow setup` found wrong in the settings file.
fn report_setup_problems(config: &Config, status: &Status) {
    if let Some(path) = &config.system.problems_file {
        for w in crate::system::problems::read_warnings(path) {
            status.warn(w);
        }
    }
    for n in &config.system.notes {
        match crate::system::radios::note_words(&n.id, &n.args) {
            Some(w) => status.warn(w),
            // A runtime file of another version: the log has it, the pages have no words.
            None => tracing::warn!("system.notes: unknown note {n:?}"),
        }
    }
}

/// On the appliance (setup wrote which radio serves the room): watch it, its devices and
/// the uplink (`system::wifi_monitor`). Elsewhere (`wifi.interface = "auto"`): nothing.
fn start_wifi_monitor(
    config: &Config,
    status: &Arc<Status>,
    shutdown: &CancellationToken,
) -> Option<std::thread::JoinHandle<()>> {
    use crate::system::wifi_monitor;
    let interface = config.wifi.explicit_interface()?;
    let mut opts = wifi_monitor::appliance_options(
        interface,
        &config.uplink,
        config.system.problems_file.as_deref(),
        config
            .system
            .root
            .as_deref()
            .unwrap_or(std::path::Path::new("/")),
    );
    opts.lang = config.site.lang();
    match wifi_monitor::spawn(opts, status.clone(), shutdown.clone()) {
        Ok(t) => Some(t),
        Err(e) => {
            status.warn(crate::status::StatusWords::new(
                "wifi-monitor-off",
                [("error", e.to_string())],
            ));
            None
        }
    }
}

/// Raise the open-files limit to the hard limit and say so: every web connection, DNS
/// client connection and upstream question holds a descriptor, and the usual soft limit of
/// 1,024 is what a room of slow clients exhausted.
fn raise_open_files() {
    match crate::sys::limits::raise_open_files() {
        Ok(n) => tracing::info!("open-files limit: {n}"),
        Err(e) => tracing::warn!("cannot read or raise the open-files limit: {e}"),
    }
}

/// `web.https_listen`: the certificate (made on first start), its fingerprint logged and
/// written to the problems file for whoever holds the SD card.
fn https_certificate(
    config: &Config,
    hosts: &crate::web::host::AllowedHosts,
) -> anyhow::Result<Option<crate::web::https::HttpsCert>> {
    if config.web.https_listen.is_none() {
        return Ok(None);
    }
    let cert = crate::web::https::load_or_make(&config.data.dir, &hosts.certificate_names())?;
    tracing::info!(
        "HTTPS certificate fingerprint (SHA-256): {}",
        cert.fingerprint
    );
    if let Some(path) = &config.system.problems_file {
        if let Err(e) = crate::system::problems::set_note_said(
            path,
            config.site.lang(),
            crate::web::https::NOTE,
            &[],
            &cert.fingerprint,
        ) {
            tracing::warn!(
                "the HTTPS fingerprint was not written to {}: {e}",
                path.display()
            );
        }
    }
    Ok(Some(cert))
}

fn create_data_dir(config: &Config) -> anyhow::Result<()> {
    // Private: it holds every device's history (see `sys::fs::create_private_dir`).
    crate::sys::fs::create_private_dir(&config.data.dir).with_context(|| {
        format!(
            "cannot create data directory {} (data.dir / --data-dir)",
            config.data.dir.display()
        )
    })
}

/// The admin password: a plain one is hashed (argon2, slow on purpose) and replaced by its
/// hash in the config file; the plain text leaves the config here. Returns the hash.
async fn prepare_admin_password(
    config: Config,
    status: Arc<Status>,
) -> anyhow::Result<(Config, Option<String>)> {
    tokio::task::spawn_blocking(move || {
        let mut config = config;
        let password = crate::config::password::prepare(&mut config, &status);
        tracing::debug!("admin password from: {:?}", password.source);
        (config, password.hash)
    })
    .await
    .context("preparing the admin password")
}

fn start_conntrack(
    config: &Config,
    events: mpsc::Sender<ConntrackEvent>,
    status: &Arc<Status>,
    shutdown: &CancellationToken,
) -> Option<std::thread::JoinHandle<()>> {
    if !config.conntrack.enabled {
        status.warn(crate::status::StatusWords::new("conntrack-disabled", []));
        return None;
    }
    crate::conntrack::prepare_sysctls(config.conntrack.set_sysctls, status);
    match crate::conntrack::spawn(&config.conntrack, events, status.clone(), shutdown.clone()) {
        Ok(handle) => Some(handle),
        Err(e) => {
            status.warn(crate::status::StatusWords::new(
                "conntrack-not-started",
                [("error", e.to_string())],
            ));
            None
        }
    }
}

fn open_enricher(config: &Config, status: &Status) -> Arc<Enricher> {
    let enricher = Arc::new(Enricher::open(&config.enrich, status));
    for line in enricher.describe() {
        tracing::info!("data: {line}");
    }
    enricher
}

/// The teacher's group-view rules of the current session, restored from the store.
fn group_view(history: &History) -> Arc<RwLock<crate::group_view::Grouping>> {
    let rules = Arc::new(RwLock::new(crate::group_view::Grouping::default()));
    if let Some(store) = &history.store {
        crate::session::restore_group_rules(store, &rules);
    }
    rules
}

/// Devices by MAC: names from DHCP leases, the neighbour table and saved nicknames.
fn start_devices(
    config: &Config,
    history: &mut History,
    status: &Arc<Status>,
    shutdown: &CancellationToken,
) -> (Arc<DeviceRegistry>, Option<std::thread::JoinHandle<()>>) {
    let devices = Arc::new(DeviceRegistry::new(config.devices.max_devices));
    let known: Vec<KnownDevice> = std::mem::take(&mut history.known_devices);
    devices.restore(known);
    // The session's pseudonyms survive a restart: its saved key, else a new one saved.
    if let Some(store) = &history.store {
        match store.pseudonym_key() {
            Some(key) => devices.use_pseudonym_secret(key),
            None => {
                if let Err(e) = store.save_pseudonym_key(&devices.pseudonym_secret()) {
                    tracing::warn!("devices: the session's pseudonym key was not saved ({e}); pseudonyms change at a restart");
                }
            }
        }
    }
    if let Some(w) = &history.writer {
        devices.attach_store(w.clone());
    }
    tracing::info!(
        "data: {}",
        crate::devices::oui::OuiTable::builtin().describe()
    );
    let options = RefresherOptions {
        leases: config.devices.leases_path().map(Into::into),
        neighbours: config.devices.neighbours,
        interfaces: config.devices.interfaces.clone(),
        lan: config.correlate.lan.clone(),
        max_entries: config.devices.max_devices.saturating_mul(4),
    };
    let thread = crate::devices::spawn_refresher(
        options,
        devices.clone(),
        history.writer.clone(),
        status.clone(),
        shutdown.clone(),
    );
    match thread {
        Ok(h) => (devices, Some(h)),
        Err(e) => {
            status.warn(crate::status::StatusWords::new(
                "devices-not-started",
                [("error", e.to_string())],
            ));
            (devices, None)
        }
    }
}

/// Retention and the size cap (`[history]`), at start and then hourly.
fn start_retention(
    history: &History,
    settings: &Arc<HistorySettings>,
    status: &Arc<Status>,
    shutdown: &CancellationToken,
) -> Option<tokio::task::JoinHandle<()>> {
    history.store.as_ref().map(|store| {
        crate::store::retention::spawn(
            store.clone(),
            settings.clone(),
            status.clone(),
            shutdown.clone(),
        )
    })
}

/// Detectors (`[detect]`): fed by the correlator, the NFLOG group and the LAN watch; the
/// current session's alerts come back from the store.
fn start_detectors(
    config: &Config,
    history: &History,
    events: &broadcast::Sender<Arc<LiveEvent>>,
    status: &Arc<Status>,
    shutdown: &CancellationToken,
) -> anyhow::Result<Option<crate::detect::Started>> {
    if !config.detect.enabled {
        return Ok(None);
    }
    let started = crate::detect::start(
        &config.detect,
        config.correlate.lan.clone(),
        history.alerts(config.detect.max_alerts),
        events.clone(),
        history.writer.clone(),
        status.clone(),
        shutdown.clone(),
    )
    .context("starting the detectors ([detect])")?;
    Ok(Some(started))
}

/// The admin side: login, sessions, export, settings.
fn admin(
    config: &Config,
    password_hash: Option<String>,
    history: &History,
    settings: Arc<HistorySettings>,
) -> Admin {
    let (correlate, max_flows) = (config.correlate.clone(), config.conntrack.max_flows);
    Admin::new(AdminParts {
        password_hash,
        store: history.store.clone(),
        writer: history.writer.clone(),
        fresh_live: Box::new(move || LiveState::new(&correlate, max_flows)),
        settings,
        config_file: config.source.clone(),
        problems_file: config
            .system
            .problems_file
            .clone()
            .map(|p| (p, config.site.lang())),
    })
}

fn start_correlator(
    config: &Config,
    (dns, conntrack): (mpsc::Receiver<DnsAnswer>, mpsc::Receiver<ConntrackEvent>),
    outputs: correlate::Outputs,
    sinks: (Option<DetectSink>, Option<crate::export::ExportSink>),
    shutdown: &CancellationToken,
) -> tokio::task::JoinHandle<()> {
    tokio::spawn(correlate::run_with_sinks(
        config.correlate.clone(),
        (dns, conntrack),
        outputs,
        sinks,
        shutdown.clone(),
    ))
}

async fn start_dns(
    config: &Config,
    sink: AnswerSink,
    status: &Arc<Status>,
    controls: &Controls,
) -> anyhow::Result<DnsServer> {
    let dns = DnsServer::start_with_block(&config.dns, sink, status.clone(), controls.dns_block())
        .await
        .context("starting the DNS forwarder (dns.listen / --dns-listen)")?;
    for addr in dns.local_addrs() {
        tracing::info!("DNS forwarder listening on {addr} (UDP and TCP)");
    }
    Ok(dns)
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
