//! The hall API's routes (`docs/hall-openapi.yaml` is their contract). Reads answer with the
//! contract's views; changes need an `Idempotency-Key` and answer with the kept answer when the
//! key was seen before (header `Idempotent-Replayed: true`).

use super::{Api, ApiError, Caller, Peer, blocking, keyed, lock, read};
use crate::hall::access::Want;
use crate::hall::enrolment::{self, EnrolError, EnrolRequest};
use crate::queue::{DisplayNumber, PriorityReason, Rating, RatingLevel, RatingReason, ServiceCode};
use axum::body::Bytes;
use axum::extract::{MatchedPath, Path, Query, Request, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Extension, Json, Router};
use kiosk_contract::IssueRequest;
use kiosk_contract::{HallError, HallQueue, TicketRef, wire};
use kiosk_core::lang::Lang;
use serde::Deserialize;
use std::sync::Arc;

pub(super) fn router(api: Arc<Api>) -> Router {
    Router::new()
        .route("/v1/enrol", post(enrol))
        .route("/v1/summary", get(summary))
        .route("/v1/status", get(status))
        .route("/v1/tickets", post(issue))
        .route("/v1/tickets/{id}", get(ticket_by_id))
        .route("/v1/numbers/{number}", get(ticket_by_number))
        .route("/v1/numbers/{number}/rejoin", post(rejoin))
        .route("/v1/numbers/{number}/transfer", post(transfer_number))
        .route("/v1/numbers/{number}/rating", post(rate))
        .route("/v1/counters/{counter}", get(counter_view))
        .route("/v1/counters/{counter}/{action}", post(counter_action))
        .route("/v1/sign-out", post(sign_out))
        .route("/v1/events", get(events))
        .route("/v1/events/page", get(event_page))
        .route("/v1/stats/daily", get(daily_stats))
        .route("/metrics", get(metrics))
        .fallback(not_found)
        .layer(middleware::from_fn_with_state(api.clone(), whole_body))
        .layer(middleware::from_fn_with_state(api.clone(), timed))
        .layer(middleware::map_response(json_errors))
        .with_state(api)
}

/// The most headers, and header bytes, a request may carry (a terminal sends a handful). Up to the
/// HTTP layer's own limit (64 KiB) this is answered in the API's JSON.
const MAX_HEADERS: usize = 64;
const MAX_HEADER_BYTES: usize = 16 * 1024;

/// The largest request body the API reads (an enrolment or a screening note is a few KiB).
const MAX_BODY_BYTES: usize = 64 * 1024;

fn error_answer(status: StatusCode, error: HallError) -> Response {
    (status, Json(error)).into_response()
}

/// Refuses requests whose headers are too large, then reads a request's body whole before any
/// route sees it, within the host's deadline and size
/// limit, so a client that sends its body slowly or without end holds nothing for long.
async fn whole_body(State(api): State<Arc<Api>>, request: Request, next: Next) -> Response {
    let too_large = || {
        error_answer(
            StatusCode::PAYLOAD_TOO_LARGE,
            HallError::bad_input(format!(
                "the request body is larger than the hall API takes ({} KiB)",
                MAX_BODY_BYTES / 1024
            )),
        )
    };
    let head: usize = request
        .headers()
        .iter()
        .map(|(name, value)| name.as_str().len() + value.len())
        .sum();
    if head > MAX_HEADER_BYTES || request.headers().len() > MAX_HEADERS {
        let e = HallError::bad_input(format!(
            "the request's headers are larger than the hall API takes ({MAX_HEADERS} headers, {} KiB)",
            MAX_HEADER_BYTES / 1024
        ));
        return error_answer(StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE, e);
    }
    let declared = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > MAX_BODY_BYTES as u64) {
        return too_large();
    }
    let (parts, body) = request.into_parts();
    let read = http_body_util::BodyExt::collect(http_body_util::Limited::new(body, MAX_BODY_BYTES));
    let bytes = match tokio::time::timeout(api.limits.body_read, read).await {
        Ok(Ok(collected)) => collected.to_bytes(),
        Ok(Err(e)) if e.is::<http_body_util::LengthLimitError>() => return too_large(),
        Ok(Err(_)) => {
            let e = HallError::bad_input("the request body could not be read (the connection broke)");
            return error_answer(StatusCode::BAD_REQUEST, e);
        }
        Err(_) => {
            let e = HallError::bad_input(format!(
                "the request body did not arrive within {} seconds",
                api.limits.body_read.as_secs()
            ));
            return error_answer(StatusCode::REQUEST_TIMEOUT, e);
        }
    };
    next.run(Request::from_parts(parts, axum::body::Body::from(bytes)))
        .await
}

