//! The visitor screen through Slint's testing backend, by accessible-id. A ticket by the keypad alone.

use crate::ui;

use kiosk::config::Config;
use kiosk::ui::{Screen, TicketAdapter};
use slint::ComponentHandle;
use slint::platform::Key;
use ui::*;

pub fn take_a_ticket_with_keys_only() {
    i_slint_backend_testing::init_integration_test_with_system_time();
    let k = kiosk_with(Config::default());
    // Home: focus starts on "Take a queue ticket".
    press(&k, Key::Return);
    wait_for_screen(&k, Screen::Service);
    // Move to the second service (B) and back up, then down again: B.
    press(&k, Key::DownArrow);
    press(&k, Key::DownArrow);
    press(&k, Key::UpArrow);
    assert_eq!(k.ui.window.global::<kiosk::ui::Keypad>().get_focus_index(), 1);
    press(&k, Key::Return);
    wait_for_screen(&k, Screen::Priority);
    // Escape goes back to the services, Return chooses B again.
    press(&k, Key::Escape);
    wait_for_screen(&k, Screen::Service);
    press(&k, Key::DownArrow);
    press(&k, Key::Return);
    wait_for_screen(&k, Screen::Priority);
    // Second option: elderly.
    press(&k, Key::DownArrow);
    press(&k, Key::Return);
    wait_for_screen(&k, Screen::Confirmation);
    let t = k.ui.window.global::<TicketAdapter>();
    assert_eq!(t.get_number(), "B001");
    assert!(
        t.get_priority(),
        "the elderly option gives a green-channel ticket"
    );
    assert!(
        k.ui.window.global::<kiosk::ui::Keypad>().get_keypad_active(),
        "focus rings are shown once keys are used"
    );
    press(&k, Key::Return);
    wait_for_screen(&k, Screen::Home);
}
