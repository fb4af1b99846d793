//! The two ctnetlink sockets: one subscribed to NEW/UPDATE/DESTROY events, one for dump
//! requests (a dump on the event socket would interleave with events). Both belong to the
//! network namespace of the thread that opened them.

use std::io;
use std::os::fd::{AsRawFd, RawFd};
use std::time::Duration;

use netlink_sys::{protocols::NETLINK_NETFILTER, Socket, SocketAddr};

use super::ConntrackError;
use crate::status::Status;

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
        let _ = setsockopt_int(
            s.socket.as_raw_fd(),
            libc::SOL_SOCKET,
            libc::SO_RCVBUFFORCE,
            DUMP_RCVBUF,
        )
        .or_else(|_| s.socket.set_rx_buf_sz(DUMP_RCVBUF as libc::c_int));
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
        // SAFETY: `buf` is valid for writes of `buf.len()` bytes for the whole call.
        let n = unsafe {
            libc::recv(
                self.socket.as_raw_fd(),
                buf.as_mut_ptr().cast(),
                buf.len(),
                libc::MSG_DONTWAIT | libc::MSG_TRUNC,
            )
        };
        if n < 0 {
            let e = io::Error::last_os_error();
            return match e.raw_os_error() {
                Some(libc::EAGAIN) => Ok(Recv::Empty),
                Some(libc::ENOBUFS) => Ok(Recv::Overflow),
                Some(libc::EINTR) => Ok(Recv::Empty),
                _ => Err(e),
            };
        }
        let n = n as usize;
        if n > buf.len() {
            return Err(io::Error::other(format!(
                "netlink datagram of {n} bytes truncated to {}",
                buf.len()
            )));
        }
        Ok(Recv::Data(n))
    }

    /// The file descriptor, for `poll`.
    pub fn fd(&self) -> RawFd {
        self.socket.as_raw_fd()
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
    let fd = socket.as_raw_fd();
    if let Err(e) = setsockopt_int(fd, libc::SOL_SOCKET, libc::SO_RCVBUFFORCE, bytes) {
        let fallback = socket.set_rx_buf_sz(bytes.min(i32::MAX as usize) as libc::c_int);
        let got = socket.get_rx_buf_sz().unwrap_or(0) / 2;
        status.warn(format!(
            "conntrack: could not force the event socket buffer to {bytes} bytes ({e}); got \
             {got} bytes via SO_RCVBUF{}. Bursts of new flows may overflow it (each overflow \
             costs a full re-dump); give whereflow CAP_NET_ADMIN or raise net.core.rmem_max",
            match fallback {
                Ok(()) => String::new(),
                Err(e) => format!(" (which failed too: {e})"),
            }
        ));
    }
}

fn setsockopt_int(fd: RawFd, level: i32, name: i32, value: usize) -> io::Result<()> {
    let v: libc::c_int = value.min(i32::MAX as usize) as libc::c_int;
    // SAFETY: passes a pointer to a live c_int and its size.
    let r = unsafe {
        libc::setsockopt(
            fd,
            level,
            name,
            (&v as *const libc::c_int).cast(),
            std::mem::size_of::<libc::c_int>() as libc::socklen_t,
        )
    };
    if r < 0 {
        Err(io::Error::last_os_error())
    } else {
        Ok(())
    }
}

/// Wait until one of `fds` is readable or `timeout` passes. Returns which are readable.
pub fn poll_readable(fds: &[RawFd], timeout: Duration) -> io::Result<Vec<bool>> {
    let mut pfds: Vec<libc::pollfd> = fds
        .iter()
        .map(|&fd| libc::pollfd {
            fd,
            events: libc::POLLIN,
            revents: 0,
        })
        .collect();
    let ms = timeout.as_millis().min(i32::MAX as u128) as libc::c_int;
    // SAFETY: `pfds` is a valid array of `pfds.len()` pollfd structs.
    let r = unsafe { libc::poll(pfds.as_mut_ptr(), pfds.len() as libc::nfds_t, ms) };
    if r < 0 {
        let e = io::Error::last_os_error();
        if e.raw_os_error() == Some(libc::EINTR) {
            return Ok(vec![false; fds.len()]);
        }
        return Err(e);
    }
    // POLLERR (a pending ENOBUFS) also means "call recv to learn about it".
    Ok(pfds
        .iter()
        .map(|p| p.revents & (libc::POLLIN | libc::POLLERR) != 0)
        .collect())
}
