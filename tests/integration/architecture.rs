//! The boundaries ARCHITECTURE.md promises, as checks that fail when someone crosses them:
//!
//! - the pure core (`kiosk-core`), the contract (`kiosk-contract`) and the roles' rules
//!   (`kiosk-roles`) have no storage, async runtime, UI, sound, video, serial or network crate
//!   anywhere in their dependency trees (asked of `cargo tree`, so a dependency that arrives
//!   through another one counts too);
//! - the core's source does no I/O of its own (no `std::fs`, `std::net`, `std::process`);
//! - only the store (`kiosk-store`) depends on SQLite, and SQL is written only there;
//! - the binary crate's modules import each other without cycles.

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

/// The crate names `cargo tree` lists (normal dependencies only, one name a line, each once).
fn cargo_tree(args: &[&str]) -> Vec<String> {
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
        ])
        .args(args)
        .output()
        .expect("run cargo tree");
    assert!(
        out.status.success(),
        "cargo tree {args:?} failed: {}",
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

/// The names of every crate in a package's normal (non-dev, non-build) dependency tree.
fn dependency_tree(package: &str) -> Vec<String> {
    cargo_tree(&["-p", package])
}

fn forbidden_in(tree: &[String]) -> Vec<&'static str> {
    FORBIDDEN
        .iter()
        .copied()
        .filter(|f| tree.iter().any(|name| name == f))
        .collect()
}

#[test]
fn the_pure_crates_depend_on_no_storage_runtime_ui_device_or_network_crate() {
    for package in ["kiosk-core", "kiosk-contract", "kiosk-roles"] {
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

/// The packages that depend on `krate` directly (normal dependencies, across the workspace).
fn direct_dependents(krate: &str) -> Vec<String> {
    let mut names = cargo_tree(&["--workspace", "--invert", krate, "--depth", "1"]);
    names.retain(|name| name != krate);
    names
}

#[test]
fn only_the_store_depends_on_sqlite() {
    assert_eq!(direct_dependents("rusqlite"), ["kiosk-store"]);
    // The same question of a crate many use, so the check is seen to list more than one.
    let chrono = direct_dependents("chrono");
    for user in ["kiosk-core", "kiosk-store", "legal-aid-kiosk"] {
        assert!(chrono.iter().any(|n| n == user), "{user} uses chrono: {chrono:?}");
    }
}

fn rust_files(at: &Path, out: &mut Vec<PathBuf>) {
    files_ending(at, "rs", out);
}

/// The files under `at` (at any depth) with this extension.
fn files_ending(at: &Path, extension: &str, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(at).expect("read the source folder") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            files_ending(&path, extension, out);
        } else if path.extension().is_some_and(|e| e == extension) {
            out.push(path);
        }
    }
}

/// Each line of these files that `finds` names a problem in, as `file:line: problem: text`.
fn lines_where(files: &[PathBuf], finds: impl Fn(&Path, &str) -> Option<&'static str>) -> Vec<String> {
    let mut found = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(file).expect("read");
        for (n, line) in text.lines().enumerate() {
            if let Some(what) = finds(file, line) {
                found.push(format!("{}:{}: {what}: {}", file.display(), n + 1, line.trim()));
            }
        }
    }
    found
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
    let store = root().join("crates/store");
    let mut found = Vec::new();
    for file in files.iter().filter(|f| !f.starts_with(&store)) {
        let text = std::fs::read_to_string(file).expect("read");
        for (n, line) in text.lines().enumerate() {
            if let Some(statement) = sql_in(line) {
                found.push(format!("{}:{}: {statement}", file.display(), n + 1));
            }
        }
    }
    assert!(
        found.is_empty(),
        "SQL outside crates/store:\n{}",
        found.join("\n")
    );
}

