//! `kiosk doctor`: what a technician checks first. Each check says ok, warn, fail or
//! not_configured, and what to do about anything but ok.

use super::{CmdResult, Context, Failure, print_json};
use crate::config::{Config, ConfigSource};
use crate::i18n::TechText;
use crate::policy_store::{PolicySource, PolicyStore};
use crate::tech;
use crate::technician::health::{Check, Devices, Status, check, check_all};
use chrono::{DateTime, Datelike, Utc};
use kiosk_store::Store;
use std::path::Path;

/// The clock of a terminal that lost its battery reads 1970 or the firmware's build year.
const EARLIEST_PLAUSIBLE_YEAR: i32 = 2026;
const DISK_WARN_BYTES: u64 = 500 * 1024 * 1024;
const DISK_FAIL_BYTES: u64 = 50 * 1024 * 1024;

pub fn run(ctx: &Context, json: bool) -> CmdResult {
    let checks = checks(ctx, Devices::Probe);
    let failed = checks.iter().any(|c| c.status == Status::Fail);
    if json {
        print_json(&serde_json::json!({ "healthy": !failed, "checks": checks }))?;
    } else {
        for c in &checks {
            let mark = match c.status {
                Status::Ok => "ok  ",
                Status::Warn => "WARN",
                Status::Fail => "FAIL",
                Status::NotConfigured => "--  ",
            };
            outln!("{mark} {:<9} {}", c.name, c.detail(crate::lang::Lang::En));
        }
    }
    if failed {
        Err(Failure::failed("some checks failed (see above)"))
    } else {
        Ok(())
    }
}

/// Every check, in the order a technician reads them. With `Devices::InUse` the printer is left
/// out and the sound card is not opened (the running kiosk holds both).
pub(crate) fn checks(ctx: &Context, devices: Devices) -> Vec<Check> {
    let mut checks = Vec::new();
    let config = match ctx.load_config() {
        Ok((config, source)) => {
            let detail = match &source {
                ConfigSource::File(p) => tech!(
                    "{0} is valid (hall {1}, terminal {2})",
                    p.display(),
                    config.hall.id,
                    config.terminal.id
                ),
                ConfigSource::EmbeddedDefaults => {
                    tech!("not provisioned: running on built-in defaults (run `kiosk provision`)")
                }
            };
            let status = if source == ConfigSource::EmbeddedDefaults {
                Status::Warn
            } else {
                Status::Ok
            };
            checks.push(check("config", status, detail));
            Some(config)
        }
        Err(f) => {
            checks.push(check("config", Status::Fail, TechText::as_is(f.message)));
            None
        }
    };
    checks.push(database(&ctx.data_dir));
    checks.push(disk(&ctx.data_dir));
    checks.push(clock(ctx.clock.now(), config.as_ref()));
    checks.push(hardship_standard(
        ctx.clock.now(),
        config.as_ref(),
        &ctx.installed_policy(),
    ));
    if let Some(config) = &config {
        if devices == Devices::Probe {
            checks.push(printer(config, &ctx.data_dir));
        }
        checks.push(audio(config, &ctx.data_dir, devices));
    }
    checks.push(media(&ctx.data_dir));
    checks.push(agency(ctx));
    if let Some(config) = &config {
        checks.push(hall_link(ctx, config));
    }

    checks
}

/// Certificates this close to expiry are warned about.
const CERTIFICATE_WARN_DAYS: i64 = 30;
/// Clocks further apart than this disagree about who waited how long.
const SKEW_WARN_SECONDS: i64 = 30;
const SKEW_FAIL_SECONDS: i64 = 300;

