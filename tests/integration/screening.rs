//! Eligibility screening against the contract: the public scenarios, our own scenarios for every
//! rule and boundary, bad input through the real binary, and properties of the engine.

use crate::common;

use chrono::{Datelike, Duration, NaiveDate};
use kiosk::eligibility::{Outcome, Policy, ReasonCode, ScreeningInput, screen};
use proptest::prelude::*;
use serde_json::{Value, json};
use std::path::{Path, PathBuf};

fn data(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/screening")
        .join(name)
}

fn policy_named(name: &str, dir: &Path) -> Policy {
    match name {
        "shipped" => Policy::shipped().unwrap(),
        file => kiosk::config::policy_from_file(&dir.join(file)).unwrap(),
    }
}

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 26).unwrap()
}

/// Runs a JSONL scenario file in-process; returns the failures, one line each.
fn run_scenarios(file: &Path, policy_dir: &Path) -> (usize, Vec<String>) {
    let text = std::fs::read_to_string(file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
    let mut failures = Vec::new();
    let mut count = 0;
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        count += 1;
        let case: Value = serde_json::from_str(line).unwrap();
        let id = case["id"].as_str().unwrap_or("?");
        let policy = policy_named(case["policy"].as_str().unwrap_or("shipped"), policy_dir);
        let input =
            ScreeningInput::from_json(&case["input"], today()).unwrap_or_else(|e| panic!("{id}: {e}"));
        let d = screen(&policy, &input);
        let expected = case["expected"].as_str().unwrap();
        if d.outcome.code() != expected {
            failures.push(format!(
                "{id}: expected {expected}, got {} ({:?})",
                d.outcome.code(),
                d.reasons
            ));
        }
        if let Some(reason) = case["reason"].as_str()
            && !d.reasons.iter().any(|r| r.code.code() == reason)
        {
            failures.push(format!("{id}: expected reason {reason}, got {:?}", d.reasons));
        }
        if d.reasons.is_empty() || d.reasons.iter().any(|r| r.rule.trim().is_empty()) {
            failures.push(format!("{id}: every reason must cite its rule: {:?}", d.reasons));
        }
    }
    (count, failures)
}

