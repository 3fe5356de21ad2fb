//! The fuzzing harness: generated hostile inputs for every surface that takes data from outside —
//! screening input, `kiosk submit`, policy files, the configuration, media manifests, the
//! printer's status bytes and the agency's replies. Each target asserts no panic, the right exit
//! class, and nothing changed on refusal.
//!
//! Budget: `KIOSK_FUZZ_CASES` cases per target (default 256, which `scripts/test.sh` and CI run in
//! about ten seconds); a nightly run sets e.g. `KIOSK_FUZZ_CASES=20000`. A failing case is shrunk by
//! proptest and saved in `tests/fuzz.proptest-regressions`, which is committed: it then runs first
//! in every later run, and the fix gets a named test in `tests/integration/hardening.rs`.

use crate::common;

use chrono::NaiveDate;
use kiosk::config::Config;
use kiosk::eligibility::{NextStep, Policy, ScreeningInput, screen};
use proptest::prelude::*;
use serde_json::{Value, json};
use std::io::{Read, Write};
use std::path::Path;
use std::process::Output;

fn cases(share: u32) -> u32 {
    let total: u32 = std::env::var("KIOSK_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(256);
    (total / share).max(1)
}

fn config(share: u32) -> ProptestConfig {
    ProptestConfig {
        cases: cases(share),
        failure_persistence: Some(Box::new(
            proptest::test_runner::FileFailurePersistence::WithSource("proptest-regressions"),
        )),
        ..ProptestConfig::default()
    }
}

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 26).unwrap()
}

// ---- generators --------------------------------------------------------------------------------

/// Any JSON value, small and hostile: odd numbers, long and odd strings, nesting.
fn any_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        any::<u64>().prop_map(|n| json!(n)),
        any::<f64>()
            .prop_filter("JSON has no NaN or infinity", |f| f.is_finite())
            .prop_map(|f| json!(f)),
        Just(json!(18_446_744_073_709_551_615u64)),
        ".{0,40}".prop_map(Value::String),
        "[a-z_]{0,20}".prop_map(Value::String),
        (0usize..3000).prop_map(|n| Value::String("界".repeat(n))),
    ];
    leaf.prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::btree_map("[a-z_]{0,12}", inner, 0..4)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

fn valid_screening() -> Value {
    json!({
        "date": "2026-11-26", "matter": "labour_remuneration", "household_size": 2,
        "household_monthly_income": 1000, "circumstances": ["migrant_worker"], "criminal_role": null,
        "already_represented": false, "case_outside_guangzhou": false, "days_to_deadline": null,
        "has_high_value_assets": false
    })
}

/// A valid object with some fields replaced by anything, removed, or added.
fn mutated(base: Value) -> impl Strategy<Value = Value> {
    let keys: Vec<String> = base
        .as_object()
        .map(|o| o.keys().cloned().collect())
        .unwrap_or_default();
    let edits = prop::collection::vec(
        (prop::sample::select(keys), any_json(), 0u8..4, "[a-z_]{1,12}"),
        0..4,
    );
    edits.prop_map(move |edits| {
        let mut v = base.clone();
        for (key, value, how, new_key) in edits {
            let obj = v.as_object_mut().expect("object");
            match how {
                0 => {
                    obj.remove(&key);
                }
                1 => {
                    obj.insert(new_key, value);
                }
                _ => {
                    obj.insert(key, value);
                }
            }
        }
        v
    })
}

/// Text with lines dropped, repeated or changed: broken variants of a valid file.
fn mangled_lines(text: &'static str) -> impl Strategy<Value = String> {
    let lines: Vec<&'static str> = text.lines().collect();
    let n = lines.len();
    prop::collection::vec((0..n, 0u8..5, ".{0,30}"), 0..6).prop_map(move |edits| {
        let mut out: Vec<String> = lines.iter().map(|l| (*l).to_owned()).collect();
        for (i, how, junk) in edits {
            let i = i.min(out.len().saturating_sub(1));
            if out.is_empty() {
                break;
            }
            match how {
                0 => {
                    out.remove(i);
                }
                1 => {
                    let line = out[i].clone();
                    out.insert(i, line);
                }
                2 => out[i] = junk,
                3 => {
                    // Change a value but keep its key: the checks behind the parser get hit.
                    if let Some((key, _)) = out[i].split_once('=') {
                        out[i] = format!("{key}= {junk:?}");
                    }
                }
                _ => {
                    let digits: String = out[i]
                        .chars()
                        .map(|c| if c.is_ascii_digit() { '9' } else { c })
                        .collect();
                    out[i] = digits;
                }
            }
        }
        out.join("\n")
    })
}

