//! What `kiosk doctor` and the technician panel report: one check per subsystem, its status and
//! what to do about anything but ok.

use crate::i18n::TechText;
use crate::lang::Lang;
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Ok,
    Warn,
    Fail,
    NotConfigured,
}

#[derive(Debug, Clone)]
pub struct Check {
    /// A fixed name ("printer", "policy", …) that the screens translate.
    pub name: &'static str,
    pub status: Status,
    /// What was found and, unless ok, the fix: one or more sentences.
    pub details: Vec<TechText>,
}

impl Check {
    /// The sentences joined, in `lang` (English for `kiosk doctor`).
    pub fn detail(&self, lang: Lang) -> String {
        crate::i18n::join_tech(&self.details, lang)
    }
}

/// `kiosk doctor --json` keeps one English `detail` string per check.
impl Serialize for Check {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut s = serializer.serialize_struct("Check", 3)?;
        s.serialize_field("name", self.name)?;
        s.serialize_field("status", &self.status)?;
        s.serialize_field("detail", &self.detail(Lang::En))?;
        s.end()
    }
}

pub fn check(name: &'static str, status: Status, detail: TechText) -> Check {
    Check {
        name,
        status,
        details: vec![detail],
    }
}

/// A check whose finding is several sentences (a connection and its warnings).
pub fn check_all(name: &'static str, status: Status, details: Vec<TechText>) -> Check {
    Check {
        name,
        status,
        details,
    }
}

/// Whether the checks may open the printer and the sound card themselves. Inside the running
/// kiosk they may not: its print and speech threads hold them (a serial port opens once), so
/// the panel asks those threads instead.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Devices {
    Probe,
    InUse,
}
