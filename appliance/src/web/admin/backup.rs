//! The backup: `GET /api/v1/backup` (admin; `?secrets=1` adds the secrets) downloads the
//! document `crate::backup` writes; `POST /api/v1/backup` (admin + `X-CSRF-Token`, the
//! document as the body) and the admin page's form `POST /admin/backup/restore` (the file
//! chosen, as `multipart/form-data`, or the contents pasted in the textarea `backup`; no
//! script needed) restore one. Checked whole before anything is applied; the
//! answer says what was restored, or every problem with its key path.

use axum::body::Bytes;
use axum::extract::rejection::QueryRejection;
use axum::extract::{DefaultBodyLimit, FromRequest, Multipart, Query, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Form, Json, Router};
use chrono::Utc;
use serde::Deserialize;
use serde_json::json;

use crate::backup::{self, BackupError, Parts, Restored, Secrets};
use crate::i18n::{Lang, Tr};
use crate::web::admin::page::{
    checked_form, checked_token, failure, reader_tr, render, render_notice, HasCsrf,
};
use crate::web::admin::secrets::SecretsApplied;
use crate::web::admin::settings::{self, SettingsChange};
use crate::web::auth::{AdminSession, AdminWrite};
use crate::web::AppState;

/// Largest form body: the document percent-encoded (up to three bytes per byte) and the token.
const MAX_FORM_BYTES: usize = 3 * backup::document::MAX_DOCUMENT_BYTES + 4096;

/// Routes of the backup.
pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/backup", get(download).post(restore_json))
        .route("/admin/backup/restore", post(restore_form))
        .layer(DefaultBodyLimit::max(MAX_FORM_BYTES))
}

#[derive(Deserialize)]
struct Wish {
    secrets: Option<String>,
}

fn parts(app: &AppState) -> Parts<'_> {
    Parts {
        stages: app.stages(),
        controls: &app.controls,
        ignores: app.detect.as_ref().map(|d| &*d.ignores),
    }
}

/// The secrets this appliance holds (only for `?secrets=1`).
fn secrets(app: &AppState) -> Secrets {
    Secrets {
        admin_password_hash: app.admin.auth.password_hash(),
        metrics_token: app
            .metrics_token
            .get()
            .map(|t| String::from_utf8_lossy(t.as_bytes()).into_owned()),
        wifi_passphrase: Some(app.wifi.passphrase.clone()).filter(|p| !p.is_empty()),
    }
}

async fn download(
    State(app): State<AppState>,
    _admin: AdminSession,
    wish: Result<Query<Wish>, QueryRejection>,
) -> Response {
    let with_secrets = match wish {
        Ok(Query(w)) => match w.secrets.as_deref() {
            None | Some("0") => false,
            Some("1") => true,
            Some(_) => {
                return (
                    StatusCode::BAD_REQUEST,
                    Json(json!({ "error": "secrets: 0 or 1" })),
                )
                    .into_response()
            }
        },
        Err(e) => {
            return (
                StatusCode::BAD_REQUEST,
                Json(json!({ "error": e.body_text() })),
            )
                .into_response()
        }
    };
    let now = Utc::now();
    let doc = backup::collect(
        &parts(&app),
        app.admin.settings.get(),
        with_secrets.then(|| secrets(&app)),
        now,
    );
    tracing::info!(
        "admin: backup downloaded{}",
        if with_secrets {
            " with its secrets"
        } else {
            ""
        }
    );
    let body = match serde_json::to_vec_pretty(&doc) {
        Ok(b) => b,
        Err(e) => {
            return (
                StatusCode::INTERNAL_SERVER_ERROR,
                Json(json!({ "error": e.to_string() })),
            )
                .into_response()
        }
    };
    let mut res = body.into_response();
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    if let Ok(v) = HeaderValue::from_str(&format!(
        "attachment; filename=\"whereflow-backup-{}.json\"",
        now.format("%Y%m%d-%H%M")
    )) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    res
}

/// Why a restore did not happen: the document's problems (`400`), or a failure applying the
/// settings (its status).
enum Refused {
    Document(BackupError),
    Settings(crate::web::admin::state::AdminError),
}

impl Refused {
    fn status(&self) -> StatusCode {
        match self {
            Refused::Document(_) => StatusCode::BAD_REQUEST,
            Refused::Settings(e) => e.status_code(),
        }
    }
    fn message(&self) -> String {
        match self {
            Refused::Document(e) => e.to_string(),
            Refused::Settings(e) => format!("settings.history: {e}"),
        }
    }
    /// For the admin page: the document's problems as they are (key paths and values), a
    /// settings failure in the language of `tr`.
    fn say(&self, tr: Tr) -> String {
        match self {
            Refused::Document(e) => e.to_string(),
            Refused::Settings(e) => format!("settings.history: {}", e.say(tr)),
        }
    }
}

/// What a restore did: the backup's parts, and its secrets.
struct Done {
    restored: Restored,
    secrets: Option<SecretsApplied>,
}

impl Done {
    /// In the language of `tr` (the API's `note`: English).
    fn say(&self, tr: Tr) -> String {
        let mut s = self.restored.say(tr);
        if let Some(sec) = &self.secrets {
            s.push_str(&sec.say(tr));
        }
        s
    }
}

