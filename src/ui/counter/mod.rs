//! The counter console's window adapter (`CounterAdapter`, ui/counter.slint): a worker thread
//! owns the `HallQueue` (the hall API, or the database on the hall host) and answers one job at
//! a time; the UI thread keeps what the console shows and what it may do (`console`), and never
//! waits for the network. Every key shows that it was taken at once ("Working…", the buttons
//! greyed) and the answer replaces it. What others change in the hall (another counter's call, a
//! ticket issued) reaches the console through the hall feed: each event asks the worker for a
//! fresh view at once; a slow refresh covers what is not an event (a printer, the staff list).
//!
//! Here the wiring, the keys and the dialogs; `worker.rs` the thread, `state.rs` what the UI
//! thread keeps, `view.rs` what the window shows and how each answer changes it.

mod state;
mod view;
mod worker;

use super::{ConsoleDialog, ConsoleNote, CounterAdapter, CounterWindow};
use crate::clock::Clock;
use crate::config::Config;
use crate::following::Following;
use crate::queue::DisplayNumber;
use kiosk_contract::{CounterView, HallFeed, HallQueue, SignedIn};
use kiosk_roles::console::{self, Key};
use slint::{ComponentHandle, SharedString};
use state::State;
use std::cell::RefCell;
use std::ops::ControlFlow;
use std::rc::Rc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, mpsc};
use std::time::Duration;
use view::{apply, model, note, render, signed_out, why};
use worker::{Job, Op, Reply, work};

/// How often the counter's view is read again when nothing is pressed and nothing happened.
pub const REFRESH_EVERY: Duration = Duration::from_secs(2);

/// Everything the console needs to run.
pub struct ConsoleOptions {
    pub counter: u32,
    pub queue: Box<dyn HallQueue>,
    pub config: Arc<Config>,
    pub clock: Arc<dyn Clock>,
    /// The staff member's language at start (they can switch on the sign-in screen).
    pub english: bool,
    /// What happens in the hall, as it happens (None: the view is only read every
    /// `refresh_every`).
    pub feed: Option<Box<dyn HallFeed>>,
    /// How often the view is read again when nothing happened (`REFRESH_EVERY`).
    pub refresh_every: Duration,
}

/// The running console: its worker and timers stop when this is dropped.
pub struct Console {
    // Dropped first: it holds a sender of the worker's jobs, and the worker ends (signing out)
    // when the last sender is gone.
    _following: Option<Following>,
    _jobs: mpsc::Sender<Job>,
    _clock: slint::Timer,
}

/// A callback's work on the window and the console's state.
type Handler = dyn Fn(&CounterWindow, &mut State);

/// What a function key does: an operation at once, or a dialog to choose from first.
fn press(w: &CounterWindow, s: &mut State, key: Key) {
    if let Err(reason) = console::allowed(key, s.situation()) {
        tracing::debug!(?key, ?reason, "key not possible now");
        // Said, not silently ignored: a clerk who cannot see the grey hears why.
        let a = w.global::<CounterAdapter>();
        note(w, ConsoleNote::NotNow, "", "");
        a.set_note_key(key.function_key());
        a.set_note_why(why(reason));
        return;
    }
    let a = w.global::<CounterAdapter>();
    let current_paused = s.view.as_ref().is_some_and(|v| v.counter.paused);
    let op = match key {
        Key::CallNext => Op::CallNext,
        Key::Recall => Op::Recall,
        Key::Skip => Op::Skip,
        Key::Complete => Op::Complete,
        Key::PauseOrResume => Op::Pause(!current_paused),
        Key::Transfer => {
            s.transfer_targets = s.other_services();
            let names: Vec<SharedString> = s
                .transfer_targets
                .iter()
                .map(|c| s.service_name(*c, &c.to_string()).into())
                .collect();
            w.set_transfer_names(model(names));
            a.set_dialog(ConsoleDialog::Transfer);
            return;
        }
        Key::CallNumber => {
            // The dialog shows why a typed number was refused: not an earlier one.
            if a.get_note() == ConsoleNote::NotANumber {
                note(w, ConsoleNote::None, "", "");
            }
            a.set_dialog(ConsoleDialog::CallNumber);
            return;
        }
        Key::Rejoin => {
            s.rejoin_numbers = s
                .view
                .iter()
                .flat_map(|v| &v.rejoinable)
                .filter_map(|t| t.number.parse().ok())
                .collect();
            let numbers: Vec<SharedString> = s.rejoin_numbers.iter().map(|n| n.to_string().into()).collect();
            w.set_rejoin_numbers(model(numbers));
            a.set_dialog(ConsoleDialog::Rejoin);
            return;
        }
    };
    start(w, s, op);
}

