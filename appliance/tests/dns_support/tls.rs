//! TLS pieces for the tests: a test CA made in the test (rcgen), server certificates from it,
//! and a real DNS-over-TLS and DNS-over-HTTPS server (unbound, built with nghttp2 on Debian)
//! on loopback presenting such a certificate.
//!
//! Self-contained (std, tokio, rcgen, rustls, tokio-rustls, hickory-proto only): the
//! integration tests use it as `dns_support::tls`, and the library's unit tests include the
//! same file as `crate::test_tls`.
#![allow(dead_code, deprecated)] // deprecated: rustls' ring provider, as the appliance uses

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use hickory_proto::op::{Message, Query};
use hickory_proto::rr::{Name, RecordType};
use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, Issuer, KeyPair, KeyUsagePurpose};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer, ServerName};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// Names answered from unbound's local data when no zone server is given:
/// `q0.example.test` .. `q255.example.test` (A 198.51.100.N) and `www.example.test`
/// (A 192.0.2.10, as in the nsd test zone).
pub const LOCAL_NAMES: usize = 256;

/// A certificate authority made for one test.
pub struct TestCa {
    issuer: Issuer<'static, KeyPair>,
    pem: String,
}

/// A server certificate and its key.
pub struct Leaf {
    /// The certificate, PEM.
    pub cert_pem: String,
    /// The private key, PEM (PKCS#8).
    pub key_pem: String,
    cert_der: CertificateDer<'static>,
    key_der: Vec<u8>,
}

impl TestCa {
    /// A fresh CA.
    pub fn new() -> TestCa {
        let key = KeyPair::generate().unwrap();
        let mut params = CertificateParams::new(Vec::<String>::new()).unwrap();
        params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        params
            .distinguished_name
            .push(DnType::CommonName, "whereflow test CA");
        params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
        let cert = params.self_signed(&key).unwrap();
        TestCa {
            pem: cert.pem(),
            issuer: Issuer::new(params, key),
        }
    }

    /// The CA certificate, PEM.
    pub fn pem(&self) -> String {
        self.pem.clone()
    }

    /// Write the CA certificate to `dir/ca.pem` and return the path.
    pub fn write(&self, dir: &Path) -> PathBuf {
        let path = dir.join("ca.pem");
        std::fs::write(&path, &self.pem).unwrap();
        path
    }

    /// A server certificate for `names` (host names or addresses).
    pub fn issue(&self, names: &[&str]) -> Leaf {
        let key = KeyPair::generate().unwrap();
        let names: Vec<String> = names.iter().map(|n| n.to_string()).collect();
        let mut params = CertificateParams::new(names.clone()).unwrap();
        params.distinguished_name.push(
            DnType::CommonName,
            names.first().cloned().unwrap_or_default(),
        );
        params.use_authority_key_identifier_extension = true;
        let cert = params.signed_by(&key, &self.issuer).unwrap();
        Leaf {
            cert_pem: cert.pem(),
            key_pem: key.serialize_pem(),
            cert_der: cert.der().clone(),
            key_der: key.serialize_der(),
        }
    }
}

impl Leaf {
    /// A rustls server configuration presenting this certificate, offering `alpn`.
    pub fn server_config(&self, alpn: &[&[u8]]) -> Arc<rustls::ServerConfig> {
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(self.key_der.clone()));
        let mut c = rustls::ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .unwrap()
            .with_no_client_auth()
            .with_single_cert(vec![self.cert_der.clone()], key)
            .unwrap();
        c.alpn_protocols = alpn.iter().map(|a| a.to_vec()).collect();
        Arc::new(c)
    }
}

/// A rustls client trusting only `ca`, offering `alpn`.
pub fn client_config(ca: &TestCa, alpn: &[&[u8]]) -> Arc<rustls::ClientConfig> {
    let mut c = (*client_config_pem(&ca.pem)).clone();
    c.alpn_protocols = alpn.iter().map(|a| a.to_vec()).collect();
    Arc::new(c)
}

