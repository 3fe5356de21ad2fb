//! Every visible string of the UI is translated into Chinese and Uyghur, with the same
//! placeholders as the English source, and the .po files carry no strings the UI dropped.

use std::collections::BTreeMap;
use std::path::Path;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The `@tr()` message ids of the Slint screens.
fn slint_strings() -> Vec<String> {
    fn walk(dir: &Path, out: &mut Vec<String>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "slint") {
                let text = std::fs::read_to_string(&path).unwrap();
                for (i, _) in text.match_indices("@tr(") {
                    let rest = text[i + 4..].trim_start();
                    let Some(body) = rest.strip_prefix('"') else {
                        continue;
                    };
                    let end = body.find('"').unwrap();
                    let mut id = body[..end].to_owned();
                    // `@tr("staff" => "…")`: a context, then the message.
                    if let Some(message) = body[end + 1..].trim_start().strip_prefix("=>") {
                        let message = message.trim_start().strip_prefix('"').unwrap();
                        id = keyed(&id, &message[..message.find('"').unwrap()]);
                    }
                    if !out.contains(&id) {
                        out.push(id);
                    }
                }
            }
        }
    }
    let mut out = Vec::new();
    walk(&root().join("ui"), &mut out);
    out
}

fn ui_strings() -> Vec<String> {
    let mut out = slint_strings();
    rust_strings(&root().join("src"), &mut out);
    rust_strings(&root().join("crates"), &mut out);
    out
}

/// Message ids of the Rust side: `tr(lang, "…")`, `trf(lang, "…", …)`, lists marked
/// `// i18n: msgids` (receipts, later speech) and `tech!("…")` (technicians' findings), as
/// `scripts/po-sync.py` collects them.
fn rust_strings(dir: &Path, out: &mut Vec<String>) {
    fn quoted(s: &str) -> Option<String> {
        let body = s.trim_start().strip_prefix('"')?;
        let mut id = String::new();
        let mut chars = body.chars();
        while let Some(c) = chars.next() {
            match c {
                '"' => return Some(id),
                '\\' => id.push(chars.next()?),
                c => id.push(c),
            }
        }
        None
    }
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_strings(&path, out);
            continue;
        }
        if path.extension().is_none_or(|e| e != "rs") || path.ends_with("i18n.rs") {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        let mut found = Vec::new();
        for pattern in ["tr(", "trf("] {
            for (i, _) in text.match_indices(pattern) {
                let before = text[..i].chars().next_back();
                if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
                    continue;
                }
                let args = &text[i + pattern.len()..];
                let Some(comma) = args.find(',') else { continue };
                if args[..comma].contains('"') {
                    continue;
                }
                found.extend(quoted(&args[comma + 1..]));
            }
        }
        for (i, _) in text.match_indices("// i18n: msgids") {
            for line in text[i..].lines().skip(1) {
                if line.trim_start().starts_with(']') {
                    break;
                }
                found.extend(quoted(line.trim().trim_end_matches(',')));
            }
        }
        // `tech!("…", …)`: technicians' findings, in the "technician" context.
        for (i, _) in text.match_indices("tech!(") {
            if let Some(id) = quoted(&text[i + "tech!(".len()..]) {
                found.push(keyed("technician", &id));
            }
        }
        for id in found {
            if !out.contains(&id) {
                out.push(id);
            }
        }
    }
}

/// A message with a context is keyed as gettext does: the context, U+0004, the message.
fn keyed(context: &str, message: &str) -> String {
    format!("{context}\u{4}{message}")
}

/// The staff console's and technician mode's strings (`@tr("staff" => …)`, `@tr("technician" =>
/// …)`): staff and technicians read Chinese or English only.
fn is_staff(key: &str) -> bool {
    key.starts_with("staff\u{4}") || key.starts_with("technician\u{4}")
}

fn message(key: &str) -> &str {
    key.rsplit('\u{4}').next().unwrap_or(key)
}

