//! Conversions between the correlator's records and table rows.
//!
//! `FlowRecord`, `DnsLogEntry` and `Enrichment` are `Serialize` only (the API's shape), so
//! reading them back is written out by hand here. A row that no longer decodes (a value
//! this build does not know) is skipped by the callers, not fatal.

use std::net::IpAddr;
use std::str::FromStr;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use serde_json::{Map, Value};

use crate::model::{
    Category, DeviceId, DnsLogEntry, Domain, Enrichment, FlowKey, FlowRecord, FlowState, Proto,
    SpecialRange,
};

/// Milliseconds since the epoch, the store's time format.
pub(crate) fn to_ms(t: DateTime<Utc>) -> i64 {
    t.timestamp_millis()
}

/// Back from milliseconds (out-of-range values become the epoch).
pub(crate) fn from_ms(ms: i64) -> DateTime<Utc> {
    DateTime::from_timestamp_millis(ms).unwrap_or_default()
}

/// Counters are `u64`; SQLite integers are `i64`. Nothing real gets near the limit.
pub(crate) fn to_i64(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

/// The protocol as stored: `tcp`, `udp`, `icmp`, or the IP protocol number.
pub(crate) fn proto_text(p: Proto) -> String {
    match p {
        Proto::Tcp => "tcp".into(),
        Proto::Udp => "udp".into(),
        Proto::Icmp => "icmp".into(),
        Proto::Other(n) => n.to_string(),
    }
}

fn proto_from_text(s: &str) -> Option<Proto> {
    Some(match s {
        "tcp" => Proto::Tcp,
        "udp" => Proto::Udp,
        "icmp" => Proto::Icmp,
        n => Proto::Other(n.parse().ok()?),
    })
}

pub(crate) fn state_text(s: FlowState) -> &'static str {
    match s {
        FlowState::Open => "open",
        FlowState::Closed => "closed",
    }
}

fn state_from_text(s: &str) -> Option<FlowState> {
    match s {
        "open" => Some(FlowState::Open),
        "closed" => Some(FlowState::Closed),
        _ => None,
    }
}

/// `FlowRecord::id` is `<ct id>-<start ns>`; the key is read back from it.
fn key_from_id(id: &str) -> Option<FlowKey> {
    let (ct, start) = id.split_once('-')?;
    Some(FlowKey {
        id: ct.parse().ok()?,
        start_ns: start.parse().ok()?,
    })
}

/// A JSON array of strings, as stored for names and addresses.
pub(crate) fn json_strings<T: ToString>(items: &[T]) -> String {
    Value::Array(items.iter().map(|i| Value::String(i.to_string())).collect()).to_string()
}

fn parse_strings<T>(json: &str, parse: impl Fn(&str) -> Option<T>) -> Option<Vec<T>> {
    let Value::Array(items) = serde_json::from_str(json).ok()? else {
        return None;
    };
    items.iter().map(|v| parse(v.as_str()?)).collect()
}

const SPECIAL_RANGES: [SpecialRange; 9] = [
    SpecialRange::Private,
    SpecialRange::Cgnat,
    SpecialRange::Loopback,
    SpecialRange::LinkLocal,
    SpecialRange::Multicast,
    SpecialRange::Documentation,
    SpecialRange::Unspecified,
    SpecialRange::Broadcast,
    SpecialRange::Reserved,
];

fn special_range_from(v: &Value) -> Option<SpecialRange> {
    SPECIAL_RANGES
        .into_iter()
        .find(|r| serde_json::to_value(r).is_ok_and(|s| &s == v))
}

/// `Enrichment` as stored: its JSON without the unknown (`null`) values, a third of the
/// size for a typical flow.
pub(crate) fn enrichment_json(e: &Enrichment) -> String {
    match serde_json::to_value(e) {
        Ok(Value::Object(mut m)) => {
            m.retain(|_, v| !v.is_null());
            Value::Object(m).to_string()
        }
        _ => "{}".into(),
    }
}

/// `Enrichment` back from its JSON (the API's field names). Unknown or missing values
/// become `None`: enrichment is descriptive, a lost value must not lose the flow.
pub(crate) fn enrichment_from_json(json: &str) -> Enrichment {
    let Ok(Value::Object(m)) = serde_json::from_str::<Value>(json) else {
        return Enrichment::default();
    };
    let s = |m: &Map<String, Value>, k: &str| m.get(k).and_then(Value::as_str).map(String::from);
    Enrichment {
        registrable_domain: s(&m, "registrable_domain").and_then(|d| Domain::new(&d).ok()),
        org: s(&m, "org").map(Arc::from),
        category: s(&m, "category").and_then(|c| Category::from_str(&c).ok()),
        tracker: m.get("tracker").and_then(Value::as_bool).unwrap_or(false),
        asn: m
            .get("asn")
            .and_then(Value::as_u64)
            .and_then(|a| u32::try_from(a).ok()),
        as_org: s(&m, "as_org"),
        country: s(&m, "country"),
        city: s(&m, "city"),
        lat: m.get("lat").and_then(Value::as_f64),
        lon: m.get("lon").and_then(Value::as_f64),
        address_range: m.get("address_range").and_then(special_range_from),
    }
}

/// The columns `flow_from_row` reads, in order.
pub(crate) const FLOW_COLUMNS: &str = "flow_key, device_ip, remote_ip, remote_port, proto, \
     domain, candidates, enrichment, bytes_up, bytes_down, packets_up, packets_down, \
     first_seen, last_seen, state";

