//! The provisioning file: which hall and terminal this is, its services, counters, printer,
//! agency endpoint and queue policy. Unprovisioned terminals run on `Config::default()`.
//!
//! Validation collects every problem at once, each naming the field and the fix, because the
//! person reading it is a technician at a kiosk with a laptop, not a developer.

pub mod halls;
mod provision;
mod validate;

pub use provision::{CounterSpec, NoticeSpec, ProvisionChanges, ServiceSpec};
pub use validate::{ConfigError, Problem};

// The configuration writes service letters as the contract does.
use crate::lang::{Lang, Names};
use crate::queue::ServiceCode;
use chrono::NaiveTime;
use chrono_tz::Tz;
use kiosk_contract::wire;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    pub hall: HallConfig,
    pub terminal: TerminalConfig,
    #[serde(rename = "service")]
    pub services: Vec<ServiceConfig>,
    #[serde(rename = "counter", default)]
    pub counters: Vec<CounterConfig>,
    pub printer: PrinterConfig,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agency: Option<AgencyConfig>,
    #[serde(default)]
    pub technician: TechnicianConfig,
    #[serde(default)]
    pub queue: QueueConfig,
    #[serde(default, skip_serializing_if = "PolicyConfig::is_empty")]
    pub policy: PolicyConfig,
    #[serde(default)]
    pub kiosk: KioskConfig,
    #[serde(default)]
    pub speech: SpeechConfig,
    #[serde(default, skip_serializing_if = "ScreeningConfig::is_default")]
    pub screening: ScreeningConfig,
    #[serde(default, skip_serializing_if = "HallApiConfig::is_default")]
    pub hall_api: HallApiConfig,
    #[serde(default, skip_serializing_if = "DisplayConfig::is_default")]
    pub display: DisplayConfig,
    #[serde(default, skip_serializing_if = "ConsoleConfig::is_default")]
    pub console: ConsoleConfig,
}

/// The staff's counter console (`kiosk counter`). (`[counter]` is taken: it lists the counters.)
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ConsoleConfig {
    /// Minutes without a key, a touch or a call, and with no visitor at the counter, after
    /// which the staff member is signed out (on the console and on the hall host).
    pub idle_sign_out_minutes: u32,
}

impl Default for ConsoleConfig {
    fn default() -> Self {
        Self {
            idle_sign_out_minutes: 30,
        }
    }
}

impl ConsoleConfig {
    fn is_default(&self) -> bool {
        *self == Self::default()
    }
}

/// The calling display (`kiosk display`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct DisplayConfig {
    /// The hall's notice along the bottom of the wall screen, in each language in turn; a
    /// notice too long for the screen scrolls.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub notice: Option<Names>,
}

impl DisplayConfig {
    fn is_default(&self) -> bool {
        *self == Self::default()
    }
}

/// The hall API on the hall host (other roles ignore it).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct HallApiConfig {
    /// HTTPS with mutual TLS, for the hall's terminals.
    pub listen: std::net::SocketAddr,
    /// Plain HTTP, the ticket status page only (what a ticket's QR code opens); unset: not served.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub public_listen: Option<std::net::SocketAddr>,
    /// The status page as visitors' phones reach it, e.g. `http://192.0.2.10:8481`; tickets
    /// link to `<public_url>/t/<ticket>` when `[printer] status_url` is not set.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub public_url: Option<String>,
    /// More names for the host's certificate (its addresses or DNS names); terminals check the
    /// fixed name `hall-host`, so these are only for other tools.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub names: Vec<String>,
}

impl Default for HallApiConfig {
    fn default() -> Self {
        Self {
            listen: std::net::SocketAddr::from(([0, 0, 0, 0], 8480)),
            public_listen: Some(std::net::SocketAddr::from(([0, 0, 0, 0], 8481))),
            public_url: None,
            names: Vec::new(),
        }
    }
}

impl HallApiConfig {
    fn is_default(&self) -> bool {
        *self == Self::default()
    }
}

