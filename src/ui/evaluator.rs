//! The rating screen's window adapter (`EvaluatorAdapter`, ui/evaluator.slint). A worker thread
//! follows the hall's events through its `HallQueue` (the hall API, or the database on the hall
//! host) and keeps the ratings there; the UI thread runs `evaluator::Evaluator` and shows and
//! speaks its prompt in the language of the ticket being rated.

use super::{EvaluatorAdapter, EvaluatorWindow, IdleLine, RatingScreen};
use crate::clock::Clock;
use crate::config::Config;
use crate::i18n::tr;
use crate::lang::Lang;
use crate::queue::{DisplayNumber, RatingLevel, RatingReason};
use crate::speech::Part;
use crate::speech::compose::{self, Arg};
use kiosk_contract::{HallEvent, HallQueue};
use kiosk_roles::rating::{Evaluator, Prompt, Submit};
use slint::{ComponentHandle, ModelRc, VecModel};
use std::cell::RefCell;
use std::rc::Rc;
use std::sync::{Arc, mpsc};
use std::time::Duration;

/// How often the worker asks for new events.
pub const FOLLOW_EVERY: Duration = Duration::from_millis(250);

/// The words the screen says (the voice packs hold a clip for each).
const SAID: [&str; 6] = [
    // i18n: msgids
    "After you are served, please rate our service here.",
    "Your number: {}",
    "How satisfied are you with our service today?",
    "What went wrong? Choose at least one, then tap Send.",
    "Please choose at least one reason.",
    "Thank you for your feedback.",
];
const INVITATION: &str = SAID[0];
const YOUR_NUMBER: &str = SAID[1];
const QUESTION: &str = SAID[2];
const WHAT_WENT_WRONG: &str = SAID[3];
const REMINDER: &str = SAID[4];
const THANKS: &str = SAID[5];

pub struct EvaluatorOptions {
    pub counter: u32,
    pub queue: Box<dyn HallQueue>,
    pub config: Arc<Config>,
    pub clock: Arc<dyn Clock>,
    /// Where spoken prompts go (the speech service; tests record them).
    pub say: Box<dyn Fn(Vec<Part>)>,
}

/// The running rating screen: its worker and timer stop when this is dropped.
pub struct RatingScreenRun {
    _ratings: mpsc::Sender<Submit>,
    _timer: slint::Timer,
    screen: Rc<RefCell<Screen>>,
}

impl RatingScreenRun {
    /// Draws the screen again in its ticket's language, silently (after technician mode, which
    /// switches the process's translation).
    pub fn redraw(&self) -> impl Fn(&EvaluatorWindow) + 'static {
        let screen = self.screen.clone();
        move |w| show(w, &screen.borrow(), false)
    }
}

struct Screen {
    evaluator: Evaluator,
    config: Arc<Config>,
    clock: Arc<dyn Clock>,
    ratings: mpsc::Sender<Submit>,
    say: Box<dyn Fn(Vec<Part>)>,
    counter: u32,
}

fn family(lang: Lang) -> &'static str {
    match lang {
        Lang::ZhCn => "Noto Sans CJK SC",
        Lang::En => "Noto Sans",
        Lang::Ug => "Noto Sans Arabic",
    }
}

