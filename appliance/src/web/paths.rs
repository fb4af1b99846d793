//! `GET /api/v1/paths`: traffic grouped by device → registrable domain → organization →
//! country/city, for the sankey, the map and the presenter view (see `docs/API.md`).

use std::collections::BTreeMap;
use std::net::IpAddr;

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use chrono::Utc;
use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::correlate::{paths, PathDevice, PathQuery, PathRow};
use crate::web::viewer::Viewer;
use crate::web::AppState;

/// Longest window in seconds a request may ask for (closed flows stay in the live table
/// for `correlate.closed_retention_secs`; longer looks use `window=session`).
const MAX_WINDOW_SECS: i64 = 86_400;

/// Most rows one response carries (largest first); the views cut to their top-N anyway.
const MAX_ROWS: usize = 20_000;

/// Routes of this module.
pub fn routes() -> Router<AppState> {
    Router::new().route("/api/v1/paths", get(paths_handler))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Params {
    /// Seconds (`60`, `300`, `900`, ...) or `session`.
    window: Option<String>,
    /// Only this device.
    device: Option<IpAddr>,
}

/// A device as the views name it.
#[derive(Debug, Serialize)]
struct DeviceName {
    id: PathDevice,
    name: String,
    you: bool,
}

#[derive(Serialize)]
struct PathsBody {
    window: String,
    generated: chrono::DateTime<Utc>,
    privacy: bool,
    you: IpAddr,
    truncated: bool,
    devices: Vec<DeviceName>,
    paths: Vec<PathRow>,
}

fn bad_request(message: impl Into<String>) -> Response {
    (
        StatusCode::BAD_REQUEST,
        Json(json!({ "error": message.into() })),
    )
        .into_response()
}

async fn paths_handler(
    State(app): State<AppState>,
    viewer: Viewer,
    params: Result<Query<Params>, axum::extract::rejection::QueryRejection>,
) -> Response {
    let Query(p) = match params {
        Ok(p) => p,
        Err(e) => return bad_request(e.body_text()),
    };
    let window = p.window.unwrap_or_else(|| "300".into());
    let since = if window == "session" {
        None
    } else {
        match window.parse::<i64>() {
            Ok(s) if (1..=MAX_WINDOW_SECS).contains(&s) => {
                Some(Utc::now() - chrono::Duration::seconds(s))
            }
            _ => {
                return bad_request(format!(
                    "window must be a number of seconds from 1 to {MAX_WINDOW_SECS}, or \"session\"; got {window:?}"
                ));
            }
        }
    };
    // Privacy mode: a device may filter to itself only; the group rows fold everyone else.
    let device = match (viewer.private, p.device) {
        (true, Some(_)) => match viewer.restrict(p.device) {
            Ok(d) => d,
            Err(refused) => return refused,
        },
        (_, asked) => asked.map(|ip| crate::model::DeviceId(ip.to_canonical())),
    };
    let query = PathQuery {
        since,
        device,
        private_to: viewer.private.then_some(Some(viewer.device)),
    };
    let mut rows = {
        let live = app.live.read();
        paths::aggregate(&live.paths, live.flows.iter(), &query)
    };
    let truncated = rows.len() > MAX_ROWS;
    rows.truncate(MAX_ROWS);
    let mut devices: BTreeMap<PathDevice, DeviceName> = BTreeMap::new();
    for r in &rows {
        devices.entry(r.device).or_insert_with(|| DeviceName {
            id: r.device,
            name: match r.device {
                PathDevice::Device(d) => app.device_name(d),
                PathDevice::Others => "Other devices".into(),
            },
            you: r.device == PathDevice::Device(viewer.device),
        });
    }
    Json(PathsBody {
        window,
        generated: Utc::now(),
        privacy: viewer.private,
        you: viewer.device.ip(),
        truncated,
        devices: devices.into_values().collect(),
        paths: rows,
    })
    .into_response()
}
