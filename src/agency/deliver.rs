//! Delivery: one signed HTTP attempt per due submission, the answer applied to the outbox in its
//! own durable transaction, and the worker that keeps doing it. Logs name submissions by their
//! idempotency key and local reference only — never a body.

use crate::clock::Clock;
use crate::config::Config;
use chrono::{DateTime, Utc};
use kiosk_core::delivery::{FIRST_BACKOFF, Verdict, backoff, classify, key_from_file_bytes, sign};
use kiosk_store::Store;
use kiosk_store::outbox_tables as table;
use serde::Serialize;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(15);
const BATCH: u32 = 200;
/// How long the worker sleeps when nothing is due (a new submission wakes it sooner).
pub const IDLE: Duration = Duration::from_secs(5);

/// The agency's endpoint as this terminal talks to it.
#[derive(Clone)]
pub struct Agency {
    client: reqwest::Client,
    endpoint: String,
    key: Vec<u8>,
    terminal: String,
    first_backoff: Duration,
}

impl Agency {
    pub fn new(url: &str, key: Vec<u8>, terminal: String) -> Result<Self, String> {
        Self::with_timeout(url, key, terminal, REQUEST_TIMEOUT)
    }

    pub fn with_timeout(
        url: &str,
        key: Vec<u8>,
        terminal: String,
        timeout: Duration,
    ) -> Result<Self, String> {
        let client = reqwest::Client::builder()
            .connect_timeout(CONNECT_TIMEOUT.min(timeout))
            .timeout(timeout)
            .build()
            .map_err(|e| format!("cannot set up HTTPS: {e}"))?;
        Ok(Self {
            client,
            endpoint: format!("{}/v1/submissions", url.trim_end_matches('/')),
            key,
            terminal,
            first_backoff: FIRST_BACKOFF,
        })
    }

    /// The provisioned agency, or None when none is provisioned. `config_dir` resolves a relative
    /// key file.
    pub fn from_config(config: &Config, config_dir: Option<&Path>) -> Result<Option<Self>, String> {
        let Some(a) = &config.agency else { return Ok(None) };
        let path = match config_dir {
            Some(dir) if a.key_file.is_relative() => dir.join(&a.key_file),
            _ => a.key_file.clone(),
        };
        let key = crate::fsutil::read_bytes(&path, crate::fsutil::KEY_LIMIT)
            .map_err(|e| format!("cannot read the agency key file {}: {e}", path.display()))?;
        let key = key_from_file_bytes(key);
        if key.is_empty() {
            return Err(format!("the agency key file {} is empty", path.display()));
        }
        let terminal = format!("{}/{}", config.hall.id, config.terminal.id);
        let timeout = a.timeout_ms.map_or(REQUEST_TIMEOUT, Duration::from_millis);
        let agency = Self::with_timeout(&a.url, key, terminal, timeout)?;
        Ok(Some(match a.first_retry_ms {
            Some(ms) => agency.with_first_backoff(Duration::from_millis(ms)),
            None => agency,
        }))
    }

    /// Shorter backoff steps, for tests and benchmarks against the local receiver.
    pub fn with_first_backoff(mut self, first: Duration) -> Self {
        self.first_backoff = first;
        self
    }

    async fn attempt(&self, id: &str, body: &[u8], now: DateTime<Utc>) -> Result<Answer, String> {
        let timestamp = now.to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
        let response = self
            .client
            .post(&self.endpoint)
            .header("Content-Type", "application/json")
            .header("Idempotency-Key", id)
            .header("X-Terminal-Id", &self.terminal)
            .header("X-Timestamp", &timestamp)
            .header("X-Signature", sign(&self.key, &timestamp, id, body))
            .body(body.to_vec())
            .send()
            .await
            .map_err(|e| describe(&e))?;
        let status = response.status().as_u16();
        let retry_after = response
            .headers()
            .get("Retry-After")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse::<u64>().ok())
            .map(Duration::from_secs);
        let bytes = read_capped(response).await?;
        let reference = serde_json::from_slice::<serde_json::Value>(&bytes)
            .ok()
            .and_then(|v| v.get("reference")?.as_str().map(str::to_owned))
            .filter(|r| plausible_reference(r));
        Ok(Answer {
            status,
            retry_after,
            reference,
        })
    }
}

/// The most of an answer read: the contract's answers are a few hundred bytes.
const ANSWER_LIMIT: usize = 64 * 1024;
/// The agency's reference is printed and shown: a short code, never a document.
const REFERENCE_MAX_CHARS: usize = 64;

