//! `kiosk provision`: create, check and change the provisioning file without an editor.

use super::{CmdResult, Context, Failure, print_json};
use crate::config::{Config, CounterSpec, FlowControl, PrinterKind, ProvisionChanges, Role, ServiceSpec};
use crate::queue::ServiceCode;
use clap::Args;
use std::path::{Path, PathBuf};

#[derive(Args, Debug)]
pub struct ProvisionArgs {
    /// Only check the file and report problems; change nothing.
    #[arg(long)]
    check: bool,
    /// Print the resulting configuration.
    #[arg(long)]
    show: bool,
    #[arg(long)]
    json: bool,
    /// Start from the built-in defaults even if the file exists.
    #[arg(long)]
    reset: bool,
    /// One of the city's halls, e.g. gz-tianhe.
    #[arg(long, value_name = "ID")]
    hall: Option<String>,
    #[arg(long, value_name = "ID")]
    terminal: Option<String>,
    /// This terminal's role; with --enroll, the role the new terminal is enrolled with.
    #[arg(long, value_enum)]
    role: Option<RoleArg>,
    /// On a counter console or rating screen: the counter whose desk it stands at (`kiosk ui`
    /// opens that counter's screen).
    #[arg(long, value_name = "N")]
    desk: Option<u32>,
    /// The spoken guide's volume at the start of each visitor's session: 0 (silent) to 10
    /// (loudest); 5 is the recorded level.
    #[arg(long, value_name = "0-10")]
    default_volume: Option<u8>,
    /// On the hall host: a one-time code (15 minutes) for a new terminal with this id to
    /// `kiosk join` with; --role says what it may do, --counters which counters it operates.
    #[arg(long, value_name = "ID", conflicts_with_all = ["revoke", "terminals"])]
    enroll: Option<String>,
    /// With --enroll and --role counter: the counters it operates, e.g. 1,2.
    #[arg(long, value_name = "N,N", value_delimiter = ',', requires = "enroll")]
    counters: Vec<u32>,
    /// On the hall host: end a terminal's access at once.
    #[arg(long, value_name = "ID", conflicts_with = "terminals")]
    revoke: Option<String>,
    /// On the hall host: list the enrolled terminals.
    #[arg(long)]
    terminals: bool,
    /// On the hall host: add a staff member who signs in at counter consoles (or give them a
    /// new name and PIN); the PIN (4 to 12 digits) is read from standard input.
    #[arg(long, value_name = "ID", requires = "name", conflicts_with_all = ["enroll", "revoke", "terminals"])]
    add_staff: Option<String>,
    /// With --add-staff: the name the console shows.
    #[arg(long, value_name = "NAME", requires = "add_staff")]
    name: Option<String>,
    /// On the hall host: remove a staff member (and sign them out).
    #[arg(long, value_name = "ID", conflicts_with_all = ["enroll", "revoke", "terminals", "add_staff"])]
    remove_staff: Option<String>,
    /// On the hall host: list the staff numbers and names.
    #[arg(long, conflicts_with_all = ["enroll", "revoke", "terminals", "add_staff", "remove_staff"])]
    staff: bool,
    /// The hall host's API address (for every role but the hall host).
    #[arg(long, value_name = "URL")]
    hall_host: Option<String>,
    /// Add or change a service: "CODE;zh-CN=…;en=…;ug=…;priority=yes|no;minutes=N".
    #[arg(long, value_name = "SPEC")]
    service: Vec<ServiceSpec>,
    #[arg(long, value_name = "CODE")]
    remove_service: Vec<ServiceCode>,
    /// Add or change a counter: "ID;services=A,B;zh-CN=…;en=…;ug=…".
    #[arg(long, value_name = "SPEC")]
    counter: Vec<CounterSpec>,
    #[arg(long, value_name = "ID")]
    remove_counter: Vec<u32>,
    #[arg(long, value_enum)]
    printer: Option<PrinterArg>,
    /// Serial device of the printer, e.g. /dev/ttyUSB0.
    #[arg(long, value_name = "PATH")]
    printer_device: Option<String>,
    #[arg(long, value_name = "BAUD")]
    printer_baud: Option<u32>,
    #[arg(long, value_enum)]
    printer_flow_control: Option<FlowArg>,
    #[arg(long, value_name = "HOST")]
    printer_host: Option<String>,
    #[arg(long, value_name = "PORT")]
    printer_port: Option<u16>,
    /// Output directory of the file printer.
    #[arg(long, value_name = "DIR")]
    printer_dir: Option<PathBuf>,
    /// The page a ticket's QR code opens, with {ticket} or {number} in it.
    #[arg(long, value_name = "URL")]
    status_url: Option<String>,
    /// Where visitors' phones reach the hall host's ticket status page, e.g.
    /// http://192.0.2.10:8481 (tickets then link to it, and the hall host serves it).
    #[arg(long, value_name = "URL")]
    public_url: Option<String>,
    /// The calling display's scrolling notice in three languages,
    /// "zh-CN=…;en=…;ug=…"; "" removes it.
    #[arg(long, value_name = "TEXTS")]
    notice: Option<crate::config::NoticeSpec>,
    /// 58 or 80.
    #[arg(long, value_name = "MM")]
    paper_width: Option<u32>,
    #[arg(long, value_name = "URL")]
    agency_url: Option<String>,
    #[arg(long, value_name = "FILE")]
    agency_key_file: Option<PathBuf>,
    /// Read a new technician PIN (4 to 12 digits) from standard input.
    #[arg(long)]
    technician_pin_stdin: bool,
    /// Local time the business day changes, HH:MM.
    #[arg(long, value_name = "HH:MM")]
    rollover: Option<String>,
    #[arg(long, value_name = "ZONE")]
    time_zone: Option<String>,
    #[arg(long, value_name = "N")]
    max_priority_streak: Option<u32>,
    #[arg(long, value_name = "MINUTES")]
    rejoin_window: Option<u32>,
    /// The yearly legal aid hardship standard the office published, whole yuan per person per month.
    #[arg(long, value_name = "YUAN", requires = "hardship_from")]
    hardship_standard: Option<u64>,
    /// The first day the standard applies (YYYY-MM-DD).
    #[arg(long, value_name = "DATE", requires = "hardship_standard", value_parser = crate::dates::parse_date)]
    hardship_from: Option<chrono::NaiveDate>,
    /// Where the figure was published (kept with it).
    #[arg(long, value_name = "TEXT", requires = "hardship_standard")]
    hardship_source: Option<String>,
}

