//! `GET /alerts`: the detectors' alerts as a page that reads without script, filtered by
//! `?kind=` and `?device=`; and `POST /alerts/{id}/ignore`, the page's "ignore for 1 hour"
//! form for a logged-in admin.

use std::net::IpAddr;

use askama::Template;
use axum::extract::rejection::{FormRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use serde::Deserialize;

use crate::model::{AlertKind, DeviceId};
use crate::web::alerts::api::ignore_from_alert;
use crate::web::alerts::listing::{self, AlertRow};
use crate::web::auth::{AdminRejection, AdminSession};
use fluent_bundle::FluentValue;

use crate::i18n::Tr;
use crate::web::language;
use crate::web::page::{html, kind_icon, Layout};
use crate::web::viewer::Viewer;
use crate::web::AppState;

/// Routes of the page and its form.
pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/alerts", get(alerts))
        .route("/alerts/{id}/ignore", post(ignore_form))
}

/// Most alerts the alerts page lists (the newest; the API gives up to 10,000).
const ALERTS_PAGE_MAX: usize = 500;

/// A kind in the alerts page's filter and explanations.
struct KindOption {
    id: &'static str,
    label: String,
    icon: &'static str,
    explain: String,
    selected: bool,
}

/// A device in the alerts page's filter.
struct DeviceOption {
    ip: String,
    name: String,
    selected: bool,
}

#[derive(Template)]
#[template(path = "alerts.html")]
struct AlertsPage {
    page: Layout,
    /// The detectors run.
    enabled: bool,
    /// Privacy mode applies: the viewer sees its own device's alerts only.
    privacy: bool,
    /// The alerts shown (newest first).
    rows: Vec<AlertRow>,
    /// One line saying what is listed.
    summary: String,
    /// A filter is set.
    filtered: bool,
    kinds: Vec<KindOption>,
    devices: Vec<DeviceOption>,
    /// The admin's CSRF token (empty: not logged in as admin; no ignore buttons).
    csrf: String,
    /// After a form: what was done.
    notice: Option<String>,
    /// A filter that could not be used.
    error: Option<String>,
}

/// `GET /alerts` query (all optional; a bad value is named on the page and left out).
#[derive(Debug, Default, Deserialize)]
struct AlertsQuery {
    kind: Option<String>,
    device: Option<String>,
    done: Option<String>,
}

/// What the alerts page shows for `viewer` with the filter `q` (admin: `csrf` not empty).
fn alerts_page(
    app: &AppState,
    viewer: Viewer,
    q: AlertsQuery,
    csrf: String,
    now: chrono::DateTime<chrono::Utc>,
) -> AlertsPage {
    let page = Layout::new(app, "title-alerts", "alerts", "alerts");
    let tr = page.tr;
    let mut errors: Vec<String> = Vec::new();
    let kind = filter_kind(tr, q.kind.as_deref(), &mut errors);
    let asked = filter_device(tr, q.device.as_deref(), &mut errors);
    let device = viewer.restrict(asked, &app.devices).unwrap_or_else(|_| {
        errors.push(tr.t("alerts-privacy-notice"));
        Some(viewer.device)
    });
    let notice = match q.done.as_deref() {
        Some("ignored") => Some(tr.t("alerts-ignored-notice")),
        _ => None,
    };
    let kinds = kind_options(tr, kind);
    let error = (!errors.is_empty()).then(|| errors.join(" "));
    // The teacher's rules, except for the admin (whose page carries the CSRF token).
    let censor = app.censor(&viewer, !csrf.is_empty());
    let Some((listed, total)) = listing::listing(app, &censor, device, kind, ALERTS_PAGE_MAX)
    else {
        return AlertsPage {
            page,
            enabled: false,
            privacy: viewer.private,
            rows: Vec::new(),
            summary: String::new(),
            filtered: false,
            kinds,
            devices: Vec::new(),
            csrf,
            notice,
            error,
        };
    };
    let devices = if viewer.private {
        Vec::new()
    } else {
        device_options(app, &censor, device, tr)
    };
    let ignored = if csrf.is_empty() {
        Default::default()
    } else {
        listing::ignored_alerts(app, now)
    };
    let rows: Vec<AlertRow> = listed
        .iter()
        .map(|l| AlertRow::new(l, now, ignored.get(&l.alert.id).copied(), tr))
        .collect();
    let filtered = kind.is_some() || (device.is_some() && !viewer.private);
    AlertsPage {
        page,
        enabled: true,
        privacy: viewer.private,
        summary: alerts_summary(tr, rows.len(), total),
        rows,
        filtered,
        kinds,
        devices,
        csrf,
        notice,
        error,
    }
}

/// The filter's kinds, `selected` marked, in the language of `tr`.
fn kind_options(tr: Tr, selected: Option<AlertKind>) -> Vec<KindOption> {
    AlertKind::ALL
        .iter()
        .map(|&k| KindOption {
            id: k.as_str(),
            label: tr.t(&format!("alert-kind-{}", k.as_str())),
            icon: kind_icon(k),
            explain: tr.t(&format!("alert-kind-{}-explain", k.as_str())),
            selected: selected == Some(k),
        })
        .collect()
}

