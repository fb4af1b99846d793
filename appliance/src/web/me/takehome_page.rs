//! `GET /me/takehome`: the printable take-home summary of a device's session (A4 and Letter,
//! black and white: `style.css`'s `@media print`). Server-rendered, no script; the device
//! itself gets it, the logged-in admin gets any device's with `?device=ADDRESS`.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;

use crate::web::auth::login::{AdminRejection, AdminSession};
use fluent_bundle::FluentValue;

use crate::model::Category;
use crate::web::language;
use crate::web::me::takehome::{resolve, take_home, Refusal, TakeHome, TrackerRow, WhoQuery};
use crate::web::page::{category_explain, category_label, html, Layout};
use crate::web::viewer::Viewer;
use crate::web::AppState;

/// Routes of the page.
pub(super) fn routes() -> Router<AppState> {
    Router::new().route("/me/takehome", get(page))
}

#[derive(Template)]
#[template(path = "takehome.html")]
struct TakeHomePage {
    page: Layout,
    t: TakeHome,
    /// The pseudonym in the page's language.
    pseudonym: String,
    /// `?device=…` for the download links (empty for the device's own).
    query: String,
    /// When, as people read it (UTC).
    when: String,
    sent: String,
    received: String,
}

impl TakeHomePage {
    /// Bytes as people read them in the page's language (for the template).
    fn bytes(&self, n: impl std::borrow::Borrow<u64>) -> String {
        self.page.tr.bytes(*n.borrow())
    }

    /// Country codes as names in the page's language, joined (for the template).
    fn countries(&self, codes: &[String]) -> String {
        codes
            .iter()
            .map(|c| self.page.tr.country(c))
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// A category id's label in the page's language.
    fn kind(&self, id: &str) -> String {
        id.parse::<Category>().map_or_else(
            |_| self.page.tr.t("th-unknown-kind"),
            |c| category_label(self.page.tr, c),
        )
    }

    /// A tracker's kind in the page's language.
    fn tracker_kind(&self, k: &TrackerRow) -> String {
        k.category.map_or_else(
            || self.page.tr.t("th-listed-kind"),
            |c| category_label(self.page.tr, c),
        )
    }

    /// What a tracker does, in plain words in the page's language.
    fn tracker_explain(&self, k: &TrackerRow) -> String {
        k.category.map_or_else(
            || self.page.tr.t("th-listed-explain"),
            |c| category_explain(self.page.tr, c),
        )
    }

    /// "12 names looked up and 40 connections are in the downloads."
    fn in_downloads(&self) -> String {
        self.page.tr.ta(
            "th-in-downloads",
            [
                ("lookups", FluentValue::from(self.t.lookups.len())),
                ("flows", FluentValue::from(self.t.flows.len())),
            ],
        )
    }
}

async fn page(
    State(app): State<AppState>,
    viewer: Viewer,
    admin: Result<AdminSession, AdminRejection>,
    Query(q): Query<WhoQuery>,
) -> Response {
    let device = match resolve(&app, &viewer, &admin, &q) {
        Ok(d) => d,
        Err(r) => {
            let tr = language::current().tr(app.site.lang());
            let (status, title, msg) = match r {
                Refusal::BadDevice => (
                    StatusCode::BAD_REQUEST,
                    "th-bad-device-title",
                    "th-bad-device",
                ),
                Refusal::NotYours => (StatusCode::FORBIDDEN, "th-not-yours-title", "th-not-yours"),
            };
            return crate::web::notice::refused_page(
                tr.code(),
                status,
                &tr.t(title),
                &tr.t(msg),
                "/me",
                &tr.t("me-back"),
            );
        }
    };
    let t = take_home(&app, device);
    let query = if q.device.as_deref().is_some_and(|d| !d.is_empty()) {
        format!("?device={}", t.ip)
    } else {
        String::new()
    };
    let page = Layout::new(&app, "title-takehome", "me", "");
    let tr = page.tr;
    let p = TakeHomePage {
        page,
        when: crate::web::language::current()
            .clock
            .date_time(tr, t.generated_at),
        sent: tr.bytes(t.bytes_up),
        received: tr.bytes(t.bytes_down),
        query,
        pseudonym: crate::web::me::page::said_pseudonym(
            &t.pseudonym,
            t.pseudonym_words.as_ref(),
            tr,
        ),
        t,
    };
    html(&p).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::web::me::takehome::{MarkRow, MinuteRow};
    use crate::web::me::view::{CountryRow, OrgRow};
    use crate::web::page::test_layout as layout;

    #[test]
    fn the_page_escapes_names_and_says_what_each_tracker_does() {
        let t = TakeHome {
            generated_at: chrono::Utc::now(),
            site: "Room 4".into(),
            name: "<b>Ana</b>".into(),
            pseudonym: "Blue Otter".into(),
            pseudonym_words: None,
            emoji: "🦦".into(),
            ip: "192.0.2.10".into(),
            bytes_up: 1000,
            bytes_down: 48_000,
            companies: vec![OrgRow {
                org: "Ad<Co>".into(),
                category: Some("advertising"),
                category_label: Some("Advertising"),
                tracker: true,
                countries: vec!["US".into()],
                bytes_up: 1,
                bytes_down: 2,
                connections: 1,
            }],
            countries: vec![CountryRow {
                code: "US".into(),
                name: "United States".into(),
                bytes: 3,
                connections: 1,
            }],
            trackers: vec![TrackerRow {
                org: "Ad<Co>".into(),
                kind: "Advertising",
                explain: "Companies that choose and show ads.",
                countries: vec!["United States".into()],
                country_codes: vec!["US".into()],
                category: Some(Category::Advertising),
                bytes: 3,
            }],
            busiest_minutes: vec![MinuteRow {
                minute: "2026-12-06T08:01:00Z".into(),
                time: "08:01".into(),
                bytes: 3,
                connections: 1,
                lookups: 2,
            }],
            marks: vec![MarkRow {
                at: "2026-12-06T08:00:00Z".into(),
                time: "08:00".into(),
                label: "Now <open> TikTok".into(),
            }],
            lookups: vec![],
            flows: vec![],
        };
        let p = TakeHomePage {
            page: layout("me", "me"),
            query: String::new(),
            when: "now".into(),
            sent: "1 kB".into(),
            received: "48 kB".into(),
            pseudonym: "Blue Otter".into(),
            t,
        };
        let html = p.render().unwrap_or_default();
        assert!(html.contains("id=\"takehome-trackers\""), "{html}");
        assert!(html.contains("id=\"takehome-marks\""), "{html}");
        assert!(
            !html.contains("Now <open>"),
            "the mark's label is escaped: {html}"
        );
        assert!(html.contains("Companies that choose and show ads."));
        assert!(html.contains("Ad&#60;Co&#62;"));
        assert!(!html.contains("<b>Ana</b>"));
        assert!(html.contains("href=\"/me/takehome.csv\""));
        assert!(html.contains("href=\"/me/takehome.json\""));
        assert!(html.contains("08:01"));
    }
}
