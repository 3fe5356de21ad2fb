//! `kiosk bench hall`: a hall under load over mutual TLS on loopback. A real `kiosk serve`
//! process is the host; in this process 3 secondary kiosks issue tickets, N counters call at
//! once, and 5 displays follow the event stream. Reports p50/p99 per operation, the time from
//! a call's commit to each display, and the host's peak memory.

use super::{CmdResult, Context, Failure};
use crate::config::{Config, CounterConfig};
use crate::hall::access::TerminalRole;
use crate::hall::client::{HallClient, TerminalTls};
use crate::hall::enrolment;
use crate::hall::feed::RemoteFeed;
use crate::hall::pki::HallCa;
use crate::hall::remote::RemoteQueue;
use crate::lang::Lang;
use kiosk_contract::IssueRequest;
use kiosk_contract::{FeedItem, HallFeed, HallQueue};
use kiosk_store::Store;
use std::ops::ControlFlow;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const KIOSKS: usize = 3;
const DISPLAYS: usize = 5;

pub(super) fn fail(what: &str) -> impl Fn(String) -> Failure + '_ {
    move |e| Failure::failed(format!("{what}: {e}"))
}

/// The host's data directory: `counters` counters serving every service, no sound.
pub(super) fn provision(dir: &Path, counters: u32) -> Result<Config, Failure> {
    let mut config = Config::default();
    let services: Vec<_> = config.services.iter().map(|s| s.code).collect();
    config.counters = (1..=counters)
        .map(|id| CounterConfig::numbered(id, services.clone()))
        .collect();
    config.speech.enabled = false;
    std::fs::create_dir_all(dir).map_err(|e| fail("data directory")(e.to_string()))?;
    std::fs::write(dir.join("config.toml"), config.to_toml()).map_err(|e| fail("config")(e.to_string()))?;
    Ok(config)
}

/// Enrols a terminal in-process against the host's database and the running API; its TLS.
pub(super) fn enrol(
    host_dir: &Path,
    base: &str,
    id: &str,
    role: TerminalRole,
    counters: &[u32],
) -> Result<rustls::ClientConfig, Failure> {
    let now = chrono::Utc::now();
    let ca = HallCa::open_or_create(host_dir, "bench", now).map_err(|e| fail("hall CA")(e.to_string()))?;
    let mut store = Store::open_in(host_dir)?;
    let code = enrolment::issue_code(&mut store, &ca, id, role, counters, now)
        .map_err(|e| fail("code")(e.to_string()))?;
    let (answer, key) = enrolment::join(base, &code.code, &code.ca_fingerprint)?;
    let tls = TerminalTls {
        ca_pem: answer.ca_pem,
        cert_pem: answer.certificate_pem,
        key_pem: key,
    };
    Ok(tls.rustls()?)
}

pub(super) fn enrol_queue(
    host_dir: &Path,
    base: &str,
    id: &str,
    role: TerminalRole,
    counters: &[u32],
) -> Result<RemoteQueue, Failure> {
    let tls = enrol(host_dir, base, id, role, counters)?;
    Ok(RemoteQueue::new(HallClient::new(base, tls)?))
}

pub(super) struct Host {
    child: std::process::Child,
}

