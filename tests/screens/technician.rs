//! The visitor screen through Slint's testing backend, by accessible-id. Technician mode: five
//! taps in the corner open it, a wrong PIN is refused, the right one shows the checks; a test
//! page prints on the (fake serial) printer; the default volume is saved; a policy from a USB
//! folder is refused when bad (nothing changes) and screens from then on when good; Leave
//! returns a wiped visitor screen, and Ctrl+Alt+T opens it from the keyboard.

use crate::common;
use crate::ui;

use common::fake_printer::{Condition, FakePrinter};
use kiosk::config::Config;
use kiosk::ui::{
    CheckStatus, Nav, PinProblem, PrintState, Screen, Settings, TaskOutcome, TechnicianAdapter,
    WizardAdapter, WizardStep,
};
use slint::platform::Key;
use slint::{ComponentHandle, Model};
use ui::*;

const PIN: &str = "24680";

/// The yearly standard for 2026 as an office would send it on a stick.
const YEARLY: &str = r#"
[[standard]]
from = "2026-03-01"
monthly_per_capita = 2600
basis = "Decree 220 yearly standard"
source = "yearly notice, 2026"
"#;

fn adapter(k: &Kiosk) -> TechnicianAdapter<'_> {
    k.ui.window.global::<TechnicianAdapter>()
}

fn wait_for(k: &Kiosk, what: &str, cond: impl Fn(&TechnicianAdapter) -> bool + 'static) {
    let w = k.ui.window.as_weak();
    let met = wait_until(move || {
        w.upgrade()
            .is_some_and(|w| cond(&w.global::<TechnicianAdapter>()))
    });
    assert!(met, "technician mode: {what} did not happen");
}

/// From the home screen through the screening, "no" to every question and nothing ticked:
/// whether the household's size is asked tells whether a hardship standard covers today.
fn asks_household_size(k: &Kiosk) -> bool {
    tap(k, "home-screening");
    wait_for_screen(k, Screen::WizardMatter);
    tap(k, "matter-family_support");
    let mut asked = false;
    for _ in 0..10 {
        match screen(k) {
            Screen::WizardQuestion => tap(k, "answer-no"),
            Screen::WizardChecklist => tap(k, "checklist-continue"),
            Screen::WizardNumber => {
                asked = k.ui.window.global::<WizardAdapter>().get_step() == WizardStep::HouseholdSize;
                break;
            }
            _ => break,
        }
    }
    k.ui.window.global::<Nav>().invoke_session_timeout();
    wait_for_screen(k, Screen::Home);
    asked
}

