//! Sessions: `GET /api/v1/sessions` (anyone), `POST /api/v1/sessions` and
//! `DELETE /api/v1/sessions/{id}` (admin, for scripts), and the admin page's forms
//! `POST /admin/sessions` (start one) and `POST /admin/sessions/{id}/delete`.

use axum::body::Bytes;
use axum::extract::rejection::FormRejection;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post};
use axum::{Form, Json, Router};
use serde::Deserialize;
use serde_json::json;

use crate::session::{self, StartedSession};
use crate::web::admin::page::{
    back_to_admin, checked, checked_form, failed, keep_old, CsrfOnly, HasCsrf,
};
use crate::web::admin::state::{blocking, AdminError};
use crate::web::auth::{AdminSession, AdminWrite};
use crate::web::AppState;

/// Routes of the sessions: JSON and forms.
pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/sessions", get(list).post(create))
        .route("/api/v1/sessions/{id}", delete(remove))
        .route("/admin/sessions", post(new_session))
        .route("/admin/sessions/{id}/delete", post(delete_session))
}

/// Start a new session ([`session::start_session`]); `keep_old` defaults to
/// `history.keep_old_sessions`; nicknames start fresh unless `keep_nicknames`.
pub(crate) async fn start(
    app: &AppState,
    name: Option<&str>,
    keep_old: Option<bool>,
    keep_nicknames: bool,
) -> Result<StartedSession, AdminError> {
    let keep_old = keep_old.unwrap_or_else(|| app.admin.settings.get().keep_old_sessions);
    session::start_session(&app.stages(), name, keep_old, keep_nicknames).await
}

async fn list(State(app): State<AppState>) -> Response {
    match app.admin.session_list().await {
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
    /// Keep the devices' nicknames into the new session (default: they start fresh).
    #[serde(default)]
    keep_nicknames: bool,
}

async fn create(State(app): State<AppState>, _admin: AdminWrite, body: Bytes) -> Response {
    let req: NewSession = if body.iter().all(u8::is_ascii_whitespace) {
        NewSession::default()
    } else {
        match serde_json::from_slice(&body) {
            Ok(r) => r,
            Err(e) => {
                return AdminError::BadRequest(crate::i18n::Complaint::new(
                    "body",
                    [("error", e.to_string())],
                ))
                .into_response()
            }
        }
    };
    match start(&app, req.name.as_deref(), req.keep_old, req.keep_nicknames).await {
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

// ---- the admin page's forms

#[derive(Deserialize)]
struct NewSessionForm {
    #[serde(default)]
    csrf: String,
    name: Option<String>,
    old: Option<String>,
    /// `keep`: the nicknames carry on into the new session (a checkbox, unchecked by default).
    nicknames: Option<String>,
}

impl HasCsrf for NewSessionForm {
    fn csrf(&self) -> &str {
        &self.csrf
    }
}

async fn new_session(
    State(app): State<AppState>,
    admin: AdminSession,
    headers: HeaderMap,
    form: Result<Form<NewSessionForm>, FormRejection>,
) -> Response {
    let f = match checked_form(&app, &admin, &headers, form).await {
        Ok(f) => f,
        Err(res) => return res,
    };
    let result = match keep_old(f.old.as_deref()) {
        Ok(keep) => {
            let keep_nicknames = f.nicknames.as_deref() == Some("keep");
            start(&app, f.name.as_deref(), keep, keep_nicknames).await
        }
        Err(e) => Err(e),
    };
    match result {
        Ok(_) => back_to_admin("started"),
        Err(e) => failed(&app, &admin, e).await,
    }
}

async fn delete_session(
    State(app): State<AppState>,
    admin: AdminSession,
    Path(id): Path<i64>,
    headers: HeaderMap,
    form: Result<Form<CsrfOnly>, FormRejection>,
) -> Response {
    if let Err(res) = checked(&app, &admin, &headers, &form).await {
        return res;
    }
    let Some(store) = app.admin.store().cloned() else {
        return failed(&app, &admin, AdminError::NoHistory).await;
    };
    match blocking(move || Ok(store.delete_session(id)?)).await {
        Ok(_) => back_to_admin("deleted"),
        Err(e) => failed(&app, &admin, e).await,
    }
}
