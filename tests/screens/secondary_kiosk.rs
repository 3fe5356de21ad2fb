//! A lobby kiosk beside the main one: its tickets come from the hall host over the hall API.
//! When the host goes away, the ticket button sends visitors to the main kiosk or staff while
//! the eligibility check keeps working; when the host is back, tickets work again by themselves
//! and nothing was issued twice.

use crate::hall;
use crate::ui;

use hall::Hall;
use kiosk::config::{Config, Role};
use kiosk::contract::HallQueue;
use kiosk::hall::access::TerminalRole;
use kiosk::hall::remote::RemoteQueue;
use kiosk::ui::{HomeAdapter, Screen, StartMode, TicketAdapter};
use slint::{ComponentHandle, Model};
use ui::*;

fn tickets_unavailable(k: &Kiosk, want: bool) -> bool {
    let w = k.ui.window.as_weak();
    wait_until(move || {
        w.upgrade()
            .is_some_and(|w| w.global::<HomeAdapter>().get_tickets_unavailable() == want)
    })
}

pub fn tickets_stop_while_the_hall_host_is_away_and_come_back_by_themselves() {
    i_slint_backend_testing::init_integration_test_with_system_time();
    let mut hall = Hall::start();
    let (terminal, client) = hall.join("kiosk-2", TerminalRole::SecondaryKiosk, &[]);
    let tls = kiosk::hall::client::TerminalTls::load(terminal.path())
        .unwrap()
        .rustls()
        .unwrap();
    let mut config = Config::default();
    config.terminal.id = "kiosk-2".into();
    config.terminal.role = Role::SecondaryKiosk;
    config.terminal.hall_host = Some(hall.base.clone());
    let local = tempfile::tempdir().unwrap();
    let mode = StartMode::Serving {
        queue: kiosk::ui::QueueSource::Open(Box::new(RemoteQueue::new(client))),
        local_db: Some(
            kiosk_store::Store::open_in(local.path())
                .unwrap()
                .path()
                .to_owned(),
        ),
        feed: Box::new(kiosk::hall::feed::RemoteFeed::new(hall.base.clone(), tls)),
    };
    let k = kiosk_in(config, mode);
    // The services and their waits come from the hall host.
    let w = k.ui.window.as_weak();
    assert!(wait_until(move || w.upgrade().is_some_and(|w| w
        .global::<TicketAdapter>()
        .get_services()
        .row_count()
        > 0)));

    ask_for_normal_ticket(&k, "A");
    wait_for_screen(&k, Screen::Confirmation);
    assert_eq!(
        find(&k, "confirmation-number").accessible_label().unwrap(),
        "A001"
    );
    tap(&k, "confirmation-done");
    wait_for_screen(&k, Screen::Home);

    hall.stop();
    assert!(
        tickets_unavailable(&k, true),
        "the kiosk noticed the host is gone"
    );
    let button = find(&k, "home-take-ticket");
    assert_eq!(button.accessible_enabled(), Some(false));
    let says = button.accessible_description().unwrap().to_string();
    let want = kiosk::i18n::tr(
        kiosk::lang::Lang::ZhCn,
        "Not available at this terminal right now. Please use the main ticket terminal or ask staff.",
    );
    assert_eq!(says, want, "the visitor is sent to the main kiosk or staff");
    // The eligibility check does not need the host.
    tap(&k, "home-screening");
    assert_ne!(screen(&k), Screen::Home, "the check starts");
    tap(&k, "nav-back");
    wait_for_screen(&k, Screen::Home);

    hall.restart();
    assert!(
        tickets_unavailable(&k, false),
        "tickets are back without anyone touching the kiosk"
    );
    ask_for_normal_ticket(&k, "A");
    wait_for_screen(&k, Screen::Confirmation);
    assert_eq!(
        find(&k, "confirmation-number").accessible_label().unwrap(),
        "A002"
    );
    let issued = hall.local().status().unwrap().tickets.len();
    assert_eq!(issued, 2, "nothing issued twice across the blip");
}
