//! Numbered schema migrations. `PRAGMA user_version` holds the number of the last one applied.
//! Append new migrations; never edit one that has shipped.

use super::StoreError;
use rusqlite::Connection;
use std::path::Path;

const MIGRATIONS: &[&str] = &[
    // 1: the hall queue.
    r#"
    CREATE TABLE tickets (
        id              TEXT PRIMARY KEY,
        business_day    TEXT NOT NULL,
        number          TEXT NOT NULL,
        issued_service  TEXT NOT NULL,
        seq             INTEGER NOT NULL CHECK (seq > 0),
        service         TEXT NOT NULL,
        priority        TEXT,
        language        TEXT NOT NULL,
        arrived_at      INTEGER NOT NULL,
        state           TEXT NOT NULL
                        CHECK (state IN ('waiting', 'called', 'no_show', 'completed', 'expired')),
        counter_id      INTEGER,
        called_at       INTEGER,
        recalls         INTEGER NOT NULL DEFAULT 0,
        skipped_at      INTEGER,
        rejoined_at     INTEGER,
        finished_at     INTEGER,
        UNIQUE (business_day, number),
        UNIQUE (business_day, issued_service, seq)
    );
    CREATE INDEX tickets_by_state ON tickets (state, business_day);
    -- A counter has at most one visitor called at a time.
    CREATE UNIQUE INDEX one_call_per_counter ON tickets (counter_id) WHERE state = 'called';

    CREATE TABLE transitions (
        seq           INTEGER PRIMARY KEY AUTOINCREMENT,
        ticket_id     TEXT NOT NULL REFERENCES tickets (id),
        at            INTEGER NOT NULL,
        business_day  TEXT NOT NULL,
        event         TEXT NOT NULL,
        from_state    TEXT,
        to_state      TEXT NOT NULL,
        counter_id    INTEGER,
        service       TEXT NOT NULL,
        detail        TEXT
    );
    CREATE INDEX transitions_by_day ON transitions (business_day, event);

    CREATE TABLE counters (
        id      INTEGER PRIMARY KEY,
        paused  INTEGER NOT NULL DEFAULT 0
    );
    CREATE TABLE counter_events (
        seq         INTEGER PRIMARY KEY AUTOINCREMENT,
        counter_id  INTEGER NOT NULL,
        at          INTEGER NOT NULL,
        event       TEXT NOT NULL CHECK (event IN ('pause', 'resume'))
    );
    "#,
    // 2: device events (the printer needs attention, and when it recovered) for the counters.
    r#"
    CREATE TABLE device_events (
        seq      INTEGER PRIMARY KEY AUTOINCREMENT,
        at       INTEGER NOT NULL,
        device   TEXT NOT NULL,
        event    TEXT NOT NULL CHECK (event IN ('attention', 'recovered')),
        problem  TEXT,
        detail   TEXT,
        receipt  TEXT
    );
    "#,
    // 3: the agency outbox. `body` holds personal data until the agency acknowledges it; then it
    // is set to NULL (secure_delete zeroes the old bytes) and only the references stay.
    r#"
    CREATE TABLE outbox (
        id               TEXT PRIMARY KEY,
        kind             TEXT NOT NULL,
        local_reference  TEXT NOT NULL UNIQUE,
        created_at       INTEGER NOT NULL,
        body             BLOB,
        state            TEXT NOT NULL CHECK (state IN ('pending', 'delivered', 'dead')),
        attempts         INTEGER NOT NULL DEFAULT 0,
        next_attempt_at  INTEGER NOT NULL,
        last_error       TEXT,
        reference        TEXT,
        delivered_at     INTEGER,
        CHECK (state = 'pending' OR body IS NULL OR state = 'dead'),
        CHECK (state <> 'delivered' OR reference IS NOT NULL)
    );
    CREATE INDEX outbox_due ON outbox (state, next_attempt_at);
    "#,
    // 4: which terminal raised a device event: with a printer per kiosk, staff must know which
    // one needs paper. Rows from before have no terminal.
    r#"
    ALTER TABLE device_events ADD COLUMN terminal TEXT;
    "#,
    // The hall network. `hall_log` numbers everything that happens in the hall in one sequence
    // (ticket transitions and counter pauses), the event stream's `id`; triggers keep it, so no
    // writer can forget. Terminals are known by their certificate's SHA-256; enrolment codes and
    // request keys are stored as hashes and answers, never as anything personal.
    r#"
    CREATE TABLE hall_log (
        seq            INTEGER PRIMARY KEY AUTOINCREMENT,
        transition     INTEGER UNIQUE REFERENCES transitions (seq),
        counter_event  INTEGER UNIQUE REFERENCES counter_events (seq),
        CHECK ((transition IS NULL) <> (counter_event IS NULL))
    );
    INSERT INTO hall_log (transition) SELECT seq FROM transitions ORDER BY seq;
    CREATE TRIGGER hall_log_transition AFTER INSERT ON transitions
    BEGIN INSERT INTO hall_log (transition) VALUES (NEW.seq); END;
    CREATE TRIGGER hall_log_counter_event AFTER INSERT ON counter_events
    BEGIN INSERT INTO hall_log (counter_event) VALUES (NEW.seq); END;

    CREATE TABLE terminals (
        id            TEXT PRIMARY KEY,
        role          TEXT NOT NULL
                      CHECK (role IN ('secondary_kiosk', 'counter', 'display', 'monitor')),
        counters      TEXT NOT NULL DEFAULT '',
        cert_sha256   TEXT UNIQUE,
        cert_expires  INTEGER,
        enrolled_at   INTEGER,
        last_seen     INTEGER,
        revoked_at    INTEGER
    );
    CREATE TABLE enrolment_codes (
        code_sha256   TEXT PRIMARY KEY,
        terminal_id   TEXT NOT NULL,
        role          TEXT NOT NULL,
        counters      TEXT NOT NULL DEFAULT '',
        created_at    INTEGER NOT NULL,
        expires_at    INTEGER NOT NULL,
        used_at       INTEGER
    );
    CREATE TABLE request_keys (
        terminal_id   TEXT NOT NULL,
        key           TEXT NOT NULL,
        request       TEXT NOT NULL,
        status        INTEGER NOT NULL,
        answer        TEXT NOT NULL,
        at            INTEGER NOT NULL,
        PRIMARY KEY (terminal_id, key)
    );
    CREATE INDEX request_keys_by_age ON request_keys (at);
    "#,
    // Who is called next is read from a few index seeks (the first waiting ticket per service,
    // normal and green channel, and the rejoined ones), not from the whole day's queue.
    r#"
    CREATE INDEX tickets_waiting_order ON tickets (business_day, state, service, priority, arrived_at, id);
    CREATE INDEX tickets_rejoined ON tickets (business_day) WHERE state = 'waiting' AND rejoined_at IS NOT NULL;
    "#,
    // 7: staff at the counters (a staff number, a name for the console, an Argon2 hash of the
    // PIN and the lockout), their sign-ins (a session token's SHA-256), the staff number on each
    // transition, and the visitors' ratings: one per ticket, nothing personal.
    r#"
    CREATE TABLE staff (
        id            TEXT PRIMARY KEY,
        name          TEXT NOT NULL,
        pin_hash      TEXT NOT NULL,
        failures      INTEGER NOT NULL DEFAULT 0,
        locked_until  INTEGER,
        added_at      INTEGER NOT NULL
    );
    CREATE TABLE staff_sessions (
        token_sha256  TEXT PRIMARY KEY,
        staff_id      TEXT NOT NULL,
        counter_id    INTEGER NOT NULL,
        terminal_id   TEXT NOT NULL,
        started_at    INTEGER NOT NULL,
        last_active   INTEGER NOT NULL,
        ended_at      INTEGER
    );
    CREATE INDEX staff_sessions_open ON staff_sessions (counter_id) WHERE ended_at IS NULL;
    ALTER TABLE transitions ADD COLUMN staff_id TEXT;
    CREATE TABLE ratings (
        ticket_id     TEXT PRIMARY KEY REFERENCES tickets (id),
        business_day  TEXT NOT NULL,
        at            INTEGER NOT NULL,
        counter_id    INTEGER,
        service       TEXT NOT NULL,
        staff_id      TEXT,
        level         INTEGER NOT NULL CHECK (level BETWEEN 1 AND 5),
        reasons       TEXT NOT NULL DEFAULT ''
    );
    CREATE INDEX ratings_by_day ON ratings (business_day);

    -- The rating screen at a counter is a terminal of its own role.
    CREATE TABLE terminals_v7 (
        id            TEXT PRIMARY KEY,
        role          TEXT NOT NULL
                      CHECK (role IN ('secondary_kiosk', 'counter', 'display', 'monitor', 'evaluator')),
        counters      TEXT NOT NULL DEFAULT '',
        cert_sha256   TEXT UNIQUE,
        cert_expires  INTEGER,
        enrolled_at   INTEGER,
        last_seen     INTEGER,
        revoked_at    INTEGER
    );
    INSERT INTO terminals_v7 SELECT id, role, counters, cert_sha256, cert_expires, enrolled_at, last_seen, revoked_at
        FROM terminals;
    DROP TABLE terminals;
    ALTER TABLE terminals_v7 RENAME TO terminals;
    "#,
    // 8: a ticket taken from the eligibility result carries its outcome and matter (contract
    // codes, nothing personal), so the counter sees what the visitor comes about.
    r#"
    CREATE TABLE ticket_screenings (
        ticket_id  TEXT PRIMARY KEY REFERENCES tickets (id),
        outcome    TEXT NOT NULL,
        matter     TEXT NOT NULL
    );
    "#,
    // 9: who entered a rating: the rating screen's terminal id, or `hall-host` for a paper form
    // entered there (NULL for ratings kept before this was recorded).
    r#"
    ALTER TABLE ratings ADD COLUMN entered_by TEXT;
    "#,
    // 10: which terminal asked for each change (a counter console, a secondary kiosk over the
    // hall API, or the hall host itself); NULL for changes kept before this was recorded.
    r#"
    ALTER TABLE transitions ADD COLUMN terminal TEXT;
    "#,
    // 11: wrong PINs are counted per staff number *and terminal*, for numbers that exist and
    // numbers that do not alike: one counter cannot lock a colleague out everywhere, and the
    // answers do not tell which numbers exist. (`staff.failures` and `staff.locked_until` are
    // no longer used.)
    r#"
    CREATE TABLE sign_in_failures (
        staff_id      TEXT NOT NULL,
        terminal_id   TEXT NOT NULL,
        failures      INTEGER NOT NULL,
        locked_until  INTEGER,
        last_at       INTEGER NOT NULL,
        PRIMARY KEY (staff_id, terminal_id)
    );
    "#,
    // 12: the staff table's own lockout columns, unused since 11, go (SQLite drops a column
    // that no index or constraint names in place).
    r#"
    ALTER TABLE staff DROP COLUMN failures;
    ALTER TABLE staff DROP COLUMN locked_until;
    "#,
];

