//! The voice packs and `kiosk speak`: every clip the kiosk can ask for exists and decodes, every
//! screen's guide is voiced in each language, and the rendered WAV files hold what was composed.

use crate::common;

use common::{kiosk, stdout_json};
use kiosk::config::Config;
use kiosk::lang::Lang;
use kiosk::speech::Voice;
use kiosk::speech::catalogue;
use kiosk::speech::compose::{self, Part};
use kiosk::speech::engine;
use kiosk::speech::pack::{self, ClipStore};
use std::collections::HashSet;
use std::path::Path;

fn voice_dir() -> std::path::PathBuf {
    Config::default().speech.voice_dir()
}

#[test]
fn every_clip_the_kiosk_needs_is_in_the_packs_and_decodes() {
    let config = Config::default();
    for voice in Voice::ALL {
        let required = catalogue::required(voice, |lang| config.spoken_names(lang));
        let check = pack::check(&voice_dir().join(voice.code()), &required).unwrap();
        assert!(check.missing.is_empty(), "{voice}: missing {:?}", check.missing);
        assert!(check.undecodable.is_empty(), "{voice}: {:?}", check.undecodable);
    }
}

#[test]
fn every_ui_string_has_a_clip_in_zh_en_and_ug() {
    for voice in [Voice::Zh, Voice::En, Voice::Ug] {
        let manifest = pack::read_manifest(&voice_dir().join(voice.code())).unwrap();
        let ids: HashSet<&str> = manifest.clips.iter().map(|c| c.id.as_str()).collect();
        for msgid in kiosk::i18n::msgids() {
            for part in compose::message_with(voice.text_lang(), msgid, &[]) {
                let Part::Clip { id, .. } = part else { continue };
                assert!(ids.contains(id.as_str()), "{voice}: no clip for {msgid:?} ({id})");
            }
        }
        // Each clip says its language's current translation.
        for c in manifest
            .clips
            .iter()
            .filter(|c| c.id == catalogue::message_id("Back"))
        {
            assert_eq!(c.text, kiosk::i18n::tr(voice.text_lang(), "Back"));
        }
    }
}

