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
}

impl Default for WebConfig {
    fn default() -> Self {
        WebConfig {
            listen: SocketAddr::from(([127, 0, 0, 1], 8080)),
            max_event_clients: 64,
            privacy_mode: false,
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
        Ok(())
    }
}
