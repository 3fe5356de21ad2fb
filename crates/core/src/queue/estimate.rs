use super::Candidate;

/// How many waiting tickets of the same service are ahead of `target` in calling order
/// (rejoined visitors, then the green channel, then arrival). The fairness rule can let a normal
/// ticket past a priority one, so for priority tickets this is a lower bound; it is what the
/// visitor is told, and the estimate is advisory.
pub fn people_ahead(target: &Candidate, waiting: &[Candidate]) -> usize {
    let key = |c: &Candidate| {
        (
            c.rejoined_at.is_none(),
            c.rejoined_at,
            !c.priority,
            c.arrived_at,
            c.id.clone(),
        )
    };
    let mine = key(target);
    waiting
        .iter()
        .filter(|c| c.service == target.service && c.id != target.id && key(c) < mine)
        .count()
}

/// A typical service time from recent samples (seconds): the median, so one ticket left open at a
/// counter over lunch does not double everybody's estimate. Falls back to the configured default.
pub fn typical_service_seconds(recent: &[u32], default_seconds: u32) -> u32 {
    if recent.is_empty() {
        return default_seconds;
    }
    let mut sorted = recent.to_vec();
    sorted.sort_unstable();
    let mid = sorted.len() / 2;
    if sorted.len() % 2 == 1 {
        sorted[mid]
    } else {
        // Mean of the two middle values without overflow.
        sorted[mid - 1] / 2 + sorted[mid] / 2 + (sorted[mid - 1] % 2 + sorted[mid] % 2) / 2
    }
}

/// Minutes until the visitor is likely called, rounded up; `None` when no open counter serves
/// the service (the visitor is told counters are closed rather than a made-up figure).
pub fn estimate_wait_minutes(people_ahead: usize, typical_seconds: u32, open_counters: usize) -> Option<u32> {
    if open_counters == 0 {
        return None;
    }
    let total = people_ahead as u64 * u64::from(typical_seconds);
    let per_counter = total.div_ceil(open_counters as u64);
    Some(u32::try_from(per_counter.div_ceil(60)).unwrap_or(u32::MAX))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{TimeZone, Utc};

    fn cand(id: &str, service: char, priority: bool, arrived: i64) -> Candidate {
        Candidate {
            id: id.into(),
            service: service.to_string().parse().unwrap(),
            priority,
            arrived_at: Utc.timestamp_opt(arrived, 0).unwrap(),
            rejoined_at: None,
        }
    }

    #[test]
    fn ahead_counts_only_the_same_service_in_calling_order() {
        let waiting = [
            cand("a1", 'A', false, 1),
            cand("a2", 'A', true, 2),
            cand("b1", 'B', false, 0),
            cand("a3", 'A', false, 3),
        ];
        assert_eq!(people_ahead(&waiting[3], &waiting), 2);
        assert_eq!(people_ahead(&waiting[1], &waiting), 0);
        assert_eq!(people_ahead(&waiting[0], &waiting), 1);
        assert_eq!(people_ahead(&waiting[2], &waiting), 0);
    }

    #[test]
    fn median_resists_outliers() {
        assert_eq!(typical_service_seconds(&[], 600), 600);
        assert_eq!(typical_service_seconds(&[300, 310, 9000], 600), 310);
        assert_eq!(typical_service_seconds(&[300, 401], 600), 350);
        assert_eq!(typical_service_seconds(&[u32::MAX, u32::MAX], 1), u32::MAX);
    }

    #[test]
    fn wait_rounds_up_and_splits_across_counters() {
        assert_eq!(estimate_wait_minutes(0, 600, 1), Some(0));
        assert_eq!(estimate_wait_minutes(3, 600, 1), Some(30));
        assert_eq!(estimate_wait_minutes(3, 600, 2), Some(15));
        assert_eq!(estimate_wait_minutes(1, 61, 1), Some(2));
        assert_eq!(estimate_wait_minutes(5, 600, 0), None);
    }
}
