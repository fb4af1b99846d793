//! The TLS client both encrypted DNS upstreams (`dns::encrypted`) and the webhook
//! (`detect::webhook`) use: rustls with the `ring` provider (small, no cmake on the Pi's
//! build), TLS 1.2 and 1.3.
//!
//! Trusted roots: Mozilla's root list compiled into the binary (the `webpki-roots` crate; the
//! list is CDLA-Permissive-2.0, see `blocklists/SOURCES.md`), so the appliance needs no CA
//! bundle on its filesystem, plus the certificates of an optional PEM file (e.g. a school's
//! own CA, or a test CA). The certificate must match the name the config gives; there is no
//! way to turn checking off.

use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName};
use rustls::{ClientConfig, RootCertStore};

/// Why the TLS client could not be set up.
#[derive(Debug, thiserror::Error)]
pub(crate) enum TlsSetupError {
    /// The CA file is unreadable or not PEM.
    #[error("cannot read certificates from {path}: {reason}")]
    CaFile {
        /// The file.
        path: PathBuf,
        /// Why.
        reason: String,
    },
    /// The CA file holds no certificate.
    #[error("{path} holds no certificate (no \"-----BEGIN CERTIFICATE-----\" block)")]
    NoCertificate {
        /// The file.
        path: PathBuf,
    },
    /// rustls refused the settings (should not happen with the ring provider).
    #[error("TLS settings refused: {0}")]
    Rustls(#[from] rustls::Error),
}

/// A client configuration: the compiled-in roots plus those in `ca_file`. No ALPN is set;
/// users that need it clone the configuration and set it.
pub(crate) fn client_config(ca_file: Option<&Path>) -> Result<Arc<ClientConfig>, TlsSetupError> {
    // rustls 0.23.48 deprecates ring's provider for lacking post-quantum key exchange (only
    // aws-lc-rs has it); ring is kept for its size and plain C build on the Pi.
    #[allow(deprecated)]
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()?
        .with_root_certificates(root_store(ca_file)?)
        .with_no_client_auth();
    Ok(Arc::new(config))
}

/// The compiled-in roots plus the certificates in `ca_file`.
fn root_store(ca_file: Option<&Path>) -> Result<RootCertStore, TlsSetupError> {
    let mut roots = RootCertStore {
        roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
    };
    let Some(path) = ca_file else {
        return Ok(roots);
    };
    let bad = |reason: String| TlsSetupError::CaFile {
        path: path.to_owned(),
        reason,
    };
    let mut found = 0;
    for cert in CertificateDer::pem_file_iter(path).map_err(|e| bad(e.to_string()))? {
        let cert = cert.map_err(|e| bad(e.to_string()))?;
        roots
            .add(cert)
            .map_err(|e| bad(format!("certificate {}: {e}", found + 1)))?;
        found += 1;
    }
    if found == 0 {
        return Err(TlsSetupError::NoCertificate {
            path: path.to_owned(),
        });
    }
    Ok(roots)
}

/// The name a server's certificate must carry: a DNS name, or an address (then the
/// certificate must list that address).
pub(crate) fn server_name(name: &str) -> Result<ServerName<'static>, String> {
    ServerName::try_from(name.to_owned())
        .map_err(|_| format!("{name:?} is not a host name or address a certificate can carry"))
}

/// What went wrong in a TLS handshake, from the error tokio-rustls returns.
#[derive(Debug)]
pub(crate) enum HandshakeProblem {
    /// The server's certificate was refused (wrong name, unknown issuer, expired...).
    Certificate(String),
    /// Another TLS failure (no common protocol version or cipher, alert from the server...).
    Tls(String),
    /// Not TLS at all: the connection failed (reset, closed).
    Io,
}

/// Classify a handshake error.
pub(crate) fn handshake_problem(e: &io::Error) -> HandshakeProblem {
    match e.get_ref().and_then(|i| i.downcast_ref::<rustls::Error>()) {
        Some(rustls::Error::InvalidCertificate(c)) => HandshakeProblem::Certificate(match c {
            // rustls names this one by its variant only.
            rustls::CertificateError::UnknownIssuer => {
                "not issued by a trusted authority (unknown issuer)".into()
            }
            c => c.to_string(),
        }),
        Some(other) => HandshakeProblem::Tls(other.to_string()),
        None => HandshakeProblem::Io,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ca_file_problems_are_named() {
        let dir = std::env::temp_dir().join(format!("wf-tls-ca-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let missing = dir.join("missing.pem");
        let e = client_config(Some(&missing)).unwrap_err().to_string();
        assert!(e.contains("missing.pem"), "{e}");
        let empty = dir.join("empty.pem");
        std::fs::write(&empty, "not a certificate\n").unwrap();
        let e = client_config(Some(&empty)).unwrap_err().to_string();
        assert!(e.contains("no certificate"), "{e}");
        let ca = crate::test_tls::TestCa::new();
        let good = dir.join("ca.pem");
        std::fs::write(&good, ca.pem()).unwrap();
        let with = root_store(Some(&good)).unwrap();
        let without = root_store(None).unwrap();
        assert!(without.len() > 100, "Mozilla's roots are compiled in");
        assert_eq!(
            with.len(),
            without.len() + 1,
            "the file's CA is added to the compiled-in roots"
        );
        client_config(Some(&good)).unwrap();
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn server_names() {
        assert!(server_name("dns.quad9.net").is_ok());
        assert!(server_name("9.9.9.9").is_ok());
        assert!(server_name("2001:db8::1").is_ok());
        assert!(server_name("a..b").is_err());
        assert!(server_name("").is_err());
    }
}
