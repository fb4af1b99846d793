//! `GET /admin` and its forms: log in and out, start and delete sessions, settings.
//!
//! Plain HTML forms (no script needed). Every form but the login carries the login's CSRF
//! token in a hidden `csrf` field; a successful POST redirects back to `/admin` (`303`)
//! with a short notice.

use std::net::SocketAddr;

use askama::Template;
use axum::extract::rejection::FormRejection;
use axum::extract::{ConnectInfo, Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use serde::Deserialize;

use crate::config::HistoryConfig;
use crate::web::admin::settings::SettingsChange;
use crate::web::admin::{blocking, sessions, settings, AdminError};
use crate::web::auth::csrf::{self, CsrfRejection};
use crate::web::auth::login::{self, AdminRejection, AdminSession, LoginError};
use crate::web::auth::throttle::Refused;
use crate::web::page::{html, Layout};
use crate::web::AppState;

/// Routes of this module.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin", get(page))
        .route("/admin/login", post(login))
        .route("/admin/logout", post(logout))
        .route("/admin/sessions", post(new_session))
        .route("/admin/sessions/{id}/delete", post(delete_session))
        .route("/admin/settings", post(save_settings))
}

/// One row of the sessions table.
pub struct SessionRow {
    id: i64,
    name: String,
    started: String,
    ended: String,
    current: bool,
}

#[derive(Template)]
#[template(path = "admin.html")]
struct AdminPage {
    page: Layout,
    enabled: bool,
    logged_in: bool,
    notice: Option<&'static str>,
    error: Option<String>,
    csrf: String,
    expires: String,
    warnings: Vec<String>,
    history: bool,
    sessions: Vec<SessionRow>,
    settings: HistoryConfig,
    db_mb: String,
    config_note: String,
    /// The controls section (`web::controls`), when logged in.
    controls: Option<crate::web::controls::Panel>,
}

/// Fixed notices after a redirect (`?done=`): nothing from the query is shown as is.
fn notice(done: Option<&str>) -> Option<&'static str> {
    Some(match done? {
        "started" => "A new session has started.",
        "deleted" => "The session was deleted.",
        "settings" => "Settings saved.",
        "settings-runtime" => {
            "Settings changed until the next restart (the configuration file could not be \
             written)."
        }
        "logout" => "Logged out.",
        "dns-block" => "DNS blocking of trackers and ads changed.",
        "blocked" => "Blocked.",
        "unblocked" => "The block is removed.",
        "killed" => "The connection was ended.",
        _ => return None,
    })
}

fn when(t: chrono::DateTime<chrono::Utc>) -> String {
    t.format("%Y-%m-%d %H:%M").to_string()
}

/// The admin page for this visitor, with `status`.
pub(crate) async fn render(
    app: &AppState,
    admin: Option<&AdminSession>,
    status: StatusCode,
    notice: Option<&'static str>,
    error: Option<String>,
) -> Response {
    let mut p = AdminPage {
        page: Layout::new(app, "Admin", "admin", ""),
        enabled: app.admin.enabled(),
        logged_in: admin.is_some(),
        notice,
        error,
        csrf: admin.map(AdminSession::csrf_token).unwrap_or_default(),
        expires: admin
            .map(|a| when(a.expires_at) + " UTC")
            .unwrap_or_default(),
        warnings: Vec::new(),
        history: app.admin.store().is_some(),
        sessions: Vec::new(),
        settings: app.admin.settings.get(),
        db_mb: String::new(),
        config_note: String::new(),
        controls: None,
    };
    if admin.is_some() {
        p.controls = Some(crate::web::controls::panel(app));
        p.warnings = app.status.snapshot().warnings;
        match sessions::session_list(app).await {
            Ok(list) => {
                p.sessions = list
                    .into_iter()
                    .map(|s| SessionRow {
                        id: s.session.id,
                        name: s.session.name,
                        started: when(s.session.started_at),
                        ended: s.session.ended_at.map(when).unwrap_or_default(),
                        current: s.current,
                    })
                    .collect();
            }
            Err(e) => p.error = Some(e.to_string()),
        }
        if let Ok(v) = settings::view(app).await {
            p.db_mb = v
                .database
                .map(|d| format!("{:.1} MB", d.file_bytes as f64 / 1_048_576.0))
                .unwrap_or_else(|| "no database".into());
            p.config_note = match v.config_file {
                Some(f) => format!("Settings are saved in {f}."),
                None => "There is no configuration file: settings changed here last until \
                         the next restart."
                    .into(),
            };
        }
    }
    let mut res = html(&p);
    *res.status_mut() = status;
    // Never cached; never framed (the base page's policy already says frame-ancestors none).
    let h = res.headers_mut();
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    // `same-origin`, not `no-referrer`: with `no-referrer` browsers send `Origin: null` on the
    // page's own form posts, which the CSRF check refuses as "another site"; `same-origin`
    // still sends nothing to other sites.
    h.insert("referrer-policy", HeaderValue::from_static("same-origin"));
    res
}

