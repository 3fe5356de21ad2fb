//! Turns what is to be said into a sequence of clips: calls, numbers, spelled ticket numbers and
//! translated messages with their placeholders filled. Pure: no audio, no files.

use super::Voice;
use super::catalogue::{self, Segment};
use super::number_words::{chinese_number, english_number, uyghur_number};
use crate::i18n;
use crate::lang::Lang;

/// One step of an utterance.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Part {
    /// A clip of the voice pack.
    Clip { voice: Voice, id: String },
    /// Words as the screen shows them, said with the clip whose text they are (when there is one).
    Text { voice: Voice, text: String },
    /// The two-tone chime that opens every call.
    Chime,
    /// Silence, in milliseconds.
    Gap(u32),
}

/// The pause between two languages of a call, and between the sentences of a guide.
pub const LANGUAGE_GAP_MS: u32 = 500;
pub const SENTENCE_GAP_MS: u32 = 250;

/// A value for a placeholder of a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Arg {
    /// Read as a number ("twenty-three").
    Number(u32),
    /// Read character by character ("A, zero, one, two").
    Spell(String),
    /// A provisioned name with its own clip.
    Name(String),
}

fn clip(voice: Voice, id: String) -> Part {
    Part::Clip { voice, id }
}

/// A number as words in the language's own way (Chinese to 99,999,999 with 万, English and
/// Uyghur to 999,999); larger numbers digit by digit.
pub fn number(voice: Voice, n: u32) -> Vec<Part> {
    let words = match voice {
        Voice::Zh | Voice::Yue => chinese_number(n),
        Voice::En => english_number(n),
        Voice::Ug => uyghur_number(n),
    };
    match words {
        Some(w) => w
            .into_iter()
            .map(|k| clip(voice, catalogue::number_id(k)))
            .collect(),
        None => spell(voice, &n.to_string()),
    }
}

/// Characters one by one: letters by name, digits as digits; anything else is skipped.
pub fn spell(voice: Voice, text: &str) -> Vec<Part> {
    text.chars()
        .filter_map(|c| {
            if let Some(d) = c.to_digit(10) {
                Some(clip(voice, catalogue::number_id(d)))
            } else if c.is_ascii_alphabetic() {
                Some(clip(voice, catalogue::letter_id(c)))
            } else {
                None
            }
        })
        .collect()
}

/// A quantity (people, minutes, yuan) as words: as `number`, except that Mandarin and
/// Cantonese say 两 for a leading 2 that stands alone or before 百, 千 or 万 (两人, 两千, 两万).
/// Ticket digits and counter numbers are not quantities and keep 二.
pub fn count(voice: Voice, n: u32) -> Vec<Part> {
    let mut parts = number(voice, n);
    if !matches!(voice, Voice::Zh | Voice::Yue) {
        return parts;
    }
    let is =
        |p: Option<&Part>, k: u32| matches!(p, Some(Part::Clip { id, .. }) if *id == catalogue::number_id(k));
    let before_unit = parts.len() == 1 || [100, 1000, 10_000].iter().any(|u| is(parts.get(1), *u));
    if is(parts.first(), 2) && before_unit {
        parts[0] = clip(voice, catalogue::COUNT_TWO.into());
    }
    parts
}

/// A number said as an ordinal: its words with the last one in its ordinal form.
pub fn ordinal(voice: Voice, n: u32) -> Vec<Part> {
    let mut parts = number(voice, n);
    if let Some(Part::Clip { id, .. }) = parts.last_mut()
        && let Some(k) = id.strip_prefix("num-").and_then(|k| k.parse().ok())
    {
        *id = catalogue::ordinal_id(k);
    }
    parts
}

/// The voices a call is made in: the hall's, then the language the visitor took the ticket in
/// (`zh-CN`, `en`, `ug`) when the hall's do not include it, so nobody is told to listen for a
/// call in a language they cannot understand.
pub fn call_voices(hall: &[Voice], ticket_lang: &str) -> Vec<Voice> {
    let mut voices = hall.to_vec();
    if let Ok(lang) = ticket_lang.parse::<crate::lang::Lang>() {
        let own = Voice::for_screen(lang);
        if !voices.contains(&own) && catalogue::call_phrases(own).is_some() {
            voices.push(own);
        }
    }
    voices
}

/// Pause before a call is said again.
pub const REPEAT_GAP_MS: u32 = 1200;

