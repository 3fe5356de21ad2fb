//! Receipt printing end to end: real SQLite queue → receipt → ESC/POS over a pseudo-terminal to
//! a fake printer that decodes the bytes and answers status requests.

use crate::common;

use common::escpos::{Printed, decode};
use common::fake_printer::{Condition, FakePrinter};
use kiosk::config::{Config, PrinterKind};
use kiosk::lang::Lang;
use kiosk::printer::status::Problem;
use kiosk::printer::{MAX_ATTEMPTS, Outcome, PrintService, Printer};
use kiosk::printing;
use kiosk::queue::{PriorityReason, ServiceCode, TicketState};
use kiosk_contract::IssueRequest;
use kiosk_store::Store;
use std::sync::mpsc;
use std::time::Duration;

const LINK: &str = "https://queue.example/t/{ticket}";

fn serial_config(device: &str) -> Config {
    let mut config = Config::default();
    config.printer.kind = PrinterKind::Serial;
    config.printer.device = Some(device.to_owned());
    config.printer.baud = Some(115_200);
    config.printer.status_url = Some(LINK.to_owned());
    config
}

fn service(code: &str) -> ServiceCode {
    code.parse().expect("service code")
}

#[test]
fn a_ticket_from_the_queue_arrives_as_the_right_receipt() {
    let fake = FakePrinter::start(Condition::Online);
    let config = serial_config(&fake.device);
    let mut hall = common::hall_with(config.clone(), "2026-11-26T01:30:00Z");
    hall.queue
        .issue(&IssueRequest::new(service("A"), None, Lang::ZhCn))
        .expect("first ticket");
    let ticket = hall
        .queue
        .issue(&IssueRequest::new(
            service("A"),
            Some(PriorityReason::Elderly),
            Lang::ZhCn,
        ))
        .expect("ticket");
    let job = printing::ticket_job(&config, &ticket, Lang::ZhCn);
    let mut printer = Printer::new(config.printer.clone(), hall.dir.path().join("receipts"));
    let report = printer.print(&job);
    assert_eq!(report.outcome, Outcome::Printed { paper_low: false });
    assert_eq!(report.attempts, 1);

    let paper = fake.take();
    assert!(paper.unknown.is_empty(), "undecoded bytes: {:?}", paper.unknown);
    assert_eq!(
        paper.status_requests,
        vec![1, 2, 4, 1, 2, 4],
        "status before and after the job"
    );
    assert_eq!(paper.inits, 1);
    let texts = paper.texts();
    assert!(
        texts.contains(&"广州市法律援助处".to_owned()),
        "hall name in GB18030: {texts:?}"
    );
    let number = paper
        .items
        .iter()
        .find(|i| matches!(i, Printed::Text { text, .. } if text == &ticket.number))
        .expect("the number is printed as text");
    assert!(
        matches!(
            number,
            Printed::Text {
                width: 4,
                height: 4,
                bold: true,
                align: 1,
                ..
            }
        ),
        "the number is huge, bold and centred: {number:?}"
    );
    assert!(
        texts
            .iter()
            .any(|t| t.starts_with("优先服务") && t.contains("老年人")),
        "{texts:?}"
    );
    let qr = paper.qr_codes();
    assert_eq!(qr.len(), 1);
    let Printed::Qr { model, data, .. } = qr[0] else {
        unreachable!()
    };
    assert_eq!(*model, 50, "QR model 2");
    assert_eq!(
        String::from_utf8_lossy(data),
        LINK.replace("{ticket}", &ticket.id)
    );
    assert_eq!(paper.raster_bands(), 0, "Chinese needs no raster");
    assert_eq!(paper.items.last(), Some(&Printed::Cut));
    assert!(report.bytes < 1300, "a Chinese ticket is {} bytes", report.bytes);
}

#[test]
fn a_uyghur_ticket_is_drawn_and_its_number_stays_text() {
    let fake = FakePrinter::start(Condition::Online);
    let config = serial_config(&fake.device);
    let mut hall = common::hall_with(config.clone(), "2026-11-26T01:30:00Z");
    let ticket = hall
        .queue
        .issue(&IssueRequest::new(service("B"), None, Lang::Ug))
        .expect("ticket");
    let mut printer = Printer::new(config.printer.clone(), hall.dir.path().join("receipts"));
    let report = printer.print(&printing::ticket_job(&config, &ticket, Lang::Ug));
    assert_eq!(report.outcome, Outcome::Printed { paper_low: false });
    let paper = fake.take();
    assert!(paper.unknown.is_empty(), "{:?}", paper.unknown);
    assert!(paper.raster_bands() >= 8, "Uyghur lines are raster bands");
    for item in &paper.items {
        match item {
            Printed::Text { text, .. } => assert!(
                !text.chars().any(|c| ('\u{0600}'..='\u{06FF}').contains(&c)),
                "Arabic script sent as text: {text}"
            ),
            Printed::Raster {
                left_margin,
                width_bytes,
                rows,
                ink_dots,
            } => {
                assert!(
                    u32::from(*left_margin) + u32::from(*width_bytes) * 8 <= 576,
                    "fits the paper"
                );
                assert!(*rows > 10 && *ink_dots > 20, "a band with text in it");
            }
            _ => {}
        }
    }
    let number = paper
        .items
        .iter()
        .find(|i| matches!(i, Printed::Text { text, .. } if text == &ticket.number));
    assert!(number.is_some(), "the number prints in the printer font");
    assert_eq!(paper.cuts(), 1);
}

