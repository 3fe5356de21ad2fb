//! The policy's rule strings ("法律援助法 第42条第(一)项") as a visitor can read them: the formal
//! Chinese citation (《中华人民共和国法律援助法》第四十二条第（一）项) and a translated one in English
//! and Uyghur. A part this module does not recognise is shown as the policy wrote it; remarks
//! for technicians after " — " are never shown.

use crate::lang::Lang;

/// An instrument the policy cites, by the short name the policy file uses.
struct Instrument {
    short: &'static str,
    zh: &'static str,
    en: &'static str,
    ug: &'static str,
    /// Issued as a government decree: its issuer in three languages and its number.
    decree: Option<(&'static str, &'static str, &'static str, u32)>,
}

const INSTRUMENTS: [Instrument; 4] = [
    Instrument {
        short: "法律援助法",
        zh: "中华人民共和国法律援助法",
        en: "Legal Aid Law of the People's Republic of China",
        ug: "جۇڭخۇا خەلق جۇمھۇرىيىتىنىڭ قانۇن ياردىمى قانۇنى",
        decree: None,
    },
    Instrument {
        short: "广州市法律援助实施办法",
        zh: "广州市法律援助实施办法",
        en: "Guangzhou Measures for Implementing Legal Aid",
        ug: "گۇاڭجۇ شەھىرىنىڭ قانۇن ياردىمىنى يولغا قويۇش چارىسى",
        decree: Some((
            "广州市人民政府令",
            "Guangzhou Municipal Government Decree",
            "گۇاڭجۇ شەھەرلىك خەلق ھۆكۈمىتىنىڭ بۇيرۇقى",
            220,
        )),
    },
    Instrument {
        short: "广东省法律援助条例",
        zh: "广东省法律援助条例",
        en: "Guangdong Province Legal Aid Regulations",
        ug: "گۇاڭدۇڭ ئۆلكىسىنىڭ قانۇن ياردىمى نىزامى",
        decree: None,
    },
    Instrument {
        short: "广东省法律援助经济困难标准规定",
        zh: "广东省法律援助经济困难标准规定",
        en: "Guangdong Provisions on the Financial Hardship Standard for Legal Aid",
        ug: "گۇاڭدۇڭ ئۆلكىسىنىڭ قانۇن ياردىمى ئىقتىسادىي قىيىنچىلىق ئۆلچىمى بەلگىلىمىسى",
        decree: Some((
            "广东省人民政府令",
            "Guangdong Provincial Government Decree",
            "گۇاڭدۇڭ ئۆلكىلىك خەلق ھۆكۈمىتىنىڭ بۇيرۇقى",
            268,
        )),
    },
];

/// An article and, if cited, one of its items.
#[derive(Debug, PartialEq, Eq)]
struct Article {
    number: u32,
    item: Option<u32>,
}

/// One cited part: an instrument with its decree number and articles, or text kept as written.
enum Part<'a> {
    Cited {
        instrument: &'static Instrument,
        decree: Option<u32>,
        articles: Vec<Article>,
    },
    Raw(&'a str),
}

/// The formal citation of a policy rule string in `lang`. Parts are joined with "; ", and
/// neighbouring parts of one instrument become one ("arts. 31 and 34", 第三十一条、第三十四条).
pub fn formal(rule: &str, lang: Lang) -> String {
    let mut parts: Vec<Part> = Vec::new();
    for text in rule.split(';').map(str::trim).filter(|p| !p.is_empty()) {
        match (parse_part(text), parts.last_mut()) {
            (
                Part::Cited {
                    instrument,
                    decree,
                    articles,
                },
                Some(Part::Cited {
                    instrument: last,
                    decree: last_decree,
                    articles: last_articles,
                }),
            ) if std::ptr::eq(instrument, *last) && decree == *last_decree => {
                last_articles.extend(articles);
            }
            (part, _) => parts.push(part),
        }
    }
    parts
        .iter()
        .map(|p| match p {
            Part::Cited {
                instrument,
                decree,
                articles,
            } => cite(instrument, *decree, articles, lang),
            Part::Raw(text) => (*text).to_owned(),
        })
        .collect::<Vec<_>>()
        .join(if lang == Lang::ZhCn { "；" } else { "; " })
}

fn parse_part(part: &str) -> Part<'_> {
    // A remark for technicians ("— yearly figure not yet provisioned") is not the citation.
    let part = part.split(" — ").next().unwrap_or(part).trim();
    let (rest, decree) = take_decree(part);
    let (name, articles) = rest.split_once(' ').unwrap_or((rest.as_str(), ""));
    let instrument = INSTRUMENTS.iter().find(|i| i.short == name);
    match (instrument, parse_articles(articles.trim())) {
        (Some(instrument), Some(articles)) => Part::Cited {
            instrument,
            decree: instrument.decree.map(|d| decree.unwrap_or(d.3)),
            articles,
        },
        _ => Part::Raw(part),
    }
}