/// The hall network: on the hall host, whether the API serves; on every other terminal, its
/// certificate, the connection to the host and the clocks' agreement.
fn hall_link(ctx: &Context, config: &Config) -> Check {
    use crate::hall::pki;
    const NAME: &str = "hall";
    if config.terminal.role == crate::config::Role::HallHost {
        let ca = ctx.data_dir.join(pki::TLS_DIR).join(pki::CA_CERT);
        return match crate::fsutil::read_text(&ca, crate::fsutil::KEY_LIMIT) {
            Ok(pem) => {
                let fingerprint = pki::first_der(&pem)
                    .map(|d| kiosk_core::digest::sha256_hex(&d))
                    .unwrap_or_default();
                check(
                    NAME,
                    Status::Ok,
                    tech!(
                        "this is the hall host; the hall API listens on {0} (CA fingerprint {1}); `kiosk provision --terminals` lists the terminals",
                        config.hall_api.listen,
                        fingerprint
                    ),
                )
            }
            Err(_) => check(
                NAME,
                Status::NotConfigured,
                tech!(
                    "this is the hall host; no terminal is enrolled yet, so the hall API is off (`kiosk provision --enroll ID --role ROLE` starts it)"
                ),
            ),
        };
    }
    let tls = match crate::hall::client::TerminalTls::load(&ctx.data_dir) {
        Ok(tls) => tls,
        Err(e) => return check(NAME, Status::Fail, TechText::as_is(e.message)),
    };
    let now = ctx.clock.now();
    let mut warnings = Vec::new();
    match pki::expiry(&tls.cert_pem) {
        Ok(end) if end <= now => {
            return check(
                NAME,
                Status::Fail,
                tech!(
                    "this terminal's certificate expired on {0}; make a code on the hall host and run `kiosk join` again",
                    end.format("%Y-%m-%d")
                ),
            );
        }
        Ok(end) if (end - now).num_days() < CERTIFICATE_WARN_DAYS => warnings.push(tech!(
            "the certificate expires on {0}: make a code on the hall host and run `kiosk join` again",
            end.format("%Y-%m-%d")
        )),
        Ok(_) => {}
        Err(e) => {
            return check(
                NAME,
                Status::Fail,
                tech!("this terminal's certificate: {0}; run `kiosk join` again", e),
            );
        }
    }
    let client = match crate::hall::client::HallClient::with_tls(config, &tls) {
        Ok(c) => c,
        Err(e) => return check(NAME, Status::Fail, TechText::as_is(e.message)),
    };
    let (status, headers, body) = match client.get_raw("/v1/summary") {
        Ok(answer) => answer,
        Err(e) => return check(NAME, Status::Fail, TechText::as_is(e.message)),
    };
    if status != 200 {
        let why = serde_json::from_slice::<kiosk_contract::HallError>(&body)
            .map_or_else(|_| format!("status {status}"), |e| e.message);
        return check(
            NAME,
            Status::Fail,
            tech!("the hall host {0} refused: {1}", client.base(), why),
        );
    }
    let host_time = headers
        .get(reqwest::header::DATE)
        .and_then(|d| d.to_str().ok())
        .and_then(|d| DateTime::parse_from_rfc2822(d).ok())
        .map(|d| d.with_timezone(&Utc));
    let mut status = Status::Ok;
    if let Some(host_time) = host_time {
        let skew = (now - host_time).num_seconds();
        if skew.abs() > SKEW_WARN_SECONDS {
            warnings.push(tech!(
                "this terminal's clock is {0} s off the hall host's; set both from the same time source (NTP)",
                skew
            ));
        }
        if skew.abs() > SKEW_FAIL_SECONDS {
            status = Status::Fail;
        }
    }
    if warnings.is_empty() {
        return check(
            NAME,
            status,
            tech!("connected to the hall host {0} over mutual TLS", client.base()),
        );
    }
    if status == Status::Ok {
        status = Status::Warn;
    }
    let mut details = vec![tech!("connected to {0}", client.base())];
    details.append(&mut warnings);
    check_all(NAME, status, details)
}

