//! The hall network over loopback with real certificates: enrolment and `join`, what each role
//! may and may not do, the refusals (no certificate, another hall's CA, a revoked terminal, an
//! expired, reused or wrong code), a lost answer retried with its key, the event stream and the
//! public ticket status page.

use crate::hall;

use hall::ConnectionLimits;
use hall::{Hall, service};
use kiosk::contract::{ErrorKind, HallError, HallQueue, TicketRef};
use kiosk::contract::{FeedItem, HallFeed};
use kiosk::hall::access::TerminalRole;
use kiosk::hall::client::{HallClient, TerminalTls};
use kiosk::hall::enrolment;
use kiosk::hall::feed::RemoteFeed;
use kiosk::hall::pki::HallCa;
use kiosk::lang::Lang;
use kiosk_contract::IssueRequest;
use kiosk_store::Store;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::ops::ControlFlow;
use std::time::Duration;

fn kind<T: std::fmt::Debug>(r: Result<T, HallError>) -> ErrorKind {
    r.expect_err("refused").kind
}

#[test]
fn each_role_does_what_it_may_and_is_refused_the_rest() {
    let hall = Hall::start();
    let (_k, mut kiosk) = hall.queue("kiosk-2", TerminalRole::SecondaryKiosk, &[]);
    let (_c, mut counter) = hall.queue("counter-1", TerminalRole::Counter, &[1]);
    let (_d, mut display) = hall.queue("display-1", TerminalRole::Display, &[]);
    let (_m, monitor) = hall.join("prometheus", TerminalRole::Monitor, &[]);

    let ticket = kiosk
        .issue(&IssueRequest::new(service("A"), None, Lang::Ug))
        .expect("a secondary kiosk issues");
    assert_eq!(ticket.number, "A001");
    assert_eq!(ticket.language, "ug");
    assert_eq!(kind(kiosk.call_next(1)), ErrorKind::Forbidden);

    let call = counter.call_next(1).expect("a counter calls at its own counter");
    assert_eq!(call.called.unwrap().number, "A001");
    let refused = counter.call_next(2).expect_err("not its counter");
    assert_eq!(refused.kind, ErrorKind::Forbidden);
    assert!(
        refused.message.contains("counter(s) 1 only"),
        "{}",
        refused.message
    );
    assert_eq!(
        kind(counter.issue(&IssueRequest::new(service("A"), None, Lang::ZhCn))),
        ErrorKind::Forbidden
    );
    assert_eq!(counter.recall(1).unwrap().recalls, 1);
    assert!(counter.set_paused(1, true).unwrap().paused);

    let summary = display.summary().expect("a display reads");
    assert_eq!(summary.recent_calls[0].number, "A001");
    assert!(summary.counters.iter().any(|c| c.id == 1 && c.paused));
    assert_eq!(
        kind(display.issue(&IssueRequest::new(service("A"), None, Lang::ZhCn))),
        ErrorKind::Forbidden
    );
    assert_eq!(kind(display.skip(1)), ErrorKind::Forbidden);
    let (status, _, _) = HallClient::get_raw(&display_client(&hall, "display-metrics"), "/metrics").unwrap();
    assert_eq!(status, 403, "only a monitor reads the metrics");

    let (status, _, body) = monitor.get_raw("/metrics").unwrap();
    let text = String::from_utf8(body).unwrap();
    assert_eq!(status, 200);
    assert!(
        text.contains("kiosk_tickets_issued_today{service=\"A\"} 1"),
        "{text}"
    );
    assert!(text.contains("kiosk_hall_request_duration_seconds"), "{text}");
    assert!(text.ends_with("# EOF\n"));
    let err: Result<kiosk::contract::HallSummary, _> = monitor.get("/v1/summary");
    assert_eq!(kind(err), ErrorKind::Forbidden);
}

/// A display's client (reads, but no metrics).
fn display_client(hall: &Hall, id: &str) -> HallClient {
    hall.join(id, TerminalRole::Display, &[]).1
}