fn po(lang: &str) -> BTreeMap<String, String> {
    let path = root().join(format!("assets/lang/{lang}/LC_MESSAGES/legal-aid-kiosk.po"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut map = BTreeMap::new();
    let (mut id, mut context) = (None, None);
    for line in text.lines() {
        if let Some(v) = line.strip_prefix("msgctxt ") {
            context = Some(v.trim().trim_matches('"').to_owned());
        } else if let Some(v) = line.strip_prefix("msgid ") {
            id = Some(v.trim().trim_matches('"').to_owned());
        } else if let Some(v) = line.strip_prefix("msgstr ")
            && let Some(id) = id.take().filter(|i| !i.is_empty())
        {
            let key = match context.take() {
                Some(c) => keyed(&c, &id),
                None => id,
            };
            map.insert(key, v.trim().trim_matches('"').to_owned());
        }
    }
    map
}

fn placeholders(s: &str) -> Vec<String> {
    let mut out: Vec<String> = s
        .match_indices('{')
        .filter_map(|(i, _)| s[i..].find('}').map(|e| s[i..i + e + 1].to_owned()))
        .collect();
    out.sort();
    out
}

#[test]
fn every_ui_string_is_translated_with_its_placeholders() {
    let ids = ui_strings();
    assert!(ids.len() > 40, "found only {} strings", ids.len());
    for lang in ["zh-CN", "ug"] {
        let tr = po(lang);
        let mut problems = Vec::new();
        for id in &ids {
            if lang == "ug" && is_staff(id) {
                continue;
            }
            match tr.get(id).filter(|t| !t.is_empty()) {
                None => problems.push(format!("untranslated: {id}")),
                Some(t) if placeholders(t) != placeholders(message(id)) => {
                    problems.push(format!("placeholders differ: {id} → {t}"))
                }
                Some(_) => {}
            }
        }
        for id in tr.keys().filter(|k| !ids.contains(k)) {
            problems.push(format!("no longer used by the UI: {id}"));
        }
        assert!(
            problems.is_empty(),
            "{lang} (run scripts/po-sync.py, then translate):\n{}",
            problems.join("\n")
        );
    }
    let en = po("en");
    assert!(
        ids.iter().all(|id| en.contains_key(id)),
        "en.po lacks some ids: run scripts/po-sync.py"
    );
}

/// The three strings of every `pick(lang, zh, en, ug)` in src/eligibility/text.rs.
fn engine_texts() -> Vec<[String; 3]> {
    let text = std::fs::read_to_string(root().join("crates/core/src/eligibility/text.rs")).unwrap();
    let mut out = Vec::new();
    for (i, _) in text.match_indices("pick(") {
        let mut rest = &text[i..];
        let mut strings = Vec::new();
        while strings.len() < 3 {
            let Some(start) = rest.find('"') else { break };
            let body = &rest[start + 1..];
            let end = body.find('"').unwrap();
            strings.push(body[..end].to_owned());
            rest = &body[end + 1..];
        }
        if let [zh, en, ug] = strings.as_slice() {
            out.push([zh.clone(), en.clone(), ug.clone()]);
        }
    }
    out
}

#[test]
fn the_screen_and_the_cli_use_the_same_screening_wording() {
    let (zh, ug) = (po("zh-CN"), po("ug"));
    let texts = engine_texts();
    assert!(texts.len() >= 40, "found {} texts", texts.len());
    let ui = ui_strings();
    for [z, en, u] in texts {
        assert!(
            ui.contains(&en),
            "the screen does not show the engine's text: {en}"
        );
        assert_eq!(zh.get(&en), Some(&z), "zh-CN differs from text.rs for: {en}");
        assert_eq!(ug.get(&en), Some(&u), "ug differs from text.rs for: {en}");
    }
}

/// The string literals of a Rust file, in order.
fn literals(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find('"') {
        let body = &rest[start + 1..];
        let Some(end) = body.find('"') else { break };
        out.push(body[..end].to_owned());
        rest = &body[end + 1..];
    }
    out
}

#[test]
fn what_the_guide_says_by_itself_is_what_the_screens_show() {
    // src/ui/said.rs: words said when they appear (refusals, print results). Each must still be
    // a string of the screens: edit a screen's words and not these, and this fails.
    let text = std::fs::read_to_string(root().join("src/ui/said.rs")).unwrap();
    let code: String = text
        .lines()
        .filter(|l| !l.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n");
    let said = literals(&code);
    assert!(said.len() >= 10, "the spoken messages were read: {said:?}");
    let shown = slint_strings();
    let missing: Vec<&String> = said.iter().filter(|s| !shown.contains(s)).collect();
    assert!(
        missing.is_empty(),
        "said but no longer shown on any screen: {missing:?}"
    );
}

/// One name for one thing: no translation uses a variant `assets/lang/GLOSSARY.md` rejects.
#[test]
fn translations_keep_to_the_glossary() {
    let glossary = std::fs::read_to_string(root().join("assets/lang/GLOSSARY.md")).unwrap();
    let rows: Vec<(String, String, String)> = glossary
        .lines()
        .filter(|l| l.starts_with("| ") && !l.starts_with("| thing"))
        .filter_map(|l| {
            let cells: Vec<&str> = l.trim_matches('|').split('|').map(str::trim).collect();
            match cells.as_slice() {
                [_, lang, chosen, rejected] => Some(((*lang).into(), (*chosen).into(), (*rejected).into())),
                _ => None,
            }
        })
        .collect();
    assert!(rows.len() >= 5, "the glossary's table was not read: {rows:?}");
    let engine = engine_texts();
    let mut found = Vec::new();
    for (lang, chosen, rejected) in &rows {
        let column = match lang.as_str() {
            "zh-CN" => 0,
            "en" => 1,
            "ug" => 2,
            other => panic!("the glossary names an unknown language {other}"),
        };
        // English is the source: its message ids are its text. Staff words are not checked.
        let translations: BTreeMap<String, String> = po(lang)
            .into_iter()
            .filter(|(id, _)| !id.contains('\u{4}'))
            .map(|(id, text)| {
                if text.is_empty() {
                    (id.clone(), id)
                } else {
                    (id, text)
                }
            })
            .collect();
        let mut uses_chosen = false;
        for (id, text) in translations
            .iter()
            .chain(engine.iter().map(|t| (&t[1], &t[column])))
        {
            uses_chosen |= text.contains(chosen.as_str());
            if text.contains(rejected.as_str()) {
                found.push(format!("{lang} {id:?}: {rejected:?} (use {chosen:?})"));
            }
        }
        assert!(
            uses_chosen,
            "{lang}: {chosen:?} is in the glossary but in no translation"
        );
    }
    assert!(found.is_empty(), "rejected variants:\n{}", found.join("\n"));
}
