//! What the access point's radio can do, read from `iw phy PHY info` at setup, and the WiFi
//! security it gets from that (`wifi.security = "auto"`, and a check of `"wpa3"`).
//!
//! - **Access point**: "AP" among the supported interface modes.
//! - **Protected management frames** (802.11w, which WPA3 requires and which keeps a classmate
//!   from forging deauthentications): the BIP-CMAC-128 cipher (`00-0f-ac:6`).
//! - **SAE in AP mode** (WPA3-Personal): for a driver whose access point's authentication is done
//!   by hostapd (mac80211 drivers: they list the `new_station` command, hostapd adds each
//!   station itself once it has authenticated it), SAE is hostapd's own code and needs nothing
//!   from the radio; for a driver that authenticates in its firmware (brcmfmac, the Raspberry
//!   Pi's), only the `SAE_OFFLOAD_AP` extended feature says the firmware can.
//!
//! Firmware-authenticating drivers get no management frame protection unless they also offload
//! SAE: brcmfmac lists BIP-CMAC-128 (for station mode) but in AP mode with `ieee80211w=1` clients
//! cannot join (raspberrypi/linux#3619: the firmware's RSN element differs from the beacon's).

use std::time::{Duration, Instant};

use crate::config::WifiSecurity;
use crate::system::console::SetupWords;
use crate::system::hostapd::ApSecurity;
use crate::system::settings::Problem;

/// What setup found the radio can do.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RadioCaps {
    /// "AP" is a supported interface mode.
    pub ap_mode: bool,
    /// BIP-CMAC-128 (`00-0f-ac:6`) is a supported cipher: management frames can be protected.
    pub bip_cmac: bool,
    /// hostapd authenticates stations itself (the `new_station` command: a mac80211 driver).
    pub hostapd_sme: bool,
    /// The firmware does SAE in AP mode (`SAE_OFFLOAD_AP`).
    pub sae_offload_ap: bool,
}

impl RadioCaps {
    /// WPA3's SAE can run on this radio as an access point.
    pub fn sae_ap(&self) -> bool {
        self.ap_mode && (self.hostapd_sme || self.sae_offload_ap)
    }

    /// Protected management frames can be offered as an access point (see the module comment
    /// for why firmware authentication without SAE offload does not count).
    pub fn pmf_ap(&self) -> bool {
        self.ap_mode && self.bip_cmac && (self.hostapd_sme || self.sae_offload_ap)
    }
}

/// Read the capabilities from `iw phy PHY info` (or `iw list`, one radio) output. Lines are
/// `Section:` headers followed by `* item` lines; anything else ends the section.
pub fn parse_phy_info(text: &str) -> RadioCaps {
    #[derive(PartialEq)]
    enum Section {
        Other,
        Ciphers,
        Modes,
        Commands,
        ExtFeatures,
    }
    let mut caps = RadioCaps::default();
    let mut section = Section::Other;
    for line in text.lines() {
        let t = line.trim();
        if let Some(item) = t.strip_prefix('*') {
            let item = item.trim();
            match section {
                // "CMAC (00-0f-ac:6)"; iw versions that do not know a name print the bare suite.
                Section::Ciphers => {
                    caps.bip_cmac |= item.ends_with("(00-0f-ac:6)") || item == "00-0f-ac:6"
                }
                Section::Modes => caps.ap_mode |= item == "AP",
                Section::Commands => caps.hostapd_sme |= item == "new_station",
                Section::ExtFeatures => {
                    caps.sae_offload_ap |= item.starts_with("[ SAE_OFFLOAD_AP ]")
                }
                Section::Other => {}
            }
            continue;
        }
        section = match t {
            "Supported Ciphers:" => Section::Ciphers,
            "Supported interface modes:" => Section::Modes,
            "Supported commands:" => Section::Commands,
            "Supported extended features:" => Section::ExtFeatures,
            _ => Section::Other,
        };
    }
    caps
}

/// The security the access point runs with, and why (for the setup console).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Choice {
    /// What hostapd gets.
    pub security: ApSecurity,
    /// One sentence: what was chosen, what was asked, what the radio can do: the message
    /// `setup-security-<why>` with `security` ([`security_key`]) and, for a value used as
    /// written, `asked`.
    pub reason: SetupWords,
}

/// How the catalogues' `setup-security` names `security` (its selector's keys).
pub fn security_key(security: ApSecurity) -> &'static str {
    match security {
        ApSecurity::Wpa2 { pmf: false } => "wpa2",
        ApSecurity::Wpa2 { pmf: true } => "wpa2-pmf",
        ApSecurity::Wpa3 => "wpa3",
        ApSecurity::Wpa2Wpa3 => "wpa2-wpa3",
    }
}

