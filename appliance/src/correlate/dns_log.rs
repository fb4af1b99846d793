//! Recent DNS answers per device, for `/api/v1/dns` and the event stream.

use std::collections::VecDeque;
use std::num::NonZeroUsize;
use std::sync::Arc;

use lru::LruCache;

use crate::dns::DnsAnswer;
use crate::model::{DeviceId, DnsLogEntry};

impl From<&DnsAnswer> for DnsLogEntry {
    fn from(a: &DnsAnswer) -> Self {
        DnsLogEntry {
            device_ip: a.device,
            name: a.qname.clone(),
            qtype: a.qtype.to_string(),
            rcode: a.rcode.to_str().to_owned(),
            chain: a.chain.clone(),
            addrs: a.addrs.clone(),
            ttl: a.ttl,
            at: a.at,
            blocked: a.blocked,
            repeats: a.repeats,
        }
    }
}

/// The last `per_device` answers of each of the last `max_devices` devices.
pub struct DnsLog {
    devices: LruCache<DeviceId, VecDeque<Arc<DnsLogEntry>>>,
    per_device: usize,
}

impl DnsLog {
    /// A log with the given bounds (zero is treated as one).
    pub fn new(max_devices: usize, per_device: usize) -> Self {
        DnsLog {
            devices: LruCache::new(NonZeroUsize::new(max_devices).unwrap_or(NonZeroUsize::MIN)),
            per_device: per_device.max(1),
        }
    }

    /// Add an answer.
    pub fn push(&mut self, entry: Arc<DnsLogEntry>) {
        let per_device = self.per_device;
        let log = self
            .devices
            .get_or_insert_mut(entry.device_ip, VecDeque::new);
        if log.len() >= per_device {
            log.pop_front();
        }
        log.push_back(entry);
    }

    /// Forget a device's answers; returns how many.
    pub fn forget_device(&mut self, device: DeviceId) -> usize {
        self.devices.pop(&device).map_or(0, |l| l.len())
    }

    /// Answers, oldest first per device; one device or all.
    pub fn entries(&self, device: Option<DeviceId>) -> Vec<&DnsLogEntry> {
        match device {
            Some(d) => self
                .devices
                .peek(&d)
                .map(|l| l.iter().map(|e| &**e).collect())
                .unwrap_or_default(),
            None => self
                .devices
                .iter()
                .flat_map(|(_, l)| l.iter().map(|e| &**e))
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Domain;
    use chrono::Utc;

    fn entry(dev: &str, name: &str) -> DnsLogEntry {
        DnsLogEntry {
            device_ip: DeviceId(dev.parse().unwrap()),
            name: Domain::new(name).unwrap(),
            qtype: "A".into(),
            rcode: "NOERROR".into(),
            chain: vec![],
            addrs: vec![],
            ttl: 1,
            at: Utc::now(),
            blocked: false,
            repeats: 1,
        }
    }

    #[test]
    fn forget_device_drops_only_its_answers() {
        let mut log = DnsLog::new(10, 10);
        log.push(Arc::new(entry("10.0.0.1", "a.example")));
        log.push(Arc::new(entry("10.0.0.1", "b.example")));
        log.push(Arc::new(entry("10.0.0.2", "c.example")));
        let d1 = DeviceId("10.0.0.1".parse().unwrap());
        assert_eq!(log.forget_device(d1), 2);
        assert!(log.entries(Some(d1)).is_empty());
        assert_eq!(log.entries(None).len(), 1);
        assert_eq!(log.forget_device(d1), 0);
    }

    #[test]
    fn bounded_per_device_and_in_devices() {
        let mut log = DnsLog::new(2, 3);
        for i in 0..5 {
            log.push(Arc::new(entry("10.0.0.1", &format!("n{i}.example"))));
        }
        let d1 = DeviceId("10.0.0.1".parse().unwrap());
        let names: Vec<_> = log
            .entries(Some(d1))
            .iter()
            .map(|e| e.name.to_string())
            .collect();
        assert_eq!(names, ["n2.example", "n3.example", "n4.example"]);
        log.push(Arc::new(entry("10.0.0.2", "a.example")));
        log.push(Arc::new(entry("10.0.0.3", "b.example")));
        assert!(
            log.entries(Some(d1)).is_empty(),
            "least recent device evicted"
        );
        assert_eq!(log.entries(None).len(), 2);
    }
}
