//! `hostapd.conf`: the access point on the radio setup chose (`system::radios`).
//!
//! 20 MHz channels with 802.11n (and WMM, which 802.11n needs) on either band; WPA2-PSK
//! (with or without protected management frames), WPA3-SAE, or both (transition mode).
//! Devices are isolated from each other (`ap_isolate`): each reaches the appliance and the
//! internet, not the other devices.

use std::fmt::Write as _;

use crate::config::WifiConfig;
use crate::system::regdomain::Band;

/// The access point as it will run: the settings' `[wifi]`, or the fallback's.
#[derive(Clone, PartialEq, Eq)]
pub struct AccessPoint {
    /// The radio's interface (`wlan0`, a USB adapter's `wlan1`).
    pub interface: String,
    /// Network name (1 to 32 bytes, no control characters).
    pub ssid: String,
    /// WPA passphrase (8 to 63 printable ASCII characters).
    pub passphrase: String,
    /// WPA2, WPA3 or both, as chosen at setup (`system::radio`).
    pub security: ApSecurity,
    /// ISO 3166 alpha-2 code in capitals; `None`: the world regulatory domain.
    pub country: Option<String>,
    /// The band.
    pub band: Band,
    /// The channel (allowed in `band` and `country`).
    pub channel: u16,
}

impl std::fmt::Debug for AccessPoint {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AccessPoint")
            .field("interface", &self.interface)
            .field("ssid", &self.ssid)
            .field("passphrase", &"<set>")
            .field("security", &self.security)
            .field("country", &self.country)
            .field("band", &self.band)
            .field("channel", &self.channel)
            .finish()
    }
}

/// The security the access point runs with: `wifi.security` once setup has decided `auto`
/// (never open: the settings check refuses it).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ApSecurity {
    /// WPA2-PSK; `pmf`: protected management frames offered (`ieee80211w=1`), for devices
    /// that can.
    Wpa2 {
        /// Offer protected management frames.
        pmf: bool,
    },
    /// WPA3-SAE only (protected management frames required).
    Wpa3,
    /// WPA2-PSK and WPA3-SAE (transition mode; protected management frames optional, required
    /// with SAE).
    Wpa2Wpa3,
}

impl AccessPoint {
    /// The access point a checked `[wifi]` section describes, on `interface` with the
    /// `security` setup chose.
    pub fn from_wifi(w: &WifiConfig, security: ApSecurity, interface: &str) -> AccessPoint {
        AccessPoint {
            interface: interface.to_owned(),
            ssid: w.ssid.clone(),
            passphrase: w.passphrase.clone(),
            security,
            country: w.country_code(),
            band: w.band,
            channel: w.channel_or_default(),
        }
    }

    /// How `wifi.security` writes this access point's security (in the daemon's runtime file).
    pub fn security_name(&self) -> &'static str {
        match self.security {
            ApSecurity::Wpa2 { .. } => "wpa2",
            ApSecurity::Wpa3 => "wpa3",
            ApSecurity::Wpa2Wpa3 => "wpa2-wpa3",
        }
    }
}

/// The SSID as hostapd reads it: plain (`ssid=`) when it is printable ASCII without spaces
/// at either end, else hex (`ssid2=`) with `utf8_ssid=1` for UTF-8 names.
fn ssid_lines(ssid: &str) -> String {
    let plain = ssid.bytes().all(|b| (b' '..=b'~').contains(&b))
        && !ssid.starts_with(' ')
        && !ssid.ends_with(' ');
    if plain {
        format!("ssid={ssid}\n")
    } else {
        let hex: String = ssid.bytes().map(|b| format!("{b:02x}")).collect();
        format!("ssid2={hex}\nutf8_ssid=1\n")
    }
}

