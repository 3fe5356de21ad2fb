//! `kiosk run` (the visitor screen) and `kiosk screenshot`.

use super::{CmdResult, Context, Failure};
use crate::config::{Config, Role};
use crate::lang::Lang;
use crate::printer::Printer;
use crate::queue_service::QueueService;
use crate::ui::screenshot::{Request, Theme};
use crate::ui::{KioskUi, StartMode};
use clap::Args;
use kiosk_store::Store;
use slint::ComponentHandle;
use std::path::PathBuf;
use std::sync::Arc;

#[derive(Args, Debug, Default)]
pub struct RunArgs {
    /// A normal window instead of full screen (for testing and demonstrations).
    #[arg(long)]
    pub(super) windowed: bool,
    /// Window size, e.g. 1080x1920 (portrait) or 1920x1080 (landscape).
    #[arg(long, value_name = "WxH", value_parser = parse_size)]
    pub(super) size: Option<(u32, u32)>,
}

pub fn parse_size(s: &str) -> Result<(u32, u32), String> {
    let bad = || format!("'{s}' is not a size; write it like 1080x1920");
    let (w, h) = s.split_once('x').ok_or_else(bad)?;
    let (w, h): (u32, u32) = (w.parse().map_err(|_| bad())?, h.parse().map_err(|_| bad())?);
    if !(320..=7680).contains(&w) || !(320..=7680).contains(&h) {
        return Err(format!("{s}: each side must be 320 to 7680 pixels"));
    }
    Ok((w, h))
}

/// What the screen can do with this configuration: serve visitors, or say why not.
fn start_mode(ctx: &Context) -> (Config, StartMode) {
    let config = match ctx.load_config() {
        Ok((config, _)) => config,
        Err(f) => return (Config::default(), StartMode::OutOfService(f.message)),
    };
    match config.terminal.role {
        Role::HallHost => {}
        Role::SecondaryKiosk => return secondary_kiosk(ctx, config),
        role => {
            let why = format!(
                "role {role:?} has its own program, not the visitor screen (`kiosk counter`, `kiosk display`); \
                 provision this terminal as hall_host or secondary_kiosk to show the visitor screen"
            );
            return (config, StartMode::OutOfService(why));
        }
    }
    if first_start(ctx) {
        // The folder now (quick), so that the printer's and the host's threads find it; the
        // database in it is the queue thread's to make.
        if let Err(why) = make_data_folder(ctx) {
            return (config, StartMode::OutOfService(why));
        }
        let mode = StartMode::first_start(ctx.data_dir.clone(), Arc::new(config.clone()), ctx.clock.clone());
        return (config, mode);
    }
    let opened = Store::open_in(&ctx.data_dir)
        .map_err(|e| e.to_string())
        .and_then(|store| {
            QueueService::new(store, Arc::new(config.clone()), ctx.clock.clone()).map_err(|e| e.to_string())
        });
    match opened {
        Ok(queue) => (config, StartMode::local(queue)),
        Err(e) => (config, StartMode::OutOfService(e)),
    }
}

/// No database in the data folder yet. Creating one (the file, WAL, the migrations, each
/// committed with fsync) takes longer than the rest of a start, so at the first start the window
/// comes up first and the database is made on the threads that use it. A database that exists is
/// opened (and checked) before the window, so a damaged one puts the kiosk out of service at once.
fn first_start(ctx: &Context) -> bool {
    let folder_or_none = ctx.data_dir.is_dir() || !crate::fsutil::something_at(&ctx.data_dir);
    folder_or_none && !crate::fsutil::something_at(&crate::hall_queue::database_in(&ctx.data_dir))
}

fn make_data_folder(ctx: &Context) -> Result<(), String> {
    std::fs::create_dir_all(&ctx.data_dir)
        .map_err(|e| format!("the data folder {} cannot be made: {e}", ctx.data_dir.display()))
}

/// A lobby kiosk other than the hall host: tickets through the hall host's API, printed here;
/// its outbox and printer events in its own database.
fn secondary_kiosk(ctx: &Context, config: Config) -> (Config, StartMode) {
    let client = match crate::hall::client::HallClient::for_terminal(&ctx.data_dir, &config) {
        Ok(client) => client,
        Err(e) => return (config, StartMode::OutOfService(e.message)),
    };
    // At the first start its outbox and printer threads create the database when they first
    // write to it; the folder is made here so that a wrong --data-dir is seen at once.
    let local_db = if first_start(ctx) {
        if let Err(why) = make_data_folder(ctx) {
            return (config, StartMode::OutOfService(why));
        }
        crate::hall_queue::database_in(&ctx.data_dir)
    } else {
        match Store::open_in(&ctx.data_dir) {
            Ok(store) => store.path().to_owned(),
            Err(e) => return (config, StartMode::OutOfService(e.to_string())),
        }
    };
    let feed = match ctx.hall_feed() {
        Ok(feed) => feed,
        Err(e) => return (config, StartMode::OutOfService(e.message)),
    };
    let queue = crate::ui::QueueSource::Open(Box::new(crate::hall::remote::RemoteQueue::new(client)));
    (
        config,
        StartMode::Serving {
            queue,
            local_db: Some(local_db),
            feed,
        },
    )
}