#[test]
fn public_scenarios_pass() {
    let (n, failures) = run_scenarios(&data("public-scenarios.jsonl"), &data(""));
    assert!(n >= 15);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The domain folder's copy, beside a checkout of the steering repository, may have grown since
/// it was copied into tests/data. A clone has no such folder, so this runs only when asked
/// (`cargo test --test integration screening:: -- --ignored`) and fails when the folder is not there.
#[test]
#[ignore = "reads ../shared/domain, which only a checkout beside the steering repository has"]
fn shared_public_scenarios_pass() {
    let shared = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/domain");
    assert!(
        shared.join("scenarios.jsonl").exists(),
        "no ../shared/domain/scenarios.jsonl beside the checkout"
    );
    let (n, failures) = run_scenarios(&shared.join("scenarios.jsonl"), &shared);
    assert!(n >= 15, "{n}");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn own_scenarios_for_every_rule_and_boundary_pass() {
    let (n, failures) = run_scenarios(&data("own-scenarios.jsonl"), &data(""));
    assert!(n >= 80, "{n}");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn public_scenarios_through_the_binary() {
    let dir = tempfile::tempdir().unwrap();
    let policy = data("policy-sample.toml");
    let text = std::fs::read_to_string(data("public-scenarios.jsonl")).unwrap();
    for line in text.lines() {
        let case: Value = serde_json::from_str(line).unwrap();
        let out = screen_cli(
            dir.path(),
            &["--policy", policy.to_str().unwrap()],
            &case["input"].to_string(),
        );
        assert!(
            out.status.success(),
            "{}: {}",
            case["id"],
            String::from_utf8_lossy(&out.stderr)
        );
        let result: Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(result["outcome"], case["expected"], "{}", case["id"]);
        assert_eq!(result["advisory"], true);
        assert!(
            result["reasons"][0]["rule"]
                .as_str()
                .is_some_and(|r| !r.is_empty())
        );
    }
}

#[test]
fn output_has_the_contract_fields() {
    let dir = tempfile::tempdir().unwrap();
    let input = json!({"date": "2025-07-01", "matter": "labour_remuneration", "household_size": 3,
        "household_monthly_income": 4800, "circumstances": [], "criminal_role": null,
        "already_represented": false, "case_outside_guangzhou": false, "days_to_deadline": 3,
        "has_high_value_assets": false, "language": "en"});
    let out = screen_cli(dir.path(), &[], &input.to_string());
    let r: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(r["outcome"], "eligible");
    assert_eq!(r["per_capita_monthly_income"], "1600.00");
    assert_eq!(
        r["standard"],
        json!({"monthly_per_capita": 2500, "from": "2025-03-01", "basis": "enterprise monthly minimum wage"})
    );
    assert_eq!(r["reasons"][0]["code"], "means_test_passed");
    assert_eq!(r["reasons"][1]["code"], "deadline_near");
    assert!(r["reasons"][1]["rule"].as_str().unwrap().contains("第44条"));
    assert_eq!(r["next_step_codes"][0], "early_aid_possible");
    assert!(
        r["next_steps"][0]
            .as_str()
            .unwrap()
            .starts_with("Less than 7 days")
    );
    assert_eq!(
        r["next_step_codes"].as_array().unwrap().last().unwrap(),
        "office_decides"
    );

    // Consultation applies no means test: no standard.
    let c = json!({"matter": "consultation", "household_size": 1, "household_monthly_income": 0});
    let r: Value = serde_json::from_slice(&screen_cli(dir.path(), &[], &c.to_string()).stdout).unwrap();
    assert_eq!(r["standard"], Value::Null);
}

#[test]
fn seven_days_to_a_deadline_is_not_urgent() {
    let policy = Policy::shipped().unwrap();
    let mut input = parse(
        json!({"date": "2025-06-01", "matter": "family_support", "household_size": 1,
        "household_monthly_income": 100, "days_to_deadline": 7}),
    );
    assert!(
        !screen(&policy, &input)
            .reasons
            .iter()
            .any(|r| r.code == ReasonCode::DeadlineNear)
    );
    input.days_to_deadline = Some(6);
    assert!(
        screen(&policy, &input)
            .reasons
            .iter()
            .any(|r| r.code == ReasonCode::DeadlineNear)
    );
}

#[test]
fn provisioned_yearly_standard_is_used_from_its_date() {
    let dir = tempfile::tempdir().unwrap();
    let input = json!({"date": "2026-05-01", "matter": "family_support", "household_size": 2, "household_monthly_income": 5000});
    let before: Value =
        serde_json::from_slice(&screen_cli(dir.path(), &[], &input.to_string()).stdout).unwrap();
    assert_eq!(before["outcome"], "refer_to_staff");
    let out = common::kiosk(
        dir.path(),
        &[
            "provision",
            "--hardship-standard",
            "2600",
            "--hardship-from",
            "2026-03-01",
        ],
    );
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let after: Value =
        serde_json::from_slice(&screen_cli(dir.path(), &[], &input.to_string()).stdout).unwrap();
    assert_eq!(after["outcome"], "eligible", "5000 < 2600 × 2");
    assert_eq!(after["standard"]["monthly_per_capita"], 2600);
    let doctor = common::stdout_json(&common::kiosk(
        dir.path(),
        &["--now=2026-05-01T02:00:00Z", "doctor", "--json"],
    ));
    let policy_check = doctor["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "policy")
        .unwrap()
        .clone();
    assert_eq!(policy_check["status"], "ok");
}

#[test]
fn bad_input_exits_2_and_names_the_field() {
    let dir = tempfile::tempdir().unwrap();
    let good = json!({"date": "2025-06-01", "matter": "family_support", "household_size": 2,
        "household_monthly_income": 3000, "circumstances": ["minor"], "criminal_role": null});
    let with = |field: &str, value: Value| {
        let mut v = good.clone();
        v[field] = value;
        v.to_string()
    };
    let without = |field: &str| {
        let mut v = good.clone();
        v.as_object_mut().unwrap().remove(field);
        v.to_string()
    };
    let cases = [
        (
            with("matter", json!("parking_fine")),
            "matter: unknown matter 'parking_fine'",
        ),
        (
            with("circumstances", json!(["minor", "rich"])),
            "circumstances[1]: unknown circumstance 'rich'",
        ),
        (
            with("criminal_role", json!("judge")),
            "criminal_role: unknown role 'judge'",
        ),
        (
            with("household_size", json!(0)),
            "household_size: 0 is outside 1 to 30",
        ),
        (
            with("household_size", json!(31)),
            "household_size: 31 is outside 1 to 30",
        ),
        (
            with("household_monthly_income", json!(-5)),
            "household_monthly_income: must not be negative",
        ),
        (
            with("household_monthly_income", json!(12.5)),
            "household_monthly_income: must be a whole number",
        ),
        (
            with("household_monthly_income", json!("3000")),
            "household_monthly_income: must be a number",
        ),
        (
            with("date", json!("2025-02-30")),
            "date: '2025-02-30' is not a date",
        ),
        (with("date", json!("1/6/2025")), "date: '1/6/2025' is not a date"),
        (
            with("already_represented", json!("no")),
            "already_represented: must be true or false",
        ),
        (
            with("days_to_deadline", json!(-1)),
            "days_to_deadline: must not be negative",
        ),
        (with("househld_size", json!(2)), "househld_size: is not a field"),
        (without("matter"), "matter: is missing"),
        (without("household_size"), "household_size: is missing"),
        (
            without("household_monthly_income"),
            "household_monthly_income: is missing",
        ),
        ("[1, 2]".to_string(), "input: must be one JSON object"),
        ("{\"matter\": ".to_string(), "input: is not valid JSON"),
    ];
    for (input, message) in cases {
        let out = screen_cli(dir.path(), &[], &input);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{input}: {stderr}");
        assert!(
            stderr.contains(message),
            "{input}\nwanted: {message}\ngot: {stderr}"
        );
        assert!(out.stdout.is_empty(), "no half answer on stdout");
    }
    let out = screen_cli(
        dir.path(),
        &["--policy", "/nonexistent/policy.toml"],
        &good.to_string(),
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot be read"));
}

/// `kiosk screen` cites each reason's rule formally in the visitor's language beside the rule
/// string the policy writes (kept for scripts).
#[test]
fn reasons_carry_a_formal_citation_in_the_input_language() {
    let dir = tempfile::tempdir().unwrap();
    let input = |language: &str| {
        json!({
            "date": "2024-06-01", "matter": "labour_remuneration", "household_size": 1,
            "household_monthly_income": 500, "circumstances": [], "criminal_role": null,
            "already_represented": false, "case_outside_guangzhou": false,
            "days_to_deadline": null, "has_high_value_assets": false, "language": language
        })
    };
    let expect = [
        ("zh-CN", "《中华人民共和国法律援助法》"),
        ("en", "Legal Aid Law of the People's Republic of China"),
        ("ug", "«جۇڭخۇا خەلق جۇمھۇرىيىتىنىڭ قانۇن ياردىمى قانۇنى»"),
    ];
    for (language, law) in expect {
        let out = screen_cli(dir.path(), &[], &input(language).to_string());
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let v: Value = serde_json::from_slice(&out.stdout).unwrap();
        let reasons = v["reasons"].as_array().unwrap();
        assert!(!reasons.is_empty());
        let cjk = |t: &str| t.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c));
        for r in reasons {
            assert!(
                !r["rule"].as_str().unwrap().is_empty(),
                "the rule string is kept: {r}"
            );
            let citation = r["citation"].as_str().unwrap();
            assert!(!citation.is_empty());
            assert_eq!(language == "zh-CN", cjk(citation), "{language}: {citation}");
        }
        assert!(
            reasons
                .iter()
                .any(|r| r["citation"].as_str().unwrap().contains(law)),
            "{language}: {reasons:?}"
        );
    }
}

fn screen_cli(data_dir: &Path, extra: &[&str], stdin: &str) -> std::process::Output {
    use std::io::Write;
    use std::process::{Command, Stdio};
    let mut child = Command::new(common::kiosk_bin())
        .arg("--data-dir")
        .arg(data_dir)
        .arg("screen")
        .args(extra)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(stdin.as_bytes()).unwrap();
    child.wait_with_output().unwrap()
}

fn parse(v: Value) -> ScreeningInput {
    ScreeningInput::from_json(&v, today()).unwrap()
}

// ---- properties ---------------------------------------------------------------------------------

const MATTERS: [&str; 24] = [
    "consultation",
    "state_compensation",
    "state_compensation_after_acquittal",
    "state_compensation_wrongful_detention",
    "social_insurance_or_assistance",
    "survivor_or_disability_benefit",
    "family_support",
    "labour_remuneration",
    "work_injury_benefits",
    "civil_capacity",
    "personal_injury_work",
    "personal_injury_traffic",
    "personal_injury_food_drug",
    "personal_injury_medical",
    "environmental_damage",
    "martyr_rights",
    "bravery_injury",
    "domestic_violence_abuse",
    "guardianship_revocation",
    "retrial_petition",
    "criminal_defence",
    "criminal_victim",
    "compulsory_treatment",
    "other_civil",
];
const CIRCUMSTANCES: [&str; 20] = [
    "minor",
    "elderly",
    "disabled",
    "no_fixed_income",
    "orphan",
    "social_assistance",
    "judicial_assistance",
    "special_care",
    "migrant_worker",
    "group_labour_dispute",
    "police_disabled_on_duty",
    "police_killed_on_duty_relative",
    "domestic_violence_victim",
    "detained",
    "visual_hearing_speech_disability",
    "cannot_fully_recognise_conduct",
    "intellectual_disability",
    "possible_life_or_death_sentence",
    "death_penalty_review",
    "trial_in_absentia",
];

fn any_input() -> impl Strategy<Value = Value> {
    (
        0i64..5000,
        0..MATTERS.len(),
        1u32..=30,
        0u64..200_000,
        prop::collection::vec(0..CIRCUMSTANCES.len(), 0..4),
        prop::option::of(prop::sample::select(vec![
            "suspect_or_defendant",
            "victim",
            "compulsory_treatment_respondent",
        ])),
        (any::<bool>(), any::<bool>(), any::<bool>()),
        prop::option::of(0u32..30),
    )
        .prop_map(|(day, m, size, income, cs, role, (rep, out, assets), deadline)| {
            let date = NaiveDate::from_ymd_opt(2015, 1, 1).unwrap() + Duration::days(day);
            json!({
                "date": date.to_string(), "matter": MATTERS[m], "household_size": size,
                "household_monthly_income": income,
                "circumstances": cs.iter().map(|i| CIRCUMSTANCES[*i]).collect::<Vec<_>>(),
                "criminal_role": role, "already_represented": rep, "case_outside_guangzhou": out,
                "has_high_value_assets": assets, "days_to_deadline": deadline,
            })
        })
}

/// A policy with random standards (dates and figures) and an optional review line.
/// A standard as (from, until, figure). At least one standard, no two on the same start date:
/// an empty policy and a start date used twice are refused (see `tests/integration/hardening.rs`).
type Line = (NaiveDate, Option<NaiveDate>, Option<u64>);

fn any_policy() -> impl Strategy<Value = (String, Vec<Line>)> {
    prop::collection::btree_map(
        0i64..6000,
        (prop::option::of(0i64..900), prop::option::of(1u64..20_000)),
        1..6,
    )
    .prop_map(|raw| {
        let base = NaiveDate::from_ymd_opt(2010, 1, 1).unwrap();
        let lines: Vec<_> = raw
            .into_iter()
            .map(|(start, (len, fig))| (start, len, fig))
            .map(|(start, len, fig)| {
                let from = base + Duration::days(start);
                (from, len.map(|l| from + Duration::days(l)), fig)
            })
            .collect();
        (policy_toml(&lines, 0), lines)
    })
}

fn policy_toml(lines: &[Line], shift_years: i32) -> String {
    let shift = |d: NaiveDate| d.with_year(d.year() + shift_years).unwrap_or(d);
    let mut text = String::new();
    for (from, until, fig) in lines {
        text.push_str(&format!(
            "[[standard]]\nfrom = \"{}\"\nbasis = \"test\"\n",
            shift(*from)
        ));
        if let Some(u) = until {
            text.push_str(&format!("until = \"{}\"\n", shift(*u)));
        }
        if let Some(f) = fig {
            text.push_str(&format!("monthly_per_capita = {f}\n"));
        }
    }
    text
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn more_income_never_turns_not_eligible_into_eligible(v in any_input(), extra in 1u64..100_000) {
        let policy = Policy::shipped().unwrap();
        let input = parse(v);
        let before = screen(&policy, &input).outcome;
        let mut richer = input.clone();
        richer.household_monthly_income += extra;
        let after = screen(&policy, &richer).outcome;
        if before == Outcome::NotEligible {
            prop_assert_ne!(after, Outcome::Eligible);
        }
        if before != Outcome::Eligible {
            prop_assert_ne!(after, Outcome::Eligible, "{:?} became eligible with more income", before);
        }
    }

    #[test]
    fn exemptions_and_mandatory_counsel_do_not_depend_on_income(v in any_input(), other in 0u64..1_000_000) {
        let policy = Policy::shipped().unwrap();
        let input = parse(v);
        let d = screen(&policy, &input);
        if matches!(d.outcome, Outcome::ExemptFromMeansTest | Outcome::StateAppointsCounsel) {
            let mut changed = input.clone();
            changed.household_monthly_income = other;
            prop_assert_eq!(screen(&policy, &changed).outcome, d.outcome);
            prop_assert!(d.standard.is_none(), "no means test was applied");
        }
    }

    #[test]
    fn any_dates_and_figures_follow_the_contract((text, lines) in any_policy(), day in 0i64..7000, income in 0u64..100_000, size in 1u32..=30) {
        let policy = Policy::from_toml(&text, "generated").unwrap();
        let date = NaiveDate::from_ymd_opt(2010, 1, 1).unwrap() + Duration::days(day);
        let input = parse(json!({"date": date.to_string(), "matter": "family_support",
            "household_size": size, "household_monthly_income": income}));
        // The contract, stated directly: latest `from` among the lines covering the date.
        let covering = lines.iter().filter(|(f, u, _)| *f <= date && u.is_none_or(|u| date <= u)).max_by_key(|(f, _, _)| *f);
        let expected = match covering {
            None | Some((_, _, None)) => Outcome::ReferToStaff,
            Some((_, _, Some(fig))) if u128::from(income) < u128::from(*fig) * u128::from(size) => Outcome::Eligible,
            Some(_) => Outcome::NotEligible,
        };
        prop_assert_eq!(screen(&policy, &input).outcome, expected);
    }

    #[test]
    fn shifting_every_date_by_whole_years_changes_nothing((_, lines) in any_policy(), day in 0i64..7000, income in 0u64..100_000, shift in 1i32..40) {
        // Only dates that exist in both years (no 29 February), so the shift is exact.
        prop_assume!(lines.iter().all(|(f, u, _)| (f.month(), f.day()) != (2, 29) && u.is_none_or(|u| (u.month(), u.day()) != (2, 29))));
        let date = NaiveDate::from_ymd_opt(2010, 1, 1).unwrap() + Duration::days(day);
        prop_assume!((date.month(), date.day()) != (2, 29));
        let run = |years: i32| {
            let policy = Policy::from_toml(&policy_toml(&lines, years), "generated").unwrap();
            let d = date.with_year(date.year() + years).unwrap();
            let input = parse(json!({"date": d.to_string(), "matter": "labour_remuneration",
                "household_size": 2, "household_monthly_income": income}));
            screen(&policy, &input).outcome
        };
        prop_assert_eq!(run(0), run(shift));
    }
}
