//! The admin's controls (`control`) over HTTP: JSON for scripts and the admin page's forms.
//!
//! | method | path | who |
//! |---|---|---|
//! | GET | `/api/v1/controls` | admin |
//! | POST | `/api/v1/controls/dns-block` | admin + `X-CSRF-Token` |
//! | POST | `/api/v1/controls/block` | admin + `X-CSRF-Token` |
//! | DELETE | `/api/v1/controls/block/{id}` | admin + `X-CSRF-Token` |
//! | POST | `/api/v1/flows/{id}/kill` | admin + `X-CSRF-Token` |
//! | POST | `/admin/controls/dns-block`, `/admin/controls/block`, `/admin/controls/block/{id}/delete`, `/admin/controls/kill/{id}` | admin forms (`csrf` field) |
//!
//! The controls section of the admin page is drawn by `admin::page`, which these forms
//! answer with again when they fail. See `docs/API.md` ("Controls").

use std::net::IpAddr;

use axum::body::Bytes;
use axum::extract::rejection::FormRejection;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post};
use axum::{Form, Json, Router};
use fluent_bundle::FluentValue;
use serde::Deserialize;
use serde_json::json;

use crate::control::conntrack_kill::KillError;
use crate::control::{blocks::BookError, BlockKind, ControlError, ControlsView, DnsScope};
use crate::i18n::Tr;
use crate::web::admin::page::{back_to_admin, checked, checked_form, render, CsrfOnly, HasCsrf};
use crate::web::auth::{AdminSession, AdminWrite};
use crate::web::AppState;

/// Routes of this module.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/controls", get(show))
        .route("/api/v1/controls/dns-block", post(dns_block))
        .route("/api/v1/controls/block", post(add_block))
        .route("/api/v1/controls/block/{id}", delete(remove_block))
        .route("/api/v1/flows/{id}/kill", post(kill))
        .route("/admin/controls/dns-block", post(form_dns_block))
        .route("/admin/controls/block", post(form_block))
        .route("/admin/controls/block/{id}/delete", post(form_unblock))
        .route("/admin/controls/kill/{id}", post(form_kill))
}

/// The status code for a control's failure.
fn status_of(e: &ControlError) -> StatusCode {
    match e {
        ControlError::Disabled => StatusCode::FORBIDDEN,
        ControlError::BadRequest(_) | ControlError::OnOrOff => StatusCode::BAD_REQUEST,
        ControlError::NoSuchBlock(_) | ControlError::NoSuchFlow(_) => StatusCode::NOT_FOUND,
        ControlError::FlowClosed(_) | ControlError::Book(BookError::Duplicate { .. }) => {
            StatusCode::CONFLICT
        }
        ControlError::Kill(KillError::NotFound) => StatusCode::CONFLICT,
        ControlError::Book(BookError::Full(_)) | ControlError::Nft(_) | ControlError::Kill(_) => {
            StatusCode::SERVICE_UNAVAILABLE
        }
        ControlError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

fn failed(e: ControlError) -> Response {
    (status_of(&e), Json(json!({ "error": e.to_string() }))).into_response()
}

fn bad(complaint: crate::i18n::Complaint) -> Response {
    failed(ControlError::BadRequest(complaint))
}

async fn show(State(app): State<AppState>, _admin: AdminSession) -> Json<ControlsView> {
    Json(app.controls.view())
}

/// `POST /api/v1/controls/dns-block` body.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct DnsBlockChange {
    /// `"all"` or `"device"`.
    scope: String,
    /// The device (with `scope = "device"`).
    device: Option<IpAddr>,
    /// On or off.
    on: bool,
}

fn scope_of(scope: &str, device: Option<IpAddr>) -> Result<DnsScope, ControlError> {
    match (scope, device) {
        ("all", None) => Ok(DnsScope::All),
        ("all", Some(_)) => Err(ControlError::BadRequest(crate::i18n::Complaint::new(
            "scope-all-device",
            [],
        ))),
        ("device", Some(ip)) => Ok(DnsScope::Device(ip)),
        ("device", None) => Err(ControlError::BadRequest(crate::i18n::Complaint::new(
            "scope-device-needed",
            [],
        ))),
        (other, _) => Err(ControlError::BadRequest(crate::i18n::Complaint::new(
            "scope",
            [("value", format!("{other:?}"))],
        ))),
    }
}

async fn dns_block(State(app): State<AppState>, _admin: AdminWrite, body: Bytes) -> Response {
    let c: DnsBlockChange = match serde_json::from_slice(&body) {
        Ok(c) => c,
        Err(e) => {
            return bad(crate::i18n::Complaint::new(
                "body",
                [("error", e.to_string())],
            ))
        }
    };
    let scope = match scope_of(&c.scope, c.device) {
        Ok(s) => s,
        Err(e) => return failed(e),
    };
    match app.controls.set_dns_block(scope, c.on).await {
        Ok(v) => Json(json!({ "dns_block": v })).into_response(),
        Err(e) => failed(e),
    }
}

/// `POST /api/v1/controls/block` body.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct NewBlock {
    /// `"country"`, `"org"` or `"ip"`.
    kind: String,
    /// The country code, organization or address.
    value: String,
}

