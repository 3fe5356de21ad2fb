//! Regression tests for the defects found by adversarial testing (issue "Hardening"): each test is
//! named after the defect it keeps out. They run the real binary against real files.

use crate::common;

use common::{kiosk, kiosk_bin, kiosk_with_stdin, read_http_request, stdout_json};
use kiosk_contract::IssueRequest;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

const NOW: &str = "--now=2026-11-26T02:00:00Z";

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// No command may end in a panic, whatever it was given.
fn assert_no_panic(out: &Output, what: &str) {
    assert_ne!(out.status.code(), Some(101), "{what} panicked: {}", stderr(out));
    assert!(
        !stderr(out).contains("panicked"),
        "{what} panicked: {}",
        stderr(out)
    );
}

fn assert_exit(out: &Output, code: i32, what: &str) {
    assert_no_panic(out, what);
    assert_eq!(out.status.code(), Some(code), "{what}: {}", stderr(out));
}

/// Runs the binary and fails the test if it has not ended within `limit` (a hang, not a race:
/// the commands here answer in well under a second).
fn kiosk_within(data_dir: &Path, args: &[&str], limit: Duration) -> Output {
    let mut child = Command::new(kiosk_bin())
        .arg("--data-dir")
        .arg(data_dir)
        .args(args)
        .env_remove("KIOSK_LOG")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run kiosk");
    let started = Instant::now();
    loop {
        if child.try_wait().expect("wait").is_some() {
            return child.wait_with_output().expect("output");
        }
        if started.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            panic!("kiosk {args:?} hung for more than {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Every file below `dir` with the SHA-256 of its bytes (links as their target path).
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, String> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).expect("read dir") {
            let path = entry.expect("entry").path();
            let meta = std::fs::symlink_metadata(&path).expect("meta");
            let digest = if meta.file_type().is_symlink() {
                format!("link to {}", std::fs::read_link(&path).expect("link").display())
            } else if meta.is_dir() {
                stack.push(path.clone());
                "dir".to_owned()
            } else if meta.is_file() {
                format!("{:x}", Sha256::digest(std::fs::read(&path).expect("read")))
            } else {
                "special".to_owned()
            };
            out.insert(path, digest);
        }
    }
    out
}

fn mkfifo(path: &Path) {
    let ok = Command::new("mkfifo")
        .arg(path)
        .status()
        .expect("mkfifo")
        .success();
    assert!(ok, "mkfifo {}", path.display());
}

// ---- 1. media import path traversal -------------------------------------------------------------

fn shipped_media() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/media")
}

fn copy_pack(to: &Path) -> serde_json::Value {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(shipped_media()).unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(&path, to.join(path.file_name().unwrap())).unwrap();
    }
    serde_json::from_str(&std::fs::read_to_string(to.join("manifest.json")).unwrap()).unwrap()
}

fn write_manifest(pack: &Path, manifest: &serde_json::Value) {
    std::fs::write(pack.join("manifest.json"), manifest.to_string()).unwrap();
}

