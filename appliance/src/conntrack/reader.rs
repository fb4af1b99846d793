//! The reader thread: one `poll` loop over the event socket and the dump socket, feeding
//! the [`Table`] and sending what it concludes to the daemon.
//!
//! Dumps run interleaved with events (the dump socket is read in small batches between
//! event batches), so a long dump does not make the event socket overflow. A dump starts
//! at once, then every `dump_interval`, and right after any overflow (ENOBUFS) of the
//! event socket. When a dump's `NLMSG_DONE` arrives the event socket is drained before the
//! table is reconciled (see `table` for why).

use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::Utc;
use tokio::sync::mpsc::error::TrySendError;
use tokio::sync::mpsc::Sender;
use tokio_util::sync::CancellationToken;

use super::flow::ConntrackEvent;
use super::socket::{CtSocket, Recv};
use super::table::{Applied, Table};
use super::wire::{self, Message};
use crate::status::{bump, Status, StatusWords};
use crate::sys::poll::poll_readable;

/// Longest wait in `poll`, which bounds how late a shutdown is noticed.
const POLL_MAX: Duration = Duration::from_millis(100);
/// Event datagrams read per loop turn before the dump socket gets its turn.
const EVENT_BATCH: usize = 512;
/// Dump datagrams (up to 32 KiB each) read per loop turn.
const DUMP_BATCH: usize = 4;
/// A dump that has not finished after this long is abandoned and retried.
const DUMP_TIMEOUT: Duration = Duration::from_secs(30);
/// Receive buffer: larger than the biggest datagram the kernel sends (32 KiB dump batches).
const BUF_LEN: usize = 64 * 1024;

/// The receiver is gone or shutdown was requested.
struct Stop;

/// The reader's state, moved onto its thread.
pub(super) struct Reader {
    events: CtSocket,
    dumps: CtSocket,
    table: Table,
    tx: Sender<ConntrackEvent>,
    status: Arc<Status>,
    shutdown: CancellationToken,
    interval: Duration,
    max_flows: usize,
    buf: Vec<u8>,
    out: Vec<ConntrackEvent>,
    seq: u32,
    /// Sequence number and start of the dump in progress.
    dump: Option<(u32, Instant, bool)>,
    next_dump: Instant,
    /// An overflow happened since the last dump started: dump again as soon as possible.
    resync: bool,
    warned_unusable: bool,
    warned_refused: bool,
}

impl Reader {
    pub(super) fn new(
        events: CtSocket,
        dumps: CtSocket,
        max_flows: usize,
        interval: Duration,
        tx: Sender<ConntrackEvent>,
        status: Arc<Status>,
        shutdown: CancellationToken,
    ) -> Self {
        Reader {
            events,
            dumps,
            table: Table::new(max_flows),
            tx,
            status,
            shutdown,
            interval,
            max_flows,
            buf: vec![0; BUF_LEN],
            out: Vec::new(),
            seq: 0,
            dump: None,
            next_dump: Instant::now(),
            resync: false,
            warned_unusable: false,
            warned_refused: false,
        }
    }

    /// Run until shutdown or until the event receiver is dropped.
    pub(super) fn run(mut self) {
        tracing::info!(
            "conntrack reader started (dump every {:?}, event buffer {} bytes)",
            self.interval,
            self.events.rcvbuf()
        );
        let _ = self.run_inner();
        tracing::info!("conntrack reader stopped");
    }

    fn run_inner(&mut self) -> Result<(), Stop> {
        loop {
            if self.shutdown.is_cancelled() {
                return Err(Stop);
            }
            let now = Instant::now();
            match self.dump {
                None if self.resync || now >= self.next_dump => self.start_dump(),
                Some((_, started, _)) if now.duration_since(started) > DUMP_TIMEOUT => {
                    self.status
                        .warn(StatusWords::new("conntrack-dump-slow", []));
                    self.abort_dump(true);
                }
                _ => {}
            }
            let wait = if self.dump.is_some() {
                POLL_MAX
            } else {
                POLL_MAX.min(self.next_dump.saturating_duration_since(now))
            };
            let ready = match poll_readable(&[self.events.fd(), self.dumps.fd()], wait) {
                Ok(r) => r,
                Err(e) => {
                    tracing::warn!("conntrack: poll failed: {e}");
                    std::thread::sleep(POLL_MAX);
                    continue;
                }
            };
            if ready[0] {
                self.read_events(EVENT_BATCH)?;
            }
            if ready[1] {
                self.read_dump()?;
            }
            self.flush()?;
        }
    }

    fn start_dump(&mut self) {
        self.seq = self.seq.wrapping_add(1).max(1);
        self.resync = false;
        self.table.begin_dump();
        match self.dumps.send(&wire::dump_request(self.seq)) {
            Ok(()) => self.dump = Some((self.seq, Instant::now(), false)),
            Err(e) => {
                self.status.warn(StatusWords::new(
                    "conntrack-dump-request",
                    [("error", e.to_string())],
                ));
                self.table.abort_dump();
                self.next_dump = Instant::now() + self.interval;
            }
        }
    }

    fn abort_dump(&mut self, retry_now: bool) {
        self.table.abort_dump();
        self.dump = None;
        self.resync |= retry_now;
        self.next_dump = Instant::now() + self.interval;
    }