fn cite(instrument: &Instrument, decree: Option<u32>, articles: &[Article], lang: Lang) -> String {
    let issuer = |i: fn(&(&'static str, &'static str, &'static str, u32)) -> &'static str| {
        instrument.decree.as_ref().map(i).zip(decree)
    };
    match lang {
        Lang::ZhCn => {
            let mut out = format!("《{}》", instrument.zh);
            if let Some((issuer, n)) = issuer(|d| d.0) {
                out.push_str(&format!("（{issuer}第{n}号）"));
            }
            let list: Vec<String> = articles
                .iter()
                .map(|a| {
                    let item = a
                        .item
                        .map_or(String::new(), |k| format!("第（{}）项", chinese(k)));
                    format!("第{}条{item}", chinese(a.number))
                })
                .collect();
            out + &list.join("、")
        }
        Lang::En => {
            let mut out = instrument.en.to_owned();
            if let Some((issuer, n)) = issuer(|d| d.1) {
                out.push_str(&format!(" ({issuer} No. {n})"));
            }
            let list: Vec<String> = articles
                .iter()
                .map(|a| match a.item {
                    Some(k) => format!("{}({k})", a.number),
                    None => a.number.to_string(),
                })
                .collect();
            match list.len() {
                0 => out,
                1 => format!("{out}, art. {}", list[0]),
                _ => format!("{out}, arts. {}", list.join(" and ")),
            }
        }
        Lang::Ug => {
            let mut out = format!("«{}»", instrument.ug);
            if let Some((issuer, n)) = issuer(|d| d.2) {
                out.push_str(&format!(" ({n}-نومۇرلۇق {issuer})"));
            }
            for a in articles {
                out.push_str(&format!("، {}-ماددا", a.number));
                if let Some(k) = a.item {
                    out.push_str(&format!(" {k}-تارماق"));
                }
            }
            out
        }
    }
}

/// Takes "(Decree 220)", "(Decree 163, 2019-09-01)" or "(粤府令第268号)" out of a part; its number.
fn take_decree(part: &str) -> (String, Option<u32>) {
    let (Some(open), Some(close)) = (part.find('('), part.rfind(')')) else {
        return (part.to_owned(), None);
    };
    let inside = &part[open + 1..close];
    let is_decree = inside.starts_with("Decree") || inside.contains("令第");
    if !is_decree || close < open {
        return (part.to_owned(), None);
    }
    let number = inside
        .split(|c: char| !c.is_ascii_digit())
        .find(|d| !d.is_empty())
        .and_then(|d| d.parse().ok());
    let rest = format!("{}{}", part[..open].trim_end(), &part[close + 1..]);
    (rest.trim().to_owned(), number)
}

/// "第42条第(一)项", "第22条、第23条" or nothing; None when it is something else.
fn parse_articles(text: &str) -> Option<Vec<Article>> {
    if text.is_empty() {
        return Some(Vec::new());
    }
    text.split('、')
        .map(|a| {
            let rest = a.strip_prefix('第')?;
            let (number, rest) = rest.split_once('条')?;
            let item = match rest {
                "" => None,
                r => Some(from_chinese(r.strip_prefix("第(")?.strip_suffix(")项")?)?),
            };
            Some(Article {
                number: number.parse().ok()?,
                item,
            })
        })
        .collect()
}

const DIGITS: [char; 10] = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九'];

/// 1..=99 in Chinese numerals (四十二, 十四, 二十).
fn chinese(n: u32) -> String {
    let digit = |d: u32| DIGITS[d as usize % 10];
    match n {
        0..=9 => digit(n).to_string(),
        10 => "十".into(),
        11..=19 => format!("十{}", digit(n % 10)),
        _ if n.is_multiple_of(10) => format!("{}十", digit(n / 10 % 10)),
        _ => format!("{}十{}", digit(n / 10 % 10), digit(n % 10)),
    }
}

fn from_chinese(s: &str) -> Option<u32> {
    (1..=99).find(|n| chinese(*n) == s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_national_law_is_cited_formally_and_translated() {
        let rule = "法律援助法 第42条第(一)项";
        assert_eq!(
            formal(rule, Lang::ZhCn),
            "《中华人民共和国法律援助法》第四十二条第（一）项"
        );
        assert_eq!(
            formal(rule, Lang::En),
            "Legal Aid Law of the People's Republic of China, art. 42(1)"
        );
        assert_eq!(
            formal(rule, Lang::Ug),
            "«جۇڭخۇا خەلق جۇمھۇرىيىتىنىڭ قانۇن ياردىمى قانۇنى»، 42-ماددا 1-تارماق"
        );
    }

    #[test]
    fn decrees_lists_and_several_instruments() {
        assert_eq!(
            formal("广州市法律援助实施办法 第13条第(三)项", Lang::ZhCn),
            "《广州市法律援助实施办法》（广州市人民政府令第220号）第十三条第（三）项"
        );
        assert_eq!(
            formal("法律援助法 第22条、第23条", Lang::En),
            "Legal Aid Law of the People's Republic of China, arts. 22 and 23"
        );
        assert_eq!(
            formal("法律援助法 第34条; 广州市法律援助实施办法", Lang::ZhCn),
            "《中华人民共和国法律援助法》第三十四条；《广州市法律援助实施办法》（广州市人民政府令第220号）"
        );
        assert_eq!(
            formal("广州市法律援助实施办法 (Decree 163)", Lang::En),
            "Guangzhou Measures for Implementing Legal Aid (Guangzhou Municipal Government Decree No. 163)"
        );
        assert_eq!(
            formal("广东省法律援助经济困难标准规定 (粤府令第268号)", Lang::ZhCn),
            "《广东省法律援助经济困难标准规定》（广东省人民政府令第268号）"
        );
    }

    #[test]
    fn one_instrument_cited_twice_in_a_row_is_cited_once() {
        let rule = "法律援助法 第31条; 法律援助法 第34条; 广州市法律援助实施办法 (Decree 220)";
        assert_eq!(
            formal(rule, Lang::En),
            "Legal Aid Law of the People's Republic of China, arts. 31 and 34; \
             Guangzhou Measures for Implementing Legal Aid (Guangzhou Municipal Government Decree No. 220)"
        );
        assert_eq!(
            formal(rule, Lang::ZhCn),
            "《中华人民共和国法律援助法》第三十一条、第三十四条；《广州市法律援助实施办法》（广州市人民政府令第220号）"
        );
    }

    #[test]
    fn remarks_for_technicians_and_unknown_parts() {
        let rule = "广州市法律援助实施办法 (Decree 220) — yearly figure not yet provisioned on this terminal";
        assert!(!formal(rule, Lang::En).contains("provisioned"));
        assert_eq!(
            formal("某某规定 第3条", Lang::En),
            "某某规定 第3条",
            "kept as written"
        );
    }

    #[test]
    fn chinese_numerals() {
        let cases = [
            (1, "一"),
            (10, "十"),
            (14, "十四"),
            (20, "二十"),
            (42, "四十二"),
            (99, "九十九"),
        ];
        for (n, text) in cases {
            assert_eq!(chinese(n), text);
            assert_eq!(from_chinese(text), Some(n));
        }
    }

    /// Every rule of the shipped policy is recognised whole (nothing shown as the file wrote it).
    #[test]
    fn every_shipped_rule_is_recognised() {
        let policy = include_str!("../../../../assets/policy/guangzhou.toml");
        for line in policy.lines().filter_map(|l| l.strip_prefix("rule = \"")) {
            let rule = line.trim_end_matches('"');
            let zh = formal(rule, Lang::ZhCn);
            assert!(zh.starts_with('《') && !zh.contains(" 第"), "{rule} → {zh}");
        }
    }
}
