//! `[web]`: the HTTP listener.

use std::net::SocketAddr;

use serde::Deserialize;

use super::{invalid, ConfigError};

/// `[web]`: the API and pages.
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct WebConfig {
    /// Address of the HTTP listener.
    pub listen: SocketAddr,
    /// Most event-stream subscribers at once.
    pub max_event_clients: usize,
    /// Privacy mode: each device sees only its own flows, names and answers; the group
    /// views (sankey, map, presenter) show everyone else only as one aggregate.
    pub privacy_mode: bool,
    /// Privacy mode: the group views' "Other devices" rows are shown only when at least
    /// this many devices (besides the viewer) are in them, with times to the minute; with
    /// fewer, an aggregate is one or two devices' browsing, and it is left out.
    pub privacy_min_devices: usize,
    /// How the group views (sankey, map, presenter, device lists) name devices without a
    /// nickname: `"pseudonym"` ("Blue Otter", the default: a classroom's projector never
    /// shows "alice-laptop") or `"hostname"` (their DHCP host names, for a home network).
    pub group_names: GroupNames,
}

/// `web.group_names`: what the group views call a device that has no nickname.
#[derive(Clone, Copy, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum GroupNames {
    /// Its pseudonym for the session ("Blue Otter").
    #[default]
    Pseudonym,
    /// Its DHCP host name when it sent one, else its pseudonym.
    Hostname,
}

impl Default for WebConfig {
    fn default() -> Self {
        WebConfig {
            listen: SocketAddr::from(([127, 0, 0, 1], 8080)),
            max_event_clients: 64,
            privacy_mode: false,
            privacy_min_devices: 3,
            group_names: GroupNames::default(),
        }
    }
}

impl WebConfig {
    /// Check the values; the error names the key.
    pub(crate) fn validate(&self) -> Result<(), ConfigError> {
        if self.listen.port() == 0 {
            return Err(invalid("web.listen", "port 0 is not a port"));
        }
        if self.max_event_clients == 0 || self.max_event_clients > 10_000 {
            return Err(invalid(
                "web.max_event_clients",
                "must be between 1 and 10000",
            ));
        }
        if self.privacy_min_devices == 0 || self.privacy_min_devices > 10_000 {
            return Err(invalid(
                "web.privacy_min_devices",
                "must be between 1 and 10000",
            ));
        }
        Ok(())
    }
}
