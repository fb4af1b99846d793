//! The nftables table the blocks live in, driven through the `nft` program.
//!
//! One table of our own (family `inet`, `control.nft_table`, default `whereflow_control`),
//! separate from the appliance's firewall (`whereflow`, which `S30firewall` loads with
//! `flush ruleset` before the daemon starts):
//!
//! ```text
//! table inet whereflow_control {
//!     set blocked4 { type ipv4_addr; }            # blocked destinations
//!     set blocked6 { type ipv6_addr; }
//!     set killed4 { type inet_proto . ipv4_addr . ipv4_addr . inet_service . inet_service;
//!                   flags timeout; }               # ended connections, both directions
//!     set killed6 { ... ipv6_addr ... }
//!     chain forward {
//!         type filter hook forward priority filter - 10; policy accept;
//!         meta l4proto tcp meta l4proto . ip saddr . ip daddr . th sport . th dport @killed4
//!             reject with tcp reset
//!         meta l4proto . ip saddr . ip daddr . th sport . th dport @killed4
//!             reject with icmpx port-unreachable
//!         (the same for ip6 / @killed6)
//!         ip daddr @blocked4 meta l4proto tcp reject with tcp reset
//!         ip daddr @blocked4 reject with icmpx admin-prohibited
//!         ip saddr @blocked4 drop
//!         (the same for ip6 / @blocked6)
//!     }
//! }
//! ```
//!
//! Packets a device sends to a blocked address are refused at once (TCP with a reset, so
//! `connect()` fails with "connection refused" instead of hanging; others with an ICMP
//! "administratively prohibited"), connections already open to it included; packets from
//! it are dropped. Only forwarded traffic is touched: the appliance's own DNS and pages stay
//! reachable.
//!
//! Why the `nft` program and not netlink from Rust: the `nftables` crate is itself a wrapper
//! around the `nft` program's JSON interface (no gain), and the netlink crates for nf_tables
//! (`rustables`, `nftnl`) bind libnftnl or are unmaintained. Every run is one `nft -f -`
//! transaction (all of it or nothing), with a time limit, its error text reported.
//! Elements are added and removed one batch at a time; the table is replaced whole at
//! start ([`Nft::install`]) from the saved blocks.

use std::net::IpAddr;
use std::process::Stdio;
use std::time::Duration;

use tokio::io::AsyncWriteExt;

use super::config::ControlConfig;
use crate::model::Proto;

/// Longest error text kept from `nft` (its messages repeat the whole failing line).
const MAX_ERROR: usize = 600;

/// Why an `nft` run failed.
#[derive(Debug, thiserror::Error)]
pub enum NftError {
    /// The program could not be started (not installed, not in `PATH`).
    #[error("cannot run `{command}` (control.nft_command): {source}")]
    Spawn {
        /// The program.
        command: String,
        /// Why.
        source: std::io::Error,
    },
    /// It did not finish in time (it was killed).
    #[error("`nft` did not finish within {0:?} (control.nft_timeout_ms)")]
    Timeout(Duration),
    /// It refused the commands (its own message; "Operation not permitted" means the daemon
    /// lacks CAP_NET_ADMIN).
    #[error("nft refused: {0}")]
    Refused(String),
    /// Talking to it failed.
    #[error("talking to `nft`: {0}")]
    Io(#[from] std::io::Error),
}

/// One connection's packets to refuse: the original direction's tuple.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct KilledTuple {
    /// TCP or UDP.
    pub proto: Proto,
    /// Who opened it (the device).
    pub src: IpAddr,
    /// The other side.
    pub dst: IpAddr,
    /// The device's port.
    pub src_port: u16,
    /// The other side's port.
    pub dst_port: u16,
}

/// The `nft` program and our table.
#[derive(Clone, Debug)]
pub struct Nft {
    command: String,
    table: String,
    timeout: Duration,
    kill_secs: u32,
}

