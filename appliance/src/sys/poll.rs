//! Waiting until descriptors can be read, with a timeout (`poll(2)`), for the threads that
//! read netlink and packet sockets without an async runtime.

use std::io;
use std::os::fd::{AsFd, AsRawFd, BorrowedFd};
use std::time::Duration;

/// Wait until one of `fds` is ready or `timeout` passes; which ones are. Ready means a read
/// will not block: data is queued, or an error (a pending ENOBUFS, say) or a hang-up that
/// the read reports. Interrupted by a signal: none ready.
pub(crate) fn poll_readable(fds: &[BorrowedFd<'_>], timeout: Duration) -> io::Result<Vec<bool>> {
    let mut pfds: Vec<libc::pollfd> = fds
        .iter()
        .map(|fd| libc::pollfd {
            fd: fd.as_raw_fd(),
            events: libc::POLLIN,
            revents: 0,
        })
        .collect();
    let count = libc::nfds_t::try_from(pfds.len()).unwrap_or(libc::nfds_t::MAX);
    // SAFETY: `pfds` is a live array of `count` pollfd structs, which poll only writes the
    // `revents` of; the descriptors are borrowed, so open for the whole call.
    let r = unsafe { libc::poll(pfds.as_mut_ptr(), count, millis(timeout)) };
    if r < 0 {
        let e = io::Error::last_os_error();
        if e.kind() == io::ErrorKind::Interrupted {
            return Ok(vec![false; fds.len()]);
        }
        return Err(e);
    }
    Ok(pfds.iter().map(|p| p.revents != 0).collect())
}

/// [`poll_readable`] for one descriptor.
pub(crate) fn wait_readable(fd: &impl AsFd, timeout: Duration) -> io::Result<bool> {
    Ok(poll_readable(&[fd.as_fd()], timeout)?.first() == Some(&true))
}

/// The timeout in milliseconds, rounded up (a wait of less than 1 ms is not a busy poll).
fn millis(timeout: Duration) -> libc::c_int {
    let ms = timeout.as_micros().div_ceil(1000);
    libc::c_int::try_from(ms).unwrap_or(libc::c_int::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::UdpSocket;

    #[test]
    fn ready_only_when_data_is_queued() {
        let a = UdpSocket::bind("127.0.0.1:0").unwrap();
        let b = UdpSocket::bind("127.0.0.1:0").unwrap();
        let ms = Duration::from_millis(1);
        assert!(!wait_readable(&b, ms).unwrap());
        a.send_to(b"x", b.local_addr().unwrap()).unwrap();
        assert!(wait_readable(&b, Duration::from_secs(2)).unwrap());
        assert_eq!(
            poll_readable(&[a.as_fd(), b.as_fd()], ms).unwrap(),
            vec![false, true]
        );
    }

    #[test]
    fn timeouts_round_up() {
        assert_eq!(millis(Duration::ZERO), 0);
        assert_eq!(millis(Duration::from_micros(10)), 1);
        assert_eq!(millis(Duration::from_millis(100)), 100);
        assert_eq!(millis(Duration::from_secs(u64::MAX)), libc::c_int::MAX);
    }
}
