//! The admin side: the admin page, login, sessions, export, settings, backup.
//!
//! | method | path | who | file |
//! |---|---|---|---|
//! | GET | `/admin` | anyone (login form, or the admin page when logged in) | `page` |
//! | POST | `/admin/login` | anyone (form: `password`) | `login` |
//! | POST | `/admin/logout` | admin form (`csrf` field) | `login` |
//! | GET | `/api/v1/admin` | admin: login and CSRF token for scripts | `login` |
//! | GET | `/api/v1/sessions` | anyone | `sessions` |
//! | POST | `/api/v1/sessions` | admin + `X-CSRF-Token` | `sessions` |
//! | DELETE | `/api/v1/sessions/{id}` | admin + `X-CSRF-Token` | `sessions` |
//! | POST | `/admin/sessions`, `/admin/sessions/{id}/delete` | admin forms (`csrf` field) | `sessions` |
//! | GET | `/api/v1/sessions/{id}/export`, `/api/v1/sessions/{id}/report` | admin | `export` |
//! | GET, POST | `/api/v1/settings` | admin (+ `X-CSRF-Token` for POST) | `settings` |
//! | POST | `/admin/settings` | admin form (`csrf` field) | `settings` |
//! | GET | `/api/v1/backup` (`?secrets=1`) | admin | `backup` |
//! | POST | `/api/v1/backup` | admin + `X-CSRF-Token` (the document as body) | `backup` |
//! | POST | `/admin/backup/restore` | admin form (`csrf`, `backup` fields) | `backup` |
//!
//! Without a login every admin endpoint answers `401`; a logged-in request that changes
//! state without this login's CSRF token answers `403` (see `web::auth`). `state` holds
//! what the admin side keeps ([`Admin`]) and how its operations fail; `page` draws the admin
//! page and gives every admin form its CSRF check, error page and redirect. The admin's
//! controls (`web::controls`) are a feature of their own with a section on this page; `wifi` is
//! the page's section on the room's radio and the uplink.

mod backup;
pub(crate) mod export;
mod login;
pub(crate) mod page;
mod secrets;
mod sessions;
mod settings;
mod state;
mod wifi;

use axum::Router;

use crate::web::AppState;

pub use state::{Admin, AdminParts};
pub(crate) use wifi::{security_key, security_of};

/// The routes of the admin side (merged in `web::router`).
pub fn routes() -> Router<AppState> {
    Router::new()
        .merge(page::routes())
        .merge(login::routes())
        .merge(sessions::routes())
        .merge(export::routes())
        .merge(settings::routes())
        .merge(backup::routes())
}
