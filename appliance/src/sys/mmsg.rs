//! Many UDP datagrams per system call: `recvmmsg` and `sendmmsg` over arrays of headers on
//! the stack (see `dns::batch`, which uses them).

use std::io;
use std::net::SocketAddr;
use std::os::fd::{AsFd, AsRawFd};

use socket2::{SockAddr, SockAddrStorage};

/// What [`recv_many`] learned about one datagram.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Received {
    /// Bytes written into its slot.
    pub(crate) len: usize,
    /// The sender, when it is an IP address.
    pub(crate) from: Option<SocketAddr>,
}

/// Read up to `N` queued datagrams from `sock` without waiting, datagram `i` into the `i`th
/// `slot`-byte part of `bufs` and what is known about it into `got[i]`; returns how many.
/// Fewer parts than `N` in `bufs` read fewer datagrams. Nothing queued: `WouldBlock`.
pub(crate) fn recv_many<const N: usize>(
    sock: &impl AsFd,
    bufs: &mut [u8],
    slot: usize,
    got: &mut [Received; N],
) -> io::Result<usize> {
    if slot == 0 {
        return Ok(0);
    }
    let mut names: [SockAddrStorage; N] = std::array::from_fn(|_| SockAddrStorage::zeroed());
    let namelen = names[0].size_of();
    // SAFETY: all-zero is a valid value of these plain C structs.
    let mut iovs: [libc::iovec; N] = unsafe { std::mem::zeroed() };
    // SAFETY: as above.
    let mut hdrs: [libc::mmsghdr; N] = unsafe { std::mem::zeroed() };
    let mut count = 0;
    for ((chunk, iov), (hdr, name)) in bufs
        .chunks_exact_mut(slot)
        .zip(iovs.iter_mut())
        .zip(hdrs.iter_mut().zip(names.iter_mut()))
    {
        iov.iov_base = chunk.as_mut_ptr().cast();
        iov.iov_len = chunk.len();
        hdr.msg_hdr.msg_name = (name as *mut SockAddrStorage).cast();
        hdr.msg_hdr.msg_namelen = namelen;
        hdr.msg_hdr.msg_iov = iov as *mut libc::iovec;
        hdr.msg_hdr.msg_iovlen = 1;
        count += 1;
    }
    // SAFETY: each of the first `count` headers points at a live iovec over its own
    // `slot`-byte part of `bufs` and at its own address storage, all of which outlive the
    // call; `count` is at most the length of `hdrs`; the descriptor is borrowed, so open.
    let n = unsafe {
        libc::recvmmsg(
            sock.as_fd().as_raw_fd(),
            hdrs.as_mut_ptr(),
            count as libc::c_uint,
            libc::MSG_DONTWAIT,
            std::ptr::null_mut(),
        )
    };
    // Negative exactly when it failed.
    let n = usize::try_from(n)
        .map_err(|_| io::Error::last_os_error())?
        .min(count);
    for ((out, hdr), name) in got.iter_mut().zip(&hdrs).zip(names).take(n) {
        // SAFETY: the kernel wrote an address of `msg_namelen` bytes into `name`.
        let addr = unsafe { SockAddr::new(name, hdr.msg_hdr.msg_namelen) };
        *out = Received {
            len: (hdr.msg_len as usize).min(slot),
            from: addr.as_socket(),
        };
    }
    Ok(n)
}

/// Send up to `N` datagrams (bytes, and destination unless the socket is connected) with
/// one system call, without waiting; returns how many the kernel took (0 or an error:
/// none). An error is the first datagram's.
pub(crate) fn send_many<'a, const N: usize>(
    sock: &impl AsFd,
    msgs: impl IntoIterator<Item = (&'a [u8], Option<SocketAddr>)>,
) -> io::Result<usize> {
    let mut items: [(&[u8], Option<SockAddr>); N] = std::array::from_fn(|_| (&[][..], None));
    let mut count = 0;
    for (item, (bytes, to)) in items.iter_mut().zip(msgs) {
        *item = (bytes, to.map(SockAddr::from));
        count += 1;
    }
    // SAFETY: all-zero is a valid value of these plain C structs.
    let mut iovs: [libc::iovec; N] = unsafe { std::mem::zeroed() };
    // SAFETY: as above.
    let mut hdrs: [libc::mmsghdr; N] = unsafe { std::mem::zeroed() };
    for ((bytes, addr), (iov, hdr)) in items
        .iter()
        .zip(iovs.iter_mut().zip(hdrs.iter_mut()))
        .take(count)
    {
        iov.iov_base = bytes.as_ptr().cast_mut().cast();
        iov.iov_len = bytes.len();
        if let Some(addr) = addr {
            hdr.msg_hdr.msg_name = addr.as_ptr().cast_mut().cast();
            hdr.msg_hdr.msg_namelen = addr.len();
        }
        hdr.msg_hdr.msg_iov = iov as *mut libc::iovec;
        hdr.msg_hdr.msg_iovlen = 1;
    }
    // SAFETY: the first `count` headers point at live iovecs over the messages' bytes (only
    // read by the kernel) and at live socket addresses or none, all of which outlive the
    // call; `count` is at most the length of `hdrs`; the descriptor is borrowed, so open.
    let r = unsafe {
        libc::sendmmsg(
            sock.as_fd().as_raw_fd(),
            hdrs.as_mut_ptr(),
            count as libc::c_uint,
            libc::MSG_DONTWAIT,
        )
    };
    usize::try_from(r).map_err(|_| io::Error::last_os_error())
}
