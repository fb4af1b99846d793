//! `whereflow setup`: from the settings file to every system file, at each boot.
//!
//! 1. Read and check the settings file; every problem is listed ([`super::settings`]).
//! 2. With no problem: the access point, firewall, DHCP and daemon files from the settings.
//!    With any problem: the same files for the fallback access point ([`super::fallback`]),
//!    and the problems file on the boot partition, also printed on the console.
//! 3. A plain admin password in the settings file is replaced there by its argon2 hash.
//!
//! Rendering is pure ([`render_all`]); [`run`] adds the file system.

use std::path::{Path, PathBuf};

use crate::config::{Config, UplinkConfig};
use crate::i18n::{Lang, Tr};
use crate::system::console::{ConsoleLine, SetupWords};
use crate::system::hostapd::{self, AccessPoint};
use crate::system::network::{AP_ADDRESS, AP_INTERFACE, AP_PREFIX};
use crate::system::radio::{self, RadioCaps};
use crate::system::radios::{self, Candidate};
use crate::system::settings::{self, Problem, Settings};
use crate::system::{dnsmasq, fallback, nftables, problems, runtime, wpa_supplicant};

/// What `whereflow setup` reads and writes.
#[derive(Clone, Debug)]
pub struct SetupOptions {
    /// The settings file (`/boot/whereflow-settings.toml`).
    pub settings: PathBuf,
    /// The directory the rendered files go to (`/run/whereflow`).
    pub out: PathBuf,
    /// The problems file (`/boot/whereflow-problems.txt`): written when there are problems,
    /// removed when there are none.
    pub problems_file: PathBuf,
    /// Where the fallback passphrase is kept (`/data/whereflow-setup-passphrase`).
    pub fallback_passphrase_file: PathBuf,
    /// The problems file as the daemon is told of it, when not `problems_file` itself: the
    /// daemon cannot write to the read-only boot partition, so on the appliance it keeps its
    /// notes in a copy the init scripts carry over (`S50whereflow`).
    pub daemon_problems_file: Option<PathBuf>,
    /// The image's defaults for the daemon (`/etc/whereflow/image-defaults.toml`), if any: used
    /// where the settings set nothing.
    pub image_defaults: Option<PathBuf>,
    /// A problem found outside the settings (e.g. hostapd refused the rendered access point):
    /// renders the fallback with this reason.
    pub fallback_reason: Option<FallbackReason>,
    /// Replace a plain `admin.password` in the settings file by `admin.password_hash`.
    pub rewrite_admin_password: bool,
    /// Where the WiFi radios are found (`/sys`).
    pub sysfs: PathBuf,
}

/// Why the settings that passed the check cannot be used after all (found by the init
/// scripts), said on the problems file.
#[derive(Clone, Debug)]
pub enum FallbackReason {
    /// hostapd refused the rendered access point; its last log lines (English, its own).
    HostapdRefused(String),
    /// Any other reason, in the caller's words (English only).
    Other(String),
}

impl FallbackReason {
    /// The problem it is (of the key `wifi`).
    fn problem(&self) -> Problem {
        match self {
            FallbackReason::HostapdRefused(log) => Problem::said(
                "wifi",
                "problem-hostapd-refused",
                [("log", log.trim().to_owned())],
            ),
            FallbackReason::Other(why) => Problem::new("wifi", why.clone()),
        }
    }
}

