//! `GET /presenter`: the page for a projector: the totals live, and two QR codes, one to
//! open this appliance and one to join its WiFi (a `WIFI:` URI), and, on the appliance, a
//! line saying the room's WiFi is full (or nearly) or the school network wants a login (from
//! `system::wifi_monitor`; the page's script keeps it current from `/api/v1/status`).

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use qrcode::render::svg;
use qrcode::{EcLevel, QrCode};

use fluent_bundle::FluentValue;

use crate::config::{WifiConfig, WifiSecurity};
use crate::i18n::Tr;
use crate::system::radios::Fill;
use crate::system::wifi_monitor::WifiStatus;
use crate::web::auth::{AdminRejection, AdminSession};
use crate::web::page::{html, html_escape, Layout};
use crate::web::AppState;

/// Routes of this page.
pub fn routes() -> Router<AppState> {
    Router::new().route("/presenter", get(presenter))
}

#[derive(Template)]
#[template(path = "presenter.html")]
struct PresenterPage {
    page: Layout,
    url: String,
    site_qr: String,
    wifi: Option<WifiJoin>,
    /// The HTTPS admin login and its certificate's fingerprint, for the teacher to compare.
    https: Option<(String, String)>,
    /// `marks_panel.html`: the admin's CSRF token when the admin is logged in ("Mark now").
    mark_csrf: Option<String>,
    /// `marks_panel.html`: draw the session's timeline.
    timeline: bool,
    /// The room's WiFi and the uplink, as the page opens ([`room_notices`]).
    room: Vec<RoomNotice>,
}

/// One line about the room's WiFi or the uplink, in the page's language. The script draws
/// the same lines from `/api/v1/status` (`web-templates/src/lib/room.js`).
#[derive(Debug, PartialEq)]
pub struct RoomNotice {
    /// `room-full`, `room-nearly`, `uplink-login` (the CSS class and the test hook).
    pub kind: &'static str,
    /// The words.
    pub text: String,
}

/// The lines the presenter shows for `wifi` (`None`: not on the appliance, nothing).
pub fn room_notices(wifi: Option<&WifiStatus>, tr: &Tr) -> Vec<RoomNotice> {
    let Some(w) = wifi else { return Vec::new() };
    let mut out = Vec::new();
    if let (Some(fill), Some(n), Some(c)) = (w.fill, w.associated, &w.capacity) {
        let args = || {
            [
                ("associated", FluentValue::from(n)),
                ("capacity", FluentValue::from(c.stations)),
            ]
        };
        match fill {
            Fill::Full => out.push(RoomNotice {
                kind: "room-full",
                text: tr.ta("presenter-room-full", args()),
            }),
            Fill::Nearly => out.push(RoomNotice {
                kind: "room-nearly",
                text: tr.ta("presenter-room-nearly", args()),
            }),
            Fill::Ok => {}
        }
    }
    if w.captive_portal() {
        out.push(RoomNotice {
            kind: "uplink-login",
            text: tr.t("presenter-uplink-login"),
        });
    }
    out
}

/// What the presenter shows to join the WiFi.
struct WifiJoin {
    ssid: String,
    passphrase: String,
    qr: String,
}

