//! The visitor screen driven through Slint's testing backend, finding elements by accessible-id:
//! taking a ticket by touch in each language and by keys only, the session wipe after
//! inactivity, and a walk of every screen's accessibility tree.
//!
//! One test function: the Slint platform is per process and the UI lives on one thread.

mod common;
#[path = "common/ui.rs"]
mod ui;

use common::fake_printer::{Condition, FakePrinter};
use i_slint_backend_testing::{AccessibleRole, ElementHandle, ElementQuery};
use kiosk::config::Config;
use kiosk::lang::Lang;
use kiosk::queue_service::QueueService;
use kiosk::store::Store;
use kiosk::ui::{KioskUi, Nav, PreappAdapter, PrintState, Screen, Settings, StartMode, TicketAdapter};
use slint::ComponentHandle;
use slint::Model;
use slint::platform::Key;
use std::sync::Arc;
use ui::*;

fn ticket_languages(k: &Kiosk) -> Vec<(String, String)> {
    let store = Store::open_in(k.dir.path()).unwrap();
    let mut q = QueueService::new(
        store,
        Arc::new(Config::default()),
        Arc::new(kiosk::clock::SystemClock),
    )
    .unwrap();
    q.status()
        .unwrap()
        .tickets
        .into_iter()
        .map(|t| (t.number, t.language))
        .collect()
}

#[test]
fn visitor_screen_flows() {
    i_slint_backend_testing::init_integration_test_with_system_time();
    take_a_ticket_by_touch_in_each_language();
    take_a_ticket_with_keys_only();
    inactivity_wipes_language_volume_and_answers();
    every_interactive_element_has_role_label_and_id();
    help_returns_to_where_the_visitor_was();
    out_of_service_sends_visitors_to_staff();
    screening_wizard_leads_to_the_result_and_the_right_ticket();
    unsure_visitors_are_sent_to_staff();
    a_failed_print_keeps_the_number_and_can_be_printed_again();
    a_pre_application_is_sent_from_the_result_screen();
    the_screens_speak_and_calls_are_announced();
    sign_language_video_plays_beside_the_question();
}

fn a_pre_application_is_sent_from_the_result_screen() {
    let (k, receiver) = kiosk_with_agency(Config::default());

    // Legal advice needs no means test: the shortest way to a result.
    tap(&k, "home-screening");
    wait_for_screen(&k, Screen::WizardMatter);
    tap(&k, "matter-consultation");
    wait_for_screen(&k, Screen::WizardReview);
    tap(&k, "review-confirm");
    wait_for_screen(&k, Screen::WizardResult);
    tap(&k, "result-send");
    wait_for_screen(&k, Screen::PreappPhone);
    for d in "1381234567".chars() {
        tap(&k, &format!("preapp-key-{d}"));
    }
    tap(&k, "preapp-continue");
    find(&k, "preapp-error");
    tap(&k, "preapp-key-8");
    tap(&k, "preapp-continue");
    wait_for_screen(&k, Screen::PreappId);
    // A wrong check digit is caught; the right one (X) passes.
    for d in "110105194912310021".chars() {
        tap(&k, &format!("preapp-key-{d}"));
    }
    tap(&k, "preapp-continue");
    let error = find(&k, "preapp-error").accessible_label().unwrap();
    assert_eq!(
        error,
        kiosk::i18n::tr(
            Lang::ZhCn,
            "This ID number does not add up. Please check each digit."
        )
    );
    tap(&k, "preapp-key-delete");
    tap(&k, "preapp-key-x");
    tap(&k, "preapp-continue");
    wait_for_screen(&k, Screen::PreappConsent);
    tap(&k, "preapp-agree");
    let w = k.ui.window.as_weak();
    assert!(
        wait_until(move || w
            .upgrade()
            .is_some_and(|w| w.global::<PreappAdapter>().get_delivered())),
        "the office acknowledged it"
    );
    let reference = find(&k, "preapp-reference").accessible_label().unwrap();
    assert!(reference.starts_with("GZLA-"), "{reference}");
    assert_eq!(receiver.stats().accepted, 1);

    // The phone and ID numbers leave the terminal's files once acknowledged.
    let data = k.dir.path().to_path_buf();
    let gone = move || {
        std::fs::read_dir(&data).unwrap().all(|e| {
            let bytes = std::fs::read(e.unwrap().path()).unwrap_or_default();
            !bytes.windows(11).any(|w| w == b"13812345678")
        })
    };
    assert!(
        wait_until(gone),
        "the phone number is still in the data directory"
    );

    // The session wipe forgets everything typed.
    tap(&k, "preapp-done");
    wait_for_screen(&k, Screen::Home);
    assert_eq!(k.ui.window.global::<PreappAdapter>().get_reference(), "");
}