/// Every error the API answers is the contract's JSON: refusals of the framework itself (a path
/// segment or query that does not parse, a method the path does not take) are rewritten, keeping
/// their status and their reason.
async fn json_errors(response: Response) -> Response {
    let status = response.status();
    let is_json = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"application/json"));
    if !(status.is_client_error() || status.is_server_error()) || is_json {
        return response;
    }
    let reason = axum::body::to_bytes(response.into_body(), 4096)
        .await
        .map(|b| String::from_utf8_lossy(&b).trim().to_owned())
        .unwrap_or_default();
    let kind = if status.is_server_error() {
        kiosk_contract::ErrorKind::Unavailable
    } else {
        kiosk_contract::ErrorKind::BadInput
    };
    let what = status.canonical_reason().unwrap_or("refused");
    let message = if reason.is_empty() {
        what.to_owned()
    } else {
        format!("{what}: {reason}")
    };
    error_answer(status, HallError::new(kind, message))
}

/// Every request's latency, by route template (never by a ticket's id).
async fn timed(State(api): State<Arc<Api>>, request: Request, next: Next) -> Response {
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or("unmatched", MatchedPath::as_str)
        .to_owned();
    let started = std::time::Instant::now();
    let response = next.run(request).await;
    api.metrics
        .request(&route, response.status().as_u16(), started.elapsed());
    response
}

async fn not_found() -> Response {
    let e = HallError::bad_input("no such path in the hall API (see docs/hall-openapi.yaml)");
    (StatusCode::NOT_FOUND, Json(e)).into_response()
}

fn parse_body<T: serde::de::DeserializeOwned>(body: &Bytes) -> Result<T, ApiError> {
    serde_json::from_slice(body).map_err(|e| {
        ApiError(HallError::bad_input(format!(
            "the request body is not what this path takes: {e}"
        )))
    })
}

fn parse_number(text: &str) -> Result<DisplayNumber, ApiError> {
    // The CLI forgives spaces around a typed number; on the wire a number is exactly its text.
    if text.trim() != text {
        let e = HallError::bad_input(format!("'{text}' is not a ticket number; write it like A012"));
        return Err(ApiError(e));
    }
    text.parse()
        .map_err(|e: String| ApiError(HallError::bad_input(e)))
}

async fn enrol(State(api): State<Arc<Api>>, Extension(peer): Extension<Peer>, body: Bytes) -> Response {
    if !api.enrolments.allow(peer.addr.ip()) {
        let e = HallError::unavailable(
            "too many enrolment attempts from this address; wait a minute, and check the code on the hall host",
        );
        api.enrolment_refused(&e);
        return error_answer(StatusCode::TOO_MANY_REQUESTS, e);
    }
    let request: EnrolRequest = match parse_body(&body) {
        Ok(r) => r,
        Err(e) => return e.into_response(),
    };
    let a = api.clone();
    let answer = blocking(move || {
        let now = a.clock.now();
        enrolment::redeem(&mut lock(&a.admin), &a.ca, &a.config.hall.id, &request, now).map_err(|e| match e {
            EnrolError::Code(m) | EnrolError::Request(m) => HallError::bad_input(m),
            other => HallError::unavailable(other.to_string()),
        })
    })
    .await;
    match answer {
        Ok(answer) => Json(answer).into_response(),
        Err(e) => {
            api.enrolment_refused(&e);
            ApiError(e).into_response()
        }
    }
}

async fn summary(State(api): State<Arc<Api>>, caller: Caller) -> Response {
    read(api, &caller, Want::Read, |q| q.summary()).await
}

