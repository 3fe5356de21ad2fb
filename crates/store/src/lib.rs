//! SQLite persistence: the schema, its numbered migrations, and every SQL statement in the project.
//!
//! WAL with `synchronous=FULL`: once a write transaction returns, the ticket (or submission) it
//! holds survives a crash or a power cut. Writes take the lock up front (`BEGIN IMMEDIATE`), so
//! two processes issuing tickets never compute the same number.

pub mod device_events;
pub mod hall_tables;
mod migrations;
pub mod outbox_tables;
pub mod queue_tables;
pub mod staff_tables;

use rusqlite::{OpenFlags, TransactionBehavior};
use std::path::{Path, PathBuf};
use std::time::Duration;

pub use migrations::LATEST_VERSION;

/// The handle that `Store::write` and `Store::read` give their closures. Callers pass it on to
/// this crate's table functions and write no SQL of their own (tests/integration/architecture.rs checks both:
/// no other crate depends on rusqlite, and no SQL is written outside this crate).
pub use rusqlite::Connection;
/// A database error as the table functions return it.
pub use rusqlite::Error as SqlError;
/// The table functions' result.
pub type SqlResult<T> = rusqlite::Result<T>;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("queue database {path}: {what}: {source}")]
    Sqlite {
        path: PathBuf,
        what: &'static str,
        source: rusqlite::Error,
    },
    #[error(
        "queue database {path} has schema version {found}, newer than this program knows ({known}); \
         install the newer kiosk software or restore the matching backup"
    )]
    TooNew { path: PathBuf, found: u32, known: u32 },
    /// The file is damaged (SQLite's check failed) or tables are missing: the terminal must stop
    /// issuing — a ticket written into a damaged file may be lost or duplicated later.
    #[error(
        "queue database {path} is damaged ({detail}); the terminal stops issuing tickets and sends \
         visitors to staff. Stop the kiosk, move the file (and its -wal and -shm files) aside for \
         support, restore the last backup or let the kiosk start an empty queue, then run `kiosk doctor`"
    )]
    Damaged { path: PathBuf, detail: String },
    #[error("cannot create the data directory {path}: {source}")]
    DataDir { path: PathBuf, source: std::io::Error },
}

pub struct Store {
    conn: Connection,
    path: PathBuf,
}

/// File name of the queue database inside the data directory.
pub const DB_FILE: &str = "kiosk.sqlite3";

/// How long a connection waits for another one's lock before it reports the database busy.
const BUSY_WAIT: Duration = Duration::from_secs(10);

/// Puts the database in WAL mode. Switching needs the file to itself and SQLite answers "busy"
/// at once instead of waiting, which happens when another thread or process is creating the
/// same new database at this moment (a kiosk's first start): the switch is then tried again for
/// as long as any other lock would be waited for.
fn use_wal(conn: &Connection) -> rusqlite::Result<()> {
    let deadline = std::time::Instant::now() + BUSY_WAIT;
    loop {
        match conn.query_row("PRAGMA journal_mode=WAL", [], |r| r.get::<_, String>(0)) {
            Ok(mode) if mode.eq_ignore_ascii_case("wal") => return Ok(()),
            Ok(mode) => {
                return Err(rusqlite::Error::SqliteFailure(
                    rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_ERROR),
                    Some(format!("the database stayed in journal mode {mode}")),
                ));
            }
            Err(rusqlite::Error::SqliteFailure(e, _))
                if e.code == rusqlite::ErrorCode::DatabaseBusy && std::time::Instant::now() < deadline =>
            {
                std::thread::sleep(Duration::from_millis(2));
            }
            Err(e) => return Err(e),
        }
    }
}

impl Store {
    /// Opens (creating if needed) the database in `data_dir` and brings its schema up to date.
    pub fn open_in(data_dir: &Path) -> Result<Self, StoreError> {
        if data_dir.exists() && !data_dir.is_dir() {
            return Err(StoreError::DataDir {
                path: data_dir.to_path_buf(),
                source: std::io::Error::other(
                    "it is a file, not a directory; give a directory with --data-dir or KIOSK_DATA_DIR",
                ),
            });
        }
        std::fs::create_dir_all(data_dir).map_err(|source| StoreError::DataDir {
            path: data_dir.to_path_buf(),
            source,
        })?;
        Self::open(&data_dir.join(DB_FILE))
    }