/// Render `hostapd.conf`; `source` names the settings file in the header.
pub fn render(ap: &AccessPoint, source: &str) -> String {
    let mut out = String::new();
    let _ = write!(
        out,
        "# hostapd.conf: whereflow's access point. Rendered at boot by `whereflow setup` from\n\
         # {source}: edit that file, not this one.\n\
         interface={}\n\
         driver=nl80211\n\
         ctrl_interface=/run/hostapd\n\
         # The daemon (user whereflow) reads the stations here.\n\
         ctrl_interface_group=whereflow\n",
        ap.interface
    );
    out.push_str(&ssid_lines(&ap.ssid));
    if let Some(c) = &ap.country {
        let _ = write!(out, "country_code={c}\nieee80211d=1\n");
    }
    let hw_mode = match ap.band {
        Band::Ghz2_4 => "g",
        Band::Ghz5 => "a",
    };
    let _ = write!(
        out,
        "hw_mode={hw_mode}\n\
         channel={}\n\
         ieee80211n=1\n\
         wmm_enabled=1\n\
         # Devices reach the appliance and the internet, not each other.\n\
         ap_isolate=1\n\
         auth_algs=1\n\
         wpa=2\n\
         rsn_pairwise=CCMP\n",
        ap.channel
    );
    // Management frame protection: required by WPA3, optional in transition mode and, where
    // the radio can, with WPA2.
    let (key_mgmt, mfp, sae) = match ap.security {
        ApSecurity::Wpa2 { pmf } => ("WPA-PSK", u8::from(pmf), false),
        ApSecurity::Wpa3 => ("SAE", 2, true),
        ApSecurity::Wpa2Wpa3 => ("WPA-PSK SAE", 1, true),
    };
    let _ = write!(
        out,
        "wpa_key_mgmt={key_mgmt}\n\
         ieee80211w={mfp}\n"
    );
    if sae {
        // Both ways of deriving the SAE password element: older devices know only the first.
        out.push_str("sae_pwe=2\nsae_require_mfp=1\n");
    }
    let _ = writeln!(out, "wpa_passphrase={}", ap.passphrase);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ap(security: ApSecurity) -> AccessPoint {
        AccessPoint {
            interface: "wlan0".into(),
            ssid: "Room 4".into(),
            passphrase: "correct horse".into(),
            security,
            country: Some("DE".into()),
            band: Band::Ghz5,
            channel: 36,
        }
    }

    #[test]
    fn wpa3_and_transition_mode() {
        let t = render(&ap(ApSecurity::Wpa3), "x");
        assert!(t.contains("\nhw_mode=a\nchannel=36\n"), "{t}");
        assert!(
            t.contains("\nwpa_key_mgmt=SAE\nieee80211w=2\nsae_pwe=2\n"),
            "{t}"
        );
        let t = render(&ap(ApSecurity::Wpa2Wpa3), "x");
        assert!(
            t.contains("\nwpa_key_mgmt=WPA-PSK SAE\nieee80211w=1\nsae_pwe=2\nsae_require_mfp=1\n"),
            "{t}"
        );
        assert!(t.contains("\nrsn_pairwise=CCMP\n"), "{t}");
        let t = render(&ap(ApSecurity::Wpa2 { pmf: false }), "x");
        assert!(
            t.contains("\nwpa_key_mgmt=WPA-PSK\nieee80211w=0\nwpa_passphrase="),
            "{t}"
        );
        let t = render(&ap(ApSecurity::Wpa2 { pmf: true }), "x");
        assert!(
            t.contains("\nwpa_key_mgmt=WPA-PSK\nieee80211w=1\nwpa_passphrase="),
            "{t}"
        );
    }

    #[test]
    fn unusual_names_are_written_in_hex() {
        assert_eq!(ssid_lines("Room 4"), "ssid=Room 4\n");
        assert_eq!(ssid_lines(" a"), "ssid2=2061\nutf8_ssid=1\n");
        assert_eq!(ssid_lines("Café"), "ssid2=436166c3a9\nutf8_ssid=1\n");
    }

    #[test]
    fn no_country_means_no_country_lines() {
        let mut a = ap(ApSecurity::Wpa2 { pmf: false });
        a.country = None;
        let t = render(&a, "x");
        assert!(
            !t.contains("country_code") && !t.contains("ieee80211d"),
            "{t}"
        );
    }
}
