//! Stage 7b — controls: what the admin can change about the traffic, each one listed and
//! undoable (`/api/v1/controls`, the admin page).
//!
//! - DNS blocking of trackers and ads (A `0.0.0.0`, AAAA `::`), for everyone or for one
//!   device: [`Controls`] holds the admin's switch and keeps it; the check the forwarder
//!   makes for every query lives with the forwarder, in `dns::block`.
//! - `blocks` + `nft`: blocking a country, an organization or an address with nftables sets
//!   in a table of our own; country and organization blocks take the addresses seen for
//!   them, now and as new flows appear (`task` watches the flow events).
//! - `conntrack_kill`: ending a live connection (its conntrack entry deleted over netlink,
//!   its packets refused for a while through the same table).
//! - `state`: DNS blocking and the blocks survive a restart in `controls.json` in the data
//!   directory. Ended connections are not kept.
//! - `config`: `[control]`.
//!
//! [`Controls`] puts them together; `web::controls` serves them. The nftables table is made
//! when first needed: at start when there are saved blocks (or a table left from an earlier
//! run, which is replaced by the saved blocks), else at the first block or ended connection.
//! So an appliance that never blocks has no extra table.

pub mod blocks;
pub mod config;
pub mod conntrack_kill;
pub mod nft;
pub mod state;
mod task;

use std::collections::VecDeque;
use std::net::IpAddr;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use chrono::{DateTime, Utc};
use parking_lot::{Mutex, RwLock};
use serde::Serialize;
use tokio::sync::broadcast;
use tokio_util::sync::CancellationToken;

pub use blocks::{Block, BlockKind};
pub use config::ControlConfig;

use crate::correlate::LiveState;
use crate::dns::DnsBlock;
use crate::enrich::Enricher;
use crate::model::{DeviceId, Domain, FlowRecord, FlowState, LiveEvent, Proto};
use crate::status::Status;
use blocks::{BlockBook, BookError};
use conntrack_kill::{KillError, Target};
use nft::{KilledTuple, Nft, NftError};

/// Ended connections listed (the most recent).
const MAX_KILLS: usize = 100;
/// Addresses listed per block (all are counted).
const MAX_LISTED_ADDRESSES: usize = 200;

