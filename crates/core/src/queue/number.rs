use std::fmt;
use std::str::FromStr;

/// A service's letter, `A`..=`Z`. It prefixes every ticket number of the service.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ServiceCode(char);

impl ServiceCode {
    pub fn letter(self) -> char {
        self.0
    }
}

impl FromStr for ServiceCode {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let mut chars = s.chars();
        match (chars.next(), chars.next()) {
            (Some(c), None) if c.is_ascii_uppercase() => Ok(Self(c)),
            _ => Err(format!(
                "'{s}' is not a service code; a code is one capital letter A-Z"
            )),
        }
    }
}

impl fmt::Display for ServiceCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

impl<'de> serde::Deserialize<'de> for ServiceCode {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

/// What the visitor sees and hears: the issuing service's letter and the day's sequence
/// number, at least three digits. Sequence 1000 and later print as four digits (`A1000`): a
/// number is never reused within a business day, so no wrap-around can make two visitors share one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DisplayNumber {
    pub service: ServiceCode,
    pub seq: u32,
}

impl fmt::Display for DisplayNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}{:03}", self.service, self.seq)
    }
}

impl FromStr for DisplayNumber {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || format!("'{s}' is not a ticket number; write it like A012");
        let upper = s.trim().to_ascii_uppercase();
        let letter = upper.get(..1).ok_or_else(bad)?;
        let digits = upper.get(1..).ok_or_else(bad)?;
        if digits.len() < 3 || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(bad());
        }
        let service = letter.parse().map_err(|_| bad())?;
        let seq: u32 = digits.parse().map_err(|_| bad())?;
        if seq == 0 {
            return Err(bad());
        }
        Ok(Self { service, seq })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_pad_to_three_digits_and_grow_past_999() {
        let a: ServiceCode = "A".parse().unwrap();
        assert_eq!(DisplayNumber { service: a, seq: 7 }.to_string(), "A007");
        assert_eq!(DisplayNumber { service: a, seq: 999 }.to_string(), "A999");
        assert_eq!(
            DisplayNumber {
                service: a,
                seq: 1000
            }
            .to_string(),
            "A1000"
        );
    }

    #[test]
    fn numbers_round_trip_and_reject_junk() {
        for text in ["A001", "B123", "Z1000"] {
            let n: DisplayNumber = text.parse().unwrap();
            assert_eq!(n.to_string(), text);
        }
        assert_eq!("a012".parse::<DisplayNumber>().unwrap().to_string(), "A012");
        for junk in ["", "A", "A1", "AA01", "A000", "1012", "A01x", "Ä012"] {
            assert!(junk.parse::<DisplayNumber>().is_err(), "{junk} accepted");
        }
    }

    #[test]
    fn service_codes_are_one_capital_letter() {
        assert!("A".parse::<ServiceCode>().is_ok());
        for junk in ["", "a", "AB", "1", "法"] {
            assert!(junk.parse::<ServiceCode>().is_err(), "{junk} accepted");
        }
    }
}
