//! `[site]`: the appliance's name, address and place on the map.

use serde::Deserialize;

use super::{invalid, ConfigError};

/// `[site]`: what the pages call the appliance, the address people open, and where it stands
/// (the starting point of the lines on the world map).
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct SiteConfig {
    /// Shown in page titles and on the presenter view.
    pub name: String,
    /// The address of the pages as people type or scan it (the presenter's QR code).
    pub url: String,
    /// The appliance's latitude in degrees (north positive). With `longitude`; unset: the map
    /// says the location is not set and draws no lines.
    pub latitude: Option<f64>,
    /// The appliance's longitude in degrees (east positive).
    pub longitude: Option<f64>,
    /// The language of the presenter view, and of the other pages when the reader's browser
    /// asks for none the appliance speaks: `en`, `de`, `fr` or `es`.
    pub language: String,
}

impl Default for SiteConfig {
    fn default() -> Self {
        SiteConfig {
            name: "whereflow".into(),
            url: "http://whereflow.lan".into(),
            latitude: None,
            longitude: None,
            language: "en".into(),
        }
    }
}

impl SiteConfig {
    /// `site.language` (English when not one of the four: `validate` refuses that).
    pub fn lang(&self) -> crate::i18n::Lang {
        self.language.parse().unwrap_or(crate::i18n::Lang::En)
    }

    /// Check the values; the error names the key.
    pub fn validate(&self) -> Result<(), ConfigError> {
        if self.language.parse::<crate::i18n::Lang>().is_err() {
            let code: String = self.language.chars().take(32).collect();
            return Err(invalid(
                "site.language",
                "config-language",
                [("code", format!("{code:?}"))],
            ));
        }
        let name = self.name.trim();
        if name.is_empty() || name.chars().count() > 64 {
            return Err(invalid("site.name", "config-name-length", []));
        }
        if self.name.chars().any(char::is_control) {
            return Err(invalid("site.name", "config-control-chars", []));
        }
        let u = &self.url;
        let rest = u
            .strip_prefix("http://")
            .or_else(|| u.strip_prefix("https://"));
        match rest {
            Some(r) if !r.is_empty() && !r.starts_with('/') => {}
            _ => {
                return Err(invalid(
                    "site.url",
                    "config-site-url",
                    [("url", format!("{u:?}"))],
                ))
            }
        }
        if u.len() > 200 || u.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(invalid("site.url", "config-site-url-length", []));
        }
        match (self.latitude, self.longitude) {
            (None, None) => {}
            (Some(_), None) => {
                return Err(invalid(
                    "site.longitude",
                    "config-needed-with",
                    [("other", "site.latitude".into())],
                ))
            }
            (None, Some(_)) => {
                return Err(invalid(
                    "site.latitude",
                    "config-needed-with",
                    [("other", "site.longitude".into())],
                ))
            }
            (Some(lat), Some(lon)) => {
                if !(-90.0..=90.0).contains(&lat) {
                    return Err(invalid("site.latitude", "config-latitude-range", []));
                }
                if !(-180.0..=180.0).contains(&lon) {
                    return Err(invalid("site.longitude", "config-longitude-range", []));
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unknown_language_names_the_key() {
        let mut site = SiteConfig {
            language: "de".into(),
            ..SiteConfig::default()
        };
        assert!(site.validate().is_ok());
        assert_eq!(site.lang(), crate::i18n::Lang::De);
        site.language = "klingon".into();
        let e = site.validate().unwrap_err().to_string();
        assert!(e.contains("site.language") && e.contains("klingon"), "{e}");
    }
}
