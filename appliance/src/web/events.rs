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
//! A live view asks `?paths=<window>` (`60`, `300`, `900`, `session` or `mark`): its stream
//! then carries a `hello` (who the subscriber is), the view's `paths` snapshots — the same
//! bytes for every subscriber of the view, computed by `web::live_paths` — alerts and marks,
//! but no flow or DNS events (a phone drawing the sankey has no use for them).
//!
//! The teacher's rules apply to what a non-admin subscriber gets, as on `/api/v1/flows`,
//! `/dns` and `/alerts` ([`crate::group_view::Censor`], re-resolved when the rules change):
//! a hidden device's events come without its address, a hidden domain's without its names.

use std::convert::Infallible;
use std::time::Duration;

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use futures::stream::BoxStream;
use futures::StreamExt;
use serde::Deserialize;
use tokio_stream::wrappers::errors::BroadcastStreamRecvError;
use tokio_stream::wrappers::BroadcastStream;

use crate::correlate::paths::SameDevice;
use crate::correlate::PathDevice;
use crate::group_view::{Censor, Shown};
use crate::model::LiveEvent;
use crate::web::clients::Full;
use crate::web::fold::Rank;
use crate::web::live_paths::{FeedKey, Message};
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
        // The teacher's words to the whole class: nothing to censor.
        LiveEvent::Mark { .. } => serde_json::to_string(ev),
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Params {
    /// A live view's window: push its `paths` snapshots, leave flow and DNS events out.
    paths: Option<String>,
    /// With `paths`: `bytes` or `connections`, the rows folded to what the views draw, the
    /// largest by that (`web::fold`).
    fold: Option<String>,
    /// With `fold`: only this device's rows (an address, `others` or `hidden`).
    device: Option<String>,
    /// With `fold`: websites and companies kept (1 to 40, default 40).
    top: Option<String>,
}

/// A received event (or a gap) as this subscriber's stream event.
fn to_event(
    app: &AppState,
    viewer: &Viewer,
    censor: &mut Censor,
    item: Result<std::sync::Arc<LiveEvent>, BroadcastStreamRecvError>,
) -> Event {
    // The rules changed since the stream began (or since the last event): re-resolve.
    if let Some(at) = censor.generation() {
        if app.group_view.read().generation() != at {
            *censor = app.censor(viewer, false);
        }
    }
    match item {
        // An alert about no device (an outside host) is nobody's own in privacy mode; a mark
        // is everyone's.
        Ok(ev)
            if !matches!(*ev, LiveEvent::Mark { .. })
                && !ev
                    .device()
                    .map_or(!viewer.private, |d| viewer.may_see(d, &app.devices)) =>
        {
            Event::default()
                .event("changed")
                .data("{\"type\":\"changed\"}")
        }
        Ok(ev) => match shown(app, censor, &ev) {
            Ok(data) => Event::default().event(ev.name()).data(data),
            Err(e) => Event::default().event("error").data(e.to_string()),
        },
        Err(BroadcastStreamRecvError::Lagged(n)) => Event::default()
            .event("lagged")
            .data(format!("{{\"missed\":{n}}}")),
    }
}

