use super::{Config, PrinterKind, Role, halls, parse_hhmm};
use crate::lang::Names;
use std::collections::HashSet;
use std::fmt;
use std::path::Path;

/// One thing wrong with the configuration, in the technician's terms.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Problem {
    pub field: String,
    pub problem: String,
    pub fix: String,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ConfigError {
    pub problems: Vec<Problem>,
}

impl ConfigError {
    pub fn single(field: &str, problem: &str, fix: &str) -> Self {
        Self {
            problems: vec![Problem {
                field: field.into(),
                problem: problem.into(),
                fix: fix.into(),
            }],
        }
    }

    pub(super) fn from_toml(e: toml::de::Error) -> Self {
        Self::single(
            "provisioning file",
            e.to_string().trim(),
            "correct the line shown (field names are listed in the operating guide, docs/operating.md, section Provisioning)",
        )
    }
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.problems.len();
        writeln!(
            f,
            "the configuration has {n} problem{}:",
            if n == 1 { "" } else { "s" }
        )?;
        for p in &self.problems {
            writeln!(f, "  - {}: {}. Fix: {}", p.field, p.problem, p.fix)?;
        }
        Ok(())
    }
}

impl std::error::Error for ConfigError {}

#[derive(Default)]
struct Problems(Vec<Problem>);

impl Problems {
    fn add(&mut self, field: impl Into<String>, problem: impl Into<String>, fix: impl Into<String>) {
        self.0.push(Problem {
            field: field.into(),
            problem: problem.into(),
            fix: fix.into(),
        });
    }

    fn names(&mut self, field: &str, names: &Names) {
        for (lang, text) in [("zh-CN", &names.zh), ("en", &names.en), ("ug", &names.ug)] {
            if text.trim().is_empty() {
                self.add(
                    format!("{field}.{lang}"),
                    "is empty",
                    "give the name in all three languages (zh-CN, en, ug)",
                );
            }
        }
    }
}

const BAUD_RATES: [u32; 8] = [2400, 4800, 9600, 19200, 38400, 57600, 115200, 230400];

impl Config {
    /// Checks everything the terminal relies on. `config_dir` resolves relative key paths.
    pub fn validate(&self, config_dir: Option<&Path>) -> Result<(), ConfigError> {
        let mut p = Problems::default();
        self.check_identity(&mut p);
        self.check_services_and_counters(&mut p);
        self.check_desk(&mut p);
        self.check_printer(&mut p);
        self.check_agency(&mut p, config_dir);
        self.check_queue(&mut p);
        let k = &self.kiosk;
        if !(10..=600).contains(&k.warn_after_seconds) {
            p.add(
                "kiosk.warn_after_seconds",
                format!("{} is out of range", k.warn_after_seconds),
                "use 10 to 600 seconds",
            );
        }
        if !(5..=120).contains(&k.countdown_seconds) {
            p.add(
                "kiosk.countdown_seconds",
                format!("{} is out of range", k.countdown_seconds),
                "use 5 to 120 seconds",
            );
        }
        if !(1..=60).contains(&k.refresh_seconds) {
            p.add(
                "kiosk.refresh_seconds",
                format!("{} is out of range", k.refresh_seconds),
                "use 1 to 60 seconds",
            );
        }
        if k.default_volume > 10 {
            p.add(
                "kiosk.default_volume",
                format!("{} is out of range", k.default_volume),
                "use 0 (silent) to 10 (loudest); 5 is the recorded level",
            );
        }
        if self.speech.call_volume > 10 {
            p.add(
                "speech.call_volume",
                format!("{} is out of range", self.speech.call_volume),
                "use 0 (silent) to 10 (loudest); 5 is the recorded level",
            );
        }
        if self.speech.call_languages.contains(&crate::voice::Voice::Ug) {
            p.add(
                "speech.call_languages",
                "Uyghur has no call phrases".to_string(),
                "use zh, yue and en (screens speak Uyghur; calls do not)",
            );
        }
        for (field, code) in [
            (
                "screening.consultation_service",
                self.screening.consultation_service,
            ),
            (
                "screening.application_service",
                self.screening.application_service,
            ),
            ("screening.criminal_service", self.screening.criminal_service),
        ] {
            if let Some(code) = code.filter(|c| self.service(*c).is_none()) {
                p.add(
                    field,
                    format!("service {code} is not provisioned"),
                    "name one of the [[service]] codes, or leave it out for the built-in letter",
                );
            }
        }
        for (i, s) in self.policy.yearly_standard.iter().enumerate() {
            if self.policy.yearly_standard[..i].iter().any(|e| e.from == s.from) {
                p.add(
                    format!("policy.yearly_standard[{i}].from"),
                    format!("{} is entered twice", s.from),
                    "keep one standard per start date (`kiosk provision --hardship-standard` replaces it)",
                );
            }
            let most = crate::eligibility::MAX_MONTHLY_PER_CAPITA;
            if !(1..=most).contains(&s.monthly_per_capita) {
                p.add(
                    format!("policy.yearly_standard[{i}].monthly_per_capita"),
                    format!(
                        "is {}, not a monthly figure in yuan (1 to {most})",
                        s.monthly_per_capita
                    ),
                    "enter the published figure in whole yuan per person per month",
                );
            }
        }
        if let Some(hash) = &self.technician.pin_hash
            && argon2::password_hash::PasswordHash::new(hash).is_err()
        {
            p.add(
                "technician.pin_hash",
                "is not a password hash",
                "set the PIN with `kiosk provision --technician-pin-stdin` instead of editing the hash",
            );
        }
        if p.0.is_empty() {
            Ok(())
        } else {
            Err(ConfigError { problems: p.0 })
        }
    }

