//! `kiosk bench display`: how soon a call is on the wall. A `kiosk serve` host on loopback, a
//! counter calling over the hall API, and the display's own code path — its event stream over
//! mutual TLS, the board, the window's adapter and a software-rendered 1080p frame — timed
//! from the moment the counter asks. Then full-frame render times at 1080p and 4K.

use super::bench_hall::{enrol, enrol_queue, fail, provision, start_host, summary, tempfile_dir};
use super::{CmdResult, Context, Failure};
use crate::display::feed::{self, FeedOptions};
use crate::hall::access::TerminalRole;
use crate::hall::feed::RemoteFeed;
use crate::lang::Lang;
use crate::ui::DisplayWindow;
use crate::ui::display::{self as screen, DisplayNames};
use crate::ui::display_shots;
use crate::ui::screenshot::{headless, render_frame};
use kiosk_contract::HallQueue;
use kiosk_contract::IssueRequest;
use kiosk_roles::display_board::{Board, Link};
use slint::{PhysicalSize, Rgb8Pixel, SharedPixelBuffer};
use std::sync::mpsc::{self, Receiver};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const FRAME: (u32, u32) = (1920, 1080);

/// The next board `want` accepts (boards in between are passed over).
fn next_board(rx: &Receiver<Board>, want: impl Fn(&Board) -> bool) -> Result<Board, Failure> {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        let board = rx
            .recv_timeout(left)
            .map_err(|_| Failure::failed("the display did not show the call within 10 s"))?;
        if want(&board) {
            return Ok(board);
        }
    }
}

pub fn display(ctx: &Context, calls: u32, frames: usize) -> CmdResult {
    let dir = tempfile_dir()?;
    let config = provision(dir.path(), 1)?;
    let (_host, base) = start_host(dir.path())?;
    let mut kiosk = enrol_queue(dir.path(), &base, "kiosk-1", TerminalRole::SecondaryKiosk, &[])?;
    let mut desk = enrol_queue(dir.path(), &base, "counter-1", TerminalRole::Counter, &[1])?;
    let service = config
        .services
        .first()
        .map(|s| s.code)
        .ok_or_else(|| fail("services")("none".into()))?;
    for _ in 0..calls {
        kiosk.issue(&IssueRequest::new(service, None, Lang::ZhCn))?;
    }

    let (window, ui) = headless(DisplayWindow::new).map_err(Failure::failed)?;
    window.set_size(PhysicalSize::new(FRAME.0, FRAME.1));
    let names = DisplayNames::from_config(&config);
    screen::prepare(&ui, &names);
    let mut buffer = SharedPixelBuffer::<Rgb8Pixel>::new(FRAME.0, FRAME.1);

    // The display's threads, as `kiosk display` runs them; announcements are timed, not played.
    let announced = Arc::new(Mutex::new(Vec::<Instant>::new()));
    let heard = announced.clone();
    let (tx, rx) = mpsc::channel();
    let options = FeedOptions {
        source: Box::new(RemoteFeed::new(
            base.clone(),
            enrol(dir.path(), &base, "display-1", TerminalRole::Display, &[])?,
        )),
        counts: Box::new(enrol_queue(
            dir.path(),
            &base,
            "display-1-counts",
            TerminalRole::Display,
            &[],
        )?),
        clock: ctx.clock.clone(),
        time_zone: config.time_zone(),
        rollover: config.rollover_time(),
        announce: Some(Box::new(move |_| {
            if let Ok(mut h) = heard.lock() {
                h.push(Instant::now());
            }
        })),
        calls: crate::calls::CallStyle::from_config(&config.speech),
    };
    let _feed = feed::start(options, move |b| {
        let _ = tx.send(b.clone());
    })
    .map_err(|e| fail("the display's threads")(e.to_string()))?;
    next_board(&rx, |b| *b.link() == Link::Live)?;

    let (mut to_frame, mut to_announce) = (Vec::new(), Vec::new());
    for _ in 0..calls {
        let asked = Instant::now();
        let called = desk.call_next(1)?.called.map(|t| t.number).unwrap_or_default();
        let board = next_board(&rx, |b| b.highlighted().is_some_and(|c| c.number == called))?;
        screen::show_board(&ui, &board, &names);
        render_frame(&window, &mut buffer);
        to_frame.push(asked.elapsed().as_secs_f64() * 1000.0);
        if let Some(at) = announced.lock().ok().and_then(|a| a.last().copied()) {
            to_announce.push(at.duration_since(asked).as_secs_f64() * 1000.0);
        }
    }
    outln!("calling display, {calls} calls; milliseconds from the counter's request:");
    outln!(
        "{:<22} {:>6} {:>9} {:>9} {:>9} {:>9}",
        "",
        "n",
        "p50",
        "p95",
        "p99",
        "max"
    );
    outln!("{}", summary("frame showing it", to_frame));
    outln!("{}", summary("sent to the speakers", to_announce));
    for size in [FRAME, (3840, 2160)] {
        let (p50, p95) = display_shots::frame_times(&config, size, frames).map_err(Failure::failed)?;
        outln!(
            "{}x{}: full frame p50 {p50:.1} ms, p95 {p95:.1} ms ({frames} frames)",
            size.0,
            size.1
        );
    }
    Ok(())
}
