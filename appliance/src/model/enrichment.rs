//! What enrichment says about a flow's destination.

use std::sync::Arc;

use serde::Serialize;

use crate::model::{Category, Domain};

/// What the API shows about a flow's destination. Unknown values are `null`.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Enrichment {
    /// eTLD+1 of the flow's domain (`bbc.co.uk`).
    pub registrable_domain: Option<Domain>,
    /// Who the destination belongs to: the domain's organization, else the AS organization,
    /// else the registrable domain, else the address.
    pub org: Option<Arc<str>>,
    /// What kind of service it is.
    pub category: Option<Category>,
    /// Advertising or tracking (by category or by an EasyList/EasyPrivacy host rule).
    pub tracker: bool,
    /// Autonomous system number.
    pub asn: Option<u32>,
    /// The AS's organization as registered (e.g. `GOOGLE`).
    pub as_org: Option<String>,
    /// ISO 3166 alpha-2 country code.
    pub country: Option<String>,
    /// City name.
    pub city: Option<String>,
    /// Latitude.
    pub lat: Option<f64>,
    /// Longitude.
    pub lon: Option<f64>,
    /// Set when the address is not on the public internet (private, documentation, ...):
    /// such addresses are not looked up.
    pub address_range: Option<SpecialRange>,
}

/// What kind of non-internet address an address is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SpecialRange {
    /// RFC 1918 private networks (10/8, 172.16/12, 192.168/16) and IPv6 unique local
    /// addresses (fc00::/7).
    Private,
    /// Shared address space for carrier-grade NAT, 100.64.0.0/10 (RFC 6598).
    Cgnat,
    /// This host: 127.0.0.0/8, ::1.
    Loopback,
    /// Link-local: 169.254.0.0/16, fe80::/10.
    LinkLocal,
    /// Multicast: 224.0.0.0/4, ff00::/8.
    Multicast,
    /// Documentation: 192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24, 2001:db8::/32, 3fff::/20.
    Documentation,
    /// The unspecified address: 0.0.0.0, ::.
    Unspecified,
    /// Limited broadcast, 255.255.255.255.
    Broadcast,
    /// Any other special-purpose or unallocated range: "this network" 0.0.0.0/8, IETF
    /// protocol assignments 192.0.0.0/24 and 2001::/23, benchmarking 198.18.0.0/15 and
    /// 2001:2::/48, reserved 240.0.0.0/4, the deprecated 6to4 relay anycast, discard-only
    /// 100::/64, deprecated site-local fec0::/10, and IPv6 outside 2000::/3.
    Reserved,
}

impl SpecialRange {
    /// The range in plain words, for people.
    pub fn label(self) -> &'static str {
        match self {
            SpecialRange::Private => "private network",
            SpecialRange::Cgnat => "carrier-grade NAT",
            SpecialRange::Loopback => "this device (loopback)",
            SpecialRange::LinkLocal => "link-local",
            SpecialRange::Multicast => "multicast",
            SpecialRange::Documentation => "documentation range",
            SpecialRange::Unspecified => "unspecified address",
            SpecialRange::Broadcast => "broadcast",
            SpecialRange::Reserved => "reserved range",
        }
    }
}