/// Why the restore form's upload could not be read.
enum UploadError {
    /// The multipart body was broken (its parser's words).
    Body(String),
    /// The file chosen is not text.
    NotText,
}

impl UploadError {
    fn say(&self, tr: Tr) -> String {
        match self {
            UploadError::Body(why) => tr.t1("restore-upload-unreadable", "error", why),
            UploadError::NotText => tr.t("restore-not-text"),
        }
    }
}

/// Check the whole document, then apply it.
async fn restore(app: &AppState, bytes: &[u8]) -> Result<Done, Refused> {
    let now = Utc::now();
    let mut plan = backup::document::parse(bytes, now).map_err(Refused::Document)?;
    backup::fits(&plan, &parts(app)).map_err(Refused::Document)?;
    let history = plan.history.clone();
    if let Some(h) = &history {
        settings::apply(
            app,
            SettingsChange {
                retention_days: Some(h.retention_days),
                max_db_mb: Some(h.max_db_mb),
                keep_old_sessions: Some(h.keep_old_sessions),
            },
        )
        .await
        .map_err(Refused::Settings)?;
    }
    let secrets = plan.secrets.take();
    let mut restored = backup::apply(&parts(app), plan, now).await;
    restored.settings = history.is_some();
    let secrets = match secrets {
        Some(s) => Some(crate::web::admin::secrets::apply(app, s).await),
        None => None,
    };
    Ok(Done { restored, secrets })
}

async fn restore_json(State(app): State<AppState>, _admin: AdminWrite, body: Bytes) -> Response {
    match restore(&app, &body).await {
        Ok(d) => Json(json!({
            "restored": d.restored,
            "secrets": d.secrets,
            "note": d.say(Tr::new(Lang::En)),
        }))
        .into_response(),
        Err(e) => (e.status(), Json(json!({ "error": e.message() }))).into_response(),
    }
}

#[derive(Deserialize)]
struct RestoreForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    backup: String,
}

impl HasCsrf for RestoreForm {
    fn csrf(&self) -> &str {
        &self.csrf
    }
}

/// Fields of an upload read at most (the form has three).
const MAX_UPLOAD_FIELDS: usize = 8;

/// The restore form sent as `multipart/form-data` (with the file chosen): its `csrf`, and the
/// file's contents (or, with no file chosen, the textarea's).
async fn read_upload(mut m: Multipart) -> Result<RestoreForm, UploadError> {
    let mut form = RestoreForm {
        csrf: String::new(),
        backup: String::new(),
    };
    let mut file = None;
    for _ in 0..MAX_UPLOAD_FIELDS {
        let Some(field) = m.next_field().await.map_err(body_error)? else {
            break;
        };
        match field.name() {
            Some("csrf") => form.csrf = field.text().await.map_err(body_error)?,
            Some("backup") => form.backup = field.text().await.map_err(body_error)?,
            Some("file") => {
                let bytes = field.bytes().await.map_err(body_error)?;
                if !bytes.is_empty() {
                    file = Some(bytes);
                }
            }
            _ => {}
        }
    }
    if let Some(bytes) = file {
        form.backup = String::from_utf8(bytes.to_vec()).map_err(|_| UploadError::NotText)?;
    }
    Ok(form)
}

fn body_error(e: axum::extract::multipart::MultipartError) -> UploadError {
    UploadError::Body(e.body_text())
}

async fn restore_form(
    State(app): State<AppState>,
    admin: AdminSession,
    headers: HeaderMap,
    request: Request,
) -> Response {
    let multipart = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|c| c.starts_with("multipart/form-data"));
    let f = if multipart {
        let upload = match Multipart::from_request(request, &app).await {
            Ok(m) => read_upload(m).await,
            Err(e) => Err(UploadError::Body(e.body_text())),
        };
        // The token first: a form without it is refused before its contents are looked at.
        let token = upload.as_ref().map(|f| f.csrf.as_str()).unwrap_or("");
        if let Err(res) = checked_token(&app, &admin, &headers, token).await {
            return res;
        }
        match upload {
            Ok(f) => f,
            Err(why) => {
                let why = failure(&app, &why.say(reader_tr(&app)));
                return render(&app, Some(&admin), StatusCode::BAD_REQUEST, None, Some(why)).await;
            }
        }
    } else {
        let form = Form::<RestoreForm>::from_request(request, &app).await;
        match checked_form(&app, &admin, &headers, form).await {
            Ok(f) => f,
            Err(res) => return res,
        }
    };
    if f.backup.trim().is_empty() {
        let why = failure(&app, &reader_tr(&app).t("restore-choose-file"));
        return render(&app, Some(&admin), StatusCode::BAD_REQUEST, None, Some(why)).await;
    }
    match restore(&app, f.backup.as_bytes()).await {
        Ok(d) => render_notice(&app, &admin, d.say(reader_tr(&app))).await,
        Err(e) => {
            let why = failure(&app, &e.say(reader_tr(&app)));
            render(&app, Some(&admin), e.status(), None, Some(why)).await
        }
    }
}
