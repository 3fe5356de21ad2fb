//! Command-line contract (docs/cli.md). Every data command takes `--json`; exit codes:
//! 0 done, 1 the operation failed (state, device, storage), 2 bad input (arguments, config).

/// `println!` for commands: a failed write to standard output is the command's failure (never a
/// panic); the enclosing function returns `CmdResult`.
macro_rules! outln {
    () => { $crate::cli::write_stdout(format_args!(""))? };
    ($($arg:tt)*) => { $crate::cli::write_stdout(format_args!($($arg)*))? };
}

mod agency_cmd;
#[cfg(feature = "dev-tools")]
mod bench;
#[cfg(feature = "dev-tools")]
mod bench_counter;
#[cfg(feature = "dev-tools")]
mod bench_display;
#[cfg(feature = "dev-tools")]
mod bench_hall;
mod counter_cmd;
mod display_cmd;
mod doctor;
mod hall_cmd;
mod kiosk_ui;
pub use kiosk_ui::technician_toolbox;
mod media_cmd;
mod policy_cmd;
mod provision;
mod provision_file;
mod queue_cmd;
mod receipt_cmd;
#[cfg(feature = "dev-tools")]
mod receiver_cmd;
mod screen;
mod serve;
mod speak_cmd;
mod staff_cmd;

use crate::clock::{Clock, ManualClock, SystemClock};
use crate::config::{Config, ConfigError, ConfigSource, Role};
use crate::queue_service::{OpError, QueueService};
use chrono::{DateTime, Utc};
use clap::{Parser, Subcommand};
use kiosk_store::Store;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

#[derive(Parser, Debug)]
#[command(
    name = "kiosk",
    version,
    about = "Legal aid lobby terminal",
    propagate_version = true
)]
pub struct Cli {
    /// Provisioning file (default: <data-dir>/config.toml, or /etc/legal-aid-kiosk/config.toml
    /// for the installed package; built-in defaults while it does not exist).
    #[arg(long, global = true, value_name = "PATH", env = "KIOSK_CONFIG")]
    config: Option<PathBuf>,
    /// Where the queue database, receipts and logs live (default: under $XDG_DATA_HOME, or
    /// /var/lib/legal-aid-kiosk for the installed package).
    #[arg(long, global = true, value_name = "DIR", env = "KIOSK_DATA_DIR")]
    data_dir: Option<PathBuf>,
    /// Pretend the time is this (RFC 3339); for tests and rehearsals.
    #[arg(long, global = true, hide = true, value_name = "TIME")]
    now: Option<DateTime<Utc>>,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// The visitor kiosk (the default command).
    Run(kiosk_ui::RunArgs),
    /// The calling display: the hall's wall screen (1920x1080 unless --size says otherwise).
    Display(kiosk_ui::RunArgs),
    /// The staff's counter console: sign in, call and serve visitors with F1–F8.
    Counter(counter_cmd::CounterArgs),
    /// The visitors' rating screen at a counter (好差评): five faces after each visit.
    Evaluator(counter_cmd::EvaluatorArgs),
    /// The screen this terminal's role shows, full screen: the visitor kiosk (hall host and
    /// secondary kiosk), the counter console, the calling display or the rating screen
    /// (`[terminal] counter` says which desk). The package's kiosk unit starts this under cage.
    Ui,
    /// The hall host without a user interface (and the hall API, once the hall has terminals).
    Serve(serve::ServeArgs),
    /// Enrol this terminal at its hall host with the code and fingerprint printed there.
    Join(hall_cmd::JoinArgs),
    /// The hall's queue events as they happen, one line each (JSON lines with --json).
    Events {
        #[arg(long)]
        json: bool,
    },
    /// Create, check or change this terminal's provisioning file.
    Provision(Box<provision::ProvisionArgs>),
    /// Check configuration, database, disk and clock.
    Doctor {
        #[arg(long)]
        json: bool,
    },
    /// Eligibility screening: the input JSON on stdin, the result JSON on stdout.
    Screen {
        /// A policy file replacing the shipped standards for this run.
        #[arg(long, value_name = "FILE")]
        policy: Option<PathBuf>,
    },
    /// The screening policy: show the one in force, import a new one, roll back.
    #[command(subcommand)]
    Policy(policy_cmd::PolicyCommand),
    /// Queue tickets and counters.
    #[command(subcommand)]
    Queue(queue_cmd::QueueCommand),
    /// The ESC/POS bytes (and a picture) of a ticket or screening receipt; --print reprints it.
    Receipt(Box<receipt_cmd::ReceiptArgs>),
    /// Queue a pre-application without the UI: the JSON on stdin (screening, contact, consent).
    Submit {
        #[arg(long)]
        json: bool,
    },
    /// The agency outbox: status, flush, retry-dead.
    #[command(subcommand)]
    Outbox(agency_cmd::OutboxCommand),
    /// The agency's side of the contract on this machine, for tests and pilots (faults on demand).
    #[cfg(feature = "dev-tools")]
    AgencyReceiver(receiver_cmd::ReceiverArgs),
    /// Print a test page on the configured printer.
    PrintTest {
        #[arg(long)]
        json: bool,
    },
    /// Render a call or a screen's spoken guide into a WAV file; list or check the voice packs.
    Speak(Box<speak_cmd::SpeakArgs>),
    /// The sign-language video pack: list the prompts, verify a pack, import one.
    #[command(subcommand)]
    Media(media_cmd::MediaCommand),
    /// Every screen as PNG files, rendered without a display.
    Screenshot(kiosk_ui::ScreenshotArgs),
    /// Measurements recorded in docs/measurements.md.
    #[cfg(feature = "dev-tools")]
    #[command(subcommand)]
    Bench(bench::BenchCommand),
}

