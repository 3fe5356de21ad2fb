//! Non-interactive edits of the provisioning file (`kiosk provision --flag …`).

use super::{AgencyConfig, Config, CounterConfig, FlowControl, PrinterKind, Role, ServiceConfig};
use crate::lang::Names;
use crate::queue::ServiceCode;
use std::path::PathBuf;
use std::str::FromStr;

/// `CODE;zh-CN=…;en=…;ug=…;priority=yes|no;minutes=N` — adds a service or updates the given fields.
#[derive(Debug, Clone, PartialEq)]
pub struct ServiceSpec {
    pub code: ServiceCode,
    pub names: NameParts,
    pub priority_allowed: Option<bool>,
    pub minutes: Option<u32>,
}

/// `ID;services=A,B;zh-CN=…;en=…;ug=…` — adds a counter or updates the given fields.
#[derive(Debug, Clone, PartialEq)]
pub struct CounterSpec {
    pub id: u32,
    pub names: NameParts,
    pub services: Option<Vec<ServiceCode>>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct NameParts {
    zh: Option<String>,
    en: Option<String>,
    ug: Option<String>,
}

impl NameParts {
    fn take(&mut self, key: &str, value: &str) -> bool {
        let slot = match key {
            "zh-CN" | "zh" => &mut self.zh,
            "en" => &mut self.en,
            "ug" => &mut self.ug,
            _ => return false,
        };
        *slot = Some(value.to_owned());
        true
    }

    fn merge_into(&self, names: &mut Names) {
        for (part, slot) in [
            (&self.zh, &mut names.zh),
            (&self.en, &mut names.en),
            (&self.ug, &mut names.ug),
        ] {
            if let Some(v) = part {
                slot.clone_from(v);
            }
        }
    }

    fn complete(&self) -> Option<Names> {
        Some(Names::new(
            self.zh.as_deref()?,
            self.en.as_deref()?,
            self.ug.as_deref()?,
        ))
    }
}

/// A spec's head (code or id) and its `key=value` pairs.
type SpecParts<'a> = (&'a str, Vec<(&'a str, &'a str)>);

fn key_values(spec: &str) -> Result<SpecParts<'_>, String> {
    let mut parts = spec.split(';');
    let head = parts.next().unwrap_or("").trim();
    let pairs = parts
        .filter(|p| !p.trim().is_empty())
        .map(|p| {
            p.split_once('=')
                .map(|(k, v)| (k.trim(), v.trim()))
                .ok_or_else(|| format!("'{p}' is not key=value"))
        })
        .collect::<Result<_, _>>()?;
    Ok((head, pairs))
}

fn yes_no(key: &str, v: &str) -> Result<bool, String> {
    match v {
        "yes" | "true" => Ok(true),
        "no" | "false" => Ok(false),
        _ => Err(format!("{key}={v}: write yes or no")),
    }
}

impl FromStr for ServiceSpec {
    type Err = String;
    fn from_str(spec: &str) -> Result<Self, Self::Err> {
        let (head, pairs) = key_values(spec)?;
        let mut out = ServiceSpec {
            code: head.parse()?,
            names: NameParts::default(),
            priority_allowed: None,
            minutes: None,
        };
        for (k, v) in pairs {
            match k {
                "priority" => out.priority_allowed = Some(yes_no(k, v)?),
                "minutes" => {
                    out.minutes = Some(
                        v.parse()
                            .map_err(|_| format!("minutes={v}: write a whole number"))?,
                    )
                }
                _ if out.names.take(k, v) => {}
                _ => {
                    return Err(format!(
                        "unknown key '{k}'; use zh-CN, en, ug, priority or minutes"
                    ));
                }
            }
        }
        Ok(out)
    }
}

