//! `whereflow setup` as the boot script runs it: exit status, files, problems on the console.

use std::path::Path;
use std::process::Command;

fn setup(dir: &Path, settings: &str) -> std::process::Output {
    setup_with(dir, settings, &[])
}

fn setup_with(dir: &Path, settings: &str, args: &[&str]) -> std::process::Output {
    let boot = dir.join("boot");
    std::fs::create_dir_all(&boot).unwrap();
    std::fs::write(boot.join("whereflow-settings.toml"), settings).unwrap();
    Command::new(env!("CARGO_BIN_EXE_whereflow"))
        .arg("setup")
        .arg("--settings")
        .arg(boot.join("whereflow-settings.toml"))
        .arg("--out")
        .arg(dir.join("run"))
        .arg("--problems")
        .arg(boot.join("whereflow-problems.txt"))
        .arg("--fallback-passphrase-file")
        .arg(dir.join("data/whereflow-setup-passphrase"))
        .arg("--image-defaults")
        .arg(dir.join("none.toml"))
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn good_settings_exit_0_and_bad_ones_exit_2_with_the_fallback() {
    let dir = std::env::temp_dir().join(format!("wf-setup-cli-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);

    let bad = include_str!("data/settings/bad.toml");
    let out = setup(&dir, bad);
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    let console = String::from_utf8_lossy(&out.stderr);
    assert!(console.contains("- wifi.country:"), "{console}");
    assert!(
        console.contains("network name (SSID): whereflow-setup"),
        "{console}"
    );
    let hostapd = std::fs::read_to_string(dir.join("run/hostapd.conf")).unwrap();
    assert!(hostapd.contains("\nssid=whereflow-setup\n"), "{hostapd}");
    assert!(dir.join("boot/whereflow-problems.txt").exists());

    let good = include_str!("data/settings/good.toml");
    let out = setup(&dir, good);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let hostapd = std::fs::read_to_string(dir.join("run/hostapd.conf")).unwrap();
    assert!(
        hostapd.contains("\nssid=whereflow-test\ncountry_code=DE\n"),
        "{hostapd}"
    );
    assert!(!dir.join("boot/whereflow-problems.txt").exists());
    for f in [
        "dnsmasq.conf",
        "nftables.conf",
        "nftables-detect.conf",
        "daemon.toml",
        "system.env",
    ] {
        assert!(dir.join("run").join(f).exists(), "{f}");
    }
    // The daemon accepts what setup rendered.
    let check = Command::new(env!("CARGO_BIN_EXE_whereflow"))
        .arg("check-config")
        .arg("--config")
        .arg(dir.join("run/daemon.toml"))
        .output()
        .unwrap();
    assert!(check.status.success(), "{check:?}");
    nftables_loads_and_the_lease_script_binds(&dir.join("run/nftables.conf"));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn hostapds_refusal_is_said_in_the_settings_language() {
    // S40hostapd, when hostapd refuses the rendered settings: setup renders the fallback and
    // says why in site.language, hostapd's own words inside, English below.
    let dir = std::env::temp_dir().join(format!("wf-setup-cli-fr-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let good =
        include_str!("data/settings/good.toml").replace("[site]\n", "[site]\nlanguage = \"fr\"\n");
    let out = setup_with(
        &dir,
        &good,
        &[
            "--hostapd-refused",
            "nl80211: Could not configure driver mode ",
        ],
    );
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    let console = String::from_utf8_lossy(&out.stderr);
    let file = std::fs::read_to_string(dir.join("boot/whereflow-problems.txt")).unwrap();
    for text in [console.as_ref(), file.as_str()] {
        assert!(
            text.contains(
                "- wifi: la puce WiFi a refusé ces réglages (hostapd a dit : nl80211: Could not \
                 configure driver mode) ; essaie un autre wifi.channel, wifi.band ou wifi.security\n"
            ),
            "{text}"
        );
        assert!(
            text.contains(
                "- wifi: the WiFi chip refused these settings (hostapd said: nl80211: Could not \
                 configure driver mode); try another wifi.channel, wifi.band or wifi.security\n"
            ),
            "{text}"
        );
    }
    let hostapd = std::fs::read_to_string(dir.join("run/hostapd.conf")).unwrap();
    assert!(hostapd.contains("\nssid=whereflow-setup\n"), "{hostapd}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn the_console_speaks_the_settings_language() {
    // At boot the Pi's console is the only screen: a German settings file gets German lines
    // (the OS's own words inside stay as they came).
    let dir = std::env::temp_dir().join(format!("wf-setup-cli-de-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let german = |text: &str| text.replace("[site]\n", "[site]\nlanguage = \"de\"\n");
    let out = setup(&dir, &german(include_str!("data/settings/good.toml")));
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let console = String::from_utf8_lossy(&out.stderr);
    let said: Vec<&str> = console
        .lines()
        .filter_map(|l| l.strip_prefix("whereflow setup: "))
        .collect();
    assert!(said.len() >= 3, "{console}");
    for line in [
        "in Ordnung: WLAN „whereflow-test“, 2,4 GHz, Kanal 6",
        "WLAN-Sicherheit: WPA2 (wifi.security „wpa2“)",
        " geschrieben",
    ] {
        assert!(console.contains(line), "{line:?} in {console}");
    }
    // Whichever radios this machine has, no line of setup's is English (the log's lines,
    // also on stderr, are).
    let said = said.join("\n");
    for english in [
        "wrote ",
        "are good",
        "WiFi security",
        "WiFi access point on",
        "no WiFi radio found",
        "could not be read",
        "WiFi adapters can be",
        "on-board",
        "no driver",
    ] {
        assert!(!said.contains(english), "{english:?} in {said}");
    }
    assert!(!said.contains('⟦'), "{said}");
    let out = setup(&dir, &german(include_str!("data/settings/bad.toml")));
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    let console = String::from_utf8_lossy(&out.stderr);
    assert!(console.contains("\n(auch in "), "{console}");
    assert!(!console.contains("(also in "), "{console}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn arabic_settings_get_an_arabic_problems_file_and_an_english_console() {
    // The kernel's console draws neither Arabic's joined letters nor right to left: with
    // `site.language = "ar"` the problems file (read on a computer) is in Arabic with the
    // English below, and the console says it all in English.
    let dir = std::env::temp_dir().join(format!("wf-setup-cli-ar-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let arabic =
        include_str!("data/settings/bad.toml").replace("[site]\n", "[site]\nlanguage = \"ar\"\n");
    let out = setup(&dir, &arabic);
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    let console = String::from_utf8_lossy(&out.stderr);
    let arabic_letter = |c: char| ('\u{600}'..='\u{6ff}').contains(&c);
    assert!(!console.chars().any(arabic_letter), "{console}");
    assert!(
        console.contains("cannot use its settings file"),
        "{console}"
    );
    assert!(console.contains("(also in "), "{console}");
    let file = std::fs::read_to_string(dir.join("boot/whereflow-problems.txt")).unwrap();
    let (translated, english) = file
        .split_once("--- the same in English, for support ---")
        .unwrap_or_else(|| panic!("no English part: {file}"));
    assert!(
        translated.chars().filter(|c| arabic_letter(*c)).count() > 50,
        "{file}"
    );
    assert!(english.contains("cannot use its settings file"), "{file}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// The kernel's nftables takes the rendered ruleset (in a network namespace of its own), and
/// the image's lease script, called as dnsmasq calls it, adds and removes a device's
/// MAC . address pair in the set the "bind" chain checks.
fn nftables_loads_and_the_lease_script_binds(conf: &Path) {
    let script = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../buildroot-external/board/common/rootfs-overlay/usr/libexec/whereflow/lease-bind"
    );
    let run = |steps: &str| {
        let out = Command::new("unshare")
            .args(["--net", "sh", "-ec", steps, "sh"])
            .arg(conf)
            .arg(script)
            .output()
            .unwrap();
        assert!(out.status.success(), "{steps}: {out:?}");
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let listed = run(
        "nft -f \"$1\"; \"$2\" add 02:00:00:00:00:0a 10.42.0.10 phone; \
         \"$2\" old 02:00:00:00:00:0b 10.42.0.11; \"$2\" add 02:00:00:00:00:0c fd00::5; \
         nft list set inet whereflow leases",
    );
    assert!(
        listed.contains("02:00:00:00:00:0a . 10.42.0.10")
            && listed.contains("02:00:00:00:00:0b . 10.42.0.11"),
        "{listed}"
    );
    assert!(!listed.contains("fd00"), "{listed}");
    let listed = run("nft -f \"$1\"; \"$2\" add 02:00:00:00:00:0a 10.42.0.10; \
         \"$2\" del 02:00:00:00:00:0a 10.42.0.10; \"$2\" del 02:00:00:00:00:0d 10.42.0.13; \
         nft list set inet whereflow leases");
    assert!(!listed.contains("10.42.0.10"), "{listed}");
}
