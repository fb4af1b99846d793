//! Devices known by MAC address, end to end on the namespace lab: a real dnsmasq (DHCP only)
//! in the router namespace leases an address to a device with a real vendor prefix and a host
//! name, and the kernel's neighbour table identifies a device with a static address after it
//! pinged the router. `/api/v1/devices` must name both — and show no MAC address anywhere.
//!
//! Needs root, dnsmasq (Debian `dnsmasq-base`) and busybox (its `udhcpc` and `ping`), which
//! `scripts/install-deps.sh` installs. Nothing leaves the lab.

mod common;

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::Daemon;
use serde_json::Value;
use whereflow_lab::{Lab, LabOptions, Zone};

/// Device 0's MAC: a Raspberry Pi prefix (IEEE MA-L B8:27:EB), so it has a vendor.
const PI_MAC: &str = "b8:27:eb:00:00:0a";
const HOSTNAME: &str = "alice-laptop";

/// dnsmasq in the router namespace, stopped on drop (the lab would kill it too).
struct Dnsmasq {
    child: Child,
    log: PathBuf,
}

impl Dnsmasq {
    fn start(lab: &Lab, leases: &Path) -> Dnsmasq {
        let log = lab.dir().join("dnsmasq.log");
        let out = std::fs::File::create(&log).unwrap();
        let child = lab
            .command(lab.router(), "dnsmasq")
            .args([
                "--keep-in-foreground",
                "--conf-file=/dev/null",
                // DHCP only: no DNS (whereflow answers DNS).
                "--port=0",
                "--interface=br0",
                "--bind-interfaces",
                "--dhcp-authoritative",
                "--no-ping",
                "--dhcp-range=192.0.2.100,192.0.2.200,255.255.255.0,1h",
                // The device keeps the address it has (what its flows come from).
                &format!("--dhcp-host={PI_MAC},192.0.2.10"),
                &format!("--dhcp-leasefile={}", leases.display()),
                "--pid-file=",
                "--user=root",
                "--group=root",
                "--log-facility=-",
                "--log-dhcp",
            ])
            .stdin(Stdio::null())
            .stdout(out.try_clone().unwrap())
            .stderr(out)
            .spawn()
            .expect("starting dnsmasq (install dnsmasq-base: scripts/install-deps.sh)");
        Dnsmasq { child, log }
    }

    fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }
}

impl Drop for Dnsmasq {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn run_ok(cmd: &mut Command, what: &str) -> String {
    let out = cmd.output().unwrap_or_else(|e| panic!("{what}: {e}"));
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.status.success(),
        "{what} failed ({}):\n{text}",
        out.status
    );
    text
}

fn row<'a>(devices: &'a [Value], ip: &str) -> Option<&'a Value> {
    devices.iter().find(|d| d["ip"] == ip)
}

/// The MAC in every spelling a leak could take.
fn spellings(mac: &str) -> Vec<String> {
    let lower = mac.to_ascii_lowercase();
    vec![
        lower.clone(),
        lower.replace(':', "-"),
        lower.replace(':', ""),
        lower.replace(':', "."),
    ]
}

