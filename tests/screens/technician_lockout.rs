//! The visitor screen through Slint's testing backend, by accessible-id. Technician mode's
//! lockout: five wrong PINs lock it for ten minutes, even against the right PIN (the count is kept
//! on disk); after the ten minutes the right PIN opens it, and it closes by itself when left alone.
//! Without a provisioned PIN the mode says so and cannot be opened.

use crate::ui;

use kiosk::config::Config;
use kiosk::ui::{PinProblem, Screen, TechnicianAdapter};
use slint::ComponentHandle;
use slint::platform::Key;
use std::time::Duration;
use ui::*;

const PIN: &str = "8642";

fn problem_after(k: &Kiosk, pin: &str) -> PinProblem {
    type_keys(k, pin);
    press(k, Key::Return);
    let w = k.ui.window.as_weak();
    assert!(wait_until(move || w.upgrade().is_some_and(|w| {
        let t = w.global::<TechnicianAdapter>();
        !t.get_checking_pin() && (t.get_pin_problem() != PinProblem::None || t.get_pin_length() == 0)
    })));
    k.ui.window.global::<TechnicianAdapter>().get_pin_problem()
}

/// Ctrl+Alt+T, then waits until the PIN screen says `expected` (read from disk off the UI thread).
fn open_technician_mode(k: &Kiosk, expected: PinProblem) {
    chord(k, &[Key::Control.into(), Key::Alt.into(), "t".into()]);
    let w = k.ui.window.as_weak();
    assert!(
        wait_until(move || w
            .upgrade()
            .is_some_and(|w| w.global::<TechnicianAdapter>().get_pin_problem() == expected)),
        "the PIN screen never said {expected:?}"
    );
}

pub fn five_wrong_pins_lock_technician_mode_for_ten_minutes() {
    i_slint_backend_testing::init_integration_test_with_system_time();
    let clock = hall_clock();
    let mut config = Config::default();
    config.technician.pin_hash = Some(kiosk::staff::hash_pin(PIN).unwrap());
    let k = kiosk_for_technician(config.clone(), false, clock.clone(), |tools| {
        tools.leave_after = Duration::from_secs(1);
    });
    let t = k.ui.window.global::<TechnicianAdapter>();

    chord(&k, &[Key::Control.into(), Key::Alt.into(), "t".into()]);
    assert_eq!(screen(&k), Screen::TechnicianPin);
    for left in (1..=4).rev() {
        assert_eq!(problem_after(&k, "0000"), PinProblem::Wrong);
        assert_eq!(t.get_attempts_left(), left);
    }
    assert_eq!(problem_after(&k, "0000"), PinProblem::Locked);
    assert_eq!(t.get_locked_minutes(), 10);
    // The right PIN waits out the lockout too.
    assert_eq!(problem_after(&k, PIN), PinProblem::Locked);
    assert_eq!(screen(&k), Screen::TechnicianPin);
    press(&k, Key::Escape);
    assert_eq!(screen(&k), Screen::Home);

    // Opening again, nine minutes on, says so before anything is typed.
    clock.advance(chrono::Duration::minutes(9));
    open_technician_mode(&k, PinProblem::Locked);
    assert_eq!(t.get_locked_minutes(), 1);

    // Ten minutes after the lockout the right PIN opens; left alone, the mode closes itself.
    clock.advance(chrono::Duration::minutes(1));
    assert_eq!(problem_after(&k, PIN), PinProblem::None);
    wait_for_screen(&k, Screen::Technician);
    wait_for_screen(&k, Screen::Home);
    assert!(!k.ui.window.global::<kiosk::ui::Nav>().get_technician_mode());

    // A terminal without a technician PIN cannot open the mode at all.
    let lock_file = k.dir.path().join("technician-lock.json");
    assert!(lock_file.exists(), "the count is kept on disk, across restarts");
    drop(k);
    let mut unprovisioned = config;
    unprovisioned.technician.pin_hash = None;
    let k = kiosk_for_technician(unprovisioned, false, clock, |_| {});
    open_technician_mode(&k, PinProblem::NoPin);
    assert_eq!(problem_after(&k, PIN), PinProblem::NoPin);
    assert_eq!(screen(&k), Screen::TechnicianPin);
}
