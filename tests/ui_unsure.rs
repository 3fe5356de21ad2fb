//! The visitor screen through Slint's testing backend, by accessible-id. "Not sure" leads to staff.
//!
//! One scenario per file: each test file is its own process, so the Slint platform, the event
//! loop and the adapters' state are this scenario's alone.

mod common;
#[path = "common/ui.rs"]
mod ui;

use kiosk::config::Config;
use kiosk::ui::Screen;
use slint::ComponentHandle;
use ui::*;

#[test]
fn unsure_visitors_are_sent_to_staff() {
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