fn exit_class(out: &Output) -> Result<i32, String> {
    let stderr = String::from_utf8_lossy(&out.stderr);
    match out.status.code() {
        Some(code @ 0..=2) if !stderr.contains("panicked") => Ok(code),
        other => Err(format!("exit {other:?}: {stderr}")),
    }
}

// ---- screening input (in process) --------------------------------------------------------------

proptest! {
    #![proptest_config(config(1))]

    #[test]
    fn screening_input_never_panics_and_valid_input_always_screens(v in prop_oneof![mutated(valid_screening()), any_json()]) {
        let policy = Policy::shipped().expect("shipped policy");
        match ScreeningInput::from_json(&v, today()) {
            Ok(input) => {
                let decision = screen(&policy, &input);
                prop_assert!(!decision.reasons.is_empty(), "every result gives a reason");
            }
            Err(e) => prop_assert!(!e.to_string().is_empty()),
        }
    }
}

// ---- kiosk submit (the binary) ------------------------------------------------------------------

fn submission() -> Value {
    json!({
        "screening": valid_screening(),
        "contact": {"phone": "13912345678", "id_number": "440106196001010018"},
        "language": "en",
        "consent_given": true
    })
}

fn pending(dir: &Path) -> u64 {
    let out = common::kiosk(dir, &["outbox", "status", "--json"]);
    common::stdout_json(&out)["pending"].as_u64().expect("pending")
}

proptest! {
    #![proptest_config(config(4))]

    #[test]
    fn submit_answers_0_or_2_and_a_refusal_queues_nothing(v in prop_oneof![
        mutated(submission()),
        mutated(submission()).prop_map(|mut v| { v["contact"] = json!({"phone": "13912345678", "id_numbr": "x"}); v }),
        any_json(),
    ]) {
        let dir = tempfile::tempdir().expect("dir");
        let before = pending(dir.path());
        let out = common::kiosk_with_stdin(dir.path(), &["--now=2026-11-26T02:00:00Z", "submit", "--json"], v.to_string().as_bytes());
        let code = exit_class(&out).map_err(TestCaseError::fail)?;
        prop_assert!(code == 0 || code == 2, "submit exited {}", code);
        let after = pending(dir.path());
        prop_assert_eq!(after, before + u64::from(code == 0), "a refusal queued something, or an acceptance nothing");
    }
}

// ---- policy files (in process) ------------------------------------------------------------------

const SHIPPED_POLICY: &str = include_str!("../../assets/policy/guangzhou.toml");

proptest! {
    #![proptest_config(config(1))]

    #[test]
    fn policy_files_never_panic_and_an_accepted_policy_screens(text in prop_oneof![mangled_lines(SHIPPED_POLICY), ".{0,200}"], v in mutated(valid_screening())) {
        if let Ok(policy) = Policy::from_toml(&text, "fuzz.toml") {
            if let Ok(input) = ScreeningInput::from_json(&v, today()) {
                // Whatever the policy, a decision explains itself and leaves the decision to
                // the office, and the same answers give the same decision.
                let decision = screen(&policy, &input);
                prop_assert!(!decision.reasons.is_empty(), "a decision without a reason: {decision:?}");
                prop_assert_eq!(decision.next_steps.last(), Some(&NextStep::OfficeDecides));
                prop_assert_eq!(format!("{decision:?}"), format!("{:?}", screen(&policy, &input)));
            }
            // No two standards share a start date in an accepted policy.
            let mut starts: Vec<_> = policy.standards.iter().map(|s| s.from).collect();
            starts.sort();
            let n = starts.len();
            starts.dedup();
            prop_assert_eq!(starts.len(), n);
        }
    }
}

// ---- the configuration file ---------------------------------------------------------------------

fn default_config_text() -> &'static str {
    static TEXT: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    TEXT.get_or_init(|| Config::default().to_toml())
}

