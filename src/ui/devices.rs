//! The kiosk's devices on their own threads: the outbox worker (agency) and the printer. Their
//! results reach the window through its inbox.

use super::inbox::{Message, Poster};
use super::preapp::OutboxLink;
use crate::agency::deliver::{self, Agency};
use crate::config::Config;
use crate::printer::{PrintService, Printer, Report};
use crate::printing;
use std::sync::Arc;

/// The outbox worker on its own thread with its own database connection and async runtime.
pub(super) fn start_delivery(
    agency: Agency,
    db: &std::path::Path,
    clock: Arc<dyn crate::clock::Clock>,
) -> Result<OutboxLink, slint::PlatformError> {
    let wake = Arc::new(tokio::sync::Notify::new());
    deliver::spawn_worker(
        db.to_path_buf(),
        agency,
        clock,
        wake.clone(),
        std::future::pending(),
    )
    .map_err(|e| slint::PlatformError::Other(format!("cannot start the outbox: {e}")))?;
    Ok(OutboxLink {
        db: db.to_path_buf(),
        wake,
    })
}

/// The printer thread. Each report is recorded in this terminal's database (the counters learn
/// about the printer from there) and posted to the window.
pub(super) fn start_printing(
    config: &Config,
    printer: Printer,
    db: Option<&std::path::Path>,
    clock: Arc<dyn crate::clock::Clock>,
    window: Poster,
) -> Result<Arc<PrintService>, slint::PlatformError> {
    let db = db.map(std::path::Path::to_path_buf);
    let store = std::sync::Mutex::new(None::<kiosk_store::Store>);
    let terminal = config.terminal.id.clone();
    let service = PrintService::spawn(printer, move |report| {
        if let Some(db) = &db {
            record_print_report(&store, db, &terminal, &report, clock.now());
        }
        window.post(Message::Printer(report));
    })
    .map_err(|e| slint::PlatformError::Other(format!("cannot start the printer thread: {e}")))?;
    Ok(Arc::new(service))
}

/// Runs on the printer thread: the counters learn about the printer through the database.
fn record_print_report(
    store: &std::sync::Mutex<Option<kiosk_store::Store>>,
    db: &std::path::Path,
    terminal: &str,
    report: &Report,
    at: chrono::DateTime<chrono::Utc>,
) {
    let Ok(mut slot) = store.lock() else { return };
    if slot.is_none() {
        match kiosk_store::Store::open(db) {
            Ok(s) => *slot = Some(s),
            Err(e) => {
                tracing::error!(error = %e, "printer events cannot be recorded");
                return;
            }
        }
    }
    if let Some(s) = slot.as_mut()
        && let Err(e) = printing::record_report(s, terminal, report, at)
    {
        tracing::error!(error = %e, "a printer event could not be recorded");
    }
}
