//! The visitors' rating screen (好差评) by keys alone, fed by a real hall host on loopback, for a
//! visitor who cannot see or touch it: arrows and Tab move between the faces in reading order
//! (from the right in Uyghur) and each face is spoken as it takes the focus; Enter chooses; on
//! the reasons screen a digit ticks a reason and Tab reaches Send; the digits 1–5 rate at once.

use crate::rating;
use crate::ui;

use kiosk::contract::HallQueue;
use kiosk::lang::Lang;
use kiosk::speech::compose::message;
use kiosk::ui::{EvaluatorAdapter, EvaluatorWindow, RatingScreen};
use rating::{RatingHall, find, until_screen};
use slint::ComponentHandle;
use slint::platform::Key;
use std::cell::RefCell;
use std::rc::Rc;
use ui::{key_in, wait_until};

fn press(w: &EvaluatorWindow, key: impl Into<slint::SharedString>) {
    key_in(w.window(), key);
}

pub fn a_visitor_rates_by_keys_and_hears_each_face() {
    i_slint_backend_testing::init_integration_test_with_system_time();
    let mut h = RatingHall::start();
    let w = h.window.clone_strong();
    let a = w.global::<EvaluatorAdapter>();
    let said = h.said.clone();
    let last_said = || said.borrow().last().cloned().unwrap_or_default();

    // English: Right moves along the faces from the best, each said as it takes the focus.
    h.serve(Lang::En);
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
    h.serve(Lang::Ug);
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
    let host = Rc::new(RefCell::new(h.hall.local()));
    let h = host.clone();
    let ok = wait_until(move || {
        let stats = h.borrow_mut().daily_stats(None).unwrap();
        stats.counters.get(&1).is_some_and(|c| c.ratings.count == 2)
    });
    assert!(ok, "the ratings did not both arrive");
    let c1 = host.borrow_mut().daily_stats(None).unwrap().counters[&1].clone();
    assert_eq!((c1.ratings.by_level[&2], c1.ratings.by_level[&5]), (1, 1));
}
