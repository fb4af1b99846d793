//! What the WiFi monitor reads, for the tests that run the daemon without a radio: a Pi 4's
//! radio in a sysfs tree of the test's own, a socket answering as hostapd's control
//! interface does, and a captive portal on loopback.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener};
use std::time::Duration;

/// A socket answering as hostapd's control interface does (`STATUS`, `STA-FIRST`,
/// `STA-NEXT`, the replies as hostapd 2.10 gives them), with `stations` associated, the last
/// one not yet past the WPA handshake. The real hostapd needs a radio: the QEMU system test
/// (mac80211_hwsim) runs it.
pub struct FakeHostapd {
    /// Stations associated now (the test changes it).
    pub stations: std::sync::Arc<std::sync::atomic::AtomicU32>,
    /// `false`: hostapd's state is `COUNTRY_UPDATE`, as when the radio refuses the country.
    pub enabled: std::sync::Arc<std::sync::atomic::AtomicBool>,
    stop: std::sync::Arc<std::sync::atomic::AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

/// The nth station's `STA` reply (MAC first line) when `total` are associated, or `None`.
type StationReply = dyn Fn(u32, u32) -> Option<String> + Send;

impl FakeHostapd {
    /// Answer at `path` with `stations` associated (MACs 02:00:00:00:00:00 on).
    pub fn start(path: &std::path::Path, stations: u32) -> FakeHostapd {
        let mac = |i: u32| format!("02:00:00:00:{:02x}:{:02x}", i >> 8, i & 0xff);
        FakeHostapd::serve(
            path,
            stations,
            Box::new(move |i, total| {
                let flags = if i + 1 == total {
                    "[AUTH][ASSOC][WMM][HT]"
                } else {
                    "[AUTH][ASSOC][AUTHORIZED][WMM][HT]"
                };
                Some(format!(
                    "{}\nflags={flags}\naid={}\ncapability=0x411\nlisten_interval=5\n\
                     connected_time=3\n",
                    mac(i),
                    i + 1
                ))
            }),
        )
    }

