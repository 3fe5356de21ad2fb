//! The screening engine: the decision order of shared/domain/legal-aid-rules.md over a `Policy`.
//! Pure: the same input and policy always give the same result. Money is compared exactly in
//! integers (`income < standard × household size`); "below" is strict.

use super::codes::{Circumstance, Matter, NextStep, Outcome, Proof, ReasonCode};
use super::input::ScreeningInput;
use super::policy::{DatedLine, Policy};
use chrono::NaiveDate;
use serde::Serialize;

/// Under this many days to a filing deadline, aid can start before the review finishes (Art. 44).
const EARLY_AID_DAYS: u32 = 7;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Reason {
    pub code: ReasonCode,
    pub rule: String,
}

/// The standard a means test used (or tried to use).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StandardUsed {
    pub monthly_per_capita: Option<u64>,
    pub from: NaiveDate,
    pub basis: String,
}

impl From<&DatedLine> for StandardUsed {
    fn from(l: &DatedLine) -> Self {
        Self {
            monthly_per_capita: l.monthly_per_capita,
            from: l.from,
            basis: l.basis.clone(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    pub outcome: Outcome,
    pub standard: Option<StandardUsed>,
    pub reasons: Vec<Reason>,
    pub next_steps: Vec<NextStep>,
    /// The document that proves an exemption, when one applied.
    pub proof: Option<Proof>,
}

/// What to bring when applying at the counter.
const APPLY: [NextStep; 5] = [
    NextStep::BringId,
    NextStep::BringAgencyProof,
    NextStep::ApplicationForm,
    NextStep::BringCasePapers,
    NextStep::TakeApplicationTicket,
];

struct Builder<'p> {
    policy: &'p Policy,
    input: &'p ScreeningInput,
}

impl Builder<'_> {
    fn reason(&self, code: ReasonCode, rule: Option<&str>) -> Reason {
        Reason {
            code,
            rule: rule.unwrap_or_else(|| self.policy.cite(code)).to_owned(),
        }
    }

    fn done(&self, outcome: Outcome, reasons: Vec<Reason>, steps: &[NextStep]) -> Decision {
        Decision {
            outcome,
            standard: None,
            reasons,
            next_steps: steps.to_vec(),
            proof: None,
        }
    }
}

pub fn screen(policy: &Policy, input: &ScreeningInput) -> Decision {
    let mut d = decide(policy, input);
    let urgent = input.days_to_deadline.is_some_and(|days| days < EARLY_AID_DAYS);
    let aid_possible = !matches!(d.outcome, Outcome::NotEligible) && input.matter != Matter::Consultation;
    if urgent && aid_possible {
        d.reasons.push(Reason {
            code: ReasonCode::DeadlineNear,
            rule: policy.cite(ReasonCode::DeadlineNear).to_owned(),
        });
        d.next_steps.insert(0, NextStep::EarlyAidPossible);
    }
    d.next_steps.push(NextStep::OfficeDecides);
    d
}

fn decide(policy: &Policy, input: &ScreeningInput) -> Decision {
    let b = Builder { policy, input };
    let date = input.date;
    let matter = input.matter;
    let has = |c: Circumstance| input.has(c);

    // 1. Consultation is free for everyone.
    if matter == Matter::Consultation {
        let r = b.reason(ReasonCode::ConsultationFree, None);
        return b.done(
            Outcome::ExemptFromMeansTest,
            vec![r],
            &[NextStep::TakeConsultationTicket],
        );
    }
    // 2. Someone already acts for them in this matter.
    if input.already_represented {
        let r = b.reason(ReasonCode::AlreadyRepresented, None);
        return b.done(Outcome::NotEligible, vec![r], &[NextStep::TakeConsultationTicket]);
    }
    // 3. Handled by an authority outside the city: apply where the case is.
    if input.case_outside_guangzhou {
        let r = b.reason(ReasonCode::CaseOutsideCity, None);
        return b.done(
            Outcome::ReferToStaff,
            vec![r],
            &[NextStep::ApplyWhereCaseIsHandled, NextStep::AskStaff],
        );
    }
    // 4. Criminal cases.
    if matter.is_compulsory_treatment(input.criminal_role) {
        let r = b.reason(ReasonCode::CompulsoryTreatment, None);
        return b.done(
            Outcome::StateAppointsCounsel,
            vec![r],
            &[NextStep::AuthoritiesMustNotify],
        );
    }
    if matter.is_criminal_defence(input.criminal_role) {
        if let Some(rule) = policy.mandatory_counsel_rule(has, date) {
            let r = b.reason(ReasonCode::MandatoryCounsel, Some(rule));
            let steps = [NextStep::AuthoritiesMustNotify, NextStep::DutyLawyer];
            return b.done(Outcome::StateAppointsCounsel, vec![r], &steps);
        }
        if let Some(rule) = policy.criminal_defence_rule(date) {
            let r = b.reason(ReasonCode::CriminalDefenceNoEconomicCondition, Some(rule));
            let mut steps = vec![NextStep::DutyLawyer];
            steps.extend(APPLY.iter().filter(|s| **s != NextStep::TakeApplicationTicket));
            steps.push(NextStep::TakeCriminalTicket);
            return b.done(Outcome::ExemptFromMeansTest, vec![r], &steps);
        }
        let r = b.reason(ReasonCode::CriminalDefenceReferToStaff, None);
        return b.done(
            Outcome::ReferToStaff,
            vec![r],
            &[NextStep::DutyLawyer, NextStep::TakeCriminalTicket],
        );
    }
    // 5. Matters with no economic condition.
    if let Some(rule) = policy.no_economic_condition_rule(matter, date) {
        let r = b.reason(ReasonCode::NoEconomicCondition, Some(rule));
        let mut steps = APPLY.to_vec();
        if matter == Matter::DomesticViolenceAbuse {
            steps.insert(1, NextStep::BringDomesticViolenceEvidence);
        }
        return b.done(Outcome::ExemptFromMeansTest, vec![r], &steps);
    }
    // 6. Scope of representation.
    let Some(scope_rule) = policy.scope_rule(matter, date) else {
        let r = b.reason(ReasonCode::OutOfScope, None);
        return b.done(Outcome::NotEligible, vec![r], &[NextStep::TakeConsultationTicket]);
    };
    // 7. Groups whose economic status is not verified.
    if let Some(ex) = policy.exemption_for(matter, has, date) {
        let r = b.reason(ReasonCode::MeansNotVerified, Some(&ex.rule));
        let mut steps = APPLY.to_vec();
        steps.insert(1, NextStep::BringExemptionProof);
        let mut d = b.done(Outcome::ExemptFromMeansTest, vec![r], &steps);
        d.proof = Some(ex.proof);
        return d;
    }
    // 8. High-value assets need a person to look at them.
    if input.has_high_value_assets {
        let r = b.reason(ReasonCode::HighValueAssets, None);
        return b.done(
            Outcome::ReferToStaff,
            vec![r],
            &[NextStep::EconomicStatement, NextStep::AskStaff],
        );
    }
    // 9. The means test for the date.
    means_test(&b, scope_rule)
}

fn means_test(b: &Builder, scope_rule: &str) -> Decision {
    let input = b.input;
    let date = input.date;
    let income = u128::from(input.household_monthly_income);
    let size = u128::from(input.household_size);
    let refer_steps = [
        NextStep::EconomicStatement,
        NextStep::BringId,
        NextStep::BringCasePapers,
        NextStep::AskStaff,
    ];

    let Some(standard) = b.policy.standard_on(date) else {
        let r = b.reason(ReasonCode::NoStandardForDate, None);
        return b.done(Outcome::ReferToStaff, vec![r], &refer_steps);
    };
    let used = Some(StandardUsed::from(standard));
    let with_standard = |mut d: Decision| {
        d.standard = used.clone();
        d
    };
    let Some(figure) = standard.monthly_per_capita else {
        let r = b.reason(ReasonCode::StandardNotProvisioned, None);
        return with_standard(b.done(Outcome::ReferToStaff, vec![r], &refer_steps));
    };
    let cite = |code: ReasonCode| format!("{scope_rule}; {}", b.policy.cite(code));
    if income < u128::from(figure) * size {
        let r = Reason {
            code: ReasonCode::MeansTestPassed,
            rule: cite(ReasonCode::MeansTestPassed),
        };
        let mut steps = APPLY.to_vec();
        steps.insert(1, NextStep::EconomicStatement);
        return with_standard(b.done(Outcome::Eligible, vec![r], &steps));
    }
    if let Some(line) = b.policy.review_line_on(date) {
        let below_line = line
            .monthly_per_capita
            .is_none_or(|l| income < u128::from(l) * size);
        if below_line {
            let r = b.reason(ReasonCode::ReviewLineReferToStaff, None);
            return with_standard(b.done(Outcome::ReferToStaff, vec![r], &refer_steps));
        }
    }
    let r = Reason {
        code: ReasonCode::MeansTestFailed,
        rule: cite(ReasonCode::MeansTestFailed),
    };
    with_standard(b.done(
        Outcome::NotEligible,
        vec![r],
        &[NextStep::TakeConsultationTicket, NextStep::AskStaff],
    ))
}

/// Per-capita monthly income with two decimals, rounded half up, from exact integers.
pub fn per_capita_text(income: u64, size: u32) -> String {
    let size = u128::from(size.max(1));
    let cents = (u128::from(income) * 200 + size) / (2 * size);
    format!("{}.{:02}", cents / 100, cents % 100)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn per_capita_is_exact() {
        assert_eq!(per_capita_text(4800, 3), "1600.00");
        assert_eq!(per_capita_text(1000, 3), "333.33");
        assert_eq!(per_capita_text(2000, 3), "666.67");
        assert_eq!(per_capita_text(0, 1), "0.00");
        assert_eq!(per_capita_text(u64::MAX, 1), format!("{}.00", u64::MAX));
    }
}
