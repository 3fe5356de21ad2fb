//! The visitor's window at run time: per-window state (`Visitor`), the session rules (wipe,
//! Back, help), taking a ticket, and applying what the queue and printer threads report.

use super::inbox::Message;
use super::said;
use super::session::{SessionDefaults, back_target};
use super::speech::Guide;
use super::worker::{Job, QueueWorker, Reply};
use super::{
    Appearance, HomeAdapter, Keypad, KioskWindow, Nav, NowServing, PreappAdapter, PrintState, QueueProblem,
    Screen, ServiceItem, Settings, TicketAdapter, WizardAdapter,
};
use crate::config::Config;
use crate::lang::Lang;
use crate::printer::{Outcome, PrintService, Report};
use crate::printing;
use crate::queue::{PriorityReason, ServiceCode};
use kiosk_contract::IssueRequest;
use kiosk_contract::{ErrorKind, HallSummary, TicketView};
use slint::{ComponentHandle, ModelRc, VecModel};
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::sync::Arc;

/// What one visitor window keeps on the Rust side. Lives on the UI thread; every handler of the
/// window holds it, nothing else does.
pub(super) struct Visitor {
    pub(super) config: Arc<Config>,
    pub(super) guide: Rc<Guide>,
    pub(super) printing: Option<Arc<PrintService>>,
    /// The ticket on the confirmation screen, kept for "Print again".
    last_ticket: RefCell<Option<(TicketView, Lang)>>,
}

impl Visitor {
    pub(super) fn new(config: Arc<Config>, guide: Rc<Guide>, printing: Option<Arc<PrintService>>) -> Self {
        Self {
            config,
            guide,
            printing,
            last_ticket: RefCell::new(None),
        }
    }

    /// Back to the neutral state for the next visitor.
    pub(super) fn wipe(&self, window: &KioskWindow) {
        self.last_ticket.borrow_mut().take();
        wipe_session(window, &self.config, &self.guide);
    }

    /// A message from the queue or printer thread, on the UI thread.
    pub(super) fn on_message(&self, window: &KioskWindow, message: Message) {
        match message {
            Message::Queue(reply) => self.on_reply(window, reply),
            Message::Printer(report) => self.show_print_report(window, &report),
        }
    }
}

/// Back to the neutral state for the next visitor: language, volume, options, answers, screen.
pub(super) fn wipe_session(window: &KioskWindow, config: &Config, guide: &Guide) {
    let d = SessionDefaults::default();
    guide.session_wiped();
    let looks = window.global::<Appearance>();
    looks.set_language(d.language.code().into());
    looks.set_large_text(d.large_text);
    looks.set_high_contrast(d.high_contrast);
    let settings = window.global::<Settings>();
    settings.set_volume(guide.default_volume());
    settings.set_audio_guide(d.audio_guide);
    settings.set_sign_video(d.sign_video);
    settings.set_low_reach(d.low_reach);
    select_translation(d.language);
    let ticket = window.global::<TicketAdapter>();
    ticket.set_chosen_service("".into());
    ticket.set_chosen_service_name("".into());
    ticket.set_screening_outcome("".into());
    ticket.set_screening_matter("".into());
    ticket.set_number("".into());
    ticket.set_issue_problem(QueueProblem::None);
    ticket.set_busy(false);
    ticket.set_print_state(PrintState::None);
    ticket.set_print_job("".into());
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
    let keypad = window.global::<Keypad>();
    keypad.set_idle_seconds(0);
    keypad.set_keypad_active(false);
}

pub(super) fn select_translation(lang: Lang) {
    // "en" is the source language of the .slint files.
    if let Err(e) = slint::select_bundled_translation(lang.code()) {
        tracing::error!(language = lang.code(), "cannot select the translation: {e}");
    }
}