/// A setup failure: a file could not be written (problems with the settings are not
/// failures, they give the fallback).
#[derive(Debug, thiserror::Error)]
pub enum SetupError {
    /// A rendered file could not be written.
    #[error("cannot write {path}: {source}")]
    Write {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The admin password could not be hashed.
    #[error("cannot hash the admin password: {0}")]
    Hash(String),
}

impl SetupError {
    /// For the console: the message `setup-cannot-write` or `setup-cannot-hash`.
    pub fn words(&self) -> SetupWords {
        match self {
            SetupError::Write { path, source } => SetupWords::new(
                "cannot-write",
                [
                    ("file", path.display().to_string()),
                    ("error", source.to_string()),
                ],
            ),
            SetupError::Hash(e) => SetupWords::new("cannot-hash", [("error", e.clone())]),
        }
    }
}

/// A setup failure and the language of the settings, which the console speaks.
#[derive(Debug, thiserror::Error)]
#[error("{error}")]
pub struct SetupFailed {
    /// What failed.
    pub error: SetupError,
    /// The settings' `site.language`.
    pub language: Lang,
}

/// The rendered files and what was found.
#[derive(Debug)]
pub struct Rendered {
    /// File name (in the output directory) and contents.
    pub files: Vec<(&'static str, String)>,
    /// Every problem found; empty when the settings are used.
    pub problems: Vec<Problem>,
    /// The access point that will run.
    pub ap: AccessPoint,
    /// Whether it is the fallback.
    pub fallback: bool,
    /// The problems file's text, when there are problems.
    pub problems_text: Option<String>,
    /// Which WiFi security the settings' access point got and why, for the console (`None`:
    /// the fallback).
    pub security_choice: Option<SetupWords>,
}

/// Names of the rendered files.
pub const HOSTAPD_CONF: &str = "hostapd.conf";
/// DHCP only.
pub const DNSMASQ_CONF: &str = "dnsmasq.conf";
/// Firewall and NAT.
pub const NFTABLES_CONF: &str = "nftables.conf";
/// The scan detector's NFLOG rule (loaded apart from the firewall).
pub const NFTABLES_DETECT_CONF: &str = "nftables-detect.conf";
/// The daemon's runtime configuration.
pub const DAEMON_TOML: &str = "daemon.toml";
/// Shell variables for the init scripts.
pub const SYSTEM_ENV: &str = "system.env";
/// The WiFi uplink (only with one).
pub const WPA_SUPPLICANT_CONF: &str = "wpa_supplicant.conf";

/// Everything [`render_all`] needs besides the settings.
pub struct RenderContext<'a> {
    /// The settings file's path (for headers and messages).
    pub settings_path: &'a Path,
    /// The problems file the daemon reads.
    pub problems_file: &'a Path,
    /// The image's defaults for the daemon.
    pub image_defaults: Option<&'a toml_edit::DocumentMut>,
    /// The admin password's hash, when the settings give a password.
    pub admin_password_hash: Option<&'a str>,
    /// Problems found elsewhere (they give the fallback too).
    pub extra: &'a [Problem],
    /// What the access point's radio can do (`None`: not read, or could not be).
    pub radio: Option<&'a RadioCaps>,
    /// The access point's radio (`wlan0`; a USB adapter's `wlan1`), chosen by
    /// [`choose_radio`]; the fallback runs there too.
    pub ap_interface: &'a str,
    /// What the daemon should show about the radios (`system.notes`).
    pub notes: &'a [crate::status::StatusWords],
}

/// Render every file from checked `settings`; `fallback_passphrase` is called only when the
/// fallback is needed.
pub fn render_all(
    settings: &Settings,
    cx: &RenderContext<'_>,
    fallback_passphrase: impl FnOnce() -> String,
) -> Rendered {
    let source = cx.settings_path.display().to_string();
    let problems_file = cx.problems_file;
    let mut found: Vec<Problem> = settings.problems.clone();
    found.extend(cx.extra.iter().cloned());

    let choice = match &settings.config {
        Some(c) if found.is_empty() => match radio::choose(c.wifi.security, cx.radio) {
            Ok(choice) => Some(choice),
            Err(p) => {
                found.push(p);
                None
            }
        },
        _ => None,
    };
    if let Some(choice) = choice {
        if let (Some(config), Some(doc)) = (&settings.config, &settings.document) {
            let ap = AccessPoint::from_wifi(&config.wifi, choice.security, cx.ap_interface);
            let toml = runtime::render(&runtime::RuntimeInputs {
                settings: Some(doc),
                image_defaults: cx.image_defaults,
                ap: &ap,
                admin_password_hash: cx.admin_password_hash,
                problems_file,
                source: &source,
                notes: cx.notes,
            });
            // The daemon reads exactly this: check it the way the daemon will.
            match final_check(&toml) {
                Ok(checked) => {
                    return Rendered {
                        files: files(&ap, &config.uplink, toml, &checked, false, &source),
                        problems: Vec::new(),
                        ap,
                        fallback: false,
                        problems_text: None,
                        security_choice: Some(choice.reason),
                    };
                }
                Err(p) => found.push(p),
            }
        }
    }

    // The fallback: the defaults alone, the setup access point, and the uplink if it is good
    // (a WiFi uplink only on a radio the access point leaves free).
    let ap = fallback::access_point(&fallback_passphrase(), cx.ap_interface);
    let uplink = settings
        .config
        .as_ref()
        .map(|c| c.uplink.clone())
        .filter(|u| u.validate().is_ok() && u.interface != ap.interface)
        .unwrap_or_default();
    let toml = runtime::render(&runtime::RuntimeInputs {
        settings: None,
        image_defaults: cx.image_defaults,
        ap: &ap,
        admin_password_hash: None,
        problems_file,
        source: &source,
        notes: cx.notes,
    });
    let checked = final_check(&toml).unwrap_or_default();
    let text = problems::render(&source, &found, &ap, Tr::new(settings.language));
    Rendered {
        files: files(&ap, &uplink, toml, &checked, true, &source),
        problems: found,
        ap,
        fallback: true,
        problems_text: Some(text),
        security_choice: None,
    }
}

/// Parse and validate the runtime configuration; the configuration, or the problem.
fn final_check(toml: &str) -> Result<Config, Problem> {
    let checked = Config::parse(toml, Path::new(DAEMON_TOML)).and_then(|c| {
        c.validate()?;
        Ok(c)
    });
    checked.map_err(|e| Problem::from_config_error(&e, DAEMON_TOML).within("problem-with-defaults"))
}

fn files(
    ap: &AccessPoint,
    uplink: &UplinkConfig,
    toml: String,
    config: &Config,
    fallback: bool,
    source: &str,
) -> Vec<(&'static str, String)> {
    let iface = &uplink.interface;
    let mut out = vec![
        (HOSTAPD_CONF, hostapd::render(ap, source)),
        (DNSMASQ_CONF, dnsmasq::render(source, &ap.interface, iface)),
        (
            NFTABLES_CONF,
            nftables::render(
                source,
                &ap.interface,
                iface,
                config.metrics.listen.map(|a| a.port()),
            ),
        ),
        (NFTABLES_DETECT_CONF, nftables::render_detect(source)),
        (DAEMON_TOML, toml),
        (SYSTEM_ENV, env(&ap.interface, uplink, config, fallback)),
    ];
    if uplink.is_wifi() {
        out.push((
            WPA_SUPPLICANT_CONF,
            wpa_supplicant::render(uplink, ap.country.as_deref(), source),
        ));
    }
    out
}

/// `system.env`: shell variables for the init scripts (all values are checked names and
/// numbers, safe to source). `WF_DNS_FROM_UPLINK=yes`: the daemon takes its upstream DNS
/// servers from `/etc/resolv.conf` (no `dns.upstreams`), which the uplink's DHCP writes.
/// `WF_UPLINK_WIFI=yes`: the uplink joins a WiFi network with `wpa_supplicant.conf`.
fn env(ap: &str, uplink: &UplinkConfig, config: &Config, fallback: bool) -> String {
    let yes_no = |b: bool| if b { "yes" } else { "no" };
    format!(
        "# Rendered at boot by `whereflow setup`: what the init scripts need to know.\n\
         WF_AP_INTERFACE={ap}\n\
         WF_AP_ADDRESS={AP_ADDRESS}/{AP_PREFIX}\n\
         WF_UPLINK={}\n\
         WF_UPLINK_WIFI={}\n\
         WF_WEB_PORT={}\n\
         WF_DNS_FROM_UPLINK={}\n\
         WF_FALLBACK={}\n",
        uplink.interface,
        yes_no(uplink.is_wifi()),
        config.web.listen.port(),
        yes_no(config.dns.upstreams.is_empty()),
        yes_no(fallback)
    )
}

/// What [`run`] did.
#[derive(Debug)]
pub struct SetupReport {
    /// The rendered files and problems.
    pub rendered: Rendered,
    /// Things that did not stop setup but the person should know (printed on the console).
    pub notes: Vec<ConsoleLine>,
    /// The language the console speaks: the settings' `site.language` (English when the
    /// settings cannot be read).
    pub language: Lang,
}

/// `whereflow setup`: read, check, render, write.
pub fn run(opts: &SetupOptions) -> Result<SetupReport, SetupFailed> {
    let settings = settings::read(&opts.settings);
    let failed = |error| SetupFailed {
        error,
        language: settings.language,
    };
    let mut notes = Vec::new();
    let mut extra: Vec<Problem> = opts
        .fallback_reason
        .iter()
        .map(FallbackReason::problem)
        .collect();
    // Which radio serves the room (and whether a WiFi uplink leaves one for it).
    // Settings with problems are not used: the setup network goes where "auto" puts it, so a
    // WiFi uplink named in a file that was refused does not push it onto another radio.
    let usable = settings
        .config
        .as_ref()
        .filter(|_| settings.problems.is_empty());
    let radio_choice = choose_radio(&opts.sysfs, usable);
    notes.extend(radio_choice.console.iter().cloned());
    extra.extend(radio_choice.problem.iter().cloned());

    // Hash a plain admin password (only from settings that will be used).
    let mut hash = None;
    if settings.problems.is_empty() && extra.is_empty() {
        if let Some(pw) = settings
            .config
            .as_ref()
            .and_then(|c| c.admin.password.as_deref())
        {
            let h = hash_password(pw).map_err(failed)?;
            if opts.rewrite_admin_password {
                if let Err(e) = rewrite_admin_password(&opts.settings, &h) {
                    notes.push(
                        SetupWords::new(
                            "password-plain",
                            [("file", opts.settings.display().to_string()), ("error", e)],
                        )
                        .into(),
                    );
                }
            }
            hash = Some(h);
        }
    }

    let image_defaults = opts.image_defaults.as_deref().and_then(|path| {
        let not_used = |e: String| {
            SetupWords::new(
                "image-defaults-unused",
                [("file", path.display().to_string()), ("error", e)],
            )
            .into()
        };
        let text = match std::fs::read_to_string(path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return None,
            Err(e) => {
                notes.push(not_used(e.to_string()));
                return None;
            }
        };
        match text.parse::<toml_edit::DocumentMut>() {
            Ok(d) => Some(d),
            Err(e) => {
                notes.push(not_used(e.to_string()));
                None
            }
        }
    });
    let caps = radio_choice.caps;
    let mut passphrase_note = None;
    let cx = RenderContext {
        settings_path: &opts.settings,
        problems_file: opts
            .daemon_problems_file
            .as_deref()
            .unwrap_or(&opts.problems_file),
        image_defaults: image_defaults.as_ref(),
        admin_password_hash: hash.as_deref(),
        extra: &extra,
        radio: caps.as_ref(),
        ap_interface: &radio_choice.interface,
        notes: &radio_choice.daemon_notes,
    };
    let rendered = render_all(&settings, &cx, || {
        let (p, note) = fallback::passphrase(&opts.fallback_passphrase_file);
        passphrase_note = note;
        p
    });
    notes.extend(passphrase_note.map(ConsoleLine::from));

    std::fs::create_dir_all(&opts.out)
        .map_err(|source| SetupError::Write {
            path: opts.out.clone(),
            source,
        })
        .map_err(failed)?;
    for (name, text) in &rendered.files {
        // Two files hold the WiFi passphrase; the init scripts give the daemon's to its group.
        let mode = match *name {
            HOSTAPD_CONF => 0o600,
            DAEMON_TOML => 0o640,
            _ => 0o644,
        };
        write_atomic(&opts.out.join(name), text, mode).map_err(failed)?;
    }
    let problems_file = || ("file", opts.problems_file.display().to_string());
    // A note about the problems file, with the OS's error if there is one.
    let file_note = |id, e: Option<std::io::Error>| -> ConsoleLine {
        SetupWords::new(
            id,
            std::iter::once(problems_file()).chain(e.map(|e| ("error", e.to_string()))),
        )
        .into()
    };
    match &rendered.problems_text {
        Some(text) => {
            let written =
                crate::sys::fs::write_atomic_mode(&opts.problems_file, text.as_bytes(), 0o644);
            if let Err(e) = written {
                notes.push(file_note("problems-unwritten", Some(e)));
            }
        }
        None => match std::fs::remove_file(&opts.problems_file) {
            Ok(()) => notes.push(file_note("problems-removed", None)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => notes.push(file_note("problems-not-removed", Some(e))),
        },
    }
    // What is worth knowing about the radios (an adapter without AP mode, a second USB
    // adapter left unused) goes to the problems file too, as a note below its problems:
    // whoever holds the SD card sees it without a screen.
    if !radio_choice.daemon_notes.is_empty() {
        let tr = Tr::new(settings.language);
        let text = radio_choice
            .daemon_notes
            .iter()
            .map(|n| problems::note_text(n, tr))
            .collect::<Vec<_>>()
            .join("; ");
        if let Err(e) = problems::set_note_said(
            &opts.problems_file,
            settings.language,
            "note-radio",
            &[],
            &text,
        ) {
            notes.push(file_note("radios-not-noted", Some(e)));
        }
    }
    Ok(SetupReport {
        rendered,
        notes,
        language: settings.language,
    })
}

/// The access point's radio as [`choose_radio`] found it.
#[derive(Debug)]
pub struct RadioChoice {
    /// The interface the access point (or the fallback) runs on.
    pub interface: String,
    /// What it can do (`None`: not read).
    pub caps: Option<RadioCaps>,
    /// Why the settings cannot be used as they are (no radio can serve; a WiFi uplink on
    /// the only radio; `wifi.interface` not there or without AP mode).
    pub problem: Option<Problem>,
    /// For the console: which radio and why, and every note.
    pub console: Vec<ConsoleLine>,
    /// For the daemon's status (`system.notes`): notes worth a warning (a second USB adapter
    /// left unused, an adapter without AP mode).
    pub daemon_notes: Vec<crate::status::StatusWords>,
}

/// How long setup waits for a WiFi radio to appear.
const WAIT_FOR_RADIO: std::time::Duration = std::time::Duration::from_secs(5);

/// Choose the access point's radio among those under `sysfs` for `config` (`None`: the
/// settings could not be read: `"auto"`, no WiFi uplink). No radio at all is not a problem
/// here: the access point's init script says so, and a radio plugged in later is used.
pub fn choose_radio(sysfs: &Path, config: Option<&Config>) -> RadioChoice {
    // A driver may still be loading its firmware at boot: wait a little for a radio.
    let start = std::time::Instant::now();
    let mut found = radios::discover(sysfs);
    while found.is_empty() && sysfs.join("class/net").exists() && start.elapsed() < WAIT_FOR_RADIO {
        std::thread::sleep(std::time::Duration::from_millis(200));
        found = radios::discover(sysfs);
    }
    let wanted = config.and_then(|c| c.wifi.explicit_interface());
    let uplink = config
        .filter(|c| c.uplink.is_wifi())
        .map(|c| c.uplink.interface.as_str());
    if found.is_empty() {
        let interface = wanted.unwrap_or(AP_INTERFACE).to_owned();
        return RadioChoice {
            console: vec![SetupWords::new("no-radio", [("interface", interface.clone())]).into()],
            interface,
            caps: None,
            problem: None,
            daemon_notes: Vec::new(),
        };
    }
    let mut console = Vec::new();
    let candidates: Vec<Candidate> = found
        .into_iter()
        .map(|r| {
            let caps = match radio::read_phy(&r.phy) {
                Ok(c) => Some(c),
                Err(e) => {
                    console.push(
                        SetupWords::new(
                            "caps-unread",
                            radios::name_args("", Some(&r))
                                .into_iter()
                                .chain([("error", e.to_string())]),
                        )
                        .into(),
                    );
                    None
                }
            };
            Candidate { radio: r, caps }
        })
        .collect();
    let caps_of = |iface: &str| {
        candidates
            .iter()
            .find(|c| c.radio.interface == iface)
            .and_then(|c| c.caps)
    };
    match radios::choose(&candidates, wanted, uplink) {
        Ok(ch) => {
            // Debug, not info: the console line below says it in the settings' language, and
            // at boot the log goes to the same console.
            tracing::debug!(radio = %ch.radio.interface, "{}", ch.reason);
            console.push(ch.reason.into());
            console.extend(ch.notes.iter().cloned().map(ConsoleLine::from));
            RadioChoice {
                caps: caps_of(&ch.radio.interface),
                interface: ch.radio.interface,
                problem: None,
                console,
                daemon_notes: ch.notes,
            }
        }
        Err(p) => {
            // The setup access point goes where "auto" would put it with no uplink.
            let interface = radios::choose(&candidates, None, None)
                .map(|c| c.radio)
                .ok()
                .or_else(|| candidates.first().map(|c| c.radio.clone()))
                .map_or_else(|| AP_INTERFACE.to_owned(), |r| r.interface);
            RadioChoice {
                caps: caps_of(&interface),
                interface,
                problem: Some(p),
                console,
                daemon_notes: Vec::new(),
            }
        }
    }
}

/// Write `text` to `path` with `mode`, atomically and durably.
fn write_atomic(path: &Path, text: &str, mode: u32) -> Result<(), SetupError> {
    crate::sys::fs::write_atomic_mode(path, text.as_bytes(), mode).map_err(|source| {
        SetupError::Write {
            path: path.to_owned(),
            source,
        }
    })
}

/// The argon2id hash of `password` (the admin pages' own hashing).
pub fn hash_password(password: &str) -> Result<String, SetupError> {
    crate::config::password::hash(password).map_err(|e| SetupError::Hash(e.to_string()))
}

/// Replace `admin.password` by `admin.password_hash` in the settings file, keeping the rest
/// of the file as written (the admin pages' careful editor: checked, atomic).
fn rewrite_admin_password(path: &Path, hash: &str) -> Result<(), String> {
    use crate::config::file_rewrite;
    let old = std::fs::read_to_string(path).map_err(|e| e.to_string())?;
    let new = file_rewrite::replace_password(&old, hash).map_err(|e| e.to_string())?;
    file_rewrite::write_checked(path, &old, &new, |c| {
        c.admin.password = None;
        c.admin.password_hash = Some(hash.to_owned());
    })
    .map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = include_str!("../../tests/data/settings/good.toml");
    const BAD: &str = include_str!("../../tests/data/settings/bad.toml");
    /// A valid argon2id hash (of "admin password 1" with a fixed salt), so output is exact.
    const HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$\
                        ZX2Y5zy1AbSgGiHzsO4YGq5cJ2eLeGd1U3ZS4XqN9Ck";
    const SETTINGS: &str = "/boot/whereflow-settings.toml";
    const PROBLEMS: &str = "/boot/whereflow-problems.txt";

    /// Compare with `tests/data/settings/<dir>/<name>`; `WHEREFLOW_BLESS=1` rewrites it.
    fn assert_expected(dir: &str, name: &str, got: &str) {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/data/settings")
            .join(dir)
            .join(name);
        if std::env::var_os("WHEREFLOW_BLESS").is_some() {
            std::fs::write(&path, got).unwrap();
        }
        let want =
            std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        assert_eq!(got, want, "{} differs", path.display());
    }

    fn render(text: &str, extra: &[Problem]) -> Rendered {
        render_with_radio(text, extra, None)
    }

    fn render_with_radio(text: &str, extra: &[Problem], radio: Option<&RadioCaps>) -> Rendered {
        let s = settings::check(text, Path::new(SETTINGS));
        let cx = RenderContext {
            settings_path: Path::new(SETTINGS),
            problems_file: Path::new(PROBLEMS),
            image_defaults: None,
            admin_password_hash: Some(HASH),
            extra,
            radio,
            ap_interface: "wlan0",
            notes: &[],
        };
        render_all(&s, &cx, || "abcd-efgh-jkmn".to_owned())
    }

    /// A mac80211 radio (hostapd does SAE) with BIP-CMAC-128, and one that authenticates in
    /// its firmware without SAE offload (brcmfmac on the Pi).
    const MAC80211: RadioCaps = RadioCaps {
        ap_mode: true,
        bip_cmac: true,
        hostapd_sme: true,
        sae_offload_ap: false,
    };
    const FULLMAC: RadioCaps = RadioCaps {
        ap_mode: true,
        bip_cmac: true,
        hostapd_sme: false,
        sae_offload_ap: false,
    };

    #[test]
    fn auto_is_the_default_and_follows_the_radio() {
        let text = GOOD.replace("security = \"wpa2\"\n", "");
        let r = render_with_radio(&text, &[], Some(&MAC80211));
        assert!(!r.fallback, "{:?}", r.problems);
        let hostapd = &r.files[0].1;
        assert!(
            hostapd.contains("\nwpa_key_mgmt=WPA-PSK SAE\nieee80211w=1\n"),
            "{hostapd}"
        );
        assert!(hostapd.contains("\nsae_require_mfp=1\n"), "{hostapd}");
        // The daemon gets what was chosen, never "auto".
        assert!(
            r.files[4].1.contains("security = \"wpa2-wpa3\""),
            "{}",
            r.files[4].1
        );
        let why = r.security_choice.as_ref().unwrap();
        assert_eq!(why.id, "security-auto-both");
        let why = why.english();
        assert!(
            why.starts_with("WiFi security: WPA2/WPA3 transition"),
            "{why}"
        );

        let r = render_with_radio(&text, &[], Some(&FULLMAC));
        assert!(r.files[0]
            .1
            .contains("\nwpa_key_mgmt=WPA-PSK\nieee80211w=0\n"));
        assert!(r.files[4].1.contains("security = \"wpa2\""));
        let r = render_with_radio(&text, &[], None);
        assert!(r.files[0]
            .1
            .contains("\nwpa_key_mgmt=WPA-PSK\nieee80211w=0\n"));
    }

    #[test]
    fn wpa3_on_a_radio_that_cannot_gives_the_fallback_naming_the_key() {
        let text = GOOD.replace("security = \"wpa2\"", "security = \"wpa3\"");
        let r = render_with_radio(&text, &[], Some(&FULLMAC));
        assert!(r.fallback);
        assert_eq!(r.problems[0].key, "wifi.security");
        assert!(r.problems_text.unwrap().contains("wifi.security"));
        let r = render_with_radio(&text, &[], Some(&MAC80211));
        assert!(!r.fallback, "{:?}", r.problems);
        assert!(r.files[0].1.contains("\nwpa_key_mgmt=SAE\nieee80211w=2\n"));
        // An explicit "wpa2" stays WPA2 without protected management frames on any radio.
        let r = render_with_radio(GOOD, &[], Some(&MAC80211));
        assert!(r.files[0]
            .1
            .contains("\nwpa_key_mgmt=WPA-PSK\nieee80211w=0\n"));
    }

    #[test]
    fn a_good_file_renders_exactly_the_expected_files() {
        let r = render(GOOD, &[]);
        assert!(!r.fallback, "{:?}", r.problems);
        assert_eq!(r.problems_text, None);
        let names: Vec<&str> = r.files.iter().map(|(n, _)| *n).collect();
        assert_eq!(
            names,
            [
                HOSTAPD_CONF,
                DNSMASQ_CONF,
                NFTABLES_CONF,
                NFTABLES_DETECT_CONF,
                DAEMON_TOML,
                SYSTEM_ENV
            ]
        );
        for (name, text) in &r.files {
            assert_expected("good.expected", name, text);
        }
        // The daemon reads the runtime file as it is.
        let toml = &r.files[4].1;
        let c = Config::parse(toml, Path::new("x")).unwrap();
        c.validate().unwrap();
        assert_eq!(c.admin.password, None);
        assert_eq!(c.admin.password_hash.as_deref(), Some(HASH));
        assert_eq!(c.site.name, "Room 4");
        assert_eq!(c.wifi.country, "DE");
    }

    #[test]
    fn a_bad_file_renders_the_fallback_and_names_every_problem() {
        let r = render(BAD, &[]);
        assert!(r.fallback);
        let keys: Vec<&str> = r.problems.iter().map(|p| p.key.as_str()).collect();
        assert_eq!(
            keys,
            [
                "wifi.country",
                "wifi.passphrase",
                "site.latitude",
                "admin.password",
                "uplink.interface"
            ]
        );
        let text = r.problems_text.as_deref().unwrap();
        assert_expected("bad.expected", "whereflow-problems.txt", text);
        for (name, text) in &r.files {
            if [HOSTAPD_CONF, DAEMON_TOML, SYSTEM_ENV].contains(name) {
                assert_expected("bad.expected", name, text);
            }
        }
        assert!(
            !text.contains("short") && !text.contains("\"admin\""),
            "{text}"
        );
    }

    /// Settings with many values refused by the config check, each in another way (each
    /// section says its first problem: the two files have others).
    const MANY_BAD: &str = "[wifi]\nssid = \"Room 4\"\n\
        passphrase = \"schöne Grüße\"\ncountry = \"XX\"\n\
        [site]\nurl = \"ftp://school\"\n\
        [admin]\npassword = \"admin password 1\"\n\
        [uplink]\ninterface = \"eth0\"\nwifi_passphrase = \"secret123\"\n\
        [devices]\nmax_devices = 0\n[history]\nretention_days = 0\n\
        [web]\nlisten = \"0.0.0.0:0\"\n";
    const OTHER_BAD: &str = "[wifi]\nssid = \"a network name far longer than 32 bytes\"\n\
        passphrase = \"correct horse\"\ncountry = \"DE\"\n\
        [site]\nlatitude = 10.0\n[admin]\npassword_hash = \"$argon2id$v=19$m=999999,t=2,p=1\
        $c2FsdHNhbHQ$ZX2Y5zy1AbSgGiHzsO4YGq5cJ2eLeGd1U3ZS4XqN9Ck\"\n";

    /// `text` with `site.language = lang`, rendered: the problems and the file's two parts
    /// (the translated one and the English one below the marker).
    fn problems_in(text: &str, lang: &str) -> (Vec<Problem>, String, String) {
        let text = if text.contains("[site]\n") {
            text.replace("[site]\n", &format!("[site]\nlanguage = \"{lang}\"\n"))
        } else {
            format!("[site]\nlanguage = \"{lang}\"\n{text}")
        };
        let r = render(&text, &[]);
        assert!(r.fallback, "{lang}");
        let file = r.problems_text.unwrap();
        let (said, english) = file
            .split_once(problems::ENGLISH_MARKER)
            .unwrap_or_else(|| panic!("{lang}: no English part in {file}"));
        (r.problems, said.to_owned(), english.to_owned())
    }

    #[test]
    fn the_config_checks_reasons_are_said_in_the_settings_language() {
        let many = render(MANY_BAD, &[]);
        let other = render(OTHER_BAD, &[]);
        let keys: Vec<&str> = [&many, &other]
            .iter()
            .flat_map(|r| r.problems.iter().map(|p| p.key.as_str()))
            .collect();
        assert_eq!(
            keys,
            [
                "wifi.country",
                "wifi.passphrase",
                "site.url",
                "uplink.wifi_passphrase",
                "devices.max_devices",
                "history.retention_days",
                "web.listen",
                "wifi.ssid",
                "site.longitude",
                "admin.password_hash",
            ]
        );
        let english = many.problems_text.unwrap() + &other.problems_text.unwrap();
        for line in [
            "- wifi.passphrase: must be printable ASCII characters only (letters, digits, \
             spaces, punctuation)\n",
            "- wifi.ssid: must be at most 32 bytes\n",
            "- admin.password_hash: costs m=999999 t=2 p=1 are more than this appliance \
             verifies (at most m=262144 t=16 p=8)\n",
            "- site.url: \"ftp://school\" is not an http:// or https:// address\n",
            "- site.longitude: is needed with site.latitude\n",
            "- devices.max_devices: must be between 1 and 100000\n",
            "- web.listen: port 0 is not a port\n",
        ] {
            assert!(english.contains(line), "{line:?} in {english}");
        }
        let cases = [
            (
                "de",
                [
                    "- wifi.country: \"XX\" ist kein Ländercode",
                    "- wifi.passphrase: darf nur druckbare ASCII-Zeichen enthalten",
                    "- wifi.ssid: darf höchstens 32 Bytes lang sein\n",
                    "- site.longitude: wird zusammen mit site.latitude gebraucht\n",
                    "- history.retention_days: muss zwischen 1 und 3650 liegen\n",
                    "- admin.password_hash: die Kosten m=999999 t=2 p=1 sind mehr, als diese Box",
                ],
            ),
            (
                "fr",
                [
                    "- wifi.country: \"XX\" n’est pas un code de pays",
                    "- wifi.passphrase: ne doit contenir que des caractères ASCII",
                    "- wifi.ssid: doit faire au plus 32 octets\n",
                    "- site.longitude: est nécessaire avec site.latitude\n",
                    "- history.retention_days: doit être compris entre 1 et 3650\n",
                    "- admin.password_hash: les coûts m=999999 t=2 p=1 dépassent",
                ],
            ),
            (
                "es",
                [
                    "- wifi.country: \"XX\" no es un código de país",
                    "- wifi.passphrase: solo puede tener caracteres ASCII",
                    "- wifi.ssid: debe tener como máximo 32 bytes\n",
                    "- site.longitude: hace falta junto con site.latitude\n",
                    "- history.retention_days: debe estar entre 1 y 3650\n",
                    "- admin.password_hash: los costes m=999999 t=2 p=1 superan",
                ],
            ),
        ];
        for (lang, lines) in cases {
            let (mut problems, mut said, mut below) = problems_in(MANY_BAD, lang);
            let (p, s, b) = problems_in(OTHER_BAD, lang);
            problems.extend(p);
            said.push_str(&s);
            below.push_str(&b);
            for line in lines {
                assert!(said.contains(line), "{lang}: {line:?} in {said}");
            }
            // No reason in English in the translated part, and the English one is unchanged.
            assert!(problems.iter().all(|p| p.words.is_some()), "{problems:?}");
            for p in &problems {
                assert!(
                    !said.contains(&p.message),
                    "{lang}: {p:?} in English: {said}"
                );
                assert!(below.contains(&p.to_string()), "{lang}: {p} not in {below}");
            }
            assert!(!said.contains('⟦'), "{lang}: {said}");
            assert!(!said.contains("schöne"), "the passphrase is never shown");
        }
    }

    #[test]
    fn the_channel_the_defaults_and_the_parser_are_said_in_the_language_too() {
        // A 2.4 GHz channel on 5 GHz: the hint, chosen by a select of the catalogue.
        let band = GOOD.replace("band = \"2.4\"", "band = \"5\"");
        let (_, said, below) = problems_in(&band, "fr");
        assert!(
            said.contains("- wifi.channel: le canal 6 n’est pas un canal 5 GHz (c’est un canal 2,4 GHz : mets wifi.band = \"2.4\") ;"),
            "{said}"
        );
        assert!(
            below.contains("- wifi.channel: channel 6 is not a 5 GHz channel (it is a 2.4 GHz channel: set wifi.band = \"2.4\"); 5 GHz"),
            "{below}"
        );
        // A value only the daemon's own defaults make wrong: the reason inside the message.
        let looping = format!("{GOOD}\n[dns]\nupstreams = [\"10.42.0.1:53\"]\n");
        let (_, said, below) = problems_in(&looping, "de");
        assert!(
            said.contains("- dns.upstreams: 10.42.0.1:53 ist eine der eigenen dns.listen-Adressen (das ergäbe eine Schleife) (mit den eigenen Voreinstellungen der Box ergänzt)\n"),
            "{said}"
        );
        assert!(
            below.contains("- dns.upstreams: 10.42.0.1:53 is one of our own dns.listen addresses (it would loop) (with the appliance's own defaults added)\n"),
            "{below}"
        );
        // An unknown choice is the parser's: a translated lead names the line, its own words
        // (English) follow.
        let unknown = GOOD.replace("security = \"wpa2\"", "security = \"wep\"");
        let (problems, said, below) = problems_in(&unknown, "es");
        assert_eq!(problems.len(), 1, "{problems:?}");
        let line =
            "- whereflow-settings.toml: la línea 6 no se puede leer: TOML parse error at line 6";
        assert!(said.contains(line), "{said}");
        assert!(said.contains("(at `security = ...`)"), "{said}");
        assert!(
            below.contains("- whereflow-settings.toml: TOML parse error at line 6"),
            "{below}"
        );
    }

    #[test]
    fn a_problem_from_outside_gives_the_fallback_too() {
        let r = render(GOOD, &[Problem::new("wifi", "hostapd could not start")]);
        assert!(r.fallback);
        assert!(r.files[0].1.contains("\nssid=whereflow-setup\n"));
        // The good uplink is kept.
        assert!(r.files[5].1.contains("\nWF_UPLINK=eth0\n"));
    }

    #[test]
    fn settings_the_daemon_would_refuse_with_the_defaults_give_the_fallback() {
        // Asking ourselves upstream would loop: only visible with dns.listen's default.
        let text = format!("{GOOD}\n[dns]\nupstreams = [\"10.42.0.1:53\"]\n");
        let r = render(&text, &[]);
        assert!(r.fallback);
        assert_eq!(r.problems[0].key, "dns.upstreams");
        assert!(r.problems[0].message.contains("appliance's own defaults"));
    }

    #[test]
    fn one_radio_and_a_wifi_uplink_is_refused_with_the_reason_in_the_problems_file() {
        use std::os::unix::fs::symlink;
        let dir = std::env::temp_dir().join(format!("wf-setup-one-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("boot")).unwrap();
        // A Raspberry Pi 4's on-board radio, and nothing else.
        let sys = dir.join("sys");
        let dev = sys.join("devices/platform/mmc1/mmc1:0001/mmc1:0001:1");
        let net = sys.join("class/net/wlan0");
        std::fs::create_dir_all(net.join("phy80211")).unwrap();
        std::fs::create_dir_all(&dev).unwrap();
        std::fs::create_dir_all(sys.join("bus/sdio/drivers/brcmfmac")).unwrap();
        std::fs::create_dir_all(sys.join("bus/mmc")).unwrap();
        std::fs::write(net.join("phy80211/name"), "phy0\n").unwrap();
        std::fs::write(dev.join("device"), "0xa9bf\n").unwrap();
        symlink(sys.join("bus/mmc"), dev.join("subsystem")).unwrap();
        symlink(sys.join("bus/sdio/drivers/brcmfmac"), dev.join("driver")).unwrap();
        symlink(&dev, net.join("device")).unwrap();
        let opts = SetupOptions {
            settings: dir.join("boot/whereflow-settings.toml"),
            out: dir.join("run"),
            problems_file: dir.join("boot/whereflow-problems.txt"),
            fallback_passphrase_file: dir.join("data/whereflow-setup-passphrase"),
            daemon_problems_file: None,
            image_defaults: None,
            fallback_reason: None,
            rewrite_admin_password: false,
            sysfs: sys,
        };
        let text = GOOD.replace(
            "[uplink]\n",
            "[uplink]\ninterface = \"wlan0\"\nwifi_ssid = \"School\"\n\
             wifi_passphrase = \"school passphrase\"\n",
        );
        let text = text.replacen("interface = \"eth0\"\n", "", 1);
        std::fs::write(&opts.settings, &text).unwrap();
        let r = run(&opts).unwrap();
        assert!(r.rendered.fallback, "{:?}", r.rendered.problems);
        let problems = std::fs::read_to_string(&opts.problems_file).unwrap();
        assert!(problems.contains("uplink.interface"), "{problems}");
        assert!(
            problems.contains("the only WiFi radio (wlan0) is the WiFi uplink"),
            "{problems}"
        );
        assert!(problems.contains("needs a second radio"), "{problems}");
        // The setup network runs on that radio; no wpa_supplicant for it.
        let env = std::fs::read_to_string(opts.out.join(SYSTEM_ENV)).unwrap();
        assert!(env.contains("WF_AP_INTERFACE=wlan0\n"), "{env}");
        assert!(env.contains("WF_UPLINK_WIFI=no\n"), "{env}");
        assert!(!opts.out.join(WPA_SUPPLICANT_CONF).exists());
        let _ = std::fs::remove_dir_all(&dir);
    }

    /// Two USB WiFi adapters (mt76x2u) under the sysfs tree `sys`: `wlan1` and `wlan2`.
    fn plug_two_usb_adapters(sys: &Path) {
        use std::os::unix::fs::symlink;
        for (iface, phy, n) in [("wlan1", "phy1", 1), ("wlan2", "phy2", 2)] {
            let usb = sys.join(format!("devices/usb1/1-{n}"));
            let devdir = usb.join(format!("1-{n}:1.0"));
            let net = sys.join("class/net").join(iface);
            std::fs::create_dir_all(net.join("phy80211")).unwrap();
            std::fs::create_dir_all(&devdir).unwrap();
            std::fs::create_dir_all(sys.join("bus/usb/drivers/mt76x2u")).unwrap();
            std::fs::write(net.join("phy80211/name"), format!("{phy}\n")).unwrap();
            std::fs::write(usb.join("idVendor"), "0e8d\n").unwrap();
            std::fs::write(usb.join("idProduct"), "7612\n").unwrap();
            symlink(sys.join("bus/usb"), devdir.join("subsystem")).unwrap();
            symlink(sys.join("bus/usb/drivers/mt76x2u"), devdir.join("driver")).unwrap();
            symlink(&devdir, net.join("device")).unwrap();
        }
    }

    /// Every line setup's report has for the console (its notes, the security chosen).
    fn console_lines(r: &SetupReport) -> Vec<ConsoleLine> {
        let security = r.rendered.security_choice.clone().map(ConsoleLine::from);
        r.notes.iter().cloned().chain(security).collect()
    }

    /// A console line's message id and argument values.
    fn id_and_values(l: &ConsoleLine) -> (&'static str, Vec<String>) {
        match l {
            ConsoleLine::Setup(w) => (w.id, w.args.values().cloned().collect()),
            ConsoleLine::Note(w) => (w.id, w.args.values().cloned().collect()),
        }
    }

    /// The report's console lines in `lang`.
    fn console_in(r: &SetupReport, lang: Lang) -> Vec<String> {
        let tr = Tr::new(lang);
        console_lines(r).iter().map(|l| l.say(tr)).collect()
    }

    /// The English template's own words of `english` (`values`, the arguments, cut out):
    /// the pieces that say something.
    fn template_pieces<'a>(english: &'a str, values: &[String]) -> Vec<&'a str> {
        let mut pieces = vec![english];
        let mut values: Vec<&String> = values.iter().filter(|v| !v.is_empty()).collect();
        values.sort_by_key(|v| std::cmp::Reverse(v.len()));
        for v in values {
            pieces = pieces.iter().flat_map(|p| p.split(v.as_str())).collect();
        }
        pieces
            .into_iter()
            .map(str::trim)
            .filter(|p| p.chars().filter(|c| c.is_alphabetic()).count() > 6)
            .collect()
    }

    #[test]
    fn the_console_speaks_the_settings_language() {
        for lang in [Lang::De, Lang::Fr, Lang::Es] {
            let code = lang.code();
            let dir = std::env::temp_dir()
                .join(format!("wf-setup-console-{code}-{}", std::process::id()));
            let _ = std::fs::remove_dir_all(&dir);
            std::fs::create_dir_all(dir.join("boot")).unwrap();
            std::fs::create_dir_all(dir.join("etc")).unwrap();
            plug_two_usb_adapters(&dir.join("sys"));
            let opts = SetupOptions {
                settings: dir.join("boot/whereflow-settings.toml"),
                out: dir.join("run"),
                problems_file: dir.join("boot/whereflow-problems.txt"),
                // Not writable: the setup passphrase changes at every boot.
                fallback_passphrase_file: "/proc/nonexistent/whereflow-setup-passphrase".into(),
                daemon_problems_file: None,
                image_defaults: Some(dir.join("etc/image-defaults.toml")),
                fallback_reason: None,
                rewrite_admin_password: false,
                sysfs: dir.join("sys"),
            };
            // Image defaults that are not TOML, and a problems file from an earlier boot.
            std::fs::write(opts.image_defaults.as_ref().unwrap(), "[[[").unwrap();
            std::fs::write(&opts.problems_file, "old problems\n").unwrap();
            let with_lang =
                |text: &str| text.replace("[site]\n", &format!("[site]\nlanguage = \"{code}\"\n"));
            let good = run_with(&opts, &with_lang(GOOD));
            assert!(!good.rendered.fallback, "{:?}", good.rendered.problems);
            let bad = run_with(&opts, &with_lang(BAD));
            assert!(bad.rendered.fallback);
            let mut ids = Vec::new();
            for r in [&good, &bad] {
                assert_eq!(r.language, lang);
                for line in console_lines(r) {
                    let (id, values) = id_and_values(&line);
                    ids.push(id);
                    let said = line.say(Tr::new(lang));
                    let english = line.say(Tr::new(Lang::En));
                    assert_ne!(said, english, "{code}: {id} not translated");
                    assert!(!said.contains('⟦'), "{code}: {said}");
                    for piece in template_pieces(&english, &values) {
                        assert!(!said.contains(piece), "{code}: English {piece:?} in {said}");
                    }
                }
            }
            for id in [
                "ap-radio-usb",
                "radio-usb-many",
                "image-defaults-unused",
                "problems-removed",
                "security-as-written",
                "passphrase-unsaved",
            ] {
                assert!(ids.contains(&id), "{code}: no {id} in {ids:?}");
            }
            // The radio is said in the language too ("on-board", "no driver" are not).
            let said = console_in(&good, lang).join("\n");
            let radio = match lang {
                Lang::De => "WLAN-Zugangspunkt auf wlan1 (mt76x2u, USB)",
                Lang::Fr => "point d’accès WiFi sur wlan1 (mt76x2u, USB)",
                _ => "punto de acceso WiFi en wlan1 (mt76x2u, USB)",
            };
            assert!(said.contains(radio), "{said}");
            // A failure is said in the language too.
            let nowhere = SetupOptions {
                out: "/proc/nonexistent/run".into(),
                ..opts.clone()
            };
            let failed = run(&nowhere).unwrap_err();
            assert_eq!(failed.language, lang);
            let words = failed.error.words();
            assert_eq!(words.id, "cannot-write");
            let (said, english) = (words.say(Tr::new(lang)), words.english());
            assert_eq!(english, failed.to_string());
            assert!(
                said.contains("/proc/nonexistent/run") && said != english,
                "{said}"
            );
            let _ = std::fs::remove_dir_all(&dir);
        }
    }

    fn run_with(opts: &SetupOptions, settings: &str) -> SetupReport {
        std::fs::write(&opts.settings, settings).unwrap();
        run(opts).unwrap()
    }

    #[test]
    fn run_writes_the_files_hashes_the_password_and_clears_old_problems() {
        let dir = std::env::temp_dir().join(format!("wf-setup-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("boot")).unwrap();
        let opts = SetupOptions {
            settings: dir.join("boot/whereflow-settings.toml"),
            out: dir.join("run"),
            problems_file: dir.join("boot/whereflow-problems.txt"),
            fallback_passphrase_file: dir.join("data/whereflow-setup-passphrase"),
            daemon_problems_file: None,
            image_defaults: Some(dir.join("etc/image-defaults.toml")),
            fallback_reason: None,
            rewrite_admin_password: true,
            sysfs: dir.join("sys"),
        };
        // First boot with a bad file: fallback, problems written, passphrase kept.
        std::fs::write(&opts.settings, BAD).unwrap();
        let r = run(&opts).unwrap();
        assert!(r.rendered.fallback);
        let problems = std::fs::read_to_string(&opts.problems_file).unwrap();
        let kept = std::fs::read_to_string(&opts.fallback_passphrase_file).unwrap();
        assert!(problems.contains(kept.trim()));
        assert_eq!(
            std::fs::read_to_string(&opts.settings).unwrap(),
            BAD,
            "a bad file is left alone"
        );
        // Fixed: the good settings are used, the problems file goes, the password is hashed.
        std::fs::write(&opts.settings, GOOD).unwrap();
        let r = run(&opts).unwrap();
        assert!(!r.rendered.fallback);
        assert!(!opts.problems_file.exists());
        let settings = std::fs::read_to_string(&opts.settings).unwrap();
        assert!(!settings.contains("admin password 1"), "{settings}");
        assert!(
            settings.contains("password_hash = \"$argon2id$"),
            "{settings}"
        );
        let hash = Config::parse(&settings, Path::new("x"))
            .unwrap()
            .admin
            .password_hash
            .unwrap();
        assert!(crate::config::password::verify(&hash, "admin password 1"));
        use std::os::unix::fs::PermissionsExt;
        for (name, mode) in [(HOSTAPD_CONF, 0o600), (DAEMON_TOML, 0o640)] {
            let m = std::fs::metadata(opts.out.join(name)).unwrap();
            assert_eq!(m.permissions().mode() & 0o777, mode, "{name}");
        }
        let runtime = std::fs::read_to_string(opts.out.join(DAEMON_TOML)).unwrap();
        assert!(runtime.contains(&format!("password_hash = \"{hash}\"")));
        assert!(runtime.contains(&format!(
            "problems_file = \"{}\"",
            opts.problems_file.display()
        )));
        // On the appliance the daemon is told of its writable copy instead (the boot
        // partition is read-only to it).
        let copy = dir.join("run/notes/whereflow-problems.txt");
        let with_copy = SetupOptions {
            daemon_problems_file: Some(copy.clone()),
            ..opts.clone()
        };
        run(&with_copy).unwrap();
        let runtime = std::fs::read_to_string(opts.out.join(DAEMON_TOML)).unwrap();
        assert!(
            runtime.contains(&format!("problems_file = \"{}\"", copy.display())),
            "{runtime}"
        );
        run(&opts).unwrap();

        // Two USB adapters plugged in: the first by name serves the room, and the console,
        // the daemon's status (system.notes) and the problems file say so.
        plug_two_usb_adapters(&dir.join("sys"));
        let r = run(&opts).unwrap();
        assert!(!r.rendered.fallback);
        let said = console_in(&r, Lang::En).join("\n");
        assert!(
            said.contains("WiFi access point on wlan1 (mt76x2u, USB)"),
            "{said}"
        );
        assert!(
            said.contains("2 USB WiFi adapters can be access points"),
            "{said}"
        );
        let file = std::fs::read_to_string(&opts.problems_file).unwrap();
        assert!(
            file.contains("WiFi radio: 2 USB WiFi adapters can be access points (wlan1, wlan2)"),
            "{file}"
        );
        // A note, not a problem: the daemon shows no settings problem for it.
        assert!(problems::read_warnings(&opts.problems_file).is_empty());
        // The daemon's copy is the note's words, said in each reader's language.
        let runtime = std::fs::read_to_string(opts.out.join(DAEMON_TOML)).unwrap();
        let c = Config::parse(&runtime, Path::new("x")).unwrap();
        let words: Vec<_> = c
            .system
            .notes
            .iter()
            .filter_map(|n| radios::note_words(&n.id, &n.args))
            .collect();
        assert_eq!(words.len(), 1, "{runtime}");
        assert!(
            words[0].english().contains("2 USB WiFi adapters"),
            "{runtime}"
        );
        let de = words[0].say(Tr::new(crate::i18n::Lang::De));
        assert!(de.starts_with("2 USB-WLAN-Adapter"), "{de}");
        let env = std::fs::read_to_string(opts.out.join(SYSTEM_ENV)).unwrap();
        assert!(env.contains("WF_AP_INTERFACE=wlan1\n"), "{env}");
        let _ = std::fs::remove_dir_all(&dir);
    }
}
