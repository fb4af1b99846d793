//! Operating-system glue: the crate's only `unsafe` code, each block behind a small safe
//! function and with a `// SAFETY:` comment saying why it holds. The stages call these and
//! keep their own logic (which errors matter, what to retry, what to tell the user).
//!
//! `fs` (durable atomic file replacement), `socket` (receive buffer sizes, receiving into a
//! buffer), `poll` (waiting for descriptors with a timeout), `mmsg` (many UDP datagrams per
//! system call), `ifaddr` (the interfaces' addresses and indexes), `arp` (the `AF_PACKET`
//! socket the spoofing detector's feed reads ARP packets from), `mmap` (memory-mapped
//! MaxMind databases) and `limits` (the open-files limit).

pub(crate) mod arp;
pub(crate) mod fs;
pub(crate) mod ifaddr;
pub(crate) mod limits;
pub(crate) mod mmap;
pub(crate) mod mmsg;
pub(crate) mod poll;
pub(crate) mod socket;
