//! The hall queue on another machine: `HallQueue` over the hall API, for every terminal that is
//! not the hall host. Screens and commands use it exactly as they use `LocalQueue`.

use super::client::HallClient;
use crate::queue::{DisplayNumber, Rating, ServiceCode};
use chrono::NaiveDate;
use kiosk_contract::IssueRequest;
use kiosk_contract::{
    CallResult, CounterStatus, CounterView, DailyStatsView, EventCursor, EventPage, HallError, HallQueue,
    HallStatus, HallSummary, RatingView, SignedIn, TicketRef, TicketView, wire::Word,
};
use serde_json::{Value, json};

#[derive(Clone)]
pub struct RemoteQueue {
    client: HallClient,
}

impl RemoteQueue {
    pub fn new(client: HallClient) -> Self {
        Self { client }
    }

    fn counter(&self, counter: u32, action: &str, body: Value) -> Result<Value, HallError> {
        self.client
            .post(&format!("/v1/counters/{counter}/{action}"), &body)
    }

    fn typed<T: serde::de::DeserializeOwned>(value: Value) -> Result<T, HallError> {
        serde_json::from_value(value)
            .map_err(|e| HallError::unavailable(format!("unexpected answer from the hall host: {e}")))
    }
}

impl HallQueue for RemoteQueue {
    fn issue(&mut self, request: &IssueRequest) -> Result<TicketView, HallError> {
        let mut body = json!({
            "service": request.service.word(),
            "priority": request.priority.map(|p| p.word()),
            "language": request.lang.code(),
        });
        if let Some(screening) = &request.screening {
            body["screening"] = json!(screening);
        }
        self.client.post("/v1/tickets", &body)
    }

    fn call_next(&mut self, counter: u32) -> Result<CallResult, HallError> {
        Self::typed(self.counter(counter, "call-next", json!({}))?)
    }

    fn call_number(&mut self, counter: u32, number: DisplayNumber) -> Result<CallResult, HallError> {
        Self::typed(self.counter(counter, "call-number", json!({ "number": number.to_string() }))?)
    }

    fn recall(&mut self, counter: u32) -> Result<TicketView, HallError> {
        Self::typed(self.counter(counter, "recall", json!({}))?)
    }

    fn skip(&mut self, counter: u32) -> Result<TicketView, HallError> {
        Self::typed(self.counter(counter, "skip", json!({}))?)
    }

    fn complete(&mut self, counter: u32) -> Result<TicketView, HallError> {
        Self::typed(self.counter(counter, "complete", json!({}))?)
    }

    fn rejoin(&mut self, number: DisplayNumber) -> Result<TicketView, HallError> {
        self.client
            .post(&format!("/v1/numbers/{number}/rejoin"), &json!({}))
    }

    fn transfer(&mut self, which: TicketRef, to: ServiceCode) -> Result<TicketView, HallError> {
        let body = json!({ "to": to.word() });
        match which {
            TicketRef::AtCounter(counter) => Self::typed(self.counter(counter, "transfer", body)?),
            TicketRef::Number(number) => self.client.post(&format!("/v1/numbers/{number}/transfer"), &body),
        }
    }

    fn set_paused(&mut self, counter: u32, paused: bool) -> Result<CounterStatus, HallError> {
        Self::typed(self.counter(counter, if paused { "pause" } else { "resume" }, json!({}))?)
    }

    fn ticket(&mut self, number: DisplayNumber) -> Result<TicketView, HallError> {
        self.client.get(&format!("/v1/numbers/{number}"))
    }

    fn ticket_by_id(&mut self, id: &str) -> Result<TicketView, HallError> {
        if id.is_empty() || !id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
            return Err(HallError::bad_input(format!("no ticket with id {id}")));
        }
        self.client.get(&format!("/v1/tickets/{id}"))
    }

    fn summary(&mut self) -> Result<HallSummary, HallError> {
        self.client.get("/v1/summary")
    }

    fn status(&mut self) -> Result<HallStatus, HallError> {
        self.client.get("/v1/status")
    }

    fn events_after(&mut self, cursor: EventCursor, limit: usize) -> Result<EventPage, HallError> {
        self.client
            .get(&format!("/v1/events/page?after={cursor}&limit={limit}"))
    }

    fn daily_stats(&mut self, day: Option<NaiveDate>) -> Result<DailyStatsView, HallError> {
        match day {
            Some(day) => self.client.get(&format!("/v1/stats/daily?day={day}")),
            None => self.client.get("/v1/stats/daily"),
        }
    }

    fn sign_in(&mut self, counter: u32, staff: &str, pin: &str) -> Result<SignedIn, HallError> {
        let body = json!({ "staff": staff, "pin": pin });
        let signed: SignedIn = self
            .client
            .post_once(&format!("/v1/counters/{counter}/sign-in"), &body)?;
        self.client.set_staff_session(Some(signed.session.clone()));
        Ok(signed)
    }

    fn sign_out(&mut self) -> Result<(), HallError> {
        if self.client.staff_session().is_none() {
            return Ok(());
        }
        let done: Result<Value, HallError> = self.client.post_once("/v1/sign-out", &json!({}));
        self.client.set_staff_session(None);
        done.map(|_| ())
    }

    fn rate(&mut self, number: DisplayNumber, rating: &Rating) -> Result<RatingView, HallError> {
        let reasons: Vec<&str> = rating.reasons().iter().map(|r| r.as_str()).collect();
        let body = json!({ "level": rating.level().number(), "reasons": reasons });
        self.client.post(&format!("/v1/numbers/{number}/rating"), &body)
    }

    fn counter_view(&mut self, counter: u32) -> Result<CounterView, HallError> {
        self.client.get(&format!("/v1/counters/{counter}"))
    }
}
