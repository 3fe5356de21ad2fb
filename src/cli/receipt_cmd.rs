//! `kiosk receipt` (the bytes of a ticket or screening receipt, with or without a printer) and
//! `kiosk print-test` (a test page through the configured printer).

use super::{CmdResult, Context, Failure, print_json};
use crate::config::Config;
use crate::eligibility::{ScreeningInput, ScreeningOutput, screen};
use crate::lang::Lang;
use crate::printer::{Outcome, PrintJob, Printer, Report};
use crate::printing;
use crate::queue::DisplayNumber;
use crate::receipt::{Paper, encode, preview};
use clap::Args;
use kiosk_store::Store;
use serde::Serialize;
use std::path::{Path, PathBuf};

#[derive(Args, Debug)]
pub struct ReceiptArgs {
    /// A ticket by its id (any day).
    #[arg(long, value_name = "ID", conflicts_with_all = ["number", "screening"])]
    ticket: Option<String>,
    /// A ticket of today by its number, e.g. A012.
    #[arg(long, value_name = "NUMBER", conflicts_with = "screening")]
    number: Option<DisplayNumber>,
    /// A screening summary: the screening input JSON (as for `kiosk screen`).
    #[arg(long, value_name = "FILE")]
    screening: Option<PathBuf>,
    /// Receipt language (default: the ticket's or the screening's).
    #[arg(long, value_name = "L")]
    lang: Option<Lang>,
    /// Paper width in mm, 58 or 80 (default: the configured printer's).
    #[arg(long, value_name = "MM")]
    paper: Option<u32>,
    /// Where to write the ESC/POS bytes.
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
    /// Where to write a PNG picture of the receipt.
    #[arg(long, value_name = "FILE")]
    preview: Option<PathBuf>,
    /// Also print it on the configured printer (a reprint).
    #[arg(long)]
    print: bool,
    #[arg(long)]
    json: bool,
}

#[derive(Serialize)]
struct ReceiptReport {
    receipt: String,
    language: Lang,
    paper_mm: u32,
    bytes: usize,
    out: Option<PathBuf>,
    preview: Option<PathBuf>,
    printed: Option<PrintResult>,
}

#[derive(Serialize)]
struct PrintResult {
    ok: bool,
    printer: String,
    problem: Option<String>,
    detail: Option<String>,
    attempts: u32,
}

pub fn receipt(ctx: &Context, args: ReceiptArgs) -> CmdResult {
    if args.out.is_none() && args.preview.is_none() && !args.print {
        return Err(Failure::bad_input(
            "say what to do with the receipt: --out FILE, --preview FILE.png and/or --print",
        ));
    }
    let (config, _) = ctx.load_config()?;
    let paper_mm = args.paper.unwrap_or(config.printer.paper_width_mm);
    let paper = Paper::from_mm(paper_mm)
        .ok_or_else(|| Failure::bad_input(format!("--paper {paper_mm}: use 58 or 80")))?;
    let job = build_job(ctx, &config, &args)?;
    let bytes = encode::encode(&job.receipt, paper).map_err(|e| Failure::failed(e.to_string()))?;
    if let Some(out) = &args.out {
        write_file(out, &bytes)?;
    }
    if let Some(path) = &args.preview {
        let png = preview::to_png(&preview::render(&job.receipt, paper))
            .map_err(|e| Failure::failed(format!("cannot draw the preview: {e}")))?;
        write_file(path, &png)?;
    }
    let printed = args.print.then(|| print_now(ctx, &config, &job));
    let failed = printed.as_ref().is_some_and(|p| !p.ok);
    let report = ReceiptReport {
        receipt: job.name.clone(),
        language: job.receipt.lang,
        paper_mm,
        bytes: bytes.len(),
        out: args.out.clone(),
        preview: args.preview.clone(),
        printed,
    };
    if args.json {
        print_json(&report)?;
    } else {
        outln!(
            "{}: {} bytes for {paper_mm} mm paper",
            report.receipt,
            report.bytes
        );
        if let Some(p) = &report.printed {
            outln!("{}", print_line(p));
        }
    }
    if failed {
        return Err(Failure::failed(
            "the receipt was not printed; the ticket is still valid",
        ));
    }
    Ok(())
}

