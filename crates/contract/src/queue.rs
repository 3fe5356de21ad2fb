//! The one interface to the hall queue. The hall host implements it over its database; a
//! terminal elsewhere in the hall will implement it over the hall API; the screens, the CLI and
//! the tests only know this trait.

use crate::{
    CallResult, CounterStatus, CounterView, DailyStatsView, EventCursor, EventPage, HallError, HallStatus,
    HallSummary, RatingView, ScreeningNote, SignedIn, TicketView,
};
use chrono::NaiveDate;
use kiosk_core::lang::Lang;
use kiosk_core::queue::{DisplayNumber, PriorityReason, Rating, ServiceCode};

/// Which ticket an operation is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TicketRef {
    /// The ticket called at this counter now.
    AtCounter(u32),
    /// A ticket of today by its number.
    Number(DisplayNumber),
}

/// A ticket to issue: for which service, with which green-channel reason (if any), in the
/// visitor's language, and — for a ticket taken from the eligibility result — what the screening
/// said (outcome and matter codes) for the counter that calls it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IssueRequest {
    pub service: ServiceCode,
    pub priority: Option<PriorityReason>,
    pub lang: Lang,
    pub screening: Option<ScreeningNote>,
}

impl IssueRequest {
    pub fn new(service: ServiceCode, priority: Option<PriorityReason>, lang: Lang) -> Self {
        Self {
            service,
            priority,
            lang,
            screening: None,
        }
    }

    /// The same ticket, taken from the eligibility result.
    pub fn screened(mut self, note: ScreeningNote) -> Self {
        self.screening = Some(note);
        self
    }
}

/// Every method is one request: it is done whole or not at all (a failed request changes
/// nothing). Calls block; screens use it from their own worker thread.
pub trait HallQueue: Send {
    /// Issues a ticket; it exists (committed) once this returns.
    fn issue(&mut self, request: &IssueRequest) -> Result<TicketView, HallError>;

    /// Calls the next visitor in calling order to a counter, completing the one it had.
    fn call_next(&mut self, counter: u32) -> Result<CallResult, HallError>;

    /// Calls a given waiting (or skipped) number to a counter.
    fn call_number(&mut self, counter: u32, number: DisplayNumber) -> Result<CallResult, HallError>;

    /// Calls the counter's current visitor again.
    fn recall(&mut self, counter: u32) -> Result<TicketView, HallError>;

    /// The called visitor did not come (they may rejoin within the window).
    fn skip(&mut self, counter: u32) -> Result<TicketView, HallError>;

    /// The counter has finished with its visitor.
    fn complete(&mut self, counter: u32) -> Result<TicketView, HallError>;

    /// Puts a skipped visitor back, right after the current call.
    fn rejoin(&mut self, number: DisplayNumber) -> Result<TicketView, HallError>;

    /// Moves a ticket to another service; it keeps its place by arrival time.
    fn transfer(&mut self, which: TicketRef, to: ServiceCode) -> Result<TicketView, HallError>;

    /// Stops (or starts again) calling at a counter.
    fn set_paused(&mut self, counter: u32, paused: bool) -> Result<CounterStatus, HallError>;

    /// One ticket of today, with its place in the queue when waiting.
    fn ticket(&mut self, number: DisplayNumber) -> Result<TicketView, HallError>;

    /// Any ticket by its id (a reprint), with its place in the queue when waiting.
    fn ticket_by_id(&mut self, id: &str) -> Result<TicketView, HallError>;

    /// What screens show: per service and per counter, and the latest calls.
    fn summary(&mut self) -> Result<HallSummary, HallError>;

    /// The whole of today, every ticket included (technicians, scripts).
    fn status(&mut self) -> Result<HallStatus, HallError>;

    /// Events after `cursor`, oldest first, at most `limit`.
    fn events_after(&mut self, cursor: EventCursor, limit: usize) -> Result<EventPage, HallError>;

    /// A business day's statistics (default: today).
    fn daily_stats(&mut self, day: Option<NaiveDate>) -> Result<DailyStatsView, HallError>;

    /// Signs a staff member in at a counter with their PIN (five wrong PINs lock the staff
    /// number for five minutes). From then on this queue's counter operations are recorded
    /// with that staff number, until `sign_out` or the idle sign-out.
    fn sign_in(&mut self, counter: u32, staff: &str, pin: &str) -> Result<SignedIn, HallError>;

    /// Ends this queue's staff sign-in (nothing to do when nobody is signed in).
    fn sign_out(&mut self) -> Result<(), HallError>;

    /// Keeps a visitor's rating of a completed ticket of today; one per ticket.
    fn rate(&mut self, number: DisplayNumber, rating: &Rating) -> Result<RatingView, HallError>;

    /// What a counter's console shows.
    fn counter_view(&mut self, counter: u32) -> Result<CounterView, HallError>;
}
