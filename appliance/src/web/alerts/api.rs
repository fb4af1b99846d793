//! The alerts' JSON endpoints (see the table in `web::alerts`): the list, and the temporary
//! ignores an admin sets from an alert or as a rule.

use std::net::IpAddr;

use axum::extract::{FromRequestParts, Path, Query, State};
use axum::http::request::Parts;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post};
use axum::{Json, Router};
use chrono::Utc;
use serde::Deserialize;
use serde_json::json;

use crate::detect::rules::{Rule, TempIgnore};
use crate::detect::DetectHandle;
use crate::enrich::suffix::registrable_domain;
use crate::model::AlertKind;
use crate::web::alerts::listing::listing;
use crate::web::auth::{AdminSession, AdminWrite};
use crate::web::viewer::{Censoring, Viewer};
use crate::web::AppState;

/// Routes of the JSON side.
pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/alerts", get(list))
        .route("/api/v1/alerts/ignores", get(ignores).post(add_ignore))
        .route("/api/v1/alerts/ignores/{id}", delete(remove_ignore))
        .route("/api/v1/alerts/{id}/ignore", post(ignore_alert))
}

/// Most alerts one response lists.
const MAX_LIST: usize = 10_000;
/// Longest temporary ignore: one week.
const MAX_IGNORE_MINUTES: u32 = 7 * 24 * 60;
fn error(code: StatusCode, message: impl Into<String>) -> Response {
    (code, Json(json!({ "error": message.into() }))).into_response()
}

fn detectors_off() -> Response {
    error(
        StatusCode::SERVICE_UNAVAILABLE,
        "the detectors are off (detect.enabled = false)",
    )
}

/// `?device=&kind=&limit=`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct AlertQuery {
    device: Option<IpAddr>,
    kind: Option<String>,
    limit: Option<usize>,
}

/// [`AlertQuery`] from the query string; a bad one is a JSON 400 naming the parameter.
struct Listing(AlertQuery);

impl<S: Send + Sync> FromRequestParts<S> for Listing {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        Query::<AlertQuery>::from_request_parts(parts, state)
            .await
            .map(|Query(q)| Listing(q))
            .map_err(|e| error(StatusCode::BAD_REQUEST, e.body_text()))
    }
}

async fn list(
    State(app): State<AppState>,
    viewer: Viewer,
    Censoring(censor): Censoring,
    Listing(q): Listing,
) -> Response {
    let device = match viewer.restrict(q.device, &app.devices) {
        Ok(d) => d,
        Err(refused) => return refused.into_response(),
    };
    let kind = match q.kind.as_deref().map(str::parse::<AlertKind>) {
        None => None,
        Some(Ok(k)) => Some(k),
        Some(Err(e)) => return error(StatusCode::BAD_REQUEST, format!("kind: {e}")),
    };
    let limit = q.limit.unwrap_or(MAX_LIST).min(MAX_LIST);
    let (Some(detect), Some((listed, total))) =
        (&app.detect, listing(&app, &censor, device, kind, limit))
    else {
        return Json(json!({ "enabled": false, "alerts": [], "total": 0 })).into_response();
    };
    Json(json!({
        "enabled": true,
        "total": total,
        "alerts": listed,
        "stats": detect.stats.snapshot(),
    }))
    .into_response()
}

async fn ignores(State(app): State<AppState>, _admin: AdminSession) -> Response {
    let Some(detect) = &app.detect else {
        return detectors_off();
    };
    let now = Utc::now();
    let list: Vec<_> = detect.ignores.lock().active(now).cloned().collect();
    Json(json!({ "ignores": list })).into_response()
}

/// `POST /api/v1/alerts/{id}/ignore` body (all optional).
#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
struct IgnoreAlert {
    /// How long (default 60 minutes, at most a week).
    minutes: Option<u32>,
    /// Only for the alert's domain (its registrable domain), when it has one (default true).
    same_domain: Option<bool>,
}