/// The security for `wifi.security = requested` on a radio with `caps` (`None`: unknown, e.g.
/// no `iw`): `auto` takes the best the radio can do; `wpa3` on a radio that cannot do SAE as
/// an access point is a problem naming `wifi.security`; the others are used as written.
pub fn choose(requested: WifiSecurity, caps: Option<&RadioCaps>) -> Result<Choice, Problem> {
    // `why`: the message's id; `asked`: the value used as written.
    let choice = |security: ApSecurity, why: &'static str, asked: Option<&str>| Choice {
        reason: SetupWords::new(
            why,
            [("security", security_key(security).to_owned())]
                .into_iter()
                .chain(asked.map(|a| ("asked", a.to_owned()))),
        ),
        security,
    };
    match requested {
        WifiSecurity::Auto => Ok(match caps {
            None => choice(
                ApSecurity::Wpa2 { pmf: false },
                "security-auto-unread",
                None,
            ),
            Some(c) if c.sae_ap() && c.pmf_ap() => {
                choice(ApSecurity::Wpa2Wpa3, "security-auto-both", None)
            }
            Some(c) if c.pmf_ap() => {
                choice(ApSecurity::Wpa2 { pmf: true }, "security-auto-no-sae", None)
            }
            Some(_) => choice(
                ApSecurity::Wpa2 { pmf: false },
                "security-auto-neither",
                None,
            ),
        }),
        WifiSecurity::Wpa3 => match caps {
            Some(c) if !(c.sae_ap() && c.pmf_ap()) => Err(Problem::said(
                "wifi.security",
                "problem-wpa3-unsupported",
                [],
            )),
            _ => Ok(choice(
                ApSecurity::Wpa3,
                "security-as-written",
                Some("wpa3"),
            )),
        },
        WifiSecurity::Wpa2Wpa3 => Ok(choice(
            ApSecurity::Wpa2Wpa3,
            "security-as-written",
            Some("wpa2-wpa3"),
        )),
        WifiSecurity::Wpa2 => Ok(choice(
            ApSecurity::Wpa2 { pmf: false },
            "security-as-written",
            Some("wpa2"),
        )),
        // The settings check refuses an open network before this is asked.
        WifiSecurity::Open => Err(Problem::said("wifi.security", "problem-security-open", [])),
    }
}

/// Why the capabilities could not be read.
#[derive(Debug, thiserror::Error)]
pub enum RadioError {
    /// `iw` could not be run or failed.
    #[error("iw phy {phy} info: {why}")]
    Iw {
        /// The radio.
        phy: String,
        /// What went wrong.
        why: String,
    },
}

/// How long setup waits for `iw`.
const IW_TIMEOUT: Duration = Duration::from_secs(5);
/// `iw phy info` prints about 10 kB; more is not a radio description.
const IW_MAX_OUTPUT: usize = 256 * 1024;

/// The capabilities of the radio `phy` (`phy0`), read with `iw`.
pub fn read_phy(phy: &str) -> Result<RadioCaps, RadioError> {
    Ok(parse_phy_info(&iw_phy_info(phy)?))
}

