//! The visitor screen through Slint's testing backend, by accessible-id. Help returns to where the visitor was.

use crate::ui;

use kiosk::config::Config;
use kiosk::ui::Screen;
use slint::platform::Key;
use ui::*;

pub fn help_returns_to_where_the_visitor_was() {
    i_slint_backend_testing::init_integration_test_with_system_time();
    let k = kiosk_with(Config::default());
    tap(&k, "home-take-ticket");
    wait_for_screen(&k, Screen::Service);
    press(&k, Key::F1);
    wait_for_screen(&k, Screen::Help);
    tap(&k, "help-done");
    wait_for_screen(&k, Screen::Service);
}