fn wait_print_state(k: &Kiosk, want: PrintState) {
    let w = k.ui.window.as_weak();
    let ok = wait_until(move || {
        w.upgrade()
            .is_some_and(|w| w.global::<TicketAdapter>().get_print_state() == want)
    });
    assert!(
        ok,
        "print state {:?}, expected {want:?}",
        k.ui.window.global::<TicketAdapter>().get_print_state()
    );
}

fn a_failed_print_keeps_the_number_and_can_be_printed_again() {
    let fake = FakePrinter::start(Condition::PaperEnd);
    let mut config = Config::default();
    config.printer.kind = kiosk::config::PrinterKind::Serial;
    config.printer.device = Some(fake.device.clone());
    let k = kiosk_printing(config, true);
    tap(&k, "home-take-ticket");
    wait_for_screen(&k, Screen::Service);
    tap(&k, "service-A");
    wait_for_screen(&k, Screen::Priority);
    tap(&k, "priority-none");
    wait_for_screen(&k, Screen::Confirmation);
    wait_print_state(&k, PrintState::Failed);
    let message = find(&k, "confirmation-print").accessible_label().unwrap();
    let expected = kiosk::i18n::tr(
        Lang::ZhCn,
        "The ticket could not be printed. Please write down your number; it is still valid.",
    );
    assert_eq!(message, expected);
    assert!(
        fake.take().items.is_empty(),
        "nothing printed while the paper is out"
    );
    let events =
        kiosk::printing::printer_attention(&mut Store::open_in(k.dir.path()).unwrap(), "kiosk-1").unwrap();
    assert_eq!(events.and_then(|e| e.problem).as_deref(), Some("paper_end"));

    // Paper loaded: "Print again" prints the same ticket.
    fake.set(Condition::Online);
    tap(&k, "confirmation-reprint");
    wait_print_state(&k, PrintState::Printed);
    let paper = fake.take();
    assert!(paper.texts().contains(&"A001".to_owned()), "{:?}", paper.texts());
    assert_eq!(paper.cuts(), 1);
    // The printer thread records the event before it reports to the screen.
    let open =
        kiosk::printing::printer_attention(&mut Store::open_in(k.dir.path()).unwrap(), "kiosk-1").unwrap();
    assert!(open.is_none(), "the printer recovered: {open:?}");
}

fn take_a_ticket_by_touch_in_each_language() {
    let k = kiosk_with(Config::default());
    let expected = [
        (Lang::ZhCn, "A001", "法律咨询"),
        (Lang::En, "A002", "Legal consultation"),
        (Lang::Ug, "A003", "قانۇن مەسلىھەتى"),
    ];
    for (lang, number, service_name) in expected {
        tap(&k, "home-language");
        wait_for_screen(&k, Screen::Language);
        tap(&k, &format!("language-{}", lang.code()));
        wait_for_screen(&k, Screen::Home);
        assert_eq!(k.ui.window.global::<Settings>().get_language(), lang.code());
        tap(&k, "home-take-ticket");
        wait_for_screen(&k, Screen::Service);
        tap(&k, "service-A");
        wait_for_screen(&k, Screen::Priority);
        tap(&k, "priority-none");
        wait_for_screen(&k, Screen::Confirmation);
        let t = k.ui.window.global::<TicketAdapter>();
        assert_eq!(t.get_number(), number);
        assert_eq!(t.get_service_name(), service_name);
        assert_eq!(
            find(&k, "confirmation-number").accessible_label().unwrap(),
            number
        );
        tap(&k, "confirmation-done");
        wait_for_screen(&k, Screen::Home);
    }
    let langs = ticket_languages(&k);
    assert_eq!(
        langs,
        vec![
            ("A001".into(), "zh-CN".into()),
            ("A002".into(), "en".into()),
            ("A003".into(), "ug".into())
        ],
        "each ticket is in the queue with its visitor's language"
    );
}

