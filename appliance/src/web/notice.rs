//! The short page a refused form gets (the forms work without JavaScript, so a refusal must
//! be a page a person can read, with the way back), and the page of an address that does
//! not exist (a student typing paths), in the reader's language.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Response};

/// A page titled `title` saying `message`, with a link back to `back_href` (`back_label`),
/// all in the language `lang` (`<html lang>`). The message is escaped; the page is never
/// cached.
pub fn refused_page(
    lang: &str,
    status: StatusCode,
    title: &str,
    message: &str,
    back_href: &str,
    back_label: &str,
) -> Response {
    let esc = crate::web::page::html_escape;
    (
        status,
        [(header::CACHE_CONTROL, HeaderValue::from_static("no-store"))],
        Html(format!(
            "<!doctype html><html lang=\"{lang}\" dir=\"{dir}\"><meta charset=utf-8><meta name=viewport content=\"width=device-width\">\
             <link rel=icon href=\"data:,\"><title>{t}</title><main><h1>{t}</h1><p>{m}</p>\
             <p><a href=\"{h}\">{l}</a></p></main>",
            lang = esc(lang),
            dir = lang
                .parse::<crate::i18n::Lang>()
                .map_or("ltr", crate::i18n::Lang::dir),
            t = esc(title),
            m = esc(message),
            h = esc(back_href),
            l = esc(back_label),
        )),
    )
        .into_response()
}

/// An address nothing answers: a page with the way home (`/api/...`: JSON), not an empty
/// `404`.
pub async fn not_found(uri: axum::http::Uri) -> Response {
    let tr = crate::web::language::current().reader();
    if uri.path().starts_with("/api/") {
        return crate::web::reasons::json_refusal(
            StatusCode::NOT_FOUND,
            "there is no such address in this API (see docs/API.md)",
            tr.t("not-found-api"),
        );
    }
    refused_page(
        tr.code(),
        StatusCode::NOT_FOUND,
        &tr.t("not-found-title"),
        &tr.t("not-found-text"),
        "/",
        &tr.t("not-found-home"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn message_is_escaped_and_page_not_cached() {
        let r = refused_page(
            "en",
            StatusCode::BAD_REQUEST,
            "Not saved",
            "<b>&",
            "/me",
            "Back",
        );
        assert_eq!(r.status(), StatusCode::BAD_REQUEST);
        assert_eq!(r.headers()[header::CACHE_CONTROL], "no-store");
        let body = axum::body::to_bytes(r.into_body(), 10_000)
            .await
            .unwrap_or_default();
        let text = String::from_utf8_lossy(&body);
        assert!(text.contains("&lt;b&gt;&amp;"), "{text}");
        assert!(text.contains("<a href=\"/me\">Back</a>"), "{text}");
    }
}
