//! The web listener against one greedy or slow client, on the lab over real sockets: one
//! device holds 1,000 half-open HTTP connections while another device's page and DNS over
//! TCP still answer within 2 s; connections over `web.max_connections_per_device` are closed at once; the
//! header timeout closes half-open and slowloris connections (freeing the device's slots);
//! one device cannot take every event-stream slot; login failures from 18 addresses of one
//! device (one MAC) lock out that device only. Needs root (network namespaces).

mod common;

use std::io::{ErrorKind, Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use common::{get_as_device, Daemon};
use hickory_proto::rr::RecordType;
use whereflow_lab::{Lab, LabOptions, Zone};

const WEB: &str = "192.0.2.1:8080";
const HALF_OPEN: usize = 1_000;
const PER_DEVICE: usize = 64;
/// Long enough that all 1,000 connections are made (3 s on a loaded 2-core CI machine) and
/// counted before the first of them times out.
const HEADER_TIMEOUT_SECS: u64 = 10;

/// Let this process hold a few thousand sockets.
fn raise_open_files() {
    let mut lim = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: valid pointers to an rlimit for the calls to fill in and read.
    unsafe {
        assert_eq!(libc::getrlimit(libc::RLIMIT_NOFILE, &mut lim), 0);
        lim.rlim_cur = lim.rlim_max.min(65_536);
        assert_eq!(libc::setrlimit(libc::RLIMIT_NOFILE, &lim), 0);
    }
}

/// Has the server closed `s`? (EOF or reset; still open when a read would block.)
fn closed(s: &mut TcpStream) -> bool {
    let mut b = [0u8; 256];
    s.set_nonblocking(true).unwrap();
    loop {
        match s.read(&mut b) {
            Ok(0) => return true,
            // A 408 or similar answer before the close: read on to the end.
            Ok(_) => continue,
            Err(e) if e.kind() == ErrorKind::WouldBlock => return false,
            Err(_) => return true,
        }
    }
}

fn count_closed(streams: &mut [TcpStream]) -> usize {
    let mut n = 0;
    for s in streams.iter_mut() {
        n += usize::from(closed(s));
    }
    n
}

#[test]
fn one_device_cannot_starve_the_web_listener() {
    raise_open_files();
    let lab = Lab::build(LabOptions {
        devices: 2,
        zones: vec![Zone::new("test").a("a.example", "203.0.113.10")],
    })
    .expect("building the lab (needs root)");
    let d = Daemon::start(
        &lab,
        &format!(
            "max_connections_per_device = {PER_DEVICE}\nheader_timeout_secs = \
             {HEADER_TIMEOUT_SECS}\nmax_event_clients_per_device = 2\n"
        ),
    )
    .expect("daemon");
    assert!(
        d.log().contains("open-files limit: "),
        "the daemon says its limit:\n{}",
        d.log()
    );

    // Device 0 opens 1,000 connections, each with an unfinished request head.
    let opened = Instant::now();
    let mut held: Vec<TcpStream> = lab
        .in_netns(&lab.devices()[0], || {
            (0..HALF_OPEN)
                .map(|_| {
                    let mut s = TcpStream::connect(WEB).expect("connect");
                    // Refused connections may already be reset: the write may fail.
                    let _ = s.write_all(b"GET / HTTP/1.1\r\nHost: 192.0.2.1:8080\r\n");
                    s
                })
                .collect()
        })
        .expect("in the device's namespace");
    eprintln!(
        "{HALF_OPEN} half-open connections made in {:?}",
        opened.elapsed()
    );

    // Device 1's page loads at once.
    let t = Instant::now();
    let (code, body) = get_as_device(&lab, 1, "/").expect("device 1 GET /");
    let took = t.elapsed();
    eprintln!("device 1's page while device 0 holds {HALF_OPEN}: {code} in {took:?}");
    assert_eq!(code, 200, "{body}");
    assert!(took < Duration::from_secs(2), "took {took:?}");
    let (code, _) = get_as_device(&lab, 1, "/api/v1/status").expect("status");
    assert_eq!(code, 200);
    // And its DNS over TCP (the web's connections leave the daemon descriptors to spare).
    let t = Instant::now();
    let reply = lab
        .query(
            1,
            "192.0.2.1:53".parse().unwrap(),
            "a.example.test.",
            RecordType::A,
            true,
        )
        .expect("DNS over TCP from device 1");
    let took = t.elapsed();
    eprintln!("device 1's DNS over TCP meanwhile: {took:?}");
    assert!(!reply.addresses().is_empty());
    assert!(took < Duration::from_secs(2), "took {took:?}");

    // Over the cap the server closed them: all but PER_DEVICE.
    let since_first = opened.elapsed();
    // (Closing is for good: count again for a moment in case the accept queue is still draining.)
    let mut closed_early = 0;
    for _ in 0..10 {
        std::thread::sleep(Duration::from_millis(200));
        closed_early = count_closed(&mut held);
        if closed_early >= HALF_OPEN - PER_DEVICE {
            break;
        }
    }
    eprintln!(
        "closed by the server before the header timeout: {closed_early} of {HALF_OPEN} \
         (per-device cap {PER_DEVICE})"
    );
    assert!(
        since_first + Duration::from_secs(2) < Duration::from_secs(HEADER_TIMEOUT_SECS),
        "the connections took {since_first:?}: too slow to count before the header timeout"
    );
    assert_eq!(closed_early, HALF_OPEN - PER_DEVICE);
    // And device 0 itself gets nothing more while it holds its share.
    let extra = get_as_device(&lab, 0, "/");
    assert!(extra.is_err(), "a 65th connection was served: {extra:?}");

    // The header timeout closes the rest; device 0's slots are free again.
    std::thread::sleep(Duration::from_secs(HEADER_TIMEOUT_SECS + 1));
    let closed_late = count_closed(&mut held);
    eprintln!("closed after the header timeout: {closed_late} of {HALF_OPEN}");
    assert_eq!(closed_late, HALF_OPEN);
    drop(held);
    let (code, _) = get_as_device(&lab, 0, "/").expect("device 0 again");
    assert_eq!(code, 200);

    // Slowloris: a header line every 500 ms keeps bytes coming but never ends the head.
    let lasted = lab
        .in_netns(&lab.devices()[0], || {
            let mut s = TcpStream::connect(WEB).expect("connect");
            let t = Instant::now();
            s.write_all(b"GET / HTTP/1.1\r\nHost: 192.0.2.1:8080\r\n")
                .unwrap();
            for i in 0..40 {
                std::thread::sleep(Duration::from_millis(500));
                if s.write_all(format!("X-Slow-{i}: 1\r\n").as_bytes())
                    .is_err()
                    || closed(&mut s)
                {
                    return t.elapsed();
                }
                s.set_nonblocking(false).unwrap();
            }
            t.elapsed()
        })
        .expect("slowloris");
    eprintln!("a slowloris connection was closed after {lasted:?}");
    assert!(
        lasted >= Duration::from_secs(HEADER_TIMEOUT_SECS - 1)
            && lasted < Duration::from_secs(HEADER_TIMEOUT_SECS + 2),
        "lasted {lasted:?}"
    );

    // Event streams: device 0 may hold 2, not more; device 1 still gets one.
    let open_stream = |dev: usize| {
        lab.in_netns(&lab.devices()[dev], || {
            let mut s = TcpStream::connect(WEB).unwrap();
            s.write_all(b"GET /api/v1/events HTTP/1.1\r\nHost: 192.0.2.1:8080\r\n\r\n")
                .unwrap();
            s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
            let mut head = [0u8; 12];
            s.read_exact(&mut head).unwrap();
            (String::from_utf8_lossy(&head[9..12]).into_owned(), s)
        })
        .unwrap()
    };
    let (a, _sa) = open_stream(0);
    let (b, _sb) = open_stream(0);
    let (c, _sc) = open_stream(0);
    let (e, _se) = open_stream(1);
    eprintln!("event streams: device 0 got {a}, {b}, {c}; device 1 got {e}");
    assert_eq!(
        (a.as_str(), b.as_str(), c.as_str(), e.as_str()),
        ("200", "200", "503", "200")
    );
}

/// One admin login attempt from `from` (an address of the device namespace `dev`): the status.
fn login_from(lab: &Lab, dev: usize, from: &str, password: &str) -> u16 {
    let from: std::net::SocketAddr = format!("{from}:0").parse().unwrap();
    let body = format!("password={}", password.replace(' ', "+"));
    lab.in_netns(&lab.devices()[dev], move || {
        let sock =
            socket2::Socket::new(socket2::Domain::IPV4, socket2::Type::STREAM, None).unwrap();
        sock.bind(&from.into()).unwrap();
        let to: std::net::SocketAddr = WEB.parse().unwrap();
        sock.connect(&to.into()).unwrap();
        let mut s: TcpStream = sock.into();
        s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
        write!(
            s,
            "POST /admin/login HTTP/1.0\r\nHost: {WEB}\r\nContent-Type: \
             application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n{body}",
            body.len()
        )
        .unwrap();
        let mut out = String::new();
        let _ = s.read_to_string(&mut out);
        out.split_whitespace()
            .nth(1)
            .and_then(|c| c.parse().ok())
            .unwrap_or(0)
    })
    .unwrap()
}

#[test]
fn login_failures_from_many_addresses_of_one_device_count_as_that_device() {
    const PASSWORD: &str = "correct horse battery";
    let lab = Lab::build(LabOptions {
        devices: 2,
        zones: vec![],
    })
    .expect("building the lab (needs root)");
    // Device 0 takes 18 more addresses on its one interface (one MAC).
    let extra: Vec<String> = (100..118).map(|i| format!("192.0.2.{i}")).collect();
    for a in &extra {
        let out = lab
            .command(&lab.devices()[0], "ip")
            .args(["addr", "add", &format!("{a}/24"), "dev", "eth0"])
            .output()
            .unwrap();
        assert!(out.status.success(), "{out:?}");
    }
    let d =
        Daemon::start(&lab, &format!("\n[admin]\npassword = \"{PASSWORD}\"\n")).expect("daemon");
    // The router learns each address's MAC (the daemon reads its neighbour table).
    for a in &extra {
        let out = lab
            .command(&lab.devices()[0], "busybox")
            .args(["ping", "-c", "1", "-W", "2", "-I", a, "192.0.2.1"])
            .output()
            .expect("busybox ping");
        assert!(out.status.success(), "ping from {a}: {out:?}");
    }
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let devices = d.get(&lab, "/api/v1/devices").unwrap().to_string();
        if extra.iter().all(|a| devices.contains(&format!("\"{a}\""))) {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "addresses not tied to the MAC: {devices}"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
    // One wrong password from each of the 18 addresses: the device is locked out after the
    // 5th, whichever address the rest come from.
    let codes: Vec<u16> = extra
        .iter()
        .map(|a| login_from(&lab, 0, a, "guess"))
        .collect();
    eprintln!("18 addresses of one device, one guess each: {codes:?}");
    assert_eq!(&codes[..5], &[401; 5], "{codes:?}");
    assert!(codes[5..].iter().all(|c| *c == 429), "{codes:?}");
    // The device's main address is locked out too; the other device logs in.
    assert_eq!(login_from(&lab, 0, "192.0.2.10", PASSWORD), 429);
    assert_eq!(login_from(&lab, 1, "192.0.2.11", PASSWORD), 303);
}
