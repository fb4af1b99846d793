//! One collector's connection: a connected UDP socket, or a TCP stream that is reconnected
//! with backoff. Each knows when it needs the templates: over UDP every
//! `export.template_refresh_secs`, over TCP at the start of each connection. UDP messages
//! wait in a small batch and go out [`BATCH`] to a system call (`sendmmsg`).

use std::io;
use std::net::{SocketAddr, UdpSocket};
use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::io::AsyncWriteExt;
use tokio::net::TcpStream;

use crate::config::{CollectorUrl, Transport};
use crate::status::Status;
use crate::sys::mmsg;

/// UDP messages per `sendmmsg`. The exporter sends what is batched at the end of each of
/// its polls (every 10 ms) too, so a message waits at most that long.
const BATCH: usize = 16;

/// A connection attempt or a write taking longer than this counts as a failure: the
/// exporter's queue fills (and drops) while it waits, the pipeline never does.
const IO_LIMIT: Duration = Duration::from_secs(2);
/// First wait before reconnecting; doubled per failure up to [`MAX_BACKOFF`].
const MIN_BACKOFF: Duration = Duration::from_secs(1);
const MAX_BACKOFF: Duration = Duration::from_secs(60);
/// A warning about an unreachable UDP collector is cleared after this long without errors.
const QUIET: Duration = Duration::from_secs(30);

enum Link {
    Down,
    Udp(UdpSocket),
    Tcp(TcpStream),
}

/// One collector and its connection state.
pub(super) struct Collector {
    url: CollectorUrl,
    /// The warning's key in `/api/v1/status` (one per collector).
    about: &'static str,
    link: Link,
    /// Data records sent on this transport session: the next message's sequence number.
    pub(super) sequence: u32,
    templates_due: bool,
    templates_sent: Option<Instant>,
    refresh: Duration,
    next_try: Instant,
    backoff: Duration,
    last_error: Option<Instant>,
    status: Arc<Status>,
    /// UDP messages waiting for [`Collector::send_batch`], back to back.
    batch: Vec<u8>,
    /// Each waiting message's end in `batch`, its data records, and whether it has the
    /// templates.
    batched: Vec<(usize, u32, bool)>,
}

impl Collector {
    pub(super) fn new(url: CollectorUrl, refresh: Duration, status: Arc<Status>) -> Collector {
        // A leaked string per collector (at most `export::MAX_COLLECTORS`, once per start):
        // `Status` keys its conditions by `&'static str`.
        let about: &'static str = Box::leak(format!("export.ipfix {url}").into_boxed_str());
        Collector {
            url,
            about,
            link: Link::Down,
            sequence: 0,
            templates_due: true,
            templates_sent: None,
            refresh,
            next_try: Instant::now(),
            backoff: MIN_BACKOFF,
            last_error: None,
            status,
            batch: Vec::new(),
            batched: Vec::with_capacity(BATCH),
        }
    }

    /// Connect if down and the backoff has passed. Returns whether it is usable.
    pub(super) async fn ensure(&mut self) -> bool {
        if !matches!(self.link, Link::Down) {
            return true;
        }
        if Instant::now() < self.next_try {
            return false;
        }
        match tokio::time::timeout(IO_LIMIT, self.connect()).await {
            Ok(Ok(link)) => {
                self.link = link;
                self.sequence = 0;
                self.templates_due = true;
                self.backoff = MIN_BACKOFF;
                self.last_error = None;
                self.status.set_condition(self.about, None);
                tracing::info!("export: connected to {}", self.url);
                true
            }
            Ok(Err(e)) => {
                self.failed(&e.to_string());
                false
            }
            Err(_) => {
                self.failed("no answer within 2 s");
                false
            }
        }
    }

    async fn connect(&self) -> io::Result<Link> {
        let addr = tokio::net::lookup_host((self.url.host.as_str(), self.url.port))
            .await?
            .next()
            .ok_or_else(|| io::Error::other("the name has no address"))?;
        Ok(match self.url.transport {
            Transport::Udp => {
                let any: SocketAddr = if addr.is_ipv4() {
                    "0.0.0.0:0".parse().map_err(io::Error::other)?
                } else {
                    "[::]:0".parse().map_err(io::Error::other)?
                };
                // A plain non-blocking socket: a send is one system call that either takes
                // the datagram or says the buffer is full (tokio's `try_send` also refuses
                // before the reactor has first seen the socket writable).
                let s = UdpSocket::bind(any)?;
                s.connect(addr)?;
                s.set_nonblocking(true)?;
                Link::Udp(s)
            }
            Transport::Tcp => {
                let s = TcpStream::connect(addr).await?;
                s.set_nodelay(true)?;
                Link::Tcp(s)
            }
        })
    }

