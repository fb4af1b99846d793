//! What `whereflow setup` says on the console (at boot the Raspberry Pi's only screen, read
//! by whoever set it up): catalogue words said in `site.language`, so a teacher who does not
//! read English understands them. The log keeps English ([`SetupWords::english`]).

use crate::i18n::Tr;
use crate::status::StatusWords;

/// The family of setup's console lines: `setup-<id>` of `settings.ftl`.
#[derive(Debug)]
pub enum SetupLines {}

impl crate::i18n::Family for SetupLines {
    const PREFIX: &'static str = "setup-";
}

/// The message `setup-<id>` of `settings.ftl` with its arguments (names, paths, numbers as
/// digits; `error`: the OS's or another program's own words, as they came).
pub type SetupWords = crate::i18n::Words<SetupLines>;

/// One line `whereflow setup` prints: its own words, or a radio note the daemon shows too.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ConsoleLine {
    /// Setup's own (`setup-...`).
    Setup(SetupWords),
    /// A note about the radios, also in the daemon's status (`status-radio-...`).
    Note(StatusWords),
}

impl ConsoleLine {
    /// In the language of `tr`.
    pub fn say(&self, tr: Tr) -> String {
        match self {
            ConsoleLine::Setup(w) => w.say(tr),
            ConsoleLine::Note(w) => w.say(tr),
        }
    }
}

impl From<SetupWords> for ConsoleLine {
    fn from(w: SetupWords) -> Self {
        ConsoleLine::Setup(w)
    }
}

impl From<StatusWords> for ConsoleLine {
    fn from(w: StatusWords) -> Self {
        ConsoleLine::Note(w)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;

    /// Arguments as setup gives them (a USB radio, an OS error), for any message.
    fn sample_args() -> Vec<(&'static str, String)> {
        [
            ("files", "hostapd.conf, daemon.toml"),
            ("dir", "/run/whereflow"),
            ("file", "/boot/whereflow-problems.txt"),
            ("ssid", "Room 4"),
            ("band", "ghz5"),
            ("channel", "36"),
            ("security", "wpa2-wpa3"),
            ("asked", "wpa2-wpa3"),
            ("name", "\"wlan1\""),
            ("interface", "wlan1"),
            ("driver", "mt76x2u"),
            ("bus", "usb"),
            ("onboard", "wlan0"),
            ("error", "Read-only file system (os error 30)"),
        ]
        .into_iter()
        .map(|(k, v)| (k, v.to_owned()))
        .collect()
    }

    #[test]
    fn every_setup_message_is_said_in_every_language() {
        let english = include_str!("../../locales/en/settings.ftl");
        let ids: Vec<&'static str> = english
            .lines()
            .filter_map(|l| l.strip_prefix("setup-")?.split_once(" = "))
            .map(|(id, _)| id)
            .collect();
        assert!(ids.len() > 20, "{ids:?}");
        for id in ids {
            let w = SetupWords::new(id, sample_args());
            let en = w.english();
            for lang in Lang::ALL {
                let said = w.say(Tr::new(lang));
                assert!(!said.contains('⟦') && !said.contains('{'), "{lang}: {said}");
                if lang != Lang::En {
                    assert_ne!(said, en, "setup-{id} is not translated");
                }
            }
        }
        // The selectors: the band and the security, said in each language.
        let w = SetupWords::new("good", sample_args());
        assert!(w.english().contains("5 GHz channel 36"), "{w}");
        let mut args = sample_args();
        args.retain(|(k, _)| *k != "band");
        args.push(("band", "ghz24".into()));
        let w = SetupWords::new("good", args);
        assert!(w.english().contains("2.4 GHz channel 36"), "{w}");
        assert!(
            w.say(Tr::new(Lang::De)).contains("2,4 GHz, Kanal 36"),
            "{w}"
        );
        let w = SetupWords::new("security-as-written", sample_args());
        assert_eq!(
            w.say(Tr::new(Lang::Fr)),
            "sécurité WiFi : mode de transition WPA2/WPA3 avec trames de gestion protégées \
             (wifi.security « wpa2-wpa3 »)"
        );
    }
}
