//! Wires the Slint globals to the queue worker and keeps the session rules.

use super::preapp::OutboxLink;
use super::session::{SessionDefaults, back_target};
use super::worker::{Job, QueueWorker, Reply};
use super::{
    HomeAdapter, KioskWindow, Nav, NowServing, OutOfServiceAdapter, PreappAdapter, PrintState, Screen,
    ServiceItem, Settings, TicketAdapter, WizardAdapter,
};
use crate::agency::deliver::{self, Agency};
use crate::config::Config;
use crate::lang::Lang;
use crate::printer::{Outcome, PrintService, Printer, Report};
use crate::printing;
use crate::queue::{PriorityReason, ServiceCode, TicketState};
use crate::queue_service::{HallStatus, QueueService, TicketView};
use crate::speech::SpeechService;
use slint::{ComponentHandle, ModelRc, VecModel};
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::sync::Arc;

/// What the kiosk can do when it starts.
pub enum StartMode {
    /// Normal operation with the hall's queue.
    Serving(QueueService),
    /// A fatal problem a technician must fix; the detail is shown small for them.
    OutOfService(String),
}

/// The visitor screen. The queue thread lives as long as the callbacks that hold its sender.
pub struct KioskUi {
    pub window: KioskWindow,
    contact: super::preapp::ContactHold,
    _refresh: slint::Timer,
    _watch: slint::Timer,
}

impl KioskUi {
    /// Whether a visitor's phone or ID number is held in memory (the session wipe, Back and a
    /// refused consent must leave none).
    pub fn holds_contact_details(&self) -> bool {
        self.contact.holds_anything()
    }
}

/// How often the kiosk asks whether another connection changed the queue.
pub const CALL_WATCH: std::time::Duration = std::time::Duration::from_millis(500);

thread_local! {
    /// The ticket on the confirmation screen, kept for "Print again".
    static LAST_TICKET: RefCell<Option<(TicketView, Lang)>> = const { RefCell::new(None) };
}

impl KioskUi {
    pub fn new(
        config: Arc<Config>,
        mode: StartMode,
        clock: Arc<dyn crate::clock::Clock>,
    ) -> Result<Self, slint::PlatformError> {
        Self::with_devices(config, mode, clock, None, None)
    }

    /// The kiosk with its printer and the agency: the outbox is delivered on its own thread, and
    /// the result screen offers to send a pre-application.
    pub fn with_devices(
        config: Arc<Config>,
        mode: StartMode,
        clock: Arc<dyn crate::clock::Clock>,
        printer: Option<Printer>,
        agency: Option<Agency>,
    ) -> Result<Self, slint::PlatformError> {
        Self::with_speech(config, mode, clock, printer, agency, None)
    }

