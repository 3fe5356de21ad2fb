//! Calendar dates typed by people (policy files, provisioning, `--day`): only `YYYY-MM-DD` with a
//! four-digit year in a plausible range. chrono alone reads `26-03-01` as the year 26 and
//! `+12026-03-01` as the year 12026, and a standard dated in the year 26 silently covers
//! two thousand years.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Deserializer};

/// Years a legal aid policy or a queue day can name.
pub const YEARS: std::ops::RangeInclusive<i32> = 1990..=2199;

/// A date written as `YYYY-MM-DD`, in `YEARS`.
pub fn parse_date(s: &str) -> Result<NaiveDate, String> {
    let shown = crate::shorten::echo(s);
    let shape_ok = s.len() == 10
        && s.bytes().enumerate().all(|(i, b)| {
            if i == 4 || i == 7 {
                b == b'-'
            } else {
                b.is_ascii_digit()
            }
        });
    if !shape_ok {
        return Err(format!(
            "'{shown}' is not a date; write YYYY-MM-DD, e.g. 2026-03-01"
        ));
    }
    let date = NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .map_err(|_| format!("'{shown}' is not a real calendar date"))?;
    if !YEARS.contains(&date.year()) {
        return Err(format!(
            "'{shown}' is outside the years {} to {}",
            YEARS.start(),
            YEARS.end()
        ));
    }
    Ok(date)
}

/// serde: a date as a quoted string or, in TOML, a bare date literal (`from = 2026-03-01`).
pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<NaiveDate, D::Error> {
    let value = toml::Value::deserialize(d)?;
    from_value(&value).map_err(serde::de::Error::custom)
}

/// serde: like `deserialize`, for an optional date.
pub fn deserialize_opt<'de, D: Deserializer<'de>>(d: D) -> Result<Option<NaiveDate>, D::Error> {
    let value = Option::<toml::Value>::deserialize(d)?;
    value
        .map(|v| from_value(&v))
        .transpose()
        .map_err(serde::de::Error::custom)
}

fn from_value(value: &toml::Value) -> Result<NaiveDate, String> {
    match value {
        toml::Value::String(s) => parse_date(s),
        toml::Value::Datetime(dt) if dt.date.is_some() && dt.time.is_none() && dt.offset.is_none() => {
            parse_date(&dt.to_string())
        }
        toml::Value::Datetime(dt) => Err(format!("'{dt}' is a time, not a date; write YYYY-MM-DD")),
        other => Err(format!(
            "{} is not a date; write \"YYYY-MM-DD\", e.g. \"2026-03-01\"",
            other.type_str()
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_four_digit_years_in_range_are_dates() {
        assert_eq!(
            parse_date("2026-03-01"),
            Ok(NaiveDate::from_ymd_opt(2026, 3, 1).unwrap())
        );
        for bad in [
            "26-03-01",
            "+12026-03-01",
            "0026-03-01",
            "2026-3-1",
            "2026-02-30",
            "2026-03-01 ",
            "",
        ] {
            assert!(parse_date(bad).is_err(), "{bad}");
        }
        assert!(
            parse_date("3000-01-01")
                .unwrap_err()
                .contains("outside the years")
        );
    }

    #[derive(Deserialize)]
    struct Holder {
        #[serde(deserialize_with = "deserialize")]
        from: NaiveDate,
        #[serde(default, deserialize_with = "deserialize_opt")]
        until: Option<NaiveDate>,
    }

    #[test]
    fn toml_accepts_quoted_dates_and_date_literals_but_not_times() {
        let quoted: Holder = toml::from_str("from = \"2026-03-01\"").unwrap();
        assert_eq!(quoted.from, NaiveDate::from_ymd_opt(2026, 3, 1).unwrap());
        assert_eq!(quoted.until, None);
        let bare: Holder = toml::from_str("from = 2026-03-01\nuntil = 2027-02-28").unwrap();
        assert_eq!(bare.until, NaiveDate::from_ymd_opt(2027, 2, 28));
        let err = toml::from_str::<Holder>("from = 2026-03-01T00:00:00")
            .err()
            .unwrap()
            .to_string();
        assert!(err.contains("not a date"), "{err}");
        let err = toml::from_str::<Holder>("from = \"26-03-01\"")
            .err()
            .unwrap()
            .to_string();
        assert!(err.contains("YYYY-MM-DD"), "{err}");
        let json: Holder = serde_json::from_str(r#"{"from": "2026-03-01"}"#).unwrap();
        assert_eq!(json.from.year(), 2026);
    }
}
