//! A hall feed followed on a thread of its own, for the windows and services that react to what
//! happens in the hall. It knows nothing of where the feed comes from (`hall::feed` does).

use kiosk_contract::{FeedItem, HallFeed};
use std::ops::ControlFlow;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

/// A feed followed on a thread of its own; dropping this stops the thread (within
/// `IDLE_EVERY`, the longest a feed stays silent) and waits for it.
pub struct Following {
    stop: Arc<AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Following {
    /// Follows `feed`, giving every item but `Idle` to `on`, until `on` breaks or this is dropped.
    pub fn start(
        name: &str,
        mut feed: Box<dyn HallFeed>,
        mut on: impl FnMut(FeedItem) -> ControlFlow<()> + Send + 'static,
    ) -> std::io::Result<Self> {
        let stop = Arc::new(AtomicBool::new(false));
        let stopping = stop.clone();
        let thread = std::thread::Builder::new().name(name.into()).spawn(move || {
            feed.follow(&mut |item| {
                if stopping.load(Ordering::SeqCst) {
                    return ControlFlow::Break(());
                }
                match item {
                    FeedItem::Idle => ControlFlow::Continue(()),
                    item => on(item),
                }
            });
        })?;
        Ok(Self {
            stop,
            thread: Some(thread),
        })
    }
}

impl Drop for Following {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}
