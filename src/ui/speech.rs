//! The spoken guide, Rust side. Screens report what they show through the `Speech` global
//! (title, subtitle, lines, choices, keypad focus); after the event loop has built the screen,
//! this module turns the report into clips in the visitor's language and sends them to the speech
//! thread. Screens whose words come from Rust data (the ticket, the screening result) get their
//! details from here. Each window has its own `Guide` (made by `wire`, held by the window's
//! adapters), so two windows on one thread never speak each other's words.

use super::{KioskWindow, Nav, Screen, Settings, Speech};
use crate::lang::Lang;
use crate::speech::compose::{self, Arg, Part};
use crate::speech::service::Command;
use crate::speech::{SpeechService, Voice};
use slint::ComponentHandle;
use std::cell::{Cell, RefCell};
use std::collections::BTreeMap;
use std::rc::Rc;

/// What the screens reported since the guide last spoke, each with the screen it came from:
/// screens changed twice within one event-loop turn leave reports of the one nobody saw.
#[derive(Default)]
struct Heard {
    screen: Option<(Screen, String, String, Vec<String>)>,
    choices: BTreeMap<i32, (Screen, String)>,
    focus: Option<(String, String)>,
}

pub(super) struct Guide {
    /// None when only collecting (`kiosk speak --screen`).
    service: Option<SpeechService>,
    heard: RefCell<Heard>,
    flush: slint::Timer,
    /// The choices of the last screen read, for a new question on the same screen.
    last_choices: RefCell<(Option<Screen>, Vec<String>)>,
    /// Details composed in Rust for one screen (the ticket, the screening result).
    detail: RefCell<Option<(Screen, Vec<Part>)>>,
    /// After a session wipe the home screen appears without a visitor: say nothing there.
    quiet: Cell<bool>,
    /// The volume each session starts at (the terminal's setting, 0 to 10).
    default_volume: Cell<i32>,
}

fn guide_on(window: &KioskWindow) -> bool {
    window.global::<Settings>().get_audio_guide()
}

/// Connects the window's `Speech` global to the speech thread (or, without one, only collects).
pub(super) fn wire(window: &KioskWindow, service: Option<SpeechService>) -> Rc<Guide> {
    let guide = Rc::new(Guide {
        service,
        heard: RefCell::new(Heard::default()),
        flush: slint::Timer::default(),
        last_choices: RefCell::new((None, Vec::new())),
        detail: RefCell::new(None),
        quiet: Cell::new(false),
        default_volume: Cell::new(crate::speech::engine::DEFAULT_VOLUME),
    });
    let sp = window.global::<Speech>();
    let (g, weak) = (guide.clone(), window.as_weak());
    sp.on_screen_shown(move |title, subtitle, lines| {
        let lines = (0..slint::Model::row_count(&lines))
            .filter_map(|i| slint::Model::row_data(&lines, i))
            .map(|s| s.to_string())
            .collect();
        let Some(w) = weak.upgrade() else { return };
        let on = w.global::<Nav>().get_screen();
        g.heard.borrow_mut().screen = Some((on, title.into(), subtitle.into(), lines));
        schedule(&g, &weak);
    });
    let (g, weak) = (guide.clone(), window.as_weak());
    sp.on_choice(move |index, label| {
        let Some(w) = weak.upgrade() else { return };
        let on = w.global::<Nav>().get_screen();
        g.heard.borrow_mut().choices.insert(index, (on, label.into()));
        schedule(&g, &weak);
    });
    let (g, weak) = (guide.clone(), window.as_weak());
    sp.on_focused(move |label, sublabel| {
        g.heard.borrow_mut().focus = Some((label.into(), sublabel.into()));
        schedule(&g, &weak);
    });
    let g = guide.clone();
    sp.on_toggle_pause(move || g.send(Command::TogglePause));
    guide
}

/// Speaks once the current event-loop turn has built the whole screen.
fn schedule(guide: &Rc<Guide>, weak: &slint::Weak<KioskWindow>) {
    if guide.flush.running() {
        return;
    }
    let weak = weak.clone();
    // The timer belongs to the guide: a weak reference avoids a cycle through it.
    let weak_guide = Rc::downgrade(guide);
    guide.flush.start(
        slint::TimerMode::SingleShot,
        std::time::Duration::ZERO,
        move || {
            if let Some((w, g)) = weak.upgrade().zip(guide_of(&weak_guide)) {
                g.flush(&w);
            }
        },
    );
}

fn guide_of(weak: &std::rc::Weak<Guide>) -> Option<Rc<Guide>> {
    weak.upgrade()
}

impl Guide {
    fn send(&self, command: Command) {
        if let Some(s) = &self.service {
            s.send(command);
        }
    }