/// A failure with the exit code it deserves.
pub(crate) struct Failure {
    code: u8,
    message: String,
}

impl Failure {
    pub(crate) fn bad_input(message: impl Into<String>) -> Self {
        Self {
            code: 2,
            message: message.into(),
        }
    }
    pub(crate) fn failed(message: impl Into<String>) -> Self {
        Self {
            code: 1,
            message: message.into(),
        }
    }
}

/// Exit code for output that could not be written; the message says what was done.
const OUTPUT_LOST: u8 = 1;

impl Failure {
    /// Standard output failed. A reader that went away (a closed pipe) ends the command quietly,
    /// as Unix tools do; any other failure (a full disk, `/dev/full`) is exit 1 with a message
    /// saying the command itself was carried out, so a script does not repeat it blindly.
    pub(crate) fn output(e: &std::io::Error) -> Self {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            return Self {
                code: 0,
                message: String::new(),
            };
        }
        Self {
            code: OUTPUT_LOST,
            message: format!(
                "the output could not be written to standard output ({e}); what the command \
                 changed has been done — check with `kiosk queue show` or `kiosk outbox status` \
                 before repeating it"
            ),
        }
    }
}

/// One line on standard output, or the failure to write it.
pub(crate) fn write_stdout(args: std::fmt::Arguments) -> CmdResult {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    out.write_fmt(args)
        .and_then(|()| out.write_all(b"\n"))
        .and_then(|()| out.flush())
        .map_err(|e| Failure::output(&e))
}

impl From<OpError> for Failure {
    fn from(e: OpError) -> Self {
        let code = if e.is_bad_input() { 2 } else { 1 };
        Self {
            code,
            message: e.to_string(),
        }
    }
}

impl From<kiosk_contract::HallError> for Failure {
    fn from(e: kiosk_contract::HallError) -> Self {
        let code = if e.kind == kiosk_contract::ErrorKind::BadInput {
            2
        } else {
            1
        };
        Self {
            code,
            message: e.message,
        }
    }
}

impl From<ConfigError> for Failure {
    fn from(e: ConfigError) -> Self {
        Self::bad_input(e.to_string())
    }
}

impl From<kiosk_store::StoreError> for Failure {
    fn from(e: kiosk_store::StoreError) -> Self {
        Self::failed(e.to_string())
    }
}

