//! The hall queue end to end on a real SQLite file: numbering, green channel and fairness,
//! counters' service order, recall, skip and rejoin, transfer, pause, estimates, day rollover.

use crate::common;

use chrono::Duration;
use common::{hall, hall_with};
use kiosk::config::Config;
use kiosk::lang::Lang;
use kiosk::queue::{PriorityReason, ServiceCode, TicketState};
use kiosk::queue_service::{OpError, TicketRef};
use kiosk_contract::IssueRequest;

fn s(code: &str) -> ServiceCode {
    code.parse().unwrap()
}

const T0: &str = "2026-11-26T01:00:00Z"; // 09:00 in Guangzhou

#[test]
fn numbers_count_per_service_and_restart_each_business_day() {
    let mut h = hall(T0);
    let q = &mut h.queue;
    let nums: Vec<String> = ["A", "A", "B", "A"]
        .iter()
        .map(|c| {
            q.issue(&IssueRequest::new(s(c), None, Lang::ZhCn))
                .unwrap()
                .number
        })
        .collect();
    assert_eq!(nums, ["A001", "A002", "B001", "A003"]);
    // 02:59 next morning local time is still the same business day (rollover 03:00).
    h.clock.advance(Duration::hours(17) + Duration::minutes(59));
    assert_eq!(
        h.queue
            .issue(&IssueRequest::new(s("A"), None, Lang::ZhCn))
            .unwrap()
            .number,
        "A004"
    );
    h.clock.advance(Duration::minutes(1));
    let fresh = h
        .queue
        .issue(&IssueRequest::new(s("A"), None, Lang::ZhCn))
        .unwrap();
    assert_eq!(fresh.number, "A001");
    assert_eq!(fresh.business_day.to_string(), "2026-11-27");
}

