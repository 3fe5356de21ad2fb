//! The hall's own certificate authority, kept by the hall host in `<data-dir>/tls/`: it signs
//! the host's server certificate and each enrolled terminal's client certificate, and nothing
//! else trusts it. Terminals check the host against the CA's SHA-256 fingerprint, which the
//! technician reads off `kiosk provision --enroll` on the host and types into `kiosk join`.

use chrono::{DateTime, Datelike, Duration, Utc};
use kiosk_core::digest::sha256_hex;
use rcgen::{
    BasicConstraints, CertificateParams, CertificateSigningRequestParams, DnType, ExtendedKeyUsagePurpose,
    IsCa, Issuer, KeyPair, KeyUsagePurpose, SerialNumber,
};
use std::path::{Path, PathBuf};

/// The directory under the data directory.
pub const TLS_DIR: &str = "tls";
pub const CA_KEY: &str = "hall-ca.key";
pub const CA_CERT: &str = "hall-ca.crt";
pub const HOST_KEY: &str = "host.key";
pub const HOST_CERT: &str = "host.crt";
pub const CLIENT_KEY: &str = "client.key";
pub const CLIENT_CERT: &str = "client.crt";

/// The name every host certificate carries and every terminal checks, whatever address the
/// terminal reaches the host at (a hall's addresses change with its router; its CA does not).
pub const HOST_NAME: &str = "hall-host";

/// How long certificates are valid. `kiosk doctor` warns 30 days before a terminal's expires.
const CA_YEARS: i32 = 20;
const LEAF_DAYS: i64 = 2 * 365;
/// The host renews its own certificate when less than this is left.
const HOST_RENEW_DAYS: i64 = 60;

#[derive(Debug, thiserror::Error)]
pub enum PkiError {
    #[error("{path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
    #[error("{what}: {source}")]
    Certificate {
        what: &'static str,
        source: rcgen::Error,
    },
    #[error("{0}")]
    Invalid(String),
}

fn io_error(path: &Path) -> impl FnOnce(std::io::Error) -> PkiError + '_ {
    move |source| PkiError::Io {
        path: path.to_path_buf(),
        source,
    }
}

fn cert_error(what: &'static str) -> impl FnOnce(rcgen::Error) -> PkiError {
    move |source| PkiError::Certificate { what, source }
}