#[test]
fn strangers_revoked_terminals_and_bad_codes_are_refused() {
    let hall = Hall::start();

    // No client certificate: the enrolment endpoint only.
    let code = hall.code("kiosk-2", TerminalRole::SecondaryKiosk, &[]);
    let anonymous = HallClient::new(
        &hall.base,
        kiosk::hall::tls::pinned_config(&code.ca_fingerprint).unwrap(),
    )
    .unwrap();
    let err = kind(anonymous.get::<kiosk::contract::HallSummary>("/v1/summary"));
    assert_eq!(err, ErrorKind::Unauthenticated);

    // A certificate from another hall's CA: refused in the handshake.
    let elsewhere = tempfile::tempdir().unwrap();
    let other_ca = HallCa::open_or_create(elsewhere.path(), "other-hall", chrono::Utc::now()).unwrap();
    let (key, csr) = kiosk::hall::pki::new_key_and_request("intruder").unwrap();
    let signed = other_ca
        .sign_terminal(&csr, "intruder", chrono::Utc::now())
        .unwrap();
    let our_ca = hall.ca().cert_pem().to_owned();
    let intruder = HallClient::new(
        &hall.base,
        kiosk::hall::tls::client_config(&our_ca, &signed.cert_pem, &key).unwrap(),
    )
    .unwrap();
    let refused = intruder
        .get::<kiosk::contract::HallSummary>("/v1/summary")
        .unwrap_err();
    assert_eq!(refused.kind, ErrorKind::Unavailable, "{}", refused.message);

    // A revoked terminal: refused from the next request on.
    let (_dir, mut kiosk) = hall.queue("kiosk-3", TerminalRole::SecondaryKiosk, &[]);
    kiosk.summary().expect("enrolled");
    let mut store = Store::open_in(hall.dir.path()).unwrap();
    assert!(
        store
            .write(|c| kiosk_store::hall_tables::revoke(c, "kiosk-3", chrono::Utc::now()))
            .unwrap()
    );
    let err = kiosk.summary().unwrap_err();
    assert_eq!(err.kind, ErrorKind::Unauthenticated);
    assert!(err.message.contains("revoked"), "{}", err.message);

    // Codes: expired, reused, wrong; a wrong fingerprint stores nothing.
    let old = hall.code_at(
        "kiosk-4",
        TerminalRole::SecondaryKiosk,
        &[],
        chrono::Utc::now() - chrono::Duration::minutes(16),
    );
    let expired = enrolment::join(&hall.base, &old.code, &old.ca_fingerprint).unwrap_err();
    assert_eq!(
        (expired.kind, expired.message.contains("expired")),
        (ErrorKind::BadInput, true),
        "{}",
        expired.message
    );
    let fresh = hall.code("kiosk-5", TerminalRole::SecondaryKiosk, &[]);
    enrolment::join(&hall.base, &fresh.code, &fresh.ca_fingerprint).unwrap();
    let reused = enrolment::join(&hall.base, &fresh.code, &fresh.ca_fingerprint).unwrap_err();
    assert!(reused.message.contains("used already"), "{}", reused.message);
    let wrong = enrolment::join(&hall.base, "ABCD-EFGH-JKMN", &fresh.ca_fingerprint).unwrap_err();
    assert!(wrong.message.contains("not known"), "{}", wrong.message);
    let other = hall.code("kiosk-6", TerminalRole::SecondaryKiosk, &[]);
    let spoofed = enrolment::join(&hall.base, &other.code, &"ab".repeat(32)).unwrap_err();
    assert_eq!(spoofed.kind, ErrorKind::BadInput, "{}", spoofed.message);
    assert!(spoofed.message.contains("fingerprint"), "{}", spoofed.message);
    // The code was not spent on the host that failed the fingerprint check.
    enrolment::join(&hall.base, &other.code, &other.ca_fingerprint).expect("the code still works");
}

