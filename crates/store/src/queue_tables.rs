//! SQL for tickets, their transitions and counters. Rules live in `kiosk_core::queue`; these functions
//! only read and write rows.

use chrono::{DateTime, NaiveDate, Utc};
use kiosk_core::queue::{Action, DisplayNumber, PriorityReason, ServiceCode, Ticket, TicketState};
use rusqlite::types::Type;
use rusqlite::{Connection, Row, params};
use std::collections::HashSet;

const COLUMNS: &str = "id, business_day, issued_service, seq, service, priority, language, arrived_at, \
                       state, counter_id, called_at, recalls, skipped_at, rejoined_at, finished_at";

fn ms(t: DateTime<Utc>) -> i64 {
    t.timestamp_millis()
}

fn opt_ms(t: Option<DateTime<Utc>>) -> Option<i64> {
    t.map(ms)
}

fn conversion(col: usize, msg: String) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(col, Type::Text, msg.into())
}

fn time_at(row: &Row, col: usize) -> rusqlite::Result<Option<DateTime<Utc>>> {
    let v: Option<i64> = row.get(col)?;
    v.map(|m| DateTime::from_timestamp_millis(m).ok_or_else(|| conversion(col, format!("bad time {m}"))))
        .transpose()
}

fn parsed<T: std::str::FromStr<Err = String>>(row: &Row, col: usize) -> rusqlite::Result<T> {
    let text: String = row.get(col)?;
    text.parse().map_err(|e| conversion(col, e))
}

fn ticket_from_row(row: &Row) -> rusqlite::Result<Ticket> {
    let day: String = row.get(1)?;
    let business_day = day
        .parse::<NaiveDate>()
        .map_err(|e| conversion(1, e.to_string()))?;
    let priority: Option<String> = row.get(5)?;
    Ok(Ticket {
        id: row.get(0)?,
        business_day,
        number: DisplayNumber {
            service: parsed(row, 2)?,
            seq: row.get(3)?,
        },
        service: parsed(row, 4)?,
        priority: priority
            .map(|p| p.parse::<PriorityReason>().map_err(|e| conversion(5, e)))
            .transpose()?,
        language: row.get(6)?,
        arrived_at: time_at(row, 7)?.ok_or_else(|| conversion(7, "missing arrival".into()))?,
        state: parsed(row, 8)?,
        counter: row.get(9)?,
        called_at: time_at(row, 10)?,
        recalls: row.get(11)?,
        skipped_at: time_at(row, 12)?,
        rejoined_at: time_at(row, 13)?,
        finished_at: time_at(row, 14)?,
    })
}

fn query_tickets(
    conn: &Connection,
    where_clause: &str,
    params: impl rusqlite::Params,
) -> rusqlite::Result<Vec<Ticket>> {
    let sql = format!("SELECT {COLUMNS} FROM tickets WHERE {where_clause}");
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map(params, ticket_from_row)?;
    rows.collect()
}

/// The next display sequence number for a service on a business day (1 for the first ticket).
pub fn next_seq(conn: &Connection, day: NaiveDate, issued_service: ServiceCode) -> rusqlite::Result<u32> {
    conn.prepare_cached(
        "SELECT COALESCE(MAX(seq), 0) + 1 FROM tickets WHERE business_day = ?1 AND issued_service = ?2",
    )?
    .query_row(params![day.to_string(), issued_service.to_string()], |r| r.get(0))
}

pub fn insert_ticket(conn: &Connection, t: &Ticket) -> rusqlite::Result<()> {
    conn.prepare_cached(&format!(
        "INSERT INTO tickets ({COLUMNS}, number) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)"
    ))?
    .execute(params![
        t.id,
        t.business_day.to_string(),
        t.number.service.to_string(),
        t.number.seq,
        t.service.to_string(),
        t.priority.map(|p| p.as_str()),
        t.language,
        ms(t.arrived_at),
        t.state.as_str(),
        t.counter,
        opt_ms(t.called_at),
        t.recalls,
        opt_ms(t.skipped_at),
        opt_ms(t.rejoined_at),
        opt_ms(t.finished_at),
        t.number.to_string(),
    ])?;
    Ok(())
}

