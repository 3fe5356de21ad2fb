//! The counter console's window adapter (`CounterAdapter`, ui/counter.slint): a worker thread
//! owns the `HallQueue` (the hall API, or the database on the hall host) and answers one job at
//! a time; the UI thread keeps what the console shows and what it may do (`console`), and never
//! waits for the network. Every key shows that it was taken at once ("Working…", the buttons
//! greyed) and the answer replaces it. What others change in the hall (another counter's call, a
//! ticket issued) reaches the console through the hall feed: each event asks the worker for a
//! fresh view at once; a slow refresh covers what is not an event (a printer, the staff list).

use super::{
    ConsoleDialog, ConsoleLink, ConsoleNote, ConsoleOp, ConsoleService, ConsoleTicket, ConsoleView,
    ConsoleWhy, CounterAdapter, CounterWindow,
};
use crate::clock::Clock;
use crate::config::Config;
use crate::following::Following;
use crate::lang::Lang;
use crate::queue::{DisplayNumber, ServiceCode};
use chrono::{DateTime, Utc};
use kiosk_contract::{CounterView, HallError, HallFeed, HallQueue, SignedIn, TicketRef, TicketView};
use kiosk_roles::console::{self, Key, Situation, Trouble, Why};
use slint::{ComponentHandle, ModelRc, SharedString, VecModel};
use std::cell::RefCell;
use std::ops::ControlFlow;
use std::rc::Rc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, mpsc};
use std::time::Duration;

/// How often the counter's view is read again when nothing is pressed and nothing happened.
pub const REFRESH_EVERY: Duration = Duration::from_secs(2);

/// A change the console asks the hall for.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Op {
    CallNext,
    Recall,
    Skip,
    Complete,
    Transfer(ServiceCode),
    Pause(bool),
    CallNumber(DisplayNumber),
    Rejoin(DisplayNumber),
}

enum Job {
    SignIn {
        staff: String,
        pin: String,
    },
    SignOut,
    Do(Op),
    /// Something happened in the hall: read the view again now.
    Refresh,
}

enum Reply {
    SignedIn(Result<SignedIn, HallError>),
    /// An operation's outcome with the counter's view read after it, so the keys are free again
    /// only once they know the new state.
    Done(
        Op,
        Result<Option<String>, HallError>,
        Box<Result<CounterView, HallError>>,
    ),
    View(Box<Result<CounterView, HallError>>),
}

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

/// What the UI thread keeps between answers.
struct State {
    counter: u32,
    config: Arc<Config>,
    clock: Arc<dyn Clock>,
    jobs: mpsc::Sender<Job>,
    signed: Option<SignedIn>,
    view: Option<CounterView>,
    reachable: bool,
    busy: bool,
    english: bool,
    last_activity: DateTime<Utc>,
    /// What the open dialog's choices stand for.
    transfer_targets: Vec<ServiceCode>,
    rejoin_numbers: Vec<DisplayNumber>,
}

impl State {
    fn new(
        counter: u32,
        config: Arc<Config>,
        clock: Arc<dyn Clock>,
        jobs: mpsc::Sender<Job>,
        english: bool,
    ) -> Self {
        Self {
            counter,
            last_activity: clock.now(),
            config,
            clock,
            jobs,
            signed: None,
            view: None,
            reachable: true,
            busy: false,
            english,
            transfer_targets: Vec::new(),
            rejoin_numbers: Vec::new(),
        }
    }

    fn lang(&self) -> Lang {
        if self.english { Lang::En } else { Lang::ZhCn }
    }

    fn service_name(&self, code: ServiceCode, fallback: &str) -> String {
        self.config
            .service(code)
            .map_or_else(|| fallback.to_owned(), |s| s.name.get(self.lang()).to_owned())
    }