pub(crate) type CmdResult = Result<(), Failure>;

/// Everything a command needs to know about where it runs.
#[derive(Clone)]
pub(crate) struct Context {
    pub config_path: Option<PathBuf>,
    /// Where the provisioning file is when `--config` does not say (it may not exist yet).
    pub default_config: PathBuf,
    pub data_dir: PathBuf,
    pub clock: Arc<dyn Clock>,
}

impl Context {
    pub(crate) fn load_config(&self) -> Result<(Config, ConfigSource), Failure> {
        Ok(Config::locate(self.config_path.as_deref(), &self.default_config)?)
    }

    /// The configuration, when this terminal is the hall host: only the hall host keeps the hall
    /// CA, the list of terminals and the staff. `what` names the refused request.
    pub(crate) fn hall_host_config(&self, what: &str) -> Result<Config, Failure> {
        let (config, _) = self.load_config()?;
        if config.terminal.role != Role::HallHost {
            return Err(Failure::bad_input(format!(
                "{what} is done on the hall host; this terminal is a {:?} of {}",
                config.terminal.role,
                config.terminal.hall_host.as_deref().unwrap_or("no hall host")
            )));
        }
        Ok(config)
    }

    /// The screening policy installed on this terminal (`kiosk policy import`).
    pub(crate) fn installed_policy(&self) -> crate::policy_store::PolicyStore {
        crate::policy_store::PolicyStore::in_data_dir(&self.data_dir)
    }

    pub(crate) fn open_queue(&self) -> Result<QueueService, Failure> {
        let (config, _) = self.load_config()?;
        let store = Store::open_in(&self.data_dir)?;
        Ok(QueueService::new(store, Arc::new(config), self.clock.clone())?)
    }

    /// The hall queue as the CLI's queue commands use it: the one interface the screens use too.
    /// On the hall host it is the database; on every other terminal, the hall host's API.
    pub(crate) fn hall_queue(&self) -> Result<Box<dyn kiosk_contract::HallQueue>, Failure> {
        let (config, _) = self.load_config()?;
        if config.terminal.role == crate::config::Role::HallHost {
            return Ok(Box::new(crate::hall_queue::LocalQueue::new(self.open_queue()?)));
        }
        let client = crate::hall::client::HallClient::for_terminal(&self.data_dir, &config)?;
        Ok(Box::new(crate::hall::remote::RemoteQueue::new(client)))
    }

    /// How this terminal follows its hall (`HallFeed`): on the hall host, its database through a
    /// connection of the feed's own; elsewhere the host's event stream with this terminal's
    /// certificate.
    pub(crate) fn hall_feed(&self) -> Result<Box<dyn kiosk_contract::HallFeed>, Failure> {
        use crate::hall::feed::{LocalFeed, RemoteFeed};
        let (config, _) = self.load_config()?;
        if config.terminal.role == crate::config::Role::HallHost {
            // Opened by the feed's own thread when it starts following.
            let (data_dir, config, clock) = (self.data_dir.clone(), Arc::new(config), self.clock.clone());
            return Ok(Box::new(LocalFeed::opening(move || {
                let store = Store::open_in(&data_dir).map_err(|e| e.to_string())?;
                let service = QueueService::new(store, config, clock).map_err(|e| e.to_string())?;
                Ok(Box::new(crate::hall_queue::LocalQueue::new(service))
                    as Box<dyn kiosk_contract::HallQueue>)
            })));
        }
        let tls = crate::hall::client::TerminalTls::load(&self.data_dir)?;
        let client = crate::hall::client::HallClient::with_tls(&config, &tls)?;
        Ok(Box::new(RemoteFeed::new(client.base(), tls.rustls()?)))
    }
}