#[derive(clap::ValueEnum, Clone, Copy, Debug)]
enum RoleArg {
    HallHost,
    SecondaryKiosk,
    Counter,
    Display,
    /// Enrolment only: reads /metrics (Prometheus).
    Monitor,
    /// The visitors' rating screen at a counter (好差评).
    Evaluator,
}

#[derive(clap::ValueEnum, Clone, Copy, Debug)]
enum PrinterArg {
    Serial,
    Tcp,
    File,
}

#[derive(clap::ValueEnum, Clone, Copy, Debug)]
enum FlowArg {
    None,
    Hardware,
    Software,
}

pub fn run(ctx: &Context, args: ProvisionArgs) -> CmdResult {
    let path = ctx
        .config_path
        .clone()
        .unwrap_or_else(|| ctx.default_config.clone());
    if let Some(id) = &args.enroll {
        use crate::hall::access::TerminalRole;
        let role = match args.role {
            Some(RoleArg::SecondaryKiosk) => TerminalRole::SecondaryKiosk,
            Some(RoleArg::Counter) => TerminalRole::Counter,
            Some(RoleArg::Display) => TerminalRole::Display,
            Some(RoleArg::Monitor) => TerminalRole::Monitor,
            Some(RoleArg::Evaluator) => TerminalRole::Evaluator,
            Some(RoleArg::HallHost) | None => {
                return Err(Failure::bad_input(
                    "say what the new terminal is: --role secondary-kiosk, counter, display, evaluator or monitor",
                ));
            }
        };
        return super::hall_cmd::enroll(ctx, id, role, &args.counters, args.json);
    }
    if let Some(id) = &args.revoke {
        return super::hall_cmd::revoke(ctx, id, args.json);
    }
    if args.terminals {
        return super::hall_cmd::terminals(ctx, args.json);
    }
    if let Some(id) = &args.add_staff {
        return super::staff_cmd::add(ctx, id, args.name.as_deref(), args.json);
    }
    if let Some(id) = &args.remove_staff {
        return super::staff_cmd::remove(ctx, id, args.json);
    }
    if args.staff {
        return super::staff_cmd::list(ctx, args.json);
    }
    let exists = crate::fsutil::something_at(&path);
    if args.check {
        let config = Config::from_file(&path)?;
        return report(&config, &path, args.json, "is valid");
    }
    let changes = changes_from(&args)?;
    if args.show && changes.is_empty() && !args.reset {
        return show(&path, exists, args.json);
    }
    let config = super::provision_file::write_changes(&path, &changes, exists && !args.reset)?;
    if args.show {
        return show(&path, true, args.json);
    }
    report(
        &config,
        &path,
        args.json,
        if exists { "updated" } else { "created" },
    )
}