impl Nft {
    /// As configured in `[control]`.
    pub fn new(cfg: &ControlConfig) -> Nft {
        Nft {
            command: cfg.nft_command.clone(),
            table: cfg.nft_table.clone(),
            timeout: cfg.nft_timeout(),
            kill_secs: cfg.kill_reject_secs,
        }
    }

    /// The table's name (`inet <name>`).
    pub fn table(&self) -> &str {
        &self.table
    }

    /// The script that (re)creates the table holding `addrs` in its block sets: the table is
    /// made if missing, deleted and defined anew, in one transaction.
    pub fn install_script(&self, addrs: &[IpAddr]) -> String {
        let t = &self.table;
        let (v4, v6) = split(addrs);
        let elements = |list: &[String]| {
            if list.is_empty() {
                String::new()
            } else {
                format!(" elements = {{ {} }};", list.join(", "))
            }
        };
        let tuple4 = "meta l4proto . ip saddr . ip daddr . th sport . th dport";
        let tuple6 = "meta l4proto . ip6 saddr . ip6 daddr . th sport . th dport";
        format!(
            "table inet {t} {{}}\n\
             delete table inet {t}\n\
             table inet {t} {{\n\
             \tset blocked4 {{ type ipv4_addr;{e4} }}\n\
             \tset blocked6 {{ type ipv6_addr;{e6} }}\n\
             \tset killed4 {{ type inet_proto . ipv4_addr . ipv4_addr . inet_service . inet_service; flags timeout; }}\n\
             \tset killed6 {{ type inet_proto . ipv6_addr . ipv6_addr . inet_service . inet_service; flags timeout; }}\n\
             \tchain forward {{\n\
             \t\ttype filter hook forward priority filter - 10; policy accept;\n\
             \t\tmeta l4proto tcp {tuple4} @killed4 reject with tcp reset\n\
             \t\t{tuple4} @killed4 reject with icmpx port-unreachable\n\
             \t\tmeta l4proto tcp {tuple6} @killed6 reject with tcp reset\n\
             \t\t{tuple6} @killed6 reject with icmpx port-unreachable\n\
             \t\tip daddr @blocked4 meta l4proto tcp reject with tcp reset\n\
             \t\tip daddr @blocked4 reject with icmpx admin-prohibited\n\
             \t\tip saddr @blocked4 drop\n\
             \t\tip6 daddr @blocked6 meta l4proto tcp reject with tcp reset\n\
             \t\tip6 daddr @blocked6 reject with icmpx admin-prohibited\n\
             \t\tip6 saddr @blocked6 drop\n\
             \t}}\n\
             }}\n",
            e4 = elements(&v4),
            e6 = elements(&v6),
        )
    }

    /// (Re)create the table with `addrs` blocked.
    pub async fn install(&self, addrs: &[IpAddr]) -> Result<(), NftError> {
        self.run(&self.install_script(addrs)).await
    }

    /// Remove the table (controls switched off). A missing table is not an error.
    pub async fn uninstall(&self) -> Result<(), NftError> {
        let t = &self.table;
        self.run(&format!("table inet {t} {{}}\ndelete table inet {t}\n"))
            .await
    }

    /// The script that adds (`add = true`) or removes `addrs` from the block sets; `None`
    /// when there is nothing to do.
    pub fn elements_script(&self, addrs: &[IpAddr], add: bool) -> Option<String> {
        let verb = if add { "add" } else { "delete" };
        let (v4, v6) = split(addrs);
        let mut out = String::new();
        for (set, list) in [("blocked4", v4), ("blocked6", v6)] {
            // Batches keep each line of a large change a sensible length.
            for chunk in list.chunks(1_000) {
                out.push_str(&format!(
                    "{verb} element inet {} {set} {{ {} }}\n",
                    self.table,
                    chunk.join(", ")
                ));
            }
        }
        (!out.is_empty()).then_some(out)
    }

