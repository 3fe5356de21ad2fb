//! The kiosk's devices on their own threads: the outbox worker (agency) and the printer. Their
//! results reach the window through its inbox.

use super::inbox::{Message, Poster};
use super::preapp::OutboxLink;
use crate::agency::deliver::{self, Agency};
use crate::config::Config;
use crate::printer::{PrintService, Printer};
use crate::printing::PrintRecorder;
use std::sync::Arc;

/// The outbox worker on its own thread with its own database connection and async runtime.
pub(super) fn start_delivery(
    agency: Agency,
    db: &std::path::Path,
    config: Arc<Config>,
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
    Ok(OutboxLink::new(db.to_path_buf(), config, wake))
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
    let recorder = db.map(|db| PrintRecorder::new(db.to_path_buf(), config.terminal.id.clone()));
    let service = PrintService::spawn(printer, move |report| {
        if let Some(recorder) = &recorder {
            recorder.record(&report, clock.now());
        }
        window.post(Message::Printer(report));
    })
    .map_err(|e| slint::PlatformError::Other(format!("cannot start the printer thread: {e}")))?;
    Ok(Arc::new(service))
}
