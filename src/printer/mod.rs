//! Printing: the configured transport (`link`), real-time status (`status`), and a print thread
//! that checks the printer before and after each receipt and retries what a retry can fix.
//! A failed print never touches the queue: the ticket stays valid, the caller tells the visitor
//! to note the number, and the report reaches the counters as a "printer needs attention" event.

pub mod link;
pub mod status;

use crate::config::PrinterConfig;
use crate::receipt::{Paper, Receipt, encode, preview};
use link::{Link, Outgoing};
use status::{Problem, Status};
use std::path::PathBuf;
use std::sync::mpsc;
use std::time::Duration;

/// Attempts per receipt; only problems a retry can fix (no reply, a broken link) are retried,
/// and only before any byte of the receipt was sent, so a visitor never gets two tickets.
pub const MAX_ATTEMPTS: u32 = 3;
const FIRST_BACKOFF: Duration = Duration::from_millis(300);

pub struct PrintJob {
    /// A file-safe name for the receipt (e.g. `2026-11-26-A012`), used by the file printer.
    pub name: String,
    pub receipt: Receipt,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Printed { paper_low: bool },
    Failed(Problem),
}

#[derive(Debug, Clone)]
pub struct Report {
    pub name: String,
    pub outcome: Outcome,
    pub attempts: u32,
    pub bytes: usize,
}

impl Report {
    /// What the counters should hear about, if anything.
    pub fn attention(&self) -> Option<String> {
        match &self.outcome {
            Outcome::Printed { paper_low: false } => None,
            Outcome::Printed { paper_low: true } => {
                Some("paper is running low: have a new roll ready".into())
            }
            Outcome::Failed(p) => Some(p.to_string()),
        }
    }
}

/// The configured printer, opened on first use and reopened after a broken link.
pub struct Printer {
    config: PrinterConfig,
    file_dir: PathBuf,
    paper: Paper,
    link: Option<Box<dyn Link>>,
}

impl Printer {
    pub fn new(config: PrinterConfig, file_dir: PathBuf) -> Self {
        let paper = Paper::from_mm(config.paper_width_mm).unwrap_or(Paper::Mm80);
        Self {
            config,
            file_dir,
            paper,
            link: None,
        }
    }

    pub fn paper(&self) -> Paper {
        self.paper
    }

    pub fn describe(&mut self) -> String {
        match self.link() {
            Ok(link) => link.describe(),
            Err(p) => p.to_string(),
        }
    }

    fn link(&mut self) -> Result<&mut Box<dyn Link>, Problem> {
        if self.link.is_none() {
            self.link = Some(link::open(&self.config, self.file_dir.clone())?);
        }
        self.link
            .as_mut()
            .ok_or_else(|| Problem::Link("the printer link is not open".into()))
    }

    pub fn status(&mut self) -> Result<Status, Problem> {
        let result = self.link()?.status();
        if matches!(&result, Err(p) if p.is_transient()) {
            self.link = None;
        }
        result
    }

    /// Prints one receipt: status, bytes, status again.
    pub fn print(&mut self, job: &PrintJob) -> Report {
        let bytes = match encode::encode(&job.receipt, self.paper) {
            Ok(b) => b,
            Err(e) => return self.report(job, Outcome::Failed(Problem::Link(e.to_string())), 0, 0),
        };
        let paper = self.paper;
        let render = || preview::to_png(&preview::render(&job.receipt, paper)).ok();
        let out = Outgoing {
            name: &job.name,
            bytes: &bytes,
            preview_png: Some(&render),
        };
        let mut attempt = 0;
        loop {
            attempt += 1;
            match self.try_once(&out) {
                Ok(after) => {
                    let outcome = Outcome::Printed {
                        paper_low: after.paper_near_end,
                    };
                    return self.report(job, outcome, attempt, bytes.len());
                }
                Err((problem, sent)) => {
                    if problem.is_transient() {
                        self.link = None;
                    }
                    if sent || !problem.is_transient() || attempt >= MAX_ATTEMPTS {
                        return self.report(job, Outcome::Failed(problem), attempt, bytes.len());
                    }
                    std::thread::sleep(FIRST_BACKOFF * 2u32.pow(attempt - 1));
                }
            }
        }
    }

    /// One attempt; the flag says whether bytes went out (then it must not be repeated).
    fn try_once(&mut self, out: &Outgoing) -> Result<Status, (Problem, bool)> {
        let link = self.link().map_err(|p| (p, false))?;
        let before = link.status().map_err(|p| (p, false))?;
        if let Some(p) = before.problem() {
            return Err((p, false));
        }
        link.send(out).map_err(|p| (p, true))?;
        let after = link.status().map_err(|p| (p, true))?;
        match after.problem() {
            // The paper ran out or the cover opened during the receipt: it may be incomplete.
            Some(p) => Err((p, true)),
            None => Ok(after),
        }
    }

    fn report(&self, job: &PrintJob, outcome: Outcome, attempts: u32, bytes: usize) -> Report {
        match &outcome {
            Outcome::Printed { .. } => {
                tracing::info!(receipt = %job.name, attempts, bytes, "receipt printed")
            }
            Outcome::Failed(p) => {
                tracing::warn!(receipt = %job.name, attempts, problem = p.code(), "receipt not printed: {p}")
            }
        }
        Report {
            name: job.name.clone(),
            outcome,
            attempts,
            bytes,
        }
    }
}

/// What the print thread is asked: a receipt, or how the printer is (for technician mode: the
/// thread holds the port, which opens only once).
enum Request {
    Print(PrintJob),
    Status(Box<dyn FnOnce(String, Result<Status, Problem>) + Send>),
}

/// The print thread: receipts print one after another, off the UI thread.
pub struct PrintService {
    jobs: mpsc::Sender<Request>,
}

impl PrintService {
    /// Starts the thread; it ends when the service is dropped.
    pub fn spawn(mut printer: Printer, on_report: impl Fn(Report) + Send + 'static) -> std::io::Result<Self> {
        let (jobs, inbox) = mpsc::channel::<Request>();
        std::thread::Builder::new()
            .name("printer".into())
            .spawn(move || {
                for request in inbox {
                    let job = match request {
                        Request::Print(job) => job,
                        Request::Status(answer) => {
                            let asked = crate::supervise::guarded("printer", "status", || {
                                (printer.describe(), printer.status())
                            });
                            if let Some((name, status)) = asked {
                                answer(name, status);
                            }
                            continue;
                        }
                    };
                    let printed = crate::supervise::guarded("printer", &job.name, || printer.print(&job));
                    if let Some(report) = printed
                        && crate::supervise::guarded("printer", "report", || on_report(report)).is_none()
                    {
                        tracing::error!(receipt = %job.name, "the print report could not be handled");
                    }
                }
            })?;
        Ok(Self { jobs })
    }

    pub fn submit(&self, job: PrintJob) {
        if self.jobs.send(Request::Print(job)).is_err() {
            tracing::error!("the printer thread has stopped; a receipt was not printed");
        }
    }

    /// Asks the printer how it is, after the receipts already waiting; `answer` runs on the
    /// print thread with the printer's description and its status.
    pub fn ask_status(&self, answer: impl FnOnce(String, Result<Status, Problem>) + Send + 'static) {
        if self.jobs.send(Request::Status(Box::new(answer))).is_err() {
            tracing::error!("the printer thread has stopped; its status cannot be asked");
        }
    }
}
