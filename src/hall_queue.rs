//! The hall queue on this machine: `kiosk_contract::HallQueue` over the queue database. Errors
//! become the contract's four kinds; a database failure names the file and the next step for
//! the technician (the screens show their own words for "unavailable").

use crate::queue::{DisplayNumber, Rating, ServiceCode};
use crate::queue_service::{OpError, QueueService, Rater};
use crate::staff;
use chrono::NaiveDate;
use kiosk_contract::IssueRequest;
use kiosk_contract::{
    CallResult, CounterStatus, CounterView, DailyStatsView, EventCursor, EventPage, HallError, HallQueue,
    HallStatus, HallSummary, RatingView, SignedIn, TicketRef, TicketView,
};
use kiosk_store::Store;
use std::path::PathBuf;

pub struct LocalQueue {
    service: QueueService,
    database: PathBuf,
    /// After an empty `events_after`: the database's `data_version` then and the cursor asked
    /// with. Until another connection commits (or this one writes), the answer is the same, so
    /// an idle screen's twice-a-second question does not read the tables.
    nothing_after: Option<(i64, u64)>,
    /// The staff sign-in whose counter operations these are: the console's own on the hall
    /// host, or the one a hall API request carries.
    session: Option<StaffSession>,
    /// The rating screen whose ratings these are (its terminal id and counters); None: the hall
    /// host entering a paper form.
    rating_screen: Option<(String, Vec<u32>)>,
}

struct StaffSession {
    token: String,
    terminal: String,
}

/// Where the queue's database is (or will be) in a data folder.
pub fn database_in(data_dir: &std::path::Path) -> PathBuf {
    data_dir.join(kiosk_store::DB_FILE)
}

/// The queue in the database at `path`, through a connection of its own.
pub fn open_local(
    path: &std::path::Path,
    config: std::sync::Arc<crate::config::Config>,
    clock: std::sync::Arc<dyn crate::clock::Clock>,
) -> Result<Box<dyn HallQueue>, String> {
    let store = Store::open(path).map_err(|e| e.to_string())?;
    serve_from(store, config, clock)
}

/// The queue in `data_dir`, which is made, with the database, when it does not exist yet.
pub fn open_local_in(
    data_dir: &std::path::Path,
    config: std::sync::Arc<crate::config::Config>,
    clock: std::sync::Arc<dyn crate::clock::Clock>,
) -> Result<Box<dyn HallQueue>, String> {
    let store = Store::open_in(data_dir).map_err(|e| e.to_string())?;
    serve_from(store, config, clock)
}

fn serve_from(
    store: Store,
    config: std::sync::Arc<crate::config::Config>,
    clock: std::sync::Arc<dyn crate::clock::Clock>,
) -> Result<Box<dyn HallQueue>, String> {
    let service = QueueService::new(store, config, clock).map_err(|e| e.to_string())?;
    Ok(Box::new(LocalQueue::new(service)))
}

impl LocalQueue {
    pub fn new(service: QueueService) -> Self {
        let database = service.store().path().to_owned();
        Self {
            service,
            database,
            nothing_after: None,
            session: None,
            rating_screen: None,
        }
    }

    /// Runs `op` as the requests of the staff member signed in with `token` from `terminal`
    /// (none: nobody's). The hall API sets this for each request it carries out.
    pub fn with_session<T>(
        &mut self,
        terminal: &str,
        token: Option<&str>,
        op: impl FnOnce(&mut Self) -> T,
    ) -> T {
        let theirs = token.map(|token| StaffSession {
            token: token.to_owned(),
            terminal: terminal.to_owned(),
        });
        let own = std::mem::replace(&mut self.session, theirs);
        self.service.requested_by(Some(terminal.to_owned()));
        let out = op(self);
        self.service.requested_by(None);
        self.session = own;
        out
    }

    /// This queue as the rating screen `terminal` at `counters` (the hall host's own rating
    /// screen): it rates only the visits completed there. Without it, a rating is the hall
    /// host's entry of a paper form.
    pub fn as_rating_screen(mut self, terminal: &str, counters: &[u32]) -> Self {
        self.rating_screen = Some((terminal.to_owned(), counters.to_vec()));
        self
    }

