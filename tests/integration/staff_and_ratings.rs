//! Staff at the counters and the visitors' ratings over the real hall API on loopback: sign-in
//! with a PIN, the staff number on every transition the counter makes, the lockout after five
//! wrong PINs, a sign-in that survives the host's restart, sign-out, another sign-in taking the
//! counter over, ratings kept once and refused without a reason, and their arrival in the
//! day's statistics, `/metrics` and the counter's view.

use crate::hall;

use hall::{Hall, service};
use kiosk::contract::{ErrorKind, HallQueue};
use kiosk::hall::access::TerminalRole;
use kiosk::lang::Lang;
use kiosk::queue::{Rating, RatingLevel, RatingReason};
use kiosk_contract::IssueRequest;
use kiosk_store::Store;
use kiosk_store::staff_tables;

fn add_staff(hall: &Hall, id: &str, name: &str, pin: &str) {
    let hash = kiosk::staff::hash_pin(pin).unwrap();
    let mut store = Store::open_in(hall.dir.path()).unwrap();
    store
        .write(|c| staff_tables::put_staff(c, id, name, &hash, chrono::Utc::now()))
        .unwrap();
}

/// The staff numbers recorded with the ticket's transitions, in order (event, staff).
fn recorded(hall: &Hall, number: &str) -> Vec<(String, Option<String>)> {
    let conn = rusqlite::Connection::open(hall.dir.path().join(kiosk_store::DB_FILE)).unwrap();
    let mut stmt = conn
        .prepare(
            "SELECT tr.event, tr.staff_id FROM transitions tr JOIN tickets t ON t.id = tr.ticket_id \
             WHERE t.number = ?1 ORDER BY tr.seq",
        )
        .unwrap();
    stmt.query_map([number], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

fn rating(level: u8, reasons: &[RatingReason]) -> Rating {
    Rating::new(RatingLevel::from_number(level).unwrap(), reasons).unwrap()
}

#[test]
fn a_signed_in_counter_records_its_staff_number_and_visitors_rate_it_once() {
    let mut hall = Hall::start();
    add_staff(&hall, "S017", "王芳", "2468");
    let (_k, mut kiosk) = hall.queue("kiosk-2", TerminalRole::SecondaryKiosk, &[]);
    let (_c, mut counter) = hall.queue("counter-1", TerminalRole::Counter, &[1]);
    let (_e, mut evaluator) = hall.queue("rating-1", TerminalRole::Evaluator, &[1]);

    for lang in [Lang::Ug, Lang::ZhCn, Lang::En] {
        kiosk.issue(&IssueRequest::new(service("A"), None, lang)).unwrap();
    }
    // Without a sign-in the counter terminal is refused (the hall has staff numbers); the
    // host's own CLI calls, recording nobody.
    let unsigned = counter.call_next(1).unwrap_err();
    assert_eq!(unsigned.kind, ErrorKind::Unauthenticated);
    hall.local().call_next(1).unwrap();

    let wrong = counter.sign_in(1, "S017", "1111").unwrap_err();
    assert_eq!(wrong.kind, ErrorKind::Refused);
    let signed = counter.sign_in(1, "S017", "2468").unwrap();
    assert_eq!((signed.staff.as_str(), signed.name.as_str()), ("S017", "王芳"));
    assert_eq!(counter.counter_view(1).unwrap().staff.as_deref(), Some("S017"));

    let a002 = counter.call_next(1).unwrap();
    assert_eq!(a002.completed.unwrap().number, "A001");
    assert_eq!(a002.called.unwrap().number, "A002");
    counter.recall(1).unwrap();
    // The host goes away and comes back: the sign-in is on its disk, not in its memory.
    hall.restart();
    counter.complete(1).unwrap();
    assert_eq!(
        recorded(&hall, "A001"),
        [
            ("issue".into(), None),
            ("call".into(), None),
            ("complete".into(), Some("S017".into()))
        ]
    );
    assert_eq!(
        recorded(&hall, "A002"),
        [
            ("issue".into(), None),
            ("call".into(), Some("S017".into())),
            ("recall".into(), Some("S017".into())),
            ("complete".into(), Some("S017".into()))
        ]
    );

    // Ratings: from the rating screen, once per ticket, a low one only with a reason.
    let a2 = "A002".parse().unwrap();
    let low = kiosk::queue::Rating::new(RatingLevel::Dissatisfied, &[]);
    assert!(low.is_err(), "a low rating without a reason is not a rating");
    // Staff cannot fill in their own visitors' ratings: a counter terminal may not rate.
    let by_staff = counter.rate(a2, &rating(5, &[])).unwrap_err();
    assert_eq!(by_staff.kind, ErrorKind::Forbidden, "{}", by_staff.message);
    let kept = evaluator.rate(a2, &rating(2, &[RatingReason::Waiting])).unwrap();
    assert_eq!((kept.level, kept.counter), (2, Some(1)));
    assert_eq!(kept.reasons, ["waiting"]);
    assert_eq!(
        kept.entered_by, "rating-1",
        "the record says which screen kept it"
    );
    let again = evaluator.rate(a2, &rating(5, &[])).unwrap_err();
    assert_eq!(again.kind, ErrorKind::Conflict);
    let a3 = "A003".parse().unwrap();
    let waiting = evaluator.rate(a3, &rating(5, &[])).unwrap_err();
    assert_eq!(waiting.kind, ErrorKind::Conflict, "{}", waiting.message);
    assert!(evaluator.call_next(1).is_err(), "a rating screen does not call");
    evaluator.rate("A001".parse().unwrap(), &rating(5, &[])).unwrap();

    let stats = counter.daily_stats(None).unwrap();
    let c1 = &stats.counters[&1];
    assert_eq!(c1.ratings.count, 2);
    assert_eq!(c1.ratings.by_level[&2], 1);
    assert_eq!(c1.ratings.by_level[&5], 1);
    assert_eq!(c1.ratings.satisfied_share, Some(0.5));
    assert_eq!(stats.services["A"].ratings.count, 2);
    assert_eq!(stats.staff["S017"].served, 2);

    let (_m, monitor) = hall.join("prometheus", TerminalRole::Monitor, &[]);
    let (status, _, body) = monitor.get_raw("/metrics").unwrap();
    assert_eq!(status, 200);
    let text = String::from_utf8(body).unwrap();
    assert!(text.contains("kiosk_ratings_total{level=\"2\"} 1"), "{text}");
    assert!(text.contains("kiosk_ratings_total{level=\"5\"} 1"), "{text}");
    // The listeners' connections: the monitor's own is a terminal's.
    assert!(
        text.contains("kiosk_hall_connections{listener=\"hall_api\",kind=\"terminal\"}"),
        "{text}"
    );
    assert!(
        text.contains("kiosk_hall_connections_closed_for_room_total{listener=\"status_page\"} 0"),
        "{text}"
    );

    // Signed out: the hall has staff numbers, so the host refuses the counter's operations
    // until someone signs in again (whatever the terminal's screen would allow).
    counter.sign_out().unwrap();
    assert_eq!(counter.counter_view(1).unwrap().staff, None);
    let refused = counter.call_next(1).unwrap_err();
    assert_eq!(refused.kind, ErrorKind::Unauthenticated);
    assert!(refused.message.contains("sign in"), "{}", refused.message);
    // The host's own CLI (a technician on the host) is not a counter terminal.
    hall.local().call_next(1).unwrap();
    assert_eq!(recorded(&hall, "A003")[1], ("call".into(), None));
}

#[test]
fn five_wrong_pins_lock_a_staff_number_and_a_new_sign_in_takes_the_counter_over() {
    let hall = Hall::start();
    add_staff(&hall, "S017", "王芳", "2468");
    add_staff(&hall, "S020", "Ayxan", "1357");
    let (_c, mut first) = hall.queue("counter-1", TerminalRole::Counter, &[1]);
    let (_d, mut second) = hall.queue("counter-1b", TerminalRole::Counter, &[1]);
    let (_k, mut kiosk) = hall.queue("kiosk-2", TerminalRole::SecondaryKiosk, &[]);
    kiosk
        .issue(&IssueRequest::new(service("A"), None, Lang::ZhCn))
        .unwrap();

    for _ in 0..4 {
        let e = first.sign_in(1, "S017", "0000").unwrap_err();
        assert!(!e.message.contains("locked"), "{}", e.message);
    }
    let locked = first.sign_in(1, "S017", "0000").unwrap_err();
    assert!(locked.message.contains("locked for 5"), "{}", locked.message);
    let still = first.sign_in(1, "S017", "2468").unwrap_err();
    assert!(still.message.contains("locked"), "{}", still.message);
    // Locked at that terminal only: the colleague's own counter still lets them in.
    second.sign_in(1, "S017", "2468").unwrap();
    // Another staff number is not affected.
    first.sign_in(1, "S020", "1357").unwrap();
    // The same counter from another terminal: whoever signs in last has it.
    second.sign_in(1, "S020", "1357").unwrap();
    let ended = first.call_next(1).unwrap_err();
    assert_eq!(ended.kind, ErrorKind::Unauthenticated);
    assert!(ended.message.contains("sign in again"), "{}", ended.message);
    assert!(second.call_next(1).unwrap().called.is_some());

    // A counter terminal signs in only at its own counters.
    let elsewhere = second.sign_in(2, "S020", "1357").unwrap_err();
    assert_eq!(elsewhere.kind, ErrorKind::Forbidden);
}

/// A stranger at a counter cannot learn which staff numbers exist: an unknown number gets the
/// same answers, in the same order, as a known one with wrong PINs (and the same Argon2 work).
#[test]
fn unknown_staff_numbers_are_answered_exactly_as_known_ones_with_a_wrong_pin() {
    let hall = Hall::start();
    add_staff(&hall, "S017", "王芳", "2468");
    let (_c, mut counter) = hall.queue("counter-1", TerminalRole::Counter, &[1]);
    let answers = |counter: &mut kiosk::hall::remote::RemoteQueue, staff: &str| -> Vec<(ErrorKind, String)> {
        (0..6)
            .map(|_| {
                let e = counter.sign_in(1, staff, "0000").unwrap_err();
                (e.kind, e.message)
            })
            .collect()
    };
    let known = answers(&mut counter, "S017");
    let unknown = answers(&mut counter, "S999");
    assert_eq!(known, unknown);
    assert!(known[4].1.contains("locked for 5"), "{known:?}");
}

#[test]
fn the_counter_view_lists_who_comes_next_in_calling_order() {
    let mut config = kiosk::config::Config::default();
    config.queue.max_priority_streak = 1;
    let hall = Hall::start_with(config);
    let (_k, mut kiosk) = hall.queue("kiosk-2", TerminalRole::SecondaryKiosk, &[]);
    let (_c, mut counter) = hall.queue("counter-1", TerminalRole::Counter, &[1]);
    use kiosk::queue::PriorityReason::*;
    kiosk
        .issue(&IssueRequest::new(service("A"), None, Lang::ZhCn))
        .unwrap(); // A001
    kiosk
        .issue(&IssueRequest::new(service("A"), Some(Elderly), Lang::Ug))
        .unwrap(); // A002
    kiosk
        .issue(&IssueRequest::new(service("A"), Some(Disabled), Lang::En))
        .unwrap(); // A003
    kiosk
        .issue(&IssueRequest::new(service("A"), None, Lang::ZhCn))
        .unwrap(); // A004
    let view = counter.counter_view(1).unwrap();
    let next: Vec<&str> = view.next.iter().map(|t| t.number.as_str()).collect();
    // One green-channel call at most in a row while a normal ticket waits.
    assert_eq!(next, ["A002", "A001", "A003", "A004"]);
    assert_eq!(view.next[0].language, "ug");
    let mut called = Vec::new();
    while let Some(t) = counter.call_next(1).unwrap().called {
        called.push(t.number);
    }
    assert_eq!(called, next, "the list is the order the calls then came in");

    // A no-show is listed as able to rejoin.
    kiosk
        .issue(&IssueRequest::new(service("A"), None, Lang::ZhCn))
        .unwrap();
    counter.call_next(1).unwrap();
    counter.skip(1).unwrap();
    let view = counter.counter_view(1).unwrap();
    assert_eq!(view.rejoinable.len(), 1);
    assert_eq!(view.rejoinable[0].number, "A005");
    assert_eq!(view.served_today, 4);
}

#[test]
fn a_ticket_from_the_screening_result_shows_its_outcome_at_the_counter() {
    use kiosk::contract::ScreeningNote;
    let hall = Hall::start();
    let (_k, mut kiosk) = hall.queue("kiosk-2", TerminalRole::SecondaryKiosk, &[]);
    let (_c, mut counter) = hall.queue("counter-1", TerminalRole::Counter, &[1]);
    let note = ScreeningNote {
        outcome: "exempt_from_means_test".into(),
        matter: "work_injury_benefits".into(),
    };
    kiosk
        .issue(&IssueRequest::new(service("B"), None, Lang::Ug).screened(note.clone()))
        .unwrap();
    let free_text = ScreeningNote {
        outcome: "eligible".into(),
        matter: "Zhang San, 13800138000".into(),
    };
    let refused = kiosk
        .issue(&IssueRequest::new(service("B"), None, Lang::Ug).screened(free_text))
        .unwrap_err();
    assert_eq!(
        refused.kind,
        ErrorKind::BadInput,
        "only the contract's codes are kept"
    );
    assert!(!refused.message.contains("13800138000"), "{}", refused.message);
    assert_eq!(counter.counter_view(1).unwrap().current_screening, None);
    counter.call_next(1).unwrap();
    assert_eq!(counter.counter_view(1).unwrap().current_screening, Some(note));
}

#[test]
fn a_rating_screen_rates_only_the_visits_completed_at_its_own_counters() {
    let hall = Hall::start();
    let (_k, mut kiosk) = hall.queue("kiosk-2", TerminalRole::SecondaryKiosk, &[]);
    let (_c, mut counter_2) = hall.queue("counter-2", TerminalRole::Counter, &[2]);
    let (_e, mut screen_1) = hall.queue("rating-1", TerminalRole::Evaluator, &[1]);
    let (_f, mut screen_2) = hall.queue("rating-2", TerminalRole::Evaluator, &[2]);
    kiosk
        .issue(&IssueRequest::new(service("A"), None, Lang::ZhCn))
        .unwrap();
    counter_2.call_next(2).unwrap();
    counter_2.complete(2).unwrap();

    let a1 = "A001".parse().unwrap();
    let elsewhere = screen_1.rate(a1, &rating(5, &[])).unwrap_err();
    assert_eq!(elsewhere.kind, ErrorKind::Conflict);
    assert!(elsewhere.message.contains("counter 2"), "{}", elsewhere.message);
    // Refused, it kept nothing: the visitor at counter 2 can still answer.
    let kept = screen_2.rate(a1, &rating(4, &[])).unwrap();
    assert_eq!((kept.counter, kept.entered_by.as_str()), (Some(2), "rating-2"));
}
