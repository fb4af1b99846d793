//! Stage 3 — the web listener: the JSON API, the live event stream and the pages (see
//! `docs/API.md`).
//!
//! One module per feature; its `routes()` names every endpoint of the feature:
//!
//! - `api`: `GET /api/v1/{flows,dns,devices,status,attribution}` from the correlator's
//!   [`LiveState`] and the data manifest.
//! - `events`: `GET /api/v1/events`, server-sent events of flow and DNS changes and alerts.
//! - `paths`: `GET /api/v1/paths`, device → domain → organization → country aggregates.
//! - `live_paths`: the same aggregates pushed on the event stream (`?paths=<window>`): one
//!   snapshot per view per tick, the same bytes for every subscriber.
//! - `marks`: the teacher's marks (`/api/v1/marks`), a session's timeline and its replay
//!   frames (`/api/v1/timeline`, `/api/v1/sessions/{id}/timeline`, `.../replay`).
//! - `home`: `GET /`, what this is and how to read it.
//! - `views`: `GET /sankey`, `GET /map` and `GET /api/v1/site` (the map's starting point).
//! - `presenter`: `GET /presenter`, with the QR codes to open the site and join the WiFi.
//! - `me/`: the device's own data: `GET /api/v1/me`, the `/me` page, its nickname and forget
//!   forms.
//! - `alerts/`: the detectors' alerts and temporary ignores (`detect`): JSON, the `/alerts`
//!   page and its ignore form.
//! - `controls`: the admin's controls (`control`): DNS blocking, blocks, ending connections.
//! - `group_view`: the teacher's rules for the group views (hide, clear, lock, names off).
//! - `admin/`: the admin page, login, sessions, export, settings.
//! - `metrics/`: `GET /metrics` for Prometheus, behind its own bearer token (`metrics.token`).
//!
//! The way in, before any feature: `listener` (the accept loop: connection caps per device
//! and in all, header and idle timeouts, HTTPS), `https` (its self-signed certificate),
//! `host` (the `Host` check against DNS rebinding: `421`), `clients` (who a client is, and
//! bounded shares per client).
//!
//! And what the features share, below them: `page` (the page toolkit: layout, the headers
//! every page gets, script JSON, escaping, the words for categories, alert kinds and bytes),
//! `language` (the reader's language for every page, and the switcher's `GET /lang/{code}`),
//! `auth/` (the admin login and the CSRF checks, also for the device's own forms), `viewer`
//! (who is asking, privacy mode), `notice` (the page a refused form gets), `assets` (the
//! built front end).
//!
//! The convention: a feature's JSON (`/api/v1/...`, for scripts) and its HTML (its page and
//! the forms that post to it, which work without script) sit side by side in the feature's
//! module, and its doc has a table of them and who may call each. A feature too big for one
//! file is a folder: `mod.rs` (the table, and `routes()` merging its files' routes),
//! `api.rs` (the JSON), `page.rs` (the page and its forms), and the view both draw from
//! (`me/view.rs`, `alerts/listing.rs`). The admin side does the same per feature
//! (`admin/sessions.rs`: `/api/v1/sessions` and the admin page's session forms); the admin
//! page itself (`admin/page.rs`) draws every section and gives the forms their CSRF check,
//! error page and redirect. Actions that change several stages (forget a device, start a
//! session) are `crate::session`'s; handlers only call them.
//!
//! Imports point one way: features → the shared modules → the stages. The only way back up
//! is the router state ([`AppState`], this file).
//!
//! Handlers only read shared state under a short read lock and never block the pipeline.

pub mod admin;
pub(crate) mod alerts;
pub mod api;
pub mod assets;
pub(crate) mod auth;
pub(crate) mod clients;
pub mod controls;
pub mod events;
pub(crate) mod fold;
pub(crate) mod group_view;
pub(crate) mod home;
pub mod host;
pub mod https;
pub(crate) mod language;
pub mod listener;
pub(crate) mod live_paths;
pub(crate) mod marks;
pub(crate) mod me;
pub(crate) mod metrics;
pub mod notice;
pub(crate) mod page;
pub mod paths;
pub(crate) mod presenter;
pub(crate) mod reasons;
pub mod viewer;
pub(crate) mod views;

use std::net::SocketAddr;
use std::sync::Arc;

use axum::Router;
use parking_lot::RwLock;
use tokio::sync::broadcast;
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

