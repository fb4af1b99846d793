//! Stage 2 — correlation: which name was each flow for?
//!
//! A device asks our forwarder for `www.example.com`, gets `93.184.215.14`, then opens a
//! connection there. The answer and the flow arrive on two different paths (the forwarder's
//! events and conntrack's), and one remote address can stand for many names (CDNs), asked by
//! many devices. So the correlator remembers, per device, which names each remote address was
//! an answer to and when ([`DnsMemory`]); a new flow takes the most recent name THIS device
//! got for that address before the flow began, within the answer's TTL plus a grace window.
//! Other names the device got for the same address are kept as candidates. A flow with no
//! such answer has no domain: the device had it cached from before, used a hard-coded
//! address, or resolved it some other way (encrypted DNS).
//!
//! - `dns_memory`: the per-device address → names memory (bounded, TTL-aware), per device
//!   identity (MAC when known: one memory for all of a device's IPv4 and IPv6 addresses).
//! - `flows`: the live and recently closed flows as the API shows them (bounded).
//! - `dns_log`: recent answers per device for `/api/v1/dns`.
//! - `device_totals`: per-device totals for `/api/v1/devices`.
//! - `paths`: traffic grouped by device → registrable domain → organization → place.
//! - `live`: [`LiveState`], all of the above that the API reads, behind one lock.
//! - `task`: the loop that feeds both streams through the above, in order.

pub(crate) mod device_totals;
pub(crate) mod dns_log;
pub(crate) mod dns_memory;
pub(crate) mod flows;
pub(crate) mod live;
pub(crate) mod paths;
pub(crate) mod task;

pub use device_totals::{DeviceSummary, DeviceTotals};
pub use dns_log::DnsLog;
pub use dns_memory::{Attribution, DnsMemory};
pub use flows::{FlowTable, LanFilter};
pub use live::{LiveForgotten, LiveState};
pub use paths::{PathDevice, PathQuery, PathRow, PathTable};
pub use task::{run, run_with_detectors, run_with_sinks, Outputs};
