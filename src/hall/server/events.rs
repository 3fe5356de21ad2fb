//! Live events: one pump reads new events from the database (woken at once by this API's own
//! changes, and every 20 ms for changes by other processes such as the host's own kiosk) and
//! fans them out; each `GET /v1/events` client gets them as Server-Sent Events with the event's
//! number as its `id`. A client reconnecting with `Last-Event-ID` is first sent what it missed
//! from the database; one that missed too much, or comes without an id, gets a `snapshot` (the
//! hall summary, whose `cursor` is the id) and then live events. A client that falls behind the
//! fan-out reads the gap from the database too, so no client ever sees a hole.

use super::{Api, Caller, SharedEvent, blocking, lock};
use crate::hall::access::Want;
use crate::hall_queue::LocalQueue;
use axum::response::sse::{Event, KeepAlive, Sse};
use futures_util::Stream;
use kiosk_contract::{EventCursor, HallError, HallQueue};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{Notify, broadcast, mpsc};

/// How often the pump looks for other processes' changes.
const POLL: Duration = Duration::from_millis(20);
/// Events read per database page.
const PAGE: usize = 500;
/// A reconnecting client that missed more than this gets a snapshot instead.
pub const MAX_REPLAY: u64 = 2000;
/// A comment line this often, so a client can tell a quiet hall from a lost host.
pub const HEARTBEAT: Duration = Duration::from_secs(2);

pub(super) struct Hub {
    sender: broadcast::Sender<SharedEvent>,
    wake: Notify,
}

impl Hub {
    pub(super) fn new() -> Self {
        let (sender, _) = broadcast::channel(1024);
        Self {
            sender,
            wake: Notify::new(),
        }
    }

    /// Something was just committed through this API: look now rather than at the next poll.
    pub(super) fn changed(&self) {
        self.wake.notify_one();
    }
}

pub(super) async fn pump(
    api: Arc<Api>,
    queue: LocalQueue,
    mut cursor: EventCursor,
    mut stopped: tokio::sync::watch::Receiver<bool>,
) {
    let queue = Arc::new(std::sync::Mutex::new(queue));
    loop {
        tokio::select! {
            _ = api.events.wake.notified() => {}
            _ = tokio::time::sleep(POLL) => {}
            _ = stopped.changed() => return,
        }
        loop {
            let q = queue.clone();
            let page = blocking(move || lock(&q).events_after(cursor, PAGE)).await;
            let page = match page {
                Ok(page) => page,
                Err(e) => {
                    tracing::warn!(error = %e, "the event pump cannot read the queue; retrying");
                    tokio::time::sleep(Duration::from_millis(500)).await;
                    break;
                }
            };
            for event in page.events {
                api.metrics.saw(&event);
                // Nobody listening is fine.
                let _ = api.events.sender.send(Arc::new(event));
            }
            cursor = page.cursor;
            if !page.more {
                break;
            }
        }
    }
}

/// One SSE message.
fn message(event: &kiosk_contract::HallEvent) -> Option<Event> {
    let data = serde_json::to_string(event).ok()?;
    Some(
        Event::default()
            .id(event.seq.to_string())
            .event(event.event.as_str())
            .data(data),
    )
}

fn snapshot_message(summary: &kiosk_contract::HallSummary) -> Option<Event> {
    let data = serde_json::to_string(summary).ok()?;
    Some(
        Event::default()
            .id(summary.cursor.to_string())
            .event("snapshot")
            .data(data),
    )
}

/// `GET /v1/events`: the stream for one client, from `last_seen` (its `Last-Event-ID`).
pub(super) fn stream(
    api: Arc<Api>,
    caller: Caller,
    last_seen: Option<EventCursor>,
) -> Sse<impl Stream<Item = Result<Event, std::convert::Infallible>>> {
    let (tx, rx) = mpsc::channel::<Event>(256);
    // Subscribed before the catch-up is read, so nothing falls between the two.
    let live = api.events.sender.subscribe();
    tokio::spawn(feed(api, caller, last_seen, live, tx));
    let stream =
        futures_util::stream::unfold(rx, |mut rx| async move { rx.recv().await.map(|e| (Ok(e), rx)) });
    Sse::new(stream).keep_alive(KeepAlive::new().interval(HEARTBEAT).text(""))
}

/// Reads `after..` from the database and sends it; the new cursor, or None when the client left.
async fn catch_up(
    api: &Arc<Api>,
    mut cursor: EventCursor,
    tx: &mpsc::Sender<Event>,
) -> Result<Option<EventCursor>, HallError> {
    loop {
        let a = api.clone();
        let page = blocking(move || a.reads.take().events_after(cursor, PAGE)).await?;
        for event in &page.events {
            if let Some(m) = message(event)
                && tx.send(m).await.is_err()
            {
                return Ok(None);
            }
        }
        cursor = page.cursor;
        if !page.more {
            return Ok(Some(cursor));
        }
    }
}

/// Sends a snapshot; its cursor.
async fn snapshot(api: &Arc<Api>, tx: &mpsc::Sender<Event>) -> Result<Option<EventCursor>, HallError> {
    let a = api.clone();
    let summary = blocking(move || a.reads.take().summary()).await?;
    let Some(m) = snapshot_message(&summary) else {
        return Ok(None);
    };
    Ok(tx.send(m).await.ok().map(|()| summary.cursor))
}

async fn feed(
    api: Arc<Api>,
    caller: Caller,
    last_seen: Option<EventCursor>,
    mut live: broadcast::Receiver<SharedEvent>,
    tx: mpsc::Sender<Event>,
) {
    let _counted = api.metrics.stream_opened();
    let result: Result<(), HallError> = async {
        let a = api.clone();
        let newest = blocking(move || a.reads.take().summary().map(|s| s.cursor)).await?;
        let start = match last_seen {
            // Too far behind, or ahead of the host (its database was replaced): start afresh.
            Some(seen) if seen <= newest && newest - seen <= MAX_REPLAY => catch_up(&api, seen, &tx).await?,
            _ => snapshot(&api, &tx).await?,
        };
        let Some(mut cursor) = start else { return Ok(()) };
        let mut recheck = tokio::time::interval(HEARTBEAT);
        loop {
            let event = tokio::select! {
                received = live.recv() => received,
                () = tx.closed() => return Ok(()),
                _ = recheck.tick() => {
                    // Revoked, enrolled again (a new certificate) or expired since the stream
                    // opened: the stream ends now, not when the client next reconnects.
                    if let Err(refused) = caller.again(&api, Want::Read).await {
                        tracing::info!(addr = %caller.peer.addr, why = %refused.0.message, "an event stream was closed: its caller is no longer allowed");
                        return Ok(());
                    }
                    continue;
                }
            };
            match event {
                Ok(event) if event.seq <= cursor => {}
                Ok(event) if event.seq == cursor + 1 => {
                    let Some(m) = message(&event) else { continue };
                    if tx.send(m).await.is_err() {
                        return Ok(());
                    }
                    cursor = event.seq;
                }
                // A gap (this client fell behind the fan-out): the database has it all.
                Ok(_) | Err(broadcast::error::RecvError::Lagged(_)) => {
                    match catch_up(&api, cursor, &tx).await? {
                        Some(c) => cursor = c,
                        None => return Ok(()),
                    }
                }
                Err(broadcast::error::RecvError::Closed) => return Ok(()),
            }
        }
    }
    .await;
    if let Err(e) = result {
        tracing::warn!(error = %e, "an event stream ended");
    }
}
