//! Admin logins: password check, the login table, the cookie, and slowing down guessing.
//!
//! * A login is a random 256-bit token in the cookie `whereflow_admin` (HttpOnly,
//!   SameSite=Strict, Path=/, 12 hours; not `Secure`: the appliance serves plain HTTP on its
//!   own network) plus a second random token for CSRF. At most [`MAX_LOGINS`] are kept
//!   (server side, in memory: a restart logs everyone out); a new one pushes out the oldest.
//!   Tokens are compared in constant time.
//! * Guessing: per client ([`Throttle`]: an IPv4 address, or an IPv6 /64), each wrong
//!   password is answered after a delay growing by 250 ms per failure (at most 2 s), and
//!   from the 5th failure in a row the client is locked out for 30 s, doubling with each
//!   further failure up to 15 minutes; one attempt at a time per client. Over all clients,
//!   at most [`GLOBAL_BURST`] failures and then one per [`GLOBAL_REFILL`]: beyond that every
//!   login waits (a room full of devices cannot share the guessing). A lock-out refuses
//!   without checking the password (`429` with `Retry-After`).
//! * argon2 runs on the blocking pool, at most [`VERIFY_SLOTS`] at once (19 MiB each).

use std::net::IpAddr;
use std::num::NonZeroUsize;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::Json;
use chrono::{DateTime, Utc};
use lru::LruCache;
use parking_lot::Mutex;
use serde_json::json;
use subtle::ConstantTimeEq;
use tokio::sync::Semaphore;
use tokio::time::Instant;

use crate::config::password;
use crate::web::admin::csrf::{self, CsrfRejection, Token};
use crate::web::AppState;

/// The login cookie.
pub const COOKIE: &str = "whereflow_admin";
/// How long a login lasts.
pub const LOGIN_LIFETIME: Duration = Duration::from_secs(12 * 3600);
/// Logins kept at once.
pub const MAX_LOGINS: usize = 16;
/// argon2 checks running at once.
pub const VERIFY_SLOTS: usize = 2;
/// Clients whose failures are remembered (least recently failing forgotten first).
const MAX_CLIENTS: usize = 4_096;
/// Delay added per failure in a row before a wrong password is answered.
const DELAY_STEP: Duration = Duration::from_millis(250);
/// Most delay added.
const MAX_DELAY: Duration = Duration::from_secs(2);
/// Failures in a row after which a client is locked out.
pub const LOCK_AFTER: u32 = 5;
/// The first lock-out; it doubles with each further failure.
pub const FIRST_LOCK: Duration = Duration::from_secs(30);
/// The longest lock-out.
const MAX_LOCK: Duration = Duration::from_secs(15 * 60);
/// A client's failures are forgotten after this long without one.
const FORGET_AFTER: Duration = Duration::from_secs(3600);
/// Failures all clients together may make in a burst ...
pub const GLOBAL_BURST: u32 = 30;
/// ... and then one per this interval.
pub const GLOBAL_REFILL: Duration = Duration::from_secs(20);

/// Who is guessing: an IPv4 address or an IPv6 /64 (one device can have many addresses
/// in its /64).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ClientKey(u128);

impl From<IpAddr> for ClientKey {
    fn from(ip: IpAddr) -> Self {
        match ip {
            IpAddr::V4(v4) => ClientKey(u128::from(u32::from(v4))),
            IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
                Some(v4) => ClientKey(u128::from(u32::from(v4))),
                None => ClientKey(u128::from(v6) & !((1u128 << 64) - 1) | (1 << 32)),
            },
        }
    }
}

#[derive(Debug)]
struct Client {
    failures: u32,
    last_failure: Instant,
    locked_until: Option<Instant>,
    in_flight: bool,
}

/// Failure bookkeeping (pure: times are passed in, so tests need no clock).
#[derive(Debug)]
pub struct Throttle {
    clients: LruCache<ClientKey, Client>,
    global_tokens: f64,
    global_last: Instant,
}

/// Why a login was not even tried.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refused {
    /// This client must wait this long.
    Client(Duration),
    /// Everyone must wait this long (too many failures overall).
    Global(Duration),
    /// This client already has an attempt running.
    Busy,
}

impl Refused {
    /// How long to wait before trying again.
    pub fn retry_after(&self) -> Duration {
        match self {
            Refused::Client(d) | Refused::Global(d) => *d,
            Refused::Busy => Duration::from_secs(1),
        }
    }
}

impl Throttle {
    /// An empty throttle.
    pub fn new(now: Instant) -> Self {
        Throttle {
            clients: LruCache::new(NonZeroUsize::new(MAX_CLIENTS).unwrap_or(NonZeroUsize::MIN)),
            global_tokens: f64::from(GLOBAL_BURST),
            global_last: now,
        }
    }

    fn refill(&mut self, now: Instant) {
        let gained = now
            .saturating_duration_since(self.global_last)
            .as_secs_f64()
            / GLOBAL_REFILL.as_secs_f64();
        self.global_tokens = (self.global_tokens + gained).min(f64::from(GLOBAL_BURST));
        self.global_last = now;
    }

