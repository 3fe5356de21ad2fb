//! Technician mode: opened by Ctrl+Alt+T or five taps in a top corner within three seconds,
//! then the technician PIN. The work (PIN check, checks, imports) runs on short-lived threads
//! with `technician::Toolbox`; results come back through the event loop. Each role's window is a
//! `Host` (implemented in `technician_hosts`): the visitor's kiosk shows the mode as two of its screens and
//! offers every page; the counter console, the rating screen and the calling display show it
//! over their own screen with the checks. Nothing here shows a visitor's data: the outbox is
//! only counted.

use super::preapp::OutboxLink;
use super::speech::Guide;
use super::{
    Appearance, CheckStatus, CounterWindow, DisplayWindow, EvaluatorWindow, ImportItem, ImportKind,
    KioskWindow, PinProblem, PrintState, TaskOutcome, TechLine, TechnicianAdapter, TechnicianCheck,
};
use crate::i18n::TechText;
use crate::lang::Lang;
use crate::printer::status::{Problem, Status as PrinterStatus};
use crate::printer::{Outcome, PrintService, Report};
use crate::tech;
use crate::technician::health::{self, Devices};
use crate::technician::lock::Verdict;
use crate::technician::usb::{self, Found};
use crate::technician::{ImportFailure, Toolbox};
use slint::{ComponentHandle, ModelRc, VecModel};
use std::cell::RefCell;
use std::collections::VecDeque;
use std::rc::Rc;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Taps in the corner, and the time they must fall within, that open the PIN screen.
const CORNER_TAPS: usize = 5;
const CORNER_WINDOW: Duration = Duration::from_secs(3);
/// A technician PIN is 4 to 12 digits.
const PIN_MAX: usize = 12;
/// After "send now", the outbox is counted again this much later.
const RECOUNT_AFTER: Duration = Duration::from_secs(3);

/// A window with technician mode in it.
pub trait TechnicianWindow: ComponentHandle + 'static {
    fn technician(&self) -> TechnicianAdapter<'_>;
    /// The language the panel is shown in.
    fn language(&self) -> Lang;
    /// Switches the panel's language (the process's translation too: one window per process).
    fn set_language(&self, lang: Lang);
}

macro_rules! technician_window {
    ($($window:ty),*) => {$(
        impl TechnicianWindow for $window {
            fn technician(&self) -> TechnicianAdapter<'_> {
                self.global::<TechnicianAdapter>()
            }

            fn language(&self) -> Lang {
                self.global::<Appearance>().get_language().parse().unwrap_or_default()
            }

            fn set_language(&self, lang: Lang) {
                self.global::<Appearance>().set_language(lang.code().into());
                if let Err(e) = slint::select_bundled_translation(lang.code()) {
                    tracing::error!(language = lang.code(), "cannot select the translation: {e}");
                }
            }
        }
    )*};
}

technician_window!(KioskWindow, CounterWindow, EvaluatorWindow, DisplayWindow);

/// What the visitor's kiosk gives the full panel.
pub(crate) struct Parts {
    pub(crate) guide: Rc<Guide>,
    pub(crate) printing: Option<Arc<PrintService>>,
    pub(crate) outbox: Option<OutboxLink>,
}

/// How a role's window opens, shows and closes technician mode.
pub(crate) trait Host: 'static {
    type Window: TechnicianWindow;
    /// Whether the PIN screen or the panel is showing.
    fn is_open(&self, window: &Self::Window) -> bool;
    /// Puts away what the window's user left, then shows the PIN screen.
    fn show_pin(&self, window: &Self::Window);
    fn show_panel(&self, window: &Self::Window);
    /// Back to the role's own screen, as its user expects to find it.
    fn close(&self, window: &Self::Window);
    /// The printer, guide and outbox of the full panel; without them, the checks only.
    fn parts(&self) -> Option<&Parts> {
        None
    }
    /// After an install or a rollback from the panel: used from now on.
    fn use_installed(&self, _window: &Self::Window, _kind: usb::Kind, _tools: &Toolbox) {}
}

