//! In the daemon, on the appliance: which radio serves the room, how many devices hostapd
//! has associated, about how many the radio admits, and the uplink (a WiFi uplink's state
//! from wpa_supplicant, a captive portal), for `/api/v1/status`, the admin page and the
//! presenter view.
//!
//! A thread looks every few seconds (sysfs, then hostapd's control socket); what goes wrong
//! (the adapter unplugged, hostapd not running, the room nearly full, the uplink's
//! passphrase refused, a login page on the uplink) is a warning that lasts while it does
//! (`Status::set_condition`), in the log, and a note in the problems file on the boot
//! partition. Nothing here stops the daemon: the pages keep being served.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde::Serialize;
use tokio_util::sync::CancellationToken;

use crate::config::UplinkConfig;
use crate::model::WifiSecurity;
use crate::status::{Status, StatusWords};
use crate::system::captive::{self, Portal, ProbeUrl};
use crate::system::radios::{self, Capacity, Fill, Radio};
use crate::system::wpa_ctrl::{self, Ctrl, UplinkEvent};

/// hostapd's control sockets (`ctrl_interface` in hostapd.conf).
pub const HOSTAPD_CTRL_DIR: &str = "/run/hostapd";
/// How often the radio and hostapd are looked at.
const INTERVAL: Duration = Duration::from_secs(5);
/// How often the captive portal check runs while the internet answers.
const PROBE_INTERVAL: Duration = Duration::from_secs(60);
/// How often while it does not (a login page, no answer): the uplink comes up after the
/// daemon's first look, and once someone logs in the warning should go within seconds, not
/// a minute (the vm-test's uplink boot showed both).
const PROBE_RETRY: Duration = Duration::from_secs(10);
/// Each control request's and probe step's limit.
const CTRL_TIMEOUT: Duration = Duration::from_secs(1);
const PROBE_TIMEOUT: Duration = Duration::from_secs(5);

/// What the monitor watches.
#[derive(Clone, Debug)]
pub struct MonitorOptions {
    /// The access point's interface (setup's choice, `wifi.interface`).
    pub interface: String,
    /// The uplink.
    pub uplink: UplinkConfig,
    /// `/sys`.
    pub sysfs: PathBuf,
    /// `/` (for the firmware files).
    pub root: PathBuf,
    /// hostapd's control directory.
    pub hostapd_dir: PathBuf,
    /// wpa_supplicant's control directory.
    pub wpa_dir: PathBuf,
    /// The problems file, for notes (`system.problems_file`).
    pub problems_file: Option<PathBuf>,
    /// The language its notes are written in (`site.language`; English follows another).
    pub lang: crate::i18n::Lang,
}

/// The radio serving the room, as `/api/v1/status` shows it (`wifi`).
#[derive(Clone, Debug, Default, Serialize, PartialEq)]
pub struct WifiStatus {
    /// The access point's interface.
    pub interface: String,
    /// The radio is there (`false`: unplugged, or its driver is gone).
    pub present: bool,
    /// Driver, bus and chip, as last seen.
    pub radio: Option<Radio>,
    /// hostapd's state (`ENABLED`; `null`: it does not answer).
    pub hostapd_state: Option<String>,
    /// Devices associated now (from hostapd; `null`: unknown).
    pub associated: Option<u32>,
    /// Of them, those that completed the WPA handshake.
    pub authorized: Option<u32>,
    /// About how many devices the radio admits.
    pub capacity: Option<Capacity>,
    /// How full (`ok`, `nearly` at 80 %, `full`).
    pub fill: Option<Fill>,
    /// The uplink.
    pub uplink: UplinkStatus,
    /// How each associated station joined, by MAC (`aa:bb:…`, lower case), from hostapd.
    /// Not in `/api/v1/status` (MAC addresses stay inside; the admin's device list shows it).
    #[serde(skip)]
    pub security: std::collections::BTreeMap<String, WifiSecurity>,
}

