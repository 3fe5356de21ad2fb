//! Which calls are new since the last look at the queue, so each call (and each recall) is
//! announced once. Pure: it only compares snapshots.

use crate::queue::TicketState;
use crate::queue_service::TicketView;
use std::collections::HashSet;

/// A call to announce: the ticket number and the counter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Call {
    pub number: String,
    pub counter: u32,
}

#[derive(Default)]
pub struct CallWatch {
    /// (ticket id, recall count, counter) of every call already seen.
    seen: HashSet<(String, u32, u32)>,
    primed: bool,
}

impl CallWatch {
    /// The calls in `tickets` not seen before, oldest first. The first look only remembers what
    /// is there: calls made before the terminal started are not announced again.
    pub fn new_calls(&mut self, tickets: &[TicketView]) -> Vec<Call> {
        let mut fresh: Vec<&TicketView> = tickets
            .iter()
            .filter(|t| t.state == TicketState::Called)
            .filter(|t| {
                t.counter
                    .is_some_and(|c| self.seen.insert((t.id.clone(), t.recalls, c)))
            })
            .collect();
        if !std::mem::replace(&mut self.primed, true) {
            return Vec::new();
        }
        fresh.sort_by_key(|t| t.called_at);
        fresh
            .into_iter()
            .filter_map(|t| {
                Some(Call {
                    number: t.number.clone(),
                    counter: t.counter?,
                })
            })
            .collect()
    }
}

/// Announces each new call in `tickets` through `speech`, in `voices` order.
pub fn announce_new(
    watch: &mut CallWatch,
    tickets: &[TicketView],
    voices: &[crate::speech::Voice],
    speech: impl Fn(crate::speech::service::Command),
) {
    for call in watch.new_calls(tickets) {
        tracing::info!(number = %call.number, counter = call.counter, "announcing a call");
        let parts = crate::speech::compose::call(&call.number, call.counter, voices);
        speech(crate::speech::service::Command::Announce(parts));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{TimeZone, Utc};

    fn called(id: &str, number: &str, counter: u32, recalls: u32, minute: u32) -> TicketView {
        TicketView {
            id: id.into(),
            number: number.into(),
            service: "A".parse().unwrap(),
            service_name: String::new(),
            priority: None,
            state: TicketState::Called,
            language: "zh-CN".into(),
            business_day: Utc::now().date_naive(),
            issued_at: Utc::now(),
            counter: Some(counter),
            called_at: Some(Utc.with_ymd_and_hms(2026, 11, 26, 9, minute, 0).unwrap()),
            recalls,
            people_ahead: None,
            estimated_wait_minutes: None,
        }
    }

    #[test]
    fn each_call_and_recall_is_announced_once() {
        let mut watch = CallWatch::default();
        assert!(
            watch.new_calls(&[called("1", "A001", 1, 0, 0)]).is_empty(),
            "primed only"
        );
        let calls = watch.new_calls(&[
            called("1", "A001", 1, 0, 0),
            called("3", "B002", 3, 0, 5),
            called("2", "A002", 2, 0, 4),
        ]);
        let numbers: Vec<&str> = calls.iter().map(|c| c.number.as_str()).collect();
        assert_eq!(numbers, ["A002", "B002"], "new calls, oldest first");
        assert!(watch.new_calls(&[called("2", "A002", 2, 0, 4)]).is_empty());
        let recall = watch.new_calls(&[called("2", "A002", 2, 1, 6)]);
        assert_eq!(
            recall,
            [Call {
                number: "A002".into(),
                counter: 2
            }]
        );
        let transferred = watch.new_calls(&[called("2", "A002", 4, 1, 7)]);
        assert_eq!(transferred[0].counter, 4, "called again at another counter");
    }
}