    /// The kiosk with every device, speech included: the screens are read aloud and calls are
    /// announced through the speech thread.
    pub fn with_speech(
        config: Arc<Config>,
        mode: StartMode,
        clock: Arc<dyn crate::clock::Clock>,
        printer: Option<Printer>,
        agency: Option<Agency>,
        speech: Option<SpeechService>,
    ) -> Result<Self, slint::PlatformError> {
        super::fonts::register_bundled_fonts();
        let window = KioskWindow::new()?;
        super::speech::wire(&window, speech);
        let nav = window.global::<Nav>();
        nav.set_warn_after_seconds(i32::try_from(config.kiosk.warn_after_seconds).unwrap_or(60));
        nav.set_countdown_seconds(i32::try_from(config.kiosk.countdown_seconds).unwrap_or(30));
        nav.set_hide_cursor(config.kiosk.hide_cursor);
        wipe_session(&window, &config);

        let mut printing: Option<Arc<PrintService>> = None;
        let mut outbox: Option<OutboxLink> = None;
        let worker = match mode {
            StartMode::OutOfService(detail) => {
                tracing::error!(%detail, "kiosk is out of service");
                window
                    .global::<OutOfServiceAdapter>()
                    .set_technician_detail(detail.into());
                window.global::<Nav>().set_screen(Screen::OutOfService);
                None
            }
            StartMode::Serving(queue) => {
                if let Some(agency) = agency {
                    outbox = Some(start_delivery(agency, queue.store().path(), clock.clone())?);
                }
                if let Some(p) = printer {
                    printing = Some(start_printing(
                        &window,
                        &config,
                        p,
                        queue.store().path(),
                        clock.clone(),
                    )?);
                }
                window.global::<TicketAdapter>().set_can_print(printing.is_some());
                window.global::<WizardAdapter>().set_can_print(printing.is_some());
                wire_reprint(&window, &config, printing.clone());
                let weak = window.as_weak();
                let (cfg, printing) = (config.clone(), printing.clone());
                let worker = QueueWorker::spawn(queue, move |reply| {
                    let (cfg, printing) = (cfg.clone(), printing.clone());
                    let _ =
                        weak.upgrade_in_event_loop(move |w| on_reply(&w, &cfg, printing.as_deref(), reply));
                })
                .map_err(|e| slint::PlatformError::Other(format!("cannot start the queue thread: {e}")))?;
                Some(Rc::new(worker))
            }
        };
        wire_navigation(&window, &config, worker.clone());
        let contact = match super::wizard::wire(&window, &config, clock, printing) {
            Some(wizard) => super::preapp::wire(&window, wizard, outbox),
            None => super::preapp::ContactHold::default(),
        };
        if let Some(worker) = &worker {
            wire_tickets(&window, &config, worker.clone());
            worker.send(Job::Snapshot);
        }
        let refresh = slint::Timer::default();
        let watch = slint::Timer::default();
        if let Some(worker) = worker {
            let every = std::time::Duration::from_secs(u64::from(config.kiosk.refresh_seconds));
            let w = worker.clone();
            refresh.start(slint::TimerMode::Repeated, every, move || w.send(Job::Snapshot));
            // Calls from the counters are announced within half a second.
            watch.start(slint::TimerMode::Repeated, CALL_WATCH, move || {
                worker.send(Job::SnapshotIfChanged)
            });
        }
        Ok(Self {
            window,
            contact,
            _refresh: refresh,
            _watch: watch,
        })
    }
}

fn current_lang(window: &KioskWindow) -> Lang {
    window
        .global::<Settings>()
        .get_language()
        .parse()
        .unwrap_or_default()
}

/// Back to the neutral state for the next visitor: language, volume, options, answers, screen.
pub(super) fn wipe_session(window: &KioskWindow, config: &Config) {
    let d = SessionDefaults::default();
    super::speech::session_wiped();
    let settings = window.global::<Settings>();
    settings.set_language(d.language.code().into());
    settings.set_volume(d.volume);
    settings.set_large_text(d.large_text);
    settings.set_high_contrast(d.high_contrast);
    settings.set_audio_guide(d.audio_guide);
    settings.set_sign_video(d.sign_video);
    settings.set_low_reach(d.low_reach);
    select_translation(d.language);
    let ticket = window.global::<TicketAdapter>();
    ticket.set_chosen_service("".into());
    ticket.set_chosen_service_name("".into());
    ticket.set_number("".into());
    ticket.set_issue_failed(false);
    ticket.set_busy(false);
    ticket.set_print_state(PrintState::None);
    ticket.set_print_job("".into());
    LAST_TICKET.with(|last| last.borrow_mut().take());
    let wizard = window.global::<WizardAdapter>();
    wizard.invoke_reset();
    wizard.set_unsure(false);
    window
        .global::<HomeAdapter>()
        .set_hall_name(config.hall_names().get(d.language).into());
    let nav = window.global::<Nav>();
    if nav.get_screen() != Screen::OutOfService {
        nav.set_screen(Screen::Home);
    }
    nav.set_idle_seconds(0);
    nav.set_keypad_active(false);
}

fn select_translation(lang: Lang) {
    // "en" is the source language of the .slint files.
    if let Err(e) = slint::select_bundled_translation(lang.code()) {
        tracing::error!(language = lang.code(), "cannot select the translation: {e}");
    }
}

