//! Names in the group views, end to end on the lab over real HTTP from the devices' own
//! namespaces: a device that told DHCP its host name ("alice-laptop", from a real lease file
//! the refresher reads) is shown to the others by its session pseudonym ("Blue Otter") and
//! never by its host name, MAC or address, while its own page and `/api/v1/me` show the host
//! name. It picks a nickname: hostile ones (text-direction override, zero-width space, too
//! long, an insult) are refused with a clear message; HTML is kept as text and shown escaped;
//! a friendly one with an emoji names it in the group views. Lease lines with invalid UTF-8,
//! HTML or a formula for a host name are read without harm.
//!
//! A new session keeps the nicknames when the admin asks, and clears them by default.
//!
//! Needs root. Nothing leaves the lab.

mod admin_support;
mod common;

use std::time::{Duration, Instant};

use common::{form_token, request_as_device, Daemon, API};
use hickory_proto::rr::RecordType;
use serde_json::Value;
use whereflow_lab::{Lab, LabOptions, Zone};

const HOSTNAME: &str = "alice-laptop";
const PASSWORD: &str = "correct horse battery";

fn json(lab: &Lab, dev: usize, path: &str) -> Value {
    let (code, _, body) = request_as_device(lab, dev, "GET", path, &[], "").expect("GET");
    assert_eq!(code, 200, "GET {path}: {body}");
    serde_json::from_str(&body).expect("JSON")
}

