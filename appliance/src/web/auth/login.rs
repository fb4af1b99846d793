//! Admin logins: password check, the login table, the cookie, and the extractors that let a
//! request in as admin ([`AdminSession`], [`AdminWrite`]).
//!
//! * A login is a random 256-bit token in the cookie `whereflow_admin` (HttpOnly,
//!   SameSite=Strict, Path=/, 12 hours; `Secure` when the login came over HTTPS,
//!   `web.https_listen`) plus a second random token for CSRF. At most [`MAX_LOGINS`] are kept
//!   (server side, in memory: a restart logs everyone out); a new one pushes out the oldest.
//!   Tokens are compared in constant time.
//! * Guessing is slowed down per client and over all clients ([`Throttle`]); a lock-out
//!   refuses without checking the password (`429` with `Retry-After`).
//! * argon2 runs on the blocking pool, at most [`VERIFY_SLOTS`] at once (19 MiB each).

use std::net::IpAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use parking_lot::{Mutex, RwLock};
use subtle::ConstantTimeEq;
use tokio::sync::Semaphore;
use tokio::time::Instant;

use crate::config::password;
use crate::web::auth::csrf::{self, CsrfRejection, Token};
use crate::web::auth::recovery::Recovery;
use crate::web::auth::throttle::{ClientKey, Refused, Throttle};
use crate::web::AppState;

/// The login cookie.
pub const COOKIE: &str = "whereflow_admin";
/// How long a login lasts.
pub const LOGIN_LIFETIME: Duration = Duration::from_secs(12 * 3600);
/// Logins kept at once.
pub const MAX_LOGINS: usize = 16;
/// argon2 checks running at once.
pub const VERIFY_SLOTS: usize = 2;

#[derive(Clone)]
struct Login {
    token: Token,
    csrf: Token,
    expires: Instant,
    expires_at: DateTime<Utc>,
}

/// The admin password and the logins.
pub struct Auth {
    /// Replaced only by a restored backup (`set_password_hash`).
    hash: RwLock<Option<String>>,
    recovery: Option<Recovery>,
    logins: Mutex<Vec<Login>>,
    throttle: Mutex<Throttle>,
    verify_slots: Arc<Semaphore>,
}

/// Why a login failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LoginError {
    /// No admin password is set.
    Disabled,
    /// Wrong password.
    Wrong,
    /// Not tried: wait.
    Refused(Refused),
}

/// A new login: the cookie to set.
pub struct NewLogin {
    token: Token,
}

impl NewLogin {
    /// The `Set-Cookie` value; `secure` (the login came over HTTPS) adds `Secure`, so the
    /// browser never sends the cookie over plain HTTP.
    pub fn cookie(&self, secure: bool) -> String {
        format!(
            "{COOKIE}={}; HttpOnly; SameSite=Strict; Path=/; Max-Age={}{}",
            csrf::to_hex(&self.token),
            LOGIN_LIFETIME.as_secs(),
            secure_flag(secure)
        )
    }
}

fn secure_flag(secure: bool) -> &'static str {
    if secure {
        "; Secure"
    } else {
        ""
    }
}

/// The `Set-Cookie` value that ends a login in the browser.
pub fn logout_cookie(secure: bool) -> String {
    format!(
        "{COOKIE}=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0{}",
        secure_flag(secure)
    )
}

/// Holds a client's attempt as running until dropped (also when the request is dropped).
struct Attempt<'a> {
    auth: &'a Auth,
    client: ClientKey,
}

impl Drop for Attempt<'_> {
    fn drop(&mut self) {
        self.auth.throttle.lock().finish(self.client);
    }
}

impl Auth {
    /// With the password hash from [`password::prepare`] (`None`: admin pages off). With a
    /// password, a recovery code is made and published (logged, and written to
    /// `problems_file` when there is one: `web::auth::recovery`).
    pub fn new(
        hash: Option<String>,
        problems_file: Option<(std::path::PathBuf, crate::i18n::Lang)>,
    ) -> Self {
        Auth {
            recovery: hash.as_ref().map(|_| Recovery::new(problems_file)),
            hash: RwLock::new(hash),
            logins: Mutex::new(Vec::new()),
            throttle: Mutex::new(Throttle::new(Instant::now())),
            verify_slots: Arc::new(Semaphore::new(VERIFY_SLOTS)),
        }
    }

    /// Is an admin password set?
    pub fn enabled(&self) -> bool {
        self.hash.read().is_some()
    }

    /// The admin password's hash (a backup asked for with its secrets).
    pub(crate) fn password_hash(&self) -> Option<String> {
        self.hash.read().clone()
    }

    /// Take another password hash (a restored backup's, checked). Logins already made stay
    /// valid. Refused (`false`) while the admin pages are off: turning them on takes a
    /// restart, as setting `admin.password` does.
    pub(crate) fn set_password_hash(&self, hash: String) -> bool {
        let mut h = self.hash.write();
        if h.is_none() {
            return false;
        }
        *h = Some(hash);
        true
    }

