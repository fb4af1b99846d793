//! A small client for the control interface hostapd and wpa_supplicant share: a UNIX
//! datagram socket per interface (`/run/hostapd/wlan0`, `/run/wpa_supplicant/wlan0`), one
//! text command per datagram and one reply. After `ATTACH` the daemon also sends events
//! (`<3>CTRL-EVENT-...`), which [`Ctrl::request`] skips.
//!
//! Our end is bound to an abstract socket name (no file to clean up); every wait is bounded.

use std::io;
use std::os::unix::net::UnixDatagram;
use std::path::Path;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

use crate::model::WifiSecurity;

/// The longest reply read (hostapd's `STA` replies are about 1 kB, `STATUS` 2 kB).
const MAX_REPLY: usize = 16 * 1024;
/// Most stations listed (far above any radio's table).
pub const MAX_STATIONS: usize = 1024;

/// An open control connection.
#[derive(Debug)]
pub struct Ctrl {
    sock: UnixDatagram,
    timeout: Duration,
}

static NEXT: AtomicU32 = AtomicU32::new(0);

impl Ctrl {
    /// Connect to the control socket at `path`; every request waits at most `timeout`.
    pub fn open(path: &Path, timeout: Duration) -> io::Result<Ctrl> {
        use std::os::linux::net::SocketAddrExt;
        let name = format!(
            "whereflow-ctrl-{}-{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        );
        let addr = std::os::unix::net::SocketAddr::from_abstract_name(name.as_bytes())?;
        let sock = UnixDatagram::bind_addr(&addr)?;
        sock.connect(path)?;
        sock.set_read_timeout(Some(timeout))?;
        sock.set_write_timeout(Some(timeout))?;
        Ok(Ctrl { sock, timeout })
    }

    /// Send `command`, return the reply (events that arrive meanwhile are skipped).
    pub fn request(&self, command: &str) -> io::Result<String> {
        self.sock.send(command.as_bytes())?;
        let start = Instant::now();
        let mut buf = vec![0u8; MAX_REPLY];
        loop {
            let n = self.sock.recv(&mut buf)?;
            let text = String::from_utf8_lossy(&buf[..n]);
            if !is_event(&text) {
                return Ok(text.into_owned());
            }
            if start.elapsed() >= self.timeout {
                return Err(io::Error::new(io::ErrorKind::TimedOut, "only events came"));
            }
        }
    }

    /// Ask for events (`ATTACH`); then [`Ctrl::next_event`] reads them.
    pub fn attach(&self) -> io::Result<()> {
        match self.request("ATTACH")?.trim() {
            "OK" => Ok(()),
            other => Err(io::Error::other(format!("ATTACH: {other}"))),
        }
    }

    /// The next event, waiting at most `wait` (`None`: nothing came).
    pub fn next_event(&self, wait: Duration) -> io::Result<Option<String>> {
        self.sock
            .set_read_timeout(Some(wait.max(Duration::from_millis(1))))?;
        let mut buf = vec![0u8; MAX_REPLY];
        let r = self.sock.recv(&mut buf);
        self.sock.set_read_timeout(Some(self.timeout))?;
        match r {
            Ok(n) => Ok(Some(String::from_utf8_lossy(&buf[..n]).into_owned())),
            Err(e)
                if matches!(
                    e.kind(),
                    io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
                ) =>
            {
                Ok(None)
            }
            Err(e) => Err(e),
        }
    }
}

/// An unsolicited event: `<N>` priority then text.
fn is_event(text: &str) -> bool {
    text.starts_with('<') && text[1..].find('>').is_some_and(|i| i <= 2)
}

/// `key=value` lines (a `STATUS` reply, a station's attributes).
pub fn value<'a>(reply: &'a str, key: &str) -> Option<&'a str> {
    reply
        .lines()
        .filter_map(|l| l.split_once('='))
        .find(|(k, _)| *k == key)
        .map(|(_, v)| v.trim())
}

/// One station hostapd has: its MAC address, whether it completed the WPA handshake, and how
/// it joined.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Station {
    /// `aa:bb:cc:dd:ee:ff`, lower case, as hostapd prints it.
    pub mac: String,
    /// `flags=...[AUTHORIZED]...`.
    pub authorized: bool,
    /// From `AKMSuiteSelector=` (printed by hostapd's WPA state machine, `wpa_get_mib_sta`);
    /// no WPA lines at all: an open network.
    pub security: WifiSecurity,
}