async fn presenter(
    State(app): State<AppState>,
    admin: Result<AdminSession, AdminRejection>,
) -> Response {
    let tr = crate::web::language::current().presenter_tr(app.site.lang());
    let wifi = wifi_uri(&app.wifi).map(|uri| WifiJoin {
        ssid: app.wifi.ssid.clone(),
        passphrase: app.wifi.passphrase.clone(),
        qr: qr_svg(&uri, &tr.t1("presenter-qr-wifi", "ssid", &app.wifi.ssid)),
    });
    let tr = crate::web::language::current().presenter_tr(app.site.lang());
    let room = room_notices(app.status.wifi.lock().as_ref(), &tr);
    html(&PresenterPage {
        page: Layout::with_tr(&app, tr, "title-presenter", "presenter", "presenter"),
        url: app.site.url.clone(),
        site_qr: qr_svg(
            &app.site.url,
            &tr.t1("presenter-qr-open", "url", &app.site.url),
        ),
        wifi,
        https: app.https.as_ref().map(|h| {
            (
                format!("https://{}:{}/admin", app.hosts.main_name(), h.port),
                h.fingerprint.clone(),
            )
        }),
        mark_csrf: admin.ok().map(|a| a.csrf_token()),
        timeline: true,
        room,
    })
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
        WifiSecurity::Auto | WifiSecurity::Wpa2 | WifiSecurity::Wpa3 | WifiSecurity::Wpa2Wpa3 => {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::web::page::test_layout as layout;

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
            https: None,
            mark_csrf: None,
            timeline: true,
            room: Vec::new(),
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
            https: Some(("https://whereflow.lan:8443/admin".into(), "AB:CD".into())),
            mark_csrf: Some("feed".into()),
            timeline: true,
            room: room_notices(Some(&full_room()), &Tr::new(crate::i18n::Lang::De)),
        }
        .render()
        .unwrap();
        assert_eq!(none.matches("<svg class=\"qr\"").count(), 1);
        assert!(none.contains("wifi.ssid"));
        assert!(none.contains("AB:CD") && !html.contains("SHA-256"));
        // "Mark now" only for the admin, with the login's token; the timeline for both.
        assert!(!html.contains("mark-form") && none.contains("data-csrf=\"feed\""));
        assert!(html.contains("id=\"timeline\"") && none.contains("id=\"timeline\""));
        // The room's line: there (empty) for the script either way.
        assert!(html.contains("id=\"room-notices\""));
        assert!(!html.contains("data-room="));
        assert!(none.contains("data-room=\"room-full\""), "{none}");
        assert!(none.contains("data-room=\"uplink-login\""), "{none}");
    }

    fn full_room() -> WifiStatus {
        use crate::system::captive::Portal;
        use crate::system::radios::{Capacity, Fill};
        WifiStatus {
            associated: Some(10),
            capacity: Some(Capacity {
                stations: 10,
                basis: "test",
            }),
            fill: Some(Fill::Full),
            uplink: crate::system::wifi_monitor::UplinkStatus {
                portal: Some(Portal::Captive {
                    answer: crate::system::captive::PortalAnswer::Page { code: 200 },
                }),
                ..Default::default()
            },
            ..WifiStatus::default()
        }
    }

    #[test]
    fn room_full_nearly_and_the_login_in_every_language() {
        use crate::i18n::Lang;
        use crate::system::radios::{Capacity, Fill};
        assert!(room_notices(None, &Tr::new(Lang::En)).is_empty());
        let en = room_notices(Some(&full_room()), &Tr::new(Lang::En));
        assert_eq!(en.len(), 2);
        assert_eq!(en[0].kind, "room-full");
        assert!(en[0].text.starts_with("Room full: 10 devices"), "{en:?}");
        assert!(
            en[1].text.starts_with("The school network wants a login"),
            "{en:?}"
        );
        let nearly = WifiStatus {
            associated: Some(8),
            capacity: Some(Capacity {
                stations: 10,
                basis: "test",
            }),
            fill: Some(Fill::Nearly),
            ..WifiStatus::default()
        };
        let en = room_notices(Some(&nearly), &Tr::new(Lang::En));
        assert_eq!(en.len(), 1);
        assert_eq!(en[0].kind, "room-nearly");
        assert!(en[0].text.contains("8 of about 10"), "{en:?}");
        for lang in Lang::ALL {
            for n in room_notices(Some(&full_room()), &Tr::new(lang))
                .into_iter()
                .chain(room_notices(Some(&nearly), &Tr::new(lang)))
            {
                assert!(!n.text.contains('{') && n.text.contains(char::is_alphabetic));
                if n.kind != "uplink-login" {
                    assert!(n
                        .text
                        .contains(if n.kind == "room-full" { "10" } else { "8" }));
                }
            }
        }
        let de = room_notices(Some(&full_room()), &Tr::new(Lang::De));
        assert!(de[0].text.starts_with("Raum voll"), "{de:?}");
        assert!(de[1].text.starts_with("Das Schulnetz"), "{de:?}");
    }
}
