//! Which clips a voice pack holds and what each one says. Clip ids are derived from the message
//! ids of the .po files (so a translation update keeps the id and a human recording can replace
//! the file), from names, or are fixed words (numbers, letters, call phrases).

use super::Voice;
use crate::i18n;
use crate::lang::Lang;
use serde::Serialize;
use sha2::{Digest, Sha256};

/// One clip a pack must contain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ClipSpec {
    pub voice: Voice,
    pub id: String,
    /// What the screen shows (clips are found by it).
    pub text: String,
    /// What the synthesiser is given: `spoken_text` of `text`.
    pub spoken: String,
}

fn is_han(c: char) -> bool {
    ('\u{3400}'..='\u{9fff}').contains(&c)
}

/// What a voice says for a text shown on screen: no Chinese characters in an English or Uyghur
/// voice (a bracketed Chinese term such as "(低保, 特困)" is left out; espeak says "Chinese letter"
/// for each character), no Latin words in the Mandarin voice ("语言 Language": the pinyin voice
/// reads them as noise; an ID card's X is 叉), and units said as words.
pub fn spoken_text(voice: Voice, text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut bracket: Option<String> = None;
    for c in text.chars() {
        match (&mut bracket, c) {
            (None, '(' | '（') => bracket = Some(String::from(c)),
            (Some(b), ')' | '）') => {
                b.push(c);
                let foreign = match voice {
                    Voice::En | Voice::Ug => b.chars().any(is_han),
                    Voice::Zh | Voice::Yue => !b.chars().any(is_han),
                };
                if !foreign {
                    out.push_str(b);
                }
                bracket = None;
            }
            (Some(b), _) => b.push(c),
            (None, _) => out.push(c),
        }
    }
    if let Some(b) = bracket {
        out.push_str(&b);
    }
    let out = match voice {
        Voice::En => out.replace("m²", " square metres"),
        Voice::Ug => uyghur_figures(&out.replace("m²", " كۋادرات مېتىر")),
        Voice::Zh | Voice::Yue => out
            .split(' ')
            .filter(|w| !w.chars().any(|c| c.is_ascii_alphabetic()) || w.chars().any(is_han))
            .collect::<Vec<_>>()
            .join(" ")
            .replace("m²", "平方米")
            // The ID card's check digit X is said 叉 (the pinyin voice would spell "ài-ks").
            .replace('X', "叉"),
    };
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn is_arabic_letter(c: char) -> bool {
    ('\u{0621}'..='\u{064a}').contains(&c) || ('\u{0671}'..='\u{06d5}').contains(&c)
}

/// Uyghur figures that carry a suffix ("1دىن 30غىچە") or an ordinal hyphen ("3-كۆزنەك") said as
/// words (بىردىن ئوتتۇزغىچە, ئۈچىنچى كۆزنەك): espeak-ng reads "1دىن" as "bir" and then the word
/// "din", and "3-" as the cardinal "üch". Figures standing alone ("7 كۈن") it reads well.
fn uyghur_figures(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        if !chars[i].is_ascii_digit() || (i > 0 && chars[i - 1].is_ascii_alphanumeric()) {
            out.push(chars[i]);
            i += 1;
            continue;
        }
        let end = (i..chars.len())
            .find(|&k| !chars[k].is_ascii_digit())
            .unwrap_or(chars.len());
        let figure: String = chars[i..end].iter().collect();
        let next = chars.get(end).copied();
        let ordinal = next == Some('-') && chars.get(end + 1).copied().is_some_and(is_arabic_letter);
        let suffixed = next.is_some_and(is_arabic_letter);
        match figure.parse().ok().and_then(|n| uyghur_words(n, ordinal)) {
            Some(words) if ordinal => {
                out.push_str(&words);
                out.push(' ');
                i = end + 1;
            }
            Some(words) if suffixed => {
                out.push_str(&words);
                i = end;
            }
            _ => {
                out.push_str(&figure);
                i = end;
            }
        }
    }
    out
}

