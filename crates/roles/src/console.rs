//! The counter console's rules, without a window: which of F1–F8 can be done now and why not,
//! what a key asks for, what a refusal means for the staff member, and when an idle console
//! signs out. Pure: the window adapter (`ui::counter`) gives it the counter's view and the time.

use chrono::{DateTime, Duration, Utc};
use kiosk_contract::{CounterView, ErrorKind, HallError, STAFF_LOCKOUT_MINUTES};

/// Why an operation cannot be done now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Why {
    Busy,
    HostUnreachable,
    Paused,
    NobodyWaiting,
    NobodyCalled,
    NobodySkipped,
    NoOtherService,
}

/// What the function keys do, F1 to F8.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Key {
    CallNext,
    Recall,
    Skip,
    Complete,
    Transfer,
    PauseOrResume,
    CallNumber,
    Rejoin,
}

impl Key {
    pub const ALL: [Key; 8] = [
        Self::CallNext,
        Self::Recall,
        Self::Skip,
        Self::Complete,
        Self::Transfer,
        Self::PauseOrResume,
        Self::CallNumber,
        Self::Rejoin,
    ];

    /// F1 is 1.
    pub fn from_function_key(n: i32) -> Option<Key> {
        usize::try_from(n - 1)
            .ok()
            .and_then(|i| Self::ALL.get(i).copied())
    }

    /// The function key that presses it: 1 for F1.
    pub fn function_key(self) -> i32 {
        Self::ALL
            .iter()
            .position(|k| *k == self)
            .map_or(0, |i| i as i32 + 1)
    }
}

/// The state the console is in when a key is pressed.
#[derive(Debug, Clone, Copy)]
pub struct Situation<'a> {
    /// The latest view of this counter (none before the first answer).
    pub view: Option<&'a CounterView>,
    /// The hall host answered the latest request.
    pub reachable: bool,
    /// A request is on its way: one at a time.
    pub busy: bool,
    /// Services this counter could transfer a visitor to (the hall's, not the visitor's own).
    pub other_services: usize,
}

/// Whether `key` can be done now; `Err` says why not (shown on the greyed button).
pub fn allowed(key: Key, s: Situation) -> Result<(), Why> {
    if s.busy {
        return Err(Why::Busy);
    }
    let Some(view) = s.view.filter(|_| s.reachable) else {
        return Err(Why::HostUnreachable);
    };
    let serving = view.counter.current.is_some();
    let paused = view.counter.paused;
    let waiting = view.services.iter().any(|w| w.waiting > 0);
    match key {
        Key::CallNext | Key::CallNumber if paused => Err(Why::Paused),
        Key::CallNext if !waiting => Err(Why::NobodyWaiting),
        Key::Recall | Key::Skip | Key::Complete | Key::Transfer if !serving => Err(Why::NobodyCalled),
        Key::Transfer if s.other_services == 0 => Err(Why::NoOtherService),
        Key::Rejoin if view.rejoinable.is_empty() => Err(Why::NobodySkipped),
        _ => Ok(()),
    }
}

/// What a refused or failed request means for the person at the counter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Trouble {
    /// The hall host cannot be reached: nothing can be called until it is back.
    Unreachable,
    /// The sign-in has ended (signed out elsewhere, taken over, idle): sign in again.
    SignedOut { idle: bool },
    /// A wrong staff number or PIN.
    WrongPin,
    /// Too many wrong PINs: locked for this many more minutes.
    Locked { minutes: u32 },
    /// The queue refused the operation; the host's words say why.
    Refused(String),
}

pub fn trouble(e: &HallError) -> Trouble {
    match e.kind {
        ErrorKind::Unavailable => Trouble::Unreachable,
        ErrorKind::Unauthenticated => Trouble::SignedOut {
            idle: e.message.contains("without activity"),
        },
        ErrorKind::Refused if e.message.contains("is locked for") => Trouble::Locked {
            minutes: locked_minutes(&e.message).unwrap_or(STAFF_LOCKOUT_MINUTES),
        },
        ErrorKind::Refused if e.message.contains("staff number or the PIN") => Trouble::WrongPin,
        _ => Trouble::Refused(e.message.clone()),
    }
}

/// The minutes in "… locked for N more minute(s)".
fn locked_minutes(message: &str) -> Option<u32> {
    let after = message.split("locked for ").nth(1)?;
    after.split_whitespace().next()?.parse().ok()
}

/// Whether an idle console signs its staff member out: no key or click for `idle`, and no
/// visitor called at the counter (someone being served keeps the sign-in).
pub fn idle_sign_out(
    last_activity: DateTime<Utc>,
    now: DateTime<Utc>,
    idle: Duration,
    serving: bool,
) -> bool {
    !serving && now - last_activity >= idle
}

