//! `[dns]`: the forwarder every device uses.

use std::fmt;
use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::str::FromStr;
use std::time::Duration;

use serde::Deserialize;

use super::error::bad_domain;
use super::{invalid, ConfigError};
use crate::model::{Domain, HttpUrl};

/// `[dns]`: the forwarder every device uses.
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct DnsConfig {
    /// Addresses to answer on, UDP and TCP (IPv4 and IPv6).
    pub listen: Vec<SocketAddr>,
    /// Upstream servers, tried in order with failover: plain DNS, DNS over TLS or DNS over
    /// HTTPS ([`UpstreamSpec`]). Empty: the system's resolvers from `/etc/resolv.conf`.
    pub upstreams: Vec<UpstreamSpec>,
    /// A PEM file of extra trusted root certificates for encrypted upstreams (e.g. a
    /// school's own CA), besides the compiled-in Mozilla roots.
    pub tls_ca_file: Option<PathBuf>,
    /// The appliance's own name, answered locally.
    pub local_name: String,
    /// Addresses answered for `local_name`. Empty: the specific `listen` addresses.
    pub local_addresses: Vec<IpAddr>,
    /// Answer NXDOMAIN for `use-application-dns.net`, so Firefox keeps using this resolver.
    pub block_use_application_dns: bool,
    /// Answer NXDOMAIN for `mask.icloud.com` and `mask-h2.icloud.com` (iCloud Private Relay),
    /// so Apple devices keep using this resolver.
    pub block_icloud_private_relay: bool,
    /// How many answers the cache keeps.
    pub cache_size: usize,
    /// How long to wait for one upstream before trying the next, in milliseconds.
    pub upstream_timeout_ms: u64,
    /// Most TCP clients served at once; more are refused.
    pub max_tcp_connections: usize,
    /// A TCP client that sends nothing for this long is dropped, in milliseconds.
    pub tcp_idle_timeout_ms: u64,
    /// Most TCP connections one client address holds at once, so one device cannot take
    /// every slot of `max_tcp_connections`.
    pub max_tcp_connections_per_client: usize,
    /// UDP answers per second per client address (a burst of 4 seconds' worth); over it,
    /// every other question gets a small truncated answer (the client retries over TCP) and
    /// the rest none. Bounds what forged queries can send at a victim. 0: no limit.
    pub max_answers_per_client_per_sec: u32,
    /// Refuse upstream answers that map a public name to a private, loopback or link-local
    /// address or to the appliance's own (DNS rebinding), like dnsmasq's `stop-dns-rebind`.
    pub rebind_protection: bool,
    /// Domains (and their subdomains) allowed to answer private addresses anyway, e.g. a
    /// school intranet `intranet.school.example.org`.
    pub rebind_allow: Vec<String>,
}

impl Default for DnsConfig {
    fn default() -> Self {
        DnsConfig {
            listen: vec![SocketAddr::from(([127, 0, 0, 1], 5353))],
            upstreams: Vec::new(),
            tls_ca_file: None,
            local_name: "whereflow.lan".into(),
            local_addresses: Vec::new(),
            block_use_application_dns: true,
            block_icloud_private_relay: true,
            cache_size: 10_000,
            upstream_timeout_ms: 800,
            max_tcp_connections: 256,
            tcp_idle_timeout_ms: 5_000,
            max_tcp_connections_per_client: 16,
            max_answers_per_client_per_sec: 200,
            rebind_protection: true,
            rebind_allow: Vec::new(),
        }
    }
}

