//! The group views' rows, pushed: one `paths` snapshot per view, computed by one task at
//! most [`TICK`]⁻¹ times a second and only when something changed, serialized once, and
//! sent as the same bytes to every event-stream subscriber of that view
//! (`/api/v1/events?paths=<window>`, see `web::events` and `docs/API.md`).
//!
//! Why: a classroom of phones each re-reading `/api/v1/paths` after every new flow cost the
//! appliance one request (and one JSON body) per phone per flow; now the cost is one
//! aggregate per view per tick, whatever the audience.
//!
//! A view is a window ([`WINDOWS`], the views' choices) and, in privacy mode, the device it
//! is private to: a privacy-mode device has its own feed, with only its own rows and the
//! folded "Other devices" rows (as `/api/v1/paths` gives it). The teacher's rules apply to
//! every feed (as on `/api/v1/paths`, the admin too: a projector logged in as admin shows the
//! same). A feed nobody listens to is dropped at the next tick, so there are at most as many
//! feeds as event-stream slots.
//!
//! The task also relays alerts (`alert`, `alert_update`) to the views' streams, so their
//! subscribers do not wake for every flow and DNS event they would not use.

use std::collections::hash_map::DefaultHasher;
use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::sync::Arc;
use std::time::{Duration, Instant};

use parking_lot::Mutex;
use tokio::sync::{broadcast, watch};
use tokio_util::sync::CancellationToken;

use crate::model::{DeviceId, LiveEvent};
use crate::web::paths::{device_names, parse_window, rows_now};
use crate::web::AppState;

/// How often the task looks for changes: a new connection reaches every viewer within about
/// this (plus the conntrack event's own delay), and no feed is computed more often.
pub(crate) const TICK: Duration = Duration::from_millis(250);

/// Every feed is recomputed this often even without flow events: time windows slide (old
/// flows leave them), devices get nicknames, sessions change. Sent only if the rows changed.
const REFRESH: Duration = Duration::from_secs(5);

/// The windows a view can subscribe to (the sankey's and map's buttons): a fixed few, so
/// the work per tick stays bounded whatever subscribers ask.
pub(crate) const WINDOWS: [&str; 4] = ["60", "300", "900", "session"];

/// Alerts buffered per view subscriber (behind: a `lagged` event).
const ALERT_BUFFER: usize = 64;

/// What a feed is computed for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) struct FeedKey {
    /// One of [`WINDOWS`].
    pub window: &'static str,
    /// Privacy mode: the device the feed is private to (see [`crate::correlate::PathQuery`]).
    pub private_to: Option<Option<DeviceId>>,
}

impl FeedKey {
    /// The key for `window` (one of [`WINDOWS`]), or why not.
    pub(crate) fn new(window: &str, private_to: Option<Option<DeviceId>>) -> Result<Self, String> {
        match WINDOWS.iter().find(|w| **w == window) {
            Some(w) => Ok(FeedKey {
                window: w,
                private_to,
            }),
            None => Err(format!(
                "paths must be one of {}; got {window:?}\n",
                WINDOWS.join(", ")
            )),
        }
    }
}

/// One computed snapshot: the `paths` event's data, shared by every subscriber of the feed.
#[derive(Debug)]
pub(crate) struct Snapshot {
    /// The JSON (one line), as `docs/API.md` describes the `paths` event.
    pub json: Arc<str>,
}

struct Feed {
    tx: watch::Sender<Option<Arc<Snapshot>>>,
    /// The rows' hash in the last snapshot sent: unchanged rows are not sent again.
    content: Option<u64>,
}

/// The feeds and the alert relay (in [`AppState`]).
pub struct PathFeeds {
    feeds: Mutex<HashMap<FeedKey, Feed>>,
    alerts: broadcast::Sender<Arc<LiveEvent>>,
}

impl Default for PathFeeds {
    fn default() -> Self {
        PathFeeds {
            feeds: Mutex::new(HashMap::new()),
            alerts: broadcast::channel(ALERT_BUFFER).0,
        }
    }
}

impl PathFeeds {
    /// Subscribe to the feed `key` (made if new; its first snapshot comes within a tick).
    /// The receiver holds the latest snapshot only: a slow subscriber skips to it.
    pub(crate) fn subscribe(&self, key: FeedKey) -> watch::Receiver<Option<Arc<Snapshot>>> {
        let mut feeds = self.feeds.lock();
        feeds
            .entry(key)
            .or_insert_with(|| Feed {
                tx: watch::channel(None).0,
                content: None,
            })
            .tx
            .subscribe()
    }