    fn situation(&self) -> Situation<'_> {
        Situation {
            view: self.view.as_ref(),
            reachable: self.reachable,
            busy: self.busy,
            other_services: self.other_services().len(),
        }
    }

    /// The hall's services other than the current visitor's.
    fn other_services(&self) -> Vec<ServiceCode> {
        let current = self
            .view
            .as_ref()
            .and_then(|v| v.counter.current.as_ref())
            .map(|t| t.service);
        self.config
            .services
            .iter()
            .map(|s| s.code)
            .filter(|c| Some(*c) != current)
            .collect()
    }

    fn send(&mut self, job: Job) {
        self.busy = true;
        if self.jobs.send(job).is_err() {
            tracing::error!("the counter console's worker has stopped");
        }
    }
}

fn why(w: Why) -> ConsoleWhy {
    match w {
        Why::Busy => ConsoleWhy::Busy,
        Why::HostUnreachable => ConsoleWhy::HostUnreachable,
        Why::Paused => ConsoleWhy::Paused,
        Why::NobodyWaiting => ConsoleWhy::NobodyWaiting,
        Why::NobodyCalled => ConsoleWhy::NobodyCalled,
        Why::NobodySkipped => ConsoleWhy::NobodySkipped,
        Why::NoOtherService => ConsoleWhy::NoOtherService,
    }
}

fn minutes_since(at: Option<DateTime<Utc>>, now: DateTime<Utc>) -> SharedString {
    at.map(|t| (now - t).num_minutes().max(0).to_string())
        .unwrap_or_default()
        .into()
}

fn ticket(state: &State, t: &TicketView, since: Option<DateTime<Utc>>, now: DateTime<Utc>) -> ConsoleTicket {
    ConsoleTicket {
        number: t.number.as_str().into(),
        service: state.service_name(t.service, &t.service_name).into(),
        priority: t.priority.map(|p| p.as_str()).unwrap_or_default().into(),
        language: t.language.as_str().into(),
        minutes: minutes_since(since, now),
    }
}

fn model<T: Clone + 'static>(items: Vec<T>) -> ModelRc<T> {
    ModelRc::new(VecModel::from(items))
}

/// Shows the state: the view, the keys and what they may do.
fn render(w: &CounterWindow, s: &State) {
    let a = w.global::<CounterAdapter>();
    a.set_english(s.english);
    a.set_busy(s.busy);
    a.set_view(if s.signed.is_some() {
        ConsoleView::Main
    } else {
        ConsoleView::SignIn
    });
    let name = s
        .config
        .counter(s.counter)
        .map_or_else(|| s.counter.to_string(), |c| c.name.get(s.lang()).to_owned());
    a.set_counter_name(name.into());
    if let Some(signed) = &s.signed {
        a.set_staff_id(signed.staff.as_str().into());
        a.set_staff_name(signed.name.as_str().into());
    }
    a.set_link(match (&s.view, s.reachable) {
        (_, false) => ConsoleLink::Lost,
        (None, true) => ConsoleLink::Connecting,
        (Some(_), true) => ConsoleLink::Live,
    });
    let ops: Vec<ConsoleOp> = Key::ALL
        .iter()
        .map(|k| match console::allowed(*k, s.situation()) {
            Ok(()) => ConsoleOp {
                enabled: true,
                why: ConsoleWhy::None,
            },
            Err(w) => ConsoleOp {
                enabled: false,
                why: why(w),
            },
        })
        .collect();
    a.set_ops(model(ops));
    let Some(v) = &s.view else { return };
    let now = s.clock.now();
    a.set_paused(v.counter.paused);
    a.set_serving(v.counter.current.is_some());
    let note = v.current_screening.as_ref();
    a.set_screening_outcome(note.map(|n| n.outcome.as_str()).unwrap_or_default().into());
    a.set_screening_matter(note.map(|n| n.matter.as_str()).unwrap_or_default().into());
    if let Some(t) = &v.counter.current {
        a.set_current(ticket(s, t, t.called_at, now));
        a.set_serving_for(
            t.called_at
                .map(|c| console::elapsed_text(c, now))
                .unwrap_or_default()
                .into(),
        );
    }
    a.set_next(model(
        v.next
            .iter()
            .map(|t| ticket(s, t, Some(t.issued_at), now))
            .collect(),
    ));
    a.set_rejoinable(model(
        v.rejoinable
            .iter()
            .map(|t| ticket(s, t, t.called_at, now))
            .collect(),
    ));
    a.set_services(model(
        v.services
            .iter()
            .map(|w| ConsoleService {
                code: w.code.to_string().into(),
                name: s.service_name(w.code, &w.name).into(),
                waiting: i32::try_from(w.waiting).unwrap_or(i32::MAX),
                priority_waiting: i32::try_from(w.priority_waiting).unwrap_or(i32::MAX),
                longest: w
                    .longest_wait_minutes
                    .map(|m| m.to_string())
                    .unwrap_or_default()
                    .into(),
            })
            .collect(),
    ));
    a.set_served_today(i32::try_from(v.served_today).unwrap_or(i32::MAX));
    a.set_average(
        v.average_service_minutes
            .map(|m| format!("{m:.1}"))
            .unwrap_or_default()
            .into(),
    );
    a.set_printers_needing_attention(model(
        v.printers_needing_attention
            .iter()
            .map(|t| SharedString::from(t.as_str()))
            .collect(),
    ));
    a.set_agency_undeliverable(i32::try_from(v.agency_undeliverable).unwrap_or(i32::MAX));
}

