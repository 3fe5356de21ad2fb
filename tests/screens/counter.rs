//! The counter console through Slint's testing backend against a real hall host on loopback,
//! operated by keys only: sign in (typed), F1 call (the Uyghur green-channel visitor first,
//! with their language and reason shown), F2 recall, F3 no-show, F8 rejoin, F5 transfer, F6
//! pause (and the kiosk's wait estimate changes), F7 call a number, F4 complete; the staff
//! number in the host's transitions; five wrong PINs lock the staff number; the host stopped
//! and started again while signed in; every control with a role, a label and an id.

use crate::console;
use crate::hall;
use crate::ui;

use console::until;
use hall::{Hall, service};
use i_slint_backend_testing::{AccessibleRole, ElementHandle, ElementQuery};
use kiosk::contract::HallQueue;
use kiosk::hall::access::TerminalRole;
use kiosk::lang::Lang;
use kiosk::queue::PriorityReason;
use kiosk::ui::counter::start_console;
use kiosk::ui::{ConsoleDialog, ConsoleLink, ConsoleNote, ConsoleView, CounterAdapter, CounterWindow};
use kiosk_contract::IssueRequest;
use slint::platform::Key;
use slint::{ComponentHandle, Model};

fn sign_in(w: &CounterWindow, staff: &str, pin: &str) {
    // The staff number field has the focus when the sign-in screen opens; Enter moves on.
    ui::type_in(w.window(), staff);
    ui::key_in(w.window(), Key::Return);
    retry_pin(w, pin);
}

/// After a refusal the staff number stays and the PIN field, emptied, keeps the focus.
fn retry_pin(w: &CounterWindow, pin: &str) {
    ui::type_in(w.window(), pin);
    ui::key_in(w.window(), Key::Return);
}

fn noted(w: &CounterWindow, note: ConsoleNote, number: &'static str) {
    until(w, &format!("{note:?} {number}"), move |a| {
        a.get_note() == note && a.get_note_number() == number && !a.get_busy()
    });
}

fn staff_of(hall: &Hall, number: &str, event: &str) -> Option<String> {
    let conn = rusqlite::Connection::open(hall.dir.path().join(kiosk_store::DB_FILE)).unwrap();
    conn.query_row(
        "SELECT tr.staff_id FROM transitions tr JOIN tickets t ON t.id = tr.ticket_id \
         WHERE t.number = ?1 AND tr.event = ?2 ORDER BY tr.seq DESC LIMIT 1",
        [number, event],
        |r| r.get(0),
    )
    .unwrap()
}

/// Every button and text field on screen has a role, a label and an id.
fn every_control_is_named(w: &CounterWindow, screen: &str) -> usize {
    let controls: Vec<ElementHandle> = ElementQuery::from_root(w)
        .match_descendants()
        .match_predicate(|e| {
            matches!(
                e.accessible_role(),
                Some(AccessibleRole::Button | AccessibleRole::TextInput)
            )
        })
        .find_all();
    for e in &controls {
        let id = e.accessible_id().unwrap_or_default();
        let label = e.accessible_label().unwrap_or_default();
        assert!(
            !id.is_empty(),
            "{screen}: a control '{label}' has no accessible-id"
        );
        assert!(!label.trim().is_empty(), "{screen}: {id} has no label");
    }
    controls.len()
}

