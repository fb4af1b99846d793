//! Stage 3 — the web listener: the JSON API, the live event stream and the pages (see
//! `docs/API.md`).
//!
//! One module per feature; its `routes()` names every endpoint of the feature:
//!
//! - `api`: `GET /api/v1/{flows,dns,devices,status,attribution}` from the correlator's
//!   [`LiveState`] and the data manifest.
//! - `events`: `GET /api/v1/events`, server-sent events of flow and DNS changes and alerts.
//! - `paths`: `GET /api/v1/paths`, device → domain → organization → country aggregates.
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
//!
//! And what the features share, below them: `page` (the page toolkit: layout, the headers
//! every page gets, script JSON, escaping, the words for categories, alert kinds and bytes),
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
pub mod controls;
pub mod events;
pub(crate) mod group_view;
pub(crate) mod home;
pub(crate) mod me;
pub mod notice;
pub(crate) mod page;
pub mod paths;
pub(crate) mod presenter;
pub mod viewer;
pub(crate) mod views;

use std::net::SocketAddr;
use std::sync::Arc;

use axum::Router;
use parking_lot::RwLock;
use tokio::sync::{broadcast, Semaphore};
use tokio_util::sync::CancellationToken;

use crate::correlate::LiveState;
use crate::devices::DeviceRegistry;
use crate::enrich::Enricher;
use crate::model::LiveEvent;
use crate::status::Status;

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
    /// Limits concurrent event-stream subscribers.
    pub event_slots: Arc<Semaphore>,
    /// Privacy mode (`web.privacy_mode`): devices see only their own data.
    pub privacy: bool,
    /// What the group views call a device without a nickname (`web.group_names`).
    pub group_names: crate::config::GroupNames,
    /// Recently computed `/api/v1/paths` aggregates.
    pub paths_cache: Arc<paths::PathsCache>,
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
}

impl AppState {
    /// How the group views (sankey, map, presenter, alerts, device lists) name a device:
    /// its nickname, else its pseudonym for the session ("Blue Otter"), or its DHCP host
    /// name with `web.group_names = "hostname"` — never its MAC or IP address. The device's
    /// own page and the admin pages use [`crate::devices::DeviceInfo::name`] instead.
    /// The teacher's rules apply: a hidden device is "Hidden device", a cleared or hidden
    /// nickname gives way to the pseudonym, "names off" shows only pseudonyms.
    pub fn device_name(&self, device: crate::model::DeviceId) -> String {
        let ip = device.ip();
        if self
            .group_view
            .read()
            .hides_device(self.devices.identity(ip))
        {
            return "Hidden device".into();
        }
        self.group_name(ip, &self.devices.describe(ip))
    }

    /// The group views' name of the device behind `ip` (described by `info`), the teacher's
    /// nickname rules and "names off" applied (not whether the device is hidden).
    pub fn group_name(&self, ip: std::net::IpAddr, info: &crate::devices::DeviceInfo) -> String {
        let id = self.devices.identity(ip);
        self.group_view
            .read()
            .group_name(id, info, self.group_names)
    }

    /// The handles the application actions ([`crate::session`]) change.
    pub(crate) fn stages(&self) -> crate::session::Stages<'_> {
        crate::session::Stages {
            live: &self.live,
            history: self.admin.history(),
            alerts: self.detect.as_ref().map(|d| &*d.alerts),
            devices: &self.devices,
            group_view: &self.group_view,
        }
    }
}

/// The HTTP routes.
pub fn router(state: AppState) -> Router {
    Router::new()
        .merge(api::routes())
        .merge(events::routes())
        .merge(paths::routes())
        .merge(home::routes())
        .merge(views::routes())
        .merge(presenter::routes())
        .merge(me::routes())
        .merge(assets::routes())
        .merge(admin::routes())
        .merge(alerts::routes())
        .merge(controls::routes())
        .merge(group_view::routes())
        .with_state(state)
        // Pages and JSON gzipped for clients that accept it (a phone on a busy WiFi). The event
        // stream is left alone (the default predicate skips text/event-stream), and so are
        // the assets, which carry their own gzip copy made at build time.
        .layer(tower_http::compression::CompressionLayer::new())
}

/// Why the web listener could not start.
#[derive(Debug, thiserror::Error)]
pub enum WebError {
    /// Binding the listen address failed.
    #[error("cannot listen on {addr} (web.listen): {source}")]
    Bind {
        /// The address.
        addr: SocketAddr,
        /// Why.
        source: std::io::Error,
    },
}

/// A bound, running web listener.
pub struct WebServer {
    addr: SocketAddr,
    task: tokio::task::JoinHandle<()>,
}

impl WebServer {
    /// Bind `addr` and serve until `shutdown` is cancelled.
    pub async fn start(
        addr: SocketAddr,
        state: AppState,
        shutdown: CancellationToken,
    ) -> Result<WebServer, WebError> {
        let listener = tokio::net::TcpListener::bind(addr)
            .await
            .map_err(|source| WebError::Bind { addr, source })?;
        let bound = listener
            .local_addr()
            .map_err(|source| WebError::Bind { addr, source })?;
        let app = router(state);
        let task = tokio::spawn(async move {
            // Connect info: pages and `/me` endpoints know which device is asking by its address.
            let served = axum::serve(
                listener,
                app.into_make_service_with_connect_info::<SocketAddr>(),
            )
            .with_graceful_shutdown(async move { shutdown.cancelled().await })
            .await;
            if let Err(e) = served {
                tracing::error!("web listener stopped: {e}");
            }
        });
        Ok(WebServer { addr: bound, task })
    }

    /// The address actually bound.
    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    /// Wait until the listener has stopped (after shutdown was requested), at most `limit`.
    pub async fn join(self, limit: std::time::Duration) {
        if tokio::time::timeout(limit, self.task).await.is_err() {
            tracing::warn!("web listener did not stop within {limit:?}; leaving it");
        }
    }
}
