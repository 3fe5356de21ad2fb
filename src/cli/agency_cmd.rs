//! `kiosk submit` and `kiosk outbox …`: the agency outbox without the UI.

use super::{CmdResult, Context, Failure, print_json};
use crate::agency::deliver::{self, Agency};
use crate::agency::outbox::{PreApplicationRequest, enqueue_pre_application};
use crate::agency::submission::Contact;
use crate::config::{Config, ConfigSource};
use crate::eligibility::{ScreeningInput, ScreeningOutput, screen};
use crate::lang::Lang;
use clap::Subcommand;
use kiosk_store::Store;
use kiosk_store::outbox_tables as table;
use serde::Serialize;
use std::path::PathBuf;

#[derive(Subcommand, Debug)]
pub enum OutboxCommand {
    /// How many submissions are pending, delivered and dead (and why the dead ones failed).
    Status {
        #[arg(long)]
        json: bool,
    },
    /// Try every pending submission now, once.
    Flush {
        #[arg(long)]
        json: bool,
    },
    /// Put dead letters back in the queue (after fixing what the agency refused).
    RetryDead {
        #[arg(long)]
        json: bool,
    },
}

fn runtime() -> Result<tokio::runtime::Runtime, Failure> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| Failure::failed(format!("cannot start the async runtime: {e}")))
}

/// The provisioned agency, with the key file resolved next to the provisioning file.
pub(super) fn agency(ctx: &Context) -> Result<(Config, Option<Agency>), Failure> {
    let (config, source) = ctx.load_config()?;
    let dir = match &source {
        ConfigSource::File(p) => p.parent().map(PathBuf::from),
        ConfigSource::EmbeddedDefaults => None,
    };
    let agency = Agency::from_config(&config, dir.as_deref()).map_err(Failure::failed)?;
    Ok((config, agency))
}

/// `kiosk submit`'s input, checked field by field: an unknown key or a value of the wrong type is
/// refused naming the field, never dropped (a misspelt `id_numbr` must not lose the ID number).
struct SubmitInput<'a> {
    screening: &'a serde_json::Value,
    contact: Contact,
    language: Lang,
}

