//! `[metrics]`: the Prometheus endpoint `GET /metrics` and the bearer token that guards it.

use serde::Deserialize;

use super::{invalid, ConfigError};

/// A token shorter than this is refused: a scraper's token is a long random string, and a
/// short one could be guessed over the WiFi.
pub const MIN_TOKEN_LEN: usize = 16;

/// A token longer than this is refused (it travels in every scrape's header).
pub const MAX_TOKEN_LEN: usize = 256;

/// The secret a Prometheus scraper sends as `Authorization: Bearer …`. Kept out of `Debug`
/// output so a logged configuration does not show it.
#[derive(Clone, Deserialize, PartialEq, Eq)]
#[serde(transparent)]
pub struct MetricsToken(String);

impl MetricsToken {
    /// A token as given (a restored backup's); [`MetricsConfig::validate`] or
    /// [`check_token`] says whether it may be used.
    pub(crate) fn new(token: String) -> Self {
        MetricsToken(token)
    }

    /// The token's bytes, for the constant-time comparison in `web::metrics`.
    pub(crate) fn as_bytes(&self) -> &[u8] {
        self.0.as_bytes()
    }
}

impl std::fmt::Debug for MetricsToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("MetricsToken(…)")
    }
}

/// `[metrics]`: the Prometheus endpoint. Off (`/metrics` answers 404) until a token is set;
/// the token is separate from the admin login, so a scraper never holds an admin session.
#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct MetricsConfig {
    /// The bearer token a scraper must send (`metrics.token`); `None`: the endpoint is off.
    pub token: Option<MetricsToken>,
    /// A second listener that serves `/metrics` and nothing else (`metrics.listen`, e.g.
    /// `"0.0.0.0:9100"`), for a scraper on the uplink's network: on the appliance the
    /// firewall opens this port on the uplink, while the pages stay reachable from the WiFi
    /// only. Unset: `/metrics` is served on the web listener alone.
    pub listen: Option<std::net::SocketAddr>,
}

impl MetricsConfig {
    /// Check the values; the error names the key.
    pub(crate) fn validate(&self) -> Result<(), ConfigError> {
        let Some(token) = &self.token else {
            if self.listen.is_some() {
                return Err(invalid("metrics.listen", "config-metrics-token-needed", []));
            }
            return Ok(());
        };
        if self.listen.is_some_and(|a| a.port() == 0) {
            return Err(invalid("metrics.listen", "config-metrics-port", []));
        }
        check_token(&token.0)
    }
}

/// Check a token as `metrics.token` (the config file, a restored backup); the error names
/// that key.
pub(crate) fn check_token(t: &str) -> Result<(), ConfigError> {
    if t.len() < MIN_TOKEN_LEN {
        return Err(invalid(
            "metrics.token",
            "config-token-short",
            [
                ("min", MIN_TOKEN_LEN.to_string()),
                ("n", t.chars().count().to_string()),
            ],
        ));
    }
    if t.len() > MAX_TOKEN_LEN {
        return Err(invalid(
            "metrics.token",
            "config-at-most-chars",
            [("max", MAX_TOKEN_LEN.to_string())],
        ));
    }
    // RFC 6750's token68 characters: what a bearer token may hold on the wire.
    let token68 = |c: char| c.is_ascii_alphanumeric() || "-._~+/=".contains(c);
    if let Some(bad) = t.chars().find(|&c| !token68(c)) {
        return Err(invalid(
            "metrics.token",
            "config-token-char",
            [("char", format!("{bad:?}"))],
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with(token: &str) -> MetricsConfig {
        MetricsConfig {
            token: Some(MetricsToken(token.into())),
            listen: None,
        }
    }

    #[test]
    fn off_by_default_and_a_long_token_passes() {
        MetricsConfig::default().validate().unwrap();
        with("0123456789abcdef0123").validate().unwrap();
    }

    #[test]
    fn short_or_odd_tokens_are_refused_naming_the_key() {
        for bad in ["short", "has space in it 12345", "é0123456789abcdef"] {
            let e = with(bad).validate().unwrap_err().to_string();
            assert!(e.contains("metrics.token"), "{e}");
        }
        assert!(with(&"a".repeat(MAX_TOKEN_LEN + 1)).validate().is_err());
    }

    #[test]
    fn a_listener_needs_a_token_and_a_port() {
        let mut c = MetricsConfig {
            listen: Some("0.0.0.0:9100".parse().unwrap()),
            ..MetricsConfig::default()
        };
        let e = c.validate().unwrap_err().to_string();
        assert!(
            e.contains("metrics.listen") && e.contains("metrics.token"),
            "{e}"
        );
        c.token = with("0123456789abcdef0123").token;
        c.validate().unwrap();
        c.listen = Some("0.0.0.0:0".parse().unwrap());
        assert!(c.validate().unwrap_err().to_string().contains("port"));
    }

    #[test]
    fn the_token_stays_out_of_debug_output() {
        let c = with("0123456789abcdef-secret");
        assert!(!format!("{c:?}").contains("secret"));
    }
}
