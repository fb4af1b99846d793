//! `GET /api/v1/alerts` (the detectors' alerts) and the temporary ignores set from the UI.
//!
//! | method | path | who |
//! |---|---|---|
//! | GET | `/api/v1/alerts` (`?device=`, `?kind=`, `?limit=`) | anyone (privacy mode: own alerts) |
//! | GET | `/api/v1/alerts/ignores` | admin |
//! | POST | `/api/v1/alerts/{id}/ignore` | admin + `X-CSRF-Token` |
//! | POST | `/api/v1/alerts/ignores` | admin + `X-CSRF-Token` |
//! | DELETE | `/api/v1/alerts/ignores/{id}` | admin + `X-CSRF-Token` |
//! | POST | `/alerts/{id}/ignore` | admin + form field `csrf` (the alerts page without script) |
//!
//! Also what the pages show of an alert ([`AlertRow`], [`kind_label`]): the `/alerts` page,
//! the device's own page and the presenter's ticker (`web::pages`).
//!
//! See `docs/API.md`.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Arc;

use axum::extract::rejection::FormRejection;
use axum::extract::{FromRequestParts, Path, Query, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post};
use axum::{Form, Json, Router};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::detect::rules::{Rule, TempIgnore};
use crate::detect::{Alert, AlertKind, DetectHandle};
use crate::enrich::suffix::registrable_domain;
use crate::model::DeviceId;
use crate::web::auth::{AdminSession, AdminWrite};
use crate::web::viewer::Viewer;
use crate::web::AppState;

/// Most alerts one response lists.
const MAX_LIST: usize = 10_000;
/// Longest temporary ignore: one week.
const MAX_IGNORE_MINUTES: u32 = 7 * 24 * 60;

/// Routes of this module.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/alerts", get(list))
        .route("/api/v1/alerts/ignores", get(ignores).post(add_ignore))
        .route("/api/v1/alerts/ignores/{id}", delete(remove_ignore))
        .route("/api/v1/alerts/{id}/ignore", post(ignore_alert))
        .route("/alerts/{id}/ignore", post(ignore_form))
}

/// How the pages name a kind, in plain words (shown with [`kind_icon`], never by colour alone).
pub fn kind_label(k: AlertKind) -> &'static str {
    match k {
        AlertKind::DnsTunnel => "Data hidden in DNS",
        AlertKind::Scan => "Scanning",
        AlertKind::Spoofing => "Address spoofing",
        AlertKind::Upload => "Large upload",
        AlertKind::DenyList => "Listed destination",
        AlertKind::EncryptedDns => "Encrypted DNS",
    }
}

/// A symbol for a kind (in the fonts phones, laptops and the appliance's browser all have).
pub fn kind_icon(k: AlertKind) -> &'static str {
    match k {
        AlertKind::DnsTunnel => "✉",
        AlertKind::Scan => "◎",
        AlertKind::Spoofing => "⇄",
        AlertKind::Upload => "⇧",
        AlertKind::DenyList => "⊘",
        AlertKind::EncryptedDns => "↷",
    }
}

/// What a kind means, for the alerts page.
pub fn kind_explain(k: AlertKind) -> &'static str {
    match k {
        AlertKind::DnsTunnel => {
            "A device looked up many long, random-looking or ever-new names under one domain. \
             Data can be smuggled out hidden in DNS look-ups like these."
        }
        AlertKind::Scan => {
            "A device (or a host outside) tried many ports or many hosts in a short time, as \
             someone looking for a way in does."
        }
        AlertKind::Spoofing => {
            "A device claimed an address that belongs to another device or to this appliance: \
             it may be trying to read the others' traffic."
        }
        AlertKind::Upload => {
            "A device sent much more data out than usual: files, photos or recordings may be \
             leaving it."
        }
        AlertKind::DenyList => {
            "A connection went to a country, company or name on this appliance's deny list \
             (or not on its allow list)."
        }
        AlertKind::EncryptedDns => {
            "A device looked names up around this appliance (encrypted DNS), so the names it \
             visits cannot be shown here."
        }
    }
}

/// Every kind as JSON for the scripts (`[{"id", "label", "icon"}]`), safe inside a
/// `<script type="application/json">` element.
pub fn kinds_json() -> String {
    let list: Vec<_> = AlertKind::ALL
        .iter()
        .map(|&k| json!({ "id": k.as_str(), "label": kind_label(k), "icon": kind_icon(k) }))
        .collect();
    crate::web::pages::script_json(&serde_json::Value::Array(list))
}

