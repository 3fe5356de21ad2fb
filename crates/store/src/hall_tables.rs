//! The hall network's tables: enrolled terminals, one-time enrolment codes and the answers kept
//! for request keys. Codes are kept as SHA-256 hashes; terminals are known by the SHA-256 of
//! their certificate, which is what the TLS handshake shows the host.

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, Row, params};

fn ms(t: DateTime<Utc>) -> i64 {
    t.timestamp_millis()
}

fn at_ms(v: Option<i64>) -> Option<DateTime<Utc>> {
    v.and_then(DateTime::from_timestamp_millis)
}

/// A terminal the host has enrolled (or is about to: before `kiosk join` it has no certificate).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TerminalRow {
    pub id: String,
    pub role: String,
    /// Comma-separated counter ids (counter role only).
    pub counters: String,
    pub cert_sha256: Option<String>,
    pub cert_expires: Option<DateTime<Utc>>,
    pub enrolled_at: Option<DateTime<Utc>>,
    pub last_seen: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
}

const TERMINAL_COLUMNS: &str =
    "id, role, counters, cert_sha256, cert_expires, enrolled_at, last_seen, revoked_at";

fn terminal_from_row(r: &Row) -> rusqlite::Result<TerminalRow> {
    Ok(TerminalRow {
        id: r.get(0)?,
        role: r.get(1)?,
        counters: r.get(2)?,
        cert_sha256: r.get(3)?,
        cert_expires: at_ms(r.get(4)?),
        enrolled_at: at_ms(r.get(5)?),
        last_seen: at_ms(r.get(6)?),
        revoked_at: at_ms(r.get(7)?),
    })
}

/// A one-time enrolment code as issued by `kiosk provision --enroll`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodeRow {
    pub terminal_id: String,
    pub role: String,
    pub counters: String,
    pub expires_at: DateTime<Utc>,
    pub used_at: Option<DateTime<Utc>>,
}

pub fn insert_code(
    conn: &Connection,
    code_sha256: &str,
    code: &CodeRow,
    now: DateTime<Utc>,
) -> rusqlite::Result<()> {
    // An earlier unused code for the same terminal stops working: only the newest is valid.
    conn.prepare_cached(
        "UPDATE enrolment_codes SET used_at = ?2 WHERE terminal_id = ?1 AND used_at IS NULL",
    )?
    .execute(params![code.terminal_id, ms(now)])?;
    conn.prepare_cached(
        "INSERT INTO enrolment_codes (code_sha256, terminal_id, role, counters, created_at, expires_at) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![
        code_sha256,
        code.terminal_id,
        code.role,
        code.counters,
        ms(now),
        ms(code.expires_at)
    ])?;
    Ok(())
}

pub fn code(conn: &Connection, code_sha256: &str) -> rusqlite::Result<Option<CodeRow>> {
    conn.prepare_cached(
        "SELECT terminal_id, role, counters, expires_at, used_at FROM enrolment_codes WHERE code_sha256 = ?1",
    )?
    .query_row(params![code_sha256], |r| {
        Ok(CodeRow {
            terminal_id: r.get(0)?,
            role: r.get(1)?,
            counters: r.get(2)?,
            expires_at: at_ms(r.get(3)?).unwrap_or_default(),
            used_at: at_ms(r.get(4)?),
        })
    })
    .optional()
}

pub fn mark_code_used(conn: &Connection, code_sha256: &str, now: DateTime<Utc>) -> rusqlite::Result<()> {
    conn.prepare_cached("UPDATE enrolment_codes SET used_at = ?2 WHERE code_sha256 = ?1")?
        .execute(params![code_sha256, ms(now)])?;
    Ok(())
}

/// Records (or replaces) a terminal's certificate: a re-enrolled terminal's old certificate
/// stops working, and a revoked terminal enrolled again is accepted again.
pub fn enrol(conn: &Connection, t: &TerminalRow) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "INSERT INTO terminals (id, role, counters, cert_sha256, cert_expires, enrolled_at, last_seen, revoked_at) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, NULL, NULL) \
         ON CONFLICT (id) DO UPDATE SET role = ?2, counters = ?3, cert_sha256 = ?4, cert_expires = ?5, \
           enrolled_at = ?6, revoked_at = NULL",
    )?
    .execute(params![
        t.id,
        t.role,
        t.counters,
        t.cert_sha256,
        t.cert_expires.map(ms),
        t.enrolled_at.map(ms)
    ])?;
    Ok(())
}

pub fn terminal_by_cert(conn: &Connection, cert_sha256: &str) -> rusqlite::Result<Option<TerminalRow>> {
    conn.prepare_cached(&format!(
        "SELECT {TERMINAL_COLUMNS} FROM terminals WHERE cert_sha256 = ?1"
    ))?
    .query_row(params![cert_sha256], terminal_from_row)
    .optional()
}

pub fn terminals(conn: &Connection) -> rusqlite::Result<Vec<TerminalRow>> {
    let mut stmt = conn.prepare_cached(&format!("SELECT {TERMINAL_COLUMNS} FROM terminals ORDER BY id"))?;
    let rows = stmt.query_map([], terminal_from_row)?;
    rows.collect()
}

/// Ends a terminal's access; false when no such terminal is enrolled.
pub fn revoke(conn: &Connection, id: &str, now: DateTime<Utc>) -> rusqlite::Result<bool> {
    conn.prepare_cached(
        "UPDATE enrolment_codes SET used_at = ?2 WHERE terminal_id = ?1 AND used_at IS NULL",
    )?
    .execute(params![id, ms(now)])?;
    let changed = conn
        .prepare_cached("UPDATE terminals SET revoked_at = ?2 WHERE id = ?1 AND revoked_at IS NULL")?
        .execute(params![id, ms(now)])?;
    Ok(changed > 0)
}

pub fn set_last_seen(conn: &Connection, id: &str, at: DateTime<Utc>) -> rusqlite::Result<()> {
    conn.prepare_cached("UPDATE terminals SET last_seen = ?2 WHERE id = ?1")?
        .execute(params![id, ms(at)])?;
    Ok(())
}

/// The answer kept for a request key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeptAnswer {
    /// What the request was (method, path and body, hashed): a key reused for another request
    /// is refused rather than answered with the first one's result.
    pub request: String,
    pub status: u16,
    pub answer: String,
}

pub fn kept_answer(conn: &Connection, terminal: &str, key: &str) -> rusqlite::Result<Option<KeptAnswer>> {
    conn.prepare_cached(
        "SELECT request, status, answer FROM request_keys WHERE terminal_id = ?1 AND key = ?2",
    )?
    .query_row(params![terminal, key], |r| {
        Ok(KeptAnswer {
            request: r.get(0)?,
            status: r.get(1)?,
            answer: r.get(2)?,
        })
    })
    .optional()
}

/// Keeps an answer; keys older than `forget_before` are forgotten at the same time.
pub fn keep_answer(
    conn: &Connection,
    terminal: &str,
    key: &str,
    kept: &KeptAnswer,
    now: DateTime<Utc>,
    forget_before: DateTime<Utc>,
) -> rusqlite::Result<()> {
    conn.prepare_cached("DELETE FROM request_keys WHERE at < ?1")?
        .execute(params![ms(forget_before)])?;
    conn.prepare_cached(
        "INSERT INTO request_keys (terminal_id, key, request, status, answer, at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![terminal, key, kept.request, kept.status, kept.answer, ms(now)])?;
    Ok(())
}