/// A fingerprint as a person typed it (`AB:CD:…`, spaces, either case) in the stored form.
pub fn normalise_fingerprint(typed: &str) -> String {
    typed
        .chars()
        .filter(char::is_ascii_hexdigit)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// The DER of the first certificate in a PEM text.
pub fn first_der(pem_text: &str) -> Result<Vec<u8>, PkiError> {
    use rustls::pki_types::CertificateDer;
    use rustls::pki_types::pem::PemObject;
    CertificateDer::from_pem_slice(pem_text.as_bytes())
        .map(|c| c.to_vec())
        .map_err(|e| PkiError::Invalid(format!("not a PEM certificate: {e}")))
}

/// When a PEM certificate stops being valid.
pub fn expiry(pem_text: &str) -> Result<DateTime<Utc>, PkiError> {
    expiry_der(&first_der(pem_text)?)
}

/// When a DER certificate (as a TLS handshake presents it) stops being valid.
pub fn expiry_der(der: &[u8]) -> Result<DateTime<Utc>, PkiError> {
    let (_, cert) = x509_parser::parse_x509_certificate(der)
        .map_err(|e| PkiError::Invalid(format!("unreadable certificate: {e}")))?;
    DateTime::from_timestamp(cert.validity().not_after.timestamp(), 0)
        .ok_or_else(|| PkiError::Invalid("certificate expiry out of range".into()))
}

/// Valid from the day before `now` (a terminal whose clock is a little behind still accepts it)
/// until `until`, in whole days.
fn set_validity(params: &mut CertificateParams, now: DateTime<Utc>, until: DateTime<Utc>) {
    let from = now - Duration::days(1);
    // Months and days always fit in a u8.
    params.not_before = rcgen::date_time_ymd(from.year(), from.month() as u8, from.day() as u8);
    params.not_after = rcgen::date_time_ymd(until.year(), until.month() as u8, until.day() as u8);
}

fn random_serial() -> SerialNumber {
    let mut bytes: [u8; 16] = rand::random();
    bytes[0] &= 0x7f; // a positive INTEGER
    SerialNumber::from_slice(&bytes)
}

fn read(path: &Path) -> Result<String, PkiError> {
    crate::fsutil::read_text(path, crate::fsutil::KEY_LIMIT).map_err(io_error(path))
}

fn write(path: &Path, text: &str, private: bool) -> Result<(), PkiError> {
    crate::fsutil::write_atomically(path, text.as_bytes(), private).map_err(io_error(path))
}

/// The hall CA with its key, on the hall host only.
pub struct HallCa {
    dir: PathBuf,
    issuer: Issuer<'static, KeyPair>,
    cert_pem: String,
    fingerprint: String,
}

impl HallCa {
    /// Loads the CA from `<data-dir>/tls/`, making it (and the host's certificate) at first start.
    pub fn open_or_create(data_dir: &Path, hall_id: &str, now: DateTime<Utc>) -> Result<Self, PkiError> {
        let dir = data_dir.join(TLS_DIR);
        let (key_path, cert_path) = (dir.join(CA_KEY), dir.join(CA_CERT));
        if !key_path.exists() || !cert_path.exists() {
            let key = KeyPair::generate().map_err(cert_error("making the hall CA key"))?;
            let mut params = CertificateParams::default();
            params.distinguished_name = rcgen::DistinguishedName::new();
            params
                .distinguished_name
                .push(DnType::CommonName, format!("Legal aid hall {hall_id} CA"));
            params.is_ca = IsCa::Ca(BasicConstraints::Constrained(0));
            params.key_usages = vec![
                KeyUsagePurpose::KeyCertSign,
                KeyUsagePurpose::CrlSign,
                KeyUsagePurpose::DigitalSignature,
            ];
            set_validity(&mut params, now, now + Duration::days(365 * i64::from(CA_YEARS)));
            params.serial_number = Some(random_serial());
            let cert = params
                .self_signed(&key)
                .map_err(cert_error("making the hall CA"))?;
            write(&key_path, &key.serialize_pem(), true)?;
            write(&cert_path, &cert.pem(), false)?;
            tracing::info!(dir = %dir.display(), "hall certificate authority made");
        }
        let key = KeyPair::from_pem(&read(&key_path)?).map_err(cert_error("reading the hall CA key"))?;
        let cert_pem = read(&cert_path)?;
        let fingerprint = sha256_hex(&first_der(&cert_pem)?);
        let issuer = Issuer::from_ca_cert_pem(&cert_pem, key).map_err(cert_error("reading the hall CA"))?;
        Ok(Self {
            dir,
            issuer,
            cert_pem,
            fingerprint,
        })
    }

    pub fn fingerprint(&self) -> &str {
        &self.fingerprint
    }

    pub fn cert_pem(&self) -> &str {
        &self.cert_pem
    }

    /// The host's certificate chain and key (PEM), made or renewed as needed. It names
    /// `hall-host`, `localhost`, 127.0.0.1 and the hall's configured names.
    pub fn host_identity(
        &self,
        extra_names: &[String],
        now: DateTime<Utc>,
    ) -> Result<(String, String), PkiError> {
        let (key_path, cert_path) = (self.dir.join(HOST_KEY), self.dir.join(HOST_CERT));
        let mut names = vec![
            HOST_NAME.to_owned(),
            "localhost".to_owned(),
            "127.0.0.1".to_owned(),
        ];
        names.extend(extra_names.iter().cloned());
        let current = match (read(&key_path), read(&cert_path)) {
            (Ok(key), Ok(cert)) if self.still_good(&cert, now) => Some((cert, key)),
            _ => None,
        };
        let (cert, key) = match current {
            Some(found) => found,
            None => {
                let key = KeyPair::generate().map_err(cert_error("making the host key"))?;
                let mut params = CertificateParams::new(names).map_err(cert_error("naming the host"))?;
                params.distinguished_name = rcgen::DistinguishedName::new();
                params.distinguished_name.push(DnType::CommonName, HOST_NAME);
                params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
                params.key_usages = vec![KeyUsagePurpose::DigitalSignature];
                set_validity(&mut params, now, now + Duration::days(LEAF_DAYS));
                params.serial_number = Some(random_serial());
                let cert = params
                    .signed_by(&key, &self.issuer)
                    .map_err(cert_error("signing the host certificate"))?;
                let (cert, key) = (cert.pem(), key.serialize_pem());
                write(&key_path, &key, true)?;
                write(&cert_path, &cert, false)?;
                tracing::info!("hall host certificate made");
                (cert, key)
            }
        };
        Ok((format!("{cert}{}", self.cert_pem), key))
    }

    /// A host certificate signed by this CA with time left.
    fn still_good(&self, cert_pem: &str, now: DateTime<Utc>) -> bool {
        let signed_here = first_der(cert_pem)
            .ok()
            .and_then(|der| {
                x509_parser::parse_x509_certificate(&der)
                    .ok()
                    .map(|(_, c)| c.issuer().to_string())
            })
            .zip(first_der(&self.cert_pem).ok().and_then(|der| {
                x509_parser::parse_x509_certificate(&der)
                    .ok()
                    .map(|(_, c)| c.subject().to_string())
            }))
            .is_some_and(|(issuer, ca)| issuer == ca);
        signed_here && expiry(cert_pem).is_ok_and(|end| end - now > Duration::days(HOST_RENEW_DAYS))
    }

    /// Signs a terminal's request: only its public key is taken from it; the name, the use
    /// (client authentication) and the validity are the host's.
    pub fn sign_terminal(
        &self,
        csr_pem: &str,
        terminal_id: &str,
        now: DateTime<Utc>,
    ) -> Result<Signed, PkiError> {
        let request = CertificateSigningRequestParams::from_pem(csr_pem)
            .map_err(|e| PkiError::Invalid(format!("the signing request is not valid: {e}")))?;
        let mut params = CertificateParams::default();
        params.distinguished_name = rcgen::DistinguishedName::new();
        params.distinguished_name.push(DnType::CommonName, terminal_id);
        params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ClientAuth];
        params.key_usages = vec![KeyUsagePurpose::DigitalSignature];
        set_validity(&mut params, now, now + Duration::days(LEAF_DAYS));
        params.serial_number = Some(random_serial());
        let cert = CertificateSigningRequestParams {
            params,
            public_key: request.public_key,
        }
        .signed_by(&self.issuer)
        .map_err(cert_error("signing the terminal's certificate"))?;
        Ok(Signed {
            sha256: sha256_hex(cert.der()),
            expires: expiry(&cert.pem())?,
            cert_pem: cert.pem(),
        })
    }
}

