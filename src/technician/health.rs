//! What `kiosk doctor` and the technician panel report: one check per subsystem, its status and
//! what to do about anything but ok.

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Ok,
    Warn,
    Fail,
    NotConfigured,
}

#[derive(Debug, Clone, Serialize)]
pub struct Check {
    /// A fixed name ("printer", "policy", …) that the screens translate.
    pub name: &'static str,
    pub status: Status,
    /// What was found and, unless ok, the fix; for technicians, in English.
    pub detail: String,
}

pub fn check(name: &'static str, status: Status, detail: impl Into<String>) -> Check {
    Check {
        name,
        status,
        detail: detail.into(),
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
