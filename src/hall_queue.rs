//! The hall queue on this machine: `kiosk_contract::HallQueue` over the queue database. Errors
//! become the contract's four kinds; a database failure names the file and the next step for
//! the technician (the screens show their own words for "unavailable").

use crate::queue::stats::DailyStats;
use crate::queue::{DisplayNumber, PriorityReason, ServiceCode};
use crate::queue_service::{OpError, QueueService};
use chrono::NaiveDate;
use kiosk_contract::{
    CallResult, CounterStatus, EventCursor, EventPage, HallError, HallQueue, HallStatus, HallSummary,
    TicketRef, TicketView,
};
use kiosk_core::lang::Lang;
use std::path::PathBuf;

pub struct LocalQueue {
    service: QueueService,
    database: PathBuf,
}

impl LocalQueue {
    pub fn new(service: QueueService) -> Self {
        let database = service.store().path().to_owned();
        Self { service, database }
    }

    fn answer<T>(&self, result: Result<T, OpError>) -> Result<T, HallError> {
        result.map_err(|e| hall_error(e, &self.database))
    }
}

/// The contract's error for a queue service error.
pub fn hall_error(e: OpError, database: &std::path::Path) -> HallError {
    match e {
        OpError::BadInput(m) => HallError::bad_input(m),
        OpError::Rule(rule) => HallError::refused(rule.to_string()),
        OpError::Conflict(m) => HallError::conflict(m),
        OpError::Storage(source) => {
            tracing::error!(database = %database.display(), error = %source, "queue database failed");
            HallError::unavailable(format!(
                "queue database {}: {source}; see `kiosk doctor`",
                database.display()
            ))
        }
    }
}

impl HallQueue for LocalQueue {
    fn issue(
        &mut self,
        service: ServiceCode,
        priority: Option<PriorityReason>,
        lang: Lang,
    ) -> Result<TicketView, HallError> {
        let r = self.service.issue(service, priority, lang);
        self.answer(r)
    }

    fn call_next(&mut self, counter: u32) -> Result<CallResult, HallError> {
        let r = self.service.call_next(counter);
        self.answer(r)
    }

    fn call_number(&mut self, counter: u32, number: DisplayNumber) -> Result<CallResult, HallError> {
        let r = self.service.call_number(counter, number);
        self.answer(r)
    }

    fn recall(&mut self, counter: u32) -> Result<TicketView, HallError> {
        let r = self.service.recall(counter);
        self.answer(r)
    }

    fn skip(&mut self, counter: u32) -> Result<TicketView, HallError> {
        let r = self.service.skip(counter);
        self.answer(r)
    }

    fn complete(&mut self, counter: u32) -> Result<TicketView, HallError> {
        let r = self.service.complete(counter);
        self.answer(r)
    }

    fn rejoin(&mut self, number: DisplayNumber) -> Result<TicketView, HallError> {
        let r = self.service.rejoin(number);
        self.answer(r)
    }

    fn transfer(&mut self, which: TicketRef, to: ServiceCode) -> Result<TicketView, HallError> {
        let r = self.service.transfer(which, to);
        self.answer(r)
    }

    fn set_paused(&mut self, counter: u32, paused: bool) -> Result<CounterStatus, HallError> {
        let r = self.service.set_paused(counter, paused);
        self.answer(r)
    }

    fn ticket(&mut self, number: DisplayNumber) -> Result<TicketView, HallError> {
        let r = self.service.ticket(number);
        self.answer(r)
    }

    fn ticket_by_id(&mut self, id: &str) -> Result<TicketView, HallError> {
        let r = self.service.ticket_by_id(id);
        self.answer(r)
    }

    fn summary(&mut self) -> Result<HallSummary, HallError> {
        let r = self.service.summary();
        self.answer(r)
    }

    fn status(&mut self) -> Result<HallStatus, HallError> {
        let r = self.service.status();
        self.answer(r)
    }

    fn events_after(&mut self, cursor: EventCursor, limit: usize) -> Result<EventPage, HallError> {
        let r = self.service.events_after(cursor, limit);
        self.answer(r)
    }

    fn daily_stats(&mut self, day: Option<NaiveDate>) -> Result<DailyStats, HallError> {
        let r = self.service.daily_stats(day);
        self.answer(r)
    }
}