    /// Runs `op` as the requests of the rating screen `terminal` at `counters`. The hall API
    /// sets this for a request of an evaluator terminal.
    pub fn with_rating_screen<T>(
        &mut self,
        terminal: &str,
        counters: &[u32],
        op: impl FnOnce(&mut Self) -> T,
    ) -> T {
        let theirs = Some((terminal.to_owned(), counters.to_vec()));
        let own = std::mem::replace(&mut self.rating_screen, theirs);
        let out = op(self);
        self.rating_screen = own;
        out
    }

    /// Before a counter operation: whose it is. A session that has ended (signed out, taken
    /// over, idle) refuses the operation, so the console asks for a sign-in again.
    fn enter_staff(&mut self) -> Result<(), HallError> {
        let Some(session) = &self.session else {
            self.service.act_as(None);
            // A hall with staff numbers has its counters operated by signed-in staff: another
            // terminal's counter operation without a sign-in is refused here, on the host,
            // whatever that terminal's screen does. (The host's own CLI is the technician's.)
            if let Some(terminal) = self.service.requester() {
                let terminal = terminal.to_owned();
                let has_staff = self
                    .service
                    .store_mut()
                    .read(kiosk_store::staff_tables::has_staff)
                    .map_err(|e| hall_error(OpError::Storage(e), &self.database))?;
                if has_staff {
                    return Err(HallError::new(
                        kiosk_contract::ErrorKind::Unauthenticated,
                        format!(
                            "{terminal}: this hall's counters are operated by signed-in staff; sign in with a staff number first"
                        ),
                    ));
                }
            }
            return Ok(());
        };
        let idle = chrono::Duration::minutes(i64::from(self.service.config().console.idle_sign_out_minutes));
        let now = self.service.now();
        let staff = self
            .service
            .store_mut()
            .write(|c| {
                Ok::<_, kiosk_store::SqlError>(staff::acting_staff(
                    c,
                    &session.token,
                    &session.terminal,
                    |counter| QueueService::counter_has_visitor(c, counter),
                    idle,
                    now,
                ))
            })
            .map_err(|e| hall_error(OpError::Storage(e), &self.database))??;
        self.service.act_as(Some(staff));
        Ok(())
    }

    /// A counter operation, recorded with the signed-in staff number.
    fn staffed<T>(
        &mut self,
        op: impl FnOnce(&mut QueueService) -> Result<T, OpError>,
    ) -> Result<T, HallError> {
        self.enter_staff()?;
        let r = op(&mut self.service);
        self.service.act_as(None);
        self.wrote(r)
    }

    fn answer<T>(&self, result: Result<T, OpError>) -> Result<T, HallError> {
        result.map_err(|e| hall_error(e, &self.database))
    }

    /// A write through this connection, which `data_version` does not count.
    fn wrote<T>(&mut self, result: Result<T, OpError>) -> Result<T, HallError> {
        self.nothing_after = None;
        self.answer(result)
    }
}

/// The contract's error for a queue service error.
fn hall_error(e: OpError, database: &std::path::Path) -> HallError {
    match e {
        OpError::BadInput(m) => HallError::bad_input(m),
        OpError::Rule(rule) => HallError::refused(rule.to_string()),
        OpError::Conflict(m) => HallError::conflict(m),
        OpError::Storage(source) => {
            tracing::error!(database = %database.display(), error = %source, "queue database failed");
            HallError::unavailable(format!(
                "queue database {}: {source}; see `kiosk doctor`",
                database.display()
            ))
        }
    }
}

/// How long the hall host remembers a request key and its answer.
pub const KEYS_KEPT_FOR: chrono::Duration = chrono::Duration::hours(24);

/// The answer to a request with a key: the operation's result as JSON (the value, or the
/// `HallError`) and the HTTP status it goes with. A repeated key gets the first answer again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyedAnswer {
    pub status: u16,
    pub body: String,
    /// True when this is the kept answer of an earlier request with the same key.
    pub repeated: bool,
}