fn wire_navigation(window: &KioskWindow, config: &Arc<Config>, worker: Option<Rc<QueueWorker>>) {
    let nav = window.global::<Nav>();
    let help_return = Rc::new(Cell::new(Screen::Home));

    let weak = window.as_weak();
    nav.on_go(move |screen| {
        if let Some(w) = weak.upgrade() {
            w.global::<Nav>().set_screen(screen);
        }
    });
    let (weak, ret) = (window.as_weak(), help_return.clone());
    nav.on_back(move || {
        if let Some(w) = weak.upgrade() {
            let nav = w.global::<Nav>();
            let from = nav.get_screen();
            match from {
                Screen::Help => nav.set_screen(ret.get()),
                // Back in the screening wizard undoes the last answer.
                Screen::WizardQuestion
                | Screen::WizardChecklist
                | Screen::WizardNumber
                | Screen::WizardReview => w.global::<WizardAdapter>().invoke_undo(),
                // Typed contact details are not carried back and forth between screens.
                Screen::PreappPhone | Screen::PreappId | Screen::PreappConsent => {
                    w.global::<PreappAdapter>().invoke_forget();
                    nav.set_screen(back_target(from));
                }
                _ => nav.set_screen(back_target(from)),
            }
        }
    });
    let (weak, ret) = (window.as_weak(), help_return);
    nav.on_help(move || {
        if let Some(w) = weak.upgrade() {
            let nav = w.global::<Nav>();
            let from = nav.get_screen();
            if from != Screen::Help && from != Screen::OutOfService {
                ret.set(from);
                nav.set_screen(Screen::Help);
            }
        }
    });
    nav.on_repeat(super::speech::repeat);
    let weak = window.as_weak();
    nav.on_more_time(move || {
        if let Some(w) = weak.upgrade() {
            w.global::<Nav>().set_idle_seconds(0);
        }
    });
    let (weak, cfg) = (window.as_weak(), config.clone());
    nav.on_session_timeout(move || {
        if let Some(w) = weak.upgrade() {
            tracing::info!("session wiped after inactivity");
            wipe_session(&w, &cfg);
        }
    });

    let settings = window.global::<Settings>();
    let (weak, cfg) = (window.as_weak(), config.clone());
    settings.on_choose_language(move |code| {
        let Some(w) = weak.upgrade() else { return };
        let lang: Lang = code.parse().unwrap_or_default();
        w.global::<Settings>().set_language(lang.code().into());
        select_translation(lang);
        w.global::<HomeAdapter>()
            .set_hall_name(cfg.hall_names().get(lang).into());
        // Names in the models follow the language: rebuild them with fresh figures.
        if let Some(worker) = &worker {
            worker.send(Job::Snapshot);
        }
        w.global::<Nav>().set_screen(Screen::Home);
    });
    let weak = window.as_weak();
    settings.on_set_volume(move |v| {
        if let Some(w) = weak.upgrade() {
            w.global::<Settings>().set_volume(v.clamp(0, 10));
            super::speech::set_volume(v.clamp(0, 10));
        }
    });
}

fn wire_tickets(window: &KioskWindow, config: &Arc<Config>, worker: Rc<QueueWorker>) {
    let ticket = window.global::<TicketAdapter>();
    let (weak, cfg, w2) = (window.as_weak(), config.clone(), worker.clone());
    ticket.on_choose_service(move |code| {
        let Some(w) = weak.upgrade() else { return };
        let Ok(service) = code.parse::<ServiceCode>() else {
            return;
        };
        let Some(svc) = cfg.service(service) else { return };
        let t = w.global::<TicketAdapter>();
        t.set_chosen_service(code);
        t.set_chosen_service_name(svc.name.get(current_lang(&w)).into());
        t.set_issue_failed(false);
        if svc.priority_allowed {
            w.global::<Nav>().set_screen(Screen::Priority);
        } else {
            t.set_busy(true);
            w2.send(Job::Issue {
                service,
                priority: None,
                lang: current_lang(&w),
            });
        }
    });
    let weak = window.as_weak();
    ticket.on_take_ticket(move |reason| {
        let Some(w) = weak.upgrade() else { return };
        let t = w.global::<TicketAdapter>();
        if t.get_busy() {
            return; // a second tap while the first ticket is being committed
        }
        let Ok(service) = t.get_chosen_service().parse::<ServiceCode>() else {
            return;
        };
        let priority = reason.parse::<PriorityReason>().ok();
        t.set_busy(true);
        t.set_issue_failed(false);
        worker.send(Job::Issue {
            service,
            priority,
            lang: current_lang(&w),
        });
    });
}

