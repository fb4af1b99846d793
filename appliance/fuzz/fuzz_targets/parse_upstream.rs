//! Any bytes as an upstream's answer: never a panic, and whatever `parse_upstream` accepts
//! is sound to copy the way the cache copies it (see `wire::check_copy`), and its names
//! expand (`wire::expand_name`).
#![no_main]

// wire.rs itself, not the whereflow crate: see this crate's Cargo.toml.
#[path = "../../src/dns/wire.rs"]
#[allow(dead_code)]
mod wire;

use wire::HEADER_LEN;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    // The question asked is the answer's own, so that the fuzzer gets past the question check
    // without a second input (that check is a byte comparison).
    let qend = wire::skip_name(data, HEADER_LEN).map_or(data.len(), |e| e + 4);
    let question = data.get(HEADER_LEN..qend).unwrap_or_default();
    if let Err(e) = wire::check_copy(data, question) {
        panic!("{e}");
    }
    // The same answer to the question in another letter case is a mismatch.
    // Every name of an accepted answer expands (the cache reads CNAME targets that way).
    if let Ok(parts) = wire::parse_upstream(data, question) {
        for r in &parts.records {
            let mut name = Vec::new();
            assert_eq!(wire::expand_name(data, r.start, &mut name), Ok(()));
            if r.rtype == 5 {
                assert_eq!(wire::expand_name(data, r.ttl_at + 6, &mut name), Ok(()));
            }
        }
    }
    if question.len() > 4 && wire::parse_upstream(data, question).is_ok() {
        let name_len = question.len() - 4;
        if let Some(i) = question[..name_len]
            .iter()
            .position(u8::is_ascii_alphabetic)
        {
            let mut other = question.to_vec();
            other[i] ^= 0x20;
            assert_eq!(
                wire::parse_upstream(data, &other),
                Err(wire::WireError::Mismatch)
            );
        }
    }
});
