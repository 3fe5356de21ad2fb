//! The hall network as technicians and scripts use it, with real processes: `kiosk provision
//! --enroll` on the host, `kiosk join` on a terminal, the same `kiosk queue` commands on every
//! terminal, revocation, a host that is down, and `kiosk events` following a host that is
//! killed with SIGKILL and started again.

use crate::common;
use crate::hall_procs;

use common::{kiosk, kiosk_bin, stdout_json};
use hall_procs::{enroll, free_port, join, provision_host, serve};
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn terminals_join_and_use_the_same_commands_until_revoked() {
    let host = tempfile::tempdir().unwrap();
    provision_host(host.path());
    let (counter_code, kiosk_code) = (
        enroll(host.path(), "counter-1", "counter", Some("1")),
        enroll(host.path(), "kiosk-2", "secondary-kiosk", None),
    );
    let port = free_port();
    let mut server = serve(host.path(), port);

    let counter = tempfile::tempdir().unwrap();
    let joined = stdout_json(&join(counter.path(), port, &counter_code));
    assert_eq!(joined["terminal_id"], "counter-1");
    assert_eq!(joined["role"], "counter");
    let key = counter.path().join("tls/client.key");
    let mode = std::os::unix::fs::PermissionsExt::mode(&std::fs::metadata(&key).unwrap().permissions());
    assert_eq!(mode & 0o777, 0o600);
    let config = std::fs::read_to_string(counter.path().join("config.toml")).unwrap();
    assert!(config.contains("role = \"counter\""), "{config}");
    assert!(
        config.contains(&format!("hall_host = \"https://127.0.0.1:{port}\"")),
        "{config}"
    );
    let again = join(tempfile::tempdir().unwrap().path(), port, &counter_code);
    assert_eq!(again.status.code(), Some(2), "a used code: {}", stderr(&again));
    assert!(stderr(&again).contains("used already"));
    // An enrolled terminal keeps its identity unless told to replace it, before any code is spent.
    let second_code = enroll(host.path(), "counter-9", "counter", Some("1"));
    let twice = join(counter.path(), port, &second_code);
    assert_eq!(twice.status.code(), Some(2), "{}", stderr(&twice));
    assert!(stderr(&twice).contains("--replace"), "{}", stderr(&twice));
    assert_eq!(
        std::fs::read_to_string(counter.path().join("tls/client.key")).unwrap(),
        std::fs::read_to_string(&key).unwrap()
    );
    // A wrong fingerprint is said as such, not as a network fault.
    let wrong = join(
        tempfile::tempdir().unwrap().path(),
        port,
        &(second_code.0.clone(), "ab".repeat(32)),
    );
    assert_eq!(wrong.status.code(), Some(2), "{}", stderr(&wrong));
    assert!(stderr(&wrong).contains("fingerprint"), "{}", stderr(&wrong));
    assert!(
        !stderr(&wrong).contains("cannot be reached"),
        "{}",
        stderr(&wrong)
    );

    let lobby = tempfile::tempdir().unwrap();
    assert!(join(lobby.path(), port, &kiosk_code).status.success());
    let ticket = stdout_json(&kiosk(
        lobby.path(),
        &["queue", "issue", "--service", "A", "--lang", "en", "--json"],
    ));
    assert_eq!(
        (ticket["number"].as_str(), ticket["language"].as_str()),
        (Some("A001"), Some("en"))
    );
    let call = stdout_json(&kiosk(
        counter.path(),
        &["queue", "call", "--counter", "1", "--json"],
    ));
    assert_eq!(call["called"]["number"], "A001");
    let refused = kiosk(counter.path(), &["queue", "call", "--counter", "2"]);
    assert_eq!(refused.status.code(), Some(1));
    assert!(
        stderr(&refused).contains("counter(s) 1 only"),
        "{}",
        stderr(&refused)
    );
    let bad = kiosk(counter.path(), &["queue", "show", "--number", "Z999"]);
    assert_eq!(
        bad.status.code(),
        Some(2),
        "bad input stays exit 2 over the API: {}",
        stderr(&bad)
    );

    // The doctor checks the link, and the clocks' agreement.
    let hall_check = |args: &[&str]| {
        let report: serde_json::Value = serde_json::from_slice(&kiosk(counter.path(), args).stdout).unwrap();
        let checks = report["checks"].as_array().unwrap().clone();
        checks
            .into_iter()
            .find(|c| c["name"] == "hall")
            .expect("a hall check")
    };
    let fine = hall_check(&["doctor", "--json"]);
    assert_eq!(fine["status"], "ok", "{fine}");
    let later = (chrono::Utc::now() + chrono::Duration::minutes(10)).to_rfc3339();
    let skewed = hall_check(&[&format!("--now={later}"), "doctor", "--json"]);
    assert_eq!(skewed["status"], "fail", "{skewed}");
    assert!(skewed["detail"].as_str().unwrap().contains("clock"), "{skewed}");

    let listed = stdout_json(&kiosk(host.path(), &["provision", "--terminals", "--json"]));
    let ids: Vec<&str> = listed
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, vec!["counter-1", "kiosk-2"]);
    assert!(listed[0]["last_seen"].is_string(), "{listed}");

    let revoked = kiosk(host.path(), &["provision", "--revoke", "counter-1"]);
    assert!(revoked.status.success(), "{}", stderr(&revoked));
    let after = kiosk(counter.path(), &["queue", "status"]);
    assert_eq!(after.status.code(), Some(1));
    assert!(stderr(&after).contains("revoked"), "{}", stderr(&after));
    assert_eq!(
        kiosk(host.path(), &["provision", "--revoke", "nobody"])
            .status
            .code(),
        Some(2)
    );

    // The host stops: an answer within 5 seconds that names the host.
    server.kill().unwrap();
    server.wait().unwrap();
    let started = Instant::now();
    let down = kiosk(lobby.path(), &["queue", "status"]);
    assert_eq!(down.status.code(), Some(1));
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
    assert!(
        stderr(&down).contains(&format!("https://127.0.0.1:{port}")),
        "{}",
        stderr(&down)
    );
}

