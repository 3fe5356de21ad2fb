//! The voices of the voice packs: the three screen languages plus Cantonese, which only calls
//! numbers. Pure; the configuration and the speech module both name voices through here.

use crate::lang::Lang;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// A voice pack: the screen languages plus Cantonese, which is only used for calls.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Voice {
    Zh,
    Yue,
    En,
    Ug,
}

impl Voice {
    pub const ALL: [Voice; 4] = [Voice::Zh, Voice::Yue, Voice::En, Voice::Ug];

    /// The folder name under `assets/voice/`.
    pub fn code(self) -> &'static str {
        match self {
            Voice::Zh => "zh",
            Voice::Yue => "yue",
            Voice::En => "en",
            Voice::Ug => "ug",
        }
    }

    /// The voice that reads a screen in `lang`.
    pub fn for_screen(lang: Lang) -> Voice {
        match lang {
            Lang::ZhCn => Voice::Zh,
            Lang::En => Voice::En,
            Lang::Ug => Voice::Ug,
        }
    }

    /// The screen language whose words this voice reads (Cantonese reads the Chinese ones).
    pub fn text_lang(self) -> Lang {
        match self {
            Voice::Zh | Voice::Yue => Lang::ZhCn,
            Voice::En => Lang::En,
            Voice::Ug => Lang::Ug,
        }
    }

    /// Whether this voice reads the screens (Cantonese only calls numbers).
    pub fn reads_screens(self) -> bool {
        self != Voice::Yue
    }
}

impl fmt::Display for Voice {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl FromStr for Voice {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "zh" | "zh-CN" | "cmn" => Ok(Voice::Zh),
            "yue" => Ok(Voice::Yue),
            "en" => Ok(Voice::En),
            "ug" => Ok(Voice::Ug),
            _ => Err(format!("unknown voice '{s}'; use zh, yue, en or ug")),
        }
    }
}

/// Parses a comma-separated list of voices, such as `zh,yue,en`.
pub fn parse_voices(list: &str) -> Result<Vec<Voice>, String> {
    list.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::parse)
        .collect()
}
