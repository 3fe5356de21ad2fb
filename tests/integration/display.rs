//! The calling display fed by a real hall host on loopback (mutual TLS, the SSE event stream):
//! what it shows and announces as counters call, when the host dies and comes back, and at a
//! new business day. The boards are the ones the window is handed; the announcements are the
//! commands the speakers get, then played through the device-less mixer.

use crate::hall;

use chrono::{Duration as Days, Utc};
use hall::{Hall, service};
use kiosk::clock::{Clock, ManualClock};
use kiosk::config::Config;
use kiosk::contract::HallFeed;
use kiosk::contract::HallQueue;
use kiosk::display::feed::{self, BoardLog, Feed, FeedOptions};
use kiosk::hall::access::TerminalRole;
use kiosk::hall::client::TerminalTls;
use kiosk::hall::feed::{LocalFeed, RemoteFeed};
use kiosk::lang::Lang;
use kiosk::speech::service::Command;
use kiosk::speech::{ClipStore, Part, Voice};
use kiosk_contract::IssueRequest;
use kiosk_roles::display_board::{Board, Link};
use std::sync::{Arc, Mutex};
use std::time::Duration;

const WAIT: Duration = Duration::from_secs(15);

struct Display {
    boards: BoardLog,
    said: Arc<Mutex<Vec<Command>>>,
    _feed: Feed,
    _dir: tempfile::TempDir,
}

/// The display's options for `hall` with everything but where it reads from.
fn options(
    hall: &Hall,
    source: Box<dyn HallFeed>,
    counts: Box<dyn HallQueue>,
    clock: Arc<dyn Clock>,
    announce: Option<Box<dyn Fn(Command) + Send>>,
) -> FeedOptions {
    FeedOptions {
        source,
        counts,
        clock,
        time_zone: hall.config.time_zone(),
        rollover: hall.config.rollover_time(),
        announce,
        calls: kiosk::calls::CallStyle {
            voices: vec![Voice::Zh, Voice::En],
            repeat: false,
        },
    }
}

/// A terminal enrolled as a display, following the host over the network.
fn display(hall: &Hall, clock: Arc<dyn Clock>) -> Display {
    let (dir, client) = hall.join("wall-1", TerminalRole::Display, &[]);
    let tls = TerminalTls::load(dir.path()).unwrap().rustls().unwrap();
    let boards = BoardLog::default();
    let said = Arc::new(Mutex::new(Vec::new()));
    let log = said.clone();
    let source = Box::new(RemoteFeed::new(hall.base.clone(), tls));
    let counts = Box::new(kiosk::hall::remote::RemoteQueue::new(client));
    let announce: Box<dyn Fn(Command) + Send> = Box::new(move |c| log.lock().unwrap().push(c));
    let sink = boards.clone();
    let feed = feed::start(options(hall, source, counts, clock, Some(announce)), move |b| {
        sink.push(b)
    })
    .unwrap();
    Display {
        boards,
        said,
        _feed: feed,
        _dir: dir,
    }
}

impl Display {
    fn wait(&self, what: &str, want: impl Fn(&Board) -> bool) -> Board {
        self.boards
            .wait_for(WAIT, want)
            .unwrap_or_else(|| panic!("the display never showed {what}; last: {:?}", self.boards.last()))
    }

    /// The numbers announced so far, in order.
    fn announced(&self) -> Vec<String> {
        self.said
            .lock()
            .unwrap()
            .iter()
            .map(|c| match c {
                Command::Announce(parts) => spoken_number(parts),
                other => panic!("a display only announces: {other:?}"),
            })
            .collect()
    }
}

/// The ticket number a call's parts spell (its letter and digit clips, in the first voice).
fn spoken_number(parts: &[Part]) -> String {
    let mut out = String::new();
    for p in parts {
        let Part::Clip { id, .. } = p else { continue };
        if let Some(l) = id.strip_prefix("letter-") {
            out.push_str(&l.to_uppercase());
        } else if let Some(d) = id.strip_prefix("num-").filter(|_| !out.is_empty()) {
            out.push_str(d);
        } else if !out.is_empty() {
            break;
        }
    }
    out
}

/// Connected and past the snapshot: a call made from now on is news. (Connected alone is not
/// enough: a call made before the host takes the snapshot is in it, and not news.)
fn has_snapshot(b: &Board) -> bool {
    *b.link() == Link::Live && b.day().is_some()
}

