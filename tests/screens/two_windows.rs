//! Two visitor windows on one thread (a hall host showing two screens, or a test) keep their own
//! state: each speaks through its own speech service in its own visitor's language, and a
//! session wipe in one leaves the other's visitor alone. (The adapters' state is per window,
//! not per thread.)

use crate::ui;

use kiosk::config::Config;
use kiosk::speech::service::Command;
use kiosk::speech::{Part, Voice};
use kiosk::ui::{Nav, Screen, Settings};
use slint::ComponentHandle;
use std::sync::{Arc, Mutex};
use ui::*;

type Log = Arc<Mutex<Vec<Command>>>;

fn voices_of(log: &Log) -> Vec<Voice> {
    let mut voices: Vec<Voice> = log
        .lock()
        .unwrap()
        .iter()
        .filter_map(|c| match c {
            Command::Guide(parts) | Command::Say(parts) => Some(parts.clone()),
            _ => None,
        })
        .flatten()
        .filter_map(|p| match p {
            Part::Clip { voice, .. } | Part::Text { voice, .. } => Some(voice),
            _ => None,
        })
        .collect();
    voices.sort();
    voices.dedup();
    voices
}

fn wait_for_guide(log: &Log) {
    let l = log.clone();
    let spoken = wait_until(move || l.lock().unwrap().iter().any(|c| matches!(c, Command::Guide(_))));
    assert!(spoken, "no guide; said: {:?}", log.lock().unwrap());
}

pub fn two_windows_on_one_thread_do_not_mix_speech_or_visitors() {
    i_slint_backend_testing::init_integration_test_with_system_time();
    let (speech_a, log_a) = kiosk::speech::SpeechService::recorder();
    let (speech_b, log_b) = kiosk::speech::SpeechService::recorder();
    let a = kiosk_speaking(Config::default(), false, Some(speech_a));
    let b = kiosk_speaking(Config::default(), false, Some(speech_b));
    log_a.lock().unwrap().clear();
    log_b.lock().unwrap().clear();

    // Window A's visitor chooses English and opens the service screen: A speaks English, B
    // says nothing. (The testing backend draws nothing, so `find` stands in for the frame that
    // builds the new screen.)
    a.ui.window
        .global::<Settings>()
        .invoke_choose_language("en".into());
    tap(&a, "home-take-ticket");
    wait_for_screen(&a, Screen::Service);
    find(&a, "service-A");
    wait_for_guide(&log_a);
    assert_eq!(voices_of(&log_a), [Voice::En]);
    assert!(
        log_b.lock().unwrap().is_empty(),
        "B spoke for A: {:?}",
        log_b.lock().unwrap()
    );

    // Window B's visitor, still in Chinese, opens help: B speaks Mandarin, A hears none of it.
    log_a.lock().unwrap().clear();
    tap(&b, "nav-help");
    wait_for_screen(&b, Screen::Help);
    find(&b, "help-done");
    wait_for_guide(&log_b);
    assert_eq!(voices_of(&log_b), [Voice::Zh]);
    assert!(
        log_a.lock().unwrap().is_empty(),
        "A spoke for B: {:?}",
        log_a.lock().unwrap()
    );
    assert_eq!(
        b.ui.window.global::<kiosk::ui::Appearance>().get_language(),
        "zh-CN"
    );
    assert_eq!(a.ui.window.global::<kiosk::ui::Appearance>().get_language(), "en");

    // A's visitor walks away: A is wiped and silenced; B's visitor keeps their screen and voice.
    log_b.lock().unwrap().clear();
    a.ui.window.global::<Nav>().invoke_session_timeout();
    let l = log_a.clone();
    assert!(wait_until(move || l.lock().unwrap().contains(&Command::Silence)));
    assert_eq!(screen(&a), Screen::Home);
    assert_eq!(
        a.ui.window.global::<kiosk::ui::Appearance>().get_language(),
        "zh-CN"
    );
    assert_eq!(screen(&b), Screen::Help);
    assert!(
        log_b.lock().unwrap().is_empty(),
        "A's wipe reached B: {:?}",
        log_b.lock().unwrap()
    );
}