fn free_tcp_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// unbound answering DNS over TLS and DNS over HTTPS (`/dns-query`) on 127.0.0.1, with a
/// certificate from a [`TestCa`].
pub struct EncryptedDnsServer {
    child: Option<Child>,
    dir: PathBuf,
    /// DNS over TLS.
    pub dot: SocketAddr,
    /// DNS over HTTPS: `https://127.0.0.1:PORT/dns-query`.
    pub doh: SocketAddr,
    /// The CA's certificate (PEM), for `dns.tls_ca_file`.
    pub ca_file: PathBuf,
    ca_pem: String,
}

/// How the server is set up.
pub struct ServerOptions<'a> {
    /// Names (and addresses) the certificate carries.
    pub names: &'a [&'a str],
    /// Ask this server (nsd) about `example.test` and `2.0.192.in-addr.arpa`; `None`:
    /// unbound answers [`LOCAL_NAMES`] itself.
    pub zone: Option<SocketAddr>,
    /// unbound closes TCP/TLS connections idle for this long (its minimum is 200 ms).
    pub idle_ms: u32,
}

impl Default for ServerOptions<'_> {
    fn default() -> Self {
        ServerOptions {
            names: &["test-name", "127.0.0.1"],
            zone: None,
            idle_ms: 30_000,
        }
    }
}

