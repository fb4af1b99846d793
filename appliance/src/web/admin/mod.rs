//! The admin side: login, sessions, export, settings, and the operations other pages reuse.
//!
//! | method | path | who |
//! |---|---|---|
//! | GET | `/admin` | anyone (login form, or the admin page when logged in) |
//! | POST | `/admin/login` | anyone (form: `password`) |
//! | POST | `/admin/logout`, `/admin/sessions`, `/admin/sessions/{id}/delete`, `/admin/settings` | admin forms (`csrf` field) |
//! | GET | `/api/v1/sessions` | anyone |
//! | GET | `/api/v1/admin` | admin: login and CSRF token for scripts |
//! | POST | `/api/v1/sessions` | admin + `X-CSRF-Token` |
//! | DELETE | `/api/v1/sessions/{id}` | admin + `X-CSRF-Token` |
//! | GET | `/api/v1/sessions/{id}/export`, `/api/v1/sessions/{id}/report` | admin |
//! | GET, POST | `/api/v1/settings` | admin (+ `X-CSRF-Token` for POST) |
//!
//! Without a login every admin endpoint answers `401`; a logged-in request that changes
//! state without this login's CSRF token answers `403` (see [`auth`] and [`csrf`]).
//!
//! For other pages: [`AdminSession`] / [`AdminWrite`] (extractors), [`csrf::FormToken`] and
//! [`csrf::check_form_token`] (device forms), [`forget_device`] and [`start_session`].

pub mod auth;
pub mod csrf;
mod export;
pub(crate) mod pages;
mod sessions;
mod settings;

use std::net::IpAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::{Json, Router};
use parking_lot::Mutex;
use serde::Serialize;
use serde_json::json;
use tokio::sync::Semaphore;

use crate::correlate::{LiveForgotten, LiveState};
use crate::model::DeviceId;
use crate::store::{Deleted, HistorySettings, Session, Store, StoreError, StoreWriter};
use crate::web::AppState;

pub use auth::{AdminSession, AdminWrite};

/// Exports running at once (each holds a blocking thread and a read snapshot).
const MAX_EXPORTS: usize = 2;

/// How the admin side reaches the history.
pub struct History {
    store: Arc<Store>,
    writer: Mutex<Option<StoreWriter>>,
    fresh_live: Box<dyn Fn() -> LiveState + Send + Sync>,
}

/// Everything the admin side needs; one per daemon, in [`AppState::admin`].
pub struct Admin {
    pub(crate) auth: auth::Auth,
    history: Option<History>,
    pub(crate) settings: Arc<HistorySettings>,
    config_file: Option<PathBuf>,
    config_lock: Mutex<()>,
    exports: Arc<Semaphore>,
}

/// What [`Admin::new`] is built from.
pub struct AdminParts {
    /// The admin password's hash ([`crate::config::password::prepare`]); `None`: admin pages off.
    pub password_hash: Option<String>,
    /// The store, when history is saved.
    pub store: Option<Arc<Store>>,
    /// The store's writer (a clone; released at shutdown by [`Admin::release_writer`]).
    pub writer: Option<StoreWriter>,
    /// Makes an empty live state with the configured bounds (for a new session).
    pub fresh_live: Box<dyn Fn() -> LiveState + Send + Sync>,
    /// The `[history]` settings, shared with the retention task.
    pub settings: Arc<HistorySettings>,
    /// The config file, where settings changed here are saved.
    pub config_file: Option<PathBuf>,
}

impl Admin {
    /// Build it.
    pub fn new(p: AdminParts) -> Admin {
        Admin {
            auth: auth::Auth::new(p.password_hash),
            history: p.store.map(|store| History {
                store,
                writer: Mutex::new(p.writer),
                fresh_live: p.fresh_live,
            }),
            settings: p.settings,
            config_file: p.config_file,
            config_lock: Mutex::new(()),
            exports: Arc::new(Semaphore::new(MAX_EXPORTS)),
        }
    }

