//! `GET /me`: the device's own page, which reads without script; and its forms,
//! `POST /me/nickname` and `POST /me/forget`, which act on the device that sends them.

use askama::Template;
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Json, Router};
use serde::Deserialize;

use crate::i18n::Tr;
use crate::model::Category;
use crate::web::alerts::listing::AlertRow;
use crate::web::auth::csrf::{check_form_token, FormToken};
use crate::web::language;
use crate::web::me::view::{me_view, MeView};
use crate::web::page::{category_label, html, Layout};
use crate::web::reasons;
use crate::web::viewer::Viewer;
use crate::web::AppState;

/// Routes of the page and its forms.
pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/me", get(me))
        .route("/me/nickname", post(set_nickname))
        .route("/me/forget", post(forget))
}

/// An organization row of `/me`, formatted.
struct MeOrg {
    org: String,
    category: &'static str,
    category_label: String,
    tracker: bool,
    countries: String,
    sent: String,
    received: String,
}

/// A country row of `/me`, formatted.
struct MeCountry {
    name: String,
    data: String,
    connections: String,
}

#[derive(Template)]
#[template(path = "me.html")]
struct MePage {
    page: Layout,
    me: MeView,
    csrf: String,
    sent: String,
    received: String,
    orgs: Vec<MeOrg>,
    countries: Vec<MeCountry>,
    /// The device's alerts, formatted.
    alerts: Vec<AlertRow>,
    /// Its pseudonym in the page's language.
    pseudonym: String,
}

fn me_page(app: &AppState, me: MeView, csrf: String) -> MePage {
    let page = Layout::new(app, "title-me", "me", "me");
    let tr = page.tr;
    let orgs = me
        .orgs
        .iter()
        .map(|o| MeOrg {
            org: o.org.clone(),
            category: o.category.unwrap_or("other"),
            category_label: o
                .category
                .and_then(|c| c.parse::<Category>().ok())
                .map_or_else(|| tr.t("me-unknown-kind"), |c| category_label(tr, c)),
            tracker: o.tracker,
            countries: o
                .countries
                .iter()
                .map(|c| tr.country(c))
                .collect::<Vec<_>>()
                .join(", "),
            sent: tr.bytes(o.bytes_up),
            received: tr.bytes(o.bytes_down),
        })
        .collect();
    let countries = me
        .countries
        .iter()
        .map(|c| MeCountry {
            name: tr.country(&c.code),
            data: tr.bytes(c.bytes),
            connections: tr.num(c.connections),
        })
        .collect();
    let now = chrono::Utc::now();
    let alerts = me
        .alerts
        .iter()
        .map(|a| AlertRow::new(a, now, None, tr))
        .collect();
    MePage {
        page,
        sent: tr.bytes(me.bytes_up),
        received: tr.bytes(me.bytes_down),
        orgs,
        countries,
        alerts,
        csrf,
        pseudonym: said_pseudonym(&me.pseudonym, me.pseudonym_words.as_ref(), tr),
        me,
    }
}

/// A pseudonym in the language of `tr` from its words (`english` when it has none).
pub(crate) fn said_pseudonym(
    english: &str,
    words: Option<&crate::devices::name::NameWords>,
    tr: Tr,
) -> String {
    words.map_or_else(
        || english.to_owned(),
        |w| crate::devices::pseudonym::say_words(w, tr),
    )
}

/// `GET /me`: the device that opens it, from its source address. The nickname and forget
/// forms carry a double-submit token ([`FormToken`]: the same value in a cookie and in the
/// form's hidden `csrf` field), which `POST /me/nickname` and `/me/forget` check.
async fn me(State(app): State<AppState>, viewer: Viewer, token: FormToken) -> Response {
    let view = me_view(&app, viewer.device);
    let csrf = token.value().to_owned();
    (token, html(&me_page(&app, view, csrf))).into_response()
}

/// The nickname form.
#[derive(Debug, Deserialize)]
struct NicknameForm {
    /// The new nickname; empty clears it.
    #[serde(default)]
    nickname: String,
    /// The device form's token.
    #[serde(default)]
    csrf: String,
}

/// The forget form.
#[derive(Debug, Deserialize)]
struct ForgetForm {
    /// Must be `yes` (the page's checkbox).
    #[serde(default)]
    confirm: String,
    /// The device form's token.
    #[serde(default)]
    csrf: String,
}

/// The translator of this request (a refusal is a page of its own).
fn tr_of(app: &AppState) -> Tr {
    language::current().tr(app.site.lang())
}

/// A short page for a refused form (`message` already in the reader's language), with the
/// way back.
fn refused(tr: Tr, status: StatusCode, message: &str) -> Response {
    crate::web::notice::refused_page(
        tr.code(),
        status,
        &tr.t("me-refused-title"),
        message,
        "/me",
        &tr.t("me-back"),
    )
}

/// A form answer: JSON for scripts (`Accept: application/json`), else back to the page.
fn done(headers: &HeaderMap, body: serde_json::Value, to: &str) -> Response {
    let wants_json = headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("application/json"));
    if wants_json {
        Json(body).into_response()
    } else {
        Redirect::to(to).into_response()
    }
}

