//! Names the appliance answers itself: its own name, and the "canary" names that make
//! browsers and phones keep using this resolver instead of their own encrypted DNS.
//!
//! - `use-application-dns.net`: Firefox turns off DNS-over-HTTPS by default when this name
//!   does not resolve (NXDOMAIN).
//! - `mask.icloud.com`, `mask-h2.icloud.com`: Apple devices turn off iCloud Private Relay on
//!   networks where these do not resolve.
//!
//! Answers are encoded once at start with hickory's encoder and then served like cached
//! answers, with fixed TTLs.

use std::net::IpAddr;
use std::sync::Arc;

use hickory_proto::op::{Message, OpCode, Query as HQuery, ResponseCode};
use hickory_proto::rr::rdata::{A, AAAA, SOA};
use hickory_proto::rr::{Name, RData, Record, RecordType};

use super::cache::Entry;
use super::wire::{self, Query, HEADER_LEN};
use super::DnsError;
use crate::config::DnsConfig;

/// TTL of our own answers: short, so a changed address is picked up quickly.
const LOCAL_TTL: u32 = 60;

/// Record type numbers.
const TYPE_A: u16 = 1;
const TYPE_AAAA: u16 = 28;
const CLASS_IN: u16 = 1;

enum Answers {
    Own {
        a: Arc<Entry>,
        aaaa: Arc<Entry>,
        other: Arc<Entry>,
    },
    Blocked(Arc<Entry>),
}

/// The locally answered names.
pub struct LocalNames {
    names: Vec<(Vec<u8>, Answers)>,
}

impl LocalNames {
    /// Build the answers from the configuration.
    pub fn new(config: &DnsConfig) -> Result<LocalNames, DnsError> {
        let bad = |reason: String| DnsError::Config {
            key: "dns.local_name",
            reason,
        };
        let own = config.local_domain().map_err(|e| bad(e.to_string()))?;
        let own_name =
            Name::from_ascii(format!("{}.", own.as_str())).map_err(|e| bad(e.to_string()))?;
        let own_wire =
            wire::text_to_name(own.as_str()).ok_or_else(|| bad("not a usable name".into()))?;
        let addrs = config.own_addresses();
        let soa = soa_for(&own_name)?;
        let records = |want_v4: bool| -> Vec<Record> {
            addrs
                .iter()
                .filter_map(|ip| match (ip, want_v4) {
                    (IpAddr::V4(v4), true) => Some(Record::from_rdata(
                        own_name.clone(),
                        LOCAL_TTL,
                        RData::A(A(*v4)),
                    )),
                    (IpAddr::V6(v6), false) => Some(Record::from_rdata(
                        own_name.clone(),
                        LOCAL_TTL,
                        RData::AAAA(AAAA(*v6)),
                    )),
                    _ => None,
                })
                .collect()
        };
        let mut names = vec![(
            own_wire,
            Answers::Own {
                a: entry(&own_name, ResponseCode::NoError, records(true), &soa)?,
                aaaa: entry(&own_name, ResponseCode::NoError, records(false), &soa)?,
                other: entry(&own_name, ResponseCode::NoError, Vec::new(), &soa)?,
            },
        )];
        let mut blocked = Vec::new();
        if config.block_use_application_dns {
            blocked.push("use-application-dns.net");
        }
        if config.block_icloud_private_relay {
            blocked.extend(["mask.icloud.com", "mask-h2.icloud.com"]);
        }
        for text in blocked {
            let name = Name::from_ascii(format!("{text}.")).map_err(|e| bad(e.to_string()))?;
            let w = wire::text_to_name(text).ok_or_else(|| bad(text.into()))?;
            // No SOA: we are not authoritative for these zones, and a client that cannot
            // cache the NXDOMAIN simply asks again (and gets the same answer).
            let e = entry(&name, ResponseCode::NXDomain, Vec::new(), &[])?;
            names.push((w, Answers::Blocked(e)));
        }
        Ok(LocalNames { names })
    }

    /// The local answer for a query, if its name is one of ours.
    pub fn lookup(&self, q: &Query<'_>) -> Option<Arc<Entry>> {
        let qname = q.qname();
        let (_, answers) = self
            .names
            .iter()
            .find(|(n, _)| n.len() == qname.len() && n.eq_ignore_ascii_case(qname))?;
        match answers {
            Answers::Blocked(e) => Some(e.clone()),
            Answers::Own { .. } if q.qclass != CLASS_IN => None,
            Answers::Own { a, aaaa, other } => Some(match q.qtype {
                TYPE_A => a.clone(),
                TYPE_AAAA => aaaa.clone(),
                _ => other.clone(),
            }),
        }
    }
}

/// An SOA for our own name, so "no such record" answers can be cached by clients.
fn soa_for(name: &Name) -> Result<Vec<Record>, DnsError> {
    let rname = Name::from_ascii("hostmaster.")
        .and_then(|h| h.append_domain(name))
        .map_err(|e| DnsError::Config {
            key: "dns.local_name",
            reason: e.to_string(),
        })?;
    let soa = SOA::new(name.clone(), rname, 1, 3600, 600, 86_400, LOCAL_TTL);
    Ok(vec![Record::from_rdata(
        name.clone(),
        LOCAL_TTL,
        RData::SOA(soa),
    )])
}

/// Encode an answer once and keep it as an entry. NODATA and NXDOMAIN answers carry the SOA.
fn entry(
    name: &Name,
    rcode: ResponseCode,
    answers: Vec<Record>,
    soa: &[Record],
) -> Result<Arc<Entry>, DnsError> {
    let mut m = Message::response(0, OpCode::Query);
    m.metadata.response_code = rcode;
    m.add_query(HQuery::query(name.clone(), RecordType::A));
    let negative = answers.is_empty();
    m.add_answers(answers);
    if negative {
        m.add_authorities(soa.iter().cloned());
    }
    let internal = |reason: String| DnsError::Config {
        key: "dns.local_name",
        reason,
    };
    let bytes = m.to_vec().map_err(|e| internal(e.to_string()))?;
    let qend = wire::skip_name(&bytes, HEADER_LEN).map_err(|e| internal(e.to_string()))? + 4;
    let parts = wire::parse_upstream(&bytes, &bytes[HEADER_LEN..qend.min(bytes.len())])
        .map_err(|e| internal(e.to_string()))?;
    Ok(Arc::new(Entry::from_response(&bytes, &parts, false)))
}
