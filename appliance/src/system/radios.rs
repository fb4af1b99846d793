//! Which WiFi radio serves the room: the radios found in sysfs, the choice for
//! `wifi.interface` (`"auto"`: a USB adapter that can be an access point, else the on-board
//! radio), and about how many devices the chosen one admits.
//!
//! Everything is read from a sysfs tree given as a path (`/sys` on the appliance, a small
//! file tree in the tests):
//!
//! - `class/net/IFACE/phy80211/name`: the interface is a WiFi radio (`phy0`);
//! - `class/net/IFACE/device/driver` → `…/drivers/brcmfmac`: its driver;
//! - `class/net/IFACE/device/subsystem` → `…/bus/usb` (or `sdio`, `pci`): its bus;
//! - `device/device` (SDIO) or `device/../idVendor`, `idProduct` (USB): the chip.
//!
//! Whether a radio can be an access point is `iw phy PHY info`'s "AP" mode (`system::radio`).

use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::status::StatusWords;
use crate::system::console::SetupWords;
use crate::system::radio::RadioCaps;
use crate::system::settings::Problem;

/// How a radio is attached.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Bus {
    /// A USB adapter.
    Usb,
    /// On the board, over SDIO (the Raspberry Pi's).
    Sdio,
    /// PCI / PCIe (a laptop's, an M.2 card).
    Pci,
    /// Anything else (mac80211_hwsim: no device at all).
    Other,
}

/// One WiFi radio found in sysfs.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Radio {
    /// Its network interface (`wlan0`).
    pub interface: String,
    /// Its radio (`phy0`).
    pub phy: String,
    /// The kernel driver (`brcmfmac`, `mt76x2u`), when there is a device.
    pub driver: Option<String>,
    /// How it is attached.
    pub bus: Bus,
    /// The chip: SDIO `0xa9bf`, USB `0e8d:7612`.
    pub chip: Option<String>,
}

/// Most WiFi interfaces looked at (a board has one or two; a test a few dozen).
const MAX_INTERFACES: usize = 256;

/// Every WiFi radio under `sysfs` (`/sys`), sorted by interface name.
pub fn discover(sysfs: &Path) -> Vec<Radio> {
    let net = sysfs.join("class/net");
    let Ok(dir) = std::fs::read_dir(&net) else {
        return Vec::new();
    };
    let mut out: Vec<Radio> = dir
        .filter_map(Result::ok)
        .take(MAX_INTERFACES)
        .filter_map(|e| read_radio(&e.path(), &e.file_name().to_string_lossy()))
        .collect();
    out.sort_by(|a, b| a.interface.cmp(&b.interface));
    out
}

/// The radio behind `interface` under `sysfs`, if it is one (and is there).
pub fn find(sysfs: &Path, interface: &str) -> Option<Radio> {
    if !crate::config::is_interface_name(interface) {
        return None;
    }
    read_radio(&sysfs.join("class/net").join(interface), interface)
}

fn read_radio(dir: &Path, interface: &str) -> Option<Radio> {
    let phy = read_trimmed(&dir.join("phy80211/name"))?;
    let device = dir.join("device");
    let driver = link_name(&device.join("driver"));
    let bus = match link_name(&device.join("subsystem")).as_deref() {
        Some("usb") => Bus::Usb,
        Some("sdio") | Some("mmc") => Bus::Sdio,
        Some("pci") => Bus::Pci,
        _ => Bus::Other,
    };
    let chip = match bus {
        Bus::Sdio => read_trimmed(&device.join("device")),
        Bus::Usb => {
            // The interface's device is the USB interface; the ids are on its parent.
            let parent = std::fs::canonicalize(&device)
                .ok()
                .and_then(|p| p.parent().map(Path::to_path_buf));
            parent.and_then(|p| {
                let v = read_trimmed(&p.join("idVendor"))?;
                let d = read_trimmed(&p.join("idProduct"))?;
                Some(format!("{v}:{d}"))
            })
        }
        Bus::Pci => read_trimmed(&device.join("device")),
        Bus::Other => None,
    };
    Some(Radio {
        interface: interface.to_owned(),
        phy,
        driver,
        bus,
        chip,
    })
}

