//! Socket options and receiving into a caller's buffer.

use std::io;
use std::os::fd::{AsFd, AsRawFd};

/// How [`set_recv_buffer`] went.
#[derive(Debug)]
pub(crate) enum RecvBuffer {
    /// `SO_RCVBUFFORCE` took: the buffer has the size asked for.
    Forced,
    /// `SO_RCVBUFFORCE` was refused (`forced`: why; it needs CAP_NET_ADMIN), so `SO_RCVBUF`
    /// was asked, which the kernel caps at `net.core.rmem_max` (`fallback`: how that went).
    Capped {
        /// Why `SO_RCVBUFFORCE` was refused.
        forced: io::Error,
        /// The outcome of `SO_RCVBUF`.
        fallback: io::Result<()>,
    },
}

/// Ask for a receive buffer of `bytes` on `sock`: `SO_RCVBUFFORCE`, which may go beyond the
/// system's `rmem_max`, and when that is not allowed `SO_RCVBUF` (up to `rmem_max`). The
/// kernel doubles the value for its own bookkeeping.
pub(crate) fn set_recv_buffer(sock: &impl AsFd, bytes: usize) -> RecvBuffer {
    let value = libc::c_int::try_from(bytes).unwrap_or(libc::c_int::MAX);
    match set_int(sock, libc::SOL_SOCKET, libc::SO_RCVBUFFORCE, value) {
        Ok(()) => RecvBuffer::Forced,
        Err(forced) => RecvBuffer::Capped {
            forced,
            fallback: set_int(sock, libc::SOL_SOCKET, libc::SO_RCVBUF, value),
        },
    }
}

fn set_int(
    sock: &impl AsFd,
    level: libc::c_int,
    name: libc::c_int,
    value: libc::c_int,
) -> io::Result<()> {
    // SAFETY: passes a pointer to a live c_int and its size; the descriptor is borrowed, so
    // open for the whole call.
    let r = unsafe {
        libc::setsockopt(
            sock.as_fd().as_raw_fd(),
            level,
            name,
            (&value as *const libc::c_int).cast(),
            std::mem::size_of::<libc::c_int>() as libc::socklen_t,
        )
    };
    if r < 0 {
        Err(io::Error::last_os_error())
    } else {
        Ok(())
    }
}

/// One `recv(2)` into `buf` with `flags` (e.g. `MSG_DONTWAIT`, `MSG_TRUNC`). Returns what
/// the kernel returned: with `MSG_TRUNC` that is the datagram's real length, which may be
/// more than `buf.len()` (only `buf.len()` bytes were written).
pub(crate) fn recv(sock: &impl AsFd, buf: &mut [u8], flags: libc::c_int) -> io::Result<usize> {
    // SAFETY: `buf` is valid for writes of `buf.len()` bytes for the whole call, and the
    // kernel writes at most that many; the descriptor is borrowed, so open.
    let n = unsafe {
        libc::recv(
            sock.as_fd().as_raw_fd(),
            buf.as_mut_ptr().cast(),
            buf.len(),
            flags,
        )
    };
    // Negative exactly when it failed.
    usize::try_from(n).map_err(|_| io::Error::last_os_error())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::UdpSocket;

    #[test]
    fn a_receive_buffer_is_set_one_way_or_the_other() {
        let s = UdpSocket::bind("127.0.0.1:0").unwrap();
        match set_recv_buffer(&s, 64 * 1024) {
            RecvBuffer::Forced => {}
            RecvBuffer::Capped { fallback, .. } => fallback.unwrap(),
        }
    }

    #[test]
    fn recv_reports_the_real_length_with_msg_trunc() {
        let a = UdpSocket::bind("127.0.0.1:0").unwrap();
        let b = UdpSocket::bind("127.0.0.1:0").unwrap();
        a.send_to(&[7; 100], b.local_addr().unwrap()).unwrap();
        let mut buf = [0u8; 10];
        // Blocking: the datagram is on its way.
        assert_eq!(recv(&b, &mut buf, libc::MSG_TRUNC).unwrap(), 100);
        assert_eq!(buf, [7; 10]);
        let e = recv(&b, &mut buf, libc::MSG_DONTWAIT).unwrap_err();
        assert_eq!(e.raw_os_error(), Some(libc::EAGAIN));
    }
}
