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

/// The kinds of events: the queue's actions (`issue`, `call`, `recall`, `skip`, `rejoin`,
/// `transfer`, `complete`, `expire`).
pub type EventKind = Action;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HallEvent {
    pub seq: u64,
    pub at: DateTime<Utc>,
    pub business_day: NaiveDate,
    #[serde(with = "wire::text")]
    pub event: EventKind,
    pub ticket_id: String,
    /// The display number (`A012`).
    pub number: String,
    /// The ticket's service after the event.
    #[serde(with = "wire::text")]
    pub service: ServiceCode,
    pub counter: Option<u32>,
    /// The language the visitor used at the kiosk, for announcing a call in it too.
    pub language: String,
}

impl HallEvent {
    /// A call or a recall: something the hall must hear and see.
    pub fn is_call(&self) -> bool {
        matches!(self.event, Action::Call | Action::Recall)
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