pub fn run(ctx: &Context, args: RunArgs) -> CmdResult {
    let (config, mode) = start_mode(ctx);
    let fullscreen = config.kiosk.fullscreen && !args.windowed;
    let printer = Printer::new(config.printer.clone(), config.printer_dir(&ctx.data_dir));
    let agency = match super::agency_cmd::agency(ctx) {
        Ok((_, agency)) => agency,
        Err(f) => {
            tracing::error!(error = %f.message, "the agency cannot be reached; pre-applications are not offered");
            None
        }
    };
    let speech = crate::speech::SpeechService::for_config(&config, &ctx.data_dir);
    // On a hall host this process also carries out the host's duties (or stands by while a
    // `kiosk serve` does); calls come out of the kiosk's own speakers, pausing its guide.
    let host = match &mode {
        StartMode::Serving { .. } if config.terminal.role == Role::HallHost => {
            let started = crate::hall_host::HallHost::start(crate::hall_host::HostOptions {
                api: crate::hall_host::hall_api_options(&ctx.data_dir, &config, None, None),
                data_dir: ctx.data_dir.clone(),
                config: Arc::new(config.clone()),
                clock: ctx.clock.clone(),
                // The kiosk's own outbox worker (woken the moment a visitor sends) delivers the
                // whole outbox, the daily report included: one worker per process.
                agency: None,
                announcer: config
                    .speech
                    .announces_calls(config.terminal.role)
                    .then(|| speech.clone()),
            });
            match started {
                Ok(host) => Some(host),
                Err(e) => {
                    tracing::error!(error = %e, "the hall host service cannot start: no rollover, daily report, outbox or calls");
                    None
                }
            }
        }
        _ => None,
    };
    let config = Arc::new(config);
    let ui = crate::ui::fonts::start_windowing()
        .and_then(|()| {
            KioskUi::builder(config.clone(), mode, ctx.clock.clone())
                .technician(technician_tools(ctx, config))
                .printer(Some(printer))
                .agency(agency)
                .speech(Some(speech))
                .media(Some(crate::media::pack::active_dir(&ctx.data_dir)))
                .installed_policy(ctx.installed_policy())
                .build()
        })
        .map_err(|e| {
            let f = super::no_window("the kiosk window", &e);
            Failure::failed(format!(
                "{} `kiosk serve` runs the hall host without a screen",
                f.message
            ))
        })?;
    let window = ui.window.window();
    if let Some((w, h)) = args.size {
        window.set_size(slint::PhysicalSize::new(w, h));
    }
    window.set_fullscreen(fullscreen);
    stop_on_signals();
    tracing::info!(fullscreen, "visitor screen started");
    let ran = ui
        .window
        .run()
        .map_err(|e| Failure::failed(format!("the kiosk window stopped with an error: {e}")));
    drop(host);
    ran
}

/// Technician mode's toolbox for a kiosk on `data_dir` provisioned by `config_file` (what `kiosk
/// run` gives it; public for tests).
pub fn technician_toolbox(
    config: Arc<Config>,
    config_file: &std::path::Path,
    data_dir: &std::path::Path,
    clock: Arc<dyn crate::clock::Clock>,
) -> crate::technician::Toolbox {
    let ctx = Context {
        config_path: Some(config_file.to_owned()),
        default_config: config_file.to_owned(),
        data_dir: data_dir.to_owned(),
        clock,
    };
    technician_tools(&ctx, config)
}

/// What technician mode works with: `kiosk doctor`'s checks and the provisioning file.
pub(super) fn technician_tools(ctx: &Context, config: Arc<Config>) -> crate::technician::Toolbox {
    let mut tools = crate::technician::Toolbox::new(config, &ctx.data_dir, ctx.clock.clone());
    let here = ctx.clone();
    tools.checks = Box::new(move |devices| super::doctor::checks(&here, devices));
    let path = ctx
        .config_path
        .clone()
        .unwrap_or_else(|| ctx.default_config.clone());
    tools.save_volume = Box::new(move |level| {
        if !crate::fsutil::something_at(&path) {
            return Err(format!(
                "{} does not exist: provision this terminal first (`kiosk provision`)",
                path.display()
            ));
        }
        let changes = crate::config::ProvisionChanges {
            default_volume: Some(level),
            ..Default::default()
        };
        super::provision_file::write_changes(&path, &changes, true)
            .map(drop)
            .map_err(|f| f.message)
    });
    tools
}

