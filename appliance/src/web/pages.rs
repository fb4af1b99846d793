//! The pages people open: `/` (what this is and how to read it), `/sankey`, `/map`,
//! `/presenter`, `/alerts` and `/me`, server-rendered with askama from `web-templates/templates/`, plus
//! `GET /api/v1/site` (the appliance's name, address and place, for the map).
//!
//! Every page is a complete HTML page that reads without JavaScript; the scripts
//! (`web-templates/src/`, embedded by `build.rs`, see [`super::assets`]) make the views live.
//! Pages are sent with a Content-Security-Policy that allows this appliance only: even a bug
//! in a script cannot make a browser fetch anything from another host.

use std::net::IpAddr;

use askama::Template;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use qrcode::render::svg;
use qrcode::{EcLevel, QrCode};
use serde::Deserialize;
use serde_json::json;

use crate::config::{SiteConfig, WifiConfig, WifiSecurity};
use crate::detect::AlertKind;
use crate::enrich::attribution::Source;
use crate::enrich::category::Category;
use crate::model::DeviceId;
use crate::web::alerts::{self as alert_list, kind_explain, kind_icon, kind_label, AlertRow};
use crate::web::assets;
use crate::web::auth::csrf::FormToken;
use crate::web::auth::{AdminRejection, AdminSession};
use crate::web::me::{country_name, me_view, MeView};
use crate::web::viewer::Viewer;
use crate::web::AppState;

/// Only this appliance: scripts, styles, data and images from the same origin (and `data:`
/// images for the inline favicon); no frames, no plugins.
const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; \
                   img-src 'self' data:; connect-src 'self'; font-src 'self'; object-src 'none'; \
                   base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// Routes of this module.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(home))
        .route("/sankey", get(sankey))
        .route("/map", get(map))
        .route("/presenter", get(presenter))
        .route("/me", get(me))
        .route("/alerts", get(alerts))
        .route("/api/v1/site", get(site))
}

/// What the shared layout (`base.html`) needs.
pub struct Layout {
    /// The page's own title (before " · site name").
    pub title: &'static str,
    /// Which navigation entry is the current page (`home`, `sankey`, `map`, `alerts`, `me`,
    /// `presenter`).
    pub active: &'static str,
    /// `site.name`.
    pub site_name: String,
    /// URL of the style sheet.
    pub css: String,
    /// URL of the page's script (empty: none).
    pub js: String,
    /// The categories as JSON for the scripts (`<script type="application/json">`), already
    /// safe to put inside a script element.
    pub categories_json: String,
    /// The alert kinds' labels and symbols as JSON for the scripts (the same words the
    /// server renders), safe inside a script element.
    pub alert_kinds_json: String,
}

impl Layout {
    /// The layout of a page whose script is `web-templates/src/<script>.js` (or none).
    pub fn new(app: &AppState, title: &'static str, active: &'static str, script: &str) -> Self {
        Layout {
            title,
            active,
            site_name: app.site.name.clone(),
            css: assets::url("style.css"),
            js: if script.is_empty() {
                String::new()
            } else {
                assets::url(&format!("{script}.js"))
            },
            categories_json: categories_json(),
            alert_kinds_json: alert_list::kinds_json(),
        }
    }
}

/// A category as the pages explain it.
pub struct CategoryView {
    /// `advertising`, ...
    pub id: &'static str,
    /// Short label.
    pub label: &'static str,
    /// Plain words.
    pub explain: &'static str,
    /// Counts as tracking.
    pub tracking: bool,
}

fn category_views() -> Vec<CategoryView> {
    Category::ALL
        .iter()
        .map(|c| CategoryView {
            id: c.as_str(),
            label: c.label(),
            explain: c.explain(),
            tracking: c.is_tracking(),
        })
        .collect()
}

