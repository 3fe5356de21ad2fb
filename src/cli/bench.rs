//! `kiosk bench …`: measurements recorded in docs/measurements.md (run with `/usr/bin/time -v`).

use super::{CmdResult, Context, Failure, print_json};
use crate::lang::Lang;
use crate::queue::ServiceCode;
use clap::Subcommand;
use kiosk_contract::IssueRequest;
use std::io::Write;
use std::time::Instant;

#[derive(Subcommand, Debug)]
pub enum BenchCommand {
    /// Issue tickets as fast as possible, each in its own durable transaction.
    Queue {
        #[arg(long, default_value_t = 1000)]
        tickets: u32,
        /// Print each ticket as a JSON line once it is committed (the crash test reads these).
        #[arg(long)]
        report_each: bool,
        #[arg(long)]
        json: bool,
    },
    /// Headless: time to the first frame and full-frame render times of the home screen.
    Ui {
        #[arg(long, default_value_t = 50)]
        frames: usize,
        #[arg(long, value_name = "WxH", default_value = "1080x1920", value_parser = super::kiosk_ui::parse_size)]
        size: (u32, u32),
    },
    /// Queue N pre-applications while the agency is "down", then drain them to a local receiver.
    Outbox {
        #[arg(long, default_value_t = 10_000)]
        submissions: u32,
    },
    /// Speech: decoding the voice packs, and from a counter's call (committed by another
    /// connection) to the first sample of the chime leaving the mixer.
    Speech {
        #[arg(long, default_value_t = 200)]
        calls: u32,
    },
    /// Sign-language video: play a clip to its end into panel-sized frames turned into Slint
    /// images, as the kiosk does; CPU share and frames (run under `/usr/bin/time -v`).
    Media {
        #[arg(long, value_name = "FILE")]
        clip: std::path::PathBuf,
    },
    /// Bytes per receipt in each language and paper width, time on the wire, encoding time.
    Receipt {
        #[arg(long, default_value_t = 20)]
        rounds: u32,
    },
    /// The hall API under load: a `kiosk serve` host, 3 kiosks issuing, N counters calling at
    /// once and 5 displays following the events, all over mutual TLS on loopback.
    Hall {
        #[arg(long, default_value_t = 20)]
        counters: u32,
        #[arg(long, default_value_t = 2000)]
        calls: u32,
    },
    /// The counter console's keys: each change and the view after it, as the console's worker
    /// makes them against a `kiosk serve` host over mutual TLS, and the staff sign-in.
    Counter {
        #[arg(long, default_value_t = 200)]
        keys: u32,
    },
    /// The calling display: from a counter's call to the frame that shows it (a `kiosk serve`
    /// host, the display's event stream over mutual TLS, the software renderer), and frame
    /// times at 1080p and 4K.
    Display {
        #[arg(long, default_value_t = 200)]
        calls: u32,
        #[arg(long, default_value_t = 100)]
        frames: usize,
    },
}

#[derive(serde::Serialize)]
struct LatencyReport {
    tickets: u32,
    p50_us: u128,
    p99_us: u128,
    max_us: u128,
    tickets_per_second: f64,
}

pub fn run(ctx: &Context, cmd: BenchCommand) -> CmdResult {
    match cmd {
        BenchCommand::Queue {
            tickets,
            report_each,
            json,
        } => queue(ctx, tickets, report_each, json),
        BenchCommand::Ui { frames, size } => {
            let (config, _) = ctx.load_config()?;
            let t = crate::ui::screenshot::measure_frames(&config, size, frames).map_err(Failure::failed)?;
            outln!(
                "{}x{}: first frame after {:.0} ms; full frame p50 {:.1} ms, p95 {:.1} ms ({frames} frames)",
                size.0,
                size.1,
                t.first_frame_ms,
                t.full_frame_p50_ms,
                t.full_frame_p95_ms
            );
            Ok(())
        }
        BenchCommand::Receipt { rounds } => receipt(ctx, rounds),
        BenchCommand::Outbox { submissions } => outbox(ctx, submissions),
        BenchCommand::Speech { calls } => speech(ctx, calls),
        BenchCommand::Media { clip } => media(&clip),
        BenchCommand::Hall { counters, calls } => super::bench_hall::hall(ctx, counters, calls),
        BenchCommand::Display { calls, frames } => super::bench_display::display(ctx, calls, frames),
        BenchCommand::Counter { keys } => super::bench_counter::counter(ctx, keys),
    }
}