    /// Turns what the screens reported into the guide and sends it. Returns what it produced.
    pub(super) fn flush(&self, window: &KioskWindow) -> Vec<Part> {
        let mut parts = Vec::new();
        let heard = std::mem::take(&mut *self.heard.borrow_mut());
        let lang = super::window_lang(window);
        let screen = window.global::<Nav>().get_screen();
        if super::is_technician_screen(screen) {
            return parts; // for technicians, in words the voice packs do not have
        }
        if let Some((_, title, subtitle, lines)) = heard.screen.filter(|s| s.0 == screen) {
            let mut choices: Vec<String> = heard
                .choices
                .into_values()
                .filter(|(on, _)| *on == screen)
                .map(|(_, label)| label)
                .collect();
            {
                let mut last = self.last_choices.borrow_mut();
                if choices.is_empty() && last.0 == Some(screen) {
                    choices = last.1.clone();
                } else {
                    *last = (Some(screen), choices.clone());
                }
            }
            let detail = match &*self.detail.borrow() {
                Some((s, d)) if *s == screen => d.clone(),
                _ => Vec::new(),
            };
            let mut sentences = vec![compose::shown(lang, &title), detail];
            sentences.push(compose::shown(lang, &subtitle));
            sentences.extend(lines.iter().map(|l| compose::shown(lang, l)));
            sentences.extend(choices.iter().map(|c| compose::shown(lang, c)));
            parts = compose::sentences(sentences);
            // Only the home screen the wipe shows is kept quiet: when the wipe found the window
            // already at home (as at start), the next screen is the visitor's and is read.
            if self.quiet.replace(false) && screen == Screen::Home {
                return parts;
            }
        } else if let Some((label, sublabel)) = heard.focus {
            parts = compose::sentences([compose::shown(lang, &label), compose::shown(lang, &sublabel)]);
        } else {
            return parts; // only buttons re-created by a data refresh: nothing new to say
        }
        if guide_on(window) {
            self.send(Command::Guide(parts.clone()));
        } else {
            self.send(Command::Silence);
        }
        parts
    }

    /// Rust-composed words for a screen, read after its title.
    pub(super) fn set_detail(&self, screen: Screen, parts: Vec<Part>) {
        *self.detail.borrow_mut() = Some((screen, parts));
    }

    /// Says a message of the screens now (an error, a printer result), without replacing what
    /// Repeat repeats.
    pub(super) fn say(&self, window: &KioskWindow, parts: Vec<Part>) {
        if guide_on(window) && !parts.is_empty() {
            self.send(Command::Say(parts));
        }
    }

    pub(super) fn say_message(&self, window: &KioskWindow, msgid: &str) {
        self.say(window, compose::message(super::window_lang(window), msgid));
    }

    /// Echoes a key typed on an on-screen keypad: the digit, the letter X, or "Delete".
    pub(super) fn echo_key(&self, window: &KioskWindow, key: &str) {
        let lang = super::window_lang(window);
        let parts = if key == "del" {
            compose::message(lang, "Delete")
        } else {
            compose::spell(Voice::for_screen(lang), key)
        };
        self.say(window, parts);
    }

    pub(super) fn repeat(&self) {
        self.send(Command::Repeat);
    }

    pub(super) fn set_volume(&self, level: i32) {
        self.send(Command::Volume(level));
    }

    /// A new visitor: stop talking, and do not read the home screen that the wipe shows.
    pub(super) fn session_wiped(&self) {
        self.quiet.set(true);
        *self.detail.borrow_mut() = None;
        self.send(Command::Silence);
        self.send(Command::Volume(self.default_volume.get()));
    }

    /// The speech thread's state (None without one): sound, or why not.
    pub(super) fn status(&self) -> Option<crate::speech::service::SpeechStatus> {
        self.service.as_ref().map(SpeechService::status)
    }

    pub(super) fn default_volume(&self) -> i32 {
        self.default_volume.get()
    }

    pub(super) fn set_default_volume(&self, level: i32) {
        self.default_volume.set(level.clamp(0, 10));
    }

    /// Speaks with the voice packs in `dir` from now on (installed by a technician).
    pub(super) fn use_voices(&self, dir: std::path::PathBuf) {
        self.send(Command::UseVoices(dir));
    }

    /// Stops talking and forgets what the screens reported (technician mode says nothing).
    pub(super) fn silence(&self) {
        *self.heard.borrow_mut() = Heard::default();
        *self.detail.borrow_mut() = None;
        self.send(Command::Silence);
    }

    /// Plays `parts` at `level` whatever the visitor's settings (the technician's sound test).
    pub(super) fn test_sound(&self, level: i32, parts: Vec<Part>) {
        self.send(Command::Silence);
        self.send(Command::Volume(level.clamp(0, 10)));
        self.send(Command::Say(parts));
    }
}

/// The ticket on the confirmation screen: number, service, people ahead and wait.
pub(super) fn ticket_detail(
    lang: Lang,
    number: &str,
    service: &str,
    ahead: u32,
    wait: Option<u32>,
) -> Vec<Part> {
    let ahead_words = if ahead == 0 {
        compose::message(lang, "You are next.")
    } else {
        compose::message_with(lang, "People ahead of you: {}", &[Arg::Number(ahead)])
    };
    let wait_words = match wait {
        None => compose::message(
            lang,
            "No counter is open for this service at the moment. Staff will help you.",
        ),
        Some(_) if ahead == 0 => {
            compose::message(lang, "Please watch the screen and listen for your number.")
        }
        Some(m) => compose::message_with(lang, "Estimated wait: about {} minutes", &[Arg::Number(m)]),
    };
    compose::sentences([
        compose::spell(Voice::for_screen(lang), number),
        vec![compose::name(lang, service)],
        ahead_words,
        wait_words,
    ])
}
