//! The technician PIN: checked against the Argon2 hash provisioned in the configuration, with a
//! lockout after five wrong PINs in a row that outlives a restart (the count is kept in the data
//! directory, so switching the terminal off and on does not buy more guesses). Attempts are
//! logged; the PIN never is.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

pub const MAX_FAILURES: u32 = 5;
pub const LOCKOUT: Duration = Duration::minutes(10);
const FILE: &str = "technician-lock.json";

/// Wrong PINs in a row, and the end of a lockout.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LockState {
    pub failures: u32,
    pub locked_until: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Open,
    /// Wrong; this many attempts are left before the lockout.
    Wrong {
        left: u32,
    },
    Locked {
        until: DateTime<Utc>,
    },
    /// No technician PIN is provisioned: the mode cannot be opened on this terminal.
    NoPin,
}

impl LockState {
    pub fn locked_at(&self, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
        self.locked_until.filter(|until| *until > now)
    }

    /// Records one attempt whose PIN was `right` (ignored while locked) and says what follows.
    pub fn attempt(&mut self, right: bool, now: DateTime<Utc>) -> Verdict {
        if let Some(until) = self.locked_at(now) {
            return Verdict::Locked { until };
        }
        if right {
            *self = Self::default();
            return Verdict::Open;
        }
        self.failures += 1;
        if self.failures >= MAX_FAILURES {
            let until = now + LOCKOUT;
            *self = Self {
                failures: 0,
                locked_until: Some(until),
            };
            return Verdict::Locked { until };
        }
        Verdict::Wrong {
            left: MAX_FAILURES - self.failures,
        }
    }
}

/// The PIN check of one terminal.
pub struct PinGate {
    hash: Option<String>,
    file: PathBuf,
}

impl PinGate {
    pub fn new(hash: Option<String>, data_dir: &Path) -> Self {
        Self {
            hash,
            file: data_dir.join(FILE),
        }
    }

    fn load(&self) -> LockState {
        match crate::fsutil::read_text(&self.file, 4096) {
            Ok(text) => serde_json::from_str(&text).unwrap_or_else(|e| {
                // A damaged count must not buy more guesses: one wrong PIN more locks.
                tracing::warn!(error = %e, "technician lock file is damaged; one attempt is left");
                LockState {
                    failures: MAX_FAILURES - 1,
                    locked_until: None,
                }
            }),
            Err(_) => LockState::default(),
        }
    }

    fn save(&self, state: &LockState) {
        let text = serde_json::to_string(state).unwrap_or_default();
        if let Err(e) = crate::fsutil::write_atomically(&self.file, text.as_bytes(), true) {
            tracing::error!(error = %e, file = %self.file.display(), "the technician lock count cannot be kept");
        }
    }

    /// The lockout in force, if any (the PIN screen says so before anything is typed).
    pub fn locked_until(&self, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
        self.hash.as_ref()?;
        self.load().locked_at(now)
    }

    pub fn has_pin(&self) -> bool {
        self.hash.is_some()
    }

    /// Checks `pin`; slow (Argon2), so not on the UI thread. A locked gate does not even hash.
    pub fn try_pin(&self, pin: &str, now: DateTime<Utc>) -> Verdict {
        let Some(hash) = &self.hash else {
            tracing::warn!("technician mode asked for, but no technician PIN is provisioned");
            return Verdict::NoPin;
        };
        let mut state = self.load();
        let verdict = match state.locked_at(now) {
            Some(until) => Verdict::Locked { until },
            None => {
                let right = crate::staff::check_pin(pin).is_ok() && crate::staff::pin_matches(pin, hash);
                state.attempt(right, now)
            }
        };
        self.save(&state);
        match verdict {
            Verdict::Open => tracing::info!("technician mode opened"),
            Verdict::Wrong { left } => tracing::warn!(left, "technician PIN attempt refused"),
            Verdict::Locked { until } => {
                tracing::warn!(until = %until.to_rfc3339(), "technician PIN attempt refused: locked")
            }
            Verdict::NoPin => {}
        }
        verdict
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(minute: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 12, 2, 9, minute, 0).unwrap()
    }

    #[test]
    fn the_fifth_wrong_pin_locks_for_ten_minutes_and_a_right_one_then_waits() {
        let mut s = LockState::default();
        for left in (1..=4).rev() {
            assert_eq!(s.attempt(false, at(0)), Verdict::Wrong { left });
        }
        let until = at(10);
        assert_eq!(s.attempt(false, at(0)), Verdict::Locked { until });
        assert_eq!(
            s.attempt(true, at(9)),
            Verdict::Locked { until },
            "the right PIN waits too"
        );
        assert_eq!(s.attempt(true, at(10)), Verdict::Open);
        assert_eq!(s, LockState::default());
    }

    #[test]
    fn a_right_pin_clears_the_count() {
        let mut s = LockState::default();
        s.attempt(false, at(0));
        s.attempt(false, at(0));
        assert_eq!(s.attempt(true, at(1)), Verdict::Open);
        assert_eq!(s.attempt(false, at(1)), Verdict::Wrong { left: 4 });
    }

    #[test]
    fn the_count_survives_a_restart_and_a_damaged_file_locks() {
        let dir = tempfile::tempdir().unwrap();
        let hash = crate::staff::hash_pin("4321").unwrap();
        let gate = PinGate::new(Some(hash.clone()), dir.path());
        for _ in 0..3 {
            gate.try_pin("1111", at(0));
        }
        let again = PinGate::new(Some(hash.clone()), dir.path());
        assert_eq!(again.try_pin("1111", at(0)), Verdict::Wrong { left: 1 });
        assert!(matches!(again.try_pin("1111", at(0)), Verdict::Locked { .. }));
        assert_eq!(again.locked_until(at(5)), Some(at(10)));
        assert_eq!(again.try_pin("4321", at(11)), Verdict::Open);

        std::fs::write(dir.path().join(FILE), "not json").unwrap();
        assert!(matches!(again.try_pin("1111", at(20)), Verdict::Locked { .. }));
        assert_eq!(
            PinGate::new(None, dir.path()).try_pin("4321", at(0)),
            Verdict::NoPin
        );
    }
}
