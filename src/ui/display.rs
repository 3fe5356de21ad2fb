//! The calling display's window: the Rust side of `DisplayAdapter` (ui/display.slint). It turns
//! a `display_board::Board` into what the wall screen shows, in Chinese and English together (and
//! Uyghur for a visitor who took the ticket in Uyghur), with the hall's names from the
//! configuration and the fixed words from the translation catalogues.

use super::{
    DisplayAdapter, DisplayCall, DisplayLink, DisplayService, DisplayTexts, DisplayWindow, NoticeText,
};
use crate::config::{Config, CounterConfig};
use crate::display::feed::{Feed, FeedOptions};
use crate::i18n::{tr, trf};
use crate::lang::{Lang, Names};
use chrono::{DateTime, Datelike, Utc};
use kiosk_roles::display_board::{Board, BoardCall, Link};
use slint::{ComponentHandle, ModelRc, SharedString, VecModel};

/// The names a display shows, from its provisioning file.
#[derive(Debug, Clone)]
pub struct DisplayNames {
    hall: Names,
    config: Config,
}

impl DisplayNames {
    pub fn from_config(config: &Config) -> Self {
        Self {
            hall: config.hall_names(),
            config: config.clone(),
        }
    }

    /// A counter's name; one the display was not told about is named by its number.
    fn counter(&self, id: u32) -> Names {
        self.config.counter(id).map_or_else(
            || CounterConfig::numbered(id, Vec::new()).name,
            |c| c.name.clone(),
        )
    }

    fn call(&self, call: &BoardCall) -> DisplayCall {
        let counter = self.counter(call.counter);
        let go = |lang: Lang| SharedString::from(trf(lang, "Please go to {}", &[counter.get(lang)]));
        DisplayCall {
            number: call.number.as_str().into(),
            counter_zh: counter.zh.as_str().into(),
            counter_en: counter.en.as_str().into(),
            go_zh: go(Lang::ZhCn),
            go_en: go(Lang::En),
            go_ug: go(Lang::Ug),
            uyghur: call.language == Lang::Ug.code(),
            recall: call.recall,
        }
    }
}

/// The display's fixed words, each in Chinese and English.
fn texts() -> DisplayTexts {
    let both = |msgid: &str| -> (SharedString, SharedString) {
        (tr(Lang::ZhCn, msgid).into(), tr(Lang::En, msgid).into())
    };
    let (now_calling_zh, now_calling_en) = both(MSGIDS[0]);
    let (recall_zh, recall_en) = both(MSGIDS[1]);
    let (empty_zh, empty_en) = both(MSGIDS[2]);
    let (recent_zh, recent_en) = both(MSGIDS[3]);
    let (waiting_zh, waiting_en) = both(MSGIDS[4]);
    let (connecting_zh, connecting_en) = both(MSGIDS[5]);
    let (lost_zh, lost_en) = both(MSGIDS[6]);
    let (lost_detail_zh, lost_detail_en) = both(MSGIDS[7]);
    DisplayTexts {
        now_calling_zh,
        now_calling_en,
        recall_zh,
        recall_en,
        empty_zh,
        empty_en,
        recent_zh,
        recent_en,
        waiting_zh,
        waiting_en,
        connecting_zh,
        connecting_en,
        lost_zh,
        lost_en,
        lost_detail_zh,
        lost_detail_en,
    }
}

const MSGIDS: [&str; 8] = [
    // i18n: msgids
    "Now calling",
    "Called again",
    "No calls yet",
    "Recent calls",
    "Waiting",
    "Connecting to the hall host…",
    "Connection to the hall host lost — reconnecting",
    "The calls shown may be out of date; listen for staff calling your number",
];

const WEEKDAYS: [&str; 7] = [
    // i18n: msgids
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];

const MONTHS: [&str; 12] = [
    // i18n: msgids
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// The words that do not change: the hall's name, the labels and the notice.
pub fn prepare(window: &DisplayWindow, names: &DisplayNames) {
    let a = window.global::<DisplayAdapter>();
    a.set_hall_zh(names.hall.zh.as_str().into());
    a.set_hall_en(names.hall.en.as_str().into());
    a.set_texts(texts());
    let notices: Vec<NoticeText> = names
        .config
        .display
        .notice
        .iter()
        .flat_map(|n| Lang::ALL.map(|l| (l, n.get(l).to_owned())))
        .filter(|(_, text)| !text.trim().is_empty())
        .map(|(lang, text)| NoticeText {
            text: text.into(),
            rtl: lang == Lang::Ug,
        })
        .collect();
    a.set_notices(ModelRc::new(VecModel::from(notices)));
}

/// Shows `board`.
pub fn show_board(window: &DisplayWindow, board: &Board, names: &DisplayNames) {
    let a = window.global::<DisplayAdapter>();
    a.set_link(match board.link() {
        Link::Connecting => DisplayLink::Connecting,
        Link::Live => DisplayLink::Live,
        Link::Lost(_) => DisplayLink::Lost,
    });
    let calls: Vec<DisplayCall> = board.calls().iter().map(|c| names.call(c)).collect();
    a.set_calls(ModelRc::new(VecModel::from(calls)));
    let services: Vec<DisplayService> = board
        .waiting()
        .iter()
        .map(|w| {
            let configured = names.config.service(w.service).map(|s| s.name.clone());
            let name = configured.unwrap_or_else(|| Names::new(&w.name, &w.service.to_string(), &w.name));
            DisplayService {
                name_zh: name.zh.as_str().into(),
                name_en: name.en.as_str().into(),
                waiting: i32::try_from(w.waiting).unwrap_or(i32::MAX),
            }
        })
        .collect();
    a.set_services(ModelRc::new(VecModel::from(services)));
    a.set_highlighted(board.highlighted().is_some());
    // Only a change matters to the screen; wrapping around is harmless.
    a.set_flashes((board.flashes() % (i32::MAX as u64)) as i32);
}

/// Starts following the hall (`feed::start`) and shows each changed board in `window`, on the
/// UI thread.
pub fn follow(window: &DisplayWindow, options: FeedOptions, names: DisplayNames) -> std::io::Result<Feed> {
    let weak = window.as_weak();
    crate::display::feed::start(options, move |board| {
        let (board, names, weak) = (board.clone(), names.clone(), weak.clone());
        let _ = slint::invoke_from_event_loop(move || {
            if let Some(w) = weak.upgrade() {
                show_board(&w, &board, &names);
            }
        });
    })
}

/// The date and time in the hall's time zone, worked out and set only when the minute changed
/// (called every second; the screen is redrawn once a minute).
pub fn show_time(window: &DisplayWindow, now: DateTime<Utc>, config: &Config) {
    let local = now.with_timezone(&config.time_zone());
    let a = window.global::<DisplayAdapter>();
    let time = SharedString::from(local.format("%H:%M").to_string());
    if a.get_time() == time {
        return; // the date changes only with the time
    }
    a.set_time(time);
    let weekday = WEEKDAYS[local.weekday().num_days_from_monday() as usize];
    let month = MONTHS[local.month0() as usize];
    let date = |lang: Lang| -> SharedString {
        let (year, day) = (local.year().to_string(), local.day().to_string());
        trf(
            lang,
            "{0}, {1} {2} {3}",
            &[&tr(lang, weekday), &day, &tr(lang, month), &year],
        )
        .into()
    };
    a.set_date_zh(date(Lang::ZhCn));
    a.set_date_en(date(Lang::En));
}