/// The kind asked for; an unknown one is said in `errors` and shows all kinds.
fn filter_kind(tr: Tr, asked: Option<&str>, errors: &mut Vec<String>) -> Option<AlertKind> {
    let k = asked.map(str::trim).filter(|k| !k.is_empty())?;
    match k.parse::<AlertKind>() {
        Ok(k) => Some(k),
        Err(_) => {
            errors.push(tr.t1("alerts-no-such-kind", "kind", k));
            None
        }
    }
}

/// The device asked for; a bad address is said in `errors` and shows every device.
fn filter_device(tr: Tr, asked: Option<&str>, errors: &mut Vec<String>) -> Option<IpAddr> {
    let d = asked.map(str::trim).filter(|d| !d.is_empty())?;
    match d.parse::<IpAddr>() {
        Ok(ip) => Some(ip),
        Err(_) => {
            errors.push(tr.t1("alerts-no-such-device", "device", d));
            None
        }
    }
}

/// The filter's devices: every device with an alert (and `selected`, the one asked for),
/// by name.
fn device_options(
    app: &AppState,
    censor: &crate::group_view::Censor,
    selected: Option<DeviceId>,
    tr: Tr,
) -> Vec<DeviceOption> {
    let all = listing::listing(app, censor, None, None, usize::MAX)
        .map(|(l, _)| l)
        .unwrap_or_default();
    let mut seen: Vec<(DeviceId, String)> = all
        .iter()
        .filter_map(|l| Some((l.alert.device_ip?, l.device_name.as_ref()?.say(tr))))
        .collect();
    if let Some(d) = selected {
        seen.push((d, app.device_name_of(d).say(tr)));
    }
    seen.sort_by(|a, b| {
        a.1.to_lowercase()
            .cmp(&b.1.to_lowercase())
            .then(a.0.cmp(&b.0))
    });
    seen.dedup_by(|a, b| a.0 == b.0);
    seen.into_iter()
        .map(|(d, name)| DeviceOption {
            ip: d.to_string(),
            name,
            selected: selected == Some(d),
        })
        .collect()
}

/// "3 alerts", "No alerts", "The newest 500 of 812 alerts" (the scripts say the same), in
/// the language of `tr`.
fn alerts_summary(tr: Tr, shown: usize, total: usize) -> String {
    match total {
        0 => tr.t("alerts-none"),
        n if shown < n => tr.ta(
            "alerts-newest",
            [
                ("shown", FluentValue::from(shown)),
                ("total", FluentValue::from(n)),
            ],
        ),
        n => tr.tn("alerts-count", "n", n as u64),
    }
}