    /// No password, no history: for tests and tools.
    pub fn disabled() -> Admin {
        Admin::new(AdminParts {
            password_hash: None,
            store: None,
            writer: None,
            fresh_live: Box::new(|| LiveState::new(&crate::config::CorrelateConfig::default(), 1)),
            settings: Arc::new(HistorySettings::new(&Default::default())),
            config_file: None,
        })
    }

    /// Is an admin password set?
    pub fn enabled(&self) -> bool {
        self.auth.enabled()
    }

    /// The store, when history is saved.
    pub fn store(&self) -> Option<&Arc<Store>> {
        self.history.as_ref().map(|h| &h.store)
    }

    fn history(&self) -> Result<&History, AdminError> {
        self.history.as_ref().ok_or(AdminError::NoHistory)
    }

    fn writer(&self) -> Option<StoreWriter> {
        self.history.as_ref().and_then(|h| h.writer.lock().clone())
    }

    /// Drop the store writer handle, so the writer thread can finish at shutdown.
    pub fn release_writer(&self) {
        if let Some(h) = &self.history {
            h.writer.lock().take();
        }
    }
}

/// Why an admin operation failed; answers with a status code and `{"error": "..."}`.
#[derive(Debug, thiserror::Error)]
pub enum AdminError {
    /// History is not being saved (the store could not be opened).
    #[error("history is not being saved on this appliance (see /api/v1/status)")]
    NoHistory,
    /// A request value is not acceptable.
    #[error("{0}")]
    BadRequest(String),
    /// The store refused.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The work did not finish in time or the writer is busy.
    #[error("busy: {0}; try again in a moment")]
    Busy(&'static str),
    /// A blocking task failed.
    #[error("internal error: {0}")]
    Internal(String),
}

impl AdminError {
    fn status(&self) -> StatusCode {
        match self {
            AdminError::NoHistory | AdminError::Busy(_) => StatusCode::SERVICE_UNAVAILABLE,
            AdminError::BadRequest(_) => StatusCode::BAD_REQUEST,
            AdminError::Store(StoreError::NoSuchSession(_)) => StatusCode::NOT_FOUND,
            AdminError::Store(StoreError::CurrentSession(_)) => StatusCode::CONFLICT,
            AdminError::Store(StoreError::Writer(_)) => StatusCode::SERVICE_UNAVAILABLE,
            AdminError::Store(_) | AdminError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

impl IntoResponse for AdminError {
    fn into_response(self) -> Response {
        (self.status(), Json(json!({ "error": self.to_string() }))).into_response()
    }
}

/// Run blocking store work on the blocking pool.
async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, AdminError> + Send + 'static,
) -> Result<T, AdminError> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| AdminError::Internal(e.to_string()))?
}

/// What [`forget_device`] removed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Forgotten {
    /// From the live view.
    pub live: LiveForgotten,
    /// From the database (`None`: history is not saved).
    pub stored: Option<Deleted>,
}

