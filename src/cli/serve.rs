//! `kiosk serve`: the hall host without a screen. It keeps the queue database open and current,
//! rolls the business day over on time, queues the finished day's report for the agency, and
//! delivers the outbox.

use super::{CmdResult, Context, Failure};
use crate::agency::deliver;
use crate::queue;
use crate::queue_service::QueueService;
use crate::store::Store;
use std::sync::Arc;
use std::time::Duration;

/// How long the outbox worker sleeps when nothing is due.
const OUTBOX_IDLE: Duration = Duration::from_secs(5);

pub fn serve(ctx: &Context) -> CmdResult {
    let (_, source) = ctx.load_config()?;
    let mut queue = ctx.open_queue()?;
    let expired = queue.roll_over()?;
    queue_yesterdays_report(ctx.clock.as_ref(), &mut queue);
    let (_, agency) = super::agency_cmd::agency(ctx)?;
    let now = ctx.clock.now();
    tracing::info!(
        config = ?source,
        database = %queue.store().path().display(),
        business_day = %queue.business_day(now),
        expired,
        "hall host started; stop with Ctrl-C"
    );
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| Failure::failed(format!("cannot start the async runtime: {e}")))?;
    if let Some(agency) = agency {
        let db = Store::open_in(&ctx.data_dir)?.path().to_owned();
        let wake = Arc::new(tokio::sync::Notify::new());
        runtime.spawn(deliver::run_supervised(
            db,
            agency,
            ctx.clock.clone(),
            wake,
            OUTBOX_IDLE,
            shutdown_signal(),
        ));
        tracing::info!("delivering the agency outbox");
    } else {
        tracing::info!("no agency provisioned; submissions stay in the outbox");
    }
    start_announcer(ctx);
    runtime.block_on(rollover_loop(ctx, queue))
}

/// Announces the counters' calls through the hall host's speakers: a thread that looks at the
/// queue twice a second (only reading it when another connection committed).
fn start_announcer(ctx: &Context) {
    let opened = ctx
        .load_config()
        .and_then(|(config, _)| Ok((config, ctx.open_queue()?)));
    let (config, mut queue) = match opened {
        Ok(pair) => pair,
        Err(f) => {
            tracing::error!(error = %f.message, "calls will not be announced");
            return;
        }
    };
    let speech = crate::speech::SpeechService::for_config(&config);
    let spawned = std::thread::Builder::new()
        .name("announcer".into())
        .spawn(move || {
            let mut watch = crate::calls::CallWatch::default();
            let mut seen = None;
            loop {
                crate::supervise::guarded("announcer", "look for calls", || {
                    let version = queue.store().data_version().ok();
                    if version.is_none() || version != seen {
                        seen = version;
                        match queue.status() {
                            Ok(status) => {
                                crate::calls::announce_new(
                                    &mut watch,
                                    &status.tickets,
                                    &config.speech.call_languages,
                                    |c| speech.send(c),
                                );
                            }
                            Err(e) => tracing::error!(error = %e, "the queue could not be read for calls"),
                        }
                    }
                });
                std::thread::sleep(crate::ui::CALL_WATCH);
            }
        });
    if let Err(e) = spawned {
        tracing::error!(error = %e, "cannot start the announcer; calls will not be announced");
    }
}

/// The finished business day's statistics go to the agency once (a repeat is a no-op).
fn queue_yesterdays_report(clock: &dyn crate::clock::Clock, queue: &mut QueueService) {
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
    if let Err(e) = result {
        tracing::error!(error = %e, day = %yesterday, "the daily report could not be queued");
    }
}

async fn rollover_loop(ctx: &Context, queue: QueueService) -> CmdResult {
    let queue = std::sync::Arc::new(std::sync::Mutex::new(queue));
    loop {
        let now = ctx.clock.now();
        let (tz, at) = {
            let q = queue.lock().map_err(|_| Failure::failed("queue lock poisoned"))?;
            (q.config().time_zone(), q.config().rollover_time())
        };
        let next = queue::next_rollover(now, tz, at);
        // Re-check at least hourly so a clock correction does not leave the day stale.
        let wait = (next - now)
            .to_std()
            .unwrap_or_default()
            .min(std::time::Duration::from_secs(3600));
        tokio::select! {
            _ = tokio::time::sleep(wait) => {}
            _ = shutdown_signal() => {
                tracing::info!("stopping");
                return Ok(());
            }
        }
        let (q, clock) = (queue.clone(), ctx.clock.clone());
        let result = tokio::task::spawn_blocking(move || {
            let mut q = q.lock().map_err(|_| Failure::failed("queue lock poisoned"))?;
            let rolled = q.roll_over().map_err(Failure::from);
            queue_yesterdays_report(clock.as_ref(), &mut q);
            rolled
        })
        .await
        .map_err(|e| Failure::failed(format!("rollover task failed: {e}")))?;
        if let Err(f) = result {
            tracing::error!(error = %f.message, "rollover failed; will retry");
        }
    }
}

pub(super) async fn shutdown_signal() {
    let ctrl_c = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let mut term = match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(s) => s,
            Err(_) => return ctrl_c.await.unwrap_or(()),
        };
        tokio::select! {
            _ = ctrl_c => {}
            _ = term.recv() => {}
        }
    }
    #[cfg(not(unix))]
    ctrl_c.await.unwrap_or(());
}
