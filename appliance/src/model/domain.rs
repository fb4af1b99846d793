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
}
