//! The counter console rendered headless (`kiosk screenshot`): sign-in, serving, idle, paused,
//! transfer, call-a-number and the hall host unreachable, in Chinese and English, as
//! `counter-<state>-<lang>-<W>x<H>.png`. The samples are a counter view as the hall host sends
//! it; the window is drawn by the live console's own code (`counter::show_preview`).

use super::counter::{Preview, preview_key, preview_note, show_preview};
use super::screenshot::{Shown, headless, take_shot};
use super::{ConsoleNote, CounterAdapter, CounterWindow};
use crate::clock::{Clock, ManualClock};
use crate::config::Config;
use crate::lang::Lang;
use crate::queue::{PriorityReason, TicketState};
use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use kiosk_contract::{CounterStatus, CounterView, ScreeningNote, ServiceWait, SignedIn, TicketView};
use kiosk_roles::console::Key;
use slint::{ComponentHandle, PhysicalSize};
use std::path::{Path, PathBuf};
use std::sync::Arc;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sample {
    SignIn,
    SignInLocked,
    Serving,
    Idle,
    Paused,
    Transfer,
    CallNumber,
    Unreachable,
}

impl Sample {
    pub const ALL: [Sample; 8] = [
        Self::SignIn,
        Self::SignInLocked,
        Self::Serving,
        Self::Idle,
        Self::Paused,
        Self::Transfer,
        Self::CallNumber,
        Self::Unreachable,
    ];

    fn name(self) -> &'static str {
        match self {
            Self::SignIn => "sign-in",
            Self::SignInLocked => "sign-in-locked",
            Self::Serving => "serving",
            Self::Idle => "idle",
            Self::Paused => "paused",
            Self::Transfer => "transfer",
            Self::CallNumber => "call-number",
            Self::Unreachable => "host-unreachable",
        }
    }
}

/// The console's sizes: the default desk monitor and a larger one.
pub const SIZES: [(u32, u32); 2] = [(1280, 800), (1920, 1080)];

fn sample_time() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 1, 2, 30, 0).unwrap()
}

fn ticket(number: &str, language: &str, priority: Option<PriorityReason>, minutes_ago: i64) -> TicketView {
    let now = sample_time();
    TicketView {
        id: number.into(),
        number: number.into(),
        service: number[..1]
            .parse()
            .unwrap_or_else(|_| "A".parse().expect("A is a service code")),
        service_name: String::new(),
        priority,
        state: TicketState::Waiting,
        language: language.into(),
        business_day: NaiveDate::from_ymd_opt(2026, 12, 1).unwrap_or_default(),
        issued_at: now - Duration::minutes(minutes_ago),
        counter: None,
        called_at: None,
        recalls: 0,
        people_ahead: None,
        estimated_wait_minutes: None,
    }
}

fn sample_view(config: &Config, serving: bool, paused: bool) -> CounterView {
    let now = sample_time();
    let counter = config.counters.first();
    let mut current = ticket("A012", "ug", Some(PriorityReason::Elderly), 25);
    current.state = TicketState::Called;
    current.counter = Some(1);
    current.called_at = Some(now - Duration::seconds(192));
    let mut skipped = ticket("A009", "zh-CN", None, 40);
    skipped.state = TicketState::NoShow;
    skipped.called_at = Some(now - Duration::minutes(6));
    let services = counter.map(|c| c.services.clone()).unwrap_or_default();
    CounterView {
        business_day: now.date_naive(),
        now,
        current_screening: serving.then(|| ScreeningNote {
            outcome: "eligible".into(),
            matter: "labour_remuneration".into(),
        }),
        counter: CounterStatus {
            id: counter.map_or(1, |c| c.id),
            name: String::new(),
            paused,
            services: services.clone(),
            current: serving.then_some(current),
        },
        staff: Some("S017".into()),
        next: vec![
            ticket("A013", "zh-CN", Some(PriorityReason::Disabled), 21),
            ticket("A014", "en", None, 18),
            ticket("B004", "zh-CN", None, 12),
            ticket("A015", "ug", None, 4),
        ],
        services: services
            .iter()
            .enumerate()
            .map(|(i, code)| ServiceWait {
                code: *code,
                name: String::new(),
                waiting: [3, 1, 0][i.min(2)],
                priority_waiting: usize::from(i == 0),
                longest_wait_minutes: [Some(21), Some(12), None][i.min(2)],
            })
            .collect(),
        rejoinable: vec![skipped],
        served_today: 14,
        average_service_minutes: Some(6.5),
        printers_needing_attention: Vec::new(),
        agency_undeliverable: 0,
    }
}

