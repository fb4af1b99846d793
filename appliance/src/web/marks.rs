//! The teacher's marks and a session's time: `GET /api/v1/marks` (anyone: the views draw
//! them), `POST /api/v1/marks` (admin + `X-CSRF-Token`: "Mark now"), `GET /api/v1/timeline`
//! (anyone: bytes per minute per organization for this session, the presenter's and flows
//! page's chart), `GET /api/v1/sessions/{id}/timeline` and `GET /api/v1/sessions/{id}/replay`
//! (admin: any stored session, and its paths at one moment for the replay). See
//! `docs/API.md`.
//!
//! Setting a mark is an application action (`session::set_mark`): this module only reads
//! the request and answers. The timeline and replay frames are read from the store
//! (`store::marks`); the teacher's rules apply to them as to `/api/v1/paths`.

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use chrono::{DateTime, Utc};
use serde::Deserialize;
use serde_json::json;

use crate::correlate::PathDevice;
use crate::i18n::Complaint;
use crate::model::{Domain, MAX_MARK_LABEL};
use crate::session::{self, SessionError};
use crate::store::{ReplayFrame, Session, Store, StoreError, Timeline};
use crate::web::auth::{AdminSession, AdminWrite};
use crate::web::paths::device_names;
use crate::web::AppState;

/// Routes of this module.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/marks", get(list).post(create))
        .route("/api/v1/timeline", get(timeline_now))
        .route("/api/v1/sessions/{id}/timeline", get(timeline_of))
        .route("/api/v1/sessions/{id}/replay", get(replay))
}

/// How long the current session's timeline is served from [`TimelineCache`]: its steps are
/// whole minutes, and the pages read it every 30 s.
const TIMELINE_TTL: std::time::Duration = std::time::Duration::from_secs(20);

/// The current session's timeline as last computed: every presenter and sankey page reads it
/// (every 30 s), and a long class's takes most of a second to read from the store
/// (`bench store_size`), so it is computed at most once per [`TIMELINE_TTL`] for all of them,
/// and again at once for a new session, mark or rule of the teacher's.
#[derive(Default)]
pub struct TimelineCache(tokio::sync::Mutex<Option<CachedTimeline>>);

struct CachedTimeline {
    made: std::time::Instant,
    /// (session, marks, rules' generation): any change computes it again.
    key: (i64, usize, u64),
    body: serde_json::Value,
}

/// Longest replay window in seconds (the views' longest window but "session").
const MAX_REPLAY_WINDOW_SECS: i64 = 3_600;

/// A request the handler cannot take: `400` with the complaint in English and in the
/// reader's language.
fn bad(id: &'static str, args: impl IntoIterator<Item = (&'static str, String)>) -> Response {
    SessionError::BadRequest(Complaint::new(id, args)).into_response()
}

