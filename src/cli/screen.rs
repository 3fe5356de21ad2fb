//! `kiosk screen`: the screening contract — one JSON object on stdin, one on stdout.

use super::{CmdResult, Context, Failure, print_json};
use crate::eligibility::{ScreeningInput, ScreeningOutput, screen};
use std::path::PathBuf;

pub fn run(ctx: &Context, policy_file: Option<PathBuf>) -> CmdResult {
    let (config, _) = ctx.load_config()?;
    let policy = config
        .eligibility_policy(Some(&ctx.installed_policy()), policy_file.as_deref())
        .map_err(|e| Failure::bad_input(e.to_string()))?;
    let text = crate::fsutil::read_stdin_text()
        .map_err(|e| Failure::bad_input(format!("screening input: cannot read standard input: {e}")))?;
    let today = ctx.clock.now().with_timezone(&config.time_zone()).date_naive();
    let input = ScreeningInput::from_json_text(&text, today)
        .map_err(|e| Failure::bad_input(format!("screening input: {e}")))?;
    let decision = screen(&policy, &input);
    print_json(&ScreeningOutput::new(&input, &decision))
}
