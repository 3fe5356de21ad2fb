//! A business day's statistics as the CLI prints them and the agency's `hall-daily-report/1`
//! carries them.

use kiosk_core::queue::rating::RatingCounts;
use kiosk_core::queue::stats::{CounterStats, DailyStats, Minutes, ServiceStats};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DailyStatsView {
    pub business_day: chrono::NaiveDate,
    /// Per service code (`A`, `B`, …).
    pub services: BTreeMap<String, ServiceStatsView>,
    /// Per counter number.
    pub counters: BTreeMap<u32, CounterStatsView>,
    /// Per staff number: visitors served while signed in (added; absent in older reports).
    #[serde(default)]
    pub staff: BTreeMap<String, StaffStatsView>,
    /// Waits and service times that came out negative because the terminal's clock was set
    /// back between two events (counted as zero minutes).
    pub clock_steps_back: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ServiceStatsView {
    pub issued: u32,
    pub called: u32,
    pub served: u32,
    pub no_show: u32,
    pub transferred: u32,
    pub expired: u32,
    pub wait_minutes: MinutesView,
    pub service_minutes: MinutesView,
    /// The visitors' ratings (added; absent in older reports).
    #[serde(default)]
    pub ratings: RatingsView,
}

/// Ratings (好差评) of a service or counter: how many at each level, `"5"` very satisfied to
/// `"1"` very dissatisfied, and the share satisfied (levels 3–5), 0–1, null before the first.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RatingsView {
    pub count: u32,
    pub by_level: BTreeMap<u8, u32>,
    pub satisfied_share: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StaffStatsView {
    pub served: u32,
}

impl From<&RatingCounts> for RatingsView {
    fn from(c: &RatingCounts) -> Self {
        Self {
            count: c.total(),
            by_level: (1u8..=5).zip(c.by_level).collect(),
            satisfied_share: c.satisfied_share(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MinutesView {
    pub average: Option<f64>,
    pub p90: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CounterStatsView {
    pub served: u32,
    pub average_service_minutes: Option<f64>,
    #[serde(default)]
    pub ratings: RatingsView,
}

impl From<&Minutes> for MinutesView {
    fn from(m: &Minutes) -> Self {
        Self {
            average: m.average,
            p90: m.p90,
        }
    }
}

impl From<&ServiceStats> for ServiceStatsView {
    fn from(s: &ServiceStats) -> Self {
        Self {
            issued: s.issued,
            called: s.called,
            served: s.served,
            no_show: s.no_show,
            transferred: s.transferred,
            expired: s.expired,
            wait_minutes: (&s.wait_minutes).into(),
            service_minutes: (&s.service_minutes).into(),
            ratings: (&s.ratings).into(),
        }
    }
}

impl From<&CounterStats> for CounterStatsView {
    fn from(c: &CounterStats) -> Self {
        Self {
            served: c.served,
            average_service_minutes: c.average_service_minutes,
            ratings: (&c.ratings).into(),
        }
    }
}

impl From<&DailyStats> for DailyStatsView {
    fn from(d: &DailyStats) -> Self {
        Self {
            business_day: d.business_day,
            services: d
                .services
                .iter()
                .map(|(code, s)| (code.to_string(), s.into()))
                .collect(),
            counters: d.counters.iter().map(|(id, c)| (*id, c.into())).collect(),
            staff: d
                .staff_served
                .iter()
                .map(|(id, served)| (id.clone(), StaffStatsView { served: *served }))
                .collect(),
            clock_steps_back: d.clock_steps_back,
        }
    }
}
