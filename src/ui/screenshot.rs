//! `kiosk screenshot`: every screen rendered headless with Slint's software renderer into PNGs,
//! for each language, theme and size asked for. No display, GPU or system font is needed.

use super::speech::Guide;
use super::visitor::wipe_session;
use super::{
    Appearance, ChecklistItem, HomeAdapter, Keypad, KioskWindow, Nav, NowServing, OutOfServiceAdapter,
    PreappAdapter, PrintState, ReviewRow, Screen, ServiceItem, Settings, TicketAdapter, WizardAdapter,
};
use crate::config::Config;
use crate::lang::Lang;
use slint::platform::software_renderer::{MinimalSoftwareWindow, RepaintBufferType};
use slint::platform::{Platform, WindowAdapter};
use slint::{ComponentHandle, ModelRc, PhysicalSize, Rgb8Pixel, SharedPixelBuffer, SharedString, VecModel};
use std::path::{Path, PathBuf};
use std::rc::Rc;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Theme {
    Normal,
    Large,
    Contrast,
    /// Not a colour theme: the low-reach layout for wheelchair users, in normal colours.
    LowReach,
}

impl Theme {
    pub const ALL: [Theme; 4] = [Theme::Normal, Theme::Large, Theme::Contrast, Theme::LowReach];
    pub fn name(self) -> &'static str {
        match self {
            Theme::Normal => "normal",
            Theme::Large => "large",
            Theme::Contrast => "contrast",
            Theme::LowReach => "low-reach",
        }
    }
}

impl std::str::FromStr for Theme {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        Self::ALL
            .into_iter()
            .find(|t| t.name() == s)
            .ok_or_else(|| format!("unknown theme '{s}'; use normal, large, contrast or low-reach"))
    }
}

/// Every screen with the state it is shown in.
pub const SCREENS: [(&str, Screen); 18] = [
    ("home", Screen::Home),
    ("language", Screen::Language),
    ("accessibility", Screen::Accessibility),
    ("help", Screen::Help),
    ("service", Screen::Service),
    ("priority", Screen::Priority),
    ("confirmation", Screen::Confirmation),
    ("out-of-service", Screen::OutOfService),
    ("wizard-matter", Screen::WizardMatter),
    ("wizard-question", Screen::WizardQuestion),
    ("wizard-checklist", Screen::WizardChecklist),
    ("wizard-number", Screen::WizardNumber),
    ("wizard-review", Screen::WizardReview),
    ("wizard-result", Screen::WizardResult),
    ("preapp-phone", Screen::PreappPhone),
    ("preapp-id", Screen::PreappId),
    ("preapp-consent", Screen::PreappConsent),
    ("preapp-done", Screen::PreappDone),
];

/// A platform with no display: each window is a software-rendered buffer.
struct HeadlessPlatform;

thread_local! {
    /// The window the platform made last (for the component being created).
    static LAST_WINDOW: std::cell::RefCell<Option<Rc<MinimalSoftwareWindow>>> =
        const { std::cell::RefCell::new(None) };
}

impl Platform for HeadlessPlatform {
    fn create_window_adapter(&self) -> Result<Rc<dyn WindowAdapter>, slint::PlatformError> {
        let window = MinimalSoftwareWindow::new(RepaintBufferType::NewBuffer);
        LAST_WINDOW.with(|w| *w.borrow_mut() = Some(window.clone()));
        Ok(window)
    }
}

/// Creates a component on the headless platform (set up on first use) and shows it; its window.
pub fn headless<T: ComponentHandle>(
    make: impl FnOnce() -> Result<T, slint::PlatformError>,
) -> Result<(Rc<MinimalSoftwareWindow>, T), String> {
    static PLATFORM: std::sync::Once = std::sync::Once::new();
    let mut set = Ok(());
    PLATFORM.call_once(|| set = slint::platform::set_platform(Box::new(HeadlessPlatform)));
    set.map_err(|e| format!("cannot set up headless rendering: {e}"))?;
    super::fonts::register_bundled_fonts();
    let ui = make().map_err(|e| e.to_string())?;
    ui.show().map_err(|e| e.to_string())?;
    let window = LAST_WINDOW
        .with(|w| w.borrow_mut().take())
        .ok_or("the headless platform made no window")?;
    Ok((window, ui))
}