pub fn technician_mode_from_the_corner_to_a_policy_import_and_back() {
    i_slint_backend_testing::init_integration_test_with_system_time();
    let fake = FakePrinter::start(Condition::Online);
    let usb = tempfile::tempdir().unwrap();
    let mut config = Config::default();
    config.printer.kind = kiosk::config::PrinterKind::Serial;
    config.printer.device = Some(fake.device.clone());
    config.technician.pin_hash = Some(kiosk::staff::hash_pin(PIN).unwrap());
    let roots = vec![usb.path().to_path_buf()];
    let k = kiosk_for_technician(config, true, hall_clock(), move |tools| {
        tools.import_roots = roots
    });
    assert!(!asks_household_size(&k), "no standard covers the test's day yet");

    // Four taps in the corner are nothing; the fifth within three seconds asks for the PIN.
    for _ in 0..4 {
        touch_at(&k, 1060.0, 20.0);
    }
    assert_eq!(screen(&k), Screen::Home);
    touch_at(&k, 1060.0, 20.0);
    assert_eq!(screen(&k), Screen::TechnicianPin);

    // A wrong PIN on the screen's keys: refused, with the attempts left; nothing of it shown.
    for key in [
        "technician-key-1",
        "technician-key-1",
        "technician-key-1",
        "technician-key-1",
    ] {
        tap(&k, key);
    }
    assert_eq!(adapter(&k).get_pin_dots(), "●●●●");
    tap(&k, "technician-pin-ok");
    wait_for(&k, "a refusal", |t| t.get_pin_problem() == PinProblem::Wrong);
    assert_eq!(adapter(&k).get_attempts_left(), 4);
    assert_eq!(adapter(&k).get_pin_length(), 0, "a refused PIN is cleared");
    find(&k, "technician-pin-problem");

    // The right one typed on a keyboard, Enter: the panel and the doctor's checks.
    type_keys(&k, PIN);
    press(&k, Key::Return);
    wait_for_screen(&k, Screen::Technician);
    wait_for(&k, "the checks", |t| {
        t.get_checks().row_count() > 5 && !t.get_checks_running()
    });
    let checks: Vec<_> = adapter(&k).get_checks().iter().collect();
    let status_of = |name: &str| checks.iter().find(|c| c.name == name).map(|c| c.status);
    assert_eq!(status_of("database"), Some(CheckStatus::Ok), "{checks:?}");
    assert_eq!(
        status_of("policy"),
        Some(CheckStatus::Warn),
        "no standard covers today"
    );
    assert!(
        status_of("printer").is_none(),
        "the print thread holds the port: not opened twice"
    );
    find(&k, "technician-check-database");

    // The findings in the panel's language: Chinese, English after the switch, and back.
    let policy_finding = |k: &Kiosk| {
        find(k, "technician-check-policy")
            .accessible_description()
            .unwrap_or_default()
            .to_string()
    };
    let chinese = policy_finding(&k);
    assert!(chinese.contains("没有适用的经济困难标准"), "{chinese}");
    tap(&k, "technician-language");
    let english = policy_finding(&k);
    assert!(
        english.contains("no hardship standard figure covers today"),
        "{english}"
    );
    tap(&k, "technician-language");
    assert_eq!(policy_finding(&k), chinese);
    wait_for(&k, "the printer's status", |t| {
        t.get_printer_status() == CheckStatus::Ok
    });
    assert_eq!(adapter(&k).get_terminal(), "kiosk-1");

    // A test page, through the print thread, decoded by the fake printer.
    tap(&k, "technician-page-1");
    tap(&k, "technician-test-print");
    wait_for(&k, "the test page", |t| {
        t.get_test_print_state() == PrintState::Printed
    });
    let printed = fake.take();
    assert!(
        printed.texts().iter().any(|t| t.contains("TEST PAGE")),
        "{:?}",
        printed.texts()
    );

    // The default volume: one step up, written to the provisioning file.
    tap(&k, "technician-volume-up");
    wait_for(&k, "the volume saved", |t| {
        t.get_volume_outcome() == TaskOutcome::Done
    });
    let saved = Config::from_file(&k.dir.path().join("config.toml")).unwrap();
    assert_eq!(saved.kiosk.default_volume, 6);

    // The stick: a misspelt policy and a good one.
    tap(&k, "technician-page-3");
    let folder = usb.path().join("HALL-STICK").join("legal-aid-kiosk");
    std::fs::create_dir_all(&folder).unwrap();
    std::fs::write(folder.join("policy-2026.toml"), YEARLY).unwrap();
    std::fs::write(
        folder.join("policy-typo.toml"),
        YEARLY.replace("basis =", "bassis ="),
    )
    .unwrap();
    tap(&k, "technician-find");
    wait_for(&k, "the search", |t| {
        t.get_searched() && t.get_found().row_count() == 2
    });
    let found: Vec<_> = adapter(&k)
        .get_found()
        .iter()
        .map(|f| f.path.to_string())
        .collect();
    assert!(found[1].ends_with("policy-typo.toml"), "{found:?}");

    tap(&k, "technician-install-1");
    wait_for(&k, "the refusal", |t| {
        t.get_import_outcome() == TaskOutcome::Refused
    });
    let why = adapter(&k).get_import_detail().en.to_string();
    assert!(why.contains("bassis"), "{why}");
    assert!(
        !k.dir.path().join("policy/current.toml").exists(),
        "a refused policy installs nothing"
    );
    assert!(!adapter(&k).get_policy_can_roll_back());

    tap(&k, "technician-install-0");
    wait_for(&k, "the install", |t| t.get_import_outcome() == TaskOutcome::Done);
    wait_for(&k, "the policy in force", |t| t.get_policy_can_roll_back());
    let source = adapter(&k).get_policy_source().zh.to_string();
    assert!(
        source.contains("policy-2026.toml") && source.contains("导入"),
        "{source}"
    );
    let standards: Vec<String> = adapter(&k)
        .get_policy_standards()
        .iter()
        .map(|s| s.zh.to_string())
        .collect();
    assert!(
        standards
            .iter()
            .any(|s| s.contains("2026-03-01") && s.contains("每人每月 2600 元")),
        "{standards:?}"
    );

    // Leave: the visitor screen again, at the new default volume, screening with the new policy.
    tap(&k, "technician-leave");
    wait_for_screen(&k, Screen::Home);
    assert_eq!(k.ui.window.global::<Settings>().get_volume(), 6);
    assert!(
        asks_household_size(&k),
        "the imported standard screens without a restart"
    );

    // Ctrl+Alt+T opens the PIN screen from the keyboard; Escape leaves it.
    chord(&k, &[Key::Control.into(), Key::Alt.into(), "t".into()]);
    assert_eq!(screen(&k), Screen::TechnicianPin);
    press(&k, Key::Escape);
    assert_eq!(screen(&k), Screen::Home);
}