/// Shows the prompt; speaks it when it is new.
fn show(w: &EvaluatorWindow, s: &Screen, spoken: bool) {
    let a = w.global::<EvaluatorAdapter>();
    let counter = s
        .config
        .counter(s.counter)
        .map_or_else(|| s.counter.to_string(), |c| c.name.zh.clone());
    a.set_counter_name(counter.into());
    let lang = match s.evaluator.prompt() {
        Prompt::Idle => None,
        Prompt::Asking { lang, .. } | Prompt::Reasons { lang, .. } | Prompt::Thanks { lang } => Some(*lang),
    };
    if let Some(lang) = lang {
        if let Err(e) = slint::select_bundled_translation(lang.code()) {
            tracing::warn!(error = %e, "rating screen language not switched");
        }
        a.set_rtl(lang == Lang::Ug);
        a.set_family(family(lang).into());
    }
    let mut words: Vec<Part> = Vec::new();
    match s.evaluator.prompt() {
        Prompt::Idle => {
            let lines: Vec<IdleLine> = Lang::ALL
                .iter()
                .map(|l| IdleLine {
                    text: tr(*l, INVITATION).into(),
                    rtl: *l == Lang::Ug,
                    family: family(*l).into(),
                })
                .collect();
            a.set_idle_lines(ModelRc::new(VecModel::from(lines)));
            a.set_screen(RatingScreen::Idle);
        }
        Prompt::Asking { number, lang } => {
            a.set_number(number.as_str().into());
            a.set_screen(RatingScreen::Asking);
            words = compose::sentences([
                compose::message_with(*lang, YOUR_NUMBER, &[Arg::Spell(number.clone())]),
                compose::message(*lang, QUESTION),
            ]);
        }
        Prompt::Reasons {
            lang,
            chosen,
            reminded,
            ..
        } => {
            let on: Vec<bool> = RatingReason::ALL.iter().map(|r| chosen.contains(r)).collect();
            a.set_chosen(ModelRc::new(VecModel::from(on)));
            let was = a.get_reminded();
            a.set_reminded(*reminded);
            if a.get_screen() != RatingScreen::Reasons {
                words = compose::message(*lang, WHAT_WENT_WRONG);
            } else if *reminded && !was {
                words = compose::message(*lang, REMINDER);
            }
            a.set_screen(RatingScreen::Reasons);
        }
        Prompt::Thanks { lang } => {
            a.set_screen(RatingScreen::Thanks);
            words = compose::message(*lang, THANKS);
        }
    }
    if spoken && !words.is_empty() {
        (s.say)(words);
    }
}

fn keep(s: &Screen, submit: Option<Submit>) {
    if let Some(submit) = submit
        && s.ratings.send(submit).is_err()
    {
        tracing::error!("the rating screen's worker has stopped; a rating was not kept");
    }
}

/// The worker: ratings to keep, and the hall's events from where the hall was at the start.
fn work(mut queue: Box<dyn HallQueue>, ratings: mpsc::Receiver<Submit>, post: impl Fn(Vec<HallEvent>)) {
    let mut cursor = None;
    loop {
        match ratings.recv_timeout(FOLLOW_EVERY) {
            Ok(submit) => {
                let number: Result<DisplayNumber, _> = submit.number.parse();
                let kept = number
                    .map_err(kiosk_contract::HallError::bad_input)
                    .and_then(|n| queue.rate(n, &submit.rating));
                match kept {
                    Ok(r) => tracing::info!(number = %r.number, level = r.level, "rating kept"),
                    // Rated already, or the host is away: the visitor has been thanked either way.
                    Err(e) => tracing::warn!(number = %submit.number, error = %e, "rating not kept"),
                }
            }
            Err(mpsc::RecvTimeoutError::Timeout) => {}
            Err(mpsc::RecvTimeoutError::Disconnected) => return,
        }
        let Some(from) = cursor else {
            // Only what happens from now on is asked about; an empty batch says the screen is live.
            cursor = queue.summary().ok().map(|s| s.cursor);
            if cursor.is_some() {
                post(Vec::new());
            }
            continue;
        };
        match queue.events_after(from, 200) {
            Ok(page) => {
                cursor = Some(page.cursor);
                if !page.events.is_empty() {
                    post(page.events);
                }
            }
            Err(e) => tracing::debug!(error = %e, "hall events not read"),
        }
    }
}