impl FromStr for CounterSpec {
    type Err = String;
    fn from_str(spec: &str) -> Result<Self, Self::Err> {
        let (head, pairs) = key_values(spec)?;
        let id = head
            .parse()
            .map_err(|_| format!("'{head}' is not a counter number"))?;
        let mut out = CounterSpec {
            id,
            names: NameParts::default(),
            services: None,
        };
        for (k, v) in pairs {
            match k {
                "services" => {
                    out.services = Some(v.split(',').map(|c| c.trim().parse()).collect::<Result<_, _>>()?);
                }
                _ if out.names.take(k, v) => {}
                _ => return Err(format!("unknown key '{k}'; use zh-CN, en, ug or services")),
            }
        }
        Ok(out)
    }
}

/// `zh-CN=…;en=…;ug=…`: a text in all three languages (the display's notice); empty: none.
#[derive(Debug, Clone, PartialEq)]
pub struct NoticeSpec(pub Option<Names>);

impl FromStr for NoticeSpec {
    type Err = String;
    fn from_str(spec: &str) -> Result<Self, Self::Err> {
        if spec.trim().is_empty() {
            return Ok(NoticeSpec(None));
        }
        // A notice may itself contain ';': only `;zh-CN=`, `;en=` and `;ug=` start a new part.
        let mut names = NameParts::default();
        let mut current: Option<(&str, String)> = None;
        for piece in spec.split(';') {
            let key = piece
                .split_once('=')
                .map(|(k, _)| k.trim())
                .filter(|k| NOTICE_KEYS.contains(k));
            match (key, current.as_mut()) {
                (Some(k), _) => {
                    if let Some((k, v)) = current.take() {
                        names.take(k, v.trim());
                    }
                    let value = piece.split_once('=').map_or("", |(_, v)| v);
                    current = Some((k, value.to_owned()));
                }
                (None, Some((_, v))) => {
                    v.push(';');
                    v.push_str(piece);
                }
                (None, None) => {
                    return Err(format!("'{piece}': start with zh-CN=, en= or ug="));
                }
            }
        }
        if let Some((k, v)) = current {
            names.take(k, v.trim());
        }
        names
            .complete()
            .map(|n| NoticeSpec(Some(n)))
            .ok_or_else(|| "give the notice in all three languages: zh-CN=…;en=…;ug=…".to_owned())
    }
}

const NOTICE_KEYS: [&str; 4] = ["zh-CN", "zh", "en", "ug"];

/// Everything `kiosk provision` can change. `None` leaves a field as it is.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ProvisionChanges {
    pub hall_id: Option<String>,
    pub terminal_id: Option<String>,
    pub role: Option<Role>,
    pub hall_host: Option<String>,
    pub desk: Option<u32>,
    pub services: Vec<ServiceSpec>,
    pub remove_services: Vec<ServiceCode>,
    pub counters: Vec<CounterSpec>,
    pub remove_counters: Vec<u32>,
    pub printer_kind: Option<PrinterKind>,
    pub printer_device: Option<String>,
    pub printer_baud: Option<u32>,
    pub printer_flow_control: Option<FlowControl>,
    pub printer_host: Option<String>,
    pub printer_port: Option<u16>,
    pub printer_dir: Option<PathBuf>,
    pub status_url: Option<String>,
    pub public_url: Option<String>,
    /// The calling display's notice (`Some(NoticeSpec(None))` removes it).
    pub notice: Option<NoticeSpec>,
    pub paper_width_mm: Option<u32>,
    pub agency_url: Option<String>,
    pub agency_key_file: Option<PathBuf>,
    pub technician_pin_hash: Option<String>,
    pub rollover: Option<String>,
    pub time_zone: Option<String>,
    pub max_priority_streak: Option<u32>,
    pub rejoin_window_minutes: Option<u32>,
    /// The spoken guide's volume at the start of each session (0 to 10).
    pub default_volume: Option<u8>,
    /// A yearly hardship standard: whole yuan per person per month, from a date.
    pub hardship_standard: Option<crate::eligibility::ProvisionedStandard>,
}

