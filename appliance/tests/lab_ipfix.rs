//! IPFIX export checked by real collectors, on the lab: the daemon runs in the router
//! namespace with `[export] ipfix` set; pmacct's `nfacctd` (Debian's `pmacct`) listens on the
//! uplink's side (the lab's internet namespace, where a district's server would be) with
//! whereflow's primitives file (docs/ipfix/whereflow-primitives.lst) and its print plugin
//! writing JSON; devices look names up and connect; nfacctd's own output must hold each
//! flow with the name asked, the organization, the tracker flag, the device's pseudonym and
//! the byte counts both ways that the daemon's API shows.
//!
//! nfacctd takes IPFIX over UDP only, so the TCP transport is checked with Wireshark's
//! decoder instead: `tcpdump` records the stream to a plain TCP listener and `tshark`
//! decodes it as IPFIX (templates once at the start, then the records).
//! Needs root (network namespaces), `nfacctd`, `tcpdump` and `tshark`
//! (scripts/install-deps.sh).

mod common;

use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use common::{find, Daemon};
use hickory_proto::rr::RecordType;
use serde_json::Value;
use whereflow_lab::{Lab, LabOptions, Zone, INTERNET_V4};

const NAMES: [(&str, &str); 2] = [
    ("www.google.com", "203.0.113.50"),
    ("googleads.g.doubleclick.net", "203.0.113.52"),
];

