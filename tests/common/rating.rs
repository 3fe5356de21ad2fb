//! The rating screen under Slint's testing backend, fed by a real hall host on loopback: its
//! window, a kiosk and counter 1 to serve visitors with, and what the screen said.
#![allow(dead_code)]

use crate::hall::{Hall, service};
use crate::ui::{element_in, wait_until};
use i_slint_backend_testing::ElementHandle;
use kiosk::clock::SystemClock;
use kiosk::config::Config;
use kiosk::contract::HallQueue;
use kiosk::hall::access::TerminalRole;
use kiosk::hall::remote::RemoteQueue;
use kiosk::lang::Lang;
use kiosk::speech::Part;
use kiosk::ui::evaluator::{EvaluatorOptions, RatingScreenRun, start_rating_screen};
use kiosk::ui::{EvaluatorAdapter, EvaluatorWindow, RatingScreen};
use kiosk_contract::IssueRequest;
use slint::ComponentHandle;
use std::cell::RefCell;
use std::rc::Rc;
use std::sync::Arc;

pub struct RatingHall {
    pub window: EvaluatorWindow,
    pub run: RatingScreenRun,
    /// Everything the screen said, in order.
    pub said: Rc<RefCell<Vec<Vec<Part>>>>,
    pub kiosk: RemoteQueue,
    pub counter: RemoteQueue,
    // Dropped last: the enrolled terminals' folders and the host.
    _dirs: Vec<tempfile::TempDir>,
    pub hall: Hall,
}

impl RatingHall {
    /// A hall with a kiosk, counter 1 and a rating screen at counter 1, live (following).
    pub fn start() -> RatingHall {
        let hall = Hall::start();
        let (kiosk_dir, kiosk) = hall.queue("kiosk-2", TerminalRole::SecondaryKiosk, &[]);
        let (counter_dir, counter) = hall.queue("counter-1", TerminalRole::Counter, &[1]);
        let (rating_dir, evaluator) = hall.queue("rating-1", TerminalRole::Evaluator, &[1]);
        let rating_tls = kiosk::hall::client::TerminalTls::load(rating_dir.path())
            .unwrap()
            .rustls()
            .unwrap();
        kiosk::ui::fonts::register_bundled_fonts();
        let window = EvaluatorWindow::new().unwrap();
        window.show().unwrap();
        let said: Rc<RefCell<Vec<Vec<Part>>>> = Rc::default();
        let record = said.clone();
        let run = start_rating_screen(
            &window,
            EvaluatorOptions {
                counter: 1,
                queue: Box::new(evaluator),
                feed: Box::new(kiosk::hall::feed::RemoteFeed::new(hall.base.clone(), rating_tls)),
                config: Arc::new(Config::default()),
                clock: Arc::new(SystemClock),
                say: Box::new(move |parts| record.borrow_mut().push(parts)),
            },
        )
        .unwrap();
        let weak = window.as_weak();
        assert!(wait_until(move || weak
            .upgrade()
            .is_some_and(|w| w.global::<EvaluatorAdapter>().get_live())));
        RatingHall {
            window,
            run,
            said,
            kiosk,
            counter,
            _dirs: vec![kiosk_dir, counter_dir, rating_dir],
            hall,
        }
    }

    /// A visitor in `lang` issued a ticket, called and completed at counter 1: its number.
    pub fn serve(&mut self, lang: Lang) -> String {
        let t = self
            .kiosk
            .issue(&IssueRequest::new(service("A"), None, lang))
            .unwrap();
        let called = self.counter.call_next(1).unwrap().called.unwrap();
        assert_eq!(called.number, t.number);
        self.counter.complete(1).unwrap();
        t.number
    }
}

pub fn find(w: &EvaluatorWindow, id: &str) -> ElementHandle {
    element_in(w, id).unwrap_or_else(|| panic!("no {id} on screen"))
}

pub fn until_screen(w: &EvaluatorWindow, want: RatingScreen) {
    let weak = w.as_weak();
    let ok = wait_until(move || {
        weak.upgrade()
            .is_some_and(|w| w.global::<EvaluatorAdapter>().get_screen() == want)
    });
    assert!(
        ok,
        "expected {want:?}, still {:?}",
        w.global::<EvaluatorAdapter>().get_screen()
    );
}
