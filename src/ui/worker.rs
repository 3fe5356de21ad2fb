//! The queue runs on its own thread: SQLite commits with fsync and must never stall the screen.
//! The UI sends jobs; replies come back through a callback that the UI routes to its event loop.

use crate::lang::Lang;
use crate::queue::{PriorityReason, ServiceCode};
use crate::queue_service::{HallStatus, QueueService, TicketView};
use std::sync::mpsc;

pub enum Job {
    Issue {
        service: ServiceCode,
        priority: Option<PriorityReason>,
        lang: Lang,
    },
    Snapshot,
    /// A snapshot only if another connection committed since the last look (a call, most often).
    SnapshotIfChanged,
}

pub enum Reply {
    Issued(Result<TicketView, String>),
    Snapshot(Result<HallStatus, String>),
}

pub struct QueueWorker {
    jobs: mpsc::Sender<Job>,
}

impl QueueWorker {
    /// Starts the thread. It ends when the worker (the sender) is dropped.
    pub fn spawn(
        mut queue: QueueService,
        on_reply: impl Fn(Reply) + Send + 'static,
    ) -> std::io::Result<Self> {
        let (jobs, inbox) = mpsc::channel::<Job>();
        std::thread::Builder::new().name("queue".into()).spawn(move || {
            let mut seen_version = None;
            for job in inbox {
                let issuing = matches!(job, Job::Issue { .. });
                let handled = crate::supervise::guarded("queue", "queue job", || match job {
                    Job::SnapshotIfChanged => {
                        let version = queue.store().data_version().ok();
                        if version.is_some() && version == seen_version {
                            return None;
                        }
                        seen_version = version;
                        Some(Reply::Snapshot(queue.status().map_err(|e| e.to_string())))
                    }
                    Job::Issue {
                        service,
                        priority,
                        lang,
                    } => Some(Reply::Issued(
                        queue.issue(service, priority, lang).map_err(|e| e.to_string()),
                    )),
                    Job::Snapshot => Some(Reply::Snapshot(queue.status().map_err(|e| e.to_string()))),
                });
                match handled {
                    Some(Some(reply)) => on_reply(reply),
                    Some(None) => {}
                    // The screen waits for its ticket: tell it, rather than leave it spinning.
                    None if issuing => {
                        on_reply(Reply::Issued(Err("internal error in the queue thread".into())))
                    }
                    None => {}
                }
            }
        })?;
        Ok(Self { jobs })
    }

    pub fn send(&self, job: Job) {
        if self.jobs.send(job).is_err() {
            tracing::error!("the queue thread has stopped; the request was not handled");
        }
    }
}
