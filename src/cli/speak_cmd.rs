//! `kiosk speak`: what the speakers would play, rendered into a WAV file without a sound card;
//! the clip list the voice-pack script synthesises; and a check of the installed packs.

use super::{CmdResult, Context, Failure, print_json};
use crate::lang::Lang;
use crate::queue::DisplayNumber;
use crate::speech::catalogue::{self, ClipSpec};
use crate::speech::compose::{self, Part};
use crate::speech::engine::{self, RATE};
use crate::speech::pack::{self, ClipStore};
use crate::speech::wav::{Offline, write_wav};
use crate::speech::{Voice, parse_voices};
use clap::Args;
use serde::Serialize;
use std::path::PathBuf;
use std::sync::Arc;

#[derive(Args, Debug)]
pub struct SpeakArgs {
    /// A call: the ticket number, e.g. A012 (with --counter).
    #[arg(long, value_name = "NUMBER", conflicts_with_all = ["screen", "list", "check"], requires = "counter")]
    announce: Option<String>,
    /// The counter the ticket is called to.
    #[arg(long, value_name = "N")]
    counter: Option<u32>,
    /// Call languages in order (default: the provisioned ones, zh,yue,en).
    #[arg(long, value_name = "LIST")]
    langs: Option<String>,
    /// With --announce: the language the ticket was taken in (zh-CN, en, ug); the call adds it
    /// when the call languages do not include it, as the hall does.
    #[arg(long, value_name = "L", requires = "announce")]
    ticket_lang: Option<crate::lang::Lang>,
    /// A screen's spoken guide: home, service, confirmation, wizard-question, … (as in screenshots).
    #[arg(long, value_name = "ID", conflicts_with_all = ["list", "check"])]
    screen: Option<String>,
    /// The screen's language (zh-CN, en, ug).
    #[arg(long, value_name = "L", default_value = "zh-CN")]
    lang: Lang,
    /// Where to write the WAV file.
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
    /// The clips every voice pack needs, as JSON (scripts/voice-pack.py synthesises them).
    #[arg(long)]
    list: bool,
    /// Check the installed voice packs: every clip the kiosk needs is listed and decodes.
    #[arg(long)]
    check: bool,
    #[arg(long)]
    json: bool,
}

#[derive(Serialize)]
struct Rendered {
    file: PathBuf,
    seconds: f64,
    clips: usize,
    missing: Vec<String>,
}

#[derive(Serialize)]
struct PackReport {
    voice: Voice,
    required: usize,
    missing: Vec<String>,
    undecodable: Vec<String>,
    error: Option<String>,
}

pub fn run(ctx: &Context, args: SpeakArgs) -> CmdResult {
    let (config, _) = ctx.load_config()?;
    if args.list {
        let specs: Vec<ClipSpec> = Voice::ALL
            .iter()
            .flat_map(|v| catalogue::required(*v, |lang| config.spoken_names(lang)))
            .collect();
        return print_json(&specs);
    }
    if args.check {
        return check(&config, &ctx.data_dir, args.json);
    }
    let out = args
        .out
        .clone()
        .ok_or_else(|| Failure::bad_input("--out FILE.wav is needed to render speech"))?;
    let (voices, parts) = if let Some(number) = &args.announce {
        let number: DisplayNumber = number.parse().map_err(Failure::bad_input)?;
        let counter = args.counter.unwrap_or(0);
        if counter == 0 {
            return Err(Failure::bad_input("--counter must be a counter number from 1"));
        }
        let voices = match &args.langs {
            Some(list) => parse_voices(list).map_err(Failure::bad_input)?,
            None => config.speech.call_languages.clone(),
        };
        let voices = match args.ticket_lang {
            Some(lang) => compose::call_voices(&voices, lang.code()),
            None => voices,
        };
        (
            voices.clone(),
            compose::call(&number.to_string(), counter, &voices),
        )
    } else if let Some(screen) = &args.screen {
        let parts = crate::ui::screenshot::screen_guides(&config, &[(screen.as_str(), args.lang)])
            .map_err(Failure::bad_input)?
            .remove(0);
        // Every screen voice: the language screen says each language's name in its own voice.
        (vec![Voice::Zh, Voice::En, Voice::Ug], parts)
    } else {
        return Err(Failure::bad_input(
            "say what to render: --announce NUMBER --counter N, or --screen ID --lang L",
        ));
    };
    let (store, errors) = ClipStore::load(
        &crate::speech::pack::voice_dir_in(&config.speech, &ctx.data_dir),
        &voices,
    );
    if let Some(e) = errors.first() {
        return Err(Failure::failed(e.to_string()));
    }
    let missing = engine::missing_clips(&store, &parts);
    let clips = parts.iter().filter(|p| !matches!(p, Part::Gap(_))).count();
    let mut offline = Offline::new(Arc::new(store));
    if args.announce.is_some() {
        offline.speaker.announce(&parts);
    } else {
        offline.speaker.guide(parts);
    }
    let samples = offline.drain(600);
    write_wav(&out, &samples, RATE)
        .map_err(|e| Failure::failed(format!("cannot write {}: {e}", out.display())))?;
    let report = Rendered {
        file: out,
        seconds: samples.len() as f64 / f64::from(RATE),
        clips,
        missing,
    };
    if args.json {
        print_json(&report)?;
    } else {
        outln!(
            "{}: {:.2} s, {} sounds{}",
            report.file.display(),
            report.seconds,
            report.clips,
            if report.missing.is_empty() {
                String::new()
            } else {
                format!(
                    ", {} missing: {}",
                    report.missing.len(),
                    report.missing.join(", ")
                )
            }
        );
    }
    if report.missing.is_empty() {
        Ok(())
    } else {
        Err(Failure::failed(
            "some clips are missing from the voice pack; run scripts/voice-pack.py",
        ))
    }
}

fn check(config: &crate::config::Config, data_dir: &std::path::Path, json: bool) -> CmdResult {
    let root = crate::speech::pack::voice_dir_in(&config.speech, data_dir);
    let reports: Vec<PackReport> = Voice::ALL
        .iter()
        .map(|&voice| {
            let required = catalogue::required(voice, |lang| config.spoken_names(lang));
            match pack::check(&root.join(voice.code()), &required) {
                Ok(c) => PackReport {
                    voice,
                    required: required.len(),
                    missing: c.missing,
                    undecodable: c.undecodable,
                    error: None,
                },
                Err(e) => PackReport {
                    voice,
                    required: required.len(),
                    missing: Vec::new(),
                    undecodable: Vec::new(),
                    error: Some(e.to_string()),
                },
            }
        })
        .collect();
    let ok = reports
        .iter()
        .all(|r| r.error.is_none() && r.missing.is_empty() && r.undecodable.is_empty());
    if json {
        print_json(&reports)?;
    } else {
        for r in &reports {
            match &r.error {
                Some(e) => outln!("{}: {e}", r.voice),
                None => outln!(
                    "{}: {} clips needed, {} missing, {} undecodable",
                    r.voice,
                    r.required,
                    r.missing.len(),
                    r.undecodable.len()
                ),
            }
            for m in r.missing.iter().chain(&r.undecodable).take(10) {
                outln!("  {m}");
            }
        }
    }
    if ok {
        Ok(())
    } else {
        Err(Failure::failed(format!(
            "the voice packs in {} are incomplete; run scripts/voice-pack.py",
            root.display()
        )))
    }
}
