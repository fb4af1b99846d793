//! Many UDP datagrams per system call (`recvmmsg`, `sendmmsg`).
//!
//! Under load most of a forwarder's time is spent in the kernel, and a good part of that is
//! the cost of entering it once per datagram. With hundreds of queries outstanding the
//! socket usually holds several datagrams when it becomes readable, so one `recvmmsg` reads
//! them all and one `sendmmsg` sends their answers. When there is only one, this costs
//! what `recv_from` and `send_to` did.

use std::io;
use std::net::SocketAddr;
use std::os::fd::AsFd;

use tokio::io::Interest;
use tokio::net::UdpSocket;

use super::ratelimit::LogLimiter;
use crate::sys::mmsg::{self, Received};
use crate::sys::socket;

/// Ask for a receive buffer of `size` bytes on `sock`. Beyond the system's `rmem_max` that
/// takes `SO_RCVBUFFORCE` (CAP_NET_ADMIN, which the daemon has for conntrack); without it
/// the buffer stays at `rmem_max`. Best effort: a small buffer only costs drops in bursts.
pub fn grow_recv_buffer(sock: &impl AsFd, size: usize) {
    let _ = socket::set_recv_buffer(sock, size);
}

/// Most datagrams read or sent per system call.
pub const BATCH: usize = 32;

/// Receive buffers for up to [`BATCH`] datagrams of up to `slot - 1` bytes each. A longer
/// datagram is cut to `slot` bytes, so it is still seen to be too long.
pub struct RecvBatch {
    slot: usize,
    bufs: Vec<u8>,
    got: [Received; BATCH],
    count: usize,
}

impl RecvBatch {
    /// Buffers for datagrams of up to `slot` bytes.
    pub fn new(slot: usize) -> RecvBatch {
        RecvBatch {
            slot,
            bufs: vec![0u8; slot * BATCH],
            got: [Received::default(); BATCH],
            count: 0,
        }
    }

    /// Wait until `sock` has datagrams and read as many as fit; returns how many.
    pub async fn recv(&mut self, sock: &UdpSocket) -> io::Result<usize> {
        loop {
            sock.readable().await?;
            match sock.try_io(Interest::READABLE, || self.recv_now(sock)) {
                Ok(n) => return Ok(n),
                // Readiness was stale: clear it (try_io did) and wait again.
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => continue,
                Err(e) => return Err(e),
            }
        }
    }

    fn recv_now(&mut self, sock: &UdpSocket) -> io::Result<usize> {
        self.count = 0;
        let n = mmsg::recv_many(sock, &mut self.bufs, self.slot, &mut self.got)?;
        self.count = n;
        Ok(n)
    }

    /// Datagram `i` of the last [`RecvBatch::recv`] and its sender (`None` past the end, or
    /// when the sender is not an IP address).
    pub fn get(&self, i: usize) -> Option<(&[u8], SocketAddr)> {
        if i >= self.count {
            return None;
        }
        let got = self.got.get(i)?;
        let start = i * self.slot;
        let buf = self.bufs.get(start..start + got.len)?;
        Some((buf, got.from?))
    }
}

/// Answers to clients of one listening socket: bytes and destination.
pub type Replies = Vec<(Vec<u8>, SocketAddr)>;

/// Send failures are logged, a few a minute.
static SEND_ERR: LogLimiter = LogLimiter::new();

/// Send `replies` (and empty it): all at once if the socket takes them, else one by one.
pub async fn send_all(sock: &UdpSocket, replies: &mut Replies) {
    if replies.is_empty() {
        return;
    }
    let done = send_now(sock, replies, |i, error| {
        if let Some(suppressed) = SEND_ERR.check() {
            let client = replies.get(i).map(|r| r.1);
            tracing::debug!(%error, ?client, suppressed, "UDP send failed");
        }
    });
    for (bytes, to) in replies.drain(..).skip(done) {
        send(sock, &bytes, to).await;
    }
}

async fn send(sock: &UdpSocket, bytes: &[u8], to: SocketAddr) {
    if let Err(error) = sock.send_to(bytes, to).await {
        if let Some(suppressed) = SEND_ERR.check() {
            tracing::debug!(%error, client = %to, suppressed, "UDP send failed");
        }
    }
}

/// Send as many of `msgs` as the socket takes now, in order, without waiting; returns how
/// many were dealt with (the rest, if any, did not fit and are for the caller to send
/// another way). A datagram the kernel refuses (e.g. unreachable address) goes to
/// `refused` with its index and counts as dealt with.
pub fn send_now(
    sock: &UdpSocket,
    msgs: &[(Vec<u8>, SocketAddr)],
    mut refused: impl FnMut(usize, io::Error),
) -> usize {
    let mut done = 0;
    while done < msgs.len() {
        let rest = msgs.get(done..).unwrap_or_default();
        let chunk = rest.get(..BATCH.min(rest.len())).unwrap_or_default();
        // Straight to the kernel, not through `try_io`: tokio may not know yet that a new
        // socket is writable and would refuse. Not telling tokio about a full buffer is
        // harmless: its own sends find out for themselves.
        match send_chunk(sock, chunk) {
            Ok(0) => break,
            Ok(n) => done += n,
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => break,
            // The first datagram failed for itself: skip it and go on with the rest.
            Err(e) => {
                refused(done, e);
                done += 1;
            }
        }
    }
    done
}

fn send_chunk(sock: &UdpSocket, chunk: &[(Vec<u8>, SocketAddr)]) -> io::Result<usize> {
    mmsg::send_many::<BATCH>(sock, chunk.iter().map(|(b, to)| (&b[..], Some(*to))))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn many_datagrams_each_way_and_long_ones_are_cut() {
        let a = UdpSocket::bind("127.0.0.1:0").await.unwrap();
        let b = UdpSocket::bind("127.0.0.1:0").await.unwrap();
        let to = b.local_addr().unwrap();
        let mut msgs: Replies = (0..40u8).map(|i| (vec![i; 10], to)).collect();
        msgs.push((vec![7; 100], to));
        let sent = send_now(&a, &msgs, |_, e| panic!("{e}"));
        assert_eq!(sent, msgs.len());

        let mut batch = RecvBatch::new(50);
        let mut got = Vec::new();
        while got.len() < msgs.len() {
            let n = batch.recv(&b).await.unwrap();
            assert!(n <= BATCH);
            for i in 0..n {
                let (bytes, from) = batch.get(i).unwrap();
                assert_eq!(from, a.local_addr().unwrap());
                got.push(bytes.to_vec());
            }
            assert!(batch.get(n).is_none());
        }
        for (i, bytes) in got.iter().take(40).enumerate() {
            assert_eq!(bytes, &vec![i as u8; 10]);
        }
        // Cut to the slot: one byte more than a caller accepts, so it is seen as too long.
        assert_eq!(got[40].len(), 50);
    }
}
