//! Settings that move: the real `whereflow` binary over real HTTP. On appliance A the admin
//! sets the history settings, a nickname (by MAC, saved before the start), DNS blocking for
//! everyone and one device, an alert ignore and two projector rules, and downloads a backup
//! (secrets only with `?secrets=1`). Appliance B (a fresh data directory) refuses a backup of
//! another version and one with a bad key — the key named, nothing applied — then restores
//! A's through the admin page's form and has all of it. Without a login the backup is `401`,
//! without the CSRF token a restore is `403`. No root needed: conntrack is off and no block
//! needs nftables.

mod admin_support;

use serde_json::{json, Value};
use whereflow::store::Store;

use admin_support::{Daemon, Resp};

const PASSWORD: &str = "correct horse battery";
const METRICS_TOKEN: &str = "scraper-token-4b-7f2c";
const WIFI_PASSPHRASE: &str = "class-4b-wifi-pass";
const MAC: &str = "02:00:5e:10:00:20";

/// Percent-encode a form value.
fn form_value(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

struct Admin<'a> {
    d: &'a Daemon,
    cookie: String,
    csrf: String,
}

impl Admin<'_> {
    fn get(&self, path: &str) -> Resp {
        self.d.get(path, &[("Cookie", &self.cookie)])
    }
    fn post_json(&self, path: &str, body: &Value) -> Resp {
        self.d.req(
            "POST",
            path,
            &[
                ("Cookie", &self.cookie),
                ("X-CSRF-Token", &self.csrf),
                ("Content-Type", "application/json"),
            ],
            &body.to_string(),
        )
    }
    fn backup(&self) -> Value {
        let r = self.get("/api/v1/backup");
        assert_eq!(r.status, 200, "{}", r.text());
        r.json()
    }
}

fn login(d: &Daemon) -> Admin<'_> {
    let (cookie, csrf) = d.login(None, PASSWORD).expect("login");
    Admin { d, cookie, csrf }
}

fn config(extra: &str) -> String {
    format!("[admin]\npassword = \"{PASSWORD}\"\n\n{extra}")
}

/// Appliance B's own password and WiFi, before a backup brings A's.
const PASSWORD_B: &str = "appliance b's own password";
const WIFI_PASSPHRASE_B: &str = "room-12-own-pass";