/// The visitor screen's sizes when none is asked for: portrait and landscape full HD.
pub const SIZES: [(u32, u32); 2] = [(1080, 1920), (1920, 1080)];

pub struct Request {
    pub out: PathBuf,
    pub langs: Vec<Lang>,
    pub themes: Vec<Theme>,
    pub sizes: Vec<(u32, u32)>,
    /// Extra state, e.g. "inactivity" to draw the warning over a screen.
    pub overlays: bool,
}

/// The kiosk window on a headless software-rendered platform (once per process).
/// Its spoken guide only collects (`screen_guides` reads what it would say).
fn headless_kiosk() -> Result<(Rc<MinimalSoftwareWindow>, KioskWindow, Rc<Guide>), String> {
    let (window, ui) = headless(KioskWindow::new)?;
    let guide = super::speech::wire(&ui, None);
    ui.global::<Nav>().set_inactivity_clock(false);
    Ok((window, ui, guide))
}

/// Renders one full frame into `buffer` (the window repaints everything each time).
pub fn render_frame(window: &MinimalSoftwareWindow, buffer: &mut SharedPixelBuffer<Rgb8Pixel>) {
    let stride = buffer.width() as usize;
    slint::platform::update_timers_and_animations();
    window.request_redraw();
    window.draw_if_needed(|renderer| {
        renderer.render(buffer.make_mut_slice(), stride);
    });
}

/// Renders and writes the PNGs; returns the files written.
pub fn render_all(config: &Config, req: &Request) -> Result<Vec<PathBuf>, String> {
    std::fs::create_dir_all(&req.out).map_err(|e| format!("cannot create {}: {e}", req.out.display()))?;
    let (window, ui, guide) = headless_kiosk()?;
    let mut written = Vec::new();
    for &(w, h) in &req.sizes {
        window.set_size(PhysicalSize::new(w, h));
        for &lang in &req.langs {
            for &theme in &req.themes {
                // Each picture is named `<what>-<language>-<theme>-<size>.png`.
                let mut shot = |what: &str| -> Result<(), String> {
                    let file = req
                        .out
                        .join(format!("{what}-{}-{}-{w}x{h}.png", lang.code(), theme.name()));
                    take_shot(&window, Shown::Kiosk(&ui), (w, h), &file)?;
                    written.push(file);
                    Ok(())
                };
                for (name, screen) in SCREENS {
                    prepare(&ui, &guide, config, lang, theme, screen);
                    shot(name)?;
                }
                for (outcome, sample) in &OUTCOME_SAMPLES[1..] {
                    prepare(&ui, &guide, config, lang, theme, Screen::WizardResult);
                    show_sample_result(&ui, &guide, config, lang, *sample);
                    shot(&format!("wizard-result-{outcome}"))?;
                }
                if req.overlays {
                    prepare(&ui, &guide, config, lang, theme, Screen::Priority);
                    ui.global::<Keypad>()
                        .set_idle_seconds(ui.global::<Nav>().get_warn_after_seconds() + 5);
                    shot("inactivity")?;
                    // The ticket that could not be printed: a larger number and "Print again".
                    prepare(&ui, &guide, config, lang, theme, Screen::Confirmation);
                    let t = ui.global::<TicketAdapter>();
                    t.set_can_print(true);
                    t.set_print_state(PrintState::Failed);
                    shot("confirmation-print-failed")?;
                    // The queue (the hall host) could not be reached when the visitor asked.
                    prepare(&ui, &guide, config, lang, theme, Screen::Priority);
                    ui.global::<TicketAdapter>()
                        .set_issue_problem(super::QueueProblem::Unavailable);
                    shot("priority-queue-unavailable")?;
                    // A lobby kiosk whose hall host cannot be reached: no tickets here for now.
                    prepare(&ui, &guide, config, lang, theme, Screen::Home);
                    let home = ui.global::<HomeAdapter>();
                    home.set_tickets_unavailable(true);
                    home.set_main_kiosk_elsewhere(true);
                    shot("home-tickets-unavailable")?;
                    home.set_tickets_unavailable(false);
                    home.set_main_kiosk_elsewhere(false);
                    // The longest question, to see that it fits in every theme.
                    prepare(&ui, &guide, config, lang, theme, Screen::WizardQuestion);
                    let deadline = crate::eligibility::wizard::Step::DeadlineWithinAWeek;
                    let wa = ui.global::<WizardAdapter>();
                    wa.set_step(super::wizard::to_slint(deadline));
                    wa.set_step_prompt(deadline.name().into());
                    shot("wizard-question-deadline")?;
                    // Technician mode, for technicians in Chinese or English.
                    if lang != Lang::Ug && theme == Theme::Normal {
                        prepare(&ui, &guide, config, lang, theme, Screen::Home);
                        super::technician_shots::render(&ui, &mut shot)?;
                    }
                    // The sign-language panel beside two questions, with a real decoded frame.
                    for (name, screen) in [
                        ("wizard-matter", Screen::WizardMatter),
                        ("wizard-question", Screen::WizardQuestion),
                    ] {
                        prepare(&ui, &guide, config, lang, theme, screen);
                        show_sign_video(
                            &ui,
                            lang,
                            if screen == Screen::WizardMatter {
                                "Matter"
                            } else {
                                "AlreadyRepresented"
                            },
                        );
                        shot(&format!("{name}-sign-video"))?;
                    }
                }
            }
        }
    }
    Ok(written)
}