    /// Add addresses to the block sets (adding one already there is fine).
    pub async fn add(&self, addrs: &[IpAddr]) -> Result<(), NftError> {
        match self.elements_script(addrs, true) {
            Some(s) => self.run(&s).await,
            None => Ok(()),
        }
    }

    /// Remove addresses from the block sets. Removing one that is not there fails the whole
    /// run: the caller then re-installs the table from what it knows.
    pub async fn remove(&self, addrs: &[IpAddr]) -> Result<(), NftError> {
        match self.elements_script(addrs, false) {
            Some(s) => self.run(&s).await,
            None => Ok(()),
        }
    }

    /// The script that refuses an ended connection's packets, both directions, for
    /// `control.kill_reject_secs`; `None` for protocols without ports (nothing to match).
    pub fn kill_script(&self, k: &KilledTuple) -> Option<String> {
        let proto = match k.proto {
            Proto::Tcp => "tcp",
            Proto::Udp => "udp",
            _ => return None,
        };
        let set = match (k.src, k.dst) {
            (IpAddr::V4(_), IpAddr::V4(_)) => "killed4",
            (IpAddr::V6(_), IpAddr::V6(_)) => "killed6",
            _ => return None,
        };
        let secs = self.kill_secs;
        Some(format!(
            "add element inet {t} {set} {{ {proto} . {s} . {d} . {sp} . {dp} timeout {secs}s, \
             {proto} . {d} . {s} . {dp} . {sp} timeout {secs}s }}\n",
            t = self.table,
            s = k.src,
            d = k.dst,
            sp = k.src_port,
            dp = k.dst_port,
        ))
    }

    /// Refuse an ended connection's packets for a while; `Ok(false)` when its protocol has
    /// no ports to match.
    pub async fn kill(&self, k: &KilledTuple) -> Result<bool, NftError> {
        match self.kill_script(k) {
            Some(s) => self.run(&s).await.map(|()| true),
            None => Ok(false),
        }
    }

    /// Run `script` as one `nft -f -` transaction within the time limit.
    pub async fn run(&self, script: &str) -> Result<(), NftError> {
        let mut child = tokio::process::Command::new(&self.command)
            .args(["-f", "-"])
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .map_err(|source| NftError::Spawn {
                command: self.command.clone(),
                source,
            })?;
        let run = async {
            if let Some(mut stdin) = child.stdin.take() {
                // A program that exits without reading: its exit status tells why.
                match stdin.write_all(script.as_bytes()).await {
                    Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => return Err(e),
                    _ => {}
                }
                // Dropping it closes nft's input.
            }
            let mut stderr = Vec::new();
            if let Some(mut err) = child.stderr.take() {
                use tokio::io::AsyncReadExt;
                // Bounded: nft's messages are short; more is cut.
                let mut limited = (&mut err).take(64 * 1024);
                limited.read_to_end(&mut stderr).await?;
            }
            let status = child.wait().await?;
            Ok::<_, std::io::Error>((status, stderr))
        };
        let (status, stderr) = match tokio::time::timeout(self.timeout, run).await {
            Ok(r) => r?,
            Err(_) => return Err(NftError::Timeout(self.timeout)),
        };
        if status.success() {
            return Ok(());
        }
        let text = String::from_utf8_lossy(&stderr);
        let mut text = text.split_whitespace().collect::<Vec<_>>().join(" ");
        if text.is_empty() {
            text = format!("exit status {status}");
        }
        if text.len() > MAX_ERROR {
            let mut cut = MAX_ERROR;
            while !text.is_char_boundary(cut) {
                cut -= 1;
            }
            text.truncate(cut);
            text.push('…');
        }
        Err(NftError::Refused(text))
    }
}

