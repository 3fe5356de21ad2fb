//! Property tests of the queue invariants, on the real store, over random sequences of
//! operations and clock moves:
//! - a display number is unique per business day (so per service per day);
//! - each ticket is in exactly one state, and a called ticket is at exactly one counter;
//! - calls follow rejoin > green channel (within the fairness cap) > service order > arrival;
//! - transfer keeps the arrival time, so transferred tickets keep their place by arrival.

use crate::common;

use chrono::{DateTime, Duration, Utc};
use common::hall_with;
use kiosk::config::Config;
use kiosk::lang::Lang;
use kiosk::queue::{PriorityReason, ServiceCode, TicketState};
use kiosk::queue_service::{HallStatus, OpError, TicketRef, TicketView};
use kiosk_contract::IssueRequest;
use proptest::prelude::*;
use std::collections::{HashMap, HashSet};

const SERVICES: [&str; 3] = ["A", "B", "C"];
const COUNTERS: [u32; 3] = [1, 2, 3];
const CAP: u32 = 2;

fn code(s: &str) -> ServiceCode {
    s.parse().unwrap()
}

fn config() -> Config {
    let mut c = Config::default();
    c.services.truncate(3);
    c.counters[0].services = vec![code("A"), code("B")];
    c.counters[1].services = vec![code("C"), code("A"), code("B")];
    c.counters[2].services = vec![code("C")];
    c.queue.max_priority_streak = CAP;
    c.queue.rejoin_window_minutes = 20;
    c
}

#[derive(Debug, Clone)]
enum Op {
    Issue { service: usize, priority: bool },
    Call { counter: usize },
    CallNumber { counter: usize, pick: usize },
    Recall { counter: usize },
    Skip { counter: usize },
    Rejoin { pick: usize },
    Transfer { pick: usize, to: usize },
    TransferAtCounter { counter: usize, to: usize },
    Complete { counter: usize },
    Pause { counter: usize },
    Resume { counter: usize },
    Advance { minutes: i64 },
    NextDay,
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        6 => (0..3usize, prop::bool::weighted(0.4)).prop_map(|(service, priority)| Op::Issue { service, priority }),
        5 => (0..3usize).prop_map(|counter| Op::Call { counter }),
        1 => (0..3usize, any::<usize>()).prop_map(|(counter, pick)| Op::CallNumber { counter, pick }),
        1 => (0..3usize).prop_map(|counter| Op::Recall { counter }),
        2 => (0..3usize).prop_map(|counter| Op::Skip { counter }),
        2 => any::<usize>().prop_map(|pick| Op::Rejoin { pick }),
        1 => (any::<usize>(), 0..3usize).prop_map(|(pick, to)| Op::Transfer { pick, to }),
        1 => (0..3usize, 0..3usize).prop_map(|(counter, to)| Op::TransferAtCounter { counter, to }),
        2 => (0..3usize).prop_map(|counter| Op::Complete { counter }),
        1 => (0..3usize).prop_map(|counter| Op::Pause { counter }),
        1 => (0..3usize).prop_map(|counter| Op::Resume { counter }),
        3 => (0..25i64).prop_map(|minutes| Op::Advance { minutes }),
        1 => Just(Op::NextDay),
    ]
}

/// What the test itself saw happen, independent of the implementation.
#[derive(Default)]
struct Model {
    arrival: HashMap<String, DateTime<Utc>>,
    numbers: HashSet<(String, String)>,
    rejoined: HashSet<String>,
    calls_today: Vec<bool>,
    day: String,
}

impl Model {
    fn streak(&self) -> u32 {
        self.calls_today.iter().rev().take_while(|p| **p).count() as u32
    }
}

fn pick(tickets: &[TicketView], i: usize) -> Option<&TicketView> {
    (!tickets.is_empty()).then(|| &tickets[i % tickets.len()])
}