impl Config {
    /// The page a ticket's QR code opens: `[printer] status_url`, else the hall host's ticket
    /// status page at `[hall_api] public_url`; None: tickets carry no QR code.
    pub fn ticket_status_url(&self) -> Option<String> {
        self.printer.status_url.clone().or_else(|| {
            self.hall_api
                .public_url
                .as_ref()
                .map(|base| format!("{}/t/{{ticket}}", base.trim_end_matches('/')))
        })
    }
}

/// Which service the eligibility result's ticket is for. Unset: the built-in letters (A
/// consultation, B application, C criminal and duty lawyer) when the hall has them. Set: the
/// service must exist (`kiosk provision --check` says so otherwise).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScreeningConfig {
    #[serde(default, skip_serializing_if = "Option::is_none", with = "wire::opt_text")]
    pub consultation_service: Option<ServiceCode>,
    #[serde(default, skip_serializing_if = "Option::is_none", with = "wire::opt_text")]
    pub application_service: Option<ServiceCode>,
    #[serde(default, skip_serializing_if = "Option::is_none", with = "wire::opt_text")]
    pub criminal_service: Option<ServiceCode>,
}

/// The kinds of ticket a screening result can lead to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResultTicket {
    Consultation,
    Application,
    Criminal,
}

impl ScreeningConfig {
    fn is_default(&self) -> bool {
        *self == Self::default()
    }
}

/// Sound: the spoken guide and the call announcements.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SpeechConfig {
    /// false: no sound at all (the screens do not depend on it).
    pub enabled: bool,
    /// The voice packs (`<dir>/<voice>/manifest.json`); default: the packs shipped with the build.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub voice_dir: Option<PathBuf>,
    /// The languages a call is announced in, in this order.
    pub call_languages: Vec<crate::voice::Voice>,
    /// The hall's level for calls, 0..=10 (5 is the recorded level).
    pub call_volume: u8,
    /// Whether this terminal's speakers announce the counters' calls, so that a hall hears each
    /// call once. Unset: the hall host announces and a calling display does not; a hall whose
    /// display has the speakers sets `true` on the display and `false` on the host.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub announce_calls: Option<bool>,
    /// Say each call twice (after a pause, without the second chime).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub repeat_calls: bool,
}

impl Default for SpeechConfig {
    fn default() -> Self {
        use crate::voice::Voice;
        Self {
            enabled: true,
            voice_dir: None,
            call_languages: vec![Voice::Zh, Voice::Yue, Voice::En],
            call_volume: 7,
            announce_calls: None,
            repeat_calls: false,
        }
    }
}

impl SpeechConfig {
    /// Whether a terminal of this role announces calls (see `announce_calls`).
    pub fn announces_calls(&self, role: Role) -> bool {
        self.enabled && self.announce_calls.unwrap_or(role == Role::HallHost)
    }

    /// The configured voice packs, else the shipped ones (`assets/voice`, found as `assets` says).
    pub fn voice_dir(&self) -> PathBuf {
        self.voice_dir
            .clone()
            .unwrap_or_else(|| crate::assets::shipped("voice"))
    }
}

/// How the visitor screen behaves.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct KioskConfig {
    /// Seconds without a touch or key before the "more time?" warning (away from the home screen).
    pub warn_after_seconds: u32,
    /// Seconds the warning counts down before the session is wiped.
    pub countdown_seconds: u32,
    pub fullscreen: bool,
    pub hide_cursor: bool,
    /// How often the screen refreshes queue figures (now serving, waiting counts).
    pub refresh_seconds: u32,
    /// The spoken guide's volume at the start of each visitor's session, 0 to 10 (5 is the
    /// recorded level); set from technician mode or `kiosk provision --default-volume`.
    pub default_volume: u8,
}

impl Default for KioskConfig {
    fn default() -> Self {
        Self {
            warn_after_seconds: 60,
            countdown_seconds: 30,
            fullscreen: true,
            hide_cursor: true,
            refresh_seconds: 5,
            default_volume: 5,
        }
    }
}

/// Local additions to the shipped eligibility policy.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PolicyConfig {
    /// Yearly hardship standards published by the office (Decree 220), newest last.
    #[serde(default)]
    pub yearly_standard: Vec<crate::eligibility::ProvisionedStandard>,
}

