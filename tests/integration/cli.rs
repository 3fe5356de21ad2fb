//! The command-line contract: JSON output, exit codes, provisioning and doctor.

use crate::common;

use common::{kiosk, stdout_json};

const NOW: &str = "--now=2026-11-26T02:00:00Z";

#[test]
fn issue_prints_the_ticket_as_json() {
    let dir = tempfile::tempdir().unwrap();
    let t = stdout_json(&kiosk(
        dir.path(),
        &[NOW, "queue", "issue", "--service", "A", "--json"],
    ));
    assert_eq!(t["number"], "A001");
    assert_eq!(t["service"], "A");
    assert_eq!(t["service_name"], "法律咨询");
    assert_eq!(t["priority"], serde_json::Value::Null);
    assert_eq!(t["people_ahead"], 0);
    assert_eq!(t["estimated_wait_minutes"], 0);
    assert_eq!(t["business_day"], "2026-11-26");
    assert_eq!(
        t["id"].as_str().unwrap().len(),
        36,
        "a UUID apart from the number"
    );

    let p = stdout_json(&kiosk(
        dir.path(),
        &[
            NOW,
            "queue",
            "issue",
            "--service",
            "A",
            "--priority",
            "pregnant",
            "--lang",
            "ug",
            "--json",
        ],
    ));
    assert_eq!(p["number"], "A002");
    assert_eq!(p["priority"], "pregnant");
    assert_eq!(p["language"], "ug");
    assert_eq!(p["service_name"], "قانۇن مەسلىھەتى");
    assert_eq!(p["people_ahead"], 0, "green channel goes ahead of A001");
}

