//! The admin page's "WiFi" section: which radio serves the room, how many devices hostapd
//! has associated, about how many the radio admits (and where that figure comes from), a
//! warning from 80 %, the uplink (a WiFi uplink's state, a captive portal), and how each
//! device joined (WPA3 or WPA2, from hostapd). Drawn from what `system::wifi_monitor` last
//! saw, in the reader's language.

use std::net::IpAddr;

use fluent_bundle::FluentValue;

use crate::i18n::Tr;
use crate::model::WifiSecurity;
use crate::system::captive::Portal;
use crate::system::radios::{self, Fill};
use crate::system::wifi_monitor::WifiStatus;
use crate::web::AppState;

/// Devices the section lists with how they joined.
const PANEL_DEVICES: usize = 200;

/// The section's lines, ready for the template.
#[derive(Debug, PartialEq)]
pub struct WifiPanel {
    /// "wlan1 (mt76x2u, USB), chip 0e8d:7612".
    pub radio: String,
    /// The access point's state in words.
    pub access_point: String,
    /// "12 (12 with the WPA handshake done)", or why unknown.
    pub associated: String,
    /// "about 19: CYW43455 with ...", or "not known".
    pub capacity: String,
    /// Nearly full or full, in words (`None`: room to spare, or unknown).
    pub warning: Option<String>,
    /// The uplink: interface, network, state.
    pub uplink: String,
    /// What is wrong with the uplink (`None`: nothing known).
    pub uplink_problem: Option<String>,
    /// The captive portal check's last result, as HTML (escaped; why the check got no
    /// answer, the OS's own words, in `<code lang="en">`).
    pub portal: String,
    /// Devices on the LAN that hostapd has as stations, with how they joined.
    pub devices: Vec<JoinedDevice>,
}

/// A device and how it joined the WiFi.
#[derive(Debug, PartialEq)]
pub struct JoinedDevice {
    /// Its admin name.
    pub name: String,
    /// Its preferred address.
    pub ip: String,
    /// `wpa3`, `wpa2`, `open`, `unknown` (the badge's class).
    pub security: &'static str,
    /// "WPA3", "WPA2", … in the page's language.
    pub label: String,
}

/// How the device at `ip` joined the room's WiFi: its MAC (the device registry) as one of
/// hostapd's stations (`None`: not a station now, or no hostapd, e.g. a laptop run).
pub(crate) fn security_of(app: &AppState, ip: IpAddr) -> Option<WifiSecurity> {
    let mac = app.devices.mac_behind(ip.to_canonical())?.to_string();
    app.status
        .wifi
        .lock()
        .as_ref()
        .and_then(|w| w.security.get(&mac).copied())
}

/// `security` as the API says it (`wpa3_sae`, `wpa2_psk`, `open`, `unknown`).
pub(crate) fn security_key(security: WifiSecurity) -> &'static str {
    match security {
        WifiSecurity::Wpa3Sae => "wpa3",
        WifiSecurity::Wpa2Psk => "wpa2",
        WifiSecurity::Open => "open",
        WifiSecurity::Unknown => "unknown",
    }
}

/// The section for `w` with the LAN's devices that are hostapd's stations now.
pub fn panel_with_devices(app: &AppState, w: &WifiStatus, tr: &Tr) -> WifiPanel {
    let mut p = panel(w, tr);
    if w.security.is_empty() {
        return p;
    }
    p.devices = app
        .devices
        .present()
        .into_iter()
        .filter_map(|d| {
            let ip = *d.ips.first()?;
            let mac = app.devices.mac_behind(ip)?.to_string();
            let sec = *w.security.get(&mac)?;
            let key = security_key(sec);
            Some(JoinedDevice {
                name: super::page::admin_name(&d.info, tr),
                ip: ip.to_string(),
                security: key,
                label: tr.t(&format!("adm-wifi-{key}")),
            })
        })
        .take(PANEL_DEVICES)
        .collect();
    p
}

