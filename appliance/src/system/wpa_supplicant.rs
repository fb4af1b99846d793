//! `wpa_supplicant.conf`: the WiFi uplink, joining an existing network (the school's, a
//! phone's hotspot) with WPA2-Personal or WPA3-Personal, whichever the network offers.
//!
//! `key_mgmt=WPA-PSK SAE` with `ieee80211w=1`: SAE and protected management frames where the
//! network has them, WPA2 otherwise. The control socket lets the daemon read why joining
//! fails (a wrong passphrase, a network not in range).

use std::fmt::Write as _;

use crate::config::UplinkConfig;

/// wpa_supplicant's control sockets (one per interface).
pub const CTRL_DIR: &str = "/run/wpa_supplicant";

/// A string as wpa_supplicant reads it: quoted when printable ASCII without `"`, else hex
/// (the SSID; the passphrase is checked printable ASCII, and `"` inside is fine for
/// wpa_supplicant's `psk="..."` as it reads to the last quote).
fn ssid_value(ssid: &str) -> String {
    if ssid
        .bytes()
        .all(|b| (b' '..=b'~').contains(&b) && b != b'"')
    {
        format!("\"{ssid}\"")
    } else {
        ssid.bytes().map(|b| format!("{b:02x}")).collect()
    }
}

/// Render `wpa_supplicant.conf` for the checked WiFi `uplink`; `country`: the access point's
/// country (one radio domain for both); `source` names the settings file in the header.
pub fn render(uplink: &UplinkConfig, country: Option<&str>, source: &str) -> String {
    let mut out = String::new();
    let _ = write!(
        out,
        "# wpa_supplicant.conf: whereflow's WiFi uplink. Rendered at boot by `whereflow setup`\n\
         # from {source}: edit that file, not this one.\n\
         ctrl_interface=DIR={CTRL_DIR} GROUP=whereflow\n\
         update_config=0\n\
         # Both ways of deriving SAE's password element (older access points know only one).\n\
         sae_pwe=2\n"
    );
    if let Some(c) = country {
        let _ = writeln!(out, "country={c}");
    }
    let _ = write!(
        out,
        "network={{\n\
         \tssid={}\n\
         \t# WPA3-Personal where the network offers it, WPA2-Personal otherwise.\n\
         \tkey_mgmt=WPA-PSK SAE\n\
         \tieee80211w=1\n\
         \tpsk=\"{}\"\n\
         \tsae_password=\"{}\"\n\
         \tscan_ssid=1\n\
         }}\n",
        ssid_value(&uplink.wifi_ssid),
        uplink.wifi_passphrase,
        uplink.wifi_passphrase
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wpa2_and_wpa3_with_optional_pmf() {
        let u = UplinkConfig {
            interface: "wlan0".into(),
            wifi_ssid: "School WiFi".into(),
            wifi_passphrase: "correct horse".into(),
            ..UplinkConfig::default()
        };
        let t = render(&u, Some("DE"), "/boot/whereflow-settings.toml");
        assert!(
            t.contains("\nctrl_interface=DIR=/run/wpa_supplicant GROUP=whereflow\n"),
            "{t}"
        );
        assert!(t.contains("\ncountry=DE\n"), "{t}");
        assert!(t.contains("\tssid=\"School WiFi\"\n\t# WPA3"), "{t}");
        assert!(
            t.contains("\tkey_mgmt=WPA-PSK SAE\n\tieee80211w=1\n\tpsk=\"correct horse\"\n"),
            "{t}"
        );
        let u = UplinkConfig {
            wifi_ssid: "Café \"x\"".into(),
            ..u
        };
        let t = render(&u, None, "s");
        assert!(t.contains("\tssid=436166c3a920227822\n"), "{t}");
        assert!(!t.contains("country="), "{t}");
    }
}