/// JSON safe to embed in a `<script type="application/json">` element (no `<` at all, so no
/// `</script>` can end it early).
pub fn script_json(value: &serde_json::Value) -> String {
    value
        .to_string()
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

fn categories_json() -> String {
    let list: Vec<_> = Category::ALL
        .iter()
        .map(|c| {
            json!({ "id": c.as_str(), "label": c.label(), "explain": c.explain(),
                    "tracking": c.is_tracking() })
        })
        .collect();
    script_json(&serde_json::Value::Array(list))
}

/// A rendered page with the headers every page gets; a template error is a 500 that says so.
pub fn html<T: Template>(page: &T) -> Response {
    match page.render() {
        Ok(body) => (
            [
                (
                    header::CONTENT_TYPE,
                    HeaderValue::from_static("text/html; charset=utf-8"),
                ),
                (
                    header::CONTENT_SECURITY_POLICY,
                    HeaderValue::from_static(CSP),
                ),
                (header::CACHE_CONTROL, HeaderValue::from_static("no-cache")),
                (
                    header::X_CONTENT_TYPE_OPTIONS,
                    HeaderValue::from_static("nosniff"),
                ),
                // `same-origin`, not `no-referrer`: with `no-referrer` browsers send
                // `Origin: null` on the page's own form posts (the nickname, forget and ignore
                // forms), which the CSRF check refuses as "another site"; `same-origin` still
                // sends nothing to other sites.
                (
                    header::REFERRER_POLICY,
                    HeaderValue::from_static("same-origin"),
                ),
            ],
            body,
        )
            .into_response(),
        Err(e) => {
            tracing::error!("page template failed: {e}");
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
                format!("this page could not be rendered: {e}\n"),
            )
                .into_response()
        }
    }
}

#[derive(Template)]
#[template(path = "index.html")]
struct HomePage {
    page: Layout,
    categories: Vec<CategoryView>,
    sources: Vec<Source>,
    sources_error: String,
}

async fn home(State(app): State<AppState>) -> Response {
    let (sources, sources_error) = match crate::enrich::attribution::sources() {
        Ok(s) => (s, String::new()),
        Err(e) => (Vec::new(), e.to_string()),
    };
    html(&HomePage {
        page: Layout::new(&app, "Where does your data go?", "home", "home"),
        categories: category_views(),
        sources,
        sources_error,
    })
}

#[derive(Template)]
#[template(path = "sankey.html")]
struct SankeyPage {
    page: Layout,
}

async fn sankey(State(app): State<AppState>) -> Response {
    html(&SankeyPage {
        page: Layout::new(&app, "Flows: device to country", "sankey", "sankey"),
    })
}

#[derive(Template)]
#[template(path = "map.html")]
struct MapPage {
    page: Layout,
    categories: Vec<CategoryView>,
    home_set: bool,
}

async fn map(State(app): State<AppState>) -> Response {
    html(&MapPage {
        page: Layout::new(&app, "World map", "map", "map"),
        categories: category_views(),
        home_set: app.site.latitude.is_some() && app.site.longitude.is_some(),
    })
}

#[derive(Template)]
#[template(path = "presenter.html")]
struct PresenterPage {
    page: Layout,
    url: String,
    site_qr: String,
    wifi: Option<WifiJoin>,
}

/// What the presenter shows to join the WiFi.
struct WifiJoin {
    ssid: String,
    passphrase: String,
    qr: String,
}

async fn presenter(State(app): State<AppState>) -> Response {
    let wifi = wifi_uri(&app.wifi).map(|uri| WifiJoin {
        ssid: app.wifi.ssid.clone(),
        passphrase: app.wifi.passphrase.clone(),
        qr: qr_svg(
            &uri,
            &format!("QR code to join the WiFi network {}", app.wifi.ssid),
        ),
    });
    html(&PresenterPage {
        page: Layout::new(&app, "Presenter", "presenter", "presenter"),
        url: app.site.url.clone(),
        site_qr: qr_svg(&app.site.url, &format!("QR code to open {}", app.site.url)),
        wifi,
    })
}

/// `GET /api/v1/site`: `{name, url, latitude, longitude}` (the map's starting point; both
/// coordinates `null` when not set).
async fn site(State(app): State<AppState>) -> Response {
    Json(site_json(&app.site)).into_response()
}

fn site_json(s: &SiteConfig) -> serde_json::Value {
    json!({ "name": s.name, "url": s.url, "latitude": s.latitude, "longitude": s.longitude })
}

/// An organization row of `/me`, formatted.
struct MeOrg {
    org: String,
    category: &'static str,
    category_label: &'static str,
    tracker: bool,
    countries: String,
    sent: String,
    received: String,
}