/// When, as the pages show it (UTC): the clock time for today, else the date too.
pub fn alert_time(t: DateTime<Utc>, now: DateTime<Utc>) -> String {
    if t.date_naive() == now.date_naive() {
        t.format("%H:%M:%S").to_string()
    } else {
        t.format("%Y-%m-%d %H:%M").to_string()
    }
}

/// "once", "2 times".
pub fn count_words(n: u64) -> String {
    if n == 1 {
        "once".into()
    } else {
        format!("{n} times")
    }
}

/// One alert as the pages show it.
#[derive(Clone, Debug, PartialEq)]
pub struct AlertRow {
    /// The alert's id.
    pub id: u64,
    /// Kind id (`upload`, ...), for CSS and filters.
    pub kind: &'static str,
    /// The kind in plain words.
    pub label: &'static str,
    /// The kind's symbol.
    pub icon: &'static str,
    /// The device's address (empty for an outside host), for the scripts only.
    pub device_ip: String,
    /// How the views name the device, or "An outside host".
    pub device_name: String,
    /// The other side: "name (address)", the name, the address, or empty.
    pub remote: String,
    /// First finding, RFC 3339 and as shown.
    pub first_iso: String,
    /// First finding as shown.
    pub first_time: String,
    /// Latest finding, RFC 3339.
    pub last_iso: String,
    /// Latest finding as shown.
    pub last_time: String,
    /// Findings folded in.
    pub count: u64,
    /// "once", "3 times".
    pub count_words: String,
    /// What happened, in plain words.
    pub message: String,
    /// An admin's temporary ignore made from this alert is in force until then (as shown).
    pub ignored_until: Option<String>,
}

impl AlertRow {
    /// Format `l` for a page rendered at `now`.
    pub fn new(l: &Listed, now: DateTime<Utc>, ignored_until: Option<DateTime<Utc>>) -> Self {
        let a = &l.alert;
        let iso = |t: DateTime<Utc>| t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
        let remote = match (&a.domain, a.remote_ip) {
            (Some(d), Some(ip)) => format!("{d} ({ip})"),
            (Some(d), None) => d.to_string(),
            (None, Some(ip)) => ip.to_string(),
            (None, None) => String::new(),
        };
        AlertRow {
            id: a.id,
            kind: a.kind.as_str(),
            label: kind_label(a.kind),
            icon: kind_icon(a.kind),
            device_ip: a.device_ip.map(|d| d.to_string()).unwrap_or_default(),
            device_name: l
                .device_name
                .clone()
                .unwrap_or_else(|| "An outside host".into()),
            remote,
            first_iso: iso(a.first_seen),
            first_time: alert_time(a.first_seen, now),
            last_iso: iso(a.last_seen),
            last_time: alert_time(a.last_seen, now),
            count: a.count,
            count_words: count_words(a.count),
            message: a.message.clone(),
            ignored_until: ignored_until.map(|t| format!("{} UTC", alert_time(t, now))),
        }
    }
}

/// The alerts about `device` (all when `None`) of `kind` (any when `None`), most recently
/// seen first, at most `limit`, and how many there are in all; `None` when the detectors are
/// off. The caller has applied privacy mode ([`Viewer::restrict`]).
pub fn listing(
    app: &AppState,
    device: Option<DeviceId>,
    kind: Option<AlertKind>,
    limit: usize,
) -> Option<(Vec<Listed>, usize)> {
    let detect = app.detect.as_ref()?;
    let mut alerts = detect.alerts.read().list(device, usize::MAX);
    alerts.retain(|a| kind.is_none_or(|k| a.kind == k));
    let total = alerts.len();
    alerts.truncate(limit);
    let listed = alerts
        .into_iter()
        .map(|a| Listed {
            device_name: a.device_ip.map(|d| app.device_name(d)),
            alert: a,
        })
        .collect();
    Some((listed, total))
}