fn take_a_ticket_with_keys_only() {
    let k = kiosk_with(Config::default());
    // Home: focus starts on "Take a queue ticket".
    press(&k, Key::Return);
    wait_for_screen(&k, Screen::Service);
    // Move to the second service (B) and back up, then down again: B.
    press(&k, Key::DownArrow);
    press(&k, Key::DownArrow);
    press(&k, Key::UpArrow);
    assert_eq!(k.ui.window.global::<Nav>().get_focus_index(), 1);
    press(&k, Key::Return);
    wait_for_screen(&k, Screen::Priority);
    // Escape goes back to the services, Return chooses B again.
    press(&k, Key::Escape);
    wait_for_screen(&k, Screen::Service);
    press(&k, Key::DownArrow);
    press(&k, Key::Return);
    wait_for_screen(&k, Screen::Priority);
    // Second option: elderly.
    press(&k, Key::DownArrow);
    press(&k, Key::Return);
    wait_for_screen(&k, Screen::Confirmation);
    let t = k.ui.window.global::<TicketAdapter>();
    assert_eq!(t.get_number(), "B001");
    assert!(
        t.get_priority(),
        "the elderly option gives a green-channel ticket"
    );
    assert!(
        k.ui.window.global::<Nav>().get_keypad_active(),
        "focus rings are shown once keys are used"
    );
    press(&k, Key::Return);
    wait_for_screen(&k, Screen::Home);
}

fn inactivity_wipes_language_volume_and_answers() {
    let mut config = Config::default();
    config.kiosk.warn_after_seconds = 1;
    config.kiosk.countdown_seconds = 1;
    let k = kiosk_with(config);
    tap(&k, "home-language");
    tap(&k, "language-ug");
    wait_for_screen(&k, Screen::Home);
    tap(&k, "home-accessibility");
    wait_for_screen(&k, Screen::Accessibility);
    tap(&k, "a11y-volume-up");
    tap(&k, "a11y-large-text");
    tap(&k, "a11y-high-contrast");
    let settings = k.ui.window.global::<Settings>();
    assert_eq!(settings.get_volume(), 6);
    assert!(settings.get_large_text() && settings.get_high_contrast());
    tap(&k, "a11y-done");
    tap(&k, "home-take-ticket");
    tap(&k, "service-C");
    wait_for_screen(&k, Screen::Priority);
    assert_eq!(k.ui.window.global::<TicketAdapter>().get_chosen_service(), "C");
    // The warning appears first, with its countdown…
    let w = k.ui.window.as_weak();
    assert!(wait_until(move || w
        .upgrade()
        .is_some_and(|w| w.global::<Nav>().get_warning_shown())));
    find(&k, "inactivity-countdown");
    // …then the session is wiped back to the neutral state.
    wait_for_screen(&k, Screen::Home);
    let settings = k.ui.window.global::<Settings>();
    assert_eq!(settings.get_language(), "zh-CN");
    assert_eq!(settings.get_volume(), 5);
    assert!(!settings.get_large_text() && !settings.get_high_contrast() && !settings.get_low_reach());
    assert_eq!(k.ui.window.global::<TicketAdapter>().get_chosen_service(), "");

    // "More time" keeps the session.
    tap(&k, "home-take-ticket");
    wait_for_screen(&k, Screen::Service);
    let w = k.ui.window.as_weak();
    assert!(wait_until(move || w
        .upgrade()
        .is_some_and(|w| w.global::<Nav>().get_warning_shown())));
    tap(&k, "inactivity-more-time");
    assert!(!k.ui.window.global::<Nav>().get_warning_shown());
    assert_eq!(screen(&k), Screen::Service);
}