impl LocalQueue {
    /// Does `op` once per (`terminal`, `key`): the operation and the kept answer commit in one
    /// transaction, so a request retried after a lost answer, or after the host crashed, gets
    /// the first answer and changes nothing more. `request` describes the request (its method,
    /// path and body): the same key with another request is refused. Refusals by the queue's
    /// rules are answers too and are kept; a database failure is not (nothing was done).
    pub fn once<T: serde::Serialize>(
        &mut self,
        terminal: &str,
        key: &str,
        request: &str,
        op: impl FnOnce(&mut Self) -> Result<T, HallError>,
    ) -> Result<KeyedAnswer, HallError> {
        use kiosk_store::hall_tables::{self, KeptAnswer};
        let now = self.service.now();
        let database = self.database.clone();
        let request_hash = kiosk_core::digest::sha256_hex(request.as_bytes());
        let outcome = Store::atomically(
            self,
            |q| q.service.store_mut(),
            |q| -> Result<KeyedAnswer, KeyedFailure> {
                let store = q.service.store_mut();
                if let Some(kept) = store.read(|c| hall_tables::kept_answer(c, terminal, key))? {
                    if kept.request != request_hash {
                        return Err(KeyedFailure::Answer(HallError::conflict(format!(
                            "the Idempotency-Key {key} was used for another request; use a new key for a new request"
                        ))));
                    }
                    return Ok(KeyedAnswer {
                        status: kept.status,
                        body: kept.answer,
                        repeated: true,
                    });
                }
                let (status, body) = match op(q) {
                    Ok(value) => (
                        200,
                        serde_json::to_string(&value).map_err(|e| KeyedFailure::Encoding(e.to_string()))?,
                    ),
                    Err(e) if e.kind == kiosk_contract::ErrorKind::Unavailable => {
                        return Err(KeyedFailure::Answer(e));
                    }
                    Err(e) => (
                        e.kind.http_status(),
                        serde_json::to_string(&e).map_err(|e| KeyedFailure::Encoding(e.to_string()))?,
                    ),
                };
                let kept = KeptAnswer {
                    request: request_hash,
                    status,
                    answer: body,
                };
                q.service
                    .store_mut()
                    .write(|c| hall_tables::keep_answer(c, terminal, key, &kept, now, now - KEYS_KEPT_FOR))?;
                Ok(KeyedAnswer {
                    status: kept.status,
                    body: kept.answer,
                    repeated: false,
                })
            },
        );
        self.nothing_after = None;
        match outcome {
            Ok(answer) => Ok(answer),
            Err(KeyedFailure::Answer(e)) => Err(e),
            Err(KeyedFailure::Encoding(m)) => {
                Err(HallError::unavailable(format!("cannot encode the answer: {m}")))
            }
            Err(KeyedFailure::Storage(e)) => Err(hall_error(OpError::Storage(e), &database)),
        }
    }
}

impl LocalQueue {
    /// Runs several keyed requests (each with `once`) in one transaction, so that one disk
    /// flush makes all of them durable: a burst of counters calling at once does not queue
    /// behind one flush each. An error of one request undoes that request only; the batch's
    /// commit failing undoes all, and then every request gets that error.
    pub fn batch<T>(&mut self, requests: impl FnOnce(&mut Self) -> Vec<T>) -> Result<Vec<T>, HallError> {
        let database = self.database.clone();
        let done = Store::atomically(
            self,
            |q| q.service.store_mut(),
            |q| Ok::<_, kiosk_store::SqlError>(requests(q)),
        );
        self.nothing_after = None;
        done.map_err(|e| hall_error(OpError::Storage(e), &database))
    }

    /// After a panic inside `batch`: nothing of it is committed.
    pub fn abandon(&mut self) {
        self.service.store_mut().abandon();
    }
}

/// Why a keyed request has no answer to keep.
enum KeyedFailure {
    Answer(HallError),
    Encoding(String),
    Storage(kiosk_store::SqlError),
}

