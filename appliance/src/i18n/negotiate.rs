//! Which language a reader gets: the switcher's cookie, else the browser's
//! `Accept-Language` (parsed and matched by `fluent-langneg`), else the site's language.

use std::fmt;
use std::str::FromStr;

use axum::http::{header, HeaderMap};
use fluent_langneg::{negotiate_languages, NegotiationStrategy};
use unic_langid::LanguageIdentifier;

/// The cookie the language switcher sets (`GET /lang/{code}`).
pub const COOKIE: &str = "wf_lang";

/// A language the appliance speaks (every catalogue is complete: a unit test checks).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Lang {
    /// English, the language of last resort.
    #[default]
    En,
    /// German.
    De,
    /// French.
    Fr,
    /// Spanish.
    Es,
    /// Arabic (written right to left).
    Ar,
}

impl Lang {
    /// Every language, in the switcher's order.
    pub const ALL: [Lang; 5] = [Lang::En, Lang::De, Lang::Fr, Lang::Es, Lang::Ar];

    /// The BCP 47 code (`de`), as in `site.language`, the cookie and `<html lang>`.
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::De => "de",
            Lang::Fr => "fr",
            Lang::Es => "es",
            Lang::Ar => "ar",
        }
    }

    /// The direction its text runs (`<html dir>`): `rtl` for Arabic, else `ltr`.
    pub fn dir(self) -> &'static str {
        match self {
            Lang::Ar => "rtl",
            _ => "ltr",
        }
    }

    /// The language the Linux text console says things in: this one, or English for Arabic
    /// (the kernel's console draws neither Arabic's joined letters nor right to left).
    pub fn on_console(self) -> Lang {
        match self {
            Lang::Ar => Lang::En,
            other => other,
        }
    }

    /// The language's own name for itself (the switcher shows it).
    pub fn endonym(self) -> &'static str {
        match self {
            Lang::En => "English",
            Lang::De => "Deutsch",
            Lang::Fr => "Français",
            Lang::Es => "Español",
            Lang::Ar => "العربية",
        }
    }

    fn id(self) -> LanguageIdentifier {
        // The codes are valid identifiers; `default()` is `und`, never reached.
        self.code().parse().unwrap_or_default()
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// A code that is not one of [`Lang::ALL`] (only the exact code, case-insensitive).
#[derive(Debug, thiserror::Error)]
#[error("{0:?} is not a language this appliance speaks (en, de, fr, es, ar)")]
pub struct UnknownLang(String);

impl FromStr for Lang {
    type Err = UnknownLang;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Lang::ALL
            .into_iter()
            .find(|l| l.code().eq_ignore_ascii_case(s.trim()))
            .ok_or_else(|| UnknownLang(s.chars().take(32).collect()))
    }
}

/// The language of a request: the switcher's cookie when it names a language, else the best
/// match for `Accept-Language`, else `fallback` (`site.language`). Unknown codes, malformed
/// headers and cookies are skipped, never an error.
pub fn from_request(headers: &HeaderMap, fallback: Lang) -> Lang {
    from_cookie(headers)
        .or_else(|| from_accept(headers))
        .unwrap_or(fallback)
}

/// The switcher's choice, when the cookie names a language.
pub(crate) fn from_cookie(headers: &HeaderMap) -> Option<Lang> {
    cookie(headers, COOKIE, |v| v.parse().ok())
}

/// The first value of cookie `name` that `parse` accepts (values not UTF-8 are skipped).
pub(crate) fn cookie<T>(
    headers: &HeaderMap,
    name: &str,
    parse: impl Fn(&str) -> Option<T>,
) -> Option<T> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .filter(|(k, _)| *k == name)
        .find_map(|(_, v)| parse(v.trim()))
}

/// The best language for `Accept-Language` (RFC 9110 weights; `de-AT` matches `de`).
pub(crate) fn from_accept(headers: &HeaderMap) -> Option<Lang> {
    let value = headers.get(header::ACCEPT_LANGUAGE)?.to_str().ok()?;
    // Long headers are someone's experiment: the first 512 bytes hold any real preference.
    let value = value.get(..value.len().min(512)).unwrap_or("");
    let requested = fluent_langneg::accepted_languages::parse(value);
    let available: Vec<LanguageIdentifier> = Lang::ALL.iter().map(|l| l.id()).collect();
    let chosen = negotiate_languages(&requested, &available, None, NegotiationStrategy::Lookup);
    let first = chosen.first()?;
    Lang::ALL.into_iter().find(|l| l.id() == **first)
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(pairs: &[(header::HeaderName, &[u8])]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.append(k.clone(), HeaderValue::from_bytes(v).unwrap());
        }
        h
    }

    #[test]
    fn browser_preference_picks_the_best_match() {
        let al = |v: &str| {
            from_request(
                &headers(&[(header::ACCEPT_LANGUAGE, v.as_bytes())]),
                Lang::En,
            )
        };
        assert_eq!(al("de-AT,de;q=0.9,en;q=0.5"), Lang::De);
        assert_eq!(al("nl-NL, fr-CA;q=0.8"), Lang::Fr);
        assert_eq!(al("es-419"), Lang::Es);
        assert_eq!(al("en-GB,de;q=0.5"), Lang::En);
        assert_eq!(al("ja, zh-CN"), Lang::En, "unknown languages: English");
        assert_eq!(al(";;;q=x,,=,"), Lang::En, "malformed: English");
        assert_eq!(al(""), Lang::En);
    }

    #[test]
    fn the_cookie_overrides_and_a_bad_one_is_ignored() {
        let h = headers(&[
            (header::ACCEPT_LANGUAGE, b"fr"),
            (header::COOKIE, b"other=1; wf_lang=es"),
        ]);
        assert_eq!(from_request(&h, Lang::En), Lang::Es);
        let h = headers(&[
            (header::ACCEPT_LANGUAGE, b"fr"),
            (header::COOKIE, b"wf_lang=klingon"),
        ]);
        assert_eq!(from_request(&h, Lang::En), Lang::Fr);
        let h = headers(&[(header::COOKIE, b"wf_lang=\xff\xfe")]);
        assert_eq!(
            from_request(&h, Lang::De),
            Lang::De,
            "not UTF-8: the fallback"
        );
    }

    #[test]
    fn arabic_runs_right_to_left_and_the_console_gets_english() {
        assert_eq!(Lang::Ar.dir(), "rtl");
        assert_eq!(Lang::Fr.dir(), "ltr");
        assert_eq!(Lang::Ar.on_console(), Lang::En);
        assert_eq!(Lang::De.on_console(), Lang::De);
        let h = headers(&[(header::ACCEPT_LANGUAGE, b"ar-EG,ar;q=0.9,en;q=0.5")]);
        assert_eq!(from_request(&h, Lang::En), Lang::Ar);
    }

    #[test]
    fn codes_parse_exactly() {
        assert_eq!("DE".parse::<Lang>().ok(), Some(Lang::De));
        assert!("german".parse::<Lang>().is_err());
        assert!("de-AT".parse::<Lang>().is_err());
    }
}