/// `POST /api/v1/alerts/ignores` body.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct IgnoreRule {
    /// The rule (its `action` is ignored: a temporary rule always ignores).
    rule: Rule,
    /// How long (default 60 minutes, at most a week).
    minutes: Option<u32>,
}

/// How long a temporary ignore lasts; the error says what is allowed.
fn minutes(m: Option<u32>) -> Result<chrono::Duration, String> {
    match m.unwrap_or(60) {
        m @ 1..=MAX_IGNORE_MINUTES => Ok(chrono::Duration::minutes(i64::from(m))),
        _ => Err(format!(
            "minutes must be between 1 and {MAX_IGNORE_MINUTES}"
        )),
    }
}

/// Parse an optional JSON body (an empty body is the defaults).
fn body<T: serde::de::DeserializeOwned + Default>(bytes: &[u8]) -> Result<T, String> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Ok(T::default());
    }
    serde_json::from_slice(bytes).map_err(|e| e.to_string())
}

async fn ignore_alert(
    State(app): State<AppState>,
    _admin: AdminWrite,
    Path(id): Path<u64>,
    bytes: axum::body::Bytes,
) -> Response {
    let Some(detect) = &app.detect else {
        return detectors_off();
    };
    let req: IgnoreAlert = match body(&bytes) {
        Ok(r) => r,
        Err(e) => return error(StatusCode::BAD_REQUEST, e),
    };
    let span = match minutes(req.minutes) {
        Ok(s) => s,
        Err(e) => return error(StatusCode::BAD_REQUEST, e),
    };
    match ignore_from_alert(detect, id, span, req.same_domain.unwrap_or(true)) {
        Ok(t) => (StatusCode::CREATED, Json(json!({ "ignore": t }))).into_response(),
        Err((code, e)) => error(code, e),
    }
}

/// Ignore alert `id`'s kind for its device (and, with `same_domain`, only for the registrable
/// domain of its domain) for `span`.
pub(super) fn ignore_from_alert(
    detect: &DetectHandle,
    id: u64,
    span: chrono::Duration,
    same_domain: bool,
) -> Result<TempIgnore, (StatusCode, String)> {
    let Some(alert) = detect.alerts.read().get(id).cloned() else {
        return Err((StatusCode::NOT_FOUND, format!("there is no alert {id}")));
    };
    let mut rule = Rule {
        name: format!("ignored from alert {id} ({})", alert.rule),
        kinds: vec![alert.kind],
        ..Rule::default()
    };
    if let Some(d) = alert.device_ip {
        rule.devices.push(d.to_string());
    }
    if same_domain {
        if let Some(d) = &alert.domain {
            let zone = registrable_domain(d).unwrap_or_else(|| d.clone());
            rule.domains.push(zone.to_string());
        }
    }
    let now = Utc::now();
    detect
        .ignores
        .lock()
        .add(rule, Some(id), now, now + span)
        .map_err(|e| (StatusCode::BAD_REQUEST, e))
}

async fn add_ignore(
    State(app): State<AppState>,
    _admin: AdminWrite,
    Json(req): Json<IgnoreRule>,
) -> Response {
    let Some(detect) = &app.detect else {
        return detectors_off();
    };
    let span = match minutes(req.minutes) {
        Ok(s) => s,
        Err(e) => return error(StatusCode::BAD_REQUEST, e),
    };
    let now = Utc::now();
    match detect.ignores.lock().add(req.rule, None, now, now + span) {
        Ok(t) => (StatusCode::CREATED, Json(json!({ "ignore": t }))).into_response(),
        Err(e) => error(StatusCode::BAD_REQUEST, e),
    }
}

async fn remove_ignore(
    State(app): State<AppState>,
    _admin: AdminWrite,
    Path(id): Path<u64>,
) -> Response {
    let Some(detect) = &app.detect else {
        return detectors_off();
    };
    if detect.ignores.lock().remove(id) {
        StatusCode::NO_CONTENT.into_response()
    } else {
        error(StatusCode::NOT_FOUND, format!("there is no ignore {id}"))
    }
}
