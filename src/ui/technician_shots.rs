//! Technician mode's screens for `kiosk screenshot` (`technician-*.png`): the PIN screen after a
//! wrong PIN and each page of the panel with sample findings, in Chinese and English.

use super::{
    CheckStatus, ImportItem, ImportKind, KioskWindow, Nav, PinProblem, PrintState, Screen, TaskOutcome,
    TechnicianAdapter, TechnicianCheck,
};
use slint::{ComponentHandle, ModelRc, SharedString, VecModel};

/// What a technician might find on a terminal whose printer paper runs low and whose office
/// refused one pre-application.
fn sample_checks() -> Vec<TechnicianCheck> {
    let row = |name: &str, status, detail: &str| TechnicianCheck {
        name: name.into(),
        status,
        detail: detail.into(),
    };
    vec![
        row(
            "config",
            CheckStatus::Ok,
            "/etc/legal-aid-kiosk/config.toml is valid (hall gz-tianhe, terminal kiosk-1)",
        ),
        row(
            "database",
            CheckStatus::Ok,
            "/var/lib/legal-aid-kiosk/queue.db: integrity ok, WAL, synchronous=FULL, schema 9",
        ),
        row(
            "disk",
            CheckStatus::Ok,
            "41225 MiB free in /var/lib/legal-aid-kiosk",
        ),
        row(
            "clock",
            CheckStatus::Ok,
            "2026-12-01 10:00:00 CST (Asia/Shanghai), business day 2026-12-01",
        ),
        row(
            "policy",
            CheckStatus::Warn,
            "no hardship standard figure covers today (2026-12-01, shipped policy): means-tested screenings are referred to staff — import this year's policy with `kiosk policy import FILE`",
        ),
        row(
            "audio",
            CheckStatus::Ok,
            "voice packs in /usr/share/legal-aid-kiosk/voice complete",
        ),
        row(
            "media",
            CheckStatus::Warn,
            "11 clips are synthetic placeholders: import the office's recordings with `kiosk media import DIR`",
        ),
        row(
            "agency",
            CheckStatus::Warn,
            "outbox: 0 pending, 12 delivered, 1 dead: see `kiosk outbox status`, fix the cause, then `kiosk outbox retry-dead`",
        ),
        row(
            "hall",
            CheckStatus::Ok,
            "this is the hall host; the hall API listens on 0.0.0.0:8443",
        ),
    ]
}

/// Renders the technician screens through `shot` (named `technician-<what>`).
pub(super) fn render(
    ui: &KioskWindow,
    shot: &mut dyn FnMut(&str) -> Result<(), String>,
) -> Result<(), String> {
    let t = ui.global::<TechnicianAdapter>();
    let nav = ui.global::<Nav>();
    nav.set_screen(Screen::TechnicianPin);
    t.set_pin_length(3);
    t.set_pin_dots("●●●".into());
    t.set_pin_problem(PinProblem::Wrong);
    t.set_attempts_left(3);
    shot("technician-pin")?;
    t.set_pin_length(0);
    t.set_pin_problem(PinProblem::None);

    nav.set_screen(Screen::Technician);
    t.set_terminal("kiosk-1".into());
    t.set_checks(ModelRc::new(VecModel::from(sample_checks())));
    t.set_page(0);
    shot("technician-checks")?;

    t.set_has_printer(true);
    t.set_printer_status(CheckStatus::Warn);
    t.set_printer_detail(
        "serial printer /dev/ttyUSB0 at 115200 baud: paper is running low; have a new roll ready".into(),
    );
    t.set_test_print_state(PrintState::Printed);
    t.set_sound_status(CheckStatus::Ok);
    t.set_sound_detail("sound output open; 1243 clips loaded (3050 s of speech)".into());
    t.set_default_volume(6);
    t.set_volume_outcome(TaskOutcome::Done);
    t.set_page(1);
    shot("technician-devices")?;

    t.set_has_outbox(true);
    t.set_outbox_pending(0);
    t.set_outbox_delivered(12);
    t.set_outbox_dead(1);
    t.set_page(2);
    shot("technician-outbox")?;

    t.set_policy_source(
        "imported 2026-03-02T09:12:40Z from /media/kiosk/HALL-STICK/legal-aid-kiosk/policy-2026.toml".into(),
    );
    let standards: Vec<SharedString> = [
        "from 2025-03-01: 2500 yuan per person per month (enterprise monthly minimum wage)",
        "from 2026-03-01: 2600 yuan per person per month (Decree 220 yearly standard)",
    ]
    .map(SharedString::from)
    .to_vec();
    t.set_policy_standards(ModelRc::new(VecModel::from(standards)));
    t.set_policy_can_roll_back(true);
    t.set_searched(true);
    let found = vec![
        ImportItem {
            kind: ImportKind::Policy,
            path: "/media/kiosk/HALL-STICK/legal-aid-kiosk/policy-2027.toml".into(),
        },
        ImportItem {
            kind: ImportKind::SignPack,
            path: "/media/kiosk/HALL-STICK/legal-aid-kiosk/sign-language".into(),
        },
        ImportItem {
            kind: ImportKind::VoicePacks,
            path: "/media/kiosk/HALL-STICK/legal-aid-kiosk/voice".into(),
        },
    ];
    t.set_found(ModelRc::new(VecModel::from(found)));
    t.set_import_outcome(TaskOutcome::Refused);
    t.set_import_detail("standard[1] has an unknown key \"bassis\"; nothing was installed".into());
    t.set_page(3);
    shot("technician-policy")?;

    // Back to an empty panel for the next language.
    t.set_found(ModelRc::default());
    t.set_searched(false);
    t.set_import_outcome(TaskOutcome::None);
    t.set_import_detail("".into());
    t.set_volume_outcome(TaskOutcome::None);
    t.set_test_print_state(PrintState::None);
    t.set_page(0);
    Ok(())
}
