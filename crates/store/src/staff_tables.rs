//! Staff, their sign-ins, the visitors' ratings and the screening a ticket was taken with. A staff member's PIN is kept as an Argon2
//! hash and a session as the SHA-256 of its token; names are shown on the console and never
//! logged; ratings carry a ticket, a level and reasons.

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{Connection, OptionalExtension, params};

fn ms(t: DateTime<Utc>) -> i64 {
    t.timestamp_millis()
}

fn at_ms(v: Option<i64>) -> Option<DateTime<Utc>> {
    v.and_then(DateTime::from_timestamp_millis)
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaffRow {
    pub id: String,
    pub name: String,
    pub pin_hash: String,
}

/// Adds a staff member, or gives an existing one a new name and PIN (and lifts a lockout).
pub fn put_staff(
    conn: &Connection,
    id: &str,
    name: &str,
    pin_hash: &str,
    now: DateTime<Utc>,
) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT INTO staff (id, name, pin_hash, added_at) VALUES (?1, ?2, ?3, ?4) \
         ON CONFLICT (id) DO UPDATE SET name = ?2, pin_hash = ?3",
        params![id, name, pin_hash, ms(now)],
    )?;
    conn.execute("DELETE FROM sign_in_failures WHERE staff_id = ?1", params![id])?;
    Ok(())
}

/// Removes a staff member and ends their sign-ins; false when there was none with that number.
pub fn remove_staff(conn: &Connection, id: &str, now: DateTime<Utc>) -> rusqlite::Result<bool> {
    end_sessions_of(conn, id, now)?;
    Ok(conn.execute("DELETE FROM staff WHERE id = ?1", params![id])? > 0)
}

pub fn staff(conn: &Connection, id: &str) -> rusqlite::Result<Option<StaffRow>> {
    conn.query_row(
        "SELECT id, name, pin_hash FROM staff WHERE id = ?1",
        params![id],
        |r| {
            Ok(StaffRow {
                id: r.get(0)?,
                name: r.get(1)?,
                pin_hash: r.get(2)?,
            })
        },
    )
    .optional()
}

/// Whether the hall has any staff numbers (then counters are operated by signed-in staff).
pub fn has_staff(conn: &Connection) -> rusqlite::Result<bool> {
    conn.query_row("SELECT EXISTS (SELECT 1 FROM staff)", [], |r| r.get(0))
}

/// Staff numbers and names, by number (for `kiosk provision --list-staff` and the doctor).
pub fn staff_list(conn: &Connection) -> rusqlite::Result<Vec<(String, String)>> {
    let mut stmt = conn.prepare("SELECT id, name FROM staff ORDER BY id")?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
    rows.collect()
}

/// Wrong PINs typed for a staff number at a terminal (the number need not exist).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Failures {
    pub count: u32,
    pub locked_until: Option<DateTime<Utc>>,
}

pub fn sign_in_failures(conn: &Connection, staff_id: &str, terminal_id: &str) -> rusqlite::Result<Failures> {
    let row = conn
        .query_row(
            "SELECT failures, locked_until FROM sign_in_failures WHERE staff_id = ?1 AND terminal_id = ?2",
            params![staff_id, terminal_id],
            |r| {
                Ok(Failures {
                    count: r.get(0)?,
                    locked_until: at_ms(r.get(1)?),
                })
            },
        )
        .optional()?;
    Ok(row.unwrap_or_default())
}

/// Keeps the count (none: forgets it). Counts not touched for a day are forgotten on the way, so
/// numbers typed once by mistake do not pile up.
pub fn set_sign_in_failures(
    conn: &Connection,
    staff_id: &str,
    terminal_id: &str,
    failures: Failures,
    now: DateTime<Utc>,
) -> rusqlite::Result<()> {
    conn.execute(
        "DELETE FROM sign_in_failures WHERE last_at < ?1 OR (staff_id = ?2 AND terminal_id = ?3)",
        params![ms(now - chrono::Duration::days(1)), staff_id, terminal_id],
    )?;
    if failures != Failures::default() {
        conn.execute(
            "INSERT INTO sign_in_failures (staff_id, terminal_id, failures, locked_until, last_at) \
             VALUES (?1, ?2, ?3, ?4, ?5)",
            params![
                staff_id,
                terminal_id,
                failures.count,
                failures.locked_until.map(ms),
                ms(now)
            ],
        )?;
    }
    Ok(())
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionRow {
    pub staff_id: String,
    pub counter: u32,
    pub terminal_id: String,
    pub last_active: DateTime<Utc>,
    pub ended_at: Option<DateTime<Utc>>,
}

/// Starts a session; whoever was signed in at that counter, and this staff member anywhere
/// else, is signed out.
pub fn start_session(
    conn: &Connection,
    token_sha256: &str,
    staff_id: &str,
    counter: u32,
    terminal_id: &str,
    now: DateTime<Utc>,
) -> rusqlite::Result<()> {
    conn.execute(
        "UPDATE staff_sessions SET ended_at = ?3 WHERE ended_at IS NULL AND (counter_id = ?1 OR staff_id = ?2)",
        params![counter, staff_id, ms(now)],
    )?;
    conn.execute(
        "INSERT INTO staff_sessions (token_sha256, staff_id, counter_id, terminal_id, started_at, last_active) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?5)",
        params![token_sha256, staff_id, counter, terminal_id, ms(now)],
    )?;
    Ok(())
}

pub fn session(conn: &Connection, token_sha256: &str) -> rusqlite::Result<Option<SessionRow>> {
    conn.query_row(
        "SELECT staff_id, counter_id, terminal_id, last_active, ended_at FROM staff_sessions WHERE token_sha256 = ?1",
        params![token_sha256],
        |r| {
            Ok(SessionRow {
                staff_id: r.get(0)?,
                counter: r.get(1)?,
                terminal_id: r.get(2)?,
                last_active: at_ms(r.get(3)?).unwrap_or_default(),
                ended_at: at_ms(r.get(4)?),
            })
        },
    )
    .optional()
}

pub fn touch_session(conn: &Connection, token_sha256: &str, now: DateTime<Utc>) -> rusqlite::Result<()> {
    conn.execute(
        "UPDATE staff_sessions SET last_active = ?2 WHERE token_sha256 = ?1",
        params![token_sha256, ms(now)],
    )?;
    Ok(())
}

pub fn end_session(conn: &Connection, token_sha256: &str, now: DateTime<Utc>) -> rusqlite::Result<()> {
    conn.execute(
        "UPDATE staff_sessions SET ended_at = ?2 WHERE token_sha256 = ?1 AND ended_at IS NULL",
        params![token_sha256, ms(now)],
    )?;
    Ok(())
}

fn end_sessions_of(conn: &Connection, staff_id: &str, now: DateTime<Utc>) -> rusqlite::Result<()> {
    conn.execute(
        "UPDATE staff_sessions SET ended_at = ?2 WHERE staff_id = ?1 AND ended_at IS NULL",
        params![staff_id, ms(now)],
    )?;
    Ok(())
}

/// A rating to keep; the counter, service and staff are those that completed the ticket.
pub struct RatingRow<'a> {
    pub ticket_id: &'a str,
    pub business_day: NaiveDate,
    pub at: DateTime<Utc>,
    pub counter: Option<u32>,
    pub service: &'a str,
    pub staff_id: Option<&'a str>,
    pub level: u8,
    /// Comma-separated reason words.
    pub reasons: &'a str,
    /// The rating screen's terminal id, or `hall-host` for a paper form entered there.
    pub entered_by: &'a str,
}