#[test]
fn counters_call_and_status_shows_everything() {
    let dir = tempfile::tempdir().unwrap();
    for service in ["A", "B", "A"] {
        kiosk(dir.path(), &[NOW, "queue", "issue", "--service", service]);
    }
    let call = stdout_json(&kiosk(
        dir.path(),
        &[NOW, "queue", "call", "--counter", "2", "--json"],
    ));
    assert_eq!(call["called"]["number"], "A001");
    assert_eq!(call["called"]["counter"], 2);
    let status = stdout_json(&kiosk(dir.path(), &[NOW, "queue", "status", "--json"]));
    assert_eq!(status["tickets"].as_array().unwrap().len(), 3);
    assert_eq!(status["counters"][1]["current"]["number"], "A001");
    assert_eq!(status["services"][0]["waiting"], 1);
    let states: Vec<&str> = status["tickets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["state"].as_str().unwrap())
        .collect();
    assert_eq!(states, ["called", "waiting", "waiting"]);

    for args in [
        vec!["queue", "recall", "--counter", "2"],
        vec!["queue", "skip", "--counter", "2"],
        vec!["queue", "rejoin", "--number", "A001"],
        vec!["queue", "call-number", "--counter", "1", "--number", "B001"],
        vec!["queue", "transfer", "--counter", "1", "--to", "E"],
        vec!["queue", "pause", "--counter", "3"],
        vec!["queue", "resume", "--counter", "3"],
        vec!["queue", "call", "--counter", "3"],
        vec!["queue", "complete", "--counter", "3"],
        vec!["queue", "show", "--number", "B001"],
    ] {
        let mut full = vec![NOW];
        full.extend(args.iter().copied());
        full.push("--json");
        stdout_json(&kiosk(dir.path(), &full));
    }
    let b = stdout_json(&kiosk(
        dir.path(),
        &[NOW, "queue", "show", "--number", "B001", "--json"],
    ));
    assert_eq!(b["service"], "E", "B001 was transferred to E");
    let stats = stdout_json(&kiosk(dir.path(), &[NOW, "queue", "stats", "--json"]));
    assert_eq!(stats["business_day"], "2026-11-26");
    assert_eq!(stats["services"]["A"]["issued"], 2);
    assert_eq!(stats["services"]["B"]["transferred"], 1);
    let out = kiosk(dir.path(), &["queue", "stats", "--day", "2026-02-30"]);
    assert_eq!(out.status.code(), Some(2), "a malformed day is bad input");
}

#[test]
fn bad_arguments_exit_2_and_name_the_problem() {
    let dir = tempfile::tempdir().unwrap();
    let cases: [(&[&str], &str); 6] = [
        (&["queue", "issue", "--service", "Q"], "there is no service Q"),
        (&["queue", "issue", "--service", "AB"], "one capital letter"),
        (
            &["queue", "issue", "--service", "A", "--priority", "vip"],
            "unknown priority reason 'vip'",
        ),
        (
            &["queue", "issue", "--service", "A", "--lang", "fr"],
            "unknown language 'fr'",
        ),
        (&["queue", "call", "--counter", "7"], "there is no counter 7"),
        (&["queue", "rejoin", "--number", "A12"], "not a ticket number"),
    ];
    for (args, message) in cases {
        let out = kiosk(dir.path(), args);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains(message), "{args:?}: {stderr}");
    }
    // A state conflict is not bad input: exit 1.
    let out = kiosk(dir.path(), &["queue", "complete", "--counter", "1"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("counter 1 has no visitor called"));
}

#[test]
fn provision_creates_updates_and_validates_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join("terminal.toml");
    let cfg_arg = format!("--config={}", cfg.display());
    let out = kiosk(
        dir.path(),
        &[
            &cfg_arg,
            "provision",
            "--hall",
            "gz-tianhe",
            "--terminal",
            "kiosk-7",
            "--printer",
            "serial",
            "--printer-device",
            "/dev/ttyUSB0",
            "--printer-baud",
            "19200",
            "--paper-width",
            "58",
        ],
    );
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = std::fs::read_to_string(&cfg).unwrap();
    assert!(
        text.contains("gz-tianhe") && text.contains("/dev/ttyUSB0"),
        "{text}"
    );

    let out = kiosk(
        dir.path(),
        &[
            &cfg_arg,
            "provision",
            "--service",
            "F;zh-CN=公证咨询;en=Notary questions;ug=نوتارىئۇس سوئاللىرى;priority=no",
            "--counter",
            "4;services=F,A",
            "--rollover",
            "04:30",
        ],
    );
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let t = stdout_json(&kiosk(
        dir.path(),
        &[&cfg_arg, NOW, "queue", "issue", "--service", "F", "--json"],
    ));
    assert_eq!(t["service_name"], "公证咨询");

    // A change that would break the file is refused and the file stays as it was.
    let before = std::fs::read_to_string(&cfg).unwrap();
    let out = kiosk(
        dir.path(),
        &[
            &cfg_arg,
            "provision",
            "--hall",
            "gz-atlantis",
            "--time-zone",
            "Moon/Base",
        ],
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("hall.id") && stderr.contains("queue.time_zone"),
        "{stderr}"
    );
    assert_eq!(std::fs::read_to_string(&cfg).unwrap(), before);

    // A hand edit with a typo is caught by --check and by every command.
    std::fs::write(&cfg, before.replace("paper_width_mm", "paperwidth")).unwrap();
    for args in [
        vec![cfg_arg.as_str(), "provision", "--check"],
        vec![cfg_arg.as_str(), "queue", "status"],
    ] {
        let out = kiosk(dir.path(), &args);
        assert_eq!(out.status.code(), Some(2));
        assert!(String::from_utf8_lossy(&out.stderr).contains("paperwidth"));
    }
}