struct Technician<H: Host> {
    tools: Arc<Toolbox>,
    host: H,
    window: slint::Weak<H::Window>,
    pin: RefCell<String>,
    taps: RefCell<VecDeque<Instant>>,
    found: RefCell<Vec<Found>>,
    recount: slint::Timer,
}

/// Runs `work` on a thread of its own and `then` with its result on the UI thread (where the
/// window's state lives, so `then` need not be `Send`).
fn off_thread<W: slint::ComponentHandle + 'static, T: Send + 'static>(
    weak: &slint::Weak<W>,
    what: &'static str,
    work: impl FnOnce() -> T + Send + 'static,
    then: impl FnOnce(&W, T) + 'static,
) {
    let (tx, rx) = tokio::sync::oneshot::channel();
    let spawned = std::thread::Builder::new()
        .name(format!("technician {what}"))
        .spawn(move || {
            if let Some(result) = crate::supervise::guarded("technician", what, work) {
                let _ = tx.send(result);
            }
        });
    if let Err(e) = spawned {
        tracing::error!(error = %e, what, "cannot start a technician task");
        return;
    }
    let weak = weak.clone();
    let waiting = slint::spawn_local(async move {
        if let (Ok(result), Some(w)) = (rx.await, weak.upgrade()) {
            then(&w, result);
        }
    });
    if let Err(e) = waiting {
        tracing::error!(error = %e, what, "cannot wait for a technician task");
    }
}

fn check_status(status: health::Status) -> CheckStatus {
    match status {
        health::Status::Ok => CheckStatus::Ok,
        health::Status::Warn => CheckStatus::Warn,
        health::Status::Fail => CheckStatus::Fail,
        health::Status::NotConfigured => CheckStatus::NotConfigured,
    }
}

/// A finding in both of the panel's languages (the panel shows the one chosen).
pub(super) fn line(text: &TechText) -> TechLine {
    TechLine {
        zh: text.in_lang(Lang::ZhCn).into(),
        en: text.in_lang(Lang::En).into(),
    }
}

pub(super) fn lines(texts: &[TechText]) -> TechLine {
    TechLine {
        zh: crate::i18n::join_tech(texts, Lang::ZhCn).into(),
        en: crate::i18n::join_tech(texts, Lang::En).into(),
    }
}

/// The printer line from the print thread's answer.
fn printer_line(name: &str, status: &Result<PrinterStatus, Problem>) -> (CheckStatus, TechLine) {
    match status {
        Ok(s) => match s.problem() {
            Some(p) => (CheckStatus::Fail, lines(&[TechText::as_is(name), p.text()])),
            None if s.paper_near_end => (
                CheckStatus::Warn,
                line(&tech!("{0}: paper is running low; have a new roll ready", name)),
            ),
            None => (CheckStatus::Ok, line(&tech!("{0}: ready", name))),
        },
        Err(p) => (CheckStatus::Fail, lines(&[TechText::as_is(name), p.text()])),
    }
}

