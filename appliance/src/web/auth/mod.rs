//! Who may change what: the admin login and the CSRF checks, used by the admin side and by
//! every page with a form (the device's own forms, the alerts page's ignore form).
//!
//! - `login`: the admin password check, the login table and cookie, and the extractors
//!   [`AdminSession`] (a logged-in admin: `401` otherwise) and [`AdminWrite`] (also the
//!   login's `X-CSRF-Token`: `403` otherwise).
//! - `throttle`: slowing down password guessing, per client and over all clients.
//! - `recovery`: the one-time recovery code for a locked-out admin (console and problems
//!   file).
//! - `csrf`: the tokens (bound to the admin login, or double-submit for the device's own
//!   forms: [`csrf::FormToken`], [`csrf::check_form_token`]) and the `Origin` check.

pub(crate) mod csrf;
pub(crate) mod login;
pub(crate) mod recovery;
pub(crate) mod throttle;

pub(crate) use login::{AdminRejection, AdminSession, AdminWrite};