async fn status(State(api): State<Arc<Api>>, caller: Caller) -> Response {
    read(api, &caller, Want::Read, |q| q.status()).await
}

async fn ticket_by_id(State(api): State<Arc<Api>>, caller: Caller, Path(id): Path<String>) -> Response {
    read(api, &caller, Want::Read, move |q| q.ticket_by_id(&id)).await
}

async fn ticket_by_number(
    State(api): State<Arc<Api>>,
    caller: Caller,
    Path(number): Path<String>,
) -> Response {
    match parse_number(&number) {
        Ok(n) => read(api, &caller, Want::Read, move |q| q.ticket(n)).await,
        Err(e) => e.into_response(),
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PageQuery {
    #[serde(default)]
    after: u64,
    #[serde(default = "default_page")]
    limit: usize,
}

fn default_page() -> usize {
    200
}

/// The most events one page holds (`docs/hall-openapi.yaml` says so).
const MAX_PAGE: usize = 1000;

async fn event_page(State(api): State<Arc<Api>>, caller: Caller, Query(q): Query<PageQuery>) -> Response {
    if !(1..=MAX_PAGE).contains(&q.limit) {
        let e = HallError::bad_input(format!("limit must be 1 to {MAX_PAGE}, not {}", q.limit));
        return ApiError(e).into_response();
    }
    read(api, &caller, Want::Read, move |queue| {
        queue.events_after(q.after, q.limit)
    })
    .await
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DayQuery {
    day: Option<chrono::NaiveDate>,
}

/// Business days the statistics may be asked for: the years a hall can have run in.
const STATS_YEARS: std::ops::RangeInclusive<i32> = 2000..=2999;

async fn daily_stats(State(api): State<Arc<Api>>, caller: Caller, Query(q): Query<DayQuery>) -> Response {
    use chrono::Datelike;
    if let Some(day) = q.day.filter(|d| !STATS_YEARS.contains(&d.year())) {
        let e = HallError::bad_input(format!(
            "day {day} is not a business day the hall can have had (years {} to {})",
            STATS_YEARS.start(),
            STATS_YEARS.end()
        ));
        return ApiError(e).into_response();
    }
    read(api, &caller, Want::Read, move |queue| queue.daily_stats(q.day)).await
}

async fn events(State(api): State<Arc<Api>>, caller: Caller, headers: HeaderMap) -> Response {
    if let Err(e) = caller.may(Want::Read) {
        return e.into_response();
    }
    let last_seen = match headers
        .get("last-event-id")
        .map(|v| v.to_str().ok()?.trim().parse().ok())
    {
        None => None,
        Some(Some(seq)) => Some(seq),
        Some(None) => {
            let e = HallError::bad_input("Last-Event-ID is the number of the last event the client has");
            return ApiError(e).into_response();
        }
    };
    super::events::stream(api, caller, last_seen).into_response()
}

async fn metrics(State(api): State<Arc<Api>>, caller: Caller) -> Response {
    if let Err(e) = caller.may(Want::Metrics) {
        return e.into_response();
    }
    let a = api.clone();
    match blocking(move || super::metrics::scrape(&a).map_err(HallError::unavailable)).await {
        Ok(text) => (
            [(
                header::CONTENT_TYPE,
                "application/openmetrics-text; version=1.0.0; charset=utf-8",
            )],
            text,
        )
            .into_response(),
        Err(e) => ApiError(e).into_response(),
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct IssueBody {
    #[serde(with = "wire::text")]
    service: ServiceCode,
    #[serde(default, with = "wire::opt_text")]
    priority: Option<PriorityReason>,
    #[serde(default)]
    language: Lang,
    /// For a ticket taken from the eligibility result.
    #[serde(default)]
    screening: Option<kiosk_contract::ScreeningNote>,
}

async fn issue(State(api): State<Arc<Api>>, caller: Caller, headers: HeaderMap, body: Bytes) -> Response {
    let b: IssueBody = match parse_body(&body) {
        Ok(b) => b,
        Err(e) => return e.into_response(),
    };
    let request = format!("POST /v1/tickets {}", String::from_utf8_lossy(&body));
    let ticket = IssueRequest {
        service: b.service,
        priority: b.priority,
        lang: b.language,
        screening: b.screening,
    };
    keyed(api, caller, &headers, Want::Issue, request, move |q| {
        q.issue(&ticket)
    })
    .await
}

async fn rejoin(
    State(api): State<Arc<Api>>,
    caller: Caller,
    Path(number): Path<String>,
    headers: HeaderMap,
) -> Response {
    let n = match parse_number(&number) {
        Ok(n) => n,
        Err(e) => return e.into_response(),
    };
    let request = format!("POST /v1/numbers/{n}/rejoin");
    keyed(api, caller, &headers, Want::OperateAnyTicket, request, move |q| {
        q.rejoin(n)
    })
    .await
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TransferBody {
    #[serde(with = "wire::text")]
    to: ServiceCode,
}

async fn transfer_number(
    State(api): State<Arc<Api>>,
    caller: Caller,
    Path(number): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let (n, b) = match parse_number(&number).and_then(|n| parse_body::<TransferBody>(&body).map(|b| (n, b))) {
        Ok(pair) => pair,
        Err(e) => return e.into_response(),
    };
    let request = format!("POST /v1/numbers/{n}/transfer {}", b.to);
    keyed(api, caller, &headers, Want::OperateAnyTicket, request, move |q| {
        q.transfer(TicketRef::Number(n), b.to)
    })
    .await
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NumberBody {
    number: String,
}

async fn counter_action(
    State(api): State<Arc<Api>>,
    caller: Caller,
    Path((counter, action)): Path<(u32, String)>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let request = format!(
        "POST /v1/counters/{counter}/{action} {}",
        String::from_utf8_lossy(&body)
    );
    let want = Want::Operate(counter);
    match action.as_str() {
        "sign-in" => sign_in(api, caller, counter, body).await,
        "call-next" => {
            keyed(api, caller, &headers, want, request, move |q| {
                q.call_next(counter)
            })
            .await
        }
        "call-number" => match parse_body::<NumberBody>(&body).and_then(|b| parse_number(&b.number)) {
            Ok(n) => {
                keyed(api, caller, &headers, want, request, move |q| {
                    q.call_number(counter, n)
                })
                .await
            }
            Err(e) => e.into_response(),
        },
        "recall" => keyed(api, caller, &headers, want, request, move |q| q.recall(counter)).await,
        "skip" => keyed(api, caller, &headers, want, request, move |q| q.skip(counter)).await,
        "complete" => keyed(api, caller, &headers, want, request, move |q| q.complete(counter)).await,
        "pause" => {
            keyed(api, caller, &headers, want, request, move |q| {
                q.set_paused(counter, true)
            })
            .await
        }
        "resume" => {
            keyed(api, caller, &headers, want, request, move |q| {
                q.set_paused(counter, false)
            })
            .await
        }
        "transfer" => match parse_body::<TransferBody>(&body) {
            Ok(b) => {
                keyed(api, caller, &headers, want, request, move |q| {
                    q.transfer(TicketRef::AtCounter(counter), b.to)
                })
                .await
            }
            Err(e) => e.into_response(),
        },
        _ => not_found().await,
    }
}

async fn counter_view(State(api): State<Arc<Api>>, caller: Caller, Path(counter): Path<u32>) -> Response {
    read(api, &caller, Want::Read, move |q| q.counter_view(counter)).await
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SignInBody {
    staff: String,
    pin: String,
}

/// Not keyed and never retried by the client: each attempt counts towards the lockout. The PIN
/// is checked on the staff connection's thread, so a sign-in never holds up the queue's writes.
async fn sign_in(api: Arc<Api>, caller: Caller, counter: u32, body: Bytes) -> Response {
    if let Err(e) = caller.may(Want::Operate(counter)) {
        return e.into_response();
    }
    let terminal = caller.enrolled.terminal_id;
    let b: SignInBody = match parse_body(&body) {
        Ok(b) => b,
        Err(e) => return e.into_response(),
    };
    if api.config.counter(counter).is_none() {
        return ApiError(HallError::bad_input(format!(
            "there is no counter {counter} in this hall"
        )))
        .into_response();
    }
    let a = api.clone();
    let signed = blocking(move || {
        let now = a.clock.now();
        crate::staff::sign_in(&mut lock(&a.staff), counter, &b.staff, &b.pin, &terminal, now)
    })
    .await;
    match signed {
        Ok(s) => Json(s).into_response(),
        Err(e) => ApiError(e).into_response(),
    }
}

async fn sign_out(State(api): State<Arc<Api>>, caller: Caller, headers: HeaderMap) -> Response {
    if let Err(e) = caller.may(Want::Read) {
        return e.into_response();
    }
    let token = match staff_session(&headers) {
        Ok(Some(token)) => token,
        Ok(None) => {
            let e = HallError::bad_input("sign-out needs the Staff-Session header of the sign-in to end");
            return ApiError(e).into_response();
        }
        Err(e) => return e.into_response(),
    };
    let a = api.clone();
    let done = blocking(move || {
        let now = a.clock.now();
        lock(&a.staff)
            .write(|c| Ok::<_, kiosk_store::SqlError>(crate::staff::sign_out(c, &token, now)))
            .map_err(|e| HallError::unavailable(format!("queue database: {e}")))?
    })
    .await;
    match done {
        Ok(()) => Json(serde_json::json!({ "signed_out": true })).into_response(),
        Err(e) => ApiError(e).into_response(),
    }
}

/// The staff sign-in a request is made under (header `Staff-Session`).
/// A header that is there but is not a session is refused rather than ignored: the change would
/// otherwise be recorded without the staff member who made it.
pub(super) fn staff_session(headers: &HeaderMap) -> Result<Option<String>, ApiError> {
    let name = crate::hall::client::STAFF_SESSION;
    match (headers.contains_key(name), token_header(headers, name)) {
        (true, None) => Err(ApiError(HallError::bad_input(
            "the Staff-Session header is not a session; sign in again",
        ))),
        (_, session) => Ok(session),
    }
}

/// The longest token a header may carry (a UUID is 36 characters, a session 64).
const MAX_TOKEN: usize = 128;

/// A header holding a token (`Idempotency-Key`, `Staff-Session`): 1 to 128 visible ASCII
/// characters, as the API's description says; anything else counts as absent.
pub(super) fn token_header(headers: &HeaderMap, name: &str) -> Option<String> {
    let value = headers.get(name)?.as_bytes();
    let visible = (1..=MAX_TOKEN).contains(&value.len()) && value.iter().all(u8::is_ascii_graphic);
    visible.then(|| String::from_utf8_lossy(value).into_owned())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RatingBody {
    level: u8,
    #[serde(default)]
    reasons: Vec<String>,
}

fn parse_rating(b: &RatingBody) -> Result<Rating, ApiError> {
    let bad = |m: String| ApiError(HallError::bad_input(m));
    let level = RatingLevel::from_number(b.level)
        .ok_or_else(|| bad(format!("a rating level is 1 to 5, not {}", b.level)))?;
    let reasons = b
        .reasons
        .iter()
        .map(|r| r.parse::<RatingReason>())
        .collect::<Result<Vec<_>, _>>()
        .map_err(bad)?;
    // A screen sends each reason once; a repeat means the request is not what was meant.
    if let Some(repeat) = b
        .reasons
        .iter()
        .enumerate()
        .find(|(i, r)| b.reasons[..*i].contains(r))
    {
        return Err(bad(format!("the reason '{}' is given twice", repeat.1)));
    }
    Rating::new(level, &reasons).map_err(|e| bad(e.to_string()))
}

async fn rate(
    State(api): State<Arc<Api>>,
    caller: Caller,
    Path(number): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let parsed = parse_number(&number)
        .and_then(|n| parse_body::<RatingBody>(&body).map(|b| (n, b)))
        .and_then(|(n, b)| parse_rating(&b).map(|r| (n, r)));
    let (n, rating) = match parsed {
        Ok(pair) => pair,
        Err(e) => return e.into_response(),
    };
    let request = format!("POST /v1/numbers/{n}/rating {}", String::from_utf8_lossy(&body));
    keyed(api, caller, &headers, Want::Rate, request, move |q| {
        q.rate(n, &rating)
    })
    .await
}