/// A country row of `/me`, formatted.
struct MeCountry {
    name: String,
    data: String,
    connections: u64,
}

#[derive(Template)]
#[template(path = "me.html")]
struct MePage {
    page: Layout,
    me: MeView,
    csrf: String,
    sent: String,
    received: String,
    orgs: Vec<MeOrg>,
    countries: Vec<MeCountry>,
    /// The device's alerts, formatted.
    alerts: Vec<AlertRow>,
}

fn me_page(app: &AppState, me: MeView, csrf: String) -> MePage {
    let orgs = me
        .orgs
        .iter()
        .map(|o| MeOrg {
            org: o.org.clone(),
            category: o.category.unwrap_or("other"),
            category_label: o.category_label.unwrap_or("Unknown kind"),
            tracker: o.tracker,
            countries: o
                .countries
                .iter()
                .map(|c| country_name(c))
                .collect::<Vec<_>>()
                .join(", "),
            sent: format_bytes(o.bytes_up),
            received: format_bytes(o.bytes_down),
        })
        .collect();
    let countries = me
        .countries
        .iter()
        .map(|c| MeCountry {
            name: c.name.clone(),
            data: format_bytes(c.bytes),
            connections: c.connections,
        })
        .collect();
    let now = chrono::Utc::now();
    let alerts = me
        .alerts
        .iter()
        .map(|a| AlertRow::new(a, now, None))
        .collect();
    MePage {
        page: Layout::new(app, "My device", "me", "me"),
        sent: format_bytes(me.bytes_up),
        received: format_bytes(me.bytes_down),
        orgs,
        countries,
        alerts,
        csrf,
        me,
    }
}

/// `GET /me`: the device that opens it, from its source address. The nickname and forget
/// forms carry a double-submit token ([`FormToken`]: the same value in a cookie and in the
/// form's hidden `csrf` field), which `POST /me/nickname` and `/me/forget` check.
async fn me(State(app): State<AppState>, viewer: Viewer, token: FormToken) -> Response {
    let view = me_view(&app, viewer.device);
    let csrf = token.value().to_owned();
    (token, html(&me_page(&app, view, csrf))).into_response()
}

/// Most alerts the alerts page lists (the newest; the API gives up to 10,000).
const ALERTS_PAGE_MAX: usize = 500;

/// A kind in the alerts page's filter and explanations.
struct KindOption {
    id: &'static str,
    label: &'static str,
    icon: &'static str,
    explain: &'static str,
    selected: bool,
}

/// A device in the alerts page's filter.
struct DeviceOption {
    ip: String,
    name: String,
    selected: bool,
}

#[derive(Template)]
#[template(path = "alerts.html")]
struct AlertsPage {
    page: Layout,
    /// The detectors run.
    enabled: bool,
    /// Privacy mode applies: the viewer sees its own device's alerts only.
    privacy: bool,
    /// The alerts shown (newest first).
    rows: Vec<AlertRow>,
    /// One line saying what is listed.
    summary: String,
    /// A filter is set.
    filtered: bool,
    kinds: Vec<KindOption>,
    devices: Vec<DeviceOption>,
    /// The admin's CSRF token (empty: not logged in as admin; no ignore buttons).
    csrf: String,
    /// After a form: what was done.
    notice: Option<&'static str>,
    /// A filter that could not be used.
    error: Option<String>,
}

/// `GET /alerts` query (all optional; a bad value is named on the page and left out).
#[derive(Debug, Default, Deserialize)]
struct AlertsQuery {
    kind: Option<String>,
    device: Option<String>,
    done: Option<String>,
}

