//! `GET /api/v1/flows`, `/dns`, `/devices`, `/status`.

use std::collections::btree_map::Entry;
use std::collections::{BTreeMap, HashMap, HashSet};
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

use crate::group_view::{Censor, Shown};
use crate::model::{DeviceId, DeviceIdentity, DnsLogEntry, FlowRecord, FlowState};
use crate::web::viewer::{Censoring, HiddenDevice, Viewer};
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

/// A flow as `/flows` lists it: with the identity of its device, so the addresses of one
/// device group together (a censored row says `"device": "hidden"` itself).
#[derive(Serialize)]
struct ListedFlow<'a> {
    /// The device across its addresses (`hw-…` by MAC, or `ip-…` until the MAC is known).
    device: DeviceIdentity,
    #[serde(flatten)]
    flow: &'a FlowRecord,
}

#[derive(Serialize)]
struct AnswerList<'a> {
    answers: Vec<Shown<'a, DnsLogEntry>>,
}

/// The asked device is one the teacher hid from this viewer (then its rows are refused:
/// they would tell whose the "hidden" rows are).
fn asks_hidden(app: &AppState, censor: &Censor, device: Option<DeviceId>) -> bool {
    device.is_some_and(|d| {
        !censor.hides_nothing() && censor.hides_device(app.devices.identity(d.ip()), d)
    })
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

async fn flows(
    State(app): State<AppState>,
    viewer: Viewer,
    Censoring(censor): Censoring,
    Listing(q): Listing,
) -> Response {
    let device = match viewer.restrict(q.device, &app.devices) {
        Ok(d) => d,
        Err(refused) => return refused.into_response(),
    };
    if asks_hidden(&app, &censor, device) {
        return HiddenDevice.into_response();
    }
    // A device is one identity across its addresses: `?device=` (or the viewer, in privacy
    // mode) means every address of the device behind that address.
    let want_device = device.map(|d| app.devices.identity(d.ip()));
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
            .filter(|f| want_state.is_none_or(|s| f.state == s))
            .cloned()
            .collect()
    };
    // The identity of each distinct device address (a few per device, not one per flow),
    // after the live lock is released (the registry has its own, brief one).
    let distinct: Vec<IpAddr> = flows
        .iter()
        .map(|f| f.device_ip.ip())
        .collect::<HashSet<_>>()
        .into_iter()
        .collect();
    let ids: HashMap<IpAddr, DeviceIdentity> = distinct
        .iter()
        .copied()
        .zip(app.devices.identities(distinct.iter().copied()))
        .collect();
    if let Some(w) = want_device {
        flows.retain(|f| identity_in(&ids, f.device_ip.ip()) == w);
    }
    let total = flows.len();
    if flows.len() > limit {
        flows.sort_by_key(|f| std::cmp::Reverse(f.last_seen));
        flows.truncate(limit);
    }
    let truncated = total > flows.len();
    let head = format!("{{\"total\":{total},\"truncated\":{truncated},\"flows\":[");
    let st = (flows, 0usize, head, ids, censor);
    let chunks = futures::stream::unfold(Some(st), |st| async move {
        let (flows, at, head, ids, censor) = st?;
        let end = (at + LISTING_CHUNK).min(flows.len());
        let mut buf = head.into_bytes();
        for (i, f) in flows[at..end].iter().enumerate() {
            if at + i > 0 {
                buf.push(b',');
            }
            let device = identity_in(&ids, f.device_ip.ip());
            // The teacher's rules: a censored row is its own object (with `device`).
            let written = match censor.flow(device, f) {
                Shown::AsIs(flow) => serde_json::to_writer(&mut buf, &ListedFlow { device, flow }),
                Shown::Censored(mut v) => {
                    if let Some(o) = v.as_object_mut() {
                        o.entry("device").or_insert_with(|| json!(device));
                    }
                    serde_json::to_writer(&mut buf, &v)
                }
            };
            if let Err(e) = written {
                // Cannot happen for these types; end the body rather than send broken JSON.
                return Some((Err(e), None));
            }
        }
        if end == flows.len() {
            buf.extend_from_slice(b"]}");
            return Some((Ok(buf), None));
        }
        Some((Ok(buf), Some((flows, end, String::new(), ids, censor))))
    });
    (
        [(header::CONTENT_TYPE, "application/json")],
        axum::body::Body::from_stream(chunks),
    )
        .into_response()
}

/// The identity of `ip` in a map made by [`crate::devices::DeviceRegistry::identities`].
fn identity_in(ids: &HashMap<IpAddr, DeviceIdentity>, ip: IpAddr) -> DeviceIdentity {
    ids.get(&ip).copied().unwrap_or(DeviceIdentity::Address(ip))
}

