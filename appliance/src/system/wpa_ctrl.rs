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

/// One station from a `STA-FIRST` / `STA-NEXT` reply: its MAC address (the first line), and
/// whether it has completed the WPA handshake (`flags=...[AUTHORIZED]...`). `None`: the end
/// of the list (an empty reply or `FAIL`).
pub fn parse_station(reply: &str) -> Option<(String, bool)> {
    let first = reply.lines().next()?.trim();
    let is_mac = first.len() == 17
        && first
            .split(':')
            .all(|p| p.len() == 2 && p.chars().all(|c| c.is_ascii_hexdigit()));
    if !is_mac {
        return None;
    }
    let authorized = value(reply, "flags").is_some_and(|f| f.contains("[AUTHORIZED]"));
    Some((first.to_owned(), authorized))
}

/// The stations hostapd has (`STA-FIRST`, then `STA-NEXT` each), counted: (associated and
/// authorised, all associated). At most [`MAX_STATIONS`] are read.
pub fn count_stations(ctrl: &Ctrl) -> io::Result<(u32, u32)> {
    let mut reply = ctrl.request("STA-FIRST")?;
    let (mut authorized, mut all) = (0u32, 0u32);
    for _ in 0..MAX_STATIONS {
        let Some((mac, auth)) = parse_station(&reply) else {
            break;
        };
        all += 1;
        authorized += u32::from(auth);
        reply = ctrl.request(&format!("STA-NEXT {mac}"))?;
    }
    Ok((authorized, all))
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
        assert_eq!(parse_station(STA), Some(("02:00:00:00:01:00".into(), true)));
        let joining = STA.replace("[AUTHORIZED]", "");
        assert_eq!(parse_station(&joining).map(|s| s.1), Some(false));
        assert_eq!(parse_station(""), None);
        assert_eq!(parse_station("FAIL\n"), None);
        let status = "state=ENABLED\nphy=phy0\nfreq=2437\nnum_sta_non_erp=0\n\
                      num_sta[0]=3\nssid[0]=whereflow-test\n";
        assert_eq!(value(status, "state"), Some("ENABLED"));
        assert_eq!(value(status, "num_sta[0]"), Some("3"));
        assert_eq!(value(status, "nope"), None);
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
        assert_eq!(count_stations(&c).unwrap(), (2, 3));
        t.join().unwrap();
        // Nobody there: an error, not a hang.
        std::fs::remove_file(&path).unwrap();
        assert!(Ctrl::open(&path, Duration::from_secs(1)).is_err());
        let _ = std::fs::remove_dir_all(&dir);
    }
}
