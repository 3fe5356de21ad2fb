//! The agency outbox's SQL. A row is written (and committed) before the visitor is told the
//! submission was accepted; delivery moves it to `delivered` (dropping the body, which holds the
//! personal data) or `dead`.

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewSubmission<'a> {
    pub id: &'a str,
    pub kind: &'a str,
    pub local_reference: &'a str,
    pub created_at: DateTime<Utc>,
    pub body: &'a [u8],
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Due {
    pub id: String,
    pub kind: String,
    pub body: Vec<u8>,
    pub attempts: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Entry {
    pub id: String,
    pub kind: String,
    pub local_reference: String,
    pub created_at: DateTime<Utc>,
    pub state: String,
    pub attempts: u32,
    pub last_error: Option<String>,
    pub reference: Option<String>,
    pub delivered_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct Counts {
    pub pending: u64,
    pub delivered: u64,
    pub dead: u64,
}

fn ms(t: DateTime<Utc>) -> i64 {
    t.timestamp_millis()
}

fn time(v: i64) -> DateTime<Utc> {
    DateTime::from_timestamp_millis(v).unwrap_or_default()
}

pub fn insert(conn: &Connection, s: &NewSubmission) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "INSERT INTO outbox (id, kind, local_reference, created_at, body, state, next_attempt_at)
         VALUES (?1, ?2, ?3, ?4, ?5, 'pending', ?4)",
    )?
    .execute(params![s.id, s.kind, s.local_reference, ms(s.created_at), s.body])?;
    Ok(())
}

/// Pending submissions whose next attempt is due, oldest first.
pub fn due(conn: &Connection, now: DateTime<Utc>, limit: u32) -> rusqlite::Result<Vec<Due>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, kind, body, attempts FROM outbox
         WHERE state = 'pending' AND next_attempt_at <= ?1 ORDER BY created_at, id LIMIT ?2",
    )?;
    let rows = stmt.query_map(params![ms(now), limit], |r| {
        Ok(Due {
            id: r.get(0)?,
            kind: r.get(1)?,
            body: r.get::<_, Option<Vec<u8>>>(2)?.unwrap_or_default(),
            attempts: r.get(3)?,
        })
    })?;
    rows.collect()
}

/// When the earliest pending submission is next due.
pub fn next_due(conn: &Connection) -> rusqlite::Result<Option<DateTime<Utc>>> {
    earliest_pending(
        conn,
        "SELECT MIN(next_attempt_at) FROM outbox WHERE state = 'pending'",
    )
}

fn earliest_pending(conn: &Connection, sql: &str) -> rusqlite::Result<Option<DateTime<Utc>>> {
    conn.query_row(sql, [], |r| r.get::<_, Option<i64>>(0))
        .map(|v| v.map(time))
}

/// Acknowledged: keep the references, drop the body (and with it every personal field).
pub fn mark_delivered(
    conn: &Connection,
    id: &str,
    reference: &str,
    at: DateTime<Utc>,
) -> rusqlite::Result<bool> {
    let n = conn
        .prepare_cached(
            "UPDATE outbox SET state = 'delivered', body = NULL, reference = ?2, delivered_at = ?3,
                 attempts = attempts + 1, last_error = NULL
             WHERE id = ?1 AND state = 'pending'",
        )?
        .execute(params![id, reference, ms(at)])?;
    Ok(n == 1)
}

pub fn mark_retry(conn: &Connection, id: &str, next: DateTime<Utc>, error: &str) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "UPDATE outbox SET attempts = attempts + 1, next_attempt_at = ?2, last_error = ?3
         WHERE id = ?1 AND state = 'pending'",
    )?
    .execute(params![id, ms(next), error])?;
    Ok(())
}

/// Will not succeed by retrying. The body stays so a technician can retry after fixing the cause;
/// `retry_dead` puts it back.
pub fn mark_dead(conn: &Connection, id: &str, error: &str) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "UPDATE outbox SET state = 'dead', attempts = attempts + 1, last_error = ?2
         WHERE id = ?1 AND state = 'pending'",
    )?
    .execute(params![id, error])?;
    Ok(())
}

pub fn retry_dead(conn: &Connection, now: DateTime<Utc>) -> rusqlite::Result<usize> {
    conn.prepare_cached(
        "UPDATE outbox SET state = 'pending', next_attempt_at = ?1 WHERE state = 'dead' AND body IS NOT NULL",
    )?
    .execute(params![ms(now)])
}

pub fn counts(conn: &Connection) -> rusqlite::Result<Counts> {
    let mut c = Counts::default();
    let mut stmt = conn.prepare_cached("SELECT state, COUNT(*) FROM outbox GROUP BY state")?;
    let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, u64>(1)?)))?;
    for row in rows {
        let (state, n) = row?;
        match state.as_str() {
            "pending" => c.pending = n,
            "delivered" => c.delivered = n,
            _ => c.dead = n,
        }
    }
    Ok(c)
}

const ENTRY_COLUMNS: &str =
    "id, kind, local_reference, created_at, state, attempts, last_error, reference, delivered_at";

fn entry_from_row(r: &rusqlite::Row) -> rusqlite::Result<Entry> {
    Ok(Entry {
        id: r.get(0)?,
        kind: r.get(1)?,
        local_reference: r.get(2)?,
        created_at: time(r.get(3)?),
        state: r.get(4)?,
        attempts: r.get(5)?,
        last_error: r.get(6)?,
        reference: r.get(7)?,
        delivered_at: r.get::<_, Option<i64>>(8)?.map(time),
    })
}

pub fn by_local_reference(conn: &Connection, local_reference: &str) -> rusqlite::Result<Option<Entry>> {
    conn.prepare_cached(&format!(
        "SELECT {ENTRY_COLUMNS} FROM outbox WHERE local_reference = ?1"
    ))?
    .query_row(params![local_reference], entry_from_row)
    .optional()
}

/// Dead letters for technicians (no body: that may hold personal data).
pub fn dead(conn: &Connection) -> rusqlite::Result<Vec<Entry>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {ENTRY_COLUMNS} FROM outbox WHERE state = 'dead' ORDER BY created_at"
    ))?;
    let rows = stmt.query_map([], entry_from_row)?;
    rows.collect()
}

/// When the oldest still-pending submission was created.
pub fn oldest_pending(conn: &Connection) -> rusqlite::Result<Option<DateTime<Utc>>> {
    earliest_pending(conn, "SELECT MIN(created_at) FROM outbox WHERE state = 'pending'")
}
