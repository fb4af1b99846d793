//! The two ctnetlink sockets: one subscribed to NEW/UPDATE/DESTROY events, one for dump
//! requests (a dump on the event socket would interleave with events). Both belong to the
//! network namespace of the thread that opened them.

use std::io;
use std::os::fd::{AsFd, BorrowedFd};

use netlink_sys::{protocols::NETLINK_NETFILTER, Socket, SocketAddr};

use super::ConntrackError;
use crate::status::Status;
use crate::sys::socket::{self, RecvBuffer};

/// `NFNLGRP_CONNTRACK_NEW`, `_UPDATE`, `_DESTROY`.
const GROUPS: [u32; 3] = [1, 2, 3];

/// Receive buffer of the dump socket: dumps are paced by the reader, this only has to hold
/// a few 32 KiB dump batches.
const DUMP_RCVBUF: usize = 1 << 20;

/// What one non-blocking receive gave.
#[derive(Debug)]
pub enum Recv {
    /// A datagram of this many bytes is in the buffer.
    Data(usize),
    /// Nothing queued.
    Empty,
    /// The socket overflowed (ENOBUFS): messages were lost.
    Overflow,
}

/// An open ctnetlink socket.
#[derive(Debug)]
pub struct CtSocket {
    socket: Socket,
}

impl CtSocket {
    /// The event socket, subscribed to the three conntrack groups, with a receive buffer of
    /// `rcvbuf` bytes (SO_RCVBUFFORCE; SO_RCVBUF with a warning when that is not allowed).
    pub fn events(rcvbuf: usize, status: &Status) -> Result<CtSocket, ConntrackError> {
        let s = open()?;
        set_rcvbuf(&s.socket, rcvbuf, status);
        for g in GROUPS {
            s.socket
                .add_membership(g)
                .map_err(|e| ConntrackError::from_io("joining the conntrack event groups", e))?;
        }
        Ok(s)
    }

    /// The dump socket.
    pub fn dumps() -> Result<CtSocket, ConntrackError> {
        let s = open()?;
        // Best effort: the default is enough for dumps, just slower.
        let _ = socket::set_recv_buffer(&s.socket, DUMP_RCVBUF);
        Ok(s)
    }

    /// The receive buffer the kernel granted (it doubles the requested size).
    pub fn rcvbuf(&self) -> usize {
        self.socket.get_rx_buf_sz().unwrap_or(0)
    }

    /// Send one request.
    pub fn send(&self, bytes: &[u8]) -> io::Result<()> {
        let n = self.socket.send(bytes, 0)?;
        if n != bytes.len() {
            return Err(io::Error::other("short send on netlink socket"));
        }
        Ok(())
    }

    /// Receive one datagram without blocking. A datagram larger than `buf` is reported as
    /// an error (it cannot happen with a 64 KiB buffer: the kernel caps batches at 32 KiB).
    pub fn recv(&self, buf: &mut [u8]) -> io::Result<Recv> {
        let n = match socket::recv(&self.socket, buf, libc::MSG_DONTWAIT | libc::MSG_TRUNC) {
            Ok(n) => n,
            Err(e) => {
                return match e.raw_os_error() {
                    Some(libc::EAGAIN) => Ok(Recv::Empty),
                    Some(libc::ENOBUFS) => Ok(Recv::Overflow),
                    Some(libc::EINTR) => Ok(Recv::Empty),
                    _ => Err(e),
                }
            }
        };
        if n > buf.len() {
            return Err(io::Error::other(format!(
                "netlink datagram of {n} bytes truncated to {}",
                buf.len()
            )));
        }
        Ok(Recv::Data(n))
    }

    /// The file descriptor, for `poll`.
    pub fn fd(&self) -> BorrowedFd<'_> {
        self.socket.as_fd()
    }
}

fn open() -> Result<CtSocket, ConntrackError> {
    let mut socket = Socket::new(NETLINK_NETFILTER)
        .map_err(|e| ConntrackError::from_io("opening a NETLINK_NETFILTER socket", e))?;
    socket
        .bind(&SocketAddr::new(0, 0))
        .map_err(|e| ConntrackError::from_io("binding the netlink socket", e))?;
    Ok(CtSocket { socket })
}

fn set_rcvbuf(socket: &Socket, bytes: usize, status: &Status) {
    if let RecvBuffer::Capped { forced, fallback } = socket::set_recv_buffer(socket, bytes) {
        let got = socket.get_rx_buf_sz().unwrap_or(0) / 2;
        // Both errors are the OS's words: one detail.
        let error = match fallback {
            Ok(()) => forced.to_string(),
            Err(e) => format!("{forced}; SO_RCVBUF: {e}"),
        };
        status.warn(crate::status::StatusWords::new(
            "conntrack-small-buffer",
            [
                ("wanted", bytes.to_string()),
                ("got", got.to_string()),
                ("error", error),
            ],
        ));
    }
}
