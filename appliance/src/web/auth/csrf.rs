//! Cross-site request forgery checks for every form and JSON request that changes state.
//!
//! Two kinds of token, both 256 random bits in hex, both compared in constant time:
//!
//! * **Admin**: bound to the login. [`super::login::AdminSession::csrf_token`] gives it for
//!   forms (hidden field `csrf`) and `GET /api/v1/admin` gives it to scripts (header
//!   `X-CSRF-Token`). [`super::login::AdminSession::check_csrf`] checks a form's field,
//!   [`super::login::AdminWrite`] checks the header.
//! * **Device forms** (no login: the device's own page): double-submit. [`FormToken`] as an
//!   extractor reads the `whereflow_form` cookie (SameSite=Strict, HttpOnly) or makes a new
//!   one; put [`FormToken::value`] in the form's hidden `csrf` field and return the token
//!   with the response (it sets the cookie when it is new). On the POST,
//!   [`check_form_token`] compares the field with the cookie. A page on another site can
//!   neither read the cookie nor make the browser send it (SameSite=Strict).
//!
//! Both also refuse a request whose `Origin` header names another host
//! ([`check_same_origin`]); browsers send it with every POST.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, IntoResponseParts, Response, ResponseParts};
use subtle::ConstantTimeEq;

/// The header scripts send the admin token in.
pub const HEADER: &str = "x-csrf-token";
/// The double-submit cookie of device forms.
pub const FORM_COOKIE: &str = "whereflow_form";

/// A random 256-bit token.
pub type Token = [u8; 32];

/// A new random token (the thread-local generator is a CSPRNG seeded from the OS).
pub fn new_token() -> Token {
    let mut t = [0u8; 32];
    rand::fill(&mut t[..]);
    t
}

/// Lower-case hex.
pub fn to_hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(char::from(DIGITS[usize::from(b >> 4)]));
        s.push(char::from(DIGITS[usize::from(b & 15)]));
    }
    s
}

/// A 64-digit hex token back to bytes (`None` if it is not one).
pub fn from_hex(s: &str) -> Option<Token> {
    let s = s.as_bytes();
    if s.len() != 64 {
        return None;
    }
    let digit = |c: u8| match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        b'A'..=b'F' => Some(c - b'A' + 10),
        _ => None,
    };
    let mut out = [0u8; 32];
    for (i, pair) in s.chunks_exact(2).enumerate() {
        out[i] = digit(pair[0])? << 4 | digit(pair[1])?;
    }
    Some(out)
}

/// Does `submitted` (hex) equal `expected`? Constant time in the token's content.
pub fn tokens_equal(expected: &Token, submitted: &str) -> bool {
    // A malformed token is compared against zeros, so the time does not say which it was.
    let given = from_hex(submitted.trim());
    let ok = given.unwrap_or([0u8; 32]).ct_eq(expected);
    bool::from(ok) && given.is_some()
}

/// Why a state-changing request was refused: `403 Forbidden`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct CsrfRejection(pub &'static str);

impl IntoResponse for CsrfRejection {
    fn into_response(self) -> Response {
        let said = crate::web::reasons::csrf(crate::web::language::current().reader(), &self);
        crate::web::reasons::json_refusal(
            StatusCode::FORBIDDEN,
            format!("refused: {}", self.0),
            said,
        )
    }
}

/// Refuse a request whose `Origin` names another host than `Host` (or is `null`). Requests
/// without `Origin` (scripts, old browsers) pass: the token decides for them.
pub fn check_same_origin(headers: &HeaderMap) -> Result<(), CsrfRejection> {
    let Some(origin) = headers.get(header::ORIGIN) else {
        return Ok(());
    };
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("");
    let origin_host = origin
        .to_str()
        .ok()
        .and_then(|o| o.split_once("://"))
        .map(|(_, rest)| rest.trim_end_matches('/'));
    match origin_host {
        Some(o) if !host.is_empty() && o.eq_ignore_ascii_case(host) => Ok(()),
        _ => Err(CsrfRejection(CROSS_SITE)),
    }
}

/// The value of cookie `name`, from every `Cookie` header of the request.
pub fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.trim())
}

/// The double-submit token of a device form: an extractor for the page that shows the form,
/// and response parts that set its cookie when it is new.
///
/// ```ignore
/// async fn page(token: FormToken) -> impl IntoResponse {
///     let html = format!("<input type=hidden name=csrf value={}>", token.value());
///     (token, Html(html))
/// }
/// async fn post(headers: HeaderMap, Form(f): Form<MyForm>) -> Response {
///     if let Err(e) = check_form_token(&headers, &f.csrf) { return e.into_response(); }
///     ...
/// }
/// ```
#[derive(Clone, Debug)]
pub struct FormToken {
    value: String,
    new: bool,
}

impl FormToken {
    /// The token for the form's hidden `csrf` field.
    pub fn value(&self) -> &str {
        &self.value
    }

    fn from_headers(headers: &HeaderMap) -> FormToken {
        match cookie(headers, FORM_COOKIE).filter(|v| from_hex(v).is_some()) {
            Some(v) => FormToken {
                value: v.to_owned(),
                new: false,
            },
            None => FormToken {
                value: to_hex(&new_token()),
                new: true,
            },
        }
    }
}