impl EncryptedDnsServer {
    /// Start unbound; returns once a DoT query is answered.
    pub async fn start(ca: &TestCa, opts: ServerOptions<'_>) -> EncryptedDnsServer {
        let unbound = "/usr/sbin/unbound";
        assert!(
            Path::new(unbound).exists(),
            "these tests need unbound (apt-get install unbound)"
        );
        static N: AtomicU64 = AtomicU64::new(0);
        let dir = std::env::temp_dir().join(format!(
            "whereflow-tls-test-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        ));
        std::fs::create_dir_all(&dir).unwrap();
        let leaf = ca.issue(opts.names);
        std::fs::write(dir.join("server.pem"), &leaf.cert_pem).unwrap();
        std::fs::write(dir.join("server.key"), &leaf.key_pem).unwrap();
        let ca_file = ca.write(&dir);
        let (dot, doh) = (free_tcp_port(), free_tcp_port());
        let d = dir.display();
        let mut conf = format!(
            "server:\n  verbosity: 1\n  num-threads: 1\n  do-ip6: no\n  \
             interface: 127.0.0.1@{dot}\n  interface: 127.0.0.1@{doh}\n  \
             tls-port: {dot}\n  https-port: {doh}\n  \
             tls-service-key: \"{d}/server.key\"\n  tls-service-pem: \"{d}/server.pem\"\n  \
             http-endpoint: \"/dns-query\"\n  http-notls-downstream: no\n  \
             tcp-idle-timeout: {}\n  incoming-num-tcp: 64\n  \
             username: \"\"\n  chroot: \"\"\n  directory: \"{d}\"\n  pidfile: \"{d}/unbound.pid\"\n  \
             logfile: \"{d}/unbound.log\"\n  use-syslog: no\n  do-daemonize: no\n  \
             module-config: \"iterator\"\n  access-control: 127.0.0.0/8 allow\n  \
             do-not-query-localhost: no\n  \
             local-zone: \"test.\" nodefault\n  local-zone: \"2.0.192.in-addr.arpa.\" nodefault\n",
            opts.idle_ms
        );
        match opts.zone {
            Some(z) => {
                conf.push_str(&format!(
                    "stub-zone:\n  name: \"example.test\"\n  stub-addr: {}@{}\n\
                     stub-zone:\n  name: \"2.0.192.in-addr.arpa\"\n  stub-addr: {}@{}\n",
                    z.ip(),
                    z.port(),
                    z.ip(),
                    z.port()
                ));
            }
            None => {
                conf.push_str("  local-zone: \"example.test.\" static\n");
                conf.push_str("  local-data: \"www.example.test. 300 IN A 192.0.2.10\"\n");
                for i in 0..LOCAL_NAMES {
                    conf.push_str(&format!(
                        "  local-data: \"q{i}.example.test. 300 IN A 198.51.100.{i}\"\n"
                    ));
                }
            }
        }
        conf.push_str("remote-control:\n  control-enable: no\n");
        std::fs::write(dir.join("unbound.conf"), conf).unwrap();
        let mut s = EncryptedDnsServer {
            child: None,
            dir,
            dot: ([127, 0, 0, 1], dot).into(),
            doh: ([127, 0, 0, 1], doh).into(),
            ca_file,
            ca_pem: ca.pem(),
        };
        s.run().await;
        s
    }

    async fn run(&mut self) {
        let child = Command::new("/usr/sbin/unbound")
            .arg("-d")
            .arg("-c")
            .arg(self.dir.join("unbound.conf"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start unbound");
        self.child = Some(child);
        let start = Instant::now();
        loop {
            if let Ok(m) = self.dot_query("www.example.test.", RecordType::A).await {
                if !m.answers.is_empty() {
                    return;
                }
            }
            if let Some(Ok(Some(status))) = self.child.as_mut().map(|c| c.try_wait()) {
                panic!("unbound exited with {status}: {}", self.log());
            }
            assert!(
                start.elapsed() < Duration::from_secs(10),
                "unbound did not start: {}",
                self.log()
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// unbound's log so far.
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.join("unbound.log")).unwrap_or_default()
    }

    /// `https://127.0.0.1:PORT/dns-query`.
    pub fn doh_url(&self) -> String {
        format!("https://{}/dns-query", self.doh)
    }

    /// Stop unbound (every connection to it is closed).
    pub fn stop(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }

    /// Start it again on the same ports.
    pub async fn restart(&mut self) {
        self.stop();
        self.run().await;
    }

    /// One query over a fresh DoT connection of our own (trusting only the test CA).
    pub async fn dot_query(&self, name: &str, qtype: RecordType) -> Result<Message, String> {
        let mut q = Message::query();
        q.metadata.recursion_desired = true;
        q.add_query(Query::query(Name::from_ascii(name).unwrap(), qtype));
        let q = q.to_vec().unwrap();
        let connector = tokio_rustls::TlsConnector::from(client_config_pem(&self.ca_pem));
        let work = async {
            let tcp = tokio::net::TcpStream::connect(self.dot)
                .await
                .map_err(|e| e.to_string())?;
            let name = ServerName::try_from("127.0.0.1").unwrap();
            let mut tls = connector
                .connect(name, tcp)
                .await
                .map_err(|e| e.to_string())?;
            let mut framed = (q.len() as u16).to_be_bytes().to_vec();
            framed.extend_from_slice(&q);
            tls.write_all(&framed).await.map_err(|e| e.to_string())?;
            let len = tls.read_u16().await.map_err(|e| e.to_string())?;
            let mut b = vec![0u8; usize::from(len)];
            tls.read_exact(&mut b).await.map_err(|e| e.to_string())?;
            Message::from_vec(&b).map_err(|e| e.to_string())
        };
        tokio::time::timeout(Duration::from_secs(2), work)
            .await
            .map_err(|_| "timeout".to_string())?
    }
}

fn client_config_pem(ca_pem: &str) -> Arc<rustls::ClientConfig> {
    let mut roots = rustls::RootCertStore::empty();
    for c in
        <CertificateDer as rustls::pki_types::pem::PemObject>::pem_slice_iter(ca_pem.as_bytes())
    {
        roots.add(c.unwrap()).unwrap();
    }
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    Arc::new(
        rustls::ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .unwrap()
            .with_root_certificates(roots)
            .with_no_client_auth(),
    )
}

impl Drop for EncryptedDnsServer {
    fn drop(&mut self) {
        self.stop();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