pub fn start_rating_screen(
    window: &EvaluatorWindow,
    options: EvaluatorOptions,
) -> std::io::Result<RatingScreenRun> {
    let (ratings, to_keep) = mpsc::channel::<Submit>();
    let (events_in, events) = mpsc::channel::<Vec<HallEvent>>();
    let weak = window.as_weak();
    let queue = options.queue;
    std::thread::Builder::new()
        .name("rating-screen".into())
        .spawn(move || {
            work(queue, to_keep, move |batch| {
                if events_in.send(batch).is_ok() {
                    let _ = weak
                        .upgrade_in_event_loop(|w| w.global::<EvaluatorAdapter>().invoke_replies_waiting());
                }
            });
        })?;
    let screen = Rc::new(RefCell::new(Screen {
        evaluator: Evaluator::new(options.counter, options.clock.now()),
        config: options.config,
        clock: options.clock,
        ratings: ratings.clone(),
        say: options.say,
        counter: options.counter,
    }));
    let a = window.global::<EvaluatorAdapter>();
    let handler = |f: Box<dyn Fn(&mut Screen) -> bool>| {
        let (weak, screen) = (window.as_weak(), screen.clone());
        move || {
            let Some(w) = weak.upgrade() else { return };
            let mut s = screen.borrow_mut();
            if f(&mut s) {
                show(&w, &s, true);
            }
        }
    };
    let live = window.as_weak();
    a.on_replies_waiting(handler(Box::new(move |s| {
        let now = s.clock.now();
        let mut changed = false;
        if let Some(w) = live.upgrade() {
            w.global::<EvaluatorAdapter>().set_live(true);
        }
        while let Ok(batch) = events.try_recv() {
            for e in &batch {
                changed |= s.evaluator.on_event(e, now);
            }
        }
        changed
    })));
    {
        let (weak, screen) = (window.as_weak(), screen.clone());
        a.on_choose(move |n| {
            let (Some(w), Some(level)) = (
                weak.upgrade(),
                u8::try_from(n).ok().and_then(RatingLevel::from_number),
            ) else {
                return;
            };
            let mut s = screen.borrow_mut();
            let now = s.clock.now();
            let submit = s.evaluator.choose(level, now);
            keep(&s, submit);
            show(&w, &s, true);
        });
    }
    {
        let (weak, screen) = (window.as_weak(), screen.clone());
        a.on_toggle(move |i| {
            let (Some(w), Some(reason)) = (
                weak.upgrade(),
                usize::try_from(i)
                    .ok()
                    .and_then(|i| RatingReason::ALL.get(i).copied()),
            ) else {
                return;
            };
            let mut s = screen.borrow_mut();
            let now = s.clock.now();
            s.evaluator.toggle(reason, now);
            show(&w, &s, true);
        });
    }
    a.on_send(handler(Box::new(|s| {
        let now = s.clock.now();
        let submit = s.evaluator.send(now);
        keep(s, submit);
        true
    })));
    a.on_back(handler(Box::new(|s| {
        let now = s.clock.now();
        s.evaluator.back(now);
        true
    })));
    let timer = slint::Timer::default();
    timer.start(
        slint::TimerMode::Repeated,
        Duration::from_secs(1),
        handler(Box::new(|s| {
            let now = s.clock.now();
            s.evaluator.tick(now)
        })),
    );
    show(window, &screen.borrow(), false);
    Ok(RatingScreenRun {
        _ratings: ratings,
        _timer: timer,
        screen,
    })
}

/// Shows the rating rules' prompt (`kiosk_roles::rating`) without a worker or a voice (for screenshots).
pub fn show_preview(
    window: &EvaluatorWindow,
    config: Arc<Config>,
    clock: Arc<dyn Clock>,
    evaluator: Evaluator,
) {
    let (ratings, _) = mpsc::channel();
    let counter = config.counters.first().map_or(1, |c| c.id);
    let screen = Screen {
        evaluator,
        config,
        clock,
        ratings,
        say: Box::new(|_| {}),
        counter,
    };
    // A fresh screen each time: the reasons' reminder is shown as it stands.
    window.global::<EvaluatorAdapter>().set_screen(RatingScreen::Idle);
    show(window, &screen, false);
}
