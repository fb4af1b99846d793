//! The group views' rows, pushed: one feed per view, computed by one task at most
//! [`TICK`]⁻¹ times a second and only when something changed, serialized once, and sent as
//! the same bytes to every event-stream subscriber of that view
//! (`/api/v1/events?paths=<window>`, see `web::events` and `docs/API.md`): a whole `paths`
//! snapshot when a subscriber joins (or fell behind), then `paths_delta` events with only the
//! rows that changed (a class browsing changes a few rows a second out of hundreds).
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
//! The task also relays alerts (`alert`, `alert_update`) and marks (`mark`) to the views'
//! streams, so their subscribers do not wake for every flow and DNS event they would not use.

use std::collections::hash_map::DefaultHasher;
use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::sync::Arc;
use std::time::{Duration, Instant};

use parking_lot::Mutex;
use tokio::sync::broadcast;
use tokio_util::sync::CancellationToken;

use crate::correlate::{PathDevice, PathRow};
use crate::model::{DeviceId, LiveEvent};
use crate::web::fold;
use crate::web::paths::{device_names, only_active, rows_now, window_start, MAX_ROWS};
use crate::web::AppState;

/// How often the task looks for changes: a new connection reaches every viewer within about
/// this (plus the conntrack event's own delay), and no feed is computed more often.
pub(crate) const TICK: Duration = Duration::from_millis(250);

/// Every feed is recomputed this often even without flow events: time windows slide (old
/// flows leave them), devices get nicknames (the registry has no change counter to watch),
/// sessions change. Sent only if something changed.
const REFRESH: Duration = Duration::from_secs(2);

/// The windows a view can subscribe to (the sankey's and map's buttons): a fixed few, so
/// the work per tick stays bounded whatever subscribers ask. `mark`: since the session's
/// latest mark (the whole session before the first).
pub(crate) const WINDOWS: [&str; 5] = ["60", "300", "900", "session", "mark"];

/// Alerts buffered per view subscriber (behind: a `lagged` event).
const ALERT_BUFFER: usize = 64;

/// What a feed is computed for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) struct FeedKey {
    /// One of [`WINDOWS`].
    pub window: &'static str,
    /// Privacy mode: the device the feed is private to (see [`crate::correlate::PathQuery`]).
    pub private_to: Option<Option<DeviceId>>,
    /// The rows folded to what the views draw, the largest by this (`fold=`, see
    /// `web::fold`).
    pub fold: Option<fold::Rank>,
    /// Folded: websites and companies kept (`top`).
    pub top: usize,
    /// Folded: only this device's rows (a view's device filter; the `devices` list still
    /// names every device of the view).
    pub device: Option<PathDevice>,
}

impl FeedKey {
    /// The key for `window` (one of [`WINDOWS`]), or why not.
    pub(crate) fn new(window: &str, private_to: Option<Option<DeviceId>>) -> Result<Self, String> {
        match WINDOWS.iter().find(|w| **w == window) {
            Some(w) => Ok(FeedKey {
                window: w,
                private_to,
                fold: None,
                top: fold::TOP,
                device: None,
            }),
            None => Err(format!(
                "paths must be one of {}; got {window:?}\n",
                WINDOWS.join(", ")
            )),
        }
    }
}

/// What a feed sends: the `paths` event (the whole view) or a `paths_delta` event (the rows
/// that changed since the previous one), as one line of JSON shared by every subscriber.
#[derive(Clone, Debug)]
pub(crate) enum Message {
    /// A whole snapshot (`paths`).
    Full(Arc<str>),
    /// What changed since the previous message (`paths_delta`).
    Delta(Arc<str>),
}

/// Messages buffered per feed subscriber; one that falls further behind gets the whole
/// snapshot again.
const MESSAGE_BUFFER: usize = 32;

