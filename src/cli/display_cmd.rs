//! `kiosk display`: the calling display's window. A display terminal follows the hall host's
//! event stream; the hall host itself can show one too (second monitor), reading its database.

use super::kiosk_ui::{RunArgs, run_window, technician_tools};
use super::{CmdResult, Context, Failure};
use crate::config::{Config, Role};
use crate::display::feed::{Feed, FeedOptions};
use crate::speech::SpeechService;
use crate::ui::DisplayWindow;
use crate::ui::display::{self as screen, DisplayNames};
use slint::ComponentHandle;
use std::time::Duration;

/// Starts the threads that feed `window`.
pub(crate) fn start_feed(ctx: &Context, config: &Config, window: &DisplayWindow) -> Result<Feed, Failure> {
    if !matches!(config.terminal.role, Role::Display | Role::HallHost) {
        return Err(Failure::bad_input(format!(
            "this terminal is a {:?}; the calling display runs on a terminal enrolled with \
             `--role display` (or on the hall host, as a second screen)",
            config.terminal.role
        )));
    }
    // The calls come through the hall feed; the waiting counts are read when they change.
    let (source, counts) = (ctx.hall_feed()?, ctx.hall_queue()?);
    // On the hall host the host service announces; a display only where configured.
    let announce: Option<Box<dyn Fn(crate::speech::service::Command) + Send>> =
        (config.terminal.role == Role::Display && config.speech.announces_calls(Role::Display)).then(|| {
            // The call voices and every ticket language's (a Uyghur ticket is also called in Uyghur).
            let speech = SpeechService::for_config(config, &ctx.data_dir);
            Box::new(move |c| speech.send(c)) as Box<dyn Fn(_) + Send>
        });
    tracing::info!(announcing = announce.is_some(), "calling display starting");
    let options = FeedOptions {
        source,
        counts,
        clock: ctx.clock.clone(),
        time_zone: config.time_zone(),
        rollover: config.rollover_time(),
        announce,
        calls: crate::calls::CallStyle::from_config(&config.speech),
    };
    screen::follow(window, options, DisplayNames::from_config(config))
        .map_err(|e| Failure::failed(format!("cannot start the display's threads: {e}")))
}

pub fn run(ctx: &Context, args: RunArgs) -> CmdResult {
    let (config, _) = ctx.load_config()?;
    let window = crate::ui::fonts::start_windowing()
        .and_then(|()| DisplayWindow::new())
        .map_err(|e| super::no_window("the display window", &e))?;
    screen::prepare(&window, &DisplayNames::from_config(&config));
    screen::show_time(&window, ctx.clock.now(), &config);
    let feed = start_feed(ctx, &config, &window)?;
    // The display's words are drawn in Rust in both languages; nothing to hand back.
    crate::ui::wire_technician_overlay(
        &window,
        technician_tools(ctx, std::sync::Arc::new(config.clone())),
        |_| {},
    );
    // The clock: checked every second, redrawn only when the minute changes.
    let clock_timer = slint::Timer::default();
    {
        let (weak, clock, config) = (window.as_weak(), ctx.clock.clone(), config.clone());
        clock_timer.start(slint::TimerMode::Repeated, Duration::from_secs(1), move || {
            if let Some(w) = weak.upgrade() {
                screen::show_time(&w, clock.now(), &config);
            }
        });
    }
    let fullscreen = config.kiosk.fullscreen && !args.windowed;
    let ran = run_window(
        &window,
        args.size.unwrap_or((1920, 1080)),
        fullscreen,
        "the display window",
    );
    drop(feed);
    ran
}
