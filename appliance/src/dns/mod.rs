//! Stage 1a — the DNS forwarder every device uses.
//!
//! A hickory-server [`RequestHandler`](hickory_server::server::RequestHandler) answers each
//! query from the appliance's own names, the cache, or the upstream servers (in order, with
//! failover), and turns every answer into a [`DnsAnswer`] event. The forwarder sees its own
//! answers: there is no log parsing anywhere.
//!
//! Answering never waits on the rest of the pipeline: events go through a bounded queue
//! ([`AnswerSink`]) and are counted and dropped when it is full.
//!
//! Modules: `answer` (the event and its queue), `forwarder` (the request handler),
//! `upstream` (upstream pool and cache), `local` (names answered locally), `server`
//! (UDP/TCP listeners and shutdown).

pub mod answer;

pub use answer::{AnswerSink, DnsAnswer};