/// A call said twice: the second time after a pause and without the chime.
pub fn said_twice(parts: Vec<Part>) -> Vec<Part> {
    let again: Vec<Part> = parts.iter().filter(|p| **p != Part::Chime).cloned().collect();
    let mut out = parts;
    out.push(Part::Gap(REPEAT_GAP_MS));
    out.extend(again);
    out
}

/// A queue call: the chime, then in each language in order "ticket A012 to counter 3", with the
/// ticket number read character by character and the counter number as a number.
pub fn call(ticket: &str, counter: u32, voices: &[Voice]) -> Vec<Part> {
    let mut parts = vec![Part::Chime];
    for (i, &voice) in voices.iter().enumerate() {
        let Some(phrases) = catalogue::call_phrases(voice) else {
            continue;
        };
        if i > 0 {
            parts.push(Part::Gap(LANGUAGE_GAP_MS));
        }
        if phrases.before_ticket.is_some() {
            parts.push(clip(voice, catalogue::CALL_BEFORE_TICKET.into()));
        }
        parts.extend(spell(voice, ticket));
        parts.push(clip(voice, catalogue::CALL_BEFORE_COUNTER.into()));
        if phrases.ordinal_counter {
            parts.extend(ordinal(voice, counter));
        } else {
            parts.extend(number(voice, counter));
        }
        if phrases.after_counter.is_some() {
            parts.push(clip(voice, catalogue::CALL_AFTER_COUNTER.into()));
        }
    }
    parts
}

/// A message of the screens, in the voice of `lang`.
pub fn message(lang: Lang, msgid: &str) -> Vec<Part> {
    message_with(lang, msgid, &[])
}

/// A message with its placeholders filled (in the order the translation puts them).
pub fn message_with(lang: Lang, msgid: &str, args: &[Arg]) -> Vec<Part> {
    let voice = Voice::for_screen(lang);
    let text = i18n::tr(lang, msgid);
    let segments = catalogue::segments(&text);
    if segments.iter().all(|s| matches!(s, Segment::Words(_))) {
        return if catalogue::speakable(&text) {
            vec![clip(voice, catalogue::message_id(msgid))]
        } else {
            Vec::new()
        };
    }
    let mut parts = Vec::new();
    let mut k = 0;
    for segment in segments {
        match segment {
            Segment::Words(_) => {
                parts.push(clip(voice, catalogue::segment_id(msgid, k)));
                k += 1;
            }
            Segment::Slot(i) => match args.get(i) {
                Some(Arg::Number(n)) => parts.extend(count(voice, *n)),
                Some(Arg::Spell(s)) => parts.extend(spell(voice, s)),
                Some(Arg::Name(text)) => parts.push(Part::Text {
                    voice,
                    text: text.clone(),
                }),
                None => {}
            },
        }
    }
    parts
}

/// A provisioned name (service, hall, counter) in the voice of `lang`.
pub fn name(lang: Lang, text: &str) -> Part {
    clip(Voice::for_screen(lang), catalogue::name_id(text))
}

/// Words shown on the screen in `lang`: a message as it is, a message with its placeholders
/// filled in ("For Legal consultation. Staff may ask for proof.") as its pieces, anything else
/// (a name) by its text.
pub fn shown(lang: Lang, text: &str) -> Vec<Part> {
    let text = text.trim();
    if !catalogue::speakable(text) {
        return Vec::new();
    }
    // Keypad keys and numbers on screen: said as numbers and letters.
    let voice = Voice::for_screen(lang);
    if let Ok(n) = text.parse::<u32>() {
        return number(voice, n);
    }
    if text.len() == 1 && text.chars().all(|c| c.is_ascii_uppercase()) {
        return spell(voice, text);
    }
    let reverse = i18n::reverse(lang);
    if let Some(msgid) = reverse.whole.get(text) {
        return message(lang, msgid);
    }
    for msgid in &reverse.templates {
        if let Some(args) = match_template(&i18n::tr(lang, msgid), text) {
            return message_with(lang, msgid, &args);
        }
    }
    vec![Part::Text {
        voice: Voice::for_screen(lang),
        text: text.to_owned(),
    }]
}

