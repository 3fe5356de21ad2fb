//! Real-time status (`DLE EOT n`): the three requests we send and what their answers mean.
//! Every answer byte has fixed bits (bit 1 and bit 4 set, bits 0 and 7 clear); a byte without
//! them is not a status answer, and we say so instead of guessing.

use std::fmt;

/// `DLE EOT 1`: printer status (offline).
pub const ASK_PRINTER: [u8; 3] = [0x10, 0x04, 1];
/// `DLE EOT 2`: offline cause (cover open, paper end stop, error).
pub const ASK_OFFLINE_CAUSE: [u8; 3] = [0x10, 0x04, 2];
/// `DLE EOT 4`: paper roll sensors (near end, end).
pub const ASK_PAPER: [u8; 3] = [0x10, 0x04, 4];

const FIXED_MASK: u8 = 0b1001_0011;
const FIXED_BITS: u8 = 0b0001_0010;

/// What stops a receipt from printing, in words a technician acts on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    PaperEnd,
    CoverOpen,
    /// Offline for another reason (a mechanical error, a cutter jam, recovering).
    Offline,
    /// The printer did not answer a status request in time: unplugged, off, or a wrong port/baud.
    NoReply,
    /// It answered with something that is not a status byte: wrong baud rate or not a printer.
    GarbageReply(u8),
    /// The port could not be opened or written.
    Link(String),
}

impl Problem {
    /// A short code for logs, events and JSON.
    pub fn code(&self) -> &'static str {
        match self {
            Self::PaperEnd => "paper_end",
            Self::CoverOpen => "cover_open",
            Self::Offline => "offline",
            Self::NoReply => "no_reply",
            Self::GarbageReply(_) => "garbage_reply",
            Self::Link(_) => "link",
        }
    }

    /// Whether trying again soon may help (the link), or someone must act (paper, cover).
    pub fn is_transient(&self) -> bool {
        matches!(self, Self::NoReply | Self::GarbageReply(_) | Self::Link(_))
    }
}

impl Problem {
    /// What is wrong and what to do, for a technician (Chinese on the technician panel).
    pub fn text(&self) -> crate::i18n::TechText {
        use crate::tech;
        match self {
            Self::PaperEnd => tech!("out of paper: load a new roll"),
            Self::CoverOpen => tech!("the cover is open: close it"),
            Self::Offline => tech!("offline: check the printer's error light, then switch it off and on"),
            Self::NoReply => tech!(
                "no answer to a status request: check the cable, the power and the configured port and baud rate"
            ),
            Self::GarbageReply(b) => tech!(
                "answered {0}, which is not a status byte: check the configured baud rate",
                format!("{b:#04x}")
            ),
            Self::Link(e) => tech!("the printer port failed: {0}", e),
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.text().fmt(f)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
pub struct Status {
    pub offline: bool,
    pub cover_open: bool,
    pub paper_end: bool,
    pub paper_near_end: bool,
    pub error: bool,
}

impl Status {
    /// Reads the three answers (to `ASK_PRINTER`, `ASK_OFFLINE_CAUSE`, `ASK_PAPER`).
    pub fn from_replies(printer: u8, cause: u8, paper: u8) -> Result<Self, Problem> {
        for b in [printer, cause, paper] {
            if b & FIXED_MASK != FIXED_BITS {
                return Err(Problem::GarbageReply(b));
            }
        }
        Ok(Self {
            offline: printer & 0x08 != 0,
            cover_open: cause & 0x04 != 0,
            paper_end: cause & 0x20 != 0 || paper & 0x60 != 0,
            paper_near_end: paper & 0x0C != 0,
            error: cause & 0x40 != 0,
        })
    }

    /// The problem that stops printing, most specific first; None when it can print.
    pub fn problem(&self) -> Option<Problem> {
        if self.paper_end {
            Some(Problem::PaperEnd)
        } else if self.cover_open {
            Some(Problem::CoverOpen)
        } else if self.offline || self.error {
            Some(Problem::Offline)
        } else {
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_documented_bits() {
        let ok = Status::from_replies(0x12, 0x12, 0x12).unwrap();
        assert_eq!(ok, Status::default());
        assert_eq!(ok.problem(), None);
        let paper_out = Status::from_replies(0x1A, 0x32, 0x72).unwrap();
        assert_eq!(paper_out.problem(), Some(Problem::PaperEnd));
        let cover = Status::from_replies(0x1A, 0x16, 0x12).unwrap();
        assert_eq!(cover.problem(), Some(Problem::CoverOpen));
        let low = Status::from_replies(0x12, 0x12, 0x1E).unwrap();
        assert!(low.paper_near_end && low.problem().is_none());
        let error = Status::from_replies(0x1A, 0x52, 0x12).unwrap();
        assert_eq!(error.problem(), Some(Problem::Offline));
    }

    #[test]
    fn refuses_bytes_that_are_not_status() {
        assert_eq!(
            Status::from_replies(0xFF, 0x12, 0x12),
            Err(Problem::GarbageReply(0xFF))
        );
        assert_eq!(
            Status::from_replies(0x12, b'A', 0x12),
            Err(Problem::GarbageReply(b'A'))
        );
        assert!(Problem::GarbageReply(0).is_transient() && !Problem::PaperEnd.is_transient());
    }
}
