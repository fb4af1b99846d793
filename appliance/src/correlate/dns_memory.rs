//! Per-device memory of which remote addresses were answers to which names.
//!
//! Kept per [`DeviceIdentity`], not per address: a phone that asks over IPv4 and connects over
//! IPv6 (or from a new temporary IPv6 address) is one device with one memory. Answers given to
//! an address before it was known to belong to a device are merged into the device's memory
//! when the binding is learnt ([`DnsMemory::bind`]); their TTL and the grace window still
//! decide whether they name a flow.

use std::net::IpAddr;
use std::num::NonZeroUsize;

use chrono::{DateTime, Duration, Utc};
use lru::LruCache;

use crate::dns::DnsAnswer;
use crate::model::{DeviceIdentity, Domain};

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
    devices: LruCache<DeviceIdentity, LruCache<IpAddr, Vec<Sighting>>>,
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

    /// Learn from one answer given to `device` (the identity behind `answer.device`): each of
    /// its addresses now stands for the name asked.
    pub fn record(&mut self, device: DeviceIdentity, answer: &DnsAnswer) {
        if answer.addrs.is_empty() {
            return;
        }
        let per_device = self.per_device.get();
        // Unbounded constructor plus the manual bound below: `LruCache::new(n)` reserves room
        // for n entries up front, which for 4,096 addresses x every device is megabytes of
        // nothing. Most devices use a small fraction of their bound.
        let addrs = self.devices.get_or_insert_mut(device, LruCache::unbounded);
        let expires = answer.at + Duration::seconds(i64::from(answer.ttl));
        for ip in &answer.addrs {
            let names = addrs.get_or_insert_mut(*ip, Vec::new);
            remember(
                names,
                Sighting {
                    name: answer.qname.clone(),
                    at: answer.at,
                    expires,
                },
            );
        }
        while addrs.len() > per_device {
            addrs.pop_lru();
        }
    }

    /// `address` is now known to belong to `identity` (a MAC learnt for it): what was
    /// remembered for the bare address moves into the device's memory, so answers it got
    /// before the binding still name its flows (within their TTL plus grace). Cheap when
    /// there is nothing to move (one lookup).
    pub fn bind(&mut self, address: IpAddr, identity: DeviceIdentity) {
        let bare = DeviceIdentity::Address(address);
        if identity == bare {
            return;
        }
        let Some(mut old) = self.devices.pop(&bare) else {
            return;
        };
        let per_device = self.per_device.get();
        let addrs = self
            .devices
            .get_or_insert_mut(identity, LruCache::unbounded);
        // Oldest first, so the most recently used addresses end up most recent here too.
        while let Some((remote, sightings)) = old.pop_lru() {
            let names = addrs.get_or_insert_mut(remote, Vec::new);
            for s in sightings.into_iter().rev() {
                remember(names, s);
            }
        }
        while addrs.len() > per_device {
            addrs.pop_lru();
        }
    }

    /// The name for a flow from `device` to `remote` that began at `started`.
    pub fn attribute(
        &self,
        device: DeviceIdentity,
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
    pub fn forget(&mut self, device: DeviceIdentity) {
        self.devices.pop(&device);
    }

    /// Forget a device's names ("forget my device"); returns whether it was known. Its next
    /// flows have no name until it asks again.
    pub fn forget_device(&mut self, device: DeviceIdentity) -> bool {
        self.devices.pop(&device).is_some()
    }

    /// The addresses remembered as devices of their own (no MAC known when their answers
    /// came), to re-check when bindings change.
    pub fn bare_addresses(&self) -> Vec<IpAddr> {
        self.devices
            .iter()
            .filter_map(|(d, _)| match d {
                DeviceIdentity::Address(ip) => Some(*ip),
                DeviceIdentity::Hardware(_) => None,
            })
            .collect()
    }

    /// Number of devices remembered.
    pub fn device_count(&self) -> usize {
        self.devices.len()
    }
}

/// Put `s` in a most-recent-first list of names: one sighting per name (the later one wins),
/// at most [`NAMES_PER_ADDRESS`].
fn remember(names: &mut Vec<Sighting>, s: Sighting) {
    if let Some(i) = names.iter().position(|o| o.name == s.name) {
        if names[i].at > s.at {
            return;
        }
        names.remove(i);
    }
    let at = names
        .iter()
        .position(|o| o.at <= s.at)
        .unwrap_or(names.len());
    names.insert(at, s);
    names.truncate(NAMES_PER_ADDRESS);
}