#[derive(Deserialize)]
struct Done {
    done: Option<String>,
}

async fn page(
    State(app): State<AppState>,
    admin: Result<AdminSession, AdminRejection>,
    done: Result<Query<Done>, axum::extract::rejection::QueryRejection>,
) -> Response {
    let done = done.ok().and_then(|Query(d)| d.done);
    render(
        &app,
        admin.ok().as_ref(),
        StatusCode::OK,
        notice(done.as_deref()),
        None,
    )
    .await
}

pub(crate) fn back_to_admin(done: &str) -> Response {
    let mut res = StatusCode::SEE_OTHER.into_response();
    if let Ok(v) = HeaderValue::from_str(&format!("/admin?done={done}")) {
        res.headers_mut().insert(header::LOCATION, v);
    }
    res
}

#[derive(Deserialize)]
struct LoginForm {
    password: String,
}

async fn login(
    State(app): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    form: Result<Form<LoginForm>, FormRejection>,
) -> Response {
    if let Err(e) = csrf::check_same_origin(&headers) {
        return e.into_response();
    }
    let Ok(Form(form)) = form else {
        return render(
            &app,
            None,
            StatusCode::BAD_REQUEST,
            None,
            Some("Enter the admin password.".into()),
        )
        .await;
    };
    match app.admin.auth.login(peer.ip(), form.password).await {
        Ok(new) => {
            let mut res = back_to_admin("");
            if let Ok(v) = HeaderValue::from_str(&new.cookie()) {
                res.headers_mut().insert(header::SET_COOKIE, v);
            }
            res.headers_mut()
                .insert(header::LOCATION, HeaderValue::from_static("/admin"));
            res
        }
        Err(LoginError::Disabled) => render(&app, None, StatusCode::UNAUTHORIZED, None, None).await,
        Err(LoginError::Wrong) => {
            render(
                &app,
                None,
                StatusCode::UNAUTHORIZED,
                None,
                Some("Wrong password.".into()),
            )
            .await
        }
        Err(LoginError::Refused(r)) => {
            let wait = r.retry_after().as_secs().max(1);
            let msg = match r {
                Refused::Client(_) => format!(
                    "Too many wrong passwords from this device: try again in {wait} seconds."
                ),
                Refused::Global(_) => format!(
                    "Too many wrong passwords on this appliance: try again in {wait} seconds."
                ),
                Refused::Busy => "A login from this device is being checked: try again.".into(),
            };
            let mut res = render(&app, None, StatusCode::TOO_MANY_REQUESTS, None, Some(msg)).await;
            if let Ok(v) = HeaderValue::from_str(&wait.to_string()) {
                res.headers_mut().insert(header::RETRY_AFTER, v);
            }
            res
        }
    }
}

/// The CSRF check of an admin form; `Err` is the page to answer with (`403`).
pub(crate) async fn checked<T: HasCsrf>(
    app: &AppState,
    admin: &AdminSession,
    headers: &HeaderMap,
    form: &Result<Form<T>, FormRejection>,
) -> Result<(), Response> {
    let token = form.as_ref().map(|Form(f)| f.csrf()).unwrap_or("");
    match admin.check_csrf(headers, token) {
        Ok(()) => Ok(()),
        Err(CsrfRejection(why)) => Err(render(
            app,
            Some(admin),
            StatusCode::FORBIDDEN,
            None,
            Some(format!("Refused: {why}.")),
        )
        .await),
    }
}

/// [`checked`], then the form itself: a form that did not parse gets the admin page with
/// "incomplete form" (400).
pub(crate) async fn checked_form<T: HasCsrf>(
    app: &AppState,
    admin: &AdminSession,
    headers: &HeaderMap,
    form: Result<Form<T>, FormRejection>,
) -> Result<T, Response> {
    checked(app, admin, headers, &form).await?;
    match form {
        Ok(Form(f)) => Ok(f),
        Err(_) => Err(render(
            app,
            Some(admin),
            StatusCode::BAD_REQUEST,
            None,
            Some("incomplete form".into()),
        )
        .await),
    }
}

/// A form with the login's CSRF token in its `csrf` field.
pub(crate) trait HasCsrf {
    /// The submitted token.
    fn csrf(&self) -> &str;
}

/// A form with nothing but the CSRF token.
#[derive(Deserialize)]
pub(crate) struct CsrfOnly {
    #[serde(default)]
    csrf: String,
}

