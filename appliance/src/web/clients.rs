//! Who a client is ([`ClientKey`]: its device by MAC where the device registry knows it,
//! else its address), and bounded shares per client ([`Slots`]): the web listener's
//! connections and the event streams, so one device cannot take what the room shares.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Arc;

use parking_lot::Mutex;

use crate::devices::DeviceRegistry;
use crate::model::{DeviceIdentity, HardwareKey};

/// Who a client is: a device known by its MAC, else an IPv4 address or an IPv6 /64 (one
/// device can have many addresses in its /64).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ClientKey {
    /// A device known by its hardware address: all its addresses together.
    Device(HardwareKey),
    /// An address (IPv4, or the /64 of an IPv6 one).
    Address(u128),
}

impl From<IpAddr> for ClientKey {
    fn from(ip: IpAddr) -> Self {
        match ip {
            IpAddr::V4(v4) => ClientKey::Address(u128::from(u32::from(v4))),
            IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
                Some(v4) => ClientKey::Address(u128::from(u32::from(v4))),
                None => ClientKey::Address(u128::from(v6) & !((1u128 << 64) - 1) | (1 << 32)),
            },
        }
    }
}

impl ClientKey {
    /// The client behind `ip`: its device when the registry knows its MAC, else the address.
    pub fn of(ip: IpAddr, devices: &DeviceRegistry) -> ClientKey {
        match devices.identity(ip.to_canonical()) {
            DeviceIdentity::Hardware(key) => ClientKey::Device(key),
            DeviceIdentity::Address(_) => ClientKey::from(ip),
        }
    }

    /// Like [`ClientKey::of`], but an address the registry does not know yet is given a
    /// moment to become known: the kernel learns a new address's MAC during the TCP
    /// handshake and the registry a few milliseconds later, so without the wait a device's
    /// first request from a fresh address would count as a client of its own (a way round
    /// the per-device login lock-out).
    pub async fn settled(ip: IpAddr, devices: &DeviceRegistry) -> ClientKey {
        const WAIT: std::time::Duration = std::time::Duration::from_millis(300);
        const STEP: std::time::Duration = std::time::Duration::from_millis(20);
        let ip = ip.to_canonical();
        if ip.is_loopback() {
            return ClientKey::of(ip, devices);
        }
        let deadline = tokio::time::Instant::now() + WAIT;
        loop {
            let key = ClientKey::of(ip, devices);
            if matches!(key, ClientKey::Device(_)) || tokio::time::Instant::now() >= deadline {
                return key;
            }
            tokio::time::sleep(STEP).await;
        }
    }
}

/// At most `total` things held at once, and at most `per_client` by one client.
#[derive(Debug)]
pub(crate) struct Slots {
    total: usize,
    per_client: usize,
    held: Mutex<Held>,
}

#[derive(Debug, Default)]
struct Held {
    total: usize,
    // Only clients holding at least one slot: never more entries than `total`.
    by_client: HashMap<ClientKey, usize>,
}

/// Why no slot was given.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Full {
    /// All clients together hold the most.
    Total,
    /// This client holds its most.
    Client,
}

/// A slot held until dropped.
#[derive(Debug)]
pub(crate) struct Slot {
    slots: Arc<Slots>,
    client: ClientKey,
}

impl Slots {
    /// Empty, with these bounds.
    pub(crate) fn new(total: usize, per_client: usize) -> Arc<Slots> {
        Arc::new(Slots {
            total,
            per_client,
            held: Mutex::new(Held::default()),
        })
    }

    /// A slot for the client at `ip` (its device where the registry knows it), if neither
    /// bound is reached.
    pub(crate) fn take_for(
        self: &Arc<Self>,
        ip: IpAddr,
        devices: &DeviceRegistry,
    ) -> Result<Slot, Full> {
        self.take(
            ClientKey::of(ip, devices),
            ClientKey::from(ip.to_canonical()),
        )
    }

    /// A slot for `client`, if neither bound is reached. `address` is the client's address
    /// key: slots it took before the registry knew its device still count against the
    /// device, so the moment a device becomes known is not a way past its share.
    pub(crate) fn take(
        self: &Arc<Self>,
        client: ClientKey,
        address: ClientKey,
    ) -> Result<Slot, Full> {
        let mut held = self.held.lock();
        let count = |k: &ClientKey| held.by_client.get(k).copied().unwrap_or(0);
        let mine = count(&client);
        let earlier = if address == client {
            0
        } else {
            count(&address)
        };
        if mine + earlier >= self.per_client {
            return Err(Full::Client);
        }
        if held.total >= self.total {
            return Err(Full::Total);
        }
        held.total += 1;
        held.by_client.insert(client, mine + 1);
        Ok(Slot {
            slots: self.clone(),
            client,
        })
    }

    /// Slots held now, over all clients (the viewers `/metrics` counts).
    pub(crate) fn in_use(&self) -> usize {
        self.held.lock().total
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        let mut held = self.slots.held.lock();
        held.total = held.total.saturating_sub(1);
        if let Some(n) = held.by_client.get_mut(&self.client) {
            *n = n.saturating_sub(1);
            if *n == 0 {
                held.by_client.remove(&self.client);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(s: &str) -> ClientKey {
        ClientKey::from(s.parse::<IpAddr>().unwrap())
    }

    #[test]
    fn ipv6_clients_are_their_64_and_mapped_v4_is_v4() {
        assert_eq!(key("2001:db8:1:2::10"), key("2001:db8:1:2:ffff::1"));
        assert_ne!(key("2001:db8:1:2::10"), key("2001:db8:1:3::10"));
        assert_eq!(key("::ffff:192.0.2.1"), key("192.0.2.1"));
        assert_ne!(key("192.0.2.1"), key("192.0.2.2"));
    }

    #[test]
    fn one_client_cannot_take_every_slot_and_dropping_frees() {
        let slots = Slots::new(5, 2);
        let (a, b, c) = (key("192.0.2.1"), key("192.0.2.2"), key("192.0.2.3"));
        let a1 = slots.take(a, a).unwrap();
        let _a2 = slots.take(a, a).unwrap();
        assert_eq!(slots.take(a, a).unwrap_err(), Full::Client);
        let _b = [slots.take(b, b).unwrap(), slots.take(b, b).unwrap()];
        let _c1 = slots.take(c, c).unwrap();
        assert_eq!(slots.take(c, c).unwrap_err(), Full::Total);
        drop(a1);
        assert_eq!(slots.in_use(), 4);
        let _c2 = slots.take(c, c).unwrap();
        assert_eq!(slots.held.lock().by_client.len(), 3);
    }

    #[test]
    fn slots_taken_before_the_device_was_known_count_against_it() {
        let slots = Slots::new(10, 3);
        let addr = key("192.0.2.1");
        let dev = ClientKey::Device(HardwareKey(1));
        let _early = [
            slots.take(addr, addr).unwrap(),
            slots.take(addr, addr).unwrap(),
        ];
        let _known = slots.take(dev, addr).unwrap();
        assert_eq!(slots.take(dev, addr).unwrap_err(), Full::Client);
    }
}