/// The panel as it looks while a clip plays: the clip's first frame and its caption.
fn show_sign_video(ui: &KioskWindow, lang: Lang, prompt: &str) {
    use super::{MediaAdapter, MediaState};
    use crate::media::pack::{Manifest, caption_of, shipped_dir};
    ui.global::<Settings>().set_sign_video(true);
    let ma = ui.global::<MediaAdapter>();
    ma.set_caption(
        caption_of(prompt)
            .map(|c| crate::i18n::tr(lang, c))
            .unwrap_or_default()
            .into(),
    );
    let dir = shipped_dir();
    let frame = Manifest::read(&dir).ok().and_then(|m| {
        let clip = m.clip(prompt)?;
        let (w, h) = super::media::FRAME_SIZE;
        crate::media::decode::first_frame(&dir.join(&clip.file), w, h).ok()
    });
    match frame {
        Some(f) => {
            let buffer =
                slint::SharedPixelBuffer::<slint::Rgba8Pixel>::clone_from_slice(&f.rgba, f.width, f.height);
            ma.set_frame(slint::Image::from_rgba8(buffer));
            ma.set_state(MediaState::Playing);
        }
        None => ma.set_state(MediaState::Missing),
    }
}

/// What the spoken guide says on each screen `name` (see `SCREENS`) in each language, with the
/// sample data of the screenshots: the same path as the kiosk, collected instead of played.
pub fn screen_guides(
    config: &Config,
    wanted: &[(&str, Lang)],
) -> Result<Vec<Vec<crate::speech::Part>>, String> {
    let (window, ui, guide) = headless_kiosk()?;
    window.set_size(PhysicalSize::new(1080, 1920));
    let mut buffer = SharedPixelBuffer::<Rgb8Pixel>::new(1080, 1920);
    let mut guides = Vec::new();
    for &(name, lang) in wanted {
        let screen = SCREENS
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, s)| *s)
            .ok_or_else(|| {
                let names: Vec<&str> = SCREENS.iter().map(|(n, _)| *n).collect();
                format!("unknown screen '{name}'; use one of {}", names.join(", "))
            })?;
        prepare(&ui, &guide, config, lang, Theme::Normal, screen);
        if screen == Screen::Confirmation {
            let t = ui.global::<TicketAdapter>();
            let detail =
                super::speech::ticket_detail(lang, &t.get_number(), &t.get_service_name(), 3, Some(25));
            guide.set_detail(screen, detail);
        }
        render_frame(&window, &mut buffer);
        guides.push(guide.flush(&ui));
    }
    Ok(guides)
}

