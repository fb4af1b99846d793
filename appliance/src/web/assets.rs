//! `GET /assets/{file}`: the front end's scripts and style sheet, built by
//! `scripts/build-web.sh` and embedded in the binary by `build.rs` (nothing is read from disk
//! and nothing is fetched from another host).
//!
//! File names carry a content hash (`sankey-LVKOIMUP.js`), so they are cached for a year; an
//! ETag answers revalidation with `304`. A gzip copy made at build time is sent to clients that
//! accept it (the Pi does not compress the same bytes again for every phone).

use axum::extract::Path;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;

use crate::web::AppState;

/// One embedded file.
#[derive(Debug)]
pub struct Asset {
    /// File name under `/assets/`.
    pub name: &'static str,
    /// `Content-Type`.
    pub content_type: &'static str,
    /// The bytes.
    pub body: &'static [u8],
    /// The same, gzipped at build time.
    pub gzip: Option<&'static [u8]>,
    /// Strong ETag (quoted), from the content.
    pub etag: &'static str,
}

mod generated {
    use super::Asset;
    include!(concat!(env!("OUT_DIR"), "/web_assets.rs"));
}

/// Routes of this module.
pub fn routes() -> Router<AppState> {
    Router::new().route("/assets/{file}", get(asset))
}

/// The embedded file named `name`, if any.
pub fn find(name: &str) -> Option<&'static Asset> {
    generated::FILES.iter().find(|a| a.name == name)
}

/// The URL of a view's script or style sheet by its source name (`"sankey.js"` ->
/// `"/assets/sankey-LVKOIMUP.js"`). An unknown name gives a URL that answers 404, so a page
/// still renders (and the browser console names the missing file).
pub fn url(entry: &str) -> String {
    let file = generated::ENTRIES
        .iter()
        .find(|(k, _)| *k == entry)
        .map(|(_, v)| *v)
        .unwrap_or(entry);
    format!("/assets/{file}")
}

fn accepts_gzip(headers: &HeaderMap) -> bool {
    headers
        .get_all(header::ACCEPT_ENCODING)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|part| {
            let mut it = part.split(';');
            let coding = it.next().unwrap_or("").trim();
            let refused = it.any(|p| {
                let p = p.trim();
                p.strip_prefix("q=")
                    .and_then(|q| q.trim().parse::<f32>().ok())
                    .is_some_and(|q| q == 0.0)
            });
            (coding.eq_ignore_ascii_case("gzip") || coding == "*") && !refused
        })
}

async fn asset(Path(file): Path<String>, headers: HeaderMap) -> Response {
    let Some(a) = find(&file) else {
        return (
            StatusCode::NOT_FOUND,
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            "no such file\n",
        )
            .into_response();
    };
    let cache = HeaderValue::from_static("public, max-age=31536000, immutable");
    let etag = HeaderValue::from_static(a.etag);
    let matches = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == a.etag || t.trim() == "*"));
    if matches {
        return (
            StatusCode::NOT_MODIFIED,
            [(header::ETAG, etag), (header::CACHE_CONTROL, cache)],
        )
            .into_response();
    }
    let vary = (header::VARY, HeaderValue::from_static("accept-encoding"));
    let ctype = (
        header::CONTENT_TYPE,
        HeaderValue::from_static(a.content_type),
    );
    match a.gzip {
        Some(gz) if accepts_gzip(&headers) => (
            [
                ctype,
                (header::CONTENT_ENCODING, HeaderValue::from_static("gzip")),
                (header::ETAG, etag),
                (header::CACHE_CONTROL, cache),
                vary,
            ],
            gz,
        )
            .into_response(),
        _ => (
            [
                ctype,
                (header::ETAG, etag),
                (header::CACHE_CONTROL, cache),
                vary,
            ],
            a.body,
        )
            .into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_view_is_embedded_with_its_type() {
        for entry in [
            "sankey.js",
            "map.js",
            "presenter.js",
            "me.js",
            "home.js",
            "style.css",
        ] {
            let u = url(entry);
            let name = u.strip_prefix("/assets/").unwrap();
            assert_ne!(name, entry, "{entry} has a content-hashed name");
            let a = find(name).unwrap_or_else(|| panic!("{name} is embedded"));
            assert!(!a.body.is_empty());
            let want = if entry.ends_with(".css") {
                "text/css; charset=utf-8"
            } else {
                "text/javascript; charset=utf-8"
            };
            assert_eq!(a.content_type, want);
            assert!(a.gzip.is_some_and(|g| g.len() < a.body.len()));
        }
    }

    #[test]
    fn the_front_end_stays_within_its_budget() {
        let gz: usize = generated::FILES
            .iter()
            .filter(|a| a.name.ends_with(".js") || a.name.ends_with(".css"))
            .map(|a| a.gzip.map_or(a.body.len(), |g| g.len()))
            .sum();
        assert!(gz <= 250 * 1024, "{gz} bytes of JS + CSS gzipped");
    }

    #[test]
    fn nothing_is_fetched_from_another_host() {
        for a in generated::FILES {
            let text = String::from_utf8_lossy(a.body);
            for bad in [
                "fonts.googleapis",
                "cdn.jsdelivr",
                "unpkg.com",
                "cdnjs",
                "tile.openstreetmap",
            ] {
                assert!(!text.contains(bad), "{} mentions {bad}", a.name);
            }
        }
    }

    #[test]
    fn gzip_negotiation() {
        let mut h = HeaderMap::new();
        assert!(!accepts_gzip(&h));
        h.insert(
            header::ACCEPT_ENCODING,
            HeaderValue::from_static("gzip, deflate, br"),
        );
        assert!(accepts_gzip(&h));
        h.insert(
            header::ACCEPT_ENCODING,
            HeaderValue::from_static("br;q=1, gzip;q=0"),
        );
        assert!(!accepts_gzip(&h));
        h.insert(
            header::ACCEPT_ENCODING,
            HeaderValue::from_static("identity"),
        );
        assert!(!accepts_gzip(&h));
    }
}
