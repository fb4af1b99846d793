//! The admin login: `POST /admin/login` and `POST /admin/logout` (the admin page's forms)
//! and `GET /api/v1/admin` (the login and its CSRF token, for scripts).

use std::net::SocketAddr;

use axum::extract::rejection::FormRejection;
use axum::extract::{ConnectInfo, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Extension, Form, Json, Router};
use serde::Deserialize;
use serde_json::json;

use crate::web::admin::page::{back_to_admin, checked, render_over, CsrfOnly};
use crate::web::auth::csrf;
use crate::web::auth::login::{self, AdminSession, LoginError};
use crate::web::auth::throttle::{ClientKey, Refused};
use crate::web::language;
use crate::web::listener::ConnMeta;
use crate::web::AppState;

/// Routes of the login: its forms and its JSON.
pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin/login", post(login))
        .route("/admin/logout", post(logout))
        .route("/api/v1/admin", get(whoami))
}

#[derive(Deserialize)]
struct LoginForm {
    password: String,
}

async fn login(
    State(app): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    conn: Option<Extension<ConnMeta>>,
    headers: HeaderMap,
    form: Result<Form<LoginForm>, FormRejection>,
) -> Response {
    if let Err(e) = csrf::check_same_origin(&headers) {
        return e.into_response();
    }
    let https = conn.is_some_and(|Extension(c)| c.https);
    let render =
        |status, error| render_over(&app, None, status, None, error, https, Some(peer.ip()));
    // The login form's answers are in the reader's language, as the form is.
    let tr = language::current().tr(app.site.lang());
    let Ok(Form(form)) = form else {
        return render(StatusCode::BAD_REQUEST, Some(tr.t("admin-login-empty"))).await;
    };
    let client = ClientKey::settled(peer.ip(), &app.devices).await;
    match app.admin.auth.login(client, peer.ip(), form.password).await {
        Ok(new) => {
            let mut res = back_to_admin("");
            if let Ok(v) = HeaderValue::from_str(&new.cookie(https)) {
                res.headers_mut().insert(header::SET_COOKIE, v);
            }
            res.headers_mut()
                .insert(header::LOCATION, HeaderValue::from_static("/admin"));
            res
        }
        Err(LoginError::Disabled) => render(StatusCode::UNAUTHORIZED, None).await,
        Err(LoginError::Wrong) => {
            render(StatusCode::UNAUTHORIZED, Some(tr.t("admin-login-wrong"))).await
        }
        Err(LoginError::Refused(r)) => {
            let wait = r.retry_after().as_secs().max(1);
            let mut msg = match r {
                Refused::Client(_) => tr.tn("admin-login-too-many-device", "seconds", wait),
                Refused::Global(_) => tr.tn("admin-login-too-many-all", "seconds", wait),
                Refused::Busy => tr.t("admin-login-busy"),
            };
            if !matches!(r, Refused::Busy) {
                msg.push(' ');
                msg.push_str(&tr.t("admin-login-recovery"));
            }
            let mut res = render(StatusCode::TOO_MANY_REQUESTS, Some(msg)).await;
            if let Ok(v) = HeaderValue::from_str(&wait.to_string()) {
                res.headers_mut().insert(header::RETRY_AFTER, v);
            }
            res
        }
    }
}

async fn logout(
    State(app): State<AppState>,
    admin: AdminSession,
    conn: Option<Extension<ConnMeta>>,
    headers: HeaderMap,
    form: Result<Form<CsrfOnly>, FormRejection>,
) -> Response {
    if let Err(res) = checked(&app, &admin, &headers, &form).await {
        return res;
    }
    app.admin.auth.logout(&admin);
    let mut res = back_to_admin("logout");
    if let Ok(v) = HeaderValue::from_str(&login::logout_cookie(
        conn.is_some_and(|Extension(c)| c.https),
    )) {
        res.headers_mut().insert(header::SET_COOKIE, v);
    }
    res
}

async fn whoami(admin: AdminSession) -> Response {
    let mut res = Json(json!({
        "logged_in": true,
        "csrf_token": admin.csrf_token(),
        "expires_at": admin.expires_at,
    }))
    .into_response();
    res.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res
}