impl<S: Send + Sync> FromRequestParts<S> for FormToken {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(FormToken::from_headers(&parts.headers))
    }
}

impl IntoResponseParts for FormToken {
    type Error = std::convert::Infallible;

    fn into_response_parts(self, mut res: ResponseParts) -> Result<ResponseParts, Self::Error> {
        if self.new {
            // Session cookie (no Max-Age): a form token needs no longer life than the tab.
            let c = format!(
                "{FORM_COOKIE}={}; HttpOnly; SameSite=Strict; Path=/",
                self.value
            );
            if let Ok(v) = HeaderValue::from_str(&c) {
                res.headers_mut().append(header::SET_COOKIE, v);
            }
        }
        Ok(res)
    }
}

/// The request's `Origin` is another site.
pub(crate) const CROSS_SITE: &str = "the request came from another site";
/// A device form came without its security cookie.
pub(crate) const NO_FORM_COOKIE: &str =
    "the form's security cookie is missing: reload the page and try again";
/// An admin form's or script's token is missing or not this login's.
pub(crate) const ADMIN_TOKEN: &str =
    "the security token is missing or wrong: reload the admin page and try again";
/// A device form's token is not its cookie's.
pub(crate) const TOKEN_MISMATCH: &str =
    "the form's security token does not match: reload the page and try again";

/// Check a device form's submitted token against its cookie (and the `Origin`).
pub fn check_form_token(headers: &HeaderMap, submitted: &str) -> Result<(), CsrfRejection> {
    check_same_origin(headers)?;
    let Some(expected) = cookie(headers, FORM_COOKIE).and_then(from_hex) else {
        return Err(CsrfRejection(NO_FORM_COOKIE));
    };
    if tokens_equal(&expected, submitted) {
        Ok(())
    } else {
        Err(CsrfRejection(TOKEN_MISMATCH))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.append(*k, HeaderValue::from_str(v).unwrap());
        }
        h
    }

    #[test]
    fn hex_round_trips_and_rejects_junk() {
        let t = new_token();
        assert_eq!(from_hex(&to_hex(&t)), Some(t));
        assert_eq!(from_hex(&to_hex(&t).to_uppercase()), Some(t));
        assert_ne!(new_token(), t, "random");
        assert!(from_hex("zz").is_none());
        assert!(from_hex(&"g".repeat(64)).is_none());
        assert!(from_hex(&"a".repeat(63)).is_none());
    }

    #[test]
    fn tokens_compare_by_value_only() {
        let t = new_token();
        assert!(tokens_equal(&t, &to_hex(&t)));
        let mut other = t;
        other[31] ^= 1;
        assert!(!tokens_equal(&t, &to_hex(&other)));
        assert!(!tokens_equal(&t, ""));
        assert!(!tokens_equal(&[0u8; 32], ""), "missing never equals zeros");
        assert!(!tokens_equal(&[0u8; 32], "not hex"));
    }

    #[test]
    fn origin_must_be_this_host_when_given() {
        assert!(check_same_origin(&headers(&[("host", "whereflow.lan")])).is_ok());
        assert!(check_same_origin(&headers(&[
            ("host", "whereflow.lan"),
            ("origin", "http://whereflow.lan")
        ]))
        .is_ok());
        assert!(check_same_origin(&headers(&[
            ("host", "127.0.0.1:8080"),
            ("origin", "http://127.0.0.1:8080")
        ]))
        .is_ok());
        for bad in [
            "http://evil.example",
            "null",
            "http://whereflow.lan.evil.example",
        ] {
            assert!(
                check_same_origin(&headers(&[("host", "whereflow.lan"), ("origin", bad)])).is_err(),
                "{bad}"
            );
        }
    }

    #[test]
    fn cookies_are_found_in_any_header() {
        let h = headers(&[("cookie", "a=1; b=2"), ("cookie", "whereflow_form=xyz")]);
        assert_eq!(cookie(&h, "b"), Some("2"));
        assert_eq!(cookie(&h, FORM_COOKIE), Some("xyz"));
        assert_eq!(cookie(&h, "c"), None);
    }

    #[test]
    fn device_form_token_is_double_submitted() {
        let fresh = FormToken::from_headers(&HeaderMap::new());
        assert!(fresh.new);
        let with_cookie = headers(&[("cookie", &format!("{FORM_COOKIE}={}", fresh.value()))]);
        let again = FormToken::from_headers(&with_cookie);
        assert!(!again.new);
        assert_eq!(again.value(), fresh.value());
        assert!(check_form_token(&with_cookie, fresh.value()).is_ok());
        assert!(check_form_token(&with_cookie, &to_hex(&new_token())).is_err());
        assert!(check_form_token(&HeaderMap::new(), fresh.value()).is_err());
        let res = (fresh.clone(), "page").into_response();
        let set = res.headers()[header::SET_COOKIE].to_str().unwrap();
        assert!(set.starts_with(&format!("{FORM_COOKIE}={}", fresh.value())));
        assert!(set.contains("HttpOnly") && set.contains("SameSite=Strict"));
        let res = (again, "page").into_response();
        assert!(res.headers().get(header::SET_COOKIE).is_none());
    }
}