async fn dns(
    State(app): State<AppState>,
    viewer: Viewer,
    Censoring(censor): Censoring,
    Listing(q): Listing,
) -> Response {
    if q.state.is_some() {
        return bad_request("state applies to flows only".into());
    }
    let device = match viewer.restrict(q.device, &app.devices) {
        Ok(d) => d,
        Err(refused) => return refused.into_response(),
    };
    if asks_hidden(&app, &censor, device) {
        return HiddenDevice.into_response();
    }
    // Every address of the device behind the asked address (one identity).
    let addresses: Option<Vec<IpAddr>> = device.map(|d| {
        let mut a = app.devices.addresses(app.devices.identity(d.ip()));
        if !a.contains(&d.ip()) {
            a.push(d.ip());
        }
        a
    });
    let live = app.live.read();
    let mut answers = match &addresses {
        None => live.dns.entries(None),
        Some(a) => a
            .iter()
            .flat_map(|ip| live.dns.entries(Some(DeviceId(*ip))))
            .collect(),
    };
    if let Some(limit) = q.limit {
        answers.sort_by_key(|a| std::cmp::Reverse(a.at));
        answers.truncate(limit);
    }
    // Who each answer's device is, for the teacher's rules (only when something is hidden;
    // one registry look-up per distinct address).
    let ids: HashMap<IpAddr, DeviceIdentity> = if censor.hides_nothing() {
        HashMap::new()
    } else {
        let distinct: Vec<IpAddr> = answers
            .iter()
            .map(|a| a.device_ip.ip())
            .collect::<HashSet<_>>()
            .into_iter()
            .collect();
        distinct
            .iter()
            .copied()
            .zip(app.devices.identities(distinct.iter().copied()))
            .collect()
    };
    let answers = answers
        .into_iter()
        .map(|a| censor.answer(identity_in(&ids, a.device_ip.ip()), a))
        .collect();
    let body = Json(AnswerList { answers }).into_response();
    drop(live);
    body
}

async fn devices(
    State(app): State<AppState>,
    viewer: Viewer,
    admin: Result<crate::web::auth::login::AdminSession, crate::web::auth::login::AdminRejection>,
) -> Response {
    // How each device joined the WiFi: for the logged-in admin only (from hostapd).
    let admin = admin.is_ok();
    let live = app.live.read();
    let summaries = live.device_totals.summaries(live.flows.iter());
    drop(live);
    let ids = app.devices.identities(summaries.iter().map(|d| d.ip.ip()));
    // One row per device identity, its addresses' totals summed (a phone that asked over IPv4
    // and connected over IPv6 is one device).
    let mut rows: BTreeMap<DeviceIdentity, DeviceRow> = BTreeMap::new();
    for (d, id) in summaries.iter().zip(ids) {
        if !viewer.may_see_identity(id) {
            continue;
        }
        match rows.entry(id) {
            Entry::Vacant(v) => {
                v.insert(DeviceRow {
                    ips: vec![d.ip.ip()],
                    totals: d.clone(),
                });
            }
            Entry::Occupied(mut o) => o.get_mut().add(d),
        }
    }
    // Devices on the LAN (a DHCP lease, the neighbour table) that have not asked for a name
    // nor opened a flow yet: listed with zero totals.
    for p in app.devices.present() {
        let Some(&ip) = p.ips.first() else { continue };
        let id = app.devices.identity(ip);
        if rows.contains_key(&id) || !viewer.may_see_identity(id) {
            continue;
        }
        let at = p.info.first_seen.unwrap_or_else(chrono::Utc::now);
        rows.insert(
            id,
            DeviceRow {
                ips: vec![ip],
                totals: crate::correlate::DeviceSummary {
                    ip: DeviceId(ip),
                    first_seen: at,
                    last_seen: p.info.last_seen.unwrap_or(at),
                    dns_answers: 0,
                    flows_total: 0,
                    flows_open: 0,
                    bytes_up: 0,
                    bytes_down: 0,
                },
            },
        );
    }
    // The teacher's hidden devices (but never the viewer itself) are one "hidden" row.
    let hidden_row = fold_hidden(&app, &viewer, &mut rows);
    let mut out: Vec<(IpAddr, serde_json::Value)> = rows
        .into_iter()
        .filter_map(|(id, mut row)| {
            // Every current address of the device, preferred first, then any older address
            // its totals came from (an expired temporary IPv6 address).
            let mut ips = app.devices.addresses(id);
            for ip in row.ips.drain(..) {
                if !ips.contains(&ip) {
                    ips.push(ip);
                }
            }
            let ip = *ips.first()?;
            row.totals.ip = DeviceId(ip);
            let serde_json::Value::Object(mut obj) = serde_json::to_value(&row.totals).ok()? else {
                return None;
            };
            obj.insert("device".into(), json!(id));
            obj.insert("ips".into(), json!(ips));
            add_identity(&mut obj, &app.devices.describe(ip), &app, &viewer, id);
            if admin {
                let sec = crate::web::admin::security_of(&app, ip);
                obj.insert(
                    "wifi_security".into(),
                    json!(sec.map(crate::web::admin::security_key)),
                );
            }
            Some((ip, obj.into()))
        })
        .collect();
    out.sort_by_key(|(ip, _)| *ip);
    let list: Vec<serde_json::Value> = out.into_iter().map(|(_, v)| v).chain(hidden_row).collect();
    Json(json!({ "devices": list })).into_response()
}

