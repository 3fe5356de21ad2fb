//! `kiosk bench counter`: what a key of the counter console costs over mutual TLS on loopback.
//! A real `kiosk serve` host; in this process a counter terminal signs a staff member in and
//! presses keys as the console's worker does them: the operation, then the counter's view that
//! frees the keys again. Reports the sign-in (Argon2 on the host) and each key's time, then how
//! soon a second console sees a change made at the first: its hall feed (the host's event
//! stream) brings the event, and it reads its view again, as `ui::counter` does.

use super::bench_hall::{enrol, enrol_queue, fail, provision, start_host, summary, tempfile_dir};
use super::{CmdResult, Context};
use crate::following::Following;
use crate::hall::access::TerminalRole;
use crate::hall::client::HallClient;
use crate::hall::feed::RemoteFeed;
use crate::hall::remote::RemoteQueue;
use crate::lang::Lang;
use crate::queue::ServiceCode;
use kiosk_contract::IssueRequest;
use kiosk_contract::{EventKind, FeedItem, HallQueue, TicketRef};
use kiosk_store::{Store, staff_tables};
use std::ops::ControlFlow;
use std::sync::mpsc;
use std::time::Duration;
use std::time::Instant;

fn timed(mut op: impl FnMut() -> Result<(), kiosk_contract::HallError>) -> Result<f64, crate::cli::Failure> {
    let started = Instant::now();
    op().map_err(|e| fail("a key")(e.to_string()))?;
    Ok(started.elapsed().as_secs_f64() * 1000.0)
}

pub(super) fn counter(_ctx: &Context, keys: u32) -> CmdResult {
    let dir = tempfile_dir()?;
    let config = provision(dir.path(), 2)?;
    let hash = crate::staff::hash_pin("2468").map_err(fail("PIN"))?;
    Store::open_in(dir.path())?
        .write(|c| {
            staff_tables::put_staff(c, "S001", "Bench", &hash, chrono::Utc::now())?;
            staff_tables::put_staff(c, "S002", "Bench two", &hash, chrono::Utc::now())
        })
        .map_err(|e| fail("staff")(e.to_string()))?;
    let (_host, base) = start_host(dir.path())?;
    let mut kiosk = enrol_queue(dir.path(), &base, "kiosk-2", TerminalRole::SecondaryKiosk, &[])?;
    let mut counter = enrol_queue(dir.path(), &base, "counter-1", TerminalRole::Counter, &[1])?;
    let services: Vec<_> = config.services.iter().map(|s| s.code).collect();
    for i in 0..keys * 2 {
        let code = services[i as usize % services.len()];
        kiosk
            .issue(&IssueRequest::new(code, None, Lang::ZhCn))
            .map_err(|e| fail("issue")(e.to_string()))?;
    }
    let sign_in = timed(|| counter.sign_in(1, "S001", "2468").map(|_| ()))?;
    let (mut call, mut recall, mut complete, mut transfer) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for i in 0..keys {
        // Each key as the console's worker does it: the change, then the view.
        let mut key = |op: &mut dyn FnMut(&mut dyn HallQueue) -> Result<(), kiosk_contract::HallError>| {
            timed(|| {
                op(&mut counter)?;
                counter.counter_view(1).map(|_| ())
            })
        };
        let mut called = None;
        call.push(key(&mut |q| {
            called = q.call_next(1)?.called.map(|t| t.service);
            Ok(())
        })?);
        recall.push(key(&mut |q| q.recall(1).map(|_| ()))?);
        let elsewhere = services.iter().copied().find(|s| Some(*s) != called);
        if let (0, Some(to)) = (i % 4, elsewhere) {
            transfer.push(key(&mut |q| q.transfer(TicketRef::AtCounter(1), to).map(|_| ()))?);
        } else {
            complete.push(key(&mut |q| q.complete(1).map(|_| ()))?);
        }
    }
    outln!("counter console keys over mutual TLS on loopback (the change and the view after it)");
    outln!("sign-in (Argon2 on the host): {sign_in:.1} ms");
    outln!(
        "{:<22} {:>6} {:>9} {:>9} {:>9} {:>9}",
        "key",
        "n",
        "p50 ms",
        "p95 ms",
        "p99 ms",
        "max ms"
    );
    for (name, ms) in [
        ("F1 call next", call),
        ("F2 recall", recall),
        ("F4 complete", complete),
        ("F5 transfer", transfer),
    ] {
        outln!("{}", summary(name, ms));
    }
    let seen = seen_elsewhere(dir.path(), &base, &mut kiosk, &mut counter, &services, keys)?;
    outln!("a change at counter 1 → counter 2's console has read its view again (hall feed)");
    outln!("{}", summary("change seen elsewhere", seen));
    Ok(())
}

/// Counter 1 calls and completes; counter 2 follows the hall as its console does and reads its
/// view when the change's event arrives. Each figure: from just before counter 1's request to
/// counter 2's view read.
fn seen_elsewhere(
    host_dir: &std::path::Path,
    base: &str,
    kiosk: &mut dyn HallQueue,
    counter: &mut dyn HallQueue,
    services: &[ServiceCode],
    changes: u32,
) -> Result<Vec<f64>, crate::cli::Failure> {
    let tls = enrol(host_dir, base, "counter-2", TerminalRole::Counter, &[2])?;
    let mut other = RemoteQueue::new(HallClient::new(base, tls.clone())?);
    other
        .sign_in(2, "S002", "2468")
        .map_err(|e| fail("sign-in")(e.to_string()))?;
    for i in 0..changes {
        kiosk
            .issue(&IssueRequest::new(
                services[i as usize % services.len()],
                None,
                Lang::ZhCn,
            ))
            .map_err(|e| fail("issue")(e.to_string()))?;
    }
    let (events_tx, events) = mpsc::channel();
    let _following = Following::start(
        "bench-counter-2",
        Box::new(RemoteFeed::new(base, tls)),
        move |item| {
            let sent = match item {
                FeedItem::Event(e) => events_tx.send(Some(*e)),
                FeedItem::Snapshot(_) => events_tx.send(None),
                _ => Ok(()),
            };
            if sent.is_err() {
                return ControlFlow::Break(());
            }
            ControlFlow::Continue(())
        },
    )
    .map_err(|e| fail("follow")(e.to_string()))?;
    let next = || {
        events
            .recv_timeout(Duration::from_secs(10))
            .map_err(|_| fail("hall feed")("nothing for 10 s".into()))
    };
    next()?; // the snapshot: what follows is new
    let mut seen = Vec::new();
    for _ in 0..changes {
        for kind in [EventKind::Call, EventKind::Complete] {
            let started = Instant::now();
            let number = match kind {
                EventKind::Call => counter.call_next(1).map(|r| r.called.map(|t| t.number)),
                _ => counter.complete(1).map(|t| Some(t.number)),
            }
            .map_err(|e| fail("a change")(e.to_string()))?;
            let Some(number) = number else { continue };
            // Events of other changes may come first; this change's is the one awaited.
            while !next()?.is_some_and(|e| e.event == kind && e.number.as_deref() == Some(number.as_str())) {}
            other.counter_view(2).map_err(|e| fail("view")(e.to_string()))?;
            seen.push(started.elapsed().as_secs_f64() * 1000.0);
        }
    }
    Ok(seen)
}
