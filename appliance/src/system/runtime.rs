//! The daemon's runtime configuration on the appliance (`/run/whereflow/daemon.toml`).
//!
//! It is the settings file with the appliance's defaults added where the person set nothing:
//! DNS on the access point's address, the web pages on port 80, history on the data
//! partition, the access point's network as the devices' range, dnsmasq's lease file. Keys the
//! person did set stay as written (an expert may change any of them). `[wifi]` always
//! describes the access point that actually runs (the fallback's, if it runs), so the
//! presenter's QR code is right, and `[admin]` holds only the password's hash.

use std::path::Path;

use toml_edit::{Array, DocumentMut, Item, Table, Value};

use crate::system::hostapd::AccessPoint;
use crate::system::network::{ap_network, dns_listen, web_listen, DATA_DIR, LEASE_FILE};

/// What goes into the runtime configuration.
pub struct RuntimeInputs<'a> {
    /// The settings file as a document, when it is used; `None` renders the defaults alone
    /// (the fallback).
    pub settings: Option<&'a DocumentMut>,
    /// The image's own defaults (`/etc/whereflow/image-defaults.toml`, e.g. the geo databases'
    /// paths): used where the settings set nothing, before the built-in appliance defaults.
    pub image_defaults: Option<&'a DocumentMut>,
    /// The access point that runs.
    pub ap: &'a AccessPoint,
    /// The admin password's argon2 hash, when the settings give a password.
    pub admin_password_hash: Option<&'a str>,
    /// The problems file the daemon shows in `/api/v1/status`.
    pub problems_file: &'a Path,
    /// The settings file's path, for the header.
    pub source: &'a str,
    /// What setup found about the radios that the daemon shows too (`system.notes`).
    pub notes: &'a [crate::status::StatusWords],
}

/// The table `name` of `doc`, made a table if it is missing or inline.
fn table<'d>(doc: &'d mut DocumentMut, name: &str) -> &'d mut Table {
    let item = doc.as_table_mut().entry(name).or_insert(toml_edit::table());
    if let Some(inline) = item.as_inline_table() {
        *item = Item::Table(inline.clone().into_table());
    }
    if !item.is_table() {
        *item = toml_edit::table();
    }
    match item.as_table_mut() {
        Some(t) => t,
        // Unreachable: made a table just above.
        None => unreachable!("{name} was just made a table"),
    }
}

/// Copy every key of `defaults` that `doc` does not have (sections' keys one by one).
fn merge_defaults(doc: &mut DocumentMut, defaults: &DocumentMut) {
    for (name, item) in defaults.iter() {
        match item.as_table_like() {
            Some(section) => {
                let t = table(doc, name);
                for (key, value) in section.iter() {
                    if !t.contains_key(key) {
                        let mut v = value.clone();
                        // Comments of the image's file stay there.
                        if let Some(v) = v.as_value_mut() {
                            v.decor_mut().clear();
                        }
                        t.insert(key, v);
                    }
                }
            }
            None => {
                if !doc.contains_key(name) {
                    doc.insert(name, item.clone());
                }
            }
        }
    }
}

/// Set `key` unless the person set it.
fn default_key(t: &mut Table, key: &str, v: impl Into<Value>) {
    if !t.contains_key(key) {
        t.insert(key, toml_edit::value(v));
    }
}

fn strings<I: IntoIterator<Item = String>>(items: I) -> Value {
    Value::Array(items.into_iter().collect::<Array>())
}

