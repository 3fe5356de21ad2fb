//! The hall queue as an application service: each operation is one durable SQLite transaction
//! in which the pure rules of `crate::queue` decide and `kiosk_store` reads and writes.
//!
//! Invariants kept here: a ticket exists once `issue` returns (its transaction committed); every
//! state change writes a transition row in the same transaction; leftovers from earlier business
//! days are expired before any operation looks at today's queue.

use crate::clock::Clock;
use crate::config::Config;
use crate::queue::{
    self, Action, Candidate, DisplayNumber, FairnessRule, QueueError, Rating, RatingLevel, ServiceCode,
    Ticket, TicketState,
};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use kiosk_contract::IssueRequest;
use kiosk_store::Connection;
use kiosk_store::Store;
use kiosk_store::queue_tables::{self as tables, TransitionRecord};
use kiosk_store::staff_tables;
use std::sync::Arc;

#[derive(Debug, thiserror::Error)]
pub enum OpError {
    /// The request names something that does not exist or is not allowed (exit code 2).
    #[error("{0}")]
    BadInput(String),
    /// The queue's rules refuse the request in the current state.
    #[error(transparent)]
    Rule(#[from] QueueError),
    /// The counter is not in a state to do this (nothing called, paused).
    #[error("{0}")]
    Conflict(String),
    #[error("queue database: {0}")]
    Storage(#[from] kiosk_store::SqlError),
}

impl OpError {
    pub fn is_bad_input(&self) -> bool {
        matches!(self, OpError::BadInput(_))
    }
}

pub use kiosk_contract::{
    CallResult, CounterStatus, CounterView, HallStatus, HallSummary, RatingView, ScreeningNote,
    ServiceStatus, ServiceWait, TicketRef, TicketView,
};

pub struct QueueService {
    store: Store,
    config: Arc<Config>,
    clock: Arc<dyn Clock>,
    /// The staff number signed in at the counter whose request is being carried out.
    acting: Option<String>,
    /// The terminal whose request it is, when not this one (a request over the hall API).
    requester: Option<String>,
}

impl QueueService {
    pub fn new(store: Store, config: Arc<Config>, clock: Arc<dyn Clock>) -> Result<Self, OpError> {
        let mut service = Self {
            store,
            config,
            clock,
            acting: None,
            requester: None,
        };
        let ids: Vec<u32> = service.config.counters.iter().map(|c| c.id).collect();
        service.store.write(|tx| tables::ensure_counters(tx, ids))?;
        Ok(service)
    }

    pub fn config(&self) -> &Config {
        &self.config
    }

    /// Whose changes the following operations are: recorded with each transition.
    pub fn act_as(&mut self, staff: Option<String>) {
        self.acting = staff;
    }

    /// Which terminal asks for the following operations (None: this one); recorded with each
    /// transition.
    pub fn requested_by(&mut self, terminal: Option<String>) {
        self.requester = terminal;
    }

    /// The terminal asking for the current operations, when it is not this one.
    pub fn requester(&self) -> Option<&str> {
        self.requester.as_deref()
    }

    pub fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }

    /// The clock the service reads the time from.
    pub fn clock(&self) -> Arc<dyn Clock> {
        self.clock.clone()
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    /// For the outbox, which shares the database (its own tables, its own transactions).
    pub fn store_mut(&mut self) -> &mut Store {
        &mut self.store
    }

    pub fn business_day(&self, at: DateTime<Utc>) -> NaiveDate {
        queue::business_day(at, self.config.time_zone(), self.config.rollover_time())
    }

    /// Runs `f` as one change of the queue: the database's write lock from the start, the
    /// tickets of past business days expired first (the first write of a new day rolls the old
    /// one over), everything committed durably or nothing at all.
    fn change<T>(&mut self, f: impl FnOnce(&Change) -> Result<T, OpError>) -> Result<T, OpError> {
        let now = self.clock.now();
        let day = self.business_day(now);
        let act = Act {
            at: now,
            staff: self.acting.as_deref(),
            terminal: self.requester.as_deref().unwrap_or(&self.config.terminal.id),
        };
        let (config, store) = (&self.config, &mut self.store);
        store.write(|tx| {
            expire_stale(tx, day, now, &config.terminal.id)?;
            f(&Change {
                tx,
                now,
                day,
                act,
                config,
            })
        })
    }

    /// Issues a ticket, with what the visitor's screening said when they took it from the result
    /// (only the contract's codes are accepted: nothing free-form reaches the database). When
    /// this returns, the ticket is committed to disk.
    pub fn issue(&mut self, request: &IssueRequest) -> Result<TicketView, OpError> {
        let IssueRequest {
            service,
            priority,
            lang,
            screening,
        } = request;
        let (service, priority, lang, screening) = (*service, *priority, *lang, screening.as_ref());
        if let Some(note) = screening {
            use crate::eligibility::{Matter, Outcome};
            if Outcome::parse(&note.outcome).is_none() {
                // Not echoed: only a code is ever kept, and what was sent instead may be personal.
                return Err(OpError::BadInput(format!(
                    "the screening outcome is not one of {}",
                    Outcome::known()
                )));
            }
            if Matter::parse(&note.matter).is_none() {
                return Err(OpError::BadInput(format!(
                    "the screening matter is not one of {}",
                    Matter::known()
                )));
            }
        }
        let svc = self
            .config
            .service(service)
            .ok_or_else(|| self.unknown_service(service))?;
        if priority.is_some() && !svc.priority_allowed {
            return Err(OpError::BadInput(format!(
                "service {service} does not take green-channel tickets; issue a normal ticket or choose another service"
            )));
        }
        self.change(|c| {
            let &Change {
                tx,
                now,
                day,
                act,
                config,
            } = c;
            let seq = tables::next_seq(tx, day, service)?;
            let ticket = Ticket {
                id: uuid::Uuid::now_v7().to_string(),
                business_day: day,
                number: DisplayNumber { service, seq },
                service,
                priority,
                language: lang.code().to_owned(),
                arrived_at: now,
                state: TicketState::Waiting,
                counter: None,
                called_at: None,
                recalls: 0,
                skipped_at: None,
                rejoined_at: None,
                finished_at: None,
            };
            tables::insert_ticket(tx, &ticket)?;
            if let Some(note) = screening {
                staff_tables::note_screening(tx, &ticket.id, &note.outcome, &note.matter)?;
            }
            record(
                tx,
                &ticket,
                act,
                Action::Issue,
                None,
                None,
                priority.map(|p| p.as_str().to_owned()),
            )?;
            view_with_wait(tx, config, &ticket)
        })
    }

    /// Calls the next visitor to a counter, completing the one it had.
    pub fn call_next(&mut self, counter: u32) -> Result<CallResult, OpError> {
        self.call(counter, None)
    }

    /// Calls a given number (waiting, or a no-show who came back) to a counter.
    pub fn call_number(&mut self, counter: u32, number: DisplayNumber) -> Result<CallResult, OpError> {
        self.call(counter, Some(number))
    }

    fn call(&mut self, counter: u32, number: Option<DisplayNumber>) -> Result<CallResult, OpError> {
        let services = self.counter_services(counter)?;
        let rule = FairnessRule {
            max_priority_streak: self.config.queue.max_priority_streak,
        };
        self.change(|c| {
            let &Change {
                tx,
                now,
                day,
                act,
                config,
            } = c;
            if tables::paused_counters(tx)?.contains(&counter) {
                return Err(OpError::Conflict(format!(
                    "counter {counter} is paused; resume it before calling"
                )));
            }
            let mut next = match number {
                Some(n) => Some(find_number(tx, day, n)?),
                None => {
                    let waiting = tables::call_candidates(tx, day, &services)?;
                    let candidates: Vec<Candidate> = waiting.iter().map(Ticket::candidate).collect();
                    let streak = tables::priority_streak(tx, day, rule.max_priority_streak.max(1))?;
                    queue::choose_next(&candidates, &services, rule, streak)
                        .and_then(|c| waiting.iter().find(|t| t.id == c.id).cloned())
                }
            };
            if let Some(t) = &next {
                // Fail before touching the current ticket if the requested one cannot be called.
                queue::next_state(&t.number.to_string(), t.state, Action::Call)?;
            }
            let completed = match tables::called_at_counter(tx, counter)? {
                Some(mut current) => {
                    finish(tx, &mut current, act, counter)?;
                    if next.as_ref().is_some_and(|n| n.id == current.id) {
                        next = None;
                    }
                    Some(view(config, &current))
                }
                None => None,
            };
            let called = match next {
                Some(mut t) => {
                    let from = t.state;
                    t.state = queue::next_state(&t.number.to_string(), from, Action::Call)?;
                    t.counter = Some(counter);
                    t.called_at = Some(now);
                    t.recalls = 0;
                    t.rejoined_at = None;
                    tables::update_ticket(tx, &t)?;
                    let how = if number.is_some() { "direct" } else { "next" };
                    record(
                        tx,
                        &t,
                        act,
                        Action::Call,
                        Some(from),
                        Some(counter),
                        Some(how.into()),
                    )?;
                    Some(view(config, &t))
                }
                None => None,
            };
            Ok(CallResult {
                counter,
                called,
                completed,
            })
        })
    }

    /// Calls the counter's current visitor again (counted).
    pub fn recall(&mut self, counter: u32) -> Result<TicketView, OpError> {
        self.counter_services(counter)?;
        self.with_current(counter, Action::Recall, |t, _| {
            t.recalls += 1;
            Some(format!("recall {}", t.recalls))
        })
    }

    /// The called visitor did not come: a no-show who may rejoin within the window.
    pub fn skip(&mut self, counter: u32) -> Result<TicketView, OpError> {
        self.counter_services(counter)?;
        self.with_current(counter, Action::Skip, |t, now| {
            t.skipped_at = Some(now);
            t.counter = None;
            None
        })
    }

    pub fn complete(&mut self, counter: u32) -> Result<TicketView, OpError> {
        self.counter_services(counter)?;
        self.with_current(counter, Action::Complete, |t, now| {
            t.finished_at = Some(now);
            None
        })
    }

    fn with_current(
        &mut self,
        counter: u32,
        action: Action,
        change: impl FnOnce(&mut Ticket, DateTime<Utc>) -> Option<String>,
    ) -> Result<TicketView, OpError> {
        self.change(|c| {
            let &Change {
                tx, now, act, config, ..
            } = c;
            let mut t = tables::called_at_counter(tx, counter)?.ok_or_else(|| {
                OpError::Conflict(format!("counter {counter} has no visitor called; call one first"))
            })?;
            let from = t.state;
            t.state = queue::next_state(&t.number.to_string(), from, action)?;
            let detail = change(&mut t, now);
            tables::update_ticket(tx, &t)?;
            record(tx, &t, act, action, Some(from), Some(counter), detail)?;
            Ok(view(config, &t))
        })
    }

    /// A no-show who comes back within the window goes right after the current call.
    pub fn rejoin(&mut self, number: DisplayNumber) -> Result<TicketView, OpError> {
        let window = self.config.queue.rejoin_window_minutes;
        self.change(|c| {
            let &Change {
                tx,
                now,
                day,
                act,
                config,
            } = c;
            let mut t = find_number(tx, day, number)?;
            let from = t.state;
            t.state = queue::next_state(&number.to_string(), from, Action::Rejoin)?;
            let skipped = t.skipped_at.unwrap_or(now);
            if now - skipped > Duration::minutes(i64::from(window)) {
                return Err(QueueError::RejoinWindowClosed {
                    number: number.to_string(),
                    window_minutes: window,
                }
                .into());
            }
            t.rejoined_at = Some(now);
            tables::update_ticket(tx, &t)?;
            record(tx, &t, act, Action::Rejoin, Some(from), None, None)?;
            view_with_wait(tx, config, &t)
        })
    }

    /// Moves a ticket to another service's queue; it keeps its number and its arrival time.
    pub fn transfer(&mut self, which: TicketRef, to: ServiceCode) -> Result<TicketView, OpError> {
        if self.config.service(to).is_none() {
            return Err(self.unknown_service(to));
        }
        if let TicketRef::AtCounter(c) = which {
            self.counter_services(c)?;
        }
        self.change(|c| {
            let &Change {
                tx, day, act, config, ..
            } = c;
            let mut t = match which {
                TicketRef::Number(n) => find_number(tx, day, n)?,
                TicketRef::AtCounter(c) => tables::called_at_counter(tx, c)?.ok_or_else(|| {
                    OpError::Conflict(format!("counter {c} has no visitor called; nothing to transfer"))
                })?,
            };
            if t.service == to {
                return Err(OpError::BadInput(format!(
                    "ticket {} is already in service {to}",
                    t.number
                )));
            }
            // By number, only a visitor nobody is serving: another counter's visitor is that
            // counter's to transfer (and the log would say that counter did it).
            if let (TicketRef::Number(_), TicketState::Called, Some(at)) = (which, t.state, t.counter) {
                return Err(OpError::Conflict(format!(
                    "ticket {} is being served at counter {at}; only counter {at} can transfer it",
                    t.number
                )));
            }
            let from = t.state;
            let from_counter = t.counter;
            t.state = queue::next_state(&t.number.to_string(), from, Action::Transfer)?;
            let mut detail = format!("{} -> {to}", t.service);
            // The green channel is the target service's to offer: a service without it does not
            // inherit a priority from the one the visitor came from.
            let priority_allowed = config.service(to).is_some_and(|s| s.priority_allowed);
            if t.priority.is_some() && !priority_allowed {
                t.priority = None;
                detail.push_str(" (no green channel there)");
            }
            t.service = to;
            t.counter = None;
            t.called_at = None;
            t.recalls = 0;
            t.rejoined_at = None;
            tables::update_ticket(tx, &t)?;
            record(
                tx,
                &t,
                act,
                Action::Transfer,
                Some(from),
                from_counter,
                Some(detail),
            )?;
            view_with_wait(tx, config, &t)
        })
    }

    pub fn set_paused(&mut self, counter: u32, paused: bool) -> Result<CounterStatus, OpError> {
        let services = self.counter_services(counter)?;
        let now = self.clock.now();
        let (config, store) = (&self.config, &mut self.store);
        store.write(|tx| {
            tables::set_counter_paused(tx, counter, paused, now)?;
            let current = tables::called_at_counter(tx, counter)?.map(|t| view(config, &t));
            Ok(CounterStatus {
                id: counter,
                name: counter_name(config, counter),
                paused,
                services,
                current,
            })
        })
    }

    /// Expires what earlier business days left open. Returns how many tickets expired.
    pub fn roll_over(&mut self) -> Result<usize, OpError> {
        let now = self.clock.now();
        let day = self.business_day(now);
        let host = &self.config.terminal.id;
        self.store.write(|tx| expire_stale(tx, day, now, host))
    }

    /// The whole state of today's queue, every ticket with its place and wait. A read: it takes
    /// no write lock, so readers never queue behind the kiosks issuing tickets. (Earlier days'
    /// open tickets are not today's, so they need not be expired first: the rollover job and
    /// every write do that.)
    pub fn status(&mut self) -> Result<HallStatus, OpError> {
        let now = self.clock.now();
        let day = self.business_day(now);
        let (config, store) = (&self.config, &mut self.store);
        store.read(|tx| {
            let hall = Overview::load(tx, config, day)?;
            let mut views = Vec::with_capacity(hall.tickets.len());
            for t in &hall.tickets {
                let mut v = view(config, t);
                if t.state == TicketState::Waiting {
                    let ahead = queue::people_ahead(&t.candidate(), &hall.waiting);
                    v.people_ahead = Some(ahead);
                    v.estimated_wait_minutes = hall.estimators.get(&t.service).and_then(|e| e.minutes(ahead));
                }
                views.push(v);
            }
            Ok(HallStatus {
                business_day: day,
                now,
                services: hall.services(config),
                counters: hall.counters(config),
                tickets: views,
            })
        })
    }

    /// What screens show: services, counters and the latest calls, without the day's tickets.
    /// A read, like `status`; `cursor` is read in the same transaction, so following the events
    /// from it misses nothing that the summary does not show.
    pub fn summary(&mut self) -> Result<HallSummary, OpError> {
        let now = self.clock.now();
        let day = self.business_day(now);
        let (config, store) = (&self.config, &mut self.store);
        store.read(|tx| {
            let hall = Overview::load(tx, config, day)?;
            let recent = tables::recently_called(tx, day, HallSummary::RECENT_CALLS)?;
            Ok(HallSummary {
                business_day: day,
                now,
                services: hall.services(config),
                counters: hall.counters(config),
                recent_calls: recent.iter().map(|t| view(config, t)).collect(),
                cursor: tables::last_event(tx)?,
            })
        })
    }

    /// The queue's events after `cursor`, oldest first, at most `limit`.
    pub fn events_after(&mut self, cursor: u64, limit: usize) -> Result<kiosk_contract::EventPage, OpError> {
        let (zone, rollover) = (self.config.time_zone(), self.config.rollover_time());
        let day_of = |at| queue::business_day(at, zone, rollover);
        let events = self
            .store
            .read(|tx| tables::events_after(tx, cursor, limit.saturating_add(1), day_of))?;
        Ok(page_of(events, cursor, limit))
    }

    /// Statistics of a business day (default: today), from its recorded transitions.
    pub fn daily_stats(&mut self, day: Option<NaiveDate>) -> Result<queue::stats::DailyStats, OpError> {
        let day = day.unwrap_or_else(|| self.business_day(self.clock.now()));
        let (transitions, rated) = self.store.read(|tx| {
            Ok::<_, kiosk_store::SqlError>((
                tables::transitions_of_day(tx, day)?,
                staff_tables::ratings_of_day(tx, day)?,
            ))
        })?;
        // A rating whose level or service no longer reads is left out, not guessed.
        let ratings: Vec<queue::stats::RatedVisit> = rated
            .into_iter()
            .filter_map(|(counter, service, level)| {
                Some(queue::stats::RatedVisit {
                    counter,
                    service: service.parse().ok()?,
                    level: RatingLevel::from_number(level)?,
                })
            })
            .collect();
        Ok(queue::stats::daily_stats(day, &transitions, &ratings))
    }

    /// Keeps a visitor's rating of a ticket completed today, once. The counter, service and
    /// staff number are those that completed it.
    pub fn rate(
        &mut self,
        number: DisplayNumber,
        rating: &Rating,
        rater: Rater,
    ) -> Result<RatingView, OpError> {
        let now = self.clock.now();
        let day = self.business_day(now);
        self.store.write(|tx| {
            let t = find_number(tx, day, number)?;
            if t.state != TicketState::Completed {
                return Err(OpError::Conflict(format!(
                    "ticket {number} is {}; only a completed visit can be rated",
                    t.state.as_str()
                )));
            }
            let (counter, staff) = staff_tables::completed_by(tx, &t.id)?.unwrap_or((t.counter, None));
            if let Rater::Screen { counters, .. } = rater
                && !counter.is_some_and(|c| counters.contains(&c))
            {
                return Err(OpError::Conflict(format!(
                    "ticket {number} was served at counter {}; this rating screen takes the ratings \
                     of counter(s) {} only",
                    counter.map_or("-".to_owned(), |c| c.to_string()),
                    counters.iter().map(u32::to_string).collect::<Vec<_>>().join(",")
                )));
            }
            let entered_by = match rater {
                Rater::Screen { terminal, .. } => terminal,
                Rater::PaperForm => crate::staff::THIS_HOST,
            };
            let reasons: Vec<String> = rating.reasons().iter().map(|r| r.as_str().to_owned()).collect();
            let kept = staff_tables::insert_rating(
                tx,
                &staff_tables::RatingRow {
                    ticket_id: &t.id,
                    business_day: day,
                    at: now,
                    counter,
                    service: &t.service.to_string(),
                    staff_id: staff.as_deref(),
                    level: rating.level().number(),
                    reasons: &reasons.join(","),
                    entered_by,
                },
            )?;
            if !kept {
                return Err(OpError::Conflict(format!(
                    "ticket {number} has been rated already"
                )));
            }
            Ok(RatingView {
                number: number.to_string(),
                level: rating.level().number(),
                reasons,
                counter,
                entered_by: entered_by.to_owned(),
            })
        })
    }

    /// What a counter's console shows: its state, the next tickets it would call in calling
    /// order, its services' queues, the no-shows who may still rejoin, and its day so far.
    pub fn counter_view(&mut self, counter: u32) -> Result<CounterView, OpError> {
        let services = self.counter_services(counter)?;
        let now = self.clock.now();
        let day = self.business_day(now);
        let rule = FairnessRule {
            max_priority_streak: self.config.queue.max_priority_streak,
        };
        let window = Duration::minutes(i64::from(self.config.queue.rejoin_window_minutes));
        let (config, store) = (&self.config, &mut self.store);
        store.read(|tx| {
            let hall = Overview::load(tx, config, day)?;
            let streak = tables::priority_streak(tx, day, rule.max_priority_streak.max(1))?;
            let by_id: std::collections::HashMap<&str, &Ticket> =
                hall.tickets.iter().map(|t| (t.id.as_str(), t)).collect();
            let next = queue::calling_order(&hall.waiting, &services, rule, streak, CounterView::NEXT)
                .into_iter()
                .filter_map(|c| by_id.get(c.id.as_str()).map(|t| view(config, t)))
                .collect();
            let mine = |t: &&Ticket| services.contains(&t.service);
            let waits = services
                .iter()
                .map(|code| {
                    let waiting: Vec<&Ticket> = hall
                        .tickets
                        .iter()
                        .filter(|t| t.service == *code && t.state == TicketState::Waiting)
                        .collect();
                    let longest =
                        waiting.iter().map(|t| t.arrived_at).min().map(|first| {
                            u32::try_from((now - first).num_minutes().max(0)).unwrap_or(u32::MAX)
                        });
                    ServiceWait {
                        code: *code,
                        name: config
                            .service(*code)
                            .map(|s| s.name.zh.clone())
                            .unwrap_or_default(),
                        waiting: waiting.len(),
                        priority_waiting: waiting.iter().filter(|t| t.priority.is_some()).count(),
                        longest_wait_minutes: longest,
                    }
                })
                .collect();
            let mut rejoinable: Vec<&Ticket> = hall
                .tickets
                .iter()
                .filter(mine)
                .filter(|t| {
                    t.state == TicketState::NoShow && t.skipped_at.is_some_and(|at| now - at <= window)
                })
                .collect();
            rejoinable.sort_by_key(|t| std::cmp::Reverse(t.skipped_at));
            let served: Vec<i64> = hall
                .tickets
                .iter()
                .filter(|t| t.state == TicketState::Completed && t.counter == Some(counter))
                .filter_map(|t| Some((t.finished_at? - t.called_at?).num_seconds().max(0)))
                .collect();
            let average = (!served.is_empty())
                .then(|| (served.iter().sum::<i64>() as f64 / served.len() as f64 / 6.0).round() / 10.0);
            let status = hall
                .counters(config)
                .into_iter()
                .find(|c| c.id == counter)
                .ok_or_else(|| OpError::BadInput(format!("there is no counter {counter}")))?;
            let current_screening = match &status.current {
                Some(t) => staff_tables::screening_of(tx, &t.id)?
                    .map(|(outcome, matter)| ScreeningNote { outcome, matter }),
                None => None,
            };
            Ok(CounterView {
                business_day: day,
                now,
                counter: status,
                current_screening,
                staff: staff_tables::signed_in_at(tx, counter)?,
                next,
                services: waits,
                rejoinable: rejoinable.into_iter().map(|t| view(config, t)).collect(),
                served_today: u32::try_from(served.len()).unwrap_or(u32::MAX),
                average_service_minutes: average,
                printers_needing_attention: kiosk_store::device_events::needing_attention(
                    tx,
                    kiosk_store::device_events::PRINTER,
                )?,
                agency_undeliverable: kiosk_store::outbox_tables::counts(tx)?.dead,
            })
        })
    }

    /// Whether a counter has a visitor called now (a staff member serving one is not idle).
    pub fn counter_has_visitor(conn: &Connection, counter: u32) -> kiosk_store::SqlResult<bool> {
        Ok(tables::called_at_counter(conn, counter)?.is_some())
    }

    /// A ticket of today by its number, with its place in the queue when waiting.
    pub fn ticket(&mut self, number: DisplayNumber) -> Result<TicketView, OpError> {
        let now = self.clock.now();
        let day = self.business_day(now);
        let config = &self.config;
        self.store.read(|tx| {
            let t = find_number(tx, day, number)?;
            view_with_wait(tx, config, &t)
        })
    }

    /// Any ticket by its id (for reprints), with its place in the queue when waiting.
    pub fn ticket_by_id(&mut self, id: &str) -> Result<TicketView, OpError> {
        let config = &self.config;
        self.store.read(|tx| {
            let t = tables::ticket_by_id(tx, id)?
                .ok_or_else(|| OpError::BadInput(format!("there is no ticket with id {id}")))?;
            view_with_wait(tx, config, &t)
        })
    }

    fn counter_services(&self, counter: u32) -> Result<Vec<ServiceCode>, OpError> {
        self.config
            .counter(counter)
            .map(|c| c.services.clone())
            .ok_or_else(|| {
                let known: Vec<String> = self.config.counters.iter().map(|c| c.id.to_string()).collect();
                OpError::BadInput(format!(
                    "there is no counter {counter}; this hall has counters {}",
                    known.join(", ")
                ))
            })
    }

    fn unknown_service(&self, code: ServiceCode) -> OpError {
        let known: Vec<String> = self.config.services.iter().map(|s| s.code.to_string()).collect();
        OpError::BadInput(format!(
            "there is no service {code}; this hall offers {}",
            known.join(", ")
        ))
    }
}

fn find_number(tx: &Connection, day: NaiveDate, number: DisplayNumber) -> Result<Ticket, OpError> {
    tables::ticket_by_number(tx, day, number)?
        .ok_or_else(|| OpError::BadInput(format!("there is no ticket {number} today ({day})")))
}

/// Who keeps a visitor's rating: the rating screen facing the visitor, for the visits completed
/// at its own counters, or the hall host, entering a paper form for any counter.
#[derive(Debug, Clone, Copy)]
pub enum Rater<'a> {
    Screen { terminal: &'a str, counters: &'a [u32] },
    PaperForm,
}

/// What a change of the queue works with inside its transaction.
struct Change<'a> {
    tx: &'a Connection,
    now: DateTime<Utc>,
    day: NaiveDate,
    act: Act<'a>,
    config: &'a Config,
}

