//! What the calling display shows, as a state machine fed by the hall's event stream: the
//! newest call (highlighted only while it is news), the recent calls, the waiting counts and
//! whether the host is reachable, plus which calls to announce. Pure: no I/O, no clock of its
//! own (the time comes with each input), so every rule below is tested without a host.
//!
//! The rules that keep people from going to the wrong window:
//! - a call flashes and is announced once, when it is first seen and still fresh;
//! - a snapshot (first connection, or a reconnection that missed too much) shows the calls it
//!   lists but flashes and announces none of them;
//! - while the host is unreachable nothing is highlighted, and coming back highlights nothing
//!   until a new call arrives;
//! - a new business day (from the host, or from this display's clock) empties the board.

use chrono::{DateTime, NaiveDate, Utc};
use kiosk_contract::{EventCursor, HallEvent, HallSummary, ServiceStatus, TicketView};
use kiosk_core::queue::ServiceCode;

/// How many calls the board lists (the host's snapshot carries as many).
pub const RECENT: usize = HallSummary::RECENT_CALLS;
/// A call older than this when it reaches the display (after an outage) goes into the list
/// without a flash or an announcement: the visitor has most likely gone to the window already.
pub const FRESH_SECONDS: i64 = 120;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BoardCall {
    /// The event that made the call (or the snapshot's cursor for calls a snapshot listed).
    pub seq: u64,
    pub number: String,
    pub counter: u32,
    /// The language the visitor used at the kiosk.
    pub language: String,
    pub at: DateTime<Utc>,
    /// Called again (the visitor did not come yet).
    pub recall: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Waiting {
    pub service: ServiceCode,
    /// The host's name for it (its configured Chinese name).
    pub name: String,
    pub waiting: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Link {
    /// Not connected yet since this display started.
    Connecting,
    Live,
    /// The host is unreachable (why, for the log); reconnecting.
    Lost(String),
}

/// One thing that happened to the display.
#[derive(Debug, Clone, PartialEq)]
pub enum Input {
    Connected,
    Snapshot(Box<HallSummary>),
    Event(Box<HallEvent>),
    Lost(String),
    /// A fresh summary (waiting counts), fetched after events changed them.
    Summary(Box<HallSummary>),
    /// The display's clock: the business day it is now.
    Tick(NaiveDate),
}

/// What an input asks of the display besides redrawing.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Effects {
    /// Calls to announce, oldest first.
    pub announce: Vec<BoardCall>,
    /// The waiting counts may have changed: fetch a summary.
    pub refresh: bool,
    /// The board looks different.
    pub changed: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Board {
    day: Option<NaiveDate>,
    /// Newest first, one entry per ticket (a recall moves its ticket to the top).
    calls: Vec<BoardCall>,
    /// The newest call is news: shown highlighted.
    highlighted: bool,
    /// Counts the flashes asked for; the screen flashes when it changes.
    flashes: u64,
    cursor: Option<EventCursor>,
    /// Events up to here have been announced or were made before this display knew the hall.
    announced_to: EventCursor,
    waiting: Vec<Waiting>,
    link: Link,
}

impl Default for Board {
    fn default() -> Self {
        Self::new()
    }
}

impl Board {
    pub fn new() -> Self {
        Self {
            day: None,
            calls: Vec::new(),
            highlighted: false,
            flashes: 0,
            cursor: None,
            announced_to: 0,
            waiting: Vec::new(),
            link: Link::Connecting,
        }
    }

    pub fn calls(&self) -> &[BoardCall] {
        &self.calls
    }

    /// The newest call, while it is news (never while the host is unreachable).
    pub fn highlighted(&self) -> Option<&BoardCall> {
        self.calls
            .first()
            .filter(|_| self.highlighted && self.link == Link::Live)
    }

    pub fn flashes(&self) -> u64 {
        self.flashes
    }

    pub fn waiting(&self) -> &[Waiting] {
        &self.waiting
    }

    pub fn link(&self) -> &Link {
        &self.link
    }

    pub fn day(&self) -> Option<NaiveDate> {
        self.day
    }

    /// Applies one input at `now`.
    pub fn apply(&mut self, input: Input, now: DateTime<Utc>) -> Effects {
        let before = self.clone();
        let mut effects = Effects::default();
        match input {
            Input::Connected => {
                self.link = Link::Live;
                effects.refresh = true;
            }
            Input::Lost(why) => {
                self.link = Link::Lost(why);
                self.highlighted = false;
            }
            Input::Snapshot(summary) => self.snapshot(&summary),
            Input::Event(event) => {
                let seen = self.cursor;
                if let Some(call) = self.event(&event, now) {
                    effects.announce.push(call);
                }
                // Counts change with every new event; one seen before changes nothing.
                effects.refresh = self.cursor != seen;
            }
            Input::Summary(summary) => self.summary(&summary),
            Input::Tick(today) => {
                if self.day.is_some_and(|d| today > d) {
                    self.new_day(today);
                    effects.refresh = true;
                }
            }
        }
        effects.changed = *self != before;
        effects
    }

    fn new_day(&mut self, day: NaiveDate) {
        self.day = Some(day);
        self.calls.clear();
        self.highlighted = false;
        for w in &mut self.waiting {
            w.waiting = 0;
        }
    }

    /// Moves to `day` if it is a later one; false if `day` is an earlier (stale) one.
    fn on_day(&mut self, day: NaiveDate) -> bool {
        match self.day {
            Some(d) if day < d => false,
            Some(d) if day == d => true,
            _ => {
                self.new_day(day);
                true
            }
        }
    }

    fn snapshot(&mut self, summary: &HallSummary) {
        self.link = Link::Live;
        if !self.on_day(summary.business_day) {
            return;
        }
        self.calls = summary
            .recent_calls
            .iter()
            .filter_map(|t| listed(t, summary.cursor))
            .take(RECENT)
            .collect();
        self.highlighted = false;
        self.cursor = Some(summary.cursor);
        self.announced_to = self.announced_to.max(summary.cursor);
        self.waiting = waiting(&summary.services);
    }

    fn summary(&mut self, summary: &HallSummary) {
        // A summary older than what the board has shown would turn counts back.
        if self.cursor.is_some_and(|c| summary.cursor < c) || !self.on_day(summary.business_day) {
            return;
        }
        self.waiting = waiting(&summary.services);
    }

    /// Applies an event; the call to announce, if it is one.
    fn event(&mut self, e: &HallEvent, now: DateTime<Utc>) -> Option<BoardCall> {
        if self.cursor.is_some_and(|c| e.seq <= c) || !self.on_day(e.business_day) {
            return None;
        }
        self.cursor = Some(e.seq);
        if !e.is_call() {
            return None;
        }
        let call = BoardCall {
            seq: e.seq,
            number: e.number.clone()?,
            counter: e.counter?,
            language: e.language.clone().unwrap_or_default(),
            at: e.at,
            recall: e.event == kiosk_contract::EventKind::Recall,
        };
        self.calls.retain(|c| c.number != call.number);
        self.calls.insert(0, call.clone());
        self.calls.truncate(RECENT);
        let fresh = (now - e.at).num_seconds() < FRESH_SECONDS;
        self.highlighted = fresh;
        if !fresh || e.seq <= self.announced_to {
            return None;
        }
        self.flashes += 1;
        self.announced_to = e.seq;
        Some(call)
    }
}

/// A call as a snapshot lists it (tickets that were called today, newest first).
fn listed(t: &TicketView, cursor: EventCursor) -> Option<BoardCall> {
    Some(BoardCall {
        seq: cursor,
        number: t.number.clone(),
        counter: t.counter?,
        language: t.language.clone(),
        at: t.called_at?,
        recall: t.recalls > 0,
    })
}

fn waiting(services: &[ServiceStatus]) -> Vec<Waiting> {
    services
        .iter()
        .map(|s| Waiting {
            service: s.code,
            name: s.name.clone(),
            waiting: s.waiting,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use kiosk_contract::EventKind;
    use kiosk_core::queue::TicketState;

    fn day() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, 1).unwrap()
    }

    fn at(second: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 12, 1, 2, 0, second).unwrap()
    }

    fn event(seq: u64, kind: EventKind, number: &str, counter: u32, second: u32) -> Input {
        Input::Event(Box::new(HallEvent {
            seq,
            at: at(second),
            business_day: day(),
            event: kind,
            ticket_id: Some(format!("t-{number}")),
            number: Some(number.into()),
            service: Some("A".parse().unwrap()),
            counter: Some(counter),
            language: Some("ug".into()),
        }))
    }

    fn ticket(number: &str, counter: u32) -> TicketView {
        TicketView {
            id: format!("t-{number}"),
            number: number.into(),
            service: "A".parse().unwrap(),
            service_name: "法律咨询".into(),
            priority: None,
            state: TicketState::Called,
            language: "zh-CN".into(),
            business_day: day(),
            issued_at: at(0),
            counter: Some(counter),
            called_at: Some(at(1)),
            recalls: 0,
            people_ahead: None,
            estimated_wait_minutes: None,
        }
    }

    fn snapshot(cursor: u64, calls: &[(&str, u32)], waiting: usize) -> Box<HallSummary> {
        Box::new(HallSummary {
            business_day: day(),
            now: at(0),
            services: vec![ServiceStatus {
                code: "A".parse().unwrap(),
                name: "法律咨询".into(),
                waiting,
                priority_waiting: 0,
                no_show: 0,
                open_counters: 1,
                typical_service_minutes: 10,
                estimated_wait_minutes: Some(10),
            }],
            counters: Vec::new(),
            recent_calls: calls.iter().map(|(n, c)| ticket(n, *c)).collect(),
            cursor,
        })
    }

    fn numbers(b: &Board) -> Vec<&str> {
        b.calls().iter().map(|c| c.number.as_str()).collect()
    }

    /// A board connected to a hall whose snapshot is at event 10 with A001 called.
    fn live() -> Board {
        let mut b = Board::new();
        b.apply(Input::Connected, at(5));
        b.apply(Input::Snapshot(snapshot(10, &[("A001", 1)], 3)), at(5));
        b
    }

    #[test]
    fn a_snapshot_lists_calls_without_flashing_or_announcing_them() {
        let b = live();
        assert_eq!(numbers(&b), ["A001"]);
        assert_eq!(b.highlighted(), None);
        assert_eq!(b.flashes(), 0);
        assert_eq!(b.waiting()[0].waiting, 3);
    }

    #[test]
    fn a_new_call_is_highlighted_flashed_and_announced_once() {
        let mut b = live();
        let fx = b.apply(event(11, EventKind::Call, "A002", 3, 20), at(20));
        assert_eq!(fx.announce.len(), 1);
        assert!(fx.refresh && fx.changed);
        assert_eq!(b.highlighted().map(|c| c.number.as_str()), Some("A002"));
        assert_eq!(b.flashes(), 1);
        assert_eq!(numbers(&b), ["A002", "A001"]);
        // The same event again (a reconnection overlapping what was seen): nothing happens.
        let again = b.apply(event(11, EventKind::Call, "A002", 3, 20), at(21));
        assert_eq!(again, Effects::default());
    }

    #[test]
    fn the_next_call_moves_the_last_into_the_list_and_a_recall_flashes_again() {
        let mut b = live();
        b.apply(event(11, EventKind::Call, "A002", 3, 20), at(20));
        b.apply(event(12, EventKind::Call, "A003", 2, 25), at(25));
        assert_eq!(numbers(&b), ["A003", "A002", "A001"]);
        let fx = b.apply(event(13, EventKind::Recall, "A002", 3, 30), at(30));
        assert_eq!(fx.announce.len(), 1, "a recall is announced");
        assert_eq!(b.flashes(), 3);
        assert_eq!(numbers(&b), ["A002", "A003", "A001"], "one row per ticket");
        assert_eq!(b.highlighted().map(|c| c.counter), Some(3));
    }

    #[test]
    fn other_events_change_counts_not_calls() {
        let mut b = live();
        let fx = b.apply(event(11, EventKind::Issue, "A009", 0, 20), at(20));
        assert!(fx.refresh && fx.announce.is_empty());
        assert_eq!(b.flashes(), 0);
        let mut newer = snapshot(11, &[], 4);
        newer.recent_calls.clear();
        b.apply(Input::Summary(newer), at(21));
        assert_eq!(b.waiting()[0].waiting, 4);
        assert_eq!(numbers(&b), ["A001"], "a summary changes the counts only");
        // A summary from before what the board has seen does not turn the counts back.
        b.apply(event(12, EventKind::Issue, "A010", 0, 22), at(22));
        b.apply(Input::Summary(snapshot(11, &[], 1)), at(23));
        assert_eq!(b.waiting()[0].waiting, 4);
    }

    #[test]
    fn the_list_keeps_the_eight_newest() {
        let mut b = live();
        for i in 0..12u32 {
            b.apply(
                event(11 + u64::from(i), EventKind::Call, &format!("B{i:03}"), 1, 20 + i),
                at(20 + i),
            );
        }
        assert_eq!(b.calls().len(), RECENT);
        assert_eq!(b.calls()[0].number, "B011");
        assert_eq!(b.calls()[RECENT - 1].number, "B004");
    }

    #[test]
    fn a_lost_host_unhighlights_and_coming_back_highlights_nothing() {
        let mut b = live();
        b.apply(event(11, EventKind::Call, "A002", 3, 20), at(20));
        let fx = b.apply(Input::Lost("gone".into()), at(22));
        assert!(fx.changed && fx.announce.is_empty());
        assert_eq!(b.highlighted(), None);
        assert_eq!(numbers(&b), ["A002", "A001"], "the calls stay visible");
        b.apply(Input::Connected, at(30));
        assert_eq!(b.highlighted(), None, "an old call is not highlighted again");
        assert_eq!(b.flashes(), 1);
        // Catching up through Last-Event-ID: a call made during the outage is news.
        let fx = b.apply(event(12, EventKind::Call, "A003", 1, 28), at(31));
        assert_eq!(fx.announce.len(), 1);
        assert_eq!(b.highlighted().map(|c| c.number.as_str()), Some("A003"));
    }

    #[test]
    fn a_snapshot_after_an_outage_announces_nothing_it_lists() {
        let mut b = live();
        b.apply(event(11, EventKind::Call, "A002", 3, 20), at(20));
        b.apply(Input::Lost("gone".into()), at(22));
        b.apply(Input::Connected, at(40));
        b.apply(
            Input::Snapshot(snapshot(2500, &[("A090", 2), ("A002", 3)], 0)),
            at(40),
        );
        assert_eq!(numbers(&b), ["A090", "A002"]);
        assert_eq!(b.highlighted(), None);
        // The stream goes on from the snapshot; an event from before it is old news.
        let fx = b.apply(event(2400, EventKind::Call, "A050", 1, 35), at(41));
        assert!(fx.announce.is_empty() && !fx.changed);
    }

    #[test]
    fn a_call_that_arrives_late_is_listed_but_neither_flashed_nor_announced() {
        let mut b = live();
        let late = at(0) + chrono::Duration::seconds(FRESH_SECONDS + 30);
        let fx = b.apply(event(11, EventKind::Call, "A002", 3, 0), late);
        assert!(fx.announce.is_empty());
        assert_eq!(b.highlighted(), None);
        assert_eq!(b.flashes(), 0);
        assert_eq!(numbers(&b), ["A002", "A001"]);
    }

    #[test]
    fn a_new_business_day_empties_the_board() {
        let mut b = live();
        b.apply(event(11, EventKind::Call, "A002", 3, 20), at(20));
        let same = b.apply(Input::Tick(day()), at(30));
        assert!(!same.changed);
        let next = day().succ_opt().unwrap();
        let fx = b.apply(Input::Tick(next), at(30));
        assert!(fx.changed && fx.refresh);
        assert!(b.calls().is_empty());
        assert_eq!(b.highlighted(), None);
        assert_eq!(b.waiting()[0].waiting, 0);
        // Yesterday's summary, fetched late, does not bring yesterday back.
        b.apply(Input::Summary(snapshot(12, &[("A002", 3)], 5)), at(31));
        assert_eq!(b.waiting()[0].waiting, 0);
        assert_eq!(b.day(), Some(next));
    }

    #[test]
    fn the_hosts_new_day_empties_the_board_too() {
        let mut b = live();
        b.apply(event(11, EventKind::Call, "A002", 3, 20), at(20));
        let Input::Event(mut e) = event(12, EventKind::Call, "A001", 1, 20) else {
            unreachable!()
        };
        e.business_day = day().succ_opt().unwrap();
        e.at = at(20) + chrono::Duration::days(1);
        b.apply(Input::Event(e.clone()), e.at);
        assert_eq!(numbers(&b), ["A001"]);
        assert_eq!(b.highlighted().map(|c| c.seq), Some(12));
    }
}