fn failing_print(
    condition: Condition,
) -> (kiosk::printer::Report, common::escpos::Decoded, common::TestHall) {
    let fake = FakePrinter::start(condition);
    let config = serial_config(&fake.device);
    let mut hall = common::hall_with(config.clone(), "2026-11-26T01:30:00Z");
    let ticket = hall
        .queue
        .issue(&IssueRequest::new(service("A"), None, Lang::En))
        .expect("ticket");
    let mut printer = Printer::new(config.printer.clone(), hall.dir.path().join("receipts"));
    let report = printer.print(&printing::ticket_job(&config, &ticket, Lang::En));
    let mut store = Store::open_in(hall.dir.path()).expect("store");
    printing::record_report(
        &mut store,
        &config.terminal.id,
        &report,
        kiosk::clock::Clock::now(&*hall.clock),
    )
    .expect("event");
    let again = hall
        .queue
        .ticket(ticket.number.parse().expect("number"))
        .expect("still there");
    assert_eq!(again.state, TicketState::Waiting, "the ticket stays valid");
    let attention = printing::printer_attention(&mut store, &config.terminal.id).expect("read event");
    assert!(attention.is_some(), "the counters hear about {condition:?}");
    assert_eq!(
        attention.and_then(|a| a.terminal),
        Some(config.terminal.id.clone()),
        "which kiosk's printer"
    );
    let elsewhere = printing::printer_attention(&mut store, "another-kiosk").expect("read event");
    assert!(elsewhere.is_none(), "another kiosk's printer is not blamed");
    (report, fake.take(), hall)
}

#[test]
fn paper_end_stops_before_printing_and_raises_the_event() {
    let (report, paper, _hall) = failing_print(Condition::PaperEnd);
    assert_eq!(report.outcome, Outcome::Failed(Problem::PaperEnd));
    assert_eq!(report.attempts, 1, "someone must load paper; no retry");
    assert!(paper.items.is_empty(), "nothing printed: {:?}", paper.items);
    assert_eq!(paper.inits, 0);
}

#[test]
fn an_open_cover_is_reported() {
    let (report, paper, _hall) = failing_print(Condition::CoverOpen);
    assert_eq!(report.outcome, Outcome::Failed(Problem::CoverOpen));
    assert!(paper.items.is_empty());
}

#[test]
fn a_silent_printer_is_retried_then_reported() {
    let (report, paper, _hall) = failing_print(Condition::Silent);
    assert_eq!(report.outcome, Outcome::Failed(Problem::NoReply));
    assert_eq!(report.attempts, MAX_ATTEMPTS);
    assert!(paper.items.is_empty());
    assert_eq!(
        paper.status_requests,
        vec![1; MAX_ATTEMPTS as usize],
        "one unanswered request per try"
    );
}

#[test]
fn a_garbage_reply_is_not_mistaken_for_a_status() {
    let (report, paper, _hall) = failing_print(Condition::Garbage);
    assert_eq!(report.outcome, Outcome::Failed(Problem::GarbageReply(0xFF)));
    assert_eq!(report.attempts, MAX_ATTEMPTS);
    assert!(paper.items.is_empty());
}

#[test]
fn paper_running_out_during_the_receipt_is_a_failure_and_not_reprinted() {
    let (report, paper, _hall) = failing_print(Condition::PaperRunsOutDuringJob);
    assert_eq!(report.outcome, Outcome::Failed(Problem::PaperEnd));
    assert_eq!(
        report.attempts, 1,
        "bytes went out: a retry could print the ticket twice"
    );
    assert_eq!(paper.cuts(), 1);
}