struct Feed {
    tx: broadcast::Sender<Message>,
    /// The last snapshot sent (a new subscriber's first event), and its number.
    full: Option<Arc<str>>,
    seq: u64,
    /// Its rows by key (their JSON) and its devices' JSON, to tell what changed.
    rows: HashMap<u64, String>,
    devices: String,
    /// The folded feed's `others` (empty for a feed not folded).
    others: String,
    truncated: bool,
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
    /// Subscribe to the feed `key` (made if new: its first snapshot comes within a tick):
    /// the snapshot to start from, if there is one yet, and the messages after it.
    pub(crate) fn subscribe(
        &self,
        key: FeedKey,
    ) -> (Option<Arc<str>>, broadcast::Receiver<Message>) {
        let mut feeds = self.feeds.lock();
        let f = feeds.entry(key).or_insert_with(|| Feed {
            tx: broadcast::channel(MESSAGE_BUFFER).0,
            full: None,
            seq: 0,
            rows: HashMap::new(),
            devices: String::new(),
            others: String::new(),
            truncated: false,
        });
        // Under the lock: no message can come between the snapshot and the subscription.
        (f.full.clone(), f.tx.subscribe())
    }

    /// The feed's latest snapshot (for a subscriber that fell behind).
    pub(crate) fn full(&self, key: &FeedKey) -> Option<Arc<str>> {
        self.feeds.lock().get(key).and_then(|f| f.full.clone())
    }

    /// The alerts relayed to the views' streams.
    pub(crate) fn alerts(&self) -> broadcast::Receiver<Arc<LiveEvent>> {
        self.alerts.subscribe()
    }

    /// Feeds listened to now (and whether each has a snapshot yet), after dropping those
    /// nobody listens to.
    fn listened(&self) -> Vec<(FeedKey, bool)> {
        let mut feeds = self.feeds.lock();
        feeds.retain(|_, f| f.tx.receiver_count() > 0);
        feeds.iter().map(|(k, f)| (*k, f.full.is_some())).collect()
    }

    /// Send what changed in `key`'s feed, if anything: a whole snapshot the first time, a
    /// delta after.
    fn publish(&self, key: &FeedKey, now: Computed) {
        let mut feeds = self.feeds.lock();
        let Some(f) = feeds.get_mut(key) else { return };
        let mut upsert: Vec<&str> = Vec::new();
        for (k, row) in &now.rows {
            if f.rows.get(k) != Some(row) {
                upsert.push(row);
            }
        }
        let new_keys: std::collections::HashSet<u64> = now.rows.iter().map(|(k, _)| *k).collect();
        let remove: Vec<String> = f
            .rows
            .keys()
            .filter(|k| !new_keys.contains(k))
            .map(|k| format!("\"{k:016x}\""))
            .collect();
        let devices_changed = f.devices != now.devices;
        let others_changed = f.others != now.others;
        if f.full.is_some()
            && upsert.is_empty()
            && remove.is_empty()
            && !devices_changed
            && !others_changed
            && f.truncated == now.truncated
        {
            return;
        }
        let base = f.seq;
        f.seq += 1;
        let seq = f.seq;
        let mut head = format!(
            "\"seq\":{seq},\"window\":\"{}\",\"generated\":\"{}\",\"privacy\":{},\"you\":{},\"truncated\":{}",
            key.window, now.generated, key.private_to.is_some(), now.you, now.truncated
        );
        if let Some(rank) = key.fold {
            head.push_str(&format!(
                ",\"fold\":\"{}\",\"top\":{},\"paths_total\":{}",
                rank.name(),
                key.top,
                now.total
            ));
        }
        let others = |yes: bool| {
            if key.fold.is_some() && yes {
                format!(",\"others\":{}", now.others)
            } else {
                String::new()
            }
        };
        let all: Vec<&str> = now.rows.iter().map(|(_, r)| r.as_str()).collect();
        let full: Arc<str> = format!(
            "{{{head}{},\"devices\":{},\"paths\":[{}]}}",
            others(true),
            now.devices,
            all.join(",")
        )
        .into();
        let first = f.full.is_none();
        f.full = Some(Arc::clone(&full));
        let message = if first {
            Message::Full(full)
        } else {
            let devices = if devices_changed {
                format!(",\"devices\":{}", now.devices)
            } else {
                String::new()
            };
            Message::Delta(
                format!(
                    "{{{head},\"base\":{base}{devices}{},\"upsert\":[{}],\"remove\":[{}]}}",
                    others(others_changed),
                    upsert.join(","),
                    remove.join(",")
                )
                .into(),
            )
        };
        f.rows = now.rows.into_iter().collect();
        f.devices = now.devices;
        f.others = now.others;
        f.truncated = now.truncated;
        // No subscriber left is no error (the feed goes at the next tick).
        let _ = f.tx.send(message);
    }
}

