//! `GET /admin`: the admin page (the login form, or, logged in, the sessions, the settings
//! and the controls), and what every admin form shares: the CSRF check ([`checked`],
//! [`checked_form`]), the page again with an error ([`render`], [`failed`]), and the redirect
//! back with a short notice ([`back_to_admin`]).
//!
//! Plain HTML forms (no script needed). Every form but the login carries the login's CSRF
//! token in a hidden `csrf` field; a successful POST redirects back to `/admin` (`303`)
//! with a short notice. The forms themselves sit with their feature's JSON
//! (`admin::sessions`, `admin::settings`, `admin::login`, `web::controls`).

use std::net::IpAddr;

use askama::Template;
use axum::extract::rejection::{FormRejection, QueryRejection};
use axum::extract::{ConnectInfo, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Extension, Form, Router};
use fluent_bundle::FluentValue;
use serde::Deserialize;

use crate::config::HistoryConfig;
use crate::control::BlockKind;
use crate::group_view::{Rule, RuleAction, RuleKind, Target};
use crate::model::{FlowState, Proto};
use crate::web::admin::state::AdminError;
use crate::web::auth::csrf::CsrfRejection;
use crate::web::auth::login::{AdminRejection, AdminSession};
use crate::web::listener::ConnMeta;
use crate::web::page::{html, html_escape, Layout};
use crate::web::AppState;

/// The admin's name for a device in the page's language: its own name (nickname, host name,
/// "<maker> device", "Device .11") and the pseudonym the group views show, as
/// [`crate::devices::DeviceInfo::admin_name`] says it in English.
pub(crate) fn admin_name(info: &crate::devices::DeviceInfo, tr: &crate::i18n::Tr) -> String {
    format!(
        "{} ({} {})",
        info.name.say(tr),
        info.emoji,
        info.pseudonym.say(*tr)
    )
}

/// Open connections the admin page lists with an "End" button.
const PANEL_FLOWS: usize = 30;

/// Routes of the page.
pub(super) fn routes() -> Router<AppState> {
    Router::new().route("/admin", get(page))
}

/// One status warning as the page lists it.
pub struct WarningRow {
    /// In the page's language, as HTML (escaped; an error's own English words in
    /// `<code lang="en">`, see [`crate::web::page::status_html`]).
    html: String,
}

/// The status warnings in the language of `tr`.
fn warning_rows(status: &crate::status::Status, tr: crate::i18n::Tr) -> Vec<WarningRow> {
    status
        .snapshot()
        .warning_list
        .iter()
        .map(|w| WarningRow {
            html: crate::web::page::status_html(&w.words, tr),
        })
        .collect()
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
    notice: Option<String>,
    /// A notice made for this answer (what a restore did).
    detail: Option<String>,
    error: Option<String>,
    csrf: String,
    expires: String,
    warnings: Vec<WarningRow>,
    history: bool,
    sessions: Vec<SessionRow>,
    settings: HistoryConfig,
    db_mb: String,
    config_note: String,
    /// The controls section, when logged in.
    controls: Option<Panel>,
    /// The projector section (group-view rules), when logged in.
    group_view: Option<GroupPanel>,
    /// The login form came over plain HTTP: warn that WPA2 does not protect the password.
    plain_http: bool,
    /// Where the HTTPS login is, and its certificate's fingerprint (`web.https_listen`).
    https: Option<(String, String)>,
    /// The room's radio and the uplink, when logged in on the appliance.
    wifi: Option<super::wifi::WifiPanel>,
    /// The login form's reader joined the WiFi with WPA2 (hostapd says so): warn.
    wpa2_here: bool,
}

impl AdminPage {
    /// A count with the language's grouping.
    fn num(&self, n: &u64) -> String {
        self.page.tr.num(*n)
    }

    /// [`AdminPage::num`] of a `usize`.
    fn count(&self, n: &usize) -> String {
        self.page.tr.num(u64::try_from(*n).unwrap_or(u64::MAX))
    }

    /// "Ended so far: 3." in the page's language.
    fn ended(&self, n: &usize) -> String {
        let n = u64::try_from(*n).unwrap_or(u64::MAX);
        self.page.tr.ta(
            "adm-open-ended",
            [("count", FluentValue::from(self.page.tr.num(n)))],
        )
    }

    /// Where to log in over HTTPS instead, in the page's language (markup: the address and
    /// fingerprint are escaped).
    fn https_there(&self, url: &str, fingerprint: &str) -> String {
        self.page.tr.ta(
            "admin-https-there",
            [
                ("url", FluentValue::from(html_escape(url))),
                ("fingerprint", FluentValue::from(html_escape(fingerprint))),
            ],
        )
    }
}