async fn read_capped(mut response: reqwest::Response) -> Result<Vec<u8>, String> {
    let mut bytes = Vec::new();
    while let Some(chunk) = response.chunk().await.map_err(|e| describe(&e))? {
        if bytes.len() + chunk.len() > ANSWER_LIMIT {
            return Err(format!("the answer is larger than {} KiB", ANSWER_LIMIT / 1024));
        }
        bytes.extend_from_slice(&chunk);
    }
    Ok(bytes)
}

/// A reference a visitor can be given: short, printable, not empty.
fn plausible_reference(r: &str) -> bool {
    let count = r.chars().count();
    (1..=REFERENCE_MAX_CHARS).contains(&count) && !r.chars().any(char::is_control)
}

struct Answer {
    status: u16,
    retry_after: Option<Duration>,
    reference: Option<String>,
}

fn describe(e: &reqwest::Error) -> String {
    if e.is_timeout() {
        "timed out".into()
    } else if e.is_connect() {
        "could not connect".into()
    } else {
        // reqwest's text names the URL, never the body.
        format!("connection failed: {e}")
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct DrainReport {
    pub attempted: u64,
    pub delivered: u64,
    pub retrying: u64,
    pub dead: u64,
    /// After deliveries: whether the WAL (with the deleted personal data) was truncated.
    pub wal_truncated: bool,
}

/// Attempts every due submission once (`all`: every pending one, due or not — `outbox flush`).
pub async fn drain(
    store: &mut Store,
    agency: &Agency,
    clock: &dyn Clock,
    all: bool,
) -> Result<DrainReport, String> {
    let mut report = DrainReport::default();
    let mut seen = std::collections::HashSet::new();
    loop {
        let horizon = if all {
            DateTime::<Utc>::MAX_UTC
        } else {
            clock.now()
        };
        let due = store
            .read(|tx| table::due(tx, horizon, BATCH))
            .map_err(|e| e.to_string())?;
        let fresh: Vec<_> = due.into_iter().filter(|d| seen.insert(d.id.clone())).collect();
        if fresh.is_empty() {
            break;
        }
        for item in fresh {
            let now = clock.now();
            let outcome = agency.attempt(&item.id, &item.body, now).await;
            report.attempted += 1;
            apply(store, agency, &item, outcome, now, &mut report)?;
        }
    }
    if report.delivered > 0 {
        report.wal_truncated = store.truncate_wal().map_err(|e| e.to_string())?;
        if !report.wal_truncated {
            tracing::warn!("the WAL could not be truncated yet (a reader was active); trying again shortly");
        }
    }
    Ok(report)
}

fn apply(
    store: &mut Store,
    agency: &Agency,
    item: &table::Due,
    outcome: Result<Answer, String>,
    now: DateTime<Utc>,
    report: &mut DrainReport,
) -> Result<(), String> {
    let verdict = match &outcome {
        Ok(a) => match (classify(a.status, a.retry_after), &a.reference) {
            (Verdict::Delivered, None) => Verdict::Retry { after: None },
            (v, _) => v,
        },
        Err(_) => Verdict::Retry { after: None },
    };
    let error = match &outcome {
        Ok(a) if a.reference.is_none() && matches!(classify(a.status, None), Verdict::Delivered) => {
            format!("HTTP {} without a reference", a.status)
        }
        Ok(a) => format!("HTTP {}", a.status),
        Err(e) => e.clone(),
    };
    let result = match verdict {
        Verdict::Delivered => {
            let reference = outcome.ok().and_then(|a| a.reference).unwrap_or_default();
            report.delivered += 1;
            tracing::info!(submission = %item.id, kind = %item.kind, reference = %reference, "delivered");
            store.write(|tx| table::mark_delivered(tx, &item.id, &reference, now).map(|_| ()))
        }
        Verdict::Retry { after } => {
            let unit: f64 = rand::random();
            let delay = backoff(item.attempts + 1, after, unit, agency.first_backoff);
            // `backoff` caps the delay at a day, so this cannot overflow; saturate all the same.
            let next = chrono::Duration::from_std(delay)
                .ok()
                .and_then(|d| now.checked_add_signed(d))
                .unwrap_or(now);
            report.retrying += 1;
            tracing::warn!(submission = %item.id, attempt = item.attempts + 1, %error, retry_in = ?delay, "not delivered; will retry");
            store.write(|tx| table::mark_retry(tx, &item.id, next, &error))
        }
        Verdict::Dead => {
            report.dead += 1;
            tracing::error!(submission = %item.id, %error, "refused by the agency: dead letter for a technician");
            store.write(|tx| table::mark_dead(tx, &item.id, &error))
        }
    };
    result.map_err(|e| format!("the outbox could not record a delivery attempt: {e}"))
}

/// Delivers in the background until `stop` fires: due submissions now, then sleeps until the
/// next one is due (at most `idle`), waking early when `wake` is notified (a new submission).
pub async fn run(
    mut store: Store,
    agency: Agency,
    clock: Arc<dyn Clock>,
    wake: Arc<tokio::sync::Notify>,
    idle: Duration,
    stop: impl std::future::Future<Output = ()>,
) {
    tokio::pin!(stop);
    // Deleted personal data still in the WAL: truncate as soon as no reader is in the way.
    let mut wal_dirty = false;
    loop {
        match drain(&mut store, &agency, clock.as_ref(), false).await {
            Ok(r) if r.delivered > 0 => wal_dirty = !r.wal_truncated,
            Ok(_) => {}
            Err(e) => tracing::error!(error = %e, "outbox delivery failed; will try again"),
        }
        if wal_dirty {
            wal_dirty = !store.truncate_wal().unwrap_or(false);
        }
        let longest = if wal_dirty {
            Duration::from_millis(200)
        } else {
            idle
        };
        let next = store.read(table::next_due).ok().flatten();
        let wait = next
            .map(|at| (at - clock.now()).to_std().unwrap_or_default())
            .unwrap_or(longest)
            .clamp(Duration::from_millis(20), longest);
        tokio::select! {
            _ = tokio::time::sleep(wait) => {}
            _ = wake.notified() => {}
            _ = &mut stop => return,
        }
    }
}

/// `run` that survives its own panics: each one is logged and delivery starts again on a fresh
/// database connection after a pause, so no reply from the agency can leave submissions pending
/// forever behind a dead task. After `Restarts::DEFAULT.max` panics in a short time it stops and
/// says so (submissions wait in the database for the next start). Ends when `stop` fires.
pub async fn run_supervised(
    db: std::path::PathBuf,
    agency: Agency,
    clock: Arc<dyn Clock>,
    wake: Arc<tokio::sync::Notify>,
    idle: Duration,
    stop: impl std::future::Future<Output = ()>,
) {
    let policy = crate::supervise::Restarts::DEFAULT;
    let mut budget = crate::supervise::RestartBudget::new(policy);
    tokio::pin!(stop);
    loop {
        let store = match Store::open(&db) {
            Ok(store) => store,
            Err(e) => {
                tracing::error!(error = %e, "the outbox cannot be opened; trying again shortly");
                tokio::select! {
                    _ = tokio::time::sleep(policy.pause * 5) => continue,
                    _ = &mut stop => return,
                }
            }
        };
        let mut task = tokio::spawn(run(
            store,
            agency.clone(),
            clock.clone(),
            wake.clone(),
            idle,
            std::future::pending(),
        ));
        let joined = tokio::select! {
            joined = &mut task => joined,
            _ = &mut stop => {
                task.abort();
                return;
            }
        };
        let Err(e) = joined else { return };
        let message = if e.is_panic() {
            crate::supervise::panic_message(e.into_panic().as_ref())
        } else {
            e.to_string()
        };
        let Some(restart) = budget.spend() else {
            tracing::error!(panic = %message, "outbox delivery keeps failing; it stops until the next start (submissions stay queued)");
            return;
        };
        tracing::error!(panic = %message, restart, "outbox delivery failed unexpectedly; starting it again");
        tokio::select! {
            _ = tokio::time::sleep(policy.pause) => {}
            _ = &mut stop => return,
        }
    }
}

/// The outbox worker on a thread of its own (with its own current-thread runtime and database
/// connection) until `stop` fires: `run_supervised` for the kiosk and the hall host service alike.
pub fn spawn_worker(
    db: std::path::PathBuf,
    agency: Agency,
    clock: Arc<dyn Clock>,
    wake: Arc<tokio::sync::Notify>,
    stop: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<std::thread::JoinHandle<()>> {
    std::thread::Builder::new().name("outbox".into()).spawn(move || {
        match tokio::runtime::Builder::new_current_thread().enable_all().build() {
            Ok(rt) => rt.block_on(run_supervised(db, agency, clock, wake, IDLE, stop)),
            Err(e) => tracing::error!(error = %e, "the outbox cannot run; submissions wait in the database"),
        }
    })
}
