//! Any bytes as a datagram from the conntrack netlink socket: never a panic (see
//! `whereflow::fuzz::conntrack_datagram`).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    whereflow::fuzz::conntrack_datagram(data);
});