#[test]
fn rollover_expires_leftovers_and_keeps_them_on_record() {
    let mut h = hall(T0);
    let first = h
        .queue
        .issue(&IssueRequest::new(s("A"), None, Lang::ZhCn))
        .unwrap();
    h.queue
        .issue(&IssueRequest::new(s("A"), None, Lang::ZhCn))
        .unwrap();
    h.queue.call_next(1).unwrap();
    h.clock.advance(Duration::days(1));
    assert_eq!(h.queue.roll_over().unwrap(), 2);
    let status = h.queue.status().unwrap();
    assert!(status.tickets.is_empty(), "a new day starts empty");
    assert!(status.counters.iter().all(|c| c.current.is_none()));
    // The expired ticket still exists with its history.
    let conn = rusqlite::Connection::open(h.queue.store().path()).unwrap();
    let state: String = conn
        .query_row("SELECT state FROM tickets WHERE id = ?1", [&first.id], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(state, "expired");
    let events: i64 = conn
        .query_row(
            "SELECT COUNT(*) FROM transitions WHERE event = 'expire'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(events, 2);
}

#[test]
fn green_channel_goes_first_but_never_starves_normal_tickets() {
    let mut h = hall(T0);
    let q = &mut h.queue;
    q.issue(&IssueRequest::new(s("A"), None, Lang::ZhCn)).unwrap(); // A001 normal
    for _ in 0..4 {
        q.issue(&IssueRequest::new(
            s("A"),
            Some(PriorityReason::Elderly),
            Lang::ZhCn,
        ))
        .unwrap(); // A002..A005
    }
    q.issue(&IssueRequest::new(s("A"), None, Lang::ZhCn)).unwrap(); // A006 normal
    let order: Vec<String> = (0..6)
        .map(|_| q.call_next(1).unwrap().called.unwrap().number)
        .collect();
    // Default rule: at most 2 priority calls in a row while a normal ticket waits.
    assert_eq!(order, ["A002", "A003", "A001", "A004", "A005", "A006"]);
}

#[test]
fn priority_is_refused_where_the_service_does_not_allow_it() {
    let mut config = Config::default();
    config.services[4].priority_allowed = false;
    let mut h = hall_with(config, T0);
    let err = h
        .queue
        .issue(&IssueRequest::new(
            s("E"),
            Some(PriorityReason::Pregnant),
            Lang::En,
        ))
        .unwrap_err();
    assert!(err.is_bad_input(), "{err}");
    assert!(
        err.to_string()
            .contains("service E does not take green-channel tickets")
    );
}

#[test]
fn counters_serve_their_services_in_order() {
    let mut config = Config::default();
    config.counters[0].services = vec![s("C"), s("A")];
    config.counters[1].services = vec![s("A")];
    let mut h = hall_with(config, T0);
    let q = &mut h.queue;
    q.issue(&IssueRequest::new(s("A"), None, Lang::ZhCn)).unwrap();
    h.clock.advance(Duration::minutes(1));
    q.issue(&IssueRequest::new(s("C"), None, Lang::ZhCn)).unwrap();
    q.issue(&IssueRequest::new(s("B"), None, Lang::ZhCn)).unwrap();
    assert_eq!(q.call_next(1).unwrap().called.unwrap().number, "C001");
    assert_eq!(q.call_next(2).unwrap().called.unwrap().number, "A001");
    // Counter 2 serves only A: B001 is not its business.
    let r = q.call_next(2).unwrap();
    assert_eq!(r.completed.unwrap().number, "A001");
    assert!(r.called.is_none());
}

#[test]
fn recall_is_counted_and_skip_allows_rejoining_within_the_window() {
    let mut h = hall(T0);
    let q = &mut h.queue;
    for _ in 0..3 {
        q.issue(&IssueRequest::new(s("A"), None, Lang::ZhCn)).unwrap();
    }
    q.call_next(1).unwrap();
    assert_eq!(q.recall(1).unwrap().recalls, 1);
    assert_eq!(q.recall(1).unwrap().recalls, 2);
    let skipped = q.skip(1).unwrap();
    assert_eq!(skipped.state, TicketState::NoShow);
    q.call_next(1).unwrap(); // A002
    h.clock.advance(Duration::minutes(10));
    let back = h.queue.rejoin("A001".parse().unwrap()).unwrap();
    assert_eq!(back.state, TicketState::Waiting);
    assert_eq!(back.people_ahead, Some(0), "placed right after the current call");
    let next = h.queue.call_next(1).unwrap();
    assert_eq!(next.completed.unwrap().number, "A002");
    assert_eq!(next.called.unwrap().number, "A001");
}

#[test]
fn rejoining_after_the_window_is_refused_with_a_reason() {
    let mut h = hall(T0);
    h.queue
        .issue(&IssueRequest::new(s("A"), None, Lang::ZhCn))
        .unwrap();
    h.queue.call_next(1).unwrap();
    h.queue.skip(1).unwrap();
    h.clock.advance(Duration::minutes(31));
    let err = h.queue.rejoin("A001".parse().unwrap()).unwrap_err();
    assert!(matches!(err, OpError::Rule(_)), "{err}");
    assert!(err.to_string().contains("rejoin window has closed"), "{err}");
    // Staff can still call the number directly if the visitor is at the counter.
    let r = h.queue.call_number(2, "A001".parse().unwrap()).unwrap();
    assert_eq!(r.called.unwrap().state, TicketState::Called);
}

#[test]
fn transfer_keeps_the_number_and_the_original_arrival_time() {
    let mut h = hall(T0);
    let q = &mut h.queue;
    let early = q.issue(&IssueRequest::new(s("A"), None, Lang::En)).unwrap(); // A001 at 09:00
    h.clock.advance(Duration::minutes(5));
    h.queue
        .issue(&IssueRequest::new(s("B"), None, Lang::ZhCn))
        .unwrap(); // B001 at 09:05
    h.queue.call_next(1).unwrap(); // A001 at counter 1
    let moved = h.queue.transfer(TicketRef::AtCounter(1), s("B")).unwrap();
    assert_eq!(moved.number, "A001");
    assert_eq!(moved.service, s("B"));
    assert_eq!(
        moved.service_name, "Apply for legal aid",
        "names follow the visitor's language"
    );
    assert_eq!(moved.issued_at, early.issued_at);
    assert_eq!(moved.people_ahead, Some(0), "arrived before B001");
    assert_eq!(h.queue.call_next(2).unwrap().called.unwrap().number, "A001");
    assert_eq!(h.queue.call_next(3).unwrap().called.unwrap().number, "B001");
}

#[test]
fn transfer_to_the_same_or_an_unknown_service_is_bad_input() {
    let mut h = hall(T0);
    h.queue
        .issue(&IssueRequest::new(s("A"), None, Lang::ZhCn))
        .unwrap();
    let a1 = TicketRef::Number("A001".parse().unwrap());
    assert!(h.queue.transfer(a1, s("A")).unwrap_err().is_bad_input());
    assert!(h.queue.transfer(a1, s("Z")).unwrap_err().is_bad_input());
}

#[test]
fn by_number_a_counter_cannot_take_another_counters_visitor() {
    let mut h = hall(T0);
    h.queue
        .issue(&IssueRequest::new(s("A"), None, Lang::ZhCn))
        .unwrap();
    h.queue.call_next(2).unwrap(); // A001 at counter 2
    let a1 = TicketRef::Number("A001".parse().unwrap());
    let refused = h.queue.transfer(a1, s("B")).unwrap_err();
    assert!(refused.to_string().contains("served at counter 2"), "{refused}");
    // Nothing changed: counter 2 still has its visitor, and may transfer them itself.
    assert_eq!(h.queue.recall(2).unwrap().number, "A001");
    let moved = h.queue.transfer(TicketRef::AtCounter(2), s("B")).unwrap();
    assert_eq!((moved.service, moved.counter), (s("B"), None));
}

#[test]
fn a_paused_counter_cannot_call_and_is_left_out_of_estimates() {
    let mut h = hall(T0);
    let q = &mut h.queue;
    for _ in 0..3 {
        q.issue(&IssueRequest::new(s("B"), None, Lang::ZhCn)).unwrap();
    }
    // Default B service time 20 min, 3 open counters: 3 ahead → 20 min.
    assert_eq!(
        q.issue(&IssueRequest::new(s("B"), None, Lang::ZhCn))
            .unwrap()
            .estimated_wait_minutes,
        Some(20)
    );
    q.set_paused(2, true).unwrap();
    q.set_paused(3, true).unwrap();
    assert!(matches!(q.call_next(2).unwrap_err(), OpError::Conflict(_)));
    assert_eq!(
        q.issue(&IssueRequest::new(s("B"), None, Lang::ZhCn))
            .unwrap()
            .estimated_wait_minutes,
        Some(80),
        "4 ahead, one open counter"
    );
    q.set_paused(1, true).unwrap();
    assert_eq!(
        q.issue(&IssueRequest::new(s("B"), None, Lang::ZhCn))
            .unwrap()
            .estimated_wait_minutes,
        None
    );
    q.set_paused(2, false).unwrap();
    assert!(q.call_next(2).unwrap().called.is_some());
}

#[test]
fn estimates_learn_from_recent_service_times() {
    let mut h = hall(T0);
    for _ in 0..4 {
        h.queue
            .issue(&IssueRequest::new(s("A"), None, Lang::ZhCn))
            .unwrap();
    }
    for _ in 0..3 {
        h.queue.call_next(1).unwrap();
        h.clock.advance(Duration::minutes(4));
    }
    h.queue.complete(1).unwrap();
    // Three services of 4 minutes; one waiting (A004) ahead of a new ticket; 3 counters.
    let t = h
        .queue
        .issue(&IssueRequest::new(s("A"), None, Lang::ZhCn))
        .unwrap();
    assert_eq!(t.people_ahead, Some(1));
    assert_eq!(
        t.estimated_wait_minutes,
        Some(2),
        "4 min / 3 counters, rounded up"
    );
}

#[test]
fn calling_a_finished_ticket_leaves_the_counter_untouched() {
    let mut h = hall(T0);
    h.queue
        .issue(&IssueRequest::new(s("A"), None, Lang::ZhCn))
        .unwrap();
    h.queue
        .issue(&IssueRequest::new(s("A"), None, Lang::ZhCn))
        .unwrap();
    h.queue.call_next(1).unwrap();
    h.queue.complete(1).unwrap();
    h.queue.call_next(1).unwrap(); // A002 at counter 1
    let err = h.queue.call_number(1, "A001".parse().unwrap()).unwrap_err();
    assert!(err.to_string().contains("A001 is completed"), "{err}");
    let status = h.queue.status().unwrap();
    assert_eq!(status.counters[0].current.as_ref().unwrap().number, "A002");
}

#[test]
fn unknown_counters_and_numbers_name_what_exists() {
    let mut h = hall(T0);
    let err = h.queue.call_next(9).unwrap_err();
    assert!(err.is_bad_input());
    assert!(
        err.to_string().contains("this hall has counters 1, 2, 3"),
        "{err}"
    );
    let err = h.queue.rejoin("A777".parse().unwrap()).unwrap_err();
    assert!(err.to_string().contains("there is no ticket A777 today"), "{err}");
}

#[test]
fn daily_statistics_come_from_the_recorded_transitions() {
    let mut h = hall(T0);
    h.queue
        .issue(&IssueRequest::new(s("A"), None, Lang::ZhCn))
        .unwrap(); // A001 09:00
    h.queue
        .issue(&IssueRequest::new(s("A"), None, Lang::ZhCn))
        .unwrap(); // A002 09:00
    h.clock.advance(Duration::minutes(10));
    h.queue.call_next(1).unwrap(); // A001 waited 10
    h.clock.advance(Duration::minutes(6));
    h.queue.call_next(1).unwrap(); // A001 served 6; A002 waited 16
    h.queue.transfer(TicketRef::AtCounter(1), s("B")).unwrap();
    h.clock.advance(Duration::minutes(4));
    h.queue.call_next(2).unwrap(); // A002 in B waited 4
    h.queue.skip(2).unwrap();
    let day = h.queue.business_day(kiosk::clock::Clock::now(h.clock.as_ref()));
    h.clock.advance(Duration::days(1));
    h.queue.roll_over().unwrap();
    let st = h.queue.daily_stats(Some(day)).unwrap();
    let a = &st.services[&s("A")];
    assert_eq!((a.issued, a.called, a.served, a.transferred), (2, 2, 1, 1));
    assert_eq!(a.wait_minutes.average, Some(13.0));
    assert_eq!(a.service_minutes.average, Some(6.0));
    let b = &st.services[&s("B")];
    assert_eq!((b.called, b.no_show, b.expired), (1, 1, 1));
    assert_eq!(b.wait_minutes.average, Some(4.0));
    assert_eq!(st.counters[&1].served, 1);
    // The next day starts with nothing.
    assert!(h.queue.daily_stats(None).unwrap().services.is_empty());
}