    pub fn open(path: &Path) -> Result<Self, StoreError> {
        let ctx = |what| {
            let path = path.to_path_buf();
            move |source| StoreError::Sqlite { path, what, source }
        };
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let mut conn = Connection::open_with_flags(path, flags).map_err(ctx("opening"))?;
        conn.busy_timeout(BUSY_WAIT)
            .map_err(ctx("setting the busy timeout"))?;
        use_wal(&conn).map_err(ctx("switching to WAL"))?;
        conn.pragma_update(None, "synchronous", "FULL")
            .map_err(ctx("setting synchronous=FULL"))?;
        conn.pragma_update(None, "foreign_keys", "ON")
            .map_err(ctx("enabling foreign keys"))?;
        // Deleted personal data must not linger in free pages (see the agency outbox).
        conn.pragma_update(None, "secure_delete", "ON")
            .map_err(ctx("enabling secure_delete"))?;
        migrations::migrate(&mut conn, path)?;
        check_intact(&conn, path)?;
        Ok(Self {
            conn,
            path: path.to_path_buf(),
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Runs `f` in a write transaction that holds the database lock from the start and commits
    /// durably. Any error rolls everything back. Inside `atomically` it is a savepoint of the
    /// enclosing transaction (its error undoes only its own changes).
    pub fn write<T, E>(&mut self, f: impl FnOnce(&Connection) -> Result<T, E>) -> Result<T, E>
    where
        E: From<rusqlite::Error>,
    {
        if !self.conn.is_autocommit() {
            let sp = self.conn.savepoint()?;
            let out = f(&sp)?;
            sp.commit()?;
            return Ok(out);
        }
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let out = f(&tx)?;
        tx.commit()?;
        Ok(out)
    }

    /// Runs `f` in a read transaction: one consistent snapshot.
    pub fn read<T, E>(&mut self, f: impl FnOnce(&Connection) -> Result<T, E>) -> Result<T, E>
    where
        E: From<rusqlite::Error>,
    {
        if !self.conn.is_autocommit() {
            return f(&self.conn);
        }
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Deferred)?;
        let out = f(&tx)?;
        tx.finish()?;
        Ok(out)
    }

    /// Runs `f` (which writes and reads through this store) as one transaction: all of it is
    /// committed, or, when it returns an error, none of it. The hall API keeps an answer to a
    /// request key in the same transaction as the operation, so a crash cannot separate them.
    /// Inside another `atomically` (the hall API commits a batch of requests at once) it is a
    /// savepoint: its error undoes its own changes only.
    pub fn atomically<S, T, E>(
        owner: &mut S,
        store: impl Fn(&mut S) -> &mut Store,
        f: impl FnOnce(&mut S) -> Result<T, E>,
    ) -> Result<T, E>
    where
        E: From<rusqlite::Error>,
    {
        let (begin, commit, undo) = if store(owner).conn.is_autocommit() {
            ("BEGIN IMMEDIATE", "COMMIT", "ROLLBACK")
        } else {
            (
                "SAVEPOINT atomically",
                "RELEASE atomically",
                "ROLLBACK TO atomically; RELEASE atomically",
            )
        };
        store(owner).conn.execute_batch(begin)?;
        match f(owner) {
            Ok(out) => match store(owner).conn.execute_batch(commit) {
                Ok(()) => Ok(out),
                Err(e) => {
                    let _ = store(owner).conn.execute_batch(undo);
                    Err(e.into())
                }
            },
            Err(e) => {
                // Nothing to do if the rollback fails: SQLite has already rolled back then.
                let _ = store(owner).conn.execute_batch(undo);
                Err(e)
            }
        }
    }

    /// Rolls back a transaction that a panic left open (none of it may be committed).
    pub fn abandon(&mut self) {
        if !self.conn.is_autocommit() {
            tracing::warn!("rolling back a transaction left open by a failure");
            let _ = self.conn.execute_batch("ROLLBACK");
        }
    }

    /// A number that changes whenever another connection commits (this connection's own commits
    /// do not change it): cheap enough to ask twice a second.
    pub fn data_version(&self) -> rusqlite::Result<i64> {
        self.conn.query_row("PRAGMA data_version", [], |r| r.get(0))
    }

    /// Copies the WAL into the database and truncates it to zero bytes, so page images holding
    /// deleted personal data do not survive in the WAL file. Returns false when a reader kept the
    /// checkpoint from completing (the caller tries again later).
    pub fn truncate_wal(&mut self) -> rusqlite::Result<bool> {
        let busy: i64 = self
            .conn
            .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |r| r.get(0))?;
        Ok(busy == 0)
    }

    /// Whether this process may write the database: takes the write lock and lets it go, so a
    /// read-only file, directory or mount shows up here and not at a visitor's first ticket.
    pub fn check_writable(&mut self) -> rusqlite::Result<()> {
        self.conn
            .execute_batch("BEGIN IMMEDIATE; INSERT INTO counters (id, paused) VALUES (-1, 0); ROLLBACK;")
    }

    /// Facts for `kiosk doctor`.
    pub fn health(&self) -> rusqlite::Result<StoreHealth> {
        let integrity: String = self.conn.query_row("PRAGMA integrity_check", [], |r| r.get(0))?;
        let journal_mode: String = self.conn.query_row("PRAGMA journal_mode", [], |r| r.get(0))?;
        let synchronous: i64 = self.conn.query_row("PRAGMA synchronous", [], |r| r.get(0))?;
        let schema_version: u32 = self.conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        Ok(StoreHealth {
            integrity,
            journal_mode,
            synchronous_full: synchronous == 2,
            schema_version,
        })
    }
}

/// SQLite's quick check (every page and index readable and consistent) and the tables the
/// migrations made: a file that fails either is `Damaged`. Runs at every open — milliseconds for
/// a hall's database — so no command writes into a damaged file.
fn check_intact(conn: &Connection, path: &Path) -> Result<(), StoreError> {
    let damaged = |detail: String| StoreError::Damaged {
        path: path.to_path_buf(),
        detail,
    };
    let verdict: String = conn
        .query_row("PRAGMA quick_check(1)", [], |r| r.get(0))
        .map_err(|e| damaged(format!("the check itself failed: {e}")))?;
    if verdict != "ok" {
        return Err(damaged(format!("integrity check: {verdict}")));
    }
    match migrations::missing_schema(conn) {
        Ok(None) => Ok(()),
        Ok(Some(missing)) => Err(damaged(format!("missing from the schema: {missing}"))),
        Err(e) => Err(damaged(format!("the schema cannot be read: {e}"))),
    }
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct StoreHealth {
    pub integrity: String,
    pub journal_mode: String,
    pub synchronous_full: bool,
    pub schema_version: u32,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn opens_in_wal_full_at_the_latest_schema_and_reopens() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open_in(dir.path()).unwrap();
        let h = store.health().unwrap();
        assert_eq!(h.integrity, "ok");
        assert_eq!(h.journal_mode, "wal");
        assert!(h.synchronous_full);
        assert_eq!(h.schema_version, LATEST_VERSION);
        drop(store);
        assert_eq!(
            Store::open_in(dir.path())
                .unwrap()
                .health()
                .unwrap()
                .schema_version,
            LATEST_VERSION
        );
    }

    /// A kiosk's first start creates its database on the queue's thread while the hall feed,
    /// the host's duties and the printer open it on theirs (and `kiosk serve` may start at the
    /// same moment): whoever comes first creates it, the others wait and find it made.
    #[test]
    fn many_first_opens_at_once_make_one_database() {
        for _ in 0..20 {
            let dir = tempfile::tempdir().unwrap();
            let start = std::sync::Barrier::new(6);
            std::thread::scope(|s| {
                let opened: Vec<_> = (0..6)
                    .map(|_| {
                        s.spawn(|| {
                            start.wait();
                            Store::open_in(dir.path()).map(|store| store.health().unwrap())
                        })
                    })
                    .collect();
                for health in opened {
                    let h = health.join().unwrap().expect("every opener gets the database");
                    assert_eq!((h.integrity.as_str(), h.schema_version), ("ok", LATEST_VERSION));
                    assert_eq!(h.journal_mode, "wal");
                }
            });
        }
    }

    #[test]
    fn a_dropped_table_or_column_is_damage_not_ok() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(DB_FILE);
        drop(Store::open(&path).unwrap());
        let conn = Connection::open(&path).unwrap();
        conn.execute_batch(
            "DROP INDEX one_call_per_counter; DROP INDEX tickets_by_state; DROP TABLE tickets;",
        )
        .unwrap();
        drop(conn);
        let err = Store::open(&path).err().unwrap().to_string();
        assert!(err.contains("is damaged") && err.contains("tickets.id"), "{err}");
        assert!(err.contains("stops issuing"), "{err}");
    }

    #[test]
    fn a_data_dir_that_is_a_file_is_named_as_such() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("data");
        std::fs::write(&file, b"x").unwrap();
        let err = Store::open_in(&file).err().unwrap().to_string();
        assert!(err.contains("it is a file, not a directory"), "{err}");
    }

    #[test]
    fn refuses_a_database_from_a_newer_program() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(DB_FILE);
        drop(Store::open(&path).unwrap());
        let conn = Connection::open(&path).unwrap();
        conn.pragma_update(None, "user_version", LATEST_VERSION + 1)
            .unwrap();
        drop(conn);
        let err = Store::open(&path).err().unwrap().to_string();
        assert!(err.contains("newer than this program knows"), "{err}");
    }
}
