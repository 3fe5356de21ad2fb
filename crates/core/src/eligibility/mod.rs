//! Legal aid eligibility screening: the contract of `kiosk screen` and the wizard's engine.
//!
//! Pure: no I/O except reading a policy file on request, no Slint, no HTTP. The result is
//! advisory — the legal aid office decides — and every result says so and cites its rule.

pub mod citation;
mod codes;
mod engine;
mod input;
mod policy;
mod policy_import;
pub mod text;
pub mod wizard;

pub use codes::{Circumstance, CriminalRole, Matter, NextStep, Outcome, Proof, ReasonCode};
pub use engine::{Decision, Reason, StandardUsed, per_capita_text, screen};
pub use input::{HOUSEHOLD_SIZE, InputError, LARGEST_WHOLE, ScreeningInput, kind_of};
pub use policy::{DatedLine, MAX_MONTHLY_PER_CAPITA, Policy, PolicyError, ProvisionedStandard};
pub use policy_import::check_for_install;

use crate::lang::Lang;
use serde::Serialize;

/// The output object of the screening contract, with visitor-facing texts in the input's language.
#[derive(Debug, Clone, Serialize)]
pub struct ScreeningOutput {
    pub outcome: Outcome,
    pub advisory: bool,
    pub per_capita_monthly_income: String,
    pub standard: Option<StandardUsed>,
    pub reasons: Vec<ReasonOut>,
    pub next_steps: Vec<String>,
    /// Machine codes of `next_steps`, in the same order.
    pub next_step_codes: Vec<NextStep>,
    pub proof: Option<ProofOut>,
    pub headline: String,
    pub language: Lang,
}

#[derive(Debug, Clone, Serialize)]
pub struct ReasonOut {
    pub code: ReasonCode,
    /// The rule as the policy file writes it (for staff and scripts).
    pub rule: String,
    /// The rule cited formally, in the output's language (for the visitor).
    pub citation: String,
    pub text: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct ProofOut {
    pub code: Proof,
    pub text: String,
}

impl ScreeningOutput {
    pub fn new(input: &ScreeningInput, d: &Decision) -> Self {
        let lang = input.language;
        Self {
            outcome: d.outcome,
            advisory: true,
            per_capita_monthly_income: per_capita_text(input.household_monthly_income, input.household_size),
            standard: d.standard.clone(),
            reasons: d
                .reasons
                .iter()
                .map(|r| ReasonOut {
                    code: r.code,
                    rule: r.rule.clone(),
                    citation: citation::formal(&r.rule, lang),
                    text: text::reason(r.code, lang).into(),
                })
                .collect(),
            next_steps: d
                .next_steps
                .iter()
                .map(|s| text::next_step(*s, lang).to_owned())
                .collect(),
            next_step_codes: d.next_steps.clone(),
            proof: d.proof.map(|p| ProofOut {
                code: p,
                text: text::proof(p, lang).into(),
            }),
            headline: text::outcome(d.outcome, lang).into(),
            language: lang,
        }
    }
}
