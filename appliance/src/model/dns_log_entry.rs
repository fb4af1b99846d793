//! A DNS answer a device got, as the API and the store show it.

use std::net::IpAddr;

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::model::{DeviceId, Domain};

/// One answer as the API shows it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DnsLogEntry {
    /// The device that asked.
    pub device_ip: DeviceId,
    /// The name it asked for.
    pub name: Domain,
    /// Record type asked for (`A`, `AAAA`, `HTTPS`, ...).
    pub qtype: String,
    /// Response code (`NOERROR`, `NXDOMAIN`, `SERVFAIL`, ...).
    pub rcode: String,
    /// CNAME targets, in order.
    pub chain: Vec<Domain>,
    /// Addresses in the answer.
    pub addrs: Vec<IpAddr>,
    /// Smallest TTL of the answer, seconds.
    pub ttl: u32,
    /// When it was answered.
    pub at: DateTime<Utc>,
    /// The name was blocked: the device got 0.0.0.0 / `::` instead of the real answer
    /// (`dns::block`). Shown only when true; not kept in the store.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub blocked: bool,
    /// How many identical answers (same device, name and records) this entry stands for,
    /// when more than one: repeated look-ups within about a second are folded into one entry
    /// (`dns::repeats`), and the store keeps one row per batch of identical answers.
    #[serde(skip_serializing_if = "is_one")]
    pub repeats: u32,
}

/// Serde's test for leaving `repeats` out.
fn is_one(n: &u32) -> bool {
    *n == 1
}
