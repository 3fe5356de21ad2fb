//! Following the hall: a snapshot with its cursor, then every event after it as it happens. The
//! calling display, the counter consoles, the rating screens, the announcer and the visitor's
//! "now serving" all follow the hall through one `HallFeed`, so they see the same events in the
//! same order with the same delay: over the hall API it is the host's Server-Sent Events stream
//! (`GET /v1/events`), on the hall host itself the database's own change counter.

use crate::{HallEvent, HallSummary};
use std::ops::ControlFlow;

/// What a follower is told, in this order: `Connected`, a `Snapshot`, then `Event`s; `Lost` when
/// the hall cannot be followed, and `Connected` (with a snapshot when too much was missed) when
/// it can again. `Idle` comes every so often while nothing happens, so a follower can stop.
#[derive(Debug, Clone, PartialEq)]
pub enum FeedItem {
    /// Following (again).
    Connected,
    /// The whole hall as it is now; the events that follow come after its cursor.
    Snapshot(Box<HallSummary>),
    /// Something that happened in the hall, in the order it happened.
    Event(Box<HallEvent>),
    /// The hall cannot be followed now (why, in a technician's words); trying again.
    Lost(String),
    /// Nothing new since the last item (at most `IDLE_EVERY` apart).
    Idle,
}

/// The longest a follower waits between two items: how soon it can stop.
pub const IDLE_EVERY: std::time::Duration = std::time::Duration::from_millis(100);

/// A way to follow the hall. `follow` runs on the caller's thread until `on` breaks.
pub trait HallFeed: Send {
    fn follow(&mut self, on: &mut dyn FnMut(FeedItem) -> ControlFlow<()>);
}