#[test]
fn enrolment_is_checked_before_a_code_is_made() {
    let host = tempfile::tempdir().unwrap();
    provision_host(host.path());
    let no_counters = kiosk(host.path(), &["provision", "--enroll", "c", "--role", "counter"]);
    assert_eq!(no_counters.status.code(), Some(2));
    let unknown = kiosk(
        host.path(),
        &[
            "provision",
            "--enroll",
            "c",
            "--role",
            "counter",
            "--counters",
            "9",
        ],
    );
    assert!(stderr(&unknown).contains("no counter 9"), "{}", stderr(&unknown));
    let bad_id = kiosk(
        host.path(),
        &["provision", "--enroll", "a b", "--role", "display"],
    );
    assert_eq!(bad_id.status.code(), Some(2));
    let text = kiosk(
        host.path(),
        &["provision", "--enroll", "wall", "--role", "display"],
    );
    let out = String::from_utf8_lossy(&text.stdout);
    assert!(out.contains("kiosk join --hall-host"), "{out}");
}

#[test]
fn a_follower_recovers_every_event_across_a_host_killed_mid_stream() {
    let host = tempfile::tempdir().unwrap();
    provision_host(host.path());
    let code = enroll(host.path(), "wall", "display", None);
    let port = free_port();
    let mut server = serve(host.path(), port);
    let display = tempfile::tempdir().unwrap();
    assert!(join(display.path(), port, &code).status.success());

    let mut events = Command::new(kiosk_bin())
        .arg("--data-dir")
        .arg(display.path())
        .args(["events", "--json"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let (tx, rx) = std::sync::mpsc::channel::<serde_json::Value>();
    let stdout = events.stdout.take().unwrap();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            let _ = tx.send(serde_json::from_str(&line).unwrap());
        }
    });
    let next = || {
        rx.recv_timeout(Duration::from_secs(20))
            .expect("a line from kiosk events")
    };
    assert!(next().get("snapshot").is_some(), "a snapshot first");

    let on_host = |args: &[&str]| assert!(kiosk(host.path(), args).status.success());
    let mut seen = Vec::new();
    for _ in 0..3 {
        on_host(&["queue", "issue", "--service", "A"]);
        seen.push(next());
    }
    on_host(&["queue", "call", "--counter", "1"]);
    seen.push(next());

    server.kill().unwrap(); // SIGKILL
    server.wait().unwrap();
    // The hall goes on while the host's API is down (the host's own kiosk writes locally).
    on_host(&["queue", "call", "--counter", "2"]);
    on_host(&["queue", "pause", "--counter", "3"]);
    let mut server = serve(host.path(), port);
    on_host(&["queue", "call", "--counter", "1"]);
    while seen.len() < 8 {
        let line = next();
        assert!(
            line.get("snapshot").is_none(),
            "a short gap is replayed, not replaced: {line}"
        );
        seen.push(line);
    }
    let seqs: Vec<u64> = seen.iter().map(|e| e["seq"].as_u64().unwrap()).collect();
    let first = seqs[0];
    assert_eq!(
        seqs,
        (first..first + 8).collect::<Vec<_>>(),
        "no gap and nothing twice"
    );
    let kinds: Vec<&str> = seen.iter().map(|e| e["event"].as_str().unwrap()).collect();
    // Counter 1's second call completes its visitor first.
    assert_eq!(
        kinds,
        vec![
            "issue", "issue", "issue", "call", "call", "pause", "complete", "call"
        ]
    );

    events.kill().unwrap();
    events.wait().unwrap();
    server.kill().unwrap();
    server.wait().unwrap();
}