#[test]
fn a_call_whose_answer_is_lost_and_retried_with_its_key_calls_one_visitor() {
    let hall = Hall::start();
    let (_k, mut kiosk) = hall.queue("kiosk-2", TerminalRole::SecondaryKiosk, &[]);
    let (_c, mut counter) = hall.queue("counter-3", TerminalRole::Counter, &[3]);
    kiosk
        .issue(&IssueRequest::new(service("A"), None, Lang::ZhCn))
        .unwrap();
    kiosk
        .issue(&IssueRequest::new(service("A"), None, Lang::ZhCn))
        .unwrap();

    // The host commits the call, then the answer is cut off; the client retries with its key.
    hall.faults.drop_next_answers(1);
    let call = counter.call_next(3).expect("the retry gets the first answer");
    assert_eq!(hall.faults.pending(), 0, "the first answer was cut off");
    assert_eq!(call.called.unwrap().number, "A001");

    let status = hall.local().status().unwrap();
    let called: Vec<_> = status
        .tickets
        .iter()
        .filter(|t| t.called_at.is_some())
        .map(|t| t.number.as_str())
        .collect();
    assert_eq!(called, vec!["A001"], "one visitor called, A002 still waiting");
    let calls = hall
        .local()
        .events_after(0, 100)
        .unwrap()
        .events
        .iter()
        .filter(|e| e.is_call())
        .count();
    assert_eq!(calls, 1);

    // A repeated key returns the kept answer; the same key for another request is refused.
    let (_c2, raw) = hall.join("counter-2", TerminalRole::Counter, &[2]);
    let first: kiosk::contract::CallResult = raw
        .post_with_key("/v1/counters/2/call-next", &serde_json::json!({}), "key-1")
        .unwrap();
    let again: kiosk::contract::CallResult = raw
        .post_with_key("/v1/counters/2/call-next", &serde_json::json!({}), "key-1")
        .unwrap();
    assert_eq!(first, again);
    assert_eq!(first.called.unwrap().number, "A002");
    let reused: Result<kiosk::contract::TicketView, _> =
        raw.post_with_key("/v1/counters/2/recall", &serde_json::json!({}), "key-1");
    assert_eq!(kind(reused), ErrorKind::Conflict);
}

#[test]
fn the_event_stream_delivers_calls_pauses_and_other_processes_writes_in_order() {
    let hall = Hall::start();
    let (_k, mut kiosk) = hall.queue("kiosk-2", TerminalRole::SecondaryKiosk, &[]);
    let (_c, mut counter) = hall.queue("counter-1", TerminalRole::Counter, &[1]);
    let (display_dir, _) = hall.join("display-1", TerminalRole::Display, &[]);
    kiosk
        .issue(&IssueRequest::new(service("A"), None, Lang::ZhCn))
        .unwrap();

    let (tx, rx) = std::sync::mpsc::channel();
    let base = hall.base.clone();
    let tls = TerminalTls::load(display_dir.path()).unwrap().rustls().unwrap();
    std::thread::spawn(move || {
        RemoteFeed::new(base, tls).follow(&mut |item| {
            if item == FeedItem::Idle {
                ControlFlow::Continue(())
            } else if tx.send(item).is_err() {
                ControlFlow::Break(())
            } else {
                ControlFlow::Continue(())
            }
        });
    });
    let next = || rx.recv_timeout(Duration::from_secs(10)).expect("an item");
    assert_eq!(next(), FeedItem::Connected);
    let FeedItem::Snapshot(snapshot) = next() else {
        panic!("a snapshot first")
    };
    let mut cursor = snapshot.cursor;

    counter.call_next(1).unwrap();
    let FeedItem::Event(call) = next() else {
        panic!("the call")
    };
    assert_eq!(
        (call.seq, call.number.as_deref(), call.counter),
        (cursor + 1, Some("A001"), Some(1))
    );
    cursor = call.seq;
    counter.set_paused(1, true).unwrap();
    let FeedItem::Event(pause) = next() else {
        panic!("the pause")
    };
    assert_eq!(pause.seq, cursor + 1);
    assert_eq!(pause.event, kiosk::contract::EventKind::Pause);
    assert_eq!(pause.number, None);

    // Another process writes (the host's own kiosk): seen too, through the database.
    hall.local()
        .issue(&IssueRequest::new(service("B"), None, Lang::En))
        .unwrap();
    let FeedItem::Event(issue) = next() else {
        panic!("the issue")
    };
    assert_eq!(
        (issue.seq, issue.number.as_deref()),
        (pause.seq + 1, Some("B001"))
    );
}