/// A typical ticket (a waiting visitor with people ahead and a QR link) in every language.
fn receipt(ctx: &Context, rounds: u32) -> CmdResult {
    use crate::queue_service::TicketView;
    use crate::receipt::{Paper, encode::encode};
    let (mut config, _) = ctx.load_config()?;
    if config.printer.status_url.is_none() {
        config.printer.status_url = Some("https://hall.example/queue/{ticket}".into());
    }
    let now = ctx.clock.now();
    let ticket = TicketView {
        id: uuid::Uuid::now_v7().to_string(),
        number: "A012".into(),
        service: "A".parse::<ServiceCode>().map_err(Failure::failed)?,
        service_name: "法律咨询".into(),
        priority: None,
        state: crate::queue::TicketState::Waiting,
        language: "zh-CN".into(),
        business_day: now.date_naive(),
        issued_at: now,
        counter: None,
        called_at: None,
        recalls: 0,
        people_ahead: Some(7),
        estimated_wait_minutes: Some(35),
    };
    outln!("receipt        paper  bytes   9600 baud  115200 baud  encode p50");
    for paper in [Paper::Mm80, Paper::Mm58] {
        for lang in Lang::ALL {
            let job = crate::printing::ticket_job(&config, &ticket, lang);
            let mut times = Vec::new();
            let mut bytes = 0;
            for _ in 0..rounds.max(1) {
                let start = Instant::now();
                bytes = encode(&job.receipt, paper)
                    .map_err(|e| Failure::failed(e.to_string()))?
                    .len();
                times.push(start.elapsed());
            }
            times.sort();
            // 8N1: ten bits on the wire per byte.
            let wire = |baud: f64| bytes as f64 * 10.0 / baud;
            outln!(
                "ticket {:<7} {:>3} mm {:>6} {:>9.2} s {:>10.2} s {:>8.1} ms",
                lang.code(),
                if paper == Paper::Mm80 { 80 } else { 58 },
                bytes,
                wire(9600.0),
                wire(115_200.0),
                times[times.len() / 2].as_secs_f64() * 1000.0
            );
        }
    }
    Ok(())
}

fn queue(ctx: &Context, tickets: u32, report_each: bool, json: bool) -> CmdResult {
    let mut queue = ctx.open_queue()?;
    let services: Vec<ServiceCode> = queue.config().services.iter().map(|s| s.code).collect();
    let mut latencies = Vec::with_capacity(tickets as usize);
    let mut out = std::io::stdout().lock();
    let started = Instant::now();
    for i in 0..tickets {
        let service = services[i as usize % services.len()];
        let t0 = Instant::now();
        let ticket = queue.issue(&IssueRequest::new(service, None, Lang::ZhCn))?;
        latencies.push(t0.elapsed().as_micros());
        if report_each {
            let line = serde_json::json!({ "id": ticket.id, "number": ticket.number });
            writeln!(out, "{line}")
                .and_then(|()| out.flush())
                .map_err(|e| Failure::failed(format!("cannot write to stdout: {e}")))?;
        }
    }
    let elapsed = started.elapsed().as_secs_f64();
    drop(out);
    latencies.sort_unstable();
    let pick = |q: f64| {
        latencies
            .get(((latencies.len() as f64 - 1.0) * q).round() as usize)
            .copied()
            .unwrap_or(0)
    };
    let report = LatencyReport {
        tickets,
        p50_us: pick(0.50),
        p99_us: pick(0.99),
        max_us: latencies.last().copied().unwrap_or(0),
        tickets_per_second: if elapsed > 0.0 {
            f64::from(tickets) / elapsed
        } else {
            0.0
        },
    };
    if json {
        return print_json(&report);
    }
    if !report_each {
        outln!(
            "{} tickets: p50 {} µs, p99 {} µs, max {} µs, {:.0} tickets/s",
            report.tickets,
            report.p50_us,
            report.p99_us,
            report.max_us,
            report.tickets_per_second
        );
    }
    Ok(())
}