#[test]
fn staff_are_provisioned_on_the_host_and_ratings_reach_the_statistics() {
    let host = tempfile::tempdir().unwrap();
    provision_host(host.path());
    let add = |pin: &[u8]| {
        common::kiosk_with_stdin(
            host.path(),
            &["provision", "--add-staff", "S017", "--name", "王芳", "--json"],
            pin,
        )
    };
    let short = add(b"12\n");
    assert_eq!(short.status.code(), Some(2), "{}", stderr(&short));
    assert!(stderr(&short).contains("4 to 12 digits"));
    // Standard input is read up to 1 MiB, not without end (as from /dev/zero).
    let endless = Command::new(kiosk_bin())
        .arg("--data-dir")
        .arg(host.path())
        .args(["provision", "--add-staff", "S017", "--name", "王芳"])
        .stdin(std::fs::File::open("/dev/zero").unwrap())
        .output()
        .unwrap();
    assert_eq!(endless.status.code(), Some(2), "{}", stderr(&endless));
    assert!(
        stderr(&endless).contains("larger than 1 MiB"),
        "{}",
        stderr(&endless)
    );
    let mirrored = common::kiosk_with_stdin(
        host.path(),
        &["provision", "--add-staff", "S018", "--name", "\u{202E}gnaW iL"],
        b"2468\n",
    );
    assert_eq!(mirrored.status.code(), Some(2), "{}", stderr(&mirrored));
    let added = add(b"2468\n");
    assert!(added.status.success(), "{}", stderr(&added));
    assert_eq!(stdout_json(&added)["added"], true);
    assert!(add(b"1357\n").status.success(), "changing the PIN");
    let list = stdout_json(&kiosk(host.path(), &["provision", "--staff", "--json"]));
    assert_eq!(list["staff"][0]["staff"], "S017");
    assert_eq!(list["staff"][0]["name"], "王芳");
    // The PIN is kept as an Argon2 hash, nowhere as itself, and the name not in the log.
    let db = std::fs::read(host.path().join(kiosk_store::DB_FILE)).unwrap();
    assert!(!db.windows(4).any(|w| w == b"1357"));
    assert!(!stderr(&added).contains("王芳"));

    for args in [
        &["queue", "issue", "--service", "A"][..],
        &["queue", "call", "--counter", "1"],
        &["queue", "complete", "--counter", "1"],
    ] {
        let out = kiosk(host.path(), args);
        assert!(out.status.success(), "{args:?}: {}", stderr(&out));
    }
    let low = kiosk(
        host.path(),
        &["queue", "rate", "--number", "A001", "--level", "1"],
    );
    assert_eq!(low.status.code(), Some(2));
    assert!(
        stderr(&low).contains("needs at least one reason"),
        "{}",
        stderr(&low)
    );
    let rated = stdout_json(&kiosk(
        host.path(),
        &[
            "queue",
            "rate",
            "--number",
            "A001",
            "--level",
            "1",
            "--reason",
            "attitude,other",
            "--json",
        ],
    ));
    assert_eq!(rated["level"], 1);
    assert_eq!(rated["reasons"], serde_json::json!(["attitude", "other"]));
    assert_eq!(
        rated["entered_by"], "hall-host",
        "a paper form, entered on the hall host"
    );
    let twice = kiosk(
        host.path(),
        &["queue", "rate", "--number", "A001", "--level", "5"],
    );
    assert_eq!(twice.status.code(), Some(1), "{}", stderr(&twice));
    assert!(stderr(&twice).contains("rated already"));

    let stats = stdout_json(&kiosk(host.path(), &["queue", "stats", "--json"]));
    assert_eq!(stats["counters"]["1"]["ratings"]["by_level"]["1"], 1);
    assert_eq!(stats["services"]["A"]["ratings"]["satisfied_share"], 0.0);

    let removed = kiosk(host.path(), &["provision", "--remove-staff", "S017"]);
    assert!(removed.status.success(), "{}", stderr(&removed));
    let again = kiosk(host.path(), &["provision", "--remove-staff", "S017"]);
    assert_eq!(again.status.code(), Some(2));
}

