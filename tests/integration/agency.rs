//! Forwarding to the agency end to end: the real binary, the local receiver on 127.0.0.1 with
//! injected faults, and `kiosk serve` killed with SIGKILL while it delivers. Every submission
//! arrives, none is accepted twice, every signature verifies, refused ones become dead letters,
//! and no phone or ID number is left in the database files or in any log.

use crate::common;
use crate::x11;

use kiosk::agency::submission::id_check_char;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const KEY: &str = "terminal-secret-for-tests\n";

struct Receiver {
    child: Child,
    url: String,
    store: PathBuf,
}

impl Drop for Receiver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start_receiver(dir: &Path, key_file: &Path, faults: &[&str]) -> Receiver {
    let store = dir.join("received.jsonl");
    let mut child = Command::new(common::kiosk_bin())
        .args(["agency-receiver", "--listen", "127.0.0.1:0", "--key-file"])
        .arg(key_file)
        .arg("--store")
        .arg(&store)
        .args(faults)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("receiver");
    let mut line = String::new();
    BufReader::new(child.stdout.take().expect("stdout"))
        .read_line(&mut line)
        .expect("address line");
    let url = line
        .trim()
        .strip_prefix("listening on ")
        .expect("listening line")
        .to_owned();
    Receiver { child, url, store }
}

fn http_get(url: &str, path: &str) -> serde_json::Value {
    let host = url.trim_start_matches("http://");
    let mut s = std::net::TcpStream::connect(host).expect("connect");
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
    )
    .expect("request");
    let mut text = String::new();
    s.read_to_string(&mut text).expect("response");
    let body = text.split("\r\n\r\n").nth(1).expect("body");
    serde_json::from_str(body).expect("JSON")
}

/// Provisions a terminal that talks to `url` with `key_file`, with short timeouts and retries.
fn provision(dir: &Path, url: &str, key_file: &Path, terminal: &str) {
    let out = common::kiosk(
        dir,
        &[
            "provision",
            "--hall",
            "gz-city",
            "--terminal",
            terminal,
            "--agency-url",
            url,
            "--agency-key-file",
            key_file.to_str().expect("path"),
        ],
    );
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let path = dir.join("config.toml");
    let mut config: toml::Table = std::fs::read_to_string(&path)
        .expect("config")
        .parse()
        .expect("toml");
    let agency = config
        .get_mut("agency")
        .and_then(|a| a.as_table_mut())
        .expect("[agency]");
    agency.insert("timeout_ms".into(), toml::Value::Integer(1500));
    agency.insert("first_retry_ms".into(), toml::Value::Integer(50));
    std::fs::write(&path, toml::to_string(&config).expect("toml")).expect("write config");
}

fn phone(i: usize) -> String {
    format!("139{:08}", 10_000_000 + i * 7)
}

fn id_number(i: usize) -> String {
    let first = format!("44010619{:02}0101{:03}", 60 + i % 30, i % 1000);
    let digits: [u8; 17] = first.as_bytes().try_into().expect("17 digits");
    format!("{first}{}", id_check_char(&digits))
}

fn submit(dir: &Path, i: usize, log: &mut Vec<u8>) {
    let input = serde_json::json!({
        "screening": {
            "date": "2026-11-26", "matter": "labour_remuneration", "household_size": 2,
            "household_monthly_income": 1000, "circumstances": ["migrant_worker"], "criminal_role": null,
            "already_represented": false, "case_outside_guangzhou": false, "days_to_deadline": null,
            "has_high_value_assets": false
        },
        "contact": { "phone": phone(i), "id_number": id_number(i) },
        "language": "zh-CN",
        "consent_given": true
    });
    let out = run_submit(dir, &input);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    log.extend(out.stderr);
}

/// `kiosk submit` with `input` on stdin, logging at debug level (so the log test sees everything).
fn run_submit(dir: &Path, input: &serde_json::Value) -> std::process::Output {
    let mut child = Command::new(common::kiosk_bin())
        .arg("--data-dir")
        .arg(dir)
        .args(["submit", "--json"])
        .env("KIOSK_LOG", "debug")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("submit");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(input.to_string().as_bytes())
        .expect("input");
    child.wait_with_output().expect("submit output")
}

