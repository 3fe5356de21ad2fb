//! `kiosk policy`: a yearly standard arrives as a file, is checked, installed whole and used by
//! the screening engine and the doctor; a bad file changes nothing; rollback goes back.

use crate::common;

use common::{kiosk, kiosk_with_stdin, stdout_json};
use std::path::Path;

const YEARLY: &str = r#"
[[standard]]
from = "2025-03-01"
until = "2026-02-28"
monthly_per_capita = 2500
basis = "enterprise monthly minimum wage"

[[standard]]
from = "2026-03-01"
monthly_per_capita = 2600
basis = "Decree 220 yearly standard"
source = "yearly notice, 2026"
"#;

/// A household of 3 with 4,800 yuan: 1,600 each, under the 2026 figure.
const SCREENING: &str = r#"{"date": "2026-11-26", "matter": "labour_remuneration", "household_size": 3,
  "household_monthly_income": 4800, "circumstances": [], "already_represented": false,
  "case_outside_guangzhou": false, "has_high_value_assets": false}"#;

fn screen(dir: &Path) -> serde_json::Value {
    stdout_json(&kiosk_with_stdin(dir, &["screen"], SCREENING.as_bytes()))
}

fn show(dir: &Path) -> serde_json::Value {
    stdout_json(&kiosk(dir, &["policy", "show", "--json"]))
}

fn doctor_policy_line(dir: &Path) -> String {
    let out = kiosk(dir, &["doctor"]);
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .find(|l| l.contains("policy"))
        .unwrap_or_default()
        .to_lowercase()
}

#[test]
fn a_yearly_policy_is_imported_used_and_rolled_back() {
    let dir = tempfile::tempdir().unwrap();
    let usb = tempfile::tempdir().unwrap();
    let d = dir.path();

    // The shipped policy has no 2026 figure: the screening goes to staff, the doctor warns.
    assert_eq!(show(d)["source"]["kind"], "shipped");
    assert_eq!(screen(d)["outcome"], "refer_to_staff");
    let line = doctor_policy_line(d);
    assert!(
        line.starts_with("warn") && line.contains("kiosk policy import"),
        "{line}"
    );

    // A file with a misspelt key is refused by name and changes nothing.
    let bad = usb.path().join("policy-typo.toml");
    std::fs::write(&bad, YEARLY.replace("basis = \"Decree", "bassis = \"Decree")).unwrap();
    let out = kiosk(d, &["policy", "import", bad.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("standard[1] has an unknown key \"bassis\""), "{err}");
    assert!(err.contains("nothing was installed"), "{err}");
    assert_eq!(show(d)["source"]["kind"], "shipped");
    assert!(!d.join("policy/current.toml").exists());

    // Overlapping periods too.
    let overlapping = usb.path().join("policy-overlap.toml");
    std::fs::write(
        &overlapping,
        YEARLY.replace("until = \"2026-02-28\"", "until = \"2026-03-01\""),
    )
    .unwrap();
    let out = kiosk(d, &["policy", "import", overlapping.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("overlap"));

    // A good file is installed with where it came from, and screens from then on.
    let good = usb.path().join("policy-2026.toml");
    std::fs::write(&good, YEARLY).unwrap();
    let installed = stdout_json(&kiosk(d, &["policy", "import", good.to_str().unwrap(), "--json"]));
    assert_eq!(installed["source"]["kind"], "installed");
    assert_eq!(installed["source"]["imported_from"], good.to_str().unwrap());
    assert_eq!(installed["standard_today"], 2600);
    assert_eq!(installed["can_roll_back"], true);
    let result = screen(d);
    assert_eq!(result["outcome"], "eligible", "{result}");
    assert_eq!(result["standard"]["monthly_per_capita"], 2600);
    let line = doctor_policy_line(d);
    assert!(line.starts_with("ok") && line.contains("2600"), "{line}");

    // Rollback returns to the shipped policy; a second one undoes the first.
    assert_eq!(
        stdout_json(&kiosk(d, &["policy", "rollback", "--json"]))["source"]["kind"],
        "shipped"
    );
    assert_eq!(screen(d)["outcome"], "refer_to_staff");
    kiosk(d, &["policy", "rollback"]);
    assert_eq!(screen(d)["outcome"], "eligible");
}

#[test]
fn a_damaged_installed_policy_is_reported_not_hidden() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("policy")).unwrap();
    std::fs::write(dir.path().join("policy/current.toml"), "[[standard]\n").unwrap();
    let out = kiosk(dir.path(), &["policy", "show"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("kiosk policy rollback"));
    let line = doctor_policy_line(dir.path());
    assert!(line.starts_with("fail"), "{line}");
    let out = kiosk(dir.path(), &["policy", "rollback"]);
    assert!(out.status.success());
    assert_eq!(show(dir.path())["source"]["kind"], "shipped");
}