    /// May `client` try a password now? On `Ok` the attempt counts as running until
    /// [`Throttle::finish`].
    pub fn begin(&mut self, client: ClientKey, now: Instant) -> Result<(), Refused> {
        self.refill(now);
        if let Some(c) = self.clients.get_mut(&client) {
            if now.saturating_duration_since(c.last_failure) > FORGET_AFTER && !c.in_flight {
                self.clients.pop(&client);
            }
        }
        if let Some(c) = self.clients.get(&client) {
            if c.in_flight {
                return Err(Refused::Busy);
            }
            if let Some(until) = c.locked_until.filter(|u| *u > now) {
                return Err(Refused::Client(until - now));
            }
        }
        if self.global_tokens < 1.0 {
            let wait = (1.0 - self.global_tokens) * GLOBAL_REFILL.as_secs_f64();
            return Err(Refused::Global(Duration::from_secs_f64(wait.max(1.0))));
        }
        let c = self.clients.get_or_insert_mut(client, || Client {
            failures: 0,
            last_failure: now,
            locked_until: None,
            in_flight: false,
        });
        c.in_flight = true;
        Ok(())
    }

    /// The password was wrong: returns how long to hold the answer back.
    pub fn failed(&mut self, client: ClientKey, now: Instant) -> Duration {
        self.refill(now);
        self.global_tokens = (self.global_tokens - 1.0).max(0.0);
        let c = self.clients.get_or_insert_mut(client, || Client {
            failures: 0,
            last_failure: now,
            locked_until: None,
            in_flight: false,
        });
        c.failures = c.failures.saturating_add(1);
        c.last_failure = now;
        if c.failures >= LOCK_AFTER {
            let doublings = (c.failures - LOCK_AFTER).min(10);
            let lock = (FIRST_LOCK * 2u32.pow(doublings)).min(MAX_LOCK);
            c.locked_until = Some(now + lock);
        }
        (DELAY_STEP * c.failures).min(MAX_DELAY)
    }

    /// The password was right: the client's failures are forgotten.
    pub fn succeeded(&mut self, client: ClientKey) {
        self.clients.pop(&client);
    }

    /// The attempt is over (answered).
    pub fn finish(&mut self, client: ClientKey) {
        if let Some(c) = self.clients.get_mut(&client) {
            c.in_flight = false;
            if c.failures == 0 {
                self.clients.pop(&client);
            }
        }
    }
}

#[derive(Clone)]
struct Login {
    token: Token,
    csrf: Token,
    expires: Instant,
    expires_at: DateTime<Utc>,
}