/// Measurements for docs/measurements.md: time to the first rendered frame and full-frame render times.
pub struct FrameTimes {
    pub first_frame_ms: f64,
    pub full_frame_p50_ms: f64,
    pub full_frame_p95_ms: f64,
}

/// Renders the home screen `frames` times at the given size, each a full repaint.
pub fn measure_frames(config: &Config, (w, h): (u32, u32), frames: usize) -> Result<FrameTimes, String> {
    let start = std::time::Instant::now();
    let (window, ui, guide) = headless_kiosk()?;
    window.set_size(PhysicalSize::new(w, h));
    prepare(&ui, &guide, config, Lang::ZhCn, Theme::Normal, Screen::Home);
    let mut buffer = SharedPixelBuffer::<Rgb8Pixel>::new(w, h);
    render_frame(&window, &mut buffer);
    let first_frame_ms = start.elapsed().as_secs_f64() * 1000.0;
    let (full_frame_p50_ms, full_frame_p95_ms) = time_frames(&window, &mut buffer, frames, |_| {});
    Ok(FrameTimes {
        first_frame_ms,
        full_frame_p50_ms,
        full_frame_p95_ms,
    })
}

/// Renders `frames` full frames, calling `before` ahead of each; the p50 and p95 in ms.
pub fn time_frames(
    window: &MinimalSoftwareWindow,
    buffer: &mut SharedPixelBuffer<Rgb8Pixel>,
    frames: usize,
    mut before: impl FnMut(usize),
) -> (f64, f64) {
    let mut times: Vec<f64> = (0..frames)
        .map(|i| {
            before(i);
            let t = std::time::Instant::now();
            render_frame(window, buffer);
            t.elapsed().as_secs_f64() * 1000.0
        })
        .collect();
    times.sort_by(f64::total_cmp);
    let at = |q: f64| {
        times
            .get(((times.len().max(1) - 1) as f64 * q) as usize)
            .copied()
            .unwrap_or(0.0)
    };
    (at(0.5), at(0.95))
}

/// Puts the window into a screen with representative sample data.
fn prepare(ui: &KioskWindow, guide: &Guide, config: &Config, lang: Lang, theme: Theme, screen: Screen) {
    wipe_session(ui, config, guide);
    let looks = ui.global::<Appearance>();
    looks.set_language(lang.code().into());
    let _ = slint::select_bundled_translation(lang.code());
    looks.set_large_text(theme == Theme::Large);
    looks.set_high_contrast(theme == Theme::Contrast);
    let settings = ui.global::<Settings>();
    settings.set_low_reach(theme == Theme::LowReach);
    ui.global::<HomeAdapter>()
        .set_hall_name(config.hall_names().get(lang).into());
    let counters: Vec<NowServing> = config
        .counters
        .iter()
        .take(3)
        .zip(["A012", "B004", "D007"])
        .map(|(c, n)| NowServing {
            number: n.into(),
            counter: c.name.get(lang).into(),
        })
        .collect();
    ui.global::<HomeAdapter>()
        .set_now_serving(ModelRc::new(VecModel::from(counters)));
    let services: Vec<ServiceItem> = config
        .services
        .iter()
        .enumerate()
        .map(|(i, s)| ServiceItem {
            code: s.code.to_string().into(),
            name: s.name.get(lang).into(),
            pictogram: config.pictogram(s.code).into(),
            waiting: [3, 0, 1, 6, 2][i % 5],
            wait_minutes: [10, 0, 20, 45, 5][i % 5],
            wait_known: i != 2,
            priority_allowed: s.priority_allowed,
        })
        .collect();
    let first = services.first().map(|s| s.name.clone()).unwrap_or_default();
    let t = ui.global::<TicketAdapter>();
    t.set_services(ModelRc::new(VecModel::from(services)));
    t.set_chosen_service("A".into());
    t.set_chosen_service_name(first.clone());
    t.set_number("A012".into());
    t.set_service_name(first);
    t.set_people_ahead(3);
    t.set_wait_minutes(25);
    t.set_wait_known(true);
    t.set_priority(false);
    t.set_can_print(true);
    t.set_print_state(PrintState::Printed);
    ui.global::<WizardAdapter>().set_can_print(true);
    // Sample contact entry: a mistyped ID number shows its message (only there: the samples
    // share one window, and the phone screen is drawn again after the ID screen at each size).
    let pa = ui.global::<PreappAdapter>();
    pa.set_available(true);
    pa.set_error(super::ContactProblem::None);
    match screen {
        Screen::PreappPhone => pa.set_entry("13812345678".into()),
        Screen::PreappId => {
            pa.set_entry("110105194912310021".into());
            pa.set_error(super::ContactProblem::IdCheckDigit);
        }
        Screen::PreappDone => {
            pa.set_reference("GZLA-00000042".into());
            pa.set_delivered(true);
        }
        _ => {}
    }
    ui.global::<OutOfServiceAdapter>().set_technician_detail(
        "provisioning file: hall.id: 'gz-nowhere' is not one of the city's halls".into(),
    );
    prepare_wizard(ui, guide, config, lang);
    use crate::eligibility::wizard::Step;
    let step = match screen {
        Screen::WizardQuestion => Step::AlreadyRepresented,
        Screen::WizardNumber => Step::Income,
        _ => Step::Circumstances,
    };
    let wa = ui.global::<WizardAdapter>();
    wa.set_step(super::wizard::to_slint(step));
    wa.set_step_prompt(step.name().into());
    ui.global::<Nav>().set_screen(screen);
    ui.global::<Keypad>().set_idle_seconds(0);
}