impl<H: Host> Technician<H> {
    fn with_ui(&self, f: impl FnOnce(&H::Window, TechnicianAdapter<'_>)) {
        if let Some(w) = self.window.upgrade() {
            let t = w.technician();
            f(&w, t);
        }
    }

    fn corner_tap(self: &Rc<Self>) {
        let now = Instant::now();
        let mut taps = self.taps.borrow_mut();
        taps.retain(|t| now.duration_since(*t) <= CORNER_WINDOW);
        taps.push_back(now);
        if taps.len() >= CORNER_TAPS {
            taps.clear();
            drop(taps);
            self.open();
        }
    }

    /// The PIN screen, after putting away whatever the window's user left.
    fn open(self: &Rc<Self>) {
        let Some(w) = self.window.upgrade() else { return };
        if self.host.is_open(&w) {
            return;
        }
        self.clear_pin();
        let t = w.technician();
        t.set_pin_problem(PinProblem::None);
        t.set_checking_pin(false);
        tracing::info!("technician mode asked for");
        self.host.show_pin(&w);
        // Whether the mode is locked (or has no PIN) is read from disk, off the UI thread.
        let tools = self.tools.clone();
        let now = tools.clock.now();
        off_thread(
            &self.window,
            "lock",
            move || {
                if !tools.pin.has_pin() {
                    (PinProblem::NoPin, 0)
                } else if let Some(until) = tools.pin.locked_until(now) {
                    (PinProblem::Locked, minutes_until(until, now))
                } else {
                    (PinProblem::None, 0)
                }
            },
            |w, (problem, minutes)| {
                let t = w.technician();
                if t.get_pin_problem() == PinProblem::None && !t.get_checking_pin() {
                    t.set_pin_problem(problem);
                    t.set_locked_minutes(minutes);
                }
            },
        );
    }

    fn clear_pin(&self) {
        let mut pin = self.pin.borrow_mut();
        // Overwritten before it is let go, like a visitor's phone number.
        let mut bytes = std::mem::take(&mut *pin).into_bytes();
        bytes.fill(0);
        drop(pin);
        self.show_pin_length();
    }

    fn show_pin_length(&self) {
        let n = self.pin.borrow().len();
        self.with_ui(|_, t| {
            t.set_pin_length(i32::try_from(n).unwrap_or(0));
            t.set_pin_dots("●".repeat(n).into());
        });
    }

    fn pin_key(&self, key: &str) {
        {
            let mut pin = self.pin.borrow_mut();
            match key {
                "del" => {
                    pin.pop();
                }
                k if k.len() == 1 && k.bytes().all(|b| b.is_ascii_digit()) && pin.len() < PIN_MAX => {
                    pin.push_str(k)
                }
                _ => return,
            }
        }
        self.show_pin_length();
        self.with_ui(|_, t| {
            if t.get_pin_problem() == PinProblem::Wrong {
                t.set_pin_problem(PinProblem::None);
            }
        });
    }

    fn pin_done(self: &Rc<Self>) {
        let pin = std::mem::take(&mut *self.pin.borrow_mut());
        self.show_pin_length();
        if pin.is_empty() {
            return;
        }
        self.with_ui(|_, t| t.set_checking_pin(true));
        let tools = self.tools.clone();
        let me = Rc::downgrade(self);
        let now = tools.clock.now();
        off_thread(
            &self.window,
            "PIN",
            move || {
                let verdict = tools.pin.try_pin(&pin, now);
                let mut bytes = pin.into_bytes();
                bytes.fill(0);
                verdict
            },
            move |w, verdict| {
                let t = w.technician();
                t.set_checking_pin(false);
                match verdict {
                    Verdict::Open => {
                        t.set_pin_problem(PinProblem::None);
                        if let Some(me) = me.upgrade() {
                            me.host.show_panel(w);
                            me.refresh();
                        }
                    }
                    Verdict::Wrong { left } => {
                        t.set_pin_problem(PinProblem::Wrong);
                        t.set_attempts_left(i32::try_from(left).unwrap_or(0));
                    }
                    Verdict::Locked { until } => {
                        t.set_pin_problem(PinProblem::Locked);
                        t.set_locked_minutes(minutes_until(until, now));
                    }
                    Verdict::NoPin => t.set_pin_problem(PinProblem::NoPin),
                }
            },
        );
    }

    fn leave(&self) {
        let Some(w) = self.window.upgrade() else { return };
        if !self.host.is_open(&w) {
            return;
        }
        self.clear_pin();
        self.found.borrow_mut().clear();
        self.recount.stop();
        let t = w.technician();
        t.set_found(ModelRc::default());
        t.set_searched(false);
        t.set_import_outcome(TaskOutcome::None);
        t.set_outbox_outcome(TaskOutcome::None);
        t.set_volume_outcome(TaskOutcome::None);
        t.set_import_detail(TechLine::default());
        t.set_page(0);
        t.set_test_print_state(PrintState::None);
        t.set_test_print_job("".into());
        self.host.close(&w);
        tracing::info!("technician mode closed");
    }

    /// Everything on the panel, read again.
    fn refresh(self: &Rc<Self>) {
        let config = self.tools.config.clone();
        let parts = self.host.parts();
        self.with_ui(|_, t| {
            t.set_terminal(config.terminal.id.as_str().into());
            if let Some(parts) = parts {
                t.set_default_volume(parts.guide.default_volume());
                t.set_has_printer(parts.printing.is_some());
                t.set_has_outbox(parts.outbox.is_some());
            }
        });
        self.run_checks();
        if parts.is_none() {
            return;
        }
        self.ask_printer();
        self.show_sound();
        self.count_outbox();
        self.show_policy();
    }

    fn ask_printer(&self) {
        let Some(printing) = self.host.parts().and_then(|p| p.printing.as_ref()) else {
            self.with_ui(|_, t| {
                t.set_printer_status(CheckStatus::NotConfigured);
                t.set_printer_detail(line(&tech!("no printer is set up for this terminal")));
            });
            return;
        };
        let weak = self.window.clone();
        printing.ask_status(move |name, status| {
            let (status, detail) = printer_line(&name, &status);
            let _ = weak.upgrade_in_event_loop(move |w| {
                let t = w.technician();
                t.set_printer_status(status);
                t.set_printer_detail(detail);
            });
        });
    }

    fn test_print(&self) {
        let Some(printing) = self.host.parts().and_then(|p| p.printing.as_ref()) else {
            return;
        };
        let job = crate::printing::test_page_job(&self.tools.config, self.tools.clock.now());
        self.with_ui(|_, t| {
            t.set_test_print_job(job.name.as_str().into());
            t.set_test_print_state(PrintState::Printing);
        });
        tracing::info!("test page asked for in technician mode");
        printing.submit(job);
    }

    fn show_sound(&self) {
        use crate::speech::service::SpeechStatus;
        let status = self.host.parts().and_then(|p| p.guide.status());
        let (status, detail) = match status {
            None | Some(SpeechStatus::Off) => (
                CheckStatus::NotConfigured,
                tech!("speech is switched off (speech.enabled = false)"),
            ),
            Some(SpeechStatus::Starting) => (CheckStatus::Warn, tech!("the voice packs are still loading")),
            Some(SpeechStatus::Ready { clips }) => (
                CheckStatus::Ok,
                tech!("sound output open; {0} clips ready in the voice packs", clips),
            ),
            Some(SpeechStatus::Degraded(why)) => (CheckStatus::Fail, TechText::as_is(why)),
        };
        self.with_ui(|_, t| {
            t.set_sound_status(status);
            t.set_sound_detail(line(&detail));
        });
    }

    fn test_sound(&self) {
        let Some(w) = self.window.upgrade() else { return };
        let Some(guide) = self.host.parts().map(|p| &p.guide) else {
            return;
        };
        let level = guide.default_volume();
        let words = crate::speech::compose::message(w.language(), "Take a queue ticket");
        guide.test_sound(level, words);
        self.show_sound();
    }

    fn set_default_volume(&self, level: i32) {
        let level = level.clamp(0, 10);
        let Some(guide) = self.host.parts().map(|p| &p.guide) else {
            return;
        };
        guide.set_default_volume(level);
        self.with_ui(|_, t| {
            t.set_default_volume(level);
            t.set_volume_outcome(TaskOutcome::Working);
        });
        self.test_sound();
        let tools = self.tools.clone();
        let saved = u8::try_from(level).unwrap_or(5);
        off_thread(
            &self.window,
            "volume",
            move || (tools.save_volume)(saved),
            move |w, result| {
                let t = w.technician();
                match result {
                    Ok(()) => {
                        tracing::info!(level = saved, "default volume set in technician mode");
                        t.set_volume_outcome(TaskOutcome::Done);
                    }
                    Err(e) => {
                        tracing::error!(error = %e, "the default volume could not be saved");
                        t.set_volume_outcome(TaskOutcome::Failed);
                    }
                }
            },
        );
    }

    fn count_outbox(&self) {
        if self.host.parts().is_none_or(|p| p.outbox.is_none()) {
            return;
        }
        let tools = self.tools.clone();
        off_thread(
            &self.window,
            "outbox",
            move || tools.outbox_counts(),
            |w, counts| {
                let t = w.technician();
                match counts {
                    Ok(c) => {
                        let n = |v: u64| i32::try_from(v).unwrap_or(i32::MAX);
                        t.set_outbox_pending(n(c.pending));
                        t.set_outbox_delivered(n(c.delivered));
                        t.set_outbox_dead(n(c.dead));
                    }
                    Err(e) => {
                        tracing::error!(error = %e, "technician mode cannot count the outbox");
                        t.set_outbox_outcome(TaskOutcome::Failed);
                    }
                }
            },
        );
    }

    fn send_now(self: &Rc<Self>) {
        let Some(outbox) = self.host.parts().and_then(|p| p.outbox.as_ref()) else {
            return;
        };
        outbox.deliver_now();
        tracing::info!("outbox delivery asked for in technician mode");
        self.with_ui(|_, t| t.set_outbox_outcome(TaskOutcome::Done));
        self.recount_later();
    }

    fn recount_later(self: &Rc<Self>) {
        let me = Rc::downgrade(self);
        self.recount
            .start(slint::TimerMode::SingleShot, RECOUNT_AFTER, move || {
                if let Some(me) = me.upgrade() {
                    me.count_outbox();
                }
            });
    }

    fn retry_dead(self: &Rc<Self>) {
        self.with_ui(|_, t| t.set_outbox_outcome(TaskOutcome::Working));
        let tools = self.tools.clone();
        let me = Rc::downgrade(self);
        off_thread(
            &self.window,
            "dead letters",
            move || tools.retry_dead_letters(),
            move |w, result| {
                let t = w.technician();
                t.set_outbox_outcome(if result.is_ok() {
                    TaskOutcome::Done
                } else {
                    TaskOutcome::Failed
                });
                if let Some(me) = me.upgrade() {
                    me.count_outbox();
                    if result.is_ok() {
                        me.send_now();
                    }
                }
            },
        );
    }

    fn show_policy(&self) {
        let tools = self.tools.clone();
        off_thread(
            &self.window,
            "policy",
            move || {
                let media = crate::media::pack::imported_dir(&tools.data_dir);
                let voices = crate::speech::pack::imported_dir(&tools.data_dir);
                (
                    tools.policy_in_force(),
                    crate::media::pack::can_roll_back(&media),
                    crate::pack_install::can_roll_back(&voices),
                )
            },
            |w, (policy, sign_pack_back, voices_back)| {
                let t = w.technician();
                t.set_sign_pack_can_roll_back(sign_pack_back);
                t.set_voice_packs_can_roll_back(voices_back);
                match policy {
                    Ok(p) => {
                        t.set_policy_source(line(&p.source));
                        let standards: Vec<TechLine> = p.standards.iter().map(line).collect();
                        t.set_policy_standards(ModelRc::new(VecModel::from(standards)));
                        t.set_policy_can_roll_back(p.can_roll_back);
                    }
                    Err(e) => {
                        t.set_policy_source(line(&tech!("the installed policy cannot be used: {0}", e)));
                        t.set_policy_standards(ModelRc::default());
                        t.set_policy_can_roll_back(true);
                    }
                }
            },
        );
    }

    fn find_on_usb(self: &Rc<Self>) {
        let roots = self.tools.import_roots.clone();
        let me = Rc::downgrade(self);
        off_thread(
            &self.window,
            "USB",
            move || usb::find(&roots),
            move |w, found| {
                let items: Vec<ImportItem> = found
                    .iter()
                    .map(|f| ImportItem {
                        kind: match f.kind {
                            usb::Kind::Policy => ImportKind::Policy,
                            usb::Kind::SignPack => ImportKind::SignPack,
                            usb::Kind::VoicePacks => ImportKind::VoicePacks,
                        },
                        path: f.path.display().to_string().into(),
                    })
                    .collect();
                tracing::info!(found = items.len(), "USB stick searched in technician mode");
                let t = w.technician();
                t.set_found(ModelRc::new(VecModel::from(items)));
                t.set_searched(true);
                if let Some(me) = me.upgrade() {
                    *me.found.borrow_mut() = found;
                }
            },
        );
    }

    fn install(self: &Rc<Self>, index: i32) {
        let Some(found) = usize::try_from(index)
            .ok()
            .and_then(|i| self.found.borrow().get(i).cloned())
        else {
            return;
        };
        self.with_ui(|_, t| {
            t.set_import_outcome(TaskOutcome::Working);
            t.set_import_detail(TechLine::default());
        });
        let tools = self.tools.clone();
        let me = Rc::downgrade(self);
        let kind = found.kind;
        off_thread(
            &self.window,
            "import",
            move || tools.import(&found),
            move |w, result| {
                let t = w.technician();
                let (outcome, detail) = match result {
                    Ok(said) => (TaskOutcome::Done, said),
                    Err(ImportFailure::Refused(why)) => (TaskOutcome::Refused, why),
                    Err(ImportFailure::Failed(why)) => (TaskOutcome::Failed, why),
                };
                if outcome != TaskOutcome::Done {
                    tracing::warn!(detail = %detail, "an import from technician mode installed nothing");
                }
                t.set_import_outcome(outcome);
                t.set_import_detail(line(&detail));
                if let Some(me) = me.upgrade()
                    && outcome == TaskOutcome::Done
                {
                    me.installed(kind);
                }
            },
        );
    }

    /// After an install or a rollback: the window uses it from now on.
    fn installed(self: &Rc<Self>, kind: usb::Kind) {
        if let Some(w) = self.window.upgrade() {
            self.host.use_installed(&w, kind, &self.tools);
        }
        self.show_policy();
        self.run_checks();
    }

    /// `kiosk doctor`'s checks, without the devices this process holds.
    fn run_checks(&self) {
        self.with_ui(|_, t| t.set_checks_running(true));
        let tools = self.tools.clone();
        off_thread(
            &self.window,
            "checks",
            move || (tools.checks)(Devices::InUse),
            |w, checks| {
                let rows: Vec<TechnicianCheck> = checks
                    .into_iter()
                    .map(|c| TechnicianCheck {
                        name: c.name.into(),
                        status: check_status(c.status),
                        detail: lines(&c.details),
                    })
                    .collect();
                let t = w.technician();
                t.set_checks(ModelRc::new(VecModel::from(rows)));
                t.set_checks_running(false);
            },
        );
    }

    fn rollback(self: &Rc<Self>, kind: usb::Kind) {
        self.with_ui(|_, t| {
            t.set_import_outcome(TaskOutcome::Working);
            t.set_import_detail(TechLine::default());
        });
        let tools = self.tools.clone();
        let me = Rc::downgrade(self);
        off_thread(
            &self.window,
            "rollback",
            move || tools.rollback_pack(kind),
            move |w, result| {
                let t = w.technician();
                match result {
                    Ok(()) => {
                        t.set_import_outcome(TaskOutcome::Done);
                        if let Some(me) = me.upgrade() {
                            me.installed(kind);
                        }
                    }
                    Err(e) => {
                        t.set_import_outcome(TaskOutcome::Failed);
                        t.set_import_detail(line(&tech!("nothing was changed: {0}", e)));
                    }
                }
            },
        );
    }

    fn switch_language(&self) {
        let Some(w) = self.window.upgrade() else { return };
        let next = if w.language() == Lang::En {
            Lang::ZhCn
        } else {
            Lang::En
        };
        w.set_language(next);
    }
}

/// The printer thread's report of a test page (false when the report is another job's).
pub(super) fn on_print_report(window: &KioskWindow, report: &Report) -> bool {
    let t = window.technician();
    if t.get_test_print_job().as_str() != report.name {
        return false;
    }
    let (state, status, detail) = match &report.outcome {
        Outcome::Printed { paper_low: false } => {
            (PrintState::Printed, CheckStatus::Ok, tech!("test page printed"))
        }
        Outcome::Printed { paper_low: true } => (
            PrintState::Printed,
            CheckStatus::Warn,
            tech!("test page printed; paper is running low: have a new roll ready"),
        ),
        Outcome::Failed(p) => (PrintState::Failed, CheckStatus::Fail, p.text()),
    };
    t.set_test_print_state(state);
    t.set_printer_status(status);
    t.set_printer_detail(line(&detail));
    true
}

fn minutes_until(until: chrono::DateTime<chrono::Utc>, now: chrono::DateTime<chrono::Utc>) -> i32 {
    let seconds = (until - now).num_seconds().max(1);
    i32::try_from(seconds.unsigned_abs().div_ceil(60)).unwrap_or(i32::MAX)
}

/// Connects technician mode to the window.
pub(super) fn wire<H: Host>(window: &H::Window, tools: Arc<Toolbox>, host: H) {
    let t = window.technician();
    t.set_leave_after_seconds(i32::try_from(tools.leave_after.as_secs()).unwrap_or(i32::MAX));
    t.set_full_panel(host.parts().is_some());
    let tech = Rc::new(Technician {
        tools,
        host,
        window: window.as_weak(),
        pin: RefCell::new(String::new()),
        taps: RefCell::new(VecDeque::new()),
        found: RefCell::new(Vec::new()),
        recount: slint::Timer::default(),
    });
    // The handlers hold the state; the state holds only a weak reference to the window.
    let h = tech.clone();
    t.on_open(move || h.open());
    let h = tech.clone();
    t.on_corner_tap(move || h.corner_tap());
    let h = tech.clone();
    t.on_pin_key(move |k| h.pin_key(&k));
    let h = tech.clone();
    t.on_pin_done(move || h.pin_done());
    let h = tech.clone();
    t.on_leave(move || h.leave());
    let h = tech.clone();
    t.on_refresh(move || h.refresh());
    let h = tech.clone();
    t.on_test_print(move || h.test_print());
    let h = tech.clone();
    t.on_test_sound(move || h.test_sound());
    let h = tech.clone();
    t.on_set_default_volume(move |v| h.set_default_volume(v));
    let h = tech.clone();
    t.on_send_now(move || h.send_now());
    let h = tech.clone();
    t.on_retry_dead(move || h.retry_dead());
    let h = tech.clone();
    t.on_find_on_usb(move || h.find_on_usb());
    let h = tech.clone();
    t.on_install(move |i| h.install(i));
    let h = tech.clone();
    t.on_rollback_policy(move || h.rollback(usb::Kind::Policy));
    let h = tech.clone();
    t.on_rollback_sign_pack(move || h.rollback(usb::Kind::SignPack));
    let h = tech.clone();
    t.on_rollback_voice_packs(move || h.rollback(usb::Kind::VoicePacks));
    t.on_switch_language(move || tech.switch_language());
}
