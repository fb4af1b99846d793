//! The reader's language against the real daemon over HTTP: `Accept-Language` chooses it,
//! the switcher's cookie overrides it, `site.language` sets the presenter's and the fallback;
//! bad input (an unknown or malformed `Accept-Language`, a cookie naming a language that does
//! not exist, a switcher link to one, a way back to another site) gives English or the
//! fallback, never an error.

mod admin_support;

use admin_support::{Daemon, Resp};

fn lang_of(r: &Resp) -> String {
    assert_eq!(r.status, 200, "{r:?}");
    let html = r.text();
    let start = html.find("<html lang=\"").expect("<html lang>") + 12;
    html[start..start + html[start..].find('"').expect("closing quote")].to_string()
}

#[test]
fn the_browser_and_the_switcher_choose_and_bad_input_is_english() {
    let d = Daemon::start(Daemon::dir("langs"), "", false);
    let page = |al: Option<&str>, cookie: Option<&str>, path: &str| {
        let mut h = Vec::new();
        if let Some(v) = al {
            h.push(("Accept-Language", v));
        }
        if let Some(v) = cookie {
            h.push(("Cookie", v));
        }
        lang_of(&d.get(path, &h))
    };
    assert_eq!(page(None, None, "/"), "en");
    assert_eq!(page(Some("de-CH,de;q=0.9,en;q=0.4"), None, "/"), "de");
    assert_eq!(page(Some("pt-BR, fr;q=0.5"), None, "/sankey"), "fr");
    assert_eq!(page(Some("es-419"), None, "/map"), "es");
    // Unknown and malformed: English, no error.
    assert_eq!(page(Some("tlh, x-klingon;q=1"), None, "/"), "en");
    assert_eq!(page(Some(";q=;;,,=de=;q=2"), None, "/"), "en");
    assert_eq!(page(Some(&"de-".repeat(2000)), None, "/"), "en");
    // The cookie wins; a cookie naming no language is ignored.
    assert_eq!(page(Some("de"), Some("wf_lang=es"), "/me"), "es");
    assert_eq!(page(Some("de"), Some("wf_lang=xx"), "/"), "de");
    assert_eq!(page(None, Some("wf_lang=%FF%00"), "/alerts"), "en");
    assert_eq!(page(None, Some("wf_lang="), "/presenter"), "en");

    // The words change with the language.
    let de = d.get("/", &[("Accept-Language", "de")]).text();
    assert!(de.contains("Wohin gehen deine Daten?"), "{de}");
    assert!(!de.contains('⟦'), "no missing message");
    let fr = d.get("/sankey", &[("Cookie", "wf_lang=fr")]).text();
    assert!(fr.contains("Où vont les données"), "{fr}");
    // The device's own pages, the alerts and the admin login, with their refusals.
    let me = d.get("/me", &[("Accept-Language", "de")]).text();
    assert!(me.contains("Dieses Gerät vergessen"), "{me}");
    // A name the appliance made up for the device is said in the page's language too (the
    // test asks from 127.0.0.1, an address the registry knows nothing about), and the API
    // keeps the English name with its words for the scripts.
    assert!(me.contains("<h1 id=\"me-name\">Gerät .1</h1>"), "{me}");
    let api = d.get("/api/v1/me", &[("Accept-Language", "de")]).text();
    assert!(api.contains("\"name\":\"Device .1\""), "{api}");
    assert!(
        api.contains("\"name_words\":{\"id\":\"device-name-address\",\"args\":{\"tail\":\".1\"}}"),
        "{api}"
    );
    let th = d.get("/me/takehome", &[("Accept-Language", "es")]).text();
    assert!(th.contains("Adónde fueron mis datos"), "{th}");
    let al = d.get("/alerts", &[("Cookie", "wf_lang=fr")]).text();
    assert!(al.contains("Ce que veulent dire les types"), "{al}");
    let ad = d.get("/admin", &[("Accept-Language", "de")]).text();
    assert!(ad.contains("Verwaltung"), "{ad}");
    let other = d.get(
        "/me/takehome?device=192.0.2.99",
        &[("Accept-Language", "fr")],
    );
    assert_eq!(other.status, 403, "{other:?}");
    assert!(
        other.text().contains("Pas ton appareil"),
        "{}",
        other.text()
    );
    assert!(
        other.text().contains("<html lang=\"fr\""),
        "{}",
        other.text()
    );
    for page in [&me, &th, &al, &ad] {
        assert!(!page.contains('⟦'), "no missing message");
    }

    // The switcher: a cookie and a way back, only to this appliance.
    let r = d.get("/lang/fr?back=/sankey%3Fwindow%3D60", &[]);
    assert_eq!(r.status, 303, "{r:?}");
    assert_eq!(r.header("location"), Some("/sankey?window=60"));
    let cookie = r.header("set-cookie").unwrap_or_default().to_string();
    assert!(cookie.starts_with("wf_lang=fr;"), "{cookie}");
    assert_eq!(
        page(
            None,
            Some(cookie.split(';').next().unwrap_or_default()),
            "/"
        ),
        "fr"
    );
    let r = d.get("/lang/klingon?back=//evil.example/", &[]);
    assert_eq!(r.status, 303, "{r:?}");
    assert_eq!(r.header("location"), Some("/"));
    assert!(
        r.header("set-cookie")
            .unwrap_or_default()
            .contains("Max-Age=0"),
        "an unknown language clears the choice: {r:?}"
    );
    let r = d.get("/lang/de?back=https://evil.example/", &[]);
    assert_eq!(r.header("location"), Some("/"));
}