/// When a change happens and who made it: the terminal that asked, and the staff member signed
/// in at the counter, or nobody (a visitor at the kiosk, the CLI, the rollover).
#[derive(Debug, Clone, Copy)]
struct Act<'a> {
    at: DateTime<Utc>,
    staff: Option<&'a str>,
    terminal: &'a str,
}

fn record(
    tx: &Connection,
    ticket: &Ticket,
    act: Act,
    event: Action,
    from: Option<TicketState>,
    counter: Option<u32>,
    detail: Option<String>,
) -> kiosk_store::SqlResult<()> {
    tables::record_transition(
        tx,
        &TransitionRecord {
            ticket,
            at: act.at,
            event,
            from,
            counter,
            detail,
            staff: act.staff,
            terminal: act.terminal,
        },
    )
}

fn finish(tx: &Connection, t: &mut Ticket, act: Act, counter: u32) -> Result<(), OpError> {
    let from = t.state;
    t.state = queue::next_state(&t.number.to_string(), from, Action::Complete)?;
    t.finished_at = Some(act.at);
    tables::update_ticket(tx, t)?;
    record(
        tx,
        t,
        act,
        Action::Complete,
        Some(from),
        Some(counter),
        Some("by next call".into()),
    )?;
    Ok(())
}

/// Expires the tickets of past business days; the host (`host`) does it, whoever's change came
/// first on the new day.
fn expire_stale(tx: &Connection, today: NaiveDate, now: DateTime<Utc>, host: &str) -> Result<usize, OpError> {
    let stale = tables::open_tickets_before(tx, today)?;
    for mut t in stale.iter().cloned() {
        let from = t.state;
        t.state = queue::next_state(&t.number.to_string(), from, Action::Expire)?;
        t.finished_at = Some(now);
        tables::update_ticket(tx, &t)?;
        let act = Act {
            at: now,
            staff: None,
            terminal: host,
        };
        record(tx, &t, act, Action::Expire, Some(from), t.counter, None)?;
    }
    if !stale.is_empty() {
        tracing::info!(expired = stale.len(), %today, "business day rolled over");
    }
    Ok(stale.len())
}