use crate::correlate::LiveState;
use crate::devices::DeviceRegistry;
use crate::enrich::Enricher;
use crate::model::LiveEvent;
use crate::status::Status;

/// Event-stream slots (see [`AppState::event_slots`]).
pub struct EventSlots(Arc<clients::Slots>);

impl EventSlots {
    /// At most `total` subscribers, `per_device` from one device.
    pub fn new(total: usize, per_device: usize) -> EventSlots {
        EventSlots(clients::Slots::new(total, per_device))
    }
}

/// The HTTPS listener as the pages describe it.
#[derive(Clone, Debug)]
pub struct HttpsInfo {
    /// Its port.
    pub port: u16,
    /// The certificate's SHA-256 fingerprint.
    pub fingerprint: String,
}

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    /// The correlator's state.
    pub live: Arc<RwLock<LiveState>>,
    /// Health counters and warnings.
    pub status: Arc<Status>,
    /// Loaded lists and databases (described in `/api/v1/status`).
    pub enricher: Arc<Enricher>,
    /// The store writer's counters, when history is being saved.
    pub store_stats: Option<Arc<crate::store::WriterStats>>,
    /// Source of live events.
    pub events: broadcast::Sender<Arc<LiveEvent>>,
    /// Limits concurrent event-stream subscribers, in all and per device
    /// (`web.max_event_clients`, `web.max_event_clients_per_device`).
    pub event_slots: Arc<EventSlots>,
    /// The names and addresses requests may ask for (`host`).
    pub hosts: Arc<host::AllowedHosts>,
    /// The HTTPS listener, when there is one (the presenter shows how to reach it).
    pub https: Option<Arc<HttpsInfo>>,
    /// Privacy mode (`web.privacy_mode`): devices see only their own data.
    pub privacy: bool,
    /// Privacy mode's "Other devices" rows need this many devices (`web.privacy_min_devices`).
    pub privacy_min_devices: usize,
    /// What the group views call a device without a nickname (`web.group_names`).
    pub group_names: crate::config::GroupNames,
    /// Recently computed `/api/v1/paths` aggregates.
    pub paths_cache: Arc<paths::PathsCache>,
    /// The current session's timeline, shared by every page that reads it (`marks`).
    pub timeline_cache: Arc<marks::TimelineCache>,
    /// The live views' shared `paths` snapshots (`live_paths`).
    pub path_feeds: Arc<live_paths::PathFeeds>,
    /// Devices by MAC: names, vendor, nicknames ([`DeviceRegistry::lookup`],
    /// [`DeviceRegistry::set_nickname`], [`DeviceRegistry::forget`]).
    pub devices: Arc<DeviceRegistry>,
    /// `[site]`: the appliance's name, address and place on the map (pages, `/api/v1/site`).
    pub site: Arc<crate::config::SiteConfig>,
    /// `[wifi]`: the network people join (the presenter's QR code).
    pub wifi: Arc<crate::config::WifiConfig>,
    /// The admin side: login, sessions, export, settings ([`auth::AdminSession`]).
    pub admin: Arc<admin::Admin>,
    /// The detectors' alerts and temporary ignores (`None`: `detect.enabled = false`).
    pub detect: Option<crate::detect::DetectHandle>,
    /// The admin's controls: DNS blocking, blocks, ending connections (`controls`).
    pub controls: Arc<crate::control::Controls>,
    /// What the teacher keeps off the group views (`group_view`), for this session.
    pub group_view: Arc<RwLock<crate::group_view::Grouping>>,
    /// This session's marks, oldest first (`marks`; the views' "since the mark").
    pub marks: Arc<RwLock<Vec<Arc<crate::model::Mark>>>>,
    /// The bearer token `GET /metrics` asks for (`metrics.token`; `None`: no `/metrics`).
    pub metrics_token: metrics::Guard,
}

impl AppState {
    /// How the group views (sankey, map, presenter, alerts, device lists) name a device:
    /// its nickname, else its pseudonym for the session ("Blue Otter"), or its DHCP host
    /// name with `web.group_names = "hostname"` — never its MAC or IP address. The device's
    /// own page and the admin pages use [`crate::devices::DeviceInfo::name`] instead.
    /// The teacher's rules apply: a hidden device is "Hidden device" (said in each reader's
    /// language), a cleared or hidden nickname gives way to the pseudonym, "names off" shows
    /// only pseudonyms.
    pub fn device_name_of(&self, device: crate::model::DeviceId) -> crate::devices::DeviceName {
        let ip = device.ip();
        if self
            .group_view
            .read()
            .hides_device(self.devices.identity(ip))
        {
            return crate::devices::DeviceName::Hidden;
        }
        self.group_name(ip, &self.devices.describe(ip))
    }