/// Writes every field that can change after issue.
pub fn update_ticket(conn: &Connection, t: &Ticket) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "UPDATE tickets SET service = ?2, state = ?3, counter_id = ?4, called_at = ?5, recalls = ?6, \
         skipped_at = ?7, rejoined_at = ?8, finished_at = ?9 WHERE id = ?1",
    )?
    .execute(params![
        t.id,
        t.service.to_string(),
        t.state.as_str(),
        t.counter,
        opt_ms(t.called_at),
        t.recalls,
        opt_ms(t.skipped_at),
        opt_ms(t.rejoined_at),
        opt_ms(t.finished_at),
    ])?;
    Ok(())
}

pub fn ticket_by_number(
    conn: &Connection,
    day: NaiveDate,
    number: DisplayNumber,
) -> rusqlite::Result<Option<Ticket>> {
    Ok(query_tickets(
        conn,
        "business_day = ?1 AND number = ?2",
        params![day.to_string(), number.to_string()],
    )?
    .into_iter()
    .next())
}

pub fn ticket_by_id(conn: &Connection, id: &str) -> rusqlite::Result<Option<Ticket>> {
    Ok(query_tickets(conn, "id = ?1", params![id])?.into_iter().next())
}

pub fn called_at_counter(conn: &Connection, counter: u32) -> rusqlite::Result<Option<Ticket>> {
    Ok(
        query_tickets(conn, "state = 'called' AND counter_id = ?1", params![counter])?
            .into_iter()
            .next(),
    )
}

pub fn tickets_in_state(
    conn: &Connection,
    day: NaiveDate,
    state: TicketState,
) -> rusqlite::Result<Vec<Ticket>> {
    query_tickets(
        conn,
        "state = ?1 AND business_day = ?2 ORDER BY arrived_at, id",
        params![state.as_str(), day.to_string()],
    )
}

/// The waiting tickets that could be called next at a counter serving `services`, whatever the
/// fairness rule: every rejoined one, and per service the earliest (by arrival, then id) normal
/// and green-channel ticket. `queue::choose_next` picks from these exactly what it would pick
/// from all of them; each is an index seek, so a call does not read the whole day's queue.
pub fn call_candidates(
    conn: &Connection,
    day: NaiveDate,
    services: &[ServiceCode],
) -> rusqlite::Result<Vec<Ticket>> {
    let day = day.to_string();
    let mut found: Vec<Ticket> = query_tickets(
        conn,
        "business_day = ?1 AND state = 'waiting' AND rejoined_at IS NOT NULL",
        params![day],
    )?;
    for service in services {
        for priority in ["priority IS NULL", "priority IS NOT NULL"] {
            let first = query_tickets(
                conn,
                &format!(
                    "business_day = ?1 AND state = 'waiting' AND service = ?2 AND {priority} \
                     ORDER BY arrived_at, id LIMIT 1"
                ),
                params![day, service.to_string()],
            )?;
            for t in first {
                if !found.iter().any(|f| f.id == t.id) {
                    found.push(t);
                }
            }
        }
    }
    Ok(found)
}

pub fn waiting_in_service(
    conn: &Connection,
    day: NaiveDate,
    service: ServiceCode,
) -> rusqlite::Result<Vec<Ticket>> {
    query_tickets(
        conn,
        "state = 'waiting' AND business_day = ?1 AND service = ?2",
        params![day.to_string(), service.to_string()],
    )
}

pub fn tickets_of_day(conn: &Connection, day: NaiveDate) -> rusqlite::Result<Vec<Ticket>> {
    query_tickets(
        conn,
        "business_day = ?1 ORDER BY arrived_at, id",
        params![day.to_string()],
    )
}

/// Tickets from earlier business days that were never finished; the rollover expires them.
pub fn open_tickets_before(conn: &Connection, day: NaiveDate) -> rusqlite::Result<Vec<Ticket>> {
    query_tickets(
        conn,
        "state IN ('waiting', 'called', 'no_show') AND business_day < ?1",
        params![day.to_string()],
    )
}

/// One row of the audit trail that statistics and the daily report are built from.
pub struct TransitionRecord<'a> {
    pub ticket: &'a Ticket,
    pub at: DateTime<Utc>,
    pub event: Action,
    pub from: Option<TicketState>,
    pub counter: Option<u32>,
    pub detail: Option<String>,
    /// The staff number signed in at the counter, when a counter did it.
    pub staff: Option<&'a str>,
    /// The terminal that asked for the change.
    pub terminal: &'a str,
}