fn serve(dir: &Path, log: &Path) -> Child {
    Command::new(common::kiosk_bin())
        .arg("--data-dir")
        .arg(dir)
        .arg("serve")
        .env("KIOSK_LOG", "debug")
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(log).expect("log file"))
        .spawn()
        .expect("serve")
}

fn outbox_status(dir: &Path) -> serde_json::Value {
    common::stdout_json(&common::kiosk(dir, &["outbox", "status", "--json"]))
}

fn files_contain(dir: &Path, needle: &str) -> Vec<PathBuf> {
    let mut hits = Vec::new();
    for entry in std::fs::read_dir(dir).expect("dir") {
        let path = entry.expect("entry").path();
        if path.is_file() {
            let bytes = std::fs::read(&path).expect("read");
            if bytes.windows(needle.len()).any(|w| w == needle.as_bytes()) {
                hits.push(path);
            }
        }
    }
    hits
}

#[test]
fn submissions_survive_faults_and_kills_and_arrive_exactly_once() {
    const N: usize = 240;
    let work = tempfile::tempdir().expect("dir");
    let key_file = work.path().join("agency.key");
    std::fs::write(&key_file, KEY).expect("key");
    let receiver = start_receiver(
        work.path(),
        &key_file,
        &[
            "--fail-5xx",
            "0.2",
            "--drop",
            "0.1",
            "--too-many",
            "0.03",
            "--delay-share",
            "0.03",
            "--delay-ms",
            "2500",
        ],
    );
    let data = work.path().join("kiosk");
    std::fs::create_dir_all(&data).expect("data dir");
    provision(&data, &receiver.url, &key_file, "kiosk-1");
    let logs = work.path().join("logs");
    std::fs::create_dir_all(&logs).expect("logs");
    let mut submit_log = Vec::new();

    // Submissions keep coming while the hall host is killed and restarted.
    let mut kills = 0;
    let mut server = serve(&data, &logs.join("serve-0.log"));
    for i in 0..N {
        submit(&data, i, &mut submit_log);
        if i % 50 == 49 {
            server.kill().expect("SIGKILL");
            server.wait().expect("reaped");
            kills += 1;
            server = serve(&data, &logs.join(format!("serve-{kills}.log")));
        }
    }
    let deadline = Instant::now() + Duration::from_secs(180);
    loop {
        let status = outbox_status(&data);
        if status["pending"] == 0 {
            assert_eq!(status["delivered"], N as u64, "{status}");
            assert_eq!(status["dead"], 0);
            break;
        }
        assert!(Instant::now() < deadline, "still pending: {status}");
        std::thread::sleep(Duration::from_millis(200));
    }
    server.kill().expect("stop");
    server.wait().expect("reaped");
    assert!(kills >= 4);

    // The agency's view: each submission once, with its own contact details.
    let stats = http_get(&receiver.url, "/v1/stats");
    assert_eq!(stats["accepted"], N as u64, "{stats}");
    assert_eq!(stats["bad_signatures"], 0);
    assert_eq!(stats["conflicts"], 0);
    assert!(
        stats["injected_faults"].as_u64().expect("faults") > 20,
        "faults really happened: {stats}"
    );
    let received = std::fs::read_to_string(&receiver.store).expect("receiver store");
    let records: Vec<serde_json::Value> = received
        .lines()
        .map(|l| serde_json::from_str(l).expect("record"))
        .collect();
    assert_eq!(records.len(), N, "one record per submission");
    let mut phones: Vec<String> = records
        .iter()
        .map(|r| r["body"]["contact"]["phone"].as_str().expect("phone").to_owned())
        .collect();
    phones.sort();
    let mut expected: Vec<String> = (0..N).map(phone).collect();
    expected.sort();
    assert_eq!(phones, expected, "every visitor's submission arrived, none twice");

    // Nothing personal stays on the terminal or in its logs.
    let serve_logs: Vec<u8> = std::fs::read_dir(&logs)
        .expect("logs")
        .flat_map(|e| std::fs::read(e.expect("entry").path()).expect("log"))
        .collect();
    assert!(
        serve_logs.len() > 1000,
        "the logs are not empty ({} bytes)",
        serve_logs.len()
    );
    for i in 0..N {
        for secret in [phone(i), id_number(i)] {
            let in_logs = |log: &[u8]| log.windows(secret.len()).any(|w| w == secret.as_bytes());
            assert!(!in_logs(&serve_logs), "{secret} in the hall host's log");
            assert!(!in_logs(&submit_log), "{secret} in kiosk submit's log");
            let hits = files_contain(&data, &secret);
            assert!(hits.is_empty(), "{secret} still in {hits:?}");
        }
    }
}

