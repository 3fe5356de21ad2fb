//! The hall host service: with two processes' worth of services on one data directory (as with
//! `kiosk run` and `kiosk serve` on one hall host), one carries out the duties, each call is
//! announced once, and the other takes over when the first stops.

use kiosk::config::Config;
use kiosk::hall_host::{HallHost, HostOptions};
use kiosk::speech::SpeechService;
use kiosk::speech::service::Command;
use kiosk_contract::IssueRequest;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

fn host(dir: &std::path::Path, config: &Arc<Config>) -> (HallHost, Arc<Mutex<Vec<Command>>>) {
    let (speech, log): (SpeechService, _) = SpeechService::recorder();
    let host = HallHost::start(HostOptions {
        api: Default::default(),
        data_dir: dir.to_path_buf(),
        config: config.clone(),
        clock: Arc::new(kiosk::clock::SystemClock),
        agency: None,
        announcer: Some(speech),
    })
    .expect("start");
    (host, log)
}

fn announcements(log: &Mutex<Vec<Command>>) -> usize {
    log.lock()
        .unwrap()
        .iter()
        .filter(|c| matches!(c, Command::Announce(_)))
        .count()
}

/// Waits (on the recorded log, not on time) until `want` announcements were made in all, then
/// a little longer, so that a second, duplicate announcement would be seen too.
fn wait_for_announcements(logs: &[&Mutex<Vec<Command>>], want: usize) -> usize {
    let total = || logs.iter().map(|l| announcements(l)).sum::<usize>();
    let deadline = Instant::now() + Duration::from_secs(10);
    while total() < want && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
    }
    // Both announcers look at the queue every LOCAL_POLL: a duplicate would come within a few.
    std::thread::sleep(kiosk::hall::feed::LOCAL_POLL * 10);
    total()
}

#[test]
fn each_call_is_announced_once_and_the_standby_takes_over() {
    let dir = tempfile::tempdir().unwrap();
    let config = Arc::new(Config::default());
    let (first, first_log) = host(dir.path(), &config);
    assert!(first.wait_until_leading(Duration::from_secs(10)));
    let (second, second_log) = host(dir.path(), &config);
    assert!(
        !second.wait_until_leading(Duration::from_millis(300)),
        "only one carries out the duties"
    );

    let store = kiosk_store::Store::open_in(dir.path()).unwrap();
    let clock = Arc::new(kiosk::clock::SystemClock);
    let mut counter = kiosk::queue_service::QueueService::new(store, config.clone(), clock).unwrap();
    for _ in 0..2 {
        counter
            .issue(&IssueRequest::new(
                "A".parse().unwrap(),
                None,
                kiosk::lang::Lang::ZhCn,
            ))
            .unwrap();
    }
    counter.call_next(1).unwrap();
    assert_eq!(
        wait_for_announcements(&[&first_log, &second_log], 1),
        1,
        "heard once"
    );
    assert_eq!(announcements(&first_log), 1, "by the one carrying out the duties");

    // The first process ends: the second takes over and announces the next call, once.
    drop(first);
    assert!(
        second.wait_until_leading(Duration::from_secs(10)),
        "the standby takes over"
    );
    counter.call_next(2).unwrap();
    assert_eq!(wait_for_announcements(&[&first_log, &second_log], 2), 2);
    assert_eq!(announcements(&second_log), 1);
}