/// `GET /alerts`: the detectors' alerts, newest first, filtered by `?kind=` and `?device=`
/// (the same data as `/api/v1/alerts`; privacy mode: the device's own). A logged-in admin
/// gets an "ignore for 1 hour" form on each.
async fn alerts(
    State(app): State<AppState>,
    viewer: Viewer,
    admin: Result<AdminSession, AdminRejection>,
    q: Result<Query<AlertsQuery>, QueryRejection>,
) -> Response {
    let q = q.map(|Query(q)| q).unwrap_or_default();
    let csrf = admin
        .as_ref()
        .map(AdminSession::csrf_token)
        .unwrap_or_default();
    let mut res = html(&alerts_page(&app, viewer, q, csrf, chrono::Utc::now()));
    if admin.is_ok() {
        // The admin's token is in the page: never cached.
        res.headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    res
}

/// The alerts page's "ignore for 1 hour" form (works without script).
#[derive(Debug, Default, Deserialize)]
struct IgnoreForm {
    /// The login's CSRF token.
    #[serde(default)]
    csrf: String,
}

/// A short page for a refused ignore form (`message` in the reader's language), with the
/// way back.
fn refused_page(tr: Tr, status: StatusCode, message: &str) -> Response {
    crate::web::notice::refused_page(
        tr.code(),
        status,
        &tr.t("alerts-not-ignored"),
        message,
        "/alerts",
        &tr.t("alerts-back"),
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
    let tr = language::current().tr(app.site.lang());
    let token = form.map(|Form(f)| f.csrf).unwrap_or_default();
    if let Err(e) = admin.check_csrf(&headers, &token) {
        return refused_page(
            tr,
            StatusCode::FORBIDDEN,
            &crate::web::reasons::csrf(tr, &e),
        );
    }
    let Some(detect) = &app.detect else {
        return refused_page(
            tr,
            StatusCode::SERVICE_UNAVAILABLE,
            &tr.t("alerts-detectors-off"),
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
        Err((code, e)) => refused_page(tr, code, &format!("{e}.")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::web::alerts::listing::tests::row;
    use crate::web::assets;
    use crate::web::page::test_layout as layout;

    fn en() -> Tr {
        Tr::new(crate::i18n::Lang::En)
    }

    fn alerts(rows: Vec<AlertRow>, csrf: &str, enabled: bool, privacy: bool) -> AlertsPage {
        AlertsPage {
            page: layout("alerts", "alerts"),
            enabled,
            privacy,
            summary: alerts_summary(en(), rows.len(), rows.len()),
            filtered: false,
            rows,
            kinds: kind_options(en(), Some(AlertKind::Upload)),
            devices: vec![DeviceOption {
                ip: "192.0.2.10".into(),
                name: "Anna's <phone>".into(),
                selected: true,
            }],
            csrf: csrf.into(),
            notice: None,
            error: None,
        }
    }

    #[test]
    fn alerts_page_lists_alerts_in_words_without_javascript() {
        let html = alerts(
            vec![
                row(12, AlertKind::Upload, Some("Anna's <phone>"), None),
                row(9, AlertKind::Scan, None, None),
            ],
            "",
            true,
            false,
        )
        .render()
        .unwrap();
        assert!(html.contains("<a href=\"/alerts\" aria-current=\"page\">Alerts</a>"));
        assert!(html.contains(&assets::url("alerts.js")));
        assert!(html.contains("id=\"alert-kinds-data\""));
        // Each alert: its kind in words and a symbol, the device by name, the other side,
        // first and last seen, the count, the message (escaped).
        assert_eq!(html.matches("class=\"alert kind-").count(), 2);
        assert!(
            html.contains("data-alert-id=\"12\" data-kind=\"upload\" data-device=\"192.0.2.10\"")
        );
        assert!(html.contains("⇧</span>Large upload"));
        assert!(html.contains("<span class=\"alert-device\">Anna&#39;s &#60;phone&#62;</span>"));
        assert!(!html.contains("<phone>") && !html.contains("<files>"));
        assert!(html.contains("An outside host"));
        assert!(html.contains("files.example.test (203.0.113.20)"));
        assert!(html.contains("datetime=\"2026-11-21T10:02:03.120Z\">10:02:03</time>"));
        assert!(html.contains(">3 times<"));
        assert!(html.contains("sent 150 KB to &#60;files&#62;.example.test"));
        // The filter works as a plain form; the kind asked for is selected.
        assert!(html.contains("<form method=\"get\" action=\"/alerts\""));
        assert!(html.contains("<option value=\"upload\" selected>"));
        assert!(html.contains("<option value=\"192.0.2.10\" selected>"));
        for k in AlertKind::ALL {
            assert!(
                html.contains(&format!("<option value=\"{}\"", k.as_str())),
                "{k}"
            );
            assert!(
                html.contains(
                    &en()
                        .t(&format!("alert-kind-{}-explain", k.as_str()))
                        .replace('\'', "&#39;")
                ),
                "{k}"
            );
        }
        assert!(html.contains("id=\"alerts-empty\" hidden"));
        // Not an admin: no ignore buttons, no token.
        assert!(!html.contains("/ignore\""));
        assert!(!html.contains("data-csrf"));
        assert!(html.contains("href=\"/admin\""));
    }

    #[test]
    fn alerts_page_gives_an_admin_the_ignore_form() {
        let html = alerts(
            vec![
                row(12, AlertKind::Upload, Some("Anna"), None),
                row(9, AlertKind::Scan, None, Some("11:04:41 UTC")),
            ],
            "c0ffee",
            true,
            false,
        )
        .render()
        .unwrap();
        assert!(html.contains("data-csrf=\"c0ffee\""));
        assert!(html.contains("<form method=\"post\" action=\"/alerts/12/ignore\""));
        assert!(html.contains("name=\"csrf\" value=\"c0ffee\""));
        assert!(html.contains("Ignore for 1 hour"));
        // Already ignored: says until when instead.
        assert!(!html.contains("/alerts/9/ignore"));
        assert!(html.contains("Ignored until 11:04:41 UTC"));
    }

    #[test]
    fn alerts_page_when_empty_private_or_off() {
        let empty = alerts(vec![], "", true, true).render().unwrap();
        assert!(empty.contains("No alerts"));
        assert!(empty.contains("id=\"alerts-empty\">"));
        assert!(empty.contains("Nothing unusual so far."));
        assert!(empty.contains("your own device&#39;s alerts"));
        assert!(
            !empty.contains("id=\"filter-device\""),
            "privacy: no device filter"
        );
        let off = alerts(vec![], "", false, false).render().unwrap();
        assert!(off.contains("detect.enabled = false"));
        assert!(!off.contains("id=\"alerts-list\""));
    }

    #[test]
    fn alerts_summary_says_when_cut() {
        assert_eq!(alerts_summary(en(), 0, 0), "No alerts");
        assert_eq!(alerts_summary(en(), 1, 1), "1 alert");
        assert_eq!(alerts_summary(en(), 4, 4), "4 alerts");
        assert_eq!(
            alerts_summary(en(), 500, 812),
            "The newest 500 of 812 alerts"
        );
        let es = Tr::new(crate::i18n::Lang::Es);
        assert_eq!(
            alerts_summary(es, 500, 812),
            "Las 500 más recientes de 812 alertas"
        );
    }
}
