//! The hall API's whole role × route matrix, in process: the router answers through
//! `tower::ServiceExt::oneshot`, with the peer a TLS connection would have put into the request,
//! and no socket. Which roles may use a route is written out here, route by route, as
//! `docs/hall-openapi.yaml` says it, not derived from `access`: a change there that lets a role
//! do more, or less, fails this test. The loopback tests (`tests/integration/hall_network.rs`)
//! keep the real TLS, certificates and connections.

use super::{Api, ApiContext, ConnectionLimits, Faults, Peer, routes};
use crate::clock::SystemClock;
use crate::config::Config;
use crate::hall::access::TerminalRole::{self, Counter, Display, Evaluator, Monitor, SecondaryKiosk};
use axum::body::Body;
use axum::http::{Request, StatusCode};
use kiosk_store::hall_tables::{self, TerminalRow};
use std::sync::Arc;
use tower::ServiceExt;

/// Every role that reads the queue: all but the monitor.
const READERS: &[TerminalRole] = &[SecondaryKiosk, Counter, Display, Evaluator];

struct Route {
    method: &'static str,
    path: &'static str,
    body: &'static str,
    allowed: &'static [TerminalRole],
}

const fn route(
    method: &'static str,
    path: &'static str,
    body: &'static str,
    allowed: &'static [TerminalRole],
) -> Route {
    Route {
        method,
        path,
        body,
        allowed,
    }
}

