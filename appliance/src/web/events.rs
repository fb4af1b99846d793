//! `GET /api/v1/events`: server-sent events of flow and DNS changes, and alerts.
//!
//! At most `web.max_event_clients` subscribers, `web.max_event_clients_per_device` from one
//! device (by MAC where known), so one student cannot hold every slot: `503` beyond.
//!
//! Each subscriber has a bounded buffer (the broadcast channel). A subscriber too slow to
//! keep up is not allowed to hold the pipeline back: it gets a `lagged` event saying how many
//! events it missed, and should re-read `/api/v1/flows`.
//!
//! In privacy mode a device gets its own events in full and, for everyone else's, only a
//! content-free `changed` event, so group views know to re-read their aggregates.
//!
//! The teacher's rules apply to what a non-admin subscriber gets, as on `/api/v1/flows`,
//! `/dns` and `/alerts` ([`crate::group_view::Censor`], re-resolved when the rules change):
//! a hidden device's events come without its address, a hidden domain's without its names.

use std::convert::Infallible;
use std::time::Duration;

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use futures::StreamExt;
use tokio_stream::wrappers::errors::BroadcastStreamRecvError;
use tokio_stream::wrappers::BroadcastStream;

use crate::group_view::{Censor, Shown};
use crate::model::LiveEvent;
use crate::web::clients::Full;
use crate::web::viewer::{Censoring, Viewer};
use crate::web::AppState;

/// Routes of this module.
pub fn routes() -> Router<AppState> {
    Router::new().route("/api/v1/events", get(events))
}

/// An event as this subscriber may see it, in the stream's JSON (`{"type": ..., ...}`).
fn shown(app: &AppState, censor: &Censor, ev: &LiveEvent) -> serde_json::Result<String> {
    if censor.hides_nothing() {
        return serde_json::to_string(ev);
    }
    let id = ev.device().map(|d| app.devices.identity(d.ip()));
    // A censored record in the event's own shape.
    let tagged = |key: &str, body: serde_json::Value| {
        let mut v = serde_json::Map::new();
        v.insert("type".into(), ev.name().into());
        v.insert(key.into(), body);
        serde_json::to_string(&v)
    };
    match ev {
        LiveEvent::FlowNew { flow }
        | LiveEvent::FlowUpdate { flow }
        | LiveEvent::FlowClosed { flow } => match id.map(|id| censor.flow(id, flow)) {
            Some(Shown::Censored(v)) => tagged("flow", v),
            _ => serde_json::to_string(ev),
        },
        LiveEvent::Dns { answer } => match id.map(|id| censor.answer(id, answer)) {
            Some(Shown::Censored(v)) => tagged("answer", v),
            _ => serde_json::to_string(ev),
        },
        LiveEvent::Alert { alert } => serde_json::to_string(&LiveEvent::Alert {
            alert: censor.alert(id, alert),
        }),
        LiveEvent::AlertUpdate { alert } => serde_json::to_string(&LiveEvent::AlertUpdate {
            alert: censor.alert(id, alert),
        }),
    }
}

async fn events(
    State(app): State<AppState>,
    viewer: Viewer,
    Censoring(censor): Censoring,
) -> Response {
    let permit = match app.event_slots.0.take_for(viewer.device.ip(), &app.devices) {
        Ok(p) => p,
        Err(full) => {
            let msg = match full {
                Full::Client => "too many event streams from this device (web.max_event_clients_per_device): close another tab\n",
                Full::Total => "too many event-stream subscribers (web.max_event_clients)\n",
            };
            return (StatusCode::SERVICE_UNAVAILABLE, msg).into_response();
        }
    };
    let mut censor = censor;
    let stream = BroadcastStream::new(app.events.subscribe()).map(move |item| {
        // The permit lives as long as the stream: dropping the connection frees the slot.
        let _slot = &permit;
        // The rules changed since the stream began (or since the last event): re-resolve.
        if let Some(at) = censor.generation() {
            if app.group_view.read().generation() != at {
                censor = app.censor(&viewer, false);
            }
        }
        let event = match item {
            // An alert about no device (an outside host) is nobody's own in privacy mode.
            Ok(ev)
                if !ev
                    .device()
                    .map_or(!viewer.private, |d| viewer.may_see(d, &app.devices)) =>
            {
                Event::default()
                    .event("changed")
                    .data("{\"type\":\"changed\"}")
            }
            Ok(ev) => match shown(&app, &censor, &ev) {
                Ok(data) => Event::default().event(ev.name()).data(data),
                Err(e) => Event::default().event("error").data(e.to_string()),
            },
            Err(BroadcastStreamRecvError::Lagged(n)) => Event::default()
                .event("lagged")
                .data(format!("{{\"missed\":{n}}}")),
        };
        Ok::<_, Infallible>(event)
    });
    Sse::new(stream)
        .keep_alive(KeepAlive::new().interval(Duration::from_secs(15)))
        .into_response()
}
