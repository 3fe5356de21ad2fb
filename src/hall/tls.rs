//! TLS for the hall API (rustls with the ring provider). The host asks every client for a
//! certificate from the hall CA; connections without one are let through the handshake only so
//! that a joining terminal can reach the enrolment endpoint (every other request without a
//! certificate gets 401). Terminals trust the hall CA and nothing else, and check the host by
//! the fixed name `hall-host` rather than the address they dialled.

use super::pki::{self, HOST_NAME};
use rustls::client::WebPkiServerVerifier;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, ServerName, UnixTime};
use rustls::server::WebPkiClientVerifier;
use rustls::{ClientConfig, DigitallySignedStruct, RootCertStore, ServerConfig, SignatureScheme};
use std::sync::Arc;

fn provider() -> Arc<rustls::crypto::CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}

#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct TlsError(String);

fn certs(pem: &str) -> Result<Vec<CertificateDer<'static>>, TlsError> {
    let list: Result<Vec<_>, _> = CertificateDer::pem_slice_iter(pem.as_bytes()).collect();
    match list {
        Ok(list) if !list.is_empty() => Ok(list),
        Ok(_) => Err(TlsError("no certificate in the PEM text".into())),
        Err(e) => Err(TlsError(format!("unreadable certificate: {e}"))),
    }
}

fn key(pem: &str) -> Result<PrivateKeyDer<'static>, TlsError> {
    PrivateKeyDer::from_pem_slice(pem.as_bytes())
        .map_err(|e| TlsError(format!("unreadable private key: {e}")))
}

fn roots(ca_pem: &str) -> Result<Arc<RootCertStore>, TlsError> {
    let mut store = RootCertStore::empty();
    for cert in certs(ca_pem)? {
        store
            .add(cert)
            .map_err(|e| TlsError(format!("the hall CA certificate is not usable: {e}")))?;
    }
    Ok(Arc::new(store))
}

/// The host's side: its chain and key, and the hall CA that client certificates must come from.
pub fn server_config(chain_pem: &str, key_pem: &str, ca_pem: &str) -> Result<Arc<ServerConfig>, TlsError> {
    let verifier = WebPkiClientVerifier::builder_with_provider(roots(ca_pem)?, provider())
        .allow_unauthenticated()
        .build()
        .map_err(|e| TlsError(format!("client verifier: {e}")))?;
    let mut config = ServerConfig::builder_with_provider(provider())
        .with_safe_default_protocol_versions()
        .map_err(|e| TlsError(e.to_string()))?
        .with_client_cert_verifier(verifier)
        .with_single_cert(certs(chain_pem)?, key(key_pem)?)
        .map_err(|e| TlsError(format!("the host's certificate and key do not go together: {e}")))?;
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(Arc::new(config))
}

/// Checks the host's chain against the hall CA for the name `hall-host`, whatever the URL said.
#[derive(Debug)]
struct HallHostVerifier {
    trust: Trust,
    provider: Arc<rustls::crypto::CryptoProvider>,
}

#[derive(Debug)]
enum Trust {
    /// An enrolled terminal: the hall CA it stored at enrolment.
    Ca(Arc<WebPkiServerVerifier>),
    /// A joining terminal: whichever CA the host sends, if it has this SHA-256.
    Pinned(String),
}

impl HallHostVerifier {
    fn new(trust: Trust) -> Self {
        Self {
            trust,
            provider: provider(),
        }
    }

    fn rooted_at(roots: Arc<RootCertStore>) -> Result<Arc<WebPkiServerVerifier>, rustls::Error> {
        WebPkiServerVerifier::builder_with_provider(roots, provider())
            .build()
            .map_err(|e| rustls::Error::General(format!("server verifier: {e}")))
    }
}

impl ServerCertVerifier for HallHostVerifier {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        _dialled: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        let name = ServerName::try_from(HOST_NAME).map_err(|e| rustls::Error::General(e.to_string()))?;
        let verifier = match &self.trust {
            Trust::Ca(verifier) => verifier.clone(),
            Trust::Pinned(fingerprint) => {
                // The host sends its CA after its own certificate; it must be the one the
                // technician read off the host.
                let ca = intermediates
                    .iter()
                    .find(|c| kiosk_core::digest::sha256_hex(c) == *fingerprint)
                    .ok_or_else(|| rustls::Error::General(FINGERPRINT_MISMATCH.into()))?;
                let mut store = RootCertStore::empty();
                store
                    .add(ca.clone().into_owned())
                    .map_err(|e| rustls::Error::General(e.to_string()))?;
                Self::rooted_at(Arc::new(store))?
            }
        };
        verifier.verify_server_cert(end_entity, intermediates, &name, ocsp_response, now)
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.provider
            .signature_verification_algorithms
            .supported_schemes()
    }
}

fn client_builder(
    trust: Trust,
) -> Result<rustls::ConfigBuilder<ClientConfig, rustls::client::WantsClientCert>, TlsError> {
    Ok(ClientConfig::builder_with_provider(provider())
        .with_safe_default_protocol_versions()
        .map_err(|e| TlsError(e.to_string()))?
        .dangerous()
        .with_custom_certificate_verifier(Arc::new(HallHostVerifier::new(trust))))
}

/// An enrolled terminal's side: the hall CA and its own certificate and key.
pub fn client_config(ca_pem: &str, cert_pem: &str, key_pem: &str) -> Result<ClientConfig, TlsError> {
    let verifier = HallHostVerifier::rooted_at(roots(ca_pem)?).map_err(|e| TlsError(e.to_string()))?;
    client_builder(Trust::Ca(verifier))?
        .with_client_auth_cert(certs(cert_pem)?, key(key_pem)?)
        .map_err(|e| {
            TlsError(format!(
                "this terminal's certificate and key do not go together: {e}"
            ))
        })
}

/// What a joining terminal's handshake fails with when the host's CA is not the one pinned.
pub const FINGERPRINT_MISMATCH: &str = "the hall host's CA does not have the fingerprint given";

/// A joining terminal's side: no certificate yet; the host's CA must have `fingerprint`.
pub fn pinned_config(fingerprint: &str) -> Result<ClientConfig, TlsError> {
    Ok(client_builder(Trust::Pinned(pki::normalise_fingerprint(fingerprint)))?.with_no_client_auth())
}