/// A number in Uyghur words, its last word ordinal when asked (ئون ئىككىنچى).
fn uyghur_words(n: u32, ordinal: bool) -> Option<String> {
    let keys = super::number_words::uyghur_number(n)?;
    let cardinal = number_words(Voice::Ug);
    let ordinals = ordinal_words(Voice::Ug);
    let last = keys.len().checked_sub(1)?;
    let words = keys.iter().enumerate().map(|(k, key)| {
        let table = if ordinal && k == last {
            &ordinals
        } else {
            &cardinal
        };
        table.iter().find(|(v, _)| v == key).map(|(_, w)| *w)
    });
    Some(words.collect::<Option<Vec<_>>>()?.join(" "))
}

/// A piece of a translated message: words to say, or a placeholder filled at run time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Segment {
    Words(String),
    Slot(usize),
}

fn short_hash(text: &str) -> String {
    let digest = Sha256::digest(text.as_bytes());
    digest.iter().take(6).map(|b| format!("{b:02x}")).collect()
}

/// The clip of a whole message without placeholders.
pub fn message_id(msgid: &str) -> String {
    format!("ui-{}", short_hash(msgid))
}

/// The clip of the `k`-th run of words of a message with placeholders.
pub fn segment_id(msgid: &str, k: usize) -> String {
    format!("ui-{}-{k}", short_hash(msgid))
}

/// The clip of a provisioned name (hall, service, counter) in one language.
pub fn name_id(text: &str) -> String {
    format!("name-{}", short_hash(text))
}

/// Whether a run of text has anything to say (not only spaces, arrows or punctuation).
pub fn speakable(text: &str) -> bool {
    text.chars().any(char::is_alphanumeric)
}

/// Splits a translated message at its placeholders (`{}` in order, `{0}`, `{1}`… by position),
/// leaving out runs with nothing to say.
pub fn segments(template: &str) -> Vec<Segment> {
    let mut out = pieces(template);
    out.retain(|s| !matches!(s, Segment::Words(w) if !speakable(w)));
    out
}

/// Every literal run and placeholder of a translated message, empty runs included.
pub fn pieces(template: &str) -> Vec<Segment> {
    let mut out = Vec::new();
    let mut next_slot = 0;
    let mut words = String::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        match after.find('}') {
            Some(close) if after[..close].chars().all(|c| c.is_ascii_digit()) => {
                words.push_str(&rest[..open]);
                let slot = if close == 0 {
                    next_slot += 1;
                    next_slot - 1
                } else {
                    after[..close].parse().unwrap_or(usize::MAX)
                };
                out.push(Segment::Words(std::mem::take(&mut words)));
                out.push(Segment::Slot(slot));
                rest = &after[close + 1..];
            }
            _ => {
                words.push_str(&rest[..=open]);
                rest = after;
            }
        }
    }
    words.push_str(rest);
    out.push(Segment::Words(words));
    out
}