/// Fixed notices after a redirect (`?done=`), as message ids the page translates: nothing
/// from the query is shown as is.
fn notice(done: Option<&str>) -> Option<&'static str> {
    Some(match done? {
        "started" => "adm-done-started",
        "deleted" => "adm-done-deleted",
        "settings" => "adm-done-settings",
        "settings-runtime" => "adm-done-settings-runtime",
        "logout" => "admin-logged-out",
        "dns-block" => "adm-done-dns-block",
        "blocked" => "adm-done-blocked",
        "unblocked" => "adm-done-unblocked",
        "killed" => "adm-done-killed",
        "group-view" => "adm-done-group-view",
        "group-view-undone" => "adm-done-group-view-undone",
        _ => return None,
    })
}

/// A date and time on the reader's clock, in the language of `tr`.
fn when(tr: crate::i18n::Tr, t: chrono::DateTime<chrono::Utc>) -> String {
    crate::web::language::current().clock.date_time(tr, t)
}

/// The admin page for this visitor, with `status`. `notice` is a message id (translated);
/// `error` is shown after a translated "That did not work:".
pub(crate) async fn render(
    app: &AppState,
    admin: Option<&AdminSession>,
    status: StatusCode,
    notice: Option<&'static str>,
    error: Option<String>,
) -> Response {
    render_over(app, admin, status, notice, error, true, None).await
}

/// [`render`], saying whether the request came over HTTPS (`https`: no warning about plain
/// HTTP on the login form) and who asked (`peer`: the login form warns a device that joined
/// the WiFi with WPA2).
pub(crate) async fn render_over(
    app: &AppState,
    admin: Option<&AdminSession>,
    status: StatusCode,
    notice: Option<&'static str>,
    error: Option<String>,
    https: bool,
    peer: Option<IpAddr>,
) -> Response {
    page_with(app, admin, status, notice, None, error, https, peer).await
}

/// The admin page (`200`) with a notice made for this answer (a restore's counts).
pub(crate) async fn render_notice(app: &AppState, admin: &AdminSession, text: String) -> Response {
    page_with(
        app,
        Some(admin),
        StatusCode::OK,
        None,
        Some(text),
        None,
        true,
        None,
    )
    .await
}

