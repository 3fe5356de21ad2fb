//! The queue runs on its own thread: a request may commit with fsync (or, on a terminal that is
//! not the hall host, cross the network) and must never stall the screen. The UI sends jobs;
//! replies come back through a callback that the UI routes to its event loop.

use kiosk_contract::IssueRequest;
use kiosk_contract::{HallError, HallQueue, HallSummary, TicketView};
use std::sync::mpsc;

pub enum Job {
    /// A ticket (with what the screening said, when it is taken from the result).
    Issue(IssueRequest),
    /// The hall's figures again (asked by the hall feed when something happened, and on a
    /// slow timer).
    Snapshot,
}

pub enum Reply {
    Issued(Result<TicketView, HallError>),
    Snapshot(Result<HallSummary, HallError>),
}

pub struct QueueWorker {
    jobs: mpsc::Sender<Job>,
}

impl QueueWorker {
    /// Starts the thread. It ends when the worker (the sender) is dropped.
    pub fn spawn(
        mut queue: Box<dyn HallQueue>,
        on_reply: impl Fn(Reply) + Send + 'static,
    ) -> std::io::Result<Self> {
        let (jobs, inbox) = mpsc::channel::<Job>();
        std::thread::Builder::new().name("queue".into()).spawn(move || {
            let mut waiting = std::collections::VecDeque::new();
            while let Some(job) = waiting.pop_front().or_else(|| inbox.recv().ok()) {
                // A slow hall host must not let refreshes pile up before a visitor's ticket:
                // tickets first, then one refresh for all the refreshes asked for meanwhile.
                let job = match job {
                    Job::Issue(_) => job,
                    refresh => coalesce(refresh, &inbox, &mut waiting),
                };
                let issuing = matches!(job, Job::Issue(_));
                let handled = crate::supervise::guarded("queue", "queue job", || match job {
                    Job::Issue(request) => Some(Reply::Issued(queue.issue(&request))),
                    Job::Snapshot => Some(Reply::Snapshot(queue.summary())),
                });
                match handled {
                    Some(Some(reply)) => on_reply(reply),
                    Some(None) => {}
                    // The screen waits for its ticket: tell it, rather than leave it spinning.
                    None if issuing => on_reply(Reply::Issued(Err(HallError::unavailable(
                        "internal error in the queue thread",
                    )))),
                    None => {}
                }
            }
        })?;
        Ok(Self { jobs })
    }

    /// Where jobs go, for a thread of the kiosk's own (the hall feed's follower).
    pub fn sender(&self) -> mpsc::Sender<Job> {
        self.jobs.clone()
    }

    pub fn send(&self, job: Job) {
        if self.jobs.send(job).is_err() {
            tracing::error!("the queue thread has stopped; the request was not handled");
        }
    }
}

/// One refresh for `first` and every refresh already waiting in `inbox`; tickets found on the
/// way are kept in `waiting`, ahead of the refresh.
fn coalesce(first: Job, inbox: &mpsc::Receiver<Job>, waiting: &mut std::collections::VecDeque<Job>) -> Job {
    let tickets: Vec<Job> = inbox
        .try_iter()
        .filter(|job| matches!(job, Job::Issue(_)))
        .collect();
    if tickets.is_empty() {
        return first;
    }
    // Tickets first; the refresh after them.
    waiting.extend(tickets);
    waiting.push_back(first);
    waiting.pop_front().unwrap_or(Job::Snapshot)
}
