//! The visitor screen through Slint's testing backend, by accessible-id. "Not sure" leads to staff.

use crate::ui;

use kiosk::config::Config;
use kiosk::ui::Screen;
use slint::ComponentHandle;
use ui::*;

pub fn unsure_visitors_are_sent_to_staff() {
    i_slint_backend_testing::init_integration_test_with_system_time();
    let k = kiosk_with(Config::default());
    tap(&k, "home-screening");
    wait_for_screen(&k, Screen::WizardMatter);
    tap(&k, "matter-unsure");
    wait_for_screen(&k, Screen::WizardResult);
    let w = k.ui.window.global::<kiosk::ui::WizardAdapter>();
    assert!(w.get_unsure());
    assert_eq!(
        w.get_ticket_service(),
        "A",
        "a free consultation, never a bare no"
    );
}