pub fn a_clerk_serves_the_queue_by_keys_through_the_hall_host() {
    i_slint_backend_testing::init_integration_test_with_system_time();
    let mut hall = Hall::start();
    let hash = kiosk::staff::hash_pin("2468").unwrap();
    kiosk_store::Store::open_in(hall.dir.path())
        .unwrap()
        .write(|c| {
            kiosk_store::staff_tables::put_staff(c, "S017", "王芳", &hash, chrono::Utc::now())?;
            kiosk_store::staff_tables::put_staff(c, "S020", "Li Na", &hash, chrono::Utc::now())
        })
        .unwrap();
    let (_k, mut kiosk_queue) = hall.queue("kiosk-2", TerminalRole::SecondaryKiosk, &[]);
    kiosk_queue
        .issue(&IssueRequest::new(service("A"), None, Lang::ZhCn))
        .unwrap(); // A001
    kiosk_queue
        .issue(&IssueRequest::new(
            service("A"),
            Some(PriorityReason::Elderly),
            Lang::Ug,
        ))
        .unwrap(); // A002
    kiosk_queue
        .issue(&IssueRequest::new(service("A"), None, Lang::En))
        .unwrap(); // A003
    let (counter_dir, counter_queue) = hall.queue("counter-1", TerminalRole::Counter, &[1]);
    let counter_tls = kiosk::hall::client::TerminalTls::load(counter_dir.path())
        .unwrap()
        .rustls()
        .unwrap();

    let w = console::window();
    let feed = kiosk::hall::feed::RemoteFeed::new(hall.base.clone(), counter_tls);
    let _console = start_console(&w, console::options(counter_queue, Some(Box::new(feed)))).unwrap();
    assert_eq!(w.global::<CounterAdapter>().get_view(), ConsoleView::SignIn);
    assert!(every_control_is_named(&w, "sign-in") >= 4);

    // Tab reaches every control of the sign-in: number, PIN, Sign in, 中文, English; Enter presses
    // a button. 中文, then English; back to the language the test began in; then Shift+Tab to
    // the number field.
    let began_in_english = w.global::<CounterAdapter>().get_english();
    let english = || w.global::<CounterAdapter>().get_english();
    for _ in 0..3 {
        ui::key_in(w.window(), Key::Tab);
    }
    ui::key_in(w.window(), Key::Return);
    assert!(!english(), "Tab ×3 and Enter chose 中文");
    ui::key_in(w.window(), Key::Tab);
    ui::key_in(w.window(), Key::Return);
    assert!(english(), "Tab and Enter chose English");
    let mut back_to_number = 4;
    if !began_in_english {
        ui::key_in(w.window(), Key::Backtab);
        ui::key_in(w.window(), Key::Return);
        back_to_number = 3;
    }
    assert_eq!(english(), began_in_english);
    for _ in 0..back_to_number {
        ui::key_in(w.window(), Key::Backtab);
    }

    // A wrong PIN first, by Tab to the Sign in button; then the right one.
    ui::type_in(w.window(), "S017");
    let typed = ui::element_in(&w, "counter-staff-number").unwrap().accessible_value();
    assert_eq!(
        typed.as_deref(),
        Some("S017"),
        "Shift+Tab came back to the number field"
    );
    ui::key_in(w.window(), Key::Tab);
    ui::type_in(w.window(), "1111");
    ui::key_in(w.window(), Key::Tab);
    ui::key_in(w.window(), Key::Return);
    until(&w, "a wrong PIN is refused", |a| {
        a.get_sign_in_problem() == 1 && !a.get_busy()
    });
    assert_eq!(w.global::<CounterAdapter>().get_view(), ConsoleView::SignIn);
    retry_pin(&w, "2468");
    until(&w, "signed in", |a| a.get_view() == ConsoleView::Main);
    until(&w, "the counter's view", |a| a.get_link() == ConsoleLink::Live);
    let a = w.global::<CounterAdapter>();
    assert_eq!(a.get_staff_name(), "王芳");
    // Who comes next, in calling order: the green channel first.
    until(&w, "the next list", |a| a.get_next().row_count() == 3);
    let next: Vec<String> = a.get_next().iter().map(|t| t.number.to_string()).collect();
    assert_eq!(next, ["A002", "A001", "A003"]);
    assert!(every_control_is_named(&w, "main") >= 9);

    // F1: the Uyghur-speaking elderly visitor, with language and reason. Tab first, round all
    // the buttons and past them: the console's keys work wherever the focus is.
    for _ in 0..25 {
        ui::key_in(w.window(), Key::Tab);
    }
    ui::key_in(w.window(), Key::F1);
    noted(&w, ConsoleNote::Called, "A002");
    until(&w, "A002 shown", |a| {
        a.get_serving() && a.get_current().number == "A002"
    });
    let current = a.get_current();
    assert_eq!(
        (current.language.as_str(), current.priority.as_str()),
        ("ug", "elderly")
    );
    assert_eq!(staff_of(&hall, "A002", "call").as_deref(), Some("S017"));

    ui::key_in(w.window(), Key::F2);
    noted(&w, ConsoleNote::Recalled, "A002");
    assert_eq!(staff_of(&hall, "A002", "recall").as_deref(), Some("S017"));

    // F3: no-show; F8 brings them back (the only one: key 1).
    ui::key_in(w.window(), Key::F3);
    noted(&w, ConsoleNote::Skipped, "A002");
    until(&w, "A002 may rejoin", |a| a.get_rejoinable().row_count() == 1);
    ui::key_in(w.window(), Key::F8);
    until(&w, "the rejoin list", |a| a.get_dialog() == ConsoleDialog::Rejoin);
    assert_eq!(
        ui::element_in(&w, "counter-choice-1").unwrap().accessible_label().unwrap(),
        "A002"
    );
    // Under the dialog the console's buttons are not there to reach (for a screen reader too);
    // what it shows stays.
    for hidden in ["counter-op-f1", "counter-op-f8", "counter-sign-out"] {
        assert!(ui::element_in(&w, hidden).is_none(), "{hidden} reachable under the dialog");
    }
    assert!(ui::element_in(&w, "counter-name").is_some());
    ui::type_in(w.window(), "1");
    noted(&w, ConsoleNote::Rejoined, "A002");
    assert_eq!(a.get_dialog(), ConsoleDialog::None);
    assert!(ui::element_in(&w, "counter-op-f1").is_some());

    // F1 again: the rejoined visitor goes first; F5 transfers them to B (the first other service).
    ui::key_in(w.window(), Key::F1);
    noted(&w, ConsoleNote::Called, "A002");
    // The transfer list takes the focus; Tab then Esc closes it, and it opens again.
    ui::key_in(w.window(), Key::F5);
    until(&w, "the transfer list", |a| {
        a.get_dialog() == ConsoleDialog::Transfer
    });
    ui::key_in(w.window(), Key::Tab);
    ui::key_in(w.window(), Key::Escape);
    assert_eq!(
        a.get_dialog(),
        ConsoleDialog::None,
        "Esc closed the list after a Tab"
    );
    ui::key_in(w.window(), Key::F5);
    until(&w, "the transfer list again", |a| {
        a.get_dialog() == ConsoleDialog::Transfer
    });
    // Its first choice has the focus: Enter takes it.
    ui::key_in(w.window(), Key::Return);
    noted(&w, ConsoleNote::Transferred, "A002");
    assert_eq!(a.get_note_detail(), "Apply for legal aid");
    assert_eq!(staff_of(&hall, "A002", "transfer").as_deref(), Some("S017"));

    // F6 pauses: F1 is greyed with the reason, and the kiosk's estimate for A changes.
    let before = kiosk_queue.summary().unwrap().services[0].estimated_wait_minutes;
    assert!(before.is_some());
    ui::key_in(w.window(), Key::F6);
    noted(&w, ConsoleNote::Paused, "");
    until(&w, "F1 greyed", |a| {
        let f1 = a.get_ops().row_data(0).unwrap();
        !f1.enabled && f1.why == kiosk::ui::ConsoleWhy::Paused
    });
    let after = kiosk_queue.summary().unwrap().services[0].estimated_wait_minutes;
    assert_ne!(
        before, after,
        "a paused counter changes what a new ticket is told"
    );
    let serving = a.get_current().number;
    ui::key_in(w.window(), Key::F1);
    assert_eq!(
        (a.get_note(), a.get_note_key(), a.get_note_why()),
        (ConsoleNote::NotNow, 1, kiosk::ui::ConsoleWhy::Paused),
        "a greyed key says why, and does nothing else"
    );
    assert!(!a.get_busy(), "nothing was sent to the host");
    assert_eq!(a.get_current().number, serving);
    ui::key_in(w.window(), Key::F6);
    noted(&w, ConsoleNote::Resumed, "");

    // F7: a number typed, Enter calls it.
    ui::key_in(w.window(), Key::F7);
    until(&w, "the number dialog", |a| {
        a.get_dialog() == ConsoleDialog::CallNumber
    });
    ui::type_in(w.window(), "a003");
    ui::key_in(w.window(), Key::Return);
    noted(&w, ConsoleNote::Called, "A003");
    ui::key_in(w.window(), Key::F4);
    noted(&w, ConsoleNote::Completed, "A003");
    assert_eq!(staff_of(&hall, "A003", "complete").as_deref(), Some("S017"));
    until(&w, "today's count", |a| a.get_served_today() == 1);

    // The host goes away while signed in: the console says so and greys the keys; when the host
    // is back the console works again by itself, still signed in.
    hall.stop();
    until(&w, "host lost", |a| a.get_link() == ConsoleLink::Lost);
    assert!(!a.get_ops().row_data(0).unwrap().enabled);
    assert_eq!(a.get_view(), ConsoleView::Main);
    hall.restart();
    until(&w, "host back", |a| a.get_link() == ConsoleLink::Live);
    // Waiting now: A001, and A002 in B with its green channel (B has one too), so A002 first.
    ui::key_in(w.window(), Key::F1);
    noted(&w, ConsoleNote::Called, "A002");
    assert_eq!(staff_of(&hall, "A002", "call").as_deref(), Some("S017"));

    // Signed out by the button; five wrong PINs then lock the staff number.
    ui::element_in(&w, "counter-sign-out")
        .unwrap()
        .invoke_accessible_default_action();
    until(&w, "signed out", |a| a.get_view() == ConsoleView::SignIn);
    sign_in(&w, "S020", "0000");
    for attempt in 1..=5 {
        if attempt > 1 {
            retry_pin(&w, "0000");
        }
        let want = if attempt < 5 { 1 } else { 2 };
        until(&w, &format!("wrong PIN {attempt}"), move |a| {
            a.get_sign_in_problem() == want && !a.get_busy()
        });
    }
    assert_eq!(a.get_locked_minutes(), 5);
    retry_pin(&w, "2468");
    until(&w, "still locked", |a| {
        a.get_sign_in_problem() == 2 && !a.get_busy()
    });
    assert_eq!(a.get_view(), ConsoleView::SignIn);
}