fn every_interactive_element_has_role_label_and_id() {
    let k = kiosk_with(Config::default());
    let screens = [
        Screen::Home,
        Screen::Language,
        Screen::Accessibility,
        Screen::Help,
        Screen::Service,
        Screen::Priority,
        Screen::Confirmation,
        Screen::WizardMatter,
        Screen::WizardQuestion,
        Screen::WizardChecklist,
        Screen::WizardNumber,
        Screen::WizardReview,
        Screen::WizardResult,
    ];
    let mut checked = 0;
    for s in screens {
        k.ui.window.global::<Nav>().set_screen(s);
        let w = k.ui.window.as_weak();
        assert!(wait_until(move || w
            .upgrade()
            .is_some_and(|w| w.global::<Nav>().get_screen() == s)));
        let interactive: Vec<ElementHandle> = ElementQuery::from_root(&k.ui.window)
            .match_descendants()
            .match_predicate(|e| {
                matches!(
                    e.accessible_role(),
                    Some(AccessibleRole::Button | AccessibleRole::Checkbox)
                )
            })
            .find_all();
        assert!(!interactive.is_empty(), "{s:?} has no interactive element");
        for e in interactive {
            let label = e.accessible_label().unwrap_or_default();
            let id = e.accessible_id().unwrap_or_default();
            assert!(!label.trim().is_empty(), "{s:?}: element {id:?} has no label");
            assert!(!id.is_empty(), "{s:?}: button '{label}' has no accessible-id");
            checked += 1;
        }
    }
    assert!(checked > 30, "{checked}");
}

fn help_returns_to_where_the_visitor_was() {
    let k = kiosk_with(Config::default());
    tap(&k, "home-take-ticket");
    wait_for_screen(&k, Screen::Service);
    press(&k, Key::F1);
    wait_for_screen(&k, Screen::Help);
    tap(&k, "help-done");
    wait_for_screen(&k, Screen::Service);
}

fn out_of_service_sends_visitors_to_staff() {
    let detail = "provisioning file: hall.id: 'gz-nowhere' is not one of the city's halls";
    let ui = KioskUi::new(
        Arc::new(Config::default()),
        StartMode::OutOfService(detail.into()),
        Arc::new(kiosk::clock::SystemClock),
    )
    .unwrap();
    ui.window.show().unwrap();
    let k = Kiosk {
        ui,
        dir: tempfile::tempdir().unwrap(),
    };
    assert_eq!(screen(&k), Screen::OutOfService);
    assert_eq!(
        find(&k, "out-of-service-detail").accessible_label().unwrap(),
        detail
    );
    // Back and Help are handled as the keys are dispatched; none may leave the screen.
    for key in [Key::Return, Key::Escape, Key::F1] {
        press(&k, key);
        assert_eq!(screen(&k), Screen::OutOfService);
    }
}

fn wizard_step(k: &Kiosk) -> String {
    k.ui.window
        .global::<kiosk::ui::WizardAdapter>()
        .get_step()
        .to_string()
}