fn start(w: &CounterWindow, s: &mut State, op: Op) {
    note(w, ConsoleNote::Working, "", "");
    s.send(Job::Do(op));
    render(w, s);
}

fn close_dialog(w: &CounterWindow) {
    w.global::<CounterAdapter>().set_dialog(ConsoleDialog::None);
    w.invoke_take_keys();
}

/// Starts the console in `window`: the worker thread, the callbacks and the one-second timer
/// (time since the call, the idle sign-out).
pub fn start_console(window: &CounterWindow, options: ConsoleOptions) -> std::io::Result<Console> {
    let (jobs, inbox) = mpsc::channel::<Job>();
    let (replies, answers) = mpsc::channel::<Reply>();
    let weak = window.as_weak();
    let counter = options.counter;
    // Set while a Refresh waits in the worker's jobs: events come in bursts (a call is several),
    // and one view answers them all.
    let refresh_asked = Arc::new(AtomicBool::new(false));
    let following = match options.feed {
        None => None,
        Some(feed) => {
            let (jobs, asked) = (jobs.clone(), refresh_asked.clone());
            Some(Following::start("counter-feed", feed, move |_| {
                if asked.swap(true, Ordering::SeqCst) {
                    return ControlFlow::Continue(());
                }
                match jobs.send(Job::Refresh) {
                    Ok(()) => ControlFlow::Continue(()),
                    Err(_) => ControlFlow::Break(()),
                }
            })?)
        }
    };
    let (asked, refresh_every) = (refresh_asked.clone(), options.refresh_every);
    std::thread::Builder::new()
        .name("counter-console".into())
        .spawn(move || {
            work(
                options.queue,
                counter,
                inbox,
                &asked,
                refresh_every,
                move |reply| {
                    if replies.send(reply).is_ok() {
                        let _ = weak
                            .upgrade_in_event_loop(|w| w.global::<CounterAdapter>().invoke_replies_waiting());
                    }
                },
            );
        })?;
    select_language(options.english);
    let state = Rc::new(RefCell::new(State::new(
        counter,
        options.config.clone(),
        options.clock.clone(),
        jobs.clone(),
        options.english,
    )));
    let a = window.global::<CounterAdapter>();
    a.set_idle_minutes(i32::try_from(options.config.console.idle_sign_out_minutes).unwrap_or(i32::MAX));
    let with = |f: Box<Handler>| {
        let (weak, state) = (window.as_weak(), state.clone());
        move || {
            if let Some(w) = weak.upgrade() {
                f(&w, &mut state.borrow_mut());
            }
        }
    };
    a.on_replies_waiting(with(Box::new(move |w, s| {
        while let Ok(reply) = answers.try_recv() {
            apply(w, s, reply);
        }
    })));
    a.on_activity(with(Box::new(|_, s| s.last_activity = s.clock.now())));
    {
        let (weak, state) = (window.as_weak(), state.clone());
        a.on_key(move |n| {
            let (Some(w), Some(key)) = (weak.upgrade(), Key::from_function_key(n)) else {
                return;
            };
            if w.global::<CounterAdapter>().get_dialog() != ConsoleDialog::None {
                return;
            }
            press(&w, &mut state.borrow_mut(), key);
        });
    }
    {
        let (weak, state) = (window.as_weak(), state.clone());
        a.on_sign_in(move |staff, pin| {
            let Some(w) = weak.upgrade() else { return };
            let mut s = state.borrow_mut();
            if s.busy {
                return;
            }
            w.global::<CounterAdapter>().set_sign_in_problem(0);
            s.send(Job::SignIn {
                staff: staff.trim().to_owned(),
                pin: pin.trim().to_owned(),
            });
            render(&w, &s);
        });
    }
    a.on_sign_out(with(Box::new(|w, s| {
        s.send(Job::SignOut);
        signed_out(w, s, 0);
        render(w, s);
    })));
    {
        let (weak, state) = (window.as_weak(), state.clone());
        a.on_choose(move |i| {
            let Some(w) = weak.upgrade() else { return };
            let mut s = state.borrow_mut();
            let Ok(i) = usize::try_from(i) else { return };
            let op = match w.global::<CounterAdapter>().get_dialog() {
                ConsoleDialog::Transfer => s.transfer_targets.get(i).copied().map(Op::Transfer),
                ConsoleDialog::Rejoin => s.rejoin_numbers.get(i).copied().map(Op::Rejoin),
                _ => None,
            };
            if let Some(op) = op {
                close_dialog(&w);
                start(&w, &mut s, op);
            }
        });
    }
    {
        let (weak, state) = (window.as_weak(), state.clone());
        a.on_call_number(move |typed| {
            let Some(w) = weak.upgrade() else { return };
            let mut s = state.borrow_mut();
            match typed.trim().to_uppercase().parse::<DisplayNumber>() {
                Ok(n) => {
                    close_dialog(&w);
                    start(&w, &mut s, Op::CallNumber(n));
                }
                Err(_) => note(
                    &w,
                    ConsoleNote::NotANumber,
                    "",
                    &crate::shorten::excerpt(&typed, 12),
                ),
            }
        });
    }
    a.on_cancel({
        let weak = window.as_weak();
        move || {
            if let Some(w) = weak.upgrade() {
                close_dialog(&w);
            }
        }
    });
    {
        let (weak, state) = (window.as_weak(), state.clone());
        a.on_choose_english(move |english| {
            let Some(w) = weak.upgrade() else { return };
            let mut s = state.borrow_mut();
            s.english = english;
            select_language(english);
            render(&w, &s);
        });
    }
    let timer = slint::Timer::default();
    {
        let (weak, state) = (window.as_weak(), state.clone());
        timer.start(slint::TimerMode::Repeated, Duration::from_secs(1), move || {
            let Some(w) = weak.upgrade() else { return };
            let mut s = state.borrow_mut();
            tick(&w, &mut s);
        });
    }
    render(window, &state.borrow());
    Ok(Console {
        _following: following,
        _jobs: jobs,
        _clock: timer,
    })
}