/// One station from a `STA-FIRST` / `STA-NEXT` reply: its MAC address (the first line),
/// whether it has completed the WPA handshake (`flags=...[AUTHORIZED]...`) and how it joined.
/// `None`: the end of the list (an empty reply or `FAIL`).
pub fn station(reply: &str) -> Option<Station> {
    let first = reply.lines().next()?.trim();
    let is_mac = first.len() == 17
        && first
            .split(':')
            .all(|p| p.len() == 2 && p.chars().all(|c| c.is_ascii_hexdigit()));
    if !is_mac {
        return None;
    }
    let authorized = value(reply, "flags").is_some_and(|f| f.contains("[AUTHORIZED]"));
    let security = match value(reply, "AKMSuiteSelector") {
        Some(akm) => WifiSecurity::from_akm_selector(akm),
        None if value(reply, "wpa").is_none()
            && value(reply, "dot11RSNAStatsSTAAddress").is_none() =>
        {
            WifiSecurity::Open
        }
        None => WifiSecurity::Unknown,
    };
    Some(Station {
        mac: first.to_ascii_lowercase(),
        authorized,
        security,
    })
}

/// The stations hostapd has (`STA-FIRST`, then `STA-NEXT` each). At most [`MAX_STATIONS`]
/// are read.
pub fn stations(ctrl: &Ctrl) -> io::Result<Vec<Station>> {
    let mut reply = ctrl.request("STA-FIRST")?;
    let mut out = Vec::new();
    for _ in 0..MAX_STATIONS {
        let Some(s) = station(&reply) else {
            break;
        };
        reply = ctrl.request(&format!("STA-NEXT {}", s.mac))?;
        out.push(s);
    }
    Ok(out)
}

/// (authorised, all) of `stations`.
pub fn count(stations: &[Station]) -> (u32, u32) {
    let all = u32::try_from(stations.len()).unwrap_or(u32::MAX);
    let authorized = stations.iter().filter(|s| s.authorized).count();
    (u32::try_from(authorized).unwrap_or(u32::MAX), all)
}

/// What a wpa_supplicant event says about the uplink, in plain words (`None`: not one we
/// report).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum UplinkEvent {
    /// Joined the network.
    Connected,
    /// Left it (or was dropped).
    Disconnected,
    /// The passphrase was refused (WPA2's handshake failed, or WPA3-SAE's confirm was
    /// rejected).
    WrongKey,
    /// The network is not in range.
    NotFound,
    /// Another reason the network was set aside for a while (`reason=...`).
    TempDisabled(String),
}