async fn list(State(app): State<AppState>) -> Response {
    let marks: Vec<_> = app.marks.read().iter().map(|m| (**m).clone()).collect();
    let session = app.admin.store().map(|s| s.current_session_id());
    Json(json!({ "session": session, "marks": marks })).into_response()
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NewMark {
    label: String,
}

async fn create(State(app): State<AppState>, _admin: AdminWrite, body: Bytes) -> Response {
    let req: NewMark = match serde_json::from_slice(&body) {
        Ok(r) => r,
        Err(e) => {
            return bad(
                "mark-body",
                [
                    ("max", MAX_MARK_LABEL.to_string()),
                    ("error", e.to_string()),
                ],
            )
        }
    };
    match session::set_mark(&app.stages(), &req.label).await {
        Ok(mark) => (StatusCode::CREATED, Json(json!({ "mark": &*mark }))).into_response(),
        Err(e) => e.into_response(),
    }
}

/// The stored session `id`, or a 404 saying it is gone.
fn stored_session(store: &Store, id: i64) -> Result<Session, SessionError> {
    store
        .session(id)?
        .ok_or(SessionError::Store(StoreError::NoSuchSession(id)))
}

/// A session's timeline with its marks, the teacher's hidden domains not named.
async fn timeline(app: &AppState, id: Option<i64>) -> Response {
    match timeline_json(app, id).await {
        Ok(v) => Json(v).into_response(),
        Err(e) => e.into_response(),
    }
}

/// [`timeline`]'s body (`id` `None`: the current session).
async fn timeline_json(app: &AppState, id: Option<i64>) -> Result<serde_json::Value, SessionError> {
    let Some(store) = app.admin.store().cloned() else {
        return Err(SessionError::NoHistory);
    };
    let hidden = app.group_view.read().resolve(|i| app.devices.addresses(i));
    session::blocking(move || {
        let id = id.unwrap_or_else(|| store.current_session_id());
        let session = stored_session(&store, id)?;
        let end = session.ended_at.unwrap_or_else(Utc::now);
        let span = (end - session.started_at).num_milliseconds();
        let (step_ms, steps) = Timeline::step_for(span);
        let cells = store.timeline_cells(id, session.started_at, step_ms)?;
        let marks = store.marks(id)?;
        let t = Timeline::fold(session.started_at, step_ms, steps, &cells, |d| {
            Domain::new(d).is_ok_and(|d| hidden.domain(Some(&d)))
        });
        Ok(json!({
            "session": session,
            "end": end,
            "start": t.start,
            "step_ms": t.step_ms,
            "steps": t.steps,
            "series": t.series,
            "marks": marks,
        }))
    })
    .await
}

async fn timeline_now(State(app): State<AppState>) -> Response {
    // History off: an empty chart, not an error (the pages read this on every load).
    let Some(store) = app.admin.store() else {
        return Json(json!({
            "history": false, "steps": 0, "step_ms": 60_000, "series": [], "marks": [],
        }))
        .into_response();
    };
    let key = (
        store.current_session_id(),
        app.marks.read().len(),
        app.group_view.read().generation(),
    );
    // Held while computing: viewers arriving meanwhile wait for this one's answer.
    let mut cached = app.timeline_cache.0.lock().await;
    if let Some(c) = cached.as_ref() {
        if c.key == key && c.made.elapsed() < TIMELINE_TTL {
            return Json(c.body.clone()).into_response();
        }
    }
    match timeline_json(&app, None).await {
        Ok(body) => {
            *cached = Some(CachedTimeline {
                made: std::time::Instant::now(),
                key,
                body: body.clone(),
            });
            Json(body).into_response()
        }
        Err(e) => e.into_response(),
    }
}

async fn timeline_of(
    State(app): State<AppState>,
    _admin: AdminSession,
    Path(id): Path<i64>,
) -> Response {
    timeline(&app, Some(id)).await
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ReplayParams {
    /// The moment, in milliseconds since the epoch (absent: the session's bounds and marks).
    at: Option<i64>,
    /// Seconds before `at` the frame covers (default 60).
    window: Option<i64>,
}

async fn replay(
    State(app): State<AppState>,
    _admin: AdminSession,
    Path(id): Path<i64>,
    params: Result<Query<ReplayParams>, axum::extract::rejection::QueryRejection>,
) -> Response {
    let Query(p) = match params {
        Ok(p) => p,
        Err(e) => return bad("query", [("error", e.body_text())]),
    };
    let window = p.window.unwrap_or(60);
    if !(1..=MAX_REPLAY_WINDOW_SECS).contains(&window) {
        return bad(
            "replay-window",
            [
                ("max", MAX_REPLAY_WINDOW_SECS.to_string()),
                ("value", window.to_string()),
            ],
        );
    }
    let at = match p.at.map(DateTime::from_timestamp_millis) {
        None => None,
        Some(Some(t)) => Some(t),
        Some(None) => return bad("replay-at", []),
    };
    let Some(store) = app.admin.store().cloned() else {
        return SessionError::NoHistory.into_response();
    };
    let result = session::blocking(move || {
        let session = stored_session(&store, id)?;
        match at {
            None => Ok(Err((session.clone(), store.marks(id)?))),
            Some(at) => {
                let since = at - chrono::Duration::seconds(window);
                Ok(Ok((session, store.replay_frame(id, since, at)?)))
            }
        }
    })
    .await;
    match result {
        Err(e) => e.into_response(),
        Ok(Err((session, marks))) => Json(json!({
            "session": session,
            "start": session.started_at,
            "end": session.ended_at.unwrap_or_else(Utc::now),
            "marks": marks,
        }))
        .into_response(),
        Ok(Ok((session, frame))) => frame_response(&app, &session, window, frame),
    }
}

/// A frame in `/api/v1/paths`'s shape (so the views draw it as they draw the live rows),
/// the teacher's rules applied (a projector logged in as admin shows the same).
fn frame_response(app: &AppState, session: &Session, window: i64, mut f: ReplayFrame) -> Response {
    let hidden = app.group_view.read().resolve(|i| app.devices.addresses(i));
    for r in &mut f.paths {
        if let PathDevice::Device(d) = r.device {
            if hidden.device(d) {
                r.device = PathDevice::Hidden;
            }
        }
        if hidden.domain(r.domain.as_ref()) {
            r.domain = None;
            r.org = None;
            r.domain_hidden = true;
        }
    }
    let devices = device_names(app, f.paths.iter().map(|r| r.device), None);
    Json(json!({
        "session": session.id,
        "window": window.to_string(),
        "at": f.at,
        "since": f.since,
        "generated": Utc::now(),
        "privacy": false,
        "you": null,
        "truncated": f.truncated,
        "devices": devices,
        "paths": f.paths,
    }))
    .into_response()
}
