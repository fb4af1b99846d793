//! Stage 2b — enrichment: what a person wants to know about a flow instead of an address.
//!
//! Every lookup is local (the appliance may have no upstream, and a lookup service would
//! show up in the diagram): registrable domain from the public suffix list (`suffix`),
//! organization, category and tracker flag of a host from versioned lists built from
//! third-party-web, the project's curated additions and EasyList/EasyPrivacy host rules
//! (`category`, `domains`), AS number and organization (`asn`) and country/city/location
//! (`geo`) from MaxMind-format databases, and labels for addresses that are not on the
//! internet at all (`special`). AS names become the names people know (`orgname`), and
//! `bundled` finds the databases a build carries (used when none are configured), and
//! `enricher` puts it all together for one flow, with the organization fallback: the domain's
//! organization → the AS organization → the registrable domain → the address.

pub use enricher::Enricher;

pub mod asn;
pub(crate) mod attribution;
pub mod bundled;
pub mod domains;
pub(crate) mod enricher;
pub mod geo;
pub(crate) mod mmdb;
pub(crate) mod orgname;
pub mod special;
pub mod suffix;
