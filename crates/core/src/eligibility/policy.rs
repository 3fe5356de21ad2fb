//! The policy as data: dated hardship standards and review lines, scope lists, matters with no
//! economic condition, exemptions and mandatory-counsel circumstances. Nothing about years or
//! amounts lives in code; the engine asks this module what applies on a date.

use super::codes::{Circumstance, Matter, Proof, ReasonCode};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The shipped policy, compiled in so an unprovisioned terminal screens correctly.
const SHIPPED: &str = include_str!("../../../../assets/policy/guangzhou.toml");

/// A dated per-capita monthly line (a hardship standard or a review line).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DatedLine {
    #[serde(deserialize_with = "crate::dates::deserialize")]
    pub from: NaiveDate,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::dates::deserialize_opt"
    )]
    pub until: Option<NaiveDate>,
    /// Whole yuan per person per month; absent when not (yet) known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub monthly_per_capita: Option<u64>,
    #[serde(default)]
    pub basis: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

impl DatedLine {
    fn covers(&self, date: NaiveDate) -> bool {
        self.from <= date && self.until.is_none_or(|u| date <= u)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct MatterRule {
    pub matters: Vec<Matter>,
    #[serde(default, deserialize_with = "crate::dates::deserialize_opt")]
    pub from: Option<NaiveDate>,
    pub rule: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct DatedRule {
    #[serde(default, deserialize_with = "crate::dates::deserialize_opt")]
    pub from: Option<NaiveDate>,
    pub rule: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Exemption {
    pub all_of: Vec<Circumstance>,
    #[serde(default)]
    pub matters: Option<Vec<Matter>>,
    #[serde(default, deserialize_with = "crate::dates::deserialize_opt")]
    pub from: Option<NaiveDate>,
    pub rule: String,
    pub proof: Proof,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct MandatoryRule {
    pub circumstances: Vec<Circumstance>,
    #[serde(default, deserialize_with = "crate::dates::deserialize_opt")]
    pub from: Option<NaiveDate>,
    pub rule: String,
}

/// The file format. Rule tables are optional so that a file with only standards (like the public
/// sample) still screens with the shipped rules.
#[derive(Debug, Deserialize)]
struct PolicyFile {
    #[serde(default)]
    standard: Vec<DatedLine>,
    #[serde(default)]
    review_line: Vec<DatedLine>,
    scope: Option<Vec<MatterRule>>,
    no_economic_condition: Option<Vec<MatterRule>>,
    criminal_defence_no_economic_condition: Option<Vec<DatedRule>>,
    exemption: Option<Vec<Exemption>>,
    mandatory_counsel: Option<Vec<MandatoryRule>>,
    citations: Option<BTreeMap<String, String>>,
}

impl PolicyFile {
    fn is_empty(&self) -> bool {
        self.standard.is_empty()
            && self.review_line.is_empty()
            && self.scope.is_none()
            && self.no_economic_condition.is_none()
            && self.criminal_defence_no_economic_condition.is_none()
            && self.exemption.is_none()
            && self.mandatory_counsel.is_none()
            && self.citations.is_none()
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Policy {
    pub standards: Vec<DatedLine>,
    pub review_lines: Vec<DatedLine>,
    pub scope: Vec<MatterRule>,
    pub no_economic_condition: Vec<MatterRule>,
    pub criminal_defence_no_economic_condition: Vec<DatedRule>,
    pub exemptions: Vec<Exemption>,
    pub mandatory_counsel: Vec<MandatoryRule>,
    citations: BTreeMap<String, String>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("policy {origin}: {message}")]
pub struct PolicyError {
    pub origin: String,
    pub message: String,
}

/// The largest monthly per-capita figure a policy may state, in yuan: far above any city's
/// hardship standard (a few thousand), far below what the income arithmetic could overflow on.
pub const MAX_MONTHLY_PER_CAPITA: u64 = 100_000;

/// A yearly standard provisioned on this terminal (`kiosk provision --hardship-standard`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProvisionedStandard {
    #[serde(deserialize_with = "crate::dates::deserialize")]
    pub from: NaiveDate,
    pub monthly_per_capita: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

fn applies(from: Option<NaiveDate>, date: NaiveDate) -> bool {
    from.is_none_or(|f| f <= date)
}

impl Policy {
    pub fn shipped() -> Result<Self, PolicyError> {
        Self::parse(SHIPPED, "assets/policy/guangzhou.toml", None)
    }

    /// A policy file for one run (read by the caller): its standards and review lines replace
    /// the shipped ones; rule tables it lacks come from the shipped policy.
    pub fn from_toml(text: &str, origin: &str) -> Result<Self, PolicyError> {
        let shipped = Self::shipped()?;
        Self::parse(text, origin, Some(&shipped))
    }

    fn parse(text: &str, origin: &str, fallback: Option<&Policy>) -> Result<Self, PolicyError> {
        let fail = |message: String| PolicyError {
            origin: origin.to_owned(),
            message,
        };
        let file: PolicyFile = toml::from_str(text).map_err(|e| fail(e.to_string().trim().to_owned()))?;
        if file.is_empty() {
            return Err(fail(
                "is empty: a policy file holds at least one [[standard]] (see the screening contract)".into(),
            ));
        }
        let citations = match (file.citations, fallback) {
            (Some(c), _) => c,
            (None, Some(f)) => f.citations.clone(),
            (None, None) => return Err(fail("the [citations] table is missing".into())),
        };
        let policy = Policy {
            standards: file.standard,
            review_lines: file.review_line,
            scope: own_or_shipped(file.scope, fallback, |f| &f.scope, "scope").map_err(fail)?,
            no_economic_condition: own_or_shipped(
                file.no_economic_condition,
                fallback,
                |f| &f.no_economic_condition,
                "no_economic_condition",
            )
            .map_err(fail)?,
            criminal_defence_no_economic_condition: own_or_shipped(
                file.criminal_defence_no_economic_condition,
                fallback,
                |f| &f.criminal_defence_no_economic_condition,
                "criminal_defence_no_economic_condition",
            )
            .map_err(fail)?,
            exemptions: own_or_shipped(file.exemption, fallback, |f| &f.exemptions, "exemption")
                .map_err(fail)?,
            mandatory_counsel: own_or_shipped(
                file.mandatory_counsel,
                fallback,
                |f| &f.mandatory_counsel,
                "mandatory_counsel",
            )
            .map_err(fail)?,
            citations,
        };
        policy.check().map_err(fail)?;
        Ok(policy)
    }

    fn check(&self) -> Result<(), String> {
        for (table, lines) in [("standard", &self.standards), ("review_line", &self.review_lines)] {
            for (i, l) in lines.iter().enumerate() {
                if let Some(j) = lines[..i].iter().position(|earlier| earlier.from == l.from) {
                    return Err(format!(
                        "{table}[{j}] and {table}[{i}] both start on {}: which one applies would depend on \
                         their order; keep one",
                        l.from
                    ));
                }
                if l.until.is_some_and(|u| u < l.from) {
                    return Err(format!(
                        "{table}[{i}]: until {} is before from {}",
                        l.until.unwrap_or(l.from),
                        l.from
                    ));
                }
                if let Some(figure) = l.monthly_per_capita
                    && !(1..=MAX_MONTHLY_PER_CAPITA).contains(&figure)
                {
                    return Err(format!(
                        "{table}[{i}]: monthly_per_capita {figure} is not a monthly figure in yuan (1 to \
                         {MAX_MONTHLY_PER_CAPITA}); leave it out when unknown"
                    ));
                }
            }
        }
        for (i, e) in self.exemptions.iter().enumerate() {
            if e.all_of.is_empty() {
                return Err(format!(
                    "exemption[{i}] ({}): all_of is empty, which would exempt everybody from the means \
                     test; list the circumstances it needs",
                    e.rule
                ));
            }
        }
        for code in ReasonCode::ALL {
            if !self.citations.contains_key(code.code()) && needs_citation_table(*code) {
                return Err(format!("[citations] has no entry for {}", code.code()));
            }
        }
        Ok(())
    }

    /// Adds the yearly standards provisioned on the terminal; one with the same start date replaces
    /// the shipped entry's figure.
    pub fn with_provisioned(mut self, provisioned: &[ProvisionedStandard]) -> Self {
        for p in provisioned {
            let source = p
                .source
                .clone()
                .or_else(|| Some("provisioned on this terminal".into()));
            match self.standards.iter_mut().find(|s| s.from == p.from) {
                Some(s) => {
                    s.monthly_per_capita = Some(p.monthly_per_capita);
                    s.source = source;
                }
                None => self.standards.push(DatedLine {
                    from: p.from,
                    until: None,
                    monthly_per_capita: Some(p.monthly_per_capita),
                    basis: "yearly standard provisioned on this terminal".into(),
                    source,
                }),
            }
        }
        self
    }

    /// The entry with the latest `from` that covers the date.
    fn latest_covering(lines: &[DatedLine], date: NaiveDate) -> Option<&DatedLine> {
        lines.iter().filter(|l| l.covers(date)).max_by_key(|l| l.from)
    }

    pub fn standard_on(&self, date: NaiveDate) -> Option<&DatedLine> {
        Self::latest_covering(&self.standards, date)
    }

    pub fn review_line_on(&self, date: NaiveDate) -> Option<&DatedLine> {
        Self::latest_covering(&self.review_lines, date)
    }

    pub fn scope_rule(&self, matter: Matter, date: NaiveDate) -> Option<&str> {
        matter_rule(&self.scope, matter, date)
    }

    pub fn no_economic_condition_rule(&self, matter: Matter, date: NaiveDate) -> Option<&str> {
        matter_rule(&self.no_economic_condition, matter, date)
    }

    pub fn criminal_defence_rule(&self, date: NaiveDate) -> Option<&str> {
        self.criminal_defence_no_economic_condition
            .iter()
            .filter(|r| applies(r.from, date))
            .max_by_key(|r| r.from)
            .map(|r| r.rule.as_str())
    }

    /// The first exemption the visitor meets on the date, in policy order.
    pub fn exemption_for(
        &self,
        matter: Matter,
        has: impl Fn(Circumstance) -> bool,
        date: NaiveDate,
    ) -> Option<&Exemption> {
        self.exemptions.iter().find(|e| {
            applies(e.from, date)
                && e.all_of.iter().all(|c| has(*c))
                && e.matters.as_ref().is_none_or(|m| m.contains(&matter))
        })
    }

    pub fn mandatory_counsel_rule(
        &self,
        has: impl Fn(Circumstance) -> bool,
        date: NaiveDate,
    ) -> Option<&str> {
        self.mandatory_counsel
            .iter()
            .find(|r| applies(r.from, date) && r.circumstances.iter().any(|c| has(*c)))
            .map(|r| r.rule.as_str())
    }

    /// The citation of a reason whose rule is not carried by a dated table.
    pub fn cite(&self, code: ReasonCode) -> &str {
        self.citations.get(code.code()).map_or("", String::as_str)
    }
}

/// A rule table from the file itself, else from the shipped policy.
fn own_or_shipped<T: Clone>(
    own: Option<Vec<T>>,
    fallback: Option<&Policy>,
    get: fn(&Policy) -> &Vec<T>,
    table: &str,
) -> Result<Vec<T>, String> {
    match (own, fallback) {
        (Some(v), _) => Ok(v),
        (None, Some(f)) => Ok(get(f).clone()),
        (None, None) => Err(format!("the [[{table}]] table is missing")),
    }
}

/// Reasons whose citation comes from `[citations]` rather than from a rule table.
fn needs_citation_table(code: ReasonCode) -> bool {
    !matches!(
        code,
        ReasonCode::MandatoryCounsel
            | ReasonCode::CriminalDefenceNoEconomicCondition
            | ReasonCode::NoEconomicCondition
            | ReasonCode::MeansNotVerified
    )
}

fn matter_rule(rules: &[MatterRule], matter: Matter, date: NaiveDate) -> Option<&str> {
    rules
        .iter()
        .filter(|r| applies(r.from, date) && r.matters.contains(&matter))
        .max_by_key(|r| r.from)
        .map(|r| r.rule.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn the_shipped_policy_loads_and_has_no_unverified_2026_figure() {
        let p = Policy::shipped().unwrap();
        assert_eq!(
            p.standard_on(day("2025-03-01")).unwrap().monthly_per_capita,
            Some(2500)
        );
        assert_eq!(
            p.standard_on(day("2026-02-28")).unwrap().monthly_per_capita,
            Some(2500)
        );
        let decree_220 = p.standard_on(day("2026-03-01")).unwrap();
        assert_eq!(decree_220.monthly_per_capita, None);
        assert!(p.standard_on(day("2016-09-18")).is_none());
    }

    #[test]
    fn provisioned_yearly_figures_fill_in_or_add_standards() {
        let p = Policy::shipped().unwrap().with_provisioned(&[
            ProvisionedStandard {
                from: day("2026-03-01"),
                monthly_per_capita: 2600,
                source: None,
            },
            ProvisionedStandard {
                from: day("2027-03-01"),
                monthly_per_capita: 2700,
                source: None,
            },
        ]);
        assert_eq!(
            p.standard_on(day("2026-03-01")).unwrap().monthly_per_capita,
            Some(2600)
        );
        assert_eq!(
            p.standard_on(day("2027-02-28")).unwrap().monthly_per_capita,
            Some(2600)
        );
        assert_eq!(
            p.standard_on(day("2027-03-01")).unwrap().monthly_per_capita,
            Some(2700)
        );
    }

    #[test]
    fn decree_220_rules_start_on_their_date() {
        let p = Policy::shipped().unwrap();
        assert!(p.criminal_defence_rule(day("2026-02-28")).is_none());
        assert!(p.criminal_defence_rule(day("2026-03-01")).is_some());
        let g = Matter::GuardianshipRevocation;
        assert!(p.no_economic_condition_rule(g, day("2026-02-28")).is_none());
        assert!(p.no_economic_condition_rule(g, day("2026-03-01")).is_some());
    }

    #[test]
    fn ambiguous_or_empty_policies_are_refused() {
        let shipped = Policy::shipped().unwrap();
        let parse = |text: &str| Policy::parse(text, "x.toml", Some(&shipped));
        let twice = "[[standard]]\nfrom = \"2026-03-01\"\nmonthly_per_capita = 2600\n\
                     [[standard]]\nfrom = \"2026-03-01\"\nmonthly_per_capita = 2700\n";
        assert!(
            parse(twice)
                .unwrap_err()
                .message
                .contains("both start on 2026-03-01")
        );
        for short_year in ["26-03-01", "+12026-03-01", "0026-03-01"] {
            let text = format!("[[standard]]\nfrom = \"{short_year}\"\nmonthly_per_capita = 1\n");
            assert!(parse(&text).is_err(), "{short_year}");
        }
        let everybody = "[[standard]]\nfrom = \"2026-03-01\"\n\
                         [[exemption]]\nall_of = []\nrule = \"x\"\nproof = \"orphan_proof\"\n";
        let e = parse(everybody).unwrap_err().message;
        assert!(e.contains("would exempt everybody"), "{e}");
        for empty in ["", "# only a comment\n"] {
            assert!(
                parse(empty).unwrap_err().message.contains("is empty"),
                "{empty:?}"
            );
        }
        let literal = parse("[[standard]]\nfrom = 2026-03-01\nmonthly_per_capita = 2600\n").unwrap();
        assert_eq!(
            literal.standards[0].from,
            day("2026-03-01"),
            "a TOML date literal is a date"
        );
    }

    #[test]
    fn bad_policy_files_say_what_is_wrong() {
        let shipped = Policy::shipped().unwrap();
        let bad_date = "[[standard]]\nfrom = \"2026-13-01\"\n";
        assert!(
            Policy::parse(bad_date, "x.toml", Some(&shipped))
                .unwrap_err()
                .message
                .contains("'2026-13-01' is not a real calendar date")
        );
        let backwards =
            "[[standard]]\nfrom = \"2026-03-01\"\nuntil = \"2026-01-01\"\nmonthly_per_capita = 1\n";
        let e = Policy::parse(backwards, "x.toml", Some(&shipped)).unwrap_err();
        assert!(
            e.message
                .contains("standard[0]: until 2026-01-01 is before from 2026-03-01"),
            "{e}"
        );
        let bad_matter = "[[scope]]\nmatters = [\"parking_fines\"]\nrule = \"x\"\n";
        let e = Policy::parse(bad_matter, "x.toml", Some(&shipped)).unwrap_err();
        assert!(e.message.contains("parking_fines"), "{e}");
    }
}
