//! The visitor's rating of a served ticket (政务服务"好差评"): five levels, and for the two low
//! ones at least one reason. A rating holds no personal data: the ticket, the level, the reasons.

use std::fmt;
use std::str::FromStr;

/// 5 非常满意 · 4 满意 · 3 基本满意 · 2 不满意 · 1 非常不满意.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum RatingLevel {
    VeryDissatisfied = 1,
    Dissatisfied = 2,
    Basic = 3,
    Satisfied = 4,
    VerySatisfied = 5,
}

impl RatingLevel {
    /// From the best to the worst, the order the faces are shown in.
    pub const ALL: [RatingLevel; 5] = [
        Self::VerySatisfied,
        Self::Satisfied,
        Self::Basic,
        Self::Dissatisfied,
        Self::VeryDissatisfied,
    ];

    pub fn from_number(n: u8) -> Option<Self> {
        Self::ALL.into_iter().find(|l| l.number() == n)
    }

    pub fn number(self) -> u8 {
        self as u8
    }

    /// 不满意 and 非常不满意: the visitor is asked what went wrong before the rating is kept.
    pub fn is_low(self) -> bool {
        self <= Self::Dissatisfied
    }

    /// Counted in the share of satisfied visitors (满意率: 非常满意, 满意 and 基本满意).
    pub fn is_satisfied(self) -> bool {
        self >= Self::Basic
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::VerySatisfied => "very_satisfied",
            Self::Satisfied => "satisfied",
            Self::Basic => "basically_satisfied",
            Self::Dissatisfied => "dissatisfied",
            Self::VeryDissatisfied => "very_dissatisfied",
        }
    }
}

/// What went wrong, for a low rating.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum RatingReason {
    Attitude,
    Efficiency,
    Professional,
    Waiting,
    Other,
}

impl RatingReason {
    pub const ALL: [RatingReason; 5] = [
        Self::Attitude,
        Self::Efficiency,
        Self::Professional,
        Self::Waiting,
        Self::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Attitude => "attitude",
            Self::Efficiency => "efficiency",
            Self::Professional => "professional",
            Self::Waiting => "waiting",
            Self::Other => "other",
        }
    }
}

impl fmt::Display for RatingReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for RatingReason {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        Self::ALL
            .into_iter()
            .find(|r| r.as_str() == s.trim())
            .ok_or_else(|| {
                let known: Vec<&str> = Self::ALL.iter().map(|r| r.as_str()).collect();
                format!("unknown rating reason {s:?}; use one of {}", known.join(", "))
            })
    }
}

/// A rating that may be kept: a low level has at least one reason, a satisfied one none.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rating {
    level: RatingLevel,
    reasons: Vec<RatingReason>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RatingError {
    #[error(
        "a rating of {level} out of 5 needs at least one reason (attitude, efficiency, professional, waiting, other)"
    )]
    ReasonNeeded { level: u8 },
    #[error("reasons are asked for only with a rating of 1 or 2, not {level}")]
    ReasonNotAsked { level: u8 },
}

impl Rating {
    /// Reasons are kept once each, in a fixed order.
    pub fn new(level: RatingLevel, reasons: &[RatingReason]) -> Result<Self, RatingError> {
        let mut reasons = reasons.to_vec();
        reasons.sort_unstable();
        reasons.dedup();
        match (level.is_low(), reasons.is_empty()) {
            (true, true) => Err(RatingError::ReasonNeeded {
                level: level.number(),
            }),
            (false, false) => Err(RatingError::ReasonNotAsked {
                level: level.number(),
            }),
            _ => Ok(Self { level, reasons }),
        }
    }

    pub fn level(&self) -> RatingLevel {
        self.level
    }

    pub fn reasons(&self) -> &[RatingReason] {
        &self.reasons
    }
}

/// How a group of ratings came out: the count per level (index 0 is level 1) and the share of
/// satisfied visitors.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RatingCounts {
    pub by_level: [u32; 5],
}

impl RatingCounts {
    pub fn add(&mut self, level: RatingLevel) {
        self.by_level[usize::from(level.number() - 1)] += 1;
    }

    pub fn total(&self) -> u32 {
        self.by_level.iter().sum()
    }

    /// Satisfied (levels 3–5) out of all, 0–1 with three decimals; `None` before the first rating.
    pub fn satisfied_share(&self) -> Option<f64> {
        let total = self.total();
        (total > 0).then(|| {
            let satisfied: u32 = self.by_level[2..].iter().sum();
            (f64::from(satisfied) / f64::from(total) * 1000.0).round() / 1000.0
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn low_ratings_need_a_reason_and_satisfied_ones_take_none() {
        use RatingReason::*;
        assert_eq!(
            Rating::new(RatingLevel::Dissatisfied, &[]),
            Err(RatingError::ReasonNeeded { level: 2 })
        );
        assert!(Rating::new(RatingLevel::VeryDissatisfied, &[]).is_err());
        assert_eq!(
            Rating::new(RatingLevel::Basic, &[Waiting]),
            Err(RatingError::ReasonNotAsked { level: 3 })
        );
        let r = Rating::new(RatingLevel::VeryDissatisfied, &[Waiting, Attitude, Waiting]).unwrap();
        assert_eq!(r.reasons(), &[Attitude, Waiting]);
        assert!(Rating::new(RatingLevel::VerySatisfied, &[]).is_ok());
    }

    #[test]
    fn levels_and_reasons_read_back_from_their_numbers_and_words() {
        for level in RatingLevel::ALL {
            assert_eq!(RatingLevel::from_number(level.number()), Some(level));
        }
        assert_eq!(RatingLevel::from_number(0), None);
        assert_eq!(RatingLevel::from_number(6), None);
        for reason in RatingReason::ALL {
            assert_eq!(reason.as_str().parse(), Ok(reason));
        }
        assert!("rude".parse::<RatingReason>().is_err());
    }

    #[test]
    fn the_satisfied_share_counts_levels_three_to_five() {
        let mut c = RatingCounts::default();
        assert_eq!(c.satisfied_share(), None);
        for level in [5, 4, 3, 2, 1, 5].map(|n| RatingLevel::from_number(n).unwrap()) {
            c.add(level);
        }
        assert_eq!(c.by_level, [1, 1, 1, 1, 2]);
        assert_eq!(c.total(), 6);
        assert_eq!(c.satisfied_share(), Some(0.667));
    }
}