fn read_trimmed(p: &Path) -> Option<String> {
    let mut s = std::fs::read_to_string(p).ok()?;
    s.truncate(64);
    let t = s.trim();
    (!t.is_empty()).then(|| t.to_owned())
}

/// The last part of where the symlink `p` points.
fn link_name(p: &Path) -> Option<String> {
    let target: PathBuf = std::fs::read_link(p).ok()?;
    target.file_name().map(|n| n.to_string_lossy().into_owned())
}

/// A radio and what `iw` said it can do (`None`: not read).
#[derive(Clone, Debug)]
pub struct Candidate {
    /// The radio.
    pub radio: Radio,
    /// Its capabilities.
    pub caps: Option<RadioCaps>,
}

impl Candidate {
    /// It can be an access point (unknown counts as yes: hostapd will say).
    fn ap_capable(&self) -> bool {
        self.caps.is_none_or(|c| c.ap_mode)
    }
}

/// The radio chosen for the access point, and what the person should know about it.
#[derive(Clone, Debug)]
pub struct Chosen {
    /// The radio.
    pub radio: Radio,
    /// One sentence: which radio and why (the console in `site.language`, the log in
    /// English): a `setup-ap-radio-...` message with the radio's [`name_args`].
    pub reason: SetupWords,
    /// Things to tell without stopping (a second USB adapter left unused, an adapter without
    /// AP mode skipped), as status words ([`NOTES`]).
    pub notes: Vec<StatusWords>,
}

/// Choose the access point's radio among `radios` for `wifi.interface = wanted` (`None`:
/// `"auto"`), leaving `uplink` (a WiFi uplink's interface) alone. `wifi_uplink`: the uplink
/// joins a WiFi network and so needs a radio of its own.
///
/// `"auto"`: the USB radios that can be access points, by interface name (so the same one
/// each boot), else the on-board/other radios the same way. An explicit name must be there
/// and able to be an access point.
pub fn choose(
    radios: &[Candidate],
    wanted: Option<&str>,
    uplink: Option<&str>,
) -> Result<Chosen, Problem> {
    let key = "wifi.interface";
    let mut notes = Vec::new();
    let for_ap: Vec<&Candidate> = radios
        .iter()
        .filter(|c| Some(c.radio.interface.as_str()) != uplink)
        .collect();
    if let Some(name) = wanted {
        let Some(c) = radios.iter().find(|c| c.radio.interface == name) else {
            let name = ("name", format!("{name:?}"));
            return Err(if radios.is_empty() {
                Problem::said(key, "problem-radio-missing-none", [name])
            } else {
                Problem::said(
                    key,
                    "problem-radio-missing",
                    [name, ("found", names(radios.iter()))],
                )
            });
        };
        if !c.ap_capable() {
            return Err(Problem::said(
                key,
                "problem-radio-no-ap",
                name_args("", Some(&c.radio)),
            ));
        }
        return Ok(Chosen {
            reason: SetupWords::new(
                "ap-radio-named",
                name_args("", Some(&c.radio))
                    .into_iter()
                    .chain([("name", format!("{name:?}"))]),
            ),
            radio: c.radio.clone(),
            notes,
        });
    }
    for c in &for_ap {
        if !c.ap_capable() {
            notes.push(StatusWords::new(
                "radio-no-ap",
                name_args("", Some(&c.radio)),
            ));
        }
    }
    let usable: Vec<&&Candidate> = for_ap.iter().filter(|c| c.ap_capable()).collect();
    let usb: Vec<&&&Candidate> = usable.iter().filter(|c| c.radio.bus == Bus::Usb).collect();
    let chosen = if let Some(first) = usb.first() {
        if usb.len() > 1 {
            notes.push(StatusWords::new(
                "radio-usb-many",
                [
                    ("count", usb.len().to_string()),
                    ("radios", names(usb.iter().map(|c| ***c))),
                    ("radio", first.radio.interface.clone()),
                ],
            ));
        }
        let onboard = usable.iter().find(|c| c.radio.bus != Bus::Usb);
        let why = match onboard {
            Some(o) => ("ap-radio-usb-instead", Some(o.radio.interface.clone())),
            None => ("ap-radio-usb", None),
        };
        (first.radio.clone(), why)
    } else if let Some(first) = usable.first() {
        (first.radio.clone(), ("ap-radio-no-usb", None))
    } else {
        return Err(if radios.is_empty() {
            Problem::said(key, "problem-radio-none", [])
        } else if for_ap.is_empty() {
            Problem::said(
                "uplink.interface",
                "problem-radio-only-uplink",
                [("radios", names(radios.iter()))],
            )
        } else {
            Problem::said(
                key,
                "problem-radio-none-ap",
                [("radios", names(for_ap.iter().copied()))],
            )
        });
    };
    let (id, instead_of) = chosen.1;
    Ok(Chosen {
        reason: SetupWords::new(
            id,
            name_args("", Some(&chosen.0))
                .into_iter()
                .chain(instead_of.map(|i| ("onboard", i))),
        ),
        radio: chosen.0,
        notes,
    })
}

