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
    stop: std::sync::Arc<std::sync::atomic::AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl FakeHostapd {
    /// Answer at `path` with `stations` associated.
    pub fn start(path: &std::path::Path, stations: u32) -> FakeHostapd {
        use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
        use std::sync::Arc;
        let sock = std::os::unix::net::UnixDatagram::bind(path).unwrap();
        sock.set_read_timeout(Some(Duration::from_millis(100)))
            .unwrap();
        let n = Arc::new(AtomicU32::new(stations));
        let stop = Arc::new(AtomicBool::new(false));
        let (n2, stop2) = (n.clone(), stop.clone());
        let mac = |i: u32| format!("02:00:00:00:{:02x}:{:02x}", i >> 8, i & 0xff);
        let thread = std::thread::spawn(move || {
            let mut buf = [0u8; 512];
            while !stop2.load(Ordering::Relaxed) {
                let Ok((len, from)) = sock.recv_from(&mut buf) else {
                    continue;
                };
                let cmd = String::from_utf8_lossy(&buf[..len]).into_owned();
                let total = n2.load(Ordering::Relaxed);
                let sta = |i: u32| {
                    let flags = if i + 1 == total {
                        "[AUTH][ASSOC][WMM][HT]"
                    } else {
                        "[AUTH][ASSOC][AUTHORIZED][WMM][HT]"
                    };
                    format!(
                        "{}\nflags={flags}\naid={}\ncapability=0x411\nlisten_interval=5\n\
                         connected_time=3\n",
                        mac(i),
                        i + 1
                    )
                };
                let reply = if cmd == "STATUS" {
                    format!("state=ENABLED\nphy=phy0\nfreq=2437\nnum_sta[0]={total}\n")
                } else if cmd == "STA-FIRST" {
                    if total > 0 {
                        sta(0)
                    } else {
                        String::new()
                    }
                } else if let Some(m) = cmd.strip_prefix("STA-NEXT ") {
                    (0..total)
                        .position(|i| mac(i) == m)
                        .map(|i| i as u32 + 1)
                        .filter(|i| *i < total)
                        .map(sta)
                        .unwrap_or_default()
                } else {
                    "UNKNOWN COMMAND\n".to_owned()
                };
                let _ = sock.send_to_addr(reply.as_bytes(), &from);
            }
        });
        FakeHostapd {
            stations: n,
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
