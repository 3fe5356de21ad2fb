//! Helpers for tests that drive the visitor screen through Slint's testing backend: a kiosk on a
//! temporary database, waiting on the event loop for a condition, and finding elements by
//! accessible-id. Part of `tests/screens`, whose scenarios each run in a process of their own.
#![allow(dead_code)]

use i_slint_backend_testing::{ElementHandle, ElementQuery, ElementRoot};
use kiosk::config::Config;
use kiosk::queue_service::QueueService;
use kiosk::ui::{KioskUi, Nav, Screen, StartMode, TicketAdapter};
use kiosk_store::Store;
use slint::platform::WindowEvent;
use slint::{ComponentHandle, Model};
use std::cell::Cell;
use std::rc::Rc;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// The time the kiosks in these tests live at: a Tuesday morning in the hall (10:00 in Guangzhou),
/// fixed, so no test depends on the day it runs (the business day, the policy year in force).
pub fn hall_clock() -> Arc<kiosk::clock::ManualClock> {
    use chrono::TimeZone;
    let at = chrono::Utc.with_ymd_and_hms(2026, 12, 1, 2, 0, 0).unwrap();
    Arc::new(kiosk::clock::ManualClock::new(at))
}

pub struct Kiosk {
    pub ui: KioskUi,
    pub dir: tempfile::TempDir,
}

/// A kiosk started in `mode` (a queue of the test's own, or out of service), at `hall_clock`.
pub fn kiosk_in(config: Config, mode: StartMode) -> Kiosk {
    let ui = KioskUi::builder(Arc::new(config), mode, hall_clock())
        .build()
        .unwrap();
    ui.window.show().unwrap();
    Kiosk {
        ui,
        dir: tempfile::tempdir().unwrap(),
    }
}

/// A yearly hardship standard covering the test's day, so the means test can decide and the
/// wizard asks its questions one after the other.
pub fn with_standard_for_today(mut config: Config) -> Config {
    config
        .policy
        .yearly_standard
        .push(kiosk::eligibility::ProvisionedStandard {
            from: "2026-03-01".parse().unwrap(),
            monthly_per_capita: 2600,
            source: None,
        });
    config
}

/// From the home screen to a normal ticket of `service` (the confirmation, or an error, follows).
pub fn ask_for_normal_ticket(k: &Kiosk, service: &str) {
    tap(k, "home-take-ticket");
    wait_for_screen(k, Screen::Service);
    tap(k, &format!("service-{service}"));
    wait_for_screen(k, Screen::Priority);
    tap(k, "priority-none");
}

pub fn kiosk_with(config: Config) -> Kiosk {
    kiosk_printing(config, false)
}

pub fn kiosk_printing(config: Config, with_printer: bool) -> Kiosk {
    kiosk_speaking(config, with_printer, None)
}

pub fn kiosk_speaking(
    config: Config,
    with_printer: bool,
    speech: Option<kiosk::speech::SpeechService>,
) -> Kiosk {
    let dir = tempfile::tempdir().unwrap();
    let config = Arc::new(config);
    let clock = hall_clock();
    let printer = with_printer
        .then(|| kiosk::printer::Printer::new(config.printer.clone(), dir.path().join("receipts")));
    // As at a hall host's first start: the queue's thread makes the database (the tickets these
    // tests take come from it, committed); the real binary's later starts are in tests/screens/xvfb.rs.
    let mode = StartMode::first_start(dir.path().to_owned(), config.clone(), clock.clone());
    let ui = KioskUi::builder(config, mode, clock)
        .printer(printer)
        .speech(speech)
        .build()
        .unwrap();
    ui.window.show().unwrap();
    let k = Kiosk { ui, dir };
    // The first figures arrive from the queue thread.
    let t = k.ui.window.as_weak();
    assert!(wait_until(move || t.upgrade().is_some_and(|w| w
        .global::<TicketAdapter>()
        .get_services()
        .row_count()
        == 5)));
    k
}