/// The temporary ignores in force that were made from an alert: alert id -> until when.
pub fn ignored_alerts(app: &AppState, now: DateTime<Utc>) -> HashMap<u64, DateTime<Utc>> {
    let mut out: HashMap<u64, DateTime<Utc>> = HashMap::new();
    if let Some(detect) = &app.detect {
        for t in detect.ignores.lock().active(now) {
            if let Some(id) = t.alert_id {
                let until = out.entry(id).or_insert(t.expires);
                *until = (*until).max(t.expires);
            }
        }
    }
    out
}

fn error(code: StatusCode, message: impl Into<String>) -> Response {
    (code, Json(json!({ "error": message.into() }))).into_response()
}

fn detectors_off() -> Response {
    error(
        StatusCode::SERVICE_UNAVAILABLE,
        "the detectors are off (detect.enabled = false)",
    )
}

/// `?device=&kind=&limit=`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct AlertQuery {
    device: Option<IpAddr>,
    kind: Option<String>,
    limit: Option<usize>,
}

/// [`AlertQuery`] from the query string; a bad one is a JSON 400 naming the parameter.
struct Listing(AlertQuery);

impl<S: Send + Sync> FromRequestParts<S> for Listing {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        Query::<AlertQuery>::from_request_parts(parts, state)
            .await
            .map(|Query(q)| Listing(q))
            .map_err(|e| error(StatusCode::BAD_REQUEST, e.body_text()))
    }
}

/// An alert as listed: the alert and how the views name its device.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Listed {
    /// The alert.
    #[serde(flatten)]
    pub alert: Arc<Alert>,
    /// How the views name its device (never a MAC address); `None` for an outside host.
    pub device_name: Option<String>,
}

async fn list(State(app): State<AppState>, viewer: Viewer, Listing(q): Listing) -> Response {
    let device = match viewer.restrict(q.device) {
        Ok(d) => d,
        Err(refused) => return refused.into_response(),
    };
    let kind = match q.kind.as_deref().map(str::parse::<AlertKind>) {
        None => None,
        Some(Ok(k)) => Some(k),
        Some(Err(e)) => return error(StatusCode::BAD_REQUEST, format!("kind: {e}")),
    };
    let limit = q.limit.unwrap_or(MAX_LIST).min(MAX_LIST);
    let (Some(detect), Some((listed, total))) = (&app.detect, listing(&app, device, kind, limit))
    else {
        return Json(json!({ "enabled": false, "alerts": [], "total": 0 })).into_response();
    };
    Json(json!({
        "enabled": true,
        "total": total,
        "alerts": listed,
        "stats": detect.stats.snapshot(),
    }))
    .into_response()
}

async fn ignores(State(app): State<AppState>, _admin: AdminSession) -> Response {
    let Some(detect) = &app.detect else {
        return detectors_off();
    };
    let now = Utc::now();
    let list: Vec<_> = detect.ignores.lock().active(now).cloned().collect();
    Json(json!({ "ignores": list })).into_response()
}

/// `POST /api/v1/alerts/{id}/ignore` body (all optional).
#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
struct IgnoreAlert {
    /// How long (default 60 minutes, at most a week).
    minutes: Option<u32>,
    /// Only for the alert's domain (its registrable domain), when it has one (default true).
    same_domain: Option<bool>,
}

/// `POST /api/v1/alerts/ignores` body.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct IgnoreRule {
    /// The rule (its `action` is ignored: a temporary rule always ignores).
    rule: Rule,
    /// How long (default 60 minutes, at most a week).
    minutes: Option<u32>,
}

/// How long a temporary ignore lasts; the error says what is allowed.
fn minutes(m: Option<u32>) -> Result<chrono::Duration, String> {
    match m.unwrap_or(60) {
        m @ 1..=MAX_IGNORE_MINUTES => Ok(chrono::Duration::minutes(i64::from(m))),
        _ => Err(format!(
            "minutes must be between 1 and {MAX_IGNORE_MINUTES}"
        )),
    }
}

/// Parse an optional JSON body (an empty body is the defaults).
fn body<T: serde::de::DeserializeOwned + Default>(bytes: &[u8]) -> Result<T, String> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Ok(T::default());
    }
    serde_json::from_slice(bytes).map_err(|e| e.to_string())
}