/// The sound card and the voice packs. Without either the kiosk works, silently: a warning.
fn audio(config: &Config, data_dir: &Path, devices: Devices) -> Check {
    use crate::speech::{catalogue, pack};
    if !config.speech.enabled {
        return check(
            "audio",
            Status::NotConfigured,
            tech!("speech is switched off (speech.enabled = false)"),
        );
    }
    let root = crate::speech::pack::voice_dir_in(&config.speech, data_dir);
    let voices = crate::speech::service::voices_for(config);
    let mut problems = Vec::new();
    for voice in voices {
        let dir = root.join(voice.code());
        match pack::read_manifest(&dir) {
            Err(e) => problems.push(TechText::as_is(e.to_string())),
            Ok(m) => {
                let listed: std::collections::HashSet<&str> = m
                    .clips
                    .iter()
                    .filter(|c| dir.join(&c.file).is_file())
                    .map(|c| c.id.as_str())
                    .collect();
                let missing: Vec<String> = catalogue::required(voice, |lang| config.spoken_names(lang))
                    .into_iter()
                    .filter(|spec| !listed.contains(spec.id.as_str()))
                    .map(|spec| spec.text)
                    .collect();
                if !missing.is_empty() {
                    problems.push(tech!(
                        "{0} pack lacks {1} clips (e.g. “{2}”): run scripts/voice-pack.py",
                        voice,
                        missing.len(),
                        missing[0]
                    ));
                }
            }
        }
    }
    if devices == Devices::InUse {
        return if problems.is_empty() {
            check(
                "audio",
                Status::Ok,
                tech!("voice packs in {0} complete", root.display()),
            )
        } else {
            check_all("audio", Status::Warn, problems)
        };
    }
    let device = rodio::DeviceSinkBuilder::open_default_sink().map(|mut sink| {
        sink.log_on_drop(false);
        let c = sink.config();
        format!("{} Hz, {} channels", c.sample_rate(), c.channel_count())
    });
    let (status, mut details) = match (device, problems.is_empty()) {
        (Ok(out), true) => (
            Status::Ok,
            vec![
                tech!("sound output {0}", out),
                tech!("voice packs in {0} complete", root.display()),
            ],
        ),
        (Ok(out), false) => (Status::Warn, vec![tech!("sound output {0}", out)]),
        (Err(e), _) => (
            Status::Warn,
            vec![tech!(
                "no sound output ({0}): the kiosk runs without speech. Check the speakers and `aplay -l`",
                e
            )],
        ),
    };
    details.append(&mut problems);
    check_all("audio", status, details)
}

/// The sign-language pack in use: sound, and whether it is still the synthetic placeholders.
fn media(data_dir: &Path) -> Check {
    use crate::media::pack;
    let dir = pack::active_dir(data_dir);
    let report = pack::verify(&dir);
    if !report.ok() {
        return check(
            "media",
            Status::Warn,
            tech!(
                "sign-language pack in {0} has {1}: see `kiosk media verify`; the panel says when a clip is missing",
                dir.display(),
                report.summary()
            ),
        );
    }
    let placeholders = pack::Manifest::read(&dir).is_ok_and(|m| m.source.contains("synthetic"));
    if placeholders {
        check(
            "media",
            Status::Warn,
            tech!(
                "{0} clips are synthetic placeholders: import the office's recordings with `kiosk media import DIR`",
                report.clips
            ),
        )
    } else {
        check(
            "media",
            Status::Ok,
            tech!("{0} sign-language clips in {1}", report.clips, dir.display()),
        )
    }
}

/// The key file, and what waits in the outbox: dead letters and old pending submissions need a
/// technician (the network, the URL, the key).
fn agency(ctx: &Context) -> Check {
    use kiosk_store::outbox_tables as table;
    let agency = match super::agency_cmd::agency(ctx) {
        Ok((_, Some(_))) => true,
        Ok((_, None)) => false,
        Err(f) => return check("agency", Status::Fail, TechText::as_is(f.message)),
    };
    let outbox = Store::open_in(&ctx.data_dir).map(|mut s| {
        let counts = s.read(table::counts);
        let oldest = s.read(table::oldest_pending);
        (counts, oldest)
    });
    let (counts, oldest) = match outbox {
        Ok((Ok(c), Ok(n))) => (c, n),
        _ => return check("agency", Status::Fail, tech!("the outbox cannot be read")),
    };
    let waiting = tech!(
        "outbox: {0} pending, {1} delivered, {2} dead",
        counts.pending,
        counts.delivered,
        counts.dead
    );
    if !agency {
        let status = if counts.pending > 0 {
            Status::Warn
        } else {
            Status::NotConfigured
        };
        return check_all(
            "agency",
            status,
            vec![
                tech!("no agency endpoint provisioned (kiosk provision --agency-url … --agency-key-file …)"),
                waiting,
            ],
        );
    }
    let stale = oldest.is_some_and(|at| ctx.clock.now() - at > chrono::Duration::hours(1));
    if counts.dead > 0 {
        check_all(
            "agency",
            Status::Warn,
            vec![
                waiting,
                tech!("see `kiosk outbox status`, fix the cause, then `kiosk outbox retry-dead`"),
            ],
        )
    } else if stale {
        check_all(
            "agency",
            Status::Warn,
            vec![
                waiting,
                tech!("a submission has waited over an hour: check the network and the agency URL"),
            ],
        )
    } else {
        check_all("agency", Status::Ok, vec![tech!("key file readable"), waiting])
    }
}

