//! The queue as readers see it. The CLI prints these as JSON (`kiosk queue … --json`); the hall
//! API will send the same. Field names and meanings are the contract.

use crate::wire;
use chrono::{DateTime, NaiveDate, Utc};
use kiosk_core::queue::{PriorityReason, ServiceCode, TicketState};
use serde::{Deserialize, Serialize};

/// A ticket as the visitor and staff see it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TicketView {
    pub id: String,
    /// The display number (`A012`).
    pub number: String,
    /// The service it is queued for now (changes on transfer).
    #[serde(with = "wire::text")]
    pub service: ServiceCode,
    pub service_name: String,
    #[serde(with = "wire::opt_text")]
    pub priority: Option<PriorityReason>,
    #[serde(with = "wire::text")]
    pub state: TicketState,
    /// The language the visitor used at the kiosk (`zh-CN`, `en`, `ug`).
    pub language: String,
    pub business_day: NaiveDate,
    pub issued_at: DateTime<Utc>,
    pub counter: Option<u32>,
    pub called_at: Option<DateTime<Utc>>,
    pub recalls: u32,
    /// For waiting tickets: how many are ahead in the same service.
    pub people_ahead: Option<usize>,
    /// For waiting tickets: minutes, or null when no open counter serves the service.
    pub estimated_wait_minutes: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CallResult {
    pub counter: u32,
    pub called: Option<TicketView>,
    /// The ticket the counter had, completed automatically by calling the next one.
    pub completed: Option<TicketView>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ServiceStatus {
    #[serde(with = "wire::text")]
    pub code: ServiceCode,
    pub name: String,
    pub waiting: usize,
    pub priority_waiting: usize,
    pub no_show: usize,
    pub open_counters: usize,
    pub typical_service_minutes: u32,
    /// What a ticket issued now would be told.
    pub estimated_wait_minutes: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CounterStatus {
    pub id: u32,
    pub name: String,
    pub paused: bool,
    #[serde(with = "wire::text_list")]
    pub services: Vec<ServiceCode>,
    pub current: Option<TicketView>,
}

/// The whole of today's queue, every ticket included: for technicians and scripts
/// (`kiosk queue status`), not for screens that refresh every second.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HallStatus {
    pub business_day: NaiveDate,
    pub now: DateTime<Utc>,
    pub services: Vec<ServiceStatus>,
    pub counters: Vec<CounterStatus>,
    pub tickets: Vec<TicketView>,
}

/// What a screen shows of the hall: per service the waiting count and wait, per counter its
/// state and visitor, and the latest calls — a size that does not grow with the day.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HallSummary {
    pub business_day: NaiveDate,
    pub now: DateTime<Utc>,
    pub services: Vec<ServiceStatus>,
    pub counters: Vec<CounterStatus>,
    /// Today's latest calls and recalls, newest first (at most `HallSummary::RECENT_CALLS`).
    pub recent_calls: Vec<TicketView>,
    /// The newest event this summary includes: follow `events_after` from here.
    pub cursor: u64,
}

impl HallSummary {
    /// How many recent calls a summary carries (the calling display lists eight).
    pub const RECENT_CALLS: usize = 8;
}

/// A staff member signed in at a counter. `session` goes with the console's requests (header
/// `Staff-Session`); the hall host keeps only its hash. The name is for the console's screen.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SignedIn {
    pub staff: String,
    pub name: String,
    pub counter: u32,
    pub session: String,
}

/// A visitor's rating as kept: the ticket's number, the level (5 very satisfied … 1 very
/// dissatisfied) and, for a low one, the reasons. Nothing else.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RatingView {
    pub number: String,
    pub level: u8,
    pub reasons: Vec<String>,
    pub counter: Option<u32>,
    /// Who entered it: the rating screen's terminal id, or `hall-host` for a paper form.
    #[serde(default)]
    pub entered_by: String,
}

/// What a visitor's eligibility screening said, for a ticket taken from its result: the
/// contract's outcome and matter codes, nothing about the person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScreeningNote {
    pub outcome: String,
    pub matter: String,
}

/// A service as a counter's staff see it: how many wait and for how long the first has.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ServiceWait {
    #[serde(with = "wire::text")]
    pub code: ServiceCode,
    pub name: String,
    pub waiting: usize,
    pub priority_waiting: usize,
    /// Minutes since the longest-waiting ticket was issued (null when nobody waits).
    pub longest_wait_minutes: Option<u32>,
}

/// What the counter console shows: this counter, who it would call next, its services' queues,
/// the no-shows who may still rejoin, and its day so far.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CounterView {
    pub business_day: NaiveDate,
    pub now: DateTime<Utc>,
    pub counter: CounterStatus,
    /// For the visitor called here, when they took the ticket from the screening's result.
    #[serde(default)]
    pub current_screening: Option<ScreeningNote>,
    /// The staff number signed in here, if any.
    pub staff: Option<String>,
    /// The next tickets this counter would call, in calling order (at most `CounterView::NEXT`).
    pub next: Vec<TicketView>,
    pub services: Vec<ServiceWait>,
    /// Today's no-shows of this counter's services still inside the rejoin window, latest first.
    pub rejoinable: Vec<TicketView>,
    pub served_today: u32,
    pub average_service_minutes: Option<f64>,
    /// The hall's terminals whose printer needs staff (paper, cover, jam).
    pub printers_needing_attention: Vec<String>,
    /// Submissions the agency refused for good (a technician retries them).
    pub agency_undeliverable: u64,
}

impl CounterView {
    pub const NEXT: usize = 5;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ticket() -> TicketView {
        TicketView {
            id: "0190".into(),
            number: "A012".into(),
            service: "A".parse().unwrap(),
            service_name: "法律咨询".into(),
            priority: Some(PriorityReason::Elderly),
            state: TicketState::NoShow,
            language: "ug".into(),
            business_day: NaiveDate::from_ymd_opt(2026, 12, 1).unwrap(),
            issued_at: DateTime::from_timestamp(1_764_550_000, 0).unwrap(),
            counter: Some(3),
            called_at: None,
            recalls: 1,
            people_ahead: None,
            estimated_wait_minutes: None,
        }
    }

    #[test]
    fn domain_values_go_on_the_wire_as_their_words_and_come_back() {
        let json = serde_json::to_value(ticket()).unwrap();
        assert_eq!(json["service"], "A");
        assert_eq!(json["state"], "no_show");
        assert_eq!(json["priority"], "elderly");
        assert_eq!(json["business_day"], "2026-12-01");
        let back: TicketView = serde_json::from_value(json).unwrap();
        assert_eq!(back, ticket());
    }

    #[test]
    fn an_unknown_state_on_the_wire_is_an_error_not_a_default() {
        let mut json = serde_json::to_value(ticket()).unwrap();
        json["state"] = "lost".into();
        assert!(serde_json::from_value::<TicketView>(json).is_err());
    }
}