#[test]
fn media_import_of_a_crafted_pack_changes_no_file_outside_the_media_dir() {
    let root = tempfile::tempdir().unwrap();
    let data = root.path().join("data");
    let stick = root.path().join("stick");
    assert_exit(
        &kiosk(&data, &[NOW, "queue", "issue", "--service", "A"]),
        0,
        "issue",
    );
    let pack = stick.join("pack");
    let original = copy_pack(&pack);
    // What the attacker's "clip" outside the pack is: a decodable clip, so only the name is wrong.
    let first_clip = pack.join(original["clips"][0]["file"].as_str().unwrap());
    std::fs::copy(&first_clip, stick.join("kiosk.sqlite3")).unwrap();
    let db = data.join("kiosk.sqlite3");

    let outside_by_dots = {
        let mut m = original.clone();
        m["clips"][0]["file"] = "../kiosk.sqlite3".into();
        m
    };
    let outside_absolute = {
        let mut m = original.clone();
        m["clips"][0]["file"] = db.to_str().unwrap().into();
        m
    };
    let duplicate_id = {
        let mut m = original.clone();
        m["clips"][1]["id"] = m["clips"][0]["id"].clone();
        m
    };
    let one_file_twice = {
        let mut m = original.clone();
        m["clips"][1]["file"] = m["clips"][0]["file"].clone();
        m["clips"][1]["sha256"] = m["clips"][0]["sha256"].clone();
        m
    };
    let cases = [
        ("a '..' path", outside_by_dots, "plain file name"),
        ("an absolute path", outside_absolute, "plain file name"),
        ("a duplicate id", duplicate_id, "listed twice"),
        (
            "one file for two clips",
            one_file_twice,
            "two clips name this file",
        ),
    ];
    for (what, manifest, word) in cases {
        write_manifest(&pack, &manifest);
        let before = (snapshot(&data), snapshot(&stick));
        let verify = kiosk(&data, &["media", "verify", pack.to_str().unwrap()]);
        assert_exit(&verify, 1, what);
        let text = String::from_utf8_lossy(&verify.stdout);
        assert!(text.contains(word), "{what}: {text}");
        let import = kiosk(&data, &["media", "import", pack.to_str().unwrap()]);
        assert_exit(&import, 2, what);
        assert_eq!(
            (snapshot(&data), snapshot(&stick)),
            before,
            "{what} changed files"
        );
        assert!(
            !data.join(".media-import").exists(),
            "{what} left a staging folder"
        );
    }

    // A clip that is a link out of the pack.
    write_manifest(&pack, &original);
    let linked = pack.join(original["clips"][0]["file"].as_str().unwrap());
    std::fs::remove_file(&linked).unwrap();
    std::os::unix::fs::symlink(stick.join("kiosk.sqlite3"), &linked).unwrap();
    let before = (snapshot(&data), snapshot(&stick));
    let import = kiosk(&data, &["media", "import", pack.to_str().unwrap(), "--json"]);
    assert_exit(&import, 2, "a linked clip");
    let report: serde_json::Value = serde_json::from_slice(&import.stdout).unwrap();
    assert!(
        report["bad_entries"][0].as_str().unwrap().contains("is a link"),
        "{report}"
    );
    assert_eq!((snapshot(&data), snapshot(&stick)), before);

    // The queue still works afterwards.
    assert_exit(
        &kiosk(&data, &[NOW, "queue", "show", "--number", "A001"]),
        0,
        "the queue after the attempts",
    );
}

#[test]
fn media_manifest_that_is_a_fifo_or_dev_zero_is_refused_without_hanging() {
    let root = tempfile::tempdir().unwrap();
    let data = root.path().join("data");
    let fifo_pack = root.path().join("fifo");
    copy_pack(&fifo_pack);
    std::fs::remove_file(fifo_pack.join("manifest.json")).unwrap();
    mkfifo(&fifo_pack.join("manifest.json"));
    let zero_pack = root.path().join("zero");
    copy_pack(&zero_pack);
    std::fs::remove_file(zero_pack.join("manifest.json")).unwrap();
    std::os::unix::fs::symlink("/dev/zero", zero_pack.join("manifest.json")).unwrap();
    for pack in [&fifo_pack, &zero_pack] {
        let dir = pack.to_str().unwrap();
        let verify = kiosk_within(&data, &["media", "verify", dir], Duration::from_secs(20));
        assert_exit(&verify, 1, "verify");
        assert!(
            String::from_utf8_lossy(&verify.stdout).contains("not a regular file"),
            "{}",
            String::from_utf8_lossy(&verify.stdout)
        );
        let import = kiosk_within(&data, &["media", "import", dir], Duration::from_secs(20));
        assert_exit(&import, 2, "import");
    }
    assert!(!data.join("media").exists());
}

// ---- 3. stdout write failures -------------------------------------------------------------------

#[test]
fn stdout_full_is_exit_1_with_a_message_and_the_ticket_is_kept() {
    let dir = tempfile::tempdir().unwrap();
    let full = std::fs::OpenOptions::new().write(true).open("/dev/full").unwrap();
    let out = Command::new(kiosk_bin())
        .arg("--data-dir")
        .arg(dir.path())
        .args([NOW, "queue", "issue", "--service", "A"])
        .stdout(full)
        .stderr(Stdio::piped())
        .output()
        .unwrap();
    assert_exit(&out, 1, "issue > /dev/full");
    assert!(stderr(&out).contains("could not be written"), "{}", stderr(&out));
    assert!(stderr(&out).contains("has been done"), "{}", stderr(&out));
    let shown = stdout_json(&kiosk(
        dir.path(),
        &[NOW, "queue", "show", "--number", "A001", "--json"],
    ));
    assert_eq!(
        shown["number"], "A001",
        "the ticket was committed and is not issued again blindly"
    );
}

