//! Which WiFi channels the access point may use, per country (from wireless-regdb).
//!
//! The rule, the same for every country: a 20 MHz channel is allowed when wireless-regdb lets
//! an access point start on it in that country **without radar detection** — the rule that
//! covers the channel has none of the NO-IR, DFS or NO-OFDM flags. Indoor-only channels count
//! (the appliance is used indoors). So:
//!
//! - 2.4 GHz: channels 1–11 everywhere; 12 and 13 where the country allows them (most of the
//!   world, not the US). Channel 14 (802.11b only, Japan) is never offered.
//! - 5 GHz: mostly 36, 40, 44, 48, and in many countries 149–165; the radar channels
//!   (52–144 in most countries) are not offered, because an access point there must listen for
//!   radar for a minute before starting and leave when it hears one.
//!
//! The table is generated from wireless-regdb's `regulatory.db` (see `regdomain_table.rs`).

use super::regdomain_table::{CHANNELS_5GHZ, COUNTRIES};
use crate::config::{invalid, ConfigError};

/// A WiFi band.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Band {
    /// 2.4 GHz (802.11g/n, `hw_mode=g`): every device has it, walls matter less.
    #[default]
    Ghz2_4,
    /// 5 GHz (802.11a/n, `hw_mode=a`): less crowded; not on a Pi 3B or Zero 2 W.
    Ghz5,
}

impl Band {
    /// How the settings file writes it: `"2.4"` or `"5"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Band::Ghz2_4 => "2.4",
            Band::Ghz5 => "5",
        }
    }

    /// How the catalogues' selectors name it (`$band`, `$other`): `ghz24` or `ghz5`.
    pub fn key(self) -> &'static str {
        match self {
            Band::Ghz2_4 => "ghz24",
            Band::Ghz5 => "ghz5",
        }
    }

    /// The channel used when `wifi.channel` is not set: 6 (2.4 GHz) or 36 (5 GHz), allowed in
    /// every country that allows the band at all.
    pub fn default_channel(self) -> u16 {
        match self {
            Band::Ghz2_4 => 6,
            Band::Ghz5 => 36,
        }
    }

    /// The channels of this band that exist as 20 MHz access point channels here.
    pub fn channels(self) -> Vec<u16> {
        match self {
            Band::Ghz2_4 => (1..=13).collect(),
            Band::Ghz5 => CHANNELS_5GHZ.iter().map(|&c| u16::from(c)).collect(),
        }
    }
}

impl std::fmt::Display for Band {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} GHz", self.as_str())
    }
}

impl<'de> serde::Deserialize<'de> for Band {
    /// `"2.4"` or `"5"` (also written as the numbers `2.4` and `5`, or with `GHz` after).
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Band, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = Band;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("\"2.4\" or \"5\" (GHz)")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Band, E> {
                let t = v.trim();
                let t = t
                    .strip_suffix("GHz")
                    .or_else(|| t.strip_suffix("ghz"))
                    .unwrap_or(t)
                    .trim();
                match t {
                    "2.4" | "2" => Ok(Band::Ghz2_4),
                    "5" => Ok(Band::Ghz5),
                    _ => Err(E::invalid_value(serde::de::Unexpected::Str(v), &self)),
                }
            }
            fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Band, E> {
                if (v - 2.4).abs() < 1e-9 {
                    Ok(Band::Ghz2_4)
                } else if (v - 5.0).abs() < 1e-9 {
                    Ok(Band::Ghz5)
                } else {
                    Err(E::invalid_value(serde::de::Unexpected::Float(v), &self))
                }
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Band, E> {
                match v {
                    5 => Ok(Band::Ghz5),
                    _ => Err(E::invalid_value(serde::de::Unexpected::Signed(v), &self)),
                }
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Band, E> {
                match v {
                    5 => Ok(Band::Ghz5),
                    _ => Err(E::invalid_value(serde::de::Unexpected::Unsigned(v), &self)),
                }
            }
        }
        d.deserialize_any(V)
    }
}

/// The table row of a country code (any case), if wireless-regdb knows it. `00` (the world
/// domain) is not a country.
fn row(code: &str) -> Option<&'static (&'static str, u16, u32)> {
    if code.len() != 2 || code == "00" {
        return None;
    }
    let upper = code.to_ascii_uppercase();
    COUNTRIES
        .binary_search_by(|(c, _, _)| (*c).cmp(upper.as_str()))
        .ok()
        .map(|i| &COUNTRIES[i])
}

/// Whether wireless-regdb knows this ISO 3166 alpha-2 country code (any case).
pub fn is_known_country(code: &str) -> bool {
    row(code).is_some()
}

/// The channels an access point may use in `band` in `country` (`None`: the world domain,
/// which allows 2.4 GHz channels 1–11 and no 5 GHz channel). Empty for an unknown country.
pub fn allowed_channels(country: Option<&str>, band: Band) -> Vec<u16> {
    let (b24, b5) = match country {
        None => {
            let world = COUNTRIES.iter().find(|(c, _, _)| *c == "00");
            match world {
                Some(&(_, b24, b5)) => (b24, b5),
                None => (0, 0),
            }
        }
        Some(c) => match row(c) {
            Some(&(_, b24, b5)) => (b24, b5),
            None => return Vec::new(),
        },
    };
    match band {
        Band::Ghz2_4 => (1..=13u16).filter(|ch| b24 & (1 << ch) != 0).collect(),
        Band::Ghz5 => CHANNELS_5GHZ
            .iter()
            .enumerate()
            .filter(|(i, _)| b5 & (1 << i) != 0)
            .map(|(_, &ch)| u16::from(ch))
            .collect(),
    }
}

