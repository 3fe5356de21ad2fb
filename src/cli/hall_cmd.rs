//! The hall network from the command line: enrolment codes, revocation and the list of
//! terminals on the hall host (`kiosk provision --enroll/--revoke/--terminals`), `kiosk join` on
//! a new terminal, and `kiosk events`, the live event stream for technicians and tests.

use super::{CmdResult, Context, Failure, print_json};
use crate::config::ProvisionChanges;
use crate::hall::access::{self, TerminalRole};
use crate::hall::enrolment;
use crate::hall::pki::HallCa;
use clap::Args;
use kiosk_contract::FeedItem;
use kiosk_store::Store;
use kiosk_store::hall_tables;
use std::ops::ControlFlow;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

/// Terminal ids go into certificates, logs and file names: letters, digits, `.`, `_`, `-`.
fn check_terminal_id(id: &str) -> Result<(), Failure> {
    let ok = (1..=64).contains(&id.len())
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'));
    if ok {
        Ok(())
    } else {
        Err(Failure::bad_input(format!(
            "terminal id '{id}': use 1 to 64 letters, digits, '.', '_' or '-' (e.g. counter-3)"
        )))
    }
}

pub(super) fn enroll(ctx: &Context, id: &str, role: TerminalRole, counters: &[u32], json: bool) -> CmdResult {
    check_terminal_id(id)?;
    let config = ctx.hall_host_config("enrolment")?;
    if id == config.terminal.id {
        return Err(Failure::bad_input(format!(
            "{id} is this hall host's own id; choose another"
        )));
    }
    let per_counter = matches!(role, TerminalRole::Counter | TerminalRole::Evaluator);
    match role {
        _ if per_counter && counters.is_empty() => {
            return Err(Failure::bad_input(format!(
                "a {} terminal needs --counters, e.g. --counters 3",
                role.as_str()
            )));
        }
        _ if per_counter => {
            if let Some(unknown) = counters
                .iter()
                .find(|c| !config.counters.iter().any(|k| k.id == **c))
            {
                return Err(Failure::bad_input(format!(
                    "this hall has no counter {unknown}; add it with `kiosk provision --counter` first"
                )));
            }
        }
        _ if !counters.is_empty() => {
            return Err(Failure::bad_input(
                "--counters is only for --role counter or evaluator",
            ));
        }
        _ => {}
    }
    let now = ctx.clock.now();
    let ca = HallCa::open_or_create(&ctx.data_dir, &config.hall.id, now)
        .map_err(|e| Failure::failed(format!("the hall CA: {e}")))?;
    let mut store = Store::open_in(&ctx.data_dir)?;
    let issued = enrolment::issue_code(&mut store, &ca, id, role, counters, now)
        .map_err(|e| Failure::failed(e.to_string()))?;
    tracing::info!(terminal = %id, role = role.as_str(), "enrolment code issued");
    if json {
        return print_json(&issued);
    }
    let port = config.hall_api.listen.port();
    outln!("Enrolment code for {id} ({}): {}", role.as_str(), issued.code);
    if !counters.is_empty() {
        outln!("  counters: {}", access::list(counters));
    }
    outln!(
        "  works once, until {} ({} minutes)",
        issued.expires_at.format("%H:%M UTC"),
        enrolment::CODE_VALID_MINUTES
    );
    outln!("  hall CA fingerprint (SHA-256): {}", issued.ca_fingerprint);
    outln!("On the new terminal:");
    outln!(
        "  kiosk join --hall-host https://<this host's address>:{port} --code {} --fingerprint {}",
        issued.code,
        issued.ca_fingerprint
    );
    Ok(())
}

pub(super) fn revoke(ctx: &Context, id: &str, json: bool) -> CmdResult {
    ctx.hall_host_config("revocation")?;
    let mut store = Store::open_in(&ctx.data_dir)?;
    let now = ctx.clock.now();
    let revoked = store
        .write(|c| hall_tables::revoke(c, id, now))
        .map_err(|e| Failure::failed(format!("queue database: {e}")))?;
    if !revoked {
        return Err(Failure::bad_input(format!(
            "no enrolled terminal {id} (or it is revoked already); see `kiosk provision --terminals`"
        )));
    }
    tracing::info!(terminal = %id, "terminal revoked");
    if json {
        return print_json(&serde_json::json!({ "terminal": id, "revoked_at": now }));
    }
    outln!("{id} revoked: the hall host refuses its requests from now on");
    Ok(())
}

