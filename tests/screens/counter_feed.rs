//! The counter console learns what others change in the hall through the hall feed, not by
//! reading its view on a timer: with the timer set to an hour, a ticket issued at a kiosk and a
//! visitor called at another counter still reach the signed-in console. Without a feed the
//! console would show neither (the test fails that way).

use crate::console;
use crate::hall;

use console::until;
use hall::{Hall, service};
use kiosk::contract::HallQueue;
use kiosk::hall::access::TerminalRole;
use kiosk::hall::client::TerminalTls;
use kiosk::hall::feed::RemoteFeed;
use kiosk::lang::Lang;
use kiosk::ui::counter::{ConsoleOptions, start_console};
use kiosk::ui::{ConsoleView, CounterAdapter};
use kiosk_contract::IssueRequest;
use slint::{ComponentHandle, Model};
use std::time::Duration;

pub fn another_terminals_changes_reach_the_console_through_the_feed() {
    i_slint_backend_testing::init_integration_test_with_system_time();
    let hall = Hall::start();
    let hash = kiosk::staff::hash_pin("2468").unwrap();
    kiosk_store::Store::open_in(hall.dir.path())
        .unwrap()
        .write(|c| {
            kiosk_store::staff_tables::put_staff(c, "S017", "王芳", &hash, chrono::Utc::now())?;
            kiosk_store::staff_tables::put_staff(c, "S020", "Li Na", &hash, chrono::Utc::now())
        })
        .unwrap();
    let (_k, mut kiosk_queue) = hall.queue("kiosk-2", TerminalRole::SecondaryKiosk, &[]);
    let (_o, mut other_counter) = hall.queue("counter-2", TerminalRole::Counter, &[2]);
    let (dir, counter_queue) = hall.queue("counter-1", TerminalRole::Counter, &[1]);
    let tls = TerminalTls::load(dir.path()).unwrap().rustls().unwrap();

    let w = console::window();
    let feed = RemoteFeed::new(hall.base.clone(), tls);
    let _console = start_console(
        &w,
        ConsoleOptions {
            // Only the feed can bring the changes below within the test's wait.
            refresh_every: Duration::from_secs(3600),
            ..console::options(counter_queue, Some(Box::new(feed)))
        },
    )
    .unwrap();
    let a = w.global::<CounterAdapter>();
    a.invoke_sign_in("S017".into(), "2468".into());
    until(&w, "signed in, nobody waiting", |a| {
        a.get_view() == ConsoleView::Main && !a.get_busy() && a.get_next().row_count() == 0
    });

    // A visitor takes a ticket at a kiosk: the console's next list shows them.
    kiosk_queue
        .issue(&IssueRequest::new(service("A"), None, Lang::ZhCn))
        .unwrap();
    until(&w, "the kiosk's ticket in the next list", |a| {
        a.get_next().row_count() == 1
    });
    // Counter 2 calls them: they leave this console's list.
    other_counter.sign_in(2, "S020", "2468").unwrap();
    other_counter.call_next(2).unwrap();
    until(&w, "the ticket called elsewhere has left the list", |a| {
        a.get_next().row_count() == 0
    });
}
