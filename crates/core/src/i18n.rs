//! The message catalogue for text that leaves the screen (receipts, spoken and printed words).
//! It reads the same .po files the Slint UI is built with, so a translator edits one place and
//! the screen and the paper always agree.

use crate::lang::Lang;
use std::collections::HashMap;
use std::sync::OnceLock;

const PO_ZH: &str = include_str!("../../../assets/lang/zh-CN/LC_MESSAGES/legal-aid-kiosk.po");
const PO_EN: &str = include_str!("../../../assets/lang/en/LC_MESSAGES/legal-aid-kiosk.po");
const PO_UG: &str = include_str!("../../../assets/lang/ug/LC_MESSAGES/legal-aid-kiosk.po");

type Catalog = HashMap<String, String>;

/// The context of technician mode's messages (`@tr("technician" => …)` and `tech!`).
pub const TECHNICIAN: &str = "technician";

fn catalog(lang: Lang) -> &'static Catalog {
    static CATALOGS: OnceLock<[Catalog; 3]> = OnceLock::new();
    let all = CATALOGS.get_or_init(|| [parse_po(PO_ZH), parse_po(PO_EN), parse_po(PO_UG)]);
    match lang {
        Lang::ZhCn => &all[0],
        Lang::En => &all[1],
        Lang::Ug => &all[2],
    }
}

/// The technicians' messages (Chinese only: technicians read Chinese or English).
fn technician_catalog() -> &'static Catalog {
    static CATALOG: OnceLock<Catalog> = OnceLock::new();
    CATALOG.get_or_init(|| parse_po_context(PO_ZH, TECHNICIAN))
}

/// The translation of `msgid`; the English source text when there is none.
pub fn tr(lang: Lang, msgid: &str) -> String {
    match catalog(lang).get(msgid) {
        Some(s) if !s.is_empty() => s.clone(),
        _ => msgid.to_owned(),
    }
}

/// `tr` with its placeholders filled: `{}` takes the arguments in order, `{0}`, `{1}`… by
/// position (translations may reorder them), as in Slint's `@tr`.
pub fn trf(lang: Lang, msgid: &str, args: &[&str]) -> String {
    fill(&tr(lang, msgid), args)
}

/// A sentence for technicians: an English template with `{0}`, `{1}`… and its arguments. The
/// arguments (paths, figures, commands, the system's own error texts) stay as they are; the
/// template is translated through the "technician" context of the .po files, so `kiosk doctor`
/// prints English and the technician panel shows Chinese from the same finding. Made with
/// [`tech!`](crate::tech), which `scripts/po-sync.py` collects.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TechText {
    template: &'static str,
    args: Vec<String>,
}

impl TechText {
    pub fn new(template: &'static str, args: Vec<String>) -> Self {
        Self { template, args }
    }

    /// Another part's own words (an error's text), shown as they are in every language.
    pub fn as_is(text: impl Into<String>) -> Self {
        Self {
            template: "{0}",
            args: vec![text.into()],
        }
    }

    pub fn template(&self) -> &'static str {
        self.template
    }

    /// The sentence in `lang`; Uyghur falls back to English.
    pub fn in_lang(&self, lang: Lang) -> String {
        let args: Vec<&str> = self.args.iter().map(String::as_str).collect();
        let template = match lang {
            Lang::ZhCn => technician_catalog()
                .get(self.template)
                .filter(|t| !t.is_empty())
                .map_or(self.template, String::as_str),
            Lang::En | Lang::Ug => self.template,
        };
        fill(template, &args)
    }
}

/// Sentences one after the other, in `lang`.
pub fn join_tech(texts: &[TechText], lang: Lang) -> String {
    let separator = if lang == Lang::ZhCn { "；" } else { "; " };
    let sentences: Vec<String> = texts.iter().map(|t| t.in_lang(lang)).collect();
    sentences.join(separator)
}

impl std::fmt::Display for TechText {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.in_lang(Lang::En))
    }
}

/// `tech!("the printer {0} is ready", name)`: a [`TechText`] with its arguments.
#[macro_export]
macro_rules! tech {
    ($template:literal $(, $arg:expr)* $(,)?) => {
        $crate::i18n::TechText::new($template, vec![$($arg.to_string()),*])
    };
}

/// Every message id of the catalogues (the English file lists them all), sorted.
pub fn msgids() -> Vec<&'static str> {
    let mut ids: Vec<&'static str> = catalog(Lang::En).keys().map(String::as_str).collect();
    ids.sort_unstable();
    ids
}

/// The message ids whose translation in `lang` is exactly `text`, and the ids of the messages
/// with placeholders (for matching a filled-in text).
pub fn reverse(lang: Lang) -> &'static Reverse {
    static REVERSE: OnceLock<[Reverse; 3]> = OnceLock::new();
    let all = REVERSE.get_or_init(|| Lang::ALL.map(build_reverse));
    match lang {
        Lang::ZhCn => &all[0],
        Lang::En => &all[1],
        Lang::Ug => &all[2],
    }
}