/// "mm:ss" (or "h:mm:ss") since `since`; a clock set back shows 00:00.
pub fn elapsed_text(since: DateTime<Utc>, now: DateTime<Utc>) -> String {
    let secs = (now - since).num_seconds().max(0);
    let (h, m, s) = (secs / 3600, secs / 60 % 60, secs % 60);
    if h > 0 {
        format!("{h}:{m:02}:{s:02}")
    } else {
        format!("{m:02}:{s:02}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use kiosk_contract::{CounterStatus, ServiceWait, TicketView};
    use kiosk_core::queue::TicketState;

    fn ticket(number: &str, state: TicketState) -> TicketView {
        TicketView {
            id: number.into(),
            number: number.into(),
            service: "A".parse().unwrap(),
            service_name: String::new(),
            priority: None,
            state,
            language: "zh-CN".into(),
            business_day: chrono::NaiveDate::from_ymd_opt(2026, 12, 1).unwrap(),
            issued_at: DateTime::from_timestamp(1_800_000_000, 0).unwrap(),
            counter: None,
            called_at: None,
            recalls: 0,
            people_ahead: None,
            estimated_wait_minutes: None,
        }
    }

    fn view(serving: bool, paused: bool, waiting: usize, skipped: bool) -> CounterView {
        CounterView {
            business_day: chrono::NaiveDate::from_ymd_opt(2026, 12, 1).unwrap(),
            now: DateTime::from_timestamp(1_800_000_000, 0).unwrap(),
            counter: CounterStatus {
                id: 1,
                name: String::new(),
                paused,
                services: vec!["A".parse().unwrap()],
                current: serving.then(|| ticket("A001", TicketState::Called)),
            },
            current_screening: None,
            staff: None,
            next: Vec::new(),
            services: vec![ServiceWait {
                code: "A".parse().unwrap(),
                name: String::new(),
                waiting,
                priority_waiting: 0,
                longest_wait_minutes: None,
            }],
            rejoinable: if skipped {
                vec![ticket("A002", TicketState::NoShow)]
            } else {
                Vec::new()
            },
            served_today: 0,
            average_service_minutes: None,
            printers_needing_attention: Vec::new(),
            agency_undeliverable: 0,
        }
    }

    fn situation(view: &CounterView) -> Situation<'_> {
        Situation {
            view: Some(view),
            reachable: true,
            busy: false,
            other_services: 4,
        }
    }

    #[test]
    fn each_key_says_why_it_cannot_be_used() {
        let idle = view(false, false, 0, false);
        let s = situation(&idle);
        assert_eq!(allowed(Key::CallNext, s), Err(Why::NobodyWaiting));
        assert_eq!(allowed(Key::Recall, s), Err(Why::NobodyCalled));
        assert_eq!(allowed(Key::Transfer, s), Err(Why::NobodyCalled));
        assert_eq!(allowed(Key::Rejoin, s), Err(Why::NobodySkipped));
        assert_eq!(allowed(Key::PauseOrResume, s), Ok(()));
        assert_eq!(allowed(Key::CallNumber, s), Ok(()));

        let paused = view(true, true, 3, true);
        let s = situation(&paused);
        assert_eq!(allowed(Key::CallNext, s), Err(Why::Paused));
        assert_eq!(allowed(Key::CallNumber, s), Err(Why::Paused));
        assert_eq!(
            allowed(Key::Complete, s),
            Ok(()),
            "the visitor there is still served"
        );
        assert_eq!(allowed(Key::Rejoin, s), Ok(()));

        let busy = view(true, false, 3, false);
        assert_eq!(allowed(Key::CallNext, situation(&busy)), Ok(()));
        let mut s = situation(&busy);
        s.other_services = 0;
        assert_eq!(allowed(Key::Transfer, s), Err(Why::NoOtherService));
        s.busy = true;
        assert_eq!(allowed(Key::Recall, s), Err(Why::Busy));
        s.busy = false;
        s.reachable = false;
        for key in Key::ALL {
            assert_eq!(allowed(key, s), Err(Why::HostUnreachable));
        }
    }

    #[test]
    fn each_key_is_pressed_by_its_own_function_key() {
        for key in Key::ALL {
            assert_eq!(Key::from_function_key(key.function_key()), Some(key));
        }
        assert_eq!(Key::CallNext.function_key(), 1);
        assert_eq!(Key::from_function_key(0), None);
        assert_eq!(Key::from_function_key(9), None);
    }

    #[test]
    fn refusals_become_what_the_staff_member_can_do() {
        assert_eq!(trouble(&HallError::unavailable("x")), Trouble::Unreachable);
        let locked =
            HallError::refused("too many wrong PINs: this staff number is locked for 3 more minute(s)");
        assert_eq!(trouble(&locked), Trouble::Locked { minutes: 3 });
        let wrong = HallError::refused("the staff number or the PIN is not right");
        assert_eq!(trouble(&wrong), Trouble::WrongPin);
        let idle = HallError::new(
            ErrorKind::Unauthenticated,
            "you were signed out after 30 minutes without activity; sign in again",
        );
        assert_eq!(trouble(&idle), Trouble::SignedOut { idle: true });
        let rule = HallError::refused("ticket A001 cannot rejoin");
        assert_eq!(
            trouble(&rule),
            Trouble::Refused("ticket A001 cannot rejoin".into())
        );
        assert_eq!(Key::from_function_key(1), Some(Key::CallNext));
        assert_eq!(Key::from_function_key(8), Some(Key::Rejoin));
        assert_eq!(Key::from_function_key(9), None);
        assert_eq!(Key::from_function_key(0), None);
    }

    #[test]
    fn an_idle_console_signs_out_unless_someone_is_being_served() {
        let t = |min: i64| DateTime::from_timestamp(1_800_000_000 + min * 60, 0).unwrap();
        let idle = Duration::minutes(30);
        assert!(!idle_sign_out(t(0), t(29), idle, false));
        assert!(idle_sign_out(t(0), t(30), idle, false));
        assert!(!idle_sign_out(t(0), t(90), idle, true));
        assert_eq!(elapsed_text(t(0), t(3)), "03:00");
        assert_eq!(elapsed_text(t(0), t(75)), "1:15:00");
        assert_eq!(elapsed_text(t(5), t(0)), "00:00");
    }
}
