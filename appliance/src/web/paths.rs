//! `GET /api/v1/paths`: traffic grouped by device → registrable domain → organization →
//! country/city, for the sankey, the map and the presenter view (see `docs/API.md`).

use std::collections::{BTreeMap, VecDeque};
use std::net::IpAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use parking_lot::Mutex;

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use chrono::Utc;
use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::correlate::{paths, PathDevice, PathQuery, PathRow};
use crate::model::DeviceId;
use crate::web::fold;
use crate::web::viewer::Viewer;
use crate::web::AppState;

/// Longest window in seconds a request may ask for (closed flows stay in the live table
/// for `correlate.closed_retention_secs`; longer looks use `window=session`).
const MAX_WINDOW_SECS: i64 = 86_400;

/// Most rows one response carries (largest first); the views cut to their top-N anyway.
pub(crate) const MAX_ROWS: usize = 20_000;

/// How long an aggregate is reused: a classroom of phones re-reading after the same flow
/// event costs one pass over the flow table, not one per phone.
const CACHE_FOR: Duration = Duration::from_millis(250);

/// Aggregates kept at once (window × device filter × privacy viewer).
const CACHE_ENTRIES: usize = 16;

/// What an aggregate is cached under.
#[derive(Clone, Debug, PartialEq, Eq)]
struct CacheKey {
    window: String,
    device: Option<DeviceId>,
    private_to: Option<Option<DeviceId>>,
    /// The teacher's rules as of ([`crate::group_view::Grouping::generation`]): a change
    /// shows at once.
    rules: u64,
}

/// One computed aggregate and when.
struct Cached {
    key: CacheKey,
    at: Instant,
    rows: Arc<Vec<PathRow>>,
}

/// Recently computed aggregates (bounded, short-lived).
#[derive(Default)]
pub struct PathsCache {
    entries: Mutex<VecDeque<Cached>>,
}

impl PathsCache {
    fn get_or(&self, key: CacheKey, make: impl FnOnce() -> Vec<PathRow>) -> Arc<Vec<PathRow>> {
        let now = Instant::now();
        {
            let mut e = self.entries.lock();
            e.retain(|c| now.duration_since(c.at) < CACHE_FOR);
            if let Some(c) = e.iter().find(|c| c.key == key) {
                return Arc::clone(&c.rows);
            }
        }
        // Computed outside the cache's lock; two requests racing both compute, harmlessly.
        let rows = Arc::new(make());
        let mut e = self.entries.lock();
        if e.len() >= CACHE_ENTRIES {
            e.pop_front();
        }
        e.push_back(Cached {
            key,
            at: now,
            rows: Arc::clone(&rows),
        });
        rows
    }
}