/// Strangers on the visitors' Wi-Fi open connections to both of the host's ports and send half a
/// request each (`GET /t/x HTTP/1.1` and nothing more), on the hall API after an anonymous TLS
/// handshake. The host runs with systemd's default of 1024 open files; 2,000 such connections
/// per port once took them all, and every counter's call failed.
#[test]
fn strangers_holding_half_sent_requests_do_not_stop_the_counters() {
    const HELD_PER_PORT: usize = 2000;
    let host = tempfile::tempdir().unwrap();
    provision_host(host.path());
    let counter_code = enroll(host.path(), "counter-1", "counter", Some("1"));
    let (port, public_port) = (free_port(), free_port());
    let public = format!("127.0.0.1:{public_port}");
    let mut server = hall_procs::serve_with(host.path(), port, &["--public-listen", &public], Some(1024));
    let counter = tempfile::tempdir().unwrap();
    assert!(join(counter.path(), port, &counter_code).status.success());
    let tickets: Vec<serde_json::Value> = (0..6)
        .map(|_| {
            stdout_json(&kiosk(
                host.path(),
                &["queue", "issue", "--service", "A", "--json"],
            ))
        })
        .collect();

    let runtime = tokio::runtime::Runtime::new().unwrap();
    let tls = std::sync::Arc::new(kiosk::hall::tls::pinned_config(&counter_code.1).unwrap());
    let (stop, stopped) = tokio::sync::watch::channel(false);
    let (ready, mut all_ready) = tokio::sync::mpsc::channel(64);
    let strangers: Vec<_> = (0..2 * HELD_PER_PORT)
        .map(|i| {
            let tls = (i % 2 == 0).then(|| tls.clone());
            let target = if tls.is_some() { port } else { public_port };
            runtime.spawn(hold_half_a_request(target, tls, ready.clone(), stopped.clone()))
        })
        .collect();
    runtime.block_on(async {
        for _ in 0..2 * HELD_PER_PORT {
            all_ready.recv().await.unwrap();
        }
    });

    // While the strangers hold on, counters call, and a visitor's phone opens its status page.
    let mut took = Vec::new();
    for expected in tickets.iter().take(5) {
        let started = Instant::now();
        let call = kiosk(counter.path(), &["queue", "call", "--counter", "1", "--json"]);
        took.push(started.elapsed());
        assert!(
            call.status.success(),
            "a counter's call failed: {}",
            stderr(&call)
        );
        assert_eq!(stdout_json(&call)["called"]["number"], expected["number"]);
        let done = kiosk(counter.path(), &["queue", "complete", "--counter", "1"]);
        assert!(done.status.success(), "{}", stderr(&done));
    }
    let page = status_page(public_port, tickets[5]["id"].as_str().unwrap());
    assert!(page.starts_with("HTTP/1.1 200"), "{page}");
    eprintln!("calls while {HELD_PER_PORT} strangers per port held connections: {took:?}");

    stop.send(true).unwrap();
    let held: Vec<Held> = runtime.block_on(async {
        let mut held = Vec::new();
        for s in strangers {
            held.push(s.await.unwrap());
        }
        held
    });
    let opened: usize = held.iter().map(|h| h.opened).sum();
    let closed: usize = held.iter().map(|h| h.closed_by_host).sum();
    eprintln!("strangers opened {opened} connections; the host closed {closed} of them");
    assert!(opened >= 2 * HELD_PER_PORT, "every stranger connected: {opened}");
    assert!(
        closed >= HELD_PER_PORT,
        "the host closed most strangers' connections to make room: {closed} of {opened}"
    );
    assert!(server.try_wait().unwrap().is_none(), "the host is still running");
    server.kill().unwrap();
    server.wait().unwrap();
}

