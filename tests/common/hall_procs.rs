//! Real `kiosk` processes of a hall: a provisioned host, `kiosk serve` on loopback, enrolment
//! codes and `kiosk join`.
#![allow(dead_code)]

use crate::common::{kiosk, kiosk_bin, stdout_json};
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A hall host's data directory: provisioned, silent (no voice packs to load), with a code
/// made so the CA exists.
pub fn provision_host(dir: &Path) {
    let out = kiosk(dir, &["provision", "--terminal", "host-1"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let path = dir.join("config.toml");
    let mut config: toml::Table = std::fs::read_to_string(&path).unwrap().parse().unwrap();
    let mut speech = toml::Table::new();
    speech.insert("enabled".into(), toml::Value::Boolean(false));
    config.insert("speech".into(), toml::Value::Table(speech));
    std::fs::write(&path, toml::to_string(&config).unwrap()).unwrap();
}

pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A `kiosk serve` process, killed when dropped (a failed test leaves no host running).
pub struct Served(Child);

impl std::ops::Deref for Served {
    type Target = Child;
    fn deref(&self) -> &Child {
        &self.0
    }
}

impl std::ops::DerefMut for Served {
    fn deref_mut(&mut self) -> &mut Child {
        &mut self.0
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// `kiosk serve` on loopback; returns once the API answers.
pub fn serve(dir: &Path, port: u16) -> Served {
    serve_with(dir, port, &[], None)
}

/// `kiosk serve` on loopback with more arguments, and at most `open_files` descriptors (as
/// systemd's default `LimitNOFILE` would give it) when set.
pub fn serve_with(dir: &Path, port: u16, more: &[&str], open_files: Option<u64>) -> Served {
    let mut command = match open_files {
        Some(n) => {
            let mut c = Command::new("prlimit");
            c.arg(format!("--nofile={n}:{n}")).arg(kiosk_bin());
            c
        }
        None => Command::new(kiosk_bin()),
    };
    let mut child = command
        .arg("--data-dir")
        .arg(dir)
        .args(["serve", "--listen", &format!("127.0.0.1:{port}")])
        .args(more)
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = child.stderr.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let Ok(line) = rx.recv_timeout(deadline.saturating_duration_since(Instant::now())) else {
            let _ = child.kill();
            let _ = child.wait();
            panic!("kiosk serve did not report its API");
        };
        if line.contains("hall API listening") {
            // Keep draining so the child never blocks on a full pipe.
            std::thread::spawn(move || rx.iter().for_each(drop));
            return Served(child);
        }
    }
}

pub fn enroll(host: &Path, id: &str, role: &str, counters: Option<&str>) -> (String, String) {
    let mut args = vec!["provision", "--enroll", id, "--role", role, "--json"];
    if let Some(c) = counters {
        args.extend(["--counters", c]);
    }
    let code = stdout_json(&kiosk(host, &args));
    (
        code["code"].as_str().unwrap().to_owned(),
        code["ca_fingerprint"].as_str().unwrap().to_owned(),
    )
}

pub fn join(terminal: &Path, port: u16, (code, fingerprint): &(String, String)) -> std::process::Output {
    kiosk(
        terminal,
        &[
            "join",
            "--hall-host",
            &format!("https://127.0.0.1:{port}"),
            "--code",
            code,
            "--fingerprint",
            fingerprint,
            "--json",
        ],
    )
}
