//! How the domain's small types are written on the wire: as their text (`A`, `A012`, `waiting`,
//! `elderly`, `call`), the same words the CLI, the database and the configuration use. Use with
//! `#[serde(with = "…")]` on a view's field.

use kiosk_core::queue::{Action, PriorityReason, ServiceCode, TicketState};
use serde::{Deserialize, Deserializer, Serializer};

/// A domain value's word on the wire, and back. (Not `Display`: that is for people — a ticket
/// state displays as "a no-show" but is written `no_show`.)
pub trait Word: Sized {
    fn word(&self) -> String;
    fn from_word(word: &str) -> Result<Self, String>;
}

impl Word for ServiceCode {
    fn word(&self) -> String {
        self.to_string()
    }
    fn from_word(word: &str) -> Result<Self, String> {
        word.parse()
    }
}

impl Word for PriorityReason {
    fn word(&self) -> String {
        self.as_str().to_owned()
    }
    fn from_word(word: &str) -> Result<Self, String> {
        word.parse()
    }
}

impl Word for TicketState {
    fn word(&self) -> String {
        self.as_str().to_owned()
    }
    fn from_word(word: &str) -> Result<Self, String> {
        word.parse()
    }
}

impl Word for Action {
    fn word(&self) -> String {
        self.as_str().to_owned()
    }
    fn from_word(word: &str) -> Result<Self, String> {
        word.parse()
    }
}

/// A value written as its word.
pub mod text {
    use super::*;

    pub fn serialize<T: Word, S: Serializer>(value: &T, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&value.word())
    }

    pub fn deserialize<'de, T: Word, D: Deserializer<'de>>(d: D) -> Result<T, D::Error> {
        let text = String::deserialize(d)?;
        T::from_word(&text).map_err(serde::de::Error::custom)
    }
}

/// Like `text`, or `null`.
pub mod opt_text {
    use super::*;

    pub fn serialize<T: Word, S: Serializer>(value: &Option<T>, s: S) -> Result<S::Ok, S::Error> {
        match value {
            Some(v) => s.serialize_str(&v.word()),
            None => s.serialize_none(),
        }
    }

    pub fn deserialize<'de, T: Word, D: Deserializer<'de>>(d: D) -> Result<Option<T>, D::Error> {
        Option::<String>::deserialize(d)?
            .map(|text| T::from_word(&text).map_err(serde::de::Error::custom))
            .transpose()
    }
}

/// A list of values, each as `text`.
pub mod text_list {
    use super::*;
    use serde::ser::SerializeSeq;

    pub fn serialize<T: Word, S: Serializer>(values: &[T], s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(values.len()))?;
        for v in values {
            seq.serialize_element(&v.word())?;
        }
        seq.end()
    }

    pub fn deserialize<'de, T: Word, D: Deserializer<'de>>(d: D) -> Result<Vec<T>, D::Error> {
        Vec::<String>::deserialize(d)?
            .iter()
            .map(|text| T::from_word(text).map_err(serde::de::Error::custom))
            .collect()
    }
}
