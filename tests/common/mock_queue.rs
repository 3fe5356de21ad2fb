//! A `HallQueue` that answers what a test tells it to: the screens' reactions to every kind of
//! answer (a ticket, a refusal, an unreachable host) without a database or a hall host.
#![allow(dead_code)]

use chrono::{NaiveDate, TimeZone, Utc};
use kiosk::contract::DailyStatsView;
use kiosk::contract::IssueRequest;
use kiosk::contract::{
    CallResult, CounterStatus, CounterView, EventCursor, EventPage, HallError, HallQueue, HallStatus,
    HallSummary, RatingView, ServiceStatus, SignedIn, TicketRef, TicketView,
};
use kiosk::lang::Lang;
use kiosk::queue::{DisplayNumber, PriorityReason, Rating, ServiceCode, TicketState};
use std::sync::{Arc, Mutex};

/// What the mock was asked to issue: (service, priority, language).
pub type Issued = Arc<Mutex<Vec<(ServiceCode, Option<PriorityReason>, Lang)>>>;

pub struct MockQueue {
    /// The answer to every `issue`: a ticket numbered from the request, or this error.
    pub issue_error: Option<HallError>,
    pub summary: HallSummary,
    pub issued: Issued,
}

pub fn day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 12, 1).unwrap()
}

pub fn ticket(number: &str, state: TicketState, counter: Option<u32>, called_minute: u32) -> TicketView {
    TicketView {
        id: format!("mock-{number}"),
        number: number.into(),
        service: number[..1].parse().unwrap(),
        service_name: "法律咨询".into(),
        priority: None,
        state,
        language: "zh-CN".into(),
        business_day: day(),
        issued_at: Utc.with_ymd_and_hms(2026, 12, 1, 1, 0, 0).unwrap(),
        counter,
        called_at: counter.map(|_| Utc.with_ymd_and_hms(2026, 12, 1, 1, called_minute, 0).unwrap()),
        recalls: 0,
        people_ahead: (state == TicketState::Waiting).then_some(7),
        estimated_wait_minutes: (state == TicketState::Waiting).then_some(35),
    }
}

impl MockQueue {
    /// A hall where counter 2 serves A017 (called last) and counter 1 serves B004.
    pub fn new() -> Self {
        let service = |code: &str, waiting| ServiceStatus {
            code: code.parse().unwrap(),
            name: String::new(),
            waiting,
            priority_waiting: 0,
            no_show: 0,
            open_counters: 1,
            typical_service_minutes: 5,
            estimated_wait_minutes: Some(5 * waiting as u32),
        };
        let counter = |id: u32, current: Option<TicketView>| CounterStatus {
            id,
            name: String::new(),
            paused: false,
            services: vec!["A".parse().unwrap(), "B".parse().unwrap()],
            current,
        };
        let a017 = ticket("A017", TicketState::Called, Some(2), 30);
        let b004 = ticket("B004", TicketState::Called, Some(1), 10);
        Self {
            issue_error: None,
            summary: HallSummary {
                business_day: day(),
                now: Utc.with_ymd_and_hms(2026, 12, 1, 2, 0, 0).unwrap(),
                services: vec![service("A", 6), service("B", 2)],
                counters: vec![counter(1, Some(b004.clone())), counter(2, Some(a017.clone()))],
                recent_calls: vec![a017, b004],
                cursor: 40,
            },
            issued: Issued::default(),
        }
    }

    pub fn failing(error: HallError) -> Self {
        Self {
            issue_error: Some(error),
            ..Self::new()
        }
    }
}

fn not_here<T>() -> Result<T, HallError> {
    Err(HallError::refused("not offered by the mock queue"))
}

impl HallQueue for MockQueue {
    fn issue(&mut self, request: &IssueRequest) -> Result<TicketView, HallError> {
        let (service, priority, lang) = (request.service, request.priority, request.lang);
        self.issued.lock().unwrap().push((service, priority, lang));
        if let Some(e) = &self.issue_error {
            return Err(e.clone());
        }
        let mut t = ticket(&format!("{service}042"), TicketState::Waiting, None, 0);
        t.priority = priority;
        t.language = lang.code().into();
        Ok(t)
    }

    fn call_next(&mut self, _counter: u32) -> Result<CallResult, HallError> {
        not_here()
    }

    fn call_number(&mut self, _counter: u32, _number: DisplayNumber) -> Result<CallResult, HallError> {
        not_here()
    }

    fn recall(&mut self, _counter: u32) -> Result<TicketView, HallError> {
        not_here()
    }

    fn skip(&mut self, _counter: u32) -> Result<TicketView, HallError> {
        not_here()
    }

    fn complete(&mut self, _counter: u32) -> Result<TicketView, HallError> {
        not_here()
    }

    fn rejoin(&mut self, _number: DisplayNumber) -> Result<TicketView, HallError> {
        not_here()
    }

    fn transfer(&mut self, _which: TicketRef, _to: ServiceCode) -> Result<TicketView, HallError> {
        not_here()
    }

    fn set_paused(&mut self, _counter: u32, _paused: bool) -> Result<CounterStatus, HallError> {
        not_here()
    }

    fn ticket(&mut self, _number: DisplayNumber) -> Result<TicketView, HallError> {
        not_here()
    }

    fn ticket_by_id(&mut self, _id: &str) -> Result<TicketView, HallError> {
        not_here()
    }

    fn summary(&mut self) -> Result<HallSummary, HallError> {
        Ok(self.summary.clone())
    }

    fn status(&mut self) -> Result<HallStatus, HallError> {
        not_here()
    }

    fn events_after(&mut self, cursor: EventCursor, _limit: usize) -> Result<EventPage, HallError> {
        Ok(EventPage {
            events: Vec::new(),
            cursor,
            more: false,
        })
    }

    fn daily_stats(&mut self, _day: Option<NaiveDate>) -> Result<DailyStatsView, HallError> {
        not_here()
    }

    fn sign_in(&mut self, _counter: u32, _staff: &str, _pin: &str) -> Result<SignedIn, HallError> {
        not_here()
    }

    fn sign_out(&mut self) -> Result<(), HallError> {
        Ok(())
    }

    fn rate(&mut self, _number: DisplayNumber, _rating: &Rating) -> Result<RatingView, HallError> {
        not_here()
    }

    fn counter_view(&mut self, _counter: u32) -> Result<CounterView, HallError> {
        not_here()
    }
}
