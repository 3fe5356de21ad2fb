//! The visitor screen on a queue that is not a database: a mock `HallQueue` answers, and the
//! screen must show what each kind of answer means to a visitor — the ticket, "ask staff" for a
//! refusal, "the queue system is not answering" when the hall host cannot be reached — and the
//! counters' current visitors from the summary.

use crate::mock_queue;
use crate::ui;

use kiosk::config::Config;
use kiosk::contract::HallError;
use kiosk::lang::Lang;
use kiosk::ui::{HomeAdapter, QueueSource, Screen, StartMode, TicketAdapter};
use mock_queue::MockQueue;
use slint::{ComponentHandle, Model};
use ui::*;

fn kiosk_on(queue: MockQueue) -> Kiosk {
    let mode = StartMode::Serving {
        queue: QueueSource::Open(Box::new(queue)),
        local_db: None,
        // The mock's hall never changes: a feed of no events.
        feed: Box::new(kiosk::hall::feed::LocalFeed::new(Box::new(MockQueue::new()))),
    };
    let k = kiosk_in(Config::default(), mode);
    // The services the mock's summary lists (A and B) arrive from the queue thread.
    let t = k.ui.window.as_weak();
    assert!(wait_until(move || t.upgrade().is_some_and(|w| w
        .global::<TicketAdapter>()
        .get_services()
        .row_count()
        == 2)));
    k
}

fn error_shown(k: &Kiosk) -> String {
    wait_for_element(k, "ticket-error")
        .accessible_label()
        .unwrap()
        .to_string()
}

pub fn the_screen_tells_each_kind_of_queue_answer_apart() {
    i_slint_backend_testing::init_integration_test_with_system_time();

    // A ticket: the confirmation shows the queue's number, and the request was the visitor's.
    let queue = MockQueue::new();
    let issued = queue.issued.clone();
    let k = kiosk_on(queue);
    ask_for_normal_ticket(&k, "B");
    wait_for_screen(&k, Screen::Confirmation);
    assert_eq!(
        find(&k, "confirmation-number").accessible_label().unwrap(),
        "B042"
    );
    let asked = issued.lock().unwrap().clone();
    assert_eq!(asked, [("B".parse().unwrap(), None, Lang::ZhCn)]);

    // The counters' current visitors from the summary, the latest call first.
    let weak = k.ui.window.as_weak();
    assert!(wait_until(move || {
        let w = weak.upgrade().unwrap();
        w.global::<HomeAdapter>().get_now_serving().row_count() == 2
    }));
    let home = k.ui.window.global::<HomeAdapter>();
    let serving: Vec<String> = home
        .get_now_serving()
        .iter()
        .map(|n| n.number.to_string())
        .collect();
    assert_eq!(serving, ["A017", "B004"]);
    drop(k);

    // The hall host cannot be reached: the visitor is told so and sent to staff, and stays on
    // the screen where they asked.
    let k = kiosk_on(MockQueue::failing(HallError::unavailable("connection refused")));
    ask_for_normal_ticket(&k, "B");
    let unavailable = error_shown(&k);
    assert_eq!(
        unavailable,
        kiosk::i18n::tr(
            Lang::ZhCn,
            "The queue system is not answering right now. Please ask staff at a counter for a number."
        )
    );
    assert_eq!(screen(&k), Screen::Priority);
    drop(k);

    // A refusal is not an outage: other words.
    let k = kiosk_on(MockQueue::failing(HallError::refused("service B is closed")));
    ask_for_normal_ticket(&k, "B");
    let refused = error_shown(&k);
    assert_eq!(
        refused,
        kiosk::i18n::tr(
            Lang::ZhCn,
            "Sorry, no ticket could be issued. Please ask staff at a counter."
        )
    );
    assert_ne!(refused, unavailable);
}
