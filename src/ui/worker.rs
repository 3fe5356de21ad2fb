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

/// Opens the queue on the worker's thread.
pub type OpenQueue = Box<dyn FnMut() -> Result<Box<dyn HallQueue>, HallError> + Send>;

/// The queue the worker serves: opened already, or opened by the worker before its first job, so
/// that what opening takes (creating a new database at a kiosk's first start) is not on the
/// window's path. A job that arrives meanwhile waits for it; a ticket is still issued only from a
/// committed database. An opening that fails answers the job "unavailable" and is tried again
/// at the next one.
pub enum QueueSource {
    Open(Box<dyn HallQueue>),
    ToOpen(OpenQueue),
}

impl QueueSource {
    fn get(&mut self) -> Result<&mut dyn HallQueue, HallError> {
        if let Self::ToOpen(open) = self {
            let queue = open().inspect_err(|e| {
                tracing::error!(error = %e.message, "the queue cannot be opened; trying again at the next request");
            })?;
            *self = Self::Open(queue);
        }
        match self {
            Self::Open(queue) => Ok(queue.as_mut()),
            Self::ToOpen(_) => Err(HallError::unavailable("the queue is not open")),
        }
    }
}

impl QueueWorker {
    /// Starts the thread. It ends when the worker (the sender) is dropped.
    pub fn spawn(mut queue: QueueSource, on_reply: impl Fn(Reply) + Send + 'static) -> std::io::Result<Self> {
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
                    Job::Issue(request) => Some(Reply::Issued(queue.get().and_then(|q| q.issue(&request)))),
                    Job::Snapshot => Some(Reply::Snapshot(queue.get().and_then(|q| q.summary()))),
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

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;
    use std::time::Duration;

    /// A kiosk whose database cannot be made (its folder's place is taken by a file) says the
    /// queue is unavailable instead of stopping, and serves once the place is free.
    #[test]
    fn a_queue_that_cannot_be_opened_answers_unavailable_and_is_tried_again() {
        let dir = tempfile::tempdir().unwrap();
        let in_the_way = dir.path().join("data");
        std::fs::write(&in_the_way, "a file where the data folder's parent should be").unwrap();
        let data_dir = in_the_way.join("kiosk");
        let config = Arc::new(crate::config::Config::default());
        let clock: Arc<dyn crate::clock::Clock> = Arc::new(crate::clock::SystemClock);
        let open = move || {
            crate::hall_queue::open_local_in(&data_dir, config.clone(), clock.clone())
                .map_err(HallError::unavailable)
        };
        let (replies, replied) = mpsc::channel();
        let worker = QueueWorker::spawn(QueueSource::ToOpen(Box::new(open)), move |reply| {
            let _ = replies.send(reply);
        })
        .unwrap();
        let next = || replied.recv_timeout(Duration::from_secs(30)).unwrap();

        worker.send(Job::Snapshot);
        let Reply::Snapshot(Err(e)) = next() else {
            panic!("a snapshot from no database")
        };
        assert_eq!(e.kind, kiosk_contract::ErrorKind::Unavailable);

        std::fs::remove_file(&in_the_way).unwrap();
        let a = "A".parse().unwrap();
        worker.send(Job::Issue(IssueRequest::new(a, None, crate::lang::Lang::ZhCn)));
        let Reply::Issued(Ok(ticket)) = next() else {
            panic!("no ticket once the folder could be made")
        };
        assert_eq!(ticket.number, "A001");
    }
}