#[test]
fn site_language_sets_the_presenter_and_the_fallback() {
    let d = Daemon::start(
        Daemon::dir("site-lang"),
        "[site]\nlanguage = \"de\"\n",
        false,
    );
    let lang = |path: &str, h: &[(&str, &str)]| lang_of(&d.get(path, h));
    assert_eq!(lang("/presenter", &[("Accept-Language", "fr")]), "de");
    assert_eq!(lang("/presenter", &[("Cookie", "wf_lang=es")]), "es");
    assert_eq!(lang("/", &[("Accept-Language", "fr")]), "fr");
    assert_eq!(lang("/", &[("Accept-Language", "ja")]), "de");
    let presenter = d.get("/presenter", &[]).text();
    assert!(presenter.contains("Tracker pro Gerät"), "{presenter}");
}

/// A refusal a page shows is said in the reader's language: a mark set after the teacher's
/// login ended (the presenter's script shows `error_said`), a form posted without a login
/// (a page), a script without the form's token; a session started without a name is listed
/// as "Session of <date>" in the reader's language, and stored without an English name.
#[test]
fn refusals_and_unnamed_sessions_are_said_in_the_readers_language() {
    const PASSWORD: &str = "correct horse battery";
    let d = Daemon::start(
        Daemon::dir("refusals-lang"),
        &format!("[admin]\npassword = \"{PASSWORD}\"\n"),
        false,
    );
    let de = ("Accept-Language", "de-DE,de;q=0.9");
    let json = ("Content-Type", "application/json");

    // No login: JSON with the English `error` kept for scripts, and `error_said` in German.
    let r = d.req(
        "POST",
        "/api/v1/marks",
        &[de, json],
        r#"{"label":"Jetzt TikTok"}"#,
    );
    assert_eq!(r.status, 401, "{r:?}");
    let body = r.json();
    assert_eq!(
        body["error"], "admin login required: log in at /admin",
        "{body}"
    );
    assert_eq!(
        body["error_said"], "Dafür musst du als Admin angemeldet sein: Melde dich unter /admin an",
        "{body}"
    );
    // A form posted after the login ended: a page in the reader's language, escaped.
    let r = d.req(
        "POST",
        "/admin/sessions",
        &[
            ("Accept-Language", "fr"),
            ("Content-Type", "application/x-www-form-urlencoded"),
        ],
        "name=x",
    );
    assert_eq!(r.status, 401, "{r:?}");
    let page = r.text();
    assert!(page.contains("<html lang=\"fr\""), "{page}");
    assert!(page.contains("Connexion administrateur requise"), "{page}");
    assert!(!page.contains("login required"), "{page}");

    // An address that does not exist, as a student types one: a page in their language
    // with the way home (an API address: JSON with the reason in their language).
    let r = d.get("/admin/secret-page", &[("Accept-Language", "es")]);
    assert_eq!(r.status, 404, "{r:?}");
    let page = r.text();
    assert!(page.contains("<html lang=\"es\""), "{page}");
    assert!(
        page.contains("Aquí no hay nada") && page.contains("href=\"/\""),
        "{page}"
    );
    let r = d.get("/api/v1/nope", &[de]);
    assert_eq!(r.status, 404, "{r:?}");
    assert_eq!(
        r.json()["error_said"],
        "diese Adresse gibt es in dieser API nicht"
    );

    // Logged in, but a script without the token: 403, said in Spanish.
    let (cookie, csrf) = d.login(None, PASSWORD).expect("login");
    let r = d.req(
        "POST",
        "/api/v1/marks",
        &[("Accept-Language", "es"), json, ("Cookie", &cookie)],
        r#"{"label":"Ahora"}"#,
    );
    assert_eq!(r.status, 403, "{r:?}");
    let said = r.json()["error_said"].as_str().unwrap_or("").to_owned();
    assert!(said.starts_with("falta el código de seguridad"), "{said}");
    // A body that is not a mark: 400, in German, with the parser's own words after it.
    let r = d.req(
        "POST",
        "/api/v1/marks",
        &[de, json, ("Cookie", &cookie), ("X-CSRF-Token", &csrf)],
        r#"{"text":"Jetzt"}"#,
    );
    assert_eq!(r.status, 400, "{r:?}");
    let said = r.json()["error_said"].as_str().unwrap_or("").to_owned();
    assert!(
        said.starts_with("Die Anfrage muss JSON mit einem „label“"),
        "{said}"
    );

    // A session started without a name: stored empty (the API says so), listed in German.
    let r = d.req(
        "POST",
        "/api/v1/sessions",
        &[json, ("Cookie", &cookie), ("X-CSRF-Token", &csrf)],
        "{}",
    );
    assert_eq!(r.status, 201, "{r:?}");
    assert_eq!(r.json()["session"]["name"], "", "{r:?}");
    let list = d.get("/api/v1/sessions", &[]).json();
    let names: Vec<&str> = list["sessions"]
        .as_array()
        .expect("sessions")
        .iter()
        .map(|s| s["name"].as_str().unwrap_or("?"))
        .collect();
    assert_eq!(
        names,
        ["", ""],
        "the first session is not named either: {list}"
    );
    let admin = d.get("/admin", &[de, ("Cookie", &cookie)]).text();
    assert_eq!(admin.matches("Sitzung vom ").count(), 2, "{admin}");
    assert!(!admin.contains("Session of"), "{admin}");
    // No clock from a script yet: the times are UTC, and say so. With the pages' clock
    // cookie (Berlin, UTC+1) they are the reader's, unmarked.
    let utc_now = chrono::Utc::now();
    let said_utc = (0..2).any(|back| {
        let at = utc_now - chrono::Duration::minutes(back);
        admin.contains(&format!(
            "Sitzung vom {} UTC<",
            at.format("%d.%m.%Y, %H:%M")
        ))
    });
    assert!(said_utc, "{admin}");
    let berlin = d
        .get("/admin", &[de, ("Cookie", &format!("{cookie}; wf_tz=60"))])
        .text();
    let local = utc_now + chrono::Duration::hours(1);
    let ok = (0..2).any(|back| {
        let at = local - chrono::Duration::minutes(back);
        berlin.contains(&format!("Sitzung vom {}<", at.format("%d.%m.%Y, %H:%M")))
    });
    assert!(ok && !berlin.contains(" UTC"), "{berlin}");
}
