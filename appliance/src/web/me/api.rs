//! `GET /api/v1/me`: the [`MeView`] of the device asking, as JSON.

use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};

use crate::web::me::view::me_view;
use crate::web::viewer::Viewer;
use crate::web::AppState;

/// Routes of the JSON side.
pub(super) fn routes() -> Router<AppState> {
    Router::new().route("/api/v1/me", get(me_json))
}

/// The view of the device asking.
async fn me_json(State(app): State<AppState>, viewer: Viewer) -> Response {
    Json(me_view(&app, viewer.device)).into_response()
}