/// A terminal's certificate as the host signed it.
pub struct Signed {
    pub cert_pem: String,
    pub sha256: String,
    pub expires: DateTime<Utc>,
}

/// A terminal's new key and its signing request (PEM).
pub fn new_key_and_request(terminal_id: &str) -> Result<(String, String), PkiError> {
    let key = KeyPair::generate().map_err(cert_error("making this terminal's key"))?;
    let mut params = CertificateParams::default();
    params.distinguished_name = rcgen::DistinguishedName::new();
    params.distinguished_name.push(DnType::CommonName, terminal_id);
    let csr = params
        .serialize_request(&key)
        .and_then(|r| r.pem())
        .map_err(cert_error("making the signing request"))?;
    Ok((key.serialize_pem(), csr))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> DateTime<Utc> {
        "2026-12-01T02:00:00Z".parse().unwrap()
    }

    #[test]
    fn the_ca_is_made_once_and_signs_only_the_public_key_of_a_request() {
        let dir = tempfile::tempdir().unwrap();
        let ca = HallCa::open_or_create(dir.path(), "GZ-TH-01", now()).unwrap();
        let again = HallCa::open_or_create(dir.path(), "GZ-TH-01", now()).unwrap();
        assert_eq!(ca.fingerprint(), again.fingerprint());
        assert_eq!(ca.fingerprint().len(), 64);
        let mode = std::fs::metadata(dir.path().join("tls").join(CA_KEY)).unwrap();
        assert_eq!(
            std::os::unix::fs::PermissionsExt::mode(&mode.permissions()) & 0o777,
            0o600
        );

        let (_key, csr) = new_key_and_request("somebody-else").unwrap();
        let signed = ca.sign_terminal(&csr, "counter-3", now()).unwrap();
        let der = first_der(&signed.cert_pem).unwrap();
        let (_, cert) = x509_parser::parse_x509_certificate(&der).unwrap();
        assert!(
            cert.subject().to_string().contains("counter-3"),
            "{}",
            cert.subject()
        );
        assert_eq!(signed.sha256, sha256_hex(&der));
        assert!(signed.expires > now() + Duration::days(365));
        assert!(ca.sign_terminal("not a request", "x", now()).is_err());
    }

    #[test]
    fn the_host_certificate_is_kept_until_it_nears_expiry() {
        let dir = tempfile::tempdir().unwrap();
        let ca = HallCa::open_or_create(dir.path(), "GZ-TH-01", now()).unwrap();
        let (first, _) = ca.host_identity(&[], now()).unwrap();
        let (same, _) = ca.host_identity(&[], now() + Duration::days(30)).unwrap();
        assert_eq!(first, same);
        let (renewed, _) = ca
            .host_identity(&[], now() + Duration::days(LEAF_DAYS - 10))
            .unwrap();
        assert_ne!(first, renewed);
        assert!(renewed.ends_with(ca.cert_pem()), "the chain ends with the CA");
    }

    #[test]
    fn typed_fingerprints_are_normalised() {
        assert_eq!(normalise_fingerprint("AB:cd 01"), "abcd01");
    }
}
