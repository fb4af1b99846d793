//! The reader's language on every request, and the switcher that overrides it.
//!
//! | Route | Who | What |
//! | --- | --- | --- |
//! | `GET /lang/{code}?back=/path` | anyone | sets the `wf_lang` cookie (a language this appliance speaks; anything else clears it) and redirects (`303`) back to `back`, a path on this appliance (else `/`) |
//!
//! A middleware ([`scope`]) reads the cookie and `Accept-Language` of each request once and
//! keeps them for the request's task; the page layout ([`crate::web::page::Layout`]) takes the
//! translator from there ([`current`]), so handlers need no extra argument. Works without
//! script: the switcher is a list of plain links.

use axum::extract::{Path, Query, Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use serde::Deserialize;

use crate::i18n::{self, Lang, Tr};
use crate::web::AppState;

/// Routes of the switcher.
pub fn routes() -> Router<AppState> {
    Router::new().route("/lang/{code}", get(switch))
}

/// What one request says about its reader's language.
#[derive(Clone, Debug, Default)]
pub struct Locale {
    /// The switcher's cookie, when it names a language.
    pub cookie: Option<Lang>,
    /// The best match for `Accept-Language`.
    pub accept: Option<Lang>,
    /// The request's path and query (where the switcher comes back to).
    pub path: String,
    /// `site.language`: the pages' language when neither the cookie nor the browser names
    /// one this appliance speaks.
    pub site: Lang,
    /// The reader's clock (their browser's offset from UTC, else UTC).
    pub clock: i18n::Clock,
}

impl Locale {
    /// The reader's translator ([`Locale::tr`] with `site.language`): for refusals said
    /// where the handler has no settings at hand (a JSON error's `error_said`).
    pub fn reader(&self) -> Tr {
        self.tr(self.site)
    }

    /// The translator of a page: the cookie, else the browser, else `site` (`site.language`).
    pub fn tr(&self, site: Lang) -> Tr {
        Tr::new(self.cookie.or(self.accept).unwrap_or(site))
    }

    /// The presenter's translator: the cookie, else `site.language` (a projector's browser
    /// is often not in the room's language).
    pub fn presenter_tr(&self, site: Lang) -> Tr {
        Tr::new(self.cookie.unwrap_or(site))
    }
}

tokio::task_local! {
    static LOCALE: Locale;
}

/// The current request's [`Locale`] (outside a request: English, path `/`).
pub fn current() -> Locale {
    LOCALE.try_with(Clone::clone).unwrap_or_else(|_| Locale {
        path: "/".into(),
        ..Locale::default()
    })
}

/// Middleware: reads the request's language once and runs the rest of it in that scope.
pub async fn scope(State(app): State<AppState>, req: Request, next: Next) -> Response {
    let headers = req.headers();
    let locale = Locale {
        site: app.site.lang(),
        clock: i18n::Clock::from_request(headers),
        cookie: i18n::negotiate::from_cookie(headers),
        accept: i18n::negotiate::from_accept(headers),
        path: req
            .uri()
            .path_and_query()
            .map_or("/".into(), |p| p.as_str().chars().take(300).collect()),
    };
    LOCALE.scope(locale, next.run(req)).await
}

/// The links of the switcher: (code, the language's own name, href) for each language.
pub fn switcher_links(back: &str) -> Vec<(&'static str, &'static str, String)> {
    let back = percent_encode(back);
    Lang::ALL
        .iter()
        .map(|l| {
            (
                l.code(),
                l.endonym(),
                format!("/lang/{}?back={back}", l.code()),
            )
        })
        .collect()
}

#[derive(Deserialize)]
struct Back {
    back: Option<String>,
}

async fn switch(Path(code): Path<String>, Query(q): Query<Back>) -> Response {
    let back = q
        .back
        .filter(|b| local_path(b))
        .unwrap_or_else(|| "/".into());
    let cookie = match code.parse::<Lang>() {
        Ok(lang) => format!(
            "{}={}; Path=/; Max-Age=31536000; SameSite=Lax",
            i18n::COOKIE,
            lang.code()
        ),
        // An unknown language: forget the choice, the browser's language applies again.
        Err(_) => format!("{}=; Path=/; Max-Age=0; SameSite=Lax", i18n::COOKIE),
    };
    let location = HeaderValue::from_str(&back).unwrap_or(HeaderValue::from_static("/"));
    let cookie = HeaderValue::from_str(&cookie).unwrap_or(HeaderValue::from_static(""));
    (
        StatusCode::SEE_OTHER,
        [(header::LOCATION, location), (header::SET_COOKIE, cookie)],
    )
        .into_response()
}

/// A path on this appliance (no scheme, no `//host`, no backslash tricks): where the switcher
/// may send the reader back to.
fn local_path(p: &str) -> bool {
    p.starts_with('/')
        && !p.starts_with("//")
        && !p.contains('\\')
        && p.len() <= 300
        && p.chars().all(|c| c.is_ascii_graphic())
        && !p.starts_with("/lang/")
}

/// `back` as a query value (the path's own `?` and `&` must not end it).
fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"/-_.~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_switcher_only_goes_back_to_this_appliance() {
        assert!(local_path("/me?x=1"));
        assert!(!local_path("//evil.example/"));
        assert!(!local_path("https://evil.example/"));
        assert!(!local_path("/\\evil.example"));
        assert!(!local_path("/lang/de"));
        let links = switcher_links("/sankey?window=60&d=1");
        assert_eq!(links[1].2, "/lang/de?back=/sankey%3Fwindow%3D60%26d%3D1");
    }
}
