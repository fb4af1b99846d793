//! The HTTPS listener's certificate (`web.https_listen`): self-signed, made on first start
//! with rcgen for the appliance's names and addresses, and kept in the data directory
//! (`https-cert.pem`, `https-key.pem`, both 0600) so its fingerprint stays the same across
//! restarts. No CA will vouch for `whereflow.lan`, so the browser warns once; the teacher
//! compares the SHA-256 fingerprint it shows with the one on the presenter view and in the
//! problems file (boot partition) and then knows nobody on the WiFi is in between.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use tokio_rustls::TlsAcceptor;

/// The certificate file in the data directory.
const CERT_FILE: &str = "https-cert.pem";
/// Its key.
const KEY_FILE: &str = "https-key.pem";
/// The fingerprint's label in the problems file.
pub(crate) const NOTE: &str = "note-https";

/// Why HTTPS could not be set up.
#[derive(Debug, thiserror::Error)]
pub enum HttpsError {
    /// Reading or writing the files failed.
    #[error("HTTPS certificate {path} (web.https_listen): {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The files are not a certificate and key.
    #[error("HTTPS certificate {path} (web.https_listen): {reason}; delete it and the key to make new ones")]
    Bad {
        /// The file.
        path: PathBuf,
        /// Why.
        reason: String,
    },
    /// Making the certificate failed.
    #[error("cannot make the HTTPS certificate (web.https_listen): {0}")]
    Make(#[from] rcgen::Error),
    /// rustls refused the certificate.
    #[error("HTTPS settings refused (web.https_listen): {0}")]
    Rustls(#[from] rustls::Error),
}

/// The certificate, ready to serve.
#[derive(Clone)]
pub struct HttpsCert {
    /// SHA-256 of the certificate, as browsers show it (`AB:CD:…`).
    pub fingerprint: String,
    pub(crate) acceptor: TlsAcceptor,
}

impl std::fmt::Debug for HttpsCert {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HttpsCert")
            .field("fingerprint", &self.fingerprint)
            .finish()
    }
}

/// The certificate in `dir`, made there first if there is none, for `names` (host names and
/// address literals) when made.
pub fn load_or_make(dir: &Path, names: &[String]) -> Result<HttpsCert, HttpsError> {
    let (cert_path, key_path) = (dir.join(CERT_FILE), dir.join(KEY_FILE));
    if !cert_path.exists() || !key_path.exists() {
        let made = rcgen::generate_simple_self_signed(names.to_vec())?;
        let io = |path: &Path| {
            let path = path.to_owned();
            move |source| HttpsError::Io { path, source }
        };
        // The key first: a certificate without its key would be useless.
        crate::sys::fs::write_atomic_mode(&key_path, made.signing_key.serialize_pem(), 0o600)
            .map_err(io(&key_path))?;
        crate::sys::fs::write_atomic_mode(&cert_path, made.cert.pem(), 0o600)
            .map_err(io(&cert_path))?;
        tracing::info!(
            "HTTPS: made a self-signed certificate in {}",
            cert_path.display()
        );
    }
    let bad = |path: &Path, reason: String| HttpsError::Bad {
        path: path.to_owned(),
        reason,
    };
    let cert = CertificateDer::from_pem_file(&cert_path)
        .map_err(|e| bad(&cert_path, format!("not a PEM certificate: {e}")))?;
    let key = PrivateKeyDer::from_pem_file(&key_path)
        .map_err(|e| bad(&key_path, format!("not a PEM private key: {e}")))?;
    let fingerprint = fingerprint(&cert);
    // Same provider as the TLS client (`crate::tls`): ring, TLS 1.2 and 1.3.
    #[allow(deprecated)]
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()?
        .with_no_client_auth()
        .with_single_cert(vec![cert], key)?;
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(HttpsCert {
        fingerprint,
        acceptor: TlsAcceptor::from(Arc::new(config)),
    })
}

/// SHA-256 of `cert`, upper-case hex pairs joined by colons.
fn fingerprint(cert: &CertificateDer<'_>) -> String {
    let digest = ring::digest::digest(&ring::digest::SHA256, cert.as_ref());
    digest
        .as_ref()
        .iter()
        .map(|b| format!("{b:02X}"))
        .collect::<Vec<_>>()
        .join(":")
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    #[test]
    fn made_once_kept_private_and_the_same_after_a_restart() {
        let dir = std::env::temp_dir().join(format!("wf-https-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let names = vec!["whereflow.lan".to_owned(), "192.0.2.1".to_owned()];
        let first = load_or_make(&dir, &names).unwrap();
        assert_eq!(first.fingerprint.len(), 32 * 3 - 1, "{}", first.fingerprint);
        for f in [CERT_FILE, KEY_FILE] {
            let mode = std::fs::metadata(dir.join(f)).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600, "{f}");
        }
        let again = load_or_make(&dir, &names).unwrap();
        assert_eq!(first.fingerprint, again.fingerprint);
        std::fs::write(dir.join(CERT_FILE), "junk").unwrap();
        let e = load_or_make(&dir, &names).unwrap_err().to_string();
        assert!(e.contains("web.https_listen"), "{e}");
        let _ = std::fs::remove_dir_all(&dir);
    }
}