/// The notes [`choose`] gives, with their arguments: what the daemon accepts from
/// `system.notes` (the runtime file names them by id, the daemon needs them as its own).
pub const NOTES: [(&str, &[&str]); 2] = [
    ("radio-no-ap", &["interface", "driver", "bus"]),
    ("radio-usb-many", &["count", "radios", "radio"]),
];

/// The status words of a note of `system.notes` (`None`: not one of [`NOTES`], or an
/// argument missing: a runtime file from another version).
pub fn note_words(
    id: &str,
    args: &std::collections::BTreeMap<String, String>,
) -> Option<StatusWords> {
    let (id, names) = NOTES.iter().find(|(known, _)| *known == id)?;
    let args: Option<Vec<(&'static str, String)>> = names
        .iter()
        .map(|n| Some((*n, args.get(*n)?.clone())))
        .collect();
    Some(StatusWords::new(id, args?))
}

/// The radios' interfaces: "wlan0, wlan1" (no radio at all has messages of its own).
fn names<'a>(c: impl Iterator<Item = &'a Candidate>) -> String {
    let v: Vec<&str> = c.map(|c| c.radio.interface.as_str()).collect();
    v.join(", ")
}

/// A radio (or, `None`, only its interface) as the arguments of the catalogues' `radio-name`
/// (`interface`, `driver`, `bus`: `usb`, `sdio`, `pci`, `other`, `unknown` when nothing but
/// the interface is known), which says it in each language: "wlan1 (mt76x2u, USB)".
pub fn name_args(interface: &str, r: Option<&Radio>) -> [(&'static str, String); 3] {
    let bus = match r.map(|r| r.bus) {
        Some(Bus::Usb) => "usb",
        Some(Bus::Sdio) => "sdio",
        Some(Bus::Pci) => "pci",
        Some(Bus::Other) => "other",
        None => "unknown",
    };
    [
        (
            "interface",
            r.map_or(interface, |r| r.interface.as_str()).to_owned(),
        ),
        (
            "driver",
            r.and_then(|r| r.driver.clone())
                .unwrap_or_else(|| "none".into()),
        ),
        ("bus", bus.to_owned()),
    ]
}

/// About how many devices a radio admits as an access point, and where the figure comes from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Capacity {
    /// Devices.
    pub stations: u32,
    /// Where the figure comes from (for the admin page and the README).
    pub basis: &'static str,
}

/// The Raspberry Pi's minimal CYW43455 firmware admits more stations; the image installs it
/// as this file (buildroot-external's package), whose link or name says "minimal".
pub const BRCM_43455_FIRMWARE: &str = "lib/firmware/brcm/brcmfmac43455-sdio.bin";

