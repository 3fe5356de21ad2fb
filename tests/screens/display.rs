//! The calling display's window (Slint's testing backend, found by accessible-id) following a
//! real hall host on loopback: a call becomes the large, highlighted number, the next one
//! pushes it into the recent list, a recall flashes again, and a stopped host turns the
//! highlight off and shows the connection-lost banner.

use crate::hall;
use crate::ui;

use hall::{Hall, service};
use i_slint_backend_testing::{ElementHandle, ElementQuery};
use kiosk::contract::HallQueue;
use kiosk::display::feed::FeedOptions;
use kiosk::hall::access::TerminalRole;
use kiosk::hall::client::TerminalTls;
use kiosk::hall::feed::RemoteFeed;
use kiosk::lang::Lang;
use kiosk::ui::display::{self as screen, DisplayNames};
use kiosk::ui::{DisplayAdapter, DisplayLink, DisplayWindow};
use kiosk_contract::IssueRequest;
use slint::{ComponentHandle, Model};

fn find(w: &DisplayWindow, id: &str) -> Option<ElementHandle> {
    ElementQuery::from_root(w)
        .match_descendants()
        .match_predicate({
            let id = id.to_owned();
            move |e| e.accessible_id().as_deref() == Some(id.as_str())
        })
        .find_first()
}

fn label(w: &DisplayWindow, id: &str) -> Option<String> {
    find(w, id)?.accessible_label().map(|s| s.to_string())
}

/// Runs the event loop until `cond` holds for the window.
fn until(w: &DisplayWindow, what: &str, cond: impl Fn(&DisplayWindow) -> bool + 'static) {
    let weak = w.as_weak();
    let met = ui::wait_until(move || weak.upgrade().is_some_and(|w| cond(&w)));
    assert!(met, "the display never showed {what}");
}

pub fn the_window_shows_calls_as_the_host_makes_them_and_the_host_going_away() {
    i_slint_backend_testing::init_integration_test_with_system_time();
    kiosk::ui::fonts::register_bundled_fonts();
    let mut hall = Hall::start();
    let mut host = hall.local();
    for lang in [Lang::Ug, Lang::ZhCn] {
        host.issue(&IssueRequest::new(service("A"), None, lang)).unwrap();
    }
    let (dir, client) = hall.join("wall-1", TerminalRole::Display, &[]);
    let window = DisplayWindow::new().unwrap();
    window.window().set_size(slint::PhysicalSize::new(1920, 1080));
    window.show().unwrap();
    let names = DisplayNames::from_config(&hall.config);
    screen::prepare(&window, &names);
    let options = FeedOptions {
        source: Box::new(RemoteFeed::new(
            hall.base.clone(),
            TerminalTls::load(dir.path()).unwrap().rustls().unwrap(),
        )),
        counts: Box::new(kiosk::hall::remote::RemoteQueue::new(client)),
        clock: std::sync::Arc::new(kiosk::clock::SystemClock),
        time_zone: hall.config.time_zone(),
        rollover: hall.config.rollover_time(),
        announce: None,
        calls: Default::default(),
    };
    let _feed = screen::follow(&window, options, names).unwrap();
    until(&window, "the empty hall", |w| {
        w.global::<DisplayAdapter>().get_link() == DisplayLink::Live
            && find(w, "display-newest-number").is_none()
    });
    assert!(
        find(&window, "display-link").is_none(),
        "no banner while connected"
    );

    let first = host.call_next(1).unwrap().called.unwrap().number;
    let wanted = first.clone();
    until(&window, "the first call, large", move |w| {
        label(w, "display-newest-number").as_deref() == Some(wanted.as_str())
    });
    let adapter = window.global::<DisplayAdapter>();
    assert!(adapter.get_highlighted());
    // The ticket was taken in Uyghur: the call says where to go in Uyghur too.
    assert!(adapter.get_calls().row_data(0).unwrap().uyghur);

    let second = host.call_next(2).unwrap().called.unwrap().number;
    let wanted = second.clone();
    until(&window, "the second call, large", move |w| {
        label(w, "display-newest-number").as_deref() == Some(wanted.as_str())
    });
    let listed = label(&window, "display-recent-1").unwrap();
    assert!(
        listed.starts_with(first.as_str()),
        "the first call moved down the list: {listed}"
    );
    let flashes = adapter.get_flashes();

    host.recall(1).unwrap();
    let wanted = first.clone();
    until(&window, "the recall, large again", move |w| {
        label(w, "display-newest-number").as_deref() == Some(wanted.as_str())
    });
    assert_eq!(adapter.get_flashes(), flashes + 1, "a recall flashes again");
    assert!(adapter.get_calls().row_data(0).unwrap().recall);

    hall.stop();
    until(&window, "the connection-lost banner", |w| {
        find(w, "display-link").is_some()
    });
    assert!(!adapter.get_highlighted(), "nothing highlighted without the host");
    assert_eq!(
        label(&window, "display-newest-number").as_deref(),
        Some(first.as_str()),
        "the last calls stay visible"
    );
    hall.restart();
    until(&window, "the banner gone", |w| find(w, "display-link").is_none());
    assert!(!adapter.get_highlighted(), "an old call is not highlighted again");
}
