//! The pages people open: `/` (what this is and how to read it), `/sankey`, `/map`,
//! `/presenter` and `/me`, server-rendered with askama from `web-templates/templates/`, plus
//! `GET /api/v1/site` (the appliance's name, address and place, for the map).
//!
//! Every page is a complete HTML page that reads without JavaScript; the scripts
//! (`web-templates/src/`, embedded by `build.rs`, see [`super::assets`]) make the views live.
//! Pages are sent with a Content-Security-Policy that allows this appliance only: even a bug
//! in a script cannot make a browser fetch anything from another host.

use askama::Template;
use axum::extract::State;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use qrcode::render::svg;
use qrcode::{EcLevel, QrCode};
use serde_json::json;

use crate::config::{SiteConfig, WifiConfig, WifiSecurity};
use crate::enrich::attribution::Source;
use crate::enrich::category::Category;
use crate::web::admin::csrf::FormToken;
use crate::web::assets;
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
        .route("/api/v1/site", get(site))
}

/// What the shared layout (`base.html`) needs.
pub struct Layout {
    /// The page's own title (before " · site name").
    pub title: &'static str,
    /// Which navigation entry is the current page (`home`, `sankey`, `map`, `me`, `presenter`).
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
                (
                    header::REFERRER_POLICY,
                    HeaderValue::from_static("no-referrer"),
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
    MePage {
        page: Layout::new(app, "My device", "me", "me"),
        sent: format_bytes(me.bytes_up),
        received: format_bytes(me.bytes_down),
        orgs,
        countries,
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
            }],
            privacy: false,
        };
        let page = MePage {
            page: layout("me", "me"),
            sent: format_bytes(me.bytes_up),
            received: format_bytes(me.bytes_down),
            orgs: vec![],
            countries: vec![],
            csrf: "abc".into(),
            me,
        };
        let html = page.render().unwrap();
        assert!(html.contains("id=\"me-name\""));
        assert!(html.contains("<span id=\"me-ip\">192.0.2.10</span>"));
        assert!(!html.contains("<phone>"), "escaped");
        assert!(html.contains("ads.doubleclick.net"));
        assert!(html.contains("action=\"/me/nickname\""));
        assert!(html.contains("name=\"csrf\" value=\"abc\""));
        assert!(html.contains("48 kB"));
    }

    #[test]
    fn site_json_has_nulls_when_unset() {
        let v = site_json(&SiteConfig::default());
        assert_eq!(v["url"], "http://whereflow.lan");
        assert!(v["latitude"].is_null() && v["longitude"].is_null());
    }
}