#[derive(serde::Serialize)]
struct TerminalLine {
    id: String,
    role: String,
    counters: Vec<u32>,
    enrolled_at: Option<chrono::DateTime<chrono::Utc>>,
    last_seen: Option<chrono::DateTime<chrono::Utc>>,
    certificate_expires: Option<chrono::DateTime<chrono::Utc>>,
    revoked_at: Option<chrono::DateTime<chrono::Utc>>,
}

pub(super) fn terminals(ctx: &Context, json: bool) -> CmdResult {
    ctx.hall_host_config("the list of terminals")?;
    let mut store = Store::open_in(&ctx.data_dir)?;
    let rows = store
        .read(hall_tables::terminals)
        .map_err(|e| Failure::failed(format!("queue database: {e}")))?;
    let lines: Vec<TerminalLine> = rows
        .into_iter()
        .map(|r| TerminalLine {
            counters: access::parse_list(&r.counters),
            id: r.id,
            role: r.role,
            enrolled_at: r.enrolled_at,
            last_seen: r.last_seen,
            certificate_expires: r.cert_expires,
            revoked_at: r.revoked_at,
        })
        .collect();
    if json {
        return print_json(&lines);
    }
    if lines.is_empty() {
        outln!("no terminals enrolled; make a code with `kiosk provision --enroll ID --role ROLE`");
    }
    let when = |t: Option<chrono::DateTime<chrono::Utc>>| {
        t.map_or("-".to_owned(), |t| t.format("%Y-%m-%d %H:%M").to_string())
    };
    for t in &lines {
        outln!(
            "{:<16} {:<16} counters {:<8} enrolled {}  last seen {}  {}",
            t.id,
            t.role,
            if t.counters.is_empty() {
                "-".to_owned()
            } else {
                access::list(&t.counters)
            },
            when(t.enrolled_at),
            when(t.last_seen),
            match t.revoked_at {
                Some(at) => format!("REVOKED {}", at.format("%Y-%m-%d %H:%M")),
                None => format!("certificate until {}", when(t.certificate_expires)),
            }
        );
    }
    Ok(())
}

#[derive(Args, Debug)]
pub struct JoinArgs {
    /// The hall host's API, e.g. https://192.0.2.10:8480.
    #[arg(long, value_name = "URL")]
    hall_host: String,
    /// The one-time code `kiosk provision --enroll` printed on the host.
    #[arg(long, value_name = "CODE")]
    code: String,
    /// The hall CA's SHA-256 fingerprint printed with the code.
    #[arg(long, value_name = "SHA256")]
    fingerprint: String,
    /// Enrol again a terminal that is enrolled already (its old certificate is replaced).
    #[arg(long)]
    replace: bool,
    #[arg(long)]
    json: bool,
}

