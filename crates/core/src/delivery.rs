//! The agency contract's delivery rules (`docs/agency-openapi.yaml`), without a network: how a
//! submission is signed, what an answer means for it, and how long to wait before the next try.
//! The binary's `agency::deliver` sends; the development receiver checks signatures with `verify`.

use crate::digest::{hex, unhex};
use hmac::{Hmac, Mac};
use sha2::Sha256;
use std::time::Duration;

/// `X-Signature`: lowercase hex HMAC-SHA256 over `timestamp \n idempotency_key \n body`.
pub fn sign(key: &[u8], timestamp: &str, idempotency_key: &str, body: &[u8]) -> String {
    hex(&mac(key, timestamp, idempotency_key, body).finalize().into_bytes())
}

/// Checks a signature in constant time.
pub fn verify(key: &[u8], timestamp: &str, idempotency_key: &str, body: &[u8], signature: &str) -> bool {
    let Some(given) = unhex(signature) else {
        return false;
    };
    mac(key, timestamp, idempotency_key, body)
        .verify_slice(&given)
        .is_ok()
}

fn mac(key: &[u8], timestamp: &str, idempotency_key: &str, body: &[u8]) -> Hmac<Sha256> {
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(key)
        .unwrap_or_else(|_| unreachable!("HMAC-SHA256 takes keys of any length"));
    mac.update(timestamp.as_bytes());
    mac.update(b"\n");
    mac.update(idempotency_key.as_bytes());
    mac.update(b"\n");
    mac.update(body);
    mac
}

/// The key file's raw bytes with a trailing newline stripped (as the contract says).
pub fn key_from_file_bytes(mut bytes: Vec<u8>) -> Vec<u8> {
    while bytes.last().is_some_and(|b| *b == b'\n' || *b == b'\r') {
        bytes.pop();
    }
    bytes
}

/// What an answer from the agency means for the submission.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    Delivered,
    /// Try again later (at least after the server's `Retry-After`, if it gave one).
    Retry {
        after: Option<Duration>,
    },
    /// Will not succeed by retrying: a dead letter for a technician.
    Dead,
}

pub fn classify(status: u16, retry_after: Option<Duration>) -> Verdict {
    match status {
        200 | 201 => Verdict::Delivered,
        408 | 429 | 500..=599 => Verdict::Retry { after: retry_after },
        _ => Verdict::Dead,
    }
}

/// First retry delay; it doubles per attempt up to `MAX_BACKOFF`.
pub const FIRST_BACKOFF: Duration = Duration::from_secs(2);
pub const MAX_BACKOFF: Duration = Duration::from_secs(15 * 60);
/// The longest `Retry-After` honoured: a server asking for more (or for ten thousand years) is
/// asked again after a day.
pub const MAX_RETRY_AFTER: Duration = Duration::from_secs(24 * 3600);

/// Capped exponential backoff with "equal jitter": half the step fixed, half random (`unit` in
/// [0, 1)), so terminals that lost the network together do not return together. A server's
/// `Retry-After` is a floor.
pub fn backoff(attempts: u32, retry_after: Option<Duration>, unit: f64, first: Duration) -> Duration {
    let step = first
        .saturating_mul(2u32.saturating_pow(attempts.saturating_sub(1).min(20)))
        .min(MAX_BACKOFF);
    let delay = step / 2 + step.mul_f64(unit.clamp(0.0, 1.0) / 2.0);
    delay.max(retry_after.unwrap_or_default().min(MAX_RETRY_AFTER))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signature_is_hmac_sha256_over_the_documented_bytes() {
        // RFC 4231 test case 2: key "Jefe", data "what do ya want for nothing?".
        let mac = sign(b"Jefe", "what do ya", "want for", b"nothing?");
        assert_ne!(mac, sign(b"Jefe", "what do ya", "want for", b"nothing!"));
        let direct = {
            let mut m = <Hmac<Sha256> as Mac>::new_from_slice(b"Jefe").unwrap();
            m.update(b"what do ya\nwant for\nnothing?");
            hex(&m.finalize().into_bytes())
        };
        assert_eq!(mac, direct);
        assert_eq!(sign(b"Jefe", "", "", b"").len(), 64, "lowercase hex of 32 bytes");
        let mut rfc = <Hmac<Sha256> as Mac>::new_from_slice(b"Jefe").unwrap();
        rfc.update(b"what do ya want for nothing?");
        assert_eq!(
            hex(&rfc.finalize().into_bytes()),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
        assert!(verify(b"Jefe", "what do ya", "want for", b"nothing?", &mac));
        assert!(!verify(
            b"Jefe",
            "what do ya",
            "want for",
            b"nothing?",
            &mac[..62]
        ));
        assert!(!verify(b"Jeff", "what do ya", "want for", b"nothing?", &mac));
    }

    #[test]
    fn answers_are_classified_as_the_contract_says() {
        assert_eq!(classify(201, None), Verdict::Delivered);
        assert_eq!(classify(200, None), Verdict::Delivered);
        for s in [408, 429, 500, 502, 503, 504] {
            assert!(matches!(classify(s, None), Verdict::Retry { .. }), "{s}");
        }
        for s in [400, 401, 403, 404, 409, 413, 422] {
            assert_eq!(classify(s, None), Verdict::Dead, "{s}");
        }
    }

    #[test]
    fn backoff_doubles_with_jitter_is_capped_and_honours_retry_after() {
        let first = FIRST_BACKOFF;
        assert_eq!(backoff(1, None, 0.0, first), Duration::from_secs(1));
        assert_eq!(backoff(1, None, 0.999_999, first).as_secs(), 1);
        assert_eq!(backoff(3, None, 0.0, first), Duration::from_secs(4));
        assert!(backoff(3, None, 0.99, first) < Duration::from_secs(8));
        assert!(backoff(40, None, 0.99, first) <= MAX_BACKOFF);
        assert_eq!(
            backoff(1, Some(Duration::from_secs(30)), 0.5, first),
            Duration::from_secs(30)
        );
        assert_eq!(key_from_file_bytes(b"secret\n".to_vec()), b"secret");
        assert_eq!(
            backoff(1, Some(Duration::from_secs(10_000_000_000_000)), 0.5, first),
            MAX_RETRY_AFTER,
            "an absurd Retry-After is capped (it once overflowed the date)"
        );
    }
}
