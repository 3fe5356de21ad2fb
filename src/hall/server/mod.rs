//! The hall API on the hall host: axum over HTTPS with mutual TLS.
//!
//! Every request but enrolment must come with a client certificate from the hall CA; the host
//! looks the certificate up among enrolled terminals on each request (so a revocation takes
//! effect at once) and the terminal's role decides what it may do. Each operation is one
//! transaction on the queue database, exactly as on the host itself; changes carry an
//! `Idempotency-Key` whose answer is kept in the same transaction. The public ticket status
//! page is a second, plain-HTTP listener that serves nothing else.

mod connections;
mod events;
mod listener;
mod metrics;
mod rate;
mod reads;
#[cfg(test)]
mod route_matrix;
mod routes;
mod status_page;

pub use connections::ConnectionLimits;

use super::access::{Enrolled, TerminalRole, Want};
use super::pki::HallCa;
use crate::clock::Clock;
use crate::config::Config;
use crate::hall_queue::{KeyedAnswer, LocalQueue};
use crate::queue_service::QueueService;
use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use kiosk_contract::{HallError, HallEvent};
use kiosk_store::Store;
use kiosk_store::hall_tables;
use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};
use tokio::net::TcpListener;

/// Where the API listens (the default: nowhere).
#[derive(Debug, Clone, Default)]
pub struct ApiOptions {
    /// The hall API (mutual TLS); None: not served.
    pub listen: Option<SocketAddr>,
    /// The ticket status page (plain HTTP); None: not served.
    pub public_listen: Option<SocketAddr>,
    /// Timeouts and connection caps; None: sized from this process's open-file limit.
    pub limits: Option<ConnectionLimits>,
}

/// What the API runs on.
pub struct ApiContext {
    pub data_dir: PathBuf,
    pub config: Arc<Config>,
    pub clock: Arc<dyn Clock>,
    pub faults: Arc<Faults>,
}

/// Faults on demand, for the tests that prove a lost answer is harmless. Nothing sets them in
/// the terminal's package (the setter is a development tool).
#[derive(Debug, Default)]
pub struct Faults {
    drop_answers: std::sync::atomic::AtomicU32,
}

impl Faults {
    /// The next `n` changes are carried out and committed, and then their answer is cut off
    /// in the middle, as a network failure would.
    #[cfg(feature = "dev-tools")]
    pub fn drop_next_answers(&self, n: u32) {
        self.drop_answers.store(n, std::sync::atomic::Ordering::SeqCst);
    }

    /// How many answers are still to be cut off.
    #[cfg(feature = "dev-tools")]
    pub fn pending(&self) -> u32 {
        self.drop_answers.load(std::sync::atomic::Ordering::SeqCst)
    }

    fn take_drop(&self) -> bool {
        use std::sync::atomic::Ordering;
        self.drop_answers
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
            .is_ok()
    }
}

/// The addresses actually bound (a port of 0 becomes a real one).
#[derive(Debug, Clone, Copy)]
pub struct Bound {
    pub api: Option<SocketAddr>,
    pub public: Option<SocketAddr>,
}

/// Enrolment attempts one address may make a minute (a technician needs one or two).
const ENROLMENTS_PER_MINUTE: u32 = 10;
/// A terminal's `last_seen` is written at most this often.
const SEEN_EVERY: Duration = Duration::from_secs(60);

