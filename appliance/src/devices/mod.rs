//! Stage "devices" — who is behind an address: devices known by MAC address, named from
//! DHCP, the MAC vendor, and the nickname their owner gives them.
//!
//! ```text
//!   dnsmasq lease file ──(mtime poll, 2 s)──┐
//!                                           ├─> refresher thread ─> DeviceRegistry ─> web
//!   kernel neighbour table ──(rtnetlink:    │        │               (IP → MAC → Device)
//!     dump every 5 s + RTNLGRP_NEIGH)───────┘        └─> store (identity changes, nicknames)
//! ```
//!
//! - `mac`: the MAC address type (parsing, the randomised bit).
//! - `leases`: dnsmasq's lease file, parsed (IPv4, IPv6, `duid`); bad lines skipped.
//! - `neighbours`: rtnetlink neighbour messages ⇄ entries (pure, no socket).
//! - `rtnetlink`: the socket (dumps and events).
//! - `oui`: the maker from the MAC prefix (IEEE registry, compiled in).
//! - `pseudonym`: "Blue Otter" 🦦, the session's friendly name for a device in group views.
//! - `name`: a device's name as data, given or made up ("Device .10"), said per language.
//! - `nickname`: the rules for the name a person gives their device.
//! - `registry`: the bounded [`DeviceRegistry`] the web asks ("who is 192.0.2.10?").
//! - `refresher`: the thread that feeds the registry from both sources.
//!
//! The MAC address identifies a person's device for good, so it stays inside the appliance:
//! the registry gives the web [`DeviceInfo`]s, which have names, vendor and a "randomised"
//! flag but no MAC.

pub mod leases;
pub mod mac;
pub mod name;
pub mod neighbours;
pub mod nickname;
pub mod oui;
pub mod pseudonym;
pub mod refresher;
pub mod registry;
pub mod rtnetlink;

pub use mac::MacAddr;
pub use name::DeviceName;
pub use refresher::{spawn as spawn_refresher, RefresherOptions};
pub use registry::{DeviceInfo, DeviceRegistry, KnownDevice};
