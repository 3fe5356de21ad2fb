use super::ServiceCode;
use chrono::{DateTime, Utc};

/// What the selection needs to know about a waiting ticket.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    pub id: String,
    pub service: ServiceCode,
    pub priority: bool,
    pub arrived_at: DateTime<Utc>,
    /// Set when a no-show came back within the rejoin window: they go right after the current call.
    pub rejoined_at: Option<DateTime<Utc>>,
}

/// Green-channel tickets go first, but never more than `max_priority_streak` calls in a row while
/// a normal ticket is waiting for the same counter — so normal visitors are never starved.
/// `0` turns the precedence off (plain arrival order).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FairnessRule {
    pub max_priority_streak: u32,
}

/// Picks the next ticket for a counter.
///
/// Order: visitors who rejoined (earliest rejoin first); then the green channel within the fairness
/// rule; within each class the counter's service order, then arrival time. `priority_streak` is the
/// number of priority calls the hall made in a row just before this one.
pub fn choose_next<'a>(
    waiting: &'a [Candidate],
    counter_services: &[ServiceCode],
    rule: FairnessRule,
    priority_streak: u32,
) -> Option<&'a Candidate> {
    let rank = |c: &Candidate| counter_services.iter().position(|s| *s == c.service);
    let served = || waiting.iter().filter(move |c| rank(c).is_some());

    if let Some(back) = served()
        .filter(|c| c.rejoined_at.is_some())
        .min_by_key(|c| (c.rejoined_at, c.arrived_at, c.id.as_str()))
    {
        return Some(back);
    }
    let best = |priority: bool| {
        served()
            .filter(move |c| c.priority == priority)
            .min_by_key(|c| (rank(c), c.arrived_at, c.id.as_str()))
    };
    if rule.max_priority_streak == 0 {
        return served().min_by_key(|c| (rank(c), c.arrived_at, c.id.as_str()));
    }
    match (best(true), best(false)) {
        (Some(p), Some(n)) => Some(if priority_streak < rule.max_priority_streak {
            p
        } else {
            n
        }),
        (p, n) => p.or(n),
    }
}

/// The next `n` tickets a counter would call, in order, if nothing else happened in the hall:
/// each one as `choose_next` picks it, with the streak carried on (what the console lists as
/// "coming next").
pub fn calling_order<'a>(
    waiting: &'a [Candidate],
    counter_services: &[ServiceCode],
    rule: FairnessRule,
    mut priority_streak: u32,
    n: usize,
) -> Vec<&'a Candidate> {
    let mut left: Vec<Candidate> = waiting.to_vec();
    let mut order = Vec::with_capacity(n);
    while order.len() < n {
        let Some(pick) = choose_next(&left, counter_services, rule, priority_streak) else {
            break;
        };
        priority_streak = if pick.priority { priority_streak + 1 } else { 0 };
        let id = pick.id.clone();
        left.retain(|c| c.id != id);
        if let Some(original) = waiting.iter().find(|c| c.id == id) {
            order.push(original);
        }
    }
    order
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn t(min: i64) -> DateTime<Utc> {
        Utc.timestamp_opt(1_700_000_000 + min * 60, 0).unwrap()
    }
    fn code(s: &str) -> ServiceCode {
        s.parse().unwrap()
    }
    fn cand(id: &str, service: &str, priority: bool, arrived: i64) -> Candidate {
        Candidate {
            id: id.into(),
            service: code(service),
            priority,
            arrived_at: t(arrived),
            rejoined_at: None,
        }
    }
    const RULE: FairnessRule = FairnessRule {
        max_priority_streak: 2,
    };

    #[test]
    fn priority_first_until_the_streak_cap() {
        let w = [cand("n1", "A", false, 0), cand("p1", "A", true, 5)];
        let services = [code("A")];
        assert_eq!(choose_next(&w, &services, RULE, 0).unwrap().id, "p1");
        assert_eq!(choose_next(&w, &services, RULE, 1).unwrap().id, "p1");
        assert_eq!(choose_next(&w, &services, RULE, 2).unwrap().id, "n1");
    }

    #[test]
    fn priority_is_called_even_past_the_cap_when_nobody_else_waits() {
        let w = [cand("p1", "A", true, 5)];
        assert_eq!(choose_next(&w, &[code("A")], RULE, 9).unwrap().id, "p1");
    }

    #[test]
    fn counters_follow_their_service_order_then_arrival() {
        let w = [
            cand("a1", "A", false, 0),
            cand("b2", "B", false, 3),
            cand("b1", "B", false, 1),
        ];
        let id = |s: &[ServiceCode]| choose_next(&w, s, RULE, 0).map(|c| c.id.clone());
        assert_eq!(id(&[code("B"), code("A")]).as_deref(), Some("b1"));
        assert_eq!(id(&[code("A"), code("B")]).as_deref(), Some("a1"));
        assert_eq!(id(&[code("C")]), None);
    }

    #[test]
    fn a_rejoined_visitor_goes_next() {
        let mut back = cand("late", "A", false, 0);
        back.rejoined_at = Some(t(30));
        let w = [cand("p1", "A", true, 1), back];
        assert_eq!(choose_next(&w, &[code("A")], RULE, 0).unwrap().id, "late");
    }

    #[test]
    fn zero_cap_means_plain_arrival_order() {
        let w = [cand("n1", "A", false, 0), cand("p1", "A", true, 5)];
        let rule = FairnessRule {
            max_priority_streak: 0,
        };
        assert_eq!(choose_next(&w, &[code("A")], rule, 0).unwrap().id, "n1");
    }

    #[test]
    fn the_calling_order_is_the_order_of_successive_calls() {
        let waiting = vec![
            cand("n1", "A", false, 0),
            cand("p1", "A", true, 1),
            cand("p2", "A", true, 2),
            cand("p3", "A", true, 3),
            cand("b1", "B", false, 4),
        ];
        let rule = FairnessRule {
            max_priority_streak: 2,
        };
        let ids = |order: Vec<&Candidate>| order.iter().map(|c| c.id.clone()).collect::<Vec<_>>();
        // Two green-channel calls, then the normal ticket gets its turn; B is not this counter's.
        assert_eq!(
            ids(calling_order(&waiting, &[code("A")], rule, 0, 10)),
            ["p1", "p2", "n1", "p3"]
        );
        // A streak already at the limit lets the normal ticket go first.
        assert_eq!(
            ids(calling_order(&waiting, &[code("A")], rule, 2, 2)),
            ["n1", "p1"]
        );
        let mut each_call = Vec::new();
        let mut left = waiting.clone();
        let mut streak = 0;
        while let Some(c) = choose_next(&left, &[code("A"), code("B")], rule, streak).cloned() {
            streak = if c.priority { streak + 1 } else { 0 };
            left.retain(|x| x.id != c.id);
            each_call.push(c.id);
        }
        assert_eq!(
            ids(calling_order(&waiting, &[code("A"), code("B")], rule, 0, 10)),
            each_call
        );
    }
}