/// Every screen, in each language, read with clips that exist: nothing shown is left unsaid.
#[test]
fn every_screen_guide_is_voiced_in_each_language() {
    let config = Config::default();
    let mut texts: std::collections::HashMap<Voice, HashSet<String>> = Default::default();
    let mut ids: std::collections::HashMap<Voice, HashSet<String>> = Default::default();
    for voice in [Voice::Zh, Voice::En, Voice::Ug] {
        let m = pack::read_manifest(&voice_dir().join(voice.code())).unwrap();
        texts.insert(voice, m.clips.iter().map(|c| c.text.clone()).collect());
        ids.insert(voice, m.clips.iter().map(|c| c.id.clone()).collect());
    }
    let screens: Vec<&str> = kiosk::ui::screenshot::SCREENS.iter().map(|(n, _)| *n).collect();
    let wanted: Vec<(&str, Lang)> = Lang::ALL
        .iter()
        .flat_map(|l| screens.iter().map(move |s| (*s, *l)))
        .collect();
    let guides = kiosk::ui::screenshot::screen_guides(&config, &wanted).unwrap();
    for ((screen, lang), parts) in wanted.iter().zip(&guides) {
        let voice = Voice::for_screen(*lang);
        let said = parts.iter().filter(|p| !matches!(p, Part::Gap(_))).count();
        assert!(said >= 2, "{screen} in {lang}: only {said} sounds");
        for p in parts {
            match p {
                Part::Text { voice: v, text } => {
                    assert_eq!(*v, voice);
                    // A language's own name may be said by its own voice.
                    let own = texts[v].contains(text);
                    let named = Voice::ALL.iter().any(|o| catalogue::language_name(*o) == text);
                    assert!(own || named, "{screen} in {lang}: no clip says {text:?}");
                }
                Part::Clip { voice: v, id } => {
                    assert!(ids[v].contains(id), "{screen} in {lang}: no clip {id}");
                }
                _ => {}
            }
        }
    }
    // The confirmation screen reads the sample ticket A012 digit by digit.
    let confirmation = &guides[screens.iter().position(|s| *s == "confirmation").unwrap()];
    let spelled: Vec<&str> = confirmation
        .iter()
        .filter_map(|p| match p {
            Part::Clip { id, .. } if id.starts_with("letter-") || id.starts_with("num-") => Some(id.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(spelled[..4], ["letter-a", "num-0", "num-1", "num-2"]);
}

struct Wav {
    rate: u32,
    samples: Vec<i16>,
}

fn read_wav(path: &Path) -> Wav {
    let bytes = std::fs::read(path).unwrap();
    assert_eq!(&bytes[..4], b"RIFF");
    assert_eq!(&bytes[8..16], b"WAVEfmt ");
    assert_eq!(u16::from_le_bytes([bytes[20], bytes[21]]), 1, "PCM");
    assert_eq!(u16::from_le_bytes([bytes[22], bytes[23]]), 1, "mono");
    let rate = u32::from_le_bytes(bytes[24..28].try_into().unwrap());
    assert_eq!(&bytes[36..40], b"data");
    let len = u32::from_le_bytes(bytes[40..44].try_into().unwrap()) as usize;
    assert_eq!(bytes.len(), 44 + len);
    let samples = bytes[44..]
        .chunks_exact(2)
        .map(|c| i16::from_le_bytes([c[0], c[1]]))
        .collect();
    Wav { rate, samples }
}

/// The length a sequence should have: each clip, gap and the chime, as decoded.
fn composed_samples(store: &ClipStore, parts: &[Part]) -> usize {
    parts
        .iter()
        .map(|p| match p {
            Part::Clip { voice, id } => store
                .clip(*voice, id)
                .map_or(0, |c| store.pcm(c).map_or(0, |p| p.len())),
            Part::Chime => engine::chime().count(),
            Part::Gap(ms) => (engine::RATE * ms / 1000) as usize,
            Part::Text { .. } => 0,
        })
        .sum()
}

/// `kiosk speak --announce A012 --counter 3 … --out OUT --json`; its report.
fn speak_call(dir: &Path, out: &Path, extra: &[&str]) -> serde_json::Value {
    let mut args = vec!["speak", "--announce", "A012", "--counter", "3"];
    args.extend_from_slice(extra);
    args.extend(["--out", out.to_str().unwrap(), "--json"]);
    stdout_json(&kiosk(dir, &args))
}

#[test]
fn a_rendered_call_holds_every_clip_in_order_and_does_not_clip() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("call.wav");
    let report = speak_call(dir.path(), &out, &["--langs", "zh,yue,en"]);
    assert_eq!(report["missing"], serde_json::json!([]));
    let wav = read_wav(&out);
    assert_eq!(wav.rate, engine::RATE);

    let voices = [Voice::Zh, Voice::Yue, Voice::En];
    let (store, errors) = ClipStore::load(&voice_dir(), &voices);
    assert!(errors.is_empty());
    let parts = compose::call("A012", 3, &voices);
    // Two primers and the lead silence come before the chime. rodio drops some primer samples
    // (see engine.rs), never more than the primers: the chime starts after at least the lead.
    let nominal = (engine::RATE * (2 * 20 + engine::CALL_LEAD_MS) / 1000) as usize;
    let lead = (engine::RATE * engine::CALL_LEAD_MS / 1000) as usize;
    let chime_at = wav.samples.iter().position(|s| *s != 0).unwrap();
    assert!(
        (lead..=nominal).contains(&chime_at),
        "the chime starts at {chime_at}"
    );
    let end = chime_at + composed_samples(&store, &parts);
    let n = wav.samples.len();
    let chunk = (engine::RATE / 50) as usize;
    assert!(
        n >= end && n <= end + 3 * chunk,
        "{n} samples, composed end {end}"
    );
    assert!(
        wav.samples[end..].iter().all(|s| s.unsigned_abs() < 30),
        "nothing after the end"
    );
    assert!((report["seconds"].as_f64().unwrap() - n as f64 / f64::from(engine::RATE)).abs() < 0.01);

    let peak = wav.samples.iter().map(|s| s.unsigned_abs()).max().unwrap();
    assert!(
        peak < i16::MAX as u16 - 100,
        "the call must not clip (peak {peak})"
    );
    assert!(peak > 8000, "the call is loud enough (peak {peak})");
    // The chime's first tone.
    assert!(
        wav.samples[chime_at..chime_at + 2000]
            .iter()
            .any(|s| s.unsigned_abs() > 3000)
    );
}

/// A ticket taken in Uyghur is called in Uyghur too, after the hall's languages: its call has
/// the Uyghur words (the counter as an ordinal), all of them in the shipped pack.
#[test]
fn a_uyghur_tickets_call_adds_the_uyghur_phrase() {
    let dir = tempfile::tempdir().unwrap();
    let render = |ticket_lang: &str| {
        let out = dir.path().join(format!("call-{ticket_lang}.wav"));
        let report = speak_call(dir.path(), &out, &["--langs", "zh", "--ticket-lang", ticket_lang]);
        (report, read_wav(&out).samples.len())
    };
    let (zh, zh_len) = render("zh-CN");
    let (ug, ug_len) = render("ug");
    assert_eq!(
        ug["missing"],
        serde_json::json!([]),
        "every Uyghur clip is in the pack"
    );
    let uyghur = compose::call("A012", 3, &[Voice::Ug]);
    assert!(
        uyghur
            .iter()
            .any(|p| matches!(p, Part::Clip { id, .. } if id == "ord-3"))
    );
    // The same call plus the Uyghur one (its clips but the chime, which is said once).
    let added = uyghur
        .iter()
        .filter(|p| !matches!(p, Part::Gap(_) | Part::Chime))
        .count();
    assert_eq!(
        ug["clips"].as_u64().unwrap(),
        zh["clips"].as_u64().unwrap() + added as u64
    );
    let (store, errors) = ClipStore::load(&voice_dir(), &[Voice::Ug]);
    assert!(errors.is_empty());
    let said = composed_samples(&store, &uyghur[1..]);
    assert!(
        ug_len >= zh_len + said,
        "{ug_len} samples, {zh_len} in Mandarin alone + {said} in Uyghur"
    );
}

#[test]
fn a_rendered_screen_guide_reads_the_screen() {
    let dir = tempfile::tempdir().unwrap();
    for (screen, lang) in [("service", "zh-CN"), ("confirmation", "en"), ("help", "ug")] {
        let out = dir.path().join(format!("{screen}-{lang}.wav"));
        let run = kiosk(
            dir.path(),
            &[
                "speak",
                "--screen",
                screen,
                "--lang",
                lang,
                "--out",
                out.to_str().unwrap(),
                "--json",
            ],
        );
        let report = stdout_json(&run);
        assert_eq!(report["missing"], serde_json::json!([]), "{screen} {lang}");
        let wav = read_wav(&out);
        let seconds = wav.samples.len() as f64 / f64::from(wav.rate);
        assert!(seconds > 3.0, "{screen} {lang}: {seconds} s");
        let loud = wav.samples.iter().filter(|s| s.unsigned_abs() > 1000).count();
        assert!(
            loud as f64 > wav.samples.len() as f64 * 0.1,
            "{screen} {lang}: mostly silent"
        );
    }
}

#[test]
fn speak_refuses_bad_requests_with_exit_code_2() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("x.wav");
    let o = out.to_str().unwrap();
    for (args, says) in [
        (
            vec!["speak", "--announce", "12", "--counter", "3", "--out", o],
            "not a ticket number",
        ),
        (
            vec!["speak", "--announce", "A012", "--counter", "0", "--out", o],
            "counter",
        ),
        (
            vec![
                "speak",
                "--announce",
                "A012",
                "--counter",
                "1",
                "--langs",
                "fr",
                "--out",
                o,
            ],
            "unknown voice",
        ),
        (vec!["speak", "--screen", "nowhere", "--out", o], "unknown screen"),
        (vec!["speak", "--announce", "A012", "--counter", "1"], "--out"),
    ] {
        let run = kiosk(dir.path(), &args);
        let err = String::from_utf8_lossy(&run.stderr);
        assert_eq!(run.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.contains(says), "{args:?}: {err}");
    }
    assert!(!out.exists());
}

/// What each voice is given to say (`kiosk speak --list`) is in its own language: no Latin words
/// in Mandarin clips but the spelled letters, no Chinese characters in English or Uyghur ones,
/// units in words, Uyghur figures with a suffix or an ordinal hyphen in words; and the shipped packs were made from exactly that.
#[test]
fn every_clip_is_spoken_in_its_own_language() {
    let dir = tempfile::tempdir().unwrap();
    let list = stdout_json(&kiosk(dir.path(), &["speak", "--list"]));
    let han = |t: &str| t.chars().any(|c| ('\u{3400}'..='\u{9fff}').contains(&c));
    // "1دىن", "3-كۆزنەك": the synthesiser reads the figure and then the suffix as a word.
    let figure_with_suffix = |t: &str| {
        let chars: Vec<char> = t.chars().collect();
        chars
            .windows(2)
            .any(|w| w[0].is_ascii_digit() && (w[1] == '-' || ('\u{0600}'..='\u{06ff}').contains(&w[1])))
    };
    let mut wrong = Vec::new();
    for clip in list.as_array().unwrap() {
        let (voice, id) = (clip["voice"].as_str().unwrap(), clip["id"].as_str().unwrap());
        let spoken = clip["spoken"].as_str().unwrap();
        let bad = match voice {
            "zh" | "yue" => !id.starts_with("letter-") && spoken.chars().any(|c| c.is_ascii_alphabetic()),
            "ug" => han(spoken) || spoken.contains("m²") || figure_with_suffix(spoken),
            _ => han(spoken) || spoken.contains("m²"),
        };
        if bad {
            wrong.push(format!("{voice} {id}: {spoken}"));
        }
        let manifest = pack::read_manifest(&voice_dir().join(voice)).unwrap();
        let entry = manifest.clips.iter().find(|c| c.id == id).unwrap();
        let made_from = entry.spoken.as_deref().unwrap_or(&entry.text);
        assert_eq!(made_from, spoken, "{voice} {id}: run scripts/voice-pack.py");
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// The Mandarin pack's readings (the pinyin each clip was made from, kept in its manifest):
/// 为 is wéi where it means "to be" (为准, 仅为, before a figure), quantities say 两, large
/// numbers have 万, and 一 and 不 change tone before a fourth tone (一个 yí gè, 不是 bú shì).
#[test]
fn mandarin_clips_are_read_right() {
    let text = std::fs::read_to_string(voice_dir().join("zh/manifest.json")).unwrap();
    let manifest: serde_json::Value = serde_json::from_str(&text).unwrap();
    let clips = manifest["clips"].as_array().unwrap();
    let reading = |id: &str| -> String {
        clips
            .iter()
            .find(|c| c["id"] == id)
            .and_then(|c| c["pinyin"].as_str())
            .unwrap_or_else(|| panic!("no pinyin for {id}"))
            .to_owned()
    };
    assert_eq!(reading(kiosk::speech::catalogue::COUNT_TWO), "liang3");
    assert_eq!(reading("num-10000"), "wan4");
    let mut checked = 0;
    for c in clips {
        let (Some(shown), Some(read)) = (c["text"].as_str(), c["pinyin"].as_str()) else {
            continue;
        };
        let id = c["id"].as_str().unwrap_or_default();
        for (phrase, wanted) in [
            ("为准", "wei2 zhun3"),
            ("仅为", "jin3 wei2"),
            ("一个", "yi2 ge4"),
            ("不是", "bu2 shi4"),
            ("不要", "bu2 yao4"),
        ] {
            if shown.contains(phrase) {
                assert!(
                    read.contains(wanted),
                    "{id}: {phrase} should be read {wanted}: {read}"
                );
                checked += 1;
            }
        }
        if shown.contains("为1") {
            assert!(
                read.contains("wei2 1"),
                "{id}: 为 before a figure is wei2: {read}"
            );
            checked += 1;
        }
    }
    assert!(checked >= 5, "only {checked} readings checked");
}
