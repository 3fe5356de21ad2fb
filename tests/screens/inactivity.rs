//! The visitor screen through Slint's testing backend, by accessible-id. The inactivity wipe: language, volume, options and answers back to their defaults, and "more time".

use crate::ui;

use kiosk::config::Config;
use kiosk::ui::{Nav, Screen, Settings, TicketAdapter};
use slint::ComponentHandle;
use ui::*;

pub fn inactivity_wipes_language_volume_and_answers() {
    i_slint_backend_testing::init_integration_test_with_system_time();
    let mut config = Config::default();
    config.kiosk.warn_after_seconds = 1;
    config.kiosk.countdown_seconds = 1;
    let k = kiosk_with(config);
    tap(&k, "home-language");
    tap(&k, "language-ug");
    wait_for_screen(&k, Screen::Home);
    tap(&k, "home-accessibility");
    wait_for_screen(&k, Screen::Accessibility);
    tap(&k, "a11y-volume-up");
    tap(&k, "a11y-large-text");
    tap(&k, "a11y-high-contrast");
    let settings = k.ui.window.global::<Settings>();
    let looks = k.ui.window.global::<kiosk::ui::Appearance>();
    assert_eq!(settings.get_volume(), 6);
    assert!(looks.get_large_text() && looks.get_high_contrast());
    tap(&k, "a11y-done");
    tap(&k, "home-take-ticket");
    tap(&k, "service-C");
    wait_for_screen(&k, Screen::Priority);
    assert_eq!(k.ui.window.global::<TicketAdapter>().get_chosen_service(), "C");
    // The warning appears first, with its countdown…
    let w = k.ui.window.as_weak();
    assert!(wait_until(move || w
        .upgrade()
        .is_some_and(|w| w.global::<Nav>().get_warning_shown())));
    find(&k, "inactivity-countdown");
    // …then the session is wiped back to the neutral state.
    wait_for_screen(&k, Screen::Home);
    let settings = k.ui.window.global::<Settings>();
    let looks = k.ui.window.global::<kiosk::ui::Appearance>();
    assert_eq!(looks.get_language(), "zh-CN");
    assert_eq!(settings.get_volume(), 5);
    assert!(!looks.get_large_text() && !looks.get_high_contrast() && !settings.get_low_reach());
    assert_eq!(k.ui.window.global::<TicketAdapter>().get_chosen_service(), "");

    // "More time" keeps the session.
    tap(&k, "home-take-ticket");
    wait_for_screen(&k, Screen::Service);
    let w = k.ui.window.as_weak();
    assert!(wait_until(move || w
        .upgrade()
        .is_some_and(|w| w.global::<Nav>().get_warning_shown())));
    tap(&k, "inactivity-more-time");
    assert!(!k.ui.window.global::<Nav>().get_warning_shown());
    assert_eq!(screen(&k), Screen::Service);

    // The warning is modal: the screen beneath leaves the tree, and the key that answers it
    // does only that (the select key must not also take the focused service).
    let w = k.ui.window.as_weak();
    assert!(wait_until(move || w
        .upgrade()
        .is_some_and(|w| w.global::<Nav>().get_warning_shown())));
    let service_a = i_slint_backend_testing::ElementQuery::from_root(&k.ui.window)
        .match_descendants()
        .match_predicate(|e| e.accessible_id().as_deref() == Some("service-A"))
        .find_first();
    assert!(service_a.is_none(), "the services are hidden under the warning");
    press(&k, slint::platform::Key::Return);
    assert!(!k.ui.window.global::<Nav>().get_warning_shown());
    assert_eq!(screen(&k), Screen::Service, "the key only answered the warning");
    find(&k, "service-A");
}