#[test]
fn technician_pin_is_stored_only_as_a_hash() {
    use std::io::Write;
    let dir = tempfile::tempdir().unwrap();
    let mut child = std::process::Command::new(common::kiosk_bin())
        .args(["--data-dir"])
        .arg(dir.path())
        .args(["provision", "--technician-pin-stdin"])
        .stdin(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(b"482916\n").unwrap();
    assert!(child.wait().unwrap().success());
    let text = std::fs::read_to_string(dir.path().join("config.toml")).unwrap();
    assert!(text.contains("$argon2"), "{text}");
    assert!(!text.contains("482916"));
}

#[test]
fn doctor_reports_each_part() {
    let dir = tempfile::tempdir().unwrap();
    let report = stdout_json(&kiosk(dir.path(), &[NOW, "doctor", "--json"]));
    assert_eq!(report["healthy"], true);
    let by_name = |n: &str| {
        report["checks"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["name"] == n)
            .unwrap()
            .clone()
    };
    assert_eq!(
        by_name("config")["status"],
        "warn",
        "unprovisioned terminals are flagged"
    );
    assert_eq!(by_name("database")["status"], "ok");
    assert_eq!(by_name("disk")["status"], "ok");
    assert_eq!(by_name("clock")["status"], "ok");
    let printer = by_name("printer");
    assert_eq!(
        printer["status"], "ok",
        "the default file printer is always ready"
    );
    assert!(
        printer["detail"]
            .as_str()
            .unwrap()
            .contains("no status link provisioned")
    );

    let out = kiosk(dir.path(), &["--now=1970-01-02T00:00:00Z", "doctor", "--json"]);
    assert_eq!(out.status.code(), Some(1), "a 1970 clock fails the check");
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["checks"][3]["status"], "fail");
}

#[test]
fn the_journal_holds_the_terminals_lines_not_a_librarys_chatter() {
    // `kiosk serve` decodes the voice packs at start (it announces calls). The Ogg demuxer logs
    // one INFO line per clip; with the default filter none of them reach the log, the kiosk's own
    // lines do, and without a terminal there are no colour codes.
    use std::io::{BufRead, BufReader};
    use std::process::{Command, Stdio};
    let dir = tempfile::tempdir().unwrap();
    let mut serve = Command::new(common::kiosk_bin())
        .arg("--data-dir")
        .arg(dir.path())
        .arg("serve")
        .env_remove("KIOSK_LOG")
        .env_remove("RUST_LOG")
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = serve.stderr.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    let mut lines = Vec::new();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(120);
    while !lines.iter().any(|l: &String| l.contains("voice packs loaded")) {
        let left = deadline.saturating_duration_since(std::time::Instant::now());
        match rx.recv_timeout(left) {
            Ok(line) => lines.push(line),
            Err(_) => break,
        }
    }
    let _ = Command::new("kill")
        .args(["-INT", &serve.id().to_string()])
        .status();
    let _ = serve.wait();
    lines.extend(rx.try_iter());
    assert!(
        lines.iter().any(|l| l.contains("voice packs loaded")),
        "the speech thread reported its packs: {lines:?}"
    );
    assert!(lines.iter().any(|l| l.contains("hall host started")), "{lines:?}");
    let chatter: Vec<&String> = lines.iter().filter(|l| l.contains("symphonia")).collect();
    assert!(
        chatter.is_empty(),
        "{} library lines, e.g. {:?}",
        chatter.len(),
        chatter.first()
    );
    assert!(
        !lines.iter().any(|l| l.contains('\u{1b}')),
        "colour codes in a log: {:?}",
        lines.first()
    );
    // What ALSA prints about a machine without a sound card is not ours to count.
    let ours = lines.iter().filter(|l| l.contains(" kiosk")).count();
    assert!(ours < 30, "{ours} lines at start: {lines:#?}");
}

fn copy_tree(from: &std::path::Path, to: &std::path::Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let path = entry.unwrap().path();
        let target = to.join(path.file_name().unwrap());
        if path.is_dir() {
            copy_tree(&path, &target);
        } else {
            std::fs::copy(&path, &target).unwrap();
        }
    }
}