/// The state every request shares.
struct Api {
    config: Arc<Config>,
    clock: Arc<dyn Clock>,
    ca: HallCa,
    /// Changes go through one connection on one thread (SQLite has one writer anyway), which
    /// commits whatever requests arrived together in one transaction.
    writer: Writer,
    /// Reads through others, so a screen's refresh does not wait behind a write's fsync, nor
    /// behind another read.
    reads: reads::ReadPool,
    /// Enrolment and the lookup of callers' certificates.
    admin: Mutex<Store>,
    /// Staff sign-ins: a PIN's Argon2 check holds this one only.
    staff: Mutex<Store>,
    events: events::Hub,
    metrics: metrics::Metrics,
    faults: Arc<Faults>,
    seen: Mutex<HashMap<String, Instant>>,
    /// Terminals' `last_seen` is written through its own connection, off the requests' path: a
    /// write lock held elsewhere delays that record, not the request or anyone's lookup.
    seen_writer: Arc<Mutex<Store>>,
    limits: ConnectionLimits,
    /// Enrolment attempts per address (anyone may try a code).
    enrolments: rate::RateLimiter,
    /// Refused enrolments since the last log line, and when that was: an anonymous flood of
    /// wrong codes makes one line a minute, not one per attempt.
    refused_enrolments: Mutex<(u64, Option<Instant>)>,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    // A request that panicked holding the lock left nothing half-done that matters here: the
    // queue's transactions roll back (see `Store::atomically`).
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// The client certificate a connection presented (its SHA-256), and where it came from.
#[derive(Debug, Clone)]
struct Peer {
    cert_sha256: Option<String>,
    /// When the presented certificate stops being valid: a connection (or an event stream)
    /// that outlives it is refused from then on.
    cert_expires: Option<chrono::DateTime<chrono::Utc>>,
    addr: SocketAddr,
}

/// A refusal or failure as the API answers it: the contract's error with its status code.
struct ApiError(HallError);

impl From<HallError> for ApiError {
    fn from(e: HallError) -> Self {
        Self(e)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status =
            StatusCode::from_u16(self.0.kind.http_status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        (status, Json(without_host_paths(self.0))).into_response()
    }
}

/// The host's own files are the host's business: a failure that names one (the database on a
/// full disk) is logged whole here, and answered without the path.
fn without_host_paths(mut error: HallError) -> HallError {
    let names_a_path = |word: &str| word.trim_start_matches(['(', '"', '\'']).starts_with('/');
    if error.message.split_whitespace().any(names_a_path) {
        tracing::warn!(error = %error.message, "answered without the host's file names");
        error.message = error
            .message
            .split(' ')
            .map(|word| {
                if names_a_path(word) {
                    "(a file on the hall host)"
                } else {
                    word
                }
            })
            .collect::<Vec<_>>()
            .join(" ");
    }
    error
}

/// Runs `f` on the blocking pool (SQLite waits on the disk).
async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, HallError> + Send + 'static,
) -> Result<T, HallError> {
    tokio::task::spawn_blocking(f).await.unwrap_or_else(|e| {
        Err(HallError::unavailable(format!(
            "the request failed inside the hall host: {e}"
        )))
    })
}

fn open_queue(ctx: &ApiContext) -> Result<LocalQueue, String> {
    let store = Store::open_in(&ctx.data_dir).map_err(|e| e.to_string())?;
    let service =
        QueueService::new(store, ctx.config.clone(), ctx.clock.clone()).map_err(|e| e.to_string())?;
    Ok(LocalQueue::new(service))
}

/// The terminal a request comes from, found by the certificate its connection presented:
/// enrolled here, not revoked, the certificate in date. Every route but enrolment takes one, so
/// an unknown caller is refused (401) before anything else is looked at; what the terminal may
/// do is asked per route with `may`.
struct Caller {
    enrolled: Enrolled,
    peer: Peer,
}

impl Caller {
    /// Refused (403, logged) when this terminal's role and counters do not allow `want`.
    fn may(&self, want: Want) -> Result<(), ApiError> {
        match self.enrolled.refusal(want) {
            None => Ok(()),
            Some(why) => {
                tracing::info!(terminal = %self.enrolled.terminal_id, addr = %self.peer.addr, ?want, "request refused");
                Err(HallError::new(kiosk_contract::ErrorKind::Forbidden, why).into())
            }
        }
    }

    /// Asked again of the enrolment records, as a long-lived event stream does now and then:
    /// revoked, enrolled again or expired since, the answer is a refusal.
    async fn again(&self, api: &Arc<Api>, want: Want) -> Result<(), ApiError> {
        let enrolled = api.authenticate(&self.peer).await?;
        Caller {
            enrolled,
            peer: self.peer.clone(),
        }
        .may(want)
    }
}

impl axum::extract::FromRequestParts<Arc<Api>> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        api: &Arc<Api>,
    ) -> Result<Self, ApiError> {
        // The listener puts the connection's peer into every request it serves.
        let peer = parts
            .extensions
            .get::<Peer>()
            .cloned()
            .ok_or_else(|| HallError::unavailable("the request came without its connection's details"))?;
        let enrolled = api.authenticate(&peer).await?;
        Ok(Caller { enrolled, peer })
    }
}

