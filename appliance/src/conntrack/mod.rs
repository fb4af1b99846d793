//! Stage 1b — the kernel's connection tracking table, read over netlink.
//!
//! One dump at start, then NEW/UPDATE/DESTROY events, plus a periodic dump for live byte
//! counters (only dumps and DESTROY carry them). When the event socket overflows (ENOBUFS)
//! the table is dumped again and reconciled with what we knew, so no flow is lost or
//! counted twice. A flow is keyed by its conntrack id and start time ([`FlowKey`]) and
//! labelled with its ORIGINAL tuple (NAT rewrites the reply direction).
//!
//! Modules: `flow` (the types other stages see), `wire` (ctnetlink bytes → flows),
//! `table` (the live table and the Seen/Closed rules, with the reconciliation rule),
//! `socket` (the two netlink sockets), `reader` (the thread's poll loop), `sysctl`
//! (`nf_conntrack_acct`, `_timestamp`, `_events`).

pub(crate) mod flow;
mod reader;
mod socket;
mod sysctl;
pub(crate) mod table;
pub(crate) mod wire;

use std::io;
use std::sync::Arc;
use std::thread::JoinHandle;

use tokio::sync::mpsc::Sender;
use tokio_util::sync::CancellationToken;

pub use flow::{ConntrackEvent, Counters, FlowSnapshot, FlowTuple};

use crate::config::ConntrackConfig;
use crate::status::Status;

/// Why the conntrack reader could not start.
#[derive(Debug, thiserror::Error)]
pub enum ConntrackError {
    /// Not allowed to read conntrack.
    #[error(
        "conntrack needs CAP_NET_ADMIN: run as root or give the binary cap_net_admin \
         (setcap cap_net_admin+ep whereflow), or set conntrack.enabled = false \
         ({what}: {source})"
    )]
    PermissionDenied {
        /// The step that failed.
        what: &'static str,
        /// The system error.
        source: io::Error,
    },
    /// The kernel lacks ctnetlink.
    #[error(
        "the kernel has no conntrack netlink interface (CONFIG_NF_CT_NETLINK, module \
         nf_conntrack_netlink) ({what}: {source})"
    )]
    Unsupported {
        /// The step that failed.
        what: &'static str,
        /// The system error.
        source: io::Error,
    },
    /// Any other system error.
    #[error("conntrack: {what} failed: {source}")]
    Io {
        /// The step that failed.
        what: &'static str,
        /// The system error.
        source: io::Error,
    },
    /// The reader thread could not be started.
    #[error("conntrack: cannot start the reader thread: {0}")]
    Thread(io::Error),
}

impl ConntrackError {
    fn from_io(what: &'static str, source: io::Error) -> Self {
        match source.raw_os_error() {
            Some(libc::EPERM) | Some(libc::EACCES) => {
                ConntrackError::PermissionDenied { what, source }
            }
            Some(libc::EPROTONOSUPPORT) | Some(libc::EAFNOSUPPORT) | Some(libc::ENOENT) => {
                ConntrackError::Unsupported { what, source }
            }
            _ => ConntrackError::Io { what, source },
        }
    }
}

/// Open the netlink sockets (on the calling thread, so they belong to its network
/// namespace), then on a dedicated thread: dump the table, read events, dump again every
/// `dump_interval` and after any overflow, until `shutdown` is cancelled (noticed within
/// ~100 ms) or `events` is closed. Events are sent in the order the reader learned them;
/// when the queue is full the reader waits (the kernel socket then overflows and the
/// reader resyncs with a dump).
///
/// What is emitted: `Seen` when a flow first appears (NEW event or dump), on every UPDATE
/// event, and when a dump shows changed counters; `Closed` exactly once per key, from
/// DESTROY (with its final counters) or when a complete dump shows the flow gone (see
/// [`table`] for the rule). `counters` is set only when the message carried them.
pub fn spawn(
    config: &ConntrackConfig,
    events: Sender<ConntrackEvent>,
    status: Arc<Status>,
    shutdown: CancellationToken,
) -> Result<JoinHandle<()>, ConntrackError> {
    let event_socket = socket::CtSocket::events(config.receive_buffer_bytes, &status)?;
    let dump_socket = socket::CtSocket::dumps()?;
    let reader = reader::Reader::new(
        event_socket,
        dump_socket,
        config.max_flows,
        config.dump_interval(),
        events,
        status,
        shutdown,
    );
    std::thread::Builder::new()
        .name("conntrack".into())
        .spawn(move || reader.run())
        .map_err(ConntrackError::Thread)
}

/// Turn on (if `set`) or check `nf_conntrack_acct`, `nf_conntrack_timestamp` and
/// `nf_conntrack_events` in the CURRENT network namespace (`/proc/sys/net/netfilter`);
/// report what is off and why it matters via [`Status::warn`]. Never fails hard.
/// `nf_conntrack_events=2` (on while someone listens) is accepted as is.
pub fn prepare_sysctls(set: bool, status: &Status) {
    sysctl::prepare_in(std::path::Path::new(sysctl::SYSCTL_DIR), set, status);
}
