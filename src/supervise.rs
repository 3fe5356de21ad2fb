//! Background threads (queue, printer, speech, media, outbox delivery, announcer) must never die
//! silently: a panic in one of them would leave a kiosk that looks alive but prints nothing or
//! never delivers. A panic is caught, logged with the thread's name, and the work goes on — the
//! next job, or the thread's loop started again — until it keeps failing, when the subsystem
//! goes to its degraded mode (which each caller says in its log line).

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::time::{Duration, Instant};

/// How often a thread's loop may be restarted before the subsystem is given up.
#[derive(Debug, Clone, Copy)]
pub struct Restarts {
    /// At most this many restarts…
    pub max: u32,
    /// …within this long; older restarts are forgotten.
    pub within: Duration,
    /// The pause before each restart (the cause may be a device that needs a moment).
    pub pause: Duration,
}

impl Restarts {
    pub const DEFAULT: Restarts = Restarts {
        max: 5,
        within: Duration::from_secs(600),
        pause: Duration::from_secs(1),
    };
}

/// The restarts left under a `Restarts` policy: older restarts are forgotten after `within`.
pub struct RestartBudget {
    policy: Restarts,
    recent: Vec<Instant>,
}

impl RestartBudget {
    pub fn new(policy: Restarts) -> Self {
        Self {
            policy,
            recent: Vec::new(),
        }
    }

    /// Takes one restart: its number within the window, or None when the budget is spent.
    pub fn spend(&mut self) -> Option<usize> {
        let now = Instant::now();
        self.recent
            .retain(|at| now.duration_since(*at) < self.policy.within);
        if self.recent.len() as u32 >= self.policy.max {
            return None;
        }
        self.recent.push(now);
        Some(self.recent.len())
    }
}

/// The text of a panic's payload.
pub fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "a panic without a message".to_owned())
}

/// Runs one job; a panic is logged and turned into `None`, so the caller's loop goes on.
pub fn guarded<T>(thread: &str, job: &str, f: impl FnOnce() -> T) -> Option<T> {
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(value) => Some(value),
        Err(payload) => {
            tracing::error!(thread, job, panic = %panic_message(payload.as_ref()), "a job failed unexpectedly; the thread goes on");
            None
        }
    }
}

/// How a supervised loop ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ended {
    /// `body` returned: its work is done (its channel closed, its stop signal came).
    Finished,
    /// `body` kept panicking; the caller runs its subsystem degraded.
    GaveUp,
}

/// Runs `body` on this thread until it returns. Each panic is logged and `body` is started again
/// after `policy.pause`, unless that would be more than `policy.max` restarts within
/// `policy.within`.
pub fn keep_running(thread: &str, policy: Restarts, mut body: impl FnMut()) -> Ended {
    let mut budget = RestartBudget::new(policy);
    loop {
        match catch_unwind(AssertUnwindSafe(&mut body)) {
            Ok(()) => return Ended::Finished,
            Err(payload) => {
                let message = panic_message(payload.as_ref());
                let Some(restart) = budget.spend() else {
                    tracing::error!(thread, panic = %message, "the thread keeps failing; giving up (degraded mode)");
                    return Ended::GaveUp;
                };
                tracing::error!(thread, panic = %message, restart, "the thread failed unexpectedly; starting it again");
                std::thread::sleep(policy.pause);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const QUICK: Restarts = Restarts {
        max: 3,
        within: Duration::from_secs(60),
        pause: Duration::from_millis(1),
    };

    #[test]
    fn a_panicking_body_is_started_again_until_it_finishes() {
        let mut runs = 0;
        let ended = keep_running("test", QUICK, || {
            runs += 1;
            assert!(runs >= 3, "failing on run {runs}");
        });
        assert_eq!(ended, Ended::Finished);
        assert_eq!(runs, 3);
    }

    #[test]
    fn a_body_that_keeps_panicking_is_given_up() {
        let mut runs = 0;
        let ended = keep_running("test", QUICK, || {
            runs += 1;
            panic!("always");
        });
        assert_eq!(ended, Ended::GaveUp);
        assert_eq!(runs, 4, "the first run and three restarts");
    }

    #[test]
    fn a_panicking_job_becomes_none_and_the_message_is_kept() {
        assert_eq!(guarded("test", "ok", || 7), Some(7));
        assert_eq!(guarded("test", "boom", || -> u8 { panic!("boom {}", 1) }), None);
        let payload = catch_unwind(|| panic!("with {}", "text")).unwrap_err();
        assert_eq!(panic_message(payload.as_ref()), "with text");
    }
}