    /// [`AppState::device_name_of`] in English (the API's stable name).
    pub fn device_name(&self, device: crate::model::DeviceId) -> String {
        self.device_name_of(device).to_string()
    }

    /// The group views' name of the device behind `ip` (described by `info`), the teacher's
    /// nickname rules and "names off" applied (not whether the device is hidden).
    pub fn group_name(
        &self,
        ip: std::net::IpAddr,
        info: &crate::devices::DeviceInfo,
    ) -> crate::devices::DeviceName {
        let id = self.devices.identity(ip);
        self.group_view
            .read()
            .group_name(id, info, self.group_names)
    }

    /// The teacher's rules for `viewer`'s row-by-row outputs (flows, DNS answers, alerts,
    /// events): nothing for the admin; the viewer's own device is never censored.
    pub(crate) fn censor(&self, viewer: &viewer::Viewer, admin: bool) -> crate::group_view::Censor {
        if admin {
            return crate::group_view::Censor::nothing();
        }
        crate::group_view::Censor::new(
            &self.group_view.read(),
            |id| self.devices.addresses(id),
            viewer.identity,
        )
    }

    /// The handles the application actions ([`crate::session`]) change.
    pub(crate) fn stages(&self) -> crate::session::Stages<'_> {
        crate::session::Stages {
            live: &self.live,
            history: self.admin.history(),
            alerts: self.detect.as_ref().map(|d| &*d.alerts),
            devices: &self.devices,
            group_view: &self.group_view,
            marks: &self.marks,
            events: &self.events,
        }
    }
}

/// The HTTP routes, behind the `Host` check.
pub fn router(state: AppState) -> Router {
    let hosts = axum::middleware::from_fn_with_state(state.clone(), host::check);
    Router::new()
        .merge(api::routes())
        .merge(events::routes())
        .merge(paths::routes())
        .merge(marks::routes())
        .merge(home::routes())
        .merge(views::routes())
        .merge(presenter::routes())
        .merge(me::routes())
        .merge(assets::routes())
        .merge(admin::routes())
        .merge(alerts::routes())
        .merge(controls::routes())
        .merge(group_view::routes())
        .merge(metrics::routes())
        .merge(language::routes())
        .fallback(notice::not_found)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            language::scope,
        ))
        .layer(hosts)
        .with_state(state)
        // Pages and JSON gzipped for clients that accept it (a phone on a busy WiFi). The event
        // stream is left alone (the default predicate skips text/event-stream), and so are
        // the assets, which carry their own gzip copy made at build time.
        .layer(tower_http::compression::CompressionLayer::new())
}

/// The routes of `metrics.listen`: `/metrics` only, every other path 404. No `Host` check
/// there: it is reached by the uplink's addresses, holds no session, and asks a bearer token.
pub fn metrics_router(state: AppState) -> Router {
    Router::new().merge(metrics::routes()).with_state(state)
}

/// Connections `metrics.listen` holds at once (a scraper or two), and per client.
const METRICS_CONNECTIONS: (usize, usize) = (16, 4);

/// Why the web listener could not start.
#[derive(Debug, thiserror::Error)]
pub enum WebError {
    /// Binding a listen address failed.
    #[error("cannot listen on {addr} ({key}): {source}")]
    Bind {
        /// The address.
        addr: SocketAddr,
        /// Its config key.
        key: &'static str,
        /// Why.
        source: std::io::Error,
    },
}

/// What the listeners are started with.
pub struct WebOptions {
    /// `web.listen`.
    pub listen: SocketAddr,
    /// `web.https_listen` and its certificate.
    pub https: Option<(SocketAddr, https::HttpsCert)>,
    /// The time limits of a connection (`web.header_timeout_secs`, `web.idle_timeout_secs`).
    pub header_timeout: std::time::Duration,
    /// See `header_timeout`.
    pub idle_timeout: std::time::Duration,
    /// `web.max_connections`.
    pub max_connections: usize,
    /// `web.max_connections_per_device`.
    pub max_connections_per_device: usize,
    /// `metrics.listen`: a listener serving `/metrics` alone.
    pub metrics_listen: Option<SocketAddr>,
}