/// Form encoding: every byte but letters and digits as `%XX`.
fn form_encode(s: &str) -> String {
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

/// `POST /me/nickname` as device `dev`: the status and body.
fn set_nickname(lab: &Lab, dev: usize, nickname: &str) -> (u16, String) {
    let (cookie, token, _) = form_token(lab, dev);
    let form = format!("nickname={}&csrf={token}", form_encode(nickname));
    let (code, _, body) = request_as_device(
        lab,
        dev,
        "POST",
        "/me/nickname",
        &[
            ("Content-Type", "application/x-www-form-urlencoded"),
            ("Cookie", &cookie),
        ],
        &form,
    )
    .expect("POST");
    (code, body)
}

/// The group views' name of the device at `ip`, from `/api/v1/paths` as device `viewer`.
fn path_name(lab: &Lab, viewer: usize, ip: &str) -> Option<String> {
    let paths = json(lab, viewer, "/api/v1/paths?window=900");
    paths["devices"]
        .as_array()?
        .iter()
        .find(|d| d["id"] == ip)
        .and_then(|d| d["name"].as_str().map(String::from))
}

#[test]
fn others_see_pseudonyms_and_nicknames_the_device_sees_itself() {
    let zones = vec![Zone::new("test").a("a.example", "203.0.113.10")];
    let lab = Lab::build(LabOptions { devices: 2, zones }).expect("building the lab (needs root)");
    let _tcp = lab.tcp_server(443).expect("tcp server");
    let d0 = lab.devices()[0].clone();

    // dnsmasq's lease file as it would write it, plus lines no dnsmasq writes: a host name
    // with invalid UTF-8 and a bidi override, one with HTML, one that is a formula.
    let leases = lab.dir().join("dnsmasq.leases");
    let expiry = chrono::Utc::now().timestamp() + 3600;
    let mut text = format!(
        "{expiry} {} {} {HOSTNAME} *\n{expiry} 02:00:00:00:00:51 192.0.2.51 ",
        d0.mac, d0.ipv4
    )
    .into_bytes();
    text.extend_from_slice(b"evil\xff\xfe\xe2\x80\xaegnp *\n");
    text.extend_from_slice(
        format!(
            "{expiry} 02:00:00:00:00:52 192.0.2.52 <script>alert(1)</script> *\n\
             {expiry} 02:00:00:00:00:53 192.0.2.53 =HYPERLINK(\"x\") *\n"
        )
        .as_bytes(),
    );
    std::fs::write(&leases, text).expect("lease file");
    let extra = format!(
        "[devices]\ndnsmasq_leases = \"{}\"\n[admin]\npassword = \"{PASSWORD}\"\n",
        leases.display()
    );
    let d = Daemon::start(&lab, &extra).expect("daemon");

    for dev in 0..2 {
        lab.query(
            dev,
            "192.0.2.1:53".parse().expect("addr"),
            "a.example.test.",
            RecordType::A,
            false,
        )
        .expect("query");
        lab.tcp_exchange(dev, "203.0.113.10:443".parse().expect("addr"), 2000, 8000)
            .expect("exchange");
    }
    d.wait_for(&lab, Duration::from_secs(10), |f| {
        (f.len() >= 2).then_some(())
    })
    .expect("two flows");
    let ip0 = d0.ipv4.to_string();
    let deadline = Instant::now() + Duration::from_secs(15);
    let me = loop {
        let me = json(&lab, 0, "/api/v1/me");
        if me["hostname"] == HOSTNAME {
            break me;
        }
        assert!(
            Instant::now() < deadline,
            "the lease was not read: {me}\n{}",
            d.log()
        );
        std::thread::sleep(Duration::from_millis(200));
    };

    // Its own view: host name, pseudonym, "You are ...".
    let pseudonym = me["pseudonym"].as_str().expect("pseudonym").to_string();
    assert_eq!(pseudonym.split(' ').count(), 2, "{pseudonym}");
    assert_eq!(me["group_name"], pseudonym.as_str(), "{me}");
    let (_, _, page) = form_token(&lab, 0);
    assert!(
        page.contains("You are <strong id=\"me-pseudonym\">"),
        "{page}"
    );
    assert!(page.contains(&pseudonym));
    assert!(page.contains(HOSTNAME), "the device sees its own host name");
    let own = json(&lab, 0, "/api/v1/devices");
    assert!(own.to_string().contains(HOSTNAME), "{own}");

    // The others: the pseudonym, never the host name, the MAC or the address as a name.
    assert_eq!(
        path_name(&lab, 1, &ip0).as_deref(),
        Some(pseudonym.as_str())
    );
    let mac_spellings = [d0.mac.to_ascii_lowercase(), d0.mac.replace(':', "")];
    for path in [
        "/api/v1/paths?window=900",
        "/api/v1/devices",
        "/api/v1/alerts",
    ] {
        let (code, _, body) = request_as_device(&lab, 1, "GET", path, &[], "").expect("GET");
        assert!(code == 200 || code == 404, "{path}: {code}");
        assert!(
            !body.contains(HOSTNAME),
            "{path} shows the host name: {body}"
        );
        for m in &mac_spellings {
            assert!(!body.to_ascii_lowercase().contains(m), "{path}: {body}");
        }
    }
    let others = json(&lab, 1, "/api/v1/devices");
    let row = others["devices"]
        .as_array()
        .and_then(|a| a.iter().find(|r| r["ip"] == ip0.as_str()).cloned())
        .expect("device 0 listed");
    assert_eq!(row["name"], pseudonym.as_str(), "{row}");
    assert_eq!(row["hostname"], Value::Null, "{row}");
    assert_eq!(row["vendor"], Value::Null, "{row}");
    // The lines no dnsmasq writes were read without harm: no host name from them.
    let status = json(&lab, 1, "/api/v1/status");
    assert_eq!(status["devices"]["lease_bad_lines"], 0, "{status}");

    // Hostile nicknames: refused, saying why.
    for (bad, why) in [
        ("evil\u{202e}gnp.exe", "text-direction"),
        ("Ana\u{200b}Bob", "invisible"),
        ("Z\u{334}\u{351}\u{30c}\u{35b}algo", "accents"),
        (&"x".repeat(40), "longer than 32"),
        ("f u c k", "friendlier"),
        ("a\u{7}b", "control"),
    ] {
        let (code, body) = set_nickname(&lab, 0, bad);
        assert_eq!(code, 400, "{bad:?}: {body}");
        assert!(body.contains(why), "{bad:?}: {body}");
        assert!(!body.contains('\u{202e}'), "the override is not echoed raw");
    }
    // Invalid UTF-8 in the form: refused (the form decoder makes it U+FFFD), nothing stored.
    let (cookie, token, _) = form_token(&lab, 0);
    let (code, _, body) = request_as_device(
        &lab,
        0,
        "POST",
        "/me/nickname",
        &[
            ("Content-Type", "application/x-www-form-urlencoded"),
            ("Cookie", &cookie),
        ],
        &format!("nickname=ab%FF%FEcd&csrf={token}"),
    )
    .expect("POST");
    assert_eq!(code, 400, "{body}");
    assert!(body.contains("not valid text"), "{body}");
    assert_eq!(json(&lab, 0, "/api/v1/me")["nickname"], Value::Null);

    // HTML is text: kept, escaped on the page, plain in JSON (the views set textContent).
    let (code, _) = set_nickname(&lab, 0, "<b>Zoë</b> 🦊");
    assert_eq!(code, 303);
    let (_, _, page) = form_token(&lab, 0);
    assert!(!page.contains("<b>Zoë"), "unescaped HTML on /me");
    assert!(page.contains("&#60;b&#62;Zoë"), "{page}");
    assert_eq!(path_name(&lab, 1, &ip0).as_deref(), Some("<b>Zoë</b> 🦊"));

    // A friendly one with an emoji (and a ZWJ emoji sequence): the group views use it.
    let (code, body) = set_nickname(&lab, 0, "  Zoë's 👩‍💻 laptop ");
    assert_eq!(code, 303, "{body}");
    assert_eq!(path_name(&lab, 1, &ip0).as_deref(), Some("Zoë's 👩‍💻 laptop"));
    assert_eq!(json(&lab, 0, "/api/v1/me")["group_name"], "Zoë's 👩‍💻 laptop");
    // Still never the host name for the others.
    let (_, _, body) = request_as_device(&lab, 1, "GET", "/api/v1/devices", &[], "").expect("GET");
    assert!(!body.contains(HOSTNAME), "{body}");
    // The log has nothing raw from the hostile input.
    assert!(
        !d.log().contains('\u{202e}'),
        "a raw bidi override in the log"
    );

    // A restart within the session deals the same pseudonyms (the session's key is saved).
    let before = [0, 1].map(|dev| json(&lab, dev, "/api/v1/me")["pseudonym"].clone());
    // The writer commits every 500 ms: let the nickname reach the disk first.
    std::thread::sleep(Duration::from_millis(1200));
    d.kill_keep_data();
    let _d = Daemon::start(&lab, &extra).expect("daemon again");
    let deadline = Instant::now() + Duration::from_secs(15);
    while json(&lab, 0, "/api/v1/me")["hostname"] != HOSTNAME {
        assert!(Instant::now() < deadline, "the lease was not read again");
        std::thread::sleep(Duration::from_millis(200));
    }
    let after = [0, 1].map(|dev| json(&lab, dev, "/api/v1/me")["pseudonym"].clone());
    assert_eq!(before, after);

    // New sessions: the admin keeps the nicknames, or (by default) they start fresh.
    let (cookie, csrf) = lab
        .in_netns(lab.router(), || admin_support::login(API, None, PASSWORD))
        .expect("netns")
        .unwrap_or_else(|r| panic!("login refused: {r:?}"));
    let new_session = |body: &str| {
        let body = body.to_owned();
        let (cookie, csrf) = (cookie.clone(), csrf.clone());
        let r = lab
            .in_netns(lab.router(), move || {
                admin_support::http(
                    API,
                    None,
                    "POST",
                    "/api/v1/sessions",
                    &[("Cookie", &cookie), ("X-CSRF-Token", &csrf)],
                    body.as_bytes(),
                )
            })
            .expect("netns");
        assert_eq!(r.status, 201, "{r:?}");
    };
    new_session(r#"{"name": "Same class", "keep_nicknames": true}"#);
    let me = json(&lab, 0, "/api/v1/me");
    assert_eq!(me["nickname"], "Zoë's 👩‍💻 laptop", "{me}");
    new_session(r#"{"name": "Next class"}"#);
    let me = json(&lab, 0, "/api/v1/me");
    assert_eq!(me["nickname"], Value::Null, "{me}");
    assert_eq!(me["group_name"], me["pseudonym"], "{me}");
}