/// The admin password and the logins.
pub struct Auth {
    hash: Option<String>,
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

/// A new login: the cookie to set and the CSRF token.
pub struct NewLogin {
    /// The session it opened.
    pub session: AdminSession,
    token: Token,
}

impl NewLogin {
    /// The `Set-Cookie` value.
    pub fn cookie(&self) -> String {
        format!(
            "{COOKIE}={}; HttpOnly; SameSite=Strict; Path=/; Max-Age={}",
            csrf::to_hex(&self.token),
            LOGIN_LIFETIME.as_secs()
        )
    }
}

/// The `Set-Cookie` value that ends a login in the browser.
pub fn logout_cookie() -> String {
    format!("{COOKIE}=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0")
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
    /// With the password hash from [`password::prepare`] (`None`: admin pages off).
    pub fn new(hash: Option<String>) -> Self {
        Auth {
            hash,
            logins: Mutex::new(Vec::new()),
            throttle: Mutex::new(Throttle::new(Instant::now())),
            verify_slots: Arc::new(Semaphore::new(VERIFY_SLOTS)),
        }
    }

    /// Is an admin password set?
    pub fn enabled(&self) -> bool {
        self.hash.is_some()
    }

    /// Check `password` for a client at `ip`, with the slow-down rules (module notes).
    pub async fn login(&self, ip: IpAddr, password: String) -> Result<NewLogin, LoginError> {
        let Some(hash) = self.hash.clone() else {
            return Err(LoginError::Disabled);
        };
        let client = ClientKey::from(ip);
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
        Ok(NewLogin {
            session: AdminSession::from(&login),
            token: login.token,
        })
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
            Err(CsrfRejection(
                "the security token is missing or wrong: reload the admin page and try again",
            ))
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
                let mut res = if html {
                    (
                        StatusCode::UNAUTHORIZED,
                        Html(format!(
                            "<!doctype html><meta charset=utf-8><title>Admin login \
                             required</title><p>{msg}. <a href=\"/admin\">Go to the admin \
                             page</a>.</p>"
                        )),
                    )
                        .into_response()
                } else {
                    (StatusCode::UNAUTHORIZED, Json(json!({ "error": msg }))).into_response()
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
#[derive(Clone, Debug)]
pub struct AdminWrite(pub AdminSession);

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
        Ok(AdminWrite(session))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(s: &str) -> ClientKey {
        ClientKey::from(s.parse::<IpAddr>().unwrap())
    }

    #[test]
    fn ipv6_clients_are_their_64_and_mapped_v4_is_v4() {
        assert_eq!(key("2001:db8:1:2::10"), key("2001:db8:1:2:ffff::1"));
        assert_ne!(key("2001:db8:1:2::10"), key("2001:db8:1:3::10"));
        assert_eq!(key("::ffff:192.0.2.1"), key("192.0.2.1"));
        assert_ne!(key("192.0.2.1"), key("192.0.2.2"));
    }

    #[test]
    fn failures_slow_down_then_lock_out_and_success_forgets() {
        let t0 = Instant::now();
        let mut th = Throttle::new(t0);
        let a = key("192.0.2.10");
        let mut delays = vec![];
        for _ in 0..LOCK_AFTER {
            th.begin(a, t0).unwrap();
            delays.push(th.failed(a, t0));
            th.finish(a);
        }
        assert_eq!(
            delays,
            [250, 500, 750, 1000, 1250].map(Duration::from_millis),
            "growing delay"
        );
        assert_eq!(th.begin(a, t0), Err(Refused::Client(FIRST_LOCK)));
        // Another device is not affected.
        let b = key("192.0.2.11");
        th.begin(b, t0).unwrap();
        th.finish(b);
        // After the lock, one more failure doubles it.
        let t1 = t0 + FIRST_LOCK;
        th.begin(a, t1).unwrap();
        th.failed(a, t1);
        th.finish(a);
        assert_eq!(th.begin(a, t1), Err(Refused::Client(FIRST_LOCK * 2)));
        // A success forgets the failures.
        let t2 = t1 + FIRST_LOCK * 2;
        th.begin(a, t2).unwrap();
        th.succeeded(a);
        th.finish(a);
        th.begin(a, t2).unwrap();
        assert_eq!(th.failed(a, t2), DELAY_STEP);
    }

    #[test]
    fn one_attempt_at_a_time_per_client() {
        let t0 = Instant::now();
        let mut th = Throttle::new(t0);
        let a = key("192.0.2.10");
        th.begin(a, t0).unwrap();
        assert_eq!(th.begin(a, t0), Err(Refused::Busy));
        th.finish(a);
        th.begin(a, t0).unwrap();
    }

    #[test]
    fn failures_from_many_clients_hit_the_global_cap() {
        let t0 = Instant::now();
        let mut th = Throttle::new(t0);
        for i in 0..GLOBAL_BURST {
            let c = ClientKey(u128::from(i));
            th.begin(c, t0).unwrap();
            th.failed(c, t0);
            th.finish(c);
        }
        let fresh = key("198.51.100.7");
        assert!(matches!(th.begin(fresh, t0), Err(Refused::Global(_))));
        // One refill interval later one more attempt is allowed.
        th.begin(fresh, t0 + GLOBAL_REFILL).unwrap();
    }

    #[test]
    fn failures_are_forgotten_after_an_hour_quiet() {
        let t0 = Instant::now();
        let mut th = Throttle::new(t0);
        let a = key("192.0.2.10");
        for _ in 0..3 {
            th.begin(a, t0).unwrap();
            th.failed(a, t0);
            th.finish(a);
        }
        let later = t0 + FORGET_AFTER + Duration::from_secs(1);
        th.begin(a, later).unwrap();
        assert_eq!(th.failed(a, later), DELAY_STEP);
    }

    #[tokio::test]
    async fn login_table_is_bounded_and_tokens_are_checked() {
        let auth = Auth::new(Some(password::hash("correct horse").unwrap()));
        let ip: IpAddr = "192.0.2.10".parse().unwrap();
        let mut logins = vec![];
        for _ in 0..MAX_LOGINS + 3 {
            logins.push(auth.login(ip, "correct horse".into()).await.ok().unwrap());
        }
        assert_eq!(auth.logins.lock().len(), MAX_LOGINS);
        let cookie_token = |l: &NewLogin| csrf::to_hex(&l.token);
        assert!(
            auth.find(&cookie_token(&logins[0])).is_none(),
            "oldest pushed out"
        );
        let last = logins.last().unwrap();
        let s = auth.find(&cookie_token(last)).unwrap();
        assert_eq!(s.csrf_token(), last.session.csrf_token());
        assert!(auth.find("00").is_none());
        assert!(auth.find(&csrf::to_hex(&csrf::new_token())).is_none());
        let c = last.cookie();
        for flag in ["HttpOnly", "SameSite=Strict", "Path=/", "Max-Age=43200"] {
            assert!(c.contains(flag), "{c}");
        }
        auth.logout(&s);
        assert!(auth.find(&cookie_token(last)).is_none());
        assert_eq!(
            auth.login(ip, "wrong".into()).await.err(),
            Some(LoginError::Wrong)
        );
        let off = Auth::new(None);
        assert_eq!(
            off.login(ip, "x".into()).await.err(),
            Some(LoginError::Disabled)
        );
    }
}
