//! The calling display rendered headless: `kiosk screenshot` writes it in each state and size
//! (`display-*.png`), and `kiosk bench display` times its frames. The sample boards are made the
//! way the live display makes them, by feeding a `Board` stream items.

use super::display::{self as screen, DisplayNames};
use super::screenshot::{Shown, headless, render_frame, take_shot, time_frames};
use super::{DisplayAdapter, DisplayWindow};
use crate::config::Config;
use crate::lang::Names;
use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use kiosk_contract::{EventKind, HallEvent, HallSummary, ServiceStatus, TicketView};
use kiosk_core::queue::TicketState;
use kiosk_roles::display_board::{Board, Input};
use slint::platform::software_renderer::MinimalSoftwareWindow;
use slint::{ComponentHandle, PhysicalSize, Rgb8Pixel, SharedPixelBuffer};
use std::path::{Path, PathBuf};
use std::rc::Rc;

/// The wall screen's sizes: landscape 1080p, portrait, 4K.
pub const SIZES: [(u32, u32); 3] = [(1920, 1080), (1080, 1920), (3840, 2160)];

/// The states screenshots show.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sample {
    /// A call just made, flashing, with earlier calls listed.
    Call,
    /// A visitor called again.
    Recall,
    /// A call for a visitor who took the ticket in Uyghur.
    Uyghur,
    /// Nothing called yet today.
    Empty,
    /// A notice too long for one line (scrolling).
    LongNotice,
    /// The hall host unreachable: the calls stay, nothing is highlighted.
    Lost,
}

impl Sample {
    pub const ALL: [Sample; 6] = [
        Sample::Call,
        Sample::Recall,
        Sample::Uyghur,
        Sample::Empty,
        Sample::LongNotice,
        Sample::Lost,
    ];

    fn name(self) -> &'static str {
        match self {
            Sample::Call => "call",
            Sample::Recall => "recall",
            Sample::Uyghur => "uyghur",
            Sample::Empty => "empty",
            Sample::LongNotice => "long-notice",
            Sample::Lost => "connection-lost",
        }
    }
}

fn day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 12, 1).unwrap_or_default()
}

/// 10:24 in Guangzhou.
pub fn sample_time() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 1, 2, 24, 0)
        .single()
        .unwrap_or_default()
}

fn call(seq: u64, kind: EventKind, number: &str, counter: u32, language: &str) -> Input {
    Input::Event(Box::new(HallEvent {
        seq,
        at: sample_time() - Duration::seconds(2),
        business_day: day(),
        event: kind,
        ticket_id: Some(format!("sample-{number}")),
        number: Some(number.into()),
        service: number.get(..1).and_then(|l| l.parse().ok()),
        counter: Some(counter),
        language: Some(language.into()),
    }))
}

/// The hall at 10:24: calls made so far and the waiting counts, as the host's snapshot says.
fn sample_summary(config: &Config, with_calls: bool) -> HallSummary {
    let earlier = [
        ("A009", 1),
        ("B004", 4),
        ("A008", 2),
        ("C002", 5),
        ("A007", 1),
        ("B003", 4),
        ("A006", 3),
    ];
    let recent_calls = earlier
        .iter()
        .enumerate()
        .filter(|_| with_calls)
        .filter_map(|(i, (number, counter))| {
            Some(TicketView {
                id: format!("sample-{number}"),
                number: (*number).into(),
                service: number.get(..1)?.parse().ok()?,
                service_name: String::new(),
                priority: None,
                state: TicketState::Called,
                language: "zh-CN".into(),
                business_day: day(),
                issued_at: sample_time() - Duration::minutes(60),
                counter: Some(*counter),
                called_at: Some(sample_time() - Duration::minutes(3 * (i as i64 + 1))),
                recalls: 0,
                people_ahead: None,
                estimated_wait_minutes: None,
            })
        })
        .collect();
    let services = config
        .services
        .iter()
        .zip([12usize, 5, 3, 0, 7, 2])
        .map(|(s, waiting)| ServiceStatus {
            code: s.code,
            name: s.name.zh.clone(),
            waiting: if with_calls { waiting } else { 0 },
            priority_waiting: 0,
            no_show: 0,
            open_counters: 1,
            typical_service_minutes: s.default_service_minutes,
            estimated_wait_minutes: None,
        })
        .collect();
    HallSummary {
        business_day: day(),
        now: sample_time(),
        services,
        counters: Vec::new(),
        recent_calls,
        cursor: 100,
    }
}