/// `--show` alone: the configuration in force, printed and not rewritten (a hand-edited file
/// keeps its comments; an unprovisioned terminal stays unprovisioned).
fn show(path: &Path, exists: bool, json: bool) -> CmdResult {
    let (config, text) = if exists {
        let text = crate::fsutil::read_text(path, crate::fsutil::CONFIG_LIMIT)
            .map_err(|e| Failure::bad_input(format!("{} cannot be read: {e}", path.display())))?;
        (Config::from_file(path)?, text)
    } else {
        let config = Config::default();
        let text = format!(
            "# {} does not exist: this terminal runs on the built-in defaults below.\n{}",
            path.display(),
            config.to_toml()
        );
        (config, text)
    };
    if json {
        let status = if exists { "in force" } else { "built-in defaults" };
        return print_json(&serde_json::json!({ "path": path, "status": status, "config": config }));
    }
    outln!("{}", text.trim_end());
    Ok(())
}

fn report(config: &Config, path: &Path, json: bool, what: &str) -> CmdResult {
    if json {
        return print_json(&serde_json::json!({ "path": path, "status": what, "config": config }));
    }
    outln!("{} {what}", path.display());
    Ok(())
}

fn changes_from(a: &ProvisionArgs) -> Result<ProvisionChanges, Failure> {
    let technician_pin_hash = if a.technician_pin_stdin {
        Some(hash_pin_from_stdin()?)
    } else {
        None
    };
    Ok(ProvisionChanges {
        hall_id: a.hall.clone(),
        terminal_id: a.terminal.clone(),
        role: match a.role {
            None => None,
            Some(RoleArg::HallHost) => Some(Role::HallHost),
            Some(RoleArg::SecondaryKiosk) => Some(Role::SecondaryKiosk),
            Some(RoleArg::Counter) => Some(Role::Counter),
            Some(RoleArg::Display) => Some(Role::Display),
            Some(RoleArg::Evaluator) => Some(Role::Evaluator),
            Some(RoleArg::Monitor) => {
                return Err(Failure::bad_input(
                    "monitor is a role for --enroll only (a Prometheus server), not for this terminal",
                ));
            }
        },
        hall_host: a.hall_host.clone(),
        desk: a.desk,
        default_volume: a.default_volume,
        services: a.service.clone(),
        remove_services: a.remove_service.clone(),
        counters: a.counter.clone(),
        remove_counters: a.remove_counter.clone(),
        printer_kind: a.printer.map(|p| match p {
            PrinterArg::Serial => PrinterKind::Serial,
            PrinterArg::Tcp => PrinterKind::Tcp,
            PrinterArg::File => PrinterKind::File,
        }),
        printer_device: a.printer_device.clone(),
        printer_baud: a.printer_baud,
        printer_flow_control: a.printer_flow_control.map(|f| match f {
            FlowArg::None => FlowControl::None,
            FlowArg::Hardware => FlowControl::Hardware,
            FlowArg::Software => FlowControl::Software,
        }),
        printer_host: a.printer_host.clone(),
        printer_port: a.printer_port,
        printer_dir: a.printer_dir.clone(),
        status_url: a.status_url.clone(),
        public_url: a.public_url.clone(),
        notice: a.notice.clone(),
        paper_width_mm: a.paper_width,
        agency_url: a.agency_url.clone(),
        agency_key_file: a.agency_key_file.clone(),
        technician_pin_hash,
        rollover: a.rollover.clone(),
        time_zone: a.time_zone.clone(),
        max_priority_streak: a.max_priority_streak,
        rejoin_window_minutes: a.rejoin_window,
        hardship_standard: match (a.hardship_standard, a.hardship_from) {
            (Some(monthly_per_capita), Some(from)) => Some(crate::eligibility::ProvisionedStandard {
                from,
                monthly_per_capita,
                source: a.hardship_source.clone(),
            }),
            _ => None,
        },
    })
}

fn hash_pin_from_stdin() -> Result<String, Failure> {
    let pin = crate::fsutil::read_stdin_text()
        .map_err(|e| Failure::bad_input(format!("cannot read the PIN from standard input: {e}")))?;
    crate::staff::check_pin(pin.trim())
        .map_err(|_| Failure::bad_input("the technician PIN must be 4 to 12 digits"))?;
    crate::staff::hash_pin(pin.trim()).map_err(Failure::failed)
}
