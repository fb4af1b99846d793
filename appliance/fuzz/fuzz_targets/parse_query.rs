//! Any bytes as a client's query: never a panic, and what parses is consistent.
#![no_main]

// wire.rs itself, not the whereflow crate: see this crate's Cargo.toml.
#[path = "../../src/dns/wire.rs"]
#[allow(dead_code)]
mod wire;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let Ok(q) = wire::parse_query(data) else {
        return;
    };
    assert_eq!(q.qname_len + 4, q.question.len());
    assert!(q.qname_len <= wire::MAX_NAME_LEN);
    assert_eq!(
        data.get(wire::HEADER_LEN..wire::HEADER_LEN + q.question.len()),
        Some(q.question)
    );
    assert!((512..=usize::from(wire::EDNS_PAYLOAD)).contains(&q.max_udp_len()));
    let _ = wire::name_to_text(q.qname());
});