/// Why a control could not be used. `web::controls` maps each to a status code.
#[derive(Debug, thiserror::Error)]
pub enum ControlError {
    /// `control.enabled = false`.
    #[error("the controls are off on this appliance (control.enabled = false)")]
    Disabled,
    /// A request value is not acceptable.
    #[error("{0}")]
    BadRequest(crate::i18n::Complaint),
    /// The admin page's DNS blocking form said neither on nor off.
    #[error("choose on or off")]
    OnOrOff,
    /// No block with this id.
    #[error("there is no block {0}")]
    NoSuchBlock(u64),
    /// No flow with this id is listed.
    #[error("there is no flow {0} (it may have been forgotten)")]
    NoSuchFlow(String),
    /// The flow has ended already.
    #[error("flow {0} has ended already")]
    FlowClosed(String),
    /// The same block exists, or the sets are full.
    #[error(transparent)]
    Book(#[from] BookError),
    /// nftables refused or is missing.
    #[error("blocking needs nftables, which failed: {0}")]
    Nft(#[from] NftError),
    /// The connection could not be ended.
    #[error(transparent)]
    Kill(#[from] KillError),
    /// A blocking task failed.
    #[error("internal error: {0}")]
    Internal(String),
}

/// Who a DNS blocking change is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DnsScope {
    /// Every device.
    All,
    /// One device.
    Device(IpAddr),
}

/// DNS blocking as the API shows it.
#[derive(Clone, Debug, Serialize)]
pub struct DnsBlockView {
    /// On for every device.
    pub all: bool,
    /// Devices it is on for one by one.
    pub devices: Vec<IpAddr>,
    /// Queries answered as blocked since start.
    pub blocked_queries: u64,
    /// TTL of a blocked answer, in seconds.
    pub ttl: u32,
}

/// A block as the API shows it.
#[derive(Clone, Debug, Serialize)]
pub struct BlockView {
    /// Its id (`DELETE /api/v1/controls/block/{id}` undoes it).
    pub id: u64,
    /// `country`, `org` or `ip`.
    pub kind: BlockKind,
    /// The country code, organization or address.
    pub value: String,
    /// When it was made.
    pub created: DateTime<Utc>,
    /// How many addresses it blocks.
    pub address_count: usize,
    /// The addresses (the first [`MAX_LISTED_ADDRESSES`]).
    pub addresses: Vec<IpAddr>,
}

impl From<&Block> for BlockView {
    fn from(b: &Block) -> Self {
        BlockView {
            id: b.id,
            kind: b.kind,
            value: b.value.clone(),
            created: b.created,
            address_count: b.addresses.len(),
            addresses: b
                .addresses
                .iter()
                .copied()
                .take(MAX_LISTED_ADDRESSES)
                .collect(),
        }
    }
}

/// An ended connection.
#[derive(Clone, Debug, Serialize)]
pub struct KillRecord {
    /// The flow's id (as in `/api/v1/flows`).
    pub flow_id: String,
    /// The device.
    pub device_ip: DeviceId,
    /// Where it went.
    pub remote_ip: IpAddr,
    /// The destination port.
    pub remote_port: u16,
    /// The device's port.
    pub local_port: u16,
    /// The protocol.
    pub proto: Proto,
    /// The flow's name, if any.
    pub domain: Option<Domain>,
    /// When it was ended.
    pub at: DateTime<Utc>,
    /// Until when its packets are refused (`null`: they are not, see `note`).
    pub refused_until: Option<DateTime<Utc>>,
    /// Why its packets are not refused, when they are not.
    pub note: Option<String>,
}

/// The nftables side as the API shows it.
#[derive(Clone, Debug, Serialize)]
pub struct NftView {
    /// `inet <table>`.
    pub table: String,
    /// The table is in place with the blocks.
    pub installed: bool,
    /// The last failure, if the last attempt failed.
    pub error: Option<String>,
}

/// Everything `GET /api/v1/controls` shows.
#[derive(Clone, Debug, Serialize)]
pub struct ControlsView {
    /// `control.enabled`.
    pub enabled: bool,
    /// DNS blocking.
    pub dns_block: DnsBlockView,
    /// The blocks, oldest first.
    pub blocks: Vec<BlockView>,
    /// Distinct addresses in the block sets.
    pub blocked_addresses: usize,
    /// `control.max_blocked_addresses`.
    pub max_blocked_addresses: usize,
    /// Addresses a country or organization block could not add (the sets were full).
    pub addresses_not_added: u64,
    /// Connections ended since start, most recent first.
    pub kills: Vec<KillRecord>,
    /// The nftables table.
    pub nft: NftView,
    /// Where DNS blocking and the blocks are saved.
    pub state_file: String,
}

/// What [`Controls::start`] needs.
pub struct ControlParts {
    /// `[control]`.
    pub config: ControlConfig,
    /// The data directory (`controls.json` lives there).
    pub data_dir: PathBuf,
    /// The lists that say what a tracker is.
    pub enricher: Arc<Enricher>,
    /// The correlator's live state (flows to block by country or organization, to end).
    pub live: Arc<RwLock<LiveState>>,
    /// Flow events, to block new destinations of blocked countries and organizations.
    pub events: broadcast::Sender<Arc<LiveEvent>>,
    /// Warnings go here.
    pub status: Arc<Status>,
    /// Stops the watcher.
    pub shutdown: CancellationToken,
}

/// The controls. One per daemon, shared by the web handlers and the forwarder.
pub struct Controls {
    enabled: bool,
    kill_secs: u32,
    max_addresses: usize,
    dns: Arc<DnsBlock>,
    nft: Nft,
    book: Mutex<BlockBook>,
    /// Any country or organization block (the watcher's first check).
    patterns: AtomicBool,
    /// Held while the book is changed and nftables follows; the flag: the table is in place
    /// and matches the book.
    nft_turn: tokio::sync::Mutex<bool>,
    nft_error: Mutex<Option<String>>,
    nft_installed: AtomicBool,
    kills: Mutex<VecDeque<KillRecord>>,
    state_file: PathBuf,
    save_turn: tokio::sync::Mutex<()>,
    live: Arc<RwLock<LiveState>>,
    status: Arc<Status>,
}

impl std::fmt::Debug for Controls {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Controls")
            .field("enabled", &self.enabled)
            .field("dns", &self.dns)
            .field("table", &self.nft.table())
            .finish()
    }
}

impl Controls {
    /// Read the saved state, put the saved blocks in place (nftables) and start watching
    /// the flow events. Problems become warnings in `status`: the daemon runs without what
    /// does not work.
    pub async fn start(p: ControlParts) -> (Arc<Controls>, Option<tokio::task::JoinHandle<()>>) {
        let cfg = &p.config;
        let state_file = p.data_dir.join(state::FILE_NAME);
        let saved = tokio::task::spawn_blocking({
            let path = state_file.clone();
            move || state::load(&path)
        })
        .await
        .unwrap_or_else(|e| {
            tracing::warn!("controls: reading the saved state failed: {e}");
            Ok(None)
        });
        let saved = match saved {
            Ok(s) => s.unwrap_or_default(),
            Err(e) => {
                p.status.warn(crate::status::StatusWords::new(
                    "controls-saved-unreadable",
                    [("error", e.to_string())],
                ));
                state::Saved::default()
            }
        };
        let mut book = BlockBook::new(cfg.max_blocked_addresses);
        book.restore(saved.blocks.clone(), saved.next_id);
        let dns = Arc::new(DnsBlock::new(p.enricher.clone()));
        let controls = Arc::new(Controls {
            enabled: cfg.enabled,
            kill_secs: cfg.kill_reject_secs,
            max_addresses: cfg.max_blocked_addresses,
            dns,
            nft: Nft::new(cfg),
            patterns: AtomicBool::new(book.has_patterns()),
            book: Mutex::new(book),
            nft_turn: tokio::sync::Mutex::new(false),
            nft_error: Mutex::new(None),
            nft_installed: AtomicBool::new(false),
            kills: Mutex::new(VecDeque::new()),
            state_file,
            save_turn: tokio::sync::Mutex::new(()),
            live: p.live.clone(),
            status: p.status.clone(),
        });
        let table = format!("inet {}", controls.nft.table());
        let exists = controls
            .nft
            .run(&format!("list table {table}\n"))
            .await
            .is_ok();
        if !controls.enabled {
            if exists {
                match controls.nft.uninstall().await {
                    Ok(()) => tracing::info!("controls are off: nftables table {table} removed"),
                    Err(e) => p.status.warn(crate::status::StatusWords::new(
                        "controls-table-left",
                        [("table", table.to_string()), ("error", e.to_string())],
                    )),
                }
            }
            return (controls, None);
        }
        controls.dns.restore(&saved.dns_block);
        let state = controls.dns.state();
        if state.all || !state.devices.is_empty() {
            tracing::info!(
                "controls: DNS blocking of trackers restored (everyone: {}, devices: {:?})",
                state.all,
                state.devices
            );
        }
        let blocks = controls.book.lock().blocks().len();
        if blocks > 0 || exists {
            let mut installed = controls.nft_turn.lock().await;
            match controls.sync_nft(&mut installed, &[], &[]).await {
                Ok(()) => tracing::info!(
                    "controls: nftables table {table} in place with {blocks} blocks, {} addresses",
                    controls.book.lock().address_count()
                ),
                Err(e) => p.status.warn(crate::status::StatusWords::new(
                    "controls-not-enforced",
                    [("count", blocks.to_string()), ("error", e.to_string())],
                )),
            }
        }
        let watcher = tokio::spawn(task::watch(
            controls.clone(),
            p.events.subscribe(),
            p.shutdown.clone(),
        ));
        (controls, Some(watcher))
    }

