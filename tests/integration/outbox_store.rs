//! The outbox on a real SQLite file: states, counts, dead letters, and that an acknowledged
//! submission's personal data is gone from the bytes of the database and its WAL.

use crate::common;

use kiosk::agency::submission::{Contact, validate_id_number};
use kiosk_store::Store;
use kiosk_store::outbox_tables::{self as outbox, NewSubmission};

const PHONE: &str = "13812345678";
const ID: &str = "11010519491231002X";

fn file_bytes(dir: &std::path::Path) -> Vec<u8> {
    let mut all = Vec::new();
    for entry in std::fs::read_dir(dir).expect("dir") {
        let path = entry.expect("entry").path();
        if path.is_file() {
            all.extend(std::fs::read(&path).expect("read"));
        }
    }
    all
}

fn contains(hay: &[u8], needle: &str) -> bool {
    hay.windows(needle.len()).any(|w| w == needle.as_bytes())
}

#[test]
fn acknowledged_personal_data_leaves_the_database_files() {
    let dir = tempfile::tempdir().expect("dir");
    let mut store = Store::open_in(dir.path()).expect("store");
    let now = common::at("2026-11-26T02:00:00Z");
    let contact = Contact::validated(PHONE, Some(ID)).expect("valid contact");
    let mut ids = Vec::new();
    for i in 0..50 {
        let body = serde_json::json!({"schema": "pre-application/1", "contact": contact, "n": i}).to_string();
        let id = format!("0192f000-0000-7000-8000-{i:012}");
        store
            .write(|tx| {
                outbox::insert(
                    tx,
                    &NewSubmission {
                        id: &id,
                        kind: "pre-application/1",
                        local_reference: &format!("P-{i:04}"),
                        created_at: now,
                        body: body.as_bytes(),
                    },
                )
            })
            .expect("insert");
        ids.push(id);
    }
    assert!(
        contains(&file_bytes(dir.path()), PHONE),
        "the test sees personal data while pending"
    );
    assert_eq!(store.read(outbox::counts).expect("counts").pending, 50);

    for (i, id) in ids.iter().enumerate() {
        store
            .write(|tx| outbox::mark_delivered(tx, id, &format!("GZLA-{i}"), now))
            .expect("delivered");
    }
    assert!(
        store.truncate_wal().expect("checkpoint"),
        "no reader blocks the checkpoint"
    );
    let bytes = file_bytes(dir.path());
    assert!(
        !contains(&bytes, PHONE),
        "the phone number is still in the database files"
    );
    assert!(
        !contains(&bytes, ID),
        "the ID number is still in the database files"
    );
    let entry = store
        .read(|tx| outbox::by_local_reference(tx, "P-0007"))
        .expect("read")
        .expect("entry");
    assert_eq!(entry.state, "delivered");
    assert_eq!(entry.reference.as_deref(), Some("GZLA-7"), "the reference stays");
}

#[test]
fn dead_letters_are_counted_and_can_be_retried() {
    let dir = tempfile::tempdir().expect("dir");
    let mut store = Store::open_in(dir.path()).expect("store");
    let now = common::at("2026-11-26T02:00:00Z");
    for (i, id) in ["a", "b", "c"].iter().enumerate() {
        store
            .write(|tx| {
                outbox::insert(
                    tx,
                    &NewSubmission {
                        id,
                        kind: "hall-daily-report/1",
                        local_reference: &format!("R-{i}"),
                        created_at: now,
                        body: b"{}",
                    },
                )
            })
            .expect("insert");
    }
    store
        .write(|tx| outbox::mark_dead(tx, "a", "422 Unprocessable"))
        .expect("dead");
    let later = now + chrono::Duration::minutes(5);
    store
        .write(|tx| outbox::mark_retry(tx, "b", later, "503"))
        .expect("retry");
    let due: Vec<String> = store
        .read(|tx| outbox::due(tx, now, 10))
        .expect("due")
        .into_iter()
        .map(|d| d.id)
        .collect();
    assert_eq!(due, vec!["c"], "a is dead, b waits for its backoff");
    assert_eq!(store.read(outbox::next_due).expect("next"), Some(now));
    let c = store.read(outbox::counts).expect("counts");
    assert_eq!((c.pending, c.delivered, c.dead), (2, 0, 1));
    assert_eq!(
        store.write(|tx| outbox::retry_dead(tx, now)).expect("retry dead"),
        1
    );
    assert_eq!(store.read(|tx| outbox::due(tx, now, 10)).expect("due").len(), 2);
    assert!(
        !store
            .write(|tx| outbox::mark_delivered(tx, "zzz", "X", now))
            .expect("no row")
    );
}

#[test]
fn resident_id_check_digits_follow_gb_11643() {
    assert_eq!(validate_id_number("11010519491231002x").as_deref(), Ok(ID));
    assert!(
        validate_id_number("110105194912310021").is_err(),
        "wrong check digit"
    );
    assert!(validate_id_number("110105194913310020").is_err(), "month 13");
    assert!(validate_id_number("1101051949123100").is_err(), "too short");
    assert!(Contact::validated("138 1234 5678", None).is_ok());
    assert!(
        Contact::validated("020-83001234", None).is_ok(),
        "a Guangzhou landline"
    );
    assert!(Contact::validated("12812345678", None).is_err());
    assert!(Contact::validated("1381234567", None).is_err());
}