    /// Read up to `limit` event datagrams (stops early when none are queued). Returns
    /// whether the socket was emptied.
    fn read_events(&mut self, limit: usize) -> Result<bool, Stop> {
        for _ in 0..limit {
            match self.events.recv(&mut self.buf) {
                Ok(Recv::Data(n)) => {
                    let now = Utc::now();
                    for env in wire::parse_datagram(&self.buf[..n]) {
                        match env.message {
                            Message::Flow { change, flow } => {
                                bump(&self.status.conntrack_messages);
                                let a = self.table.apply_event(change, &flow, now, &mut self.out);
                                self.note(a);
                            }
                            Message::Unusable(why) => {
                                bump(&self.status.conntrack_messages);
                                self.unusable(&why);
                            }
                            _ => {}
                        }
                    }
                }
                Ok(Recv::Empty) => return Ok(true),
                Ok(Recv::Overflow) => {
                    bump(&self.status.conntrack_overflows);
                    tracing::debug!("conntrack: event socket overflowed; re-dumping");
                    self.resync = true;
                }
                Err(e) => {
                    tracing::warn!("conntrack: reading events failed: {e}");
                    return Ok(true);
                }
            }
            if self.out.len() >= 1024 {
                self.flush()?;
            }
        }
        Ok(false)
    }

    fn read_dump(&mut self) -> Result<(), Stop> {
        for _ in 0..DUMP_BATCH {
            let n = match self.dumps.recv(&mut self.buf) {
                Ok(Recv::Data(n)) => n,
                Ok(Recv::Empty) => return Ok(()),
                Ok(Recv::Overflow) => {
                    tracing::warn!("conntrack: dump socket overflowed; dumping again");
                    self.abort_dump(true);
                    return Ok(());
                }
                Err(e) => {
                    tracing::warn!("conntrack: reading a dump failed: {e}");
                    self.abort_dump(false);
                    return Ok(());
                }
            };
            let Some((seq, _, _)) = self.dump else {
                continue; // the rest of an abandoned dump
            };
            let now = Utc::now();
            let mut done = false;
            for env in wire::parse_datagram(&self.buf[..n]) {
                if env.seq != seq {
                    continue;
                }
                if env.dump_interrupted {
                    if let Some(d) = self.dump.as_mut() {
                        d.2 = true;
                    }
                }
                match env.message {
                    Message::Flow { flow, .. } => {
                        bump(&self.status.conntrack_messages);
                        let a = self.table.apply_dump_entry(&flow, now, &mut self.out);
                        self.note(a);
                    }
                    Message::Unusable(why) => {
                        bump(&self.status.conntrack_messages);
                        self.unusable(&why);
                    }
                    Message::Done => done = true,
                    Message::Error(0) => {}
                    Message::Error(code) => {
                        let e = std::io::Error::from_raw_os_error(-code);
                        let id = if -code == libc::EPERM {
                            "conntrack-dump-denied"
                        } else {
                            "conntrack-dump-failed"
                        };
                        self.status
                            .warn(StatusWords::new(id, [("error", e.to_string())]));
                        self.abort_dump(false);
                        return Ok(());
                    }
                    Message::Ignored => {}
                }
            }
            if done {
                return self.complete_dump();
            }
            if self.out.len() >= 1024 {
                self.flush()?;
            }
        }
        Ok(())
    }

    fn complete_dump(&mut self) -> Result<(), Stop> {
        let Some((_, started, interrupted)) = self.dump.take() else {
            return Ok(());
        };
        if interrupted {
            tracing::debug!("conntrack: dump interrupted by the kernel; dumping again");
            self.table.abort_dump();
            self.resync = true;
            return Ok(());
        }
        // Every DESTROY sent before the dump ended is in the event socket: apply them first.
        while !self.read_events(EVENT_BATCH)? {
            if self.shutdown.is_cancelled() {
                return Err(Stop);
            }
        }
        let absent = self.table.finish_dump(&mut self.out);
        bump(&self.status.conntrack_dumps);
        self.next_dump = (started + self.interval).max(Instant::now());
        tracing::debug!(
            "conntrack: dump done in {:?}, {absent} flows closed as absent from it, {} flows \
             held, {} tombstones",
            started.elapsed(),
            self.table.len(),
            self.table.tombstones()
        );
        Ok(())
    }

    fn note(&mut self, a: Applied) {
        if a == Applied::Refused {
            bump(&self.status.conntrack_flows_refused);
            if !self.warned_refused {
                self.warned_refused = true;
                self.status.warn(StatusWords::new(
                    "conntrack-full",
                    [("max", self.max_flows.to_string())],
                ));
            }
        }
    }

    fn unusable(&mut self, why: &str) {
        tracing::debug!("conntrack: skipped a message: {why}");
        if !self.warned_unusable {
            self.warned_unusable = true;
            self.status.warn(StatusWords::new(
                "conntrack-skipped",
                [("error", why.to_owned())],
            ));
        }
    }

    /// Hand the collected events to the daemon, waiting while its queue is full.
    fn flush(&mut self) -> Result<(), Stop> {
        for ev in self.out.drain(..) {
            match self.tx.try_send(ev) {
                Ok(()) => {}
                Err(TrySendError::Closed(_)) => return Err(Stop),
                Err(TrySendError::Full(ev)) => {
                    let tx = &self.tx;
                    let shutdown = &self.shutdown;
                    futures::executor::block_on(async {
                        tokio::select! {
                            biased;
                            _ = shutdown.cancelled() => Err(Stop),
                            r = tx.send(ev) => r.map_err(|_| Stop),
                        }
                    })?;
                }
            }
        }
        Ok(())
    }
}