    /// The switch the DNS forwarder reads (`None` when the controls are off).
    pub fn dns_block(&self) -> Option<Arc<DnsBlock>> {
        self.enabled.then(|| self.dns.clone())
    }

    fn check_enabled(&self) -> Result<(), ControlError> {
        if self.enabled {
            Ok(())
        } else {
            Err(ControlError::Disabled)
        }
    }

    /// Everything, for `GET /api/v1/controls` and the admin page.
    pub fn view(&self) -> ControlsView {
        let (blocks, count, not_added) = {
            let book = self.book.lock();
            (
                book.blocks().iter().map(BlockView::from).collect(),
                book.address_count(),
                book.not_added(),
            )
        };
        ControlsView {
            enabled: self.enabled,
            dns_block: self.dns_view(),
            blocks,
            blocked_addresses: count,
            max_blocked_addresses: self.max_addresses,
            addresses_not_added: not_added,
            kills: self.kills.lock().iter().cloned().collect(),
            nft: NftView {
                table: format!("inet {}", self.nft.table()),
                installed: self.nft_installed.load(Ordering::Relaxed),
                error: self.nft_error.lock().clone(),
            },
            state_file: self.state_file.display().to_string(),
        }
    }

    fn dns_view(&self) -> DnsBlockView {
        let s = self.dns.state();
        DnsBlockView {
            all: s.all,
            devices: s.devices,
            blocked_queries: self.dns.blocked_queries(),
            ttl: crate::dns::block::BLOCKED_TTL,
        }
    }

