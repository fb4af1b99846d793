//! whereflow: a WiFi access point that shows everyone connected where their devices' data
//! flows — device → domain → organization → country, live.
//!
//! The modules follow the data flow (see `docs/ARCHITECTURE.md`):
//!
//! ```text
//!   dns (answers) ─┐
//!                  ├─> correlate (flow + name per device) ─> web (JSON API, event stream)
//!   conntrack ─────┘                                         ^
//!   DHCP leases, neighbour table ─> devices (who is behind an address) ─┘
//! ```
//!
//! `detect` raises alerts from the same flows and answers; `control` holds what the admin
//! can change about the traffic (DNS blocking of trackers, nftables blocks, ending
//! connections). `config` holds the one TOML file, `status` the health counters, `model` the
//! shared vocabulary, `session` the actions that change several stages at once (forget a
//! device, start a new session), `backup` the admin's settings as a document that moves to
//! another appliance, and `daemon` wires the stages together and shuts them down
//! cleanly.
//! `tls` is the TLS client the encrypted DNS upstreams and the webhook share.
//! `sys` is the operating-system glue and holds all of the crate's `unsafe` code.

#![warn(missing_docs)]
#![deny(unsafe_code)]

pub(crate) mod backup;
pub mod config;
pub mod conntrack;
pub(crate) mod control;
pub mod correlate;
pub mod daemon;
pub mod detect;
pub(crate) mod devices;
pub mod dns;
pub mod enrich;
pub mod export;
#[doc(hidden)]
pub mod fuzz;
pub(crate) mod group_view;
pub mod i18n;
pub mod model;
pub(crate) mod netlink;
pub(crate) mod session;
pub mod status;
pub mod store;
#[allow(unsafe_code)]
pub(crate) mod sys;
pub mod system;
#[cfg(test)]
#[path = "../tests/dns_support/tls.rs"]
pub(crate) mod test_tls;
pub(crate) mod tls;
pub(crate) mod web;