#[test]
fn refused_submissions_become_dead_letters_and_can_be_retried() {
    let work = tempfile::tempdir().expect("dir");
    let right = work.path().join("right.key");
    let wrong = work.path().join("wrong.key");
    std::fs::write(&right, KEY).expect("key");
    std::fs::write(&wrong, "not the key").expect("key");
    let receiver = start_receiver(work.path(), &right, &[]);
    let data = work.path().join("kiosk");
    std::fs::create_dir_all(&data).expect("data dir");
    provision(&data, &receiver.url, &wrong, "kiosk-2");
    let mut log = Vec::new();
    for i in 0..3 {
        submit(&data, i, &mut log);
    }
    let flushed = common::stdout_json(&common::kiosk(&data, &["outbox", "flush", "--json"]));
    assert_eq!(flushed["dead"], 3, "401 is not retried: {flushed}");
    let status = outbox_status(&data);
    assert_eq!(
        (status["pending"].as_u64(), status["dead"].as_u64()),
        (Some(0), Some(3))
    );
    let letters = status["dead_letters"].as_array().expect("dead letters");
    assert!(
        letters.iter().all(|d| d["last_error"] == "HTTP 401"),
        "{letters:?}"
    );
    assert!(
        !status.to_string().contains(&phone(0)),
        "status shows no personal data"
    );
    let doctor = common::stdout_json(&common::kiosk(&data, &["doctor", "--json"]));
    let agency = doctor["checks"]
        .as_array()
        .expect("checks")
        .iter()
        .find(|c| c["name"] == "agency")
        .expect("agency check")
        .clone();
    assert_eq!(agency["status"], "warn", "{agency}");
    assert!(agency["detail"].as_str().expect("detail").contains("retry-dead"));

    // The technician fixes the key and puts the letters back.
    std::fs::write(&wrong, KEY).expect("fix key");
    let requeued = common::stdout_json(&common::kiosk(&data, &["outbox", "retry-dead", "--json"]));
    assert_eq!(requeued["requeued"], 3);
    let flushed = common::stdout_json(&common::kiosk(&data, &["outbox", "flush", "--json"]));
    assert_eq!(flushed["delivered"], 3, "{flushed}");
    assert_eq!(http_get(&receiver.url, "/v1/stats")["bad_signatures"], 3);
}

