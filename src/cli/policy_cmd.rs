//! `kiosk policy`: the screening policy in force on this terminal, importing a new one (a yearly
//! hardship standard arrives as a file, not as a new build) and going back to the previous one.

use super::{CmdResult, Context, Failure, print_json};
use crate::eligibility::DatedLine;
use crate::policy_store::{PolicySource, PolicyStoreError};
use chrono::NaiveDate;
use clap::Subcommand;
use serde::Serialize;
use std::path::PathBuf;

#[derive(Subcommand, Debug)]
pub enum PolicyCommand {
    /// The policy in force: where it comes from, its standards and review lines, today's figure.
    Show {
        #[arg(long)]
        json: bool,
    },
    /// Check a policy file and install it (the one it replaces is kept for rollback). The kiosk
    /// screens with it from its next start.
    Import {
        file: PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// Go back to the policy before the last import (or, after the first, to the shipped one).
    Rollback {
        #[arg(long)]
        json: bool,
    },
}

/// What `show` reports (and `import`/`rollback` after their change).
#[derive(Serialize)]
struct PolicyReport {
    source: PolicySource,
    can_roll_back: bool,
    today: NaiveDate,
    /// The figure that screens today (with the yearly standards provisioned in the
    /// configuration), or null: means-tested screenings are then referred to staff.
    standard_today: Option<u64>,
    standards: Vec<DatedLine>,
    review_lines: Vec<DatedLine>,
}

pub fn run(ctx: &Context, cmd: PolicyCommand) -> CmdResult {
    let store = ctx.installed_policy();
    let json = match &cmd {
        PolicyCommand::Show { json }
        | PolicyCommand::Import { json, .. }
        | PolicyCommand::Rollback { json } => *json,
    };
    match cmd {
        PolicyCommand::Show { .. } => {}
        PolicyCommand::Import { file, .. } => {
            store.import(&file, ctx.clock.now()).map_err(|e| match e {
                PolicyStoreError::Refused(e) => Failure::bad_input(format!(
                    "{e} — nothing was installed; the policy in force is unchanged"
                )),
                unreadable @ PolicyStoreError::Unreadable { .. } => Failure::bad_input(format!(
                    "{unreadable} — nothing was installed; the policy in force is unchanged"
                )),
                other => Failure::failed(other.to_string()),
            })?;
            tracing::info!(file = %file.display(), "screening policy imported");
        }
        PolicyCommand::Rollback { .. } => {
            store.rollback().map_err(|e| match e {
                PolicyStoreError::NothingToRollBack => Failure::bad_input(e.to_string()),
                other => Failure::failed(other.to_string()),
            })?;
            tracing::info!("screening policy rolled back");
        }
    }
    let report = report(ctx, &store)?;
    if json { print_json(&report) } else { show(&report) }
}

fn report(ctx: &Context, store: &crate::policy_store::PolicyStore) -> Result<PolicyReport, Failure> {
    let (config, _) = ctx.load_config()?;
    let unusable = |e: crate::eligibility::PolicyError| {
        Failure::failed(format!(
            "{e} — import a good policy or run `kiosk policy rollback`"
        ))
    };
    let (installed, source) = store.load().map_err(unusable)?;
    let policy = installed.with_provisioned(&config.policy.yearly_standard);
    let today = ctx.clock.now().with_timezone(&config.time_zone()).date_naive();
    Ok(PolicyReport {
        source,
        can_roll_back: store.can_roll_back(),
        today,
        standard_today: policy.standard_on(today).and_then(|s| s.monthly_per_capita),
        standards: policy.standards,
        review_lines: policy.review_lines,
    })
}

fn show(r: &PolicyReport) -> CmdResult {
    match &r.source {
        PolicySource::Shipped => outln!("policy: the shipped one (assets/policy/guangzhou.toml)"),
        PolicySource::Installed { file, provenance } => {
            outln!("policy: installed, {}", file.display());
            if let Some(p) = provenance {
                outln!(
                    "  imported {} from {} (sha256 {})",
                    p.imported_at,
                    p.imported_from,
                    p.sha256
                );
            }
        }
    }
    outln!(
        "rollback: {}",
        if r.can_roll_back {
            "possible"
        } else {
            "nothing to go back to"
        }
    );
    match r.standard_today {
        Some(yuan) => outln!(
            "today ({}): hardship standard {yuan} yuan per person per month",
            r.today
        ),
        None => outln!(
            "today ({}): NO hardship standard figure — means-tested screenings are referred to staff",
            r.today
        ),
    }
    for (title, lines) in [("standards", &r.standards), ("review lines", &r.review_lines)] {
        outln!("{title}:");
        for l in lines.iter() {
            let until = l.until.map_or("open".to_owned(), |u| u.to_string());
            let figure = l
                .monthly_per_capita
                .map_or("no figure".to_owned(), |y| format!("{y} yuan"));
            outln!(
                "  {} – {until:<10}  {figure:<10}  {}",
                l.from,
                l.source.as_deref().unwrap_or(&l.basis)
            );
        }
    }
    Ok(())
}
