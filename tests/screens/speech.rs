//! The visitor screen through Slint's testing backend, by accessible-id. What the kiosk asks to be said: prompts, choices, focus, the ticket, Repeat, volume, a counter's call, echoed digits, a refused number, silence after a wipe.

use crate::ui;

use kiosk::config::Config;
use kiosk::queue_service::QueueService;
use kiosk::ui::{Nav, Screen, Settings};
use kiosk_store::Store;
use slint::ComponentHandle;
use slint::platform::Key;
use std::sync::Arc;
use ui::*;

fn wizard_step(k: &Kiosk) -> kiosk::ui::WizardStep {
    k.ui.window.global::<kiosk::ui::WizardAdapter>().get_step()
}

type SpeechLog = std::sync::Arc<std::sync::Mutex<Vec<kiosk::speech::service::Command>>>;

/// Waits until the speech log holds a command that `want` accepts; returns it.
fn wait_for_speech(
    log: &SpeechLog,
    what: &str,
    want: impl Fn(&kiosk::speech::service::Command) -> bool + 'static,
) -> kiosk::speech::service::Command {
    let l = log.clone();
    let found = wait_until(move || l.lock().unwrap().iter().any(&want));
    assert!(found, "nothing said for {what}; said: {:?}", log.lock().unwrap());
    let last = log.lock().unwrap().last().cloned().unwrap();
    log.lock().unwrap().clear();
    last
}

fn guide_texts(command: &kiosk::speech::service::Command) -> Vec<String> {
    use kiosk::speech::{Part, service::Command};
    let (Command::Guide(parts) | Command::Say(parts)) = command else {
        return Vec::new();
    };
    parts
        .iter()
        .filter_map(|p| match p {
            Part::Text { text, .. } => Some(text.clone()),
            Part::Clip { id, .. } => Some(id.clone()),
            _ => None,
        })
        .collect()
}

