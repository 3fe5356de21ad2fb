//! The two ways to follow the hall (`kiosk_contract::HallFeed`) and a thread that follows one:
//! `RemoteFeed` is the hall host's event stream over the hall API; `LocalFeed` is the hall host
//! following its own database, whose `data_version` says without reading a table whether another
//! connection committed. Each role's window, the announcer and `kiosk events` take a
//! `Box<dyn HallFeed>` from their composition root (`cli::Context::hall_feed`) and follow it on a thread of their own
//! (`crate::following::Following`), so none of them polls on a cadence of its own.

use crate::queue_service::QueueService;
use kiosk_contract::{EventCursor, FeedItem, HallError, HallFeed, HallQueue, IDLE_EVERY};
use std::ops::ControlFlow;
use std::time::Duration;

/// How often the hall host's own followers ask the database whether anything was committed:
/// `data_version` is one read of a page already in memory. Within `IDLE_EVERY`, so a follower
/// told `Idle` at each look can stop in time.
pub const LOCAL_POLL: Duration = Duration::from_millis(40);
const _: () = assert!(LOCAL_POLL.as_millis() < IDLE_EVERY.as_millis());
/// How many events one read takes; a backlog is read in several.
const PAGE: usize = 500;

/// A terminal's view of the hall: the host's Server-Sent Events over mutual TLS.
pub struct RemoteFeed {
    base: String,
    tls: rustls::ClientConfig,
}

impl RemoteFeed {
    pub fn new(base: impl Into<String>, tls: rustls::ClientConfig) -> Self {
        Self {
            base: base.into(),
            tls,
        }
    }
}

impl HallFeed for RemoteFeed {
    fn follow(&mut self, on: &mut dyn FnMut(FeedItem) -> ControlFlow<()>) {
        let runtime = match tokio::runtime::Builder::new_current_thread().enable_all().build() {
            Ok(rt) => rt,
            Err(e) => {
                let _ = on(FeedItem::Lost(format!("cannot start the network runtime: {e}")));
                return;
            }
        };
        let followed = runtime.block_on(super::event_stream::follow(
            &self.base,
            self.tls.clone(),
            None,
            on,
        ));
        if let Err(why) = followed {
            let _ = on(FeedItem::Lost(why));
        }
    }
}

/// Opens a feed's own connection to the queue.
type Opener = Box<dyn FnOnce() -> Result<Box<dyn HallQueue>, String> + Send>;

/// The hall host following its own queue.
pub struct LocalFeed {
    queue: Option<Box<dyn HallQueue>>,
    /// Opens `queue` on the feed's own thread when it starts following, so a screen's start
    /// does not wait for a second database connection.
    open: Option<Opener>,
}

impl LocalFeed {
    /// `queue` should be a connection of its own (`LocalQueue`), not one a screen writes through:
    /// `data_version` does not count a connection's own writes.
    pub fn new(queue: Box<dyn HallQueue>) -> Self {
        Self {
            queue: Some(queue),
            open: None,
        }
    }

    /// A feed whose connection `open` makes when following starts (on the follower's thread).
    pub fn opening(open: impl FnOnce() -> Result<Box<dyn HallQueue>, String> + Send + 'static) -> Self {
        Self {
            queue: None,
            open: Some(Box::new(open)),
        }
    }

    /// Follows the database `service` uses, through a connection of the feed's own.
    pub fn beside(service: &QueueService) -> Self {
        let (path, config, clock) = (
            service.store().path().to_owned(),
            std::sync::Arc::new(service.config().clone()),
            service.clock(),
        );
        Self::opening(move || crate::hall_queue::open_local(&path, config, clock))
    }

    /// What happened after `cursor` (None: a snapshot), as items, and where to read from next.
    fn read(
        queue: &mut dyn HallQueue,
        cursor: Option<EventCursor>,
    ) -> Result<(Vec<FeedItem>, EventCursor), HallError> {
        let Some(mut cursor) = cursor else {
            let summary = queue.summary()?;
            let at = summary.cursor;
            return Ok((vec![FeedItem::Snapshot(Box::new(summary))], at));
        };
        let mut items = Vec::new();
        loop {
            let page = queue.events_after(cursor, PAGE)?;
            cursor = page.cursor;
            items.extend(page.events.into_iter().map(|e| FeedItem::Event(Box::new(e))));
            if !page.more {
                return Ok((items, cursor));
            }
        }
    }
}

impl HallFeed for LocalFeed {
    fn follow(&mut self, on: &mut dyn FnMut(FeedItem) -> ControlFlow<()>) {
        if self.queue.is_none()
            && let Some(open) = self.open.take()
        {
            match open() {
                Ok(queue) => self.queue = Some(queue),
                Err(why) => {
                    let _ = on(FeedItem::Lost(why));
                    return;
                }
            }
        }
        let Some(queue) = self.queue.as_mut() else { return };
        let mut cursor = None;
        let mut lost = true;
        loop {
            let items = match Self::read(queue.as_mut(), cursor) {
                Ok((items, at)) => {
                    cursor = Some(at);
                    let first = std::mem::replace(&mut lost, false);
                    first
                        .then_some(FeedItem::Connected)
                        .into_iter()
                        .chain(items)
                        .collect()
                }
                Err(e) if !lost => {
                    lost = true;
                    vec![FeedItem::Lost(e.message)]
                }
                Err(_) => Vec::new(),
            };
            // Nothing new: `Idle` at each look (LOCAL_POLL is well inside IDLE_EVERY).
            let items = if items.is_empty() {
                vec![FeedItem::Idle]
            } else {
                items
            };
            for item in items {
                if on(item).is_break() {
                    return;
                }
            }
            std::thread::sleep(LOCAL_POLL);
        }
    }
}
