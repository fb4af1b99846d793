//! IPFIX (RFC 7011) encoding: see `wire`.

pub(crate) mod wire;