/// Keeps a rating; false when the ticket was rated already (one rating per ticket).
pub fn insert_rating(conn: &Connection, r: &RatingRow) -> rusqlite::Result<bool> {
    let added = conn.execute(
        "INSERT INTO ratings (ticket_id, business_day, at, counter_id, service, staff_id, level, reasons, \
         entered_by) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) ON CONFLICT (ticket_id) DO NOTHING",
        params![
            r.ticket_id,
            r.business_day.to_string(),
            ms(r.at),
            r.counter,
            r.service,
            r.staff_id,
            r.level,
            r.reasons,
            r.entered_by
        ],
    )?;
    Ok(added > 0)
}

/// The day's ratings as (counter, service, level).
pub fn ratings_of_day(conn: &Connection, day: NaiveDate) -> rusqlite::Result<Vec<(Option<u32>, String, u8)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT counter_id, service, level FROM ratings WHERE business_day = ?1 ORDER BY at",
    )?;
    let rows = stmt.query_map(params![day.to_string()], |r| {
        Ok((r.get(0)?, r.get(1)?, r.get(2)?))
    })?;
    rows.collect()
}

/// Every rating ever kept, per level (for `/metrics`, a counter that only grows).
pub fn ratings_by_level(conn: &Connection) -> rusqlite::Result<[u64; 5]> {
    let mut counts = [0u64; 5];
    let mut stmt = conn.prepare_cached("SELECT level, COUNT(*) FROM ratings GROUP BY level")?;
    let rows = stmt.query_map([], |r| Ok((r.get::<_, u8>(0)?, r.get::<_, u64>(1)?)))?;
    for row in rows {
        let (level, n) = row?;
        if let Some(slot) = counts.get_mut(usize::from(level).wrapping_sub(1)) {
            *slot = n;
        }
    }
    Ok(counts)
}

/// Whether the ticket was rated already.
pub fn is_rated(conn: &Connection, ticket_id: &str) -> rusqlite::Result<bool> {
    conn.query_row(
        "SELECT 1 FROM ratings WHERE ticket_id = ?1",
        params![ticket_id],
        |_| Ok(()),
    )
    .optional()
    .map(|r| r.is_some())
}

/// The counter and staff number of a ticket's last completion.
pub fn completed_by(
    conn: &Connection,
    ticket_id: &str,
) -> rusqlite::Result<Option<(Option<u32>, Option<String>)>> {
    conn.query_row(
        "SELECT counter_id, staff_id FROM transitions WHERE ticket_id = ?1 AND event = 'complete' \
         ORDER BY seq DESC LIMIT 1",
        params![ticket_id],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )
    .optional()
}

/// The staff number with an open session at a counter, if any.
pub fn signed_in_at(conn: &Connection, counter: u32) -> rusqlite::Result<Option<String>> {
    conn.query_row(
        "SELECT staff_id FROM staff_sessions WHERE counter_id = ?1 AND ended_at IS NULL \
         ORDER BY started_at DESC LIMIT 1",
        params![counter],
        |r| r.get(0),
    )
    .optional()
}

/// Keeps what the visitor's screening said with the ticket they took from its result.
pub fn note_screening(
    conn: &Connection,
    ticket_id: &str,
    outcome: &str,
    matter: &str,
) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT INTO ticket_screenings (ticket_id, outcome, matter) VALUES (?1, ?2, ?3)",
        params![ticket_id, outcome, matter],
    )?;
    Ok(())
}

/// The screening's outcome and matter a ticket was taken with, if it was.
pub fn screening_of(conn: &Connection, ticket_id: &str) -> rusqlite::Result<Option<(String, String)>> {
    conn.query_row(
        "SELECT outcome, matter FROM ticket_screenings WHERE ticket_id = ?1",
        params![ticket_id],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )
    .optional()
}
