//! The stricter check a policy file passes before it is installed on a terminal
//! (`kiosk policy import`). A file given for one run (`kiosk screen --policy`) may carry extra
//! fields and open figures, as the screening contract allows; a file that will screen every
//! visitor from now on may not: a misspelt key would be silently ignored, two periods that overlap
//! would make the date decide which figure applies, and a standard without a figure would refer
//! every means-tested visitor to staff.

use super::codes::ReasonCode;
use super::policy::{DatedLine, Policy, PolicyError};

const LINE_KEYS: &[&str] = &["from", "until", "monthly_per_capita", "basis", "source"];
const MATTER_RULE_KEYS: &[&str] = &["matters", "from", "rule"];
const DATED_RULE_KEYS: &[&str] = &["from", "rule"];
const EXEMPTION_KEYS: &[&str] = &["all_of", "matters", "from", "rule", "proof"];
const MANDATORY_KEYS: &[&str] = &["circumstances", "from", "rule"];

/// The tables of a policy file and the keys each entry may have.
const TABLES: &[(&str, &[&str])] = &[
    ("standard", LINE_KEYS),
    ("review_line", LINE_KEYS),
    ("scope", MATTER_RULE_KEYS),
    ("no_economic_condition", MATTER_RULE_KEYS),
    ("criminal_defence_no_economic_condition", DATED_RULE_KEYS),
    ("exemption", EXEMPTION_KEYS),
    ("mandatory_counsel", MANDATORY_KEYS),
];

/// Parses and checks a policy file for installation; the error names the table, the entry and
/// what to change.
pub fn check_for_install(text: &str, origin: &str) -> Result<Policy, PolicyError> {
    let fail = |message: String| PolicyError {
        origin: origin.to_owned(),
        message,
    };
    let table: toml::Table = toml::from_str(text).map_err(|e| fail(e.to_string().trim().to_owned()))?;
    unknown_keys(&table).map_err(fail)?;
    let policy = Policy::from_toml(text, origin)?;
    if policy.standards.is_empty() {
        return Err(fail(
            "has no [[standard]]: an installed policy states the hardship standards it screens with".into(),
        ));
    }
    overlaps("standard", &policy.standards).map_err(fail)?;
    overlaps("review_line", &policy.review_lines).map_err(fail)?;
    if let Some(open) = policy.standards.iter().find(|s| s.monthly_per_capita.is_none()) {
        return Err(fail(format!(
            "the standard from {} has no monthly_per_capita: an installed policy states every figure \
             (a figure not yet published is entered later with `kiosk provision --hardship-standard`)",
            open.from
        )));
    }
    Ok(policy)
}

fn unknown_keys(file: &toml::Table) -> Result<(), String> {
    for (key, value) in file {
        if key == "citations" {
            let codes = value.as_table().ok_or("[citations] must be a table")?;
            if let Some(code) = codes
                .keys()
                .find(|c| ReasonCode::ALL.iter().all(|r| r.code() != c.as_str()))
            {
                return Err(format!("[citations] names an unknown reason code {code:?}"));
            }
            continue;
        }
        let Some((_, allowed)) = TABLES.iter().find(|(name, _)| name == key) else {
            return Err(format!("unknown table or key {key:?}"));
        };
        let entries = value
            .as_array()
            .ok_or_else(|| format!("{key} must be a list of [[{key}]] entries"))?;
        for (i, entry) in entries.iter().enumerate() {
            let entry = entry
                .as_table()
                .ok_or_else(|| format!("{key}[{i}] must be a table"))?;
            if let Some(k) = entry.keys().find(|k| !allowed.contains(&k.as_str())) {
                return Err(format!(
                    "{key}[{i}] has an unknown key {k:?} (known: {})",
                    allowed.join(", ")
                ));
            }
        }
    }
    Ok(())
}

/// Two periods overlap when one ends on or after the day the next starts. An open end means
/// "until replaced", so it never overlaps a later entry.
fn overlaps(table: &str, lines: &[DatedLine]) -> Result<(), String> {
    let mut sorted: Vec<&DatedLine> = lines.iter().collect();
    sorted.sort_by_key(|l| l.from);
    for pair in sorted.windows(2) {
        if let [a, b] = pair
            && let Some(until) = a.until
            && until >= b.from
        {
            return Err(format!(
                "{table} periods overlap: the one from {} runs until {until}, but the next starts on {}",
                a.from, b.from
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = r#"
[[standard]]
from = "2026-03-01"
until = "2027-02-28"
monthly_per_capita = 2600
basis = "Decree 220 yearly standard"
source = "Guangzhou Justice Bureau notice, 2026"

[[standard]]
from = "2027-03-01"
monthly_per_capita = 2700
basis = "Decree 220 yearly standard"
"#;

    fn refused(text: &str) -> String {
        check_for_install(text, "usb/policy.toml").unwrap_err().message
    }

    #[test]
    fn a_complete_file_is_accepted() {
        let p = check_for_install(GOOD, "usb/policy.toml").unwrap();
        assert_eq!(p.standards.len(), 2);
        // Rule tables it does not carry come from the shipped policy.
        assert_eq!(p.scope, Policy::shipped().unwrap().scope);
    }

    #[test]
    fn a_figure_that_is_no_monthly_standard_is_refused() {
        for absurd in ["9223372036854775807", "100001", "0"] {
            let text = GOOD.replace(
                "monthly_per_capita = 2700",
                &format!("monthly_per_capita = {absurd}"),
            );
            assert!(refused(&text).contains("not a monthly figure"), "{absurd}");
        }
        let highest = GOOD.replace("monthly_per_capita = 2700", "monthly_per_capita = 100000");
        assert!(check_for_install(&highest, "usb/policy.toml").is_ok());
    }

    #[test]
    fn unknown_keys_are_refused_by_name() {
        let typo = GOOD.replace(
            "monthly_per_capita = 2700",
            "monthly_per_capita = 2700\nmonthly_percapita = 2700",
        );
        assert!(refused(&typo).contains("standard[1] has an unknown key \"monthly_percapita\""));
        assert!(
            refused(&format!("{GOOD}\n[[standards]]\nfrom = \"2028-01-01\"\n")).contains("\"standards\"")
        );
        let citation = format!("{GOOD}\n[citations]\nno_such_reason = \"art. 1\"\n");
        assert!(refused(&citation).contains("no_such_reason"));
    }

    #[test]
    fn overlapping_periods_are_refused() {
        let overlapping = GOOD.replace("until = \"2027-02-28\"", "until = \"2027-03-01\"");
        let message = refused(&overlapping);
        assert!(message.contains("overlap"), "{message}");
        assert!(message.contains("2027-03-01"), "{message}");
    }

    #[test]
    fn a_standard_without_its_figure_is_refused() {
        let open = GOOD.replace("monthly_per_capita = 2700\n", "");
        assert!(refused(&open).contains("the standard from 2027-03-01 has no monthly_per_capita"));
    }

    #[test]
    fn the_engines_own_checks_still_apply() {
        assert!(refused("").contains("empty"));
        let bad_date = refused("[[standard]]\nfrom = \"2027-13-01\"\nmonthly_per_capita = 1\n");
        assert!(bad_date.contains("2027-13-01"), "{bad_date}");
        let zero = GOOD.replace("2700", "0");
        assert!(refused(&zero).contains("not a monthly figure"));
    }
}
