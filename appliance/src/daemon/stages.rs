//! How the daemon waits for a stage to finish after the shutdown signal.
//!
//! Every stage watches the daemon's one `CancellationToken`; [`finished`] then waits a
//! bounded time for it to end and says which one did not. The daemon calls it for each
//! stage in an explicit order (producers before the store's writer), so a clean stop does
//! not depend on which handles happen to be dropped when.

use std::time::Duration;

/// What a running stage is, to wait for.
pub(super) enum Running {
    /// A task on the tokio runtime.
    Task(tokio::task::JoinHandle<()>),
    /// An OS thread (blocking work: netlink readers, the SQLite writer).
    Thread(std::thread::JoinHandle<()>),
}

/// Wait at most `limit` for the stage `name` to finish, and report how it went. A stage that
/// does not stop in time is left behind (and logged): the process is ending anyway.
pub(super) async fn finished(name: &str, running: Running, limit: Duration) {
    let stopped = match running {
        Running::Task(h) => tokio::time::timeout(limit, h).await.is_ok(),
        Running::Thread(h) => {
            let join = tokio::task::spawn_blocking(move || h.join());
            tokio::time::timeout(limit, join).await.is_ok()
        }
    };
    if stopped {
        tracing::debug!("stopped: {name}");
    } else {
        tracing::warn!("{name} did not stop within {limit:?}");
    }
}

/// [`finished`] for a stage that may not have started.
pub(super) async fn finished_if(name: &str, running: Option<Running>, limit: Duration) {
    if let Some(r) = running {
        finished(name, r, limit).await;
    }
}