fn screening_wizard_leads_to_the_result_and_the_right_ticket() {
    let mut config = Config::default();
    // A yearly standard covering today, so the means test can decide.
    config
        .policy
        .yearly_standard
        .push(kiosk::eligibility::ProvisionedStandard {
            from: "2026-03-01".parse().unwrap(),
            monthly_per_capita: 2600,
            source: None,
        });
    let k = kiosk_with(config);
    tap(&k, "home-screening");
    wait_for_screen(&k, Screen::WizardMatter);
    tap(&k, "matter-family_support");
    wait_for_screen(&k, Screen::WizardQuestion);
    assert_eq!(wizard_step(&k), "AlreadyRepresented");
    tap(&k, "answer-no");
    assert_eq!(wizard_step(&k), "CaseOutsideCity");
    tap(&k, "answer-no");
    wait_for_screen(&k, Screen::WizardChecklist);
    assert_eq!(wizard_step(&k), "Circumstances");
    tap(&k, "checklist-continue");
    wait_for_screen(&k, Screen::WizardQuestion);
    assert_eq!(wizard_step(&k), "HighValueAssets");
    tap(&k, "answer-no");
    wait_for_screen(&k, Screen::WizardNumber);
    assert_eq!(wizard_step(&k), "HouseholdSize");
    // 0 people is refused on the spot; then 3.
    tap(&k, "key-0");
    tap(&k, "key-ok");
    find(&k, "number-error");
    tap(&k, "key-delete");
    tap(&k, "key-3");
    assert_eq!(find(&k, "number-display").accessible_label().unwrap(), "3");
    tap(&k, "key-ok");
    assert_eq!(wizard_step(&k), "Income");
    // Back undoes the last answer: the household size is asked again.
    press(&k, Key::Escape);
    assert_eq!(wizard_step(&k), "HouseholdSize");
    tap(&k, "key-3");
    tap(&k, "key-ok");
    for key in ["key-4", "key-8", "key-0", "key-0", "key-ok"] {
        tap(&k, key);
    }
    wait_for_screen(&k, Screen::WizardQuestion);
    assert_eq!(wizard_step(&k), "DeadlineWithinAWeek");
    tap(&k, "answer-no");
    wait_for_screen(&k, Screen::WizardReview);
    assert_eq!(
        k.ui.window
            .global::<kiosk::ui::WizardAdapter>()
            .get_review()
            .row_count(),
        8,
        "the matter and seven answers"
    );
    tap(&k, "review-confirm");
    wait_for_screen(&k, Screen::WizardResult);
    let w = k.ui.window.global::<kiosk::ui::WizardAdapter>();
    assert_eq!(w.get_outcome(), "eligible", "4800 for 3 people is below 2600 × 3");
    find(&k, "result-reason-means_test_passed");
    assert_eq!(w.get_ticket_service(), "B");
    tap(&k, "result-take-ticket");
    wait_for_screen(&k, Screen::Priority);
    tap(&k, "priority-none");
    wait_for_screen(&k, Screen::Confirmation);
    assert_eq!(k.ui.window.global::<TicketAdapter>().get_number(), "B001");
}