#[test]
fn a_closed_pipe_ends_every_printing_command_quietly() {
    let dir = tempfile::tempdir().unwrap();
    assert_exit(
        &kiosk(dir.path(), &[NOW, "queue", "issue", "--service", "A"]),
        0,
        "issue",
    );
    let commands: [&[&str]; 7] = [
        &[NOW, "queue", "status", "--json"],
        &[NOW, "queue", "status"],
        &[NOW, "queue", "stats"],
        &["provision", "--show"],
        &["media", "list"],
        &["speak", "--list"],
        &[NOW, "queue", "issue", "--service", "B", "--json"],
    ];
    for args in commands {
        let (reader, writer) = std::io::pipe().unwrap();
        drop(reader);
        let out = Command::new(kiosk_bin())
            .arg("--data-dir")
            .arg(dir.path())
            .args(args)
            .stdout(writer)
            .stderr(Stdio::piped())
            .output()
            .unwrap();
        assert_exit(&out, 0, &format!("{args:?} into a closed pipe"));
        assert!(stderr(&out).is_empty(), "{args:?}: {}", stderr(&out));
    }
}

// ---- 4. and 9. configuration that exists but cannot be read -------------------------------------

#[test]
fn a_dangling_looping_or_fifo_config_is_an_error_not_the_defaults() {
    let root = tempfile::tempdir().unwrap();
    let dangling = root.path().join("dangling");
    std::fs::create_dir(&dangling).unwrap();
    std::os::unix::fs::symlink(root.path().join("gone.toml"), dangling.join("config.toml")).unwrap();
    let looping = root.path().join("looping");
    std::fs::create_dir(&looping).unwrap();
    std::os::unix::fs::symlink(looping.join("b.toml"), looping.join("config.toml")).unwrap();
    std::os::unix::fs::symlink(looping.join("config.toml"), looping.join("b.toml")).unwrap();
    let fifo = root.path().join("fifo");
    std::fs::create_dir(&fifo).unwrap();
    mkfifo(&fifo.join("config.toml"));
    for dir in [&dangling, &looping, &fifo] {
        for args in [
            &[NOW, "queue", "status"][..],
            &["provision", "--check"],
            &[NOW, "queue", "issue", "--service", "A"],
            &["provision", "--show"],
        ] {
            let out = kiosk_within(dir, args, Duration::from_secs(20));
            assert_exit(&out, 2, &format!("{args:?} in {}", dir.display()));
            assert!(stderr(&out).contains("config.toml"), "{}", stderr(&out));
        }
        assert!(
            !dir.join("kiosk.sqlite3").exists(),
            "nothing was issued on the built-in defaults"
        );
        let doctor = kiosk_within(dir, &["doctor", "--json"], Duration::from_secs(60));
        assert_no_panic(&doctor, "doctor");
        let report: serde_json::Value = serde_json::from_slice(&doctor.stdout).unwrap();
        assert_eq!(report["checks"][0]["name"], "config");
        assert_eq!(report["checks"][0]["status"], "fail", "{report}");
    }
}

// ---- 5. doctor exercises what it claims ---------------------------------------------------------

fn doctor_check(dir: &Path, name: &str) -> serde_json::Value {
    let out = kiosk(dir, &[NOW, "doctor", "--json"]);
    assert_no_panic(&out, "doctor");
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("doctor JSON");
    report["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == name)
        .cloned()
        .unwrap_or_else(|| panic!("no {name} check in {report}"))
}

#[test]
fn doctor_fails_a_printer_dir_that_is_a_file_and_a_dropped_table() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("receipts"), b"not a folder").unwrap();
    let printer = doctor_check(dir.path(), "printer");
    assert_eq!(printer["status"], "fail", "{printer}");

    let dropped = tempfile::tempdir().unwrap();
    assert_exit(
        &kiosk(dropped.path(), &[NOW, "queue", "issue", "--service", "A"]),
        0,
        "issue",
    );
    let conn = rusqlite::Connection::open(dropped.path().join("kiosk.sqlite3")).unwrap();
    conn.execute_batch("DROP TABLE hall_log; DROP INDEX one_call_per_counter; DROP INDEX tickets_by_state; DROP TABLE transitions; DROP TABLE tickets;")
        .unwrap();
    drop(conn);
    let database = doctor_check(dropped.path(), "database");
    assert_eq!(database["status"], "fail", "{database}");
    assert!(
        database["detail"]
            .as_str()
            .unwrap()
            .contains("missing from the schema"),
        "{database}"
    );
    let issue = kiosk(dropped.path(), &[NOW, "queue", "issue", "--service", "A"]);
    assert_exit(&issue, 1, "issue into a database without its tables");
}

