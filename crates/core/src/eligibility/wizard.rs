//! Which question the screening wizard asks next: only those whose answer can still change the
//! outcome. The engine itself decides: a step is asked when some answer to it gives a different
//! result than the neutral one, with everything not yet answered at its neutral value.
//! Pure; the kiosk screens call it after every answer.

use super::codes::{Circumstance, Matter, ReasonCode};
use super::engine::screen;
use super::input::ScreeningInput;
use super::policy::Policy;
use crate::lang::Lang;
use chrono::NaiveDate;

/// The wizard's questions, in the order a visitor meets them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    Matter,
    AlreadyRepresented,
    CaseOutsideCity,
    /// Circumstances that make counsel mandatory (criminal defence only).
    CriminalCircumstances,
    /// Circumstances that exempt from the means test.
    Circumstances,
    HighValueAssets,
    HouseholdSize,
    Income,
    DeadlineWithinAWeek,
}

pub const ORDER: [Step; 9] = [
    Step::Matter,
    Step::AlreadyRepresented,
    Step::CaseOutsideCity,
    Step::CriminalCircumstances,
    Step::Circumstances,
    Step::HighValueAssets,
    Step::HouseholdSize,
    Step::Income,
    Step::DeadlineWithinAWeek,
];

impl Step {
    /// The step's name: the id of its sign-language clip in the media pack.
    pub fn name(self) -> &'static str {
        match self {
            Step::Matter => "Matter",
            Step::AlreadyRepresented => "AlreadyRepresented",
            Step::CaseOutsideCity => "CaseOutsideCity",
            Step::CriminalCircumstances => "CriminalCircumstances",
            Step::Circumstances => "Circumstances",
            Step::HighValueAssets => "HighValueAssets",
            Step::HouseholdSize => "HouseholdSize",
            Step::Income => "Income",
            Step::DeadlineWithinAWeek => "DeadlineWithinAWeek",
        }
    }
}

/// Circumstances offered on the criminal-defence checklist.
pub const CRIMINAL_CIRCUMSTANCES: [Circumstance; 7] = [
    Circumstance::Minor,
    Circumstance::VisualHearingSpeechDisability,
    Circumstance::CannotFullyRecogniseConduct,
    Circumstance::IntellectualDisability,
    Circumstance::PossibleLifeOrDeathSentence,
    Circumstance::DeathPenaltyReview,
    Circumstance::TrialInAbsentia,
];

/// What the visitor answered so far; `None` is not asked (yet).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Answers {
    pub matter: Option<Matter>,
    pub already_represented: Option<bool>,
    pub case_outside_city: Option<bool>,
    pub criminal_circumstances: Option<Vec<Circumstance>>,
    pub circumstances: Option<Vec<Circumstance>>,
    pub high_value_assets: Option<bool>,
    pub household_size: Option<u32>,
    pub income: Option<u64>,
    pub deadline_within_a_week: Option<bool>,
}

impl Answers {
    pub fn is_answered(&self, step: Step) -> bool {
        match step {
            Step::Matter => self.matter.is_some(),
            Step::AlreadyRepresented => self.already_represented.is_some(),
            Step::CaseOutsideCity => self.case_outside_city.is_some(),
            Step::CriminalCircumstances => self.criminal_circumstances.is_some(),
            Step::Circumstances => self.circumstances.is_some(),
            Step::HighValueAssets => self.high_value_assets.is_some(),
            Step::HouseholdSize => self.household_size.is_some(),
            Step::Income => self.income.is_some(),
            Step::DeadlineWithinAWeek => self.deadline_within_a_week.is_some(),
        }
    }

    /// The screening input, with every unanswered question at its neutral value.
    pub fn to_input(&self, date: NaiveDate, language: Lang) -> Option<ScreeningInput> {
        let mut circumstances = self.criminal_circumstances.clone().unwrap_or_default();
        for c in self.circumstances.iter().flatten() {
            if !circumstances.contains(c) {
                circumstances.push(*c);
            }
        }
        let matter = self.matter?;
        Some(ScreeningInput {
            date,
            matter,
            household_size: self.household_size.unwrap_or(1),
            household_monthly_income: self.income.unwrap_or(0),
            circumstances,
            criminal_role: matter
                .is_criminal_defence(None)
                .then_some(super::codes::CriminalRole::SuspectOrDefendant),
            already_represented: self.already_represented.unwrap_or(false),
            case_outside_guangzhou: self.case_outside_city.unwrap_or(false),
            days_to_deadline: self.deadline_within_a_week.and_then(|soon| soon.then_some(0)),
            has_high_value_assets: self.high_value_assets.unwrap_or(false),
            language,
        })
    }
}