/// One sample screening per outcome, for the result screen (name, matter, income, circumstance, date).
type Sample = (
    crate::eligibility::Matter,
    u64,
    Option<crate::eligibility::Circumstance>,
    (i32, u32, u32),
);

const OUTCOME_SAMPLES: [(&str, Sample); 5] = {
    use crate::eligibility::{Circumstance as C, Matter as M};
    [
        (
            "eligible",
            (M::FamilySupport, 4800, Some(C::Elderly), (2025, 7, 1)),
        ),
        ("not_eligible", (M::OtherCivil, 4800, None, (2025, 7, 1))),
        (
            "exempt_from_means_test",
            (M::LabourRemuneration, 9000, Some(C::MigrantWorker), (2025, 7, 1)),
        ),
        (
            "state_appoints_counsel",
            (M::CriminalDefence, 9000, Some(C::Minor), (2025, 7, 1)),
        ),
        ("refer_to_staff", (M::FamilySupport, 4800, None, (2026, 5, 1))),
    ]
};

fn show_sample_result(
    ui: &KioskWindow,
    guide: &Guide,
    config: &Config,
    lang: Lang,
    (matter, income, circumstance, (y, m, d)): Sample,
) {
    use crate::eligibility::{Policy, ScreeningInput, screen};
    let input = ScreeningInput {
        date: chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default(),
        matter,
        household_size: 3,
        household_monthly_income: income,
        circumstances: circumstance.into_iter().collect(),
        criminal_role: None,
        already_represented: false,
        case_outside_guangzhou: false,
        days_to_deadline: Some(3),
        has_high_value_assets: false,
        language: lang,
    };
    if let Ok(policy) = Policy::shipped() {
        super::wizard::fill_result(ui, &screen(&policy, &input), config, guide);
    }
}

