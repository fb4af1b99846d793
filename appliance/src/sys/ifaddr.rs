//! The network interfaces of the calling thread's network namespace: their addresses
//! (`getifaddrs`) and indexes (`if_nametoindex`).

use std::ffi::CString;
use std::io;
use std::net::{IpAddr, Ipv4Addr};

/// One address of an interface.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum IfAddr {
    /// An IPv4 or IPv6 address.
    Ip(IpAddr),
    /// A 6-byte hardware (link-layer) address.
    Link([u8; 6]),
}

/// Every address of every interface, in the order the kernel lists them (an address may
/// appear more than once). Link-layer addresses of other lengths are left out.
pub(crate) fn interface_addresses() -> io::Result<Vec<IfAddr>> {
    let mut head: *mut libc::ifaddrs = std::ptr::null_mut();
    // SAFETY: getifaddrs only writes `head`, a list we free below, once.
    if unsafe { libc::getifaddrs(&mut head) } != 0 {
        return Err(io::Error::last_os_error());
    }
    let mut out = Vec::new();
    let mut cur = head;
    while !cur.is_null() {
        // SAFETY: `cur` is a node of the list getifaddrs returned, valid until freeifaddrs.
        let ifa = unsafe { &*cur };
        cur = ifa.ifa_next;
        if ifa.ifa_addr.is_null() {
            continue;
        }
        // SAFETY: `ifa_addr` is non-null and points to a sockaddr, valid until freeifaddrs.
        let family = i32::from(unsafe { (*ifa.ifa_addr).sa_family });
        match family {
            libc::AF_INET => {
                // SAFETY: the family is AF_INET, so the sockaddr is a sockaddr_in.
                let sin = unsafe { &*(ifa.ifa_addr as *const libc::sockaddr_in) };
                let ip = Ipv4Addr::from(u32::from_be(sin.sin_addr.s_addr));
                out.push(IfAddr::Ip(IpAddr::V4(ip)));
            }
            libc::AF_INET6 => {
                // SAFETY: the family is AF_INET6, so the sockaddr is a sockaddr_in6.
                let sin6 = unsafe { &*(ifa.ifa_addr as *const libc::sockaddr_in6) };
                out.push(IfAddr::Ip(IpAddr::from(sin6.sin6_addr.s6_addr)));
            }
            libc::AF_PACKET => {
                // SAFETY: the family is AF_PACKET, so the sockaddr is a sockaddr_ll.
                let sll = unsafe { &*(ifa.ifa_addr as *const libc::sockaddr_ll) };
                if sll.sll_halen == 6 {
                    let mut mac = [0u8; 6];
                    mac.copy_from_slice(&sll.sll_addr[..6]);
                    out.push(IfAddr::Link(mac));
                }
            }
            _ => {}
        }
    }
    // SAFETY: `head` came from getifaddrs, is freed once, and nothing borrowed from the list
    // outlives this point (the addresses were copied out).
    unsafe { libc::freeifaddrs(head) };
    Ok(out)
}

/// The index of the interface called `name`; `None` when there is none (or the name holds
/// a NUL byte).
pub(crate) fn interface_index(name: &str) -> Option<u32> {
    let c = CString::new(name).ok()?;
    // SAFETY: `c` is a valid NUL-terminated string for the duration of the call.
    let index = unsafe { libc::if_nametoindex(c.as_ptr()) };
    (index != 0).then_some(index)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_is_listed_and_has_an_index() {
        let all = interface_addresses().unwrap();
        assert!(all.contains(&IfAddr::Ip(IpAddr::V4(Ipv4Addr::LOCALHOST))));
        assert!(interface_index("lo").is_some());
        assert_eq!(interface_index("no-such-if0"), None);
        assert_eq!(interface_index("l\0o"), None);
    }
}