/// What one stranger managed: connections made, and how many of them the host closed.
#[derive(Debug, Default, Clone, Copy)]
struct Held {
    opened: usize,
    closed_by_host: usize,
}

/// One stranger, as a slowloris client behaves: connects, (shakes hands anonymously,) sends half
/// a request line and holds the connection; when the host closes it, it opens another a second
/// later, until the test ends. `ready` hears of its first connection.
async fn hold_half_a_request(
    port: u16,
    tls: Option<std::sync::Arc<rustls::ClientConfig>>,
    ready: tokio::sync::mpsc::Sender<()>,
    mut stopped: tokio::sync::watch::Receiver<bool>,
) -> Held {
    use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
    /// Holds one connection; true when the host closed it.
    async fn hold<S: AsyncRead + AsyncWrite + Unpin>(
        mut stream: S,
        stopped: &mut tokio::sync::watch::Receiver<bool>,
    ) -> bool {
        if stream.write_all(b"GET /t/x HTTP/1.1\r\n").await.is_err() {
            return true;
        }
        let mut byte = [0u8; 1];
        tokio::select! {
            _ = stream.read(&mut byte) => true,
            _ = stopped.wait_for(|stop| *stop) => false,
        }
    }
    let mut held = Held::default();
    let mut ready = Some(ready);
    while !*stopped.borrow() {
        let connected = tokio::net::TcpStream::connect(("127.0.0.1", port)).await;
        if let Some(ready) = ready.take() {
            let _ = ready.send(()).await;
        }
        let closed = match (connected, &tls) {
            (Err(_), _) => false,
            (Ok(tcp), None) => {
                held.opened += 1;
                hold(tcp, &mut stopped).await
            }
            (Ok(tcp), Some(config)) => {
                held.opened += 1;
                let name = rustls::pki_types::ServerName::try_from("hall-host").unwrap();
                let connector = tokio_rustls::TlsConnector::from(config.clone());
                let shaken = tokio::select! {
                    shaken = connector.connect(name, tcp) => Some(shaken),
                    _ = stopped.wait_for(|stop| *stop) => None,
                };
                match shaken {
                    Some(Ok(stream)) => hold(stream, &mut stopped).await,
                    Some(Err(_)) => true,
                    None => false,
                }
            }
        };
        if closed {
            held.closed_by_host += 1;
        }
        let _ = tokio::time::timeout(Duration::from_secs(1), stopped.wait_for(|stop| *stop)).await;
    }
    held
}

/// A phone's request for a ticket's status page; the answer's head and body.
fn status_page(port: u16, ticket_id: &str) -> String {
    use std::io::{Read, Write};
    let mut phone = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
    phone.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    write!(
        phone,
        "GET /t/{ticket_id} HTTP/1.1\r\nHost: hall\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut answer = String::new();
    phone.read_to_string(&mut answer).unwrap();
    answer
}
