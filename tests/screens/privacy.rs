//! The visitor's phone and ID numbers leave the kiosk's memory when the visitor does: Back, a
//! refused consent and the session wipe each clear every copy — on the screen and in the Rust
//! state behind it (inspected with `KioskUi::holds_contact_details`).

use crate::ui;

use kiosk::config::Config;
use kiosk::ui::{Nav, PreappAdapter, Screen};
use slint::ComponentHandle;
use ui::*;

/// A kiosk that offers pre-applications (nothing is sent in this test) and wipes the session
/// after four idle seconds.
fn kiosk_offering_preapplications() -> Kiosk {
    let mut config = Config::default();
    config.kiosk.warn_after_seconds = 3;
    config.kiosk.countdown_seconds = 1;
    kiosk_with_agency(config).0
}

fn type_digits(k: &Kiosk, digits: &str) {
    for d in digits.chars() {
        let id = if d == 'X' {
            "preapp-key-x".to_owned()
        } else {
            format!("preapp-key-{d}")
        };
        tap(k, &id);
    }
}

/// From the home screen to the consent screen with a phone and an ID number typed and accepted.
fn enter_contact_details(k: &Kiosk) {
    tap(k, "home-screening");
    wait_for_screen(k, Screen::WizardMatter);
    tap(k, "matter-consultation");
    wait_for_screen(k, Screen::WizardReview);
    tap(k, "review-confirm");
    wait_for_screen(k, Screen::WizardResult);
    tap(k, "result-send");
    wait_for_screen(k, Screen::PreappPhone);
    type_digits(k, "13812345678");
    tap(k, "preapp-continue");
    wait_for_screen(k, Screen::PreappId);
    type_digits(k, "11010519491231002X");
    tap(k, "preapp-continue");
    wait_for_screen(k, Screen::PreappConsent);
    assert!(k.ui.holds_contact_details(), "the numbers are held until consent");
}

fn assert_forgotten(k: &Kiosk, after: &str) {
    assert!(
        !k.ui.holds_contact_details(),
        "{after}: the numbers are still in memory"
    );
    let pa = k.ui.window.global::<PreappAdapter>();
    assert_eq!(
        pa.get_entry(),
        "",
        "{after}: the typed text is still on the adapter"
    );
}

pub fn back_decline_and_the_session_wipe_forget_the_phone_and_id_numbers() {
    i_slint_backend_testing::init_integration_test_with_system_time();
    let k = kiosk_offering_preapplications();

    // Back from the consent screen.
    enter_contact_details(&k);
    tap(&k, "nav-back");
    assert_forgotten(&k, "Back");

    // Declining consent.
    k.ui.window.global::<Nav>().invoke_go(Screen::Home);
    wait_for_screen(&k, Screen::Home);
    enter_contact_details(&k);
    k.ui.window.global::<PreappAdapter>().invoke_consent(false);
    wait_for_screen(&k, Screen::WizardResult);
    assert_forgotten(&k, "declining consent");

    // The visitor walks away: the inactivity warning, then the wipe.
    k.ui.window.global::<Nav>().invoke_go(Screen::Home);
    wait_for_screen(&k, Screen::Home);
    enter_contact_details(&k);
    let w = k.ui.window.as_weak();
    assert!(wait_until(move || w
        .upgrade()
        .is_some_and(|w| w.global::<Nav>().get_warning_shown())));
    wait_for_screen(&k, Screen::Home);
    assert_forgotten(&k, "the session wipe");
}
