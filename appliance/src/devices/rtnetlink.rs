//! The rtnetlink socket the neighbour table is read from: subscribed to `RTNLGRP_NEIGH`
//! events, and used for `RTM_GETNEIGH` dumps too (dump replies and events are decoded the same
//! way, and every message is applied as it comes, so they may interleave). Like every netlink
//! socket it belongs to the network namespace of the thread that opened it.
//!
//! Reading the neighbour table needs no privileges.

use std::io;
use std::time::Duration;

use netlink_sys::{protocols::NETLINK_ROUTE, Socket, SocketAddr};

use super::neighbours::{self, NeighMessage, RTNLGRP_NEIGH};
use crate::sys::{poll, socket};

/// Receive buffer asked for (the kernel doubles it): neighbour events come in small bursts.
const RCVBUF: usize = 1 << 20;

/// The largest datagram rtnetlink sends for dumps is one page or 32 KiB; this is more.
const BUF_LEN: usize = 64 * 1024;

/// Why the neighbour socket failed.
#[derive(Debug, thiserror::Error)]
pub enum NeighSocketError {
    /// Opening, binding or subscribing failed.
    #[error("{what}: {source}")]
    Setup {
        /// What was being done.
        what: &'static str,
        /// What the OS said.
        source: io::Error,
    },
    /// Sending a request or receiving failed.
    #[error("neighbour socket: {0}")]
    Io(#[from] io::Error),
}

/// What one non-blocking read gave.
#[derive(Debug)]
pub enum NeighRead {
    /// Decoded messages (possibly none of interest).
    Messages(Vec<NeighMessage>),
    /// Nothing was queued.
    Empty,
    /// The socket overflowed: events were lost; dump again.
    Overflow,
}

/// An open rtnetlink socket subscribed to neighbour events.
pub struct NeighSocket {
    socket: Socket,
    buf: Vec<u8>,
    seq: u32,
}

impl NeighSocket {
    /// Open, bind and subscribe.
    pub fn open() -> Result<NeighSocket, NeighSocketError> {
        let setup = |what| move |source| NeighSocketError::Setup { what, source };
        let mut socket =
            Socket::new(NETLINK_ROUTE).map_err(setup("opening a NETLINK_ROUTE socket"))?;
        socket
            .bind(&SocketAddr::new(0, 0))
            .map_err(setup("binding the rtnetlink socket"))?;
        socket
            .add_membership(RTNLGRP_NEIGH)
            .map_err(setup("joining the neighbour event group"))?;
        // Best effort: the default buffer works, an overflow only costs a dump.
        let _ = socket.set_rx_buf_sz(RCVBUF as libc::c_int);
        Ok(NeighSocket {
            socket,
            buf: vec![0; BUF_LEN],
            seq: 0,
        })
    }

    /// Ask for a dump of the whole table; the replies arrive through [`NeighSocket::read`],
    /// ending with [`NeighMessage::Done`].
    pub fn request_dump(&mut self) -> Result<(), NeighSocketError> {
        self.seq = self.seq.wrapping_add(1);
        let req = neighbours::dump_request(self.seq);
        let n = self.socket.send(&req, 0)?;
        if n != req.len() {
            return Err(io::Error::other("short send on the rtnetlink socket").into());
        }
        Ok(())
    }

    /// Wait up to `timeout` for data, then read one datagram without blocking.
    pub fn read(&mut self, timeout: Duration) -> Result<NeighRead, NeighSocketError> {
        if !poll::wait_readable(&self.socket, timeout)? {
            return Ok(NeighRead::Empty);
        }
        let flags = libc::MSG_DONTWAIT | libc::MSG_TRUNC;
        let n = match socket::recv(&self.socket, &mut self.buf, flags) {
            Ok(n) => n,
            Err(e) => {
                return match e.raw_os_error() {
                    Some(libc::EAGAIN) | Some(libc::EINTR) => Ok(NeighRead::Empty),
                    Some(libc::ENOBUFS) => Ok(NeighRead::Overflow),
                    _ => Err(e.into()),
                }
            }
        };
        if n > self.buf.len() {
            // Cannot happen with a 64 KiB buffer; the lost entries come back with the next dump.
            return Ok(NeighRead::Overflow);
        }
        Ok(NeighRead::Messages(neighbours::parse_datagram(
            &self.buf[..n],
        )))
    }
}
