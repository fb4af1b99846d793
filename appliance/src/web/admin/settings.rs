//! The `[history]` settings at runtime: `GET /api/v1/settings` and `POST /api/v1/settings`
//! (admin, for scripts) and the admin page's form `POST /admin/settings`. A change applies at once (retention runs again within moments) and is saved in
//! the config file when there is one that can be written; the answer says whether it was.

use axum::body::Bytes;
use axum::extract::rejection::FormRejection;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Form, Json, Router};
use serde::{Deserialize, Serialize};

use crate::config::file_rewrite;
use crate::web::admin::page::{back_to_admin, checked_form, failed, keep_old, HasCsrf};
use crate::web::admin::state::{blocking, AdminError};
use crate::web::auth::{AdminSession, AdminWrite};
use crate::web::AppState;

/// Routes of the settings: JSON and form.
pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/settings", get(show).post(change))
        .route("/admin/settings", post(save_settings))
}

async fn show(State(app): State<AppState>, _admin: AdminSession) -> Response {
    match app.admin.settings_view().await {
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
    h.validate().map_err(|e| {
        AdminError::BadRequest(crate::i18n::Complaint::new(
            "settings",
            [("error", e.to_string())],
        ))
    })?;
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
            .map_err(file_rewrite::RewriteError::from)
            .and_then(|old| {
                let new = file_rewrite::set_history(&old, &h)?;
                file_rewrite::write_checked(&path, &old, &new, |c| c.history = h.clone())
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
        Err(e) => {
            return AdminError::BadRequest(crate::i18n::Complaint::new(
                "body",
                [("error", e.to_string())],
            ))
            .into_response()
        }
    };
    let saved = match apply(&app, c).await {
        Ok(s) => s,
        Err(e) => return e.into_response(),
    };
    match app.admin.settings_view().await {
        Ok(v) => Json(serde_json::json!({
            "settings": v,
            "persisted": saved.persisted,
            "note": saved.note,
        }))
        .into_response(),
        Err(e) => e.into_response(),
    }
}

// ---- the admin page's form

#[derive(Deserialize)]
struct SettingsForm {
    #[serde(default)]
    csrf: String,
    retention_days: Option<String>,
    max_db_mb: Option<String>,
    old: Option<String>,
}

impl HasCsrf for SettingsForm {
    fn csrf(&self) -> &str {
        &self.csrf
    }
}

fn number<T: std::str::FromStr>(key: &str, v: Option<&str>) -> Result<Option<T>, AdminError> {
    match v.map(str::trim).filter(|v| !v.is_empty()) {
        None => Ok(None),
        Some(v) => v.parse().map(Some).map_err(|_| {
            AdminError::BadRequest(crate::i18n::Complaint::new(
                "not-a-number",
                [
                    ("key", format!("history.{key}")),
                    ("value", format!("{v:?}")),
                ],
            ))
        }),
    }
}

async fn save_settings(
    State(app): State<AppState>,
    admin: AdminSession,
    headers: HeaderMap,
    form: Result<Form<SettingsForm>, FormRejection>,
) -> Response {
    let f = match checked_form(&app, &admin, &headers, form).await {
        Ok(f) => f,
        Err(res) => return res,
    };
    let change = (|| {
        Ok::<_, AdminError>(SettingsChange {
            retention_days: number("retention_days", f.retention_days.as_deref())?,
            max_db_mb: number("max_db_mb", f.max_db_mb.as_deref())?,
            keep_old_sessions: keep_old(f.old.as_deref())?,
        })
    })();
    let result = match change {
        Ok(c) => apply(&app, c).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(saved) if saved.persisted => back_to_admin("settings"),
        Ok(_) => back_to_admin("settings-runtime"),
        Err(e) => failed(&app, &admin, e).await,
    }
}