impl ProvisionChanges {
    /// Removing what is not there is a mistake worth naming (a typo would otherwise pass as done).
    fn check_removals(&self, config: &Config) -> Result<(), String> {
        for code in &self.remove_services {
            if config.service(*code).is_none() {
                let known: Vec<String> = config.services.iter().map(|s| s.code.to_string()).collect();
                return Err(format!(
                    "there is no service {code} to remove; the services are {}",
                    known.join(", ")
                ));
            }
        }
        for id in &self.remove_counters {
            if config.counter(*id).is_none() {
                let known: Vec<String> = config.counters.iter().map(|c| c.id.to_string()).collect();
                return Err(format!(
                    "there is no counter {id} to remove; the counters are {}",
                    known.join(", ")
                ));
            }
        }
        Ok(())
    }
}

fn set<T>(slot: &mut T, value: &Option<T>)
where
    T: Clone,
{
    if let Some(v) = value {
        *slot = v.clone();
    }
}

impl ProvisionChanges {
    /// Applies the changes; validation happens afterwards on the whole result.
    /// Whether nothing would change (`kiosk provision --show` alone only prints).
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }

    pub fn apply(&self, config: &mut Config) -> Result<(), String> {
        self.check_removals(config)?;
        set(&mut config.hall.id, &self.hall_id);
        set(&mut config.terminal.id, &self.terminal_id);
        set(&mut config.terminal.role, &self.role);
        if self.hall_host.is_some() {
            config.terminal.hall_host.clone_from(&self.hall_host);
        }
        if self.desk.is_some() {
            config.terminal.counter = self.desk;
        }
        set(&mut config.kiosk.default_volume, &self.default_volume);
        config
            .services
            .retain(|s| !self.remove_services.contains(&s.code));
        for c in &mut config.counters {
            c.services.retain(|s| !self.remove_services.contains(s));
        }
        for spec in &self.services {
            apply_service(config, spec)?;
        }
        config.counters.retain(|c| !self.remove_counters.contains(&c.id));
        for spec in &self.counters {
            apply_counter(config, spec)?;
        }
        let pr = &mut config.printer;
        set(&mut pr.kind, &self.printer_kind);
        set(&mut pr.flow_control, &self.printer_flow_control);
        set(&mut pr.paper_width_mm, &self.paper_width_mm);
        for (slot, v) in [
            (&mut pr.device, &self.printer_device),
            (&mut pr.host, &self.printer_host),
        ] {
            if v.is_some() {
                slot.clone_from(v);
            }
        }
        if self.printer_baud.is_some() {
            pr.baud = self.printer_baud;
        }
        if self.printer_port.is_some() {
            pr.port = self.printer_port;
        }
        if let Some(NoticeSpec(notice)) = &self.notice {
            config.display.notice.clone_from(notice);
        }
        if self.public_url.is_some() {
            config.hall_api.public_url.clone_from(&self.public_url);
        }
        if self.status_url.is_some() {
            pr.status_url.clone_from(&self.status_url);
        }
        if self.printer_dir.is_some() {
            pr.dir.clone_from(&self.printer_dir);
        }
        match (&self.agency_url, &self.agency_key_file, &mut config.agency) {
            (None, None, _) => {}
            (url, key, Some(agency)) => {
                set(&mut agency.url, url);
                set(&mut agency.key_file, key);
            }
            (Some(url), Some(key), slot @ None) => {
                *slot = Some(AgencyConfig {
                    url: url.clone(),
                    key_file: key.clone(),
                    timeout_ms: None,
                    first_retry_ms: None,
                });
            }
            (_, _, None) => return Err("give both --agency-url and --agency-key-file the first time".into()),
        }
        if self.technician_pin_hash.is_some() {
            config.technician.pin_hash.clone_from(&self.technician_pin_hash);
        }
        let q = &mut config.queue;
        set(&mut q.business_day_rollover, &self.rollover);
        set(&mut q.time_zone, &self.time_zone);
        set(&mut q.max_priority_streak, &self.max_priority_streak);
        set(&mut q.rejoin_window_minutes, &self.rejoin_window_minutes);
        if let Some(standard) = &self.hardship_standard {
            let list = &mut config.policy.yearly_standard;
            list.retain(|s| s.from != standard.from);
            list.push(standard.clone());
            list.sort_by_key(|s| s.from);
        }
        Ok(())
    }
}