/// About how many devices `radio` admits as an access point; `minimal_firmware`: the
/// CYW43455's "minimal" firmware is installed. `None`: not known for this driver.
///
/// Sources (also in the README):
/// - brcmfmac 43430/43436/43439 (Pi 3B, Zero 2 W): 7 to 10 with the standard firmware
///   (raspberrypi/documentation#2520, raspberrypi/linux#3010): 8.
/// - brcmfmac 43455 (Pi 3B+, 4, 400, CM4, 5): about 10 with the standard firmware, about 19
///   with `cyfmac43455-sdio-minimal.bin` (RPi-Distro/firmware-nonfree).
/// - mt7921u: the driver's station table, `MT7921_WTBL_STA` = 20 - 1 - 4 = 15
///   (drivers/net/wireless/mediatek/mt76/mt7921/mt7921.h).
/// - mt76x0u, mt76x2u: `MT76x02_N_WCIDS` = 128 table entries, one for the access point
///   itself (mt76/mt76x02.h): 127.
/// - rt2800usb: WCID entries 33 to 222 (rt2x00/rt2800lib.h): 190.
/// - mac80211_hwsim: no limit of its own; hostapd's default `max_num_sta` is 2007.
///
/// The USB figures are the drivers' tables: in a room, air time runs out well before them.
pub fn capacity(radio: &Radio, minimal_firmware: bool) -> Option<Capacity> {
    let driver = radio.driver.as_deref().unwrap_or("");
    let chip = radio.chip.as_deref().unwrap_or("");
    let c = |stations, basis| Some(Capacity { stations, basis });
    match driver {
        "brcmfmac" => match chip {
            "0xa9bf" | "0x4345" if minimal_firmware => c(
                19,
                "CYW43455 with Raspberry Pi's minimal firmware (RPi-Distro/firmware-nonfree)",
            ),
            "0xa9bf" | "0x4345" => c(
                10,
                "CYW43455 with the standard firmware (raspberrypi/documentation#2520)",
            ),
            _ => c(
                8,
                "CYW43430/43436 with the standard firmware: 7 to 10 \
                 (raspberrypi/documentation#2520)",
            ),
        },
        "mt7921u" => c(15, "mt7921u's station table (MT7921_WTBL_STA, mt76 driver)"),
        "mt76x0u" | "mt76x2u" => c(127, "mt76x02's station table (MT76x02_N_WCIDS - 1)"),
        "rt2800usb" => c(190, "rt2800's station table (WCID 33 to 222, rt2800lib.h)"),
        _ if radio.bus == Bus::Other => c(2007, "hostapd's default max_num_sta"),
        _ => None,
    }
}

/// Whether the firmware file under `root` (`/`) is Raspberry Pi's minimal one: its name or
/// the link's target says so.
pub fn minimal_firmware(root: &Path) -> bool {
    let p = root.join(BRCM_43455_FIRMWARE);
    std::fs::canonicalize(&p)
        .ok()
        .is_some_and(|t| t.to_string_lossy().contains("minimal"))
}

/// How full the room is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Fill {
    /// Room for more.
    Ok,
    /// At 80 % or more.
    Nearly,
    /// At capacity: the next device may not get on.
    Full,
}