pub struct Reverse {
    pub whole: HashMap<String, &'static str>,
    pub templates: Vec<&'static str>,
}

fn build_reverse(lang: Lang) -> Reverse {
    let mut whole = HashMap::new();
    let mut templates = Vec::new();
    for id in msgids() {
        let text = tr(lang, id);
        if text != fill(&text, &[]) {
            templates.push(id);
        } else {
            whole.insert(text, id);
        }
    }
    Reverse { whole, templates }
}

/// Whether the catalogue of `lang` has a (non-empty) translation of `msgid`.
pub fn has(lang: Lang, msgid: &str) -> bool {
    lang == Lang::En || catalog(lang).get(msgid).is_some_and(|s| !s.is_empty())
}

fn fill(template: &str, args: &[&str]) -> String {
    let mut out = String::with_capacity(template.len() + 16);
    let mut next = 0;
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find('}') {
            Some(close) if after[..close].chars().all(|c| c.is_ascii_digit()) => {
                let index = if close == 0 {
                    next += 1;
                    next - 1
                } else {
                    after[..close].parse().unwrap_or(usize::MAX)
                };
                out.push_str(args.get(index).copied().unwrap_or(""));
                rest = &after[close + 1..];
            }
            _ => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// The visitors' messages of a .po file. Entries with a `msgctxt` (the staff console's words,
/// `@tr("staff" => …)`) are Slint's alone: never spoken, never on a receipt, so left out here.
fn parse_po(text: &str) -> Catalog {
    let mut map = Catalog::new();
    let mut msgid: Option<String> = None;
    let mut in_context = false;
    for line in text.lines() {
        if line.starts_with("msgctxt ") {
            in_context = true;
        } else if let Some(rest) = line.strip_prefix("msgid ") {
            msgid = Some(unquote(rest));
        } else if let Some(rest) = line.strip_prefix("msgstr ") {
            let staff_only = std::mem::take(&mut in_context);
            if let Some(id) = msgid.take().filter(|id| !id.is_empty() && !staff_only) {
                map.insert(id, unquote(rest));
            }
        }
    }
    map
}

/// The entries of one context of a .po file, by message id.
fn parse_po_context(text: &str, wanted: &str) -> Catalog {
    let mut map = Catalog::new();
    let mut context: Option<String> = None;
    let mut msgid: Option<String> = None;
    for line in text.lines() {
        if let Some(rest) = line.strip_prefix("msgctxt ") {
            context = Some(unquote(rest));
        } else if let Some(rest) = line.strip_prefix("msgid ") {
            msgid = Some(unquote(rest));
        } else if let Some(rest) = line.strip_prefix("msgstr ") {
            let in_wanted = context.take().is_some_and(|c| c == wanted);
            if let Some(id) = msgid.take().filter(|_| in_wanted) {
                map.insert(id, unquote(rest));
            }
        }
    }
    map
}

fn unquote(s: &str) -> String {
    let inner = s.trim().trim_start_matches('"').trim_end_matches('"');
    let mut out = String::with_capacity(inner.len());
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some(other) => out.push(other),
            None => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_in_order_and_by_position() {
        assert_eq!(fill("People ahead of you: {}", &["3"]), "People ahead of you: 3");
        assert_eq!(fill("{1} ← {0}", &["a", "b"]), "b ← a");
        assert_eq!(fill("{} of {}", &["1", "2"]), "1 of 2");
        assert_eq!(fill("a {b} c", &[]), "a {b} c");
    }

    #[test]
    fn reads_the_bundled_catalogues() {
        assert!(tr(Lang::ZhCn, "People ahead of you: {}").contains("{}"));
        assert_ne!(
            tr(Lang::ZhCn, "People ahead of you: {}"),
            "People ahead of you: {}"
        );
        assert_eq!(tr(Lang::En, "no such message"), "no such message");
        assert_eq!(unquote(r#""say \"hi\"\n""#), "say \"hi\"\n");
    }

    #[test]
    fn technician_texts_read_their_own_context() {
        let po = "msgctxt \"technician\"\nmsgid \"{0} is ready\"\nmsgstr \"{0} 就绪\"\n\n\
                  msgid \"{0} is ready\"\nmsgstr \"visitor\"\n";
        let catalog = parse_po_context(po, TECHNICIAN);
        assert_eq!(catalog.get("{0} is ready").map(String::as_str), Some("{0} 就绪"));
        assert_eq!(catalog.len(), 1);
        let text = crate::tech!("{0} and {1}", "a", 2);
        assert_eq!(text.to_string(), "a and 2");
        assert_eq!(text.in_lang(Lang::Ug), "a and 2");
    }
}
