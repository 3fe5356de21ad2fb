//! The visitors' rating screen (好差评) by keys alone, fed by a real hall host on loopback, for a
//! visitor who cannot see or touch it: arrows and Tab move between the faces in reading order
//! (from the right in Uyghur) and each face is spoken as it takes the focus; Enter chooses; on
//! the reasons screen a digit ticks a reason and Tab reaches Send; the digits 1–5 rate at once.

#[path = "common/hall.rs"]
mod hall;
#[path = "common/ui.rs"]
mod ui;

use hall::{Hall, service};
use i_slint_backend_testing::{ElementHandle, ElementQuery};
use kiosk::clock::SystemClock;
use kiosk::config::Config;
use kiosk::contract::HallQueue;
use kiosk::hall::access::TerminalRole;
use kiosk::lang::Lang;
use kiosk::speech::Part;
use kiosk::speech::compose::message;
use kiosk::ui::evaluator::{EvaluatorOptions, start_rating_screen};
use kiosk::ui::{EvaluatorAdapter, EvaluatorWindow, RatingScreen};
use kiosk_contract::IssueRequest;
use slint::ComponentHandle;
use slint::platform::Key;
use std::cell::RefCell;
use std::rc::Rc;
use std::sync::Arc;
use ui::{key_in, wait_until};

fn find(w: &EvaluatorWindow, id: &str) -> ElementHandle {
    let wanted = id.to_owned();
    ElementQuery::from_root(w)
        .match_descendants()
        .match_predicate(move |e| e.accessible_id().as_deref() == Some(wanted.as_str()))
        .find_first()
        .unwrap_or_else(|| panic!("no {id} on screen"))
}

fn until_screen(w: &EvaluatorWindow, want: RatingScreen) {
    let weak = w.as_weak();
    let ok = wait_until(move || {
        weak.upgrade()
            .is_some_and(|w| w.global::<EvaluatorAdapter>().get_screen() == want)
    });
    assert!(
        ok,
        "expected {want:?}, still {:?}",
        w.global::<EvaluatorAdapter>().get_screen()
    );
}

fn press(w: &EvaluatorWindow, key: impl Into<slint::SharedString>) {
    key_in(w.window(), key);
}

#[test]
fn a_visitor_rates_by_keys_and_hears_each_face() {
    i_slint_backend_testing::init_integration_test_with_system_time();
    let hall = Hall::start();
    let (_k, mut kiosk_queue) = hall.queue("kiosk-2", TerminalRole::SecondaryKiosk, &[]);
    let (_c, mut counter) = hall.queue("counter-1", TerminalRole::Counter, &[1]);
    let (rating_dir, evaluator) = hall.queue("rating-1", TerminalRole::Evaluator, &[1]);
    let rating_tls = kiosk::hall::client::TerminalTls::load(rating_dir.path())
        .unwrap()
        .rustls()
        .unwrap();

    kiosk::ui::fonts::register_bundled_fonts();
    let w = EvaluatorWindow::new().unwrap();
    w.show().unwrap();
    let said: Rc<RefCell<Vec<Vec<Part>>>> = Rc::default();
    let record = said.clone();
    let _run = start_rating_screen(
        &w,
        EvaluatorOptions {
            counter: 1,
            queue: Box::new(evaluator),
            feed: Box::new(kiosk::hall::feed::RemoteFeed::new(hall.base.clone(), rating_tls)),
            config: Arc::new(Config::default()),
            clock: Arc::new(SystemClock),
            say: Box::new(move |parts| record.borrow_mut().push(parts)),
        },
    )
    .unwrap();
    let a = w.global::<EvaluatorAdapter>();
    let weak = w.as_weak();
    assert!(wait_until(move || weak
        .upgrade()
        .is_some_and(|w| w.global::<EvaluatorAdapter>().get_live())));
    let mut serve = |lang| {
        kiosk_queue
            .issue(&IssueRequest::new(service("A"), None, lang))
            .unwrap();
        counter.call_next(1).unwrap();
        counter.complete(1).unwrap();
    };
    let last_said = || said.borrow().last().cloned().unwrap_or_default();

    // English: Right moves along the faces from the best, each said as it takes the focus.
    serve(Lang::En);
    until_screen(&w, RatingScreen::Asking);
    press(&w, Key::RightArrow);
    assert_eq!(last_said(), message(Lang::En, "Very satisfied"));
    press(&w, Key::Tab);
    assert_eq!(last_said(), message(Lang::En, "Satisfied"));
    press(&w, Key::RightArrow);
    press(&w, Key::RightArrow);
    assert_eq!(last_said(), message(Lang::En, "Dissatisfied"));
    press(&w, Key::Return);
    until_screen(&w, RatingScreen::Reasons);
    // A digit ticks a reason; Tab goes through the reasons and Back to Send, said each time.
    press(&w, "4");
    assert_eq!(find(&w, "rating-reason-3").accessible_checked(), Some(true));
    for _ in 0..7 {
        press(&w, Key::Tab);
    }
    assert_eq!(last_said(), message(Lang::En, "Send"));
    press(&w, Key::Return);
    until_screen(&w, RatingScreen::Thanks);

    // Uyghur reads from the right: Left moves forward from the best face; Left arrow four times
    // then Enter gives "very dissatisfied", Escape on the reasons goes back, and 5 rates at once.
    serve(Lang::Ug);
    until_screen(&w, RatingScreen::Asking);
    assert!(a.get_rtl());
    press(&w, Key::LeftArrow);
    assert_eq!(last_said(), message(Lang::Ug, "Very satisfied"));
    for _ in 0..4 {
        press(&w, Key::LeftArrow);
    }
    assert_eq!(last_said(), message(Lang::Ug, "Very dissatisfied"));
    press(&w, " ");
    until_screen(&w, RatingScreen::Reasons);
    press(&w, Key::Escape);
    until_screen(&w, RatingScreen::Asking);
    press(&w, "5");
    until_screen(&w, RatingScreen::Thanks);

    // Both ratings reach the host.
    let host = Rc::new(RefCell::new(hall.local()));
    let h = host.clone();
    let ok = wait_until(move || {
        let stats = h.borrow_mut().daily_stats(None).unwrap();
        stats.counters.get(&1).is_some_and(|c| c.ratings.count == 2)
    });
    assert!(ok, "the ratings did not both arrive");
    let c1 = host.borrow_mut().daily_stats(None).unwrap().counters[&1].clone();
    assert_eq!((c1.ratings.by_level[&2], c1.ratings.by_level[&5]), (1, 1));
}
