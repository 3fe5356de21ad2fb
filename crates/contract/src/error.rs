//! What went wrong with a queue request, in four kinds that each reader answers differently: a
//! visitor's screen says "ask staff" for a refusal and "out of service" when the queue is
//! unavailable; the CLI exits 2 for bad input and 1 otherwise; the hall API maps them to 400,
//! 409 (refused, conflict), 503, 401 and 403.

use serde::{Deserialize, Serialize};

/// How long the hall host locks a staff number after too many wrong PINs. The refusal's message
/// says how many minutes are left; a console that cannot read them assumes this.
pub const STAFF_LOCKOUT_MINUTES: u32 = 5;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorKind {
    /// The request names something that does not exist or is malformed (no counter 9, "A1").
    BadInput,
    /// The queue's rules refuse it (a completed ticket cannot be recalled; the rejoin window
    /// has closed).
    Refused,
    /// The state changed or does not allow it now (nothing called at the counter, paused).
    Conflict,
    /// The queue cannot answer: its database failed, or the hall host cannot be reached.
    Unavailable,
    /// The hall API does not know the caller: no client certificate, or a revoked one (401).
    Unauthenticated,
    /// The caller's role may not do this (a display calling a number; a counter operating
    /// another counter) (403).
    Forbidden,
}

impl ErrorKind {
    /// The hall API's status code for this kind.
    pub fn http_status(self) -> u16 {
        match self {
            Self::BadInput => 400,
            Self::Refused | Self::Conflict => 409,
            Self::Unavailable => 503,
            Self::Unauthenticated => 401,
            Self::Forbidden => 403,
        }
    }

    /// The kind a hall API status code stands for, when the answer's body does not say.
    pub fn from_http_status(status: u16) -> Self {
        match status {
            400 | 404 | 422 => Self::BadInput,
            401 => Self::Unauthenticated,
            403 => Self::Forbidden,
            409 => Self::Conflict,
            _ => Self::Unavailable,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::BadInput => "bad_input",
            Self::Refused => "refused",
            Self::Conflict => "conflict",
            Self::Unavailable => "unavailable",
            Self::Unauthenticated => "unauthenticated",
            Self::Forbidden => "forbidden",
        }
    }
}

/// A failed queue request: its kind and a message for the person who can act on it (a clerk or
/// a technician; visitors' screens show their own words per kind). The message carries no
/// personal data: the queue holds none.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[error("{message}")]
pub struct HallError {
    #[serde(rename = "error")]
    pub kind: ErrorKind,
    pub message: String,
}

impl HallError {
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Self {
            kind,
            message: message.into(),
        }
    }

    pub fn bad_input(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::BadInput, message)
    }

    pub fn refused(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Refused, message)
    }

    pub fn conflict(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Conflict, message)
    }

    pub fn unavailable(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Unavailable, message)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_error_is_its_kind_and_message_on_the_wire() {
        let e = HallError::conflict("counter 3 has no visitor called");
        let json = serde_json::to_value(&e).unwrap();
        assert_eq!(json["error"], "conflict");
        assert_eq!(json["message"], "counter 3 has no visitor called");
        let back: HallError = serde_json::from_value(json).unwrap();
        assert_eq!(back, e);
        assert_eq!(e.to_string(), "counter 3 has no visitor called");
    }
}