    /// Whether the next message must start with the template set.
    pub(super) fn needs_templates(&self) -> bool {
        self.templates_due
            || (self.url.transport == Transport::Udp
                && self
                    .templates_sent
                    .is_none_or(|t| t.elapsed() >= self.refresh))
    }

    /// Send one whole message holding `records` data records (and the templates when
    /// `with_templates`). A failure drops the connection (TCP) and counts the records.
    /// Over UDP the message joins the batch: it goes out when [`BATCH`] are waiting or at
    /// [`Collector::send_batch`], and counts as sent (sequence number, templates) from now.
    pub(super) async fn send(&mut self, msg: &[u8], records: u32, with_templates: bool) {
        let result = match &mut self.link {
            Link::Down => {
                self.dropped(records);
                return;
            }
            Link::Udp(_) => {
                self.batch.extend_from_slice(msg);
                self.batched
                    .push((self.batch.len(), records, with_templates));
                self.sent(records, with_templates);
                if self.batched.len() >= BATCH {
                    self.send_batch();
                }
                return;
            }
            Link::Tcp(s) => match tokio::time::timeout(IO_LIMIT, s.write_all(msg)).await {
                Ok(r) => r,
                Err(_) => Err(io::Error::new(
                    io::ErrorKind::TimedOut,
                    "write took over 2 s",
                )),
            },
        };
        match result {
            Ok(()) => {
                self.sent(records, with_templates);
                crate::status::add(&self.status.export_sent, records);
                self.quiet();
            }
            Err(e) => {
                self.dropped(records);
                if self.url.transport == Transport::Tcp {
                    // The stream may hold half a message: a new connection starts clean.
                    self.link = Link::Down;
                }
                self.failed(&e.to_string());
            }
        }
    }

    /// Send the batched UDP messages, as many per system call as the kernel takes; never
    /// waits. A datagram refused (full buffer, unreachable port) is counted as dropped with
    /// those after it; its templates are sent again with the next message.
    pub(super) fn send_batch(&mut self) {
        let Link::Udp(sock) = &self.link else {
            return;
        };
        let mut done = 0;
        let mut failure = None;
        while done < self.batched.len() {
            let start = |i: usize| if i == 0 { 0 } else { self.batched[i - 1].0 };
            let msgs = (done..self.batched.len())
                .map(|i| (&self.batch[start(i)..self.batched[i].0], None));
            match mmsg::send_many::<BATCH>(sock, msgs) {
                Ok(0) => break,
                Ok(n) => {
                    let records = self.batched[done..done + n].iter().map(|b| b.1).sum();
                    crate::status::add(&self.status.export_sent, records);
                    done += n;
                }
                Err(e) => {
                    failure = Some(e);
                    break;
                }
            }
        }
        let lost = &self.batched[done..];
        if !lost.is_empty() {
            self.dropped(lost.iter().map(|b| b.1).sum());
            if lost.iter().any(|b| b.2) {
                self.templates_due = true;
            }
        }
        self.batch.clear();
        self.batched.clear();
        match failure {
            Some(e) => self.failed(&e.to_string()),
            None if done > 0 => self.quiet(),
            None => {}
        }
    }

    /// A message went out (or, over UDP, joined the batch).
    fn sent(&mut self, records: u32, with_templates: bool) {
        self.sequence = self.sequence.wrapping_add(records);
        if with_templates {
            self.templates_due = false;
            self.templates_sent = Some(Instant::now());
        }
    }

    /// Clear the warning once the collector has taken messages for a while without errors.
    fn quiet(&mut self) {
        if self.last_error.is_some_and(|t| t.elapsed() >= QUIET) {
            self.last_error = None;
            self.status.set_condition(self.about, None);
        }
    }

    fn dropped(&self, records: u32) {
        crate::status::add(&self.status.export_dropped, records);
    }

    fn failed(&mut self, why: &str) {
        crate::status::bump(&self.status.export_errors);
        self.last_error = Some(Instant::now());
        if matches!(self.link, Link::Down) {
            self.next_try = Instant::now() + self.backoff;
            self.backoff = (self.backoff * 2).min(MAX_BACKOFF);
        }
        self.status.set_condition(
            self.about,
            Some(crate::status::StatusWords::new(
                "export-unreachable",
                [("url", self.url.to_string()), ("error", why.to_owned())],
            )),
        );
    }
}