#[test]
fn doctor_fails_a_database_this_user_cannot_write() {
    // As root every file is writable, so the check runs as the unprivileged user "nobody".
    let root = tempfile::tempdir().unwrap();
    let data = root.path().join("data");
    assert_exit(
        &kiosk(&data, &[NOW, "queue", "issue", "--service", "A"]),
        0,
        "issue",
    );
    for p in [root.path(), &data] {
        std::fs::set_permissions(p, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    }
    let as_nobody = |args: &[&str]| {
        Command::new("setpriv")
            .args(["--reuid=65534", "--regid=65534", "--clear-groups"])
            .arg(kiosk_bin())
            .arg("--data-dir")
            .arg(&data)
            .args(args)
            .env("HOME", "/nonexistent")
            .output()
    };
    let probe = as_nobody(&["--version"]);
    if !probe.as_ref().is_ok_and(|o| o.status.success()) || !rustix::process::getuid().is_root() {
        // CI runs as root and must run this check; a developer's unprivileged run says it did not.
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must run this check as root with setpriv, and could not run the binary as nobody"
        );
        eprintln!(
            "skipped: cannot run the binary as nobody here (setpriv, root and a readable path are needed)"
        );
        return;
    }
    let out = as_nobody(&[NOW, "doctor", "--json"]).unwrap();
    assert_no_panic(&out, "doctor as nobody");
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let database = report["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "database")
        .unwrap()
        .clone();
    assert_eq!(database["status"], "fail", "{database}");
    assert!(
        database["detail"].as_str().unwrap().contains("kiosk.sqlite3"),
        "{database}"
    );
}

#[test]
fn provision_check_refuses_unusable_urls_and_a_key_file_that_is_a_directory() {
    let dir = tempfile::tempdir().unwrap();
    let key = dir.path().join("agency.key");
    std::fs::write(&key, b"secret").unwrap();
    for url in [
        "https://",
        "https://agency .example/api",
        "https://agency.example/a b",
        "ftp://x.example",
    ] {
        let out = kiosk(
            dir.path(),
            &[
                "provision",
                "--agency-url",
                url,
                "--agency-key-file",
                key.to_str().unwrap(),
            ],
        );
        assert_exit(&out, 2, url);
        assert!(stderr(&out).contains("agency.url"), "{url}: {}", stderr(&out));
    }
    let key_dir = dir.path().join("keydir");
    std::fs::create_dir(&key_dir).unwrap();
    let out = kiosk(
        dir.path(),
        &[
            "provision",
            "--agency-url",
            "https://agency.example",
            "--agency-key-file",
            key_dir.to_str().unwrap(),
        ],
    );
    assert_exit(&out, 2, "key file that is a directory");
    assert!(stderr(&out).contains("not a file"), "{}", stderr(&out));
    // The same mistakes made by editing the file by hand: --check refuses them.
    let hand = tempfile::tempdir().unwrap();
    assert_exit(&kiosk(hand.path(), &["provision"]), 0, "provision");
    let base = std::fs::read_to_string(hand.path().join("config.toml")).unwrap();
    std::fs::write(
        hand.path().join("config.toml"),
        format!(
            "{base}\n[agency]\nurl = \"https://\"\nkey_file = \"{}\"\n",
            key_dir.display()
        ),
    )
    .unwrap();
    let check = kiosk(hand.path(), &["provision", "--check"]);
    assert_exit(&check, 2, "hand-edited agency");
    assert!(
        stderr(&check).contains("names no host") || stderr(&check).contains("not a web address"),
        "{}",
        stderr(&check)
    );
    assert!(stderr(&check).contains("not a file"), "{}", stderr(&check));
}

// ---- 6. provision --show and symlinked configuration --------------------------------------------

#[test]
fn provision_show_prints_without_writing_and_links_stay_links() {
    let fresh = tempfile::tempdir().unwrap();
    let out = kiosk(fresh.path(), &["provision", "--show"]);
    assert_exit(&out, 0, "show on a fresh data dir");
    assert!(String::from_utf8_lossy(&out.stdout).contains("built-in defaults"));
    assert!(
        !fresh.path().join("config.toml").exists(),
        "--show created the file"
    );

    let dir = tempfile::tempdir().unwrap();
    assert_exit(
        &kiosk(dir.path(), &["provision", "--hall", "gz-tianhe"]),
        0,
        "provision",
    );
    let path = dir.path().join("config.toml");
    let edited = format!(
        "# set up by the technician, do not remove\n{}",
        std::fs::read_to_string(&path).unwrap()
    );
    std::fs::write(&path, &edited).unwrap();
    let out = kiosk(dir.path(), &["provision", "--show"]);
    assert_exit(&out, 0, "show");
    assert!(String::from_utf8_lossy(&out.stdout).contains("do not remove"));
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        edited,
        "--show rewrote the file"
    );
    let json = stdout_json(&kiosk(dir.path(), &["provision", "--show", "--json"]));
    assert_eq!(json["config"]["hall"]["id"], "gz-tianhe");

    // A linked config.toml is updated through the link.
    let linked = tempfile::tempdir().unwrap();
    let target = linked.path().join("real.toml");
    std::fs::copy(&path, &target).unwrap();
    let link = linked.path().join("config.toml");
    std::os::unix::fs::symlink(&target, &link).unwrap();
    assert_exit(
        &kiosk(linked.path(), &["provision", "--terminal", "kiosk-7"]),
        0,
        "through a link",
    );
    assert!(
        std::fs::symlink_metadata(&link).unwrap().file_type().is_symlink(),
        "the link was replaced"
    );
    assert!(std::fs::read_to_string(&target).unwrap().contains("kiosk-7"));
}