#[cfg(test)]
mod tests {
    use super::*;
    use hickory_proto::op::ResponseCode;
    use hickory_proto::rr::RecordType;

    fn dev(s: &str) -> DeviceIdentity {
        DeviceIdentity::Address(s.parse().unwrap())
    }
    /// Record an answer for the bare address it was sent to.
    fn record(m: &mut DnsMemory, a: &DnsAnswer) {
        m.record(DeviceIdentity::Address(a.device.ip()), a)
    }
    fn hw(k: u64) -> DeviceIdentity {
        DeviceIdentity::Hardware(crate::model::HardwareKey(k))
    }
    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }
    fn t(secs: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_800_000_000 + secs, 0).unwrap()
    }
    fn answer(device: &str, name: &str, addrs: &[&str], ttl: u32, at: DateTime<Utc>) -> DnsAnswer {
        DnsAnswer {
            device: crate::model::DeviceId(device.parse().unwrap()),
            qname: Domain::new(name).unwrap(),
            qtype: RecordType::A,
            rcode: ResponseCode::NoError,
            chain: vec![],
            addrs: addrs.iter().map(|a| ip(a)).collect(),
            ttl,
            at,
            blocked: false,
            repeats: 1,
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
        record(
            &mut m,
            &answer("10.0.0.2", "a.example", &["1.1.1.1"], 300, t(0)),
        );
        assert_eq!(
            name(&m.attribute(dev("10.0.0.2"), ip("1.1.1.1"), t(1))),
            Some("a.example")
        );
    }

    #[test]
    fn two_devices_same_ip_different_names() {
        let mut m = mem();
        record(
            &mut m,
            &answer("10.0.0.2", "a.example", &["1.1.1.1"], 300, t(0)),
        );
        record(
            &mut m,
            &answer("10.0.0.3", "b.example", &["1.1.1.1"], 300, t(1)),
        );
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
        record(
            &mut m,
            &answer("10.0.0.2", "old.example", &["1.1.1.1"], 300, t(0)),
        );
        record(
            &mut m,
            &answer("10.0.0.2", "new.example", &["1.1.1.1"], 300, t(5)),
        );
        let a = m.attribute(dev("10.0.0.2"), ip("1.1.1.1"), t(6));
        assert_eq!(name(&a), Some("new.example"));
        assert_eq!(a.candidates, vec![Domain::new("old.example").unwrap()]);
    }

    #[test]
    fn answer_after_the_flow_began_does_not_name_it() {
        let mut m = mem();
        record(
            &mut m,
            &answer("10.0.0.2", "old.example", &["1.1.1.1"], 300, t(0)),
        );
        record(
            &mut m,
            &answer("10.0.0.2", "later.example", &["1.1.1.1"], 300, t(10)),
        );
        let a = m.attribute(dev("10.0.0.2"), ip("1.1.1.1"), t(5));
        assert_eq!(name(&a), Some("old.example"));
        assert_eq!(a.candidates, vec![Domain::new("later.example").unwrap()]);
    }

    #[test]
    fn expired_answer_names_nothing_after_grace() {
        let mut m = mem();
        record(
            &mut m,
            &answer("10.0.0.2", "a.example", &["1.1.1.1"], 10, t(0)),
        );
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
        record(
            &mut m,
            &answer("10.0.0.3", "a.example", &["1.1.1.1"], 300, t(0)),
        );
        let a = m.attribute(dev("10.0.0.2"), ip("1.1.1.1"), t(1));
        assert_eq!(a, Attribution::default());
    }

    #[test]
    fn same_name_again_moves_to_front_without_duplicates() {
        let mut m = mem();
        record(
            &mut m,
            &answer("10.0.0.2", "a.example", &["1.1.1.1"], 300, t(0)),
        );
        record(
            &mut m,
            &answer("10.0.0.2", "b.example", &["1.1.1.1"], 300, t(1)),
        );
        record(
            &mut m,
            &answer("10.0.0.2", "a.example", &["1.1.1.1"], 300, t(2)),
        );
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
                record(
                    &mut m,
                    &answer(&format!("10.0.0.{d}"), "a.example", &[&addr], 300, t(0)),
                );
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
            record(
                &mut m,
                &answer(
                    "10.0.0.2",
                    &format!("n{i}.example"),
                    &["1.1.1.1"],
                    300,
                    t(i),
                ),
            );
        }
        let a = m.attribute(dev("10.0.0.2"), ip("1.1.1.1"), t(30));
        assert_eq!(name(&a), Some("n19.example"));
        assert_eq!(a.candidates.len(), NAMES_PER_ADDRESS - 1);
    }

    #[test]
    fn forget_device_drops_only_its_names() {
        let mut m = mem();
        record(
            &mut m,
            &answer("10.0.0.2", "a.example", &["1.1.1.1"], 300, t(0)),
        );
        record(
            &mut m,
            &answer("10.0.0.3", "b.example", &["1.1.1.1"], 300, t(0)),
        );
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
        record(&mut m, &answer("10.0.0.2", "nx.example", &[], 300, t(0)));
        assert_eq!(m.device_count(), 0);
    }

    #[test]
    fn one_identity_shares_names_across_its_addresses() {
        let mut m = mem();
        let phone = hw(1);
        // Asked over IPv4, known to be the phone: names a flow from its IPv6 address.
        m.record(
            phone,
            &answer("10.0.0.2", "a.example", &["2001:db8:2::1"], 300, t(0)),
        );
        assert_eq!(
            name(&m.attribute(phone, ip("2001:db8:2::1"), t(1))),
            Some("a.example")
        );
        // Another device (another MAC) that asked the same name from its own address has
        // its own memory; the phone's answer does not name the other's flows.
        assert_eq!(
            m.attribute(hw(2), ip("2001:db8:2::1"), t(1)),
            Attribution::default()
        );
    }

    #[test]
    fn answers_before_the_binding_count_once_it_is_known() {
        let mut m = mem();
        let phone = hw(1);
        // Asked from an IPv6 address nobody knew yet.
        record(
            &mut m,
            &answer("2001:db8:1::a", "old.example", &["1.1.1.1"], 300, t(0)),
        );
        record(
            &mut m,
            &answer("2001:db8:1::a", "b.example", &["2.2.2.2"], 10, t(0)),
        );
        m.record(
            phone,
            &answer("10.0.0.2", "new.example", &["1.1.1.1"], 300, t(2)),
        );
        m.bind(ip("2001:db8:1::a"), phone);
        assert_eq!(m.device_count(), 1, "the bare address' memory moved");
        let a = m.attribute(phone, ip("1.1.1.1"), t(3));
        assert_eq!(name(&a), Some("new.example"));
        assert_eq!(a.candidates, vec![Domain::new("old.example").unwrap()]);
        assert_eq!(
            name(&m.attribute(phone, ip("1.1.1.1"), t(1))),
            Some("old.example")
        );
        // TTL plus grace still decides.
        assert_eq!(
            name(&m.attribute(phone, ip("2.2.2.2"), t(69))),
            Some("b.example")
        );
        assert_eq!(name(&m.attribute(phone, ip("2.2.2.2"), t(71))), None);
        // Binding again, or an address to itself, changes nothing.
        m.bind(ip("2001:db8:1::a"), phone);
        m.bind(ip("10.0.0.9"), DeviceIdentity::Address(ip("10.0.0.9")));
        assert_eq!(m.device_count(), 1);
    }

    #[test]
    fn merged_names_stay_bounded_and_newest_first() {
        let mut m = mem();
        let phone = hw(1);
        for i in 0..6 {
            m.record(
                phone,
                &answer(
                    "10.0.0.2",
                    &format!("v4-{i}.example"),
                    &["1.1.1.1"],
                    300,
                    t(2 * i),
                ),
            );
            record(
                &mut m,
                &answer(
                    "2001:db8:1::a",
                    &format!("v6-{i}.example"),
                    &["1.1.1.1"],
                    300,
                    t(2 * i + 1),
                ),
            );
        }
        m.bind(ip("2001:db8:1::a"), phone);
        let a = m.attribute(phone, ip("1.1.1.1"), t(20));
        assert_eq!(name(&a), Some("v6-5.example"));
        assert_eq!(a.candidates.len(), NAMES_PER_ADDRESS - 1);
        assert_eq!(a.candidates[0].as_str(), "v4-5.example");
    }
}
