//! Which calls the speakers have not announced yet, from the queue's event stream: each call
//! and each recall is one event with its own number (`transitions.seq`), so following the
//! cursor announces each exactly once, on this host or (later) over the hall API.

use kiosk_contract::{EventCursor, HallError, HallEvent, HallQueue};

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

/// Follows the queue's events from where the last look stopped.
#[derive(Default)]
pub struct CallFeed {
    /// None until the first look, which only notes where the stream is: calls made before the
    /// terminal started are not announced again.
    cursor: Option<EventCursor>,
}

/// How many events one request reads; a backlog is read in several.
const PAGE: usize = 200;

impl CallFeed {
    /// The calls made since the last look, oldest first.
    pub fn new_calls(&mut self, queue: &mut dyn HallQueue) -> Result<Vec<Call>, HallError> {
        let Some(mut cursor) = self.cursor else {
            self.cursor = Some(queue.summary()?.cursor);
            return Ok(Vec::new());
        };
        let mut calls = Vec::new();
        loop {
            let page = queue.events_after(cursor, PAGE)?;
            calls.extend(calls_in(&page.events));
            cursor = page.cursor;
            // Remember what was read even if a later page fails: those calls are announced now.
            self.cursor = Some(cursor);
            if !page.more {
                return Ok(calls);
            }
        }
    }
}

/// Announces each call through `speech`, in `voices` order and then in the ticket's language if
/// the hall's voices do not include it.
pub fn announce(
    calls: &[Call],
    voices: &[crate::speech::Voice],
    speech: impl Fn(crate::speech::service::Command),
) {
    for call in calls {
        tracing::info!(number = %call.number, counter = call.counter, "announcing a call");
        let voices = crate::speech::compose::call_voices(voices, &call.language);
        let parts = crate::speech::compose::call(&call.number, call.counter, &voices);
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