/// The next question to ask, or `None` when the result can be shown.
pub fn next_step(policy: &Policy, date: NaiveDate, answers: &Answers) -> Option<Step> {
    ORDER
        .into_iter()
        .find(|s| !answers.is_answered(*s) && matters(policy, date, answers, *s))
}

/// Whether any answer to `step` can change the outcome (for the deadline: the advice).
fn matters(policy: &Policy, date: NaiveDate, answers: &Answers, step: Step) -> bool {
    if step == Step::Matter {
        return true;
    }
    let Some(base_input) = answers.to_input(date, Lang::default()) else {
        return false;
    };
    let base = screen(policy, &base_input);
    let differs = |alt: Answers| {
        alt.to_input(date, Lang::default()).is_some_and(|input| {
            let d = screen(policy, &input);
            if step == Step::DeadlineWithinAWeek {
                d.reasons.iter().any(|r| r.code == ReasonCode::DeadlineNear)
            } else {
                d.outcome != base.outcome
            }
        })
    };
    let with = |f: &dyn Fn(&mut Answers)| {
        let mut a = answers.clone();
        f(&mut a);
        a
    };
    match step {
        Step::Matter => true,
        Step::AlreadyRepresented => differs(with(&|a| a.already_represented = Some(true))),
        Step::CaseOutsideCity => differs(with(&|a| a.case_outside_city = Some(true))),
        Step::CriminalCircumstances => {
            answers.matter == Some(Matter::CriminalDefence)
                && CRIMINAL_CIRCUMSTANCES
                    .iter()
                    .any(|c| differs(with(&|a| a.criminal_circumstances = Some(vec![*c]))))
        }
        Step::Circumstances => policy
            .exemptions
            .iter()
            .any(|e| differs(with(&|a| a.circumstances = Some(e.all_of.clone())))),
        Step::HighValueAssets => differs(with(&|a| a.high_value_assets = Some(true))),
        // Household size only matters through the means test: asked exactly when income is,
        // i.e. when a high income would change the outcome of the neutral (zero) income.
        Step::HouseholdSize | Step::Income => differs(with(&|a| a.income = Some(u64::from(u32::MAX)))),
        Step::DeadlineWithinAWeek => differs(with(&|a| a.deadline_within_a_week = Some(true))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    /// Answers every question the wizard asks from `full`, and returns the steps asked.
    fn walk(policy: &Policy, date: NaiveDate, full: &Answers) -> (Answers, Vec<Step>) {
        let mut a = Answers::default();
        let mut asked = Vec::new();
        while let Some(step) = next_step(policy, date, &a) {
            asked.push(step);
            match step {
                Step::Matter => a.matter = full.matter,
                Step::AlreadyRepresented => {
                    a.already_represented = Some(full.already_represented.unwrap_or(false))
                }
                Step::CaseOutsideCity => a.case_outside_city = Some(full.case_outside_city.unwrap_or(false)),
                Step::CriminalCircumstances => {
                    a.criminal_circumstances = Some(full.criminal_circumstances.clone().unwrap_or_default())
                }
                Step::Circumstances => a.circumstances = Some(full.circumstances.clone().unwrap_or_default()),
                Step::HighValueAssets => a.high_value_assets = Some(full.high_value_assets.unwrap_or(false)),
                Step::HouseholdSize => a.household_size = Some(full.household_size.unwrap_or(1)),
                Step::Income => a.income = Some(full.income.unwrap_or(0)),
                Step::DeadlineWithinAWeek => {
                    a.deadline_within_a_week = Some(full.deadline_within_a_week.unwrap_or(false))
                }
            }
            assert!(asked.len() <= ORDER.len(), "the wizard repeats itself: {asked:?}");
        }
        (a, asked)
    }

    fn asked(matter: Matter, date: &str, extra: impl Fn(&mut Answers)) -> Vec<Step> {
        let policy = Policy::shipped().unwrap();
        let mut full = Answers {
            matter: Some(matter),
            ..Answers::default()
        };
        extra(&mut full);
        walk(&policy, day(date), &full).1
    }

    #[test]
    fn consultation_needs_no_other_question() {
        assert_eq!(
            asked(Matter::Consultation, "2025-06-01", |_| {}),
            vec![Step::Matter]
        );
    }

    #[test]
    fn a_means_tested_matter_asks_everything_that_counts() {
        let steps = asked(Matter::FamilySupport, "2025-06-01", |_| {});
        let all = [
            Step::Matter,
            Step::AlreadyRepresented,
            Step::CaseOutsideCity,
            Step::Circumstances,
            Step::HighValueAssets,
            Step::HouseholdSize,
            Step::Income,
            Step::DeadlineWithinAWeek,
        ];
        assert_eq!(steps, all);
    }

    #[test]
    fn an_exemption_skips_the_money_questions() {
        let steps = asked(Matter::LabourRemuneration, "2025-06-01", |a| {
            a.circumstances = Some(vec![Circumstance::MigrantWorker])
        });
        assert!(
            !steps.contains(&Step::Income) && !steps.contains(&Step::HighValueAssets),
            "{steps:?}"
        );
        let dv = asked(Matter::DomesticViolenceAbuse, "2025-06-01", |_| {});
        assert!(
            !dv.contains(&Step::Circumstances) && !dv.contains(&Step::Income),
            "{dv:?}"
        );
    }

    #[test]
    fn criminal_defence_asks_about_mandatory_counsel_not_money() {
        let steps = asked(Matter::CriminalDefence, "2026-04-01", |_| {});
        assert!(steps.contains(&Step::CriminalCircumstances), "{steps:?}");
        assert!(!steps.contains(&Step::Income), "{steps:?}");
        let mandatory = asked(Matter::CriminalDefence, "2026-04-01", |a| {
            a.criminal_circumstances = Some(vec![Circumstance::Minor])
        });
        assert!(
            !mandatory.contains(&Step::Circumstances),
            "counsel is appointed anyway: {mandatory:?}"
        );
    }

    #[test]
    fn no_income_question_while_no_standard_figure_exists() {
        let steps = asked(Matter::FamilySupport, "2026-05-01", |_| {});
        assert!(
            !steps.contains(&Step::Income) && !steps.contains(&Step::HouseholdSize),
            "{steps:?}"
        );
    }

    #[test]
    fn a_disabled_minor_is_exempt_through_the_general_checklist() {
        // Found by the property below: "minor" must count outside criminal matters too.
        let policy = Policy::shipped().unwrap();
        let full = Answers {
            matter: Some(Matter::SocialInsuranceOrAssistance),
            circumstances: Some(vec![Circumstance::Minor, Circumstance::Disabled]),
            ..Answers::default()
        };
        let (asked, steps) = walk(&policy, day("2026-03-05"), &full);
        assert!(!steps.contains(&Step::Income), "{steps:?}");
        let d = screen(&policy, &asked.to_input(day("2026-03-05"), Lang::ZhCn).unwrap());
        assert_eq!(d.outcome, crate::eligibility::Outcome::ExemptFromMeansTest);
    }

    #[test]
    fn being_represented_ends_the_questions() {
        let steps = asked(Matter::FamilySupport, "2025-06-01", |a| {
            a.already_represented = Some(true)
        });
        assert_eq!(steps, vec![Step::Matter, Step::AlreadyRepresented]);
    }

    mod skipping_is_safe {
        use super::*;
        use proptest::prelude::*;

        fn any_answers() -> impl Strategy<Value = (Answers, i64)> {
            (
                0..Matter::ALL.len(),
                (any::<bool>(), any::<bool>(), any::<bool>(), any::<bool>()),
                prop::collection::vec(0..Circumstance::ALL.len(), 0..3),
                prop::collection::vec(0..CRIMINAL_CIRCUMSTANCES.len(), 0..2),
                1u32..=8,
                0u64..40_000,
                0i64..4000,
            )
                .prop_map(|(m, (rep, out, assets, soon), cs, crim, size, income, day)| {
                    let matter = Matter::ALL[m];
                    // The criminal checklist is only asked in criminal defence matters.
                    let criminal = (matter == Matter::CriminalDefence)
                        .then(|| crim.iter().map(|i| CRIMINAL_CIRCUMSTANCES[*i]).collect());
                    let a = Answers {
                        matter: Some(matter),
                        already_represented: Some(rep),
                        case_outside_city: Some(out),
                        criminal_circumstances: criminal,
                        circumstances: Some(cs.iter().map(|i| Circumstance::ALL[*i]).collect()),
                        high_value_assets: Some(assets),
                        household_size: Some(size),
                        income: Some(income),
                        deadline_within_a_week: Some(soon),
                    };
                    (a, day)
                })
        }

        proptest! {
            #![proptest_config(ProptestConfig { cases: 1000, ..ProptestConfig::default() })]
            /// Answering only what the wizard asks gives the outcome of answering everything.
            #[test]
            fn the_asked_questions_decide_like_all_questions((full, offset) in any_answers()) {
                let policy = Policy::shipped().unwrap();
                let date = day("2016-01-01") + chrono::Duration::days(offset);
                let everything = screen(&policy, &full.to_input(date, Lang::ZhCn).unwrap());
                let (asked, _) = walk(&policy, date, &full);
                let wizard = screen(&policy, &asked.to_input(date, Lang::ZhCn).unwrap());
                prop_assert_eq!(wizard.outcome, everything.outcome);
                prop_assert_eq!(
                    wizard.reasons.iter().any(|r| r.code == ReasonCode::DeadlineNear),
                    everything.reasons.iter().any(|r| r.code == ReasonCode::DeadlineNear)
                );
            }
        }
    }
}
