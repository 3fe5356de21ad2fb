//! `kiosk agency-receiver`: the agency's side of the contract on this machine, for tests and
//! pilots, with faults on demand. A development tool (feature `dev-tools`).

use super::{CmdResult, Failure};
use crate::agency::receiver::{Faults, Receiver};
use clap::Args;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

#[derive(Args, Debug)]
pub struct ReceiverArgs {
    /// Address to listen on (port 0 picks a free one; the chosen address is printed).
    #[arg(long, default_value = "127.0.0.1:8787")]
    listen: String,
    /// The terminals' shared HMAC key file.
    #[arg(long, value_name = "FILE")]
    key_file: PathBuf,
    /// Where accepted submissions are kept (JSON lines), so a restart remembers them.
    #[arg(long, value_name = "FILE")]
    store: Option<PathBuf>,
    /// Share of requests answered 503 (0–1).
    #[arg(long, default_value_t = 0.0)]
    fail_5xx: f64,
    /// Share answered 429 with Retry-After.
    #[arg(long, default_value_t = 0.0)]
    too_many: f64,
    /// Share of connections dropped after the submission was stored.
    #[arg(long, default_value_t = 0.0)]
    drop: f64,
    /// Share of answers delayed by --delay-ms.
    #[arg(long, default_value_t = 0.0)]
    delay_share: f64,
    #[arg(long, default_value_t = 0)]
    delay_ms: u64,
}

/// `kiosk agency-receiver`: the agency's side of the contract, for tests and pilots.
pub fn run(args: ReceiverArgs) -> CmdResult {
    let key = std::fs::read(&args.key_file)
        .map_err(|e| Failure::bad_input(format!("cannot read {}: {e}", args.key_file.display())))?;
    let faults = Faults {
        server_error: args.fail_5xx,
        too_many: args.too_many,
        drop_after_store: args.drop,
        delay_share: args.delay_share,
        delay: Duration::from_millis(args.delay_ms),
    };
    let receiver = Receiver::new(kiosk_core::delivery::key_from_file_bytes(key), faults, args.store)
        .map_err(|e| Failure::failed(format!("cannot open the receiver's store: {e}")))?;
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| Failure::failed(format!("cannot start the async runtime: {e}")))?;
    rt.block_on(async {
        let listener = tokio::net::TcpListener::bind(&args.listen)
            .await
            .map_err(|e| Failure::failed(format!("cannot listen on {}: {e}", args.listen)))?;
        let addr = listener
            .local_addr()
            .map_err(|e| Failure::failed(e.to_string()))?;
        outln!("listening on http://{addr}");
        use std::io::Write;
        let _ = std::io::stdout().flush();
        crate::agency::receiver::serve(listener, Arc::new(receiver), super::shutdown_signal())
            .await
            .map_err(|e| Failure::failed(format!("receiver stopped: {e}")))
    })
}
