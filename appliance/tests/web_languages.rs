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
        other.text().contains("<html lang=\"fr\">"),
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