pub fn record_transition(conn: &Connection, r: &TransitionRecord) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "INSERT INTO transitions (ticket_id, at, business_day, event, from_state, to_state, counter_id, service, detail, staff_id, terminal) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
    )?
    .execute(params![
        r.ticket.id,
        ms(r.at),
        r.ticket.business_day.to_string(),
        r.event.as_str(),
        r.from.map(|s| s.as_str()),
        r.ticket.state.as_str(),
        r.counter,
        r.ticket.service.to_string(),
        r.detail,
        r.staff,
        r.terminal,
    ])?;
    Ok(())
}

/// The day's transitions in the order they happened, for statistics and the daily report.
pub fn transitions_of_day(
    conn: &Connection,
    day: NaiveDate,
) -> rusqlite::Result<Vec<kiosk_core::queue::stats::Transition>> {
    let mut stmt = conn.prepare_cached(
        "SELECT ticket_id, at, event, counter_id, service, detail, staff_id FROM transitions \
         WHERE business_day = ?1 ORDER BY seq",
    )?;
    let rows = stmt.query_map(params![day.to_string()], |row| {
        let event_text: String = row.get(2)?;
        let event =
            Action::parse(&event_text).ok_or_else(|| conversion(2, format!("unknown event {event_text}")))?;
        let detail: Option<String> = row.get(5)?;
        // A transfer's detail reads "A -> B".
        let transferred_from = (event == Action::Transfer)
            .then(|| {
                detail
                    .as_deref()
                    .and_then(|d| d.split(" -> ").next())
                    .and_then(|c| c.parse().ok())
            })
            .flatten();
        Ok(kiosk_core::queue::stats::Transition {
            ticket_id: row.get(0)?,
            at: time_at(row, 1)?.ok_or_else(|| conversion(1, "missing time".into()))?,
            event,
            counter: row.get(3)?,
            service: parsed(row, 4)?,
            transferred_from,
            staff: row.get(6)?,
        })
    })?;
    rows.collect()
}

/// How many of the day's most recent calls, in a row, went to green-channel tickets (up to `limit`).
pub fn priority_streak(conn: &Connection, day: NaiveDate, limit: u32) -> rusqlite::Result<u32> {
    let mut stmt = conn.prepare_cached(
        "SELECT t.priority IS NOT NULL FROM transitions tr JOIN tickets t ON t.id = tr.ticket_id \
         WHERE tr.business_day = ?1 AND tr.event = 'call' ORDER BY tr.seq DESC LIMIT ?2",
    )?;
    let flags = stmt.query_map(params![day.to_string(), limit], |r| r.get::<_, bool>(0))?;
    let mut streak = 0;
    for is_priority in flags {
        if !is_priority? {
            break;
        }
        streak += 1;
    }
    Ok(streak)
}

/// Service durations (called → completed, seconds) of the most recent completed tickets.
pub fn recent_service_seconds(
    conn: &Connection,
    service: ServiceCode,
    limit: u32,
) -> rusqlite::Result<Vec<u32>> {
    let mut stmt = conn.prepare_cached(
        "SELECT (finished_at - called_at) / 1000 FROM tickets \
         WHERE state = 'completed' AND service = ?1 AND called_at IS NOT NULL \
         ORDER BY finished_at DESC LIMIT ?2",
    )?;
    let rows = stmt.query_map(params![service.to_string(), limit], |r| r.get::<_, i64>(0))?;
    rows.map(|r| r.map(|s| u32::try_from(s.max(0)).unwrap_or(u32::MAX)))
        .collect()
}

/// Makes sure every configured counter has a row (new counters start open).
pub fn ensure_counters(conn: &Connection, ids: impl IntoIterator<Item = u32>) -> rusqlite::Result<()> {
    let mut stmt = conn.prepare_cached("INSERT OR IGNORE INTO counters (id, paused) VALUES (?1, 0)")?;
    for id in ids {
        stmt.execute(params![id])?;
    }
    Ok(())
}

pub fn set_counter_paused(
    conn: &Connection,
    id: u32,
    paused: bool,
    at: DateTime<Utc>,
) -> rusqlite::Result<()> {
    conn.prepare_cached("UPDATE counters SET paused = ?2 WHERE id = ?1")?
        .execute(params![id, paused])?;
    conn.prepare_cached("INSERT INTO counter_events (counter_id, at, event) VALUES (?1, ?2, ?3)")?
        .execute(params![id, ms(at), if paused { "pause" } else { "resume" }])?;
    Ok(())
}

