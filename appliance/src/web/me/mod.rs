//! "My device": what the device that opens the page did this session, as JSON and as a
//! page, and the forms with which it renames or forgets itself.
//!
//! | method | path | who | file |
//! |---|---|---|---|
//! | GET | `/api/v1/me` | the device itself | `api` |
//! | GET | `/me` | the device itself | `page` |
//! | POST | `/me/nickname`, `/me/forget` | the device itself + the device form's token | `page` |
//! | GET | `/me/takehome` | the device itself, or the admin (`?device=`) | `takehome_page` |
//! | GET | `/me/takehome.json`, `.csv` | the device itself, or the admin (`?device=`) | `download` |
//!
//! The device is the request's source address (`Viewer`); nobody can look at another
//! device's page, and nobody can rename or forget another device: the forms act on the
//! device that sends them, behind the device form's double-submit token
//! (`web/auth/csrf.rs`). Both draw from `view` ([`view::MeView`]); the take-home summary
//! and its downloads from `takehome` ([`takehome::TakeHome`]), which decides whose summary
//! a request may have (its own device's; any device's for the logged-in admin).

mod api;
mod download;
mod page;
mod takehome;
mod takehome_page;
pub(crate) mod view;

use axum::Router;

use crate::web::AppState;

/// Routes of this feature: the JSON and the page.
pub fn routes() -> Router<AppState> {
    Router::new()
        .merge(api::routes())
        .merge(page::routes())
        .merge(takehome_page::routes())
        .merge(download::routes())
}