/// The section for `w` (without the devices), in `tr`'s language.
pub fn panel(w: &WifiStatus, tr: &Tr) -> WifiPanel {
    let n = |v: u64| FluentValue::from(tr.num(v));
    let txt = |v: &str| FluentValue::from(v.to_owned());
    let mut radio = tr.ta(
        "radio-name",
        radios::name_args(&w.interface, w.radio.as_ref())
            .into_iter()
            .map(|(k, v)| (k, FluentValue::from(v))),
    );
    if let Some(chip) = w.radio.as_ref().and_then(|r| r.chip.as_deref()) {
        radio = tr.ta(
            "adm-wifi-chip",
            [("radio", txt(&radio)), ("chip", txt(chip))],
        );
    }
    if !w.present {
        radio = tr.t1("adm-wifi-gone", "radio", &radio);
    }
    let access_point = match w.hostapd_state.as_deref() {
        Some("ENABLED") => tr.t("adm-ap-running"),
        Some(s) => tr.t1("adm-ap-not-running", "state", s),
        None => tr.t("adm-ap-silent"),
    };
    let associated = match (w.associated, w.authorized) {
        (Some(c), Some(a)) => tr.ta(
            "adm-assoc-auth",
            [("count", n(c.into())), ("authorized", n(a.into()))],
        ),
        (Some(c), None) => tr.ta("adm-assoc", [("count", n(c.into()))]),
        _ => tr.t("adm-assoc-unknown"),
    };
    let capacity = match &w.capacity {
        Some(c) => tr.ta(
            "adm-capacity",
            [("stations", n(c.stations.into())), ("basis", txt(c.basis))],
        ),
        None => tr.t("adm-capacity-unknown"),
    };
    let warning = match (w.fill, w.associated, &w.capacity) {
        (Some(Fill::Full), Some(c), Some(cap)) => Some(tr.ta(
            "adm-room-full",
            [("count", n(c.into())), ("stations", n(cap.stations.into()))],
        )),
        (Some(Fill::Nearly), Some(c), Some(cap)) => Some(tr.ta(
            "adm-room-nearly",
            [
                ("count", n(c.into())),
                ("stations", n(cap.stations.into())),
                (
                    "percent",
                    n(u64::from(c) * 100 / u64::from(cap.stations.max(1))),
                ),
            ],
        )),
        _ => None,
    };
    let u = &w.uplink;
    let uplink = if u.wifi {
        let state = match u.wpa_state.as_deref() {
            Some("COMPLETED") => tr.t("adm-uplink-joined"),
            Some(s) => tr.t1("adm-uplink-joining", "state", s),
            None => tr.t("adm-uplink-silent"),
        };
        tr.ta(
            "adm-uplink-wifi",
            [
                ("interface", txt(&u.interface)),
                ("ssid", txt(u.ssid.as_deref().unwrap_or(""))),
                ("state", txt(&state)),
            ],
        )
    } else {
        tr.t1("adm-uplink-cable", "interface", &u.interface)
    };
    let esc = crate::web::page::html_escape;
    let portal = match &u.portal {
        None => esc(&tr.t("adm-portal-unchecked")),
        Some(Portal::Open) => esc(&tr.t("adm-portal-open")),
        Some(Portal::Captive { answer }) => esc(&tr.ta(
            "adm-portal-captive",
            answer
                .args()
                .into_iter()
                .map(|(k, v)| (k, FluentValue::from(v))),
        )),
        // Why is the OS's or the check's own words: marked as English.
        Some(Portal::Unreachable { why }) => crate::web::page::said_html(
            *tr,
            "adm-portal-unreachable",
            [("why", why.as_str())],
            &["why"],
        ),
    };
    WifiPanel {
        radio,
        access_point,
        associated,
        capacity,
        warning,
        uplink,
        uplink_problem: u
            .problem_words
            .as_ref()
            .map(|w| w.say(*tr))
            .or_else(|| u.problem.clone()),
        portal,
        devices: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;
    use crate::system::radios::{Bus, Capacity, Radio};
    use crate::system::wifi_monitor::UplinkStatus;

    fn usb_room(associated: u32, fill: Fill) -> WifiStatus {
        WifiStatus {
            interface: "wlan1".into(),
            present: true,
            radio: Some(Radio {
                interface: "wlan1".into(),
                phy: "phy1".into(),
                driver: Some("mt7921u".into()),
                bus: Bus::Usb,
                chip: Some("0e8d:7961".into()),
            }),
            hostapd_state: Some("ENABLED".into()),
            associated: Some(associated),
            authorized: Some(associated),
            capacity: Some(Capacity {
                stations: 15,
                basis: "mt7921u's station table",
            }),
            fill: Some(fill),
            uplink: UplinkStatus {
                interface: "wlan0".into(),
                wifi: true,
                ssid: Some("School".into()),
                wpa_state: Some("COMPLETED".into()),
                problem: None,
                problem_words: None,
                portal: Some(Portal::Open),
            },
            security: Default::default(),
        }
    }

    #[test]
    fn the_radio_its_devices_and_the_uplink_in_words() {
        let p = panel(&usb_room(12, Fill::Nearly), &Tr::new(Lang::En));
        assert_eq!(p.radio, "wlan1 (mt7921u, USB), chip 0e8d:7961");
        assert_eq!(p.access_point, "running (hostapd: ENABLED)");
        assert!(p.associated.starts_with("12 (12 with"), "{p:?}");
        assert_eq!(p.capacity, "about 15 (mt7921u's station table)");
        assert_eq!(
            p.warning.as_deref(),
            Some("Nearly full: 12 of about 15 devices (80 %).")
        );
        assert!(p
            .uplink
            .contains("wlan0 joins the WiFi network “School”: joined"));
        assert_eq!(p.portal, "the internet answers");
        assert_eq!(
            panel(&usb_room(3, Fill::Ok), &Tr::new(Lang::En)).warning,
            None
        );
        let full = panel(&usb_room(15, Fill::Full), &Tr::new(Lang::En));
        assert!(full.warning.unwrap().starts_with("Full: 15 devices"));
    }

    #[test]
    fn a_gone_radio_a_silent_hostapd_a_refused_passphrase_and_a_portal() {
        use crate::system::wpa_ctrl::UplinkEvent;
        let mut w = usb_room(0, Fill::Ok);
        w.present = false;
        w.hostapd_state = None;
        w.associated = None;
        w.authorized = None;
        w.fill = None;
        w.uplink.wpa_state = Some("DISCONNECTED".into());
        w.uplink.problem = Some("refused the passphrase".into());
        w.uplink.portal = Some(Portal::Captive {
            answer: crate::system::captive::PortalAnswer::Status { code: 511 },
        });
        let p = panel(&w, &Tr::new(Lang::En));
        assert!(p
            .radio
            .ends_with(": gone (unplugged, or its driver stopped)"));
        assert_eq!(p.access_point, "hostapd does not answer");
        assert!(p.associated.starts_with("unknown"));
        assert_eq!(p.warning, None);
        assert!(p
            .uplink
            .ends_with("not joined yet (wpa_supplicant: DISCONNECTED)"));
        assert_eq!(p.uplink_problem.as_deref(), Some("refused the passphrase"));
        assert!(p.portal.starts_with("the school network wants a login"));
        assert!(
            p.portal.contains("status 511 instead of 204"),
            "{}",
            p.portal
        );
        let de = panel(&w, &Tr::new(Lang::De));
        assert!(
            de.portal.contains("den Status 511 statt 204"),
            "{}",
            de.portal
        );
        w.uplink.portal = Some(Portal::Unreachable {
            why: "cannot look up <x>: failed".into(),
        });
        let fr = panel(&w, &Tr::new(Lang::Fr));
        assert!(
            fr.portal
                .ends_with("(<code lang=\"en\">cannot look up &lt;x&gt;: failed</code>)"),
            "{}",
            fr.portal
        );
        // With the monitor's words, the problem is said in the reader's language.
        w.uplink.problem_words =
            crate::system::wifi_monitor::uplink_words("School", &UplinkEvent::WrongKey);
        let de = panel(&w, &Tr::new(Lang::De));
        assert!(
            de.uplink_problem
                .as_deref()
                .is_some_and(|p| p.starts_with("Das WLAN „School“ der Internetanbindung hat")),
            "{de:?}"
        );
    }

    #[test]
    fn the_section_in_every_language() {
        for lang in Lang::ALL {
            let p = panel(&usb_room(12, Fill::Nearly), &Tr::new(lang));
            for line in [
                &p.radio,
                &p.access_point,
                &p.associated,
                &p.capacity,
                &p.uplink,
                &p.portal,
            ] {
                assert!(!line.contains('⟦'), "{lang:?}: {line}");
            }
            assert!(p.warning.unwrap().contains("12"), "{lang:?}");
        }
        let de = panel(&usb_room(12, Fill::Nearly), &Tr::new(Lang::De));
        assert!(de.warning.unwrap().starts_with("Fast voll: 12"));
    }
}