/// The outbox worker on its own thread with its own database connection and async runtime.
fn start_delivery(
    agency: Agency,
    db: &std::path::Path,
    clock: Arc<dyn crate::clock::Clock>,
) -> Result<OutboxLink, slint::PlatformError> {
    let wake = Arc::new(tokio::sync::Notify::new());
    deliver::spawn_worker(
        db.to_path_buf(),
        agency,
        clock,
        wake.clone(),
        std::future::pending(),
    )
    .map_err(|e| slint::PlatformError::Other(format!("cannot start the outbox: {e}")))?;
    Ok(OutboxLink {
        db: db.to_path_buf(),
        wake,
    })
}

fn start_printing(
    window: &KioskWindow,
    config: &Config,
    printer: Printer,
    db: &std::path::Path,
    clock: Arc<dyn crate::clock::Clock>,
) -> Result<Arc<PrintService>, slint::PlatformError> {
    let weak = window.as_weak();
    let db = db.to_path_buf();
    let store = std::sync::Mutex::new(None::<crate::store::Store>);
    let terminal = config.terminal.id.clone();
    let service = PrintService::spawn(printer, move |report| {
        record_print_report(&store, &db, &terminal, &report, clock.now());
        let _ = weak.upgrade_in_event_loop(move |w| show_print_report(&w, &report));
    })
    .map_err(|e| slint::PlatformError::Other(format!("cannot start the printer thread: {e}")))?;
    Ok(Arc::new(service))
}

/// Runs on the printer thread: the counters learn about the printer through the database.
fn record_print_report(
    store: &std::sync::Mutex<Option<crate::store::Store>>,
    db: &std::path::Path,
    terminal: &str,
    report: &Report,
    at: chrono::DateTime<chrono::Utc>,
) {
    let Ok(mut slot) = store.lock() else { return };
    if slot.is_none() {
        match crate::store::Store::open(db) {
            Ok(s) => *slot = Some(s),
            Err(e) => {
                tracing::error!(error = %e, "printer events cannot be recorded");
                return;
            }
        }
    }
    if let Some(s) = slot.as_mut()
        && let Err(e) = printing::record_report(s, terminal, report, at)
    {
        tracing::error!(error = %e, "a printer event could not be recorded");
    }
}

fn show_print_report(window: &KioskWindow, report: &Report) {
    let state = match report.outcome {
        Outcome::Printed { .. } => PrintState::Printed,
        Outcome::Failed(_) => PrintState::Failed,
    };
    let t = window.global::<TicketAdapter>();
    let wa = window.global::<WizardAdapter>();
    // Reports for an earlier visitor's receipt change nothing on screen.
    if t.get_print_job().as_str() == report.name {
        t.set_print_state(state);
        super::speech::say_message(
            window,
            match state {
                PrintState::Printed => "Take your ticket from the slot below.",
                _ => "The ticket could not be printed. Please write down your number; it is still valid.",
            },
        );
    } else if wa.get_summary_job().as_str() == report.name {
        wa.set_summary_print_state(state);
    }
}

fn print_ticket(window: &KioskWindow, config: &Config, printing: Option<&PrintService>, ticket: &TicketView) {
    let t = window.global::<TicketAdapter>();
    let Some(printing) = printing else {
        t.set_print_state(PrintState::None);
        return;
    };
    let lang = current_lang(window);
    let job = printing::ticket_job(config, ticket, lang);
    t.set_print_job(job.name.as_str().into());
    t.set_print_state(PrintState::Printing);
    printing.submit(job);
    LAST_TICKET.with(|last| *last.borrow_mut() = Some((ticket.clone(), lang)));
}