/// The board in a sample state.
pub fn sample_board(config: &Config, sample: Sample) -> Board {
    let now = sample_time();
    let mut board = Board::new();
    board.apply(Input::Connected, now);
    let summary = sample_summary(config, sample != Sample::Empty);
    board.apply(Input::Snapshot(Box::new(summary)), now);
    match sample {
        Sample::Empty => {}
        Sample::Uyghur => {
            board.apply(call(101, EventKind::Call, "A010", 2, "ug"), now);
        }
        Sample::Recall => {
            board.apply(call(101, EventKind::Call, "A010", 3, "zh-CN"), now);
            board.apply(call(102, EventKind::Recall, "B004", 4, "en"), now);
        }
        Sample::Call | Sample::LongNotice | Sample::Lost => {
            board.apply(call(101, EventKind::Call, "A010", 3, "zh-CN"), now);
        }
    }
    if sample == Sample::Lost {
        board.apply(Input::Lost("sample".into()), now);
    }
    board
}

/// The configuration with a sample notice (a long one for `LongNotice`).
fn with_notice(config: &Config, sample: Sample) -> Config {
    let mut config = config.clone();
    config.display.notice = Some(if sample == Sample::LongNotice {
        Names::new(
            "温馨提示：法律援助免费。请凭身份证件到窗口办理；如需手语、少数民族语言翻译或无障碍服务，请告诉工作人员，我们会优先为您安排。",
            "Legal aid is free. Please bring your ID to the counter; if you need sign language, an interpreter or step-free help, tell any member of staff and we will arrange it first.",
            "ھەقسىز قانۇن ياردىمى. كىملىكىڭىزنى ئېلىپ كۆزنەككە كېلىڭ؛ ئىشارەت تىلى ياكى تەرجىمان لازىم بولسا خادىملارغا ئېيتىڭ.",
        )
    } else {
        Names::new(
            "法律援助免费，请凭号码到窗口办理",
            "Legal aid is free; please wait for your number",
            "قانۇن ياردىمى ھەقسىز",
        )
    });
    config
}

/// A headless display window showing `sample`.
pub fn sample_window(
    config: &Config,
    sample: Sample,
) -> Result<(Rc<MinimalSoftwareWindow>, DisplayWindow), String> {
    let (window, ui) = headless(DisplayWindow::new)?;
    show_sample(&ui, config, sample);
    Ok((window, ui))
}

fn show_sample(ui: &DisplayWindow, config: &Config, sample: Sample) {
    let config = with_notice(config, sample);
    let names = DisplayNames::from_config(&config);
    screen::prepare(ui, &names);
    screen::show_time(ui, sample_time(), &config);
    screen::show_board(ui, &sample_board(&config, sample), &names);
}

/// Writes every state at every size (or only `sizes`); the files written.
pub fn render_all(config: &Config, out: &Path, sizes: &[(u32, u32)]) -> Result<Vec<PathBuf>, String> {
    let (window, ui) = headless(DisplayWindow::new)?;
    let mut written = Vec::new();
    for &(w, h) in sizes {
        window.set_size(PhysicalSize::new(w, h));
        for sample in Sample::ALL {
            show_sample(&ui, config, sample);
            let file = out.join(format!("display-{}-{w}x{h}.png", sample.name()));
            take_shot(&window, Shown::Display(&ui), (w, h), &file)?;
            written.push(file);
        }
    }
    Ok(written)
}

/// Full-frame render times of the display with a fresh call, at `size`: (p50, p95) in ms.
pub fn frame_times(config: &Config, (w, h): (u32, u32), frames: usize) -> Result<(f64, f64), String> {
    let (window, ui) = sample_window(config, Sample::Call)?;
    window.set_size(PhysicalSize::new(w, h));
    let mut buffer = SharedPixelBuffer::<Rgb8Pixel>::new(w, h);
    render_frame(&window, &mut buffer);
    let adapter = ui.global::<DisplayAdapter>();
    // Each frame a flash step, as the screen draws while a call flashes.
    Ok(time_frames(&window, &mut buffer, frames, |i| {
        adapter.set_highlighted(i % 2 == 0)
    }))
}