// ---- 7. and 13. submit refuses what it would drop, in words ------------------------------------

fn submission(patch: serde_json::Value) -> serde_json::Value {
    let mut input = serde_json::json!({
        "screening": {"date": "2026-11-26", "matter": "labour_remuneration", "household_size": 1,
            "household_monthly_income": 0, "circumstances": [], "criminal_role": null,
            "already_represented": false, "case_outside_guangzhou": false, "days_to_deadline": null,
            "has_high_value_assets": false},
        "contact": {"phone": "13912345678"}, "language": "en", "consent_given": true
    });
    for (k, v) in patch.as_object().unwrap() {
        input[k] = v.clone();
    }
    input
}

#[test]
fn submit_refuses_unknown_keys_and_wrong_types_naming_the_field() {
    let dir = tempfile::tempdir().unwrap();
    let cases: Vec<(serde_json::Value, &str)> = vec![
        (
            serde_json::json!({"contact": {"phone": "13912345678", "id_number": 440106196001010018u64}}),
            "contact.id_number must be a string",
        ),
        (
            serde_json::json!({"contact": {"phone": "13912345678", "id_number": true}}),
            "contact.id_number must be a string",
        ),
        (
            serde_json::json!({"contact": {"phone": "13912345678", "id_number": ["4401"]}}),
            "contact.id_number must be a string",
        ),
        (
            serde_json::json!({"contact": {"phone": "13912345678", "id_numbr": "440106196001010018"}}),
            "contact.id_numbr is not a field",
        ),
        (serde_json::json!({"language": 42}), "language must be a string"),
        (serde_json::json!({"lang": "en"}), "lang is not a field"),
        (
            serde_json::json!({"contact": {"phone": 13912345678u64}}),
            "contact.phone must be a string",
        ),
        (
            serde_json::json!({"consent_given": "yes"}),
            "consent_given must be true or false",
        ),
    ];
    for (patch, message) in cases {
        let input = submission(patch);
        let out = kiosk_with_stdin(
            dir.path(),
            &[NOW, "submit", "--json"],
            input.to_string().as_bytes(),
        );
        assert_exit(&out, 2, message);
        assert!(stderr(&out).contains(message), "{message}: {}", stderr(&out));
    }
    let out = kiosk_with_stdin(dir.path(), &[NOW, "submit"], b"null");
    assert_exit(&out, 2, "null");
    assert!(
        stderr(&out).contains("must be one JSON object, not null"),
        "{}",
        stderr(&out)
    );
    let status = stdout_json(&kiosk(dir.path(), &["outbox", "status", "--json"]));
    assert_eq!(status["pending"], 0, "nothing was queued");
}