/// The number words a voice needs to say any number from 0 to 9999 (see `compose::number`).
pub fn number_words(voice: Voice) -> Vec<(u32, &'static str)> {
    match voice {
        Voice::Zh | Voice::Yue => vec![
            (0, "零"),
            (1, "一"),
            (2, "二"),
            (3, "三"),
            (4, "四"),
            (5, "五"),
            (6, "六"),
            (7, "七"),
            (8, "八"),
            (9, "九"),
            (10, "十"),
            (100, "百"),
            (1000, "千"),
            (10000, "万"),
        ],
        Voice::En => vec![
            (0, "zero"),
            (1, "one"),
            (2, "two"),
            (3, "three"),
            (4, "four"),
            (5, "five"),
            (6, "six"),
            (7, "seven"),
            (8, "eight"),
            (9, "nine"),
            (10, "ten"),
            (11, "eleven"),
            (12, "twelve"),
            (13, "thirteen"),
            (14, "fourteen"),
            (15, "fifteen"),
            (16, "sixteen"),
            (17, "seventeen"),
            (18, "eighteen"),
            (19, "nineteen"),
            (20, "twenty"),
            (30, "thirty"),
            (40, "forty"),
            (50, "fifty"),
            (60, "sixty"),
            (70, "seventy"),
            (80, "eighty"),
            (90, "ninety"),
            (100, "hundred"),
            (1000, "thousand"),
        ],
        Voice::Ug => vec![
            (0, "نۆل"),
            (1, "بىر"),
            (2, "ئىككى"),
            (3, "ئۈچ"),
            (4, "تۆت"),
            (5, "بەش"),
            (6, "ئالتە"),
            (7, "يەتتە"),
            (8, "سەككىز"),
            (9, "توققۇز"),
            (10, "ئون"),
            (20, "يىگىرمە"),
            (30, "ئوتتۇز"),
            (40, "قىرىق"),
            (50, "ئەللىك"),
            (60, "ئاتمىش"),
            (70, "يەتمىش"),
            (80, "سەكسەن"),
            (90, "توقسان"),
            (100, "يۈز"),
            (1000, "مىڭ"),
        ],
    }
}

/// A language's name as the language screen shows it (ui/screens/language.slint).
pub fn language_name(voice: Voice) -> &'static str {
    match voice {
        Voice::Zh | Voice::Yue => "中文",
        Voice::En => "English",
        Voice::Ug => "ئۇيغۇرچە",
    }
}

pub fn number_id(n: u32) -> String {
    format!("num-{n}")
}

pub fn letter_id(c: char) -> String {
    format!("letter-{}", c.to_ascii_lowercase())
}

/// The fixed words of a call, between the ticket number and the counter number.
/// `None` where the language needs no words at that place.
pub struct CallPhrases {
    pub before_ticket: Option<&'static str>,
    pub before_counter: &'static str,
    pub after_counter: Option<&'static str>,
    /// The counter is said as an ordinal ("the third window"), not as a number.
    pub ordinal_counter: bool,
}

/// The call phrases of a voice, or `None` for a voice that does not call numbers. Chinese halls
/// say where to go and what for: 请A012号到3号窗口办理.
pub fn call_phrases(voice: Voice) -> Option<CallPhrases> {
    match voice {
        Voice::Zh => Some(CallPhrases {
            before_ticket: Some("请"),
            before_counter: "号，到",
            after_counter: Some("号窗口办理"),
            ordinal_counter: false,
        }),
        Voice::Yue => Some(CallPhrases {
            before_ticket: Some("請"),
            before_counter: "號，到",
            after_counter: Some("號窗口辦理"),
            ordinal_counter: false,
        }),
        Voice::En => Some(CallPhrases {
            before_ticket: Some("Number"),
            before_counter: "please go to counter",
            after_counter: None,
            ordinal_counter: false,
        }),
        // "A012 نومۇرلۇق، ئۈچىنچى كۆزنەككە كېلىڭ": number A012, come to the third window.
        Voice::Ug => Some(CallPhrases {
            before_ticket: None,
            before_counter: "نومۇرلۇق،",
            after_counter: Some("كۆزنەككە كېلىڭ"),
            ordinal_counter: true,
        }),
    }
}

