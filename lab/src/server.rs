//! TCP and UDP test servers that run on threads inside the lab's internet namespace.

use std::io::{ErrorKind, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream, UdpSocket};
use std::os::fd::AsRawFd;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};

/// How long a server connection may stay idle before the server gives up on it.
const IDLE_LIMIT: Duration = Duration::from_secs(30);
/// How often server threads look at their stop flags.
const TICK: Duration = Duration::from_millis(50);

/// Stops a server thread when either its own flag or the lab's flag is set.
#[derive(Clone)]
struct Stop {
    own: Arc<AtomicBool>,
    lab: Arc<AtomicBool>,
}

impl Stop {
    fn is_set(&self) -> bool {
        self.own.load(Ordering::Relaxed) || self.lab.load(Ordering::Relaxed)
    }
}

/// One finished connection seen by a [`TcpServer`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TcpConnection {
    /// The client address as the server saw it (after the router's NAT: 198.51.100.1 or
    /// 2001:db8:100::1; IPv4 peers appear as plain IPv4 addresses).
    pub peer: SocketAddr,
    /// The address the client connected to (any 203.0.113.x / 2001:db8:2::x).
    pub local: SocketAddr,
    /// Bytes received from the client.
    pub received: u64,
    /// Bytes written back.
    pub sent: u64,
}

/// A TCP server in the lab's internet namespace on `[::]:port` (dual stack), answering on every
/// address of 203.0.113.0/24 and 2001:db8:2::/64 (and the internet host's own addresses).
///
/// Protocol, per connection: the client sends a big-endian `u32` N (4 bytes), then any number of
/// further bytes, then shuts down its sending side; the server counts everything it received
/// (header included) until EOF, then writes N bytes back and closes. Fewer than 4 bytes in all
/// means N = 0. [`crate::Lab::tcp_exchange`] is such a client.
///
/// Stops (closing the listener) when dropped or when the [`crate::Lab`] is dropped.
pub struct TcpServer {
    port: u16,
    received: Arc<AtomicU64>,
    connections: Arc<AtomicU64>,
    log: Arc<Mutex<Vec<TcpConnection>>>,
    stop: Stop,
    thread: Option<JoinHandle<()>>,
}

impl TcpServer {
    pub(crate) fn start(netns: &str, port: u16, lab_stop: Arc<AtomicBool>) -> Result<TcpServer> {
        let listener = crate::sys::in_netns(netns, move || TcpListener::bind(("::", port)))?
            .with_context(|| format!("binding TCP [::]:{port} in {netns}"))?;
        listener.set_nonblocking(true)?;
        let port = listener.local_addr()?.port();
        let stop = Stop {
            own: Arc::new(AtomicBool::new(false)),
            lab: lab_stop,
        };
        let received = Arc::new(AtomicU64::new(0));
        let connections = Arc::new(AtomicU64::new(0));
        let log = Arc::new(Mutex::new(Vec::new()));
        let (r, c, l, s) = (
            received.clone(),
            connections.clone(),
            log.clone(),
            stop.clone(),
        );
        let thread = std::thread::Builder::new()
            .name(format!("lab-tcp-{port}"))
            .spawn(move || accept_loop(listener, r, c, l, s))?;
        Ok(TcpServer {
            port,
            received,
            connections,
            log,
            stop,
            thread: Some(thread),
        })
    }

    /// The port it listens on.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// Total bytes received on all connections so far (counted as they arrive).
    pub fn received(&self) -> u64 {
        self.received.load(Ordering::SeqCst)
    }

    /// Connections accepted so far.
    pub fn connections(&self) -> u64 {
        self.connections.load(Ordering::SeqCst)
    }

    /// The connections that have finished (reply written, socket closed), in order of finishing.
    pub fn finished(&self) -> Vec<TcpConnection> {
        self.log.lock().map(|l| l.clone()).unwrap_or_default()
    }
}