#[test]
fn the_status_page_shows_a_ticket_in_its_language_and_nothing_else() {
    let hall = Hall::start();
    let (_k, mut kiosk) = hall.queue("kiosk-2", TerminalRole::SecondaryKiosk, &[]);
    let ug = kiosk
        .issue(&IssueRequest::new(service("A"), None, Lang::Ug))
        .unwrap();
    let en = kiosk
        .issue(&IssueRequest::new(service("A"), None, Lang::En))
        .unwrap();
    let get = |path: &str| {
        let response = reqwest::blocking::get(format!("http://{}{path}", hall.public)).unwrap();
        (response.status().as_u16(), response.text().unwrap())
    };
    let (status, page) = get(&format!("/t/{}", ug.id));
    assert_eq!(status, 200);
    assert!(
        page.contains("dir=\"rtl\"") && page.contains("lang=\"ug\""),
        "{page}"
    );
    assert!(page.contains("A001"));
    let (_, page) = get(&format!("/t/{}", en.id));
    assert!(page.contains("People ahead of you: 1"), "{page}");
    assert!(page.contains("http-equiv=\"refresh\""));

    let (_c, mut counter) = hall.queue("counter-2", TerminalRole::Counter, &[2]);
    counter.call_next(2).unwrap();
    let (_, page) = get(&format!("/t/{}", ug.id));
    assert!(!page.contains("A002"), "only this ticket");

    let unknown = uuid::Uuid::now_v7().to_string();
    let (status, body) = get(&format!("/t/{unknown}"));
    assert_eq!(status, 404);
    let (status_other, body_other) = get("/v1/summary");
    assert_eq!(
        (status_other, body_other),
        (404, body),
        "the same answer for anything else"
    );
    let (status, _) = get("/t/..%2f..%2fetc%2fpasswd");
    assert_eq!(status, 404);
}

/// A host whose deadlines are a second, so that the tests wait little.
fn hall_with_short_deadlines() -> Hall {
    let limits = ConnectionLimits {
        handshake: Duration::from_secs(1),
        header_read: Duration::from_secs(1),
        body_read: Duration::from_secs(1),
        ..ConnectionLimits::for_descriptors(1024)
    };
    Hall::start_limited(kiosk::config::Config::default(), Some(limits))
}

/// Reads until the host closes the connection; what it sent.
fn until_closed(stream: &mut impl Read) -> String {
    let mut answer = Vec::new();
    // Far beyond the host's deadline: a host that never closes fails here, not hangs.
    match stream.read_to_end(&mut answer) {
        Ok(_) => String::from_utf8_lossy(&answer).into_owned(),
        Err(e) => panic!("the host did not close the connection: {e}"),
    }
}

#[test]
fn half_sent_requests_and_idle_connections_are_closed_at_the_deadline() {
    let hall = hall_with_short_deadlines();
    let mut half = TcpStream::connect(hall.public).unwrap();
    half.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    half.write_all(b"GET /t/x HTTP/1.1\r\n").unwrap();
    let answer = until_closed(&mut half);
    assert!(!answer.contains("200 OK"), "{answer}");

    let mut idle = TcpStream::connect(hall.public).unwrap();
    idle.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    idle.write_all(b"GET /t/x HTTP/1.1\r\nHost: hall\r\n\r\n")
        .unwrap();
    let answer = until_closed(&mut idle);
    assert!(
        answer.starts_with("HTTP/1.1 404"),
        "answered, then closed when idle: {answer}"
    );
}

/// Sends `head` (a request's head and the start of its body, as written) over an anonymous TLS
/// connection and reads the host's answer: its status line and its JSON error.
fn answer_to_partial_request(hall: &Hall, head: &[u8]) -> (String, HallError) {
    let code = hall.code("kiosk-2", TerminalRole::SecondaryKiosk, &[]);
    let tls = std::sync::Arc::new(kiosk::hall::tls::pinned_config(&code.ca_fingerprint).unwrap());
    let name = rustls::pki_types::ServerName::try_from("hall-host").unwrap();
    let mut tcp = TcpStream::connect(hall.base.trim_start_matches("https://")).unwrap();
    tcp.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    let mut session = rustls::ClientConnection::new(tls, name).unwrap();
    let mut stream = rustls::Stream::new(&mut session, &mut tcp);
    stream.write_all(head).unwrap();
    let mut answer = String::new();
    let mut chunk = [0u8; 4096];
    while !answer.contains('}') {
        let n = stream
            .read(&mut chunk)
            .expect("an answer before the connection ends");
        assert!(n > 0, "closed without an answer: {answer}");
        answer.push_str(&String::from_utf8_lossy(&chunk[..n]));
    }
    let status = answer.lines().next().unwrap_or_default().to_owned();
    let body = &answer[answer.find("\r\n\r\n").unwrap() + 4..];
    (status, serde_json::from_str(body).unwrap())
}