    fn check_identity(&self, p: &mut Problems) {
        if halls::find(&self.hall.id).is_none() {
            p.add(
                "hall.id",
                format!("'{}' is not one of the city's halls", self.hall.id),
                format!("use one of {}", halls::ids().join(", ")),
            );
        }
        if let Some(names) = &self.hall.name {
            p.names("hall.name", names);
        }
        let id = &self.terminal.id;
        let id_ok = !id.is_empty()
            && id.len() <= 32
            && id
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
        if !id_ok {
            p.add(
                "terminal.id",
                format!("'{id}' is not a usable terminal id"),
                "use 1 to 32 letters, digits, '-' or '_' (for example kiosk-2)",
            );
        }
        match (self.terminal.role, &self.terminal.hall_host) {
            (Role::HallHost, _) => {}
            (_, None) => p.add(
                "terminal.hall_host",
                "is missing; this role works through the hall host",
                "set it to the hall host's API address, e.g. http://192.0.2.10:8080",
            ),
            (_, Some(url)) => {
                if let Some(why) = web_address_problem(url) {
                    p.add("terminal.hall_host", why, "write it like https://192.0.2.10:8480");
                }
            }
        }
    }

    fn check_desk(&self, p: &mut Problems) {
        if let Some(c) = self.terminal.counter
            && self.counter(c).is_none()
        {
            p.add(
                "terminal.counter",
                format!("{c} is not one of this hall's counters"),
                "use a counter from `kiosk provision --show`, or leave it out for the first",
            );
        }
    }

    fn check_services_and_counters(&self, p: &mut Problems) {
        if self.services.is_empty() {
            p.add(
                "service",
                "no service is defined",
                "add at least one [[service]] table",
            );
        }
        let mut codes = HashSet::new();
        for (i, s) in self.services.iter().enumerate() {
            let field = format!("service[{i}] ({})", s.code);
            if !codes.insert(s.code) {
                p.add(
                    field.clone(),
                    "the code is used twice",
                    "give every service its own letter",
                );
            }
            p.names(&format!("{field}.name"), &s.name);
            if !(1..=240).contains(&s.default_service_minutes) {
                p.add(
                    format!("{field}.default_service_minutes"),
                    format!("{} is out of range", s.default_service_minutes),
                    "use 1 to 240 minutes",
                );
            }
        }
        let mut ids = HashSet::new();
        let mut served = HashSet::new();
        for (i, c) in self.counters.iter().enumerate() {
            let field = format!("counter[{i}] (id {})", c.id);
            if !(1..=99).contains(&c.id) {
                p.add(field.clone(), "the id is out of range", "number counters 1 to 99");
            }
            if !ids.insert(c.id) {
                p.add(
                    field.clone(),
                    "the id is used twice",
                    "give every counter its own number",
                );
            }
            p.names(&format!("{field}.name"), &c.name);
            if c.services.is_empty() {
                p.add(
                    format!("{field}.services"),
                    "is empty",
                    "list the service codes this counter serves",
                );
            }
            let mut seen = HashSet::new();
            for code in &c.services {
                if !seen.insert(*code) {
                    p.add(
                        format!("{field}.services"),
                        format!("lists {code} twice"),
                        "list each service once",
                    );
                }
                if !codes.contains(code) {
                    p.add(
                        format!("{field}.services"),
                        format!("unknown service code {code}"),
                        "use codes defined in [[service]] tables, or add the service",
                    );
                }
                served.insert(*code);
            }
        }
        if self.terminal.role == Role::HallHost {
            if self.counters.is_empty() {
                p.add(
                    "counter",
                    "no counter is defined",
                    "add at least one [[counter]] table",
                );
            }
            for s in &self.services {
                if !served.contains(&s.code) {
                    p.add(
                        format!("service {}", s.code),
                        "no counter serves it, so its visitors would never be called",
                        "add the code to a counter's services, or remove the service",
                    );
                }
            }
        }
    }