impl Api {
    /// The state on the data directory's database; the hall CA is made at first start.
    fn open(ctx: &ApiContext, limits: ConnectionLimits) -> Result<Arc<Api>, String> {
        let ca = HallCa::open_or_create(&ctx.data_dir, &ctx.config.hall.id, ctx.clock.now())
            .map_err(|e| e.to_string())?;
        let store = || Store::open_in(&ctx.data_dir).map_err(|e| e.to_string());
        Ok(Arc::new(Api {
            writer: Writer::spawn(open_queue(ctx)?)
                .map_err(|e| format!("cannot start the writer thread: {e}"))?,
            reads: reads::ReadPool::new(
                (0..reads::READERS)
                    .map(|_| open_queue(ctx))
                    .collect::<Result<_, _>>()?,
            ),
            admin: Mutex::new(store()?),
            staff: Mutex::new(store()?),
            config: ctx.config.clone(),
            clock: ctx.clock.clone(),
            ca,
            events: events::Hub::new(),
            metrics: metrics::Metrics::new(),
            faults: ctx.faults.clone(),
            seen: Mutex::new(HashMap::new()),
            seen_writer: Arc::new(Mutex::new(store()?)),
            limits,
            enrolments: rate::RateLimiter::per_minute(ENROLMENTS_PER_MINUTE),
            refused_enrolments: Mutex::new((0, None)),
        }))
    }

    /// The enrolled terminal behind a connection's certificate.
    async fn authenticate(self: &Arc<Self>, peer: &Peer) -> Result<Enrolled, ApiError> {
        let Some(fingerprint) = peer.cert_sha256.clone() else {
            return Err(HallError::new(
                kiosk_contract::ErrorKind::Unauthenticated,
                "this request needs the terminal's client certificate; enrol the terminal with `kiosk join`",
            )
            .into());
        };
        let api = self.clone();
        let expires = peer.cert_expires;
        let enrolled = blocking(move || {
            let row = lock(&api.admin)
                .read(|c| hall_tables::terminal_by_cert(c, &fingerprint))
                .map_err(|e| HallError::unavailable(format!("queue database: {e}")))?;
            let unknown = |why: String| HallError::new(kiosk_contract::ErrorKind::Unauthenticated, why);
            let row = row.ok_or_else(|| {
                unknown("this certificate is not (or no longer) enrolled at this hall host; enrol the terminal again".into())
            })?;
            if let Some(at) = row.revoked_at {
                return Err(unknown(format!(
                    "terminal {} was revoked at {}; a technician can enrol it again",
                    row.id,
                    at.format("%Y-%m-%d %H:%M UTC")
                )));
            }
            if let Some(at) = expires.filter(|at| *at <= api.clock.now()) {
                return Err(unknown(format!(
                    "the certificate of terminal {} expired at {}; a technician can enrol it again",
                    row.id,
                    at.format("%Y-%m-%d %H:%M UTC")
                )));
            }
            let role = TerminalRole::parse(&row.role)
                .ok_or_else(|| unknown(format!("terminal {} has an unknown role {}", row.id, row.role)))?;
            api.note_seen(&row.id);
            Ok(Enrolled {
                terminal_id: row.id,
                role,
                counters: super::access::parse_list(&row.counters),
            })
        })
        .await?;
        Ok(enrolled)
    }

    /// Counts a refused enrolment; logs how many at most once a minute.
    fn enrolment_refused(&self, why: &HallError) {
        tracing::debug!(error = %why, "enrolment refused");
        let mut refused = lock(&self.refused_enrolments);
        refused.0 += 1;
        if refused.1.is_none_or(|at| at.elapsed() >= Duration::from_secs(60)) {
            tracing::warn!(refused = refused.0, last = %why, "enrolment attempts refused (counted over a minute)");
            *refused = (0, Some(Instant::now()));
        }
    }

    /// Writes `last_seen` at most once a minute per terminal.
    fn note_seen(&self, terminal: &str) {
        let due = {
            let mut seen = lock(&self.seen);
            let due = seen.get(terminal).is_none_or(|at| at.elapsed() >= SEEN_EVERY);
            if due {
                seen.insert(terminal.to_owned(), Instant::now());
            }
            due
        };
        if due {
            let (now, terminal, store) = (self.clock.now(), terminal.to_owned(), self.seen_writer.clone());
            tokio::task::spawn_blocking(move || {
                if let Err(e) = lock(&store).write(|c| hall_tables::set_last_seen(c, &terminal, now)) {
                    tracing::warn!(error = %e, "last seen time not recorded");
                }
            });
        }
    }
}

/// The running API; dropping it stops the listeners.
pub struct HallApi {
    pub bound: Bound,
    stop: tokio::sync::watch::Sender<bool>,
}

impl Drop for HallApi {
    fn drop(&mut self) {
        let _ = self.stop.send(true);
    }
}

