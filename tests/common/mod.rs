//! Helpers shared by the integration tests.
#![allow(dead_code)]

use chrono::{DateTime, Utc};
use kiosk::clock::ManualClock;
use kiosk::config::Config;
use kiosk::queue_service::QueueService;
use kiosk_store::Store;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::Arc;

pub fn at(rfc3339: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(rfc3339)
        .expect("test time")
        .with_timezone(&Utc)
}

/// A hall on a real SQLite file in a temporary directory, with a clock the test moves.
pub struct TestHall {
    pub dir: tempfile::TempDir,
    pub queue: QueueService,
    pub clock: Arc<ManualClock>,
}

pub fn hall_with(config: Config, start: &str) -> TestHall {
    let dir = tempfile::tempdir().expect("temp dir");
    let clock = Arc::new(ManualClock::new(at(start)));
    let store = Store::open_in(dir.path()).expect("store");
    let queue = QueueService::new(store, Arc::new(config), clock.clone()).expect("queue");
    TestHall { dir, queue, clock }
}

pub fn hall(start: &str) -> TestHall {
    hall_with(Config::default(), start)
}

pub fn kiosk_bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_kiosk"))
}

/// Runs the real binary with a data directory and optional stdin.
pub fn kiosk(data_dir: &Path, args: &[&str]) -> Output {
    Command::new(kiosk_bin())
        .arg("--data-dir")
        .arg(data_dir)
        .args(args)
        .env_remove("KIOSK_LOG")
        .output()
        .expect("run kiosk")
}

pub fn stdout_json(out: &Output) -> serde_json::Value {
    assert!(
        out.status.success(),
        "kiosk failed: {}\n{}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("JSON on stdout")
}

/// Runs the real binary with `input` on standard input.
pub fn kiosk_with_stdin(data_dir: &Path, args: &[&str], input: &[u8]) -> Output {
    let mut child = Command::new(kiosk_bin())
        .arg("--data-dir")
        .arg(data_dir)
        .args(args)
        .env_remove("KIOSK_LOG")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run kiosk");
    let mut stdin = child.stdin.take().expect("stdin");
    // A refused input may be closed early; a failed write is then expected.
    let _ = stdin.write_all(input);
    drop(stdin);
    child.wait_with_output().expect("output")
}

/// Reads one HTTP request (head and `Content-Length` body) from a test server's connection.
pub fn read_http_request(stream: &mut std::net::TcpStream) {
    let mut data = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        let n = stream.read(&mut buf).unwrap_or(0);
        if n == 0 {
            return;
        }
        data.extend_from_slice(&buf[..n]);
        let Some(end) = data.windows(4).position(|w| w == b"\r\n\r\n") else {
            continue;
        };
        let head = String::from_utf8_lossy(&data[..end]).to_ascii_lowercase();
        let length: usize = head
            .lines()
            .find_map(|l| l.strip_prefix("content-length:"))
            .and_then(|v| v.trim().parse().ok())
            .unwrap_or(0);
        if data.len() >= end + 4 + length {
            return;
        }
    }
}

pub mod escpos;
pub mod fake_printer;