    /// Check `password` for `client` (at `ip`), with the slow-down rules (module notes). The
    /// recovery code instead of the password logs in at once and clears every lock-out.
    pub async fn login(
        &self,
        client: ClientKey,
        ip: IpAddr,
        password: String,
    ) -> Result<NewLogin, LoginError> {
        let Some(hash) = self.hash.read().clone() else {
            return Err(LoginError::Disabled);
        };
        if self.recovery.as_ref().is_some_and(|r| r.try_use(&password)) {
            self.throttle.lock().clear(Instant::now());
            tracing::warn!("admin login from {ip} with the recovery code: every lock-out cleared");
            return Ok(self.new_login());
        }
        self.throttle
            .lock()
            .begin(client, Instant::now())
            .map_err(LoginError::Refused)?;
        let _attempt = Attempt { auth: self, client };
        let slot = tokio::time::timeout(
            Duration::from_secs(10),
            self.verify_slots.clone().acquire_owned(),
        )
        .await
        .map_err(|_| LoginError::Refused(Refused::Busy))?
        .map_err(|_| LoginError::Refused(Refused::Busy))?;
        // The slot goes with the hash: a client that hangs up does not free it before the
        // hash is done, so at most VERIFY_SLOTS run whatever clients do.
        let ok = tokio::task::spawn_blocking(move || {
            let _slot = slot;
            password::verify(&hash, &password)
        })
        .await
        .unwrap_or(false);
        if !ok {
            let delay = self.throttle.lock().failed(client, Instant::now());
            tracing::info!("admin login refused: wrong password from {ip}");
            tokio::time::sleep(delay).await;
            return Err(LoginError::Wrong);
        }
        self.throttle.lock().succeeded(client);
        tracing::info!("admin login from {ip}");
        Ok(self.new_login())
    }

    /// A new login in the table (the oldest pushed out when it is full).
    fn new_login(&self) -> NewLogin {
        let login = Login {
            token: csrf::new_token(),
            csrf: csrf::new_token(),
            expires: Instant::now() + LOGIN_LIFETIME,
            expires_at: Utc::now()
                + chrono::Duration::from_std(LOGIN_LIFETIME).unwrap_or(chrono::Duration::zero()),
        };
        let mut logins = self.logins.lock();
        let now = Instant::now();
        logins.retain(|l| l.expires > now);
        if logins.len() >= MAX_LOGINS {
            logins.sort_by_key(|l| l.expires);
            logins.remove(0);
        }
        logins.push(login.clone());
        NewLogin { token: login.token }
    }

    /// The login whose token is in the cookie, if it is valid.
    fn find(&self, cookie: &str) -> Option<AdminSession> {
        let given = csrf::from_hex(cookie)?;
        let now = Instant::now();
        let logins = self.logins.lock();
        // Every entry is compared, in constant time each: the time does not tell which
        // (or whether one) matched.
        let mut found = None;
        for l in logins.iter() {
            if bool::from(l.token.ct_eq(&given)) && l.expires > now {
                found = Some(AdminSession::from(l));
            }
        }
        found
    }

    /// End the login with this token.
    pub fn logout(&self, session: &AdminSession) {
        self.logins
            .lock()
            .retain(|l| !bool::from(l.token.ct_eq(&session.token)));
    }
}

/// A logged-in admin: an extractor that refuses with `401` without a valid login cookie.
/// It does not check CSRF: use it alone for reads, with [`AdminSession::check_csrf`] for
/// forms, or [`AdminWrite`] for JSON requests that change something.
#[derive(Clone, Debug)]
pub struct AdminSession {
    token: Token,
    csrf: Token,
    /// When the login ends.
    pub expires_at: DateTime<Utc>,
}

impl From<&Login> for AdminSession {
    fn from(l: &Login) -> Self {
        AdminSession {
            token: l.token,
            csrf: l.csrf,
            expires_at: l.expires_at,
        }
    }
}

impl AdminSession {
    /// The CSRF token of this login, for hidden form fields (`csrf`) and scripts
    /// (`X-CSRF-Token`).
    pub fn csrf_token(&self) -> String {
        csrf::to_hex(&self.csrf)
    }

    /// Check a submitted CSRF token (a form's `csrf` field) and the `Origin` header.
    pub fn check_csrf(
        &self,
        headers: &axum::http::HeaderMap,
        submitted: &str,
    ) -> Result<(), CsrfRejection> {
        csrf::check_same_origin(headers)?;
        if csrf::tokens_equal(&self.csrf, submitted) {
            Ok(())
        } else {
            Err(CsrfRejection(csrf::ADMIN_TOKEN))
        }
    }
}

/// Why a request was not let in as admin.
#[derive(Debug)]
pub enum AdminRejection {
    /// No (valid) login: `401`.
    NotLoggedIn {
        /// Whether an admin password is set at all.
        enabled: bool,
        /// Answer with a page rather than JSON.
        html: bool,
    },
    /// Logged in but the CSRF check failed: `403`.
    Csrf(CsrfRejection),
}

