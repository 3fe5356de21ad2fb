//! The boundaries ARCHITECTURE.md promises, as checks that fail when someone crosses them:
//!
//! - the pure core (`kiosk-core`) and the contract (`kiosk-contract`) have no storage, async
//!   runtime, UI, sound, video, serial or network crate anywhere in their dependency trees
//!   (asked of `cargo tree`, so a dependency that arrives through another one counts too);
//! - the core's source does no I/O of its own (no `std::fs`, `std::net`, `std::process`);
//! - SQL is written only in the store (`src/store/`).

use std::path::{Path, PathBuf};
use std::process::Command;

/// Crates with side effects that the core and the contract must not reach, directly or not.
const FORBIDDEN: &[&str] = &[
    "rusqlite",
    "libsqlite3-sys",
    "tokio",
    "mio",
    "slint",
    "i-slint-core",
    "winit",
    "rodio",
    "cpal",
    "alsa",
    "gstreamer",
    "reqwest",
    "hyper",
    "axum",
    "rustls",
    "serialport",
];

/// What the core's own source may not use: it takes data as arguments and returns decisions.
const CORE_IO: &[&str] = &["std::fs", "std::net", "std::process", "std::thread", "std::env"];

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The names of every crate in a package's normal (non-dev, non-build) dependency tree.
fn dependency_tree(package: &str) -> Vec<String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let out = Command::new(cargo)
        .current_dir(root())
        .args([
            "tree",
            "--offline",
            "--locked",
            "-e",
            "normal",
            "--prefix",
            "none",
            "-p",
            package,
        ])
        .output()
        .expect("run cargo tree");
    assert!(
        out.status.success(),
        "cargo tree -p {package} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut names: Vec<String> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|line| line.split_whitespace().next())
        .map(str::to_owned)
        .collect();
    names.sort();
    names.dedup();
    names
}

fn forbidden_in(tree: &[String]) -> Vec<&'static str> {
    FORBIDDEN
        .iter()
        .copied()
        .filter(|f| tree.iter().any(|name| name == f))
        .collect()
}

#[test]
fn the_core_and_the_contract_depend_on_no_storage_runtime_ui_device_or_network_crate() {
    for package in ["kiosk-core", "kiosk-contract"] {
        let tree = dependency_tree(package);
        assert!(tree.len() > 5, "{package}'s tree was read ({tree:?})");
        assert!(
            tree.iter().any(|n| n == "chrono"),
            "{package}'s tree lists its crates"
        );
        let found = forbidden_in(&tree);
        assert!(
            found.is_empty(),
            "{package} must stay pure, but its dependency tree has {found:?}; \
             see ARCHITECTURE.md (Crates) for where such code goes"
        );
    }
}

#[test]
fn the_dependency_check_sees_forbidden_crates_where_they_are() {
    // The same check on the terminal crate, which does use them: proves the check can fail.
    let tree = dependency_tree("legal-aid-kiosk");
    for expected in ["rusqlite", "tokio", "slint", "rodio", "gstreamer", "serialport"] {
        assert!(
            forbidden_in(&tree).contains(&expected),
            "cargo tree of the terminal crate names {expected}"
        );
    }
}

fn rust_files(at: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(at).expect("read the source folder") {
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

fn io_in(line: &str) -> Option<&'static str> {
    CORE_IO.iter().copied().find(|w| code_of(line).contains(w))
}

#[test]
fn the_core_does_no_io_of_its_own() {
    let src = root().join("crates/core/src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    assert!(files.len() > 20, "the core's files were found ({})", files.len());
    let mut found = Vec::new();
    for file in &files {
        let text = std::fs::read_to_string(file).expect("read");
        // Unit tests may read fixtures; the product code may not.
        let product = text.split("#[cfg(test)]").next().unwrap_or("");
        for (n, line) in product.lines().enumerate() {
            if let Some(word) = io_in(line) {
                found.push(format!("{}:{}: {word}", file.display(), n + 1));
            }
        }
    }
    assert!(found.is_empty(), "the pure core does I/O:\n{}", found.join("\n"));
}

#[test]
fn the_io_check_would_see_a_file_read() {
    assert_eq!(io_in("let t = std::fs::read_to_string(p)?;"), Some("std::fs"));
    assert_eq!(io_in("// std::fs is for the callers"), None);
}

/// A string literal that begins like an SQL statement (written in capitals, as the store does).
fn sql_in(line: &str) -> Option<&'static str> {
    const STATEMENTS: &[&str] = &[
        "\"SELECT ",
        "\"INSERT ",
        "\"UPDATE ",
        "\"DELETE ",
        "\"CREATE ",
        "\"PRAGMA ",
        "\"BEGIN",
        "\"WITH ",
    ];
    STATEMENTS.iter().copied().find(|s| code_of(line).contains(s))
}

#[test]
fn sql_is_written_only_in_the_store() {
    let mut files = Vec::new();
    rust_files(&root().join("src"), &mut files);
    rust_files(&root().join("crates"), &mut files);
    let store = root().join("src/store");
    let mut found = Vec::new();
    for file in files.iter().filter(|f| !f.starts_with(&store)) {
        let text = std::fs::read_to_string(file).expect("read");
        for (n, line) in text.lines().enumerate() {
            if let Some(statement) = sql_in(line) {
                found.push(format!("{}:{}: {statement}", file.display(), n + 1));
            }
        }
    }
    assert!(found.is_empty(), "SQL outside src/store:\n{}", found.join("\n"));
}

#[test]
fn the_sql_check_would_see_a_statement() {
    assert!(sql_in(r#"conn.execute("UPDATE tickets SET state = 'x'", [])?;"#).is_some());
    assert!(sql_in(r#"let q = "SELECT seq FROM transitions";"#).is_some());
    assert!(sql_in(r#"panic!("with {}", "text")"#).is_none());
    assert!(sql_in("// SELECT is explained in the store").is_none());
}

#[test]
fn shared_slint_components_import_nothing_of_the_visitor() {
    // The counter console and the calling display will build on components/ and theme.slint:
    // those must not depend on the visitor's adapters (ui/globals.slint) or screens.
    let ui = root().join("ui");
    let mut files = vec![ui.join("theme.slint"), ui.join("shared.slint")];
    for entry in std::fs::read_dir(ui.join("components")).expect("components") {
        files.push(entry.expect("entry").path());
    }
    let mut found = Vec::new();
    for file in &files {
        let text = std::fs::read_to_string(file).expect("read");
        for (n, line) in text.lines().enumerate() {
            if line.trim_start().starts_with("import")
                && (line.contains("globals.slint") || line.contains("screens/"))
            {
                found.push(format!("{}:{}: {line}", file.display(), n + 1));
            }
        }
    }
    assert!(files.len() >= 4, "the shared files were found");
    assert!(
        found.is_empty(),
        "shared UI reaches into the visitor's:\n{}",
        found.join("\n")
    );
}