proptest! {
    #![proptest_config(config(1))]

    #[test]
    fn config_text_never_panics_and_a_valid_config_is_usable(text in prop_oneof![mangled_lines(default_config_text()), ".{0,200}"]) {
        if let Ok(config) = Config::from_toml(&text)
            && config.validate(None).is_ok()
        {
            let _ = (config.time_zone(), config.rollover_time(), config.hall_names());
            let again = Config::from_toml(&config.to_toml()).expect("a valid config round-trips");
            prop_assert_eq!(again, config);
        }
    }
}

proptest! {
    #![proptest_config(config(8))]

    #[test]
    fn provision_check_answers_0_or_2_and_changes_nothing(text in mangled_lines(default_config_text())) {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("config.toml");
        std::fs::write(&path, &text).expect("write");
        let out = common::kiosk(dir.path(), &["provision", "--check"]);
        let code = exit_class(&out).map_err(TestCaseError::fail)?;
        prop_assert!(code == 0 || code == 2, "exit {}", code);
        prop_assert_eq!(std::fs::read_to_string(&path).expect("read"), text, "--check changed the file");
        let status = common::kiosk(dir.path(), &["--now=2026-11-26T02:00:00Z", "queue", "status", "--json"]);
        let status_code = exit_class(&status).map_err(TestCaseError::fail)?;
        prop_assert_eq!(status_code == 0, code == 0, "check and use disagree: {}", String::from_utf8_lossy(&status.stderr));
    }
}

// ---- media manifests (in process) ---------------------------------------------------------------

fn hostile_name() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("../kiosk.sqlite3".to_owned()),
        Just("/etc/passwd".to_owned()),
        Just("..".to_owned()),
        Just(".".to_owned()),
        Just(String::new()),
        Just("manifest.json".to_owned()),
        Just("a/../../b.webm".to_owned()),
        "[a-zA-Z0-9_./\\\\-]{1,20}",
        ".{1,20}",
    ]
}

proptest! {
    #![proptest_config(config(2))]

    #[test]
    fn media_manifests_never_reach_outside_the_pack(
        clips in prop::collection::vec((prop::sample::select(vec!["Matter", "Review", "Result", "Other"]), hostile_name(), any::<u64>(), "[0-9a-f]{0,64}"), 0..6),
        extra in any_json(),
    ) {
        let root = tempfile::tempdir().expect("dir");
        let pack = root.path().join("pack");
        let data = root.path().join("data");
        std::fs::create_dir_all(&pack).expect("pack");
        std::fs::create_dir_all(&data).expect("data");
        std::fs::write(data.join("kiosk.sqlite3"), b"the queue").expect("db");
        std::fs::write(root.path().join("kiosk.sqlite3"), b"beside the pack").expect("sibling");
        let clips: Vec<Value> = clips
            .into_iter()
            .map(|(id, file, ms, sum)| json!({"id": id, "file": file, "duration_ms": ms, "sha256": sum, "caption": "x"}))
            .collect();
        let manifest = if matches!(extra, Value::Null) { json!({"clips": clips}) } else { json!({"clips": clips, "extra": extra}) };
        std::fs::write(pack.join("manifest.json"), manifest.to_string()).expect("manifest");
        let report = kiosk::media::pack::verify(&pack);
        prop_assert!(!report.ok(), "a manifest without every prompt is never sound");
        let imported = kiosk::media::pack::import(&pack, &data.join("media"));
        prop_assert!(imported.is_err());
        prop_assert_eq!(std::fs::read(data.join("kiosk.sqlite3")).expect("db"), b"the queue".to_vec());
        prop_assert_eq!(std::fs::read(root.path().join("kiosk.sqlite3")).expect("sibling"), b"beside the pack".to_vec());
        let left: Vec<_> = std::fs::read_dir(&data).expect("data").map(|e| e.expect("entry").file_name()).collect();
        prop_assert_eq!(left, vec![std::ffi::OsString::from("kiosk.sqlite3")], "the import left something behind");
    }
}

// ---- printer status bytes (a TCP printer on loopback) ------------------------------------------

