//! The connections the API reads through: a few, opened at start, each lent to one request at a
//! time. Reads then run side by side (SQLite's WAL lets them), so a screen's refresh, a phone's
//! status page and a scrape do not queue behind one another; none of them waits for a write.

use crate::hall_queue::LocalQueue;
use std::sync::{Condvar, Mutex};

/// How many reads run at once (the host has a few cores; more would only wait on the disk).
pub(super) const READERS: usize = 4;

pub(super) struct ReadPool {
    idle: Mutex<Vec<LocalQueue>>,
    returned: Condvar,
}

/// A connection lent to one read; it goes back to the pool when dropped.
pub(super) struct Lease<'a> {
    pool: &'a ReadPool,
    queue: Option<LocalQueue>,
}

impl ReadPool {
    pub(super) fn new(queues: Vec<LocalQueue>) -> Self {
        Self {
            idle: Mutex::new(queues),
            returned: Condvar::new(),
        }
    }

    /// A connection for one read, waiting for one to come back when all are lent.
    pub(super) fn take(&self) -> Lease<'_> {
        let mut idle = super::lock(&self.idle);
        loop {
            if let Some(queue) = idle.pop() {
                return Lease {
                    pool: self,
                    queue: Some(queue),
                };
            }
            idle = self
                .returned
                .wait(idle)
                .unwrap_or_else(std::sync::PoisonError::into_inner);
        }
    }
}

impl std::ops::Deref for Lease<'_> {
    type Target = LocalQueue;
    fn deref(&self) -> &LocalQueue {
        self.queue
            .as_ref()
            .expect("a lease holds its connection until dropped")
    }
}

impl std::ops::DerefMut for Lease<'_> {
    fn deref_mut(&mut self) -> &mut LocalQueue {
        self.queue
            .as_mut()
            .expect("a lease holds its connection until dropped")
    }
}

impl Drop for Lease<'_> {
    fn drop(&mut self) {
        if let Some(queue) = self.queue.take() {
            super::lock(&self.pool.idle).push(queue);
            self.pool.returned.notify_one();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    fn pool_of(n: usize) -> (tempfile::TempDir, ReadPool) {
        let dir = tempfile::tempdir().unwrap();
        let queues = (0..n)
            .map(|_| {
                let store = kiosk_store::Store::open_in(dir.path()).unwrap();
                let config = Arc::new(crate::config::Config::default());
                let clock = Arc::new(crate::clock::SystemClock);
                LocalQueue::new(crate::queue_service::QueueService::new(store, config, clock).unwrap())
            })
            .collect();
        (dir, ReadPool::new(queues))
    }

    #[test]
    fn reads_run_side_by_side_and_wait_only_when_every_connection_is_lent() {
        use kiosk_contract::HallQueue;
        let (_dir, pool) = pool_of(2);
        let mut first = pool.take();
        let mut second = pool.take();
        assert!(
            first.summary().is_ok() && second.summary().is_ok(),
            "two reads at once"
        );
        std::thread::scope(|s| {
            let third = s.spawn(|| pool.take().summary().is_ok());
            drop(first);
            assert!(
                third.join().unwrap(),
                "the third read got the connection given back"
            );
        });
        drop(second);
        assert_eq!(
            super::super::lock(&pool.idle).len(),
            2,
            "every connection is back"
        );
    }
}