    /// The alerts relayed to the views' streams.
    pub(crate) fn alerts(&self) -> broadcast::Receiver<Arc<LiveEvent>> {
        self.alerts.subscribe()
    }

    /// Feeds listened to now (and the keys of those without a snapshot yet), after
    /// dropping those nobody listens to.
    fn listened(&self) -> Vec<(FeedKey, bool)> {
        let mut feeds = self.feeds.lock();
        feeds.retain(|_, f| f.tx.receiver_count() > 0);
        feeds
            .iter()
            .map(|(k, f)| (*k, f.tx.borrow().is_none()))
            .collect()
    }

    /// Send `json` on `key`'s feed unless its rows (`content`) are those it sent last.
    fn publish(&self, key: &FeedKey, content: u64, json: String) {
        let mut feeds = self.feeds.lock();
        let Some(f) = feeds.get_mut(key) else { return };
        if f.content == Some(content) {
            return;
        }
        f.content = Some(content);
        f.tx.send_replace(Some(Arc::new(Snapshot { json: json.into() })));
    }
}

/// Compute the feeds' snapshots until `shutdown`: each tick, if a flow event came (or the
/// teacher's rules changed, or [`REFRESH`] passed), every listened feed; a new feed at once.
pub(crate) async fn run(app: AppState, shutdown: CancellationToken) {
    let mut events = app.events.subscribe();
    let mut tick = tokio::time::interval(TICK);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut dirty = true;
    let mut rules = app.group_view.read().generation();
    let mut last_all = Instant::now();
    let mut seq: u64 = 0;
    loop {
        tokio::select! {
            _ = shutdown.cancelled() => return,
            ev = events.recv() => match ev {
                Ok(ev) => match &*ev {
                    LiveEvent::Alert { .. } | LiveEvent::AlertUpdate { .. } => {
                        // No subscriber now is no error.
                        let _ = app.path_feeds.alerts.send(ev);
                    }
                    LiveEvent::FlowNew { .. }
                    | LiveEvent::FlowUpdate { .. }
                    | LiveEvent::FlowClosed { .. } => dirty = true,
                    LiveEvent::Dns { .. } => {}
                },
                Err(broadcast::error::RecvError::Lagged(_)) => dirty = true,
                Err(broadcast::error::RecvError::Closed) => return,
            },
            _ = tick.tick() => {
                let now_rules = app.group_view.read().generation();
                if now_rules != rules {
                    rules = now_rules;
                    dirty = true;
                }
                if last_all.elapsed() >= REFRESH {
                    dirty = true;
                }
                let feeds = app.path_feeds.listened();
                let all = dirty;
                for (key, fresh) in feeds {
                    if all || fresh {
                        seq += 1;
                        let (content, json) = snapshot(&app, &key, seq);
                        app.path_feeds.publish(&key, content, json);
                    }
                }
                if all {
                    dirty = false;
                    last_all = Instant::now();
                }
            }
        }
    }
}

/// The `paths` event's JSON for `key` now, and a hash of what it shows (rows, names).
fn snapshot(app: &AppState, key: &FeedKey, seq: u64) -> (u64, String) {
    let since = parse_window(key.window).unwrap_or(None);
    let (rows, truncated, same) = rows_now(app, since, key.private_to);
    // In a private feed the device is known: mark it; a shared feed marks no one (the
    // stream's `hello` event tells each subscriber which device it is).
    let you = key.private_to.flatten().map(|d| same.of(d));
    let devices = device_names(app, &rows, you);
    let devices = serde_json::to_string(&devices).unwrap_or_else(|_| "[]".into());
    let paths = serde_json::to_string(&rows).unwrap_or_else(|_| "[]".into());
    let mut h = DefaultHasher::new();
    (truncated, &devices, &paths).hash(&mut h);
    let you = you.map_or_else(|| "null".into(), |d| format!("\"{}\"", d.ip()));
    let json = format!(
        "{{\"seq\":{seq},\"window\":\"{}\",\"generated\":\"{}\",\"privacy\":{},\"you\":{you},\"truncated\":{truncated},\"devices\":{devices},\"paths\":{paths}}}",
        key.window,
        chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
        key.private_to.is_some(),
    );
    (h.finish(), json)
}