/// A printer that answers each 3-byte status request with the next scripted byte (after sending
/// `noise` unasked), and hangs up when the script runs out.
fn scripted_printer(noise: Vec<u8>, replies: Vec<u8>) -> (u16, std::thread::JoinHandle<()>) {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let handle = std::thread::spawn(move || {
        let Ok((mut stream, _)) = listener.accept() else {
            return;
        };
        let _ = stream.write_all(&noise);
        let mut request = [0u8; 3];
        for reply in replies {
            if stream.read_exact(&mut request).is_err() || stream.write_all(&[reply]).is_err() {
                return;
            }
        }
    });
    (port, handle)
}

proptest! {
    #![proptest_config(config(2))]

    #[test]
    fn printer_status_bytes_never_panic_and_only_fixed_bits_print(noise in prop::collection::vec(any::<u8>(), 0..8), replies in prop::collection::vec(any::<u8>(), 0..4)) {
        let (port, printer_thread) = scripted_printer(noise, replies.clone());
        let mut config = Config::default().printer;
        config.kind = kiosk::config::PrinterKind::Tcp;
        config.host = Some("127.0.0.1".into());
        config.port = Some(port);
        let mut printer = kiosk::printer::Printer::new(config, std::env::temp_dir());
        let status = printer.status();
        drop(printer);
        printer_thread.join().expect("printer thread");
        if let Ok(s) = status {
            prop_assert!(replies.len() >= 3, "a status from fewer than three replies");
            prop_assert!(replies[..3].iter().all(|b| b & 0x93 == 0x12), "garbage accepted as status: {:?} → {:?}", replies, s);
        }
    }
}

// ---- the agency's replies (a scripted server on loopback) --------------------------------------

fn raw_answer() -> impl Strategy<Value = Vec<u8>> {
    let status = prop_oneof![
        Just(200u16),
        Just(201),
        Just(429),
        Just(503),
        Just(400),
        100u16..1000
    ];
    let retry_after = prop_oneof![
        Just(String::new()),
        any::<u64>().prop_map(|n| format!("Retry-After: {n}\r\n")),
        ".{0,20}".prop_map(|s| format!("Retry-After: {}\r\n", s.replace(['\r', '\n'], ""))),
    ];
    let body = prop_oneof![
        any_json().prop_map(|v| v.to_string().into_bytes()),
        ".{0,60}".prop_map(String::into_bytes),
        prop::collection::vec(any::<u8>(), 0..200),
        (0usize..200_000).prop_map(|n| format!("{{\"reference\": \"{}\"}}", "R".repeat(n)).into_bytes()),
    ];
    (status, retry_after, body, any::<bool>()).prop_map(|(status, retry, body, honest_length)| {
        let length = if honest_length { body.len() } else { body.len() / 2 };
        let mut a =
            format!("HTTP/1.1 {status} X\r\n{retry}Content-Length: {length}\r\nConnection: close\r\n\r\n")
                .into_bytes();
        a.extend_from_slice(&body);
        a
    })
}

proptest! {
    #![proptest_config(config(2))]

    #[test]
    fn any_agency_reply_is_recorded_and_delivery_goes_on(answer in raw_answer()) {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        let url = format!("http://{}", listener.local_addr().expect("addr"));
        let server = std::thread::spawn(move || {
            if let Ok((mut stream, _)) = listener.accept() {
                common::read_http_request(&mut stream);
                let _ = stream.write_all(&answer);
            }
        });
        let dir = tempfile::tempdir().expect("dir");
        let mut store = kiosk_store::Store::open_in(dir.path()).expect("store");
        let config = Config::default();
        let stats = kiosk::queue::stats::daily_stats(today(), &[], &[]);
        let now = chrono::Utc::now();
        kiosk::agency::outbox::enqueue_daily_report(&mut store, &config, &stats, now).expect("queued");
        let agency = kiosk::agency::deliver::Agency::with_timeout(&url, b"key".to_vec(), "gz-city/kiosk-1".into(), std::time::Duration::from_secs(2))
            .expect("agency");
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
        let report = runtime.block_on(kiosk::agency::deliver::drain(&mut store, &agency, &kiosk::clock::SystemClock, true));
        server.join().expect("server");
        let report = report.map_err(TestCaseError::fail)?;
        prop_assert_eq!(report.attempted, 1);
        prop_assert_eq!(report.delivered + report.retrying + report.dead, 1, "the attempt was recorded one way");
    }
}