pub const LATEST_VERSION: u32 = MIGRATIONS.len() as u32;

pub(super) fn migrate(conn: &mut Connection, path: &Path) -> Result<(), StoreError> {
    let ctx = |what| {
        let path = path.to_path_buf();
        move |source| StoreError::Sqlite { path, what, source }
    };
    let found: u32 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .map_err(ctx("reading the schema version"))?;
    if found > LATEST_VERSION {
        return Err(StoreError::TooNew {
            path: path.to_path_buf(),
            found,
            known: LATEST_VERSION,
        });
    }
    for (index, sql) in MIGRATIONS.iter().enumerate().skip(found as usize) {
        let version = index as u32 + 1;
        let tx = conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .map_err(ctx("starting a migration"))?;
        // Another process may have migrated while we waited for the lock.
        let now: u32 = tx
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .map_err(ctx("reading the schema version"))?;
        if now >= version {
            continue;
        }
        tx.execute_batch(sql).map_err(ctx("applying a migration"))?;
        tx.pragma_update(None, "user_version", version)
            .map_err(ctx("recording the schema version"))?;
        tx.commit().map_err(ctx("committing a migration"))?;
        tracing::info!(version, "database migrated");
    }
    Ok(())
}

/// The tables and their columns, as `(table, column)` pairs in order.
fn layout(conn: &Connection) -> rusqlite::Result<Vec<(String, String)>> {
    let mut stmt = conn.prepare(
        "SELECT m.name, c.name FROM sqlite_master AS m, pragma_table_info(m.name) AS c
         WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' ORDER BY m.name, c.cid",
    )?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
    rows.collect()
}