/// The uplink in `/api/v1/status` (`wifi.uplink`).
#[derive(Clone, Debug, Default, Serialize, PartialEq)]
pub struct UplinkStatus {
    /// Its interface.
    pub interface: String,
    /// It joins a WiFi network.
    pub wifi: bool,
    /// The WiFi network's name.
    pub ssid: Option<String>,
    /// wpa_supplicant's state (`COMPLETED`, `SCANNING`; `null`: not WiFi or no answer).
    pub wpa_state: Option<String>,
    /// What is wrong with joining, in plain English words (`null`: nothing known).
    pub problem: Option<String>,
    /// The same as a catalogue message (`status-<id>`) and its arguments, for the pages.
    pub problem_words: Option<StatusWords>,
    /// The captive portal check's last result (`null`: not checked yet or off).
    pub portal: Option<Portal>,
}

impl WifiStatus {
    /// The presenter's words: "room full", or `None`.
    pub fn room_full(&self) -> bool {
        self.fill == Some(Fill::Full)
    }

    /// A captive portal answered the last check.
    pub fn captive_portal(&self) -> bool {
        matches!(self.uplink.portal, Some(Portal::Captive { .. }))
    }
}

/// What one look at the access point found.
#[derive(Debug)]
pub struct ApLook {
    /// The radio in sysfs now.
    pub radio: Option<Radio>,
    /// hostapd's `STATUS` `state=` (`Err`: why it did not answer).
    pub hostapd: Result<String, String>,
    /// (all associated, authorized), when hostapd answered.
    pub stations: Option<(u32, u32)>,
    /// The CYW43455's minimal firmware is installed.
    pub minimal_firmware: bool,
}

