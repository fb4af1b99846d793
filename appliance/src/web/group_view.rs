//! The teacher's group-view rules (`group_view`) over HTTP: JSON for scripts and the admin
//! page's forms (its "Projector" section, drawn by `admin::page`).
//!
//! | method | path | who |
//! |---|---|---|
//! | GET | `/api/v1/group-view` | admin |
//! | POST | `/api/v1/group-view` | admin + `X-CSRF-Token` |
//! | DELETE | `/api/v1/group-view/{id}` | admin + `X-CSRF-Token` |
//! | POST | `/admin/group-view`, `/admin/group-view/{id}/undo` | admin forms (`csrf` field) |
//!
//! The actions themselves are `session::add_group_rule` and `remove_group_rule`. See
//! `docs/API.md` ("Group views").

use axum::body::Bytes;
use axum::extract::rejection::FormRejection;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post};
use axum::{Form, Json, Router};
use serde::Deserialize;
use serde_json::json;

use crate::group_view::GroupViewError;
use crate::session::{self, SessionError};
use crate::web::admin::page::{
    back_to_admin, checked, checked_form, failed, rule_view, CsrfOnly, HasCsrf, RuleView,
};
use crate::web::auth::{AdminSession, AdminWrite};
use crate::web::AppState;

/// Routes of this module.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/group-view", get(show).post(add))
        .route("/api/v1/group-view/{id}", delete(remove))
        .route("/admin/group-view", post(form_add))
        .route("/admin/group-view/{id}/undo", post(form_undo))
}

fn rules(app: &AppState) -> (Vec<RuleView>, bool) {
    let g = app.group_view.read();
    let list = g.rules().iter().map(|r| rule_view(app, r)).collect();
    (list, g.names_off())
}

async fn show(State(app): State<AppState>, _admin: AdminSession) -> Response {
    let (list, names_off) = rules(&app);
    Json(json!({ "rules": list, "names_off": names_off })).into_response()
}

/// `POST /api/v1/group-view` body.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct NewRule {
    /// `device`, `nickname`, `domain` or `names`.
    kind: String,
    /// The device's address, the nickname, the domain; nothing for `names`.
    #[serde(default)]
    target: String,
    /// `hide`, `clear` or `lock`.
    action: String,
}

async fn add(State(app): State<AppState>, _admin: AdminWrite, body: Bytes) -> Response {
    let r: NewRule = match serde_json::from_slice(&body) {
        Ok(r) => r,
        Err(e) => {
            return SessionError::BadRequest(crate::i18n::Complaint::new(
                "body",
                [("error", e.to_string())],
            ))
            .into_response()
        }
    };
    match session::add_group_rule(&app.stages(), &r.kind, &r.target, &r.action).await {
        Ok(rule) => (
            StatusCode::CREATED,
            Json(json!({ "rule": rule_view(&app, &rule) })),
        )
            .into_response(),
        Err(e) => e.into_response(),
    }
}

/// A rule number from the path (a bad one is simply not found).
fn rule_id(id: &str) -> u64 {
    id.parse().unwrap_or(0)
}

async fn remove(
    State(app): State<AppState>,
    _admin: AdminWrite,
    Path(id): Path<String>,
) -> Response {
    match session::remove_group_rule(&app.stages(), rule_id(&id)).await {
        Ok(rule) => Json(json!({ "removed": rule_view(&app, &rule) })).into_response(),
        Err(e) => e.into_response(),
    }
}

// ---- the admin page's forms

#[derive(Deserialize)]
struct RuleForm {
    #[serde(default)]
    csrf: String,
    kind: Option<String>,
    target: Option<String>,
    action: Option<String>,
}

impl HasCsrf for RuleForm {
    fn csrf(&self) -> &str {
        &self.csrf
    }
}

async fn form_add(
    State(app): State<AppState>,
    admin: AdminSession,
    headers: HeaderMap,
    form: Result<Form<RuleForm>, FormRejection>,
) -> Response {
    let f = match checked_form(&app, &admin, &headers, form).await {
        Ok(f) => f,
        Err(res) => return res,
    };
    let field = |v: &Option<String>| v.clone().unwrap_or_default();
    match session::add_group_rule(
        &app.stages(),
        &field(&f.kind),
        &field(&f.target),
        &field(&f.action),
    )
    .await
    {
        Ok(_) => back_to_admin("group-view"),
        // Pressing "hide" twice is no failure.
        Err(SessionError::GroupView(GroupViewError::Duplicate(_))) => back_to_admin("group-view"),
        Err(e) => failed(&app, &admin, e).await,
    }
}

async fn form_undo(
    State(app): State<AppState>,
    admin: AdminSession,
    Path(id): Path<String>,
    headers: HeaderMap,
    form: Result<Form<CsrfOnly>, FormRejection>,
) -> Response {
    if let Err(res) = checked(&app, &admin, &headers, &form).await {
        return res;
    }
    match session::remove_group_rule(&app.stages(), rule_id(&id)).await {
        Ok(_) => back_to_admin("group-view-undone"),
        Err(e) => failed(&app, &admin, e).await,
    }
}