async fn add_block(State(app): State<AppState>, _admin: AdminWrite, body: Bytes) -> Response {
    let b: NewBlock = match serde_json::from_slice(&body) {
        Ok(b) => b,
        Err(e) => {
            return bad(crate::i18n::Complaint::new(
                "body",
                [("error", e.to_string())],
            ))
        }
    };
    let kind: BlockKind = match b.kind.parse() {
        Ok(k) => k,
        Err(e) => return bad(e),
    };
    match app.controls.add_block(kind, &b.value).await {
        Ok(v) => (StatusCode::CREATED, Json(json!({ "block": v }))).into_response(),
        Err(e) => failed(e),
    }
}

async fn remove_block(
    State(app): State<AppState>,
    _admin: AdminWrite,
    Path(id): Path<String>,
) -> Response {
    let Ok(id) = id.parse::<u64>() else {
        return failed(ControlError::NoSuchBlock(0));
    };
    match app.controls.remove_block(id).await {
        Ok((v, warning)) => Json(json!({ "removed": v, "warning": warning })).into_response(),
        Err(e) => failed(e),
    }
}

async fn kill(State(app): State<AppState>, _admin: AdminWrite, Path(id): Path<String>) -> Response {
    match app.controls.kill(&id).await {
        Ok(k) => Json(json!({ "killed": k })).into_response(),
        Err(e) => failed(e),
    }
}

// ---- the admin page's forms

/// A control's failure for the admin page, in the language of `tr`: each from the catalogue
/// (`fail-*`, a value's complaint `complaint-*`); nftables' or the kernel's own words are an
/// argument, as they came.
pub(crate) fn say(e: &ControlError, tr: Tr) -> String {
    match e {
        ControlError::Disabled => tr.t("fail-controls-off"),
        ControlError::OnOrOff => tr.t("fail-choose-on-off"),
        ControlError::NoSuchBlock(id) => tr.t1("fail-no-such-block", "id", &id.to_string()),
        ControlError::NoSuchFlow(id) => tr.t1("fail-no-such-flow", "id", id),
        ControlError::FlowClosed(id) => tr.t1("fail-flow-closed", "id", id),
        ControlError::Book(BookError::Duplicate { id, value, .. }) => tr.ta(
            "fail-block-duplicate",
            [
                ("id", FluentValue::from(id.to_string())),
                ("value", FluentValue::from(value.as_str())),
            ],
        ),
        ControlError::Book(BookError::Full(n)) => {
            tr.t1("fail-blocks-full", "count", &tr.num(*n as u64))
        }
        ControlError::Nft(n) => tr.t1("fail-nft", "error", &n.to_string()),
        ControlError::Kill(KillError::NotFound) => tr.t("fail-kill-gone"),
        ControlError::Kill(KillError::PermissionDenied(io)) => {
            tr.t1("fail-kill-denied", "error", &io.to_string())
        }
        ControlError::BadRequest(c) => c.say(tr),
        ControlError::Kill(KillError::Refused(io)) => {
            tr.t1("fail-kill-refused", "error", &io.to_string())
        }
        ControlError::Kill(KillError::Io(io)) => tr.t1("fail-kill-io", "error", &io.to_string()),
        ControlError::Internal(e) => tr.t1("fail-internal", "error", e),
    }
}

/// The page again with the failure (its status code).
async fn form_failed(app: &AppState, admin: &AdminSession, e: ControlError) -> Response {
    let tr = crate::web::admin::page::reader_tr(app);
    let why = crate::web::admin::page::failure(app, &say(&e, tr));
    render(app, Some(admin), status_of(&e), None, Some(why)).await
}

#[derive(Deserialize)]
struct DnsBlockForm {
    #[serde(default)]
    csrf: String,
    scope: Option<String>,
    device: Option<String>,
    on: Option<String>,
}

impl HasCsrf for DnsBlockForm {
    fn csrf(&self) -> &str {
        &self.csrf
    }
}

