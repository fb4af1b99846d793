//! `GET /api/v1/flows`, `/dns`, `/devices`, `/status`.

use std::net::IpAddr;

use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::correlate::{DnsLogEntry, FlowRecord, FlowState};
use crate::model::DeviceId;
use crate::web::AppState;

/// Most flows one response carries; more are cut (the response says so).
const MAX_FLOWS_PER_RESPONSE: usize = 100_000;

/// Routes of this module.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/flows", get(flows))
        .route("/api/v1/dns", get(dns))
        .route("/api/v1/devices", get(devices))
        .route("/api/v1/status", get(status))
        .route("/api/v1/attribution", get(attribution))
        .route("/api/v1/categories", get(categories))
}

/// Filters shared by the list endpoints.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ListQuery {
    /// Only this device (`?device=192.0.2.10`).
    pub device: Option<IpAddr>,
    /// Only open or only closed flows (`?state=open`).
    pub state: Option<String>,
    /// At most this many entries (newest kept).
    pub limit: Option<usize>,
}

#[derive(Serialize)]
struct FlowList<'a> {
    flows: Vec<&'a FlowRecord>,
    total: usize,
    truncated: bool,
}

#[derive(Serialize)]
struct AnswerList<'a> {
    answers: Vec<&'a DnsLogEntry>,
}

/// A query string that does not parse: say which parameter and why.
fn rejected(e: QueryRejection) -> Response {
    bad_request(e.body_text())
}

fn bad_request(message: String) -> Response {
    (StatusCode::BAD_REQUEST, Json(json!({ "error": message }))).into_response()
}

async fn flows(
    State(app): State<AppState>,
    query: Result<Query<ListQuery>, QueryRejection>,
) -> Response {
    let q = match query {
        Ok(Query(q)) => q,
        Err(e) => return rejected(e),
    };
    let want_state = match q.state.as_deref() {
        None => None,
        Some("open") => Some(FlowState::Open),
        Some("closed") => Some(FlowState::Closed),
        Some(other) => {
            return bad_request(format!(
                "state must be \"open\" or \"closed\", not {other:?}"
            ))
        }
    };
    let limit = q
        .limit
        .unwrap_or(MAX_FLOWS_PER_RESPONSE)
        .min(MAX_FLOWS_PER_RESPONSE);
    let live = app.live.read();
    let mut flows: Vec<_> = live
        .flows
        .iter()
        .filter(|f| q.device.is_none_or(|d| f.device_ip == DeviceId(d)))
        .filter(|f| want_state.is_none_or(|s| f.state == s))
        .collect();
    let total = flows.len();
    if flows.len() > limit {
        flows.sort_by_key(|f| std::cmp::Reverse(f.last_seen));
        flows.truncate(limit);
    }
    let truncated = total > flows.len();
    // Serialised straight from the borrowed records under the read lock: no copy of the
    // table, no intermediate JSON tree (10,000 flows would cost tens of MB as a tree).
    // One buffer sized for the whole answer (~520 bytes a flow): growing by doubling would
    // briefly hold up to twice the listing.
    let mut buf = Vec::with_capacity(64 + flows.len() * 560);
    let written = serde_json::to_writer(
        &mut buf,
        &FlowList {
            flows,
            total,
            truncated,
        },
    );
    drop(live);
    match written {
        Ok(()) => ([(header::CONTENT_TYPE, "application/json")], buf).into_response(),
        Err(e) => (
            StatusCode::INTERNAL_SERVER_ERROR,
            format!("cannot encode flows: {e}\n"),
        )
            .into_response(),
    }
}

async fn dns(
    State(app): State<AppState>,
    query: Result<Query<ListQuery>, QueryRejection>,
) -> Response {
    let q = match query {
        Ok(Query(q)) => q,
        Err(e) => return rejected(e),
    };
    if q.state.is_some() {
        return bad_request("state applies to flows only".into());
    }
    let live = app.live.read();
    let mut answers = live.dns.entries(q.device.map(DeviceId));
    if let Some(limit) = q.limit {
        answers.sort_by_key(|a| std::cmp::Reverse(a.at));
        answers.truncate(limit);
    }
    let body = Json(AnswerList { answers }).into_response();
    drop(live);
    body
}

async fn devices(State(app): State<AppState>) -> Response {
    let live = app.live.read();
    let devices = live.devices.summaries(live.flows.iter());
    drop(live);
    Json(json!({ "devices": devices })).into_response()
}

async fn status(State(app): State<AppState>) -> Response {
    let (live, closed) = {
        let l = app.live.read();
        (l.flows.live_count(), l.flows.closed_count())
    };
    let s = app.status.snapshot();
    Json(json!({
        "version": env!("CARGO_PKG_VERSION"),
        "flows_open": live,
        "flows_closed_kept": closed,
        "counters": s,
        "data": app.enricher.describe(),
        "history": app.store_stats.as_ref().map(|w| {
            let g = |c: &std::sync::atomic::AtomicU64| c.load(std::sync::atomic::Ordering::Relaxed);
            json!({ "written": g(&w.written), "batches": g(&w.batches), "dropped": g(&w.dropped), "failed": g(&w.failed) })
        }),
        "warnings": s.warnings,
    }))
    .into_response()
}

async fn attribution() -> Response {
    match crate::enrich::attribution::sources() {
        Ok(sources) => Json(json!({ "sources": sources })).into_response(),
        // Compiled in and unit-tested; a failure here is a broken build, said plainly.
        Err(e) => (
            StatusCode::INTERNAL_SERVER_ERROR,
            Json(json!({ "error": format!("data manifest unreadable: {e}") })),
        )
            .into_response(),
    }
}

/// The fixed set of categories with the words the UI uses to explain them.
async fn categories() -> Response {
    let list: Vec<_> = crate::enrich::category::Category::ALL
        .iter()
        .map(|c| {
            json!({
                "id": c.as_str(),
                "label": c.label(),
                "explain": c.explain(),
                "tracking": c.is_tracking(),
            })
        })
        .collect();
    Json(json!({ "categories": list })).into_response()
}
