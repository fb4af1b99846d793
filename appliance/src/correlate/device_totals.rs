//! Per-device totals for `/api/v1/devices`.

use std::collections::HashMap;
use std::num::NonZeroUsize;

use chrono::{DateTime, Utc};
use lru::LruCache;
use serde::Serialize;

use crate::model::{DeviceId, FlowRecord, FlowState};

/// What the API says about one device.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DeviceSummary {
    /// The device's address.
    pub ip: DeviceId,
    /// First time we saw it (a DNS query or a flow).
    pub first_seen: DateTime<Utc>,
    /// Last time we saw it.
    pub last_seen: DateTime<Utc>,
    /// DNS answers it got.
    pub dns_answers: u64,
    /// Flows it opened.
    pub flows_total: u64,
    /// Flows open now.
    pub flows_open: u64,
    /// Bytes it sent (open and closed flows).
    pub bytes_up: u64,
    /// Bytes it received.
    pub bytes_down: u64,
}

/// Running totals per device. Bytes of closed flows are added when they close; bytes of
/// open flows are added at read time from the live table, so nothing is counted twice.
pub struct DeviceTotals {
    devices: LruCache<DeviceId, DeviceSummary>,
}

impl DeviceTotals {
    /// Remember at most `max_devices` devices (least recently seen forgotten first).
    pub fn new(max_devices: usize) -> Self {
        DeviceTotals {
            devices: LruCache::new(NonZeroUsize::new(max_devices).unwrap_or(NonZeroUsize::MIN)),
        }
    }

    fn entry(&mut self, ip: DeviceId, at: DateTime<Utc>) -> &mut DeviceSummary {
        let d = self.devices.get_or_insert_mut(ip, || DeviceSummary {
            ip,
            first_seen: at,
            last_seen: at,
            dns_answers: 0,
            flows_total: 0,
            flows_open: 0,
            bytes_up: 0,
            bytes_down: 0,
        });
        d.last_seen = d.last_seen.max(at);
        d
    }

    /// `repeats` identical DNS answers were given to the device (one event; `dns::repeats`).
    pub fn dns_answer(&mut self, ip: DeviceId, at: DateTime<Utc>, repeats: u32) {
        let d = self.entry(ip, at);
        d.dns_answers = d.dns_answers.saturating_add(u64::from(repeats));
    }

    /// A flow of the device appeared.
    pub fn flow_opened(&mut self, flow: &FlowRecord) {
        self.entry(flow.device_ip, flow.last_seen).flows_total += 1;
    }

    /// A flow of the device closed; `was_open` tells whether it had been counted as opened.
    pub fn flow_closed(&mut self, flow: &FlowRecord, was_open: bool) {
        let d = self.entry(flow.device_ip, flow.last_seen);
        if !was_open {
            d.flows_total += 1;
        }
        d.bytes_up += flow.bytes_up;
        d.bytes_down += flow.bytes_down;
    }

    /// Forget a device's totals; returns whether it was known.
    pub fn forget_device(&mut self, device: DeviceId) -> bool {
        self.devices.pop(&device).is_some()
    }

    /// Summaries, adding the given live flows' counters.
    pub fn summaries<'a>(&self, live: impl Iterator<Item = &'a FlowRecord>) -> Vec<DeviceSummary> {
        let mut out: HashMap<DeviceId, DeviceSummary> =
            self.devices.iter().map(|(k, v)| (*k, v.clone())).collect();
        for f in live.filter(|f| f.state == FlowState::Open) {
            if let Some(d) = out.get_mut(&f.device_ip) {
                d.flows_open += 1;
                d.bytes_up += f.bytes_up;
                d.bytes_down += f.bytes_down;
            }
        }
        let mut v: Vec<_> = out.into_values().collect();
        v.sort_by_key(|d| d.ip);
        v
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forget_device_drops_only_its_totals() {
        let mut t = DeviceTotals::new(10);
        let (a, b) = (
            DeviceId("10.0.0.2".parse().unwrap()),
            DeviceId("10.0.0.3".parse().unwrap()),
        );
        t.dns_answer(a, Utc::now(), 1);
        t.dns_answer(b, Utc::now(), 1);
        assert!(t.forget_device(a));
        let left = t.summaries(std::iter::empty());
        assert_eq!(left.len(), 1);
        assert_eq!(left[0].ip, b);
        assert!(!t.forget_device(a));
    }
}