#[test]
fn low_paper_prints_and_warns_then_recovery_clears_the_event() {
    let fake = FakePrinter::start(Condition::PaperNearEnd);
    let config = serial_config(&fake.device);
    let mut hall = common::hall_with(config.clone(), "2026-11-26T01:30:00Z");
    let mut store = Store::open_in(hall.dir.path()).expect("store");
    let (tx, rx) = mpsc::channel();
    let printer = Printer::new(config.printer.clone(), hall.dir.path().join("receipts"));
    let service_thread = PrintService::spawn(printer, move |r| {
        let _ = tx.send(r);
    })
    .expect("print thread");
    for (condition, expected) in [
        (Condition::PaperNearEnd, Outcome::Printed { paper_low: true }),
        (Condition::PaperEnd, Outcome::Failed(Problem::PaperEnd)),
        (Condition::Online, Outcome::Printed { paper_low: false }),
    ] {
        fake.set(condition);
        let ticket = hall
            .queue
            .issue(&IssueRequest::new(service("A"), None, Lang::ZhCn))
            .expect("ticket");
        service_thread.submit(printing::ticket_job(&config, &ticket, Lang::ZhCn));
        let report = rx.recv_timeout(Duration::from_secs(20)).expect("a report");
        assert_eq!(report.outcome, expected, "{condition:?}");
        printing::record_report(
            &mut store,
            &config.terminal.id,
            &report,
            kiosk::clock::Clock::now(&*hall.clock),
        )
        .expect("event");
        let open = printing::printer_attention(&mut store, &config.terminal.id).expect("event");
        assert_eq!(
            open.is_some(),
            condition != Condition::Online,
            "{condition:?}: {open:?}"
        );
    }
}

#[test]
fn the_file_printer_writes_bytes_and_a_picture() {
    let mut hall = common::hall("2026-11-26T01:30:00Z");
    let config = Config::default();
    let ticket = hall
        .queue
        .issue(&IssueRequest::new(service("A"), None, Lang::ZhCn))
        .expect("ticket");
    let dir = hall.dir.path().join("receipts");
    let mut printer = Printer::new(config.printer.clone(), dir.clone());
    let job = printing::ticket_job(&config, &ticket, Lang::ZhCn);
    assert_eq!(printer.print(&job).outcome, Outcome::Printed { paper_low: false });
    let bytes = std::fs::read(dir.join(format!("{}.escpos", job.name))).expect("bytes");
    let paper = decode(&bytes);
    assert!(paper.unknown.is_empty(), "{:?}", paper.unknown);
    assert!(paper.texts().contains(&ticket.number));
    assert!(paper.qr_codes().is_empty(), "no status link provisioned, no QR");
    let png = std::fs::read(dir.join(format!("{}.png", job.name))).expect("preview");
    assert_eq!(&png[1..4], b"PNG");
}

#[test]
fn the_command_line_prints_reprints_and_reports_the_printer() {
    let fake = FakePrinter::start(Condition::Online);
    let dir = tempfile::tempdir().expect("dir");
    let provision = common::kiosk(
        dir.path(),
        &[
            "provision",
            "--hall",
            "gz-city",
            "--terminal",
            "t1",
            "--printer",
            "serial",
            "--printer-device",
            &fake.device,
            "--printer-baud",
            "115200",
            "--status-url",
            LINK,
        ],
    );
    assert!(
        provision.status.success(),
        "{}",
        String::from_utf8_lossy(&provision.stderr)
    );
    let issued = common::stdout_json(&common::kiosk(
        dir.path(),
        &["queue", "issue", "--service", "A", "--json"],
    ));
    let number = issued["number"].as_str().expect("number").to_owned();

    // Bytes without a printer.
    let out = dir.path().join("ticket.escpos");
    let made = common::kiosk(
        dir.path(),
        &[
            "receipt",
            "--number",
            &number,
            "--lang",
            "en",
            "--out",
            out.to_str().expect("path"),
            "--json",
        ],
    );
    let made = common::stdout_json(&made);
    let paper = decode(&std::fs::read(&out).expect("receipt file"));
    assert!(paper.unknown.is_empty(), "{:?}", paper.unknown);
    assert_eq!(
        made["bytes"].as_u64(),
        Some(std::fs::metadata(&out).expect("size").len())
    );
    assert!(
        paper.texts().contains(&"Your number".to_owned()),
        "{:?}",
        paper.texts()
    );
    // The staff's language too: the hall and the service in Chinese, each under its English.
    let texts = paper.texts();
    let at = |t: &str| texts.iter().position(|x| x == t);
    let config = kiosk::config::Config::from_file(&dir.path().join("config.toml")).expect("config");
    let service = config.service(service("A")).expect("service A").name.clone();
    let hall = config.hall_names();
    for (en, zh) in [(hall.en, hall.zh), (service.en, service.zh)] {
        let (Some(en_at), Some(zh_at)) = (at(&en), at(&zh)) else {
            panic!("{en} / {zh} not both on the English ticket: {texts:?}");
        };
        assert_eq!(zh_at, en_at + 1, "{zh} under {en}");
    }
    assert!(fake.take().items.is_empty(), "--out alone does not print");

    // The test page and a reprint go to the printer.
    let test_page = common::kiosk(dir.path(), &["print-test", "--json"]);
    assert!(common::stdout_json(&test_page)["ok"].as_bool().expect("ok"));
    let page = fake.take();
    assert!(
        page.texts().iter().any(|t| t.contains("法律援助中心")),
        "{:?}",
        page.texts()
    );
    assert_eq!(page.qr_codes().len(), 1);
    assert!(page.raster_bands() > 0, "the Uyghur hall name is drawn");

    // Out of paper: the reprint fails with exit 1, doctor says what to do.
    fake.set(Condition::PaperEnd);
    let reprint = common::kiosk(dir.path(), &["receipt", "--number", &number, "--print"]);
    assert_eq!(reprint.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&reprint.stdout).contains("out of paper"));
    let doctor = common::kiosk(dir.path(), &["doctor", "--json"]);
    assert_eq!(doctor.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_slice(&doctor.stdout).expect("doctor JSON");
    let printer = report["checks"]
        .as_array()
        .expect("checks")
        .iter()
        .find(|c| c["name"] == "printer")
        .expect("printer check")
        .clone();
    assert_eq!(printer["status"], "fail");
    assert!(
        printer["detail"]
            .as_str()
            .expect("detail")
            .contains("load a new roll")
    );
    let status = common::stdout_json(&common::kiosk(
        dir.path(),
        &["queue", "show", "--number", &number, "--json"],
    ));
    assert_eq!(status["state"], "waiting", "the ticket is unaffected");
}

