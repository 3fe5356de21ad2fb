//! The counter console under Slint's testing backend: waiting until its adapter shows something,
//! and saying what it showed instead when it does not.
#![allow(dead_code)]

use kiosk::ui::{CounterAdapter, CounterWindow};
use slint::{ComponentHandle, Model};

pub fn until(w: &CounterWindow, what: &str, cond: impl Fn(&CounterAdapter) -> bool + 'static) {
    let weak = w.as_weak();
    let met = crate::ui::wait_until(move || {
        weak.upgrade()
            .is_some_and(|w| cond(&w.global::<CounterAdapter>()))
    });
    let a = w.global::<CounterAdapter>();
    assert!(
        met,
        "{what}: view {:?}, note {:?} {:?}, link {:?}, problem {}, {} next",
        a.get_view(),
        a.get_note(),
        a.get_note_detail(),
        a.get_link(),
        a.get_sign_in_problem(),
        a.get_next().row_count()
    );
}

/// The console's window, shown, with the bundled fonts.
pub fn window() -> CounterWindow {
    kiosk::ui::fonts::register_bundled_fonts();
    let w = CounterWindow::new().unwrap();
    w.show().unwrap();
    w
}

/// A console at counter 1 of `queue` in English on the built-in configuration, following the
/// hall through `feed` (when given) and reading its view on the usual timer.
pub fn options(
    queue: impl kiosk::contract::HallQueue + 'static,
    feed: Option<Box<dyn kiosk::contract::HallFeed>>,
) -> kiosk::ui::counter::ConsoleOptions {
    kiosk::ui::counter::ConsoleOptions {
        counter: 1,
        queue: Box::new(queue),
        config: std::sync::Arc::new(kiosk::config::Config::default()),
        clock: std::sync::Arc::new(kiosk::clock::SystemClock),
        english: true,
        feed,
        refresh_every: kiosk::ui::counter::REFRESH_EVERY,
    }
}
