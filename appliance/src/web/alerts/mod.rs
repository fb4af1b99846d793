//! The detectors' alerts: the JSON list and the temporary ignores for scripts, the `/alerts`
//! page and its "ignore for 1 hour" form.
//!
//! | method | path | who | file |
//! |---|---|---|---|
//! | GET | `/api/v1/alerts` (`?device=`, `?kind=`, `?limit=`) | anyone (privacy mode: own alerts) | `api` |
//! | GET | `/api/v1/alerts/ignores` | admin | `api` |
//! | POST | `/api/v1/alerts/{id}/ignore` | admin + `X-CSRF-Token` | `api` |
//! | POST | `/api/v1/alerts/ignores` | admin + `X-CSRF-Token` | `api` |
//! | DELETE | `/api/v1/alerts/ignores/{id}` | admin + `X-CSRF-Token` | `api` |
//! | GET | `/alerts` (`?kind=`, `?device=`) | anyone (privacy mode: own alerts) | `page` |
//! | POST | `/alerts/{id}/ignore` | admin + form field `csrf` (the page without script) | `page` |
//!
//! `listing` is what both draw from, and what the device's own page shows of its alerts
//! ([`listing::listing`], [`listing::AlertRow`]).
//!
//! See `docs/API.md`.

mod api;
pub(crate) mod listing;
mod page;

use axum::Router;

use crate::web::AppState;

/// Routes of this feature: the JSON and the page.
pub fn routes() -> Router<AppState> {
    Router::new().merge(api::routes()).merge(page::routes())
}
