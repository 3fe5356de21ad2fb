//! `kiosk counter`: the staff's counter console. On a terminal enrolled with `--role counter` it
//! works through the hall API; on the hall host (a desk beside the server) through the database.

use super::kiosk_ui::{parse_size, stop_on_signals};
use super::{CmdResult, Context, Failure};
use crate::config::Role;
use crate::ui::CounterWindow;
use crate::ui::counter::{ConsoleOptions, start_console};
use clap::Args;
use slint::ComponentHandle;
use std::sync::Arc;

#[derive(Args, Debug)]
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
    crate::ui::fonts::register_bundled_fonts();
    let window = CounterWindow::new().map_err(|e| {
        Failure::failed(format!(
            "cannot open the counter console: {e}. Is a display available (DISPLAY or WAYLAND_DISPLAY)?"
        ))
    })?;
    let console = start_console(
        &window,
        ConsoleOptions {
            counter,
            queue,
            config: Arc::new(config.clone()),
            clock: ctx.clock.clone(),
            english: args.english,
        },
    )
    .map_err(|e| Failure::failed(format!("cannot start the console's worker: {e}")))?;
    let (w, h) = args.size.unwrap_or((1280, 800));
    window.window().set_size(slint::PhysicalSize::new(w, h));
    window
        .window()
        .set_fullscreen(config.kiosk.fullscreen && !args.windowed);
    tracing::info!(counter, "counter console starting");
    stop_on_signals();
    let ran = window
        .run()
        .map_err(|e| Failure::failed(format!("the console stopped with an error: {e}")));
    drop(console);
    ran
}