async fn form_dns_block(
    State(app): State<AppState>,
    admin: AdminSession,
    headers: HeaderMap,
    form: Result<Form<DnsBlockForm>, FormRejection>,
) -> Response {
    let f = match checked_form(&app, &admin, &headers, form).await {
        Ok(f) => f,
        Err(res) => return res,
    };
    let parsed = (|| {
        let device = match f.device.as_deref().map(str::trim).filter(|d| !d.is_empty()) {
            None => None,
            Some(d) => Some(d.parse::<IpAddr>().map_err(|_| {
                ControlError::BadRequest(crate::i18n::Complaint::new(
                    "not-a-device",
                    [("value", format!("{d:?}"))],
                ))
            })?),
        };
        let scope = scope_of(f.scope.as_deref().unwrap_or("all"), device)?;
        let on = match f.on.as_deref() {
            Some("on") => true,
            Some("off") => false,
            _ => return Err(ControlError::OnOrOff),
        };
        Ok((scope, on))
    })();
    let result = match parsed {
        Ok((scope, on)) => app.controls.set_dns_block(scope, on).await.map(|_| ()),
        Err(e) => Err(e),
    };
    match result {
        Ok(()) => back_to_admin("dns-block"),
        Err(e) => form_failed(&app, &admin, e).await,
    }
}

#[derive(Deserialize)]
struct BlockForm {
    #[serde(default)]
    csrf: String,
    kind: Option<String>,
    value: Option<String>,
}

impl HasCsrf for BlockForm {
    fn csrf(&self) -> &str {
        &self.csrf
    }
}

async fn form_block(
    State(app): State<AppState>,
    admin: AdminSession,
    headers: HeaderMap,
    form: Result<Form<BlockForm>, FormRejection>,
) -> Response {
    let f = match checked_form(&app, &admin, &headers, form).await {
        Ok(f) => f,
        Err(res) => return res,
    };
    let kind = match f.kind.as_deref().unwrap_or("").parse::<BlockKind>() {
        Ok(k) => k,
        Err(e) => return form_failed(&app, &admin, ControlError::BadRequest(e)).await,
    };
    match app
        .controls
        .add_block(kind, f.value.as_deref().unwrap_or(""))
        .await
    {
        Ok(_) => back_to_admin("blocked"),
        Err(e) => form_failed(&app, &admin, e).await,
    }
}

async fn form_unblock(
    State(app): State<AppState>,
    admin: AdminSession,
    Path(id): Path<String>,
    headers: HeaderMap,
    form: Result<Form<CsrfOnly>, FormRejection>,
) -> Response {
    if let Err(res) = checked(&app, &admin, &headers, &form).await {
        return res;
    }
    let id = id.parse::<u64>().unwrap_or(0);
    match app.controls.remove_block(id).await {
        Ok((_, None)) => back_to_admin("unblocked"),
        Ok((_, Some(warning))) => {
            render(&app, Some(&admin), StatusCode::OK, None, Some(warning)).await
        }
        Err(e) => form_failed(&app, &admin, e).await,
    }
}

async fn form_kill(
    State(app): State<AppState>,
    admin: AdminSession,
    Path(id): Path<String>,
    headers: HeaderMap,
    form: Result<Form<CsrfOnly>, FormRejection>,
) -> Response {
    if let Err(res) = checked(&app, &admin, &headers, &form).await {
        return res;
    }
    match app.controls.kill(&id).await {
        Ok(_) => back_to_admin("killed"),
        Err(e) => form_failed(&app, &admin, e).await,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;

    #[test]
    fn common_control_failures_are_said_in_the_readers_language() {
        let common = [
            ControlError::Disabled,
            ControlError::OnOrOff,
            ControlError::NoSuchBlock(3),
            ControlError::NoSuchFlow("f9".into()),
            ControlError::FlowClosed("f9".into()),
            ControlError::Book(BookError::Duplicate {
                id: 3,
                kind: BlockKind::Org,
                value: "Example Corp".into(),
            }),
            ControlError::Book(BookError::Full(4096)),
            ControlError::Kill(KillError::NotFound),
        ];
        for e in &common {
            let en = say(e, Tr::new(Lang::En));
            for lang in [Lang::De, Lang::Fr, Lang::Es] {
                let text = say(e, Tr::new(lang));
                assert!(!text.contains('⟦') && !text.contains('{'), "{lang}: {text}");
                assert_ne!(text, en, "{lang}");
            }
        }
        assert_eq!(
            say(&ControlError::OnOrOff, Tr::new(Lang::De)),
            "Wähle an oder aus"
        );
    }
}