/// Forget a device ("forget my device"): its live flows, answers, totals and names now, and
/// its rows in every session of the database through the writer's queue (see
/// [`crate::store::StoreOp::ForgetDevice`]), both at the same moment (under the live
/// state's write lock). Waits for the database delete (at most 30 s). The device's
/// identity by MAC (nickname, host name) is the device registry's to forget.
pub async fn forget_device(app: &AppState, ip: IpAddr) -> Result<Forgotten, AdminError> {
    let device = DeviceId(ip);
    let writer = app.admin.writer();
    let mut reply = None;
    let mut live = LiveForgotten::default();
    // The queue may be full for a moment (a burst of flows): retry for up to 2 s.
    for attempt in 0..20 {
        {
            let mut state = app.live.write();
            match &writer {
                None => {
                    live = state.forget_device(device);
                    break;
                }
                Some(w) => match w.forget_device(ip) {
                    Ok(rx) => {
                        live = state.forget_device(device);
                        reply = Some(rx);
                        break;
                    }
                    Err(StoreError::Writer(_)) if attempt < 19 => {}
                    Err(e) => return Err(e.into()),
                },
            }
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    // Its alerts go too (the stored rows go with the store's delete).
    if let Some(d) = &app.detect {
        d.alerts.write().forget_device(device);
    }
    let stored = match reply {
        None => None,
        Some(rx) => Some(
            blocking(move || match rx.recv_timeout(Duration::from_secs(30)) {
                Ok(Ok(d)) => Ok(d),
                Ok(Err(e)) => Err(AdminError::Internal(e)),
                Err(_) => Err(AdminError::Busy("the database is still deleting")),
            })
            .await?,
        ),
    };
    Ok(Forgotten { live, stored })
}

/// What [`start_session`] did.
#[derive(Clone, Debug, Serialize)]
pub struct StartedSession {
    /// The new session.
    pub session: Session,
    /// The session that ended.
    pub previous: Option<i64>,
    /// Whether the previous one is kept (else it is being deleted in the background).
    pub kept: bool,
}

/// Most characters of a session name.
pub const MAX_SESSION_NAME: usize = 100;

/// A session name as given (trimmed), checked; `None`/empty: a name from the date and time.
fn session_name(name: Option<&str>) -> Result<String, AdminError> {
    let name = name.map(str::trim).unwrap_or("");
    if name.is_empty() {
        return Ok(format!(
            "Session of {}",
            chrono::Utc::now().format("%Y-%m-%d %H:%M UTC")
        ));
    }
    if name.chars().count() > MAX_SESSION_NAME {
        return Err(AdminError::BadRequest(format!(
            "name: at most {MAX_SESSION_NAME} characters"
        )));
    }
    if name.chars().any(char::is_control) {
        return Err(AdminError::BadRequest("name: no control characters".into()));
    }
    Ok(name.to_owned())
}

/// Start a new session: the store files everything from now on under it, and the live view
/// starts empty (flows still open reappear at conntrack's next dump as the new session's).
/// The previous session is kept or deleted (`keep_old`, default `history.keep_old_sessions`);
/// deleting runs in the background, in chunks.
pub async fn start_session(
    app: &AppState,
    name: Option<&str>,
    keep_old: Option<bool>,
) -> Result<StartedSession, AdminError> {
    let history = app.admin.history()?;
    let name = session_name(name)?;
    let kept = keep_old.unwrap_or_else(|| app.admin.settings.get().keep_old_sessions);
    let store = history.store.clone();
    let previous = store.current_session_id();
    let session = {
        let store = store.clone();
        blocking(move || Ok(store.start_session(&name)?)).await?
    };
    // The writer already files under the new session; now the views start over too.
    let fresh = (history.fresh_live)();
    app.live.write().start_over(fresh);
    if let Some(d) = &app.detect {
        d.alerts.write().clear();
    }
    tracing::info!(
        "admin: session {} \"{}\" started; previous session {previous} {}",
        session.id,
        session.name,
        if kept { "kept" } else { "deleted" }
    );
    if !kept && previous != session.id {
        tokio::task::spawn_blocking(move || match store.delete_session(previous) {
            Ok(d) => tracing::info!(
                "admin: session {previous} deleted ({} flows, {} answers)",
                d.flows,
                d.dns_answers
            ),
            Err(e) => tracing::warn!("admin: deleting session {previous} failed: {e}"),
        });
    }
    Ok(StartedSession {
        session,
        previous: (previous != 0).then_some(previous),
        kept,
    })
}

/// The routes of the admin side (merged in `web::router`).
pub fn routes() -> Router<AppState> {
    Router::new()
        .merge(pages::routes())
        .merge(sessions::routes())
        .merge(export::routes())
        .merge(settings::routes())
}