async fn ignore_alert(
    State(app): State<AppState>,
    _admin: AdminWrite,
    Path(id): Path<u64>,
    bytes: axum::body::Bytes,
) -> Response {
    let Some(detect) = &app.detect else {
        return detectors_off();
    };
    let req: IgnoreAlert = match body(&bytes) {
        Ok(r) => r,
        Err(e) => return error(StatusCode::BAD_REQUEST, e),
    };
    let span = match minutes(req.minutes) {
        Ok(s) => s,
        Err(e) => return error(StatusCode::BAD_REQUEST, e),
    };
    match ignore_from_alert(detect, id, span, req.same_domain.unwrap_or(true)) {
        Ok(t) => (StatusCode::CREATED, Json(json!({ "ignore": t }))).into_response(),
        Err((code, e)) => error(code, e),
    }
}

/// Ignore alert `id`'s kind for its device (and, with `same_domain`, only for the registrable
/// domain of its domain) for `span`.
fn ignore_from_alert(
    detect: &DetectHandle,
    id: u64,
    span: chrono::Duration,
    same_domain: bool,
) -> Result<TempIgnore, (StatusCode, String)> {
    let Some(alert) = detect.alerts.read().get(id).cloned() else {
        return Err((StatusCode::NOT_FOUND, format!("there is no alert {id}")));
    };
    let mut rule = Rule {
        name: format!("ignored from alert {id} ({})", alert.rule),
        kinds: vec![alert.kind],
        ..Rule::default()
    };
    if let Some(d) = alert.device_ip {
        rule.devices.push(d.to_string());
    }
    if same_domain {
        if let Some(d) = &alert.domain {
            let zone = registrable_domain(d).unwrap_or_else(|| d.clone());
            rule.domains.push(zone.to_string());
        }
    }
    let now = Utc::now();
    detect
        .ignores
        .lock()
        .add(rule, Some(id), now, now + span)
        .map_err(|e| (StatusCode::BAD_REQUEST, e))
}

/// The alerts page's "ignore for 1 hour" form (works without script).
#[derive(Debug, Default, Deserialize)]
struct IgnoreForm {
    /// The login's CSRF token.
    #[serde(default)]
    csrf: String,
}

/// A short page for a refused ignore form, with the way back.
fn refused_page(status: StatusCode, message: &str) -> Response {
    crate::web::notice::refused_page(
        status,
        "Not ignored",
        message,
        "/alerts",
        "Back to the alerts",
    )
}

/// `POST /alerts/{id}/ignore` (form field `csrf`): the same as the JSON endpoint for an hour,
/// then back to the alerts page (`303`).
async fn ignore_form(
    State(app): State<AppState>,
    admin: AdminSession,
    headers: HeaderMap,
    Path(id): Path<u64>,
    form: Result<Form<IgnoreForm>, FormRejection>,
) -> Response {
    let token = form.map(|Form(f)| f.csrf).unwrap_or_default();
    if let Err(e) = admin.check_csrf(&headers, &token) {
        return refused_page(StatusCode::FORBIDDEN, e.0);
    }
    let Some(detect) = &app.detect else {
        return refused_page(
            StatusCode::SERVICE_UNAVAILABLE,
            "The detectors are off (detect.enabled = false).",
        );
    };
    match ignore_from_alert(detect, id, chrono::Duration::hours(1), true) {
        Ok(_) => {
            let mut res = StatusCode::SEE_OTHER.into_response();
            res.headers_mut().insert(
                header::LOCATION,
                HeaderValue::from_static("/alerts?done=ignored"),
            );
            res
        }
        Err((code, e)) => refused_page(code, &format!("{e}.")),
    }
}

async fn add_ignore(
    State(app): State<AppState>,
    _admin: AdminWrite,
    Json(req): Json<IgnoreRule>,
) -> Response {
    let Some(detect) = &app.detect else {
        return detectors_off();
    };
    let span = match minutes(req.minutes) {
        Ok(s) => s,
        Err(e) => return error(StatusCode::BAD_REQUEST, e),
    };
    let now = Utc::now();
    match detect.ignores.lock().add(req.rule, None, now, now + span) {
        Ok(t) => (StatusCode::CREATED, Json(json!({ "ignore": t }))).into_response(),
        Err(e) => error(StatusCode::BAD_REQUEST, e),
    }
}