/// The ordinal forms a voice needs for the last word of a counter's number (the words before
/// it stay cardinal: ئون ئىككىنچى, "twelfth"). Empty for voices that call counters by number.
pub fn ordinal_words(voice: Voice) -> Vec<(u32, &'static str)> {
    match voice {
        Voice::Ug => vec![
            (1, "بىرىنچى"),
            (2, "ئىككىنچى"),
            (3, "ئۈچىنچى"),
            (4, "تۆتىنچى"),
            (5, "بەشىنچى"),
            (6, "ئالتىنچى"),
            (7, "يەتتىنچى"),
            (8, "سەككىزىنچى"),
            (9, "توققۇزىنچى"),
            (10, "ئونىنچى"),
            (20, "يىگىرمىنچى"),
            (30, "ئوتتۇزىنچى"),
            (40, "قىرىقىنچى"),
            (50, "ئەللىكىنچى"),
            (60, "ئاتمىشىنچى"),
            (70, "يەتمىشىنچى"),
            (80, "سەكسىنىنچى"),
            (90, "توقسىنىنچى"),
            (100, "يۈزىنچى"),
            (1000, "مىڭىنچى"),
        ],
        Voice::Zh | Voice::Yue | Voice::En => Vec::new(),
    }
}

pub fn ordinal_id(n: u32) -> String {
    format!("ord-{n}")
}

/// 两: how Mandarin and Cantonese say a quantity of two (两人, 两千), where digits say 二.
pub const COUNT_TWO: &str = "num-2-count";

pub const CALL_BEFORE_TICKET: &str = "call-before-ticket";
pub const CALL_BEFORE_COUNTER: &str = "call-before-counter";
pub const CALL_AFTER_COUNTER: &str = "call-after-counter";