impl PolicyConfig {
    fn is_empty(&self) -> bool {
        self.yearly_standard.is_empty()
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HallConfig {
    /// One of `halls::HALLS`.
    pub id: String,
    /// Overrides the catalogue's names.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<Names>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Owns the queue database and serves the hall API.
    HallHost,
    /// Another lobby terminal; issues tickets through the hall host.
    SecondaryKiosk,
    /// A staff counter console.
    Counter,
    /// The calling display (TV).
    Display,
    /// The visitor-facing rating screen at a counter (好差评).
    Evaluator,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TerminalConfig {
    pub id: String,
    pub role: Role,
    /// Base URL of the hall host's API, for every role except the hall host.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hall_host: Option<String>,
    /// The counter whose desk a console or rating screen stands at (default: the hall's first);
    /// `kiosk ui` opens that counter's screen.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub counter: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServiceConfig {
    #[serde(with = "wire::text")]
    pub code: ServiceCode,
    pub name: Names,
    #[serde(default = "yes")]
    pub priority_allowed: bool,
    /// Used for wait estimates until the service has recent history.
    #[serde(default = "default_service_minutes")]
    pub default_service_minutes: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CounterConfig {
    pub id: u32,
    pub name: Names,
    /// In order of preference: the counter serves the first service with someone waiting.
    #[serde(with = "wire::text_list")]
    pub services: Vec<ServiceCode>,
}

impl CounterConfig {
    /// Counter `id` named by its number in the three languages ("3号窗口", "Counter 3", "3-كۆزنەك").
    pub fn numbered(id: u32, services: Vec<ServiceCode>) -> Self {
        Self {
            id,
            name: Names::new(
                &format!("{id}号窗口"),
                &format!("Counter {id}"),
                &format!("{id}-كۆزنەك"),
            ),
            services,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PrinterKind {
    Serial,
    Tcp,
    File,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FlowControl {
    #[default]
    None,
    Hardware,
    Software,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PrinterConfig {
    pub kind: PrinterKind,
    /// Serial device, e.g. /dev/ttyUSB0.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub baud: Option<u32>,
    #[serde(default)]
    pub flow_control: FlowControl,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub host: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub port: Option<u16>,
    /// File printer output; relative paths are under the data directory.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dir: Option<PathBuf>,
    pub paper_width_mm: u32,
    /// The page a ticket's QR code links to; `{ticket}`, `{number}`, `{day}` and `{hall}` are
    /// filled in. Without it tickets carry no QR code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status_url: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AgencyConfig {
    pub url: String,
    /// The terminal's HMAC key; relative paths are relative to the config file.
    pub key_file: PathBuf,
    /// How long one delivery attempt may take (default 15 s).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timeout_ms: Option<u64>,
    /// The first retry delay; it doubles per attempt up to 15 minutes (default 2 s).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_retry_ms: Option<u64>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TechnicianConfig {
    /// Argon2 PHC string of the technician PIN (`kiosk provision --technician-pin-stdin`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pin_hash: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct QueueConfig {
    /// Local time ("HH:MM") at which the business day changes and leftover tickets expire.
    pub business_day_rollover: String,
    pub time_zone: String,
    /// Green-channel calls in a row before a waiting normal ticket goes next (0: no precedence).
    pub max_priority_streak: u32,
    /// How long after a skipped call a visitor may rejoin, placed right after the current call.
    pub rejoin_window_minutes: u32,
    /// How many recent service times per service feed the wait estimate.
    pub service_time_samples: u32,
}

impl Default for QueueConfig {
    fn default() -> Self {
        Self {
            business_day_rollover: "03:00".into(),
            time_zone: "Asia/Shanghai".into(),
            max_priority_streak: 2,
            rejoin_window_minutes: 30,
            service_time_samples: 20,
        }
    }
}

fn yes() -> bool {
    true
}
fn default_service_minutes() -> u32 {
    10
}

fn service(code: char, zh: &str, en: &str, ug: &str, minutes: u32) -> ServiceConfig {
    ServiceConfig {
        code: code
            .to_string()
            .parse()
            .expect("built-in service code is a capital letter"),
        name: Names::new(zh, en, ug),
        priority_allowed: true,
        default_service_minutes: minutes,
    }
}

impl Default for Config {
    fn default() -> Self {
        let services = vec![
            service('A', "法律咨询", "Legal consultation", "قانۇن مەسلىھەتى", 10),
            service(
                'B',
                "申请法律援助",
                "Apply for legal aid",
                "قانۇن ياردىمى ئىلتىماس قىلىش",
                20,
            ),
            service(
                'C',
                "刑事案件与值班律师",
                "Criminal cases and duty lawyer",
                "جىنايى ئىشلار ۋە نۆۋەتچى ئادۋوكات",
                20,
            ),
            service('D', "劳动争议", "Labour disputes", "ئەمگەك ماجىرالىرى", 20),
            service(
                'E',
                "补充材料与进度查询",
                "Hand in documents / check progress",
                "ماتېرىيال تولۇقلاش ۋە جەريان سوراش",
                5,
            ),
        ];
        let all: Vec<ServiceCode> = services.iter().map(|s| s.code).collect();
        let counters = (1..=3)
            .map(|id| CounterConfig::numbered(id, all.clone()))
            .collect();
        Self {
            hall: HallConfig {
                id: "gz-city".into(),
                name: None,
            },
            terminal: TerminalConfig {
                id: "kiosk-1".into(),
                role: Role::HallHost,
                hall_host: None,
                counter: None,
            },
            services,
            counters,
            printer: PrinterConfig {
                kind: PrinterKind::File,
                device: None,
                baud: None,
                flow_control: FlowControl::None,
                host: None,
                port: None,
                dir: Some(PathBuf::from("receipts")),
                paper_width_mm: 80,
                status_url: None,
            },
            agency: None,
            technician: TechnicianConfig::default(),
            queue: QueueConfig::default(),
            policy: PolicyConfig::default(),
            kiosk: KioskConfig::default(),
            speech: SpeechConfig::default(),
            screening: ScreeningConfig::default(),
            hall_api: HallApiConfig::default(),
            display: DisplayConfig::default(),
            console: ConsoleConfig::default(),
        }
    }
}

/// Where the running configuration came from, for `doctor` and logs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", content = "path", rename_all = "snake_case")]
pub enum ConfigSource {
    File(PathBuf),
    EmbeddedDefaults,
}

impl Config {
    /// Reads and validates a provisioning file.
    pub fn from_file(path: &Path) -> Result<Self, ConfigError> {
        let text = crate::fsutil::read_text(path, crate::fsutil::CONFIG_LIMIT).map_err(|e| {
            ConfigError::single(
                &path.display().to_string(),
                &format!("cannot be read: {e}"),
                "check the path given with --config, or run `kiosk provision` to create it",
            )
        })?;
        let config = Self::from_toml(&text)?;
        config.validate(path.parent())?;
        Ok(config)
    }

    pub fn from_toml(text: &str) -> Result<Self, ConfigError> {
        toml::from_str(text).map_err(ConfigError::from_toml)
    }

    /// The configuration to run with: `--config` when given (it must exist), otherwise
    /// `<data-dir>/config.toml` when present, otherwise the embedded defaults. Anything at that
    /// path — even a dangling or looping link — is a configuration that must be read: falling
    /// back to the defaults would silently run another hall's setup.
    /// The provisioning file named on the command line (it must exist), else the one at
    /// `default` (built-in defaults while there is none).
    pub fn locate(explicit: Option<&Path>, default: &Path) -> Result<(Self, ConfigSource), ConfigError> {
        let path = match explicit {
            Some(p) => p.to_path_buf(),
            None => {
                let p = default.to_path_buf();
                if !crate::fsutil::something_at(&p) {
                    return Ok((Self::default(), ConfigSource::EmbeddedDefaults));
                }
                p
            }
        };
        let config = Self::from_file(&path)?;
        Ok((config, ConfigSource::File(path)))
    }

    pub fn to_toml(&self) -> String {
        let body = toml::to_string(self).unwrap_or_else(|e| format!("# could not serialise: {e}\n"));
        format!(
            "# Legal aid lobby terminal provisioning file.\n\
             # Edit with `kiosk provision …` or by hand, then check with `kiosk provision --check`.\n\n{body}"
        )
    }

    /// Every name a voice pack in `lang` must be able to say for this terminal: its hall, the
    /// city's other halls (a display may name them), its services and counters.
    pub fn spoken_names(&self, lang: Lang) -> Vec<String> {
        let mut names: Vec<String> = vec![self.hall_names().get(lang).to_owned()];
        names.extend(halls::HALLS.iter().map(|h| h.names().get(lang).to_owned()));
        names.extend(self.services.iter().map(|s| s.name.get(lang).to_owned()));
        names.extend(self.counters.iter().map(|c| c.name.get(lang).to_owned()));
        names
    }

    pub fn hall_names(&self) -> Names {
        self.hall
            .name
            .clone()
            .or_else(|| halls::find(&self.hall.id).map(|h| h.names()))
            .unwrap_or_else(|| Names::new(&self.hall.id, &self.hall.id, &self.hall.id))
    }

    pub fn service(&self, code: ServiceCode) -> Option<&ServiceConfig> {
        self.services.iter().find(|s| s.code == code)
    }

    /// The pictogram for a service: the built-in ones by their default codes.
    pub fn pictogram(&self, code: ServiceCode) -> &'static str {
        match code.letter() {
            'A' => "consultation",
            'B' => "application",
            'C' => "criminal",
            'D' => "labour",
            'E' => "documents",
            _ => "ticket",
        }
    }

    /// The service a screening result's ticket is for, if the hall has one.
    pub fn result_service(&self, kind: ResultTicket) -> Option<&ServiceConfig> {
        let (chosen, built_in) = match kind {
            ResultTicket::Consultation => (self.screening.consultation_service, 'A'),
            ResultTicket::Application => (self.screening.application_service, 'B'),
            ResultTicket::Criminal => (self.screening.criminal_service, 'C'),
        };
        let code = chosen.or_else(|| built_in.to_string().parse().ok())?;
        self.service(code)
    }

    pub fn counter(&self, id: u32) -> Option<&CounterConfig> {
        self.counters.iter().find(|c| c.id == id)
    }

    /// Valid after `validate`; falls back to Shanghai so a caller never panics.
    pub fn time_zone(&self) -> Tz {
        self.queue.time_zone.parse().unwrap_or(chrono_tz::Asia::Shanghai)
    }

    /// Valid after `validate`; falls back to 03:00.
    pub fn rollover_time(&self) -> NaiveTime {
        parse_hhmm(&self.queue.business_day_rollover)
            .unwrap_or(NaiveTime::from_hms_opt(3, 0, 0).unwrap_or(NaiveTime::MIN))
    }

    /// The eligibility policy this terminal screens with: `override_file` for one run, else the
    /// one installed with `kiosk policy import`, else the shipped one; plus the yearly standards
    /// provisioned here.
    pub fn eligibility_policy(
        &self,
        installed: Option<&crate::policy_store::PolicyStore>,
        override_file: Option<&Path>,
    ) -> Result<crate::eligibility::Policy, crate::eligibility::PolicyError> {
        let base = match (override_file, installed) {
            (Some(path), _) => policy_from_file(path)?,
            (None, Some(store)) => store.load()?.0,
            (None, None) => crate::eligibility::Policy::shipped()?,
        };
        Ok(base.with_provisioned(&self.policy.yearly_standard))
    }

    /// Where the file printer writes, resolved against the data directory.
    pub fn printer_dir(&self, data_dir: &Path) -> PathBuf {
        let dir = self
            .printer
            .dir
            .clone()
            .unwrap_or_else(|| PathBuf::from("receipts"));
        if dir.is_absolute() {
            dir
        } else {
            data_dir.join(dir)
        }
    }
}

pub fn default_config_path(data_dir: &Path) -> PathBuf {
    data_dir.join("config.toml")
}

pub(crate) fn parse_hhmm(s: &str) -> Option<NaiveTime> {
    let (h, m) = s.split_once(':')?;
    let two_digits = |p: &str| p.len() == 2 && p.bytes().all(|b| b.is_ascii_digit());
    if !two_digits(h) || !two_digits(m) {
        return None;
    }
    NaiveTime::from_hms_opt(h.parse().ok()?, m.parse().ok()?, 0)
}

/// A policy file for one run (`kiosk screen --policy`): read as a file from outside, then
/// checked by the screening engine's own rules.
pub fn policy_from_file(path: &Path) -> Result<crate::eligibility::Policy, crate::eligibility::PolicyError> {
    let origin = path.display().to_string();
    let text = crate::fsutil::read_text(path, crate::fsutil::POLICY_LIMIT).map_err(|e| {
        crate::eligibility::PolicyError {
            origin: origin.clone(),
            message: format!("cannot be read: {e}"),
        }
    })?;
    crate::eligibility::Policy::from_toml(&text, &origin)
}

#[cfg(test)]
mod tests {

    #[test]
    fn tickets_link_to_the_hall_hosts_status_page_unless_told_otherwise() {
        let mut c = Config::default();
        assert_eq!(c.ticket_status_url(), None);
        c.hall_api.public_url = Some("http://192.0.2.10:8481/".into());
        assert_eq!(
            c.ticket_status_url().as_deref(),
            Some("http://192.0.2.10:8481/t/{ticket}")
        );
        c.printer.status_url = Some("https://hall.example/q/{number}".into());
        assert_eq!(
            c.ticket_status_url().as_deref(),
            Some("https://hall.example/q/{number}")
        );
    }

    use super::*;

    #[test]
    fn defaults_are_valid_and_round_trip_through_toml() {
        let config = Config::default();
        config.validate(None).unwrap();
        let back = Config::from_toml(&config.to_toml()).unwrap();
        assert_eq!(back, config);
        let codes: String = config.services.iter().map(|s| s.code.letter()).collect();
        assert_eq!(codes, "ABCDE");
        assert_eq!(config.services[1].name.zh, "申请法律援助");
        assert_eq!(config.counters.len(), 3);
        assert_eq!(config.hall_names().en, "Guangzhou Legal Aid Office");
    }

    #[test]
    fn a_typo_in_a_key_is_named() {
        let text = Config::default()
            .to_toml()
            .replace("paper_width_mm", "paper_widht_mm");
        let err = Config::from_toml(&text).unwrap_err().to_string();
        assert!(err.contains("paper_widht_mm"), "{err}");
    }

    #[test]
    fn the_result_ticket_follows_the_configuration_and_is_checked() {
        let mut config = Config::default();
        let code = |kind| config_code(&config, kind);
        fn config_code(c: &Config, kind: ResultTicket) -> Option<char> {
            c.result_service(kind).map(|s| s.code.letter())
        }
        assert_eq!(
            code(ResultTicket::Criminal),
            Some('C'),
            "built-in letters by default"
        );
        config.services.retain(|s| s.code.letter() != 'C');
        for counter in &mut config.counters {
            counter.services.retain(|s| s.letter() != 'C');
        }
        assert_eq!(
            config_code(&config, ResultTicket::Criminal),
            None,
            "no ticket rather than a wrong one"
        );
        config.screening.criminal_service = Some("D".parse().unwrap());
        assert_eq!(config_code(&config, ResultTicket::Criminal), Some('D'));
        config.validate(None).unwrap();
        config.screening.application_service = Some("Z".parse().unwrap());
        let err = config.validate(None).unwrap_err().to_string();
        assert!(err.contains("screening.application_service"), "{err}");
        let back = Config::from_toml(&config.to_toml()).unwrap();
        assert_eq!(back.screening, config.screening);
    }

    #[test]
    fn rollover_parses_only_hh_mm() {
        assert_eq!(parse_hhmm("03:00"), NaiveTime::from_hms_opt(3, 0, 0));
        assert_eq!(parse_hhmm("23:59"), NaiveTime::from_hms_opt(23, 59, 0));
        for bad in [
            "3:00", "24:00", "03:60", "0300", "ab:cd", "+1:00", "-1:00", "01:+5",
        ] {
            assert_eq!(parse_hhmm(bad), None, "{bad}");
        }
    }
}