impl<'a> SubmitInput<'a> {
    const FIELDS: [&'static str; 4] = ["screening", "contact", "language", "consent_given"];
    const CONTACT_FIELDS: [&'static str; 2] = ["phone", "id_number"];

    fn parse(value: &'a serde_json::Value) -> Result<Self, String> {
        use crate::eligibility::kind_of;
        let obj = value
            .as_object()
            .ok_or_else(|| format!("the input must be one JSON object, not {}", kind_of(value)))?;
        only_known(obj, "", &Self::FIELDS)?;
        match obj.get("consent_given") {
            Some(serde_json::Value::Bool(true)) => {}
            Some(serde_json::Value::Bool(false)) | None => {
                return Err(
                    "consent_given must be true: nothing is sent without the visitor's consent".into(),
                );
            }
            Some(other) => {
                return Err(format!(
                    "consent_given must be true or false, not {}",
                    kind_of(other)
                ));
            }
        }
        let language = match obj.get("language") {
            None => Lang::default(),
            Some(serde_json::Value::String(l)) => l.parse().map_err(|e| format!("language: {e}"))?,
            Some(other) => {
                return Err(format!(
                    "language must be a string (zh-CN, en or ug), not {}",
                    kind_of(other)
                ));
            }
        };
        let contact = obj
            .get("contact")
            .ok_or("contact is missing: give {\"phone\": …}")?;
        let contact = contact.as_object().ok_or_else(|| {
            format!(
                "contact must be an object with phone (and id_number), not {}",
                kind_of(contact)
            )
        })?;
        only_known(contact, "contact.", &Self::CONTACT_FIELDS)?;
        let phone = match contact.get("phone") {
            None => return Err("contact.phone is missing".into()),
            Some(serde_json::Value::String(p)) => p.as_str(),
            Some(other) => {
                return Err(format!(
                    "contact.phone must be a string like \"13912345678\", not {}",
                    kind_of(other)
                ));
            }
        };
        let id_number = match contact.get("id_number") {
            None | Some(serde_json::Value::Null) => None,
            Some(serde_json::Value::String(id)) => Some(id.as_str()),
            Some(other) => {
                return Err(format!(
                    "contact.id_number must be a string of 18 characters, not {}",
                    kind_of(other)
                ));
            }
        };
        let contact = Contact::validated(phone, id_number).map_err(|e| format!("contact: {e}"))?;
        let screening = obj
            .get("screening")
            .ok_or("screening is missing: give the screening input object")?;
        Ok(Self {
            screening,
            contact,
            language,
        })
    }
}

fn only_known(
    obj: &serde_json::Map<String, serde_json::Value>,
    prefix: &str,
    known: &[&str],
) -> Result<(), String> {
    match obj.keys().find(|k| !known.contains(&k.as_str())) {
        Some(unknown) => Err(format!(
            "{prefix}{} is not a field here; the fields are {}",
            crate::shorten::echo(unknown),
            known.join(", ")
        )),
        None => Ok(()),
    }
}

#[derive(Serialize)]
struct Submitted {
    local_reference: String,
    id: String,
    outcome: crate::eligibility::Outcome,
}

/// `kiosk submit < FILE`: a pre-application without the UI; the terminal screens it itself.
pub fn submit(ctx: &Context, json: bool) -> CmdResult {
    let (config, _) = ctx.load_config()?;
    let text = crate::fsutil::read_stdin_text()
        .map_err(|e| Failure::bad_input(format!("cannot read standard input: {e}")))?;
    let value: serde_json::Value = serde_json::from_str(&text)
        .map_err(|e| Failure::bad_input(format!("input is not valid JSON: {e}")))?;
    let SubmitInput {
        screening,
        contact,
        language,
    } = SubmitInput::parse(&value).map_err(Failure::bad_input)?;
    let now = ctx.clock.now();
    let today = now.with_timezone(&config.time_zone()).date_naive();
    let mut input = ScreeningInput::from_json(screening, today)
        .map_err(|e| Failure::bad_input(format!("screening input: {e}")))?;
    input.language = language;
    let policy = config
        .eligibility_policy(Some(&ctx.installed_policy()), None)
        .map_err(|e| Failure::bad_input(e.to_string()))?;
    let output = ScreeningOutput::new(&input, &screen(&policy, &input));
    let mut store = Store::open_in(&ctx.data_dir)?;
    let queued = enqueue_pre_application(
        &mut store,
        &config,
        &PreApplicationRequest {
            input: &input,
            output: &output,
            contact: &contact,
            ticket: None,
            consent_at: now,
        },
        now,
    )
    .map_err(Failure::failed)?;
    let out = Submitted {
        local_reference: queued.local_reference,
        id: queued.id,
        outcome: output.outcome,
    };
    if json {
        print_json(&out)
    } else {
        outln!(
            "saved as {}; it will be sent to the legal aid office",
            out.local_reference
        );
        Ok(())
    }
}

#[derive(Serialize)]
struct Status {
    pending: u64,
    delivered: u64,
    dead: u64,
    dead_letters: Vec<table::Entry>,
    agency: Option<String>,
}

pub fn outbox(ctx: &Context, cmd: OutboxCommand) -> CmdResult {
    let mut store = Store::open_in(&ctx.data_dir)?;
    let db = |e: kiosk_store::SqlError| Failure::failed(format!("outbox: {e}"));
    match cmd {
        OutboxCommand::Status { json } => {
            let (config, _) = ctx.load_config()?;
            let counts = store.read(table::counts).map_err(db)?;
            let dead_letters = store.read(table::dead).map_err(db)?;
            let status = Status {
                pending: counts.pending,
                delivered: counts.delivered,
                dead: counts.dead,
                dead_letters,
                agency: config.agency.map(|a| a.url),
            };
            if json {
                return print_json(&status);
            }
            outln!(
                "pending {}, delivered {}, dead {} (agency: {})",
                status.pending,
                status.delivered,
                status.dead,
                status.agency.as_deref().unwrap_or("not provisioned")
            );
            for d in &status.dead_letters {
                outln!(
                    "dead  {}  {}  {}",
                    d.local_reference,
                    d.kind,
                    d.last_error.as_deref().unwrap_or("")
                );
            }
            Ok(())
        }
        OutboxCommand::Flush { json } => {
            let (_, agency) = agency(ctx)?;
            let agency = agency.ok_or_else(|| {
                Failure::bad_input(
                    "no agency is provisioned: kiosk provision --agency-url URL --agency-key-file FILE",
                )
            })?;
            let report = runtime()?
                .block_on(deliver::drain(&mut store, &agency, ctx.clock.as_ref(), true))
                .map_err(Failure::failed)?;
            if json {
                print_json(&report)?;
            } else {
                outln!(
                    "attempted {}: delivered {}, will retry {}, dead {}",
                    report.attempted,
                    report.delivered,
                    report.retrying,
                    report.dead
                );
            }
            Ok(())
        }
        OutboxCommand::RetryDead { json } => {
            let n = store
                .write(|tx| table::retry_dead(tx, ctx.clock.now()))
                .map_err(db)?;
            if json {
                print_json(&serde_json::json!({ "requeued": n }))
            } else {
                outln!("{n} dead letters are pending again");
                Ok(())
            }
        }
    }
}