fn check_invariants(
    status: &HallStatus,
    db: &rusqlite::Connection,
    model: &Model,
) -> Result<(), TestCaseError> {
    let dupes: i64 = db
        .query_row(
            "SELECT COUNT(*) - COUNT(DISTINCT business_day || '/' || number) FROM tickets",
            [],
            |r| r.get(0),
        )
        .unwrap();
    prop_assert_eq!(dupes, 0, "a display number repeats within a business day");
    let double_called: i64 = db
        .query_row(
            "SELECT COUNT(*) FROM (SELECT counter_id FROM tickets WHERE state = 'called' GROUP BY counter_id HAVING COUNT(*) > 1)",
            [],
            |r| r.get(0),
        )
        .unwrap();
    prop_assert_eq!(double_called, 0, "a counter has two tickets called");
    let total: i64 = db
        .query_row("SELECT COUNT(*) FROM tickets", [], |r| r.get(0))
        .unwrap();
    prop_assert_eq!(
        total as usize,
        model.arrival.len(),
        "tickets appeared or vanished"
    );
    let open_earlier: i64 = db
        .query_row(
            "SELECT COUNT(*) FROM tickets WHERE business_day < ?1 AND state IN ('waiting','called','no_show')",
            [&status.business_day.to_string()],
            |r| r.get(0),
        )
        .unwrap();
    prop_assert_eq!(open_earlier, 0, "yesterday's tickets were not expired");

    for t in &status.tickets {
        prop_assert_eq!(
            Some(&t.issued_at),
            model.arrival.get(&t.id),
            "arrival time changed for {}",
            t.number
        );
        let at: Vec<u32> = status
            .counters
            .iter()
            .filter(|c| c.current.as_ref().is_some_and(|cur| cur.id == t.id))
            .map(|c| c.id)
            .collect();
        match t.state {
            TicketState::Called => prop_assert_eq!(at.len(), 1, "called ticket {} at {:?}", t.number, at),
            _ => prop_assert!(
                at.is_empty(),
                "{} is {:?} but shown at counter {:?}",
                t.number,
                t.state,
                at
            ),
        }
    }
    Ok(())
}

/// Checks one call against the snapshot taken just before it.
fn check_call(
    before: &HallStatus,
    counter: u32,
    called: Option<&TicketView>,
    model: &Model,
    services: &[ServiceCode],
) -> Result<(), TestCaseError> {
    let candidates: Vec<&TicketView> = before
        .tickets
        .iter()
        .filter(|t| t.state == TicketState::Waiting && services.contains(&t.service))
        .collect();
    let Some(chosen) = called else {
        prop_assert!(
            candidates.is_empty(),
            "counter {counter} called nobody while {} waited",
            candidates.len()
        );
        return Ok(());
    };
    prop_assert!(
        candidates.iter().any(|c| c.id == chosen.id),
        "called a ticket that was not a candidate"
    );
    let rank = |t: &TicketView| services.iter().position(|s| *s == t.service);
    let rejoined: Vec<&&TicketView> = candidates
        .iter()
        .filter(|c| model.rejoined.contains(&c.id))
        .collect();
    if !rejoined.is_empty() {
        prop_assert!(
            model.rejoined.contains(&chosen.id),
            "a rejoined visitor was passed over"
        );
        return Ok(());
    }
    let has_priority = candidates.iter().any(|c| c.priority.is_some());
    let has_normal = candidates.iter().any(|c| c.priority.is_none());
    if has_priority && has_normal {
        let want_priority = model.streak() < CAP;
        prop_assert_eq!(
            chosen.priority.is_some(),
            want_priority,
            "fairness rule broken at streak {}",
            model.streak()
        );
    }
    let same_class = candidates
        .iter()
        .filter(|c| c.priority.is_some() == chosen.priority.is_some());
    for other in same_class {
        let better = (rank(other), other.issued_at) < (rank(chosen), chosen.issued_at);
        prop_assert!(
            !better,
            "{} was called before {} (service order, then arrival)",
            chosen.number,
            other.number
        );
    }
    Ok(())
}