/// Runs the event loop until `cond` holds (or 10 s pass). Replies from the queue thread and
/// `changed` handlers are processed by the event loop, so tests wait for them, not for time.
pub fn wait_until(cond: impl Fn() -> bool + 'static) -> bool {
    let deadline = Instant::now() + Duration::from_secs(10);
    let met = Rc::new(Cell::new(cond()));
    let timer = slint::Timer::default();
    let m = met.clone();
    timer.start(slint::TimerMode::Repeated, Duration::from_millis(5), move || {
        if m.get() {
            return; // already satisfied: never ask to quit twice
        }
        if cond() {
            m.set(true);
            let _ = slint::quit_event_loop();
        } else if Instant::now() > deadline {
            let _ = slint::quit_event_loop();
        }
    });
    // A quit request left over from an earlier wait ends a run early; run again until done.
    while !met.get() && Instant::now() <= deadline {
        slint::run_event_loop_until_quit().unwrap();
    }
    met.get()
}

/// The element with this accessible-id, if it is there (a hidden one is not).
pub fn element_in(root: &impl ElementRoot, id: &str) -> Option<ElementHandle> {
    let wanted = id.to_owned();
    ElementQuery::from_root(root)
        .match_descendants()
        .match_predicate(move |e| e.accessible_id().as_deref() == Some(wanted.as_str()))
        .find_first()
}

pub fn find(k: &Kiosk, id: &str) -> ElementHandle {
    element_in(&k.ui.window, id)
        .unwrap_or_else(|| panic!("no element with accessible-id {id} on screen {:?}", screen(k)))
}

/// Waits until an element with this accessible-id is on screen; returns it.
pub fn wait_for_element(k: &Kiosk, id: &str) -> ElementHandle {
    let (weak, wanted) = (k.ui.window.as_weak(), id.to_owned());
    let shown = wait_until(move || weak.upgrade().is_some_and(|w| element_in(&w, &wanted).is_some()));
    assert!(shown, "{id} did not appear (screen {:?})", screen(k));
    find(k, id)
}

pub fn tap(k: &Kiosk, id: &str) {
    find(k, id).invoke_accessible_default_action();
}

pub fn screen(k: &Kiosk) -> Screen {
    k.ui.window.global::<Nav>().get_screen()
}

pub fn wait_for_screen(k: &Kiosk, want: Screen) {
    let w = k.ui.window.as_weak();
    let ok = wait_until(move || {
        w.upgrade()
            .is_some_and(|w| w.global::<Nav>().get_screen() == want)
    });
    assert!(ok, "expected screen {want:?}, still on {:?}", screen(k));
}

pub fn press(k: &Kiosk, key: impl Into<slint::SharedString>) {
    key_in(k.ui.window.window(), key);
}

/// A key pressed and released in any role's window.
pub fn key_in(window: &slint::Window, key: impl Into<slint::SharedString>) {
    let text: slint::SharedString = key.into();
    window.dispatch_event(WindowEvent::KeyPressed { text: text.clone() });
    window.dispatch_event(WindowEvent::KeyReleased { text });
}

/// Text typed into any role's window, one key at a time.
pub fn type_in(window: &slint::Window, text: &str) {
    for c in text.chars() {
        key_in(window, c.to_string());
    }
}

/// The local receiver on a thread of its own; returns its URL and a handle on its statistics.
pub fn local_agency(key: &[u8]) -> (String, std::sync::Arc<kiosk::agency::receiver::Receiver>) {
    use kiosk::agency::receiver::{Faults, Receiver};
    let receiver = std::sync::Arc::new(Receiver::new(key.to_vec(), Faults::default(), None).unwrap());
    let (tx, rx) = std::sync::mpsc::channel();
    let r = receiver.clone();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async move {
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
            tx.send(listener.local_addr().unwrap()).unwrap();
            kiosk::agency::receiver::serve(listener, r, std::future::pending())
                .await
                .unwrap();
        });
    });
    (format!("http://{}", rx.recv().unwrap()), receiver)
}

