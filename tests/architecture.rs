//! The boundaries ARCHITECTURE.md promises, checked on the source: the pure domain modules
//! (queue rules, eligibility, receipt layout, dates, voices, languages, the clock, i18n) use no
//! storage, async runtime, UI, device or network crate and none of the modules that do.
//!
//! This is the source-level guard until the workspace split makes the same rules compile-time
//! facts (a core crate whose `Cargo.toml` cannot name those crates).

use std::path::{Path, PathBuf};

/// Modules that must stay pure, relative to `src/`.
const PURE: &[&str] = &[
    "queue",
    "eligibility",
    "receipt",
    "dates.rs",
    "shorten.rs",
    "voice.rs",
    "lang.rs",
    "i18n.rs",
    "clock.rs",
];

/// What a pure module may not name (crates with side effects, and this crate's modules that
/// have them).
const FORBIDDEN: &[&str] = &[
    "rusqlite",
    "tokio",
    "slint",
    "rodio",
    "gstreamer",
    "reqwest",
    "axum",
    "serialport",
    "std::fs",
    "std::net",
    "std::process",
    "crate::store",
    "crate::queue_service",
    "crate::ui",
    "crate::cli",
    "crate::printer",
    "crate::printing",
    "crate::speech",
    "crate::media",
    "crate::agency",
    "crate::hall_host",
];

/// Known, documented exceptions: (file, what it names, why).
const ALLOWED: &[(&str, &str, &str)] = &[(
    "eligibility/policy.rs",
    "crate::fsutil",
    "`Policy::from_file` reads a policy file only when a caller asks (kiosk screen --policy)",
)];

fn rust_files(at: &Path, out: &mut Vec<PathBuf>) {
    if at.is_file() {
        out.push(at.to_path_buf());
        return;
    }
    for entry in std::fs::read_dir(at).expect("read src") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The code of a line, without its comment.
fn code_of(line: &str) -> &str {
    line.split("//").next().unwrap_or("")
}

#[test]
fn pure_modules_name_no_storage_runtime_ui_device_or_network_code() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    for module in PURE {
        rust_files(&src.join(module), &mut files);
    }
    assert!(
        files.len() > 20,
        "the pure modules were found ({} files)",
        files.len()
    );
    let mut found = Vec::new();
    for file in &files {
        let rel = file
            .strip_prefix(&src)
            .expect("under src")
            .to_string_lossy()
            .into_owned();
        let text = std::fs::read_to_string(file).expect("read");
        for (n, line) in text.lines().enumerate() {
            let code = code_of(line);
            for word in FORBIDDEN.iter().chain(std::iter::once(&"crate::fsutil")) {
                let allowed = ALLOWED.iter().any(|(f, w, _)| *f == rel && w == word);
                if code.contains(word) && !allowed {
                    found.push(format!("src/{rel}:{}: {word}", n + 1));
                }
            }
        }
    }
    assert!(
        found.is_empty(),
        "pure modules reach for side effects:\n{}",
        found.join("\n")
    );
}

#[test]
fn the_check_would_see_a_forbidden_name() {
    // The scanner itself: a line naming a forbidden module is caught, a comment is not.
    let caught = |line: &str| FORBIDDEN.iter().any(|w| code_of(line).contains(w));
    assert!(caught("use crate::store::Store;"));
    assert!(caught("let c = rusqlite::Connection::open(p);"));
    assert!(!caught(
        "// `crate::queue_service` persists what these functions decide."
    ));
}
