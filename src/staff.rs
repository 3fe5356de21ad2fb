//! Staff at the counters: staff numbers and PINs (Argon2), signing in with a lockout after five
//! wrong PINs, and the sessions that tie a counter's requests to the staff member who made them.
//! The hall host keeps all of it; a console holds only its session token. PINs and names never
//! reach the log; staff numbers may (they are not visitors' personal data).

use chrono::{DateTime, Duration, Utc};
use kiosk_contract::{ErrorKind, HallError, STAFF_LOCKOUT_MINUTES, SignedIn};
use kiosk_store::Connection;
use kiosk_store::Store;
use kiosk_store::staff_tables::{self as tables, SessionRow};

/// Wrong PINs in a row that lock a staff number, and for how long.
pub const MAX_FAILURES: u32 = 5;
pub const LOCKOUT: Duration = Duration::minutes(STAFF_LOCKOUT_MINUTES as i64);

/// The terminal id a session opened on the hall host itself is recorded with.
pub const THIS_HOST: &str = "hall-host";

/// A staff number: 1 to 16 letters, digits or hyphens.
pub fn check_staff_id(id: &str) -> Result<(), String> {
    let ok = (1..=16).contains(&id.len()) && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
    if ok {
        Ok(())
    } else {
        Err(format!(
            "{:?} is not a staff number: use 1 to 16 letters, digits or hyphens",
            crate::shorten::excerpt(id, 24)
        ))
    }
}

/// A PIN: 4 to 12 digits.
pub fn check_pin(pin: &str) -> Result<(), String> {
    if (4..=12).contains(&pin.len()) && pin.bytes().all(|b| b.is_ascii_digit()) {
        Ok(())
    } else {
        Err("a PIN must be 4 to 12 digits".into())
    }
}

/// Characters that change the direction of the text around them: in a name they could make the
/// console show another name than the one stored (or spill into the text beside it).
fn is_direction_control(c: char) -> bool {
    matches!(c, '\u{200E}' | '\u{200F}' | '\u{061C}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Characters that take no visible space: a name made of them alone shows as nothing.
fn is_invisible(c: char) -> bool {
    c.is_whitespace()
        || matches!(c, '\u{00AD}' | '\u{180E}' | '\u{200B}'..='\u{200F}' | '\u{2060}'..='\u{206F}'
            | '\u{FEFF}' | '\u{115F}' | '\u{1160}' | '\u{3164}' | '\u{FFA0}')
}

/// A staff member's name as the console shows it: 1 to 40 characters on one line, something
/// visible, and no direction controls.
pub fn check_name(name: &str) -> Result<(), &'static str> {
    if name.chars().count() > 40 || name.chars().any(char::is_control) {
        return Err("a staff name is at most 40 characters on one line");
    }
    if name.chars().any(is_direction_control) {
        return Err(
            "a staff name may not contain text-direction controls (U+202A-202E, U+2066-2069, U+200E/F)",
        );
    }
    if name.chars().all(is_invisible) {
        return Err("a staff name needs visible characters");
    }
    Ok(())
}

/// The Argon2 PHC string of a PIN, with a fresh salt.
pub fn hash_pin(pin: &str) -> Result<String, String> {
    use argon2::password_hash::{PasswordHasher, SaltString, rand_core::OsRng};
    let salt = SaltString::generate(&mut OsRng);
    argon2::Argon2::default()
        .hash_password(pin.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| format!("cannot hash the PIN: {e}"))
}

/// Whether `pin` matches a stored Argon2 hash (a damaged hash matches nothing).
pub fn pin_matches(pin: &str, hash: &str) -> bool {
    use argon2::password_hash::{PasswordHash, PasswordVerifier};
    PasswordHash::new(hash).is_ok_and(|h| {
        argon2::Argon2::default()
            .verify_password(pin.as_bytes(), &h)
            .is_ok()
    })
}

fn refused(message: String) -> HallError {
    HallError::refused(message)
}

fn storage(e: kiosk_store::SqlError) -> HallError {
    tracing::error!(error = %e, "staff tables failed");
    HallError::unavailable(format!("queue database: {e}; see `kiosk doctor`"))
}

/// What the lockout says about a staff number now: `Some(until)` while locked.
fn locked_message(until: DateTime<Utc>, now: DateTime<Utc>) -> String {
    let minutes = (until - now).num_seconds().max(1).unsigned_abs().div_ceil(60);
    format!("too many wrong PINs: this staff number is locked for {minutes} more minute(s) at this terminal")
}

/// The message for an unknown staff number or a wrong PIN: the same for both, so the console
/// does not tell a stranger which staff numbers exist.
const WRONG: &str = "the staff number or the PIN is not right";

/// A hash no PIN matches quickly: an unknown staff number's PIN is checked against it, so that
/// an unknown number takes as long to refuse as a wrong PIN.
fn decoy_hash() -> &'static str {
    static DECOY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DECOY.get_or_init(|| hash_pin(&session_token()).unwrap_or_default())
}