/// A kiosk on `config` whose result screen offers pre-applications to a local receiver (returned
/// to count what arrives).
pub fn kiosk_with_agency(mut config: Config) -> (Kiosk, std::sync::Arc<kiosk::agency::receiver::Receiver>) {
    let dir = tempfile::tempdir().unwrap();
    let key_file = dir.path().join("agency.key");
    std::fs::write(&key_file, "ui-test-key\n").unwrap();
    let (url, receiver) = local_agency(b"ui-test-key");
    config.agency = Some(kiosk::config::AgencyConfig {
        url,
        key_file,
        timeout_ms: Some(2000),
        first_retry_ms: Some(50),
    });
    let agency = kiosk::agency::deliver::Agency::from_config(&config, None).unwrap();
    let config = Arc::new(config);
    // The system clock: the outbox worker's retries wait for real time to pass.
    let clock = Arc::new(kiosk::clock::SystemClock);
    let queue =
        QueueService::new(Store::open_in(dir.path()).unwrap(), config.clone(), clock.clone()).unwrap();
    let ui = KioskUi::builder(config, StartMode::local(queue), clock)
        .agency(agency)
        .build()
        .unwrap();
    ui.window.show().unwrap();
    (Kiosk { ui, dir }, receiver)
}

/// A kiosk with technician mode, as `kiosk run` builds it: its provisioning file in its data
/// folder (written from `config`), on `clock`; `tune` adjusts the toolbox (where USB sticks are,
/// how soon the mode closes).
pub fn kiosk_for_technician(
    config: Config,
    printer: bool,
    clock: Arc<kiosk::clock::ManualClock>,
    tune: impl FnOnce(&mut kiosk::technician::Toolbox),
) -> Kiosk {
    let dir = tempfile::tempdir().unwrap();
    let config_file = dir.path().join("config.toml");
    std::fs::write(&config_file, config.to_toml()).unwrap();
    let config = Arc::new(config);
    let queue =
        QueueService::new(Store::open_in(dir.path()).unwrap(), config.clone(), clock.clone()).unwrap();
    let printer =
        printer.then(|| kiosk::printer::Printer::new(config.printer.clone(), dir.path().join("receipts")));
    let mut tools = kiosk::cli::technician_toolbox(config.clone(), &config_file, dir.path(), clock.clone());
    tune(&mut tools);
    let ui = KioskUi::builder(config, StartMode::local(queue), clock)
        .printer(printer)
        .technician(tools)
        .build()
        .unwrap();
    ui.window
        .window()
        .set_size(slint::LogicalSize::new(1080.0, 1920.0));
    ui.window.show().unwrap();
    Kiosk { ui, dir }
}

/// A touch at a point of the window (for what has no accessible element, like a hot corner).
pub fn touch_at(k: &Kiosk, x: f32, y: f32) {
    use slint::platform::PointerEventButton;
    let position = slint::LogicalPosition::new(x, y);
    let window = k.ui.window.window();
    window.dispatch_event(WindowEvent::PointerPressed {
        position,
        button: PointerEventButton::Left,
    });
    window.dispatch_event(WindowEvent::PointerReleased {
        position,
        button: PointerEventButton::Left,
    });
}

/// Keys held together, like Ctrl+Alt+T: pressed in order, released in reverse.
pub fn chord(k: &Kiosk, keys: &[slint::SharedString]) {
    chord_in(k.ui.window.window(), keys);
}

/// Keys held together in any role's window.
pub fn chord_in(window: &slint::Window, keys: &[slint::SharedString]) {
    for key in keys {
        window.dispatch_event(WindowEvent::KeyPressed { text: key.clone() });
    }
    for key in keys.iter().rev() {
        window.dispatch_event(WindowEvent::KeyReleased { text: key.clone() });
    }
}

/// Types `text` on the keyboard, one key at a time.
pub fn type_keys(k: &Kiosk, text: &str) {
    type_in(k.ui.window.window(), text);
}