/// `kiosk ui`: the screen of this terminal's role.
fn role_screen(ctx: &Context) -> CmdResult {
    let (config, _) = ctx.load_config()?;
    tracing::info!(role = ?config.terminal.role, "opening this role's screen");
    match config.terminal.role {
        Role::HallHost | Role::SecondaryKiosk => kiosk_ui::run(ctx, kiosk_ui::RunArgs::default()),
        Role::Counter => counter_cmd::run(ctx, counter_cmd::CounterArgs::default()),
        Role::Display => display_cmd::run(ctx, kiosk_ui::RunArgs::default()),
        Role::Evaluator => counter_cmd::run_evaluator(ctx, counter_cmd::EvaluatorArgs::default()),
    }
}

/// Where the Debian package keeps the data and the provisioning file; used by `/usr/bin/kiosk`.
pub const PACKAGE_DATA_DIR: &str = "/var/lib/legal-aid-kiosk";
pub const PACKAGE_CONFIG: &str = "/etc/legal-aid-kiosk/config.toml";

/// Whether this is the packaged binary, `/usr/bin/kiosk`.
fn installed_by_package() -> bool {
    std::env::current_exe().is_ok_and(|exe| exe.parent() == Some(Path::new("/usr/bin")))
}

/// The default data directory: the package's, else `$XDG_DATA_HOME/legal-aid-kiosk`, else under
/// `$HOME`.
fn default_data_dir() -> PathBuf {
    if installed_by_package() {
        return PathBuf::from(PACKAGE_DATA_DIR);
    }
    let base = std::env::var_os("XDG_DATA_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".local/share")));
    base.map_or_else(|| PathBuf::from("kiosk-data"), |b| b.join("legal-aid-kiosk"))
}

pub(crate) fn print_json<T: serde::Serialize>(value: &T) -> CmdResult {
    let text = serde_json::to_string_pretty(value)
        .map_err(|e| Failure::failed(format!("cannot encode JSON: {e}")))?;
    write_stdout(format_args!("{text}"))
}

/// This program's crates: their INFO lines are the terminal's story; every other crate's are
/// about its own workings (the Ogg demuxer alone wrote about 1,800 per start, one per voice clip)
/// and would bury what a technician looks for in the journal, so those show from WARN up.
const OWN_CRATES: &[&str] = &["kiosk", "kiosk_core", "kiosk_contract"];

/// Crates silenced altogether: the clipboard (Slint's text fields) warns at every start under a
/// kiosk compositor without the clipboard protocol and errs at every exit, and a kiosk has no
/// clipboard to speak of.
const SILENCED: &[&str] = &["arboard"];

/// The default log filter: other crates at warnings, this program's at `own_level`.
pub(crate) fn log_directives(own_level: &str) -> String {
    std::iter::once("warn".to_owned())
        .chain(SILENCED.iter().map(|c| format!("{c}=off")))
        .chain(OWN_CRATES.iter().map(|c| format!("{c}={own_level}")))
        .collect::<Vec<_>>()
        .join(",")
}

fn init_logging(default_level: &str) {
    use std::io::IsTerminal;
    use tracing_subscriber::layer::SubscriberExt;
    use tracing_subscriber::util::SubscriberInitExt;
    // KIOSK_LOG, else RUST_LOG, replaces the default (e.g. `KIOSK_LOG=debug`).
    let filter = tracing_subscriber::EnvFilter::try_from_env("KIOSK_LOG")
        .or_else(|_| tracing_subscriber::EnvFilter::try_from_default_env())
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(log_directives(default_level)));
    // Under systemd, straight to the journal with its fields (priority, the event's own fields).
    if stderr_is_the_journal()
        && let Ok(journal) = tracing_journald::layer()
    {
        let _ = tracing_subscriber::registry()
            .with(filter)
            .with(journal)
            .try_init();
        return;
    }
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        // Colour codes only for a person at a terminal, not in the journal or a log file.
        .with_ansi(std::io::stderr().is_terminal())
        .try_init();
}

/// systemd connects a service's standard error to the journal and says so in `JOURNAL_STREAM`
/// (`device:inode` of that stream); a child whose stderr was redirected elsewhere does not match.
fn stderr_is_the_journal() -> bool {
    use std::os::unix::fs::MetadataExt;
    let Some(stream) = std::env::var_os("JOURNAL_STREAM") else {
        return false;
    };
    let Some((dev, ino)) = stream.to_str().and_then(|s| s.split_once(':')) else {
        return false;
    };
    let Ok(meta) = std::fs::metadata("/proc/self/fd/2") else {
        return false;
    };
    dev.parse() == Ok(meta.dev()) && ino.parse() == Ok(meta.ino())
}

