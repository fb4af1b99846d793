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
//! See `docs/API.md` ("Controls").

use std::net::IpAddr;

use axum::body::Bytes;
use axum::extract::rejection::FormRejection;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post};
use axum::{Form, Json, Router};
use serde::Deserialize;
use serde_json::json;

use crate::control::conntrack_kill::KillError;
use crate::control::{blocks::BookError, BlockKind, ControlError, ControlsView, DnsScope};
use crate::correlate::FlowState;
use crate::model::Proto;
use crate::web::admin::pages::{back_to_admin, checked, checked_form, render, HasCsrf};
use crate::web::auth::{AdminSession, AdminWrite};
use crate::web::AppState;

/// Open connections the admin page lists with an "End" button.
const PANEL_FLOWS: usize = 30;

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
        ControlError::BadRequest(_) => StatusCode::BAD_REQUEST,
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

fn bad(message: String) -> Response {
    failed(ControlError::BadRequest(message))
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
        ("all", Some(_)) => Err(ControlError::BadRequest(
            "device: not with scope \"all\"".into(),
        )),
        ("device", Some(ip)) => Ok(DnsScope::Device(ip)),
        ("device", None) => Err(ControlError::BadRequest(
            "device: the device's address is needed with scope \"device\"".into(),
        )),
        (other, _) => Err(ControlError::BadRequest(format!(
            "scope: {other:?} is not \"all\" or \"device\""
        ))),
    }
}

async fn dns_block(State(app): State<AppState>, _admin: AdminWrite, body: Bytes) -> Response {
    let c: DnsBlockChange = match serde_json::from_slice(&body) {
        Ok(c) => c,
        Err(e) => return bad(format!("body: {e}")),
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
        Err(e) => return bad(format!("body: {e}")),
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

// ---- the admin page ---------------------------------------------------------------------

/// One open connection on the admin page.
pub struct PanelFlow {
    /// The flow's id.
    pub id: String,
    /// The device's name.
    pub device: String,
    /// The name, else the address.
    pub destination: String,
    /// The organization.
    pub org: String,
    /// `TCP 443`.
    pub service: String,
    /// An ad or tracking host.
    pub tracker: bool,
}

/// One block on the admin page.
pub struct PanelBlock {
    /// Its id.
    pub id: u64,
    /// "Country", "Organization", "Address".
    pub kind: &'static str,
    /// The value.
    pub value: String,
    /// Addresses it blocks.
    pub addresses: usize,
}

/// A device DNS blocking is on for.
pub struct PanelDevice {
    /// Its address.
    pub ip: String,
    /// Its name.
    pub name: String,
}

/// The controls section of the admin page.
pub struct Panel {
    /// `control.enabled`.
    pub enabled: bool,
    /// DNS blocking for everyone.
    pub dns_all: bool,
    /// Devices DNS blocking is on for.
    pub dns_devices: Vec<PanelDevice>,
    /// Blocked answers since start.
    pub blocked_queries: u64,
    /// The blocks.
    pub blocks: Vec<PanelBlock>,
    /// Open connections, most recently active first.
    pub flows: Vec<PanelFlow>,
    /// Connections ended since start.
    pub kills: usize,
    /// nftables' last failure.
    pub nft_error: Option<String>,
}

/// The admin page's controls section now.
pub fn panel(app: &AppState) -> Panel {
    let v = app.controls.view();
    let mut flows: Vec<PanelFlow> = {
        let live = app.live.read();
        let mut open: Vec<_> = live
            .flows
            .iter()
            .filter(|f| f.state == FlowState::Open)
            .collect();
        open.sort_by_key(|f| std::cmp::Reverse(f.last_seen));
        open.into_iter()
            .take(PANEL_FLOWS)
            .map(|f| PanelFlow {
                id: f.id.clone(),
                device: f.device_ip.ip().to_string(),
                destination: f
                    .domain
                    .as_ref()
                    .map(|d| d.to_string())
                    .unwrap_or_else(|| f.remote_ip.to_string()),
                org: f.enrichment.org.as_deref().unwrap_or("").to_owned(),
                service: match f.proto {
                    Proto::Tcp => format!("TCP {}", f.remote_port),
                    Proto::Udp => format!("UDP {}", f.remote_port),
                    Proto::Icmp => "ICMP".into(),
                    Proto::Other(n) => format!("protocol {n}"),
                },
                tracker: f.enrichment.tracker,
            })
            .collect()
    };
    // Names outside the live lock (the registry has its own).
    for f in &mut flows {
        if let Ok(ip) = f.device.parse::<IpAddr>() {
            f.device = app.devices.describe(ip).name;
        }
    }
    Panel {
        enabled: v.enabled,
        dns_all: v.dns_block.all,
        dns_devices: v
            .dns_block
            .devices
            .iter()
            .map(|ip| PanelDevice {
                ip: ip.to_string(),
                name: app.devices.describe(*ip).name,
            })
            .collect(),
        blocked_queries: v.dns_block.blocked_queries,
        blocks: v
            .blocks
            .iter()
            .map(|b| PanelBlock {
                id: b.id,
                kind: match b.kind {
                    BlockKind::Country => "Country",
                    BlockKind::Org => "Organization",
                    BlockKind::Ip => "Address",
                },
                value: b.value.clone(),
                addresses: b.address_count,
            })
            .collect(),
        flows,
        kills: v.kills.len(),
        nft_error: v.nft.error,
    }
}

/// The page again with the failure (its status code).
async fn form_failed(app: &AppState, admin: &AdminSession, e: ControlError) -> Response {
    render(app, Some(admin), status_of(&e), None, Some(e.to_string())).await
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
                ControlError::BadRequest(format!("{d:?} is not a device's address"))
            })?),
        };
        let scope = scope_of(f.scope.as_deref().unwrap_or("all"), device)?;
        let on = match f.on.as_deref() {
            Some("on") => true,
            Some("off") => false,
            _ => return Err(ControlError::BadRequest("choose on or off".into())),
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
    form: Result<Form<crate::web::admin::pages::CsrfOnly>, FormRejection>,
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
    form: Result<Form<crate::web::admin::pages::CsrfOnly>, FormRejection>,
) -> Response {
    if let Err(res) = checked(&app, &admin, &headers, &form).await {
        return res;
    }
    match app.controls.kill(&id).await {
        Ok(_) => back_to_admin("killed"),
        Err(e) => form_failed(&app, &admin, e).await,
    }
}
