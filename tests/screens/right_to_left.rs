//! The visitor screen through Slint's testing backend, by accessible-id. Uyghur reads from the
//! right: on a yes/no question Yes is on the right and first for the keypad, so Select pressed at
//! once answers Yes as it does in Chinese; side by side on the landscape home screen the buttons
//! come first, on the right.

use crate::ui;

use kiosk::config::Config;
use kiosk::ui::{Screen, WizardStep};
use slint::ComponentHandle;
use slint::platform::Key;
use ui::*;

fn step(k: &Kiosk) -> WizardStep {
    k.ui.window.global::<kiosk::ui::WizardAdapter>().get_step()
}

fn left_edge(k: &Kiosk, id: &str) -> f32 {
    find(k, id).absolute_position().x
}

pub fn uyghur_mirrors_yes_and_no_and_the_landscape_home_screen() {
    i_slint_backend_testing::init_integration_test_with_system_time();
    let k = kiosk_with(with_standard_for_today(Config::default()));
    for lang in ["zh-CN", "ug"] {
        tap(&k, "home-language");
        wait_for_screen(&k, Screen::Language);
        tap(&k, &format!("language-{lang}"));
        wait_for_screen(&k, Screen::Home);

        tap(&k, "home-screening");
        wait_for_screen(&k, Screen::WizardMatter);
        tap(&k, "matter-family_support");
        wait_for_screen(&k, Screen::WizardQuestion);
        assert_eq!(step(&k), WizardStep::AlreadyRepresented);
        let (yes, no) = (left_edge(&k, "answer-yes"), left_edge(&k, "answer-no"));
        if lang == "ug" {
            assert!(yes > no, "{lang}: Yes is on the right ({yes} vs No at {no})");
        } else {
            assert!(yes < no, "{lang}: Yes is on the left ({yes} vs No at {no})");
        }
        // Select at once answers the first choice: Yes ("already represented" ends the check),
        // never No (which would ask whether the case is in this city).
        press(&k, Key::Return);
        assert_ne!(
            step(&k),
            WizardStep::CaseOutsideCity,
            "{lang}: Select on a new question answered No"
        );
        press(&k, Key::Escape);
        wait_for_screen(&k, Screen::WizardQuestion);
        press(&k, Key::Escape);
        wait_for_screen(&k, Screen::WizardMatter);
        press(&k, Key::Escape);
        wait_for_screen(&k, Screen::Home);
    }

    k.ui.window
        .window()
        .set_size(slint::LogicalSize::new(1920.0, 1080.0));
    let (buttons, calls) = (
        left_edge(&k, "home-take-ticket"),
        left_edge(&k, "home-now-serving"),
    );
    assert!(
        buttons > calls,
        "in Uyghur the buttons are on the right of 'Now serving' ({buttons} vs {calls})"
    );
    tap(&k, "home-language");
    wait_for_screen(&k, Screen::Language);
    tap(&k, "language-zh-CN");
    wait_for_screen(&k, Screen::Home);
    let (buttons, calls) = (
        left_edge(&k, "home-take-ticket"),
        left_edge(&k, "home-now-serving"),
    );
    assert!(
        buttons < calls,
        "in Chinese the buttons are on the left ({buttons} vs {calls})"
    );
}