/// Binds the listeners and starts serving on the current tokio runtime. Makes the hall CA and
/// the host's certificate at first start.
pub async fn start(ctx: ApiContext, options: &ApiOptions) -> Result<HallApi, String> {
    let limits = options
        .limits
        .clone()
        .unwrap_or_else(ConnectionLimits::for_this_process);
    let api = Api::open(&ctx, limits.clone())?;
    let (chain, key) = api
        .ca
        .host_identity(&ctx.config.hall_api.names, ctx.clock.now())
        .map_err(|e| e.to_string())?;
    let tls = super::tls::server_config(&chain, &key, api.ca.cert_pem()).map_err(|e| e.to_string())?;
    let mut pump_queue = open_queue(&ctx)?;
    let start_cursor = kiosk_contract::HallQueue::summary(&mut pump_queue)
        .map_err(|e| e.to_string())?
        .cursor;
    let (stop, stopped) = tokio::sync::watch::channel(false);
    let public = match options.public_listen {
        Some(addr) => {
            let listener = TcpListener::bind(addr)
                .await
                .map_err(|e| format!("cannot listen on {addr} for the ticket status page: {e}"))?;
            let bound = listener.local_addr().map_err(|e| e.to_string())?;
            let gate = connections::Gate::new(limits.clone());
            api.metrics.watch_listener("status_page", gate.clone());
            let app = status_page::router(api.clone());
            tokio::spawn(listener::serve(listener, gate, None, app, stopped.clone()));
            Some(bound)
        }
        None => None,
    };
    tokio::spawn(events::pump(
        api.clone(),
        pump_queue,
        start_cursor,
        stopped.clone(),
    ));
    let api_addr = match options.listen {
        Some(addr) => {
            let listener = TcpListener::bind(addr)
                .await
                .map_err(|e| format!("cannot listen on {addr} for the hall API: {e}"))?;
            let bound = listener.local_addr().map_err(|e| e.to_string())?;
            let gate = connections::Gate::new(limits.clone());
            api.metrics.watch_listener("hall_api", gate.clone());
            let acceptor = tokio_rustls::TlsAcceptor::from(tls);
            let app = routes::router(api.clone());
            tokio::spawn(listener::serve(listener, gate, Some(acceptor), app, stopped));
            Some(bound)
        }
        None => None,
    };
    tracing::info!(api = ?api_addr, public = ?public, "hall API listening");
    Ok(HallApi {
        bound: Bound {
            api: api_addr,
            public,
        },
        stop,
    })
}

/// A read: the caller must be allowed `want`; the answer is the value as JSON.
async fn read<T: serde::Serialize + Send + 'static>(
    api: Arc<Api>,
    caller: &Caller,
    want: Want,
    op: impl FnOnce(&mut LocalQueue) -> Result<T, HallError> + Send + 'static,
) -> Response {
    if let Err(e) = caller.may(want) {
        return e.into_response();
    }
    let a = api.clone();
    match blocking(move || op(&mut a.reads.take())).await {
        Ok(value) => Json(value).into_response(),
        Err(e) => ApiError(e).into_response(),
    }
}

/// A change: the caller must be allowed `want` and send an `Idempotency-Key`; `request`
/// describes it (method, path, body) so a key reused for another request is refused.
async fn keyed<T: serde::Serialize + 'static>(
    api: Arc<Api>,
    caller: Caller,
    headers: &axum::http::HeaderMap,
    want: Want,
    request: String,
    op: impl FnOnce(&mut LocalQueue) -> Result<T, HallError> + Send + 'static,
) -> Response {
    if let Err(e) = caller.may(want) {
        return e.into_response();
    }
    let caller = caller.enrolled;
    let Some(key) = routes::token_header(headers, "idempotency-key") else {
        let e = HallError::bad_input(
            "a change needs an Idempotency-Key header (a new random value per change, the same one when retrying it)",
        );
        return ApiError(e).into_response();
    };
    let session = match routes::staff_session(headers) {
        Ok(session) => session,
        Err(e) => return e.into_response(),
    };
    let answer = api
        .writer
        .submit(Box::new(move |q: &mut LocalQueue| {
            q.with_session(&caller.terminal_id, session.as_deref(), |q| {
                let keep = |q: &mut LocalQueue| q.once(&caller.terminal_id, &key, &request, op);
                // A rating screen's ratings are its own counters' (access lets only it rate).
                match caller.role {
                    TerminalRole::Evaluator => {
                        q.with_rating_screen(&caller.terminal_id, &caller.counters, keep)
                    }
                    _ => keep(q),
                }
            })
        }))
        .await;
    api.events.changed();
    match answer {
        Ok(_) if api.faults.take_drop() => {
            let cut = futures_util::stream::once(async {
                Err::<axum::body::Bytes, _>(std::io::Error::other("answer dropped on purpose"))
            });
            axum::body::Body::from_stream(cut).into_response()
        }
        Ok(kept) => {
            let status = StatusCode::from_u16(kept.status).unwrap_or(StatusCode::OK);
            let mut response = (
                status,
                [(axum::http::header::CONTENT_TYPE, "application/json")],
                kept.body,
            )
                .into_response();
            if kept.repeated {
                response.headers_mut().insert(
                    "idempotent-replayed",
                    axum::http::HeaderValue::from_static("true"),
                );
            }
            response
        }
        Err(e) => ApiError(e).into_response(),
    }
}

