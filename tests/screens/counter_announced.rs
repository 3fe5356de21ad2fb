//! The counter console as a screen reader meets it, through Slint's testing backend against a
//! real hall host on loopback: a wrong PIN and what each key did are live regions (read out
//! without moving the focus), a greyed key pressed says which key and why instead of doing
//! nothing, and a number that is not one is said inside the call-a-number dialog, where the
//! clerk is typing.

use crate::console;
use crate::hall;
use crate::ui;

use console::until;
use hall::Hall;
use i_slint_backend_testing::{AccessibleLiveness, ElementHandle};
use kiosk::hall::access::TerminalRole;
use kiosk::ui::counter::start_console;
use kiosk::ui::{ConsoleDialog, ConsoleNote, ConsoleView, CounterWindow};
use slint::ComponentHandle;
use slint::platform::Key;

fn find(w: &CounterWindow, id: &str) -> ElementHandle {
    ui::element_in(w, id).unwrap_or_else(|| panic!("no {id} on screen"))
}

fn said(w: &CounterWindow, id: &str) -> (String, Option<AccessibleLiveness>) {
    let e = find(w, id);
    (
        e.accessible_label().unwrap_or_default().to_string(),
        e.accessible_live_region(),
    )
}

pub fn errors_and_results_are_read_out_and_greyed_keys_say_why() {
    i_slint_backend_testing::init_integration_test_with_system_time();
    let hall = Hall::start();
    let hash = kiosk::staff::hash_pin("2468").unwrap();
    kiosk_store::Store::open_in(hall.dir.path())
        .unwrap()
        .write(|c| kiosk_store::staff_tables::put_staff(c, "S017", "王芳", &hash, chrono::Utc::now()))
        .unwrap();
    let (_dir, queue) = hall.queue("counter-1", TerminalRole::Counter, &[1]);
    let w = console::window();
    let _console = start_console(&w, console::options(queue, None)).unwrap();

    // A wrong PIN: read out at once.
    ui::type_in(w.window(), "S017");
    ui::key_in(w.window(), Key::Return);
    ui::type_in(w.window(), "1111");
    ui::key_in(w.window(), Key::Return);
    until(&w, "a wrong PIN is refused", |a| {
        a.get_sign_in_problem() == 1 && !a.get_busy()
    });
    let (words, live) = said(&w, "counter-sign-in-problem");
    assert!(!words.is_empty());
    assert_eq!(live, Some(AccessibleLiveness::Assertive), "{words}");

    ui::type_in(w.window(), "2468");
    ui::key_in(w.window(), Key::Return);
    until(&w, "signed in", |a| {
        a.get_view() == ConsoleView::Main && !a.get_busy()
    });
    let (words, live) = said(&w, "counter-message");
    assert_eq!(words, "Signed in. F1 calls the next visitor.");
    assert_eq!(live, Some(AccessibleLiveness::Polite));

    // F2 with nobody called: greyed, and pressed it says so.
    ui::key_in(w.window(), Key::F2);
    until(&w, "F2 refused", |a| a.get_note() == ConsoleNote::NotNow);
    let (words, live) = said(&w, "counter-message");
    assert_eq!(words, "F2 Recall cannot be used now: No visitor called");
    assert_eq!(live, Some(AccessibleLiveness::Assertive));

    // F7, then something that is not a ticket number: said in the dialog, at once.
    ui::key_in(w.window(), Key::F7);
    until(&w, "the number dialog", |a| {
        a.get_dialog() == ConsoleDialog::CallNumber
    });
    ui::type_in(w.window(), "ZZ9");
    ui::key_in(w.window(), Key::Return);
    until(&w, "refused", |a| a.get_note() == ConsoleNote::NotANumber);
    let (words, live) = said(&w, "counter-number-problem");
    assert_eq!(words, "ZZ9 is not a ticket number (e.g. A012)");
    assert_eq!(live, Some(AccessibleLiveness::Assertive));
    // Closed and opened again, the dialog does not show the earlier refusal.
    ui::key_in(w.window(), Key::Escape);
    until(&w, "closed", |a| a.get_dialog() == ConsoleDialog::None);
    ui::key_in(w.window(), Key::F7);
    until(&w, "open again", |a| a.get_dialog() == ConsoleDialog::CallNumber);
    assert!(ui::element_in(&w, "counter-number-problem").is_none());
}