    fn check_printer(&self, p: &mut Problems) {
        let pr = &self.printer;
        if ![58, 80].contains(&pr.paper_width_mm) {
            p.add(
                "printer.paper_width_mm",
                format!("{} is not a supported width", pr.paper_width_mm),
                "use 58 or 80",
            );
        }
        match pr.kind {
            PrinterKind::Serial => {
                if pr.device.as_deref().unwrap_or("").is_empty() {
                    p.add(
                        "printer.device",
                        "is missing for a serial printer",
                        "set it, e.g. /dev/ttyUSB0",
                    );
                }
                if let Some(b) = pr.baud.filter(|b| !BAUD_RATES.contains(b)) {
                    p.add(
                        "printer.baud",
                        format!("{b} is not a standard rate"),
                        "use 9600, 19200, 38400 or 115200 as set on the printer",
                    );
                }
            }
            PrinterKind::Tcp => {
                if pr.host.as_deref().unwrap_or("").is_empty() {
                    p.add(
                        "printer.host",
                        "is missing for a network printer",
                        "set the printer's address",
                    );
                }
                if pr.port == Some(0) {
                    p.add(
                        "printer.port",
                        "0 is not a port",
                        "leave it out for 9100, or set the printer's port",
                    );
                }
            }
            PrinterKind::File => {}
        }
        if !(1..=480).contains(&self.console.idle_sign_out_minutes) {
            p.add(
                "console.idle_sign_out_minutes",
                format!("{} is outside 1 to 480", self.console.idle_sign_out_minutes),
                "set the minutes after which an idle counter is signed out, e.g. 30",
            );
        }
        if let Some(url) = &self.hall_api.public_url
            && let Some(why) = web_address_problem(url)
        {
            p.add(
                "hall_api.public_url",
                why,
                "write where phones reach the hall host's status page, e.g. http://192.0.2.10:8481",
            );
        }
        if let Some(url) = &pr.status_url {
            let web = web_address_problem(url).is_none();
            if !web || !(url.contains("{ticket}") || url.contains("{number}")) {
                p.add(
                    "printer.status_url",
                    format!("'{url}' is not a ticket link"),
                    "use an http(s) address containing {ticket} or {number}, e.g. https://host/queue/{ticket}",
                );
            }
        }
    }

    fn check_agency(&self, p: &mut Problems, config_dir: Option<&Path>) {
        let Some(agency) = &self.agency else { return };
        let url = agency.url.as_str();
        let loopback = ["http://127.", "http://localhost", "http://[::1]"]
            .iter()
            .any(|pre| url.starts_with(pre));
        if let Some(why) = web_address_problem(url) {
            p.add(
                "agency.url",
                why,
                "use the https address the agency gave, e.g. https://agency.example/api",
            );
        } else if !url.starts_with("https://") && !loopback {
            p.add(
                "agency.url",
                format!("'{url}' is not an https address"),
                "use the https address the agency gave (plain http is only allowed to 127.0.0.1 for tests)",
            );
        }
        let key = match config_dir {
            Some(dir) if agency.key_file.is_relative() => dir.join(&agency.key_file),
            _ => agency.key_file.clone(),
        };
        match std::fs::metadata(&key) {
            Ok(m) if !m.is_file() => p.add(
                "agency.key_file",
                format!("{} is not a file (a directory or a device)", key.display()),
                "point it at the key file the agency issued",
            ),
            Ok(m) if m.len() > 0 => {}
            Ok(_) => p.add(
                "agency.key_file",
                format!("{} is empty", key.display()),
                "copy the key file the agency issued",
            ),
            Err(e) => p.add(
                "agency.key_file",
                format!("{} cannot be read: {e}", key.display()),
                "copy the key file the agency issued to that path",
            ),
        }
    }

