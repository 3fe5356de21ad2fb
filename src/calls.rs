//! The calls among the hall's events and how the speakers say them: each call and each recall is
//! one event with its own number (`transitions.seq`), so a follower of the hall feed announces
//! each exactly once, on the hall host or on a calling display.

use kiosk_contract::HallEvent;

/// A call to announce: the ticket number and the counter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Call {
    pub number: String,
    pub counter: u32,
    /// The language the visitor used at the kiosk.
    pub language: String,
}

/// The calls among `events` (oldest first), in the order they were made.
pub fn calls_in(events: &[HallEvent]) -> Vec<Call> {
    events
        .iter()
        .filter(|e| e.is_call())
        .filter_map(|e| {
            Some(Call {
                number: e.number.clone()?,
                counter: e.counter?,
                language: e.language.clone().unwrap_or_default(),
            })
        })
        .collect()
}

/// How a hall says its calls (`[speech]`): the languages in order, and whether each call is said
/// twice (for halls where a visitor may miss it the first time).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CallStyle {
    pub voices: Vec<crate::speech::Voice>,
    pub repeat: bool,
}

impl CallStyle {
    pub fn from_config(speech: &crate::config::SpeechConfig) -> Self {
        Self {
            voices: speech.call_languages.clone(),
            repeat: speech.repeat_calls,
        }
    }
}

/// Announces each call through `speech`, in the style's languages and then in the ticket's
/// language if those do not include it; twice over where the hall repeats calls.
pub fn announce(calls: &[Call], style: &CallStyle, speech: impl Fn(crate::speech::service::Command)) {
    use crate::speech::compose;
    for call in calls {
        tracing::info!(number = %call.number, counter = call.counter, "announcing a call");
        let voices = compose::call_voices(&style.voices, &call.language);
        let mut parts = compose::call(&call.number, call.counter, &voices);
        if style.repeat {
            parts = compose::said_twice(parts);
        }
        speech(crate::speech::service::Command::Announce(parts));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{NaiveDate, TimeZone, Utc};
    use kiosk_core::queue::Action;

    fn event(seq: u64, event: Action, number: &str, counter: Option<u32>) -> HallEvent {
        HallEvent {
            seq,
            at: Utc.with_ymd_and_hms(2026, 11, 26, 9, 0, 0).unwrap(),
            business_day: NaiveDate::from_ymd_opt(2026, 11, 26).unwrap(),
            event: event.into(),
            ticket_id: Some(format!("id-{number}")),
            number: Some(number.into()),
            service: Some("A".parse().unwrap()),
            counter,
            language: Some("ug".into()),
        }
    }

    fn announced(style: &CallStyle, language: &str) -> Vec<crate::speech::Part> {
        let said = std::cell::RefCell::new(Vec::new());
        let call = Call {
            number: "A012".into(),
            counter: 3,
            language: language.into(),
        };
        announce(&[call], style, |c| said.borrow_mut().push(c));
        let said = said.into_inner();
        assert_eq!(said.len(), 1, "one announcement per call");
        match said.into_iter().next() {
            Some(crate::speech::service::Command::Announce(parts)) => parts,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_repeated_call_is_said_twice_with_one_chime_and_in_the_tickets_language() {
        use crate::speech::{Part, Voice, compose};
        let once = CallStyle {
            voices: vec![Voice::Zh],
            repeat: false,
        };
        let twice = CallStyle {
            repeat: true,
            ..once.clone()
        };
        let single = announced(&once, "zh-CN");
        assert_eq!(single, compose::call("A012", 3, &[Voice::Zh]));
        let repeated = announced(&twice, "zh-CN");
        assert_eq!(repeated.len(), 2 * single.len());
        assert_eq!(repeated.iter().filter(|p| **p == Part::Chime).count(), 1);
        assert_eq!(repeated[single.len()], Part::Gap(compose::REPEAT_GAP_MS));
        assert_eq!(repeated[single.len() + 1..], single[1..], "the same words again");
        let uyghur = announced(&once, "ug");
        assert_eq!(uyghur, compose::call("A012", 3, &[Voice::Zh, Voice::Ug]));
    }

    #[test]
    fn calls_and_recalls_are_calls_and_nothing_else_is() {
        let events = [
            event(1, Action::Issue, "A001", None),
            event(2, Action::Call, "A001", Some(1)),
            event(3, Action::Skip, "A001", Some(1)),
            event(4, Action::Rejoin, "A001", None),
            event(5, Action::Call, "A001", Some(2)),
            event(6, Action::Recall, "A001", Some(2)),
            event(7, Action::Complete, "A001", Some(2)),
        ];
        let calls = calls_in(&events);
        let seen: Vec<(&str, u32)> = calls.iter().map(|c| (c.number.as_str(), c.counter)).collect();
        assert_eq!(seen, [("A001", 1), ("A001", 2), ("A001", 2)]);
        assert!(calls.iter().all(|c| c.language == "ug"));
    }
}