/// A role's window could not be opened (`what`: "the display window"): most often there is no
/// display to open it on.
fn no_window(what: &str, e: &slint::PlatformError) -> Failure {
    let why = e.to_string();
    Failure::failed(format!(
        "cannot open {what}: {}. Is a display available (DISPLAY or WAYLAND_DISPLAY)?",
        why.trim_end_matches('.')
    ))
}

pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    let long_running = matches!(
        cli.command,
        None | Some(
            Command::Run(_)
                | Command::Serve(_)
                | Command::Display(_)
                | Command::Counter(_)
                | Command::Evaluator(_)
                | Command::Ui
        )
    );
    init_logging(if long_running { "info" } else { "warn" });
    let clock: Arc<dyn Clock> = match cli.now {
        Some(at) => Arc::new(ManualClock::new(at)),
        None => Arc::new(SystemClock),
    };
    let data_dir = cli.data_dir.unwrap_or_else(default_data_dir);
    let ctx = Context {
        config_path: cli.config,
        default_config: if installed_by_package() {
            PathBuf::from(PACKAGE_CONFIG)
        } else {
            crate::config::default_config_path(&data_dir)
        },
        data_dir,
        clock,
    };
    let result = match cli.command.unwrap_or(Command::Run(kiosk_ui::RunArgs::default())) {
        Command::Run(args) => kiosk_ui::run(&ctx, args),
        Command::Display(args) => display_cmd::run(&ctx, args),
        Command::Counter(args) => counter_cmd::run(&ctx, args),
        Command::Evaluator(args) => counter_cmd::run_evaluator(&ctx, args),
        Command::Ui => role_screen(&ctx),
        Command::Screenshot(args) => kiosk_ui::screenshot(&ctx, args),
        Command::Speak(args) => speak_cmd::run(&ctx, *args),
        Command::Media(cmd) => media_cmd::run(&ctx, cmd),
        Command::Serve(args) => serve::serve(&ctx, args),
        Command::Join(args) => hall_cmd::join(&ctx, args),
        Command::Events { json } => hall_cmd::events(&ctx, json),
        Command::Provision(args) => provision::run(&ctx, *args),
        Command::Doctor { json } => doctor::run(&ctx, json),
        Command::Queue(cmd) => queue_cmd::run(&ctx, cmd),
        Command::Screen { policy } => screen::run(&ctx, policy),
        Command::Policy(cmd) => policy_cmd::run(&ctx, cmd),
        #[cfg(feature = "dev-tools")]
        Command::Bench(cmd) => bench::run(&ctx, cmd),
        Command::Receipt(args) => receipt_cmd::receipt(&ctx, *args),
        Command::PrintTest { json } => receipt_cmd::print_test(&ctx, json),
        Command::Submit { json } => agency_cmd::submit(&ctx, json),
        Command::Outbox(cmd) => agency_cmd::outbox(&ctx, cmd),
        #[cfg(feature = "dev-tools")]
        Command::AgencyReceiver(args) => receiver_cmd::run(args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(f) => {
            if !f.message.is_empty() {
                use std::io::Write;
                // Nowhere left to report a failure to write the report.
                let _ = writeln!(std::io::stderr().lock(), "kiosk: {}", f.message.trim_end());
            }
            ExitCode::from(f.code)
        }
    }
}

/// Ctrl-C or SIGTERM (systemd's stop), for the long-running commands.
pub(crate) async fn shutdown_signal() {
    let ctrl_c = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let mut term = match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(s) => s,
            Err(_) => return ctrl_c.await.unwrap_or(()),
        };
        tokio::select! {
            _ = ctrl_c => {}
            _ = term.recv() => {}
        }
    }
    #[cfg(not(unix))]
    ctrl_c.await.unwrap_or(());
}