    fn check_queue(&self, p: &mut Problems) {
        let q = &self.queue;
        if parse_hhmm(&q.business_day_rollover).is_none() {
            p.add(
                "queue.business_day_rollover",
                format!("'{}' is not a time", q.business_day_rollover),
                "write it as HH:MM in 24-hour time, e.g. 03:00",
            );
        }
        if q.time_zone.parse::<chrono_tz::Tz>().is_err() {
            p.add(
                "queue.time_zone",
                format!("'{}' is not a known time zone", q.time_zone),
                "use an IANA name such as Asia/Shanghai",
            );
        }
        if q.max_priority_streak > 10 {
            p.add(
                "queue.max_priority_streak",
                format!("{} would starve normal tickets", q.max_priority_streak),
                "use 0 to 10 (2 is usual)",
            );
        }
        if q.rejoin_window_minutes > 240 {
            p.add(
                "queue.rejoin_window_minutes",
                format!("{} is longer than a half day", q.rejoin_window_minutes),
                "use 0 to 240 minutes",
            );
        }
        if !(1..=500).contains(&q.service_time_samples) {
            p.add(
                "queue.service_time_samples",
                format!("{} is out of range", q.service_time_samples),
                "use 1 to 500",
            );
        }
    }
}

/// Why `url` is not a usable http(s) address, or None. Parsed, not prefix-matched: `https://`
/// alone or an address with spaces would otherwise pass here and fail at the first request.
pub(crate) fn web_address_problem(url: &str) -> Option<String> {
    let shown = crate::shorten::echo(url);
    if url.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Some(format!("'{shown}' contains spaces or control characters"));
    }
    match url::Url::parse(url) {
        Err(e) => Some(format!("'{shown}' is not a web address ({e})")),
        Ok(u) if !matches!(u.scheme(), "http" | "https") => {
            Some(format!("'{shown}' is not an http(s) address"))
        }
        Ok(u) if u.host_str().is_none_or(str::is_empty) => Some(format!("'{shown}' names no host")),
        Ok(_) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(c: &Config) -> Vec<String> {
        c.validate(None)
            .unwrap_err()
            .problems
            .into_iter()
            .map(|p| p.field)
            .collect()
    }

    #[test]
    fn every_problem_is_reported_with_its_field() {
        let mut c = Config::default();
        c.hall.id = "gz-nowhere".into();
        c.terminal.id = "has space".into();
        c.printer.paper_width_mm = 70;
        c.queue.time_zone = "Mars/Olympus".into();
        c.queue.business_day_rollover = "3am".into();
        c.counters[0].services.push("Z".parse().unwrap());
        let f = fields(&c);
        for want in [
            "hall.id",
            "terminal.id",
            "printer.paper_width_mm",
            "queue.time_zone",
            "queue.business_day_rollover",
            "counter[0] (id 1).services",
        ] {
            assert!(f.iter().any(|x| x == want), "{want} missing from {f:?}");
        }
        let text = c.validate(None).unwrap_err().to_string();
        assert!(text.contains("use one of gz-city"), "{text}");
    }

    #[test]
    fn unserved_services_and_missing_devices_are_caught() {
        let mut c = Config::default();
        for counter in &mut c.counters {
            counter.services.retain(|s| s.letter() != 'E');
        }
        c.printer.kind = PrinterKind::Serial;
        let f = fields(&c);
        assert!(f.contains(&"service E".to_string()), "{f:?}");
        assert!(f.contains(&"printer.device".to_string()), "{f:?}");
    }

    #[test]
    fn a_desk_must_be_one_of_the_halls_counters() {
        let mut c = Config::default();
        c.terminal.counter = Some(3);
        assert!(c.validate(None).is_ok());
        c.terminal.counter = Some(9);
        assert_eq!(fields(&c), vec!["terminal.counter".to_string()]);
    }

    #[test]
    fn non_host_roles_need_the_hall_host() {
        let mut c = Config::default();
        c.terminal.role = Role::Counter;
        assert_eq!(fields(&c), vec!["terminal.hall_host".to_string()]);
        c.terminal.hall_host = Some("http://192.0.2.10:8080".into());
        c.validate(None).unwrap();
    }

    #[test]
    fn web_addresses_are_parsed_not_prefix_matched() {
        assert_eq!(web_address_problem("https://agency.example/api"), None);
        assert_eq!(web_address_problem("http://127.0.0.1:8480"), None);
        for bad in [
            "https://",
            "https://a b.example",
            "ftp://x.example",
            "agency.example",
            "https:// x",
        ] {
            assert!(web_address_problem(bad).is_some(), "{bad}");
        }
    }
}