fn expect_refusal(result: Result<impl std::fmt::Debug, OpError>) -> Result<(), TestCaseError> {
    if let Err(e) = &result {
        prop_assert!(!matches!(e, OpError::Storage(_)), "storage error: {}", e);
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn queue_invariants_hold(ops in prop::collection::vec(op(), 1..70)) {
        let cfg = config();
        let mut h = hall_with(cfg.clone(), "2026-11-26T01:00:00Z");
        let db = rusqlite::Connection::open(h.queue.store().path()).unwrap();
        let mut model = Model { day: h.queue.status().unwrap().business_day.to_string(), ..Model::default() };

        for op in ops {
            let before = h.queue.status().unwrap();
            if before.business_day.to_string() != model.day {
                model.day = before.business_day.to_string();
                model.calls_today.clear();
                model.rejoined.clear();
            }
            let open: Vec<TicketView> = before.tickets.iter().filter(|t| t.state.is_open()).cloned().collect();
            let no_shows: Vec<TicketView> = before.tickets.iter().filter(|t| t.state == TicketState::NoShow).cloned().collect();
            match op {
                Op::Issue { service, priority } => {
                    let reason = priority.then_some(PriorityReason::Disabled);
                    let t = h.queue.issue(&IssueRequest::new(code(SERVICES[service]), reason, Lang::ZhCn)).unwrap();
                    prop_assert!(model.numbers.insert((t.business_day.to_string(), t.number.clone())), "number {} reused", t.number);
                    model.arrival.insert(t.id.clone(), t.issued_at);
                }
                Op::Call { counter } => {
                    let id = COUNTERS[counter];
                    match h.queue.call_next(id) {
                        Ok(r) => {
                            let services = &cfg.counter(id).unwrap().services;
                            check_call(&before, id, r.called.as_ref(), &model, services)?;
                            if let Some(t) = &r.called {
                                model.calls_today.push(t.priority.is_some());
                                model.rejoined.remove(&t.id);
                            }
                        }
                        Err(e) => prop_assert!(matches!(e, OpError::Conflict(_)), "{}", e),
                    }
                }
                Op::CallNumber { counter, pick: i } => {
                    if let Some(t) = pick(&open, i) {
                        let r = h.queue.call_number(COUNTERS[counter], t.number.parse().unwrap());
                        if let Ok(r) = &r
                                && let Some(c) = &r.called
                        {
                                model.calls_today.push(c.priority.is_some());
                                model.rejoined.remove(&c.id);
                        }
                        expect_refusal(r)?;
                    }
                }
                Op::Recall { counter } => expect_refusal(h.queue.recall(COUNTERS[counter]))?,
                Op::Skip { counter } => expect_refusal(h.queue.skip(COUNTERS[counter]))?,
                Op::Rejoin { pick: i } => {
                    if let Some(t) = pick(&no_shows, i)
                        && let Ok(v) = h.queue.rejoin(t.number.parse().unwrap())
                    {
                            model.rejoined.insert(v.id);
                    }
                }
                Op::Transfer { pick: i, to } => {
                    if let Some(t) = pick(&open, i) {
                        let r = h.queue.transfer(TicketRef::Number(t.number.parse().unwrap()), code(SERVICES[to]));
                        if r.is_ok() {
                            model.rejoined.remove(&t.id);
                        }
                        expect_refusal(r)?;
                    }
                }
                Op::TransferAtCounter { counter, to } => {
                    expect_refusal(h.queue.transfer(TicketRef::AtCounter(COUNTERS[counter]), code(SERVICES[to])))?;
                }
                Op::Complete { counter } => expect_refusal(h.queue.complete(COUNTERS[counter]))?,
                Op::Pause { counter } => { h.queue.set_paused(COUNTERS[counter], true).unwrap(); }
                Op::Resume { counter } => { h.queue.set_paused(COUNTERS[counter], false).unwrap(); }
                // Time passes; the hall host service's rollover job runs at each rollover (a
                // no-op within a business day), which is what expires earlier days' tickets.
                Op::Advance { minutes } => {
                    h.clock.advance(Duration::minutes(minutes));
                    h.queue.roll_over().unwrap();
                }
                Op::NextDay => {
                    h.clock.advance(Duration::days(1));
                    h.queue.roll_over().unwrap();
                }
            }
            let after = h.queue.status().unwrap();
            check_invariants(&after, &db, &model)?;
        }
    }
}