/// What the alerts page shows for `viewer` with the filter `q` (admin: `csrf` not empty).
fn alerts_page(
    app: &AppState,
    viewer: Viewer,
    q: AlertsQuery,
    csrf: String,
    now: chrono::DateTime<chrono::Utc>,
) -> AlertsPage {
    let mut errors: Vec<String> = Vec::new();
    let kind = match q.kind.as_deref().map(str::trim).filter(|k| !k.is_empty()) {
        None => None,
        Some(k) => match k.parse::<AlertKind>() {
            Ok(k) => Some(k),
            Err(_) => {
                errors.push(format!(
                    "There is no kind of alert called “{k}”: showing all kinds."
                ));
                None
            }
        },
    };
    let asked = match q.device.as_deref().map(str::trim).filter(|d| !d.is_empty()) {
        None => None,
        Some(d) => match d.parse::<IpAddr>() {
            Ok(ip) => Some(ip),
            Err(_) => {
                errors.push(format!(
                    "“{d}” is not a device address: showing every device."
                ));
                None
            }
        },
    };
    let device = viewer.restrict(asked).unwrap_or_else(|_| {
        errors
            .push("Privacy mode is on: this page shows only your own device's alerts.".to_string());
        Some(viewer.device)
    });
    let notice = match q.done.as_deref() {
        Some("ignored") => Some(
            "Ignored for 1 hour: alerts of that kind for that device (and domain) are not \
             raised until then.",
        ),
        _ => None,
    };
    let kinds = AlertKind::ALL
        .iter()
        .map(|&k| KindOption {
            id: k.as_str(),
            label: kind_label(k),
            icon: kind_icon(k),
            explain: kind_explain(k),
            selected: kind == Some(k),
        })
        .collect();
    let error = (!errors.is_empty()).then(|| errors.join(" "));
    let Some((listed, total)) = alert_list::listing(app, device, kind, ALERTS_PAGE_MAX) else {
        return AlertsPage {
            page: Layout::new(app, "Alerts", "alerts", "alerts"),
            enabled: false,
            privacy: viewer.private,
            rows: Vec::new(),
            summary: String::new(),
            filtered: false,
            kinds,
            devices: Vec::new(),
            csrf,
            notice,
            error,
        };
    };
    // The filter's devices: every device with an alert (the one asked for too).
    let mut devices: Vec<DeviceOption> = Vec::new();
    if !viewer.private {
        let all = alert_list::listing(app, None, None, usize::MAX)
            .map(|(l, _)| l)
            .unwrap_or_default();
        let mut seen: Vec<(DeviceId, String)> = all
            .iter()
            .filter_map(|l| Some((l.alert.device_ip?, l.device_name.clone()?)))
            .collect();
        if let Some(d) = device {
            seen.push((d, app.device_name(d)));
        }
        seen.sort_by(|a, b| {
            a.1.to_lowercase()
                .cmp(&b.1.to_lowercase())
                .then(a.0.cmp(&b.0))
        });
        seen.dedup_by(|a, b| a.0 == b.0);
        devices = seen
            .into_iter()
            .map(|(d, name)| DeviceOption {
                ip: d.to_string(),
                name,
                selected: device == Some(d),
            })
            .collect();
    }
    let ignored = if csrf.is_empty() {
        Default::default()
    } else {
        alert_list::ignored_alerts(app, now)
    };
    let rows: Vec<AlertRow> = listed
        .iter()
        .map(|l| AlertRow::new(l, now, ignored.get(&l.alert.id).copied()))
        .collect();
    let filtered = kind.is_some() || (device.is_some() && !viewer.private);
    AlertsPage {
        page: Layout::new(app, "Alerts", "alerts", "alerts"),
        enabled: true,
        privacy: viewer.private,
        summary: alerts_summary(rows.len(), total),
        rows,
        filtered,
        kinds,
        devices,
        csrf,
        notice,
        error,
    }
}

/// "3 alerts", "No alerts", "The newest 500 of 812 alerts" (the scripts say the same).
fn alerts_summary(shown: usize, total: usize) -> String {
    match total {
        0 => "No alerts".into(),
        1 => "1 alert".into(),
        n if shown < n => format!("The newest {shown} of {n} alerts"),
        n => format!("{n} alerts"),
    }
}