/// A `flows` row (selected with [`FLOW_COLUMNS`]) back to a record; `None` if it does not
/// decode.
pub(crate) fn flow_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Option<FlowRecord>> {
    let id: String = r.get(0)?;
    let device: String = r.get(1)?;
    let remote: String = r.get(2)?;
    let port: i64 = r.get(3)?;
    let proto: String = r.get(4)?;
    let domain: Option<String> = r.get(5)?;
    let candidates: String = r.get(6)?;
    let enrichment: String = r.get(7)?;
    let counter =
        |i| -> rusqlite::Result<u64> { Ok(u64::try_from(r.get::<_, i64>(i)?).unwrap_or(0)) };
    let (bytes_up, bytes_down, packets_up, packets_down) =
        (counter(8)?, counter(9)?, counter(10)?, counter(11)?);
    let first_seen: i64 = r.get(12)?;
    let last_seen: i64 = r.get(13)?;
    let state: String = r.get(14)?;
    let decoded = (|| {
        let domain = match domain {
            Some(d) => Some(Domain::from_wire_text(&d).ok()?),
            None => None,
        };
        Some(FlowRecord {
            key: key_from_id(&id)?,
            id,
            device_ip: DeviceId(device.parse().ok()?),
            remote_ip: remote.parse().ok()?,
            remote_port: u16::try_from(port).ok()?,
            // Not a column: the history keeps where flows went, not the device's ports.
            local_port: None,
            proto: proto_from_text(&proto)?,
            domain,
            candidates: parse_strings(&candidates, |s| Domain::from_wire_text(s).ok())?,
            bytes_up,
            bytes_down,
            packets_up,
            packets_down,
            first_seen: from_ms(first_seen),
            last_seen: from_ms(last_seen),
            state: state_from_text(&state)?,
            enrichment: enrichment_from_json(&enrichment),
        })
    })();
    Ok(decoded)
}

/// The columns `dns_from_row` reads, in order.
pub(crate) const DNS_COLUMNS: &str =
    "device_ip, name, qtype, rcode, chain, addrs, ttl, at, repeats";

/// A `dns_answers` row (selected with [`DNS_COLUMNS`]) back to an entry; `None` if it does
/// not decode.
pub(crate) fn dns_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Option<DnsLogEntry>> {
    let device: String = r.get(0)?;
    let name: String = r.get(1)?;
    let qtype: String = r.get(2)?;
    let rcode: String = r.get(3)?;
    let chain: String = r.get(4)?;
    let addrs: String = r.get(5)?;
    let ttl: i64 = r.get(6)?;
    let at: i64 = r.get(7)?;
    let repeats: i64 = r.get(8)?;
    let decoded = (|| {
        Some(DnsLogEntry {
            device_ip: DeviceId(device.parse().ok()?),
            name: Domain::from_wire_text(&name).ok()?,
            qtype,
            rcode,
            chain: parse_strings(&chain, |s| Domain::from_wire_text(s).ok())?,
            addrs: parse_strings(&addrs, |s| s.parse::<IpAddr>().ok())?,
            ttl: u32::try_from(ttl).unwrap_or(u32::MAX),
            at: from_ms(at),
            blocked: false,
            repeats: u32::try_from(repeats).unwrap_or(u32::MAX).max(1),
        })
    })();
    Ok(decoded)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_special_range_round_trips() {
        for r in SPECIAL_RANGES {
            let v = serde_json::to_value(r).unwrap();
            assert_eq!(special_range_from(&v), Some(r));
        }
    }

    #[test]
    fn enrichment_round_trips() {
        let e = Enrichment {
            registrable_domain: Some(Domain::new("bbc.co.uk").unwrap()),
            org: Some(Arc::from("BBC")),
            category: Some(Category::Video),
            tracker: true,
            asn: Some(4_200_000_000),
            as_org: Some("BBC".into()),
            country: Some("GB".into()),
            city: Some("London".into()),
            lat: Some(51.5),
            lon: Some(-0.12),
            address_range: Some(SpecialRange::Documentation),
        };
        let json = serde_json::to_string(&e).unwrap();
        assert_eq!(enrichment_from_json(&json), e);
        assert_eq!(enrichment_from_json(&enrichment_json(&e)), e);
        let sparse = Enrichment {
            org: Some(Arc::from("Example")),
            ..Enrichment::default()
        };
        assert_eq!(
            enrichment_json(&sparse),
            r#"{"org":"Example","tracker":false}"#
        );
        assert_eq!(enrichment_from_json(&enrichment_json(&sparse)), sparse);
        assert_eq!(enrichment_from_json("{}"), Enrichment::default());
        assert_eq!(enrichment_from_json("garbage"), Enrichment::default());
    }

    #[test]
    fn protocols_and_keys_round_trip() {
        for p in [Proto::Tcp, Proto::Udp, Proto::Icmp, Proto::Other(132)] {
            assert_eq!(proto_from_text(&proto_text(p)), Some(p));
        }
        let k = key_from_id("4000000000-1800000000123456789").unwrap();
        assert_eq!(
            (k.id, k.start_ns),
            (4_000_000_000, 1_800_000_000_123_456_789)
        );
        assert!(key_from_id("nonsense").is_none());
    }
}
