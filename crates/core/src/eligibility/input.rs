//! The screening input, validated field by field so that every refusal names the field.

use super::codes::{Circumstance, CriminalRole, Matter};
use crate::lang::Lang;
use chrono::NaiveDate;
use serde::Serialize;
use serde_json::{Map, Value};

/// Household size limits of the contract.
pub const HOUSEHOLD_SIZE: std::ops::RangeInclusive<u64> = 1..=30;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ScreeningInput {
    pub date: NaiveDate,
    pub matter: Matter,
    pub household_size: u32,
    /// Whole yuan per month for the whole household.
    pub household_monthly_income: u64,
    pub circumstances: Vec<Circumstance>,
    pub criminal_role: Option<CriminalRole>,
    pub already_represented: bool,
    pub case_outside_guangzhou: bool,
    pub days_to_deadline: Option<u32>,
    pub has_high_value_assets: bool,
    /// Language of the texts in the output (not part of the contract's required fields).
    #[serde(skip_serializing_if = "is_default_lang")]
    pub language: Lang,
}

fn is_default_lang(l: &Lang) -> bool {
    *l == Lang::default()
}

/// A refusal of the input: which field, and what is wrong with it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {message}")]
pub struct InputError {
    pub field: String,
    pub message: String,
}

fn err(field: &str, message: impl Into<String>) -> InputError {
    InputError {
        field: field.to_owned(),
        message: message.into(),
    }
}

const FIELDS: [&str; 11] = [
    "date",
    "matter",
    "household_size",
    "household_monthly_income",
    "circumstances",
    "criminal_role",
    "already_represented",
    "case_outside_guangzhou",
    "days_to_deadline",
    "has_high_value_assets",
    "language",
];

impl ScreeningInput {
    /// Parses the JSON text of the contract; `today` fills a missing `date`.
    pub fn from_json_text(text: &str, today: NaiveDate) -> Result<Self, InputError> {
        let value: Value = serde_json::from_str(text)
            .map_err(|e| err("input", format!("is not valid JSON ({e}); send one JSON object")))?;
        Self::from_json(&value, today)
    }

    pub fn from_json(value: &Value, today: NaiveDate) -> Result<Self, InputError> {
        let obj = value
            .as_object()
            .ok_or_else(|| err("input", "must be one JSON object"))?;
        if let Some(unknown) = obj.keys().find(|k| !FIELDS.contains(&k.as_str())) {
            return Err(err(
                unknown,
                format!(
                    "is not a field of the screening input; fields are {}",
                    FIELDS.join(", ")
                ),
            ));
        }
        let date = match present(obj, "date") {
            None => today,
            Some(v) => {
                let s = v
                    .as_str()
                    .ok_or_else(|| err("date", "must be a date string like 2026-11-26"))?;
                NaiveDate::parse_from_str(s, "%Y-%m-%d")
                    .ok()
                    .filter(|_| s.len() == 10)
                    .ok_or_else(|| {
                        err(
                            "date",
                            format!("'{}' is not a date; write YYYY-MM-DD", crate::shorten::echo(s)),
                        )
                    })?
            }
        };
        let matter_text = required(obj, "matter")?
            .as_str()
            .ok_or_else(|| err("matter", "must be a string code"))?;
        let matter = Matter::parse(matter_text).ok_or_else(|| {
            err(
                "matter",
                format!(
                    "unknown matter '{}'; use one of {}",
                    crate::shorten::echo(matter_text),
                    Matter::known()
                ),
            )
        })?;
        let size = whole_number(obj, "household_size")?;
        if !HOUSEHOLD_SIZE.contains(&size) {
            return Err(err(
                "household_size",
                format!("{size} is outside 1 to 30 (the applicant plus family living with them)"),
            ));
        }
        let income = whole_number(obj, "household_monthly_income")?;
        let circumstances = match present(obj, "circumstances") {
            None => Vec::new(),
            Some(v) => circumstance_list(v)?,
        };
        let criminal_role = match present(obj, "criminal_role") {
            None => None,
            Some(v) => {
                let s = v
                    .as_str()
                    .ok_or_else(|| err("criminal_role", "must be a string code or null"))?;
                Some(CriminalRole::parse(s).ok_or_else(|| {
                    err(
                        "criminal_role",
                        format!(
                            "unknown role '{}'; use one of {} or null",
                            crate::shorten::echo(s),
                            CriminalRole::known()
                        ),
                    )
                })?)
            }
        };
        let days_to_deadline = match present(obj, "days_to_deadline") {
            None => None,
            Some(_) => Some(
                u32::try_from(whole_number(obj, "days_to_deadline")?)
                    .map_err(|_| err("days_to_deadline", "is too large"))?,
            ),
        };
        let language = match present(obj, "language") {
            None => Lang::default(),
            Some(v) => v
                .as_str()
                .and_then(|s| s.parse().ok())
                .ok_or_else(|| err("language", "use zh-CN, en or ug"))?,
        };
        Ok(Self {
            date,
            matter,
            household_size: u32::try_from(size).map_err(|_| err("household_size", "is too large"))?,
            household_monthly_income: income,
            circumstances,
            criminal_role,
            already_represented: flag(obj, "already_represented")?,
            case_outside_guangzhou: flag(obj, "case_outside_guangzhou")?,
            days_to_deadline,
            has_high_value_assets: flag(obj, "has_high_value_assets")?,
            language,
        })
    }