#[test]
fn the_sql_check_would_see_a_statement() {
    assert!(sql_in(r#"conn.execute("UPDATE tickets SET state = 'x'", [])?;"#).is_some());
    assert!(sql_in(r#"let q = "SELECT seq FROM transitions";"#).is_some());
    assert!(sql_in(r#"panic!("with {}", "text")"#).is_none());
    assert!(sql_in("// SELECT is explained in the store").is_none());
}

/// The `import` lines of these Slint files that name one of `reached`.
fn imports_of(files: &[PathBuf], reached: &[&str]) -> Vec<String> {
    lines_where(files, |_, line| {
        (line.trim_start().starts_with("import") && reached.iter().any(|r| line.contains(r)))
            .then_some("an import")
    })
}

#[test]
fn shared_slint_components_import_nothing_of_the_visitor() {
    // Every role's window builds on components/, theme.slint and shared.slint: those must not
    // depend on the visitor's adapters (ui/globals.slint) or screens.
    let ui = root().join("ui");
    let mut files = vec![ui.join("theme.slint"), ui.join("shared.slint")];
    for entry in std::fs::read_dir(ui.join("components")).expect("components") {
        files.push(entry.expect("entry").path());
    }
    assert!(files.len() >= 4, "the shared files were found");
    let found = imports_of(&files, &["globals.slint", "screens/"]);
    assert!(
        found.is_empty(),
        "shared UI reaches into the visitor's:\n{}",
        found.join("\n")
    );
}

#[test]
fn staff_windows_and_technician_mode_import_no_visitor_adapter() {
    // The staff windows carry technician mode, whose adapter is its own file; none of them
    // names the visitor's adapters. (Technician mode's screens still reach them through the
    // visitor's ScreenFrame, whose Back they override.)
    let ui = root().join("ui");
    let files: Vec<PathBuf> = [
        "counter.slint",
        "display.slint",
        "evaluator.slint",
        "technician-adapter.slint",
    ]
    .iter()
    .map(|f| ui.join(f))
    .collect();
    let found = imports_of(&files, &["globals.slint"]);
    assert!(
        found.is_empty(),
        "a staff window reaches the visitor's adapters:\n{}",
        found.join("\n")
    );
}

/// A colour or a font chosen in place rather than through the theme: a `#…` colour, `rgb(`,
/// `hsv(` or `Colors.`, or a font family written as a string.
fn style_chosen_in_place(line: &str) -> Option<&'static str> {
    let code = code_of(line);
    if code.contains("Noto ") || code.contains("font-family: \"") {
        return Some("a font named");
    }
    // Outside strings, `#` starts only a colour in Slint.
    let mut in_string = false;
    let mut escaped = false;
    let mut bare = String::new();
    for ch in code.chars() {
        match (in_string, escaped, ch) {
            (true, false, '\\') => escaped = true,
            (true, true, _) => escaped = false,
            (_, false, '"') => in_string = !in_string,
            (false, _, _) => bare.push(ch),
            _ => {}
        }
    }
    ["#", "rgb(", "rgba(", "hsv(", "Colors."]
        .iter()
        .any(|w| bare.contains(w))
        .then_some("a colour written")
}

#[test]
fn colours_and_fonts_are_chosen_in_the_theme_only() {
    let mut files = Vec::new();
    files_ending(&root().join("ui"), "slint", &mut files);
    files_ending(&root().join("src/ui"), "rs", &mut files);
    assert!(files.len() > 20, "the UI files were found ({})", files.len());
    // theme.slint holds them; fonts.rs registers the families the theme names.
    files.retain(|f| !f.ends_with("ui/theme.slint") && !f.ends_with("src/ui/fonts.rs"));
    let found = lines_where(&files, |file, line| {
        if file.extension().is_some_and(|e| e == "rs") {
            code_of(line).contains("Noto ").then_some("a font named")
        } else {
            style_chosen_in_place(line)
        }
    });
    assert!(
        found.is_empty(),
        "use a token of ui/theme.slint (Theme, ConsoleTheme, DisplayTheme, RatingTheme, Fonts):\n{}",
        found.join("\n")
    );
}

#[test]
fn the_theme_check_sees_a_colour_or_font_chosen_in_place() {
    assert!(style_chosen_in_place("    background: #0b3d6e;").is_some());
    assert!(style_chosen_in_place("    color: on ? #fff : Theme.text;").is_some());
    assert!(style_chosen_in_place("    color: rgb(255, 0, 0);").is_some());
    assert!(style_chosen_in_place("    color: Colors.red;").is_some());
    assert!(style_chosen_in_place("    font-family: \"Noto Sans\";").is_some());
    assert!(style_chosen_in_place("    out property <string> f: \"Noto Sans Arabic\";").is_some());
    assert!(style_chosen_in_place("    background: ConsoleTheme.header;").is_none());
    assert!(style_chosen_in_place("    text: @tr(\"No. #{} \\\"#2\\\"\", n);").is_none());
    assert!(style_chosen_in_place("    // #fff was the old white").is_none());
}

/// A module of the binary's crate as a path of names: `src/cli/doctor.rs` is `["cli", "doctor"]`,
/// `src/hall/mod.rs` is `["hall"]`.
fn module_of(src: &Path, file: &Path) -> Vec<String> {
    let rel = file.strip_prefix(src).expect("under src");
    let mut names: Vec<String> = rel.iter().map(|p| p.to_string_lossy().into_owned()).collect();
    let last = names.pop().expect("a file name");
    let stem = last.trim_end_matches(".rs");
    if stem != "mod" && stem != "lib" {
        names.push(stem.to_owned());
    }
    names
}

fn ident_at(text: &str) -> (&str, &str) {
    let end = text
        .find(|c: char| !(c.is_alphanumeric() || c == '_'))
        .unwrap_or(text.len());
    (&text[..end], &text[end..])
}

/// The names a `use` group lists at its own level: `{a::b, c::{d, e}, f}` gives a, c and f.
fn group_items(group: &str) -> Vec<&str> {
    let mut items = Vec::new();
    let mut depth = 0;
    let mut start = Some(0);
    for (at, c) in group.char_indices() {
        match c {
            '{' => depth += 1,
            '}' if depth == 0 => break,
            '}' => depth -= 1,
            ',' if depth == 0 => start = Some(at + 1),
            _ => {}
        }
        if let Some(from) = start.filter(|_| depth == 0 && c != ',') {
            let (name, _) = ident_at(group[from..].trim_start());
            if !name.is_empty() {
                items.push(name);
            }
            start = None;
        }
    }
    items
}

/// The paths (as names) that the product code of `module` names with `crate::` or `super::`:
/// `crate::a::b`, `crate::{a::b, c}` (over several lines too) and `super::x` (resolved from the
/// module).
fn references(module: &[String], text: &str) -> Vec<Vec<String>> {
    let product = text.split("#[cfg(test)]").next().unwrap_or("");
    let code: String = product.lines().map(|l| format!("{}\n", code_of(l))).collect();
    let mut found = Vec::new();
    let mut at = 0;
    while let Some(next) = code[at..].find(['c', 's']).map(|n| at + n) {
        at = next + 1;
        let preceded = code[..next].ends_with(|c: char| c.is_alphanumeric() || c == '_' || c == ':');
        let mut base = Vec::new();
        let mut rest = &code[next..];
        if let Some(after) = rest.strip_prefix("crate::") {
            rest = after;
        } else if rest.starts_with("super::") {
            base = module.to_vec();
            while let Some(after) = rest.strip_prefix("super::") {
                base.pop();
                rest = after;
            }
        } else {
            continue;
        }
        if preceded {
            continue;
        }
        if let Some(group) = rest.strip_prefix('{') {
            for name in group_items(group) {
                let mut path = base.clone();
                path.push(name.to_owned());
                found.push(path);
            }
            continue;
        }
        let mut path = base;
        loop {
            let (name, after) = ident_at(rest);
            if name.is_empty() {
                break;
            }
            path.push(name.to_owned());
            match after.strip_prefix("::") {
                Some(more) => rest = more,
                None => break,
            }
        }
        found.push(path);
    }
    found
}

/// The module graph of the binary's crate at one level: within `folder` (empty: the crate's top
/// level), each file or sub-folder is a node, and an edge goes from a node to every sibling it
/// names.
fn module_graph(folder: &[String]) -> std::collections::BTreeMap<String, std::collections::BTreeSet<String>> {
    let src = root().join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let mut graph = std::collections::BTreeMap::<String, std::collections::BTreeSet<String>>::new();
    for file in files {
        let module = module_of(&src, &file);
        if module.len() <= folder.len() || !module.starts_with(folder) {
            continue;
        }
        let node = module[folder.len()].clone();
        let text = std::fs::read_to_string(&file).expect("read");
        let edges = graph.entry(node.clone()).or_default();
        for path in references(&module, &text) {
            if path.len() > folder.len() && path.starts_with(folder) && path[folder.len()] != node {
                edges.insert(path[folder.len()].clone());
            }
        }
    }
    graph
}

/// Nodes that reach themselves through at least one other node.
fn cycles_in(graph: &std::collections::BTreeMap<String, std::collections::BTreeSet<String>>) -> Vec<String> {
    let mut found = Vec::new();
    for start in graph.keys() {
        let mut seen = std::collections::BTreeSet::new();
        let mut stack: Vec<(String, Vec<String>)> = vec![(start.clone(), vec![start.clone()])];
        while let Some((node, path)) = stack.pop() {
            for next in graph.get(&node).into_iter().flatten() {
                if next == start {
                    found.push(format!("{} -> {start}", path.join(" -> ")));
                } else if seen.insert(next.clone()) {
                    let mut longer = path.clone();
                    longer.push(next.clone());
                    stack.push((next.clone(), longer));
                }
            }
        }
    }
    found.sort();
    found.dedup();
    found
}

#[test]
fn the_binary_crates_modules_import_each_other_without_cycles() {
    let mut folders = vec![Vec::new()];
    for entry in std::fs::read_dir(root().join("src")).expect("src") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            folders.push(vec![
                path.file_name().expect("name").to_string_lossy().into_owned(),
            ]);
        }
    }
    let mut found = Vec::new();
    for folder in &folders {
        let graph = module_graph(folder);
        assert!(!graph.is_empty(), "modules found in src/{}", folder.join("/"));
        for cycle in cycles_in(&graph) {
            found.push(format!("src/{}: {cycle}", folder.join("/")));
        }
    }
    assert!(found.is_empty(), "import cycles:\n{}", found.join("\n"));
}

#[test]
fn the_cycle_check_would_see_a_cycle_and_reads_every_form_of_path() {
    let module = vec!["cli".to_owned(), "provision".to_owned()];
    let text = "use crate::{\n    config::{Config, Role},\n    queue,\n};\nuse super::hall_cmd::enroll;\n\
                x = crate::fsutil::read(p);\n// crate::ui is a comment\nlet a = my_crate::b;\n\
                #[cfg(test)]\nuse crate::speech;";
    let refs = references(&module, text);
    let names: Vec<String> = refs.iter().map(|p| p.join("::")).collect();
    assert_eq!(
        names,
        ["config", "queue", "cli::hall_cmd::enroll", "fsutil::read"]
    );
    let mut graph = std::collections::BTreeMap::new();
    graph.insert("a".to_owned(), ["b".to_owned()].into());
    graph.insert("b".to_owned(), ["c".to_owned()].into());
    graph.insert("c".to_owned(), ["a".to_owned()].into());
    graph.insert("d".to_owned(), ["a".to_owned()].into());
    let cycles = cycles_in(&graph);
    assert_eq!(cycles.len(), 3, "{cycles:?}");
    assert!(cycles.iter().all(|c| !c.contains('d')));
}

/// Whether a line of Rust names the store crate or SQLite.
fn names_the_database(line: &str) -> bool {
    let code = code_of(line);
    code.contains("kiosk_store") || code.contains("rusqlite")
}

#[test]
fn the_screens_never_open_the_database() {
    // The screens are given what they need (the hall queue, the hall feed, the outbox link, the
    // printer's recorder) by the composition root; until they are a crate of their own, this
    // reads their source.
    let mut files = Vec::new();
    rust_files(&root().join("src/ui"), &mut files);
    assert!(files.len() > 15, "the UI's files were found ({})", files.len());
    let mut found = Vec::new();
    for file in &files {
        let text = std::fs::read_to_string(file).expect("read");
        for (n, line) in text.lines().enumerate() {
            if names_the_database(line) {
                found.push(format!("{}:{}: {}", file.display(), n + 1, line.trim()));
            }
        }
    }
    assert!(
        found.is_empty(),
        "the UI opens the database:\n{}",
        found.join("\n")
    );
    assert!(names_the_database("let s = kiosk_store::Store::open(p)?;"));
    assert!(!names_the_database("// kiosk_store is the composition root's"));
}

/// A bare `Text` element (or a component inheriting it) on this line: text the layout test could
/// not ask whether it fits.
fn bare_text_in(line: &str) -> bool {
    let code = code_of(line);
    let element = code.match_indices("Text {").any(|(at, _)| {
        !code[..at]
            .chars()
            .next_back()
            .is_some_and(|c| c.is_alphanumeric() || c == '-' || c == '_')
    });
    element || code.contains("inherits Text ") || code.trim_end().ends_with("inherits Text")
}

#[test]
fn every_text_on_every_screen_is_a_label() {
    let mut files = Vec::new();
    files_ending(&root().join("ui"), "slint", &mut files);
    assert!(files.len() > 10, "the Slint files were not found");
    files.retain(|f| !f.ends_with("components/label.slint"));
    let bare = lines_where(&files, |_, line| bare_text_in(line).then_some("a bare Text"));
    assert!(
        bare.is_empty(),
        "use Label (ui/components/label.slint), so the layout test sees whether it fits:\n{}",
        bare.join("\n")
    );
}

#[test]
fn the_text_check_sees_a_bare_text() {
    assert!(bare_text_in("        Text {"));
    assert!(bare_text_in("    if shown: Text {"));
    assert!(bare_text_in("component Title inherits Text {"));
    assert!(!bare_text_in("        Label {"));
    assert!(!bare_text_in("component NoticeText {"));
    assert!(!bare_text_in("    export global WizardText {"));
    assert!(!bare_text_in("    // a Text { in a comment"));
}
