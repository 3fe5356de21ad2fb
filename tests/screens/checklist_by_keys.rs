//! The visitor screen through Slint's testing backend, by accessible-id. On the checklist, the
//! keypad goes from the last item to Continue, not to Back: one Select too many moves on instead
//! of losing the page.

use crate::ui;

use kiosk::config::Config;
use kiosk::ui::{Screen, WizardAdapter, WizardStep};
use slint::platform::Key;
use slint::{ComponentHandle, Model};
use ui::*;

pub fn after_the_last_checklist_item_the_keypad_reaches_continue_first() {
    i_slint_backend_testing::init_integration_test_with_system_time();
    let k = kiosk_with(with_standard_for_today(Config::default()));
    let step = || k.ui.window.global::<WizardAdapter>().get_step();
    tap(&k, "home-screening");
    wait_for_screen(&k, Screen::WizardMatter);
    tap(&k, "matter-family_support");
    wait_for_screen(&k, Screen::WizardQuestion);
    tap(&k, "answer-no");
    tap(&k, "answer-no");
    wait_for_screen(&k, Screen::WizardChecklist);
    assert_eq!(step(), WizardStep::Circumstances);
    let items = k.ui.window.global::<WizardAdapter>().get_checklist().row_count();
    assert!(items > 1);
    // From the first item down past the last: the next stop is Continue.
    for _ in 0..items {
        press(&k, Key::DownArrow);
    }
    press(&k, Key::Return);
    wait_for_screen(&k, Screen::WizardQuestion);
    assert_eq!(
        step(),
        WizardStep::HighValueAssets,
        "Select after the last item continued (Back would have asked the previous question)"
    );
}