pub fn paused_counters(conn: &Connection) -> rusqlite::Result<HashSet<u32>> {
    let mut stmt = conn.prepare_cached("SELECT id FROM counters WHERE paused = 1")?;
    let rows = stmt.query_map([], |r| r.get(0))?;
    rows.collect()
}

/// The hall's events after `cursor` (a `hall_log.seq`), oldest first: ticket transitions with
/// each ticket's number and language, and counter pauses (whose business day `day_of` gives).
pub fn events_after(
    conn: &Connection,
    cursor: u64,
    limit: usize,
    day_of: impl Fn(DateTime<Utc>) -> NaiveDate,
) -> rusqlite::Result<Vec<kiosk_contract::HallEvent>> {
    let mut stmt = conn.prepare_cached(
        "SELECT l.seq, COALESCE(tr.at, ce.at), tr.business_day, COALESCE(tr.event, ce.event), \
                tr.ticket_id, t.issued_service, t.seq, tr.service, COALESCE(tr.counter_id, ce.counter_id), \
                t.language \
         FROM hall_log l \
         LEFT JOIN transitions tr ON tr.seq = l.transition \
         LEFT JOIN tickets t ON t.id = tr.ticket_id \
         LEFT JOIN counter_events ce ON ce.seq = l.counter_event \
         WHERE l.seq > ?1 ORDER BY l.seq LIMIT ?2",
    )?;
    let cursor = i64::try_from(cursor).unwrap_or(i64::MAX);
    let limit = i64::try_from(limit).unwrap_or(i64::MAX);
    let rows = stmt.query_map(params![cursor, limit], |row| {
        let at = time_at(row, 1)?.ok_or_else(|| conversion(1, "missing time".into()))?;
        let event_text: String = row.get(3)?;
        let event =
            event_kind(&event_text).ok_or_else(|| conversion(3, format!("unknown event {event_text}")))?;
        let business_day = match row.get::<_, Option<String>>(2)? {
            Some(day) => day
                .parse()
                .map_err(|e: chrono::ParseError| conversion(2, e.to_string()))?,
            None => day_of(at),
        };
        let number = match row.get::<_, Option<String>>(5)? {
            Some(service) => Some(
                DisplayNumber {
                    service: service.parse().map_err(|e: String| conversion(5, e))?,
                    seq: row.get(6)?,
                }
                .to_string(),
            ),
            None => None,
        };
        let service = match row.get::<_, Option<String>>(7)? {
            Some(code) => Some(code.parse().map_err(|e: String| conversion(7, e))?),
            None => None,
        };
        Ok(kiosk_contract::HallEvent {
            seq: row.get::<_, i64>(0)?.try_into().unwrap_or_default(),
            at,
            business_day,
            event,
            ticket_id: row.get(4)?,
            number,
            service,
            counter: row.get(8)?,
            language: row.get(9)?,
        })
    })?;
    rows.collect()
}

/// The event kind stored as `transitions.event` or `counter_events.event`.
fn event_kind(text: &str) -> Option<kiosk_contract::EventKind> {
    use kiosk_contract::EventKind;
    match text {
        "pause" => Some(EventKind::Pause),
        "resume" => Some(EventKind::Resume),
        other => Action::parse(other).map(EventKind::from),
    }
}

/// The newest event's number (0 before the first).
pub fn last_event(conn: &Connection) -> rusqlite::Result<u64> {
    let seq: i64 = conn
        .prepare_cached("SELECT COALESCE(MAX(seq), 0) FROM hall_log")?
        .query_row([], |r| r.get(0))?;
    Ok(seq.try_into().unwrap_or_default())
}

/// The day's most recently called tickets (by their latest call or recall), newest first.
pub fn recently_called(conn: &Connection, day: NaiveDate, limit: usize) -> rusqlite::Result<Vec<Ticket>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM tickets JOIN \
           (SELECT ticket_id, MAX(seq) AS last_call FROM transitions \
            WHERE business_day = ?1 AND event IN ('call', 'recall') GROUP BY ticket_id) calls \
         ON calls.ticket_id = tickets.id ORDER BY calls.last_call DESC LIMIT ?2"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let limit = i64::try_from(limit).unwrap_or(i64::MAX);
    let rows = stmt.query_map(params![day.to_string(), limit], ticket_from_row)?;
    rows.collect()
}