#[test]
fn a_body_that_does_not_arrive_in_time_or_is_too_large_is_refused_in_the_documented_json() {
    let hall = hall_with_short_deadlines();
    let head = "POST /v1/enrol HTTP/1.1\r\nHost: hall-host\r\nContent-Type: application/json\r\n";
    let slow = format!("{head}Content-Length: 200\r\n\r\n{{\"code\"");
    let (status, error) = answer_to_partial_request(&hall, slow.as_bytes());
    assert!(status.starts_with("HTTP/1.1 408"), "{status}");
    assert_eq!(error.kind, ErrorKind::BadInput);
    assert!(error.message.contains("did not arrive"), "{error:?}");
    let large = format!("{head}Content-Length: {}\r\n\r\n{{", 70 * 1024);
    let (status, error) = answer_to_partial_request(&hall, large.as_bytes());
    assert!(status.starts_with("HTTP/1.1 413"), "{status}");
    assert!(error.message.contains("64 KiB"), "{error:?}");
}

#[test]
fn revoking_a_terminal_ends_its_open_event_stream() {
    let hall = Hall::start();
    let (display_dir, _) = hall.join("display-1", TerminalRole::Display, &[]);
    let tls = TerminalTls::load(display_dir.path()).unwrap().rustls().unwrap();
    let client = reqwest::blocking::Client::builder()
        .use_preconfigured_tls(tls)
        .timeout(Duration::from_secs(60))
        .build()
        .unwrap();
    let mut stream = client.get(format!("{}/v1/events", hall.base)).send().unwrap();
    assert_eq!(stream.status(), 200);
    let mut first = [0u8; 64];
    let n = stream.read(&mut first).unwrap();
    assert!(String::from_utf8_lossy(&first[..n]).contains("snapshot"));

    let mut store = Store::open_in(hall.dir.path()).unwrap();
    store
        .write(|c| kiosk_store::hall_tables::revoke(c, "display-1", chrono::Utc::now()))
        .unwrap();
    // The stream ends (the client's own 60 s limit would fail this read instead).
    let mut rest = Vec::new();
    stream.read_to_end(&mut rest).expect("the host ends the stream");
    let again = client.get(format!("{}/v1/events", hall.base)).send().unwrap();
    assert_eq!(again.status(), 401);
}

#[test]
fn every_change_records_the_terminal_that_asked_for_it() {
    let hall = Hall::start();
    let (_k, mut kiosk) = hall.queue("kiosk-2", TerminalRole::SecondaryKiosk, &[]);
    let (_c1, mut first) = hall.queue("counter-1", TerminalRole::Counter, &[1]);
    let (_c2, mut second) = hall.queue("counter-2", TerminalRole::Counter, &[2]);
    for _ in 0..2 {
        kiosk
            .issue(&IssueRequest::new(service("A"), None, Lang::ZhCn))
            .unwrap();
    }
    hall.local()
        .issue(&IssueRequest::new(service("A"), None, Lang::ZhCn))
        .unwrap();
    let called = first.call_next(1).unwrap().called.unwrap();
    let taken = second.transfer(TicketRef::Number(called.number.parse().unwrap()), service("B"));
    assert_eq!(kind(taken), ErrorKind::Conflict, "another counter's visitor");
    second
        .transfer(TicketRef::Number("A002".parse().unwrap()), service("B"))
        .unwrap();

    let db = rusqlite::Connection::open(hall.dir.path().join(kiosk_store::DB_FILE)).unwrap();
    let rows: Vec<(String, String)> = db
        .prepare("SELECT event, terminal FROM transitions ORDER BY seq")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let host = hall.config.terminal.id.as_str();
    let expected = [
        ("issue", "kiosk-2"),
        ("issue", "kiosk-2"),
        ("issue", host),
        ("call", "counter-1"),
        ("transfer", "counter-2"),
    ];
    let rows: Vec<(&str, &str)> = rows.iter().map(|(e, t)| (e.as_str(), t.as_str())).collect();
    assert_eq!(rows, expected);
}