    pub fn has(&self, c: Circumstance) -> bool {
        self.circumstances.contains(&c)
    }
}

fn present<'a>(obj: &'a Map<String, Value>, field: &str) -> Option<&'a Value> {
    obj.get(field).filter(|v| !v.is_null())
}

fn required<'a>(obj: &'a Map<String, Value>, field: &str) -> Result<&'a Value, InputError> {
    present(obj, field).ok_or_else(|| err(field, "is missing"))
}

/// The largest whole number accepted (2^53: every such number is exact in JSON readers).
pub const LARGEST_WHOLE: u64 = 1 << 53;

/// A whole number from 0 to `LARGEST_WHOLE`; `12.0` is the whole number 12.
fn whole_number(obj: &Map<String, Value>, field: &str) -> Result<u64, InputError> {
    let v = required(obj, field)?;
    let range = format!("from 0 to {LARGEST_WHOLE}");
    let whole = "must be a whole number";
    if let Some(n) = v.as_u64() {
        return if n <= LARGEST_WHOLE {
            Ok(n)
        } else {
            Err(err(field, format!("{whole} {range}; {n} is too large")))
        };
    }
    match v.as_f64() {
        Some(f) if f < 0.0 => Err(err(
            field,
            format!("must not be negative: a whole number {range}"),
        )),
        Some(f) if f > LARGEST_WHOLE as f64 => Err(err(field, format!("{whole} {range}; {v} is too large"))),
        // Exact: f is integral and within 0..=2^53.
        Some(f) if f.fract() == 0.0 => Ok(f as u64),
        Some(_) => Err(err(
            field,
            format!("{whole} {range} (whole yuan, whole people, whole days); {v} has a fraction"),
        )),
        None => Err(err(
            field,
            format!("must be a number: a whole number {range}, not {}", kind_of(v)),
        )),
    }
}

/// "a string", "a list", … for messages about a value of the wrong type.
pub fn kind_of(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "true or false",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

fn flag(obj: &Map<String, Value>, field: &str) -> Result<bool, InputError> {
    match present(obj, field) {
        None => Ok(false),
        Some(v) => v.as_bool().ok_or_else(|| err(field, "must be true or false")),
    }
}

fn circumstance_list(v: &Value) -> Result<Vec<Circumstance>, InputError> {
    let items = v
        .as_array()
        .ok_or_else(|| err("circumstances", "must be a list of codes"))?;
    let mut out = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let field = format!("circumstances[{i}]");
        let s = item
            .as_str()
            .ok_or_else(|| err(&field, "must be a string code"))?;
        let c = Circumstance::parse(s).ok_or_else(|| {
            err(
                &field,
                format!(
                    "unknown circumstance '{}'; use one of {}",
                    crate::shorten::echo(s),
                    Circumstance::known()
                ),
            )
        })?;
        if !out.contains(&c) {
            out.push(c);
        }
    }
    Ok(out)
}