fn highlighted(b: &Board) -> Option<&str> {
    b.highlighted().map(|c| c.number.as_str())
}

fn numbers(b: &Board) -> Vec<&str> {
    b.calls().iter().map(|c| c.number.as_str()).collect()
}

#[test]
fn calls_show_highlighted_move_into_the_list_and_are_announced_once_each() {
    let hall = Hall::start();
    let mut host = hall.local();
    for _ in 0..3 {
        host.issue(&IssueRequest::new(service("A"), None, Lang::ZhCn))
            .unwrap();
    }
    let d = display(&hall, Arc::new(kiosk::clock::SystemClock));
    d.wait("the hall connected", |b| {
        *b.link() == Link::Live && b.waiting().first().is_some_and(|w| w.waiting == 3)
    });

    let first = host.call_next(1).unwrap().called.unwrap().number;
    d.wait("the first call highlighted", |b| {
        highlighted(b) == Some(first.as_str())
    });
    let second = host.call_next(2).unwrap().called.unwrap().number;
    let b = d.wait("the second call highlighted", |b| {
        highlighted(b) == Some(second.as_str())
    });
    assert_eq!(
        numbers(&b),
        [second.as_str(), first.as_str()],
        "the first moved into the list"
    );
    assert_eq!(b.flashes(), 2);
    d.wait("the waiting count after two calls", |b| {
        b.waiting().first().is_some_and(|w| w.waiting == 1)
    });

    host.recall(1).unwrap();
    let b = d.wait("the recall flashing", |b| b.flashes() == 3);
    assert_eq!(highlighted(&b), Some(first.as_str()));
    assert_eq!(b.calls()[0].counter, 1);
    assert!(b.calls()[0].recall);
    assert_eq!(
        numbers(&b),
        [first.as_str(), second.as_str()],
        "one row per ticket"
    );

    assert_eq!(d.announced(), [first.clone(), second, first]);
}

#[test]
fn a_killed_host_shows_connection_lost_and_after_it_returns_only_new_calls_are_news() {
    let mut hall = Hall::start();
    let mut host = hall.local();
    for _ in 0..3 {
        host.issue(&IssueRequest::new(service("A"), None, Lang::Ug))
            .unwrap();
    }
    let first = host.call_next(1).unwrap().called.unwrap().number;
    let d = display(&hall, Arc::new(kiosk::clock::SystemClock));
    let b = d.wait("the call made before it started, listed", |b| {
        *b.link() == Link::Live && !b.calls().is_empty()
    });
    assert_eq!(numbers(&b), [first.as_str()]);
    assert_eq!(
        highlighted(&b),
        None,
        "a call from before the display started is not news"
    );

    let second = host.call_next(2).unwrap().called.unwrap().number;
    d.wait("the second call", |b| highlighted(b) == Some(second.as_str()));

    hall.stop();
    let lost = d.wait("connection lost", |b| matches!(b.link(), Link::Lost(_)));
    assert_eq!(
        highlighted(&lost),
        None,
        "nothing highlighted while the host is gone"
    );
    assert_eq!(
        numbers(&lost),
        [second.as_str(), first.as_str()],
        "the calls stay visible"
    );

    // While the API is down, a counter on the host itself calls (the database is still there).
    let third = host.call_next(3).unwrap().called.unwrap().number;
    d.boards.clear();
    hall.restart();
    let b = d.wait("the call made during the outage", |b| {
        highlighted(b) == Some(third.as_str())
    });
    assert_eq!(*b.link(), Link::Live);
    assert_eq!(numbers(&b), [third.as_str(), second.as_str(), first.as_str()]);
    // Every board since the restart: no old call was highlighted again.
    for x in d.boards.all() {
        assert!(
            highlighted(&x).is_none_or(|n| n == third),
            "an old call was highlighted after the reconnection: {x:?}"
        );
    }
    assert_eq!(
        d.announced(),
        [second, third],
        "each call announced once, none from before the start"
    );
}