#[test]
fn a_copied_or_installed_binary_finds_its_voices_where_they_are_installed() {
    // The binary copied to <prefix>/bin, as the package installs it: no source tree to fall
    // back on. Its voice packs are looked for in <prefix>/share/legal-aid-kiosk/assets.
    let prefix = tempfile::tempdir().unwrap();
    let exe = prefix.path().join("bin/kiosk");
    std::fs::create_dir_all(exe.parent().unwrap()).unwrap();
    std::fs::copy(common::kiosk_bin(), &exe).unwrap();
    let data = tempfile::tempdir().unwrap();
    let check = |assets: Option<&std::path::Path>| {
        let mut cmd = std::process::Command::new(&exe);
        cmd.arg("--data-dir")
            .arg(data.path())
            .args(["speak", "--check", "--json"])
            .env_remove("KIOSK_LOG")
            .env_remove("KIOSK_ASSETS");
        if let Some(dir) = assets {
            cmd.env("KIOSK_ASSETS", dir);
        }
        cmd.output().unwrap()
    };

    // Nothing installed: the check fails and names where the package puts the packs.
    let out = check(None);
    assert!(!out.status.success());
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let error = report[0]["error"].as_str().unwrap_or_default();
    assert!(
        error.contains("/usr/share/legal-aid-kiosk/assets/voice"),
        "{report}"
    );

    // Installed beside the binary: found, complete.
    let repo = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let share = prefix.path().join("share/legal-aid-kiosk/assets");
    copy_tree(&repo.join("assets/voice"), &share.join("voice"));
    let out = check(None);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stdout));

    // KIOSK_ASSETS comes first: an empty folder there is what is used (and reported).
    let empty = tempfile::tempdir().unwrap();
    let out = check(Some(empty.path()));
    assert!(!out.status.success());
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let shown = empty.path().display().to_string();
    assert!(
        report[0]["error"].as_str().unwrap_or_default().contains(&shown),
        "{report}"
    );
}

/// The package starts `kiosk serve` on every terminal: on any role but the hall host it has no
/// duties and ends at once with success (so systemd does not restart it). `KIOSK_CONFIG` names
/// the provisioning file as `--config` does, and `--desk` must be one of the hall's counters.
#[test]
fn serve_on_another_role_ends_at_once_and_the_config_can_come_from_the_environment() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join("etc-config.toml");
    let cfg_arg = format!("--config={}", cfg.display());
    let provision = |args: &[&str]| {
        let mut all = vec![cfg_arg.as_str(), "provision"];
        all.extend_from_slice(args);
        kiosk(dir.path(), &all)
    };
    let out = provision(&[
        "--role",
        "counter",
        "--hall-host",
        "https://192.0.2.10:8480",
        "--desk",
        "2",
    ]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let out = provision(&["--desk", "9"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("terminal.counter"));

    let shown = std::process::Command::new(common::kiosk_bin())
        .args(["--data-dir", dir.path().to_str().unwrap(), "provision", "--show"])
        .env("KIOSK_CONFIG", &cfg)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&shown.stdout);
    assert!(
        text.contains("role = \"counter\"") && text.contains("counter = 2"),
        "{text}"
    );

    // `timeout` ends a serve that wrongly stays (exit 124) instead of hanging the suite.
    let served = std::process::Command::new("timeout")
        .arg("20")
        .arg(common::kiosk_bin())
        .args(["--data-dir", dir.path().to_str().unwrap(), "serve"])
        .env("KIOSK_CONFIG", &cfg)
        .output()
        .unwrap();
    assert_eq!(
        served.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&served.stderr)
    );
}

/// With no display to open (no DISPLAY, no WAYLAND_DISPLAY), a role's screen says so in words
/// and exits with 1 — it used to panic inside the toolkit while registering the fonts.
#[test]
fn a_screen_without_a_display_says_so_instead_of_panicking() {
    let dir = tempfile::tempdir().unwrap();
    for (command, window) in [("run", "the kiosk window"), ("display", "the display window")] {
        let out = std::process::Command::new(common::kiosk_bin())
            .arg("--data-dir")
            .arg(dir.path())
            .arg(command)
            .env_remove("DISPLAY")
            .env_remove("WAYLAND_DISPLAY")
            .env_remove("WAYLAND_SOCKET")
            .env_remove("SLINT_BACKEND")
            .env_remove("KIOSK_LOG")
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{command}: {stderr}");
        assert!(
            stderr.contains(&format!("cannot open {window}")) && stderr.contains("Is a display available"),
            "{command}: {stderr}"
        );
        assert!(!stderr.contains("panicked"), "{command}: {stderr}");
    }
}

#[test]
fn the_speech_bench_makes_a_data_directory_that_is_not_there_yet() {
    // It once stopped with "unable to open database file" where --data-dir did not exist.
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("not-made-yet");
    let out = kiosk(&data, &["bench", "speech", "--calls", "2"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}\n{}",
        text,
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(text.contains("first chime sample"), "{text}");
}
