//! The visitor screen through Slint's testing backend, by accessible-id. The out-of-service screen sends visitors to staff and shows the technician the detail.

use crate::ui;

use kiosk::config::Config;
use kiosk::ui::{Screen, StartMode};
use slint::platform::Key;
use ui::*;

pub fn out_of_service_sends_visitors_to_staff() {
    i_slint_backend_testing::init_integration_test_with_system_time();
    let detail = "provisioning file: hall.id: 'gz-nowhere' is not one of the city's halls";
    let k = kiosk_in(Config::default(), StartMode::OutOfService(detail.into()));
    assert_eq!(screen(&k), Screen::OutOfService);
    assert_eq!(
        find(&k, "out-of-service-detail").accessible_label().unwrap(),
        detail
    );
    // Back and Help are handled as the keys are dispatched; none may leave the screen.
    for key in [Key::Return, Key::Escape, Key::F1] {
        press(&k, key);
        assert_eq!(screen(&k), Screen::OutOfService);
    }
}