/// Take the devices the teacher hid (not the viewer's own) out of `rows`; their summed
/// totals as one row (`"device": "hidden"`), if any.
fn fold_hidden(
    app: &AppState,
    viewer: &Viewer,
    rows: &mut BTreeMap<DeviceIdentity, DeviceRow>,
) -> Option<serde_json::Value> {
    let hidden: Vec<DeviceIdentity> = {
        let g = app.group_view.read();
        rows.keys()
            .filter(|id| **id != viewer.identity && g.hides_device(**id))
            .copied()
            .collect()
    };
    let mut sum: Option<DeviceRow> = None;
    for id in &hidden {
        let Some(row) = rows.remove(id) else { continue };
        match &mut sum {
            None => sum = Some(row),
            Some(s) => s.add(&row.totals),
        }
    }
    let t = sum?.totals;
    Some(json!({
        "device": "hidden",
        "hidden": true,
        "count": hidden.len(),
        "ip": null,
        "ips": [],
        "name": "Hidden devices",
        "name_words": {"id": "device-name-hidden-many", "args": {}},
        "pseudonym": null,
        "emoji": "🙈",
        "you": false,
        "hostname": null,
        "vendor": null,
        "randomised_mac": false,
        "nickname": null,
        "first_seen": t.first_seen,
        "last_seen": t.last_seen,
        "dns_answers": t.dns_answers,
        "flows_total": t.flows_total,
        "flows_open": t.flows_open,
        "bytes_up": t.bytes_up,
        "bytes_down": t.bytes_down,
    }))
}

/// One device's `/devices` row while its addresses' totals are summed.
struct DeviceRow {
    ips: Vec<IpAddr>,
    totals: crate::correlate::DeviceSummary,
}

impl DeviceRow {
    /// Add another address' totals.
    fn add(&mut self, d: &crate::correlate::DeviceSummary) {
        let t = &mut self.totals;
        t.first_seen = t.first_seen.min(d.first_seen);
        t.last_seen = t.last_seen.max(d.last_seen);
        t.dns_answers += d.dns_answers;
        t.flows_total += d.flows_total;
        t.flows_open += d.flows_open;
        t.bytes_up += d.bytes_up;
        t.bytes_down += d.bytes_down;
        self.ips.push(d.ip.ip());
    }
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
    device: DeviceIdentity,
) {
    // By identity: a device that asks over IPv6 owns its row shown under its IPv4 address.
    let own = viewer.identity == device;
    // Names as the teacher's rules allow (the device itself sees its own nickname).
    let g = app.group_view.read();
    let name = g.group_name(device, info, app.group_names);
    let nickname = info
        .nickname
        .as_ref()
        .filter(|n| own || !g.hides_nickname(device, n));
    let open = own || (app.group_names == crate::config::GroupNames::Hostname && !g.names_off());
    drop(g);
    row.insert("name".into(), json!(name.to_string()));
    row.insert("name_words".into(), json!(name.words()));
    row.insert("hidden".into(), json!(false));
    row.insert("pseudonym".into(), json!(info.pseudonym));
    row.insert("emoji".into(), json!(info.emoji));
    row.insert("you".into(), json!(own));
    row.insert(
        "hostname".into(),
        json!(info.hostname.as_ref().filter(|_| open)),
    );
    row.insert("vendor".into(), json!(info.vendor.filter(|_| open)));
    row.insert("randomised_mac".into(), json!(open && info.randomised_mac));
    row.insert("nickname".into(), json!(nickname));
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
        // On the appliance: the radio serving the room, its devices, the uplink.
        "wifi": app.status.wifi.lock().clone(),
        "warnings": s.warnings,
        // The same warnings as catalogue words (`null`: English only), for the pages.
        "warnings_words": s.warning_list.iter().map(|w| &w.words).collect::<Vec<_>>(),
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