/// Read an event line (`<3>CTRL-EVENT-SSID-TEMP-DISABLED id=0 ssid="x" auth_failures=1
/// duration=10 reason=WRONG_KEY`).
pub fn parse_uplink_event(event: &str) -> Option<UplinkEvent> {
    let text = match event.find('>') {
        Some(i) if event.starts_with('<') => &event[i + 1..],
        _ => event,
    };
    let field = |key: &str| {
        text.split_whitespace()
            .find_map(|w| w.strip_prefix(key)?.strip_prefix('='))
    };
    let name = text.split_whitespace().next()?;
    match name {
        // WPA3-SAE (auth_type 3) refused at its second step, the confirm: the two sides'
        // passwords differ. wpa_supplicant then reports only CONN_FAILED, as for a network
        // that stopped answering (the vm-test's uplink boot showed it).
        "CTRL-EVENT-AUTH-REJECT" => (field("auth_type") == Some("3")
            && field("auth_transaction") == Some("2"))
        .then_some(UplinkEvent::WrongKey),
        "CTRL-EVENT-CONNECTED" => Some(UplinkEvent::Connected),
        "CTRL-EVENT-DISCONNECTED" => Some(UplinkEvent::Disconnected),
        "CTRL-EVENT-NETWORK-NOT-FOUND" => Some(UplinkEvent::NotFound),
        "CTRL-EVENT-SSID-TEMP-DISABLED" => {
            let reason = text
                .split_whitespace()
                .find_map(|w| w.strip_prefix("reason="))
                .unwrap_or("");
            Some(match reason {
                "WRONG_KEY" => UplinkEvent::WrongKey,
                r => UplinkEvent::TempDisabled(r.chars().take(40).collect()),
            })
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `STA-FIRST` of hostapd 2.10 with one WPA2 station (trimmed to what is read, verbatim
    /// lines).
    const STA: &str = "02:00:00:00:01:00\nflags=[AUTH][ASSOC][AUTHORIZED][WMM][HT]\n\
                       aid=1\ncapability=0x411\nlisten_interval=5\n\
                       supported_rates=82 84 8b 96 0c 12 18 24 30 48 60 6c\ntimeout_next=NULLFUNC POLL\n\
                       dot11RSNAStatsSTAAddress=02:00:00:00:01:00\nrx_packets=21\nconnected_time=3\n";

    #[test]
    fn station_and_status_replies_are_read() {
        let s = station(STA).unwrap();
        assert_eq!((s.mac.as_str(), s.authorized), ("02:00:00:00:01:00", true));
        let joining = STA.replace("[AUTHORIZED]", "");
        assert_eq!(station(&joining).map(|s| s.authorized), Some(false));
        assert_eq!(station(""), None);
        assert_eq!(station("FAIL\n"), None);
        let status = "state=ENABLED\nphy=phy0\nfreq=2437\nnum_sta_non_erp=0\n\
                      num_sta[0]=3\nssid[0]=whereflow-test\n";
        assert_eq!(value(status, "state"), Some("ENABLED"));
        assert_eq!(value(status, "num_sta[0]"), Some("3"));
        assert_eq!(value(status, "nope"), None);
    }

    /// A `STA` reply as hostapd 2.10 prints it for a WPA3 (SAE) station, whole: the RSN
    /// lines come from `wpa_get_mib_sta` (`AKMSuiteSelector=` RSN_SUITE, "%02x-%02x-%02x-%d").
    const STA_SAE: &str = "02:00:00:00:04:00\nflags=[AUTH][ASSOC][AUTHORIZED][WMM][MFP][HT]\n\
                           aid=1\ncapability=0x411\nlisten_interval=5\n\
                           supported_rates=82 84 8b 96 0c 12 18 24 30 48 60 6c\n\
                           timeout_next=NULLFUNC POLL\n\
                           dot11RSNAStatsSTAAddress=02:00:00:00:04:00\ndot11RSNAStatsVersion=1\n\
                           dot11RSNAStatsSelectedPairwiseCipher=00-0f-ac-4\n\
                           dot11RSNAStatsTKIPLocalMICFailures=0\n\
                           dot11RSNAStatsTKIPRemoteMICFailures=0\nwpa=2\n\
                           AKMSuiteSelector=00-0f-ac-8\nhostapdWPAPTKState=11\n\
                           hostapdWPAPTKGroupState=0\nsae_group=19\nrx_packets=83\n\
                           tx_packets=18\nrx_bytes=9712\ntx_bytes=2031\ninactive_msec=0\n\
                           signal=-56\nconnected_time=515\n";

    /// An open network's station: no RSN lines (hostapd has no WPA state machine for it).
    const STA_OPEN: &str = "02:00:00:00:05:00\nflags=[AUTH][ASSOC][AUTHORIZED][WMM]\naid=2\n\
                            capability=0x421\nlisten_interval=10\nrx_packets=4\nconnected_time=9\n";

    #[test]
    fn how_each_station_joined() {
        let s = station(STA_SAE).unwrap();
        assert_eq!(s.mac, "02:00:00:00:04:00");
        assert!(s.authorized);
        assert_eq!(s.security, WifiSecurity::Wpa3Sae);
        // The same station on a WPA2 network (PSK), and with SAE-EXT-KEY.
        let psk = STA_SAE.replace("00-0f-ac-8", "00-0f-ac-2");
        assert_eq!(station(&psk).unwrap().security, WifiSecurity::Wpa2Psk);
        let ext = STA_SAE.replace("00-0f-ac-8\n", "00-0f-ac-24\n");
        assert_eq!(station(&ext).unwrap().security, WifiSecurity::Wpa3Sae);
        assert_eq!(station(STA_OPEN).unwrap().security, WifiSecurity::Open);
        // RSN lines without the suite: not known (not guessed as open).
        assert_eq!(station(STA).unwrap().security, WifiSecurity::Unknown);
        let upper = STA_SAE.replace("02:00:00:00:04:00\nflags", "02:AB:00:00:04:00\nflags");
        assert_eq!(station(&upper).unwrap().mac, "02:ab:00:00:04:00");
        let list = [
            station(STA_SAE).unwrap(),
            station(&STA.replace("[AUTHORIZED]", "")).unwrap(),
        ];
        assert_eq!(count(&list), (1, 2));
    }

    #[test]
    fn uplink_events_in_plain_words() {
        let e = "<3>CTRL-EVENT-SSID-TEMP-DISABLED id=0 ssid=\"School\" auth_failures=1 \
                 duration=10 reason=WRONG_KEY";
        assert_eq!(parse_uplink_event(e), Some(UplinkEvent::WrongKey));
        let e = "<3>CTRL-EVENT-SSID-TEMP-DISABLED id=0 ssid=\"School\" auth_failures=2 \
                 duration=20 reason=CONN_FAILED";
        assert_eq!(
            parse_uplink_event(e),
            Some(UplinkEvent::TempDisabled("CONN_FAILED".into()))
        );
        assert_eq!(
            parse_uplink_event("<3>CTRL-EVENT-NETWORK-NOT-FOUND"),
            Some(UplinkEvent::NotFound)
        );
        assert_eq!(
            parse_uplink_event("<3>CTRL-EVENT-CONNECTED - Connection to 02:00:00:00:00:00 completed [id=0 id_str=]"),
            Some(UplinkEvent::Connected)
        );
        assert_eq!(parse_uplink_event("<3>CTRL-EVENT-SCAN-RESULTS "), None);
        // hostapd 2.10 rejecting a WPA3-SAE confirm (the passphrase differs), and a commit
        // refused for another reason (an unsupported group: not the passphrase).
        let e = "<3>CTRL-EVENT-AUTH-REJECT 02:00:00:00:03:00 auth_type=3 auth_transaction=2 \
                 status_code=15";
        assert_eq!(parse_uplink_event(e), Some(UplinkEvent::WrongKey));
        let e = "<3>CTRL-EVENT-AUTH-REJECT 02:00:00:00:03:00 auth_type=3 auth_transaction=1 \
                 status_code=77";
        assert_eq!(parse_uplink_event(e), None);
        assert!(is_event("<3>CTRL-EVENT-SCAN-STARTED "));
        assert!(!is_event("OK\n"));
    }

    /// A real datagram socket answering as hostapd does (captured replies): the client's
    /// station walk and event skipping. The real hostapd is the vm-test's.
    #[test]
    fn the_client_walks_the_station_list_over_a_real_socket() {
        let dir = std::env::temp_dir().join(format!("wf-ctrl-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("wlan0");
        let server = UnixDatagram::bind(&path).unwrap();
        let second = STA.replace("02:00:00:00:01:00", "02:00:00:00:02:00");
        let third = STA
            .replace("02:00:00:00:01:00", "02:00:00:00:03:00")
            .replace("[AUTHORIZED]", "");
        let t = std::thread::spawn(move || {
            let mut buf = [0u8; 256];
            for _ in 0..4 {
                let (n, from) = server.recv_from(&mut buf).unwrap();
                let cmd = String::from_utf8_lossy(&buf[..n]).into_owned();
                let reply = match cmd.as_str() {
                    "STA-FIRST" => {
                        // An event first, as after ATTACH: skipped.
                        server
                            .send_to_addr(b"<3>AP-STA-CONNECTED 02:00:00:00:02:00", &from)
                            .unwrap();
                        STA.to_owned()
                    }
                    "STA-NEXT 02:00:00:00:01:00" => second.clone(),
                    "STA-NEXT 02:00:00:00:02:00" => third.clone(),
                    _ => String::new(),
                };
                server.send_to_addr(reply.as_bytes(), &from).unwrap();
            }
        });
        let c = Ctrl::open(&path, Duration::from_secs(5)).unwrap();
        assert_eq!(count(&stations(&c).unwrap()), (2, 3));
        t.join().unwrap();
        // Nobody there: an error, not a hang.
        std::fs::remove_file(&path).unwrap();
        assert!(Ctrl::open(&path, Duration::from_secs(1)).is_err());
        let _ = std::fs::remove_dir_all(&dir);
    }
}
