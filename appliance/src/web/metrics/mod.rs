//! `GET /metrics`: the appliance's counters in the Prometheus text format, for a school's or
//! district's Prometheus to scrape.
//!
//! | Route          | Who may call it                                              |
//! |----------------|--------------------------------------------------------------|
//! | `GET /metrics` | a scraper with `Authorization: Bearer <metrics.token>`       |
//!
//! Off (`404`, as if it did not exist) while `metrics.token` is not set. Without the right
//! token: `401` with `WWW-Authenticate: Bearer`. The token is not the admin password and
//! opens nothing else, so a scraper's configuration never holds an admin session.
//!
//! `collector` reads the numbers; this file only guards and serves them.

mod collector;

use std::sync::Arc;

use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use parking_lot::RwLock;
use subtle::ConstantTimeEq;

use crate::config::MetricsToken;
use crate::web::AppState;

/// Routes of this module.
pub(crate) fn routes() -> Router<AppState> {
    Router::new().route("/metrics", get(metrics))
}

/// The token `/metrics` asks for, as the router state holds it (none: the endpoint is off).
/// A restored backup may set another.
#[derive(Clone, Default)]
pub(crate) struct Guard(Arc<RwLock<Option<Arc<MetricsToken>>>>);

impl Guard {
    /// With the configured token (`None`: off).
    pub(crate) fn new(token: Option<MetricsToken>) -> Self {
        Guard(Arc::new(RwLock::new(token.map(Arc::new))))
    }

    /// The token now.
    pub(crate) fn get(&self) -> Option<Arc<MetricsToken>> {
        self.0.read().clone()
    }

    /// Take another token (checked by the caller); turns `/metrics` on if it was off.
    pub(crate) fn set(&self, token: MetricsToken) {
        *self.0.write() = Some(Arc::new(token));
    }
}

/// Whether the request's `Authorization` header carries `token`.
fn authorized(headers: &HeaderMap, token: &MetricsToken) -> bool {
    let Some(given) = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split_once(' '))
        .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
        .map(|(_, t)| t.trim())
    else {
        return false;
    };
    // Compared as SHA-256 digests in constant time: neither the bytes nor the length of the
    // token leak through how long a refusal takes.
    let digest = |b: &[u8]| ring::digest::digest(&ring::digest::SHA256, b);
    let (a, b) = (digest(given.as_bytes()), digest(token.as_bytes()));
    a.as_ref().ct_eq(b.as_ref()).into()
}

async fn metrics(State(app): State<AppState>, headers: HeaderMap) -> Response {
    let Some(token) = app.metrics_token.get() else {
        return StatusCode::NOT_FOUND.into_response();
    };
    if !authorized(&headers, &token) {
        let challenge = if headers.contains_key(header::AUTHORIZATION) {
            "Bearer realm=\"whereflow metrics\", error=\"invalid_token\""
        } else {
            "Bearer realm=\"whereflow metrics\""
        };
        return (
            StatusCode::UNAUTHORIZED,
            [(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static(challenge),
            )],
            "a bearer token (metrics.token) is needed\n",
        )
            .into_response();
    }
    match collector::Scrape::read(&app).encode() {
        Ok(body) => (
            [
                (
                    header::CONTENT_TYPE,
                    HeaderValue::from_static(
                        prometheus_client::encoding::prometheus_text::CONTENT_TYPE,
                    ),
                ),
                (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
            ],
            body,
        )
            .into_response(),
        // Writing into a String only fails on a bug in the encoder; said plainly.
        Err(e) => {
            tracing::error!("cannot encode /metrics: {e}");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn token() -> MetricsToken {
        toml::from_str::<crate::config::MetricsConfig>("token = \"0123456789abcdef-token\"")
            .unwrap()
            .token
            .unwrap()
    }

    fn with(auth: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(header::AUTHORIZATION, HeaderValue::from_str(auth).unwrap());
        h
    }

    #[test]
    fn only_the_bearer_token_opens_it() {
        let t = token();
        assert!(authorized(&with("Bearer 0123456789abcdef-token"), &t));
        assert!(authorized(&with("bearer 0123456789abcdef-token"), &t));
        assert!(!authorized(&with("Bearer 0123456789abcdef-toke"), &t));
        assert!(!authorized(&with("Basic 0123456789abcdef-token"), &t));
        assert!(!authorized(&with("0123456789abcdef-token"), &t));
        assert!(!authorized(&HeaderMap::new(), &t));
    }
}