#[test]
fn a_screening_summary_prints_its_outcome_reasons_and_reference() {
    let dir = tempfile::tempdir().expect("dir");
    let input = dir.path().join("screening.json");
    std::fs::write(
        &input,
        r#"{"date": "2026-11-26", "matter": "labour_remuneration", "household_size": 1,
            "household_monthly_income": 0, "circumstances": ["migrant_worker"],
            "criminal_role": null, "already_represented": false, "case_outside_guangzhou": false,
            "days_to_deadline": null, "has_high_value_assets": false, "language": "zh-CN"}"#,
    )
    .expect("input");
    let out = dir.path().join("summary.escpos");
    for (lang, headline) in [
        ("zh-CN", "您可免予核查经济困难状况"),
        ("en", "Your income does not need to be checked"),
    ] {
        let made = common::kiosk(
            dir.path(),
            &[
                "receipt",
                "--screening",
                input.to_str().expect("path"),
                "--lang",
                lang,
                "--out",
                out.to_str().expect("path"),
            ],
        );
        assert!(made.status.success(), "{}", String::from_utf8_lossy(&made.stderr));
        let paper = decode(&std::fs::read(&out).expect("summary"));
        assert!(paper.unknown.is_empty(), "{:?}", paper.unknown);
        let texts = paper.texts().join("\n");
        assert!(texts.contains(headline), "{lang}: {texts}");
        assert!(texts.contains("S-2026"), "the local reference: {texts}");
        assert!(
            texts.contains("第四十二条") || texts.contains("42"),
            "the rule is cited: {texts}"
        );
    }
}

#[test]
fn a_network_printer_on_port_9100_gets_the_same_receipt_and_status_checks() {
    let fake = FakePrinter::start_tcp(Condition::Online);
    let (host, port) = fake.device.split_once(':').expect("host:port");
    let mut config = Config::default();
    config.printer.kind = PrinterKind::Tcp;
    config.printer.host = Some(host.to_owned());
    config.printer.port = Some(port.parse().expect("port"));
    let mut hall = common::hall_with(config.clone(), "2026-11-26T01:30:00Z");
    let ticket = hall
        .queue
        .issue(&IssueRequest::new(service("C"), None, Lang::ZhCn))
        .expect("ticket");
    let mut printer = Printer::new(config.printer.clone(), hall.dir.path().join("receipts"));
    let report = printer.print(&printing::ticket_job(&config, &ticket, Lang::ZhCn));
    assert_eq!(report.outcome, Outcome::Printed { paper_low: false });
    let paper = fake.take();
    assert!(paper.unknown.is_empty(), "{:?}", paper.unknown);
    assert_eq!(paper.status_requests, vec![1, 2, 4, 1, 2, 4]);
    assert!(paper.texts().contains(&ticket.number));
    fake.set(Condition::CoverOpen);
    let report = printer.print(&printing::ticket_job(&config, &ticket, Lang::ZhCn));
    assert_eq!(report.outcome, Outcome::Failed(Problem::CoverOpen));
}