fn counter_name(config: &Config, id: u32) -> String {
    config.counter(id).map(|c| c.name.zh.clone()).unwrap_or_default()
}

fn view(config: &Config, t: &Ticket) -> TicketView {
    let lang = t.language.parse().unwrap_or_default();
    TicketView {
        id: t.id.clone(),
        number: t.number.to_string(),
        service: t.service,
        service_name: config
            .service(t.service)
            .map(|s| s.name.get(lang).to_owned())
            .unwrap_or_default(),
        priority: t.priority,
        state: t.state,
        language: t.language.clone(),
        business_day: t.business_day,
        issued_at: t.arrived_at,
        counter: t.counter,
        called_at: t.called_at,
        recalls: t.recalls,
        people_ahead: None,
        estimated_wait_minutes: None,
    }
}

fn view_with_wait(tx: &Connection, config: &Config, t: &Ticket) -> Result<TicketView, OpError> {
    let mut v = view(config, t);
    if t.state == TicketState::Waiting {
        let waiting: Vec<Candidate> = tables::waiting_in_service(tx, t.business_day, t.service)?
            .iter()
            .map(Ticket::candidate)
            .collect();
        let ahead = queue::people_ahead(&t.candidate(), &waiting);
        let paused = tables::paused_counters(tx)?;
        v.people_ahead = Some(ahead);
        v.estimated_wait_minutes = Estimator::load(tx, config, t.service, &paused)?.minutes(ahead);
    }
    Ok(v)
}