/// Routes of this module.
pub fn routes() -> Router<AppState> {
    Router::new().route("/api/v1/paths", get(paths_handler))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Params {
    /// Seconds (`60`, `300`, `900`, ...), `session` or `mark` (since the latest mark).
    window: Option<String>,
    /// Only flows seen since then: `mark` (the latest mark) or a time in milliseconds since
    /// the Unix epoch (instead of `window`).
    since: Option<String>,
    /// Only this device.
    device: Option<IpAddr>,
    /// `bytes` or `connections`: the rows folded to what the live views draw, the largest
    /// by that (see `web::fold`).
    fold: Option<String>,
    /// With `fold`: websites and companies kept (1 to 40, default 40).
    top: Option<String>,
}

/// A device as the group views name it ([`AppState::device_name`]: never a host name, MAC
/// or address by default), with its pseudonym's emoji.
#[derive(Debug, Serialize)]
pub(crate) struct DeviceName {
    id: PathDevice,
    name: String,
    /// A name the appliance made ("Other devices") as a message of `views.ftl`.
    #[serde(skip_serializing_if = "Option::is_none")]
    name_words: Option<crate::devices::name::NameWords>,
    emoji: Option<&'static str>,
    you: bool,
}

#[derive(Serialize)]
struct PathsBody<'a> {
    window: String,
    generated: chrono::DateTime<Utc>,
    privacy: bool,
    you: IpAddr,
    truncated: bool,
    /// What the rows were folded by (`bytes`, `connections`), when folded.
    #[serde(skip_serializing_if = "Option::is_none")]
    fold: Option<&'static str>,
    /// Websites and companies kept, when folded.
    #[serde(skip_serializing_if = "Option::is_none")]
    top: Option<usize>,
    /// Rows before folding.
    #[serde(skip_serializing_if = "Option::is_none")]
    paths_total: Option<usize>,
    /// What folding left out.
    #[serde(skip_serializing_if = "Option::is_none")]
    others: Option<fold::Others>,
    devices: Vec<DeviceName>,
    paths: Vec<fold::Shown<'a>>,
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
    let folded = match p.fold.as_deref().map(fold::Rank::parse).transpose() {
        Ok(f) => f,
        Err(message) => return bad_request(message),
    };
    let top = match fold::parse_top(p.top.as_deref()) {
        Ok(t) => t,
        Err(message) => return bad_request(message),
    };
    let window = match (p.since, p.window) {
        (Some(_), Some(_)) => return bad_request("give either window or since, not both"),
        (Some(s), None) if s == "mark" => "mark".into(),
        (Some(s), None) => match s.parse::<i64>() {
            Ok(ms) if ms >= 0 => format!("since:{ms}"),
            _ => {
                return bad_request(format!(
                    "since must be \"mark\" or a time in milliseconds since 1970; got {:?}",
                    s.chars().take(40).collect::<String>()
                ))
            }
        },
        (None, w) => w.unwrap_or_else(|| "300".into()),
    };
    let since = match window_start(&app, &window) {
        Ok(s) => s,
        Err(message) => return bad_request(message),
    };
    // Privacy mode: a device may filter to itself only; the group rows fold everyone else.
    let device = match (viewer.private, p.device) {
        (true, Some(_)) => match viewer.restrict(p.device, &app.devices) {
            Ok(d) => d,
            Err(refused) => return refused.into_response(),
        },
        (_, asked) => asked.map(|ip| DeviceId(ip.to_canonical())),
    };
    // The addresses of one device are one device (by the registry, at read time).
    let same = paths::SameDevice(app.devices.representatives());
    let device = device.map(|d| same.of(d));
    let you = same.of(viewer.device);
    let query = PathQuery {
        since,
        device,
        private_to: viewer.private.then_some(Some(you)),
        min_others: app.privacy_min_devices,
    };
    // What the teacher hid, resolved to addresses now (a group view: never for the admin
    // either, so a projector logged in as admin shows the same).
    let (hidden, rules) = {
        let g = app.group_view.read();
        (g.resolve(|id| app.devices.addresses(id)), g.generation())
    };
    let key = CacheKey {
        window: window.clone(),
        device,
        private_to: query.private_to,
        rules,
    };
    let strict = only_active(&window);
    let all = app.paths_cache.get_or(key, || {
        let live = app.live.read();
        let flows = live.flows.iter().filter(|f| active(f, since, strict));
        paths::aggregate(&live.paths, flows, &query, &same, &hidden)
    });
    if let Some(rank) = folded {
        let f = fold::fold(all.to_vec(), rank, top);
        let devices = device_names(&app, all.iter().map(|r| r.device), Some(you));
        return Json(PathsBody {
            window,
            generated: Utc::now(),
            privacy: viewer.private,
            you: you.ip(),
            truncated: false,
            fold: Some(rank.name()),
            top: Some(top),
            paths_total: Some(all.len()),
            others: Some(f.others),
            devices,
            paths: f
                .rows
                .iter()
                .map(|(r, o)| fold::Shown::new(r, *o))
                .collect(),
        })
        .into_response();
    }
    let truncated = all.len() > MAX_ROWS;
    let rows = &all[..all.len().min(MAX_ROWS)];
    let devices = device_names(&app, rows.iter().map(|r| r.device), Some(you));
    Json(PathsBody {
        window,
        generated: Utc::now(),
        privacy: viewer.private,
        you: you.ip(),
        truncated,
        fold: None,
        top: None,
        paths_total: None,
        others: None,
        devices,
        paths: rows
            .iter()
            .map(|r| fold::Shown::new(r, fold::Other::default()))
            .collect(),
    })
    .into_response()
}