fn unsure_visitors_are_sent_to_staff() {
    let k = kiosk_with(Config::default());
    tap(&k, "home-screening");
    wait_for_screen(&k, Screen::WizardMatter);
    tap(&k, "matter-unsure");
    wait_for_screen(&k, Screen::WizardResult);
    let w = k.ui.window.global::<kiosk::ui::WizardAdapter>();
    assert!(w.get_unsure());
    assert_eq!(
        w.get_ticket_service(),
        "A",
        "a free consultation, never a bare no"
    );
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

fn the_screens_speak_and_calls_are_announced() {
    use kiosk::speech::service::Command;
    use kiosk::speech::{Voice, catalogue, compose};
    let mut config = Config::default();
    config.kiosk.refresh_seconds = 1;
    // A yearly standard covering today, so the wizard asks its questions one after the other.
    config
        .policy
        .yearly_standard
        .push(kiosk::eligibility::ProvisionedStandard {
            from: "2026-03-01".parse().unwrap(),
            monthly_per_capita: 2600,
            source: None,
        });
    let (speech, log) = kiosk::speech::SpeechService::recorder();
    let k = kiosk_speaking(config.clone(), false, Some(speech.clone()));
    let config = Arc::new(config);
    let clock = Arc::new(kiosk::clock::SystemClock);
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
        data_dir: k.dir.path().to_path_buf(),
        config: config.clone(),
        clock: Arc::new(kiosk::clock::SystemClock),
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
    assert_eq!(wizard_step(&k), "CaseOutsideCity");
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

fn media_state(k: &Kiosk) -> kiosk::ui::MediaState {
    k.ui.window.global::<kiosk::ui::MediaAdapter>().get_state()
}

fn wait_for_media(k: &Kiosk, want: kiosk::ui::MediaState) {
    let w = k.ui.window.as_weak();
    let ok = wait_until(move || {
        w.upgrade()
            .is_some_and(|w| w.global::<kiosk::ui::MediaAdapter>().get_state() == want)
    });
    assert!(ok, "expected the video {want:?}, it is {:?}", media_state(k));
}

fn sign_language_video_plays_beside_the_question() {
    use kiosk::ui::MediaState;
    let k = kiosk_with(Config::default());
    kiosk::ui::media::enable(&k.ui.window, &kiosk::media::pack::shipped_dir()).unwrap();
    tap(&k, "home-accessibility");
    wait_for_screen(&k, Screen::Accessibility);
    tap(&k, "a11y-sign-video");
    assert!(k.ui.window.global::<Settings>().get_sign_video());
    tap(&k, "nav-back");
    wait_for_screen(&k, Screen::Home);
    tap(&k, "home-screening");
    wait_for_screen(&k, Screen::WizardMatter);
    find(&k, "sign-video");
    // Decoded frames reach the panel, with the prompt's caption in the visitor's language.
    wait_for_media(&k, MediaState::Playing);
    let ma = k.ui.window.global::<kiosk::ui::MediaAdapter>();
    let size = ma.get_frame().size();
    assert_eq!((size.width, size.height), kiosk::ui::media::FRAME_SIZE);
    assert_eq!(
        ma.get_caption(),
        kiosk::i18n::tr(Lang::ZhCn, "What do you need help with?")
    );
    tap(&k, "sign-video-pause");
    wait_for_media(&k, MediaState::Paused);
    tap(&k, "sign-video-pause");
    wait_for_media(&k, MediaState::Playing);
    // The next question plays its own clip: the caption follows.
    tap(&k, "matter-family_support");
    wait_for_screen(&k, Screen::WizardQuestion);
    find(&k, "sign-video");
    let w = k.ui.window.as_weak();
    let want = kiosk::i18n::tr(
        Lang::ZhCn,
        "Is a lawyer or someone else already acting for you in this matter?",
    );
    assert!(wait_until(move || w
        .upgrade()
        .is_some_and(
            |w| w.global::<kiosk::ui::MediaAdapter>().get_caption() == want
        )));
    wait_for_media(&k, MediaState::Playing);
    // The session wipe switches the video off.
    k.ui.window.global::<Nav>().invoke_session_timeout();
    find(&k, "home-screening");
    wait_for_media(&k, MediaState::Off);

    // A pack without the first prompt's clip: the panel says so and the screen still works.
    let pack = tempfile::tempdir().unwrap();
    let shipped = kiosk::media::pack::shipped_dir();
    let mut m: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(shipped.join("manifest.json")).unwrap()).unwrap();
    m["clips"].as_array_mut().unwrap().retain(|c| c["id"] != "Matter");
    std::fs::write(pack.path().join("manifest.json"), m.to_string()).unwrap();
    let k = kiosk_with(Config::default());
    kiosk::ui::media::enable(&k.ui.window, pack.path()).unwrap();
    k.ui.window.global::<Settings>().set_sign_video(true);
    tap(&k, "home-screening");
    wait_for_screen(&k, Screen::WizardMatter);
    find(&k, "sign-video-missing");
    wait_for_media(&k, MediaState::Missing);
    tap(&k, "matter-family_support");
    wait_for_screen(&k, Screen::WizardQuestion);
}
