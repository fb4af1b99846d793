//! Per-device memory of which remote addresses were answers to which names.

use std::net::IpAddr;
use std::num::NonZeroUsize;

use chrono::{DateTime, Duration, Utc};
use lru::LruCache;

use crate::dns::DnsAnswer;
use crate::model::{DeviceId, Domain};

/// How many different names are remembered for one address of one device. CDN addresses
/// can serve hundreds of names; a device rarely asks for more than a few that share one.
const NAMES_PER_ADDRESS: usize = 8;

/// Clocks of the forwarder (answer time) and of conntrack (flow start) are both the
/// system's real-time clock, read at slightly different moments; allow this much disorder.
const CLOCK_SLACK_MS: i64 = 100;

/// One time a device was told that `name` resolves to an address.
#[derive(Clone, Debug, PartialEq)]
struct Sighting {
    name: Domain,
    at: DateTime<Utc>,
    expires: DateTime<Utc>,
}

/// Which name a flow is for.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Attribution {
    /// The name the device most recently asked for that answered this address before the
    /// flow began; `None` when there is no such answer.
    pub domain: Option<Domain>,
    /// Other names this device was given for the same address, most recent first.
    pub candidates: Vec<Domain>,
}

/// Bounded, TTL-aware memory: device → remote address → names, most recent first.
pub struct DnsMemory {
    devices: LruCache<DeviceId, LruCache<IpAddr, Vec<Sighting>>>,
    per_device: NonZeroUsize,
    grace: Duration,
}

impl DnsMemory {
    /// Remember at most `max_devices` devices and `per_device` addresses each; an answer
    /// still names a flow `grace` after its TTL ran out.
    pub fn new(max_devices: usize, per_device: usize, grace: std::time::Duration) -> Self {
        DnsMemory {
            devices: LruCache::new(NonZeroUsize::new(max_devices).unwrap_or(NonZeroUsize::MIN)),
            per_device: NonZeroUsize::new(per_device).unwrap_or(NonZeroUsize::MIN),
            grace: Duration::from_std(grace).unwrap_or(Duration::zero()),
        }
    }

    /// Learn from one answer: each of its addresses now stands for the name asked.
    pub fn record(&mut self, answer: &DnsAnswer) {
        if answer.addrs.is_empty() {
            return;
        }
        let per_device = self.per_device.get();
        // Unbounded constructor plus the manual bound below: `LruCache::new(n)` reserves room
        // for n entries up front, which for 4,096 addresses x every device is megabytes of
        // nothing. Most devices use a small fraction of their bound.
        let addrs = self
            .devices
            .get_or_insert_mut(answer.device, LruCache::unbounded);
        let expires = answer.at + Duration::seconds(i64::from(answer.ttl));
        for ip in &answer.addrs {
            let names = addrs.get_or_insert_mut(*ip, Vec::new);
            names.retain(|s| s.name != answer.qname);
            names.insert(
                0,
                Sighting {
                    name: answer.qname.clone(),
                    at: answer.at,
                    expires,
                },
            );
            names.truncate(NAMES_PER_ADDRESS);
        }
        while addrs.len() > per_device {
            addrs.pop_lru();
        }
    }

    /// The name for a flow from `device` to `remote` that began at `started`.
    pub fn attribute(
        &self,
        device: DeviceId,
        remote: IpAddr,
        started: DateTime<Utc>,
    ) -> Attribution {
        let Some(names) = self.devices.peek(&device).and_then(|a| a.peek(&remote)) else {
            return Attribution::default();
        };
        let latest_allowed = started + Duration::milliseconds(CLOCK_SLACK_MS);
        // Most recent first, so the first usable sighting is the answer.
        let domain = names
            .iter()
            .find(|s| s.at <= latest_allowed && s.expires + self.grace >= started)
            .map(|s| s.name.clone());
        let candidates = names
            .iter()
            .filter(|s| Some(&s.name) != domain.as_ref())
            .map(|s| s.name.clone())
            .collect();
        Attribution { domain, candidates }
    }

