//! Operating-system glue and the `unsafe` code it needs: each piece behind a small safe function, so the stages keep their
//! own logic (which errors matter, what to retry, what to tell the user).
//!
//! `fs` (durable atomic file replacement), `socket` (receive buffer sizes, receiving into a
//! buffer), `poll` (waiting for descriptors with a timeout).

pub(crate) mod fs;
pub(crate) mod poll;
pub(crate) mod socket;