/// Render the daemon's runtime configuration.
pub fn render(i: &RuntimeInputs<'_>) -> String {
    let mut doc = i.settings.cloned().unwrap_or_default();
    if let Some(defaults) = i.image_defaults {
        merge_defaults(&mut doc, defaults);
    }

    let dns = table(&mut doc, "dns");
    default_key(dns, "listen", strings([dns_listen().to_string()]));
    let web = table(&mut doc, "web");
    default_key(web, "listen", web_listen().to_string());
    let correlate = table(&mut doc, "correlate");
    default_key(correlate, "lan", strings([ap_network().to_string()]));
    let data = table(&mut doc, "data");
    default_key(data, "dir", DATA_DIR);
    let devices = table(&mut doc, "devices");
    default_key(devices, "dnsmasq_leases", LEASE_FILE);
    default_key(devices, "interfaces", strings([i.ap.interface.clone()]));
    // The init scripts set the conntrack sysctls as root before any traffic; the daemon runs
    // without the right to, and only checks them.
    let conntrack = table(&mut doc, "conntrack");
    default_key(conntrack, "set_sysctls", false);
    // The scan detector reads the invalid packets nftables-detect.conf logs.
    let detect = table(&mut doc, "detect");
    default_key(
        detect,
        "nflog_group",
        i64::from(crate::system::nftables::NFLOG_GROUP),
    );

    let wifi = table(&mut doc, "wifi");
    let ap = i.ap;
    wifi.insert("ssid", toml_edit::value(ap.ssid.as_str()));
    wifi.insert("passphrase", toml_edit::value(ap.passphrase.as_str()));
    wifi.insert("security", toml_edit::value(ap.security_name()));
    match &ap.country {
        Some(c) => {
            wifi.insert("country", toml_edit::value(c.as_str()));
        }
        None => {
            wifi.remove("country");
        }
    }
    wifi.insert("band", toml_edit::value(ap.band.as_str()));
    wifi.insert("channel", toml_edit::value(i64::from(ap.channel)));
    // The radio setup chose, never "auto": the daemon watches it.
    wifi.insert("interface", toml_edit::value(ap.interface.as_str()));

    if let Some(h) = i.admin_password_hash {
        let admin = table(&mut doc, "admin");
        admin.remove("password");
        admin.insert("password_hash", toml_edit::value(h));
    } else if let Some(admin) = doc.get_mut("admin").and_then(Item::as_table_like_mut) {
        // Never a plain password in the runtime file.
        admin.remove("password");
    }

    // The person's closing comments belong to their file, not after our sections.
    doc.set_trailing("");
    let system = table(&mut doc, "system");
    system.insert(
        "problems_file",
        toml_edit::value(i.problems_file.display().to_string()),
    );
    if i.notes.is_empty() {
        system.remove("notes");
    } else {
        // Each note as its words (`{ id = "radio-no-ap", radio = "wlan1 (…)" }`): the daemon
        // says it in each reader's language.
        let notes: Array = i
            .notes
            .iter()
            .map(|n| {
                let mut t = toml_edit::InlineTable::new();
                t.insert("id", n.id.into());
                for (k, v) in &n.args {
                    t.insert(*k, v.as_str().into());
                }
                Value::InlineTable(t)
            })
            .collect();
        system.insert("notes", toml_edit::value(notes));
    }

    format!(
        "# whereflow's configuration on this appliance. Rendered at boot by `whereflow setup`\n\
         # from {}: edit that file, not this one.\n{doc}",
        i.source
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::system::hostapd::ApSecurity;
    use crate::system::regdomain::Band;

    fn ap() -> AccessPoint {
        AccessPoint {
            interface: "wlan0".into(),
            ssid: "whereflow-setup".into(),
            passphrase: "abcd-efgh-jkmn".into(),
            security: ApSecurity::Wpa2 { pmf: false },
            country: None,
            band: Band::Ghz2_4,
            channel: 6,
        }
    }

    #[test]
    fn defaults_alone_make_a_valid_config() {
        let text = render(&RuntimeInputs {
            settings: None,
            image_defaults: None,
            ap: &ap(),
            admin_password_hash: None,
            problems_file: Path::new("/boot/whereflow-problems.txt"),
            source: "/boot/whereflow-settings.toml",
            notes: &[],
        });
        let c = Config::parse(&text, Path::new("x")).unwrap();
        c.validate().unwrap();
        assert_eq!(c.dns.listen, vec![dns_listen()]);
        assert_eq!(c.web.listen, web_listen());
        assert_eq!(c.wifi.ssid, "whereflow-setup");
        assert!(!c.conntrack.set_sysctls);
        assert_eq!(
            c.system.problems_file.as_deref(),
            Some(Path::new("/boot/whereflow-problems.txt"))
        );
    }

    #[test]
    fn the_persons_keys_win_except_wifi_and_the_plain_password() {
        let settings: DocumentMut = "web = { listen = \"0.0.0.0:8080\" }\n\
                                     [wifi]\nssid = \"mine\"\n\
                                     [admin]\npassword = \"hunter2hunter2\"\n"
            .parse()
            .unwrap();
        let defaults: DocumentMut = "# image\n[web]\nlisten = \"0.0.0.0:81\"\n\
                                     [enrich]\ngeo_dbs = [\"/g.mmdb\"] # city\n"
            .parse()
            .unwrap();
        let text = render(&RuntimeInputs {
            settings: Some(&settings),
            image_defaults: Some(&defaults),
            ap: &ap(),
            admin_password_hash: None,
            problems_file: Path::new("/p"),
            source: "s",
            notes: &[],
        });
        assert!(!text.contains("hunter2"), "{text}");
        let c = Config::parse(&text, Path::new("x")).unwrap();
        assert_eq!(c.web.listen.port(), 8080);
        assert_eq!(c.enrich.geo_dbs, vec![std::path::PathBuf::from("/g.mmdb")]);
        assert!(!text.contains("# city"), "{text}");
        assert_eq!(c.wifi.ssid, "whereflow-setup");
    }
}
