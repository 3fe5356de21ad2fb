//! Power-cut behaviour: a child process issues tickets in a loop and reports each one after its
//! commit; it is killed with SIGKILL at random moments, 200 times. Afterwards every reported
//! ticket exists with the number it was reported with, and no number repeats.

use crate::common;

use rand::Rng;
use std::collections::{HashMap, HashSet};
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::Duration;

const KILLS: usize = 200;
const NOW: &str = "--now=2026-11-26T02:00:00Z";

#[test]
fn killed_mid_ticket_loses_nothing_and_duplicates_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let mut rng = rand::rng();
    let mut reported: HashMap<String, String> = HashMap::new();
    let mut partial_lines = 0;
    for _ in 0..KILLS {
        let mut child = Command::new(common::kiosk_bin())
            .arg("--data-dir")
            .arg(dir.path())
            .args([NOW, "bench", "queue", "--tickets", "100000", "--report-each"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn kiosk");
        let stdout = child.stdout.take().expect("child stdout");
        let reader = std::thread::spawn(move || {
            let mut lines = Vec::new();
            for line in BufReader::new(stdout).lines() {
                match line {
                    Ok(l) => lines.push(l),
                    Err(_) => break,
                }
            }
            lines
        });
        // Anywhere from start-up (opening, migrating) to well into the issuing loop.
        std::thread::sleep(Duration::from_micros(rng.random_range(0..60_000)));
        child.kill().expect("SIGKILL");
        child.wait().expect("reap");
        for line in reader.join().expect("reader thread") {
            // The last line may be cut off by the kill; only whole reports count.
            match serde_json::from_str::<serde_json::Value>(&line) {
                Ok(v) => {
                    let id = v["id"].as_str().unwrap().to_owned();
                    let number = v["number"].as_str().unwrap().to_owned();
                    assert!(reported.insert(id, number).is_none(), "an id was reported twice");
                }
                Err(_) => partial_lines += 1,
            }
        }
    }
    assert!(
        reported.len() > KILLS,
        "the child should have issued tickets ({})",
        reported.len()
    );
    assert!(partial_lines <= KILLS);

    let status = common::stdout_json(&common::kiosk(dir.path(), &[NOW, "queue", "status", "--json"]));
    let tickets = status["tickets"].as_array().unwrap();
    let mut numbers = HashSet::new();
    let mut stored = HashMap::new();
    for t in tickets {
        let number = t["number"].as_str().unwrap().to_owned();
        assert!(numbers.insert(number.clone()), "number {number} exists twice");
        stored.insert(t["id"].as_str().unwrap().to_owned(), number);
    }
    for (id, number) in &reported {
        assert_eq!(
            stored.get(id),
            Some(number),
            "reported ticket {number} is missing or renumbered"
        );
    }
    let doctor = common::stdout_json(&common::kiosk(dir.path(), &[NOW, "doctor", "--json"]));
    assert_eq!(
        doctor["checks"][1]["status"], "ok",
        "database integrity after {KILLS} kills"
    );
    eprintln!(
        "{} tickets reported, {} stored, {KILLS} kills",
        reported.len(),
        stored.len()
    );
}