impl DnsConfig {
    /// Check the values; the error names the key.
    pub(crate) fn validate(&self) -> Result<(), ConfigError> {
        if self.listen.is_empty() {
            return Err(invalid("dns.listen", "config-need-address", []));
        }
        for (i, a) in self.listen.iter().enumerate() {
            if a.port() == 0 {
                return Err(invalid(
                    "dns.listen",
                    "config-address-port-zero",
                    [("address", a.to_string())],
                ));
            }
            if self.listen[..i].contains(a) {
                return Err(invalid(
                    "dns.listen",
                    "config-address-twice",
                    [("address", a.to_string())],
                ));
            }
        }
        for u in &self.upstreams {
            let ip = match u {
                UpstreamSpec::Plain(a) | UpstreamSpec::Tls { addr: a, .. } => Some(a.ip()),
                UpstreamSpec::Https { url, .. } => url.host_ip(),
            };
            if u.port() == 0 || ip.is_some_and(|ip| ip.is_unspecified()) {
                return Err(invalid(
                    "dns.upstreams",
                    "config-not-server",
                    [("server", u.to_string())],
                ));
            }
            if let UpstreamSpec::Plain(a) = u {
                if self.listen.contains(a) {
                    return Err(invalid(
                        "dns.upstreams",
                        "config-server-loops",
                        [("server", u.to_string())],
                    ));
                }
            }
        }
        if self
            .tls_ca_file
            .as_ref()
            .is_some_and(|p| p.as_os_str().is_empty())
        {
            return Err(invalid("dns.tls_ca_file", "config-empty-path-none", []));
        }
        self.local_domain()?;
        if self.cache_size == 0 || self.cache_size > 1_000_000 {
            return Err(invalid(
                "dns.cache_size",
                "config-between",
                [("min", "1".into()), ("max", "1000000".into())],
            ));
        }
        if !(50..=10_000).contains(&self.upstream_timeout_ms) {
            return Err(invalid(
                "dns.upstream_timeout_ms",
                "config-between",
                [("min", "50".into()), ("max", "10000".into())],
            ));
        }
        if self.max_tcp_connections == 0 || self.max_tcp_connections > 65_536 {
            return Err(invalid(
                "dns.max_tcp_connections",
                "config-between",
                [("min", "1".into()), ("max", "65536".into())],
            ));
        }
        if !(100..=120_000).contains(&self.tcp_idle_timeout_ms) {
            return Err(invalid(
                "dns.tcp_idle_timeout_ms",
                "config-between",
                [("min", "100".into()), ("max", "120000".into())],
            ));
        }
        if self.max_tcp_connections_per_client == 0
            || self.max_tcp_connections_per_client > self.max_tcp_connections
        {
            return Err(invalid(
                "dns.max_tcp_connections_per_client",
                "config-at-most-key-value",
                [
                    ("other", "dns.max_tcp_connections".into()),
                    ("max", self.max_tcp_connections.to_string()),
                ],
            ));
        }
        if self.max_answers_per_client_per_sec > 1_000_000 {
            return Err(invalid(
                "dns.max_answers_per_client_per_sec",
                "config-at-most-off",
                [("max", "1000000".into())],
            ));
        }
        self.rebind_allow_domains()?;
        Ok(())
    }

    /// `rebind_allow`, checked.
    pub fn rebind_allow_domains(&self) -> Result<Vec<Domain>, ConfigError> {
        if self.rebind_allow.len() > 1_000 {
            return Err(invalid(
                "dns.rebind_allow",
                "config-at-most-domains",
                [("max", "1000".into())],
            ));
        }
        self.rebind_allow
            .iter()
            .map(|d| {
                Domain::new(d).map_err(|e| bad_domain("dns.rebind_allow", &format!("{d:?}"), &e))
            })
            .collect()
    }

    /// The appliance's own name, checked.
    pub fn local_domain(&self) -> Result<Domain, ConfigError> {
        Domain::new(&self.local_name)
            .map_err(|e| bad_domain("dns.local_name", &format!("{:?}", self.local_name), &e))
    }

    /// Addresses to answer for the appliance's own name.
    pub fn own_addresses(&self) -> Vec<IpAddr> {
        if !self.local_addresses.is_empty() {
            return self.local_addresses.clone();
        }
        let mut out: Vec<IpAddr> = Vec::new();
        for a in &self.listen {
            if !a.ip().is_unspecified() && !out.contains(&a.ip()) {
                out.push(a.ip());
            }
        }
        out
    }

    /// Per-upstream timeout.
    pub fn upstream_timeout(&self) -> Duration {
        Duration::from_millis(self.upstream_timeout_ms)
    }
}

/// One entry of `dns.upstreams`: where to ask, and how. Written as a string in the config
/// file (and to `--upstream`); [`fmt::Display`] gives it back in the same form, as logs and
/// the status page show it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum UpstreamSpec {
    /// Plain DNS over UDP (TCP for truncated answers): `192.0.2.53` (port 53),
    /// `192.0.2.53:5353`, `2001:db8::1`, `[2001:db8::1]:53`. The uplink network sees every
    /// question and answer.
    Plain(SocketAddr),
    /// DNS over TLS (RFC 7858): `tls://ADDRESS[:port][@name]`, port 853 by default. The
    /// server's certificate must be valid for `name`; without `@name`, for the address itself.
    Tls {
        /// Where to connect.
        addr: SocketAddr,
        /// The name the certificate must carry (also sent as SNI).
        name: String,
    },
    /// DNS over HTTPS (RFC 8484): `https://host[:port][/path][@name]`, port 443 and path
    /// `/dns-query` by default. An address literal as the host needs no lookup; a host name is
    /// looked up with the system's resolver (`/etc/resolv.conf`: on the appliance the
    /// uplink's DNS servers, never this forwarder) whenever a connection is opened. The
    /// certificate must be valid for `name`; without `@name`, for the host.
    Https {
        /// Where to connect and the path to POST to.
        url: HttpUrl,
        /// The name the certificate must carry (also SNI and the HTTP `:authority`).
        name: String,
    },
}

