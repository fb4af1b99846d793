//! Operating-system glue: each piece behind a small safe function, so the stages keep their
//! own logic (which errors matter, what to retry, what to tell the user).
//!
//! `fs` (durable atomic file replacement).

pub(crate) mod fs;