#[allow(clippy::too_many_arguments)]
async fn page_with(
    app: &AppState,
    admin: Option<&AdminSession>,
    status: StatusCode,
    notice: Option<&'static str>,
    detail: Option<String>,
    error: Option<String>,
    https: bool,
    peer: Option<IpAddr>,
) -> Response {
    let page = Layout::new(app, "title-admin", "admin", "");
    let tr = page.tr;
    let mut p = AdminPage {
        plain_http: !https,
        https: app.https.as_ref().map(|h| {
            (
                format!("https://{}:{}/admin", app.hosts.main_name(), h.port),
                h.fingerprint.clone(),
            )
        }),
        notice: notice.map(|id| tr.t(id)),
        wpa2_here: admin.is_none()
            && peer.and_then(|ip| super::wifi::security_of(app, ip))
                == Some(crate::model::WifiSecurity::Wpa2Psk),
        page,
        enabled: app.admin.enabled(),
        logged_in: admin.is_some(),
        detail,
        error,
        csrf: admin.map(AdminSession::csrf_token).unwrap_or_default(),
        expires: admin.map(|a| when(tr, a.expires_at)).unwrap_or_default(),
        warnings: Vec::new(),
        history: app.admin.store().is_some(),
        sessions: Vec::new(),
        settings: app.admin.settings.get(),
        db_mb: String::new(),
        config_note: String::new(),
        controls: None,
        group_view: None,
        wifi: None,
    };
    if admin.is_some() {
        p.controls = Some(panel(app, &tr));
        p.group_view = Some(group_panel(app, &tr));
        p.warnings = warning_rows(&app.status, tr);
        let wifi = app.status.wifi.lock().clone();
        p.wifi = wifi.map(|w| super::wifi::panel_with_devices(app, &w, &tr));
        match app.admin.session_list().await {
            Ok(list) => {
                p.sessions = list
                    .into_iter()
                    .map(|s| SessionRow {
                        id: s.session.id,
                        name: if s.session.name.is_empty() {
                            tr.t1(
                                "adm-session-unnamed",
                                "started",
                                &when(tr, s.session.started_at),
                            )
                        } else {
                            s.session.name
                        },
                        started: when(tr, s.session.started_at),
                        ended: s.session.ended_at.map(|t| when(tr, t)).unwrap_or_default(),
                        current: s.current,
                    })
                    .collect();
            }
            Err(e) => p.error = Some(tr.t1("adm-failed", "error", &e.say(tr))),
        }
        if let Ok(v) = app.admin.settings_view().await {
            p.db_mb = v
                .database
                .map(|d| tr.bytes(d.file_bytes))
                .unwrap_or_else(|| tr.t("adm-no-database"));
            p.config_note = match v.config_file {
                Some(f) => tr.t1("adm-config-file", "file", &f.to_string()),
                None => tr.t("adm-config-none"),
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
    done: Result<Query<Done>, QueryRejection>,
    conn: Option<Extension<ConnMeta>>,
    ConnectInfo(peer): ConnectInfo<std::net::SocketAddr>,
) -> Response {
    let done = done.ok().and_then(|Query(d)| d.done);
    render_over(
        &app,
        admin.ok().as_ref(),
        StatusCode::OK,
        notice(done.as_deref()),
        None,
        conn.is_some_and(|Extension(c)| c.https),
        Some(peer.ip()),
    )
    .await
}

/// A redirect (`303`) back to the admin page with the notice `done` (see `notice`).
pub(crate) fn back_to_admin(done: &str) -> Response {
    let mut res = StatusCode::SEE_OTHER.into_response();
    if let Ok(v) = HeaderValue::from_str(&format!("/admin?done={done}")) {
        res.headers_mut().insert(header::LOCATION, v);
    }
    res
}

/// The CSRF check of an admin form; `Err` is the page to answer with (`403`).
pub(crate) async fn checked<T: HasCsrf>(
    app: &AppState,
    admin: &AdminSession,
    headers: &HeaderMap,
    form: &Result<Form<T>, FormRejection>,
) -> Result<(), Response> {
    let token = form.as_ref().map(|Form(f)| f.csrf()).unwrap_or("");
    checked_token(app, admin, headers, token).await
}

/// The CSRF check of a form's `token` (any encoding); `Err` is the page to answer with (`403`).
pub(crate) async fn checked_token(
    app: &AppState,
    admin: &AdminSession,
    headers: &HeaderMap,
    token: &str,
) -> Result<(), Response> {
    match admin.check_csrf(headers, token) {
        Ok(()) => Ok(()),
        Err(CsrfRejection(why)) => Err(render(
            app,
            Some(admin),
            StatusCode::FORBIDDEN,
            None,
            Some(
                crate::web::language::current()
                    .tr(app.site.lang())
                    .t1("adm-refused", "why", why),
            ),
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
            Some(
                crate::web::language::current()
                    .tr(app.site.lang())
                    .t("adm-incomplete-form"),
            ),
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

/// The form's choice for the old session (`old`: `keep` or `delete`; none: the setting).
pub(crate) fn keep_old(choice: Option<&str>) -> Result<Option<bool>, AdminError> {
    match choice {
        None => Ok(None),
        Some("keep") => Ok(Some(true)),
        Some("delete") => Ok(Some(false)),
        Some(_) => Err(AdminError::KeepOrDelete),
    }
}

/// The page again with a failed admin operation's error (its status code).
pub(crate) async fn failed(app: &AppState, admin: &AdminSession, e: AdminError) -> Response {
    let status = match &e {
        AdminError::BadRequest(_) | AdminError::KeepOrDelete => StatusCode::BAD_REQUEST,
        AdminError::Store(crate::store::StoreError::NoSuchSession(_)) => StatusCode::NOT_FOUND,
        AdminError::Store(crate::store::StoreError::CurrentSession(_)) => StatusCode::CONFLICT,
        AdminError::GroupView(_) | AdminError::NicknameLocked | AdminError::Nickname(_) => {
            e.status_code()
        }
        _ => StatusCode::SERVICE_UNAVAILABLE,
    };
    render(
        app,
        Some(admin),
        status,
        None,
        Some(failure(app, &e.say(reader_tr(app)))),
    )
    .await
}

/// "That did not work: `detail`" in the reader's language (`detail`: the failure said in
/// that language, see [`reader_tr`]).
pub(crate) fn failure(app: &AppState, detail: &str) -> String {
    reader_tr(app).t1("adm-failed", "error", detail)
}

/// The translator of this request's reader.
pub(crate) fn reader_tr(app: &AppState) -> crate::i18n::Tr {
    crate::web::language::current().tr(app.site.lang())
}

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
    /// Its kind's message id (`adm-kind-country`, `-org`, `-ip`).
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
fn panel(app: &AppState, tr: &crate::i18n::Tr) -> Panel {
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
                    Proto::Other(n) => tr.t1("adm-protocol", "number", &n.to_string()),
                },
                tracker: f.enrichment.tracker,
            })
            .collect()
    };
    // Names outside the live lock (the registry has its own).
    for f in &mut flows {
        if let Ok(ip) = f.device.parse::<IpAddr>() {
            f.device = admin_name(&app.devices.describe(ip), tr);
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
                name: admin_name(&app.devices.describe(*ip), tr),
            })
            .collect(),
        blocked_queries: v.dns_block.blocked_queries,
        blocks: v
            .blocks
            .iter()
            .map(|b| PanelBlock {
                id: b.id,
                kind: match b.kind {
                    BlockKind::Country => "adm-kind-country",
                    BlockKind::Org => "adm-kind-org",
                    BlockKind::Ip => "adm-kind-ip",
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

/// A group-view rule as the admin sees it (JSON and page).
#[derive(Clone, Debug, serde::Serialize)]
pub(crate) struct RuleView {
    /// Its number (undo with it).
    pub id: u64,
    /// `device`, `nickname`, `domain`, `names`.
    pub kind: RuleKind,
    /// `hide`, `clear`, `lock`.
    pub action: RuleAction,
    /// The device's identity key (`hw-…`/`ip-…`), the nickname, the domain, or empty.
    pub target: String,
    /// The device's admin name (host name or nickname, and its pseudonym), when known now.
    pub name: Option<String>,
    /// The device's addresses now.
    pub addresses: Vec<IpAddr>,
    /// When it was made.
    pub created_at: chrono::DateTime<chrono::Utc>,
    /// In words, for the page ("Hidden: example.com").
    #[serde(skip)]
    pub words: String,
}

/// Describe a rule for the admin (the MAC stays inside: the identity key is shown).
pub(crate) fn rule_view(app: &AppState, r: &Rule) -> RuleView {
    let (target, name, addresses) = match &r.target {
        Target::Device(t) => {
            let ips = app.devices.addresses(t.identity());
            let name = ips.first().map(|ip| app.devices.describe(*ip).admin_name());
            (t.identity().to_string(), name, ips)
        }
        Target::Nickname(n) => (n.clone(), None, Vec::new()),
        Target::Domain(d) => (d.to_string(), None, Vec::new()),
        Target::All => (String::new(), None, Vec::new()),
    };
    // In the reader's language (the JSON leaves `words` out).
    let tr = crate::web::language::current().tr(app.site.lang());
    let what = match (&r.target, &name) {
        (Target::Device(_), Some(_)) => {
            let ip = addresses.first().copied();
            let n = ip.map(|ip| admin_name(&app.devices.describe(ip), &tr));
            tr.t1("adm-rule-device", "name", n.as_deref().unwrap_or(""))
        }
        (Target::Device(_), None) => tr.t("adm-rule-device-gone"),
        (Target::Nickname(n), _) => tr.t1("adm-rule-nickname", "name", n),
        (Target::Domain(d), _) => tr.t1("adm-rule-website", "name", &d.to_string()),
        (Target::All, _) => tr.t("adm-rule-all"),
    };
    let id = match r.action {
        RuleAction::Hide => "adm-rule-hidden",
        RuleAction::Clear => "adm-rule-cleared",
        RuleAction::Lock => "adm-rule-locked",
    };
    let words = tr.t1(id, "what", &what);
    RuleView {
        id: r.id,
        kind: r.kind(),
        action: r.action,
        target,
        name,
        addresses,
        created_at: r.created_at,
        words,
    }
}

/// Devices the projector section lists with buttons.
const PANEL_DEVICES: usize = 100;

/// A device in the projector section.
pub struct GroupPanelDevice {
    /// Its preferred address (the forms' target).
    pub ip: String,
    /// Its admin name.
    pub name: String,
    /// What the projector shows for it now.
    pub shown: String,
    /// Rules in force for it.
    pub hidden: bool,
    /// Its nickname is cleared.
    pub cleared: bool,
    /// Its nickname is locked.
    pub locked: bool,
}

/// The projector section of the admin page.
pub struct GroupPanel {
    /// The rules, oldest first.
    pub rules: Vec<RuleView>,
    /// The "names off" rule, when on (undo turns names back on).
    pub names_off: Option<u64>,
    /// Devices connected now.
    pub devices: Vec<GroupPanelDevice>,
}

/// The projector section now.
fn group_panel(app: &AppState, tr: &crate::i18n::Tr) -> GroupPanel {
    let rules: Vec<Rule> = app.group_view.read().rules().to_vec();
    let names_off = rules.iter().find(|r| r.target == Target::All).map(|r| r.id);
    let devices = app
        .devices
        .present()
        .into_iter()
        .take(PANEL_DEVICES)
        .filter_map(|p| {
            let ip = *p.ips.first()?;
            let id = app.devices.identity(ip);
            let has = |a: RuleAction| {
                rules.iter().any(|r| {
                    r.action == a && matches!(r.target, Target::Device(t) if t.identity() == id)
                })
            };
            Some(GroupPanelDevice {
                ip: ip.to_string(),
                name: admin_name(&p.info, tr),
                shown: app.device_name(crate::model::DeviceId(ip)),
                hidden: has(RuleAction::Hide),
                cleared: has(RuleAction::Clear),
                locked: has(RuleAction::Lock),
            })
        })
        .collect();
    GroupPanel {
        rules: rules.iter().map(|r| rule_view(app, r)).collect(),
        names_off,
        devices,
    }
}