#[test]
fn screening_numbers_name_their_range_and_long_echoes_are_cut() {
    let dir = tempfile::tempdir().unwrap();
    let base = submission(serde_json::json!({}))["screening"].clone();
    let with = |field: &str, value: serde_json::Value| {
        let mut s = base.clone();
        s[field] = value;
        s.to_string()
    };
    let huge = with("household_monthly_income", serde_json::json!(0)).replace(
        "\"household_monthly_income\":0",
        "\"household_monthly_income\":18446744073709551616",
    );
    let out = kiosk_with_stdin(dir.path(), &[NOW, "screen"], huge.as_bytes());
    assert_exit(&out, 2, "2^64");
    assert!(
        stderr(&out).contains("from 0 to 9007199254740992"),
        "{}",
        stderr(&out)
    );
    let one = with("household_monthly_income", serde_json::json!(1.0));
    assert_exit(
        &kiosk_with_stdin(dir.path(), &[NOW, "screen"], one.as_bytes()),
        0,
        "1.0 is the whole number 1",
    );
    let huge = with("matter", serde_json::json!("x".repeat(50_000_000)));
    let out = kiosk_with_stdin(dir.path(), &[NOW, "screen"], huge.as_bytes());
    assert_exit(&out, 2, "a 50 MB matter");
    assert!(stderr(&out).contains("larger than 1 MiB"), "{}", stderr(&out));
    let long = with("matter", serde_json::json!("x".repeat(500_000)));
    let out = kiosk_with_stdin(dir.path(), &[NOW, "screen"], long.as_bytes());
    assert_exit(&out, 2, "a 500 kB matter");
    assert!(
        out.stderr.len() < 2_000,
        "the whole matter was echoed: {} bytes",
        out.stderr.len()
    );
    assert!(stderr(&out).contains("bytes in all"), "{}", stderr(&out));
}

// ---- 8. negative durations ----------------------------------------------------------------------

#[test]
fn stats_never_show_negative_minutes_when_the_clock_steps_back() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    assert_exit(
        &kiosk(
            d,
            &["--now=2026-11-26T03:00:00Z", "queue", "issue", "--service", "A"],
        ),
        0,
        "issue",
    );
    assert_exit(
        &kiosk(
            d,
            &["--now=2026-11-26T02:00:00Z", "queue", "call", "--counter", "1"],
        ),
        0,
        "call",
    );
    assert_exit(
        &kiosk(
            d,
            &[
                "--now=2026-11-26T01:30:00Z",
                "queue",
                "complete",
                "--counter",
                "1",
            ],
        ),
        0,
        "complete",
    );
    let stats = stdout_json(&kiosk(
        d,
        &["--now=2026-11-26T04:00:00Z", "queue", "stats", "--json"],
    ));
    let a = &stats["services"]["A"];
    assert_eq!(a["wait_minutes"]["average"], 0.0, "{stats}");
    assert_eq!(a["service_minutes"]["average"], 0.0, "{stats}");
    assert_eq!(stats["clock_steps_back"], 2, "{stats}");
}

// ---- 10. removing what does not exist -----------------------------------------------------------

#[test]
fn removing_a_service_or_counter_that_does_not_exist_is_bad_input() {
    let dir = tempfile::tempdir().unwrap();
    let out = kiosk(dir.path(), &["provision", "--remove-service", "Z"]);
    assert_exit(&out, 2, "--remove-service Z");
    assert!(stderr(&out).contains("no service Z"), "{}", stderr(&out));
    let out = kiosk(dir.path(), &["provision", "--remove-counter", "9"]);
    assert_exit(&out, 2, "--remove-counter 9");
    assert!(stderr(&out).contains("no counter 9"), "{}", stderr(&out));
    assert!(!dir.path().join("config.toml").exists(), "nothing written");
}

// ---- 11. ambiguous policy and dates -------------------------------------------------------------

