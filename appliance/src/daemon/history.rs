//! What the daemon brings back from the store at start: the current session's flows,
//! answers, paths, alerts and saved devices; and the writer that keeps them from then on.

use std::sync::Arc;
use std::time::Duration;

use crate::config::Config;
use crate::correlate::LiveState;
use crate::devices::KnownDevice;
use crate::model::{Alert, FlowState};
use crate::status::{Status, StatusWords};
use crate::store::{Store, StoreWriter, WriterConfig};
use tokio_util::sync::CancellationToken;

/// Changes queued for the store's writer thread. It commits every 500 ms and writes well over
/// 100,000 flows/s, so this only absorbs bursts; each queued change holds a flow's copy
/// (~400 bytes), so the bound is also a memory bound. Overflow is counted in `/api/v1/status`.
/// Sized for a burst of 10,000 new flows at once without dropping history (measured: a 1,024
/// queue dropped 5,320 of 30,000 ops in that burst). A dirty-set design would bound memory
/// without copies.
const STORE_QUEUE: usize = 16_384;

/// The store, opened and restored, or nothing when it could not be (the daemon then runs
/// without history, and says so in `/api/v1/status`).
#[derive(Default)]
pub(super) struct History {
    /// The store (reads, sessions, export, retention).
    pub(super) store: Option<Arc<Store>>,
    /// The writer's handle.
    pub(super) writer: Option<StoreWriter>,
    /// The writer's thread.
    pub(super) thread: Option<std::thread::JoinHandle<()>>,
    /// The current session's flows, answers and paths, in a state with the configured bounds.
    pub(super) live: Option<LiveState>,
    /// Devices saved by MAC (with their nicknames), most recently seen first.
    pub(super) known_devices: Vec<KnownDevice>,
}

impl History {
    /// Open the store in `data.dir` and restore the current session. A store that cannot be
    /// opened costs the history, not the service.
    pub(super) fn open(config: &Config, status: &Status) -> History {
        match open_store(config) {
            Ok(h) => h,
            Err(e) => {
                status.warn(StatusWords::new(
                    "history-off",
                    [
                        ("dir", config.data.dir.display().to_string()),
                        ("error", format!("{e:#}")),
                    ],
                ));
                History::default()
            }
        }
    }

    /// The current session's alerts (at most `max`, newest first) and the largest alert id
    /// ever stored. What cannot be read costs the old alerts, not the detectors.
    pub(super) fn alerts(&self, max: usize) -> (Vec<Alert>, u64) {
        let Some(store) = &self.store else {
            return Default::default();
        };
        let alerts = store
            .current_session()
            .and_then(|s| store.session_alerts(s.id, max));
        let alerts = alerts.unwrap_or_else(|e| {
            tracing::warn!("detect: saved alerts could not be read: {e}");
            Vec::new()
        });
        let max_id = store.max_alert_id().unwrap_or_else(|e| {
            tracing::warn!("detect: the largest saved alert id could not be read: {e}");
            // Far above anything saved: a new alert must not overwrite an old row.
            1 << 40
        });
        tracing::info!("detect: {} alerts restored", alerts.len());
        (alerts, max_id)
    }
}

/// Mirror the writer's health into `/api/v1/status` (and so the admin page): a warning while
/// its commits fail (disk full, read-only file system), gone once one succeeds again; read
/// every second. Ends at shutdown.
pub(super) fn watch_writer(history: &History, status: Arc<Status>, shutdown: CancellationToken) {
    let Some(stats) = history.writer.as_ref().map(StoreWriter::stats) else {
        return;
    };
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(1));
        loop {
            tokio::select! {
                _ = shutdown.cancelled() => break,
                _ = tick.tick() => {}
            }
            let warning = stats
                .failing()
                .map(|e| StatusWords::new("history-failing", [("error", e)]));
            status.set_condition("history", warning);
        }
    });
}

/// An empty live state with the configured bounds.
pub(super) fn empty_live_state(config: &Config) -> LiveState {
    LiveState::new(&config.correlate, config.conntrack.max_flows)
}

/// Open the store, restore the current session's flows, answers and paths into a live state
/// with the configured bounds, and start the writer.
fn open_store(config: &Config) -> anyhow::Result<History> {
    let store = Store::open(&config.data.dir)?;
    let session = store.current_session()?;
    let mut state = empty_live_state(config);
    let flows = store.recent_flows(session.id, config.correlate.max_closed_flows)?;
    let answers = store.recent_dns(session.id, config.correlate.max_answers_per_device)?;
    let (n_flows, n_answers) = (flows.len(), answers.len());
    for a in answers {
        state.device_totals.dns_answer(a.device_ip, a.at, a.repeats);
        state.dns.push(Arc::new(a));
    }
    for f in &flows {
        match f.state {
            FlowState::Open => state.device_totals.flow_opened(f),
            FlowState::Closed => state.device_totals.flow_closed(f, false),
        }
    }
    state.flows.restore(flows);
    // Losing saved nicknames costs names, not the history: say so and go on.
    let known_devices = store
        .known_devices(config.devices.max_devices)
        .unwrap_or_else(|e| {
            tracing::warn!("devices: saved nicknames could not be read: {e}");
            Vec::new()
        });
    for row in store.session_paths(session.id)? {
        state.paths.add_row(row);
    }
    let (writer, thread) = store.spawn_writer_with(WriterConfig {
        capacity: STORE_QUEUE,
        max_ops: 8_000,
        max_delay: Duration::from_millis(500),
    })?;
    tracing::info!(
        "history: session {:?}, {n_flows} flows and {n_answers} answers restored",
        session.name,
    );
    Ok(History {
        store: Some(Arc::new(store)),
        writer: Some(writer),
        thread: Some(thread),
        live: Some(state),
        known_devices,
    })
}