pub(super) fn wire_navigation(window: &KioskWindow, visitor: &Rc<Visitor>, worker: Option<Rc<QueueWorker>>) {
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
                Screen::TechnicianPin | Screen::Technician => {
                    w.global::<super::TechnicianAdapter>().invoke_leave()
                }
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
            if from != Screen::Help && from != Screen::OutOfService && !super::is_technician_screen(from) {
                ret.set(from);
                nav.set_screen(Screen::Help);
            }
        }
    });
    let v = visitor.clone();
    nav.on_repeat(move || v.guide.repeat());
    let weak = window.as_weak();
    nav.on_more_time(move || {
        if let Some(w) = weak.upgrade() {
            w.global::<Keypad>().set_idle_seconds(0);
        }
    });
    let (weak, v) = (window.as_weak(), visitor.clone());
    nav.on_session_timeout(move || {
        if let Some(w) = weak.upgrade() {
            tracing::info!("session wiped after inactivity");
            v.wipe(&w);
        }
    });

    let settings = window.global::<Settings>();
    let (weak, cfg) = (window.as_weak(), visitor.config.clone());
    settings.on_choose_language(move |code| {
        let Some(w) = weak.upgrade() else { return };
        let lang: Lang = code.parse().unwrap_or_default();
        w.global::<Appearance>().set_language(lang.code().into());
        select_translation(lang);
        w.global::<HomeAdapter>()
            .set_hall_name(cfg.hall_names().get(lang).into());
        // Names in the models follow the language: rebuild them with fresh figures.
        if let Some(worker) = &worker {
            worker.send(Job::Snapshot);
        }
        w.global::<Nav>().set_screen(Screen::Home);
    });
    let (weak, visitor) = (window.as_weak(), visitor.clone());
    settings.on_set_volume(move |v| {
        if let Some(w) = weak.upgrade() {
            w.global::<Settings>().set_volume(v.clamp(0, 10));
            visitor.guide.set_volume(v.clamp(0, 10));
        }
    });
}