    /// Answer at `path` with these stations (MAC, AKM suite as hostapd prints it:
    /// `00-0f-ac-8` SAE, `00-0f-ac-2` PSK), all past the handshake; each `STA` reply carries
    /// the RSN lines hostapd 2.10 prints for a WPA station (`wpa_get_mib_sta`).
    pub fn with_stations(path: &std::path::Path, list: Vec<(String, &'static str)>) -> FakeHostapd {
        let n = list.len() as u32;
        FakeHostapd::serve(
            path,
            n,
            Box::new(move |i, _| {
                let (mac, akm) = list.get(i as usize)?;
                Some(format!(
                    "{mac}\nflags=[AUTH][ASSOC][AUTHORIZED][WMM][HT]\naid={}\n\
                     capability=0x411\nlisten_interval=5\ndot11RSNAStatsSTAAddress={mac}\n\
                     dot11RSNAStatsVersion=1\ndot11RSNAStatsSelectedPairwiseCipher=00-0f-ac-4\n\
                     dot11RSNAStatsTKIPLocalMICFailures=0\ndot11RSNAStatsTKIPRemoteMICFailures=0\n\
                     wpa=2\nAKMSuiteSelector={akm}\nhostapdWPAPTKState=11\n\
                     hostapdWPAPTKGroupState=0\nconnected_time=3\n",
                    i + 1
                ))
            }),
        )
    }

    /// The socket and its thread: `STATUS`, `STA-FIRST`, `STA-NEXT <mac>` (the station after
    /// the one with that MAC), anything else `UNKNOWN COMMAND`.
    fn serve(path: &std::path::Path, stations: u32, station: Box<StationReply>) -> FakeHostapd {
        use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
        use std::sync::Arc;
        let sock = std::os::unix::net::UnixDatagram::bind(path).unwrap();
        sock.set_read_timeout(Some(Duration::from_millis(100)))
            .unwrap();
        let n = Arc::new(AtomicU32::new(stations));
        let stop = Arc::new(AtomicBool::new(false));
        let enabled = Arc::new(AtomicBool::new(true));
        let (n2, stop2, enabled2) = (n.clone(), stop.clone(), enabled.clone());
        let thread = std::thread::spawn(move || {
            let mut buf = [0u8; 512];
            while !stop2.load(Ordering::Relaxed) {
                let Ok((len, from)) = sock.recv_from(&mut buf) else {
                    continue;
                };
                let cmd = String::from_utf8_lossy(&buf[..len]).into_owned();
                let total = n2.load(Ordering::Relaxed);
                let reply = if cmd == "STATUS" {
                    let state = if enabled2.load(Ordering::Relaxed) {
                        "ENABLED"
                    } else {
                        "COUNTRY_UPDATE"
                    };
                    format!("state={state}\nphy=phy0\nfreq=2437\nnum_sta[0]={total}\n")
                } else if cmd == "STA-FIRST" {
                    (total > 0)
                        .then(|| station(0, total))
                        .flatten()
                        .unwrap_or_default()
                } else if let Some(m) = cmd.strip_prefix("STA-NEXT ") {
                    (0..total)
                        .position(|i| {
                            station(i, total).is_some_and(|r| r.lines().next() == Some(m))
                        })
                        .map(|i| i as u32 + 1)
                        .filter(|i| *i < total)
                        .and_then(|i| station(i, total))
                        .unwrap_or_default()
                } else {
                    "UNKNOWN COMMAND\n".to_owned()
                };
                let _ = sock.send_to_addr(reply.as_bytes(), &from);
            }
        });
        FakeHostapd {
            stations: n,
            enabled,
            stop,
            thread: Some(thread),
        }
    }
}

impl Drop for FakeHostapd {
    fn drop(&mut self) {
        self.stop.store(true, std::sync::atomic::Ordering::Relaxed);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// A Raspberry Pi 4's on-board radio (brcmfmac over SDIO, CYW43455, standard firmware:
/// admits about 10) at `root/sys` as sysfs shows it.
pub fn pi4_radio_in_sysfs(root: &std::path::Path) {
    use std::os::unix::fs::symlink;
    let sys = root.join("sys");
    let dev = sys.join("devices/platform/mmc1/mmc1:0001/mmc1:0001:1");
    let net = sys.join("class/net/wlan0");
    for d in [
        &dev,
        &net.join("phy80211"),
        &sys.join("bus/mmc"),
        &sys.join("bus/sdio/drivers/brcmfmac"),
    ] {
        std::fs::create_dir_all(d).unwrap();
    }
    std::fs::write(net.join("phy80211/name"), "phy0\n").unwrap();
    std::fs::write(dev.join("device"), "0xa9bf\n").unwrap();
    symlink(sys.join("bus/mmc"), dev.join("subsystem")).unwrap();
    symlink(sys.join("bus/sdio/drivers/brcmfmac"), dev.join("driver")).unwrap();
    symlink(&dev, net.join("device")).unwrap();
}

/// A login page where the internet should be: every request gets a redirect.
pub fn captive_portal() -> SocketAddr {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = l.local_addr().unwrap();
    std::thread::spawn(move || {
        for mut c in l.incoming().flatten() {
            let _ = c.set_read_timeout(Some(Duration::from_secs(2)));
            let mut buf = [0u8; 1024];
            let _ = c.read(&mut buf);
            let _ = c.write_all(
                b"HTTP/1.1 302 Found\r\nLocation: http://login.school.example/\r\n\
                  Content-Length: 0\r\nConnection: close\r\n\r\n",
            );
        }
    });
    addr
}

/// What the fake wpa_supplicant reports about the uplink network.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Uplink {
    /// Scanning, and the network does not answer (`CTRL-EVENT-NETWORK-NOT-FOUND`).
    NotThere,
    /// The network refused the passphrase (`CTRL-EVENT-SSID-TEMP-DISABLED ...
    /// reason=WRONG_KEY`).
    WrongKey,
    /// Joined (`wpa_state=COMPLETED`).
    Joined,
}

/// A socket answering as wpa_supplicant's control interface does (`ATTACH`, `STATUS`), and
/// sending the event for its [`Uplink`] state to the attached client after each `STATUS` (the
/// events' text as wpa_supplicant 2.10 logs them). The real wpa_supplicant needs a radio: the
/// QEMU system test runs it.
pub struct FakeWpa {
    /// What it reports now (the test changes it).
    pub state: std::sync::Arc<std::sync::Mutex<Uplink>>,
    stop: std::sync::Arc<std::sync::atomic::AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl FakeWpa {
    /// Answer at `path` for the network `ssid`, reporting `state`.
    pub fn start(path: &std::path::Path, ssid: &str, state: Uplink) -> FakeWpa {
        use std::sync::atomic::{AtomicBool, Ordering};
        use std::sync::{Arc, Mutex};
        let sock = std::os::unix::net::UnixDatagram::bind(path).unwrap();
        sock.set_read_timeout(Some(Duration::from_millis(100)))
            .unwrap();
        let shared = Arc::new(Mutex::new(state));
        let stop = Arc::new(AtomicBool::new(false));
        let (shared2, stop2) = (shared.clone(), stop.clone());
        let ssid = ssid.to_owned();
        let thread = std::thread::spawn(move || {
            let mut buf = [0u8; 512];
            while !stop2.load(Ordering::Relaxed) {
                let Ok((len, from)) = sock.recv_from(&mut buf) else {
                    continue;
                };
                let cmd = String::from_utf8_lossy(&buf[..len]).into_owned();
                let now = *shared2.lock().unwrap();
                let (reply, event) = match cmd.as_str() {
                    "ATTACH" => ("OK\n".to_owned(), None),
                    "STATUS" => match now {
                        Uplink::Joined => (
                            format!(
                                "bssid=02:00:00:00:09:00\nfreq=2412\nssid={ssid}\nid=0\n\
                                 mode=station\nkey_mgmt=SAE\nwpa_state=COMPLETED\n"
                            ),
                            Some(
                                "<3>CTRL-EVENT-CONNECTED - Connection to 02:00:00:00:09:00 \
                                  completed [id=0 id_str=]"
                                    .to_owned(),
                            ),
                        ),
                        Uplink::NotThere => (
                            "wpa_state=SCANNING\n".to_owned(),
                            Some("<3>CTRL-EVENT-NETWORK-NOT-FOUND ".to_owned()),
                        ),
                        Uplink::WrongKey => (
                            "wpa_state=DISCONNECTED\n".to_owned(),
                            Some(format!(
                                "<3>CTRL-EVENT-SSID-TEMP-DISABLED id=0 ssid=\"{ssid}\" \
                                 auth_failures=1 duration=10 reason=WRONG_KEY"
                            )),
                        ),
                    },
                    _ => ("UNKNOWN COMMAND\n".to_owned(), None),
                };
                let _ = sock.send_to_addr(reply.as_bytes(), &from);
                if let Some(e) = event {
                    let _ = sock.send_to_addr(e.as_bytes(), &from);
                }
            }
        });
        FakeWpa {
            state: shared,
            stop,
            thread: Some(thread),
        }
    }
}

impl Drop for FakeWpa {
    fn drop(&mut self) {
        self.stop.store(true, std::sync::atomic::Ordering::Relaxed);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}
