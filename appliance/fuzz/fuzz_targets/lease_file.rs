//! Any text as dnsmasq's lease file: never a panic, bounds and host name rules kept (see
//! `whereflow::fuzz::lease_file`).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    // The refresher reads the file as UTF-8 text; other bytes never reach the parser.
    if let Ok(text) = std::str::from_utf8(data) {
        whereflow::fuzz::lease_file(text, 8);
    }
});