fn build_job(ctx: &Context, config: &Config, args: &ReceiptArgs) -> Result<PrintJob, Failure> {
    if let Some(path) = &args.screening {
        let text = crate::fsutil::read_text(path, crate::fsutil::STDIN_LIMIT)
            .map_err(|e| Failure::bad_input(format!("cannot read {}: {e}", path.display())))?;
        let now = ctx.clock.now();
        let today = now.with_timezone(&config.time_zone()).date_naive();
        let mut input = ScreeningInput::from_json_text(&text, today)
            .map_err(|e| Failure::bad_input(format!("screening input: {e}")))?;
        if let Some(lang) = args.lang {
            input.language = lang;
        }
        let policy = config
            .eligibility_policy(Some(&ctx.installed_policy()), None)
            .map_err(|e| Failure::bad_input(e.to_string()))?;
        let output = ScreeningOutput::new(&input, &screen(&policy, &input));
        let reference = format!(
            "S-{}",
            now.with_timezone(&config.time_zone()).format("%Y%m%d-%H%M%S")
        );
        return Ok(printing::summary_job(config, &output, now, &reference, None));
    }
    let mut queue = ctx.open_queue()?;
    let ticket = match (&args.ticket, args.number) {
        (Some(id), _) => queue.ticket_by_id(id)?,
        (None, Some(number)) => queue.ticket(number)?,
        (None, None) => {
            return Err(Failure::bad_input(
                "say which receipt: --ticket ID, --number A012 or --screening FILE",
            ));
        }
    };
    let lang = args
        .lang
        .unwrap_or_else(|| ticket.language.parse().unwrap_or_default());
    Ok(printing::ticket_job(config, &ticket, lang))
}

fn print_now(ctx: &Context, config: &Config, job: &PrintJob) -> PrintResult {
    let mut printer = Printer::new(config.printer.clone(), config.printer_dir(&ctx.data_dir));
    let report = printer.print(job);
    record(ctx, config, &report);
    print_result(&mut printer, &report)
}

fn record(ctx: &Context, config: &Config, report: &Report) {
    let result = Store::open_in(&ctx.data_dir)
        .map_err(|e| e.to_string())
        .and_then(|mut s| {
            printing::record_report(&mut s, &config.terminal.id, report, ctx.clock.now())
                .map_err(|e| e.to_string())
        });
    if let Err(e) = result {
        tracing::error!(error = %e, "the printer event could not be recorded");
    }
}

fn print_result(printer: &mut Printer, report: &Report) -> PrintResult {
    PrintResult {
        ok: matches!(report.outcome, Outcome::Printed { .. }),
        printer: printer.describe(),
        problem: match &report.outcome {
            Outcome::Failed(p) => Some(p.code().into()),
            Outcome::Printed { paper_low: true } => Some("paper_near_end".into()),
            Outcome::Printed { .. } => None,
        },
        detail: report.attention(),
        attempts: report.attempts,
    }
}

fn print_line(p: &PrintResult) -> String {
    match (&p.detail, p.ok) {
        (None, _) => format!("printed on {}", p.printer),
        (Some(d), true) => format!("printed on {}; {d}", p.printer),
        (Some(d), false) => format!("not printed on {}: {d}", p.printer),
    }
}

fn write_file(path: &Path, bytes: &[u8]) -> CmdResult {
    std::fs::write(path, bytes).map_err(|e| Failure::failed(format!("cannot write {}: {e}", path.display())))
}

/// `kiosk print-test`: a page that shows the printer can do everything a receipt needs.
pub fn print_test(ctx: &Context, json: bool) -> CmdResult {
    let (config, _) = ctx.load_config()?;
    let mut printer = Printer::new(config.printer.clone(), config.printer_dir(&ctx.data_dir));
    let job = crate::printing::test_page_job(&config, ctx.clock.now());
    let report = printer.print(&job);
    record(ctx, &config, &report);
    let result = print_result(&mut printer, &report);
    if json {
        print_json(&result)?;
    } else {
        outln!("{}", print_line(&result));
    }
    if result.ok {
        Ok(())
    } else {
        Err(Failure::failed("the test page was not printed"))
    }
}