/// `iw phy PHY info`, bounded in time and size.
fn iw_phy_info(phy: &str) -> Result<String, RadioError> {
    use std::io::Read;
    use std::process::{Command, Stdio};
    let err = |why: String| RadioError::Iw {
        phy: phy.to_owned(),
        why,
    };
    let mut child = Command::new("iw")
        .args(["phy", phy, "info"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| err(e.to_string()))?;
    // Read on a thread, so that a full pipe cannot stall iw while we wait for it.
    let mut stdout = child
        .stdout
        .take()
        .ok_or_else(|| err("no output pipe".into()))?;
    let reader = std::thread::spawn(move || {
        let mut buf = Vec::new();
        let _ = (&mut stdout)
            .take(IW_MAX_OUTPUT as u64)
            .read_to_end(&mut buf);
        buf
    });
    let start = Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(s)) => break s,
            Ok(None) if start.elapsed() < IW_TIMEOUT => {
                std::thread::sleep(Duration::from_millis(20))
            }
            Ok(None) => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(err(format!("no answer within {IW_TIMEOUT:?}")));
            }
            Err(e) => return Err(err(e.to_string())),
        }
    };
    let out = reader
        .join()
        .map_err(|_| err("reading its output failed".into()))?;
    if !status.success() {
        return Err(err(format!("exited with {status}")));
    }
    Ok(String::from_utf8_lossy(&out).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `iw phy phy0 info` of mac80211_hwsim in the WiFi system test's guest (Debian 12's kernel
    /// 6.1 and iw), verbatim.
    const HWSIM: &str = include_str!("../../tests/data/iw/hwsim-phy-info.txt");
    /// `iw phy phy0 info` of brcmfmac on a Raspberry Pi 3 (raspberrypi/linux#6130).
    const BRCMFMAC: &str = include_str!("../../tests/data/iw/brcmfmac-rpi3-phy-info.txt");
    /// `iw phy` of brcmfmac with Cypress firmware that offloads SAE (RPi-Distro/firmware-nonfree#41).
    const BRCMFMAC_SAE: &str =
        include_str!("../../tests/data/iw/brcmfmac-sae-offload-phy-info.txt");

    #[test]
    fn hwsim_does_transition_mode() {
        let c = parse_phy_info(HWSIM);
        assert_eq!(
            c,
            RadioCaps {
                ap_mode: true,
                bip_cmac: true,
                hostapd_sme: true,
                sae_offload_ap: false
            }
        );
        let ch = choose(WifiSecurity::Auto, Some(&c)).unwrap();
        assert_eq!(ch.security, ApSecurity::Wpa2Wpa3);
        assert_eq!(ch.reason.id, "security-auto-both");
        assert_eq!(
            ch.reason.english(),
            "WiFi security: WPA2/WPA3 transition with protected management frames \
             (wifi.security \"auto\": the radio does SAE and protected management frames as \
             an access point)"
        );
        assert_eq!(
            choose(WifiSecurity::Wpa3, Some(&c)).unwrap().security,
            ApSecurity::Wpa3
        );
    }

    #[test]
    fn brcmfmac_without_sae_offload_stays_wpa2_without_pmf() {
        let c = parse_phy_info(BRCMFMAC);
        // It lists BIP-CMAC-128, but authenticates in its firmware.
        assert!(
            c.ap_mode && c.bip_cmac && !c.hostapd_sme && !c.sae_offload_ap,
            "{c:?}"
        );
        assert_eq!(
            choose(WifiSecurity::Auto, Some(&c)).unwrap().security,
            ApSecurity::Wpa2 { pmf: false }
        );
        let p = choose(WifiSecurity::Wpa3, Some(&c)).unwrap_err();
        assert_eq!(p.key, "wifi.security");
        assert!(p.message.contains("\"auto\""), "{}", p.message);
        // What the person wrote is used as written.
        let ch = choose(WifiSecurity::Wpa2Wpa3, Some(&c)).unwrap();
        assert_eq!(ch.security, ApSecurity::Wpa2Wpa3);
        assert_eq!(
            ch.reason.english(),
            "WiFi security: WPA2/WPA3 transition with protected management frames \
             (wifi.security \"wpa2-wpa3\")"
        );
        assert_eq!(
            choose(WifiSecurity::Wpa2, Some(&c)).unwrap().security,
            ApSecurity::Wpa2 { pmf: false }
        );
    }

    #[test]
    fn brcmfmac_with_sae_offload_in_ap_mode_does_transition_mode() {
        let c = parse_phy_info(BRCMFMAC_SAE);
        assert!(c.ap_mode && c.bip_cmac && c.sae_offload_ap, "{c:?}");
        assert_eq!(
            choose(WifiSecurity::Auto, Some(&c)).unwrap().security,
            ApSecurity::Wpa2Wpa3
        );
    }

    #[test]
    fn a_mac80211_radio_without_bip_or_ap_mode() {
        let no_bip = HWSIM.replace("(00-0f-ac:6)", "(00-0f-ac:99)");
        let c = parse_phy_info(&no_bip);
        assert!(c.ap_mode && !c.bip_cmac, "{c:?}");
        assert_eq!(
            choose(WifiSecurity::Auto, Some(&c)).unwrap().security,
            ApSecurity::Wpa2 { pmf: false }
        );
        // "AP/VLAN" and the frame-type lists ("* AP: 0x00 ...") are not the AP mode.
        let no_ap = HWSIM.replace("\t\t * AP\n", "");
        let c = parse_phy_info(&no_ap);
        assert!(!c.ap_mode, "{c:?}");
        assert!(choose(WifiSecurity::Wpa3, Some(&c)).is_err());
    }

    #[test]
    fn unknown_capabilities_keep_todays_wpa2() {
        let ch = choose(WifiSecurity::Auto, None).unwrap();
        assert_eq!(ch.security, ApSecurity::Wpa2 { pmf: false });
        assert_eq!(ch.reason.id, "security-auto-unread");
        assert!(
            ch.reason.english().contains("could not be read"),
            "{}",
            ch.reason
        );
        // An explicit "wpa3" is tried (hostapd says whether the chip refuses it).
        assert_eq!(
            choose(WifiSecurity::Wpa3, None).unwrap().security,
            ApSecurity::Wpa3
        );
        assert_eq!(parse_phy_info(""), RadioCaps::default());
    }
}