/// Something else holds the database's write lock (a backup, another process) for longer than a
/// counter waits. The counter is told the outcome is unknown, and the host does not make the
/// call afterwards behind its back: the next press calls the same visitor, none is skipped.
#[test]
fn a_change_that_times_out_says_so_and_is_not_made_later() {
    let hall = Hall::start();
    let (_k, mut kiosk) = hall.queue("kiosk-2", TerminalRole::SecondaryKiosk, &[]);
    let (_c, mut counter) = hall.queue("counter-1", TerminalRole::Counter, &[1]);
    for _ in 0..2 {
        kiosk
            .issue(&IssueRequest::new(service("A"), None, Lang::ZhCn))
            .unwrap();
    }
    counter.summary().unwrap();
    let mut backup = rusqlite::Connection::open(hall.dir.path().join(kiosk_store::DB_FILE)).unwrap();
    let held = backup
        .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
        .unwrap();
    let late = counter.call_next(1).unwrap_err();
    assert_eq!(late.kind, ErrorKind::Unavailable);
    assert!(
        late.message.contains("may or may not have been made") && !late.message.contains("cannot be reached"),
        "{}",
        late.message
    );
    let ticket = kiosk.issue(&IssueRequest::new(service("A"), None, Lang::En));
    assert!(kind(ticket) == ErrorKind::Unavailable);
    held.rollback().unwrap();

    let issued = kiosk
        .issue(&IssueRequest::new(service("A"), None, Lang::En))
        .unwrap();
    assert_eq!(
        issued.number, "A003",
        "the ticket given up on was not issued later"
    );
    let next = counter.call_next(1).unwrap();
    assert_eq!(
        next.called.unwrap().number,
        "A001",
        "the call given up on was not made later"
    );
    assert!(next.completed.is_none(), "nobody was completed unserved");
}

/// A terminal's raw HTTPS client (its certificate), for requests the typed client never makes.
fn raw_client(dir: &std::path::Path) -> reqwest::blocking::Client {
    let tls = TerminalTls::load(dir).unwrap().rustls().unwrap();
    reqwest::blocking::Client::builder()
        .use_preconfigured_tls(tls)
        .timeout(Duration::from_secs(30))
        .build()
        .unwrap()
}