#[test]
fn ambiguous_policies_short_years_and_odd_rollovers_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let screening = submission(serde_json::json!({}))["screening"].to_string();
    let policies = [
        (
            "twice",
            "[[standard]]\nfrom = \"2025-03-01\"\nmonthly_per_capita = 2500\n[[standard]]\nfrom = \"2025-03-01\"\nmonthly_per_capita = 9999\n",
        ),
        (
            "short year",
            "[[standard]]\nfrom = \"26-03-01\"\nmonthly_per_capita = 2500\n",
        ),
        (
            "long year",
            "[[standard]]\nfrom = \"+12026-03-01\"\nmonthly_per_capita = 2500\n",
        ),
        ("empty", ""),
        (
            "exempts everybody",
            "[[standard]]\nfrom = \"2025-03-01\"\nmonthly_per_capita = 2500\n[[exemption]]\nall_of = []\nrule = \"x\"\nproof = \"orphan_proof\"\n",
        ),
    ];
    for (what, text) in policies {
        let file = d.join(format!("{}.toml", what.replace(' ', "-")));
        std::fs::write(&file, text).unwrap();
        let out = kiosk_with_stdin(
            d,
            &[NOW, "screen", "--policy", file.to_str().unwrap()],
            screening.as_bytes(),
        );
        assert_exit(&out, 2, what);
    }
    let literal = d.join("literal.toml");
    std::fs::write(
        &literal,
        "[[standard]]\nfrom = 2025-03-01\nmonthly_per_capita = 2500\n",
    )
    .unwrap();
    let out = kiosk_with_stdin(
        d,
        &[NOW, "screen", "--policy", literal.to_str().unwrap()],
        screening.as_bytes(),
    );
    assert_exit(&out, 0, "a TOML date literal");

    for args in [
        &["provision", "--rollover", "+1:00"][..],
        &[
            "provision",
            "--hardship-standard",
            "2600",
            "--hardship-from",
            "26-03-01",
        ],
        &[NOW, "queue", "stats", "--day", "26-12-01"],
    ] {
        assert_exit(&kiosk(d, args), 2, &format!("{args:?}"));
    }
    assert_exit(
        &kiosk(
            d,
            &[
                "provision",
                "--hardship-standard",
                "2600",
                "--hardship-from",
                "2026-03-01",
            ],
        ),
        0,
        "standard",
    );
    let path = d.join("config.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    let doubled =
        format!("{text}\n[[policy.yearly_standard]]\nfrom = \"2026-03-01\"\nmonthly_per_capita = 2700\n");
    std::fs::write(&path, doubled).unwrap();
    let out = kiosk(d, &["provision", "--check"]);
    assert_exit(&out, 2, "the same standard twice");
    assert!(stderr(&out).contains("entered twice"), "{}", stderr(&out));
}

// ---- 13. a data directory that is a file ---------------------------------------------------------

#[test]
fn a_data_dir_that_is_a_file_is_named_as_such() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("data");
    std::fs::write(&file, b"x").unwrap();
    let out = kiosk(&file, &[NOW, "queue", "issue", "--service", "A"]);
    assert_exit(&out, 1, "a file as data dir");
    assert!(
        stderr(&out).contains("is a file, not a directory"),
        "{}",
        stderr(&out)
    );
}

// ---- 14. a damaged database stops issuing --------------------------------------------------------

#[test]
fn a_database_that_fails_its_integrity_check_stops_issuing_and_submitting() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    for _ in 0..200 {
        assert_exit(&kiosk(d, &[NOW, "queue", "issue", "--service", "A"]), 0, "issue");
    }
    let db = d.join("kiosk.sqlite3");
    // Fold the WAL into the file, then overwrite the last page with garbage.
    let conn = rusqlite::Connection::open(&db).unwrap();
    conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))
        .unwrap();
    drop(conn);
    let mut bytes = std::fs::read(&db).unwrap();
    let page = 4096.min(bytes.len());
    let len = bytes.len();
    for (i, b) in bytes[len - page..].iter_mut().enumerate() {
        *b = (i * 7 + 13) as u8;
    }
    std::fs::write(&db, bytes).unwrap();

    let issue = kiosk(d, &[NOW, "queue", "issue", "--service", "A"]);
    assert_exit(&issue, 1, "issue into a damaged database");
    assert!(stderr(&issue).contains("is damaged"), "{}", stderr(&issue));
    assert!(stderr(&issue).contains("stops issuing"), "{}", stderr(&issue));
    let input = submission(serde_json::json!({})).to_string();
    let submit = kiosk_with_stdin(d, &[NOW, "submit"], input.as_bytes());
    assert_exit(&submit, 1, "submit into a damaged database");
    let database = doctor_check(d, "database");
    assert_eq!(database["status"], "fail", "{database}");
}