impl Host {
    fn peak_kib(&self) -> Option<u64> {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).ok()?;
        status
            .lines()
            .find_map(|l| l.strip_prefix("VmHWM:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
    }
}

impl Drop for Host {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub(super) fn start_host(dir: &Path) -> Result<(Host, String), Failure> {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map_err(|e| fail("a free port")(e.to_string()))?
        .port();
    let exe = std::env::current_exe().map_err(|e| fail("this program")(e.to_string()))?;
    // The CA first, so the host serves the API.
    HallCa::open_or_create(dir, "bench", chrono::Utc::now()).map_err(|e| fail("hall CA")(e.to_string()))?;
    let child = std::process::Command::new(exe)
        .arg("--data-dir")
        .arg(dir)
        .args(["serve", "--listen", &format!("127.0.0.1:{port}")])
        .stderr(std::process::Stdio::null())
        .spawn()
        .map_err(|e| fail("kiosk serve")(e.to_string()))?;
    let host = Host { child };
    let base = format!("https://127.0.0.1:{port}");
    let deadline = Instant::now() + Duration::from_secs(60);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        if Instant::now() > deadline {
            return Err(Failure::failed(
                "the hall host did not start listening within 60 s",
            ));
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    Ok((host, base))
}

fn percentile(sorted: &[f64], q: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let i = ((sorted.len() - 1) as f64 * q).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

pub(super) fn summary(name: &str, mut ms: Vec<f64>) -> String {
    ms.sort_by(f64::total_cmp);
    format!(
        "{name:<22} {:>6} {:>9.1} {:>9.1} {:>9.1} {:>9.1}",
        ms.len(),
        percentile(&ms, 0.5),
        percentile(&ms, 0.95),
        percentile(&ms, 0.99),
        ms.last().copied().unwrap_or(f64::NAN)
    )
}

/// Runs `count` operations split over the clients' threads; the milliseconds of each. In
/// `bursts`, every client waits for the others before each operation, so they all ask at once
/// (as counters do when a hall opens); otherwise each asks again as soon as it is answered.
fn timed_in_parallel(
    clients: Vec<RemoteQueue>,
    count: u32,
    bursts: bool,
    op: impl Fn(usize, &mut RemoteQueue) -> Result<(), kiosk_contract::HallError> + Send + Sync + 'static,
) -> Result<Vec<f64>, Failure> {
    let op = Arc::new(op);
    let workers = clients.len() as u32;
    let barrier = Arc::new(std::sync::Barrier::new(clients.len()));
    let handles: Vec<_> = clients
        .into_iter()
        .enumerate()
        .map(|(i, mut q)| {
            let (op, barrier) = (op.clone(), barrier.clone());
            // In bursts every client makes the same number of requests (the barrier needs all).
            let share = count / workers + u32::from(!bursts && (i as u32) < count % workers);
            std::thread::spawn(move || -> Result<Vec<f64>, kiosk_contract::HallError> {
                let mut times = Vec::new();
                for _ in 0..share {
                    if bursts {
                        barrier.wait();
                    }
                    let start = Instant::now();
                    op(i, &mut q)?;
                    times.push(start.elapsed().as_secs_f64() * 1000.0);
                }
                Ok(times)
            })
        })
        .collect();
    let mut all = Vec::new();
    for h in handles {
        let times = h
            .join()
            .map_err(|_| Failure::failed("a worker thread failed"))?
            .map_err(|e| Failure::failed(e.message))?;
        all.extend(times);
    }
    Ok(all)
}

pub fn hall(_ctx: &Context, counters: u32, calls: u32) -> CmdResult {
    let dir = tempfile_dir()?;
    provision(dir.path(), counters)?;
    let (host, base) = start_host(dir.path())?;
    let mut kiosks = (0..KIOSKS)
        .map(|i| {
            enrol_queue(
                dir.path(),
                &base,
                &format!("kiosk-{i}"),
                TerminalRole::SecondaryKiosk,
                &[],
            )
        })
        .collect::<Result<Vec<_>, _>>()?;
    let mut desks: Vec<RemoteQueue> = (1..=counters)
        .map(|c| {
            enrol_queue(
                dir.path(),
                &base,
                &format!("counter-{c}"),
                TerminalRole::Counter,
                &[c],
            )
        })
        .collect::<Result<Vec<_>, _>>()?;

    // Five displays follow the stream; each call's delay is the time from its commit.
    let delays = Arc::new(Mutex::new(Vec::<f64>::new()));
    let finished = Arc::new(std::sync::atomic::AtomicU32::new(0));
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let mut followers = Vec::new();
    for d in 0..DISPLAYS {
        let tls = enrol(
            dir.path(),
            &base,
            &format!("display-{d}"),
            TerminalRole::Display,
            &[],
        )?;
        let (delays, finished, stop, base) = (delays.clone(), finished.clone(), stop.clone(), base.clone());
        let (ready_tx, ready_rx) = std::sync::mpsc::channel();
        followers.push(std::thread::spawn(move || {
            let mut seen = 0;
            RemoteFeed::new(base, tls).follow(&mut |item| {
                use std::sync::atomic::Ordering;
                match item {
                    FeedItem::Snapshot(_) => {
                        let _ = ready_tx.send(());
                    }
                    FeedItem::Event(e) if e.is_call() => {
                        let ms = (chrono::Utc::now() - e.at).num_microseconds().unwrap_or(0) as f64 / 1000.0;
                        if let Ok(mut d) = delays.lock() {
                            d.push(ms);
                        }
                        seen += 1;
                        if seen == calls {
                            finished.fetch_add(1, Ordering::SeqCst);
                            return ControlFlow::Break(());
                        }
                    }
                    _ => {}
                }
                if stop.load(Ordering::SeqCst) {
                    ControlFlow::Break(())
                } else {
                    ControlFlow::Continue(())
                }
            });
        }));
        ready_rx
            .recv_timeout(Duration::from_secs(10))
            .map_err(|_| Failure::failed("a display did not get its snapshot"))?;
    }

    // Terminals keep their connection open: the handshakes happen before the clock starts.
    for q in kiosks.iter_mut().chain(desks.iter_mut()) {
        q.summary()?;
    }
    let started = Instant::now();
    let issue = timed_in_parallel(kiosks, calls, false, |i, q| {
        q.issue(&IssueRequest::new(
            "A".parse().map_err(kiosk_contract::HallError::bad_input)?,
            None,
            Lang::ALL[i % 3],
        ))
        .map(drop)
    })?;
    let issue_seconds = started.elapsed().as_secs_f64();
    // Half the calls in bursts (all counters at once), half back to back (saturation).
    let burst = timed_in_parallel(desks.clone(), calls / 2, true, |i, q| {
        q.call_next(i as u32 + 1).map(drop)
    })?;
    let started = Instant::now();
    let call = timed_in_parallel(desks, calls - burst.len() as u32, false, |i, q| {
        q.call_next(i as u32 + 1).map(drop)
    })?;
    let call_seconds = started.elapsed().as_secs_f64();
    let flat_out = call.len() as f64;
    let deadline = Instant::now() + Duration::from_secs(30);
    while finished.load(std::sync::atomic::Ordering::SeqCst) < DISPLAYS as u32 && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
    }
    let peak = host.peak_kib();
    stop.store(true, std::sync::atomic::Ordering::SeqCst);
    drop(host);
    for f in followers {
        let _ = f.join();
    }
    let delays = delays.lock().map(|d| d.clone()).unwrap_or_default();
    outln!("hall API on loopback, mutual TLS: {KIOSKS} kiosks, {counters} counters, {DISPLAYS} displays");
    outln!(
        "{:<22} {:>6} {:>9} {:>9} {:>9} {:>9}",
        "operation (ms)",
        "n",
        "p50",
        "p95",
        "p99",
        "max"
    );
    outln!("{}", summary("issue (3 kiosks)", issue));
    outln!("{}", summary(&format!("call, {counters} at once"), burst));
    outln!("{}", summary(&format!("call, {counters} flat out"), call));
    outln!("{}", summary("commit → display", delays));
    outln!(
        "throughput: {:.0} issues/s, {:.0} calls/s; host peak resident memory {}",
        f64::from(calls) / issue_seconds,
        flat_out / call_seconds,
        peak.map_or("unknown".to_owned(), |k| format!("{:.1} MiB", k as f64 / 1024.0))
    );
    Ok(())
}

/// A scratch data directory, removed afterwards.
pub(super) fn tempfile_dir() -> Result<TempDir, Failure> {
    let path = std::env::temp_dir().join(format!("kiosk-bench-hall-{}", uuid::Uuid::now_v7()));
    std::fs::create_dir_all(&path).map_err(|e| fail("scratch directory")(e.to_string()))?;
    Ok(TempDir(path))
}

pub(super) struct TempDir(std::path::PathBuf);

impl TempDir {
    pub(super) fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}
