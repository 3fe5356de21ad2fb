//! Technician mode's screens for `kiosk screenshot` (`technician-*.png`): the PIN screen after a
//! wrong PIN and each page of the panel with sample findings, in Chinese and English.

use super::technician::{TechnicianWindow, line, lines};
use super::{
    CheckStatus, ImportItem, ImportKind, KioskWindow, Nav, PinProblem, PrintState, Screen, TaskOutcome,
    TechLine, TechnicianAdapter, TechnicianCheck, TechnicianView,
};
use crate::i18n::TechText;
use crate::tech;
use slint::{ComponentHandle, ModelRc, VecModel};

/// What a technician might find on a terminal whose printer paper runs low and whose office
/// refused one pre-application (the doctor's own sentences, so both languages show).
pub(super) fn sample_checks() -> Vec<TechnicianCheck> {
    let row = |name: &str, status, details: &[TechText]| TechnicianCheck {
        name: name.into(),
        status,
        detail: lines(details),
    };
    vec![
        row(
            "config",
            CheckStatus::Ok,
            &[tech!(
                "{0} is valid (hall {1}, terminal {2})",
                "/etc/legal-aid-kiosk/config.toml",
                "gz-tianhe",
                "kiosk-1"
            )],
        ),
        row(
            "database",
            CheckStatus::Ok,
            &[tech!(
                "{0}: integrity ok, WAL, synchronous=FULL, schema {1}",
                "/var/lib/legal-aid-kiosk/queue.db",
                9
            )],
        ),
        row(
            "disk",
            CheckStatus::Ok,
            &[tech!("{0} MiB free in {1}", 41225, "/var/lib/legal-aid-kiosk")],
        ),
        row(
            "clock",
            CheckStatus::Ok,
            &[tech!(
                "{0} ({1}), business day {2}",
                "2026-12-01 10:00:00 CST",
                "Asia/Shanghai",
                "2026-12-01"
            )],
        ),
        row(
            "policy",
            CheckStatus::Warn,
            &[
                tech!("shipped policy"),
                tech!(
                    "no hardship standard figure covers today ({0}): means-tested screenings are referred to staff",
                    "2026-12-01"
                ),
            ],
        ),
        row(
            "audio",
            CheckStatus::Ok,
            &[tech!(
                "voice packs in {0} complete",
                "/usr/share/legal-aid-kiosk/voice"
            )],
        ),
        row(
            "media",
            CheckStatus::Warn,
            &[tech!(
                "{0} clips are synthetic placeholders: import the office's recordings with `kiosk media import DIR`",
                11
            )],
        ),
        row(
            "agency",
            CheckStatus::Warn,
            &[
                tech!("outbox: {0} pending, {1} delivered, {2} dead", 0, 12, 1),
                tech!("see `kiosk outbox status`, fix the cause, then `kiosk outbox retry-dead`"),
            ],
        ),
        row(
            "hall",
            CheckStatus::Ok,
            &[tech!(
                "connected to the hall host {0} over mutual TLS",
                "https://192.168.10.2:8443"
            )],
        ),
    ]
}

/// Technician mode open over a staff window (the counter console's shot), with the checks, in
/// `lang`; `close_overlay` puts it away again.
pub(super) fn open_overlay<W: TechnicianWindow>(ui: &W, terminal: &str, lang: crate::lang::Lang) {
    ui.set_language(lang);
    let t = ui.technician();
    t.set_full_panel(false);
    t.set_terminal(terminal.into());
    t.set_checks(ModelRc::new(VecModel::from(sample_checks())));
    t.set_page(0);
    t.set_view(TechnicianView::Panel);
}

pub(super) fn close_overlay<W: TechnicianWindow>(ui: &W) {
    ui.technician().set_view(TechnicianView::Closed);
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
    t.set_printer_detail(line(&tech!(
        "{0}: paper is running low; have a new roll ready",
        "serial printer /dev/ttyUSB0 at 115200 baud"
    )));
    t.set_test_print_state(PrintState::Printed);
    t.set_sound_status(CheckStatus::Ok);
    t.set_sound_detail(line(&tech!(
        "sound output open; {0} clips ready in the voice packs",
        1243
    )));
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

    t.set_policy_source(line(&tech!(
        "imported {0} from {1}",
        "2026-03-02T09:12:40Z",
        "/media/kiosk/HALL-STICK/legal-aid-kiosk/policy-2026.toml"
    )));
    let standards: Vec<TechLine> = [
        ("2025-03-01", 2500, "enterprise monthly minimum wage"),
        ("2026-03-01", 2600, "Decree 220 yearly standard"),
    ]
    .iter()
    .map(|(from, yuan, basis)| {
        line(&tech!(
            "from {0}: {1} yuan per person per month ({2})",
            from,
            yuan,
            basis
        ))
    })
    .collect();
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
    t.set_import_detail(line(&TechText::as_is(
        "standard[1] has an unknown key \"bassis\"; nothing was installed",
    )));
    t.set_page(3);
    shot("technician-policy")?;

    // Back to an empty panel for the next language.
    t.set_found(ModelRc::default());
    t.set_searched(false);
    t.set_import_outcome(TaskOutcome::None);
    t.set_import_detail(TechLine::default());
    t.set_volume_outcome(TaskOutcome::None);
    t.set_test_print_state(PrintState::None);
    t.set_page(0);
    Ok(())
}