fn show(ui: &CounterWindow, config: &Arc<Config>, sample: Sample, english: bool) {
    let signed = SignedIn {
        staff: "S017".into(),
        name: if english {
            "Wang Fang".into()
        } else {
            "王芳".into()
        },
        counter: 1,
        session: String::new(),
    };
    let preview = |signed: Option<SignedIn>, view: Option<CounterView>, reachable: bool| Preview {
        counter: config.counters.first().map_or(1, |c| c.id),
        config: config.clone(),
        clock: Arc::new(ManualClock::new(sample_time())) as Arc<dyn Clock>,
        english,
        signed,
        view,
        reachable,
    };
    match sample {
        Sample::SignIn => show_preview(ui, preview(None, None, true)),
        Sample::SignInLocked => {
            show_preview(ui, preview(None, None, true));
            let a = ui.global::<CounterAdapter>();
            a.set_locked_minutes(4);
            a.set_sign_in_problem(2);
        }
        Sample::Serving => {
            show_preview(
                ui,
                preview(Some(signed), Some(sample_view(config, true, false)), true),
            );
            preview_note(ui, ConsoleNote::Called, "A012", "");
        }
        Sample::Idle => show_preview(
            ui,
            preview(Some(signed), Some(sample_view(config, false, false)), true),
        ),
        Sample::Paused => {
            show_preview(
                ui,
                preview(Some(signed), Some(sample_view(config, false, true)), true),
            );
            preview_note(ui, ConsoleNote::Paused, "", "");
        }
        Sample::Transfer => {
            let view = || Some(sample_view(config, true, false));
            show_preview(ui, preview(Some(signed.clone()), view(), true));
            preview_key(ui, preview(Some(signed), view(), true), Key::Transfer);
        }
        Sample::CallNumber => {
            let view = || Some(sample_view(config, false, false));
            show_preview(ui, preview(Some(signed.clone()), view(), true));
            preview_key(ui, preview(Some(signed), view(), true), Key::CallNumber);
        }
        Sample::Unreachable => {
            show_preview(
                ui,
                preview(Some(signed), Some(sample_view(config, true, false)), false),
            );
            preview_note(ui, ConsoleNote::Unreachable, "", "");
        }
    }
}

/// Writes every state in Chinese and English at each size; the files written.
pub fn render_all(config: &Config, out: &Path, sizes: &[(u32, u32)]) -> Result<Vec<PathBuf>, String> {
    let (window, ui) = headless(CounterWindow::new)?;
    let config = Arc::new(config.clone());
    let mut written = Vec::new();
    for &(w, h) in sizes {
        window.set_size(PhysicalSize::new(w, h));
        for (english, lang) in [(false, "zh-CN"), (true, "en")] {
            for sample in Sample::ALL {
                show(&ui, &config, sample, english);
                let file = out.join(format!("counter-{}-{lang}-{w}x{h}.png", sample.name()));
                take_shot(&window, Shown::Counter(&ui), (w, h), &file)?;
                written.push(file);
            }
            // Technician mode over the console (Ctrl+Alt+T), with the checks.
            show(&ui, &config, Sample::SignIn, english);
            let language = if english { Lang::En } else { Lang::ZhCn };
            super::technician_shots::open_overlay(&ui, "counter-1", language);
            let file = out.join(format!("counter-technician-{lang}-{w}x{h}.png"));
            let saved = take_shot(&window, Shown::Counter(&ui), (w, h), &file);
            super::technician_shots::close_overlay(&ui);
            saved?;
            written.push(file);
        }
    }
    Ok(written)
}

/// The rating screen's states: idle, the question, the reasons (one chosen; none chosen and
/// Send tapped) and the thanks, each in the three languages (`evaluator-<state>-<lang>.png`).
pub fn render_evaluator(config: &Config, out: &Path) -> Result<Vec<PathBuf>, String> {
    use crate::queue::{RatingLevel, RatingReason};
    use kiosk_contract::{EventKind, HallEvent};
    use kiosk_roles::rating::Evaluator;
    let (window, ui) = headless(crate::ui::EvaluatorWindow::new)?;
    let (w, h) = (1024, 600);
    window.set_size(PhysicalSize::new(w, h));
    let config = Arc::new(config.clone());
    let now = sample_time();
    let counter = config.counters.first().map_or(1, |c| c.id);
    let clock: Arc<dyn Clock> = Arc::new(ManualClock::new(now));
    let mut written = Vec::new();
    let mut save = |name: String, e: Evaluator| -> Result<(), String> {
        crate::ui::evaluator::show_preview(&ui, config.clone(), clock.clone(), e);
        let file = out.join(format!("evaluator-{name}-{w}x{h}.png"));
        take_shot(&window, Shown::Evaluator(&ui), (w, h), &file)?;
        written.push(file);
        Ok(())
    };
    save("idle".into(), Evaluator::new(counter, now))?;
    for lang in crate::lang::Lang::ALL {
        let asked = || {
            let mut e = Evaluator::new(counter, now);
            e.on_event(
                &HallEvent {
                    seq: 1,
                    at: now,
                    business_day: now.date_naive(),
                    event: EventKind::Complete,
                    ticket_id: Some("sample".into()),
                    number: Some("A012".into()),
                    service: "A".parse().ok(),
                    counter: Some(counter),
                    language: Some(lang.code().into()),
                },
                now,
            );
            e
        };
        save(format!("asking-{}", lang.code()), asked())?;
        let mut reasons = asked();
        reasons.choose(RatingLevel::Dissatisfied, now);
        reasons.toggle(RatingReason::Waiting, now);
        save(format!("reasons-{}", lang.code()), reasons)?;
        let mut reminded = asked();
        reminded.choose(RatingLevel::VeryDissatisfied, now);
        reminded.send(now);
        save(format!("reasons-reminder-{}", lang.code()), reminded)?;
        let mut thanks = asked();
        thanks.choose(RatingLevel::VerySatisfied, now);
        save(format!("thanks-{}", lang.code()), thanks)?;
    }
    Ok(written)
}
