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
    /// More host names the pages may be opened under (a DNS name the school gives the
    /// appliance). Besides these, only the appliance's own names (`dns.local_name`, the host
    /// of `site.url`), its addresses and `localhost` are answered: any other `Host` gets 421,
    /// so a public name rebound to the appliance's address (DNS rebinding) reads nothing.
    pub allowed_hosts: Vec<String>,
    /// Address of the HTTPS listener (unset: no HTTPS). Its certificate is self-signed,
    /// made on first start and kept in the data directory; its fingerprint is on the
    /// presenter view and in the problems file.
    pub https_listen: Option<SocketAddr>,
    /// Seconds a client has to send a request's headers before the connection is closed.
    pub header_timeout_secs: u64,
    /// Seconds a connection may carry no bytes either way before it is closed.
    pub idle_timeout_secs: u64,
    /// Most open connections to the web listeners at once, over all clients.
    pub max_connections: usize,
    /// Most open connections from one device (by MAC, else by address).
    pub max_connections_per_device: usize,
    /// Most event-stream subscribers from one device.
    pub max_event_clients_per_device: usize,
}

/// Most entries of `web.allowed_hosts`.
const MAX_ALLOWED_HOSTS: usize = 64;
/// The event stream's keep-alive interval (`web::events`); the idle timeout must be longer.
const EVENT_KEEPALIVE_SECS: u64 = 15;

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
            // A class of 30 with two screens each and the projector is 61: room to spare.
            max_event_clients: 256,
            privacy_mode: false,
            privacy_min_devices: 3,
            group_names: GroupNames::default(),
            allowed_hosts: Vec::new(),
            https_listen: None,
            header_timeout_secs: 10,
            idle_timeout_secs: 60,
            max_connections: 1_024,
            max_connections_per_device: 64,
            max_event_clients_per_device: 8,
        }
    }
}

impl WebConfig {
    /// Check the values; the error names the key.
    pub(crate) fn validate(&self) -> Result<(), ConfigError> {
        if self.listen.port() == 0 {
            return Err(invalid("web.listen", "config-port-zero", []));
        }
        if self.max_event_clients == 0 || self.max_event_clients > 10_000 {
            return Err(invalid(
                "web.max_event_clients",
                "config-between",
                [("min", "1".into()), ("max", "10000".into())],
            ));
        }
        if self.privacy_min_devices == 0 || self.privacy_min_devices > 10_000 {
            return Err(invalid(
                "web.privacy_min_devices",
                "config-between",
                [("min", "1".into()), ("max", "10000".into())],
            ));
        }
        if let Some(https) = self.https_listen {
            if https.port() == 0 {
                return Err(invalid("web.https_listen", "config-port-zero", []));
            }
            if https == self.listen {
                return Err(invalid("web.https_listen", "config-https-same-port", []));
            }
        }
        if self.allowed_hosts.len() > MAX_ALLOWED_HOSTS {
            return Err(invalid(
                "web.allowed_hosts",
                "config-at-most-names",
                [("max", MAX_ALLOWED_HOSTS.to_string())],
            ));
        }
        for h in &self.allowed_hosts {
            let ok = !h.is_empty()
                && h.len() <= 253
                && h.chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | ':' | '[' | ']'));
            if !ok {
                return Err(invalid(
                    "web.allowed_hosts",
                    "config-host-name",
                    [("host", format!("{h:?}"))],
                ));
            }
        }
        if !(1..=300).contains(&self.header_timeout_secs) {
            return Err(invalid(
                "web.header_timeout_secs",
                "config-between",
                [("min", "1".into()), ("max", "300".into())],
            ));
        }
        if !(EVENT_KEEPALIVE_SECS + 5..=86_400).contains(&self.idle_timeout_secs) {
            return Err(invalid(
                "web.idle_timeout_secs",
                "config-idle-timeout",
                [
                    ("min", (EVENT_KEEPALIVE_SECS + 5).to_string()),
                    ("max", "86400".into()),
                    ("keepalive", EVENT_KEEPALIVE_SECS.to_string()),
                ],
            ));
        }
        if !(1..=100_000).contains(&self.max_connections) {
            return Err(invalid(
                "web.max_connections",
                "config-between",
                [("min", "1".into()), ("max", "100000".into())],
            ));
        }
        if self.max_connections_per_device == 0
            || self.max_connections_per_device > self.max_connections
        {
            return Err(invalid(
                "web.max_connections_per_device",
                "config-at-most-key",
                [("other", "web.max_connections".into())],
            ));
        }
        if self.max_event_clients_per_device == 0
            || self.max_event_clients_per_device > self.max_event_clients
        {
            return Err(invalid(
                "web.max_event_clients_per_device",
                "config-at-most-key",
                [("other", "web.max_event_clients".into())],
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Issue 16: a class of 30 with two screens each plus the projector (61 event streams)
    /// fits the default limits with room to spare (at least twice over), and one student's
    /// phone with the sankey and the map open in two tabs is not refused.
    #[test]
    fn the_default_serves_a_class_with_room() {
        let d = WebConfig::default();
        let class = 30 * 2 + 1;
        assert!(d.max_event_clients >= 2 * class, "{}", d.max_event_clients);
        assert!(d.max_event_clients_per_device >= 2);
        assert!(d.max_connections_per_device >= 2 * d.max_event_clients_per_device);
    }

    #[test]
    fn limits_and_hosts_are_checked_naming_the_key() {
        assert!(WebConfig::default().validate().is_ok());
        let bad = |f: fn(&mut WebConfig), key: &str| {
            let mut c = WebConfig::default();
            f(&mut c);
            let e = c.validate().unwrap_err().to_string();
            assert!(e.contains(key), "{e}");
        };
        bad(|c| c.header_timeout_secs = 0, "web.header_timeout_secs");
        bad(|c| c.idle_timeout_secs = 10, "web.idle_timeout_secs");
        bad(|c| c.max_connections = 0, "web.max_connections");
        bad(
            |c| c.max_connections_per_device = 2_000,
            "web.max_connections_per_device",
        );
        bad(
            |c| c.max_event_clients_per_device = 0,
            "web.max_event_clients_per_device",
        );
        bad(
            |c| c.allowed_hosts = vec!["evil example".into()],
            "web.allowed_hosts",
        );
        bad(|c| c.https_listen = Some(c.listen), "web.https_listen");
    }
}
