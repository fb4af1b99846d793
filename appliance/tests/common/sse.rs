//! A reader of the event stream (server-sent events) over a plain socket, as a phone's
//! `EventSource` would hold it: for the live-view tests and the classroom benchmark.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use anyhow::{bail, Context};

/// One event: its name and its data (the `data:` lines joined).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SseEvent {
    pub name: String,
    pub data: String,
}

/// An open event stream.
pub struct SseStream {
    stream: TcpStream,
    buf: Vec<u8>,
    /// Bytes received so far (headers included).
    pub received: usize,
}

/// What opening a stream gave: the stream, or the refusal's status and body.
pub enum Opened {
    Stream(SseStream),
    Refused(u16, String),
}

impl SseStream {
    /// `GET path` on `addr` (connect from the current network namespace) and read the
    /// answer's head.
    pub fn open(addr: &str, path: &str) -> anyhow::Result<Opened> {
        SseStream::start(addr, path)?.head()
    }

    /// Connect and send the request; [`SseStream::head`] reads the answer (so many streams
    /// can be asked for at once).
    pub fn start(addr: &str, path: &str) -> anyhow::Result<SseStream> {
        let mut s = TcpStream::connect(addr)?;
        s.set_read_timeout(Some(Duration::from_millis(100)))?;
        write!(
            s,
            "GET {path} HTTP/1.0\r\nHost: whereflow\r\nAccept: text/event-stream\r\n\r\n"
        )?;
        Ok(SseStream {
            stream: s,
            buf: Vec::new(),
            received: 0,
        })
    }

    /// The answer's head: the stream, or the refusal.
    pub fn head(self) -> anyhow::Result<Opened> {
        let mut sse = self;
        let deadline = Instant::now() + Duration::from_secs(30);
        let head_end = loop {
            if let Some(at) = find(&sse.buf, b"\r\n\r\n") {
                break at;
            }
            if Instant::now() > deadline {
                bail!("no response head in 30 s");
            }
            if sse.fill()? == 0 && Instant::now() > deadline {
                bail!("closed before the head");
            }
        };
        let head = String::from_utf8_lossy(&sse.buf[..head_end]).into_owned();
        let code: u16 = head
            .split_whitespace()
            .nth(1)
            .and_then(|c| c.parse().ok())
            .context("no HTTP status")?;
        sse.buf.drain(..head_end + 4);
        if code != 200 {
            // The refusal's body: read what comes within a moment.
            let until = Instant::now() + Duration::from_secs(2);
            while Instant::now() < until {
                match sse.fill() {
                    Ok(0) if sse.closed() => break,
                    Ok(_) => {}
                    Err(_) => break,
                }
            }
            return Ok(Opened::Refused(
                code,
                String::from_utf8_lossy(&sse.buf).into_owned(),
            ));
        }
        Ok(Opened::Stream(sse))
    }

    fn closed(&self) -> bool {
        let mut probe = [0u8; 1];
        matches!(self.stream.peek(&mut probe), Ok(0))
    }

    /// Read what is there (waits at most the 100 ms read timeout): bytes read.
    fn fill(&mut self) -> anyhow::Result<usize> {
        let mut chunk = [0u8; 65536];
        match self.stream.read(&mut chunk) {
            Ok(n) => {
                self.buf.extend_from_slice(&chunk[..n]);
                self.received += n;
                Ok(n)
            }
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                ) =>
            {
                Ok(0)
            }
            Err(e) => Err(e.into()),
        }
    }

    /// The next event, waiting at most `limit` (`None`: none came).
    pub fn next(&mut self, limit: Duration) -> anyhow::Result<Option<SseEvent>> {
        let deadline = Instant::now() + limit;
        loop {
            // HTTP/1.0: the body is the stream itself, no chunk framing.
            if let Some(at) = find(&self.buf, b"\n\n") {
                let block = String::from_utf8_lossy(&self.buf[..at]).into_owned();
                self.buf.drain(..at + 2);
                let mut name = String::from("message");
                let mut data = Vec::new();
                for line in block.lines() {
                    let line = line.trim_end_matches('\r');
                    if let Some(v) = line.strip_prefix("event:") {
                        name = v.trim().to_string();
                    } else if let Some(v) = line.strip_prefix("data:") {
                        data.push(v.strip_prefix(' ').unwrap_or(v).to_string());
                    }
                }
                if data.is_empty() {
                    continue; // a keep-alive comment
                }
                return Ok(Some(SseEvent {
                    name,
                    data: data.join("\n"),
                }));
            }
            if Instant::now() > deadline {
                return Ok(None);
            }
            self.fill()?;
        }
    }
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}