impl From<kiosk_store::SqlError> for KeyedFailure {
    fn from(e: kiosk_store::SqlError) -> Self {
        Self::Storage(e)
    }
}

impl HallQueue for LocalQueue {
    fn issue(&mut self, request: &IssueRequest) -> Result<TicketView, HallError> {
        let r = self.service.issue(request);
        self.wrote(r)
    }

    fn call_next(&mut self, counter: u32) -> Result<CallResult, HallError> {
        self.staffed(|q| q.call_next(counter))
    }

    fn call_number(&mut self, counter: u32, number: DisplayNumber) -> Result<CallResult, HallError> {
        self.staffed(|q| q.call_number(counter, number))
    }

    fn recall(&mut self, counter: u32) -> Result<TicketView, HallError> {
        self.staffed(|q| q.recall(counter))
    }

    fn skip(&mut self, counter: u32) -> Result<TicketView, HallError> {
        self.staffed(|q| q.skip(counter))
    }

    fn complete(&mut self, counter: u32) -> Result<TicketView, HallError> {
        self.staffed(|q| q.complete(counter))
    }

    fn rejoin(&mut self, number: DisplayNumber) -> Result<TicketView, HallError> {
        self.staffed(|q| q.rejoin(number))
    }

    fn transfer(&mut self, which: TicketRef, to: ServiceCode) -> Result<TicketView, HallError> {
        self.staffed(|q| q.transfer(which, to))
    }

    fn set_paused(&mut self, counter: u32, paused: bool) -> Result<CounterStatus, HallError> {
        self.staffed(|q| q.set_paused(counter, paused))
    }

    fn ticket(&mut self, number: DisplayNumber) -> Result<TicketView, HallError> {
        let r = self.service.ticket(number);
        self.answer(r)
    }

    fn ticket_by_id(&mut self, id: &str) -> Result<TicketView, HallError> {
        let r = self.service.ticket_by_id(id);
        self.answer(r)
    }

    fn summary(&mut self) -> Result<HallSummary, HallError> {
        let r = self.service.summary();
        self.answer(r)
    }

    fn status(&mut self) -> Result<HallStatus, HallError> {
        let r = self.service.status();
        self.answer(r)
    }

    fn events_after(&mut self, cursor: EventCursor, limit: usize) -> Result<EventPage, HallError> {
        let version = self.service.store().data_version().ok();
        if let Some(v) = version
            && self.nothing_after == Some((v, cursor))
        {
            return Ok(EventPage {
                events: Vec::new(),
                cursor,
                more: false,
            });
        }
        let read = self.service.events_after(cursor, limit);
        let page = self.answer(read)?;
        self.nothing_after = version
            .filter(|_| page.events.is_empty() && !page.more)
            .map(|v| (v, cursor));
        Ok(page)
    }

    fn daily_stats(&mut self, day: Option<NaiveDate>) -> Result<DailyStatsView, HallError> {
        let r = self.service.daily_stats(day).map(|s| DailyStatsView::from(&s));
        self.answer(r)
    }

    fn sign_in(&mut self, counter: u32, staff: &str, pin: &str) -> Result<SignedIn, HallError> {
        if self.service.config().counter(counter).is_none() {
            return Err(HallError::bad_input(format!(
                "there is no counter {counter} in this hall"
            )));
        }
        let now = self.service.now();
        let signed = staff::sign_in(
            self.service.store_mut(),
            counter,
            staff,
            pin,
            staff::THIS_HOST,
            now,
        )?;
        self.session = Some(StaffSession {
            token: signed.session.clone(),
            terminal: staff::THIS_HOST.to_owned(),
        });
        Ok(signed)
    }

    fn sign_out(&mut self) -> Result<(), HallError> {
        let Some(session) = self.session.take() else {
            return Ok(());
        };
        let now = self.service.now();
        self.service
            .store_mut()
            .write(|c| Ok::<_, kiosk_store::SqlError>(staff::sign_out(c, &session.token, now)))
            .map_err(|e| hall_error(OpError::Storage(e), &self.database))?
    }

