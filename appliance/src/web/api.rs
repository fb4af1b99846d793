//! `GET /api/v1/flows`, `/dns`, `/devices`, `/status`.

use std::net::IpAddr;
use std::sync::Arc;

use axum::extract::FromRequestParts;
use axum::extract::{Query, State};
use axum::http::request::Parts;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::model::{DeviceId, DnsLogEntry, FlowRecord, FlowState};
use crate::web::viewer::Viewer;
use crate::web::AppState;

/// Flows serialised per chunk of a `/flows` response (~130 KB of JSON).
const LISTING_CHUNK: usize = 256;

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
struct AnswerList<'a> {
    answers: Vec<&'a DnsLogEntry>,
}

/// [`ListQuery`] from the query string; one that does not parse is refused with a JSON 400
/// saying which parameter and why.
pub struct Listing(pub ListQuery);

impl<S: Send + Sync> FromRequestParts<S> for Listing {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        Query::<ListQuery>::from_request_parts(parts, state)
            .await
            .map(|Query(q)| Listing(q))
            .map_err(|e| bad_request(e.body_text()))
    }
}

fn bad_request(message: String) -> Response {
    (StatusCode::BAD_REQUEST, Json(json!({ "error": message }))).into_response()
}

async fn flows(State(app): State<AppState>, viewer: Viewer, Listing(q): Listing) -> Response {
    let device = match viewer.restrict(q.device) {
        Ok(d) => d,
        Err(refused) => return refused.into_response(),
    };
    let want_state = match q.state.as_deref() {
        None => None,
        Some("open") => Some(FlowState::Open),
        Some("closed") => Some(FlowState::Closed),
        Some(other) => {
            return bad_request(format!(
                "state must be \"open\" or \"closed\", not {other:?}"
            ));
        }
    };
    let limit = q
        .limit
        .unwrap_or(MAX_FLOWS_PER_RESPONSE)
        .min(MAX_FLOWS_PER_RESPONSE);
    // Shared handles only, taken under the read lock (8 bytes a flow); the JSON is produced
    // after the lock is released, in chunks as the client reads: neither the correlator nor the
    // memory waits on a large listing or a slow client.
    let mut flows: Vec<Arc<FlowRecord>> = {
        let live = app.live.read();
        live.flows
            .shared()
            .filter(|f| device.is_none_or(|d| f.device_ip == d))
            .filter(|f| want_state.is_none_or(|s| f.state == s))
            .cloned()
            .collect()
    };
    let total = flows.len();
    if flows.len() > limit {
        flows.sort_by_key(|f| std::cmp::Reverse(f.last_seen));
        flows.truncate(limit);
    }
    let truncated = total > flows.len();
    let head = format!("{{\"total\":{total},\"truncated\":{truncated},\"flows\":[");
    let chunks = futures::stream::unfold(Some((flows, 0usize, head)), |st| async move {
        let (flows, at, head) = st?;
        let end = (at + LISTING_CHUNK).min(flows.len());
        let mut buf = head.into_bytes();
        for (i, f) in flows[at..end].iter().enumerate() {
            if at + i > 0 {
                buf.push(b',');
            }
            if let Err(e) = serde_json::to_writer(&mut buf, &**f) {
                // Cannot happen for these types; end the body rather than send broken JSON.
                return Some((Err(e), None));
            }
        }
        if end == flows.len() {
            buf.extend_from_slice(b"]}");
            return Some((Ok(buf), None));
        }
        Some((Ok(buf), Some((flows, end, String::new()))))
    });
    (
        [(header::CONTENT_TYPE, "application/json")],
        axum::body::Body::from_stream(chunks),
    )
        .into_response()
}

async fn dns(State(app): State<AppState>, viewer: Viewer, Listing(q): Listing) -> Response {
    if q.state.is_some() {
        return bad_request("state applies to flows only".into());
    }
    let device = match viewer.restrict(q.device) {
        Ok(d) => d,
        Err(refused) => return refused.into_response(),
    };
    let live = app.live.read();
    let mut answers = live.dns.entries(device);
    if let Some(limit) = q.limit {
        answers.sort_by_key(|a| std::cmp::Reverse(a.at));
        answers.truncate(limit);
    }
    let body = Json(AnswerList { answers }).into_response();
    drop(live);
    body
}

