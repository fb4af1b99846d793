//! `GET /api/v1/sessions` (anyone), `POST /api/v1/sessions` and
//! `DELETE /api/v1/sessions/{id}` (admin), `GET /api/v1/admin` (the login, for scripts).

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::session::{self, StartedSession};
use crate::store::Session;
use crate::web::admin::{blocking, AdminError};
use crate::web::auth::{AdminSession, AdminWrite};
use crate::web::AppState;

/// Routes of this module.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/sessions", get(list).post(create))
        .route("/api/v1/sessions/{id}", delete(remove))
        .route("/api/v1/admin", get(whoami))
}

/// A session as the list shows it.
#[derive(Serialize)]
pub(crate) struct SessionView {
    #[serde(flatten)]
    pub session: Session,
    /// Whether new data goes to it.
    pub current: bool,
}

/// All sessions, newest first, with the current one marked.
pub(crate) async fn session_list(app: &AppState) -> Result<Vec<SessionView>, AdminError> {
    let Some(store) = app.admin.store().cloned() else {
        return Ok(Vec::new());
    };
    blocking(move || {
        let current = store.current_session_id();
        Ok(store
            .sessions()?
            .into_iter()
            .map(|s| SessionView {
                current: s.id == current,
                session: s,
            })
            .collect())
    })
    .await
}

/// Start a new session ([`session::start_session`]); `keep_old` defaults to
/// `history.keep_old_sessions`.
pub(crate) async fn start(
    app: &AppState,
    name: Option<&str>,
    keep_old: Option<bool>,
) -> Result<StartedSession, AdminError> {
    let keep_old = keep_old.unwrap_or_else(|| app.admin.settings.get().keep_old_sessions);
    Ok(session::start_session(&app.stages(), name, keep_old).await?)
}

async fn list(State(app): State<AppState>) -> Response {
    match session_list(&app).await {
        Ok(sessions) => Json(json!({
            "history": app.admin.store().is_some(),
            "sessions": sessions,
        }))
        .into_response(),
        Err(e) => e.into_response(),
    }
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct NewSession {
    name: Option<String>,
    keep_old: Option<bool>,
}

async fn create(State(app): State<AppState>, _admin: AdminWrite, body: Bytes) -> Response {
    let req: NewSession = if body.iter().all(u8::is_ascii_whitespace) {
        NewSession::default()
    } else {
        match serde_json::from_slice(&body) {
            Ok(r) => r,
            Err(e) => return AdminError::BadRequest(format!("body: {e}")).into_response(),
        }
    };
    match start(&app, req.name.as_deref(), req.keep_old).await {
        Ok(started) => (StatusCode::CREATED, Json(started)).into_response(),
        Err(e) => e.into_response(),
    }
}

async fn remove(State(app): State<AppState>, _admin: AdminWrite, Path(id): Path<i64>) -> Response {
    let Some(store) = app.admin.store().cloned() else {
        return AdminError::NoHistory.into_response();
    };
    match blocking(move || Ok(store.delete_session(id)?)).await {
        Ok(deleted) => Json(json!({ "deleted": deleted })).into_response(),
        Err(e) => e.into_response(),
    }
}

async fn whoami(admin: AdminSession) -> Response {
    let mut res = Json(json!({
        "logged_in": true,
        "csrf_token": admin.csrf_token(),
        "expires_at": admin.expires_at,
    }))
    .into_response();
    res.headers_mut().insert(
        axum::http::header::CACHE_CONTROL,
        axum::http::HeaderValue::from_static("no-store"),
    );
    res
}