/// A sample screening (a family-support claim, household of 3 earning 4800 a month, in July 2025)
/// through the real engine, so the result screen shows what a visitor would see.
fn prepare_wizard(ui: &KioskWindow, guide: &Guide, config: &Config, lang: Lang) {
    use crate::eligibility::Circumstance;
    let w = ui.global::<WizardAdapter>();
    let checklist: Vec<ChecklistItem> = [
        Circumstance::SocialAssistance,
        Circumstance::MigrantWorker,
        Circumstance::Elderly,
        Circumstance::NoFixedIncome,
    ]
    .iter()
    .enumerate()
    .map(|(i, c)| ChecklistItem {
        code: c.code().into(),
        checked: i == 2,
    })
    .collect();
    w.set_checklist(ModelRc::new(VecModel::from(checklist)));
    w.set_number("4800".into());
    use super::AnswerKind;
    use crate::eligibility::wizard::Step;
    let row = |step: Step, kind: AnswerKind, flag: bool, value: &str, items: &[&str]| ReviewRow {
        step: super::wizard::to_slint(step),
        name: step.name().into(),
        kind,
        flag,
        value: value.into(),
        items: ModelRc::new(VecModel::from(
            items.iter().map(|i| SharedString::from(*i)).collect::<Vec<_>>(),
        )),
    };
    w.set_review(ModelRc::new(VecModel::from(vec![
        row(Step::Matter, AnswerKind::Matter, false, "family_support", &[]),
        row(Step::AlreadyRepresented, AnswerKind::YesNo, false, "", &[]),
        row(Step::Circumstances, AnswerKind::List, false, "", &["elderly"]),
        row(Step::HouseholdSize, AnswerKind::Number, false, "3", &[]),
        row(Step::Income, AnswerKind::Number, false, "4800", &[]),
    ])));
    show_sample_result(ui, guide, config, lang, OUTCOME_SAMPLES[0].1);
    w.set_unsure(false);
}

/// The window a screenshot shows, for checks that walk its elements (the layout test).
pub enum Shown<'a> {
    Kiosk(&'a KioskWindow),
    Display(&'a super::DisplayWindow),
    Counter(&'a super::CounterWindow),
    Evaluator(&'a super::EvaluatorWindow),
}

type Inspector = Box<dyn FnMut(&Path, (u32, u32), Shown<'_>) -> Result<(), String>>;

thread_local! {
    /// The inspector, and whether the pictures are drawn and written as well.
    static INSPECTOR: std::cell::RefCell<Option<(Inspector, bool)>> = const { std::cell::RefCell::new(None) };
}

/// Has `inspect` called with each screenshot's file name, size and window as it is taken (this
/// thread's renders), so a test can look at the elements of every screen the screenshots show;
/// its error ends the run. Without `write_files` nothing is drawn or written: the elements are
/// laid out all the same, and a run over every screenshot takes a fraction of the time.
pub fn inspect_each_shot(
    write_files: bool,
    inspect: impl FnMut(&Path, (u32, u32), Shown<'_>) -> Result<(), String> + 'static,
) {
    INSPECTOR.with(|i| *i.borrow_mut() = Some((Box::new(inspect), write_files)));
}

/// One screenshot: the window drawn into `file` (PNG), then shown to the inspector if there is
/// one (which may ask for it laid out only, not drawn).
pub(super) fn take_shot(
    window: &MinimalSoftwareWindow,
    shown: Shown<'_>,
    (w, h): (u32, u32),
    file: &Path,
) -> Result<(), String> {
    INSPECTOR.with(|i| match i.borrow_mut().as_mut() {
        Some((inspect, write_files)) => {
            if *write_files {
                write_png(window, w, h, file)?;
            } else {
                // What drawing does besides drawing: timers and changed-handlers run.
                slint::platform::update_timers_and_animations();
            }
            inspect(file, (w, h), shown)
        }
        None => write_png(window, w, h, file),
    })
}

fn write_png(window: &MinimalSoftwareWindow, w: u32, h: u32, file: &Path) -> Result<(), String> {
    let mut buffer = SharedPixelBuffer::<Rgb8Pixel>::new(w, h);
    render_frame(window, &mut buffer);
    let f = std::fs::File::create(file).map_err(|e| format!("cannot write {}: {e}", file.display()))?;
    let mut encoder = png::Encoder::new(std::io::BufWriter::new(f), w, h);
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    let mut writer = encoder.write_header().map_err(|e| e.to_string())?;
    writer
        .write_image_data(buffer.as_bytes())
        .map_err(|e| format!("cannot encode {}: {e}", file.display()))?;
    Ok(())
}
