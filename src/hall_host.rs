//! The hall host's duties, in one service started by both `kiosk serve` and `kiosk run` on a hall
//! host: the business-day rollover, the finished day's report to the agency, outbox delivery and
//! (where `[speech] announce_calls` says so) call announcements.
//!
//! Exactly one process per data directory carries them out: the service holds an exclusive lock
//! on `<data-dir>/hall-host.lock`. A second process (say `kiosk serve` beside `kiosk run`) stands
//! by and takes over within a few seconds if the first one ends, so each day is reported once and
//! each call is heard once whichever commands run.

use crate::agency::deliver::{self, Agency};
use crate::clock::Clock;
use crate::config::Config;
use crate::hall::feed::LocalFeed;
use crate::queue_service::QueueService;
use crate::speech::SpeechService;
use kiosk_contract::{FeedItem, HallFeed};
use kiosk_store::Store;
use std::fs::File;
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Condvar, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

/// The lock file in the data directory.
pub const LOCK_FILE: &str = "hall-host.lock";
/// How often a standing-by process tries to take over.
const TAKE_OVER_EVERY: Duration = Duration::from_secs(2);
/// The rollover loop re-checks at least this often, so a clock correction is noticed.
const ROLLOVER_RECHECK: Duration = Duration::from_secs(3600);

/// What the service needs to know.
pub struct HostOptions {
    pub data_dir: PathBuf,
    pub config: Arc<Config>,
    pub clock: Arc<dyn Clock>,
    /// Where submissions go; None when no agency is provisioned.
    pub agency: Option<Agency>,
    /// The speakers that announce calls; None when this terminal does not announce
    /// (`[speech] announce_calls = false`, or speech off).
    pub announcer: Option<SpeechService>,
    /// The hall API and the ticket status page (see `hall_api_options`).
    pub api: crate::hall::server::ApiOptions,
}

/// Where the hall host serves: the hall API once the hall has a CA (made by the first
/// `kiosk provision --enroll`) — an unnetworked hall of one kiosk opens no port — and the
/// status page once `[hall_api] public_url` says where phones reach it. `--listen` and
/// `--public-listen` turn either on at the given address.
pub fn hall_api_options(
    data_dir: &Path,
    config: &Config,
    listen: Option<std::net::SocketAddr>,
    public_listen: Option<std::net::SocketAddr>,
) -> crate::hall::server::ApiOptions {
    let has_ca = data_dir
        .join(crate::hall::pki::TLS_DIR)
        .join(crate::hall::pki::CA_CERT)
        .exists();
    crate::hall::server::ApiOptions {
        listen: listen.or(has_ca.then_some(config.hall_api.listen)),
        public_listen: public_listen.or(config
            .hall_api
            .public_url
            .as_ref()
            .and(config.hall_api.public_listen)),
        limits: None,
    }
}

/// A stop signal that sleeping threads and async tasks both wait on.
#[derive(Default)]
struct Stop {
    stopped: Mutex<bool>,
    wake: Condvar,
    notify: tokio::sync::Notify,
}

impl Stop {
    fn set(&self) {
        if let Ok(mut s) = self.stopped.lock() {
            *s = true;
        }
        self.wake.notify_all();
        self.notify.notify_waiters();
    }

    fn is_set(&self) -> bool {
        self.stopped.lock().map(|s| *s).unwrap_or(true)
    }

    /// Sleeps up to `d`; true when stopped.
    fn wait(&self, d: Duration) -> bool {
        let Ok(guard) = self.stopped.lock() else {
            return true;
        };
        match self.wake.wait_timeout_while(guard, d, |stopped| !*stopped) {
            Ok((guard, _)) => *guard,
            Err(_) => true,
        }
    }

    async fn wait_async(&self) {
        loop {
            let notified = self.notify.notified();
            if self.is_set() {
                return;
            }
            notified.await;
        }
    }
}

/// The running service; dropping it stops the duties and lets another process take over.
pub struct HallHost {
    stop: Arc<Stop>,
    ready: Arc<(Mutex<bool>, Condvar)>,
    thread: Option<JoinHandle<()>>,
}

impl HallHost {
    /// Starts the service on its own thread; it carries out the duties once it holds the lock.
    pub fn start(options: HostOptions) -> std::io::Result<HallHost> {
        let stop = Arc::new(Stop::default());
        let ready = Arc::new((Mutex::new(false), Condvar::new()));
        let (s, r) = (stop.clone(), ready.clone());
        let thread = std::thread::Builder::new()
            .name("hall-host".into())
            .spawn(move || run(options, s, &r))?;
        Ok(HallHost {
            stop,
            ready,
            thread: Some(thread),
        })
    }