pub(super) fn wire_tickets(window: &KioskWindow, config: &Arc<Config>, worker: Rc<QueueWorker>) {
    let ticket = window.global::<TicketAdapter>();
    let (weak, cfg, w2) = (window.as_weak(), config.clone(), worker.clone());
    ticket.on_choose_service(move |code| {
        let Some(w) = weak.upgrade() else { return };
        let Ok(service) = code.parse::<ServiceCode>() else {
            return;
        };
        let Some(svc) = cfg.service(service) else { return };
        let t = w.global::<TicketAdapter>();
        // Only a ticket taken from the screening's result carries what it said.
        if w.global::<Nav>().get_screen() != Screen::WizardResult {
            t.set_screening_outcome("".into());
            t.set_screening_matter("".into());
        }
        t.set_chosen_service(code);
        t.set_chosen_service_name(svc.name.get(super::window_lang(&w)).into());
        t.set_issue_problem(QueueProblem::None);
        if svc.priority_allowed {
            w.global::<Nav>().set_screen(Screen::Priority);
        } else {
            t.set_busy(true);
            w2.send(Job::Issue(IssueRequest {
                service,
                priority: None,
                lang: super::window_lang(&w),
                screening: screening_note(&t),
            }));
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
        t.set_issue_problem(QueueProblem::None);
        worker.send(Job::Issue(IssueRequest {
            service,
            priority,
            lang: super::window_lang(&w),
            screening: screening_note(&t),
        }));
    });
}

/// What the screening said, when the visitor takes the ticket from its result.
fn screening_note(t: &TicketAdapter) -> Option<kiosk_contract::ScreeningNote> {
    let (outcome, matter) = (t.get_screening_outcome(), t.get_screening_matter());
    (!outcome.is_empty() && !matter.is_empty()).then(|| kiosk_contract::ScreeningNote {
        outcome: outcome.into(),
        matter: matter.into(),
    })
}

pub(super) fn wire_reprint(window: &KioskWindow, visitor: &Rc<Visitor>) {
    let (weak, v) = (window.as_weak(), visitor.clone());
    window.global::<TicketAdapter>().on_reprint(move || {
        let (Some(w), Some(printing)) = (weak.upgrade(), v.printing.as_deref()) else {
            return;
        };
        let Some((ticket, lang)) = v.last_ticket.borrow().clone() else {
            return;
        };
        let t = w.global::<TicketAdapter>();
        if t.get_print_state() == PrintState::Printing {
            return;
        }
        let job = printing::ticket_job(&v.config, &ticket, lang);
        t.set_print_job(job.name.as_str().into());
        t.set_print_state(PrintState::Printing);
        printing.submit(job);
    });
}

impl Visitor {
    fn on_reply(&self, window: &KioskWindow, reply: Reply) {
        match reply {
            Reply::Issued(Ok(ticket)) => {
                self.show_ticket(window, &ticket);
                self.print_ticket(window, &ticket);
            }
            Reply::Issued(Err(e)) => {
                tracing::error!(kind = e.kind.as_str(), error = %e, "a ticket could not be issued");
                let t = window.global::<TicketAdapter>();
                t.set_busy(false);
                let problem = queue_problem(e.kind);
                t.set_issue_problem(problem);
                self.guide.say_message(
                    window,
                    match problem {
                        QueueProblem::Unavailable => said::QUEUE_NOT_ANSWERING,
                        _ => said::NO_TICKET,
                    },
                );
            }
            Reply::Snapshot(Ok(status)) => {
                window.global::<HomeAdapter>().set_tickets_unavailable(false);
                show_status(window, &self.config, &status);
            }
            Reply::Snapshot(Err(e)) => {
                let home = window.global::<HomeAdapter>();
                let unreachable = queue_problem(e.kind) == QueueProblem::Unavailable;
                if unreachable && !home.get_tickets_unavailable() {
                    tracing::warn!(error = %e, "the queue cannot be reached; tickets are off until it answers");
                } else if !unreachable {
                    tracing::error!(error = %e, "queue figures could not be read");
                }
                home.set_tickets_unavailable(unreachable);
            }
        }
    }

    fn show_ticket(&self, window: &KioskWindow, ticket: &TicketView) {
        let t = window.global::<TicketAdapter>();
        t.set_number(ticket.number.as_str().into());
        t.set_service_name(ticket.service_name.as_str().into());
        t.set_people_ahead(i32::try_from(ticket.people_ahead.unwrap_or(0)).unwrap_or(i32::MAX));
        t.set_wait_known(ticket.estimated_wait_minutes.is_some());
        t.set_wait_minutes(i32::try_from(ticket.estimated_wait_minutes.unwrap_or(0)).unwrap_or(i32::MAX));
        t.set_priority(ticket.priority.is_some());
        t.set_busy(false);
        let ahead = u32::try_from(ticket.people_ahead.unwrap_or(0)).unwrap_or(u32::MAX);
        self.guide.set_detail(
            Screen::Confirmation,
            super::speech::ticket_detail(
                super::window_lang(window),
                &ticket.number,
                &ticket.service_name,
                ahead,
                ticket.estimated_wait_minutes,
            ),
        );
        window.global::<Nav>().set_screen(Screen::Confirmation);
        tracing::info!(number = %ticket.number, service = %ticket.service, "ticket issued at the kiosk");
    }

    fn print_ticket(&self, window: &KioskWindow, ticket: &TicketView) {
        let t = window.global::<TicketAdapter>();
        let Some(printing) = self.printing.as_deref() else {
            t.set_print_state(PrintState::None);
            return;
        };
        let lang = super::window_lang(window);
        let job = printing::ticket_job(&self.config, ticket, lang);
        t.set_print_job(job.name.as_str().into());
        t.set_print_state(PrintState::Printing);
        printing.submit(job);
        *self.last_ticket.borrow_mut() = Some((ticket.clone(), lang));
    }

    fn show_print_report(&self, window: &KioskWindow, report: &Report) {
        let state = match report.outcome {
            Outcome::Printed { .. } => PrintState::Printed,
            Outcome::Failed(_) => PrintState::Failed,
        };
        let t = window.global::<TicketAdapter>();
        let wa = window.global::<WizardAdapter>();
        // Reports for an earlier visitor's receipt change nothing on screen.
        if t.get_print_job().as_str() == report.name {
            t.set_print_state(state);
            self.guide.say_message(
                window,
                match state {
                    PrintState::Printed => said::TAKE_YOUR_TICKET,
                    _ => said::NOT_PRINTED,
                },
            );
        } else if wa.get_summary_job().as_str() == report.name {
            wa.set_summary_print_state(state);
        } else {
            super::technician::on_print_report(window, report);
        }
    }
}

/// What the visitor is told: the queue cannot be reached, or it would not give this ticket.
fn queue_problem(kind: ErrorKind) -> QueueProblem {
    match kind {
        // A terminal the hall host no longer accepts cannot issue either: a technician's matter.
        ErrorKind::Unavailable | ErrorKind::Unauthenticated | ErrorKind::Forbidden => {
            QueueProblem::Unavailable
        }
        ErrorKind::BadInput | ErrorKind::Refused | ErrorKind::Conflict => QueueProblem::Refused,
    }
}

fn show_status(window: &KioskWindow, config: &Config, status: &HallSummary) {
    let lang = super::window_lang(window);
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

    // Each counter's current visitor, the latest call first.
    let mut called: Vec<&TicketView> = status
        .counters
        .iter()
        .filter_map(|c| c.current.as_ref())
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
