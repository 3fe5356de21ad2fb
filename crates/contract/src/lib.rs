//! The contract between the hall queue and everyone who uses it: the CLI's JSON, the screens,
//! and next the hall API. Its types are versioned by this crate, not by the domain's internals:
//! the domain types in `kiosk_core` do not serialise themselves; the views here map from them
//! and say, field by field, what goes on the wire.
//!
//! Adding a field is compatible; renaming or removing one is not (the CLI's JSON is documented
//! in docs/cli.md and used by scripts).

mod error;
mod events;
mod feed;
mod queue;
mod stats;
mod views;
pub mod wire;

pub use error::{ErrorKind, HallError, STAFF_LOCKOUT_MINUTES};
pub use events::{EventCursor, EventKind, EventPage, HallEvent};
pub use feed::{FeedItem, HallFeed, IDLE_EVERY};
pub use queue::{HallQueue, IssueRequest, TicketRef};
pub use stats::{DailyStatsView, RatingsView, StaffStatsView};
pub use views::{
    CallResult, CounterStatus, CounterView, HallStatus, HallSummary, RatingView, ScreeningNote,
    ServiceStatus, ServiceWait, SignedIn, TicketView,
};