    fn rate(&mut self, number: DisplayNumber, rating: &Rating) -> Result<RatingView, HallError> {
        let rater = match &self.rating_screen {
            Some((terminal, counters)) => Rater::Screen { terminal, counters },
            None => Rater::PaperForm,
        };
        let r = self.service.rate(number, rating, rater);
        self.wrote(r)
    }

    fn counter_view(&mut self, counter: u32) -> Result<CounterView, HallError> {
        let r = self.service.counter_view(counter);
        self.answer(r)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::ManualClock;
    use crate::config::Config;
    use crate::lang::Lang;
    use std::sync::Arc;

    fn queue_in(dir: &std::path::Path) -> LocalQueue {
        let clock = Arc::new(ManualClock::new(
            chrono::DateTime::from_timestamp(1_764_554_400, 0).unwrap(),
        ));
        let store = Store::open_in(dir).unwrap();
        LocalQueue::new(QueueService::new(store, Arc::new(Config::default()), clock).unwrap())
    }

    #[test]
    fn events_are_seen_whether_this_connection_or_another_wrote_them() {
        let dir = tempfile::tempdir().unwrap();
        let mut screen = queue_in(dir.path());
        let mut counter = queue_in(dir.path());
        let a: ServiceCode = "A".parse().unwrap();
        assert!(screen.events_after(0, 0).unwrap().events.is_empty());
        assert!(
            !screen.events_after(0, 0).unwrap().more,
            "nothing yet, asked twice"
        );

        // Written through this connection (data_version does not move): still seen.
        screen.issue(&IssueRequest::new(a, None, Lang::ZhCn)).unwrap();
        let page = screen.events_after(0, 10).unwrap();
        assert_eq!(page.events.len(), 1);
        let cursor = page.cursor;
        assert!(screen.events_after(cursor, 0).unwrap().events.is_empty());
        assert!(!screen.events_after(cursor, 0).unwrap().more);

        // Written by another connection: seen at once.
        counter.call_next(1).unwrap();
        let page = screen.events_after(cursor, 10).unwrap();
        assert_eq!(page.events.len(), 1);
        assert!(page.events[0].is_call());
        assert!(
            screen.events_after(cursor, 0).unwrap().more,
            "a zero-sized page still says so"
        );
    }

    #[test]
    fn a_batch_commits_its_requests_once_each_and_a_refusal_undoes_only_itself() {
        let dir = tempfile::tempdir().unwrap();
        let mut host = queue_in(dir.path());
        let a: ServiceCode = "A".parse().unwrap();
        let answers = host
            .batch(|q| {
                vec![
                    q.once("kiosk", "k1", "issue", |q| {
                        q.issue(&IssueRequest::new(a, None, Lang::En))
                    }),
                    q.once("counter", "k2", "recall 1", |q| q.recall(1)),
                    q.once("kiosk", "k3", "issue", |q| {
                        q.issue(&IssueRequest::new(a, None, Lang::En))
                    }),
                ]
            })
            .unwrap();
        let statuses: Vec<u16> = answers.iter().map(|a| a.as_ref().unwrap().status).collect();
        assert_eq!(statuses, vec![200, 409, 200]);
        assert_eq!(host.status().unwrap().tickets.len(), 2);

        // Asked again (a retry after a lost answer): the same answers, nothing done twice.
        let again = host
            .once("kiosk", "k1", "issue", |q| {
                q.issue(&IssueRequest::new(a, None, Lang::En))
            })
            .unwrap();
        assert!(again.repeated);
        assert_eq!(again.body, answers[0].as_ref().unwrap().body);
        let refused = host.once("counter", "k2", "recall 1", |q| q.recall(1)).unwrap();
        assert_eq!((refused.status, refused.repeated), (409, true));
        assert_eq!(host.status().unwrap().tickets.len(), 2);
        let reused = host.once("kiosk", "k1", "another request", |q| {
            q.issue(&IssueRequest::new(a, None, Lang::En))
        });
        assert_eq!(reused.unwrap_err().kind, kiosk_contract::ErrorKind::Conflict);
    }
}