#[test]
fn dhcp_host_name_vendor_and_neighbour_table_name_devices_without_showing_macs() {
    let zones = vec![Zone::new("example.test").a("www", "203.0.113.10")];
    let mut lab =
        Lab::build(LabOptions { devices: 2, zones }).expect("building the lab (needs root)");
    lab.set_device_mac(0, PI_MAC).unwrap();
    let leases = lab.dir().join("dnsmasq.leases");
    let dnsmasq = Dnsmasq::start(&lab, &leases);
    // Host names on for the group views (a home network), so `/api/v1/devices` shows them
    // to everyone; the default (pseudonyms) is `lab_names.rs`'s.
    let extra = format!(
        "group_names = \"hostname\"\n[devices]\ndnsmasq_leases = \"{}\"\nneighbours = true\n",
        leases.display()
    );
    let daemon = Daemon::start(&lab, &extra).unwrap();

    // Device 0 asks for a lease with its host name (the script does nothing: the address it
    // has is the one dnsmasq hands out for its MAC).
    let d0 = lab.devices()[0].clone();
    let mut leased = false;
    for _ in 0..3 {
        let out = lab
            .command(&d0, "busybox")
            .args([
                "udhcpc",
                "-i",
                "eth0",
                "-f",
                "-q",
                "-n",
                "-t",
                "4",
                "-T",
                "1",
                "-s",
                "/bin/true",
                "-r",
                "192.0.2.10",
                "-x",
            ])
            .arg(format!("hostname:{HOSTNAME}"))
            .output()
            .expect("running busybox udhcpc (install busybox: scripts/install-deps.sh)");
        if out.status.success() {
            leased = true;
            break;
        }
        std::thread::sleep(Duration::from_millis(500));
    }
    let lease_text = std::fs::read_to_string(&leases).unwrap_or_default();
    assert!(
        leased && lease_text.contains(HOSTNAME),
        "no lease with the host name; lease file:\n{lease_text}\ndnsmasq:\n{}",
        dnsmasq.log()
    );
    // It also uses the network (so the correlator knows it too).
    let addrs = lab
        .resolve(
            0,
            SocketAddr::from(([192, 0, 2, 1], 53)),
            "www.example.test",
            "A",
            false,
        )
        .unwrap();
    assert_eq!(
        addrs,
        vec!["203.0.113.10".parse::<std::net::IpAddr>().unwrap()]
    );

    // Device 1 has a static address and only pings the router (IPv4 and IPv6).
    let d1 = lab.devices()[1].clone();
    run_ok(
        lab.command(&d1, "busybox")
            .args(["ping", "-c", "1", "-W", "2", "192.0.2.1"]),
        "ping from device 1",
    );
    run_ok(
        lab.command(&d1, "busybox")
            .args(["ping6", "-c", "1", "-W", "2", "2001:db8:1::1"]),
        "ping6 from device 1",
    );

    let deadline = Instant::now() + Duration::from_secs(15);
    let devices = loop {
        let v = daemon.get(&lab, "/api/v1/devices").unwrap();
        let list = v["devices"].as_array().cloned().unwrap_or_default();
        let named = row(&list, "192.0.2.10").is_some_and(|d| d["name"] == HOSTNAME);
        if named && row(&list, "192.0.2.11").is_some() {
            break list;
        }
        assert!(
            Instant::now() < deadline,
            "devices not identified in 15 s:\n{}\nlog:\n{}",
            serde_json::to_string_pretty(&v).unwrap_or_default(),
            daemon.log()
        );
        std::thread::sleep(Duration::from_millis(200));
    };
    let shown = serde_json::to_string_pretty(&devices).unwrap();

    // DHCP: host name, vendor from the MAC prefix; the DNS answer counted on the same row.
    let pi = row(&devices, "192.0.2.10").unwrap();
    assert_eq!(pi["name"], HOSTNAME, "{shown}");
    assert_eq!(pi["hostname"], HOSTNAME, "{shown}");
    assert_eq!(pi["vendor"], "Raspberry Pi", "{shown}");
    assert_eq!(pi["randomised_mac"], false, "{shown}");
    assert_eq!(pi["nickname"], Value::Null, "{shown}");
    assert!(pi["dns_answers"].as_u64().unwrap_or(0) >= 1, "{shown}");

    // Neighbour table: the lab's 02:77:66:... address is locally administered ("randomised").
    let static_dev = row(&devices, "192.0.2.11").unwrap();
    // No host name: its pseudonym ("Blue Otter"), never its address.
    assert_eq!(static_dev["name"], static_dev["pseudonym"], "{shown}");
    assert!(
        static_dev["name"]
            .as_str()
            .is_some_and(|n| n.split(' ').count() == 2 && !n.contains('.')),
        "{shown}"
    );
    assert_eq!(static_dev["vendor"], "randomised", "{shown}");
    assert_eq!(static_dev["randomised_mac"], true, "{shown}");
    assert_eq!(static_dev["hostname"], Value::Null, "{shown}");
    // Its IPv6 address is the same device: listed once, at its IPv4 address.
    assert!(row(&devices, "2001:db8:1::b").is_none(), "{shown}");
    // The upstream router is a neighbour on the WAN side, not a device.
    assert!(row(&devices, "198.51.100.2").is_none(), "{shown}");

    // No MAC address, in any spelling, anywhere the API shows devices.
    let mut everything = shown.to_ascii_lowercase();
    for path in ["/api/v1/status", "/api/v1/dns", "/api/v1/flows"] {
        let v = daemon.get(&lab, path).unwrap();
        everything.push_str(&v.to_string().to_ascii_lowercase());
    }
    for mac in [PI_MAC.to_string(), lab.devices()[1].mac.clone()] {
        for s in spellings(&mac) {
            assert!(!everything.contains(&s), "{s} is shown:\n{everything}");
        }
    }

    // The status page counts what the device thread read.
    let status = daemon.get(&lab, "/api/v1/status").unwrap();
    assert!(
        status["devices"]["lease_reads"].as_u64().unwrap_or(0) >= 1,
        "{status}"
    );
    assert!(
        status["devices"]["neighbour_dumps"].as_u64().unwrap_or(0) >= 1,
        "{status}"
    );
    assert_eq!(status["devices"]["lease_bad_lines"], 0, "{status}");

    // Nicknames are kept by MAC in the store and come back after a restart. (The page that
    // sets one is the web's; here the store is written directly while the daemon is down.)
    // The writer commits every 500 ms: let the identities reach the disk first.
    std::thread::sleep(Duration::from_millis(1200));
    daemon.kill_keep_data();
    let data = std::env::temp_dir()
        .join(format!(
            "wf-daemon-{}-{}",
            std::process::id(),
            lab.router().netns
        ))
        .join("data");
    {
        let store = whereflow::store::Store::open(&data).unwrap();
        assert_eq!(
            store.known_devices(10).unwrap().len(),
            2,
            "both devices were saved by MAC"
        );
        store
            .save_nickname(PI_MAC.parse().unwrap(), Some("Alice's Pi"))
            .unwrap();
    }
    let daemon = Daemon::start(&lab, &extra).unwrap();
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        let v = daemon.get(&lab, "/api/v1/devices").unwrap();
        let list = v["devices"].as_array().cloned().unwrap_or_default();
        if let Some(pi) = row(&list, "192.0.2.10") {
            if pi["name"] == "Alice's Pi" {
                assert_eq!(pi["nickname"], "Alice's Pi", "{v}");
                assert_eq!(pi["hostname"], HOSTNAME, "{v}");
                break;
            }
        }
        assert!(
            Instant::now() < deadline,
            "nickname not back after restart:\n{v}\nlog:\n{}",
            daemon.log()
        );
        std::thread::sleep(Duration::from_millis(200));
    }
}

#[test]
fn missing_lease_file_is_a_warning_not_an_error() {
    let lab = Lab::build(LabOptions {
        devices: 1,
        zones: Vec::new(),
    })
    .expect("building the lab (needs root)");
    let missing = lab.dir().join("no-such-dir/dnsmasq.leases");
    let extra = format!("[devices]\ndnsmasq_leases = \"{}\"\n", missing.display());
    let daemon = Daemon::start(&lab, &extra).unwrap();
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let status = daemon.get(&lab, "/api/v1/status").unwrap();
        let warned = status["warnings"].as_array().is_some_and(|w| {
            w.iter()
                .any(|m| m.as_str().is_some_and(|m| m.contains("dnsmasq_leases")))
        });
        if warned {
            break;
        }
        assert!(Instant::now() < deadline, "no warning: {status}");
        std::thread::sleep(Duration::from_millis(200));
    }
    // Still serving.
    daemon.get(&lab, "/api/v1/devices").unwrap();
}
