//! Technician mode over the counter console (the same overlay serves the rating screen and the
//! calling display), against a real hall host on loopback: Ctrl+Alt+T over the sign-in screen,
//! Back on the PIN screen leaving it, the PIN typed, the checks with this terminal's connection
//! to the hall host in Chinese and English, only the pages a counter console has, Escape back to
//! the console, whose keys and language are as the clerk left them; and the mode closing by
//! itself.

use crate::console;
use crate::hall;
use crate::ui;

use hall::Hall;
use i_slint_backend_testing::ElementQuery;
use kiosk::clock::SystemClock;
use kiosk::config::{Config, Role};
use kiosk::hall::access::TerminalRole;
use kiosk::ui::counter::{ConsoleOptions, start_console};
use kiosk::ui::{
    CheckStatus, ConsoleView, CounterAdapter, CounterWindow, Keypad, TechnicianAdapter, TechnicianView,
};
use slint::platform::Key;
use slint::{ComponentHandle, Model};
use std::sync::Arc;
use std::time::Duration;
use ui::wait_until;

const PIN: &str = "4826";

fn ctrl_alt_t(w: &CounterWindow) {
    ui::chord_in(w.window(), &[Key::Control.into(), Key::Alt.into(), "t".into()]);
}

fn until(w: &CounterWindow, what: &str, cond: impl Fn(&TechnicianAdapter) -> bool + 'static) {
    let weak = w.as_weak();
    let met = wait_until(move || {
        weak.upgrade()
            .is_some_and(|w| cond(&w.global::<TechnicianAdapter>()))
    });
    let t = w.global::<TechnicianAdapter>();
    assert!(
        met,
        "{what}: view {:?}, PIN problem {:?}, {} checks",
        t.get_view(),
        t.get_pin_problem(),
        t.get_checks().row_count()
    );
}

pub fn technician_mode_over_the_counter_console() {
    i_slint_backend_testing::init_integration_test_with_system_time();
    let hall = Hall::start();
    let (dir, queue) = hall.queue("counter-1", TerminalRole::Counter, &[1]);
    let mut config = Config::default();
    config.terminal.id = "counter-1".into();
    config.terminal.role = Role::Counter;
    config.terminal.hall_host = Some(hall.base.clone());
    config.technician.pin_hash = Some(kiosk::staff::hash_pin(PIN).unwrap());
    let config_file = dir.path().join("config.toml");
    std::fs::write(&config_file, config.to_toml()).unwrap();
    let config = Arc::new(config);

    let w = console::window();
    let _console = start_console(
        &w,
        ConsoleOptions {
            config: config.clone(),
            ..console::options(queue, None)
        },
    )
    .unwrap();
    let mut tools =
        kiosk::cli::technician_toolbox(config.clone(), &config_file, dir.path(), Arc::new(SystemClock));
    tools.leave_after = Duration::from_secs(2);
    kiosk::ui::wire_technician_overlay(&w, tools, kiosk::ui::counter::after_technician);
    assert_eq!(w.global::<CounterAdapter>().get_view(), ConsoleView::SignIn);
    assert!(ui::element_in(&w, "technician-pin-dots").is_none(), "closed: nothing shows");

    // Back on the PIN screen leaves, over the console as over the visitor's screens.
    ctrl_alt_t(&w);
    until(&w, "the PIN screen", |t| t.get_view() == TechnicianView::Pin);
    ui::element_in(&w, "nav-back")
        .expect("Back on the PIN screen")
        .invoke_accessible_default_action();
    // At once: waiting would see the mode close by itself after its two seconds here.
    assert_eq!(
        w.global::<TechnicianAdapter>().get_view(),
        TechnicianView::Closed,
        "Back closed the PIN screen"
    );

    // Ctrl+Alt+T over the sign-in screen (its staff number field has the keys), the PIN typed.
    ctrl_alt_t(&w);
    until(&w, "the PIN screen", |t| t.get_view() == TechnicianView::Pin);
    let field = ui::element_in(&w, "counter-staff-number").and_then(|e| e.accessible_label());
    assert_eq!(field.as_deref(), Some("工号"), "the panel opens in Chinese");
    ui::type_in(w.window(), PIN);
    assert_eq!(w.global::<TechnicianAdapter>().get_pin_length(), 4);
    ui::key_in(w.window(), Key::Return);
    until(&w, "the panel and its checks", |t| {
        t.get_view() == TechnicianView::Panel && t.get_checks().row_count() > 3 && !t.get_checks_running()
    });

    // The checks only: a console has no printer, guide, outbox or screening of its own.
    let t = w.global::<TechnicianAdapter>();
    assert!(!t.get_full_panel());
    assert!(ui::element_in(&w, "technician-page-0").is_some());
    assert!(
        ui::element_in(&w, "technician-page-1").is_none(),
        "no printer and sound page"
    );
    assert!(ui::element_in(&w, "technician-page-3").is_none(), "no installs");
    let hall_check = t
        .get_checks()
        .iter()
        .find(|c| c.name == "hall")
        .expect("the hall network check");
    assert_eq!(hall_check.status, CheckStatus::Ok, "{hall_check:?}");
    assert!(
        hall_check.detail.en.contains("connected to the hall host"),
        "{hall_check:?}"
    );
    assert!(
        hall_check.detail.zh.contains("已通过双向 TLS 连接大厅主机"),
        "{hall_check:?}"
    );
    // The first check on screen (the console's 800 pixels scroll the rest).
    let said = |w: &CounterWindow| {
        ui::element_in(w, "technician-check-config")
            .and_then(|e| e.accessible_description())
            .unwrap_or_default()
            .to_string()
    };
    assert!(said(&w).contains("有效"), "opens in Chinese: {}", said(&w));
    ui::element_in(&w, "technician-language")
        .unwrap()
        .invoke_accessible_default_action();
    assert!(said(&w).contains("is valid"), "{}", said(&w));

    // Escape: back to the console as the clerk left it, in English, the staff field typing.
    ui::key_in(w.window(), Key::Escape);
    until(&w, "closed", |t| t.get_view() == TechnicianView::Closed);
    assert!(ui::element_in(&w, "technician-page-0").is_none(), "the panel is gone");
    ui::type_in(w.window(), "S017");
    let typed = ElementQuery::from_root(&w)
        .match_descendants()
        .match_predicate(|e| e.accessible_value().is_some_and(|v| v == "S017"))
        .find_first();
    assert!(typed.is_some(), "the sign-in field has the keys again");
    let field = ui::element_in(&w, "counter-staff-number").and_then(|e| e.accessible_label());
    assert_eq!(
        field.as_deref(),
        Some("Staff number"),
        "the clerk's English is back (the panel opened in Chinese)"
    );

    // Opened again and left alone: it closes by itself; opened once more, its two minutes
    // start again (the chord reaches the console's keys, not the mode's).
    ctrl_alt_t(&w);
    until(&w, "the PIN screen again", |t| {
        t.get_view() == TechnicianView::Pin
    });
    until(&w, "closed by itself", |t| t.get_view() == TechnicianView::Closed);
    ctrl_alt_t(&w);
    until(&w, "the PIN screen once more", |t| {
        t.get_view() == TechnicianView::Pin
    });
    assert_eq!(w.global::<Keypad>().get_idle_seconds(), 0, "a fresh start");
}