/// What is missing from a database whose version says it is up to date: the tables and columns
/// that the migrations create, compared with a fresh copy made in memory. `None` when complete.
pub(super) fn missing_schema(conn: &Connection) -> rusqlite::Result<Option<String>> {
    let mut fresh = Connection::open_in_memory()?;
    for sql in MIGRATIONS {
        let tx = fresh.transaction()?;
        tx.execute_batch(sql)?;
        tx.commit()?;
    }
    let have: std::collections::HashSet<(String, String)> = layout(conn)?.into_iter().collect();
    let missing: Vec<String> = layout(&fresh)?
        .into_iter()
        .filter(|pair| !have.contains(pair))
        .map(|(table, column)| format!("{table}.{column}"))
        .collect();
    Ok((!missing.is_empty()).then(|| missing.join(", ")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hall_at_version_11_keeps_its_staff_when_the_old_lockout_columns_go() {
        let mut conn = Connection::open_in_memory().unwrap();
        for sql in &MIGRATIONS[..11] {
            conn.execute_batch(sql).unwrap();
        }
        conn.pragma_update(None, "user_version", 11).unwrap();
        conn.execute(
            "INSERT INTO staff (id, name, pin_hash, failures, locked_until, added_at) \
             VALUES ('S017', 'Li', 'argon2-hash', 3, 1, 0)",
            [],
        )
        .unwrap();
        migrate(&mut conn, Path::new(":memory:")).unwrap();
        let staff: (String, String) = conn
            .query_row("SELECT id, pin_hash FROM staff", [], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .unwrap();
        assert_eq!(staff, ("S017".into(), "argon2-hash".into()));
        let columns: Vec<String> = layout(&conn)
            .unwrap()
            .into_iter()
            .filter(|(table, _)| table == "staff")
            .map(|(_, column)| column)
            .collect();
        assert_eq!(columns, ["id", "name", "pin_hash", "added_at"]);
        assert_eq!(missing_schema(&conn).unwrap(), None);
    }
}