    /// Switch DNS blocking of trackers for everyone or one device. Takes effect with the
    /// next query; saved.
    pub async fn set_dns_block(
        &self,
        scope: DnsScope,
        on: bool,
    ) -> Result<DnsBlockView, ControlError> {
        self.check_enabled()?;
        match scope {
            DnsScope::All => self.dns.set_all(on),
            DnsScope::Device(ip) => {
                let ip = ip.to_canonical();
                if ip.is_unspecified() || ip.is_multicast() {
                    return Err(ControlError::BadRequest(crate::i18n::Complaint::new(
                        "not-a-device",
                        [("value", ip.to_string())],
                    )));
                }
                self.dns.set_device(ip, on);
            }
        }
        tracing::info!(
            "admin: DNS blocking of trackers {} for {}",
            if on { "on" } else { "off" },
            match scope {
                DnsScope::All => "everyone".to_string(),
                DnsScope::Device(ip) => ip.to_string(),
            }
        );
        self.persist().await;
        Ok(self.dns_view())
    }

    /// Block a country, an organization or an address (see [`blocks`]). Refused (and not
    /// kept) when nftables does not take it.
    pub async fn add_block(&self, kind: BlockKind, value: &str) -> Result<BlockView, ControlError> {
        self.check_enabled()?;
        let value = blocks::normalise(kind, value).map_err(ControlError::BadRequest)?;
        let mut installed = self.nft_turn.lock().await;
        // The flows listed now (shared copies: the live lock is not held across anything).
        let seen: Vec<Arc<FlowRecord>> = if kind == BlockKind::Ip {
            Vec::new()
        } else {
            self.live.read().flows.shared().cloned().collect()
        };
        let (id, fresh) = self.book.lock().add(
            kind,
            value,
            Utc::now(),
            seen.iter().map(|f| task::destination(f)),
        )?;
        if let Err(e) = self.sync_nft(&mut installed, &fresh, &[]).await {
            self.book.lock().remove(id);
            return Err(e.into());
        }
        self.update_patterns();
        drop(installed);
        let view = self
            .book
            .lock()
            .blocks()
            .iter()
            .find(|b| b.id == id)
            .map(BlockView::from)
            .ok_or_else(|| ControlError::Internal("the new block vanished".into()))?;
        tracing::info!(
            "admin: block {} ({} {}) with {} addresses",
            view.id,
            view.kind.as_str(),
            view.value,
            view.address_count
        );
        self.persist().await;
        Ok(view)
    }

    /// Undo a block: its addresses leave the sets (unless another block holds them).
    /// Returns the block and, when nftables failed to follow, a warning.
    pub async fn remove_block(&self, id: u64) -> Result<(BlockView, Option<String>), ControlError> {
        self.check_enabled()?;
        let mut installed = self.nft_turn.lock().await;
        let (block, released) = self
            .book
            .lock()
            .remove(id)
            .ok_or(ControlError::NoSuchBlock(id))?;
        let warning = self
            .sync_nft(&mut installed, &[], &released)
            .await
            .err()
            .map(|e| format!("the block is removed, but nftables failed to follow: {e}"));
        self.update_patterns();
        drop(installed);
        tracing::info!(
            "admin: block {id} ({} {}) removed",
            block.kind.as_str(),
            block.value
        );
        self.persist().await;
        Ok((BlockView::from(&block), warning))
    }

