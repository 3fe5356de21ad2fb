//! The rating screen's window adapter (`EvaluatorAdapter`, ui/evaluator.slint). It follows the
//! hall's events through the hall feed, and a worker thread keeps the ratings through its
//! `HallQueue` (the hall API, or the database on the hall host); the UI thread runs
//! `kiosk_roles::rating::Evaluator` and shows and speaks its prompt in the language of the ticket
//! being rated.

use super::{EvaluatorAdapter, EvaluatorWindow, IdleLine, RatingScreen};
use crate::clock::Clock;
use crate::config::Config;
use crate::following::Following;
use crate::i18n::tr;
use crate::lang::Lang;
use crate::queue::{DisplayNumber, RatingLevel, RatingReason};
use crate::speech::Part;
use crate::speech::compose::{self, Arg};
use kiosk_contract::{FeedItem, HallEvent, HallFeed, HallQueue};
use kiosk_roles::rating::{Evaluator, Prompt, Submit};
use slint::{ComponentHandle, ModelRc, VecModel};
use std::cell::RefCell;
use std::ops::ControlFlow;
use std::rc::Rc;
use std::sync::{Arc, mpsc};
use std::time::Duration;

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

/// Each control's words, spoken as it takes the keyboard focus (the screen shows the same).
const FACES: [&str; 5] = [
    // i18n: msgids
    "Very dissatisfied",
    "Dissatisfied",
    "Basically satisfied",
    "Satisfied",
    "Very satisfied",
];
/// The reasons screen's controls by the number Slint gives them: the five reasons, Back, Send.
const REASON_CONTROLS: [&str; 7] = [
    // i18n: msgids
    "Service attitude",
    "Efficiency",
    "Professional knowledge",
    "Waiting time",
    "Other reason",
    "Back",
    "Send",
];

pub struct EvaluatorOptions {
    pub counter: u32,
    /// Where the ratings are kept.
    pub queue: Box<dyn HallQueue>,
    /// What happens in the hall: a completion at this counter asks the visitor.
    pub feed: Box<dyn HallFeed>,
    pub config: Arc<Config>,
    pub clock: Arc<dyn Clock>,
    /// Where spoken prompts go (the speech service; tests record them).
    pub say: Box<dyn Fn(Vec<Part>)>,
}

/// The running rating screen: its worker and timer stop when this is dropped.
pub struct RatingScreenRun {
    _following: Following,
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

/// Speaks a control's words as it takes the focus, in the language of the ticket being rated.
fn say_control(s: &Screen, words: &[&str], index: i32) {
    let lang = match s.evaluator.prompt() {
        Prompt::Asking { lang, .. } | Prompt::Reasons { lang, .. } => *lang,
        Prompt::Idle | Prompt::Thanks { .. } => return,
    };
    if let Some(msgid) = usize::try_from(index).ok().and_then(|i| words.get(i)) {
        (s.say)(compose::message(lang, msgid));
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
        a.set_language(lang.code().into());
    }
    let mut words: Vec<Part> = Vec::new();
    match s.evaluator.prompt() {
        Prompt::Idle => {
            let lines: Vec<IdleLine> = Lang::ALL
                .iter()
                .map(|l| IdleLine {
                    text: tr(*l, INVITATION).into(),
                    rtl: *l == Lang::Ug,
                    language: l.code().into(),
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

/// The worker: ratings to keep, one at a time, until the screen goes.
fn keep_ratings(mut queue: Box<dyn HallQueue>, ratings: mpsc::Receiver<Submit>) {
    while let Ok(submit) = ratings.recv() {
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
}

/// What the screen takes from the hall feed: only what happens from the start on is asked about,
/// so a snapshot (the start, or a reconnection that missed too much) is an empty batch that says
/// the screen is live.
fn batch_of(item: FeedItem) -> Option<Vec<HallEvent>> {
    match item {
        FeedItem::Connected | FeedItem::Snapshot(_) => Some(Vec::new()),
        FeedItem::Event(e) => Some(vec![*e]),
        FeedItem::Lost(why) => {
            tracing::debug!(reason = %why, "the hall cannot be followed; trying again");
            None
        }
        FeedItem::Idle => None,
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
        .spawn(move || keep_ratings(queue, to_keep))?;
    let following = Following::start("rating-feed", options.feed, move |item| {
        let Some(batch) = batch_of(item) else {
            return ControlFlow::Continue(());
        };
        if events_in.send(batch).is_err() {
            return ControlFlow::Break(());
        }
        let _ = weak.upgrade_in_event_loop(|w| w.global::<EvaluatorAdapter>().invoke_replies_waiting());
        ControlFlow::Continue(())
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
    {
        let screen = screen.clone();
        a.on_face_focused(move |level| say_control(&screen.borrow(), &FACES, level - 1));
    }
    {
        let screen = screen.clone();
        a.on_reason_focused(move |i| say_control(&screen.borrow(), &REASON_CONTROLS, i));
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
        _following: following,
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