#[test]
fn a_new_business_day_clears_the_board() {
    let hall = Hall::start();
    let mut host = hall.local();
    host.issue(&IssueRequest::new(service("A"), None, Lang::En))
        .unwrap();
    let called = host.call_next(1).unwrap().called.unwrap().number;
    let clock = Arc::new(ManualClock::new(Utc::now()));
    let d = display(&hall, clock.clone());
    d.wait("the day's call", |b| numbers(b) == [called.as_str()]);
    let today = hall_day(&hall.config, Utc::now());
    clock.advance(Days::days(1));
    let b = d.wait("the next day's empty board", |b| b.day() > Some(today));
    assert!(b.calls().is_empty());
    assert_eq!(highlighted(&b), None);
    assert!(b.waiting().iter().all(|w| w.waiting == 0));
}

fn hall_day(config: &Config, at: chrono::DateTime<Utc>) -> chrono::NaiveDate {
    kiosk::queue::business_day(at, config.time_zone(), config.rollover_time())
}

/// Two calls announced back to back, played through the real voice packs on the device-less
/// mixer: one after the other, each whole, never both at once.
#[test]
fn two_quick_calls_are_heard_in_order_without_overlap() {
    let hall = Hall::start();
    let mut host = hall.local();
    for _ in 0..2 {
        host.issue(&IssueRequest::new(service("A"), None, Lang::ZhCn))
            .unwrap();
    }
    let d = display(&hall, Arc::new(kiosk::clock::SystemClock));
    d.wait("the hall's snapshot", has_snapshot);
    host.call_next(1).unwrap();
    host.call_next(2).unwrap();
    d.wait("both calls", |b| b.flashes() == 2);
    let commands = d.said.lock().unwrap().clone();
    let parts: Vec<Vec<Part>> = commands
        .into_iter()
        .map(|c| match c {
            Command::Announce(p) => p,
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(parts.len(), 2);

    let voices = kiosk::config::SpeechConfig::default().voice_dir();
    let (store, errors) = ClipStore::load(&voices, &[Voice::Zh, Voice::En]);
    assert!(errors.is_empty(), "{errors:?}");
    let store = Arc::new(store);
    let play = |calls: &[&[Part]]| -> Vec<f32> {
        let mut o = kiosk::speech::wav::Offline::new(store.clone());
        for c in calls {
            o.speaker.announce(c);
        }
        o.drain(60)
    };
    let (one, two) = (play(&[&parts[0]]), play(&[&parts[1]]));
    let both = play(&[&parts[0], &parts[1]]);
    let peak = |s: &[f32]| s.iter().fold(0f32, |m, x| m.max(x.abs()));
    let audible = |s: &[f32]| s.iter().filter(|x| x.abs() > 0.01).count();
    // Overlapping calls would be shorter than the two together and louder than either.
    let expected = one.len() + two.len();
    assert!(
        both.len().abs_diff(expected) < expected / 100,
        "{} samples for both, {expected} for each alone",
        both.len()
    );
    assert!(peak(&both) <= peak(&one).max(peak(&two)) + 0.01);
    assert!(audible(&both).abs_diff(audible(&one) + audible(&two)) < expected / 100);
    // The first call comes first: the opening second of both is the first call's.
    let second = kiosk::speech::engine::RATE as usize;
    let diff: f32 = both[..second]
        .iter()
        .zip(&one[..second])
        .map(|(a, b)| (a - b).abs())
        .sum::<f32>()
        / second as f32;
    assert!(
        diff < 0.01,
        "the first second differs from the first call's by {diff}"
    );
}

/// The hall host showing its own display (a second monitor): the same board, read from the
/// database instead of the network.
#[test]
fn the_hall_hosts_own_display_follows_its_database() {
    let hall = Hall::start();
    let mut host = hall.local();
    host.issue(&IssueRequest::new(service("B"), None, Lang::ZhCn))
        .unwrap();
    let boards = BoardLog::default();
    let clock = Arc::new(kiosk::clock::SystemClock);
    let options = options(
        &hall,
        Box::new(LocalFeed::new(Box::new(hall.local()))),
        Box::new(hall.local()),
        clock,
        None,
    );
    let sink = boards.clone();
    let _feed = feed::start(options, move |b| sink.push(b)).unwrap();
    boards.wait_for(WAIT, has_snapshot).expect("the database read");
    let called = host.call_next(2).unwrap().called.unwrap().number;
    let b = boards
        .wait_for(WAIT, |b| highlighted(b) == Some(called.as_str()))
        .expect("the call on the host's own display");
    assert_eq!(b.calls()[0].counter, 2);
}