/// One business day's tickets and per-service estimates, read once for `status` and `summary`.
struct Overview {
    tickets: Vec<Ticket>,
    waiting: Vec<Candidate>,
    paused: std::collections::HashSet<u32>,
    estimators: std::collections::HashMap<ServiceCode, Estimator>,
}

impl Overview {
    fn load(tx: &Connection, config: &Config, day: NaiveDate) -> Result<Self, OpError> {
        let tickets = tables::tickets_of_day(tx, day)?;
        let paused = tables::paused_counters(tx)?;
        // One estimate per service, loaded once (not once per waiting ticket).
        let mut codes: Vec<ServiceCode> = config.services.iter().map(|s| s.code).collect();
        codes.extend(tickets.iter().map(|t| t.service));
        codes.sort();
        codes.dedup();
        let estimators = codes
            .into_iter()
            .map(|code| Ok((code, Estimator::load(tx, config, code, &paused)?)))
            .collect::<kiosk_store::SqlResult<_>>()?;
        let waiting = tickets
            .iter()
            .filter(|t| t.state == TicketState::Waiting)
            .map(Ticket::candidate)
            .collect();
        Ok(Self {
            tickets,
            waiting,
            paused,
            estimators,
        })
    }

    fn services(&self, config: &Config) -> Vec<ServiceStatus> {
        let mut services = Vec::new();
        for s in &config.services {
            let Some(est) = self.estimators.get(&s.code) else {
                continue;
            };
            let of = |state| {
                self.tickets
                    .iter()
                    .filter(move |t| t.service == s.code && t.state == state)
            };
            services.push(ServiceStatus {
                code: s.code,
                name: s.name.zh.clone(),
                waiting: of(TicketState::Waiting).count(),
                priority_waiting: of(TicketState::Waiting).filter(|t| t.priority.is_some()).count(),
                no_show: of(TicketState::NoShow).count(),
                open_counters: est.open_counters,
                typical_service_minutes: est.typical_seconds.div_ceil(60),
                estimated_wait_minutes: est.minutes(of(TicketState::Waiting).count()),
            });
        }
        services
    }