/// The values that fill `template`'s placeholders to give `text`, if it does.
fn match_template(template: &str, text: &str) -> Option<Vec<Arg>> {
    let pieces = catalogue::pieces(template);
    let mut captured: Vec<(usize, &str)> = Vec::new();
    let mut rest = text;
    let mut i = 0;
    while i < pieces.len() {
        match &pieces[i] {
            Segment::Words(w) => rest = rest.strip_prefix(w.as_str())?,
            Segment::Slot(slot) => {
                let end = match pieces.get(i + 1) {
                    Some(Segment::Words(next)) if !next.is_empty() => rest.find(next.as_str())?,
                    Some(Segment::Words(_)) | None => rest.len(),
                    // Two placeholders in a row cannot be told apart.
                    Some(Segment::Slot(_)) => return None,
                };
                let value = &rest[..end];
                if value.trim().is_empty() {
                    return None;
                }
                captured.push((*slot, value));
                rest = &rest[end..];
            }
        }
        i += 1;
    }
    if !rest.is_empty() || captured.is_empty() {
        return None;
    }
    captured.sort_by_key(|(slot, _)| *slot);
    Some(captured.into_iter().map(|(_, v)| arg_for(v.trim())).collect())
}

/// A filled-in value: a number, a ticket number to spell, or a name.
fn arg_for(value: &str) -> Arg {
    if let Ok(n) = value.parse::<u32>() {
        return Arg::Number(n);
    }
    let mut chars = value.chars();
    let ticket = chars.next().is_some_and(|c| c.is_ascii_uppercase())
        && value.len() > 1
        && chars.all(|c| c.is_ascii_digit());
    if ticket {
        Arg::Spell(value.to_owned())
    } else {
        Arg::Name(value.to_owned())
    }
}