    /// Waits until this process holds the duties and its first look at the queue is done (calls
    /// made after this are announced). False if that did not happen within `limit`.
    pub fn wait_until_leading(&self, limit: Duration) -> bool {
        let (lock, cv) = &*self.ready;
        let Ok(guard) = lock.lock() else { return false };
        cv.wait_timeout_while(guard, limit, |ready| !*ready)
            .map(|(g, _)| *g)
            .unwrap_or(false)
    }
}

impl Drop for HallHost {
    fn drop(&mut self) {
        self.stop.set();
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// The exclusive lock; released when the file is closed (also when the process dies).
fn try_lock(data_dir: &Path) -> std::io::Result<Option<File>> {
    std::fs::create_dir_all(data_dir)?;
    let file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(data_dir.join(LOCK_FILE))?;
    match rustix::fs::flock(&file, rustix::fs::FlockOperation::NonBlockingLockExclusive) {
        Ok(()) => Ok(Some(file)),
        Err(rustix::io::Errno::WOULDBLOCK) => Ok(None),
        Err(e) => Err(e.into()),
    }
}

fn run(options: HostOptions, stop: Arc<Stop>, ready: &(Mutex<bool>, Condvar)) {
    let mut said_standing_by = false;
    let lock = loop {
        match try_lock(&options.data_dir) {
            Ok(Some(lock)) => break lock,
            Ok(None) if !said_standing_by => {
                tracing::info!(
                    "another process carries out the hall host's duties; standing by to take over"
                );
                said_standing_by = true;
            }
            Ok(None) => {}
            Err(e) => tracing::error!(error = %e, "the hall host lock cannot be taken; retrying"),
        }
        if stop.wait(TAKE_OVER_EVERY) {
            return;
        }
    };
    tracing::info!(
        announcing = options.announcer.is_some(),
        delivering = options.agency.is_some(),
        "carrying out the hall host's duties (rollover, daily report, outbox, calls, hall API)"
    );
    let duties = Duties::start(&options, &stop, ready);
    rollover_loop(&options, &stop);
    drop(duties);
    drop(lock);
}

/// The outbox and announcer threads, ended when dropped (after `stop` is set).
struct Duties {
    threads: Vec<JoinHandle<()>>,
}

impl Duties {
    fn start(options: &HostOptions, stop: &Arc<Stop>, ready: &(Mutex<bool>, Condvar)) -> Duties {
        let mut threads = Vec::new();
        if options.api.listen.is_some() || options.api.public_listen.is_some() {
            match start_api(options, stop.clone()) {
                Ok(t) => threads.push(t),
                Err(e) => {
                    tracing::error!(error = %e, "the hall API cannot start; other terminals cannot reach the queue")
                }
            }
        } else {
            tracing::info!("hall API off: no terminal enrolled yet (`kiosk provision --enroll` starts it)");
        }
        if let Some(agency) = options.agency.clone() {
            let db = options.data_dir.join(kiosk_store::DB_FILE);
            let wake = Arc::new(tokio::sync::Notify::new());
            let stop = stop.clone();
            let stopped = async move { stop.wait_async().await };
            match deliver::spawn_worker(db, agency, options.clock.clone(), wake, stopped) {
                Ok(t) => threads.push(t),
                Err(e) => {
                    tracing::error!(error = %e, "the outbox cannot be delivered; submissions wait in the database")
                }
            }
        }
        let primed = match &options.announcer {
            Some(speech) => match start_announcer(options, speech.clone(), stop.clone()) {
                Ok((t, primed)) => {
                    threads.push(t);
                    Some(primed)
                }
                Err(e) => {
                    tracing::error!(error = %e, "calls will not be announced");
                    None
                }
            },
            None => None,
        };
        if let Some(primed) = primed {
            let _ = primed.recv_timeout(Duration::from_secs(10));
        }
        let (lock, cv) = ready;
        if let Ok(mut r) = lock.lock() {
            *r = true;
        }
        cv.notify_all();
        Duties { threads }
    }
}

impl Drop for Duties {
    fn drop(&mut self) {
        for t in self.threads.drain(..) {
            let _ = t.join();
        }
    }
}

/// The hall API on its own thread and runtime (two workers: requests wait on the disk in the
/// blocking pool, not here).
fn start_api(options: &HostOptions, stop: Arc<Stop>) -> Result<JoinHandle<()>, String> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_name("hall-api")
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the async runtime: {e}"))?;
    let ctx = crate::hall::server::ApiContext {
        data_dir: options.data_dir.clone(),
        config: options.config.clone(),
        clock: options.clock.clone(),
        faults: Arc::default(),
    };
    let api_options = options.api.clone();
    // Bound before this returns, so "ready" means the API answers.
    let api = runtime.block_on(crate::hall::server::start(ctx, &api_options))?;
    std::thread::Builder::new()
        .name("hall-api".into())
        .spawn(move || {
            runtime.block_on(stop.wait_async());
            drop(api);
            runtime.shutdown_timeout(Duration::from_secs(2));
        })
        .map_err(|e| e.to_string())
}

/// Announces the counters' calls: follows the hall feed on the host's own database. The feed's
/// first item is a snapshot of where the hall is (calls made before the start are not said
/// again); `primed` says it has come.
fn start_announcer(
    options: &HostOptions,
    speech: SpeechService,
    stop: Arc<Stop>,
) -> Result<(JoinHandle<()>, std::sync::mpsc::Receiver<()>), String> {
    let store = Store::open_in(&options.data_dir).map_err(|e| e.to_string())?;
    let service =
        QueueService::new(store, options.config.clone(), options.clock.clone()).map_err(|e| e.to_string())?;
    let mut feed = LocalFeed::new(Box::new(crate::hall_queue::LocalQueue::new(service)));
    let style = crate::calls::CallStyle::from_config(&options.config.speech);
    let (primed_tx, primed) = std::sync::mpsc::channel();
    let thread = std::thread::Builder::new()
        .name("announcer".into())
        .spawn(move || {
            feed.follow(&mut |item| {
                if stop.is_set() {
                    return ControlFlow::Break(());
                }
                match item {
                    FeedItem::Snapshot(_) => {
                        let _ = primed_tx.send(());
                    }
                    FeedItem::Event(e) => {
                        let calls = crate::calls::calls_in(&[*e]);
                        crate::supervise::guarded("announcer", "announce a call", || {
                            crate::calls::announce(&calls, &style, |c| speech.send(c));
                        });
                    }
                    FeedItem::Lost(why) => {
                        tracing::error!(reason = %why, "the queue could not be read for calls")
                    }
                    FeedItem::Connected | FeedItem::Idle => {}
                }
                ControlFlow::Continue(())
            });
        })
        .map_err(|e| e.to_string())?;
    Ok((thread, primed))
}

/// Rolls the business day over on time and queues the finished day's report; at once on start
/// (a host that was off at rollover catches up), then at each rollover.
fn rollover_loop(options: &HostOptions, stop: &Stop) {
    let opened = Store::open_in(&options.data_dir)
        .map_err(|e| e.to_string())
        .and_then(|store| {
            QueueService::new(store, options.config.clone(), options.clock.clone()).map_err(|e| e.to_string())
        });
    let mut queue = match opened {
        Ok(q) => q,
        Err(e) => {
            tracing::error!(error = %e, "the queue cannot be opened; no rollover or daily report");
            while !stop.wait(ROLLOVER_RECHECK) {}
            return;
        }
    };
    loop {
        crate::supervise::guarded("hall-host", "rollover", || {
            match queue.roll_over() {
                Ok(expired) if expired > 0 => tracing::info!(expired, "business day rolled over"),
                Ok(_) => {}
                Err(e) => tracing::error!(error = %e, "rollover failed; will retry"),
            }
            queue_yesterdays_report(options.clock.as_ref(), &mut queue);
        });
        let now = options.clock.now();
        let next =
            crate::queue::next_rollover(now, options.config.time_zone(), options.config.rollover_time());
        let wait = (next - now).to_std().unwrap_or_default().min(ROLLOVER_RECHECK);
        // A moment past the rollover, so the new day has begun when we look.
        if stop.wait(wait + Duration::from_secs(1)) {
            return;
        }
    }
}

/// The finished business day's statistics go to the agency once (a repeat is a no-op).
fn queue_yesterdays_report(clock: &dyn Clock, queue: &mut QueueService) {
    let now = clock.now();
    let Some(yesterday) = queue.business_day(now).pred_opt() else {
        return;
    };
    let result = queue
        .daily_stats(Some(yesterday))
        .map_err(|e| e.to_string())
        .and_then(|stats| {
            if stats.services.is_empty() {
                return Ok(None);
            }
            let config = queue.config().clone();
            crate::agency::outbox::enqueue_daily_report(queue.store_mut(), &config, &stats, now)
        });
    match result {
        Ok(Some(_)) => tracing::info!(day = %yesterday, "the daily report is queued for the agency"),
        Ok(None) => {}
        Err(e) => tracing::error!(error = %e, day = %yesterday, "the daily report could not be queued"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_process_holds_the_lock_and_another_takes_over_when_it_ends() {
        let dir = tempfile::tempdir().unwrap();
        let first = try_lock(dir.path()).unwrap().expect("the first takes it");
        assert!(
            try_lock(dir.path()).unwrap().is_none(),
            "a second open file description is refused"
        );
        drop(first);
        assert!(try_lock(dir.path()).unwrap().is_some(), "free again once closed");
    }

    #[test]
    fn stop_wakes_a_sleeper_at_once() {
        let stop = Arc::new(Stop::default());
        let s = stop.clone();
        let sleeper = std::thread::spawn(move || s.wait(Duration::from_secs(3600)));
        stop.set();
        assert!(sleeper.join().unwrap());
        assert!(stop.wait(Duration::from_secs(3600)), "stays stopped");
    }
}