/// The answer for a requester that is no longer there to read it.
fn gone() -> Result<KeyedAnswer, HallError> {
    Err(HallError::unavailable(
        "the requester gave up before the change was made",
    ))
}

/// One change for the writer: it returns the kept (or new) answer.
type Change = Box<dyn FnOnce(&mut LocalQueue) -> Result<KeyedAnswer, HallError> + Send>;
type Answered = tokio::sync::oneshot::Sender<Result<KeyedAnswer, HallError>>;

/// The most requests one transaction takes.
const BATCH: usize = 64;

/// The thread that carries out changes: the first waiting request, and all that arrived while
/// the previous transaction was being flushed, in one transaction (group commit). Answers go
/// out only after the commit, so an answered change is on disk.
struct Writer {
    jobs: std::sync::mpsc::Sender<(Change, Answered)>,
}

impl Writer {
    fn spawn(mut queue: LocalQueue) -> std::io::Result<Self> {
        let (jobs, inbox) = std::sync::mpsc::channel::<(Change, Answered)>();
        std::thread::Builder::new()
            .name("hall-writer".into())
            .spawn(move || {
                while let Ok(first) = inbox.recv() {
                    let mut batch = vec![first];
                    batch.extend(inbox.try_iter().take(BATCH - 1));
                    let (changes, answered): (Vec<Change>, Vec<Answered>) = batch.into_iter().unzip();
                    let done = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                        queue.batch(|q| {
                            // Checked once the write lock is held: a requester that gave up while
                            // its change waited (the lock held elsewhere, a long fsync) was told
                            // the outcome is unknown, so the change is not made behind its back.
                            changes
                                .into_iter()
                                .zip(&answered)
                                .map(|(change, reply)| (!reply.is_closed()).then(|| change(q)))
                                .collect::<Vec<_>>()
                        })
                    }));
                    let results = match done {
                        Ok(Ok(results)) => {
                            let dropped = results.iter().filter(|r| r.is_none()).count();
                            if dropped > 0 {
                                tracing::info!(
                                    dropped,
                                    "changes whose requesters had given up were not made"
                                );
                            }
                            results.into_iter().map(|r| r.unwrap_or_else(gone)).collect()
                        }
                        Ok(Err(e)) => vec![Err(e); answered.len()],
                        Err(_) => {
                            queue.abandon();
                            tracing::error!("a change failed inside the hall host; its batch was undone");
                            vec![
                                Err(HallError::unavailable(
                                    "the hall host failed; nothing was changed — try again"
                                ));
                                answered.len()
                            ]
                        }
                    };
                    for (reply, result) in answered.into_iter().zip(results) {
                        // The requester may have gone (its connection dropped); the answer is kept.
                        let _ = reply.send(result);
                    }
                }
            })?;
        Ok(Self { jobs })
    }

    async fn submit(&self, change: Change) -> Result<KeyedAnswer, HallError> {
        let (reply, answer) = tokio::sync::oneshot::channel();
        self.jobs
            .send((change, reply))
            .map_err(|_| HallError::unavailable("the hall host's writer has stopped"))?;
        answer
            .await
            .unwrap_or_else(|_| Err(HallError::unavailable("the hall host's writer has stopped")))
    }
}

/// The events a connected client is sent (for the pump and the stream).
type SharedEvent = Arc<HallEvent>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failure_naming_the_hosts_files_is_answered_without_them() {
        let full = HallError::unavailable(
            "queue database /var/lib/legal-aid-kiosk/kiosk.sqlite3: database or disk is full; see `kiosk doctor`",
        );
        let answered = without_host_paths(full);
        assert_eq!(
            answered.message,
            "queue database (a file on the hall host) database or disk is full; see `kiosk doctor`"
        );
        let plain = HallError::conflict("counter 1 has no visitor called; call one first");
        assert_eq!(without_host_paths(plain.clone()), plain);
    }
}