pub(super) fn join(ctx: &Context, args: JoinArgs) -> CmdResult {
    let url = url::Url::parse(&args.hall_host)
        .ok()
        .filter(|u| u.scheme() == "https" && u.host().is_some())
        .ok_or_else(|| Failure::bad_input("--hall-host: write it like https://192.0.2.10:8480"))?;
    if crate::hall::pki::normalise_fingerprint(&args.fingerprint).len() != 64 {
        return Err(Failure::bad_input(
            "--fingerprint: the 64 hexadecimal digits printed by `kiosk provision --enroll` on the hall host",
        ));
    }
    let enrolled = ctx
        .data_dir
        .join(crate::hall::pki::TLS_DIR)
        .join(crate::hall::pki::CLIENT_CERT);
    if crate::fsutil::something_at(&enrolled) && !args.replace {
        return Err(Failure::bad_input(
            "this terminal is enrolled already (it has a hall certificate); to enrol it again, \
             replacing that identity, add --replace",
        ));
    }
    let base = url.as_str().trim_end_matches('/').to_owned();
    let (answer, key_pem) = enrolment::join(&base, &args.code, &args.fingerprint)?;
    let files = enrolment::store_credentials(&ctx.data_dir, &answer, &key_pem)
        .map_err(|e| Failure::failed(format!("cannot store this terminal's certificates: {e}")))?;
    let path = ctx
        .config_path
        .clone()
        .unwrap_or_else(|| ctx.default_config.clone());
    // A monitor (Prometheus) only needs the certificates; it runs no kiosk program.
    if let Some(role) = answer.role.terminal_role() {
        let changes = ProvisionChanges {
            hall_id: Some(answer.hall_id.clone()),
            terminal_id: Some(answer.terminal_id.clone()),
            role: Some(role),
            hall_host: Some(base.clone()),
            ..ProvisionChanges::default()
        };
        super::provision_file::write_changes(&path, &changes, true)?;
    }
    tracing::info!(terminal = %answer.terminal_id, role = answer.role.as_str(), host = %base, "joined the hall");
    if json_out(&args, &answer, &files, &path)? {
        return Ok(());
    }
    outln!(
        "joined hall {} as {} ({}); certificate until {}",
        answer.hall_id,
        answer.terminal_id,
        answer.role.as_str(),
        answer.expires.format("%Y-%m-%d")
    );
    for f in &files {
        outln!("  {}", f.display());
    }
    outln!("  {} updated", path.display());
    Ok(())
}

fn json_out(
    args: &JoinArgs,
    answer: &enrolment::EnrolAnswer,
    files: &[std::path::PathBuf],
    config: &std::path::Path,
) -> Result<bool, Failure> {
    if !args.json {
        return Ok(false);
    }
    print_json(&serde_json::json!({
        "hall_id": answer.hall_id,
        "terminal_id": answer.terminal_id,
        "role": answer.role,
        "counters": answer.counters,
        "hall_host": args.hall_host,
        "certificate_expires": answer.expires,
        "files": files,
        "config": config,
    }))?;
    Ok(true)
}

/// `kiosk events`: a snapshot, then one line per event as it happens, until Ctrl-C. It follows
/// the hall as every role does (`Context::hall_feed`): the database on the hall host, the event
/// stream elsewhere.
pub(super) fn events(ctx: &Context, json: bool) -> CmdResult {
    let mut feed = ctx.hall_feed()?;
    let print = |item: &FeedItem| -> CmdResult {
        match item {
            FeedItem::Event(e) if json => outln!("{}", serde_json::to_string(e).unwrap_or_default()),
            FeedItem::Event(e) => outln!(
                "{:>6} {} {:<8} {:<5} counter {}",
                e.seq,
                e.at.format("%H:%M:%S"),
                e.event.as_str(),
                e.number.as_deref().unwrap_or("-"),
                e.counter.map_or("-".to_owned(), |c| c.to_string())
            ),
            FeedItem::Snapshot(s) if json => {
                outln!("{}", serde_json::json!({ "snapshot": s }))
            }
            FeedItem::Snapshot(s) => outln!(
                "snapshot at event {}: {} calls so far today",
                s.cursor,
                s.recent_calls.len()
            ),
            FeedItem::Connected => tracing::info!("following the hall"),
            FeedItem::Lost(why) => tracing::warn!(reason = %why, "the hall cannot be followed; trying again"),
            FeedItem::Idle => {}
        }
        Ok(())
    };
    let stop = Arc::new(AtomicBool::new(false));
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| Failure::failed(format!("cannot start the async runtime: {e}")))?;
    {
        let stop = stop.clone();
        std::thread::Builder::new()
            .name("signals".into())
            .spawn(move || {
                runtime.block_on(super::shutdown_signal());
                stop.store(true, Ordering::SeqCst);
            })
            .map_err(|e| Failure::failed(format!("cannot wait for Ctrl-C: {e}")))?;
    }
    let mut failure = None;
    feed.follow(&mut |item| {
        if stop.load(Ordering::SeqCst) {
            return ControlFlow::Break(());
        }
        match print(&item) {
            Ok(()) => ControlFlow::Continue(()),
            Err(f) => {
                failure = Some(f);
                ControlFlow::Break(())
            }
        }
    });
    failure.map_or(Ok(()), Err)
}
