//! The three languages a visitor can choose. Chinese is the default and what a session wipe
//! returns to.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub enum Lang {
    #[default]
    #[serde(rename = "zh-CN")]
    ZhCn,
    #[serde(rename = "en")]
    En,
    #[serde(rename = "ug")]
    Ug,
}

impl Lang {
    pub const ALL: [Lang; 3] = [Lang::ZhCn, Lang::En, Lang::Ug];

    pub fn code(self) -> &'static str {
        match self {
            Lang::ZhCn => "zh-CN",
            Lang::En => "en",
            Lang::Ug => "ug",
        }
    }

    /// Uyghur is written right to left; layouts mirror for it.
    pub fn is_rtl(self) -> bool {
        self == Lang::Ug
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl FromStr for Lang {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "zh-CN" | "zh" | "zh_CN" => Ok(Lang::ZhCn),
            "en" => Ok(Lang::En),
            "ug" => Ok(Lang::Ug),
            _ => Err(format!("unknown language '{s}'; use zh-CN, en or ug")),
        }
    }
}

/// A text in each of the three languages (hall, service and counter names).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Names {
    #[serde(rename = "zh-CN")]
    pub zh: String,
    pub en: String,
    pub ug: String,
}

impl Names {
    pub fn new(zh: &str, en: &str, ug: &str) -> Self {
        Self {
            zh: zh.to_owned(),
            en: en.to_owned(),
            ug: ug.to_owned(),
        }
    }

    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::ZhCn => &self.zh,
            Lang::En => &self.en,
            Lang::Ug => &self.ug,
        }
    }
}
