//! Enrolment without copying keys by hand. On the host, `kiosk provision --enroll` records a
//! one-time code (15 minutes, single use, stored as its hash) for a terminal id and role. The
//! new terminal makes its own key, sends a signing request with the code, and gets back its
//! certificate and the hall CA; its key never leaves it.

use super::access::{self, TerminalRole};
use super::pki::{HallCa, PkiError};
use chrono::{DateTime, Duration, Utc};
use kiosk_core::digest::sha256_hex;
use kiosk_store::Store;
use kiosk_store::hall_tables::{self, CodeRow, TerminalRow};
use serde::{Deserialize, Serialize};

/// How long a code works.
pub const CODE_VALID_MINUTES: i64 = 15;
/// Letters and digits that cannot be mistaken for one another when read aloud or typed.
const CODE_ALPHABET: &[u8] = b"ABCDEFGHJKMNPQRSTUVWXYZ23456789";
const CODE_LENGTH: usize = 12;

/// What the joining terminal sends.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct EnrolRequest {
    pub code: String,
    pub csr_pem: String,
}

/// What the host answers: the terminal's identity as enrolled, its certificate and the CA.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct EnrolAnswer {
    pub terminal_id: String,
    pub role: TerminalRole,
    pub counters: Vec<u32>,
    pub hall_id: String,
    pub certificate_pem: String,
    pub ca_pem: String,
    pub expires: DateTime<Utc>,
}

/// A code as printed for the technician.
#[derive(Debug, Clone, Serialize)]
pub struct IssuedCode {
    pub terminal_id: String,
    pub role: TerminalRole,
    pub counters: Vec<u32>,
    pub code: String,
    pub expires_at: DateTime<Utc>,
    pub ca_fingerprint: String,
}

