//! The display's threads: one follows the hall (a `HallFeed`: the host's event stream over the
//! network, or the queue database on the hall host itself), one fetches fresh waiting counts when
//! events changed them, and one keeps the `Board`, announces its new calls and hands each changed
//! board to the screen. None of them touches the window; the screen is told through `on_change`.

use crate::calls::{Call, CallStyle};
use crate::following::Following;
use crate::speech::service::Command;
use kiosk_contract::{FeedItem, HallFeed, HallQueue};
use kiosk_core::clock::Clock;
use kiosk_roles::display_board::{Board, BoardCall, Input};
use std::ops::ControlFlow;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// How often the board looks at the clock (a new business day empties it).
const TICK: Duration = Duration::from_secs(1);

pub struct FeedOptions {
    /// Where the display learns what happens in the hall.
    pub source: Box<dyn HallFeed>,
    /// Reads the waiting counts (`summary`) after events changed them.
    pub counts: Box<dyn HallQueue>,
    pub clock: Arc<dyn Clock>,
    pub time_zone: chrono_tz::Tz,
    pub rollover: chrono::NaiveTime,
    /// Where new calls are announced (None: this display does not announce), and how.
    pub announce: Option<Box<dyn Fn(Command) + Send>>,
    pub calls: CallStyle,
}

/// The running threads; they end when this is dropped.
pub struct Feed {
    stop: Arc<AtomicBool>,
    following: Option<Following>,
    threads: Vec<std::thread::JoinHandle<()>>,
}

impl Drop for Feed {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        drop(self.following.take());
        for t in self.threads.drain(..) {
            let _ = t.join();
        }
    }
}

/// Starts following the hall; `on_change` gets every board that looks different (on the
/// board's thread).
pub fn start(options: FeedOptions, on_change: impl Fn(&Board) + Send + 'static) -> std::io::Result<Feed> {
    let stop = Arc::new(AtomicBool::new(false));
    let (tx, rx) = mpsc::channel::<Input>();
    let (refresh_tx, refresh_rx) = mpsc::channel::<()>();
    let mut threads = Vec::new();
    let following = {
        let tx = tx.clone();
        Following::start("display-feed", options.source, move |item| {
            let input = match item {
                FeedItem::Connected => Input::Connected,
                FeedItem::Snapshot(s) => Input::Snapshot(s),
                FeedItem::Event(e) => Input::Event(e),
                FeedItem::Lost(why) => Input::Lost(why),
                FeedItem::Idle => return ControlFlow::Continue(()),
            };
            match tx.send(input) {
                Ok(()) => ControlFlow::Continue(()),
                Err(_) => ControlFlow::Break(()),
            }
        })?
    };
    {
        let (tx, stop, counts) = (tx.clone(), stop.clone(), options.counts);
        threads.push(spawn("display-counts", move || {
            fetch_counts(counts, &refresh_rx, &tx, &stop)
        })?);
    }
    drop(tx);
    let keeper = Keeper {
        clock: options.clock,
        time_zone: options.time_zone,
        rollover: options.rollover,
        announce: options.announce,
        calls: options.calls,
    };
    let stop_board = stop.clone();
    threads.push(spawn("display-board", move || {
        keeper.run(&rx, &refresh_tx, &stop_board, &on_change)
    })?);
    Ok(Feed {
        stop,
        following: Some(following),
        threads,
    })
}

fn spawn(name: &str, f: impl FnOnce() + Send + 'static) -> std::io::Result<std::thread::JoinHandle<()>> {
    std::thread::Builder::new().name(name.into()).spawn(f)
}

/// Fetches a summary each time the board asks (asks that pile up are answered by one).
fn fetch_counts(mut queue: Box<dyn HallQueue>, asks: &Receiver<()>, tx: &Sender<Input>, stop: &AtomicBool) {
    while asks.recv().is_ok() {
        while asks.try_recv().is_ok() {}
        if stop.load(Ordering::SeqCst) {
            return;
        }
        match queue.summary() {
            Ok(s) => {
                if tx.send(Input::Summary(Box::new(s))).is_err() {
                    return;
                }
            }
            // The stream says when the host is gone; the next event asks again.
            Err(e) => tracing::debug!(error = %e.message, "waiting counts not refreshed"),
        }
    }
}

/// The board's thread: applies what comes, announces, tells the screen.
struct Keeper {
    clock: Arc<dyn Clock>,
    time_zone: chrono_tz::Tz,
    rollover: chrono::NaiveTime,
    announce: Option<Box<dyn Fn(Command) + Send>>,
    calls: CallStyle,
}

impl Keeper {
    fn run(&self, rx: &Receiver<Input>, refresh: &Sender<()>, stop: &AtomicBool, on_change: &dyn Fn(&Board)) {
        let mut board = Board::new();
        let mut last_tick = Instant::now();
        on_change(&board);
        while !stop.load(Ordering::SeqCst) {
            let input = match rx.recv_timeout(TICK) {
                Ok(input) => Some(input),
                Err(RecvTimeoutError::Timeout) => None,
                Err(RecvTimeoutError::Disconnected) => return,
            };
            let mut inputs: Vec<Input> = input.into_iter().collect();
            if last_tick.elapsed() >= TICK {
                last_tick = Instant::now();
                let now = self.clock.now();
                inputs.push(Input::Tick(kiosk_core::queue::business_day(
                    now,
                    self.time_zone,
                    self.rollover,
                )));
            }
            for input in inputs {
                if let Input::Lost(why) = &input {
                    tracing::warn!(reason = %why, "the calling display lost the hall host; reconnecting");
                }
                let effects = board.apply(input, self.clock.now());
                if effects.refresh {
                    let _ = refresh.send(());
                }
                self.announce(&effects.announce);
                if effects.changed {
                    on_change(&board);
                }
            }
        }
    }

    fn announce(&self, calls: &[BoardCall]) {
        let Some(send) = &self.announce else { return };
        let calls: Vec<Call> = calls
            .iter()
            .map(|c| Call {
                number: c.number.clone(),
                counter: c.counter,
                language: c.language.clone(),
            })
            .collect();
        crate::calls::announce(&calls, &self.calls, send);
    }
}

/// Keeps the boards a test or benchmark is shown, and wakes whoever waits for one.
#[derive(Default, Clone)]
pub struct BoardLog {
    inner: Arc<(Mutex<Vec<Board>>, std::sync::Condvar)>,
}

impl BoardLog {
    pub fn push(&self, board: &Board) {
        let (boards, changed) = &*self.inner;
        if let Ok(mut b) = boards.lock() {
            b.push(board.clone());
        }
        changed.notify_all();
    }

    /// Waits (at most `limit`) for a board that `want` accepts; the first such board.
    pub fn wait_for(&self, limit: Duration, want: impl Fn(&Board) -> bool) -> Option<Board> {
        let deadline = Instant::now() + limit;
        let (boards, changed) = &*self.inner;
        let mut b = boards.lock().ok()?;
        loop {
            if let Some(found) = b.iter().find(|x| want(x)) {
                return Some(found.clone());
            }
            let left = deadline.checked_duration_since(Instant::now())?;
            b = changed.wait_timeout(b, left).ok()?.0;
        }
    }

    /// Every board so far, oldest first.
    pub fn all(&self) -> Vec<Board> {
        self.inner.0.lock().map(|b| b.clone()).unwrap_or_default()
    }

    /// The newest board.
    pub fn last(&self) -> Option<Board> {
        self.inner.0.lock().ok()?.last().cloned()
    }

    pub fn clear(&self) {
        if let Ok(mut b) = self.inner.0.lock() {
            b.clear();
        }
    }
}
