//! Device events: a printer that needs attention, and when it recovered. Counters and
//! `kiosk queue status` read the open ones; nothing here is personal.

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;

/// The `device` of a receipt printer's events.
pub const PRINTER: &str = "printer";

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DeviceEvent {
    pub at: DateTime<Utc>,
    pub device: String,
    pub event: String,
    pub problem: Option<String>,
    pub detail: Option<String>,
    pub receipt: Option<String>,
    /// The terminal whose device it is (`terminal.id`); None for rows from before schema 4.
    pub terminal: Option<String>,
}

pub fn record(conn: &Connection, e: &DeviceEvent) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "INSERT INTO device_events (at, device, event, problem, detail, receipt, terminal)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(params![
        e.at.timestamp_millis(),
        e.device,
        e.event,
        e.problem,
        e.detail,
        e.receipt,
        e.terminal
    ])?;
    Ok(())
}

/// The latest event of one terminal's device.
pub fn latest(conn: &Connection, device: &str, terminal: &str) -> rusqlite::Result<Option<DeviceEvent>> {
    conn.prepare_cached(
        "SELECT at, device, event, problem, detail, receipt, terminal FROM device_events
         WHERE device = ?1 AND terminal = ?2 ORDER BY seq DESC LIMIT 1",
    )?
    .query_row(params![device, terminal], |r| {
        Ok(DeviceEvent {
            at: DateTime::from_timestamp_millis(r.get(0)?).unwrap_or_default(),
            device: r.get(1)?,
            event: r.get(2)?,
            problem: r.get(3)?,
            detail: r.get(4)?,
            receipt: r.get(5)?,
            terminal: r.get(6)?,
        })
    })
    .optional()
}

/// The terminals whose device's latest event asks for attention (the counters' indicator).
pub fn needing_attention(conn: &Connection, device: &str) -> rusqlite::Result<Vec<String>> {
    let mut stmt = conn.prepare_cached(
        "SELECT d.terminal FROM device_events d WHERE d.device = ?1 AND d.terminal IS NOT NULL \
         AND d.seq = (SELECT MAX(seq) FROM device_events WHERE device = ?1 AND terminal = d.terminal) \
         AND d.event = 'attention' ORDER BY d.terminal",
    )?;
    let rows = stmt.query_map(params![device], |r| r.get(0))?;
    rows.collect()
}