/// The counter terminal here is enrolled for counter 1 (and the rating screen beside it).
const ROUTES: &[Route] = &[
    route("GET", "/v1/summary", "", READERS),
    route("GET", "/v1/status", "", READERS),
    route(
        "GET",
        "/v1/tickets/0190a2b4-0000-7000-8000-000000000000",
        "",
        READERS,
    ),
    route("GET", "/v1/numbers/A001", "", READERS),
    route("GET", "/v1/counters/1", "", READERS),
    route("GET", "/v1/events/page?after=0&limit=10", "", READERS),
    route("GET", "/v1/stats/daily", "", READERS),
    route("GET", "/v1/events", "", READERS),
    route("POST", "/v1/sign-out", "", READERS),
    route("GET", "/metrics", "", &[Monitor]),
    route("POST", "/v1/tickets", r#"{"service":"A"}"#, &[SecondaryKiosk]),
    route("POST", "/v1/numbers/A001/rejoin", "", &[Counter]),
    route("POST", "/v1/numbers/A001/transfer", r#"{"to":"B"}"#, &[Counter]),
    route("POST", "/v1/numbers/A001/rating", r#"{"level":5}"#, &[Evaluator]),
    route("POST", "/v1/counters/1/call-next", "", &[Counter]),
    route(
        "POST",
        "/v1/counters/1/call-number",
        r#"{"number":"A001"}"#,
        &[Counter],
    ),
    route("POST", "/v1/counters/1/recall", "", &[Counter]),
    route("POST", "/v1/counters/1/skip", "", &[Counter]),
    route("POST", "/v1/counters/1/complete", "", &[Counter]),
    route("POST", "/v1/counters/1/pause", "", &[Counter]),
    route("POST", "/v1/counters/1/resume", "", &[Counter]),
    route("POST", "/v1/counters/1/transfer", r#"{"to":"B"}"#, &[Counter]),
    route(
        "POST",
        "/v1/counters/1/sign-in",
        r#"{"staff":"S001","pin":"0000"}"#,
        &[Counter],
    ),
    // Not this counter terminal's counter: nobody here may.
    route("POST", "/v1/counters/2/call-next", "", &[]),
    route(
        "POST",
        "/v1/counters/2/sign-in",
        r#"{"staff":"S001","pin":"0000"}"#,
        &[],
    ),
];

fn fingerprint(role: TerminalRole) -> String {
    format!("fingerprint-of-the-{}", role.as_str())
}

fn peer(cert_sha256: Option<String>) -> Peer {
    Peer {
        cert_sha256,
        cert_expires: None,
        addr: std::net::SocketAddr::from(([127, 0, 0, 1], 40000)),
    }
}

/// A hall host's API state on a new database, with a terminal of each role enrolled (counter
/// and rating screen at counter 1) and one revoked.
fn hall(dir: &std::path::Path) -> Arc<Api> {
    let ctx = ApiContext {
        data_dir: dir.to_owned(),
        config: Arc::new(Config::default()),
        clock: Arc::new(SystemClock),
        faults: Arc::new(Faults::default()),
    };
    let api = Api::open(&ctx, ConnectionLimits::for_this_process()).expect("the API's state");
    let enrolled = |id: String, role: TerminalRole, fingerprint: String| TerminalRow {
        id,
        role: role.as_str().to_owned(),
        counters: if matches!(role, Counter | Evaluator) {
            "1".into()
        } else {
            String::new()
        },
        cert_sha256: Some(fingerprint),
        cert_expires: None,
        enrolled_at: Some(chrono::Utc::now()),
        last_seen: None,
        revoked_at: None,
    };
    let mut rows: Vec<TerminalRow> = TerminalRole::ALL
        .iter()
        .map(|r| enrolled(format!("{}-1", r.as_str()), *r, fingerprint(*r)))
        .collect();
    rows.push(enrolled("counter-gone".into(), Counter, "revoked".into()));
    super::lock(&api.admin)
        .write(|c| {
            rows.iter().try_for_each(|row| hall_tables::enrol(c, row))?;
            hall_tables::revoke(c, "counter-gone", chrono::Utc::now()).map(|_| ())
        })
        .expect("terminals enrolled, one revoked");
    api
}

async fn answer(api: &Arc<Api>, r: &Route, from: Peer, n: usize) -> StatusCode {
    let mut request = Request::builder()
        .method(r.method)
        .uri(r.path)
        .header("content-type", "application/json")
        .header("idempotency-key", format!("matrix-{n}"));
    if r.path == "/v1/sign-out" {
        // Which session to end (one this hall never made: signing it out is harmless).
        request = request.header(crate::hall::client::STAFF_SESSION, "a-session-of-nobody");
    }
    let request = request
        .extension(from)
        .body(Body::from(r.body))
        .expect("a request");
    let response = routes::router(api.clone())
        .oneshot(request)
        .await
        .expect("the router answers");
    response.status()
}

#[tokio::test]
async fn each_role_reaches_exactly_the_routes_the_contract_gives_it() {
    let dir = tempfile::tempdir().expect("a data directory");
    let api = hall(dir.path());
    let mut wrong = Vec::new();
    let mut n = 0;
    for r in ROUTES {
        for role in TerminalRole::ALL {
            n += 1;
            let status = answer(&api, r, peer(Some(fingerprint(role))), n).await;
            let allowed = r.allowed.contains(&role);
            let refused = status == StatusCode::FORBIDDEN;
            if status == StatusCode::UNAUTHORIZED || allowed == refused {
                wrong.push(format!(
                    "{} {} by a {}: {status} ({})",
                    r.method,
                    r.path,
                    role.as_str(),
                    if allowed { "allowed" } else { "not allowed" }
                ));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "{} of {n} answers wrong:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
}

#[tokio::test]
async fn a_request_without_an_enrolled_certificate_is_refused_on_every_route() {
    let dir = tempfile::tempdir().expect("a data directory");
    let api = hall(dir.path());
    let strangers = [
        ("no certificate", None),
        ("an unknown certificate", Some("fingerprint-of-nobody".to_owned())),
        ("a revoked terminal's certificate", Some("revoked".to_owned())),
    ];
    let mut wrong = Vec::new();
    for (n, r) in ROUTES.iter().enumerate() {
        for (who, cert) in &strangers {
            let status = answer(&api, r, peer(cert.clone()), n).await;
            if status != StatusCode::UNAUTHORIZED {
                wrong.push(format!("{} {} with {who}: {status}", r.method, r.path));
            }
        }
    }
    assert!(wrong.is_empty(), "answered other than 401:\n{}", wrong.join("\n"));
}