/// Why a channel is refused, as the error of `key` (`wifi.channel` or `wifi.band`, in words
/// for the problems file); `None` when it is allowed.
pub fn channel_problem(
    key: &'static str,
    country: Option<&str>,
    band: Band,
    channel: u16,
) -> Option<ConfigError> {
    let args = |other: &str, allowed: String| {
        [
            ("channel", channel.to_string()),
            ("band", band.to_string()),
            ("country", country.unwrap_or_default().to_ascii_uppercase()),
            ("other", other.to_owned()),
            ("allowed", allowed),
        ]
    };
    if !band.channels().contains(&channel) {
        let (id, other) = match band {
            Band::Ghz2_4 if Band::Ghz5.channels().contains(&channel) => {
                ("config-channel-band-24", "ghz5")
            }
            Band::Ghz2_4 => ("config-channel-band-24", "none"),
            Band::Ghz5 if Band::Ghz2_4.channels().contains(&channel) => {
                ("config-channel-band-5", "ghz24")
            }
            Band::Ghz5 => ("config-channel-band-5", "none"),
        };
        return Some(invalid(key, id, args(other, String::new())));
    }
    let allowed = allowed_channels(country, band);
    if allowed.contains(&channel) {
        return None;
    }
    let id = match (allowed.is_empty(), country.is_some()) {
        (true, true) => "config-band-not-allowed",
        (true, false) => "config-band-not-allowed-no-country",
        (false, true) => "config-channel-not-allowed",
        (false, false) => "config-channel-not-allowed-no-country",
    };
    let list: Vec<String> = allowed.iter().map(u16::to_string).collect();
    Some(invalid(key, id, args("none", list.join(", "))))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_sorted_and_knows_common_countries() {
        assert!(COUNTRIES.windows(2).all(|w| w[0].0 < w[1].0));
        for c in ["DE", "fr", "GB", "US", "JP", "CN", "IN", "BR", "AU", "ZA"] {
            assert!(is_known_country(c), "{c}");
        }
        for c in ["XX", "00", "D", "DEU", "", "uk"] {
            assert!(!is_known_country(c), "{c}");
        }
    }

    #[test]
    fn channels_per_country() {
        let us = allowed_channels(Some("US"), Band::Ghz2_4);
        assert_eq!(us, (1..=11).collect::<Vec<_>>());
        let de = allowed_channels(Some("DE"), Band::Ghz2_4);
        assert_eq!(de, (1..=13).collect::<Vec<_>>());
        let de5 = allowed_channels(Some("de"), Band::Ghz5);
        assert!(de5.starts_with(&[36, 40, 44, 48]), "{de5:?}");
        // Radar channels are never offered.
        for c in ["DE", "US", "GB", "JP", "FR"] {
            let five = allowed_channels(Some(c), Band::Ghz5);
            assert!(
                !five.iter().any(|ch| (52..=144).contains(ch)),
                "{c}: {five:?}"
            );
        }
        // The world domain: no 5 GHz access point at all.
        assert!(allowed_channels(None, Band::Ghz5).is_empty());
        assert_eq!(
            allowed_channels(None, Band::Ghz2_4),
            (1..=11).collect::<Vec<_>>()
        );
    }

    #[test]
    fn the_default_channels_are_allowed_in_common_countries() {
        for c in [
            "DE", "FR", "GB", "US", "JP", "CA", "AU", "NL", "CH", "AT", "ES", "IT",
        ] {
            for band in [Band::Ghz2_4, Band::Ghz5] {
                assert_eq!(
                    channel_problem("wifi.channel", Some(c), band, band.default_channel())
                        .map(|e| e.to_string()),
                    None,
                    "{c} {band}"
                );
            }
        }
    }

    #[test]
    fn problems_say_why() {
        let p = channel_problem("wifi.channel", Some("US"), Band::Ghz2_4, 13)
            .unwrap()
            .to_string();
        assert!(p.contains("in US") && p.contains("1, 2, 3"), "{p}");
        let p = channel_problem("wifi.channel", Some("DE"), Band::Ghz2_4, 36)
            .unwrap()
            .to_string();
        assert!(p.contains("wifi.band = \"5\""), "{p}");
        let p = channel_problem("wifi.channel", Some("DE"), Band::Ghz5, 6)
            .unwrap()
            .to_string();
        assert!(p.contains("wifi.band = \"2.4\""), "{p}");
        let p = channel_problem("wifi.channel", Some("DE"), Band::Ghz5, 100)
            .unwrap()
            .to_string();
        assert!(p.contains("radar"), "{p}");
        let p = channel_problem("wifi.channel", None, Band::Ghz5, 36)
            .unwrap()
            .to_string();
        assert!(p.contains("may not use 5 GHz"), "{p}");
        assert!(channel_problem("wifi.channel", Some("DE"), Band::Ghz2_4, 14).is_some());
    }
}
