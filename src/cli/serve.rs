//! `kiosk serve`: the hall host without a screen. It keeps the queue database open and current,
//! and rolls the business day over on time.

use super::{CmdResult, Context, Failure};
use crate::queue;
use crate::queue_service::QueueService;

pub fn serve(ctx: &Context) -> CmdResult {
    let (_, source) = ctx.load_config()?;
    let mut queue = ctx.open_queue()?;
    let expired = queue.roll_over()?;
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
    runtime.block_on(rollover_loop(ctx, queue))
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
        let q = queue.clone();
        let result = tokio::task::spawn_blocking(move || {
            let mut q = q.lock().map_err(|_| Failure::failed("queue lock poisoned"))?;
            q.roll_over().map_err(Failure::from)
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