    /// End a live connection (see [`conntrack_kill`]): its packets are refused for
    /// `control.kill_reject_secs`, then its conntrack entry is deleted, so the flow shows
    /// closed.
    pub async fn kill(&self, flow_id: &str) -> Result<KillRecord, ControlError> {
        self.check_enabled()?;
        let (target, domain) = {
            let live = self.live.read();
            let f = live
                .flows
                .iter()
                .find(|f| f.id == flow_id)
                .ok_or_else(|| ControlError::NoSuchFlow(flow_id.to_owned()))?;
            if f.state == FlowState::Closed {
                return Err(ControlError::FlowClosed(flow_id.to_owned()));
            }
            (
                Target {
                    id: f.key.id,
                    proto: f.proto,
                    device: f.device_ip.ip(),
                    remote: f.remote_ip,
                    remote_port: f.remote_port,
                },
                f.domain.clone(),
            )
        };
        let found = tokio::task::spawn_blocking(move || conntrack_kill::find(&target))
            .await
            .map_err(|e| ControlError::Internal(e.to_string()))??;
        // Refuse first: between the delete and a refusal the next packet would re-create it.
        let killed = KilledTuple {
            proto: found.tuple.proto,
            src: found.tuple.src,
            dst: found.tuple.dst,
            src_port: found.tuple.src_port,
            dst_port: found.tuple.dst_port,
        };
        let refused = {
            let mut installed = self.nft_turn.lock().await;
            match self.sync_nft(&mut installed, &[], &[]).await {
                Ok(()) => self.nft.kill(&killed).await,
                Err(e) => Err(e),
            }
        };
        let found2 = found.clone();
        tokio::task::spawn_blocking(move || conntrack_kill::delete(&found2))
            .await
            .map_err(|e| ControlError::Internal(e.to_string()))??;
        let now = Utc::now();
        let (refused_until, note) = match refused {
            Ok(true) => (
                Some(now + chrono::Duration::seconds(i64::from(self.kill_secs))),
                None,
            ),
            Ok(false) => (
                None,
                Some(
                    "no ports to match for this protocol: its next packet may start it again"
                        .to_string(),
                ),
            ),
            Err(e) => (
                None,
                Some(format!(
                    "its packets are not refused (nftables failed: {e}); its next packet may \
                     start it again"
                )),
            ),
        };
        let record = KillRecord {
            flow_id: flow_id.to_owned(),
            device_ip: DeviceId(found.tuple.src),
            remote_ip: found.tuple.dst,
            remote_port: found.tuple.dst_port,
            local_port: found.tuple.src_port,
            proto: found.tuple.proto,
            domain,
            at: now,
            refused_until,
            note,
        };
        tracing::info!(
            "admin: connection {flow_id} ({} {}:{} -> {}:{}) ended",
            record.proto_name(),
            record.device_ip.ip(),
            record.local_port,
            record.remote_ip,
            record.remote_port
        );
        let mut kills = self.kills.lock();
        kills.push_front(record.clone());
        kills.truncate(MAX_KILLS);
        Ok(record)
    }

    fn update_patterns(&self) {
        let p = self.book.lock().has_patterns();
        self.patterns.store(p, Ordering::Relaxed);
    }

    /// Bring nftables in line with the book after a change that added `add` and released
    /// `remove` (the book is already changed). Call with the turn held. A table not in
    /// place is installed whole; a failed delta marks it for a whole install next time.
    async fn sync_nft(
        &self,
        installed: &mut bool,
        add: &[IpAddr],
        remove: &[IpAddr],
    ) -> Result<(), NftError> {
        let result = if !*installed {
            let all = self.book.lock().addresses();
            self.nft.install(&all).await
        } else {
            let mut r = self.nft.add(add).await;
            if r.is_ok() && self.nft.remove(remove).await.is_err() {
                // An address missing from the set (changed by hand?): put it all back in line.
                let all = self.book.lock().addresses();
                r = self.nft.install(&all).await;
            }
            r
        };
        *installed = result.is_ok();
        self.nft_installed.store(*installed, Ordering::Relaxed);
        *self.nft_error.lock() = result.as_ref().err().map(|e| e.to_string());
        if let Err(e) = &result {
            tracing::warn!("controls: nftables: {e}");
        }
        result
    }

    /// Save DNS blocking and the blocks (on the blocking pool, one save at a time, the
    /// newest state). A failure is logged and shown as a warning.
    async fn persist(&self) {
        let _one = self.save_turn.lock().await;
        let snapshot = {
            let book = self.book.lock();
            state::Saved {
                version: 1,
                dns_block: self.dns.state(),
                blocks: book.blocks().to_vec(),
                next_id: book.next_id(),
            }
        };
        let path = self.state_file.clone();
        let r = tokio::task::spawn_blocking(move || state::save(&path, &snapshot)).await;
        match r {
            Ok(Ok(())) => {}
            Ok(Err(e)) => {
                tracing::warn!("controls: not saved: {e}");
                self.status.warn(crate::status::StatusWords::new(
                    "controls-unsaved",
                    [("error", e.to_string())],
                ));
            }
            Err(e) => tracing::warn!("controls: saving failed: {e}"),
        }
    }
}

impl KillRecord {
    fn proto_name(&self) -> String {
        match self.proto {
            Proto::Tcp => "tcp".into(),
            Proto::Udp => "udp".into(),
            Proto::Icmp => "icmp".into(),
            Proto::Other(n) => n.to_string(),
        }
    }
}