#[test]
fn a_backup_moves_settings_nicknames_controls_ignores_and_rules_to_another_appliance() {
    // Appliance A: a device's nickname saved by MAC (as the registry saves it).
    let dir_a = Daemon::dir("backup-a");
    {
        let store = Store::open(&dir_a.join("data")).unwrap();
        store
            .save_nickname(MAC.parse().unwrap(), Some("Anna's phone"))
            .unwrap();
    }
    let a = Daemon::start(
        dir_a,
        &config(&format!(
            "[metrics]\ntoken = \"{METRICS_TOKEN}\"\n\n[wifi]\nssid = \"Class 4B\"\n\
             passphrase = \"{WIFI_PASSPHRASE}\"\n"
        )),
        false,
    );
    let admin_a = login(&a);
    for (path, body) in [
        (
            "/api/v1/settings",
            json!({ "retention_days": 30, "keep_old_sessions": false }),
        ),
        (
            "/api/v1/controls/dns-block",
            json!({ "scope": "all", "on": true }),
        ),
        (
            "/api/v1/controls/dns-block",
            json!({ "scope": "device", "device": "192.168.4.21", "on": true }),
        ),
        (
            "/api/v1/alerts/ignores",
            json!({ "rule": { "name": "photo backup", "kinds": ["upload"],
                              "devices": ["192.168.4.20"], "domains": ["icloud.com"] },
                    "minutes": 120 }),
        ),
        (
            "/api/v1/group-view",
            json!({ "kind": "domain", "target": "example.com", "action": "hide" }),
        ),
        (
            "/api/v1/group-view",
            json!({ "kind": "device", "target": "192.168.4.22", "action": "lock" }),
        ),
    ] {
        let r = admin_a.post_json(path, &body);
        assert!(r.status < 300, "{path}: {}", r.text());
    }

    // Not for anyone but the admin.
    assert_eq!(a.get("/api/v1/backup", &[]).status, 401);
    assert_eq!(a.get("/api/v1/backup?secrets=1", &[]).status, 401);
    assert_eq!(a.req("POST", "/api/v1/backup", &[], "{}").status, 401);

    // The download: no secrets unless asked.
    let r = admin_a.get("/api/v1/backup");
    assert_eq!(r.status, 200);
    assert!(
        r.header("content-disposition")
            .is_some_and(|v| v.starts_with("attachment; filename=\"whereflow-backup-")),
        "{r:?}"
    );
    assert_eq!(r.header("cache-control"), Some("no-store"));
    let text = r.text();
    for secret in [METRICS_TOKEN, WIFI_PASSPHRASE, "$argon2id$"] {
        assert!(
            !text.contains(secret),
            "{secret} in the default backup: {text}"
        );
    }
    let doc = r.json();
    assert_eq!(doc["whereflow_backup"], 1);
    assert_eq!(doc["secrets_included"], false);
    assert!(doc.get("secrets").is_none());
    assert_eq!(doc["settings"]["history"]["retention_days"], 30);
    assert_eq!(
        doc["nicknames"],
        json!([{ "mac": MAC, "nickname": "Anna's phone" }])
    );
    assert_eq!(doc["controls"]["dns_block"]["all"], true);
    assert_eq!(
        doc["controls"]["dns_block"]["devices"],
        json!(["192.168.4.21"])
    );
    assert_eq!(doc["ignores"].as_array().unwrap().len(), 1, "{doc}");
    assert_eq!(doc["ignores"][0]["rule"]["name"], "photo backup");
    assert_eq!(
        doc["group_view_rules"].as_array().unwrap().len(),
        2,
        "{doc}"
    );

    let with = admin_a.get("/api/v1/backup?secrets=1").json();
    assert_eq!(with["secrets_included"], true);
    assert_eq!(with["secrets"]["metrics_token"], METRICS_TOKEN);
    assert_eq!(with["secrets"]["wifi_passphrase"], WIFI_PASSPHRASE);
    assert!(with["secrets"]["admin_password_hash"]
        .as_str()
        .unwrap()
        .starts_with("$argon2id$"));

    // Appliance B, fresh.
    let b = Daemon::start(
        Daemon::dir("backup-b"),
        &format!(
            "[admin]\npassword = \"{PASSWORD_B}\"\n\n# The room's WiFi.\n[wifi]\n\
             ssid = \"Room 12\"\npassphrase = \"{WIFI_PASSPHRASE_B}\" # on the poster\n"
        ),
        false,
    );
    let (cookie, csrf) = b.login(None, PASSWORD_B).expect("login to B");
    let admin_b = Admin {
        d: &b,
        cookie,
        csrf,
    };
    let before = admin_b.backup();
    assert_eq!(before["nicknames"], json!([]));
    assert_eq!(before["settings"]["history"]["retention_days"], 7);

    // Refusals change nothing.
    let mut other_version = doc.clone();
    other_version["whereflow_backup"] = json!(2);
    let r = admin_b.post_json("/api/v1/backup", &other_version);
    assert_eq!(r.status, 400);
    assert_eq!(
        r.json()["error"],
        "this backup is version 2; this appliance reads version 1"
    );
    let mut bad_key = doc.clone();
    bad_key["settings"]["history"]["retention_days"] = json!("thirty");
    let r = admin_b.post_json("/api/v1/backup", &bad_key);
    assert_eq!(r.status, 400);
    let e = r.json()["error"].as_str().unwrap().to_owned();
    assert!(
        e.contains("settings.history.retention_days: invalid type: string \"thirty\""),
        "{e}"
    );
    let mut bad_value = doc.clone();
    bad_value["settings"]["history"]["retention_days"] = json!(0);
    bad_value["nicknames"]
        .as_array_mut()
        .unwrap()
        .push(json!({ "mac": "not-a-mac", "nickname": "x" }));
    let r = admin_b.post_json("/api/v1/backup", &bad_value);
    assert_eq!(r.status, 400);
    let e = r.json()["error"].as_str().unwrap().to_owned();
    assert!(e.contains("nothing was applied"), "{e}");
    assert!(
        e.contains("settings.history.retention_days: must be between 1 and 3650"),
        "{e}"
    );
    assert!(e.contains("nicknames[1].mac"), "{e}");
    let mut unknown = doc.clone();
    unknown["controls"]["dns_block"]["colour"] = json!("red");
    let r = admin_b.post_json("/api/v1/backup", &unknown);
    assert_eq!(r.status, 400);
    let e = r.json()["error"].as_str().unwrap().to_owned();
    assert!(
        e.contains("controls.dns_block.colour: unknown field `colour`"),
        "{e}"
    );
    let after_refusals = admin_b.backup();
    for key in [
        "settings",
        "nicknames",
        "controls",
        "ignores",
        "group_view_rules",
    ] {
        assert_eq!(
            after_refusals[key], before[key],
            "{key} changed by a refused backup"
        );
    }

    // The form without the CSRF token is refused.
    let body = format!("backup={}", form_value(&doc.to_string()));
    let form = ("Content-Type", "application/x-www-form-urlencoded");
    let r = b.req(
        "POST",
        "/admin/backup/restore",
        &[("Cookie", &admin_b.cookie), form],
        &body,
    );
    assert_eq!(r.status, 403, "{}", r.text());
    assert_eq!(admin_b.backup()["nicknames"], json!([]));
    // The form shows a refusal on the page.
    let r = b.req(
        "POST",
        "/admin/backup/restore",
        &[("Cookie", &admin_b.cookie), form],
        &format!(
            "csrf={}&backup={}",
            admin_b.csrf,
            form_value(&other_version.to_string())
        ),
    );
    assert_eq!(r.status, 400);
    assert!(
        r.text()
            .contains("this backup is version 2; this appliance reads version 1"),
        "{}",
        r.text()
    );

    // The admin page's form restores it and says what it restored.
    let page = admin_b.get("/admin").text();
    assert!(page.contains("href=\"/api/v1/backup\""), "download link");
    assert!(
        page.contains("action=\"/admin/backup/restore\""),
        "restore form"
    );
    assert!(
        page.contains("enctype=\"multipart/form-data\"") && page.contains("type=\"file\""),
        "the form takes the downloaded file"
    );
    // As a browser sends it with the file chosen (multipart, the file's name and type).
    let boundary = "----whereflow-test-boundary";
    let upload = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{}\r\n\
         --{boundary}\r\nContent-Disposition: form-data; name=\"file\"; \
         filename=\"whereflow-backup.json\"\r\nContent-Type: application/json\r\n\r\n{}\r\n\
         --{boundary}\r\nContent-Disposition: form-data; name=\"backup\"\r\n\r\n\r\n\
         --{boundary}--\r\n",
        admin_b.csrf,
        serde_json::to_string_pretty(&doc).unwrap()
    );
    let multipart = format!("multipart/form-data; boundary={boundary}");
    // Without the token, the upload is refused like the plain form.
    let no_token = upload.replace(&admin_b.csrf, "");
    let r = b.req(
        "POST",
        "/admin/backup/restore",
        &[("Cookie", &admin_b.cookie), ("Content-Type", &multipart)],
        &no_token,
    );
    assert_eq!(r.status, 403, "{}", r.text());
    let r = b.req(
        "POST",
        "/admin/backup/restore",
        &[("Cookie", &admin_b.cookie), ("Content-Type", &multipart)],
        &upload,
    );
    assert_eq!(r.status, 200, "{}", r.text());
    let shown = r.text();
    assert!(
        shown.contains(
            "Backup restored: settings, 1 nicknames, DNS blocking for everyone on, DNS \
             blocking for 1 devices, 0 blocks, 1 alert ignores, 2 projector rules."
        ),
        "{shown}"
    );
    // A German reader gets the summary in German (restoring again changes nothing: the
    // blocks, ignores and rules are there already).
    let r = b.req(
        "POST",
        "/admin/backup/restore",
        &[
            ("Cookie", &admin_b.cookie),
            ("Content-Type", &multipart),
            ("Accept-Language", "de"),
        ],
        &upload,
    );
    assert_eq!(r.status, 200, "{}", r.text());
    let shown = r.text();
    assert!(
        shown.contains(
            "Sicherung wiederhergestellt: Einstellungen, 1 Spitznamen, DNS-Sperre für alle an, \
             DNS-Sperre für 1 Geräte, 0 Sperren, 0 ignorierte Warnungen, 0 Beamer-Regeln. 3 \
             davon waren schon da."
        ),
        "{shown}"
    );

    // B has it all, as its own endpoints show.
    let s = admin_b.get("/api/v1/settings").json();
    assert_eq!(s["retention_days"], 30);
    assert_eq!(s["keep_old_sessions"], false);
    let saved = std::fs::read_to_string(&b.config).unwrap();
    assert!(saved.contains("retention_days = 30"), "{saved}");
    let c = admin_b.get("/api/v1/controls").json();
    assert_eq!(c["dns_block"]["all"], true);
    assert_eq!(c["dns_block"]["devices"], json!(["192.168.4.21"]));
    let ig = admin_b.get("/api/v1/alerts/ignores").json();
    assert_eq!(ig["ignores"][0]["rule"]["domains"], json!(["icloud.com"]));
    assert_eq!(ig["ignores"][0]["expires"], doc["ignores"][0]["expires"]);
    let gv = admin_b.get("/api/v1/group-view").json();
    let targets: Vec<&str> = gv["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["target"].as_str().unwrap())
        .collect();
    assert_eq!(targets.len(), 2, "{gv}");
    assert!(targets.contains(&"example.com"), "{gv}");
    let after = admin_b.backup();
    assert_eq!(after["nicknames"], doc["nicknames"]);
    assert_eq!(after["group_view_rules"], doc["group_view_rules"]);

    // Restoring again adds no duplicate rules or ignores.
    let r = admin_b.post_json("/api/v1/backup", &doc);
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.json()["restored"]["already_there"], 3, "{}", r.text());
    let again = admin_b.backup();
    assert_eq!(again["group_view_rules"], doc["group_view_rules"]);
    assert_eq!(again["ignores"], doc["ignores"]);

    // The secrets: the admin password and the metrics token at once, the WiFi passphrase
    // saved for the next start; all three in B's config file.
    let scrape = |token: &str| {
        b.req(
            "GET",
            "/metrics",
            &[("Authorization", &format!("Bearer {token}"))],
            "",
        )
        .status
    };
    assert_eq!(scrape(METRICS_TOKEN), 404, "B has no metrics token yet");
    let mut bad_secret = with.clone();
    bad_secret["secrets"]["metrics_token"] = json!("short");
    let r = admin_b.post_json("/api/v1/backup", &bad_secret);
    assert_eq!(r.status, 400);
    assert!(
        r.text()
            .contains("secrets.metrics_token: must be at least 16 characters"),
        "{}",
        r.text()
    );
    let r = admin_b.post_json("/api/v1/backup", &with);
    assert_eq!(r.status, 200, "{}", r.text());
    let j = r.json();
    assert_eq!(
        j["secrets"]["now"],
        json!(["admin password", "metrics token"]),
        "{j}"
    );
    assert_eq!(j["secrets"]["saved"], true, "{j}");
    assert_eq!(j["secrets"]["wifi_passphrase_at_restart"], true, "{j}");
    assert!(
        j["note"]
            .as_str()
            .unwrap()
            .contains("The WiFi passphrase is saved and applies at the next start"),
        "{j}"
    );
    assert!(b.login(None, PASSWORD).is_ok(), "A's password opens B");
    assert!(
        b.login(None, PASSWORD_B).is_err(),
        "B's old password is gone"
    );
    assert_eq!(
        admin_b.get("/api/v1/backup").status,
        200,
        "the restoring login stays"
    );
    assert_eq!(scrape(METRICS_TOKEN), 200, "A's token scrapes B");
    let saved = std::fs::read_to_string(&b.config).unwrap();
    let hash = with["secrets"]["admin_password_hash"].as_str().unwrap();
    assert!(
        saved.contains(&format!("password_hash = \"{hash}\"")),
        "{saved}"
    );
    assert!(
        saved.contains(&format!("token = \"{METRICS_TOKEN}\"")),
        "{saved}"
    );
    assert!(
        saved.contains(&format!(
            "passphrase = \"{WIFI_PASSPHRASE}\" # on the poster"
        )),
        "comments kept: {saved}"
    );
    assert!(saved.contains("# The room's WiFi."), "{saved}");
    assert!(!saved.contains(WIFI_PASSPHRASE_B), "{saved}");
    // Until the restart, the room keeps its WiFi: B's backup still has its own passphrase.
    let b_now = admin_b.get("/api/v1/backup?secrets=1").json();
    assert_eq!(b_now["secrets"]["wifi_passphrase"], WIFI_PASSPHRASE_B);
}