/// The warnings (by what they are about) and status from one look; `last_radio`: the radio
/// as last seen (to name an unplugged adapter). Pure: the tests give it captured inputs.
pub fn assess(
    interface: &str,
    look: &ApLook,
    last_radio: Option<&Radio>,
) -> (WifiStatus, Vec<(&'static str, Option<StatusWords>)>) {
    let radio = look.radio.clone().or_else(|| last_radio.cloned());
    // The radio as words (`radio-name`): said in each reader's language.
    let name = radios::name_args(interface, radio.as_ref());
    let mut conditions: Vec<(&'static str, Option<StatusWords>)> = Vec::new();
    let present = look.radio.is_some();
    conditions.push((
        "wifi-radio",
        (!present).then(|| StatusWords::new("wifi-radio-gone", name.clone())),
    ));
    let hostapd_state = look.hostapd.as_ref().ok().cloned();
    conditions.push((
        "wifi-ap",
        match &look.hostapd {
            _ if !present => None,
            Ok(s) if s == "ENABLED" => None,
            Ok(s) => Some(StatusWords::new(
                "wifi-ap-stopped",
                name.iter().cloned().chain([("state", s.clone())]),
            )),
            Err(why) => Some(StatusWords::new(
                "wifi-ap-silent",
                [("interface", interface.to_owned()), ("error", why.clone())],
            )),
        },
    ));
    let capacity = radio
        .as_ref()
        .and_then(|r| radios::capacity(r, look.minimal_firmware));
    let (associated, authorized) = match look.stations {
        Some((a, b)) => (Some(a), Some(b)),
        None => (None, None),
    };
    let fill = match (associated, &capacity) {
        (Some(n), Some(c)) => Some(radios::fill(n, c.stations)),
        _ => None,
    };
    conditions.push((
        "wifi-capacity",
        match (fill, associated, &capacity) {
            (Some(f @ (Fill::Full | Fill::Nearly)), Some(n), Some(c)) => Some(StatusWords::new(
                if f == Fill::Full {
                    "wifi-room-full"
                } else {
                    "wifi-room-nearly"
                },
                name.iter().cloned().chain([
                    ("associated", n.to_string()),
                    ("capacity", c.stations.to_string()),
                ]),
            )),
            _ => None,
        },
    ));
    let status = WifiStatus {
        interface: interface.to_owned(),
        present,
        radio,
        hostapd_state,
        associated,
        authorized,
        capacity,
        fill,
        uplink: UplinkStatus::default(),
        security: Default::default(),
    };
    (status, conditions)
}

/// The plain words for a wpa_supplicant event about the uplink network `ssid` (`None`:
/// nothing wrong any more; unchanged events give `Some(previous)` via the caller).
pub fn uplink_words(ssid: &str, event: &UplinkEvent) -> Option<StatusWords> {
    let ssid = || ("ssid", ssid.to_owned());
    Some(match event {
        UplinkEvent::Connected => return None,
        UplinkEvent::WrongKey => StatusWords::new("uplink-wrong-key", [ssid()]),
        UplinkEvent::NotFound => StatusWords::new("uplink-not-found", [ssid()]),
        UplinkEvent::TempDisabled(reason) if reason == "CONN_FAILED" => {
            StatusWords::new("uplink-conn-failed", [ssid()])
        }
        UplinkEvent::TempDisabled(reason) => {
            StatusWords::new("uplink-disabled", [ssid(), ("reason", reason.clone())])
        }
        UplinkEvent::Disconnected => StatusWords::new("uplink-disconnected", [ssid()]),
    })
}

/// The captive portal words for `/api/v1/status` and the presenter.
pub fn portal_words(portal: &Portal, uplink: &str) -> Option<StatusWords> {
    match portal {
        Portal::Captive { answer } => Some(StatusWords::new(
            "uplink-portal",
            std::iter::once(("uplink", uplink.to_owned())).chain(answer.args()),
        )),
        Portal::Open | Portal::Unreachable { .. } => None,
    }
}

/// Start the monitor thread; it ends soon after `shutdown`.
pub fn spawn(
    opts: MonitorOptions,
    status: Arc<Status>,
    shutdown: CancellationToken,
) -> std::io::Result<std::thread::JoinHandle<()>> {
    std::thread::Builder::new()
        .name("wifi-monitor".into())
        .spawn(move || Monitor::new(opts, status).run(&shutdown))
}

struct Monitor {
    opts: MonitorOptions,
    status: Arc<Status>,
    probe: Option<ProbeUrl>,
    last_radio: Option<Radio>,
    wpa: Option<Ctrl>,
    uplink_problem: Option<StatusWords>,
    /// The last uplink event was a refused passphrase (the CONN_FAILED that follows an SAE
    /// refusal keeps its words).
    wrong_key: bool,
    portal: Option<Portal>,
    last_probe: Option<Instant>,
    notes: std::collections::HashMap<&'static str, Option<StatusWords>>,
}

impl Monitor {
    fn new(opts: MonitorOptions, status: Arc<Status>) -> Monitor {
        let probe = ProbeUrl::parse(&opts.uplink.probe_url);
        Monitor {
            opts,
            status,
            probe,
            last_radio: None,
            wpa: None,
            uplink_problem: None,
            wrong_key: false,
            portal: None,
            last_probe: None,
            notes: Default::default(),
        }
    }

    fn run(mut self, shutdown: &CancellationToken) {
        while !shutdown.is_cancelled() {
            self.tick();
            let until = Instant::now() + INTERVAL;
            while Instant::now() < until && !shutdown.is_cancelled() {
                std::thread::sleep(Duration::from_millis(250));
            }
        }
    }

    fn tick(&mut self) {
        let o = &self.opts;
        let radio = radios::find(&o.sysfs, &o.interface);
        let mut security = std::collections::BTreeMap::new();
        let (hostapd, stations) = match Ctrl::open(&o.hostapd_dir.join(&o.interface), CTRL_TIMEOUT)
        {
            Ok(c) => match c.request("STATUS") {
                Ok(reply) => {
                    let state = wpa_ctrl::value(&reply, "state").unwrap_or("?").to_owned();
                    let list = wpa_ctrl::stations(&c).ok();
                    // count gives (authorized, all); the look holds (all, authorized).
                    let counted = list.as_deref().map(wpa_ctrl::count);
                    security = list
                        .unwrap_or_default()
                        .into_iter()
                        .map(|st| (st.mac, st.security))
                        .collect();
                    (Ok(state), counted.map(|(auth, all)| (all, auth)))
                }
                Err(e) => (Err(e.to_string()), None),
            },
            Err(e) => (Err(e.to_string()), None),
        };
        let look = ApLook {
            radio,
            hostapd,
            stations,
            minimal_firmware: radios::minimal_firmware(&o.root),
        };
        let (mut wifi, conditions) = assess(&o.interface, &look, self.last_radio.as_ref());
        if look.radio.is_some() {
            self.last_radio = look.radio.clone();
        }
        for (about, message) in conditions {
            self.condition(about, message);
        }
        wifi.security = security;
        self.watch_uplink(&mut wifi.uplink);
        *self.status.wifi.lock() = Some(wifi);
    }

    /// Raise or clear a warning, and keep the problems file's note in step.
    fn condition(&mut self, about: &'static str, message: Option<StatusWords>) {
        if self.notes.get(about) == Some(&message) {
            return;
        }
        self.status.set_condition(about, message.clone());
        if let Some(path) = &self.opts.problems_file {
            let known = self.notes.contains_key(about);
            if message.is_some() || known {
                // In the site's language, and in English for support.
                let fine = StatusWords::new("fine-again", []);
                let text = crate::system::problems::note_text(
                    message.as_ref().unwrap_or(&fine),
                    crate::i18n::Tr::new(self.opts.lang),
                );
                if let Err(e) = crate::system::problems::set_note_said(
                    path,
                    self.opts.lang,
                    "note-wifi",
                    &[("about", about)],
                    &text,
                ) {
                    tracing::debug!("note not written to {}: {e}", path.display());
                }
            }
        }
        self.notes.insert(about, message);
    }

    fn watch_uplink(&mut self, out: &mut UplinkStatus) {
        let u = self.opts.uplink.clone();
        out.interface = u.interface.clone();
        out.wifi = u.is_wifi();
        if out.wifi {
            out.ssid = Some(u.wifi_ssid.clone());
            self.read_wpa(&u, out);
        }
        if let Some(url) = &self.probe {
            let every = match self.portal {
                Some(Portal::Open) => PROBE_INTERVAL,
                _ => PROBE_RETRY,
            };
            let due = self.last_probe.is_none_or(|t| t.elapsed() >= every);
            if due {
                self.last_probe = Some(Instant::now());
                let p = captive::probe(url, PROBE_TIMEOUT);
                self.condition("uplink-portal", portal_words(&p, &u.interface));
                self.portal = Some(p);
            }
        }
        out.portal = self.portal.clone();
    }

    /// wpa_supplicant: its events since the last look (a refused passphrase, a network not
    /// found), then its state.
    fn read_wpa(&mut self, u: &UplinkConfig, out: &mut UplinkStatus) {
        if self.wpa.is_none() {
            let path = self.opts.wpa_dir.join(&u.interface);
            match Ctrl::open(&path, CTRL_TIMEOUT).and_then(|c| c.attach().map(|()| c)) {
                Ok(c) => self.wpa = Some(c),
                Err(e) => {
                    self.condition(
                        "uplink-wifi",
                        Some(StatusWords::new(
                            "uplink-wpa-silent",
                            [("uplink", u.interface.clone()), ("error", e.to_string())],
                        )),
                    );
                    return;
                }
            }
        }
        let Some(c) = &self.wpa else { return };
        let mut problem = self.uplink_problem.clone();
        let mut broken = false;
        for _ in 0..64 {
            match c.next_event(Duration::from_millis(1)) {
                Ok(Some(ev)) => {
                    if let Some(e) = wpa_ctrl::parse_uplink_event(&ev) {
                        if self.wrong_key && matches!(e, UplinkEvent::TempDisabled(_)) {
                            continue;
                        }
                        self.wrong_key = e == UplinkEvent::WrongKey;
                        problem = uplink_words(&u.wifi_ssid, &e);
                    }
                }
                Ok(None) => break,
                Err(_) => {
                    broken = true;
                    break;
                }
            }
        }
        match c.request("STATUS") {
            Ok(reply) => {
                let state = wpa_ctrl::value(&reply, "wpa_state").map(str::to_owned);
                if state.as_deref() == Some("COMPLETED") {
                    problem = None;
                }
                out.wpa_state = state;
            }
            Err(_) => broken = true,
        }
        if broken {
            // wpa_supplicant restarted: attach again next time.
            self.wpa = None;
        }
        self.uplink_problem = problem.clone();
        out.problem = problem.as_ref().map(StatusWords::english);
        out.problem_words = problem.clone();
        self.condition("uplink-wifi", problem);
    }
}

/// The options for the appliance's paths under `root` (`/`; `system.root`).
pub fn appliance_options(
    interface: &str,
    uplink: &UplinkConfig,
    problems_file: Option<&Path>,
    root: &Path,
) -> MonitorOptions {
    let under = |p: &str| root.join(p.trim_start_matches('/'));
    MonitorOptions {
        interface: interface.to_owned(),
        uplink: uplink.clone(),
        sysfs: under("/sys"),
        root: root.to_path_buf(),
        hostapd_dir: under(HOSTAPD_CTRL_DIR),
        wpa_dir: under(crate::system::wpa_supplicant::CTRL_DIR),
        problems_file: problems_file.map(Path::to_path_buf),
        lang: crate::i18n::Lang::En,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::system::radios::Bus;

    fn pi4() -> Radio {
        Radio {
            interface: "wlan0".into(),
            phy: "phy0".into(),
            driver: Some("brcmfmac".into()),
            bus: Bus::Sdio,
            chip: Some("0xa9bf".into()),
        }
    }

    fn warnings(c: &[(&str, Option<StatusWords>)]) -> Vec<String> {
        c.iter()
            .filter_map(|(_, m)| m.as_ref().map(StatusWords::english))
            .collect()
    }

    #[test]
    fn a_running_access_point_with_room() {
        let look = ApLook {
            radio: Some(pi4()),
            hostapd: Ok("ENABLED".into()),
            stations: Some((5, 4)),
            minimal_firmware: true,
        };
        let (s, c) = assess("wlan0", &look, None);
        assert!(warnings(&c).is_empty(), "{c:?}");
        assert_eq!(s.associated, Some(5));
        assert_eq!(s.capacity.as_ref().map(|c| c.stations), Some(19));
        assert_eq!(s.fill, Some(Fill::Ok));
        let json = serde_json::to_value(&s).unwrap();
        assert_eq!(json["interface"], "wlan0");
        assert_eq!(json["radio"]["driver"], "brcmfmac");
        assert_eq!(json["radio"]["bus"], "sdio");
        assert_eq!(json["associated"], 5);
        assert_eq!(json["authorized"], 4);
        assert_eq!(json["capacity"]["stations"], 19);
        assert_eq!(json["fill"], "ok");
        assert_eq!(json["hostapd_state"], "ENABLED");
        assert_eq!(json["present"], true);
    }

    #[test]
    fn nearly_full_warns_and_full_says_so() {
        let mut look = ApLook {
            radio: Some(pi4()),
            hostapd: Ok("ENABLED".into()),
            stations: Some((8, 8)),
            minimal_firmware: false,
        };
        let (s, c) = assess("wlan0", &look, None);
        assert_eq!(s.fill, Some(Fill::Nearly));
        let w = warnings(&c);
        assert!(
            w[0].contains("nearly full: 8 devices on wlan0 (brcmfmac"),
            "{w:?}"
        );
        look.stations = Some((10, 10));
        let (s, c) = assess("wlan0", &look, None);
        assert!(s.room_full());
        assert!(warnings(&c)[0].starts_with("the room is full"), "{c:?}");
    }

    #[test]
    fn an_unplugged_radio_and_a_silent_hostapd_are_reported() {
        let usb = Radio {
            interface: "wlan1".into(),
            phy: "phy1".into(),
            driver: Some("mt76x2u".into()),
            bus: Bus::Usb,
            chip: Some("0e8d:7612".into()),
        };
        let look = ApLook {
            radio: None,
            hostapd: Err("Connection refused".into()),
            stations: None,
            minimal_firmware: false,
        };
        let (s, c) = assess("wlan1", &look, Some(&usb));
        assert!(!s.present);
        let w = warnings(&c);
        assert_eq!(w.len(), 1, "{w:?}");
        assert!(w[0].contains("wlan1 (mt76x2u, USB) is gone"), "{w:?}");
        // Back, but hostapd refused the country.
        let look = ApLook {
            radio: Some(usb.clone()),
            hostapd: Ok("COUNTRY_UPDATE".into()),
            ..look
        };
        let (_, c) = assess("wlan1", &look, Some(&usb));
        let w = warnings(&c);
        assert!(
            w[0].contains("hostapd's state is COUNTRY_UPDATE") && w[0].contains("wifi.country"),
            "{w:?}"
        );
    }

    #[test]
    fn what_the_monitor_raises_is_said_in_every_language() {
        use crate::i18n::{Lang, Tr};
        let mut raised: Vec<StatusWords> = Vec::new();
        let looks = [
            (None, Err("refused".to_owned()), None),
            (Some(pi4()), Ok("COUNTRY_UPDATE".to_owned()), None),
            (Some(pi4()), Err("refused".to_owned()), None),
            (Some(pi4()), Ok("ENABLED".to_owned()), Some((8, 8))),
            (Some(pi4()), Ok("ENABLED".to_owned()), Some((10, 10))),
        ];
        for (radio, hostapd, stations) in looks {
            let look = ApLook {
                radio,
                hostapd,
                stations,
                minimal_firmware: false,
            };
            let (_, c) = assess("wlan0", &look, Some(&pi4()));
            raised.extend(c.into_iter().filter_map(|(_, w)| w));
        }
        for e in [
            UplinkEvent::WrongKey,
            UplinkEvent::NotFound,
            UplinkEvent::TempDisabled("CONN_FAILED".into()),
            UplinkEvent::TempDisabled("AUTH_FAILED".into()),
            UplinkEvent::Disconnected,
        ] {
            raised.extend(uplink_words("School", &e));
        }
        let portal = Portal::Captive {
            answer: crate::system::captive::PortalAnswer::Redirect {
                code: 302,
                to: "http://login/".into(),
            },
        };
        raised.extend(portal_words(&portal, "wlan0"));
        assert_eq!(raised.len(), 11, "{raised:?}");
        for w in &raised {
            for lang in Lang::ALL {
                let text = w.say(Tr::new(lang));
                assert!(!text.contains('⟦') && !text.contains('{'), "{lang}: {text}");
            }
            assert_ne!(w.say(Tr::new(Lang::De)), w.english(), "{w:?}");
        }
    }

    #[test]
    fn uplink_and_portal_words() {
        let said = |w: Option<StatusWords>| w.unwrap().english();
        let w = said(uplink_words("School", &UplinkEvent::WrongKey));
        assert!(w.contains("refused the passphrase") && w.contains("uplink.wifi_passphrase"));
        let w = said(uplink_words("School", &UplinkEvent::NotFound));
        assert!(w.contains("not in range") && w.contains("uplink.wifi_ssid"));
        assert_eq!(uplink_words("School", &UplinkEvent::Connected), None);
        let w = said(uplink_words(
            "School",
            &UplinkEvent::TempDisabled("CONN_FAILED".into()),
        ));
        assert!(w.contains("wrong uplink.wifi_passphrase"), "{w}");
        let p = Portal::Captive {
            answer: crate::system::captive::PortalAnswer::Redirect {
                code: 302,
                to: "http://login/".into(),
            },
        };
        assert!(said(portal_words(&p, "wlan0")).starts_with("the school network wants a login"));
        assert_eq!(portal_words(&Portal::Open, "eth0"), None);
        let s = WifiStatus {
            uplink: UplinkStatus {
                portal: Some(p),
                ..UplinkStatus::default()
            },
            ..WifiStatus::default()
        };
        assert!(s.captive_portal());
        let json = serde_json::to_value(&s).unwrap();
        assert_eq!(json["uplink"]["portal"]["state"], "captive_portal");
    }
}
