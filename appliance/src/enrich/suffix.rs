//! Registrable domain ("eTLD+1") of a host name, from the Public Suffix List.
//!
//! The list is compiled into the `psl` crate (refreshed upstream every few days; update with
//! `cargo update -p psl`, see `blocklists/SOURCES.md`). The sankey groups hosts by their
//! registrable domain: `rr3---sn-xyz.googlevideo.com` and `r1.googlevideo.com` are both
//! `googlevideo.com`, `news.bbc.co.uk` is `bbc.co.uk`.
//!
//! Decisions, each covered by a test:
//! - **Private section included.** The list's private section names suffixes under which
//!   different people own the names (`github.io`, `blogspot.com`, `cloudfront.net`), so
//!   `alice.github.io` is its own registrable domain, not `github.io`: two GitHub Pages sites
//!   belong to two different people.
//! - **Unknown top-level domains** (`.lan`, `.test`, `.internal`, `.home`) follow the list's
//!   implicit `*` rule: the last label is the suffix, so `nas.lan` and `printer.office.lan`
//!   give `nas.lan` and `office.lan`. Local names stay readable instead of vanishing.
//! - **No registrable part** gives `None`: a single label (`localhost`, `wpad`), a name that is
//!   itself a public suffix (`co.uk`, `github.io`, `com`), and IP address literals.

use std::net::IpAddr;

use crate::model::Domain;

/// The registrable domain of `host` (`a.b.bbc.co.uk` → `bbc.co.uk`), or `None` when the host
/// has no part a person could register (see the module notes).
pub fn registrable_domain(host: &Domain) -> Option<Domain> {
    registrable_str(host.as_str()).and_then(|d| Domain::new(d).ok())
}

/// The same on text, borrowing from `host` (no allocation). `host` is expected in the form
/// [`Domain`] keeps: lower case, no trailing dot.
pub fn registrable_str(host: &str) -> Option<&str> {
    if !host.contains('.') || host.parse::<IpAddr>().is_ok() {
        return None;
    }
    let found = psl::domain_str(host)?;
    // `psl` gives the name back only when it is longer than the suffix; keep the guard for
    // names such as `.com` that a caller might have built without `Domain::new`.
    (!found.is_empty() && !found.starts_with('.')).then_some(found)
}

/// Whether `host` is itself on the public suffix list (e.g. `co.uk`, `github.io`).
pub fn is_public_suffix(host: &str) -> bool {
    match psl::suffix(host.as_bytes()) {
        Some(s) => s.is_known() && s.as_bytes().len() == host.len(),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rd(s: &str) -> Option<String> {
        registrable_domain(&Domain::new(s).unwrap()).map(|d| d.as_str().to_owned())
    }

    #[test]
    fn common_names() {
        assert_eq!(rd("www.bbc.co.uk").as_deref(), Some("bbc.co.uk"));
        assert_eq!(rd("bbc.co.uk").as_deref(), Some("bbc.co.uk"));
        assert_eq!(rd("a.b.example.com").as_deref(), Some("example.com"));
        assert_eq!(
            rd("rr3---sn-xyz.googlevideo.com").as_deref(),
            Some("googlevideo.com")
        );
    }

    #[test]
    fn no_registrable_part() {
        assert_eq!(rd("localhost"), None);
        assert_eq!(rd("co.uk"), None);
        assert_eq!(rd("com"), None);
        assert_eq!(rd("github.io"), None);
        assert_eq!(rd("192.0.2.1"), None);
    }

    #[test]
    fn public_suffix_check() {
        assert!(is_public_suffix("co.uk"));
        assert!(is_public_suffix("github.io"));
        assert!(!is_public_suffix("bbc.co.uk"));
        assert!(!is_public_suffix("lan"));
    }
}
