//! Putting submissions into the outbox. The row is committed (fsync) before this returns, so the
//! visitor is told "saved" only once a power cut can no longer lose it.

use super::submission::{
    CONSENT_TEXT_VERSION, Consent, Contact, DAILY_REPORT, PRE_APPLICATION, PreApplication, ScreeningPair,
    TicketRefOut,
};
use crate::config::Config;
use crate::eligibility::{ScreeningInput, ScreeningOutput};
use crate::queue::stats::DailyStats;
use chrono::{DateTime, Utc};
use kiosk_store::Store;
use kiosk_store::outbox_tables::{self as table, NewSubmission};
use serde::Serialize;
use std::path::PathBuf;
use std::sync::Arc;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Queued {
    /// The idempotency key.
    pub id: String,
    /// What the visitor's receipt and staff quote until the agency's reference arrives.
    pub local_reference: String,
}

fn new_ids(prefix: char, now: DateTime<Utc>, config: &Config) -> (String, String) {
    let id = uuid::Uuid::now_v7().to_string();
    let day = now.with_timezone(&config.time_zone()).format("%Y%m%d");
    let tail = id.replace('-', "");
    let local = format!("{prefix}-{day}-{}", tail[tail.len() - 6..].to_ascii_uppercase());
    (id, local)
}

pub struct PreApplicationRequest<'a> {
    pub input: &'a ScreeningInput,
    pub output: &'a ScreeningOutput,
    pub contact: &'a Contact,
    pub ticket: Option<(String, String)>,
    pub consent_at: DateTime<Utc>,
}

pub fn enqueue_pre_application(
    store: &mut Store,
    config: &Config,
    req: &PreApplicationRequest,
    now: DateTime<Utc>,
) -> Result<Queued, String> {
    let (id, local_reference) = new_ids('P', now, config);
    let body = PreApplication {
        schema: PRE_APPLICATION,
        created_at: now,
        hall_id: &config.hall.id,
        terminal_id: &config.terminal.id,
        language: req.output.language,
        ticket: req.ticket.clone().map(|(number, id)| TicketRefOut { number, id }),
        screening: ScreeningPair {
            input: req.input,
            output: req.output,
        },
        contact: req.contact,
        consent: Consent {
            given_at: req.consent_at,
            text_version: CONSENT_TEXT_VERSION.into(),
        },
    };
    let bytes = serde_json::to_vec(&body).map_err(|e| format!("cannot encode the pre-application: {e}"))?;
    insert(store, &id, PRE_APPLICATION, &local_reference, now, &bytes)?;
    tracing::info!(submission = %id, local_reference = %local_reference, "pre-application saved in the outbox");
    Ok(Queued { id, local_reference })
}

#[derive(Serialize)]
struct DailyReport<'a> {
    schema: &'static str,
    hall_id: &'a str,
    terminal_id: &'a str,
    #[serde(flatten)]
    stats: kiosk_contract::DailyStatsView,
}

/// The day's report, once per hall and business day (a second call for the same day is a no-op).
pub fn enqueue_daily_report(
    store: &mut Store,
    config: &Config,
    stats: &DailyStats,
    now: DateTime<Utc>,
) -> Result<Option<Queued>, String> {
    let local_reference = format!("R-{}-{}", config.hall.id, stats.business_day.format("%Y%m%d"));
    let exists = store
        .read(|tx| table::by_local_reference(tx, &local_reference))
        .map_err(|e| e.to_string())?;
    if exists.is_some() {
        return Ok(None);
    }
    let body = DailyReport {
        schema: DAILY_REPORT,
        hall_id: &config.hall.id,
        terminal_id: &config.terminal.id,
        stats: stats.into(),
    };
    let bytes = serde_json::to_vec(&body).map_err(|e| format!("cannot encode the daily report: {e}"))?;
    let id = uuid::Uuid::now_v7().to_string();
    insert(store, &id, DAILY_REPORT, &local_reference, now, &bytes)?;
    tracing::info!(submission = %id, day = %stats.business_day, "daily report saved in the outbox");
    Ok(Some(Queued { id, local_reference }))
}

fn insert(
    store: &mut Store,
    id: &str,
    kind: &str,
    local_reference: &str,
    now: DateTime<Utc>,
    body: &[u8],
) -> Result<(), String> {
    store
        .write(|tx| {
            table::insert(
                tx,
                &NewSubmission {
                    id,
                    kind,
                    local_reference,
                    created_at: now,
                    body,
                },
            )
        })
        .map_err(|e| format!("the outbox could not save the submission: {e}"))
}

/// A kiosk's way into its own outbox, made by the composition root and handed to the screens:
/// they save pre-applications and ask for delivery through it, and never open the database.
#[derive(Clone)]
pub struct OutboxLink {
    db: PathBuf,
    config: Arc<Config>,
    wake: Arc<tokio::sync::Notify>,
}

/// A saved pre-application, and a connection to learn the office's reference for it.
pub struct SavedPreApplication {
    pub queued: Queued,
    store: Store,
}

impl OutboxLink {
    /// The outbox in the database `db`, whose delivery worker waits on `wake`.
    pub fn new(db: PathBuf, config: Arc<Config>, wake: Arc<tokio::sync::Notify>) -> Self {
        Self { db, config, wake }
    }

    /// Saves a pre-application (committed before this returns) and wakes delivery.
    pub fn save_pre_application(
        &self,
        req: &PreApplicationRequest,
        now: DateTime<Utc>,
    ) -> Result<SavedPreApplication, String> {
        let mut store = Store::open(&self.db).map_err(|e| e.to_string())?;
        let queued = enqueue_pre_application(&mut store, &self.config, req, now)?;
        self.deliver_now();
        Ok(SavedPreApplication { queued, store })
    }

    /// Asks the delivery worker to try now rather than at its next retry.
    pub fn deliver_now(&self) {
        self.wake.notify_one();
    }
}

impl SavedPreApplication {
    /// The office's own reference, once the agency has acknowledged the submission.
    pub fn agency_reference(&mut self) -> Option<String> {
        let local = &self.queued.local_reference;
        self.store
            .read(|tx| table::by_local_reference(tx, local))
            .ok()
            .flatten()
            .and_then(|entry| entry.reference)
    }
}