fn note(w: &CounterWindow, note: ConsoleNote, number: &str, detail: &str) {
    let a = w.global::<CounterAdapter>();
    a.set_note(note);
    a.set_note_number(number.into());
    a.set_note_detail(detail.into());
}

/// The sign-in screen again, saying why.
fn signed_out(w: &CounterWindow, s: &mut State, problem: i32) {
    s.signed = None;
    s.view = None;
    s.busy = false;
    let a = w.global::<CounterAdapter>();
    a.set_dialog(ConsoleDialog::None);
    a.set_sign_in_problem(problem);
    note(w, ConsoleNote::None, "", "");
}

/// A refused or failed request: the staff member's words for it.
fn trouble(w: &CounterWindow, s: &mut State, e: &HallError) {
    match console::trouble(e) {
        Trouble::Unreachable => {
            s.reachable = false;
            note(w, ConsoleNote::Unreachable, "", "");
        }
        Trouble::SignedOut { idle } => signed_out(w, s, if idle { 4 } else { 5 }),
        Trouble::WrongPin => w.global::<CounterAdapter>().set_sign_in_problem(1),
        Trouble::Locked { minutes } => {
            let a = w.global::<CounterAdapter>();
            a.set_locked_minutes(i32::try_from(minutes).unwrap_or(i32::MAX));
            a.set_sign_in_problem(2);
        }
        Trouble::Refused(words) => note(w, ConsoleNote::Refused, "", &words),
    }
}

fn apply(w: &CounterWindow, s: &mut State, reply: Reply) {
    match reply {
        Reply::SignedIn(Ok(signed)) => {
            tracing::info!(staff = %signed.staff, counter = s.counter, "signed in at the console");
            s.signed = Some(signed);
            s.busy = false;
            s.last_activity = s.clock.now();
            w.global::<CounterAdapter>().set_sign_in_problem(0);
            note(w, ConsoleNote::SignedIn, "", "");
        }
        Reply::SignedIn(Err(e)) => {
            s.busy = false;
            if console::trouble(&e) == Trouble::Unreachable {
                w.global::<CounterAdapter>().set_sign_in_problem(3);
            } else {
                trouble(w, s, &e);
            }
        }
        Reply::Done(op, result, view) => {
            s.busy = false;
            if result.is_ok() || view.is_ok() {
                apply_view(w, s, *view);
            }
            match result {
                Ok(number) => done(w, s, &op, number.as_deref().unwrap_or("")),
                Err(e) => trouble(w, s, &e),
            }
        }
        Reply::View(view) => apply_view(w, s, *view),
    }
    render(w, s);
}

