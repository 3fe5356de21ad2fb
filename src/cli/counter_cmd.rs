//! `kiosk counter`, the staff's counter console, and `kiosk evaluator`, the visitors' rating
//! screen facing them. On a terminal enrolled with `--role counter` (or `evaluator`) they work
//! through the hall API; on the hall host (a desk beside the server) through the database.

use super::kiosk_ui::{parse_size, run_window, technician_tools};
use super::{CmdResult, Context, Failure};
use crate::config::Role;
use crate::ui::CounterWindow;
use crate::ui::counter::{ConsoleOptions, start_console};
use clap::Args;
use std::sync::Arc;

#[derive(Args, Debug, Default)]
pub struct CounterArgs {
    /// The counter this console serves (default: the hall's first counter).
    #[arg(long, value_name = "N")]
    counter: Option<u32>,
    /// Start in English (staff can switch on the sign-in screen).
    #[arg(long)]
    english: bool,
    /// A normal window instead of full screen.
    #[arg(long)]
    windowed: bool,
    /// Window size (default 1280x800; 1920x1080 fits a larger desk monitor).
    #[arg(long, value_name = "WxH", value_parser = parse_size)]
    size: Option<(u32, u32)>,
}

pub fn run(ctx: &Context, args: CounterArgs) -> CmdResult {
    let (config, _) = ctx.load_config()?;
    if !matches!(config.terminal.role, Role::Counter | Role::HallHost) {
        return Err(Failure::bad_input(format!(
            "this terminal is a {:?}; the counter console runs on a terminal enrolled with \
             `--role counter` (or on the hall host)",
            config.terminal.role
        )));
    }
    let counter = match args.counter {
        Some(c) if config.counter(c).is_none() => {
            return Err(Failure::bad_input(format!(
                "this hall has no counter {c}; see `kiosk provision --show`"
            )));
        }
        Some(c) => c,
        None => config.counters.first().map(|c| c.id).ok_or_else(|| {
            Failure::bad_input("this hall has no counters; add one with `kiosk provision --counter`")
        })?,
    };
    let queue = ctx.hall_queue()?;
    let window = crate::ui::fonts::start_windowing()
        .and_then(|()| CounterWindow::new())
        .map_err(|e| super::no_window("the counter console", &e))?;
    let console = start_console(
        &window,
        ConsoleOptions {
            counter,
            queue,
            config: Arc::new(config.clone()),
            clock: ctx.clock.clone(),
            english: args.english,
            feed: Some(ctx.hall_feed()?),
            refresh_every: crate::ui::counter::REFRESH_EVERY,
        },
    )
    .map_err(|e| Failure::failed(format!("cannot start the console's worker: {e}")))?;
    crate::ui::wire_technician_overlay(
        &window,
        technician_tools(ctx, Arc::new(config.clone())),
        crate::ui::counter::after_technician,
    );
    tracing::info!(counter, "counter console starting");
    let fullscreen = config.kiosk.fullscreen && !args.windowed;
    let ran = run_window(
        &window,
        args.size.unwrap_or((1280, 800)),
        fullscreen,
        "the console",
    );
    drop(console);
    ran
}

#[derive(Args, Debug, Default)]
pub struct EvaluatorArgs {
    /// The counter whose visitors this screen asks (default: the hall's first counter).
    #[arg(long, value_name = "N")]
    counter: Option<u32>,
    /// A normal window instead of full screen.
    #[arg(long)]
    windowed: bool,
    /// Window size (default 1024x600).
    #[arg(long, value_name = "WxH", value_parser = parse_size)]
    size: Option<(u32, u32)>,
}

/// The counter a console or rating screen serves: the one asked for, else this terminal's desk
/// (`[terminal] counter`), else the hall's first.
fn which_counter(config: &crate::config::Config, asked: Option<u32>) -> Result<u32, Failure> {
    match asked {
        Some(c) if config.counter(c).is_none() => Err(Failure::bad_input(format!(
            "this hall has no counter {c}; see `kiosk provision --show`"
        ))),
        Some(c) => Ok(c),
        None => config
            .terminal
            .counter
            .or(config.counters.first().map(|c| c.id))
            .ok_or_else(|| {
                Failure::bad_input("this hall has no counters; add one with `kiosk provision --counter`")
            }),
    }
}

/// `kiosk evaluator`: the visitors' rating screen at a counter (好差评).
pub fn run_evaluator(ctx: &Context, args: EvaluatorArgs) -> CmdResult {
    let (config, _) = ctx.load_config()?;
    if !matches!(config.terminal.role, Role::Evaluator | Role::HallHost) {
        return Err(Failure::bad_input(format!(
            "this terminal is a {:?}; the rating screen runs on a terminal enrolled with \
             `--role evaluator --counters N` (or on the hall host)",
            config.terminal.role
        )));
    }
    let counter = which_counter(&config, args.counter)?;
    // On the hall host the screen rates through the database, as the rating screen of its counter.
    let queue: Box<dyn kiosk_contract::HallQueue> = match config.terminal.role {
        Role::HallHost => Box::new(
            crate::hall_queue::LocalQueue::new(ctx.open_queue()?)
                .as_rating_screen(&config.terminal.id, &[counter]),
        ),
        _ => ctx.hall_queue()?,
    };
    let window = crate::ui::fonts::start_windowing()
        .and_then(|()| crate::ui::EvaluatorWindow::new())
        .map_err(|e| super::no_window("the rating screen", &e))?;
    let speech = crate::speech::SpeechService::for_config(&config, &ctx.data_dir);
    let run = crate::ui::evaluator::start_rating_screen(
        &window,
        crate::ui::evaluator::EvaluatorOptions {
            counter,
            queue,
            feed: ctx.hall_feed()?,
            config: Arc::new(config.clone()),
            clock: ctx.clock.clone(),
            say: Box::new(move |parts| speech.send(crate::speech::service::Command::Say(parts))),
        },
    )
    .map_err(|e| Failure::failed(format!("cannot start the rating screen's worker: {e}")))?;
    crate::ui::wire_technician_overlay(
        &window,
        technician_tools(ctx, Arc::new(config.clone())),
        run.redraw(),
    );
    tracing::info!(counter, "rating screen starting");
    let fullscreen = config.kiosk.fullscreen && !args.windowed;
    let ran = run_window(
        &window,
        args.size.unwrap_or((1024, 600)),
        fullscreen,
        "the rating screen",
    );
    drop(run);
    ran
}
