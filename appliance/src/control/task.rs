//! The watcher: every new (or renamed) flow's destination is offered to the country and
//! organization blocks; what they take goes into the block sets, a batch of flows per
//! `nft` run. After falling behind on the event stream it looks at every listed flow
//! instead. Changes are saved at most every [`SAVE_EVERY`].

use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::broadcast::{self, error::RecvError, error::TryRecvError};
use tokio_util::sync::CancellationToken;

use super::blocks::Destination;
use super::Controls;
use crate::model::{FlowRecord, LiveEvent};

/// Longest a change taken from the flows waits to be saved.
const SAVE_EVERY: Duration = Duration::from_secs(2);
/// Events handled per `nft` run at most.
const BATCH: usize = 512;

/// What the blocks look at in a flow.
pub(super) fn destination(f: &FlowRecord) -> Destination<'_> {
    Destination {
        ip: f.remote_ip,
        country: f.enrichment.country.as_deref(),
        org: f.enrichment.org.as_deref(),
        as_org: f.enrichment.as_org.as_deref(),
    }
}

/// Run until `shutdown` (or the event stream closes).
pub(super) async fn watch(
    controls: Arc<Controls>,
    mut rx: broadcast::Receiver<Arc<LiveEvent>>,
    shutdown: CancellationToken,
) {
    let mut tick = tokio::time::interval(SAVE_EVERY);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut dirty = false;
    let mut batch: Vec<Arc<FlowRecord>> = Vec::new();
    loop {
        let mut rescan = false;
        tokio::select! {
            _ = shutdown.cancelled() => break,
            _ = tick.tick() => {
                if dirty {
                    controls.persist().await;
                    dirty = false;
                }
                continue;
            }
            r = rx.recv() => match r {
                Ok(ev) => keep(&controls, &ev, &mut batch),
                Err(RecvError::Lagged(_)) => rescan = true,
                Err(RecvError::Closed) => break,
            },
        }
        // Take what else is queued, up to a batch.
        while batch.len() < BATCH && !rescan {
            match rx.try_recv() {
                Ok(ev) => keep(&controls, &ev, &mut batch),
                Err(TryRecvError::Lagged(_)) => rescan = true,
                Err(_) => break,
            }
        }
        if !controls.patterns.load(Ordering::Relaxed) {
            batch.clear();
            continue;
        }
        if rescan {
            batch.clear();
            let live = controls.live.read();
            batch.extend(live.flows.shared().cloned());
        }
        if batch.is_empty() {
            continue;
        }
        if take(&controls, &batch).await {
            dirty = true;
        }
        batch.clear();
    }
    if dirty {
        controls.persist().await;
    }
}

/// Keep a flow event whose destination a block would take.
fn keep(controls: &Controls, ev: &LiveEvent, batch: &mut Vec<Arc<FlowRecord>>) {
    if !controls.patterns.load(Ordering::Relaxed) {
        return;
    }
    let flow = match ev {
        LiveEvent::FlowNew { flow } | LiveEvent::FlowUpdate { flow } => flow,
        _ => return,
    };
    if controls.book.lock().wants(&destination(flow)) {
        batch.push(flow.clone());
    }
}

/// Offer the flows' destinations to the blocks and add what they take to the sets.
/// Returns whether the blocks changed.
async fn take(controls: &Controls, flows: &[Arc<FlowRecord>]) -> bool {
    let mut installed = controls.nft_turn.lock().await;
    let (fresh, changed) = {
        let mut book = controls.book.lock();
        let held =
            |b: &super::BlockBook| -> usize { b.blocks().iter().map(|x| x.addresses.len()).sum() };
        let before = held(&book);
        let mut fresh = Vec::new();
        for f in flows {
            fresh.extend(book.see(&destination(f)));
        }
        let after = held(&book);
        (fresh, after != before)
    };
    if fresh.is_empty() {
        // Nothing new for nftables (held by another block already, or no room), but a
        // block may have taken an address another one held.
        return changed;
    }
    match controls.sync_nft(&mut installed, &fresh, &[]).await {
        Ok(()) => tracing::info!(
            "controls: {} new addresses blocked (country or organization blocks)",
            fresh.len()
        ),
        // Kept in the book: the next change or restart installs the table whole.
        Err(e) => tracing::warn!("controls: new addresses not blocked yet: {e}"),
    }
    true
}