/// How the forms are written, for error messages.
const UPSTREAM_FORMS: &str = "like 192.0.2.53, 192.0.2.53:5353, [2001:db8::1]:53, \
                              tls://9.9.9.9@dns.quad9.net or https://dns.example/dns-query";

impl UpstreamSpec {
    /// The port asked.
    pub fn port(&self) -> u16 {
        match self {
            UpstreamSpec::Plain(a) | UpstreamSpec::Tls { addr: a, .. } => a.port(),
            UpstreamSpec::Https { url, .. } => url.port,
        }
    }

    /// The address of a plain upstream.
    pub fn plain(&self) -> Option<SocketAddr> {
        match self {
            UpstreamSpec::Plain(a) => Some(*a),
            _ => None,
        }
    }

    /// DNS over TLS or HTTPS.
    pub fn is_encrypted(&self) -> bool {
        !matches!(self, UpstreamSpec::Plain(_))
    }
}

/// `address`, `address:port`, `[v6]` or `[v6]:port`.
fn parse_addr(text: &str, default_port: u16) -> Option<SocketAddr> {
    if let Ok(a) = text.parse::<SocketAddr>() {
        return Some(a);
    }
    let bare = text
        .strip_prefix('[')
        .and_then(|t| t.strip_suffix(']'))
        .unwrap_or(text);
    bare.parse::<IpAddr>()
        .ok()
        .map(|ip| SocketAddr::new(ip, default_port))
}

/// The name after `@`: a host name or address a certificate can carry.
fn check_name(name: &str) -> Result<String, String> {
    crate::tls::server_name(name)?;
    Ok(name.to_ascii_lowercase())
}

impl FromStr for UpstreamSpec {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        if let Some(rest) = s.strip_prefix("tls://") {
            let (at, name) = match rest.rsplit_once('@') {
                Some((a, n)) => (a, Some(n)),
                None => (rest, None),
            };
            let addr = parse_addr(at, 853).ok_or_else(|| {
                format!(
                    "{s:?}: {at:?} is not an address (DNS over TLS is written \
                     tls://ADDRESS[:PORT][@NAME], like tls://9.9.9.9@dns.quad9.net)"
                )
            })?;
            let name = match name {
                Some(n) => check_name(n).map_err(|e| format!("{s:?}: {e}"))?,
                None => addr.ip().to_string(),
            };
            return Ok(UpstreamSpec::Tls { addr, name });
        }
        if let Some(rest) = s.strip_prefix("https://") {
            // `@name` at the end, unless the `@` is inside the path.
            let (url_part, name) = match rest.rsplit_once('@') {
                Some((u, n)) if !n.contains('/') => (u, Some(n)),
                _ => (rest, None),
            };
            let mut url = HttpUrl::parse(&format!("https://{url_part}"))
                .map_err(|e| format!("{s:?}: {e}"))?;
            if !url_part.contains(['/', '?']) {
                url.path = "/dns-query".into();
            }
            let name = check_name(name.unwrap_or(&url.host)).map_err(|e| format!("{s:?}: {e}"))?;
            return Ok(UpstreamSpec::Https { url, name });
        }
        if s.starts_with("http://") {
            return Err(format!(
                "{s:?}: DNS over plain HTTP is not supported: use https://, or the address \
                 for plain DNS"
            ));
        }
        if let Some((scheme, _)) = s.split_once("://") {
            return Err(format!(
                "{s:?}: unknown scheme {scheme:?} (plain address, tls:// or https://)"
            ));
        }
        parse_addr(s, 53)
            .ok_or_else(|| format!("{s:?} is not an upstream ({UPSTREAM_FORMS})"))
            .map(UpstreamSpec::Plain)
    }
}

impl fmt::Display for UpstreamSpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            UpstreamSpec::Plain(a) => write!(f, "{a}"),
            UpstreamSpec::Tls { addr, name } => {
                write!(f, "tls://{addr}")?;
                if *name != addr.ip().to_string() {
                    write!(f, "@{name}")?;
                }
                Ok(())
            }
            UpstreamSpec::Https { url, name } => {
                write!(f, "{url}")?;
                if *name != url.host {
                    write!(f, "@{name}")?;
                }
                Ok(())
            }
        }
    }
}