/// Signs `staff` in at `counter` from `terminal`. The PIN is checked outside any transaction
/// (Argon2 takes tens of milliseconds), then the outcome is written in one: a right PIN opens a
/// session, signing out whoever was at that counter and this staff member anywhere else; a
/// wrong one counts towards a lockout of that number *at that terminal*, whether the number
/// exists or not — the same work and the same answers either way, and one counter cannot lock a
/// colleague out of the others.
pub fn sign_in(
    store: &mut Store,
    counter: u32,
    staff: &str,
    pin: &str,
    terminal: &str,
    now: DateTime<Utc>,
) -> Result<SignedIn, HallError> {
    if check_staff_id(staff).is_err() || check_pin(pin).is_err() {
        return Err(refused(WRONG.into()));
    }
    let row = store.read(|c| tables::staff(c, staff)).map_err(storage)?;
    let right = match &row {
        Some(r) => pin_matches(pin, &r.pin_hash),
        None => {
            pin_matches(pin, decoy_hash());
            false
        }
    };
    let token = session_token();
    let token_hash = kiosk_core::digest::sha256_hex(token.as_bytes());
    let outcome = store
        .write(|c| -> kiosk_store::SqlResult<Result<(), String>> {
            let failures = tables::sign_in_failures(c, staff, terminal)?;
            if let Some(until) = failures.locked_until.filter(|until| *until > now) {
                return Ok(Err(locked_message(until, now)));
            }
            // Read again inside the transaction: the number may have been removed meanwhile.
            if right && tables::staff(c, staff)?.is_some() {
                tables::set_sign_in_failures(c, staff, terminal, tables::Failures::default(), now)?;
                tables::start_session(c, &token_hash, staff, counter, terminal, now)?;
                return Ok(Ok(()));
            }
            let count = failures.count + 1;
            let (kept, message) = if count >= MAX_FAILURES {
                let until = now + LOCKOUT;
                tracing::warn!(
                    counter,
                    terminal,
                    "a staff number was locked at a terminal after {MAX_FAILURES} wrong PINs"
                );
                let locked = tables::Failures {
                    count: 0,
                    locked_until: Some(until),
                };
                (locked, locked_message(until, now))
            } else {
                let counted = tables::Failures {
                    count,
                    locked_until: None,
                };
                (counted, WRONG.to_owned())
            };
            tables::set_sign_in_failures(c, staff, terminal, kept, now)?;
            Ok(Err(message))
        })
        .map_err(storage)?;
    match (outcome, row) {
        (Ok(()), Some(row)) => {
            tracing::info!(staff, counter, terminal, "staff signed in");
            Ok(SignedIn {
                staff: staff.to_owned(),
                name: row.name,
                counter,
                session: token,
            })
        }
        (Err(message), _) => {
            tracing::info!(counter, terminal, "sign-in refused");
            Err(refused(message))
        }
        (Ok(()), None) => Err(refused(WRONG.into())),
    }
}