async fn devices(State(app): State<AppState>, viewer: Viewer) -> Response {
    let live = app.live.read();
    let mut devices = live.device_totals.summaries(live.flows.iter());
    drop(live);
    let listed: std::collections::HashSet<IpAddr> = devices.iter().map(|d| d.ip.ip()).collect();
    // Privacy mode: a device sees itself only.
    devices.retain(|d| viewer.may_see(d.ip));
    let mut out: Vec<(IpAddr, serde_json::Value)> = devices
        .iter()
        .filter_map(|d| {
            let serde_json::Value::Object(mut row) = serde_json::to_value(d).ok()? else {
                return None;
            };
            add_identity(
                &mut row,
                &app.devices.describe(d.ip.ip()),
                &app,
                &viewer,
                d.ip,
            );
            Some((d.ip.ip(), row.into()))
        })
        .collect();
    // Devices on the LAN (a DHCP lease, the neighbour table) that have not asked for a name
    // nor opened a flow yet: listed once, at their preferred address.
    for p in app.devices.present() {
        let Some(&ip) = p.ips.first() else { continue };
        if p.ips.iter().any(|a| listed.contains(a)) || !viewer.may_see(DeviceId(ip)) {
            continue;
        }
        let mut row = serde_json::Map::new();
        row.insert("ip".into(), json!(ip));
        row.insert("first_seen".into(), json!(p.info.first_seen));
        row.insert("last_seen".into(), json!(p.info.last_seen));
        for k in [
            "dns_answers",
            "flows_total",
            "flows_open",
            "bytes_up",
            "bytes_down",
        ] {
            row.insert(k.into(), json!(0));
        }
        add_identity(&mut row, &p.info, &app, &viewer, DeviceId(ip));
        out.push((ip, row.into()));
    }
    out.sort_by_key(|(ip, _)| *ip);
    let list: Vec<serde_json::Value> = out.into_iter().map(|(_, v)| v).collect();
    Json(json!({ "devices": list })).into_response()
}

/// The device registry's counters for `/api/v1/status`.
fn device_stats(app: &AppState) -> serde_json::Value {
    let d = &app.devices.stats;
    let g = |c: &std::sync::atomic::AtomicU64| c.load(std::sync::atomic::Ordering::Relaxed);
    json!({
        "known": app.devices.len(),
        "max": app.devices.max_devices(),
        "lease_reads": g(&d.lease_reads),
        "leases": g(&d.leases),
        "lease_bad_lines": g(&d.lease_bad_lines),
        "neighbour_dumps": g(&d.neighbour_dumps),
        "neighbour_messages": g(&d.neighbour_messages),
        "neighbour_overflows": g(&d.neighbour_overflows),
        "identity_changes": g(&d.identity_changes),
    })
}

/// The identity fields of a `/devices` row (never the MAC address). It is a group view:
/// `name` is the group views' name ([`AppState::device_name`]); the DHCP host name and the
/// vendor are shown to the device itself only, or to everyone with
/// `web.group_names = "hostname"` (`null` otherwise).
fn add_identity(
    row: &mut serde_json::Map<String, serde_json::Value>,
    info: &crate::devices::DeviceInfo,
    app: &AppState,
    viewer: &Viewer,
    device: DeviceId,
) {
    let own = viewer.device == device;
    let open = own || app.group_names == crate::config::GroupNames::Hostname;
    row.insert("name".into(), json!(info.group_name(app.group_names)));
    row.insert("pseudonym".into(), json!(info.pseudonym));
    row.insert("emoji".into(), json!(info.emoji));
    row.insert("you".into(), json!(own));
    row.insert(
        "hostname".into(),
        json!(info.hostname.as_ref().filter(|_| open)),
    );
    row.insert("vendor".into(), json!(info.vendor.filter(|_| open)));
    row.insert("randomised_mac".into(), json!(open && info.randomised_mac));
    row.insert("nickname".into(), json!(info.nickname));
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
        "data": app
            .enricher
            .describe()
            .into_iter()
            .chain([crate::devices::oui::OuiTable::builtin().describe()])
            .collect::<Vec<_>>(),
        "history": app.store_stats.as_ref().map(|w| {
            let g = |c: &std::sync::atomic::AtomicU64| c.load(std::sync::atomic::Ordering::Relaxed);
            json!({ "written": g(&w.written), "batches": g(&w.batches), "dropped": g(&w.dropped), "failed": g(&w.failed), "discarded": g(&w.discarded) })
        }),
        "devices": device_stats(&app),
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
    let list: Vec<_> = crate::model::Category::ALL
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
