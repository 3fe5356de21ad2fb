//! A local receiver that implements the agency's side of the contract, for tests and pilots
//! (`kiosk agency-receiver`). It verifies every signature, answers a repeated idempotency key with
//! the same reference (or 409 for a different body), keeps what it accepted in a JSON-lines file
//! so a restart remembers, and injects faults on demand: a share of 5xx, of 429 with
//! `Retry-After`, of connections dropped after the submission was stored, and delays.

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use kiosk_core::delivery::verify;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::io::Write;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

#[derive(Debug, Clone, Default)]
pub struct Faults {
    /// Share of requests answered 503 before anything is stored.
    pub server_error: f64,
    /// Share answered 429 with `Retry-After: 1`.
    pub too_many: f64,
    /// Share whose connection drops after the submission was stored (the terminal never hears).
    pub drop_after_store: f64,
    /// Share delayed by `delay` after storing (longer than the terminal's timeout: it gives up).
    pub delay_share: f64,
    pub delay: Duration,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct Stats {
    /// First acceptances (201): each is one case at the agency.
    pub accepted: u64,
    /// Repeats answered 200 with the same reference.
    pub repeats: u64,
    pub conflicts: u64,
    pub bad_signatures: u64,
    pub injected_faults: u64,
}

#[derive(Serialize, Deserialize)]
struct Record {
    key: String,
    digest: String,
    reference: String,
    terminal: String,
    body: serde_json::Value,
}

struct Inner {
    seen: HashMap<String, (String, String)>,
    stats: Stats,
    file: Option<std::fs::File>,
}

pub struct Receiver {
    key: Vec<u8>,
    faults: Faults,
    inner: Mutex<Inner>,
}

impl Receiver {
    /// `store`: where accepted submissions are appended (and read back at start).
    pub fn new(key: Vec<u8>, faults: Faults, store: Option<PathBuf>) -> std::io::Result<Self> {
        let mut seen = HashMap::new();
        let mut file = None;
        if let Some(path) = store {
            if let Ok(text) = std::fs::read_to_string(&path) {
                for line in text.lines() {
                    if let Ok(r) = serde_json::from_str::<Record>(line) {
                        seen.insert(r.key, (r.digest, r.reference));
                    }
                }
            }
            file = Some(std::fs::OpenOptions::new().create(true).append(true).open(path)?);
        }
        Ok(Self {
            key,
            faults,
            inner: Mutex::new(Inner {
                seen,
                stats: Stats::default(),
                file,
            }),
        })
    }

    pub fn stats(&self) -> Stats {
        self.inner.lock().map(|i| i.stats.clone()).unwrap_or_default()
    }

    pub fn router(self: Arc<Self>) -> Router {
        Router::new()
            .route("/v1/submissions", post(submit))
            .route("/v1/stats", get(stats))
            .with_state(self)
    }

    fn count_fault(&self) {
        if let Ok(mut i) = self.inner.lock() {
            i.stats.injected_faults += 1;
        }
    }
}

fn chance(share: f64) -> bool {
    share > 0.0 && rand::random::<f64>() < share
}

fn header<'a>(h: &'a HeaderMap, name: &str) -> Option<&'a str> {
    h.get(name).and_then(|v| v.to_str().ok())
}

async fn stats(State(r): State<Arc<Receiver>>) -> Response {
    axum::Json(r.stats()).into_response()
}

fn reply(status: StatusCode, reference: &str) -> Response {
    (status, axum::Json(serde_json::json!({ "reference": reference }))).into_response()
}

async fn submit(State(r): State<Arc<Receiver>>, headers: HeaderMap, body: Bytes) -> Response {
    let (Some(key), Some(ts), Some(sig), Some(terminal)) = (
        header(&headers, "Idempotency-Key"),
        header(&headers, "X-Timestamp"),
        header(&headers, "X-Signature"),
        header(&headers, "X-Terminal-Id"),
    ) else {
        return (StatusCode::BAD_REQUEST, "missing headers").into_response();
    };
    if !verify(&r.key, ts, key, &body, sig) {
        if let Ok(mut i) = r.inner.lock() {
            i.stats.bad_signatures += 1;
        }
        return (StatusCode::UNAUTHORIZED, "bad signature").into_response();
    }
    if chance(r.faults.server_error) {
        r.count_fault();
        return (
            StatusCode::SERVICE_UNAVAILABLE,
            [("Retry-After", "0")],
            "injected",
        )
            .into_response();
    }
    if chance(r.faults.too_many) {
        r.count_fault();
        return (StatusCode::TOO_MANY_REQUESTS, [("Retry-After", "1")], "slow down").into_response();
    }
    let Ok(json) = serde_json::from_slice::<serde_json::Value>(&body) else {
        return (StatusCode::BAD_REQUEST, "not JSON").into_response();
    };
    let schema = json.get("schema").and_then(|s| s.as_str()).unwrap_or_default();
    if schema != super::submission::PRE_APPLICATION && schema != super::submission::DAILY_REPORT {
        return (StatusCode::UNPROCESSABLE_ENTITY, "unknown schema").into_response();
    }
    let digest = kiosk_core::digest::sha256_hex(&body);
    let (status, reference) = {
        let Ok(mut inner) = r.inner.lock() else {
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        };
        match inner.seen.get(key).cloned() {
            Some((d, reference)) if d == digest => {
                inner.stats.repeats += 1;
                (StatusCode::OK, reference)
            }
            Some(_) => {
                inner.stats.conflicts += 1;
                return (StatusCode::CONFLICT, "key reused with a different body").into_response();
            }
            None => {
                inner.stats.accepted += 1;
                let reference = format!("GZLA-{:08}", inner.seen.len() + 1);
                let record = Record {
                    key: key.to_owned(),
                    digest: digest.clone(),
                    reference: reference.clone(),
                    terminal: terminal.to_owned(),
                    body: json,
                };
                if let Some(f) = inner.file.as_mut() {
                    let line = serde_json::to_string(&record).unwrap_or_default();
                    if writeln!(f, "{line}").and_then(|()| f.sync_data()).is_err() {
                        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
                    }
                }
                inner.seen.insert(key.to_owned(), (digest, reference.clone()));
                (StatusCode::CREATED, reference)
            }
        }
    };
    if chance(r.faults.delay_share) {
        r.count_fault();
        tokio::time::sleep(r.faults.delay).await;
    }
    if chance(r.faults.drop_after_store) {
        r.count_fault();
        // Headers go out, then the body fails: the connection is cut before the reference arrives.
        let broken = futures_util::stream::once(async {
            Err::<Bytes, std::io::Error>(std::io::Error::other("injected connection drop"))
        });
        return Response::builder()
            .status(status)
            .body(Body::from_stream(broken))
            .unwrap_or_else(|_| StatusCode::INTERNAL_SERVER_ERROR.into_response());
    }
    reply(status, &reference)
}

/// Serves until `stop` completes.
pub async fn serve(
    listener: tokio::net::TcpListener,
    receiver: Arc<Receiver>,
    stop: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(listener, receiver.router())
        .with_graceful_shutdown(stop)
        .await
}