/// The time a window of `window` seconds (or `"session"`: `None`) starts at, or why `window`
/// is no window.
pub(crate) fn parse_window(window: &str) -> Result<Option<chrono::DateTime<Utc>>, String> {
    if window == "session" {
        return Ok(None);
    }
    match window.parse::<i64>() {
        Ok(s) if (1..=MAX_WINDOW_SECS).contains(&s) => {
            Ok(Some(Utc::now() - chrono::Duration::seconds(s)))
        }
        _ => Err(format!(
            "window must be a number of seconds from 1 to {MAX_WINDOW_SECS}, or \"session\"; got {window:?}"
        )),
    }
}

/// Does `window` count only flows with activity in it? "Since the mark" (`mark`, `since:`)
/// means what happened after that moment: a connection that finished before it but is
/// still open to conntrack (TCP's TIME_WAIT lasts two minutes) is not shown. The minute
/// windows keep showing every open connection, as they always have.
pub(crate) fn only_active(window: &str) -> bool {
    window == "mark" || window.starts_with("since:")
}

/// Is `f` in a window starting at `since` (`strict`: see [`only_active`])? The window's
/// own test ([`paths::aggregate`]) applies after this one.
pub(crate) fn active(
    f: &crate::model::FlowRecord,
    since: Option<chrono::DateTime<Utc>>,
    strict: bool,
) -> bool {
    !strict || since.is_none_or(|s| f.last_seen >= s)
}

/// Where a view's window starts: `mark` at the session's latest mark (the whole session
/// before the first), `since:<ms>` then, else as [`parse_window`].
pub(crate) fn window_start(
    app: &AppState,
    window: &str,
) -> Result<Option<chrono::DateTime<Utc>>, String> {
    if window == "mark" {
        return Ok(app.marks.read().last().map(|m| m.at));
    }
    if let Some(ms) = window.strip_prefix("since:") {
        return ms
            .parse::<i64>()
            .ok()
            .and_then(chrono::DateTime::from_timestamp_millis)
            .map(Some)
            .ok_or_else(|| format!("since must be a time in milliseconds; got {ms:?}"));
    }
    parse_window(window)
}

/// The devices of rows (each row's `device`, repeats allowed) as the group views name
/// them, `you` marked.
pub(crate) fn device_names(
    app: &AppState,
    rows: impl IntoIterator<Item = PathDevice>,
    you: Option<DeviceId>,
) -> Vec<DeviceName> {
    let mut devices: BTreeMap<PathDevice, DeviceName> = BTreeMap::new();
    for device in rows {
        devices.entry(device).or_insert_with(|| {
            let words = |id| {
                Some(crate::devices::name::NameWords {
                    id,
                    args: Default::default(),
                })
            };
            let (name, name_words, emoji) = match device {
                PathDevice::Device(d) => {
                    let info = app.devices.describe(d.ip());
                    // A pseudonym carries its words (the scripts say it in the reader's
                    // language); a nickname or host name has none.
                    let n = app.group_name(d.ip(), &info);
                    (n.to_string(), n.words(), Some(info.emoji))
                }
                PathDevice::Others => ("Other devices".into(), words("device-name-others"), None),
                PathDevice::Hidden => (
                    "Hidden devices".into(),
                    words("device-name-hidden-many"),
                    Some("🙈"),
                ),
            };
            DeviceName {
                id: device,
                name,
                name_words,
                emoji,
                you: you.is_some_and(|y| device == PathDevice::Device(y)),
            }
        });
    }
    devices.into_values().collect()
}

/// The group rows of one view, computed now (not from the cache): all of them, largest
/// first. `private_to` as in [`PathQuery`]; the teacher's rules apply (for everyone, as on
/// `/api/v1/paths`).
pub(crate) fn rows_now(
    app: &AppState,
    since: Option<chrono::DateTime<Utc>>,
    strict: bool,
    private_to: Option<Option<DeviceId>>,
) -> (Vec<PathRow>, paths::SameDevice) {
    let same = paths::SameDevice(app.devices.representatives());
    let query = PathQuery {
        since,
        device: None,
        private_to: private_to.map(|v| v.map(|d| same.of(d))),
        min_others: app.privacy_min_devices,
    };
    let hidden = app
        .group_view
        .read()
        .resolve(|id| app.devices.addresses(id));
    let rows = {
        let live = app.live.read();
        let flows = live.flows.iter().filter(|f| active(f, since, strict));
        paths::aggregate(&live.paths, flows, &query, &same, &hidden)
    };
    (rows, same)
}
