//! The rating screen's rules (好差评), without a window: when a counter completes a visitor the
//! screen facing them asks, in the ticket's language, how satisfied they were; the three
//! satisfied levels are kept at once, the two low ones only with at least one reason; nobody is
//! asked twice about one ticket; an unanswered question clears after 30 seconds, without thanks.
//! Pure: the window adapter (`ui::evaluator`) feeds it the hall's events and the time.

use chrono::{DateTime, Duration, Utc};
use kiosk_contract::{EventKind, HallEvent};
use kiosk_core::lang::Lang;
use kiosk_core::queue::{Rating, RatingLevel, RatingReason};
use std::collections::VecDeque;

/// How long a question waits for an answer, and how long the thanks stay.
pub const ANSWER_WITHIN: Duration = Duration::seconds(30);
pub const THANKS_FOR: Duration = Duration::seconds(5);
/// Ticket ids remembered as asked (a day's visitors at one counter are far fewer).
const REMEMBERED: usize = 500;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Prompt {
    /// Nobody to ask: the screen invites visitors to rate once served.
    Idle,
    /// "How satisfied are you?" with five faces.
    Asking { number: String, lang: Lang },
    /// A low level was chosen: what went wrong (at least one reason, then Send).
    Reasons {
        number: String,
        lang: Lang,
        level: RatingLevel,
        chosen: Vec<RatingReason>,
        /// Send was tapped with nothing chosen.
        reminded: bool,
    },
    /// Thanks, in the visitor's language, then idle.
    Thanks { lang: Lang },
}

/// A rating to keep at the hall host.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Submit {
    pub number: String,
    pub rating: Rating,
}

pub struct Evaluator {
    counter: u32,
    prompt: Prompt,
    /// When the prompt last changed or the visitor last touched it.
    since: DateTime<Utc>,
    asked: VecDeque<String>,
}

impl Evaluator {
    pub fn new(counter: u32, now: DateTime<Utc>) -> Self {
        Self {
            counter,
            prompt: Prompt::Idle,
            since: now,
            asked: VecDeque::new(),
        }
    }

    pub fn prompt(&self) -> &Prompt {
        &self.prompt
    }

    fn show(&mut self, prompt: Prompt, now: DateTime<Utc>) {
        self.prompt = prompt;
        self.since = now;
    }

    /// An event of the hall: a completion at this counter of a ticket not asked about yet asks
    /// about it (a question still open for another ticket is replaced: that visitor has left).
    /// True when the prompt changed.
    pub fn on_event(&mut self, e: &HallEvent, now: DateTime<Utc>) -> bool {
        if e.event != EventKind::Complete || e.counter != Some(self.counter) {
            return false;
        }
        let (Some(id), Some(number)) = (&e.ticket_id, &e.number) else {
            return false;
        };
        if self.asked.contains(id) {
            return false;
        }
        if self.asked.len() == REMEMBERED {
            self.asked.pop_front();
        }
        self.asked.push_back(id.clone());
        let lang = e
            .language
            .as_deref()
            .and_then(|l| l.parse().ok())
            .unwrap_or_default();
        self.show(
            Prompt::Asking {
                number: number.clone(),
                lang,
            },
            now,
        );
        true
    }

    /// A face was tapped: a satisfied level is kept at once; a low one asks for reasons.
    pub fn choose(&mut self, level: RatingLevel, now: DateTime<Utc>) -> Option<Submit> {
        let Prompt::Asking { number, lang } = &self.prompt else {
            return None;
        };
        let (number, lang) = (number.clone(), *lang);
        if level.is_low() {
            self.show(
                Prompt::Reasons {
                    number,
                    lang,
                    level,
                    chosen: Vec::new(),
                    reminded: false,
                },
                now,
            );
            return None;
        }
        self.show(Prompt::Thanks { lang }, now);
        Rating::new(level, &[])
            .ok()
            .map(|rating| Submit { number, rating })
    }

    /// A reason tapped on or off.
    pub fn toggle(&mut self, reason: RatingReason, now: DateTime<Utc>) {
        if let Prompt::Reasons { chosen, reminded, .. } = &mut self.prompt {
            if let Some(i) = chosen.iter().position(|r| *r == reason) {
                chosen.remove(i);
            } else {
                chosen.push(reason);
                *reminded = false;
            }
            self.since = now;
        }
    }

    /// Send: kept with its reasons, or, with none chosen, a reminder and nothing kept.
    pub fn send(&mut self, now: DateTime<Utc>) -> Option<Submit> {
        let Prompt::Reasons {
            number,
            lang,
            level,
            chosen,
            reminded,
        } = &mut self.prompt
        else {
            return None;
        };
        match Rating::new(*level, chosen) {
            Ok(rating) => {
                let submit = Submit {
                    number: number.clone(),
                    rating,
                };
                let lang = *lang;
                self.show(Prompt::Thanks { lang }, now);
                Some(submit)
            }
            Err(_) => {
                *reminded = true;
                self.since = now;
                None
            }
        }
    }

