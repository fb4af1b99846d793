//! Domain names as people read them.

use std::fmt;
use std::sync::Arc;

use serde::{Serialize, Serializer};

/// Why a string is not a usable domain name.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum DomainError {
    /// Nothing left after trimming the root dot.
    #[error("empty domain name")]
    Empty,
    /// Longer than DNS allows (253 characters in text form).
    #[error("domain name longer than 253 characters")]
    TooLong,
    /// A label is empty (`a..b`) or longer than 63 characters.
    #[error("domain label empty or longer than 63 characters")]
    BadLabel,
}

/// A domain name as people read it: lower case ASCII (IDNs in punycode), no trailing dot.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Domain(Arc<str>);

impl Domain {
    /// Normalise and check a name (`WWW.Example.COM.` becomes `www.example.com`).
    pub fn new(name: &str) -> Result<Self, DomainError> {
        let trimmed = name.strip_suffix('.').unwrap_or(name);
        if trimmed.is_empty() {
            return Err(DomainError::Empty);
        }
        if trimmed.len() > 253 {
            return Err(DomainError::TooLong);
        }
        if trimmed.split('.').any(|l| l.is_empty() || l.len() > 63) {
            return Err(DomainError::BadLabel);
        }
        Ok(Domain(trimmed.to_ascii_lowercase().into()))
    }

    /// A name as read off the wire and escaped (`dns::wire::name_to_text`: every byte that is
    /// not a letter, digit, `-` or `_` written `\DDD`). A wire name is at most 255 bytes, so
    /// its text is bounded, but with escapes it may pass the text limits of [`Domain::new`]:
    /// such names (binary labels, the stuff of DNS tunnels) are kept as they are, so they are
    /// still recorded and counted, and [`Domain::is_host_name`] says what they are.
    pub fn from_wire_text(text: &str) -> Result<Self, DomainError> {
        match Domain::new(text) {
            Err(DomainError::TooLong | DomainError::BadLabel) if text.contains('\\') => {
                let trimmed = text.strip_suffix('.').unwrap_or(text);
                // 4 characters per byte at most: the longest escaped form a wire name has.
                if trimmed.len() > 4 * 253 {
                    return Err(DomainError::TooLong);
                }
                if trimmed.split('.').any(|l| l.is_empty() || l.len() > 4 * 63) {
                    return Err(DomainError::BadLabel);
                }
                Ok(Domain(trimmed.to_ascii_lowercase().into()))
            }
            other => other,
        }
    }

    /// Whether the name is made of host-name characters only (letters, digits, `-`, `_`,
    /// dots). A name with escaped bytes is data rather than a place anyone visits.
    pub fn is_host_name(&self) -> bool {
        self.0
            .bytes()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_' | b'.'))
    }

    /// The name as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Domain {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Serialize for Domain {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn domain_normalises_case_and_root_dot() {
        assert_eq!(
            Domain::new("WWW.Example.COM.").unwrap().as_str(),
            "www.example.com"
        );
    }

    #[test]
    fn domain_rejects_bad_names() {
        assert_eq!(Domain::new("."), Err(DomainError::Empty));
        assert_eq!(Domain::new("a..b"), Err(DomainError::BadLabel));
        assert_eq!(Domain::new(&"a".repeat(64)), Err(DomainError::BadLabel));
        let long = vec!["abcdefghi"; 30].join(".");
        assert_eq!(Domain::new(&long), Err(DomainError::TooLong));
    }

    #[test]
    fn escaped_binary_names_are_kept_and_marked() {
        // 60 binary bytes in one label: 240 characters escaped.
        let label = "\\200".repeat(60);
        let text = format!("{label}.{label}.t.tunnel.test");
        assert!(Domain::new(&text).is_err());
        let d = Domain::from_wire_text(&text).unwrap();
        assert_eq!(d.as_str(), text);
        assert!(!d.is_host_name());
        assert!(Domain::from_wire_text("www.example.com")
            .unwrap()
            .is_host_name());
        // Without escapes the text rules stand.
        assert_eq!(
            Domain::from_wire_text(&"a".repeat(64)),
            Err(DomainError::BadLabel)
        );
        assert_eq!(Domain::from_wire_text("."), Err(DomainError::Empty));
    }
}