#[test]
fn submit_refuses_bad_input_and_missing_consent() {
    let dir = tempfile::tempdir().expect("dir");
    let base = serde_json::json!({
        "screening": {"date": "2026-11-26", "matter": "labour_remuneration", "household_size": 1,
            "household_monthly_income": 0, "circumstances": [], "criminal_role": null,
            "already_represented": false, "case_outside_guangzhou": false, "days_to_deadline": null,
            "has_high_value_assets": false},
        "contact": {"phone": "13912345678"}, "language": "en", "consent_given": true
    });
    let cases: Vec<(serde_json::Value, &str)> = vec![
        (serde_json::json!({"consent_given": false}), "consent"),
        (serde_json::json!({"contact": {"phone": "12345"}}), "phone"),
        (
            serde_json::json!({"contact": {"phone": "13912345678", "id_number": "440106196001010011"}}),
            "check digit",
        ),
        (
            serde_json::json!({"screening": {"matter": "astrology"}}),
            "matter",
        ),
        (serde_json::json!({"language": "fr"}), "language"),
    ];
    for (patch, word) in cases {
        let mut input = base.clone();
        for (k, v) in patch.as_object().expect("patch") {
            input[k] = v.clone();
        }
        let out = run_submit(dir.path(), &input);
        assert_eq!(
            out.status.code(),
            Some(2),
            "{word}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(
            String::from_utf8_lossy(&out.stderr).contains(word),
            "{word}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    assert_eq!(outbox_status(dir.path())["pending"], 0, "nothing was queued");
}

/// The finished day is reported once by whichever process carries out the hall host's duties:
/// started twice in a row (a restart), and with `kiosk serve` and `kiosk run` both running.
fn yesterdays_report_is_sent_once(runs: &[&[&str]], display: Option<&str>) {
    let work = tempfile::tempdir().expect("dir");
    let key_file = work.path().join("agency.key");
    std::fs::write(&key_file, KEY).expect("key");
    let receiver = start_receiver(work.path(), &key_file, &[]);
    let data = work.path().join("kiosk");
    std::fs::create_dir_all(&data).expect("data dir");
    provision(&data, &receiver.url, &key_file, "kiosk-3");
    let yesterday = "--now=2026-11-25T02:00:00Z";
    for _ in 0..2 {
        let out = common::kiosk(&data, &[yesterday, "queue", "issue", "--service", "A"]);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    }
    let out = common::kiosk(&data, &[yesterday, "queue", "call", "--counter", "1"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));

    // The next morning the hall host starts: it rolls the day over and reports it.
    let reports = || -> Vec<serde_json::Value> {
        std::fs::read_to_string(&receiver.store)
            .unwrap_or_default()
            .lines()
            .map(|l| serde_json::from_str::<serde_json::Value>(l).expect("record")["body"].clone())
            .filter(|b| b["schema"] == "hall-daily-report/1")
            .collect()
    };
    for (round, commands) in runs.iter().enumerate() {
        let mut servers: Vec<Child> = commands
            .iter()
            .map(|command| {
                let mut c = Command::new(common::kiosk_bin());
                c.arg("--data-dir")
                    .arg(&data)
                    .args(["--now=2026-11-26T01:00:00Z", command])
                    .stdout(Stdio::null())
                    .stderr(Stdio::null());
                if *command == "run" {
                    c.args(["--windowed", "--size", "1080x1920"]);
                }
                if let Some(display) = display {
                    c.env("DISPLAY", display).env_remove("WAYLAND_DISPLAY");
                }
                c.spawn().expect(command)
            })
            .collect();
        let deadline = Instant::now() + Duration::from_secs(30);
        while reports().is_empty() && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(100));
        }
        if round > 0 || commands.len() > 1 {
            // A restart or a second process must not report the same day again; a report
            // would arrive within the outbox's first attempt, well inside this second.
            std::thread::sleep(Duration::from_millis(1000));
        }
        for server in &mut servers {
            server.kill().expect("stop");
            server.wait().expect("reaped");
        }
    }
    let reports = reports();
    assert_eq!(reports.len(), 1, "one report per day: {reports:?}");
    let report = &reports[0];
    assert_eq!(report["business_day"], "2026-11-25");
    assert_eq!(report["hall_id"], "gz-city");
    assert_eq!(report["services"]["A"]["issued"], 2);
    assert_eq!(report["services"]["A"]["called"], 1);
    assert_eq!(
        report["services"]["A"]["expired"], 2,
        "both tickets were still open (one waiting, one called) at rollover"
    );
}

#[test]
fn the_hall_host_sends_yesterdays_report_once() {
    yesterdays_report_is_sent_once(&[&["serve"], &["serve"]], None);
}

#[test]
fn kiosk_run_alone_sends_yesterdays_report_once_and_beside_serve_too() {
    let x = x11::start_xvfb(1080, 1920);
    yesterdays_report_is_sent_once(&[&["run"], &["run", "serve"]], Some(&x.display));
}
