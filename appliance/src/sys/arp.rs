//! The `AF_PACKET` socket that receives every ARP packet on every interface (needs
//! CAP_NET_RAW), for the spoofing detector's LAN watch.

use std::io;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};

/// An open ARP packet socket (non-blocking), in the network namespace of the thread that
/// opened it.
pub(crate) struct ArpSocket {
    fd: OwnedFd,
}

impl ArpSocket {
    /// Open it: `SOCK_DGRAM`, so packets come without their Ethernet header.
    pub(crate) fn open() -> io::Result<ArpSocket> {
        let proto = (libc::ETH_P_ARP as u16).to_be();
        // SAFETY: plain socket(2) call with constant arguments; the result is checked.
        let fd = unsafe {
            libc::socket(
                libc::AF_PACKET,
                libc::SOCK_DGRAM | libc::SOCK_NONBLOCK | libc::SOCK_CLOEXEC,
                i32::from(proto),
            )
        };
        if fd < 0 {
            return Err(io::Error::last_os_error());
        }
        // SAFETY: a fresh descriptor that nothing else owns; OwnedFd closes it once.
        let fd = unsafe { OwnedFd::from_raw_fd(fd) };
        Ok(ArpSocket { fd })
    }

    /// Read what is queued (without waiting, at most `max` packets), calling `f` with each
    /// packet the appliance did not send itself.
    pub(crate) fn drain(&self, buf: &mut [u8], max: usize, mut f: impl FnMut(&[u8])) {
        for _ in 0..max {
            // SAFETY: sockaddr_ll is plain data; all zeroes is a valid value.
            let mut from: libc::sockaddr_ll = unsafe { std::mem::zeroed() };
            let mut len = std::mem::size_of::<libc::sockaddr_ll>() as libc::socklen_t;
            // SAFETY: `buf` and `from` are valid for writes of `buf.len()` and `len` bytes
            // for the whole call, and the kernel writes at most that much.
            let n = unsafe {
                libc::recvfrom(
                    self.fd.as_raw_fd(),
                    buf.as_mut_ptr().cast(),
                    buf.len(),
                    libc::MSG_DONTWAIT,
                    (&mut from as *mut libc::sockaddr_ll).cast(),
                    &mut len,
                )
            };
            let Ok(n) = usize::try_from(n) else {
                return;
            };
            if n == 0 {
                return;
            }
            if from.sll_pkttype == libc::PACKET_OUTGOING {
                continue;
            }
            f(&buf[..n.min(buf.len())]);
        }
    }
}
