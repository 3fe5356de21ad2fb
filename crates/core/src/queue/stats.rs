//! A business day's statistics, built only from the recorded transitions: per service issued,
//! called, served, no-show, transferred, expired, and wait and service times (average and 90th
//! percentile); per counter, served and average service time; per staff number, served; the
//! visitors' ratings per service and per counter. This is the content of the agency's
//! `hall-daily-report/1`.

use super::rating::{RatingCounts, RatingLevel};
use super::{Action, ServiceCode};
use chrono::{DateTime, NaiveDate, Utc};
use std::collections::{BTreeMap, HashMap};

/// One recorded transition, as the store gives it back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transition {
    pub ticket_id: String,
    pub at: DateTime<Utc>,
    pub event: Action,
    pub counter: Option<u32>,
    /// The ticket's service after the event (for a transfer: the new service).
    pub service: ServiceCode,
    /// For a transfer: the service the ticket left.
    pub transferred_from: Option<ServiceCode>,
    /// The staff number signed in at the counter that did it (none from the kiosk or the CLI).
    pub staff: Option<String>,
}

/// A rating kept that day: where the visitor was served and how they rated it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RatedVisit {
    pub counter: Option<u32>,
    pub service: ServiceCode,
    pub level: RatingLevel,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Minutes {
    pub average: Option<f64>,
    pub p90: Option<f64>,
}

impl Minutes {
    fn of(mut secs: Vec<i64>) -> Self {
        if secs.is_empty() {
            return Self::default();
        }
        secs.sort_unstable();
        let avg = secs.iter().sum::<i64>() as f64 / secs.len() as f64 / 60.0;
        // Nearest-rank percentile.
        let rank = (secs.len() * 9).div_ceil(10).max(1) - 1;
        Self {
            average: Some(round1(avg)),
            p90: Some(round1(secs[rank] as f64 / 60.0)),
        }
    }
}

fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct ServiceStats {
    pub issued: u32,
    pub called: u32,
    pub served: u32,
    pub no_show: u32,
    pub transferred: u32,
    pub expired: u32,
    /// Arrival (or rejoin/transfer) to call.
    pub wait_minutes: Minutes,
    /// Call to completion.
    pub service_minutes: Minutes,
    pub ratings: RatingCounts,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct CounterStats {
    pub served: u32,
    pub average_service_minutes: Option<f64>,
    pub ratings: RatingCounts,
}

#[derive(Debug, Clone, PartialEq)]
pub struct DailyStats {
    pub business_day: NaiveDate,
    pub services: BTreeMap<ServiceCode, ServiceStats>,
    pub counters: BTreeMap<u32, CounterStats>,
    /// Per staff number: visitors served (completed while they were signed in at the counter).
    pub staff_served: BTreeMap<String, u32>,
    /// Waits and service times that came out negative because the terminal's clock was set
    /// back between two events; they count as zero minutes (and a technician should check NTP).
    pub clock_steps_back: u32,
}

/// Seconds from `from` to `to`, never negative; a step back of the clock is counted.
fn elapsed(from: DateTime<Utc>, to: DateTime<Utc>, steps_back: &mut u32) -> i64 {
    let secs = (to - from).num_seconds();
    if secs < 0 {
        *steps_back += 1;
        0
    } else {
        secs
    }
}

/// Builds the statistics. `transitions` must be in the order they happened.
pub fn daily_stats(
    business_day: NaiveDate,
    transitions: &[Transition],
    ratings: &[RatedVisit],
) -> DailyStats {
    let mut services: BTreeMap<ServiceCode, ServiceStats> = BTreeMap::new();
    let mut waits: HashMap<ServiceCode, Vec<i64>> = HashMap::new();
    let mut service_times: HashMap<ServiceCode, Vec<i64>> = HashMap::new();
    let mut counter_times: BTreeMap<u32, Vec<i64>> = BTreeMap::new();
    // When each ticket started waiting (issue, rejoin, transfer) and when it was last called.
    let mut waiting_since: HashMap<&str, DateTime<Utc>> = HashMap::new();
    let mut called_at: HashMap<&str, DateTime<Utc>> = HashMap::new();
    let mut clock_steps_back = 0;
    let mut staff_served: BTreeMap<String, u32> = BTreeMap::new();

    for t in transitions {
        let id = t.ticket_id.as_str();
        let entry = services.entry(t.service).or_default();
        match t.event {
            Action::Issue => {
                entry.issued += 1;
                waiting_since.insert(id, t.at);
            }
            Action::Call => {
                entry.called += 1;
                if let Some(since) = waiting_since.remove(id) {
                    waits
                        .entry(t.service)
                        .or_default()
                        .push(elapsed(since, t.at, &mut clock_steps_back));
                }
                called_at.insert(id, t.at);
            }
            Action::Recall => {}
            Action::Skip => {
                entry.no_show += 1;
                called_at.remove(id);
            }
            Action::Rejoin => {
                waiting_since.insert(id, t.at);
            }
            Action::Transfer => {
                let from = t.transferred_from.unwrap_or(t.service);
                services.entry(from).or_default().transferred += 1;
                called_at.remove(id);
                waiting_since.insert(id, t.at);
            }
            Action::Complete => {
                entry.served += 1;
                if let Some(staff) = &t.staff {
                    *staff_served.entry(staff.clone()).or_default() += 1;
                }
                if let Some(start) = called_at.remove(id) {
                    let secs = elapsed(start, t.at, &mut clock_steps_back);
                    service_times.entry(t.service).or_default().push(secs);
                    if let Some(c) = t.counter {
                        counter_times.entry(c).or_default().push(secs);
                    }
                }
            }
            Action::Expire => entry.expired += 1,
        }
    }
    for (code, s) in &mut services {
        s.wait_minutes = Minutes::of(waits.remove(code).unwrap_or_default());
        s.service_minutes = Minutes::of(service_times.remove(code).unwrap_or_default());
    }
    let mut counters: BTreeMap<u32, CounterStats> = counter_times
        .into_iter()
        .map(|(c, secs)| {
            let served = u32::try_from(secs.len()).unwrap_or(u32::MAX);
            (
                c,
                CounterStats {
                    served,
                    average_service_minutes: Minutes::of(secs).average,
                    ratings: RatingCounts::default(),
                },
            )
        })
        .collect();
    for r in ratings {
        services.entry(r.service).or_default().ratings.add(r.level);
        if let Some(c) = r.counter {
            counters.entry(c).or_default().ratings.add(r.level);
        }
    }
    DailyStats {
        business_day,
        services,
        counters,
        staff_served,
        clock_steps_back,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(min: i64) -> DateTime<Utc> {
        Utc.timestamp_opt(1_800_000_000 + min * 60, 0).unwrap()
    }
    fn tr(id: &str, min: i64, event: Action, service: &str, counter: Option<u32>) -> Transition {
        Transition {
            ticket_id: id.into(),
            at: at(min),
            event,
            counter,
            service: service.parse().unwrap(),
            transferred_from: None,
            staff: counter.map(|c| format!("S{c}")),
        }
    }

    #[test]
    fn counts_and_times_follow_the_transitions() {
        let mut transfer = tr("t2", 20, Action::Transfer, "B", Some(1));
        transfer.transferred_from = Some("A".parse().unwrap());
        let log = vec![
            tr("t1", 0, Action::Issue, "A", None),
            tr("t2", 1, Action::Issue, "A", None),
            tr("t3", 2, Action::Issue, "A", None),
            tr("t1", 10, Action::Call, "A", Some(1)),
            tr("t1", 16, Action::Complete, "A", Some(1)),
            tr("t2", 17, Action::Call, "A", Some(1)),
            transfer,
            tr("t2", 25, Action::Call, "B", Some(2)),
            tr("t2", 45, Action::Complete, "B", Some(2)),
            tr("t3", 30, Action::Call, "A", Some(1)),
            tr("t3", 32, Action::Skip, "A", Some(1)),
            tr("t3", 40, Action::Expire, "A", None),
        ];
        let rated = |counter, service: &str, n| RatedVisit {
            counter,
            service: service.parse().unwrap(),
            level: RatingLevel::from_number(n).unwrap(),
        };
        let ratings = [
            rated(Some(1), "A", 5),
            rated(Some(2), "B", 2),
            rated(Some(2), "B", 4),
        ];
        let s = daily_stats(NaiveDate::from_ymd_opt(2027, 1, 15).unwrap(), &log, &ratings);
        let a = &s.services[&"A".parse().unwrap()];
        assert_eq!(a.ratings.by_level, [0, 0, 0, 0, 1]);
        assert_eq!(s.counters[&2].ratings.by_level, [0, 1, 0, 1, 0]);
        assert_eq!(s.counters[&2].ratings.satisfied_share(), Some(0.5));
        let served: Vec<(&str, u32)> = s.staff_served.iter().map(|(k, v)| (k.as_str(), *v)).collect();
        assert_eq!(served, vec![("S1", 1), ("S2", 1)]);
        assert_eq!(
            (a.issued, a.called, a.served, a.no_show, a.transferred, a.expired),
            (3, 3, 1, 1, 1, 1)
        );
        // Waits in A: t1 10 min, t2 16 min, t3 28 min.
        assert_eq!(a.wait_minutes.average, Some(18.0));
        assert_eq!(a.wait_minutes.p90, Some(28.0));
        assert_eq!(a.service_minutes.average, Some(6.0));
        let b = &s.services[&"B".parse().unwrap()];
        assert_eq!((b.issued, b.called, b.served), (0, 1, 1));
        assert_eq!(
            b.wait_minutes.average,
            Some(5.0),
            "waiting restarts at the transfer"
        );
        assert_eq!(b.service_minutes.average, Some(20.0));
        assert_eq!(s.counters[&1].served, 1);
        assert_eq!(s.counters[&2].average_service_minutes, Some(20.0));
    }

    #[test]
    fn negative_durations_when_the_clock_steps_back_count_as_zero() {
        // Issued at 10, the clock set back an hour, called at -50 and completed at -60.
        let log = vec![
            tr("t1", 10, Action::Issue, "A", None),
            tr("t1", -50, Action::Call, "A", Some(1)),
            tr("t1", -60, Action::Complete, "A", Some(1)),
        ];
        let s = daily_stats(NaiveDate::from_ymd_opt(2027, 1, 15).unwrap(), &log, &[]);
        let a = &s.services[&"A".parse().unwrap()];
        assert_eq!(a.wait_minutes.average, Some(0.0));
        assert_eq!(a.service_minutes.average, Some(0.0));
        assert_eq!(s.counters[&1].average_service_minutes, Some(0.0));
        assert_eq!(s.clock_steps_back, 2);
    }

    #[test]
    fn p90_is_nearest_rank() {
        let m = Minutes::of((1..=10).map(|m| m * 60).collect());
        assert_eq!(m.p90, Some(9.0));
        assert_eq!(Minutes::of(vec![120]).p90, Some(2.0));
        assert_eq!(Minutes::of(vec![]), Minutes::default());
    }
}
