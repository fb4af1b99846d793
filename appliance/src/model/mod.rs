//! The shared vocabulary of the data flow: the data every stage passes along or serves.
//!
//! One file per concept. Only data and what is true of the data itself lives here (parsing,
//! names, labels); what a stage DOES with it stays in the stage (`correlate` builds
//! [`FlowRecord`]s from conntrack snapshots, `detect` raises [`Alert`]s, `enrich` fills an
//! [`Enrichment`]). Nothing here imports a stage, so every stage can use it.
//!
//! - `device`: [`DeviceId`], a device on the LAN by address, and [`DeviceIdentity`], one
//!   device across its addresses (by MAC when known, as an opaque [`HardwareKey`]).
//! - `domain`: [`Domain`], a checked, normalised domain name.
//! - `http_url`: [`HttpUrl`], an `http://` or `https://` URL (webhook, DNS-over-HTTPS).
//! - `proto`: [`Proto`], the transport protocol.
//! - `flow`: [`FlowKey`] (conntrack's identity of a flow), [`FlowRecord`] (a flow as people see
//!   it) and its [`FlowState`].
//! - `dns_log_entry`: [`DnsLogEntry`], an answer a device got.
//! - `category`: [`Category`], the fixed set of kinds of service the UI explains.
//! - `enrichment`: [`Enrichment`], what is known about a flow's destination, and
//!   [`SpecialRange`] for addresses not on the internet.
//! - `alert`: [`Alert`] and its [`AlertKind`].
//! - `live_event`: [`LiveEvent`], one change pushed on the event stream.
//! - `mark`: [`Mark`], a named moment of a session ("since the mark").
//! - `wifi_security`: [`WifiSecurity`], how a device joined the WiFi (WPA3, WPA2).

mod alert;
mod category;
mod device;
mod dns_log_entry;
mod domain;
mod enrichment;
mod flow;
mod http_url;
mod live_event;
mod mark;
mod proto;
mod wifi_security;

pub use alert::{Alert, AlertKind, AlertWords};
pub use category::Category;
pub use device::{DeviceId, DeviceIdentity, HardwareKey};
pub use dns_log_entry::DnsLogEntry;
pub use domain::{Domain, DomainError};
pub use enrichment::{Enrichment, SpecialRange};
pub use flow::{FlowKey, FlowRecord, FlowState};
pub(crate) use http_url::authority;
pub use http_url::HttpUrl;
pub use live_event::LiveEvent;
pub use mark::{Mark, MarkLabelError, MAX_MARKS_PER_SESSION, MAX_MARK_LABEL};
pub use proto::Proto;
pub use wifi_security::WifiSecurity;