/// Asks the printer itself (DLE EOT), and mentions an unresolved problem the kiosk recorded.
/// A file printer's folder must take a file: tried for real, so a folder that is a regular file
/// or read-only fails here and not at a visitor's ticket.
fn file_printer_dir_problem(dir: &Path) -> Option<TechText> {
    let probe = dir.join(".doctor-probe");
    let tried = std::fs::create_dir_all(dir)
        .and_then(|()| std::fs::write(&probe, b"probe"))
        .and_then(|()| std::fs::remove_file(&probe));
    tried.err().map(|e| {
        tech!(
            "receipts cannot be written to {0} ({1}): make it a writable folder or set printer.dir",
            dir.display(),
            e
        )
    })
}

fn printer(config: &Config, data_dir: &Path) -> Check {
    if config.printer.kind == crate::config::PrinterKind::File
        && let Some(problem) = file_printer_dir_problem(&config.printer_dir(data_dir))
    {
        return check("printer", Status::Fail, problem);
    }
    let mut printer = crate::printer::Printer::new(config.printer.clone(), config.printer_dir(data_dir));
    let name = printer.describe();
    let recorded = Store::open_in(data_dir).ok().and_then(|mut s| {
        crate::printing::printer_attention(&mut s, &config.terminal.id)
            .ok()
            .flatten()
    });
    let baud = config.printer.baud.unwrap_or(9600);
    let slow_serial = config.printer.kind == crate::config::PrinterKind::Serial && baud < 38_400;
    let ready = tech!("{0}: ready, {1} mm paper", name, config.printer.paper_width_mm);
    let (status, mut details) = match printer.status() {
        Ok(s) if s.problem().is_none() && !s.paper_near_end && slow_serial => (
            Status::Warn,
            vec![
                ready,
                tech!(
                    "at {0} baud a Uyghur ticket (drawn, about 16 KB) takes over 10 s to send; set printer and terminal to 115200 baud",
                    baud
                ),
            ],
        ),
        Ok(s) if s.problem().is_none() && !s.paper_near_end => (Status::Ok, vec![ready]),
        Ok(s) if s.problem().is_none() => (
            Status::Warn,
            vec![tech!("{0}: paper is running low; have a new roll ready", name)],
        ),
        Ok(s) => {
            let problem = s.problem().map(|p| p.text());
            let details = std::iter::once(TechText::as_is(name)).chain(problem).collect();
            return check_all("printer", Status::Fail, details);
        }
        Err(problem) => {
            return check_all(
                "printer",
                Status::Fail,
                vec![TechText::as_is(name), problem.text()],
            );
        }
    };
    if config.ticket_status_url().is_none() {
        details.push(tech!(
            "no status link provisioned, so tickets carry no QR code (kiosk provision --public-url … on the hall host, or --status-url …)"
        ));
    }
    if let Some(e) = recorded {
        details.push(tech!(
            "last problem recorded {0}: {1}",
            e.at.format("%Y-%m-%d %H:%M UTC"),
            e.detail.unwrap_or_default()
        ));
    }
    check_all("printer", status, details)
}