fn apply_view(w: &CounterWindow, s: &mut State, view: Result<CounterView, HallError>) {
    match view {
        Ok(view) => {
            s.reachable = true;
            if w.global::<CounterAdapter>().get_note() == ConsoleNote::Unreachable {
                note(w, ConsoleNote::None, "", "");
            }
            let mine = s.signed.as_ref().map(|x| x.staff.clone());
            if mine.is_some() && view.staff != mine {
                // Someone else signed in at this counter, or this staff member elsewhere.
                signed_out(w, s, 5);
            } else {
                s.view = Some(view);
            }
        }
        Err(e) => trouble(w, s, &e),
    }
}

/// What a done operation says.
fn done(w: &CounterWindow, s: &State, op: &Op, number: &str) {
    let (kind, detail) = match op {
        Op::CallNext | Op::CallNumber(_) if number.is_empty() => (ConsoleNote::NobodyToCall, String::new()),
        Op::CallNext | Op::CallNumber(_) => (ConsoleNote::Called, String::new()),
        Op::Recall => (ConsoleNote::Recalled, String::new()),
        Op::Skip => (ConsoleNote::Skipped, String::new()),
        Op::Complete => (ConsoleNote::Completed, String::new()),
        Op::Transfer(to) => (ConsoleNote::Transferred, s.service_name(*to, &to.to_string())),
        Op::Pause(true) => (ConsoleNote::Paused, String::new()),
        Op::Pause(false) => (ConsoleNote::Resumed, String::new()),
        Op::Rejoin(_) => (ConsoleNote::Rejoined, String::new()),
    };
    note(w, kind, number, &detail);
}

/// Carries out one operation; the ticket number it concerns, if any.
fn carry_out(q: &mut dyn HallQueue, counter: u32, op: &Op) -> Result<Option<String>, HallError> {
    let number = |t: TicketView| Some(t.number);
    match op {
        Op::CallNext => q.call_next(counter).map(|r| r.called.and_then(number)),
        Op::CallNumber(n) => q.call_number(counter, *n).map(|r| r.called.and_then(number)),
        Op::Recall => q.recall(counter).map(number),
        Op::Skip => q.skip(counter).map(number),
        Op::Complete => q.complete(counter).map(number),
        Op::Transfer(to) => q.transfer(TicketRef::AtCounter(counter), *to).map(number),
        Op::Pause(paused) => q.set_paused(counter, *paused).map(|_| None),
        Op::Rejoin(n) => q.rejoin(*n).map(number),
    }
}

/// The worker: one job at a time, then a fresh view; a fresh view when the hall feed tells of a
/// change, and every `refresh_every` when signed in and nothing is asked.
fn work(
    mut queue: Box<dyn HallQueue>,
    counter: u32,
    jobs: mpsc::Receiver<Job>,
    refresh_asked: &AtomicBool,
    refresh_every: Duration,
    post: impl Fn(Reply),
) {
    let mut signed_in = false;
    loop {
        match jobs.recv_timeout(refresh_every) {
            Ok(Job::SignIn { staff, pin }) => {
                let result = queue.sign_in(counter, &staff, &pin);
                signed_in = result.is_ok();
                post(Reply::SignedIn(result));
            }
            Ok(Job::SignOut) => {
                if let Err(e) = queue.sign_out() {
                    tracing::warn!(error = %e, "sign-out not recorded at the hall host");
                }
                signed_in = false;
                continue;
            }
            Ok(Job::Refresh) => refresh_asked.store(false, Ordering::SeqCst),
            Ok(Job::Do(op)) => {
                let result = carry_out(queue.as_mut(), counter, &op);
                if let Err(e) = &result {
                    tracing::info!(?op, kind = e.kind.as_str(), "counter operation not done");
                }
                let view = Box::new(queue.counter_view(counter));
                post(Reply::Done(op, result, view));
                continue;
            }
            Err(mpsc::RecvTimeoutError::Timeout) => {}
            Err(mpsc::RecvTimeoutError::Disconnected) => {
                let _ = queue.sign_out();
                return;
            }
        }
        if signed_in {
            post(Reply::View(Box::new(queue.counter_view(counter))));
        }
    }
}

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
