//! `GET /api/v1/settings` and `POST /api/v1/settings` (admin): the `[history]` settings at
//! runtime. A change applies at once (retention runs again within moments) and is saved in
//! the config file when there is one that can be written; the answer says whether it was.

use axum::body::Bytes;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde::{Deserialize, Serialize};

use crate::config::HistoryConfig;
use crate::store::{DbSize, RetentionReport};
use crate::web::admin::{blocking, config_file, AdminError};
use crate::web::auth::{AdminSession, AdminWrite};
use crate::web::AppState;

/// Routes of this module.
pub fn routes() -> Router<AppState> {
    Router::new().route("/api/v1/settings", get(show).post(change))
}

/// The settings and the state they act on.
#[derive(Serialize)]
pub(crate) struct SettingsView {
    #[serde(flatten)]
    pub history: HistoryConfig,
    /// The database's size now (`None`: history is not saved).
    pub database: Option<DbSize>,
    /// What retention did last.
    pub last_retention: Option<RetentionReport>,
    /// The config file changes are saved in.
    pub config_file: Option<String>,
}

pub(crate) async fn view(app: &AppState) -> Result<SettingsView, AdminError> {
    let database = match app.admin.store().cloned() {
        Some(store) => Some(blocking(move || Ok(store.db_size()?)).await?),
        None => None,
    };
    Ok(SettingsView {
        history: app.admin.settings.get(),
        database,
        last_retention: app.admin.settings.last_report(),
        config_file: app
            .admin
            .config_file
            .as_ref()
            .map(|p| p.display().to_string()),
    })
}

async fn show(State(app): State<AppState>, _admin: AdminSession) -> Response {
    match view(&app).await {
        Ok(v) => Json(v).into_response(),
        Err(e) => e.into_response(),
    }
}

/// A partial update; missing keys keep their value.
#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub(crate) struct SettingsChange {
    pub retention_days: Option<u32>,
    pub max_db_mb: Option<u64>,
    pub keep_old_sessions: Option<bool>,
}

/// Whether a change was saved in the config file.
#[derive(Serialize)]
pub(crate) struct Saved {
    pub persisted: bool,
    pub note: String,
}

/// Validate and apply a change; save it in the config file when possible.
pub(crate) async fn apply(app: &AppState, c: SettingsChange) -> Result<Saved, AdminError> {
    let mut h = app.admin.settings.get();
    if let Some(v) = c.retention_days {
        h.retention_days = v;
    }
    if let Some(v) = c.max_db_mb {
        h.max_db_mb = v;
    }
    if let Some(v) = c.keep_old_sessions {
        h.keep_old_sessions = v;
    }
    h.validate()
        .map_err(|e| AdminError::BadRequest(e.to_string()))?;
    app.admin.settings.set(&h);
    tracing::info!(
        "admin: history settings now retention_days = {}, max_db_mb = {}, keep_old_sessions = {}",
        h.retention_days,
        h.max_db_mb,
        h.keep_old_sessions
    );
    let Some(path) = app.admin.config_file.clone() else {
        return Ok(Saved {
            persisted: false,
            note: "no config file: the change lasts until the next restart".into(),
        });
    };
    let app2 = app.clone();
    let saved = blocking(move || {
        let _one_at_a_time = app2.admin.config_lock.lock();
        let result = std::fs::read_to_string(&path)
            .map_err(config_file::RewriteError::from)
            .and_then(|old| {
                let new = config_file::set_history(&old, &h)?;
                config_file::write_checked(&path, &old, &new, |c| c.history = h.clone())
            });
        Ok(match result {
            Ok(()) => Saved {
                persisted: true,
                note: format!("saved in {}", path.display()),
            },
            Err(e) => Saved {
                persisted: false,
                note: format!(
                    "not saved in {} ({e}): the change lasts until the next restart",
                    path.display()
                ),
            },
        })
    })
    .await?;
    Ok(saved)
}

async fn change(State(app): State<AppState>, _admin: AdminWrite, body: Bytes) -> Response {
    let c: SettingsChange = match serde_json::from_slice(&body) {
        Ok(c) => c,
        Err(e) => return AdminError::BadRequest(format!("body: {e}")).into_response(),
    };
    let saved = match apply(&app, c).await {
        Ok(s) => s,
        Err(e) => return e.into_response(),
    };
    match view(&app).await {
        Ok(v) => Json(serde_json::json!({
            "settings": v,
            "persisted": saved.persisted,
            "note": saved.note,
        }))
        .into_response(),
        Err(e) => e.into_response(),
    }
}
