//! The admin page's "WiFi" section: which radio serves the room, how many devices hostapd
//! has associated, about how many the radio admits (and where that figure comes from), a
//! warning from 80 %, and the uplink (a WiFi uplink's state, a captive portal). Drawn from
//! what `system::wifi_monitor` last saw; English, like the rest of the admin page.

use crate::system::captive::Portal;
use crate::system::radios::{self, Fill};
use crate::system::wifi_monitor::WifiStatus;

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
    /// The captive portal check's last result.
    pub portal: String,
}

/// The section for `w`.
pub fn panel(w: &WifiStatus) -> WifiPanel {
    let mut radio = w
        .radio
        .as_ref()
        .map_or_else(|| w.interface.clone(), radios::describe);
    if let Some(chip) = w.radio.as_ref().and_then(|r| r.chip.as_deref()) {
        radio.push_str(&format!(", chip {chip}"));
    }
    if !w.present {
        radio.push_str(": gone (unplugged, or its driver stopped)");
    }
    let access_point = match w.hostapd_state.as_deref() {
        Some("ENABLED") => "running (hostapd: ENABLED)".to_owned(),
        Some(s) => format!("not running (hostapd: {s})"),
        None => "hostapd does not answer".to_owned(),
    };
    let associated = match (w.associated, w.authorized) {
        (Some(n), Some(a)) => format!("{n} ({a} with the WPA handshake done; from hostapd)"),
        (Some(n), None) => format!("{n} (from hostapd)"),
        _ => "unknown (hostapd does not answer)".to_owned(),
    };
    let capacity = match &w.capacity {
        Some(c) => format!("about {} ({})", c.stations, c.basis),
        None => "not known for this driver".to_owned(),
    };
    let warning = match (w.fill, w.associated, &w.capacity) {
        (Some(Fill::Full), Some(n), Some(c)) => Some(format!(
            "Full: {n} devices, about as many as the radio admits ({}). The next device may not \
             get on; the presenter view says \"room full\". A USB WiFi adapter admits more (see \
             the README).",
            c.stations
        )),
        (Some(Fill::Nearly), Some(n), Some(c)) => Some(format!(
            "Nearly full: {n} of about {} devices ({} %).",
            c.stations,
            u64::from(n) * 100 / u64::from(c.stations.max(1))
        )),
        _ => None,
    };
    let u = &w.uplink;
    let uplink = if u.wifi {
        format!(
            "{} joins the WiFi network \"{}\": {}",
            u.interface,
            u.ssid.as_deref().unwrap_or(""),
            match u.wpa_state.as_deref() {
                Some("COMPLETED") => "joined (wpa_supplicant: COMPLETED)".to_owned(),
                Some(s) => format!("not joined yet (wpa_supplicant: {s})"),
                None => "wpa_supplicant does not answer".to_owned(),
            }
        )
    } else {
        format!("{} (cable or USB)", u.interface)
    };
    let portal = match &u.portal {
        None => "not checked yet (or uplink.probe_url is empty)".to_owned(),
        Some(Portal::Open) => "the internet answers".to_owned(),
        Some(Portal::Captive { answer }) => format!(
            "the school network wants a login (the check got {answer}): open any web page on a \
             device joined to this WiFi and log in there"
        ),
        Some(Portal::Unreachable { why }) => format!("no answer ({why})"),
    };
    WifiPanel {
        radio,
        access_point,
        associated,
        capacity,
        warning,
        uplink,
        uplink_problem: u.problem.clone(),
        portal,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
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
                portal: Some(Portal::Open),
            },
        }
    }

    #[test]
    fn the_radio_its_devices_and_the_uplink_in_words() {
        let p = panel(&usb_room(12, Fill::Nearly));
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
            .contains("wlan0 joins the WiFi network \"School\": joined"));
        assert_eq!(p.portal, "the internet answers");
        assert_eq!(panel(&usb_room(3, Fill::Ok)).warning, None);
        let full = panel(&usb_room(15, Fill::Full));
        assert!(full.warning.unwrap().starts_with("Full: 15 devices"));
    }

    #[test]
    fn a_gone_radio_a_silent_hostapd_a_refused_passphrase_and_a_portal() {
        let mut w = usb_room(0, Fill::Ok);
        w.present = false;
        w.hostapd_state = None;
        w.associated = None;
        w.authorized = None;
        w.fill = None;
        w.uplink.wpa_state = Some("DISCONNECTED".into());
        w.uplink.problem = Some("refused the passphrase".into());
        w.uplink.portal = Some(Portal::Captive {
            answer: "a redirect (302)".into(),
        });
        let p = panel(&w);
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
    }
}
