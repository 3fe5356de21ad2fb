//! Submissions: the two kinds the agency accepts and the checks on the visitor's contact details.
//! The body is serialised once, when the submission is created, and sent byte for byte on every
//! attempt, so a retry is recognisably the same submission.

use crate::eligibility::{ScreeningInput, ScreeningOutput};
use crate::lang::Lang;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

pub const PRE_APPLICATION: &str = "pre-application/1";
pub const DAILY_REPORT: &str = "hall-daily-report/1";
/// The version of the consent text the visitor saw (changes whenever its wording does).
pub const CONSENT_TEXT_VERSION: &str = "consent-2026-11";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Contact {
    pub phone: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id_number: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ContactError {
    #[error(
        "the phone number must be a mainland mobile number (11 digits starting 13–19) or a landline with its area code"
    )]
    Phone,
    #[error("the ID number must have 18 characters: 17 digits and a check digit or X")]
    IdShape,
    #[error("the ID number's date of birth is not a real date")]
    IdBirthDate,
    #[error("the ID number's check digit does not match; please check each digit")]
    IdCheckDigit,
}

/// A mobile number (1[3-9] and nine digits) or a landline with area code (0 and 9–11 digits).
pub fn validate_phone(phone: &str) -> Result<String, ContactError> {
    let digits: String = phone.chars().filter(|c| !matches!(c, ' ' | '-')).collect();
    if !digits.chars().all(|c| c.is_ascii_digit()) {
        return Err(ContactError::Phone);
    }
    let b = digits.as_bytes();
    let mobile = b.len() == 11 && b[0] == b'1' && (b'3'..=b'9').contains(&b[1]);
    let landline = (10..=12).contains(&b.len()) && b[0] == b'0' && b[1] != b'0';
    if mobile || landline {
        Ok(digits)
    } else {
        Err(ContactError::Phone)
    }
}

/// The GB 11643 check character of the first 17 digits.
pub fn id_check_char(first17: &[u8; 17]) -> char {
    const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    const CHECK: &[u8; 11] = b"10X98765432";
    let sum: u32 = first17
        .iter()
        .zip(WEIGHTS)
        .map(|(d, w)| u32::from(d - b'0') * w)
        .sum();
    CHECK[(sum % 11) as usize] as char
}

/// An 18-character resident ID: 17 digits, a real birth date, and the right check character.
pub fn validate_id_number(id: &str) -> Result<String, ContactError> {
    let id = id.trim().to_ascii_uppercase();
    let b = id.as_bytes();
    if b.len() != 18 || !b[..17].iter().all(u8::is_ascii_digit) || !(b[17].is_ascii_digit() || b[17] == b'X')
    {
        return Err(ContactError::IdShape);
    }
    let birth = std::str::from_utf8(&b[6..14]).map_err(|_| ContactError::IdShape)?;
    if NaiveDate::parse_from_str(birth, "%Y%m%d").is_err() {
        return Err(ContactError::IdBirthDate);
    }
    let mut first = [0u8; 17];
    first.copy_from_slice(&b[..17]);
    if id_check_char(&first) != b[17] as char {
        return Err(ContactError::IdCheckDigit);
    }
    Ok(id)
}

impl Contact {
    pub fn validated(phone: &str, id_number: Option<&str>) -> Result<Self, ContactError> {
        Ok(Self {
            phone: validate_phone(phone)?,
            id_number: id_number
                .filter(|s| !s.trim().is_empty())
                .map(validate_id_number)
                .transpose()?,
        })
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct TicketRefOut {
    pub number: String,
    pub id: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Consent {
    pub given_at: DateTime<Utc>,
    pub text_version: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct PreApplication<'a> {
    pub schema: &'static str,
    pub created_at: DateTime<Utc>,
    pub hall_id: &'a str,
    pub terminal_id: &'a str,
    pub language: Lang,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ticket: Option<TicketRefOut>,
    pub screening: ScreeningPair<'a>,
    pub contact: &'a Contact,
    pub consent: Consent,
}

#[derive(Debug, Clone, Serialize)]
pub struct ScreeningPair<'a> {
    pub input: &'a ScreeningInput,
    pub output: &'a ScreeningOutput,
}