fn database(data_dir: &Path) -> Check {
    let health = Store::open_in(data_dir)
        .map_err(|e| TechText::as_is(e.to_string()))
        .and_then(|mut s| {
            let path = s.path().display().to_string();
            s.check_writable().map_err(|e| {
                tech!(
                    "{0} cannot be written by this user ({1}): no ticket could be issued — give the kiosk's user write access to the file and its folder",
                    path,
                    e
                )
            })?;
            s.health()
                .map(|h| (path, h))
                .map_err(|e| TechText::as_is(e.to_string()))
        });
    match health {
        Ok((path, h)) if h.integrity == "ok" && h.journal_mode == "wal" && h.synchronous_full => check(
            "database",
            Status::Ok,
            tech!(
                "{0}: integrity ok, WAL, synchronous=FULL, schema {1}",
                path,
                h.schema_version
            ),
        ),
        Ok((path, h)) => check(
            "database",
            Status::Fail,
            tech!(
                "{0}: integrity '{1}', journal {2}, synchronous full: {3} — restore from backup or call support",
                path,
                h.integrity,
                h.journal_mode,
                h.synchronous_full
            ),
        ),
        Err(e) => check("database", Status::Fail, e),
    }
}

fn disk(data_dir: &Path) -> Check {
    match rustix::fs::statvfs(data_dir) {
        Ok(s) => {
            let free = s.f_bavail.saturating_mul(s.f_frsize);
            let mib = free / (1024 * 1024);
            let status = match free {
                f if f < DISK_FAIL_BYTES => Status::Fail,
                f if f < DISK_WARN_BYTES => Status::Warn,
                _ => Status::Ok,
            };
            let found = tech!("{0} MiB free in {1}", mib, data_dir.display());
            if status == Status::Ok {
                return check("disk", status, found);
            }
            check_all(
                "disk",
                status,
                vec![found, tech!("free space: old receipt previews and logs can go")],
            )
        }
        Err(e) => check(
            "disk",
            Status::Fail,
            tech!("cannot read free space of {0}: {1}", data_dir.display(), e),
        ),
    }
}

fn hardship_standard(now: DateTime<Utc>, config: Option<&Config>, installed: &PolicyStore) -> Check {
    let fallback = Config::default();
    let config = config.unwrap_or(&fallback);
    let today = now.with_timezone(&config.time_zone()).date_naive();
    let (policy, source) = match installed.load() {
        Ok((p, source)) => (p.with_provisioned(&config.policy.yearly_standard), source),
        Err(e) => {
            return check_all(
                "policy",
                Status::Fail,
                vec![
                    TechText::as_is(e.to_string()),
                    tech!(
                        "import a good policy with `kiosk policy import FILE` or go back with `kiosk policy rollback`"
                    ),
                ],
            );
        }
    };
    let from = match source {
        PolicySource::Installed {
            provenance: Some(p), ..
        } => tech!(
            "installed policy from {0}, imported {1}",
            p.imported_from,
            p.imported_at
        ),
        PolicySource::Installed { file, .. } => tech!("installed policy {0}", file.display()),
        PolicySource::Shipped => tech!("shipped policy"),
    };
    match policy.standard_on(today) {
        Some(s) if s.monthly_per_capita.is_some() => check_all(
            "policy",
            Status::Ok,
            vec![
                tech!(
                    "hardship standard {0} yuan per person per month since {1}",
                    s.monthly_per_capita.unwrap_or(0),
                    s.from
                ),
                from,
            ],
        ),
        _ => check_all(
            "policy",
            Status::Warn,
            vec![
                from,
                tech!(
                    "no hardship standard figure covers today ({0}): means-tested screenings are referred to staff",
                    today
                ),
                tech!(
                    "import this year's policy with `kiosk policy import FILE`, or enter the office's yearly figure with `kiosk provision --hardship-standard YUAN --hardship-from DATE`"
                ),
            ],
        ),
    }
}

fn clock(now: DateTime<Utc>, config: Option<&Config>) -> Check {
    let fallback = Config::default();
    let config = config.unwrap_or(&fallback);
    let tz = config.time_zone();
    let local = now.with_timezone(&tz);
    let day = crate::queue::business_day(now, tz, config.rollover_time());
    let found = tech!(
        "{0} ({1}), business day {2}",
        local.format("%Y-%m-%d %H:%M:%S %Z"),
        tz.name(),
        day
    );
    if now.year() < EARLIEST_PLAUSIBLE_YEAR || now.year() > 2100 {
        return check_all(
            "clock",
            Status::Fail,
            vec![
                found,
                tech!("the clock is wrong; set it or enable time sync (NTP)"),
            ],
        );
    }
    check("clock", Status::Ok, found)
}