/// The outage case: everything piled up in the outbox goes out once the agency is back.
fn outbox(ctx: &Context, submissions: u32) -> CmdResult {
    use crate::agency::deliver::{Agency, drain};
    use crate::agency::receiver::{Faults, Receiver};
    use kiosk_store::Store;
    let fail = |e: String| Failure::failed(e);
    let (config, _) = ctx.load_config()?;
    let mut store = Store::open_in(&ctx.data_dir)?;
    let now = ctx.clock.now();
    let body = serde_json::json!({"schema": "pre-application/1", "contact": {"phone": "13800000000"}});
    let start = Instant::now();
    for i in 0..submissions {
        let id = uuid::Uuid::now_v7().to_string();
        let local = format!("B-{i:06}");
        let bytes = body.to_string().into_bytes();
        store
            .write(|tx| {
                kiosk_store::outbox_tables::insert(
                    tx,
                    &kiosk_store::outbox_tables::NewSubmission {
                        id: &id,
                        kind: "pre-application/1",
                        local_reference: &local,
                        created_at: now,
                        body: &bytes,
                    },
                )
            })
            .map_err(|e| fail(e.to_string()))?;
    }
    let queued = start.elapsed();
    let key = b"bench-key".to_vec();
    let receiver = std::sync::Arc::new(
        Receiver::new(key.clone(), Faults::default(), None).map_err(|e| fail(e.to_string()))?,
    );
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| fail(e.to_string()))?;
    let report = rt.block_on(async {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .map_err(|e| fail(e.to_string()))?;
        let url = format!(
            "http://{}",
            listener.local_addr().map_err(|e| fail(e.to_string()))?
        );
        tokio::spawn(crate::agency::receiver::serve(
            listener,
            receiver.clone(),
            std::future::pending(),
        ));
        let terminal = format!("{}/{}", config.hall.id, config.terminal.id);
        let agency = Agency::new(&url, key, terminal).map_err(fail)?;
        let start = Instant::now();
        let report = drain(&mut store, &agency, ctx.clock.as_ref(), true)
            .await
            .map_err(fail)?;
        Ok::<_, Failure>((report, start.elapsed()))
    })?;
    let (report, took) = report;
    outln!(
        "queued {submissions} in {:.1} s; drained {} (delivered {}, retrying {}, dead {}) in {:.1} s: {:.0} per second; receiver accepted {}",
        queued.as_secs_f64(),
        report.attempted,
        report.delivered,
        report.retrying,
        report.dead,
        took.as_secs_f64(),
        report.delivered as f64 / took.as_secs_f64().max(1e-9),
        receiver.stats().accepted
    );
    Ok(())
}

fn speech(ctx: &Context, calls: u32) -> CmdResult {
    use crate::following::Following;
    use crate::hall::feed::LocalFeed;
    use crate::hall_queue::LocalQueue;
    use crate::queue_service::QueueService;
    use crate::speech::{ClipStore, Voice, compose, wav::Offline};
    use kiosk_contract::FeedItem;
    use kiosk_store::Store;
    use std::ops::ControlFlow;
    let fail = |e: String| Failure::failed(e);
    let (config, _) = ctx.load_config()?;
    let start = Instant::now();
    let (store, errors) = ClipStore::load(
        &crate::speech::pack::voice_dir_in(&config.speech, &ctx.data_dir),
        &Voice::ALL,
    );
    if let Some(e) = errors.first() {
        return Err(fail(e.to_string()));
    }
    let load = start.elapsed();
    let packs: Vec<_> = store.voices().into_iter().filter_map(|v| store.pack(v)).collect();
    let clips: usize = packs.iter().map(|p| p.len()).sum();
    let start = Instant::now();
    let mut samples = 0;
    for (id, clip) in packs.iter().flat_map(|p| p.clips()) {
        samples += clip.decode().map_err(|e| fail(format!("clip {id}: {e}")))?.len();
    }
    outln!(
        "voice packs: {clips} clips, {:.0} s of speech, opened in {:.0} ms (left on disk, decoded when played); \
         all decoded once in {:.2} s (what `kiosk speak --check` does)",
        samples as f64 / f64::from(crate::speech::RATE),
        load.as_secs_f64() * 1000.0,
        start.elapsed().as_secs_f64()
    );

    // A hall with a morning's queue in a real database; the counters call from a second connection.
    let config = std::sync::Arc::new(config);
    // Its own database beside the hall's, in a data directory that may not exist yet.
    std::fs::create_dir_all(&ctx.data_dir).map_err(|e| {
        fail(format!(
            "cannot make the data directory {}: {e}",
            ctx.data_dir.display()
        ))
    })?;
    let db = ctx.data_dir.join("bench-speech.sqlite");
    let _ = std::fs::remove_file(&db);
    let open = || {
        Store::open(&db).map_err(|e| fail(e.to_string())).and_then(|s| {
            QueueService::new(s, config.clone(), ctx.clock.clone()).map_err(|e| fail(e.to_string()))
        })
    };
    let (mut hall, mut counters) = (open()?, open()?);
    for i in 0..calls + 100 {
        let service = config.services[i as usize % config.services.len()].code;
        hall.issue(&IssueRequest::new(service, None, Lang::ZhCn))
            .map_err(|e| fail(e.to_string()))?;
    }
    // The announcer's way: the hall feed on the host's database, a call per call event.
    let (calls_tx, calls_rx) = std::sync::mpsc::channel();
    let _following = Following::start(
        "bench-feed",
        Box::new(LocalFeed::new(Box::new(LocalQueue::new(hall)))),
        move |item| {
            let sent = match item {
                FeedItem::Snapshot(_) => calls_tx.send(None),
                FeedItem::Event(e) => crate::calls::calls_in(&[*e])
                    .into_iter()
                    .try_for_each(|c| calls_tx.send(Some(c))),
                _ => Ok(()),
            };
            if sent.is_err() {
                return ControlFlow::Break(());
            }
            ControlFlow::Continue(())
        },
    )
    .map_err(|e| fail(format!("cannot follow the hall: {e}")))?;
    let next = || {
        calls_rx
            .recv_timeout(std::time::Duration::from_secs(10))
            .map_err(|_| fail("the hall feed brought nothing for 10 s".into()))
    };
    // The snapshot first: calls from now on are the feed's.
    next()?;
    let mut offline = Offline::new(std::sync::Arc::new(store));
    let (mut queued, mut first) = (Vec::new(), Vec::new());
    for i in 0..calls {
        let counter = 1 + i % config.counters.len().max(1) as u32;
        counters.call_next(counter).map_err(|e| fail(e.to_string()))?;
        let t0 = Instant::now();
        let Some(call) = next()? else {
            return Err(fail(
                "the hall feed started again in the middle of the bench".into(),
            ));
        };
        let parts = compose::call(&call.number, call.counter, &config.speech.call_languages);
        offline.speaker.announce(&parts);
        queued.push(t0.elapsed());
        while offline.pull(1).first().is_some_and(|s| *s == 0.0) {}
        first.push(t0.elapsed());
        offline.drain(60);
    }
    let _ = std::fs::remove_file(&db);
    // The first call decodes its clips; later ones find most of them kept.
    let cold = first.first().map_or(0.0, |d| d.as_secs_f64() * 1000.0);
    let decoded_mib = offline.speaker.store().decoded_samples() as f64 * 2.0 / (1024.0 * 1024.0);
    let at = |v: &mut Vec<std::time::Duration>, q: f64| {
        v.sort();
        v.get(((v.len().max(1) - 1) as f64 * q) as usize)
            .map_or(0.0, |d| d.as_secs_f64() * 1000.0)
    };
    outln!(
        "call committed → queued in the player: p50 {:.2} ms, p95 {:.2} ms; → first chime sample out \
         of the mixer: p50 {:.2} ms, p95 {:.2} ms ({calls} calls, through the hall feed, which looks \
         every {} ms; add the sound card's buffer)",
        at(&mut queued, 0.5),
        at(&mut queued, 0.95),
        at(&mut first, 0.5),
        at(&mut first, 0.95),
        crate::hall::feed::LOCAL_POLL.as_millis()
    );
    outln!(
        "first call (its clips decoded then): {cold:.2} ms to the chime; clips kept decoded: {decoded_mib:.1} MiB"
    );
    Ok(())
}