/// How full: 80 % of `capacity` is "nearly", all of it "full".
pub fn fill(associated: u32, capacity: u32) -> Fill {
    if capacity == 0 || associated >= capacity {
        Fill::Full
    } else if u64::from(associated) * 5 >= u64::from(capacity) * 4 {
        Fill::Nearly
    } else {
        Fill::Ok
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::symlink;

    /// A device: path under `devices/`, bus, driver, id files.
    type Dev<'a> = (&'a str, &'a str, &'a str, &'a [(&'a str, &'a str)]);

    /// A small sysfs tree: `net` interfaces with their device, driver and bus links.
    struct FakeSys(PathBuf);

    impl FakeSys {
        fn new(name: &str) -> FakeSys {
            // A number per tree: tests run in parallel and several build the same layout.
            static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
            let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let d =
                std::env::temp_dir().join(format!("wf-radios-{name}-{}-{n}", std::process::id()));
            let _ = std::fs::remove_dir_all(&d);
            std::fs::create_dir_all(d.join("class/net")).unwrap();
            FakeSys(d)
        }

        /// A WiFi interface whose device is `devpath` (under `devices/`) on `bus` with
        /// `driver`; `ids`: files in the device (`device`) or its USB parent (`idVendor`).
        fn wifi(&self, iface: &str, phy: &str, dev: Option<Dev<'_>>) {
            let net = self.0.join("class/net").join(iface);
            std::fs::create_dir_all(&net).unwrap();
            let phydir = self.0.join("class/ieee80211").join(phy);
            std::fs::create_dir_all(&phydir).unwrap();
            std::fs::write(phydir.join("name"), format!("{phy}\n")).unwrap();
            symlink(&phydir, net.join("phy80211")).unwrap();
            if let Some((devpath, bus, driver, ids)) = dev {
                let devdir = self.0.join("devices").join(devpath);
                std::fs::create_dir_all(&devdir).unwrap();
                let busdir = self.0.join("bus").join(bus);
                let drvdir = busdir.join("drivers").join(driver);
                std::fs::create_dir_all(&drvdir).unwrap();
                symlink(&busdir, devdir.join("subsystem")).unwrap();
                symlink(&drvdir, devdir.join("driver")).unwrap();
                for (file, value) in ids {
                    let target = if file.starts_with("id") {
                        devdir.parent().unwrap().join(file)
                    } else {
                        devdir.join(file)
                    };
                    std::fs::write(target, format!("{value}\n")).unwrap();
                }
                symlink(&devdir, net.join("device")).unwrap();
            }
        }

        fn plain(&self, iface: &str) {
            std::fs::create_dir_all(self.0.join("class/net").join(iface)).unwrap();
        }
    }

    impl Drop for FakeSys {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }

    fn pi4_with(usb: &[(&str, &str, &str)]) -> FakeSys {
        let s = FakeSys::new(&format!("pi{}", usb.len()));
        s.plain("eth0");
        s.plain("lo");
        s.wifi(
            "wlan0",
            "phy0",
            Some((
                "platform/mmc1/mmc1:0001/mmc1:0001:1",
                "sdio",
                "brcmfmac",
                &[("device", "0xa9bf")],
            )),
        );
        for (i, (iface, driver, id)) in usb.iter().enumerate() {
            let (v, p) = id.split_once(':').unwrap();
            s.wifi(
                iface,
                &format!("phy{}", i + 1),
                Some((
                    &format!("platform/usb/1-1.{i}/1-1.{i}:1.0"),
                    "usb",
                    driver,
                    &[("idVendor", v), ("idProduct", p)],
                )),
            );
        }
        s
    }

    fn ap() -> Option<RadioCaps> {
        Some(RadioCaps {
            ap_mode: true,
            ..RadioCaps::default()
        })
    }

    fn candidates(r: &[Radio], no_ap: &[&str]) -> Vec<Candidate> {
        r.iter()
            .map(|r| Candidate {
                radio: r.clone(),
                caps: if no_ap.contains(&r.interface.as_str()) {
                    Some(RadioCaps::default())
                } else {
                    ap()
                },
            })
            .collect()
    }

    #[test]
    fn discovery_reads_driver_bus_and_chip() {
        let s = pi4_with(&[("wlan1", "mt76x2u", "0e8d:7612")]);
        let r = discover(&s.0);
        assert_eq!(r.len(), 2, "{r:?}");
        assert_eq!(
            r[0],
            Radio {
                interface: "wlan0".into(),
                phy: "phy0".into(),
                driver: Some("brcmfmac".into()),
                bus: Bus::Sdio,
                chip: Some("0xa9bf".into()),
            }
        );
        assert_eq!(r[1].bus, Bus::Usb);
        assert_eq!(r[1].driver.as_deref(), Some("mt76x2u"));
        assert_eq!(r[1].chip.as_deref(), Some("0e8d:7612"));
        assert_eq!(find(&s.0, "wlan1"), Some(r[1].clone()));
        assert_eq!(find(&s.0, "eth0"), None);
        assert_eq!(find(&s.0, "../x"), None);
        // A radio without a device (mac80211_hwsim).
        let h = FakeSys::new("hwsim");
        h.wifi("wlan0", "phy0", None);
        let r = discover(&h.0);
        assert_eq!(r[0].bus, Bus::Other);
        assert_eq!(r[0].driver, None);
        assert!(discover(Path::new("/nonexistent")).is_empty());
    }

    #[test]
    fn auto_takes_a_usb_radio_when_there_is_one() {
        let s = pi4_with(&[]);
        let c = choose(&candidates(&discover(&s.0), &[]), None, None).unwrap();
        assert_eq!(c.radio.interface, "wlan0");
        assert_eq!(c.reason.id, "ap-radio-no-usb");
        let said = c.reason.english();
        assert!(
            said.contains("wlan0 (brcmfmac, on-board (SDIO)) (wifi.interface = \"auto\": no USB"),
            "{said}"
        );
        let s = pi4_with(&[("wlan1", "mt76x2u", "0e8d:7612")]);
        let c = choose(&candidates(&discover(&s.0), &[]), None, None).unwrap();
        assert_eq!(c.radio.interface, "wlan1");
        assert_eq!(c.reason.id, "ap-radio-usb-instead");
        assert_eq!(c.reason.args["onboard"], "wlan0");
        let said = c.reason.english();
        assert!(said.contains("wlan1 (mt76x2u, USB)"), "{said}");
        assert!(said.contains("instead of wlan0"), "{said}");
        assert!(c.notes.is_empty());
        // Explicit names win, and are checked.
        let c = choose(&candidates(&discover(&s.0), &[]), Some("wlan0"), None).unwrap();
        assert_eq!(c.radio.interface, "wlan0");
        let p = choose(&candidates(&discover(&s.0), &[]), Some("wlan7"), None).unwrap_err();
        assert_eq!(p.key, "wifi.interface");
        assert!(p.message.contains("found: wlan0, wlan1"), "{}", p.message);
        let c = choose(&candidates(&discover(&s.0), &[]), Some("wlan1"), None).unwrap();
        assert_eq!(c.reason.id, "ap-radio-named");
        assert_eq!(c.reason.args["name"], "\"wlan1\"");
        // No radio at all: said in a message of its own, not with an English "none".
        let p = choose(&[], Some("wlan1"), None).unwrap_err();
        let words = p.words.as_ref().unwrap();
        assert_eq!(words.id, "problem-radio-missing-none");
        assert!(!p.message.contains("none"), "{}", p.message);
        for lang in crate::i18n::Lang::ALL {
            let said = words.say(crate::i18n::Tr::new(lang));
            assert!(said.contains("\"wlan1\"") && !said.contains('⟦'), "{said}");
        }
    }

    #[test]
    fn two_usb_radios_pick_the_first_by_name_and_say_so() {
        let s = pi4_with(&[
            ("wlan2", "rt2800usb", "148f:5370"),
            ("wlan1", "mt76x0u", "0e8d:7610"),
        ]);
        let c = choose(&candidates(&discover(&s.0), &[]), None, None).unwrap();
        assert_eq!(c.radio.interface, "wlan1");
        assert_eq!(c.notes.len(), 1, "{:?}", c.notes);
        let note = c.notes[0].english();
        assert!(note.contains("2 USB WiFi adapters") && note.contains("wlan1, wlan2"));
    }

    #[test]
    fn an_adapter_without_ap_mode_is_skipped_or_refused() {
        let s = pi4_with(&[("wlan1", "rtl8xxxu", "0bda:8179")]);
        let r = discover(&s.0);
        let c = choose(&candidates(&r, &["wlan1"]), None, None).unwrap();
        assert_eq!(c.radio.interface, "wlan0");
        assert!(c.notes[0]
            .english()
            .contains("wlan1 (rtl8xxxu, USB) cannot be an access point"));
        let p = choose(&candidates(&r, &["wlan1"]), Some("wlan1"), None).unwrap_err();
        assert!(
            p.message
                .starts_with("wlan1 (rtl8xxxu, USB) cannot be an access point"),
            "{}",
            p.message
        );
        // The radio is said in the reader's language too.
        let de = p
            .words
            .as_ref()
            .unwrap()
            .say(crate::i18n::Tr::new(crate::i18n::Lang::De));
        assert!(de.starts_with("wlan1 (rtl8xxxu, USB) kann kein"), "{de}");
        let mut sdio = r.clone();
        sdio[1].bus = Bus::Sdio;
        sdio[1].driver = None;
        let p = choose(&candidates(&sdio, &["wlan1"]), Some("wlan1"), None).unwrap_err();
        assert!(
            p.message.starts_with("wlan1 (no driver, on-board (SDIO))"),
            "{}",
            p.message
        );
        let fr = p
            .words
            .as_ref()
            .unwrap()
            .say(crate::i18n::Tr::new(crate::i18n::Lang::Fr));
        assert!(
            fr.starts_with("wlan1 (aucun pilote, intégrée (SDIO))"),
            "{fr}"
        );
        let p = choose(&candidates(&r, &["wlan0", "wlan1"]), None, None).unwrap_err();
        assert!(
            p.message.contains("no WiFi radio here can be"),
            "{}",
            p.message
        );
        let p = choose(&[], None, None).unwrap_err();
        assert!(
            p.message.contains("no WiFi radio was found"),
            "{}",
            p.message
        );
    }

    #[test]
    fn a_wifi_uplink_keeps_its_radio_and_one_radio_is_not_enough() {
        let s = pi4_with(&[("wlan1", "mt7921u", "0e8d:7961")]);
        let r = discover(&s.0);
        let c = choose(&candidates(&r, &[]), None, Some("wlan1")).unwrap();
        assert_eq!(c.radio.interface, "wlan0");
        let s = pi4_with(&[]);
        let p = choose(&candidates(&discover(&s.0), &[]), None, Some("wlan0")).unwrap_err();
        assert!(p.message.contains("needs a second radio"), "{}", p.message);
    }

    #[test]
    fn capacity_by_driver_and_firmware() {
        let s = pi4_with(&[
            ("wlan1", "mt7921u", "0e8d:7961"),
            ("wlan2", "mt76x2u", "0e8d:7612"),
            ("wlan3", "rt2800usb", "148f:5370"),
            ("wlan4", "rtl8xxxu", "0bda:8179"),
        ]);
        let r = discover(&s.0);
        let n = |i: usize, min| capacity(&r[i], min).map(|c| c.stations);
        assert_eq!(n(0, false), Some(10));
        assert_eq!(n(0, true), Some(19));
        assert_eq!(n(1, false), Some(15));
        assert_eq!(n(2, false), Some(127));
        assert_eq!(n(3, false), Some(190));
        assert_eq!(n(4, false), None);
        let mut pi3 = r[0].clone();
        pi3.chip = Some("0xa9a6".into());
        assert_eq!(capacity(&pi3, true).map(|c| c.stations), Some(8));
    }

    #[test]
    fn fill_warns_at_80_percent() {
        assert_eq!(fill(0, 19), Fill::Ok);
        assert_eq!(fill(15, 19), Fill::Ok);
        assert_eq!(fill(16, 19), Fill::Nearly);
        assert_eq!(fill(8, 10), Fill::Nearly);
        assert_eq!(fill(19, 19), Fill::Full);
        assert_eq!(fill(20, 19), Fill::Full);
    }

    #[test]
    fn the_minimal_firmware_is_recognised_by_its_link() {
        let s = FakeSys::new("fw");
        let dir = s.0.join("lib/firmware");
        std::fs::create_dir_all(dir.join("brcm")).unwrap();
        std::fs::create_dir_all(dir.join("cypress")).unwrap();
        assert!(!minimal_firmware(&s.0));
        std::fs::write(dir.join("cypress/cyfmac43455-sdio-minimal.bin"), "fw").unwrap();
        symlink(
            "../cypress/cyfmac43455-sdio-minimal.bin",
            dir.join("brcm/brcmfmac43455-sdio.bin"),
        )
        .unwrap();
        assert!(minimal_firmware(&s.0));
    }
}