async fn set_nickname(
    State(app): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    Form(form): Form<NicknameForm>,
) -> Response {
    let tr = tr_of(&app);
    if let Err(e) = check_form_token(&headers, &form.csrf) {
        return refused(
            tr,
            StatusCode::FORBIDDEN,
            &tr.t1("me-form-refused", "why", &reasons::csrf(tr, &e)),
        );
    }
    let ip = viewer.device.ip();
    match crate::session::set_own_nickname(&app.stages(), ip, &form.nickname) {
        Ok(name) => done(&headers, serde_json::json!({ "nickname": name }), "/me"),
        Err(e @ crate::session::SessionError::NicknameLocked) => refused(
            tr,
            StatusCode::FORBIDDEN,
            &tr.t1("me-not-changed", "why", &reasons::session(tr, &e)),
        ),
        Err(crate::session::SessionError::Nickname(e)) => refused(
            tr,
            StatusCode::BAD_REQUEST,
            &tr.t1("me-nickname-refused", "why", &reasons::nickname(tr, &e)),
        ),
        Err(e) => refused(
            tr,
            StatusCode::SERVICE_UNAVAILABLE,
            &format!("{}.", reasons::session(tr, &e)),
        ),
    }
}

async fn forget(
    State(app): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    Form(form): Form<ForgetForm>,
) -> Response {
    let tr = tr_of(&app);
    if let Err(e) = check_form_token(&headers, &form.csrf) {
        return refused(
            tr,
            StatusCode::FORBIDDEN,
            &tr.t1("me-form-refused", "why", &reasons::csrf(tr, &e)),
        );
    }
    if form.confirm != "yes" {
        return refused(tr, StatusCode::BAD_REQUEST, &tr.t("me-forget-unticked"));
    }
    let ip = viewer.device.ip();
    match crate::session::forget_device(&app.stages(), ip).await {
        Ok(gone) => {
            tracing::info!("forgot device {ip} at its own request");
            done(
                &headers,
                serde_json::json!({ "forgotten": gone }),
                "/me?forgotten=1",
            )
        }
        Err(e) => refused(
            tr,
            StatusCode::SERVICE_UNAVAILABLE,
            &tr.t1("me-forget-failed", "why", &reasons::session(tr, &e)),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::AlertKind;
    use crate::web::alerts::listing::tests::row;
    use crate::web::page::test_layout as layout;

    #[test]
    fn me_page_works_without_javascript() {
        use crate::web::me::view::{CountryRow, OrgRow, TimelineRow};
        let me = MeView {
            ip: "192.0.2.10".into(),
            addresses: vec!["192.0.2.10".parse().unwrap()],
            known: true,
            name: "Ana's <phone>".into(),
            name_words: None,
            pseudonym: "Blue Otter".into(),
            pseudonym_words: None,
            emoji: "🦦".into(),
            group_name: "Ana's <phone>".into(),
            group_name_words: None,
            nickname: Some("Ana's <phone>".into()),
            nickname_locked: true,
            hostname: None,
            vendor: Some("Samsung".into()),
            randomised_mac: false,
            bytes_up: 1200,
            bytes_down: 48_000,
            trackers: 1,
            orgs: vec![OrgRow {
                org: "Google".into(),
                category: Some("advertising"),
                category_label: Some("Advertising"),
                tracker: true,
                countries: vec!["US".into()],
                bytes_up: 100,
                bytes_down: 2000,
                connections: 2,
            }],
            countries: vec![CountryRow {
                code: "US".into(),
                name: "United States".into(),
                bytes: 2100,
                connections: 2,
            }],
            timeline: vec![TimelineRow {
                at_iso: "2026-11-21T08:00:00.000Z".into(),
                at_time: "08:00:00".into(),
                name: "ads.doubleclick.net".into(),
                registrable: Some("doubleclick.net".into()),
                org: Some("Google".into()),
                tracker: true,
                blocked: true,
            }],
            privacy: false,
            alerts_enabled: true,
            alerts: vec![],
        };
        let page = MePage {
            page: layout("me", "me"),
            sent: "1.2 kB".into(),
            received: "48 kB".into(),
            orgs: vec![],
            countries: vec![],
            alerts: vec![row(7, AlertKind::EncryptedDns, Some("Ana's <phone>"), None)],
            csrf: "abc".into(),
            pseudonym: "Blue Otter".into(),
            me,
        };
        let html = page.render().unwrap();
        // Its alerts, without the device's name on each (it is the page's) or an ignore form.
        assert!(html.contains("id=\"me-alerts\""));
        assert!(html.contains("data-alert-id=\"7\""));
        assert!(html.contains("Encrypted DNS"));
        assert!(!html.contains("class=\"alert-device\""));
        assert!(!html.contains("/alerts/7/ignore"));
        assert!(html.contains("id=\"me-alerts-empty\" hidden"));
        assert!(html.contains("id=\"me-name\""));
        assert!(html.contains("You are <strong id=\"me-pseudonym\">🦦 Blue Otter</strong>"));
        assert!(
            html.contains("<span id=\"me-group-name\">Ana&#39;s &#60;phone&#62;</span>"),
            "{html}"
        );
        assert!(html.contains("<span id=\"me-ip\">192.0.2.10</span>"));
        assert!(!html.contains("<phone>"), "escaped");
        assert!(html.contains("ads.doubleclick.net"));
        assert!(html.contains("<span class=\"badge blocked\">blocked</span>"));
        assert!(html.contains("action=\"/me/nickname\""));
        assert!(html.contains("me-nickname-locked"), "the lock is said");
        assert!(html.contains("name=\"csrf\" value=\"abc\""));
        assert!(html.contains("48 kB"));
    }
}