/// CPU seconds this process has used (user + system), from /proc.
fn cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // Fields after the command name (which may hold spaces) start after the last ')'.
    let fields: Vec<&str> = stat
        .rsplit_once(')')
        .map(|(_, rest)| rest.split_whitespace().collect())
        .unwrap_or_default();
    let ticks = |i: usize| fields.get(i).and_then(|v| v.parse::<f64>().ok()).unwrap_or(0.0);
    // utime and stime are fields 14 and 15 of the line, 12 and 13 after the name.
    (ticks(11) + ticks(12)) / 100.0
}

fn media(clip: &std::path::Path) -> CmdResult {
    use crate::media::{Event, MediaPlayer};
    use std::sync::mpsc;
    let (w, h) = crate::ui::media::FRAME_SIZE;
    let (tx, rx) = mpsc::channel();
    let player = MediaPlayer::spawn(w, h, move |e| {
        let _ = tx.send(e);
    })
    .map_err(|e| Failure::failed(e.to_string()))?;
    let (cpu0, start) = (cpu_seconds(), Instant::now());
    player.play("bench", clip.to_path_buf());
    let mut frames = 0u32;
    loop {
        match rx.recv_timeout(std::time::Duration::from_secs(30)) {
            Ok(Event::Frame(f)) => {
                // What the UI thread does with each frame.
                let buffer = slint::SharedPixelBuffer::<slint::Rgba8Pixel>::clone_from_slice(
                    &f.rgba, f.width, f.height,
                );
                std::hint::black_box(slint::Image::from_rgba8(buffer));
                frames += 1;
            }
            Ok(Event::Ended { .. }) => break,
            Ok(Event::Failed { reason, .. }) => return Err(Failure::failed(reason)),
            Ok(_) => {}
            Err(_) => return Err(Failure::failed("the clip did not end")),
        }
    }
    let (wall, cpu) = (start.elapsed().as_secs_f64(), cpu_seconds() - cpu0);
    outln!(
        "{frames} frames of {w}x{h} in {wall:.1} s ({:.1} fps); CPU {cpu:.2} s = {:.1} % of one core",
        f64::from(frames) / wall,
        cpu / wall * 100.0
    );
    Ok(())
}