pub fn the_screens_speak_and_calls_are_announced() {
    i_slint_backend_testing::init_integration_test_with_system_time();
    use kiosk::speech::service::Command;
    use kiosk::speech::{Voice, catalogue, compose};
    let mut config = with_standard_for_today(Config::default());
    config.kiosk.refresh_seconds = 1;
    let (speech, log) = kiosk::speech::SpeechService::recorder();
    let k = kiosk_speaking(config.clone(), false, Some(speech.clone()));
    let config = Arc::new(config);
    let clock = hall_clock();
    log.lock().unwrap().clear();

    // Entering a screen reads its prompt, then its choices in keypad order. (The testing
    // backend draws nothing, so `find` stands in for the frame that builds the new screen.)
    tap(&k, "home-take-ticket");
    wait_for_screen(&k, Screen::Service);
    find(&k, "service-A");
    let said = wait_for_speech(&log, "the service screen", |c| matches!(c, Command::Guide(_)));
    let texts = guide_texts(&said);
    let mut expected = vec![
        catalogue::message_id("Which service do you need?"),
        catalogue::message_id("Not sure? Choose legal consultation — it is free."),
    ];
    expected.extend(config.services.iter().map(|s| s.name.zh.clone()));
    assert_eq!(texts, expected);

    // Keypad focus reads the focused choice.
    press(&k, Key::DownArrow);
    let said = wait_for_speech(&log, "keypad focus", |c| matches!(c, Command::Guide(_)));
    assert_eq!(guide_texts(&said)[0], config.services[1].name.zh);

    // The confirmation screen reads the ticket: number digit by digit, service, people ahead.
    press(&k, Key::UpArrow);
    tap(&k, "service-A");
    wait_for_screen(&k, Screen::Priority);
    tap(&k, "priority-none");
    wait_for_screen(&k, Screen::Confirmation);
    find(&k, "nav-help");
    let said = wait_for_speech(&log, "the ticket", |c| {
        guide_texts(c).iter().any(|t| t == &catalogue::letter_id('A'))
    });
    let texts = guide_texts(&said);
    let number_at = texts.iter().position(|t| t == "letter-a").unwrap();
    assert_eq!(
        texts[number_at..number_at + 4],
        ["letter-a", "num-0", "num-0", "num-1"]
    );
    assert_eq!(
        texts[number_at + 4],
        catalogue::name_id(&config.services[0].name.zh)
    );
    assert!(texts.contains(&catalogue::message_id("You are next.")));

    // The Repeat key says the guide again; the volume goes to the speaker.
    press(&k, "r");
    wait_for_speech(&log, "Repeat", |c| *c == Command::Repeat);
    k.ui.window.global::<Settings>().invoke_set_volume(8);
    wait_for_speech(&log, "volume", |c| *c == Command::Volume(8));

    // A counter calls the ticket from its own console: the hall host service (which `kiosk run`
    // starts beside the window) announces it through the kiosk's speakers in zh, yue, en.
    let host = kiosk::hall_host::HallHost::start(kiosk::hall_host::HostOptions {
        api: Default::default(),
        data_dir: k.dir.path().to_path_buf(),
        config: config.clone(),
        clock: hall_clock(),
        agency: None,
        announcer: Some(speech.clone()),
    })
    .unwrap();
    assert!(host.wait_until_leading(std::time::Duration::from_secs(10)));
    let mut counter_console =
        QueueService::new(Store::open_in(k.dir.path()).unwrap(), config.clone(), clock).unwrap();
    let called = counter_console.call_next(2).unwrap().called.unwrap();
    let want = compose::call(&called.number, 2, &[Voice::Zh, Voice::Yue, Voice::En]);
    let said = wait_for_speech(&log, "the call", |c| matches!(c, Command::Announce(_)));
    assert_eq!(said, Command::Announce(want));
    drop(host);

    // Typed digits are echoed and a refused number is said.
    tap(&k, "confirmation-done");
    wait_for_screen(&k, Screen::Home);
    tap(&k, "home-screening");
    wait_for_screen(&k, Screen::WizardMatter);
    tap(&k, "matter-family_support");
    wait_for_screen(&k, Screen::WizardQuestion);
    log.lock().unwrap().clear();
    tap(&k, "answer-no");
    find(&k, "answer-no");
    // A new question on the same screen is read with the same Yes / No choices.
    let said = wait_for_speech(&log, "the next question", |c| matches!(c, Command::Guide(_)));
    assert_eq!(wizard_step(&k), kiosk::ui::WizardStep::CaseOutsideCity);
    let texts = guide_texts(&said);
    assert_eq!(
        texts[1..],
        [catalogue::message_id("Yes"), catalogue::message_id("No")]
    );
    tap(&k, "answer-no");
    wait_for_screen(&k, Screen::WizardChecklist);
    tap(&k, "checklist-continue");
    wait_for_screen(&k, Screen::WizardQuestion);
    tap(&k, "answer-no");
    wait_for_screen(&k, Screen::WizardNumber);
    log.lock().unwrap().clear();
    tap(&k, "key-0");
    let said = wait_for_speech(&log, "the typed digit", |c| matches!(c, Command::Say(_)));
    assert_eq!(guide_texts(&said), ["num-0"]);
    tap(&k, "key-ok");
    let said = wait_for_speech(&log, "the error", |c| matches!(c, Command::Say(_)));
    assert_eq!(
        guide_texts(&said),
        [catalogue::message_id("Please enter a number from 1 to 30.")]
    );

    // Inactivity wipes the session: silence, the volume back to normal, and no home-screen talk.
    k.ui.window.global::<Nav>().invoke_session_timeout();
    let l = log.clone();
    assert!(wait_until(move || l
        .lock()
        .unwrap()
        .contains(&Command::Volume(5))));
    let after = log.lock().unwrap().clone();
    assert!(after.contains(&Command::Silence));
    assert!(!after.iter().any(|c| matches!(c, Command::Guide(_))), "{after:?}");
}