/// One feed's rows computed now, serialized.
struct Computed {
    /// Each row's key and its JSON (with `"key"`), largest first.
    rows: Vec<(u64, String)>,
    devices: String,
    /// The folded feed's `others` as JSON (empty when not folded).
    others: String,
    /// Rows before folding.
    total: usize,
    truncated: bool,
    generated: String,
    /// `null` or the device's address in quotes.
    you: String,
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
    loop {
        tokio::select! {
            _ = shutdown.cancelled() => return,
            ev = events.recv() => match ev {
                Ok(ev) => match &*ev {
                    LiveEvent::Alert { .. } | LiveEvent::AlertUpdate { .. } => {
                        // No subscriber now is no error.
                        let _ = app.path_feeds.alerts.send(ev);
                    }
                    LiveEvent::Mark { .. } => {
                        // The `mark` feeds start from it now.
                        dirty = true;
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
                for (key, made) in feeds {
                    if all || !made {
                        let now = compute(&app, &key);
                        app.path_feeds.publish(&key, now);
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

/// `key`'s rows now, each with its key (a hash of what it is grouped by, so a client can
/// apply deltas), and its devices' names.
fn compute(app: &AppState, key: &FeedKey) -> Computed {
    let since = window_start(app, key.window).unwrap_or(None);
    let strict = only_active(key.window);
    let (rows, same) = rows_now(app, since, strict, key.private_to);
    let total = rows.len();
    // Folded: every row counts, in hundreds of rows; else the largest [`MAX_ROWS`].
    // The devices of the whole view (a device filter's list), named below.
    let all_devices: Vec<PathDevice> = {
        let set: std::collections::BTreeSet<PathDevice> = rows.iter().map(|r| r.device).collect();
        set.into_iter().collect()
    };
    let rows = match key.device {
        Some(d) => rows.into_iter().filter(|r| r.device == d).collect(),
        None => rows,
    };
    let total = if key.device.is_some() {
        rows.len()
    } else {
        total
    };
    let (rows, others, truncated) = if let Some(rank) = key.fold {
        let f = fold::fold(rows, rank, key.top);
        let others = serde_json::to_string(&f.others).unwrap_or_else(|_| "{}".into());
        (f.rows, others, false)
    } else {
        let truncated = rows.len() > MAX_ROWS;
        let rows = rows
            .into_iter()
            .take(MAX_ROWS)
            .map(|r| (r, fold::Other::default()))
            .collect();
        (rows, String::new(), truncated)
    };
    // In a private feed the device is known: mark it; a shared feed marks no one (the
    // stream's `hello` event tells each subscriber which device it is).
    let you = key.private_to.flatten().map(|d| same.of(d));
    let devices = device_names(app, all_devices, you);
    let devices = serde_json::to_string(&devices).unwrap_or_else(|_| "[]".into());
    let rows = rows
        .iter()
        .filter_map(|(r, other)| {
            let k = row_key(r, *other);
            let json = serde_json::to_string(r).ok()?;
            // `{"key":"…",` (and `"other":[…],` for a folded row) then the row's own fields.
            let fields = json.strip_prefix('{')?;
            Some((
                k,
                match other.columns() {
                    Some(cols) => format!("{{\"key\":\"{k:016x}\",\"other\":{cols},{fields}"),
                    None => format!("{{\"key\":\"{k:016x}\",{fields}"),
                },
            ))
        })
        .collect();
    Computed {
        rows,
        devices,
        others,
        total,
        truncated,
        generated: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
        you: you.map_or_else(|| "null".into(), |d| format!("\"{}\"", d.ip())),
    }
}

/// A row's key in a feed: a hash of what it is grouped by (a folded row also by its category,
/// tracker flag and the columns it stands for, see `web::fold`).
fn row_key(r: &PathRow, other: fold::Other) -> u64 {
    let mut h = DefaultHasher::new();
    (
        r.device,
        &r.domain,
        r.domain_hidden,
        &r.org,
        &r.country,
        &r.city,
    )
        .hash(&mut h);
    if other != fold::Other::default() {
        (other, r.category, r.tracker).hash(&mut h);
    }
    h.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn computed(rows: &[(u64, &str)], devices: &str) -> Computed {
        Computed {
            rows: rows.iter().map(|(k, r)| (*k, (*r).to_string())).collect(),
            devices: devices.into(),
            others: String::new(),
            total: rows.len(),
            truncated: false,
            generated: "2026-12-06T00:00:00.000Z".into(),
            you: "null".into(),
        }
    }

    fn json(m: &Message) -> (&'static str, serde_json::Value) {
        let (name, s) = match m {
            Message::Full(s) => ("paths", s),
            Message::Delta(s) => ("paths_delta", s),
        };
        (name, serde_json::from_str(s).expect("valid JSON"))
    }

    #[test]
    fn a_whole_view_first_then_only_what_changed_and_nothing_when_nothing_did() {
        let feeds = PathFeeds::default();
        let key = FeedKey::new("300", None).expect("window");
        let (start, mut a) = feeds.subscribe(key);
        assert!(start.is_none(), "nothing computed yet");
        let (r1, r2) = (r#"{"key":"1","n":1}"#, r#"{"key":"2","n":2}"#);
        feeds.publish(&key, computed(&[(1, r1), (2, r2)], "[]"));
        let (name, v) = json(&a.try_recv().expect("first message"));
        assert_eq!(name, "paths");
        assert_eq!(v["seq"], 1);
        assert_eq!(v["paths"].as_array().map(Vec::len), Some(2));
        // A second subscriber starts from the same snapshot, byte for byte.
        let (start, mut b) = feeds.subscribe(key);
        assert_eq!(feeds.full(&key), start);
        // Row 1 changed, row 2 went, row 3 came.
        let (r1b, r3) = (r#"{"key":"1","n":5}"#, r#"{"key":"3","n":3}"#);
        feeds.publish(&key, computed(&[(1, r1b), (3, r3)], "[]"));
        let (ma, mb) = (a.try_recv().expect("delta"), b.try_recv().expect("delta"));
        let (name, v) = json(&ma);
        assert_eq!(name, "paths_delta");
        assert_eq!((v["seq"].clone(), v["base"].clone()), (2.into(), 1.into()));
        assert_eq!(v["upsert"].as_array().map(Vec::len), Some(2), "{v}");
        assert_eq!(v["remove"], serde_json::json!([format!("{:016x}", 2)]));
        assert!(v.get("devices").is_none(), "devices unchanged: {v}");
        match (ma, mb) {
            (Message::Delta(x), Message::Delta(y)) => assert!(Arc::ptr_eq(&x, &y)),
            _ => panic!("both deltas"),
        }
        // Nothing changed: nothing sent.
        feeds.publish(&key, computed(&[(1, r1b), (3, r3)], "[]"));
        assert!(a.try_recv().is_err());
        // A name changed: the devices come along.
        feeds.publish(&key, computed(&[(1, r1b), (3, r3)], r#"[{"id":"x"}]"#));
        let (_, v) = json(&a.try_recv().expect("delta"));
        assert_eq!(v["devices"][0]["id"], "x");
        // Nobody listening: the feed goes.
        drop((a, b));
        assert!(feeds.listened().is_empty());
    }

    #[test]
    fn only_the_views_windows() {
        assert!(FeedKey::new("session", None).is_ok());
        let e = FeedKey::new("61", None).unwrap_err();
        assert!(e.contains("60, 300, 900, session, mark"), "{e}");
    }
}