/// Every clip a pack of `voice` must hold for a terminal whose names in a language are
/// `spoken_names` (`Config::spoken_names`: its hall, services and counters).
pub fn required(voice: Voice, spoken_names: impl Fn(Lang) -> Vec<String>) -> Vec<ClipSpec> {
    let mut specs = Vec::new();
    let mut add = |id: String, text: &str| {
        let text = text.trim().to_owned();
        // Letters are spelled with the English voice in every pack; their text is the letter.
        let spoken = if id.starts_with("letter-") {
            text.clone()
        } else {
            Some(spoken_text(voice, &text))
                .filter(|s| speakable(s))
                .unwrap_or_else(|| text.clone())
        };
        specs.push(ClipSpec {
            voice,
            id,
            text,
            spoken,
        })
    };
    for (n, word) in number_words(voice) {
        add(number_id(n), word);
    }
    if matches!(voice, Voice::Zh | Voice::Yue) {
        add(COUNT_TWO.into(), "两");
    }
    for (n, word) in ordinal_words(voice) {
        add(ordinal_id(n), word);
    }
    for c in 'A'..='Z' {
        add(letter_id(c), &c.to_string());
    }
    if let Some(p) = call_phrases(voice) {
        if let Some(t) = p.before_ticket {
            add(CALL_BEFORE_TICKET.into(), t);
        }
        add(CALL_BEFORE_COUNTER.into(), p.before_counter);
        if let Some(t) = p.after_counter {
            add(CALL_AFTER_COUNTER.into(), t);
        }
    }
    if voice.reads_screens() {
        let lang = voice.text_lang();
        for msgid in i18n::msgids() {
            let text = i18n::tr(lang, msgid);
            let parts = segments(&text);
            if parts.iter().all(|s| matches!(s, Segment::Words(_))) {
                if speakable(&text) {
                    add(message_id(msgid), &text);
                }
                continue;
            }
            let words = parts.iter().filter_map(|s| match s {
                Segment::Words(w) => Some(w),
                Segment::Slot(_) => None,
            });
            for (k, w) in words.enumerate() {
                add(segment_id(msgid, k), w);
            }
        }
        let mut names = spoken_names(lang);
        // The language screen names each language in its own words, said by its own voice.
        names.push(language_name(voice).to_owned());
        names.sort();
        names.dedup();
        for name in names {
            add(name_id(&name), &name);
        }
    }
    specs.sort_by(|a, b| a.id.cmp(&b.id));
    specs.dedup_by(|a, b| a.id == b.id);
    specs
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_split_messages_into_words_and_slots() {
        assert_eq!(
            segments("People ahead of you: {}"),
            vec![Segment::Words("People ahead of you: ".into()), Segment::Slot(0)]
        );
        assert_eq!(
            segments("{0} waiting · about {1} min"),
            vec![
                Segment::Slot(0),
                Segment::Words(" waiting · about ".into()),
                Segment::Slot(1),
                Segment::Words(" min".into())
            ]
        );
        // Translations may put the slots in another order; arrows alone say nothing.
        assert_eq!(segments("{1} ← {0}"), vec![Segment::Slot(1), Segment::Slot(0)]);
        assert_eq!(
            segments("plain {text}"),
            vec![Segment::Words("plain {text}".into())]
        );
    }

    #[test]
    fn ids_are_stable_and_distinct() {
        assert_eq!(message_id("Back"), message_id("Back"));
        assert_ne!(message_id("Back"), message_id("Help"));
        assert!(message_id("Back").starts_with("ui-"));
        assert_eq!(message_id("Back").len(), 3 + 12);
        assert_ne!(segment_id("Volume {}", 0), segment_id("Volume {}", 1));
    }

    #[test]
    fn each_voice_says_only_its_own_language() {
        assert_eq!(
            spoken_text(
                Voice::En,
                "Entitled to special care: veterans and martyrs' families (优抚对象)"
            ),
            "Entitled to special care: veterans and martyrs' families"
        );
        assert_eq!(
            spoken_text(Voice::En, "one home of 144 m² or more"),
            "one home of 144 square metres or more"
        );
        assert_eq!(spoken_text(Voice::Zh, "语言 Language"), "语言");
        assert_eq!(
            spoken_text(Voice::Zh, "身份证号码（可选）"),
            "身份证号码（可选）",
            "Chinese in brackets stays"
        );
        assert_eq!(
            spoken_text(Voice::Zh, "最后一位是数字或X。"),
            "最后一位是数字或叉。"
        );
        assert_eq!(spoken_text(Voice::Ug, "(بىر) ئىككى"), "(بىر) ئىككى");
    }

    #[test]
    fn uyghur_figures_with_suffixes_and_ordinals_are_said_as_words() {
        assert_eq!(
            spoken_text(Voice::Ug, "1دىن 30غىچە سان كىرگۈزۈڭ."),
            "بىردىن ئوتتۇزغىچە سان كىرگۈزۈڭ."
        );
        assert_eq!(spoken_text(Voice::Ug, "3-كۆزنەك"), "ئۈچىنچى كۆزنەك");
        assert_eq!(spoken_text(Voice::Ug, "12-كۆزنەك"), "ئون ئىككىنچى كۆزنەك");
        // Standing alone, or inside a ticket number, a figure stays for the synthesiser.
        assert_eq!(spoken_text(Voice::Ug, "7 كۈن ئىچىدە"), "7 كۈن ئىچىدە");
        assert_eq!(spoken_text(Voice::Ug, "A012 نومۇرلۇق"), "A012 نومۇرلۇق");
        assert_eq!(
            spoken_text(Voice::Ug, "2026-يىل"),
            "ئىككى مىڭ يىگىرمە ئالتىنچى يىل"
        );
    }

    #[test]
    fn every_voice_can_say_its_numbers_and_calls() {
        let config = crate::config::Config::default();
        for voice in Voice::ALL {
            let specs = required(voice, |lang| config.spoken_names(lang));
            assert!(specs.iter().any(|s| s.id == "num-0"), "{voice}");
            assert!(specs.iter().any(|s| s.id == "letter-z"), "{voice}");
            assert!(specs.iter().all(|s| speakable(&s.text)), "{voice}");
            assert!(specs.iter().any(|s| s.id == CALL_BEFORE_COUNTER), "{voice}");
            let ordinals = specs.iter().any(|s| s.id == ordinal_id(3));
            assert_eq!(ordinals, voice == Voice::Ug, "{voice}: counters as ordinals");
            let screens = specs.iter().any(|s| s.id == message_id("Back"));
            assert_eq!(screens, voice != Voice::Yue, "{voice}");
        }
    }
}