impl HasCsrf for CsrfOnly {
    fn csrf(&self) -> &str {
        &self.csrf
    }
}

async fn logout(
    State(app): State<AppState>,
    admin: AdminSession,
    headers: HeaderMap,
    form: Result<Form<CsrfOnly>, FormRejection>,
) -> Response {
    if let Err(res) = checked(&app, &admin, &headers, &form).await {
        return res;
    }
    app.admin.auth.logout(&admin);
    let mut res = back_to_admin("logout");
    if let Ok(v) = HeaderValue::from_str(&login::logout_cookie()) {
        res.headers_mut().insert(header::SET_COOKIE, v);
    }
    res
}

#[derive(Deserialize)]
struct NewSessionForm {
    #[serde(default)]
    csrf: String,
    name: Option<String>,
    old: Option<String>,
}

impl HasCsrf for NewSessionForm {
    fn csrf(&self) -> &str {
        &self.csrf
    }
}

fn keep_old(choice: Option<&str>) -> Result<Option<bool>, AdminError> {
    match choice {
        None => Ok(None),
        Some("keep") => Ok(Some(true)),
        Some("delete") => Ok(Some(false)),
        Some(_) => Err(AdminError::BadRequest(
            "choose to keep or delete the old session".into(),
        )),
    }
}

async fn fail(app: &AppState, admin: &AdminSession, e: AdminError) -> Response {
    let status = match &e {
        AdminError::BadRequest(_) => StatusCode::BAD_REQUEST,
        AdminError::Store(crate::store::StoreError::NoSuchSession(_)) => StatusCode::NOT_FOUND,
        AdminError::Store(crate::store::StoreError::CurrentSession(_)) => StatusCode::CONFLICT,
        _ => StatusCode::SERVICE_UNAVAILABLE,
    };
    render(app, Some(admin), status, None, Some(e.to_string())).await
}

async fn new_session(
    State(app): State<AppState>,
    admin: AdminSession,
    headers: HeaderMap,
    form: Result<Form<NewSessionForm>, FormRejection>,
) -> Response {
    let f = match checked_form(&app, &admin, &headers, form).await {
        Ok(f) => f,
        Err(res) => return res,
    };
    let result = match keep_old(f.old.as_deref()) {
        Ok(keep) => sessions::start(&app, f.name.as_deref(), keep).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(_) => back_to_admin("started"),
        Err(e) => fail(&app, &admin, e).await,
    }
}

async fn delete_session(
    State(app): State<AppState>,
    admin: AdminSession,
    Path(id): Path<i64>,
    headers: HeaderMap,
    form: Result<Form<CsrfOnly>, FormRejection>,
) -> Response {
    if let Err(res) = checked(&app, &admin, &headers, &form).await {
        return res;
    }
    let Some(store) = app.admin.store().cloned() else {
        return fail(&app, &admin, AdminError::NoHistory).await;
    };
    match blocking(move || Ok(store.delete_session(id)?)).await {
        Ok(_) => back_to_admin("deleted"),
        Err(e) => fail(&app, &admin, e).await,
    }
}

#[derive(Deserialize)]
struct SettingsForm {
    #[serde(default)]
    csrf: String,
    retention_days: Option<String>,
    max_db_mb: Option<String>,
    old: Option<String>,
}

impl HasCsrf for SettingsForm {
    fn csrf(&self) -> &str {
        &self.csrf
    }
}

fn number<T: std::str::FromStr>(key: &str, v: Option<&str>) -> Result<Option<T>, AdminError> {
    match v.map(str::trim).filter(|v| !v.is_empty()) {
        None => Ok(None),
        Some(v) => v
            .parse()
            .map(Some)
            .map_err(|_| AdminError::BadRequest(format!("history.{key}: not a number: {v:?}"))),
    }
}

async fn save_settings(
    State(app): State<AppState>,
    admin: AdminSession,
    headers: HeaderMap,
    form: Result<Form<SettingsForm>, FormRejection>,
) -> Response {
    let f = match checked_form(&app, &admin, &headers, form).await {
        Ok(f) => f,
        Err(res) => return res,
    };
    let change = (|| {
        Ok::<_, AdminError>(SettingsChange {
            retention_days: number("retention_days", f.retention_days.as_deref())?,
            max_db_mb: number("max_db_mb", f.max_db_mb.as_deref())?,
            keep_old_sessions: keep_old(f.old.as_deref())?,
        })
    })();
    let result = match change {
        Ok(c) => settings::apply(&app, c).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(saved) if saved.persisted => back_to_admin("settings"),
        Ok(_) => back_to_admin("settings-runtime"),
        Err(e) => fail(&app, &admin, e).await,
    }
}
