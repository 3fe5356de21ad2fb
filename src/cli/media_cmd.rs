//! `kiosk media`: the sign-language pack — what it must hold, whether a pack is sound, and
//! installing one that the office sent.

use super::{CmdResult, Context, Failure, print_json};
use crate::media::pack::{self, PROMPTS, VerifyReport};
use clap::Subcommand;
use std::path::PathBuf;

#[derive(Subcommand, Debug)]
pub enum MediaCommand {
    /// The prompts that need a clip and their caption messages (for scripts/media-pack.py).
    List {
        #[arg(long)]
        json: bool,
    },
    /// Check a pack (default: the one in use): files, checksums, decoding, lengths, ids.
    Verify {
        dir: Option<PathBuf>,
        #[arg(long)]
        json: bool,
    },
    /// Install a pack after verifying it; the kiosk uses it from its next start.
    Import {
        dir: PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// Go back to the pack the last import replaced (a second rollback undoes the first).
    Rollback,
}

pub fn run(ctx: &Context, cmd: MediaCommand) -> CmdResult {
    match cmd {
        MediaCommand::List { json } => {
            let list: Vec<_> = PROMPTS
                .iter()
                .map(|(id, caption)| serde_json::json!({"id": id, "caption": caption}))
                .collect();
            if json {
                print_json(&list)
            } else {
                for (id, caption) in PROMPTS {
                    outln!("{id:<22} {caption}");
                }
                Ok(())
            }
        }
        MediaCommand::Verify { dir, json } => {
            let dir = dir.unwrap_or_else(|| pack::active_dir(&ctx.data_dir));
            let report = pack::verify(&dir);
            show(&report, json)?;
            if report.ok() {
                Ok(())
            } else {
                Err(Failure::failed(format!(
                    "the media pack in {} has problems (above)",
                    dir.display()
                )))
            }
        }
        MediaCommand::Import { dir, json } => {
            let target = pack::imported_dir(&ctx.data_dir);
            match pack::import(&dir, &target) {
                Ok(report) => {
                    show(&report, json)?;
                    if !json {
                        outln!(
                            "installed in {}; the kiosk uses it from its next start",
                            target.display()
                        );
                    }
                    Ok(())
                }
                Err(report) => {
                    show(&report, json)?;
                    Err(Failure::bad_input(format!(
                        "{} was not installed: fix the problems above and import again",
                        dir.display()
                    )))
                }
            }
        }
        MediaCommand::Rollback => {
            pack::rollback(&pack::imported_dir(&ctx.data_dir)).map_err(Failure::bad_input)?;
            tracing::info!("sign-language pack rolled back");
            outln!(
                "the sign-language pack in use is now {}; the kiosk uses it from its next start",
                pack::active_dir(&ctx.data_dir).display()
            );
            Ok(())
        }
    }
}

fn show(r: &VerifyReport, json: bool) -> CmdResult {
    if json {
        return print_json(r);
    }
    outln!("{}: {} clips", r.dir.display(), r.clips);
    for problem in r.problems() {
        outln!("  {problem}");
    }
    if r.ok() {
        outln!("  ok");
    }
    Ok(())
}
