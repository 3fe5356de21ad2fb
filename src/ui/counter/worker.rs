//! The counter console's worker thread: it owns the `HallQueue` (the hall API, or the database on
//! the hall host), carries out one job at a time and reads the counter's view after it. Nothing
//! here touches the window.

use crate::queue::{DisplayNumber, ServiceCode};
use kiosk_contract::{CounterView, HallError, HallQueue, SignedIn, TicketRef, TicketView};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::time::Duration;

/// A change the console asks the hall for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Op {
    CallNext,
    Recall,
    Skip,
    Complete,
    Transfer(ServiceCode),
    Pause(bool),
    CallNumber(DisplayNumber),
    Rejoin(DisplayNumber),
}

pub(super) enum Job {
    SignIn {
        staff: String,
        pin: String,
    },
    SignOut,
    Do(Op),
    /// Something happened in the hall: read the view again now.
    Refresh,
}

pub(super) enum Reply {
    SignedIn(Result<SignedIn, HallError>),
    /// An operation's outcome with the counter's view read after it, so the keys are free again
    /// only once they know the new state.
    Done(
        Op,
        Result<Option<String>, HallError>,
        Box<Result<CounterView, HallError>>,
    ),
    View(Box<Result<CounterView, HallError>>),
}

/// Carries out one operation; the ticket number it concerns, if any.
pub(super) fn carry_out(q: &mut dyn HallQueue, counter: u32, op: &Op) -> Result<Option<String>, HallError> {
    let number = |t: TicketView| Some(t.number);
    match op {
        Op::CallNext => q.call_next(counter).map(|r| r.called.and_then(number)),
        Op::CallNumber(n) => q.call_number(counter, *n).map(|r| r.called.and_then(number)),
        Op::Recall => q.recall(counter).map(number),
        Op::Skip => q.skip(counter).map(number),
        Op::Complete => q.complete(counter).map(number),
        Op::Transfer(to) => q.transfer(TicketRef::AtCounter(counter), *to).map(number),
        Op::Pause(paused) => q.set_paused(counter, *paused).map(|_| None),
        Op::Rejoin(n) => q.rejoin(*n).map(number),
    }
}

/// The worker: one job at a time, then a fresh view; a fresh view when the hall feed tells of a
/// change, and every `refresh_every` when signed in and nothing is asked.
pub(super) fn work(
    mut queue: Box<dyn HallQueue>,
    counter: u32,
    jobs: mpsc::Receiver<Job>,
    refresh_asked: &AtomicBool,
    refresh_every: Duration,
    post: impl Fn(Reply),
) {
    let mut signed_in = false;
    loop {
        match jobs.recv_timeout(refresh_every) {
            Ok(Job::SignIn { staff, pin }) => {
                let result = queue.sign_in(counter, &staff, &pin);
                signed_in = result.is_ok();
                post(Reply::SignedIn(result));
            }
            Ok(Job::SignOut) => {
                if let Err(e) = queue.sign_out() {
                    tracing::warn!(error = %e, "sign-out not recorded at the hall host");
                }
                signed_in = false;
                continue;
            }
            Ok(Job::Refresh) => refresh_asked.store(false, Ordering::SeqCst),
            Ok(Job::Do(op)) => {
                let result = carry_out(queue.as_mut(), counter, &op);
                if let Err(e) = &result {
                    tracing::info!(?op, kind = e.kind.as_str(), "counter operation not done");
                }
                let view = Box::new(queue.counter_view(counter));
                post(Reply::Done(op, result, view));
                continue;
            }
            Err(mpsc::RecvTimeoutError::Timeout) => {}
            Err(mpsc::RecvTimeoutError::Disconnected) => {
                let _ = queue.sign_out();
                return;
            }
        }
        if signed_in {
            post(Reply::View(Box::new(queue.counter_view(counter))));
        }
    }
}
