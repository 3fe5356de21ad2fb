//! `kiosk serve`: the hall host without a screen. It starts the hall host service (rollover,
//! daily report, outbox delivery, call announcements: `hall_host`) and waits for Ctrl-C or
//! SIGTERM. Beside a `kiosk run` on the same data directory it stands by and takes over the duties
//! if the kiosk stops.

use super::{CmdResult, Context, Failure};
use crate::hall_host::{HallHost, HostOptions};
use std::net::SocketAddr;
use std::sync::Arc;

#[derive(clap::Args, Debug, Default)]
pub struct ServeArgs {
    /// Serve the hall API here (default: `[hall_api] listen` once a terminal is enrolled).
    #[arg(long, value_name = "ADDR")]
    listen: Option<SocketAddr>,
    /// Serve the ticket status page here (default: `[hall_api] public_listen` when
    /// `[hall_api] public_url` is set).
    #[arg(long, value_name = "ADDR")]
    public_listen: Option<SocketAddr>,
}

pub fn serve(ctx: &Context, args: ServeArgs) -> CmdResult {
    let (config, agency) = super::agency_cmd::agency(ctx)?;
    if config.terminal.role != crate::config::Role::HallHost {
        // The package enables this service on every terminal; only the hall host has duties.
        tracing::info!(role = ?config.terminal.role, "not the hall host: no hall host service to run");
        return Ok(());
    }
    // Opened once here so that a missing or damaged database is this command's error (exit 1).
    let queue = ctx.open_queue()?;
    let now = ctx.clock.now();
    tracing::info!(
        hall = %config.hall.id,
        terminal = %config.terminal.id,
        database = %queue.store().path().display(),
        business_day = %queue.business_day(now),
        "hall host started; stop with Ctrl-C"
    );
    drop(queue);
    let announcer = config
        .speech
        .announces_calls(config.terminal.role)
        .then(|| crate::speech::SpeechService::for_config(&config, &ctx.data_dir));
    let api = crate::hall_host::hall_api_options(&ctx.data_dir, &config, args.listen, args.public_listen);
    let host = HallHost::start(HostOptions {
        api,
        data_dir: ctx.data_dir.clone(),
        config: Arc::new(config),
        clock: ctx.clock.clone(),
        agency,
        announcer,
    })
    .map_err(|e| Failure::failed(format!("cannot start the hall host service: {e}")))?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| Failure::failed(format!("cannot start the async runtime: {e}")))?;
    runtime.block_on(super::shutdown_signal());
    tracing::info!("stopping");
    drop(host);
    Ok(())
}