#[derive(Debug, thiserror::Error)]
pub enum EnrolError {
    /// The code is wrong, used or expired: the technician makes a new one.
    #[error("{0}")]
    Code(String),
    #[error("{0}")]
    Request(String),
    #[error(transparent)]
    Pki(#[from] PkiError),
    #[error("queue database: {0}")]
    Storage(#[from] kiosk_store::SqlError),
}

/// The stored form of a code: its letters without dashes or spaces, upper case, hashed.
fn code_hash(code: &str) -> String {
    let letters: String = code
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_uppercase())
        .collect();
    sha256_hex(letters.as_bytes())
}

fn new_code() -> String {
    use rand::Rng;
    let mut rng = rand::rng();
    let letters: Vec<char> = (0..CODE_LENGTH)
        .map(|_| char::from(CODE_ALPHABET[rng.random_range(0..CODE_ALPHABET.len())]))
        .collect();
    letters
        .chunks(4)
        .map(|c| c.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join("-")
}

/// Records a new code for `terminal_id` (an earlier unused one for it stops working).
pub fn issue_code(
    store: &mut Store,
    ca: &HallCa,
    terminal_id: &str,
    role: TerminalRole,
    counters: &[u32],
    now: DateTime<Utc>,
) -> Result<IssuedCode, EnrolError> {
    let code = new_code();
    let row = CodeRow {
        terminal_id: terminal_id.to_owned(),
        role: role.as_str().to_owned(),
        counters: access::list(counters),
        expires_at: now + Duration::minutes(CODE_VALID_MINUTES),
        used_at: None,
    };
    store.write(|c| hall_tables::insert_code(c, &code_hash(&code), &row, now))?;
    Ok(IssuedCode {
        terminal_id: terminal_id.to_owned(),
        role,
        counters: counters.to_vec(),
        code,
        expires_at: row.expires_at,
        ca_fingerprint: ca.fingerprint().to_owned(),
    })
}

/// Checks the code and signs the request, in one transaction: a code works once.
pub fn redeem(
    store: &mut Store,
    ca: &HallCa,
    hall_id: &str,
    request: &EnrolRequest,
    now: DateTime<Utc>,
) -> Result<EnrolAnswer, EnrolError> {
    let hash = code_hash(&request.code);
    store.write(|c| {
        let code = hall_tables::code(c, &hash)?
            .ok_or_else(|| EnrolError::Code("this enrolment code is not known; check it, or make a new one on the hall host".into()))?;
        if code.used_at.is_some() {
            return Err(EnrolError::Code(
                "this enrolment code has been used already; make a new one on the hall host".into(),
            ));
        }
        if now >= code.expires_at {
            return Err(EnrolError::Code(format!(
                "this enrolment code expired at {} (codes work for {CODE_VALID_MINUTES} minutes); make a new one on the hall host",
                code.expires_at.format("%H:%M UTC")
            )));
        }
        let role = TerminalRole::parse(&code.role)
            .ok_or_else(|| EnrolError::Request(format!("the code's role {} is unknown", code.role)))?;
        let signed = ca
            .sign_terminal(&request.csr_pem, &code.terminal_id, now)
            .map_err(|e| EnrolError::Request(e.to_string()))?;
        hall_tables::enrol(
            c,
            &TerminalRow {
                id: code.terminal_id.clone(),
                role: code.role.clone(),
                counters: code.counters.clone(),
                cert_sha256: Some(signed.sha256.clone()),
                cert_expires: Some(signed.expires),
                enrolled_at: Some(now),
                last_seen: None,
                revoked_at: None,
            },
        )?;
        hall_tables::mark_code_used(c, &hash, now)?;
        tracing::info!(terminal = %code.terminal_id, role = %code.role, "terminal enrolled");
        Ok(EnrolAnswer {
            terminal_id: code.terminal_id,
            role,
            counters: access::parse_list(&code.counters),
            hall_id: hall_id.to_owned(),
            certificate_pem: signed.cert_pem,
            ca_pem: ca.cert_pem().to_owned(),
            expires: signed.expires,
        })
    })
}

/// The joining terminal's side: makes a key, sends the request with the code to `host`
/// (trusting it only if its CA has `fingerprint`) and returns the answer and the new key (PEM).
pub fn join(
    host: &str,
    code: &str,
    fingerprint: &str,
) -> Result<(EnrolAnswer, String), kiosk_contract::HallError> {
    use kiosk_contract::HallError;
    let tls = super::tls::pinned_config(fingerprint).map_err(|e| HallError::unavailable(e.to_string()))?;
    let client = super::client::HallClient::new(host, tls)?;
    let (key_pem, csr_pem) = super::pki::new_key_and_request("joining-terminal")
        .map_err(|e| HallError::unavailable(e.to_string()))?;
    let request = serde_json::to_value(EnrolRequest {
        code: code.to_owned(),
        csr_pem,
    })
    .map_err(|e| HallError::unavailable(e.to_string()))?;
    let answer: EnrolAnswer = client.post("/v1/enrol", &request).map_err(|e| {
        if e.message.contains(super::tls::FINGERPRINT_MISMATCH) {
            // The host answered, with another CA: a wrong fingerprint or the wrong host, not a
            // network fault.
            HallError::bad_input(format!(
                "{} at {host}; read the fingerprint again on the hall host (`kiosk provision --enroll` prints it) \
                 and check the address; nothing was stored",
                super::tls::FINGERPRINT_MISMATCH
            ))
        } else {
            e
        }
    })?;
    let ca_der = super::pki::first_der(&answer.ca_pem).map_err(|e| HallError::unavailable(e.to_string()))?;
    if sha256_hex(&ca_der) != super::pki::normalise_fingerprint(fingerprint) {
        return Err(HallError::unavailable(
            "the hall host sent a CA other than the one with the fingerprint given; nothing was stored",
        ));
    }
    Ok((answer, key_pem))
}

/// Stores what `join` got under `<data-dir>/tls/` (the key readable by its owner only); the
/// files written.
pub fn store_credentials(
    data_dir: &std::path::Path,
    answer: &EnrolAnswer,
    key_pem: &str,
) -> std::io::Result<Vec<std::path::PathBuf>> {
    use super::pki::{CA_CERT, CLIENT_CERT, CLIENT_KEY, TLS_DIR};
    let dir = data_dir.join(TLS_DIR);
    let files = [
        (dir.join(CLIENT_KEY), key_pem, true),
        (dir.join(CLIENT_CERT), answer.certificate_pem.as_str(), false),
        (dir.join(CA_CERT), answer.ca_pem.as_str(), false),
    ];
    for (path, text, private) in &files {
        crate::fsutil::write_atomically(path, text.as_bytes(), *private)?;
    }
    Ok(files.into_iter().map(|(p, _, _)| p).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> DateTime<Utc> {
        "2026-12-01T02:00:00Z".parse().unwrap()
    }

    #[test]
    fn a_code_works_once_within_fifteen_minutes() {
        let dir = tempfile::tempdir().unwrap();
        let ca = HallCa::open_or_create(dir.path(), "H", now()).unwrap();
        let mut store = Store::open_in(dir.path()).unwrap();
        let issued = issue_code(&mut store, &ca, "counter-3", TerminalRole::Counter, &[3], now()).unwrap();
        assert_eq!(issued.code.len(), 14, "{}", issued.code);
        let (_key, csr) = super::super::pki::new_key_and_request("counter-3").unwrap();
        let typed = issued.code.to_lowercase().replace('-', " ");
        let request = |code: &str| EnrolRequest {
            code: code.into(),
            csr_pem: csr.clone(),
        };

        let late = redeem(
            &mut store,
            &ca,
            "H",
            &request(&typed),
            now() + Duration::minutes(15),
        );
        assert!(matches!(late, Err(EnrolError::Code(m)) if m.contains("expired")));
        let answer = redeem(
            &mut store,
            &ca,
            "H",
            &request(&typed),
            now() + Duration::minutes(14),
        )
        .unwrap();
        assert_eq!(
            (answer.role, answer.counters.clone()),
            (TerminalRole::Counter, vec![3])
        );
        let again = redeem(
            &mut store,
            &ca,
            "H",
            &request(&typed),
            now() + Duration::minutes(14),
        );
        assert!(matches!(again, Err(EnrolError::Code(m)) if m.contains("used already")));
        let wrong = redeem(&mut store, &ca, "H", &request("AAAA-BBBB-CCCC"), now());
        assert!(matches!(wrong, Err(EnrolError::Code(m)) if m.contains("not known")));
    }

    #[test]
    fn a_new_code_replaces_the_unused_one() {
        let dir = tempfile::tempdir().unwrap();
        let ca = HallCa::open_or_create(dir.path(), "H", now()).unwrap();
        let mut store = Store::open_in(dir.path()).unwrap();
        let first = issue_code(&mut store, &ca, "display", TerminalRole::Display, &[], now()).unwrap();
        let _second = issue_code(&mut store, &ca, "display", TerminalRole::Display, &[], now()).unwrap();
        let (_key, csr) = super::super::pki::new_key_and_request("display").unwrap();
        let r = redeem(
            &mut store,
            &ca,
            "H",
            &EnrolRequest {
                code: first.code,
                csr_pem: csr,
            },
            now(),
        );
        assert!(matches!(r, Err(EnrolError::Code(_))));
    }
}
