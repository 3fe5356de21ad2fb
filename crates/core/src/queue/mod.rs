//! Queue rules: services, numbering, ticket states, who is called next and how long a visitor waits.
//!
//! Pure logic. No SQL, no clock reads, no I/O: callers pass the time and the tickets in, and
//! `crate::queue_service` persists what these functions decide.

mod day;
mod estimate;
mod number;
pub mod rating;
mod select;
mod state;
pub mod stats;

pub use day::{business_day, next_rollover};
pub use estimate::{estimate_wait_minutes, people_ahead, typical_service_seconds};
pub use number::{DisplayNumber, ServiceCode};
pub use rating::{Rating, RatingError, RatingLevel, RatingReason};
pub use select::{Candidate, FairnessRule, calling_order, choose_next};
pub use state::{Action, TicketState, next_state};

use chrono::{DateTime, NaiveDate, Utc};
use serde::Deserialize;
use std::fmt;
use std::str::FromStr;

/// Why a visitor may use the green channel. Stored with the ticket so statistics can show it.
/// (Read from the configuration by its `as_str` name; the contract crate says how it goes on the wire.)
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PriorityReason {
    Elderly,
    Disabled,
    Pregnant,
    Minor,
    PoliceMilitaryFamily,
}

impl PriorityReason {
    pub const ALL: [PriorityReason; 5] = [
        Self::Elderly,
        Self::Disabled,
        Self::Pregnant,
        Self::Minor,
        Self::PoliceMilitaryFamily,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Elderly => "elderly",
            Self::Disabled => "disabled",
            Self::Pregnant => "pregnant",
            Self::Minor => "minor",
            Self::PoliceMilitaryFamily => "police_military_family",
        }
    }
}

impl fmt::Display for PriorityReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for PriorityReason {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL.into_iter().find(|r| r.as_str() == s).ok_or_else(|| {
            let known: Vec<&str> = Self::ALL.iter().map(|r| r.as_str()).collect();
            format!("unknown priority reason '{s}'; use one of {}", known.join(", "))
        })
    }
}

/// One queue ticket as the hall knows it. `id` is unique forever; `number` only within a
/// business day (numbers restart every day, per service).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ticket {
    pub id: String,
    pub business_day: NaiveDate,
    pub number: DisplayNumber,
    /// The service the ticket is queued for now (changes on transfer; the number does not).
    pub service: ServiceCode,
    pub priority: Option<PriorityReason>,
    pub language: String,
    pub arrived_at: DateTime<Utc>,
    pub state: TicketState,
    pub counter: Option<u32>,
    pub called_at: Option<DateTime<Utc>>,
    pub recalls: u32,
    pub skipped_at: Option<DateTime<Utc>>,
    pub rejoined_at: Option<DateTime<Utc>>,
    pub finished_at: Option<DateTime<Utc>>,
}

impl Ticket {
    pub fn candidate(&self) -> Candidate {
        Candidate {
            id: self.id.clone(),
            service: self.service,
            priority: self.priority.is_some(),
            arrived_at: self.arrived_at,
            rejoined_at: self.rejoined_at,
        }
    }
}

/// Rule errors: a request that the queue's rules refuse. Messages are for counter staff.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum QueueError {
    #[error("ticket {number} is {state} and cannot be {verb}")]
    InvalidTransition {
        number: String,
        state: TicketState,
        verb: &'static str,
    },
    #[error(
        "ticket {number} missed its call more than {window_minutes} minutes ago; \
         the rejoin window has closed, so the visitor needs a new ticket"
    )]
    RejoinWindowClosed { number: String, window_minutes: u32 },
}