impl WebOptions {
    /// From `[web]` (the certificate is loaded by the caller: [`https::load_or_make`]).
    pub fn from_config(
        web: &crate::config::WebConfig,
        metrics: &crate::config::MetricsConfig,
        cert: Option<https::HttpsCert>,
    ) -> Self {
        WebOptions {
            metrics_listen: metrics.listen,
            listen: web.listen,
            https: web.https_listen.zip(cert),
            header_timeout: std::time::Duration::from_secs(web.header_timeout_secs),
            idle_timeout: std::time::Duration::from_secs(web.idle_timeout_secs),
            max_connections: web.max_connections,
            max_connections_per_device: web.max_connections_per_device,
        }
    }
}

/// The running web listeners.
pub struct WebServer {
    addr: SocketAddr,
    https_addr: Option<SocketAddr>,
    tasks: Vec<tokio::task::JoinHandle<()>>,
    connections: TaskTracker,
}

async fn bind(addr: SocketAddr, key: &'static str) -> Result<tokio::net::TcpListener, WebError> {
    let err = |source| WebError::Bind { addr, key, source };
    let l = tokio::net::TcpListener::bind(addr).await.map_err(err)?;
    Ok(l)
}

impl WebServer {
    /// Bind the listeners and serve until `shutdown` is cancelled.
    pub async fn start(
        options: WebOptions,
        state: AppState,
        shutdown: CancellationToken,
    ) -> Result<WebServer, WebError> {
        let plain = bind(options.listen, "web.listen").await?;
        let addr = plain.local_addr().map_err(|source| WebError::Bind {
            addr: options.listen,
            key: "web.listen",
            source,
        })?;
        let secure = match &options.https {
            Some((a, cert)) => {
                let l = bind(*a, "web.https_listen").await?;
                let bound = l.local_addr().map_err(|source| WebError::Bind {
                    addr: *a,
                    key: "web.https_listen",
                    source,
                })?;
                Some((l, bound, cert.acceptor.clone()))
            }
            None => None,
        };
        let metrics = match options.metrics_listen {
            Some(a) => {
                let l = bind(a, "metrics.listen").await?;
                let bound = l.local_addr().map_err(|source| WebError::Bind {
                    addr: a,
                    key: "metrics.listen",
                    source,
                })?;
                Some((l, bound, metrics_router(state.clone())))
            }
            None => None,
        };
        let mut tasks = vec![tokio::spawn(live_paths::run(
            state.clone(),
            shutdown.clone(),
        ))];
        let shared = listener::Shared {
            devices: state.devices.clone(),
            router: router(state),
            timeouts: listener::Timeouts {
                header: options.header_timeout,
                idle: options.idle_timeout,
            },
            connections: clients::Slots::new(
                options.max_connections,
                options.max_connections_per_device,
            ),
            tracker: TaskTracker::new(),
            shutdown,
        };
        let connections = shared.tracker.clone();
        tasks.push(tokio::spawn(listener::accept_loop(
            plain,
            None,
            shared.clone(),
        )));
        if let Some((l, bound, router)) = metrics {
            tracing::info!("serving /metrics alone on {bound} (metrics.listen)");
            let (total, per_client) = METRICS_CONNECTIONS;
            let own = listener::Shared {
                router,
                connections: clients::Slots::new(total, per_client),
                ..shared.clone()
            };
            tasks.push(tokio::spawn(listener::accept_loop(l, None, own)));
        }
        let mut https_addr = None;
        if let Some((l, bound, acceptor)) = secure {
            https_addr = Some(bound);
            tasks.push(tokio::spawn(listener::accept_loop(
                l,
                Some(acceptor),
                shared,
            )));
        }
        Ok(WebServer {
            addr,
            https_addr,
            tasks,
            connections,
        })
    }

    /// The address actually bound.
    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    /// The HTTPS listener's bound address, if there is one.
    pub fn https_addr(&self) -> Option<SocketAddr> {
        self.https_addr
    }

    /// Wait until the listeners and their connections have stopped (after shutdown was
    /// requested), at most `limit`.
    pub async fn join(self, limit: std::time::Duration) {
        self.connections.close();
        let all = async {
            for t in self.tasks {
                let _ = t.await;
            }
            self.connections.wait().await;
        };
        if tokio::time::timeout(limit, all).await.is_err() {
            tracing::warn!("web listener did not stop within {limit:?}; leaving it");
        }
    }
}
