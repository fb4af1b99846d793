//! `[correlate]`: which addresses are devices, how long answers name flows, and the
//! correlator's bounds.

use ipnet::IpNet;
use serde::Deserialize;

use super::{invalid, ConfigError};

/// `[correlate]`: matching flows to the names devices asked for.
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct CorrelateConfig {
    /// Address ranges whose hosts are devices (flows from elsewhere are ignored).
    pub lan: Vec<IpNet>,
    /// How long past its TTL an answer still names a new flow, in seconds (devices cache
    /// answers longer than they should).
    pub grace_secs: u64,
    /// Most remote addresses remembered per device.
    pub max_addresses_per_device: usize,
    /// Most device addresses the correlator keeps state for, least recently seen forgotten
    /// first: the answers that name new flows, the `/api/v1/dns` answer log and the totals
    /// per device are each kept for this many addresses (a device with an IPv4 and an IPv6
    /// address counts twice). Not `devices.max_devices`, which bounds the devices known by
    /// MAC address.
    pub max_devices: usize,
    /// How long closed flows stay in the live view, in seconds.
    pub closed_retention_secs: u64,
    /// Most closed flows kept in the live view.
    pub max_closed_flows: usize,
    /// Most DNS answers kept for `/api/v1/dns`, per device.
    pub max_answers_per_device: usize,
}

impl Default for CorrelateConfig {
    fn default() -> Self {
        CorrelateConfig {
            lan: ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "fc00::/7"]
                .iter()
                .filter_map(|s| s.parse().ok())
                .collect(),
            grace_secs: 300,
            max_addresses_per_device: 4_096,
            max_devices: 1_024,
            closed_retention_secs: 900,
            max_closed_flows: 20_000,
            max_answers_per_device: 200,
        }
    }
}

impl CorrelateConfig {
    /// Check the values; the error names the key.
    pub(crate) fn validate(&self) -> Result<(), ConfigError> {
        if self.lan.is_empty() {
            return Err(invalid("correlate.lan", "config-need-range", []));
        }
        if self.grace_secs > 86_400 {
            return Err(invalid(
                "correlate.grace_secs",
                "config-at-most-day",
                [("max", "86400".into())],
            ));
        }
        for (key, v) in [
            (
                "correlate.max_addresses_per_device",
                self.max_addresses_per_device,
            ),
            ("correlate.max_devices", self.max_devices),
            ("correlate.max_closed_flows", self.max_closed_flows),
            (
                "correlate.max_answers_per_device",
                self.max_answers_per_device,
            ),
        ] {
            if v == 0 || v > 10_000_000 {
                return Err(invalid(
                    key,
                    "config-between",
                    [("min", "1".into()), ("max", "10000000".into())],
                ));
            }
        }
        Ok(())
    }
}