// ---- 2. hostile agency replies -------------------------------------------------------------------

/// One canned HTTP answer per connection, in order; the last one repeats.
fn scripted_agency(answers: Vec<Vec<u8>>) -> (String, std::thread::JoinHandle<()>) {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let handle = std::thread::spawn(move || {
        for (i, stream) in listener.incoming().enumerate() {
            let Ok(mut stream) = stream else { return };
            read_http_request(&mut stream);
            let answer = &answers[i.min(answers.len() - 1)];
            let _ = stream.write_all(answer);
            if i + 1 >= answers.len() {
                return;
            }
        }
    });
    (url, handle)
}

fn answer(status: &str, headers: &str, body: &[u8]) -> Vec<u8> {
    let mut a = format!(
        "HTTP/1.1 {status}\r\n{headers}Content-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    )
    .into_bytes();
    a.extend_from_slice(body);
    a
}

#[test]
fn delivery_survives_any_reply_from_the_agency() {
    let big_reference = format!("{{\"reference\": \"{}\"}}", "R".repeat(5 * 1024 * 1024));
    let answers = vec![
        answer("429 Too Many Requests", "Retry-After: 10000000000000\r\n", b"{}"),
        answer("201 Created", "", b"{not json"),
        answer("201 Created", "", big_reference.as_bytes()),
        answer("599 Whatever", "", b""),
        answer("201 Created", "", b"{\"reference\": \"GZ-2026-000001\"}"),
    ];
    let rounds = answers.len();
    let (url, server) = scripted_agency(answers);
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let key = d.join("agency.key");
    std::fs::write(&key, b"secret\n").unwrap();
    assert_exit(
        &kiosk(
            d,
            &[
                "provision",
                "--agency-url",
                &url,
                "--agency-key-file",
                key.to_str().unwrap(),
            ],
        ),
        0,
        "provision",
    );
    let input = submission(serde_json::json!({})).to_string();
    assert_exit(
        &kiosk_with_stdin(d, &[NOW, "submit"], input.as_bytes()),
        0,
        "submit",
    );
    for round in 0..rounds {
        let flush = kiosk(d, &[NOW, "outbox", "flush", "--json"]);
        assert_exit(&flush, 0, &format!("flush {round}"));
    }
    server.join().unwrap();
    let status = stdout_json(&kiosk(d, &["outbox", "status", "--json"]));
    assert_eq!(status["delivered"], 1, "{status}");
    assert_eq!(status["pending"], 0, "{status}");
}

// ---- 12. priority through transfer --------------------------------------------------------------

#[test]
fn a_green_channel_ticket_transferred_where_there_is_none_loses_its_priority() {
    use kiosk::queue::PriorityReason;
    use kiosk::queue_service::TicketRef;
    let mut config = kiosk::config::Config::default();
    config.services[4].priority_allowed = false; // E: documents and progress
    let mut h = common::hall_with(config, "2026-11-26T01:00:00Z");
    let e: kiosk::queue::ServiceCode = "E".parse().unwrap();
    h.queue
        .issue(&IssueRequest::new(e, None, kiosk::lang::Lang::ZhCn))
        .unwrap(); // E001, waiting first
    let green = h
        .queue
        .issue(&IssueRequest::new(
            "A".parse().unwrap(),
            Some(PriorityReason::Pregnant),
            kiosk::lang::Lang::ZhCn,
        ))
        .unwrap();
    let moved = h
        .queue
        .transfer(TicketRef::Number(green.number.parse().unwrap()), e)
        .unwrap();
    assert_eq!(moved.priority, None, "service E offers no green channel");
    assert_eq!(moved.people_ahead, Some(1), "behind E001, in arrival order");
    // A service that has the green channel keeps it.
    let other = h
        .queue
        .issue(&IssueRequest::new(
            "A".parse().unwrap(),
            Some(PriorityReason::Disabled),
            kiosk::lang::Lang::En,
        ))
        .unwrap();
    let kept = h
        .queue
        .transfer(
            TicketRef::Number(other.number.parse().unwrap()),
            "B".parse().unwrap(),
        )
        .unwrap();
    assert_eq!(kept.priority, Some(PriorityReason::Disabled));
}