/// Ctrl-C (SIGINT) and SIGTERM close the kiosk cleanly: the event loop ends, the queue thread
/// finishes its job, and the database is closed. (Left alone, a dependency swallows SIGINT.)
/// Sizes a role's window (full screen unless the configuration or `--windowed` says not),
/// stops on SIGTERM/SIGINT and runs it until it closes.
pub(super) fn run_window<C: slint::ComponentHandle>(
    ui: &C,
    size: (u32, u32),
    fullscreen: bool,
    what: &str,
) -> CmdResult {
    ui.window().set_size(slint::PhysicalSize::new(size.0, size.1));
    ui.window().set_fullscreen(fullscreen);
    stop_on_signals();
    ui.run()
        .map_err(|e| Failure::failed(format!("{what} stopped with an error: {e}")))
}

pub(super) fn stop_on_signals() {
    let spawned = std::thread::Builder::new().name("signals".into()).spawn(|| {
        let Ok(rt) = tokio::runtime::Builder::new_current_thread().enable_all().build() else {
            tracing::error!("cannot watch for stop signals; stop the kiosk with SIGKILL");
            return;
        };
        rt.block_on(super::shutdown_signal());
        tracing::info!("stopping");
        let _ = slint::invoke_from_event_loop(|| {
            let _ = slint::quit_event_loop();
        });
    });
    if let Err(e) = spawned {
        tracing::error!("cannot watch for stop signals: {e}");
    }
}

#[derive(Args, Debug)]
pub struct ScreenshotArgs {
    #[arg(long, value_name = "DIR")]
    out: PathBuf,
    /// Only this language (zh-CN, en, ug); default all three.
    #[arg(long, value_name = "L")]
    lang: Option<Lang>,
    /// Only this theme (normal, large, contrast, low-reach); default all of them.
    #[arg(long, value_name = "T")]
    theme: Option<Theme>,
    /// Only this size; default portrait 1080x1920 and landscape 1920x1080.
    #[arg(long, value_name = "WxH", value_parser = parse_size)]
    size: Option<(u32, u32)>,
    /// Only the calling display's screens.
    #[arg(long, conflicts_with = "counter_only")]
    display_only: bool,
    /// Only the counter console's screens and the rating screen's.
    #[arg(long)]
    counter_only: bool,
}

pub fn screenshot(ctx: &Context, args: ScreenshotArgs) -> CmdResult {
    let (config, _) = ctx.load_config()?;
    let req = Request {
        out: args.out,
        langs: args.lang.map_or_else(|| Lang::ALL.to_vec(), |l| vec![l]),
        themes: args.theme.map_or_else(|| Theme::ALL.to_vec(), |t| vec![t]),
        sizes: args
            .size
            .map_or_else(|| crate::ui::screenshot::SIZES.to_vec(), |s| vec![s]),
        overlays: true,
    };
    let only = args.display_only || args.counter_only;
    let mut files = if only {
        std::fs::create_dir_all(&req.out)
            .map_err(|e| Failure::failed(format!("cannot create {}: {e}", req.out.display())))?;
        Vec::new()
    } else {
        crate::ui::screenshot::render_all(&config, &req).map_err(Failure::failed)?
    };
    // The calling display is bilingual and has one look: it is drawn once per size.
    let everything = !only && args.lang.is_none() && args.theme.is_none();
    if args.display_only || everything {
        let sizes = args
            .size
            .map_or_else(|| crate::ui::display_shots::SIZES.to_vec(), |s| vec![s]);
        files.extend(
            crate::ui::display_shots::render_all(&config, &req.out, &sizes).map_err(Failure::failed)?,
        );
    }
    // The console is the staff's: Chinese and English, one look.
    if args.counter_only || everything {
        let sizes = args
            .size
            .map_or_else(|| crate::ui::counter_shots::SIZES.to_vec(), |s| vec![s]);
        files.extend(
            crate::ui::counter_shots::render_all(&config, &req.out, &sizes).map_err(Failure::failed)?,
        );
        files.extend(crate::ui::counter_shots::render_evaluator(&config, &req.out).map_err(Failure::failed)?);
    }
    outln!("{} screenshots in {}", files.len(), req.out.display());
    Ok(())
}