fn session_token() -> String {
    let bytes: [u8; 32] = rand::random();
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The staff member a session belongs to, checked for this terminal and kept alive. A session
/// ends when another sign-in takes the counter, on sign-out, and after `idle` without any
/// request while the counter has no visitor called (someone being served keeps it open).
pub fn acting_staff(
    conn: &Connection,
    token: &str,
    terminal: &str,
    counter_has_visitor: impl FnOnce(u32) -> kiosk_store::SqlResult<bool>,
    idle: Duration,
    now: DateTime<Utc>,
) -> Result<String, HallError> {
    let hash = kiosk_core::digest::sha256_hex(token.as_bytes());
    let ended = |why: &str| HallError::new(ErrorKind::Unauthenticated, format!("{why}; sign in again"));
    let row: SessionRow = tables::session(conn, &hash)
        .map_err(storage)?
        .filter(|s| s.terminal_id == terminal)
        .ok_or_else(|| ended("this sign-in is not known at the hall host"))?;
    if row.ended_at.is_some() {
        return Err(ended(
            "you were signed out (signed out, or someone signed in at this counter)",
        ));
    }
    if now - row.last_active > idle && !counter_has_visitor(row.counter).map_err(storage)? {
        tables::end_session(conn, &hash, now).map_err(storage)?;
        tracing::info!(staff = %row.staff_id, counter = row.counter, "staff signed out after inactivity");
        return Err(ended(&format!(
            "you were signed out after {} minutes without activity",
            idle.num_minutes()
        )));
    }
    tables::touch_session(conn, &hash, now).map_err(storage)?;
    Ok(row.staff_id)
}

/// Ends a session (signing out twice is not an error).
pub fn sign_out(conn: &Connection, token: &str, now: DateTime<Utc>) -> Result<(), HallError> {
    let hash = kiosk_core::digest::sha256_hex(token.as_bytes());
    tables::end_session(conn, &hash, now).map_err(storage)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_that_would_show_something_else_or_nothing_are_refused() {
        assert!(check_name("王芳").is_ok());
        assert!(check_name("ئايگۈل").is_ok(), "Uyghur is right to left by itself");
        assert!(check_name("Li \u{202E}gnaW").is_err());
        assert!(check_name("\u{2067}Ali").is_err());
        assert!(check_name("\u{200B}\u{3164} ").is_err());
        assert!(check_name("a\nb").is_err());
        assert!(check_name(&"名".repeat(41)).is_err());
    }

    fn at(min: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_800_000_000 + min * 60, 0).unwrap()
    }

    fn store_with_staff() -> (tempfile::TempDir, Store) {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open_in(dir.path()).unwrap();
        let hash = hash_pin("2468").unwrap();
        store
            .write(|c| tables::put_staff(c, "S017", "Li Wei", &hash, at(0)))
            .unwrap();
        (dir, store)
    }

    #[test]
    fn five_wrong_pins_lock_the_staff_number_for_five_minutes() {
        let (_dir, mut store) = store_with_staff();
        for _ in 0..4 {
            let e = sign_in(&mut store, 3, "S017", "1111", "t", at(1)).unwrap_err();
            assert_eq!(e.message, WRONG);
        }
        let e = sign_in(&mut store, 3, "S017", "1111", "t", at(1)).unwrap_err();
        assert!(e.message.contains("locked for 5 more minute"), "{}", e.message);
        // Locked: even the right PIN is refused, and says how long is left.
        let e = sign_in(&mut store, 3, "S017", "2468", "t", at(3)).unwrap_err();
        assert!(e.message.contains("locked for 3 more minute"), "{}", e.message);
        // After five minutes the right PIN works, and the count starts again.
        let ok = sign_in(&mut store, 3, "S017", "2468", "t", at(6)).unwrap();
        assert_eq!(
            (ok.staff.as_str(), ok.name.as_str(), ok.counter),
            ("S017", "Li Wei", 3)
        );
        assert_eq!(ok.session.len(), 64);
        let failures = store.read(|c| tables::sign_in_failures(c, "S017", "t")).unwrap();
        assert_eq!(failures, tables::Failures::default());
    }

    #[test]
    fn an_unknown_staff_number_and_a_wrong_pin_read_the_same() {
        let (_dir, mut store) = store_with_staff();
        let unknown = sign_in(&mut store, 3, "S999", "2468", "t", at(1)).unwrap_err();
        let wrong = sign_in(&mut store, 3, "S017", "0000", "t", at(1)).unwrap_err();
        assert_eq!(unknown.message, wrong.message);
        assert_eq!(unknown.kind, ErrorKind::Refused);
    }

    #[test]
    fn a_session_ends_when_idle_without_a_visitor_or_taken_over() {
        let (_dir, mut store) = store_with_staff();
        let idle = Duration::minutes(30);
        let s = sign_in(&mut store, 3, "S017", "2468", "console-3", at(0)).unwrap();
        let act = |store: &mut Store, terminal: &str, busy: bool, min: i64| {
            store
                .write(|c| {
                    Ok::<_, kiosk_store::SqlError>(acting_staff(
                        c,
                        &s.session,
                        terminal,
                        |_| Ok(busy),
                        idle,
                        at(min),
                    ))
                })
                .unwrap()
        };
        assert_eq!(act(&mut store, "console-3", false, 10).unwrap(), "S017");
        assert!(
            act(&mut store, "another-terminal", false, 11).is_err(),
            "a session is its terminal's"
        );
        // 35 minutes since the last request, but a visitor is being served: still signed in.
        assert!(act(&mut store, "console-3", true, 45).is_ok());
        // 31 idle minutes with nobody at the counter: signed out, and stays so.
        let e = act(&mut store, "console-3", false, 76).unwrap_err();
        assert_eq!(e.kind, ErrorKind::Unauthenticated);
        assert!(e.message.contains("30 minutes"), "{}", e.message);
        assert!(act(&mut store, "console-3", false, 77).is_err());

        // Another sign-in at the same counter ends the first.
        let first = sign_in(&mut store, 4, "S017", "2468", "console-4", at(80)).unwrap();
        let hash = store.write(|c| tables::put_staff(c, "S020", "Ayxan", &hash_pin("1357").unwrap(), at(80)));
        hash.unwrap();
        sign_in(&mut store, 4, "S020", "1357", "console-4", at(81)).unwrap();
        let e = store
            .write(|c| {
                Ok::<_, kiosk_store::SqlError>(acting_staff(
                    c,
                    &first.session,
                    "console-4",
                    |_| Ok(false),
                    idle,
                    at(82),
                ))
            })
            .unwrap()
            .unwrap_err();
        assert!(e.message.contains("signed out"), "{}", e.message);
    }
}