    /// Forget a device entirely.
    pub fn forget(&mut self, device: DeviceId) {
        self.devices.pop(&device);
    }

    /// Forget a device's names ("forget my device"); returns whether it was known. Its next
    /// flows have no name until it asks again.
    pub fn forget_device(&mut self, device: DeviceId) -> bool {
        self.devices.pop(&device).is_some()
    }

    /// Number of devices remembered.
    pub fn device_count(&self) -> usize {
        self.devices.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use hickory_proto::op::ResponseCode;
    use hickory_proto::rr::RecordType;

    fn dev(s: &str) -> DeviceId {
        DeviceId(s.parse().unwrap())
    }
    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }
    fn t(secs: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_800_000_000 + secs, 0).unwrap()
    }
    fn answer(device: &str, name: &str, addrs: &[&str], ttl: u32, at: DateTime<Utc>) -> DnsAnswer {
        DnsAnswer {
            device: dev(device),
            qname: Domain::new(name).unwrap(),
            qtype: RecordType::A,
            rcode: ResponseCode::NoError,
            chain: vec![],
            addrs: addrs.iter().map(|a| ip(a)).collect(),
            ttl,
            at,
            blocked: false,
        }
    }
    fn mem() -> DnsMemory {
        DnsMemory::new(100, 100, std::time::Duration::from_secs(60))
    }
    fn name(a: &Attribution) -> Option<&str> {
        a.domain.as_ref().map(|d| d.as_str())
    }

    #[test]
    fn flow_gets_the_name_its_device_asked() {
        let mut m = mem();
        m.record(&answer("10.0.0.2", "a.example", &["1.1.1.1"], 300, t(0)));
        assert_eq!(
            name(&m.attribute(dev("10.0.0.2"), ip("1.1.1.1"), t(1))),
            Some("a.example")
        );
    }

    #[test]
    fn two_devices_same_ip_different_names() {
        let mut m = mem();
        m.record(&answer("10.0.0.2", "a.example", &["1.1.1.1"], 300, t(0)));
        m.record(&answer("10.0.0.3", "b.example", &["1.1.1.1"], 300, t(1)));
        assert_eq!(
            name(&m.attribute(dev("10.0.0.2"), ip("1.1.1.1"), t(2))),
            Some("a.example")
        );
        assert_eq!(
            name(&m.attribute(dev("10.0.0.3"), ip("1.1.1.1"), t(2))),
            Some("b.example")
        );
        // The other device's name is not offered as a candidate to this one.
        assert!(m
            .attribute(dev("10.0.0.2"), ip("1.1.1.1"), t(2))
            .candidates
            .is_empty());
    }

    #[test]
    fn most_recent_name_wins_and_the_other_is_a_candidate() {
        let mut m = mem();
        m.record(&answer("10.0.0.2", "old.example", &["1.1.1.1"], 300, t(0)));
        m.record(&answer("10.0.0.2", "new.example", &["1.1.1.1"], 300, t(5)));
        let a = m.attribute(dev("10.0.0.2"), ip("1.1.1.1"), t(6));
        assert_eq!(name(&a), Some("new.example"));
        assert_eq!(a.candidates, vec![Domain::new("old.example").unwrap()]);
    }

    #[test]
    fn answer_after_the_flow_began_does_not_name_it() {
        let mut m = mem();
        m.record(&answer("10.0.0.2", "old.example", &["1.1.1.1"], 300, t(0)));
        m.record(&answer(
            "10.0.0.2",
            "later.example",
            &["1.1.1.1"],
            300,
            t(10),
        ));
        let a = m.attribute(dev("10.0.0.2"), ip("1.1.1.1"), t(5));
        assert_eq!(name(&a), Some("old.example"));
        assert_eq!(a.candidates, vec![Domain::new("later.example").unwrap()]);
    }

    #[test]
    fn expired_answer_names_nothing_after_grace() {
        let mut m = mem();
        m.record(&answer("10.0.0.2", "a.example", &["1.1.1.1"], 10, t(0)));
        assert_eq!(
            name(&m.attribute(dev("10.0.0.2"), ip("1.1.1.1"), t(69))),
            Some("a.example")
        );
        let a = m.attribute(dev("10.0.0.2"), ip("1.1.1.1"), t(71));
        assert_eq!(name(&a), None);
        assert_eq!(a.candidates.len(), 1, "kept as a candidate, shown honestly");
    }

    #[test]
    fn unresolved_ip_has_no_domain() {
        let mut m = mem();
        m.record(&answer("10.0.0.3", "a.example", &["1.1.1.1"], 300, t(0)));
        let a = m.attribute(dev("10.0.0.2"), ip("1.1.1.1"), t(1));
        assert_eq!(a, Attribution::default());
    }

    #[test]
    fn same_name_again_moves_to_front_without_duplicates() {
        let mut m = mem();
        m.record(&answer("10.0.0.2", "a.example", &["1.1.1.1"], 300, t(0)));
        m.record(&answer("10.0.0.2", "b.example", &["1.1.1.1"], 300, t(1)));
        m.record(&answer("10.0.0.2", "a.example", &["1.1.1.1"], 300, t(2)));
        let a = m.attribute(dev("10.0.0.2"), ip("1.1.1.1"), t(3));
        assert_eq!(name(&a), Some("a.example"));
        assert_eq!(a.candidates, vec![Domain::new("b.example").unwrap()]);
    }

    #[test]
    fn memory_is_bounded() {
        let mut m = DnsMemory::new(2, 3, std::time::Duration::from_secs(60));
        for d in 0..5 {
            for i in 0..10 {
                let addr = format!("1.1.1.{i}");
                m.record(&answer(
                    &format!("10.0.0.{d}"),
                    "a.example",
                    &[&addr],
                    300,
                    t(0),
                ));
            }
        }
        assert_eq!(m.device_count(), 2);
        // Only the 3 most recent addresses of a device survive.
        assert_eq!(
            name(&m.attribute(dev("10.0.0.4"), ip("1.1.1.9"), t(1))),
            Some("a.example")
        );
        assert_eq!(
            name(&m.attribute(dev("10.0.0.4"), ip("1.1.1.0"), t(1))),
            None
        );
        // Names per address are capped too.
        let mut m = mem();
        for i in 0..20 {
            m.record(&answer(
                "10.0.0.2",
                &format!("n{i}.example"),
                &["1.1.1.1"],
                300,
                t(i),
            ));
        }
        let a = m.attribute(dev("10.0.0.2"), ip("1.1.1.1"), t(30));
        assert_eq!(name(&a), Some("n19.example"));
        assert_eq!(a.candidates.len(), NAMES_PER_ADDRESS - 1);
    }

    #[test]
    fn forget_device_drops_only_its_names() {
        let mut m = mem();
        m.record(&answer("10.0.0.2", "a.example", &["1.1.1.1"], 300, t(0)));
        m.record(&answer("10.0.0.3", "b.example", &["1.1.1.1"], 300, t(0)));
        assert!(m.forget_device(dev("10.0.0.2")));
        assert_eq!(
            m.attribute(dev("10.0.0.2"), ip("1.1.1.1"), t(1)),
            Attribution::default()
        );
        assert_eq!(
            name(&m.attribute(dev("10.0.0.3"), ip("1.1.1.1"), t(1))),
            Some("b.example")
        );
        assert!(!m.forget_device(dev("10.0.0.2")));
    }

    #[test]
    fn answers_without_addresses_are_ignored() {
        let mut m = mem();
        m.record(&answer("10.0.0.2", "nx.example", &[], 300, t(0)));
        assert_eq!(m.device_count(), 0);
    }
}
