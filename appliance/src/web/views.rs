//! The live views: `GET /sankey` (device to country) and `GET /map` (the world map), and
//! `GET /api/v1/site`, the map's starting point. Their scripts fill them from the JSON API
//! and the event stream.

use askama::Template;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::json;

use crate::config::SiteConfig;
use crate::web::page::{category_views, html, CategoryView, Layout};
use crate::web::AppState;

/// Routes of these views.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/sankey", get(sankey))
        .route("/map", get(map))
        .route("/api/v1/site", get(site))
}

/// The views' own query: `?replay=<session id>` puts the page in replay mode (the admin's
/// replay of a stored session, `lib/replay.js`; the API it reads checks the login). Other
/// parameters (`window`, `device`, ...) are the scripts' business.
#[derive(Deserialize)]
struct ViewQuery {
    replay: Option<String>,
}

impl ViewQuery {
    /// The session to replay, if `replay` is a session number.
    fn replay(q: Result<Query<ViewQuery>, QueryRejection>) -> Option<String> {
        q.ok()
            .and_then(|Query(q)| q.replay)
            .and_then(|r| r.parse::<i64>().ok())
            .map(|id| id.to_string())
    }
}

#[derive(Template)]
#[template(path = "sankey.html")]
struct SankeyPage {
    page: Layout,
    /// `marks_panel.html`: no "Mark now" here (the presenter page has it).
    mark_csrf: Option<String>,
    /// `marks_panel.html`: draw the session's timeline.
    timeline: bool,
    /// `replay_bar.html`: the session replayed, instead of the live view.
    replay: Option<String>,
}

async fn sankey(
    State(app): State<AppState>,
    q: Result<Query<ViewQuery>, QueryRejection>,
) -> Response {
    html(&SankeyPage {
        replay: ViewQuery::replay(q),
        page: Layout::new(&app, "title-sankey", "sankey", "sankey"),
        mark_csrf: None,
        timeline: true,
    })
}

#[derive(Template)]
#[template(path = "map.html")]
struct MapPage {
    page: Layout,
    categories: Vec<CategoryView>,
    home_set: bool,
    /// `marks_panel.html`: no "Mark now" here (the presenter page has it).
    mark_csrf: Option<String>,
    /// `marks_panel.html`: no timeline on the map.
    timeline: bool,
    /// `replay_bar.html`: the session replayed, instead of the live view.
    replay: Option<String>,
}

async fn map(State(app): State<AppState>, q: Result<Query<ViewQuery>, QueryRejection>) -> Response {
    let page = Layout::new(&app, "title-map", "map", "map");
    html(&MapPage {
        categories: category_views(page.tr),
        page,
        home_set: app.site.latitude.is_some() && app.site.longitude.is_some(),
        mark_csrf: None,
        timeline: false,
        replay: ViewQuery::replay(q),
    })
}

/// `GET /api/v1/site`: `{name, url, latitude, longitude}` (the map's starting point; both
/// coordinates `null` when not set).
async fn site(State(app): State<AppState>) -> Response {
    Json(site_json(&app.site)).into_response()
}

fn site_json(s: &SiteConfig) -> serde_json::Value {
    json!({ "name": s.name, "url": s.url, "latitude": s.latitude, "longitude": s.longitude })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn site_json_has_nulls_when_unset() {
        let v = site_json(&SiteConfig::default());
        assert_eq!(v["url"], "http://whereflow.lan");
        assert!(v["latitude"].is_null() && v["longitude"].is_null());
    }
}