impl IntoResponse for AdminRejection {
    fn into_response(self) -> Response {
        match self {
            AdminRejection::NotLoggedIn { enabled, html } => {
                let msg = if enabled {
                    "admin login required: log in at /admin"
                } else {
                    "the admin pages are off: set admin.password in the config file and restart"
                };
                let tr = crate::web::language::current().reader();
                let said = tr.t(if enabled {
                    "reason-login-required"
                } else {
                    "reason-admin-off"
                });
                let mut res = if html {
                    crate::web::notice::refused_page(
                        tr.code(),
                        StatusCode::UNAUTHORIZED,
                        &tr.t("login-required-title"),
                        &said,
                        "/admin",
                        &tr.t("login-go-admin"),
                    )
                } else {
                    crate::web::reasons::json_refusal(StatusCode::UNAUTHORIZED, msg, said)
                };
                res.headers_mut()
                    .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
                res
            }
            AdminRejection::Csrf(c) => c.into_response(),
        }
    }
}

impl FromRequestParts<AppState> for AdminSession {
    type Rejection = AdminRejection;

    async fn from_request_parts(
        parts: &mut Parts,
        app: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let auth = &app.admin.auth;
        csrf::cookie(&parts.headers, COOKIE)
            .and_then(|c| auth.find(c))
            .ok_or(AdminRejection::NotLoggedIn {
                enabled: auth.enabled(),
                html: !parts.uri.path().starts_with("/api/"),
            })
    }
}

/// A logged-in admin whose request carries this login's CSRF token in the `X-CSRF-Token`
/// header (and no foreign `Origin`): for JSON requests that change state. `401` without a
/// login, `403` without the token.
#[derive(Clone, Copy, Debug)]
pub struct AdminWrite;

impl FromRequestParts<AppState> for AdminWrite {
    type Rejection = AdminRejection;

    async fn from_request_parts(
        parts: &mut Parts,
        app: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let session = AdminSession::from_request_parts(parts, app).await?;
        let given = parts
            .headers
            .get(csrf::HEADER)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        session
            .check_csrf(&parts.headers, given)
            .map_err(AdminRejection::Csrf)?;
        Ok(AdminWrite)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::web::auth::throttle;

    #[tokio::test]
    async fn login_table_is_bounded_and_tokens_are_checked() {
        let auth = Auth::new(Some(password::hash("correct horse").unwrap()), None);
        let ip: IpAddr = "192.0.2.10".parse().unwrap();
        let client = ClientKey::from(ip);
        let mut logins = vec![];
        for _ in 0..MAX_LOGINS + 3 {
            logins.push(
                auth.login(client, ip, "correct horse".into())
                    .await
                    .ok()
                    .unwrap(),
            );
        }
        assert_eq!(auth.logins.lock().len(), MAX_LOGINS);
        let cookie_token = |l: &NewLogin| csrf::to_hex(&l.token);
        assert!(
            auth.find(&cookie_token(&logins[0])).is_none(),
            "oldest pushed out"
        );
        let last = logins.last().unwrap();
        let s = auth.find(&cookie_token(last)).unwrap();
        // The CSRF token is the login's own, not the cookie's.
        assert_eq!(s.csrf_token().len(), 64);
        assert_ne!(s.csrf_token(), cookie_token(last));
        assert!(auth.find("00").is_none());
        assert!(auth.find(&csrf::to_hex(&csrf::new_token())).is_none());
        let c = last.cookie(false);
        for flag in ["HttpOnly", "SameSite=Strict", "Path=/", "Max-Age=43200"] {
            assert!(c.contains(flag), "{c}");
        }
        assert!(!c.contains("Secure"));
        assert!(last.cookie(true).ends_with("; Secure"));
        auth.logout(&s);
        assert!(auth.find(&cookie_token(last)).is_none());
        assert_eq!(
            auth.login(client, ip, "wrong".into()).await.err(),
            Some(LoginError::Wrong)
        );
        // The recovery code logs in through a lock-out, once.
        for _ in 0..throttle::LOCK_AFTER {
            let _ = auth.login(client, ip, "wrong".into()).await;
        }
        assert!(matches!(
            auth.login(client, ip, "correct horse".into()).await.err(),
            Some(LoginError::Refused(Refused::Client(_)))
        ));
        let code = auth.recovery.as_ref().unwrap().current();
        assert!(auth.login(client, ip, code.clone()).await.is_ok());
        assert!(auth.login(client, ip, "correct horse".into()).await.is_ok());
        assert_eq!(
            auth.login(client, ip, code).await.err(),
            Some(LoginError::Wrong)
        );
        let off = Auth::new(None, None);
        assert_eq!(
            off.login(client, ip, "x".into()).await.err(),
            Some(LoginError::Disabled)
        );
    }
}
