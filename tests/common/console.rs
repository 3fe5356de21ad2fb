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