#[test]
fn malformed_requests_get_the_documented_json_error_and_change_nothing() {
    let hall = Hall::start();
    let (kiosk_dir, _) = hall.join("kiosk-2", TerminalRole::SecondaryKiosk, &[]);
    let (counter_dir, _) = hall.join("counter-1", TerminalRole::Counter, &[1]);
    let (kiosk, counter) = (raw_client(kiosk_dir.path()), raw_client(counter_dir.path()));
    let url = |path: &str| format!("{}{path}", hall.base);
    let check = |response: reqwest::blocking::Response, status: u16, says: &str| {
        assert_eq!(response.status().as_u16(), status, "{says}");
        let body = response.text().unwrap();
        let error: HallError = serde_json::from_str(&body)
            .unwrap_or_else(|e| panic!("{status} is not the error JSON ({e}): {body}"));
        assert!(error.message.contains(says), "{status}: {}", error.message);
    };
    let get = |path: &str| counter.get(url(path)).send().unwrap();
    check(get("/v1/events/page?limit=0"), 400, "limit must be 1 to 1000");
    check(get("/v1/events/page?limit=1001"), 400, "limit must be 1 to 1000");
    check(get("/v1/events/page?limit=many"), 400, "Bad Request");
    check(get("/v1/stats/daily?day=0000-01-01"), 400, "years 2000 to 2999");
    check(get("/v1/stats/daily?day=-0001-01-01"), 400, "years 2000 to 2999");
    check(get("/v1/counters/first"), 400, "Bad Request");
    check(get("/v1/nowhere"), 404, "no such path");
    let many = (0..70).fold(counter.get(url("/v1/summary")), |r, i| {
        r.header(format!("x-{i}"), "1")
    });
    check(many.send().unwrap(), 431, "headers are larger");

    let issue = |body: String| {
        kiosk
            .post(url("/v1/tickets"))
            .header("Idempotency-Key", uuid::Uuid::now_v7().to_string())
            .header("Content-Type", "application/json")
            .body(body)
            .send()
            .unwrap()
    };
    let extra =
        r#"{"service":"A","screening":{"outcome":"eligible","matter":"labour_remuneration","name":"x"}}"#;
    check(issue(extra.into()), 400, "unknown field");
    let sign_out = counter
        .post(url("/v1/sign-out"))
        .header("Idempotency-Key", "k")
        .send()
        .unwrap();
    check(sign_out, 400, "Staff-Session");
    assert!(
        hall.local().status().unwrap().tickets.is_empty(),
        "no ticket was issued"
    );

    // Found by the contract test (scripts/api-contract-test.sh): each was accepted and acted on.
    let post = |path: &str, body: &str, key: &str, session: Option<&str>| {
        let r = counter
            .post(url(path))
            .header("Idempotency-Key", key)
            .header("Content-Type", "application/json")
            .body(body.to_owned());
        match session {
            Some(s) => r.header("Staff-Session", s),
            None => r,
        }
        .send()
        .unwrap()
    };
    let key = || uuid::Uuid::now_v7().to_string();
    let stream = counter
        .get(url("/v1/events"))
        .header("Last-Event-ID", "{}")
        .send()
        .unwrap();
    check(stream, 400, "Last-Event-ID");
    let extra = r#"{"number":"A001","counter":2}"#;
    check(
        post("/v1/counters/1/call-number", extra, &key(), None),
        400,
        "unknown field",
    );
    check(
        post("/v1/counters/1/transfer", r#"{"to":"B","x":1}"#, &key(), None),
        400,
        "unknown field",
    );
    check(
        post("/v1/counters/1/call-next", "", &key(), Some("not a session")),
        400,
        "Staff-Session",
    );
    check(
        post("/v1/counters/1/call-next", "", "two words", None),
        400,
        "Idempotency-Key",
    );
    assert_eq!(issue(r#"{"service":"A"}"#.into()).status().as_u16(), 200);
    let called = post("/v1/counters/1/call-next", "", &key(), None);
    assert_eq!(called.status().as_u16(), 200, "{}", called.text().unwrap());
    let number = hall
        .local()
        .counter_view(1)
        .unwrap()
        .counter
        .current
        .unwrap()
        .number;
    check(
        post(&format!("/v1/numbers/%20{number}/rejoin"), "", &key(), None),
        400,
        "not a ticket number",
    );
    let (rater_dir, _) = hall.join("rating-1", TerminalRole::Evaluator, &[1]);
    assert_eq!(
        post("/v1/counters/1/complete", "", &key(), None)
            .status()
            .as_u16(),
        200
    );
    let twice = r#"{"level":1,"reasons":["waiting","waiting"]}"#;
    let rating = raw_client(rater_dir.path())
        .post(url(&format!("/v1/numbers/{number}/rating")))
        .header("Idempotency-Key", key())
        .header("Content-Type", "application/json")
        .body(twice)
        .send()
        .unwrap();
    check(rating, 400, "given twice");
}

#[test]
fn an_address_may_try_ten_enrolment_codes_a_minute() {
    let hall = Hall::start();
    let code = hall.code("kiosk-2", TerminalRole::SecondaryKiosk, &[]);
    for _ in 0..10 {
        let wrong = enrolment::join(&hall.base, "ABCD-EFGH-JKMN", &code.ca_fingerprint).unwrap_err();
        assert!(wrong.message.contains("not known"), "{}", wrong.message);
    }
    let flooded = enrolment::join(&hall.base, &code.code, &code.ca_fingerprint).unwrap_err();
    assert!(
        flooded.message.contains("too many enrolment attempts"),
        "{}",
        flooded.message
    );
}
