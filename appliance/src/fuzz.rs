//! Entry points for the fuzz targets in `appliance/fuzz` (run by `scripts/fuzz.sh`): the
//! parsers of input from outside, each behind one function, so the modules themselves stay
//! private to the crate. Not an API. Each panics only where the parser under test did, or
//! where what it returned breaks a rule the daemon relies on.

use std::path::Path;

/// A datagram from the conntrack netlink socket (events or a dump's replies), as the
/// reader decodes it, and as the connection killer reads a dumped flow's raw tuple.
pub fn conntrack_datagram(data: &[u8]) {
    let envelopes = crate::conntrack::wire::parse_datagram(data);
    // Each message has a 16-byte header, except one that says where the framing broke.
    assert!(envelopes.len() <= data.len() / 16 + 1, "{envelopes:?}");
    for frame in crate::netlink::frames(data).flatten() {
        let _ = crate::conntrack::wire::raw_tuple(frame);
    }
}

/// dnsmasq's lease file, as the devices refresher reads it (at most `max` leases kept).
pub fn lease_file(text: &str, max: usize) {
    let file = crate::devices::leases::parse(text, max);
    assert!(file.leases.len() <= max);
    for lease in &file.leases {
        if let Some(h) = &lease.hostname {
            assert!(h.len() <= crate::devices::leases::MAX_HOSTNAME, "{h:?}");
            assert!(!h.is_empty());
        }
    }
}

/// The settings file on the boot partition, as `whereflow setup` checks it, and the same
/// text as the daemon's own configuration file (parsed, then validated).
pub fn settings_file(text: &str) {
    let checked = crate::system::settings::check(text, Path::new("whereflow-settings.toml"));
    for p in &checked.problems {
        // One line each in the problems file.
        assert!(!p.to_string().contains('\n'), "{p:?}");
    }
    if let Ok(config) = crate::config::Config::parse(text, Path::new("config.toml")) {
        let _ = config.validate();
    }
}

#[cfg(test)]
mod tests {
    /// Inputs the fuzzers once crashed on.
    #[test]
    fn conntrack_crashes_found_by_the_fuzzer() {
        // CI, 2026-12-05: a conntrack message whose nested attribute overruns its parent.
        super::conntrack_datagram(&[
            30, 0, 0, 0, 11, 10, 128, 5, 0, 1, 0, 0, 0, 0, 2, 128, 20, 0, 1, 128, 8, 0, 17, 0, 0,
            0, 15, 0, 0, 0, 18, 0, 1, 0, 127, 0, 15, 0, 127, 0, 15, 255, 15, 0,
        ]);
    }
}