/// IPv4 and IPv6 addresses as `nft` text (IPv4-mapped IPv6 as IPv4).
fn split(addrs: &[IpAddr]) -> (Vec<String>, Vec<String>) {
    let mut v4 = Vec::new();
    let mut v6 = Vec::new();
    for a in addrs {
        match a.to_canonical() {
            IpAddr::V4(x) => v4.push(x.to_string()),
            IpAddr::V6(x) => v6.push(x.to_string()),
        }
    }
    (v4, v6)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nft() -> Nft {
        Nft::new(&ControlConfig::default())
    }

    fn ips(list: &[&str]) -> Vec<IpAddr> {
        list.iter().map(|s| s.parse().unwrap()).collect()
    }

    #[test]
    fn install_script_replaces_the_table_with_the_addresses() {
        let s = nft().install_script(&ips(&[
            "203.0.113.5",
            "2001:db8:2::5",
            "::ffff:198.51.100.9",
        ]));
        assert!(
            s.starts_with("table inet whereflow_control {}\ndelete table inet whereflow_control\n")
        );
        assert!(
            s.contains(
                "set blocked4 { type ipv4_addr; elements = { 203.0.113.5, 198.51.100.9 }; }"
            ),
            "{s}"
        );
        assert!(
            s.contains("set blocked6 { type ipv6_addr; elements = { 2001:db8:2::5 }; }"),
            "{s}"
        );
        let empty = nft().install_script(&[]);
        assert!(
            empty.contains("set blocked4 { type ipv4_addr; }"),
            "{empty}"
        );
    }

    #[test]
    fn element_and_kill_scripts() {
        let n = nft();
        assert_eq!(n.elements_script(&[], true), None);
        assert_eq!(
            n.elements_script(&ips(&["203.0.113.5", "2001:db8:2::5"]), false)
                .unwrap(),
            "delete element inet whereflow_control blocked4 { 203.0.113.5 }\n\
             delete element inet whereflow_control blocked6 { 2001:db8:2::5 }\n"
        );
        let many: Vec<IpAddr> = (0..2_500u32)
            .map(|i| IpAddr::V4(std::net::Ipv4Addr::from(0xCB00_7100 + i)))
            .collect();
        assert_eq!(n.elements_script(&many, true).unwrap().lines().count(), 3);
        let k = KilledTuple {
            proto: Proto::Tcp,
            src: "192.0.2.10".parse().unwrap(),
            dst: "203.0.113.5".parse().unwrap(),
            src_port: 40_000,
            dst_port: 443,
        };
        assert_eq!(
            n.kill_script(&k).unwrap(),
            "add element inet whereflow_control killed4 { tcp . 192.0.2.10 . 203.0.113.5 . 40000 . 443 timeout 120s, \
             tcp . 203.0.113.5 . 192.0.2.10 . 443 . 40000 timeout 120s }\n"
        );
        assert_eq!(
            n.kill_script(&KilledTuple {
                proto: Proto::Icmp,
                ..k
            }),
            None
        );
    }

    #[tokio::test]
    async fn a_missing_program_and_a_refusal_are_reported() {
        let mut n = nft();
        n.command = "/nonexistent/nft".into();
        let e = n.run("list ruleset\n").await.unwrap_err();
        assert!(matches!(e, NftError::Spawn { .. }), "{e}");
        // `false` reads nothing and fails: a refusal with its exit status.
        n.command = "false".into();
        let e = n.run("x\n").await.unwrap_err();
        assert!(matches!(e, NftError::Refused(_)), "{e}");
        // A program that hangs is killed at the limit and reported.
        let dir = std::env::temp_dir().join(format!("wf-nft-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let script = dir.join("slow-nft");
        std::fs::write(&script, "#!/bin/sh\nexec sleep 30\n").unwrap();
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
        n.command = script.display().to_string();
        n.timeout = Duration::from_millis(200);
        let t = std::time::Instant::now();
        let e = n.run("").await.unwrap_err();
        assert!(matches!(e, NftError::Timeout(_)), "{e}");
        assert!(t.elapsed() < Duration::from_secs(5));
        let _ = std::fs::remove_dir_all(&dir);
    }
}