/// Sentences one after the other with a short pause between them.
pub fn sentences(list: impl IntoIterator<Item = Vec<Part>>) -> Vec<Part> {
    let mut out = Vec::new();
    for s in list.into_iter().filter(|s| !s.is_empty()) {
        if !out.is_empty() {
            out.push(Part::Gap(SENTENCE_GAP_MS));
        }
        out.extend(s);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(parts: &[Part]) -> Vec<String> {
        parts
            .iter()
            .map(|p| match p {
                Part::Clip { voice, id } => format!("{voice}:{id}"),
                Part::Text { voice, text } => format!("{voice}:{text}"),
                Part::Chime => "chime".into(),
                Part::Gap(ms) => format!("gap{ms}"),
            })
            .collect()
    }

    fn words(voice: Voice, n: u32) -> Vec<String> {
        number(voice, n)
            .iter()
            .map(|p| match p {
                Part::Clip { id, .. } => id.trim_start_matches("num-").to_owned(),
                other => format!("{other:?}"),
            })
            .collect()
    }

    #[test]
    fn a_call_in_mandarin() {
        assert_eq!(
            ids(&call("A012", 3, &[Voice::Zh])),
            [
                "chime",
                "zh:call-before-ticket",
                "zh:letter-a",
                "zh:num-0",
                "zh:num-1",
                "zh:num-2",
                "zh:call-before-counter",
                "zh:num-3",
                "zh:call-after-counter"
            ]
        );
    }

    #[test]
    fn a_call_in_cantonese_reads_counter_twelve_as_a_number() {
        assert_eq!(
            ids(&call("B105", 12, &[Voice::Yue])),
            [
                "chime",
                "yue:call-before-ticket",
                "yue:letter-b",
                "yue:num-1",
                "yue:num-0",
                "yue:num-5",
                "yue:call-before-counter",
                "yue:num-10",
                "yue:num-2",
                "yue:call-after-counter"
            ]
        );
    }

    #[test]
    fn a_call_in_english() {
        assert_eq!(
            ids(&call("C007", 21, &[Voice::En])),
            [
                "chime",
                "en:call-before-ticket",
                "en:letter-c",
                "en:num-0",
                "en:num-0",
                "en:num-7",
                "en:call-before-counter",
                "en:num-20",
                "en:num-1"
            ]
        );
    }

    #[test]
    fn a_call_in_three_languages_has_one_chime_and_pauses_between_languages() {
        let parts = call("A012", 3, &[Voice::Zh, Voice::Yue, Voice::En]);
        let list = ids(&parts);
        assert_eq!(list.iter().filter(|s| *s == "chime").count(), 1);
        assert_eq!(list[0], "chime");
        let gaps: Vec<usize> = list
            .iter()
            .enumerate()
            .filter(|(_, s)| s.starts_with("gap"))
            .map(|(i, _)| i)
            .collect();
        assert_eq!(gaps, [9, 18]);
        assert_eq!(list[10], "yue:call-before-ticket");
        assert_eq!(list[19], "en:call-before-ticket");
        // zh: chime + 8 clips; yue: 8 clips; en: 7 (no words after the counter number).
        assert_eq!(list.len(), 9 + 1 + 8 + 1 + 7);
    }

    #[test]
    fn chinese_numbers() {
        assert_eq!(words(Voice::Zh, 0), ["0"]);
        assert_eq!(words(Voice::Zh, 10), ["10"]);
        assert_eq!(words(Voice::Zh, 12), ["10", "2"]);
        assert_eq!(words(Voice::Zh, 20), ["2", "10"]);
        assert_eq!(words(Voice::Zh, 105), ["1", "100", "0", "5"]);
        assert_eq!(words(Voice::Zh, 110), ["1", "100", "1", "10"]);
        assert_eq!(words(Voice::Zh, 1005), ["1", "1000", "0", "5"]);
        assert_eq!(words(Voice::Zh, 1050), ["1", "1000", "0", "5", "10"]);
        assert_eq!(words(Voice::Zh, 2000), ["2", "1000"]);
        assert_eq!(
            words(Voice::Zh, 12345),
            ["1", "10000", "2", "1000", "3", "100", "4", "10", "5"]
        );
        assert_eq!(words(Voice::Zh, 12000), ["1", "10000", "2", "1000"]);
        assert_eq!(words(Voice::Zh, 10010), ["1", "10000", "0", "1", "10"]);
        assert_eq!(words(Voice::Zh, 100_000), ["10", "10000"]);
        assert_eq!(words(Voice::Zh, 20_500), ["2", "10000", "0", "5", "100"]);
        assert_eq!(
            words(Voice::Zh, 100_000_000),
            ["1", "0", "0", "0", "0", "0", "0", "0", "0"]
        );
    }

    #[test]
    fn quantities_say_liang_where_digits_say_er() {
        let ids = |n| clip_ids(&count(Voice::Zh, n)).join(" ");
        assert_eq!(ids(2), catalogue::COUNT_TWO);
        assert_eq!(ids(2000), format!("{} num-1000", catalogue::COUNT_TWO));
        assert_eq!(ids(200), format!("{} num-100", catalogue::COUNT_TWO));
        assert_eq!(ids(20_000), format!("{} num-10000", catalogue::COUNT_TWO));
        assert_eq!(ids(12), "num-10 num-2", "十二");
        assert_eq!(ids(22), "num-2 num-10 num-2", "二十二");
        assert_eq!(clip_ids(&count(Voice::Yue, 2)), [catalogue::COUNT_TWO]);
        assert_eq!(clip_ids(&count(Voice::En, 2)), ["num-2"]);
        // A counter number is not a quantity: 二号窗口.
        assert_eq!(clip_ids(&number(Voice::Zh, 2)), ["num-2"]);
    }

    #[test]
    fn english_numbers() {
        assert_eq!(words(Voice::En, 0), ["0"]);
        assert_eq!(words(Voice::En, 13), ["13"]);
        assert_eq!(words(Voice::En, 40), ["40"]);
        assert_eq!(words(Voice::En, 45), ["40", "5"]);
        assert_eq!(words(Voice::En, 100), ["1", "100"]);
        assert_eq!(words(Voice::En, 118), ["1", "100", "18"]);
        assert_eq!(words(Voice::En, 2005), ["2", "1000", "5"]);
        assert_eq!(words(Voice::En, 12000), ["12", "1000"]);
        assert_eq!(words(Voice::En, 120_500), ["1", "100", "20", "1000", "5", "100"]);
        assert_eq!(words(Voice::Ug, 12000), ["10", "2", "1000"]);
        assert_eq!(words(Voice::Ug, 1200), ["1000", "2", "100"]);
        assert_eq!(words(Voice::Ug, 250_000), ["2", "100", "50", "1000"]);
    }

    /// The clip ids alone.
    fn clip_ids(parts: &[Part]) -> Vec<&str> {
        parts
            .iter()
            .filter_map(|p| match p {
                Part::Clip { id, .. } => Some(id.as_str()),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn a_uyghur_call_names_the_counter_as_an_ordinal() {
        let parts = call("A012", 12, &[Voice::Ug]);
        assert_eq!(
            clip_ids(&parts),
            [
                "letter-a",
                "num-0",
                "num-1",
                "num-2",
                catalogue::CALL_BEFORE_COUNTER,
                "num-10",
                "ord-2",
                catalogue::CALL_AFTER_COUNTER
            ]
        );
        assert_eq!(clip_ids(&ordinal(Voice::Ug, 3)), ["ord-3"]);
        assert_eq!(clip_ids(&ordinal(Voice::Ug, 20)), ["ord-20"]);
        // Every ordinal a counter number can end in has its word.
        let known: Vec<String> = catalogue::ordinal_words(Voice::Ug)
            .iter()
            .map(|(n, _)| catalogue::ordinal_id(*n))
            .collect();
        for counter in 1..=99 {
            let last = clip_ids(&ordinal(Voice::Ug, counter))
                .last()
                .map(|s| s.to_string());
            assert!(last.is_some_and(|l| known.contains(&l)), "counter {counter}");
        }
    }

    #[test]
    fn a_ticket_taken_in_uyghur_or_english_is_also_called_in_that_language() {
        let hall = [Voice::Zh, Voice::Yue];
        assert_eq!(call_voices(&hall, "ug"), [Voice::Zh, Voice::Yue, Voice::Ug]);
        assert_eq!(call_voices(&hall, "en"), [Voice::Zh, Voice::Yue, Voice::En]);
        assert_eq!(call_voices(&hall, "zh-CN"), hall, "already called in Mandarin");
        assert_eq!(call_voices(&hall, ""), hall, "an unknown language adds nothing");
    }

    #[test]
    fn uyghur_numbers() {
        assert_eq!(words(Voice::Ug, 0), ["0"]);
        assert_eq!(words(Voice::Ug, 23), ["20", "3"]);
        assert_eq!(words(Voice::Ug, 100), ["100"]);
        assert_eq!(words(Voice::Ug, 215), ["2", "100", "10", "5"]);
        assert_eq!(words(Voice::Ug, 1001), ["1000", "1"]);
    }

    #[test]
    fn every_number_word_has_a_clip() {
        for voice in Voice::ALL {
            let known: Vec<u32> = catalogue::number_words(voice).iter().map(|(n, _)| *n).collect();
            for n in (0..=2000).chain([9999, 10_000, 123_456]) {
                for p in number(voice, n) {
                    let Part::Clip { id, .. } = p else { panic!() };
                    let k: u32 = id.trim_start_matches("num-").parse().unwrap();
                    assert!(known.contains(&k), "{voice} {n}: no word for {k}");
                }
            }
        }
    }

    #[test]
    fn filled_in_messages_are_said_as_their_pieces() {
        let msgid = "Estimated wait: about {} minutes";
        let text = i18n::trf(Lang::ZhCn, msgid, &["25"]);
        assert_eq!(
            shown(Lang::ZhCn, &text),
            message_with(Lang::ZhCn, msgid, &[Arg::Number(25)])
        );
        let text = i18n::trf(
            Lang::En,
            "For {}. Staff may ask for proof.",
            &["Legal consultation"],
        );
        assert_eq!(
            ids(&shown(Lang::En, &text)),
            [
                format!(
                    "en:{}",
                    catalogue::segment_id("For {}. Staff may ask for proof.", 0)
                ),
                "en:Legal consultation".into(),
                format!(
                    "en:{}",
                    catalogue::segment_id("For {}. Staff may ask for proof.", 1)
                ),
            ]
        );
        let text = i18n::trf(Lang::En, "{0} → {1}", &["A012", "Counter 2"]);
        assert_eq!(
            ids(&shown(Lang::En, &text)),
            ["en:letter-a", "en:num-0", "en:num-1", "en:num-2", "en:Counter 2"]
        );
        assert_eq!(
            ids(&shown(Lang::En, "Back")),
            [format!("en:{}", catalogue::message_id("Back"))]
        );
        assert_eq!(ids(&shown(Lang::En, "Hall 7")), ["en:Hall 7"]);
        assert!(shown(Lang::En, " · ").is_empty());
    }

    #[test]
    fn messages_with_numbers_follow_the_translation() {
        let msgid = "People ahead of you: {}";
        assert_eq!(
            ids(&message_with(Lang::En, msgid, &[Arg::Number(3)])),
            [
                format!("en:{}", catalogue::segment_id(msgid, 0)),
                "en:num-3".into()
            ]
        );
        let plain = message(Lang::Ug, "Back");
        assert_eq!(ids(&plain), [format!("ug:{}", catalogue::message_id("Back"))]);
    }
}