fn lab() -> Lab {
    let lab = Lab::build(LabOptions {
        devices: 2,
        zones: vec![
            Zone::new("com").a("www.google", "203.0.113.50"),
            Zone::new("net").a("googleads.g.doubleclick", "203.0.113.52"),
        ],
    })
    .expect("building the lab (needs root)");
    // A closed connection leaves conntrack's table after TIME_WAIT (2 min by default): 1 s
    // here, so the flows end (and are exported as ended) within the test.
    let out = lab
        .command(lab.router(), "sysctl")
        .args(["-w", "net.netfilter.nf_conntrack_tcp_timeout_time_wait=1"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    lab
}

fn scratch(tag: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("wf-ipfix-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn primitives() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/ipfix/whereflow-primitives.lst")
}

/// A child process killed on drop.
struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// A connection that lasts ~4.5 s: the 4-byte reply size (40,000), then 1,500 bytes a
/// second for 4 s, so its counters change at several conntrack dumps (periodic records with
/// `export.active_timeout_secs = 1`); then the reply is read. Returns the client's port.
fn slow_exchange(lab: &Lab, device: usize, to: std::net::SocketAddr) -> u16 {
    let netns = lab.devices()[device].netns.clone();
    whereflow_lab::in_netns(&netns, move || {
        use std::io::{Read, Write};
        let mut s = std::net::TcpStream::connect_timeout(&to, Duration::from_secs(3)).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
        let port = s.local_addr().unwrap().port();
        s.write_all(&40_000u32.to_be_bytes()).unwrap();
        for _ in 0..4 {
            s.write_all(&[0xa5; 1_500]).unwrap();
            std::thread::sleep(Duration::from_millis(1_100));
        }
        s.shutdown(std::net::Shutdown::Write).unwrap();
        let mut buf = Vec::new();
        s.read_to_end(&mut buf).unwrap();
        assert_eq!(buf.len(), 40_000);
        port
    })
    .unwrap()
}

/// A lab client's flow: the device's address, the remote one, the port the client's socket
/// had, and the daemon's view of the flow once it ended.
type Flow = (String, String, u16, Value);

/// Devices 0 and 1 look up a name each and exchange bytes with it; then the daemon's view
/// of the two flows once both have ended.
fn traffic(lab: &Lab, d: &Daemon) -> Vec<Flow> {
    let _server = lab.tcp_server(443).expect("tcp server");
    let mut ports = Vec::new();
    for (i, (name, ip)) in NAMES.iter().enumerate() {
        lab.query(
            i,
            "192.0.2.1:53".parse().unwrap(),
            &format!("{name}."),
            RecordType::A,
            false,
        )
        .expect("query");
        let to: std::net::SocketAddr = format!("{ip}:443").parse().unwrap();
        ports.push(if i == 0 {
            lab.tcp_exchange(i, to, 3_000, 40_000)
                .expect("exchange")
                .local
                .port()
        } else {
            slow_exchange(lab, i, to)
        });
    }
    NAMES
        .iter()
        .enumerate()
        .zip(ports)
        .map(|((i, (_, ip)), port)| {
            let dev = lab.devices()[i].ipv4.to_string();
            let flow = d
                .wait_for(lab, Duration::from_secs(20), |flows| {
                    find(flows, &dev, ip, 443)
                        .filter(|f| f["state"] == "closed")
                        .cloned()
                })
                .expect("the flow ends");
            // The API shows the port the client's socket had.
            assert_eq!(flow["local_port"].as_u64(), Some(u64::from(port)), "{flow}");
            (dev, ip.to_string(), port, flow)
        })
        .collect()
}

/// nfacctd prints its own counters as numbers, custom unsigned primitives as strings.
fn uint(v: &Value) -> u64 {
    v.as_u64()
        .or_else(|| v.as_str().and_then(|s| s.parse().ok()))
        .unwrap_or(0)
}

#[test]
fn nfacctd_collects_named_flows_over_udp() {
    let lab = lab();
    let dir = scratch("udp");
    let out = dir.join("flows.json");
    let config = format!(
        "daemonize: false\nnfacctd_ip: {INTERNET_V4}\nnfacctd_port: 4739\n\
         aggregate_primitives: {}\nplugins: print\n\
         aggregate: dst_host, src_port, dst_port, proto, wf_domain, wf_registrable, wf_org, wf_category, \
         wf_tracker, wf_device, wf_rev_bytes, wf_rev_packets, wf_end_reason\n\
         print_output: json\nprint_output_file: {}\nprint_output_file_append: true\n\
         print_refresh_time: 1\n",
        primitives().display(),
        out.display()
    );
    std::fs::write(dir.join("nfacctd.conf"), config).unwrap();
    let log = std::fs::File::create(dir.join("nfacctd.log")).unwrap();
    let _nfacctd = Running(
        lab.command(lab.internet(), "nfacctd")
            .arg("-f")
            .arg(dir.join("nfacctd.conf"))
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .expect("nfacctd (Debian package pmacct; scripts/install-deps.sh)"),
    );
    std::thread::sleep(Duration::from_millis(500));
    let d = Daemon::start(
        &lab,
        &format!("[export]\nipfix = [\"udp://{INTERNET_V4}:4739\"]\ntemplate_refresh_secs = 5\nactive_timeout_secs = 1\n"),
    )
    .expect("daemon");
    let flows = traffic(&lab, &d);

    // nfacctd's own output, once both flows are in it.
    let deadline = Instant::now() + Duration::from_secs(20);
    let rows: Vec<Value> = loop {
        let text = std::fs::read_to_string(&out).unwrap_or_default();
        let rows: Vec<Value> = text
            .lines()
            .filter_map(|l| serde_json::from_str(l).ok())
            .collect();
        // Each flow's end record is in (periodic ones may come before it).
        let have = |ip: &str| {
            rows.iter()
                .any(|r| r["ip_dst"] == ip && uint(&r["wf_end_reason"]) == 3)
        };
        if flows.iter().all(|(_, ip, _, _)| have(ip)) {
            break rows;
        }
        assert!(
            Instant::now() < deadline,
            "nfacctd's output lacks the flows: {text}\nnfacctd log:\n{}\ndaemon log:\n{}",
            std::fs::read_to_string(dir.join("nfacctd.log")).unwrap_or_default(),
            d.log()
        );
        std::thread::sleep(Duration::from_millis(250));
    };
    eprintln!(
        "nfacctd wrote:\n{}",
        serde_json::to_string_pretty(&rows).unwrap()
    );
    let expect = [
        ("www.google.com", "google.com", "Google", 0),
        (
            "googleads.g.doubleclick.net",
            "doubleclick.net",
            "Google",
            1,
        ),
    ];
    for ((dev, ip, port, flow), (name, reg, org, tracker)) in flows.iter().zip(expect) {
        let mine: Vec<&Value> = rows.iter().filter(|r| r["ip_dst"] == ip.as_str()).collect();
        let sum = |k: &str| mine.iter().map(|r| uint(&r[k])).sum::<u64>();
        eprintln!(
            "{ip}: {} records at nfacctd (end reasons {:?})",
            mine.len(),
            mine.iter()
                .map(|r| uint(&r["wf_end_reason"]))
                .collect::<Vec<_>>()
        );
        if name.starts_with("googleads") {
            assert!(
                mine.iter().any(|r| uint(&r["wf_end_reason"]) == 2),
                "the long flow has periodic records: {mine:?}"
            );
        }
        assert!(
            mine.iter()
                .all(|r| r["port_src"].as_u64() == Some(u64::from(*port))),
            "every record has the client's port {port}: {mine:?}"
        );
        let r = mine[0];
        assert_eq!(
            (
                r["wf_domain"].as_str(),
                r["wf_registrable"].as_str(),
                r["wf_org"].as_str(),
                uint(&r["wf_tracker"]),
                r["port_src"].as_u64(),
                r["port_dst"].as_u64(),
                r["ip_proto"].as_str(),
            ),
            (
                Some(name),
                Some(reg),
                Some(org),
                tracker,
                Some(u64::from(*port)),
                Some(443),
                Some("tcp")
            ),
            "{r}\n{flow}"
        );
        // Never a MAC, never the device's address (include_device_address is off): the
        // session pseudonym, "Colour Animal".
        let who = r["wf_device"].as_str().unwrap_or("");
        assert!(
            who.split(' ').count() >= 2 && !who.contains(':') && !who.contains(dev.as_str()),
            "{r}"
        );
        assert!(
            mine.iter().any(|r| uint(&r["wf_end_reason"]) == 3),
            "an end-of-flow record: {mine:?}"
        );
        // The bytes each way as conntrack counted them (the API's figures), summed over the
        // flow's records.
        assert_eq!(
            sum("bytes"),
            flow["bytes_up"].as_u64().unwrap(),
            "{flow}\n{mine:?}"
        );
        assert_eq!(
            sum("wf_rev_bytes"),
            flow["bytes_down"].as_u64().unwrap(),
            "{flow}\n{mine:?}"
        );
        assert!(sum("wf_rev_bytes") >= 40_000);
        assert_eq!(sum("packets"), flow["packets_up"].as_u64().unwrap());
    }
    let status = d.get(&lab, "/api/v1/status").unwrap();
    eprintln!("status: {status}");
    assert!(
        status["counters"]["export_sent"].as_u64().unwrap_or(0) >= 2,
        "{status}"
    );
    assert_eq!(status["counters"]["export_errors"], 0, "{status}");
    assert_eq!(status["counters"]["export_dropped"], 0, "{status}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn tshark_decodes_the_tcp_stream() {
    let lab = lab();
    let dir = scratch("tcp");
    // The daemon first, while nothing listens: the collector is reported unreachable, and
    // the connection is retried with backoff until the listener below is up.
    let d = Daemon::start(
        &lab,
        &format!("[export]\nipfix = [\"tcp://{INTERNET_V4}:4739\"]\n"),
    )
    .expect("daemon");
    let warned = |d: &Daemon| {
        let s = d.get(&lab, "/api/v1/status").unwrap();
        s["warnings"].as_array().is_some_and(|w| {
            w.iter().any(|w| {
                w.as_str()
                    .is_some_and(|w| w.contains("IPFIX collector tcp://"))
            })
        })
    };
    let deadline = Instant::now() + Duration::from_secs(10);
    while !warned(&d) {
        assert!(
            Instant::now() < deadline,
            "no warning about the collector\n{}",
            d.log()
        );
        std::thread::sleep(Duration::from_millis(200));
    }
    let s = d.get(&lab, "/api/v1/status").unwrap();
    assert!(
        s["counters"]["export_errors"].as_u64().unwrap_or(0) >= 1,
        "{s}"
    );
    let pcap = dir.join("ipfix.pcap");
    let _tcpdump = Running(
        lab.command(lab.internet(), "tcpdump")
            .args(["-i", "eth0", "--immediate-mode", "-U", "-w"])
            .arg(&pcap)
            .args(["tcp", "port", "4739"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("tcpdump"),
    );
    // tcpdump needs a moment before it captures.
    std::thread::sleep(Duration::from_millis(1_000));
    // A plain TCP listener on the uplink's side that takes whatever comes.
    let netns = lab.internet().netns.clone();
    let received = std::sync::Arc::new(std::sync::atomic::AtomicU64::new(0));
    let got = received.clone();
    let listener = std::thread::spawn(move || {
        whereflow_lab::in_netns(&netns, move || {
            use std::io::Read;
            let l = std::net::TcpListener::bind((INTERNET_V4, 4739)).unwrap();
            let (mut s, _) = l.accept().unwrap();
            let mut buf = [0u8; 4096];
            while let Ok(n) = s.read(&mut buf) {
                if n == 0 {
                    break;
                }
                got.fetch_add(n as u64, std::sync::atomic::Ordering::Relaxed);
            }
        })
    });
    // Reconnected (backoff 1, 2, 4 s…): the warning goes.
    let deadline = Instant::now() + Duration::from_secs(15);
    while warned(&d) {
        assert!(Instant::now() < deadline, "never reconnected\n{}", d.log());
        std::thread::sleep(Duration::from_millis(200));
    }
    let flows = traffic(&lab, &d);
    let deadline = Instant::now() + Duration::from_secs(10);
    let status = loop {
        let s = d.get(&lab, "/api/v1/status").unwrap();
        if s["counters"]["export_sent"].as_u64().unwrap_or(0) >= 2 || Instant::now() > deadline {
            break s;
        }
        std::thread::sleep(Duration::from_millis(200));
    };
    assert!(
        status["counters"]["export_sent"].as_u64().unwrap_or(0) >= 2,
        "{status}\n{}",
        d.log()
    );
    drop(d);
    let _ = listener.join();
    std::thread::sleep(Duration::from_millis(500));
    drop(_tcpdump);
    assert!(received.load(std::sync::atomic::Ordering::Relaxed) > 0);

    let out = std::process::Command::new("tshark")
        .args(["-n", "-r"])
        .arg(&pcap)
        .args(["-d", "tcp.port==4739,cflow", "-V"])
        .output()
        .expect("tshark (scripts/install-deps.sh)");
    let text = String::from_utf8_lossy(&out.stdout);
    std::fs::write(dir.join("decoded.txt"), text.as_bytes()).unwrap();
    eprintln!(
        "tshark decoded (saved in {}):\n{}",
        dir.display(),
        &text[..text.len().min(20_000)]
    );
    let templates = text
        .matches("FlowSet Id: Data Template (V10 [IPFIX]) (2)")
        .count();
    assert_eq!(
        templates, 1,
        "templates once, at the start of the connection"
    );
    for (_, ip, port, flow) in &flows {
        assert!(text.contains(&format!("DstAddr: {ip}")), "{ip}");
        // sourceTransportPort: the port the lab client's socket had.
        assert!(text.contains(&format!("SrcPort: {port}\n")), "{port}");
        assert!(
            text.contains(&format!("Octets: {}\n", flow["bytes_up"])),
            "{flow}"
        );
        assert!(
            text.contains(&format!(
                "Octets: {} (Reverse Type 1 BYTES)",
                flow["bytes_down"]
            )),
            "{flow}"
        );
    }
    // Wireshark knows nothing of PEN 32473's elements: it shows their bytes in hex, the
    // first 24 of them.
    for (name, _) in NAMES {
        let hex: Vec<String> = name.bytes().take(24).map(|b| format!("{b:02x}")).collect();
        assert!(
            text.contains(&format!("Type 101: Value (hex bytes): {}", hex.join(" "))),
            "{name}"
        );
    }
    assert_eq!(
        text.matches("Flow End Reason: End of Flow detected (3)")
            .count(),
        2
    );
    let _ = std::fs::remove_dir_all(&dir);
}