    fn counters(&self, config: &Config) -> Vec<CounterStatus> {
        config
            .counters
            .iter()
            .map(|c| CounterStatus {
                id: c.id,
                name: c.name.zh.clone(),
                paused: self.paused.contains(&c.id),
                services: c.services.clone(),
                current: self
                    .tickets
                    .iter()
                    .find(|t| t.state == TicketState::Called && t.counter == Some(c.id))
                    .map(|t| view(config, t)),
            })
            .collect()
    }
}

/// A page of at most `limit` events from `limit + 1` read, so `more` is known without a count.
fn page_of(
    mut events: Vec<kiosk_contract::HallEvent>,
    cursor: u64,
    limit: usize,
) -> kiosk_contract::EventPage {
    let more = events.len() > limit;
    events.truncate(limit);
    let cursor = events.last().map_or(cursor, |e| e.seq);
    kiosk_contract::EventPage { events, cursor, more }
}

/// What the wait estimate of one service is built from.
struct Estimator {
    typical_seconds: u32,
    open_counters: usize,
}

impl Estimator {
    fn load(
        tx: &Connection,
        config: &Config,
        service: ServiceCode,
        paused: &std::collections::HashSet<u32>,
    ) -> kiosk_store::SqlResult<Self> {
        let default_seconds = config
            .service(service)
            .map_or(600, |s| s.default_service_minutes * 60);
        let samples = tables::recent_service_seconds(tx, service, config.queue.service_time_samples)?;
        let open_counters = config
            .counters
            .iter()
            .filter(|c| !paused.contains(&c.id) && c.services.contains(&service))
            .count();
        Ok(Self {
            typical_seconds: queue::typical_service_seconds(&samples, default_seconds),
            open_counters,
        })
    }

    fn minutes(&self, ahead: usize) -> Option<u32> {
        queue::estimate_wait_minutes(ahead, self.typical_seconds, self.open_counters)
    }
}