impl<'de> Deserialize<'de> for UpstreamSpec {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        text.parse()
            .map_err(|e| serde::de::Error::custom(format!("dns.upstreams: {e}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn own_addresses_skip_unspecified() {
        let d = DnsConfig {
            listen: vec![
                "0.0.0.0:53".parse().unwrap(),
                "192.168.4.1:53".parse().unwrap(),
            ],
            ..DnsConfig::default()
        };
        assert_eq!(
            d.own_addresses(),
            vec!["192.168.4.1".parse::<IpAddr>().unwrap()]
        );
    }

    #[test]
    fn upstream_forms() {
        let sa = |s: &str| s.parse::<SocketAddr>().unwrap();
        let tls = |a: &str, n: &str| UpstreamSpec::Tls {
            addr: sa(a),
            name: n.into(),
        };
        let https = |u: &str, n: &str| UpstreamSpec::Https {
            url: HttpUrl::parse(u).unwrap(),
            name: n.into(),
        };
        let cases = [
            (
                "192.0.2.53",
                UpstreamSpec::Plain(sa("192.0.2.53:53")),
                "192.0.2.53:53",
            ),
            (
                "192.0.2.53:5353",
                UpstreamSpec::Plain(sa("192.0.2.53:5353")),
                "192.0.2.53:5353",
            ),
            (
                "[2001:db8::1]:53",
                UpstreamSpec::Plain(sa("[2001:db8::1]:53")),
                "[2001:db8::1]:53",
            ),
            (
                "2001:db8::1",
                UpstreamSpec::Plain(sa("[2001:db8::1]:53")),
                "[2001:db8::1]:53",
            ),
            (
                "[2001:db8::1]",
                UpstreamSpec::Plain(sa("[2001:db8::1]:53")),
                "[2001:db8::1]:53",
            ),
            (
                "tls://9.9.9.9@dns.quad9.net",
                tls("9.9.9.9:853", "dns.quad9.net"),
                "tls://9.9.9.9:853@dns.quad9.net",
            ),
            (
                "tls://127.0.0.1:8853@Test-Name",
                tls("127.0.0.1:8853", "test-name"),
                "tls://127.0.0.1:8853@test-name",
            ),
            (
                "tls://9.9.9.9",
                tls("9.9.9.9:853", "9.9.9.9"),
                "tls://9.9.9.9:853",
            ),
            (
                "tls://[2620:fe::fe]:853@dns.quad9.net",
                tls("[2620:fe::fe]:853", "dns.quad9.net"),
                "tls://[2620:fe::fe]:853@dns.quad9.net",
            ),
            (
                "https://dns.example/dns-query",
                https("https://dns.example/dns-query", "dns.example"),
                "https://dns.example/dns-query",
            ),
            (
                "https://dns.example",
                https("https://dns.example/dns-query", "dns.example"),
                "https://dns.example/dns-query",
            ),
            (
                "https://192.0.2.1:8443/q?x=1@dns.example",
                https("https://192.0.2.1:8443/q?x=1", "dns.example"),
                "https://192.0.2.1:8443/q?x=1@dns.example",
            ),
            (
                "https://[2001:db8::1]/dns-query",
                https("https://[2001:db8::1]/dns-query", "2001:db8::1"),
                "https://[2001:db8::1]/dns-query",
            ),
        ];
        for (text, want, shown) in cases {
            let got: UpstreamSpec = text.parse().unwrap_or_else(|e| panic!("{text}: {e}"));
            assert_eq!(got, want, "{text}");
            assert_eq!(got.to_string(), shown, "{text}");
            assert_eq!(shown.parse::<UpstreamSpec>().unwrap(), want, "{shown}");
        }
        for bad in [
            "",
            "dns.quad9.net",
            "192.0.2.53:0x",
            "192.0.2.53:99999",
            "tls://dns.quad9.net",
            "tls://9.9.9.9@",
            "tls://9.9.9.9@a..b",
            "https://",
            "https://dns.example:0/dns-query",
            "https://dns.example/a b",
            "http://dns.example/dns-query",
            "quic://9.9.9.9",
        ] {
            assert!(bad.parse::<UpstreamSpec>().is_err(), "{bad:?} was accepted");
        }
    }

    #[test]
    fn upstream_problems_name_the_key() {
        let parse = |text: &str| -> Result<(), String> {
            let c: DnsConfig = toml::from_str(text).map_err(|e| e.to_string())?;
            c.validate().map_err(|e| e.to_string())
        };
        for (text, key) in [
            ("upstreams = [\"tls://nowhere\"]", "dns.upstreams"),
            ("upstreams = [53]", "upstreams"),
            ("upstreams = [\"0.0.0.0:53\"]", "dns.upstreams"),
            ("upstreams = [\"tls://0.0.0.0\"]", "dns.upstreams"),
            ("upstreams = [\"127.0.0.1:5353\"]", "dns.upstreams"),
            ("tls_ca_file = \"\"", "dns.tls_ca_file"),
        ] {
            let e = parse(text).unwrap_err();
            assert!(e.contains(key), "{text}: {e}");
        }
        // DoT on our own listening address is not a loop (we do not serve DoT).
        parse("upstreams = [\"tls://127.0.0.1:5353@x.test\", \"https://127.0.0.1:5353/\"]")
            .unwrap();
    }
}