/// Every second: the time since the call, and the idle sign-out.
fn tick(w: &CounterWindow, s: &mut State) {
    if s.signed.is_none() {
        return;
    }
    let now = s.clock.now();
    let serving = s.view.as_ref().and_then(|v| v.counter.current.as_ref());
    if let Some(called) = serving.and_then(|t| t.called_at) {
        w.global::<CounterAdapter>()
            .set_serving_for(console::elapsed_text(called, now).into());
    }
    let idle = chrono::Duration::minutes(i64::from(s.config.console.idle_sign_out_minutes));
    if console::idle_sign_out(s.last_activity, now, idle, serving.is_some()) {
        tracing::info!(counter = s.counter, "console signed out after inactivity");
        s.send(Job::SignOut);
        signed_out(w, s, 4);
        render(w, s);
    }
}

/// The console as the staff member left it, after technician mode: their language, and the
/// keys back to the console.
pub fn after_technician(window: &CounterWindow) {
    select_language(window.global::<CounterAdapter>().get_english());
    window.invoke_take_keys();
}

/// The staff words' language for the whole process (the console is the only window).
fn select_language(english: bool) {
    let code = if english { "en" } else { "zh-CN" };
    if let Err(e) = slint::select_bundled_translation(code) {
        tracing::warn!(error = %e, "console language not switched");
    }
}

/// What a screenshot shows: the console in a given state, drawn by the same `render` as the
/// live console (no worker; nothing is sent).
pub struct Preview {
    pub counter: u32,
    pub config: Arc<Config>,
    pub clock: Arc<dyn Clock>,
    pub english: bool,
    pub signed: Option<SignedIn>,
    pub view: Option<CounterView>,
    pub reachable: bool,
}

impl Preview {
    fn state(self) -> State {
        let (jobs, _) = mpsc::channel();
        let mut s = State::new(self.counter, self.config, self.clock, jobs, self.english);
        s.signed = self.signed;
        s.view = self.view;
        s.reachable = self.reachable;
        s
    }
}

pub fn show_preview(window: &CounterWindow, p: Preview) {
    select_language(p.english);
    let a = window.global::<CounterAdapter>();
    a.set_dialog(ConsoleDialog::None);
    a.set_sign_in_problem(0);
    a.set_idle_minutes(i32::try_from(p.config.console.idle_sign_out_minutes).unwrap_or(i32::MAX));
    note(window, ConsoleNote::None, "", "");
    render(window, &p.state());
}

/// Opens a dialog as a key would (for screenshots).
pub fn preview_key(window: &CounterWindow, p: Preview, key: Key) {
    press(window, &mut p.state(), key);
}

/// Shows a note as an answer would (for screenshots).
pub fn preview_note(window: &CounterWindow, kind: ConsoleNote, number: &str, detail: &str) {
    note(window, kind, number, detail);
}
