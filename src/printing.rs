//! Where the queue meets the printer: which receipt a ticket or a screening gets, and where the
//! printer's reports go (the counters' "printer needs attention" events).

use crate::config::Config;
use crate::eligibility::ScreeningOutput;
use crate::lang::Lang;
use crate::printer::{Outcome, PrintJob, Report};
use crate::queue_service::TicketView;
use crate::receipt::screening::{SummaryContext, summary_receipt};
use crate::receipt::ticket::{TicketContext, TicketFacts, local_time, ticket_receipt};
use chrono::{DateTime, Utc};
use kiosk_store::Store;
use kiosk_store::device_events::{self, DeviceEvent};

fn facts(t: &TicketView) -> TicketFacts<'_> {
    TicketFacts {
        id: &t.id,
        number: &t.number,
        service_name: &t.service_name,
        priority: t.priority,
        business_day: t.business_day,
        issued_at: t.issued_at,
        people_ahead: t.people_ahead,
        estimated_wait_minutes: t.estimated_wait_minutes,
    }
}

/// A page that shows the printer can do everything a receipt needs: both scripts, large
/// figures, a QR code and a Uyghur line (drawn). `kiosk print-test` and technician mode print it.
pub fn test_page_job(config: &Config, now: DateTime<Utc>) -> PrintJob {
    use crate::receipt::{Align, Block, Line, Receipt, Size};
    let hall = config.hall_names();
    let mut receipt = Receipt::new(Lang::ZhCn);
    receipt
        .centered("TEST PAGE 测试页", Size::Double, true)
        .centered(hall.zh.as_str(), Size::Normal, false)
        .centered(hall.en.as_str(), Size::Normal, false)
        .body(format!("{} · {}", config.terminal.id, now.to_rfc3339()))
        .body("法律援助 GB18030: 法律援助中心 取号 排队")
        .body("ABCDEFGHIJKLMNOPQRSTUVWXYZ 0123456789")
        .centered("A012", Size::Huge, true)
        .push(Block::Qr(format!("KIOSK-TEST {}", config.terminal.id)));
    receipt.blocks.push(Block::Text(Line {
        text: hall.ug.clone(),
        size: Size::Normal,
        align: Align::Center,
        bold: false,
    }));
    PrintJob {
        name: format!("{TEST_PAGE}{}", now.format("%Y%m%d-%H%M%S")),
        receipt,
    }
}

/// How the name of a test page's job starts.
pub const TEST_PAGE: &str = "test-page-";

pub fn ticket_job(config: &Config, ticket: &TicketView, lang: Lang) -> PrintJob {
    let hall = config.hall_names();
    let status_url = config.ticket_status_url();
    let ctx = TicketContext {
        hall: &hall,
        service: config.service(ticket.service).map(|s| &s.name),
        time_zone: config.time_zone(),
        status_url: status_url.as_deref(),
        hall_id: &config.hall.id,
    };
    PrintJob {
        name: format!("{}-{}-{}", ticket.business_day, ticket.number, lang.code()),
        receipt: ticket_receipt(&facts(ticket), lang, &ctx),
    }
}

pub fn summary_job(
    config: &Config,
    output: &ScreeningOutput,
    at: DateTime<Utc>,
    local_reference: &str,
    agency_reference: Option<&str>,
) -> PrintJob {
    let hall = config.hall_names();
    let when = local_time(at, config.time_zone());
    let ctx = SummaryContext {
        hall: &hall,
        at: &when,
        local_reference,
        agency_reference,
    };
    PrintJob {
        name: format!("screening-{local_reference}"),
        receipt: summary_receipt(output, &ctx),
    }
}

/// Records what the counters must know: a problem, or that the printer works again.
pub fn record_report(
    store: &mut Store,
    terminal: &str,
    report: &Report,
    at: DateTime<Utc>,
) -> kiosk_store::SqlResult<()> {
    store.write(|tx| {
        let previous = device_events::latest(tx, device_events::PRINTER, terminal)?;
        let (event, problem) = match &report.outcome {
            Outcome::Failed(p) => ("attention", Some(p.code().to_owned())),
            Outcome::Printed { paper_low: true } => ("attention", Some("paper_near_end".to_owned())),
            Outcome::Printed { paper_low: false } => {
                if previous.is_none_or(|e| e.event != "attention") {
                    return Ok(());
                }
                ("recovered", None)
            }
        };
        device_events::record(
            tx,
            &DeviceEvent {
                at,
                device: device_events::PRINTER.into(),
                event: event.into(),
                problem,
                detail: report.attention(),
                receipt: Some(report.name.clone()),
                terminal: Some(terminal.to_owned()),
            },
        )
    })
}

/// The open problem of this terminal's printer, if its latest event is one.
pub fn printer_attention(store: &mut Store, terminal: &str) -> kiosk_store::SqlResult<Option<DeviceEvent>> {
    let latest = store.read(|tx| device_events::latest(tx, device_events::PRINTER, terminal))?;
    Ok(latest.filter(|e| e.event == "attention"))
}

/// Records a kiosk's printer reports in its database from the printer thread, opening the
/// database at the first report (the screens hand reports on and never open it themselves).
pub struct PrintRecorder {
    db: std::path::PathBuf,
    terminal: String,
    store: std::sync::Mutex<Option<Store>>,
}

impl PrintRecorder {
    pub fn new(db: std::path::PathBuf, terminal: String) -> Self {
        Self {
            db,
            terminal,
            store: std::sync::Mutex::new(None),
        }
    }

    /// Records `report`; a failure is logged (the print itself is not affected).
    pub fn record(&self, report: &Report, at: DateTime<Utc>) {
        let Ok(mut slot) = self.store.lock() else { return };
        if slot.is_none() {
            match Store::open(&self.db) {
                Ok(s) => *slot = Some(s),
                Err(e) => {
                    tracing::error!(error = %e, "printer events cannot be recorded");
                    return;
                }
            }
        }
        if let Some(s) = slot.as_mut()
            && let Err(e) = record_report(s, &self.terminal, report, at)
        {
            tracing::error!(error = %e, "a printer event could not be recorded");
        }
    }
}