fn wire_reprint(window: &KioskWindow, config: &Arc<Config>, printing: Option<Arc<PrintService>>) {
    let (weak, config) = (window.as_weak(), config.clone());
    window.global::<TicketAdapter>().on_reprint(move || {
        let (Some(w), Some(printing)) = (weak.upgrade(), printing.as_deref()) else {
            return;
        };
        let Some((ticket, lang)) = LAST_TICKET.with(|last| last.borrow().clone()) else {
            return;
        };
        let t = w.global::<TicketAdapter>();
        if t.get_print_state() == PrintState::Printing {
            return;
        }
        let job = printing::ticket_job(&config, &ticket, lang);
        t.set_print_job(job.name.as_str().into());
        t.set_print_state(PrintState::Printing);
        printing.submit(job);
    });
}

fn on_reply(window: &KioskWindow, config: &Config, printing: Option<&PrintService>, reply: Reply) {
    match reply {
        Reply::Issued(Ok(ticket)) => {
            show_ticket(window, &ticket);
            print_ticket(window, config, printing, &ticket);
        }
        Reply::Issued(Err(e)) => {
            tracing::error!(error = %e, "a ticket could not be issued");
            let t = window.global::<TicketAdapter>();
            t.set_busy(false);
            t.set_issue_failed(true);
        }
        Reply::Snapshot(Ok(status)) => show_status(window, config, &status),
        Reply::Snapshot(Err(e)) => tracing::error!(error = %e, "queue figures could not be read"),
    }
}

fn show_ticket(window: &KioskWindow, ticket: &TicketView) {
    let t = window.global::<TicketAdapter>();
    t.set_number(ticket.number.as_str().into());
    t.set_service_name(ticket.service_name.as_str().into());
    t.set_people_ahead(i32::try_from(ticket.people_ahead.unwrap_or(0)).unwrap_or(i32::MAX));
    t.set_wait_known(ticket.estimated_wait_minutes.is_some());
    t.set_wait_minutes(i32::try_from(ticket.estimated_wait_minutes.unwrap_or(0)).unwrap_or(i32::MAX));
    t.set_priority(ticket.priority.is_some());
    t.set_busy(false);
    let ahead = u32::try_from(ticket.people_ahead.unwrap_or(0)).unwrap_or(u32::MAX);
    super::speech::set_detail(
        Screen::Confirmation,
        super::speech::ticket_detail(
            current_lang(window),
            &ticket.number,
            &ticket.service_name,
            ahead,
            ticket.estimated_wait_minutes,
        ),
    );
    window.global::<Nav>().set_screen(Screen::Confirmation);
    tracing::info!(number = %ticket.number, service = %ticket.service, "ticket issued at the kiosk");
}

fn show_status(window: &KioskWindow, config: &Config, status: &HallStatus) {
    let lang = current_lang(window);
    let services: Vec<ServiceItem> = status
        .services
        .iter()
        .filter_map(|s| {
            let svc = config.service(s.code)?;
            Some(ServiceItem {
                code: s.code.to_string().into(),
                name: svc.name.get(lang).into(),
                pictogram: config.pictogram(s.code).into(),
                waiting: i32::try_from(s.waiting).unwrap_or(i32::MAX),
                wait_minutes: i32::try_from(s.estimated_wait_minutes.unwrap_or(0)).unwrap_or(i32::MAX),
                wait_known: s.estimated_wait_minutes.is_some(),
                priority_allowed: svc.priority_allowed,
            })
        })
        .collect();
    window
        .global::<TicketAdapter>()
        .set_services(ModelRc::new(VecModel::from(services)));

    let mut called: Vec<&TicketView> = status
        .tickets
        .iter()
        .filter(|t| t.state == TicketState::Called && t.counter.is_some())
        .collect();
    called.sort_by_key(|t| std::cmp::Reverse(t.called_at));
    let now_serving: Vec<NowServing> = called
        .into_iter()
        .take(4)
        .map(|t| NowServing {
            number: t.number.as_str().into(),
            counter: t
                .counter
                .and_then(|c| config.counter(c))
                .map(|c| c.name.get(lang).to_owned())
                .unwrap_or_default()
                .into(),
        })
        .collect();
    window
        .global::<HomeAdapter>()
        .set_now_serving(ModelRc::new(VecModel::from(now_serving)));
}