    /// Back from the reasons to the faces (the visitor changed their mind).
    pub fn back(&mut self, now: DateTime<Utc>) {
        if let Prompt::Reasons { number, lang, .. } = &self.prompt {
            let asking = Prompt::Asking {
                number: number.clone(),
                lang: *lang,
            };
            self.show(asking, now);
        }
    }

    /// The clock: an unanswered question clears without thanks (nobody gave feedback to be
    /// thanked for, and the visitor has probably gone); the thanks go after a while.
    /// True when the prompt changed.
    pub fn tick(&mut self, now: DateTime<Utc>) -> bool {
        let waited = now - self.since;
        match &self.prompt {
            Prompt::Asking { .. } | Prompt::Reasons { .. } if waited >= ANSWER_WITHIN => {
                self.show(Prompt::Idle, now);
                true
            }
            Prompt::Thanks { .. } if waited >= THANKS_FOR => {
                self.show(Prompt::Idle, now);
                true
            }
            _ => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_800_000_000 + s, 0).unwrap()
    }

    fn complete(seq: u64, id: &str, number: &str, counter: u32, lang: &str) -> HallEvent {
        HallEvent {
            seq,
            at: at(0),
            business_day: at(0).date_naive(),
            event: EventKind::Complete,
            ticket_id: Some(id.into()),
            number: Some(number.into()),
            service: Some("A".parse().unwrap()),
            counter: Some(counter),
            language: Some(lang.into()),
        }
    }

    #[test]
    fn a_completion_here_asks_once_in_the_tickets_language() {
        let mut e = Evaluator::new(3, at(0));
        assert!(
            !e.on_event(&complete(1, "t1", "A001", 2, "ug"), at(1)),
            "another counter"
        );
        let mut call = complete(2, "t1", "A001", 3, "ug");
        call.event = EventKind::Call;
        assert!(!e.on_event(&call, at(1)), "a call is not a completion");
        assert!(e.on_event(&complete(3, "t1", "A001", 3, "ug"), at(2)));
        assert_eq!(
            e.prompt(),
            &Prompt::Asking {
                number: "A001".into(),
                lang: Lang::Ug
            }
        );
        // The same ticket again (a repeated event, a second completion): not asked twice.
        assert!(!e.on_event(&complete(4, "t1", "A001", 3, "ug"), at(3)));
        let kept = e.choose(RatingLevel::Satisfied, at(4)).unwrap();
        assert_eq!(
            (kept.number.as_str(), kept.rating.level()),
            ("A001", RatingLevel::Satisfied)
        );
        assert_eq!(e.prompt(), &Prompt::Thanks { lang: Lang::Ug });
        assert!(
            e.choose(RatingLevel::Satisfied, at(5)).is_none(),
            "one rating per question"
        );
        assert!(!e.on_event(&complete(5, "t1", "A001", 3, "ug"), at(6)));
    }

    #[test]
    fn a_low_rating_is_kept_only_with_a_reason() {
        let mut e = Evaluator::new(1, at(0));
        e.on_event(&complete(1, "t2", "B004", 1, "en"), at(0));
        assert!(e.choose(RatingLevel::VeryDissatisfied, at(1)).is_none());
        assert!(e.send(at(2)).is_none(), "no reason chosen");
        assert!(matches!(e.prompt(), Prompt::Reasons { reminded: true, .. }));
        e.toggle(RatingReason::Waiting, at(3));
        e.toggle(RatingReason::Attitude, at(3));
        e.toggle(RatingReason::Attitude, at(4));
        let kept = e.send(at(5)).unwrap();
        assert_eq!(kept.rating.level(), RatingLevel::VeryDissatisfied);
        assert_eq!(kept.rating.reasons(), &[RatingReason::Waiting]);
        assert_eq!(e.prompt(), &Prompt::Thanks { lang: Lang::En });
    }

    #[test]
    fn an_unanswered_question_clears_without_thanks() {
        let mut e = Evaluator::new(1, at(0));
        e.on_event(&complete(1, "t3", "A003", 1, "zh-CN"), at(0));
        assert!(!e.tick(at(29)));
        // Touching the reasons keeps the question open.
        e.choose(RatingLevel::Dissatisfied, at(20));
        e.toggle(RatingReason::Other, at(45));
        assert!(!e.tick(at(70)));
        assert!(e.tick(at(75)));
        assert_eq!(e.prompt(), &Prompt::Idle, "no thanks for feedback not given");
        assert!(e.send(at(76)).is_none(), "too late: nothing is kept");
        assert!(!e.tick(at(80)));
        assert_eq!(e.prompt(), &Prompt::Idle);
    }
}