async fn remove_ignore(
    State(app): State<AppState>,
    _admin: AdminWrite,
    Path(id): Path<u64>,
) -> Response {
    let Some(detect) = &app.detect else {
        return detectors_off();
    };
    if detect.ignores.lock().remove(id) {
        StatusCode::NO_CONTENT.into_response()
    } else {
        error(StatusCode::NOT_FOUND, format!("there is no ignore {id}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(h: u32, m: u32, s: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 21, h, m, s)
            .single()
            .unwrap_or_default()
    }

    fn alert(
        kind: AlertKind,
        device: Option<&str>,
        domain: Option<&str>,
        remote: Option<&str>,
    ) -> Alert {
        Alert {
            id: 12,
            kind,
            rule: "upload.sudden".into(),
            device_ip: device.map(|d| DeviceId(d.parse().unwrap_or(IpAddr::from([0, 0, 0, 0])))),
            remote_ip: remote.and_then(|r| r.parse().ok()),
            domain: domain.and_then(|d| crate::model::Domain::new(d).ok()),
            first_seen: at(10, 2, 3),
            last_seen: at(10, 4, 41),
            count: 3,
            message: "192.0.2.10 sent 150 KB to files.example.test.".into(),
        }
    }

    #[test]
    fn every_kind_has_words_and_a_symbol() {
        let json: serde_json::Value = serde_json::from_str(&kinds_json()).unwrap_or_default();
        assert_eq!(json.as_array().map(Vec::len), Some(AlertKind::ALL.len()));
        for k in AlertKind::ALL {
            assert!(!kind_label(k).is_empty() && !kind_icon(k).is_empty());
            assert!(kind_explain(k).ends_with('.'));
            assert!(json.as_array().is_some_and(|a| a
                .iter()
                .any(|v| v["id"] == k.as_str() && v["label"] == kind_label(k))));
        }
        let icons: std::collections::BTreeSet<_> = AlertKind::ALL.map(kind_icon).into();
        assert_eq!(icons.len(), AlertKind::ALL.len(), "one symbol per kind");
    }

    #[test]
    fn times_and_counts_read_plainly() {
        assert_eq!(alert_time(at(10, 2, 3), at(23, 59, 0)), "10:02:03");
        let yesterday = at(10, 2, 3) - chrono::Duration::days(1);
        assert_eq!(alert_time(yesterday, at(9, 0, 0)), "2026-11-20 10:02");
        assert_eq!(count_words(1), "once");
        assert_eq!(count_words(3), "3 times");
    }

    #[test]
    fn a_row_names_the_device_and_the_other_side() {
        let l = Listed {
            alert: Arc::new(alert(
                AlertKind::Upload,
                Some("192.0.2.10"),
                Some("files.example.test"),
                Some("203.0.113.20"),
            )),
            device_name: Some("Anna's phone".into()),
        };
        let r = AlertRow::new(&l, at(11, 0, 0), Some(at(12, 0, 0)));
        assert_eq!(r.kind, "upload");
        assert_eq!(r.label, "Large upload");
        assert_eq!(r.device_name, "Anna's phone");
        assert_eq!(r.device_ip, "192.0.2.10");
        assert_eq!(r.remote, "files.example.test (203.0.113.20)");
        assert_eq!(r.first_time, "10:02:03");
        assert_eq!(r.last_time, "10:04:41");
        assert_eq!(r.last_iso, "2026-11-21T10:04:41.000Z");
        assert_eq!(r.count_words, "3 times");
        assert_eq!(r.ignored_until.as_deref(), Some("12:00:00 UTC"));

        let outside = Listed {
            alert: Arc::new(alert(AlertKind::Scan, None, None, Some("198.51.100.7"))),
            device_name: None,
        };
        let r = AlertRow::new(&outside, at(11, 0, 0), None);
        assert_eq!(r.device_name, "An outside host");
        assert_eq!(r.device_ip, "");
        assert_eq!(r.remote, "198.51.100.7");
        assert_eq!(r.ignored_until, None);
    }

    #[test]
    fn listed_alerts_serialise_flat_with_the_device_name() {
        let l = Listed {
            alert: Arc::new(alert(AlertKind::Upload, Some("192.0.2.10"), None, None)),
            device_name: Some("Anna's phone".into()),
        };
        let v = serde_json::to_value(&l).unwrap_or_default();
        assert_eq!(v["id"], 12);
        assert_eq!(v["kind"], "upload");
        assert_eq!(v["device_ip"], "192.0.2.10");
        assert_eq!(v["device_name"], "Anna's phone");
    }
}