fn apply_service(config: &mut Config, spec: &ServiceSpec) -> Result<(), String> {
    if let Some(existing) = config.services.iter_mut().find(|s| s.code == spec.code) {
        spec.names.merge_into(&mut existing.name);
        set(&mut existing.priority_allowed, &spec.priority_allowed);
        set(&mut existing.default_service_minutes, &spec.minutes);
        return Ok(());
    }
    let name = spec
        .names
        .complete()
        .ok_or_else(|| format!("new service {} needs zh-CN=, en= and ug= names", spec.code))?;
    config.services.push(ServiceConfig {
        code: spec.code,
        name,
        priority_allowed: spec.priority_allowed.unwrap_or(true),
        default_service_minutes: spec.minutes.unwrap_or(10),
    });
    Ok(())
}

fn apply_counter(config: &mut Config, spec: &CounterSpec) -> Result<(), String> {
    if let Some(existing) = config.counters.iter_mut().find(|c| c.id == spec.id) {
        spec.names.merge_into(&mut existing.name);
        set(&mut existing.services, &spec.services);
        return Ok(());
    }
    let id = spec.id;
    let mut name = Names::new(
        &format!("{id}号窗口"),
        &format!("Counter {id}"),
        &format!("{id}-كۆزنەك"),
    );
    spec.names.merge_into(&mut name);
    let services = spec
        .services
        .clone()
        .ok_or_else(|| format!("new counter {id} needs services=…"))?;
    config.counters.push(CounterConfig { id, name, services });
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_notice_may_contain_semicolons_and_needs_all_three_languages() {
        let n: NoticeSpec = "zh-CN=请排队；谢谢;en=Free; please queue;ug=ھەقسىز"
            .parse()
            .unwrap();
        let names = n.0.unwrap();
        assert_eq!(names.zh, "请排队；谢谢");
        assert_eq!(names.en, "Free; please queue");
        assert_eq!(names.ug, "ھەقسىز");
        assert!(
            "en=Free;ug=x".parse::<NoticeSpec>().is_err(),
            "Chinese is missing"
        );
        assert!("Free".parse::<NoticeSpec>().is_err());
        assert_eq!("".parse::<NoticeSpec>().unwrap(), NoticeSpec(None));
    }

    use super::*;

    #[test]
    fn specs_parse_and_merge() {
        let mut config = Config::default();
        let changes = ProvisionChanges {
            services: vec![
                "F;zh-CN=公证;en=Notary;ug=نوتارىئۇس;priority=no;minutes=15"
                    .parse()
                    .unwrap(),
                "A;en=Free legal advice".parse().unwrap(),
            ],
            counters: vec!["4;services=F,A".parse().unwrap(), "1;services=B".parse().unwrap()],
            remove_counters: vec![3],
            ..Default::default()
        };
        changes.apply(&mut config).unwrap();
        config.validate(None).unwrap();
        let f = config.service("F".parse().unwrap()).unwrap();
        assert!(!f.priority_allowed);
        assert_eq!(f.default_service_minutes, 15);
        assert_eq!(config.services[0].name.en, "Free legal advice");
        assert_eq!(config.services[0].name.zh, "法律咨询");
        assert_eq!(config.counter(4).unwrap().name.en, "Counter 4");
        assert_eq!(config.counter(1).unwrap().services.len(), 1);
        assert!(config.counter(3).is_none());
    }

    #[test]
    fn bad_specs_say_what_is_wrong() {
        let mut config = Config::default();
        let changes = ProvisionChanges {
            services: vec!["F;zh-CN=x".parse().unwrap()],
            ..Default::default()
        };
        assert!(
            changes
                .apply(&mut config)
                .unwrap_err()
                .contains("needs zh-CN=, en= and ug=")
        );
        assert!(
            "F;colour=red"
                .parse::<ServiceSpec>()
                .unwrap_err()
                .contains("unknown key 'colour'")
        );
        assert!(
            "x;services=A"
                .parse::<CounterSpec>()
                .unwrap_err()
                .contains("not a counter number")
        );
        assert!(
            "2;services=A,9"
                .parse::<CounterSpec>()
                .unwrap_err()
                .contains("'9'")
        );
    }
}