async fn events(
    State(app): State<AppState>,
    viewer: Viewer,
    Censoring(censor): Censoring,
    params: Result<Query<Params>, axum::extract::rejection::QueryRejection>,
) -> Response {
    let view = match params {
        Ok(Query(Params {
            paths: None,
            fold: None,
            device: None,
            top: None,
        })) => None,
        Ok(Query(Params { paths: None, .. })) => {
            return (
                StatusCode::BAD_REQUEST,
                "fold, device and top go with paths\n",
            )
                .into_response()
        }
        Ok(Query(Params {
            paths: Some(w),
            fold,
            device,
            top,
        })) => {
            let top = match crate::web::fold::parse_top(top.as_deref()) {
                Ok(t) => t,
                Err(msg) => return (StatusCode::BAD_REQUEST, msg + "\n").into_response(),
            };
            let fold = match fold.as_deref().map(Rank::parse).transpose() {
                Ok(f) => f,
                Err(msg) => return (StatusCode::BAD_REQUEST, msg + "\n").into_response(),
            };
            let device = match (device.as_deref(), fold) {
                (None, _) => None,
                (Some(_), None) => {
                    return (StatusCode::BAD_REQUEST, "device goes with fold\n").into_response()
                }
                (Some("others"), _) => Some(PathDevice::Others),
                (Some("hidden"), _) => Some(PathDevice::Hidden),
                (Some(ip), _) => match ip.parse::<std::net::IpAddr>() {
                    // The addresses of one device are one device (as in the rows).
                    Ok(ip) => Some(PathDevice::Device(
                        SameDevice(app.devices.representatives())
                            .of(crate::model::DeviceId(ip.to_canonical())),
                    )),
                    Err(_) => {
                        return (
                            StatusCode::BAD_REQUEST,
                            "device must be an address, \"others\" or \"hidden\"\n",
                        )
                            .into_response()
                    }
                },
            };
            match FeedKey::new(&w, viewer.private.then_some(Some(viewer.device))) {
                Ok(k) => Some(FeedKey {
                    fold,
                    device,
                    top,
                    ..k
                }),
                Err(msg) => return (StatusCode::BAD_REQUEST, msg).into_response(),
            }
        }
        Err(e) => return (StatusCode::BAD_REQUEST, e.body_text()).into_response(),
    };
    let permit = match app.event_slots.0.take_for(viewer.device.ip(), &app.devices) {
        Ok(p) => p,
        Err(full) => {
            let msg = match full {
                Full::Client => "too many event streams from this device (web.max_event_clients_per_device): close another tab; this page updates every few seconds instead\n",
                Full::Total => "too many live viewers at once (web.max_event_clients): this page updates every few seconds instead\n",
            };
            return (StatusCode::SERVICE_UNAVAILABLE, msg).into_response();
        }
    };
    let mut censor = censor;
    let stream: BoxStream<'static, Event> = match view {
        None => {
            let app = app.clone();
            BroadcastStream::new(app.events.subscribe())
                .map(move |item| to_event(&app, &viewer, &mut censor, item))
                .boxed()
        }
        Some(key) => {
            let you = SameDevice(app.devices.representatives()).of(viewer.device);
            let hello = serde_json::json!({
                "type": "hello",
                "you": you.ip(),
                "privacy": viewer.private,
                "window": key.window,
            });
            let hello = Event::default().event("hello").data(hello.to_string());
            // The same bytes for every subscriber of the feed (copied into each stream's
            // frame, never serialized again): the snapshot to start from, then what changes.
            let (start, rx) = app.path_feeds.subscribe(key);
            let feeds = app.path_feeds.clone();
            let start =
                futures::stream::iter(start.map(|s| Event::default().event("paths").data(&*s)));
            let snapshots = start.chain(BroadcastStream::new(rx).filter_map(move |m| {
                std::future::ready(match m {
                    Ok(Message::Full(s)) => Some(Event::default().event("paths").data(&*s)),
                    Ok(Message::Delta(s)) => Some(Event::default().event("paths_delta").data(&*s)),
                    // Fell behind: the whole view again, deltas from there on.
                    Err(BroadcastStreamRecvError::Lagged(_)) => feeds
                        .full(&key)
                        .map(|s| Event::default().event("paths").data(&*s)),
                })
            }));
            let app2 = app.clone();
            let alerts = BroadcastStream::new(app.path_feeds.alerts())
                .map(move |item| to_event(&app2, &viewer, &mut censor, item));
            futures::stream::once(std::future::ready(hello))
                .chain(futures::stream::select(snapshots, alerts))
                .boxed()
        }
    };
    let stream = stream.map(move |event| {
        // The permit lives as long as the stream: dropping the connection frees the slot.
        let _slot = &permit;
        Ok::<_, Infallible>(event)
    });
    Sse::new(stream)
        .keep_alive(KeepAlive::new().interval(Duration::from_secs(15)))
        .into_response()
}