/// `GET /alerts`: the detectors' alerts, newest first, filtered by `?kind=` and `?device=`
/// (the same data as `/api/v1/alerts`; privacy mode: the device's own). A logged-in admin
/// gets an "ignore for 1 hour" form on each.
async fn alerts(
    State(app): State<AppState>,
    viewer: Viewer,
    admin: Result<AdminSession, AdminRejection>,
    q: Result<Query<AlertsQuery>, QueryRejection>,
) -> Response {
    let q = q.map(|Query(q)| q).unwrap_or_default();
    let csrf = admin
        .as_ref()
        .map(AdminSession::csrf_token)
        .unwrap_or_default();
    let mut res = html(&alerts_page(&app, viewer, q, csrf, chrono::Utc::now()));
    if admin.is_ok() {
        // The admin's token is in the page: never cached.
        res.headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    res
}

/// "1.2 MB": decimal units, as phones count data (the same as the scripts' `formatBytes`).
pub fn format_bytes(n: u64) -> String {
    const UNITS: [&str; 5] = ["B", "kB", "MB", "GB", "TB"];
    let mut v = n as f64;
    let mut i = 0;
    while v >= 1000.0 && i < UNITS.len() - 1 {
        v /= 1000.0;
        i += 1;
    }
    if i == 0 || v >= 100.0 {
        format!("{v:.0} {}", UNITS[i])
    } else {
        let s = format!("{v:.1}");
        let s = s.strip_suffix(".0").unwrap_or(&s);
        format!("{s} {}", UNITS[i])
    }
}

/// Escape a field of a `WIFI:` URI: `\`, `;`, `,`, `:` and `"` get a backslash.
pub fn wifi_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 4);
    for c in s.chars() {
        if matches!(c, '\\' | ';' | ',' | ':' | '"') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// The `WIFI:` URI phones read from a QR code to join (`WIFI:T:WPA;S:<ssid>;P:<pass>;;`), or
/// `None` when `wifi.ssid` is not set. WPA2 and WPA3 are both `T:WPA` (what phone cameras
/// understand for both).
pub fn wifi_uri(w: &WifiConfig) -> Option<String> {
    if w.ssid.is_empty() {
        return None;
    }
    let ssid = wifi_escape(&w.ssid);
    Some(match w.security {
        WifiSecurity::Open => format!("WIFI:T:nopass;S:{ssid};;"),
        WifiSecurity::Wpa2 | WifiSecurity::Wpa3 | WifiSecurity::Wpa2Wpa3 => {
            format!("WIFI:T:WPA;S:{ssid};P:{};;", wifi_escape(&w.passphrase))
        }
    })
}

/// A QR code as inline SVG (`<svg class="qr" role="img" aria-label=...>`), black on white
/// with the quiet zone phones need. Text too long for a QR code gives a short note instead.
pub fn qr_svg(data: &str, label: &str) -> String {
    let code = match QrCode::with_error_correction_level(data.as_bytes(), EcLevel::M) {
        Ok(c) => c,
        Err(e) => {
            return format!(
                "<p class=\"qr-missing\">No QR code: {}</p>",
                html_escape(&e.to_string())
            )
        }
    };
    let image = code
        .render::<svg::Color>()
        .min_dimensions(200, 200)
        .dark_color(svg::Color("#000000"))
        .light_color(svg::Color("#ffffff"))
        .quiet_zone(true)
        .build();
    // Drop the XML declaration; mark it for styling and for screen readers.
    let start = image.find("<svg").unwrap_or(0);
    image[start..].replacen(
        "<svg ",
        &format!(
            "<svg class=\"qr\" role=\"img\" aria-label=\"{}\" ",
            html_escape(label)
        ),
        1,
    )
}

fn html_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wifi(ssid: &str, pass: &str, security: WifiSecurity) -> WifiConfig {
        WifiConfig {
            ssid: ssid.into(),
            passphrase: pass.into(),
            security,
            ..WifiConfig::default()
        }
    }

    #[test]
    fn wifi_uri_escapes_the_special_characters() {
        assert_eq!(
            wifi_uri(&wifi("class", "pass word", WifiSecurity::Wpa2)).unwrap(),
            "WIFI:T:WPA;S:class;P:pass word;;"
        );
        assert_eq!(
            wifi_uri(&wifi("a;b,c:d\\e\"f", "p;a,s:s\\w\"d", WifiSecurity::Wpa3)).unwrap(),
            "WIFI:T:WPA;S:a\\;b\\,c\\:d\\\\e\\\"f;P:p\\;a\\,s\\:s\\\\w\\\"d;;"
        );
        assert_eq!(
            wifi_uri(&wifi("open class", "", WifiSecurity::Open)).unwrap(),
            "WIFI:T:nopass;S:open class;;"
        );
        assert_eq!(wifi_uri(&WifiConfig::default()), None);
    }

    #[test]
    fn qr_code_is_inline_svg_marked_for_css_and_screen_readers() {
        let s = qr_svg("http://whereflow.lan", "QR code to open \"x\" <y>");
        assert!(s.starts_with("<svg class=\"qr\" role=\"img\""), "{s}");
        assert!(s.contains("aria-label=\"QR code to open &quot;x&quot; &lt;y&gt;\""));
        assert!(s.ends_with("</svg>"));
        assert!(!s.contains("<?xml"));
        // The same data gives the same picture (decoders accept it; see the browser test).
        assert_eq!(
            s,
            qr_svg("http://whereflow.lan", "QR code to open \"x\" <y>")
        );
        let long = "x".repeat(5000);
        assert!(qr_svg(&long, "too long").contains("No QR code"));
    }

    #[test]
    fn script_json_cannot_end_its_script_element() {
        let v = json!({"a": "</script><b>&"});
        let s = script_json(&v);
        assert!(!s.contains('<') && !s.contains('>'));
        let back: serde_json::Value = serde_json::from_str(&s).unwrap();
        assert_eq!(back, v);
    }

    #[test]
    fn bytes_read_like_the_scripts_show_them() {
        assert_eq!(format_bytes(0), "0 B");
        assert_eq!(format_bytes(999), "999 B");
        assert_eq!(format_bytes(1200), "1.2 kB");
        assert_eq!(format_bytes(48_000), "48 kB");
        assert_eq!(format_bytes(123_456_789), "123 MB");
        assert_eq!(format_bytes(5_000_000_000), "5 GB");
    }

    fn layout(active: &'static str, script: &str) -> Layout {
        Layout {
            title: "Test",
            active,
            site_name: "Room <4>".into(),
            css: assets::url("style.css"),
            js: assets::url(&format!("{script}.js")),
            categories_json: categories_json(),
            alert_kinds_json: alert_list::kinds_json(),
        }
    }

    #[test]
    fn home_page_explains_and_attributes() {
        let html = HomePage {
            page: layout("home", "home"),
            categories: category_views(),
            sources: crate::enrich::attribution::sources().unwrap(),
            sources_error: String::new(),
        }
        .render()
        .unwrap();
        assert!(html.contains("<main"));
        assert!(html.contains("<a href=\"https://db-ip.com\">IP Geolocation by DB-IP</a>"));
        for c in Category::ALL {
            assert!(html.contains(&format!("cat-{}", c.as_str())), "{c}");
        }
        assert!(!html.contains("Room <4>"), "the site name is escaped");
        assert!(html.contains(&assets::url("home.js")));
    }

    #[test]
    fn presenter_has_two_qr_codes_and_the_join_words() {
        let w = wifi("class", "pass;word", WifiSecurity::Wpa2);
        let html = PresenterPage {
            page: layout("presenter", "presenter"),
            url: "http://whereflow.lan".into(),
            site_qr: qr_svg("http://whereflow.lan", "site"),
            wifi: Some(WifiJoin {
                ssid: w.ssid.clone(),
                passphrase: w.passphrase.clone(),
                qr: qr_svg(&wifi_uri(&w).unwrap(), "wifi"),
            }),
        }
        .render()
        .unwrap();
        assert_eq!(html.matches("<svg class=\"qr\"").count(), 2);
        assert!(html.contains("id=\"totals\""));
        assert!(html.contains("pass;word"));
        let none = PresenterPage {
            page: layout("presenter", "presenter"),
            url: "http://whereflow.lan".into(),
            site_qr: qr_svg("http://whereflow.lan", "site"),
            wifi: None,
        }
        .render()
        .unwrap();
        assert_eq!(none.matches("<svg class=\"qr\"").count(), 1);
        assert!(none.contains("wifi.ssid"));
    }

    #[test]
    fn me_page_works_without_javascript() {
        use crate::web::me::{CountryRow, OrgRow, TimelineRow};
        let me = MeView {
            ip: "192.0.2.10".into(),
            known: true,
            name: "Ana's <phone>".into(),
            nickname: Some("Ana's <phone>".into()),
            hostname: None,
            vendor: Some("Samsung".into()),
            randomised_mac: false,
            bytes_up: 1200,
            bytes_down: 48_000,
            trackers: 1,
            orgs: vec![OrgRow {
                org: "Google".into(),
                category: Some("advertising"),
                category_label: Some("Advertising"),
                tracker: true,
                countries: vec!["US".into()],
                bytes_up: 100,
                bytes_down: 2000,
                connections: 2,
            }],
            countries: vec![CountryRow {
                code: "US".into(),
                name: "United States".into(),
                bytes: 2100,
                connections: 2,
            }],
            timeline: vec![TimelineRow {
                at_iso: "2026-11-21T08:00:00.000Z".into(),
                at_time: "08:00:00".into(),
                name: "ads.doubleclick.net".into(),
                registrable: Some("doubleclick.net".into()),
                org: Some("Google".into()),
                tracker: true,
                blocked: true,
            }],
            privacy: false,
            alerts_enabled: true,
            alerts: vec![],
        };
        let page = MePage {
            page: layout("me", "me"),
            sent: format_bytes(me.bytes_up),
            received: format_bytes(me.bytes_down),
            orgs: vec![],
            countries: vec![],
            alerts: vec![row(7, AlertKind::EncryptedDns, Some("Ana's <phone>"), None)],
            csrf: "abc".into(),
            me,
        };
        let html = page.render().unwrap();
        // Its alerts, without the device's name on each (it is the page's) or an ignore form.
        assert!(html.contains("id=\"me-alerts\""));
        assert!(html.contains("data-alert-id=\"7\""));
        assert!(html.contains("Encrypted DNS"));
        assert!(!html.contains("class=\"alert-device\""));
        assert!(!html.contains("/alerts/7/ignore"));
        assert!(html.contains("id=\"me-alerts-empty\" hidden"));
        assert!(html.contains("id=\"me-name\""));
        assert!(html.contains("<span id=\"me-ip\">192.0.2.10</span>"));
        assert!(!html.contains("<phone>"), "escaped");
        assert!(html.contains("ads.doubleclick.net"));
        assert!(html.contains("<span class=\"badge blocked\">blocked</span>"));
        assert!(html.contains("action=\"/me/nickname\""));
        assert!(html.contains("name=\"csrf\" value=\"abc\""));
        assert!(html.contains("48 kB"));
    }

    fn row(id: u64, kind: AlertKind, device: Option<&str>, ignored: Option<&str>) -> AlertRow {
        AlertRow {
            id,
            kind: kind.as_str(),
            label: kind_label(kind),
            icon: kind_icon(kind),
            device_ip: device.map(|_| "192.0.2.10".to_string()).unwrap_or_default(),
            device_name: device.unwrap_or("An outside host").to_string(),
            remote: "files.example.test (203.0.113.20)".into(),
            first_iso: "2026-11-21T10:02:03.120Z".into(),
            first_time: "10:02:03".into(),
            last_iso: "2026-11-21T10:04:41.002Z".into(),
            last_time: "10:04:41".into(),
            count: 3,
            count_words: "3 times".into(),
            message: "192.0.2.10 sent 150 KB to <files>.example.test".into(),
            ignored_until: ignored.map(str::to_string),
        }
    }

    fn kind_options(selected: Option<AlertKind>) -> Vec<KindOption> {
        AlertKind::ALL
            .iter()
            .map(|&k| KindOption {
                id: k.as_str(),
                label: kind_label(k),
                icon: kind_icon(k),
                explain: kind_explain(k),
                selected: selected == Some(k),
            })
            .collect()
    }

    fn alerts(rows: Vec<AlertRow>, csrf: &str, enabled: bool, privacy: bool) -> AlertsPage {
        AlertsPage {
            page: layout("alerts", "alerts"),
            enabled,
            privacy,
            summary: alerts_summary(rows.len(), rows.len()),
            filtered: false,
            rows,
            kinds: kind_options(Some(AlertKind::Upload)),
            devices: vec![DeviceOption {
                ip: "192.0.2.10".into(),
                name: "Anna's <phone>".into(),
                selected: true,
            }],
            csrf: csrf.into(),
            notice: None,
            error: None,
        }
    }

    #[test]
    fn alerts_page_lists_alerts_in_words_without_javascript() {
        let html = alerts(
            vec![
                row(12, AlertKind::Upload, Some("Anna's <phone>"), None),
                row(9, AlertKind::Scan, None, None),
            ],
            "",
            true,
            false,
        )
        .render()
        .unwrap();
        assert!(html.contains("<a href=\"/alerts\" aria-current=\"page\">Alerts</a>"));
        assert!(html.contains(&assets::url("alerts.js")));
        assert!(html.contains("id=\"alert-kinds-data\""));
        // Each alert: its kind in words and a symbol, the device by name, the other side,
        // first and last seen, the count, the message (escaped).
        assert_eq!(html.matches("class=\"alert kind-").count(), 2);
        assert!(
            html.contains("data-alert-id=\"12\" data-kind=\"upload\" data-device=\"192.0.2.10\"")
        );
        assert!(html.contains("⇧</span>Large upload"));
        assert!(html.contains("<span class=\"alert-device\">Anna&#39;s &#60;phone&#62;</span>"));
        assert!(!html.contains("<phone>") && !html.contains("<files>"));
        assert!(html.contains("An outside host"));
        assert!(html.contains("files.example.test (203.0.113.20)"));
        assert!(html.contains("datetime=\"2026-11-21T10:02:03.120Z\">10:02:03</time>"));
        assert!(html.contains(">3 times<"));
        assert!(html.contains("sent 150 KB to &#60;files&#62;.example.test"));
        // The filter works as a plain form; the kind asked for is selected.
        assert!(html.contains("<form method=\"get\" action=\"/alerts\""));
        assert!(html.contains("<option value=\"upload\" selected>"));
        assert!(html.contains("<option value=\"192.0.2.10\" selected>"));
        for k in AlertKind::ALL {
            assert!(
                html.contains(&format!("<option value=\"{}\"", k.as_str())),
                "{k}"
            );
            assert!(
                html.contains(&kind_explain(k).replace('\'', "&#39;")),
                "{k}"
            );
        }
        assert!(html.contains("id=\"alerts-empty\" hidden"));
        // Not an admin: no ignore buttons, no token.
        assert!(!html.contains("/ignore\""));
        assert!(!html.contains("data-csrf"));
        assert!(html.contains("href=\"/admin\""));
    }

    #[test]
    fn alerts_page_gives_an_admin_the_ignore_form() {
        let html = alerts(
            vec![
                row(12, AlertKind::Upload, Some("Anna"), None),
                row(9, AlertKind::Scan, None, Some("11:04:41 UTC")),
            ],
            "c0ffee",
            true,
            false,
        )
        .render()
        .unwrap();
        assert!(html.contains("data-csrf=\"c0ffee\""));
        assert!(html.contains("<form method=\"post\" action=\"/alerts/12/ignore\""));
        assert!(html.contains("name=\"csrf\" value=\"c0ffee\""));
        assert!(html.contains("Ignore for 1 hour"));
        // Already ignored: says until when instead.
        assert!(!html.contains("/alerts/9/ignore"));
        assert!(html.contains("Ignored until 11:04:41 UTC"));
    }

    #[test]
    fn alerts_page_when_empty_private_or_off() {
        let empty = alerts(vec![], "", true, true).render().unwrap();
        assert!(empty.contains("No alerts"));
        assert!(empty.contains("id=\"alerts-empty\">"));
        assert!(empty.contains("Nothing unusual so far."));
        assert!(empty.contains("your own device's alerts"));
        assert!(
            !empty.contains("id=\"filter-device\""),
            "privacy: no device filter"
        );
        let off = alerts(vec![], "", false, false).render().unwrap();
        assert!(off.contains("detect.enabled = false"));
        assert!(!off.contains("id=\"alerts-list\""));
    }

    #[test]
    fn alerts_summary_says_when_cut() {
        assert_eq!(alerts_summary(0, 0), "No alerts");
        assert_eq!(alerts_summary(1, 1), "1 alert");
        assert_eq!(alerts_summary(4, 4), "4 alerts");
        assert_eq!(alerts_summary(500, 812), "The newest 500 of 812 alerts");
    }

    #[test]
    fn site_json_has_nulls_when_unset() {
        let v = site_json(&SiteConfig::default());
        assert_eq!(v["url"], "http://whereflow.lan");
        assert!(v["latitude"].is_null() && v["longitude"].is_null());
    }
}
