//! What happened in the queue, in order: one event per recorded transition, numbered by the
//! store's `transitions.seq`, so a reader that remembers the last number it saw misses nothing
//! and sees nothing twice (the calling display's announcements, the screens' "has anything
//! changed", and the hall API's event stream with `Last-Event-ID`).

use crate::wire;
use chrono::{DateTime, NaiveDate, Utc};
use kiosk_core::queue::{Action, ServiceCode};
use serde::{Deserialize, Serialize};

/// The last event a reader has seen (0: none yet).
pub type EventCursor = u64;

/// What happened: a ticket's transition (the queue's actions) or a counter pausing or resuming.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    Issue,
    Call,
    Recall,
    Skip,
    Rejoin,
    Transfer,
    Complete,
    Expire,
    /// The counter stopped calling (a break).
    Pause,
    /// The counter calls again.
    Resume,
}

impl EventKind {
    /// The kind's word on the wire (the SSE `event:` field, the metrics' label).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pause => "pause",
            Self::Resume => "resume",
            Self::Issue => Action::Issue.as_str(),
            Self::Call => Action::Call.as_str(),
            Self::Recall => Action::Recall.as_str(),
            Self::Skip => Action::Skip.as_str(),
            Self::Rejoin => Action::Rejoin.as_str(),
            Self::Transfer => Action::Transfer.as_str(),
            Self::Complete => Action::Complete.as_str(),
            Self::Expire => Action::Expire.as_str(),
        }
    }
}

impl From<Action> for EventKind {
    fn from(a: Action) -> Self {
        match a {
            Action::Issue => Self::Issue,
            Action::Call => Self::Call,
            Action::Recall => Self::Recall,
            Action::Skip => Self::Skip,
            Action::Rejoin => Self::Rejoin,
            Action::Transfer => Self::Transfer,
            Action::Complete => Self::Complete,
            Action::Expire => Self::Expire,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_kinds_word_is_its_json() {
        for kind in [
            EventKind::Issue,
            EventKind::Call,
            EventKind::Transfer,
            EventKind::Pause,
            EventKind::Resume,
        ] {
            assert_eq!(serde_json::to_value(kind).unwrap(), kind.as_str());
        }
    }
}

/// One event. Ticket events name the ticket; counter events (`pause`, `resume`) have no ticket,
/// so those fields are null for them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HallEvent {
    pub seq: u64,
    pub at: DateTime<Utc>,
    pub business_day: NaiveDate,
    pub event: EventKind,
    pub ticket_id: Option<String>,
    /// The display number (`A012`).
    pub number: Option<String>,
    /// The ticket's service after the event.
    #[serde(with = "wire::opt_text")]
    pub service: Option<ServiceCode>,
    pub counter: Option<u32>,
    /// The language the visitor used at the kiosk, for announcing a call in it too.
    pub language: Option<String>,
}

impl HallEvent {
    /// A call or a recall: something the hall must hear and see.
    pub fn is_call(&self) -> bool {
        matches!(self.event, EventKind::Call | EventKind::Recall)
    }
}

/// Events after a cursor, oldest first, and the cursor to ask from next time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventPage {
    pub events: Vec<HallEvent>,
    /// The last event's number (or the cursor asked with, when there were none).
    pub cursor: EventCursor,
    /// True when `limit` cut the page short: ask again from `cursor`.
    pub more: bool,
}