impl Drop for TcpServer {
    fn drop(&mut self) {
        self.stop.own.store(true, Ordering::Relaxed);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

fn accept_loop(
    listener: TcpListener,
    received: Arc<AtomicU64>,
    connections: Arc<AtomicU64>,
    log: Arc<Mutex<Vec<TcpConnection>>>,
    stop: Stop,
) {
    let mut workers: Vec<JoinHandle<()>> = Vec::new();
    while !stop.is_set() {
        match listener.accept() {
            Ok((stream, peer)) => {
                connections.fetch_add(1, Ordering::SeqCst);
                let (r, l, s) = (received.clone(), log.clone(), stop.clone());
                if let Ok(h) = std::thread::Builder::new()
                    .name("lab-tcp-conn".into())
                    .spawn(move || {
                        let _ = serve_tcp(stream, peer, r, l, s);
                    })
                {
                    workers.push(h);
                }
                workers.retain(|h| !h.is_finished());
            }
            Err(e) if e.kind() == ErrorKind::WouldBlock || e.kind() == ErrorKind::Interrupted => {
                wait_readable(listener.as_raw_fd(), TICK);
            }
            Err(_) => std::thread::sleep(TICK),
        }
    }
    drop(listener);
    for w in workers {
        let _ = w.join();
    }
}

fn serve_tcp(
    mut stream: TcpStream,
    peer: SocketAddr,
    received: Arc<AtomicU64>,
    log: Arc<Mutex<Vec<TcpConnection>>>,
    stop: Stop,
) -> std::io::Result<()> {
    stream.set_nonblocking(false)?;
    stream.set_read_timeout(Some(TICK))?;
    stream.set_write_timeout(Some(Duration::from_secs(10)))?;
    let local = stream.local_addr()?;
    let mut header = Vec::with_capacity(4);
    let mut total = 0u64;
    let mut buf = vec![0u8; 64 * 1024];
    let mut last = Instant::now();
    loop {
        if stop.is_set() || last.elapsed() > IDLE_LIMIT {
            return Ok(());
        }
        match stream.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => {
                if header.len() < 4 {
                    let take = (4 - header.len()).min(n);
                    header.extend_from_slice(&buf[..take]);
                }
                total += n as u64;
                received.fetch_add(n as u64, Ordering::SeqCst);
                last = Instant::now();
            }
            Err(e) if e.kind() == ErrorKind::WouldBlock || e.kind() == ErrorKind::TimedOut => {}
            Err(e) if e.kind() == ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    let reply = if header.len() == 4 {
        u32::from_be_bytes([header[0], header[1], header[2], header[3]]) as u64
    } else {
        0
    };
    let chunk = vec![0x5au8; 64 * 1024];
    let mut sent = 0u64;
    while sent < reply {
        if stop.is_set() {
            return Ok(());
        }
        let n = (reply - sent).min(chunk.len() as u64) as usize;
        stream.write_all(&chunk[..n])?;
        sent += n as u64;
    }
    stream.flush()?;
    // Logged before closing, so a client that saw EOF also sees the entry.
    if let Ok(mut l) = log.lock() {
        l.push(TcpConnection {
            peer: unmap(peer),
            local: unmap(local),
            received: total,
            sent,
        });
    }
    let _ = stream.shutdown(std::net::Shutdown::Both);
    Ok(())
}

/// `::ffff:a.b.c.d` socket addresses as plain IPv4 ones.
pub(crate) fn unmap(addr: SocketAddr) -> SocketAddr {
    match addr {
        SocketAddr::V6(v6) => match v6.ip().to_ipv4_mapped() {
            Some(v4) => SocketAddr::new(v4.into(), v6.port()),
            None => addr,
        },
        v4 => v4,
    }
}

/// Waits until `fd` is readable or `timeout` passed.
fn wait_readable(fd: i32, timeout: Duration) {
    let mut p = libc::pollfd {
        fd,
        events: libc::POLLIN,
        revents: 0,
    };
    // SAFETY: one valid pollfd.
    unsafe { libc::poll(&mut p, 1, timeout.as_millis() as i32) };
}

/// A UDP echo server in the lab's internet namespace on `[::]:port` (dual stack): every datagram
/// is sent back unchanged, from the address it was sent to (any 203.0.113.x / 2001:db8:2::x).
///
/// Stops when dropped or when the [`crate::Lab`] is dropped.
pub struct UdpServer {
    port: u16,
    received: Arc<AtomicU64>,
    datagrams: Arc<AtomicU64>,
    stop: Stop,
    thread: Option<JoinHandle<()>>,
}

impl UdpServer {
    pub(crate) fn start(netns: &str, port: u16, lab_stop: Arc<AtomicBool>) -> Result<UdpServer> {
        let sock = crate::sys::in_netns(netns, move || UdpSocket::bind(("::", port)))?
            .with_context(|| format!("binding UDP [::]:{port} in {netns}"))?;
        let fd = sock.as_raw_fd();
        set_opt(fd, libc::IPPROTO_IPV6, libc::IPV6_RECVPKTINFO)
            .context("setting IPV6_RECVPKTINFO")?;
        // Lets replies come from AnyIP addresses (local routes, not interface addresses).
        set_opt(fd, libc::IPPROTO_IPV6, libc::IPV6_FREEBIND).context("setting IPV6_FREEBIND")?;
        sock.set_read_timeout(Some(TICK))?;
        let port = sock.local_addr()?.port();
        let stop = Stop {
            own: Arc::new(AtomicBool::new(false)),
            lab: lab_stop,
        };
        let received = Arc::new(AtomicU64::new(0));
        let datagrams = Arc::new(AtomicU64::new(0));
        let (r, d, s) = (received.clone(), datagrams.clone(), stop.clone());
        let thread = std::thread::Builder::new()
            .name(format!("lab-udp-{port}"))
            .spawn(move || {
                let mut buf = vec![0u8; 65536];
                while !s.is_set() {
                    // Counted before the echo goes out, so a client that got it sees the count.
                    let _ = echo_one(&sock, &mut buf, |n| {
                        r.fetch_add(n as u64, Ordering::SeqCst);
                        d.fetch_add(1, Ordering::SeqCst);
                    });
                }
            })?;
        Ok(UdpServer {
            port,
            received,
            datagrams,
            stop,
            thread: Some(thread),
        })
    }

    /// The port it listens on.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// Total payload bytes received.
    pub fn received(&self) -> u64 {
        self.received.load(Ordering::SeqCst)
    }

    /// Datagrams received (and echoed).
    pub fn datagrams(&self) -> u64 {
        self.datagrams.load(Ordering::SeqCst)
    }
}

impl Drop for UdpServer {
    fn drop(&mut self) {
        self.stop.own.store(true, Ordering::Relaxed);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

fn set_opt(fd: i32, level: i32, name: i32) -> std::io::Result<()> {
    let one: libc::c_int = 1;
    // SAFETY: setsockopt with a pointer to a c_int of the right size.
    let rc = unsafe {
        libc::setsockopt(
            fd,
            level,
            name,
            &one as *const _ as *const libc::c_void,
            std::mem::size_of::<libc::c_int>() as libc::socklen_t,
        )
    };
    if rc == 0 {
        Ok(())
    } else {
        Err(std::io::Error::last_os_error())
    }
}

/// Receives one datagram (waiting at most the socket's read timeout) and echoes it from the
/// address it was sent to, calling `count` with its size before echoing. Returns its size, or
/// `None` on timeout.
fn echo_one(
    sock: &UdpSocket,
    buf: &mut [u8],
    count: impl FnOnce(usize),
) -> std::io::Result<Option<usize>> {
    let fd = sock.as_raw_fd();
    // SAFETY: all-zero is a valid sockaddr_in6 / msghdr.
    let mut from: libc::sockaddr_in6 = unsafe { std::mem::zeroed() };
    let mut iov = libc::iovec {
        iov_base: buf.as_mut_ptr() as *mut libc::c_void,
        iov_len: buf.len(),
    };
    let mut control = [0u64; 32];
    // SAFETY: see above.
    let mut msg: libc::msghdr = unsafe { std::mem::zeroed() };
    msg.msg_name = &mut from as *mut _ as *mut libc::c_void;
    msg.msg_namelen = std::mem::size_of::<libc::sockaddr_in6>() as libc::socklen_t;
    msg.msg_iov = &mut iov;
    msg.msg_iovlen = 1;
    msg.msg_control = control.as_mut_ptr() as *mut libc::c_void;
    msg.msg_controllen = std::mem::size_of_val(&control) as _;
    // SAFETY: msg points at live buffers of the stated sizes.
    let n = unsafe { libc::recvmsg(fd, &mut msg, 0) };
    if n < 0 {
        let e = std::io::Error::last_os_error();
        return match e.kind() {
            ErrorKind::WouldBlock | ErrorKind::TimedOut | ErrorKind::Interrupted => Ok(None),
            _ => Err(e),
        };
    }
    let n = n as usize;
    count(n);
    // The destination address of the datagram (v4-mapped for IPv4).
    let mut dst: Option<libc::in6_pktinfo> = None;
    // SAFETY: walking the control messages the kernel wrote into `control`.
    unsafe {
        let mut c = libc::CMSG_FIRSTHDR(&msg);
        while !c.is_null() {
            if (*c).cmsg_level == libc::IPPROTO_IPV6 && (*c).cmsg_type == libc::IPV6_PKTINFO {
                dst = Some(std::ptr::read_unaligned(
                    libc::CMSG_DATA(c) as *const libc::in6_pktinfo
                ));
            }
            c = libc::CMSG_NXTHDR(&msg, c);
        }
    }
    let mut out_control = [0u64; 8];
    let mut iov = libc::iovec {
        iov_base: buf.as_mut_ptr() as *mut libc::c_void,
        iov_len: n,
    };
    // SAFETY: all-zero msghdr is valid.
    let mut reply: libc::msghdr = unsafe { std::mem::zeroed() };
    reply.msg_name = &mut from as *mut _ as *mut libc::c_void;
    reply.msg_namelen = msg.msg_namelen;
    reply.msg_iov = &mut iov;
    reply.msg_iovlen = 1;
    if let Some(mut info) = dst {
        info.ipi6_ifindex = 0;
        let space = unsafe { libc::CMSG_SPACE(std::mem::size_of::<libc::in6_pktinfo>() as u32) };
        reply.msg_control = out_control.as_mut_ptr() as *mut libc::c_void;
        reply.msg_controllen = space as _;
        // SAFETY: out_control is large enough for one in6_pktinfo control message.
        unsafe {
            let c = libc::CMSG_FIRSTHDR(&reply);
            (*c).cmsg_level = libc::IPPROTO_IPV6;
            (*c).cmsg_type = libc::IPV6_PKTINFO;
            (*c).cmsg_len = libc::CMSG_LEN(std::mem::size_of::<libc::in6_pktinfo>() as u32) as _;
            std::ptr::write_unaligned(libc::CMSG_DATA(c) as *mut libc::in6_pktinfo, info);
        }
    }
    // SAFETY: reply points at live buffers.
    // A failed echo is not retried; the client then times out, which is what a test should see.
    let _ = unsafe { libc::sendmsg(fd, &reply, 0) };
    Ok(Some(n))
}
